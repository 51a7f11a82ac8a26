"""The audit log: chained, keyed entries of every sign-in, view, print, export, approval and setting change.

Each entry (``audit_log`` table) carries ``mac = HMAC-SHA256(K, prev_mac ‖ canonical(entry))``, where
``prev_mac`` is the previous entry's MAC (32 zero bytes before entry 1) and ``canonical`` is the
entry's sequence number, time, kind, user id, case id, writing window and encrypted details as
sorted, compact JSON. Editing, deleting or reordering an entry breaks the MAC of that entry (or of
the next one), and :func:`verify_chain` names the first broken entry (``yichuang audit verify``).

The key ``K`` is derived (HKDF-SHA256, label ``yichuang audit chain v1``) from the office secret
``audit_key``, a random value stored encrypted under the data key and shared by the office's
windows (:meth:`SqlStore.office_secret`). The application never shows it, so a clerk who edits the
database file with a tool cannot compute a valid MAC; "recompute without the key" is detected.

Threat model, honestly:

* **Detected:** editing, deleting, inserting or reordering entries by someone who can write the
  database but cannot unwrap the data key (a copied data folder, a database administrator without
  the machine key, an SQL client on the shared PostgreSQL server).
* **Not prevented on one PC:** anyone who holds the machine key (with Windows DPAPI machine scope,
  every account that can run code on the PC as an administrator, or read the key file) can unwrap
  the data key, derive ``K`` and rewrite the chain consistently. Truncating the newest entries and
  resetting the head to an older entry is also undetectable locally.
* **Mitigation:** the chain head (``seq`` and ``mac``) leaves the machine: with every sync package
  (the signed manifest's ``audit_head``, read by :func:`audit_head_in` in the submit's transaction)
  and on the supervisor's end-of-day report. The back ends keep the heads they receive;
  ``yichuang audit verify --backends`` fetches them and :func:`compare_heads` names every held head
  whose entry now has another MAC (history rewritten after delivery) or is gone (truncated).

Personal data never enters an entry in clear: ``details`` is encrypted with the data key (AAD
``audit_log|details|<seq>``); the clear columns are ids, codes and times only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, Protocol, runtime_checkable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.orm import Session

from workstation.storage.models import AuditHeadRow

AUDIT_SECRET_NAME: Final = "audit_key"
"""The office secret the audit key is derived from."""

GENESIS_MAC: Final = bytes(32)
"""The "previous MAC" of the first entry."""

_KEY_LABEL: Final = b"yichuang audit chain v1"


class AuditKind(StrEnum):
    """What an entry records; the value is stored."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    VIEW_CASE = "view_case"
    PRINT = "print"
    EXPORT = "export"
    APPROVAL = "approval"
    SUPERVISOR_ACTION = "supervisor_action"
    CONFIG_CHANGE = "config_change"
    RETENTION = "retention"  # local scans and photos deleted after the back ends confirmed them


KIND_LABELS: Final[Mapping[AuditKind, str]] = MappingProxyType(
    {
        AuditKind.SIGN_IN: "登录",
        AuditKind.SIGN_IN_FAILED: "登录失败",
        AuditKind.VIEW_CASE: "查看案件",
        AuditKind.PRINT: "打印",
        AuditKind.EXPORT: "导出",
        AuditKind.APPROVAL: "审批",
        AuditKind.SUPERVISOR_ACTION: "科长操作",
        AuditKind.CONFIG_CHANGE: "修改设置",
        AuditKind.RETENTION: "删除到期本地副本",
    }
)
"""The Chinese label of each kind."""


@dataclass(frozen=True)
class AuditEntry:
    """One stored entry, as read back (``details`` still encrypted).

    Attributes:
        seq: 1, 2, 3 … without gaps.
        at: when (UTC).
        kind: an :class:`AuditKind` value.
        user_id: who (``None`` for an unknown user name at sign-in).
        case_id: the case concerned, if any.
        window: ``<office code>-<window id>`` of the writer.
        details: the encrypted JSON details, or ``None``.
        mac: the entry's chained MAC.
    """

    seq: int
    at: datetime
    kind: str
    user_id: int | None
    case_id: uuid.UUID | None
    window: str
    details: bytes | None
    mac: bytes


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`verify_chain`.

    Attributes:
        checked: entries whose MAC verified.
        first_broken: the sequence number of the first entry that is missing or does not verify.
        problem: a Chinese description of what is wrong (``""`` when the chain is intact).
        head_seq: the sequence number of the last entry read.
        head_mac: its MAC (hex) — what travels off the machine.
    """

    checked: int
    first_broken: int | None
    problem: str
    head_seq: int
    head_mac: str

    @property
    def ok(self) -> bool:
        """Whether the whole chain verified."""
        return self.first_broken is None


def derive_key(secret: bytes) -> bytes:
    """The 256-bit chain key from the office's ``audit_key`` secret."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_LABEL).derive(secret)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(
    *,
    seq: int,
    at: datetime,
    kind: str,
    user_id: int | None,
    case_id: uuid.UUID | None,
    window: str,
    details: bytes | None,
) -> bytes:
    """The bytes an entry's MAC covers (every stored column but the MAC)."""
    content = {
        "v": 1,
        "seq": seq,
        "at": _utc(at),
        "kind": kind,
        "user_id": user_id,
        "case_id": str(case_id) if case_id is not None else None,
        "window": window,
        "details": base64.b64encode(details).decode("ascii") if details is not None else None,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode("utf-8")


def chain_mac(key: bytes, previous: bytes, content: bytes) -> bytes:
    """``HMAC-SHA256(key, previous ‖ content)``."""
    return hmac.new(key, previous + content, hashlib.sha256).digest()


def entry_content(entry: AuditEntry) -> bytes:
    """:func:`canonical` of a stored entry."""
    return canonical(
        seq=entry.seq,
        at=entry.at,
        kind=entry.kind,
        user_id=entry.user_id,
        case_id=entry.case_id,
        window=entry.window,
        details=entry.details,
    )


def verify_chain(
    entries: Iterable[AuditEntry], key: bytes, *, head: tuple[int, bytes] | None = None
) -> Verification:
    """Check every entry's MAC against its predecessor, in sequence order.

    Args:
        entries: the stored entries ordered by ``seq``.
        key: the chain key (:func:`derive_key`).
        head: the stored head ``(seq, mac)``; a head beyond the last entry means entries were deleted.

    Returns:
        How far the chain verified and, if it breaks, the first broken entry.
    """
    previous = GENESIS_MAC
    expected = 1
    checked = 0
    for entry in entries:
        if entry.seq != expected:
            problem = (
                f"第 {expected} 条审计记录缺失（下一条是第 {entry.seq} 条）：记录被删除或顺序被改动"
                if entry.seq > expected
                else f"第 {entry.seq} 条审计记录重复或顺序被改动"
            )
            return Verification(checked, expected, problem, expected - 1, previous.hex())
        if not hmac.compare_digest(chain_mac(key, previous, entry_content(entry)), entry.mac):
            return Verification(
                checked,
                entry.seq,
                f"第 {entry.seq} 条审计记录校验失败：该记录（或其前一条）被改动、替换，或用其他密钥重算过",
                entry.seq - 1,
                previous.hex(),
            )
        previous = entry.mac
        expected += 1
        checked += 1
    last = expected - 1
    if head is not None:
        head_seq, head_mac = head
        if head_seq > last:
            return Verification(
                checked,
                last + 1,
                f"审计记录链头指向第 {head_seq} 条，但记录只到第 {last} 条：最近的记录被删除",
                last,
                previous.hex(),
            )
        if head_seq < last or not hmac.compare_digest(head_mac, previous):
            return Verification(
                checked,
                head_seq + 1 if head_seq < last else last,
                f"审计记录链头（第 {head_seq} 条）与记录不一致：记录被追加或改动时绕过了本程序",
                last,
                previous.hex(),
            )
    return Verification(checked, None, "", last, previous.hex())


# ------------------------------------------------------------------------- heads off the machine
def writer_id(office_code: str, window_id: str) -> str:
    """The ``window`` column of the entries a window writes: ``<office code>-<window id>``."""
    return f"{office_code}-{window_id}"


def audit_head_in(session: Session) -> tuple[int, bytes] | None:
    """The stored chain head ``(seq, mac)`` read in the caller's transaction (``None``: no head row).

    The submit reads it in the transaction that queues the packages, so the head a package carries
    is the chain as it stood when the case was submitted.
    """
    row = session.get(AuditHeadRow, 1)
    return (row.seq, row.mac) if row is not None else None


@dataclass(frozen=True)
class HeldHead:
    """A chain head a department holds (``GET /v1/audit-heads``).

    Attributes:
        department: the department's Chinese name.
        seq: the entry's sequence number.
        mac: its MAC when the head left the machine, hex.
    """

    department: str
    seq: int
    mac: str


@dataclass(frozen=True)
class HeadMismatch:
    """A held head the local chain no longer agrees with.

    Attributes:
        head: the head a department holds.
        local_mac: the local entry's MAC now, hex (``None``: the entry is gone).
        since: the newest head below ``head.seq`` that still agrees (0: none): the rewrite lies in
            entries ``since + 1`` … ``head.seq``.
    """

    head: HeldHead
    local_mac: str | None
    since: int

    def describe(self) -> str:
        """A Chinese sentence naming the entry, for ``audit verify --backends``."""
        if self.local_mac is None:
            return (
                f"{self.head.department}持有第 {self.head.seq} 条审计记录的链头，但本机已没有该条记录："
                "记录在送达后被删除（截断）。"
            )
        return (
            f"第 {self.head.seq} 条审计记录与{self.head.department}持有的链头不一致："
            f"第 {self.since + 1}–{self.head.seq} 条之间的记录在送达后被改写（用审计密钥重算过）。"
        )


def compare_heads(local: Mapping[int, bytes], held: Iterable[HeldHead]) -> list[HeadMismatch]:
    """The held heads whose entry now has another MAC or is missing, oldest first.

    Args:
        local: the local MAC of each entry named by a held head (absent: no such entry).
        held: the heads the departments hold.
    """
    heads = sorted(held, key=lambda h: h.seq)
    agreeing = 0
    found: list[HeadMismatch] = []
    for head in heads:
        mac = local.get(head.seq)
        if mac is not None and hmac.compare_digest(mac.hex(), head.mac.lower()):
            agreeing = max(agreeing, head.seq)
            continue
        if head.seq == 0 and mac is None and head.mac == GENESIS_MAC.hex():
            continue  # the head of an empty chain
        found.append(HeadMismatch(head, mac.hex() if mac is not None else None, agreeing))
    return found


@runtime_checkable
class AuditTrail(Protocol):
    """Where entries are appended (:class:`workstation.storage.store.SqlStore`)."""

    def audit(
        self,
        kind: AuditKind,
        *,
        user_id: int | None,
        case_id: uuid.UUID | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one entry in its own transaction; returns its sequence number."""
        ...


def trail_of(store: object) -> AuditTrail:
    """The store as an :class:`AuditTrail`.

    Raises:
        TypeError: the store keeps no audit log (a programming error: every real store does).
    """
    if not isinstance(store, AuditTrail):
        raise TypeError(f"{type(store).__name__} keeps no audit log")
    return store


def config_auditor(store: object, user_id: int | None) -> Callable[[str, str], None]:
    """A callback for :class:`workstation.config.Config` that records each setting change.

    The callback receives the action (``set_office``, ``reset_office``, ``set_user``, ``reset_user``)
    and the key; values are not recorded (a setting may hold a path or an address).
    """
    trail = trail_of(store)

    def record(action: str, key: str) -> None:
        trail.audit(AuditKind.CONFIG_CHANGE, user_id=user_id, details={"action": action, "key": key})

    return record


__all__ = [
    "AUDIT_SECRET_NAME",
    "GENESIS_MAC",
    "KIND_LABELS",
    "AuditEntry",
    "AuditKind",
    "AuditTrail",
    "HeadMismatch",
    "HeldHead",
    "Verification",
    "audit_head_in",
    "canonical",
    "chain_mac",
    "compare_heads",
    "config_auditor",
    "derive_key",
    "entry_content",
    "trail_of",
    "verify_chain",
    "writer_id",
]
