"""Validators for identity documents, credit codes, real-estate unit numbers and certificate numbers.

Formats, check algorithms and test vectors are copied from the product owner's domain reference
(``identifiers.md``, sections cited next to each rule). Where that file marks a fact unverified
([M]) or lists it as an open question, the fact is a field of :class:`IdentifierSettings` rather than
a constant, so an office can change it without a new release.

Every validator raises :class:`~forms.errors.InvalidIdNumber` (personal documents) or
:class:`~forms.errors.InvalidIdentifier` (everything else) with a Chinese message that says what is
wrong and how to fix it. A message never reveals the correct check character: a wrong check
character usually means a mistyped digit elsewhere, and "fixing" the last digit would hide it.
Messages never repeat the number itself (it is personal data and messages may be logged).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Final

from forms.case import IdType, Sex
from forms.errors import InvalidIdentifier, InvalidIdNumber
from forms.messages import label

# ----------------------------------------------------------------------------------------- data

PROVINCE_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "11": "北京",
        "12": "天津",
        "13": "河北",
        "14": "山西",
        "15": "内蒙古",
        "21": "辽宁",
        "22": "吉林",
        "23": "黑龙江",
        "31": "上海",
        "32": "江苏",
        "33": "浙江",
        "34": "安徽",
        "35": "福建",
        "36": "江西",
        "37": "山东",
        "41": "河南",
        "42": "湖北",
        "43": "湖南",
        "44": "广东",
        "45": "广西",
        "46": "海南",
        "50": "重庆",
        "51": "四川",
        "52": "贵州",
        "53": "云南",
        "54": "西藏",
        "61": "陕西",
        "62": "甘肃",
        "63": "青海",
        "64": "宁夏",
        "65": "新疆",
        "71": "台湾",
        "81": "香港",
        "82": "澳门",
    }
)
"""Province-level codes of GB/T 2260 (the first two digits of an address code)."""

MAINLAND_PROVINCE_CODES: Final[frozenset[str]] = frozenset(
    code for code in PROVINCE_CODES if code not in {"71", "81", "82"}
)
"""Provinces whose public security bureaus issue resident IDs and 2023 PR cards."""

RESIDENCE_PERMIT_ADDRESS_CODES: Final[Mapping[IdType, Mapping[str, str]]] = MappingProxyType(
    {
        # identifiers.md §1 (residence permits since 2018-09) [S]
        IdType.HK_MACAO_RESIDENCE_PERMIT: MappingProxyType({"810000": "香港", "820000": "澳门"}),
        IdType.TAIWAN_RESIDENCE_PERMIT: MappingProxyType({"830000": "台湾"}),
    }
)
"""The only address codes each residence permit may carry."""

USCC_DEPARTMENTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        # GB 32100-2015 via identifiers.md §2: 1, 5, 9, Y [S]; the rest [M].
        "1": "机构编制",
        "2": "外交",
        "3": "司法行政",
        "4": "文化",
        "5": "民政",
        "6": "旅游",
        "7": "宗教",
        "8": "工会",
        "9": "市场监管（工商）",
        "A": "中央军委改革和编制办公室",
        "N": "农业",
        "Y": "其他",
    }
)
"""Registration-department codes (position 1 of a USCC)."""

USCC_CATEGORIES: Final[Mapping[tuple[str, str], str]] = MappingProxyType(
    {
        # identifiers.md §2 [M]
        ("1", "1"): "机关",
        ("1", "2"): "事业单位",
        ("1", "9"): "其他",
        ("5", "1"): "社会团体",
        ("5", "2"): "民办非企业单位",
        ("5", "3"): "基金会",
        ("5", "9"): "其他",
        ("9", "1"): "企业",
        ("9", "2"): "个体工商户",
        ("9", "3"): "农民专业合作社",
    }
)
"""Entity categories (position 2) by department; ("9", "2") 个体工商户 pre-fills the fee exemption."""

# ----------------------------------------------------------------------------------------- settings


def _default_permit_patterns() -> Mapping[IdType, tuple[str, ...]]:
    return MappingProxyType(
        {
            # identifiers.md §1, all [M]; Q4: older series are an office setting.
            IdType.HK_MACAO_HOME_RETURN_PERMIT: (r"[HM]\d{8}(\d{2})?",),
            IdType.TAIWAN_COMPATRIOT_PERMIT: (r"\d{8}(\d{2})?", r"\d{10}\([A-Z0-9]{1,2}\)"),
            IdType.MAINLAND_HK_MACAO_PERMIT: (r"C[A-HJ-NP-Z]\d{7}",),
            # No source in identifiers.md: ICAO 9303 document numbers are letters and digits; a
            # length of 5–17 covers the passports seen at windows. Adjust per office.
            IdType.PASSPORT: (r"(?=.*\d)[A-Z0-9]{5,17}",),
        }
    )


_PERMIT_EXAMPLES: Final[Mapping[IdType, str]] = MappingProxyType(
    {
        IdType.HK_MACAO_HOME_RETURN_PERMIT: "H 或 M 加 8 位数字，例如 H12345678",
        IdType.TAIWAN_COMPATRIOT_PERMIT: "8 位数字（可带 2 位签发次数），例如 12345678",
        IdType.MAINLAND_HK_MACAO_PERMIT: "C 加一个字母（不含 I、O）加 7 位数字，例如 CA1234567",
        IdType.PASSPORT: "5–17 位字母和数字，例如 E12345678",
    }
)


@dataclass(frozen=True)
class IdentifierSettings:
    """The office-adjustable parts of identifier validation (the open questions of identifiers.md §6).

    Attributes:
        earliest_birth: births before this date are rejected as implausible (identifiers.md §1.1:
            "any plausibility range is a setting"; the GB 11643 example is born 1880).
        old_pr_mrz_check: apply the ICAO 9303 7-3-1 check to the 15-character PR number (Q1: unverified,
            so off by default and only the pattern is checked).
        strict_uscc_department: reject a USCC whose department code is not in ``uscc_departments``
            (the list is partly unverified, so off by default).
        uscc_departments: department codes and names.
        parcel_ownership_codes: allowed 1st characters of the 宗地/宗海 feature code (unit number, Q2).
        parcel_use_codes: allowed 2nd characters of the 宗地/宗海 feature code.
        fixture_codes: allowed 定着物 feature codes.
        permit_patterns: full-match regular expressions accepted per travel document type (Q4).
        contract_filing_pattern: the local 合同网签备案编号 pattern (full match), or ``None`` to accept any
            non-empty text (identifiers.md §5, Q3).
        contract_filing_example: an example number shown when the pattern does not match.
    """

    earliest_birth: date = date(1870, 1, 1)
    old_pr_mrz_check: bool = False
    strict_uscc_department: bool = False
    uscc_departments: Mapping[str, str] = field(default_factory=lambda: USCC_DEPARTMENTS)
    parcel_ownership_codes: str = "GJZ"
    parcel_use_codes: str = "ABCDEFGHSWXY"
    fixture_codes: str = "FLQW"
    permit_patterns: Mapping[IdType, tuple[str, ...]] = field(default_factory=_default_permit_patterns)
    contract_filing_pattern: str | None = None
    contract_filing_example: str | None = None


DEFAULT_SETTINGS: Final = IdentifierSettings()

# ----------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class IdInfo:
    """What a valid document number says about its holder.

    Attributes:
        id_type: the document type checked.
        number: the number in canonical form (half-width, upper case, no spaces).
        birth_date: the birth date, where the number carries one.
        sex: the sex, where the number carries one (odd sequence = male).
        region_code: the GB/T 2260 address code (resident ID, residence permits, USCC: 6 digits) or the
            2-digit province of issue (2023 PR card).
        nationality_numeric: ISO 3166-1 numeric nationality (2023 PR card).
        nationality_alpha3: ISO 3166-1 alpha-3 nationality (old 15-character PR card).
        department: the USCC registration department's name, if known.
        category: the USCC entity category's name, if known.
    """

    id_type: IdType
    number: str
    birth_date: date | None = None
    sex: Sex | None = None
    region_code: str | None = None
    nationality_numeric: str | None = None
    nationality_alpha3: str | None = None
    department: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class UnitNumber:
    """A 28-character 不动产单元号 split into its GB/T 37346-2019 segments (identifiers.md §3).

    Attributes:
        county: [0, 6) county-level administrative division.
        cadastral_district: [6, 9) 地籍区.
        cadastral_subdistrict: [9, 12) 地籍子区.
        parcel_code: [12, 14) 宗地/宗海 feature code, e.g. ``GB``.
        parcel_sequence: [14, 19) 宗地/宗海 sequence.
        fixture_code: [19, 20) 定着物 feature code, e.g. ``F``.
        fixture_number: [20, 28) 定着物 unit number.
    """

    county: str
    cadastral_district: str
    cadastral_subdistrict: str
    parcel_code: str
    parcel_sequence: str
    fixture_code: str
    fixture_number: str

    @property
    def parcel(self) -> str:
        """The 19-character 宗地/宗海 code (everything before the 定着物 part)."""
        return (
            self.county
            + self.cadastral_district
            + self.cadastral_subdistrict
            + self.parcel_code
            + self.parcel_sequence
        )

    @property
    def building(self) -> str | None:
        """The 4-digit 幢 number of a building unit (``F``), else ``None`` (the split is [M])."""
        return self.fixture_number[:4] if self.fixture_code == "F" else None

    @property
    def unit(self) -> str | None:
        """The 4-digit 户 number of a building unit (``F``), else ``None``."""
        return self.fixture_number[4:] if self.fixture_code == "F" else None

    def __str__(self) -> str:
        return self.parcel + self.fixture_code + self.fixture_number


@dataclass(frozen=True)
class CertificateNumber:
    """A parsed 不动产权证书号 or 不动产登记证明 number (identifiers.md §4).

    Attributes:
        province: the province abbreviation, e.g. ``浙``.
        year: the year of issue.
        county: the city or county part, which may itself contain brackets.
        kind: ``权`` (不动产权证书) or ``证明`` (不动产登记证明).
        sequence: the 7-digit sequence.
    """

    province: str
    year: int
    county: str
    kind: str
    sequence: str

    @property
    def is_certificate(self) -> bool:
        """True for a 不动产权证书, False for a 不动产登记证明 (e.g. of a mortgage)."""
        return self.kind == "权"


# ----------------------------------------------------------------------------------------- helpers


def normalise(number: str) -> str:
    """The canonical form of a typed or read number: half-width, upper case, without whitespace.

    Full-width digits, letters and brackets (``１２３ｘ（）``) become half-width.
    """
    return "".join(unicodedata.normalize("NFKC", number).split()).upper()


_DIGITS = re.compile(r"[0-9]+")

MOD11_2_WEIGHTS: Final[tuple[int, ...]] = tuple(pow(2, 17 - i, 11) for i in range(17))
"""Weights of positions 1–17, 2^(18−i) mod 11 (ISO 7064 MOD 11-2, identifiers.md §1.1)."""

_MOD11_2_CHECK: Final = "10X98765432"


def mod11_2_check_char(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of an 18-character number.

    Args:
        body: exactly 17 ASCII digits.

    Returns:
        ``0``–``9`` or ``X``.

    Raises:
        InvalidIdNumber: ``body`` is not 17 digits.
    """
    if len(body) != 17 or not _DIGITS.fullmatch(body):
        raise InvalidIdNumber("计算校验位需要 17 位数字，请核对号码前 17 位", "format")
    total = sum(int(digit) * weight for digit, weight in zip(body, MOD11_2_WEIGHTS, strict=True))
    return _MOD11_2_CHECK[total % 11]


USCC_CHARSET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of a USCC and their values 0–30 (no I, O, S, V, Z; identifiers.md §2)."""

USCC_WEIGHTS: Final[tuple[int, ...]] = tuple(pow(3, i, 31) for i in range(17))
"""Weights of positions 1–17, 3^(i−1) mod 31 (GB 32100-2015, identifiers.md §2)."""

ORG_CODE_WEIGHTS: Final[tuple[int, ...]] = (3, 7, 9, 10, 5, 8, 4, 2)
"""Weights of the 8-character organisation-code body (GB 11714, identifiers.md §2)."""


def uscc_check_char(body: str) -> str:
    """The GB 32100 check character (position 18) of the first 17 characters of a USCC.

    Args:
        body: 17 characters of :data:`USCC_CHARSET`.

    Returns:
        One character of :data:`USCC_CHARSET`.

    Raises:
        InvalidIdentifier: ``body`` is not 17 valid characters.
    """
    if len(body) != 17 or any(char not in USCC_CHARSET for char in body):
        raise InvalidIdentifier(
            "计算校验位需要 17 位有效字符（数字或除 I、O、S、V、Z 外的大写字母），请核对统一社会信用代码",
            "format",
        )
    total = sum(USCC_CHARSET.index(char) * weight for char, weight in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """The GB 11714 check character of an 8-character organisation-code body.

    Letters count A = 10 … Z = 35 here (unlike the USCC values).

    Args:
        body: 8 digits or upper-case letters.

    Returns:
        ``0``–``9`` or ``X``.

    Raises:
        InvalidIdentifier: ``body`` is not 8 digits or letters.
    """
    if len(body) != 8 or not re.fullmatch(r"[0-9A-Z]{8}", body):
        raise InvalidIdentifier("组织机构代码本体应为 8 位数字或大写字母，请核对", "format")
    total = sum(int(char, 36) * weight for char, weight in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _mrz_check_digit(text: str) -> str:
    # ICAO 9303 Part 3 §4.9: weights 7-3-1 repeating, A = 10 … Z = 35, sum mod 10.
    weights = (7, 3, 1)
    return str(sum(int(char, 36) * weights[i % 3] for i, char in enumerate(text)) % 10)


def _parse_date(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _check_birth(
    birth: date | None, doc: str, positions: str, settings: IdentifierSettings, today: date
) -> date:
    if birth is None:
        raise InvalidIdNumber(f"{doc}第 {positions} 位的出生日期不存在，请核对出生年月日", "birth_date")
    if birth > today:
        raise InvalidIdNumber(f"{doc}第 {positions} 位的出生日期晚于今天，请核对出生年月日", "birth_date")
    if birth < settings.earliest_birth:
        raise InvalidIdNumber(
            f"{doc}第 {positions} 位的出生日期早于 {settings.earliest_birth.isoformat()}，"
            "超出合理范围，请核对出生年月日",
            "birth_date",
        )
    return birth


def _check_mod11_2(number: str, doc: str) -> None:
    if mod11_2_check_char(number[:17]) != number[17]:
        raise InvalidIdNumber(f"{doc}校验位不正确，请核对证件号码各位数字，特别是最后一位", "check_digit")


def _check_18_shape(number: str, doc: str) -> None:
    if len(number) != 18:
        raise InvalidIdNumber(f"{doc}应为 18 位，现为 {len(number)} 位，请核对是否多输或漏输", "length")
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise InvalidIdNumber(f"{doc}前 17 位应为数字，最后一位为数字或 X，请核对", "format")


def _sex_from_sequence(sequence: str) -> Sex:
    return Sex.MALE if int(sequence[-1]) % 2 else Sex.FEMALE


# ----------------------------------------------------------------------------------------- personal


def check_resident_id(number: str, *, settings: IdentifierSettings = DEFAULT_SETTINGS, today: date) -> IdInfo:
    """Check an 18-digit 居民身份证号码 (GB 11643-1999 via identifiers.md §1, §1.1).

    Args:
        number: the number, canonical form (see :func:`normalise`).
        settings: the plausibility range of birth dates.
        today: the reference date for "born in the future".

    Returns:
        Birth date, sex and the 6-digit address code.

    Raises:
        InvalidIdNumber: the message says what is wrong.
    """
    doc = "居民身份证号码"
    if len(number) == 15 and _DIGITS.fullmatch(number):
        raise InvalidIdNumber(
            "这是 15 位的第一代身份证号码，已停止使用，请填写当事人现行 18 位居民身份证号码", "length"
        )
    _check_18_shape(number, doc)
    if number.startswith("9"):
        raise InvalidIdNumber(
            "以 9 开头的 18 位号码是外国人永久居留身份证号码，"
            "请把证件种类改为“外国人永久居留身份证（2023 版）”",
            "wrong_type",
        )
    for id_type, codes in RESIDENCE_PERMIT_ADDRESS_CODES.items():
        if number[:6] in codes:
            raise InvalidIdNumber(
                f"以 {number[:6]} 开头的是{label(id_type)}号码，请把证件种类改为“{label(id_type)}”",
                "wrong_type",
            )
    if number[:2] not in MAINLAND_PROVINCE_CODES:
        raise InvalidIdNumber(f"{doc}前两位不是有效的省级行政区划代码，请核对前 6 位地址码", "region")
    birth = _check_birth(_parse_date(number[6:14]), doc, "7–14", settings, today)
    _check_mod11_2(number, doc)
    return IdInfo(
        IdType.RESIDENT_ID,
        number,
        birth_date=birth,
        sex=_sex_from_sequence(number[14:17]),
        region_code=number[:6],
    )


def _check_residence_permit(
    id_type: IdType, number: str, settings: IdentifierSettings, today: date
) -> IdInfo:
    # identifiers.md §1: same structure as the resident ID with a fixed address code [S].
    codes = RESIDENCE_PERMIT_ADDRESS_CODES[id_type]
    doc = f"{label(id_type)}号码"
    _check_18_shape(number, doc)
    if number[:6] not in codes:
        allowed = "、".join(f"{code}（{place}）" for code, place in codes.items())
        raise InvalidIdNumber(
            f"{doc}应以 {allowed} 开头，请核对；如果这是居民身份证，请把证件种类改为“居民身份证”", "region"
        )
    birth = _check_birth(_parse_date(number[6:14]), doc, "7–14", settings, today)
    _check_mod11_2(number, doc)
    return IdInfo(
        id_type, number, birth_date=birth, sex=_sex_from_sequence(number[14:17]), region_code=number[:6]
    )


def check_foreign_pr_2023(
    number: str, *, settings: IdentifierSettings = DEFAULT_SETTINGS, today: date
) -> IdInfo:
    """Check a 2023 外国人永久居留身份证 number (国家移民管理局 适配性改造要点 via identifiers.md §1).

    Structure: ``9`` + 2-digit province of issue + 3-digit ISO 3166 numeric nationality + 8-digit birth
    date + 3-digit sequence (odd = male) + MOD 11-2 check.

    Raises:
        InvalidIdNumber: the message says what is wrong.
    """
    doc = "外国人永久居留身份证号码"
    _check_18_shape(number, doc)
    if not number.startswith("9"):
        raise InvalidIdNumber(
            f"2023 版{doc}以 9 开头，请核对；15 位旧版证件请选择“外国人永久居留身份证（旧版 15 位）”",
            "format",
        )
    if number[1:3] not in MAINLAND_PROVINCE_CODES:
        raise InvalidIdNumber(f"{doc}第 2–3 位应为签发省份代码，请核对", "region")
    if number[3:6] == "000":
        raise InvalidIdNumber(f"{doc}第 4–6 位应为国籍数字代码，不能为 000，请核对", "nationality")
    birth = _check_birth(_parse_date(number[6:14]), doc, "7–14", settings, today)
    _check_mod11_2(number, doc)
    return IdInfo(
        IdType.FOREIGN_PR_2023,
        number,
        birth_date=birth,
        sex=_sex_from_sequence(number[14:17]),
        region_code=number[1:3],
        nationality_numeric=number[3:6],
    )


def check_foreign_pr_old(
    number: str, *, settings: IdentifierSettings = DEFAULT_SETTINGS, today: date
) -> IdInfo:
    """Check a 15-character 2004/2017 外国人永久居留身份证 number (identifiers.md §1, [M]).

    Structure: 3-letter ISO nationality + 4-digit region + YYMMDD + 1 sequence + 1 check. The check
    character's rule is unverified (Q1): only with ``settings.old_pr_mrz_check`` is the ICAO 7-3-1
    rule applied. The century of the birth year is the latest one that is not in the future.

    Raises:
        InvalidIdNumber: the message says what is wrong.
    """
    doc = "旧版外国人永久居留身份证号码"
    if len(number) == 18 and number.startswith("9"):
        raise InvalidIdNumber(
            "以 9 开头的 18 位号码是 2023 版外国人永久居留身份证，"
            "请把证件种类改为“外国人永久居留身份证（2023 版）”",
            "wrong_type",
        )
    if len(number) != 15:
        raise InvalidIdNumber(f"{doc}应为 15 位，现为 {len(number)} 位，请核对", "length")
    if not re.fullmatch(r"[A-Z]{3}[0-9]{12}", number):
        raise InvalidIdNumber(
            f"{doc}应为 3 位国籍字母代码加 12 位数字，例如 CAN110079050112，请核对", "format"
        )
    yymmdd = number[7:13]
    birth = None
    for century in (today.year // 100 * 100, today.year // 100 * 100 - 100):
        candidate = _parse_date(f"{century + int(yymmdd[:2]):04d}{yymmdd[2:]}")
        if candidate is not None and candidate <= today:
            birth = candidate
            break
    birth = _check_birth(birth, doc, "8–13", settings, today)
    if settings.old_pr_mrz_check and _mrz_check_digit(number[:14]) != number[14]:
        raise InvalidIdNumber(f"{doc}校验位不正确，请核对证件号码各位，特别是最后一位", "check_digit")
    return IdInfo(
        IdType.FOREIGN_PR_OLD,
        number,
        birth_date=birth,
        region_code=number[3:7],
        nationality_alpha3=number[:3],
    )


def _check_by_pattern(id_type: IdType, number: str, settings: IdentifierSettings) -> IdInfo:
    patterns = settings.permit_patterns.get(id_type, ())
    if not any(re.fullmatch(pattern, number) for pattern in patterns):
        example = _PERMIT_EXAMPLES.get(id_type)
        shape = f"，应为{example}" if example else ""
        raise InvalidIdNumber(f"{label(id_type)}号码格式不正确{shape}，请核对证件", "format")
    return IdInfo(id_type, number)


# ----------------------------------------------------------------------------------------- organisations


def check_uscc(number: str, *, settings: IdentifierSettings = DEFAULT_SETTINGS) -> IdInfo:
    """Check an 18-character 统一社会信用代码 (GB 32100-2015 and GB 11714 via identifiers.md §2).

    Both the code's own check character (position 18) and the embedded organisation code's check
    character (position 17) are verified.

    Returns:
        The registering authority's address code and, where known, department and category names.

    Raises:
        InvalidIdentifier: the message says what is wrong.
    """
    doc = "统一社会信用代码"
    if len(number) != 18:
        raise InvalidIdentifier(f"{doc}应为 18 位，现为 {len(number)} 位，请核对是否多输或漏输", "length")
    for position, char in enumerate(number, start=1):
        if char not in USCC_CHARSET:
            raise InvalidIdentifier(
                f"{doc}第 {position} 位不是有效字符（只用数字和除 I、O、S、V、Z 外的大写字母），请核对",
                "format",
            )
    department = settings.uscc_departments.get(number[0])
    if department is None and settings.strict_uscc_department:
        raise InvalidIdentifier(f"{doc}第 1 位不是已知的登记管理部门代码，请核对", "department")
    if not _DIGITS.fullmatch(number[2:8]):
        raise InvalidIdentifier(f"{doc}第 3–8 位应为登记机关行政区划代码（6 位数字），请核对", "region")
    if uscc_check_char(number[:17]) != number[17]:
        raise InvalidIdentifier(f"{doc}校验位不正确，请逐位核对代码，特别是最后一位", "check_digit")
    if org_code_check_char(number[8:16]) != number[16]:
        raise InvalidIdentifier(
            f"{doc}第 9–17 位（组织机构代码）的校验位不正确，请逐位核对这几位", "org_check_digit"
        )
    return IdInfo(
        IdType.USCC,
        number,
        region_code=number[2:8],
        department=department,
        category=USCC_CATEGORIES.get((number[0], number[1])),
    )


# ----------------------------------------------------------------------------------------- dispatch

_Checker = Callable[[str, IdentifierSettings, date], IdInfo]

_CHECKERS: Final[Mapping[IdType, _Checker]] = MappingProxyType(
    {
        IdType.RESIDENT_ID: lambda n, s, t: check_resident_id(n, settings=s, today=t),
        IdType.HK_MACAO_RESIDENCE_PERMIT: lambda n, s, t: _check_residence_permit(
            IdType.HK_MACAO_RESIDENCE_PERMIT, n, s, t
        ),
        IdType.TAIWAN_RESIDENCE_PERMIT: lambda n, s, t: _check_residence_permit(
            IdType.TAIWAN_RESIDENCE_PERMIT, n, s, t
        ),
        IdType.FOREIGN_PR_2023: lambda n, s, t: check_foreign_pr_2023(n, settings=s, today=t),
        IdType.FOREIGN_PR_OLD: lambda n, s, t: check_foreign_pr_old(n, settings=s, today=t),
        IdType.HK_MACAO_HOME_RETURN_PERMIT: lambda n, s, t: _check_by_pattern(
            IdType.HK_MACAO_HOME_RETURN_PERMIT, n, s
        ),
        IdType.TAIWAN_COMPATRIOT_PERMIT: lambda n, s, t: _check_by_pattern(
            IdType.TAIWAN_COMPATRIOT_PERMIT, n, s
        ),
        IdType.MAINLAND_HK_MACAO_PERMIT: lambda n, s, t: _check_by_pattern(
            IdType.MAINLAND_HK_MACAO_PERMIT, n, s
        ),
        IdType.PASSPORT: lambda n, s, t: _check_by_pattern(IdType.PASSPORT, n, s),
        IdType.USCC: lambda n, s, t: check_uscc(n, settings=s),
    }
)


def check_id_number(
    id_type: IdType,
    number: str,
    *,
    settings: IdentifierSettings = DEFAULT_SETTINGS,
    today: date | None = None,
) -> IdInfo:
    """Check a document number against its type and return what it says about the holder.

    Args:
        id_type: the document type the clerk chose.
        number: the number as typed or read; full-width characters, lower case and spaces are accepted.
        settings: office settings (plausibility range, travel-document patterns …).
        today: the reference date for birth-date plausibility; the system date by default.

    Returns:
        The parsed facts (birth date, sex, region code or nationality where the document carries them).

    Raises:
        InvalidIdNumber: a personal document number is malformed.
        InvalidIdentifier: a credit code is malformed.
    """
    canonical = normalise(number)
    if not canonical:
        raise InvalidIdNumber("证件号码不能为空，请按证件填写", "missing")
    return _CHECKERS[id_type](canonical, settings, today or date.today())


# ----------------------------------------------------------------------------------------- property


def parse_unit_number(number: str, *, settings: IdentifierSettings = DEFAULT_SETTINGS) -> UnitNumber:
    r"""Check and split a 28-character 不动产单元号 (GB/T 37346-2019 via identifiers.md §3).

    The number has no check digit; the pattern is ``^\d{12}[GJZ][A-HSWXY]\d{5}[FLQW]\d{8}$`` with the
    letter sets taken from ``settings`` (Q2).

    Raises:
        InvalidIdentifier: the message names the segment that is wrong.
    """
    doc = "不动产单元号"
    number = normalise(number)
    if len(number) != 28:
        raise InvalidIdentifier(
            f"{doc}应为 28 位，现为 {len(number)} 位，请按权属证书或地籍资料核对", "length"
        )
    if not _DIGITS.fullmatch(number[:12]):
        raise InvalidIdentifier(
            f"{doc}前 12 位应为数字（6 位县级行政区划 + 3 位地籍区 + 3 位地籍子区），请核对", "format"
        )
    if number[:2] not in PROVINCE_CODES:
        raise InvalidIdentifier(
            f"{doc}前 6 位应为县级行政区划代码，前两位不是有效的省级代码，请核对", "region"
        )
    if number[12] not in settings.parcel_ownership_codes:
        allowed = "、".join(settings.parcel_ownership_codes)
        raise InvalidIdentifier(f"{doc}第 13 位（宗地权属特征码）应为 {allowed} 之一，请核对", "parcel_code")
    if number[13] not in settings.parcel_use_codes:
        allowed = "、".join(settings.parcel_use_codes)
        raise InvalidIdentifier(f"{doc}第 14 位（宗地/宗海特征码）应为 {allowed} 之一，请核对", "parcel_code")
    if not _DIGITS.fullmatch(number[14:19]):
        raise InvalidIdentifier(f"{doc}第 15–19 位（宗地顺序号）应为 5 位数字，请核对", "format")
    if number[19] not in settings.fixture_codes:
        allowed = "、".join(settings.fixture_codes)
        raise InvalidIdentifier(f"{doc}第 20 位（定着物特征码）应为 {allowed} 之一，请核对", "fixture_code")
    if not _DIGITS.fullmatch(number[20:]):
        raise InvalidIdentifier(f"{doc}最后 8 位（定着物单元编号）应为数字，请核对", "format")
    return UnitNumber(
        county=number[:6],
        cadastral_district=number[6:9],
        cadastral_subdistrict=number[9:12],
        parcel_code=number[12:14],
        parcel_sequence=number[14:19],
        fixture_code=number[19],
        fixture_number=number[20:],
    )


_CERTIFICATE_RE: Final = re.compile(r"^(.{1,2})[(（](\d{4})[)）](.*?)不动产(权|证明)第(\d{7})号$")
"""identifiers.md §4 parse regex: province, year, 市县, 权/证明, sequence (half- or full-width brackets)."""


def parse_certificate_number(number: str, *, today: date | None = None) -> CertificateNumber:
    """Check and parse a 不动产权证书号 or 不动产登记证明 number (identifiers.md §4).

    Args:
        number: e.g. ``浙(2018)宁波市江北不动产权第0023588号``; spaces are ignored.
        today: the reference date for "issued in a future year"; the system date by default.

    Raises:
        InvalidIdentifier: the message says which part is wrong and shows the expected shape.
    """
    text = "".join(number.split())
    shape = "应形如 浙(2018)宁波市江北不动产权第0023588号"
    match = _CERTIFICATE_RE.match(text)
    if match is None:
        if not text:
            raise InvalidIdentifier(f"不动产权证书号不能为空，{shape}", "missing")
        if not re.match(r"^.{1,2}[(（]\d{4}[)）]", text):
            raise InvalidIdentifier(
                f"不动产权证书号开头应为省份简称和括号中的 4 位年份，{shape}，请核对", "format"
            )
        if not re.search(r"不动产(权|证明)第", text):
            raise InvalidIdentifier(
                f"不动产权证书号应包含“不动产权第”或“不动产证明第”，{shape}，请核对", "format"
            )
        tail = re.search(r"第(.*?)号?$", text)
        if tail is not None and not re.fullmatch(r"\d{7}号", text[tail.start(1) :]):
            raise InvalidIdentifier(
                "不动产权证书号“第”与“号”之间应为 7 位数字，不足 7 位请在前面补 0，例如 第0023588号",
                "sequence",
            )
        raise InvalidIdentifier(f"不动产权证书号格式不正确，{shape}，请核对", "format")
    province, year, county, kind, sequence = match.groups()
    if int(year) > (today or date.today()).year:
        raise InvalidIdentifier("不动产权证书号括号中的年份晚于今年，请核对", "year")
    return CertificateNumber(province=province, year=int(year), county=county, kind=kind, sequence=sequence)


def check_contract_filing_number(number: str, *, settings: IdentifierSettings = DEFAULT_SETTINGS) -> str:
    """Check a 合同网签备案编号 (identifiers.md §5: no national format, an opaque local string).

    Returns:
        The number with surrounding whitespace removed.

    Raises:
        InvalidIdentifier: the number is empty or does not match the office's configured pattern.
    """
    text = number.strip()
    if not text:
        raise InvalidIdentifier("合同网签备案编号不能为空，请按网签备案合同填写", "missing")
    if settings.contract_filing_pattern is not None and not re.fullmatch(
        settings.contract_filing_pattern, text
    ):
        example = f"，例如 {settings.contract_filing_example}" if settings.contract_filing_example else ""
        raise InvalidIdentifier(
            f"合同网签备案编号不符合本地编号格式{example}，请按网签备案合同核对", "format"
        )
    return text
