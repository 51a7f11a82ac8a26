"""The ``yichuang`` command: the GUI by default, and sub-commands for IT, support and automation.

Exit codes: 0 success; 1 an error the message explains (no traceback); 2 invalid input (``validate``).
Messages are Chinese, as the clerks and the office's IT read them. The module stays Qt-free: the GUI
is imported only when it is asked for, so the sub-commands start fast.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import secrets
import sys
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from workstation import __version__
from workstation.commands import admin as admin_commands
from workstation.commands import audit as audit_commands
from workstation.commands import config as config_commands
from workstation.commands import print as print_commands
from workstation.commands import report as report_commands
from workstation.commands import retention as retention_commands
from workstation.commands import scan as scan_commands
from workstation.commands import sync as sync_commands

if TYPE_CHECKING:
    from workstation.config import Settings
    from workstation.storage.api import User
    from workstation.storage.store import SqlStore

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INVALID = 2

DEMO_USERS = (
    ("clerk", "窗口受理员（演示）", "clerk"),
    ("supervisor", "科长（演示）", "supervisor"),
    ("admin", "系统管理员（演示）", "admin"),
)


class CliError(Exception):
    """An error the CLI reports as its message alone, with exit code 1."""


def _out(text: str, stream: TextIO | None = None) -> None:
    print(text, file=stream or sys.stdout)


# ---------------------------------------------------------------------------- helpers
def _settings() -> Settings:
    from workstation.config import load_settings

    return load_settings()


_OPENED: list[SqlStore] = []
"""Stores opened by this command; :func:`main` closes them (a PostgreSQL connection pool must not leak)."""


def _store() -> SqlStore:
    from workstation.storage.store import open_store

    store = open_store(_settings())
    _OPENED.append(store)
    return store


def _close_stores() -> None:
    while _OPENED:
        store = _OPENED.pop()
        try:
            store.close()
        except Exception as exc:  # the command's outcome stands; closing is best effort
            logging.getLogger(__name__).warning("closing the store failed: %s", type(exc).__name__)


def _signed_in(store: SqlStore, username: str | None) -> User:
    """Authenticate the operator of a CLI command (password from ``YICHUANG_PASSWORD`` or a prompt)."""
    if not username:
        raise CliError(
            "此操作需要登录：请用 --user 指定用户名（密码从提示输入，或由环境变量 YICHUANG_PASSWORD 提供）"
        )
    password = os.environ.get("YICHUANG_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise CliError("无法提示输入密码：请在终端中运行，或设置环境变量 YICHUANG_PASSWORD")
        password = getpass.getpass(f"用户 {username} 的密码：")
    return store.authenticate(username, password)


def _read_json(path: str) -> Any:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CliError(f"找不到文件：{path}，请检查路径") from exc
    except UnicodeDecodeError as exc:
        raise CliError(f"文件 {path} 不是 UTF-8 编码的文本，请另存为 UTF-8 后重试") from exc
    except OSError as exc:
        raise CliError(f"无法读取文件 {path}：{exc.strerror}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(
            f"文件 {path} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列附近有格式错误，"
            "请检查括号、引号和逗号"
        ) from exc


# ---------------------------------------------------------------------------- commands
def cmd_gui(args: argparse.Namespace) -> int:
    """Start the GUI."""
    from workstation.app import run_gui

    return run_gui([sys.argv[0], *args.qt_args])


def cmd_demo(args: argparse.Namespace) -> int:
    """Prepare demo users and sample cases, print the passwords, then start the GUI."""
    store = _store()
    from workstation.storage.api import Role

    existing = {u.username for u in store.list_users()}
    _out("一窗受理 演示账号（每次启动演示时重新生成密码）：")
    passwords: dict[str, str] = {}
    for username, display, role in DEMO_USERS:
        password = passwords[username] = secrets.token_urlsafe(6)
        if username in existing:
            store.set_password(username, password)
            store.set_user_active(username, True)
        else:
            store.add_user(username=username, display_name=display, password=password, role=Role(role))
        _out(f"  {username:<11} 密码 {password:<10} {display}")
    examples = Path(args.examples) if args.examples else _default_examples_dir()
    if examples and examples.is_dir() and not store.search("", limit=1):
        from forms.validation import validate_case

        admin = store.authenticate("admin", passwords["admin"])
        catalog = _catalog()
        imported = 0
        for file in sorted(examples.glob("*.json")):
            report = validate_case(_read_json(str(file)), catalog)
            if report.case is None or not report.ok:
                continue  # e.g. invalid_buyer_id.json, kept to show validation
            case = store.import_case(report.case, user=admin)
            store.transition(case.id, "ready", user=admin, reason="演示案件")
            imported += 1
        _out(f"已导入 {imported} 个示例案件（待提交：选中后按 Ctrl+Enter 提交各部门）。")
    from workstation import paths
    from workstation.demo import start_demo_services

    services = start_demo_services(store, data_dir=paths.data_dir())
    store.close()
    _out(f"参考后端（交易、税务、登记）已启动：http://{services.backends.host}:{services.backends.port}/")
    if services.memory_keyring:
        _out("本机没有系统钥匙串：演示期间部门凭据只保存在内存中，不写入文件。")
    try:
        if args.no_gui:
            return EXIT_OK
        return cmd_gui(args)
    finally:
        services.close()


def _default_examples_dir() -> Path | None:
    # Running from a source checkout: examples/ sits beside the packages.
    candidate = Path(__file__).resolve().parent.parent / "examples"
    return candidate if candidate.is_dir() else None


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Migrate the database to this program's schema."""
    from workstation.storage.store import upgrade_database

    settings = _settings()
    revision = upgrade_database(settings.database_url)
    _out(f"数据库已升级到版本 {revision}")
    return EXIT_OK


def cmd_users_add(args: argparse.Namespace) -> int:
    """Add a user; the first admin needs no sign-in."""
    from workstation.storage.api import Role

    store = _store()
    first = store.user_count() == 0
    if first and args.role != Role.ADMIN.value:
        raise CliError("系统中还没有用户：第一个用户必须是管理员（--role admin）")
    if not first:
        operator = _signed_in(store, args.user)
        if operator.role != Role.ADMIN:
            raise CliError(f"用户 {operator.username} 不是管理员，不能添加用户")
    password = args.password or os.environ.get("YICHUANG_NEW_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise CliError("请用 --password 或环境变量 YICHUANG_NEW_PASSWORD 提供新用户的密码")
        password = getpass.getpass(f"为 {args.username} 设置密码：")
        if getpass.getpass("再次输入密码：") != password:
            raise CliError("两次输入的密码不一致，请重试")
    user = store.add_user(
        username=args.username,
        display_name=args.name or args.username,
        password=password,
        role=Role(args.role),
    )
    _out(f"已添加用户 {user.username}（{_ROLE_NAMES[user.role.value]}）")
    return EXIT_OK


_ROLE_NAMES = {"clerk": "受理员", "supervisor": "科长", "admin": "管理员"}


def cmd_users_list(args: argparse.Namespace) -> int:
    """List users."""
    store = _store()
    _signed_in(store, args.user)
    users = store.list_users()
    if args.json:
        _out(
            json.dumps(
                [
                    {"username": u.username, "name": u.display_name, "role": u.role.value, "active": u.active}
                    for u in users
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    for u in users:
        status = "启用" if u.active else "停用"
        _out(f"{u.username:<16} {_ROLE_NAMES[u.role.value]:<4} {status}  {u.display_name}")
    return EXIT_OK


def cmd_users_disable(args: argparse.Namespace) -> int:
    """Disable a user."""
    from workstation.storage.api import Role

    store = _store()
    operator = _signed_in(store, args.user)
    if operator.role != Role.ADMIN:
        raise CliError(f"用户 {operator.username} 不是管理员，不能停用用户")
    if operator.username == args.username:
        raise CliError("不能停用自己正在使用的账号")
    store.set_user_active(args.username, False)
    _out(f"已停用用户 {args.username}")
    return EXIT_OK


def cmd_case_import(args: argparse.Namespace) -> int:
    """Import a case from a JSON file."""
    from forms.validation import validate_case

    data = _read_json(args.file)
    report = validate_case(data, _catalog())
    if report.case is None:
        _print_issues(args.file, report.issues)
        return EXIT_INVALID
    store = _store()
    user = _signed_in(store, args.user)
    case = store.import_case(report.case, user=user)
    state = "（有待补正的问题，已存为草稿）" if not report.ok else ""
    _out(f"已导入案件 {case.case_number}{state}")
    if not report.ok:
        _print_issues(args.file, report.issues, stream=sys.stderr)
    return EXIT_OK


def cmd_case_export(args: argparse.Namespace) -> int:
    """Export a case as JSON."""
    from workstation.audit import AuditKind

    store = _store()
    user = _signed_in(store, args.user)
    case_id = _resolve_case(store, args.case)
    case, _state = store.load_case(case_id)
    text = case.model_dump_json(indent=2)
    target = "file" if args.out else "stdout"
    store.audit(AuditKind.EXPORT, user_id=user.id, case_id=case_id, details={"to": target})
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        _out(f"已导出案件 {case.case_number} 到 {args.out}")
    else:
        _out(text)
    return EXIT_OK


def _resolve_case(store: SqlStore, ref: str) -> uuid.UUID:
    try:
        return uuid.UUID(ref)
    except ValueError:
        pass
    for summary in store.search(ref, limit=2):
        if summary.case_number == ref:
            return summary.id
    raise CliError(f"找不到受理编号为 {ref} 的案件，请核对编号（也可以使用案件标识 UUID）")


def _catalog() -> Any:
    from forms.catalog import load_catalog

    settings = _settings()
    return load_catalog(Path(settings.catalog_file) if settings.catalog_file else None)


def _print_issues(source: str, issues: Sequence[Any], stream: TextIO | None = None) -> None:
    for issue in issues:
        level = "错误" if issue.severity == "error" else "提示"
        where = issue.path or "（整个案件）"
        _out(f"{source}: {level} {where}：{issue.message}", stream or sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a case file: exit 0 when valid, 2 when not."""
    from forms.validation import validate_case

    data = _read_json(args.file)
    report = validate_case(data, _catalog())
    if args.json:
        _out(
            json.dumps(
                {
                    "ok": report.ok,
                    "issues": [
                        {"path": i.path, "message": i.message, "severity": i.severity, "code": i.code}
                        for i in report.issues
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_issues(args.file, report.issues)
        if report.ok:
            warnings = f"（{len(report.warnings)} 条提示）" if report.warnings else ""
            _out(f"{args.file}: 校验通过{warnings}")
        else:
            _out(f"{args.file}: 有 {len(report.errors)} 处错误需要更正", sys.stderr)
    return EXIT_OK if report.ok else EXIT_INVALID


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the case JSON Schema."""
    from forms.case import case_json_schema

    _out(json.dumps(case_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_tax(args: argparse.Namespace) -> int:
    """Print the tax and fee estimate of a case file."""
    from forms.case import Case
    from forms.tax.estimator import estimate
    from forms.tax.render import render_table
    from forms.tax.settings import TaxSettings, load_tax_settings
    from forms.validation import validate_case

    data = _read_json(args.file)
    try:
        case = Case.model_validate(data)
    except ValueError:
        _print_issues(args.file, validate_case(data).issues)
        return EXIT_INVALID
    office_file = args.office_settings or _settings().tax_settings_file
    settings = load_tax_settings(Path(office_file)) if office_file else TaxSettings()
    result = estimate(case, settings)
    if args.json:
        _out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _out(render_table(result))
    return EXIT_OK


def cmd_idcard_read(args: argparse.Namespace) -> int:
    """Read the ID card on a reader (GA 467 SAM protocol), or a passport chip over PC/SC, and print it."""
    if args.pcsc is not None:
        from scanning.passport.cli import read_command as read_passport

        if not args.mrz:
            raise CliError(
                "读取护照芯片需要机读区（MRZ）：请用 --mrz 提供护照资料页底部两行，或“证件号 出生日期 有效期”"
            )
        code, text = read_passport(args.pcsc or None, args.mrz, args.json, timeout=args.timeout)
    else:
        from scanning.idcard.cli import read_command

        code, text = read_command(args.port, args.json, timeout=args.timeout)
    _out(text, sys.stdout if code == EXIT_OK else sys.stderr)
    return code


def cmd_backends(args: argparse.Namespace) -> int:
    """Serve the reference 交易/税务/登记 back ends on this machine until interrupted."""
    from sync.backends.__main__ import main as backends_main

    db = args.db or str(_data_dir() / "backends.db")
    return backends_main(["--host", args.host, "--port", str(args.port), "--db", db])


def _data_dir() -> Path:
    from workstation import paths

    return paths.data_dir()


# ---------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    """The whole command line; later issues add sub-commands here."""
    parser = argparse.ArgumentParser(
        prog="yichuang",
        description="一窗受理 不动产登记综合受理工作站。不带子命令时启动图形界面。",
    )
    parser.add_argument("--version", action="version", version=f"yichuang {__version__}")
    parser.add_argument(
        "--data-dir",
        help="数据文件夹（默认：Windows 为 %%ProgramData%%\\Yichuang，其他系统为 /var/lib/yichuang）",
    )
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="界面语言 / UI language")
    parser.add_argument(
        "--simulate-devices",
        action="store_true",
        help="使用模拟的身份证阅读器和摄像头（演示、培训）；yichuang demo 默认开启",
    )
    parser.set_defaults(func=cmd_gui, qt_args=[])
    sub = parser.add_subparsers(title="子命令", metavar="COMMAND")

    demo = sub.add_parser("demo", help="准备演示账号和示例案件，然后启动图形界面")
    demo.add_argument("--no-gui", action="store_true", help="只准备，不启动界面")
    demo.add_argument("--examples", help="示例案件文件夹")
    demo.set_defaults(func=cmd_demo)

    db = sub.add_parser("db", help="数据库维护")
    db_sub = db.add_subparsers(title="数据库", metavar="ACTION", required=True)
    db_sub.add_parser(
        "upgrade", help="把数据库升级到本程序的版本（PostgreSQL 必须由管理员执行）"
    ).set_defaults(func=cmd_db_upgrade)

    users = sub.add_parser("users", help="本地用户管理")
    users_sub = users.add_subparsers(title="用户", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", help="添加用户（系统中没有用户时，可不登录添加第一个管理员）")
    add.add_argument("username")
    add.add_argument("--name", help="显示姓名")
    add.add_argument("--role", choices=["clerk", "supervisor", "admin"], default="clerk")
    add.add_argument("--password", help="新用户的密码（也可用环境变量 YICHUANG_NEW_PASSWORD）")
    add.add_argument("--user", help="执行操作的管理员用户名")
    add.set_defaults(func=cmd_users_add)
    lst = users_sub.add_parser("list", help="列出用户")
    lst.add_argument("--user", help="执行操作的用户名")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_users_list)
    dis = users_sub.add_parser("disable", help="停用用户")
    dis.add_argument("username")
    dis.add_argument("--user", help="执行操作的管理员用户名")
    dis.set_defaults(func=cmd_users_disable)

    case = sub.add_parser("case", help="案件导入导出")
    case_sub = case.add_subparsers(title="案件", metavar="ACTION", required=True)
    imp = case_sub.add_parser("import", help="从 JSON 文件导入案件")
    imp.add_argument("file")
    imp.add_argument("--user", help="执行操作的用户名")
    imp.set_defaults(func=cmd_case_import)
    exp = case_sub.add_parser("export", help="把案件导出为 JSON")
    exp.add_argument("case", help="受理编号或案件标识")
    exp.add_argument("--out", help="输出文件（默认打印到标准输出）")
    exp.add_argument("--user", help="执行操作的用户名")
    exp.set_defaults(func=cmd_case_export)

    val = sub.add_parser("validate", help="校验案件 JSON 文件（有效时退出码 0，无效时 2）")
    val.add_argument("file")
    val.add_argument("--json", action="store_true", help="以 JSON 输出问题列表")
    val.set_defaults(func=cmd_validate)

    sub.add_parser("schema", help="打印案件 JSON Schema").set_defaults(func=cmd_schema)

    tax = sub.add_parser("tax", help="估算税费")
    tax.add_argument("file")
    tax.add_argument("--office-settings", help="本地税费设置 TOML 文件（默认取设置项 tax_settings_file）")
    tax.add_argument("--json", action="store_true")
    tax.set_defaults(func=cmd_tax)
    idcard = sub.add_parser("idcard", help="身份证阅读器")
    idcard_sub = idcard.add_subparsers(title="身份证", metavar="ACTION", required=True)
    read = idcard_sub.add_parser("read", help="读取放在阅读器上的证件")
    read.add_argument("--port", help="串口（如 COM3 或 /dev/ttyUSB0）；不指定时自动查找")
    read.add_argument("--json", action="store_true", help="以 JSON 输出")
    read.add_argument("--timeout", type=float, default=5.0, help="等待放卡的秒数")
    read.add_argument(
        "--pcsc",
        nargs="?",
        const="",
        metavar="READER",
        help="改为读取护照芯片（非接触式 PC/SC 读卡器；可指定读卡器名称）",
    )
    read.add_argument("--mrz", help="护照机读区（两行，或“证件号 出生日期 有效期”），用于基本访问控制")
    read.set_defaults(func=cmd_idcard_read)
    backends = sub.add_parser("backends", help="启动本机参考后端（交易、税务、登记），用于演示和测试")
    backends.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    backends.add_argument("--port", type=int, default=8765, help="端口（默认 8765）")
    backends.add_argument("--db", help="后端数据库文件（默认在数据文件夹中）")
    backends.set_defaults(func=cmd_backends)
    print_commands.register(sub)
    scan_commands.register(sub)
    sync_commands.register(sub)
    admin_commands.register(sub)
    audit_commands.register(sub)
    report_commands.register(sub)  # end-of-day report (issue 8)
    retention_commands.register(sub)
    config_commands.register(sub)  # settings (issue 9)
    return parser


def _known_errors() -> tuple[type[BaseException], ...]:
    from workstation.errors import known_error_types

    return (CliError, *known_error_types())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    if rest:
        if func is not cmd_gui and func is not cmd_demo:
            parser.error(f"无法识别的参数：{' '.join(rest)}")
        args.qt_args = rest
    if args.data_dir:
        os.environ["YICHUANG_DATA_DIR"] = args.data_dir
    if args.lang:
        os.environ["YICHUANG_LANG"] = args.lang
    if args.simulate_devices or func is cmd_demo:
        os.environ["YICHUANG_SIMULATE_DEVICES"] = "1"
    try:
        return func(args)
    except _known_errors() as exc:
        _out(f"错误：{exc}", sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        _out("已取消。", sys.stderr)
        return 130
    finally:
        _close_stores()


if __name__ == "__main__":
    sys.exit(main())
