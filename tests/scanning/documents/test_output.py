from __future__ import annotations

import subprocess

import numpy as np
import pikepdf
import pytest
import zxingcpp

from scanning.documents import pipeline, synthetic
from scanning.documents.codes import detect_codes
from scanning.documents.encode import encode_g4, write_pdf
from scanning.documents.model import ColourMode, Page
from scanning.documents.processing import process_page

from .conftest import need_tool


def test_form_page_is_small_and_close_to_plain_g4(text_page_300):
    page = synthetic.add_noise(synthetic.skew(text_page_300, 1.5), 5.0)
    [result] = process_page(Page(0, page, 300))
    assert result.mode is ColourMode.BILEVEL and result.encoded is not None
    size = len(result.encoded.data)
    assert size <= 60 * 1024
    # The same page cleaned (straight, no noise) as plain G4: the pipeline's output is within 1.1x.
    reference = len(encode_g4(text_page_300 < 128, 300))
    assert size <= 1.1 * reference, (size, reference)


def test_pdf_embeds_g4_and_jpeg_without_reencoding(tmp_path, text_page_300):
    text = process_page(Page(0, text_page_300, 300))[0].encoded
    blank = synthetic.blank_page(300)
    seal = process_page(Page(1, synthetic.add_red_seal(blank, 300), 300))[0].encoded
    grey = process_page(Page(2, pipeline.to_grey(synthetic.add_photo(blank, 300)), 300))[0].encoded
    assert text and seal and grey
    assert [p.mode for p in (text, seal, grey)] == [ColourMode.BILEVEL, ColourMode.COLOUR, ColourMode.GREY]
    out = write_pdf([text, seal, grey], tmp_path / "out.pdf")
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 3
        streams = []
        for page in pdf.pages:
            [image] = list(page.get_images().values())
            filters = image.Filter
            name = str(filters[0]) if isinstance(filters, pikepdf.Array) else str(filters)
            streams.append((name, image.read_raw_bytes()))
        # A4 at 300 dpi gives an A4 page.
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]
    assert streams[0][0] == "/CCITTFaxDecode"
    assert streams[1][0] == "/DCTDecode" and streams[1][1] == seal.data  # the JPEG bytes as they were
    assert streams[2][0] == "/DCTDecode" and streams[2][1] == grey.data
    listing = subprocess.run([need_tool("pdfimages"), "-list", str(out)], capture_output=True, text=True)
    rows = [line.split() for line in listing.stdout.splitlines()[2:]]
    assert [r[8] for r in rows] == ["ccitt", "jpeg", "jpeg"]
    assert [r[5] for r in rows] == ["gray", "rgb", "gray"]


def test_pdf_render_matches_page(tmp_path, text_page_300):
    encoded = process_page(Page(0, text_page_300, 300))[0].encoded
    assert encoded
    out = write_pdf([encoded], tmp_path / "one.pdf")
    subprocess.run(
        [need_tool("pdftoppm"), "-r", "100", "-gray", "-singlefile", str(out), str(tmp_path / "r")],
        check=True,
    )
    from PIL import Image

    rendered = np.asarray(Image.open(tmp_path / "r.pgm"))
    original = pipeline.reduce(text_page_300, 300, 100)[0]
    assert abs(rendered.shape[0] - original.shape[0]) <= 1 and abs(rendered.shape[1] - original.shape[1]) <= 1
    h, w = min(rendered.shape[0], original.shape[0]), min(rendered.shape[1], original.shape[1])
    rendered, original = rendered[:h, :w], original[:h, :w]
    # The text sits in the same rows: compare the row profiles.
    rows_r, rows_o = (rendered < 128).sum(axis=1), (original < 128).sum(axis=1)
    assert np.corrcoef(rows_r, rows_o)[0, 1] > 0.9
    # Ink lands where the text is (not inverted, not shifted).
    assert abs(float(rendered.mean()) - float(original.mean())) < 8


def test_qr_and_barcode_are_decoded_with_positions(text_page_300):
    page = text_page_300.copy()
    qr = np.asarray(
        zxingcpp.write_barcode_to_image(zxingcpp.create_barcode("BA-2026-000123", zxingcpp.QRCode), scale=8)
    )
    bar = np.asarray(
        zxingcpp.write_barcode_to_image(zxingcpp.create_barcode("HT20260001", zxingcpp.Code128), scale=4)
    )
    page[2900 : 2900 + qr.shape[0], 1800 : 1800 + qr.shape[1]] = qr
    page[3200 : 3200 + max(bar.shape[0], 120), 300 : 300 + bar.shape[1]] = np.resize(
        bar, (max(bar.shape[0], 120), bar.shape[1])
    )
    skewed = synthetic.skew(page, 2.0)
    codes = detect_codes(skewed)
    texts = {c.text: c for c in codes}
    assert set(texts) == {"BA-2026-000123", "HT20260001"}
    x0, y0, _, _ = texts["BA-2026-000123"].box
    assert 1650 < x0 < 1900 and 2750 < y0 < 3050
    assert texts["HT20260001"].format == "Code128"


def test_blank_page_has_no_codes():
    assert detect_codes(synthetic.blank_page(dpi=150)) == []


@pytest.mark.parametrize("quality", [50, 90])
def test_jpeg_quality_changes_size(text_page_150, quality):
    from scanning.documents.encode import encode_jpeg

    low, high = len(encode_jpeg(text_page_150, 150, 50)), len(encode_jpeg(text_page_150, 150, 90))
    assert low < high
    data = encode_jpeg(text_page_150, 150, quality)
    assert data[13:18] == b"\x01\x00\x96\x00\x96"  # JFIF density: 150 dpi
