"""The verification code on a 受理凭证 and in its QR code (``yichuang receipt verify``).

The code is HMAC-SHA256 (RFC 2104) of the case number under the office's receipt key, truncated to
80 bits and written in RFC 4648 base32 as four groups of four (``ABCD-EFGH-JKLM-NPQR``): short enough
to read out on the phone, long enough (2⁸⁰ guesses) that nobody forges a receipt for a made-up case
number. The key never leaves the office's settings.

The QR code holds ``YCR1|<case number>|<code>`` (:func:`qr_payload`); :func:`parse_qr_payload` reads it
back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Final

from printing.errors import ReceiptKeyMissing

CODE_BITS: Final = 80
"""Bits of the HMAC kept (NIST SP 800-107 §5.3.3 allows truncation; 80 bits resist guessing)."""

_DOMAIN: Final = b"yichuang-receipt-v1\x00"  # separates this use of the key from any other
QR_PREFIX: Final = "YCR1"


def _check_key(key: bytes) -> None:
    if not key:
        raise ReceiptKeyMissing(
            "未配置受理凭证校验密钥，无法生成或核验校验码。请管理员在机构设置中设置“回执密钥”后重试。"
        )


def receipt_code(case_number: str, key: bytes) -> str:
    """The verification code for a case number.

    Args:
        case_number: the 受理编号 as printed.
        key: the office's receipt key.

    Returns:
        16 base32 characters in four groups joined by ``-``.

    Raises:
        ReceiptKeyMissing: the key is empty.
    """
    _check_key(key)
    digest = hmac.new(key, _DOMAIN + case_number.strip().encode("utf-8"), hashlib.sha256).digest()
    text = base64.b32encode(digest[: CODE_BITS // 8]).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _normalise(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def verify_receipt_code(case_number: str, code: str, key: bytes) -> bool:
    """Whether ``code`` is the verification code of ``case_number`` under ``key``.

    Case, spaces and hyphens in ``code`` do not matter; the comparison takes constant time.

    Raises:
        ReceiptKeyMissing: the key is empty.
    """
    expected = _normalise(receipt_code(case_number, key))
    return hmac.compare_digest(expected.encode("ascii"), _normalise(code).encode("ascii", "replace"))


def qr_payload(case_number: str, code: str) -> str:
    """The text the receipt's QR code holds."""
    return f"{QR_PREFIX}|{case_number}|{code}"


def parse_qr_payload(payload: str) -> tuple[str, str] | None:
    """``(case number, code)`` from a scanned QR text, or ``None`` when it is not a receipt code."""
    parts = payload.strip().split("|")
    if len(parts) != 3 or parts[0] != QR_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]
