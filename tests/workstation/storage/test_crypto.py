from __future__ import annotations

import os
import stat

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from tests.workstation.storage.conftest import FAST_HASHER, make_settings
from workstation.storage import crypto
from workstation.storage.crypto import (
    FieldCipher,
    SearchKind,
    choose_protector,
    generate_data_key,
    key_file_protector,
    key_file_too_open,
    keyring_protector,
    keyring_usable,
    normalise,
)
from workstation.storage.errors import DecryptionFailed, KeyUnavailable
from workstation.storage.store import open_store


@pytest.fixture
def cipher():
    return FieldCipher(generate_data_key())


def test_round_trip_and_random_nonces(cipher):
    place = {"table": "cases", "column": "data", "row": "a"}
    one = cipher.encrypt("张三".encode(), **place)
    two = cipher.encrypt("张三".encode(), **place)
    assert one != two  # a fresh 96-bit nonce each time
    assert len(one) == 1 + 12 + len("张三".encode()) + 16
    assert cipher.decrypt(one, **place) == "张三".encode()
    assert cipher.decrypt_json(cipher.encrypt_json({"k": [1, "二"]}, **place), **place) == {"k": [1, "二"]}


@pytest.mark.parametrize(
    "other",
    [
        {"table": "cases", "column": "data", "row": "b"},
        {"table": "cases", "column": "summary", "row": "a"},
        {"table": "drafts", "column": "data", "row": "a"},
    ],
)
def test_ciphertext_is_bound_to_its_place(cipher, other):
    blob = cipher.encrypt(b"secret", table="cases", column="data", row="a")
    with pytest.raises(DecryptionFailed):
        cipher.decrypt(blob, **other)


def test_tampering_and_wrong_key_are_detected(cipher):
    place = {"table": "t", "column": "c", "row": "r"}
    blob = bytearray(cipher.encrypt(b"secret", **place))
    blob[-1] ^= 1
    with pytest.raises(DecryptionFailed):
        cipher.decrypt(bytes(blob), **place)
    with pytest.raises(DecryptionFailed):
        FieldCipher(generate_data_key()).decrypt(cipher.encrypt(b"x", **place), **place)
    with pytest.raises(DecryptionFailed, match="格式"):
        cipher.decrypt(b"\x02short", **place)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (SearchKind.ID_NUMBER, " 11010519900307101x ", "11010519900307101X"),
        (SearchKind.ID_NUMBER, "１１０１０５１９９００３０７１０１ｘ", "11010519900307101X"),
        (SearchKind.NAME, "欧阳　娜 娜", "欧阳娜娜"),
        (SearchKind.NAME, "阿依古丽•买买提", "阿依古丽·买买提"),
        (SearchKind.PHONE, "+86 139-1234-5678", "13912345678"),
        (SearchKind.PHONE, "0086 13912345678", "13912345678"),
        (SearchKind.PHONE, "(010) 6512 3456", "01065123456"),
        (SearchKind.PHONE, "电话", ""),
    ],
)
def test_normalise(kind, value, expected):
    assert normalise(kind, value) == expected


def test_digests(cipher):
    assert cipher.digest(SearchKind.ID_NUMBER, "11010519900307101x") == cipher.digest(
        SearchKind.ID_NUMBER, "11010519900307101X"
    )
    assert cipher.digest(SearchKind.NAME, "13912345678") != cipher.digest(SearchKind.PHONE, "13912345678")
    assert cipher.digest(SearchKind.NAME, "张三") != FieldCipher(generate_data_key()).digest(
        SearchKind.NAME, "张三"
    )
    assert len(cipher.digest(SearchKind.NAME, "张三") or b"") == 16
    assert cipher.digest(SearchKind.PHONE, "无") is None


def test_key_file_created_owner_only_and_reused(tmp_path):
    path = tmp_path / "keys" / "machine.key"
    first = key_file_protector(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not key_file_too_open(path)
    second = key_file_protector(path, create=False)
    assert first.key_id == second.key_id and first.key_id.startswith("file:")
    data_key = generate_data_key()
    assert second.unwrap(first.wrap(data_key)) == data_key
    os.chmod(path, 0o644)
    assert key_file_too_open(path)
    other = key_file_protector(tmp_path / "other.key")
    with pytest.raises(KeyUnavailable, match="打不开"):
        other.unwrap(first.wrap(data_key))


def test_key_file_missing_or_corrupt(tmp_path):
    with pytest.raises(KeyUnavailable, match="找不到"):
        key_file_protector(tmp_path / "absent.key", create=False)
    bad = tmp_path / "bad.key"
    bad.write_text("not base64 !!\n")
    with pytest.raises(KeyUnavailable, match="不是有效"):
        key_file_protector(bad)
    short = tmp_path / "short.key"
    short.write_text("AAAA\n")
    with pytest.raises(KeyUnavailable, match="长度"):
        key_file_protector(short)


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring standing in for Secret Service / Keychain."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.items[(service, username)]


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_keyring_protector(memory_keyring, tmp_path):
    assert keyring_usable()
    with pytest.raises(KeyUnavailable, match="没有本机密钥"):
        keyring_protector(create=False)
    first = keyring_protector()
    assert (crypto.KEYRING_SERVICE, crypto.KEYRING_USERNAME) in memory_keyring.items
    again = keyring_protector(create=False)
    assert again.key_id == first.key_id and first.key_id.startswith("keyring:")
    assert choose_protector("auto", data_dir=tmp_path).key_id == first.key_id
    # a shared (PostgreSQL) database needs a machine key that can be copied: the key file
    assert choose_protector("auto", data_dir=tmp_path, shared_database=True).key_id.startswith("file:")


def test_without_a_keyring_auto_uses_the_key_file(tmp_path):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        assert not keyring_usable()
        protector = choose_protector("auto", data_dir=tmp_path)
    finally:
        keyring.set_keyring(previous)
    assert protector.key_id.startswith("file:")
    assert (tmp_path / "machine.key").exists() or crypto.SYSTEM_KEY_FILE.exists()


def test_dpapi_is_refused_off_windows(tmp_path):
    with pytest.raises(KeyUnavailable, match="Windows"):
        choose_protector("dpapi", data_dir=tmp_path)


def test_window_with_another_machine_key_is_refused(db_url, tmp_path):
    from workstation.storage.migrate import upgrade_database

    if not db_url.startswith("sqlite"):
        upgrade_database(db_url)
    settings = make_settings(db_url)
    first = key_file_protector(tmp_path / "a.key")
    open_store(settings, protector=first, data_dir=tmp_path, hasher=FAST_HASHER).close()
    with pytest.raises(KeyUnavailable, match="不匹配"):
        open_store(
            settings, protector=key_file_protector(tmp_path / "b.key"), data_dir=tmp_path, hasher=FAST_HASHER
        )
    # the same key file copied to another window works
    (tmp_path / "copy.key").write_bytes((tmp_path / "a.key").read_bytes())
    open_store(
        settings, protector=key_file_protector(tmp_path / "copy.key"), data_dir=tmp_path, hasher=FAST_HASHER
    ).close()
