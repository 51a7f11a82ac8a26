"""What a contract from 交易 and a unit's status from 登记 put into a case being entered (issue #5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from forms.case import PartyKind, PartyRole
from sync.lookups import ContractRecord, PropertyStatus
from workstation import lookups

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
BUYER = {
    "role": "right_holder",
    "name": "陈思远",
    "id_type": "resident_id",
    "id_number": "33010619880315051x",
}
SELLER_ID = "330102198507210324"
SELLER = {"role": "obligor", "name": "周雅琴", "id_type": "resident_id", "id_number": SELLER_ID}
UNIT = "330106005002GB01998F00020301"
RECORD = ContractRecord.model_validate(
    {
        "filing_no": "HZ2026WQ0000001",
        "price": "2680000.00",
        "property": {
            "unit_number": "330106005002GB01998F00020301",
            "location": "文三路 199 号",
            "area": "96.40",
        },
        "parties": [
            {
                "role": "right_holder",
                "name": "陈思远",
                "id_type": "resident_id",
                "id_number": "33010619880315051x",
            },
            {
                "role": "obligor",
                "name": "周雅琴",
                "id_type": "resident_id",
                "id_number": "330102198507210324",
            },
            {"role": "witness", "name": "某见证人"},
            {"role": "obligor", "name": "某房产公司", "id_type": "uscc", "id_number": ""},
        ],
        "as_of": (NOW - timedelta(hours=3)).isoformat(),
    }
)


def test_an_empty_case_takes_everything_and_adds_the_parties():
    fill = lookups.contract_fill(RECORD, {"business_type": "second_hand_sale"})
    assert fill.values == {
        "transaction.contract_filing_number": "HZ2026WQ0000001",
        "transaction.price": "2680000",
        "property.unit_number": "330106005002GB01998F00020301",
        "property.location": "文三路 199 号",
        "property.area": "96.40",
    }
    assert not fill.conflicts
    roles = [(p.role, p.kind, p.index) for p in fill.parties]
    assert roles == [
        (PartyRole.RIGHT_HOLDER, PartyKind.NATURAL, None),
        (PartyRole.OBLIGOR, PartyKind.NATURAL, None),
        (PartyRole.OBLIGOR, PartyKind.ORGANISATION, None),  # the witness is not a party of the case
    ]
    assert fill.parties[0].values["id_number"] == "33010619880315051X"  # upper-cased
    assert "id_number" not in fill.parties[2].values  # an empty value never clears a typed one


def test_typed_values_that_differ_are_conflicts_and_equal_ones_are_not():
    data = {
        "transaction": {"price": "2680000.00", "contract_filing_number": "hz2026wq0000001"},
        "property": {"location": "文三路 200 号", "area": None},
        "parties": [
            {
                "role": "obligor",
                "name": "周亚琴",
                "id_type": "resident_id",
                "id_number": "330102198507210324",
            },
            {"role": "right_holder", "name": "陈思远", "id_type": "resident_id", "id_number": None},
        ],
    }
    fill = lookups.contract_fill(RECORD, data)
    assert [(c.path, c.title, c.typed, c.looked_up) for c in fill.conflicts] == [
        ("property.location", "坐落", "文三路 200 号", "文三路 199 号"),
        ("parties[0].name", "姓名/名称", "周亚琴", "周雅琴"),
    ]
    # The buyer matched by name and role (no number typed yet), the seller by ID number.
    assert [p.index for p in fill.parties[:2]] == [1, 0]


def test_status_line_and_warnings():
    free = PropertyStatus(
        unit_no="U1", mortgaged=True, notes=["抵押权人：示范银行"], as_of=NOW - timedelta(days=2)
    )
    assert (
        lookups.status_text(free, NOW)
        == "查封：无　异议登记：无　抵押：有（抵押权人：示范银行）　数据时间：2 天前"
    )
    assert lookups.status_warning(free) == ""
    seized = PropertyStatus(unit_no="U1", seized=True, objection=True, as_of=NOW)
    warning = lookups.status_warning(seized)
    assert "查封" in warning and "第三十八条" in warning and "异议登记" in warning and "科长" in warning


def test_prices_compare_as_numbers():
    data = {"transaction": {"price": Decimal("2680000")}}
    assert not lookups.contract_fill(RECORD, data).conflicts
