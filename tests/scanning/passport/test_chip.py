"""The full read against the virtual chip in process (no PC/SC): the protocol and the verifications."""

from datetime import date

import pytest

from forms.case import IdType, Party, PartyRole, Sex
from scanning.errors import BacFailed, ChipCommandFailed, DataGroupHashMismatch, NoChip, SecureMessagingError
from scanning.passport import lds
from scanning.passport.chip import ChipReader, read_passport
from scanning.passport.mrz import mrz_key
from scanning.passport.virtual import Holder, VirtualPassport, face_jpeg, make_passport

HOLDER = Holder()


def test_read_gives_a_verified_record_that_fills_a_party():
    photo = face_jpeg(100, 125)
    record = read_passport(
        make_passport(photo=photo, photo_size=(100, 125)).process, HOLDER.key, today=date(2026, 1, 1)
    )
    assert record.hashes_verified and not record.chain_verified
    assert record.data_groups == (1, 2)
    assert record.face_jpeg == photo
    assert record.face is not None and (record.face.width, record.face.height) == (100, 125)
    assert record.expiry_date == date(2034, 4, 15)
    assert not record.is_expired(date(2026, 1, 1))
    assert "Virtual passport document signer" in record.signer_subject
    party = Party(role=PartyRole.RIGHT_HOLDER, **record.to_party_fields())
    assert party.id_type is IdType.PASSPORT
    assert party.name == "ERIKSSON ANNA MARIA"
    assert party.id_number == "L898902C3"
    assert party.nationality == "UTO"
    assert party.sex is Sex.FEMALE
    assert party.birth_date == date(1974, 8, 12)
    assert "ERIKSSON" not in repr(record)
    assert record.to_json_dict()["photo_bytes"] == len(photo)
    assert "photo_base64" in record.to_json_dict(include_photo=True)


def test_reads_in_small_chunks_too():
    record = read_passport(make_passport().process, HOLDER.key, chunk=17)
    assert record.mrz.document_number == "L898902C3"


def test_wrong_mrz_is_bac_failed():
    with pytest.raises(BacFailed, match="护照号码、出生日期或有效期至"):
        read_passport(make_passport().process, mrz_key("L898902C3", "740812", "340416"))


def test_tampered_dg1_is_a_hash_mismatch():
    with pytest.raises(DataGroupHashMismatch) as info:
        read_passport(make_passport(tamper_dg1=True).process, HOLDER.key)
    assert info.value.data_group == 1


def test_a_card_that_is_not_a_passport_is_no_chip():
    def not_a_passport(apdu: bytes) -> bytes:
        return bytes.fromhex("6A82")

    with pytest.raises(NoChip, match="不是电子护照"):
        read_passport(not_a_passport, HOLDER.key)


def test_missing_data_group_file_is_a_typed_error():
    chip = make_passport()
    del chip.files[lds.dg_file_id(2)]
    with pytest.raises(ChipCommandFailed) as info:
        read_passport(chip.process, HOLDER.key)
    assert info.value.sw == 0x6A82 and "DG2" in str(info.value)


def test_corrupted_response_in_transit_breaks_secure_messaging():
    chip = make_passport()
    count = 0

    def noisy(apdu: bytes) -> bytes:
        nonlocal count
        count += 1
        answer = chip.process(apdu)
        if count == 6:  # a protected READ BINARY answer
            answer = bytes([answer[0], answer[1], answer[2], answer[3] ^ 0x40]) + answer[4:]
        return answer

    with pytest.raises(SecureMessagingError):
        read_passport(noisy, HOLDER.key)


def test_files_are_protected_until_bac():
    chip = make_passport()
    reader = ChipReader(chip.process)
    reader.select_application()
    assert chip.process(bytes.fromhex("00A4020C020101")) == bytes.fromhex("6982")
    with pytest.raises(BacFailed):
        reader.read_file(lds.dg_file_id(1), "DG1")


def test_virtual_chip_answers_unknown_instructions_and_state_errors():
    chip = VirtualPassport({}, HOLDER.key)
    assert chip.process(bytes.fromhex("0084000008")) == bytes.fromhex("6985")  # no application selected
    chip.process(bytes.fromhex("00A4040C07A0000002471001"))
    assert chip.process(bytes.fromhex("00CA000000")) == bytes.fromhex("6D00")
    assert chip.process(bytes.fromhex("0082000028" + "00" * 40 + "28")) == bytes.fromhex("6985")
