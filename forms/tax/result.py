"""The estimate: line items, totals per payer, missing facts and alternatives.

Money is :class:`~decimal.Decimal` in yuan, each line item rounded half-up to 0.01; totals sum the
rounded items (taxes-and-fees.md §1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from forms.case import PartyRole

FEN = Decimal("0.01")


def round_money(value: Decimal) -> Decimal:
    """Round to the fen, half-up."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def decimal_text(value: Decimal) -> str:
    """A decimal as plain text without exponent or trailing zeros (``0.030`` → ``0.03``)."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


class TaxKind(StrEnum):
    """The taxes and fees of a line item (the ``tax`` of the JSON)."""

    DEED_TAX = "deed_tax"
    VAT = "vat"
    CITY_MAINTENANCE_TAX = "city_maintenance_tax"
    EDUCATION_SURCHARGE = "education_surcharge"
    LOCAL_EDUCATION_SURCHARGE = "local_education_surcharge"
    IIT = "iit"
    STAMP_DUTY = "stamp_duty"
    LAND_VAT = "land_vat"
    REGISTRATION_FEE = "registration_fee"

    @property
    def label(self) -> str:
        """The Chinese name."""
        return TAX_LABELS[self]


TAX_LABELS: dict[TaxKind, str] = {
    TaxKind.DEED_TAX: "契税",
    TaxKind.VAT: "增值税",
    TaxKind.CITY_MAINTENANCE_TAX: "城市维护建设税",
    TaxKind.EDUCATION_SURCHARGE: "教育费附加",
    TaxKind.LOCAL_EDUCATION_SURCHARGE: "地方教育附加",
    TaxKind.IIT: "个人所得税",
    TaxKind.STAMP_DUTY: "印花税",
    TaxKind.LAND_VAT: "土地增值税",
    TaxKind.REGISTRATION_FEE: "不动产登记费",
}

PAYER_LABELS: dict[PartyRole, str] = {
    PartyRole.RIGHT_HOLDER: "权利人（买方/受让方）",
    PartyRole.OBLIGOR: "义务人（卖方/转让方）",
}


@dataclass(frozen=True)
class TaxLine:
    """One tax or fee of one payer.

    Attributes:
        tax: which tax or fee.
        payer: the paying party's role (``right_holder`` buyer side, ``obligor`` seller side).
        payer_ids: ids of the paying parties.
        base: the taxable base (计税依据) in yuan; for a fee, the fee before exemption.
        rate: the rate applied as a fraction (effective, after any halving);
            ``1`` for a fee, ``0`` when exempt.
        amount: the amount, rounded half-up to the fen, never negative.
        rule: the id of the rule row applied.
        source: the document and article.
        explanation: plain Chinese: which rule, why this rate, which exemption applied or failed and
            which fact would change the result.
        depends_on: the case field paths the figure depends on.
    """

    tax: TaxKind
    payer: PartyRole
    payer_ids: tuple[str, ...]
    base: Decimal
    rate: Decimal
    amount: Decimal
    rule: str
    source: str
    explanation: str
    depends_on: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The line in the JSON shape of ``yichuang tax --json``."""
        return {
            "tax": self.tax.value,
            "payer": self.payer.value,
            "base": format(round_money(self.base), "f"),
            "rate": decimal_text(self.rate),
            "amount": format(self.amount, "f"),
            "rule": self.rule,
            "source": self.source,
        }


@dataclass(frozen=True)
class MissingFact:
    """A fact the estimate still needs to be final.

    Attributes:
        path: the case field path, e.g. ``parties[0].family_homes_owned``.
        message: Chinese text naming the field and what it changes.
    """

    path: str
    message: str


@dataclass(frozen=True)
class Alternative:
    """A line item computed another way, shown beside the estimate (not counted in the totals).

    Attributes:
        label: Chinese text saying when this alternative applies.
        line: the alternative line item.
    """

    label: str
    line: TaxLine


@dataclass(frozen=True)
class Estimate:
    """The estimated taxes and fees of a case.

    Attributes:
        rule_date: the date whose rules were applied.
        business_type: the case's business type id.
        lines: the line items.
        missing: facts still missing to make the estimate final.
        alternatives: other ways of computing some items.
        notes: general remarks (e.g. taxes the window does not handle).
    """

    rule_date: date
    business_type: str
    lines: tuple[TaxLine, ...]
    missing: tuple[MissingFact, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def totals(self) -> dict[str, Decimal]:
        """Totals per payer role (``right_holder``, ``obligor``) and the grand ``total``."""
        result = {PartyRole.RIGHT_HOLDER.value: Decimal("0.00"), PartyRole.OBLIGOR.value: Decimal("0.00")}
        for line in self.lines:
            result[line.payer.value] = result.get(line.payer.value, Decimal("0.00")) + line.amount
        result["total"] = sum((line.amount for line in self.lines), Decimal("0.00"))
        return result

    def lines_of(self, tax: TaxKind, payer: PartyRole | None = None) -> list[TaxLine]:
        """The lines of one tax (and payer)."""
        return [ln for ln in self.lines if ln.tax == tax and (payer is None or ln.payer == payer)]

    def amount_of(self, tax: TaxKind, payer: PartyRole | None = None) -> Decimal:
        """The summed amount of one tax (and payer)."""
        return sum((ln.amount for ln in self.lines_of(tax, payer)), Decimal("0.00"))

    def to_dict(self) -> dict[str, Any]:
        """``{"lines": [...], "totals": {...}}`` with decimal strings."""
        return {
            "lines": [line.to_dict() for line in self.lines],
            "totals": {key: format(value, "f") for key, value in self.totals.items()},
        }

    def to_json(self) -> str:
        """The JSON printed by ``yichuang tax --json``."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
