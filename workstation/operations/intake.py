"""The first keystroke of a new case (``cases.intake_started_at``, issue 8).

The supervisor's statistics measure the handling time at the window from the clerk's first keystroke
on a new case to its submission. The wizard records that moment once the case exists; the store sets
it only while it is unset, so reopening or editing later never moves it. Kept apart from the report
operations so the wizard does not load the report modules.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from workstation.session import Session

_log = logging.getLogger(__name__)


@runtime_checkable
class IntakeStore(Protocol):
    """A store that records the first keystroke (:class:`workstation.storage.store.SqlStore`)."""

    def mark_intake_started(self, case_id: uuid.UUID, at: datetime) -> bool:
        """Record the first keystroke once; ``True`` when this call set it."""
        ...


def mark_intake_started(*, session: Session, case_id: uuid.UUID, at: datetime) -> None:
    """Record the clerk's first keystroke on a new case, on the database executor.

    A failure is logged (the class name only) and not shown: the clerk's work does not depend on it,
    and the statistics count only cases that carry the time.
    """
    store = session.store
    if not isinstance(store, IntakeStore):
        return  # a store without statistics (a test double): nothing to record

    def failed(exc: BaseException) -> None:
        _log.warning("first keystroke of a case not recorded: %s", type(exc).__name__)

    session.executor.submit(
        lambda: store.mark_intake_started(case_id, at), on_done=lambda _r: None, on_error=failed
    )


__all__ = ["IntakeStore", "mark_intake_started"]
