"""The database tables (SQLAlchemy 2 declarative models).

Personal data (names, ID numbers, phones, addresses — and therefore every case JSON, draft and
free-text reason) is stored only encrypted by :mod:`workstation.storage.crypto`, in ``LargeBinary``
columns whose associated data is ``table|column|row``. Case number and unit number are not personal
data and stay in clear, indexed for prefix search. Exact search on names, ID numbers and phones goes
through keyed digests in ``case_search_keys``.

The schema itself is created by the Alembic migrations in :mod:`workstation.storage.migrations`, never
by ``metadata.create_all``; a test checks that the migrations produce these models.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; SQLite gets the naive UTC value."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def ascii_key(length: int) -> String:
    """A string column compared byte-wise ("C" collation on PostgreSQL) so prefix ranges use the index."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class Base(DeclarativeBase):
    """Base of all models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime,
        uuid.UUID: Uuid,
        bytes: LargeBinary,
    }


class UserRow(Base):
    """A local user (clerk, supervisor, administrator)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, PHC string
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class CaseRow(Base):
    """A case: clear bookkeeping columns and the encrypted latest case JSON."""

    __tablename__ = "cases"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(ascii_key(40), unique=True)
    business_type: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(20))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unit_number: Mapped[str] = mapped_column(ascii_key(28), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    data: Mapped[bytes]  # encrypted case JSON; AAD cases|data|<id>
    # The clerk's first keystroke on the case, for the handling time at the window (first keystroke to
    # submit) in the supervisor's statistics; NULL for cases imported or created before migration 0006.
    intake_started_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_cases_updated_at", "updated_at", "id"),
        Index("ix_cases_unit_number", "unit_number"),
        Index("ix_cases_state_updated_at", "state", "updated_at"),
    )


class CaseSearchKeyRow(Base):
    """A keyed digest of one personal value of a case (for exact-match search)."""

    __tablename__ = "case_search_keys"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    digest: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)

    __table_args__ = (Index("ix_case_search_keys_digest", "digest"),)


class CaseVersionRow(Base):
    """A full version of a case, kept at each page change and at submit."""

    __tablename__ = "case_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    n: Mapped[int]
    data: Mapped[bytes]  # encrypted case JSON; AAD case_versions|data|<case_id>/<n>
    reason: Mapped[str] = mapped_column(String(60))  # a short code such as "page:parties" or "submit"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("case_id", "n"),)


class DraftRow(Base):
    """The journal: the latest typed state of a case (one row per case, overwritten)."""

    __tablename__ = "drafts"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes]  # encrypted raw form JSON; AAD drafts|data|<case_id>
    page: Mapped[str] = mapped_column(String(60))
    saved_at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CaseEventRow(Base):
    """One state transition of a case."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    n: Mapped[int]
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    payload: Mapped[bytes]  # encrypted {"reason", "details"}; AAD case_events|payload|<case_id>/<n>

    __table_args__ = (UniqueConstraint("case_id", "n"),)


class CaseNumberSequenceRow(Base):
    """The next case-number sequence value per office, window and day."""

    __tablename__ = "case_number_sequences"

    office_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    window_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    next_value: Mapped[int]


class OfficeSettingRow(Base):
    """An office setting shared by every window of a PostgreSQL office (JSON value)."""

    __tablename__ = "office_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class UserPrefRow(Base):
    """A user preference (JSON value)."""

    __tablename__ = "user_prefs"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class DataKeyRow(Base):
    """The data key wrapped by one machine key (``key_id`` is the machine key's fingerprint)."""

    __tablename__ = "data_keys"

    key_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    protector: Mapped[str] = mapped_column(String(20))
    wrapped: Mapped[bytes]
    created_at: Mapped[datetime]


class PrintJobRow(Base):
    """One printed (or saved) set of documents of a case, with the PDF kept encrypted for reprints."""

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    documents: Mapped[str] = mapped_column(String(200))  # document ids, comma-separated
    printer: Mapped[str] = mapped_column(String(200))  # printer name, or "" when saved to a file
    copies: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20))  # printed / failed / saved
    job_ref: Mapped[str] = mapped_column(String(100), default="")  # the print system's job id
    error: Mapped[str | None] = mapped_column(String(500))  # why it failed, as the clerk saw it
    pdf: Mapped[bytes | None]  # encrypted PDF; AAD print_jobs|pdf|<case_id>/<id>
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]

    __table_args__ = (
        Index("ix_print_jobs_case_id_at", "case_id", "at"),
        Index("ix_print_jobs_at", "at"),  # receipts printed in a day (end-of-day report)
    )


class OfficeSecretRow(Base):
    """A secret shared by the office's windows (e.g. the receipt verification key), encrypted."""

    __tablename__ = "office_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[bytes]  # encrypted; AAD office_secrets|value|<name>
    created_at: Mapped[datetime]


# ------------------------------------------------------------------------------------ outbox (issue 5)
class OutboxLegRow(Base):
    """One leg of the outbox: one package for one department (``sync.outbox.LegState``).

    ``package_id`` is the idempotency key sent to the department. ``manifest`` is the signed package's
    exact canonical JSON, built at submit, so a retry is byte-identical. ``lease_owner`` and
    ``lease_until`` are the claiming worker's time-limited lease (``state = 'sending'``).
    """

    __tablename__ = "outbox_legs"

    package_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    department: Mapped[str] = mapped_column(String(20))
    case_version: Mapped[int]
    supersedes: Mapped[uuid.UUID | None]
    state: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error_kind: Mapped[str | None] = mapped_column(String(40))  # exception class, no personal data
    last_error: Mapped[bytes | None]  # encrypted message; AAD outbox_legs|last_error|<package_id>
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    manifest: Mapped[bytes]  # encrypted canonical JSON; AAD outbox_legs|manifest|<package_id>
    receipt_no: Mapped[str | None] = mapped_column(String(60))
    answer: Mapped[bytes | None]  # encrypted department answer; AAD outbox_legs|answer|<package_id>
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_outbox_legs_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_outbox_legs_case_id", "case_id", "department"),
        Index("ix_outbox_legs_created_at", "created_at"),  # backlog over time (statistics)
        Index("ix_outbox_legs_delivered_at", "delivered_at"),
    )


class OutboxBlobRow(Base):
    """An attachment (scan) stored by content hash, encrypted, readable by any worker of the office."""

    __tablename__ = "outbox_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes]  # encrypted bytes; AAD outbox_blobs|data|<sha256>
    created_at: Mapped[datetime]


class OutboxLegBlobRow(Base):
    """Which blobs a leg carries (so a blob is kept until every leg carrying it is delivered)."""

    __tablename__ = "outbox_leg_blobs"

    package_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("outbox_legs.package_id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(ForeignKey("outbox_blobs.sha256"), primary_key=True)

    __table_args__ = (Index("ix_outbox_leg_blobs_sha256", "sha256"),)


# ------------------------------------------------------------------------------ identity checks (#7)
class IdentityCheckRow(Base):
    """One identity and face check of one party, with both images encrypted (人证核验记录).

    ``record`` is the check's JSON (distance, threshold, liveness reasons, decision) without images.
    An override by a supervisor fills ``decision = 'overridden'`` and ``supervisor_id``; the reason is
    inside the encrypted record.
    """

    __tablename__ = "identity_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    party_id: Mapped[str] = mapped_column(String(40))
    decision: Mapped[str] = mapped_column(String(20))  # accepted / rejected / overridden
    record: Mapped[bytes]  # encrypted JSON; AAD identity_checks|record|<case_id>/<id>
    live_image: Mapped[bytes | None]  # encrypted JPEG; AAD identity_checks|live_image|<case_id>/<id>
    reference_image: Mapped[bytes | None]  # encrypted; AAD identity_checks|reference_image|<case_id>/<id>
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]
    # Set when the retention run deleted both images (the back ends confirmed they hold the case).
    images_purged_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_identity_checks_case_id_party_id", "case_id", "party_id"),)


# ------------------------------------------------------------------------------ scanned materials (#6)
class AttachmentRow(Base):
    """A scanned document (a PDF of one material's pages), encrypted; ``MaterialRecord.attachment_ids``."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    material_code: Mapped[str] = mapped_column(String(60))
    media_type: Mapped[str] = mapped_column(String(60))
    pages: Mapped[int]
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))  # of the plaintext, for the sync blobs
    data: Mapped[bytes | None]  # encrypted; AAD attachments|data|<id>; NULL once purged
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    # Set when the retention run deleted the local copy (the back ends confirmed they hold it).
    purged_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_attachments_case_id", "case_id", "material_code"),)


# ------------------------------------------------------------------------------ audit log (#8)
class AuditEntryRow(Base):
    """One entry of the chained, keyed audit log (:mod:`workstation.audit`).

    ``mac`` is HMAC-SHA256 under the audit key over the previous entry's ``mac`` and this entry's
    canonical content (every other column). No personal data in clear: ``details`` is encrypted
    (AAD ``audit_log|details|<seq>``); the rest are ids, codes and times. No foreign keys: an entry
    outlives the user or case it names.
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int | None]
    case_id: Mapped[uuid.UUID | None]
    window: Mapped[str] = mapped_column(String(30))  # office code and window id of the writer
    details: Mapped[bytes | None]  # encrypted JSON; AAD audit_log|details|<seq>
    mac: Mapped[bytes] = mapped_column(LargeBinary(32))

    __table_args__ = (Index("ix_audit_log_case_id", "case_id"),)


class AuditHeadRow(Base):
    """The chain head (one row, ``id = 1``): locked by every append, so windows append in turn."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int]
    mac: Mapped[bytes] = mapped_column(LargeBinary(32))


# ------------------------------------------------------------------------------ fees and end of day (#8)


class FeePaymentRow(Base):
    """A fee collected at the window (登记费, 工本费), by payment method, for the end-of-day report.

    No personal data: amounts in fen, a method code, the fee item codes, the POS or QR trace number and
    the office's bill number. A mistaken entry is voided (``voided_at``, ``voided_by``), never deleted.
    """

    __tablename__ = "fee_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    amount_fen: Mapped[int]
    method: Mapped[str] = mapped_column(String(20))  # cash, card, wechat, alipay, unionpay_qr…
    items: Mapped[str] = mapped_column(String(200))  # fee item codes, comma-separated
    reference: Mapped[str] = mapped_column(String(60), default="")  # POS or QR trace number
    bill_no: Mapped[str] = mapped_column(String(40), default="")  # the office's fee bill (票据) number
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]
    voided_at: Mapped[datetime | None]
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        Index("ix_fee_payments_at", "at"),
        Index("ix_fee_payments_case_id", "case_id"),
    )


class DayClosingRow(Base):
    """A supervisor's sign-off of one window's (or the whole office's) day: the end-of-day report.

    ``summary`` is the report's JSON (counts and totals, case numbers; no personal data); ``pdf`` is the
    signed report, encrypted (AAD ``day_closings|pdf|<id>``). One sign-off per scope and day.
    """

    __tablename__ = "day_closings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(30))  # "office" or the window's office code/window id
    day: Mapped[date] = mapped_column(Date)
    signed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime]
    summary: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes | None]

    __table_args__ = (UniqueConstraint("scope", "day"),)


# The supervisor's queues filter by clerk, business type and age within a state (issue 8).
Index("ix_cases_clerk_id_state_updated_at", CaseRow.clerk_id, CaseRow.state, CaseRow.updated_at)
Index("ix_cases_business_type_state_updated_at", CaseRow.business_type, CaseRow.state, CaseRow.updated_at)
Index("ix_cases_state_created_at", CaseRow.state, CaseRow.created_at)
Index("ix_cases_business_type_created_at_state", CaseRow.business_type, CaseRow.created_at, CaseRow.state)
