"""日终报表: the end-of-day report a supervisor signs off (issue 8), as a PDF.

The report is a pure function of a :class:`DayReport` — plain figures the workstation collects (no
case, no personal data: case numbers, counts, amounts, the clerks' display names). It lists the
cases taken in (by business type, clerk and state), the fees collected by payment method with the
voided records, the receipts (受理凭证) printed, what is still undelivered to each department with its
age, the audit chain head at the time of the report, and a signature line: blank to sign by hand, or
the name and time of the supervisor who signed it off in the application.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Final

from reportlab.platypus import Flowable

from printing.layout import (
    BODY_TEXT,
    OFFICE,
    PLAIN,
    SECTION,
    SMALL,
    SUBTITLE,
    TITLE,
    PageInfo,
    Part,
    build_pdf,
    cn_date,
    grid_table,
    para,
    signature_lines,
    spacer,
    two_sided,
)

LIST_LIMIT: Final = 200
"""Rows listed per table in the PDF; the rest are counted in a closing line."""


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals: ``8000`` → ``80.00``."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


@dataclass(frozen=True)
class CountRow:
    """A label and a count (cases by business type, clerk or state)."""

    label: str
    count: int


@dataclass(frozen=True)
class MethodRow:
    """Fees by payment method.

    Attributes:
        label: the method's Chinese name.
        count: valid (not voided) payments.
        amount_fen: their total in fen (for 免收, the amount waived).
        collected: whether the amount was actually collected (``False`` for 免收).
    """

    label: str
    count: int
    amount_fen: int
    collected: bool = True


@dataclass(frozen=True)
class VoidedRow:
    """A voided fee record."""

    case_number: str
    method: str
    amount_fen: int
    bill_no: str
    voided_by: str
    voided_at: datetime


@dataclass(frozen=True)
class ReceiptRow:
    """A printed receipt (受理凭证)."""

    case_number: str
    at: datetime
    status: str


@dataclass(frozen=True)
class UndeliveredRow:
    """A leg not yet delivered to its department."""

    case_number: str
    department: str
    state: str
    age_hours: float


@dataclass(frozen=True)
class DepartmentBacklog:
    """Undelivered legs of one department."""

    department: str
    count: int
    oldest_hours: float


@dataclass(frozen=True)
class DayReport:
    """Everything the end-of-day report shows.

    Attributes:
        office_name: the registry office.
        office_code: its code.
        scope: ``office`` or ``<office code>-<window id>``.
        scope_label: the scope in words (``本窗口（01 号）``, ``全所（各窗口）``).
        day: the day reported.
        generated_at: when the figures were read.
        by_type: cases taken in that day by business type.
        by_clerk: by clerk.
        by_state: by their state now.
        fees: valid payments by method.
        voided: payments of the day voided since.
        receipts: receipts printed that day.
        undelivered: legs of cases taken in up to that day that are still undelivered now.
        undelivered_by_department: their count and oldest age per department.
        audit_head: the audit chain head (``#seq mac``) when the figures were read.
        signed_by: the signing supervisor's name (``None``: not signed yet).
        signed_at: when they signed.
    """

    office_name: str
    office_code: str
    scope: str
    scope_label: str
    day: date
    generated_at: datetime
    by_type: tuple[CountRow, ...] = ()
    by_clerk: tuple[CountRow, ...] = ()
    by_state: tuple[CountRow, ...] = ()
    fees: tuple[MethodRow, ...] = ()
    voided: tuple[VoidedRow, ...] = ()
    receipts: tuple[ReceiptRow, ...] = ()
    undelivered: tuple[UndeliveredRow, ...] = ()
    undelivered_by_department: tuple[DepartmentBacklog, ...] = field(default_factory=tuple)
    audit_head: str = ""
    signed_by: str | None = None
    signed_at: datetime | None = None

    @property
    def cases_total(self) -> int:
        """Cases taken in."""
        return sum(r.count for r in self.by_type)

    @property
    def collected_fen(self) -> int:
        """Fees actually collected (免收 excluded)."""
        return sum(r.amount_fen for r in self.fees if r.collected)

    @property
    def waived_fen(self) -> int:
        """Fees waived."""
        return sum(r.amount_fen for r in self.fees if not r.collected)

    def summary(self) -> dict[str, Any]:
        """The JSON-ready summary stored with the sign-off (counts, totals, case numbers)."""
        data = asdict(self)
        data.update(
            day=self.day.isoformat(),
            generated_at=self.generated_at.isoformat(),
            signed_at=self.signed_at.isoformat() if self.signed_at else None,
            cases_total=self.cases_total,
            collected_fen=self.collected_fen,
            waived_fen=self.waived_fen,
            receipts_printed=len(self.receipts),
            undelivered_total=len(self.undelivered),
        )
        for row in data["voided"]:
            row["voided_at"] = row["voided_at"].isoformat()
        for row in data["receipts"]:
            row["at"] = row["at"].isoformat()
        return data


def _time(value: datetime) -> str:
    return value.astimezone().strftime("%H:%M")


def _age(hours: float) -> str:
    if hours < 24:
        return f"{hours:.1f} 小时"
    return f"{hours / 24:.1f} 天"


def _counts(title: str, column: str, rows: tuple[CountRow, ...], total: int) -> list[Flowable]:
    cells = [(r.label, str(r.count)) for r in rows] or [("（无）", "0")]
    cells.append(("合计", str(total)))
    return [para(title, SECTION), spacer(1), grid_table((column, "件数"), cells, (0.7, 0.3), align="LR")]


def _limited(rows: Sequence[Sequence[str]], total: int, noun: str) -> tuple[list[Sequence[str]], str]:
    note = f"另有 {total - LIST_LIMIT} {noun}未列出（见系统内明细）。" if total > LIST_LIMIT else ""
    return list(rows[:LIST_LIMIT]), note


def _story(r: DayReport) -> list[Flowable]:
    story: list[Flowable] = [
        para(r.office_name, OFFICE),
        para("日终报表", TITLE),
        para(f"{cn_date(r.day)}　{r.scope_label}", SUBTITLE),
        two_sided(
            f"机构代码：{r.office_code}　统计范围：{r.scope}",
            f"生成时间：{r.generated_at.astimezone():%Y-%m-%d %H:%M}",
        ),
        spacer(2),
        para(
            f"当日受理 {r.cases_total} 件；实收费用 {yuan(r.collected_fen)} 元"
            + (f"（另免收 {yuan(r.waived_fen)} 元）" if r.waived_fen else "")
            + f"；打印受理凭证 {len(r.receipts)} 份；尚未送达的数据包 {len(r.undelivered)} 个。",
            BODY_TEXT,
        ),
    ]
    story += [para("一、受理情况", SECTION), spacer(1)]
    story += _counts("按业务类型", "业务类型", r.by_type, r.cases_total)
    story += [spacer(2), *_counts("按受理人", "受理人", r.by_clerk, r.cases_total)]
    story += [spacer(2), *_counts("按目前状态", "状态", r.by_state, r.cases_total)]

    story += [spacer(3), para("二、收费情况（按支付方式）", SECTION), spacer(1)]
    fee_rows = [
        (m.label, str(m.count), yuan(m.amount_fen) + ("" if m.collected else "（免收）")) for m in r.fees
    ]
    fee_rows.append(("实收合计", str(sum(m.count for m in r.fees if m.collected)), yuan(r.collected_fen)))
    story.append(grid_table(("支付方式", "笔数", "金额（元）"), fee_rows, (0.4, 0.2, 0.4), align="LRR"))
    if r.voided:
        story += [spacer(2), para(f"已作废的收费记录（{len(r.voided)} 笔，不计入合计）", PLAIN), spacer(1)]
        voided = [
            (v.case_number, v.method, yuan(v.amount_fen), v.bill_no or "—", v.voided_by, _time(v.voided_at))
            for v in r.voided
        ]
        shown, note = _limited(voided, len(voided), "笔")
        story.append(
            grid_table(
                ("受理编号", "方式", "金额", "票据号", "作废人", "作废时间"),
                shown,
                (0.28, 0.16, 0.11, 0.17, 0.16, 0.12),
                align="LLRLLC",
            )
        )
        if note:
            story.append(para(note, SMALL))

    story += [spacer(3), para(f"三、打印受理凭证（{len(r.receipts)} 份）", SECTION), spacer(1)]
    receipts = [(x.case_number, _time(x.at), x.status) for x in r.receipts] or [("（无）", "", "")]
    shown, note = _limited(receipts, len(r.receipts), "份")
    story.append(grid_table(("受理编号", "时间", "结果"), shown, (0.6, 0.2, 0.2), align="LCC"))
    if note:
        story.append(para(note, SMALL))

    story += [spacer(3), para(f"四、尚未送达的数据包（{len(r.undelivered)} 个）", SECTION), spacer(1)]
    departments = [(d.department, str(d.count), _age(d.oldest_hours)) for d in r.undelivered_by_department]
    departments = departments or [("（无）", "0", "")]
    story.append(grid_table(("部门", "未送达", "最久已等待"), departments, (0.4, 0.2, 0.4), align="LRR"))
    if r.undelivered:
        legs = [(u.case_number, u.department, u.state, _age(u.age_hours)) for u in r.undelivered]
        shown, note = _limited(legs, len(legs), "个")
        story += [spacer(2)]
        story.append(
            grid_table(("受理编号", "部门", "状态", "已等待"), shown, (0.4, 0.15, 0.25, 0.2), align="LCCR")
        )
        if note:
            story.append(para(note, SMALL))

    story += [spacer(3), para(f"审计记录链头：{r.audit_head or '—'}", SMALL), spacer(4)]
    signer = r.signed_by or ""
    if r.signed_by and r.signed_at is not None:
        signer = f"{r.signed_by}（系统内签字 {r.signed_at.astimezone():%Y-%m-%d %H:%M}）"
    story.append(signature_lines(["审核人（科长）签字"], names=[signer]))
    return story


def render_day_report(report: DayReport) -> bytes:
    """The end-of-day report as an A4 PDF.

    Raises:
        FontMissing: a bundled font is missing.
    """
    info = PageInfo(
        key="day_report",
        title="日终报表",
        office_name=report.office_name,
        footer_left=f"{report.office_code}　{report.scope}",
        case_number=f"日期：{report.day.isoformat()}",
    )
    return build_pdf([Part(info=info, story=_story(report))], title="日终报表", author=report.office_name)


__all__ = [
    "LIST_LIMIT",
    "CountRow",
    "DayReport",
    "DepartmentBacklog",
    "MethodRow",
    "ReceiptRow",
    "UndeliveredRow",
    "VoidedRow",
    "render_day_report",
    "yuan",
]
