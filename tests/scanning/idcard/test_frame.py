from __future__ import annotations

import pytest

from scanning.errors import ChecksumError, FrameError, TruncatedFrame
from scanning.idcard.frame import (
    Command,
    build_request,
    build_response,
    checksum,
    parse_request,
    parse_response,
)

# idcard-reader.md §2: the full request frames.
REQUEST_FRAMES = {
    Command.RESET_SAM: "AA AA AA 96 69 00 03 10 FF EC",
    Command.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    Command.READ_SAM_ID: "AA AA AA 96 69 00 03 12 FF EE",
    Command.FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    Command.SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    Command.READ_TEXT_PHOTO: "AA AA AA 96 69 00 03 30 01 32",
    Command.READ_TEXT_PHOTO_FINGERPRINT: "AA AA AA 96 69 00 03 30 10 23",
}


def test_worked_checksum_of_find_card() -> None:
    assert checksum(bytes([0x00, 0x03, 0x20, 0x01])) == 0x22


@pytest.mark.parametrize(("command", "expected"), REQUEST_FRAMES.items())
def test_request_frames_match_the_reference(command: Command, expected: str) -> None:
    frame = build_request(command)
    assert frame == bytes.fromhex(expected)
    request = parse_request(frame)
    assert request.command is command
    assert request.data == b""


def test_response_round_trip_and_length() -> None:
    data = bytes(range(256)) * 5
    frame = build_response(0x90, data)
    assert int.from_bytes(frame[5:7], "big") == 3 + len(data) + 1
    response = parse_response(frame)
    assert (response.sw1, response.sw2, response.sw3, response.data) == (0, 0, 0x90, data)


def test_read_response_length_matches_the_reference() -> None:
    # §4: LEN = 3 + 4 + 256 + 1024 + 1 = 1288 = 05 08.
    frame = build_response(0x90, bytes(4 + 256 + 1024))
    assert frame[5:7] == b"\x05\x08"


def test_wrong_checksum() -> None:
    frame = bytearray(build_response(0x90, b"abc"))
    frame[-1] ^= 0x01
    with pytest.raises(ChecksumError, match="校验不符"):
        parse_response(bytes(frame))


def test_flipped_data_bit_is_caught_by_the_checksum() -> None:
    frame = bytearray(build_response(0x90, b"abcdef"))
    frame[9] ^= 0x40
    with pytest.raises(ChecksumError):
        parse_response(bytes(frame))


def test_truncated_frame() -> None:
    frame = build_response(0x90, b"abcdef")
    with pytest.raises(TruncatedFrame):
        parse_response(frame[:-2])
    with pytest.raises(TruncatedFrame):
        parse_response(frame[:4])


@pytest.mark.parametrize(
    "frame",
    [
        b"\xaa\xaa\x55\x96\x69\x00\x04\x00\x00\x90\x94",  # preamble
        b"\xaa\xaa\xaa\x96\x69\x00\x00\x00",  # LEN 0
        b"\xaa\xaa\xaa\x96\x69\xff\xff",  # LEN beyond any answer
        build_response(0x90) + b"\x00",  # trailing byte
    ],
)
def test_malformed_frames(frame: bytes) -> None:
    with pytest.raises(FrameError):
        parse_response(frame)


def test_response_shorter_than_status_bytes() -> None:
    body = b"\x00\x03\x00\x90"
    frame = b"\xaa\xaa\xaa\x96\x69" + body + bytes([checksum(body)])
    with pytest.raises(FrameError, match="过短"):
        parse_response(frame)


def test_unknown_command_pair() -> None:
    assert parse_request(build_request((0x99, 0x01))).command is None
