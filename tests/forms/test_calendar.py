from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from forms.calendar import DEFAULT_CALENDAR_FILE, WorkingCalendar, load_calendar
from forms.errors import CalendarError


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return load_calendar()


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def test_national_day_2025(cal: WorkingCalendar) -> None:
    for day in days(date(2025, 10, 1), date(2025, 10, 8)):
        assert not cal.is_working_day(day), day
        assert cal.day_name(day) == "国庆节、中秋节"
    assert cal.is_working_day(date(2025, 9, 28))  # a Sunday worked (调休上班)
    assert date(2025, 9, 28).weekday() == 6
    assert cal.day_name(date(2025, 9, 28)) == "国庆节调休上班"
    assert cal.is_working_day(date(2025, 10, 11))  # a Saturday worked
    assert cal.is_working_day(date(2025, 10, 9))
    assert not cal.is_working_day(date(2025, 10, 12))  # an ordinary Sunday


def test_add_working_days_across_spring_festival_2026(cal: WorkingCalendar) -> None:
    # 春节 2026-02-15..23 off; Sat 02-14 and Sat 02-28 worked (国办发明电〔2025〕7号).
    assert cal.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert cal.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)
    # Accepted on a holiday: counting starts the next working day.
    assert cal.add_working_days(date(2026, 2, 16), 1) == date(2026, 2, 24)
    # 30 working days (条例 Art 20) from 2026-02-02.
    assert cal.add_working_days(date(2026, 2, 2), 30) == date(2026, 3, 20)


def test_add_zero_and_negative(cal: WorkingCalendar) -> None:
    assert cal.add_working_days(date(2026, 2, 16), 0) == date(2026, 2, 16)
    with pytest.raises(ValueError, match="不能为负数"):
        cal.add_working_days(date(2026, 2, 16), -1)


def test_working_days_between_inverts_add(cal: WorkingCalendar) -> None:
    start = date(2025, 12, 20)
    for offset in range(0, 60, 3):
        a = start + timedelta(days=offset)
        for n in (0, 1, 5, 30):
            b = cal.add_working_days(a, n)
            assert cal.working_days_between(a, b) == n
            assert cal.working_days_between(b, a) == -n
    assert cal.working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    assert cal.working_days_between(date(2025, 9, 30), date(2025, 10, 11)) == 3  # 9, 10, 11 (Sat)


def test_counts_per_year(cal: WorkingCalendar) -> None:
    assert cal.years == {2024, 2025, 2026}
    for year, weekends in ((2024, 8), (2025, 5), (2026, 6)):
        assert sum(1 for d in cal.working_weekends if d.year == year) == weekends
        assert "国办发明电" in cal.notices[year]
    # 2025 (two more public holidays: 除夕, 5-02) has 248 working days, 2024 has 251.
    worked = sum(cal.is_working_day(d) for d in days(date(2025, 1, 1), date(2025, 12, 31)))
    assert worked == 248
    assert sum(cal.is_working_day(d) for d in days(date(2024, 1, 1), date(2024, 12, 31))) == 251


def test_fallback_outside_coverage(cal: WorkingCalendar) -> None:
    labour_day_2030 = date(2030, 5, 1)  # a Wednesday: unknown holidays, assumed to be worked
    assert not cal.covers(labour_day_2030)
    assert cal.covers(date(2026, 12, 31))
    assert cal.is_working_day(labour_day_2030)
    assert not cal.is_working_day(date(2030, 5, 4))  # Saturday
    assert cal.add_working_days(date(2030, 5, 3), 1) == date(2030, 5, 6)
    assert cal.covers_range(date(2024, 1, 1), date(2026, 12, 31))
    assert not cal.covers_range(date(2026, 12, 20), date(2027, 1, 20))


# ------------------------------------------------------------------------------------ office file
def test_office_closures_extra_days_and_new_year(tmp_path: Path) -> None:
    office = tmp_path / "calendar.yaml"
    office.write_text(
        "office: 某市不动产登记中心\n"
        "closures:\n"
        "  - {name: 系统升级停办, start: 2026-03-02, end: 2026-03-03}\n"
        "extra_working_days:\n"
        "  - {date: 2026-03-07, name: 集中办理}\n"
        "years:\n"
        "  2027:\n"
        "    notice: 假设的2027年通知（测试）\n"
        "    holidays:\n"
        "      - {name: 元旦, start: 2027-01-01, end: 2027-01-01}\n",
        encoding="utf-8",
    )
    cal = load_calendar(office)
    assert cal.files == (DEFAULT_CALENDAR_FILE, office)
    assert not cal.is_working_day(date(2026, 3, 2)) and cal.day_name(date(2026, 3, 2)) == "系统升级停办"
    assert cal.is_working_day(date(2026, 3, 7))  # a Saturday
    assert cal.add_working_days(date(2026, 2, 27), 2) == date(2026, 3, 4)  # 02-28 (Sat, 调休), then 03-04
    assert cal.covers(date(2027, 6, 1)) and not cal.is_working_day(date(2027, 1, 1))
    assert cal.years == {2024, 2025, 2026, 2027}
    assert not cal.is_working_day(date(2025, 10, 1))  # national years kept


def test_office_year_replaces_national_year(tmp_path: Path) -> None:
    office = tmp_path / "calendar.yaml"
    office.write_text(
        "years:\n  2025:\n    notice: 本地更正\n    holidays: []\n    working_days: []\n", encoding="utf-8"
    )
    cal = load_calendar(office)
    assert cal.is_working_day(date(2025, 10, 8)) and not cal.is_working_day(date(2025, 9, 28))


def bad(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalendarError) as info:
        load_calendar(path)
    return path, str(info.value)


def test_bad_files_name_file_and_line(tmp_path: Path) -> None:
    path, message = bad(tmp_path, "closures:\n  - {name: x, start: 2026-03-02, end: 2026-03-01}\n")
    assert f"{path} 第 2 行" in message and "早于开始日期" in message

    path, message = bad(
        tmp_path, "closures:\n  - {name: x, start: 2026-03-02, end: 2026-03-02}\nclosure: []\n"
    )
    assert f"{path} 第 3 行" in message and "未知的键“closure”" in message and "closures" in message

    path, message = bad(tmp_path, "extra_working_days:\n  - {date: 2026-02-30, name: x}\n")
    assert f"{path} 第 2 行" in message and "YYYY-MM-DD" in message

    path, message = bad(tmp_path, "extra_working_days:\n  - {date: 2026-03-01\n")
    assert f"{path} 第 3 行" in message and "YAML 格式错误" in message

    path, message = bad(
        tmp_path,
        "years:\n  2027:\n    notice: x\n    holidays: []\n"
        "    working_days:\n      - {date: 2027-03-03, name: x}\n",
    )
    assert f"{path} 第 6 行" in message and "不是周六或周日" in message

    path, message = bad(
        tmp_path,
        "years:\n  2027:\n    notice: x\n    holidays:\n"
        "      - {name: 元旦, start: 2026-12-31, end: 2027-01-01}\n",
    )
    assert f"{path} 第 5 行" in message and "不在 2027 年内" in message

    with pytest.raises(CalendarError, match="找不到文件"):
        load_calendar(tmp_path / "missing.yaml")


def test_closures_without_end(tmp_path: Path) -> None:
    office = tmp_path / "calendar.yaml"
    office.write_text(
        "closures:\n  - {name: 全年停办, start: 2026-01-01, end: 2026-12-31}\n", encoding="utf-8"
    )
    cal = load_calendar(office)
    assert cal.add_working_days(date(2026, 6, 1), 1) == date(2027, 1, 1)
    office.write_text(
        "closures:\n"
        + "".join(f"  - {{name: 停办, start: {y}-01-01, end: {y}-12-31}}\n" for y in range(2026, 2040))
        + "extra_working_days: []\n",
        encoding="utf-8",
    )
    with pytest.raises(CalendarError, match="找不到足够的工作日"):
        load_calendar(office).add_working_days(date(2026, 1, 1), 1)
