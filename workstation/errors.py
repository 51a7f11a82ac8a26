"""The error families whose messages a clerk or IT can act on, for the GUI and the CLI alike.

Each package has its own hierarchy with Chinese messages (STYLE.md, Errors). Anything not listed here
is a bug: the GUI shows the crash dialog, the CLI prints a traceback-free note and the log has the rest.
"""

from __future__ import annotations

from functools import cache


@cache
def known_error_types() -> tuple[type[BaseException], ...]:
    """The base classes of every expected error (imported on first use, so start-up stays light)."""
    from forms.errors import FormsError
    from printing.errors import PrintingError
    from scanning.errors import ScanningError
    from sync.errors import SyncError
    from workstation.backup import BackupError
    from workstation.config import ConfigError
    from workstation.storage.errors import StorageError

    return (FormsError, ConfigError, StorageError, BackupError, PrintingError, ScanningError, SyncError)


def is_known(exc: BaseException) -> bool:
    """Whether ``exc`` is an expected error with a message meant for a person."""
    return isinstance(exc, known_error_types())
