"""Backups: on demand and scheduled, listing and pruning, restore, and upgrade safety."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.workstation.storage.conftest import FAST_HASHER, make_settings
from workstation import backup
from workstation.backup import AppRunning, BackupError
from workstation.cli import main
from workstation.storage import migrate
from workstation.storage.api import Role
from workstation.storage.crypto import key_file_protector
from workstation.storage.store import open_store

T0 = datetime(2026, 1, 15, 2, 0, tzinfo=UTC)


def _revision(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def _usernames(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT username FROM users")}
    finally:
        conn.close()


@pytest.fixture
def window(tmp_path: Path):
    """A window's data folder with a database holding one user."""
    data_dir = tmp_path / "data"
    db = data_dir / "yichuang.db"
    settings = make_settings(f"sqlite:///{db}", backup_keep=3, backup_interval_hours=24)
    protector = key_file_protector(tmp_path / "machine.key")
    store = open_store(settings, protector=protector, data_dir=data_dir, hasher=FAST_HASHER)
    store.add_user(username="alice", display_name="甲", password="password-1", role=Role.CLERK)
    store.close()
    return settings, data_dir, db, protector


def _add_user(settings, data_dir, protector, name: str) -> None:
    store = open_store(settings, protector=protector, data_dir=data_dir, hasher=FAST_HASHER)
    try:
        store.add_user(username=name, display_name="乙", password="password-2", role=Role.CLERK)
    finally:
        store.close()


def test_backup_now_copies_a_checked_database(window):
    settings, data_dir, _db, _ = window
    target = backup.backup_now(settings, data_dir=data_dir, now=T0)
    assert target.name == "yichuang-20260115-020000-manual.db"
    assert target.parent == data_dir / "backups"
    assert _usernames(target) == {"alice"}
    listed = backup.list_backups(settings, data_dir=data_dir)
    assert [(b.path, b.label, b.kind) for b in listed] == [(target, "manual", "手动备份")]


def test_backup_goes_to_the_configured_folder(window, tmp_path):
    settings, data_dir, _, _ = window
    elsewhere = tmp_path / "share" / "backups"
    configured = settings.model_copy(update={"backup_dir": elsewhere})
    target = backup.backup_now(configured, data_dir=data_dir, now=T0)
    assert target.parent == elsewhere


def test_no_database_yet_is_a_clear_error(tmp_path):
    settings = make_settings(f"sqlite:///{tmp_path / 'none.db'}")
    with pytest.raises(BackupError, match="还不存在"):
        backup.backup_now(settings, data_dir=tmp_path)
    assert backup.run_scheduled(settings, data_dir=tmp_path, now=T0) is None


def test_scheduled_backups_run_when_due_and_keep_the_newest(window):
    settings, data_dir, _, _ = window
    made = []
    now = T0
    for _ in range(5):
        target = backup.run_scheduled(settings, data_dir=data_dir, now=now)
        assert target is not None
        made.append(target)
        assert backup.run_scheduled(settings, data_dir=data_dir, now=now + timedelta(hours=23)) is None
        now += timedelta(hours=24)
    kept = [b.path for b in backup.list_backups(settings, data_dir=data_dir)]
    assert kept == made[::-1][:3]  # backup_keep = 3, newest first
    assert backup.last_scheduled(settings, data_dir=data_dir) is not None
    off = settings.model_copy(update={"backup_interval_hours": 0})
    assert not backup.backup_due(off, data_dir=data_dir, now=now + timedelta(days=30))


def test_pruning_never_deletes_manual_or_pre_upgrade_copies(window):
    settings, data_dir, _db, _ = window
    manual = backup.backup_now(settings, data_dir=data_dir, now=T0 - timedelta(days=30))
    pre = backup.backup_now(settings, data_dir=data_dir, now=T0 - timedelta(days=31), label="rev0002")
    for day in range(6):
        backup.backup_now(settings, data_dir=data_dir, now=T0 + timedelta(days=day), label="scheduled")
    backup.prune(settings, data_dir=data_dir)
    labels = [b.label for b in backup.list_backups(settings, data_dir=data_dir)]
    assert labels == ["scheduled"] * 3 + ["manual", "rev0002"]
    assert manual.exists() and pre.exists()


def test_restore_from_a_scheduled_backup_keeps_the_current_database(window):
    settings, data_dir, db, protector = window
    scheduled = backup.run_scheduled(settings, data_dir=data_dir, now=T0)
    assert scheduled is not None
    _add_user(settings, data_dir, protector, "bob")  # after the backup
    assert _usernames(db) == {"alice", "bob"}
    kept = backup.restore_backup(scheduled, settings, data_dir=data_dir, now=T0 + timedelta(hours=5))
    assert kept is not None and kept.name == "yichuang.db.before-restore-20260115-070000"
    assert _usernames(db) == {"alice"}
    assert _usernames(kept) == {"alice", "bob"}
    # The restored database opens with the machine key and works.
    store = open_store(settings, protector=protector, data_dir=data_dir, hasher=FAST_HASHER)
    try:
        assert store.authenticate("alice", "password-1").username == "alice"
    finally:
        store.close()


def test_restore_refuses_while_the_program_runs(window):
    settings, data_dir, _db, _ = window
    copy = backup.backup_now(settings, data_dir=data_dir, now=T0)
    lock = backup.hold_app_lock(data_dir)
    try:
        assert backup.app_running(data_dir)
        with pytest.raises(AppRunning, match="正在运行"):
            backup.restore_backup(copy, settings, data_dir=data_dir)
    finally:
        lock.release()
    assert not backup.app_running(data_dir)
    assert backup.restore_backup(copy, settings, data_dir=data_dir) is not None


def test_restore_refuses_what_is_not_a_usable_backup(window, tmp_path):
    settings, data_dir, _, _ = window
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="不是"):
        backup.restore_backup(junk, settings, data_dir=data_dir)
    with pytest.raises(BackupError, match="找不到备份文件"):
        backup.restore_backup(tmp_path / "missing.db", settings, data_dir=data_dir)
    newer = backup.backup_now(settings, data_dir=data_dir, now=T0)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_newer'")
    with pytest.raises(BackupError, match="更新版本"):
        backup.restore_backup(newer, settings, data_dir=data_dir)
    pg = make_settings("postgresql+psycopg://u:p@127.0.0.1/x")
    with pytest.raises(BackupError, match="pg_restore"):
        backup.restore_backup(newer, pg, data_dir=data_dir)


def test_postgres_without_pg_dump_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    settings = make_settings("postgresql+psycopg://u:secret@127.0.0.1/x")
    with pytest.raises(BackupError, match="pg_dump") as caught:
        backup.backup_now(settings, data_dir=tmp_path)
    assert "postgresql-client" in str(caught.value)
    assert "secret" not in str(caught.value)


@pytest.mark.postgres
def test_postgres_backup_with_pg_dump(postgres_server, postgres_url, tmp_path, monkeypatch):
    migrate.upgrade_database(postgres_url)
    monkeypatch.setenv("PATH", f"{postgres_server.bin_dir}:{Path(shutil.which('sh') or '/bin/sh').parent}")
    target = backup.backup_now(make_settings(postgres_url), data_dir=tmp_path, now=T0)
    assert target.suffix == ".dump" and target.stat().st_size > 0
    assert target.read_bytes().startswith(b"PGDMP")


def test_cli_backup_now_list_restore(window, monkeypatch, capsys):
    settings, data_dir, _db, _ = window
    monkeypatch.setenv("YICHUANG_DATA_DIR", str(data_dir))
    assert main(["backup", "now"]) == 0
    made = capsys.readouterr().out
    assert "已备份到" in made
    assert main(["backup", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert "manual" in listed
    path = next(b.path for b in backup.list_backups(settings, data_dir=data_dir))
    assert main(["backup", "restore", str(path)]) == 0
    assert "恢复前的数据库保存在" in capsys.readouterr().out
    lock = backup.hold_app_lock(data_dir)
    try:
        assert main(["backup", "restore", str(path)]) == 1
        assert "正在运行" in capsys.readouterr().err
    finally:
        lock.release()
    assert main(["backup", "auto"]) == 0
    assert "已备份到" in capsys.readouterr().out
    assert main(["backup", "auto"]) == 0
    assert "未到备份时间" in capsys.readouterr().out


# ------------------------------------------------------------------------------ upgrade safety
FAILING_REVISION = '''"""A migration that fails half-way (test only)."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("doomed", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("UPDATE users SET display_name = 'overwritten'")
    raise RuntimeError("forced migration failure")


def downgrade():
    op.drop_table("doomed")
'''


def _script_dir(tmp_path: Path, name: str, *, upto: str | None = None, failing: bool = False) -> str:
    """A copy of the migrations with revisions after ``upto`` removed, or with a failing one added."""
    source = Path(migrate.SCRIPT_LOCATION)
    target = tmp_path / name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    versions = target / "versions"
    if upto is not None:
        for script in versions.glob("[0-9][0-9][0-9][0-9]_*.py"):
            if script.name[:4] > upto:
                script.unlink()
    if failing:
        head = migrate.head_revision()
        (versions / "9999_fail.py").write_text(FAILING_REVISION.format(head=head), encoding="utf-8")
    return str(target)


def test_a_failed_migration_rolls_back_and_leaves_a_usable_backup(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    db = data_dir / "yichuang.db"
    settings = make_settings(f"sqlite:///{db}")
    protector = key_file_protector(tmp_path / "machine.key")
    current = migrate.SCRIPT_LOCATION
    previous = _script_dir(tmp_path, "previous", upto="0002")  # the previous release's migrations
    failing = _script_dir(tmp_path, "failing", failing=True)  # this release, with a broken step

    monkeypatch.setattr(migrate, "SCRIPT_LOCATION", previous)
    _add_user(settings, data_dir, protector, "alice")
    assert _revision(db) == "0002"

    monkeypatch.setattr(migrate, "SCRIPT_LOCATION", failing)
    with pytest.raises(RuntimeError, match="forced migration failure"):
        open_store(settings, protector=protector, data_dir=data_dir, hasher=FAST_HASHER)

    # Rolled back: same revision, no half-made table, data untouched.
    assert _revision(db) == "0002"
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        names = {row[0] for row in conn.execute("SELECT display_name FROM users")}
    assert "doomed" not in tables and "outbox" not in tables
    assert names == {"乙"}
    # The backup taken before migrating is there and usable.
    pre = [b for b in backup.list_backups(settings, data_dir=data_dir) if b.label == "rev0002"]
    assert len(pre) == 1
    assert _usernames(pre[0].path) == {"alice"}

    # The previous version still opens the data: its schema is intact at its own head revision.
    # (This release's code signs in through the audit log, a table the previous schema lacks, so the
    # check reads the users as the previous release's store would: by listing them.)
    monkeypatch.setattr(migrate, "SCRIPT_LOCATION", previous)
    store = open_store(settings, protector=protector, data_dir=data_dir, hasher=FAST_HASHER)
    try:
        assert [u.username for u in store.list_users()] == ["alice"]
    finally:
        store.close()

    # Restoring the pre-upgrade backup works, and the real release upgrades it.
    backup.restore_backup(pre[0].path, settings, data_dir=data_dir)
    monkeypatch.setattr(migrate, "SCRIPT_LOCATION", current)
    store = open_store(settings, protector=protector, data_dir=data_dir, hasher=FAST_HASHER)
    try:
        assert store.authenticate("alice", "password-2").username == "alice"
    finally:
        store.close()
    assert _revision(db) == migrate.head_revision()
