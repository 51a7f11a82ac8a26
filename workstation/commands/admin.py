r"""``yichuang doctor`` and ``yichuang backup now|list|restore|auto``: support and IT commands.

``doctor`` prints one line per check (``--json`` for tools) and exits 0 when nothing FAILs;
``--bundle FILE.zip`` also writes a support bundle without personal data. ``backup auto`` is what the
scheduled task ``Yichuang\\Backup`` runs every hour: it backs up only when a backup is due.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_ERROR = 1


def _data_dir() -> Path:
    from workstation import paths

    return paths.data_dir(create=False)


def cmd_doctor(args: argparse.Namespace) -> int:
    """Check the installation; exit 0 when nothing fails."""
    from workstation.doctor import Doctor, exit_code, render_text, to_json, write_bundle

    doctor = Doctor.for_machine(_data_dir())
    results = doctor.run()
    if args.json:
        print(json.dumps(to_json(results), ensure_ascii=False, indent=2))
    else:
        print(render_text(results))
    if args.bundle:
        target = write_bundle(Path(args.bundle), results, doctor)
        print(f"诊断包已写入 {target}（含日志和设置，不含个人信息）", file=sys.stderr)
    return exit_code(results)


def _settings() -> Any:
    from workstation.config import load_settings

    return load_settings(data_dir=_data_dir())


def cmd_backup_now(args: argparse.Namespace) -> int:
    """Back up the database now."""
    from workstation.backup import BackupError, backup_now

    try:
        target = backup_now(_settings(), data_dir=_data_dir())
    except BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"已备份到 {target}")
    return EXIT_OK


def cmd_backup_auto(args: argparse.Namespace) -> int:
    """The scheduled task's step: back up when due (``backup_interval_hours``), keep ``backup_keep``.

    First, once a day, delete the local scans and photos past retention (issue 8,
    :func:`workstation.retention.scheduled_run`), so the new backup no longer holds them. A failure
    there (e.g. this account cannot use the machine key) is printed as a warning and does not stop
    the backup; the exit code is the backup's, as the scheduled task's monitoring expects.
    """
    from workstation.backup import BackupError, run_scheduled
    from workstation.errors import is_known
    from workstation.retention import scheduled_run

    try:
        purged = scheduled_run(_settings(), data_dir=_data_dir())
    except Exception as exc:  # known or not, it is reported and the backup still runs
        reason = str(exc) if is_known(exc) else type(exc).__name__
        print(f"警告：本次未能删除到期的本地扫描件和照片（下次计划任务会再试）：{reason}", file=sys.stderr)
    else:
        if purged is not None:
            print(purged.summary())
    try:
        target = run_scheduled(_settings(), data_dir=_data_dir())
    except BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"已备份到 {target}" if target else "未到备份时间（或还没有数据库），无需备份。")
    return EXIT_OK


def cmd_backup_list(args: argparse.Namespace) -> int:
    """List the backups, newest first."""
    from workstation.backup import list_backups

    backups = list_backups(_settings(), data_dir=_data_dir())
    if args.json:
        rows = [
            {"path": str(b.path), "created": b.created.isoformat(), "label": b.label, "size": b.size}
            for b in backups
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not backups:
        print("还没有备份（yichuang backup now 立即备份）。")
        return EXIT_OK
    for b in backups:
        print(f"{b.created:%Y-%m-%d %H:%M} UTC  {b.kind:<6} {b.size / 1024**2:8.1f} MB  {b.path}")
    return EXIT_OK


def cmd_backup_restore(args: argparse.Namespace) -> int:
    """Replace the database with a backup (refused while the program runs)."""
    from workstation.backup import BackupError, restore_backup

    try:
        kept = restore_backup(Path(args.file), _settings(), data_dir=_data_dir())
    except BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"已从 {args.file} 恢复数据库。")
    if kept is not None:
        print(f"恢复前的数据库保存在 {kept}（确认无误后可删除）。")
    print("下次启动时如备份来自旧版本，会先自动备份再升级数据库结构。")
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``doctor`` and ``backup`` to the ``yichuang`` command line."""
    doctor = subparsers.add_parser(
        "doctor", help="检查本机安装（数据库、部门后台、设备、字体、钥匙串、磁盘、时钟）"
    )
    doctor.add_argument("--json", action="store_true", help="以 JSON 输出")
    doctor.add_argument("--bundle", metavar="FILE.zip", help="同时写出诊断包（日志和设置，不含个人信息）")
    doctor.set_defaults(func=cmd_doctor)

    backup = subparsers.add_parser("backup", help="数据库备份与恢复")
    backup_sub = backup.add_subparsers(title="备份", metavar="ACTION", required=True)
    backup_sub.add_parser("now", help="立即备份数据库").set_defaults(func=cmd_backup_now)
    backup_sub.add_parser("auto", help="到期时备份（计划任务每小时运行）").set_defaults(func=cmd_backup_auto)
    lst = backup_sub.add_parser("list", help="列出备份（新的在前）")
    lst.add_argument("--json", action="store_true", help="以 JSON 输出")
    lst.set_defaults(func=cmd_backup_list)
    restore = backup_sub.add_parser("restore", help="用备份替换数据库（须先关闭一窗受理和同步任务）")
    restore.add_argument("file", help="备份文件（yichuang backup list 列出）")
    restore.set_defaults(func=cmd_backup_restore)
