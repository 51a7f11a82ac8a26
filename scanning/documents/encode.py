"""Page compression and the PDF writer.

Bilevel pages become CCITT Group 4 TIFFs (Pillow through libtiff), grey and colour pages JPEGs
(OpenCV's libjpeg-turbo); :func:`write_pdf` puts them in a PDF with img2pdf, which embeds G4 as
``CCITTFaxDecode`` and JPEG as ``DCTDecode`` streams without decoding or re-encoding them.

JBIG2 would make text pages some 30-50 % smaller again, but no well-kept Python library writes it
(``jbig2enc`` is a C program with no maintained binding, and its generic-region-only mode gains little
over G4), so G4 it is.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import img2pdf  # type: ignore[import-untyped]  # img2pdf ships no type information
import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage

from scanning.documents.model import ColourMode, Image

JPEG_QUALITY_GREY = 75
"""JPEG quality of grey pages: 300 dpi text stays sharp at 100 % zoom."""

JPEG_QUALITY_COLOUR = 70
"""JPEG quality of colour pages (chroma is subsampled 4:2:0)."""


@dataclass(frozen=True)
class EncodedPage:
    """A compressed page ready for the PDF.

    Attributes:
        data: the file bytes (TIFF G4 or JPEG).
        mode: bilevel, grey or colour.
        dpi: resolution.
        width: pixels.
        height: pixels.
    """

    data: bytes
    mode: ColourMode
    dpi: int
    width: int
    height: int

    @property
    def media_type(self) -> str:
        """``image/tiff`` or ``image/jpeg``."""
        return "image/tiff" if self.mode is ColourMode.BILEVEL else "image/jpeg"


def encode_g4(ink: npt.NDArray[np.bool_], dpi: int) -> bytes:
    """A single-strip CCITT G4 TIFF of a bilevel page (``True`` is ink)."""
    h, w = ink.shape
    packed = np.packbits(~ink, axis=1)  # mode "1": a set bit is white
    image = PILImage.frombytes("1", (w, h), packed.tobytes())
    out = io.BytesIO()
    # One strip holding the whole page, so the PDF can carry the G4 stream as it is.
    image.save(out, format="TIFF", compression="group4", dpi=(dpi, dpi), strip_size=2**30)
    return out.getvalue()


def _set_jfif_density(data: bytes, dpi: int) -> bytes:
    """``data`` with the JFIF header's density set to ``dpi`` dots per inch (the PDF page size uses it)."""
    if data[2:4] == b"\xff\xe0" and data[6:11] == b"JFIF\x00":
        return data[:13] + struct.pack(">BHH", 1, dpi, dpi) + data[18:]
    return data


def encode_jpeg(image: Image, dpi: int, quality: int | None = None) -> bytes:
    """A baseline JPEG of a grey or RGB page with its dpi recorded."""
    if image.ndim == 3:
        q = JPEG_QUALITY_COLOUR if quality is None else quality
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, q])
    else:
        q = JPEG_QUALITY_GREY if quality is None else quality
        ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, q])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return _set_jfif_density(buf.tobytes(), dpi)


def write_pdf(pages: Sequence[EncodedPage], out_path: Path, title: str = "") -> Path:
    """Write ``pages`` as one PDF, each image embedded as compressed, atomically (temp file + rename).

    Args:
        pages: the encoded pages, in order.
        out_path: where the PDF goes.
        title: the document title in its metadata (no personal data).

    Returns:
        ``out_path``.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    pdf = img2pdf.convert(
        [p.data for p in pages],
        title=title or None,
        producer="Yichuang",
        creationdate=None,
        nodate=True,
    )
    fd, tmp = tempfile.mkstemp(prefix=".scan-", suffix=".pdf", dir=out_path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out_path
