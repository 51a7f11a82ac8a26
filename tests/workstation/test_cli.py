"""The ``yichuang`` command line, run in-process through :func:`workstation.cli.main`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.cli import EXIT_ERROR, EXIT_INVALID, EXIT_OK, main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_accepts_every_example(capsys):
    files = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.startswith("invalid"))
    assert len(files) >= 9
    for file in files:
        code, out, err = run(capsys, "validate", str(file))
        assert code == EXIT_OK, (file.name, out, err)
        assert "校验通过" in out


def test_validate_rejects_wrong_check_digit_naming_the_field(capsys):
    code, _out, err = run(capsys, "validate", str(EXAMPLES / "invalid_buyer_id.json"))
    assert code == EXIT_INVALID
    assert "parties[0].id_number" in err
    assert "证件号码" in err
    assert "校验位" in err
    assert "Traceback" not in err


def test_validate_json_output_lists_issues(capsys):
    code, out, _err = run(capsys, "validate", "--json", str(EXAMPLES / "invalid_buyer_id.json"))
    assert code == EXIT_INVALID
    report = json.loads(out)
    assert report["ok"] is False
    assert any(i["path"] == "parties[0].id_number" for i in report["issues"])


def test_validate_bad_json_file_gets_a_chinese_message(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"business_type": "gift",', encoding="utf-8")
    code, _out, err = run(capsys, "validate", str(bad))
    assert code == EXIT_ERROR
    assert "不是有效的 JSON" in err and "第 1 行" in err
    code, _out, err = run(capsys, "validate", str(tmp_path / "missing.json"))
    assert code == EXIT_ERROR
    assert "找不到文件" in err


def test_schema_is_a_json_schema_of_the_case(capsys):
    code, out, _err = run(capsys, "schema")
    assert code == EXIT_OK
    schema = json.loads(out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "business_type" in schema["properties"]
    assert "Party" in schema["$defs"]


def test_first_admin_without_sign_in_then_sign_in_required(capsys, monkeypatch):
    code, _out, err = run(capsys, "users", "add", "li", "--role", "clerk", "--password", "clerk-pass-1")
    assert code == EXIT_ERROR and "管理员" in err
    code, out, _err = run(capsys, "users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")
    assert code == EXIT_OK and "admin" in out
    # A second user now needs an administrator's sign-in.
    code, _out, err = run(capsys, "users", "add", "li", "--password", "clerk-pass-1")
    assert code == EXIT_ERROR and "--user" in err
    monkeypatch.setenv("YICHUANG_PASSWORD", "admin-pass-1")
    code, _out, _err = run(capsys, "users", "add", "li", "--password", "clerk-pass-1", "--user", "admin")
    assert code == EXIT_OK
    code, out, _err = run(capsys, "users", "list", "--json", "--user", "admin")
    assert {u["username"]: u["role"] for u in json.loads(out)} == {"admin": "admin", "li": "clerk"}
    code, _out, _err = run(capsys, "users", "disable", "li", "--user", "admin")
    assert code == EXIT_OK
    code, out, _err = run(capsys, "users", "list", "--json", "--user", "admin")
    assert {u["username"]: u["active"] for u in json.loads(out)}["li"] is False
    # A clerk cannot manage users; a wrong password is refused with a Chinese message.
    monkeypatch.setenv("YICHUANG_PASSWORD", "wrong-password")
    code, _out, err = run(capsys, "users", "list", "--user", "admin")
    assert code == EXIT_ERROR and "密码" in err


def test_case_import_then_export_round_trips(capsys, monkeypatch, tmp_path):
    run(capsys, "users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")
    monkeypatch.setenv("YICHUANG_PASSWORD", "admin-pass-1")
    source = EXAMPLES / "second_hand_sale.json"
    code, out, _err = run(capsys, "case", "import", str(source), "--user", "admin")
    assert code == EXIT_OK
    number = out.strip().split()[-1]
    code, _out, err = run(capsys, "case", "import", str(source), "--user", "admin")
    assert code == EXIT_ERROR and "已在本机" in err
    target = tmp_path / "out.json"
    code, _out, _err = run(capsys, "case", "export", number, "--out", str(target), "--user", "admin")
    assert code == EXIT_OK
    exported = json.loads(target.read_text(encoding="utf-8"))
    original = json.loads(source.read_text(encoding="utf-8"))
    assert exported["id"] == original["id"]
    assert [p["id_number"] for p in exported["parties"]] == [p["id_number"] for p in original["parties"]]
    code, _out, err = run(capsys, "case", "export", "NO-SUCH-CASE", "--user", "admin")
    assert code == EXIT_ERROR and "找不到" in err


def test_tax_json_lines_and_totals(capsys):
    code, out, _err = run(capsys, "tax", "--json", str(EXAMPLES / "second_hand_sale.json"))
    assert code == EXIT_OK
    result = json.loads(out)
    taxes = {line["tax"] for line in result["lines"]}
    assert {"deed_tax", "registration_fee"} <= taxes
    total = sum(Decimal(line["amount"]) for line in result["lines"])
    assert total == Decimal(result["totals"]["total"])
    code, out, _err = run(capsys, "tax", str(EXAMPLES / "second_hand_sale.json"))
    assert code == EXIT_OK and "契税" in out


def test_idcard_read_from_the_emulated_reader(capsys):
    from scanning.idcard.emulator import ReaderEmulator

    emulator = ReaderEmulator("resident")
    port = emulator.start()
    try:
        code, out, _err = run(capsys, "idcard", "read", "--port", port, "--json", "--timeout", "3")
    finally:
        emulator.stop()
    assert code == EXIT_OK
    record = json.loads(out)
    assert record["id_number"]


def test_idcard_read_without_a_reader_says_what_to_check(capsys, tmp_path):
    port = str(tmp_path / "no-such-port")
    code, _out, err = run(capsys, "idcard", "read", "--port", port, "--timeout", "0.5")
    assert code == EXIT_ERROR
    assert err.strip() and "Traceback" not in err


def test_backends_command_serves_the_three_departments(tmp_path):
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "workstation.cli",
        "backends",
        "--port",
        str(port),
        "--db",
        str(tmp_path / "b.db"),
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as proc:
        try:
            assert proc.stdout is not None
            banner = proc.stdout.readline()
            assert "参考后端已启动" in banner
            deadline = time.monotonic() + 10
            while True:
                try:
                    reply = httpx.get(f"http://127.0.0.1:{port}/admin/stats", timeout=2)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            assert reply.status_code == 200
            assert "transaction" in reply.text and "registration" in reply.text
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_every_store_a_command_opened_is_closed(capsys, monkeypatch):
    from workstation.storage import store as store_module

    opened: list[object] = []
    closed: list[object] = []
    real_open = store_module.open_store

    def tracking_open(*args, **kwargs):
        store = real_open(*args, **kwargs)
        opened.append(store)
        real_close = store.close

        def close() -> None:
            closed.append(store)
            real_close()

        monkeypatch.setattr(store, "close", close)
        return store

    monkeypatch.setattr(store_module, "open_store", tracking_open)
    code, _out, _err = run(capsys, "users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")
    assert code == EXIT_OK
    code, _out, _err = run(capsys, "users", "add", "li", "--password", "clerk-pass-1")  # refused
    assert code == EXIT_ERROR
    assert opened and closed == opened  # closed on success and on error alike
