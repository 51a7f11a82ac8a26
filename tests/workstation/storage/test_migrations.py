from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from tests.workstation.storage.conftest import FAST_HASHER, make_settings
from workstation.storage.errors import SchemaMismatch
from workstation.storage.migrate import downgrade_database, head_revision, upgrade_database
from workstation.storage.models import Base
from workstation.storage.store import backup_sqlite, open_store

TABLES = {
    "users",
    "fee_payments",
    "day_closings",
    "cases",
    "case_search_keys",
    "case_versions",
    "drafts",
    "case_events",
    "case_number_sequences",
    "office_settings",
    "user_prefs",
    "data_keys",
    "print_jobs",
    "office_secrets",
    "identity_checks",
    "attachments",
    "outbox_legs",
    "outbox_blobs",
    "outbox_leg_blobs",
    "audit_log",  # issue 8
    "audit_head",
}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def test_migrations_up_and_down(db_url):
    upgrade_database(db_url)
    assert _tables(db_url) == TABLES
    assert _revision(db_url) == head_revision()
    downgrade_database(db_url, "base")
    assert _tables(db_url) == set()
    assert _revision(db_url) is None
    upgrade_database(db_url)
    assert _tables(db_url) == TABLES


def test_each_revision_steps_down_and_up(db_url):
    upgrade_database(db_url)
    downgrade_database(db_url, "0001")
    assert _revision(db_url) == "0001"
    assert "print_jobs" not in _tables(db_url) and "cases" in _tables(db_url)
    upgrade_database(db_url)
    assert _tables(db_url) == TABLES


def test_migrations_match_the_models(db_url):
    upgrade_database(db_url)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_window_refuses_another_schema_version(postgres_url, protector, tmp_path):
    settings = make_settings(postgres_url)
    with pytest.raises(SchemaMismatch, match="yichuang db upgrade"):
        open_store(settings, protector=protector, data_dir=tmp_path, hasher=FAST_HASHER)
    assert _tables(postgres_url) == set()  # a window never migrates PostgreSQL itself
    upgrade_database(postgres_url)
    open_store(settings, protector=protector, data_dir=tmp_path, hasher=FAST_HASHER).close()
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_newer'"))
    engine.dispose()
    with pytest.raises(SchemaMismatch, match="比本程序新"):
        open_store(settings, protector=protector, data_dir=tmp_path, hasher=FAST_HASHER)


def test_sqlite_is_migrated_at_start_up_after_a_backup(tmp_path, protector):
    db = tmp_path / "w.db"
    url = f"sqlite:///{db}"
    data_dir = tmp_path / "data"
    store = open_store(make_settings(url), protector=protector, data_dir=data_dir, hasher=FAST_HASHER)
    store.close()
    assert _tables(url) == TABLES
    assert not (data_dir / "backups").exists()  # a new database needs no backup
    downgrade_database(url, "base")  # an existing file whose schema is behind
    store = open_store(make_settings(url), protector=protector, data_dir=data_dir, hasher=FAST_HASHER)
    store.close()
    backups = list((data_dir / "backups").glob("w-*.db"))
    assert len(backups) == 1
    assert _tables(url) == TABLES


def test_sqlite_from_a_newer_program_is_refused(tmp_path, protector):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    upgrade_database(url)
    with sqlite3.connect(tmp_path / "w.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_newer'")
    with pytest.raises(SchemaMismatch, match="比本程序新"):
        open_store(make_settings(url), protector=protector, data_dir=tmp_path, hasher=FAST_HASHER)


def test_sqlite_settings_and_backup_include_uncheckpointed_wal(tmp_path, protector):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    store = open_store(make_settings(url), protector=protector, data_dir=tmp_path, hasher=FAST_HASHER)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            busy = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            assert busy is not None and busy >= 1000
            # pages (a queued scan's hundreds) are read through a memory map, not a read() each
            mapped = conn.exec_driver_sql("PRAGMA mmap_size").scalar()
            assert mapped is not None and mapped >= 256 * 1024**2
        store.set_office_setting("office_name", "只在 WAL 中")
        assert (tmp_path / "w.db-wal").stat().st_size > 0
        copy = backup_sqlite(tmp_path / "w.db", tmp_path / "backups", label="test", now=store._clock())
    finally:
        store.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT value FROM office_settings").fetchone() == ('"只在 WAL 中"',)
