"""Fixtures for storage tests: one store per test on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from workstation.config import Settings
from workstation.storage.api import Role, User
from workstation.storage.crypto import MachineKeyProtector
from workstation.storage.migrate import upgrade_database
from workstation.storage.store import SqlStore, open_store

# argon2id with small costs: the production parameters take ~50 ms per hash.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass
class FakeClock:
    """A settable UTC clock."""

    now: datetime = datetime(2025, 3, 14, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def make_settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": url,
        "office_code": "11010501",
        "window_id": "03",
        "lockout_threshold": 3,
        "lockout_minutes": 15,
    }
    values.update(overrides)
    return Settings.model_validate(values)


def open_test_store(
    url: str, protector: MachineKeyProtector, clock: FakeClock, data_dir: Path, **overrides: object
):
    if not url.startswith("sqlite"):
        upgrade_database(url)
    return open_store(
        make_settings(url, **overrides),
        protector=protector,
        data_dir=data_dir,
        clock=clock,
        hasher=FAST_HASHER,
    )


@pytest.fixture
def clerk(store: SqlStore) -> User:
    return store.add_user(username="wang.li", display_name="王丽", password="correct horse", role=Role.CLERK)
