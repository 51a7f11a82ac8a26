"""The supervisor's queues: keys, filters, rows and the promised-completion dates (Qt-free, issue 8).

A queue is either a case state (``state:returned``) or one department's leg state
(``leg:tax:failed``). The store counts and pages them (:meth:`SqlStore.queue_counts`,
:meth:`SqlStore.queue_page`) with a :class:`QueueFilter`; the workspace shows them.

Due dates are the promised completion dates: the business type's ``promised_days`` working days
after acceptance (条例 Art 20 counts the time limit from acceptance; ``WorkingCalendar.add_working_days``).
The acceptance day is taken as the day the case was created at the window — a case is accepted at
the window the day it is typed in (一窗受理, 即时受理); a case submitted days later shows an earlier
due date than the back end will, never a later one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from forms.calendar import WorkingCalendar
from forms.catalog import Catalog
from forms.states import CaseState, label
from sync.outbox import LEG_LABELS, LegState
from sync.package import Department

CASE_QUEUES: Final = (
    CaseState.DRAFT,
    CaseState.READY,
    CaseState.SUBMITTED,
    CaseState.IN_PROGRESS,
    CaseState.RETURNED,
    CaseState.REFUSED,
    CaseState.ON_HOLD,
    CaseState.COMPLETED,
)
"""The case states shown as queues, in order."""

LEG_QUEUES: Final = (
    LegState.FAILED,
    LegState.QUEUED,
    LegState.SENDING,
    LegState.REJECTED,
    LegState.DELIVERED,
)
"""The leg states shown as queues per department (accepted/completed legs need nobody)."""

SUPERSEDED: Final = "Superseded"
"""``last_error_kind`` of a failed leg replaced by a correction (not stuck: it needs nobody)."""


def state_queue(state: CaseState | str) -> str:
    """The key of a case-state queue."""
    return f"state:{CaseState(state).value}"


def leg_queue(department: Department, state: LegState) -> str:
    """The key of a department's leg-state queue."""
    return f"leg:{department.value}:{state.value}"


def all_queues() -> list[str]:
    """Every queue key, in display order."""
    keys = [state_queue(s) for s in CASE_QUEUES]
    keys += [leg_queue(d, s) for d in Department for s in LEG_QUEUES]
    return keys


def parse_queue(key: str) -> tuple[CaseState, None, None] | tuple[None, Department, LegState]:
    """``(state, None, None)`` for a state queue, ``(None, department, leg state)`` for a leg queue.

    Raises:
        ValueError: not a queue key (a programming error).
    """
    parts = key.split(":")
    if len(parts) == 2 and parts[0] == "state":
        return CaseState(parts[1]), None, None
    if len(parts) == 3 and parts[0] == "leg":
        return None, Department(parts[1]), LegState(parts[2])
    raise ValueError(f"not a queue key: {key!r}")


def queue_label(key: str) -> str:
    """The Chinese name of a queue (``退回补正``, ``税务·发送失败``)."""
    state, department, leg = parse_queue(key)
    if state is not None:
        return label(state)
    assert department is not None and leg is not None
    return f"{department.label}·{LEG_LABELS[leg]}"


@dataclass(frozen=True)
class QueueFilter:
    """What narrows every queue.

    Attributes:
        clerk_id: only this clerk's cases.
        business_type: only this business type.
        created_before: only cases created before this time (an age filter: older than N days).
        due_cutoffs: business type → latest creation time whose promised date is on or before the
            chosen day (:func:`due_cutoffs`); ``None`` for no due-date filter. An empty mapping
            matches nothing.
    """

    clerk_id: int | None = None
    business_type: str | None = None
    created_before: datetime | None = None
    due_cutoffs: Mapping[str, datetime] | None = field(default=None)


@dataclass(frozen=True)
class QueueItem:
    """One row of a queue (no personal data but the applicants' names, for the supervisor's eyes).

    Attributes:
        case_id: the case.
        case_number: its number.
        business_type: its business type id.
        state: its state.
        clerk_id: the clerk it is assigned to.
        clerk: that clerk's display name.
        applicants: the right-holders' and obligors' names.
        created_at: when it was created (the acceptance day, see the module docstring).
        version: the case row's ``updated_at``: pass it back with an action (optimistic check).
        package_id: for a leg queue, the leg.
        department: for a leg queue, the department.
        leg_state: for a leg queue, the leg's state.
        attempts: for a leg queue, delivery attempts.
        error_kind: for a leg queue, the class of the last error (no personal data).
    """

    case_id: uuid.UUID
    case_number: str
    business_type: str
    state: str
    clerk_id: int | None
    clerk: str
    applicants: str
    created_at: datetime
    version: datetime
    package_id: uuid.UUID | None = None
    department: str | None = None
    leg_state: str | None = None
    attempts: int = 0
    error_kind: str | None = None


class ExceptionKind(StrEnum):
    """Exceptions a supervisor approves with their own password at that moment (issue 8)."""

    FACE_CHECK_FAILED = "face_check_failed"
    TAX_DIFFERS = "tax_differs"
    SYNC_OVERDUE = "sync_overdue"
    MATERIAL_WAIVED = "material_waived"


EXCEPTION_LABELS: Final[Mapping[ExceptionKind, str]] = {
    ExceptionKind.FACE_CHECK_FAILED: "人证比对未通过",
    ExceptionKind.TAX_DIFFERS: "税务核定与预估不一致",
    ExceptionKind.SYNC_OVERDUE: "超过未上报时限仍继续受理",
    ExceptionKind.MATERIAL_WAIVED: "免交必需材料",
}
"""The Chinese name of each exception."""


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


def due_date(calendar: WorkingCalendar, created_at: datetime, promised_days: int) -> date:
    """The promised completion date of a case created (accepted) at ``created_at``."""
    return calendar.add_working_days(created_at.astimezone().date(), promised_days)


def latest_acceptance(calendar: WorkingCalendar, due_by: date, promised_days: int) -> date:
    """The latest acceptance day whose promised date is on or before ``due_by``."""
    day = due_by
    while calendar.add_working_days(day, promised_days) > due_by:
        day -= timedelta(days=1)
    return day


def due_cutoffs(catalog: Catalog, calendar: WorkingCalendar, due_by: date) -> dict[str, datetime]:
    """Business type → creation-time bound (exclusive) of cases due on or before ``due_by``.

    Raises:
        CalendarError: the office's calendar leaves no working days.
    """
    return {
        bt.id: _local_midnight(latest_acceptance(calendar, due_by, bt.promised_days) + timedelta(days=1))
        for bt in catalog.types
    }


__all__ = [
    "CASE_QUEUES",
    "EXCEPTION_LABELS",
    "LEG_QUEUES",
    "SUPERSEDED",
    "ExceptionKind",
    "QueueFilter",
    "QueueItem",
    "all_queues",
    "due_cutoffs",
    "due_date",
    "latest_acceptance",
    "leg_queue",
    "parse_queue",
    "queue_label",
    "state_queue",
]
