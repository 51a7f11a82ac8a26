"""Engines for SQLite and PostgreSQL, with the connection settings the journal needs.

SQLite: WAL journal (readers never block the writer), ``synchronous=FULL`` (a committed draft
survives a power cut), a busy timeout, foreign keys on. PostgreSQL: a connection pool with
pre-ping, so a window survives a server restart.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from workstation.storage.errors import DatabaseUnavailable, DiskFull

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Reads of the database file go through a memory map instead of a read() per page: a queued scan is
# hundreds of overflow pages, read at 0.47 ms of CPU per MB through read() and 0.23–0.32 ms through
# the map (1 MB scans, measured on their own). SQLite caps it at its build's maximum (2 GB); writes
# still go through the WAL with write(), so a full disk is reported as before.
SQLITE_MMAP_BYTES = 2 * 1024**3


def is_sqlite(url: str) -> bool:
    """Whether the SQLAlchemy URL names an SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the sqlite3 module, emits BEGIN (see _sqlite_begin), so DDL and reads are
    # transactional too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # Write transactions ask for the write lock at BEGIN (execution option ``sqlite_immediate``), so
    # two writers wait for each other (busy timeout) instead of failing on a lock upgrade.
    immediate = conn.get_execution_options().get("sqlite_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the connection settings above.

    Raises:
        DatabaseUnavailable: the URL is malformed or its driver is not installed.
    """
    try:
        if is_sqlite(url):
            engine = create_engine(url, **kwargs)
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(url, pool_pre_ping=True, **kwargs)
    except (ImportError, ValueError) as exc:
        raise DatabaseUnavailable(
            f"数据库地址无法使用（{type(exc).__name__}）：请检查设置“数据库地址”（database_url），"
            "PostgreSQL 需要安装 psycopg。"
        ) from exc


def _is_disk_full(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, OSError) and orig.errno == errno.ENOSPC:
        return True
    if isinstance(orig, sqlite3.Error) and getattr(orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return True
    text = str(orig).lower()
    return "disk is full" in text or "no space left" in text or "could not extend file" in text


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
    """Turn driver errors about the environment into :class:`DiskFull` / :class:`DatabaseUnavailable`."""
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFull("磁盘已满，数据无法保存。请清理磁盘空间（或联系系统管理员）后重试。") from exc
        raise
    except DBAPIError as exc:
        if _is_disk_full(exc):
            raise DiskFull("磁盘已满，数据无法保存。请清理磁盘空间（或联系系统管理员）后重试。") from exc
        if isinstance(exc, OperationalError) or exc.connection_invalidated:
            raise DatabaseUnavailable(
                "无法连接数据库（网络中断、数据库服务未启动或数据库文件被占用）。请检查网络后重试；"
                "多次失败请联系系统管理员。"
            ) from exc
        raise
