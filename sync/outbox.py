"""The outbox: the states of a leg, how a delivery outcome moves it, and the storage it needs.

A **leg** is one package for one department of one submitted case. The workstation writes its legs in
the same database transaction as the case's move to ``submitted`` (``workstation/sync_service.py``);
its ``package_id`` is the idempotency key and its manifest bytes are fixed at that moment, so every
retry sends the same bytes. A leg moves through :class:`LegState`::

    queued → sending → delivered → accepted → completed
       ↑        │           │           └────→ rejected (with reasons)
       └────────┤ (retryable error, back-off)  └────→ completed / rejected
                └→ failed (conflict, refused, broken configuration: a person looks at it)

This module is storage-agnostic: :class:`OutboxStore` is the interface the worker
(:mod:`sync.worker`) uses, and the workstation implements it over its database (SQLite with a lease,
PostgreSQL with ``FOR UPDATE SKIP LOCKED``). The pure rules live here: :func:`classify` (what an error
does to a leg), :func:`backoff` (when to try again) and :func:`case_progress` (what the departments'
answers do to the case, in :mod:`forms.states` terms).

Pattern: persist-queue's ack queue and ODK Collect's uploader (STYLE.md, "The outbox").
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, BinaryIO, Literal, Protocol

from forms.errors import TransitionNotAllowed
from forms.states import CaseState, check_transition
from sync.errors import Conflict, SyncError
from sync.package import Department


class LegState(StrEnum):
    """The state of one leg; the value is what storage records (the names of issue 5)."""

    QUEUED = "queued"  # waiting for a worker (first try, or a retry after back-off)
    SENDING = "sending"  # claimed by a worker holding a lease; marked before the first request
    DELIVERED = "delivered"  # the department acknowledged the submit (receipt number)
    ACCEPTED = "accepted"  # the department accepted the case for processing
    REJECTED = "rejected"  # the department sent it back, with reasons (final for this package)
    COMPLETED = "completed"  # the department finished; its result is stored with the leg
    FAILED = "failed"  # permanent: conflict, refused package or credential — needs a person


LEG_LABELS: Mapping[LegState, str] = {
    LegState.QUEUED: "待发送",
    LegState.SENDING: "发送中",
    LegState.DELIVERED: "已送达",
    LegState.ACCEPTED: "已受理",
    LegState.REJECTED: "已退回",
    LegState.COMPLETED: "已办结",
    LegState.FAILED: "发送失败（需人工处理）",
}
"""The Chinese label of each leg state."""

POLLED_STATES = frozenset({LegState.DELIVERED, LegState.ACCEPTED})
"""Legs whose department has not given its final answer yet: the worker asks again."""

FINAL_STATES = frozenset({LegState.REJECTED, LegState.COMPLETED, LegState.FAILED})
"""Legs nothing more happens to (a correction is a new leg that ``supersedes`` the old one)."""

UNDELIVERED_STATES = frozenset({LegState.QUEUED, LegState.SENDING})
"""Legs the department does not hold yet (counted by the office's overdue limit)."""


# ------------------------------------------------------------------------------------ values
@dataclass(frozen=True)
class ClaimedLeg:
    """A leg a worker has claimed (state ``sending``, lease held) with what it needs to deliver it.

    Attributes:
        package_id: the idempotency key.
        case_id: the case.
        department: the receiving department.
        manifest: the exact canonical JSON built at submit (what is signed and sent).
        attempts: delivery attempts including this one.
        case_version: the case version the package carries (0 when not known).
    """

    package_id: uuid.UUID
    case_id: uuid.UUID
    department: Department
    manifest: bytes = field(repr=False)
    attempts: int
    case_version: int = 0


@dataclass(frozen=True)
class PollTarget:
    """A delivered leg whose department's answer is still awaited."""

    package_id: uuid.UUID
    case_id: uuid.UUID
    department: Department
    state: LegState


@dataclass(frozen=True)
class Answer:
    """A department's answer about a package, as stored with the leg (encrypted).

    Attributes:
        state: ``accepted``, ``rejected`` or ``completed``.
        receipt_no: the department's receipt number.
        reasons: the rejection's reasons (each a sentence in Chinese).
        result: the department's result: 税务 ``{"assessment": …}`` (``forms.tax.assessment.Assessment``
            as JSON), 交易 ``{"filing_confirmation_no", "filed_on"}``, 登记 ``{"acceptance_no",
            "expected_completion"}``.
    """

    state: Literal[LegState.ACCEPTED, LegState.REJECTED, LegState.COMPLETED]
    receipt_no: str | None
    reasons: tuple[str, ...] = ()
    result: Mapping[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON form stored with the leg."""
        return {
            "state": self.state.value,
            "receipt_no": self.receipt_no,
            "reasons": list(self.reasons),
            "result": dict(self.result) if self.result is not None else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Answer:
        """Read what :meth:`to_json` wrote."""
        state = LegState(str(data["state"]))
        if state not in (LegState.ACCEPTED, LegState.REJECTED, LegState.COMPLETED):
            raise ValueError(f"not an answer state: {state}")
        result = data.get("result")
        return cls(
            state=state,
            receipt_no=data.get("receipt_no"),
            reasons=tuple(str(r) for r in data.get("reasons") or ()),
            result=dict(result) if isinstance(result, Mapping) else None,
        )


@dataclass(frozen=True)
class CaseMove:
    """What an answer did to the case: the states it went through (oldest first), possibly none."""

    case_id: uuid.UUID
    states: tuple[CaseState, ...]


@dataclass(frozen=True)
class Delivered:
    """A delivery outcome: the department acknowledged the package (a duplicate reply counts).

    Attributes:
        package_id: the leg.
        receipt_no: the department's receipt number.
        duplicate: the department already held this exact package (a retry after a crash).
        answer: the department's answer when it came with the acknowledgement (recorded with it,
            sparing the first question).
    """

    package_id: uuid.UUID
    receipt_no: str
    duplicate: bool = False
    answer: Answer | None = None


@dataclass(frozen=True)
class RetryLater:
    """A delivery outcome: a retryable failure; the leg goes back to ``queued`` until ``next_attempt_at``."""

    package_id: uuid.UUID
    error: SyncError
    next_attempt_at: datetime


@dataclass(frozen=True)
class GaveUp:
    """A delivery outcome: a permanent failure; the leg is ``failed`` and needs a person."""

    package_id: uuid.UUID
    error: Exception


DeliveryOutcome = Delivered | RetryLater | GaveUp
"""What one delivery attempt did to its leg (recorded by :meth:`OutboxStore.settle`)."""


@dataclass(frozen=True)
class Answered:
    """A poll outcome: the department answered (accepted, rejected or completed)."""

    package_id: uuid.UUID
    answer: Answer


@dataclass(frozen=True)
class AskLater:
    """A poll outcome: no answer yet, or the department could not be reached (``error``)."""

    package_id: uuid.UUID
    error: SyncError | None = None


@dataclass(frozen=True)
class NotHeld:
    """A poll outcome: the department no longer holds the package; deliver it again (same bytes)."""

    package_id: uuid.UUID
    reason: str


PollOutcome = Answered | AskLater | NotHeld
"""What one question to a department did to its leg (recorded by :meth:`OutboxStore.settle_polls`)."""


class OutboxStore(Protocol):
    """The outbox's storage, as the worker uses it. Every method is one transaction.

    Implementations keep every state change durable before returning, so a worker killed at any
    moment leaves legs ``queued``, ``sending`` (lease held; :meth:`release_expired` puts them back)
    or in a state the back end has confirmed.
    """

    def release_expired(self, now: datetime) -> int:
        """Put legs left ``sending`` whose lease has expired back to ``queued``; returns how many."""
        ...

    def claim_due(
        self,
        *,
        owner: str,
        now: datetime,
        lease: timedelta,
        departments: Collection[Department],
        limit: int,
    ) -> list[ClaimedLeg]:
        """Claim up to ``limit`` due ``queued`` legs of these departments: mark them ``sending``.

        Each claimed leg's ``attempts`` is increased and a lease until ``now + lease`` recorded for
        ``owner``. Concurrent workers never claim the same leg (PostgreSQL: ``SKIP LOCKED``;
        SQLite: the write lock serialises the claims).
        """
        ...

    def extend_lease(self, package_id: uuid.UUID, *, owner: str, until: datetime) -> bool:
        """Keep holding a leg during a long upload; False when ``owner`` no longer holds it."""
        ...

    def release(self, package_ids: Collection[uuid.UUID], *, owner: str, now: datetime) -> int:
        """Hand back legs ``owner`` claimed but never sent: ``queued`` again, the claim's attempt undone.

        Returns how many ``owner`` still held.
        """
        ...

    def settle(
        self,
        outcomes: Sequence[DeliveryOutcome],
        *,
        owner: str,
        now: datetime,
        next_poll_at: datetime | None = None,
    ) -> list[bool]:
        """Record delivery outcomes of legs ``owner`` holds, all in one transaction.

        ``Delivered``: ``sending`` → ``delivered`` (receipt recorded), and when the acknowledgement
        carried the department's answer, that answer is recorded too, as :meth:`settle_polls` would
        (the leg's next question at ``next_poll_at``, by default ``now``); ``RetryLater``: ``sending`` →
        ``queued`` until its time, error recorded; ``GaveUp``: ``sending`` → ``failed``, error recorded.
        Recording after the acknowledgement, in batches, is safe: a worker that dies first leaves the
        legs ``sending``; they are delivered again under the same id and the department answers
        "duplicate", which counts as delivered.

        Returns:
            For each outcome, whether it was recorded (False: ``owner`` no longer held the leg).
        """
        ...

    def due_polls(
        self, *, now: datetime, departments: Collection[Department], limit: int
    ) -> list[PollTarget]:
        """Delivered or accepted legs whose next question to the department is due."""
        ...

    def settle_polls(
        self, outcomes: Sequence[PollOutcome], *, now: datetime, next_poll_at: datetime
    ) -> list[CaseMove | None]:
        """Record what the departments answered, all in one transaction.

        ``Answered``: the answer is stored with the leg and the case moves along; an ``accepted``
        leg is asked again at ``next_poll_at`` (completion comes later). ``AskLater``: asked again at
        ``next_poll_at``, error recorded. ``NotHeld``: the leg goes back to ``queued``.

        Returns:
            For each outcome, the case's move for an ``Answered`` one (``None`` when the leg was no
            longer waiting: a duplicate answer), ``None`` for the others.
        """
        ...

    def open_attachment(self, sha256: str) -> BinaryIO:
        """The bytes of an attachment held for delivery (a readable, seekable stream)."""
        ...

    def purge_delivered_attachments(self) -> int:
        """Delete attachments no leg still needs; returns how many.

        A leg needs its attachments until its department confirmed it holds them (``delivered`` and
        after) or it will never be sent (``failed`` because a correction superseded it). Local data
        goes only once the back end confirmed it holds it.
        """
        ...


# ------------------------------------------------------------------------------------ rules
Disposition = Literal["retry", "failed"]


def classify(error: Exception) -> Disposition:
    """What a delivery error does to the leg.

    * a conflict (409: the same id with different content) is never retried: ``failed``;
    * retryable errors (unreachable, timeout, 5xx, a blob damaged in transit): ``retry``;
    * everything else (refused package, credential, TLS or proxy configuration, a corrupt local
      file, an unexpected error): ``failed`` — it needs a person, and retrying changes nothing.
    """
    if isinstance(error, Conflict):
        return "failed"
    if isinstance(error, SyncError) and error.retryable:
        return "retry"
    return "failed"


def backoff(
    attempts: int,
    *,
    base: float,
    cap: float,
    rng: random.Random | None = None,
) -> timedelta:
    """The wait before the next attempt: exponential in ``attempts``, capped, with jitter.

    "Equal jitter": half of ``min(cap, base · 2^(attempts-1))`` plus a random part up to the other
    half, so windows that lost the link together do not all come back at the same second, and the wait
    never collapses to zero.

    Args:
        attempts: attempts made so far (≥ 1).
        base: seconds after the first failure (before jitter).
        cap: the longest wait in seconds.
        rng: the random source (tests pass a seeded one).
    """
    exponent = min(max(attempts, 1) - 1, 62)
    ceiling = min(cap, base * (2.0**exponent))
    source = rng or random
    return timedelta(seconds=ceiling / 2 + source.uniform(0, ceiling / 2))


def case_progress(current: CaseState | str, legs: Iterable[LegState]) -> tuple[CaseState, ...]:
    """The moves the case makes given the states of the legs of its latest submission.

    * any leg ``rejected`` → ``returned`` (退回补正): a department's rejection sends the case back to
      the window for correction; the corrected case is submitted again as new packages naming the old
      ones in ``supersedes``. It is not ``refused`` (不予受理, 条例 Art 17), which is the registry's
      formal written decision, taken by a person;
    * every leg ``completed`` → ``completed`` (through ``in_progress`` when still ``submitted``);
    * any leg ``accepted`` or ``completed`` → ``in_progress`` (a department started work: 条例 Art 20,
      the time limit runs);
    * otherwise no move. ``failed`` legs do not move the case: a person resolves them.

    Each step is checked by :func:`forms.states.check_transition`; a move the state machine does not
    allow from ``current`` (e.g. the case is on hold or was cancelled) is left out.
    """
    states = list(legs)
    if not states:
        return ()
    if LegState.REJECTED in states:
        path = [CaseState.RETURNED]
    elif all(s is LegState.COMPLETED for s in states):
        path = [CaseState.IN_PROGRESS, CaseState.COMPLETED]
    elif any(s in (LegState.ACCEPTED, LegState.COMPLETED) for s in states):
        path = [CaseState.IN_PROGRESS]
    else:
        return ()
    moves: list[CaseState] = []
    state = CaseState(current)
    for target in path:
        if target is state:
            continue
        try:
            state = check_transition(state, target)
        except TransitionNotAllowed:
            break
        moves.append(state)
    return tuple(moves)


def departments_of(names: Sequence[str]) -> tuple[Department, ...]:
    """The catalog's department names (``BusinessType.departments``) as :class:`Department` values.

    Raises:
        ValueError: a name is not one of the three departments.
    """
    return tuple(Department(name) for name in names)
