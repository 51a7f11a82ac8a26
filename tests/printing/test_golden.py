"""Golden-image layout check of the core documents (application form, receipt).

A low-resolution greyscale render of each page is compared with the reference PNG committed in
``tests/printing/golden/``, with a tolerance for anti-aliasing differences between poppler builds.

To regenerate the references after an intended layout change, run::

    YICHUANG_UPDATE_GOLDEN=1 python -m pytest tests/printing/test_golden.py

then LOOK at the new PNGs (e.g. ``golden/application-1.png``) before committing them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from printing import render
from tests.printing.helpers import example_case, have_poppler, make_ctx, render_png
from tests.printing.pngimage import difference, read_gray

GOLDEN = Path(__file__).parent / "golden"
RESOLUTION = 30
MAX_MEAN_DIFFERENCE = 2.0  # of 255
MAX_FAR_FRACTION = 0.005  # pixels differing by more than a quarter of the range

pytestmark = pytest.mark.skipif(not have_poppler(), reason="poppler-utils not installed")


@pytest.mark.parametrize("doc_id", ["application", "receipt"])
def test_layout_matches_golden(doc_id: str, tmp_path: Path) -> None:
    case = example_case("second_hand_sale")
    pdf = render(doc_id, case, make_ctx(case))
    pages = render_png(pdf, tmp_path, RESOLUTION, gray=True)
    if os.environ.get("YICHUANG_UPDATE_GOLDEN"):
        for old in GOLDEN.glob(f"{doc_id}-*.png"):
            old.unlink()
        for n, page in enumerate(pages, 1):
            shutil.copy(page, GOLDEN / f"{doc_id}-{n}.png")
    references = sorted(GOLDEN.glob(f"{doc_id}-*.png"))
    assert len(pages) == len(references), f"{doc_id}: {len(pages)} pages, golden has {len(references)}"
    for page, reference in zip(pages, references, strict=True):
        mean, far = difference(read_gray(page), read_gray(reference))
        assert mean <= MAX_MEAN_DIFFERENCE and far <= MAX_FAR_FRACTION, (
            f"{reference.name}: mean difference {mean:.2f}, {far:.2%} of pixels far off; "
            f"see the module docstring to regenerate after an intended change"
        )


def test_golden_detects_a_changed_layout(tmp_path: Path) -> None:
    case = example_case("second_hand_sale")
    changed = case.model_copy(update={"remarks": "备注" * 200})  # a long remark pushes the layout down
    pages = render_png(render("application", changed, make_ctx(changed)), tmp_path, RESOLUTION, gray=True)
    mean, far = difference(read_gray(pages[0]), read_gray(GOLDEN / "application-1.png"))
    assert mean > MAX_MEAN_DIFFERENCE or far > MAX_FAR_FRACTION
