"""``yichuang demo``: reference back ends started, the window enrolled, a case goes to all three
departments and their answers come back."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from forms.case import Case
from sync.outbox import LegState
from sync.package import Department
from workstation.config import Settings
from workstation.demo import ProcessMemoryKeyring, start_demo_services
from workstation.storage.api import Role
from workstation.storage.crypto import key_file_protector
from workstation.storage.store import open_store
from workstation.sync_service import SyncService

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "second_hand_sale.json"


@pytest.fixture
def no_os_keyring():
    from keyring.backends import fail

    previous: KeyringBackend = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def test_demo_delivers_a_case_to_every_department_and_answers_come_back(data_dir, no_os_keyring):
    data_dir.mkdir(parents=True)
    settings = Settings(database_url=f"sqlite:///{data_dir / 'yichuang.db'}", key_protector="file")
    store = open_store(settings, data_dir=data_dir, protector=key_file_protector(data_dir / "machine.key"))
    services = start_demo_services(store, data_dir=data_dir)
    try:
        # No OS keyring here: the demo keeps credentials in process memory, never in a file.
        assert services.memory_keyring
        assert isinstance(keyring.get_keyring(), ProcessMemoryKeyring)
        assert not list(data_dir.rglob("*keyring*"))
        assert services.settings.sync_tax_url == services.backends.url(Department.TAX)
        # The GUI opens the store again in this process: the in-memory keyring must not be taken for
        # the machine key's home (it would not match the key that wraps the data key).
        auto = Settings(database_url=settings.database_url, key_protector="auto")
        open_store(auto, data_dir=data_dir).close()

        clerk = store.add_user(
            username="clerk", display_name="王受理", password="clerk-pass-1", role=Role.CLERK
        )
        case = store.import_case(
            Case.model_validate(json.loads(EXAMPLE.read_text(encoding="utf-8"))), user=clerk
        )
        store.transition(case.id, "ready", user=clerk)
        service = SyncService(store, services.settings)
        submission = service.submit_case(case.id, user=clerk)
        assert set(submission.legs) == set(Department)

        worker = service.worker()
        for _ in range(5):
            worker.run_once()
            states = {leg.department: leg.state for leg in service.legs(case.id)}
            if all(state is LegState.COMPLETED for state in states.values()):
                break
        assert all(state in (LegState.ACCEPTED, LegState.COMPLETED) for state in states.values()), states
        for department in Department:
            assert len(services.backends.deliveries(department)) == 1
        tax = next(leg.answer for leg in service.legs(case.id) if leg.department is Department.TAX)
        assert tax is not None
        assert tax.receipt_no
    finally:
        services.close()
        store.close()
