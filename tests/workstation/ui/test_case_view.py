"""The read-only case view: opened from the queues and the case list, tabs, versions, deliveries (issue 8)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from forms.case import Case, MaterialRecord
from sync.outbox import Answer, LegState
from sync.package import Department
from tests.workstation.storage.cases import sample_case
from tests.workstation.test_retention import SCAN, add_leg
from workstation import identity_service as ids
from workstation import retention
from workstation.audit import AuditKind
from workstation.qt import Qt, QTreeWidget
from workstation.session import Session
from workstation.storage.api import Role, User
from workstation.ui.case_view import CaseView
from workstation.ui.main_window import MainWindow
from workstation.ui.supervisor import SupervisorWindow


def rich_case(store: Any, clerk: User, boss: User) -> uuid.UUID:
    """A submitted sale with two versions, a scan, a face check, a delivered and a failed leg."""
    base = sample_case().model_copy(update={"business_type": "second_hand_sale"})
    case: Case = store.import_case(base, user=clerk)
    scan = store.add_attachment(case.id, material_code="id_copy", data=SCAN, pages=2, user=clerk)
    changed = case.model_copy(deep=True)
    changed.parties[0].phone = "13900139000"
    changed.materials = [
        MaterialRecord(code="id_copy", name="身份证明", received=True, pages=2, attachment_ids=[scan.id])
    ]
    store.save_version(changed, reason="page:materials", user=clerk)
    from tests.workstation.test_retention import face_record

    ids.save_check(store, case.id, face_record(changed.parties[0].id), user=clerk)
    store.transition(case.id, "ready", user=clerk)
    store.transition(case.id, "submitted", user=clerk)
    answer = Answer(LegState.ACCEPTED, "DJ-2025-0042", result={"acceptance_no": "DJ-2025-0042"})
    add_leg(
        store,
        case.id,
        Department.REGISTRATION,
        LegState.ACCEPTED,
        scans=[SCAN],
        delivered_at=store._clock(),
        answer=answer,
    )
    add_leg(store, case.id, Department.TAX, LegState.FAILED, error="税务系统拒收：缺少纳税人识别号")
    return case.id


@pytest.fixture
def boss(signed_in: Session) -> User:
    user = signed_in.store.add_user(
        username="boss", display_name="李科长", password="boss-pass-123", role=Role.SUPERVISOR
    )
    signed_in.user = user
    return user


def _tree_texts(tree: QTreeWidget) -> list[str]:
    texts = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        assert top is not None
        texts.append(" | ".join(top.text(c) for c in range(tree.columnCount())))
        for j in range(top.childCount()):
            child = top.child(j)
            assert child is not None
            texts.append(" | ".join(child.text(c) for c in range(tree.columnCount())).rstrip(" |"))
    return texts


def test_enter_on_a_queue_row_opens_the_case_read_only(qtbot, signed_in, clerk, boss):
    case_id = rich_case(signed_in.store, clerk, boss)
    window = SupervisorWindow(signed_in)
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 1
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(0, 0))
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert len(window.case_views) == 1
    view = window.case_views[0]
    assert view.case_id == case_id and view.dossier is not None
    assert "已提交" in view.heading.text()

    data = _tree_texts(view.data_tree)
    assert "当事人「权利人 张三」 | " in data and "证件号码 | 110105199003071239" in data
    assert "联系电话 | 13900139000" in data  # the latest version

    materials = _tree_texts(view.materials)
    assert materials[0].startswith("身份证明 | 是 | 是 | 1 | 2")
    assert "本机保存（加密）" in materials[1]
    assert view.checks.rowCount() == 1 and view.checks.item(0, 1).text() == "核验通过"  # type: ignore[union-attr]

    # versions: the latest is chosen; its change against version 1 is listed with the field's title
    assert view.versions.rowCount() == 2
    assert view.versions.item(1, 2).text() == "王受理"  # type: ignore[union-attr]
    assert view.versions.item(1, 3).text() == "切换页面时保存（材料）"  # type: ignore[union-attr]
    titles = [view.changes.item(r, 0).text() for r in range(view.changes.rowCount())]  # type: ignore[union-attr]
    phone = titles.index("当事人「权利人 张三」 · 联系电话")
    assert view.changes.item(phone, 1).text() == "13800138000"  # type: ignore[union-attr]
    assert view.changes.item(phone, 2).text() == "13900139000"  # type: ignore[union-attr]
    view.versions.selectRow(0)
    assert "第一个版本" in view.changes_label.text()

    legs = _tree_texts(view.legs)
    assert any(t.startswith("登记 | 已受理 | 1") and "DJ-2025-0042" in t for t in legs)
    assert "最近一次错误 | 税务系统拒收：缺少纳税人识别号" in legs
    assert "登记受理号 | DJ-2025-0042" in legs
    assert view.events.rowCount() == 3

    # keyboard: Ctrl+Tab walks the tabs (wrapping), Ctrl+Shift+Tab back, Esc closes
    assert view.tabs.currentIndex() == 0
    qtbot.keyClick(view.data_tree, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == 1
    view.tabs.setCurrentIndex(3)
    view.next_tab()
    assert view.tabs.currentIndex() == 0
    view.previous_tab()
    assert view.tabs.currentIndex() == 3
    views = [e for e in signed_in.store.audit_entries() if e.kind == AuditKind.VIEW_CASE.value]
    assert views[-1].user_id == boss.id and views[-1].case_id == case_id
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_double_click_opens_and_a_purged_scan_says_so(qtbot, signed_in, clerk, boss):
    store = signed_in.store
    case_id = rich_case(store, clerk, boss)
    store.record_print_job(
        case_id,
        documents=["receipt", "idcheck"],
        printer="窗口3-激光打印机",
        copies=1,
        status="printed",
        job_ref="12",
        pdf=None,
        user=clerk,
    )
    store._clock = lambda: retention.datetime.now(retention.UTC) + timedelta(days=40)  # type: ignore[attr-defined]
    assert retention.run_retention(store, days=30, now=store._clock()).attachments == 1
    window = SupervisorWindow(signed_in)
    qtbot.addWidget(window)
    index = window.model.index(0, 0)
    window.table.doubleClicked.emit(index)
    view = window.case_views[-1]
    materials = _tree_texts(view.materials)
    assert retention.PURGED_MESSAGE in materials[1]
    assert retention.PHOTOS_PURGED_NOTE in view.checks.item(0, 6).text()  # type: ignore[union-attr]
    assert view.prints.rowCount() == 1
    assert view.prints.item(0, 1).text().endswith("、人证核验记录")  # type: ignore[union-attr]
    assert view.prints.item(0, 4).text() == "已打印"  # type: ignore[union-attr]
    view.close()


def test_case_list_shortcut_for_supervisors_only(qtbot, signed_in, clerk):
    store = signed_in.store
    other = store.add_user(
        username="boss", display_name="李科长", password="boss-pass-123", role=Role.SUPERVISOR
    )
    rich_case(store, clerk, other)
    window = MainWindow(signed_in)  # the clerk is signed in
    qtbot.addWidget(window)
    assert not window.commands["view_case"].isVisible()
    window.view.setCurrentIndex(window.model.index(0, 0))
    assert window.view_selected_case() is None

    signed_in.user = other
    window.retranslate()
    assert window.commands["view_case"].isVisible()
    assert window.commands["view_case"].shortcut().toString() == "Ctrl+Shift+V"
    view = window.view_selected_case()
    assert isinstance(view, CaseView) and view.dossier is not None
    assert view.dossier.case.parties[0].name == "张三"
    view.close()
