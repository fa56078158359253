"""A zip bomb in fcnet's checkpoint format, built in milliseconds (for the tests and the benchmark).

`write_bomb` writes a valid ``.npz``: the metadata and b1, W2, b2 of a tiny
net (W1 declared (4, 3)), but its ``W1.npy`` entry inflates from about 2 MB to
2 GiB of zeros behind an .npy header declaring (16384, 16384) float64.  The zip
is well formed, CRC-32 included, so a loader that inflates before it checks
sizes pays for all 2 GiB.

The deflate stream is written by hand (RFC 1951): a fixed-Huffman block with
the header's bytes and 8 zeros as literals, then one dynamic-Huffman block of
8,323,580 copies of "258 bytes from distance 1", each coded in 2 bits (length
code 285 and distance code 0 get 1-bit codes), the 1032:1 ratio zlib itself
reaches on zeros.  The CRC-32 of 2 GiB of zeros comes from zlib's
``crc32_combine`` algorithm (GF(2) matrices), not from reading 2 GiB.
"""

from __future__ import annotations

import functools
import io
import json
import struct
import zlib

import numpy as np

MATCH = 258  # the longest deflate match


class _Bits:
    """An LSB-first bit writer, as deflate packs its stream."""

    def __init__(self):
        self.acc, self.n, self.out = 0, 0, bytearray()

    def value(self, v: int, width: int):  # header fields and extra bits: least significant bit first
        self.acc |= v << self.n
        self.n += width
        while self.n >= 8:
            self.out.append(self.acc & 0xFF)
            self.acc >>= 8
            self.n -= 8

    def code(self, code: int, width: int):  # Huffman codes: most significant bit first
        self.value(int(f"{code:0{width}b}"[::-1], 2), width)

    def zeros(self, n_bits: int):
        while self.n % 8 and n_bits:
            self.value(0, 1)
            n_bits -= 1
        self.out.extend(bytes(n_bits // 8))
        self.value(0, n_bits % 8)

    def finish(self) -> bytes:
        if self.n:
            self.out.append(self.acc & 0xFF)
        return bytes(self.out)


def _fixed_literal(bits: _Bits, byte: int):
    if byte <= 143:
        bits.code(0x30 + byte, 8)
    else:
        bits.code(0x190 + byte - 144, 9)


def deflate_zeros(prefix: bytes, n_zeros: int) -> bytes:
    """A raw deflate stream of ``prefix`` followed by ``n_zeros`` zero bytes (n_zeros ≡ 8 mod 258)."""
    matches, rest = divmod(n_zeros - 8, MATCH)
    assert rest == 0, "n_zeros - 8 must be a multiple of 258"
    bits = _Bits()
    bits.value(0, 1), bits.value(1, 2)  # not final, fixed Huffman
    for byte in prefix + bytes(8):
        _fixed_literal(bits, byte)
    bits.code(0, 7)  # end of block (symbol 256)
    bits.value(1, 1), bits.value(2, 2)  # final, dynamic Huffman
    bits.value(286 - 257, 5), bits.value(0, 5), bits.value(18 - 4, 4)  # HLIT, HDIST (1 code), HCLEN
    # code lengths of the code-length alphabet, in RFC order: 18 -> 1 bit, 2 -> 2 bits, 1 -> 2 bits
    lengths = {18: 1, 2: 2, 1: 2}
    for sym in (16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1):
        bits.value(lengths.get(sym, 0), 3)
    cl_code = {18: (0b0, 1), 1: (0b10, 2), 2: (0b11, 2)}  # canonical: 18 first (1 bit), then 1 and 2
    # literal/length lengths: 0 -> 2, 1..255 -> 0, 256 -> 2, 257..284 -> 0, 285 -> 1; then distance 0 -> 1
    for sym, extra in ((2, None), (18, 127), (18, 106), (2, None), (18, 17), (1, None), (1, None)):
        bits.code(*cl_code[sym])
        if extra is not None:
            bits.value(extra, 7)  # 18: 11 + extra zeros
    # canonical codes: 285 -> "0"; 0 -> "10", 256 -> "11"; distance 0 -> "0": every match is two 0 bits
    bits.zeros(2 * matches)
    bits.code(0b11, 2)  # end of block
    return bits.finish()


def _gf2_times(mat, vec):
    total, i = 0, 0
    while vec:
        if vec & 1:
            total ^= mat[i]
        vec, i = vec >> 1, i + 1
    return total


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A + B from crc32(A), crc32(B) and len(B): zlib's crc32_combine."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # one zero bit
    even = [_gf2_times(odd, odd[n]) for n in range(32)]  # two
    odd = [_gf2_times(even, even[n]) for n in range(32)]  # four
    while True:
        even = [_gf2_times(odd, odd[n]) for n in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = [_gf2_times(even, even[n]) for n in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


@functools.cache
def crc32_of_zeros(n: int) -> int:
    """CRC-32 of n zero bytes, by doubling from one."""
    crc, length, total = zlib.crc32(b"\0"), 1, 0
    while n:
        if n & 1:
            total = crc32_combine(total, crc, length)
        crc, length, n = crc32_combine(crc, crc, length), 2 * length, n >> 1
    return total


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
    crc = crc32_combine(zlib.crc32(header), crc32_of_zeros(n_zeros), n_zeros)
    members = [("W1.npy", deflate_zeros(header, n_zeros), 8, crc, len(header) + n_zeros)]
    for name in ("b1", "W2", "b2"):
        data = npy_bytes(params[name])
        members.append((f"{name}.npy", data, 0, zlib.crc32(data), len(data)))
    data = npy_bytes(np.array(json.dumps(meta)))
    members.append((f"{META}.npy", data, 0, zlib.crc32(data), len(data)))
    with open(path, "wb") as fh:
        fh.write(zip_bytes(members))
    return len(header) + n_zeros
