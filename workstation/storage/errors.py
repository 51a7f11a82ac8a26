"""Exceptions of local storage; ``str(exc)`` is a Chinese message a clerk (or IT) can act on.

Known environment problems (:class:`DatabaseUnavailable`, :class:`DiskFull`) are meant to be shown
with a retry; the others name what is wrong and how to fix it.
"""

from __future__ import annotations

from datetime import datetime


class StorageError(Exception):
    """Base of every storage error."""


class LoginFailed(StorageError):
    """Wrong user name or password, or the account is disabled."""


class AccountLocked(StorageError):
    """Too many wrong passwords: the account is locked until ``until`` (UTC)."""

    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class UserExists(StorageError):
    """A user with this name already exists."""


class UserNotFound(StorageError):
    """No user with this name."""


class InvalidUserData(StorageError):
    """A user name, display name or password does not meet the rules."""


class CaseNotFound(StorageError):
    """No case with this id."""


class CaseExists(StorageError):
    """A case with this id or case number is already stored."""


class SchemaMismatch(StorageError):
    """The database's schema version is not the one this program expects."""


class DatabaseUnavailable(StorageError):
    """The database cannot be reached or opened."""


class DiskFull(StorageError):
    """The disk holding the database is full."""


class KeyUnavailable(StorageError):
    """The machine key or the data key cannot be obtained, so personal data cannot be read."""


class DecryptionFailed(StorageError):
    """A stored ciphertext does not decrypt (wrong key, tampered or moved data)."""


class PrintJobNotFound(StorageError):
    """No recorded print with this id, or its PDF was not kept."""


class SecretMissing(StorageError):
    """An office secret has not been created yet."""


class AttachmentNotFound(StorageError):
    """No stored scan (attachment) with this id."""


class AttachmentPurged(AttachmentNotFound):
    """Retention deleted the scan's local copy after the back end confirmed it (issue 8).

    A subclass of :class:`AttachmentNotFound` so existing handlers still catch it; the message says
    the copy was deleted under the retention rule and where the original is, not that it is missing.
    """


class OverrideRefused(StorageError):
    """The user may not override this identity check (not a supervisor, or nothing to override)."""


class CaseConflict(StorageError):
    """Someone else changed the case since it was read (optimistic version check, issue 8)."""
