"""The signing key and credentials live in the OS keyring, never in files."""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from sync.keys import SERVICE, CredentialVault, KeyringUnavailable
from sync.package import Department
from sync.transport import Credential
from tests.sync.harness import MemoryKeyring


def test_key_is_created_once_and_credentials_are_kept() -> None:
    backend = MemoryKeyring()
    vault = CredentialVault(backend)
    assert vault.signing_key() is None
    key = vault.ensure_signing_key()
    again = CredentialVault(backend).ensure_signing_key()
    assert key.public_key().public_bytes_raw() == again.public_key().public_bytes_raw()
    assert vault.credential(Department.TAX) is None
    vault.store_credential(Department.TAX, Credential(token="secret", key_id="k" * 32, department="tax"))
    stored = CredentialVault(backend).credential(Department.TAX)
    assert stored is not None and stored.token == "secret"
    assert {name for service, name in backend.entries if service == SERVICE} == {
        "signing-key",
        "credential:tax",
    }


def test_no_keyring_or_a_file_keyring_is_refused() -> None:
    with pytest.raises(KeyringUnavailable) as caught:
        CredentialVault(fail.Keyring())  # type: ignore[no-untyped-call]
    assert "钥匙串" in str(caught.value)

    class PlaintextKeyring(MemoryKeyring):
        pass

    KeyringBackend._classes.discard(PlaintextKeyring)  # never offered to keyring's automatic choice
    PlaintextKeyring.__module__ = "keyrings.alt.file"
    with pytest.raises(KeyringUnavailable) as caught:
        CredentialVault(PlaintextKeyring())
    assert "普通文件" in str(caught.value)


def test_damaged_entries_are_reported() -> None:
    backend = MemoryKeyring()
    backend.set_password(SERVICE, "signing-key", "not base64!")
    backend.set_password(SERVICE, "credential:registration", "{")
    vault = CredentialVault(backend)
    with pytest.raises(KeyringUnavailable):
        vault.signing_key()
    with pytest.raises(KeyringUnavailable):
        vault.credential(Department.REGISTRATION)
