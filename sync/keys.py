"""The workstation's signing key and the departments' credentials, kept in the OS keyring.

Never in files: the vault refuses the "fail" keyring and the plain-file keyrings of ``keyrings.alt``
(the issue: "stores the credentials it gets back in the OS keyring (never in files)"). On Windows this
is the Credential Manager, on macOS the Keychain, on Linux the Secret Service or KWallet. Tests set an
in-memory backend with ``keyring.set_keyring``.

Entries (service :data:`SERVICE`): ``signing-key`` holds the Ed25519 private key (raw 32 bytes,
base64); ``credential:<department>`` holds ``{"token", "key_id", "department"}`` as JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

import keyring
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from sync.errors import SyncError
from sync.package import Department
from sync.transport import Credential

SERVICE = "Yichuang-sync"
SIGNING_KEY_ENTRY = "signing-key"


class KeyringUnavailable(SyncError):
    """No usable OS keyring: the signing key and credentials cannot be stored safely."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"无法使用系统钥匙串保存本窗口的签名密钥和部门凭据（{detail}）。"
            "请在 Windows 凭据管理器、macOS 钥匙串或 Linux Secret Service 可用的账户下运行，"
            "或联系系统管理员。"
        )
        self.detail = detail


class NotEnrolled(SyncError):
    """The workstation has no credential for a department yet (``yichuang enrol`` not run)."""

    def __init__(self, department: Department) -> None:
        super().__init__(
            f"本窗口尚未在{department.label}部门系统登记，案件将留在待发送队列中。"
            "请由管理员执行“yichuang enrol --token 令牌”完成登记。"
        )
        self.department = department


def _check_backend(backend: KeyringBackend) -> None:
    from keyring.backends import chainer, fail

    module = type(backend).__module__
    if isinstance(backend, fail.Keyring) or backend.priority <= 0:
        raise KeyringUnavailable("没有可用的钥匙串")
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        raise KeyringUnavailable("没有可用的钥匙串")
    if module.startswith("keyrings.alt.file") or "null" in module:
        raise KeyringUnavailable("当前钥匙串把秘密保存在普通文件中，不安全")


class CredentialVault:
    """The signing key and credentials in the OS keyring.

    Args:
        backend: the keyring backend; the one ``keyring`` selected by default.

    Raises:
        KeyringUnavailable: no keyring, or one that keeps secrets in plain files.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend or keyring.get_keyring()
        _check_backend(self._backend)

    def _get(self, name: str) -> str | None:
        try:
            value: str | None = self._backend.get_password(SERVICE, name)
        except KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc
        return value

    def _set(self, name: str, value: str) -> None:
        try:
            self._backend.set_password(SERVICE, name, value)
        except KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc

    def signing_key(self) -> Ed25519PrivateKey | None:
        """The workstation's Ed25519 key, or ``None`` before the first enrolment."""
        stored = self._get(SIGNING_KEY_ENTRY)
        if stored is None:
            return None
        try:
            raw = base64.b64decode(stored, validate=True)
            return Ed25519PrivateKey.from_private_bytes(raw)
        except (binascii.Error, ValueError) as exc:
            raise KeyringUnavailable("钥匙串中的签名密钥已损坏，请重新登记") from exc

    def ensure_signing_key(self) -> Ed25519PrivateKey:
        """The workstation's key, created and stored on first use."""
        key = self.signing_key()
        if key is None:
            key = Ed25519PrivateKey.generate()
            raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            self._set(SIGNING_KEY_ENTRY, base64.b64encode(raw).decode("ascii"))
        return key

    def credential(self, department: Department) -> Credential | None:
        """The department's bearer credential, or ``None`` when not enrolled."""
        stored = self._get(f"credential:{department.value}")
        if stored is None:
            return None
        try:
            data = json.loads(stored)
            return Credential(
                token=str(data["token"]), key_id=str(data["key_id"]), department=str(data["department"])
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyringUnavailable(f"钥匙串中{department.label}的凭据已损坏，请重新登记") from exc

    def department_entry(self, name: str, department: Department) -> dict[str, Any] | None:
        """Another JSON entry kept per department (e.g. its public keys); ``None`` when absent or damaged."""
        stored = self._get(f"{name}:{department.value}")
        if stored is None:
            return None
        try:
            value = json.loads(stored)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def store_department_entry(self, name: str, department: Department, value: Mapping[str, Any]) -> None:
        """Keep a JSON entry per department (replacing an older one)."""
        self._set(f"{name}:{department.value}", json.dumps(dict(value)))

    def store_credential(self, department: Department, credential: Credential) -> None:
        """Keep a department's credential (replacing an older one)."""
        value = {"token": credential.token, "key_id": credential.key_id, "department": credential.department}
        self._set(f"credential:{department.value}", json.dumps(value))
