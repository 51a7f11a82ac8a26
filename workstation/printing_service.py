"""Printing a case's documents from the workstation and the CLI (Qt-free).

The ``printing`` package makes each document from a case and a :class:`~printing.PrintContext`; this
module builds that context from what the workstation knows — the office settings, the catalog, the
working-day calendar, the tax estimate, the case's history and the office's receipt key — then sends
the PDF to a printer and records every print with the case (what, when, by whom, and the exact PDF,
kept encrypted so a reprint sends the identical bytes).

The GUI calls these functions on its database executor (they block on the database and on the print
system); the CLI calls them directly.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Final, Protocol

from pydantic import ValidationError

from forms.calendar import WorkingCalendar, load_calendar
from forms.case import Case
from forms.catalog import BusinessType, Catalog
from forms.states import CaseState
from forms.tax import Estimate, TaxError, TaxSettings, estimate, load_tax_settings
from forms.tax.assessment import Assessment
from printing import DOCUMENTS, PrintContext, available_documents, render_set
from printing.errors import DocumentUnavailable, PrinterError, UnknownDocument
from printing.printer import Printer, system_printer
from workstation.identity_service import print_records
from workstation.storage.api import IdentityCheck, PrintJob, StateChange, User

_log = logging.getLogger(__name__)

RECEIPT_KEY: Final = "receipt_key"
"""Name of the office secret under which receipt verification codes are made (``printing.receipt_code``)."""

RECEIPT_KEY_BYTES: Final = 32
"""A 256-bit HMAC key (RFC 2104 §3: at least the hash's output length)."""

ACCEPTED_STATE: Final = CaseState.SUBMITTED.value
"""The move that is the case's acceptance: the time limit runs from it (条例 Art 20 [P], forms/states.py)."""

DELIVERED_STATES: Final = frozenset({CaseState.IN_PROGRESS.value, CaseState.COMPLETED.value})
"""States in which the registration system holds the case; before them the receipt is 受理回执（待上报）."""

ALL: Final = "all"
"""The document choice meaning every document available for the case."""

FAILED_REASON_CHARS: Final = 500
"""A failed job's reason is kept with the job (its column holds 500 characters)."""


class PrintSettings(Protocol):
    """The settings printing reads (a subset of :class:`workstation.config.Settings`)."""

    @property
    def office_name(self) -> str:
        """The registry's name printed in every header."""
        ...

    @property
    def office_code(self) -> str:
        """The office's code printed in the footer."""
        ...

    @property
    def window_id(self) -> str:
        """This window's number."""
        ...

    @property
    def enquiry_phone(self) -> str:
        """The enquiry phone number printed on the receipt and the notice."""
        ...

    @property
    def seal_text(self) -> str:
        """The wording under the seal area ("" for the office name with （印章）)."""
        ...

    @property
    def default_printer(self) -> str:
        """This window's printer ("" for the system default)."""
        ...

    @property
    def print_copies(self) -> int:
        """Copies printed at a time."""
        ...

    @property
    def tax_settings_file(self) -> Path | None:
        """The office's tax settings file (``None`` for the defaults)."""
        ...

    @property
    def calendar_file(self) -> Path | None:
        """The office's working-day calendar file (``None`` for the national one)."""
        ...


class PrintStore(Protocol):
    """The part of :class:`workstation.storage.api.Store` printing uses."""

    def history(self, case_id: uuid.UUID) -> list[StateChange]:
        """Every recorded state change, oldest first."""
        ...

    def load_case(self, case_id: uuid.UUID) -> tuple[Case, str]:
        """The latest version of a case and its state."""
        ...

    def record_print_job(
        self,
        case_id: uuid.UUID,
        *,
        documents: Sequence[str],
        printer: str,
        copies: int,
        status: str,
        job_ref: str,
        pdf: bytes | None,
        user: User,
        error: str = "",
    ) -> int:
        """Record a print; returns its id."""
        ...

    def print_jobs(self, case_id: uuid.UUID) -> list[PrintJob]:
        """The case's recorded prints, newest first."""
        ...

    def print_job_pdf(self, job_id: int) -> bytes:
        """The exact PDF of a recorded print."""
        ...

    def office_secret(self, name: str, *, create: Callable[[], bytes] | None = None) -> bytes:
        """An office secret, created once."""
        ...

    def identity_checks(self, case_id: uuid.UUID, party_id: str | None = None) -> list[IdentityCheck]:
        """The case's identity and face checks, oldest first (issue #7)."""
        ...


@dataclass(frozen=True)
class PrintOutcome:
    """What one print action did.

    Attributes:
        job_id: the recorded job (``None`` when nothing was recorded: a case file not in the store).
        documents: the document ids printed, in set order.
        printer: the printer used ("" when saved to a file).
        copies: copies sent.
        job_refs: the print system's job ids, one per copy.
        pdf: the PDF sent (or saved).
    """

    job_id: int | None
    documents: tuple[str, ...]
    printer: str
    copies: int
    job_refs: tuple[str, ...]
    pdf: bytes


# ------------------------------------------------------------------------------------ context
def is_delivered(state: str) -> bool:
    """Whether the registration system holds the case (its receipt is then a 受理凭证)."""
    return state in DELIVERED_STATES


def receipt_key(store: PrintStore) -> bytes:
    """The office's receipt key, made on first use and shared by every window of the office."""
    return store.office_secret(RECEIPT_KEY, create=lambda: os.urandom(RECEIPT_KEY_BYTES))


def acceptance_date(history: Sequence[StateChange], today: date) -> date:
    """The day the case was accepted: its first move to ``submitted``, else ``today`` (not yet accepted)."""
    for change in history:
        if change.to_state == ACCEPTED_STATE:
            return change.at.astimezone().date()
    return today


def tax_assessment_of(store: PrintStore, case_id: uuid.UUID) -> Assessment | None:
    """The tax bureau's assessment of the case as it stands, from the answer to its newest tax leg.

    Only the newest tax package counts: after a correction (a package that supersedes the assessed
    one) the old assessment no longer describes the case, and the 税费计算单 is an estimate again until
    the bureau answers the correction. An answer that does not parse is not printed as final.
    """
    from workstation.storage.store import SqlStore

    if not isinstance(store, SqlStore):
        return None  # a store without an outbox: nothing was ever sent
    from sync.package import Department
    from workstation.sync_service import SqlOutbox

    legs = [leg for leg in SqlOutbox(store).legs(case_id=case_id) if leg.department is Department.TAX]
    if not legs:
        return None
    answer = legs[0].answer  # newest first
    if answer is None or answer.result is None or "assessment" not in answer.result:
        return None
    try:
        return Assessment.model_validate(answer.result["assessment"])
    except ValidationError:
        _log.warning("the tax answer of package %s holds no valid assessment", legs[0].package_id)
        return None


@lru_cache(maxsize=4)
def office_calendar(path: Path | None) -> WorkingCalendar:
    """The working-day calendar (national, merged with the office's file), loaded once per file.

    Raises:
        CalendarError: the file is missing or wrong (the message names the line).
    """
    return load_calendar(path)


def office_tax_settings(settings: PrintSettings) -> TaxSettings:
    """The office's tax settings from ``tax_settings_file`` (defaults when not set).

    Raises:
        TaxSettingsError: the file is wrong (the message names the file and line).
    """
    path = settings.tax_settings_file
    return load_tax_settings(path) if path else TaxSettings()


def tax_estimate(case: Case, settings: PrintSettings, business_type: BusinessType) -> Estimate | None:
    """The case's tax and fee estimate, or ``None`` when the rules cannot estimate it (no 税费计算单).

    Raises:
        TaxSettingsError: the office's tax settings file is wrong (an administrator must fix it).
    """
    office = office_tax_settings(settings)
    try:
        return estimate(case, office, catalog_fee=business_type.fee_for(case))
    except TaxError:
        return None  # no rule for this type or date: the tax sheet is simply not available


def build_context(
    case: Case,
    *,
    store: PrintStore | None,
    settings: PrintSettings,
    catalog: Catalog,
    calendar: WorkingCalendar | None = None,
    user: User | None,
    delivered: bool,
    key: bytes | None = None,
    today: date | None = None,
    tax_assessment: Assessment | None = None,
) -> PrintContext:
    """Everything the documents need besides the case.

    Args:
        case: the case.
        store: the store (acceptance date from the case's history, the office's receipt key, the
            identity checks of the 人证核验记录); ``None`` for a case file that is not stored.
        settings: office name, code, window, enquiry phone, seal wording, tax settings, calendar file.
        catalog: the business-type catalog.
        calendar: the working-day calendar; the office's (``calendar_file``) by default.
        user: the clerk whose name is printed (``None``: left blank for a signature).
        delivered: the registration system holds the case (see :func:`is_delivered`).
        key: the receipt key; by default the office's from ``store`` (none without a store, and
            then no receipt can be made).
        today: the date of the print (tests fix it).
        tax_assessment: the tax bureau's assessment of the case as it stands (see
            :func:`tax_assessment_of`); the 税费计算单 is then final instead of 预估.

    Returns:
        The print context.

    Raises:
        CatalogError: the business type is not in the catalog.
        CalendarError, TaxSettingsError: the office's calendar or tax file is wrong.
    """
    day = today or date.today()
    business_type = catalog.get(case.business_type)
    accepted = acceptance_date(store.history(case.id), day) if store is not None else day
    cal = calendar or office_calendar(settings.calendar_file)
    if key is None:
        key = receipt_key(store) if store is not None and case.case_number else b""
    return PrintContext(
        office_name=settings.office_name,
        office_code=settings.office_code,
        window_id=f"{settings.window_id}号窗口",
        enquiry_phone=settings.enquiry_phone,
        clerk_name=user.display_name if user is not None else "",
        business_type=business_type,
        acceptance_date=accepted,
        promised_completion=cal.add_working_days(accepted, business_type.promised_days),
        receipt_key=key,
        seal_text=settings.seal_text,
        delivered=delivered,
        tax_estimate=tax_estimate(case, settings, business_type),
        tax_assessment=tax_assessment,
        identity_checks=print_records(store.identity_checks(case.id)) if store is not None else (),
    )


def choose_documents(case: Case, ctx: PrintContext, docs: Sequence[str]) -> list[str]:
    """The document ids to print, in set order; ``all`` is every document available now.

    Without a receipt key (a case file printed without signing in) ``all`` leaves the receipt out.

    Raises:
        UnknownDocument: an id that is not a document.
        DocumentUnavailable: nothing chosen, or the receipt without a key.
    """
    wanted = list(dict.fromkeys(docs))
    if not wanted:
        raise DocumentUnavailable("没有选择要打印的文书。请至少选择一种文书。")
    if ALL in wanted:
        return [d for d in available_documents(case, ctx) if d != "receipt" or ctx.receipt_key]
    for doc in wanted:
        if doc not in DOCUMENTS:
            known = "、".join(f"{s.id}（{s.title}）" for s in DOCUMENTS.values())
            raise UnknownDocument(f"没有名为“{doc}”的文书。可打印的文书有：{known}。")
    if "receipt" in wanted and not ctx.receipt_key:
        raise DocumentUnavailable(
            "受理凭证带有本机构的校验码，只能由登录的工作人员打印：请用 --user 登录后重试。"
        )
    return [d for d in DOCUMENTS if d in wanted]


def render_documents(case: Case, ctx: PrintContext, docs: Sequence[str]) -> tuple[list[str], bytes]:
    """The chosen documents (see :func:`choose_documents`) and their PDF, one file for the set."""
    ids = choose_documents(case, ctx, docs)
    return ids, render_set(case, ctx, ids)


# ------------------------------------------------------------------------------------ printing
def _job_title(case: Case) -> str:
    """The print queue's job title: the case number only, never personal data."""
    return case.case_number or "yichuang"


def print_pdf_for_case(
    case_id: uuid.UUID,
    pdf: bytes,
    documents: Sequence[str],
    *,
    title: str,
    store: PrintStore | None,
    user: User | None,
    printer_name: str | None,
    copies: int,
    printer: Printer | None = None,
) -> PrintOutcome:
    """Send a rendered set ``copies`` times and record it: printed, or failed with the Chinese reason.

    Args:
        case_id: the case (for the record).
        pdf: the PDF to send.
        documents: the document ids it holds.
        title: the print queue's job title (no personal data).
        store: where the print is recorded (``None``: not recorded).
        user: who prints.
        printer_name: the printer; ``None`` or "" for the system default.
        copies: copies to send, one print job each.
        printer: the print backend; this computer's by default.

    Raises:
        PrinterError: the print system did not take every copy (the failure is recorded first, with
            the copies that did get through).
    """
    refs: list[str] = []
    target = printer_name or ""
    try:
        backend = printer or system_printer()
        target = target or backend.default_printer() or ""
        for _ in range(max(1, copies)):
            refs.append(backend.print_pdf(pdf, target or None, title))
    except PrinterError as exc:
        if store is not None and user is not None:
            store.record_print_job(
                case_id,
                documents=documents,
                printer=target,
                copies=len(refs),
                status="failed",
                job_ref=",".join(refs),
                pdf=pdf,
                user=user,
                error=str(exc)[:FAILED_REASON_CHARS],
            )
        raise
    job_id = None
    if store is not None and user is not None:
        job_id = store.record_print_job(
            case_id,
            documents=documents,
            printer=target,
            copies=len(refs),
            status="printed",
            job_ref=",".join(refs),
            pdf=pdf,
            user=user,
        )
    return PrintOutcome(
        job_id=job_id,
        documents=tuple(documents),
        printer=target,
        copies=len(refs),
        job_refs=tuple(refs),
        pdf=pdf,
    )


def print_case(
    case: Case,
    ctx: PrintContext,
    *,
    documents: Sequence[str] = (ALL,),
    store: PrintStore | None,
    user: User | None,
    printer_name: str | None = None,
    copies: int = 1,
    printer: Printer | None = None,
) -> PrintOutcome:
    """Render the chosen documents as one PDF, print it and record the print with the case.

    Args:
        case: the case.
        ctx: its print context (:func:`build_context`).
        documents: document ids or ``all``.
        store: where the print is recorded (``None``: a case file, nothing recorded).
        user: who prints.
        printer_name: the printer; ``None`` for the system default.
        copies: copies to print (each is sent and counted).
        printer: the print backend; this computer's (:func:`printing.printer.system_printer`) by default.

    Returns:
        What was printed.

    Raises:
        UnknownDocument, DocumentUnavailable: the documents cannot be made.
        PrinterError: no such printer, printing unsupported or the job refused (a failed print is
            recorded with its reason before this is raised).
    """
    ids, pdf = render_documents(case, ctx, documents)
    return print_pdf_for_case(
        case.id,
        pdf,
        ids,
        title=_job_title(case),
        store=store,
        user=user,
        printer_name=printer_name,
        copies=copies,
        printer=printer,
    )


def reprint(
    job: PrintJob,
    *,
    store: PrintStore,
    user: User,
    printer_name: str | None = None,
    copies: int = 1,
    printer: Printer | None = None,
) -> PrintOutcome:
    """Print a recorded job again: the identical PDF, recorded as a new print by ``user``.

    Raises:
        PrintJobNotFound: the job's PDF was not kept.
        PrinterError: as :func:`print_case`.
    """
    pdf = store.print_job_pdf(job.id)
    case, _state = store.load_case(job.case_id)
    return print_pdf_for_case(
        job.case_id,
        pdf,
        job.documents,
        title=_job_title(case),
        store=store,
        user=user,
        printer_name=printer_name,
        copies=copies,
        printer=printer,
    )


def save_case_pdf(
    case: Case,
    ctx: PrintContext,
    path: Path,
    *,
    documents: Sequence[str] = (ALL,),
    store: PrintStore | None = None,
    user: User | None = None,
) -> PrintOutcome:
    """Render the chosen documents into a PDF file (``yichuang print --out``), recorded as ``saved``.

    Raises:
        UnknownDocument, DocumentUnavailable: the documents cannot be made.
        OSError: the file cannot be written.
    """
    ids, pdf = render_documents(case, ctx, documents)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, path)
    job_id = None
    if store is not None and user is not None:
        job_id = store.record_print_job(
            case.id, documents=ids, printer="", copies=1, status="saved", job_ref="", pdf=pdf, user=user
        )
    return PrintOutcome(job_id=job_id, documents=tuple(ids), printer="", copies=1, job_refs=(), pdf=pdf)


# ------------------------------------------------------------------------------------ a stored case
@dataclass(frozen=True)
class Printable:
    """A stored case ready to print: the case, its state and its print context."""

    case: Case
    state: str
    ctx: PrintContext


def load_printable(
    store: PrintStore,
    case_id: uuid.UUID,
    *,
    settings: PrintSettings,
    catalog: Catalog,
    user: User | None,
    today: date | None = None,
) -> Printable:
    """Load a stored case and build its print context (the receipt key made on first use).

    Raises:
        CaseNotFound: no such case.
        CatalogError, CalendarError, TaxSettingsError: as :func:`build_context`.
    """
    case, state = store.load_case(case_id)
    ctx = build_context(
        case,
        store=store,
        settings=settings,
        catalog=catalog,
        user=user,
        delivered=is_delivered(state),
        today=today,
        tax_assessment=tax_assessment_of(store, case_id),
    )
    return Printable(case=case, state=state, ctx=ctx)


def document_titles(ids: Sequence[str], ctx: PrintContext | None = None) -> str:
    """The documents' Chinese titles, ``、``-joined (history and messages).

    With ``ctx`` the titles are those printed on the pages (``受理回执（待上报）``, ``税费计算单（预估）``).
    """
    return "、".join(
        (DOCUMENTS[i].page_title(ctx) if ctx is not None else DOCUMENTS[i].title) if i in DOCUMENTS else i
        for i in ids
    )
