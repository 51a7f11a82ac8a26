"""Look-ups from the wizard against the real reference back ends over HTTP (issue #5, F6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.backends import DEFAULT_ENROLMENT_TOKEN, ReferenceBackends
from sync.keys import CredentialVault
from sync.package import Department
from tests.sync.harness import MemoryKeyring
from workstation import demo
from workstation.qt import QApplication, QMessageBox, QPushButton, Qt
from workstation.session import Session
from workstation.storage.store import SqlStore
from workstation.sync_service import SyncService
from workstation.ui.wizard.pages import PropertyPage, TransactionPage
from workstation.ui.wizard.wizard import CaseWizard

from .conftest import make_settings
from .helpers import enter_text, field


@pytest.fixture
def backends(tmp_path: Path) -> Iterator[ReferenceBackends]:
    with ReferenceBackends(tmp_path / "backends.sqlite") as running:
        demo.script_demo_lookups(running)
        yield running


@pytest.fixture
def online(signed_in: Session, backends: ReferenceBackends, data_dir: Path) -> Session:
    settings = make_settings(
        data_dir,
        sync_transaction_url=backends.url(Department.TRANSACTION),
        sync_tax_url=backends.url(Department.TAX),
        sync_registration_url=backends.url(Department.REGISTRATION),
    )
    assert isinstance(signed_in.store, SqlStore)
    service = SyncService(
        signed_in.store, settings, catalog=signed_in.catalog, vault=CredentialVault(MemoryKeyring())
    )
    service.enrol(DEFAULT_ENROLMENT_TOKEN)
    signed_in.sync = service
    return signed_in


def _wizard(qtbot, session: Session) -> CaseWizard:
    wizard = CaseWizard(session)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)  # shortcuts need the active window
    wizard.create_case("second_hand_sale")
    assert wizard.case_id is not None
    return wizard


def _button(box: QMessageBox | None, name: str) -> QPushButton:
    assert box is not None
    found = box.findChild(QPushButton, name)
    assert isinstance(found, QPushButton), name
    return found


def test_f6_on_the_transaction_page_fills_the_case_from_the_contract(qtbot, online):
    wizard = _wizard(qtbot, online)
    wizard.go_to("transaction")
    page = wizard.pages["transaction"]
    assert isinstance(page, TransactionPage)
    filing = field(wizard, "transaction.contract_filing_number")
    filing.setFocus()
    enter_text(qtbot, filing, demo.DEMO_CONTRACT_NO)
    qtbot.keyClick(filing, Qt.Key.Key_F6)

    box = page.contract_lookup.dialog
    assert box is not None and box.objectName() == "contractLookup"
    assert "2680000.00" in box.informativeText() and "陈思远" in box.informativeText()
    assert "数据时间：刚刚" in box.informativeText()
    _button(box, "contractFill").click()

    data = wizard.data
    assert data["transaction"]["price"] == "2680000" and data["property"]["area"] == "96.40"
    assert data["property"]["unit_number"] == "330106005002GB01998F00020301"
    parties = data["parties"]
    assert [(p["role"], p["name"], p["id_number"]) for p in parties] == [
        ("right_holder", "陈思远", "33010619880315051X"),
        ("obligor", "周雅琴", "330102198507210324"),
    ]
    assert [p["capacity"] for p in parties] == ["buyer", "seller"]  # added under the catalog's roles
    assert field(wizard, "transaction.price").text() == "2680000"  # the widgets show what was filled
    assert "交易系统有此合同" in page.contract_lookup.row.answer.text()


def test_a_typed_value_is_overwritten_only_when_the_clerk_says_so(qtbot, online):
    wizard = _wizard(qtbot, online)
    wizard.go_to("property")
    location = field(wizard, "property.location")
    enter_text(qtbot, location, "文三路 200 号")
    wizard.go_to("transaction")
    page = wizard.pages["transaction"]
    assert isinstance(page, TransactionPage)
    enter_text(qtbot, field(wizard, "transaction.contract_filing_number"), demo.DEMO_CONTRACT_NO)
    page.contract_lookup.run()
    box = page.contract_lookup.dialog
    assert box is not None and "坐落：已录入“文三路 200 号”" in box.informativeText()
    _button(box, "contractKeep").click()
    assert wizard.data["property"]["location"] == "文三路 200 号"
    assert wizard.data["transaction"]["price"] == "2680000"  # empty fields are filled either way

    page.contract_lookup.run()
    _button(page.contract_lookup.dialog, "contractOverwrite").click()
    assert wizard.data["property"]["location"] == "杭州市西湖区文三路 199 号 2 幢 301 室"
    assert len(wizard.data["parties"]) == 2  # the second look-up matched the parties it added


def test_unknown_contract_is_a_chinese_message_and_intake_goes_on(qtbot, online, monkeypatch):
    shown: list[BaseException] = []
    monkeypatch.setattr("workstation.ui.wizard.lookups.show_error", lambda parent, exc: shown.append(exc))
    wizard = _wizard(qtbot, online)
    wizard.go_to("transaction")
    page = wizard.pages["transaction"]
    assert isinstance(page, TransactionPage)
    enter_text(qtbot, field(wizard, "transaction.contract_filing_number"), "HZ2026WQ9999999")
    page.contract_lookup.run()
    assert len(shown) == 1 and "没有" in str(shown[0]) and "Traceback" not in str(shown[0])
    assert "HZ2026WQ9999999" in page.contract_lookup.row.answer.text()
    assert "price" not in (wizard.data.get("transaction") or {}) or not wizard.data["transaction"]["price"]


def test_f6_on_the_property_page_shows_the_status_and_records_it(qtbot, online):
    wizard = _wizard(qtbot, online)
    wizard.go_to("property")
    page = wizard.pages["property"]
    assert isinstance(page, PropertyPage)
    unit = field(wizard, "property.unit_number")
    unit.setFocus()
    enter_text(qtbot, unit, "330106005002GB01998F00020301")
    qtbot.keyClick(unit, Qt.Key.Key_F6)
    answer = page.status_lookup.row.answer.text()
    assert answer.startswith("查封：无　异议登记：无　抵押：有") and "数据时间：刚刚" in answer
    assert page.status_lookup.warning is None
    assert wizard.case_id is not None
    history = online.store.history(wizard.case_id)
    assert any("property_status" in change.details for change in history)  # compared at the re-check

    unit.clear()
    enter_text(qtbot, unit, "330106005002GB01999F00010101")
    page.status_lookup.run()
    assert page.status_lookup.warning is not None
    assert "查封" in page.status_lookup.warning.text() and "科长" in page.status_lookup.warning.text()
    assert "color: #b00020" in page.status_lookup.row.answer.styleSheet()


def test_offline_window_says_so_instead_of_looking_up(qtbot, signed_in, monkeypatch):
    told: list[str] = []
    monkeypatch.setattr(
        "workstation.ui.wizard.lookups.QMessageBox.information", lambda parent, title, text: told.append(text)
    )
    assert signed_in.sync is None
    wizard = _wizard(qtbot, signed_in)
    wizard.go_to("transaction")
    page = wizard.pages["transaction"]
    assert isinstance(page, TransactionPage)
    enter_text(qtbot, field(wizard, "transaction.contract_filing_number"), "HZ1")
    page.contract_lookup.run()
    assert told and "离线" in told[0]
    QApplication.processEvents()
