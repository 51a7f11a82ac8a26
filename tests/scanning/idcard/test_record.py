from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from forms.case import IdType, Party, PartyRole, Sex
from forms.identifiers import check_id_number
from scanning.errors import CardDataError, FrameError
from scanning.idcard.emulator import fixture_names, load_fixture
from scanning.idcard.layout import DEFAULT_LAYOUTS_FILE, CardType, load_layouts, parse_layouts
from scanning.idcard.record import encode_text_block, parse_read_response, parse_text_block


def block_of(name: str) -> bytes:
    card = load_fixture(name)
    return encode_text_block(card.card_type, card.fields)


def test_resident_id_fields() -> None:
    record = parse_text_block(block_of("resident"))
    assert record.card_type is CardType.RESIDENT_ID
    assert record.id_type is IdType.RESIDENT_ID
    assert record.name == "张晓梅"
    assert record.sex is Sex.FEMALE and record.sex_name == "女"
    assert record.ethnicity_code == "01" and record.ethnicity == "汉"
    assert record.birth_date == date(1988, 4, 12)
    assert record.address == "浙江省杭州市西湖区文三路90号1幢302室"
    assert record.issuing_authority == "杭州市公安局西湖分局"
    assert (record.valid_from, record.valid_to) == (date(2018, 5, 20), date(2038, 5, 20))
    assert record.nationality == "CHN"
    assert not record.long_term
    assert record.is_expired(date(2038, 5, 21)) and not record.is_expired(date(2038, 5, 20))


def test_name_outside_the_bmp_decodes_from_a_surrogate_pair() -> None:
    block = block_of("resident_rare")
    # 𠮷 U+20BB7 is stored as the surrogate pair D842 DFB7 (little-endian), then 䶮 U+4DAE.
    assert block[2:8] == bytes.fromhex("42d8b7dfae4d")
    record = parse_text_block(block)
    assert record.name == "王𠮷䶮"
    assert record.long_term and record.valid_to is None
    assert record.ethnicity == "回"


def test_lone_surrogate_is_an_error_not_a_question_mark() -> None:
    block = bytearray(block_of("resident_rare"))
    block[4:6] = b"\x00\x20"  # keep the high surrogate, break the low one
    with pytest.raises(CardDataError, match="姓名"):
        parse_text_block(bytes(block))


def test_residence_permits() -> None:
    hk = parse_text_block(block_of("hk_permit"))
    assert hk.card_type is CardType.HMT_RESIDENCE_PERMIT
    assert hk.id_type is IdType.HK_MACAO_RESIDENCE_PERMIT
    assert (hk.pass_number, hk.issue_count) == ("H12345678", "01")
    assert hk.ethnicity_code == ""
    tw = parse_text_block(block_of("tw_permit"))
    assert tw.id_type is IdType.TAIWAN_RESIDENCE_PERMIT


def test_foreign_pr_2017() -> None:
    record = parse_text_block(block_of("foreign_pr_2017"))
    assert record.id_type is IdType.FOREIGN_PR_OLD
    assert record.name_en == "SMITH, JOHN ALEXANDER"
    assert record.name == "史约翰"
    assert record.nationality == "USA"
    assert record.birth_date == date(1985, 3, 15)
    assert record.issuing_authority == "1500"
    assert record.address == ""


def test_foreign_pr_2023_with_a_long_english_name() -> None:
    record = parse_text_block(block_of("foreign_pr_2023"))
    assert record.id_type is IdType.FOREIGN_PR_2023
    assert record.name_en == "GARCIA LOPEZ, MARIA FERNANDA DE LOS ANGELES"
    assert record.nationality == "ESP"
    assert record.renewal_count == "00"
    assert record.id_number == "93172419900612002X"


@pytest.mark.parametrize("name", fixture_names())
def test_every_fixture_fills_a_valid_party(name: str) -> None:
    record = parse_text_block(block_of(name))
    fields = record.to_party_fields()
    assert set(fields) == {"name", "id_type", "id_number", "sex", "birth_date", "address", "nationality"}
    party = Party(role=PartyRole.RIGHT_HOLDER, **fields)
    assert party.id_number == record.id_number
    info = check_id_number(party.id_type, party.id_number)
    assert info.birth_date == record.birth_date


def test_repr_hides_personal_data() -> None:
    record = parse_text_block(block_of("resident"))
    assert "张晓梅" not in repr(record)
    assert record.id_number not in repr(record)


def test_unknown_type_flag() -> None:
    card = load_fixture("resident")
    block = bytearray(encode_text_block(card.card_type, card.fields))
    block[248:250] = "Z".encode("utf-16-le")
    with pytest.raises(CardDataError, match="证件类型标志“Z”"):
        parse_text_block(bytes(block))


def test_invalid_birth_date() -> None:
    card = load_fixture("resident")
    with pytest.raises(CardDataError, match="出生日期"):
        parse_text_block(encode_text_block(card.card_type, {**card.fields, "birth": "19881341"}))


def test_id_number_with_a_wrong_check_digit() -> None:
    card = load_fixture("resident")
    with pytest.raises(CardDataError, match="未通过校验"):
        parse_text_block(
            encode_text_block(card.card_type, {**card.fields, "id_number": "330106198804120022"})
        )


def test_permit_with_a_mainland_number() -> None:
    card = load_fixture("hk_permit")
    fields = {**card.fields, "id_number": "330106198804120021"}
    with pytest.raises(CardDataError, match="810000"):
        parse_text_block(encode_text_block(card.card_type, fields))


def test_invalid_sex_code() -> None:
    card = load_fixture("resident")
    with pytest.raises(CardDataError, match="性别"):
        parse_text_block(encode_text_block(card.card_type, {**card.fields, "sex": "5"}))


def test_empty_required_field() -> None:
    card = load_fixture("resident")
    fields = {k: v for k, v in card.fields.items() if k != "valid_from"}
    with pytest.raises(CardDataError, match="有效期限起始日期"):
        parse_text_block(encode_text_block(card.card_type, fields))


def test_wrong_block_size() -> None:
    with pytest.raises(CardDataError, match="256"):
        parse_text_block(block_of("resident")[:200])


def test_read_response_lengths_must_add_up() -> None:
    card = load_fixture("resident")
    data = card.read_data(load_layouts())
    assert parse_read_response(data).photo_wlt == card.photo
    with pytest.raises(FrameError):
        parse_read_response(data[:-1])
    with pytest.raises(FrameError):
        parse_read_response(b"\x00\x80\x04\x00" + data[4:])


def test_a_replacement_layout_file_moves_a_field(tmp_path: Path) -> None:
    table = json.loads(DEFAULT_LAYOUTS_FILE.read_text(encoding="utf-8"))
    permit = table["layouts"]["hmt_residence_permit"]["fields"]
    permit["pass_number"] = {"offset": 222, "length": 18, "mark": "office correction"}
    permit["issue_count"] = {"offset": 240, "length": 4, "mark": "office correction"}
    path = tmp_path / "layouts.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    custom = load_layouts(path)
    card = load_fixture("hk_permit")
    block = encode_text_block(card.card_type, card.fields, layouts=custom)
    assert parse_text_block(block, layouts=custom).pass_number == "H12345678"
    # The shipped table reads the same bytes one character off.
    assert parse_text_block(block).pass_number != "H12345678"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t["layouts"]["resident_id"]["fields"]["name"].update(length=40), "重叠"),
        (lambda t: t["layouts"]["resident_id"]["fields"]["name"].update(offset=1), "偶数"),
        (
            lambda t: t["layouts"]["resident_id"]["fields"].update(nickname={"offset": 220, "length": 2}),
            "字段名未知",
        ),
        (lambda t: t["layouts"]["resident_id"]["fields"].pop("birth"), "缺少字段 birth"),
        (lambda t: t["layouts"]["resident_id"]["fields"]["address"].update(length=400), "超出"),
        (lambda t: t["layouts"]["foreign_pr_2017"].update(flag="J"), "同一类型标志"),
        (lambda t: t["layouts"].update(passport={}), "证件类型 passport 未知"),
    ],
)
def test_layout_table_is_checked(change, message: str) -> None:
    table = json.loads(DEFAULT_LAYOUTS_FILE.read_text(encoding="utf-8"))
    change(table)
    with pytest.raises(CardDataError, match=message):
        parse_layouts(table)


def test_layout_file_errors(tmp_path: Path) -> None:
    with pytest.raises(CardDataError, match="无法读取"):
        load_layouts(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{\n  oops", encoding="utf-8")
    with pytest.raises(CardDataError, match="第 2 行"):
        load_layouts(bad)


def test_encoding_rejects_text_longer_than_its_field() -> None:
    card = load_fixture("resident")
    with pytest.raises(ValueError, match="name"):
        encode_text_block(card.card_type, {**card.fields, "name": "长" * 16})
