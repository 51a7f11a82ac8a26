"""Printed documents (reportlab, Qt-free) and sending them to a printer.

Public API::

    from printing import DOCUMENTS, PrintContext, render_set, render_receipt, verify_receipt_code
    from printing.fonts import missing_glyphs
    from printing.printer import system_printer

Every document is a pure function of the case and a :class:`PrintContext`.
"""

from __future__ import annotations

from printing.context import IdentityCheckRecord, NoticeItem, PrintContext
from printing.documents import (
    DOCUMENTS,
    DocumentSpec,
    available_documents,
    checklist,
    notice_items,
    render,
    render_application,
    render_idcheck,
    render_interview,
    render_materials,
    render_notice,
    render_receipt,
    render_set,
    render_tax,
)
from printing.receipt_code import parse_qr_payload, qr_payload, receipt_code, verify_receipt_code

__all__ = [
    "DOCUMENTS",
    "DocumentSpec",
    "IdentityCheckRecord",
    "NoticeItem",
    "PrintContext",
    "available_documents",
    "checklist",
    "notice_items",
    "parse_qr_payload",
    "qr_payload",
    "receipt_code",
    "render",
    "render_application",
    "render_idcheck",
    "render_interview",
    "render_materials",
    "render_notice",
    "render_receipt",
    "render_set",
    "render_tax",
    "verify_receipt_code",
]
