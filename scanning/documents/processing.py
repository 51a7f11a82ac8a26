"""One captured page in, the finished page(s) out: the pipeline's steps in order, then compression."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanning.documents import pipeline
from scanning.documents.encode import JPEG_QUALITY_BACKGROUND, EncodedPage, compose, encode_g4, encode_jpeg
from scanning.documents.model import ColourMode, Image, Page


@dataclass(frozen=True)
class PipelineSettings:
    """Which steps run on each page.

    Attributes:
        deskew: straighten the text lines.
        crop: cut the scanner background away.
        orient: turn pages that lie sideways or upside down.
        drop_blank: leave out pages without any mark.
        split_spreads: cut each image into a left and a right page (passport-style booklets).
        colour: ``AUTO`` decides per page; any other value forces that storage mode (``MIXED``: two
            layers even for a page without seal or photo).
        jpeg_quality: overrides the default JPEG quality when set.
    """

    deskew: bool = True
    crop: bool = True
    orient: bool = True
    drop_blank: bool = True
    split_spreads: bool = False
    colour: ColourMode = ColourMode.AUTO
    jpeg_quality: int | None = None


@dataclass(frozen=True)
class ProcessedPage:
    """A page after the pipeline.

    Attributes:
        source_index: the captured page it comes from.
        part: 0, or 0/1 for the left/right half of a split spread.
        image: the final pixels (bilevel pages as 0/255 grey), for thumbnails.
        encoded: the compressed page, ``None`` when the page was dropped as blank.
        mode: how it is stored.
        skew: the tilt removed (degrees).
        rotation: the clockwise quarter turn applied (0, 90, 180, 270).
        dpi: resolution.
    """

    source_index: int
    part: int
    image: Image = field(repr=False)
    encoded: EncodedPage | None
    mode: ColourMode
    skew: float
    rotation: int
    dpi: int

    @property
    def dropped(self) -> bool:
        """Whether the page was left out as blank."""
        return self.encoded is None


def _finish(
    image: Image, dpi: int, settings: PipelineSettings, index: int, part: int, skew: float, turn: int
) -> ProcessedPage:
    report = pipeline.analyse_ink(image, dpi)
    if settings.drop_blank and report.blank:
        return ProcessedPage(index, part, image, None, ColourMode.BILEVEL, skew, turn, dpi)
    mode = settings.colour if settings.colour is not ColourMode.AUTO else pipeline.decide_mode(report)
    if mode is ColourMode.COLOUR and image.ndim == 2:
        mode = ColourMode.GREY
    h, w = image.shape[:2]
    final: Image
    if mode is ColourMode.MIXED:
        layers = pipeline.split_layers(image, dpi)
        background = encode_jpeg(
            layers.background, layers.background_dpi, settings.jpeg_quality or JPEG_QUALITY_BACKGROUND
        )
        mask = encode_g4(layers.ink, dpi)
        encoded = EncodedPage(background, mode, dpi, w, h, mask, layers.ink_colour)
        final = compose(layers.background, layers.ink, layers.ink_colour)
    elif mode is ColourMode.BILEVEL:
        ink = pipeline.bilevel(image, dpi)
        encoded = EncodedPage(encode_g4(ink, dpi), mode, dpi, w, h)
        final = (~ink).astype("uint8") * 255
    else:
        pixels = pipeline.normalise(image if mode is ColourMode.COLOUR else pipeline.to_grey(image), dpi)
        encoded = EncodedPage(encode_jpeg(pixels, dpi, settings.jpeg_quality), mode, dpi, w, h)
        final = pixels
    return ProcessedPage(index, part, final, encoded, mode, skew, turn, dpi)


def process_page(page: Page, settings: PipelineSettings | None = None) -> list[ProcessedPage]:
    """Run the pipeline on one captured page.

    Returns:
        One processed page, or two when ``split_spreads`` is set; a page dropped as blank is returned
        with ``encoded=None`` so the caller can show that it was left out.
    """
    settings = settings or PipelineSettings()
    image, dpi = page.image, page.dpi
    skew = 0.0
    if settings.crop:
        image = pipeline.crop_to_page(image, dpi)
    if settings.deskew:
        image, skew = pipeline.deskew(image, dpi)
        if settings.crop and abs(skew) > 0.05:
            # Rotation brings white corners in; cut them off with the page edge they belong to.
            image = pipeline.crop_to_page(image, dpi)
    halves = list(pipeline.split_spread(image, dpi)) if settings.split_spreads else [image]
    out = []
    for part, half in enumerate(halves):
        turn = pipeline.detect_orientation(half, dpi) if settings.orient else 0
        out.append(_finish(pipeline.rotate_quarter(half, turn), dpi, settings, page.index, part, skew, turn))
    return out
