"""The serial driver against the pty emulator: every card type, every fault, typed errors only."""

from __future__ import annotations

import os
import time

import pytest
import serial

from forms.case import Party, PartyRole
from forms.identifiers import check_id_number
from scanning.errors import (
    CardRemoved,
    ChecksumError,
    FrameError,
    IdCardError,
    NoCard,
    ReaderNotFound,
    ReaderStatusError,
    ReaderTimeout,
    ReadFailed,
    SelectFailed,
    TruncatedFrame,
)
from scanning.idcard.emulator import Fault, ReaderEmulator, fixture_names, load_fixture
from scanning.idcard.frame import Command, build_request, parse_response
from scanning.idcard.layout import CardType
from scanning.idcard.reader import IdCardReader, SerialSamReader, open_reader


@pytest.mark.parametrize("name", fixture_names())
def test_each_card_type_reads_through_the_serial_port(emulator: ReaderEmulator, reader, name: str) -> None:
    emulator.place(name)
    record = reader.read_card(timeout=1.0)
    card = load_fixture(name)
    assert record.card_type is card.card_type
    assert record.id_number == card.fields["id_number"]
    assert record.photo_wlt == card.photo
    check_id_number(record.id_type, record.id_number)
    party = Party(role=PartyRole.OBLIGOR, **record.to_party_fields())
    assert party.name == (card.fields.get("name") or card.fields["name_en"])
    assert emulator.requests[-3:] == [Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_PHOTO]


def test_rare_characters_survive_the_serial_line(emulator: ReaderEmulator, reader) -> None:
    emulator.place("resident_rare")
    assert reader.read_card(timeout=1.0).name == "王𠮷䶮"


def test_serial_reader_satisfies_the_protocol(reader) -> None:
    assert isinstance(reader, IdCardReader)
    assert reader.description.startswith("串口 /dev/")


def test_no_card(emulator: ReaderEmulator, reader) -> None:
    emulator.remove()
    started = time.monotonic()
    with pytest.raises(NoCard, match="没有证件"):
        reader.read_card(timeout=0.2)
    assert time.monotonic() - started < 1.0
    assert not reader.wait_for_card(0.05)


def test_card_placed_while_waiting(emulator: ReaderEmulator, reader) -> None:
    emulator.remove()
    timer = __import__("threading").Timer(0.1, emulator.place, args=("hk_permit",))
    timer.start()
    try:
        assert reader.read_card(timeout=2.0).card_type is CardType.HMT_RESIDENCE_PERMIT
    finally:
        timer.join()


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        (Fault.BAD_CHECKSUM, ChecksumError, "校验不符"),
        (Fault.MALFORMED, FrameError, "帧头错误"),
        (Fault.BAD_LENGTH, FrameError, "长度不合理"),
        (Fault.INCONSISTENT, FrameError, "长度不一致"),
        (Fault.READ_FAILED, ReadFailed, "0x41"),
        (Fault.SELECT_FAILED, SelectFailed, "0x81"),
        (Fault.UNKNOWN_STATUS, ReaderStatusError, "0x33"),
        (Fault.SILENT, ReaderTimeout, "没有应答"),
    ],
)
def test_faults_give_typed_errors_and_the_next_read_succeeds(
    emulator: ReaderEmulator, reader, fault: Fault, error: type[IdCardError], message: str
) -> None:
    target = (
        Command.READ_TEXT_PHOTO if fault in (Fault.BAD_CHECKSUM, Fault.MALFORMED, Fault.BAD_LENGTH) else None
    )
    emulator.inject(fault, target)
    with pytest.raises(error, match=message) as caught:
        reader.read_card(timeout=0.5)
    assert "330106198804120021" not in str(caught.value)  # no personal data in messages
    assert reader.read_card(timeout=0.5).name == "张晓梅"


def test_card_removed_mid_read(emulator: ReaderEmulator, reader) -> None:
    emulator.inject(Fault.REMOVE_MID_READ)
    with pytest.raises(CardRemoved, match="证件被移开") as caught:
        reader.read_card(timeout=0.5)
    assert isinstance(caught.value.__cause__, TruncatedFrame)
    assert isinstance(caught.value, ReadFailed)
    assert not reader.card_present()
    emulator.place("resident")
    assert reader.read_card(timeout=0.5).name == "张晓梅"


def test_status_fault_on_find_card(emulator: ReaderEmulator, reader) -> None:
    emulator.inject(Fault.UNKNOWN_STATUS, Command.FIND_CARD)
    with pytest.raises(ReaderStatusError, match="20 01"):
        reader.card_present()


def test_emulator_answers_a_corrupted_request_with_status_0x10(emulator: ReaderEmulator) -> None:
    with serial.Serial(emulator.port, 115200, timeout=1) as port:
        frame = bytearray(build_request(Command.FIND_CARD))
        frame[-1] ^= 0xFF
        port.write(bytes(frame))
        answer = port.read(11)
    assert parse_response(answer).sw3 == 0x10
    assert emulator.requests == [None]


def test_paced_read_at_115200_takes_at_least_the_line_time() -> None:
    with (
        ReaderEmulator("resident", baudrate=115200) as emu,
        SerialSamReader(emu.port, inter_byte_timeout=0.2) as r,
    ):
        started = time.perf_counter()
        record = r.read_card(timeout=1.0)
        elapsed = time.perf_counter() - started
    line_time = emu.bytes_sent * 10 / 115200
    assert emu.bytes_sent >= 1295  # the read answer alone
    assert record.name == "张晓梅"
    assert line_time * 0.95 <= elapsed < 1.5


# ----------------------------------------------------------------------------------------- factory


def test_open_reader_on_the_emulator(emulator: ReaderEmulator) -> None:
    with open_reader(emulator.port) as r:
        assert r.read_card(timeout=0.5).name == "张晓梅"
    assert emulator.requests[0] is Command.SAM_STATUS


def test_open_reader_scans_candidates(emulator: ReaderEmulator, tmp_path) -> None:
    missing = str(tmp_path / "ttyUSB9")
    with open_reader(None, candidates=[missing, emulator.port]) as r:
        assert r.port_name == emulator.port


def test_open_reader_missing_port(tmp_path) -> None:
    with pytest.raises(ReaderNotFound, match="找不到串口"):
        open_reader(str(tmp_path / "ttyUSB9"))


def test_open_reader_silent_port_names_the_port() -> None:
    master, slave = os.openpty()
    try:
        path = os.ttyname(slave)
        with pytest.raises(ReaderNotFound, match=f"串口 {path} 已打开，但没有身份证读卡器应答"):
            open_reader(path, probe_timeout=0.1)
    finally:
        os.close(master)
        os.close(slave)


def test_open_reader_without_any_port() -> None:
    with pytest.raises(ReaderNotFound, match="没有找到任何串口"):
        open_reader(None, candidates=[])


def test_open_reader_nothing_found_among_candidates(tmp_path) -> None:
    with pytest.raises(ReaderNotFound, match="都没有找到身份证读卡器"):
        open_reader(None, candidates=[str(tmp_path / "a"), str(tmp_path / "b")])


def test_closed_reader(emulator: ReaderEmulator) -> None:
    r = SerialSamReader(emulator.port)
    r.close()
    r.close()
    with pytest.raises(IdCardError, match="已关闭"):
        r.card_present()
