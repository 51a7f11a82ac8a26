"""The office's overdue limit when a case is started: warn, then a supervisor's password (issue #5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from forms.case import Case
from workstation.audit import AuditKind
from workstation.session import Session
from workstation.storage.api import Role
from workstation.storage.store import SqlStore
from workstation.sync_service import SyncService
from workstation.ui.intake_gate import IntakeApprovalDialog
from workstation.ui.main_window import MainWindow
from workstation.ui.wizard.wizard import CaseWizard

from .conftest import make_settings

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "second_hand_sale.json"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def _pending(signed_in: Session, data_dir: Path, days: int) -> Clock:
    """A case submitted now whose packages stay undelivered; the service's clock can be moved on."""
    clock = Clock()
    settings = make_settings(data_dir, sync_overdue_days=days)
    assert isinstance(signed_in.store, SqlStore)
    service = SyncService(signed_in.store, settings, catalog=signed_in.catalog, clock=clock)
    clerk = signed_in.require_user()
    case = signed_in.store.import_case(
        Case.model_validate(json.loads(EXAMPLE.read_text(encoding="utf-8"))), user=clerk
    )
    signed_in.store.transition(case.id, "ready", user=clerk)
    service.submit_case(case.id, user=clerk)
    signed_in.sync = service
    return clock


def _window(qtbot, session: Session) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    return window


def test_within_the_limit_a_case_starts_at_once(qtbot, signed_in, data_dir):
    _pending(signed_in, data_dir, days=3)
    window = _window(qtbot, signed_in)
    wizard = window.start_new_case()
    assert isinstance(wizard, CaseWizard)
    assert not window.status_overdue.isVisibleTo(window)


def test_near_the_limit_the_clerk_is_warned_and_goes_on(qtbot, signed_in, data_dir):
    clock = _pending(signed_in, data_dir, days=3)
    clock.now += timedelta(days=2, hours=12)
    window = _window(qtbot, signed_in)
    assert isinstance(window.start_new_case(), CaseWizard)
    assert window.status_overdue.isVisibleTo(window)
    assert "个数据包未送达" in window.status_overdue.text() and "U 盘" in window.status_overdue.text()


def test_past_the_limit_a_supervisor_approves_with_their_own_password(qtbot, signed_in, data_dir):
    store = signed_in.store
    boss = store.add_user(
        username="boss", display_name="李科长", password="boss-pass-2026", role=Role.SUPERVISOR
    )
    clock = _pending(signed_in, data_dir, days=3)
    clock.now += timedelta(days=4)
    window = _window(qtbot, signed_in)
    opened: list[object] = []
    window.wizard_opened.connect(opened.append)

    assert window.start_new_case() is None
    dialog = window.intake_approval
    assert isinstance(dialog, IntakeApprovalDialog) and not opened
    assert "已超过本单位规定的 3 天" in window.status_overdue.text()

    # Without a reason, with the clerk's own password, with a wrong password: refused, and said why.
    dialog.username.setText("boss")
    dialog.password.setText("boss-pass-2026")
    dialog.submit()
    assert "审批意见" in dialog.message.text() and not opened
    dialog.reason.setPlainText("网络中断两天，已安排今天用 U 盘报送")
    dialog.username.setText("clerk")
    dialog.password.setText("window-03-pass")
    dialog.submit()
    assert dialog.message.text() and not opened
    dialog.username.setText("boss")
    dialog.password.setText("wrong")
    dialog.submit()
    assert dialog.message.text() and not opened
    assert dialog.password.text() == ""  # never kept in the widget

    dialog.password.setText("boss-pass-2026")
    dialog.submit()
    assert len(opened) == 1 and isinstance(opened[0], CaseWizard)
    approvals = [e for e in store.audit_entries() if e.kind == AuditKind.APPROVAL.value]
    assert len(approvals) == 1 and approvals[0].user_id == boss.id
    details = store.audit_details(approvals[0])
    assert details["approval"] == "sync_overdue" and details["clerk"] == signed_in.require_user().id
    assert "U 盘" in details["reason"]
