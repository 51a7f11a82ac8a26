import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from scanning.errors import DataGroupHashMismatch, LdsError, SodError
from scanning.passport import lds, sod, tlv
from scanning.passport.virtual import Holder, document_signer, face_jpeg


def test_tlv_lengths_and_multi_byte_tags():
    for size in (0, 1, 127, 128, 255, 256, 40000):
        encoded = tlv.encode(0x5F2E, bytes(size))
        assert tlv.parse_one(encoded, 0x5F2E) == (0x5F2E, bytes(size))
        assert tlv.header_size(encoded[:6]) == len(encoded)
    with pytest.raises(tlv.TlvError):
        tlv.parse_one(tlv.encode(0x61, b"abc")[:-1])
    with pytest.raises(tlv.TlvError):
        tlv.parse_one(tlv.encode(0x61, b"abc") + b"\x00")


def test_ef_com_round_trip_and_doc9303_example():
    assert lds.parse_com(lds.encode_com((1, 2, 14))).data_groups == (1, 2, 14)
    # Appendix D.4: EF.COM read by the worked example.
    com = lds.parse_com(bytes.fromhex("60145F0104303130365F36063034303030305C026175"))
    assert (com.lds_version, com.unicode_version, com.data_groups) == ("0106", "040000", (1, 2))
    with pytest.raises(LdsError, match=r"EF\.COM"):
        lds.parse_com(bytes.fromhex("6003 5C0177".replace(" ", "")))


def test_dg1_round_trip():
    lines = Holder().mrz_lines()
    mrz = lds.parse_dg1(lds.encode_dg1(lines))
    assert mrz.lines == lines
    with pytest.raises(LdsError, match="DG1"):
        lds.parse_dg1(lds.encode_dg1((lines[0], lines[1][:-1] + "0")))


def test_dg2_yields_the_jpeg_bytes_and_size():
    image = face_jpeg(90, 110)
    face = lds.parse_dg2(lds.encode_dg2(image, 90, 110))
    assert face.data == image
    assert face.data.startswith(b"\xff\xd8\xff") and face.data.endswith(b"\xff\xd9")
    assert (face.image_type, face.width, face.height) == (lds.ImageType.JPEG, 90, 110)
    jp2 = lds.parse_dg2(lds.encode_dg2(b"\x00\x00\x00\x0cjP  \r\n\x87\nrest", 1, 1, lds.ImageType.JPEG2000))
    assert jp2.image_type is lds.ImageType.JPEG2000


def test_dg2_without_a_19794_header_falls_back_to_the_image_signature():
    image = face_jpeg(40, 50)
    block = b"\x30\x80other-format" + image
    dg2 = tlv.encode(
        0x75, tlv.encode(0x7F61, tlv.encode(0x02, b"\x01") + tlv.encode(0x7F60, tlv.encode(0x5F2E, block)))
    )
    assert lds.parse_dg2(dg2).data == image


@pytest.mark.parametrize("damage", ["truncate", "no_face", "bad_length"])
def test_damaged_dg2_is_a_typed_error(damage):
    dg2 = lds.encode_dg2(face_jpeg(40, 50), 40, 50)
    if damage == "truncate":
        dg2 = dg2[:-10]
    elif damage == "no_face":
        dg2 = tlv.encode(0x75, tlv.encode(0x7F61, tlv.encode(0x02, b"\x00")))
    else:
        record_at = dg2.index(b"FAC\x00")
        damaged = bytearray(dg2)
        damaged[record_at + 14 : record_at + 18] = (10**6).to_bytes(4, "big")
        dg2 = bytes(damaged)
    with pytest.raises(LdsError, match="DG2"):
        lds.parse_dg2(dg2)


@pytest.fixture(scope="module")
def signer():
    return document_signer()


GROUPS = {1: lds.encode_dg1(Holder().mrz_lines()), 2: lds.encode_dg2(b"\xff\xd8\xff\xd9", 1, 1)}


@pytest.mark.parametrize("algorithm", ["sha256", "sha1", "sha512"])
def test_sod_verifies_and_carries_the_hashes(signer, algorithm):
    key, cert = signer
    security = sod.parse_sod(sod.build_sod(GROUPS, key, cert, hash_algorithm=algorithm))
    assert security.hash_algorithm == algorithm
    assert security.hashes[1] == hashlib.new(algorithm, GROUPS[1]).digest()
    sod.verify_data_groups(security, GROUPS)
    assert "UT" in security.signer.subject.rfc4514_string()


def test_sod_signed_with_rsa_verifies(signer):
    from tests.scanning.passport.signers import rsa_signer

    key, cert = rsa_signer()
    assert isinstance(key, rsa.RSAPrivateKey)
    sod.verify_data_groups(sod.parse_sod(sod.build_sod(GROUPS, key, cert)), GROUPS)


def test_altered_data_group_is_a_hash_mismatch(signer):
    security = sod.parse_sod(sod.build_sod(GROUPS, *signer))
    altered = {**GROUPS, 1: GROUPS[1].replace(b"ERIKSSON", b"ERIKSSOM")}
    with pytest.raises(DataGroupHashMismatch) as info:
        sod.verify_data_groups(security, altered)
    assert info.value.data_group == 1 and "DG1" in str(info.value)
    with pytest.raises(DataGroupHashMismatch):
        sod.verify_data_groups(security, {**GROUPS, 3: b"not signed"})


def test_altered_security_object_fails_its_signature(signer):
    data = sod.build_sod(GROUPS, *signer)
    # Change a hash inside the signed content: the message digest no longer matches.
    digest = hashlib.sha256(GROUPS[2]).digest()
    forged = data.replace(digest, bytes(32))
    with pytest.raises(SodError, match="签名"):
        sod.parse_sod(forged)
    # Signed by another key than the certificate's.
    other_key, _ = document_signer()
    _, cert = signer
    with pytest.raises(SodError, match="签名"):
        sod.parse_sod(sod.build_sod(GROUPS, other_key, cert))


@pytest.mark.parametrize("data", [b"", b"\x77\x00", tlv.encode(0x77, b"\x30\x03\x02\x01\x00"), b"\x60\x00"])
def test_malformed_sod_is_a_typed_error(data):
    with pytest.raises(SodError):
        sod.parse_sod(data)
