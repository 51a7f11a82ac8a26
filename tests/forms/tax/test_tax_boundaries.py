"""Boundaries of each rule: 140 ㎡, held exactly 2 and 5 years, the changes of 2024-12-01 and 2026-01-01."""

from __future__ import annotations

from datetime import date

import pytest

from forms.case import Case, Certificates, Party, PartyRole, Property, PropertyUse
from forms.tax import Estimate, NoRuleInForceError, TaxKind, TaxSettings, UnknownBusinessTypeError, estimate
from forms.tax.estimator import full_years, land_vat_years

from .builders import D, buyer, company, one, run, sale, seller


@pytest.mark.parametrize(
    ("area", "homes", "rate", "amount"),
    [
        ("140", 0, "0.01", "20000.00"),
        ("140.0001", 0, "0.015", "30000.00"),
        ("140", 1, "0.01", "20000.00"),
        ("140.5", 1, "0.02", "40000.00"),
        ("90", 2, "0.03", "60000.00"),
    ],
)
def test_deed_tax_area_and_home_count(area: str, homes: int, rate: str, amount: str) -> None:
    deed = one(run(sale(area=area, buyer_homes=homes)), "deed_tax")
    assert (deed["rate"], deed["amount"]) == (rate, amount)


def test_third_home_uses_the_provincial_rate() -> None:
    deed = one(run(sale(buyer_homes=3), deed_tax_standard_rate=D("0.04")), "deed_tax")
    assert (deed["rate"], deed["amount"], deed["rule"]) == ("0.04", "80000.00", "deed_tax.standard.2021")


@pytest.mark.parametrize(
    ("day", "rate"),
    [(date(2024, 11, 30), "0.015"), (date(2024, 12, 1), "0.01")],
)
def test_deed_tax_threshold_changes_on_2024_12_01(day: date, rate: str) -> None:
    # 100 ㎡ only home: above 90 ㎡ under 23号, below 140 ㎡ under 2024年第16号
    est = run(sale(area="100", rule_date=day, acquired_on=date(2020, 1, 1)))
    assert one(est, "deed_tax")["rate"] == rate


@pytest.mark.parametrize(
    ("day", "rate", "rule"),
    [
        (date(2024, 11, 30), "0.03", "deed_tax.standard.2021"),
        (date(2024, 12, 1), "0.01", "deed_tax.individual_housing.2024"),
    ],
)
def test_tier1_second_home_rate_from_2024_12_01(day: date, rate: str, rule: str) -> None:
    case = sale(area="80", buyer_homes=1, rule_date=day, acquired_on=date(2020, 1, 1))
    est = estimate(case, TaxSettings(city="上海市"))
    deed = one(est, "deed_tax")
    assert (deed["rate"], deed["rule"]) == (rate, rule)


@pytest.mark.parametrize(
    ("day", "rate", "amount"),
    [(date(2025, 12, 31), "0.05", "100000.00"), (date(2026, 1, 1), "0.03", "61165.05")],
)
def test_vat_rate_changes_on_2026_01_01(day: date, rate: str, amount: str) -> None:
    est = run(sale(price="2100000", rule_date=day, acquired_on=date(2025, 6, 1)))
    vat = one(est, "vat")
    assert (vat["rate"], vat["amount"]) == (rate, amount)


@pytest.mark.parametrize(
    ("day", "amount"),
    [(date(2026, 3, 14), "58252.43"), (date(2026, 3, 15), "0.00")],
)
def test_held_exactly_two_years_is_exempt(day: date, amount: str) -> None:
    est = run(sale(rule_date=day, acquired_on=date(2024, 3, 15)))
    assert one(est, "vat")["amount"] == amount


@pytest.mark.parametrize(
    ("day", "amount"),
    [(date(2026, 3, 14), "160000.00"), (date(2026, 3, 15), "0.00")],
)
def test_held_exactly_five_years_only_home_is_exempt(day: date, amount: str) -> None:
    est = run(sale(rule_date=day, acquired_on=date(2021, 3, 15), seller_homes=1))
    assert one(est, "iit")["amount"] == amount


def test_holding_period_may_start_at_the_invoice_date() -> None:
    case = sale(rule_date=date(2026, 3, 15), acquired_on=date(2024, 3, 15))
    case.transaction.acquisition.invoice_date = date(2024, 6, 1)
    assert one(run(case, holding_period_start="invoice_date"), "vat")["amount"] != "0.00"
    assert one(run(case), "vat")["amount"] == "0.00"


def test_full_years_and_land_vat_years() -> None:
    assert full_years(date(2024, 2, 29), date(2026, 2, 28)) == 1
    assert full_years(date(2024, 2, 29), date(2026, 3, 1)) == 2
    assert land_vat_years(date(2020, 1, 10), date(2023, 7, 10)) == 3  # 3 years 6 months
    assert land_vat_years(date(2020, 1, 10), date(2023, 7, 11)) == 3  # remainder of exactly 6 months
    assert land_vat_years(date(2020, 1, 10), date(2023, 8, 10)) == 4


def _company_sale(original_value: str) -> Estimate:
    case = sale(
        price="1500000",
        price_includes_vat=True,
        acquired_on=date(2026, 1, 1),
        original_value=original_value,
        use="commercial",
        parties=[company(PartyRole.RIGHT_HOLDER), company(PartyRole.OBLIGOR)],
    )
    case.transaction.acquisition.invoice_date = date(2026, 1, 1)
    # simple method at 0% leaves VAT and surcharges at 0, so the deductions are invoice + stamp duty 750
    return run(case, company_vat_general_method="simple", company_vat_simple_rate=D("0"))


def test_land_vat_exactly_fifty_percent_is_in_the_30_percent_band() -> None:
    land = one(_company_sale("999250"), "land_vat")  # deductions 1,000,000; gain 500,000
    assert (land["base"], land["rate"], land["amount"]) == ("500000.00", "0.3", "150000.00")


def test_land_vat_just_over_fifty_percent_is_in_the_40_percent_band() -> None:
    land = one(_company_sale("999249.99"), "land_vat")
    assert land["rate"] == "0.4"
    assert land["amount"] == "150000.00"  # quick deduction keeps the tax continuous


@pytest.mark.parametrize(
    ("day", "amount"),
    [(date(2019, 6, 30), "550.00"), (date(2019, 7, 1), "80.00")],
)
def test_garage_with_own_certificate_fee_changes_on_2019_07_01(day: date, amount: str) -> None:
    case = Case(
        business_type="mortgage_first",
        rule_date=day,
        parties=[company(PartyRole.RIGHT_HOLDER), Party(role=PartyRole.OBLIGOR)],
        property=Property(use=PropertyUse.GARAGE_PARKING),
    )
    assert one(run(case), "registration_fee")["amount"] == amount


def test_garage_without_own_certificate_is_free() -> None:
    case = Case(
        business_type="mortgage_first",
        rule_date=date(2026, 1, 1),
        parties=[company(PartyRole.RIGHT_HOLDER)],
        property=Property(use=PropertyUse.GARAGE_PARKING, has_own_certificate=False),
    )
    assert one(run(case), "registration_fee")["amount"] == "0.00"


def test_non_residential_fee_and_mortgagee_pays() -> None:
    bank = company(PartyRole.RIGHT_HOLDER)
    case = Case(
        business_type="mortgage_first",
        rule_date=date(2026, 1, 1),
        parties=[bank, Party(role=PartyRole.OBLIGOR)],
        property=Property(use=PropertyUse.COMMERCIAL),
    )
    est = run(case)
    [fee] = est.lines
    assert (fee.amount, fee.payer, fee.payer_ids) == (D("550.00"), PartyRole.RIGHT_HOLDER, (bank.id,))


def test_transfer_with_mortgage_charges_both_registrations() -> None:
    bank = company(PartyRole.RIGHT_HOLDER)
    home_buyer = buyer(family_homes_owned=0)
    parties = [home_buyer, seller(family_homes_owned=2), bank]
    case = sale(business_type="transfer_with_mortgage", parties=parties)
    case.certificates = Certificates(extra_count=1)
    est = run(case)
    fees = [ln for ln in est.lines if ln.tax == "registration_fee"]
    expected = [(D("90.00"), (home_buyer.id,)), (D("80.00"), (bank.id,))]
    assert [(f.amount, f.payer_ids) for f in fees] == expected
    # the bank pays no deed tax
    assert one(est, "deed_tax")["amount"] == "20000.00"
    assert est.lines_of(TaxKind.DEED_TAX)[0].payer_ids == (home_buyer.id,)


@pytest.mark.parametrize(
    "business", ["mortgage_release", "change_registration", "pre_registration", "correction_registration"]
)
def test_free_registrations(business: str) -> None:
    case = Case(business_type=business, rule_date=date(2026, 1, 1), parties=[buyer()])
    est = run(case)
    assert [ln.amount for ln in est.lines] == [D("0.00")]
    assert est.totals["total"] == 0


def test_small_micro_enterprise_pays_no_fee() -> None:
    small = company(PartyRole.RIGHT_HOLDER, "small_scale", small_micro_enterprise=True)
    case = sale(parties=[small, seller()])
    fee = one(run(case), "registration_fee")
    assert (fee["amount"], fee["rule"]) == ("0.00", "registration_fee.small_micro_exempt.2016")


def test_unknown_business_type_is_an_error_naming_it() -> None:
    with pytest.raises(UnknownBusinessTypeError, match="time_travel"):
        run(Case(business_type="time_travel", rule_date=date(2026, 1, 1)))


def test_date_before_the_tables_is_an_error() -> None:
    with pytest.raises(NoRuleInForceError, match="2010-01-01"):
        run(sale(rule_date=date(2010, 1, 1), acquired_on=date(2005, 1, 1)))


def test_rule_date_defaults_to_today() -> None:
    case = sale()
    case.rule_date = None
    est = run(case)
    assert est.rule_date == date.today()
    assert any("今天" in note for note in est.notes)


def test_transfer_with_mortgage_takes_the_mortgagee_from_the_capacity() -> None:
    """The bank entered first and a company buyer last: inference would take the company for the bank."""
    bank = company(PartyRole.RIGHT_HOLDER, capacity="mortgagee")
    firm = company(PartyRole.RIGHT_HOLDER, capacity="buyer", family_homes_owned=0)
    parties = [bank, seller(capacity="seller", family_homes_owned=2), firm]
    est = run(sale(business_type="transfer_with_mortgage", parties=parties))
    fees = [ln for ln in est.lines if ln.tax == "registration_fee"]
    assert [f.payer_ids for f in fees] == [(firm.id,), (bank.id,)]
    assert est.lines_of(TaxKind.DEED_TAX)[0].payer_ids == (firm.id,)
    # without capacities the last organisation would be taken for the bank
    old = [p.model_copy(update={"capacity": None}) for p in parties]
    fees = [ln for ln in run(sale(business_type="transfer_with_mortgage", parties=old)).lines]
    assert [f.payer_ids for f in fees if f.tax == "registration_fee"][1] != (bank.id,)
