"""Submitting a case to the departments and reading its delivery legs, off the UI thread."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sync.lookups import ContractRecord, PropertyStatus
    from workstation.qt import QWidget
    from workstation.session import Session
    from workstation.storage.api import User
    from workstation.sync_service import LegView, Submission, SyncService


class SyncNotStarted(RuntimeError):
    """The session has no sync service (a programming error: it starts right after login)."""


def _service(session: Session) -> SyncService:
    if session.sync is None:
        raise SyncNotStarted("the sync service starts after login")
    return session.sync


def submit_case(
    *,
    session: Session,
    case_id: uuid.UUID,
    on_done: Callable[[Submission], object],
    on_error: Callable[[BaseException], object],
    parent: QWidget | None = None,
) -> None:
    """Move a ready case to ``submitted`` and queue one leg per department, in one transaction.

    Args:
        session: the running application (its user submits).
        case_id: the case, which must be ``ready``.
        on_done: called with what was queued, on the UI thread.
        on_error: called with the error (``TransitionNotAllowed`` when the case is not ready).
        parent: the widget a slow submit's progress dialog belongs to.
    """
    service = _service(session)
    user = session.require_user()
    session.executor.submit(
        lambda: service.submit_case(case_id, user=user),
        on_done=on_done,
        on_error=on_error,
        progress="正在提交…",
        parent=parent,
    )


def case_legs(
    *,
    session: Session,
    case_id: uuid.UUID,
    on_done: Callable[[list[LegView]], object],
    on_error: Callable[[BaseException], object],
) -> None:
    """Read the delivery legs of a case (newest first, answers decrypted)."""
    service = _service(session)
    session.executor.submit(lambda: service.legs(case_id), on_done=on_done, on_error=on_error)


@dataclass(frozen=True)
class Delivery:
    """Where a case's packages are, and what the re-checks before sending found.

    Attributes:
        legs: each department's leg, newest first.
        rechecks: (when, what changed) for each re-check of the property's status, oldest first.
    """

    legs: list[LegView]
    rechecks: list[tuple[datetime, tuple[str, ...]]]


def case_delivery(
    *,
    session: Session,
    case_id: uuid.UUID,
    on_done: Callable[[Delivery], object],
    on_error: Callable[[BaseException], object],
) -> None:
    """Read the case's legs and its property re-checks (off the UI thread)."""
    service = _service(session)
    session.executor.submit(
        lambda: Delivery(service.legs(case_id), service.status_checks(case_id)),
        on_done=on_done,
        on_error=on_error,
    )


# ------------------------------------------------------------------------------ look-ups
def lookup_contract(
    *,
    session: Session,
    filing_no: str,
    on_done: Callable[[ContractRecord], object],
    on_error: Callable[[BaseException], object],
    parent: QWidget | None = None,
) -> None:
    """Ask 交易 for the contract filed under ``filing_no`` (off the UI thread, with a progress dialog)."""
    service = _service(session)
    session.executor.submit(
        lambda: service.lookup_contract(filing_no),
        on_done=on_done,
        on_error=on_error,
        progress="正在向交易系统查询合同…",
        parent=parent,
    )


def property_status(
    *,
    session: Session,
    unit_no: str,
    case_id: uuid.UUID | None,
    on_done: Callable[[PropertyStatus], object],
    on_error: Callable[[BaseException], object],
    parent: QWidget | None = None,
) -> None:
    """Ask 登记 about a unit, and record what the clerk saw in the case's history.

    The re-check before sending (``SyncService.recheck_pending``) compares with this record.
    """
    service = _service(session)
    user = session.require_user()

    def job() -> PropertyStatus:
        status = service.property_status(unit_no)
        if case_id is not None:
            service.note_property_status(case_id, status, user=user)
        return status

    session.executor.submit(
        job, on_done=on_done, on_error=on_error, progress="正在向登记系统查询房屋状态…", parent=parent
    )


# ------------------------------------------------------------------------ overdue limit
@dataclass(frozen=True)
class IntakeGate:
    """Whether a new case may be started now (``SyncService.intake_allowed``).

    Attributes:
        allowed: intake may go on without a supervisor.
        warning: the Chinese warning to show ("" when none).
        needs_supervisor: past the office's limit: a supervisor must approve with their password.
    """

    allowed: bool
    warning: str
    needs_supervisor: bool


OPEN_GATE = IntakeGate(True, "", False)
"""No limit, or no sync service (a case file opened without the back ends)."""


def intake_gate(session: Session) -> IntakeGate:
    """Judge the overdue limit now (one indexed query: fast enough for the moment a case is started)."""
    if session.sync is None:
        return OPEN_GATE
    allowed, warning, needs = session.sync.intake_allowed()
    return IntakeGate(allowed, warning, needs)


def check_intake(
    *,
    session: Session,
    on_done: Callable[[IntakeGate], object],
    on_error: Callable[[BaseException], object],
) -> None:
    """Judge the overdue limit on the database executor (:func:`intake_gate`)."""
    session.executor.submit(lambda: intake_gate(session), on_done=on_done, on_error=on_error)


def approve_overdue_intake(
    *,
    session: Session,
    username: str,
    password: str,
    reason: str,
    on_done: Callable[[User], object],
    on_error: Callable[[BaseException], object],
    parent: QWidget | None = None,
) -> None:
    """A supervisor lets intake go on past the overdue limit: their password now, recorded in the audit log.

    Raises (through ``on_error``):
        InvalidUserData: no reason given.
        LoginFailed, AccountLocked: the password is wrong or the account locked.
        PermissionDenied: the account may not approve exceptions.
    """
    from workstation.audit import AuditKind, trail_of
    from workstation.permissions import Action, require
    from workstation.queues import ExceptionKind
    from workstation.storage.errors import InvalidUserData

    clerk = session.require_user()
    store = session.store

    def job() -> User:
        if not reason.strip():
            raise InvalidUserData("“审批意见”不能为空：请写明同意继续受理的理由。")
        approver = require(store.authenticate(username, password), Action.APPROVE_EXCEPTION)
        trail_of(store).audit(
            AuditKind.APPROVAL,
            user_id=approver.id,
            details={
                "approval": ExceptionKind.SYNC_OVERDUE.value,
                "clerk": clerk.id,
                "reason": reason.strip(),
            },
        )
        return approver

    session.executor.submit(job, on_done=on_done, on_error=on_error, progress="正在验证密码…", parent=parent)
