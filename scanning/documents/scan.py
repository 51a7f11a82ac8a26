"""``scan_to_pdf``: from a device (or files) through the pipeline into one PDF, crash-safe."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from scanning.documents.codes import DetectedCode, detect_codes
from scanning.documents.encode import EncodedPage, write_pdf
from scanning.documents.model import CancelToken, ProgressCallback, ScannerDriver
from scanning.documents.processing import ProcessedPage, process_page
from scanning.documents.profiles import ScanProfile
from scanning.documents.sink import PageRecord, PageSink, Recovered
from scanning.errors import FeederEmpty, ScanCancelled


@dataclass(frozen=True)
class ScanResult:
    """What a scan produced.

    Attributes:
        out_path: the PDF written (``None`` when no page was kept).
        pages: pages in the PDF (restored ones included).
        captured: pages captured by the device in this run.
        dropped: captured pages left out as blank.
        codes: codes found, as (PDF page index, code).
        cancelled: the clerk cancelled; the PDF holds the pages before the cancel.
        next_index: the next page to scan (for a resumed scan).
    """

    out_path: Path | None
    pages: int
    captured: int
    dropped: int
    codes: tuple[tuple[int, DetectedCode], ...] = field(default=())
    cancelled: bool = False
    next_index: int = 0


def scan_to_pdf(
    driver: ScannerDriver,
    device: str,
    profile: ScanProfile,
    out_path: Path,
    cancel: CancelToken | None = None,
    on_page: Callable[[ProcessedPage], None] | None = None,
    *,
    sink: PageSink | None = None,
    resume: Recovered | None = None,
    progress: ProgressCallback | None = None,
) -> ScanResult:
    """Scan a stack with ``profile``'s settings and write it as one PDF.

    Each captured page is processed at once, handed to ``sink`` (encrypted to disk by the app), then
    reported to ``on_page`` (thumbnails). On cancel the pages so far are written and the result says
    ``cancelled``; on a device error (jam, offline …) the error propagates and the sink holds every
    finished page, so :func:`~scanning.documents.sink.recover` + ``resume`` continue from the next one.

    Args:
        driver: the backend.
        device: the device name (or a path for file import).
        profile: the scan profile.
        out_path: the PDF to write.
        cancel: the cancel token shared with the window.
        on_page: called with each processed page (dropped blanks too, ``dropped`` set).
        sink: crash-safe storage of each page's record.
        resume: pages restored after a crash; scanning starts at ``resume.next_index``.
        progress: per-page read progress from the device.

    Raises:
        DocumentScanError: a device error (``FeederEmpty`` only when not even one page came).
    """
    pages: list[EncodedPage] = list(resume.pages) if resume else []
    start = resume.next_index if resume else 0
    caps = driver.capabilities(device)
    options = profile.options(first_index=start)
    if not caps.feeder or not caps.duplex:
        options = replace(
            options, feeder=options.feeder and caps.feeder, duplex=options.duplex and caps.duplex
        )
    settings = profile.pipeline()
    codes: list[tuple[int, DetectedCode]] = []
    captured = dropped = 0
    cancelled = False
    try:
        for page in driver.scan(device, options, cancel, progress):
            results = process_page(page, settings)
            kept = [r.encoded for r in results if r.encoded is not None]
            record = PageRecord(page.index, tuple(kept))
            if sink is not None:
                sink.write(page.index, record.pack())
            captured += 1
            for result in results:
                if result.dropped:
                    dropped += 1
                else:
                    if profile.detect_codes:
                        codes += [(len(pages), c) for c in detect_codes(result.image)]
                    pages.append(kept.pop(0))
                if on_page is not None:
                    on_page(result)
    except ScanCancelled:
        cancelled = True
    except FeederEmpty:
        if not pages:
            raise
    written = write_pdf(pages, out_path) if pages else None
    return ScanResult(
        out_path=written,
        pages=len(pages),
        captured=captured,
        dropped=dropped,
        codes=tuple(codes),
        cancelled=cancelled,
        next_index=start + captured,
    )
