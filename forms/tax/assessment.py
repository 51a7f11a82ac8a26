"""The tax bureau's assessment (arriving later through sync), set beside the estimate.

The assessment binds; the estimate only prepares the parties. :func:`compare` lists, per tax and payer,
the estimated and the assessed amount and their difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from forms.case import Money, PartyRole
from forms.tax.result import Estimate, TaxKind

DifferenceStatus = Literal["match", "differs", "only_estimated", "only_assessed"]


class AssessedLine(BaseModel):
    """One line item of the tax bureau's assessment (税费核定结果)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tax: TaxKind = Field(title="税种")
    payer: PartyRole = Field(title="缴纳方")
    amount: Money = Field(title="核定金额(元)")
    base: Money | None = Field(None, title="计税依据(元)")
    rate: Decimal | None = Field(None, ge=0, le=1, title="税率")
    name: str = Field("", title="税务机关的项目名称", max_length=100)


class Assessment(BaseModel):
    """The tax bureau's assessment of a case.

    Attributes:
        lines: the assessed line items.
        amount_due: the total the parties must pay.
        payment_code: the payment reference (缴款码) printed on the notice.
        assessed_on: the date of the assessment.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    lines: list[AssessedLine] = Field(default_factory=list, title="核定明细")
    amount_due: Money = Field(title="应缴金额(元)")
    payment_code: str | None = Field(None, title="缴款码", max_length=60)
    assessed_on: date | None = Field(None, title="核定日期")

    def amount_of(self, tax: TaxKind, payer: PartyRole) -> Decimal | None:
        """The summed amount of one tax and payer, or ``None`` when the assessment has no such line."""
        amounts = [ln.amount for ln in self.lines if ln.tax == tax and ln.payer == payer]
        return sum(amounts, Decimal("0.00")) if amounts else None


@dataclass(frozen=True)
class Difference:
    """The estimate and the assessment of one tax and payer side by side.

    Attributes:
        tax: the tax.
        payer: the paying side.
        estimated: the estimated amount (``None`` when the estimate has no such line).
        assessed: the assessed amount (``None`` when the assessment has no such line).
        difference: assessed − estimated (a missing side counts as 0).
        status: ``match``, ``differs``, ``only_estimated`` or ``only_assessed``.
    """

    tax: TaxKind
    payer: PartyRole
    estimated: Decimal | None
    assessed: Decimal | None
    difference: Decimal
    status: DifferenceStatus


def compare(estimate: Estimate, assessment: Assessment) -> list[Difference]:
    """Compare the estimate with the assessment per tax and payer.

    The registration fee is collected by the registry, not the tax bureau: it is compared only when the
    assessment lists it. A zero estimate without an assessed line is a match (nothing to pay either way).

    Args:
        estimate: the estimate.
        assessment: the tax bureau's assessment.

    Returns:
        One difference per tax and payer present in either, in the estimate's tax order.
    """
    keys: list[tuple[TaxKind, PartyRole]] = []
    for tax, payer in [(ln.tax, ln.payer) for ln in estimate.lines] + [
        (a.tax, a.payer) for a in assessment.lines
    ]:
        if (tax, payer) not in keys:
            keys.append((tax, payer))
    order = list(TaxKind)
    keys.sort(key=lambda k: (order.index(k[0]), k[1] != PartyRole.RIGHT_HOLDER))
    assessed_fee = any(a.tax == TaxKind.REGISTRATION_FEE for a in assessment.lines)
    result = []
    for tax, payer in keys:
        if tax == TaxKind.REGISTRATION_FEE and not assessed_fee:
            continue
        has_estimate = bool(estimate.lines_of(tax, payer))
        estimated = estimate.amount_of(tax, payer) if has_estimate else None
        assessed = assessment.amount_of(tax, payer)
        difference = (assessed or Decimal("0.00")) - (estimated or Decimal("0.00"))
        status: DifferenceStatus
        if estimated is not None and assessed is not None:
            status = "match" if difference == 0 else "differs"
        elif assessed is None:
            status = "match" if estimated == 0 else "only_estimated"
        else:
            status = "match" if assessed == 0 else "only_assessed"
        result.append(Difference(tax, payer, estimated, assessed, difference, status))
    return result
