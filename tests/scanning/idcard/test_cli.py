from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from scanning.idcard.cli import EXIT_ERROR, EXIT_OK, read_command
from scanning.idcard.emulator import ReaderEmulator
from scanning.idcard.reader import open_reader

ROOT = Path(__file__).resolve().parents[3]


def test_summary_in_chinese(emulator: ReaderEmulator) -> None:
    emulator.place("resident_rare")
    code, text = read_command(emulator.port, False, 1.0)
    assert code == EXIT_OK
    assert "证件种类：居民身份证" in text
    assert "姓名：王𠮷䶮" in text
    assert "民族：回" in text
    assert "有效期限：2016-03-01 至 长期" in text


def test_json(emulator: ReaderEmulator) -> None:
    emulator.place("foreign_pr_2023")
    code, text = read_command(emulator.port, True, 1.0)
    assert code == EXIT_OK
    data = json.loads(text)
    assert data["id_type"] == "foreign_pr_2023"
    assert data["id_number"] == "93172419900612002X"
    assert data["photo_wlt_bytes"] == 1024


def test_no_card(emulator: ReaderEmulator) -> None:
    emulator.remove()
    code, text = read_command(emulator.port, False, 0.1)
    assert code == EXIT_ERROR
    assert "没有证件" in text


def test_bad_port(tmp_path: Path) -> None:
    code, text = read_command(str(tmp_path / "ttyUSB7"), True, 0.1)
    assert code == EXIT_ERROR
    assert "找不到串口" in text


def test_emulator_command_line_prints_a_usable_port() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, "-m", "scanning.idcard.emulator", "--fixture", "hk_permit", "--baud", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    ) as process:
        try:
            assert process.stdout is not None
            port = process.stdout.readline().strip()
            assert port.startswith("/dev/")
            with open_reader(port) as reader:
                assert reader.read_card(timeout=1.0).pass_number == "H12345678"
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=10) == 0


def test_emulator_command_line_lists_fixtures() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scanning.idcard.emulator", "--list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    assert "resident_rare" in result.stdout and "foreign_pr_2023" in result.stdout
