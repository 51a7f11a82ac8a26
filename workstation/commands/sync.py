"""``yichuang sync run|status|retry``, ``yichuang enrol`` and ``yichuang submit``: the outbox from the CLI.

``sync run`` is what a service or a scheduled task runs: a loop at the configured interval, or with
``--once`` one round that delivers what is due, asks for due answers and prints a summary. It must
run as the OS account that ran ``enrol``: the signing key and credentials are in that account's
keyring.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from sync.errors import SyncError
    from workstation.sync_service import SyncService

EXIT_OK = 0


def _service() -> SyncService:
    from workstation.cli import _settings, _store
    from workstation.sync_service import SyncService

    return SyncService(_store(), _settings())


def _fail(exc: SyncError) -> NoReturn:
    from workstation.cli import CliError

    raise CliError(str(exc)) from exc


def cmd_sync_run(args: argparse.Namespace) -> int:
    """Deliver due legs and fetch answers: once, or every interval until stopped."""
    from sync.errors import SyncError
    from workstation.cli import _out

    service = _service()
    try:
        for problem in service.not_enrolled():
            _out(f"提示：{problem}", sys.stderr)
        worker = service.worker()
        if args.once:
            summary = worker.run_once()
            _out(summary.describe())
            return EXIT_OK
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # a service manager's stop
        _out(f"发送服务已启动，每 {worker.settings.interval:g} 秒处理一次（Ctrl+C 停止）")
        worker.run_forever(stop, on_round=lambda summary: _out(summary.describe()))
    except SyncError as exc:
        return _fail(exc)
    return EXIT_OK


def cmd_sync_status(args: argparse.Namespace) -> int:
    """Print the outbox's counts, the legs that need a person and the overdue ones."""
    from sync.outbox import LEG_LABELS, LegState
    from workstation.cli import _out

    service = _service()
    counts = service.outbox.counts()
    failed = service.outbox.legs(states={LegState.FAILED}, limit=50)
    overdue = service.overdue()
    if args.json:
        report: dict[str, Any] = {
            "counts": {state.value: n for state, n in counts.items()},
            "failed": [_leg_json(v) for v in failed],
            "overdue": [_leg_json(v) for v in overdue],
        }
        _out(json.dumps(report, ensure_ascii=False, indent=2))
        return EXIT_OK
    _out("  ".join(f"{LEG_LABELS[state]} {n}" for state, n in counts.items()))
    for view in failed:
        _out(f"发送失败：{view.case_number} {view.department.label}：{view.last_error or ''}")
    for view in overdue:
        _out(f"超期未送达：{view.case_number} {view.department.label}（提交于 {view.created_at:%Y-%m-%d}）")
    return EXIT_OK


def _leg_json(view: Any) -> dict[str, Any]:
    return {
        "case_number": view.case_number,
        "department": view.department.value,
        "package_id": str(view.package_id),
        "state": view.state.value,
        "attempts": view.attempts,
        "last_error": view.last_error,
        "created_at": view.created_at.isoformat(),
    }


def cmd_sync_retry(args: argparse.Namespace) -> int:
    """Queue failed legs again once a person fixed the cause."""
    from workstation.cli import CliError, _out, _resolve_case, _signed_in
    from workstation.storage.api import Role

    service = _service()
    operator = _signed_in(service.store, args.user)
    if operator.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise CliError(f"用户 {operator.username} 不是科长或管理员，不能重新发送失败的数据包")
    case_id = _resolve_case(service.store, args.case) if args.case else None
    count = service.retry_failed(case_id)
    _out(f"已重新排队 {count} 个数据包")
    return EXIT_OK


def cmd_enrol(args: argparse.Namespace) -> int:
    """Register this window's key with each configured department; credentials go to the keyring."""
    from sync.errors import SyncError
    from workstation.cli import CliError, _out, _signed_in
    from workstation.storage.api import Role

    service = _service()
    operator = _signed_in(service.store, args.user)
    if operator.role != Role.ADMIN:
        raise CliError(f"用户 {operator.username} 不是管理员，不能执行窗口登记")
    try:
        enrolled = service.enrol(args.token)
    except SyncError as exc:
        return _fail(exc)
    for department, credential in enrolled.items():
        _out(f"已在{department.label}登记（密钥 {credential.key_id}）")
    return EXIT_OK


def cmd_submit(args: argparse.Namespace) -> int:
    """Submit a ready case: state ``submitted`` and its outbox legs, in one transaction."""
    from workstation.cli import _out, _resolve_case, _signed_in

    service = _service()
    user = _signed_in(service.store, args.user)
    case_id = _resolve_case(service.store, args.case)
    submission = service.submit_case(case_id, user=user)
    names = "、".join(d.label for d in submission.legs)
    _out(f"案件已提交，待发送至{names}（共 {len(submission.legs)} 个数据包）")
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``sync``, ``enrol`` and ``submit`` to the ``yichuang`` command line."""
    sync = subparsers.add_parser("sync", help="与交易、税务、登记部门交换数据（待发送队列）")
    sync_sub = sync.add_subparsers(title="同步", metavar="ACTION", required=True)
    run = sync_sub.add_parser("run", help="发送待发送的数据包并取回部门答复（默认按设置的间隔循环）")
    run.add_argument("--once", action="store_true", help="只处理一次当前到期的数据包，然后退出并打印摘要")
    run.set_defaults(func=cmd_sync_run)
    status = sync_sub.add_parser("status", help="显示待发送队列的状态、发送失败和超期未送达的数据包")
    status.add_argument("--json", action="store_true", help="以 JSON 输出")
    status.set_defaults(func=cmd_sync_status)
    retry = sync_sub.add_parser("retry", help="排除故障后重新发送失败的数据包（科长或管理员）")
    retry.add_argument("case", nargs="?", help="受理编号或案件标识；不填则重发全部失败的数据包")
    retry.add_argument("--user", help="执行操作的用户名")
    retry.set_defaults(func=cmd_sync_retry)

    enrol = subparsers.add_parser("enrol", help="在各部门系统登记本窗口的签名密钥（管理员）")
    enrol.add_argument("--token", required=True, help="部门发放的登记令牌")
    enrol.add_argument("--user", help="执行操作的管理员用户名")
    enrol.set_defaults(func=cmd_enrol)

    submit = subparsers.add_parser("submit", help="提交待提交的案件，排队发送至各部门")
    submit.add_argument("case", help="受理编号或案件标识")
    submit.add_argument("--user", help="执行操作的用户名")
    submit.set_defaults(func=cmd_submit)
