"""Database backups: scheduled and on demand, listing, and restore; and the lock that says the app runs.

* **SQLite** (one window): SQLite's online backup API copies the live database (WAL included) while the
  app keeps working; each copy is checked with ``PRAGMA integrity_check`` before it counts.
* **PostgreSQL** (an office's shared database): ``pg_dump --format=custom`` when it is on ``PATH``,
  otherwise :class:`BackupError` says what to install. Restoring a PostgreSQL dump is IT's job
  (``pg_restore``); :func:`restore_backup` refuses it with a message saying so.

Backups go to the folder of the setting ``backup_dir`` (default ``backups/`` in the data folder, where
the copies taken before every migration also go). File names carry the time and a label:
``yichuang-20260115-020000-scheduled.db``; the label tells scheduled copies (pruned to ``backup_keep``)
from manual ones and pre-upgrade ones (``rev<revision>``, never pruned).

:func:`run_scheduled` is what the scheduled task runs (``yichuang backup auto``, hourly): it backs up
only when the newest scheduled copy is older than ``backup_interval_hours``.

Restore refuses while the program runs: the GUI and the sync worker hold :func:`hold_app_lock` (a
shared lock on ``yichuang.lock`` in the data folder, released by the OS when a process dies), and
restore needs the exclusive lock. The current database is kept as ``<db>.before-restore-<time>``.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Final

from sqlalchemy.engine import make_url

from workstation import paths
from workstation.config import Settings
from workstation.storage import migrate
from workstation.storage.db import is_sqlite
from workstation.storage.store import backup_sqlite, sqlite_path

LOCK_FILE_NAME: Final = "yichuang.lock"
SCHEDULED: Final = "scheduled"
MANUAL: Final = "manual"
BEFORE_RESTORE: Final = "before-restore"
_NAME_RE: Final = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<label>[A-Za-z0-9_.-]+)\.(?:db|dump)$")


class BackupError(Exception):
    """A backup or restore cannot be done; ``str(exc)`` says why and what to do, in Chinese."""


class AppRunning(BackupError):
    """The program (window or sync worker) is using the database, so it cannot be replaced."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file.

    Attributes:
        path: the file.
        created: when it was taken (from its name, UTC).
        label: ``scheduled``, ``manual``, ``rev<revision>`` (before a migration) or another label.
        size: bytes.
    """

    path: Path
    created: datetime
    label: str
    size: int

    @property
    def kind(self) -> str:
        """The label in Chinese."""
        if self.label == SCHEDULED:
            return "定时备份"
        if self.label == MANUAL:
            return "手动备份"
        if self.label.startswith("rev"):
            return "升级前备份"
        return self.label


# ------------------------------------------------------------------------------------ the lock
def lock_path(data_dir: Path) -> Path:
    """The lock file of the data folder."""
    return data_dir / LOCK_FILE_NAME


def _lock(handle: IO[bytes], *, exclusive: bool) -> bool:
    """Take a shared or exclusive lock without waiting; ``False`` when another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return _lock_windows(handle, exclusive=exclusive)
    import fcntl

    try:
        fcntl.flock(handle.fileno(), (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _lock_windows(handle: IO[bytes], *, exclusive: bool) -> bool:  # pragma: no cover - Windows only
    """``LockFileEx`` on the first byte: shared for the program, exclusive for restore."""
    import ctypes
    import msvcrt
    from ctypes import wintypes

    class _Overlapped(ctypes.Structure):
        _fields_ = [
            ("Internal", ctypes.c_void_p),
            ("InternalHigh", ctypes.c_void_p),
            ("Offset", wintypes.DWORD),
            ("OffsetHigh", wintypes.DWORD),
            ("hEvent", wintypes.HANDLE),
        ]

    lockfile_fail_immediately = 0x1
    lockfile_exclusive_lock = 0x2
    flags = lockfile_fail_immediately | (lockfile_exclusive_lock if exclusive else 0)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    os_handle = msvcrt.get_osfhandle(handle.fileno())  # type: ignore[attr-defined]
    overlapped = _Overlapped()
    return bool(kernel32.LockFileEx(wintypes.HANDLE(os_handle), flags, 0, 1, 0, ctypes.byref(overlapped)))


class AppLock:
    """A held lock on the data folder's ``yichuang.lock``; :meth:`release` (or process exit) frees it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle: IO[bytes] | None = handle

    def release(self) -> None:
        """Release the lock (closing the file releases it)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def hold_app_lock(data_dir: Path) -> AppLock:
    """Mark the database as in use by this process (GUI, sync worker) until released or exit.

    Several processes may hold it at once (shared lock); restore needs it exclusively.

    Raises:
        AppRunning: a restore is running right now.
    """
    paths.ensure_private_dir(data_dir)
    handle = open(lock_path(data_dir), "ab")  # noqa: SIM115 - kept open for the process's life
    if not _lock(handle, exclusive=False):
        handle.close()
        raise AppRunning("正在恢复数据库备份，请等恢复完成后再启动一窗受理。")
    return AppLock(handle)


@contextmanager
def exclusive_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data folder exclusively (nobody uses the database) for a restore.

    Raises:
        AppRunning: the window or the sync worker runs.
    """
    paths.ensure_private_dir(data_dir)
    with open(lock_path(data_dir), "ab") as handle:
        if not _lock(handle, exclusive=True):
            raise AppRunning(
                "一窗受理正在运行（窗口程序或后台发送任务），不能恢复数据库。请关闭本机所有一窗受理窗口，"
                "并暂停计划任务 Yichuang\\Sync（Windows：schtasks "
                "/Change /TN Yichuang\\Sync /DISABLE）后重试。"
            )
        yield


def app_running(data_dir: Path) -> bool:
    """Whether a process holds the data folder's lock (the GUI or the sync worker runs)."""
    if not lock_path(data_dir).exists():
        return False
    try:
        with exclusive_lock(data_dir):
            return False
    except AppRunning:
        return True


# ------------------------------------------------------------------------------------- backups
def backup_folder(settings: Settings, data_dir: Path) -> Path:
    """Where backups go: the setting ``backup_dir``, else ``backups/`` in the data folder."""
    return Path(settings.backup_dir) if settings.backup_dir else data_dir / "backups"


def _database_file(settings: Settings) -> Path:
    db_file = sqlite_path(settings.database_url)
    if db_file is None:
        raise BackupError("内存数据库无法备份：请检查设置“数据库地址”（database_url）。")
    return db_file


def _check_sqlite_file(path: Path) -> str | None:
    """Open a database file read-only and check it; returns its schema revision.

    Raises:
        BackupError: not an SQLite database, or damaged.
    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开 {path}（{exc}）：不是一窗受理的数据库备份。") from exc
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()
        if not result or result[0] != "ok":
            raise BackupError(f"备份 {path} 已损坏（完整性检查未通过），请选择另一份备份。")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            raise BackupError(f"{path} 不是一窗受理的数据库备份（没有结构版本信息），请选择另一份备份。")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} 不是有效的数据库备份（{exc}），请选择另一份备份。") from exc
    finally:
        conn.close()
    return str(row[0]) if row else None


def _pg_dump(settings: Settings, folder: Path, *, label: str, now: datetime) -> Path:
    exe = shutil.which("pg_dump")
    if exe is None:
        raise BackupError(
            "数据库是 PostgreSQL，备份需要 pg_dump，但本机找不到它。请安装 PostgreSQL 客户端工具"
            "（Windows：PostgreSQL 安装包中的 Command Line Tools；"
            "Debian：apt-get install postgresql-client），"
            "并把其 bin 文件夹加入 PATH，或由数据库服务器统一备份。"
        )
    url = make_url(settings.database_url).set(drivername="postgresql")
    database = url.database or "yichuang"
    paths.ensure_private_dir(folder)
    target = folder / f"{database}-{now:%Y%m%d-%H%M%S}-{label}.dump"
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(password=None).render_as_string(hide_password=False)
    result = subprocess.run(
        [exe, "--format=custom", f"--file={target}", f"--dbname={conninfo}"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        reason = (
            result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"退出码 {result.returncode}"
        )
        raise BackupError(f"pg_dump 备份失败：{reason}。请检查数据库地址和权限后重试。")
    return target


def backup_now(
    settings: Settings, *, data_dir: Path, now: datetime | None = None, label: str = MANUAL
) -> Path:
    """Back up the database now.

    Args:
        settings: ``database_url`` and ``backup_dir``.
        data_dir: the data folder (default backup folder).
        now: the time in the file name (UTC now by default).
        label: ``manual``, ``scheduled`` or another label.

    Returns:
        The backup file.

    Raises:
        BackupError: no database yet, no pg_dump, disk full, or the copy fails its check.
    """
    now = now or datetime.now(UTC)
    folder = backup_folder(settings, data_dir)
    if not is_sqlite(settings.database_url):
        return _pg_dump(settings, folder, label=label, now=now)
    db_file = _database_file(settings)
    if not db_file.is_file():
        raise BackupError(f"数据库文件 {db_file} 还不存在（尚未启动过一窗受理），没有可备份的数据。")
    try:
        target = backup_sqlite(db_file, folder, label=label, now=now)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            f"备份到 {folder} 失败（{type(exc).__name__}: "
            f"{exc}）。请检查该文件夹是否存在、可写，磁盘空间是否足够。"
        ) from exc
    try:
        _check_sqlite_file(target)
    except BackupError:
        target.unlink(missing_ok=True)
        raise
    return target


def _parse(path: Path) -> BackupInfo | None:
    match = _NAME_RE.match(path.name)
    if match is None:
        return None
    created = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    return BackupInfo(path=path, created=created, label=match["label"], size=path.stat().st_size)


def list_backups(settings: Settings, *, data_dir: Path) -> list[BackupInfo]:
    """Every backup in the backup folder and in ``backups/`` of the data folder, newest first."""
    folders = {backup_folder(settings, data_dir).resolve(), (data_dir / "backups").resolve()}
    found: list[BackupInfo] = []
    for folder in folders:
        if folder.is_dir():
            found += [info for p in folder.iterdir() if p.is_file() and (info := _parse(p)) is not None]
    return sorted(found, key=lambda info: (info.created, info.path.name), reverse=True)


def prune(settings: Settings, *, data_dir: Path) -> list[Path]:
    """Delete scheduled backups beyond ``backup_keep`` (oldest first); returns the deleted files."""
    scheduled = [b for b in list_backups(settings, data_dir=data_dir) if b.label == SCHEDULED]
    removed = []
    for info in scheduled[settings.backup_keep :]:
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def last_scheduled(settings: Settings, *, data_dir: Path) -> BackupInfo | None:
    """The newest scheduled backup, or ``None``."""
    return next((b for b in list_backups(settings, data_dir=data_dir) if b.label == SCHEDULED), None)


def backup_due(settings: Settings, *, data_dir: Path, now: datetime | None = None) -> bool:
    """Whether a scheduled backup is due (interval passed since the newest, or none yet)."""
    if settings.backup_interval_hours <= 0:
        return False
    newest = last_scheduled(settings, data_dir=data_dir)
    now = now or datetime.now(UTC)
    return newest is None or now - newest.created >= timedelta(hours=settings.backup_interval_hours)


def run_scheduled(settings: Settings, *, data_dir: Path, now: datetime | None = None) -> Path | None:
    """The scheduled task's step: back up when due, then prune; ``None`` when nothing was due.

    Raises:
        BackupError: the backup failed (the task's exit code and message show it).
    """
    now = now or datetime.now(UTC)
    if not backup_due(settings, data_dir=data_dir, now=now):
        return None
    if is_sqlite(settings.database_url) and not _database_file(settings).is_file():
        return None  # nothing to back up before the first start
    target = backup_now(settings, data_dir=data_dir, now=now, label=SCHEDULED)
    prune(settings, data_dir=data_dir)
    return target


# ------------------------------------------------------------------------------------- restore
def restore_backup(
    backup: Path, settings: Settings, *, data_dir: Path, now: datetime | None = None
) -> Path | None:
    """Replace the database with a backup; the current database is kept as a ``.before-restore`` copy.

    A backup from an older version is fine: the program upgrades it at the next start (after taking
    its own pre-upgrade copy). A backup from a newer version is refused.

    Args:
        backup: the backup file.
        settings: ``database_url``.
        data_dir: the data folder (its lock says whether the program runs).
        now: the time in the ``.before-restore`` name.

    Returns:
        The ``.before-restore`` copy of the database that was replaced (``None`` when there was none).

    Raises:
        AppRunning: the window or the sync worker runs.
        BackupError: PostgreSQL, not a backup, damaged, or from a newer program.
    """
    if not is_sqlite(settings.database_url):
        raise BackupError(
            "数据库是 PostgreSQL：请由信息科在停止所有窗口后用 pg_restore --clean 恢复 pg_dump 备份，"
            "再运行 yichuang db upgrade。"
        )
    if not backup.is_file():
        raise BackupError(f"找不到备份文件 {backup}，请检查路径（yichuang backup list 列出全部备份）。")
    revision = _check_sqlite_file(backup)
    if revision is not None:
        try:
            migrate.check_schema_known(revision)
        except Exception as exc:
            raise BackupError(f"备份 {backup.name} 来自更新版本的一窗受理：{exc}") from exc
    now = now or datetime.now(UTC)
    db_file = _database_file(settings)
    with exclusive_lock(data_dir):
        kept: Path | None = None
        if db_file.is_file():
            kept = db_file.with_name(f"{db_file.name}.{BEFORE_RESTORE}-{now:%Y%m%d-%H%M%S}")
            _sqlite_copy(db_file, kept)
        tmp = db_file.with_name(f"{db_file.name}.restoring")
        tmp.unlink(missing_ok=True)
        _sqlite_copy(backup, tmp)
        for suffix in ("-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, db_file)
    return kept


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy an SQLite database file (with its WAL) to a new file with the backup API."""
    paths.ensure_private_dir(target.parent)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    if sys.platform != "win32":
        os.chmod(target, 0o600)
