"""``yichuang report day [--date D] [--office] --out FILE.pdf [--sign]``: the end-of-day report (issue 8).

Needs a supervisor's or administrator's sign-in (``--user``; the password from ``YICHUANG_PASSWORD`` or
a prompt). Writes the signed report when the day was signed off, otherwise the report as of now;
``--sign`` signs the day off with the same user's password (once per day and scope). The export is
recorded in the audit log.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any


def _day(text: str | None) -> date:
    from workstation.cli import CliError

    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"“--date”的值“{text}”不是有效日期：请写成 2025-03-14 的格式") from exc


def cmd_report_day(args: argparse.Namespace) -> int:
    """Write the day's report to ``--out``."""
    import os

    from printing.day_report import render_day_report
    from workstation.cli import EXIT_OK, CliError, _out, _settings, _signed_in, _store
    from workstation.day_report import OFFICE_SCOPE, window_scope
    from workstation.permissions import Action, require

    day = _day(args.date)
    out = Path(args.out)
    if not out.parent.exists():
        raise CliError(f"文件夹 {out.parent} 不存在：请先创建它，或换一个保存位置")
    settings = _settings()
    store = _store()
    try:
        user = require(_signed_in(store, args.user), Action.VIEW_REPORTS)
        scope = OFFICE_SCOPE if args.office else window_scope(settings.office_code, settings.window_id)
        from forms.catalog import load_catalog

        names = {bt.id: bt.name for bt in load_catalog(settings.catalog_file).types}
        if args.sign:
            password = os.environ.get("YICHUANG_PASSWORD", "")
            if not password:
                raise CliError("签字确认需要密码：请设置环境变量 YICHUANG_PASSWORD 后重试")
            closing, pdf = store.close_day(
                scope=scope,
                day=day,
                username=user.username,
                password=password,
                office_name=settings.office_name,
                type_names=names,
                render=render_day_report,
            )
            note = f"已签字确认（{closing.signed_by_name}）"
        else:
            existing = store.day_closing(scope, day)
            if existing is not None:
                pdf = store.day_closing_pdf(existing.id)
                signed = existing.signed_at.astimezone()
                note = f"已签字版本（{existing.signed_by_name}，{signed:%Y-%m-%d %H:%M}）"
            else:
                report = store.day_report(
                    scope=scope, day=day, user=user, office_name=settings.office_name, type_names=names
                )
                pdf = render_day_report(report)
                note = "未签字"
        out.write_bytes(pdf)
        store.record_export(user=user, what=f"day_report:{scope}:{day.isoformat()}", path=str(out), rows=0)
    finally:
        store.close()
    _out(f"日终报表 {day.isoformat()}（{scope}，{note}）已保存到 {out}")
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``report`` and its actions to the top-level sub-commands."""
    report = subparsers.add_parser("report", help="报表：日终报表")
    actions = report.add_subparsers(title="报表", metavar="REPORT", required=True)
    day = actions.add_parser("day", help="日终报表（PDF；需科长或管理员登录）")
    day.add_argument("--date", help="日期，如 2025-03-14（默认今天）")
    day.add_argument("--office", action="store_true", help="全所（各窗口合计，仅全所共享数据库）")
    day.add_argument("--out", required=True, help="保存的 PDF 文件")
    day.add_argument("--user", help="登录用户名（密码从提示输入或环境变量 YICHUANG_PASSWORD）")
    day.add_argument("--sign", action="store_true", help="同时签字确认（密码取自 YICHUANG_PASSWORD）")
    day.set_defaults(func=cmd_report_day)
