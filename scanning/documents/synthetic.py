"""Synthetic document pages with known properties, for tests, the benchmark and the demo mode.

Pages are rendered at a given dpi with a CJK font (Noto Sans CJK, Debian ``fonts-noto-cjk``): a form or
contract page of about 1,000 Chinese characters, then optionally a faint pencil signature, a red seal, a
photo, scanner noise, dust specks, a skew and a dark scanner background. Everything is seeded, so a page
is the same on every run. The text is generic contract wording; no real person's data is used.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from scanning.documents.model import Image

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
"""The font the pages are rendered with (Debian ``fonts-noto-cjk``)."""

A4_MM = (210.0, 297.0)

_WORDING = (
    "甲乙双方根据中华人民共和国民法典及不动产登记暂行条例等有关规定，在平等自愿协商一致的基础上，"
    "就房屋买卖事项订立本合同。出卖人保证该房屋产权清晰，没有设定抵押权，不存在查封等权利限制，"
    "买受人应当按照约定的时间和方式支付房款，双方共同向不动产登记机构申请办理转移登记。"
    "房屋坐落于本市某区某街道，建筑面积以不动产权证书记载为准，用途为住宅，土地使用权随房屋一并转让。"
    "交易税费由双方依照国家规定各自承担，登记费由买受人缴纳。因本合同发生争议的，由双方协商解决；"
    "协商不成的，依法向房屋所在地人民法院起诉。本合同自双方签字之日起生效，一式四份，具有同等法律效力。"
)


def mm_to_px(mm: float, dpi: int) -> int:
    """Millimetres to pixels at ``dpi``."""
    return round(mm / 25.4 * dpi)


def _font(size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(CJK_FONT), size_px)


def text_page(chars: int = 1000, dpi: int = 300, seed: int = 0, font_pt: float = 10.5) -> Image:
    """A grey A4 form page: a centred title and left-aligned paragraphs of about ``chars`` characters.

    Paragraphs start with a two-character indent and end short, like real contracts.
    """
    rng = np.random.default_rng(seed)
    w, h = mm_to_px(A4_MM[0], dpi), mm_to_px(A4_MM[1], dpi)
    page = PILImage.new("L", (w, h), 255)
    draw = ImageDraw.Draw(page)
    size = round(font_pt / 72 * dpi)
    body, title = _font(size), _font(round(size * 1.6))
    margin = mm_to_px(25, dpi)
    y = margin
    heading = "不动产买卖合同"
    tw = draw.textlength(heading, font=title)
    draw.text(((w - tw) / 2, y), heading, font=title, fill=0)
    y += round(size * 3.2)
    per_line = int((w - 2 * margin) // size)
    written = 0
    while written < chars and y < h - margin - size:
        length = int(rng.integers(60, 220))
        start = int(rng.integers(0, len(_WORDING) - 1))
        text = (_WORDING * 3)[start : start + min(length, chars - written)]
        written += len(text)
        lines = ["　　" + text[: per_line - 2]]
        rest = text[per_line - 2 :]
        while rest:
            lines.append(rest[:per_line])
            rest = rest[per_line:]
        for line in lines:
            if y > h - margin - size:
                break
            draw.text((margin, y), line, font=body, fill=0)
            y += round(size * 1.6)
        y += round(size * 0.6)
    return np.asarray(page, dtype=np.uint8).copy()


def blank_page(dpi: int = 300, paper: int = 245) -> Image:
    """An empty grey A4 page at the paper level ``paper``."""
    return np.full((mm_to_px(A4_MM[1], dpi), mm_to_px(A4_MM[0], dpi)), paper, np.uint8)


def add_noise(image: Image, std: float = 6.0, seed: int = 1) -> Image:
    """Gaussian scanner noise of ``std`` grey levels."""
    rng = np.random.default_rng(seed)
    noisy = image.astype(np.int16) + rng.normal(0.0, std, image.shape).astype(np.int16)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def add_specks(image: Image, dpi: int = 300, count: int = 40, seed: int = 2, max_mm: float = 0.6) -> Image:
    """Dark dust specks up to ``max_mm`` across, scattered over the page."""
    rng = np.random.default_rng(seed)
    out = image.copy()
    h, w = out.shape[:2]
    for _ in range(count):
        r = max(1, round(rng.uniform(0.1, max_mm / 2) / 25.4 * dpi))
        centre = (int(rng.integers(r, w - r)), int(rng.integers(r, h - r)))
        cv2.circle(out, centre, r, (int(rng.integers(0, 90)),) * 3, -1)
    return out


def add_pencil_signature(image: Image, dpi: int = 300, level: int = 185, seed: int = 3) -> Image:
    """A faint pencil scrawl (about 45 × 12 mm) near the bottom right, at grey ``level``."""
    rng = np.random.default_rng(seed)
    out = image.copy()
    h, w = out.shape[:2]
    x0, y0 = w - mm_to_px(80, dpi), h - mm_to_px(50, dpi)
    length, height = mm_to_px(45, dpi), mm_to_px(12, dpi)
    t = np.linspace(0, 1, 400)
    xs = x0 + t * length
    ys = y0 + height / 2 * np.sin(t * 6 * math.pi + rng.uniform(0, 1)) * (0.6 + 0.4 * np.cos(t * 7))
    points = np.stack([xs, ys], axis=1).round().astype(np.int32)
    thickness = max(1, mm_to_px(0.3, dpi))
    colour = (level,) * 3 if out.ndim == 3 else level
    cv2.polylines(out, [points], False, colour, thickness, lineType=cv2.LINE_AA)
    return out


def add_red_seal(image: Image, dpi: int = 300, centre_mm: tuple[float, float] = (150.0, 240.0)) -> Image:
    """A red round seal, 40 mm across, with a star and an arc of characters; returns an RGB page."""
    out = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB) if image.ndim == 2 else image.copy()
    red = (215, 35, 40)
    cx, cy = mm_to_px(centre_mm[0], dpi), mm_to_px(centre_mm[1], dpi)
    radius = mm_to_px(20, dpi)
    cv2.circle(out, (cx, cy), radius, red, max(2, mm_to_px(1.0, dpi)), lineType=cv2.LINE_AA)
    star = [
        (
            cx + radius * 0.3 * (1 if k % 2 == 0 else 0.4) * math.sin(k * math.pi / 5),
            cy - radius * 0.3 * (1 if k % 2 == 0 else 0.4) * math.cos(k * math.pi / 5),
        )
        for k in range(10)
    ]
    cv2.fillPoly(out, [np.array(star).round().astype(np.int32)], red, lineType=cv2.LINE_AA)
    pil = PILImage.fromarray(out)
    draw = ImageDraw.Draw(pil)
    font = _font(mm_to_px(5, dpi))
    for k, ch in enumerate("不动产登记专用章"):
        angle = math.radians(-70 + k * 20)
        x = cx + radius * 0.72 * math.sin(angle) - mm_to_px(2.5, dpi)
        y = cy - radius * 0.72 * math.cos(angle) - mm_to_px(2.5, dpi)
        draw.text((x, y), ch, font=font, fill=red)
    return np.asarray(pil, dtype=np.uint8).copy()


def add_photo(
    image: Image, dpi: int = 300, box_mm: tuple[float, float, float, float] = (25, 150, 120, 90)
) -> Image:
    """A smooth colour 'photo' (gradients and shapes) in ``box_mm`` = (x, y, width, height); RGB page."""
    out = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB) if image.ndim == 2 else image.copy()
    x, y = mm_to_px(box_mm[0], dpi), mm_to_px(box_mm[1], dpi)
    w, h = mm_to_px(box_mm[2], dpi), mm_to_px(box_mm[3], dpi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = 120 + 80 * np.sin(xx / 90.0) * np.cos(yy / 70.0)
    g = 110 + 60 * np.cos(xx / 50.0 + yy / 130.0)
    b = 100 + 90 * np.sin((xx + yy) / 110.0)
    photo = np.stack([r, g, b], axis=2)
    photo += np.random.default_rng(4).normal(0, 6, photo.shape).astype(np.float32)
    out[y : y + h, x : x + w] = np.clip(photo, 0, 255).astype(np.uint8)
    return out


def skew(image: Image, angle_deg: float) -> Image:
    """``image`` rotated counter-clockwise by ``angle_deg``, the corners filled with paper white."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle_deg, 1.0)
    fill = (255, 255, 255) if image.ndim == 3 else 255
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def on_background(image: Image, dpi: int = 300, border_mm: float = 8.0, level: int = 40) -> Image:
    """The page laid on a dark scanner background ``border_mm`` wide on every side."""
    b = mm_to_px(border_mm, dpi)
    fill = (level, level, level) if image.ndim == 3 else level
    return cv2.copyMakeBorder(image, b, b, b, b, cv2.BORDER_CONSTANT, value=fill)


def spread(left: Image, right: Image, gutter_mm: float = 6.0, dpi: int = 300) -> Image:
    """Two pages side by side with a white gutter between them."""
    gap = np.full((left.shape[0], mm_to_px(gutter_mm, dpi)), 255, np.uint8)
    return np.hstack([left, gap, right])
