"""Case operations the windows call: search, start, journal drafts, keep versions, finish."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from forms.case import Case
from workstation.audit import AuditKind, trail_of
from workstation.executor import ErrorCallback
from workstation.qt import QWidget
from workstation.session import Session
from workstation.storage.api import CaseSummary, Draft

READY_STATE = "ready"
"""The state a complete, valid case moves to when the wizard finishes."""

DRAFT_STATE = "draft"
"""The state a ``ready`` case returns to when the clerk edits it (states.py: ready → draft)."""

REOPEN_REASON = "修改待提交的案件，退回草稿"
"""The reason recorded with the ready → draft transition."""


@dataclass(frozen=True)
class CaseChanged:
    """What a write changed, so views redraw only that case.

    Attributes:
        case_id: the case written.
        state: its state after the write (``None`` when unchanged).
        version: the version number kept (``None`` when none was kept).
    """

    case_id: uuid.UUID
    state: str | None = None
    version: int | None = None


@dataclass(frozen=True)
class EditableCase:
    """A case opened for editing: the data as typed and the page to show."""

    case_id: uuid.UUID
    case_number: str
    data: dict[str, Any]
    page: str


def search_cases(
    *,
    session: Session,
    text: str,
    limit: int,
    offset: int,
    on_done: Callable[[list[CaseSummary]], object],
    on_error: ErrorCallback,
) -> None:
    """One page of the case list for a search text (empty: most recently updated)."""
    store = session.store
    session.executor.submit(
        lambda: store.search(text, limit=limit, offset=offset), on_done=on_done, on_error=on_error
    )


def start_case(
    *,
    session: Session,
    business_type: str,
    on_done: Callable[[Case], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Create a new case of a business type; the store assigns its id and case number."""
    store = session.store
    user = session.require_user()
    session.executor.submit(
        lambda: store.create_case(business_type=business_type, user=user),
        on_done=on_done,
        on_error=on_error,
        progress="正在创建案件…",
        parent=parent,
    )


def journal_draft(
    *,
    session: Session,
    case_id: uuid.UUID,
    data: dict[str, Any],
    page: str,
    on_done: Callable[[CaseChanged], object],
    on_error: ErrorCallback,
    reopen_ready: bool = False,
) -> None:
    """Journal what was typed; ``data`` is copied now, so later typing cannot race the worker.

    Args:
        session: the running application.
        case_id: the case.
        data: the raw data as typed.
        page: the wizard page shown.
        on_done: called with what changed; ``state`` is ``draft`` when the case was moved back.
        on_error: called with the error.
        reopen_ready: this journals an edit: a case in ``ready`` moves back to ``draft`` (the change is
            recorded with :data:`REOPEN_REASON`), so a changed case is checked again before submission.
    """
    store = session.store
    user = session.require_user()
    snapshot = copy.deepcopy(data)

    def job() -> CaseChanged:
        store.save_draft(case_id, snapshot, page=page, user=user)
        if reopen_ready:
            history = store.history(case_id)
            if history and history[-1].to_state == READY_STATE:
                store.transition(case_id, DRAFT_STATE, user=user, reason=REOPEN_REASON)
                return CaseChanged(case_id, state=DRAFT_STATE)
        return CaseChanged(case_id)

    session.executor.submit(job, on_done=on_done, on_error=on_error)


def keep_version(
    *,
    session: Session,
    case: Case,
    reason: str,
    on_done: Callable[[CaseChanged], object],
    on_error: ErrorCallback,
) -> None:
    """Keep a full version of a case that parses (at each wizard page change)."""
    store = session.store
    user = session.require_user()

    def job() -> CaseChanged:
        return CaseChanged(case.id, version=store.save_version(case, reason=reason, user=user))

    session.executor.submit(job, on_done=on_done, on_error=on_error)


def keep_version_of(
    *,
    session: Session,
    case_id: uuid.UUID,
    data: dict[str, Any],
    reason: str,
    on_done: Callable[[CaseChanged], object],
    on_error: ErrorCallback,
) -> None:
    """Keep a version of the raw data when it parses as a case (parsed on the worker, not the UI thread).

    ``data`` is copied now. ``on_done`` receives ``version=None`` when the data does not parse yet (the
    draft journal holds it) or belongs to another case.
    """
    store = session.store
    user = session.require_user()
    snapshot = copy.deepcopy(data)

    def job() -> CaseChanged:
        try:
            case = Case.model_validate(snapshot)
        except ValidationError:
            return CaseChanged(case_id)
        if case.id != case_id:
            return CaseChanged(case_id)
        return CaseChanged(case.id, version=store.save_version(case, reason=reason, user=user))

    session.executor.submit(job, on_done=on_done, on_error=on_error)


def finish_case(
    *,
    session: Session,
    case: Case,
    on_done: Callable[[CaseChanged], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Keep the final version of a valid case and move it to ``ready``."""
    store = session.store
    user = session.require_user()

    def job() -> CaseChanged:
        version = store.save_version(case, reason="录入完成", user=user)
        _latest, state = store.load_case(case.id)
        if state != READY_STATE:  # a ready case reopened and finished again stays ready
            store.transition(case.id, READY_STATE, user=user, reason="录入完成，材料齐全")
        return CaseChanged(case.id, state=READY_STATE, version=version)

    session.executor.submit(job, on_done=on_done, on_error=on_error, progress="正在保存案件…", parent=parent)


def find_open_drafts(
    *, session: Session, on_done: Callable[[list[Draft]], object], on_error: ErrorCallback
) -> None:
    """The signed-in user's unfinished drafts (offered back after a crash)."""
    store = session.store
    user = session.require_user()
    session.executor.submit(lambda: store.open_drafts(user), on_done=on_done, on_error=on_error)


def open_case(
    *,
    session: Session,
    case_id: uuid.UUID,
    on_done: Callable[[EditableCase], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Open a case for editing: its journalled draft when there is one, else its latest version."""
    store = session.store

    trail = trail_of(store)
    viewer = session.user.id if session.user is not None else None

    def job() -> EditableCase:
        trail.audit(AuditKind.VIEW_CASE, user_id=viewer, case_id=case_id)  # a view of personal data (#8)
        draft = store.load_draft(case_id)
        if draft is not None:
            return EditableCase(case_id, draft.case_number, draft.data, draft.page)
        case, _state = store.load_case(case_id)
        return EditableCase(case_id, case.case_number or "", case.model_dump(mode="json"), "")

    session.executor.submit(job, on_done=on_done, on_error=on_error, progress="正在打开案件…", parent=parent)
