"""Identifier validators: every vector of the domain reference (identifiers.md) plus properties."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.case import IdType, Sex
from forms.errors import InvalidIdentifier, InvalidIdNumber
from forms.identifiers import (
    MAINLAND_PROVINCE_CODES,
    MOD11_2_WEIGHTS,
    ORG_CODE_WEIGHTS,
    USCC_CHARSET,
    USCC_WEIGHTS,
    IdentifierSettings,
    check_contract_filing_number,
    check_id_number,
    mod11_2_check_char,
    normalise,
    org_code_check_char,
    parse_certificate_number,
    parse_unit_number,
    uscc_check_char,
)
from tests.forms.ids import resident_id, uscc

TODAY = date(2025, 6, 1)


def check(id_type: IdType, number: str, **kwargs):
    return check_id_number(id_type, number, today=TODAY, **kwargs)


def rejected(id_type: IdType, number: str, **kwargs) -> InvalidIdentifier:
    with pytest.raises(InvalidIdentifier) as info:
        check(id_type, number, **kwargs)
    return info.value


# ------------------------------------------------------------------ algorithms (identifiers.md §1.1, §2)


def test_mod11_2_weights_are_the_published_ones():
    assert MOD11_2_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def test_uscc_weights_are_the_published_ones():
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert ORG_CODE_WEIGHTS == (3, 7, 9, 10, 5, 8, 4, 2)
    assert len(USCC_CHARSET) == 31 and not set("IOSVZ") & set(USCC_CHARSET)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("11010519491231002", "X"),  # worked computation: S = 167, 167 mod 11 = 2
        ("44052418800101001", "4"),
        ("81000019940823002", "1"),
        ("83000019920130002", "2"),
        ("93268219850101001", "7"),
        ("91112419810803002", "4"),
    ],
)
def test_mod11_2_check_char(body, expected):
    assert mod11_2_check_char(body) == expected


@pytest.mark.parametrize(
    ("body", "expected", "org_body", "org_expected"),
    [
        ("91350100M000100Y4", "3", "M000100Y", "4"),  # worked computation: 1640 mod 31 = 28; org 139
        ("91440300708461136", "T", "70846113", "6"),
        ("91110108551385082", "Q", "55138508", "2"),
    ],
)
def test_uscc_and_org_code_check_chars(body, expected, org_body, org_expected):
    assert uscc_check_char(body) == expected
    assert org_code_check_char(org_body) == org_expected


@pytest.mark.parametrize("body", ["", "1101051949123100", "1101051949123100X", "110105194912310021"])
def test_mod11_2_helper_rejects_a_body_that_is_not_17_digits(body):
    with pytest.raises(InvalidIdNumber):
        mod11_2_check_char(body)


@pytest.mark.parametrize("body", ["9135010", "91350100I000100Y4", "91350100M000100Y43"])
def test_uscc_helper_rejects_a_bad_body(body):
    with pytest.raises(InvalidIdentifier):
        uscc_check_char(body)


def test_org_code_check_maps_10_to_x_and_11_to_0():
    # Find bodies whose remainder gives 10 and 11 to cover both special cases.
    found = {org_code_check_char(f"{n:08d}") for n in range(200)}
    assert {"X", "0"} <= found


def test_normalise_handles_full_width_lower_case_and_spaces():
    assert normalise(" １１０１０５ １９４９１２３１００２ｘ ") == "11010519491231002X"


# ------------------------------------------------------------------ personal documents: valid vectors


@pytest.mark.parametrize(
    ("id_type", "number", "birth", "sex", "region"),
    [
        (IdType.RESIDENT_ID, "11010519491231002X", date(1949, 12, 31), Sex.FEMALE, "110105"),
        (IdType.RESIDENT_ID, "440524188001010014", date(1880, 1, 1), Sex.MALE, "440524"),
        (IdType.HK_MACAO_RESIDENCE_PERMIT, "810000199408230021", date(1994, 8, 23), Sex.FEMALE, "810000"),
        (IdType.TAIWAN_RESIDENCE_PERMIT, "830000199201300022", date(1992, 1, 30), Sex.FEMALE, "830000"),
        (IdType.FOREIGN_PR_2023, "932682198501010017", date(1985, 1, 1), Sex.MALE, "32"),
        (IdType.FOREIGN_PR_2023, "911124198108030024", date(1981, 8, 3), Sex.FEMALE, "11"),
    ],
)
def test_valid_personal_vectors(id_type, number, birth, sex, region):
    info = check(id_type, number)
    assert (info.id_type, info.number, info.birth_date, info.sex, info.region_code) == (
        id_type,
        number,
        birth,
        sex,
        region,
    )


def test_pr_2023_carries_the_numeric_nationality():
    assert check(IdType.FOREIGN_PR_2023, "932682198501010017").nationality_numeric == "682"  # Saudi Arabia
    assert check(IdType.FOREIGN_PR_2023, "911124198108030024").nationality_numeric == "124"  # Canada


def test_lower_case_x_and_full_width_digits_are_accepted():
    assert check(IdType.RESIDENT_ID, "11010519491231002x").number == "11010519491231002X"
    assert check(IdType.RESIDENT_ID, "１１０１０５１９４９１２３１００２Ｘ").number == "11010519491231002X"


# ------------------------------------------------------------------ personal documents: invalid


def test_wrong_check_digit_is_rejected_without_revealing_the_right_one():
    exc = rejected(IdType.RESIDENT_ID, "110105194912310021")  # check should be X
    assert isinstance(exc, InvalidIdNumber)
    assert exc.code == "check_digit"
    assert "校验位不正确" in str(exc) and "最后一位" in str(exc)
    assert "X" not in str(exc)


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("", "missing", "不能为空"),
        ("1101051949123100", "length", "18 位"),
        ("11010519491231002XX", "length", "18 位"),
        ("110105491231002", "length", "15 位"),
        ("1101051949123100A2", "format", "最后一位为数字或 X"),
        ("11010X194912310021", "format", "前 17 位应为数字"),
        ("001051194912310028", "region", "省级行政区划"),
        ("932682198501010017", "wrong_type", "外国人永久居留身份证"),
        ("810000199408230021", "wrong_type", "港澳居民居住证"),
        ("830000199201300022", "wrong_type", "台湾居民居住证"),
    ],
)
def test_resident_id_errors_say_what_is_wrong(number, code, words):
    exc = rejected(IdType.RESIDENT_ID, number)
    assert exc.code == code
    assert words in str(exc)


@pytest.mark.parametrize(
    ("birth_text", "words"),
    [("19490230", "不存在"), ("19491301", "不存在"), ("20300101", "晚于今天"), ("18600101", "早于")],
)
def test_resident_id_birth_date_must_exist_and_be_plausible(birth_text, words):
    body = f"110105{birth_text}001"
    exc = rejected(IdType.RESIDENT_ID, body + mod11_2_check_char(body))
    assert exc.code == "birth_date"
    assert words in str(exc)


def test_plausibility_range_is_a_setting():
    number = resident_id(date(1860, 1, 1))
    rejected(IdType.RESIDENT_ID, number)
    relaxed = IdentifierSettings(earliest_birth=date(1850, 1, 1))
    assert check(IdType.RESIDENT_ID, number, settings=relaxed).birth_date == date(1860, 1, 1)


def test_residence_permit_needs_its_address_code():
    exc = rejected(IdType.HK_MACAO_RESIDENCE_PERMIT, "11010519491231002X")
    assert exc.code == "region" and "810000" in str(exc) and "820000" in str(exc)
    exc = rejected(IdType.TAIWAN_RESIDENCE_PERMIT, "810000199408230021")
    assert exc.code == "region" and "830000" in str(exc)
    assert check(
        IdType.HK_MACAO_RESIDENCE_PERMIT, resident_id(date(1990, 5, 5), region="820000")
    ).region_code == ("820000")


def test_residence_permit_check_digit():
    assert rejected(IdType.HK_MACAO_RESIDENCE_PERMIT, "810000199408230022").code == "check_digit"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010519491231002X", "format"),  # does not start with 9
        ("900682198501010017", "region"),  # province 00
        ("932000198501010017", "nationality"),
        ("932682198502300017", "birth_date"),
        ("932682198501010018", "check_digit"),
    ],
)
def test_pr_2023_errors(number, code):
    assert rejected(IdType.FOREIGN_PR_2023, number).code == code


def test_old_pr_is_checked_by_pattern_only_by_default():
    info = check(IdType.FOREIGN_PR_OLD, "can110079050112")
    assert info.number == "CAN110079050112"
    assert info.nationality_alpha3 == "CAN"
    assert info.birth_date == date(1979, 5, 1)
    assert info.sex is None
    assert check(IdType.FOREIGN_PR_OLD, "USA310012031515").birth_date == date(2012, 3, 15)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("CAN11007905011", "length"),
        ("CA1110079050112", "format"),
        ("CAN110079023112", "birth_date"),
        ("932682198501010017", "wrong_type"),
    ],
)
def test_old_pr_errors(number, code):
    assert rejected(IdType.FOREIGN_PR_OLD, number).code == code


def test_old_pr_mrz_check_is_an_option():
    strict = IdentifierSettings(old_pr_mrz_check=True)
    # ICAO 9303 7-3-1, computed independently of the implementation.
    weights = [7, 3, 1] * 5
    total = sum(int(c, 36) * w for c, w in zip("CAN11007905011", weights, strict=False))
    good = f"CAN11007905011{total % 10}"
    bad = f"CAN11007905011{(total + 1) % 10}"
    assert check(IdType.FOREIGN_PR_OLD, good, settings=strict).number == good
    assert rejected(IdType.FOREIGN_PR_OLD, bad, settings=strict).code == "check_digit"
    assert check(IdType.FOREIGN_PR_OLD, bad).number == bad  # default: pattern only (Q1)


@pytest.mark.parametrize(
    ("id_type", "valid", "invalid"),
    [
        (
            IdType.HK_MACAO_HOME_RETURN_PERMIT,
            ["H12345678", "M1234567801", "h12345678"],
            ["H1234567", "K12345678"],
        ),
        (
            IdType.TAIWAN_COMPATRIOT_PERMIT,
            ["12345678", "1234567801", "1234567890(B)", "1234567890（B）"],
            ["1234567"],
        ),
        (
            IdType.MAINLAND_HK_MACAO_PERMIT,
            ["CA1234567", "CZ7654321"],
            ["CI1234567", "CO1234567", "DA1234567"],
        ),
        (
            IdType.PASSPORT,
            ["E12345678", "EA1234567", "123456789", "P1234567AB"],
            ["ABCDEFGH", "E12", "E1234-678"],
        ),
    ],
)
def test_travel_documents_by_pattern(id_type, valid, invalid):
    for number in valid:
        assert check(id_type, number).id_type == id_type
    for number in invalid:
        exc = rejected(id_type, number)
        assert isinstance(exc, InvalidIdNumber) and exc.code == "format"
        assert "格式不正确" in str(exc) and "例如" in str(exc)


def test_travel_document_patterns_are_a_setting():
    settings = IdentifierSettings(
        permit_patterns={IdType.MAINLAND_HK_MACAO_PERMIT: (r"C[A-HJ-NP-Z]\d{7}", r"W\d{8}")}
    )
    rejected(IdType.MAINLAND_HK_MACAO_PERMIT, "W12345678")
    assert check(IdType.MAINLAND_HK_MACAO_PERMIT, "W12345678", settings=settings).number == "W12345678"


# ------------------------------------------------------------------ USCC (identifiers.md §2)


@pytest.mark.parametrize(
    ("number", "region"),
    [("91350100M000100Y43", "350100"), ("91440300708461136T", "440300"), ("91110108551385082Q", "110108")],
)
def test_valid_uscc_vectors(number, region):
    info = check(IdType.USCC, number)
    assert info.region_code == region
    assert info.department == "市场监管（工商）"
    assert info.category == "企业"


def test_uscc_wrong_check_char_is_rejected_without_revealing_it():
    exc = rejected(IdType.USCC, "91350100M000100Y42")  # should be 3
    assert not isinstance(exc, InvalidIdNumber)
    assert exc.code == "check_digit"
    assert "校验位不正确" in str(exc)
    assert "3" not in str(exc)


def test_uscc_embedded_org_code_check_is_verified():
    body = "91350100M000100Y5"  # org-code check should be 4; the USCC check is made to match
    number = body + uscc_check_char(body)
    exc = rejected(IdType.USCC, number)
    assert exc.code == "org_check_digit"
    assert "组织机构代码" in str(exc)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("91350100M000100Y4", "length"),
        ("91350100M000100I43", "format"),
        ("9135O100M000100Y43", "format"),
        ("913501A0M000100Y43", "region"),
    ],
)
def test_uscc_format_errors(number, code):
    assert rejected(IdType.USCC, number).code == code


def test_uscc_categories_are_data():
    assert check(IdType.USCC, uscc("92110108")).category == "个体工商户"
    assert check(IdType.USCC, uscc("12110108")).department == "机构编制"
    assert check(IdType.USCC, uscc("53110108")).category == "基金会"


def test_unknown_uscc_department_is_rejected_only_when_strict():
    number = uscc("B1110108")
    assert check(IdType.USCC, number).department is None
    exc = rejected(IdType.USCC, number, settings=IdentifierSettings(strict_uscc_department=True))
    assert exc.code == "department"


# ------------------------------------------------------------------ unit number (identifiers.md §3)


def test_unit_number_example_parses_into_segments():
    unit = parse_unit_number("110105001001GB00001F00010001")
    assert dataclasses.astuple(unit) == ("110105", "001", "001", "GB", "00001", "F", "00010001")
    assert unit.parcel == "110105001001GB00001"
    assert (unit.building, unit.unit) == ("0001", "0001")
    assert str(unit) == "110105001001GB00001F00010001"


def test_unit_number_without_building_has_no_building_split():
    unit = parse_unit_number("110105001001JC00012W00000000")
    assert unit.fixture_code == "W" and unit.building is None and unit.unit is None


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("110105001001GB00001F0001000", "length", "28 位"),
        ("11010500100AGB00001F00010001", "format", "前 12 位"),
        ("000105001001GB00001F00010001", "region", "行政区划"),
        ("110105001001KB00001F00010001", "parcel_code", "第 13 位"),
        ("110105001001GT00001F00010001", "parcel_code", "第 14 位"),
        ("110105001001GB0000AF00010001", "format", "第 15–19 位"),
        ("110105001001GB00001Z00010001", "fixture_code", "第 20 位"),
        ("110105001001GB00001F0001000A", "format", "最后 8 位"),
    ],
)
def test_unit_number_errors_name_the_segment(number, code, words):
    with pytest.raises(InvalidIdentifier) as info:
        parse_unit_number(number)
    assert info.value.code == code
    assert words in str(info.value)


def test_unit_number_letter_sets_are_settings():
    settings = IdentifierSettings(parcel_use_codes="ABCDEFGHSWXYT")
    assert parse_unit_number("110105001001GT00001F00010001", settings=settings).parcel_code == "GT"


# ------------------------------------------------------------------ certificate number (identifiers.md §4)


@pytest.mark.parametrize(
    ("number", "groups"),
    [
        ("浙(2018)宁波市江北不动产权第0023588号", ("浙", 2018, "宁波市江北", "权", "0023588")),
        ("浙(2016)宁波市(高新)不动产权第0120631号", ("浙", 2016, "宁波市(高新)", "权", "0120631")),
        ("京（2020）朝阳区不动产证明第0001234号", ("京", 2020, "朝阳区", "证明", "0001234")),
    ],
)
def test_certificate_number_vectors(number, groups):
    parsed = parse_certificate_number(number, today=TODAY)
    assert dataclasses.astuple(parsed) == groups
    assert parsed.is_certificate == (groups[3] == "权")


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("浙(2018)宁波市江北不动产权第023588号", "sequence", "7 位数字"),
        ("浙(2018)宁波市江北不动产权第00235881号", "sequence", "7 位数字"),
        ("浙2018宁波市江北不动产权第0023588号", "format", "4 位年份"),
        ("浙(2018)宁波市江北房权证第0023588号", "format", "不动产权第"),
        ("", "missing", "不能为空"),
        ("浙(2030)宁波市江北不动产权第0023588号", "year", "晚于今年"),
    ],
)
def test_certificate_number_errors(number, code, words):
    with pytest.raises(InvalidIdentifier) as info:
        parse_certificate_number(number, today=TODAY)
    assert info.value.code == code
    assert words in str(info.value)


# ------------------------------------------------------------------ contract filing number (§5)


def test_contract_filing_number_is_opaque_by_default():
    assert check_contract_filing_number(" 网签-2024-任意 ") == "网签-2024-任意"
    with pytest.raises(InvalidIdentifier):
        check_contract_filing_number("  ")


def test_contract_filing_pattern_is_a_setting():
    settings = IdentifierSettings(contract_filing_pattern=r"WQ\d{10}", contract_filing_example="WQ2024000001")
    assert check_contract_filing_number("WQ2024000001", settings=settings) == "WQ2024000001"
    with pytest.raises(InvalidIdentifier) as info:
        check_contract_filing_number("2024000001", settings=settings)
    assert "WQ2024000001" in str(info.value)


# ------------------------------------------------------------------ properties

_birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(MAINLAND_PROVINCE_CODES)))
    rest = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    sequence = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    return resident_id(draw(_birth_dates), region=province + rest, sequence=sequence)


@st.composite
def pr_2023_numbers(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(MAINLAND_PROVINCE_CODES)))
    nationality = f"{draw(st.integers(1, 999)):03d}"
    sequence = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    return resident_id(draw(_birth_dates), region=f"9{province}{nationality}", sequence=sequence)


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    head = draw(st.text(alphabet=USCC_CHARSET, min_size=2, max_size=2))
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    org_body = draw(st.text(alphabet=USCC_CHARSET, min_size=8, max_size=8))
    return uscc(head + region, org_body)


@given(resident_ids())
def test_generated_resident_id_passes_and_parses(number):
    info = check(IdType.RESIDENT_ID, number)
    assert info.birth_date == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert info.sex is (Sex.MALE if int(number[16]) % 2 else Sex.FEMALE)


@given(resident_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_changed_character_of_a_resident_id_is_rejected(number, position, char):
    changed = number[:position] + char + number[position + 1 :]
    if changed != number:
        with pytest.raises(InvalidIdNumber):
            check(IdType.RESIDENT_ID, changed)


@given(pr_2023_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_pr_2023_passes_and_any_single_change_is_rejected(number, position, char):
    assert check(IdType.FOREIGN_PR_2023, number).nationality_numeric == number[3:6]
    changed = number[:position] + char + number[position + 1 :]
    if changed != number:
        with pytest.raises(InvalidIdNumber):
            check(IdType.FOREIGN_PR_2023, changed)


@given(credit_codes(), st.integers(0, 17), st.sampled_from(USCC_CHARSET))
def test_generated_uscc_passes_and_any_single_change_is_rejected(number, position, char):
    assert check(IdType.USCC, number).region_code == number[2:8]
    changed = number[:position] + char + number[position + 1 :]
    if changed != number:
        with pytest.raises(InvalidIdentifier):
            check(IdType.USCC, changed)
