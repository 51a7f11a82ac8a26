"""Card placed / removed events from the polling monitor, through the real serial path."""

from __future__ import annotations

import queue
import time

from scanning.errors import CardRemoved, IdCardError
from scanning.idcard.emulator import Fault, ReaderEmulator
from scanning.idcard.frame import Command
from scanning.idcard.reader import CardMonitor
from scanning.idcard.record import IdCardRecord

WAIT = 3.0


def wait_polls(emulator: ReaderEmulator, count: int = 2) -> None:
    """Wait until the monitor has sent ``count`` more find-card commands (so it saw the current state)."""
    start = len(emulator.requests)
    deadline = time.monotonic() + WAIT
    while emulator.requests[start:].count(Command.FIND_CARD) < count:
        assert time.monotonic() < deadline, "the monitor stopped polling"
        time.sleep(0.005)


def _monitor(reader, events: queue.Queue[tuple[str, object]]) -> CardMonitor:
    return CardMonitor(
        reader,
        on_placed=lambda record: events.put(("placed", record)),
        on_removed=lambda: events.put(("removed", None)),
        on_error=lambda exc: events.put(("error", exc)),
        interval=0.02,
    )


def test_placed_and_removed_events(emulator: ReaderEmulator, reader) -> None:
    emulator.remove()
    events: queue.Queue[tuple[str, object]] = queue.Queue()
    with _monitor(reader, events) as monitor:
        assert monitor.running
        emulator.place("resident_rare")
        kind, record = events.get(timeout=WAIT)
        assert kind == "placed"
        assert isinstance(record, IdCardRecord) and record.name == "王𠮷䶮"
        emulator.remove()
        assert events.get(timeout=WAIT) == ("removed", None)
        emulator.place("foreign_pr_2023")
        kind, record = events.get(timeout=WAIT)
        assert kind == "placed" and isinstance(record, IdCardRecord)
        assert record.name_en.startswith("GARCIA")
    assert not monitor.running
    assert events.empty()  # a card left on the reader is read once, not on every poll


def test_card_removed_mid_read_reports_an_error_and_no_record(emulator: ReaderEmulator, reader) -> None:
    emulator.remove()
    emulator.inject(Fault.REMOVE_MID_READ)
    events: queue.Queue[tuple[str, object]] = queue.Queue()
    with _monitor(reader, events):
        emulator.place("resident")
        kind, error = events.get(timeout=WAIT)
        assert kind == "error" and isinstance(error, CardRemoved)
        wait_polls(emulator)  # the monitor sees the card gone
        emulator.place("resident")
        kind, record = events.get(timeout=WAIT)
        assert kind == "placed" and isinstance(record, IdCardRecord)
    assert events.empty()


def test_failed_read_is_not_retried_until_the_card_is_lifted(emulator: ReaderEmulator, reader) -> None:
    emulator.inject(Fault.READ_FAILED)
    events: queue.Queue[tuple[str, object]] = queue.Queue()
    with _monitor(reader, events):
        kind, error = events.get(timeout=WAIT)
        assert kind == "error" and isinstance(error, IdCardError)
        wait_polls(emulator, 5)
        assert events.empty()  # no second attempt on the same card
        assert emulator.requests.count(Command.READ_TEXT_PHOTO) == 1
        emulator.remove()
        wait_polls(emulator)
        emulator.place("resident")
        kind, _ = events.get(timeout=WAIT)
        assert kind == "placed"


def test_reader_fault_is_reported_and_polling_continues(emulator: ReaderEmulator, reader) -> None:
    emulator.remove()
    emulator.inject(Fault.SILENT)
    events: queue.Queue[tuple[str, object]] = queue.Queue()
    with _monitor(reader, events):
        kind, error = events.get(timeout=WAIT)
        assert kind == "error" and "没有应答" in str(error)
        emulator.place("resident")
        assert events.get(timeout=WAIT)[0] == "placed"


def test_a_failing_callback_does_not_stop_the_monitor(emulator: ReaderEmulator, reader, caplog) -> None:
    emulator.remove()
    seen: queue.Queue[str] = queue.Queue()

    def placed(record: IdCardRecord) -> None:
        seen.put("placed")
        raise RuntimeError(f"cannot fill {record.name}")

    with CardMonitor(reader, on_placed=placed, on_removed=lambda: seen.put("removed"), interval=0.02):
        emulator.place("resident")
        assert seen.get(timeout=WAIT) == "placed"
        emulator.remove()
        assert seen.get(timeout=WAIT) == "removed"
    assert "callback placed failed with RuntimeError" in caplog.text
    assert "张晓梅" not in caplog.text  # the exception's message quotes the name: never logged
