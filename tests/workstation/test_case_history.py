"""The supervisor's read-only case view, Qt-free: readable rows, version changes, the dossier (issue 8)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from forms.case import Mortgage, MortgageKind, Party, PartyRole, Sex
from sync.outbox import Answer, LegState
from sync.package import Department
from tests.workstation.storage.cases import sample_case
from tests.workstation.test_retention import SCAN, add_leg, clerk  # noqa: F401
from workstation import case_history as ch
from workstation.audit import AuditKind
from workstation.operations.supervisor import read_dossier
from workstation.permissions import PermissionDenied
from workstation.storage.api import Role
from workstation.storage.errors import CaseNotFound


def test_rows_are_readable_chinese_with_field_titles():
    case = sample_case()
    case.parties[0].sex = Sex.FEMALE
    rows = {r.path: r for r in ch.flatten(case)}
    holder = case.parties[0]
    row = rows[f"parties[{holder.id}].id_number"]
    assert row.section == "当事人「权利人 张三」" and row.title == "证件号码"
    assert row.value == "110105199003071239"
    assert rows[f"parties[{holder.id}].sex"].value == "女"
    assert rows[f"parties[{holder.id}].present"].value == "是"
    assert rows[f"parties[{holder.id}].postcode"].value == ch.EMPTY
    assert rows["transaction.acquisition.original_value"].full_title == "交易 · 卖方取得情况 · 原值"
    assert "schema_version" not in rows and "mortgage.kind" not in rows  # no mortgage: no rows


def test_diff_names_each_changed_field_old_and_new():
    before = sample_case()
    after = before.model_copy(deep=True)
    after.parties[0].phone = "13900139000"
    after.transaction.price = Decimal("3250000.00")
    after.mortgage = Mortgage(kind=MortgageKind.MAXIMUM_AMOUNT)
    after.parties.append(Party(role=PartyRole.AGENT, name="钱七"))
    del after.parties[1]
    changes = {c.path: c for c in ch.diff_cases(before, after)}
    phone = changes[f"parties[{before.parties[0].id}].phone"]
    assert (phone.title, phone.old, phone.new) == (
        "当事人「权利人 张三」 · 联系电话",
        "13800138000",
        "13900139000",
    )
    assert changes["transaction.price"].old == ch.EMPTY and changes["transaction.price"].new == "3250000.00"
    assert changes["mortgage.kind"].old == ch.ABSENT and changes["mortgage.kind"].new == "最高额抵押"
    removed = changes[f"parties[{before.parties[1].id}].name"]
    assert removed.old == "李四" and removed.new == ch.ABSENT
    added = changes[f"parties[{after.parties[-1].id}].name"]
    assert added.old == ch.ABSENT and added.new == "钱七"
    assert ch.diff_cases(before, before.model_copy(deep=True)) == []
    assert len(ch.diff_cases(None, before)) == len(ch.flatten(before))


def test_sections_and_reasons_and_answers():
    sections = ch.case_sections(sample_case(), business_type_name="存量房买卖转移登记")
    assert sections[0].title == "基本信息"
    assert ("业务类型", "存量房买卖转移登记（transfer_sale）") in sections[0].rows
    assert [s.title for s in sections][1:3] == ["当事人「权利人 张三」", "当事人「义务人 李四」"]
    assert ch.version_reason("submit") == "提交各部门"
    assert ch.version_reason("page:parties") == "切换页面时保存（当事人）"
    tax = Answer(
        LegState.COMPLETED,
        "SW-1",
        result={"assessment": {"amount_due": "31250.00", "payment_code": "PAY9", "lines": [{}, {}]}},
    )
    assert ch.answer_lines(tax) == [
        ("答复", "已办结"),
        ("回执号", "SW-1"),
        ("应缴金额(元)", "31250.00"),
        ("缴款码", "PAY9"),
        ("核定明细", "2 项"),
    ]
    refused = Answer(LegState.REJECTED, None, reasons=("权属证明不全",))
    assert ch.answer_lines(refused) == [("答复", "已退回"), ("退回原因 1", "权属证明不全")]


def test_dossier_for_a_supervisor_only_and_audited(store, clerk, clock):  # noqa: F811
    boss = store.add_user(username="boss", display_name="李科长", password="password-1", role=Role.SUPERVISOR)
    case = store.import_case(sample_case(), user=clerk)
    changed = case.model_copy(deep=True)
    changed.parties[0].phone = "13900139000"
    clock.advance(minutes=3)
    store.save_version(changed, reason="page:parties", user=boss)
    store.transition(case.id, "ready", user=clerk)
    store.transition(case.id, "submitted", user=clerk)
    scan = store.add_attachment(case.id, material_code="id_copy", data=SCAN, pages=1, user=clerk)
    answer = Answer(LegState.ACCEPTED, "DJ-2025-1", result={"acceptance_no": "DJ-2025-1"})
    add_leg(
        store,
        case.id,
        Department.REGISTRATION,
        LegState.ACCEPTED,
        scans=[SCAN],
        delivered_at=clock(),
        answer=answer,
    )
    add_leg(store, case.id, Department.TAX, LegState.FAILED, error="税务系统拒收：缺少纳税人识别号")

    with pytest.raises(PermissionDenied):
        read_dossier(store, case.id, user=clerk)
    assert not [e for e in store.audit_entries() if e.kind == AuditKind.VIEW_CASE.value]

    dossier = read_dossier(store, case.id, user=boss)
    views = [e for e in store.audit_entries() if e.kind == AuditKind.VIEW_CASE.value]
    assert len(views) == 1 and views[0].user_id == boss.id and views[0].case_id == case.id
    assert dossier.state == "submitted" and dossier.case.parties[0].phone == "13900139000"
    assert [(v.n, v.user_name, v.reason) for v, _c in dossier.versions] == [
        (1, "王受理", "import"),
        (2, "李科长", "page:parties"),
    ]
    [phone] = dossier.changes(1)
    assert (phone.old, phone.new) == ("13800138000", "13900139000")
    assert [e.to_state for e in dossier.events] == ["draft", "ready", "submitted"]
    legs = {leg.department: leg for leg in dossier.legs}
    assert legs["registration"].receipt_no == "DJ-2025-1" and legs["registration"].answer == answer
    assert legs["registration"].delivered_at == clock() and legs["registration"].answered_at == clock()
    assert (
        legs["tax"].last_error == "税务系统拒收：缺少纳税人识别号"
        and legs["tax"].last_error_kind == "ServerRejected"
    )
    assert [a.id for a in dossier.attachments] == [scan.id] and dossier.purged_attachments == {}
    assert dossier.user_name(boss.id) == "李科长" and dossier.user_name(None) == "系统"

    with pytest.raises(CaseNotFound):
        store.case_version_log(case.id.__class__(int=1))
