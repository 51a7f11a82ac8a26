"""Packages on a USB stick for a window with no network at all (``yichuang sync export|import|import-acks``).

The offline window writes each pending leg to the stick as one **sealed file**, encrypted to the
receiving department's X25519 public key (fetched at enrolment, ``GET /v1/key``): an ephemeral X25519
key agreement, HKDF-SHA256 and AES-256-GCM, with the department and package id as associated data, so
a file renamed to another package or department does not open. Inside: the signed manifest (the same
canonical bytes and ``Yichuang-Signature`` the network path sends) and the attachments' bytes.

A connected machine carries the files to the departments unopened (``POST /v1/sealed/{package_id}``;
it cannot read them and needs no access to the offline window's database). Each department answers
with an **acknowledgement** signed by its Ed25519 key and bound to the package id and receipt number;
the connected machine writes it back to the stick, and the offline window verifies it and marks the
leg ``delivered``. The back end delivers by ``package_id`` exactly as over the network, so importing a
stick twice, or delivering a leg both by stick and by network, still delivers it once.

Layout of the stick::

    DIR/yichuang-sync/packages/<department>/<package_id>.sealed
    DIR/yichuang-sync/acks/<department>/<package_id>.ack.json
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import struct
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sync.errors import SyncError
from sync.package import Department, canonical_json

ROOT_NAME = "yichuang-sync"
SEALED_SUFFIX = ".sealed"
ACK_SUFFIX = ".ack.json"
_MAGIC = b"YCSEAL1\n"
_HKDF_INFO = b"yichuang-usb-v1"
MAX_SEALED_BYTES = 512 * 1024 * 1024


class StickFileInvalid(SyncError):
    """A file on the stick is damaged, tampered with, or meant for another package or department.

    Attributes:
        name: the file's name (no personal data: package ids only).
    """

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(
            f"U 盘上的文件 {name} 无法使用：{detail}。"
            "该文件已跳过；请在离线窗口重新导出（yichuang sync export）。"
        )
        self.name = name
        self.detail = detail


# ----------------------------------------------------------------------------------- keys
@dataclass(frozen=True)
class DepartmentKeys:
    """A department's public keys (``GET /v1/key``), kept by the window after enrolment.

    Attributes:
        department: the department.
        encryption: X25519 key the stick's files are sealed to.
        signing: Ed25519 key the department signs acknowledgements with.
    """

    department: Department
    encryption: X25519PublicKey
    signing: Ed25519PublicKey

    def to_json(self) -> dict[str, str]:
        """The JSON form (base64 of the raw 32-byte keys), as served and as stored."""
        return {
            "department": self.department.value,
            "x25519": _b64(self.encryption.public_bytes(Encoding.Raw, PublicFormat.Raw)),
            "ed25519": _b64(self.signing.public_bytes(Encoding.Raw, PublicFormat.Raw)),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DepartmentKeys:
        """Parse :meth:`to_json`'s form.

        Raises:
            ValueError: a key is missing or malformed.
        """
        try:
            return cls(
                department=Department(str(data["department"])),
                encryption=X25519PublicKey.from_public_bytes(_unb64(str(data["x25519"]))),
                signing=Ed25519PublicKey.from_public_bytes(_unb64(str(data["ed25519"]))),
            )
        except (KeyError, TypeError, binascii.Error) as exc:
            raise ValueError("部门公钥格式不对") from exc


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 32:
        raise ValueError("公钥长度应为 32 字节")
    return raw


# ------------------------------------------------------------------------------- sealing
def associated_data(department: Department, package_id: uuid.UUID) -> bytes:
    """What a sealed file is bound to: its department and package id."""
    return f"yichuang-usb|{department.value}|{package_id}".encode("ascii")


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_HKDF_INFO).derive(
        shared
    )


def seal(plaintext: bytes, recipient: X25519PublicKey, aad: bytes) -> bytes:
    """Encrypt to a department's X25519 key (ephemeral ECDH + HKDF-SHA256 + AES-256-GCM)."""
    ephemeral = X25519PrivateKey.generate()
    eph_raw = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    rec_raw = recipient.public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _derive(ephemeral.exchange(recipient), eph_raw, rec_raw)
    nonce = os.urandom(12)
    return _MAGIC + eph_raw + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(sealed: bytes, private_key: X25519PrivateKey, aad: bytes) -> bytes:
    """Decrypt :func:`seal`'s output.

    Raises:
        ValueError: not a sealed file, tampered with, or bound to other associated data.
    """
    head = len(_MAGIC)
    if not sealed.startswith(_MAGIC) or len(sealed) < head + 32 + 12 + 16:
        raise ValueError("不是一窗受理的加密数据包")
    eph_raw = sealed[head : head + 32]
    nonce = sealed[head + 32 : head + 44]
    rec_raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _derive(private_key.exchange(X25519PublicKey.from_public_bytes(eph_raw)), eph_raw, rec_raw)
    try:
        return AESGCM(key).decrypt(nonce, sealed[head + 44 :], aad)
    except InvalidTag:
        raise ValueError("内容已被改动，或不是发给本部门、本数据包的文件") from None


# ------------------------------------------------------------------------------ contents
@dataclass(frozen=True)
class SealedContents:
    """What a sealed file holds.

    Attributes:
        body: the manifest's canonical bytes (as signed).
        signature: the ``Yichuang-Signature`` header value.
        blobs: attachment bytes by SHA-256.
    """

    body: bytes
    signature: str
    blobs: Mapping[str, bytes]


def pack(body: bytes, signature: str, blobs: Mapping[str, bytes]) -> bytes:
    """Frame a signed manifest and its attachments (a length-prefixed JSON header, then raw bytes)."""
    header = canonical_json(
        {
            "signature": signature,
            "manifest_size": len(body),
            "blobs": [{"sha256": sha, "size": len(data)} for sha, data in blobs.items()],
        }
    )
    return struct.pack(">I", len(header)) + header + body + b"".join(blobs.values())


def unpack(data: bytes) -> SealedContents:
    """Read :func:`pack`'s framing.

    Raises:
        ValueError: the framing is inconsistent.
    """
    try:
        (size,) = struct.unpack(">I", data[:4])
        header = json.loads(data[4 : 4 + size])
        offset = 4 + size
        body = data[offset : offset + int(header["manifest_size"])]
        offset += len(body)
        blobs: dict[str, bytes] = {}
        for item in header["blobs"]:
            n = int(item["size"])
            blobs[str(item["sha256"])] = data[offset : offset + n]
            offset += n
    except (struct.error, ValueError, KeyError, TypeError) as exc:
        raise ValueError("数据包结构不对") from exc
    if offset != len(data) or len(body) != int(header["manifest_size"]):
        raise ValueError("数据包长度不对")
    return SealedContents(body=body, signature=str(header["signature"]), blobs=blobs)


# ---------------------------------------------------------------------------- acknowledgements
@dataclass(frozen=True)
class Ack:
    """A department's signed acknowledgement of a package received from a stick.

    Attributes:
        package_id: the package.
        department: the department that acknowledged it.
        receipt_no: its receipt number (the same one the network path would get).
        duplicate: the department already held it (a second import, or it came by network too).
    """

    package_id: uuid.UUID
    department: Department
    receipt_no: str
    duplicate: bool

    def to_json(self) -> dict[str, Any]:
        """The signed JSON form."""
        return {
            "package_id": str(self.package_id),
            "department": self.department.value,
            "receipt_no": self.receipt_no,
            "duplicate": self.duplicate,
        }


def sign_ack(ack: Ack, key: Ed25519PrivateKey) -> dict[str, Any]:
    """The acknowledgement document: the ack and an Ed25519 signature over its RFC 8785 form."""
    body = ack.to_json()
    return {"ack": body, "signature": _b64(key.sign(canonical_json(body)))}


def verify_ack(document: Mapping[str, Any], keys: DepartmentKeys) -> Ack:
    """Check an acknowledgement document against the department's key.

    Raises:
        ValueError: malformed, signed by another key, or naming another department.
    """
    try:
        body = dict(document["ack"])
        signature = base64.b64decode(str(document["signature"]), validate=True)
        keys.signing.verify(signature, canonical_json(body))
        ack = Ack(
            package_id=uuid.UUID(str(body["package_id"])),
            department=Department(str(body["department"])),
            receipt_no=str(body["receipt_no"]),
            duplicate=bool(body["duplicate"]),
        )
    except InvalidSignature:
        raise ValueError("回执签名无效（不是该部门签发的，或已被改动）") from None
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise ValueError("回执格式不对") from exc
    if ack.department is not keys.department or not ack.receipt_no:
        raise ValueError("回执的部门或回执号不对")
    return ack


# ----------------------------------------------------------------------------------- stick
def _root(stick: Path) -> Path:
    return stick / ROOT_NAME


def sealed_path(stick: Path, department: Department, package_id: uuid.UUID) -> Path:
    """Where a leg's sealed file goes on the stick."""
    return _root(stick) / "packages" / department.value / f"{package_id}{SEALED_SUFFIX}"


def ack_path(stick: Path, department: Department, package_id: uuid.UUID) -> Path:
    """Where a package's acknowledgement goes on the stick."""
    return _root(stick) / "acks" / department.value / f"{package_id}{ACK_SUFFIX}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so a pulled stick never leaves half a file under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def _entries(stick: Path, kind: str, suffix: str) -> Iterator[tuple[Department, uuid.UUID, Path]]:
    for department in Department:
        folder = _root(stick) / kind / department.value
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if not path.name.endswith(suffix):
                continue
            try:
                package_id = uuid.UUID(path.name.removesuffix(suffix))
            except ValueError:
                continue
            yield department, package_id, path


def sealed_files(stick: Path) -> Iterator[tuple[Department, uuid.UUID, Path]]:
    """The sealed files on a stick: (department, package id, path)."""
    return _entries(stick, "packages", SEALED_SUFFIX)


def ack_files(stick: Path) -> Iterator[tuple[Department, uuid.UUID, Path]]:
    """The acknowledgement files on a stick: (department, package id, path)."""
    return _entries(stick, "acks", ACK_SUFFIX)


def read_ack(path: Path, department: Department, package_id: uuid.UUID, keys: DepartmentKeys) -> Ack:
    """Read and verify one acknowledgement file.

    Raises:
        StickFileInvalid: unreadable, not signed by the department, or naming another package.
    """
    try:
        ack = verify_ack(json.loads(path.read_bytes()), keys)
    except (OSError, ValueError) as exc:
        raise StickFileInvalid(path.name, str(exc) if isinstance(exc, ValueError) else "无法读取") from None
    if ack.package_id != package_id or ack.department is not department:
        raise StickFileInvalid(path.name, "回执与文件名中的数据包不符")
    return ack
