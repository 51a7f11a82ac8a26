"""Crypto, BAC and secure messaging against ICAO Doc 9303 Part 11 Appendix D (worked example)."""

import os

import pytest

from scanning.errors import BacFailed, SecureMessagingError
from scanning.passport import bac, crypto
from scanning.passport.mrz import mrz_key, parse_key
from scanning.passport.sm import Command, SecureMessaging
from scanning.passport.virtual import VirtualPassport

H = bytes.fromhex

# Appendix D.2–D.4 (values cross-checked in several independent open-source implementations).
MRZ_INFORMATION = "L898902C<369080619406236"
K_SEED = H("239AB9CB282DAF66231DC5A4DF6BFBAE")
K_ENC = H("AB94FDECF2674FDFB9B391F85D7F76F2")
K_MAC = H("7962D9ECE03D1ACD4C76089DCE131543")
RND_IC = H("4608F91988702212")
RND_IFD = H("781723860C06C226")
K_IFD = H("0B795240CB7049B01C19B33E32804F0B")
K_IC = H("0B4F80323EB3191CB04970CB4052790B")
CMD_DATA = H("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7")
RESP_DATA = H("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449")
KS_ENC = H("979EC13B1CBFE9DCD01AB0FED307EAE5")
KS_MAC = H("F1CB1F1FB5ADF208806B89DC579DC1F8")
SSC = H("887022120C06C226")


def feeder(*chunks: bytes):
    queue = list(chunks)

    def random(n: int) -> bytes:
        value = queue.pop(0)
        assert len(value) == n
        return value

    return random


def test_key_derivation_matches_appendix_d2():
    assert crypto.key_seed(MRZ_INFORMATION) == K_SEED
    assert crypto.derive_key(K_SEED, 1) == K_ENC
    assert crypto.derive_key(K_SEED, 2) == K_MAC
    keys = bac.document_keys(parse_key(MRZ_INFORMATION))
    assert (keys.k_enc, keys.k_mac) == (K_ENC, K_MAC)


def test_parity_adjustment():
    assert crypto.adjust_parity(bytes([0x00, 0x01, 0xFE, 0xFF])) == bytes([0x01, 0x01, 0xFE, 0xFE])
    assert all(bin(b).count("1") % 2 == 1 for b in K_ENC + K_MAC + KS_ENC + KS_MAC)


def test_mutual_authentication_matches_appendix_d3():
    chip = VirtualPassport({}, parse_key(MRZ_INFORMATION), random=feeder(RND_IC, K_IC))
    sent: list[bytes] = []
    received: list[bytes] = []

    def transmit(apdu: bytes) -> bytes:
        sent.append(apdu)
        received.append(chip.process(apdu))
        return received[-1]

    assert chip.process(H("00A4040C07A0000002471001")) == H("9000")
    session = bac.authenticate(transmit, parse_key(MRZ_INFORMATION), random=feeder(RND_IFD, K_IFD))
    assert sent[0] == H("0084000008")
    assert received[0] == RND_IC + H("9000")
    assert sent[1] == H("0082000028") + CMD_DATA + H("28")
    assert received[1] == RESP_DATA + H("9000")
    assert session.ssc == SSC
    reference = bac.session(K_IFD, K_IC, RND_IC, RND_IFD)
    assert (reference._ks_enc, reference._ks_mac) == (KS_ENC, KS_MAC)
    assert (session._ks_enc, session._ks_mac) == (KS_ENC, KS_MAC)
    assert chip.authenticated


def test_secure_messaging_matches_appendix_d4():
    sm = SecureMessaging(KS_ENC, KS_MAC, SSC)
    assert sm.protect(Command(0x00, 0xA4, 0x02, 0x0C, H("011E"))) == H(
        "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"
    )
    assert sm.unprotect(H("990290008E08FA855A5D4C50A8ED9000")) == (b"", 0x9000)
    assert sm.protect(Command(0x00, 0xB0, 0x00, 0x00, le=4)) == H("0CB000000D9701048E08ED6705417E96BA5500")
    assert sm.unprotect(H("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000")) == (
        H("60145F01"),
        0x9000,
    )
    assert sm.protect(Command(0x00, 0xB0, 0x00, 0x04, le=0x12)) == H("0CB000040D9701128E082EA28A70F3C7B53500")
    data, sw = sm.unprotect(
        H("871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000")
    )
    assert data == H("04303130365F36063034303030305C026175") and sw == 0x9000
    assert sm.ssc == H("887022120C06C22C")


def test_a_flipped_response_mac_breaks_the_channel():
    sm = SecureMessaging(KS_ENC, KS_MAC, SSC)
    sm.protect(Command(0x00, 0xA4, 0x02, 0x0C, H("011E")))
    with pytest.raises(SecureMessagingError, match="MAC"):
        sm.unprotect(H("990290008E08FA855A5D4C50A8EE9000"))


def test_wrong_mrz_is_refused_by_the_chip():
    chip = VirtualPassport({}, parse_key(MRZ_INFORMATION))
    chip.process(H("00A4040C07A0000002471001"))
    with pytest.raises(BacFailed, match="机读区"):
        bac.authenticate(chip.process, mrz_key("L898902C", "690806", "940624"))  # expiry off by one day
    assert not chip.authenticated


def test_an_answer_not_made_from_our_nonces_is_refused():
    chip = VirtualPassport({}, parse_key(MRZ_INFORMATION))
    chip.process(H("00A4040C07A0000002471001"))

    def replaying(apdu: bytes) -> bytes:
        answer = chip.process(apdu)
        if apdu[1] == 0x82:  # replay Appendix D's answer, valid for other nonces
            return RESP_DATA + H("9000")
        return answer

    with pytest.raises(BacFailed):
        bac.authenticate(replaying, parse_key(MRZ_INFORMATION))


def test_protect_unwrap_wrap_unprotect_round_trip():
    ks_enc, ks_mac, ssc = os.urandom(16), os.urandom(16), os.urandom(8)
    reader, chip = SecureMessaging(ks_enc, ks_mac, ssc), SecureMessaging(ks_enc, ks_mac, ssc)
    for data, le in [(b"", 4), (H("011E"), None), (os.urandom(100), 256), (os.urandom(8), 0xDF)]:
        command = Command(0x00, 0xB0, 0x01, 0x02, data, le)
        assert chip.unwrap_command(reader.protect(command)) == command
        payload = os.urandom(le or 0)
        assert reader.unprotect(chip.wrap_response(payload, 0x9000)) == (payload, 0x9000)
    assert reader.ssc == chip.ssc


def test_chip_side_rejects_a_tampered_command():
    reader = SecureMessaging(KS_ENC, KS_MAC, SSC)
    chip = SecureMessaging(KS_ENC, KS_MAC, SSC)
    apdu = bytearray(reader.protect(Command(0x00, 0xB0, 0x00, 0x00, le=4)))
    apdu[2] ^= 0x01  # P1 changed in transit
    with pytest.raises(SecureMessagingError):
        chip.unwrap_command(bytes(apdu))


def test_replayed_response_fails_because_the_ssc_moved_on():
    reader = SecureMessaging(KS_ENC, KS_MAC, SSC)
    chip = SecureMessaging(KS_ENC, KS_MAC, SSC)
    chip.unwrap_command(reader.protect(Command(0x00, 0xB0, 0x00, 0x00, le=4)))
    answer = chip.wrap_response(b"abcd", 0x9000)
    assert reader.unprotect(answer) == (b"abcd", 0x9000)
    reader.protect(Command(0x00, 0xB0, 0x00, 0x04, le=4))
    with pytest.raises(SecureMessagingError):
        reader.unprotect(answer)


@pytest.mark.parametrize(
    "rapdu", [H("9000"), H("99029000"), H("8E08000000000000000099029000") + H("9000"), H("01")]
)
def test_malformed_protected_responses_are_typed_errors(rapdu):
    sm = SecureMessaging(KS_ENC, KS_MAC, SSC)
    with pytest.raises(SecureMessagingError):
        sm.unprotect(rapdu)


def test_unprotected_error_status_is_passed_through():
    sm = SecureMessaging(KS_ENC, KS_MAC, SSC)
    assert sm.unprotect(H("6A82")) == (b"", 0x6A82)


def test_padding_and_retail_mac_edge_cases():
    assert crypto.pad(b"") == H("8000000000000000")
    assert crypto.pad(bytes(8)) == bytes(8) + H("8000000000000000")
    assert crypto.unpad(crypto.pad(b"abc")) == b"abc"
    for bad in (bytes(8), H("0102030405060708")):
        with pytest.raises(ValueError):
            crypto.unpad(bad)
    with pytest.raises(ValueError):
        crypto.retail_mac(K_MAC, b"\x00" * 7)
