"""Exceptions of the ``forms`` package, with messages a clerk understands.

Every message is Chinese, names the field and says how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass


class FormsError(Exception):
    """Base of every error raised by ``forms``; ``str(exc)`` is the clerk-facing message."""


@dataclass(frozen=True)
class Issue:
    """One problem found in a case.

    Attributes:
        path: the field path in the case JSON, e.g. ``parties[0].id_number`` ("" for the whole case).
        message: the Chinese message naming the field and the fix.
        severity: ``error`` blocks marking the case ready; ``warning`` is shown but does not block.
        code: a stable machine-readable code, e.g. ``id_number.check_digit``.
    """

    path: str
    message: str
    severity: str = "error"
    code: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidIdentifier(FormsError):
    """An identifier (ID number, credit code, unit number …) is malformed.

    Attributes:
        code: a stable reason code such as ``check_digit`` or ``birth_date``.
    """

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


class InvalidIdNumber(InvalidIdentifier):
    """A personal identity document number is malformed."""


class CaseInvalid(FormsError):
    """The case has errors; ``issues`` lists each with its field path."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        lines = "\n".join(str(i) for i in issues)
        super().__init__(f"案件有 {len(issues)} 处需要更正：\n{lines}")


class CatalogError(FormsError):
    """The business-type catalog (or an office's override file) cannot be loaded.

    The message names the file and, where known, the line.
    """


class CalendarError(FormsError):
    """The working-day calendar file cannot be loaded; the message names the file and the line."""


class TransitionNotAllowed(FormsError):
    """A case state change that the state machine does not allow."""
