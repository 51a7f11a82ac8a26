"""Local copies of scans (``outbox_blobs``) go once no leg needs them; a correction stores them again."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text, update

from sync.backends import DepartmentScript, ReferenceBackends
from sync.outbox import LegState
from sync.package import Department
from tests.sync.harness import Harness, harness_in
from workstation.storage.models import OutboxLegRow
from workstation.sync_service import OutgoingAttachment

REG = Department.REGISTRATION
SCAN = OutgoingAttachment(b"%PDF-1.4 scan " * 3000, "scan.pdf", "application/pdf")


@pytest.fixture
def backends(tmp_path: Path) -> Iterator[ReferenceBackends]:
    with ReferenceBackends(tmp_path / "backends.sqlite") as running:
        yield running


@pytest.fixture
def h(tmp_path: Path, backends: ReferenceBackends) -> Iterator[Harness]:
    harness = harness_in(tmp_path, backends)
    harness.enrol()
    yield harness
    harness.store.close()


def _blobs(h: Harness) -> int:
    with h.store.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM outbox_blobs")).scalar_one())


def _reg_leg(h: Harness, case_id: uuid.UUID) -> uuid.UUID:
    [leg] = [v for v in h.service.legs(case_id) if v.department is REG and v.state is not LegState.FAILED]
    return leg.package_id


def _set_state(h: Harness, package_id: uuid.UUID, state: LegState, kind: str | None) -> None:
    with h.store.engine.begin() as conn:
        conn.execute(
            update(OutboxLegRow)
            .where(OutboxLegRow.package_id == package_id)
            .values(state=state.value, last_error_kind=kind)
        )


def test_a_blob_stays_while_a_leg_may_still_send_it(h: Harness) -> None:
    case = h.submitted_case("mortgage_first", attachments=[SCAN])
    leg = _reg_leg(h, case.id)
    assert h.service.outbox.purge_delivered_attachments() == 0  # queued
    _set_state(h, leg, LegState.FAILED, "ServerRejected")
    assert h.service.outbox.purge_delivered_attachments() == 0  # failed: a person may queue it again
    assert _blobs(h) == 1
    _set_state(h, leg, LegState.FAILED, "Superseded")
    assert h.service.outbox.purge_delivered_attachments() == 1  # it will never be sent
    assert _blobs(h) == 0


@pytest.mark.parametrize(
    "state", [LegState.DELIVERED, LegState.ACCEPTED, LegState.REJECTED, LegState.COMPLETED]
)
def test_a_blob_goes_once_its_department_holds_it(h: Harness, state: LegState) -> None:
    case = h.submitted_case("mortgage_first", attachments=[SCAN])
    _set_state(h, _reg_leg(h, case.id), state, None)
    assert h.service.outbox.purge_delivered_attachments() == 1
    assert _blobs(h) == 0


def test_a_blob_shared_with_a_pending_leg_stays(h: Harness) -> None:
    first = h.submitted_case("mortgage_first", attachments=[SCAN])
    second = h.submitted_case("mortgage_first", attachments=[SCAN])  # the same scan, stored once
    assert _blobs(h) == 1
    _set_state(h, _reg_leg(h, first.id), LegState.DELIVERED, None)
    assert h.service.outbox.purge_delivered_attachments() == 0
    _set_state(h, _reg_leg(h, second.id), LegState.DELIVERED, None)
    assert h.service.outbox.purge_delivered_attachments() == 1


def test_the_worker_cleans_up_periodically(h: Harness) -> None:
    worker = h.service.worker(gc_interval=600)
    h.submitted_case("mortgage_first", attachments=[SCAN])
    assert worker.run_once().purged == 1  # the first round cleans up
    h.submitted_case("mortgage_first", attachments=[OutgoingAttachment(b"other", "o.pdf", "application/pdf")])
    summary = worker.run_once()
    assert summary.delivered == 1 and summary.purged == 0 and _blobs(h) == 1  # not due yet
    h.clock.advance(seconds=601)
    assert worker.run_once().purged == 1 and _blobs(h) == 0


def test_a_correction_reusing_the_scan_stores_it_again(h: Harness, backends: ReferenceBackends) -> None:
    backends.set_script(REG, DepartmentScript(outcome="rejected", reasons=["申请书未签字"]))
    case = h.submitted_case("mortgage_first", attachments=[SCAN])
    summary = h.service.worker().run_once()
    assert summary.answers["rejected"] == 1 and summary.purged == 1 and _blobs(h) == 0
    backends.set_script(REG, DepartmentScript(outcome="accepted"))
    h.store.transition(case.id, "ready", user=h.clerk, reason="已补正")
    again = h.service.submit_case(case.id, user=h.clerk, attachments=[SCAN])
    assert _blobs(h) == 1  # stored again at submit: the leg can be sent (and exported) on its own
    with h.service.outbox.open_attachment(hashlib.sha256(SCAN.data).hexdigest()) as stream:
        assert stream.read() == SCAN.data
    summary = h.service.worker().run_once()
    assert summary.delivered == 1 and summary.failed == 0
    [leg] = [v for v in h.service.legs(case.id) if v.package_id == again.legs[REG]]
    assert leg.state is LegState.ACCEPTED


def test_a_superseded_legs_blob_stays_for_its_correction(h: Harness) -> None:
    case = h.submitted_case("mortgage_first", attachments=[SCAN])
    old = _reg_leg(h, case.id)
    h.store.transition(case.id, "returned", user=h.clerk, reason="发现错误")  # before anything was sent
    h.store.transition(case.id, "ready", user=h.clerk, reason="已补正")
    h.service.submit_case(case.id, user=h.clerk, attachments=[SCAN])
    [stale] = [v for v in h.service.legs(case.id) if v.package_id == old]
    assert stale.state is LegState.FAILED
    assert h.service.outbox.purge_delivered_attachments() == 0  # the correction still needs it
    summary = h.service.worker().run_once()
    assert summary.delivered == 1 and summary.failed == 0 and _blobs(h) == 0


def test_a_backlog_is_deleted_a_few_scans_per_transaction(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Zeroing a backlog's scans in one transaction would hold the write lock past the busy timeout,
    # and a clerk saving a case meanwhile would be refused.
    monkeypatch.setattr("workstation.sync_service.PURGE_BATCH", 2)
    for i in range(5):
        scan = OutgoingAttachment(f"scan {i} ".encode() * 500, "scan.pdf", "application/pdf")
        case = h.submitted_case("mortgage_first", attachments=[scan])
        _set_state(h, _reg_leg(h, case.id), LegState.DELIVERED, None)
    outbox = h.service.outbox
    real = outbox._write
    writes: list[int] = []

    def counted() -> Any:
        writes.append(_blobs(h))  # the scans left when each transaction starts
        return real()

    monkeypatch.setattr(outbox, "_write", counted)
    assert outbox.purge_delivered_attachments() == 5
    assert _blobs(h) == 0
    assert writes == [5, 5, 3, 1]  # the links, then 2 + 2 + 1 scans, each batch committed on its own
