"""A zip bomb in fcnet's checkpoint format, built in a second (for the tests and the benchmark).

`write_bomb` writes a valid ``.npz``: the metadata and b1, W2, b2 of a tiny
net (W1 declared (4, 3)), but its ``W1.npy`` entry inflates from about 2 MB to
2 GiB of zeros behind an .npy header declaring (16384, 16384) float64.  The zip
is well formed, CRC-32 included, so a loader that inflates before it checks
sizes pays for all 2 GiB.

zlib writes the deflate stream: the header, then 1 MiB of zeros compressed
once and flushed with ``Z_FULL_FLUSH``, which ends the blocks on a byte and
lets no later block refer back, so those bytes repeated 2048 times are 2 GiB
of zeros; a last empty block ends the stream.  The zip container is written
by hand (`zip_bytes`) because the tests also need what `zipfile` would not
write: lying sizes, duplicate names, odd flags.
"""

from __future__ import annotations

import functools
import io
import json
import struct
import zlib

import numpy as np

CHUNK = 2**20  # bytes of zeros compressed once and repeated


def _raw_deflate(data: bytes) -> bytes:
    """``data`` as raw deflate blocks (no zlib header), ending on a byte with nothing referring back."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


#: a final, empty fixed-Huffman block: BFINAL=1, BTYPE=01, then the end-of-block code 0000000
END = b"\x03\x00"


def deflate_zeros(prefix: bytes, n_zeros: int) -> bytes:
    """A raw deflate stream of ``prefix`` then ``n_zeros`` zero bytes (a multiple of `CHUNK`)."""
    if n_zeros % CHUNK:
        raise ValueError(f"n_zeros is {n_zeros}; expected a multiple of {CHUNK}")
    return _raw_deflate(prefix) + _raw_deflate(bytes(CHUNK)) * (n_zeros // CHUNK) + END


@functools.cache
def crc32_of_zeros(n: int, start: int = 0) -> int:
    """zlib's CRC-32 of ``n`` zero bytes (a multiple of `CHUNK`) after a CRC ``start``, a chunk at a time."""
    zeros, crc = bytes(CHUNK), start
    for _ in range(n // CHUNK):
        crc = zlib.crc32(zeros, crc)
    return crc


def npy_bytes(arr) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


def zip_bytes(members) -> bytes:
    """A zip archive of ``(name, data, method, crc, size[, flags])`` members, written by hand (no zip64 below
    4 GiB), so that tests can write what `zipfile` would not: lying sizes, duplicate names, flags."""
    out, central = io.BytesIO(), []
    for name, data, method, crc, size, *rest in members:
        flags = rest[0] if rest else 0
        offset, raw = out.tell(), name.encode()
        header = (0x04034B50, 20, flags, method, 0, 0x21, crc, len(data), size, len(raw), 0)
        out.write(struct.pack("<IHHHHHIIIHH", *header))
        out.write(raw + data)
        fields = (0x02014B50, 20, 20, flags, method, 0, 0x21, crc, len(data), size, len(raw), 0, 0, 0, 0, 0, offset)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", *fields) + raw)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), out.tell() - start, start, 0))
    return out.getvalue()


def write_bomb(path, side: int = 16384, declare: bool = False) -> int:
    """Write the bomb to ``path``; W1.npy declares (side, side) float64.  Returns the size it inflates to.

    With ``declare`` the metadata declares W1 as (side, side) too (and b1 as (side,)), as an attacker
    who knows the format would; otherwise it declares the tiny net's (4, 3).
    """
    from fcnet.training.checkpoint import META, digest

    params = {"W1": np.ones((4, 3)), "b1": np.zeros(4), "W2": np.ones((5, 4)), "b2": np.zeros(5)}
    shapes = {k: list(v.shape) for k, v in params.items()}
    if declare:
        shapes.update(W1=[side, side], b1=[side])
    meta = {
        "format": "fcnet-params/1",
        "shapes": shapes,
        "dtypes": {k: v.dtype.str for k, v in params.items()},
        "sha256": digest(params),
    }
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (side, side)})
    header = header.getvalue()
    n_zeros = side * side * 8
    crc = crc32_of_zeros(n_zeros, zlib.crc32(header))
    members = [("W1.npy", deflate_zeros(header, n_zeros), 8, crc, len(header) + n_zeros)]
    for name in ("b1", "W2", "b2"):
        data = npy_bytes(params[name])
        members.append((f"{name}.npy", data, 0, zlib.crc32(data), len(data)))
    data = npy_bytes(np.array(json.dumps(meta)))
    members.append((f"{META}.npy", data, 0, zlib.crc32(data), len(data)))
    with open(path, "wb") as fh:
        fh.write(zip_bytes(members))
    return len(header) + n_zeros
