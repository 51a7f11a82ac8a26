"""Mixed pages (text with a red seal or a photo): two layers, small, seal still red, text pixel-exact."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pytest
from PIL import Image as PILImage

from scanning.documents import pipeline, synthetic
from scanning.documents.encode import decode_g4, decode_page, g4_strip, pdf_document, rotate_page, write_pdf
from scanning.documents.model import ColourMode, Image, Page
from scanning.documents.processing import PipelineSettings, process_page
from scanning.documents.sink import PageRecord

from .conftest import need_tool

DPI = 300
SEAL = (synthetic.mm_to_px(150, DPI), synthetic.mm_to_px(240, DPI), synthetic.mm_to_px(22, DPI))
"""Centre x, centre y and half the box of the synthetic seal (``add_red_seal``'s default place)."""


@pytest.fixture(scope="module")
def sealed(text_page_300: Image) -> Image:
    return synthetic.add_noise(synthetic.add_red_seal(text_page_300, DPI), 4.0)


def _render(pdf: Path, tmp_path: Path, dpi: int = DPI) -> Image:
    stem = tmp_path / pdf.stem
    subprocess.run([need_tool("pdftoppm"), "-r", str(dpi), "-singlefile", str(pdf), str(stem)], check=True)
    return np.asarray(PILImage.open(stem.with_suffix(".ppm")).convert("RGB"))


def _outside_seal(shape: tuple[int, ...]) -> np.ndarray:
    cx, cy, half = SEAL
    mask = np.ones(shape[:2], bool)
    mask[cy - half : cy + half, cx - half : cx + half] = False
    return mask


def test_text_with_seal_is_two_layers_small_red_and_pixel_exact(tmp_path, sealed):
    [result] = process_page(Page(0, sealed, DPI))
    assert result.mode is ColourMode.MIXED and result.encoded is not None
    page = result.encoded
    assert page.mask is not None and page.ink == (0, 0, 0)
    assert page.size <= 120 * 1024, page.size
    # The background is a 100 dpi JPEG of the same A4.
    with PILImage.open(io.BytesIO(page.data)) as bg:
        assert bg.format == "JPEG" and bg.mode == "RGB" and abs(bg.size[0] - 827) <= 2
    out = write_pdf([page], tmp_path / "mixed.pdf")
    rendered = _render(out, tmp_path)
    assert rendered.shape[:2] == sealed.shape[:2]
    # The seal is still red: hue within ±20° of red, saturated, over most of its strokes.
    cx, cy, half = SEAL
    hsv = cv2.cvtColor(
        np.ascontiguousarray(rendered[cy - half : cy + half, cx - half : cx + half]), cv2.COLOR_RGB2HSV
    )
    red = ((hsv[..., 0] <= 10) | (hsv[..., 0] >= 170)) & (hsv[..., 1] > 120) & (hsv[..., 2] > 120)
    seal_strokes = (sealed[cy - half : cy + half, cx - half : cx + half, 0] > 150) & (
        sealed[cy - half : cy + half, cx - half : cx + half, 1] < 110
    )
    assert red.sum() > 0.6 * seal_strokes.sum(), (red.sum(), seal_strokes.sum())
    # No black ink drawn over the seal (its dark-red strokes are not text).
    assert (
        cv2.cvtColor(rendered, cv2.COLOR_RGB2GRAY)[cy - half : cy + half, cx - half : cx + half] < 40
    ).sum() < 50
    # The text layer as rendered is the cleaned bilevel page, pixel for pixel, outside the seal.
    clean = pipeline.bilevel(sealed, DPI)
    shown = cv2.cvtColor(rendered, cv2.COLOR_RGB2GRAY) < 128
    outside = _outside_seal(shown.shape)
    differ = int(((shown ^ clean) & outside).sum())
    assert differ <= 0.01 * int((clean & outside).sum()), differ


def test_pdf_has_background_image_then_g4_stencil_mask_as_encoded(tmp_path, sealed):
    page = process_page(Page(0, sealed, DPI))[0].encoded
    assert page is not None and page.mask is not None
    with pikepdf.open(io.BytesIO(pdf_document([page]))) as pdf:
        [pdf_page] = pdf.pages
        xobjects = pdf_page.Resources.XObject
        background, mask = xobjects.Bg, xobjects.Fg
        assert background.Filter == pikepdf.Name.DCTDecode and background.read_raw_bytes() == page.data
        assert background.ColorSpace == pikepdf.Name.DeviceRGB and int(background.Width) < page.width
        assert bool(mask.ImageMask) and mask.Filter == pikepdf.Name.CCITTFaxDecode
        assert int(mask.DecodeParms.K) == -1 and (int(mask.Width), int(mask.Height)) == (
            page.width,
            page.height,
        )
        assert mask.read_raw_bytes() == g4_strip(page.mask)[0]  # the G4 strip byte for byte
        content = pdf_page.Contents.read_bytes().decode("ascii")
        assert content.index("/Bg Do") < content.index("0.0000 0.0000 0.0000 rg") < content.index("/Fg Do")
        assert [round(float(v)) for v in pdf_page.MediaBox] == [0, 0, 595, 842]
    listing = subprocess.run(
        [need_tool("pdfimages"), "-list", str(write_pdf([page], tmp_path / "m.pdf"))],
        capture_output=True,
        text=True,
    )
    rows = [line.split() for line in listing.stdout.splitlines()[2:]]
    assert [(r[2], r[8]) for r in rows] == [("image", "jpeg"), ("stencil", "ccitt")]
    assert [r[12] for r in rows] == ["100", "300"]  # x-ppi: background 100 dpi, text 300 dpi


def test_text_with_photo_keeps_the_photo_in_the_background(tmp_path, text_page_300):
    photo_box = (25, 150, 120, 90)
    page = synthetic.add_photo(text_page_300, DPI, photo_box)
    [result] = process_page(Page(0, page, DPI))
    assert result.mode is ColourMode.MIXED and result.encoded is not None
    assert result.encoded.size <= 120 * 1024
    rendered = _render(write_pdf([result.encoded], tmp_path / "photo.pdf"), tmp_path, 100)
    x, y, w, h = (synthetic.mm_to_px(v, 100) for v in photo_box)
    inner = rendered[y + 10 : y + h - 10, x + 10 : x + w - 10].astype(np.float32)
    original = pipeline.reduce(page, DPI, 100)[0][y + 10 : y + h - 10, x + 10 : x + w - 10].astype(np.float32)
    # The photo keeps its tones (not thresholded, not washed out): close to the original.
    assert float(np.abs(inner - original).mean()) < 12
    assert float(inner.std()) > 30
    # And the text above it is still there, sharp: the text rows render as the bilevel page.
    top = pipeline.reduce(pipeline.bilevel(page, DPI).view(np.uint8) * 255, DPI, 100)[0][: y - 20] > 127
    shown = cv2.cvtColor(rendered, cv2.COLOR_RGB2GRAY)[: y - 20] < 128
    assert abs(int(shown.sum()) - int(top.sum())) < 0.15 * int(top.sum())


def test_seal_alone_stays_colour_and_plain_text_stays_bilevel(text_page_300):
    seal_only = synthetic.add_red_seal(synthetic.blank_page(DPI), DPI)
    assert process_page(Page(0, seal_only, DPI))[0].mode is ColourMode.COLOUR
    assert process_page(Page(0, text_page_300, DPI))[0].mode is ColourMode.BILEVEL


def test_forced_mixed_on_a_grey_page_has_a_grey_background(text_page_150):
    [result] = process_page(Page(0, text_page_150, 150), PipelineSettings(colour=ColourMode.MIXED))
    assert result.mode is ColourMode.MIXED and result.encoded is not None
    with PILImage.open(io.BytesIO(result.encoded.data)) as bg:
        assert bg.mode == "L"
    assert decode_page(result.encoded).shape == (*text_page_150.shape, 3)


def test_mixed_page_survives_the_recovery_record_and_a_rotation(sealed):
    page = process_page(Page(0, sealed, DPI))[0].encoded
    assert page is not None
    [back] = PageRecord.unpack(PageRecord(0, (page,)).pack()).pages
    assert back == page
    turned = rotate_page(page, 1)
    assert turned.mode is ColourMode.MIXED and (turned.width, turned.height) == (page.height, page.width)
    # The text layer turns losslessly; the background (JPEG again) stays within a few levels.
    assert page.mask is not None and turned.mask is not None
    assert np.array_equal(np.rot90(decode_g4(page.mask), k=-1), decode_g4(turned.mask))
    before, after = np.rot90(decode_page(page), k=-1).astype(np.int16), decode_page(turned).astype(np.int16)
    assert float(np.abs(before - after).mean()) < 3


def test_mixed_and_old_records_read_back():
    entry = b'{"mode": "grey", "dpi": 300, "width": 2, "height": 2, "size": 3}'
    old = b'{"v": 1, "source_index": 0, "pages": [' + entry + b"]}\nabc"
    [page] = PageRecord.unpack(old).pages
    assert page.mask is None and page.data == b"abc"
    with pytest.raises(ValueError):
        PageRecord.unpack(old[:-1])
