"""GA 467 SAM frames: building, checking and splitting requests and responses.

Layout (idcard-reader.md §1 [S])::

    request   AA AA AA 96 69 · LEN(2, big-endian) · CMD · PARA · [data] · CHK
    response  AA AA AA 96 69 · LEN(2, big-endian) · SW1 SW2 SW3 · [data] · CHK

LEN counts every byte after itself up to and including CHK; CHK is the XOR of every byte from the
first LEN byte to the last data byte (the preamble is excluded). Worked check (§1): find card is
``AA AA AA 96 69 00 03 20 01 22``.

This module is pure: no I/O, so the reader, the emulator and the tests share one implementation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import reduce

from scanning.errors import ChecksumError, FrameError, TruncatedFrame

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
"""The five bytes every frame starts with (§1)."""

HEADER_SIZE = len(PREAMBLE) + 2
"""Preamble plus the two LEN bytes."""

MAX_LEN = 4096
"""Largest LEN accepted. The largest documented answer is text + photo + fingerprint (30 10):
3 + 6 + 256 + 1024 + 1024 + 1 = 2314 bytes (§4, [M]); anything far beyond it is line noise."""


class Command(Enum):
    """SAM commands as (CMD, PARA) pairs (idcard-reader.md §2)."""

    RESET_SAM = (0x10, 0xFF)  # [M]: one driver uses 01 FF (Q2)
    SAM_STATUS = (0x11, 0xFF)  # [S]
    READ_SAM_ID = (0x12, 0xFF)  # [S]
    FIND_CARD = (0x20, 0x01)  # [S]
    SELECT_CARD = (0x20, 0x02)  # [S]
    READ_TEXT_PHOTO = (0x30, 0x01)  # [S]
    READ_TEXT_PHOTO_FINGERPRINT = (0x30, 0x10)  # [M] response layout unconfirmed (Q2)

    @property
    def cmd(self) -> int:
        """The CMD byte."""
        return self.value[0]

    @property
    def para(self) -> int:
        """The PARA byte."""
        return self.value[1]


@dataclass(frozen=True)
class Request:
    """A request frame's content.

    Attributes:
        cmd: the CMD byte.
        para: the PARA byte.
        data: bytes between PARA and CHK (none for the documented commands).
    """

    cmd: int
    para: int
    data: bytes = b""

    @property
    def command(self) -> Command | None:
        """The known command, or ``None`` for an unknown (CMD, PARA) pair."""
        try:
            return Command((self.cmd, self.para))
        except ValueError:
            return None


@dataclass(frozen=True)
class Response:
    """A response frame's content.

    Attributes:
        sw1: first status byte (``00`` in every documented answer; its meaning is open, Q2).
        sw2: second status byte (as ``sw1``).
        sw3: the status byte that carries the result (§3).
        data: bytes between SW3 and CHK.
    """

    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""


def checksum(body: bytes) -> int:
    """XOR of ``body`` (the bytes from the first LEN byte to the last data byte)."""
    return reduce(lambda acc, byte: acc ^ byte, body, 0)


def _frame(payload: bytes) -> bytes:
    length = len(payload) + 1
    if length > 0xFFFF:
        raise ValueError(f"frame payload too long: {len(payload)} bytes")
    body = length.to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def build_request(command: Command | tuple[int, int], data: bytes = b"") -> bytes:
    """The full request frame for a command.

    Args:
        command: a :class:`Command` or a raw (CMD, PARA) pair.
        data: optional data bytes after PARA.

    Returns:
        Preamble, LEN, CMD, PARA, data and CHK.
    """
    cmd, para = command.value if isinstance(command, Command) else command
    return _frame(bytes([cmd, para]) + data)


def build_response(sw3: int, data: bytes = b"", *, sw1: int = 0x00, sw2: int = 0x00) -> bytes:
    """The full response frame a reader sends (used by the emulator and the tests)."""
    return _frame(bytes([sw1, sw2, sw3]) + data)


def frame_length(header: bytes) -> int:
    """Total frame size announced by a frame's first :data:`HEADER_SIZE` bytes.

    Raises:
        FrameError: the preamble is wrong or LEN is impossible.
    """
    if len(header) < HEADER_SIZE:
        raise TruncatedFrame("读卡器的应答不完整（帧头缺失），请把证件放稳后重读")
    if header[: len(PREAMBLE)] != PREAMBLE:
        raise FrameError("读卡器的应答格式不正确（帧头错误），请检查串口设置或更换数据线后重读")
    length = int.from_bytes(header[len(PREAMBLE) : HEADER_SIZE], "big")
    if length < 3 or length > MAX_LEN:
        raise FrameError(f"读卡器的应答长度不合理（{length} 字节），请重新放卡再读；多次出现请检查读卡器")
    return HEADER_SIZE + length


def _payload(frame: bytes, minimum: int) -> bytes:
    total = frame_length(frame[:HEADER_SIZE])
    if len(frame) < total:
        raise TruncatedFrame(
            f"读卡器的应答不完整（收到 {len(frame)} 字节，应为 {total} 字节），请把证件放稳后重读"
        )
    if len(frame) > total:
        raise FrameError("读卡器的应答多出了数据，请重新放卡再读；多次出现请检查串口设置")
    body = frame[len(PREAMBLE) : total - 1]
    if checksum(body) != frame[total - 1]:
        raise ChecksumError("读卡器传来的数据校验不符（可能受到干扰），请重新放卡再读；多次出现请更换数据线")
    payload = body[2:]
    if len(payload) < minimum:
        raise FrameError("读卡器的应答过短，请重新放卡再读")
    return payload


def parse_response(frame: bytes) -> Response:
    """Check a whole response frame and split it.

    Raises:
        FrameError: malformed (``TruncatedFrame`` when short).
        ChecksumError: CHK does not match.
    """
    payload = _payload(frame, 3)
    return Response(payload[0], payload[1], payload[2], payload[3:])


def parse_request(frame: bytes) -> Request:
    """Check a whole request frame and split it (the emulator's side).

    Raises:
        FrameError: malformed (``TruncatedFrame`` when short).
        ChecksumError: CHK does not match.
    """
    payload = _payload(frame, 2)
    return Request(payload[0], payload[1], payload[2:])
