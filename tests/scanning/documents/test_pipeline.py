from __future__ import annotations

import numpy as np
import pytest

from scanning.documents import pipeline, synthetic
from scanning.documents.model import ColourMode, Image, Page
from scanning.documents.processing import PipelineSettings, process_page

SKEWS = [-10.0, -8.7, -6.25, -3.3, -1.1, -0.35, 0.0, 0.15, 0.8, 2.45, 4.0, 7.7, 9.9, 10.0]


@pytest.mark.parametrize("angle", SKEWS)
def test_deskew_within_0_2_degrees(text_page_150, angle):
    page = synthetic.add_noise(synthetic.skew(text_page_150, angle), 5.0, seed=int(angle * 10) % 97)
    estimate = pipeline.estimate_skew(page, 150)
    assert abs(estimate - angle) <= 0.2, (angle, estimate)


def test_deskew_at_300_dpi_on_dark_background(text_page_300):
    page = synthetic.on_background(synthetic.add_noise(synthetic.skew(text_page_300, -4.2), 5.0))
    [result] = process_page(Page(0, page, 300))
    assert abs(result.skew + 4.2) <= 0.2
    # The dark scanner border is gone: the page's outer band is paper.
    assert result.mode is ColourMode.BILEVEL
    edge = np.concatenate([result.image[:5].ravel(), result.image[-5:].ravel()])
    assert edge.mean() > 250


def test_deskewed_page_is_level(text_page_150):
    straight, removed = pipeline.deskew(synthetic.skew(text_page_150, 6.0), 150)
    assert abs(removed - 6.0) <= 0.2
    assert abs(pipeline.estimate_skew(straight, 150)) <= 0.2


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_orientation(text_page_150, turn):
    rotated = pipeline.rotate_quarter(text_page_150, turn)
    fix = pipeline.detect_orientation(rotated, 150)
    assert (turn + fix) % 360 == 0


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_orientation_upside_down_other_pages(cjk_font, seed):
    page = synthetic.text_page(chars=500, dpi=150, seed=seed)
    assert pipeline.detect_orientation(pipeline.rotate_quarter(page, 180), 150) == 180
    assert pipeline.detect_orientation(page, 150) == 0


def _blank(seed: int = 1, std: float = 6.0) -> Image:
    return synthetic.add_noise(synthetic.blank_page(dpi=300), std, seed=seed)


@pytest.mark.parametrize(("std", "specks"), [(3.0, 0), (6.0, 30), (9.0, 60)])
def test_blank_with_noise_and_specks_is_dropped(std, specks):
    page = (
        synthetic.add_specks(_blank(std=std), 300, count=specks, seed=specks) if specks else _blank(std=std)
    )
    assert pipeline.is_blank(page, 300)
    [result] = process_page(Page(3, page, 300))
    assert result.dropped and result.encoded is None


@pytest.mark.parametrize("level", [150, 185, 200])
def test_faint_pencil_signature_is_kept_and_stays_grey(level):
    page = synthetic.add_pencil_signature(_blank(std=5.0), 300, level=level)
    assert not pipeline.is_blank(page, 300)
    [result] = process_page(Page(0, page, 300))
    assert not result.dropped
    if level >= 185:
        assert result.mode is ColourMode.GREY  # a threshold would erase it
    # The signature is still visible in what is stored.
    region = result.image[-700:-400, -1000:-300]
    assert region.min() < 230


def test_page_with_only_a_red_seal_is_kept_in_colour():
    page = synthetic.add_red_seal(_blank(std=4.0), 300)
    assert not pipeline.is_blank(page, 300)
    report = pipeline.analyse_ink(page, 300)
    assert report.red_marks >= 1
    [result] = process_page(Page(0, page, 300))
    assert result.mode is ColourMode.COLOUR
    # The seal is still red after the pipeline.
    red = (result.image[..., 0] > 150) & (result.image[..., 1] < 100) & (result.image[..., 2] < 100)
    assert red.sum() > 1000


def test_light_pink_seal_on_white_is_kept():
    page = synthetic.add_red_seal(synthetic.blank_page(dpi=300, paper=250), 300)
    faded = (255 - (255 - page.astype(np.int16)) * 0.35).astype(np.uint8)  # a faint stamp
    assert not pipeline.is_blank(faded, 300)


def test_text_page_with_seal_is_mixed_and_without_is_bilevel(text_page_300):
    assert process_page(Page(0, text_page_300, 300))[0].mode is ColourMode.BILEVEL
    sealed = synthetic.add_red_seal(text_page_300, 300)
    report = pipeline.analyse_ink(sealed, 300)
    assert report.text_marks >= pipeline.MIXED_MIN_TEXT_MARKS and report.red_marks
    assert process_page(Page(0, sealed, 300))[0].mode is ColourMode.MIXED


def test_photo_page_is_not_bilevel(text_page_300):
    blank = synthetic.blank_page(300)
    photo_only = synthetic.add_photo(blank, 300)
    assert process_page(Page(0, photo_only, 300))[0].mode is ColourMode.COLOUR
    assert process_page(Page(0, pipeline.to_grey(photo_only), 300))[0].mode is ColourMode.GREY
    # With text beside it the page is split: the photo (colour or grey) goes to the background.
    photo = synthetic.add_photo(text_page_300, 300)
    assert process_page(Page(0, photo, 300))[0].mode is ColourMode.MIXED
    assert process_page(Page(0, pipeline.to_grey(photo), 300))[0].mode is ColourMode.MIXED


def test_spread_is_split_at_the_gutter(cjk_font):
    left = synthetic.text_page(chars=300, dpi=150, seed=21)
    right = synthetic.text_page(chars=300, dpi=150, seed=22)
    spread = synthetic.spread(left, right, dpi=150)
    a, _ = pipeline.split_spread(spread, 150)
    gutter_start, gutter_end = left.shape[1], spread.shape[1] - right.shape[1]
    cut = a.shape[1]
    assert gutter_start - 40 <= cut <= gutter_end + 40
    results = process_page(Page(0, spread, 150), PipelineSettings(split_spreads=True))
    assert [r.part for r in results] == [0, 1]


def test_forced_mode_is_respected(text_page_150):
    [result] = process_page(Page(0, text_page_150, 150), PipelineSettings(colour=ColourMode.GREY))
    assert result.mode is ColourMode.GREY
    assert result.encoded is not None and result.encoded.data[:2] == b"\xff\xd8"


def test_dark_areas_are_never_blank():
    black = np.zeros((1169, 827), np.uint8)
    assert not pipeline.is_blank(black, 100)
    shaded = synthetic.blank_page(dpi=100)
    shaded[300:700, 200:600] = 170  # a large grey box, wider than the local paper estimate
    assert not pipeline.is_blank(shaded, 100)
