"""The supervisor workspace: who may open it, queues with counts, filters, actions and approvals."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from forms.case import Case
from sync.outbox import LegState
from sync.package import Department
from tests.workstation.storage.cases import sample_case
from tests.workstation.test_supervision import add_leg
from workstation.operations import cases
from workstation.permissions import PermissionDenied
from workstation.qt import QApplication, QItemSelectionModel, QKeySequence, QMessageBox
from workstation.queues import leg_queue, queue_label, state_queue
from workstation.session import Session
from workstation.storage.api import Role, User
from workstation.ui.main_window import MainWindow
from workstation.ui.supervisor import SupervisorWindow

from .helpers import app

BOSS_PASSWORD = "boss-pass-123"


def _submitted(store: Any, clerk: User, name: str) -> uuid.UUID:
    case = sample_case(name=name).model_copy(update={"business_type": "second_hand_sale"})
    stored: Case = store.import_case(case, user=clerk)
    store.transition(stored.id, "ready", user=clerk)
    store.transition(stored.id, "submitted", user=clerk)
    return stored.id


@pytest.fixture
def boss(signed_in: Session) -> User:
    user = signed_in.store.add_user(
        username="boss", display_name="李科长", password=BOSS_PASSWORD, role=Role.SUPERVISOR
    )
    signed_in.user = user
    return user


@pytest.fixture
def workspace(qtbot, boss, signed_in, clerk) -> SupervisorWindow:
    store = signed_in.store
    _submitted(store, clerk, "张三")
    other = store.add_user(username="clerk2", display_name="赵受理", password="password-22", role=Role.CLERK)
    _submitted(store, other, "王五")
    store.create_case(business_type="gift", user=clerk)
    window = SupervisorWindow(signed_in)
    qtbot.addWidget(window)
    window.show()
    return window


def _select_queue(window: SupervisorWindow, key: str) -> None:
    for row in range(window.queues.count()):
        entry = window.queues.item(row)
        assert entry is not None
        if entry.data(0x0100) == key:  # Qt.ItemDataRole.UserRole
            window.queues.setCurrentRow(row)
            return
    raise AssertionError(key)


def _select_all(window: SupervisorWindow) -> None:
    window.table.selectAll()


def _select_row(window: SupervisorWindow, row: int) -> None:
    selection = window.table.selectionModel()
    assert selection is not None
    selection.select(
        window.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_clerk_cannot_open_the_workspace(qtbot, signed_in):
    with pytest.raises(PermissionDenied):
        SupervisorWindow(signed_in)
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    assert not window.commands["supervisor"].isVisible()
    assert window.open_supervisor() is None
    boxes = _message_boxes()
    assert any("无权" in box.text() for box in boxes)
    for box in boxes:
        box.close()
    app().removeEventFilter(window.idle)


def test_supervisor_opens_it_from_the_main_window_with_ctrl_shift_s(qtbot, signed_in, boss):
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    action = window.commands["supervisor"]
    assert action.isVisible()
    assert action.shortcut() == QKeySequence("Ctrl+Shift+S")
    action.trigger()
    assert isinstance(window.supervisor_window, SupervisorWindow)
    assert window.supervisor_window.isVisible()
    assert window.open_supervisor() is window.supervisor_window  # raised, not a second one
    window.supervisor_window.close()
    app().removeEventFilter(window.idle)


def test_queues_show_counts_and_the_table_pages_the_chosen_queue(workspace):
    assert workspace.counts[state_queue("submitted")] == 2
    assert workspace.counts[state_queue("draft")] == 1
    labels = [workspace.queues.item(r).text() for r in range(workspace.queues.count())]
    assert f"{queue_label(state_queue('submitted'))}（2）" in labels
    assert workspace.current_queue() == state_queue("submitted")
    assert workspace.model.rowCount() == 2
    applicants = {workspace.model.data(workspace.model.index(r, 3)) for r in range(2)}
    assert any(a.startswith("张三") for a in applicants) and any(a.startswith("王五") for a in applicants)
    due = workspace.model.data(workspace.model.index(0, 6))
    assert len(due) == 10 and due[4] == "-"  # the promised completion date from the calendar
    _select_queue(workspace, state_queue("draft"))
    assert workspace.model.rowCount() == 1


def test_filter_by_clerk_and_type(workspace, signed_in, clerk):
    workspace.clerk.setCurrentIndex(workspace.clerk.findData(clerk.id))
    workspace.apply()
    assert workspace.model.rowCount() == 1
    assert workspace.counts[state_queue("submitted")] == 1
    workspace.clerk.setCurrentIndex(0)
    workspace.business_type.setCurrentIndex(workspace.business_type.findData("gift"))
    workspace.apply()
    assert workspace.model.rowCount() == 0 and workspace.counts[state_queue("draft")] == 1
    workspace.business_type.setCurrentIndex(0)
    workspace.age.setValue(30)  # older than 30 days: none
    workspace.apply()
    assert workspace.counts[state_queue("submitted")] == 0


def test_hold_then_release_from_the_workspace_is_recorded(workspace, signed_in, boss):
    changes: list[Any] = []
    workspace.changed.connect(changes.append)
    _select_row(workspace, 0)
    case_id = workspace.selected()[0].case_id
    workspace.hold_selected(reason="等待补充材料")
    store = signed_in.store
    assert store.load_case(case_id)[1] == "on_hold"
    assert workspace.counts[state_queue("on_hold")] == 1
    assert changes and changes[-1].case_ids == (case_id,)
    _select_queue(workspace, state_queue("on_hold"))
    _select_all(workspace)
    workspace.release_selected()
    assert store.load_case(case_id)[1] == "submitted"
    kinds = [store.audit_details(e)["action"] for e in store.audit_entries() if e.kind == "supervisor_action"]
    assert kinds == ["hold", "hold"]


def test_reassign_and_return_for_correction_with_reason(workspace, signed_in):
    store = signed_in.store
    _select_row(workspace, 0)
    item = workspace.selected()[0]
    workspace.reassign_selected(to_username="clerk2")
    assert store.queue_page(state_queue("submitted"), workspace.current_filter(), user=signed_in.user)
    _select_row(workspace, [i.case_id for i in workspace.model.rows].index(item.case_id))
    workspace.return_selected(reason="缺少完税证明")
    assert store.load_case(item.case_id)[1] == "returned"
    assert store.history(item.case_id)[-1].reason == "缺少完税证明"


def test_retry_many_failed_legs(workspace, signed_in):
    store = signed_in.store
    ids = [i.case_id for i in workspace.model.rows]
    for case_id in ids:
        add_leg(store, case_id, Department.TAX, LegState.FAILED)
    workspace.refresh()
    key = leg_queue(Department.TAX, LegState.FAILED)
    assert workspace.counts[key] == 2
    _select_queue(workspace, key)
    assert workspace.model.rowCount() == 2
    _select_all(workspace)
    workspace.retry_selected()
    assert workspace.counts[key] == 0
    assert workspace.counts[leg_queue(Department.TAX, LegState.QUEUED)] == 2


def test_nothing_selected_says_so(workspace):
    workspace.table.clearSelection()
    workspace.hold_selected(reason="x")
    assert "请先" in workspace.status.text()


def test_conflict_is_shown_and_nothing_is_lost(workspace, signed_in, boss):
    store = signed_in.store
    _select_row(workspace, 0)
    item = workspace.selected()[0]
    store.hold_case(item.case_id, user=boss, expected=item.version, reason="另一位科长")  # meanwhile
    workspace.return_selected(reason="退回")
    boxes = _message_boxes()
    assert any("已被他人修改" in box.text() for box in boxes)
    for box in boxes:
        box.close()
    assert store.load_case(item.case_id)[1] == "on_hold"


def test_approval_asks_for_the_password_again(workspace, signed_in, boss):
    store = signed_in.store
    _select_row(workspace, 0)
    item = workspace.selected()[0]
    dialog = workspace.open_approval()
    assert dialog is not None and dialog.username.text() == "boss"
    dialog.kind.setCurrentIndex(dialog.kind.findData("face_check_failed"))
    dialog.reason.setPlainText("本人到场，人工核验一致")
    dialog.password.setText("wrong-password")
    dialog.submit()
    assert dialog.isVisible() and "密码" in dialog.message.text()
    assert dialog.password.text() == ""
    approved: list[Any] = []
    dialog.approved.connect(approved.append)
    dialog.password.setText(BOSS_PASSWORD)
    dialog.submit()
    assert approved and approved[0].approver.id == boss.id
    assert not dialog.isVisible()
    assert store.history(item.case_id)[-1].details["approval"] == "face_check_failed"
    assert [e.kind for e in store.audit_entries()][-2:] == ["sign_in", "approval"]


def test_opening_a_case_is_an_audited_view(signed_in, clerk):
    store = signed_in.store
    case = store.create_case(business_type="gift", user=clerk)
    opened: list[Any] = []
    errors: list[BaseException] = []
    cases.open_case(session=signed_in, case_id=case.id, on_done=opened.append, on_error=errors.append)
    assert not errors
    assert opened
    last = store.audit_entries()[-1]
    assert (last.kind, last.case_id, last.user_id) == ("view_case", case.id, clerk.id)
