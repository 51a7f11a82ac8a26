"""Barcodes and QR codes on pages (e.g. a contract's filing number printed as a code), with positions.

zxing-cpp (pip ``zxing-cpp``) reads QR, Data Matrix, PDF417, Code 128 and the rest; without it OpenCV's
``QRCodeDetector`` reads QR codes only.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from scanning.documents.model import Image
from scanning.documents.pipeline import to_grey


@dataclass(frozen=True)
class DetectedCode:
    """A decoded code.

    Attributes:
        text: the decoded content.
        format: ``QRCode``, ``Code128`` …
        corners: four (x, y) pixel corners, clockwise from top-left, in the image given.
    """

    text: str
    format: str
    corners: tuple[tuple[int, int], ...]

    @property
    def box(self) -> tuple[int, int, int, int]:
        """``(x0, y0, x1, y1)`` around the code."""
        xs = [c[0] for c in self.corners]
        ys = [c[1] for c in self.corners]
        return min(xs), min(ys), max(xs), max(ys)


def detect_codes(image: Image) -> list[DetectedCode]:
    """Every barcode and QR code readable on the page, top to bottom."""
    grey = np.ascontiguousarray(to_grey(image))
    try:
        import zxingcpp
    except ImportError:
        return _opencv_qr(grey)
    found = []
    for result in zxingcpp.read_barcodes(grey):
        if not result.valid:
            continue
        pos = result.position
        corners = tuple(
            (int(p.x), int(p.y)) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        )
        found.append(DetectedCode(result.text, result.format.name, corners))
    return sorted(found, key=lambda c: (c.box[1], c.box[0]))


def _opencv_qr(grey: Image) -> list[DetectedCode]:
    detector = cv2.QRCodeDetector()
    ok, texts, points, _ = detector.detectAndDecodeMulti(grey)
    if not ok or points is None:
        return []
    found = [
        DetectedCode(text, "QRCode", tuple((int(x), int(y)) for x, y in quad))
        for text, quad in zip(texts, points, strict=True)
        if text
    ]
    return sorted(found, key=lambda c: (c.box[1], c.box[0]))
