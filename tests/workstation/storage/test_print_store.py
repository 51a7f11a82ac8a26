"""Print history and office secrets in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import threading
import uuid

import pytest
from sqlalchemy import select, update

from tests.workstation.storage.cases import sample_case
from tests.workstation.storage.conftest import open_test_store
from workstation.storage.errors import CaseNotFound, DecryptionFailed, PrintJobNotFound, SecretMissing
from workstation.storage.models import OfficeSecretRow, PrintJobRow

PDF = b"%PDF-1.7\n" + os.urandom(2000) + b"\n%%EOF\n"


def test_record_and_list_print_jobs(store, clerk, clock):
    case = store.import_case(sample_case(), user=clerk)
    first = store.record_print_job(
        case.id,
        documents=["application", "receipt"],
        printer="yc-pdf-file",
        copies=2,
        status="printed",
        job_ref="yc-pdf-file-1,yc-pdf-file-2",
        pdf=PDF,
        user=clerk,
    )
    clock.advance(minutes=5)
    second = store.record_print_job(
        case.id,
        documents=["receipt"],
        printer="nope",
        copies=0,
        status="failed",
        job_ref="",
        pdf=PDF[:100],
        user=clerk,
        error="找不到打印机“nope”。" + "请从列表中重新选择打印机。" * 40,
    )
    jobs = store.print_jobs(case.id)
    assert [j.id for j in jobs] == [second, first]  # newest first
    latest, older = jobs
    assert older.documents == ("application", "receipt")
    assert older.copies == 2 and older.status == "printed" and older.printer == "yc-pdf-file"
    assert older.user_id == clerk.id and older.user_name == "王丽"
    assert latest.at == clock.now and (latest.at - older.at).total_seconds() == 300
    assert latest.status == "failed" and "nope" in latest.error and len(latest.error) == 500
    assert older.error == "" and latest.job_ref == ""
    assert store.print_job_pdf(first) == PDF
    assert store.print_job_pdf(second) == PDF[:100]
    assert store.print_jobs(uuid.uuid4()) == []


def test_print_job_pdf_is_encrypted_and_bound_to_its_row(store, clerk):
    case = store.import_case(sample_case(), user=clerk)
    job = store.record_print_job(
        case.id,
        documents=["application"],
        printer="p",
        copies=1,
        status="printed",
        job_ref="p-1",
        pdf=PDF,
        user=clerk,
    )
    other = store.record_print_job(
        case.id,
        documents=["receipt"],
        printer="p",
        copies=1,
        status="printed",
        job_ref="p-2",
        pdf=b"%PDF-x",
        user=clerk,
    )
    with store.engine.begin() as conn:
        stored = conn.execute(select(PrintJobRow.pdf).where(PrintJobRow.id == job)).scalar_one()
        assert PDF[:64] not in stored and b"%PDF" not in stored
        # Moving one job's ciphertext onto another row must not decrypt (AAD binds case and id).
        conn.execute(update(PrintJobRow).where(PrintJobRow.id == other).values(pdf=stored))
    with pytest.raises(DecryptionFailed):
        store.print_job_pdf(other)


def test_saved_job_without_pdf_and_errors(store, clerk):
    case = store.import_case(sample_case(), user=clerk)
    job = store.record_print_job(
        case.id,
        documents=["materials"],
        printer="",
        copies=1,
        status="saved",
        job_ref="",
        pdf=None,
        user=clerk,
    )
    with pytest.raises(PrintJobNotFound, match="重印"):
        store.print_job_pdf(job)
    with pytest.raises(PrintJobNotFound):
        store.print_job_pdf(job + 1000)
    with pytest.raises(CaseNotFound):
        store.record_print_job(
            uuid.uuid4(),
            documents=["receipt"],
            printer="p",
            copies=1,
            status="printed",
            job_ref="",
            pdf=PDF,
            user=clerk,
        )
    with pytest.raises(ValueError, match="status"):
        store.record_print_job(
            case.id,
            documents=["receipt"],
            printer="p",
            copies=1,
            status="done",
            job_ref="",
            pdf=PDF,
            user=clerk,
        )


def test_office_secret_is_created_once_and_encrypted(store):
    with pytest.raises(SecretMissing, match="受理凭证"):
        store.office_secret("receipt_key")
    calls = []

    def make() -> bytes:
        calls.append(1)
        return os.urandom(32)

    key = store.office_secret("receipt_key", create=make)
    assert len(key) == 32
    assert store.office_secret("receipt_key", create=make) == key
    assert store.office_secret("receipt_key") == key
    assert len(calls) == 1
    with store.engine.connect() as conn:
        stored = conn.execute(select(OfficeSecretRow.value)).scalar_one()
    assert key not in stored


def test_office_secret_shared_by_windows(db_url, protector, clock, tmp_path):
    """Two windows on one database (the PostgreSQL office) creating the key at once get the same key."""
    first = open_test_store(db_url, protector, clock, tmp_path / "a")
    second = open_test_store(db_url, protector, clock, tmp_path / "b", window_id="04")
    try:
        results: list[bytes] = []
        barrier = threading.Barrier(2)

        def create(store) -> None:
            barrier.wait()
            results.append(store.office_secret("receipt_key", create=lambda: os.urandom(32)))

        threads = [threading.Thread(target=create, args=(s,)) for s in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert len(results) == 2 and results[0] == results[1]
        assert second.office_secret("receipt_key") == first.office_secret("receipt_key")
    finally:
        first.close()
        second.close()
