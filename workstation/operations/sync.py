"""Submitting a case to the departments and reading its delivery legs, off the UI thread."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workstation.qt import QWidget
    from workstation.session import Session
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
