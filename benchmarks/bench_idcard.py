"""ID card benchmarks: a card read and "card placed → party filled", against the raw line time.

The emulator paces its answers at the port's baud rate, so the driver's figures include the real
transfer time; the baseline moves the same answer bytes across a pty at the same pace with a bare
``os.read`` loop and no protocol, measured in the same run. The emulator has no SAM authentication
delay: a real reader adds its own (typically a few hundred milliseconds) before the read answer.
"""

from __future__ import annotations

import os
import queue
import statistics
import threading
import time
import tty

from benchmarks.table import Row, median_time
from forms.case import Party, PartyRole
from scanning.idcard.codes import SW3_CARD_FOUND, SW3_SUCCESS
from scanning.idcard.emulator import ReaderEmulator, load_fixture, paced_write
from scanning.idcard.frame import Command, build_request, build_response
from scanning.idcard.layout import load_layouts
from scanning.idcard.reader import CardMonitor, SerialSamReader
from scanning.idcard.record import IdCardRecord

BAUD = 115200
FIXTURE = "resident_rare"


def _cycle_bytes() -> tuple[bytes, bytes]:
    """The requests and the answers of one find → select → read cycle."""
    card = load_fixture(FIXTURE)
    requests = b"".join(
        build_request(c) for c in (Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_PHOTO)
    )
    answers = (
        build_response(SW3_CARD_FOUND, bytes(4))
        + build_response(SW3_SUCCESS, bytes(8))
        + build_response(SW3_SUCCESS, card.read_data(load_layouts()))
    )
    return requests, answers


def raw_transfer_time(data: bytes, baudrate: int = BAUD) -> float:
    """Seconds to move ``data`` across a pty paced at ``baudrate``, read with a bare loop."""
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        received = 0
        started = time.perf_counter()
        writer = threading.Thread(target=paced_write, args=(master, data, baudrate))
        writer.start()
        while received < len(data):
            received += len(os.read(slave, 65536))
        elapsed = time.perf_counter() - started
        writer.join()
        return elapsed
    finally:
        os.close(master)
        os.close(slave)


def bench_read() -> list[Row]:
    """One read_card() (find, select, read, parse) with the card on the reader."""
    requests, answers = _cycle_bytes()
    with ReaderEmulator(FIXTURE, baudrate=BAUD) as emu, SerialSamReader(emu.port) as reader:
        value = median_time(lambda: reader.read_card(timeout=1.0), repeat=15)
    baseline = median_time(lambda: raw_transfer_time(answers), repeat=15)
    theory = (len(requests) + len(answers)) * 10 / BAUD
    return [
        Row(
            f"idcard: read_card, card on reader ({BAUD} Bd)",
            value,
            f"raw transfer of {len(answers)} answer bytes (line time incl. requests {theory * 1000:.0f} ms)",
            baseline,
            target="≤ 1.5 s",
            ok=value <= 1.5,
        )
    ]


def bench_placed_to_party(*, interval: float = 0.3, repeat: int = 7) -> list[Row]:
    """Card placed → :class:`forms.case.Party` built, through the polling monitor."""
    _, answers = _cycle_bytes()
    filled: queue.Queue[float] = queue.Queue()
    removed: queue.Queue[None] = queue.Queue()

    def on_placed(record: IdCardRecord) -> None:
        Party(role=PartyRole.RIGHT_HOLDER, **record.to_party_fields())
        filled.put(time.perf_counter())

    samples = []
    with ReaderEmulator(None, baudrate=BAUD) as emu, SerialSamReader(emu.port) as reader:
        monitor = CardMonitor(
            reader, on_placed=on_placed, on_removed=lambda: removed.put(None), interval=interval
        )
        with monitor:
            card = load_fixture(FIXTURE)
            for _ in range(repeat):
                placed = time.perf_counter()
                emu.place(card)
                samples.append(filled.get(timeout=5) - placed)
                emu.remove()
                removed.get(timeout=5)
    value = statistics.median(samples)
    baseline = median_time(lambda: raw_transfer_time(answers), repeat=15)
    return [
        Row(
            f"idcard: card placed → party filled (monitor every {interval:g} s, {BAUD} Bd)",
            value,
            f"raw transfer of {len(answers)} answer bytes",
            baseline,
            target="≤ 1.5 s",
            ok=value <= 1.5,
        )
    ]


def run() -> list[Row]:
    """All ID card rows."""
    return bench_read() + bench_placed_to_party()


if __name__ == "__main__":
    from benchmarks.table import render

    print(render(run()))
