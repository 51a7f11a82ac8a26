"""Bundled fonts: per-character choice, missing glyphs, and the ToUnicode fix for rare characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from printing import fonts
from printing.errors import FontMissing


def test_to_unicode_cmap_writes_surrogate_pairs() -> None:
    cmap = fonts.to_unicode_cmap("AAAAAA+Test", [0x41, 0x4DAE, 0x20BB7])
    assert "<00> <0041>" in cmap
    assert "<01> <4DAE>" in cmap
    assert "<02> <D842DFB7>" in cmap  # U+20BB7 𠮷 as UTF-16BE
    assert "3 beginbfchar" in cmap


def test_to_unicode_cmap_blocks_of_at_most_100() -> None:
    cmap = fonts.to_unicode_cmap("X", list(range(0x4E00, 0x4E00 + 256)))
    assert cmap.count("beginbfchar") == 3
    assert "100 beginbfchar" in cmap and "56 beginbfchar" in cmap


def test_reportlab_uses_the_fixed_writer() -> None:
    from reportlab.pdfbase import ttfonts

    fonts.register_fonts()
    assert ttfonts.makeToUnicodeCMap is fonts.to_unicode_cmap


def test_missing_glyphs() -> None:
    assert fonts.missing_glyphs("张𠮷 刘䶮\n") == []
    beyond = chr(0x31350)  # CJK Extension H: in no bundled font
    assert fonts.missing_glyphs(f"李{beyond}{beyond}") == [beyond]
    assert fonts.missing_glyphs_in(["王", f"赵{beyond}"]) == [beyond]


def test_characters_fall_back_per_character() -> None:
    rare = chr(min(c for c in fonts.coverage(fonts.FALLBACK_B.name) if c >= 0x20000))
    runs = fonts.font_runs(f"张{rare}三", fonts.BODY_CHAIN)
    assert runs == [(fonts.BODY.name, "张"), (fonts.FALLBACK_B.name, rare), (fonts.BODY.name, "三")]
    assert fonts.markup("A<B&", fonts.BODY_CHAIN) == "A&lt;B&amp;"


def test_body_font_covers_gb18030_mandatory_ideographs() -> None:
    covered = fonts.coverage(fonts.BODY.name) | fonts.coverage(fonts.FALLBACK_A.name)
    uro = range(0x4E00, 0x9FA6)  # GB 18030-2005: the URO as of Unicode 4.1 …
    ext_a = range(0x3400, 0x4DB6)  # … and Extension A
    assert all(c in covered for c in uro)
    assert all(c in covered for c in ext_a)


def test_font_files_have_their_licences() -> None:
    folder = fonts.font_dir()
    for face in fonts.FACES:
        assert (folder / face.file).is_file()
    assert (folder / "LICENSE-Noto-CJK-OFL.txt").is_file()
    assert (folder / "LICENSE-Hanazono.txt").is_file()


def test_missing_font_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FontMissing, match="YICHUANG_FONT_DIR"):
        fonts.load_face(tmp_path, fonts.BODY)
