"""Property-based checks: amounts never negative, totals equal the sum of the lines, rounding to the fen."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from forms.case import (
    Acquisition,
    Case,
    Certificates,
    Party,
    PartyKind,
    PartyRole,
    Property,
    PropertyUse,
    Relation,
    TaxpayerStatus,
    Transaction,
)
from forms.tax import TaxSettings, estimate, render_table

BUSINESS = [
    "second_hand_sale",
    "new_home_transfer",
    "transfer_with_mortgage",
    "gift",
    "inheritance",
    "exchange",
    "mortgage_first",
    "mortgage_release",
    "change_registration",
    "pre_registration",
]
money = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False))
days = st.dates(min_value=date(2017, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def parties(draw: st.DrawFn) -> list[Party]:
    result: list[Party] = []
    for role in (PartyRole.RIGHT_HOLDER, PartyRole.OBLIGOR, PartyRole.RIGHT_HOLDER):
        if role == PartyRole.RIGHT_HOLDER and result and not draw(st.booleans()):
            continue
        kind = draw(st.sampled_from(list(PartyKind)))
        result.append(
            Party(
                role=role,
                kind=kind,
                family_homes_owned=draw(st.one_of(st.none(), st.integers(0, 4))),
                relation_to_counterparty=draw(st.one_of(st.none(), st.sampled_from(list(Relation)))),
                taxpayer_status=draw(st.sampled_from(list(TaxpayerStatus))),
                small_micro_enterprise=draw(st.booleans()),
            )
        )
    return result


@st.composite
def cases(draw: st.DrawFn) -> Case:
    rule_date = draw(days)
    acquired = draw(st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=rule_date)))
    return Case(
        business_type=draw(st.sampled_from(BUSINESS)),
        rule_date=rule_date,
        parties=draw(parties()),
        property=Property(
            area=draw(st.one_of(st.none(), st.decimals(min_value="0.01", max_value=5000, places=2))),
            use=draw(st.sampled_from(list(PropertyUse))),
            has_own_certificate=draw(st.booleans()),
            district_class=draw(st.sampled_from([None, "urban", "county_town", "other", "县城", "?"])),
        ),
        certificates=Certificates(extra_count=draw(st.integers(0, 5))),
        transaction=Transaction(
            price=draw(money),
            price_includes_vat=draw(st.booleans()),
            seller_vat_rate=draw(st.one_of(st.none(), st.sampled_from([Decimal("0.09"), Decimal("0.05")]))),
            assessed_value=draw(money),
            acquisition=Acquisition(
                acquired_on=acquired,
                invoice_date=draw(st.one_of(st.none(), st.just(acquired or rule_date - timedelta(days=30)))),
                original_value=draw(money),
                original_value_proven=draw(st.booleans()),
                deductible_expenses=draw(st.decimals(min_value=0, max_value=10**6, places=2)),
                deed_tax_paid=draw(money),
            ),
        ),
    )


tax_settings = st.builds(
    TaxSettings,
    surcharge_halving=st.booleans(),
    iit_method_when_proven=st.sampled_from(["actual", "assessed"]),
    iit_method_when_unproven=st.sampled_from(["actual", "assessed"]),
    minimum_assessed_price_per_sqm=st.one_of(st.none(), st.just(Decimal("8000"))),
    city=st.sampled_from(["", "上海", "杭州"]),
    company_vat_general_method=st.sampled_from(["general", "simple"]),
)


@settings(max_examples=300, deadline=None)
@given(cases(), tax_settings)
def test_amounts_never_negative_and_totals_add_up(case: Case, office: TaxSettings) -> None:
    est = estimate(case, office)
    assert est.lines
    for line in est.lines + tuple(a.line for a in est.alternatives):
        assert line.amount >= 0
        assert line.base >= 0
        assert line.amount == line.amount.quantize(Decimal("0.01"))
        assert line.rule and line.source and line.explanation
    totals = est.totals
    for role in ("right_holder", "obligor"):
        assert totals[role] == sum((ln.amount for ln in est.lines if ln.payer == role), Decimal("0"))
    assert totals["total"] == totals["right_holder"] + totals["obligor"]
    data = est.to_dict()
    assert Decimal(data["totals"]["total"]) == sum(Decimal(ln["amount"]) for ln in data["lines"])
    assert render_table(est)
