"""``yichuang demo``: the local reference back ends, this window enrolled with them, ready to deliver.

The demo runs the three departments' reference back ends in this process on 127.0.0.1, points the
office's department addresses at them (``office.toml``) and enrols this window with the demo token,
so a case submitted in the GUI travels to 交易, 税务 and 登记 and their answers come back.

Credentials belong in the OS keyring. A server without one (no desktop session, so no Secret Service)
gets a keyring held in this process's memory for the demo only: it is never written to a file and is
gone when the demo ends (the next ``yichuang demo`` enrols again).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend

from sync.backends.server import DEFAULT_ENROLMENT_TOKEN, ReferenceBackends
from sync.package import Department
from workstation.config import Config, Settings, load_settings
from workstation.storage.store import SqlStore
from workstation.sync_service import SyncService

DEMO_PORT = 8765
"""The reference back ends' port in the demo (another free port is used when it is taken)."""

DEMO_CONTRACT_NO = "HZ2026WQ0000001"
"""A filing number 交易 knows in the demo: type it on the transaction page and press F6."""

_BUYER_ID, _SELLER_ID = "33010619880315051X", "330102198507210324"
DEMO_CONTRACT: dict[str, object] = {
    # Fictional people; the ID numbers carry valid GB 11643 check characters.
    "price": "2680000.00",
    "signed_on": "2026-11-20",
    "property": {
        "unit_number": "330106005002GB01998F00020301",
        "location": "杭州市西湖区文三路 199 号 2 幢 301 室",
        "area": "96.40",
    },
    "parties": [
        {"role": "right_holder", "name": "陈思远", "id_type": "resident_id", "id_number": _BUYER_ID},
        {"role": "obligor", "name": "周雅琴", "id_type": "resident_id", "id_number": _SELLER_ID},
    ],
}
"""The demo contract (sync.lookups.ContractRecord as JSON)."""

DEMO_UNIT_STATUSES: dict[str, dict[str, object]] = {
    "330106005002GB01998F00020301": {"mortgaged": True, "notes": ["抵押权人：示范银行杭州分行"]},
    "330106005002GB01999F00010101": {"seized": True, "notes": ["西湖区人民法院（2026）浙0106执1234号"]},
}
"""Units 登记 answers for in the demo (F6 on the property page); every example case's unit is free."""

_URL_KEYS = {
    Department.TRANSACTION: "sync_transaction_url",
    Department.TAX: "sync_tax_url",
    Department.REGISTRATION: "sync_registration_url",
}


class ProcessMemoryKeyring(KeyringBackend):
    """A keyring that lives in this process's memory (the demo on a machine without an OS keyring)."""

    priority = 1
    persistent = False  # never chosen to hold the machine key (storage.crypto.keyring_usable)

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring ships no annotations here
        self._entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        """The stored secret, or ``None``."""
        return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        """Store a secret in memory."""
        self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        """Forget a secret."""
        self._entries.pop((service, username), None)


@dataclass
class DemoServices:
    """What :func:`start_demo_services` started; :meth:`close` stops it."""

    backends: ReferenceBackends
    settings: Settings
    memory_keyring: bool

    def close(self) -> None:
        """Stop the reference back ends."""
        self.backends.stop()


def _keyring_usable() -> bool:
    from keyring.backends import fail

    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and backend.priority > 0


def start_demo_services(store: SqlStore, *, data_dir: Path) -> DemoServices:
    """Start the reference back ends, point the office at them and enrol this window.

    Args:
        store: the open store (settings may live in its database on PostgreSQL).
        data_dir: the data folder (the back ends keep their database there).

    Returns:
        The running services, with the settings as now configured.
    """
    # The file name carries the reference back ends' storage layout: since scans are kept as files
    # beside the database, a demo database of the earlier layout is left alone and a new one begins.
    database = data_dir / "demo-backends-2.sqlite"
    try:
        backends = ReferenceBackends(database, host="127.0.0.1", port=DEMO_PORT)
    except OSError:  # the demo port is taken (another demo?): any free port will do
        backends = ReferenceBackends(database, host="127.0.0.1", port=0)
    backends.start()
    try:
        script_demo_lookups(backends)
        config = Config(data_dir=data_dir, database=store)
        for department, key in _URL_KEYS.items():
            if key not in config.locked_keys:
                config.set_office(key, backends.url(department))
        settings = load_settings(data_dir=data_dir)
        memory = not _keyring_usable()
        if memory:
            keyring.set_keyring(ProcessMemoryKeyring())
        SyncService(store, settings).enrol(DEFAULT_ENROLMENT_TOKEN)
    except BaseException:
        backends.stop()
        raise
    return DemoServices(backends=backends, settings=settings, memory_keyring=memory)


def script_demo_lookups(backends: ReferenceBackends) -> None:
    """Teach the demo back ends a contract and some units' status, so the wizard's look-ups answer."""
    import json

    backends.set_contract(DEMO_CONTRACT_NO, DEMO_CONTRACT)
    examples = Path(__file__).resolve().parents[1] / "examples"  # a source checkout; none when frozen
    for path in sorted(examples.glob("*.json")) if examples.is_dir() else []:
        unit = json.loads(path.read_text(encoding="utf-8")).get("property", {}).get("unit_number")
        if unit:
            backends.set_property_status(unit, {})
    for unit, status in DEMO_UNIT_STATUSES.items():
        backends.set_property_status(unit, status)
