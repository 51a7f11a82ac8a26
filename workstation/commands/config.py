"""``yichuang config list|get|set|reset``: read and change the settings from the command line (issue 9).

``list`` shows every key with its effective value, the layer it comes from (管理员策略, 机构设置,
个人设置, 默认值), whether policy locks it, and its Chinese description (``--json`` for tools);
``get KEY`` prints one value. Neither needs a sign-in unless ``--user`` asks for that user's own
preferences (on a shared PostgreSQL office the database is opened to read the office settings).
Secrets are never printed.

``set KEY VALUE`` and ``reset KEY`` change the office layer (``--scope office``, the default: an
administrator signs in with ``--user``, as for ``users add``) or the signed-in user's own
preference (``--scope user``, any role, keys of scope ``user`` only). They go through
:func:`workstation.operations.settings.change_settings`: a value not allowed exits 2 with a Chinese
message naming the setting and the allowed values; a key locked by policy, or a user who may not
change it, exits 1. Every change is an audit entry naming the action and the key, not the value.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workstation.config import Config
    from workstation.storage.api import User
    from workstation.storage.store import SqlStore

EXIT_OK = 0
EXIT_INVALID = 2


def _open(args: argparse.Namespace, *, write: bool) -> tuple[Config, SqlStore | None, User | None]:
    """The settings (with the database's layers when needed), the store and the signed-in user."""
    from workstation.cli import _settings, _signed_in, _store
    from workstation.operations.settings import open_config
    from workstation.storage.db import is_sqlite

    needs_store = write or bool(args.user) or not is_sqlite(_settings().database_url)
    if not needs_store:
        return open_config(None, None), None, None
    store = _store()
    try:
        user = _signed_in(store, args.user) if write or args.user else None
        return open_config(store, user), store, user
    except BaseException:
        store.close()
        raise


class _Refused(Exception):
    """Invalid input found before signing in: the message is printed and the command exits 2."""


def _key(key: str) -> str:
    from workstation.config import ConfigError
    from workstation.operations.settings import setting_spec

    try:
        setting_spec(key)
    except ConfigError as exc:  # no such key: the message names it and says where to look
        raise _Refused(str(exc)) from exc
    return key


def _invalid(exc: object) -> int:
    from workstation.cli import _out

    _out(f"错误：{exc}", _stderr())
    return EXIT_INVALID


def cmd_config_list(args: argparse.Namespace) -> int:
    """Every key: effective value, layer, lock and description."""
    from workstation.cli import _out
    from workstation.operations.settings import LAYER_LABELS, describe_settings, json_value, shown_text

    config, store, user = _open(args, write=False)
    try:
        rows = describe_settings(config, user)
    finally:
        if store is not None:
            store.close()
    if args.json:
        _out(
            json.dumps(
                [
                    {
                        "key": r.key,
                        "title": r.spec.title,
                        "section": r.spec.section,
                        "scope": r.spec.scope.value,
                        "value": json_value(r.key, r.value),
                        "layer": r.layer.value,
                        "locked": r.locked,
                        "description": r.spec.description,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    section = ""
    for r in rows:
        if r.spec.section != section:
            section = r.spec.section
            _out(f"\n[{section}]" if r is not rows[0] else f"[{section}]")
        origin = LAYER_LABELS[r.layer] + ("，已锁定" if r.locked else "")
        value = shown_text(r.key, r.value) or "（空）"
        _out(f"{r.key} = {value}    （{origin}）")
        _out(f"    {r.spec.title}：{r.spec.description}")
    return EXIT_OK


def cmd_config_get(args: argparse.Namespace) -> int:
    """Print one effective value (secrets are not printed)."""
    from workstation.cli import _out
    from workstation.operations.settings import shown_text

    try:
        key = _key(args.key)
    except _Refused as exc:
        return _invalid(exc)
    config, store, _user = _open(args, write=False)
    if store is not None:
        store.close()
    _out(shown_text(key, getattr(config.settings, key)))
    return EXIT_OK


def _change(args: argparse.Namespace, *, reset: bool) -> int:
    from workstation.cli import _out
    from workstation.config import Layer, Scope, SettingLocked
    from workstation.operations.settings import (
        SettingChange,
        SettingsInvalid,
        change_settings,
        check_value,
        open_config,
        setting_spec,
        shown_text,
    )

    try:
        key = _key(args.key)
    except _Refused as exc:
        return _invalid(exc)
    spec = setting_spec(key)
    layer = Layer.USER if args.scope == "user" else Layer.OFFICE
    name = f"“{spec.title}”（{key}）"
    # Refusals that need no password come before the sign-in prompt; change_settings checks again.
    if layer is Layer.USER and spec.scope is not Scope.USER:
        return _invalid(f"{name}是机构设置，不能作为个人设置修改；请系统管理员用 --scope office 修改。")
    policy = open_config(None, None)
    if key in policy.locked_keys:
        raise SettingLocked(
            f"{name}已由系统管理员通过 {policy.policy_source} 锁定（策略设置），不能在此修改；"
            "如需修改，请联系系统管理员更改策略。"
        )
    if not reset:
        try:
            check_value(key, args.value)
        except SettingsInvalid as exc:
            return _invalid(exc)
    config, store, user = _open(args, write=True)
    try:
        try:
            changed = change_settings(
                config,
                user=user,
                changes=[SettingChange(key, layer, value=None if reset else args.value, reset=reset)],
            )
        except SettingsInvalid as exc:
            return _invalid(exc)
    finally:
        if store is not None:
            store.close()
    where = "个人设置" if layer is Layer.USER else "机构设置"
    if not changed:
        current = shown_text(key, getattr(config.settings, key)) or "（空）"
        _out(f"{name}在{where}中没有值，无需恢复；当前为 {current}。")
        return EXIT_OK
    verb = "已恢复默认" if reset else "已修改"
    _out(f"{verb}{where}{name}，当前生效值：{shown_text(key, changed[key]) or '（空）'}。")
    decided_by = config.layer_of(key)
    if layer is Layer.USER and decided_by is not Layer.USER and not reset:
        _out("注意：机构设置已统一指定此项，您的个人设置暂不生效。", _stderr())
    return EXIT_OK


def _stderr() -> Any:
    import sys

    return sys.stderr


def cmd_config_set(args: argparse.Namespace) -> int:
    """Set one key in the office layer (administrators) or one's own preferences."""
    return _change(args, reset=False)


def cmd_config_reset(args: argparse.Namespace) -> int:
    """Remove one key from the office layer or one's own preferences (the default applies again)."""
    return _change(args, reset=True)


def register(subparsers: Any) -> None:
    """Add ``config`` and its actions to the ``yichuang`` command line."""
    config = subparsers.add_parser("config", help="查看和修改设置（修改机构设置需管理员登录）")
    actions = config.add_subparsers(title="设置", metavar="ACTION", required=True)
    user_help = "登录用户名（密码从提示输入或环境变量 YICHUANG_PASSWORD）"

    lst = actions.add_parser("list", help="列出全部设置项：生效值、来源、是否锁定、说明")
    lst.add_argument("--json", action="store_true", help="以 JSON 输出")
    lst.add_argument("--user", help="同时显示该用户的个人设置（" + user_help + "）")
    lst.set_defaults(func=cmd_config_list)

    get = actions.add_parser("get", help="显示一个设置项的生效值")
    get.add_argument("key", help="设置项名称（见 yichuang config list）")
    get.add_argument("--user", help="按该用户的个人设置显示（" + user_help + "）")
    get.set_defaults(func=cmd_config_get)

    scope_help = "office：机构（或本窗口）设置，须管理员登录（默认）；user：自己的个人设置"
    put = actions.add_parser("set", help="修改一个设置项（记入审计日志）")
    put.add_argument("key", help="设置项名称（见 yichuang config list）")
    put.add_argument("value", help='新值；开关填 true/false，留空（""）表示不设置')
    put.add_argument("--scope", choices=["office", "user"], default="office", help=scope_help)
    put.add_argument("--user", help=user_help)
    put.set_defaults(func=cmd_config_set)

    reset = actions.add_parser("reset", help="恢复一个设置项的默认值（记入审计日志）")
    reset.add_argument("key", help="设置项名称（见 yichuang config list）")
    reset.add_argument("--scope", choices=["office", "user"], default="office", help=scope_help)
    reset.add_argument("--user", help=user_help)
    reset.set_defaults(func=cmd_config_reset)
