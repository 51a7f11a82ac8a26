"""The page pipeline: deskew, crop, orientation, blank pages, spreads, and the per-page storage decision.

Every analysis runs on a copy reduced to :data:`ANALYSIS_DPI` (about 150 dpi), so a 300 dpi A4 page
costs a few tens of milliseconds; only the final rotation and the bilevel/JPEG conversion touch the full
page. Images are numpy ``uint8`` arrays, grey ``(h, w)`` or RGB ``(h, w, 3)``.

Methods (all classic, no model):

- Deskew: projection-profile search (Postl's method) over the ink pixels' coordinates, coarse ±12° then
  refined to 0.01° with a parabola through the best three angles.
- Orientation: table rules and underlines removed first (:func:`strip_rules`), text-line direction
  from the gaps in the row and column profiles (lines leave long empty runs across them, characters
  only short ones), then top/bottom from the ragged edge (paragraph ends leave the right edge ragged,
  indents barely move the left one), the margins (the text starts near the top of a page) and where
  the ink's weight sits (above the middle: pages fill from the top).
- Blank pages: ink is what is darker than the local paper (or strongly coloured) in a connected stroke
  of at least :data:`MIN_MARK_MM` millimetres; scanner noise and dust specks are smaller than that, a
  pencil signature or a seal is far larger, whatever its contrast.
- Storage decision: mixed (two layers, see :func:`split_layers`) when black text shares the page
  with a coloured mark (a seal) or a photo; colour when saturated pixels form a mark and there is
  no text beside it (a red seal keeps its colour); grey when there are large mid-tone areas (photos)
  or faint marks that a threshold would erase (pencil); bilevel otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from scanning.documents.model import ColourMode, Image

ANALYSIS_DPI = 150
"""Resolution of the reduced copy the analyses run on."""

MIN_MARK_MM = 3.0
"""Smallest extent (longest side, millimetres) of a connected mark that counts as ink."""

INK_CONTRAST = 28
"""Grey levels below the local paper that make a pixel a candidate mark (pencil is ~40-80)."""

MIN_ROTATION = 0.05
"""Tilts smaller than this (degrees) are left alone: rotating would only blur."""

DARK_AREA_RATIO = 0.75
"""Pixels below this share of the page's paper level are ink whatever their surroundings."""

BORDER_IGNORE = 0.03
"""Fraction of each side ignored by the blank test (feeder shadows and edges)."""

MIXED_MIN_TEXT_MARKS = 20
"""Dark, uncoloured marks outside photos (characters, strokes) that make a seal or photo page mixed."""

MIXED_MAX_PHOTO = 0.5
"""A page whose photos cover more than this share is stored whole in colour or grey, not mixed."""

BACKGROUND_DPI = 100
"""Resolution of a mixed page's colour background (seals and photos; the text is at full resolution)."""

PHOTO_MIN_MM = 10.0
"""Smallest side (millimetres) of a mid-tone area taken as a photo on a mixed page."""

CHROMA = 60
"""Max-minus-min of R, G, B above which a pixel is coloured (a seal), not black ink, on a mixed page."""


@dataclass(frozen=True)
class InkReport:
    """What the blank-page analysis found.

    Attributes:
        marks: connected marks at least :data:`MIN_MARK_MM` long.
        faint_marks: of those, marks lighter than the bilevel threshold (pencil, light stamps).
        colour_marks: marks made of saturated colour (seals, coloured ink).
        red_marks: of those, red ones (seals).
        midtone_fraction: share of the page covered by solid mid-tones (photos, shading).
        text_marks: dark marks that are neither coloured nor inside a photo (counted only when the
            page has coloured marks or mid-tones; 0 otherwise).
    """

    marks: int
    faint_marks: int
    colour_marks: int
    red_marks: int
    midtone_fraction: float
    text_marks: int = 0

    @property
    def blank(self) -> bool:
        """Whether the page carries no mark at all."""
        return self.marks == 0 and self.colour_marks == 0


def to_grey(image: Image) -> Image:
    """The page as grey (a grey page is returned as is)."""
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def reduce(image: Image, dpi: int, target_dpi: int = ANALYSIS_DPI) -> tuple[Image, float]:
    """The image at about ``target_dpi`` (area-averaged) and the scale factor applied.

    Large factors go through exact halvings first: OpenCV's area resize is several times faster for
    a factor of two than for an arbitrary one.
    """
    if target_dpi >= dpi * 0.99:
        return image, 1.0
    w0 = image.shape[1]
    current, level = image, float(dpi)
    while level / target_dpi >= 2.0 and min(current.shape[:2]) >= 4:
        h, w = current.shape[:2]
        current = cv2.resize(current, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        level /= 2.0
    if level / target_dpi > 1.01:
        h, w = current.shape[:2]
        f = target_dpi / level
        size = (max(1, round(w * f)), max(1, round(h * f)))
        current = cv2.resize(current, size, interpolation=cv2.INTER_AREA)
    return current, current.shape[1] / w0


def paper_background(grey: Image, dpi: int) -> Image:
    """The local paper level at every pixel of ``grey`` (ink removed by a grey-level closing).

    The closing spans about 2.5 mm so strokes disappear but the illumination falloff of a scanner
    or a document camera stays.
    """
    size = max(3, round(2.5 / 25.4 * dpi) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    return cv2.morphologyEx(grey, cv2.MORPH_CLOSE, kernel)


def _ink_points(grey_small: Image) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (y, x) of the dark pixels of a reduced page."""
    paper = float(np.percentile(grey_small[::4, ::4], 90))
    ink = grey_small < paper * 0.65
    ys, xs = np.nonzero(ink)
    return ys.astype(np.float32), xs.astype(np.float32)


def _profile_score(ys: np.ndarray, xs: np.ndarray, angle_deg: float) -> float:
    a = math.radians(angle_deg)
    proj = ys * math.cos(a) - xs * math.sin(a)
    proj -= proj.min()
    hist = np.bincount(proj.astype(np.int32))
    return float(np.dot(hist, hist))


def _search(ys: np.ndarray, xs: np.ndarray, centre: float, half: float, step: float) -> tuple[float, float]:
    angles = np.arange(centre - half, centre + half + step / 2, step)
    scores = [_profile_score(ys, xs, float(a)) for a in angles]
    best = int(np.argmax(scores))
    angle = float(angles[best])
    if 0 < best < len(scores) - 1:
        left, mid, right = scores[best - 1], scores[best], scores[best + 1]
        denom = left - 2 * mid + right
        if denom < 0:
            angle += step * 0.5 * (left - right) / denom
    return angle, float(scores[best])


def estimate_skew(image: Image, dpi: int, max_angle: float = 12.0) -> float:
    """The angle (degrees, counter-clockwise positive) by which the page's text lines are tilted.

    Rotating the page by ``-angle`` (see :func:`rotate`) makes the lines horizontal. Returns 0.0 when
    the page has too little ink to tell.
    """
    small, _ = reduce(to_grey(image), dpi)
    ys, xs = _ink_points(small)
    if ys.size < 200:
        return 0.0
    rng = np.random.default_rng(0)
    if ys.size > 25_000:
        pick = rng.choice(ys.size, 25_000, replace=False)
        cys, cxs = ys[pick], xs[pick]
    else:
        cys, cxs = ys, xs
    coarse, _ = _search(cys, cxs, 0.0, max_angle, 0.5)
    if ys.size > 80_000:
        pick = rng.choice(ys.size, 80_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    fine, _ = _search(ys, xs, coarse, 0.6, 0.1)
    finer, _ = _search(ys, xs, fine, 0.1, 0.02)
    # The projection uses image coordinates (y down): a positive search angle is a clockwise tilt.
    return -finer


def rotate(image: Image, angle_deg: float) -> Image:
    """``image`` rotated counter-clockwise by ``angle_deg`` about its centre, same size, white filled."""
    if abs(angle_deg) < MIN_ROTATION:
        return image
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle_deg, 1.0)
    fill = (255, 255, 255) if image.ndim == 3 else 255
    return cv2.warpAffine(
        image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )


def deskew(image: Image, dpi: int) -> tuple[Image, float]:
    """The page with its text lines horizontal, and the tilt that was removed (degrees)."""
    angle = estimate_skew(image, dpi)
    return rotate(image, -angle), angle


def rotate_quarter(image: Image, clockwise_degrees: int) -> Image:
    """``image`` turned clockwise by 0, 90, 180 or 270 degrees (lossless)."""
    turns = (clockwise_degrees // 90) % 4
    if turns == 0:
        return image
    code = (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180, cv2.ROTATE_90_COUNTERCLOCKWISE)[turns - 1]
    return cv2.rotate(image, code)


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Start and end (exclusive) of each run of True values."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))


def _gap_share(profile: np.ndarray) -> float:
    """Share of the inked span covered by empty runs at least 3 bins long (line gaps)."""
    inked = np.flatnonzero(profile > 0)
    if inked.size == 0:
        return 0.0
    span = profile[inked[0] : inked[-1] + 1]
    empty = span <= max(1.0, 0.01 * float(span.max()))
    gaps = sum(e - s for s, e in _runs(empty) if e - s >= 3)
    return gaps / span.size


def _text_mask(grey_small: Image) -> Image:
    paper = float(np.percentile(grey_small[::4, ::4], 90))
    return (grey_small < paper * 0.65).astype(np.uint8)


def _upright_vote(mask: Image, text: Image | None = None) -> float:
    """Positive when the (horizontal) text reads upright, negative when upside down, ~0 undecided.

    Args:
        mask: the page's marks; lines, edges and margins are read from it (photos count as blocks).
        text: its characters only, for where the weight of the text sits (``None``: ``mask``).
    """
    rows = mask.sum(axis=1).astype(np.float64)
    bands = [(s, e) for s, e in _runs(rows > max(1.0, 0.02 * float(rows.max(initial=0)))) if e - s >= 4]
    if len(bands) < 3:
        return 0.0
    starts, ends = [], []
    for s, e in bands:
        cols = np.flatnonzero(mask[s:e].any(axis=0))
        starts.append(int(cols[0]))
        ends.append(int(cols[-1]))
    left_dev = float(np.mean(np.array(starts) - min(starts)))
    right_dev = float(np.mean(max(ends) - np.array(ends)))
    width = max(1, max(ends) - min(starts))
    ragged = (right_dev - left_dev) / width
    # Margins: text starts near the top of the page, the end of the text leaves space below.
    h = mask.shape[0]
    top, bottom = bands[0][0], h - bands[-1][1]
    margin = (bottom - top) / h
    # Weight: a page is filled from the top, so its ink sits above the middle (forms, short letters).
    text_rows = rows if text is None else text.sum(axis=1).astype(np.float64)
    weight = float((text_rows * np.arange(h)).sum() / max(1.0, float(text_rows.sum()))) / h - 0.5
    return float(ragged * 4.0 + margin * 0.5 - weight * 2.0)


ORIENTATION_DPI = 75
"""Resolution the orientation votes read (lines and margins need no more; rule removal costs less)."""

RULE_MM = 12.0
"""Straight strokes longer than this (millimetres) are table rules or underlines, not characters."""


def strip_rules(mask: Image, dpi: int) -> Image:
    """``mask`` without its long, thin horizontal and vertical strokes (table rules, underlines, frames).

    A form's table joins its rows into one block of ink and its frame reaches both margins, which
    hides the line structure the orientation votes read; no CJK or Latin stroke is 12 mm long.
    """
    n = max(3, round(RULE_MM / 25.4 * dpi))
    across = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
    down = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n)))
    # Solid areas (a photo's dark parts) hold long runs too but are no rules: they stay.
    k = max(2, round(1.3 / 25.4 * dpi))
    solid = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    rules = cv2.bitwise_and(cv2.bitwise_or(across, down), cv2.bitwise_not(solid))
    return cv2.bitwise_and(mask, cv2.bitwise_not(rules))


MIN_CHARACTERS = 20
"""Character-sized marks a page needs before its orientation is judged (else it is left as it is)."""

BLOB_MM = 15.0
"""Marks at least this tall and wide are photos, seals or logos, not characters: orientation ignores them."""


def _characters(mask: Image, dpi: int) -> Image | None:
    """``mask`` with only character-sized marks, or ``None`` when there are too few to read a page by.

    Marks of at least :data:`BLOB_MM` each way (photos, seals, logos) go; fragments shorter than
    1.5 mm (specks, a faint signature's broken strokes) do not count as characters.
    """
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    blob = BLOB_MM / 25.4 * dpi
    large = (w >= blob) & (h >= blob)
    if int(np.count_nonzero(~large & (np.maximum(w, h) >= 1.5 / 25.4 * dpi))) < MIN_CHARACTERS:
        return None
    if large.any():
        keep = np.concatenate(([False], ~large))
        mask = keep[labels].astype(np.uint8)
    return mask


def detect_orientation(image: Image, dpi: int) -> int:
    """The clockwise turn (0, 90, 180 or 270 degrees) that makes a deskewed page read upright."""
    small, _ = reduce(to_grey(image), dpi, ORIENTATION_DPI)
    mask = _text_mask(small)
    if int(mask.sum()) < 100:
        return 0
    mask = strip_rules(mask, min(dpi, ORIENTATION_DPI))
    text = _characters(mask, min(dpi, ORIENTATION_DPI))
    if text is None:
        return 0
    horizontal = _gap_share(text.sum(axis=1).astype(np.float64)) >= _gap_share(
        text.sum(axis=0).astype(np.float64)
    )
    if horizontal:
        return 0 if _upright_vote(mask, text) >= 0 else 180
    return 90 if _upright_vote(rotate_quarter(mask, 90), rotate_quarter(text, 90)) >= 0 else 270


def page_box(image: Image, dpi: int) -> tuple[int, int, int, int] | None:
    """The page's box ``(x0, y0, x1, y1)`` inside the scanner background (``None``: it fills the frame)."""
    small, scale = reduce(to_grey(image), dpi, 50)
    h, w = small.shape
    band = max(1, round(min(h, w) * 0.02))
    border = np.concatenate(
        (small[:band].ravel(), small[-band:].ravel(), small[:, :band].ravel(), small[:, -band:].ravel())
    )
    paper = float(np.percentile(small, 90))
    edge = float(np.median(border))
    if edge > paper * 0.75:
        return None
    mask = (small > (edge + paper) / 2).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
    if count < 2:
        return None
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh = (int(v) for v in stats[best, :4])
    if bw * bh < 0.2 * h * w:
        return None
    full_h, full_w = image.shape[:2]
    x0, y0 = math.ceil(x / scale) + 1, math.ceil(y / scale) + 1
    x1, y1 = min(full_w, int((x + bw) / scale) - 1), min(full_h, int((y + bh) / scale) - 1)
    return x0, y0, x1, y1


def crop_to_page(image: Image, dpi: int) -> Image:
    """The page without the scanner background around it (unchanged when the page fills the frame)."""
    box = page_box(image, dpi)
    if box is None:
        return image
    x0, y0, x1, y1 = box
    return image[y0:y1, x0:x1]


def _saturation_masks(rgb_small: Image) -> tuple[Image, Image]:
    """Masks of saturated pixels and of saturated red pixels of a reduced colour page."""
    hsv = cv2.cvtColor(rgb_small, cv2.COLOR_RGB2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    saturated = (sat > 70) & (val > 60)
    red = saturated & ((hue <= 12) | (hue >= 165))
    return saturated.astype(np.uint8), red.astype(np.uint8)


def _count_marks(mask: Image, min_px: int) -> tuple[int, np.ndarray, np.ndarray]:
    """Number of connected marks whose longest side is at least ``min_px``, their labels and stats."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    extent = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
    big = np.flatnonzero(extent >= min_px) + 1
    return int(big.size), labels, big


def analyse_ink(image: Image, dpi: int, bilevel_threshold: int = 150) -> InkReport:
    """Find the marks on a page (see the module docstring for the rules)."""
    small, _ = reduce(image, dpi)
    grey = to_grey(small)
    h, w = grey.shape
    my, mx = round(h * BORDER_IGNORE), round(w * BORDER_IGNORE)
    inner = (slice(my, h - my), slice(mx, w - mx))
    grey_in = grey[inner]
    bg_small, _ = reduce(grey_in, ANALYSIS_DPI, 50)
    background = cv2.resize(
        paper_background(bg_small, 50), (grey_in.shape[1], grey_in.shape[0]), interpolation=cv2.INTER_LINEAR
    )
    contrast = cv2.subtract(background, grey_in)
    min_px = max(3, round(MIN_MARK_MM / 25.4 * ANALYSIS_DPI))
    # Marks darker than the paper around them, and large dark areas that the local paper estimate
    # swallows (a shaded box, a solid black page) measured against the page's paper level.
    # The paper is at least light grey: a page dark all over is not blank paper.
    paper = max(200.0, float(np.percentile(grey_in[::2, ::2], 95))) if grey_in.size else 255.0
    ink = ((contrast > INK_CONTRAST) | (grey_in < paper * DARK_AREA_RATIO)).astype(np.uint8)
    marks, labels, big = _count_marks(ink, min_px)
    faint = 0
    if marks:
        normalised = cv2.divide(grey_in, np.maximum(background, 1), scale=255)
        dark = (normalised < bilevel_threshold).astype(np.uint8)
        near_dark = cv2.dilate(dark, np.ones((5, 5), np.uint8))
        faint_mask = (ink > 0) & (near_dark == 0)
        faint_px = np.bincount(labels[faint_mask], minlength=int(labels.max()) + 1)
        faint = int(np.count_nonzero(faint_px[big] >= min_px * 2))
    colour_marks = red_marks = 0
    if image.ndim == 3:
        saturated, red = _saturation_masks(small[inner])
        colour_marks, _, _ = _count_marks(saturated, min_px)
        red_marks, _, _ = _count_marks(red, min_px)
    # Solid mid-tones: grey that survives an erosion removing anti-aliased stroke edges.
    mid = ((grey_in > 60) & (grey_in < 200)).astype(np.uint8)
    solid = cv2.erode(mid, np.ones((5, 5), np.uint8))
    midtone = float(solid.mean())
    text_marks = 0
    if marks and (colour_marks or midtone > 0.01):
        # Text beside the seal or photo: dark marks away from coloured pixels and photo areas.
        away = ink.copy()
        if image.ndim == 3:
            away[cv2.dilate(saturated, np.ones((5, 5), np.uint8)) > 0] = 0
        for x0, y0, x1, y1 in photo_boxes(solid, ANALYSIS_DPI):
            away[y0:y1, x0:x1] = 0
        text_marks, _, _ = _count_marks(away, min_px)
    return InkReport(
        marks=marks,
        faint_marks=faint,
        colour_marks=colour_marks,
        red_marks=red_marks,
        midtone_fraction=midtone,
        text_marks=text_marks,
    )


def photo_boxes(solid_midtones: Image, dpi: int) -> list[tuple[int, int, int, int]]:
    """Boxes ``(x0, y0, x1, y1)`` of the photos on a page, from its mask of solid mid-tones at ``dpi``.

    A photo is a mid-tone area at least :data:`PHOTO_MIN_MM` on each side once gaps of 2 mm are
    closed (its darkest and lightest parts are not mid-tone); text strokes never make one.
    """
    close = max(3, round(2.0 / 25.4 * dpi) | 1)
    joined = cv2.morphologyEx(
        solid_midtones, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (close, close))
    )
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    side = PHOTO_MIN_MM / 25.4 * dpi
    boxes = []
    for x, y, w, h, _area in stats[1:count].tolist():
        if w >= side and h >= side:
            boxes.append((x, y, x + w, y + h))
    return boxes


def is_blank(image: Image, dpi: int) -> bool:
    """Whether a page carries no mark (noise and specks only): such a page may be dropped."""
    return analyse_ink(image, dpi).blank


def decide_mode(report: InkReport, colour_area: float = 0.0) -> ColourMode:
    """Bilevel, grey, colour or mixed for a page, from its ink report."""
    if (
        report.text_marks >= MIXED_MIN_TEXT_MARKS
        and (report.colour_marks or report.red_marks or report.midtone_fraction > 0.01)
        and report.midtone_fraction <= MIXED_MAX_PHOTO
    ):
        return ColourMode.MIXED
    if report.colour_marks or report.red_marks:
        return ColourMode.COLOUR
    if report.midtone_fraction > 0.01 or report.faint_marks:
        return ColourMode.GREY
    return ColourMode.BILEVEL


def split_spread(image: Image, dpi: int) -> tuple[Image, Image]:
    """Split a double-page spread at its gutter into the left and the right page.

    The gutter is looked for in the middle fifth of the width: the darkest band (a book's binding
    shadow) when there is one, else the column with the least ink.
    """
    small, scale = reduce(to_grey(image), dpi, 50)
    w = small.shape[1]
    lo, hi = int(w * 0.4), int(w * 0.6)
    columns = small[:, lo:hi].astype(np.float64).mean(axis=0)
    smooth = np.convolve(columns, np.ones(3) / 3, mode="same")
    paper = float(np.percentile(small, 90))
    darkest = int(np.argmin(smooth))
    if smooth[darkest] < paper * 0.6:
        cut = lo + darkest
    else:
        ink = (small[:, lo:hi] < paper * 0.65).sum(axis=0).astype(np.float64)
        ink = np.convolve(ink, np.ones(5) / 5, mode="same")
        candidates = np.flatnonzero(ink <= ink.min() + 0.5)
        cut = lo + int(candidates[np.argmin(np.abs(candidates - (hi - lo) / 2))])
    full = round(cut / scale)
    return image[:, :full], image[:, full:]


def normalise(image: Image, dpi: int, white: int = 235, black: int = 20) -> Image:
    """The page with uneven paper brought to pure white and ink stretched to black (grey or RGB).

    The paper level is estimated on a 50 dpi copy, divided out, then the levels ``black``..``white``
    are stretched to 0..255: paper tint and scanner noise on the paper become exact white, which is
    what makes JPEG pages small.
    """
    grey = to_grey(image)
    small, _ = reduce(grey, dpi, 50)
    bg = cv2.resize(
        paper_background(small, 50), (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR
    )
    bg = np.maximum(bg, 1)
    if image.ndim == 3:
        bg = cv2.merge([bg, bg, bg])
    normalised = cv2.divide(image, bg, scale=255)
    lut = np.clip((np.arange(256, dtype=np.float32) - black) * 255.0 / (white - black), 0, 255).astype(
        np.uint8
    )
    return cv2.LUT(normalised, lut)


def bilevel(image: Image, dpi: int, despeckle: bool = True) -> npt.NDArray[np.bool_]:
    """The page as ink (True) / paper (False), illumination-corrected, isolated noise pixels removed.

    The threshold is Otsu's on the normalised page, kept within 130..200 so a nearly empty page does
    not turn its noise into ink.
    """
    grey = to_grey(image)
    small, _ = reduce(grey, dpi, 50)
    bg = cv2.resize(
        paper_background(small, 50), (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR
    )
    normalised = cv2.divide(grey, np.maximum(bg, 1), scale=255)
    level, _ = cv2.threshold(reduce(normalised, dpi, 100)[0], 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    level = float(min(200.0, max(130.0, level)))
    _, ink = cv2.threshold(normalised, level, 1, cv2.THRESH_BINARY_INV)
    if despeckle:
        # A pixel with no inked neighbour is noise: drop it (3x3 count of 1 is the pixel itself).
        neighbours = cv2.boxFilter(ink, cv2.CV_8U, (3, 3), normalize=False)
        ink[neighbours <= 1] = 0
    return ink.astype(bool)


@dataclass(frozen=True)
class Layers:
    """A mixed page split in two (the MRC model of ITU-T T.44).

    Attributes:
        ink: the text layer at the page's resolution (``True`` is ink), black or dark ink only.
        ink_colour: the colour it is drawn in (RGB): the text's median colour, black when it is dark.
        background: everything else at :data:`BACKGROUND_DPI` (seals, photos, pencil), the text
            areas filled from their surroundings, paper pure white; RGB (grey for a grey page).
        background_dpi: the background's resolution.
    """

    ink: npt.NDArray[np.bool_]
    ink_colour: tuple[int, int, int]
    background: Image
    background_dpi: int


def split_layers(image: Image, dpi: int, background_dpi: int = BACKGROUND_DPI) -> Layers:
    """Split a page into a bilevel text layer and a low-resolution background.

    The text layer is :func:`bilevel` without coloured pixels (max−min of R, G, B above
    :data:`CHROMA`, widened by a pixel so a seal's anti-aliased edge stays out) and without photos
    (:func:`photo_boxes`, widened by 1 mm): a seal keeps its colour and a photo its tones in the
    background. The background is the page at ``background_dpi`` with the paper normalised to
    white (photos keep their own levels); under the text it takes the mean of the paper and marks
    around it (normalised convolution), so no dark ghost of a character is left to cost JPEG bytes.
    """
    ink = bilevel(image, dpi)
    if image.ndim == 3:
        r, g, b = cv2.split(image)
        chroma = cv2.subtract(cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b))
        _, coloured = cv2.threshold(chroma, CHROMA, 1, cv2.THRESH_BINARY)
        ink &= cv2.dilate(coloured, np.ones((3, 3), np.uint8)) == 0
    small, scale = reduce(image, dpi, background_dpi)
    mid = cv2.inRange(to_grey(small), 61, 199) // 255
    margin = round(1.0 / 25.4 * background_dpi)
    bh, bw = small.shape[:2]
    boxes = [
        (max(0, x0 - margin), max(0, y0 - margin), min(bw, x1 + margin), min(bh, y1 + margin))
        for x0, y0, x1, y1 in photo_boxes(cv2.erode(mid, np.ones((3, 3), np.uint8)), background_dpi)
    ]
    for x0, y0, x1, y1 in boxes:
        ink[round(y0 / scale) : round(y1 / scale), round(x0 / scale) : round(x1 / scale)] = False
    background = normalise(small, background_dpi)
    for x0, y0, x1, y1 in boxes:
        background[y0:y1, x0:x1] = small[y0:y1, x0:x1]
    reduced, _ = reduce(ink.view(np.uint8), dpi, background_dpi)
    covered = cv2.dilate(reduced, np.ones((3, 3), np.uint8)) > 0
    if covered.shape != background.shape[:2]:
        covered = cv2.resize(covered.astype(np.uint8), (bw, bh), interpolation=cv2.INTER_NEAREST) > 0
    keep = (~covered).astype(np.float32)
    size = (9, 9)
    weight = np.maximum(cv2.boxFilter(keep, -1, size, normalize=False), 1e-3)
    if background.ndim == 3:
        summed = cv2.boxFilter(background.astype(np.float32) * keep[..., None], -1, size, normalize=False)
        fill = summed / weight[..., None]
    else:
        fill = cv2.boxFilter(background.astype(np.float32) * keep, -1, size, normalize=False) / weight
    fill[weight < 0.5] = 255.0
    background[covered] = np.clip(fill[covered], 0, 255).astype(np.uint8)
    return Layers(ink, _ink_colour(image, ink), background, background_dpi)


def _ink_colour(page: Image, ink: npt.NDArray[np.bool_]) -> tuple[int, int, int]:
    """The text's median colour; black when it is dark and unsaturated."""
    core = ink[::4, ::4]
    if page.ndim == 2 or not core.any():
        return (0, 0, 0)
    pixels = page[::4, ::4][core]
    r, g, b = (int(v) for v in np.median(pixels, axis=0))
    if max(r, g, b) < 100 and max(r, g, b) - min(r, g, b) < 40:
        return (0, 0, 0)
    return (r, g, b)
