"""Identity checks in the workstation (issue #7), Qt-free: the reference photo, the record, the override.

The face-check panel runs :func:`run_check` on a device thread and hands the resulting
:class:`~scanning.face.FaceCheckRecord` to :func:`save_check` on the database executor; the store keeps
the record and both images encrypted. A rejected check stays recorded; :func:`override_check` lets a
supervisor or admin accept it with a reason, after authenticating them through the store and checking
their role here (the store checks the role again). :func:`print_records` turns the stored checks into
the rows of the 人证核验记录 (``printing.IdentityCheckRecord``).

Nothing here logs or puts personal data (names, numbers, photos) in a message.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

from forms.case import IdType
from forms.messages import label
from scanning.errors import FaceError, OverrideNotAllowed, PhotoError
from scanning.face.record import Decision, FaceCheckRecord, override
from scanning.face.results import ReferenceSource
from scanning.face.settings import FaceSettings
from workstation.retention import PHOTOS_PURGED_NOTE
from workstation.storage.api import IdentityCheck, Role, User

if TYPE_CHECKING:
    from printing.context import IdentityCheckRecord
    from scanning.face.camera import Camera
    from scanning.face.check import Cancel, FaceCheckProgress
    from scanning.face.matcher import Reference
    from scanning.idcard.record import IdCardRecord
    from scanning.idcard.wlt import WltDecoder
    from scanning.passport.record import PassportRecord

OVERRIDE_ROLES: Final = frozenset({Role.SUPERVISOR, Role.ADMIN})
"""Who may accept a rejected face check (issue #7: "only by a supervisor")."""

METHODS: Final = {
    ReferenceSource.ID_CHIP: "读卡 + 芯片照片比对 + 活体检测",
    ReferenceSource.PASSPORT_DG2: "护照芯片读取 + 照片比对 + 活体检测",
    ReferenceSource.CARD_SCAN: "证件扫描件照片比对 + 活体检测",
}
"""How each kind of check is described on the printed 人证核验记录."""


class ReferenceMissing(FaceError):
    """No document photo to compare the live face with; the message says what is missing and what to do."""


class IdentityStore(Protocol):
    """The part of :class:`workstation.storage.api.Store` identity checks use."""

    def authenticate(self, username: str, password: str) -> User:
        """Check a password."""
        ...

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
        """Store one check."""
        ...

    def identity_check(self, check_id: int) -> IdentityCheck:
        """One check."""
        ...

    def override_identity_check(
        self, check_id: int, *, record: dict[str, Any], supervisor: User
    ) -> IdentityCheck:
        """Mark a rejected check overridden."""
        ...


# ----------------------------------------------------------------------------------- party fields
PARTY_FIELD_ORDER: Final = ("id_type", "id_number", "name", "sex", "birth_date", "nationality", "address")
"""The party fields a document fills, in the order they are set (the type before the number)."""


@dataclass(frozen=True, repr=False)
class FieldDifference:
    """A party field whose typed value differs from the document's.

    Attributes:
        key: the party field (``id_number``).
        title: its Chinese title (``证件号码``, the pydantic field's ``title``).
        current: the value typed.
        document: the value on the document.
    """

    key: str
    title: str
    current: str
    document: str


def party_values(fields: dict[str, Any]) -> dict[str, str]:
    """A document's party fields (``IdCardRecord.to_party_fields()``) as the wizard's raw values.

    Enumerations become their values and dates ISO strings; empty values are left out, so a document
    that lacks a field never clears what was typed.
    """
    values: dict[str, str] = {}
    for key in PARTY_FIELD_ORDER:
        value = fields.get(key)
        if value is None or value == "":
            continue
        if hasattr(value, "isoformat"):
            values[key] = value.isoformat()
        elif hasattr(value, "value"):
            values[key] = str(value.value)
        else:
            values[key] = str(value)
    return values


def _same(current: Any, new: str) -> bool:
    return str(current).strip().upper() == new.strip().upper()


def is_typed(party: dict[str, Any], key: str) -> bool:
    """Whether ``party[key]`` holds something the clerk entered (not empty, not a bare default).

    The document type of a new party is preset (resident ID); it counts as entered only once a
    number was typed with it.
    """
    current = party.get(key)
    if current is None or str(current).strip() == "":
        return False
    return key != "id_type" or bool(str(party.get("id_number") or "").strip())


def differing_fields(party: dict[str, Any], values: dict[str, str]) -> list[FieldDifference]:
    """The fields already typed in ``party`` (raw data) whose value differs from the document's."""
    from forms.case import Party

    out = []
    for key, new in values.items():
        current = party.get(key)
        if not is_typed(party, key) or _same(current, new):
            continue
        title = Party.model_fields[key].title or key
        out.append(FieldDifference(key, title, str(current), new))
    return out


def display_value(key: str, value: str) -> str:
    """A raw value as the clerk reads it (enumerations by their Chinese label)."""
    from forms.case import Sex

    enums: dict[str, Any] = {"id_type": IdType, "sex": Sex}
    if key in enums:
        try:
            return label(enums[key](value))
        except ValueError:
            return value
    return value


# ----------------------------------------------------------------------------------- reference photo
@dataclass(frozen=True, repr=False)
class DocumentPhoto:
    """The photo read from a document's chip, kept in memory (never on disk) for the face check.

    Attributes:
        kind: ``id_chip`` (the 1024-byte WLT photo of an ID card or permit, needs the vendor's
            decoder) or ``passport_dg2`` (a JPEG or JPEG 2000 image from the passport's DG2).
        data: the photo's bytes.
        id_type: the document's kind (goes into the check record).
    """

    kind: Literal["id_chip", "passport_dg2"]
    data: bytes
    id_type: IdType

    def __repr__(self) -> str:
        return f"DocumentPhoto(kind={self.kind!r}, bytes={len(self.data)})"


def id_card_photo(record: IdCardRecord) -> DocumentPhoto | None:
    """The chip photo of a card just read (``None`` when the card gave none)."""
    if not record.photo_wlt:
        return None
    return DocumentPhoto("id_chip", bytes(record.photo_wlt), record.id_type)


def passport_photo(record: PassportRecord) -> DocumentPhoto | None:
    """DG2's face image of a passport just read (``None`` when the chip has no DG2)."""
    if record.face is None:
        return None
    return DocumentPhoto("passport_dg2", bytes(record.face.data), IdType.PASSPORT)


def reference_status(document: DocumentPhoto | None, *, decoder_available: bool) -> str:
    """What the face check will compare with, or what is missing (Chinese, for the panel)."""
    if document is not None and document.kind == "passport_dg2":
        return "比对照片：护照芯片照片"
    if document is not None and decoder_available:
        return "比对照片：证件芯片照片"
    if document is not None:
        return (
            "没有配置读卡器厂商的照片解码库（设置“证件照片解码库”），无法取出证件芯片照片："
            "请扫描证件正面，点击“选择照片文件”选择扫描件"
        )
    return (
        "还没有读取该当事人的证件：请把身份证放在读卡器上（护照放在护照读卡器上并输入机读码），"
        "或点击“选择照片文件”选择证件扫描件"
    )


def choose_reference(
    document: DocumentPhoto | None, *, decoder: WltDecoder, scan: bytes | None = None
) -> tuple[bytes, ReferenceSource]:
    """The document photo to compare with: the chip photo, else the passport's DG2, else the scan.

    Args:
        document: the photo read from the party's document, if any.
        decoder: the WLT decoder (a missing one is skipped, the scan used instead).
        scan: a scan or photo file of the document chosen by the clerk.

    Returns:
        The image bytes and where they come from.

    Raises:
        ReferenceMissing: nothing usable; the message says what is missing.
        WltDecodeFailed: the decoder failed and no scan was chosen.
    """
    if document is not None and document.kind == "passport_dg2":
        return document.data, ReferenceSource.PASSPORT_DG2
    failure: PhotoError | None = None
    if document is not None and decoder.available:
        try:
            return decoder.decode(document.data), ReferenceSource.ID_CHIP
        except PhotoError as exc:
            failure = exc
    if scan:
        return scan, ReferenceSource.CARD_SCAN
    if failure is not None:
        raise failure
    raise ReferenceMissing(reference_status(document, decoder_available=decoder.available))


def face_settings(settings: Any) -> FaceSettings:
    """The face-check settings from the workstation's (``camera``, ``face_threshold``)."""
    camera = str(getattr(settings, "camera", "0") or "0")
    return FaceSettings(
        camera=int(camera) if camera.strip().isdigit() else camera,
        threshold=float(getattr(settings, "face_threshold", 0.5)),
    )


def run_check(
    camera: Camera,
    reference: Reference,
    *,
    party_id: str,
    document_type: IdType,
    settings: FaceSettings,
    on_progress: Callable[[FaceCheckProgress], None] | None = None,
    cancel: Cancel | None = None,
) -> FaceCheckRecord:
    """Run the whole face check (blocks for up to ``settings.max_seconds`` of frames plus one match).

    Raises:
        FaceError: see :func:`scanning.face.run_face_check`.
    """
    from scanning.face.check import run_face_check
    from scanning.face.liveness import LivenessDetector
    from scanning.face.matcher import FaceMatcher

    return run_face_check(
        camera,
        reference,
        party_id=party_id,
        document_type=document_type,
        matcher=FaceMatcher.from_settings(settings),
        liveness=LivenessDetector.from_settings(settings),
        max_seconds=settings.max_seconds,
        on_progress=on_progress,
        cancel=cancel,
    )


# ----------------------------------------------------------------------------------- records
def save_check(
    store: IdentityStore, case_id: uuid.UUID, record: FaceCheckRecord, *, user: User
) -> IdentityCheck:
    """Store a finished check (accepted or rejected) with both images; they are encrypted by the store."""
    return store.record_identity_check(
        case_id,
        party_id=record.party_id,
        decision=record.decision.value,
        record=record.to_json_dict(),
        live_image=record.live_jpeg,
        reference_image=record.reference_jpeg,
        user=user,
    )


def record_from_json(data: dict[str, Any]) -> FaceCheckRecord:
    """A :class:`FaceCheckRecord` from its stored JSON (images left empty)."""
    overridden_at = data.get("overridden_at")
    return FaceCheckRecord(
        party_id=str(data["party_id"]),
        document_type=IdType(data["document_type"]),
        reference_source=ReferenceSource(data["reference_source"]),
        distance=float(data["distance"]),
        threshold=float(data["threshold"]),
        matched=bool(data["matched"]),
        liveness_passed=bool(data["liveness_passed"]),
        liveness_reasons=tuple(str(r) for r in data.get("liveness_reasons") or ()),
        decision=Decision(data["decision"]),
        checked_at=datetime.fromisoformat(str(data["checked_at"])),
        live_jpeg=b"",
        reference_jpeg=b"",
        blinks=int(data.get("blinks") or 0),
        max_yaw=float(data.get("max_yaw") or 0.0),
        override_reason=str(data.get("override_reason") or ""),
        supervisor=str(data.get("supervisor") or ""),
        overridden_at=datetime.fromisoformat(overridden_at) if overridden_at else None,
    )


def override_check(
    store: IdentityStore,
    check_id: int,
    *,
    supervisor_username: str,
    supervisor_password: str,
    reason: str,
    now: datetime | None = None,
) -> IdentityCheck:
    """Accept a rejected check on a supervisor's authority, with a reason; recorded on the same row.

    The supervisor signs with their own user name and password (checked by the store, with its
    lockout); only the roles in :data:`OVERRIDE_ROLES` may override, whoever is signed in.

    Args:
        store: the store.
        check_id: the rejected check.
        supervisor_username: the supervisor's user name, as typed.
        supervisor_password: their password, as typed (never logged).
        reason: why the check is accepted anyway (required).
        now: the override's time (tests).

    Returns:
        The updated check.

    Raises:
        OverrideNotAllowed: no reason, not a supervisor or admin, or the check was not rejected.
        LoginFailed, AccountLocked: the supervisor's credentials were refused.
    """
    if not reason.strip():
        raise OverrideNotAllowed("主管放行须填写“放行理由”（例如：已核对其他有效证件），请填写后再确认")
    if not supervisor_username.strip():
        raise OverrideNotAllowed("请填写“主管账号”：由主管本人输入账号和密码后放行")
    supervisor = store.authenticate(supervisor_username.strip(), supervisor_password)
    if supervisor.role not in OVERRIDE_ROLES:
        raise OverrideNotAllowed(
            f"账号“{supervisor.username}”不是主管或系统管理员，不能放行未通过的人证核验：请主管本人输入账号和密码"
        )
    check = store.identity_check(check_id)
    record = override(
        record_from_json(check.record),
        supervisor=supervisor.username,
        reason=reason,
        at=now or datetime.now(UTC),
    )
    return store.override_identity_check(check_id, record=record.to_json_dict(), supervisor=supervisor)


def photos_note(check: IdentityCheck) -> str:
    """``""``, or the retention note of a check whose photos were deleted (with the date).

    The retention run (:mod:`workstation.retention`) writes ``images_purged_at`` into the record
    when it deletes both photos, so a reprint of the 人证核验记录 states it.
    """
    purged = check.record.get("images_purged_at")
    if not purged:
        return ""
    day = datetime.fromisoformat(str(purged)).astimezone().date().isoformat()
    return f"{PHOTOS_PURGED_NOTE}（{day}）"


def print_records(checks: Sequence[IdentityCheck]) -> tuple[IdentityCheckRecord, ...]:
    """The rows of the 人证核验记录 for the stored checks, in the order given (oldest first).

    A check whose photos retention deleted prints as before, its method followed by the note of
    :func:`photos_note` (the record never printed the photos; the note says they are gone).
    """
    from printing.context import IdentityCheckRecord  # loads reportlab: only when printing

    rows = []
    for check in checks:
        data = check.record
        source = ReferenceSource(data["reference_source"])
        decision = Decision(check.decision)
        checked_at = datetime.fromisoformat(str(data["checked_at"]))
        rows.append(
            IdentityCheckRecord(
                party_id=check.party_id,
                document_type=label(IdType(data["document_type"])),
                method=METHODS[source] + (f"；{note}" if (note := photos_note(check)) else ""),
                distance=float(data["distance"]),
                threshold=float(data["threshold"]),
                decision=decision.label,
                time=checked_at.astimezone() if checked_at.tzinfo else checked_at,
                override_reason=str(data.get("override_reason") or "")
                if decision is Decision.OVERRIDDEN
                else "",
                supervisor=(check.supervisor_name or str(data.get("supervisor") or ""))
                if decision is Decision.OVERRIDDEN
                else "",
            )
        )
    return tuple(rows)
