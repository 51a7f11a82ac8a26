"""A GA 467 SAM-protocol ID card reader on a pseudo-terminal, for tests and the demo.

The emulator opens a pty (``os.openpty()``), answers request frames on a background thread exactly as
the driver expects a reader to (idcard-reader.md §1–§4), and serves cards from the JSON fixtures in
``scanning/idcard/fixtures/`` — synthetic people with valid numbers. The driver talks to it through
pyserial like to a real port, so tests exercise the real serial code path.

Faults can be injected: wrong checksum, malformed frame, truncated answer with the card removed
part-way through a read, read or select failure, an unknown status, silence. Transmission can be paced
at a baud rate (10 bit times per byte) so timings match a real line.

Run ``python -m scanning.idcard.emulator --fixture resident`` to get a port path for the demo or
``--simulate-devices``; the fixtures' photos are random bytes, not real WLT images.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import select
import signal
import sys
import threading
import time
import tty
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Final

from scanning.errors import ProtocolError
from scanning.idcard.codes import (
    SW3_BAD_CHECKSUM,
    SW3_CARD_FOUND,
    SW3_NO_CARD,
    SW3_READ_FAILED,
    SW3_SELECT_FAILED,
    SW3_SUCCESS,
)
from scanning.idcard.frame import MAX_LEN, PREAMBLE, Command, build_response, parse_request
from scanning.idcard.layout import CardType, LayoutTable, load_layouts
from scanning.idcard.record import PHOTO_SIZE, encode_text_block

FIXTURES_DIR: Final = Path(__file__).with_name("fixtures")
SW3_UNKNOWN_COMMAND: Final = 0x21


class Fault(StrEnum):
    """Faults the emulator can inject into one answer."""

    BAD_CHECKSUM = "bad_checksum"  # the answer's CHK byte is wrong
    MALFORMED = "malformed"  # the answer's preamble is wrong
    BAD_LENGTH = "bad_length"  # the answer's LEN is impossible (0x0000)
    INCONSISTENT = "inconsistent"  # a read answer whose inner text/photo lengths do not add up
    REMOVE_MID_READ = "remove_mid_read"  # the read answer stops part-way and the card leaves
    READ_FAILED = "read_failed"  # the read answer is SW3 0x41
    SELECT_FAILED = "select_failed"  # the select answer is SW3 0x81
    UNKNOWN_STATUS = "unknown_status"  # the answer is SW3 0x33 (a status the driver shows by code)
    SILENT = "silent"  # no answer at all


_DEFAULT_TARGET: Final = {
    Fault.REMOVE_MID_READ: Command.READ_TEXT_PHOTO,
    Fault.READ_FAILED: Command.READ_TEXT_PHOTO,
    Fault.INCONSISTENT: Command.READ_TEXT_PHOTO,
    Fault.SELECT_FAILED: Command.SELECT_CARD,
}


@dataclass(frozen=True)
class EmulatedCard:
    """A card the emulator serves.

    Attributes:
        name: the fixture name.
        card_type: the card type (chooses layout and flag).
        fields: field name → text, as stored on the chip.
        photo: the 1024 photo bytes (random, not a real WLT image).
        description: what the fixture stands for.
    """

    name: str
    card_type: CardType
    fields: dict[str, str]
    photo: bytes = field(repr=False)
    description: str = ""

    def read_data(self, layouts: LayoutTable) -> bytes:
        """The data part of the read answer (§4): lengths, text block, photo."""
        text = encode_text_block(self.card_type, self.fields, layouts=layouts)
        return len(text).to_bytes(2, "big") + len(self.photo).to_bytes(2, "big") + text + self.photo


def fixture_names() -> list[str]:
    """Names of the shipped card fixtures."""
    return sorted(p.stem for p in FIXTURES_DIR.glob("*.json"))


def load_fixture(name: str) -> EmulatedCard:
    """Load a card fixture by name (``resident``, ``resident_rare``, ``hk_permit`` …).

    Raises:
        ValueError: no such fixture.
    """
    path = FIXTURES_DIR / f"{name}.json"
    if not path.is_file():
        raise ValueError(f"没有名为 {name} 的读卡器样例证件；可用：{'、'.join(fixture_names())}")
    data = json.loads(path.read_text(encoding="utf-8"))
    photo = b"".join(hashlib.sha256(f"{name}:{i}".encode()).digest() for i in range(PHOTO_SIZE // 32))
    return EmulatedCard(
        name=name,
        card_type=CardType(data["card_type"]),
        fields=dict(data["fields"]),
        photo=photo,
        description=str(data.get("description", "")),
    )


class ReaderEmulator:
    """A SAM-protocol reader answering on a pseudo-terminal.

    Args:
        card: the card lying on the reader at start (a fixture name or a card), or ``None``.
        baudrate: pace answers at this speed (10 bit times per byte); ``None`` sends at once.
        read_delay: seconds the "SAM" takes before answering a read (real readers: most of a second).
        layouts: the layout table used to lay out text blocks.
    """

    def __init__(
        self,
        card: EmulatedCard | str | None = None,
        *,
        baudrate: int | None = None,
        read_delay: float = 0.0,
        layouts: LayoutTable | None = None,
    ) -> None:
        self.baudrate = baudrate
        self.read_delay = read_delay
        self.layouts = layouts or load_layouts()
        self._card = load_fixture(card) if isinstance(card, str) else card
        self._selected = False
        self._faults: list[tuple[Fault, Command | None]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._master = -1
        self._slave = -1
        self._port = ""
        self.requests: list[Command | None] = []
        """Commands received, in order (``None`` for an unknown command or a bad frame)."""
        self.bytes_sent = 0
        """Bytes of answers written so far."""

    # ------------------------------------------------------------------ lifecycle
    @property
    def port(self) -> str:
        """The pty path to open as a serial port (after :meth:`start`)."""
        return self._port

    def start(self) -> str:
        """Open the pty and start answering; returns the port path."""
        if self._thread is not None:
            return self._port
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line discipline: bytes pass unchanged
        self._port = os.ttyname(self._slave)
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="idcard-emulator", daemon=True)
        self._thread.start()
        return self._port

    def stop(self) -> None:
        """Stop answering and close the pty."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1

    def __enter__(self) -> ReaderEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ scenario
    @property
    def card(self) -> EmulatedCard | None:
        """The card on the reader, if any."""
        return self._card

    def place(self, card: EmulatedCard | str) -> None:
        """Put a card (or fixture name) on the reader."""
        loaded = load_fixture(card) if isinstance(card, str) else card
        with self._lock:
            self._card = loaded
            self._selected = False

    def remove(self) -> None:
        """Take the card off the reader."""
        with self._lock:
            self._card = None
            self._selected = False

    def inject(self, fault: Fault, command: Command | None = None) -> None:
        """Apply ``fault`` to the next answer to ``command``.

        By default the fault's natural command (read or select), or any command for frame-level faults.
        Faults queue in order.
        """
        with self._lock:
            self._faults.append((fault, command or _DEFAULT_TARGET.get(fault)))

    # ------------------------------------------------------------------ serving
    def _serve(self) -> None:
        buffer = bytearray()
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._master], [], [], 0.05)
                if not ready:
                    continue
                buffer += os.read(self._master, 4096)
            except OSError:  # the pty was closed under us
                return
            self._handle(buffer)

    def _handle(self, buffer: bytearray) -> None:
        while buffer:
            start = buffer.find(PREAMBLE)
            if start < 0:
                del buffer[: max(0, len(buffer) - len(PREAMBLE) + 1)]
                return
            del buffer[:start]
            if len(buffer) < len(PREAMBLE) + 2:
                return
            length = int.from_bytes(buffer[len(PREAMBLE) : len(PREAMBLE) + 2], "big")
            if length < 3 or length > MAX_LEN:
                del buffer[: len(PREAMBLE)]
                continue
            total = len(PREAMBLE) + 2 + length
            if len(buffer) < total:
                return
            frame = bytes(buffer[:total])
            del buffer[:total]
            try:
                request = parse_request(frame)
            except ProtocolError:
                self.requests.append(None)
                self._send(build_response(SW3_BAD_CHECKSUM))
                continue
            command = request.command
            self.requests.append(command)
            self._answer(command)

    def _take_fault(self, command: Command | None) -> Fault | None:
        with self._lock:
            for index, (fault, target) in enumerate(self._faults):
                if target is None or target == command:
                    del self._faults[index]
                    return fault
        return None

    def _answer(self, command: Command | None) -> None:
        fault = self._take_fault(command)
        if fault is Fault.SILENT:
            return
        with self._lock:
            card = self._card
            if command is Command.FIND_CARD:
                answer = build_response(SW3_CARD_FOUND, bytes(4)) if card else build_response(SW3_NO_CARD)
            elif command is Command.SELECT_CARD:
                self._selected = card is not None and fault is not Fault.SELECT_FAILED
                answer = (
                    build_response(SW3_SUCCESS, bytes(8))
                    if self._selected
                    else build_response(SW3_SELECT_FAILED)
                )
            elif command is Command.READ_TEXT_PHOTO:
                if card is None or not self._selected or fault is Fault.READ_FAILED:
                    answer = build_response(SW3_READ_FAILED)
                else:
                    data = card.read_data(self.layouts)
                    if fault is Fault.INCONSISTENT:
                        data = data[:-16]
                    answer = build_response(SW3_SUCCESS, data)
            elif command in (Command.SAM_STATUS, Command.RESET_SAM):
                answer = build_response(SW3_SUCCESS)
            elif command is Command.READ_SAM_ID:
                answer = build_response(SW3_SUCCESS, bytes.fromhex("0502") + bytes(14))
            else:  # unknown, and 30 10 whose layout is unconfirmed (Q2)
                answer = build_response(SW3_UNKNOWN_COMMAND)
        if command is Command.READ_TEXT_PHOTO and self.read_delay:
            time.sleep(self.read_delay)
        if fault is Fault.REMOVE_MID_READ:
            self._send(answer[: len(answer) * 2 // 5])
            self.remove()
            return
        if fault is Fault.UNKNOWN_STATUS:
            answer = build_response(0x33)
        elif fault is Fault.BAD_CHECKSUM:
            answer = answer[:-1] + bytes([answer[-1] ^ 0xFF])
        elif fault is Fault.MALFORMED:
            answer = b"\xaa\xaa\x55\x96\x69" + answer[len(PREAMBLE) :]
        elif fault is Fault.BAD_LENGTH:
            answer = PREAMBLE + b"\x00\x00" + answer[len(PREAMBLE) + 2 :]
        self._send(answer)

    def _send(self, data: bytes) -> None:
        self.bytes_sent += paced_write(self._master, data, self.baudrate)


def paced_write(fd: int, data: bytes, baudrate: int | None) -> int:
    """Write ``data`` to ``fd`` at ``baudrate`` (10 bit times per byte, 8N1), or at once for ``None``.

    Writes in chunks of about 2 ms against an absolute clock, so the total matches the line time.

    Returns:
        The number of bytes written (fewer when the other side went away).
    """
    if not baudrate:
        return _write_all(fd, data)
    chunk = max(1, baudrate // 10 // 500)
    start = time.perf_counter()
    written = 0
    for offset in range(0, len(data), chunk):
        delay = start + offset * 10 / baudrate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        written += _write_all(fd, data[offset : offset + chunk])
    remaining = start + len(data) * 10 / baudrate - time.perf_counter()
    if remaining > 0:
        time.sleep(remaining)
    return written


def _write_all(fd: int, data: bytes) -> int:
    view = memoryview(data)
    written = 0
    while view:
        try:
            count = os.write(fd, view)
        except OSError:
            return written
        view = view[count:]
        written += count
    return written


# ----------------------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """Run an emulated reader until interrupted; prints the port path on the first line."""
    parser = argparse.ArgumentParser(
        prog="python -m scanning.idcard.emulator",
        description="模拟身份证读卡器（GA 467 SAM 串口协议，伪终端）",
    )
    parser.add_argument(
        "--fixture", default="resident", help=f"放在读卡器上的样例证件：{', '.join(fixture_names())}"
    )
    parser.add_argument("--absent", action="store_true", help="启动时读卡器上没有证件")
    parser.add_argument("--baud", type=int, default=115200, help="按此波特率发送应答（0 表示不限速）")
    parser.add_argument("--read-delay", type=float, default=0.0, help="读卡命令的应答前延迟（秒）")
    parser.add_argument("--cycle", type=float, default=0.0, help="每隔这么多秒交替放上、拿开证件（演示用）")
    parser.add_argument("--list", action="store_true", help="列出样例证件后退出")
    args = parser.parse_args(argv)
    if args.list:
        for name in fixture_names():
            print(f"{name}\t{load_fixture(name).description}")
        return 0
    try:
        card = load_fixture(args.fixture)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    emulator = ReaderEmulator(
        None if args.absent else card, baudrate=args.baud or None, read_delay=args.read_delay
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with emulator:
        print(emulator.port, flush=True)
        try:
            while not stop.wait(args.cycle or 3600):
                if args.cycle:
                    if emulator.card is None:
                        emulator.place(card)
                    else:
                        emulator.remove()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
