"""Shared fixtures: an isolated data folder and policy path for every test, and a throwaway PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg import PostgresServer, find_bin_dir


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder and the policy file at fresh temporary paths (never /var/lib or /etc)."""
    root = tmp_path_factory.mktemp("yichuang")
    monkeypatch.setenv("YICHUANG_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("YICHUANG_POLICY_FILE", str(root / "policy.toml"))
    return root / "data"


@pytest.fixture
def data_dir(_isolated_data_dir: Path) -> Path:
    """The (not yet created) data folder of this test."""
    return _isolated_data_dir


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the session; fails when missing under CI, skips otherwise."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        message = "PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin or PATH"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """URL of a fresh, empty database on the session's PostgreSQL server."""
    return postgres_server.create_database()
