"""Plain-text Chinese tables of an estimate and of its comparison with the tax bureau's assessment."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from forms.case import PartyRole
from forms.tax.assessment import Assessment, Difference, compare
from forms.tax.result import PAYER_LABELS, Estimate, TaxLine

_PAYER_SHORT = {PartyRole.RIGHT_HOLDER: "权利人（买方）", PartyRole.OBLIGOR: "义务人（卖方）"}
_STATUS = {"match": "一致", "differs": "不一致", "only_estimated": "仅估算有", "only_assessed": "仅核定有"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: Sequence[str]) -> str:
        return "  ".join(_pad(cell, widths[i], right[i]) for i, cell in enumerate(row)).rstrip()

    rule = "-" * _width(fmt(header))
    return [fmt(header), rule, *(fmt(r) for r in rows), rule]


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _rate(line: TaxLine) -> str:
    if line.tax.value == "registration_fee":
        return "按件" if line.rate else "免收"
    if line.rate == 0:
        return "免征"
    return f"{format((line.rate * 100).normalize(), 'f')}%"


def render_table(estimate: Estimate) -> str:
    """The estimate as a Chinese table: tax, payer, base, rate, amount, source; totals per payer.

    Args:
        estimate: the estimate.

    Returns:
        Text lines ending with the totals, the alternatives, the facts still missing and the notes.
    """
    rows = [
        [
            ln.tax.label,
            _PAYER_SHORT.get(ln.payer, ln.payer.value),
            _money(ln.base),
            _rate(ln),
            _money(ln.amount),
            ln.source,
        ]
        for ln in estimate.lines
    ]
    out = [f"税费估算（计税日期 {estimate.rule_date.isoformat()}，业务类型 {estimate.business_type}）", ""]
    out += _table(
        ["税费", "缴纳方", "计税依据(元)", "税率", "金额(元)", "依据"],
        rows,
        [False, False, True, True, True, False],
    )
    totals = estimate.totals
    for role in (PartyRole.RIGHT_HOLDER, PartyRole.OBLIGOR):
        out.append(f"{PAYER_LABELS[role]}合计：{_money(totals[role.value])} 元")
    out.append(f"总计：{_money(totals['total'])} 元")
    if estimate.alternatives:
        out += ["", "备选计算（不计入合计）："]
        out += [
            f"  {alt.label}：{alt.line.tax.label} {_money(alt.line.amount)} 元（{alt.line.explanation}）"
            for alt in estimate.alternatives
        ]
    if estimate.missing:
        out += ["", "尚缺事实（补齐后估算方为确定）："]
        out += [f"  {m.message}" for m in estimate.missing]
    if estimate.notes:
        out += ["", "说明："]
        out += [f"  {note}" for note in estimate.notes]
    out += ["", "本结果为估算，以税务机关核定为准。"]
    return "\n".join(out)


def render_comparison(
    estimate: Estimate, assessment: Assessment, differences: Sequence[Difference] | None = None
) -> str:
    """The estimate beside the tax bureau's assessment, per line item, as a Chinese table.

    Args:
        estimate: the estimate.
        assessment: the assessment.
        differences: the result of :func:`compare` when already computed.

    Returns:
        The table, the totals and the payment code.
    """
    diffs = list(differences) if differences is not None else compare(estimate, assessment)
    rows = [
        [
            d.tax.label,
            _PAYER_SHORT.get(d.payer, d.payer.value),
            _money(d.estimated),
            _money(d.assessed),
            f"{d.difference:+,.2f}",
            _STATUS[d.status],
        ]
        for d in diffs
    ]
    out = ["估算与税务机关核定对照", ""]
    out += _table(
        ["税费", "缴纳方", "估算(元)", "核定(元)", "差额(元)", "结果"],
        rows,
        [False, False, True, True, True, False],
    )
    est_total = sum((d.estimated or Decimal("0.00") for d in diffs), Decimal("0.00"))
    out.append(f"估算合计：{_money(est_total)} 元；核定应缴：{_money(assessment.amount_due)} 元")
    if assessment.payment_code:
        out.append(f"缴款码：{assessment.payment_code}")
    differing = [d for d in diffs if d.status != "match"]
    out.append(
        f"有 {len(differing)} 项不一致，请以核定结果为准并向当事人说明。" if differing else "各项一致。"
    )
    return "\n".join(out)
