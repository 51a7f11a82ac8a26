"""The printing service: print context from the store and settings, and printing through a real CUPS."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from forms.calendar import load_calendar
from forms.case import Case
from forms.catalog import Catalog, load_catalog
from printing import receipt_code, verify_receipt_code
from printing.errors import DocumentUnavailable, PrinterNotFound, UnknownDocument
from printing.printer import CupsPrinter
from tests.cups import Cups, missing, running_cups, wait_done
from tests.printing.helpers import pdf_pages, pdf_text
from workstation import printing_service as service
from workstation.config import Settings
from workstation.storage.api import Role, User
from workstation.storage.store import SqlStore, open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
TODAY = date(2025, 9, 30)  # 10-01..08 are holidays: the promised date must skip them

needs_cups = pytest.mark.skipif(missing() is not None, reason=missing() or "")


def example(name: str = "second_hand_sale") -> Case:
    return Case.model_validate(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")))


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    return Settings.model_validate(
        {
            "database_url": f"sqlite:///{data_dir / 'yichuang.db'}",
            "office_code": "33010601",
            "window_id": "03",
            "office_name": "西湖区不动产登记中心",
            "enquiry_phone": "0571-87654321",
            "seal_text": "西湖区不动产登记中心受理专用章",
            "key_protector": "file",
        }
    )


@pytest.fixture
def store(settings: Settings, data_dir: Path) -> Iterator[SqlStore]:
    opened = open_store(settings, data_dir=data_dir, hasher=FAST_HASHER)
    yield opened
    opened.close()


@pytest.fixture
def clerk(store: SqlStore) -> User:
    return store.add_user(username="clerk", display_name="王受理", password="window-03-pass", role=Role.CLERK)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    if missing() is not None:
        pytest.skip(missing() or "")
    with running_cups() as server:
        yield server


def stored(store: SqlStore, clerk: User, name: str = "second_hand_sale") -> Case:
    return store.import_case(example(name), user=clerk)


# ------------------------------------------------------------------------------------ context
def test_context_from_store_settings_catalog_and_calendar(store, clerk, settings, catalog):
    case = stored(store, clerk)
    ctx = service.build_context(
        case, store=store, settings=settings, catalog=catalog, user=clerk, delivered=False, today=TODAY
    )
    assert ctx.office_name == "西湖区不动产登记中心" and ctx.office_code == "33010601"
    assert ctx.window_id == "03号窗口" and ctx.enquiry_phone == "0571-87654321"
    assert ctx.seal_wording == "西湖区不动产登记中心受理专用章"
    assert ctx.clerk_name == "王受理"
    assert ctx.acceptance_date == TODAY
    days = catalog.get("second_hand_sale").promised_days
    assert ctx.promised_completion == load_calendar().add_working_days(TODAY, days)
    assert ctx.promised_completion is not None and ctx.promised_completion > date(2025, 10, 8)
    assert ctx.tax_estimate is not None and ctx.tax_estimate.lines
    assert not ctx.delivered
    # The office's receipt key: made once, then the same for every print.
    assert len(ctx.receipt_key) == service.RECEIPT_KEY_BYTES
    assert store.office_secret(service.RECEIPT_KEY) == ctx.receipt_key
    again = service.build_context(
        case, store=store, settings=settings, catalog=catalog, user=None, delivered=True, today=TODAY
    )
    assert again.receipt_key == ctx.receipt_key and again.clerk_name == "" and again.delivered


def test_acceptance_date_is_the_move_to_submitted(store, clerk, settings, catalog, monkeypatch):
    case = stored(store, clerk)
    store.transition(case.id, "ready", user=clerk)
    store.transition(case.id, "submitted", user=clerk)
    accepted = store.history(case.id)[-1].at.astimezone().date()
    printable = service.load_printable(
        store, case.id, settings=settings, catalog=catalog, user=clerk, today=date(2030, 1, 2)
    )
    assert printable.ctx.acceptance_date == accepted
    assert printable.state == "submitted" and not printable.ctx.delivered
    assert service.is_delivered("in_progress") and service.is_delivered("completed")
    assert not service.is_delivered("submitted") and not service.is_delivered("ready")


def test_acceptance_date_helper():
    from workstation.storage.api import StateChange

    history = [
        StateChange(None, "draft", datetime(2025, 1, 1, 1, tzinfo=UTC), 1),
        StateChange("ready", "submitted", datetime(2025, 3, 4, 5, tzinfo=UTC), 1),
        StateChange("returned", "submitted", datetime(2025, 4, 4, 5, tzinfo=UTC), 1),
    ]
    assert service.acceptance_date(history, TODAY) == datetime(2025, 3, 4, 5, tzinfo=UTC).astimezone().date()
    assert service.acceptance_date(history[:1], TODAY) == TODAY


def test_documents_without_a_receipt_key(settings, catalog):
    case = example().model_copy(update={"case_number": "33010601-03-20250930-0001"})
    ctx = service.build_context(
        case, store=None, settings=settings, catalog=catalog, user=None, delivered=False, today=TODAY
    )
    assert ctx.receipt_key == b""
    chosen = service.choose_documents(case, ctx, ["all"])
    assert "receipt" not in chosen and chosen[:2] == ["application", "interview"]
    with pytest.raises(DocumentUnavailable, match="登录"):
        service.choose_documents(case, ctx, ["receipt"])
    with pytest.raises(UnknownDocument, match="没有名为“bill”的文书"):
        service.choose_documents(case, ctx, ["bill"])
    with pytest.raises(DocumentUnavailable, match="至少选择一种"):
        service.choose_documents(case, ctx, [])
    assert service.choose_documents(case, ctx, ["materials", "application", "materials"]) == [
        "application",
        "materials",
    ]


def test_save_case_pdf_records_a_saved_job(store, clerk, settings, catalog, tmp_path):
    case = stored(store, clerk)
    printable = service.load_printable(store, case.id, settings=settings, catalog=catalog, user=clerk)
    out = tmp_path / "set.pdf"
    outcome = service.save_case_pdf(
        printable.case, printable.ctx, out, documents=["receipt", "application"], store=store, user=clerk
    )
    assert out.read_bytes() == outcome.pdf
    assert outcome.documents == ("application", "receipt")
    text = "".join(pdf_text(out.read_bytes()).split())
    assert "受理回执（待上报）" in text and "不动产登记申请书" in text
    code = receipt_code(case.case_number or "", store.office_secret(service.RECEIPT_KEY))
    assert code in text
    [job] = store.print_jobs(case.id)
    assert job.status == "saved" and job.printer == "" and job.user_name == "王受理"
    assert store.print_job_pdf(job.id) == outcome.pdf


# ------------------------------------------------------------------------------------ CUPS
@needs_cups
def test_whole_set_prints_through_cups_and_is_recorded(store, clerk, settings, catalog, cups):
    case = stored(store, clerk)
    printable = service.load_printable(store, case.id, settings=settings, catalog=catalog, user=clerk)
    printer = CupsPrinter(server=cups.server)
    before = datetime.now(UTC)
    outcome = service.print_case(
        printable.case,
        printable.ctx,
        documents=["all"],
        store=store,
        user=clerk,
        printer_name="yc-pdf-file",
        printer=printer,
    )
    assert outcome.documents == ("application", "interview", "receipt", "materials", "tax")
    assert outcome.copies == 1 and outcome.printer == "yc-pdf-file"
    wait_done(cups, outcome.job_refs[0])
    printed = cups.file_output.read_bytes()
    assert pdf_pages(printed) == pdf_pages(outcome.pdf)
    text = "".join(pdf_text(printed).split())
    for title in (
        "不动产登记申请书",
        "不动产登记询问笔录",
        "受理回执（待上报）",
        "不动产登记申请材料清单",
        "税费计算单",
    ):
        assert title in text
    key = store.office_secret(service.RECEIPT_KEY)
    code = receipt_code(case.case_number or "", key)
    assert code in text and verify_receipt_code(case.case_number or "", code, key)
    [job] = store.print_jobs(case.id)
    assert job.id == outcome.job_id and job.status == "printed" and job.printer == "yc-pdf-file"
    assert job.user_id == clerk.id and job.user_name == "王受理"
    assert before <= job.at <= datetime.now(UTC)
    assert job.job_ref == outcome.job_refs[0]
    assert store.print_job_pdf(job.id) == outcome.pdf

    # Reprint: the stored PDF, byte for byte, recorded as a new print.
    again = service.reprint(
        job, store=store, user=clerk, printer_name="yc-pdf-file", copies=2, printer=printer
    )
    assert again.pdf == outcome.pdf and again.copies == 2 and len(again.job_refs) == 2
    for ref in again.job_refs:
        wait_done(cups, ref)
    # CUPS's pdftopdf stamps its own dates, so the device's copy is compared by pages and text.
    reprinted = cups.file_output.read_bytes()
    assert pdf_pages(reprinted) == pdf_pages(printed)
    assert "".join(pdf_text(reprinted).split()) == text
    latest = store.print_jobs(case.id)[0]
    assert latest.id == again.job_id and latest.copies == 2 and latest.documents == job.documents


@needs_cups
def test_missing_printer_is_a_chinese_error_and_recorded(store, clerk, settings, catalog, cups):
    case = stored(store, clerk)
    printable = service.load_printable(store, case.id, settings=settings, catalog=catalog, user=clerk)
    with pytest.raises(PrinterNotFound, match="找不到打印机“no-such-printer”"):
        service.print_case(
            printable.case,
            printable.ctx,
            documents=["receipt"],
            store=store,
            user=clerk,
            printer_name="no-such-printer",
            printer=CupsPrinter(server=cups.server),
        )
    [job] = store.print_jobs(case.id)
    assert job.status == "failed" and job.copies == 0 and job.printer == "no-such-printer"
    assert "找不到打印机" in job.error
    assert store.print_job_pdf(job.id).startswith(b"%PDF")


# ------------------------------------------------------------------------- the tax bureau's answer
def _answer_tax_leg(store: SqlStore, case_id: uuid.UUID, assessment_json: dict[str, object]) -> None:
    from datetime import timedelta

    from sync.outbox import Answer, LegState
    from sync.package import Department
    from workstation.sync_service import SqlOutbox

    outbox = SqlOutbox(store)
    now = datetime.now(UTC)
    (leg,) = outbox.claim_due(
        owner="test", now=now, lease=timedelta(minutes=1), departments=[Department.TAX], limit=10
    )
    assert leg.case_id == case_id
    assert outbox.mark_delivered(leg.package_id, owner="test", receipt_no="SW-1", now=now)
    answer = Answer(state=LegState.ACCEPTED, receipt_no="SW-1", result={"assessment": assessment_json})
    outbox.record_answer(leg.package_id, answer, now=now, next_poll_at=now + timedelta(hours=1))


def test_tax_sheet_is_final_once_the_bureau_answered_and_an_estimate_again_after_a_correction(
    store, clerk, settings, catalog
):
    from forms.tax import AssessedLine, Assessment
    from workstation.sync_service import SyncService

    case = stored(store, clerk)
    store.transition(case.id, "ready", user=clerk)
    sync = SyncService(store, settings, catalog=catalog)
    sync.submit_case(case.id, user=clerk)
    printable = service.load_printable(store, case.id, settings=settings, catalog=catalog, user=clerk)
    assert printable.ctx.tax_assessment is None  # delivered or not, no answer yet: an estimate
    estimate = printable.ctx.tax_estimate
    assert estimate is not None
    first = estimate.lines[0]
    assessed = Assessment(
        lines=[AssessedLine(tax=first.tax, payer=first.payer, amount=first.amount + 1)],
        amount_due=first.amount + 1,
        payment_code="JK-0001",
    )
    _answer_tax_leg(store, case.id, assessed.model_dump(mode="json"))

    printable = service.load_printable(store, case.id, settings=settings, catalog=catalog, user=clerk)
    assert printable.ctx.tax_assessment == assessed
    _ids, pdf = service.render_documents(printable.case, printable.ctx, ["tax"])
    text = "".join(pdf_text(pdf).split())
    assert "税费计算单（预估）" not in text and "缴款码JK-0001" in text

    # A correction is a new package: until the bureau answers it the sheet is an estimate again.
    store.transition(case.id, "returned", user=clerk, reason="补正：合同页缺失")
    store.transition(case.id, "ready", user=clerk)
    sync.submit_case(case.id, user=clerk)
    printable = service.load_printable(store, case.id, settings=settings, catalog=catalog, user=clerk)
    assert printable.ctx.tax_assessment is None
    _ids, pdf = service.render_documents(printable.case, printable.ctx, ["tax"])
    assert "税费计算单（预估）" in "".join(pdf_text(pdf).split())


def test_an_answer_without_a_valid_assessment_is_not_printed_as_final(store, clerk, settings, catalog):
    from workstation.sync_service import SyncService

    case = stored(store, clerk)
    store.transition(case.id, "ready", user=clerk)
    SyncService(store, settings, catalog=catalog).submit_case(case.id, user=clerk)
    _answer_tax_leg(store, case.id, {"lines": "not a list", "amount_due": "x"})
    assert service.tax_assessment_of(store, case.id) is None
