"""Small builders of cases for the estimator tests (every case is a real ``forms.case.Case``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from forms.case import Acquisition, Case, Certificates, Party, PartyKind, PartyRole, Property, Transaction
from forms.tax import Estimate, TaxKind, TaxSettings, estimate

D = Decimal


def buyer(**kw: Any) -> Party:
    return Party(role=PartyRole.RIGHT_HOLDER, **kw)


def seller(**kw: Any) -> Party:
    return Party(role=PartyRole.OBLIGOR, **kw)


def company(role: PartyRole, status: str = "general", **kw: Any) -> Party:
    return Party(role=role, kind=PartyKind.ORGANISATION, taxpayer_status=status, **kw)


def sale(
    *,
    price: str | None = "2000000",
    area: str | None = "90",
    rule_date: date = date(2026, 3, 1),
    acquired_on: date | None = date(2023, 1, 10),
    original_value: str | None = "1200000",
    proven: bool = True,
    buyer_homes: int | None = 0,
    seller_homes: int | None = 2,
    business_type: str = "second_hand_sale",
    use: str = "residential",
    parties: list[Party] | None = None,
    extra_certificates: int = 0,
    **transaction: Any,
) -> Case:
    """Example A of the domain notes by default (2026 rules, urban district)."""
    return Case(
        business_type=business_type,
        rule_date=rule_date,
        parties=parties
        if parties is not None
        else [buyer(family_homes_owned=buyer_homes), seller(family_homes_owned=seller_homes)],
        property=Property(area=D(area) if area is not None else None, use=use),
        certificates=Certificates(extra_count=extra_certificates),
        transaction=Transaction(
            price=D(price) if price is not None else None,
            acquisition=Acquisition(
                acquired_on=acquired_on,
                original_value=D(original_value) if original_value is not None else None,
                original_value_proven=proven,
            ),
            **transaction,
        ),
    )


def run(case: Case, **settings: Any) -> Estimate:
    return estimate(case, TaxSettings(**settings))


def json_lines(est: Estimate, tax: TaxKind | str, payer: str | None = None) -> list[dict[str, str]]:
    """Lines of the ``--json`` shape for one tax (and payer)."""
    return [
        ln
        for ln in est.to_dict()["lines"]
        if ln["tax"] == str(tax) and (payer is None or ln["payer"] == payer)
    ]


def one(est: Estimate, tax: TaxKind | str, payer: str | None = None) -> dict[str, str]:
    lines = json_lines(est, tax, payer)
    assert len(lines) == 1, lines
    return lines[0]
