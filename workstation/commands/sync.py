"""``yichuang sync run|status|retry|export|import|import-acks|lookup``, ``enrol``, ``submit``: the outbox.

``sync run`` is what a service or a scheduled task runs: a loop at the configured interval, or with
``--once`` one round that delivers what is due, asks for due answers and prints a summary. It must
run as the OS account that ran ``enrol``: the signing key and credentials are in that account's
keyring. While it runs it holds the data folder's app lock (:func:`workstation.backup.hold_app_lock`),
so ``backup restore`` refuses to replace the database under it. When a configured department is not
enrolled yet and the administrator policy presets an enrolment token (``enrol_token``, the MSI's
``ENROL_TOKEN``), it enrols this window first — the scheduled task running as SYSTEM enrols the
machine without anyone signing in. The token is never printed or logged.

``enrol`` takes the token from ``--token``, or else from the ``enrol_token`` setting.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from sync.errors import SyncError
    from workstation.sync_service import SyncService

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_PARTIAL = 3
"""Some files on the stick were skipped (listed on stderr); the rest were handled."""


def _service() -> SyncService:
    from workstation.cli import _settings, _store
    from workstation.sync_service import SyncService

    return SyncService(_store(), _settings())


def _fail(exc: SyncError) -> NoReturn:
    from workstation.cli import CliError

    raise CliError(str(exc)) from exc


def cmd_sync_run(args: argparse.Namespace) -> int:
    """Deliver due legs and fetch answers: once, or every interval until stopped.

    The app lock is held for the whole run (taken before the database is opened).
    """
    from sync.errors import SyncError
    from workstation import paths
    from workstation.backup import AppRunning, hold_app_lock
    from workstation.cli import CliError, _out

    try:
        lock = hold_app_lock(paths.data_dir())
    except AppRunning as exc:
        raise CliError(str(exc)) from exc
    try:
        service = _service()
        _enrol_from_policy(service)
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
    finally:
        lock.release()
    return EXIT_OK


def _enrol_from_policy(service: SyncService) -> None:
    """Enrol the departments not enrolled yet with the preset token (``enrol_token``), if there is one.

    A department that cannot be reached now stays unenrolled; the next run tries again.
    """
    from sync.errors import SyncError
    from workstation.cli import _out

    missing = [problem.department for problem in service.not_enrolled()]
    token = service.settings.enrol_token.strip()
    if not missing or not token:
        return
    names = "、".join(d.label for d in missing)
    log.info(
        "not enrolled with %s: enrolling with the preset enrolment token", ", ".join(d.value for d in missing)
    )
    _out(f"本窗口尚未在{names}登记：使用管理员策略预设的登记令牌自动登记")
    for department in missing:
        try:
            credential = service.enrol(token, departments=[department])[department]
        except SyncError as exc:
            log.warning("automatic enrolment with %s failed: %s", department.value, type(exc).__name__)
            _out(f"自动登记{department.label}未成功：{exc}", sys.stderr)
            continue
        log.info("enrolled with %s (key %s)", department.value, credential.key_id)
        _out(f"已在{department.label}登记（密钥 {credential.key_id}）")


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


def _report(report: Any, done: str, duplicates: str) -> int:
    from workstation.cli import _out

    _out(f"{done} {report.done} 个；{duplicates} {report.duplicates} 个")
    for problem in report.problems:
        _out(f"跳过：{problem}", sys.stderr)
    return EXIT_OK if not report.problems else EXIT_PARTIAL


def cmd_sync_export(args: argparse.Namespace) -> int:
    """Write the undelivered packages to a USB stick, each sealed to its department's key."""
    from sync.errors import SyncError
    from workstation.cli import CliError, _out

    service = _service()
    try:
        report = service.export_to_stick(args.to)
    except SyncError as exc:
        return _fail(exc)
    except OSError as exc:
        raise CliError(
            f"无法写入 U 盘目录 {args.to}（{exc.strerror or type(exc).__name__}）。请检查 U 盘后重试。"
        ) from exc
    _out(
        f"已导出 {report.done} 个数据包到 {args.to}。"
        "请在联网的电脑上执行 yichuang sync import --from 该目录。"
    )
    for problem in report.problems:
        _out(f"跳过：{problem}", sys.stderr)
    return EXIT_OK if not report.problems else EXIT_PARTIAL


def cmd_sync_import(args: argparse.Namespace) -> int:
    """On a connected machine: deliver a stick's packages and write the acknowledgements back."""
    report = _service().import_from_stick(args.source)
    return _report(report, "已送达", "部门已持有（重复导入）")


def cmd_sync_import_acks(args: argparse.Namespace) -> int:
    """On the offline window: read the departments' acknowledgements from the stick."""
    report = _service().import_acks(args.source)
    return _report(report, "已标记送达", "此前已标记")


def cmd_sync_lookup(args: argparse.Namespace) -> int:
    """Look a contract (交易) or a unit's status (登记) up, with the answer's age."""
    from sync.errors import SyncError
    from sync.lookups import STATUS_FLAGS, describe_age
    from sync.worker import utc_now
    from workstation.cli import _out

    service = _service()
    try:
        if args.kind == "contract":
            record = service.lookup_contract(args.number)
            _out(
                f"合同 {record.filing_no}：成交价 {record.price} 元，"
                f"不动产单元 {record.property.unit_number}，"
                f"当事人 {len(record.parties)} 人（数据时间：{describe_age(record.as_of, utc_now())}）"
            )
        else:
            status = service.property_status(args.number)
            flags = "，".join(
                f"{label}{'有' if getattr(status, n) else '无'}" for n, label in STATUS_FLAGS.items()
            )
            _out(f"不动产单元 {status.unit_no}：{flags}（数据时间：{describe_age(status.as_of, utc_now())}）")
    except SyncError as exc:
        return _fail(exc)
    return EXIT_OK


def cmd_enrol(args: argparse.Namespace) -> int:
    """Register this window's key with each configured department; credentials go to the keyring.

    The token is ``--token``, or else the ``enrol_token`` setting (preset by the installer's policy).
    """
    from sync.errors import SyncError
    from workstation.cli import CliError, _out, _signed_in
    from workstation.storage.api import Role

    service = _service()
    operator = _signed_in(service.store, args.user)
    if operator.role != Role.ADMIN:
        raise CliError(f"用户 {operator.username} 不是管理员，不能执行窗口登记")
    token = (args.token or service.settings.enrol_token).strip()
    if not token:
        raise CliError(
            "缺少登记令牌：请用 --token 指定部门发放的登记令牌，"
            "或由信息科在管理员策略中设置“窗口登记令牌”（enrol_token，安装参数 ENROL_TOKEN）。"
        )
    try:
        enrolled = service.enrol(token)
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

    export = sync_sub.add_parser("export", help="无网络时：把待发送的数据包加密导出到 U 盘")
    export.add_argument("--to", type=Path, required=True, help="U 盘上的目录")
    export.set_defaults(func=cmd_sync_export)
    imp = sync_sub.add_parser("import", help="在联网的电脑上：把 U 盘上的数据包送达各部门，并把回执写回 U 盘")
    imp.add_argument("--from", dest="source", type=Path, required=True, help="U 盘上的目录")
    imp.set_defaults(func=cmd_sync_import)
    acks = sync_sub.add_parser("import-acks", help="在离线窗口：读取 U 盘上的部门回执，标记已送达")
    acks.add_argument("--from", dest="source", type=Path, required=True, help="U 盘上的目录")
    acks.set_defaults(func=cmd_sync_import_acks)
    lookup = sync_sub.add_parser("lookup", help="联网查询：按网签备案编号查合同，或按不动产单元号查房屋状态")
    lookup.add_argument("kind", choices=("contract", "property"), help="contract：合同；property：房屋状态")
    lookup.add_argument("number", help="网签备案编号或不动产单元号")
    lookup.set_defaults(func=cmd_sync_lookup)

    enrol = subparsers.add_parser("enrol", help="在各部门系统登记本窗口的签名密钥（管理员）")
    enrol.add_argument("--token", help="部门发放的登记令牌（不填则用设置 enrol_token，即安装时预设的令牌）")
    enrol.add_argument("--user", help="执行操作的管理员用户名")
    enrol.set_defaults(func=cmd_enrol)

    submit = subparsers.add_parser("submit", help="提交待提交的案件，排队发送至各部门")
    submit.add_argument("case", help="受理编号或案件标识")
    submit.add_argument("--user", help="执行操作的用户名")
    submit.set_defaults(func=cmd_submit)
