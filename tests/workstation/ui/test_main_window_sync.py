"""Submitting a case from the main window and seeing where its packages are (issue #5 in the app)."""

from __future__ import annotations

import json
from pathlib import Path

from forms.case import Case
from sync.package import Department
from workstation.qt import QMessageBox
from workstation.session import Session
from workstation.sync_service import SyncService
from workstation.ui.main_window import MainWindow

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "second_hand_sale.json"


def _ready_case(signed_in: Session) -> Case:
    store = signed_in.store
    case = store.import_case(
        Case.model_validate(json.loads(EXAMPLE.read_text(encoding="utf-8"))), user=signed_in.require_user()
    )
    store.transition(case.id, "ready", user=signed_in.require_user())
    return case


def test_ctrl_enter_submits_the_selected_case_and_ctrl_i_shows_its_legs(qtbot, signed_in, settings):
    case = _ready_case(signed_in)
    signed_in.sync = SyncService(signed_in.store, settings, catalog=signed_in.catalog)
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    window.view.setCurrentIndex(window.model.index(0, 0))

    window.commands["submit"].trigger()
    _case, state = signed_in.store.load_case(case.id)
    assert state == "submitted"
    legs = signed_in.sync.legs(case.id)
    assert {leg.department for leg in legs} == set(Department)
    assert window.commands["submit"].shortcut().toString() == "Ctrl+Return"

    window.view.setCurrentIndex(window.model.index(0, 0))  # the list was refreshed after the submit
    window.commands["delivery"].trigger()
    box = window.delivery_box
    assert isinstance(box, QMessageBox) and box.objectName() == "deliveryStatus"
    assert "税务：待发送" in box.text() and "登记：待发送" in box.text()


def test_submitting_a_draft_is_refused_with_a_chinese_message(qtbot, signed_in, settings, monkeypatch):
    store = signed_in.store
    case = store.create_case(business_type="second_hand_sale", user=signed_in.require_user())
    signed_in.sync = SyncService(store, settings, catalog=signed_in.catalog)
    shown: list[BaseException] = []
    monkeypatch.setattr("workstation.ui.main_window.show_error", lambda parent, exc: shown.append(exc))
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    window.view.setCurrentIndex(window.model.index(0, 0))
    window.submit_selected()
    assert len(shown) == 1 and "Traceback" not in str(shown[0])
    assert store.load_case(case.id)[1] == "draft"
