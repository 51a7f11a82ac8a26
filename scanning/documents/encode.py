"""Page compression and the PDF writer.

Bilevel pages become CCITT Group 4 TIFFs (Pillow through libtiff), grey and colour pages JPEGs
(OpenCV's libjpeg-turbo). Mixed pages (text with a seal or a photo) are two layers, as in the MRC
model of ITU-T T.44: the text as a full-resolution G4 image mask drawn in the ink colour over a
low-resolution colour JPEG background that keeps the seal and any photo.

:func:`pdf_document` builds the PDF with pikepdf (qpdf): G4 strips go in as ``CCITTFaxDecode`` and
JPEGs as ``DCTDecode`` streams byte for byte, never decoded or re-encoded; a mixed page is one page
with two images, the background ``/Image`` first, then the text ``/ImageMask`` on top (ISO 32000-1
§8.9.6.2, stencil masking).

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
import numpy as np
import numpy.typing as npt
import pikepdf
from PIL import Image as PILImage
from PIL import TiffImagePlugin

from scanning.documents.model import ColourMode, Image

JPEG_QUALITY_GREY = 75
"""JPEG quality of grey pages: 300 dpi text stays sharp at 100 % zoom."""

JPEG_QUALITY_COLOUR = 70
"""JPEG quality of colour pages (chroma is subsampled 4:2:0)."""

JPEG_QUALITY_BACKGROUND = 60
"""JPEG quality of a mixed page's background (no text left in it: seals and photos only)."""

BLACK: tuple[int, int, int] = (0, 0, 0)


@dataclass(frozen=True)
class EncodedPage:
    """A compressed page ready for the PDF.

    Attributes:
        data: the file bytes (TIFF G4 or JPEG); for a mixed page the background JPEG, whose own
            resolution (in its JFIF header, :attr:`background_dpi`) is lower than the page's.
        mode: bilevel, grey, colour or mixed.
        dpi: resolution of the page (of the text mask for a mixed page).
        width: pixels at ``dpi``.
        height: pixels at ``dpi``.
        mask: a mixed page's text layer, a G4 TIFF of ``width`` × ``height`` (``True`` pixels are ink).
        ink: the colour the text layer is drawn in (RGB).
    """

    data: bytes
    mode: ColourMode
    dpi: int
    width: int
    height: int
    mask: bytes | None = None
    ink: tuple[int, int, int] = BLACK

    def __post_init__(self) -> None:
        if (self.mode is ColourMode.MIXED) != (self.mask is not None):
            raise ValueError("a mixed page needs a text mask, and only a mixed page has one")

    @property
    def media_type(self) -> str:
        """``image/tiff`` or ``image/jpeg`` (for a mixed page: its background's)."""
        return "image/tiff" if self.mode is ColourMode.BILEVEL else "image/jpeg"

    @property
    def size(self) -> int:
        """Bytes stored for the page (both layers of a mixed page)."""
        return len(self.data) + len(self.mask or b"")


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


def g4_strip(tiff: bytes) -> tuple[bytes, int, int, bool]:
    """The raw G4 data of a single-strip TIFF made by :func:`encode_g4`, its size, and its polarity.

    Returns:
        ``(data, width, height, black_is_1)``: ``black_is_1`` is the PDF ``BlackIs1`` flag that shows
        the TIFF's ink as ink (TIFF photometric 1, min-is-black, codes ink as CCITT white).

    Raises:
        ValueError: not a single-strip, fill-order-1 CCITT G4 TIFF.
    """
    with PILImage.open(io.BytesIO(tiff)) as image:
        if not isinstance(image, TiffImagePlugin.TiffImageFile):
            raise ValueError("not a TIFF")
        tags = image.tag_v2
        offsets, counts = tags.get(273), tags.get(279)
        if (
            tags.get(259) != 4
            or tags.get(266, 1) != 1
            or offsets is None
            or counts is None
            or len(offsets) != 1
        ):
            raise ValueError("not a single-strip CCITT G4 TIFF")
        width, height = image.size
        photometric = int(tags.get(262, 0))
    start, length = int(offsets[0]), int(counts[0])
    return tiff[start : start + length], width, height, photometric == 1


def _ccitt_params(width: int, height: int, black_is_1: bool) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(K=-1, Columns=width, Rows=height, BlackIs1=black_is_1)


def _jpeg_xobject(pdf: pikepdf.Pdf, data: bytes) -> pikepdf.Stream:
    with PILImage.open(io.BytesIO(data)) as image:
        if image.format != "JPEG" or image.mode not in ("L", "RGB"):
            raise ValueError(f"not a grey or RGB JPEG: {image.format} {image.mode}")
        (width, height), space = image.size, "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
    stream = pikepdf.Stream(pdf, data)
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width, stream.Height = width, height
    stream.ColorSpace, stream.BitsPerComponent = pikepdf.Name(space), 8
    stream.Filter = pikepdf.Name.DCTDecode
    return stream


def _g4_xobject(pdf: pikepdf.Pdf, tiff: bytes, *, mask: bool) -> pikepdf.Stream:
    data, width, height, black_is_1 = g4_strip(tiff)
    stream = pikepdf.Stream(pdf, data)
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width, stream.Height = width, height
    stream.BitsPerComponent = 1
    if mask:
        # A stencil: decoded 0 (ink, see g4_strip) paints in the fill colour, 1 leaves the page.
        stream.ImageMask = True
    else:
        stream.ColorSpace = pikepdf.Name.DeviceGray
    stream.Filter = pikepdf.Name.CCITTFaxDecode
    stream.DecodeParms = _ccitt_params(width, height, black_is_1)
    return stream


def _page(pdf: pikepdf.Pdf, page: EncodedPage) -> pikepdf.Dictionary:
    w_pt, h_pt = page.width * 72.0 / page.dpi, page.height * 72.0 / page.dpi
    place = f"{w_pt:.4f} 0 0 {h_pt:.4f} 0 0 cm"
    if page.mode is ColourMode.BILEVEL:
        images = {"/Im0": _g4_xobject(pdf, page.data, mask=False)}
        content = f"q {place} /Im0 Do Q"
    elif page.mode is ColourMode.MIXED:
        assert page.mask is not None  # checked by EncodedPage
        images = {"/Bg": _jpeg_xobject(pdf, page.data), "/Fg": _g4_xobject(pdf, page.mask, mask=True)}
        r, g, b = (c / 255.0 for c in page.ink)
        content = f"q {place} /Bg Do Q q {r:.4f} {g:.4f} {b:.4f} rg {place} /Fg Do Q"
    else:
        images = {"/Im0": _jpeg_xobject(pdf, page.data)}
        content = f"q {place} /Im0 Do Q"
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, round(w_pt, 4), round(h_pt, 4)],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(images)),
        Contents=pikepdf.Stream(pdf, content.encode("ascii")),
    )


def pdf_document(pages: Sequence[EncodedPage], title: str = "") -> bytes:
    """The pages as one PDF in memory, each image embedded as it was compressed; no timestamps.

    Args:
        pages: the encoded pages, in order.
        title: the document title in its metadata (no personal data).
    """
    pdf = pikepdf.new()
    for page in pages:
        pdf.pages.append(pikepdf.Page(pdf.make_indirect(_page(pdf, page))))
    pdf.docinfo[pikepdf.Name.Producer] = "Yichuang"
    if title:
        pdf.docinfo[pikepdf.Name.Title] = title
    out = io.BytesIO()
    # The image streams are kept as they are: qpdf neither decodes nor recompresses DCT/CCITT data.
    pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def write_pdf(pages: Sequence[EncodedPage], out_path: Path, title: str = "") -> Path:
    """Write ``pages`` as one PDF (:func:`pdf_document`), atomically (temp file + rename).

    Args:
        pages: the encoded pages, in order.
        out_path: where the PDF goes.
        title: the document title in its metadata (no personal data).

    Returns:
        ``out_path``.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    pdf = pdf_document(pages, title)
    fd, tmp = tempfile.mkstemp(prefix=".scan-", suffix=".pdf", dir=out_path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out_path


def decode_page(page: EncodedPage) -> Image:
    """The pixels of an encoded page: RGB for colour and mixed pages, grey otherwise (bilevel 0/255).

    A mixed page is composed as the PDF shows it: the background scaled to the page, the ink on top.
    """
    if page.mode is ColourMode.BILEVEL:
        return decode_g4(page.data)
    buffer = np.frombuffer(page.data, dtype=np.uint8)
    if page.mode is ColourMode.GREY:
        return np.ascontiguousarray(cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE))
    bgr = cv2.imdecode(buffer, cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError("not a JPEG page")
    rgb = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    if page.mode is ColourMode.COLOUR:
        return rgb
    assert page.mask is not None
    return compose(rgb, decode_g4(page.mask) < 128, page.ink)


def decode_g4(tiff: bytes) -> Image:
    """A G4 TIFF's pixels as grey 0 (ink) / 255 (paper)."""
    with PILImage.open(io.BytesIO(tiff)) as image:
        return np.asarray(image.convert("L"), dtype=np.uint8).copy()


def compose(background: Image, ink: npt.NDArray[np.bool_], colour: tuple[int, int, int] = BLACK) -> Image:
    """A mixed page's two layers as one RGB image at the mask's size."""
    h, w = ink.shape
    page = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    if page.ndim == 2:
        page = cv2.cvtColor(page, cv2.COLOR_GRAY2RGB)
    page[ink] = colour
    return np.ascontiguousarray(page)


def rotate_page(page: EncodedPage, quarter_turns: int, jpeg_quality: int | None = None) -> EncodedPage:
    """The page turned clockwise by ``quarter_turns`` × 90°.

    G4 layers stay lossless; JPEG layers are decoded, turned and encoded again.
    """
    turns = quarter_turns % 4
    if turns == 0:
        return page
    if page.mode is ColourMode.BILEVEL:
        ink = np.ascontiguousarray(np.rot90(decode_g4(page.data), k=-turns)) < 128
        return EncodedPage(encode_g4(ink, page.dpi), page.mode, page.dpi, ink.shape[1], ink.shape[0])
    if page.mode is ColourMode.MIXED:
        assert page.mask is not None
        ink = np.ascontiguousarray(np.rot90(decode_g4(page.mask), k=-turns)) < 128
        background = decode_jpeg(page.data)
        turned = np.ascontiguousarray(np.rot90(background, k=-turns))
        bg_dpi = jpeg_dpi(page.data) or page.dpi
        data = encode_jpeg(turned, bg_dpi, jpeg_quality or JPEG_QUALITY_BACKGROUND)
        return EncodedPage(
            data, page.mode, page.dpi, ink.shape[1], ink.shape[0], encode_g4(ink, page.dpi), page.ink
        )
    pixels = np.ascontiguousarray(np.rot90(decode_page(page), k=-turns))
    h, w = pixels.shape[:2]
    return EncodedPage(encode_jpeg(pixels, page.dpi, jpeg_quality), page.mode, page.dpi, w, h)


def decode_jpeg(data: bytes) -> Image:
    """A JPEG's pixels, RGB or grey as stored."""
    with PILImage.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB" if image.mode != "L" else "L"), dtype=np.uint8).copy()


def jpeg_dpi(data: bytes) -> int | None:
    """The resolution a JPEG's JFIF header records (``None`` when it records none in inches)."""
    if data[2:4] == b"\xff\xe0" and data[6:11] == b"JFIF\x00" and data[13] == 1:
        return int(struct.unpack(">H", data[14:16])[0])
    return None
