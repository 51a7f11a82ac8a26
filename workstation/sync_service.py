"""The glue between the case store and ``sync``: submit into the outbox, run the worker, read answers.

:class:`SyncService.submit_case` moves a ``ready`` case to ``submitted`` and writes one outbox leg per
department the catalog names for its business type (``BusinessType.departments``) **in the same
database transaction**: either the case is submitted and every leg is queued, or nothing changed. Each
leg's manifest (:func:`sync.package.build_manifest`, the payload derived by
:func:`sync.package.payload_for`) is built and stored then, encrypted, so every retry sends the same
bytes.

:class:`SqlOutbox` implements :class:`sync.outbox.OutboxStore` on the workstation's database:

* claims use ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL: the office's windows share the queue;
  SQLite ignores the clause, and the claim's ``BEGIN IMMEDIATE`` write lock serialises claimers), then
  mark the legs ``sending`` with a time-limited lease (``lease_owner``, ``lease_until``) before any
  request is made; a worker that dies leaves its legs to :meth:`SqlOutbox.release_expired`;
* attachments are content-addressed blobs in the database (``outbox_blobs``), encrypted with the
  store's cipher, so any window's worker that claims a leg can read them;
* answers (the tax assessment, the filing confirmation, the registration acceptance number and
  expected date, or the reasons of a rejection) are stored encrypted with the leg, and the case moves
  along (:func:`sync.outbox.case_progress`) in the same transaction, recorded in its history.

Personal data never reaches the log: only package ids, departments and error classes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import logging
import random
import threading
import uuid
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, cast

import httpx
from sqlalchemy import Table, bindparam, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from forms.case import Case
from forms.catalog import Catalog, load_catalog
from forms.errors import FormsError
from forms.states import CaseState, check_transition
from sync import usb
from sync.errors import BlobCorrupt, ServerRejected, SyncError, TransportError
from sync.keys import CredentialVault, NotEnrolled
from sync.lookups import (
    STATUS_FLAGS,
    ContractRecord,
    PropertyStatus,
    fetch_contract,
    fetch_property_status,
    fetch_property_statuses,
)
from sync.outbox import (
    LEG_LABELS,
    UNDELIVERED_STATES,
    Answer,
    Answered,
    AskLater,
    CaseMove,
    ClaimedLeg,
    Delivered,
    DeliveryOutcome,
    LegState,
    NotHeld,
    PollOutcome,
    PollTarget,
    RetryLater,
    case_progress,
    departments_of,
)
from sync.package import (
    AttachmentRef,
    AuditHead,
    Department,
    Manifest,
    attachment_ref,
    build_manifest,
    canonical_bytes,
    signature_header,
)
from sync.transport import (
    Credential,
    TransportSettings,
    deliver_sealed,
    enrol,
    fetch_audit_heads,
    fetch_department_keys,
    make_client,
)
from sync.usb import DepartmentKeys
from sync.worker import Endpoint, Worker, WorkerSettings
from workstation.audit import HeadMismatch, HeldHead, audit_head_in, compare_heads, writer_id
from workstation.config import Settings
from workstation.storage.api import User
from workstation.storage.crypto import FieldCipher
from workstation.storage.db import translated_errors
from workstation.storage.errors import StorageError
from workstation.storage.models import CaseRow, CaseVersionRow, OutboxBlobRow, OutboxLegBlobRow, OutboxLegRow
from workstation.storage.store import Clock, NewEvent, SqlStore, utc_now

log = logging.getLogger(__name__)

ATTACHMENT_DEPARTMENTS = frozenset({Department.REGISTRATION})
"""Who receives the scans: 登记 gets everything with the scans; 交易 and 税务 get data only (issue 5,
"Each department gets only the data it needs"; 个人信息保护法 Art 6, minimum necessary)."""

_SENDING = LegState.SENDING.value

PURGE_BATCH = 8
"""Local scans deleted per transaction (:meth:`SqlOutbox.purge_delivered_attachments`)."""


@dataclass(frozen=True)
class OutgoingAttachment:
    """A scan to send with a case (registration only), as bytes.

    Attributes:
        data: the file's bytes.
        name: its file name.
        media_type: e.g. ``application/pdf``.
    """

    data: bytes
    name: str
    media_type: str


@dataclass(frozen=True)
class Submission:
    """What :meth:`SyncService.submit_case` wrote.

    Attributes:
        case_id: the case.
        case_version: the version kept at submit (carried by every package).
        legs: the new legs, department → package id.
    """

    case_id: uuid.UUID
    case_version: int
    legs: Mapping[Department, uuid.UUID]


@dataclass(frozen=True)
class LegView:
    """One leg as the status views and the CLI show it (answer and error decrypted).

    Attributes:
        package_id: the idempotency key.
        case_id: the case.
        case_number: the case number (not personal data).
        department: the receiving department.
        state: the leg's state.
        attempts: delivery attempts so far.
        next_attempt_at: the next delivery attempt or question.
        last_error: the last error's Chinese message, if any.
        receipt_no: the department's receipt number once delivered.
        answer: the department's answer once given.
        created_at: when the case was submitted.
        delivered_at: when the department acknowledged it.
    """

    package_id: uuid.UUID
    case_id: uuid.UUID
    case_number: str
    department: Department
    state: LegState
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    receipt_no: str | None
    answer: Answer | None
    created_at: datetime
    delivered_at: datetime | None

    @property
    def label(self) -> str:
        """``税务：已受理`` and the like."""
        return f"{self.department.label}：{LEG_LABELS[self.state]}"


# ------------------------------------------------------------------------------------ outbox
class SqlOutbox:
    """:class:`sync.outbox.OutboxStore` over the workstation's database (SQLite or PostgreSQL).

    Args:
        store: the open store (its engine, cipher and case-history recorder are used).
    """

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._cipher: FieldCipher = store.cipher

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._store.transaction() as s:
            yield s

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._store.snapshot() as s:
            yield s

    # ------------------------------------------------------------------ encryption helpers
    def _enc(self, value: bytes, column: str, package_id: uuid.UUID) -> bytes:
        return self._cipher.encrypt(value, table="outbox_legs", column=column, row=str(package_id))

    def _dec(self, blob: bytes, column: str, package_id: uuid.UUID) -> bytes:
        return self._cipher.decrypt(blob, table="outbox_legs", column=column, row=str(package_id))

    def _claimed(self, row: Any, *, attempts: int) -> ClaimedLeg:
        """A leg row (or a row of its columns) as handed to a worker, its manifest decrypted."""
        return ClaimedLeg(
            package_id=row.package_id,
            case_id=row.case_id,
            department=Department(row.department),
            manifest=self._dec(row.manifest, "manifest", row.package_id),
            attempts=attempts,
            case_version=row.case_version,
        )

    def _error_blob(self, error: BaseException | str, package_id: uuid.UUID) -> bytes:
        text = error if isinstance(error, str) else str(error) or type(error).__name__
        return self._enc(text.encode("utf-8"), "last_error", package_id)

    # ------------------------------------------------------------------------- writing legs
    def add_legs(
        self,
        s: Session,
        case: Case,
        *,
        departments: Sequence[Department],
        case_version: int,
        now: datetime,
        attachments: Sequence[OutgoingAttachment] = (),
        tax_estimate: Mapping[str, Any] | None = None,
        office_code: str,
        window_id: str,
    ) -> dict[Department, uuid.UUID]:
        """Insert one ``queued`` leg per department in the caller's transaction.

        A department that already had a leg for this case gets a package naming the latest one in
        ``supersedes`` (a correction); older legs of the case still ``queued`` are marked ``failed``
        (superseded, never sent). An attachment is stored unless held: one deleted after an earlier
        delivery (:meth:`purge_delivered_attachments`) is stored again. Every manifest carries the
        audit chain's head as it stands in this transaction.
        """
        refs: list[AttachmentRef] = []
        for item in attachments:
            ref = attachment_ref(item.data, name=item.name, media_type=item.media_type)
            if ref.sha256 not in {r.sha256 for r in refs}:
                refs.append(ref)
                if s.get(OutboxBlobRow, ref.sha256) is None:
                    s.add(
                        OutboxBlobRow(
                            sha256=ref.sha256,
                            size=ref.size,
                            data=self._cipher.encrypt(
                                item.data, table="outbox_blobs", column="data", row=ref.sha256
                            ),
                            created_at=now,
                        )
                    )
        s.flush()
        previous = {
            Department(dept): pid
            for dept, pid in s.execute(
                select(OutboxLegRow.department, OutboxLegRow.package_id)
                .where(OutboxLegRow.case_id == case.id)
                .order_by(OutboxLegRow.created_at, OutboxLegRow.case_version)
            ).all()
        }
        stale = s.scalars(
            select(OutboxLegRow)
            .where(OutboxLegRow.case_id == case.id, OutboxLegRow.state == LegState.QUEUED.value)
            .with_for_update()
        ).all()
        stored_head = audit_head_in(s)
        head = (
            AuditHead(seq=stored_head[0], mac=stored_head[1].hex(), window=writer_id(office_code, window_id))
            if stored_head is not None
            else None
        )
        created: dict[Department, uuid.UUID] = {}
        for department in departments:
            package_id = uuid.uuid4()
            carried = refs if department in ATTACHMENT_DEPARTMENTS else []
            manifest = build_manifest(
                case,
                department,
                package_id=package_id,
                case_version=case_version,
                office_code=office_code,
                window_id=window_id,
                created_at=now,
                attachments=carried,
                supersedes=previous.get(department),
                tax_estimate=tax_estimate if department is Department.TAX else None,
                audit_head=head,
            )
            s.add(
                OutboxLegRow(
                    package_id=package_id,
                    case_id=case.id,
                    department=department.value,
                    case_version=case_version,
                    supersedes=previous.get(department),
                    state=LegState.QUEUED.value,
                    attempts=0,
                    next_attempt_at=now,
                    manifest=self._enc(canonical_bytes(manifest), "manifest", package_id),
                    created_at=now,
                    updated_at=now,
                )
            )
            s.flush()
            for ref in carried:
                s.add(OutboxLegBlobRow(package_id=package_id, sha256=ref.sha256))
            created[department] = package_id
        for row in stale:
            row.state = LegState.FAILED.value
            row.last_error_kind = "Superseded"
            row.last_error = self._error_blob("已被更正后重新提交的数据包取代，未发送", row.package_id)
            row.updated_at = now
        return created

    # ---------------------------------------------------------------------- OutboxStore API
    def release_expired(self, now: datetime) -> int:
        """Put ``sending`` legs whose lease has expired back to ``queued`` (start-up recovery)."""
        with self._write() as s:
            result = s.execute(
                update(OutboxLegRow)
                .where(OutboxLegRow.state == _SENDING, OutboxLegRow.lease_until < now)
                .values(
                    state=LegState.QUEUED.value,
                    lease_owner=None,
                    lease_until=None,
                    next_attempt_at=now,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def claim_due(
        self,
        *,
        owner: str,
        now: datetime,
        lease: timedelta,
        departments: Collection[Department],
        limit: int,
    ) -> list[ClaimedLeg]:
        """Claim due ``queued`` legs: ``FOR UPDATE SKIP LOCKED`` then ``sending`` with a lease."""
        if not departments or limit <= 0:
            return []
        stmt = (
            select(
                OutboxLegRow.package_id,
                OutboxLegRow.case_id,
                OutboxLegRow.department,
                OutboxLegRow.manifest,
                OutboxLegRow.attempts,
                OutboxLegRow.case_version,
            )
            .where(
                OutboxLegRow.state == LegState.QUEUED.value,
                OutboxLegRow.next_attempt_at <= now,
                OutboxLegRow.department.in_([d.value for d in departments]),
            )
            .order_by(OutboxLegRow.next_attempt_at, OutboxLegRow.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self._write() as s:
            rows = s.execute(stmt).all()
            if not rows:
                return []
            # One statement for the whole claim (the rows are locked on PostgreSQL; SQLite's write
            # transaction holds the database).
            s.execute(
                update(OutboxLegRow)
                .where(OutboxLegRow.package_id.in_([r.package_id for r in rows]))
                .values(
                    state=_SENDING,
                    attempts=OutboxLegRow.attempts + 1,
                    lease_owner=owner,
                    lease_until=now + lease,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            return [self._claimed(r, attempts=r.attempts + 1) for r in rows]

    def settle(
        self,
        outcomes: Sequence[DeliveryOutcome],
        *,
        owner: str,
        now: datetime,
        next_poll_at: datetime | None = None,
    ) -> list[bool]:
        """Record delivery outcomes of legs ``owner`` holds, in one transaction (one commit per batch).

        The legs still held are locked and read in one statement; the acknowledged ones are updated
        in one batch (and the answers that came with their acknowledgements recorded as
        :meth:`settle_polls` records them), the failures (rare) one by one.
        """
        if not outcomes:
            return []
        legs = cast(Table, OutboxLegRow.__table__)
        with self._write() as s:
            held = set(
                s.scalars(
                    select(OutboxLegRow.package_id)
                    .where(
                        OutboxLegRow.package_id.in_([o.package_id for o in outcomes]),
                        OutboxLegRow.state == _SENDING,
                        OutboxLegRow.lease_owner == owner,
                    )
                    .with_for_update()
                )
            )
            acknowledged = [
                {"b_package_id": o.package_id, "b_receipt_no": o.receipt_no[:60]}
                for o in outcomes
                if isinstance(o, Delivered) and o.package_id in held
            ]
            if acknowledged:
                s.connection().execute(
                    update(legs)
                    .where(legs.c.package_id == bindparam("b_package_id"))
                    .values(
                        state=LegState.DELIVERED.value,
                        receipt_no=bindparam("b_receipt_no"),
                        delivered_at=now,
                        next_attempt_at=now,
                        last_error_kind=None,
                        last_error=None,
                        lease_owner=None,
                        lease_until=None,
                        updated_at=now,
                    ),
                    acknowledged,
                )
            answered = [
                Answered(o.package_id, o.answer)
                for o in outcomes
                if isinstance(o, Delivered) and o.answer is not None and o.package_id in held
            ]
            if answered:
                self._answers_in(s, answered, now, now if next_poll_at is None else next_poll_at)
            for outcome in outcomes:
                if isinstance(outcome, Delivered) or outcome.package_id not in held:
                    continue
                values: dict[str, Any] = {
                    "state": LegState.FAILED.value,
                    "last_error_kind": type(outcome.error).__name__[:40],
                    "last_error": self._error_blob(outcome.error, outcome.package_id),
                }
                if isinstance(outcome, RetryLater):
                    values.update(state=LegState.QUEUED.value, next_attempt_at=outcome.next_attempt_at)
                s.execute(
                    update(OutboxLegRow)
                    .where(OutboxLegRow.package_id == outcome.package_id)
                    .values(lease_owner=None, lease_until=None, updated_at=now, **values)
                    .execution_options(synchronize_session=False)
                )
        return [o.package_id in held for o in outcomes]

    def extend_lease(self, package_id: uuid.UUID, *, owner: str, until: datetime) -> bool:
        """Move a held lease's end to ``until``."""
        with self._write() as s:
            result = s.execute(
                update(OutboxLegRow)
                .where(
                    OutboxLegRow.package_id == package_id,
                    OutboxLegRow.state == _SENDING,
                    OutboxLegRow.lease_owner == owner,
                )
                .values(lease_until=until)
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]

    def release(self, package_ids: Collection[uuid.UUID], *, owner: str, now: datetime) -> int:
        """Hand back legs ``owner`` claimed but never sent (a round that ended early)."""
        if not package_ids:
            return 0
        with self._write() as s:
            result = s.execute(
                update(OutboxLegRow)
                .where(
                    OutboxLegRow.package_id.in_(list(package_ids)),
                    OutboxLegRow.state == _SENDING,
                    OutboxLegRow.lease_owner == owner,
                )
                .values(
                    state=LegState.QUEUED.value,
                    attempts=OutboxLegRow.attempts - 1,
                    lease_owner=None,
                    lease_until=None,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def mark_delivered(self, package_id: uuid.UUID, *, owner: str, receipt_no: str, now: datetime) -> bool:
        """``sending`` → ``delivered`` on the department's acknowledgement (one leg: :meth:`settle`)."""
        return self.settle([Delivered(package_id, receipt_no)], owner=owner, now=now)[0]

    def due_polls(
        self, *, now: datetime, departments: Collection[Department], limit: int
    ) -> list[PollTarget]:
        """Delivered or accepted legs whose next question is due."""
        if not departments:
            return []
        with self._read() as s:
            rows = s.execute(
                select(
                    OutboxLegRow.package_id, OutboxLegRow.case_id, OutboxLegRow.department, OutboxLegRow.state
                )
                .where(
                    OutboxLegRow.state.in_([LegState.DELIVERED.value, LegState.ACCEPTED.value]),
                    OutboxLegRow.next_attempt_at <= now,
                    OutboxLegRow.department.in_([d.value for d in departments]),
                )
                .order_by(OutboxLegRow.next_attempt_at)
                .limit(limit)
            ).all()
        return [PollTarget(pid, cid, Department(dept), LegState(state)) for pid, cid, dept, state in rows]

    def settle_polls(
        self, outcomes: Sequence[PollOutcome], *, now: datetime, next_poll_at: datetime
    ) -> list[CaseMove | None]:
        """Record the departments' answers (moving the cases), in one transaction.

        Legs with no answer yet (most of them, most of the time: departments answer in hours or
        days) are moved to their next question in one statement.
        """
        moves: dict[uuid.UUID, CaseMove | None] = {}
        legs = cast(Table, OutboxLegRow.__table__)
        # Not ``IN (…)``: its expanding parameters cannot go with executemany.
        waiting = or_(*(legs.c.state == st.value for st in (LegState.DELIVERED, LegState.ACCEPTED)))
        with self._write() as s:
            answered = [o for o in outcomes if isinstance(o, Answered)]
            if answered:
                moves = self._answers_in(s, answered, now, next_poll_at)
            unanswered = [
                {"b_package_id": o.package_id}
                for o in outcomes
                if isinstance(o, AskLater) and o.error is None
            ]
            if unanswered:
                s.connection().execute(
                    update(legs)
                    .where(legs.c.package_id == bindparam("b_package_id"), waiting)
                    .values(next_attempt_at=next_poll_at, updated_at=now),
                    unanswered,
                )
            for outcome in outcomes:
                if isinstance(outcome, Answered) or (isinstance(outcome, AskLater) and outcome.error is None):
                    continue
                values: dict[str, Any]
                if isinstance(outcome, NotHeld):  # deliver again (same id, same bytes)
                    values = {
                        "state": LegState.QUEUED.value,
                        "next_attempt_at": now,
                        "last_error_kind": "NotHeld",
                        "last_error": self._error_blob(outcome.reason, outcome.package_id),
                    }
                else:
                    values = {"next_attempt_at": next_poll_at}
                    if outcome.error is not None:
                        values["last_error_kind"] = type(outcome.error).__name__[:40]
                        values["last_error"] = self._error_blob(outcome.error, outcome.package_id)
                s.execute(
                    update(OutboxLegRow)
                    .where(OutboxLegRow.package_id == outcome.package_id, waiting)
                    .values(updated_at=now, **values)
                    .execution_options(synchronize_session=False)
                )
        return [moves.get(o.package_id) if isinstance(o, Answered) else None for o in outcomes]

    def record_answer(
        self, package_id: uuid.UUID, answer: Answer, *, now: datetime, next_poll_at: datetime
    ) -> CaseMove | None:
        """Store one answer with its leg and move the case (:meth:`settle_polls` for one)."""
        return self.settle_polls([Answered(package_id, answer)], now=now, next_poll_at=next_poll_at)[0]

    def _answers_in(
        self, s: Session, answered: Sequence[Answered], now: datetime, next_poll_at: datetime
    ) -> dict[uuid.UUID, CaseMove | None]:
        """Store answers with their legs and move their cases, in the caller's transaction.

        The legs, their cases and the cases' other legs are read once for the whole batch (only the
        columns needed, the rows locked); the answers are then applied in order, each moving its case
        as if recorded on its own (the history names the department whose answer made the move), and
        written back in one statement for the legs and one for the cases.
        """
        legs_table = cast(Table, OutboxLegRow.__table__)
        cases_table = cast(Table, CaseRow.__table__)
        rows = {
            r.package_id: r
            for r in s.execute(
                select(
                    OutboxLegRow.package_id,
                    OutboxLegRow.case_id,
                    OutboxLegRow.case_version,
                    OutboxLegRow.department,
                    OutboxLegRow.state,
                    OutboxLegRow.receipt_no,
                )
                .where(OutboxLegRow.package_id.in_([o.package_id for o in answered]))
                .with_for_update()
            )
        }
        waiting = (LegState.DELIVERED.value, LegState.ACCEPTED.value)
        found: dict[uuid.UUID, CaseMove | None] = {}
        todo: list[tuple[Answered, Any]] = []
        for outcome in answered:
            row = rows.get(outcome.package_id)
            if row is None or row.state not in waiting or row.state == outcome.answer.state.value:
                found[outcome.package_id] = None  # no longer waiting: a duplicate answer
            else:
                todo.append((outcome, row))
        case_ids = sorted({row.case_id for _, row in todo})
        if not case_ids:
            return found
        case_states: dict[uuid.UUID, str] = {
            cid: state
            for cid, state in s.execute(
                select(CaseRow.id, CaseRow.state)
                .where(CaseRow.id.in_(case_ids))
                .order_by(CaseRow.id)
                .with_for_update()
            )
        }
        for cid in case_ids:
            if cid not in case_states:
                self._store.case_row(s, cid)  # raises CaseNotFound, as reading the case would
        legs_of: dict[uuid.UUID, dict[uuid.UUID, tuple[int, str]]] = {cid: {} for cid in case_ids}
        for pid, cid, version, state in s.execute(
            select(
                OutboxLegRow.package_id, OutboxLegRow.case_id, OutboxLegRow.case_version, OutboxLegRow.state
            ).where(OutboxLegRow.case_id.in_(case_ids))
        ):
            legs_of[cid][pid] = (version, state)
        events: list[NewEvent] = []
        leg_updates: list[dict[str, Any]] = []
        moved: dict[uuid.UUID, str] = {}
        for outcome, row in todo:
            answer = outcome.answer
            state = answer.state.value
            receipt_no = row.receipt_no or (answer.receipt_no or "")[:60] or None
            leg_updates.append(
                {
                    "b_package_id": row.package_id,
                    "b_state": state,
                    "b_answer": self._cipher.encrypt_json(
                        answer.to_json(), table="outbox_legs", column="answer", row=str(row.package_id)
                    ),
                    "b_receipt_no": receipt_no,
                }
            )
            legs = legs_of[row.case_id]
            legs[row.package_id] = (row.case_version, state)
            latest = max(v for v, _ in legs.values())
            if row.case_version != latest:
                found[row.package_id] = CaseMove(row.case_id, ())  # about a superseded package
                continue
            case_state = case_states[row.case_id]
            states = [LegState(st) for v, st in legs.values() if v == latest]
            moves = case_progress(case_state, states)
            department = Department(row.department)
            reason = f"{department.label}{LEG_LABELS[answer.state]}"
            if answer.reasons:
                reason += "：" + "；".join(answer.reasons)
            details = {
                "department": department.value,
                "package_id": str(row.package_id),
                "receipt_no": receipt_no,
            }
            for target in moves:
                events.append(NewEvent(row.case_id, case_state, target.value, now, None, reason, details))
                case_state = target.value
            if moves:
                case_states[row.case_id] = moved[row.case_id] = case_state
            found[row.package_id] = CaseMove(row.case_id, moves)
        s.connection().execute(
            update(legs_table)
            .where(legs_table.c.package_id == bindparam("b_package_id"))
            .values(
                state=bindparam("b_state"),
                answer=bindparam("b_answer"),
                receipt_no=bindparam("b_receipt_no"),
                answered_at=now,
                next_attempt_at=next_poll_at,
                updated_at=now,
            ),
            leg_updates,
        )
        if moved:
            s.connection().execute(
                update(cases_table)
                .where(cases_table.c.id == bindparam("b_id"))
                .values(state=bindparam("b_state"), updated_at=now),
                [{"b_id": cid, "b_state": state} for cid, state in moved.items()],
            )
        self._store.add_events(s, events)
        return found

    def open_attachment(self, sha256: str) -> BinaryIO:
        """The decrypted bytes of a stored attachment.

        Raises:
            BlobCorrupt: the blob is not stored (not retryable: the scan must be taken again).
        """
        engine = self._store.engine
        if engine.dialect.name == "sqlite":
            # One statement on a pooled driver connection (SQLite reads it in one implicit
            # transaction). A session with its BEGIN and COMMIT, and SQLAlchemy's handling of a 1 MB
            # row, took over half of the read in the drain benchmark (py-spy).
            with translated_errors(), contextlib.closing(engine.raw_connection()) as raw:
                row = raw.driver_connection.execute(  # type: ignore[union-attr]
                    f"SELECT data FROM {OutboxBlobRow.__tablename__} WHERE sha256 = ?", (sha256,)
                ).fetchone()
            blob = None if row is None else row[0]
        else:
            with self._read() as s:
                blob = s.scalar(select(OutboxBlobRow.data).where(OutboxBlobRow.sha256 == sha256))
        if blob is None:
            raise BlobCorrupt(sha256, "本机没有该附件")
        return io.BytesIO(self._cipher.decrypt(blob, table="outbox_blobs", column="data", row=sha256))

    def purge_delivered_attachments(self) -> int:
        """Delete blobs no leg still needs; returns how many.

        A leg needs its blobs while it is ``queued``, ``sending`` or ``failed`` (a person may queue it
        again), unless it failed because a correction superseded it: it will never be sent. Legs
        whose department confirmed it holds the package (``delivered`` and after) need nothing.
        The blobs go :data:`PURGE_BATCH` per transaction: on SQLite a deletion zeroes the bytes
        (secure delete), about 12 ms per 1 MB scan here, and the clerk's saves must not wait behind
        a backlog's worth of it (1,000 scans took 12 s in one transaction, beyond the 10 s busy
        timeout).
        A submission racing with this on PostgreSQL (the same scan linked again at this moment) makes
        a batch's delete fail on the foreign key; that batch is left for the next round. On SQLite the
        write lock orders them: the submission stores the blob again if it is gone.
        """
        done = [st.value for st in LegState if st not in (LegState.QUEUED, LegState.SENDING, LegState.FAILED)]
        finished = OutboxLegRow.state.in_(done) | (
            (OutboxLegRow.state == LegState.FAILED.value) & (OutboxLegRow.last_error_kind == "Superseded")
        )
        with self._write() as s:
            s.execute(
                delete(OutboxLegBlobRow)
                .where(OutboxLegBlobRow.package_id.in_(select(OutboxLegRow.package_id).where(finished)))
                .execution_options(synchronize_session=False)
            )
        unneeded = ~OutboxBlobRow.sha256.in_(select(OutboxLegBlobRow.sha256))
        purged = 0
        while True:
            try:
                with self._write() as s:
                    doomed = list(s.scalars(select(OutboxBlobRow.sha256).where(unneeded).limit(PURGE_BATCH)))
                    if doomed:
                        result = s.execute(
                            delete(OutboxBlobRow)
                            .where(OutboxBlobRow.sha256.in_(doomed), unneeded)
                            .execution_options(synchronize_session=False)
                        )
                        purged += int(result.rowcount or 0)  # type: ignore[attr-defined]
            except IntegrityError:
                return purged
            if len(doomed) < PURGE_BATCH:
                return purged

    # ---------------------------------------------------------------------------------- USB
    def undelivered(self, *, limit: int = 10_000) -> list[ClaimedLeg]:
        """Legs the departments do not hold yet (``queued`` or ``sending``), manifests decrypted.

        Nothing is claimed: a stick carries copies, and the back ends deliver by ``package_id``, so a
        leg that also goes out by network is still delivered once.
        """
        with self._read() as s:
            rows = s.scalars(
                select(OutboxLegRow)
                .where(OutboxLegRow.state.in_([st.value for st in UNDELIVERED_STATES]))
                .order_by(OutboxLegRow.created_at, OutboxLegRow.department)
                .limit(limit)
            ).all()
            return [self._claimed(row, attempts=row.attempts) for row in rows]

    def mark_acknowledged(
        self, package_id: uuid.UUID, department: Department, *, receipt_no: str, now: datetime
    ) -> str:
        """A department's verified acknowledgement from a stick: ``queued``/``sending`` → ``delivered``.

        Returns:
            ``marked``; ``already`` when the leg had left ``queued``/``sending`` (acks read twice, or it
            also went out by network); ``unknown`` when this window has no such leg.
        """
        with self._write() as s:
            result = s.execute(
                update(OutboxLegRow)
                .where(
                    OutboxLegRow.package_id == package_id,
                    OutboxLegRow.department == department.value,
                    OutboxLegRow.state.in_([st.value for st in UNDELIVERED_STATES]),
                )
                .values(
                    state=LegState.DELIVERED.value,
                    receipt_no=receipt_no[:60],
                    delivered_at=now,
                    next_attempt_at=now,
                    lease_owner=None,
                    lease_until=None,
                    last_error_kind=None,
                    last_error=None,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if int(result.rowcount or 0) == 1:  # type: ignore[attr-defined]
                return "marked"
            found = s.scalar(
                select(OutboxLegRow.state).where(
                    OutboxLegRow.package_id == package_id, OutboxLegRow.department == department.value
                )
            )
        return "unknown" if found is None else "already"

    def oldest_undelivered(self) -> tuple[datetime | None, int]:
        """When the oldest leg not yet delivered was submitted, and how many such legs there are."""
        with self._read() as s:
            oldest, count = s.execute(
                select(func.min(OutboxLegRow.created_at), func.count()).where(
                    OutboxLegRow.state.in_([st.value for st in UNDELIVERED_STATES])
                )
            ).one()
        return oldest, int(count)

    def pending_case_versions(self, *, limit: int = 200) -> list[tuple[uuid.UUID, int]]:
        """(case id, case version) of submissions with legs not yet delivered, oldest first."""
        with self._read() as s:
            rows = s.execute(
                select(OutboxLegRow.case_id, OutboxLegRow.case_version, func.min(OutboxLegRow.created_at))
                .where(OutboxLegRow.state.in_([st.value for st in UNDELIVERED_STATES]))
                .group_by(OutboxLegRow.case_id, OutboxLegRow.case_version)
                .order_by(func.min(OutboxLegRow.created_at))
                .limit(limit)
            ).all()
        return [(cid, int(v)) for cid, v, _ in rows]

    # ------------------------------------------------------------------------------ queries
    def counts(self) -> dict[LegState, int]:
        """How many legs are in each state."""
        with self._read() as s:
            rows = s.execute(select(OutboxLegRow.state, func.count()).group_by(OutboxLegRow.state)).all()
        found = {LegState(state): int(n) for state, n in rows}
        return {state: found.get(state, 0) for state in LegState}

    def legs(
        self,
        *,
        case_id: uuid.UUID | None = None,
        states: Collection[LegState] | None = None,
        created_before: datetime | None = None,
        limit: int = 1000,
    ) -> list[LegView]:
        """Legs with their decrypted answers and errors, newest first."""
        stmt = (
            select(OutboxLegRow, CaseRow.case_number)
            .join(CaseRow, CaseRow.id == OutboxLegRow.case_id)
            .order_by(OutboxLegRow.created_at.desc(), OutboxLegRow.department)
            .limit(limit)
        )
        if case_id is not None:
            stmt = stmt.where(OutboxLegRow.case_id == case_id)
        if states is not None:
            stmt = stmt.where(OutboxLegRow.state.in_([s.value for s in states]))
        if created_before is not None:
            stmt = stmt.where(OutboxLegRow.created_at < created_before)
        with self._read() as s:
            rows = s.execute(stmt).all()
        return [self._view(row, number) for row, number in rows]

    def _view(self, row: OutboxLegRow, case_number: str) -> LegView:
        answer = None
        if row.answer is not None:
            answer = Answer.from_json(
                self._cipher.decrypt_json(
                    row.answer, table="outbox_legs", column="answer", row=str(row.package_id)
                )
            )
        error = None
        if row.last_error is not None:
            error = self._dec(row.last_error, "last_error", row.package_id).decode("utf-8")
        return LegView(
            package_id=row.package_id,
            case_id=row.case_id,
            case_number=case_number,
            department=Department(row.department),
            state=LegState(row.state),
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_error=error,
            receipt_no=row.receipt_no,
            answer=answer,
            created_at=row.created_at,
            delivered_at=row.delivered_at,
        )

    def retry_failed(self, *, now: datetime, case_id: uuid.UUID | None = None) -> int:
        """Put ``failed`` legs back to ``queued`` after a person fixed the cause (re-enrolled, CA…).

        Superseded legs stay failed. Returns how many were requeued.
        """
        stmt = (
            update(OutboxLegRow)
            .where(
                OutboxLegRow.state == LegState.FAILED.value,
                (OutboxLegRow.last_error_kind != "Superseded") | OutboxLegRow.last_error_kind.is_(None),
            )
            .values(state=LegState.QUEUED.value, attempts=0, next_attempt_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if case_id is not None:
            stmt = stmt.where(OutboxLegRow.case_id == case_id)
        with self._write() as s:
            return int(s.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------- values
DEPARTMENT_KEY_ENTRY = "department-key"
"""Keyring entry prefix (``department-key:<department>``) of a department's public keys."""


@dataclass(frozen=True)
class StatusCheck:
    """A re-check of the property's status before a case's packages go out.

    Attributes:
        case_id: the case.
        case_version: the submitted version checked.
        changes: what changed since the clerk's look-up, in Chinese (empty: nothing).
        seen: what the clerk saw (``None``: never looked up, e.g. taken in offline).
        current: what 登记 says now (``None``: 登记 has no such unit).
        at: when.
    """

    case_id: uuid.UUID
    case_version: int
    changes: tuple[str, ...]
    seen: PropertyStatus | None
    current: PropertyStatus | None
    at: datetime


@dataclass
class AuditHeadReport:
    """What :meth:`SyncService.check_audit_heads` found.

    Attributes:
        departments: the departments asked.
        heads: heads they hold from this window.
        mismatches: held heads the local chain no longer agrees with (oldest first).
        problems: departments that could not be asked, each a Chinese sentence.
    """

    departments: list[Department] = dataclasses.field(default_factory=list)
    heads: int = 0
    mismatches: list[HeadMismatch] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)


@dataclass
class UsbReport:
    """What a USB step did.

    Attributes:
        done: packages written (export), delivered (import) or marked delivered (acks).
        duplicates: already held by the department (import) or already marked (acks).
        problems: files skipped, each a Chinese sentence saying what to do.
    """

    done: int = 0
    duplicates: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)


# ----------------------------------------------------------------------------------- service
class ScanMissing(SyncError):
    """A material of the case lists a scan that is not stored on this window."""

    def __init__(self, material: str) -> None:
        super().__init__(
            f"材料“{material}”的扫描件已不在本机，无法随案件发送给登记部门：请在材料页重新扫描后再提交。"
        )


def case_scans(store: SqlStore, case: Case) -> list[OutgoingAttachment]:
    """The scans attached to the case's materials, in checklist order, named after their material.

    Raises:
        ScanMissing: a material lists a scan the store no longer holds.
    """
    stored = {a.id: a for a in store.attachments(case.id)}
    scans: list[OutgoingAttachment] = []
    for material in case.materials:
        for n, attachment_id in enumerate(material.attachment_ids, 1):
            held = stored.get(attachment_id)
            if held is None:
                raise ScanMissing(material.name)
            try:
                data = store.attachment_data(attachment_id)
            except StorageError as exc:
                raise ScanMissing(material.name) from exc
            suffix = f"-{n}" if len(material.attachment_ids) > 1 else ""
            scans.append(OutgoingAttachment(data, f"{material.name}{suffix}.pdf", held.media_type))
    return scans


class SyncService:
    """Submit cases into the outbox, enrol the window, run the worker, read the departments' answers.

    Args:
        store: the open store.
        settings: the effective settings (department URLs, TLS, proxy, pace).
        catalog: the business-type catalog (loaded from the settings when not given).
        vault: the keyring vault (the OS keyring when not given; only needed to enrol and deliver).
        clock: the time source.
    """

    def __init__(
        self,
        store: SqlStore,
        settings: Settings,
        *,
        catalog: Catalog | None = None,
        vault: CredentialVault | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._store = store
        self._settings = settings
        self._catalog = catalog
        self._vault = vault
        self._clock = clock
        self.outbox = SqlOutbox(store)

    @property
    def store(self) -> SqlStore:
        """The case store."""
        return self._store

    @property
    def settings(self) -> Settings:
        """The effective settings."""
        return self._settings

    @property
    def catalog(self) -> Catalog:
        """The business-type catalog."""
        if self._catalog is None:
            file = self._settings.catalog_file
            self._catalog = load_catalog(Path(file) if file else None)
        return self._catalog

    @property
    def vault(self) -> CredentialVault:
        """The OS keyring vault."""
        if self._vault is None:
            self._vault = CredentialVault()
        return self._vault

    # ------------------------------------------------------------------------------ submit
    def _tax_estimate(self, case: Case) -> dict[str, Any] | None:
        from forms.tax.estimator import estimate
        from forms.tax.settings import TaxSettings, load_tax_settings

        file = self._settings.tax_settings_file
        try:
            tax_settings = load_tax_settings(Path(file)) if file else TaxSettings()
            return estimate(case, tax_settings, catalog_fee=self.catalog.fee_for(case)).to_dict()
        except FormsError as exc:
            # The bureau assesses anyway; the estimate only prepares the parties.
            log.warning(
                "case %s goes to the tax bureau without an estimate (%s)", case.id, type(exc).__name__
            )
            return None

    def submit_case(
        self,
        case_id: uuid.UUID,
        *,
        user: User,
        attachments: Sequence[OutgoingAttachment] | None = None,
        tax_estimate: Mapping[str, Any] | None = None,
    ) -> Submission:
        """Move a ``ready`` case to ``submitted`` and queue its legs, in one transaction.

        Args:
            case_id: the case.
            user: the clerk submitting.
            attachments: scans to send (to 登记); by default the scans attached to the case's
                materials (:func:`case_scans`).
            tax_estimate: the window's estimate as JSON (computed from the case when not given).

        Raises:
            CaseNotFound: no such case.
            forms.errors.TransitionNotAllowed: the case is not ``ready``.
            CatalogError: the business type is unknown to the catalog.
            ScanMissing: a material lists a scan this window no longer holds.
        """
        if attachments is None:
            current, _state = self._store.load_case(case_id)
            attachments = case_scans(self._store, current)
        now = self._clock()
        with self._store.transaction() as s:
            row = self._store.case_row(s, case_id, lock=True)
            target = check_transition(row.state, CaseState.SUBMITTED)
            case = Case.model_validate_json(
                self._store.cipher.decrypt(row.data, table="cases", column="data", row=str(case_id))
            )
            departments = departments_of(self.catalog.get(case.business_type).departments)
            if tax_estimate is None and Department.TAX in departments:
                tax_estimate = self._tax_estimate(case)
            n = int(
                s.scalar(
                    select(func.coalesce(func.max(CaseVersionRow.n), 0)).where(
                        CaseVersionRow.case_id == case_id
                    )
                )
                or 0
            )
            n += 1
            self._store.add_version(s, case, n=n, reason="submit", user_id=user.id, at=now)
            legs = self.outbox.add_legs(
                s,
                case,
                departments=departments,
                case_version=n,
                now=now,
                attachments=attachments,
                tax_estimate=tax_estimate,
                office_code=self._settings.office_code,
                window_id=self._settings.window_id,
            )
            names = "、".join(d.label for d in departments)
            self._store.add_event(
                s,
                case_id,
                row.state,
                target.value,
                at=now,
                user_id=user.id,
                reason=f"提交，发送至{names}",
                details={"packages": {d.value: str(p) for d, p in legs.items()}, "version": n},
            )
            row.state = target.value
            row.updated_at = now
        return Submission(case_id=case_id, case_version=n, legs=legs)

    # ------------------------------------------------------------------------------- enrol
    def base_urls(self) -> dict[Department, str]:
        """The configured departments' base URLs (empty settings are left out)."""
        urls = {
            Department.TRANSACTION: self._settings.sync_transaction_url,
            Department.TAX: self._settings.sync_tax_url,
            Department.REGISTRATION: self._settings.sync_registration_url,
        }
        return {d: url.strip() for d, url in urls.items() if url.strip()}

    def transport_settings(self) -> TransportSettings:
        """TLS and proxy from the settings."""
        return TransportSettings(
            ca_bundle=self._settings.sync_ca_bundle, proxy=self._settings.sync_proxy or None
        )

    def enrol(
        self, token: str, *, departments: Collection[Department] | None = None
    ) -> dict[Department, Credential]:
        """Register this window's Ed25519 key with every configured department (or only ``departments``).

        The key is created in the OS keyring on first use; each credential is stored there.

        Raises:
            TransportError: no department address is configured.
            AuthFailed: a department refused the token.
            ServerUnavailable: a department cannot be reached (those enrolled before it stay enrolled).
        """
        urls = self.base_urls()
        if not urls:
            raise TransportError(
                "尚未设置任何部门地址（sync_transaction_url、sync_tax_url、sync_registration_url），请先设置"
            )
        key = self.vault.ensure_signing_key()
        enrolled: dict[Department, Credential] = {}
        for department, url in urls.items():
            if departments is not None and department not in departments:
                continue
            credential = enrol(url, token, key.public_key(), settings=self.transport_settings())
            self.vault.store_credential(department, credential)
            enrolled[department] = credential
            try:  # the department's keys for USB transfer (``GET /v1/key``)
                published = fetch_department_keys(url, credential, settings=self.transport_settings())
                self._store_department_keys(DepartmentKeys.from_json(published))
            except (ServerRejected, ValueError) as exc:  # an adapter without USB support
                log.warning("%s publishes no USB keys (%s)", department.value, type(exc).__name__)
        return enrolled

    def endpoints(self) -> dict[Department, Endpoint]:
        """The departments this window can deliver to (configured and enrolled)."""
        found = {}
        for department, url in self.base_urls().items():
            credential = self.vault.credential(department)
            if credential is not None:
                found[department] = Endpoint(url, credential)
        return found

    def not_enrolled(self) -> list[NotEnrolled]:
        """A problem for each configured department without a credential."""
        return [NotEnrolled(d) for d in self.base_urls() if self.vault.credential(d) is None]

    # ---------------------------------------------------------------------- audit chain heads
    def check_audit_heads(self, *, client: httpx.Client | None = None) -> AuditHeadReport:
        """Compare the audit-chain heads the departments hold with the local chain (issue 8).

        Every package carried the chain's head when it was submitted; a department keeps the heads
        it received. An entry rewritten afterwards — even with the chain key, every MAC recomputed,
        so that ``audit verify`` passes — no longer has the MAC a department holds.

        Args:
            client: an HTTP client to reuse (one is made for the call otherwise).

        Returns:
            The heads checked, the mismatches and the departments that could not be asked.
        """
        endpoints = self.endpoints()
        report = AuditHeadReport()
        window = writer_id(self._settings.office_code, self._settings.window_id)
        held: list[HeldHead] = []
        with contextlib.ExitStack() as stack:
            http = client or stack.enter_context(make_client(self.transport_settings()))
            for department in Department:
                endpoint = endpoints.get(department)
                if endpoint is None:
                    if department in self.base_urls():
                        report.problems.append(f"{department.label}：{NotEnrolled(department)}")
                    continue
                try:
                    heads = fetch_audit_heads(
                        endpoint.base_url,
                        endpoint.credential,
                        office_code=self._settings.office_code,
                        window=window,
                        client=http,
                    )
                except SyncError as exc:
                    report.problems.append(f"{department.label}：{exc}")
                    continue
                report.departments.append(department)
                held += [HeldHead(department.label, seq, mac) for seq, mac in heads]
        report.heads = len(held)
        wanted = {h.seq for h in held}
        local: dict[int, bytes] = {}
        after = min(wanted, default=1) - 1
        while wanted and after < max(wanted):
            page = self._store.audit_entries(after=after, limit=5000)
            if not page:
                break
            local.update((e.seq, e.mac) for e in page if e.seq in wanted)
            after = page[-1].seq
        report.mismatches = compare_heads(local, held)
        return report

    # ------------------------------------------------------------------------------ worker
    def worker(self, *, owner: str | None = None, rng: random.Random | None = None, **pace: Any) -> Worker:
        """A worker over this outbox with the settings' pace.

        ``pace`` overrides fields of :class:`~sync.worker.WorkerSettings` (tests shorten the lease or
        the chunk size).

        Raises:
            NotEnrolled: the window has no signing key yet.
        """
        key = self.vault.signing_key()
        if key is None:
            raise NotEnrolled(next(iter(self.base_urls()), Department.REGISTRATION))
        settings = WorkerSettings(
            interval=self._settings.sync_interval_seconds,
            lease=self._settings.sync_lease_seconds,
            retry_base=self._settings.sync_retry_base_seconds,
            retry_cap=self._settings.sync_retry_max_seconds,
            concurrency=self._settings.sync_concurrency,
        )
        return Worker(
            self.outbox,
            self.endpoints(),
            key,
            settings=dataclasses.replace(settings, **pace),
            transport=self.transport_settings(),
            clock=self._clock,
            rng=rng,
            owner=owner,
            prepare=self.recheck_claimed,
        )

    def start_background(self, stop: threading.Event) -> threading.Thread:
        """Run the worker in a daemon thread until ``stop`` is set (the application calls this)."""
        worker = self.worker()
        thread = threading.Thread(target=worker.run_forever, args=(stop,), name="sync-worker", daemon=True)
        thread.start()
        return thread

    # ------------------------------------------------------------------------------ status
    def legs(self, case_id: uuid.UUID) -> list[LegView]:
        """Every leg of a case, newest first, answers decrypted."""
        return self.outbox.legs(case_id=case_id)

    def overdue(self) -> list[LegView]:
        """Legs not delivered within the office's limit (``sync_overdue_days``; none when 0)."""
        days = self._settings.sync_overdue_days
        if days <= 0:
            return []
        cutoff = self._clock() - timedelta(days=days)
        return self.outbox.legs(states=UNDELIVERED_STATES, created_before=cutoff)

    def retry_failed(self, case_id: uuid.UUID | None = None) -> int:
        """Queue ``failed`` legs again (after a person fixed the cause)."""
        return self.outbox.retry_failed(now=self._clock(), case_id=case_id)

    # ------------------------------------------------------------------------ overdue limit
    def intake_allowed(
        self, now: datetime | None = None, *, warn_days_before: float = 1.0
    ) -> tuple[bool, str, bool]:
        """Whether a new case may be taken in, given the office's overdue limit (``sync_overdue_days``).

        * no limit (0), or nothing undelivered: ``(True, "", False)``;
        * the oldest undelivered package is within ``warn_days_before`` days of the limit: intake goes
          on with a warning, ``(True, warning, False)``;
        * past the limit: the clerk sees the warning and a supervisor must confirm before intake
          continues, ``(False, warning, True)``.

        Args:
            now: the moment to judge (the service's clock when not given).
            warn_days_before: how long before the limit the warning starts.

        Returns:
            ``(allowed, warning, needs_supervisor)``; the warning is Chinese and says what to do.
        """
        days = self._settings.sync_overdue_days
        if days <= 0:
            return True, "", False
        now = now or self._clock()
        oldest, count = self.outbox.oldest_undelivered()
        if oldest is None:
            return True, "", False
        if oldest.tzinfo is None and now.tzinfo is not None:
            oldest = oldest.replace(tzinfo=now.tzinfo)  # SQLite returns naive UTC
        limit = timedelta(days=days)
        age = now - oldest
        if age > limit:
            return (
                False,
                f"有 {count} 个数据包未送达，最早的于 {oldest:%Y-%m-%d} 提交，已超过本单位规定的 {days} 天。"
                "请尽快恢复网络连接，或用 U 盘导出发送（yichuang sync export）；"
                "继续受理新案件须由科长确认。",
                True,
            )
        if age > limit - timedelta(days=warn_days_before):
            left = limit - age
            hours = max(1, int(left.total_seconds() // 3600))
            return (
                True,
                f"有 {count} 个数据包未送达，最早的于 {oldest:%Y-%m-%d} 提交，"
                f"约 {hours} 小时后超过本单位规定的 {days} 天。"
                "请尽快恢复网络连接，或用 U 盘导出发送（yichuang sync export）。",
                False,
            )
        return True, "", False

    # --------------------------------------------------------------------------- look-ups
    def _endpoint(self, department: Department) -> Endpoint:
        endpoint = self.endpoints().get(department)
        if endpoint is None:
            raise NotEnrolled(department)
        return endpoint

    def lookup_contract(self, filing_no: str) -> ContractRecord:
        """The contract 交易 holds under a filing number (to pre-fill the case; ``as_of`` is its age).

        Raises:
            NotEnrolled: 交易 is not configured or enrolled.
            LookupNotFound: no such contract.
            ServerUnavailable: 交易 cannot be reached (intake goes on without it).
        """
        endpoint = self._endpoint(Department.TRANSACTION)
        return fetch_contract(
            filing_no, endpoint.base_url, endpoint.credential, settings=self.transport_settings()
        )

    def property_status(self, unit_no: str) -> PropertyStatus:
        """What 登记 says about a unit now (seizure, objection, mortgage; ``as_of`` is its age).

        Raises:
            NotEnrolled: 登记 is not configured or enrolled.
            LookupNotFound: no such unit.
            ServerUnavailable: 登记 cannot be reached (intake goes on; the case is re-checked before sending).
        """
        endpoint = self._endpoint(Department.REGISTRATION)
        return fetch_property_status(
            unit_no, endpoint.base_url, endpoint.credential, settings=self.transport_settings()
        )

    def note_property_status(self, case_id: uuid.UUID, status: PropertyStatus, *, user: User) -> None:
        """Record in the case's history the property status the clerk saw at intake.

        The re-check before sending compares with the latest one recorded.
        """
        flags = "，".join(
            f"{label}{'有' if getattr(status, n) else '无'}" for n, label in STATUS_FLAGS.items()
        )
        with self._store.transaction() as s:
            row = self._store.case_row(s, case_id, lock=True)
            self._store.add_event(
                s,
                case_id,
                row.state,
                row.state,
                at=self._clock(),
                user_id=user.id,
                reason=f"查询房屋状态：{flags}",
                details={"property_status": status.model_dump(mode="json")},
            )

    def recheck_pending(self, *, client: httpx.Client | None = None) -> list[StatusCheck]:
        """Re-check the property status of submissions not yet delivered, once per submitted version.

        The worker re-checks each claimed batch before sending it (:meth:`recheck_claimed`); this
        does the same for the oldest pending submissions (up to 200) without sending anything.

        Args:
            client: an HTTP client to reuse (one is made for the call otherwise).

        Returns:
            The checks recorded in this call.
        """
        pending = self.outbox.pending_case_versions()
        return self._recheck_versions(dict.fromkeys(pending, ""), client, postpone=True)

    def recheck_claimed(
        self, legs: Sequence[ClaimedLeg], client: httpx.Client | None = None
    ) -> list[StatusCheck]:
        """Re-check, before they go out, the cases of legs a worker has just claimed.

        A case taken in offline was never looked up, or was looked up long ago: before its packages go
        out, 登记 is asked again (one request for the whole batch) and what changed since the clerk's
        look-up is recorded in the case's history (reason ``发送前复核房屋状态…``, details
        ``recheck_version``, ``changes``), where the clerk and the supervisor see it
        (:meth:`status_checks`). Each submitted version is checked once.

        Returns:
            The checks recorded in this call.

        Raises:
            SyncError: 登记 cannot be asked now. Nothing is recorded: the check is made when a leg of
                the case is next claimed. The worker sends the batch anyway (intake and sending never
                wait for a look-up) and skips the look-up for the rest of its round.
        """
        wanted: dict[tuple[uuid.UUID, int], str] = {}
        for leg in legs:
            if wanted.get((leg.case_id, leg.case_version)):  # the case's other legs name the same unit
                continue
            try:  # the unit number as sent: every department's payload names the property
                data = json.loads(leg.manifest)
                payload = data["payload"]
                prop = payload.get("property") or payload["case"]["property"]
                key = (leg.case_id, int(data["case_version"]))
                unit = str(prop.get("unit_number") or "")
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
            if key not in wanted or not wanted[key]:
                wanted[key] = unit.strip()
        return self._recheck_versions(wanted, client, postpone=False)

    def _recheck_versions(
        self, wanted: Mapping[tuple[uuid.UUID, int], str], client: httpx.Client | None, *, postpone: bool
    ) -> list[StatusCheck]:
        """Re-check (case id, version) pairs not checked yet; a blank unit number is read from the case.

        When 登记 cannot be asked, nothing is recorded and (``postpone``) an empty list is returned, or
        the error is raised.
        """
        if not wanted:
            return []
        try:
            endpoint = self._endpoint(Department.REGISTRATION)
        except NotEnrolled:
            return []
        # Look-ups and re-checks are notes (the state stays as it was): only those are read.
        histories = self._store.histories({case_id for case_id, _ in wanted}, notes_only=True)
        todo: dict[tuple[uuid.UUID, int], tuple[str, PropertyStatus | None]] = {}
        for (case_id, version), known_unit in wanted.items():
            history = histories.get(case_id, [])
            if any(c.details.get("recheck_version") == version for c in history):
                continue
            unit = known_unit or self._store.load_case(case_id)[0].property.unit_number.strip()
            if not unit:
                continue
            seen_data = next(
                (c.details["property_status"] for c in reversed(history) if "property_status" in c.details),
                None,
            )
            seen = PropertyStatus.model_validate(seen_data) if seen_data is not None else None
            todo[(case_id, version)] = (unit, seen)
        if not todo:
            return []
        try:
            if client is None:
                with make_client(self.transport_settings()) as own:
                    statuses = fetch_property_statuses(
                        [u for u, _ in todo.values()], endpoint.base_url, endpoint.credential, client=own
                    )
            else:
                statuses = fetch_property_statuses(
                    [u for u, _ in todo.values()], endpoint.base_url, endpoint.credential, client=client
                )
        except SyncError as exc:
            log.info("re-check of %d cases postponed: %s", len(todo), type(exc).__name__)
            if postpone:
                return []
            raise
        done: list[StatusCheck] = []
        now = self._clock()
        for (case_id, version), (unit, seen) in todo.items():
            now_status = statuses.get(unit)
            if now_status is None:
                changes = ["登记系统中查无该不动产单元，请核对不动产单元号"]
            else:
                changes = now_status.differences(seen)
            done.append(
                StatusCheck(
                    case_id=case_id,
                    case_version=version,
                    changes=tuple(changes),
                    seen=seen,
                    current=now_status,
                    at=now,
                )
            )
        return self._record_checks(done)

    def _record_checks(self, checks: Sequence[StatusCheck]) -> list[StatusCheck]:
        """Record the re-checks in the cases' histories, in one transaction; returns those recorded.

        The cases are locked first and a version already re-checked is skipped: on PostgreSQL two
        windows' workers may claim legs of the same case at the same moment and both ask 登记, but only
        the first records the check.
        """
        if not checks:
            return []
        recorded: list[StatusCheck] = []
        with self._store.transaction() as s:
            case_ids = sorted({c.case_id for c in checks})
            states = {
                cid: state
                for cid, state in s.execute(
                    select(CaseRow.id, CaseRow.state)
                    .where(CaseRow.id.in_(case_ids))
                    .order_by(CaseRow.id)
                    .with_for_update()
                )
            }
            done = {
                (cid, note.details["recheck_version"])
                for cid, notes in self._store.histories_in(s, case_ids, notes_only=True).items()
                for note in notes
                if "recheck_version" in note.details
            }
            events = []
            for check in checks:
                state = states.get(check.case_id)
                key = (check.case_id, check.case_version)
                if state is None or key in done:  # deleted since it was claimed, or checked already
                    continue
                done.add(key)
                reason = "发送前复核房屋状态：" + (
                    "；".join(check.changes) if check.changes else "与受理时一致"
                )
                details = {
                    "recheck_version": check.case_version,
                    "changes": list(check.changes),
                    "rechecked_status": check.current.model_dump(mode="json") if check.current else None,
                }
                events.append(NewEvent(check.case_id, state, state, check.at, None, reason, details))
                recorded.append(check)
            self._store.add_events(s, events)
        return recorded

    def status_checks(self, case_id: uuid.UUID) -> list[tuple[datetime, tuple[str, ...]]]:
        """The re-checks recorded for a case, oldest first: (when, what changed)."""
        return [
            (c.at, tuple(str(x) for x in c.details.get("changes", [])))
            for c in self._store.history(case_id)
            if "recheck_version" in c.details
        ]

    # ----------------------------------------------------------------------------------- USB
    def department_keys(self, department: Department) -> DepartmentKeys | None:
        """A department's public keys fetched at enrolment (kept in the OS keyring with the credentials)."""
        stored = self.vault.department_entry(DEPARTMENT_KEY_ENTRY, department)
        if stored is None:
            return None
        try:
            return DepartmentKeys.from_json(stored)
        except (ValueError, KeyError, TypeError):
            return None

    def _store_department_keys(self, keys: DepartmentKeys) -> None:
        self.vault.store_department_entry(DEPARTMENT_KEY_ENTRY, keys.department, keys.to_json())

    def export_to_stick(self, stick: Path) -> UsbReport:
        """Write every undelivered leg to a stick, sealed to its department's key.

        Raises:
            NotEnrolled: the window has no signing key yet.
            OSError: the stick cannot be written (full, removed, read-only).
        """
        key = self.vault.signing_key()
        if key is None:
            raise NotEnrolled(next(iter(self.base_urls()), Department.REGISTRATION))
        report = UsbReport()
        keys: dict[Department, DepartmentKeys | None] = {}
        for leg in self.outbox.undelivered():
            if leg.department not in keys:
                keys[leg.department] = self.department_keys(leg.department)
            dept_keys = keys[leg.department]
            if dept_keys is None:
                report.problems.append(
                    f"{leg.department.label}：尚未取得部门公钥，数据包 {leg.package_id} 未导出。"
                    "请联网后由管理员重新执行 yichuang enrol。"
                )
                continue
            manifest = Manifest.model_validate_json(leg.manifest)
            blobs = {}
            for ref in manifest.attachments:
                with self.outbox.open_attachment(ref.sha256) as stream:
                    blobs[ref.sha256] = stream.read()
            sealed = usb.seal(
                usb.pack(leg.manifest, signature_header(leg.manifest, key), blobs),
                dept_keys.encryption,
                usb.associated_data(leg.department, leg.package_id),
            )
            usb.write_atomically(usb.sealed_path(stick, leg.department, leg.package_id), sealed)
            report.done += 1
        return report

    def import_from_stick(self, stick: Path) -> UsbReport:
        """On a connected machine: deliver a stick's sealed files and write the acknowledgements back.

        Uses this machine's own enrolment; it cannot open the files and needs nothing from the offline
        window's database. Safe to run twice: the departments deliver by package id (``duplicates``).
        """
        endpoints = self.endpoints()
        report = UsbReport()
        with make_client(self.transport_settings()) as client:
            for department, package_id, path in usb.sealed_files(stick):
                endpoint = endpoints.get(department)
                if endpoint is None:
                    report.problems.append(str(NotEnrolled(department)))
                    continue
                try:
                    document = deliver_sealed(
                        package_id, path.read_bytes(), endpoint.base_url, endpoint.credential, client=client
                    )
                except SyncError as exc:
                    report.problems.append(f"{path.name}：{exc}")
                    continue
                usb.write_atomically(
                    usb.ack_path(stick, department, package_id),
                    json.dumps(document, ensure_ascii=False).encode("utf-8"),
                )
                if document.get("ack", {}).get("duplicate"):
                    report.duplicates += 1
                else:
                    report.done += 1
        return report

    def import_acks(self, stick: Path) -> UsbReport:
        """On the offline window: verify the departments' acknowledgements and mark legs ``delivered``.

        Reading the same acknowledgements twice changes nothing the second time (``duplicates``).
        """
        report = UsbReport()
        now = self._clock()
        for department, package_id, path in usb.ack_files(stick):
            keys = self.department_keys(department)
            if keys is None:
                report.problems.append(f"{department.label}：尚未取得部门公钥，无法核验回执 {path.name}")
                continue
            try:
                ack = usb.read_ack(path, department, package_id, keys)
            except usb.StickFileInvalid as exc:
                report.problems.append(str(exc))
                continue
            outcome = self.outbox.mark_acknowledged(
                ack.package_id, department, receipt_no=ack.receipt_no, now=now
            )
            if outcome == "marked":
                report.done += 1
            elif outcome == "already":
                report.duplicates += 1
            else:
                report.problems.append(f"{path.name}：本窗口没有该数据包（回执来自其他窗口的 U 盘？）")
        return report


__all__ = [
    "ATTACHMENT_DEPARTMENTS",
    "AuditHeadReport",
    "LegView",
    "OutgoingAttachment",
    "SqlOutbox",
    "StatusCheck",
    "Submission",
    "SyncService",
    "UsbReport",
]
