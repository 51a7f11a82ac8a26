"""The 税费 page: example A's figures, live updates after the debounce, missing facts that jump."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from forms.tax import TaxKind, TaxSettings
from workstation.qt import QApplication, QCheckBox, QLineEdit, Qt
from workstation.session import Session
from workstation.ui.wizard.tax_page import FOCUS_TABLE_KEYS, REFRESH_DELAY_MS, TaxPage, tax_settings_for
from workstation.ui.wizard.wizard import CaseWizard

from .helpers import focused, press_enter, type_list

BUYER_ID = "33010619900512037X"
SELLER_ID = "330106197001010537"
EXAMPLE_A = {
    "parties[0].id_number": BUYER_ID,
    "parties[0].name": "张三",
    "parties[0].family_homes_owned": "0",  # the buyer's only home
    "parties[1].id_number": SELLER_ID,
    "parties[1].name": "刘四",
    "parties[1].family_homes_owned": "2",
    "property.area": "90",
    "transaction.price": "2000000",
    "transaction.acquisition.acquired_on": "2023-01-10",  # held over 3 years on the rule date
    "transaction.acquisition.original_value": "1200000",
}


def put(wizard: CaseWizard, path: str, text: str) -> None:
    """Change a bound line edit as typing does (the binder listens to ``textEdited``)."""
    widget = wizard.binder.widget(path)
    assert isinstance(widget, QLineEdit), path
    widget.setText(text)
    widget.textEdited.emit(text)


def make_wizard(qtbot, session: Session) -> CaseWizard:
    wizard = CaseWizard(session)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    return wizard


def enter_example_a(qtbot, wizard: CaseWizard, rule_date: str = "2026-03-01") -> TaxPage:
    """Enter example A through the pages and stop on the tax page with the estimate for ``rule_date``."""
    types = type_list(wizard)
    ids = [types.item(i).data(Qt.ItemDataRole.UserRole) for i in range(types.count())]  # type: ignore[union-attr]
    types.setCurrentRow(ids.index("second_hand_sale"))
    wizard.next()
    qtbot.keyClick(wizard, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # 买受人
    qtbot.keyClick(wizard, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 出卖人
    for path, value in EXAMPLE_A.items():
        if path.startswith("property."):
            break
        put(wizard, path, value)
    wizard.next()
    assert wizard.current_page_name() == "property"
    put(wizard, "property.area", EXAMPLE_A["property.area"])
    wizard.next()
    assert wizard.current_page_name() == "transaction"
    for path in (
        "transaction.price",
        "transaction.acquisition.acquired_on",
        "transaction.acquisition.original_value",
    ):
        put(wizard, path, EXAMPLE_A[path])
    proven = wizard.binder.widget("transaction.acquisition.original_value_proven")
    assert isinstance(proven, QCheckBox)
    proven.setChecked(True)
    wizard.next()
    assert wizard.current_page_name() == "tax"
    page = wizard.currentPage()
    assert isinstance(page, TaxPage)
    # the date defaults to today and the estimate is already shown
    assert page.rule_date.text() == date.today().isoformat()
    assert wizard.data["rule_date"] == date.today().isoformat()
    assert page.estimate is not None and page.table.rowCount() > 0
    page.rule_date.selectAll()
    page.rule_date.setFocus()
    qtbot.keyClicks(page.rule_date, rule_date)
    assert wizard.data["rule_date"] == rule_date
    qtbot.waitUntil(
        lambda: page.estimate is not None and str(page.estimate.rule_date) == rule_date, timeout=2000
    )
    return page


def row_of(page: TaxPage, tax: str, payer_prefix: str = "") -> dict[str, str]:
    """The cells of the table row of one tax (by its Chinese name), keyed by column header."""
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]  # type: ignore[union-attr]
    found = []
    for row in range(page.table.rowCount()):
        cells = {h: page.table.item(row, c).text() for c, h in enumerate(headers)}  # type: ignore[union-attr]
        if cells["税费"] == tax and cells["缴纳方"].startswith(payer_prefix):
            found.append(cells)
    assert len(found) == 1, (tax, payer_prefix, found)
    return found[0]


@pytest.fixture
def wizard(qtbot, signed_in) -> CaseWizard:
    return make_wizard(qtbot, signed_in)


def test_example_a_figures_names_totals_and_alternative(qtbot, wizard):
    page = enter_example_a(qtbot, wizard)
    deed = row_of(page, "契税")
    assert (deed["缴纳方"], deed["计税依据(元)"], deed["税率"], deed["金额(元)"]) == (
        "买受人：张三",
        "2,000,000.00",
        "1%",
        "20,000.00",
    )
    assert "2024年第16号" in deed["依据"]
    iit = row_of(page, "个人所得税")
    assert (iit["缴纳方"], iit["计税依据(元)"], iit["税率"], iit["金额(元)"]) == (
        "出卖人：刘四",
        "800,000.00",
        "20%",
        "160,000.00",
    )
    fee = row_of(page, "不动产登记费")
    assert (fee["缴纳方"], fee["金额(元)"]) == ("买受人：张三", "80.00")
    assert row_of(page, "增值税")["税率"] == "免征"
    assert page.estimate is not None
    assert page.estimate.totals == {
        "right_holder": Decimal("20080.00"),
        "obligor": Decimal("160000.00"),
        "total": Decimal("180080.00"),
    }
    totals = page.totals.text()
    assert "买受人：张三 合计 <b>20,080.00</b>" in totals
    assert "出卖人：刘四 合计 <b>160,000.00</b>" in totals
    assert "总计 180,080.00" in totals
    # the assessed IIT beside the actual one
    assert page.alternatives.isVisible() and page.alternatives.count() == 1
    assert "个人所得税 20,000.00 元" in page.alternatives.item(0).text()  # type: ignore[union-attr]
    # marked as an estimate
    assert page.badge.isVisible() and page.badge.text() == "预估"
    assert "税务机关核定为准" in page.disclaimer.text()
    # nothing is missing for example A
    assert page.missing.count() == 0 and "齐全" in page.missing_title.text()

    # selecting a line explains it in plain Chinese, naming the facts it depends on
    page.table.setCurrentCell(
        next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "个人所得税"),  # type: ignore[union-attr]
        0,
    )
    text = page.explanation_text()
    assert "据实计征" in text and "原值 1,200,000.00" in text and "满五唯一" in text
    assert "个人所得税法" in text
    assert "出卖人：刘四的家庭住房套数" in text
    page.alternatives.setCurrentRow(0)
    assert "核定征收" in page.explanation_text() and "备选" in page.explanation_text()


def test_area_150_updates_the_deed_tax_after_the_debounce_only(qtbot, wizard):
    page = enter_example_a(qtbot, wizard)
    shown: list[object] = []
    page.estimate_changed.connect(shown.append)
    put(wizard, "property.area", "150")  # the property page's field, changed while the tax page shows
    assert row_of(page, "契税")["金额(元)"] == "20,000.00"  # not yet: the debounce has not elapsed
    qtbot.waitUntil(lambda: row_of(page, "契税")["金额(元)"] == "30,000.00", timeout=REFRESH_DELAY_MS * 8)
    assert row_of(page, "契税")["税率"] == "1.5%"
    assert len(shown) == 1  # one refresh for the edit
    assert "总计 190,080.00" in page.totals.text()
    assert page.last_refresh_ms < 100  # parse + estimate + redraw on the UI thread


def test_rule_date_before_december_2024_applies_the_old_rules(qtbot, wizard):
    page = enter_example_a(qtbot, wizard, rule_date="2024-11-30")
    # held under 2 years on 2024-11-30: VAT 5% on the price excl. VAT (财税〔2016〕36号 附件3 第五条)
    vat = row_of(page, "增值税")
    assert (vat["税率"], vat["金额(元)"]) == ("5%", "95,238.10")
    deed = row_of(page, "契税")
    assert (deed["计税依据(元)"], deed["税率"], deed["金额(元)"]) == ("1,904,761.90", "1%", "19,047.62")
    assert "财税〔2016〕23号" in deed["依据"]
    assert row_of(page, "个人所得税")["金额(元)"] == "139,809.52"
    assert page.estimate is not None and page.estimate.totals["total"] == Decimal("259889.52")


def test_missing_fact_is_listed_and_clicking_it_focuses_the_field(qtbot, wizard):
    page = enter_example_a(qtbot, wizard)
    put(wizard, "parties[0].family_homes_owned", "")
    qtbot.waitUntil(lambda: page.missing.count() > 0, timeout=2000)
    paths = [page.missing.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.missing.count())]  # type: ignore[union-attr]
    assert "parties[0].family_homes_owned" in paths
    item = page.missing.item(paths.index("parties[0].family_homes_owned"))
    assert item is not None and "家庭住房套数" in item.text()
    assert page.table.rowCount() > 0  # the estimate still shows, with the fact listed as missing
    viewport = page.missing.viewport()
    assert viewport is not None
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=page.missing.visualItemRect(item).center())
    assert wizard.current_page_name() == "parties"
    assert focused(wizard) is wizard.binder.widget("parties[0].family_homes_owned")


def test_unparsable_data_shows_what_blocks_instead_of_stale_figures(qtbot, wizard):
    page = enter_example_a(qtbot, wizard)
    put(wizard, "property.area", "12a")
    qtbot.waitUntil(lambda: page.estimate is None, timeout=2000)
    assert page.table.rowCount() == 0
    assert "—" in page.totals.text()
    assert not page.alternatives.isVisible()
    item = page.missing.item(0)
    assert item is not None and "面积" in item.text()
    assert item.data(Qt.ItemDataRole.UserRole) == "property.area"
    # Enter on the listed item jumps as well (keyboard path)
    page.missing.setFocus()
    page.missing.setCurrentRow(0)
    qtbot.keyClick(page.missing, Qt.Key.Key_Return)
    assert wizard.current_page_name() == "property"
    assert focused(wizard) is wizard.binder.widget("property.area")


def test_keyboard_tab_shortcut_and_enter(qtbot, wizard):
    page = enter_example_a(qtbot, wizard)
    assert FOCUS_TABLE_KEYS in page.table.toolTip()
    page.rule_date.setFocus()
    qtbot.keyClick(page.rule_date, Qt.Key.Key_Tab)
    assert focused(wizard) is page.table
    page.rule_date.setFocus()
    qtbot.keyClick(page.rule_date, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert focused(wizard) is page.table
    # arrow keys move the explained line
    page.table.setCurrentCell(0, 0)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.table.currentRow() == 1
    assert page.estimate is not None
    assert page.estimate.lines[1].explanation.split("，")[0] in page.explanation_text()
    press_enter(qtbot, wizard)
    assert wizard.current_page_name() == "materials"


def test_invalid_rule_date_is_shown_next_to_the_field(qtbot, wizard):
    page = enter_example_a(qtbot, wizard)
    put(wizard, "rule_date", "2026-02-30")
    qtbot.waitUntil(lambda: "计税日期" in wizard.binder.issue_text("rule_date"), timeout=2000)
    assert page.estimate is None and page.table.rowCount() == 0
    item = page.missing.item(0)
    assert item is not None and item.data(Qt.ItemDataRole.UserRole) == "rule_date"


def test_office_settings_file_is_used(qtbot, signed_in, tmp_path: Path):
    office = tmp_path / "office.toml"
    office.write_text('[tax]\niit_method_when_proven = "assessed"\n', encoding="utf-8")
    settings = signed_in.settings.model_copy(update={"tax_settings_file": office})
    session = dataclasses.replace(signed_in, settings=settings)
    wizard = make_wizard(qtbot, session)
    page = enter_example_a(qtbot, wizard)
    assert page.tax_settings.iit_method_when_proven == "assessed"
    iit = row_of(page, "个人所得税")
    assert (iit["税率"], iit["金额(元)"]) == ("1%", "20,000.00")
    assert page.estimate is not None and page.estimate.amount_of(TaxKind.IIT) == Decimal("20000.00")


def test_tax_settings_for_reads_defaults_file_or_warns(tmp_path: Path):
    assert tax_settings_for(object()) == (TaxSettings(), "")
    good = tmp_path / "good.toml"
    good.write_text("[tax]\niit_assessed_rate = 0.02\n", encoding="utf-8")
    settings, warning = tax_settings_for(SimpleNamespace(tax_settings_file=good))
    assert settings.iit_assessed_rate == Decimal("0.02") and warning == ""
    bad = tmp_path / "bad.toml"
    bad.write_text("[tax]\niit_assessed_rate = 0.5\n", encoding="utf-8")
    settings, warning = tax_settings_for(SimpleNamespace(tax_settings_file=bad))
    assert settings == TaxSettings()
    assert "bad.toml 第 2 行" in warning and "默认设置" in warning


def test_mortgage_type_gets_the_tax_page_after_the_mortgage_page(qtbot, wizard):
    types = type_list(wizard)
    ids = [types.item(i).data(Qt.ItemDataRole.UserRole) for i in range(types.count())]  # type: ignore[union-attr]
    types.setCurrentRow(ids.index("mortgage_first"))
    wizard.next()
    wizard.next()
    wizard.next()
    assert wizard.current_page_name() == "mortgage"
    wizard.next()
    assert wizard.current_page_name() == "tax"
    page = wizard.currentPage()
    assert isinstance(page, TaxPage)
    # no mortgagee entered yet: the fee line shows and the missing party is listed
    assert row_of(page, "不动产登记费")["金额(元)"] == "80.00"
    paths = [page.missing.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.missing.count())]  # type: ignore[union-attr]
    assert "parties" in paths
