"""Fixtures shared by the workstation tests: a database of each kind, a settable clock, a store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workstation.storage.conftest import FakeClock, open_test_store
from workstation.storage.crypto import MachineKeyProtector, key_file_protector
from workstation.storage.store import SqlStore


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL, SQLite file or PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'window.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def protector(tmp_path: Path) -> MachineKeyProtector:
    return key_file_protector(tmp_path / "keys" / "machine.key")


@pytest.fixture
def store(
    db_url: str, protector: MachineKeyProtector, clock: FakeClock, tmp_path: Path
) -> Iterator[SqlStore]:
    s = open_test_store(db_url, protector, clock, tmp_path / "data")
    yield s
    s.close()
