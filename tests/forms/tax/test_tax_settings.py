"""Office settings: defaults, TOML loading, errors naming file and line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from forms.errors import FormsError
from forms.tax import TaxSettings, TaxSettingsError, load_tax_settings


def test_defaults_and_descriptions() -> None:
    settings = TaxSettings()
    assert settings.deed_tax_standard_rate == Decimal("0.03")
    assert settings.iit_assessed_rate == Decimal("0.01")
    assert settings.district_class == "urban"
    for name, field in TaxSettings.model_fields.items():
        assert field.title, name
        assert field.description, name


def test_load_from_tax_section(tmp_path: Path) -> None:
    path = tmp_path / "office.toml"
    path.write_text(
        '[office]\nname = "x"\n\n[tax]\ndeed_tax_standard_rate = 0.04\ncity = "上海"\n'
        'minimum_assessed_price_per_sqm = "12000"\nsurcharge_halving = false\n',
        encoding="utf-8",
    )
    settings = load_tax_settings(path)
    assert settings.deed_tax_standard_rate == Decimal("0.04")
    assert settings.city == "上海"
    assert settings.minimum_assessed_price_per_sqm == Decimal("12000")
    assert settings.surcharge_halving is False


def test_file_without_tax_section_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "office.toml"
    path.write_text("[office]\nname = 'x'\n", encoding="utf-8")
    assert load_tax_settings(path) == TaxSettings()


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("[tax]\n\ndeed_tax_standard_rate = 0.06\n", r"第 3 行：“契税一般税率”.*不大于 0.05"),
        ("[tax]\nfoo = 1\n", r"第 2 行：未知的设置项“foo”"),
        ("[tax]\ndistrict_class = 'city'\n", r"第 2 行：“默认所在地类别”"),
        ("[tax]\niit_assessed_rate = 'abc'\n", r"第 2 行：.*应为小数"),
        ("[tax]\nx = \n", r"第 2 行：TOML 格式错误"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, pattern: str) -> None:
    path = tmp_path / "office.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxSettingsError, match=pattern) as info:
        load_tax_settings(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, FormsError)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TaxSettingsError, match="找不到"):
        load_tax_settings(tmp_path / "none.toml")
