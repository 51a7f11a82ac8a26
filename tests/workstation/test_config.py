from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.workstation.storage.conftest import FAST_HASHER, make_settings
from workstation import config, paths
from workstation.config import (
    Config,
    ConfigError,
    Layer,
    SettingLocked,
    Settings,
    load_settings,
    read_toml,
    write_toml,
)
from workstation.storage.api import Role
from workstation.storage.crypto import key_file_protector
from workstation.storage.migrate import upgrade_database
from workstation.storage.store import open_store


def _policy(text: str) -> Path:
    path = Path(os.environ["YICHUANG_POLICY_FILE"])
    path.write_text(text, encoding="utf-8")
    return path


def _office(data_dir: Path, text: str) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "office.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults(data_dir):
    settings = load_settings()
    assert settings.language == "zh_CN"
    assert settings.draft_journal_seconds <= 2
    assert settings.database_url == f"sqlite:///{data_dir.absolute() / 'yichuang.db'}"
    for name, info in Settings.model_fields.items():
        assert info.title, name
        zh, en = (info.description or "").split(" / ", 1)
        assert zh and en, name
        assert config.field_scope(name) in set(config.Scope)


def test_data_dir_created_owner_only(data_dir):
    assert paths.data_dir() == data_dir.absolute()
    assert data_dir.is_dir()
    assert data_dir.stat().st_mode & 0o777 == 0o700
    assert paths.backups_dir().stat().st_mode & 0o777 == 0o700


def test_layers_and_locked_keys(data_dir):
    _office(
        data_dir, 'office_code = "53010201"\noffice_name = "昆明市不动产登记中心"\nidle_lock_minutes = 20\n'
    )
    _policy("version = 1\nidle_lock_minutes = 5\n")
    cfg = Config()
    assert cfg.settings.office_code == "53010201"
    assert cfg.settings.idle_lock_minutes == 5
    assert cfg.locked_keys == {"idle_lock_minutes"}
    assert cfg.layer_of("idle_lock_minutes") is Layer.POLICY
    assert cfg.layer_of("office_name") is Layer.OFFICE
    assert cfg.layer_of("language") is Layer.DEFAULT
    with pytest.raises(SettingLocked, match=r"空闲锁屏分钟数.*系统管理员"):
        cfg.set_office("idle_lock_minutes", 30)
    cfg.set_office("enquiry_phone", "0871-12345678")
    assert cfg.settings.enquiry_phone == "0871-12345678"
    assert read_toml(data_dir / "office.toml")[0]["enquiry_phone"] == "0871-12345678"
    cfg.reset_office("office_name")
    assert cfg.settings.office_name == Settings().office_name


def test_invalid_values_are_named_in_chinese(data_dir):
    _office(data_dir, 'office_code = "5301"\n\nlockout_threshold = "many"\n')
    with pytest.raises(ConfigError) as error:
        Config()
    message = str(error.value)
    assert "office.toml 第 1 行" in message and "登记机构代码" in message
    assert "第 3 行" in message and "密码错误锁定次数" in message and "应为整数" in message
    cfg_dir = data_dir.parent / "other"
    _office(cfg_dir, "draft_journal_seconds = 5\n")
    with pytest.raises(ConfigError, match=r"草稿保存间隔.*不能大于 2"):
        Config(data_dir=cfg_dir)


def test_unknown_key_and_bad_toml_name_file_and_line(data_dir):
    path = _office(data_dir, 'office_name = "x"\nofice_code = "53010201"\n')
    with pytest.raises(ConfigError, match=r"第 2 行.*没有名为“ofice_code”的设置项"):
        Config()
    path.write_text('office_name = "x"\nwindow_id = 03 04\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{path}.*第 2 行格式错误"):
        Config()
    _policy("[section]\nkey = 1\n")
    path.unlink()
    with pytest.raises(ConfigError, match=r"第 1 行.*不支持分节"):
        Config()


def test_version_0_file_is_upgraded_and_rewritten(data_dir):
    path = _office(data_dir, '# hand written\nidle-lock-minutes = 7\nwindow-id = "05"\n')
    cfg = Config()
    assert cfg.settings.idle_lock_minutes == 7 and cfg.settings.window_id == "05"
    values, _text = read_toml(path)
    assert values == {"version": config.SETTINGS_VERSION, "idle_lock_minutes": 7, "window_id": "05"}
    assert (data_dir / "office.toml.v0.bak").read_text(encoding="utf-8").startswith("# hand written")


def test_upgrade_steps_chain(data_dir, monkeypatch):
    def rename_phone(values):
        values = dict(values)
        values["enquiry_phone"] = values.pop("phone")
        return values

    monkeypatch.setattr(config, "SETTINGS_VERSION", 2)
    monkeypatch.setitem(config.UPGRADE_STEPS, 1, rename_phone)
    upgraded, version = config.upgrade_values({"version": 1, "phone": "12345"}, source="x")
    assert (upgraded, version) == ({"enquiry_phone": "12345"}, 1)
    upgraded, version = config.upgrade_values({"window-id": "07", "phone": "1"}, source="x")
    assert (upgraded, version) == ({"window_id": "07", "enquiry_phone": "1"}, 0)


def test_newer_file_is_refused(data_dir):
    _office(data_dir, "version = 99\n")
    with pytest.raises(ConfigError, match="请把一窗受理升级"):
        Config()


def test_toml_writer_round_trip(tmp_path):
    values = {
        "office_name": 'A "quoted" \\ name\n第二行\ttab',
        "lockout_minutes": 9,
        "draft_journal_seconds": 1.5,
    }
    write_toml(tmp_path / "o.toml", values)
    assert read_toml(tmp_path / "o.toml")[0] == {"version": config.SETTINGS_VERSION, **values}


@pytest.fixture
def sqlite_store(data_dir, tmp_path):
    settings = make_settings(f"sqlite:///{tmp_path / 'w.db'}")
    store = open_store(
        settings, protector=key_file_protector(tmp_path / "k"), data_dir=data_dir, hasher=FAST_HASHER
    )
    yield store
    store.close()


def test_user_preferences(sqlite_store, data_dir):
    user = sqlite_store.add_user(username="u1", display_name="用户一", password="password-1", role=Role.CLERK)
    cfg = Config(database=sqlite_store)
    with pytest.raises(ConfigError, match="尚未登录"):
        cfg.set_user("language", "en")
    cfg.attach(sqlite_store, user.id)
    cfg.set_user("language", "en")
    assert str(cfg.settings.language) == "en" and cfg.layer_of("language") is Layer.USER
    assert Config(database=sqlite_store, user_id=user.id).settings.language == "en"
    with pytest.raises(ConfigError, match="机构设置"):
        cfg.set_user("lockout_threshold", 1)
    with pytest.raises(ConfigError, match="界面语言"):
        cfg.set_user("language", "fr")
    # office settings rank above user preferences; policy above both
    cfg.set_office("language", "zh_CN")
    assert str(cfg.settings.language) == "zh_CN"
    _policy('language = "en"\n')
    cfg.reload()
    assert str(cfg.settings.language) == "en"
    with pytest.raises(SettingLocked):
        cfg.set_user("language", "zh_CN")
    # on SQLite, office settings stay in office.toml
    assert sqlite_store.office_settings() == {}
    Path(os.environ["YICHUANG_POLICY_FILE"]).unlink()
    cfg.reload()
    cfg.reset_user("language")
    assert sqlite_store.user_prefs(user.id) == {}


@pytest.mark.postgres
def test_postgres_office_settings_are_shared_by_windows(postgres_url, data_dir, tmp_path):
    upgrade_database(postgres_url)
    protector = key_file_protector(tmp_path / "k")
    store = open_store(
        make_settings(postgres_url), protector=protector, data_dir=data_dir, hasher=FAST_HASHER
    )
    try:
        window_a = Config(data_dir=tmp_path / "a", database=store)
        window_a.set_office("office_name", "共享的机构名称")
        window_a.set_office("window_id", "07")  # machine scope: stays in this window's office.toml
        assert store.office_settings() == {"office_name": "共享的机构名称"}
        window_b = Config(data_dir=tmp_path / "b", database=store)
        assert window_b.settings.office_name == "共享的机构名称"
        assert window_b.settings.window_id == "01"
        assert read_toml(tmp_path / "a" / "office.toml")[0]["window_id"] == "07"
        window_b.reset_office("office_name")
        window_a.reload()
        assert window_a.settings.office_name == Settings().office_name
    finally:
        store.close()


def test_after_sign_in_the_users_own_language_applies(tmp_path, monkeypatch):
    from argon2 import PasswordHasher

    from workstation.app import effective_settings
    from workstation.config import Config, Settings
    from workstation.storage.api import Role
    from workstation.storage.store import open_store

    monkeypatch.setenv("YICHUANG_DATA_DIR", str(tmp_path))
    settings = Settings.model_validate(
        {"database_url": f"sqlite:///{tmp_path / 'y.db'}", "key_protector": "file", "office_code": "33010601"}
    )
    store = open_store(settings, data_dir=tmp_path, hasher=PasswordHasher(time_cost=1, memory_cost=1024))
    try:
        clerk = store.add_user(username="c", display_name="王", password="pw-123456", role=Role.CLERK)
        other = store.add_user(username="d", display_name="李", password="pw-123456", role=Role.CLERK)
        Config(data_dir=tmp_path, database=store, user_id=clerk.id).set_user("language", "en")
        assert effective_settings(store, clerk.id).language == "en"
        assert effective_settings(store, other.id).language != "en"
    finally:
        store.close()
