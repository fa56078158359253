"""Saving and loading parameters as ``.npz``, safely.

A file holds the arrays ``W1, b1, W2, b2`` and ``fcnet_meta``, a JSON string
(a plain unicode array, no pickle) with the format version, each array's
shape and dtype, and a SHA-256 of their bytes.  `load_params` trusts nothing
in it: it reads the metadata first (size-capped, schema-checked), then each
array only if its ``.npy`` header and its zip entry agree with the recorded
dtype and shape (`fcnet.training.npz`), so nothing is inflated beyond what the
metadata declares and ``max_bytes`` allows; then it checks the digest and the
shapes (`fcnet.core.validate.check_params`) and returns a fresh dict.  A bad
file raises `ParamsFileError` naming the path, and nothing is half-loaded.

Only a regular file is read: a device (``/dev/zero``), a FIFO or a socket is
refused before it is opened (and the file opened is checked again, without
blocking), no byte past the size the file reports is read, and an archive of
more than `MAX_MEMBERS` members is refused before its directory is parsed.

`save_params` writes a temporary file beside the target and renames it into
place: the old file, if any, stays whole until then, and its permission bits
pass to the new one.  The temporary file is removed on every exit that Python
sees (an error, Ctrl-C, SIGTERM in the command line); one left behind by a
process that was killed (SIGKILL, a power cut) is removed by the next save
to the same path, once its process is gone.

>>> import numpy as np, tempfile, os
>>> params = {"W1": np.ones((3, 2)), "b1": np.zeros(3), "W2": np.full((4, 3), 0.5), "b2": np.zeros(4)}
>>> path = os.path.join(tempfile.mkdtemp(), "net.npz")
>>> save_params(path, params)
>>> back = load_params(path)
>>> all(np.array_equal(back[k], params[k]) and back[k].dtype == params[k].dtype for k in params)
True
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import secrets
import stat

import numpy as np

from ..core.params import KEYS
from ..core.validate import check_params
from .npz import NpzError, NpzReader

__all__ = ["ParamsFileError", "save_params", "load_params", "digest"]

META = "fcnet_meta"
FORMAT = "fcnet-params/1"
#: The largest metadata accepted, in characters (a saved file's is about 300).
META_CAP = 16_384
#: Default cap on the arrays' total size: 1 GiB (a net with 100 million float64 parameters would be 800 MB).
MAX_BYTES = 1 << 30
#: The most members an archive may declare before it is refused unparsed (a saved file has 5).
MAX_MEMBERS = 16
_DTYPE = re.compile(r"[<>]f(2|4|8|12|16)")


class ParamsFileError(ValueError):
    """A parameter file that cannot be trusted: unreadable, tampered with, or of the wrong layout."""


def digest(params: dict[str, np.ndarray]) -> str:
    """SHA-256 over each array's key, dtype, shape and C-order bytes, in the order W1, b1, W2, b2.

    >>> digest({"W1": np.zeros((1, 1)), "b1": np.zeros(1), "W2": np.zeros((1, 1)), "b2": np.zeros(1)})[:12]
    '774adfac895c'
    """
    h = hashlib.sha256()
    for k in KEYS:
        a = np.ascontiguousarray(params[k])
        h.update(f"{k}:{a.dtype.str}:{a.shape};".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _path(path, name: str = "path") -> str:
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"{name} is a {type(path).__name__} ({path!r}); expected a str or os.PathLike")
    return os.fspath(path)


def _kind(mode: int) -> str:
    """What a file that is not a regular file is: ``"a FIFO"``, ``"a character device"``, ..."""
    kinds = {
        stat.S_ISDIR: "a folder",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISFIFO: "a FIFO (named pipe)",
        stat.S_ISSOCK: "a socket",
    }
    return next((name for test, name in kinds.items() if test(mode)), "not a regular file")


def _name_max(folder: str) -> int:
    """The longest file name, in bytes, that the file system of ``folder`` takes (255 where it does not say)."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _temporary(folder: str, name: str) -> tuple[str, re.Pattern]:
    """A fresh temporary name beside ``name``, within the file system's limit, and the pattern of its kind.

    ``.{name}.{pid}.{random}.tmp``, with ``name`` shortened (in bytes) when the whole would be too long;
    the pattern matches the temporary files of every process for this ``name``, its group 1 the pid.
    """
    tail = f".{os.getpid()}.{secrets.token_hex(6)}.tmp"
    room = _name_max(folder) - 1 - len(tail)
    stem = os.fsdecode(os.fsencode(name)[: max(room, 1)])
    pattern = re.compile(re.escape(f".{stem}.") + r"(\d+)\.[0-9a-f]{12}\.tmp")
    return os.path.join(folder, f".{stem}{tail}"), pattern


def _remove_stale(folder: str, pattern: re.Pattern) -> None:
    """Remove the temporary files for this name whose process has ended (killed mid-save); leave the others."""
    try:
        entries = [e.name for e in os.scandir(folder) if e.name.startswith(".") and e.name.endswith(".tmp")]
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry)
        if not match or int(match[1]) == os.getpid():
            continue
        try:
            os.kill(int(match[1]), 0)  # signal 0: only asks whether the process exists
            continue  # it runs (a save in progress): its file is not stale
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError, OSError):
            continue  # another user's process, or a pid no process can have: leave it
        try:
            os.unlink(os.path.join(folder, entry))
        except OSError:
            pass


def save_params(path: str | os.PathLike, params: dict[str, np.ndarray]) -> None:
    """Write checked parameters and their digest to ``path`` (an ``.npz`` file), all or nothing.

    The file is written beside ``path`` under a temporary name and renamed
    into place, so a full disk or an error leaves no half-written file; a file
    already at ``path`` keeps its permission bits.

    Parameters
    ----------
    path : str or PathLike
        Must end in ``.npz`` (NumPy would otherwise append it silently); its
        folder must exist; if it exists, it must be a regular file.
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).

    Raises
    ------
    OSError
        As the file system raises it (a full disk, a name too long, no
        permission), always with ``path`` as its file name.
    """
    path = _path(path)
    if not path.endswith(".npz"):
        raise ValueError(f"path is {path!r}; expected a file name ending in '.npz'")
    params = check_params(params, KEYS)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"path is {path!r}, but its folder {folder!r} does not exist")
    name = os.path.basename(path)
    if len(os.fsencode(name)) > _name_max(folder):
        raise OSError(
            errno.ENAMETOOLONG,
            f"{os.strerror(errno.ENAMETOOLONG)}: {len(os.fsencode(name))} bytes, where the file system takes at most "
            f"{_name_max(folder)}",
            path,
        )
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise ValueError(f"path {path!r} is {_kind(old.st_mode)}; expected a regular file to replace, or a new name")
    meta = {
        "format": FORMAT,
        "shapes": {k: list(params[k].shape) for k in KEYS},
        "dtypes": {k: params[k].dtype.str for k in KEYS},
        "sha256": digest(params),
    }
    tmp, stale = _temporary(folder, name)
    _remove_stale(folder, stale)
    try:
        # "x": never an existing file; a new file's mode follows umask, a replaced file's is copied below
        with open(tmp, "xb") as fh:
            np.savez(fh, **{k: params[k] for k in KEYS}, **{META: np.array(json.dumps(meta, sort_keys=True))})
        if old is not None:
            os.chmod(tmp, stat.S_IMODE(old.st_mode))
        os.replace(tmp, path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), path) from None  # named by path, not by the temporary
    finally:
        try:  # any exit before the rename: an error, Ctrl-C, SIGTERM turned into an exception
            os.unlink(tmp)
        except OSError:  # renamed into place or never made (FileNotFoundError), or the folder went away
            pass


class _Bounded:
    """A binary file that shows its first ``size`` bytes and nothing after: no read goes past what it reported."""

    def __init__(self, fh, size: int):
        self._fh, self._size = fh, size

    def read(self, n: int | None = -1) -> bytes:
        room = self._size - self._fh.tell()
        return self._fh.read(max(0, room if n is None or n < 0 else min(n, room)))

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._fh.seek(self._size + offset if whence == os.SEEK_END else offset, whence % 2)

    def tell(self) -> int:
        return self._fh.tell()

    def seekable(self) -> bool:
        return True


class _open_regular:
    """``with _open_regular(path) as (fh, size)``: a regular file only, opened without blocking, read within size.

    The path is looked at first (so a device, a FIFO or a socket is never opened), opened with O_NONBLOCK (a FIFO
    put in its place meanwhile does not block the open) and looked at again through the descriptor.
    """

    def __init__(self, path: str):
        self.path = path

    def _refuse_unless_regular(self, mode: int) -> None:
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), self.path)
        if not stat.S_ISREG(mode):
            raise ParamsFileError(f"{self.path} is {_kind(mode)}; expected a regular file written by save_params")

    def __enter__(self):
        self._refuse_unless_regular(os.stat(self.path).st_mode)  # FileNotFoundError, PermissionError name the path
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            info = os.fstat(fd)
            self._refuse_unless_regular(info.st_mode)
            self.fh = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
        return _Bounded(self.fh, info.st_size), info.st_size

    def __exit__(self, *exc):
        self.fh.close()


def _meta(text: str) -> dict:
    """The parsed metadata, every field checked; raises ParamsFileError (without the path)."""
    try:
        meta = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParamsFileError(f"{META} is not valid JSON ({type(exc).__name__}: {str(exc)[:80]})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        got = meta.get("format") if isinstance(meta, dict) else type(meta).__name__
        raise ParamsFileError(f"{META} has format {str(got)[:80]!r}; expected {FORMAT!r}")
    want = {"format", "shapes", "dtypes", "sha256"}
    if set(meta) != want:
        raise ParamsFileError(f"{META} has fields {sorted(meta)[:8]}; expected exactly {sorted(want)}")
    for field in ("shapes", "dtypes"):
        if not isinstance(meta[field], dict) or set(meta[field]) != set(KEYS):
            keys = sorted(meta[field])[:8] if isinstance(meta[field], dict) else type(meta[field]).__name__
            raise ParamsFileError(f"{META}: {field} is {keys}; expected a dict with keys {list(KEYS)}")
    for k in KEYS:
        shape, dtype = meta["shapes"][k], meta["dtypes"][k]
        ndim = 2 if k.startswith("W") else 1
        if not (
            isinstance(shape, list)
            and len(shape) == ndim
            and all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n < 2**40 for n in shape)
        ):
            raise ParamsFileError(f"{META}: the shape of {k} is {str(shape)[:80]}; expected {ndim} positive integers")
        if not (isinstance(dtype, str) and _DTYPE.fullmatch(dtype)):
            raise ParamsFileError(f"{META}: the dtype of {k} is {str(dtype)[:40]!r}; expected a float dtype like '<f8'")
        try:
            meta["dtypes"][k] = np.dtype(dtype)
        except TypeError:
            raise ParamsFileError(f"{META}: the dtype of {k} is {dtype!r}, unknown on this machine") from None
        meta["shapes"][k] = tuple(shape)
    if not (isinstance(meta["sha256"], str) and re.fullmatch(r"[0-9a-f]{64}", meta["sha256"])):
        raise ParamsFileError(f"{META}: sha256 is {str(meta['sha256'])[:80]!r}; expected 64 hexadecimal digits")
    return meta


def _read(fh, max_bytes: int) -> tuple[dict[str, np.ndarray], dict]:
    """The checked metadata, then every array it declares, each read within its declared size."""
    # at most MAX_MEMBERS members, and exactly the five names; each is read only within its declared size, so all
    # together they inflate to at most max_bytes + META_CAP characters + five headers
    with NpzReader(fh, max_members=MAX_MEMBERS) as z:
        if z.names != sorted([*KEYS, META]):
            missing = sorted(set(KEYS + (META,)) - set(z.names))
            extra = sorted(set(z.names) - set(KEYS + (META,)))
            raise ParamsFileError(
                f"the archive has arrays {z.names[:8]}; expected exactly {[*KEYS, META]}"
                + (f" (missing {missing})" if missing else "")
                + (f" (unexpected {extra[:8]})" if extra else "")
            )
        meta = _meta(z.read_text(META, META_CAP))
        sizes = {k: math.prod(meta["shapes"][k]) * meta["dtypes"][k].itemsize for k in KEYS}
        if sum(sizes.values()) > max_bytes:
            raise ParamsFileError(
                f"the metadata declares {sum(sizes.values()):,} bytes of arrays {dict(meta['shapes'])}, more than "
                f"max_bytes={max_bytes:,}; pass a larger max_bytes if you trust the file"
            )
        for k in KEYS:  # every header first: one bad member must not cost the inflating of the others
            z.check(k, meta["dtypes"][k], meta["shapes"][k])
        return {k: z.read(k, meta["dtypes"][k], meta["shapes"][k]) for k in KEYS}, meta


def load_params(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> dict[str, np.ndarray]:
    """Read parameters written by `save_params`, checking everything before returning.

    Parameters
    ----------
    path : str or PathLike
    max_bytes : int, default 1 GiB (`MAX_BYTES`)
        The most bytes of arrays the file may declare; nothing larger is inflated.

    Returns
    -------
    params : dict of ndarray
        A fresh dict ``"W1"``, ``"b1"``, ``"W2"``, ``"b2"``, in the dtypes that were saved.

    Raises
    ------
    FileNotFoundError, IsADirectoryError, PermissionError
        As `open` raises them, naming the path.
    ParamsFileError (a ValueError)
        Anything wrong with the file, its path first in the message: not a
        regular file (a device, a FIFO, a socket), unreadable, not a zip, truncated or corrupted (bad
        CRC), a pickled object array, missing or unexpected keys, metadata
        that is too large, not JSON or not of the expected schema, an array
        whose stored dtype, shape or size differs from the metadata (a zip
        bomb among them), more than ``max_bytes`` of arrays, a digest that does
        not match the arrays (tampered), or shapes that do not chain into a
        two-layer net.
    """
    path = _path(path)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ValueError(f"max_bytes is {max_bytes!r:.80}; expected a positive integer")
    with _open_regular(path) as (fh, size):
        if size > max_bytes + (1 << 20):  # the arrays, five headers, the metadata and the zip's own records
            raise ParamsFileError(f"{path} is {size:,} bytes, more than max_bytes={max_bytes:,} allows")
        try:
            if fh.read(6) == b"\x93NUMPY":
                raise ParamsFileError(
                    f"{path} holds a single array, not an .npz archive; expected keys {[*KEYS, META]}"
                )
            fh.seek(0)
            arrays, meta = _read(fh, max_bytes)
        except (NpzError, ParamsFileError) as exc:
            raise ParamsFileError(f"{path}: {exc}") from None
        except OSError as exc:  # an I/O error while reading: not the file's content, but it cannot be loaded
            raise ParamsFileError(f"{path}: could not be read ({exc.strerror or exc})") from None
    found = digest(arrays)
    if found != meta["sha256"]:
        raise ParamsFileError(
            f"{path}: the arrays' SHA-256 is {found[:16]}... but the file records "
            f"{meta['sha256'][:16]}...; the file was changed after it was saved"
        )
    try:
        return check_params(arrays, KEYS)
    except (TypeError, ValueError) as exc:
        raise ParamsFileError(f"{path}: {exc}") from None
