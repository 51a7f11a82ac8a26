"""``yichuang retention run [--dry-run]``: delete local scans and photos the back ends hold (issue 8).

The rule is in :mod:`workstation.retention`. ``run`` deletes the local copies of scans and face-check
photos whose departments confirmed them more than ``retention_local_scan_days`` days ago, in one
transaction, and records the counts in the audit log (kind ``retention``). ``--dry-run`` only counts.
No sign-in is needed, as for the scheduled task that also runs it once a day (``yichuang backup
auto``): the run shows no personal data and deletes only what the back ends confirmed they hold.
Exit code 0 on success, 1 on an error (printed in Chinese); ``--json`` prints the counts.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

EXIT_OK = 0
EXIT_ERROR = 1


def cmd_retention_run(args: argparse.Namespace) -> int:
    """Run (or with ``--dry-run`` count) the retention purge now, whatever the last run's time."""
    from workstation.cli import _out, _settings, _store
    from workstation.retention import run_retention

    settings = _settings()
    days = settings.retention_local_scan_days  # the office's rule: not overridable from here
    if days <= 0:
        _out("保留期限设置为 0（本地扫描件和照片不删除），无需运行；如需删除，请设置“本地扫描件保留天数”。")
        return EXIT_OK
    store = _store()
    try:
        outcome = run_retention(store, days=days, dry_run=args.dry_run)
    finally:
        store.close()
    if args.json:
        _out(
            json.dumps(
                {
                    "dry_run": outcome.dry_run,
                    "attachments": outcome.attachments,
                    "attachment_bytes": outcome.attachment_bytes,
                    "identity_checks": outcome.identity_checks,
                    "cases": outcome.cases,
                    "days": outcome.days,
                    "cutoff": outcome.cutoff.isoformat(),
                    "audit_seq": outcome.audit_seq,
                },
                ensure_ascii=False,
            )
        )
    else:
        _out(outcome.summary())
        if outcome.dry_run:
            _out("（试运行：未删除任何数据。去掉 --dry-run 即实际删除。）")
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``retention`` and its actions to the top-level sub-commands."""
    retention = subparsers.add_parser("retention", help="本地扫描件和人证核验照片的保留期限")
    actions = retention.add_subparsers(title="保留期限", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="删除部门已确认收到且超过保留期限的本地扫描件和照片")
    run.add_argument("--dry-run", action="store_true", help="只统计将删除多少，不删除")
    run.add_argument("--json", action="store_true", help="以 JSON 输出统计")
    run.set_defaults(func=cmd_retention_run)
