"""The end-of-day report's figures (日终报表, issue 8), read from the database (Qt-free).

A report covers one local day and one scope: this window (``<office code>-<window id>``: the cases
numbered at this window, whose case numbers start with it) or, on an office's shared PostgreSQL
database, the whole office (``office``). Fees and printed receipts count by the window of their case.
"Still undelivered" is read now: the legs created before the day ended that are queued, sending or
failed (not superseded), so a day signed off late also lists what is stuck now.

The figures go into :class:`printing.day_report.DayReport` (plain data; printing does not import the
workstation) and its PDF; a supervisor signs the day off with their own password
(:meth:`workstation.storage.store.SqlStore.close_day`), which stores the summary and the encrypted PDF
once per scope and day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from forms.states import CaseState, label
from printing.day_report import (
    CountRow,
    DayReport,
    DepartmentBacklog,
    MethodRow,
    ReceiptRow,
    UndeliveredRow,
    VoidedRow,
)
from sync.outbox import LEG_LABELS, LegState
from sync.package import Department
from workstation.fees import METHOD_LABELS, FeeMethod
from workstation.statistics import UNDELIVERED_STATES, local_midnight, not_superseded
from workstation.storage.errors import StorageError
from workstation.storage.models import CaseRow, FeePaymentRow, OutboxLegRow, PrintJobRow, UserRow

OFFICE_SCOPE: Final = "office"
"""The scope of a report over every window of the office (PostgreSQL)."""

RECEIPT_DOCUMENT: Final = "receipt"
"""The receipt's document id in ``print_jobs.documents``."""

_PREFIX_END: Final = "\U0010ffff"


class DayAlreadyClosed(StorageError):
    """The day's report of this scope was already signed off."""


class DayNotClosable(StorageError):
    """The day cannot be signed off (a future day, or a scope this database does not serve)."""


def window_scope(office_code: str, window_id: str) -> str:
    """The scope of one window: ``<office code>-<window id>``, the start of its case numbers."""
    return f"{office_code}-{window_id}"


def scope_label(scope: str) -> str:
    """The scope in words."""
    if scope == OFFICE_SCOPE:
        return "全所（各窗口合计）"
    window = scope.rsplit("-", 1)[-1]
    return f"本窗口（{window} 号窗口）"


def scope_of_case_number(case_number: str) -> str:
    """The window scope a case number belongs to (its first two parts)."""
    return "-".join(case_number.split("-")[:2])


def _method_label(method: str) -> str:
    try:
        return METHOD_LABELS[FeeMethod(method)]
    except ValueError:
        return method


def _in_scope(scope: str) -> Any:
    if scope == OFFICE_SCOPE:
        return CaseRow.id.is_not(None)
    prefix = scope + "-"
    return and_(CaseRow.case_number >= prefix, CaseRow.case_number < prefix + _PREFIX_END)


@dataclass(frozen=True)
class DayClosing:
    """A signed-off day.

    Attributes:
        id: its id.
        scope: the scope.
        day: the day.
        signed_by: the signing supervisor's user id.
        signed_by_name: their display name.
        signed_at: when.
        summary: the stored summary (:meth:`DayReport.summary`).
    """

    id: int
    scope: str
    day: date
    signed_by: int
    signed_by_name: str
    signed_at: datetime
    summary: Mapping[str, Any]


def collect_day(
    s: Session,
    *,
    scope: str,
    day: date,
    now: datetime,
    office_name: str,
    office_code: str,
    type_names: Mapping[str, str],
    audit_head: str = "",
) -> DayReport:
    """Read the figures of one day and scope (one read transaction).

    Args:
        s: an open session.
        scope: :data:`OFFICE_SCOPE` or a :func:`window_scope`.
        day: the local day.
        now: the time of reading (ages of undelivered legs).
        office_name: for the report's heading.
        office_code: the office's code.
        type_names: business type id → Chinese name.
        audit_head: the audit chain head to print.
    """
    start, end = local_midnight(day), local_midnight(day + timedelta(days=1))
    scoped = _in_scope(scope)
    names = {uid: name for uid, name in s.execute(select(UserRow.id, UserRow.display_name))}

    # Cases taken in that day, by type, clerk and their state now.
    by_type: dict[str, int] = defaultdict(int)
    by_clerk: dict[str, int] = defaultdict(int)
    by_state: dict[str, int] = defaultdict(int)
    cases = (
        select(CaseRow.business_type, CaseRow.clerk_id, CaseRow.state, func.count())
        .where(CaseRow.created_at >= start, CaseRow.created_at < end, scoped)
        .group_by(CaseRow.business_type, CaseRow.clerk_id, CaseRow.state)
    )
    for business_type, clerk_id, state, n in s.execute(cases):
        by_type[type_names.get(business_type, business_type)] += int(n)
        by_clerk[names.get(clerk_id, "（未分配）") if clerk_id is not None else "（未分配）"] += int(n)
        by_state[state] += int(n)
    order = {s.value: i for i, s in enumerate(CaseState)}

    # Fees collected that day: valid ones by method, voided ones listed.
    fees = s.execute(
        select(FeePaymentRow.method, func.count(), func.sum(FeePaymentRow.amount_fen))
        .join(CaseRow, CaseRow.id == FeePaymentRow.case_id)
        .where(FeePaymentRow.at >= start, FeePaymentRow.at < end, FeePaymentRow.voided_at.is_(None), scoped)
        .group_by(FeePaymentRow.method)
    ).all()
    by_method = {str(m): (int(n), int(total or 0)) for m, n, total in fees}
    method_rows = []
    for method in FeeMethod:
        if method.value in by_method:
            n, total = by_method.pop(method.value)
            method_rows.append(MethodRow(METHOD_LABELS[method], n, total, method is not FeeMethod.WAIVED))
    method_rows += [MethodRow(m, n, total) for m, (n, total) in sorted(by_method.items())]
    voider = aliased(UserRow)
    voided = s.execute(
        select(
            CaseRow.case_number,
            FeePaymentRow.method,
            FeePaymentRow.amount_fen,
            FeePaymentRow.bill_no,
            voider.display_name,
            FeePaymentRow.voided_at,
        )
        .join(CaseRow, CaseRow.id == FeePaymentRow.case_id)
        .outerjoin(voider, voider.id == FeePaymentRow.voided_by)
        .where(
            FeePaymentRow.at >= start, FeePaymentRow.at < end, FeePaymentRow.voided_at.is_not(None), scoped
        )
        .order_by(FeePaymentRow.voided_at)
    ).all()

    # Receipts printed that day.
    receipts = s.execute(
        select(CaseRow.case_number, PrintJobRow.at)
        .join(CaseRow, CaseRow.id == PrintJobRow.case_id)
        .where(
            PrintJobRow.at >= start,
            PrintJobRow.at < end,
            PrintJobRow.status == "printed",
            PrintJobRow.documents.contains(RECEIPT_DOCUMENT),
            scoped,
        )
        .order_by(PrintJobRow.at)
    ).all()

    # Still undelivered (now), of legs created before the day ended: the (state, …) index.
    legs = s.execute(
        select(CaseRow.case_number, OutboxLegRow.department, OutboxLegRow.state, OutboxLegRow.created_at)
        .join(CaseRow, CaseRow.id == OutboxLegRow.case_id)
        .where(
            OutboxLegRow.state.in_(UNDELIVERED_STATES),
            not_superseded(),
            OutboxLegRow.created_at < end,
            scoped,
        )
        .order_by(OutboxLegRow.created_at)
    ).all()
    undelivered = []
    per_department: dict[str, list[float]] = defaultdict(list)
    for number, department, state, created in legs:
        hours = max(0.0, (now - created).total_seconds() / 3600)
        dept = Department(department).label
        undelivered.append(UndeliveredRow(number, dept, LEG_LABELS[LegState(state)], hours))
        per_department[department].append(hours)

    return DayReport(
        office_name=office_name,
        office_code=office_code,
        scope=scope,
        scope_label=scope_label(scope),
        day=day,
        generated_at=now,
        by_type=tuple(CountRow(k, v) for k, v in sorted(by_type.items(), key=lambda kv: -kv[1])),
        by_clerk=tuple(CountRow(k, v) for k, v in sorted(by_clerk.items(), key=lambda kv: -kv[1])),
        by_state=tuple(
            CountRow(label(k), v) for k, v in sorted(by_state.items(), key=lambda kv: order.get(kv[0], 99))
        ),
        fees=tuple(method_rows),
        voided=tuple(
            VoidedRow(
                number,
                _method_label(m),
                int(amount),
                bill,
                name or "",
                at or now,
            )
            for number, m, amount, bill, name, at in voided
        ),
        receipts=tuple(ReceiptRow(number, at, "已打印") for number, at in receipts),
        undelivered=tuple(undelivered),
        undelivered_by_department=tuple(
            DepartmentBacklog(d.label, len(per_department[d.value]), max(per_department[d.value]))
            for d in Department
            if per_department.get(d.value)
        ),
        audit_head=audit_head,
    )


__all__ = [
    "OFFICE_SCOPE",
    "RECEIPT_DOCUMENT",
    "DayAlreadyClosed",
    "DayClosing",
    "DayNotClosable",
    "collect_day",
    "scope_label",
    "scope_of_case_number",
    "window_scope",
]
