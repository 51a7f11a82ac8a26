"""The supervisor's statistics over a date range (Qt-free, issue 8): SQL aggregates and their tables.

* cases taken in per day, by clerk and by business type (one ``GROUP BY`` of the cases created in
  the range);
* handling time at the window: the clerk's first keystroke (``cases.intake_started_at``) to the
  first ``submitted`` event, for the cases taken in during the range, median and 90th percentile
  per clerk and overall;
* delivery time per department: a leg's ``created_at`` (the submit) to ``delivered_at`` (the
  department's acknowledgement) and to ``answered_at`` (its answer), for the legs of those cases;
* backlog over time: legs not yet delivered at the end of each day (legs opened up to that day
  minus legs delivered up to that day).

Days are the office's local days: the range's bounds are local midnights and each time is shifted by
the local UTC offset before its date is taken (China keeps one offset all year; an office in a zone
with summer time sees the days of the range's first offset). The counts are SQL aggregates; the
percentiles are computed here from the durations the database computes, since SQLite has no
percentile function (PostgreSQL's ``percentile_cont`` would give the same values).

Export writes the tables to CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese) or to an
Excel workbook with one sheet per table (openpyxl).
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Date, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from sync.outbox import LegState
from sync.package import Department
from workstation.queues import SUPERSEDED
from workstation.storage.models import CaseEventRow, CaseRow, OutboxLegRow, UserRow

MAX_DAYS: Final = 366
"""The longest range the statistics accept (a year)."""

UNDELIVERED_STATES: Final = (LegState.QUEUED.value, LegState.SENDING.value, LegState.FAILED.value)
"""Leg states that mean "not delivered yet" (failed legs need a person; superseded ones nobody)."""


@dataclass(frozen=True)
class DayRange:
    """An inclusive range of local days.

    Attributes:
        start: the first day.
        end: the last day (inclusive).
    """

    start: date
    end: date

    def check(self) -> DayRange:
        """The range itself when it is usable.

        Raises:
            ValueError: with a Chinese message (end before start, or longer than a year).
        """
        if self.end < self.start:
            raise ValueError("“结束日期”早于“开始日期”：请把结束日期改为开始日期当天或之后。")
        if (self.end - self.start).days + 1 > MAX_DAYS:
            raise ValueError(f"统计区间最长 {MAX_DAYS} 天：请缩短日期范围后再统计。")
        return self

    @property
    def days(self) -> list[date]:
        """Every day of the range, in order."""
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """``[first local midnight, midnight after the last day)`` in UTC."""
        return local_midnight(self.start), local_midnight(self.end + timedelta(days=1))

    def offset_seconds(self) -> int:
        """The local UTC offset at the range's start, in seconds."""
        return utc_offset_seconds(self.start)


def local_midnight(day: date) -> datetime:
    """The local midnight that starts ``day``, as a UTC time."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def utc_offset_seconds(day: date) -> int:
    """The local UTC offset on ``day`` in seconds (China: 28,800)."""
    offset = datetime.combine(day, time(12)).astimezone().utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


# ------------------------------------------------------------------------------------- SQL helpers
def local_day(column: Any, dialect: str, offset: int) -> Any:
    """SQL: the local date of a UTC time column (SQLite returns text, PostgreSQL a date)."""
    if dialect == "sqlite":
        return func.date(column, f"{offset:+d} seconds")
    return cast(func.timezone("UTC", column) + func.make_interval(0, 0, 0, 0, 0, 0, offset), Date)


def seconds_between(start: Any, end: Any, dialect: str) -> Any:
    """SQL: seconds from ``start`` to ``end`` (two UTC time columns)."""
    if dialect == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end - start)


def as_date(value: Any) -> date:
    """A date from the database (``date`` or ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def not_superseded() -> Any:
    """SQL: the leg was not replaced by a correction's leg (it is nobody's backlog)."""
    return or_(OutboxLegRow.last_error_kind.is_(None), OutboxLegRow.last_error_kind != SUPERSEDED)


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` percentile, interpolated linearly (PostgreSQL's ``percentile_cont``).

    Returns:
        ``None`` for no values.
    """
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


# ------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Durations:
    """Count, median and 90th percentile of durations in seconds.

    Attributes:
        key: what the row is about (a clerk's name, a department id, ``""`` for all).
        count: how many durations.
        median: the median in seconds (``None`` when there are none).
        p90: the 90th percentile in seconds.
    """

    key: str
    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, key: str, values: Iterable[float]) -> Durations:
        """The summary of some durations (negative ones, from clock skew, count as 0)."""
        ordered = sorted(max(0.0, v) for v in values)
        return cls(key, len(ordered), percentile(ordered, 0.5), percentile(ordered, 0.9))


@dataclass(frozen=True)
class DeliveryTimes:
    """Delivery and answer times of one department's legs.

    Attributes:
        department: the department id.
        legs: legs of the range's cases.
        delivered: submit → acknowledgement.
        answered: submit → the department's answer.
    """

    department: str
    legs: int
    delivered: Durations
    answered: Durations


@dataclass(frozen=True)
class StatTable:
    """One exported table.

    Attributes:
        name: its title (the sheet's name).
        header: column titles.
        rows: cells.
    """

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str | int | float, ...], ...]


@dataclass(frozen=True)
class Statistics:
    """The statistics of a date range.

    Attributes:
        range: the days.
        by_clerk: ``(day, clerk name, cases)`` for every day and clerk with cases.
        by_type: ``(day, business type id, cases)``.
        handling: per clerk (``key`` = name), then the overall row (``key`` = ``""``).
        delivery: per department, in :class:`Department` order.
        backlog: ``(day, legs undelivered at the end of the day)`` for every day of the range.
    """

    range: DayRange
    by_clerk: tuple[tuple[date, str, int], ...]
    by_type: tuple[tuple[date, str, int], ...]
    handling: tuple[Durations, ...]
    delivery: tuple[DeliveryTimes, ...]
    backlog: tuple[tuple[date, int], ...]
    type_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def total_cases(self) -> int:
        """Cases taken in during the range."""
        return sum(n for _d, _c, n in self.by_clerk)

    def per_day(self, rows: Sequence[tuple[date, str, int]]) -> tuple[list[str], dict[str, list[int]]]:
        """Series per key over every day of the range (0 on days without cases): ``(keys, series)``."""
        days = self.range.days
        index = {d: i for i, d in enumerate(days)}
        series: dict[str, list[int]] = {}
        for day, key, n in rows:
            series.setdefault(key, [0] * len(days))[index[day]] += n
        keys = sorted(series, key=lambda k: -sum(series[k]))
        return keys, series

    def type_name(self, type_id: str) -> str:
        """A business type's Chinese name (its id when unknown)."""
        return self.type_names.get(type_id, type_id)

    def tables(self) -> list[StatTable]:
        """The tables exported to CSV and Excel."""

        def hours(value: float | None) -> str | float:
            return "" if value is None else round(value / 3600, 2)

        def minutes(value: float | None) -> str | float:
            return "" if value is None else round(value / 60, 1)

        return [
            StatTable(
                "按受理人",
                ("日期", "受理人", "受理件数"),
                tuple((d.isoformat(), c, n) for d, c, n in self.by_clerk),
            ),
            StatTable(
                "按业务类型",
                ("日期", "业务类型", "受理件数"),
                tuple((d.isoformat(), self.type_name(t), n) for d, t, n in self.by_type),
            ),
            StatTable(
                "窗口办理时长",
                ("受理人", "件数", "中位数(分钟)", "90%分位(分钟)"),
                tuple((h.key or "合计", h.count, minutes(h.median), minutes(h.p90)) for h in self.handling),
            ),
            StatTable(
                "部门送达时长",
                (
                    "部门",
                    "数据包",
                    "送达件数",
                    "送达中位数(小时)",
                    "送达90%分位(小时)",
                    "答复件数",
                    "答复中位数(小时)",
                    "答复90%分位(小时)",
                ),
                tuple(
                    (
                        Department(t.department).label,
                        t.legs,
                        t.delivered.count,
                        hours(t.delivered.median),
                        hours(t.delivered.p90),
                        t.answered.count,
                        hours(t.answered.median),
                        hours(t.answered.p90),
                    )
                    for t in self.delivery
                ),
            ),
            StatTable(
                "积压趋势",
                ("日期", "日终未送达数据包"),
                tuple((d.isoformat(), n) for d, n in self.backlog),
            ),
        ]


# ------------------------------------------------------------------------------------- queries
def compute_statistics(s: Session, days: DayRange, *, dialect: str) -> Statistics:
    """Run the aggregates of a range in one read transaction.

    Args:
        s: an open session (read transaction).
        days: the range (checked with :meth:`DayRange.check`).
        dialect: ``sqlite`` or ``postgresql``.

    Raises:
        ValueError: an unusable range (Chinese message).
    """
    days.check()
    start, end = days.utc_bounds()
    offset = days.offset_seconds()
    in_range = and_(CaseRow.created_at >= start, CaseRow.created_at < end)
    names = {uid: name for uid, name in s.execute(select(UserRow.id, UserRow.display_name))}

    # Cases per day by clerk and type: one pass over the range's cases.
    day = local_day(CaseRow.created_at, dialect, offset)
    by_clerk: dict[tuple[date, str], int] = defaultdict(int)
    by_type: dict[tuple[date, str], int] = defaultdict(int)
    grouped = (
        select(day, CaseRow.clerk_id, CaseRow.business_type, func.count())
        .where(in_range)
        .group_by(day, CaseRow.clerk_id, CaseRow.business_type)
    )
    for d, clerk_id, business_type, n in s.execute(grouped):
        local = as_date(d)
        by_clerk[(local, _clerk(names, clerk_id))] += int(n)
        by_type[(local, business_type)] += int(n)

    # Handling time: first keystroke → first submit event, for the range's cases.
    submitted_at = (
        select(func.min(CaseEventRow.at))
        .where(CaseEventRow.case_id == CaseRow.id, CaseEventRow.to_state == "submitted")
        .correlate(CaseRow)
        .scalar_subquery()
    )
    handling_rows = s.execute(
        select(CaseRow.clerk_id, seconds_between(CaseRow.intake_started_at, submitted_at, dialect)).where(
            in_range, CaseRow.intake_started_at.is_not(None)
        )
    ).all()
    per_clerk: dict[str, list[float]] = defaultdict(list)
    for clerk_id, seconds in handling_rows:
        if seconds is not None:
            per_clerk[_clerk(names, clerk_id)].append(float(seconds))
    handling = [Durations.of(k, v) for k, v in sorted(per_clerk.items())]
    handling.append(Durations.of("", (x for v in per_clerk.values() for x in v)))

    # Delivery per department, for the legs of the range's cases (the (case_id, department) index).
    legs = s.execute(
        select(
            OutboxLegRow.department,
            seconds_between(OutboxLegRow.created_at, OutboxLegRow.delivered_at, dialect),
            seconds_between(OutboxLegRow.created_at, OutboxLegRow.answered_at, dialect),
        )
        .join(CaseRow, CaseRow.id == OutboxLegRow.case_id)
        .where(in_range, not_superseded())
    ).all()
    leg_count: dict[str, int] = defaultdict(int)
    delivered: dict[str, list[float]] = defaultdict(list)
    answered: dict[str, list[float]] = defaultdict(list)
    for department, to_delivery, to_answer in legs:
        leg_count[department] += 1
        if to_delivery is not None:
            delivered[department].append(float(to_delivery))
        if to_answer is not None:
            answered[department].append(float(to_answer))
    delivery = tuple(
        DeliveryTimes(
            d.value,
            leg_count[d.value],
            Durations.of(d.value, delivered[d.value]),
            Durations.of(d.value, answered[d.value]),
        )
        for d in Department
    )

    return Statistics(
        range=days,
        by_clerk=tuple((d, c, n) for (d, c), n in sorted(by_clerk.items())),
        by_type=tuple((d, t, n) for (d, t), n in sorted(by_type.items())),
        handling=tuple(handling),
        delivery=delivery,
        backlog=tuple(backlog(s, days, dialect=dialect)),
    )


def backlog(s: Session, days: DayRange, *, dialect: str) -> list[tuple[date, int]]:
    """Legs not delivered at the end of each day of the range.

    A leg is open from its ``created_at`` until its ``delivered_at``; superseded legs never count.
    """
    start, end = days.utc_bounds()
    offset = days.offset_seconds()
    first = days.start
    opened_day = local_day(OutboxLegRow.created_at, dialect, offset)
    # Legs opened before the range fall on its first day (they are its opening backlog).
    early = literal(first.isoformat()) if dialect == "sqlite" else literal(first, Date)
    opened_key = case((OutboxLegRow.created_at < start, early), else_=opened_day)
    opened = s.execute(
        select(opened_key, func.count())
        .where(
            OutboxLegRow.created_at < end,
            or_(OutboxLegRow.delivered_at.is_(None), OutboxLegRow.delivered_at >= start),
            not_superseded(),
        )
        .group_by(opened_key)
    ).all()
    closed_day = local_day(OutboxLegRow.delivered_at, dialect, offset)
    closed = s.execute(
        select(closed_day, func.count())
        .where(OutboxLegRow.delivered_at >= start, OutboxLegRow.delivered_at < end, not_superseded())
        .group_by(closed_day)
    ).all()
    change: dict[date, int] = defaultdict(int)
    for d, n in opened:
        change[as_date(d)] += int(n)
    for d, n in closed:
        change[as_date(d)] -= int(n)
    running = 0
    result = []
    for d in days.days:
        running += change.get(d, 0)
        result.append((d, running))
    return result


def _clerk(names: Mapping[int, str], clerk_id: int | None) -> str:
    if clerk_id is None:
        return "（未分配）"
    return names.get(clerk_id, f"用户 {clerk_id}")


# ------------------------------------------------------------------------------------- export
def write_csv(tables: Sequence[StatTable], path: Path) -> Path:
    """Write the tables to one CSV file, UTF-8 with a byte-order mark (Excel reads the Chinese).

    Each table is its title on a line of its own, the header, the rows and a blank line.

    Returns:
        The path written.
    """
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        for i, table in enumerate(tables):
            if i:
                writer.writerow([])
            writer.writerow([table.name])
            writer.writerow(table.header)
            writer.writerows(table.rows)
    return path


def write_xlsx(tables: Sequence[StatTable], path: Path) -> Path:
    """Write the tables to an Excel workbook, one sheet per table, header row bold and frozen.

    Returns:
        The path written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        for column, title in enumerate(table.header, start=1):
            letter = sheet.cell(row=1, column=column).column_letter
            sheet.column_dimensions[letter].width = max(10, len(title) * 2 + 2)
    book.save(path)
    return path


__all__ = [
    "MAX_DAYS",
    "UNDELIVERED_STATES",
    "DayRange",
    "DeliveryTimes",
    "Durations",
    "StatTable",
    "Statistics",
    "as_date",
    "backlog",
    "compute_statistics",
    "local_day",
    "local_midnight",
    "not_superseded",
    "percentile",
    "seconds_between",
    "utc_offset_seconds",
    "write_csv",
    "write_xlsx",
]
