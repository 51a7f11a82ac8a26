"""A device watcher on a daemon thread: started and stopped by its owner, callbacks isolated.

The ID-card monitor and the passport monitor poll their readers the same way: a daemon thread (a
hung driver never keeps the application from quitting) that :meth:`BackgroundMonitor.stop` ends
within one wait, and callbacks whose failures are logged without stopping the watch. Subclasses
implement :meth:`BackgroundMonitor._run`, returning soon after ``self._stop`` is set.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any, Self

log = logging.getLogger(__name__)


class BackgroundMonitor:
    """Runs :meth:`_run` on a daemon thread between :meth:`start` and :meth:`stop`.

    Args:
        thread_name: the thread's name (and the monitor's name in the log).
    """

    def __init__(self, thread_name: str) -> None:
        self._thread_name = thread_name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether the thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start watching (idempotent)."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self._thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching and wait for the thread to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        """Watch until ``self._stop`` is set."""
        raise NotImplementedError

    def _call(self, callback: Callable[..., None] | None, *args: Any) -> None:
        """Call a callback; a faulty one is logged (type and stack only) and the watch goes on."""
        if callback is None:
            return
        try:
            callback(*args)
        except Exception as exc:  # a faulty callback must not stop the monitor
            # The exception's message may quote personal data (pydantic quotes input): never logged.
            log.error(
                "%s callback %s failed with %s:\n%s",
                self._thread_name,
                getattr(callback, "__name__", "?"),
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
