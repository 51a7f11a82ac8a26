"""The package: what one department receives for one case, its canonical bytes and its signature.

A package is a :class:`Manifest` (ids, case version, department, office, window, the payload derived
from the case and the list of attachments by SHA-256), serialised as RFC 8785 canonical JSON
(:func:`canonical_bytes`) and signed with the workstation's Ed25519 key. Ed25519 signatures are
deterministic and the canonical form has exactly one spelling, so a retry of the same content is
byte-identical, header included — which is what lets the back end tell a duplicate (200) from a
conflict (409).

Each department's payload is a pure function of the case (:func:`payload_for`): the case is the single
source of truth and nothing here is stored twice.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from forms.case import Case

PROTOCOL_VERSION = 1
SIGNATURE_HEADER = "Yichuang-Signature"
"""The HTTP header carrying ``ed25519 keyid=<key id>, sig=<base64 signature>`` of the request body."""


class Department(StrEnum):
    """The three departments behind the window (一窗受理)."""

    TRANSACTION = "transaction"  # 住建 / 房产交易
    TAX = "tax"  # 税务
    REGISTRATION = "registration"  # 不动产登记

    @property
    def label(self) -> str:
        """The department's Chinese name."""
        return _LABELS[self]


_LABELS = {Department.TRANSACTION: "交易", Department.TAX: "税务", Department.REGISTRATION: "登记"}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class AttachmentRef(_Frozen):
    """One attachment (a scan) of a package, travelling separately as a content-addressed blob."""

    sha256: str = Field(title="SHA-256", pattern=r"^[0-9a-f]{64}$")
    size: int = Field(title="大小(字节)", ge=0)
    media_type: str = Field(title="媒体类型", pattern=r"^[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+$", max_length=100)
    name: str = Field(title="文件名", min_length=1, max_length=200)


class AuditHead(_Frozen):
    """The head of the sending window's audit chain when the package was made (issue 8).

    A back end keeps the heads it receives, so an audit entry rewritten after delivery — even by
    someone who holds the chain key and recomputed every MAC — no longer matches a head held off
    the machine (``yichuang audit verify --backends``).
    """

    seq: int = Field(title="审计记录序号", ge=0)
    mac: str = Field(title="审计记录校验值", pattern=r"^[0-9a-f]{64}$")
    window: str = Field(title="审计记录窗口", min_length=1, max_length=90)


class Manifest(_Frozen):
    """The signed description of one package.

    ``package_id`` is the idempotency key: the outbox creates it with the leg and never changes it.
    ``created_at`` is fixed at the same moment, so re-sending produces the same bytes.
    """

    protocol: Literal[1] = Field(1, title="协议版本")
    package_id: uuid.UUID = Field(title="数据包编号")
    supersedes: uuid.UUID | None = Field(None, title="所更正的数据包")
    case_id: uuid.UUID = Field(title="案件标识")
    case_version: int = Field(title="案件版本", ge=1)
    department: Department = Field(title="接收部门")
    office_code: str = Field(title="窗口单位代码", min_length=1, max_length=40)
    window_id: str = Field(title="窗口编号", min_length=1, max_length=40)
    created_at: AwareDatetime = Field(title="打包时间")
    payload: dict[str, Any] = Field(title="业务数据")
    attachments: list[AttachmentRef] = Field(default_factory=list, title="附件")
    audit_head: AuditHead | None = Field(None, title="审计链头")

    @field_validator("attachments")
    @classmethod
    def _unique_attachments(cls, value: list[AttachmentRef]) -> list[AttachmentRef]:
        hashes = [a.sha256 for a in value]
        if len(set(hashes)) != len(hashes):
            raise ValueError("附件列表中同一文件出现了两次，请删除重复的扫描件")
        return value

    def __str__(self) -> str:  # never the payload: it holds personal data
        return (
            f"Manifest({self.package_id}, {self.department.value}, case {self.case_id} v{self.case_version})"
        )


def canonical_bytes(manifest: Manifest) -> bytes:
    """The RFC 8785 (JCS) canonical JSON of the manifest: the bytes that are signed and sent."""
    return canonical_json(manifest.model_dump(mode="json"))


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical JSON of any JSON value (used by the back end to compare contents)."""
    result: bytes = rfc8785.dumps(value)
    return result


def content_digest(body: bytes) -> str:
    """SHA-256 hex of the canonical form of a JSON body, whatever its whitespace and key order.

    Raises:
        ValueError: the body is not JSON.
    """
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("不是有效的 JSON") from exc
    return hashlib.sha256(canonical_json(value)).hexdigest()


# ---------------------------------------------------------------------------------------- signing
def public_key_b64(public_key: Ed25519PublicKey) -> str:
    """The raw 32-byte public key in standard base64, as sent at enrolment."""
    return base64.b64encode(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def load_public_key(b64: str) -> Ed25519PublicKey:
    """Parse a public key sent as base64 of the raw 32 bytes.

    Raises:
        ValueError: not base64 or not 32 bytes.
    """
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("公钥不是有效的 base64") from exc
    if len(raw) != 32:
        raise ValueError("公钥长度应为 32 字节 (Ed25519)")
    return Ed25519PublicKey.from_public_bytes(raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    """A stable id of the key: the first 16 bytes of SHA-256 of the raw public key, in hex."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:32]


def signature_header(body: bytes, signing_key: Ed25519PrivateKey) -> str:
    """The ``Yichuang-Signature`` header value for a request body."""
    sig = base64.b64encode(signing_key.sign(body)).decode("ascii")
    return f"ed25519 keyid={key_id(signing_key.public_key())}, sig={sig}"


_SIG_RE = re.compile(r"^ed25519 keyid=(?P<kid>[0-9a-f]{32}), sig=(?P<sig>[A-Za-z0-9+/=]+)$")


def parse_signature_header(value: str) -> tuple[str, bytes]:
    """Split a signature header into (key id, raw signature).

    Raises:
        ValueError: the header is malformed.
    """
    match = _SIG_RE.match(value.strip())
    if match is None:
        raise ValueError("签名头格式应为 'ed25519 keyid=…, sig=…'")
    try:
        sig = base64.b64decode(match["sig"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("签名不是有效的 base64") from exc
    if len(sig) != 64:
        raise ValueError("Ed25519 签名长度应为 64 字节")
    return match["kid"], sig


def verify_signature(body: bytes, header: str, public_key: Ed25519PublicKey) -> bool:
    """Whether ``header`` is a valid signature of ``body`` by ``public_key`` (key id included)."""
    try:
        kid, sig = parse_signature_header(header)
    except ValueError:
        return False
    if kid != key_id(public_key):
        return False
    try:
        public_key.verify(sig, body)
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True)
class SignedPackage:
    """A manifest with its exact bytes and signature header, ready to send (and re-send identically).

    Attributes:
        manifest: the manifest.
        body: its canonical bytes.
        signature: the ``Yichuang-Signature`` header value.
    """

    manifest: Manifest
    body: bytes
    signature: str


def sign_manifest(manifest: Manifest, signing_key: Ed25519PrivateKey) -> SignedPackage:
    """Serialise and sign a manifest."""
    body = canonical_bytes(manifest)
    return SignedPackage(manifest=manifest, body=body, signature=signature_header(body, signing_key))


# ------------------------------------------------------------------------------ payload derivation
# Who sees which facts of a party: data minimisation per department (个人信息保护法 Art 6: collection
# limited to the minimum scope needed for the purpose).
_PARTY_IDENTITY = frozenset(
    {
        "id",
        "role",
        "kind",
        "name",
        "id_type",
        "id_number",
        "nationality",
        "phone",
        "address",
        "legal_representative",
        "agency_name",
        "represents",
        "co_ownership",
        "share",
        "has_full_capacity",
    }
)
_PARTY_TAX = _PARTY_IDENTITY | {
    "marital_status",
    "spouse_party_id",
    "relation_to_counterparty",
    "taxpayer_status",
    "small_micro_enterprise",
}
_CONTRACT_FIELDS = frozenset(
    {"contract_filing_number", "price", "price_includes_vat", "payment_method", "existing_mortgage"}
)
_PRICE_FIELDS = frozenset({"price", "price_includes_vat", "seller_vat_rate", "assessed_value"})


def _header(case: Case) -> dict[str, Any]:
    return {
        "case_id": str(case.id),
        "case_number": case.case_number,
        "business_type": case.business_type,
        "schema_version": case.schema_version,
    }


def _parties(case: Case, fields: frozenset[str]) -> list[dict[str, Any]]:
    return [p.model_dump(mode="json", include=set(fields)) for p in case.parties]


def payload_for(
    case: Case, department: Department, *, tax_estimate: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The part of the case one department receives, as JSON-ready data.

    - 交易 (transaction): the contract (filing number, price, payment), the parties' identities, the
      property.
    - 税务 (tax): the parties (identity and the facts taxes depend on), the price, the seller's
      acquisition facts, each party's family home count, the property (area, use and housing class
      decide the rates), and ``estimate`` when the caller passes the window's tax estimate.
    - 登记 (registration): the whole case.

    Args:
        case: the case.
        department: the receiving department.
        tax_estimate: the window's tax estimate as JSON-ready data (only used for 税务).

    Returns:
        A dict of JSON values (money as decimal strings), a pure function of the arguments.
    """
    payload = _header(case)
    if department is Department.TRANSACTION:
        payload["parties"] = _parties(case, _PARTY_IDENTITY)
        payload["contract"] = case.transaction.model_dump(mode="json", include=set(_CONTRACT_FIELDS))
        payload["property"] = case.property.model_dump(mode="json")
    elif department is Department.TAX:
        payload["rule_date"] = case.rule_date.isoformat() if case.rule_date else None
        payload["parties"] = _parties(case, _PARTY_TAX)
        payload["price"] = case.transaction.model_dump(mode="json", include=set(_PRICE_FIELDS))
        payload["acquisition"] = case.transaction.acquisition.model_dump(mode="json")
        payload["family_homes"] = {p.id: p.family_homes_owned for p in case.parties}
        payload["property"] = case.property.model_dump(mode="json")
        if tax_estimate is not None:
            payload["estimate"] = dict(tax_estimate)
    else:
        payload["case"] = case.model_dump(mode="json")
    return payload


def build_manifest(
    case: Case,
    department: Department,
    *,
    package_id: uuid.UUID,
    case_version: int,
    office_code: str,
    window_id: str,
    created_at: datetime,
    attachments: Sequence[AttachmentRef] = (),
    supersedes: uuid.UUID | None = None,
    tax_estimate: Mapping[str, Any] | None = None,
    audit_head: AuditHead | None = None,
) -> Manifest:
    """Assemble the manifest of one leg from the case (the payload is derived, never typed).

    Args:
        case: the case.
        department: the receiving department.
        package_id: the leg's idempotency key (created once with the outbox row).
        case_version: the version of the case this package carries.
        office_code: the office's code.
        window_id: the window's id.
        created_at: a timezone-aware ``datetime`` fixed when the leg was created.
        attachments: the scans to send (the caller decides which; 登记 gets them all).
        supersedes: the package this one corrects.
        tax_estimate: the window's estimate for 税务, as JSON-ready data.
        audit_head: the window's audit-chain head at this moment.
    """
    return Manifest(
        package_id=package_id,
        supersedes=supersedes,
        case_id=case.id,
        case_version=case_version,
        department=department,
        office_code=office_code,
        window_id=window_id,
        created_at=created_at,
        payload=payload_for(case, department, tax_estimate=tax_estimate),
        attachments=list(attachments),
        audit_head=audit_head,
    )


def attachment_ref(data: bytes, *, name: str, media_type: str) -> AttachmentRef:
    """An :class:`AttachmentRef` for bytes held in memory (small files, tests)."""
    return AttachmentRef(
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), media_type=media_type, name=name
    )
