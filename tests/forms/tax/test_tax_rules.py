"""The versioned rule tables: every row well formed, no overlaps, located errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from forms.tax import Region, TaxRulesError, default_rulebook, load_rules
from forms.tax.rulebook import default_rule_files

TOPICS_USED = [
    "deed_tax.standard",
    "deed_tax.exempt_spouse",
    "deed_tax.exempt_statutory_heir",
    "vat.individual_housing",
    "vat.individual_non_housing",
    "vat.company",
    "vat.gift_relatives",
    "city_maintenance_tax",
    "education_surcharge",
    "local_education_surcharge",
    "iit.property_transfer",
    "iit.assessed",
    "iit.exempt_five_only",
    "iit.gift",
    "stamp_duty.transfer",
    "stamp_duty.individual_housing_exempt",
    "land_vat.brackets",
    "land_vat.old_building_invoice",
    "land_vat.assessed",
    "land_vat.individual_housing_exempt",
    "registration_fee.standard",
    "registration_fee.business_types",
]


def test_shipped_rows_are_complete() -> None:
    book = default_rulebook()
    assert len(default_rule_files()) >= 7
    for row in book.rows:
        assert row.source.strip() and row.title.strip()
        assert row.confidence in ("P", "S", "M")


DAYS = [date(2017, 7, 1), date(2024, 11, 30), date(2024, 12, 1), date(2026, 1, 1), date(2035, 1, 1)]


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("city", ["", "上海", "杭州"])
def test_every_topic_in_force_from_2017(day: date, city: str) -> None:
    book = default_rulebook()
    for topic in TOPICS_USED:
        assert book.pick(topic, day, Region(city=city)).in_force(day)


def test_city_row_wins_over_national() -> None:
    book = default_rulebook()
    day = date(2020, 1, 1)
    assert book.pick("vat.individual_housing", day, Region(city="深圳市")).region == "city:深圳"
    assert book.pick("vat.individual_housing", day, Region(province="浙江", city="杭州")).region == "national"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ROW = """
  - id: {id}
    tax: deed_tax
    topic: deed_tax.standard
    title: 测试
    valid_from: {start}
    valid_to: {end}
    region: national
    source: 测试
    confidence: S
    params: {{rate_setting: deed_tax_standard_rate}}
"""


def test_overlapping_rows_are_rejected_with_file_and_line(tmp_path: Path) -> None:
    text = "rules:" + ROW.format(id="a", start="2020-01-01", end="2021-01-01")
    text += ROW.format(id="b", start="2021-01-01", end="null")
    path = _write(tmp_path, text)
    with pytest.raises(TaxRulesError, match=r"rules\.yaml 第 13 行.*重叠"):
        load_rules([path])


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    text = "rules:" + ROW.format(id="a", start="2020-01-01", end="2020-12-31")
    text += ROW.format(id="a", start="2021-01-01", end="null")
    with pytest.raises(TaxRulesError, match="重复"):
        load_rules([_write(tmp_path, text)])


def test_invalid_row_names_the_line(tmp_path: Path) -> None:
    text = "rules:" + ROW.format(id="a", start="2020-01-01", end="2019-01-01")
    with pytest.raises(TaxRulesError, match="第 2 行"):
        load_rules([_write(tmp_path, text)])
    good = "rules:" + ROW.format(id="a", start="2020-01-01", end="null")
    bad_tax = good.replace("tax: deed_tax", "tax: poll")
    with pytest.raises(TaxRulesError, match="poll"):
        load_rules([_write(tmp_path, bad_tax)])


def test_file_without_rules_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(TaxRulesError, match="rules:"):
        load_rules([_write(tmp_path, "rows: []\n")])
