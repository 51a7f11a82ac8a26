"""``yichuang print`` and ``yichuang receipt verify``, run in-process through :func:`workstation.cli.main`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.cups import Cups, missing, running_cups, wait_done
from tests.printing.helpers import pdf_text
from workstation.cli import EXIT_ERROR, EXIT_INVALID, EXIT_OK, main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SALE = str(EXAMPLES / "second_hand_sale.json")
PASSWORD = "admin-pass-1"
CODE = re.compile(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def text_of(pdf: bytes) -> str:
    return "".join(pdf_text(pdf).split())


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    if missing() is not None:
        pytest.skip(missing() or "")
    with running_cups() as server:
        yield server


@pytest.fixture
def case_number(capsys, monkeypatch) -> str:
    """The second-hand sale example imported into the store by a signed-in admin."""
    assert (
        run(capsys, "users", "add", "admin", "--name", "李管理", "--role", "admin", "--password", PASSWORD)[0]
        == 0
    )
    monkeypatch.setenv("YICHUANG_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "case", "import", SALE, "--user", "admin")
    assert code == EXIT_OK, err
    match = re.search(r"已导入案件 ([0-9A-Z-]+)", out)
    assert match is not None
    return match.group(1)


def test_case_file_to_pdf_without_sign_in(capsys, tmp_path):
    out = tmp_path / "set.pdf"
    code, stdout, err = run(capsys, "print", SALE, "--out", str(out))
    assert code == EXIT_OK, err
    assert "不动产登记申请书" in stdout and str(out) in stdout
    text = text_of(out.read_bytes())
    assert "不动产登记申请书" in text and "不动产登记询问笔录" in text and "税费计算单" in text
    assert "受理凭证" not in text and "受理回执" not in text  # no office key without signing in
    code, _out, err = run(capsys, "print", SALE, "--doc", "receipt", "--out", str(out))
    assert code == EXIT_ERROR and "登录" in err and "Traceback" not in err


def test_bad_arguments_get_chinese_messages(capsys, tmp_path):
    code, _out, err = run(capsys, "print", SALE, "--doc", "bill", "--out", str(tmp_path / "x.pdf"))
    assert code == EXIT_ERROR and "--doc" in err and "application" in err
    code, _out, err = run(capsys, "print", str(tmp_path / "missing.json"), "--out", str(tmp_path / "x.pdf"))
    assert code == EXIT_ERROR and "找不到文件" in err
    code, _out, err = run(capsys, "print", "33010601-03-20250101-0001", "--out", str(tmp_path / "x.pdf"))
    assert code == EXIT_ERROR and "--user" in err
    code, _out, err = run(capsys, "print", SALE, "--out", str(tmp_path / "no" / "such" / "x.pdf"))
    assert code == EXIT_ERROR and "无法写入文件" in err


def test_stored_case_out_writes_the_pdf_and_records_it(capsys, tmp_path, case_number):
    out = tmp_path / "receipt.pdf"
    code, _stdout, err = run(
        capsys, "print", case_number, "--doc", "receipt", "--out", str(out), "--user", "admin"
    )
    assert code == EXIT_OK, err
    text = text_of(out.read_bytes())
    assert "受理回执（待上报）" in text and case_number in text and "李管理" in text
    found = CODE.search(text)
    assert found is not None
    # The printed code verifies; a tampered one (or another case number) does not.
    code, stdout, _err = run(capsys, "receipt", "verify", case_number, found.group(0), "--user", "admin")
    assert code == EXIT_OK and "校验码正确" in stdout and "本机构数据库中有该案件" in stdout
    code, stdout, _err = run(
        capsys, "receipt", "verify", case_number, found.group(0).lower(), "--user", "admin"
    )
    assert code == EXIT_OK
    tampered = found.group(0)[:-1] + ("A" if found.group(0)[-1] != "A" else "B")
    code, stdout, _err = run(capsys, "receipt", "verify", case_number, tampered, "--user", "admin")
    assert code == EXIT_INVALID and "校验码不符" in stdout
    other = case_number[:-1] + ("9" if case_number[-1] != "9" else "8")
    code, stdout, _err = run(capsys, "receipt", "verify", other, found.group(0), "--user", "admin")
    assert code == EXIT_INVALID
    # The QR code's text works alone.
    qr = f"YCR1|{case_number}|{found.group(0)}"
    code, stdout, _err = run(capsys, "receipt", "verify", qr, "--user", "admin")
    assert code == EXIT_OK and case_number in stdout
    code, stdout, _err = run(capsys, "receipt", "verify", f"YCR1|{case_number}|{tampered}", "--user", "admin")
    assert code == EXIT_INVALID
    code, _out, err = run(capsys, "receipt", "verify", case_number, "--user", "admin")
    assert code == EXIT_ERROR and "校验码" in err


def test_verify_before_any_receipt_says_so(capsys, case_number):
    code, _out, err = run(capsys, "receipt", "verify", case_number, "ABCD-EFGH-JKLM-NPQR", "--user", "admin")
    assert code == EXIT_ERROR and "尚未生成" in err


def test_stored_case_prints_through_cups(capsys, monkeypatch, cups, case_number):
    monkeypatch.setenv("CUPS_SERVER", cups.server)  # lp and lpstat talk to the test's cupsd
    before = datetime.now(UTC)
    code, stdout, err = run(capsys, "print", case_number, "--printer", "yc-pdf-file", "--user", "admin")
    assert code == EXIT_OK, err
    job = re.search(r"打印作业：(\S+)", stdout)
    assert job is not None and "yc-pdf-file" in stdout
    wait_done(cups, job.group(1))
    text = text_of(cups.file_output.read_bytes())
    for title in (
        "不动产登记申请书",
        "不动产登记询问笔录",
        "受理回执（待上报）",
        "不动产登记申请材料清单",
        "税费计算单",
    ):
        assert title in text
    assert case_number in text and "李管理" in text

    from workstation.config import load_settings
    from workstation.storage.store import open_store

    store = open_store(load_settings())
    try:
        [summary] = store.search(case_number)
        [recorded] = store.print_jobs(summary.id)
        assert recorded.status == "printed" and recorded.user_name == "李管理"
        assert recorded.printer == "yc-pdf-file" and recorded.job_ref == job.group(1)
        assert before <= recorded.at <= datetime.now(UTC)
        assert recorded.documents == ("application", "interview", "receipt", "materials", "tax")
    finally:
        store.close()

    code, _out, err = run(capsys, "print", case_number, "--printer", "no-such-printer", "--user", "admin")
    assert code == EXIT_ERROR and "找不到打印机“no-such-printer”" in err and "Traceback" not in err


def test_case_file_prints_through_cups_without_sign_in(capsys, monkeypatch, cups):
    monkeypatch.setenv("CUPS_SERVER", cups.server)
    code, stdout, err = run(
        capsys, "print", SALE, "--doc", "application,materials", "--printer", "yc-pdf-file"
    )
    assert code == EXIT_OK, err
    job = re.search(r"打印作业：(\S+)", stdout)
    assert job is not None
    wait_done(cups, job.group(1))
    text = text_of(cups.file_output.read_bytes())
    assert "不动产登记申请书" in text and "不动产登记申请材料清单" in text and "询问笔录" not in text
