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

import json
import sqlite3
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, and_, delete, func, insert, or_, select, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from forms.case import Case, PartyRole
from forms.states import CaseState, check_transition, held_from_state
from workstation import paths
from workstation.config import Settings
from workstation.storage import migrate
from workstation.storage.api import CaseSummary, Draft, PrintJob, Role, StateChange, User
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
    CaseExists,
    CaseNotFound,
    InvalidUserData,
    KeyUnavailable,
    LoginFailed,
    PrintJobNotFound,
    SecretMissing,
    StorageError,
    UserExists,
    UserNotFound,
)
from workstation.storage.models import (
    CaseEventRow,
    CaseNumberSequenceRow,
    CaseRow,
    CaseSearchKeyRow,
    CaseVersionRow,
    DataKeyRow,
    DraftRow,
    OfficeSecretRow,
    OfficeSettingRow,
    PrintJobRow,
    UserPrefRow,
    UserRow,
)

OPEN_DRAFT_STATES: Final = (CaseState.DRAFT.value, CaseState.READY.value, CaseState.RETURNED.value)
"""States whose draft is still being edited (returned cases are corrected and submitted again)."""

MIN_PASSWORD_LENGTH: Final = 8
DENSE_PREFIX_MATCHES: Final = 5000
"""A prefix matching at least this many cases is searched through the ``updated_at`` index (SQLite)."""
_PREFIX_END: Final = "\U0010ffff"
_USERNAME_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")

Clock = Callable[[], datetime]


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

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with translated_errors(), Session(self._engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with translated_errors(), Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    # ----------------------------------------------------------------------------- users
    def user_count(self) -> int:
        """How many users exist."""
        with self._read() as s:
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
            with self._write() as s:
                s.add(row)
                s.flush()
                return _to_user(row)
        except IntegrityError as exc:
            raise UserExists(f"用户名“{username}”已存在，请换一个用户名。") from exc

    def list_users(self) -> list[User]:
        """All users, active or not, by user name."""
        with self._read() as s:
            return [_to_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.username))]

    def _user_row(self, s: Session, username: str) -> UserRow:
        row = s.scalars(select(UserRow).where(UserRow.username == username).with_for_update()).one_or_none()
        if row is None:
            raise UserNotFound(f"没有用户名为“{username}”的用户，请检查拼写。")
        return row

    def set_user_active(self, username: str, active: bool) -> User:
        """Disable or re-enable a user; re-enabling also clears a lockout."""
        with self._write() as s:
            row = self._user_row(s, username)
            row.active = active
            if active:
                row.failed_attempts = 0
                row.locked_until = None
            return _to_user(row)

    def set_password(self, username: str, password: str) -> User:
        """Set a new password (administrator reset); clears a lockout."""
        self._check_password(password)
        with self._write() as s:
            row = self._user_row(s, username)
            row.password_hash = self._hasher.hash(password)
            row.failed_attempts = 0
            row.locked_until = None
            return _to_user(row)

    def authenticate(self, username: str, password: str) -> User:
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
        with self._write() as s:
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

    def _add_event(
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
        n = int(
            s.scalar(
                select(func.coalesce(func.max(CaseEventRow.n), 0)).where(CaseEventRow.case_id == case_id)
            )
            or 0
        )
        n += 1
        payload = self._cipher.encrypt_json(
            {"reason": reason, "details": details or {}},
            table="case_events",
            column="payload",
            row=f"{case_id}/{n}",
        )
        s.add(
            CaseEventRow(
                case_id=case_id,
                n=n,
                from_state=from_state,
                to_state=to_state,
                at=at,
                user_id=user_id,
                payload=payload,
            )
        )

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
        with self._write() as s:
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
            self._add_event(s, case.id, None, CaseState.DRAFT.value, at=now, user_id=user.id, reason="新建")
        return case

    def import_case(self, case: Case, *, user: User) -> Case:
        """Store a case read from a file as version 1 in state ``draft``.

        Raises:
            CaseExists: a case with this id or case number is already stored.
        """
        now = self._clock()
        try:
            with self._write() as s:
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
                self._add_version(s, case, n=1, reason="import", user_id=user.id, at=now)
                self._replace_search_keys(s, case)
                self._add_event(
                    s, case.id, None, CaseState.DRAFT.value, at=now, user_id=user.id, reason="导入"
                )
        except IntegrityError as exc:
            raise CaseExists(
                f"受理编号“{case.case_number}”已被另一个案件使用；请删除文件中的受理编号后重新导入。"
            ) from exc
        return case

    def _add_version(
        self, s: Session, case: Case, *, n: int, reason: str, user_id: int | None, at: datetime
    ) -> None:
        data = self._cipher.encrypt(
            case.model_dump_json().encode(), table="case_versions", column="data", row=f"{case.id}/{n}"
        )
        s.add(CaseVersionRow(case_id=case.id, n=n, data=data, reason=reason[:60], user_id=user_id, at=at))

    def _case_row(self, s: Session, case_id: uuid.UUID, *, lock: bool = False) -> CaseRow:
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
        with self._write() as s:
            row = self._case_row(s, case.id, lock=True)
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
            self._add_version(s, case, n=n, reason=reason, user_id=user.id, at=now)
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
        with self._read() as s:
            row = self._case_row(s, case_id)
            plain = self._cipher.decrypt(row.data, table="cases", column="data", row=str(row.id))
            return Case.model_validate_json(plain), row.state

    def versions(self, case_id: uuid.UUID) -> list[tuple[int, str, datetime, Case]]:
        """Every kept version of a case, oldest first: ``(n, reason, at, case)``."""
        with self._read() as s:
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
            with translated_errors(), self._writer.begin() as conn:
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
        with self._read() as s:
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
        with self._read() as s:
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
        with self._write() as s:
            row = self._case_row(s, case_id, lock=True)
            held_from = None
            if row.state == CaseState.ON_HOLD.value:
                pairs = s.execute(
                    select(CaseEventRow.from_state, CaseEventRow.to_state)
                    .where(CaseEventRow.case_id == case_id)
                    .order_by(CaseEventRow.n)
                ).all()
                held_from = held_from_state((a, b) for a, b in pairs)
            target = check_transition(row.state, to_state, reason=reason, held_from=held_from)
            self._add_event(s, case_id, row.state, target.value, at=now, user_id=user.id, reason=reason)
            row.state = target.value
            row.updated_at = now

    def history(self, case_id: uuid.UUID) -> list[StateChange]:
        """Every recorded state change, oldest first."""
        with self._read() as s:
            rows = s.scalars(
                select(CaseEventRow).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.n)
            ).all()
        changes = []
        for r in rows:
            payload = self._cipher.decrypt_json(
                r.payload, table="case_events", column="payload", row=f"{case_id}/{r.n}"
            )
            changes.append(
                StateChange(
                    from_state=r.from_state,
                    to_state=r.to_state,
                    at=r.at,
                    user_id=r.user_id,
                    reason=payload["reason"],
                    details=payload["details"],
                )
            )
        return changes

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
        with self._read() as s:
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
        with self._read() as s:
            return {r.key: json.loads(r.value) for r in s.scalars(select(OfficeSettingRow))}

    def set_office_setting(self, key: str, value: Any) -> None:
        """Store one office setting (JSON value)."""
        with self._write() as s:
            s.merge(
                OfficeSettingRow(
                    key=key, value=json.dumps(value, ensure_ascii=False), updated_at=self._clock()
                )
            )

    def delete_office_setting(self, key: str) -> None:
        """Remove one office setting."""
        with self._write() as s:
            s.execute(delete(OfficeSettingRow).where(OfficeSettingRow.key == key))

    def user_prefs(self, user_id: int) -> dict[str, Any]:
        """One user's preferences."""
        with self._read() as s:
            rows = s.scalars(select(UserPrefRow).where(UserPrefRow.user_id == user_id))
            return {r.key: json.loads(r.value) for r in rows}

    def set_user_pref(self, user_id: int, key: str, value: Any) -> None:
        """Store one user preference (JSON value)."""
        with self._write() as s:
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
        with self._write() as s:
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
    ) -> int:
        """Record one print of a case's documents; the PDF is encrypted (AAD ``print_jobs|pdf|<case>/<id>``).

        Args:
            case_id: the case printed.
            documents: the document ids, in set order.
            printer: the printer's name (``""`` when saved to a file).
            copies: copies sent.
            status: ``printed``, ``failed`` or ``saved``.
            job_ref: the print system's job ids, or a failed job's reason (cut to 100 characters).
            pdf: the PDF sent, kept for reprints (``None``: not kept).
            user: who printed.

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
        with self._write() as s:
            self._case_row(s, case_id)
            row = PrintJobRow(
                case_id=case_id,
                documents=docs[:200],
                printer=printer[:200],
                copies=copies,
                status=status,
                job_ref=job_ref[:100],
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
            return row.id

    def print_jobs(self, case_id: uuid.UUID) -> list[PrintJob]:
        """The recorded prints of a case, newest first, without their PDFs."""
        stmt = (
            select(PrintJobRow, UserRow.display_name)
            .outerjoin(UserRow, UserRow.id == PrintJobRow.user_id)
            .where(PrintJobRow.case_id == case_id)
            .order_by(PrintJobRow.at.desc(), PrintJobRow.id.desc())
        )
        with self._read() as s:
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
                )
                for r, name in rows
            ]

    def print_job_pdf(self, job_id: int) -> bytes:
        """The exact PDF of a recorded print.

        Raises:
            PrintJobNotFound: no such job, or its PDF was not kept.
            DecryptionFailed: the stored PDF does not decrypt here.
        """
        with self._read() as s:
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
        with self._read() as s:
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
            with self._write() as s:
                s.execute(insert_once)
                blob = s.scalar(stmt)  # ours, or the one another window stored first
            assert blob is not None
        return self._cipher.decrypt(blob, table="office_secrets", column="value", row=name)


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
