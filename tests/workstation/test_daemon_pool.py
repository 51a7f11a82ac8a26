"""The device pool's daemon threads: jobs run in order, and a hung one never blocks exit."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import CancelledError
from pathlib import Path

import pytest

from workstation.daemon_pool import DaemonPool

ROOT = Path(__file__).resolve().parents[2]


def test_results_and_errors_come_back_through_the_futures() -> None:
    pool = DaemonPool(2, "test")
    try:
        assert pool.submit(lambda a, b: a + b, 2, b=3).result(timeout=5) == 5
        failing = pool.submit(lambda: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            failing.result(timeout=5)
        assert all(t.daemon for t in pool._threads)
    finally:
        pool.shutdown()
    with pytest.raises(RuntimeError):
        pool.submit(lambda: None)


def test_shutdown_can_cancel_what_has_not_started() -> None:
    pool = DaemonPool(1, "test")
    gate, started = threading.Event(), threading.Event()

    def hold() -> bool:
        started.set()
        return gate.wait(5)

    running = pool.submit(hold)
    assert started.wait(5)
    queued = pool.submit(lambda: "never")
    pool.shutdown(wait=False, cancel_futures=True)
    gate.set()
    assert running.result(timeout=5) is True
    with pytest.raises(CancelledError):
        queued.result(timeout=5)


def test_a_job_that_never_returns_does_not_keep_the_process_alive() -> None:
    script = (
        "import threading\n"
        "from workstation.daemon_pool import DaemonPool\n"
        "pool = DaemonPool(2, 'device')\n"
        "pool.submit(threading.Event().wait)  # a driver call that hangs for good\n"
        "print('quitting')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == "quitting"
