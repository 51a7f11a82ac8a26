"""Worked examples A and C of taxes-and-fees.md §8, to the fen, through the ``--json`` shape."""

from __future__ import annotations

import json
from datetime import date

from forms.case import Case, Party, PartyKind, PartyRole, Property, Transaction
from forms.tax import TaxKind

from .builders import D, one, run, sale

EXPECTED_KEYS = {"tax", "payer", "base", "rate", "amount", "rule", "source"}


def test_example_a_second_hand_home() -> None:
    est = run(sale())
    data = json.loads(est.to_json())
    assert set(data) == {"lines", "totals"}
    assert all(set(line) == EXPECTED_KEYS for line in data["lines"])
    assert one(est, "vat", "obligor")["amount"] == "0.00"
    for surcharge in ("city_maintenance_tax", "education_surcharge", "local_education_surcharge"):
        assert one(est, surcharge, "obligor")["amount"] == "0.00"
    iit = one(est, "iit", "obligor")
    assert (iit["base"], iit["rate"], iit["amount"]) == ("800000.00", "0.2", "160000.00")
    deed = one(est, "deed_tax", "right_holder")
    assert (deed["base"], deed["rate"], deed["amount"]) == ("2000000.00", "0.01", "20000.00")
    assert one(est, "stamp_duty", "obligor")["amount"] == "0.00"
    assert one(est, "stamp_duty", "right_holder")["amount"] == "0.00"
    assert one(est, "land_vat", "obligor")["amount"] == "0.00"
    fee = one(est, "registration_fee", "right_holder")
    assert fee["amount"] == "80.00"
    assert data["totals"] == {"right_holder": "20080.00", "obligor": "160000.00", "total": "180080.00"}
    # the assessed IIT is shown beside the actual one, not added to the totals
    [alt] = [a for a in est.alternatives if a.line.tax == TaxKind.IIT]
    assert alt.line.amount == D("20000.00")
    assert alt.line.rate == D("0.01")


def test_example_a_extra_certificates_add_ten_each() -> None:
    est = run(sale(extra_certificates=2))
    assert one(est, "registration_fee", "right_holder")["amount"] == "100.00"


def _example_c(area: str) -> Case:
    return Case(
        business_type="new_home_transfer",
        rule_date=date(2026, 3, 1),
        parties=[
            Party(role=PartyRole.RIGHT_HOLDER, family_homes_owned=0),
            Party(role=PartyRole.OBLIGOR, kind=PartyKind.ORGANISATION, taxpayer_status="general"),
        ],
        property=Property(area=D(area)),
        transaction=Transaction(price=D("3270000"), price_includes_vat=True, seller_vat_rate=D("0.09")),
    )


def test_example_c_new_home() -> None:
    est = run(_example_c("120"))
    deed = one(est, "deed_tax", "right_holder")
    assert (deed["base"], deed["rate"], deed["amount"]) == ("3000000.00", "0.01", "30000.00")
    assert one(est, "stamp_duty", "right_holder")["amount"] == "0.00"
    assert one(est, "registration_fee", "right_holder")["amount"] == "80.00"
    assert est.to_dict()["totals"] == {"right_holder": "30080.00", "obligor": "0.00", "total": "30080.00"}
    # the developer's own taxes are not computed at the window
    assert not [ln for ln in est.lines if ln.payer == PartyRole.OBLIGOR]


def test_example_c_above_140_sqm() -> None:
    est = run(_example_c("150"))
    deed = one(est, "deed_tax", "right_holder")
    assert (deed["rate"], deed["amount"]) == ("0.015", "45000.00")


def test_vat_3_percent_from_2026_for_under_two_years() -> None:
    est = run(sale(price="3000000", acquired_on=date(2025, 1, 10), original_value="2000000"))
    vat = one(est, "vat", "obligor")
    assert (vat["rate"], vat["amount"], vat["base"]) == ("0.03", "87378.64", "2912621.36")
    # surcharges on the rounded VAT, halved for a natural person by default
    assert one(est, "city_maintenance_tax")["amount"] == "3058.25"  # 87378.64 × 3.5%
    assert one(est, "education_surcharge")["amount"] == "1310.68"  # × 1.5%
    assert one(est, "local_education_surcharge")["amount"] == "873.79"  # × 1%
    # deed tax on the price excluding VAT
    assert one(est, "deed_tax")["amount"] == "29126.21"
    # IIT: (income − original value − surcharges) × 20%
    assert one(est, "iit")["amount"] == "181475.73"
