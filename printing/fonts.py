"""The bundled CJK fonts, chosen per character, and the fix that keeps rare characters extractable.

Fonts (``assets/fonts/``, provenance and licences in the README there):

* body text: Noto Serif CJK SC (宋体 style), TrueType-converted and subset to every CJK ideograph it
  has (the whole GB 18030-2005 mandatory set: URO and Extension A) plus Latin, punctuation and kana;
* headings: Noto Sans CJK SC Bold (黑体 style), subset to GB 2312; other characters fall back to the
  body chain;
* fallback: Hanazono Mincho A and B, subset to the ideographs Noto lacks (Extensions B–F: the rare
  characters of names).

Each character is set in the first font of the chain that has it (:func:`markup`).
:func:`missing_glyphs` tells the wizard, at entry, which characters no bundled font covers.

reportlab writes each subset's ToUnicode CMap with ``<%04X>``, which is wrong for code points outside
the Basic Multilingual Plane (``<20BB7>`` instead of the UTF-16 pair ``<D842DFB7>``), so ``pdftotext``
cannot give back 𠮷. :func:`register_fonts` installs :func:`to_unicode_cmap` in its place, which
writes UTF-16BE with surrogate pairs (PDF 32000-1:2008 §9.10.3) in blocks of at most 100 entries.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from printing.errors import FontMissing

FONT_DIR_ENV: Final = "YICHUANG_FONT_DIR"
"""Environment variable that overrides where the font files are looked for."""


@dataclass(frozen=True)
class FontFace:
    """One bundled font file.

    Attributes:
        name: the name it is registered under in reportlab.
        file: the file name in the font folder.
        role: what it is for, in Chinese (used in messages).
    """

    name: str
    file: str
    role: str


BODY: Final = FontFace("YichuangSerif", "NotoSerifCJKsc-Regular.ttf", "正文字体（思源宋体/Noto Serif CJK）")
HEADING: Final = FontFace("YichuangSansBold", "NotoSansCJKsc-Bold.ttf", "标题字体（思源黑体/Noto Sans CJK）")
FALLBACK_A: Final = FontFace("YichuangHanaMinA", "HanaMinA-subset.ttf", "生僻字字体（花园明朝 A）")
FALLBACK_B: Final = FontFace("YichuangHanaMinB", "HanaMinB-subset.ttf", "生僻字字体（花园明朝 B）")

FACES: Final[tuple[FontFace, ...]] = (BODY, HEADING, FALLBACK_A, FALLBACK_B)
BODY_CHAIN: Final[tuple[str, ...]] = (BODY.name, FALLBACK_A.name, FALLBACK_B.name)
"""Fonts tried, in order, for body text."""
HEADING_CHAIN: Final[tuple[str, ...]] = (HEADING.name, *BODY_CHAIN)
"""Fonts tried, in order, for headings."""

# Characters that need no glyph: they are layout, not text.
_IGNORABLE: Final = frozenset("\n\r\t\u200b\u200c\u200d\ufeff")

_lock = threading.Lock()
_coverage: dict[str, frozenset[int]] = {}


def font_dir() -> Path:
    """The folder holding the bundled fonts.

    ``$YICHUANG_FONT_DIR`` if set, else ``assets/fonts`` of the source checkout (the package is installed
    in editable mode, so this file sits in ``<repo>/printing/``).
    """
    configured = os.environ.get(FONT_DIR_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "assets" / "fonts"


# ------------------------------------------------------------------------------ ToUnicode fix
def _utf16_hex(code: int) -> str:
    if code > 0xFFFF:
        code -= 0x10000
        return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"
    return f"{code:04X}"


def to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """A ToUnicode CMap for one 256-glyph subset, correct for every plane.

    Drop-in replacement of ``reportlab.pdfbase.ttfonts.makeToUnicodeCMap``: byte code ``i`` maps to
    ``subset[i]`` written as UTF-16BE, so code points above U+FFFF become surrogate pairs.

    Args:
        fontname: the subset font's base name.
        subset: the Unicode code point of each byte code.

    Returns:
        The CMap program text.
    """
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    entries = [f"<{i:02X}> <{_utf16_hex(code)}>" for i, code in enumerate(subset)]
    for start in range(0, len(entries), 100):  # at most 100 entries per block (PDF 32000-1 §9.10.3)
        block = entries[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(block)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


# ------------------------------------------------------------------------------ registration
def load_face(folder: Path, face: FontFace) -> TTFont:
    """Read one bundled font file.

    Raises:
        FontMissing: the file is missing or unreadable; the message says how to fix it.
    """
    path = folder / face.file
    if not path.is_file():
        raise FontMissing(
            f"找不到{face.role}文件 {path}。请重新安装一窗受理；"
            f"从源代码运行时请确认 assets/fonts 完整，或设置环境变量 {FONT_DIR_ENV} 指向字体文件夹。"
        )
    try:
        return TTFont(face.name, str(path))
    except (OSError, TTFError) as exc:
        raise FontMissing(
            f"{face.role}文件 {path} 无法读取（{exc}）。请重新安装一窗受理以恢复字体文件。"
        ) from exc


def register_fonts() -> None:
    """Register the bundled fonts with reportlab (once) and install the ToUnicode fix.

    Raises:
        FontMissing: a font file is missing or unreadable.
    """
    if len(_coverage) == len(FACES):
        return
    with _lock:
        if len(_coverage) == len(FACES):
            return
        ttfonts.makeToUnicodeCMap = to_unicode_cmap
        folder = font_dir()
        for face in FACES:
            font = load_face(folder, face)
            pdfmetrics.registerFont(font)
            _coverage[face.name] = frozenset(c for c, g in font.face.charToGlyph.items() if g)


def coverage(font_name: str) -> frozenset[int]:
    """The code points one registered bundled font has a glyph for."""
    register_fonts()
    return _coverage[font_name]


def font_for(char: str, chain: Sequence[str] = BODY_CHAIN) -> str | None:
    """The first font of ``chain`` that has a glyph for ``char``, or ``None``."""
    register_fonts()
    code = ord(char)
    for name in chain:
        if code in _coverage[name]:
            return name
    return None


def font_runs(text: str, chain: Sequence[str] = BODY_CHAIN) -> list[tuple[str, str]]:
    """Split text into runs set in one font each.

    Characters no font covers, and ignorable ones, stay in the run before them (the first font for a
    leading one), so layout is undisturbed; :func:`missing_glyphs` reports the uncovered ones.

    Args:
        text: the text.
        chain: the font names to try, in order.

    Returns:
        ``(font name, text)`` pairs in order.
    """
    register_fonts()
    sets = [(name, _coverage[name]) for name in chain]
    runs: list[tuple[str, str]] = []
    current = chain[0]
    buffer: list[str] = []
    for char in text:
        code = ord(char)
        chosen = next((name for name, cov in sets if code in cov), None)
        if chosen is None or chosen == current:
            buffer.append(char)
            continue
        if buffer:
            runs.append((current, "".join(buffer)))
        current, buffer = chosen, [char]
    if buffer:
        runs.append((current, "".join(buffer)))
    return runs


def markup(text: str, chain: Sequence[str] = BODY_CHAIN) -> str:
    """Paragraph markup for plain text: escaped, with ``<font>`` tags where a fallback font is needed.

    The paragraph's style must use ``chain[0]`` as its font. Line breaks become ``<br/>``.

    Args:
        text: plain text (never markup: ``<`` and ``&`` are escaped).
        chain: the font names to try, in order.

    Returns:
        reportlab paragraph markup.
    """
    parts: list[str] = []
    for name, run in font_runs(text, chain):
        escaped = escape(run).replace("\n", "<br/>")
        parts.append(escaped if name == chain[0] else f'<font face="{name}">{escaped}</font>')
    return "".join(parts)


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` that no bundled font can print, each once, in order of appearance.

    The wizard calls this when a name or address is entered and warns the clerk then, not at print
    time (a missing glyph prints as an empty box).

    Args:
        text: any text, e.g. a party's name.

    Returns:
        The uncovered characters; empty when everything can be printed.

    Raises:
        FontMissing: a bundled font file is missing.
    """
    register_fonts()
    seen: list[str] = []
    for char in text:
        if char in _IGNORABLE or char in seen:
            continue
        code = ord(char)
        if not any(code in _coverage[name] for name in BODY_CHAIN):
            seen.append(char)
    return seen


def missing_glyphs_in(texts: Iterable[str]) -> list[str]:
    """:func:`missing_glyphs` over several texts (e.g. every name and address of a case)."""
    found: list[str] = []
    for text in texts:
        found.extend(c for c in missing_glyphs(text) if c not in found)
    return found
