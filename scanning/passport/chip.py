"""Reading an eMRTD chip over any APDU transport (ICAO Doc 9303 Parts 10 and 11).

The sequence (Part 11 §4 "Inspection process" with BAC):

1. ``SELECT`` the eMRTD application (AID ``A0 00 00 02 47 10 01``, Part 10 §3.6.2);
2. Basic Access Control (:mod:`scanning.passport.bac`);
3. under secure messaging, ``SELECT`` and ``READ BINARY`` EF.COM, EF.SOD, DG1 and DG2: the first four
   bytes give the file's length, the rest is read in chunks;
4. passive authentication: EF.SOD's signature, then each data group's hash
   (:mod:`scanning.passport.sod`).

Any failure raises a :class:`scanning.errors.PassportError` and nothing is returned, so a party is
never filled from a partial or unverified read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Final

from scanning.errors import BacFailed, ChipCommandFailed, LdsError, NoChip
from scanning.passport import bac, lds, sod, tlv
from scanning.passport.mrz import BacKey
from scanning.passport.record import PassportRecord
from scanning.passport.sm import SW_OK, Command, SecureMessaging, split_response

EMRTD_AID: Final = bytes.fromhex("A0000002471001")
SELECT_EMRTD: Final = Command(0x00, 0xA4, 0x04, 0x0C, EMRTD_AID)

DEFAULT_CHUNK: Final = 0xDF
"""READ BINARY chunk: 223 plaintext bytes keep the protected answer within a short APDU."""

SW_END_OF_FILE: Final = 0x6282
MAX_OFFSET: Final = 0x7FFF
"""READ BINARY B0 addresses 15 bits; beyond it needs B1 (not implemented)."""


class ChipReader:
    """A BAC-protected session with one chip.

    Args:
        transmit: the APDU transport.
        chunk: bytes per READ BINARY.
    """

    def __init__(self, transmit: bac.Transmit, *, chunk: int = DEFAULT_CHUNK) -> None:
        self._transmit = transmit
        self._chunk = chunk
        self._sm: SecureMessaging | None = None

    def select_application(self) -> None:
        """Select the eMRTD application.

        Raises:
            NoChip: the card is not an ICAO electronic passport.
        """
        _, sw = split_response(self._transmit(SELECT_EMRTD.encode()))
        if sw != SW_OK:
            raise NoChip(
                "读卡器上的卡片不是电子护照（没有 ICAO 电子证件应用），请放置带芯片标志的护照资料页；"
                "无芯片的护照请手工录入"
            )

    def authenticate(self, key: BacKey, *, random: Callable[[int], bytes] = os.urandom) -> None:
        """Run Basic Access Control.

        Raises:
            BacFailed: the MRZ does not open the chip.
        """
        self._sm = bac.authenticate(self._transmit, key, random=random)

    def _exchange(self, command: Command) -> tuple[bytes, int]:
        if self._sm is None:
            raise BacFailed("尚未完成基本访问控制，不能读取护照数据；请先输入机读区")
        return self._sm.unprotect(self._transmit(self._sm.protect(command)))

    def read_file(self, file_id: int, what: str) -> bytes:
        """Select a file by identifier and read it whole.

        Args:
            file_id: ``011E`` EF.COM, ``011D`` EF.SOD, ``0101`` DG1 …
            what: the file's Chinese name for messages.

        Raises:
            ChipCommandFailed: the chip refused the SELECT or a READ BINARY.
            LdsError: the file's header is malformed or the file is beyond READ BINARY B0's reach.
            SecureMessagingError: a protected answer did not verify.
        """
        _, sw = self._exchange(Command(0x00, 0xA4, 0x02, 0x0C, file_id.to_bytes(2, "big")))
        if sw != SW_OK:
            raise ChipCommandFailed(
                f"护照芯片中找不到{what}（状态码 {sw:04X}），请重新放置护照再读；"
                "仍失败请手工录入并人工核验证件",
                sw,
            )
        head = self._read(0, 4, what)
        try:
            total = tlv.header_size(head)
        except tlv.TlvError:
            raise LdsError(f"护照芯片中{what}的文件头格式不对，无法读取；请手工录入并人工核验证件") from None
        if total > MAX_OFFSET + 1:
            raise LdsError(f"护照芯片中{what}超过 32 KB，本程序暂不能读取；请手工录入并人工核验证件")
        data = bytearray(head[:total])
        while len(data) < total:
            part = self._read(len(data), min(self._chunk, total - len(data)), what)
            if not part:
                raise LdsError(f"护照芯片中{what}未能读完整，请把护照放稳后重读")
            data += part
        return bytes(data)

    def _read(self, offset: int, length: int, what: str) -> bytes:
        data, sw = self._exchange(Command(0x00, 0xB0, offset >> 8, offset & 0xFF, le=length))
        if sw not in (SW_OK, SW_END_OF_FILE):
            raise ChipCommandFailed(f"读取护照芯片中的{what}失败（状态码 {sw:04X}），请把护照放稳后重读", sw)
        return data


def read_passport(
    transmit: bac.Transmit,
    key: BacKey,
    *,
    today: date | None = None,
    chunk: int = DEFAULT_CHUNK,
    random: Callable[[int], bytes] = os.urandom,
) -> PassportRecord:
    """Read and verify a passport chip.

    Args:
        transmit: the APDU transport (a PC/SC connection, or a virtual chip in tests).
        key: the MRZ fields for BAC.
        today: the reference date for the birth century; the system date by default.
        chunk: bytes per READ BINARY.
        random: random source for BAC.

    Returns:
        The record, built only after every check passed.

    Raises:
        PassportError: any failure (see :mod:`scanning.errors`).
    """
    chip = ChipReader(transmit, chunk=chunk)
    chip.select_application()
    chip.authenticate(key, random=random)
    com = lds.parse_com(chip.read_file(lds.EF_COM, "目录文件（EF.COM）"))
    if 1 not in com.data_groups:
        raise LdsError("护照芯片中没有机读区数据（DG1），无法读取；请手工录入并人工核验证件")
    security = sod.parse_sod(chip.read_file(lds.EF_SOD, "安全对象（EF.SOD）"))
    groups = {1: chip.read_file(lds.dg_file_id(1), "机读区数据（DG1）")}
    if 2 in com.data_groups:
        groups[2] = chip.read_file(lds.dg_file_id(2), "照片（DG2）")
    sod.verify_data_groups(security, groups)
    mrz = lds.parse_dg1(groups[1])
    if mrz.document_number != key.document_number:
        raise LdsError("护照芯片中的护照号码与输入的不一致，请核对是否放错了护照")
    face = lds.parse_dg2(groups[2]) if 2 in groups else None
    return PassportRecord(
        mrz=mrz,
        face=face,
        birth_date=mrz.birth_date(today or date.today()),
        expiry_date=mrz.expiry_date(),
        data_groups=com.data_groups,
        hashes_verified=True,
        signer_subject=security.signer.subject.rfc4514_string(),
    )
