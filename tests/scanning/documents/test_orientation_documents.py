"""Orientation on real document pages: our own printed forms (申请书, 询问笔录, 受理凭证 …) as scanned.

The pages come from ``printing`` (the documents the window prints for a case), rasterised by poppler's
``pdftoppm -r 300`` like a 300 dpi scan, then turned by 90°, 180° and 270°, tilted 1.2° and given
scanner noise. Forms are mostly tables: the cue synthetic paragraphs never exercised.
"""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PIL import Image

from printing import render_set
from scanning.documents import pipeline, synthetic
from scanning.documents.model import Page
from scanning.documents.processing import PipelineSettings, process_page
from tests.printing.helpers import example_case, make_ctx

from .conftest import need_tool

CASES = ("second_hand_sale", "mortgage_first")


@pytest.fixture(scope="module")
def printed_pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, np.ndarray]]:
    folder = tmp_path_factory.mktemp("printed")
    pages = []
    for type_id in CASES:
        case = example_case(type_id)
        pdf = folder / f"{type_id}.pdf"
        pdf.write_bytes(render_set(case, make_ctx(case)))
        subprocess.run(
            [need_tool("pdftoppm"), "-r", "300", "-gray", str(pdf), str(folder / type_id)], check=True
        )
        for image in sorted(folder.glob(f"{type_id}-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
            pages.append((image.stem, np.asarray(Image.open(image))))
    assert len(pages) >= 10
    return pages


def test_printed_forms_are_turned_upright(printed_pages: list[tuple[str, np.ndarray]]) -> None:
    wrong = []
    for name, page in printed_pages:
        noisy = synthetic.add_noise(page, 5.0)
        for turn in (0, 90, 180, 270):
            fix = pipeline.detect_orientation(pipeline.rotate_quarter(noisy, turn), 300)
            if (turn + fix) % 360:
                wrong.append((name, turn, fix))
    assert wrong == []


def test_tilted_upside_down_form_comes_out_upright(printed_pages: list[tuple[str, np.ndarray]]) -> None:
    name, page = printed_pages[0]  # the application form: one big table
    scanned = synthetic.add_noise(synthetic.skew(pipeline.rotate_quarter(page, 180), 1.2), 5.0)
    [result] = process_page(Page(0, scanned, 300), PipelineSettings(drop_blank=False))
    assert result.rotation == 180 and abs(result.skew - 1.2) <= 0.2, name


def test_rules_are_removed_and_characters_kept() -> None:
    mask = np.zeros((300, 400), np.uint8)
    mask[50, 20:380] = 1  # a table rule
    mask[20:280, 30] = 1  # a column rule
    mask[100:120, 100:120] = 1  # a character-sized block
    kept = pipeline.strip_rules(mask, 75)
    assert kept[50, 200] == 0 and kept[150, 30] == 0
    assert kept[100:120, 100:120].all()


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_photos_and_seals_do_not_mislead_orientation(text_page_300, turn):
    # A photo or a seal in the lower half weighs like text there; orientation reads characters only.
    for page in (synthetic.add_photo(text_page_300, 300), synthetic.add_red_seal(text_page_300, 300)):
        assert (turn + pipeline.detect_orientation(pipeline.rotate_quarter(page, turn), 300)) % 360 == 0


def test_a_page_without_text_is_left_as_it_is():
    blank = synthetic.add_noise(synthetic.blank_page(dpi=300), 5.0)
    for level in (150, 185):
        signed = synthetic.add_pencil_signature(blank, 300, level=level)
        assert pipeline.detect_orientation(signed, 300) == 0
    assert pipeline.detect_orientation(synthetic.add_red_seal(blank, 300), 300) == 0
