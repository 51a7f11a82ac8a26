"""The local store over SQLAlchemy: :class:`SqlStore` implements :class:`workstation.storage.api.Store`.

Start-up (:func:`open_store`):

* SQLite (one window): if the schema is behind, the database file is first copied with SQLite's
  backup API to ``backups/`` in the data folder, then the migrations run;
* PostgreSQL (an office's shared database): migrations run only through ``yichuang db upgrade``
  (:func:`upgrade_database`); a window whose code expects another schema version refuses to start
  (:class:`~workstation.storage.errors.SchemaMismatch`);
* then the data key is unwrapped with this machine's key (:mod:`workstation.storage.crypto`), or
  created on a new database.

Personal data is encrypted field by field (see :mod:`workstation.storage.models`). The draft journal
is one UPSERT of one encrypted blob per save. Search uses the clear, indexed case and unit numbers
(prefix ranges, so the plain B-tree index serves them on both databases) and keyed digests of names,
ID numbers and phones (exact match).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
import threading
import unicodedata
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, and_, bindparam, delete, func, insert, or_, select, text, union, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, defer

from forms.case import Case, PartyRole
from forms.errors import TransitionNotAllowed
from forms.states import CaseState, check_transition, held_from_state
from sync.outbox import Answer, LegState
from workstation import paths
from workstation.audit import (
    AUDIT_SECRET_NAME,
    GENESIS_MAC,
    AuditEntry,
    AuditKind,
    Verification,
    chain_mac,
    derive_key,
    verify_chain,
)
from workstation.audit import canonical as audit_canonical
from workstation.case_history import DeliveryLeg, VersionInfo
from workstation.config import Settings
from workstation.permissions import Action, require
from workstation.queues import SUPERSEDED, ExceptionKind, QueueFilter, QueueItem, all_queues, parse_queue
from workstation.retention import PURGED_MESSAGE, RetentionOutcome
from workstation.storage import migrate
from workstation.storage.api import (
    Attachment,
    CaseSummary,
    Draft,
    IdentityCheck,
    PrintJob,
    Role,
    StateChange,
    User,
)
from workstation.storage.crypto import (
    FieldCipher,
    KeyProtector,
    SearchKind,
    choose_protector,
    generate_data_key,
)
from workstation.storage.db import is_sqlite, make_engine, translated_errors
from workstation.storage.errors import (
    AccountLocked,
    AttachmentNotFound,
    AttachmentPurged,
    CaseConflict,
    CaseExists,
    CaseNotFound,
    InvalidUserData,
    KeyUnavailable,
    LoginFailed,
    OverrideRefused,
    PrintJobNotFound,
    SecretMissing,
    StorageError,
    UserExists,
    UserNotFound,
)
from workstation.storage.models import (
    AttachmentRow,
    AuditEntryRow,
    AuditHeadRow,
    CaseEventRow,
    CaseNumberSequenceRow,
    CaseRow,
    CaseSearchKeyRow,
    CaseVersionRow,
    DataKeyRow,
    DayClosingRow,
    DraftRow,
    FeePaymentRow,
    IdentityCheckRow,
    OfficeSecretRow,
    OfficeSettingRow,
    OutboxLegRow,
    PrintJobRow,
    UserPrefRow,
    UserRow,
    UtcDateTime,
)

if TYPE_CHECKING:  # fees, end of day, statistics (#8): their modules load when first used
    from datetime import date as date_type

    from printing.day_report import DayReport
    from workstation.day_report import DayClosing
    from workstation.fees import FeeEntry, FeePayment
    from workstation.statistics import DayRange, Statistics

OPEN_DRAFT_STATES: Final = (CaseState.DRAFT.value, CaseState.READY.value, CaseState.RETURNED.value)
"""States whose draft is still being edited (returned cases are corrected and submitted again)."""

MIN_PASSWORD_LENGTH: Final = 8
DENSE_PREFIX_MATCHES: Final = 5000
"""A prefix matching at least this many cases is searched through the ``updated_at`` index (SQLite)."""
_PREFIX_END: Final = "\U0010ffff"
_USERNAME_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
_IN_CHUNK: Final = 500
"""Ids bound in one ``IN (…)`` (well under SQLite's and PostgreSQL's parameter limits)."""

Clock = Callable[[], datetime]


@dataclasses.dataclass(frozen=True)
class NewEvent:
    """A case-history entry to record: a state change (or ``from_state == to_state``, a note)."""

    case_id: uuid.UUID
    from_state: str | None
    to_state: str
    at: datetime
    user_id: int | None
    reason: str = ""
    details: dict[str, Any] = dataclasses.field(default_factory=dict)


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def upgrade_database(url: str) -> str:
    """Bring the database at ``url`` to this program's schema (``yichuang db upgrade``).

    Returns:
        The schema revision now in the database.
    """
    migrate.upgrade_database(url)
    return migrate.head_revision()


def format_case_number(office_code: str, window_id: str, day: datetime, seq: int) -> str:
    """``{office_code}-{window_id}-{YYYYMMDD}-{seq:04d}``: unique across windows (both codes are in it)."""
    return f"{office_code}-{window_id}-{day:%Y%m%d}-{seq:04d}"


def _prefix_range(column: Any, prefix: str) -> Any:
    """``column`` starts with ``prefix``, as a range a B-tree index serves (binary / "C" collation)."""
    return and_(column >= prefix, column < prefix + _PREFIX_END)


def _to_user(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        active=row.active,
    )


def _search_keys(case: Case, cipher: FieldCipher) -> set[tuple[str, bytes]]:
    keys: set[tuple[str, bytes]] = set()
    for party in case.parties:
        for kind, value in (
            (SearchKind.NAME, party.name),
            (SearchKind.ID_NUMBER, party.id_number),
            (SearchKind.PHONE, party.phone or ""),
        ):
            digest = cipher.digest(kind, value)
            if digest is not None:
                keys.add((kind.value, digest))
    return keys


_DUE_COUNT_SQLITE: Final = text(
    "SELECT state, count(*) FROM cases INDEXED BY ix_cases_business_type_created_at_state "
    "WHERE business_type = :bt AND created_at < :at GROUP BY state"
).bindparams(bindparam("bt"), bindparam("at", type_=UtcDateTime()))
"""Cases of one business type due by a date, per state (issue 8). SQLite's planner, with skewed
statistics, may prefer a skip-scan of ``(state, created_at)`` that reads every matching row; the
covering index counts ~750,000 matches in ~0.25 s instead of ~1 s."""


def _applicants(data: dict[str, Any]) -> str:
    roles = (PartyRole.RIGHT_HOLDER.value, PartyRole.OBLIGOR.value)
    names = [str(p.get("name") or "") for p in data.get("parties", []) if p.get("role") in roles]
    return "、".join(name for name in names if name)


class SqlStore:
    """Users, cases, drafts, versions and settings in an SQLAlchemy database, personal data encrypted.

    Args:
        engine: from :func:`workstation.storage.db.make_engine`, schema already current.
        settings: office code, window id, lockout policy.
        cipher: the unwrapped data key.
        clock: the time source (tests pass a fake one).
        hasher: the argon2id password hasher (tests pass a cheap one).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        settings: Settings,
        cipher: FieldCipher,
        clock: Clock = utc_now,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._engine = engine
        # SQLite: write transactions take the write lock at BEGIN, so two writers wait (busy
        # timeout) instead of failing on a lock upgrade.
        self._writer = engine.execution_options(sqlite_immediate=True)
        # SQLite has one writer at a time. Writers in this process (the sync worker's threads, the
        # database worker) queue here and start the moment the last one commits; SQLite's own busy
        # wait polls, sleeping up to 100 ms between tries. Other processes still meet the busy timeout.
        self._writing: contextlib.AbstractContextManager[object] = (
            threading.RLock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()
        )
        self._settings = settings
        self._cipher = cipher
        self._clock = clock
        self._hasher = hasher or PasswordHasher()
        # The unknown-user hash costs one argon2 hash (~240 ms): computed on first need or by
        # warm_up() in the background, not while the login window waits for the store.
        self._dummy_hash: str | None = None
        self._dummy_lock = threading.Lock()
        self._dialect = engine.dialect.name

    def _timing_hash(self) -> str:
        with self._dummy_lock:
            if self._dummy_hash is None:
                self._dummy_hash = self._hasher.hash("yichuang-timing-equaliser")
            return self._dummy_hash

    def warm_up(self) -> None:
        """Compute the unknown-user timing hash now rather than on the first unknown user name.

        Start-up calls this on the database worker after the login window shows, so even the first
        unknown user name takes as long to refuse as a real user's wrong password.
        """
        self._timing_hash()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for the CLI's diagnostics and tests)."""
        return self._engine

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    # --------------------------------------------------------------------- transactions
    # The sync service writes its outbox rows in the same transaction as the case change they
    # belong to: it opens that transaction here and uses the store's parts that take one (``s``):
    # ``case_row``, ``add_event(s)``, ``add_version`` and ``histories_in``.
    @property
    def cipher(self) -> FieldCipher:
        """The field cipher every encrypted column is written with."""
        return self._cipher

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read-only transaction (a consistent view of the database)."""
        with translated_errors(), Session(self._engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction; committed when the block ends, rolled back on an error."""
        with (
            self._writing,
            translated_errors(),
            Session(self._writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    # ----------------------------------------------------------------------------- users
    def user_count(self) -> int:
        """How many users exist."""
        with self.snapshot() as s:
            return int(s.scalar(select(func.count()).select_from(UserRow)) or 0)

    def _check_password(self, password: str) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidUserData(f"“密码”太短：至少 {MIN_PASSWORD_LENGTH} 位，请重新设置。")

    def add_user(self, *, username: str, display_name: str, password: str, role: Role) -> User:
        """Create a user with an argon2id password hash.

        Raises:
            InvalidUserData: bad user name, display name or password.
            UserExists: the user name is taken.
        """
        username = username.strip()
        display_name = display_name.strip()
        if not username or len(username) > 64 or not set(username) <= _USERNAME_CHARS:
            raise InvalidUserData(
                "“用户名”只能由 1–64 位英文字母、数字、点、下划线或连字符组成，请重新输入。"
            )
        if not display_name or len(display_name) > 100:
            raise InvalidUserData("“姓名”不能为空，最长 100 个字，请重新输入。")
        self._check_password(password)
        row = UserRow(
            username=username,
            display_name=display_name,
            password_hash=self._hasher.hash(password),
            role=Role(role).value,
            active=True,
            failed_attempts=0,
            created_at=self._clock(),
        )
        try:
            with self.transaction() as s:
                s.add(row)
                s.flush()
                return _to_user(row)
        except IntegrityError as exc:
            raise UserExists(f"用户名“{username}”已存在，请换一个用户名。") from exc

    def list_users(self) -> list[User]:
        """All users, active or not, by user name."""
        with self.snapshot() as s:
            return [_to_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.username))]

    def _user_row(self, s: Session, username: str) -> UserRow:
        row = s.scalars(select(UserRow).where(UserRow.username == username).with_for_update()).one_or_none()
        if row is None:
            raise UserNotFound(f"没有用户名为“{username}”的用户，请检查拼写。")
        return row

    def set_user_active(self, username: str, active: bool) -> User:
        """Disable or re-enable a user; re-enabling also clears a lockout."""
        with self.transaction() as s:
            row = self._user_row(s, username)
            row.active = active
            if active:
                row.failed_attempts = 0
                row.locked_until = None
            return _to_user(row)

    def set_password(self, username: str, password: str) -> User:
        """Set a new password (administrator reset); clears a lockout."""
        self._check_password(password)
        with self.transaction() as s:
            row = self._user_row(s, username)
            row.password_hash = self._hasher.hash(password)
            row.failed_attempts = 0
            row.locked_until = None
            return _to_user(row)

    def _authenticate(self, username: str, password: str) -> User:
        """Check a password; lock the account after ``lockout_threshold`` consecutive failures.

        Raises:
            LoginFailed: unknown user, wrong password or disabled account.
            AccountLocked: locked now (or by this attempt) until the time given.
        """
        threshold = self._settings.lockout_threshold
        minutes = self._settings.lockout_minutes
        wrong = LoginFailed(
            "用户名或密码错误，请检查后重试（注意大小写和输入法）。"
            f"连续输错 {threshold} 次，账户将被锁定 {minutes} 分钟。"
        )
        failure: StorageError | None = None
        user: User | None = None
        with self.transaction() as s:
            row = s.scalars(
                select(UserRow).where(UserRow.username == username.strip()).with_for_update()
            ).one_or_none()
            now = self._clock()
            if row is None:
                self._verify(self._timing_hash(), password)  # same time as for a real user
                raise wrong
            if row.locked_until is not None and row.locked_until > now:
                raise self._locked(row.locked_until, now)
            if not self._verify(row.password_hash, password):
                row.failed_attempts += 1
                if row.failed_attempts >= threshold:
                    row.locked_until = now + timedelta(minutes=minutes)
                    row.failed_attempts = 0
                    failure = self._locked(row.locked_until, now)
                else:
                    failure = wrong
            elif not row.active:
                failure = LoginFailed("该账户已停用，请联系系统管理员。")
            else:
                row.failed_attempts = 0
                row.locked_until = None
                row.last_login_at = now
                if self._hasher.check_needs_rehash(row.password_hash):
                    row.password_hash = self._hasher.hash(password)
                user = _to_user(row)
        if failure is not None:
            raise failure  # after the commit, so the failed attempt is counted
        assert user is not None
        return user

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @staticmethod
    def _locked(until: datetime, now: datetime) -> AccountLocked:
        left = max(1, int((until - now).total_seconds() + 59) // 60)
        local = until.astimezone().strftime("%H:%M")
        return AccountLocked(
            f"密码连续输错次数过多，账户已锁定，请 {left} 分钟后（{local} 以后）再试，或请系统管理员解锁。",
            until,
        )

    # ----------------------------------------------------------------------------- cases
    def _next_case_number(self, s: Session, now: datetime) -> str:
        office, window = self._settings.office_code, self._settings.window_id
        local = now.astimezone()
        row = CaseNumberSequenceRow
        values = {"office_code": office, "window_id": window, "day": local.date(), "next_value": 2}
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        stmt = (
            dialect_insert(row)
            .values(**values)
            .on_conflict_do_update(
                index_elements=["office_code", "window_id", "day"],
                set_={"next_value": row.next_value + 1},
            )
            .returning(row.next_value)
        )
        seq = int(s.execute(stmt).scalar_one()) - 1
        return format_case_number(office, window, local, seq)

    def _encrypt_case(self, case: Case) -> bytes:
        return self._cipher.encrypt(
            case.model_dump_json().encode(), table="cases", column="data", row=str(case.id)
        )

    def add_event(
        self,
        s: Session,
        case_id: uuid.UUID,
        from_state: str | None,
        to_state: str,
        *,
        at: datetime,
        user_id: int | None,
        reason: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        """Append one event to the case's history in ``s`` (:meth:`add_events` for one)."""
        self.add_events(s, [NewEvent(case_id, from_state, to_state, at, user_id, reason, details or {})])

    def add_events(self, s: Session, events: Sequence[NewEvent]) -> None:
        """Append events to their cases' histories, numbered on from each case's last, in ``s``.

        One query finds the cases' last numbers and one statement inserts the rows: the sync worker
        records a batch of answers or re-checks at a time.
        """
        if not events:
            return
        s.flush()  # the cases (and any events) added through the session so far come first
        case_ids = sorted({e.case_id for e in events})
        last: dict[uuid.UUID, int] = {}
        for start in range(0, len(case_ids), _IN_CHUNK):
            last.update(
                (cid, int(n))
                for cid, n in s.execute(
                    select(CaseEventRow.case_id, func.max(CaseEventRow.n))
                    .where(CaseEventRow.case_id.in_(case_ids[start : start + _IN_CHUNK]))
                    .group_by(CaseEventRow.case_id)
                )
            )
        rows: list[dict[str, Any]] = []
        for event in events:
            n = last.get(event.case_id, 0) + 1
            last[event.case_id] = n
            payload = self._cipher.encrypt_json(
                {"reason": event.reason, "details": event.details},
                table="case_events",
                column="payload",
                row=f"{event.case_id}/{n}",
            )
            rows.append(
                {
                    "case_id": event.case_id,
                    "n": n,
                    "from_state": event.from_state,
                    "to_state": event.to_state,
                    "at": event.at,
                    "user_id": event.user_id,
                    "payload": payload,
                }
            )
        s.execute(insert(CaseEventRow), rows)

    def _replace_search_keys(self, s: Session, case: Case) -> None:
        s.execute(delete(CaseSearchKeyRow).where(CaseSearchKeyRow.case_id == case.id))
        keys = _search_keys(case, self._cipher)
        if keys:
            s.execute(
                insert(CaseSearchKeyRow),
                [{"case_id": case.id, "kind": kind, "digest": digest} for kind, digest in sorted(keys)],
            )

    def create_case(self, *, business_type: str, user: User) -> Case:
        """Start a case in state ``draft`` with the next case number of this office and window."""
        now = self._clock()
        with self.transaction() as s:
            number = self._next_case_number(s, now)
            case = Case(case_number=number, business_type=business_type, created_at=now)
            s.add(
                CaseRow(
                    id=case.id,
                    case_number=number,
                    business_type=business_type,
                    state=CaseState.DRAFT.value,
                    clerk_id=user.id,
                    unit_number="",
                    created_at=now,
                    updated_at=now,
                    data=self._encrypt_case(case),
                )
            )
            s.flush()
            self.add_event(s, case.id, None, CaseState.DRAFT.value, at=now, user_id=user.id, reason="新建")
        return case

    def import_case(self, case: Case, *, user: User) -> Case:
        """Store a case read from a file as version 1 in state ``draft``.

        Raises:
            CaseExists: a case with this id or case number is already stored.
        """
        now = self._clock()
        try:
            with self.transaction() as s:
                if s.get(CaseRow, case.id) is not None:
                    raise CaseExists(f"案件 {case.id} 已在本机，无需再次导入；请在案件列表中打开它。")
                number = case.case_number or self._next_case_number(s, now)
                case = case.model_copy(update={"case_number": number, "created_at": case.created_at or now})
                s.add(
                    CaseRow(
                        id=case.id,
                        case_number=number,
                        business_type=case.business_type,
                        state=CaseState.DRAFT.value,
                        clerk_id=user.id,
                        unit_number=case.property.unit_number,
                        created_at=now,
                        updated_at=now,
                        data=self._encrypt_case(case),
                    )
                )
                s.flush()
                self.add_version(s, case, n=1, reason="import", user_id=user.id, at=now)
                self._replace_search_keys(s, case)
                self.add_event(
                    s, case.id, None, CaseState.DRAFT.value, at=now, user_id=user.id, reason="导入"
                )
        except IntegrityError as exc:
            raise CaseExists(
                f"受理编号“{case.case_number}”已被另一个案件使用；请删除文件中的受理编号后重新导入。"
            ) from exc
        return case

    def add_version(
        self, s: Session, case: Case, *, n: int, reason: str, user_id: int | None, at: datetime
    ) -> None:
        """Keep version ``n`` of ``case`` (encrypted) in ``s``."""
        data = self._cipher.encrypt(
            case.model_dump_json().encode(), table="case_versions", column="data", row=f"{case.id}/{n}"
        )
        s.add(CaseVersionRow(case_id=case.id, n=n, data=data, reason=reason[:60], user_id=user_id, at=at))

    def case_row(self, s: Session, case_id: uuid.UUID, *, lock: bool = False) -> CaseRow:
        """The case's row in ``s`` (locked for update with ``lock``).

        Raises:
            CaseNotFound: no such case.
        """
        stmt = select(CaseRow).where(CaseRow.id == case_id)
        row = s.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
        if row is None:
            raise CaseNotFound(f"找不到案件 {case_id}，它可能已被删除；请刷新案件列表。")
        return row

    def save_version(self, case: Case, *, reason: str, user: User) -> int:
        """Keep a full version; the case row, its search digests and ``updated_at`` follow it.

        Raises:
            CaseNotFound: no such case.
            StorageError: the case carries another case's number.
        """
        now = self._clock()
        with self.transaction() as s:
            row = self.case_row(s, case.id, lock=True)
            if case.case_number is None:
                case = case.model_copy(update={"case_number": row.case_number})
            elif case.case_number != row.case_number:
                raise StorageError(
                    f"案件的受理编号“{case.case_number}”与本机记录的“{row.case_number}”不一致，受理编号不能修改；"
                    "请重新打开该案件再保存。"
                )
            n = int(
                s.scalar(
                    select(func.coalesce(func.max(CaseVersionRow.n), 0)).where(
                        CaseVersionRow.case_id == case.id
                    )
                )
                or 0
            )
            n += 1
            self.add_version(s, case, n=n, reason=reason, user_id=user.id, at=now)
            row.data = self._encrypt_case(case)
            row.business_type = case.business_type
            row.unit_number = case.property.unit_number
            row.updated_at = now
            self._replace_search_keys(s, case)
        return n

    def load_case(self, case_id: uuid.UUID) -> tuple[Case, str]:
        """The latest version of a case and its state.

        Raises:
            CaseNotFound: no such case.
            DecryptionFailed: the stored data does not decrypt here.
        """
        with self.snapshot() as s:
            row = self.case_row(s, case_id)
            plain = self._cipher.decrypt(row.data, table="cases", column="data", row=str(row.id))
            return Case.model_validate_json(plain), row.state

    def versions(self, case_id: uuid.UUID) -> list[tuple[int, str, datetime, Case]]:
        """Every kept version of a case, oldest first: ``(n, reason, at, case)``."""
        with self.snapshot() as s:
            rows = s.scalars(
                select(CaseVersionRow).where(CaseVersionRow.case_id == case_id).order_by(CaseVersionRow.n)
            )
            result = []
            for r in rows:
                plain = self._cipher.decrypt(
                    r.data, table="case_versions", column="data", row=f"{case_id}/{r.n}"
                )
                result.append((r.n, r.reason, r.at, Case.model_validate_json(plain)))
            return result

    # ----------------------------------------------------------------------------- drafts
    def save_draft(self, case_id: uuid.UUID, data: dict[str, Any], *, page: str, user: User) -> None:
        """Journal the typed form state: one UPSERT of one encrypted blob (the latest draft per case).

        Raises:
            CaseNotFound: no such case.
            TypeError: ``data`` is not JSON-serialisable (a programming error).
        """
        blob = self._cipher.encrypt_json(data, table="drafts", column="data", row=str(case_id))
        values = {
            "case_id": case_id,
            "data": blob,
            "page": page[:60],
            "saved_at": self._clock(),
            "user_id": user.id,
        }
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        stmt = dialect_insert(DraftRow).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["case_id"],
            set_={k: stmt.excluded[k] for k in ("data", "page", "saved_at", "user_id")},
        )
        try:
            with self._writing, translated_errors(), self._writer.begin() as conn:
                conn.execute(stmt)
        except IntegrityError as exc:
            raise CaseNotFound(f"找不到案件 {case_id}，草稿无法保存；请重新打开该案件。") from exc

    def _draft(
        self, case_id: uuid.UUID, blob: bytes, case_number: str, page: str, at: datetime, uid: int | None
    ) -> Draft:
        data = self._cipher.decrypt_json(blob, table="drafts", column="data", row=str(case_id))
        return Draft(
            case_id=case_id, case_number=case_number, data=data, page=page, saved_at=at, user_id=uid or 0
        )

    def load_draft(self, case_id: uuid.UUID) -> Draft | None:
        """The latest journalled state of a case, or ``None``."""
        stmt = (
            select(DraftRow.data, CaseRow.case_number, DraftRow.page, DraftRow.saved_at, DraftRow.user_id)
            .join(CaseRow, CaseRow.id == DraftRow.case_id)
            .where(DraftRow.case_id == case_id)
        )
        with self.snapshot() as s:
            found = s.execute(stmt).one_or_none()
        return None if found is None else self._draft(case_id, *found)

    def open_drafts(self, user: User | None = None) -> list[Draft]:
        """Drafts of cases not yet submitted (draft, ready, returned), newest first."""
        stmt = (
            select(
                DraftRow.case_id,
                DraftRow.data,
                CaseRow.case_number,
                DraftRow.page,
                DraftRow.saved_at,
                DraftRow.user_id,
            )
            .join(CaseRow, CaseRow.id == DraftRow.case_id)
            .where(CaseRow.state.in_(OPEN_DRAFT_STATES))
            .order_by(DraftRow.saved_at.desc())
        )
        if user is not None:
            stmt = stmt.where(DraftRow.user_id == user.id)
        with self.snapshot() as s:
            rows = s.execute(stmt).all()
        return [self._draft(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    # ----------------------------------------------------------------------------- states
    def transition(self, case_id: uuid.UUID, to_state: str, *, user: User, reason: str = "") -> None:
        """Change the state after :func:`forms.states.check_transition` and record the change.

        Raises:
            CaseNotFound: no such case.
            forms.errors.TransitionNotAllowed: the state machine does not allow it.
        """
        now = self._clock()
        with self.transaction() as s:
            row = self.case_row(s, case_id, lock=True)
            held_from = None
            if row.state == CaseState.ON_HOLD.value:
                pairs = s.execute(
                    select(CaseEventRow.from_state, CaseEventRow.to_state)
                    .where(CaseEventRow.case_id == case_id)
                    .order_by(CaseEventRow.n)
                ).all()
                held_from = held_from_state((a, b) for a, b in pairs)
            target = check_transition(row.state, to_state, reason=reason, held_from=held_from)
            self.add_event(s, case_id, row.state, target.value, at=now, user_id=user.id, reason=reason)
            row.state = target.value
            row.updated_at = now

    def history(self, case_id: uuid.UUID) -> list[StateChange]:
        """Every recorded state change, oldest first."""
        return self.histories([case_id]).get(case_id, [])

    def histories(
        self, case_ids: Collection[uuid.UUID], *, notes_only: bool = False
    ) -> dict[uuid.UUID, list[StateChange]]:
        """Every recorded state change of several cases, each oldest first (read in one go).

        ``notes_only`` keeps the entries that left the state as it was (look-ups, re-checks, notes).
        Cases without events (or unknown ids) are left out.
        """
        with self.snapshot() as s:
            return self.histories_in(s, case_ids, notes_only=notes_only)

    def histories_in(
        self, s: Session, case_ids: Collection[uuid.UUID], *, notes_only: bool = False
    ) -> dict[uuid.UUID, list[StateChange]]:
        """:meth:`histories` in ``s``; ``notes_only`` keeps the entries that left the state as it was."""
        wanted = list(dict.fromkeys(case_ids))
        found: dict[uuid.UUID, list[StateChange]] = {}
        for start in range(0, len(wanted), _IN_CHUNK):
            stmt = select(CaseEventRow).where(CaseEventRow.case_id.in_(wanted[start : start + _IN_CHUNK]))
            if notes_only:
                stmt = stmt.where(CaseEventRow.from_state == CaseEventRow.to_state)
            for r in s.scalars(stmt.order_by(CaseEventRow.case_id, CaseEventRow.n)):
                payload = self._cipher.decrypt_json(
                    r.payload, table="case_events", column="payload", row=f"{r.case_id}/{r.n}"
                )
                found.setdefault(r.case_id, []).append(
                    StateChange(
                        from_state=r.from_state,
                        to_state=r.to_state,
                        at=r.at,
                        user_id=r.user_id,
                        reason=payload["reason"],
                        details=payload["details"],
                    )
                )
        return found

    # ----------------------------------------------------------------------------- search
    def search(self, text: str = "", *, limit: int = 50, offset: int = 0) -> list[CaseSummary]:
        """Cases matching ``text``, most recently updated first.

        A case matches when its case number or unit number starts with ``text`` (upper-cased), or a
        party has exactly that name, ID number or phone (compared by keyed digest). Empty text lists
        the most recently updated cases.
        """
        text = unicodedata.normalize("NFKC", text).strip()
        stmt = select(
            CaseRow.id,
            CaseRow.case_number,
            CaseRow.business_type,
            CaseRow.state,
            CaseRow.unit_number,
            CaseRow.updated_at,
            CaseRow.data,
            UserRow.display_name,
        ).outerjoin(UserRow, UserRow.id == CaseRow.clerk_id)
        with self.snapshot() as s:
            if text:
                prefix = text.upper().replace(" ", "")
                ranges = [
                    _prefix_range(CaseRow.case_number, prefix),
                    _prefix_range(CaseRow.unit_number, prefix),
                ]
                digests = [d for kind in SearchKind if (d := self._cipher.digest(kind, text)) is not None]
                by_digest = select(CaseSearchKeyRow.case_id).where(CaseSearchKeyRow.digest.in_(digests))
                if any(self._is_dense(s, r) for r in ranges):
                    # A short prefix matching much of the table: walking the updated_at index newest
                    # first and filtering finds a page at once, while sorting every match would not.
                    # ``column || ''`` keeps the planner off the prefix indexes.
                    dense = [
                        _prefix_range(CaseRow.case_number.concat(""), prefix),
                        _prefix_range(CaseRow.unit_number.concat(""), prefix),
                    ]
                    stmt = stmt.where(or_(*dense, CaseRow.id.in_(by_digest)))
                else:
                    # Few matches: collect their ids through each index, then sort only those.
                    ids = union(
                        select(CaseRow.id).where(ranges[0]), select(CaseRow.id).where(ranges[1]), by_digest
                    )
                    stmt = stmt.where(CaseRow.id.in_(select(ids.subquery().c[0])))
            stmt = stmt.order_by(CaseRow.updated_at.desc(), CaseRow.id.desc()).limit(limit).offset(offset)
            rows = s.execute(stmt).all()
        result = []
        for case_id, number, business_type, state, unit, updated_at, blob, clerk in rows:
            data = self._cipher.decrypt_json(blob, table="cases", column="data", row=str(case_id))
            result.append(
                CaseSummary(
                    id=case_id,
                    case_number=number,
                    business_type=business_type,
                    state=state,
                    applicants=_applicants(data),
                    unit_number=unit,
                    location=str((data.get("property") or {}).get("location") or ""),
                    clerk=clerk or "",
                    updated_at=updated_at,
                )
            )
        return result

    @staticmethod
    def _is_dense(s: Session, condition: Any) -> bool:
        sample = select(CaseRow.id).where(condition).limit(DENSE_PREFIX_MATCHES).subquery()
        return int(s.scalar(select(func.count()).select_from(sample)) or 0) >= DENSE_PREFIX_MATCHES

    # ----------------------------------------------------------------------------- settings
    @property
    def shares_office_settings(self) -> bool:
        """Office settings live in the database when it is a shared PostgreSQL database."""
        return self._dialect == "postgresql"

    def office_settings(self) -> dict[str, Any]:
        """All office settings stored in the database."""
        with self.snapshot() as s:
            return {r.key: json.loads(r.value) for r in s.scalars(select(OfficeSettingRow))}

    def set_office_setting(self, key: str, value: Any) -> None:
        """Store one office setting (JSON value)."""
        with self.transaction() as s:
            s.merge(
                OfficeSettingRow(
                    key=key, value=json.dumps(value, ensure_ascii=False), updated_at=self._clock()
                )
            )

    def delete_office_setting(self, key: str) -> None:
        """Remove one office setting."""
        with self.transaction() as s:
            s.execute(delete(OfficeSettingRow).where(OfficeSettingRow.key == key))

    def user_prefs(self, user_id: int) -> dict[str, Any]:
        """One user's preferences."""
        with self.snapshot() as s:
            rows = s.scalars(select(UserPrefRow).where(UserPrefRow.user_id == user_id))
            return {r.key: json.loads(r.value) for r in rows}

    def set_user_pref(self, user_id: int, key: str, value: Any) -> None:
        """Store one user preference (JSON value)."""
        with self.transaction() as s:
            s.merge(
                UserPrefRow(
                    user_id=user_id,
                    key=key,
                    value=json.dumps(value, ensure_ascii=False),
                    updated_at=self._clock(),
                )
            )

    def delete_user_pref(self, user_id: int, key: str) -> None:
        """Remove one user preference."""
        with self.transaction() as s:
            s.execute(delete(UserPrefRow).where(UserPrefRow.user_id == user_id, UserPrefRow.key == key))

    # ============================================================================= print jobs (#4)
    # Print history and office secrets: every printed (or saved) set of a case with its PDF kept
    # encrypted for exact reprints, and the secrets an office's windows share (the receipt key).
    PRINT_STATUSES: Final = ("printed", "failed", "saved")

    def record_print_job(
        self,
        case_id: uuid.UUID,
        *,
        documents: Sequence[str],
        printer: str,
        copies: int,
        status: str,
        job_ref: str,
        pdf: bytes | None,
        user: User,
        error: str = "",
    ) -> int:
        """Record one print of a case's documents; the PDF is encrypted (AAD ``print_jobs|pdf|<case>/<id>``).

        Args:
            case_id: the case printed.
            documents: the document ids, in set order.
            printer: the printer's name (``""`` when saved to a file).
            copies: copies sent.
            status: ``printed``, ``failed`` or ``saved``.
            job_ref: the print system's job ids (cut to 100 characters).
            pdf: the PDF sent, kept for reprints (``None``: not kept).
            user: who printed.
            error: a failed job's reason, as the clerk saw it (cut to 500 characters).

        Returns:
            The job's id.

        Raises:
            CaseNotFound: no such case.
            ValueError: an unknown status or no documents (a programming error).
        """
        if status not in self.PRINT_STATUSES:
            raise ValueError(f"unknown print job status {status!r}")
        docs = ",".join(documents)
        if not docs:
            raise ValueError("a print job needs at least one document")
        with self.transaction() as s:
            self.case_row(s, case_id)
            row = PrintJobRow(
                case_id=case_id,
                documents=docs[:200],
                printer=printer[:200],
                copies=copies,
                status=status,
                job_ref=job_ref[:100],
                error=error[:500] or None,
                pdf=None,
                user_id=user.id,
                at=self._clock(),
            )
            s.add(row)
            s.flush()  # the id is part of the PDF's associated data
            if pdf is not None:
                row.pdf = self._cipher.encrypt(
                    pdf, table="print_jobs", column="pdf", row=f"{case_id}/{row.id}"
                )
            self._audit_in(  # issue 8: every print, and every set saved to a file (an export)
                s,
                AuditKind.EXPORT if status == "saved" else AuditKind.PRINT,
                user_id=user.id,
                case_id=case_id,
                details={"job": row.id, "documents": docs[:200], "status": status, "copies": copies},
            )
            return row.id

    def print_jobs(self, case_id: uuid.UUID) -> list[PrintJob]:
        """The recorded prints of a case, newest first, without their PDFs."""
        stmt = (
            select(PrintJobRow, UserRow.display_name)
            .outerjoin(UserRow, UserRow.id == PrintJobRow.user_id)
            .where(PrintJobRow.case_id == case_id)
            .order_by(PrintJobRow.at.desc(), PrintJobRow.id.desc())
        )
        with self.snapshot() as s:
            rows = s.execute(stmt.options(defer(PrintJobRow.pdf))).all()
            return [
                PrintJob(
                    id=r.id,
                    case_id=r.case_id,
                    documents=tuple(d for d in r.documents.split(",") if d),
                    printer=r.printer,
                    copies=r.copies,
                    status=r.status,
                    job_ref=r.job_ref,
                    user_id=r.user_id,
                    user_name=name or "",
                    at=r.at,
                    error=r.error or "",
                )
                for r, name in rows
            ]

    def print_job_pdf(self, job_id: int) -> bytes:
        """The exact PDF of a recorded print.

        Raises:
            PrintJobNotFound: no such job, or its PDF was not kept.
            DecryptionFailed: the stored PDF does not decrypt here.
        """
        with self.snapshot() as s:
            found = s.execute(
                select(PrintJobRow.case_id, PrintJobRow.pdf).where(PrintJobRow.id == job_id)
            ).one_or_none()
        case_id, blob = found if found is not None else (None, None)
        if blob is None:
            raise PrintJobNotFound(
                f"找不到打印记录 {job_id} 的文书副本，无法按原样重印；请重新生成文书后打印。"
            )
        return self._cipher.decrypt(blob, table="print_jobs", column="pdf", row=f"{case_id}/{job_id}")

    def office_secret(self, name: str, *, create: Callable[[], bytes] | None = None) -> bytes:
        """An office secret, created once and then shared by every window of the office's database.

        Two windows creating the same secret at once both get the one that was stored first.

        Args:
            name: the secret's name (``receipt_key``).
            create: makes the value when the secret does not exist yet (``lambda: os.urandom(32)``);
                ``None`` to only read it.

        Returns:
            The secret's bytes.

        Raises:
            SecretMissing: the secret does not exist and ``create`` is ``None``.
            DecryptionFailed: the stored secret does not decrypt here.
        """
        stmt = select(OfficeSecretRow.value).where(OfficeSecretRow.name == name)
        with self.snapshot() as s:
            blob = s.scalar(stmt)
        if blob is None:
            if create is None:
                raise SecretMissing(
                    f"本机构尚未生成“{name}”密钥（还没有打印过受理凭证）。请先打印一份受理凭证，"
                    "或检查是否连接到了本机构的数据库。"
                )
            value = create()
            if not value:
                raise ValueError("an office secret must not be empty")
            encrypted = self._cipher.encrypt(value, table="office_secrets", column="value", row=name)
            dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
            insert_once = (
                dialect_insert(OfficeSecretRow)
                .values(name=name, value=encrypted, created_at=self._clock())
                .on_conflict_do_nothing(index_elements=["name"])
            )
            with self.transaction() as s:
                s.execute(insert_once)
                blob = s.scalar(stmt)  # ours, or the one another window stored first
            assert blob is not None
        return self._cipher.decrypt(blob, table="office_secrets", column="value", row=name)

    # ============================================================================= audit & supervisor (#8)
    # The chained audit log (workstation/audit.py explains the chain and its threat model), sign-in
    # auditing, and the supervisor's queues and actions. Every supervisor action checks the role
    # (workstation/permissions.py) and the case's version (``updated_at`` as read by the queue) under
    # the row lock, so two supervisors acting on one case get ``CaseConflict``, never a lost update.
    _audit_chain_key: bytes | None = None

    def _audit_key(self, s: Session) -> bytes:
        """The chain key, from the office secret (created in ``s`` on first use, never twice)."""
        if self._audit_chain_key is None:
            name = AUDIT_SECRET_NAME
            stmt = select(OfficeSecretRow.value).where(OfficeSecretRow.name == name)
            blob = s.scalar(stmt)
            if blob is None:
                encrypted = self._cipher.encrypt(
                    os.urandom(32), table="office_secrets", column="value", row=name
                )
                dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
                s.execute(
                    dialect_insert(OfficeSecretRow)
                    .values(name=name, value=encrypted, created_at=self._clock())
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                blob = s.scalar(stmt)
                assert blob is not None
            secret = self._cipher.decrypt(blob, table="office_secrets", column="value", row=name)
            self._audit_chain_key = derive_key(secret)
        return self._audit_chain_key

    def _audit_in(
        self,
        s: Session,
        kind: AuditKind,
        *,
        user_id: int | None,
        case_id: uuid.UUID | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one entry in the caller's transaction (the head row is locked until it commits)."""
        key = self._audit_key(s)
        head = s.scalars(select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()).one_or_none()
        if head is None:  # removed by hand: continue from the last entry (verify reports the rest)
            last = s.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)).first()
            head = AuditHeadRow(id=1, seq=last.seq if last else 0, mac=last.mac if last else GENESIS_MAC)
            s.add(head)
        seq = head.seq + 1
        blob = None
        if details:
            blob = self._cipher.encrypt_json(dict(details), table="audit_log", column="details", row=str(seq))
        window = f"{self._settings.office_code}-{self._settings.window_id}"
        at = self._clock()
        content = audit_canonical(
            seq=seq, at=at, kind=kind.value, user_id=user_id, case_id=case_id, window=window, details=blob
        )
        mac = chain_mac(key, head.mac, content)
        s.add(
            AuditEntryRow(
                seq=seq,
                at=at,
                kind=kind.value,
                user_id=user_id,
                case_id=case_id,
                window=window,
                details=blob,
                mac=mac,
            )
        )
        head.seq = seq
        head.mac = mac
        return seq

    def audit(
        self,
        kind: AuditKind,
        *,
        user_id: int | None,
        case_id: uuid.UUID | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one audit entry in its own transaction.

        Args:
            kind: what happened.
            user_id: who (``None``: unknown).
            case_id: the case concerned.
            details: JSON-ready details, stored encrypted (may name personal data).

        Returns:
            The entry's sequence number.
        """
        with self.transaction() as s:
            return self._audit_in(s, kind, user_id=user_id, case_id=case_id, details=details)

    def audit_entries(self, *, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
        """Stored entries with ``seq > after``, in order (``details`` still encrypted)."""
        stmt = select(AuditEntryRow).where(AuditEntryRow.seq > after).order_by(AuditEntryRow.seq)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.snapshot() as s:
            return [
                AuditEntry(
                    seq=r.seq,
                    at=r.at,
                    kind=r.kind,
                    user_id=r.user_id,
                    case_id=r.case_id,
                    window=r.window,
                    details=r.details,
                    mac=r.mac,
                )
                for r in s.scalars(stmt)
            ]

    def audit_details(self, entry: AuditEntry) -> dict[str, Any]:
        """The decrypted details of an entry (``{}`` when it has none)."""
        if entry.details is None:
            return {}
        value = self._cipher.decrypt_json(
            entry.details, table="audit_log", column="details", row=str(entry.seq)
        )
        return dict(value)

    def audit_head(self) -> tuple[int, bytes] | None:
        """The stored chain head ``(seq, mac)`` (``None`` when the head row was removed)."""
        with self.snapshot() as s:
            head = s.get(AuditHeadRow, 1)
            return (head.seq, head.mac) if head is not None else None

    def verify_audit(self, *, batch: int = 5000) -> Verification:
        """Check the whole chain under the office's key and name the first broken entry."""
        with self.transaction() as s:
            key = self._audit_key(s)
        head = self.audit_head()

        def entries() -> Iterator[AuditEntry]:
            after = 0
            while True:
                page = self.audit_entries(after=after, limit=batch)
                yield from page
                if len(page) < batch:
                    return
                after = page[-1].seq

        return verify_chain(entries(), key, head=head)

    def authenticate(self, username: str, password: str) -> User:
        """Check a password (:meth:`_authenticate`) and record the sign-in or its failure in the audit log.

        Raises:
            LoginFailed: unknown user, wrong password or disabled account.
            AccountLocked: locked now (or by this attempt) until the time given.
        """
        try:
            user = self._authenticate(username, password)
        except (LoginFailed, AccountLocked) as exc:
            with self.transaction() as s:
                known = s.scalar(select(UserRow.id).where(UserRow.username == username.strip()))
                self._audit_in(
                    s,
                    AuditKind.SIGN_IN_FAILED,
                    user_id=known,
                    details={"username": username.strip()[:64], "reason": type(exc).__name__},
                )
            raise
        self.audit(AuditKind.SIGN_IN, user_id=user.id)
        return user

    # ---------------------------------------------------------------------- supervisor queues
    @staticmethod
    def _due_terms(f: QueueFilter) -> list[tuple[str, datetime]]:
        """The (business type, creation bound) pairs of a due-date filter, the type filter applied."""
        assert f.due_cutoffs is not None
        return [
            (bt, bound)
            for bt, bound in sorted(f.due_cutoffs.items())
            if f.business_type is None or bt == f.business_type
        ]

    def _queue_conditions(self, f: QueueFilter, *, due: bool = True) -> list[Any]:
        conditions: list[Any] = []
        if f.clerk_id is not None:
            conditions.append(CaseRow.clerk_id == f.clerk_id)
        if f.business_type is not None:
            conditions.append(CaseRow.business_type == f.business_type)
        if f.created_before is not None:
            conditions.append(CaseRow.created_at < f.created_before)
        if due and f.due_cutoffs is not None:
            terms = self._due_terms(f)
            if not terms:
                conditions.append(CaseRow.id.is_(None))
            else:
                conditions.append(
                    or_(*(and_(CaseRow.business_type == bt, CaseRow.created_at < at) for bt, at in terms))
                )
                # The latest bound as a range of its own, so the (state, created_at) index serves the page.
                conditions.append(CaseRow.created_at < max(at for _bt, at in terms))
        return conditions

    @staticmethod
    def _not_superseded() -> Any:
        return or_(OutboxLegRow.last_error_kind.is_(None), OutboxLegRow.last_error_kind != SUPERSEDED)

    def queue_counts(self, f: QueueFilter, *, user: User) -> dict[str, int]:
        """How many cases (or legs) each queue holds under the filter.

        Raises:
            PermissionDenied: ``user`` is not a supervisor or admin.
        """
        require(user, Action.SUPERVISE)
        conditions = self._queue_conditions(f)
        counts = dict.fromkeys(all_queues(), 0)
        with self.snapshot() as s:
            if f.due_cutoffs is None:
                parts: list[Any] = [
                    select(CaseRow.state, func.count()).where(*conditions).group_by(CaseRow.state)
                ]
            else:  # one range per business type: the (business_type, created_at, state) index covers it
                base = self._queue_conditions(f, due=False)
                only_type = f.clerk_id is None and f.created_before is None
                parts = [
                    _DUE_COUNT_SQLITE.bindparams(bt=bt, at=at)
                    if only_type and self._dialect == "sqlite"
                    else select(CaseRow.state, func.count())
                    .where(*base, CaseRow.business_type == bt, CaseRow.created_at < at)
                    .group_by(CaseRow.state)
                    for bt, at in self._due_terms(f)
                ]
            for part in parts:
                for state, n in s.execute(part).all():
                    key = f"state:{state}"
                    if key in counts:
                        counts[key] += int(n)
            legs = select(OutboxLegRow.department, OutboxLegRow.state, func.count()).where(
                self._not_superseded()
            )
            if conditions:
                legs = legs.join(CaseRow, CaseRow.id == OutboxLegRow.case_id).where(*conditions)
            for department, state, n in s.execute(legs.group_by(OutboxLegRow.department, OutboxLegRow.state)):
                key = f"leg:{department}:{state}"
                if key in counts:
                    counts[key] = int(n)
        return counts

    def queue_page(
        self, queue: str, f: QueueFilter, *, user: User, limit: int = 100, offset: int = 0
    ) -> list[QueueItem]:
        """One page of a queue: most recently changed first, or newest first when filtered by age or due date.

        Raises:
            PermissionDenied: ``user`` is not a supervisor or admin.
            ValueError: not a queue key.
        """
        require(user, Action.SUPERVISE)
        state, department, leg_state = parse_queue(queue)
        clerk = aliased(UserRow)
        columns = (
            CaseRow.id,
            CaseRow.case_number,
            CaseRow.business_type,
            CaseRow.state,
            CaseRow.clerk_id,
            clerk.display_name,
            CaseRow.created_at,
            CaseRow.updated_at,
            CaseRow.data,
        )
        conditions = self._queue_conditions(f)
        # Walk an index in order and stop at the page: (state, updated_at), or (state, created_at)
        # when filtered by age or due date (the oldest cases are what such a filter looks for).
        by_age = f.created_before is not None or f.due_cutoffs is not None
        order = CaseRow.created_at.desc() if by_age else CaseRow.updated_at.desc()
        with self.snapshot() as s:
            if state is not None:
                stmt = (
                    select(*columns)
                    .outerjoin(clerk, clerk.id == CaseRow.clerk_id)
                    .where(CaseRow.state == state.value, *conditions)
                    .order_by(order)
                    .limit(limit)
                    .offset(offset)
                )
                rows: list[tuple[tuple[Any, ...], tuple[Any, ...] | None]] = [
                    (tuple(r), None) for r in s.execute(stmt).all()
                ]
            else:
                assert department is not None and leg_state is not None
                leg_stmt = (
                    select(
                        *columns,
                        OutboxLegRow.package_id,
                        OutboxLegRow.department,
                        OutboxLegRow.state,
                        OutboxLegRow.attempts,
                        OutboxLegRow.last_error_kind,
                    )
                    .join(CaseRow, CaseRow.id == OutboxLegRow.case_id)
                    .outerjoin(clerk, clerk.id == CaseRow.clerk_id)
                    .where(
                        OutboxLegRow.department == department.value,
                        OutboxLegRow.state == leg_state.value,
                        self._not_superseded(),
                        *conditions,
                    )
                    .order_by(OutboxLegRow.updated_at.desc(), OutboxLegRow.package_id)
                    .limit(limit)
                    .offset(offset)
                )
                rows = [(tuple(r[:9]), tuple(r[9:])) for r in s.execute(leg_stmt).all()]
        items = []
        for (case_id, number, bt, st, clerk_id, name, created, updated, blob), leg in rows:
            data = self._cipher.decrypt_json(blob, table="cases", column="data", row=str(case_id))
            pid, dept, leg_state_value, tries, err = leg if leg is not None else (None, None, None, 0, None)
            items.append(
                QueueItem(
                    case_id=case_id,
                    case_number=number,
                    business_type=bt,
                    state=st,
                    clerk_id=clerk_id,
                    clerk=name or "",
                    applicants=_applicants(data),
                    created_at=created,
                    version=updated,
                    package_id=pid,
                    department=dept,
                    leg_state=leg_state_value,
                    attempts=int(tries or 0),
                    error_kind=err,
                )
            )
        return items

    # ---------------------------------------------------------------------- supervisor actions
    def _supervised_row(self, s: Session, case_id: uuid.UUID, expected: datetime | None) -> CaseRow:
        """The case row, locked; ``CaseConflict`` when it changed since ``expected`` was read."""
        row = self.case_row(s, case_id, lock=True)
        if expected is not None and row.updated_at != expected:
            raise CaseConflict(
                f"案件 {row.case_number} 在您查看之后已被他人修改（{row.updated_at.astimezone():%H:%M:%S}），"
                "您的操作没有执行；请刷新队列，确认案件的最新状态后再操作。"
            )
        return row

    def _bump(self, row: CaseRow, now: datetime) -> None:
        # Strictly later than before, so the version changes even when the clock did not move.
        row.updated_at = max(now, row.updated_at + timedelta(microseconds=1))

    def _supervised_transition(
        self,
        case_id: uuid.UUID,
        to_state: CaseState,
        *,
        user: User,
        action: Action,
        expected: datetime | None,
        reason: str,
    ) -> datetime:
        require(user, action)
        now = self._clock()
        with self.transaction() as s:
            row = self._supervised_row(s, case_id, expected)
            held_from = None
            if row.state == CaseState.ON_HOLD.value:
                pairs = s.execute(
                    select(CaseEventRow.from_state, CaseEventRow.to_state)
                    .where(CaseEventRow.case_id == case_id)
                    .order_by(CaseEventRow.n)
                ).all()
                held_from = held_from_state((a, b) for a, b in pairs)
            target = check_transition(row.state, to_state, reason=reason, held_from=held_from)
            self.add_event(s, case_id, row.state, target.value, at=now, user_id=user.id, reason=reason)
            details = {"action": action.value, "from": row.state, "to": target.value, "reason": reason}
            self._audit_in(s, AuditKind.SUPERVISOR_ACTION, user_id=user.id, case_id=case_id, details=details)
            row.state = target.value
            self._bump(row, now)
            return row.updated_at

    def hold_case(
        self, case_id: uuid.UUID, *, user: User, expected: datetime | None, reason: str = ""
    ) -> datetime:
        """Put a case on hold (挂起). Returns its new version.

        Raises:
            PermissionDenied: not a supervisor or admin.
            CaseConflict: the case changed since ``expected``.
            forms.errors.TransitionNotAllowed: the state machine does not allow it.
        """
        return self._supervised_transition(
            case_id,
            CaseState.ON_HOLD,
            user=user,
            action=Action.HOLD,
            expected=expected,
            reason=reason or "科长挂起",
        )

    def release_case(self, case_id: uuid.UUID, *, user: User, expected: datetime | None) -> datetime:
        """Resume a held case in the state it was held from. Returns its new version.

        Raises:
            PermissionDenied, CaseConflict, TransitionNotAllowed: as :meth:`hold_case`.
        """
        with self.snapshot() as s:
            pairs = s.execute(
                select(CaseEventRow.from_state, CaseEventRow.to_state)
                .where(CaseEventRow.case_id == case_id)
                .order_by(CaseEventRow.n)
            ).all()
        previous = held_from_state((a, b) for a, b in pairs)
        if previous is None:
            raise TransitionNotAllowed("该案件没有挂起记录，无需恢复；请刷新队列查看其当前状态。")
        return self._supervised_transition(
            case_id, previous, user=user, action=Action.HOLD, expected=expected, reason="科长恢复挂起的案件"
        )

    def return_for_correction(
        self, case_id: uuid.UUID, *, user: User, expected: datetime | None, reason: str
    ) -> datetime:
        """Return a submitted case to the window for correction (退回补正) with a reason.

        Raises:
            InvalidUserData: no reason given.
            PermissionDenied, CaseConflict, TransitionNotAllowed: as :meth:`hold_case`.
        """
        if not reason.strip():
            raise InvalidUserData("“退回原因”不能为空：请写明需要申请人补正的内容后再退回。")
        return self._supervised_transition(
            case_id,
            CaseState.RETURNED,
            user=user,
            action=Action.RETURN_FOR_CORRECTION,
            expected=expected,
            reason=reason.strip(),
        )

    def reassign_case(
        self, case_id: uuid.UUID, *, to_username: str, user: User, expected: datetime | None
    ) -> datetime:
        """Assign a case to another (active) user; recorded in the case history and the audit log.

        Raises:
            UserNotFound: no such user, or the account is disabled.
            PermissionDenied, CaseConflict: as :meth:`hold_case`.
        """
        require(user, Action.REASSIGN)
        now = self._clock()
        with self.transaction() as s:
            target = s.scalars(select(UserRow).where(UserRow.username == to_username.strip())).one_or_none()
            if target is None or not target.active:
                raise UserNotFound(f"没有名为“{to_username}”的在用账户，无法改派；请从列表中选择受理人员。")
            row = self._supervised_row(s, case_id, expected)
            before = row.clerk_id
            reason = f"改派给 {target.display_name}"
            self.add_event(
                s,
                case_id,
                row.state,
                row.state,
                at=now,
                user_id=user.id,
                reason=reason,
                details={"reassigned_from": before, "reassigned_to": target.id},
            )
            self._audit_in(
                s,
                AuditKind.SUPERVISOR_ACTION,
                user_id=user.id,
                case_id=case_id,
                details={"action": Action.REASSIGN.value, "from_user": before, "to_user": target.id},
            )
            row.clerk_id = target.id
            self._bump(row, now)
            return row.updated_at

    def retry_legs(self, package_ids: Sequence[uuid.UUID], *, user: User) -> int:
        """Queue failed legs again (one or many) after the cause was fixed; superseded legs stay failed.

        Returns:
            How many legs were queued again.

        Raises:
            PermissionDenied: not a supervisor or admin.
        """
        require(user, Action.RETRY_LEGS)
        if not package_ids:
            return 0
        now = self._clock()
        with self.transaction() as s:
            legs = s.scalars(
                select(OutboxLegRow)
                .where(
                    OutboxLegRow.package_id.in_(list(package_ids)),
                    OutboxLegRow.state == LegState.FAILED.value,
                    self._not_superseded(),
                )
                .with_for_update()
            ).all()
            for leg in legs:
                leg.state = LegState.QUEUED.value
                leg.attempts = 0
                leg.next_attempt_at = now
                leg.updated_at = now
                self._audit_in(
                    s,
                    AuditKind.SUPERVISOR_ACTION,
                    user_id=user.id,
                    case_id=leg.case_id,
                    details={"action": Action.RETRY_LEGS.value, "package": str(leg.package_id)},
                )
            return len(legs)

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
        """Approve an exception with the supervisor's own password, checked now (not the session's).

        The password check is audited like a sign-in; the approval is recorded in the case history
        (an event that keeps the state) and in the audit log, in one transaction.

        Args:
            case_id: the case.
            kind: the exception (``workstation.queues.ExceptionKind`` value).
            reason: why it is approved (stored encrypted).
            username: the approving supervisor's user name.
            password: their password, typed at this moment.
            expected: the case version the supervisor looked at (``None``: no check).

        Returns:
            The approving user.

        Raises:
            LoginFailed, AccountLocked: the password is wrong or the account locked.
            PermissionDenied: the account is not a supervisor or admin.
            InvalidUserData: no reason given.
            CaseConflict: the case changed since ``expected``.
        """
        if not reason.strip():
            raise InvalidUserData("“审批意见”不能为空：请写明同意例外办理的理由。")
        approver = require(self.authenticate(username, password), Action.APPROVE_EXCEPTION)
        now = self._clock()
        with self.transaction() as s:
            row = self._supervised_row(s, case_id, expected)
            self.add_event(
                s,
                case_id,
                row.state,
                row.state,
                at=now,
                user_id=approver.id,
                reason=reason.strip(),
                details={"approval": kind, "reauthenticated": True},
            )
            self._audit_in(
                s,
                AuditKind.APPROVAL,
                user_id=approver.id,
                case_id=case_id,
                details={"exception": kind, "reason": reason.strip()},
            )
            self._bump(row, now)
        return approver

    # ============================================================================= scans (#6)
    # Sealing for the scan recovery folder, and scanned attachments: one material's pages as one
    # PDF, encrypted with the AAD ``attachments|data|<id>`` (workstation/storage/models.py).
    def seal(self, data: bytes, purpose: str) -> bytes:
        """Encrypt bytes kept outside the database (scan recovery pages) under the data key.

        Touches no database, so a device thread may call it. ``purpose`` (e.g. ``scan:<case id>``)
        is bound to the ciphertext, so a file sealed for one case does not open as another's.
        """
        return self._cipher.encrypt(data, table="sealed", column="data", row=purpose)

    def unseal(self, blob: bytes, purpose: str) -> bytes:
        """Decrypt what :meth:`seal` made.

        Raises:
            DecryptionFailed: wrong key, purpose or damaged bytes.
        """
        return self._cipher.decrypt(blob, table="sealed", column="data", row=purpose)

    @staticmethod
    def _to_attachment(row: AttachmentRow) -> Attachment:
        return Attachment(
            id=row.id,
            case_id=row.case_id,
            material_code=row.material_code,
            media_type=row.media_type,
            pages=row.pages,
            size=row.size,
            sha256=row.sha256,
            user_id=row.user_id,
            created_at=row.created_at,
        )

    def add_attachment(
        self,
        case_id: uuid.UUID,
        *,
        material_code: str,
        data: bytes,
        pages: int,
        user: User,
        media_type: str = "application/pdf",
    ) -> Attachment:
        """Store a scanned document of a case, encrypted.

        Args:
            case_id: the case.
            material_code: the checklist item it belongs to.
            data: the document's bytes.
            pages: its page count.
            user: who scanned it.
            media_type: the document's type.

        Raises:
            CaseNotFound: no such case.
            ValueError: empty data or a negative page count (a programming error).
        """
        if not data or pages < 0:
            raise ValueError("an attachment needs data and a page count >= 0")
        attachment_id = uuid.uuid4().hex
        row = AttachmentRow(
            id=attachment_id,
            case_id=case_id,
            material_code=material_code[:60],
            media_type=media_type[:60],
            pages=pages,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=self._cipher.encrypt(data, table="attachments", column="data", row=attachment_id),
            user_id=user.id,
            created_at=self._clock(),
        )
        with self.transaction() as s:
            self.case_row(s, case_id)
            s.add(row)
            s.flush()
            return self._to_attachment(row)

    def attachments(self, case_id: uuid.UUID) -> list[Attachment]:
        """The case's stored scans, oldest first, without their data."""
        stmt = (
            select(AttachmentRow)
            .where(AttachmentRow.case_id == case_id)
            .order_by(AttachmentRow.created_at, AttachmentRow.id)
            .options(defer(AttachmentRow.data))
        )
        with self.snapshot() as s:
            return [self._to_attachment(r) for r in s.scalars(stmt)]

    def attachment_data(self, attachment_id: str) -> bytes:
        """The decrypted document of a stored scan.

        Raises:
            AttachmentPurged: retention deleted the local copy (the back end holds it).
            AttachmentNotFound: no such attachment.
            DecryptionFailed: the stored bytes do not decrypt here.
        """
        with self.snapshot() as s:
            found = s.execute(
                select(AttachmentRow.data, AttachmentRow.purged_at).where(AttachmentRow.id == attachment_id)
            ).one_or_none()
        blob, purged_at = found if found is not None else (None, None)
        if purged_at is not None:  # retention deleted the local copy (issue 8)
            raise AttachmentPurged(
                f"{PURGED_MESSAGE}（{purged_at.astimezone():%Y-%m-%d}）；如需查看扫描件，请向登记部门调阅。"
            )
        if blob is None:
            raise AttachmentNotFound(f"找不到扫描件 {attachment_id}，它可能已被删除；请重新扫描该材料。")
        return self._cipher.decrypt(blob, table="attachments", column="data", row=attachment_id)

    def delete_attachment(self, attachment_id: str) -> None:
        """Remove a stored scan (nothing happens when it does not exist)."""
        with self.transaction() as s:
            s.execute(delete(AttachmentRow).where(AttachmentRow.id == attachment_id))

    # ============================================================================= identity checks (#7)
    # Face checks of parties (人证核验记录): the record JSON and both images encrypted with the AAD
    # ``identity_checks|<column>|<case_id>/<id>`` (workstation/storage/models.py). A rejected check
    # stays recorded; an override by a supervisor or admin updates the same row, whose role is
    # checked here again from the users table (not only by the caller).
    IDENTITY_DECISIONS: Final = ("accepted", "rejected", "overridden")
    OVERRIDE_ROLES: Final = (Role.SUPERVISOR.value, Role.ADMIN.value)

    def _identity_row_key(self, row: IdentityCheckRow) -> str:
        return f"{row.case_id}/{row.id}"

    def _to_identity_check(
        self, row: IdentityCheckRow, user_name: str, supervisor_name: str
    ) -> IdentityCheck:
        record = self._cipher.decrypt_json(
            row.record, table="identity_checks", column="record", row=self._identity_row_key(row)
        )
        return IdentityCheck(
            id=row.id,
            case_id=row.case_id,
            party_id=row.party_id,
            decision=row.decision,
            record=dict(record),
            user_id=row.user_id,
            user_name=user_name,
            supervisor_id=row.supervisor_id,
            supervisor_name=supervisor_name,
            at=row.at,
        )

    def _identity_query(self) -> Any:
        clerk = aliased(UserRow)
        supervisor = aliased(UserRow)
        return (
            select(IdentityCheckRow, clerk.display_name, supervisor.display_name)
            .outerjoin(clerk, clerk.id == IdentityCheckRow.user_id)
            .outerjoin(supervisor, supervisor.id == IdentityCheckRow.supervisor_id)
            .options(defer(IdentityCheckRow.live_image), defer(IdentityCheckRow.reference_image))
        )

    def record_identity_check(
        self,
        case_id: uuid.UUID,
        *,
        party_id: str,
        decision: str,
        record: dict[str, Any],
        live_image: bytes | None,
        reference_image: bytes | None,
        user: User,
    ) -> IdentityCheck:
        """Store one face check of a party; the record and both images are encrypted.

        Args:
            case_id: the case.
            party_id: the party checked.
            decision: ``accepted`` or ``rejected`` (an override goes through
                :meth:`override_identity_check`).
            record: the check's JSON without images.
            live_image: the live frame (JPEG).
            reference_image: the document photo (JPEG).
            user: the clerk who ran the check.

        Raises:
            CaseNotFound: no such case.
            ValueError: another decision (a programming error).
        """
        if decision not in ("accepted", "rejected"):
            raise ValueError(f"a new identity check is accepted or rejected, not {decision!r}")
        with self.transaction() as s:
            self.case_row(s, case_id)
            row = IdentityCheckRow(
                case_id=case_id,
                party_id=party_id[:40],
                decision=decision,
                record=b"",
                live_image=None,
                reference_image=None,
                user_id=user.id,
                supervisor_id=None,
                at=self._clock(),
            )
            s.add(row)
            s.flush()  # the id is part of the associated data
            key = self._identity_row_key(row)
            row.record = self._cipher.encrypt_json(record, table="identity_checks", column="record", row=key)
            if live_image is not None:
                row.live_image = self._cipher.encrypt(
                    live_image, table="identity_checks", column="live_image", row=key
                )
            if reference_image is not None:
                row.reference_image = self._cipher.encrypt(
                    reference_image, table="identity_checks", column="reference_image", row=key
                )
            return self._to_identity_check(row, user.display_name, "")

    def identity_checks(self, case_id: uuid.UUID, party_id: str | None = None) -> list[IdentityCheck]:
        """The case's face checks (of one party when given), oldest first, without images."""
        stmt = self._identity_query().where(IdentityCheckRow.case_id == case_id)
        if party_id is not None:
            stmt = stmt.where(IdentityCheckRow.party_id == party_id)
        with self.snapshot() as s:
            rows = s.execute(stmt.order_by(IdentityCheckRow.at, IdentityCheckRow.id)).all()
            return [self._to_identity_check(r, clerk or "", sup or "") for r, clerk, sup in rows]

    def identity_check(self, check_id: int) -> IdentityCheck:
        """One face check, without images.

        Raises:
            IdentityCheckNotFound: no such check.
        """
        with self.snapshot() as s:
            found = s.execute(self._identity_query().where(IdentityCheckRow.id == check_id)).one_or_none()
            if found is None:
                raise IdentityCheckNotFound(f"找不到编号为 {check_id} 的人证核验记录，请重新核验。")
            row, clerk, sup = found
            return self._to_identity_check(row, clerk or "", sup or "")

    def identity_check_images(self, check_id: int) -> tuple[bytes | None, bytes | None]:
        """The decrypted live and reference images (JPEG) of a check.

        Raises:
            IdentityCheckNotFound: no such check.
            DecryptionFailed: the images do not decrypt here.
        """
        with self.snapshot() as s:
            row = s.get(IdentityCheckRow, check_id)
            if row is None:
                raise IdentityCheckNotFound(f"找不到编号为 {check_id} 的人证核验记录，请重新核验。")
            key = self._identity_row_key(row)
            live = (
                self._cipher.decrypt(row.live_image, table="identity_checks", column="live_image", row=key)
                if row.live_image is not None
                else None
            )
            reference = (
                self._cipher.decrypt(
                    row.reference_image, table="identity_checks", column="reference_image", row=key
                )
                if row.reference_image is not None
                else None
            )
            return live, reference

    def override_identity_check(
        self, check_id: int, *, record: dict[str, Any], supervisor: User
    ) -> IdentityCheck:
        """Mark a rejected check as overridden by a supervisor, with the updated record.

        The supervisor's role and active flag are read again from the users table, so a caller
        cannot pass a clerk dressed up as a supervisor.

        Args:
            check_id: the rejected check.
            record: its JSON after the override (decision, supervisor, reason, time).
            supervisor: the authenticated supervisor or admin.

        Raises:
            IdentityCheckNotFound: no such check.
            OverrideRefused: the user is not an active supervisor or admin, or the check was not
                rejected.
        """
        with self.transaction() as s:
            row = s.get(IdentityCheckRow, check_id, with_for_update=True)
            if row is None:
                raise IdentityCheckNotFound(f"找不到编号为 {check_id} 的人证核验记录，请重新核验。")
            approver = s.get(UserRow, supervisor.id)
            if approver is None or not approver.active or approver.role not in self.OVERRIDE_ROLES:
                raise OverrideRefused(
                    "只有主管或系统管理员可以放行未通过的人证核验：请主管本人输入账号和密码。"
                )
            if row.decision != "rejected":
                raise OverrideRefused("只有未通过的人证核验可以由主管放行，本记录无需放行。")
            row.decision = "overridden"
            row.supervisor_id = approver.id
            row.record = self._cipher.encrypt_json(
                record, table="identity_checks", column="record", row=self._identity_row_key(row)
            )
            self._audit_in(  # an approval by the supervisor (issue 8), in the override's transaction
                s,
                AuditKind.APPROVAL,
                user_id=approver.id,
                case_id=row.case_id,
                details={
                    "exception": ExceptionKind.FACE_CHECK_FAILED.value,
                    "action": "face_override",
                    "check_id": row.id,
                    "party_id": row.party_id,
                    "clerk_id": row.user_id,
                    "reason": str(record.get("override_reason") or ""),
                },
            )
            clerk = s.get(UserRow, row.user_id) if row.user_id is not None else None
            return self._to_identity_check(row, clerk.display_name if clerk else "", approver.display_name)

    # ============================================================================= case view & retention (#8)
    # The supervisor's read-only case view (versions with who kept them, delivery legs with answers,
    # what retention deleted) and the retention run (workstation/retention.py explains the rule).
    # Personal data read here is decrypted for the supervisor's view only; the caller audits the view.
    def case_version_log(self, case_id: uuid.UUID) -> list[tuple[VersionInfo, Case]]:
        """Every kept version of a case with who kept it, oldest first.

        Raises:
            CaseNotFound: no such case.
        """
        stmt = (
            select(CaseVersionRow, UserRow.display_name)
            .outerjoin(UserRow, UserRow.id == CaseVersionRow.user_id)
            .where(CaseVersionRow.case_id == case_id)
            .order_by(CaseVersionRow.n)
        )
        with self.snapshot() as s:
            self.case_row(s, case_id)
            rows = s.execute(stmt).all()
        result = []
        for row, name in rows:
            plain = self._cipher.decrypt(
                row.data, table="case_versions", column="data", row=f"{case_id}/{row.n}"
            )
            info = VersionInfo(
                n=row.n, at=row.at, user_id=row.user_id, user_name=name or "", reason=row.reason
            )
            result.append((info, Case.model_validate_json(plain)))
        return result

    def delivery_legs(self, case_id: uuid.UUID) -> list[DeliveryLeg]:
        """Every department leg of a case, newest first, errors and answers decrypted."""
        stmt = (
            select(OutboxLegRow)
            .where(OutboxLegRow.case_id == case_id)
            .options(defer(OutboxLegRow.manifest))
            .order_by(OutboxLegRow.created_at.desc(), OutboxLegRow.department)
        )
        with self.snapshot() as s:
            rows = s.scalars(stmt).all()
        legs = []
        for r in rows:
            pid = str(r.package_id)
            error = (
                self._cipher.decrypt(r.last_error, table="outbox_legs", column="last_error", row=pid).decode()
                if r.last_error is not None
                else None
            )
            answer = (
                Answer.from_json(
                    self._cipher.decrypt_json(r.answer, table="outbox_legs", column="answer", row=pid)
                )
                if r.answer is not None
                else None
            )
            legs.append(
                DeliveryLeg(
                    package_id=r.package_id,
                    department=r.department,
                    state=r.state,
                    case_version=r.case_version,
                    supersedes=r.supersedes,
                    attempts=r.attempts,
                    created_at=r.created_at,
                    delivered_at=r.delivered_at,
                    answered_at=r.answered_at,
                    receipt_no=r.receipt_no,
                    last_error_kind=r.last_error_kind,
                    last_error=error,
                    answer=answer,
                )
            )
        return legs

    def attachment_purges(self, case_id: uuid.UUID) -> dict[str, datetime]:
        """Attachment id → when retention deleted its local copy, for a case's purged scans."""
        stmt = select(AttachmentRow.id, AttachmentRow.purged_at).where(
            AttachmentRow.case_id == case_id, AttachmentRow.purged_at.is_not(None)
        )
        with self.snapshot() as s:
            return {i: at for i, at in s.execute(stmt).all() if at is not None}

    def identity_image_purges(self, case_id: uuid.UUID) -> dict[int, datetime]:
        """Check id → when retention deleted its photos, for a case's purged face checks."""
        stmt = select(IdentityCheckRow.id, IdentityCheckRow.images_purged_at).where(
            IdentityCheckRow.case_id == case_id, IdentityCheckRow.images_purged_at.is_not(None)
        )
        with self.snapshot() as s:
            return {i: at for i, at in s.execute(stmt).all() if at is not None}

    def last_retention_run(self) -> datetime | None:
        """When the last retention run was recorded in the audit log (``None``: never)."""
        stmt = (
            select(AuditEntryRow.at)
            .where(AuditEntryRow.kind == AuditKind.RETENTION.value)
            .order_by(AuditEntryRow.seq.desc())
            .limit(1)
        )
        with self.snapshot() as s:
            return s.scalar(stmt)

    @staticmethod
    def _held_since() -> Any:
        """When a leg's department confirmed it (acknowledgement, else answer, else last change)."""
        return func.coalesce(OutboxLegRow.delivered_at, OutboxLegRow.answered_at, OutboxLegRow.updated_at)

    def _purgeable_attachments(
        self, s: Session, cutoff: datetime, scan_states: Collection[str]
    ) -> list[tuple[str, uuid.UUID, int]]:
        """``(id, case id, size)`` of stored scans listed in the manifest of a leg held since ``cutoff``."""
        pending = select(AttachmentRow.case_id).where(AttachmentRow.data.is_not(None)).distinct()
        legs = s.execute(
            select(OutboxLegRow.package_id, OutboxLegRow.case_id, OutboxLegRow.manifest).where(
                OutboxLegRow.state.in_(list(scan_states)),
                self._held_since() <= cutoff,
                OutboxLegRow.case_id.in_(pending),
            )
        ).all()
        carried: dict[uuid.UUID, set[str]] = {}
        for package_id, case_id, manifest in legs:
            listed = self._cipher.decrypt_json(
                manifest, table="outbox_legs", column="manifest", row=str(package_id)
            )
            carried.setdefault(case_id, set()).update(
                str(a["sha256"]) for a in listed.get("attachments") or ()
            )
        found: list[tuple[str, uuid.UUID, int]] = []
        cases = sorted(carried)
        for start in range(0, len(cases), 500):
            chunk = cases[start : start + 500]
            rows = s.execute(
                select(
                    AttachmentRow.id, AttachmentRow.case_id, AttachmentRow.sha256, AttachmentRow.size
                ).where(AttachmentRow.case_id.in_(chunk), AttachmentRow.data.is_not(None))
            ).all()
            found += [(i, c, size) for i, c, sha, size in rows if sha in carried[c]]
        return found

    def _purgeable_checks(
        self, s: Session, cutoff: datetime, scan_states: Collection[str], departments: Collection[str]
    ) -> list[IdentityCheckRow]:
        """Checks with photos whose case has a leg of ``departments`` queued after them, held by then."""
        held = (
            select(OutboxLegRow.package_id)
            .where(
                OutboxLegRow.case_id == IdentityCheckRow.case_id,
                OutboxLegRow.department.in_(list(departments)),
                OutboxLegRow.state.in_(list(scan_states)),
                OutboxLegRow.created_at >= IdentityCheckRow.at,
                self._held_since() <= cutoff,
            )
            .exists()
        )
        stmt = (
            select(IdentityCheckRow)
            .where(
                IdentityCheckRow.images_purged_at.is_(None),
                or_(IdentityCheckRow.live_image.is_not(None), IdentityCheckRow.reference_image.is_not(None)),
                held,
            )
            .options(defer(IdentityCheckRow.live_image), defer(IdentityCheckRow.reference_image))
            .with_for_update()
        )
        return list(s.scalars(stmt).all())

    def purge_local_copies(
        self,
        *,
        cutoff: datetime,
        days: int,
        scan_states: Collection[str],
        photo_departments: Collection[str],
        user_id: int | None,
        dry_run: bool,
    ) -> RetentionOutcome:
        """Delete the local scans and check photos the back ends held by ``cutoff``, in one transaction.

        A scan goes when a leg in ``scan_states`` confirmed at or before ``cutoff`` lists its SHA-256
        in its manifest: ``data`` becomes NULL and ``purged_at`` is set. A check's photos go when a
        leg of ``photo_departments`` in ``scan_states``, queued after the check, was confirmed at or
        before ``cutoff``: both images become NULL, ``images_purged_at`` is set and the record notes
        the date (the printed 人证核验记录 says the photos were deleted). One audit entry (kind
        ``retention``, counts only) records a real run.

        Args:
            cutoff: confirmations at or before this time are old enough.
            days: the retention period (recorded in the audit entry).
            scan_states: the leg states that mean "the department holds it".
            photo_departments: the departments whose leg releases a check's photos.
            user_id: who ran it (``None``: the scheduled task).
            dry_run: count only; change nothing, write no audit entry.
        """
        now = self._clock()
        with self.transaction() as s:
            scans = self._purgeable_attachments(s, cutoff, scan_states)
            checks = self._purgeable_checks(s, cutoff, scan_states, photo_departments)
            cases = {c for _i, c, _n in scans} | {row.case_id for row in checks}
            size = sum(n for _i, _c, n in scans)
            if dry_run:
                return RetentionOutcome(len(scans), size, len(checks), len(cases), cutoff, days, True)
            purged = 0
            ids = [i for i, _c, _n in scans]
            for start in range(0, len(ids), 500):
                result = s.execute(
                    update(AttachmentRow)
                    .where(AttachmentRow.id.in_(ids[start : start + 500]), AttachmentRow.data.is_not(None))
                    .values(data=None, purged_at=now)
                    .execution_options(synchronize_session=False)
                )
                purged += int(result.rowcount or 0)  # type: ignore[attr-defined]
            for row in checks:
                key = self._identity_row_key(row)
                record = dict(
                    self._cipher.decrypt_json(row.record, table="identity_checks", column="record", row=key)
                )
                record["images_purged_at"] = now.isoformat()
                row.record = self._cipher.encrypt_json(
                    record, table="identity_checks", column="record", row=key
                )
                row.live_image = None
                row.reference_image = None
                row.images_purged_at = now
            outcome = RetentionOutcome(purged, size, len(checks), len(cases), cutoff, days, False)
            seq = self._audit_in(
                s,
                AuditKind.RETENTION,
                user_id=user_id,
                details={
                    "attachments": outcome.attachments,
                    "attachment_bytes": outcome.attachment_bytes,
                    "identity_checks": outcome.identity_checks,
                    "cases": outcome.cases,
                    "days": days,
                    "cutoff": cutoff.isoformat(),
                },
            )
            return dataclasses.replace(outcome, audit_seq=seq)

    # ===================================================================== fees, end of day, statistics (#8)
    # Fees collected at the window (workstation/fees.py), the end-of-day report and its sign-off
    # (workstation/day_report.py, printing/day_report.py), the supervisor's statistics
    # (workstation/statistics.py) and the first keystroke of a case. Roles are checked here again
    # (workstation/permissions.py); approvals re-authenticate with the approver's own password now.
    def mark_intake_started(self, case_id: uuid.UUID, at: datetime) -> bool:
        """Record the clerk's first keystroke on a new case, once: a later call never overwrites it.

        Returns:
            Whether this call set it.
        """
        with self.transaction() as s:
            result = s.execute(
                update(CaseRow)
                .where(CaseRow.id == case_id, CaseRow.intake_started_at.is_(None))
                .values(intake_started_at=at)
            )
            return bool(getattr(result, "rowcount", 0))

    def _closed_scopes(self, s: Session, day: date_type, scopes: Sequence[str]) -> list[DayClosingRow]:
        return list(
            s.scalars(select(DayClosingRow).where(DayClosingRow.day == day, DayClosingRow.scope.in_(scopes)))
        )

    def _refuse_if_closed(self, s: Session, at: datetime, case_number: str, doing: str) -> None:
        from workstation.day_report import OFFICE_SCOPE, scope_of_case_number
        from workstation.fees import FeeRefused

        day = at.astimezone().date()
        closed = self._closed_scopes(s, day, [OFFICE_SCOPE, scope_of_case_number(case_number)])
        if closed:
            raise FeeRefused(
                f"{day:%Y年%m月%d日}的日终报表已签字确认，不能再{doing}；"
                "如确需更正，请在次日登记并在备注中说明。"
            )

    def record_fee(
        self,
        entry: FeeEntry,
        *,
        user: User,
        approver_username: str = "",
        approver_password: str = "",
    ) -> FeePayment:
        """Record a fee collected at the window (收费登记).

        A waived fee (免收) needs a reason and a supervisor's approval with their own password, checked
        now; the approval is recorded in the case history and the audit log with the fee.

        Raises:
            PermissionDenied: the user may not collect fees, or the approver may not waive them.
            InvalidUserData: a field is missing or wrong.
            LoginFailed, AccountLocked: the approver's password is wrong or the account locked.
            CaseNotFound: no such case.
            FeeRefused: not accepted yet, paid already, the bill number used, or the day signed off.
        """
        from forms.states import label as state_label
        from workstation.fees import FEE_STATES, FeeMethod, FeeRefused, check_entry, items_text

        require(user, Action.COLLECT_FEE)
        entry = check_entry(entry)
        approver: User | None = None
        if entry.method is FeeMethod.WAIVED:
            if not approver_username.strip():
                raise InvalidUserData("“审批人用户名”不能为空：免收费用须由科长输入本人用户名和密码审批。")
            approver = require(self.authenticate(approver_username, approver_password), Action.WAIVE_FEE)
        now = self._clock()
        with self.transaction() as s:
            row = self.case_row(s, entry.case_id, lock=True)
            if row.state not in {st.value for st in FEE_STATES}:
                raise FeeRefused(
                    f"案件 {row.case_number} 目前为“{state_label(row.state)}”，尚未受理，不能收费；"
                    "请先提交受理（Ctrl+Enter），再登记收费。"
                )
            self._refuse_if_closed(s, now, row.case_number, "登记收费")
            paid = s.scalars(
                select(FeePaymentRow).where(
                    FeePaymentRow.case_id == entry.case_id, FeePaymentRow.voided_at.is_(None)
                )
            ).all()
            for earlier in paid:
                if set(earlier.items.split(",")) & {i.value for i in entry.items}:
                    raise FeeRefused(
                        f"案件 {row.case_number} 的{items_text(earlier.items.split(','))}已于 "
                        f"{earlier.at.astimezone():%m-%d %H:%M} 登记（票据号 {earlier.bill_no or '—'}）；"
                        "如需重新收费，请先由科长作废原收费记录。"
                    )
            if entry.bill_no:
                used = s.scalar(
                    select(CaseRow.case_number)
                    .join(FeePaymentRow, FeePaymentRow.case_id == CaseRow.id)
                    .where(FeePaymentRow.bill_no == entry.bill_no, FeePaymentRow.voided_at.is_(None))
                    .limit(1)
                )
                if used is not None:
                    raise FeeRefused(
                        f"“票据号码”{entry.bill_no} 已用于案件 {used} 的收费记录："
                        "请核对票据上的号码后重新输入。"
                    )
            payment = FeePaymentRow(
                case_id=entry.case_id,
                amount_fen=entry.amount_fen,
                method=entry.method.value,
                items=",".join(i.value for i in entry.items),
                reference=entry.reference,
                bill_no=entry.bill_no,
                user_id=user.id,
                at=now,
            )
            s.add(payment)
            s.flush()
            if approver is not None:
                details = {"approval": "fee_waived", "payment": payment.id, "reauthenticated": True}
                self.add_event(
                    s,
                    entry.case_id,
                    row.state,
                    row.state,
                    at=now,
                    user_id=approver.id,
                    reason=entry.waiver_reason,
                    details=details,
                )
                self._audit_in(
                    s,
                    AuditKind.APPROVAL,
                    user_id=approver.id,
                    case_id=entry.case_id,
                    details={
                        "exception": "fee_waived",
                        "payment": payment.id,
                        "amount_fen": entry.amount_fen,
                        "clerk": user.id,
                        "reason": entry.waiver_reason,
                    },
                )
            return self._to_payment(payment, row.case_number, user.display_name)

    @staticmethod
    def _to_payment(row: FeePaymentRow, case_number: str, user_name: str, voider: str = "") -> FeePayment:
        from workstation.fees import FeeMethod, FeePayment

        return FeePayment(
            id=row.id,
            case_id=row.case_id,
            case_number=case_number,
            amount_fen=row.amount_fen,
            method=FeeMethod(row.method),
            items=tuple(i for i in row.items.split(",") if i),
            reference=row.reference,
            bill_no=row.bill_no,
            user_id=row.user_id,
            user_name=user_name,
            at=row.at,
            voided_at=row.voided_at,
            voided_by=row.voided_by,
            voided_by_name=voider,
        )

    def fee_payments(self, case_id: uuid.UUID) -> list[FeePayment]:
        """The fee records of a case, oldest first (voided ones included)."""
        clerk, voider = aliased(UserRow), aliased(UserRow)
        stmt = (
            select(FeePaymentRow, CaseRow.case_number, clerk.display_name, voider.display_name)
            .join(CaseRow, CaseRow.id == FeePaymentRow.case_id)
            .outerjoin(clerk, clerk.id == FeePaymentRow.user_id)
            .outerjoin(voider, voider.id == FeePaymentRow.voided_by)
            .where(FeePaymentRow.case_id == case_id)
            .order_by(FeePaymentRow.at, FeePaymentRow.id)
        )
        with self.snapshot() as s:
            return [self._to_payment(r, n, a or "", b or "") for r, n, a, b in s.execute(stmt).all()]

    def void_fee(self, payment_id: int, *, user: User, reason: str) -> FeePayment:
        """Void a mistaken fee record (never deleted); recorded in the audit log with the reason.

        Raises:
            PermissionDenied: not a supervisor or admin.
            InvalidUserData: no reason.
            FeeRefused: no such record, voided already, or its day signed off.
        """
        from workstation.fees import FeeRefused

        require(user, Action.VOID_FEE)
        if not reason.strip():
            raise InvalidUserData("“作废原因”不能为空：请写明作废这笔收费记录的原因。")
        now = self._clock()
        with self.transaction() as s:
            row = s.scalars(
                select(FeePaymentRow).where(FeePaymentRow.id == payment_id).with_for_update()
            ).one_or_none()
            if row is None:
                raise FeeRefused(f"找不到收费记录 {payment_id}；请刷新后重试。")
            case_row = self.case_row(s, row.case_id)
            if row.voided_at is not None:
                raise FeeRefused(
                    f"收费记录 {payment_id} 已于 {row.voided_at.astimezone():%m-%d %H:%M} 作废，"
                    "无需再次作废。"
                )
            self._refuse_if_closed(s, row.at, case_row.case_number, "作废当日的收费记录")
            row.voided_at = now
            row.voided_by = user.id
            self._audit_in(
                s,
                AuditKind.SUPERVISOR_ACTION,
                user_id=user.id,
                case_id=row.case_id,
                details={
                    "action": Action.VOID_FEE.value,
                    "payment": row.id,
                    "amount_fen": row.amount_fen,
                    "method": row.method,
                    "reason": reason.strip(),
                },
            )
            clerk = s.get(UserRow, row.user_id) if row.user_id is not None else None
            return self._to_payment(
                row, case_row.case_number, clerk.display_name if clerk else "", user.display_name
            )

    def _audit_head_text(self) -> str:
        head = self.audit_head()
        return f"#{head[0]} {head[1].hex()}" if head is not None else ""

    def _check_scope(self, scope: str) -> None:
        from workstation.day_report import OFFICE_SCOPE, DayNotClosable, window_scope

        own = window_scope(self._settings.office_code, self._settings.window_id)
        if scope == OFFICE_SCOPE and not self.shares_office_settings:
            raise DayNotClosable(
                "单机数据库只有本窗口的数据：请选择“本窗口”统计范围（全所报表需连接全所共享数据库）。"
            )
        if scope not in (OFFICE_SCOPE, own) and not self.shares_office_settings:
            raise DayNotClosable(f"本机只能生成本窗口（{own}）的日终报表。")

    def day_report(
        self, *, scope: str, day: date_type, user: User, office_name: str, type_names: Mapping[str, str]
    ) -> DayReport:
        """The end-of-day figures of one day and scope, as of now (not signed).

        Raises:
            PermissionDenied: not a supervisor or admin.
            DayNotClosable: the office scope on a one-window database.
        """
        from workstation.day_report import collect_day

        require(user, Action.VIEW_REPORTS)
        self._check_scope(scope)
        head = self._audit_head_text()
        with self.snapshot() as s:
            return collect_day(
                s,
                scope=scope,
                day=day,
                now=self._clock(),
                office_name=office_name,
                office_code=self._settings.office_code,
                type_names=type_names,
                audit_head=head,
            )

    def day_closing(self, scope: str, day: date_type) -> DayClosing | None:
        """The sign-off of a day and scope, or ``None``."""
        from workstation.day_report import DayClosing

        stmt = (
            select(DayClosingRow, UserRow.display_name)
            .join(UserRow, UserRow.id == DayClosingRow.signed_by)
            .where(DayClosingRow.scope == scope, DayClosingRow.day == day)
        )
        with self.snapshot() as s:
            found = s.execute(stmt.options(defer(DayClosingRow.pdf))).one_or_none()
        if found is None:
            return None
        row, name = found
        return DayClosing(
            row.id, row.scope, row.day, row.signed_by, name, row.signed_at, json.loads(row.summary)
        )

    def day_closing_pdf(self, closing_id: int) -> bytes:
        """The signed report's PDF, decrypted.

        Raises:
            PrintJobNotFound: no such sign-off, or no PDF kept.
        """
        with self.snapshot() as s:
            blob = s.scalar(select(DayClosingRow.pdf).where(DayClosingRow.id == closing_id))
        if blob is None:
            raise PrintJobNotFound(f"找不到日终报表 {closing_id} 的签字版本；请刷新后重试。")
        return self._cipher.decrypt(blob, table="day_closings", column="pdf", row=str(closing_id))

    def close_day(
        self,
        *,
        scope: str,
        day: date_type,
        username: str,
        password: str,
        office_name: str,
        type_names: Mapping[str, str],
        render: Callable[[DayReport], bytes],
    ) -> tuple[DayClosing, bytes]:
        """Sign off a day with the supervisor's own password, checked now: once per scope and day.

        The report is read, rendered with the signer's name and time, and stored (summary in clear,
        PDF encrypted with AAD ``day_closings|pdf|<id>``) with an audit entry, in one transaction.

        Returns:
            The sign-off and the signed PDF.

        Raises:
            LoginFailed, AccountLocked: wrong password or locked account.
            PermissionDenied: the account is not a supervisor or admin.
            DayAlreadyClosed: the day was signed off already (by whom and when is in the message).
            DayNotClosable: a future day, or the office scope on a one-window database.
        """
        from workstation.day_report import DayAlreadyClosed, DayClosing, DayNotClosable, scope_label

        if day > self._clock().astimezone().date():
            raise DayNotClosable(f"{day:%Y年%m月%d日}还没有到，不能签字确认；请选择今天或之前的日期。")
        self._check_scope(scope)

        def refuse(existing: DayClosing) -> DayAlreadyClosed:
            return DayAlreadyClosed(
                f"{day:%Y年%m月%d日}{scope_label(scope)}的日终报表已由{existing.signed_by_name}于 "
                f"{existing.signed_at.astimezone():%Y-%m-%d %H:%M} 签字确认，不能重复签字；"
                "可在“日终报表”中查看已签字的报表。"
            )

        existing = self.day_closing(scope, day)
        if existing is not None:
            raise refuse(existing)
        signer = require(self.authenticate(username, password), Action.CLOSE_DAY)
        report = self.day_report(
            scope=scope, day=day, user=signer, office_name=office_name, type_names=type_names
        )
        signed_at = self._clock()
        report = dataclasses.replace(report, signed_by=signer.display_name, signed_at=signed_at)
        pdf = render(report)
        summary = json.dumps(report.summary(), ensure_ascii=False, sort_keys=True)
        try:
            with self.transaction() as s:
                row = DayClosingRow(
                    scope=scope,
                    day=day,
                    signed_by=signer.id,
                    signed_at=signed_at,
                    summary=summary,
                    pdf=None,
                )
                s.add(row)
                s.flush()
                row.pdf = self._cipher.encrypt(pdf, table="day_closings", column="pdf", row=str(row.id))
                self._audit_in(
                    s,
                    AuditKind.APPROVAL,
                    user_id=signer.id,
                    details={
                        "approval": "day_closing",
                        "scope": scope,
                        "day": day.isoformat(),
                        "closing": row.id,
                        "reauthenticated": True,
                    },
                )
                closing_id = row.id
        except IntegrityError:
            existing = self.day_closing(scope, day)  # another supervisor signed it a moment earlier
            if existing is None:
                raise
            raise refuse(existing) from None
        closing = DayClosing(
            closing_id, scope, day, signer.id, signer.display_name, signed_at, json.loads(summary)
        )
        return closing, pdf

    def statistics(
        self, days: DayRange, *, user: User, type_names: Mapping[str, str] | None = None
    ) -> Statistics:
        """The supervisor's statistics over a range of local days (:mod:`workstation.statistics`).

        Raises:
            PermissionDenied: not a supervisor or admin.
            ValueError: an unusable range (Chinese message).
        """
        from workstation.statistics import compute_statistics

        require(user, Action.VIEW_REPORTS)
        with self.snapshot() as s:
            result = compute_statistics(s, days, dialect=self._dialect)
        return dataclasses.replace(result, type_names=dict(type_names or {}))

    def record_export(self, *, user: User, what: str, path: str, rows: int) -> int:
        """Audit an export of statistics (the file's name and size, never its content).

        Raises:
            PermissionDenied: the user may not export statistics.
        """
        require(user, Action.EXPORT_STATISTICS)
        return self.audit(
            AuditKind.EXPORT, user_id=user.id, details={"export": what, "file": Path(path).name, "rows": rows}
        )


class IdentityCheckNotFound(StorageError):
    """No identity check with this id (belongs in :mod:`workstation.storage.errors`)."""


# ------------------------------------------------------------------------------------ opening
def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (``None`` for an in-memory database)."""
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def backup_sqlite(db_file: Path, backup_dir: Path, *, label: str, now: datetime) -> Path:
    """Copy a live SQLite database (WAL included) with SQLite's online backup API.

    Returns:
        The backup file.
    """
    paths.ensure_private_dir(backup_dir)
    target = backup_dir / f"{db_file.stem}-{now:%Y%m%d-%H%M%S}-{label}.db"
    source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def _prepare_sqlite(engine: Engine, url: str, *, data_dir: Path, now: datetime) -> None:
    db_file = sqlite_path(url)
    with translated_errors(), engine.begin() as conn:
        current = migrate.current_revision(conn)
        tables = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'table'").scalar()
    if current == migrate.head_revision():
        return
    if current is not None:
        migrate.check_schema_known(current)
    if tables and db_file is not None:  # an existing database, not a new empty file
        backup_sqlite(db_file, data_dir / "backups", label=f"rev{current or 'base'}", now=now)
    with translated_errors(), engine.begin() as conn:
        migrate.upgrade_connection(conn)


def _unlock_data_key(engine: Engine, protector: KeyProtector, now: datetime) -> FieldCipher:
    with translated_errors(), Session(engine) as s, s.begin():
        rows = s.scalars(select(DataKeyRow)).all()
        mine = next((r for r in rows if r.key_id == protector.key_id), None)
        if mine is not None:
            return FieldCipher(protector.unwrap(mine.wrapped))
        if rows:
            raise KeyUnavailable(
                "本窗口的本机密钥与数据库不匹配，无法读取加密的个人信息。共享数据库的各窗口必须使用同一个本机密钥文件："
                "请系统管理员把已在使用的窗口上的密钥文件（machine.key）复制到本窗口，或检查“本机密钥文件”设置。"
            )
        data_key = generate_data_key()
        kind = protector.key_id.split(":", 1)[0]
        s.add(
            DataKeyRow(
                key_id=protector.key_id, protector=kind, wrapped=protector.wrap(data_key), created_at=now
            )
        )
    return FieldCipher(data_key)


def open_store(
    settings: Settings,
    *,
    protector: KeyProtector | None = None,
    data_dir: Path | None = None,
    clock: Clock = utc_now,
    hasher: PasswordHasher | None = None,
) -> SqlStore:
    """Open (and for SQLite, create or upgrade) the database named by the settings.

    Args:
        settings: the effective settings (``database_url``, key protector, office and window).
        protector: the machine key protector; chosen from the settings when not given.
        data_dir: the data folder (backups, default key file); the machine's by default.
        clock: the time source.
        hasher: the password hasher.

    Raises:
        SchemaMismatch: PostgreSQL schema not the expected version, or an SQLite file from a newer program.
        DatabaseUnavailable: the database cannot be reached.
        KeyUnavailable: the machine key is missing or does not match the database.
    """
    url = settings.database_url
    folder = data_dir if data_dir is not None else paths.data_dir()
    sqlite_db = is_sqlite(url)
    if sqlite_db:
        db_file = sqlite_path(url)
        if db_file is not None:
            paths.ensure_private_dir(db_file.parent)
    engine = make_engine(url)
    try:
        if sqlite_db:
            _prepare_sqlite(engine, url, data_dir=folder, now=clock())
        else:
            with translated_errors(), engine.connect() as conn:
                migrate.check_schema(conn)
        if protector is None:
            protector = choose_protector(
                settings.key_protector,
                data_dir=folder,
                key_file=settings.machine_key_file,
                shared_database=not sqlite_db,
            )
        cipher = _unlock_data_key(engine, protector, clock())
    except BaseException:
        engine.dispose()
        raise
    return SqlStore(engine, settings=settings, cipher=cipher, clock=clock, hasher=hasher)


__all__: Sequence[str] = ("SqlStore", "backup_sqlite", "format_case_number", "open_store", "upgrade_database")
