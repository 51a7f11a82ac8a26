"""Render 收费登记, the end-of-day tab and the statistics tab offscreen into docs/screenshots/.

Run: ``python scripts/render_report_screenshots.py [out]``.

A throwaway data folder: three clerks take in the example cases over the last ten days (first
keystroke a few minutes before each submit), the legs are delivered after a few hours (two stay
stuck), fees are collected by several methods (one voided), receipts printed. Writes ``fee_dialog.png``,
``day_report.png`` and ``statistics.png``.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import uuid
from datetime import UTC, datetime, time, timedelta

from _shots import ROOT, demo_settings, open_demo_store, prepare, start_app  # scripts/ is on sys.path

sys.path.insert(0, str(ROOT))

EXAMPLES = ("second_hand_sale", "mortgage_first", "gift", "inheritance", "new_home_transfer")


class Clock:
    """A settable clock for the throwaway store."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        """The time set."""
        return self.now


def main() -> int:
    """Render the three screenshots; returns the exit code."""
    out, data = prepare()

    from sqlalchemy import update
    from sqlalchemy.orm import Session as DbSession

    from forms.case import Case
    from forms.catalog import load_catalog
    from sync.outbox import LegState
    from sync.package import Department
    from workstation.executor import InlineExecutor
    from workstation.fees import FeeEntry, FeeItemCode, FeeMethod
    from workstation.qt import QApplication
    from workstation.session import Session
    from workstation.storage.api import Role
    from workstation.storage.models import OutboxLegRow
    from workstation.ui.fee_dialog import FeeDialog
    from workstation.ui.supervisor import SupervisorWindow

    app = start_app()
    settings = demo_settings(data)
    today = datetime.now().astimezone().date()
    clock = Clock(datetime.combine(today - timedelta(days=9), time(8, 30)).astimezone().astimezone(UTC))
    store = open_demo_store(settings, data, clock=clock)
    clerks = [
        store.add_user(username=f"clerk{i}", display_name=name, password="demo-pass-1", role=Role.CLERK)
        for i, name in enumerate(("王受理", "陈受理", "刘受理"), start=1)
    ]
    boss = store.add_user(
        username="boss", display_name="李科长", password="demo-pass-2", role=Role.SUPERVISOR
    )
    examples = {
        name: json.loads((ROOT / "examples" / f"{name}.json").read_text(encoding="utf-8"))
        for name in EXAMPLES
    }
    rng = random.Random(8)
    real_now = datetime.now(UTC)
    bill = 1000
    last_case = None
    methods = (FeeMethod.CASH, FeeMethod.WECHAT, FeeMethod.ALIPAY, FeeMethod.CARD, FeeMethod.UNIONPAY_QR)
    for day_index in range(10):
        day = today - timedelta(days=9 - day_index)
        clock.now = datetime.combine(day, time(8, 40)).astimezone().astimezone(UTC)
        if day == today:  # today's cases end before the real time the report is made at
            clock.now = min(clock.now, real_now - timedelta(hours=5))
        for _n in range(rng.randint(4, 9)):
            if clock.now > real_now - timedelta(minutes=40):
                break
            clerk = rng.choice(clerks)
            name = rng.choice(EXAMPLES)
            raw = dict(examples[name], id=str(uuid.uuid4()), case_number=None)
            case = store.import_case(Case.model_validate(raw), user=clerk)
            started = clock.now
            clock.now += timedelta(minutes=rng.uniform(6, 35))
            store.mark_intake_started(case.id, started)
            store.transition(case.id, "ready", user=clerk)
            store.transition(case.id, "submitted", user=clerk)
            bill += 1
            method = rng.choice(methods)
            reference = "" if method is FeeMethod.CASH else f"4200{rng.randrange(10**8):08d}"
            store.record_fee(
                FeeEntry(
                    case_id=case.id,
                    items=(FeeItemCode.REGISTRATION,),
                    amount_fen=8000,
                    method=method,
                    reference=reference,
                    bill_no=f"ZJ{today.year}-{bill:05d}",
                ),
                user=clerk,
            )
            store.record_print_job(
                case.id,
                documents=["application", "receipt"],
                printer="窗口打印机",
                copies=1,
                status="printed",
                job_ref=str(bill),
                pdf=None,
                user=clerk,
            )
            with DbSession(store.engine) as s, s.begin():
                for department in Department:
                    delay = timedelta(hours=rng.uniform(0.2, 6 if department is Department.TAX else 2))
                    stuck = day_index >= 8 and department is Department.TAX and rng.random() < 0.5
                    s.add(
                        OutboxLegRow(
                            package_id=uuid.uuid4(),
                            case_id=case.id,
                            department=department.value,
                            case_version=1,
                            supersedes=None,
                            state=LegState.FAILED.value if stuck else LegState.DELIVERED.value,
                            attempts=3 if stuck else 1,
                            next_attempt_at=clock.now,
                            last_error_kind="ServerRejected" if stuck else None,
                            manifest=b"{}",
                            created_at=clock.now,
                            updated_at=clock.now,
                            delivered_at=None if stuck else clock.now + delay,
                            answered_at=None if stuck else clock.now + delay * 6,
                        )
                    )
            clock.now += timedelta(minutes=rng.uniform(5, 40))
            last_case = case
    assert last_case is not None
    mistaken = store.fee_payments(last_case.id)[0]
    store.void_fee(mistaken.id, user=boss, reason="重复收款")
    with DbSession(store.engine) as s, s.begin():
        s.execute(update(OutboxLegRow).where(OutboxLegRow.case_id == last_case.id).values(state="queued"))
    clock.now = real_now

    catalog = load_catalog()
    session = Session(store=store, executor=InlineExecutor(), settings=settings, catalog=catalog, user=boss)

    dialog = FeeDialog(session, last_case.id)
    dialog.resize(660, 600)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "fee_dialog.png"))
    dialog.close()

    window = SupervisorWindow(session)
    window.resize(1280, 900)
    window.show()
    window.tabs.show_day_report()
    app.processEvents()
    window.grab().save(str(out / "day_report.png"))
    window.tabs.show_statistics()
    app.processEvents()
    window.grab().save(str(out / "statistics.png"))
    window.close()
    store.close()
    QApplication.processEvents()
    shutil.rmtree(data, ignore_errors=True)
    print(f"wrote fee_dialog.png, day_report.png, statistics.png to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
