"""The supervisor's statistics: SQL aggregates on SQLite and PostgreSQL, percentiles, export read back."""

from __future__ import annotations

import csv
import uuid
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from sqlalchemy.orm import Session

from sync.outbox import LegState
from sync.package import Department
from tests.workstation.storage.conftest import FakeClock
from tests.workstation.test_supervision import add_leg, submitted
from workstation.permissions import PermissionDenied
from workstation.statistics import DayRange, Durations, percentile, write_csv, write_xlsx
from workstation.storage.api import Role, User
from workstation.storage.models import OutboxLegRow
from workstation.storage.store import SqlStore


@pytest.fixture
def people(store: SqlStore) -> dict[str, User]:
    def add(name: str, role: Role) -> User:
        return store.add_user(username=name, display_name=f"{name}名", password="password-1", role=role)

    return {"a": add("a", Role.CLERK), "b": add("b", Role.CLERK), "boss": add("boss", Role.SUPERVISOR)}


def typed_and_submitted(
    store: SqlStore,
    clock: FakeClock,
    clerk: User,
    minutes: float,
    n: int,
    business_type: str = "second_hand_sale",
) -> uuid.UUID:
    """A case whose first keystroke was ``minutes`` before its submit."""
    started = clock.now
    clock.advance(minutes=minutes)
    case_id = submitted(store, clerk, business_type=business_type, unit_number=f"110105001001GB00001F{n:08d}")
    assert store.mark_intake_started(case_id, started)
    return case_id


def deliver(store: SqlStore, package: uuid.UUID, at: datetime, answered: datetime | None = None) -> None:
    with Session(store.engine) as s, s.begin():
        s.execute(
            update(OutboxLegRow)
            .where(OutboxLegRow.package_id == package)
            .values(state=LegState.DELIVERED.value, delivered_at=at, answered_at=answered)
        )


def test_percentile_matches_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([float(i) for i in range(1, 11)], 0.9) == pytest.approx(9.1)
    assert Durations.of("x", [-5.0, 10.0]).median == 5.0  # clock skew counts as zero


def test_statistics_per_day_handling_delivery_and_backlog(store, people, clock):
    a, b, boss = people["a"], people["b"], people["boss"]
    day1 = clock.now.astimezone().date()
    first = typed_and_submitted(store, clock, a, 10, 1)
    typed_and_submitted(store, clock, a, 20, 2)
    typed_and_submitted(store, clock, b, 40, 3, business_type="mortgage_first")
    legs = [add_leg(store, first, d, LegState.QUEUED) for d in (Department.TAX, Department.REGISTRATION)]
    add_leg(store, first, Department.TRANSACTION, LegState.FAILED, error_kind="Superseded")
    deliver(store, legs[0], clock.now + timedelta(hours=2), clock.now + timedelta(hours=30))
    clock.advance(days=1)
    typed_and_submitted(store, clock, b, 30, 4)
    later = add_leg(store, first, Department.TRANSACTION, LegState.QUEUED)
    clock.advance(days=1)
    deliver(store, later, clock.now)
    store.create_case(business_type="gift", user=a)  # day 3; a draft: counted, no handling time

    days = DayRange(day1, day1 + timedelta(days=2))
    with pytest.raises(PermissionDenied):
        store.statistics(days, user=a)
    result = store.statistics(days, user=boss, type_names={"mortgage_first": "抵押权首次登记"})
    d2, d3 = day1 + timedelta(days=1), day1 + timedelta(days=2)
    assert result.by_clerk == ((day1, "a名", 2), (day1, "b名", 1), (d2, "b名", 1), (d3, "a名", 1))
    assert (day1, "mortgage_first", 1) in result.by_type and result.total_cases == 5
    handling = {h.key: h for h in result.handling}
    assert handling["a名"].count == 2 and handling["a名"].median == pytest.approx(15 * 60, abs=1)
    assert handling[""].count == 4 and handling[""].median == pytest.approx(25 * 60, abs=1)
    assert handling[""].p90 == pytest.approx(37 * 60, abs=1)
    delivery = {t.department: t for t in result.delivery}
    assert delivery["tax"].delivered.median == pytest.approx(7200, abs=1)
    assert delivery["tax"].answered.median == pytest.approx(30 * 3600, abs=1)
    assert delivery["registration"].legs == 1 and delivery["registration"].delivered.count == 0
    assert delivery["transaction"].legs == 1  # the superseded leg is not counted
    assert result.backlog == ((day1, 1), (d2, 2), (d3, 1))
    keys, series = result.per_day(result.by_clerk)
    assert keys == ["a名", "b名"] and series["b名"] == [1, 1, 0]
    assert result.tables()[1].rows[0][1] in ("抵押权首次登记", "second_hand_sale")


def test_range_checks():
    with pytest.raises(ValueError, match="结束日期"):
        DayRange(date(2025, 3, 2), date(2025, 3, 1)).check()
    with pytest.raises(ValueError, match="最长 366 天"):
        DayRange(date(2024, 1, 1), date(2025, 3, 1)).check()


def test_export_csv_with_bom_and_xlsx_one_sheet_per_table(store, people, clock, tmp_path):
    typed_and_submitted(store, clock, people["a"], 12, 1)
    day = clock.now.astimezone().date()
    result = store.statistics(
        DayRange(day, day), user=people["boss"], type_names={"second_hand_sale": "二手房"}
    )
    tables = result.tables()
    path = write_csv(tables, tmp_path / "统计.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["按受理人"] and rows[1] == ["日期", "受理人", "受理件数"]
    assert rows[2] == [day.isoformat(), "a名", "1"]
    assert ["按业务类型"] in rows and [day.isoformat(), "二手房", "1"] in rows
    book = load_workbook(write_xlsx(tables, tmp_path / "统计.xlsx"))
    assert book.sheetnames == [t.name for t in tables]
    sheet = book["窗口办理时长"]
    assert [c.value for c in sheet[1]] == ["受理人", "件数", "中位数(分钟)", "90%分位(分钟)"]
    assert [c.value for c in sheet[2]] == ["a名", 1, 12.0, 12.0]
    assert store.record_export(user=people["boss"], what="statistics_csv", path=str(path), rows=3) > 0
    with pytest.raises(PermissionDenied):
        store.record_export(user=people["a"], what="statistics_csv", path=str(path), rows=3)
