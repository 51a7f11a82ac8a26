"""ID card readers: the :class:`IdCardReader` protocol, the serial SAM backend, a monitor and the factory.

A read cycle is find → select → read, repeating find while no card is present (idcard-reader.md §2).
Every failure is a typed :mod:`scanning.errors` exception; a record is returned only when the whole
answer arrived, its checksum matched and every field parsed, so a party is never half filled.

Threads: a :class:`SerialSamReader` serialises its exchanges with a lock, so a :class:`CardMonitor`
thread and a "read now" button can share one reader. The monitor's callbacks run on its own thread;
the workstation re-emits them as Qt signals.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Final, Protocol, runtime_checkable

from scanning.errors import (
    CardRemoved,
    CardStatusError,
    IdCardError,
    NoCard,
    ProtocolError,
    ReaderIOError,
    ReaderNotFound,
    ReaderStatusError,
    ReaderTimeout,
    ReadFailed,
    SelectFailed,
    TruncatedFrame,
)
from scanning.idcard.codes import (
    SW3_CARD_FOUND,
    SW3_NO_CARD,
    SW3_READ_FAILED,
    SW3_SELECT_FAILED,
    SW3_SUCCESS,
    describe_status,
)
from scanning.idcard.frame import HEADER_SIZE, Command, Response, build_request, frame_length, parse_response
from scanning.idcard.layout import LayoutTable, load_layouts
from scanning.idcard.record import IdCardRecord, parse_read_response
from scanning.monitor import BackgroundMonitor

log = logging.getLogger(__name__)

DEFAULT_BAUDRATE: Final = 115200
"""GA 467 readers' usual serial speed."""

_READ_SLICE: Final = 0.02
"""pyserial read timeout: how often the frame reader looks at its own deadlines."""


class SerialPort(Protocol):
    """The part of :class:`serial.Serial` the reader uses (so tests can pass any stream)."""

    def write(self, data: bytes, /) -> int | None:
        """Write bytes."""

    def read(self, size: int = 1, /) -> bytes:
        """Read up to ``size`` bytes, returning early at the port's timeout."""

    def reset_input_buffer(self) -> None:
        """Discard received bytes not yet read."""

    def close(self) -> None:
        """Close the port."""


@runtime_checkable
class IdCardReader(Protocol):
    """An ID card reader backend."""

    @property
    def description(self) -> str:
        """Where the reader is (e.g. ``"串口 /dev/ttyUSB0"``), for status lines."""

    def card_present(self) -> bool:
        """One find-card attempt: whether a card is on the reader."""

    def wait_for_card(self, timeout: float) -> bool:
        """Poll until a card is present or ``timeout`` seconds pass; whether one is present."""

    def read_present_card(self) -> IdCardRecord:
        """Select and read the card just found."""

    def read_card(self, timeout: float = 5.0) -> IdCardRecord:
        """Wait up to ``timeout`` seconds for a card, then read it.

        Raises:
            NoCard: no card within ``timeout``.
        """

    def close(self) -> None:
        """Release the device."""


def status_error(sw3: int, command: Command) -> CardStatusError:
    """The typed error for a failure status byte after ``command``."""
    message = describe_status(sw3)
    if sw3 == SW3_NO_CARD:
        return NoCard("读卡器上没有证件，请把证件平放在读卡器感应区上后再读", sw3)
    if sw3 == SW3_SELECT_FAILED:
        return SelectFailed(message, sw3)
    if sw3 == SW3_READ_FAILED:
        return ReadFailed(message, sw3)
    return ReaderStatusError(f"{message}（命令 {command.cmd:02X} {command.para:02X}）", sw3)


class SerialSamReader:
    """A GA 467 SAM reader on a serial port (or USB-serial adapter).

    Args:
        port: a port name (``COM3``, ``/dev/ttyUSB0``) opened with pyserial, or an open port object.
        baudrate: serial speed (115200 for most readers).
        layouts: the text-block layout table; the shipped one by default.
        command_timeout: seconds to wait for the answer to find, select and status commands.
        read_timeout: seconds to wait for the start of the read answer (the SAM authenticates the card
            first, which takes most of a second on real readers).
        inter_byte_timeout: a frame that stops for this long part-way is truncated.
        poll_interval: seconds between find-card attempts while waiting for a card.
    """

    def __init__(
        self,
        port: str | SerialPort,
        *,
        baudrate: int = DEFAULT_BAUDRATE,
        layouts: LayoutTable | None = None,
        command_timeout: float = 1.0,
        read_timeout: float = 3.0,
        inter_byte_timeout: float = 0.2,
        poll_interval: float = 0.1,
    ) -> None:
        if isinstance(port, str):
            self._port: SerialPort = _open_serial(port, baudrate)
            self._name = port
        else:
            self._port = port
            self._name = str(getattr(port, "port", None) or getattr(port, "name", "?"))
        self.baudrate = baudrate
        self.layouts = layouts or load_layouts()
        self.command_timeout = command_timeout
        self.read_timeout = read_timeout
        self.inter_byte_timeout = inter_byte_timeout
        self.poll_interval = poll_interval
        self._lock = threading.RLock()
        self._closed = False

    # ------------------------------------------------------------------ lifecycle
    @property
    def description(self) -> str:
        """``串口 <name>``."""
        return f"串口 {self._name}"

    @property
    def port_name(self) -> str:
        """The port's name."""
        return self._name

    def close(self) -> None:
        """Close the port (idempotent)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                try:
                    self._port.close()
                except OSError:  # closing a port whose device vanished
                    log.debug("closing the ID card reader port failed", exc_info=True)

    def __enter__(self) -> SerialSamReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ frames
    def _read_frame(self, timeout: float) -> bytes:
        buffer = bytearray()
        deadline = time.monotonic() + timeout
        last_byte = 0.0
        total = HEADER_SIZE
        while len(buffer) < total:
            chunk = self._port.read(total - len(buffer))
            now = time.monotonic()
            if chunk:
                buffer += chunk
                last_byte = now
                if len(buffer) == HEADER_SIZE and total == HEADER_SIZE:
                    total = frame_length(bytes(buffer))
                continue
            if not buffer and now >= deadline:
                raise ReaderTimeout(
                    f"读卡器（{self.description}）在 {timeout:g} 秒内没有应答，"
                    "请确认读卡器已接好、已通电，并且串口和波特率设置正确"
                )
            if buffer and now - last_byte >= self.inter_byte_timeout:
                raise TruncatedFrame(
                    f"读卡器的应答中断（收到 {len(buffer)} 字节，应为 {total} 字节），请把证件放稳后重读"
                )
        return bytes(buffer)

    def exchange(self, command: Command, *, timeout: float | None = None) -> Response:
        """Send one command and return the checked answer (any status).

        Raises:
            ReaderTimeout: no answer.
            ProtocolError: a malformed, truncated or corrupted answer.
            ReaderIOError: the port failed.
        """
        with self._lock:
            if self._closed:
                raise ReaderIOError("读卡器已关闭，请重新连接读卡器")
            try:
                self._port.reset_input_buffer()
                self._port.write(build_request(command))
                frame = self._read_frame(self.command_timeout if timeout is None else timeout)
            except ProtocolError:
                self._discard_rest()
                raise
            except OSError as exc:  # pyserial's SerialException is an OSError
                raise ReaderIOError(
                    f"与读卡器（{self.description}）的连接中断，请检查数据线后重新连接读卡器"
                ) from exc
            return parse_response(frame)

    def _discard_rest(self) -> None:
        # After a bad frame, drop whatever else is in flight so the next command starts clean.
        try:
            time.sleep(0.01)
            self._port.reset_input_buffer()
        except OSError:
            log.debug("could not flush the reader's input", exc_info=True)

    # ------------------------------------------------------------------ commands
    def sam_status(self) -> None:
        """Ask the SAM for its status (11 FF); returns when it reports success.

        Raises:
            CardStatusError: the SAM reported a failure.
        """
        response = self.exchange(Command.SAM_STATUS)
        if response.sw3 != SW3_SUCCESS:
            raise status_error(response.sw3, Command.SAM_STATUS)

    def card_present(self) -> bool:
        """One find-card command (20 01): ``True`` for 0x9F, ``False`` for 0x80."""
        response = self.exchange(Command.FIND_CARD)
        if response.sw3 == SW3_CARD_FOUND:
            return True
        if response.sw3 == SW3_NO_CARD:
            return False
        raise status_error(response.sw3, Command.FIND_CARD)

    def wait_for_card(self, timeout: float) -> bool:
        """Repeat find card every ``poll_interval`` until a card is present or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        while True:
            if self.card_present():
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(self.poll_interval, remaining))

    def select_card(self) -> None:
        """Select card (20 02).

        Raises:
            SelectFailed, CardStatusError: the reader reported a failure.
        """
        response = self.exchange(Command.SELECT_CARD)
        if response.sw3 != SW3_SUCCESS:
            raise status_error(response.sw3, Command.SELECT_CARD)

    def read_text_photo(self) -> IdCardRecord:
        """Read text and photo (30 01) of the selected card.

        Raises:
            CardRemoved: the answer stopped part-way (the card left the reader).
            ReadFailed, CardStatusError: the reader reported a failure.
            ProtocolError: a malformed or corrupted answer.
            CardDataError: the text block cannot be understood.
        """
        try:
            response = self.exchange(Command.READ_TEXT_PHOTO, timeout=self.read_timeout)
        except TruncatedFrame as exc:
            raise CardRemoved(
                "读卡时证件被移开，数据不完整，已全部丢弃；请把证件平放在感应区上，读完前不要移动，再读一次",
                SW3_READ_FAILED,
            ) from exc
        if response.sw3 != SW3_SUCCESS:
            raise status_error(response.sw3, Command.READ_TEXT_PHOTO)
        return parse_read_response(response.data, layouts=self.layouts)

    def read_present_card(self) -> IdCardRecord:
        """Select and read the card that find card just reported."""
        with self._lock:
            self.select_card()
            return self.read_text_photo()

    def read_card(self, timeout: float = 5.0) -> IdCardRecord:
        """Wait up to ``timeout`` seconds for a card, select it and read it.

        Raises:
            NoCard: no card within ``timeout``.
            IdCardError: any other failure (see :meth:`read_text_photo`).
        """
        with self._lock:
            if not self.wait_for_card(timeout):
                raise NoCard("读卡器上没有证件，请把证件平放在读卡器感应区上后再读", SW3_NO_CARD)
            return self.read_present_card()


# ----------------------------------------------------------------------------------------- monitor


class CardMonitor(BackgroundMonitor):
    """Polls a reader on a background thread and reports cards placed and removed.

    ``on_placed`` receives the complete record of each newly placed card; ``on_removed`` is called when
    a card reported by ``on_placed`` leaves the reader; ``on_error`` receives any failed read (the card
    is then not read again until it is lifted and placed again) and reader faults (polling slows down
    while the reader is unreachable). Callbacks run on the monitor's thread.

    Note: the emulator keeps answering "card found" while a card lies on it; real readers that halt a
    card after reading it answer "no card" instead, and then report removal right after the read
    (unverified, see README).

    Args:
        reader: the reader to poll.
        on_placed: called with the record of a newly placed card.
        on_removed: called when that card is removed.
        on_error: called with read failures and reader faults.
        interval: seconds between polls.
    """

    def __init__(
        self,
        reader: IdCardReader,
        *,
        on_placed: Callable[[IdCardRecord], None],
        on_removed: Callable[[], None],
        on_error: Callable[[IdCardError], None] | None = None,
        interval: float = 0.3,
    ) -> None:
        super().__init__("idcard-monitor")
        self.reader = reader
        self.on_placed = on_placed
        self.on_removed = on_removed
        self.on_error = on_error
        self.interval = interval

    def _run(self) -> None:
        state = "absent"  # absent | placed (reported) | failed (read failed, waiting for removal)
        backoff = self.interval
        while not self._stop.is_set():
            try:
                found = self.reader.card_present()
                backoff = self.interval
                if found and state == "absent":
                    try:
                        record = self.reader.read_present_card()
                    except (ReaderIOError, ReaderTimeout):
                        raise
                    except IdCardError as exc:
                        state = "failed"
                        self._call(self.on_error, exc)
                    else:
                        state = "placed"
                        self._call(self.on_placed, record)
                elif not found:
                    if state == "placed":
                        self._call(self.on_removed)
                    state = "absent"
            except (ReaderIOError, ReaderTimeout) as exc:
                self._call(self.on_error, exc)
                backoff = min(max(backoff * 2, self.interval), 2.0)
            except IdCardError as exc:
                self._call(self.on_error, exc)
            self._stop.wait(backoff)


# ----------------------------------------------------------------------------------------- factory


def _install_hint() -> str:
    return "缺少串口支持库 pyserial，请让系统管理员安装（pip install pyserial）后重试"


def _open_serial(port: str, baudrate: int) -> SerialPort:
    try:
        import serial
    except ImportError as exc:
        raise ReaderNotFound(_install_hint()) from exc
    try:
        return serial.Serial(port, baudrate=baudrate, timeout=_READ_SLICE, write_timeout=1.0)
    except (OSError, ValueError) as exc:  # SerialException is an OSError
        raise ReaderNotFound(_open_failure_message(port, exc)) from exc


def _open_failure_message(port: str, exc: BaseException) -> str:
    errno = getattr(exc, "errno", None)
    text = str(exc)
    if errno == 13 or "PermissionError" in text or "Access is denied" in text or "拒绝访问" in text:
        if sys.platform.startswith("linux"):
            return (
                f"没有权限打开串口 {port}：请让系统管理员把当前用户加入 dialout 组"
                "（sudo usermod -aG dialout 用户名），重新登录后再试"
            )
        return f"无法打开串口 {port}：它可能正被其他程序（如读卡器厂商的测试工具）占用，请关闭那个程序后再试"
    if errno == 2 or "FileNotFoundError" in text or "could not find" in text.lower():
        return f"找不到串口 {port}：请确认读卡器已插好，并在设置中选择正确的串口（例如 COM3 或 /dev/ttyUSB0）"
    return f"无法打开串口 {port}，请确认读卡器已插好并在设置中选择正确的串口"


def candidate_ports() -> list[str]:
    """Serial ports that may hold an ID card reader, likeliest first (USB-serial adapters before others).

    Raises:
        ReaderNotFound: pyserial is not installed.
    """
    try:
        from serial.tools import list_ports
    except ImportError as exc:
        raise ReaderNotFound(_install_hint()) from exc
    devices = [info.device for info in list_ports.comports()]
    return sorted(devices, key=_port_rank)


def _port_rank(device: str) -> tuple[int, str]:
    if sys.platform.startswith("linux"):
        preferred: tuple[str, ...] = ("/dev/ttyUSB", "/dev/ttyACM")
    elif sys.platform == "darwin":
        preferred = ("/dev/cu.usbserial", "/dev/cu.wchusbserial", "/dev/cu.SLAB", "/dev/cu.")
    else:
        preferred = ()
    for rank, prefix in enumerate(preferred):
        if device.startswith(prefix):
            return rank, device
    return len(preferred), device


def _not_found_advice() -> str:
    if sys.platform == "win32":
        return (
            "请确认读卡器已插好、设备管理器的“端口(COM 和 LPT)”中能看到它（看不到请安装读卡器厂商提供的"
            "USB 转串口驱动，如 CH340、CP210x 或 PL2303），然后在设置中填写该 COM 口"
        )
    if sys.platform.startswith("linux"):
        return (
            "请确认读卡器已插好（运行 ls /dev/ttyUSB* /dev/ttyACM* 应能看到它），当前用户属于 dialout 组，"
            "然后在设置中填写串口"
        )
    return "请确认读卡器已插好并安装了 USB 转串口驱动，然后在设置中填写串口"


def open_reader(
    port: str | None = None,
    *,
    baudrate: int = DEFAULT_BAUDRATE,
    candidates: Iterable[str] | None = None,
    probe_timeout: float = 0.5,
    **options: Any,
) -> SerialSamReader:
    """Open the ID card reader on ``port``, or find it among the serial ports.

    The reader must answer the SAM status command (11 FF) to be accepted. Readers in USB HID mode (no
    serial port) are not supported: switch them to serial mode or use the vendor's SDK.

    Args:
        port: the port, or ``None`` to scan :func:`candidate_ports`.
        baudrate: serial speed.
        candidates: ports to scan instead of :func:`candidate_ports` (when ``port`` is ``None``).
        probe_timeout: seconds each port has to answer the status command.
        **options: passed to :class:`SerialSamReader` (timeouts, layouts).

    Raises:
        ReaderNotFound: no reader; the message says what to install or check.
    """
    ports = [port] if port is not None else list(candidates if candidates is not None else candidate_ports())
    if not ports:
        raise ReaderNotFound(f"没有找到任何串口，因此找不到身份证读卡器。{_not_found_advice()}")
    last_error: IdCardError | None = None
    for name in ports:
        try:
            reader = SerialSamReader(name, baudrate=baudrate, **options)
        except ReaderNotFound as exc:
            last_error = exc
            continue
        command_timeout = reader.command_timeout
        try:
            reader.command_timeout = probe_timeout
            reader.sam_status()
        except IdCardError as exc:
            reader.close()
            last_error = exc
            continue
        reader.command_timeout = command_timeout
        return reader
    if port is not None:
        if isinstance(last_error, ReaderNotFound):
            raise last_error
        raise ReaderNotFound(
            f"串口 {port} 已打开，但没有身份证读卡器应答（{last_error}）。请确认选对了串口、读卡器已通电，"
            f"波特率为 {baudrate}"
        ) from last_error
    raise ReaderNotFound(
        f"在 {len(ports)} 个串口（{'、'.join(ports)}）上都没有找到身份证读卡器。{_not_found_advice()}"
    ) from last_error
