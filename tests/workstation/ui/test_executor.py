from __future__ import annotations

import functools
import threading
import time

from workstation.executor import PROGRESS_DELAY_MS, DbExecutor
from workstation.qt import QProgressDialog, QWidget


def test_jobs_run_on_one_worker_and_report_on_the_ui_thread(qtbot):
    executor = DbExecutor()
    ui_thread = threading.get_ident()
    workers: set[int] = set()
    results: list[tuple[int, int]] = []

    def job(n: int) -> int:
        workers.add(threading.get_ident())
        return n * n

    for n in range(5):
        executor.submit(
            functools.partial(job, n),
            on_done=lambda value: results.append((value, threading.get_ident())),
            on_error=lambda exc: results.append((-1, 0)),
        )
    qtbot.waitUntil(lambda: len(results) == 5, timeout=3000)
    assert [value for value, _ in results] == [0, 1, 4, 9, 16]  # in order: one worker
    assert {thread for _, thread in results} == {ui_thread}
    assert len(workers) == 1 and ui_thread not in workers
    executor.shutdown()


def test_errors_are_delivered_to_on_error(qtbot):
    executor = DbExecutor()
    errors: list[BaseException] = []

    def fail() -> None:
        raise RuntimeError("boom")

    executor.submit(fail, on_done=lambda _v: None, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert isinstance(errors[0], RuntimeError)
    executor.shutdown()


def test_progress_dialog_only_for_slow_jobs(qtbot):
    executor = DbExecutor()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    done: list[object] = []
    executor.submit(lambda: "fast", on_done=done.append, on_error=done.append, progress="…", parent=parent)
    qtbot.waitUntil(lambda: bool(done), timeout=3000)
    assert not [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]

    release = threading.Event()
    executor.submit(
        lambda: release.wait(5),
        on_done=done.append,
        on_error=done.append,
        progress="正在保存…",
        parent=parent,
    )
    time.sleep(PROGRESS_DELAY_MS / 2000)
    qtbot.wait(50)
    assert not [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]
    qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(QProgressDialog)), timeout=3000)
    release.set()
    qtbot.waitUntil(lambda: len(done) == 2, timeout=3000)
    qtbot.waitUntil(
        lambda: not any(d.isVisible() for d in parent.findChildren(QProgressDialog)), timeout=3000
    )
    executor.shutdown()
