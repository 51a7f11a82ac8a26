"""Document scanning (Qt-free): scanner drivers, file import, the page pipeline and PDF output.

The lead's entry points:

- :func:`scan_to_pdf` — scan (or import) a stack into one PDF with a profile; the CLI's
  ``yichuang scan --device DEVICE [--profile P] --out FILE.pdf``.
- :func:`resolve_device` / :func:`make_driver` — a :class:`ScannerDriver` for a ``--device`` value.
- :func:`load_profiles` — scan profiles per material, lockable by policy.
- :class:`DirectorySink` / :func:`recover` — crash-safe pages and their recovery.
- :func:`process_page`, :func:`detect_codes` — the pipeline and barcode reading on their own.
"""

from __future__ import annotations

from scanning.documents.codes import DetectedCode, detect_codes
from scanning.documents.encode import EncodedPage, pdf_document, write_pdf
from scanning.documents.factory import make_driver, resolve_device
from scanning.documents.files import FileImportDriver, WatchedFolderDriver
from scanning.documents.model import (
    CancelToken,
    Capabilities,
    ColourMode,
    DeviceInfo,
    Page,
    ScannerDriver,
    ScanOptions,
)
from scanning.documents.processing import PipelineSettings, ProcessedPage, process_page
from scanning.documents.profiles import ProfileSet, ScanProfile, load_profiles
from scanning.documents.sane_driver import SaneDriver
from scanning.documents.scan import ScanResult, scan_to_pdf
from scanning.documents.sink import DirectorySink, PageRecord, PageSink, Recovered, recover
from scanning.documents.twain_driver import TwainDriver

__all__ = [
    "CancelToken",
    "Capabilities",
    "ColourMode",
    "DetectedCode",
    "DeviceInfo",
    "DirectorySink",
    "EncodedPage",
    "FileImportDriver",
    "Page",
    "PageRecord",
    "PageSink",
    "PipelineSettings",
    "ProcessedPage",
    "ProfileSet",
    "Recovered",
    "SaneDriver",
    "ScanOptions",
    "ScanProfile",
    "ScanResult",
    "ScannerDriver",
    "TwainDriver",
    "WatchedFolderDriver",
    "detect_codes",
    "load_profiles",
    "make_driver",
    "pdf_document",
    "process_page",
    "recover",
    "resolve_device",
    "scan_to_pdf",
    "write_pdf",
]
