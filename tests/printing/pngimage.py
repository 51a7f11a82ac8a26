"""A minimal PNG reader for 8-bit greyscale or RGB images (what ``pdftoppm -png`` writes).

The golden-image tests compare page renders without an imaging library.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Gray:
    width: int
    height: int
    pixels: bytes  # row-major, one byte per pixel


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_gray(path: Path) -> Gray:
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    pos, idat = 8, b""
    width = height = 0
    bpp = 1
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (0, 2) or interlace:
                raise ValueError(f"{path}: only 8-bit greyscale or RGB, non-interlaced PNGs are supported")
            bpp = 1 if colour == 0 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    out = bytearray()
    prev = bytearray(stride)
    for y in range(height):
        filt = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up = prev[x]
            up_left = prev[x - bpp] if x >= bpp else 0
            if filt == 1:
                line[x] = (line[x] + left) & 0xFF
            elif filt == 2:
                line[x] = (line[x] + up) & 0xFF
            elif filt == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif filt == 4:
                line[x] = (line[x] + _paeth(left, up, up_left)) & 0xFF
        out += line if bpp == 1 else bytes(sum(line[i : i + 3]) // 3 for i in range(0, stride, 3))
        prev = line
    return Gray(width, height, bytes(out))


def difference(a: Gray, b: Gray) -> tuple[float, float]:
    """(mean absolute difference in 0–255, fraction of pixels differing by more than 64)."""
    if (a.width, a.height) != (b.width, b.height):
        return 255.0, 1.0
    total = 0
    far = 0
    for p, q in zip(a.pixels, b.pixels, strict=True):
        d = abs(p - q)
        total += d
        far += d > 64
    n = len(a.pixels)
    return total / n, far / n
