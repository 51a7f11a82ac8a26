"""The application log and the crash hook's helpers.

Personal data is never logged: an unexpected exception is logged as its type and stack only, because
its message may quote what the clerk typed (pydantic errors include the input, for example).
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("workstation")

_log_path: Path | None = None
_savers: list[Callable[[], None]] = []


def setup_logging(folder: Path) -> Path:
    """Log to ``folder/logs/yichuang.log`` (rotated, 5 × 1 MB) and return the file's path."""
    global _log_path
    logs = folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / "yichuang.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(threadName)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _log_path = path
    return path


def log_path() -> Path | None:
    """The log file in use, or ``None`` before :func:`setup_logging`."""
    return _log_path


def redacted_traceback(exc: BaseException) -> str:
    """The exception's type and stack without its message (which may hold personal data)."""
    frames = traceback.extract_tb(exc.__traceback__)
    # File, line and function only: neither the message nor the source text is written.
    lines = "".join(f'  File "{f.filename}", line {f.lineno}, in {f.name}\n' for f in frames)
    return f"Traceback (most recent call last):\n{lines}{type(exc).__module__}.{type(exc).__qualname__}"


def log_crash(exc: BaseException) -> None:
    """Log an unexpected exception, redacted."""
    log.error("unexpected error\n%s", redacted_traceback(exc))


def register_saver(saver: Callable[[], None]) -> None:
    """Register a callback that saves unsaved work (an open wizard's draft) before a crash dialog."""
    _savers.append(saver)


def unregister_saver(saver: Callable[[], None]) -> None:
    """Forget a callback registered with :func:`register_saver`."""
    if saver in _savers:
        _savers.remove(saver)


def save_all() -> int:
    """Run every registered saver; returns how many ran without raising."""
    ok = 0
    for saver in list(_savers):
        try:
            saver()
        except Exception as exc:  # a failing saver must not hide the original crash
            log_crash(exc)
        else:
            ok += 1
    return ok
