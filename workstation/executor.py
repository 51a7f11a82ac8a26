"""The database executor: one worker thread runs store calls; results come back to the UI thread.

Widgets never call the store directly (argon2 and SQLite block). An operation hands a function to
:meth:`DbExecutor.submit`; the worker runs it and the outcome is re-emitted as a Qt signal received
on the UI thread, where ``on_done`` or ``on_error`` runs. A progress dialog appears only when a job
takes longer than :data:`PROGRESS_DELAY_MS`. Tests use :class:`InlineExecutor`, which runs the job at
once on the calling thread, so they are deterministic.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from workstation.qt import QObject, QProgressDialog, Qt, QTimer, QWidget, pyqtSignal

log = logging.getLogger(__name__)

T = TypeVar("T")

PROGRESS_DELAY_MS = 600
"""A job shorter than this shows no progress dialog (STYLE.md, Threads)."""

DoneCallback = Callable[[Any], object]
ErrorCallback = Callable[[BaseException], object]


class Executor(Protocol):
    """Runs a job off the UI thread and calls back on the UI thread."""

    def submit(
        self,
        job: Callable[[], T],
        *,
        on_done: Callable[[T], object],
        on_error: ErrorCallback,
        progress: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Queue ``job``; ``on_done(result)`` or ``on_error(exc)`` runs later on the UI thread."""
        ...

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until every queued job has run (shutdown and tests); ``False`` on timeout."""
        ...

    def shutdown(self) -> None:
        """Finish the queued jobs and stop the worker."""
        ...


class _Outcome:
    """What a finished job hands back to the UI thread."""

    __slots__ = ("done", "error", "exc", "result", "timer")

    def __init__(self, done: DoneCallback, error: ErrorCallback, timer: QTimer | None) -> None:
        self.done = done
        self.error = error
        self.timer = timer
        self.result: Any = None
        self.exc: BaseException | None = None


class DbExecutor(QObject):
    """The single-worker database executor.

    Signals:
        finished(object): internal; carries a finished job's outcome to the UI thread.
        busy_changed(bool): ``True`` while a job is queued or running.
    """

    finished = pyqtSignal(object)
    busy_changed = pyqtSignal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        self._pending = 0
        self._lock = threading.Lock()
        # The worker emits; the receiver lives on the UI thread, so Qt queues the call there.
        self.finished.connect(self._deliver)

    def submit(
        self,
        job: Callable[[], T],
        *,
        on_done: Callable[[T], object],
        on_error: ErrorCallback,
        progress: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Queue ``job`` on the worker; see :class:`Executor`."""
        timer: QTimer | None = None
        if progress is not None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(PROGRESS_DELAY_MS)
            dialog = QProgressDialog(progress, "", 0, 0, parent)
            dialog.setCancelButton(None)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0)
            dialog.reset()
            dialog.hide()
            timer.timeout.connect(dialog.show)
            timer.setProperty("dialog", dialog)
            timer.start()
        outcome = _Outcome(on_done, on_error, timer)
        with self._lock:
            self._pending += 1
            if self._pending == 1:
                self.busy_changed.emit(True)
        future: Future[T] = self._pool.submit(job)
        future.add_done_callback(lambda f: self._collect(f, outcome))

    def _collect(self, future: Future[Any], outcome: _Outcome) -> None:
        # Runs on the worker thread: only store the outcome and emit (queued to the UI thread).
        exc = future.exception()
        if exc is None:
            outcome.result = future.result()
        else:
            outcome.exc = exc
        self.finished.emit(outcome)

    def _deliver(self, outcome: _Outcome) -> None:
        if outcome.timer is not None:
            outcome.timer.stop()
            dialog = outcome.timer.property("dialog")
            if isinstance(dialog, QProgressDialog):
                dialog.hide()
                dialog.deleteLater()
            outcome.timer.deleteLater()
        with self._lock:
            self._pending -= 1
            idle = self._pending == 0
        try:
            if outcome.exc is not None:
                outcome.error(outcome.exc)
            else:
                outcome.done(outcome.result)
        finally:
            if idle:
                self.busy_changed.emit(False)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait for the worker to drain; the callbacks still run later on the UI thread."""
        marker: Future[None] = self._pool.submit(lambda: None)
        try:
            marker.result(timeout=timeout)
        except TimeoutError:
            return False
        return True

    def shutdown(self) -> None:
        """Let the queued jobs finish, then stop the worker thread."""
        self._pool.shutdown(wait=True)


class InlineExecutor:
    """Runs each job at once on the calling thread (tests, and scripts without an event loop)."""

    def submit(
        self,
        job: Callable[[], T],
        *,
        on_done: Callable[[T], object],
        on_error: ErrorCallback,
        progress: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Run ``job`` now and call ``on_done`` or ``on_error`` before returning."""
        try:
            result = job()
        except Exception as exc:
            on_error(exc)
            return
        on_done(result)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Nothing is ever queued."""
        return True

    def shutdown(self) -> None:
        """Nothing to stop."""
