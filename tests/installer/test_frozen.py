"""The frozen Linux build runs: `--version`, migrations, `doctor`, the GUI offscreen."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.installer.conftest import Build

pytestmark = pytest.mark.installer


def _run(
    build: Build, *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(build.frozen / "yichuang"), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def frozen_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "YICHUANG_FONT"))
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        YICHUANG_DATA_DIR=str(tmp_path / "data"),
        YICHUANG_POLICY_FILE=str(tmp_path / "policy.toml"),
        PATH="/usr/bin:/bin",  # no virtual environment: the build must carry everything
    )
    return env


def test_version(build: Build, frozen_env):
    result = _run(build, "--version", env=frozen_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"yichuang {build.version}"


def test_doctor_healthy_then_broken(build: Build, frozen_env, tmp_path):
    # Creating the first user creates the database: Alembic runs the migrations shipped in the bundle.
    created = _run(
        build,
        "users",
        "add",
        "admin",
        "--role",
        "admin",
        "--name",
        "管理员",
        "--password",
        "frozen-pass-1",
        env=frozen_env,
    )
    assert created.returncode == 0, created.stderr
    result = _run(build, "doctor", "--json", env=frozen_env)
    report = json.loads(result.stdout)
    statuses = {r["check"]: r["status"] for r in report["results"]}
    assert result.returncode == 0, result.stdout
    assert statuses["database"] == "OK" and statuses["fonts"] == "OK" and statuses["config"] == "OK"
    # Broken: the bundled fonts gone (a damaged installation) and a wrong policy value.
    broken = dict(frozen_env, YICHUANG_FONT_DIR=str(tmp_path / "no-fonts"))
    Path(frozen_env["YICHUANG_POLICY_FILE"]).write_text('window_id = "lower"\n', encoding="utf-8")
    result = _run(build, "doctor", env=broken)
    assert result.returncode == 1
    assert "[FAIL] 字体" in result.stdout and "重新安装" in result.stdout
    assert "[FAIL] 设置" in result.stdout and "窗口编号" in result.stdout


def test_gui_starts_offscreen(build: Build, frozen_env, tmp_path):
    created = _run(
        build,
        "users",
        "add",
        "clerk",
        "--role",
        "admin",
        "--name",
        "窗口",
        "--password",
        "frozen-pass-1",
        env=frozen_env,
    )
    assert created.returncode == 0, created.stderr
    marker = tmp_path / "signed-in"
    script = tmp_path / "script.json"
    script.write_text(
        json.dumps([{"login": {"username": "clerk", "password": "frozen-pass-1"}}, {"touch": str(marker)}]),
        encoding="utf-8",
    )
    env = dict(frozen_env, YICHUANG_TEST_SCRIPT=str(script))
    process = subprocess.Popen(
        [str(build.frozen / "yichuang")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists(), f"the GUI did not sign in: exit {process.poll()}"
    finally:
        process.terminate()
        try:
            _out, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, err = process.communicate()
    assert "Traceback" not in err
    assert (Path(frozen_env["YICHUANG_DATA_DIR"]) / "logs" / "yichuang.log").exists()


def test_data_files_sit_where_the_code_looks_for_them(build: Build):
    internal = build.frozen / "_internal"
    for rel in (
        "assets/translations/yichuang_en.qm",  # workstation/i18n.py: <package>/../assets
        "assets/fonts/NotoSerifCJKsc-Regular.ttf",  # printing/fonts.py: <package>/../assets
        "assets/icons/yichuang.ico",
        "forms/catalog_data/default.yaml",
        "forms/calendar_data/cn.yaml",
        "forms/tax/rules/deed_tax.yaml",
        "sync/openapi.yaml",
        "scanning/idcard/layouts.json",
        "workstation/storage/migrations/env.py",
        "workstation/storage/migrations/versions/0001_initial_schema.py",
    ):
        assert (internal / rel).is_file(), rel
    assert not (internal / "assets" / "icons" / "make_icon.py").exists()


def test_validate_tax_and_print_from_the_bundle(build: Build, frozen_env, tmp_path):
    example = str(Path(__file__).resolve().parents[2] / "examples" / "second_hand_sale.json")
    validated = _run(build, "validate", example, env=frozen_env)
    assert validated.returncode == 0, validated.stderr  # the catalog and calendar YAML
    tax = _run(build, "tax", example, "--json", env=frozen_env)
    assert tax.returncode == 0, tax.stderr  # the tax rule tables
    assert json.loads(tax.stdout)
    pdf = tmp_path / "set.pdf"
    printed = _run(build, "print", example, "--out", str(pdf), env=frozen_env)
    assert printed.returncode == 0, printed.stderr  # reportlab, fonts, barcodes
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
