r"""The workstation's settings: one schema, four layers.

:class:`Settings` is the single schema (every key with its default, a Chinese title and a
"中文 / English" description). Values come from four layers, highest first:

1. **administrator policy** — on Windows the registry key ``HKLM\Software\Policies\Yichuang``
   (values named like the keys; ``REG_SZ`` or ``REG_DWORD``), elsewhere ``/etc/yichuang/policy.toml``
   (path overridable by ``YICHUANG_POLICY_FILE``). Keys set here are *locked*: :attr:`Config.locked_keys`
   lists them so the UI can disable their widgets, and writing one raises :class:`SettingLocked`;
2. **office settings** — ``office.toml`` in the data folder. When the office database is shared
   (PostgreSQL), keys of scope ``office`` live in the database table ``office_settings`` instead so
   every window sees the same values; keys of scope ``machine`` (which database, which window) stay in
   ``office.toml`` because they differ per window or are needed before the database is open;
3. **user preferences** — per user, in the database table ``user_prefs``; only keys of scope ``user``;
4. **defaults** — in :class:`Settings`.

Settings files carry ``version``; older files are upgraded by the steps in :data:`UPGRADE_STEPS`
(like Picard's ``config_upgrade.py``) and ``office.toml`` is rewritten in the new format, the old file
kept as ``office.toml.v<N>.bak``.

Adding a setting (later issues): add a field in the marked section at the end of :class:`Settings`
with ``_setting(...)``, giving its scope, and its section in :data:`SETTING_SECTIONS`; if an
existing key is renamed or its meaning changes, bump :data:`SETTINGS_VERSION` and add an upgrade step.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from workstation import paths

SETTINGS_VERSION: Final = 1
"""Format version of ``office.toml`` and ``policy.toml`` written by this program."""

ENV_POLICY_FILE: Final = "YICHUANG_POLICY_FILE"
DEFAULT_POLICY_FILE: Final = Path("/etc/yichuang/policy.toml")
POLICY_REGISTRY_KEY: Final = r"Software\Policies\Yichuang"
OFFICE_FILE_NAME: Final = "office.toml"
DATABASE_FILE_NAME: Final = "yichuang.db"


class Scope(StrEnum):
    """Where a key may be set below the policy layer."""

    MACHINE = "machine"  # office.toml only: differs per window or is needed to open the database
    OFFICE = "office"  # office.toml, or the shared database table office_settings on PostgreSQL
    USER = "user"  # additionally a per-user preference


class Layer(StrEnum):
    """Which layer a value came from."""

    POLICY = "policy"
    OFFICE = "office"
    USER = "user"
    DEFAULT = "default"


class ConfigError(Exception):
    """A settings file or value is wrong; ``str(exc)`` is a Chinese message naming the file or key."""


class SettingLocked(ConfigError):
    """A key set by administrator policy cannot be changed here."""


def _setting(default: Any = ..., *, title: str, zh: str, en: str, scope: Scope, **kwargs: Any) -> Any:
    """A settings field with a Chinese title, a bilingual description and a scope."""
    return Field(
        default,
        title=title,
        description=f"{zh} / {en}",
        json_schema_extra={"scope": scope.value},
        **kwargs,
    )


def default_database_url() -> str:
    """The SQLite database file in the data folder, as an SQLAlchemy URL."""
    return f"sqlite:///{paths.data_dir(create=False) / DATABASE_FILE_NAME}"


class Settings(BaseModel):
    """Every setting of the workstation, with its default.

    Instances are immutable; :class:`Config` builds them from the layers.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    office_code: str = _setting(
        "00000000",
        title="登记机构代码",
        zh="6 位行政区划代码加 2 位机构序号，出现在受理编号中；安装时必须设置",
        en="6-digit administrative division code plus a 2-digit office number; part of every case number",
        scope=Scope.OFFICE,
        pattern=r"^\d{8}$",
    )
    window_id: str = _setting(
        "01",
        title="窗口编号",
        zh="本窗口的编号（1–4 位数字或大写字母），同一机构内不得重复，出现在受理编号中",
        en="This window's id (1-4 digits or capital letters), unique within the office; part of case numbers",
        scope=Scope.MACHINE,
        pattern=r"^[0-9A-Z]{1,4}$",
    )
    office_name: str = _setting(
        "不动产登记中心",
        title="登记机构名称",
        zh="打印在受理凭证等文书上的机构名称",
        en="Office name printed on receipts and other documents",
        scope=Scope.OFFICE,
        min_length=1,
        max_length=100,
    )
    database_url: str = Field(
        default_factory=default_database_url,
        title="数据库地址",
        description=(
            "SQLAlchemy 数据库地址；默认是数据文件夹中的 SQLite 文件，多窗口共享时填写 "
            "postgresql+psycopg://… / SQLAlchemy URL; defaults to the SQLite file in the data folder, "
            "use postgresql+psycopg://… for an office whose windows share one database"
        ),
        json_schema_extra={"scope": Scope.MACHINE.value},
        min_length=1,
    )
    language: Literal["zh_CN", "en"] = _setting(
        "zh_CN",
        title="界面语言",
        zh="界面语言：zh_CN（简体中文）或 en（英文）",
        en="User-interface language: zh_CN or en",
        scope=Scope.USER,
    )
    idle_lock_minutes: int = _setting(
        10,
        title="空闲锁屏分钟数",
        zh="无操作多少分钟后锁定屏幕，需重新输入密码",
        en="Minutes without input before the screen locks and asks for the password again",
        scope=Scope.OFFICE,
        ge=1,
        le=240,
    )
    lockout_threshold: int = _setting(
        5,
        title="密码错误锁定次数",
        zh="连续输错密码多少次后锁定账户",
        en="Consecutive wrong passwords after which the account is locked",
        scope=Scope.OFFICE,
        ge=1,
        le=100,
    )
    lockout_minutes: int = _setting(
        15,
        title="账户锁定分钟数",
        zh="账户锁定后多少分钟自动解锁",
        en="Minutes a locked account stays locked",
        scope=Scope.OFFICE,
        ge=1,
        le=1440,
    )
    draft_journal_seconds: float = _setting(
        1.0,
        title="草稿保存间隔(秒)",
        zh="录入停顿多少秒后自动保存草稿，最多 2 秒",
        en="Seconds after a burst of typing before the draft is journalled; at most 2",
        scope=Scope.OFFICE,
        gt=0,
        le=2,
    )
    catalog_file: Path | None = _setting(
        None,
        title="业务目录文件",
        zh="本机构的业务类型目录文件；不填则使用内置目录",
        en="The office's business-type catalog file; empty for the built-in catalog",
        scope=Scope.OFFICE,
    )
    tax_settings_file: Path | None = _setting(
        None,
        title="税费设置文件",
        zh="本地税费设置（TOML 文件的 [tax] 节：契税税率、核定征收率、减半征收等）；不填则使用默认值",
        en="The office's tax settings (the [tax] section of a TOML file); empty for the defaults",
        scope=Scope.OFFICE,
    )
    calendar_file: Path | None = _setting(
        None,
        title="工作日历文件",
        zh="法定节假日与调休工作日历文件；不填则使用内置日历",
        en="Working-day calendar file (public holidays and make-up working days); empty for the built-in one",
        scope=Scope.OFFICE,
    )
    enquiry_phone: str = _setting(
        "",
        title="咨询电话",
        zh="打印在受理凭证上的咨询电话",
        en="Enquiry phone number printed on the receipt",
        scope=Scope.OFFICE,
        max_length=40,
    )
    key_protector: Literal["auto", "dpapi", "keyring", "file"] = _setting(
        "auto",
        title="本机密钥保管方式",
        zh=(
            "保管本机密钥的方式：auto（Windows 用 DPAPI，其他系统有可用钥匙串时用钥匙串，否则用密钥文件；"
            "PostgreSQL 共享数据库时用密钥文件）、dpapi、keyring 或 file"
        ),
        en=(
            "How the machine key is held: auto (DPAPI on Windows, else a usable keyring, else a key file; "
            "a key file when the database is shared PostgreSQL), dpapi, keyring or file"
        ),
        scope=Scope.MACHINE,
    )
    machine_key_file: Path | None = _setting(
        None,
        title="本机密钥文件",
        zh="密钥文件的位置；不填时使用 /etc/yichuang/machine.key（若存在）或数据文件夹中的 machine.key",
        en=(
            "Machine key file; empty for /etc/yichuang/machine.key when present, "
            "else machine.key in the data folder"
        ),
        scope=Scope.MACHINE,
    )

    # ------------------------------------------------------------------------------------------
    # Settings added by later issues go below this line (use _setting(..., scope=...)).

    # sync (issue 5): where each department is reached, TLS and proxy, the worker's pace.
    sync_transaction_url: str = _setting(
        "",
        title="交易部门地址",
        zh="住建（交易备案）部门数据交换接口的基础地址，如 https://jy.example.gov.cn/yichuang；不填则不发送",
        en="Base URL of the transaction department's exchange API; empty: nothing is sent there",
        scope=Scope.OFFICE,
        max_length=500,
    )
    sync_tax_url: str = _setting(
        "",
        title="税务部门地址",
        zh="税务部门数据交换接口的基础地址；不填则不发送",
        en="Base URL of the tax bureau's exchange API; empty: nothing is sent there",
        scope=Scope.OFFICE,
        max_length=500,
    )
    sync_registration_url: str = _setting(
        "",
        title="登记部门地址",
        zh="不动产登记部门数据交换接口的基础地址；不填则不发送",
        en="Base URL of the registration department's exchange API; empty: nothing is sent there",
        scope=Scope.OFFICE,
        max_length=500,
    )
    sync_ca_bundle: Path | None = _setting(
        None,
        title="部门系统根证书文件",
        zh="信任的 CA 证书文件（PEM）；不填则使用系统证书库。证书校验始终开启",
        en="PEM file of CA certificates to trust; empty for the system store. Verification is always on",
        scope=Scope.MACHINE,
    )
    sync_proxy: str | None = _setting(
        None,
        title="代理服务器",
        zh="访问部门系统使用的代理，如 http://proxy.example:3128；不填则直接连接（不读取环境变量）",
        en="Proxy for the departments' systems, e.g. http://proxy.example:3128; empty: connect directly",
        scope=Scope.MACHINE,
    )
    sync_interval_seconds: float = _setting(
        60.0,
        title="同步间隔(秒)",
        zh="后台发送和查询部门答复的间隔秒数",
        en="Seconds between rounds of delivering packages and asking for answers",
        scope=Scope.OFFICE,
        ge=1,
        le=86400,
    )
    sync_retry_base_seconds: float = _setting(
        30.0,
        title="首次重试等待(秒)",
        zh="发送失败后第一次重试前等待的秒数，之后每次加倍（带随机抖动）",
        en="Seconds before the first retry after a failed delivery; doubles with each attempt (with jitter)",
        scope=Scope.OFFICE,
        gt=0,
        le=86400,
    )
    sync_retry_max_seconds: float = _setting(
        3600.0,
        title="最长重试间隔(秒)",
        zh="两次重试之间最长等待的秒数",
        en="The longest wait between two retries, in seconds",
        scope=Scope.OFFICE,
        gt=0,
        le=7 * 86400,
    )
    sync_lease_seconds: float = _setting(
        300.0,
        title="发送租约(秒)",
        zh="一个发送进程占用待发数据包的最长秒数；进程异常退出后，超过此时间由其他进程重新发送",
        en="Seconds a worker holds a claimed package; after a crash, others resend it once this expires",
        scope=Scope.OFFICE,
        gt=0,
        le=86400,
    )
    sync_concurrency: int = _setting(
        4,
        title="同时发送数(个)",
        zh="后台同时发送（或查询答复）的数据包个数；1 表示逐个发送",
        en="Packages delivered (or asked about) at the same time by the worker; 1 sends one after another",
        scope=Scope.OFFICE,
        ge=1,
        le=32,
    )
    sync_overdue_days: int = _setting(
        0,
        title="未送达天数上限",
        zh="数据包超过多少天仍未送达时，受理前先提醒，再需科长确认才能继续；0 表示不限制",
        en="Days after which an undelivered package makes intake warn, then need a supervisor; 0: no limit",
        scope=Scope.OFFICE,
        ge=0,
        le=365,
    )

    # Printing (issue #4): the office's wording on printed documents and this window's printer.
    seal_text: str = _setting(
        "",
        title="印章处文字",
        zh="打印在文书盖章处下方的文字；不填则为“登记机构名称（印章）”",
        en='Wording under the seal area of printed documents; empty for "<office name>（印章）"',
        scope=Scope.OFFICE,
        max_length=100,
    )
    default_printer: str = _setting(
        "",
        title="默认打印机",
        zh="本窗口打印文书默认使用的打印机名称；不填则用系统默认打印机（每个窗口的打印机不同，故为本机设置）",
        en="Printer this window prints documents on; empty for the system default (differs per window)",
        scope=Scope.MACHINE,
        max_length=200,
    )
    print_copies: int = _setting(
        1,
        title="打印份数",
        zh="“打印全套文书”每次打印的份数（如一份交申请人、一份归档则填 2）",
        en="Copies of the document set printed at a time (2: one for the applicant, one for the archive)",
        scope=Scope.USER,  # a clerk may keep their own number (issue 9); an office value wins over it
        ge=1,
        le=10,
    )

    # Deployment, backups (issue #9): the installer writes these as policy; the scheduled backup.
    enrol_token: str = _setting(
        "",
        title="窗口登记令牌",
        zh=(
            "安装程序（ENROL_TOKEN）预设的一次性登记令牌；yichuang "
            "enrol 未指定 --token 时使用，登记成功后应由管理员删除"
        ),
        en=(
            "One-time enrolment token preset by the installer "
            "(ENROL_TOKEN); used by yichuang enrol without --token"
        ),
        scope=Scope.MACHINE,
        max_length=500,
    )
    backup_dir: Path | None = _setting(
        None,
        title="备份文件夹",
        zh="定时备份数据库的文件夹（建议为另一块磁盘或网络共享）；不填则为数据文件夹中的 backups",
        en=(
            "Folder for scheduled database backups (another disk or "
            "a share is best); empty for backups/ in the data folder"
        ),
        scope=Scope.MACHINE,
    )
    backup_interval_hours: int = _setting(
        24,
        title="备份间隔(小时)",
        zh="每隔多少小时自动备份一次数据库；0 表示不做定时备份",
        en="Hours between scheduled database backups; 0 turns scheduled backups off",
        scope=Scope.OFFICE,
        ge=0,
        le=24 * 31,
    )
    backup_keep: int = _setting(
        14,
        title="保留备份份数",
        zh="定时备份保留的份数，更早的自动删除（升级前的备份不计入、不删除）",
        en="Scheduled backups kept; older ones are deleted (pre-upgrade backups are not counted or deleted)",
        scope=Scope.OFFICE,
        ge=1,
        le=1000,
    )

    # Document scanning (issue #6): this window's scanner, the office's profiles, the document camera.
    scanner_device: str = _setting(
        "",
        title="扫描仪",
        zh=(
            "本窗口默认使用的扫描仪，如 sane:fujitsu:fi-7160、twain:<源名称>、folder:<高拍仪保存文件夹>；"
            "不填则使用扫描面板中选中的第一台扫描仪"
        ),
        en="This window's default scanner (sane:NAME, twain:NAME, folder:PATH); empty: the first one listed",
        scope=Scope.MACHINE,
        max_length=300,
    )
    scan_profiles_file: Path | None = _setting(
        None,
        title="扫描方案文件",
        zh="本机构的扫描方案文件（JSON，按材料设置分辨率、色彩、双面等）；不填则使用内置方案",
        en="The office's scan profiles file (JSON: resolution, colour, duplex per material); empty: built-in",
        scope=Scope.OFFICE,
    )
    scan_watched_folder: Path | None = _setting(
        None,
        title="高拍仪保存文件夹",
        zh="高拍仪（文档摄像头）保存照片的文件夹；设置后扫描面板可从该文件夹接收新拍的页面",
        en="Folder where the document camera saves its shots; the scan panel takes new files from it",
        scope=Scope.MACHINE,
    )

    # Identity (issue #7): the ID card reader, the chip-photo decoder, the camera and the face check.
    idcard_port: str = _setting(
        "",
        title="身份证读卡器串口",
        zh="身份证读卡器所在串口（如 COM3、/dev/ttyUSB0）；不填则自动查找",
        en="Serial port of the ID card reader (COM3, /dev/ttyUSB0); empty: search the serial ports",
        scope=Scope.MACHINE,
        max_length=200,
    )
    idcard_baudrate: int = _setting(
        115200,
        title="读卡器波特率",
        zh="身份证读卡器串口速率，绝大多数读卡器为 115200",
        en="Serial speed of the ID card reader; 115200 for most readers",
        scope=Scope.MACHINE,
        ge=1200,
        le=921600,
    )
    wlt_decoder: str = _setting(
        "",
        title="证件照片解码库",
        zh=(
            "读卡器厂商提供的证件照片（WLT）解码库路径（Windows 多为 WltRS.dll，Linux 为 libwlt2bmp.so）；"
            "不填则人证核验改用护照芯片照片或证件扫描件上的照片"
        ),
        en="Path of the vendor's WLT photo decoder; empty: the face check uses a passport photo or a scan",
        scope=Scope.MACHINE,
        max_length=500,
    )
    passport_reader: str = _setting(
        "",
        title="护照读卡器",
        zh="读取护照芯片的 PC/SC 非接触读卡器名称（可填名称的一部分）；不填则用第一个读卡器",
        en="PC/SC contactless reader for passports (part of its name); empty: the first reader",
        scope=Scope.MACHINE,
        max_length=200,
    )
    camera: str = _setting(
        "0",
        title="人证核验摄像头",
        zh="摄像头编号（0 为第一个摄像头），或用视频文件代替摄像头（演示、测试）",
        en="Camera index (0 = the first camera), or a video file standing in for a camera (demo, tests)",
        scope=Scope.MACHINE,
        min_length=1,
        max_length=500,
    )
    face_threshold: float = _setting(
        0.5,
        title="人脸比对阈值",
        zh="人脸特征距离不大于此值时判定为同一人；越小越严格（误放行更少、重试更多），一般 0.45–0.55",
        en="Largest face-encoding distance accepted as the same person; smaller is stricter",
        scope=Scope.OFFICE,
        ge=0.2,
        le=0.8,
    )
    simulate_devices: bool = _setting(
        False,
        title="模拟设备（演示）",
        zh="演示模式：用模拟的身份证读卡器和由样例照片生成的视频代替真实设备；正式受理时必须关闭",
        en="Demo mode: an emulated ID card reader and a video made from sample photos replace the devices",
        scope=Scope.MACHINE,
    )

    # Retention (issue #8): local copies of scans and face/ID photos, deleted once the back ends hold them.
    # The period is the office's own rule (no national document fixes it), hence a setting.
    retention_local_scan_days: int = _setting(
        30,
        title="本地扫描件保留天数",
        zh=("部门确认收到后，本机的扫描件和人证核验照片再保留多少天，期满自动删除（每天一次）；0 表示不删除"),
        en=(
            "Days local scans and face/ID photos are kept after the departments confirmed them, "
            "then deleted (daily); 0 keeps them"
        ),
        scope=Scope.OFFICE,
        ge=0,
        le=3650,
    )


def field_scope(key: str) -> Scope:
    """The scope of a settings key.

    Raises:
        ConfigError: the key does not exist.
    """
    info = Settings.model_fields.get(key)
    if info is None:
        raise ConfigError(f"没有名为“{key}”的设置项，请检查拼写（可用的设置项见 yichuang config list）。")
    extra = info.json_schema_extra
    assert isinstance(extra, dict)
    return Scope(str(extra["scope"]))


def field_title(key: str) -> str:
    """The Chinese title of a settings key (the key itself when unknown)."""
    info = Settings.model_fields.get(key)
    return info.title or key if info is not None else key


def field_description(key: str, language: str = "zh_CN") -> str:
    """The Chinese (or, for ``language="en"``, English) half of a key's description."""
    info = Settings.model_fields.get(key)
    zh, _sep, en = (info.description or "" if info is not None else "").partition(" / ")
    return en if language == "en" and en else zh


# ------------------------------------------------------------------------------- sections
# The groups of the settings dialog and of `yichuang config list` (issue 9). A key added later
# belongs here too; one left out is shown under OTHER_SECTION rather than hidden.
SECTIONS: Final = ("办公室信息", "部门系统地址", "同步", "打印", "扫描", "安全", "界面")
OTHER_SECTION: Final = "其他"

SETTING_SECTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "office_code": "办公室信息",
        "office_name": "办公室信息",
        "window_id": "办公室信息",
        "enquiry_phone": "办公室信息",
        "database_url": "办公室信息",
        "catalog_file": "办公室信息",
        "tax_settings_file": "办公室信息",
        "calendar_file": "办公室信息",
        "sync_transaction_url": "部门系统地址",
        "sync_tax_url": "部门系统地址",
        "sync_registration_url": "部门系统地址",
        "sync_ca_bundle": "部门系统地址",
        "sync_proxy": "部门系统地址",
        "enrol_token": "部门系统地址",
        "sync_interval_seconds": "同步",
        "sync_retry_base_seconds": "同步",
        "sync_retry_max_seconds": "同步",
        "sync_lease_seconds": "同步",
        "sync_concurrency": "同步",
        "sync_overdue_days": "同步",
        "seal_text": "打印",
        "default_printer": "打印",
        "print_copies": "打印",
        "scanner_device": "扫描",
        "scan_profiles_file": "扫描",
        "scan_watched_folder": "扫描",
        "idcard_port": "扫描",
        "idcard_baudrate": "扫描",
        "wlt_decoder": "扫描",
        "passport_reader": "扫描",
        "camera": "扫描",
        "simulate_devices": "扫描",
        "idle_lock_minutes": "安全",
        "lockout_threshold": "安全",
        "lockout_minutes": "安全",
        "face_threshold": "安全",
        "key_protector": "安全",
        "machine_key_file": "安全",
        "backup_dir": "安全",
        "backup_interval_hours": "安全",
        "backup_keep": "安全",
        "retention_local_scan_days": "安全",
        "language": "界面",
        "draft_journal_seconds": "界面",
    }
)
"""The section of each key (:data:`SECTIONS`); :func:`field_section` reads it."""


def field_section(key: str) -> str:
    """The section a key is shown under (:data:`OTHER_SECTION` when it has none yet)."""
    return SETTING_SECTIONS.get(key, OTHER_SECTION)


# --------------------------------------------------------------------------------- upgrades
UpgradeStep = Callable[[dict[str, Any]], dict[str, Any]]


def _upgrade_to_v1(values: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (files written by hand before versioning): accept ``idle-lock-minutes`` spellings."""
    return {key.replace("-", "_"): value for key, value in values.items()}


UPGRADE_STEPS: dict[int, UpgradeStep] = {0: _upgrade_to_v1}
"""Upgrade step from version N (the key) to N + 1. A file without ``version`` is version 0."""


def upgrade_values(values: Mapping[str, Any], *, source: str) -> tuple[dict[str, Any], int]:
    """Bring the values of a settings file to :data:`SETTINGS_VERSION`.

    Args:
        values: the parsed file, possibly with a ``version`` key.
        source: the file name for messages.

    Returns:
        The upgraded values (without ``version``) and the version the file had.

    Raises:
        ConfigError: the file is newer than this program or its version is not a number.
    """
    data = dict(values)
    version = data.pop("version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ConfigError(
            f"设置文件 {source} 中的 version 应为非负整数，现为 {version!r}；请改正或删除该行。"
        )
    if version > SETTINGS_VERSION:
        raise ConfigError(
            f"设置文件 {source} 的版本为 {version}，比本程序支持的 {SETTINGS_VERSION} 新；"
            "请把一窗受理升级到最新版本。"
        )
    original = version
    while version < SETTINGS_VERSION:
        data = UPGRADE_STEPS[version](data)
        version += 1
    return data, original


# ----------------------------------------------------------------------------------- TOML I/O
_LINE_RE = re.compile(r"line (\d+)")


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse a flat TOML settings file.

    Returns:
        The parsed values and the file's text (for locating keys in messages); empty when missing.

    Raises:
        ConfigError: unreadable file or TOML syntax error (the message names the file and line).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"无法读取设置文件 {path}：{exc}。请检查文件权限，并以 UTF-8 编码保存。") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _LINE_RE.search(str(exc))
        where = f"第 {match.group(1)} 行" if match else ""
        raise ConfigError(
            f"设置文件 {path} {where}格式错误（{exc}）。请按 TOML 格式改正，"
            '例如 idle_lock_minutes = 10 或 office_name = "某某不动产登记中心"（文本要加英文双引号）。'
        ) from exc
    for key, value in data.items():
        if isinstance(value, dict):
            raise ConfigError(
                f"设置文件 {path} 第 {_line_of(text, key)} 行：不支持分节 [{key}]，"
                "请把设置项直接写在文件顶层。"
            )
    return data, text


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line) or line.strip() == f"[{key}]":
            return number
    return None


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    escaped = "".join(ch if ord(ch) >= 0x20 and ord(ch) != 0x7F else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def write_toml(path: Path, values: Mapping[str, Any]) -> None:
    """Write a flat settings file atomically, with ``version`` first.

    ``None`` values are left out (the default applies). Comments of the previous file are not kept.
    """
    lines = [
        "# 一窗受理 本机/机构设置 (Yichuang office settings). 键名与说明见 yichuang config list。",
        f"version = {SETTINGS_VERSION}",
    ]
    lines += [f"{key} = {_toml_value(value)}" for key, value in values.items() if value is not None]
    paths.ensure_private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)


# ----------------------------------------------------------------------------------- layers
class SettingsDatabase(Protocol):
    """The part of the store that keeps office settings and user preferences (JSON values)."""

    @property
    def shares_office_settings(self) -> bool:
        """Whether office settings live in the database (a shared PostgreSQL office)."""
        ...

    def office_settings(self) -> dict[str, Any]:
        """All office settings stored in the database."""
        ...

    def set_office_setting(self, key: str, value: Any) -> None:
        """Store one office setting."""
        ...

    def delete_office_setting(self, key: str) -> None:
        """Remove one office setting (its default applies again)."""
        ...

    def user_prefs(self, user_id: int) -> dict[str, Any]:
        """One user's preferences."""
        ...

    def set_user_pref(self, user_id: int, key: str, value: Any) -> None:
        """Store one user preference."""
        ...

    def delete_user_pref(self, user_id: int, key: str) -> None:
        """Remove one user preference."""
        ...


_ERROR_TEXT: dict[str, str] = {
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文本（加英文双引号）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "literal_error": "只能取 {expected}",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "string_too_short": "不能为空",
    "string_too_long": "最长 {max_length} 个字符",
    "path_type": "应为文件路径文本",
}


def _describe_error(error: ErrorDetails, source: str, text: str) -> str:
    key = str(error["loc"][0]) if error["loc"] else ""
    line = _line_of(text, key) if text else None
    where = f"{source} 第 {line} 行" if line else source
    if error["type"] == "extra_forbidden":
        return f"{where}：没有名为“{key}”的设置项，请检查拼写或删除该行。"
    template = _ERROR_TEXT.get(error["type"], error["msg"])
    try:
        reason = template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        reason = template
    info = Settings.model_fields[key]
    hint = (info.description or "").split(" / ")[0]
    return f"{where}：“{info.title}”（{key}）的值 {error['input']!r} 无效，{reason}。说明：{hint}。"


def validate_layer(values: Mapping[str, Any], *, source: str, text: str = "") -> dict[str, Any]:
    """Check one layer's values against the schema.

    Returns:
        The values, converted to their field types (only the keys given).

    Raises:
        ConfigError: unknown keys or invalid values, each named with its Chinese title.
    """
    try:
        model = Settings.model_validate(dict(values))
    except ValidationError as exc:
        problems = "\n".join(_describe_error(e, source, text) for e in exc.errors())
        raise ConfigError(problems) from exc
    return {key: getattr(model, key) for key in values}


def policy_file() -> Path:
    """The policy file used outside Windows (``YICHUANG_POLICY_FILE`` or ``/etc/yichuang/policy.toml``)."""
    override = os.environ.get(ENV_POLICY_FILE, "").strip()
    return Path(override) if override else DEFAULT_POLICY_FILE


def _read_registry_policy() -> tuple[dict[str, Any], str]:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        raise RuntimeError("registry policy is read on Windows only")
    import winreg

    values: dict[str, Any] = {}
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, POLICY_REGISTRY_KEY) as key:
            index = 0
            while True:
                try:
                    name, value, _kind = winreg.EnumValue(key, index)
                except OSError:
                    break
                if value != "":  # the MSI writes every public property; an empty one is "not set"
                    values[name] = value
                index += 1
    except FileNotFoundError:
        pass
    return values, rf"注册表 HKLM\{POLICY_REGISTRY_KEY}"


def read_policy() -> tuple[dict[str, Any], str]:
    """The administrator policy values and a description of where they came from.

    Raises:
        ConfigError: bad policy file or values.
    """
    if sys.platform == "win32":  # pragma: no cover - Windows only
        raw, source = _read_registry_policy()
        text = ""
    else:
        path = policy_file()
        raw, text = read_toml(path)
        source = f"策略文件 {path}"
    values, _version = upgrade_values(raw, source=source)
    return validate_layer(values, source=source, text=text), source


class Config:
    """The layered settings of this window, with the API the settings dialog and CLI use.

    Args:
        data_dir: the data folder holding ``office.toml``; the machine's data folder by default.
        database: office settings and user preferences in the database, once it is open.
        user_id: the signed-in user whose preferences apply.
        audit: called with the action (``set_office`` …) and key after each change is stored (the
            audit log of issue 8, :func:`workstation.audit.config_auditor`); values are not passed.
    """

    def __init__(
        self,
        *,
        data_dir: Path | None = None,
        database: SettingsDatabase | None = None,
        user_id: int | None = None,
        audit: Callable[[str, str], object] | None = None,
    ) -> None:
        self._data_dir = data_dir
        self._database = database
        self._user_id = user_id
        self._audit = audit
        self._layers: dict[Layer, dict[str, Any]] = {}
        self._policy_source = ""
        self._settings = Settings()
        self.reload()

    # ------------------------------------------------------------------ reading
    @property
    def office_file(self) -> Path:
        """The ``office.toml`` of this window."""
        folder = self._data_dir if self._data_dir is not None else paths.data_dir(create=False)
        return folder / OFFICE_FILE_NAME

    def attach(self, database: SettingsDatabase | None, user_id: int | None = None) -> None:
        """Use office settings and preferences from the database (after sign-in) and reload."""
        self._database = database
        self._user_id = user_id
        self.reload()

    def reload(self) -> None:
        """Read every layer again.

        Raises:
            ConfigError: a file or stored value is invalid (message names where).
        """
        policy, self._policy_source = read_policy()
        office = self._read_office_file()
        if self._database is not None and self._database.shares_office_settings:
            shared = validate_layer(self._database.office_settings(), source="数据库表 office_settings")
            office.update({k: v for k, v in shared.items() if field_scope(k) is not Scope.MACHINE})
        user: dict[str, Any] = {}
        if self._database is not None and self._user_id is not None:
            prefs = self._database.user_prefs(self._user_id)
            user = validate_layer(prefs, source="数据库表 user_prefs")
        self._layers = {Layer.POLICY: policy, Layer.OFFICE: office, Layer.USER: user}
        merged = {**user, **office, **policy}
        self._settings = Settings.model_validate(merged)

    def _read_office_file(self) -> dict[str, Any]:
        path = self.office_file
        raw, text = read_toml(path)
        if not raw:
            return {}
        values, version = upgrade_values(raw, source=str(path))
        checked = validate_layer(values, source=f"设置文件 {path}", text=text)
        if version < SETTINGS_VERSION:
            backup = path.with_name(f"{path.name}.v{version}.bak")
            os.replace(path, backup)
            write_toml(path, values)
        return checked

    @property
    def settings(self) -> Settings:
        """The effective settings."""
        return self._settings

    @property
    def locked_keys(self) -> frozenset[str]:
        """Keys set by administrator policy; the UI disables their widgets."""
        return frozenset(self._layers[Layer.POLICY])

    @property
    def policy_source(self) -> str:
        """Where the policy layer was read from (registry key or policy file), for messages."""
        return self._policy_source

    def layer_values(self, layer: Layer) -> Mapping[str, Any]:
        """The values one layer sets (read-only; :attr:`Layer.DEFAULT` gives no values)."""
        return MappingProxyType(dict(self._layers.get(layer, {})))

    def layer_of(self, key: str) -> Layer:
        """Which layer decided the effective value of ``key``."""
        field_scope(key)
        for layer in (Layer.POLICY, Layer.OFFICE, Layer.USER):
            if key in self._layers[layer]:
                return layer
        return Layer.DEFAULT

    # ------------------------------------------------------------------ writing
    def _check_writable(self, key: str) -> Scope:
        scope = field_scope(key)
        if key in self._layers[Layer.POLICY]:
            raise SettingLocked(
                f"“{field_title(key)}”（{key}）已由系统管理员通过 {self._policy_source} 锁定，不能在此修改；"
                "如需修改，请联系系统管理员更改策略。"
            )
        return scope

    def set_office(self, key: str, value: Any) -> None:
        """Set an office setting (in ``office.toml``, or the shared database for office keys).

        Raises:
            SettingLocked: the key is set by policy.
            ConfigError: unknown key or invalid value.
        """
        scope = self._check_writable(key)
        checked = validate_layer({key: value}, source="新设置值")[key]
        stored = str(checked) if isinstance(checked, Path) else checked
        if (
            scope is not Scope.MACHINE
            and self._database is not None
            and self._database.shares_office_settings
        ):
            self._database.set_office_setting(key, stored)
        else:
            self._write_office_file(key, stored)
        self._audited("set_office", key)
        self.reload()

    def reset_office(self, key: str) -> None:
        """Remove an office setting so the default (or user preference) applies again."""
        scope = self._check_writable(key)
        if (
            scope is not Scope.MACHINE
            and self._database is not None
            and self._database.shares_office_settings
        ):
            self._database.delete_office_setting(key)
        else:
            self._write_office_file(key, None)
        self._audited("reset_office", key)
        self.reload()

    def _write_office_file(self, key: str, value: Any) -> None:
        path = self.office_file
        raw, _text = read_toml(path)
        values, _version = upgrade_values(raw, source=str(path))
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
        write_toml(path, values)

    def set_user(self, key: str, value: Any) -> None:
        """Set a preference of the signed-in user.

        Raises:
            SettingLocked: the key is set by policy.
            ConfigError: unknown key, a key users may not set, invalid value, or nobody signed in.
        """
        scope = self._check_writable(key)
        if scope is not Scope.USER:
            raise ConfigError(
                f"“{field_title(key)}”（{key}）是机构设置，个人不能修改；请联系管理员在机构设置中修改。"
            )
        if self._database is None or self._user_id is None:
            raise ConfigError("尚未登录，无法保存个人设置；请先登录再修改。")
        checked = validate_layer({key: value}, source="新设置值")[key]
        self._database.set_user_pref(
            self._user_id, key, str(checked) if isinstance(checked, Path) else checked
        )
        self._audited("set_user", key)
        self.reload()

    def reset_user(self, key: str) -> None:
        """Remove a preference of the signed-in user."""
        self._check_writable(key)
        if self._database is None or self._user_id is None:
            raise ConfigError("尚未登录，无法修改个人设置；请先登录。")
        self._database.delete_user_pref(self._user_id, key)
        self._audited("reset_user", key)
        self.reload()

    def _audited(self, action: str, key: str) -> None:
        if self._audit is not None:
            self._audit(action, key)


def load_settings(*, data_dir: Path | None = None) -> Settings:
    """The settings from policy, ``office.toml`` and defaults (before the database is open).

    Raises:
        ConfigError: a settings file is invalid.
    """
    return Config(data_dir=data_dir).settings
