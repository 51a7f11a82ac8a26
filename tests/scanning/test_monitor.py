"""The shared device-monitor thread: start and stop, daemon thread, callbacks isolated."""

from __future__ import annotations

import logging
import threading

import pytest

from scanning.monitor import BackgroundMonitor


class _Ticker(BackgroundMonitor):
    def __init__(self, callback: object) -> None:
        super().__init__("ticker-monitor")
        self.callback = callback
        self.ticks = 0
        self.ticked = threading.Event()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._call(self.callback, self.ticks)  # type: ignore[arg-type]
            self.ticks += 1
            self.ticked.set()
            self._stop.wait(0.01)


def test_a_failing_callback_is_logged_without_its_message_and_the_watch_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    record = {"name": "张" + "三", "id_number": "1101051949" + "12310021"}

    def explode(_n: int) -> None:
        raise ValueError(f"{record['name']} {record['id_number']}")  # quotes personal data, as pydantic does

    with caplog.at_level(logging.ERROR), _Ticker(explode) as monitor:
        assert monitor.running and monitor._thread is not None and monitor._thread.daemon
        monitor.start()  # idempotent: still one thread
        assert monitor.ticked.wait(5)
        monitor.ticked.clear()
        assert monitor.ticked.wait(5)  # still ticking after the failures
    assert not monitor.running
    assert "ticker-monitor callback explode failed with ValueError" in caplog.text
    assert "110105194912310021" not in caplog.text and "张三" not in caplog.text
