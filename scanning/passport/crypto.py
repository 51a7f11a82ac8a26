"""The 3DES primitives of Basic Access Control and secure messaging (ICAO Doc 9303 Part 11).

- key derivation: ``SHA-1(K_seed || counter)``, two 8-byte DES keys with odd parity (§9.7.1);
- encryption: two-key 3DES in CBC mode with a zero IV (§9.8.6.1);
- MAC: ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with DES, over data padded with ISO/IEC 9797-1
  padding method 2 (§9.8.6.2).

Two-key 3DES is given to ``cryptography`` as a 24-byte key ``Ka || Kb || Ka`` (the same cipher; the
16-byte form is deprecated there).
"""

from __future__ import annotations

import hashlib
from typing import Final

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes

BLOCK: Final = 8
ENC_COUNTER: Final = 1
"""KDF counter for the encryption key (Part 11 §9.7.1)."""
MAC_COUNTER: Final = 2
"""KDF counter for the MAC key."""

_ZERO_IV: Final = bytes(BLOCK)


def adjust_parity(key: bytes) -> bytes:
    """Set each byte's least significant bit so the byte has odd parity (DES key convention)."""
    out = bytearray()
    for byte in key:
        high = byte & 0xFE
        out.append(high | ((bin(high).count("1") + 1) % 2))
    return bytes(out)


def derive_key(seed: bytes, counter: int) -> bytes:
    """A 16-byte 3DES key from a key seed and a counter (Doc 9303 Part 11 §9.7.1)."""
    digest = hashlib.sha1(seed + counter.to_bytes(4, "big")).digest()
    return adjust_parity(digest[:16])


def key_seed(mrz_information: str) -> bytes:
    """The BAC key seed: the first 16 bytes of SHA-1 of the MRZ information (§9.7.2)."""
    return hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]


def pad(data: bytes) -> bytes:
    """ISO/IEC 9797-1 padding method 2: ``80`` then zeros up to a multiple of 8."""
    padded = data + b"\x80"
    return padded + bytes(-len(padded) % BLOCK)


def unpad(data: bytes) -> bytes:
    """Remove ISO/IEC 9797-1 padding method 2.

    Raises:
        ValueError: the data is not padded that way.
    """
    stripped = data.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80 or len(data) - len(stripped) >= BLOCK:
        raise ValueError("bad ISO 9797-1 method 2 padding")
    return stripped[:-1]


def _des3(key: bytes) -> TripleDES:
    if len(key) != 16:
        raise ValueError("a two-key 3DES key has 16 bytes")
    return TripleDES(key + key[:8])


def encrypt(key: bytes, data: bytes) -> bytes:
    """3DES-CBC with a zero IV; ``data`` must already be a multiple of 8 bytes."""
    encryptor = Cipher(_des3(key), modes.CBC(_ZERO_IV)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def decrypt(key: bytes, data: bytes) -> bytes:
    """Inverse of :func:`encrypt`.

    Raises:
        ValueError: the length is not a multiple of 8.
    """
    if len(data) % BLOCK:
        raise ValueError("3DES ciphertext length must be a multiple of 8")
    decryptor = Cipher(_des3(key), modes.CBC(_ZERO_IV)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def _des(key8: bytes) -> Cipher[modes.ECB]:
    # Single DES as 3DES with three equal keys (K-K-K is DES by construction).
    return Cipher(TripleDES(key8 * 3), modes.ECB())


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with DES over already padded ``data``; returns 8 bytes.

    CBC-MAC with ``Ka`` over every block, then the last result decrypted with ``Kb`` and encrypted
    with ``Ka``.

    Raises:
        ValueError: wrong key size or data not a multiple of 8.
    """
    if len(key) != 16 or len(data) % BLOCK or not data:
        raise ValueError("retail MAC needs a 16-byte key and whole 8-byte blocks")
    ka, kb = key[:8], key[8:]
    enc = _des(ka).encryptor()
    state = bytes(BLOCK)
    for i in range(0, len(data), BLOCK):
        block = bytes(a ^ b for a, b in zip(state, data[i : i + BLOCK], strict=True))
        state = enc.update(block)
    state = _des(kb).decryptor().update(state)
    return _des(ka).encryptor().update(state)
