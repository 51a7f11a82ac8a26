"""Supervisor operations: queue counts and pages, the actions on cases and legs, the case view (issue 8).

Each operation checks the signed-in user's role first (:func:`workstation.permissions.require`) and
reports :class:`~workstation.permissions.PermissionDenied` through ``on_error`` without touching the
database; the store checks again in the transaction. Actions pass the version the supervisor saw
(``QueueItem.version``), so a case changed meanwhile by someone else fails with ``CaseConflict``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from workstation.audit import AuditKind, trail_of
from workstation.case_history import CaseDossier, DeliveryLeg, VersionInfo
from workstation.executor import ErrorCallback
from workstation.permissions import Action, require, require_or_report
from workstation.queues import QueueFilter, QueueItem

if TYPE_CHECKING:
    from forms.case import Case
    from workstation.qt import QWidget
    from workstation.session import Session
    from workstation.storage.api import Attachment, IdentityCheck, PrintJob, StateChange, User


@dataclass(frozen=True)
class Supervised:
    """What a supervisor action changed, so the workspace redraws only that.

    Attributes:
        action: the action done.
        case_ids: the cases changed.
        count: how many cases or legs changed.
        approver: the user who approved (approvals only).
    """

    action: Action
    case_ids: tuple[uuid.UUID, ...]
    count: int
    approver: User | None = None


@runtime_checkable
class SupervisorStore(Protocol):
    """The part of :class:`workstation.storage.store.SqlStore` the workspace uses."""

    def list_users(self) -> list[User]:
        """All users."""
        ...

    def queue_counts(self, f: QueueFilter, *, user: User) -> dict[str, int]:
        """Cases (or legs) per queue."""
        ...

    def queue_page(
        self, queue: str, f: QueueFilter, *, user: User, limit: int = 100, offset: int = 0
    ) -> list[QueueItem]:
        """One page of a queue."""
        ...

    def hold_case(
        self, case_id: uuid.UUID, *, user: User, expected: datetime | None, reason: str = ""
    ) -> datetime:
        """Put a case on hold."""
        ...

    def release_case(self, case_id: uuid.UUID, *, user: User, expected: datetime | None) -> datetime:
        """Resume a held case."""
        ...

    def return_for_correction(
        self, case_id: uuid.UUID, *, user: User, expected: datetime | None, reason: str
    ) -> datetime:
        """Return a case for correction."""
        ...

    def reassign_case(
        self, case_id: uuid.UUID, *, to_username: str, user: User, expected: datetime | None
    ) -> datetime:
        """Assign a case to another user."""
        ...

    def retry_legs(self, package_ids: Sequence[uuid.UUID], *, user: User) -> int:
        """Queue failed legs again."""
        ...

    def approve_exception(
        self,
        case_id: uuid.UUID,
        *,
        kind: str,
        reason: str,
        username: str,
        password: str,
        expected: datetime | None = None,
    ) -> User:
        """Approve an exception with the approver's password."""
        ...


def supervisor_store(session: Session) -> SupervisorStore:
    """The session's store as a :class:`SupervisorStore`.

    Raises:
        TypeError: the store has no supervisor queries (a programming error).
    """
    store = session.store
    if not isinstance(store, SupervisorStore):
        raise TypeError(f"{type(store).__name__} has no supervisor queues")
    return store


def _allowed(session: Session, action: Action, on_error: ErrorCallback) -> User | None:
    return require_or_report(session.user, action, on_error)


def load_counts(
    *,
    session: Session,
    queue_filter: QueueFilter,
    on_done: Callable[[dict[str, int]], object],
    on_error: ErrorCallback,
) -> None:
    """Count every queue under the filter."""
    user = _allowed(session, Action.SUPERVISE, on_error)
    if user is None:
        return
    store = supervisor_store(session)
    session.executor.submit(
        lambda: store.queue_counts(queue_filter, user=user), on_done=on_done, on_error=on_error
    )


def load_page(
    *,
    session: Session,
    queue: str,
    queue_filter: QueueFilter,
    limit: int,
    offset: int,
    on_done: Callable[[list[QueueItem]], object],
    on_error: ErrorCallback,
) -> None:
    """One page of a queue."""
    user = _allowed(session, Action.SUPERVISE, on_error)
    if user is None:
        return
    store = supervisor_store(session)
    session.executor.submit(
        lambda: store.queue_page(queue, queue_filter, user=user, limit=limit, offset=offset),
        on_done=on_done,
        on_error=on_error,
    )


def load_users(*, session: Session, on_done: Callable[[list[User]], object], on_error: ErrorCallback) -> None:
    """The users a case may be reassigned to (and the clerk filter's choices)."""
    user = _allowed(session, Action.SUPERVISE, on_error)
    if user is None:
        return
    store = supervisor_store(session)
    session.executor.submit(store.list_users, on_done=on_done, on_error=on_error)


def _each(
    session: Session,
    action: Action,
    items: Sequence[QueueItem],
    act: Callable[[SupervisorStore, User, QueueItem], object],
    on_done: Callable[[Supervised], object],
    on_error: ErrorCallback,
    parent: QWidget | None,
) -> None:
    user = _allowed(session, action, on_error)
    if user is None:
        return
    store = supervisor_store(session)
    chosen = list(items)

    def job() -> Supervised:
        for item in chosen:  # one transaction each: a conflict on one case leaves the others done
            act(store, user, item)
        return Supervised(action, tuple(dict.fromkeys(i.case_id for i in chosen)), len(chosen))

    session.executor.submit(job, on_done=on_done, on_error=on_error, progress="正在处理…", parent=parent)


def hold(
    *,
    session: Session,
    items: Sequence[QueueItem],
    reason: str,
    on_done: Callable[[Supervised], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Put the cases on hold."""
    _each(
        session,
        Action.HOLD,
        items,
        lambda store, user, item: store.hold_case(
            item.case_id, user=user, expected=item.version, reason=reason
        ),
        on_done,
        on_error,
        parent,
    )


def release(
    *,
    session: Session,
    items: Sequence[QueueItem],
    on_done: Callable[[Supervised], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Resume held cases in the state they were held from."""
    _each(
        session,
        Action.HOLD,
        items,
        lambda store, user, item: store.release_case(item.case_id, user=user, expected=item.version),
        on_done,
        on_error,
        parent,
    )


def return_for_correction(
    *,
    session: Session,
    items: Sequence[QueueItem],
    reason: str,
    on_done: Callable[[Supervised], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Return the cases for correction with a reason."""
    _each(
        session,
        Action.RETURN_FOR_CORRECTION,
        items,
        lambda store, user, item: store.return_for_correction(
            item.case_id, user=user, expected=item.version, reason=reason
        ),
        on_done,
        on_error,
        parent,
    )


def reassign(
    *,
    session: Session,
    items: Sequence[QueueItem],
    to_username: str,
    on_done: Callable[[Supervised], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Assign the cases to another user."""
    _each(
        session,
        Action.REASSIGN,
        items,
        lambda store, user, item: store.reassign_case(
            item.case_id, to_username=to_username, user=user, expected=item.version
        ),
        on_done,
        on_error,
        parent,
    )


def retry_legs(
    *,
    session: Session,
    items: Sequence[QueueItem],
    on_done: Callable[[Supervised], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Queue the chosen failed legs again (rows without a leg are skipped)."""
    user = _allowed(session, Action.RETRY_LEGS, on_error)
    if user is None:
        return
    store = supervisor_store(session)
    packages = [i.package_id for i in items if i.package_id is not None]
    cases = tuple(dict.fromkeys(i.case_id for i in items if i.package_id is not None))

    def job() -> Supervised:
        return Supervised(Action.RETRY_LEGS, cases, store.retry_legs(packages, user=user))

    session.executor.submit(job, on_done=on_done, on_error=on_error, progress="正在重新排队…", parent=parent)


def approve_exception(
    *,
    session: Session,
    item: QueueItem,
    kind: str,
    reason: str,
    username: str,
    password: str,
    on_done: Callable[[Supervised], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Approve an exception; the password is checked now (argon2, off the UI thread)."""
    if _allowed(session, Action.APPROVE_EXCEPTION, on_error) is None:
        return
    store = supervisor_store(session)

    def job() -> Supervised:
        approver = store.approve_exception(
            item.case_id,
            kind=kind,
            reason=reason,
            username=username,
            password=password,
            expected=item.version,
        )
        return Supervised(Action.APPROVE_EXCEPTION, (item.case_id,), 1, approver)

    session.executor.submit(job, on_done=on_done, on_error=on_error, progress="正在验证密码…", parent=parent)


# --------------------------------------------------------------------------- read-only case view
@runtime_checkable
class CaseViewStore(Protocol):
    """The part of :class:`workstation.storage.store.SqlStore` the read-only case view reads."""

    def load_case(self, case_id: uuid.UUID) -> tuple[Case, str]:
        """The latest version and the state."""
        ...

    def case_version_log(self, case_id: uuid.UUID) -> list[tuple[VersionInfo, Case]]:
        """Every version with who kept it."""
        ...

    def history(self, case_id: uuid.UUID) -> list[StateChange]:
        """The state changes."""
        ...

    def delivery_legs(self, case_id: uuid.UUID) -> list[DeliveryLeg]:
        """The department legs."""
        ...

    def attachments(self, case_id: uuid.UUID) -> list[Attachment]:
        """The stored scans."""
        ...

    def attachment_purges(self, case_id: uuid.UUID) -> dict[str, datetime]:
        """Which scans retention deleted."""
        ...

    def identity_checks(self, case_id: uuid.UUID, party_id: str | None = None) -> list[IdentityCheck]:
        """The face checks."""
        ...

    def identity_image_purges(self, case_id: uuid.UUID) -> dict[int, datetime]:
        """Which checks' photos retention deleted."""
        ...

    def print_jobs(self, case_id: uuid.UUID) -> list[PrintJob]:
        """The prints."""
        ...

    def list_users(self) -> list[User]:
        """All users (for the "who" columns)."""
        ...


def read_dossier(store: CaseViewStore, case_id: uuid.UUID, *, user: User) -> CaseDossier:
    """Everything the case view shows, read and audited as a view of personal data (blocks).

    The role is checked again here (the store reads without a user), and the audit entry is written
    before anything is decrypted, so a view that fails half-way is still recorded.

    Raises:
        PermissionDenied: ``user`` may not open the supervisor's case view.
        CaseNotFound: no such case.
    """
    require(user, Action.SUPERVISE)
    trail_of(store).audit(
        AuditKind.VIEW_CASE, user_id=user.id, case_id=case_id, details={"view": "supervisor_case_view"}
    )
    case, state = store.load_case(case_id)
    return CaseDossier(
        case=case,
        state=state,
        versions=store.case_version_log(case_id),
        events=store.history(case_id),
        legs=store.delivery_legs(case_id),
        attachments=store.attachments(case_id),
        purged_attachments=store.attachment_purges(case_id),
        identity_checks=store.identity_checks(case_id),
        purged_images=store.identity_image_purges(case_id),
        print_jobs=store.print_jobs(case_id),
        user_names={u.id: u.display_name for u in store.list_users()},
    )


def load_case_view(
    *,
    session: Session,
    case_id: uuid.UUID,
    on_done: Callable[[CaseDossier], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Read a case for the supervisor's read-only view (versions, deliveries), audited as a view.

    ``PermissionDenied`` reaches ``on_error`` at once for a clerk; nothing is read then.
    """
    user = _allowed(session, Action.SUPERVISE, on_error)
    if user is None:
        return
    store = session.store
    if not isinstance(store, CaseViewStore):
        raise TypeError(f"{type(store).__name__} cannot show a case's history")
    session.executor.submit(
        lambda: read_dossier(store, case_id, user=user),
        on_done=on_done,
        on_error=on_error,
        progress="正在打开案件…",
        parent=parent,
    )
