"""GUI test fixtures: offscreen Qt, a real SqlStore on a temporary SQLite data folder, an inline executor."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from forms.catalog import Catalog, load_catalog
from workstation.config import Settings
from workstation.executor import InlineExecutor
from workstation.session import Session
from workstation.storage.api import Role, User
from workstation.storage.store import SqlStore, open_store

# argon2id with small costs; production parameters are slow by design.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CLERK_PASSWORD = "window-03-pass"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": f"sqlite:///{data_dir / 'yichuang.db'}",
        "office_code": "11010501",
        "window_id": "03",
        "office_name": "示范区不动产登记中心",
        "key_protector": "file",
        "lockout_threshold": 3,
        "lockout_minutes": 15,
        "draft_journal_seconds": 0.2,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    return make_settings(data_dir)


@pytest.fixture
def store(settings: Settings, data_dir: Path) -> Iterator[SqlStore]:
    opened = open_store(settings, data_dir=data_dir, hasher=FAST_HASHER)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def clerk(store: SqlStore) -> User:
    return store.add_user(username="clerk", display_name="王受理", password=CLERK_PASSWORD, role=Role.CLERK)


@pytest.fixture
def session(store: SqlStore, settings: Settings, catalog: Catalog, qapp) -> Session:
    from workstation.app import set_default_font

    set_default_font(qapp)
    return Session(store=store, executor=InlineExecutor(), settings=settings, catalog=catalog)


@pytest.fixture
def signed_in(session: Session, clerk: User) -> Session:
    session.user = clerk
    return session
