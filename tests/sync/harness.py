"""Helpers for the outbox tests: an in-memory keyring, a store with ready cases, an enrolled service."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keyring.backend import KeyringBackend

from forms.case import Case
from sync.backends import DEFAULT_ENROLMENT_TOKEN, ReferenceBackends
from sync.faultproxy import FaultProxy
from sync.keys import CredentialVault
from sync.package import Department
from tests.workstation.storage.conftest import FakeClock, make_settings, open_test_store
from workstation.storage.api import Role, User
from workstation.storage.crypto import MachineKeyProtector, key_file_protector
from workstation.storage.store import SqlStore
from workstation.sync_service import SyncService

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class MemoryKeyring(KeyringBackend):
    """A keyring kept in memory: set programmatically, never a file."""

    priority = 1  # a plain value instead of keyring's classproperty

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


# keyring registers every backend class for its automatic choice; this one is only ever set explicitly,
# so other tests' automatic choice (e.g. the machine-key protector's) stays what the machine offers.
KeyringBackend._classes.discard(MemoryKeyring)


def example_case(name: str = "second_hand_sale") -> Case:
    """An example case with a fresh id and no case number."""
    data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    data["id"] = str(uuid.uuid4())
    data["case_number"] = None
    return Case.model_validate(data)


def sync_settings(url: str, backends: ReferenceBackends | None, **overrides: Any) -> dict[str, Any]:
    """Settings overrides naming the reference back ends and a quick pace."""
    values: dict[str, Any] = {
        "sync_retry_base_seconds": 10.0,
        "sync_retry_max_seconds": 600.0,
        "sync_interval_seconds": 30.0,
        "sync_lease_seconds": 60.0,
    }
    if backends is not None:
        values.update(
            sync_transaction_url=backends.url(Department.TRANSACTION),
            sync_tax_url=backends.url(Department.TAX),
            sync_registration_url=backends.url(Department.REGISTRATION),
        )
    values.update(overrides)
    return values


@dataclass
class Harness:
    """A store with a clerk, and a sync service over it."""

    store: SqlStore
    clerk: User
    service: SyncService
    vault: CredentialVault
    keyring: MemoryKeyring
    clock: Any  # a FakeClock, or the real clock for tests across processes

    def ready_case(self, name: str = "second_hand_sale") -> Case:
        case = self.store.import_case(example_case(name), user=self.clerk)
        self.store.transition(case.id, "ready", user=self.clerk, reason="录入完成")
        return case

    def submitted_case(self, name: str = "second_hand_sale", **kwargs: Any) -> Case:
        case = self.ready_case(name)
        self.service.submit_case(case.id, user=self.clerk, **kwargs)
        return case

    def enrol(self) -> None:
        self.service.enrol(DEFAULT_ENROLMENT_TOKEN)


def make_harness(
    url: str,
    protector: MachineKeyProtector,
    clock: Any,
    data_dir: Path,
    backends: ReferenceBackends | None,
    **overrides: Any,
) -> Harness:
    store = open_test_store(url, protector, clock, data_dir, **sync_settings(url, backends, **overrides))
    clerk = store.add_user(username="wang.li", display_name="王丽", password="correct horse", role=Role.CLERK)
    keyring = MemoryKeyring()
    vault = CredentialVault(keyring)
    settings = make_settings(url, **sync_settings(url, backends, **overrides))
    service = SyncService(store, settings, vault=vault, clock=clock)
    return Harness(store, clerk, service, vault, keyring, clock)


def harness_in(
    folder: Path, backends: ReferenceBackends | None, *, url: str | None = None, **overrides: Any
) -> Harness:
    """A harness on a fake clock keeping its machine key, data and (unless ``url``) database in ``folder``."""
    return make_harness(
        url or f"sqlite:///{folder / 'window.db'}",
        key_file_protector(folder / "keys" / "machine.key"),
        FakeClock(),
        folder / "data",
        backends,
        **overrides,
    )


def proxied_urls(proxy: FaultProxy, backends: ReferenceBackends) -> dict[str, str]:
    """Settings pointing every department's URL through the fault proxy."""
    return {
        "sync_transaction_url": proxy.url_for(backends.url(Department.TRANSACTION)),
        "sync_tax_url": proxy.url_for(backends.url(Department.TAX)),
        "sync_registration_url": proxy.url_for(backends.url(Department.REGISTRATION)),
    }
