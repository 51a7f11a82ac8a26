"""Exemptions and the facts that decide them: statutory heir, spouse added, 满五唯一, gifts, halving."""

from __future__ import annotations

from datetime import date

from forms.case import Case, PartyRole, Property, Relation, Transaction
from forms.tax import TaxKind, TaxSettings, estimate

from .builders import D, buyer, company, one, run, sale, seller


def _inheritance(relation: Relation | None) -> Case:
    return Case(
        business_type="inheritance",
        rule_date=date(2026, 3, 1),
        parties=[buyer(relation_to_counterparty=relation)],
        property=Property(area=D("90")),
        transaction=Transaction(assessed_value=D("1000000")),
    )


def test_statutory_heir_pays_no_deed_tax_nor_iit() -> None:
    est = run(_inheritance(Relation.STATUTORY_HEIR))
    deed = one(est, "deed_tax")
    assert (deed["amount"], deed["rule"]) == ("0.00", "deed_tax.exempt_statutory_heir.2021")
    assert one(est, "iit")["amount"] == "0.00"
    assert not est.lines_of(TaxKind.VAT)
    assert one(est, "registration_fee")["amount"] == "80.00"
    assert est.totals["total"] == D("80.00")
    assert "法定继承人" in est.lines_of(TaxKind.DEED_TAX)[0].explanation


def test_legatee_pays_the_provincial_rate_on_the_assessed_value() -> None:
    deed = one(run(_inheritance(Relation.LEGATEE)), "deed_tax")
    assert (deed["rate"], deed["amount"]) == ("0.03", "30000.00")


def test_missing_heir_relation_is_reported() -> None:
    est = run(_inheritance(None))
    assert any(m.path == "parties[0].relation_to_counterparty" for m in est.missing)


def test_spouse_added_pays_no_deed_tax() -> None:
    case = Case(
        business_type="gift",
        rule_date=date(2026, 3, 1),
        parties=[buyer(relation_to_counterparty=Relation.SPOUSE), seller()],
        property=Property(area=D("90")),
        transaction=Transaction(assessed_value=D("1000000")),
    )
    est = run(case)
    deed = one(est, "deed_tax")
    assert (deed["amount"], deed["rule"]) == ("0.00", "deed_tax.exempt_spouse.2021")
    assert one(est, "iit")["amount"] == "0.00"
    assert one(est, "registration_fee")["amount"] == "80.00"


def test_gift_to_child_deed_tax_at_provincial_rate_iit_exempt() -> None:
    case = Case(
        business_type="gift",
        rule_date=date(2026, 3, 1),
        parties=[buyer(relation_to_counterparty=Relation.PARENT_CHILD), seller()],
        property=Property(area=D("90")),
        transaction=Transaction(assessed_value=D("1000000")),
    )
    est = run(case, deed_tax_standard_rate=D("0.04"))
    assert one(est, "deed_tax")["amount"] == "40000.00"
    assert one(est, "iit")["amount"] == "0.00"
    assert one(est, "vat")["amount"] == "0.00"
    # Q5: the close-relative VAT exemption can be switched off; the gift is then a deemed sale
    case.transaction.acquisition.acquired_on = date(2025, 6, 1)
    no_exemption = run(case, gift_vat_close_relatives_exempt=False)
    assert one(no_exemption, "vat")["amount"] == "29126.21"  # 1,000,000 ÷ 1.03 × 3%
    # Q6: stamp duty on gifts is a setting
    assert one(run(case, stamp_duty_on_gifts=False), "stamp_duty", "right_holder")["amount"] == "0.00"


def test_gift_to_a_stranger_pays_iit_on_value_less_receiver_taxes() -> None:
    case = Case(
        business_type="gift",
        rule_date=date(2026, 3, 1),
        parties=[buyer(relation_to_counterparty=Relation.NONE), seller()],
        property=Property(area=D("90")),
        transaction=Transaction(assessed_value=D("1000000")),
    )
    case.transaction.acquisition.acquired_on = date(2015, 1, 1)  # held ≥ 2 years: no VAT on the deemed sale
    est = run(case, surcharge_halving=False)
    # deed tax 30,000 + stamp duty 500 paid by the receiver are deducted (财税〔2009〕78号 Art 4)
    assert one(est, "iit")["amount"] == "193900.00"
    assert one(run(case, surcharge_halving=False, gift_iit_deduct_receiver_taxes=False), "iit")["amount"] == (
        "200000.00"
    )


def test_five_years_only_home_exempts_iit_and_says_why() -> None:
    est = run(sale(acquired_on=date(2020, 1, 1), seller_homes=1))
    iit = est.lines_of(TaxKind.IIT)[0]
    assert iit.amount == 0
    assert iit.rule == "iit.exempt_five_only.1999"
    assert "满" in iit.explanation
    assert not [a for a in est.alternatives if a.line.tax == TaxKind.IIT]


def test_five_years_but_not_the_only_home_pays_iit() -> None:
    iit = run(sale(acquired_on=date(2020, 1, 1), seller_homes=2)).lines_of(TaxKind.IIT)[0]
    assert iit.amount == D("160000.00")
    assert "不唯一" in iit.explanation


def test_unknown_seller_home_count_is_a_missing_fact() -> None:
    est = run(sale(acquired_on=date(2020, 1, 1), seller_homes=None))
    assert "parties[1].family_homes_owned" in [m.path for m in est.missing]
    assert est.lines_of(TaxKind.IIT)[0].amount == D("160000.00")


def test_unproven_original_value_uses_the_assessed_levy() -> None:
    est = run(sale(proven=False), iit_assessed_rate=D("0.015"))
    iit = one(est, "iit")
    assert (iit["rate"], iit["amount"], iit["rule"]) == ("0.015", "30000.00", "iit.assessed.2006")
    [alt] = [a for a in est.alternatives if a.line.tax == TaxKind.IIT]
    assert alt.line.amount == D("160000.00")
    assert "transaction.acquisition.original_value_proven" in [m.path for m in est.missing]


def test_unknown_buyer_home_count_uses_standard_rate_with_alternative() -> None:
    est = run(sale(buyer_homes=None))
    assert one(est, "deed_tax")["rate"] == "0.03"
    assert "parties[0].family_homes_owned" in [m.path for m in est.missing]
    [alt] = [a for a in est.alternatives if a.line.tax == TaxKind.DEED_TAX]
    assert alt.line.amount == D("20000.00")


def test_company_buyer_pays_stamp_duty_and_standard_deed_tax() -> None:
    est = run(sale(parties=[company(PartyRole.RIGHT_HOLDER), seller(family_homes_owned=2)]))
    assert one(est, "stamp_duty", "right_holder")["amount"] == "1000.00"  # 0.05%, no halving
    assert one(est, "stamp_duty", "obligor")["amount"] == "0.00"
    assert one(est, "deed_tax")["amount"] == "60000.00"


def test_surcharge_halving_switch() -> None:
    case = sale(price="3000000", acquired_on=date(2025, 1, 10))
    assert one(run(case, surcharge_halving=False), "city_maintenance_tax")["amount"] == "6116.50"
    assert one(run(case), "city_maintenance_tax")["amount"] == "3058.25"
    county = one(run(case, surcharge_halving=False, district_class="county_town"), "city_maintenance_tax")
    assert (county["rate"], county["amount"]) == ("0.05", "4368.93")
    # halving ends after 2027-12-31
    late = sale(price="3000000", acquired_on=date(2027, 1, 10), rule_date=date(2028, 1, 1))
    assert one(run(late), "city_maintenance_tax")["rate"] == "0.07"


def test_minimum_assessed_price_raises_the_base() -> None:
    est = run(sale(price="1000000", area="100"), minimum_assessed_price_per_sqm=D("15000"))
    assert one(est, "deed_tax")["base"] == "1500000.00"


def test_tier1_non_ordinary_housing_before_2024_12_is_an_alternative() -> None:
    case = sale(rule_date=date(2024, 6, 1), acquired_on=date(2020, 1, 1), seller_homes=2)
    est = estimate(case, TaxSettings(city="北京"))
    assert one(est, "vat")["amount"] == "0.00"
    [alt] = [a for a in est.alternatives if a.line.tax == TaxKind.VAT]
    assert alt.line.amount == D("38095.24")  # (2,000,000 − 1,200,000) ÷ 1.05 × 5%
    assert any(m.path == "property" for m in est.missing)
    assert not [a for a in run(case).alternatives if a.line.tax == TaxKind.VAT]


def test_company_seller_general_method_and_land_vat() -> None:
    case = sale(
        price="10900000",
        use="commercial",
        acquired_on=date(2015, 1, 10),
        original_value="5000000",
        parties=[company(PartyRole.RIGHT_HOLDER), company(PartyRole.OBLIGOR)],
    )
    case.transaction.acquisition.invoice_date = date(2015, 1, 10)
    case.transaction.acquisition.deed_tax_paid = D("150000")
    est = run(case)
    assert one(est, "vat")["amount"] == "900000.00"
    assert one(est, "city_maintenance_tax")["amount"] == "63000.00"
    land = one(est, "land_vat")
    # deductions: 4,850,000 × 1.55 + 150,000 + 113,000 = 7,780,500; gain 2,219,500 (28.5%) → 30%
    assert (land["base"], land["rate"], land["amount"]) == ("2219500.00", "0.3", "665850.00")
    assert not est.lines_of(TaxKind.IIT)


def test_small_scale_company_seller_simple_method_with_halving() -> None:
    case = sale(
        price="1030000",
        parties=[buyer(family_homes_owned=0), company(PartyRole.OBLIGOR, "small_scale")],
        proven=False,
    )
    est = run(case)
    assert one(est, "vat")["amount"] == "30000.00"
    assert one(est, "city_maintenance_tax")["rate"] == "0.035"
    assert one(est, "land_vat")["rule"] == "land_vat.assessed.2010"
    assert one(est, "land_vat")["amount"] == "50000.00"
