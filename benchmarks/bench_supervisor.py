"""Supervisor benchmarks (issue 8): the workspace over 1,000,000 cases, and the cost of encryption.

* Opening the workspace (the window, the counts of every queue, the first page of the default
  queue, the user list, the calendar) and filtering by clerk, business type, age and due date,
  against the bare indexed SQL of the same counts and page run with ``sqlite3`` in the same process.
  Uses the search database of :mod:`benchmarks.bench_storage` (``_search_db``; migrated to the
  current schema on first open, which adds the queue indexes).
* A case save (``save_version``: encrypt the case twice, digests, UPSERTs) against the same code path
  with a null cipher (no encryption, unkeyed digests). Target: encryption adds ≤ 20 %.
* The statistics tab (:meth:`SqlStore.statistics`: cases per day by clerk and type, handling time,
  delivery time, backlog) over the newest 30 and 365 days, and the end-of-day report of the newest
  day for one window, against the same SQL run bare with ``sqlite3``. The search database has no
  events, legs or first keystrokes, so those parts of the figures measure empty index probes.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.bench_storage import _case_data, _open, _search_db, _settings
from benchmarks.table import Row, median_time
from forms.calendar import load_calendar
from forms.catalog import load_catalog
from workstation.queues import QueueFilter, due_cutoffs, state_queue
from workstation.storage.api import Role, User
from workstation.storage.crypto import FieldCipher, SearchKind, generate_data_key, normalise
from workstation.storage.store import SqlStore

BOSS = User(id=0, username="bench.boss", display_name="基准科长", role=Role.SUPERVISOR)
OPEN_TARGET = 0.300


class NullCipher(FieldCipher):
    """The store's cipher interface without encryption: the "unencrypted" baseline of a save."""

    def __init__(self) -> None:
        super().__init__(generate_data_key())

    def encrypt(self, plaintext: bytes, *, table: str, column: str, row: str) -> bytes:
        """The plaintext itself."""
        return plaintext

    def decrypt(self, blob: bytes, *, table: str, column: str, row: str) -> bytes:
        """The blob itself."""
        return blob

    def digest(self, kind: SearchKind, value: str) -> bytes | None:
        """The normalised value's first 16 bytes (an unkeyed index value)."""
        canonical = normalise(kind, value)
        return canonical.encode()[:16] if canonical else None


def _bare(raw: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> None:
    """The bare SQL of one workspace refresh: counts per state and the first page of ``submitted``."""
    raw.execute(f"SELECT state, count(*) FROM cases WHERE 1=1 {where} GROUP BY state", params).fetchall()
    raw.execute(
        f"SELECT id, data FROM cases WHERE state = 'submitted' {where} ORDER BY updated_at DESC LIMIT 100",
        params,
    ).fetchall()
    raw.execute("SELECT department, state, count(*) FROM outbox_legs GROUP BY department, state").fetchall()


def bench_workspace(count: int) -> list[Row]:
    """Open the workspace and filter it, against the bare indexed queries."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder, _samples = _search_db(count)
    store = _open(folder)  # migrates to the current schema (queue indexes) on first use
    rows: list[Row] = []
    try:
        from workstation.executor import InlineExecutor
        from workstation.qt import QApplication
        from workstation.session import Session
        from workstation.ui.supervisor import SupervisorWindow

        app = QApplication.instance() or QApplication([])
        catalog = load_catalog()
        session = Session(
            store=store,
            executor=InlineExecutor(),
            settings=_settings(folder / "yichuang.db"),
            catalog=catalog,
        )
        session.user = BOSS
        raw = sqlite3.connect(folder / "yichuang.db")
        with store.engine.connect() as conn:
            clerk_id = conn.exec_driver_sql("SELECT id FROM users WHERE username = 'bench'").scalar_one()
            newest = conn.exec_driver_sql("SELECT max(created_at) FROM cases").scalar_one()
        newest_at = datetime.fromisoformat(str(newest)).replace(tzinfo=UTC)

        def open_window() -> None:
            window = SupervisorWindow(session)
            if window.model.rowCount() != 100:
                raise AssertionError("the workspace did not load its first page")
            window.deleteLater()
            app.processEvents()

        opened = median_time(open_window, repeat=5, warmup=1)
        bare_open = median_time(lambda: _bare(raw, "", ()), repeat=5, warmup=1)
        rows.append(
            Row(
                f"open supervisor workspace ({count:,} cases)",
                opened,
                "bare counts + first page (sqlite3)",
                bare_open,
                target="≤ 300 ms",
                ok=opened <= OPEN_TARGET,
            )
        )
        cutoff = newest_at - timedelta(days=30)
        due_by = (newest_at - timedelta(days=60)).date()
        cutoffs = due_cutoffs(catalog, load_calendar(), due_by)
        bt = "second_hand_sale"
        cases: list[tuple[str, QueueFilter, str, tuple[Any, ...]]] = [
            ("clerk", QueueFilter(clerk_id=clerk_id), "AND clerk_id = ?", (clerk_id,)),
            ("business type", QueueFilter(business_type=bt), "AND business_type = ?", (bt,)),
            (
                "age > 30 days",
                QueueFilter(created_before=cutoff),
                "AND created_at < ?",
                (_sqlite_time(cutoff),),
            ),
            (
                f"due by {due_by}",
                QueueFilter(due_cutoffs=cutoffs),
                "AND (" + " OR ".join("(business_type = ? AND created_at < ?)" for _ in cutoffs) + ")",
                tuple(v for b, at in sorted(cutoffs.items()) for v in (b, _sqlite_time(at))),
            ),
        ]
        for label, queue_filter, where, params in cases:

            def refresh(queue_filter: QueueFilter = queue_filter) -> None:
                store.queue_counts(queue_filter, user=BOSS)
                store.queue_page(state_queue("submitted"), queue_filter, user=BOSS, limit=100)

            def bare(where: str = where, params: tuple[Any, ...] = params) -> None:
                _bare(raw, where, params)

            value = median_time(refresh, repeat=5, warmup=1)
            base = median_time(bare, repeat=5, warmup=1)
            rows.append(
                Row(
                    f"filter workspace by {label}",
                    value,
                    "bare indexed queries (sqlite3)",
                    base,
                    target="≤ 300 ms",
                    ok=value <= OPEN_TARGET,
                )
            )
        raw.close()
    finally:
        store.close()
    return rows


def _sqlite_time(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def bench_encryption_overhead(saves: int = 200) -> list[Row]:
    """``save_version`` with the real cipher against the same code path with :class:`NullCipher`."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stores: dict[str, SqlStore] = {}
        for name in ("encrypted", "plain"):
            opened = _open(folder / name)
            if name == "plain":
                opened = SqlStore(
                    opened.engine, settings=_settings(folder / name / "yichuang.db"), cipher=NullCipher()
                )
            stores[name] = opened
        try:
            jobs: dict[str, Any] = {}
            for name, store in stores.items():
                user = store.add_user(
                    username="clerk1", display_name="受理员", password="bench-pass-1", role=Role.CLERK
                )
                created = store.create_case(business_type="second_hand_sale", user=user)
                full, _ = _case_data(random.Random(5), created.case_number or "", datetime.now(UTC))
                case = full.model_copy(update={"id": created.id, "case_number": created.case_number})
                jobs[name] = partial(store.save_version, case, reason="page:parties", user=user)
                for _ in range(5):
                    jobs[name]()  # warm-up
            # Interleaved, one save each in turn, so drift (other processes, the disk) hits both alike.
            samples: dict[str, list[float]] = {name: [] for name in jobs}
            for _ in range(saves):
                for name, job in jobs.items():
                    start = time.perf_counter()
                    job()
                    samples[name].append(time.perf_counter() - start)
            times = {name: statistics.median(values) for name, values in samples.items()}
        finally:
            for store in stores.values():
                store.close()
    ratio = times["encrypted"] / times["plain"]
    return [
        Row(
            "case save, encrypted (save_version)",
            times["encrypted"],
            "same code path, null cipher",
            times["plain"],
            target="≤ 1.20×",
            ok=ratio <= 1.20,
        )
    ]


_BARE_STATISTICS = (
    "SELECT date(created_at, '+{off} seconds'), clerk_id, business_type, count(*) FROM cases "
    "WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2, 3",
    "SELECT clerk_id, (julianday((SELECT min(at) FROM case_events e WHERE e.case_id = cases.id "
    "AND e.to_state = 'submitted')) - julianday(intake_started_at)) * 86400.0 FROM cases "
    "WHERE created_at >= ? AND created_at < ? AND intake_started_at IS NOT NULL",
    "SELECT l.department, l.created_at, l.delivered_at FROM outbox_legs l JOIN cases c ON c.id = l.case_id "
    "WHERE c.created_at >= ? AND c.created_at < ?",
)
"""The statistics' SQL as :mod:`workstation.statistics` issues it (backlog scans the empty leg table)."""


def bench_statistics(count: int) -> list[Row]:
    """Statistics over 30 and 365 days and one window's end-of-day report, against the bare SQL."""
    from workstation.day_report import window_scope
    from workstation.statistics import DayRange

    folder, _samples = _search_db(count)
    store = _open(folder)
    rows: list[Row] = []
    try:
        raw = sqlite3.connect(folder / "yichuang.db")
        with store.engine.connect() as conn:
            newest = conn.exec_driver_sql("SELECT max(created_at) FROM cases").scalar_one()
        last = datetime.fromisoformat(str(newest)).replace(tzinfo=UTC).astimezone().date()
        for days in (30, 365):
            span = DayRange(last - timedelta(days=days - 1), last)
            start, end = (_sqlite_time(t) for t in span.utc_bounds())
            offset = span.offset_seconds()

            def stats(span: DayRange = span) -> None:
                store.statistics(span, user=BOSS)

            def bare(start: str = start, end: str = end, offset: int = offset) -> None:
                for sql in _BARE_STATISTICS:
                    raw.execute(sql.replace("{off}", f"{offset:+d}"), (start, end)).fetchall()

            value = median_time(stats, repeat=3, warmup=1)
            base = median_time(bare, repeat=3, warmup=1)
            rows.append(
                Row(
                    f"statistics, {days} days of {count:,} cases",
                    value,
                    "bare aggregate SQL (sqlite3)",
                    base,
                    target="≤ 2× bare",
                    ok=value <= 2 * base + 0.010,
                )
            )
        scope = window_scope("33010601", "01")
        day_start, day_end = (_sqlite_time(t) for t in DayRange(last, last).utc_bounds())

        def report() -> None:
            store.day_report(scope=scope, day=last, user=BOSS, office_name="基准", type_names={})

        def bare_report() -> None:
            window = (scope + "-", scope + "-\U0010ffff")
            for sql, params in (
                (
                    "SELECT business_type, clerk_id, state, count(*) FROM cases WHERE created_at >= ? "
                    "AND created_at < ? AND case_number >= ? AND case_number < ? GROUP BY 1, 2, 3",
                    (day_start, day_end, *window),
                ),
                (
                    "SELECT f.method, count(*), sum(f.amount_fen) FROM fee_payments f JOIN cases c "
                    "ON c.id = f.case_id WHERE f.at >= ? AND f.at < ? AND f.voided_at IS NULL "
                    "AND c.case_number >= ? AND c.case_number < ? GROUP BY 1",
                    (day_start, day_end, *window),
                ),
                (
                    "SELECT c.case_number, p.at FROM print_jobs p JOIN cases c ON c.id = p.case_id "
                    "WHERE p.at >= ? AND p.at < ? AND p.status = 'printed' AND p.documents LIKE "
                    "'%receipt%' AND c.case_number >= ? AND c.case_number < ?",
                    (day_start, day_end, *window),
                ),
                (
                    "SELECT c.case_number, l.department FROM outbox_legs l JOIN cases c ON c.id = l.case_id "
                    "WHERE l.state IN ('queued', 'sending', 'failed') AND l.created_at < ? "
                    "AND c.case_number >= ? AND c.case_number < ?",
                    (day_end, *window),
                ),
            ):
                raw.execute(sql, params).fetchall()

        value = median_time(report, repeat=5, warmup=1)
        base = median_time(bare_report, repeat=5, warmup=1)
        rows.append(
            Row(
                f"end-of-day report, one window ({count:,} cases)",
                value,
                "the same SQL, bare (sqlite3)",
                base,
                target="≤ 300 ms",
                ok=value <= OPEN_TARGET,
            )
        )
        raw.close()
    finally:
        store.close()
    return rows


def run(*, search_cases: int = 1_000_000) -> list[Row]:
    """All supervisor rows."""
    rows = bench_encryption_overhead()
    rows += bench_workspace(search_cases)
    rows += bench_statistics(search_cases)
    return rows


if __name__ == "__main__":
    from benchmarks.table import render

    start = time.perf_counter()
    print(render(run(search_cases=int(os.environ.get("BENCH_CASES", "1000000")))))
    print(f"({time.perf_counter() - start:.0f} s, {date.today()})")
