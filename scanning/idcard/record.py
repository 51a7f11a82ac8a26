"""The card record: parsing the read response and the 256-byte UCS-2LE text block.

The text block is decoded through the per-card-type layout table (:mod:`scanning.idcard.layout`), so
every offset is data. Parsing is all-or-nothing: a field that cannot be decoded or checked raises
:class:`scanning.errors.CardDataError` and no record exists, so a party is never half filled.

Names outside the Basic Multilingual Plane (𠮷 U+20BB7 …) arrive as UTF-16 surrogate pairs; the block
is decoded as UTF-16LE, which joins them, and a lone surrogate is an error, never a silent "?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from forms.case import IdType, Sex
from forms.errors import InvalidIdNumber
from forms.identifiers import check_id_number
from scanning.errors import CardDataError, FrameError
from scanning.idcard.codes import ETHNICITIES, SEX_NAMES, SEX_VALUES
from scanning.idcard.layout import CardLayout, CardType, FieldSpan, LayoutTable, load_layouts

PHOTO_SIZE: Final = 1024
"""Size of the WLT photo in the read response (idcard-reader.md §4 [S])."""

LONG_TERM: Final = "长期"
"""The "valid to" text of a card without expiry (idcard-reader.md §5)."""

FIELD_TITLES: Final = {
    "name": "姓名",
    "name_en": "英文姓名",
    "name_en_more": "英文姓名（续）",
    "sex": "性别",
    "ethnicity": "民族",
    "birth": "出生日期",
    "address": "住址",
    "id_number": "证件号码",
    "authority": "签发机关",
    "authority_code": "签发机关代码",
    "valid_from": "有效期限起始日期",
    "valid_to": "有效期限截止日期",
    "pass_number": "通行证号码",
    "issue_count": "签发次数",
    "nationality": "国籍",
    "card_version": "证件版本",
    "renewal_count": "换证次数",
    "previous_number": "既往版本证件号码关联项",
    "type_flag": "证件类型标志",
}
"""Chinese field names used in messages."""

_PAD: Final = " \x00\u3000"
_ALPHA3 = re.compile(r"[A-Z]{3}")

# Residence-permit address codes (identifiers.md §1 [S]): 810000 HK, 820000 Macau, 830000 Taiwan.
_PERMIT_TYPES: Final = {
    "810000": IdType.HK_MACAO_RESIDENCE_PERMIT,
    "820000": IdType.HK_MACAO_RESIDENCE_PERMIT,
    "830000": IdType.TAIWAN_RESIDENCE_PERMIT,
}


@dataclass(frozen=True, repr=False)
class IdCardRecord:
    """Everything read from one card's chip; immutable and never partial.

    ``repr()`` shows only the card type, so a record that reaches a log by accident leaks nothing.

    Attributes:
        card_type: which card (resident ID, residence permit, PR card 2017 or 2023).
        id_type: the :class:`forms.case.IdType` of the number.
        name: the Chinese name ("" when a foreign card carries none).
        sex_code: the GB/T 2261.1 code (``"1"`` male, ``"2"`` female).
        birth_date: date of birth.
        id_number: the document number (canonical: upper case).
        valid_from: first day of validity.
        valid_to: last day of validity, ``None`` for 长期 (no expiry).
        name_en: the English name (PR cards).
        ethnicity_code: GB/T 3304 code (resident ID only).
        address: address (resident ID and residence permits).
        issuing_authority: issuing authority as printed, or its code on the 2017 PR card.
        nationality: ISO 3166-1 alpha-3 (``CHN`` for resident IDs and residence permits).
        pass_number: 通行证号码 on a residence permit.
        issue_count: 签发次数 on a residence permit.
        card_version: card version (2017 PR card).
        renewal_count: 换证次数 (2023 PR card).
        previous_number: 既往版本证件号码关联项 (2023 PR card).
        photo_wlt: the 1024-byte encrypted WLT photo; decode with :mod:`scanning.idcard.wlt`.
    """

    card_type: CardType
    id_type: IdType
    name: str
    sex_code: str
    birth_date: date
    id_number: str
    valid_from: date
    valid_to: date | None
    name_en: str = ""
    ethnicity_code: str = ""
    address: str = ""
    issuing_authority: str = ""
    nationality: str | None = None
    pass_number: str = ""
    issue_count: str = ""
    card_version: str = ""
    renewal_count: str = ""
    previous_number: str = ""
    photo_wlt: bytes = b""

    def __repr__(self) -> str:
        return f"IdCardRecord(card_type={self.card_type.value!r}, <personal data hidden>)"

    @property
    def sex(self) -> Sex | None:
        """The sex as the case model knows it (``None`` for codes 0 and 9)."""
        return SEX_VALUES.get(self.sex_code)

    @property
    def sex_name(self) -> str:
        """The sex as printed (男/女)."""
        return SEX_NAMES.get(self.sex_code, "")

    @property
    def ethnicity(self) -> str:
        """The ethnicity as printed on the card (汉, 蒙古 …), "" when absent or unknown."""
        return ETHNICITIES.get(self.ethnicity_code, "")

    @property
    def holder_name(self) -> str:
        """The name to enter for the party: the Chinese name, else the English name."""
        return self.name or self.name_en

    @property
    def long_term(self) -> bool:
        """Whether the card is valid without expiry (长期)."""
        return self.valid_to is None

    def is_expired(self, today: date) -> bool:
        """Whether the card's validity ended before ``today``."""
        return self.valid_to is not None and self.valid_to < today

    def to_party_fields(self) -> dict[str, Any]:
        """Field values of a :class:`forms.case.Party` (``Party(role=…, **record.to_party_fields())``).

        Keys: ``name``, ``id_type``, ``id_number``, ``sex``, ``birth_date``, ``address``, ``nationality``.
        """
        return {
            "name": self.holder_name,
            "id_type": self.id_type,
            "id_number": self.id_number,
            "sex": self.sex,
            "birth_date": self.birth_date,
            "address": self.address or None,
            "nationality": self.nationality,
        }

    def to_json_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (dates ISO 8601; the photo as its size only)."""
        return {
            "card_type": self.card_type.value,
            "id_type": self.id_type.value,
            "name": self.name,
            "name_en": self.name_en,
            "sex": self.sex.value if self.sex else None,
            "sex_code": self.sex_code,
            "ethnicity_code": self.ethnicity_code,
            "ethnicity": self.ethnicity,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "id_number": self.id_number,
            "issuing_authority": self.issuing_authority,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else LONG_TERM,
            "nationality": self.nationality,
            "pass_number": self.pass_number,
            "issue_count": self.issue_count,
            "card_version": self.card_version,
            "renewal_count": self.renewal_count,
            "previous_number": self.previous_number,
            "photo_wlt_bytes": len(self.photo_wlt),
        }


# ----------------------------------------------------------------------------------------- parsing


def _raw_text(block: bytes, span: FieldSpan, field: str) -> str:
    try:
        return block[span.offset : span.end].decode("utf-16-le")
    except UnicodeDecodeError:
        raise CardDataError(
            f"证件的“{FIELD_TITLES[field]}”无法解码（字符不完整），请重新放卡再读；仍失败请手工录入并核对证件"
        ) from None


def _date(text: str, field: str) -> date:
    if re.fullmatch(r"\d{8}", text):
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    raise CardDataError(f"证件的“{FIELD_TITLES[field]}”不是有效日期，请重新放卡再读；仍失败请手工录入")


class _Fields:
    """Decoded, trimmed field texts of one block under one layout."""

    def __init__(self, block: bytes, layout: CardLayout) -> None:
        self._raw = {name: _raw_text(block, span, name) for name, span in layout.fields.items()}

    def raw(self, name: str) -> str:
        return self._raw.get(name, "")

    def get(self, name: str) -> str:
        return self._raw.get(name, "").strip(_PAD)

    def required(self, name: str) -> str:
        value = self.get(name)
        if not value:
            raise CardDataError(f"证件的“{FIELD_TITLES[name]}”为空，请重新放卡再读；仍失败请手工录入")
        return value


def _id_type(card_type: CardType, number: str) -> IdType:
    if card_type is CardType.RESIDENT_ID:
        return IdType.RESIDENT_ID
    if card_type is CardType.FOREIGN_PR_2017:
        return IdType.FOREIGN_PR_OLD
    if card_type is CardType.FOREIGN_PR_2023:
        return IdType.FOREIGN_PR_2023
    id_type = _PERMIT_TYPES.get(number[:6])
    if id_type is None:
        raise CardDataError(
            "居住证号码应以 810000、820000 或 830000 开头，读到的号码不符，请重新放卡再读；仍失败请手工录入"
        )
    return id_type


def parse_text_block(block: bytes, *, photo: bytes = b"", layouts: LayoutTable | None = None) -> IdCardRecord:
    """Parse the 256-byte text block into a record.

    Args:
        block: the text block (UCS-2LE).
        photo: the WLT photo bytes that came with it.
        layouts: the layout table; the shipped ``layouts.json`` by default.

    Returns:
        The complete record.

    Raises:
        CardDataError: the block has the wrong size, an unknown type flag, or a field that cannot be
            decoded or fails its check (dates, sex code, ID number check digit).
    """
    table = layouts or load_layouts()
    if len(block) != table.block_size:
        raise CardDataError(
            f"证件文字信息长度为 {len(block)} 字节，应为 {table.block_size} 字节，请重新放卡再读"
        )
    flag = _raw_text(block, table.type_flag, "type_flag").strip(_PAD)
    layout = table.by_flag(flag)
    if layout is None:
        raise CardDataError(
            f"无法识别的证件类型标志“{flag}”：本程序可读居民身份证、港澳台居民居住证和外国人永久居留身份证，"
            "其他证件请手工录入"
        )
    f = _Fields(block, layout)
    card_type = layout.card_type
    sex_code = f.required("sex")
    if sex_code not in SEX_NAMES:
        raise CardDataError(f"证件的性别代码“{sex_code}”无效，请重新放卡再读；仍失败请手工录入")
    number = f.required("id_number").upper()
    id_type = _id_type(card_type, number)
    try:
        check_id_number(id_type, number)
    except InvalidIdNumber as exc:
        raise CardDataError(f"从证件读到的号码未通过校验（{exc}），请重新放卡再读；仍失败请手工录入") from exc
    valid_to_text = f.required("valid_to")
    name_en = (f.raw("name_en") + f.raw("name_en_more")).strip(_PAD)
    name = f.get("name")
    if not name and not name_en:
        raise CardDataError("证件的姓名为空，请重新放卡再读；仍失败请手工录入")
    nationality: str | None = (
        "CHN" if card_type in (CardType.RESIDENT_ID, CardType.HMT_RESIDENCE_PERMIT) else None
    )
    if "nationality" in layout.fields and f.get("nationality"):
        nationality = f.get("nationality").upper()
        if not _ALPHA3.fullmatch(nationality):
            raise CardDataError(
                "证件的国籍代码不是 3 位字母，可能是证件版式表与证件不符；"
                "请手工录入并通知系统管理员核对版式文件"
            )
    return IdCardRecord(
        card_type=card_type,
        id_type=id_type,
        name=name,
        sex_code=sex_code,
        birth_date=_date(f.required("birth"), "birth"),
        id_number=number,
        valid_from=_date(f.required("valid_from"), "valid_from"),
        valid_to=None if valid_to_text == LONG_TERM else _date(valid_to_text, "valid_to"),
        name_en=name_en,
        ethnicity_code=f.get("ethnicity"),
        address=f.get("address"),
        issuing_authority=f.get("authority") or f.get("authority_code"),
        nationality=nationality,
        pass_number=f.get("pass_number"),
        issue_count=f.get("issue_count"),
        card_version=f.get("card_version"),
        renewal_count=f.get("renewal_count"),
        previous_number=f.get("previous_number"),
        photo_wlt=bytes(photo),
    )


def parse_read_response(data: bytes, *, layouts: LayoutTable | None = None) -> IdCardRecord:
    """Parse the data of a successful read-text-and-photo answer (command 30 01, §4).

    Layout: text length (2, big-endian) · photo length (2, big-endian) · text · photo.

    Raises:
        FrameError: the lengths do not add up (a damaged or misread frame).
        CardDataError: the text block cannot be understood.
    """
    table = layouts or load_layouts()
    if len(data) < 4:
        raise FrameError("读卡器的读卡应答过短，请把证件放稳后重读")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if text_len != table.block_size or len(data) != 4 + text_len + photo_len:
        raise FrameError("读卡器的读卡应答长度不一致，请把证件放稳后重读；多次出现请联系读卡器厂商")
    return parse_text_block(data[4 : 4 + text_len], photo=data[4 + text_len :], layouts=table)


# ----------------------------------------------------------------------------------------- encoding


def encode_text_block(
    card_type: CardType, values: dict[str, str], *, layouts: LayoutTable | None = None
) -> bytes:
    """Lay field texts out as a card's text block (the emulator's side; inverse of parsing).

    Args:
        card_type: the card type whose layout and flag to use.
        values: field name → text; absent fields stay blank (spaces).
        layouts: the layout table; the shipped one by default.

    Raises:
        ValueError: an unknown field, or a text longer than its field.
    """
    table = layouts or load_layouts()
    layout = table.layouts[card_type]
    block = bytearray(" ".encode("utf-16-le") * (table.block_size // 2))

    def put(span: FieldSpan, text: str, name: str) -> None:
        encoded = text.encode("utf-16-le")
        if len(encoded) > span.length:
            raise ValueError(f"{name}: {len(encoded)} bytes do not fit in {span.length}")
        block[span.offset : span.offset + len(encoded)] = encoded

    for name, text in values.items():
        if name == "name_en" and "name_en_more" in layout.fields:
            head = layout.fields["name_en"].length // 2
            units = text.encode("utf-16-le")
            put(layout.fields["name_en"], units[: head * 2].decode("utf-16-le"), name)
            put(layout.fields["name_en_more"], units[head * 2 :].decode("utf-16-le"), "name_en_more")
            continue
        if name not in layout.fields:
            raise ValueError(f"{card_type.value} has no field {name!r}")
        put(layout.fields[name], text, name)
    put(table.type_flag, layout.flag, "type_flag")
    return bytes(block)
