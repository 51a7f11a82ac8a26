"""Settings operations (issue 9): what the settings dialog and ``yichuang config`` show and change.

Both front ends go through :func:`change_settings`, which checks, in this order and before anything
is written: the role (office and window settings need :attr:`Action.CHANGE_SETTINGS`, i.e. an
administrator; anyone signed in may change their own preferences of scope ``user``), the policy
lock, the scope, and every value against :class:`workstation.config.Settings`. Then it writes through
:class:`workstation.config.Config` with :func:`workstation.audit.config_auditor`, so every change is
an audit entry naming the action and the key, never the value (a setting may hold an address).

A key is written to the layer that decides it for this user (:func:`writable_layer`): a user-scope
key (``language``, ``print_copies``) to the user's own preferences unless the office has set it for
everyone; every other key to the office layer (``office.toml``, or the shared database on
PostgreSQL), by an administrator only. Keys set by policy are read-only for everybody.

The module is Qt-free (the CLI imports it); :func:`load_settings_view` and :func:`save_settings` run
the same functions on the session's database executor for the dialog.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    Literal,
    Protocol,
    TypeVar,
    Union,
    get_args,
    get_origin,
    runtime_checkable,
)

from pydantic import ValidationError

from workstation.config import (
    OTHER_SECTION,
    SECTIONS,
    Config,
    ConfigError,
    Layer,
    Scope,
    SettingLocked,
    Settings,
    field_description,
    field_scope,
    field_section,
    field_title,
)
from workstation.permissions import Action, PermissionDenied, allowed, require

if TYPE_CHECKING:
    import uuid

    from workstation.audit import AuditKind
    from workstation.storage.api import User

T = TypeVar("T")
ErrorCallback = Callable[[BaseException], object]


class _Executor(Protocol):
    """The session's database executor (:class:`workstation.executor.Executor`)."""

    def submit(
        self,
        job: Callable[[], T],
        *,
        on_done: Callable[[T], object],
        on_error: ErrorCallback,
        progress: str | None = None,
        parent: Any = None,
    ) -> None:
        """Run ``job`` off the UI thread; the callbacks run on the UI thread."""
        ...


class Session(Protocol):
    """What the operations use of :class:`workstation.session.Session`.

    Named here rather than imported: the session module pulls in Qt, and the CLI imports this one.
    """

    @property
    def store(self) -> object:
        """The store (a :class:`SettingsDatabase`)."""
        ...

    @property
    def executor(self) -> _Executor:
        """The database executor."""
        ...

    @property
    def user(self) -> User | None:
        """The signed-in user."""
        ...


class SettingKind(StrEnum):
    """The kind of value a key holds, which decides its widget."""

    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    CHOICE = "choice"
    PATH = "path"  # a file
    FOLDER = "folder"


CHOICE_LABELS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "language": {"zh_CN": "简体中文", "en": "English"},
        "key_protector": {
            "auto": "自动选择",
            "dpapi": "Windows DPAPI",
            "keyring": "系统钥匙串",
            "file": "密钥文件",
        },
    }
)
"""Names shown beside the codes of a choice."""

SECRET_KEYS: Final = frozenset({"enrol_token"})
"""Keys whose value is never shown (the dialog masks the field, the CLI prints only that it is set)."""

LAYER_LABELS: Final[Mapping[Layer, str]] = MappingProxyType(
    {
        Layer.POLICY: "管理员策略",
        Layer.OFFICE: "机构设置",
        Layer.USER: "个人设置",
        Layer.DEFAULT: "默认值",
    }
)
"""Where a value comes from, as the clerk and IT read it."""

_TRUE: Final = frozenset({"true", "1", "yes", "on", "是", "开"})
_FALSE: Final = frozenset({"false", "0", "no", "off", "否", "关"})


# ------------------------------------------------------------------------------ the schema
@dataclass(frozen=True)
class SettingSpec:
    """What the schema says about one key.

    Attributes:
        key: the key (``office_name``).
        title: its Chinese title.
        description: the Chinese description.
        description_en: the English description.
        section: the group it is shown in (:data:`workstation.config.SECTIONS`).
        scope: machine, office or user.
        kind: the kind of value (the widget).
        choices: the allowed values of a choice.
        optional: whether "not set" (``None``) is a value.
        minimum: the smallest number allowed.
        maximum: the largest number allowed.
        exclusive_minimum: whether ``minimum`` itself is not allowed (``gt``).
        min_length: the shortest text allowed.
        max_length: the longest text allowed.
        pattern: the regular expression a text must match.
        secret: whether the value is never shown.
    """

    key: str
    title: str
    description: str
    description_en: str
    section: str
    scope: Scope
    kind: SettingKind
    choices: tuple[str, ...] = ()
    optional: bool = False
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    secret: bool = False

    @property
    def rule(self) -> str:
        """The allowed values in Chinese (``可选值：zh_CN（简体中文）、en（English）``)."""
        if self.kind is SettingKind.CHOICE:
            labels = CHOICE_LABELS.get(self.key, {})
            return "可选值：" + "、".join(f"{c}（{labels[c]}）" if c in labels else c for c in self.choices)
        if self.kind is SettingKind.BOOL:
            return "应为 true（是）或 false（否）"
        if self.kind in (SettingKind.INT, SettingKind.FLOAT):
            noun = "整数" if self.kind is SettingKind.INT else "数字"
            low, high = _number(self.minimum), _number(self.maximum)
            if self.minimum is not None and self.maximum is not None:
                if self.exclusive_minimum:
                    return f"应为大于 {low}、不大于 {high} 的{noun}"
                return f"应为 {low}–{high} 之间的{noun}"
            return f"应为{noun}"
        if self.kind in (SettingKind.PATH, SettingKind.FOLDER):
            what = "文件夹" if self.kind is SettingKind.FOLDER else "文件"
            return f"应为{what}路径；留空表示不设置"
        parts = []
        if self.pattern:
            parts.append(f"格式：{self.description}")
        if self.min_length:
            parts.append("不能为空")
        if self.max_length:
            parts.append(f"最长 {self.max_length} 个字符")
        if self.optional:
            parts.append("留空表示不设置")
        return "；".join(parts) or "任意文本"


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _kind(key: str, annotation: Any) -> tuple[SettingKind, tuple[str, ...], bool]:
    optional = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        annotation = args[0] if len(args) == 1 else annotation
    if get_origin(annotation) is Literal:
        return SettingKind.CHOICE, tuple(str(a) for a in get_args(annotation)), optional
    if annotation is bool:
        return SettingKind.BOOL, (), optional
    if annotation is int:
        return SettingKind.INT, (), optional
    if annotation is float:
        return SettingKind.FLOAT, (), optional
    if annotation is Path:
        folder = "文件夹" in field_title(key)
        return (SettingKind.FOLDER if folder else SettingKind.PATH), (), optional
    return SettingKind.TEXT, (), optional


@cache
def setting_spec(key: str) -> SettingSpec:
    """The schema's facts about ``key``.

    Raises:
        ConfigError: there is no such key (the message says where to look them up).
    """
    scope = field_scope(key)  # raises for an unknown key
    info = Settings.model_fields[key]
    kind, choices, optional = _kind(key, info.annotation)
    facts: dict[str, Any] = {}
    for item in info.metadata:
        for name in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern"):
            value = getattr(item, name, None)
            if value is not None:
                facts[name] = value
    minimum = facts.get("ge", facts.get("gt"))
    return SettingSpec(
        key=key,
        title=field_title(key),
        description=field_description(key),
        description_en=field_description(key, "en"),
        section=field_section(key),
        scope=scope,
        kind=kind,
        choices=choices,
        optional=optional,
        minimum=float(minimum) if minimum is not None else None,
        maximum=float(facts["le"]) if "le" in facts else None,
        exclusive_minimum="gt" in facts and "ge" not in facts,
        min_length=facts.get("min_length"),
        max_length=facts.get("max_length"),
        pattern=facts.get("pattern"),
        secret=key in SECRET_KEYS,
    )


def setting_keys() -> list[str]:
    """Every key, section by section (:data:`~workstation.config.SECTIONS`), schema order within."""
    order = {name: i for i, name in enumerate((*SECTIONS, OTHER_SECTION))}
    keys = list(Settings.model_fields)
    return sorted(keys, key=lambda k: order.get(field_section(k), len(order)))


# ------------------------------------------------------------------------------ values
class SettingsInvalid(ConfigError):
    """One or more new values are not allowed; ``problems`` maps each key to a short Chinese reason.

    ``str(exc)`` names each setting (title and key), the value typed and the allowed values.
    """

    def __init__(self, problems: Mapping[str, str], message: str) -> None:
        super().__init__(message)
        self.problems: Mapping[str, str] = MappingProxyType(dict(problems))


def _problem(spec: SettingSpec, error: ValidationError) -> str:
    kinds = {e["type"] for e in error.errors()}
    if "string_pattern_mismatch" in kinds:
        return f"格式不正确。说明：{spec.description}"
    if "string_too_short" in kinds:
        return "不能为空"
    if "string_too_long" in kinds:
        return f"太长了，最长 {spec.max_length} 个字符"
    return spec.rule


def check_value(key: str, raw: Any) -> Any:
    """Convert and check a new value of ``key``, as typed (text) or as a value.

    Text is trimmed; empty text means "not set" for optional keys; ``是``/``否`` and
    ``true``/``false`` are accepted for switches.

    Returns:
        The value as :class:`~workstation.config.Settings` holds it.

    Raises:
        ConfigError: unknown key.
        SettingsInvalid: the value is not allowed (the message names the setting and the allowed values).
    """
    spec = setting_spec(key)
    value = raw
    if isinstance(raw, str):
        value = raw.strip()
        if value == "" and spec.optional:
            value = None
        elif spec.kind is SettingKind.BOOL and value.lower() in _TRUE | _FALSE:
            value = value.lower() in _TRUE
    try:
        model = Settings.model_validate({key: value})
    except ValidationError as exc:
        problem = _problem(spec, exc)
        shown = "（已隐藏）" if spec.secret else f"“{raw}”"
        message = f"“{spec.title}”（{key}）的值{shown}无效：{problem}。"
        raise SettingsInvalid({key: problem}, message) from exc
    return getattr(model, key)


def value_text(value: Any) -> str:
    """A value as it is typed on the command line (``true``, ``10``, a path; ``""`` for not set)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number(value)
    return str(value)


_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]+@")


def shown_text(key: str, value: Any) -> str:
    """:func:`value_text` for showing: secrets replaced, a password in a database address masked."""
    text = value_text(value)
    if key in SECRET_KEYS and text:
        return "******（已设置，不显示）"
    return _URL_PASSWORD.sub(r"\1***@", text)


def json_value(key: str, value: Any) -> Any:
    """A value for JSON output (paths as text; secrets and passwords masked as in :func:`shown_text`)."""
    if key in SECRET_KEYS and value:
        return shown_text(key, value)
    if isinstance(value, str):
        return shown_text(key, value)
    return str(value) if isinstance(value, Path) else value


# ------------------------------------------------------------------------------ who writes where
def writable_layer(config: Config, key: str, user: User | None) -> tuple[Layer | None, str]:
    """The layer ``user`` changes ``key`` in (``None``: read-only for them) and a note saying why.

    Args:
        config: the loaded settings.
        key: the key.
        user: the signed-in user (``None``: nobody).
    """
    spec = setting_spec(key)
    if key in config.locked_keys:
        return None, f"已由系统管理员通过 {config.policy_source} 锁定，不能在此修改"
    office_holds = key in config.layer_values(Layer.OFFICE)
    if spec.scope is Scope.USER and not office_holds and user is not None:
        return Layer.USER, "个人设置：只对您自己生效"
    if allowed(user, Action.CHANGE_SETTINGS):
        if spec.scope is Scope.MACHINE:
            return Layer.OFFICE, "本窗口设置：保存在本机的 office.toml"
        return Layer.OFFICE, "机构设置：对所有用户生效"
    if spec.scope is Scope.USER:
        return None, "机构已统一设置此项，个人不能更改；如需更改请联系系统管理员"
    return None, "只有系统管理员可以修改此项"


@dataclass(frozen=True)
class SettingRow:
    """One key as a user sees it.

    Attributes:
        spec: the schema's facts.
        value: the effective value.
        layer: where the effective value comes from.
        locked: set by policy.
        target: the layer this user's change goes to (``None``: read-only for them).
        note: why it is read-only, or where a change goes.
        fallback: the value after 恢复默认 (the user's preference below an office value, else the
            default).
        resettable: the target layer holds a value that 恢复默认 removes.
    """

    spec: SettingSpec
    value: Any
    layer: Layer
    locked: bool
    target: Layer | None
    note: str
    fallback: Any
    resettable: bool

    @property
    def key(self) -> str:
        """The key."""
        return self.spec.key


def describe_settings(
    config: Config, user: User | None, keys: Iterable[str] | None = None
) -> list[SettingRow]:
    """Every key (or those given) with its value, origin and what ``user`` may do with it."""
    defaults = Settings()
    user_values = config.layer_values(Layer.USER)
    rows = []
    for key in keys if keys is not None else setting_keys():
        target, note = writable_layer(config, key, user)
        default = getattr(defaults, key)
        fallback = user_values.get(key, default) if target is Layer.OFFICE else default
        rows.append(
            SettingRow(
                spec=setting_spec(key),
                value=getattr(config.settings, key),
                layer=config.layer_of(key),
                locked=key in config.locked_keys,
                target=target,
                note=note,
                fallback=fallback,
                resettable=target is not None and key in config.layer_values(target),
            )
        )
    return rows


# ------------------------------------------------------------------------------ changing
@dataclass(frozen=True)
class SettingChange:
    """One change asked for.

    Attributes:
        key: the key.
        layer: :attr:`Layer.OFFICE` (office or window settings) or :attr:`Layer.USER` (one's own).
        value: the new value (text as typed, or a value); ignored for a reset.
        reset: remove the layer's value so the one below (or the default) applies (恢复默认).
    """

    key: str
    layer: Layer
    value: Any = None
    reset: bool = False


@runtime_checkable
class SettingsDatabase(Protocol):
    """The store as the settings need it: office settings, preferences and the audit log."""

    @property
    def shares_office_settings(self) -> bool:
        """Whether office settings live in the database."""
        ...

    def office_settings(self) -> dict[str, Any]:
        """All office settings stored in the database."""
        ...

    def set_office_setting(self, key: str, value: Any) -> None:
        """Store one office setting."""
        ...

    def delete_office_setting(self, key: str) -> None:
        """Remove one office setting."""
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

    def audit(
        self,
        kind: AuditKind,
        *,
        user_id: int | None,
        case_id: uuid.UUID | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one audit entry."""
        ...


def settings_store(store: object) -> SettingsDatabase:
    """The store as a :class:`SettingsDatabase`.

    Raises:
        TypeError: the store keeps no settings (a programming error: :class:`SqlStore` does).
    """
    if not isinstance(store, SettingsDatabase):
        raise TypeError(f"{type(store).__name__} keeps no settings")
    return store


def open_config(
    database: SettingsDatabase | None, user: User | None, *, data_dir: Path | None = None
) -> Config:
    """The layered settings for ``user``, auditing every change in ``database``'s audit log."""
    from workstation.audit import config_auditor

    user_id = user.id if user is not None else None
    audit = config_auditor(database, user_id) if database is not None else None
    return Config(data_dir=data_dir, database=database, user_id=user_id, audit=audit)


def _check_allowed(config: Config, user: User | None, changes: Sequence[SettingChange]) -> None:
    """Role, lock and scope of every change, before anything is written."""
    for change in changes:
        setting_spec(change.key)  # an unknown key is named before any permission message
        if change.layer is Layer.OFFICE:
            require(user, Action.CHANGE_SETTINGS)
        elif change.layer is Layer.USER:
            if user is None:
                raise PermissionDenied("修改个人设置需要先登录，请登录后再试。")
        else:
            raise ValueError(f"settings are changed in the office or user layer, not {change.layer}")
    for change in changes:
        spec = setting_spec(change.key)
        if change.key in config.locked_keys:
            raise SettingLocked(
                f"“{spec.title}”（{spec.key}）已由系统管理员通过 {config.policy_source} 锁定（策略设置），"
                "不能在此修改；如需修改，请联系系统管理员更改策略。"
            )
        if change.layer is Layer.USER and spec.scope is not Scope.USER:
            raise ConfigError(
                f"“{spec.title}”（{spec.key}）是机构设置，个人不能修改；请系统管理员在机构设置中修改。"
            )


def change_settings(config: Config, *, user: User | None, changes: Sequence[SettingChange]) -> dict[str, Any]:
    """Check every change, then write them through ``config`` (each one audited by its callback).

    Nothing is written unless every change is allowed and every value valid. A reset of a value the
    layer does not hold is skipped (nothing to remove, nothing audited).

    Args:
        config: the settings, opened with :func:`open_config` for ``user``.
        user: who changes them.
        changes: the changes.

    Returns:
        The keys changed, each with its effective value afterwards.

    Raises:
        PermissionDenied: an office or window setting changed by someone not an administrator, or a
            preference with nobody signed in.
        SettingLocked: a key set by policy.
        SettingsInvalid: values not allowed (every one is named).
        ConfigError: an unknown key, a user preference for a key users may not set, or a file error.
    """
    _check_allowed(config, user, changes)
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    messages: list[str] = []
    for change in changes:
        if change.reset:
            continue
        try:
            values[change.key] = check_value(change.key, change.value)
        except SettingsInvalid as exc:
            problems.update(exc.problems)
            messages.append(str(exc))
    if problems:
        raise SettingsInvalid(problems, "\n".join(messages))
    changed: list[str] = []
    for change in changes:
        office = change.layer is Layer.OFFICE
        if change.reset:
            if change.key not in config.layer_values(change.layer):
                continue
            (config.reset_office if office else config.reset_user)(change.key)
        else:
            (config.set_office if office else config.set_user)(change.key, values[change.key])
        changed.append(change.key)
    return {key: getattr(config.settings, key) for key in changed}


# ------------------------------------------------------------------------------ the dialog's operations
@dataclass(frozen=True)
class SettingsView:
    """What the settings dialog shows.

    Attributes:
        rows: every key, section by section.
        can_change_office: whether the user may change office and window settings.
        policy_source: where the policy was read from.
    """

    rows: tuple[SettingRow, ...]
    can_change_office: bool
    policy_source: str


@dataclass(frozen=True)
class SettingsSaved:
    """What a save changed.

    Attributes:
        changed: each key changed, with its effective value now.
        view: the settings as they are now.
    """

    changed: Mapping[str, Any]
    view: SettingsView


def _view(config: Config, user: User | None) -> SettingsView:
    return SettingsView(
        tuple(describe_settings(config, user)), allowed(user, Action.CHANGE_SETTINGS), config.policy_source
    )


def load_settings_view(
    *,
    session: Session,
    on_done: Callable[[SettingsView], object],
    on_error: ErrorCallback,
    data_dir: Path | None = None,
) -> None:
    """Read every layer (files and database) for the signed-in user, off the UI thread."""
    store = settings_store(session.store)
    user = session.user
    session.executor.submit(
        lambda: _view(open_config(store, user, data_dir=data_dir), user), on_done=on_done, on_error=on_error
    )


def save_settings(
    *,
    session: Session,
    changes: Sequence[SettingChange],
    on_done: Callable[[SettingsSaved], object],
    on_error: ErrorCallback,
    parent: Any = None,  # the dialog (a QWidget): this module stays Qt-free for the CLI
    data_dir: Path | None = None,
) -> None:
    """Write the changes for the signed-in user, off the UI thread (:func:`change_settings`).

    The role is checked here first (a refusal reaches ``on_error`` without touching the database) and
    again by :func:`change_settings` on the worker.
    """
    user = session.user
    try:
        if any(c.layer is Layer.OFFICE for c in changes):
            require(user, Action.CHANGE_SETTINGS)
        elif user is None:
            raise PermissionDenied("修改个人设置需要先登录，请登录后再试。")
    except PermissionDenied as exc:
        on_error(exc)
        return
    store = settings_store(session.store)
    pending = tuple(changes)

    def job() -> SettingsSaved:
        config = open_config(store, user, data_dir=data_dir)
        changed = change_settings(config, user=user, changes=pending)
        return SettingsSaved(MappingProxyType(changed), _view(config, user))

    session.executor.submit(job, on_done=on_done, on_error=on_error, progress="正在保存设置…", parent=parent)


__all__ = [
    "CHOICE_LABELS",
    "LAYER_LABELS",
    "SECRET_KEYS",
    "SettingChange",
    "SettingKind",
    "SettingRow",
    "SettingSpec",
    "SettingsDatabase",
    "SettingsInvalid",
    "SettingsSaved",
    "SettingsView",
    "change_settings",
    "check_value",
    "describe_settings",
    "json_value",
    "load_settings_view",
    "open_config",
    "save_settings",
    "setting_keys",
    "setting_spec",
    "settings_store",
    "shown_text",
    "value_text",
    "writable_layer",
]
