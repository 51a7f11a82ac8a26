"""What the application and the CLI use of local storage: value types and the store's interface.

The GUI and the CLI depend on these names only; :mod:`workstation.storage.store` implements them
over SQLAlchemy (SQLite or PostgreSQL). Every call here may block on the database, so the GUI calls
them from its database executor, never on the UI thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from forms.case import Case


class Role(StrEnum):
    """What a user may do; checked in the operations layer, not only by hiding buttons."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    """A signed-in or listed local user."""

    id: int
    username: str
    display_name: str
    role: Role
    active: bool = True


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list, personal data already decrypted for display."""

    id: uuid.UUID
    case_number: str
    business_type: str
    state: str
    applicants: str  # names of the right-holders and obligors, "、"-joined
    unit_number: str
    location: str
    clerk: str
    updated_at: datetime


@dataclass(frozen=True)
class Draft:
    """The journalled form state of a case as typed, possibly incomplete or invalid.

    ``data`` has the shape of the case JSON, but leaf values are what the clerk typed (strings that
    may not parse yet). ``page`` names the wizard page the clerk was on.
    """

    case_id: uuid.UUID
    case_number: str
    data: dict[str, Any]
    page: str
    saved_at: datetime
    user_id: int


@dataclass(frozen=True)
class StateChange:
    """One recorded transition of a case's state."""

    from_state: str | None
    to_state: str
    at: datetime
    user_id: int | None
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PrintJob:
    """One recorded print (or save) of a set of documents of a case; the PDF is fetched separately.

    Attributes:
        id: the job's id (pass it to ``Store.print_job_pdf`` to reprint).
        case_id: the case printed.
        documents: the document ids (``printing.DOCUMENTS`` keys), in set order.
        printer: the printer's name; ``""`` when the set was saved to a file.
        copies: copies sent to the printer (0 when none got through).
        status: ``printed``, ``failed`` or ``saved``.
        job_ref: the print system's job ids (comma-separated) of the copies that got through.
        user_id: who printed it.
        user_name: that user's display name (``""`` when the user is gone).
        at: when (UTC).
        error: why a failed job failed, as the clerk was told (``""`` otherwise).
    """

    id: int
    case_id: uuid.UUID
    documents: tuple[str, ...]
    printer: str
    copies: int
    status: str
    job_ref: str
    user_id: int | None
    user_name: str
    at: datetime
    error: str = ""


@dataclass(frozen=True)
class Attachment:
    """A stored scan: one material's pages as one PDF, kept encrypted (issue #6); data fetched separately.

    Attributes:
        id: the attachment's id (listed in ``MaterialRecord.attachment_ids``).
        case_id: the case it belongs to.
        material_code: the checklist item (``MaterialRecord.code``).
        media_type: ``application/pdf``.
        pages: pages in the document.
        size: bytes of the (decrypted) document.
        sha256: hex digest of the decrypted document.
        user_id: who stored it.
        created_at: when (UTC).
    """

    id: str
    case_id: uuid.UUID
    material_code: str
    media_type: str
    pages: int
    size: int
    sha256: str
    user_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class IdentityCheck:
    """One stored identity and face check of a party (人证核验记录, issue #7); images fetched separately.

    Attributes:
        id: the check's id.
        case_id: the case.
        party_id: the party checked (``Party.id``).
        decision: ``accepted``, ``rejected`` or ``overridden``.
        record: the check as ``scanning.face.FaceCheckRecord.to_json_dict()`` (no images), decrypted.
        user_id: the clerk who ran the check.
        user_name: that clerk's display name ("" when gone).
        supervisor_id: the supervisor who overrode a rejection (``None`` otherwise).
        supervisor_name: that supervisor's display name ("" when none).
        at: when the check was recorded (UTC).
    """

    id: int
    case_id: uuid.UUID
    party_id: str
    decision: str
    record: dict[str, Any]
    user_id: int | None
    user_name: str
    supervisor_id: int | None
    supervisor_name: str
    at: datetime


class Store(Protocol):
    """Local storage of users, cases, drafts and versions."""

    # users ------------------------------------------------------------------------------
    def user_count(self) -> int:
        """How many users exist (the first admin may be created without signing in only at 0)."""
        ...

    def add_user(self, *, username: str, display_name: str, password: str, role: Role) -> User:
        """Create a user; raises ``StorageError`` subclasses with Chinese messages."""
        ...

    def list_users(self) -> list[User]:
        """All users, active or not."""
        ...

    def set_user_active(self, username: str, active: bool) -> User:
        """Disable or re-enable a user."""
        ...

    def set_password(self, username: str, password: str) -> User:
        """Set a new password (admin reset, demo set-up); clears a lockout."""
        ...

    def authenticate(self, username: str, password: str) -> User:
        """Check a password; raises ``LoginFailed`` or ``AccountLocked`` (lockout after failures)."""
        ...

    # cases ------------------------------------------------------------------------------
    def create_case(self, *, business_type: str, user: User) -> Case:
        """Start a case: a new UUID, the next case number for this office and window, state draft."""
        ...

    def save_draft(self, case_id: uuid.UUID, data: dict[str, Any], *, page: str, user: User) -> None:
        """Journal what was typed (cheap, called within 2 s of each keystroke burst)."""
        ...

    def load_draft(self, case_id: uuid.UUID) -> Draft | None:
        """The latest journalled state, or ``None``."""
        ...

    def open_drafts(self, user: User | None = None) -> list[Draft]:
        """Drafts not yet submitted (after a crash the app offers these back)."""
        ...

    def save_version(self, case: Case, *, reason: str, user: User) -> int:
        """Keep a full version of the case (at each wizard page change and at submit); returns its number."""
        ...

    def load_case(self, case_id: uuid.UUID) -> tuple[Case, str]:
        """The latest version of a case and its state."""
        ...

    def import_case(self, case: Case, *, user: User) -> Case:
        """Store a case read from a file (keeps its id; assigns a case number when it has none)."""
        ...

    def transition(self, case_id: uuid.UUID, to_state: str, *, user: User, reason: str = "") -> None:
        """Change the state, checked by :mod:`forms.states`, and record the change."""
        ...

    def history(self, case_id: uuid.UUID) -> list[StateChange]:
        """Every recorded state change, oldest first."""
        ...

    def search(self, text: str = "", *, limit: int = 50, offset: int = 0) -> list[CaseSummary]:
        """Cases matching a case number (prefix), unit number (prefix) or exact name, ID number or phone.

        Empty text lists the most recently updated cases.
        """
        ...

    # print jobs and office secrets (issue #4) -----------------------------------------------
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
        """Record a print of a case's documents, the PDF kept encrypted for reprints; returns its id."""
        ...

    def print_jobs(self, case_id: uuid.UUID) -> list[PrintJob]:
        """The case's recorded prints, newest first (without the PDFs)."""
        ...

    def print_job_pdf(self, job_id: int) -> bytes:
        """The exact PDF a recorded print sent; raises ``PrintJobNotFound`` when none is kept."""
        ...

    def office_secret(self, name: str, *, create: Callable[[], bytes] | None = None) -> bytes:
        """An office secret (e.g. ``receipt_key``), created once with ``create`` and shared by every window.

        Raises ``SecretMissing`` when it does not exist and ``create`` is ``None``.
        """
        ...

    # scanned attachments (issue #6) --------------------------------------------------------
    def seal(self, data: bytes, purpose: str) -> bytes:
        """Encrypt bytes kept outside the database (scan recovery pages) under the data key.

        ``purpose`` is bound to the ciphertext: :meth:`unseal` with another purpose fails.
        """
        ...

    def unseal(self, blob: bytes, purpose: str) -> bytes:
        """Decrypt what :meth:`seal` made; raises ``DecryptionFailed`` on a wrong key or purpose."""
        ...

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
        """Store a scanned document of a case, encrypted; returns its record."""
        ...

    def attachments(self, case_id: uuid.UUID) -> list[Attachment]:
        """The case's stored scans, oldest first (without their data)."""
        ...

    def attachment_data(self, attachment_id: str) -> bytes:
        """The decrypted document; raises ``AttachmentNotFound`` when there is none."""
        ...

    def delete_attachment(self, attachment_id: str) -> None:
        """Remove a stored scan (nothing happens when it does not exist)."""
        ...

    # identity checks (issue #7) ---------------------------------------------------------------
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
        """Store one face check of a party, the record and both images encrypted; returns it."""
        ...

    def identity_checks(self, case_id: uuid.UUID, party_id: str | None = None) -> list[IdentityCheck]:
        """The case's checks (of one party when given), oldest first, without images."""
        ...

    def identity_check(self, check_id: int) -> IdentityCheck:
        """One check; raises ``IdentityCheckNotFound``."""
        ...

    def identity_check_images(self, check_id: int) -> tuple[bytes | None, bytes | None]:
        """The decrypted live and reference images (JPEG) of a check."""
        ...

    def override_identity_check(
        self, check_id: int, *, record: dict[str, Any], supervisor: User
    ) -> IdentityCheck:
        """Mark a rejected check overridden by a supervisor (role checked again from the users table)."""
        ...
