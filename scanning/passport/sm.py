"""Command APDUs and 3DES secure messaging (ICAO Doc 9303 Part 11 §9.8, ISO/IEC 7816-4 §10).

Reader side: :meth:`SecureMessaging.protect` turns a plain command into a protected one and
:meth:`SecureMessaging.unprotect` checks and opens the chip's answer. Chip side (the virtual
passport): :meth:`SecureMessaging.unwrap_command` and :meth:`SecureMessaging.wrap_response`.

Protected command: ``CLA|0C INS P1 P2 Lc' [DO87] [DO97] DO8E 00`` where

- ``DO87 = 87 L 01 || E(KSenc, pad(data))`` (padding-content indicator 01);
- ``DO97 = 97 01 Le``;
- ``DO8E = 8E 08 MAC(KSmac, pad(SSC || pad(header) || DO87 || DO97))``.

Protected response: ``[DO87] DO99 DO8E SW`` with ``DO99 = 99 02 SW`` and the MAC over
``pad(SSC || DO87 || DO99)``. The send sequence counter SSC is incremented before each command and
each response is protected or checked (§9.8.2).

Only even instructions are supported (SELECT A4, READ BINARY B0, GET CHALLENGE 84): DO85 of odd
instructions (READ BINARY B1 beyond offset 32767) is not implemented.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Final

from scanning.errors import SecureMessagingError
from scanning.passport import crypto, tlv

SW_OK: Final = 0x9000
SW_SM_MISSING: Final = 0x6987
"""Expected secure-messaging data objects missing (ISO/IEC 7816-4)."""
SW_SM_INCORRECT: Final = 0x6988
"""Incorrect secure-messaging data objects."""

_SM_CLA: Final = 0x0C
_SSC_MOD: Final = 1 << 64


@dataclass(frozen=True)
class Command:
    """A short command APDU (ISO/IEC 7816-4 §5.1).

    Attributes:
        cla, ins, p1, p2: the header bytes.
        data: the command data (at most 255 bytes).
        le: expected response length 1–256 (encoded 256 → ``00``), ``None`` for no Le.
    """

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    def encode(self) -> bytes:
        """The APDU bytes (short form)."""
        if len(self.data) > 255:
            raise ValueError("short APDU data is at most 255 bytes")
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le % 256])
        return out

    @classmethod
    def decode(cls, apdu: bytes) -> Command:
        """Parse a short command APDU (cases 1–4).

        Raises:
            ValueError: the bytes are not a valid short APDU.
        """
        if len(apdu) < 4:
            raise ValueError("APDU shorter than its header")
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        lc = body[0]
        if lc == 0:
            raise ValueError("extended APDUs are not supported")
        if len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, body[1:])
        if len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, body[1 : 1 + lc], le=body[-1] or 256)
        raise ValueError("APDU length does not match Lc")


def split_response(rapdu: bytes) -> tuple[bytes, int]:
    """Split a response APDU into data and status word.

    Raises:
        SecureMessagingError: fewer than two bytes.
    """
    if len(rapdu) < 2:
        raise SecureMessagingError("护照芯片的应答不完整，请把护照平放在读卡器上重新读取")
    return rapdu[:-2], int.from_bytes(rapdu[-2:], "big")


class SecureMessaging:
    """One BAC secure-messaging session: the two session keys and the send sequence counter.

    Args:
        ks_enc: 16-byte session encryption key.
        ks_mac: 16-byte session MAC key.
        ssc: the initial send sequence counter (8 bytes).
    """

    def __init__(self, ks_enc: bytes, ks_mac: bytes, ssc: bytes) -> None:
        if len(ks_enc) != 16 or len(ks_mac) != 16 or len(ssc) != 8:
            raise ValueError("session keys have 16 bytes and the SSC 8")
        self._ks_enc = ks_enc
        self._ks_mac = ks_mac
        self._ssc = int.from_bytes(ssc, "big")

    def __repr__(self) -> str:
        return "SecureMessaging(<keys hidden>)"

    @property
    def ssc(self) -> bytes:
        """The current send sequence counter."""
        return self._ssc.to_bytes(8, "big")

    def _increment(self) -> bytes:
        self._ssc = (self._ssc + 1) % _SSC_MOD
        return self.ssc

    def _mac(self, ssc: bytes, data: bytes) -> bytes:
        return crypto.retail_mac(self._ks_mac, crypto.pad(ssc + data))

    # --------------------------------------------------------------------------------- reader side

    def protect(self, command: Command) -> bytes:
        """Protect a plain command; returns the APDU to send.

        Raises:
            ValueError: an odd instruction (DO85 not supported) or data too long.
        """
        if command.ins & 1:
            raise ValueError("odd instructions (DO85) are not supported")
        header = bytes([command.cla | _SM_CLA, command.ins, command.p1, command.p2])
        do87 = b""
        if command.data:
            do87 = tlv.encode(0x87, b"\x01" + crypto.encrypt(self._ks_enc, crypto.pad(command.data)))
        do97 = b"" if command.le is None else tlv.encode(0x97, bytes([command.le % 256]))
        ssc = self._increment()
        mac = self._mac(ssc, crypto.pad(header) + do87 + do97)
        body = do87 + do97 + tlv.encode(0x8E, mac)
        if len(body) > 255:
            raise ValueError("protected command too long for a short APDU")
        return header + bytes([len(body)]) + body + b"\x00"

    def unprotect(self, rapdu: bytes) -> tuple[bytes, int]:
        """Check and open a protected response; returns ``(data, status word)``.

        A bare status word without secure-messaging objects is returned as is when it is an error
        (the chip reports some errors unprotected and ends the session; the caller stops).

        Raises:
            SecureMessagingError: missing objects, a wrong MAC, a status mismatch or bad padding.
        """
        body, sw = split_response(rapdu)
        if not body:
            if sw == SW_OK:
                raise SecureMessagingError(_SM_BROKEN)
            return b"", sw
        ssc = self._increment()
        try:
            items = list(tlv.iter_tlv(body))
        except tlv.TlvError:
            raise SecureMessagingError(_SM_BROKEN) from None
        found = dict(items)
        if [t for t, _ in items] not in ([0x87, 0x99, 0x8E], [0x99, 0x8E]):
            raise SecureMessagingError(_SM_BROKEN)
        do87 = tlv.encode(0x87, found[0x87]) if 0x87 in found else b""
        do99 = tlv.encode(0x99, found[0x99])
        if not hmac.compare_digest(self._mac(ssc, do87 + do99), found[0x8E]):
            raise SecureMessagingError(
                "护照芯片应答的校验码（MAC）不符，数据可能在传输中被篡改或读卡受到干扰；请重新放置护照后再读"
            )
        if len(found[0x99]) != 2 or int.from_bytes(found[0x99], "big") != sw:
            raise SecureMessagingError(_SM_BROKEN)
        data = b""
        if 0x87 in found:
            data = self._open_do87(found[0x87])
        return data, sw

    def _open_do87(self, value: bytes) -> bytes:
        if not value or value[0] != 0x01 or (len(value) - 1) % crypto.BLOCK:
            raise SecureMessagingError(_SM_BROKEN)
        try:
            return crypto.unpad(crypto.decrypt(self._ks_enc, value[1:]))
        except ValueError:
            raise SecureMessagingError(_SM_BROKEN) from None

    # ----------------------------------------------------------------------------------- chip side

    def unwrap_command(self, apdu: bytes) -> Command:
        """Check and open a protected command (the chip's side).

        Raises:
            SecureMessagingError: not a protected APDU, missing DO8E, a wrong MAC or bad padding.
        """
        try:
            command = Command.decode(apdu)
        except ValueError:
            raise SecureMessagingError(_SM_BROKEN) from None
        if command.cla & _SM_CLA != _SM_CLA:
            raise SecureMessagingError(_SM_BROKEN)
        try:
            items = list(tlv.iter_tlv(command.data))
        except tlv.TlvError:
            raise SecureMessagingError(_SM_BROKEN) from None
        tags = [t for t, _ in items]
        if not tags or tags[-1] != 0x8E or not set(tags) <= {0x87, 0x97, 0x8E} or len(set(tags)) != len(tags):
            raise SecureMessagingError(_SM_BROKEN)
        found = dict(items)
        ssc = self._increment()
        header = apdu[:4]
        do87 = tlv.encode(0x87, found[0x87]) if 0x87 in found else b""
        do97 = tlv.encode(0x97, found[0x97]) if 0x97 in found else b""
        if not hmac.compare_digest(self._mac(ssc, crypto.pad(header) + do87 + do97), found[0x8E]):
            raise SecureMessagingError(_SM_BROKEN)
        data = self._open_do87(found[0x87]) if 0x87 in found else b""
        le: int | None = None
        if 0x97 in found:
            if len(found[0x97]) != 1:
                raise SecureMessagingError(_SM_BROKEN)
            le = found[0x97][0] or 256
        return Command(command.cla & ~_SM_CLA & 0xFF, command.ins, command.p1, command.p2, data, le)

    def wrap_response(self, data: bytes, sw: int) -> bytes:
        """Protect a response (the chip's side)."""
        ssc = self._increment()
        do87 = b""
        if data:
            do87 = tlv.encode(0x87, b"\x01" + crypto.encrypt(self._ks_enc, crypto.pad(data)))
        do99 = tlv.encode(0x99, sw.to_bytes(2, "big"))
        mac = self._mac(ssc, do87 + do99)
        return do87 + do99 + tlv.encode(0x8E, mac) + sw.to_bytes(2, "big")


_SM_BROKEN: Final = "护照芯片的加密应答格式不对，安全通道已中断；请把护照拿开再放回读卡器后重新读取"
