"""Print operations the print dialog calls: load a case for printing, preview, print, reprint, history.

Each runs its work on the session's executor (database, rendering and the print system all block)
and reports on the UI thread through ``on_done``/``on_error``. The page images of the preview are
rendered from the PDF itself with QtPdf on the worker, so what the clerk sees is what is sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from printing.printer import Printer, system_printer
from workstation import printing_service as service
from workstation.executor import ErrorCallback
from workstation.printing_service import Printable, PrintOutcome, PrintSettings
from workstation.qt import QBuffer, QByteArray, QImage, QIODevice, QPainter, QPdfDocument, QSize, Qt, QWidget
from workstation.session import Session
from workstation.storage.api import PrintJob

PREVIEW_DPI: Final = 80
"""Resolution of the preview's page images: an A4 page is about 660 × 935 pixels."""


@dataclass(frozen=True)
class Printers:
    """The printers the clerk can choose and the one to preselect.

    Attributes:
        names: the print system's printers.
        default: the preselected printer: the window's ``default_printer`` setting, else the
            system default ("" when there is none).
    """

    names: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class Preview:
    """A rendered set: the documents, the PDF that will be sent and its page images."""

    documents: tuple[str, ...]
    pdf: bytes
    pages: tuple[QImage, ...]


def print_settings(session: Session) -> PrintSettings:
    """The session's settings as the printing service reads them.

    Raises:
        TypeError: the session's settings lack the printing keys (a programming error).
    """
    settings = session.settings
    missing = [n for n in ("seal_text", "print_copies", "tax_settings_file") if not hasattr(settings, n)]
    if missing:
        raise TypeError(f"session settings lack {missing}")
    return settings  # type: ignore[return-value]  # checked above: a workstation.config.Settings


def pdf_pages(pdf: bytes, dpi: int = PREVIEW_DPI) -> tuple[QImage, ...]:
    """Every page of a PDF as an image (QtPdf; safe on a worker thread: the document is local to it).

    Raises:
        ValueError: the PDF cannot be read (a programming error: we made it).
    """
    document = QPdfDocument(None)
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise ValueError(f"QtPdf could not read the PDF: {document.error()}")
    pages = []
    for n in range(document.pageCount()):
        size = document.pagePointSize(n)  # points: 1/72 inch
        pixels = QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72))
        page = QImage(pixels, QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)  # QtPdf leaves the paper transparent
        painter = QPainter(page)
        painter.drawImage(0, 0, document.render(n, pixels))
        painter.end()
        pages.append(page)
    document.close()
    return tuple(pages)


def load_printable(
    *,
    session: Session,
    case_id: uuid.UUID,
    on_done: Callable[[Printable], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Load a stored case with its print context (the office's receipt key is made on first use)."""
    store, settings, catalog, user = session.store, print_settings(session), session.catalog, session.user
    session.executor.submit(
        lambda: service.load_printable(store, case_id, settings=settings, catalog=catalog, user=user),
        on_done=on_done,
        on_error=on_error,
        progress="正在准备文书…",
        parent=parent,
    )


def list_printers(
    *,
    session: Session,
    on_done: Callable[[Printers], object],
    on_error: ErrorCallback,
    printer: Printer | None = None,
) -> None:
    """The printers of this computer and the one to preselect."""
    configured = print_settings(session).default_printer

    def job() -> Printers:
        backend = printer or system_printer()
        names = tuple(backend.printers())
        default = configured if configured in names else (backend.default_printer() or "")
        return Printers(names=names, default=default)

    session.executor.submit(job, on_done=on_done, on_error=on_error)


def render_preview(
    *,
    session: Session,
    printable: Printable,
    documents: Sequence[str],
    on_done: Callable[[Preview], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Render the chosen documents into one PDF and its page images."""
    docs = list(documents)

    def job() -> Preview:
        ids, pdf = service.render_documents(printable.case, printable.ctx, docs)
        return Preview(documents=tuple(ids), pdf=pdf, pages=pdf_pages(pdf))

    session.executor.submit(job, on_done=on_done, on_error=on_error, progress="正在生成预览…", parent=parent)


def print_preview(
    *,
    session: Session,
    printable: Printable,
    preview: Preview,
    printer_name: str,
    copies: int,
    on_done: Callable[[PrintOutcome], object],
    on_error: ErrorCallback,
    printer: Printer | None = None,
    parent: QWidget | None = None,
) -> None:
    """Send the previewed PDF (exactly those bytes) to the printer and record the print."""
    store, user = session.store, session.require_user()
    session.executor.submit(
        lambda: service.print_pdf_for_case(
            printable.case.id,
            preview.pdf,
            preview.documents,
            title=printable.case.case_number or "yichuang",
            store=store,
            user=user,
            printer_name=printer_name or None,
            copies=copies,
            printer=printer,
        ),
        on_done=on_done,
        on_error=on_error,
        progress="正在发送到打印机…",
        parent=parent,
    )


def reprint(
    *,
    session: Session,
    job: PrintJob,
    printer_name: str,
    copies: int,
    on_done: Callable[[PrintOutcome], object],
    on_error: ErrorCallback,
    printer: Printer | None = None,
    parent: QWidget | None = None,
) -> None:
    """Print a recorded job's stored PDF again, recorded as a new print."""
    store, user = session.store, session.require_user()
    session.executor.submit(
        lambda: service.reprint(
            job, store=store, user=user, printer_name=printer_name or None, copies=copies, printer=printer
        ),
        on_done=on_done,
        on_error=on_error,
        progress="正在重印…",
        parent=parent,
    )


def load_history(
    *,
    session: Session,
    case_id: uuid.UUID,
    on_done: Callable[[list[PrintJob]], object],
    on_error: ErrorCallback,
) -> None:
    """The case's recorded prints, newest first."""
    store = session.store
    session.executor.submit(lambda: store.print_jobs(case_id), on_done=on_done, on_error=on_error)


def save_pdf(
    *,
    session: Session,
    case_id: uuid.UUID,
    preview: Preview,
    path: str,
    on_done: Callable[[int], object],
    on_error: ErrorCallback,
) -> None:
    """Write the previewed PDF to a file and record it as saved."""
    store, user = session.store, session.require_user()

    def job() -> int:
        with open(path, "wb") as file:
            file.write(preview.pdf)
        return store.record_print_job(
            case_id,
            documents=preview.documents,
            printer="",
            copies=1,
            status="saved",
            job_ref="",
            pdf=preview.pdf,
            user=user,
        )

    session.executor.submit(job, on_done=on_done, on_error=on_error, progress="正在保存…")
