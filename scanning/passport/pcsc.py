"""A thin, typed layer over pyscard's PC/SC bindings (``smartcard.scard``).

Context, readers, card state, connection, and the card monitor.

pcsc-lite on Linux, WinSCard on Windows. PC/SC return codes become :mod:`scanning.errors` exceptions
with Chinese messages; nothing here logs APDUs or responses (they carry personal data).

On Linux the client library finds pcscd through ``/run/pcscd/pcscd.comm``, or the socket named by the
``PCSCLITE_CSOCK_NAME`` environment variable, read once per process on the first PC/SC call (the
tests use this to talk to a private pcscd).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any, Final

from scanning.errors import ChipIOError, ChipRemoved, NoChip, NoReader, PassportError
from scanning.monitor import BackgroundMonitor

SCARD_E_TIMEOUT: Final = 0x8010000A
SCARD_E_NO_SMARTCARD: Final = 0x8010000C
SCARD_E_NO_SERVICE: Final = 0x8010001D
SCARD_E_SERVICE_STOPPED: Final = 0x8010001E
SCARD_E_NO_READERS_AVAILABLE: Final = 0x8010002E
SCARD_E_UNKNOWN_READER: Final = 0x80100009
SCARD_E_READER_UNAVAILABLE: Final = 0x80100017
SCARD_W_UNRESPONSIVE_CARD: Final = 0x80100066
SCARD_W_UNPOWERED_CARD: Final = 0x80100067
SCARD_W_RESET_CARD: Final = 0x80100068
SCARD_W_REMOVED_CARD: Final = 0x80100069

STATE_PRESENT: Final = 0x20
STATE_CHANGED: Final = 0x02

_NO_SERVICE: Final = frozenset({SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED})
_NO_CARD: Final = frozenset({SCARD_E_NO_SMARTCARD, SCARD_W_REMOVED_CARD, SCARD_W_RESET_CARD})

_SERVICE_DOWN: Final = (
    "智能卡服务未运行，无法使用护照读卡器：Linux 请启动 pcscd（Debian 软件包 pcscd），"
    "Windows 请启动“Smart Card”服务；然后重试"
)


def scard() -> ModuleType:
    """Import pyscard's ``smartcard.scard`` module.

    Raises:
        NoReader: pyscard is not installed (or its PC/SC library is missing).
    """
    try:
        from smartcard import scard as module  # type: ignore[import-untyped]
    except ImportError:
        raise NoReader(
            "未安装护照读卡组件 pyscard（Python 软件包 pyscard；Linux 另需 pcscd 和 libpcsclite），"
            "请联系系统管理员安装"
        ) from None
    return module  # type: ignore[no-any-return]


def _code(hresult: Any) -> int:
    return int(hresult) & 0xFFFFFFFF


class PcscContext:
    """An established PC/SC context.

    Raises:
        NoReader: pyscard missing or the PC/SC service unreachable.
    """

    def __init__(self) -> None:
        self._scard = scard()
        hresult, context = self._scard.SCardEstablishContext(self._scard.SCARD_SCOPE_USER)
        if _code(hresult) != 0:
            raise NoReader(_SERVICE_DOWN)
        self._context: Any = context

    def close(self) -> None:
        """Release the context (idempotent)."""
        if self._context is not None:
            self._scard.SCardReleaseContext(self._context)
            self._context = None

    def __enter__(self) -> PcscContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def readers(self) -> list[str]:
        """Names of the readers connected now (empty when none).

        Raises:
            NoReader: the service went away.
        """
        hresult, names = self._scard.SCardListReaders(self._context, [])
        code = _code(hresult)
        if code == SCARD_E_NO_READERS_AVAILABLE:
            return []
        if code in _NO_SERVICE:
            raise NoReader(_SERVICE_DOWN)
        if code != 0:
            raise NoReader(f"无法列出读卡器（PC/SC 错误 {code:08X}），请检查读卡器连接后重试")
        return [str(name) for name in names]

    def wait_status(self, states: dict[str, int], timeout: float) -> dict[str, tuple[int, bytes]] | None:
        """Wait until a reader's state differs from ``states`` (reader → last known event state).

        Args:
            states: the states the caller knows (0 = unaware: answered at once).
            timeout: seconds to wait.

        Returns:
            reader → (event state, ATR) after a change, or ``None`` on timeout.

        Raises:
            NoReader: the service went away or a reader vanished.
        """
        query = [(name, state & ~STATE_CHANGED) for name, state in states.items()]
        hresult, result = self._scard.SCardGetStatusChange(self._context, int(timeout * 1000), query)
        code = _code(hresult)
        if code == SCARD_E_TIMEOUT:
            return None
        if code in _NO_SERVICE:
            raise NoReader(_SERVICE_DOWN)
        if code != 0:
            raise NoReader(f"读卡器状态不可用（PC/SC 错误 {code:08X}），请检查读卡器连接后重试")
        return {str(name): (int(event), bytes(atr)) for name, event, atr in result}

    def card_present(self, reader: str) -> bool:
        """Whether a card is on ``reader`` now (``False`` if the reader is gone)."""
        try:
            status = self.wait_status({reader: 0}, 0)
        except NoReader:
            return False
        return status is not None and bool(status.get(reader, (0, b""))[0] & STATE_PRESENT)

    def card_left(self, reader: str, grace: float) -> bool:
        """After a failed exchange: whether the card has left ``reader``, waiting up to ``grace`` s.

        pcscd learns of a removal by polling the driver (every 0.4 s for readers without hot-plug
        events), so right after a failed transmit the reader may still report the card present.
        """
        try:
            status = self.wait_status({reader: 0}, 0)
            if status is None or not status.get(reader, (0, b""))[0] & STATE_PRESENT:
                return True
            status = self.wait_status({reader: status[reader][0]}, grace)
        except NoReader:
            return True
        return status is not None and not status.get(reader, (0, b""))[0] & STATE_PRESENT

    def connect(self, reader: str) -> PcscConnection:
        """Connect to the card on ``reader`` (shared, T=0 or T=1).

        Raises:
            NoChip: no card, or the card does not answer.
            NoReader: the reader or the service is gone.
        """
        s = self._scard
        hresult, card, protocol = s.SCardConnect(
            self._context, reader, s.SCARD_SHARE_SHARED, s.SCARD_PROTOCOL_T0 | s.SCARD_PROTOCOL_T1
        )
        code = _code(hresult)
        if code == 0:
            return PcscConnection(self, reader, card, int(protocol))
        if code in _NO_CARD:
            raise NoChip("读卡器上没有护照，请把护照资料页平放在读卡器上")
        if code in (SCARD_W_UNRESPONSIVE_CARD, SCARD_W_UNPOWERED_CARD):
            raise NoChip("读卡器上的卡片没有应答，请把护照资料页平放在读卡器中央再试")
        if code in _NO_SERVICE:
            raise NoReader(_SERVICE_DOWN)
        raise NoReader(f"无法连接读卡器“{reader}”（PC/SC 错误 {code:08X}），请检查读卡器连接后重试")


class PcscConnection:
    """A connection to the card on one reader; :meth:`transmit` is the APDU transport."""

    def __init__(self, context: PcscContext, reader: str, card: Any, protocol: int) -> None:
        self._context = context
        self.reader = reader
        self._card: Any = card
        self._protocol = protocol
        self.removal_grace = 1.5

    def transmit(self, apdu: bytes) -> bytes:
        """Send a command APDU, return the response APDU.

        Raises:
            ChipRemoved: the card left the reader.
            ChipIOError: any other transmission failure.
        """
        s = self._context._scard
        hresult, response = s.SCardTransmit(self._card, self._protocol, list(apdu))
        code = _code(hresult)
        if code == 0 and len(response) >= 2:
            return bytes(response)
        # A response without a status word also means the exchange failed (seen with vpcd when the
        # card goes away mid-command).
        if code in _NO_CARD or self._context.card_left(self.reader, self.removal_grace):
            raise ChipRemoved(
                "读取过程中护照被移开，读取未完成、结果未采用；请把护照放回读卡器并保持不动，再读一次"
            )
        raise ChipIOError(f"与护照芯片通信失败（PC/SC 错误 {code:08X}），请把护照放稳后重读")

    def close(self) -> None:
        """Disconnect, leaving the card powered (idempotent)."""
        if self._card is not None:
            s = self._context._scard
            s.SCardDisconnect(self._card, s.SCARD_LEAVE_CARD)
            self._card = None

    def __enter__(self) -> PcscConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pick_reader(names: list[str], wanted: str | None) -> str:
    """Choose a reader by name.

    ``wanted`` exactly, else the first reader whose name contains it; the first reader when
    ``wanted`` is ``None``.

    Raises:
        NoReader: no reader, or none matching.
    """
    if not names:
        raise NoReader("没有找到智能卡读卡器，请连接护照读卡器（非接触式 PC/SC 读卡器）后重试")
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    for name in names:
        if wanted.lower() in name.lower():
            return name
    raise NoReader(f"没有找到名为“{wanted}”的读卡器；已连接的读卡器：{'、'.join(names)}")


class CardMonitor(BackgroundMonitor):
    """Reports passports placed on and removed from PC/SC readers, on a background thread.

    pyscard's own ``CardMonitor`` is a process-wide singleton whose thread can be neither stopped nor
    restarted and ends for good when pcscd restarts; this monitor waits on ``SCardGetStatusChange``
    itself with a short timeout, so :meth:`stop` is prompt and a restarted service is picked up again.
    The callbacks run on the monitor thread (the app re-emits them as Qt signals).

    Args:
        on_placed: called with the reader name when a card arrives (also for a card already there
            when monitoring starts).
        on_removed: called with the reader name when that card leaves (or its reader or the service
            goes away).
        on_error: called with service errors (each distinct message once until it recovers).
        reader_name: watch only readers whose name contains this; all readers when ``None``.
        interval: seconds per wait, the longest :meth:`stop` takes.
    """

    def __init__(
        self,
        *,
        on_placed: Callable[[str], None],
        on_removed: Callable[[str], None],
        on_error: Callable[[PassportError], None] | None = None,
        reader_name: str | None = None,
        interval: float = 0.25,
    ) -> None:
        super().__init__("passport-monitor")
        self.on_placed = on_placed
        self.on_removed = on_removed
        self.on_error = on_error
        self.reader_name = reader_name
        self.interval = interval

    def _watched(self, names: list[str]) -> list[str]:
        if self.reader_name is None:
            return names
        return [n for n in names if self.reader_name.lower() in n.lower()]

    def _run(self) -> None:
        present: set[str] = set()
        states: dict[str, int] = {}
        context: PcscContext | None = None
        last_error = ""
        while not self._stop.is_set():
            try:
                if context is None:
                    context = PcscContext()
                names = self._watched(context.readers())
                for gone in present - set(names):
                    present.discard(gone)
                    self._call(self.on_removed, gone)
                states = {name: states.get(name, 0) for name in names}
                if not names:
                    self._stop.wait(self.interval)
                    continue
                result = context.wait_status(states, self.interval)
                last_error = ""
                if result is None:
                    continue
                for name, (event, _atr) in result.items():
                    states[name] = event
                    if event & STATE_PRESENT and name not in present:
                        present.add(name)
                        self._call(self.on_placed, name)
                    elif not event & STATE_PRESENT and name in present:
                        present.discard(name)
                        self._call(self.on_removed, name)
            except PassportError as exc:
                if context is not None:
                    context.close()
                    context = None
                for gone in sorted(present):
                    self._call(self.on_removed, gone)
                present.clear()
                states.clear()
                if str(exc) != last_error:
                    last_error = str(exc)
                    self._call(self.on_error, exc)
                self._stop.wait(min(1.0, self.interval * 4))
        if context is not None:
            context.close()
