"""Draw the application icon (``yichuang.ico`` and ``yichuang.png``) from the bundled font.

A red rounded square with “一窗” in white, in the sizes Windows uses (16–256 px). Run from the
repository root: ``python assets/icons/make_icon.py``. The outputs are committed; re-run only to change
the design. The font is the bundled Noto Sans CJK SC Bold (SIL OFL, see ``assets/fonts``).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "NotoSansCJKsc-Bold.ttf"
SIZES = (16, 24, 32, 48, 64, 128, 256)
RED = (192, 32, 38, 255)  # 中国红
WHITE = (255, 255, 255, 255)


def draw(size: int = 256) -> Image.Image:
    """The icon at ``size`` pixels: a red rounded square with “一窗” in white."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=RED)
    font = ImageFont.truetype(str(FONT), int(size * 0.36))
    pen.text((size / 2, size / 2), "一窗", font=font, fill=WHITE, anchor="mm")
    return image


def main() -> None:
    """Write ``yichuang.png`` (256 px) and the multi-size ``yichuang.ico``."""
    big = draw(256)
    big.save(HERE / "yichuang.png")
    big.save(HERE / "yichuang.ico", sizes=[(s, s) for s in SIZES])


if __name__ == "__main__":
    main()
