from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from sync.package import (
    Department,
    Manifest,
    canonical_bytes,
    content_digest,
    parse_signature_header,
    payload_for,
    sign_manifest,
    verify_signature,
)
from tests.sync.conftest import CREATED, blob, make_case, make_manifest


def test_retry_of_same_content_is_byte_identical() -> None:
    key = Ed25519PrivateKey.generate()
    pid = uuid.uuid4()
    case = make_case()
    first = sign_manifest(make_manifest(Department.TAX, case=case, package_id=pid), key)
    again = sign_manifest(make_manifest(Department.TAX, case=case.model_copy(deep=True), package_id=pid), key)
    assert first.body == again.body
    assert first.signature == again.signature
    assert first.signature.startswith("ed25519 keyid=")
    assert verify_signature(first.body, first.signature, key.public_key())


def test_canonical_bytes_are_rfc8785() -> None:
    body = canonical_bytes(make_manifest(Department.TRANSACTION))
    text = body.decode("utf-8")
    assert "\n" not in text and ": " not in text
    assert text.index('"attachments"') < text.index('"case_id"') < text.index('"created_at"')
    assert "张三" in text  # UTF-8, not \u escapes
    assert content_digest(body) == content_digest(body.replace(b",", b", "))


def test_signature_fails_for_tampered_body_or_other_key() -> None:
    key = Ed25519PrivateKey.generate()
    signed = sign_manifest(make_manifest(Department.REGISTRATION), key)
    assert not verify_signature(signed.body.replace(b"W01", b"W02"), signed.signature, key.public_key())
    assert not verify_signature(signed.body, signed.signature, Ed25519PrivateKey.generate().public_key())
    assert not verify_signature(signed.body, "ed25519 keyid=zz, sig=abc", key.public_key())
    with pytest.raises(ValueError):
        parse_signature_header("rsa sig=abc")


def test_transaction_payload_is_contract_parties_property() -> None:
    payload = payload_for(make_case(), Department.TRANSACTION)
    assert set(payload) >= {"contract", "parties", "property"}
    assert "acquisition" not in payload and "case" not in payload
    assert payload["contract"]["contract_filing_number"] == "WQ-2024-123"
    assert payload["contract"]["price"] == "2000000.00"
    assert "marital_status" not in payload["parties"][0]
    assert "family_homes_owned" not in payload["parties"][0]


def test_tax_payload_has_price_acquisition_family_homes_and_estimate() -> None:
    estimate = {"lines": [{"tax": "deed_tax", "payer": "right_holder", "amount": "20000.00"}]}
    payload = payload_for(make_case(), Department.TAX, tax_estimate=estimate)
    assert payload["price"]["price"] == "2000000.00"
    assert payload["acquisition"]["original_value"] == "800000.00"
    assert payload["family_homes"] == {"buyer": 0, "seller": None}
    assert payload["parties"][0]["marital_status"] == "married"
    assert payload["estimate"] == estimate
    assert "contract_filing_number" not in payload["price"]
    assert "estimate" not in payload_for(make_case(), Department.TAX)


def test_registration_payload_is_the_whole_case_and_pure() -> None:
    case = make_case()
    payload = payload_for(case, Department.REGISTRATION)
    assert payload["case"] == case.model_dump(mode="json")
    assert payload == payload_for(case, Department.REGISTRATION)


def test_manifest_rejects_duplicate_attachments_and_naive_time() -> None:
    _, ref = blob(10)
    with pytest.raises(ValidationError, match="重复"):
        make_manifest(Department.REGISTRATION, attachments=[ref, ref])
    good = make_manifest(Department.REGISTRATION)
    with pytest.raises(ValidationError):
        Manifest.model_validate({**good.model_dump(), "created_at": datetime(2024, 1, 1)})
    assert good.created_at == CREATED
    assert "张三" not in str(good)
