"""Schema migrations (Alembic), configured in code: no ``alembic.ini`` needed.

SQLite databases are upgraded by the window at start-up (after a backup, see
:func:`workstation.storage.store.open_store`); PostgreSQL databases only by ``yichuang db upgrade``
(:func:`upgrade_database`), and a window refuses to start on another schema version
(:func:`check_schema`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection

from workstation.storage.db import make_engine, translated_errors
from workstation.storage.errors import SchemaMismatch

SCRIPT_LOCATION = str(Path(__file__).with_name("migrations"))


def alembic_config(*, url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic configuration for our migrations, on a URL or an open connection."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The schema revision this program's code expects."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (``None`` for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_connection(connection: Connection, revision: str = "head") -> None:
    """Run the upgrade steps on an open connection (the caller commits)."""
    command.upgrade(alembic_config(connection=connection), revision)


def upgrade_database(url: str, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (``yichuang db upgrade``).

    Raises:
        DatabaseUnavailable: the database cannot be reached.
        DiskFull: no space left.
    """
    engine = make_engine(url)
    try:
        with translated_errors(), engine.begin() as connection:
            upgrade_connection(connection, revision)
    finally:
        engine.dispose()


def downgrade_database(url: str, revision: str) -> None:
    """Downgrade the database at ``url`` to ``revision`` (``base`` removes every table)."""
    engine = make_engine(url)
    try:
        with translated_errors(), engine.begin() as connection:
            command.downgrade(alembic_config(connection=connection), revision)
    finally:
        engine.dispose()


def check_schema_known(revision: str) -> None:
    """Refuse a revision this program does not know (written by a newer program).

    Raises:
        SchemaMismatch: with a Chinese message saying what to do.
    """
    script = ScriptDirectory.from_config(alembic_config())
    try:
        known = script.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise SchemaMismatch(
            f"数据库的结构版本（{revision}）比本程序新。请把本窗口的一窗受理升级到与其他窗口相同的版本。"
        )


def check_schema(connection: Connection) -> None:
    """Refuse a database whose schema is not the one this program expects.

    Raises:
        SchemaMismatch: with a Chinese message saying what to do.
    """
    current = current_revision(connection)
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaMismatch(
            "数据库尚未初始化（没有表结构）。请系统管理员先运行 “yichuang db upgrade”，再启动本窗口。"
        )
    check_schema_known(current)
    raise SchemaMismatch(
        f"数据库的结构版本（{current}）比本程序需要的（{head}）旧。请系统管理员在升级后运行 "
        "“yichuang db upgrade”，再启动本窗口。"
    )


def main(argv: list[str] | None = None) -> None:
    """Developer entry point: ``python -m workstation.storage.migrate revision -m MSG --url URL``."""
    parser = argparse.ArgumentParser(description="Yichuang schema migrations (development)")
    parser.add_argument("action", choices=["revision", "upgrade", "downgrade", "current"])
    parser.add_argument("--url", required=True)
    parser.add_argument("-m", "--message", default="")
    parser.add_argument("--rev", default="head")
    args = parser.parse_args(argv)
    config = alembic_config(url=args.url)
    if args.action == "revision":
        command.revision(config, message=args.message, autogenerate=True)
    elif args.action == "upgrade":
        upgrade_database(args.url, args.rev)
    elif args.action == "downgrade":
        downgrade_database(args.url, args.rev)
    else:
        command.current(config)


if __name__ == "__main__":
    main()
