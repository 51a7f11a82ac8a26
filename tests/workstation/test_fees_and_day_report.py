"""Fees at the window, the end-of-day report and its sign-off, in the store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from forms.case import Case, PropertyUse
from forms.catalog import load_catalog
from forms.tax.settings import TaxSettings
from printing.day_report import render_day_report
from sync.outbox import LegState
from sync.package import Department
from tests.workstation.test_supervision import add_leg, submitted
from workstation.audit import AuditKind
from workstation.day_report import OFFICE_SCOPE, DayAlreadyClosed, DayNotClosable, window_scope
from workstation.fees import FeeEntry, FeeItemCode, FeeMethod, FeeRefused, fee_items
from workstation.permissions import PermissionDenied
from workstation.storage.api import Role, User
from workstation.storage.errors import InvalidUserData, LoginFailed
from workstation.storage.store import SqlStore

TYPE_NAMES = {bt.id: bt.name for bt in load_catalog().types}
REG = (FeeItemCode.REGISTRATION,)


@pytest.fixture
def people(store: SqlStore) -> dict[str, User]:
    def add(name: str, role: Role) -> User:
        return store.add_user(username=name, display_name=f"{name}名", password="password-1", role=role)

    return {
        "clerk": add("clerk", Role.CLERK),
        "boss": add("boss", Role.SUPERVISOR),
        "admin": add("adm", Role.ADMIN),
    }


def cash(case_id: uuid.UUID, bill: str = "B001", amount: int = 8000) -> FeeEntry:
    return FeeEntry(case_id=case_id, items=REG, amount_fen=amount, method=FeeMethod.CASH, bill_no=bill)


def scope(store: SqlStore) -> str:
    return window_scope(store._settings.office_code, store._settings.window_id)


def test_clerk_records_a_cash_fee_once_after_acceptance(store, people):
    clerk = people["clerk"]
    draft = store.create_case(business_type="second_hand_sale", user=clerk)
    with pytest.raises(FeeRefused, match="尚未受理"):
        store.record_fee(cash(draft.id), user=clerk)
    case_id = submitted(store, clerk)
    payment = store.record_fee(cash(case_id), user=clerk)
    assert (payment.amount_fen, payment.method, payment.user_name) == (8000, FeeMethod.CASH, "clerk名")
    with pytest.raises(FeeRefused, match=r"已于 .* 登记.*作废原收费记录"):
        store.record_fee(cash(case_id, bill="B002"), user=clerk)
    other = submitted(store, clerk, unit_number="110105001001GB00001F00010002")
    with pytest.raises(FeeRefused, match=r"票据号码.*B001"):
        store.record_fee(cash(other), user=clerk)
    assert [p.bill_no for p in store.fee_payments(case_id)] == ["B001"]


def test_missing_fields_name_the_field(store, people):
    case_id = submitted(store, people["clerk"])
    wechat = FeeEntry(case_id=case_id, items=REG, amount_fen=8000, method=FeeMethod.WECHAT, bill_no="B1")
    with pytest.raises(InvalidUserData, match="交易流水号"):
        store.record_fee(wechat, user=people["clerk"])
    with pytest.raises(InvalidUserData, match="票据号码"):
        store.record_fee(cash(case_id, bill=" "), user=people["clerk"])
    with pytest.raises(InvalidUserData, match="金额"):
        store.record_fee(cash(case_id, amount=0), user=people["clerk"])


def test_waiver_needs_a_reason_and_a_supervisors_own_password(store, people):
    clerk = people["clerk"]
    case_id = submitted(store, clerk)
    waived = FeeEntry(case_id=case_id, items=REG, amount_fen=8000, method=FeeMethod.WAIVED)
    with pytest.raises(InvalidUserData, match="免收理由"):
        store.record_fee(waived, user=clerk, approver_username="boss", approver_password="password-1")
    waived = FeeEntry(
        case_id=case_id, items=REG, amount_fen=8000, method=FeeMethod.WAIVED, waiver_reason="小微企业"
    )
    with pytest.raises(LoginFailed):
        store.record_fee(waived, user=clerk, approver_username="boss", approver_password="wrong-pass")
    with pytest.raises(PermissionDenied, match="审批免收费用"):
        store.record_fee(waived, user=clerk, approver_username="clerk", approver_password="password-1")
    assert store.fee_payments(case_id) == []
    payment = store.record_fee(waived, user=clerk, approver_username="boss", approver_password="password-1")
    assert payment.method is FeeMethod.WAIVED
    event = store.history(case_id)[-1]
    assert event.user_id == people["boss"].id and event.details["approval"] == "fee_waived"
    approval = [e for e in store.audit_entries() if e.kind == AuditKind.APPROVAL.value][-1]
    assert approval.user_id == people["boss"].id
    assert store.audit_details(approval)["reason"] == "小微企业"


def test_only_supervisors_void_and_the_void_is_audited(store, people):
    case_id = submitted(store, people["clerk"])
    payment = store.record_fee(cash(case_id), user=people["clerk"])
    with pytest.raises(PermissionDenied, match="作废收费记录"):
        store.void_fee(payment.id, user=people["clerk"], reason="录错")
    with pytest.raises(InvalidUserData, match="作废原因"):
        store.void_fee(payment.id, user=people["boss"], reason=" ")
    voided = store.void_fee(payment.id, user=people["boss"], reason="金额录错")
    assert voided.voided_by == people["boss"].id and not voided.valid and voided.voided_by_name == "boss名"
    with pytest.raises(FeeRefused, match=r"已于 .* 作废"):
        store.void_fee(payment.id, user=people["admin"], reason="再次")
    entry = store.audit_entries()[-1]
    assert entry.kind == AuditKind.SUPERVISOR_ACTION.value
    assert store.audit_details(entry)["action"] == "void_fee"
    # Voided, the fee may be collected again under the same bill number.
    assert store.record_fee(cash(case_id), user=people["clerk"]).valid


def test_day_report_figures(store, people, clock):
    clerk, boss = people["clerk"], people["boss"]
    day = clock.now.astimezone().date()
    first = submitted(store, clerk)
    second = submitted(
        store, clerk, business_type="mortgage_first", unit_number="110105001001GB00001F00010002"
    )
    store.create_case(business_type="second_hand_sale", user=boss)  # a draft of another clerk
    store.record_fee(cash(first, "B1"), user=clerk)
    card = FeeEntry(
        case_id=second, items=REG, amount_fen=8000, method=FeeMethod.CARD, reference="T9", bill_no="B2"
    )
    mistaken = store.record_fee(card, user=clerk)
    store.void_fee(mistaken.id, user=boss, reason="重复刷卡")
    store.record_fee(
        FeeEntry(
            case_id=second, items=REG, amount_fen=8000, method=FeeMethod.ALIPAY, reference="A1", bill_no="B3"
        ),
        user=clerk,
    )
    store.record_print_job(
        first,
        documents=["application", "receipt"],
        printer="P",
        copies=1,
        status="printed",
        job_ref="1",
        pdf=None,
        user=clerk,
    )
    store.record_print_job(
        second,
        documents=["receipt"],
        printer="P",
        copies=1,
        status="failed",
        job_ref="x",
        pdf=None,
        user=clerk,
    )
    add_leg(store, first, Department.TAX, LegState.FAILED)
    add_leg(store, first, Department.REGISTRATION, LegState.DELIVERED)
    add_leg(store, second, Department.TAX, LegState.FAILED, error_kind="Superseded")
    clock.advance(hours=5)
    with pytest.raises(PermissionDenied):
        store.day_report(scope=scope(store), day=day, user=clerk, office_name="某中心", type_names=TYPE_NAMES)
    report = store.day_report(
        scope=scope(store), day=day, user=boss, office_name="某中心", type_names=TYPE_NAMES
    )
    assert report.cases_total == 3
    assert {(r.label, r.count) for r in report.by_clerk} == {("clerk名", 2), ("boss名", 1)}
    assert {(r.label, r.count) for r in report.by_state} == {("已提交", 2), ("草稿", 1)}
    assert {r.label for r in report.by_type} == {TYPE_NAMES["second_hand_sale"], TYPE_NAMES["mortgage_first"]}
    assert [(m.label, m.count, m.amount_fen) for m in report.fees] == [("现金", 1, 8000), ("支付宝", 1, 8000)]
    assert report.collected_fen == 16000 and [v.bill_no for v in report.voided] == ["B2"]
    assert [r.case_number for r in report.receipts] == [store.load_case(first)[0].case_number]
    assert [(u.department, round(u.age_hours)) for u in report.undelivered] == [("税务", 5)]
    assert report.audit_head.startswith("#")
    if not store.shares_office_settings:
        with pytest.raises(DayNotClosable, match="本窗口"):
            store.day_report(scope=OFFICE_SCOPE, day=day, user=boss, office_name="", type_names={})
    else:
        office = store.day_report(scope=OFFICE_SCOPE, day=day, user=boss, office_name="", type_names={})
        assert office.cases_total == 3


def test_close_day_once_with_own_password_and_pdf(store, people, clock, tmp_path):
    clerk = people["clerk"]
    day = clock.now.astimezone().date()
    case_id = submitted(store, clerk)
    store.record_fee(cash(case_id), user=clerk)
    args = {"scope": scope(store), "day": day, "office_name": "某中心", "type_names": TYPE_NAMES}
    with pytest.raises(LoginFailed):
        store.close_day(**args, username="boss", password="bad-password", render=render_day_report)
    with pytest.raises(PermissionDenied, match="签字确认日终报表"):
        store.close_day(**args, username="clerk", password="password-1", render=render_day_report)
    with pytest.raises(DayNotClosable, match="还没有到"):
        store.close_day(
            **{**args, "day": day + timedelta(days=1)},
            username="boss",
            password="password-1",
            render=render_day_report,
        )
    closing, pdf = store.close_day(**args, username="boss", password="password-1", render=render_day_report)
    assert closing.signed_by == people["boss"].id and closing.summary["collected_fen"] == 8000
    assert store.day_closing_pdf(closing.id) == pdf
    assert store.day_closing(scope(store), day) == closing
    stored = json.dumps(closing.summary, ensure_ascii=False)
    assert "张三" not in stored and "110105199003071239" not in stored  # no personal data in the summary
    file = tmp_path / "day.pdf"
    file.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(file), "-"], capture_output=True, text=True, check=True
    )
    for expected in ("日终报表", "现金", "80.00", "boss名", "审核人（科长）签字", "实收合计"):
        assert expected in text.stdout
    with pytest.raises(DayAlreadyClosed, match=r"已由boss名于 .* 签字确认，不能重复签字"):
        store.close_day(**args, username="adm", password="password-1", render=render_day_report)
    entry = store.audit_entries()[-1]
    assert entry.kind == AuditKind.APPROVAL.value and store.audit_details(entry)["approval"] == "day_closing"
    # The signed day is frozen: no new fee, no void on it.
    other = submitted(store, clerk, unit_number="110105001001GB00001F00010002")
    with pytest.raises(FeeRefused, match="日终报表已签字确认"):
        store.record_fee(cash(other, "B9"), user=clerk)
    payment = store.fee_payments(case_id)[0]
    with pytest.raises(FeeRefused, match="日终报表已签字确认"):
        store.void_fee(payment.id, user=people["boss"], reason="x")


def test_intake_start_is_set_once(store, people, clock):
    case = store.create_case(business_type="second_hand_sale", user=people["clerk"])
    first = clock.now
    assert store.mark_intake_started(case.id, first)
    assert not store.mark_intake_started(case.id, first + timedelta(minutes=5))
    from sqlalchemy import select

    from workstation.storage.models import CaseRow

    with store.engine.connect() as conn:
        value = conn.execute(select(CaseRow.intake_started_at).where(CaseRow.id == case.id)).scalar_one()
    assert value.replace(tzinfo=None) == first.replace(tzinfo=None)


# ------------------------------------------------------------------------------------ fee items (pure)
def _example(name: str) -> Case:
    folder = Path(__file__).resolve().parents[2] / "examples"
    return Case.model_validate(json.loads((folder / f"{name}.json").read_text(encoding="utf-8")))


def test_fee_items_split_the_certificate_fee_and_follow_the_catalog():
    catalog = load_catalog()
    case = _example("second_hand_sale")
    case.property.use = PropertyUse.RESIDENTIAL
    items = fee_items(case, catalog, TaxSettings())
    assert [(i.code, i.amount_fen) for i in items] == [(FeeItemCode.REGISTRATION, 8000)]
    case.certificates.extra_count = 2
    items = fee_items(case, catalog, TaxSettings())
    assert [(i.code, i.amount_fen) for i in items] == [
        (FeeItemCode.REGISTRATION, 8000),
        (FeeItemCode.CERTIFICATE, 2000),
    ]
    assert "2559" in items[1].source
    case.property.use = PropertyUse.COMMERCIAL
    case.certificates.extra_count = 0
    assert fee_items(case, catalog, TaxSettings())[0].amount_fen == 55000  # non-residential 550


def test_free_business_types_have_nothing_due():
    items = fee_items(_example("change_registration"), load_catalog(), TaxSettings())
    assert all(i.amount_fen == 0 for i in items)
