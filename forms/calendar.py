"""The working-day calendar: public holidays, make-up working days and office closures.

Registration time limits run in working days from acceptance (不动产登记暂行条例 Art 20 [P]: 30 个工作日;
the office's promised days per business type are in :mod:`forms.catalog`). Which days are working days is
data: ``forms/calendar_data/cn.yaml`` holds the State Council's holiday notices year by year, and an
office's calendar file (:func:`load_calendar`) adds years, closures and extra working days. Outside the
years covered the calendar falls back to Monday–Friday; :meth:`WorkingCalendar.covers` says whether a day
is covered, so the window can warn that a due date is provisional.

Example:
    >>> from datetime import date
    >>> cal = load_calendar()
    >>> cal.add_working_days(date(2025, 9, 30), 1)  # 10-01..08 are holidays
    datetime.date(2025, 10, 9)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from forms.errors import CalendarError
from forms.yamldata import LocatedDict, Location, load_located, locate, pydantic_errors_to_text

DEFAULT_CALENDAR_FILE: Final = Path(__file__).parent / "calendar_data" / "cn.yaml"
"""The national calendar shipped with the program."""

_MAX_SEARCH_DAYS: Final = 3660
"""How far :meth:`WorkingCalendar.add_working_days` looks before giving up (about ten years)."""


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days.

    A day is a working day when it is an office's extra working day; otherwise not when the office is
    closed or it is a public holiday; otherwise when it is an announced make-up working day (调休上班);
    otherwise when it falls Monday to Friday.

    Attributes:
        years: the years whose State Council notice the calendar holds.
        holidays: public holidays, with their names.
        working_weekends: make-up working days on weekends, with their names.
        closures: days the office is closed, with the reason.
        extra_working_days: extra working days of the office, with the reason.
        notices: year → the notice the year was copied from.
        files: the files loaded.
    """

    years: frozenset[int]
    holidays: Mapping[date, str]
    working_weekends: Mapping[date, str]
    closures: Mapping[date, str] = field(default_factory=dict)
    extra_working_days: Mapping[date, str] = field(default_factory=dict)
    notices: Mapping[int, str] = field(default_factory=dict)
    files: tuple[Path, ...] = ()

    def covers(self, day: date) -> bool:
        """Whether the calendar knows the holidays of the day's year (else it assumes Monday–Friday)."""
        return day.year in self.years

    def covers_range(self, start: date, end: date) -> bool:
        """Whether every day from ``start`` to ``end`` (inclusive, either order) is covered."""
        low, high = min(start, end), max(start, end)
        return all(year in self.years for year in range(low.year, high.year + 1))

    def is_working_day(self, day: date) -> bool:
        """Whether the office works on the day."""
        if day in self.extra_working_days:
            return True
        if day in self.closures or day in self.holidays:
            return False
        if day in self.working_weekends:
            return True
        return day.weekday() < 5

    def day_name(self, day: date) -> str | None:
        """Why a day is special (``国庆节``, ``春节调休上班``, an office closure), or ``None``."""
        for table in (self.extra_working_days, self.closures, self.holidays, self.working_weekends):
            if day in table:
                return table[day]
        return None

    def _working_days_after(self, start: date) -> Iterator[date]:
        day = start
        for _ in range(_MAX_SEARCH_DAYS):
            day += timedelta(days=1)
            if self.is_working_day(day):
                yield day
        raise CalendarError(
            f"从 {start.isoformat()} 起约十年内找不到足够的工作日："
            "请检查机构日历文件中的停办日期（closures）。"
        )

    def add_working_days(self, start: date, n: int) -> date:
        """The date ``n`` working days after ``start``; ``start`` itself is not counted.

        This is the promised completion date of a case accepted on ``start`` with ``n`` working days to
        complete (条例 Art 20 counts from acceptance). ``n = 0`` gives ``start``.

        Args:
            start: the acceptance date.
            n: working days, ``n >= 0``.

        Returns:
            The n-th working day after ``start``.

        Raises:
            ValueError: ``n`` is negative.
            CalendarError: the office's closures leave no working days.
        """
        if n < 0:
            raise ValueError(f"工作日数不能为负数（{n}）")
        if n == 0:
            return start
        for count, day in enumerate(self._working_days_after(start), start=1):
            if count == n:
                return day
        raise AssertionError("unreachable")  # pragma: no cover - the generator raises first

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``.

        ``working_days_between(a, add_working_days(a, n)) == n``, so this is how many working days of a
        time limit have passed on ``b`` for a case accepted on ``a``.
        """
        if b < a:
            return -self.working_days_between(b, a)
        return sum(
            1 for offset in range(1, (b - a).days + 1) if self.is_working_day(a + timedelta(days=offset))
        )


# ---------------------------------------------------------------------------------------- file schema
Text = Annotated[str, Field(min_length=1)]


class _Raw(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _RawRange(_Raw):
    name: Text
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> _RawRange:
        if self.end < self.start:
            raise ValueError(f"结束日期 {self.end} 早于开始日期 {self.start}，请交换或改正")
        if (self.end - self.start).days > 366:
            raise ValueError("一个日期范围不能超过一年，请拆成几段")
        return self

    def days(self) -> Iterator[date]:
        """Each day of the range."""
        for offset in range((self.end - self.start).days + 1):
            yield self.start + timedelta(days=offset)


class _RawDay(_Raw):
    date: dt.date
    name: Text


class _RawYear(_Raw):
    notice: Text
    holidays: list[_RawRange]
    working_days: list[_RawDay] = []


class _RawCalendar(_Raw):
    calendar_version: Literal[1] = 1
    office: str = ""
    years: dict[Annotated[int, Field(ge=1949, le=2200)], _RawYear] = {}
    closures: list[_RawRange] = []
    extra_working_days: list[_RawDay] = []


def _check_years(raw: _RawCalendar, root: LocatedDict) -> list[str]:
    problems: list[str] = []

    def report(path: tuple[object, ...], text: str) -> None:
        problems.append(f"{locate(root, path, root.loc)}：{text}")

    for year, entry in raw.years.items():
        holiday_days: set[date] = set()
        for i, holiday in enumerate(entry.holidays):
            if holiday.start.year != year or holiday.end.year != year:
                report(
                    ("years", year, "holidays", i), f"“{holiday.name}”的日期不在 {year} 年内，请改正年份。"
                )
            holiday_days.update(holiday.days())
        for i, day in enumerate(entry.working_days):
            if day.date.year != year:
                report(
                    ("years", year, "working_days", i),
                    f"调休上班日 {day.date} 不在 {year} 年内，请改正年份。",
                )
            if day.date.weekday() < 5:
                report(
                    ("years", year, "working_days", i),
                    f"调休上班日 {day.date} 不是周六或周日（周一至周五本来就上班），请核对通知。",
                )
            if day.date in holiday_days:
                report(
                    ("years", year, "working_days", i),
                    f"{day.date} 同时被列为假日和调休上班日，请删除其中之一。",
                )
    return problems


def _merge(base: LocatedDict, override: object, file: Path) -> LocatedDict:
    """An office file's years replace or add whole years; its closures and extra days are added."""
    if not isinstance(override, LocatedDict):
        where = getattr(override, "loc", Location(file, 1))
        raise CalendarError(f"{where}：日历文件应为映射（“键: 值”的形式），请改正。")
    result = LocatedDict(base.loc)
    result.update(base)
    result.key_locs.update(base.key_locs)
    for key, value in override.items():
        where = override.key_locs[key]
        if key == "years" and isinstance(value, LocatedDict) and isinstance(base.get("years"), LocatedDict):
            years = LocatedDict(base["years"].loc)
            years.update(base["years"])
            years.key_locs.update(base["years"].key_locs)
            for year, entry in value.items():
                years[year] = entry
                years.key_locs[year] = value.key_locs[year]
            value = years
        result[key] = value
        result.key_locs[key] = where
    return result


def load_calendar(office_file: Path | None = None) -> WorkingCalendar:
    """Load the national calendar, merged with an office's calendar file.

    The office file has the layout of ``forms/calendar_data/cn.yaml``; every key is optional. A year in
    its ``years`` replaces the national one (or adds a year not yet shipped); its ``closures`` (days the
    office is closed) and ``extra_working_days`` apply on top of the national calendar.

    Args:
        office_file: the office's calendar file, or ``None`` for the national calendar alone.

    Returns:
        The calendar.

    Raises:
        CalendarError: a file is missing or wrong; the message names the file and line and says how to
            fix it.
    """
    root = load_located(DEFAULT_CALENDAR_FILE, CalendarError)
    files: tuple[Path, ...] = (DEFAULT_CALENDAR_FILE,)
    if not isinstance(root, LocatedDict):
        raise CalendarError(f"{DEFAULT_CALENDAR_FILE}：日历文件应为映射（“键: 值”的形式）。")
    if office_file is not None:
        root = _merge(root, load_located(office_file, CalendarError), office_file)
        files = (*files, office_file)
    try:
        raw = _RawCalendar.model_validate(root)
    except ValidationError as exc:
        raise CalendarError(
            "工作日日历有误：\n" + pydantic_errors_to_text(exc, root, _RawCalendar, root.loc)
        ) from None
    problems = _check_years(raw, root)
    if problems:
        raise CalendarError("工作日日历有误：\n" + "\n".join(problems))
    holidays = {day: h.name for entry in raw.years.values() for h in entry.holidays for day in h.days()}
    working = {d.date: d.name for entry in raw.years.values() for d in entry.working_days}
    return WorkingCalendar(
        years=frozenset(raw.years),
        holidays=holidays,
        working_weekends=working,
        closures={day: c.name for c in raw.closures for day in c.days()},
        extra_working_days={d.date: d.name for d in raw.extra_working_days},
        notices={year: entry.notice for year, entry in raw.years.items()},
        files=files,
    )
