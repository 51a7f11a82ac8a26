"""The example case files: one valid case per business type, and one with a wrong check digit."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from forms.case import Case, IdType, PartyKind, PartyRole
from forms.catalog import Catalog, load_catalog

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# GB 11643-1999 MOD 11-2, computed here on purpose (independent of forms.identifiers).
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
UNIT_NUMBER = re.compile(r"^\d{12}[GJZ][A-HSWXY]\d{5}[FLQW]\d{8}$")
CERTIFICATE = re.compile(r"^(.{1,2})[(（](\d{4})[)）](.*?)不动产(权|证明)第(\d{7})号$")
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def mod11_2(body: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def uscc_ok(code: str) -> bool:
    total = sum(USCC_CHARS.index(ch) * pow(3, i, 31) for i, ch in enumerate(code[:17]))
    return code[17] == USCC_CHARS[(31 - total % 31) % 31]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def load(name: str) -> tuple[dict[str, Any], Case]:
    text = (EXAMPLES / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text), Case.model_validate_json(text)


def business_type_ids() -> list[str]:
    return [bt.id for bt in load_catalog().types]


@pytest.mark.parametrize("type_id", business_type_ids())
def test_example_is_valid_for_its_business_type(catalog: Catalog, type_id: str) -> None:
    _, case = load(type_id)
    assert case.business_type == type_id
    assert catalog.check_case(case) == []
    assert case.materials and all(m.received or m.via_data_sharing for m in case.materials if m.required)
    asked = {q.id for q in catalog.questions_for(case)}
    assert {a.question_id for a in case.interview} == asked
    bt = catalog.get(type_id)
    assert (case.mortgage is not None) == bt.needs_mortgage


@pytest.mark.parametrize("type_id", business_type_ids())
def test_example_identifiers_are_well_formed(type_id: str) -> None:
    raw, case = load(type_id)
    for party in case.parties:
        if party.id_type is IdType.RESIDENT_ID:
            assert len(party.id_number) == 18
            assert mod11_2(party.id_number[:17]) == party.id_number[17], party.id
            assert party.birth_date is not None and party.id_number[6:14] == f"{party.birth_date:%Y%m%d}"
        else:
            assert party.kind is PartyKind.ORGANISATION and party.id_type is IdType.USCC
            assert uscc_ok(party.id_number)
    assert UNIT_NUMBER.match(case.property.unit_number)
    if case.property.certificate_number is not None:
        assert CERTIFICATE.match(case.property.certificate_number)
    for key in ("price", "assessed_value"):
        value = raw["transaction"].get(key)
        assert value is None or (isinstance(value, str) and re.fullmatch(r"\d+\.\d{2}", value))
    assert raw == json.loads(case.model_dump_json(exclude_none=True)), "example is in canonical form"


def test_invalid_buyer_id_has_a_wrong_check_digit(catalog: Catalog) -> None:
    _, case = load("invalid_buyer_id")
    assert case.business_type == "second_hand_sale"
    buyer = case.right_holders[0]
    assert buyer.id_type is IdType.RESIDENT_ID and len(buyer.id_number) == 18
    assert buyer.id_number[:17].isdigit()
    assert mod11_2(buyer.id_number[:17]) != buyer.id_number[17]
    # Everything else is the valid sale: the catalog rules alone do not catch it (validation does).
    _, valid = load("second_hand_sale")
    assert valid.right_holders[0].id_number[:17] == buyer.id_number[:17]
    assert catalog.check_case(case) == []


def test_rare_characters_survive(catalog: Catalog) -> None:
    names = {p.name for name in business_type_ids() for p in load(name)[1].parties}
    rare = {n for n in names if any(ord(ch) > 0xFFFF or 0x3400 <= ord(ch) <= 0x4DBF for ch in n)}
    assert "张𠮷" in rare and any("䶮" in n for n in rare)


def test_readme_lists_every_example() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in EXAMPLES.glob("*.json"))
    assert files == sorted([*(f"{t}.json" for t in business_type_ids()), "invalid_buyer_id.json"])
    for name in files:
        assert f"`{name}`" in readme


def test_combined_example_has_bank_as_mortgagee(catalog: Catalog) -> None:
    _, case = load("transfer_with_mortgage")
    bt = catalog.get("transfer_with_mortgage")
    mortgagee = bt.assign_roles(case).by_role["mortgagee"]
    assert [case.parties[i].kind for i in mortgagee] == [PartyKind.ORGANISATION]
    assert all(case.parties[i].role is PartyRole.RIGHT_HOLDER for i in mortgagee)


def test_every_example_names_the_capacity_of_its_applicants(catalog: Catalog) -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        _, case = load(path.stem)
        bt = catalog.get(case.business_type)
        without = case.model_copy(
            update={"parties": [p.model_copy(update={"capacity": None}) for p in case.parties]}
        )
        for index, party in enumerate(case.parties):
            if party.role in (PartyRole.AGENT, PartyRole.GUARDIAN):
                assert party.capacity is None, (path.name, index)
                continue
            assert party.capacity in {r.id for r in bt.roles}, (path.name, index)
            # the explicit capacity and the inference of older files agree on these examples
            spec = bt.role_of(without, party.id)
            assert spec is not None and spec.id == party.capacity, (path.name, index)
