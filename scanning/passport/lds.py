r"""The Logical Data Structure files read from the chip (ICAO Doc 9303 Part 10).

- EF.COM (file ``011E``, tag ``60``): LDS version ``5F01``, Unicode version ``5F36``, tag list ``5C``
  (Part 10 §4.6.1).
- DG1 (``0101``, tag ``61``): the MRZ in ``5F1F`` (Part 10 §4.7.1).
- DG2 (``0102``, tag ``75``): biometric information group template ``7F61`` with the instance count
  ``02`` and one biometric information template ``7F60`` per face, each with a header ``A1`` and the
  biometric data block ``5F2E`` (or ``7F2E``) (Part 10 §4.7.2), holding an ISO/IEC 19794-5:2005
  facial record: ``FAC\0`` header, facial information, feature points, image information, image.
- EF.SOD (``011D``, tag ``77``): see :mod:`scanning.passport.sod`.

The ``encode_*`` functions build the same structures for the virtual passport.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from scanning.errors import LdsError, MrzInvalid
from scanning.passport import tlv
from scanning.passport.mrz import Td3Mrz, parse_td3

EF_COM: Final = 0x011E
EF_SOD: Final = 0x011D

DG_TAGS: Final = {
    0x61: 1, 0x75: 2, 0x63: 3, 0x76: 4, 0x65: 5, 0x66: 6, 0x67: 7, 0x68: 8,
    0x69: 9, 0x6A: 10, 0x6B: 11, 0x6C: 12, 0x6D: 13, 0x6E: 14, 0x6F: 15, 0x70: 16,
}  # fmt: skip
"""Data group template tags and their numbers (Doc 9303 Part 10 §4.6.1, table 34)."""


def dg_file_id(number: int) -> int:
    """The short file identifier of data group ``number`` (``0101`` for DG1 …)."""
    return 0x0100 + number


def _lds_error(what: str) -> LdsError:
    return LdsError(f"护照芯片中的{what}格式不对，无法读取；请重新放置护照再读，仍失败请手工录入并核对证件")


@dataclass(frozen=True)
class EfCom:
    """EF.COM: the LDS version and which data groups the chip holds.

    Attributes:
        lds_version: ``"0107"`` for LDS 1.7.
        unicode_version: e.g. ``"040000"``.
        data_groups: the data group numbers present, in the order listed.
    """

    lds_version: str
    unicode_version: str
    data_groups: tuple[int, ...]


def parse_com(data: bytes) -> EfCom:
    """Parse EF.COM.

    Raises:
        LdsError: malformed, or a tag list entry that is not a data group.
    """
    try:
        _, value = tlv.parse_one(data, 0x60)
        items = tlv.children(value)
        tags = items[0x5C]
        version = items.get(0x5F01, b"").decode("ascii")
        unicode_version = items.get(0x5F36, b"").decode("ascii")
    except (tlv.TlvError, KeyError, UnicodeDecodeError):
        raise _lds_error("目录文件（EF.COM）") from None
    groups = []
    for tag in tags:
        if tag not in DG_TAGS:
            raise _lds_error("目录文件（EF.COM）")
        groups.append(DG_TAGS[tag])
    return EfCom(version, unicode_version, tuple(groups))


def encode_com(
    data_groups: tuple[int, ...], lds_version: str = "0107", unicode_version: str = "040000"
) -> bytes:
    """Build EF.COM."""
    tag_of = {number: tag for tag, number in DG_TAGS.items()}
    return tlv.encode(
        0x60,
        tlv.encode(0x5F01, lds_version.encode("ascii"))
        + tlv.encode(0x5F36, unicode_version.encode("ascii"))
        + tlv.encode(0x5C, bytes(tag_of[n] for n in data_groups)),
    )


def parse_dg1(data: bytes) -> Td3Mrz:
    """Parse DG1 into the checked TD3 MRZ.

    Raises:
        LdsError: malformed, not a TD3 MRZ, or its check digits fail.
    """
    try:
        _, value = tlv.parse_one(data, 0x61)
        mrz = tlv.children(value)[0x5F1F].decode("ascii")
    except (tlv.TlvError, KeyError, UnicodeDecodeError):
        raise _lds_error("机读区数据（DG1）") from None
    if len(mrz) != 88:
        raise LdsError("护照芯片中的机读区不是护照（TD3）格式，本程序只读护照；其他旅行证件请手工录入")
    try:
        return parse_td3(mrz)
    except MrzInvalid:
        raise _lds_error("机读区数据（DG1）") from None


def encode_dg1(mrz_lines: tuple[str, str]) -> bytes:
    """Build DG1 from the two MRZ lines."""
    return tlv.encode(0x61, tlv.encode(0x5F1F, "".join(mrz_lines).encode("ascii")))


class ImageType(StrEnum):
    """Encoding of a face image (ISO/IEC 19794-5 image data type)."""

    JPEG = "image/jpeg"
    JPEG2000 = "image/jp2"


@dataclass(frozen=True, repr=False)
class FaceImage:
    """The face photo stored on the chip.

    Attributes:
        data: the encoded image bytes.
        image_type: JPEG or JPEG 2000.
        width: pixels (0 when unknown).
        height: pixels (0 when unknown).
    """

    data: bytes
    image_type: ImageType
    width: int
    height: int

    def __repr__(self) -> str:
        return f"FaceImage({self.image_type.name}, {self.width}x{self.height}, {len(self.data)} bytes)"


_FAC_HEADER: Final = b"FAC\x00"
_FACIAL_INFO: Final = 20
_FEATURE_POINT: Final = 8
_IMAGE_INFO: Final = 12
_IMAGE_TYPES: Final = {0: ImageType.JPEG, 1: ImageType.JPEG2000}
_JPEG_SOI: Final = b"\xff\xd8\xff"
_JP2_SIGNATURE: Final = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_J2K_CODESTREAM: Final = b"\xff\x4f\xff\x51"


def _facial_record(record: bytes) -> FaceImage:
    if len(record) < 14 + _FACIAL_INFO + _IMAGE_INFO:
        raise _lds_error("照片数据（DG2）")
    pos = 14  # format identifier, version, record length (4), number of faces (2)
    block_length = int.from_bytes(record[pos : pos + 4], "big")
    points = int.from_bytes(record[pos + 4 : pos + 6], "big")
    image_info = pos + _FACIAL_INFO + points * _FEATURE_POINT
    image_start = image_info + _IMAGE_INFO
    image_end = pos + block_length
    if image_end > len(record) or image_start >= image_end:
        raise _lds_error("照片数据（DG2）")
    image_type = _IMAGE_TYPES.get(record[image_info + 1])
    if image_type is None:
        raise LdsError(
            "护照照片的图像格式不是 JPEG 或 JPEG 2000，无法显示；请用资料页扫描件上的照片进行人证核验"
        )
    width = int.from_bytes(record[image_info + 2 : image_info + 4], "big")
    height = int.from_bytes(record[image_info + 4 : image_info + 6], "big")
    return FaceImage(record[image_start:image_end], image_type, width, height)


def _embedded_image(block: bytes) -> FaceImage:
    # Not an ISO/IEC 19794-5:2005 record (e.g. the ISO/IEC 39794-5 format of LDS 2): take the image
    # from its signature to the end of the block.
    for signature, image_type in (
        (_JPEG_SOI, ImageType.JPEG),
        (_JP2_SIGNATURE, ImageType.JPEG2000),
        (_J2K_CODESTREAM, ImageType.JPEG2000),
    ):
        at = block.find(signature)
        if at >= 0:
            return FaceImage(block[at:], image_type, 0, 0)
    raise LdsError("护照芯片中的照片格式无法识别；请用资料页扫描件上的照片进行人证核验")


def parse_dg2(data: bytes) -> FaceImage:
    """Extract the first face image from DG2.

    Raises:
        LdsError: malformed DG2, no face, or an image format other than JPEG / JPEG 2000.
    """
    try:
        _, group = tlv.parse_one(data, 0x75)
        _, template = tlv.parse_one(group, 0x7F61)
        items = list(tlv.iter_tlv(template))
        faces = [value for tag, value in items if tag == 0x7F60]
        if not faces:
            raise _lds_error("照片数据（DG2）")
        bit = tlv.children(faces[0])
        block = bit.get(0x5F2E)
        if block is None:
            block = bit[0x7F2E]
    except (tlv.TlvError, KeyError):
        raise _lds_error("照片数据（DG2）") from None
    if block.startswith(_FAC_HEADER):
        return _facial_record(block)
    return _embedded_image(block)


def encode_dg2(image: bytes, width: int, height: int, image_type: ImageType = ImageType.JPEG) -> bytes:
    """Build DG2 with one ISO/IEC 19794-5:2005 facial record (full frontal, no feature points)."""
    type_code = {v: k for k, v in _IMAGE_TYPES.items()}[image_type]
    image_info = bytes([0x01, type_code]) + width.to_bytes(2, "big") + height.to_bytes(2, "big")
    image_info += bytes([0x01, 0x02]) + bytes(4)  # sRGB, digital still; device and quality unspecified
    facial_info_rest = bytes(2) + bytes(14)  # no feature points; gender … uncertainty unspecified
    block_length = _FACIAL_INFO + _IMAGE_INFO + len(image)
    record_length = 14 + block_length
    record = (
        _FAC_HEADER
        + b"010\x00"
        + record_length.to_bytes(4, "big")
        + (1).to_bytes(2, "big")
        + block_length.to_bytes(4, "big")
        + facial_info_rest
        + image_info
        + image
    )
    header = tlv.encode(
        0xA1,
        tlv.encode(0x80, b"\x01\x01")
        + tlv.encode(0x81, b"\x02")
        + tlv.encode(0x87, b"\x01\x01")
        + tlv.encode(0x88, b"\x00\x08"),
    )
    bit = tlv.encode(0x7F60, header + tlv.encode(0x5F2E, record))
    return tlv.encode(0x75, tlv.encode(0x7F61, tlv.encode(0x02, b"\x01") + bit))
