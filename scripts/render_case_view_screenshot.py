"""Render the supervisor's read-only case view offscreen into docs/screenshots/case_view*.png.

Run: ``python scripts/render_case_view_screenshot.py [out]``.

A throwaway data folder; the 存量房买卖 example case typed by a demo clerk, corrected once (price and
a phone number), submitted; the registration leg delivered and accepted, the tax leg failed. Legs
are written as the outbox writes them (encrypted manifest, error and answer); nothing is sent.
``case_view.png`` shows the version history with the changes of the latest version,
``case_view_delivery.png`` the delivery history.
"""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from decimal import Decimal

from _shots import ROOT, demo_settings, open_demo_store, prepare, start_app  # scripts/ is on sys.path

sys.path.insert(0, str(ROOT))


def main() -> int:
    """Render the view; returns the exit code."""
    out, data = prepare()

    from sqlalchemy.orm import Session as DbSession

    from forms.case import Case
    from forms.catalog import load_catalog
    from sync.outbox import Answer, LegState
    from sync.package import Department, build_manifest, canonical_bytes
    from workstation.executor import InlineExecutor
    from workstation.qt import QApplication
    from workstation.session import Session
    from workstation.storage.api import Role
    from workstation.storage.models import OutboxLegRow
    from workstation.ui.case_view import CaseView

    _app = start_app()  # held: the QApplication must outlive the widgets
    settings = demo_settings(data)
    store = open_demo_store(settings, data)
    clerk = store.add_user(username="clerk", display_name="王受理", password="demo-pass-1", role=Role.CLERK)
    boss = store.add_user(
        username="boss", display_name="李科长", password="demo-pass-2", role=Role.SUPERVISOR
    )
    example = ROOT / "examples" / "second_hand_sale.json"
    case = store.import_case(Case.model_validate(json.loads(example.read_text(encoding="utf-8"))), user=clerk)
    corrected = case.model_copy(deep=True)
    corrected.transaction.price = Decimal("3180000.00")
    corrected.parties[0].phone = "13905710000"
    corrected.remarks = "买方更正联系电话；成交价按网签合同更正"
    store.save_version(corrected, reason="page:transaction", user=clerk)
    store.transition(case.id, "ready", user=clerk)
    store.transition(case.id, "submitted", user=clerk)
    store.save_version(corrected, reason="submit", user=clerk)

    now = store._clock()
    cipher = store.cipher
    legs = (
        (
            Department.REGISTRATION,
            LegState.ACCEPTED,
            None,
            Answer(
                LegState.ACCEPTED,
                "DJ-2026-0388",
                result={"acceptance_no": "DJ-2026-0388", "expected_completion": "2026-12-03"},
            ),
        ),
        (
            Department.TAX,
            LegState.FAILED,
            "税务系统拒收：纳税人识别号与证件号码不一致，请核对后重新提交",
            None,
        ),
        (Department.TRANSACTION, LegState.DELIVERED, None, None),
    )
    with DbSession(store.engine) as s, s.begin():
        for department, state, error, answer in legs:
            package = uuid.uuid4()
            row = str(package)
            manifest = build_manifest(
                corrected,
                department,
                package_id=package,
                case_version=3,
                office_code="33010601",
                window_id="03",
                created_at=now,
            )
            s.add(
                OutboxLegRow(
                    package_id=package,
                    case_id=case.id,
                    department=department.value,
                    case_version=3,
                    supersedes=None,
                    state=state.value,
                    attempts=3 if error else 1,
                    next_attempt_at=now,
                    last_error_kind="ServerRejected" if error else None,
                    last_error=cipher.encrypt(
                        error.encode(), table="outbox_legs", column="last_error", row=row
                    )
                    if error
                    else None,
                    manifest=cipher.encrypt(
                        canonical_bytes(manifest), table="outbox_legs", column="manifest", row=row
                    ),
                    receipt_no=answer.receipt_no
                    if answer
                    else ("JY-55120" if state is LegState.DELIVERED else None),
                    answer=cipher.encrypt_json(
                        answer.to_json(), table="outbox_legs", column="answer", row=row
                    )
                    if answer
                    else None,
                    created_at=now,
                    updated_at=now,
                    delivered_at=now if not error else None,
                    answered_at=now if answer else None,
                )
            )

    session = Session(
        store=store, executor=InlineExecutor(), settings=settings, catalog=load_catalog(), user=boss
    )
    view = CaseView(session, case.id)
    view.resize(1280, 820)
    view.show()
    view.tabs.setCurrentIndex(2)
    view.versions.selectRow(1)
    QApplication.processEvents()
    view.grab().save(str(out / "case_view.png"))
    view.tabs.setCurrentIndex(3)
    QApplication.processEvents()
    view.grab().save(str(out / "case_view_delivery.png"))
    print(out / "case_view.png")
    view.close()
    store.close()
    shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
