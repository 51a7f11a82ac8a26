"""The passport's machine-readable zone (TD3, ICAO Doc 9303 Part 3 §4.9 and Part 4 §4.2).

A TD3 MRZ is two lines of 44 characters from ``A–Z``, ``0–9`` and the filler ``<``:

- line 1: document code (2) · issuing state (3) · name (39: primary identifier ``<<`` secondary
  identifier, ``<`` between name parts);
- line 2: document number (9) · check digit · nationality (3) · date of birth YYMMDD · check digit ·
  sex (``M``/``F``/``X``/``<``) · date of expiry YYMMDD · check digit · optional data (14) · check
  digit · composite check digit (over positions 1–10, 14–20 and 22–43).

Check digits use the weights 7-3-1 with ``0–9`` → 0–9, ``A–Z`` → 10–35 and ``<`` → 0 (Part 3 §4.9).
A document number longer than nine characters fills the number field, puts ``<`` in its check digit
and continues in the optional data followed by its check digit (Part 4 §4.2.4, note j).

The key for Basic Access Control is the "MRZ information": document number (at least nine
characters, ``<``-padded) with its check digit, date of birth with its check digit, date of expiry with
its check digit (Doc 9303 Part 11 §9.7.2; Appendix D.2 example ``L898902C<369080619406236``).

Messages never quote the MRZ: it is personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from forms.case import Sex
from scanning.errors import MrzInvalid

LINE_LENGTH: Final = 44
"""Characters in each of the two TD3 lines."""

_WEIGHTS: Final = (7, 3, 1)
_MRZ_CHARS = re.compile(r"[A-Z0-9<]*")
_DATE = re.compile(r"\d{2}[\d<]{2}[\d<]{2}")

# Doc 9303 Part 3 §5 (codes for nationality): Germany is written "D" (filled "D<<"), not "DEU".
# Every other code read from an MRZ is kept as printed (ISO 3166-1 alpha-3 or a Doc 9303 code such as
# XXA stateless, UNO United Nations).
NATIONALITY_ALIASES: Final = {"D": "DEU"}

SEXES: Final = {"M": Sex.MALE, "F": Sex.FEMALE}
"""MRZ sex codes the case model knows; ``X`` and ``<`` (unspecified) map to no value."""

FIELD_TITLES: Final = {
    "document_number": "护照号码",
    "birth": "出生日期",
    "expiry": "有效期至",
    "optional": "可选数据",
    "composite": "综合校验位",
    "nationality": "国籍",
    "sex": "性别",
    "name": "姓名",
    "document_code": "证件类型",
}
"""Chinese names of the MRZ fields, used in messages."""


def check_digit(text: str) -> str:
    """The 7-3-1 check digit of an MRZ field (Doc 9303 Part 3 §4.9).

    Raises:
        MrzInvalid: a character outside ``A–Z0–9<``.
    """
    total = 0
    for i, ch in enumerate(text):
        if "0" <= ch <= "9":
            value = ord(ch) - ord("0")
        elif "A" <= ch <= "Z":
            value = ord(ch) - ord("A") + 10
        elif ch == "<":
            value = 0
        else:
            raise MrzInvalid("机读区只能包含大写字母、数字和“<”，请核对后重新输入")
        total += value * _WEIGHTS[i % 3]
    return str(total % 10)


def _verify(value: str, digit: str, field: str) -> None:
    if check_digit(value) != digit:
        title = FIELD_TITLES[field]
        raise MrzInvalid(
            f"机读区“{title}”的校验位不符，可能输错或扫描识别有误；请对照护照资料页核对{title}及其后的校验位",
            field=title,
        )


def _normalise(text: str) -> str:
    # Scans and typing give lower case, spaces and full-width characters; the MRZ itself has none.
    return text.translate(_FULLWIDTH).upper().replace(" ", "")


_FULLWIDTH = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {chr(0xFF21 + i): chr(ord("A") + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(ord("A") + i) for i in range(26)}
    | {"＜": "<", "«": "<<"}
)


@dataclass(frozen=True, repr=False)
class BacKey:
    """The three MRZ fields Basic Access Control derives its keys from.

    ``repr()`` hides the values: they identify the holder.

    Attributes:
        document_number: the full document number without filler (upper case).
        birth: date of birth as in the MRZ, ``YYMMDD``.
        expiry: date of expiry as in the MRZ, ``YYMMDD``.
    """

    document_number: str
    birth: str
    expiry: str

    def __repr__(self) -> str:
        return "BacKey(<personal data hidden>)"

    @property
    def mrz_information(self) -> str:
        """The MRZ information hashed into the BAC key seed (Doc 9303 Part 11 §9.7.2)."""
        number = self.document_number.ljust(9, "<")
        return (
            number
            + check_digit(number)
            + self.birth
            + check_digit(self.birth)
            + self.expiry
            + check_digit(self.expiry)
        )


def mrz_key(document_number: str, birth: str, expiry: str) -> BacKey:
    """Build the BAC key from the three fields a clerk reads off the data page.

    Args:
        document_number: the passport number (letters and digits; ``<`` filler allowed).
        birth: date of birth ``YYMMDD`` (``<`` for an unknown day or month).
        expiry: date of expiry ``YYMMDD``.

    Raises:
        MrzInvalid: a field has the wrong form.
    """
    number = _normalise(document_number).rstrip("<")
    birth = _normalise(birth)
    expiry = _normalise(expiry)
    if not number or not _MRZ_CHARS.fullmatch(number) or "<" in number:
        raise MrzInvalid("护照号码只能由字母和数字组成，请对照护照资料页重新输入", field="护照号码")
    if not _DATE.fullmatch(birth):
        raise MrzInvalid("出生日期应为 6 位数字（年月日 YYMMDD），请对照机读区重新输入", field="出生日期")
    if not re.fullmatch(r"\d{6}", expiry):
        raise MrzInvalid("有效期至应为 6 位数字（年月日 YYMMDD），请对照机读区重新输入", field="有效期至")
    return BacKey(number, birth, expiry)


@dataclass(frozen=True, repr=False)
class Td3Mrz:
    """A parsed, checked TD3 MRZ.

    Attributes:
        document_code: ``P`` plus the type letter or ``<`` (``P<``, ``PD`` …).
        issuing_state: the issuing state's code as printed.
        surname: the primary identifier, parts joined by spaces.
        given_names: the secondary identifier, parts joined by spaces.
        document_number: the full document number without filler.
        nationality: ISO 3166-1 alpha-3 (``D`` becomes ``DEU``) or a Doc 9303 code (``XXA`` …).
        birth: date of birth ``YYMMDD`` as printed.
        sex_code: ``M``, ``F``, ``X`` or ``<``.
        expiry: date of expiry ``YYMMDD``.
        optional_data: the optional (personal number) field without filler.
        lines: the two lines as read.
    """

    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth: str
    sex_code: str
    expiry: str
    optional_data: str
    lines: tuple[str, str]

    def __repr__(self) -> str:
        return f"Td3Mrz(document_code={self.document_code!r}, <personal data hidden>)"

    @property
    def key(self) -> BacKey:
        """The BAC key of this document."""
        return BacKey(self.document_number, self.birth, self.expiry)

    @property
    def name(self) -> str:
        """The holder's name as usually written: ``SURNAME GIVEN NAMES``."""
        return " ".join(p for p in (self.surname, self.given_names) if p)

    @property
    def sex(self) -> Sex | None:
        """The sex as the case model knows it (``None`` for ``X`` and unspecified)."""
        return SEXES.get(self.sex_code)

    def birth_date(self, today: date) -> date | None:
        """The date of birth, the century chosen so the date is not after ``today``.

        Returns ``None`` when the MRZ gives an unknown day or month (``<``). A holder over 100 years
        old would be placed a century too late: the MRZ has no century (Doc 9303 Part 3 §4.9).
        """
        return _date_in_past(self.birth, today)

    def expiry_date(self) -> date:
        """The date of expiry (20YY: passports are valid for at most ten years)."""
        parsed = _yymmdd(self.expiry, 2000)
        if parsed is None:
            raise MrzInvalid("机读区的有效期不是有效日期，请对照护照资料页核对", field="有效期至")
        return parsed


def _yymmdd(text: str, century: int) -> date | None:
    if not text.isdigit():
        return None
    try:
        return date(century + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return None


def _date_in_past(text: str, today: date) -> date | None:
    parsed = _yymmdd(text, 2000)
    if parsed is not None and parsed > today:
        parsed = _yymmdd(text, 1900)
    return parsed


def _split_lines(text: str) -> tuple[str, str]:
    raw = [_normalise(line) for line in text.strip().splitlines() if line.strip()]
    if len(raw) == 1 and len(raw[0]) == 2 * LINE_LENGTH:
        raw = [raw[0][:LINE_LENGTH], raw[0][LINE_LENGTH:]]
    if len(raw) != 2 or any(len(line) != LINE_LENGTH for line in raw):
        raise MrzInvalid("护照机读区应为两行、每行 44 个字符，请对照资料页底部两行完整输入（“<”也要输入）")
    for line in raw:
        if not _MRZ_CHARS.fullmatch(line):
            raise MrzInvalid("机读区只能包含大写字母、数字和“<”，请核对后重新输入")
    return raw[0], raw[1]


def parse_td3(text: str) -> Td3Mrz:
    """Parse and check a passport's two MRZ lines.

    Args:
        text: the two lines, separated by a line break or concatenated (88 characters). Lower case,
            spaces and full-width characters are normalised.

    Raises:
        MrzInvalid: wrong shape, not a passport MRZ, or a check digit that does not match.
    """
    line1, line2 = _split_lines(text)
    if line1[0] != "P":
        raise MrzInvalid("这不是护照机读区（第一行应以“P”开头），请核对证件类型", field="证件类型")
    number_field, number_digit = line2[0:9], line2[9]
    optional_field, optional_digit = line2[28:42], line2[42]
    if number_digit == "<" and number_field[8] != "<":
        # Long document number: the rest and its check digit lead the optional data (Part 4 §4.2.4).
        rest = optional_field.split("<", 1)[0]
        if len(rest) < 2:
            raise MrzInvalid("机读区的护照号码不完整，请核对第二行前 10 位及可选数据", field="护照号码")
        number = number_field + rest[:-1]
        _verify(number, rest[-1], "document_number")
        optional = optional_field[len(rest) :].strip("<")
    else:
        _verify(number_field, number_digit, "document_number")
        number = number_field.rstrip("<")
        optional = optional_field.strip("<")
    birth, expiry = line2[13:19], line2[21:27]
    _verify(birth, line2[19], "birth")
    _verify(expiry, line2[27], "expiry")
    if optional_digit != "<" or optional_field.strip("<"):
        _verify(optional_field, optional_digit, "optional")
    _verify(line2[0:10] + line2[13:20] + line2[21:43], line2[43], "composite")
    if not _DATE.fullmatch(birth):
        raise MrzInvalid("机读区的出生日期格式不对，请核对第二行第 14–19 位", field="出生日期")
    if _yymmdd(expiry, 2000) is None:
        raise MrzInvalid("机读区的有效期不是有效日期，请核对第二行第 22–27 位", field="有效期至")
    sex_code = line2[20]
    if sex_code not in "MFX<":
        raise MrzInvalid("机读区的性别只能是 M、F、X 或“<”，请核对第二行第 21 位", field="性别")
    nationality = line2[10:13].strip("<")
    nationality = NATIONALITY_ALIASES.get(nationality, nationality)
    if not re.fullmatch(r"[A-Z]{3}", nationality):
        raise MrzInvalid("机读区的国籍代码无效，请核对第二行第 11–13 位", field="国籍")
    surname, _, given = line1[5:].partition("<<")
    if not surname.strip("<"):
        raise MrzInvalid("机读区第一行没有姓名，请核对", field="姓名")
    return Td3Mrz(
        document_code=line1[0:2],
        issuing_state=line1[2:5].strip("<"),
        surname=" ".join(surname.split("<")).strip(),
        given_names=" ".join(part for part in given.split("<") if part),
        document_number=number,
        nationality=nationality,
        birth=birth,
        sex_code=sex_code,
        expiry=expiry,
        optional_data=optional,
        lines=(line1, line2),
    )


def parse_key(text: str) -> BacKey:
    """Take the BAC key from what a clerk typed or a scan produced.

    Accepted forms:

    - the two TD3 lines (or 88 characters run together): all check digits are verified;
    - the MRZ information, e.g. ``L898902C<369080619406236`` (number, birth, expiry with their check
      digits; a long number continues before its check digit);
    - three fields separated by ``/``, ``,`` or spaces: ``L898902C 690806 940623``.

    Raises:
        MrzInvalid: none of the forms fits, or a check digit does not match.
    """
    stripped = text.strip()
    if "\n" in stripped or len(_normalise(stripped)) == 2 * LINE_LENGTH:
        return parse_td3(stripped).key
    parts = [p for p in re.split(r"[\s,/，、]+", stripped) if p]
    if len(parts) == 3:
        return mrz_key(*parts)
    info = _normalise(stripped)
    if not _MRZ_CHARS.fullmatch(info) or len(info) < 24:
        raise MrzInvalid("请输入护照机读区两行，或“护照号码 出生日期 有效期至”（如 E12345678 900101 300101）")
    number_part, birth, birth_cd, expiry, expiry_cd = (
        info[:-14],
        info[-14:-8],
        info[-8],
        info[-7:-1],
        info[-1],
    )
    _verify(birth, birth_cd, "birth")
    _verify(expiry, expiry_cd, "expiry")
    number, number_cd = number_part[:-1], number_part[-1]
    _verify(number, number_cd, "document_number")
    return mrz_key(number, birth, expiry)


def format_td3(
    *,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth: str,
    sex_code: str,
    expiry: str,
    issuing_state: str | None = None,
    optional_data: str = "",
    document_code: str = "P<",
) -> tuple[str, str]:
    """Compose the two TD3 lines with their check digits (the inverse of :func:`parse_td3`).

    Names are upper-cased, spaces become ``<`` and the name field is cut to 39 characters. Used by
    the virtual passport and tests.

    Raises:
        MrzInvalid: a field does not fit its place.
    """

    def field(text: str) -> str:
        return _normalise(text.replace(" ", "<")) if " " in text else _normalise(text)

    state = field(issuing_state or nationality).ljust(3, "<")
    names = field(surname) + "<<" + field(given_names)
    line1 = (document_code.ljust(2, "<") + state + names)[:LINE_LENGTH].ljust(LINE_LENGTH, "<")
    number = _normalise(document_number)
    optional = field(optional_data)
    if len(number) > 9:
        optional = number[9:] + check_digit(number) + optional
        number_field = number[:9] + "<"
    else:
        padded = number.ljust(9, "<")
        number_field = padded + check_digit(padded)
    if len(optional) > 14:
        raise MrzInvalid("可选数据过长，放不进机读区", field="可选数据")
    optional = optional.ljust(14, "<")
    optional_digit = check_digit(optional) if optional.strip("<") else "<"
    line2 = (
        number_field
        + field(nationality).ljust(3, "<")
        + birth
        + check_digit(birth)
        + sex_code
        + expiry
        + check_digit(expiry)
        + optional
        + optional_digit
    )
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    for line in (line1, line2):
        if len(line) != LINE_LENGTH or not _MRZ_CHARS.fullmatch(line):
            raise MrzInvalid("机读区字段超出长度或含有非法字符", field="")
    return line1, line2
