"""Basic Access Control (ICAO Doc 9303 Part 11 §4.3 and §9.7; worked example in Appendix D).

1. The reader derives ``K_enc``/``K_mac`` from the MRZ information (:mod:`scanning.passport.crypto`).
2. ``GET CHALLENGE`` (``00 84 00 00 08``) returns the chip's nonce ``RND.IC``.
3. The reader picks ``RND.IFD`` and ``K.IFD``, sends ``MUTUAL AUTHENTICATE``
   (``00 82 00 00 28 E.IFD||M.IFD 28``) with ``E.IFD = 3DES(K_enc, RND.IFD||RND.IC||K.IFD)`` and
   ``M.IFD = MAC(K_mac, pad(E.IFD))``.
4. The chip answers ``E.IC||M.IC`` over ``RND.IC||RND.IFD||K.IC`` (or ``63 00`` when the MRZ is wrong).
5. Session keys come from the seed ``K.IFD xor K.IC``; the SSC is the last four bytes of ``RND.IC``
   followed by the last four bytes of ``RND.IFD``.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from scanning.errors import BacFailed, ChipCommandFailed
from scanning.passport import crypto
from scanning.passport.mrz import BacKey
from scanning.passport.sm import SW_OK, Command, SecureMessaging, split_response

Transmit = Callable[[bytes], bytes]
"""Send one command APDU and return the response APDU (data and status word)."""

GET_CHALLENGE: Final = Command(0x00, 0x84, 0x00, 0x00, le=8)
INS_MUTUAL_AUTHENTICATE: Final = 0x82

_BAC_REFUSED: Final = (
    "护照芯片拒绝了基本访问控制（BAC）：输入的护照号码、出生日期或有效期至与芯片不符。"
    "请对照资料页底部机读区逐位核对（注意 0 与 O、1 与 I 的区别）后重新输入"
)


@dataclass(frozen=True, repr=False)
class DocumentKeys:
    """The document basic access keys ``K_enc`` and ``K_mac`` (Part 11 §9.7.2)."""

    k_enc: bytes
    k_mac: bytes

    def __repr__(self) -> str:
        return "DocumentKeys(<keys hidden>)"


def document_keys(key: BacKey) -> DocumentKeys:
    """Derive ``K_enc`` and ``K_mac`` from the MRZ fields."""
    seed = crypto.key_seed(key.mrz_information)
    return DocumentKeys(
        crypto.derive_key(seed, crypto.ENC_COUNTER), crypto.derive_key(seed, crypto.MAC_COUNTER)
    )


def session(k_ifd: bytes, k_ic: bytes, rnd_ic: bytes, rnd_ifd: bytes) -> SecureMessaging:
    """The secure-messaging session both sides derive after mutual authentication."""
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
    ssc = rnd_ic[4:8] + rnd_ifd[4:8]
    return SecureMessaging(
        crypto.derive_key(seed, crypto.ENC_COUNTER), crypto.derive_key(seed, crypto.MAC_COUNTER), ssc
    )


def cryptogram(keys: DocumentKeys, plain: bytes) -> bytes:
    """``E || MAC(pad(E))`` over a 32-byte plaintext (both directions of MUTUAL AUTHENTICATE)."""
    encrypted = crypto.encrypt(keys.k_enc, plain)
    return encrypted + crypto.retail_mac(keys.k_mac, crypto.pad(encrypted))


def open_cryptogram(keys: DocumentKeys, data: bytes) -> bytes | None:
    """Check a 40-byte cryptogram's MAC and decrypt it; ``None`` when the MAC does not match."""
    if len(data) != 40:
        return None
    encrypted, mac = data[:32], data[32:]
    if not hmac.compare_digest(crypto.retail_mac(keys.k_mac, crypto.pad(encrypted)), mac):
        return None
    return crypto.decrypt(keys.k_enc, encrypted)


def authenticate(
    transmit: Transmit, key: BacKey, *, random: Callable[[int], bytes] = os.urandom
) -> SecureMessaging:
    """Run BAC against the chip and return the secure-messaging session.

    Args:
        transmit: sends one APDU, returns the response (see :data:`Transmit`).
        key: the MRZ fields.
        random: source of ``RND.IFD`` (8 bytes) then ``K.IFD`` (16 bytes); tests inject the values
            of Appendix D.

    Raises:
        BacFailed: the chip refused MUTUAL AUTHENTICATE or its answer does not verify (wrong MRZ).
        ChipCommandFailed: GET CHALLENGE failed.
    """
    keys = document_keys(key)
    data, sw = split_response(transmit(GET_CHALLENGE.encode()))
    if sw != SW_OK or len(data) != 8:
        raise ChipCommandFailed(
            f"护照芯片未返回随机数（状态码 {sw:04X}），可能不支持基本访问控制；"
            "请重新放置护照，仍失败请手工录入",
            sw,
        )
    rnd_ic = data
    rnd_ifd = random(8)
    k_ifd = random(16)
    command = Command(
        0x00, INS_MUTUAL_AUTHENTICATE, 0x00, 0x00, cryptogram(keys, rnd_ifd + rnd_ic + k_ifd), 40
    )
    answer, sw = split_response(transmit(command.encode()))
    if sw != SW_OK:
        raise BacFailed(_BAC_REFUSED)
    plain = open_cryptogram(keys, answer)
    if plain is None or plain[0:8] != rnd_ic or plain[8:16] != rnd_ifd:
        raise BacFailed(_BAC_REFUSED)
    return session(k_ifd, plain[16:32], rnd_ic, rnd_ifd)
