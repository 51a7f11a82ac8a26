"""``yichuang config list|get|set|reset`` run in-process (issue 9), on SQLite and on shared PostgreSQL."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workstation.cli import EXIT_ERROR, EXIT_INVALID, EXIT_OK, main
from workstation.config import Settings, read_toml
from workstation.storage.migrate import upgrade_database

ADMIN_PASSWORD = "admin-pass-1"
CLERK_PASSWORD = "clerk-pass-1"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _office_file(data_dir: Path) -> Path:
    return data_dir / "office.toml"


def _write_office(data_dir: Path, text: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    _office_file(data_dir).write_text(text, encoding="utf-8")


def _policy(text: str) -> None:
    Path(os.environ["YICHUANG_POLICY_FILE"]).write_text(text, encoding="utf-8")


def _config_entries() -> list[dict[str, Any]]:
    """The decrypted details of every 修改设置 entry in the audit log."""
    from workstation.cli import _store

    store = _store()
    try:
        return [store.audit_details(e) for e in store.audit_entries() if e.kind == "config_change"]
    finally:
        store.close()


@pytest.fixture
def office(data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A window with an administrator (``admin``) and a clerk (``li``); the admin's password in the env."""
    _write_office(data_dir, 'key_protector = "file"\n')
    assert run(capsys, "users", "add", "admin", "--role", "admin", "--password", ADMIN_PASSWORD)[0] == EXIT_OK
    monkeypatch.setenv("YICHUANG_PASSWORD", ADMIN_PASSWORD)
    argv = ("users", "add", "li", "--role", "clerk", "--password", CLERK_PASSWORD, "--user", "admin")
    assert run(capsys, *argv)[0] == EXIT_OK
    return data_dir


def test_list_shows_every_key_with_value_layer_lock_and_description(office, capsys):
    _write_office(office, 'key_protector = "file"\noffice_name = "昆明市不动产登记中心"\n')
    _policy("idle_lock_minutes = 5\n")
    code, out, _err = run(capsys, "config", "list", "--json")
    assert code == EXIT_OK
    rows = {r["key"]: r for r in json.loads(out)}
    assert set(rows) == set(Settings.model_fields)
    assert rows["office_name"]["value"] == "昆明市不动产登记中心" and rows["office_name"]["layer"] == "office"
    assert rows["idle_lock_minutes"] == {
        "key": "idle_lock_minutes",
        "title": "空闲锁屏分钟数",
        "section": "安全",
        "scope": "office",
        "value": 5,
        "layer": "policy",
        "locked": True,
        "description": "无操作多少分钟后锁定屏幕，需重新输入密码",
    }
    assert rows["language"]["layer"] == "default" and rows["language"]["locked"] is False
    assert all(r["description"] and r["title"] for r in rows.values())

    code, out, _err = run(capsys, "config", "list")
    assert code == EXIT_OK
    assert "[办公室信息]" in out and "[界面]" in out
    assert "idle_lock_minutes = 5    （管理员策略，已锁定）" in out
    assert "office_name = 昆明市不动产登记中心    （机构设置）" in out
    assert "    界面语言：界面语言：zh_CN（简体中文）或 en（英文）" in out


def test_get_prints_the_value_and_unknown_keys_exit_2(office, capsys):
    code, out, _err = run(capsys, "config", "get", "language")
    assert (code, out) == (EXIT_OK, "zh_CN\n")
    code, out, _err = run(capsys, "config", "get", "print_copies")
    assert (code, out) == (EXIT_OK, "1\n")
    code, _out, err = run(capsys, "config", "get", "langauge")
    assert code == EXIT_INVALID and "没有名为“langauge”的设置项" in err


def test_set_and_reset_are_audited_without_the_value(office, capsys):
    address = "https://jy.example.gov.cn/yichuang"
    code, out, _err = run(capsys, "config", "set", "sync_transaction_url", address, "--user", "admin")
    assert code == EXIT_OK and "已修改机构设置“交易部门地址”" in out
    assert read_toml(_office_file(office))[0]["sync_transaction_url"] == address
    code, out, _err = run(capsys, "config", "get", "sync_transaction_url")
    assert out.strip() == address
    code, out, _err = run(capsys, "config", "set", "simulate_devices", "是", "--user", "admin")
    assert code == EXIT_OK and read_toml(_office_file(office))[0]["simulate_devices"] is True

    code, out, _err = run(capsys, "config", "reset", "sync_transaction_url", "--user", "admin")
    assert code == EXIT_OK and "已恢复默认" in out
    assert "sync_transaction_url" not in read_toml(_office_file(office))[0]
    code, out, _err = run(capsys, "config", "reset", "sync_transaction_url", "--user", "admin")
    assert code == EXIT_OK and "无需恢复" in out  # nothing removed, nothing audited

    entries = _config_entries()
    assert entries == [
        {"action": "set_office", "key": "sync_transaction_url"},
        {"action": "set_office", "key": "simulate_devices"},
        {"action": "reset_office", "key": "sync_transaction_url"},
    ]
    assert address not in json.dumps(entries, ensure_ascii=False)


def test_bad_values_exit_2_naming_the_setting_and_the_allowed_values(office, capsys):
    code, _out, err = run(capsys, "config", "set", "language", "fr", "--scope", "user", "--user", "li")
    assert code == EXIT_INVALID
    assert "“界面语言”（language）的值“fr”无效" in err
    assert "zh_CN（简体中文）" in err and "en（English）" in err
    code, _out, err = run(capsys, "config", "set", "idle_lock_minutes", "0", "--user", "admin")
    assert code == EXIT_INVALID and "空闲锁屏分钟数" in err and "1–240 之间的整数" in err
    code, _out, err = run(capsys, "config", "set", "office_code", "5301", "--user", "admin")
    assert code == EXIT_INVALID and "登记机构代码" in err and "6 位行政区划代码" in err
    code, _out, err = run(capsys, "config", "set", "simulate_devices", "maybe", "--user", "admin")
    assert code == EXIT_INVALID and "true（是）或 false（否）" in err
    assert "Traceback" not in err
    assert "idle_lock_minutes" not in read_toml(_office_file(office))[0]
    assert _config_entries() == []


def test_locked_key_is_refused_saying_the_policy_sets_it(office, capsys):
    _policy("version = 1\nidle_lock_minutes = 5\n")
    code, _out, err = run(capsys, "config", "set", "idle_lock_minutes", "30", "--user", "admin")
    assert code == EXIT_ERROR
    assert "空闲锁屏分钟数" in err and "策略" in err and os.environ["YICHUANG_POLICY_FILE"] in err
    code, _out, err = run(capsys, "config", "reset", "idle_lock_minutes", "--user", "admin")
    assert code == EXIT_ERROR and "锁定" in err
    assert _config_entries() == []


def test_clerk_cannot_change_office_settings_but_sets_own_preference(office, capsys, monkeypatch):
    monkeypatch.setenv("YICHUANG_PASSWORD", CLERK_PASSWORD)
    code, _out, err = run(capsys, "config", "set", "office_name", "某中心", "--user", "li")
    assert code == EXIT_ERROR and "无权“修改机构设置”" in err and "系统管理员" in err
    assert "office_name" not in read_toml(_office_file(office))[0]
    code, _out, err = run(capsys, "config", "set", "office_name", "某中心", "--scope", "user", "--user", "li")
    assert code == EXIT_INVALID and "机构设置" in err

    code, out, _err = run(capsys, "config", "set", "language", "en", "--scope", "user", "--user", "li")
    assert code == EXIT_OK and "已修改个人设置“界面语言”" in out
    assert run(capsys, "config", "get", "language", "--user", "li")[1] == "en\n"
    assert run(capsys, "config", "get", "language")[1] == "zh_CN\n"  # nobody's preference
    code, out, _err = run(capsys, "config", "list", "--json", "--user", "li")
    language = next(r for r in json.loads(out) if r["key"] == "language")
    assert (language["value"], language["layer"]) == ("en", "user")
    code, _out, _err = run(capsys, "config", "set", "print_copies", "2", "--scope", "user", "--user", "li")
    assert code == EXIT_OK
    code, _out, _err = run(capsys, "config", "reset", "language", "--scope", "user", "--user", "li")
    assert code == EXIT_OK
    assert run(capsys, "config", "get", "language", "--user", "li")[1] == "zh_CN\n"

    monkeypatch.setenv("YICHUANG_PASSWORD", "wrong-password")
    code, _out, err = run(capsys, "config", "set", "language", "en", "--scope", "user", "--user", "li")
    assert code == EXIT_ERROR and "密码" in err
    code, _out, err = run(capsys, "config", "set", "language", "en", "--scope", "user")
    assert code == EXIT_ERROR and "--user" in err
    assert _config_entries() == [
        {"action": "set_user", "key": "language"},
        {"action": "set_user", "key": "print_copies"},
        {"action": "reset_user", "key": "language"},
    ]


def test_secrets_are_never_printed(office, capsys):
    token = "enrol-secret-4711"
    code, out, _err = run(capsys, "config", "set", "enrol_token", token, "--user", "admin")
    assert code == EXIT_OK and token not in out
    for argv in (("config", "list"), ("config", "list", "--json"), ("config", "get", "enrol_token")):
        code, out, _err = run(capsys, *argv)
        assert code == EXIT_OK and token not in out and "已设置" in out
    assert read_toml(_office_file(office))[0]["enrol_token"] == token


def test_a_database_password_is_masked():
    from workstation.operations.settings import shown_text

    url = "postgresql+psycopg://yichuang:s3cret@db.example:5432/office"
    assert shown_text("database_url", url) == "postgresql+psycopg://yichuang:***@db.example:5432/office"


# ------------------------------------------------------------------------------ PostgreSQL
@pytest.fixture
def postgres_office(
    postgres_url: str, data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    upgrade_database(postgres_url)
    _write_office(data_dir, f'key_protector = "file"\ndatabase_url = "{postgres_url}"\n')
    from workstation.cli import _store
    from workstation.storage.api import Role

    store = _store()  # `users add` leaves its store open, which PostgreSQL's driver warns about
    try:
        store.add_user(username="admin", display_name="管理员", password=ADMIN_PASSWORD, role=Role.ADMIN)
    finally:
        store.close()
    monkeypatch.setenv("YICHUANG_PASSWORD", ADMIN_PASSWORD)
    yield data_dir


@pytest.mark.postgres
def test_postgres_office_settings_go_to_the_shared_database(postgres_office, capsys):
    from workstation.cli import _store

    code, _out, _err = run(capsys, "config", "set", "office_name", "共享的机构名称", "--user", "admin")
    assert code == EXIT_OK
    code, _out, _err = run(capsys, "config", "set", "window_id", "07", "--user", "admin")
    assert code == EXIT_OK
    values = read_toml(_office_file(postgres_office))[0]
    assert "office_name" not in values and values["window_id"] == "07"  # machine scope stays local
    store = _store()
    try:
        assert store.office_settings() == {"office_name": "共享的机构名称"}
    finally:
        store.close()
    code, out, _err = run(capsys, "config", "list", "--json")  # reads the database without sign-in
    rows = {r["key"]: r for r in json.loads(out)}
    assert (rows["office_name"]["value"], rows["office_name"]["layer"]) == ("共享的机构名称", "office")
    code, _out, _err = run(capsys, "config", "reset", "office_name", "--user", "admin")
    assert code == EXIT_OK
    assert run(capsys, "config", "get", "office_name")[1] == f"{Settings().office_name}\n"
    assert _config_entries() == [
        {"action": "set_office", "key": "office_name"},
        {"action": "set_office", "key": "window_id"},
        {"action": "reset_office", "key": "office_name"},
    ]
