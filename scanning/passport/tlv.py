"""BER-TLV as used by ISO/IEC 7816-4 and the LDS (Doc 9303 Part 10 §4.4 / Part 11 §9.8).

Tags are kept as integers of their encoded bytes (``0x5F1F``, ``0x7F61``); lengths use the short
form or ``81``/``82``/``83`` long forms.
"""

from __future__ import annotations

from collections.abc import Iterator


class TlvError(ValueError):
    """Malformed BER-TLV; callers turn it into the package's typed errors."""


def read_tag(data: bytes, pos: int) -> tuple[int, int]:
    """Read a tag at ``pos``; return ``(tag, next position)``."""
    if pos >= len(data):
        raise TlvError("tag missing")
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:
        while True:
            if pos >= len(data):
                raise TlvError("tag truncated")
            byte = data[pos]
            tag = (tag << 8) | byte
            pos += 1
            if not byte & 0x80:
                break
    return tag, pos


def read_length(data: bytes, pos: int) -> tuple[int, int]:
    """Read a length at ``pos``; return ``(length, next position)``."""
    if pos >= len(data):
        raise TlvError("length missing")
    first = data[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    count = first & 0x7F
    if count == 0 or count > 3 or pos + count > len(data):
        raise TlvError("bad length")
    return int.from_bytes(data[pos : pos + count], "big"), pos + count


def header_size(data: bytes) -> int:
    """The total size (header plus value) announced by the TLV at the start of ``data``.

    Only the tag and length need be present: used to learn a file's size from its first bytes.
    """
    _, pos = read_tag(data, 0)
    length, pos = read_length(data, pos)
    return pos + length


def iter_tlv(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Yield ``(tag, value)`` for consecutive TLVs filling ``data`` exactly."""
    pos = 0
    while pos < len(data):
        tag, pos = read_tag(data, pos)
        length, pos = read_length(data, pos)
        if pos + length > len(data):
            raise TlvError("value truncated")
        yield tag, data[pos : pos + length]
        pos += length


def parse_one(data: bytes, expected_tag: int | None = None) -> tuple[int, bytes]:
    """Parse a single TLV that must fill ``data`` exactly (trailing bytes are an error)."""
    items = list(iter_tlv(data))
    if len(items) != 1:
        raise TlvError("expected exactly one TLV")
    tag, value = items[0]
    if expected_tag is not None and tag != expected_tag:
        raise TlvError(f"expected tag {expected_tag:X}, found {tag:X}")
    return tag, value


def children(data: bytes) -> dict[int, bytes]:
    """The TLVs of a constructed value by tag (the first of each tag)."""
    out: dict[int, bytes] = {}
    for tag, value in iter_tlv(data):
        out.setdefault(tag, value)
    return out


def encode_length(length: int) -> bytes:
    """Encode a length in the shortest BER form."""
    if length < 0x80:
        return bytes([length])
    size = (length.bit_length() + 7) // 8
    if size > 3:
        raise TlvError("length too large")
    return bytes([0x80 | size]) + length.to_bytes(size, "big")


def encode(tag: int, value: bytes) -> bytes:
    """Encode one TLV."""
    size = max(1, (tag.bit_length() + 7) // 8)
    return tag.to_bytes(size, "big") + encode_length(len(value)) + value
