"""The tax bureau's assessment beside the estimate, and the Chinese tables."""

from __future__ import annotations

from decimal import Decimal

from forms.case import PartyRole
from forms.tax import AssessedLine, Assessment, TaxKind, compare, render_comparison, render_table

from .builders import run, sale


def _assessment(iit: str) -> Assessment:
    return Assessment(
        lines=[
            AssessedLine(tax=TaxKind.DEED_TAX, payer=PartyRole.RIGHT_HOLDER, amount=Decimal("20000.00")),
            AssessedLine(tax=TaxKind.IIT, payer=PartyRole.OBLIGOR, amount=Decimal(iit)),
        ],
        amount_due=Decimal("20000.00") + Decimal(iit),
        payment_code="3301000012345678",
    )


def test_compare_shows_differences_per_line_item() -> None:
    est = run(sale())
    diffs = {(d.tax, d.payer): d for d in compare(est, _assessment("20000.00"))}
    assert diffs[(TaxKind.DEED_TAX, PartyRole.RIGHT_HOLDER)].status == "match"
    iit = diffs[(TaxKind.IIT, PartyRole.OBLIGOR)]
    assert (iit.estimated, iit.assessed, iit.difference, iit.status) == (
        Decimal("160000.00"),
        Decimal("20000.00"),
        Decimal("-140000.00"),
        "differs",
    )
    # zero lines the bureau does not list agree; the registry's fee is not the bureau's business
    assert diffs[(TaxKind.VAT, PartyRole.OBLIGOR)].status == "match"
    assert (TaxKind.REGISTRATION_FEE, PartyRole.RIGHT_HOLDER) not in diffs


def test_compare_reports_lines_only_on_one_side() -> None:
    est = run(sale())
    extra = Assessment(
        lines=[AssessedLine(tax=TaxKind.LAND_VAT, payer=PartyRole.RIGHT_HOLDER, amount=Decimal("5"))],
        amount_due=Decimal("5"),
    )
    diffs = {(d.tax, d.payer): d for d in compare(est, extra)}
    assert diffs[(TaxKind.LAND_VAT, PartyRole.RIGHT_HOLDER)].status == "only_assessed"
    assert diffs[(TaxKind.IIT, PartyRole.OBLIGOR)].status == "only_estimated"


def test_render_table_lists_lines_totals_alternatives_and_missing() -> None:
    case = sale(buyer_homes=None)
    text = render_table(run(case))
    assert "契税" in text and "个人所得税" in text and "不动产登记费" in text
    assert "160,000.00" in text
    assert "权利人（买方/受让方）合计：60,080.00 元" in text
    assert "备选计算" in text and "若按核定征收" in text
    assert "家庭住房套数" in text
    assert "契税法 第3条" in text  # the standard rate applies while the home count is unknown


def test_render_comparison() -> None:
    est = run(sale())
    text = render_comparison(est, _assessment("20000.00"))
    assert "不一致" in text and "-140,000.00" in text
    assert "缴款码：3301000012345678" in text
    assert "各项一致" in render_comparison(est, _assessment("160000.00"))
