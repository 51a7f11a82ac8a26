"""Encryption at rest of personal data, and keyed hashes for exact-match search.

Keys
    A random 256-bit **data key** encrypts the data. It is stored in the database only *wrapped*
    (encrypted) by a **machine key** that the operating system holds, through a :class:`KeyProtector`:

    * Windows: DPAPI in machine scope (``CryptProtectData`` with ``CRYPTPROTECT_LOCAL_MACHINE``): any
      account on this computer can unwrap, no other computer can. (Not exercised by the Linux tests.)
    * elsewhere, when a usable keyring that is not a plain file exists (Secret Service, KWallet,
      macOS Keychain): a random machine key stored in it;
    * otherwise: a random machine key in a key file readable only by its owner (mode 0600), by default
      ``/etc/yichuang/machine.key`` when that exists, else ``machine.key`` in the data folder.

    **Offices on PostgreSQL.** Every window must unwrap the same data key, so every window must hold
    the same machine key. DPAPI and keyrings cannot share one, so ``key_protector = "auto"`` picks the
    key file for a PostgreSQL URL: the first window creates it, and IT copies that file to every other
    window (e.g. ``/etc/yichuang/machine.key``, or the path in the ``machine_key_file`` policy),
    owner-only permissions (on Windows, an ACL for Administrators and the window's account), through
    the same channel that deploys the policy. A window with a different key gets a clear error
    (:class:`~workstation.storage.errors.KeyUnavailable`) rather than writing data nobody else can read.
    The wrapped data key rows are labelled with a fingerprint of the machine key (``key_id``).

Derived keys (HKDF-SHA256 from the data key)
    * ``enc``: AES-256-GCM, a random 96-bit nonce per encryption; the associated data
      ``v1|table|column|row`` binds a ciphertext to its place, so one copied to another row or column
      does not decrypt.
    * ``mac``: HMAC-SHA256 over a normalised value (ID numbers upper-cased, names without whitespace,
      phones digits only), truncated to 128 bits, for exact-match search without storing the value.

Key rotation is not implemented yet.
"""

from __future__ import annotations

import base64
import ctypes
import hashlib
import hmac
import json
import os
import re
import socket
import stat
import sys
import unicodedata
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from workstation import paths
from workstation.storage.errors import DecryptionFailed, KeyUnavailable

KEY_BYTES: Final = 32
NONCE_BYTES: Final = 12
DIGEST_BYTES: Final = 16
FORMAT_V1: Final = b"\x01"
KEYRING_SERVICE: Final = "Yichuang"
KEYRING_USERNAME: Final = "machine-key"
SYSTEM_KEY_FILE: Final = Path("/etc/yichuang/machine.key")
KEY_FILE_NAME: Final = "machine.key"
_WRAP_AAD: Final = b"yichuang data key v1"


class SearchKind(StrEnum):
    """The kinds of personal values findable by exact match."""

    ID_NUMBER = "id"
    NAME = "name"
    PHONE = "phone"


_MIDDLE_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "‧": "·", "∙": "·", "●": "·"})


def normalise(kind: SearchKind, value: str) -> str:
    """The canonical form of a value for its search digest.

    * ID numbers: NFKC (full-width digits), whitespace removed, upper-case (``x`` → ``X``);
    * names: NFKC, whitespace removed, the middle-dot variants of minority and foreign names unified;
    * phones: digits only, a leading ``86``/``0086`` country code removed from mobile numbers.
    """
    text = unicodedata.normalize("NFKC", value)
    text = re.sub(r"\s+", "", text)
    if kind is SearchKind.ID_NUMBER:
        return text.upper()
    if kind is SearchKind.NAME:
        return text.translate(_MIDDLE_DOTS)
    digits = re.sub(r"\D", "", text)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def generate_data_key() -> bytes:
    """A new random 256-bit data key."""
    return AESGCM.generate_key(bit_length=256)


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(key)


class FieldCipher:
    """Encrypts fields and computes search digests under one data key.

    Args:
        data_key: the 256-bit data key (unwrapped).
    """

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != KEY_BYTES:
            raise ValueError("data key must be 32 bytes")
        self._aead = AESGCM(_derive(data_key, b"yichuang field encryption v1"))
        self._mac_key = _derive(data_key, b"yichuang search digest v1")

    @staticmethod
    def _aad(table: str, column: str, row: str) -> bytes:
        return f"v1|{table}|{column}|{row}".encode()

    def encrypt(self, plaintext: bytes, *, table: str, column: str, row: str) -> bytes:
        """Encrypt bytes bound to their place (``table``, ``column``, ``row`` id)."""
        nonce = os.urandom(NONCE_BYTES)
        return FORMAT_V1 + nonce + self._aead.encrypt(nonce, plaintext, self._aad(table, column, row))

    def decrypt(self, blob: bytes, *, table: str, column: str, row: str) -> bytes:
        """Decrypt what :meth:`encrypt` produced for the same place.

        Raises:
            DecryptionFailed: wrong key, altered bytes, or a ciphertext from another place.
        """
        if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != FORMAT_V1:
            raise DecryptionFailed(
                f"{table}.{column} 中的加密数据格式不正确，数据可能已损坏；请联系系统管理员。"
            )
        view = memoryview(blob)  # no copy of the ciphertext (a scan is megabytes)
        try:
            return self._aead.decrypt(
                view[1 : 1 + NONCE_BYTES], view[1 + NONCE_BYTES :], self._aad(table, column, row)
            )
        except InvalidTag as exc:
            raise DecryptionFailed(
                f"{table}.{column} 中的加密数据无法解密（密钥不符，或数据被改动、被移到别处）；"
                "请联系系统管理员。"
            ) from exc

    def encrypt_json(self, value: Any, *, table: str, column: str, row: str) -> bytes:
        """Encrypt a JSON-serialisable value."""
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return self.encrypt(text.encode("utf-8"), table=table, column=column, row=row)

    def decrypt_json(self, blob: bytes, *, table: str, column: str, row: str) -> Any:
        """Decrypt a value written by :meth:`encrypt_json`."""
        return json.loads(self.decrypt(blob, table=table, column=column, row=row))

    def digest(self, kind: SearchKind, value: str) -> bytes | None:
        """The keyed search digest of a value, or ``None`` when it normalises to nothing."""
        canonical = normalise(kind, value)
        if not canonical:
            return None
        message = f"{kind.value}\x00{canonical}".encode()
        return hmac.new(self._mac_key, message, hashlib.sha256).digest()[:DIGEST_BYTES]


# --------------------------------------------------------------------------------- protectors
class KeyProtector(Protocol):
    """Wraps the data key with a key the operating system holds for this machine."""

    @property
    def key_id(self) -> str:
        """A non-secret label of the machine key (which wrapped copy of the data key is ours)."""
        ...

    def wrap(self, data_key: bytes) -> bytes:
        """Encrypt the data key for storage in the database."""
        ...

    def unwrap(self, wrapped: bytes) -> bytes:
        """Decrypt a wrapped data key.

        Raises:
            KeyUnavailable: the machine key does not open it.
        """
        ...


class MachineKeyProtector:
    """Wraps with AES-256-GCM under a 256-bit machine key (from a keyring or a key file).

    Args:
        machine_key: the machine key.
        kind: ``keyring`` or ``file``, part of :attr:`key_id`.
        origin: where the key is kept, for messages.
    """

    def __init__(self, machine_key: bytes, *, kind: str, origin: str) -> None:
        if len(machine_key) != KEY_BYTES:
            raise KeyUnavailable(
                f"本机密钥（{origin}）长度不对，文件可能已损坏；请从其他窗口重新复制本机密钥文件。"
            )
        self._aead = AESGCM(machine_key)
        fingerprint = hmac.new(machine_key, b"yichuang machine key id", hashlib.sha256).hexdigest()[:16]
        self._key_id = f"{kind}:{fingerprint}"
        self.origin = origin

    @property
    def key_id(self) -> str:
        """``kind:fingerprint`` of the machine key."""
        return self._key_id

    def wrap(self, data_key: bytes) -> bytes:
        """Encrypt the data key under the machine key."""
        nonce = os.urandom(NONCE_BYTES)
        return FORMAT_V1 + nonce + self._aead.encrypt(nonce, data_key, _WRAP_AAD)

    def unwrap(self, wrapped: bytes) -> bytes:
        """Decrypt a data key wrapped by :meth:`wrap` under the same machine key."""
        try:
            if wrapped[:1] != FORMAT_V1:
                raise InvalidTag()
            return self._aead.decrypt(wrapped[1 : 1 + NONCE_BYTES], wrapped[1 + NONCE_BYTES :], _WRAP_AAD)
        except InvalidTag as exc:
            raise KeyUnavailable(
                f"本机密钥（{self.origin}）打不开数据库中的数据密钥；请确认本机密钥与其他窗口一致。"
            ) from exc


def _read_key_text(text: str, origin: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError as exc:
        raise KeyUnavailable(
            f"本机密钥（{origin}）不是有效的密钥，文件可能已损坏；请从其他窗口重新复制。"
        ) from exc
    return key


def key_file_protector(path: Path, *, create: bool = True) -> MachineKeyProtector:
    """The protector using the machine key in ``path``, creating the file (mode 0600) if allowed.

    Raises:
        KeyUnavailable: the file is missing (and ``create`` is false), unreadable or corrupt.
    """
    origin = f"密钥文件 {path}"
    try:
        return MachineKeyProtector(
            _read_key_text(path.read_text("ascii"), origin), kind="file", origin=origin
        )
    except FileNotFoundError:
        if not create:
            raise KeyUnavailable(
                f"找不到本机密钥文件 {path}。共享数据库的窗口须使用与其他窗口相同的密钥文件，"
                "请让系统管理员复制过来。"
            ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyUnavailable(f"无法读取本机密钥文件 {path}（{exc}）；请检查文件权限。") from exc
    key = generate_data_key()
    paths.ensure_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it meanwhile
        return key_file_protector(path, create=False)
    except OSError as exc:
        raise KeyUnavailable(f"无法创建本机密钥文件 {path}（{exc}）；请检查文件夹权限。") from exc
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.b64encode(key).decode("ascii") + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return MachineKeyProtector(key, kind="file", origin=origin)


def key_file_too_open(path: Path) -> bool:
    """Whether a key file can be read by others than its owner (for ``yichuang doctor``).

    On POSIX: any group/other permission bit, or an owner other than the current user or root.
    On Windows file modes do not express ACLs, so this returns ``False`` there; the installer sets the ACL.

    Raises:
        FileNotFoundError: the file does not exist.
    """
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return False
    info = path.stat()
    if stat.S_IMODE(info.st_mode) & 0o077:
        return True
    return info.st_uid not in (os.geteuid(), 0)


def keyring_usable() -> bool:
    """Whether a keyring other than a plain file (or the fail/null backends) is available.

    A backend that declares ``persistent = False`` (the demo's in-memory keyring) does not count: the
    machine key must outlive the process.
    """
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or backend.priority <= 0:
        return False
    if not getattr(backend, "persistent", True):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    module = type(backend).__module__
    return not (module.startswith("keyrings.alt.file") or "null" in module)


def keyring_protector(*, create: bool = True) -> MachineKeyProtector:
    """The protector using a machine key kept in the OS keyring.

    Raises:
        KeyUnavailable: no key stored (and ``create`` is false) or the keyring fails.
    """
    import keyring
    from keyring.errors import KeyringError

    origin = f"系统钥匙串 {KEYRING_SERVICE}/{KEYRING_USERNAME}"
    try:
        stored = keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME)
        if stored is None:
            if not create:
                raise KeyUnavailable(f"{origin} 中没有本机密钥；请改用密钥文件或联系系统管理员。")
            key = generate_data_key()
            keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, base64.b64encode(key).decode("ascii"))
            return MachineKeyProtector(key, kind="keyring", origin=origin)
    except KeyringError as exc:
        raise KeyUnavailable(f"无法使用{origin}（{exc}）；请把 key_protector 设置为 file。") from exc
    return MachineKeyProtector(_read_key_text(stored, origin), kind="keyring", origin=origin)


class DpapiProtector:  # pragma: no cover - Windows only, not exercised by the Linux test suite
    """Windows DPAPI in machine scope: any account of this computer can unwrap, no other computer can."""

    _CRYPTPROTECT_UI_FORBIDDEN: Final = 0x1
    _CRYPTPROTECT_LOCAL_MACHINE: Final = 0x4
    _ENTROPY: Final = b"Yichuang data key"
    _key_id: str

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise KeyUnavailable("DPAPI 只能在 Windows 上使用；请把 key_protector 设置为 file 或 keyring。")
        self._key_id = f"dpapi:{socket.gethostname()}"

    @property
    def key_id(self) -> str:
        """``dpapi:`` and the computer name."""
        return self._key_id

    class _Blob(ctypes.Structure):
        _fields_ = [("cbData", ctypes.c_uint32), ("pbData", ctypes.POINTER(ctypes.c_char))]

    def _call(self, name: str, data: bytes) -> bytes:
        windll = ctypes.WinDLL  # type: ignore[attr-defined,unused-ignore]
        crypt32 = windll("crypt32", use_last_error=True)
        kernel32 = windll("kernel32", use_last_error=True)
        buffer = ctypes.create_string_buffer(data, len(data))
        entropy_buffer = ctypes.create_string_buffer(self._ENTROPY, len(self._ENTROPY))
        blob_in = self._Blob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
        entropy = self._Blob(len(self._ENTROPY), ctypes.cast(entropy_buffer, ctypes.POINTER(ctypes.c_char)))
        blob_out = self._Blob()
        flags = self._CRYPTPROTECT_UI_FORBIDDEN | self._CRYPTPROTECT_LOCAL_MACHINE
        function = getattr(crypt32, name)
        if name == "CryptProtectData":
            ok = function(
                ctypes.byref(blob_in),
                "Yichuang",
                ctypes.byref(entropy),
                None,
                None,
                flags,
                ctypes.byref(blob_out),
            )
        else:
            ok = function(
                ctypes.byref(blob_in), None, ctypes.byref(entropy), None, None, flags, ctypes.byref(blob_out)
            )
        if not ok:
            error = ctypes.get_last_error()  # type: ignore[attr-defined,unused-ignore]
            raise KeyUnavailable(f"Windows DPAPI（{name}）失败，错误码 {error}；请联系系统管理员。")
        try:
            return ctypes.string_at(blob_out.pbData, blob_out.cbData)
        finally:
            kernel32.LocalFree(blob_out.pbData)

    def wrap(self, data_key: bytes) -> bytes:
        """Protect the data key with DPAPI machine scope."""
        return self._call("CryptProtectData", data_key)

    def unwrap(self, wrapped: bytes) -> bytes:
        """Unprotect a data key protected on this computer."""
        return self._call("CryptUnprotectData", wrapped)


def default_key_file(data_dir: Path) -> Path:
    """``/etc/yichuang/machine.key`` when it exists, else ``machine.key`` in the data folder."""
    return SYSTEM_KEY_FILE if SYSTEM_KEY_FILE.exists() else data_dir / KEY_FILE_NAME


def choose_protector(
    mode: str, *, data_dir: Path, key_file: Path | None = None, shared_database: bool = False
) -> KeyProtector:
    """Pick the key protector for this machine.

    Args:
        mode: ``auto``, ``dpapi``, ``keyring`` or ``file`` (the ``key_protector`` setting).
        data_dir: the data folder (for the default key file).
        key_file: the ``machine_key_file`` setting, if set.
        shared_database: the database is shared by several windows (PostgreSQL): ``auto`` then
            uses the key file, the only machine key that can be copied to every window.

    Raises:
        KeyUnavailable: the chosen protector cannot be used here.
    """
    path = key_file if key_file is not None else default_key_file(data_dir)
    if mode == "auto":
        if shared_database:
            mode = "file"
        elif sys.platform == "win32":
            mode = "dpapi"
        else:
            mode = "keyring" if keyring_usable() else "file"
    if mode == "dpapi":
        return DpapiProtector()
    if mode == "keyring":
        return keyring_protector()
    if mode == "file":
        return key_file_protector(path)
    raise KeyUnavailable(
        f"未知的本机密钥保管方式 {mode!r}；key_protector 只能是 auto、dpapi、keyring 或 file。"
    )
