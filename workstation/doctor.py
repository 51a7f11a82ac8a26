"""``yichuang doctor``: is this window's installation healthy, and if not, what exactly is wrong.

Each check returns one or more :class:`CheckResult` with a status — ``OK``, ``WARN`` (works, but
someone should look), ``FAIL`` (something the window needs is broken) or ``SKIP`` (does not apply here,
e.g. no back end configured) — and a Chinese message saying what was found and how to fix it. The
command exits 0 when nothing FAILs.

Checks: settings, database and migration state, backups, back-end reachability and clock drift (the
``Date`` header of their answers), enrolment (credentials in the keyring), devices (serial ports for
the ID-card reader, the scanner interface), the bundled fonts (load, cover and draw Chinese), the OS
keyring, key-file and data-folder permissions, disk space of the data folder, the log folder.

:func:`write_bundle` writes a support bundle (zip): the results, the effective configuration with
secrets masked, the rotated logs and versions — never the database, scans or key files. Logs hold no
personal data by design (:mod:`workstation.crashlog`); the bundle still masks anything shaped like an
ID number or a mobile number in them, in case a third-party library logged one.

Qt-free: the CLI imports this module, and Qt loads only for the GUI.
"""

from __future__ import annotations

import io
import json
import os
import platform
import re
import shutil
import socket
import stat
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, NamedTuple

from workstation import __version__, paths
from workstation.config import Config, ConfigError, Settings, field_title

DISK_WARN_BYTES: Final = 2 * 1024**3
"""Less free space than this in the data folder's disk: WARN."""
DISK_FAIL_BYTES: Final = 300 * 1024**2
"""Less free space than this: FAIL (drafts and scans may no longer be saved)."""
CLOCK_WARN_SECONDS: Final = 60.0
"""Clock drift against a back end above this: WARN."""
CLOCK_FAIL_SECONDS: Final = 300.0
"""Clock drift above this: FAIL (signatures and TLS certificates are checked against the time)."""
HTTP_TIMEOUT_SECONDS: Final = 5.0
FONT_SAMPLE: Final = "一窗受理不动产登记申请书䶮𠮷"
"""Text the bundled fonts must cover and draw (common characters and two rare name characters)."""
SECRET_KEYS: Final = frozenset({"enrol_token"})
"""Settings whose values never leave the machine (masked in the bundle and in ``--json``)."""
URL_KEYS: Final = ("sync_transaction_url", "sync_tax_url", "sync_registration_url")
DEPARTMENT_OF_URL: Final = {
    "sync_transaction_url": "transaction",
    "sync_tax_url": "tax",
    "sync_registration_url": "registration",
}


class Status(StrEnum):
    """The outcome of one check."""

    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"
    SKIP = "SKIP"

    @property
    def label(self) -> str:
        """The status in Chinese."""
        return {"OK": "正常", "WARN": "注意", "FAIL": "故障", "SKIP": "跳过"}[self.value]


@dataclass(frozen=True)
class CheckResult:
    """One finding.

    Attributes:
        check: the check's id (``database``, ``fonts`` …).
        title: the check's Chinese name.
        status: OK, WARN, FAIL or SKIP.
        message: what was found and, when not OK, how to fix it (Chinese).
        data: machine-readable details for ``--json`` (no personal data, no secrets).
    """

    check: str
    title: str
    status: Status
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "check": self.check,
            "title": self.title,
            "status": self.status.value,
            "message": self.message,
            "data": self.data,
        }


class HttpAnswer(NamedTuple):
    """What a back end answered: HTTP status and its ``Date`` header (``None`` when absent)."""

    status: int
    date: str | None


HttpGet = Callable[[str, Settings], HttpAnswer]
DiskUsage = Callable[[Path], tuple[int, int, int]]


def http_get(url: str, settings: Settings) -> HttpAnswer:
    """GET ``url`` with the sync settings' CA bundle and proxy (TLS verification always on).

    Raises:
        OSError: the back end cannot be reached (DNS, refused, timeout, TLS), with the reason.
    """
    import httpx

    verify: Any = str(settings.sync_ca_bundle) if getattr(settings, "sync_ca_bundle", None) else True
    proxy = getattr(settings, "sync_proxy", None) or None
    try:
        with httpx.Client(
            timeout=HTTP_TIMEOUT_SECONDS, verify=verify, proxy=proxy, trust_env=False
        ) as client:
            response = client.get(url)
    except httpx.HTTPError as exc:
        raise OSError(f"{type(exc).__name__}: {exc}") from exc
    return HttpAnswer(response.status_code, response.headers.get("Date"))


@dataclass
class Doctor:
    """The checks' inputs; tests replace the environment-facing parts.

    Attributes:
        data_dir: the data folder.
        settings: the effective settings (defaults when they cannot be read; see ``config_error``).
        config_error: why the settings could not be read, or ``None``.
        http: the HTTP probe of the back ends.
        disk_usage: ``shutil.disk_usage``.
        now: the current time (UTC).
        answers: back-end answers collected by the reachability check for the clock check.
    """

    data_dir: Path
    settings: Settings
    config_error: str | None = None
    http: HttpGet = http_get
    disk_usage: DiskUsage = shutil.disk_usage
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    answers: dict[str, HttpAnswer] = field(default_factory=dict)

    @classmethod
    def for_machine(cls, data_dir: Path | None = None) -> Doctor:
        """The doctor for this machine's data folder and settings."""
        folder = data_dir if data_dir is not None else paths.data_dir(create=False)
        try:
            return cls(data_dir=folder, settings=Config(data_dir=folder).settings)
        except ConfigError as exc:
            return cls(data_dir=folder, settings=Settings(), config_error=str(exc))

    def run(self) -> list[CheckResult]:
        """Run every check in order (a check that crashes is reported as FAIL, not raised)."""
        results: list[CheckResult] = []
        for check_id, title, check in CHECKS:
            try:
                results += check(self)
            except Exception as exc:  # a broken check must not hide the others
                results.append(
                    CheckResult(
                        check_id,
                        title,
                        Status.FAIL,
                        f"检查本身出错（{type(exc).__name__}: {_first_line(exc)}）："
                        "请把诊断包（yichuang doctor --bundle）发给信息科。",
                    )
                )
        return results


def exit_code(results: Iterable[CheckResult]) -> int:
    """0 when nothing FAILs, else 1."""
    return 1 if any(r.status is Status.FAIL for r in results) else 0


def _result(check: str, status: Status, message: str, **data: Any) -> CheckResult:
    return CheckResult(check, TITLES[check], status, message, data)


# ---------------------------------------------------------------------------------- checks
def check_config(doc: Doctor) -> list[CheckResult]:
    """The settings files and policy can be read."""
    if doc.config_error is not None:
        return [_result("config", Status.FAIL, f"设置有误，以下检查按默认设置进行：{doc.config_error}")]
    return [
        _result(
            "config",
            Status.OK,
            f"设置可读；登记机构代码 {doc.settings.office_code}，窗口编号 {doc.settings.window_id}。",
            office_code=doc.settings.office_code,
            window_id=doc.settings.window_id,
        )
    ]


def _sqlite_revision(db_file: Path) -> str | None:
    import sqlite3

    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()


def check_database(doc: Doctor) -> list[CheckResult]:
    """The database answers, and its schema revision against this program's (read-only)."""
    from workstation.storage import migrate
    from workstation.storage.db import is_sqlite, make_engine
    from workstation.storage.store import sqlite_path

    url = doc.settings.database_url
    head = migrate.head_revision()
    sqlite_db = is_sqlite(url)
    try:
        if sqlite_db:
            db_file = sqlite_path(url)
            if db_file is None or not db_file.is_file():
                return [
                    _result(
                        "database",
                        Status.WARN,
                        f"数据库文件 {db_file} 还不存在：首次启动一窗受理时自动创建。若本窗口已在使用，"
                        "说明数据文件夹设置不对，请检查“数据库地址”（database_url）或 YICHUANG_DATA_DIR。",
                        head=head,
                    )
                ]
            current = _sqlite_revision(db_file)
        else:
            from sqlalchemy.engine import make_url

            engine = make_engine(url, connect_args={"connect_timeout": int(HTTP_TIMEOUT_SECONDS)})
            try:
                with engine.connect() as conn:
                    current = migrate.current_revision(conn)
            finally:
                engine.dispose()
            url = make_url(url).render_as_string(hide_password=True)
    except Exception as exc:
        return [
            _result(
                "database",
                Status.FAIL,
                f"无法打开数据库（{type(exc).__name__}）：{_first_line(exc)}。请检查“数据库地址”（database_url）、"
                "网络和数据库服务；SQLite 文件请检查是否被占用或损坏（可从备份恢复：yichuang backup list）。",
                url=_mask_url(url),
            )
        ]
    data = {"current": current, "head": head, "dialect": "sqlite" if sqlite_db else "postgresql"}
    if current == head:
        return [_result("database", Status.OK, f"数据库可用，结构版本 {current}（最新）。", **data)]
    if current is None:
        status = Status.WARN if sqlite_db else Status.FAIL
        return [
            _result(
                "database",
                status,
                "数据库中还没有表结构：SQLite 在启动时自动建立；PostgreSQL "
                "请由信息科运行 yichuang db upgrade。",
                **data,
            )
        ]
    try:
        migrate.check_schema_known(current)
    except Exception as exc:
        return [_result("database", Status.FAIL, f"{exc}（当前 {current}，本程序 {head}）", **data)]
    if sqlite_db:
        return [
            _result(
                "database",
                Status.WARN,
                f"数据库结构版本 {current} 低于本程序的 {head}：下次启动时先自动备份再升级，无需操作。",
                **data,
            )
        ]
    return [
        _result(
            "database",
            Status.FAIL,
            f"数据库结构版本 {current} 低于本程序的 {head}："
            "请信息科运行 yichuang db upgrade 后再启动各窗口。",
            **data,
        )
    ]


def check_backups(doc: Doctor) -> list[CheckResult]:
    """Scheduled backups are taken (the newest is not older than twice the interval)."""
    from workstation import backup
    from workstation.storage.db import is_sqlite
    from workstation.storage.store import sqlite_path

    settings = doc.settings
    if settings.backup_interval_hours <= 0:
        return [_result("backup", Status.WARN, "定时备份已关闭（backup_interval_hours = 0）：建议开启。")]
    if is_sqlite(settings.database_url):
        db_file = sqlite_path(settings.database_url)
        if db_file is None or not db_file.is_file():
            return [_result("backup", Status.SKIP, "还没有数据库，无需备份。")]
    folder = backup.backup_folder(settings, doc.data_dir)
    newest = backup.last_scheduled(settings, data_dir=doc.data_dir)
    if newest is None:
        return [
            _result(
                "backup",
                Status.WARN,
                f"{folder} 中还没有定时备份：请确认计划任务 Yichuang\\Backup "
                "在运行，或立即执行 yichuang backup now。",
                folder=str(folder),
            )
        ]
    age_hours = (doc.now() - newest.created).total_seconds() / 3600
    data = {"folder": str(folder), "newest": newest.path.name, "age_hours": round(age_hours, 1)}
    if age_hours > 2 * settings.backup_interval_hours:
        return [
            _result(
                "backup",
                Status.WARN,
                f"最近一次定时备份是 {age_hours:.0f} 小时前（{newest.path.name}），超过间隔的两倍："
                "请检查计划任务 Yichuang\\Backup 和备份文件夹是否可写。",
                **data,
            )
        ]
    return [
        _result("backup", Status.OK, f"最近一次定时备份 {age_hours:.1f} 小时前：{newest.path.name}。", **data)
    ]


def check_backends(doc: Doctor) -> list[CheckResult]:
    """Each configured department back end answers over HTTP (any status counts as reachable)."""
    configured = [(key, str(getattr(doc.settings, key, "") or "")) for key in URL_KEYS]
    configured = [(key, url) for key, url in configured if url]
    if not configured:
        return [
            _result(
                "backends",
                Status.SKIP,
                "未设置任何部门地址（交易、税务、登记），不检查连接；设置后案件才会发送。",
            )
        ]
    results = []
    for key, url in configured:
        title = field_title(key)
        try:
            answer = doc.http(url, doc.settings)
        except OSError as exc:
            results.append(
                _result(
                    "backends",
                    Status.FAIL,
                    f"{title} {url} 无法连接（{_first_line(exc)}）：请检查网络、防火墙是否放行该地址的端口、"
                    "代理设置（sync_proxy）和证书（sync_ca_bundle）。离线期间案件会排队，恢复后自动发送。",
                    key=key,
                    url=url,
                )
            )
            continue
        doc.answers[key] = answer
        status = Status.WARN if answer.status >= 500 else Status.OK
        note = "，但后台报告内部错误，请联系该部门" if answer.status >= 500 else ""
        results.append(
            _result(
                "backends",
                status,
                f"{title} {url} 可以连接（HTTP {answer.status}）{note}。",
                key=key,
                url=url,
                http_status=answer.status,
            )
        )
    return results


def check_enrolment(doc: Doctor) -> list[CheckResult]:
    """Each configured department has this window's credential in the OS keyring."""
    configured = [key for key in URL_KEYS if getattr(doc.settings, key, "")]
    if not configured:
        return [_result("enrolment", Status.SKIP, "未设置部门地址，无需窗口登记。")]
    try:
        from sync.keys import CredentialVault
        from sync.package import Department

        vault = CredentialVault()
    except ImportError as exc:
        return [_result("enrolment", Status.FAIL, f"同步模块无法加载（{exc}）：请重新安装一窗受理。")]
    except Exception as exc:
        return [
            _result(
                "enrolment",
                Status.FAIL,
                f"无法读取钥匙串中的窗口凭据：{_first_line(exc)}。请确认以运行同步任务的系统账户检查。",
            )
        ]
    results = []
    for key in configured:
        department = Department(DEPARTMENT_OF_URL[key])
        try:
            credential = vault.credential(department)
        except Exception as exc:
            results.append(_result("enrolment", Status.FAIL, f"{department.label}：{_first_line(exc)}"))
            continue
        if credential is None:
            results.append(
                _result(
                    "enrolment",
                    Status.WARN,
                    f"本窗口尚未在{department.label}登记，案件不会发送到该部门：请管理员运行 "
                    "yichuang enrol --token 令牌（以运行同步任务的账户）。",
                    department=department.value,
                )
            )
        else:
            results.append(
                _result("enrolment", Status.OK, f"已在{department.label}登记。", department=department.value)
            )
    return results


def check_clock(doc: Doctor) -> list[CheckResult]:
    """The clock against the back ends' ``Date`` headers (from the reachability check)."""
    drifts: list[tuple[str, float]] = []
    for key, answer in doc.answers.items():
        if answer.date:
            try:
                server = parsedate_to_datetime(answer.date)
            except (TypeError, ValueError):
                continue
            drifts.append((key, (doc.now() - server).total_seconds()))
    if not drifts:
        return [_result("clock", Status.SKIP, "没有可比对时间的部门后台（未设置或无法连接），未检查时钟。")]
    key, drift = max(drifts, key=lambda item: abs(item[1]))
    direction = "快" if drift > 0 else "慢"
    text = f"本机时钟比{field_title(key)}{direction} {abs(drift):.0f} 秒"
    if abs(drift) < 1:
        text = f"本机时钟与{field_title(key)}一致（相差不到 1 秒）"
    data = {"drift_seconds": round(drift, 1), "against": key}
    if abs(drift) > CLOCK_FAIL_SECONDS:
        return [
            _result(
                "clock",
                Status.FAIL,
                f"{text}：签名和证书校验会失败。请开启自动校时（Windows：设置 → 时间和语言 → 自动设置时间，"
                "或 w32tm /resync）。",
                **data,
            )
        ]
    if abs(drift) > CLOCK_WARN_SECONDS:
        return [_result("clock", Status.WARN, f"{text}：请开启自动校时。", **data)]
    return [_result("clock", Status.OK, f"{text}，在允许范围内。", **data)]


def check_devices(doc: Doctor) -> list[CheckResult]:
    """Serial ports for the ID-card reader; the scanner interface (SANE or TWAIN)."""
    results = []
    try:
        from scanning.idcard.reader import candidate_ports

        ports = candidate_ports()
    except Exception as exc:
        results.append(
            _result("devices", Status.WARN, f"无法列出串口（{_first_line(exc)}）：身份证阅读器不可用。")
        )
    else:
        if ports:
            results.append(
                _result(
                    "devices",
                    Status.OK,
                    f"找到串口 {', '.join(ports)}（身份证阅读器接在其中之一）。",
                    serial_ports=ports,
                )
            )
        else:
            results.append(
                _result(
                    "devices",
                    Status.WARN,
                    "没有找到串口：身份证阅读器未连接或驱动未安装。请插好阅读器的 "
                    "USB 线，并安装厂商的 USB 串口驱动。",
                    serial_ports=[],
                )
            )
    interface = "TWAIN" if sys.platform == "win32" else "SANE"
    try:
        from scanning.documents.factory import make_driver

        make_driver()
    except Exception as exc:
        results.append(
            _result(
                "devices",
                Status.WARN,
                f"扫描仪接口 {interface} 不可用：{_first_line(exc)}（仍可从文件或高拍仪文件夹导入材料）。",
                scanner_interface=interface,
            )
        )
    else:
        results.append(
            _result("devices", Status.OK, f"扫描仪接口 {interface} 可用。", scanner_interface=interface)
        )
    return results


def check_fonts(doc: Doctor) -> list[CheckResult]:
    """The bundled fonts load, cover the sample text and draw it into a PDF."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    from printing.fonts import BODY_CHAIN, FACES, font_dir, load_face

    folder = font_dir()
    loaded = {}
    for face in FACES:
        try:
            loaded[face.name] = load_face(folder, face)
        except Exception as exc:
            return [_result("fonts", Status.FAIL, str(exc), folder=str(folder))]
    chain = [loaded[name] for name in BODY_CHAIN]
    uncovered = [ch for ch in FONT_SAMPLE if not any(ord(ch) in f.face.charToGlyph for f in chain)]
    if uncovered:
        return [
            _result(
                "fonts",
                Status.FAIL,
                f"字体文件不完整，缺少“{''.join(uncovered)}”的字形："
                f"请重新安装一窗受理以恢复 {folder} 中的字体。",
                folder=str(folder),
            )
        ]
    body = loaded[BODY_CHAIN[0]]
    if body.fontName not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(body)
    pdf = io.BytesIO()
    page = canvas.Canvas(pdf)
    common = "".join(ch for ch in FONT_SAMPLE if ord(ch) in body.face.charToGlyph)
    page.setFont(body.fontName, 12)
    page.drawString(72, 720, common)
    page.save()
    width = pdfmetrics.stringWidth(common, body.fontName, 12)
    if width <= 0 or len(pdf.getvalue()) < 1000:
        return [_result("fonts", Status.FAIL, f"字体 {body.fontName} 无法绘制中文：请重新安装一窗受理。")]
    return [
        _result(
            "fonts",
            Status.OK,
            f"{len(FACES)} 个内置字体可用，中文（含生僻字）可以打印。",
            folder=str(folder),
            fonts=[face.file for face in FACES],
        )
    ]


def check_keyring(doc: Doctor) -> list[CheckResult]:
    """An OS key store is usable (needed for ``key_protector = keyring`` and for sync credentials)."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return [
            _result("keyring", Status.OK, "Windows：本机密钥由 DPAPI 保护，凭据在 Windows 凭据管理器中。")
        ]
    from workstation.storage.crypto import keyring_usable

    try:
        usable = keyring_usable()
    except Exception as exc:
        usable = False
        reason = _first_line(exc)
    else:
        reason = "没有可用的系统钥匙串（Secret Service）"
    if usable:
        return [_result("keyring", Status.OK, "系统钥匙串可用。")]
    needs = doc.settings.key_protector == "keyring" or any(getattr(doc.settings, k, "") for k in URL_KEYS)
    message = f"{reason}：本机密钥改用密钥文件保存"
    if needs:
        return [
            _result(
                "keyring",
                Status.FAIL,
                f"{reason}：窗口登记凭据和签名密钥无法保存。请在桌面会话中运行，或安装并解锁 gnome-keyring。",
            )
        ]
    return [_result("keyring", Status.WARN, message + "（请确保密钥文件权限为仅本人可读）。")]


def check_permissions(doc: Doctor) -> list[CheckResult]:
    """The machine-key file and the data folder are not readable by others (POSIX)."""
    from workstation.storage.crypto import default_key_file, key_file_too_open

    results = []
    key_file = (
        Path(doc.settings.machine_key_file)
        if doc.settings.machine_key_file
        else default_key_file(doc.data_dir)
    )
    if key_file.exists():
        if key_file_too_open(key_file):
            results.append(
                _result(
                    "permissions",
                    Status.FAIL,
                    f"密钥文件 {key_file} 其他用户也能读取：请执行 chmod 600 {key_file}，"
                    "并确认属主为运行一窗受理的账户。",
                    key_file=str(key_file),
                )
            )
        else:
            results.append(
                _result("permissions", Status.OK, f"密钥文件 {key_file} 仅属主可读。", key_file=str(key_file))
            )
    else:
        results.append(_result("permissions", Status.SKIP, "本机未使用密钥文件。"))
    if sys.platform != "win32" and doc.data_dir.is_dir():
        mode = stat.S_IMODE(doc.data_dir.stat().st_mode)
        if mode & 0o007:
            results.append(
                _result(
                    "permissions",
                    Status.WARN,
                    f"数据文件夹 {doc.data_dir} 对所有用户开放（权限 {mode:o}）："
                    f"请执行 chmod o-rwx {doc.data_dir}。",
                    mode=f"{mode:o}",
                )
            )
    return results


def _existing(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def check_disk(doc: Doctor) -> list[CheckResult]:
    """Free space on the data folder's disk."""
    where = _existing(doc.data_dir)
    total, _used, free = doc.disk_usage(where)
    data = {"free_bytes": free, "total_bytes": total, "path": str(where)}
    text = f"数据文件夹所在磁盘剩余 {free / 1024**3:.1f} GB"
    if free < DISK_FAIL_BYTES:
        return [
            _result(
                "disk",
                Status.FAIL,
                f"{text}，不足 {DISK_FAIL_BYTES // 1024**2} MB：草稿和扫描件可能无法保存。请立即清理磁盘。",
                **data,
            )
        ]
    if free < DISK_WARN_BYTES:
        return [
            _result(
                "disk", Status.WARN, f"{text}，已不足 {DISK_WARN_BYTES // 1024**3} GB：请尽快清理。", **data
            )
        ]
    return [_result("disk", Status.OK, f"{text}。", **data)]


def check_logs(doc: Doctor) -> list[CheckResult]:
    """The log folder exists and can be written."""
    logs = doc.data_dir / "logs"
    if not logs.is_dir():
        return [_result("logs", Status.SKIP, f"日志文件夹 {logs} 尚未建立（首次启动时建立）。")]
    if not os.access(logs, os.W_OK):
        return [_result("logs", Status.WARN, f"日志文件夹 {logs} 不可写：出错时无法记录，请检查文件夹权限。")]
    files = sorted(p.name for p in logs.iterdir() if p.is_file())
    return [_result("logs", Status.OK, f"日志文件夹 {logs}：{len(files)} 个文件（轮转保留）。", files=files)]


Check = Callable[[Doctor], list[CheckResult]]
CHECKS: Final[tuple[tuple[str, str, Check], ...]] = (
    ("config", "设置", check_config),
    ("database", "数据库", check_database),
    ("backup", "备份", check_backups),
    ("backends", "部门后台连接", check_backends),
    ("enrolment", "窗口登记", check_enrolment),
    ("clock", "时钟", check_clock),
    ("devices", "设备", check_devices),
    ("fonts", "字体", check_fonts),
    ("keyring", "钥匙串", check_keyring),
    ("permissions", "文件权限", check_permissions),
    ("disk", "磁盘空间", check_disk),
    ("logs", "日志", check_logs),
)
TITLES: Final = {check_id: title for check_id, title, _check in CHECKS}


# ---------------------------------------------------------------------------------- output
def render_text(results: Sequence[CheckResult]) -> str:
    """One line per result, then a summary line."""
    lines = [f"[{r.status.value:<4}] {r.title}：{r.message}" for r in results]
    failed = sum(r.status is Status.FAIL for r in results)
    warned = sum(r.status is Status.WARN for r in results)
    if failed:
        lines.append(f"结论：{failed} 项故障、{warned} 项需注意。请按上面的提示处理。")
    elif warned:
        lines.append(f"结论：可以使用，{warned} 项需注意。")
    else:
        lines.append("结论：一切正常。")
    return "\n".join(lines)


def to_json(results: Sequence[CheckResult]) -> dict[str, Any]:
    """The results as JSON-ready data."""
    return {
        "version": __version__,
        "ok": exit_code(results) == 0,
        "results": [r.to_dict() for r in results],
    }


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].rstrip("。.") if text else type(exc).__name__


def _mask_url(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return re.sub(r"//[^@/]*@", "//***@", url)


def masked_settings(settings: Settings) -> dict[str, Any]:
    """The effective settings with secrets masked (tokens, passwords in URLs, proxy credentials)."""
    values: dict[str, Any] = {}
    for key, value in settings.model_dump(mode="json").items():
        if key in SECRET_KEYS:
            values[key] = "***" if value else ""
        elif isinstance(value, str) and "://" in value:
            values[key] = _mask_url(value) if "@" in value else value
        else:
            values[key] = value
    return values


_ID_NUMBER_RE: Final = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_RE: Final = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def scrub(text: str) -> str:
    """Mask anything shaped like a resident ID number or a mobile number."""
    return _MOBILE_RE.sub("[手机号已隐去]", _ID_NUMBER_RE.sub("[证件号已隐去]", text))


def write_bundle(target: Path, results: Sequence[CheckResult], doc: Doctor) -> Path:
    """Write the support bundle: results, masked configuration, logs, versions. No personal data.

    Args:
        target: the zip file to write.
        results: the doctor's results.
        doc: the doctor (data folder, settings).

    Returns:
        The zip file.
    """
    layers: dict[str, str] = {}
    try:
        config = Config(data_dir=doc.data_dir)
        layers = {key: config.layer_of(key).value for key in Settings.model_fields}
    except ConfigError as exc:
        layers = {"error": str(exc)}
    environment = {
        "yichuang": __version__,
        "python": sys.version,
        "platform": platform.platform(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "hostname": socket.gethostname(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_dir": str(doc.data_dir),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("doctor.json", json.dumps(to_json(results), ensure_ascii=False, indent=2))
        bundle.writestr("doctor.txt", render_text(results))
        bundle.writestr(
            "config.json",
            json.dumps(
                {"settings": masked_settings(doc.settings), "layers": layers}, ensure_ascii=False, indent=2
            ),
        )
        bundle.writestr("environment.json", json.dumps(environment, ensure_ascii=False, indent=2))
        logs = doc.data_dir / "logs"
        if logs.is_dir():
            for log in sorted(logs.iterdir()):
                if log.is_file():
                    text = log.read_text(encoding="utf-8", errors="replace")
                    bundle.writestr(f"logs/{log.name}", scrub(text))
    return target
