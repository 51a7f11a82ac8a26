"""Deployment (issue 9) meets sync: the worker holds the app lock, enrolment takes the preset token.

The MSI writes the department URLs and ``ENROL_TOKEN`` as administrator policy; the scheduled task
runs ``yichuang sync run`` as SYSTEM before anyone signs in, so it enrols the machine itself.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sync.backends import DEFAULT_ENROLMENT_TOKEN, ReferenceBackends
from sync.package import Department
from tests.sync.harness import MemoryKeyring, sync_settings
from workstation import backup
from workstation.backup import AppRunning
from workstation.config import OFFICE_FILE_NAME, write_toml
from workstation.sync_service import SyncService

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    import keyring.core

    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)  # set programmatically, no file
    return backend


@pytest.fixture
def backends(tmp_path: Path) -> Any:
    with ReferenceBackends(tmp_path / "backends.sqlite") as running:
        yield running


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    from workstation.cli import main

    def call(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return call


def _configure(data_dir: Path, backends: ReferenceBackends, *, token: str | None) -> None:
    """The office file (key protector, office) and the policy the installer writes (URLs, token)."""
    write_toml(data_dir / OFFICE_FILE_NAME, {"key_protector": "file", "office_code": "11010501"})
    policy: dict[str, Any] = {k: v for k, v in sync_settings("", backends).items() if k.endswith("_url")}
    if token is not None:
        policy["enrol_token"] = token
    write_toml(Path(os.environ["YICHUANG_POLICY_FILE"]), policy)


def test_sync_run_holds_the_app_lock_so_restore_refuses(
    run: Run, data_dir: Path, backends, memory_keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(data_dir, backends, token=DEFAULT_ENROLMENT_TOKEN)
    assert run("sync", "run", "--once")[0] == 0  # enrols; creates the database
    from workstation.config import load_settings

    settings = load_settings()
    copy = backup.backup_now(settings, data_dir=data_dir)
    seen: list[bool] = []
    real = SyncService.worker

    def worker_checking_the_lock(self: SyncService, **kwargs: Any) -> Any:
        seen.append(backup.app_running(data_dir))
        with pytest.raises(AppRunning, match="正在运行"):
            backup.restore_backup(copy, settings, data_dir=data_dir)
        return real(self, **kwargs)

    monkeypatch.setattr(SyncService, "worker", worker_checking_the_lock)
    code, out, _ = run("sync", "run", "--once")
    assert code == 0 and "送达" in out
    assert seen == [True]
    assert not backup.app_running(data_dir)  # released when the run ends
    assert backup.restore_backup(copy, settings, data_dir=data_dir) is not None


def test_sync_run_refuses_to_start_during_a_restore(
    run: Run, data_dir: Path, backends, memory_keyring
) -> None:
    _configure(data_dir, backends, token=None)
    with backup.exclusive_lock(data_dir):  # a restore is replacing the database right now
        code, _, err = run("sync", "run", "--once")
    assert code != 0 and "正在恢复数据库备份" in err


def test_enrol_defaults_to_the_policy_token(
    run: Run, data_dir: Path, backends, memory_keyring, monkeypatch
) -> None:
    _configure(data_dir, backends, token=DEFAULT_ENROLMENT_TOKEN)
    assert run("users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")[0] == 0
    monkeypatch.setenv("YICHUANG_PASSWORD", "admin-pass-1")
    code, out, err = run("enrol", "--user", "admin")
    assert code == 0 and out.count("已在") == 3, err
    assert all(("Yichuang-sync", f"credential:{d.value}") in memory_keyring.entries for d in Department)
    code, _, err = run("enrol", "--token", "wrong", "--user", "admin")  # --token still wins
    assert code != 0 and "拒绝" in err


def test_enrol_without_any_token_says_where_to_set_one(
    run: Run, data_dir: Path, backends, memory_keyring, monkeypatch
) -> None:
    _configure(data_dir, backends, token=None)
    assert run("users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")[0] == 0
    monkeypatch.setenv("YICHUANG_PASSWORD", "admin-pass-1")
    code, _, err = run("enrol", "--user", "admin")
    assert code != 0 and "--token" in err and "enrol_token" in err


def test_sync_run_enrols_itself_with_the_policy_token(
    run: Run, data_dir: Path, backends, memory_keyring, caplog: pytest.LogCaptureFixture
) -> None:
    _configure(data_dir, backends, token=DEFAULT_ENROLMENT_TOKEN)
    caplog.set_level(logging.INFO, logger="workstation.commands.sync")
    code, out, err = run("sync", "run", "--once")
    assert code == 0, err
    assert "使用管理员策略预设的登记令牌自动登记" in out and out.count("已在") == 3
    assert any("enrolling with the preset enrolment token" in r.getMessage() for r in caplog.records)
    everything = out + err + caplog.text
    assert DEFAULT_ENROLMENT_TOKEN not in everything  # the token is never shown or logged
    assert ("Yichuang-sync", "signing-key") in memory_keyring.entries
    code, out, _ = run("sync", "run", "--once")  # enrolled now: nothing more to do
    assert code == 0 and "自动登记" not in out


def test_sync_run_without_a_token_still_asks_for_enrol(
    run: Run, data_dir: Path, backends, memory_keyring
) -> None:
    _configure(data_dir, backends, token=None)
    code, _, err = run("sync", "run", "--once")
    assert code != 0 and "yichuang enrol" in err


def test_a_department_down_at_enrolment_is_enrolled_on_a_later_run(
    run: Run, data_dir: Path, backends: ReferenceBackends, memory_keyring
) -> None:
    from sync.backends import DepartmentScript

    _configure(data_dir, backends, token=DEFAULT_ENROLMENT_TOKEN)
    backends.set_script(Department.TAX, DepartmentScript(down=True))
    code, out, err = run("sync", "run", "--once")
    assert code == 0 and out.count("已在") == 2 and "自动登记税务未成功" in err
    backends.set_script(Department.TAX, DepartmentScript())
    code, out, _ = run("sync", "run", "--once")
    assert code == 0 and "已在税务登记" in out and out.count("已在") == 1
