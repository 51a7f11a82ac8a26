"""``yichuang report day``: the end-of-day PDF from the command line, signed once."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from workstation.cli import EXIT_ERROR, EXIT_OK, main


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _users(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert (
        _cli(capsys, "users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")[0] == EXIT_OK
    )
    monkeypatch.setenv("YICHUANG_PASSWORD", "admin-pass-1")
    for name, role in (("boss", "supervisor"), ("clerk", "clerk")):
        code = _cli(
            capsys, "users", "add", name, "--role", role, "--password", f"{name}-pass-1", "--user", "admin"
        )
        assert code[0] == EXIT_OK


def test_report_day_writes_the_pdf_and_signs_once(capsys, monkeypatch, tmp_path):
    _users(capsys, monkeypatch)
    monkeypatch.setenv("YICHUANG_PASSWORD", "boss-pass-1")
    out = tmp_path / "day.pdf"
    code, stdout, _ = _cli(capsys, "report", "day", "--out", str(out), "--user", "boss")
    assert code == EXIT_OK and "未签字" in stdout
    text = _text(out)
    assert "日终报表" in text and date.today().isoformat() in text
    code, stdout, _ = _cli(capsys, "report", "day", "--out", str(out), "--user", "boss", "--sign")
    assert code == EXIT_OK and "已签字确认" in stdout
    code, _stdout, err = _cli(capsys, "report", "day", "--out", str(out), "--user", "boss", "--sign")
    assert code == EXIT_ERROR and "不能重复签字" in err
    code, stdout, _ = _cli(capsys, "report", "day", "--out", str(tmp_path / "again.pdf"), "--user", "boss")
    assert code == EXIT_OK and "已签字版本" in stdout
    assert (tmp_path / "again.pdf").read_bytes() == out.read_bytes()  # the stored, signed PDF


def test_report_day_rejects_a_bad_date_and_a_clerk(capsys, monkeypatch, tmp_path):
    _users(capsys, monkeypatch)
    code, _out, err = _cli(capsys, "report", "day", "--date", "2025-13-01", "--out", str(tmp_path / "x.pdf"))
    assert code == EXIT_ERROR and "--date" in err
    monkeypatch.setenv("YICHUANG_PASSWORD", "clerk-pass-1")
    code, _out, err = _cli(capsys, "report", "day", "--out", str(tmp_path / "x.pdf"), "--user", "clerk")
    assert code == EXIT_ERROR and "无权" in err
    assert not (tmp_path / "x.pdf").exists()
