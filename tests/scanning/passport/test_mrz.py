from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.case import Sex
from scanning.errors import MrzInvalid
from scanning.passport.mrz import check_digit, format_td3, mrz_key, parse_key, parse_td3

# Doc 9303 Part 4 Appendix A specimen (TD3).
SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def test_check_digits_of_the_doc9303_examples():
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"
    assert check_digit("ZE184226B<<<<<") == "1"
    assert check_digit("L898902C<") == "3"  # Part 11 Appendix D.2
    assert check_digit("<<<<") == "0"


def test_specimen_parses_into_the_data_page_fields():
    mrz = parse_td3("\n".join(SPECIMEN))
    assert mrz.document_code == "P<"
    assert mrz.issuing_state == "UTO"
    assert mrz.surname == "ERIKSSON"
    assert mrz.given_names == "ANNA MARIA"
    assert mrz.name == "ERIKSSON ANNA MARIA"
    assert mrz.document_number == "L898902C3"
    assert mrz.nationality == "UTO"
    assert mrz.sex is Sex.FEMALE
    assert mrz.birth_date(date(2026, 1, 1)) == date(1974, 8, 12)
    assert mrz.expiry_date() == date(2012, 4, 15)
    assert mrz.optional_data == "ZE184226B"
    assert mrz.key.mrz_information == "L898902C3674081221204159"
    assert "ERIKSSON" not in repr(mrz)


def test_concatenated_lower_case_and_full_width_input_is_normalised():
    text = (SPECIMEN[0] + SPECIMEN[1]).lower().replace("l898", "Ｌ８９８")
    assert parse_td3(text).document_number == "L898902C3"


@pytest.mark.parametrize(
    ("position", "field"),
    [(9, "护照号码"), (19, "出生日期"), (27, "有效期至"), (42, "可选数据"), (43, "综合校验位")],
)
def test_a_wrong_check_digit_names_the_field(position, field):
    line2 = SPECIMEN[1]
    wrong = str((int(line2[position]) + 1) % 10)
    with pytest.raises(MrzInvalid) as info:
        parse_td3(SPECIMEN[0] + "\n" + line2[:position] + wrong + line2[position + 1 :])
    assert info.value.field == field
    assert field in str(info.value) and "核对" in str(info.value)


def test_a_mistyped_character_is_caught_by_the_check_digit():
    line2 = SPECIMEN[1].replace("L898902C3", "L898902C8")
    with pytest.raises(MrzInvalid, match="护照号码"):
        parse_td3(SPECIMEN[0] + "\n" + line2)


@pytest.mark.parametrize(
    "text",
    ["", SPECIMEN[0], SPECIMEN[0] + "\n" + SPECIMEN[1][:-1], "I<UTO" + SPECIMEN[0][5:] + "\n" + SPECIMEN[1]],
)
def test_malformed_mrz_is_rejected_in_chinese(text):
    with pytest.raises(MrzInvalid) as info:
        parse_td3(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


def test_invalid_characters_are_rejected():
    with pytest.raises(MrzInvalid, match="大写字母"):
        parse_td3(SPECIMEN[0].replace("ANNA", "AN-A") + "\n" + SPECIMEN[1])


def test_long_document_number_and_german_nationality():
    # Part 11 Appendix D.2's second example: document number D23145890734 (12 characters).
    lines = format_td3(
        surname="MUSTERMANN",
        given_names="ERIKA",
        document_number="D23145890734",
        nationality="D",
        birth="340712",
        sex_code="F",
        expiry="950712",
    )
    assert lines[1].startswith("D23145890<D<<")
    mrz = parse_td3("\n".join(lines))
    assert mrz.document_number == "D23145890734"
    assert mrz.nationality == "DEU"
    assert mrz.key.mrz_information == "D23145890734934071279507122"


def test_format_td3_reproduces_the_specimen():
    assert (
        format_td3(
            surname="Eriksson",
            given_names="Anna Maria",
            document_number="L898902C3",
            nationality="UTO",
            birth="740812",
            sex_code="F",
            expiry="120415",
            optional_data="ZE184226B",
        )
        == SPECIMEN
    )


@given(
    surname=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=15),
    given_names=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=12),
    number=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=5, max_size=12),
    birth=st.dates(date(1930, 1, 1), date(2020, 12, 31)),
    expiry=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    sex=st.sampled_from("MFX<"),
)
def test_format_and_parse_round_trip(surname, given_names, number, birth, expiry, sex):
    lines = format_td3(
        surname=surname,
        given_names=given_names,
        document_number=number,
        nationality="FRA",
        birth=birth.strftime("%y%m%d"),
        sex_code=sex,
        expiry=expiry.strftime("%y%m%d"),
    )
    mrz = parse_td3("\n".join(lines))
    assert mrz.document_number == number.rstrip("<")
    assert mrz.surname == surname
    assert mrz.given_names == given_names
    assert mrz.expiry_date() == expiry
    assert mrz.birth_date(date(2026, 1, 1)) == birth
    assert parse_key(mrz.key.mrz_information).mrz_information == mrz.key.mrz_information


def test_parse_key_accepts_the_three_forms():
    expected = "L898902C<369080619406236"
    assert parse_key(expected).mrz_information == expected
    assert parse_key("l898902c 690806 940623").mrz_information == expected
    assert parse_key("L898902C/690806/940623").mrz_information == expected
    assert parse_key("\n".join(SPECIMEN)).document_number == "L898902C3"


def test_parse_key_checks_the_check_digits_of_the_mrz_information():
    with pytest.raises(MrzInvalid, match="出生日期"):
        parse_key("L898902C<369080629406236")
    with pytest.raises(MrzInvalid):
        parse_key("not an mrz")


def test_mrz_key_validates_its_fields():
    assert mrz_key("L898902C", "690806", "940623").mrz_information == "L898902C<369080619406236"
    with pytest.raises(MrzInvalid, match="出生日期"):
        mrz_key("L898902C", "6908", "940623")
    with pytest.raises(MrzInvalid, match="有效期至"):
        mrz_key("L898902C", "690806", "94O623")
    with pytest.raises(MrzInvalid, match="护照号码"):
        mrz_key("L89-8902", "690806", "940623")
    assert "L898902C" not in repr(mrz_key("L898902C", "690806", "940623"))


def test_birth_century_is_chosen_so_the_birth_is_in_the_past():
    lines = format_td3(
        surname="A", given_names="B", document_number="X1234567", nationality="FRA",
        birth="250101", sex_code="M", expiry="300101",
    )  # fmt: skip
    mrz = parse_td3("\n".join(lines))
    assert mrz.birth_date(date(2026, 6, 1)) == date(2025, 1, 1)
    assert mrz.birth_date(date(2024, 6, 1)) == date(1925, 1, 1)
