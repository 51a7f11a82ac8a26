"""Exceptions of the ``printing`` package, with messages a clerk understands.

``str(exc)`` is the Chinese message shown to the clerk: it says what went wrong and how to fix it.
Messages never contain personal data (names, ID numbers), since they may be logged.
"""

from __future__ import annotations


class PrintingError(Exception):
    """Base of every error raised by ``printing``."""


class FontMissing(PrintingError):
    """A bundled font file is missing or unreadable (a broken installation)."""


class UnknownDocument(PrintingError):
    """A document id that :data:`printing.documents.DOCUMENTS` does not know."""


class DocumentUnavailable(PrintingError):
    """The document cannot be made from this case yet (e.g. no case number, no tax estimate)."""


class ReceiptKeyMissing(PrintingError):
    """The office's receipt key is empty, so no verification code can be made or checked."""


class PrinterError(PrintingError):
    """Base of the errors raised while sending a document to a printer."""


class PrintingUnsupported(PrinterError):
    """This computer has no way to print (no CUPS client, no Windows print service)."""


class PrinterNotFound(PrinterError):
    """The chosen printer does not exist, or there is no default printer."""


class PrintFailed(PrinterError):
    """The print system refused or lost the job."""
