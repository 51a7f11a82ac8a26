"""收费登记 (F9), the end-of-day tab and its sign-off, the statistics tab and export, the first keystroke."""

from __future__ import annotations

import csv
import uuid
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from forms.case import Case
from tests.workstation.storage.cases import sample_case
from workstation.audit import AuditKind
from workstation.fees import FeeEntry, FeeItemCode, FeeMethod
from workstation.qt import QDialogButtonBox, QItemSelectionModel, QKeySequence
from workstation.session import Session
from workstation.storage.api import Role, User
from workstation.storage.models import CaseRow
from workstation.ui.fee_dialog import FeeDialog
from workstation.ui.main_window import MainWindow
from workstation.ui.supervisor import SupervisorWindow
from workstation.ui.wizard.wizard import CaseWizard

from .helpers import type_list

BOSS_PASSWORD = "boss-pass-123"


def _case(
    store: Any, clerk: User, *, submit: bool = True, unit: str = "110105001001GB00001F00010001"
) -> uuid.UUID:
    case = sample_case(unit_number=unit).model_copy(update={"business_type": "second_hand_sale"})
    stored: Case = store.import_case(case, user=clerk)
    if submit:
        store.transition(stored.id, "ready", user=clerk)
        store.transition(stored.id, "submitted", user=clerk)
    return stored.id


@pytest.fixture
def boss(signed_in: Session) -> User:
    return signed_in.store.add_user(
        username="boss", display_name="李科长", password=BOSS_PASSWORD, role=Role.SUPERVISOR
    )


def _open_fee_dialog(qtbot: Any, session: Session, case_id: uuid.UUID) -> FeeDialog:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.model.refresh()
    row = next(r for r in range(window.model.rowCount()) if window.model.summary(r).id == case_id)
    selection = window.view.selectionModel()
    assert selection is not None
    window.view.setCurrentIndex(window.model.index(row, 0))
    selection.select(
        window.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert window.commands["fees"].shortcut() == QKeySequence("F9")
    window.commands["fees"].trigger()
    dialog = window.fee_dialog
    assert isinstance(dialog, FeeDialog)
    qtbot.addWidget(dialog)
    return dialog


def _ok(dialog: FeeDialog) -> Any:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


def test_f9_records_a_cash_fee(qtbot, signed_in, clerk):
    case_id = _case(signed_in.store, clerk)
    dialog = _open_fee_dialog(qtbot, signed_in, case_id)
    assert dialog.context is not None and dialog.context.items[0].amount_fen == 8000
    assert "80.00" in dialog.item_checks[dialog.context.items[0].code].text()
    assert "应收合计：80.00" in dialog.total.text()
    assert not dialog.waiver.isVisibleTo(dialog) and not dialog.void_button.isVisibleTo(dialog)
    assert not dialog.reference.isEnabled()  # cash has no trace number
    dialog.bill_no.setText("ZJ2025-0001")
    with qtbot.waitSignal(dialog.recorded) as blocker:
        _ok(dialog).click()
    payment = blocker.args[0]
    assert (payment.method, payment.amount_fen, payment.bill_no) == (FeeMethod.CASH, 8000, "ZJ2025-0001")
    assert [p.bill_no for p in signed_in.store.fee_payments(case_id)] == ["ZJ2025-0001"]


def test_missing_trace_number_is_named_and_nothing_is_stored(qtbot, signed_in, clerk):
    case_id = _case(signed_in.store, clerk)
    dialog = _open_fee_dialog(qtbot, signed_in, case_id)
    dialog.method.setCurrentIndex(dialog.method.findData(FeeMethod.WECHAT.value))
    assert dialog.reference.isEnabled()
    dialog.bill_no.setText("B1")
    _ok(dialog).click()
    assert "交易流水号" in dialog.message.text()
    assert signed_in.store.fee_payments(case_id) == []


def test_a_draft_cannot_be_charged(qtbot, signed_in, clerk):
    case_id = _case(signed_in.store, clerk, submit=False)
    dialog = _open_fee_dialog(qtbot, signed_in, case_id)
    assert not _ok(dialog).isEnabled()
    assert "尚未受理" in dialog.message.text()


def test_waiver_needs_the_supervisors_password_then_a_supervisor_voids(qtbot, signed_in, clerk, boss):
    case_id = _case(signed_in.store, clerk)
    dialog = _open_fee_dialog(qtbot, signed_in, case_id)
    dialog.method.setCurrentIndex(dialog.method.findData(FeeMethod.WAIVED.value))
    assert dialog.waiver.isVisibleTo(dialog) and not dialog.bill_no.isEnabled()
    assert "免收金额：80.00" in dialog.total.text()
    dialog.reason.setPlainText("小微企业")
    dialog.approver.setText("boss")
    dialog.approver_password.setText("wrong-password")
    _ok(dialog).click()
    assert "密码" in dialog.message.text() and dialog.approver_password.text() == ""
    dialog.approver_password.setText(BOSS_PASSWORD)
    with qtbot.waitSignal(dialog.recorded):
        _ok(dialog).click()
    signed_in.user = boss
    dialog = _open_fee_dialog(qtbot, signed_in, case_id)
    assert dialog.void_button.isVisibleTo(dialog) and dialog.payments.rowCount() == 1
    dialog.payments.selectRow(0)
    with qtbot.waitSignal(dialog.voided):
        dialog.void_selected(reason="审批有误")
    item = dialog.payments.item(0, 5)
    assert item is not None and "已作废" in item.text()


@pytest.fixture
def workspace(qtbot, signed_in, clerk, boss) -> SupervisorWindow:
    store = signed_in.store
    case_id = _case(store, clerk)
    store.record_fee(_cash(case_id), user=clerk)
    signed_in.user = boss
    window = SupervisorWindow(signed_in)
    qtbot.addWidget(window)
    window.show()
    return window


def _cash(case_id: uuid.UUID) -> FeeEntry:
    return FeeEntry(
        case_id=case_id,
        items=(FeeItemCode.REGISTRATION,),
        amount_fen=8000,
        method=FeeMethod.CASH,
        bill_no="B1",
    )


def test_the_workspace_has_queue_and_report_tabs(qtbot, signed_in, clerk, boss):
    signed_in.user = boss
    window = SupervisorWindow(signed_in)
    qtbot.addWidget(window)
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "队列(&1)",
        "日终报表(&2)",
        "统计(&3)",
    ]


def test_day_report_tab_shows_pages_and_signs_once(qtbot, workspace, signed_in, boss):
    tab = workspace.tabs.show_day_report()
    assert tab.view is not None and tab.view.closing is None and tab.view.pages
    assert tab.pages.count() == len(tab.view.pages)
    assert tab.view.report is not None and tab.view.report.collected_fen == 8000
    assert "尚未签字" in tab.status.text() and tab.sign_button.isEnabled()
    dialog = tab.open_sign()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.password.setText("not-the-password")
    dialog.submit()
    assert "密码" in dialog.message.text()
    dialog.password.setText(BOSS_PASSWORD)
    with qtbot.waitSignal(dialog.signed):
        dialog.submit()
    assert tab.view is not None and tab.view.closing is not None
    assert "已由李科长于" in tab.status.text() and not tab.sign_button.isEnabled()
    tab.refresh()  # a signed day shows its stored, signed PDF
    assert tab.view.closing is not None and tab.view.report is None
    assert signed_in.store.day_closing_pdf(tab.view.closing.id) == tab.view.pdf


def test_statistics_tab_draws_charts_and_exports(qtbot, workspace, signed_in, tmp_path):
    tab = workspace.tabs.show_statistics()
    assert tab.statistics is not None and tab.statistics.total_cases == 1
    chart = tab.views["by_clerk"].chart()
    assert chart is not None and chart.series() and chart.title() == "每日受理量（按受理人）"
    assert "受理 1 件" in tab.summary.text()
    with qtbot.waitSignal(tab.exported):
        tab.export(".csv", tmp_path / "s.csv")
    rows = list(csv.reader((tmp_path / "s.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["按受理人"] and rows[2][1:] == ["王受理", "1"]
    with qtbot.waitSignal(tab.exported):
        tab.export(".xlsx", tmp_path / "s.xlsx")
    assert load_workbook(tmp_path / "s.xlsx").sheetnames[0] == "按受理人"
    exports = [e for e in signed_in.store.audit_entries() if e.kind == AuditKind.EXPORT.value]
    assert [signed_in.store.audit_details(e)["file"] for e in exports[-2:]] == ["s.csv", "s.xlsx"]


def test_the_wizards_first_keystroke_is_recorded_once(qtbot, signed_in):
    wizard = CaseWizard(signed_in)
    qtbot.addWidget(wizard)
    wizard.show()
    type_list(wizard).setCurrentRow(0)
    first = wizard._first_keystroke
    assert first is not None
    wizard.next()
    assert wizard.case_id is not None
    qtbot.keyClicks(wizard.focusWidget(), "x")
    with signed_in.store.engine.connect() as conn:
        value = conn.execute(
            select(CaseRow.intake_started_at).where(CaseRow.id == wizard.case_id)
        ).scalar_one()
    assert value is not None and value.replace(tzinfo=None) == first.replace(tzinfo=None)


@pytest.mark.parametrize("role", list(Role))
def test_operations_check_the_role_before_the_database(qtbot, signed_in, role):
    from datetime import date

    from workstation.operations import fees as fee_ops
    from workstation.operations import reports as report_ops
    from workstation.permissions import PermissionDenied
    from workstation.statistics import DayRange

    user = signed_in.store.add_user(username="someone", display_name="某人", password="password-9", role=role)
    signed_in.user = user
    errors: list[BaseException] = []
    done: list[object] = []
    today = date.today()
    report_ops.load_statistics(
        session=signed_in, days=DayRange(today, today), on_done=done.append, on_error=errors.append
    )
    report_ops.sign_day(
        session=signed_in,
        scope=report_ops.own_scope(signed_in),
        day=today,
        username="someone",
        password="wrong-password",
        on_done=done.append,
        on_error=errors.append,
    )
    fee_ops.void_fee(session=signed_in, payment_id=1, reason="x", on_done=done.append, on_error=errors.append)
    denied = [e for e in errors if isinstance(e, PermissionDenied)]
    if role is Role.CLERK:
        assert len(denied) == 3 and not done
    else:
        # Allowed: the statistics load, the sign-off fails on the password, the void on the missing record.
        assert not denied and len(done) == 1 and len(errors) == 2
