"""Build the bundled TrueType fonts from Debian's packages (run by hand; see README.md beside this file).

reportlab embeds TrueType (``glyf``) outlines only, so the Noto CJK fonts, which ship as CFF
(PostScript) outlines in an OpenType collection, are subset and converted to quadratic TrueType
outlines with fontTools' ``cu2qu``. The Hanazono fallback fonts are TrueType already and are only
subset to the ideographs the primary font lacks.

Usage (fontTools is a build-time tool only, never a runtime dependency)::

    pip install fonttools
    python assets/fonts/build_fonts.py

Inputs: Debian ``fonts-noto-cjk`` (/usr/share/fonts/opentype/noto/) and ``fonts-hanazono``
(/usr/share/fonts/truetype/hanazono/).
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

HERE = Path(__file__).resolve().parent
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
HANAZONO_DIR = Path("/usr/share/fonts/truetype/hanazono")

# Font number of "Noto … CJK SC" inside Debian's .ttc collections (JP, KR, SC, TC, HK order).
NOTO_SC_INDEX = 2

# What the body font keeps: Latin, punctuation and symbols the documents use, kana, and every
# CJK ideograph block (GB 18030-2005's mandatory set is the URO plus Extension A; Noto also has
# a few thousand Extension B–F characters, kept too). Hangul is dropped to keep the file small.
BODY_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),  # Latin-1, Latin Extended-A (foreign names in passports)
    (0x02C6, 0x02DD),
    (0x0391, 0x03C9),  # Greek
    (0x0401, 0x0451),  # Cyrillic (GB 2312 has it)
    (0x2000, 0x206F),  # general punctuation
    (0x20AC, 0x20AC),
    (0x2100, 0x218F),  # letterlike, number forms (Ⅰ Ⅱ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # maths operators
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (□ ■ ○ ●)
    (0x2600, 0x26FF),
    (0x2700, 0x27BF),  # dingbats (✓)
    (0x2E80, 0x2FDF),  # radicals
    (0x2FF0, 0x2FFF),
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x31C0, 0x31EF),  # strokes
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility (㎡)
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3134F),  # Extensions B–G (as far as the font goes)
    (0x2F800, 0x2FA1F),
)

# Where a fallback font may help: ideographs and their radicals and strokes.
IDEOGRAPH_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),
    (0x31C0, 0x31EF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)

DROP_TABLES = ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG", "JSTF", "MATH", "hdmx"]


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= code <= hi for lo, hi in ranges)


def _subset(font: TTFont, codepoints: set[int]) -> None:
    options = subset.Options()
    options.layout_features = []
    options.drop_tables = [*options.drop_tables, *DROP_TABLES]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.recalc_bounds = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)


def _cff_to_glyf(font: TTFont) -> None:
    """Replace CFF outlines by quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        glyph.recalcBounds(glyf)
        width = hmtx[name][0]
        hmtx[name] = (width, getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID-keyed names are meaningless and cost space
    font.sfntVersion = "\x00\x01\x00\x00"


def build_noto(source: str, target: str, codepoints_filter: set[int] | None) -> set[int]:
    """Subset and convert one Noto CJK SC face; returns the code points it covers."""
    font = TTFont(NOTO_DIR / source, fontNumber=NOTO_SC_INDEX)
    cmap = font.getBestCmap()
    wanted = {c for c in cmap if _in_ranges(c, BODY_RANGES)}
    if codepoints_filter is not None:
        wanted &= codepoints_filter
    _subset(font, wanted)
    _cff_to_glyf(font)
    font.save(HERE / target)
    return wanted


def build_fallback(source: str, target: str, covered: set[int]) -> set[int]:
    """Subset one Hanazono face to the ideographs not yet covered."""
    font = TTFont(HANAZONO_DIR / source)
    cmap = font.getBestCmap()
    wanted = {c for c in cmap if c not in covered and _in_ranges(c, IDEOGRAPH_RANGES)}
    _subset(font, wanted)
    font.save(HERE / target)
    return wanted


def _gb2312() -> set[int]:
    chars = set()
    for code in range(0x20, 0x10000):
        try:
            chr(code).encode("gb2312")
        except UnicodeEncodeError:
            continue
        chars.add(code)
    return chars | set(range(0x20, 0x7F)) | {0x33A1, 0x2116, 0x2713, 0x25A1, 0x25A0}


def main() -> None:
    """Build every bundled font file."""
    body = build_noto("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.ttf", None)
    print("body", len(body))
    heading = build_noto("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.ttf", _gb2312())
    print("heading", len(heading))
    fallback_a = build_fallback("HanaMinA.ttf", "HanaMinA-subset.ttf", body)
    print("fallback A", len(fallback_a))
    fallback_b = build_fallback("HanaMinB.ttf", "HanaMinB-subset.ttf", body | fallback_a)
    print("fallback B", len(fallback_b))


if __name__ == "__main__":
    main()
