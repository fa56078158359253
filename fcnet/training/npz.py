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
import zipfile
import zlib

import numpy as np

__all__ = ["NpzError", "NpzReader", "HEADER_CAP"]

#: The largest .npy header read (NumPy writes 128 bytes for a plain array; its own limit is 10,000).
HEADER_CAP = 10_000
_CHUNK = 1 << 20  # bytes inflated per read: the only buffer besides the array itself
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


class NpzReader:
    """A zip of .npy members, opened from a binary file object; use as a context manager."""

    def __init__(self, fileobj):
        try:
            self._zip = zipfile.ZipFile(fileobj)
            infos = self._zip.infolist()
        except _READ_ERRORS as exc:
            raise NpzError(f"not a readable .npz file (truncated or corrupted: {exc})") from None
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
