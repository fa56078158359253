"""Reading an ``.npz`` archive without trusting it: sizes from the headers first, bounded reads after.

An ``.npz`` is a zip of ``.npy`` members.  `NpzReader` opens the zip (its
central directory only), and `NpzReader.read` reads one member: first its
``.npy`` header (`numpy.lib.format.read_magic`, ``read_array_header_*``), which
must declare the expected dtype and shape, and the zip's recorded
uncompressed size must equal that header plus exactly those bytes; only then
is the data inflated, into an array of that size, a chunk at a time.  A member
that claims 2 GiB where 80 bytes are expected is refused before one byte is
inflated, so a zip bomb costs nothing; a member whose recorded size lies is
read only up to the size it should have, and its CRC then fails.

Before the zip is opened, `directory_size` reads what its end record declares
for the central directory (the list of members that `zipfile` parses whole,
first thing): an archive that declares more members than ``max_members``, or
a larger directory than they need, is refused before it is parsed, so two
million empty members cost microseconds, not gigabytes.

Every problem raises `NpzError` with a message naming the member.

>>> import io, numpy as np
>>> buf = io.BytesIO(); np.savez(buf, w=np.arange(3.0))
>>> with NpzReader(buf) as z:
...     z.names, z.read("w", np.dtype("<f8"), (3,))
(['w'], array([0., 1., 2.]))
>>> with NpzReader(buf) as z:
...     z.read("w", np.dtype("<i2"), (3,))
Traceback (most recent call last):
...
fcnet.training.npz.NpzError: w.npy stores dtype float64 (<f8); expected int16 (<i2)
"""

from __future__ import annotations

import math
import struct
import zipfile
import zlib

import numpy as np

__all__ = ["NpzError", "NpzReader", "HEADER_CAP", "ENTRY_CAP", "directory_size"]

#: The largest .npy header read (NumPy writes 128 bytes for a plain array; its own limit is 10,000).
HEADER_CAP = 10_000
_CHUNK = 1 << 20  # bytes inflated per read: the only buffer besides the array itself
#: The most central-directory bytes allowed per member (a record is 46 bytes, its name and extra fields a few dozen).
ENTRY_CAP = 1024
_EOCD = struct.Struct("<4s4H2LH")  # end of central directory: signature, disk numbers, counts, size, offset, comment
_LOCATOR64 = struct.Struct("<4sLQL")  # the zip64 locator, just before the end record when there is one
_EOCD64 = struct.Struct("<4sQ2H2L4Q")  # the zip64 end record, just before its locator
#: Errors that reading a damaged zip or .npy header can raise; all become `NpzError`.
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    TypeError,
    SyntaxError,
    RecursionError,
    MemoryError,
    OverflowError,
    KeyError,
    NotImplementedError,
)


class NpzError(ValueError):
    """An .npz archive or member that cannot be read safely; the message says which and why."""


def directory_size(fp) -> tuple[int, int] | None:
    """``(members, bytes)`` of the central directory as the end record declares it, found where `zipfile` looks.

    Hand-written because `zipfile` has no public way to read these two numbers
    before it parses the whole directory.  As `zipfile` does: the last 22
    bytes when they are an end record without a comment, else the last
    end-record signature in the final 64 KiB; a zip64 end record, when its
    locator sits just before, overrides the classic one.  None when there is
    no end record (`zipfile` then refuses the file).

    >>> import io
    >>> buf = io.BytesIO(); np.savez(buf, a=np.zeros(2), b=np.ones(3))
    >>> directory_size(buf)
    (2, 102)
    """
    end = fp.seek(0, 2)
    tail_len = min(end, _EOCD.size + 0xFFFF)
    fp.seek(end - tail_len)
    tail = fp.read(tail_len)
    at = len(tail) - _EOCD.size
    if not (at >= 0 and tail[at : at + 4] == b"PK\x05\x06" and tail[-2:] == b"\x00\x00"):
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + _EOCD.size > len(tail):
            return None
    record = _EOCD.unpack_from(tail, at)
    members, size = record[4], record[5]
    where = end - tail_len + at  # the end record's offset in the file
    if where >= _LOCATOR64.size + _EOCD64.size:
        fp.seek(where - _LOCATOR64.size)
        if fp.read(4) == b"PK\x06\x07":
            fp.seek(where - _LOCATOR64.size - _EOCD64.size)
            record64 = fp.read(_EOCD64.size)
            if len(record64) == _EOCD64.size and record64[:4] == b"PK\x06\x06":
                fields = _EOCD64.unpack(record64)
                members, size = fields[7], fields[8]
    return members, size


class NpzReader:
    """A zip of .npy members, opened from a binary file object; use as a context manager.

    Parameters
    ----------
    fileobj : binary file
        Seekable.
    max_members : int, optional
        The most members the archive may declare; its central directory may
        take at most `ENTRY_CAP` bytes per member.  Checked before `zipfile`
        parses the directory.
    """

    def __init__(self, fileobj, max_members: int | None = None):
        try:
            declared = directory_size(fileobj) if max_members is not None else None
            if declared and (declared[0] > max_members or declared[1] > max_members * ENTRY_CAP):
                raise NpzError(
                    f"the archive declares {declared[0]:,} members in a {declared[1]:,}-byte directory; expected at "
                    f"most {max_members} members ({max_members * ENTRY_CAP:,} bytes)"
                )
            self._zip = zipfile.ZipFile(fileobj)
            infos = self._zip.infolist()
        except NpzError:
            raise
        except _READ_ERRORS as exc:
            raise NpzError(f"not a readable .npz file (truncated or corrupted: {exc})") from None
        if max_members is not None and len(infos) > max_members:
            self._zip.close()
            raise NpzError(f"the archive has {len(infos):,} members; expected at most {max_members}")
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise NpzError(f"the archive lists a member twice ({sorted(names)}); expected each once")
        if not all(n.endswith(".npy") for n in names):
            raise NpzError(f"the archive holds {sorted(names)}; expected only .npy members")
        self._infos = {n[: -len(".npy")]: i for n, i in zip(names, infos)}
        self.names = sorted(self._infos)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._zip.close()

    def check(self, name: str, dtype: np.dtype, shape: tuple[int, ...]) -> None:
        """Check member ``name``'s zip entry and .npy header against ``dtype`` and ``shape``; inflate no data."""
        self.read(name, dtype, shape, data=False)

    def read(self, name: str, dtype: np.dtype, shape: tuple[int, ...], data: bool = True) -> np.ndarray | None:
        """Member ``name`` as a fresh writeable array, if and only if it holds ``dtype`` and ``shape``."""

        def expect(got_dtype, got_shape):
            if got_dtype != dtype:
                return f"stores dtype {got_dtype} ({got_dtype.str}); expected {dtype} ({dtype.str})"
            if tuple(got_shape) != tuple(shape):
                return f"has shape {tuple(got_shape)}; expected {tuple(shape)}"
            return None

        return self._read(name, expect, math.prod(shape) * dtype.itemsize, data)

    def read_text(self, name: str, max_chars: int) -> str:
        """Member ``name`` as a string, if it is a unicode scalar of at most ``max_chars`` characters."""

        def expect(got_dtype, got_shape):
            if got_dtype.kind != "U" or tuple(got_shape) != () or got_dtype.itemsize > 4 * max_chars:
                return f"has dtype {got_dtype} and shape {tuple(got_shape)}; expected a unicode scalar of at most " + (
                    f"{max_chars:,} characters"
                )
            return None

        return str(self._read(name, expect, 4 * max_chars)[()])

    def _read(self, name: str, expect, cap: int, data: bool = True) -> np.ndarray | None:
        """Check the zip entry against ``cap`` data bytes and the header with ``expect``; then read the data."""
        info = self._infos[name]
        member = f"{name}.npy"
        if info.flag_bits & 0x1:
            raise NpzError(f"{member} is encrypted; expected a plain member")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise NpzError(f"{member} uses zip compression method {info.compress_type}; expected stored or deflated")
        if info.file_size > HEADER_CAP + cap:  # a bomb stops here, before anything is inflated
            raise NpzError(
                f"{member} inflates to {info.file_size:,} bytes; expected at most {HEADER_CAP + cap:,} "
                f"(a header and {cap:,} bytes of data)"
            )
        try:
            with self._zip.open(info) as fp:
                version = np.lib.format.read_magic(fp)
                if version not in ((1, 0), (2, 0)):
                    raise NpzError(f"{member} is .npy format {version}; expected 1.0 or 2.0")
                read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else None
                read_header = read_header or np.lib.format.read_array_header_2_0
                shape, fortran, dtype = read_header(fp, max_header_size=HEADER_CAP)
                wrong = expect(dtype, shape)
                if wrong:
                    raise NpzError(f"{member} {wrong}")
                nbytes = math.prod(shape) * dtype.itemsize
                if info.file_size != fp.tell() + nbytes:
                    raise NpzError(
                        f"{member} is {info.file_size:,} bytes; its header declares {fp.tell()} + {nbytes:,}"
                    )
                if not data:
                    return None
                flat = np.empty(math.prod(shape), dtype=dtype)
                view, done = memoryview(flat.view(np.uint8)), 0
                while done < nbytes:
                    n = fp.readinto(view[done : done + _CHUNK])
                    if not n:
                        raise NpzError(f"{member} ends after {done:,} of {nbytes:,} data bytes")
                    done += n
                if fp.read(1):  # also the point at which zipfile compares the CRC-32
                    raise NpzError(f"{member} has bytes after its {nbytes:,} data bytes")
        except NpzError:
            raise
        except _READ_ERRORS as exc:
            raise NpzError(f"{member} is not readable (truncated or corrupted: {exc})") from None
        return flat.reshape(shape, order="F" if fortran else "C")
