"""The outbox on the workstation's database (SQLite and PostgreSQL) against the reference back ends."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from forms.errors import TransitionNotAllowed
from forms.tax.assessment import Assessment
from sync.backends import DEFAULT_ENROLMENT_TOKEN, DepartmentScript, ReferenceBackends
from sync.errors import ServerUnavailable
from sync.keys import NotEnrolled
from sync.outbox import Answer, Answered, AskLater, Delivered, LegState, NotHeld
from sync.package import Department, Manifest, build_manifest, canonical_bytes
from sync.transport import deliver
from tests.sync.harness import Harness, MemoryKeyring, example_case, harness_in, sync_settings
from workstation.storage.errors import DatabaseUnavailable
from workstation.storage.models import OutboxLegRow
from workstation.sync_service import OutgoingAttachment

TX, TAX, REG = Department.TRANSACTION, Department.TAX, Department.REGISTRATION


@pytest.fixture
def backends(tmp_path: Path) -> Iterator[ReferenceBackends]:
    with ReferenceBackends(tmp_path / "backends.sqlite") as running:
        yield running


@pytest.fixture
def h(db_url: str, tmp_path: Path, backends: ReferenceBackends) -> Iterator[Harness]:
    harness = harness_in(tmp_path, backends, url=db_url)
    yield harness
    harness.store.close()


def _legs(h: Harness, case_id: uuid.UUID) -> dict[Department, LegState]:
    return {v.department: v.state for v in h.service.legs(case_id)}


def _state(h: Harness, case_id: uuid.UUID) -> str:
    return h.store.load_case(case_id)[1]


# ------------------------------------------------------------------------------------ submit
def test_submit_writes_one_leg_per_catalog_department_with_the_case_change(h: Harness) -> None:
    sale = h.ready_case("second_hand_sale")
    mortgage = h.ready_case("mortgage_first")
    submission = h.service.submit_case(sale.id, user=h.clerk)
    h.service.submit_case(mortgage.id, user=h.clerk)
    assert set(submission.legs) == {TX, TAX, REG}
    assert _legs(h, sale.id) == dict.fromkeys((TX, TAX, REG), LegState.QUEUED)
    assert _legs(h, mortgage.id) == {REG: LegState.QUEUED}  # catalog: 抵押 goes to 登记 only
    assert _state(h, sale.id) == "submitted"
    last = h.store.history(sale.id)[-1]
    assert (last.from_state, last.to_state) == ("ready", "submitted")
    assert last.details["packages"]["tax"] == str(submission.legs[TAX])
    assert h.store.versions(sale.id)[-1][1] == "submit"


def test_submit_is_all_or_nothing(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    case = h.ready_case()
    outbox = h.service.outbox
    original = outbox.add_legs

    def add_then_break(*args, **kwargs):
        original(*args, **kwargs)
        raise OSError("power cut")

    monkeypatch.setattr(outbox, "add_legs", add_then_break)
    with pytest.raises(OSError):
        h.service.submit_case(case.id, user=h.clerk)
    assert _state(h, case.id) == "ready"
    assert h.service.legs(case.id) == []
    assert [c.to_state for c in h.store.history(case.id)] == ["draft", "ready"]


def test_only_a_ready_case_is_submitted(h: Harness) -> None:
    draft = h.store.import_case(example_case(), user=h.clerk)
    with pytest.raises(TransitionNotAllowed):
        h.service.submit_case(draft.id, user=h.clerk)
    assert h.service.legs(draft.id) == []


def test_stored_manifest_is_the_derived_payload_encrypted(h: Harness) -> None:
    case = h.submitted_case()
    with h.store.snapshot() as s:
        rows = {
            r.department: r for r in s.scalars(select(OutboxLegRow).where(OutboxLegRow.case_id == case.id))
        }
    tax = rows["tax"]
    assert case.parties[0].name.encode() not in tax.manifest  # encrypted at rest
    body = h.store.cipher.decrypt(
        tax.manifest, table="outbox_legs", column="manifest", row=str(tax.package_id)
    )
    manifest = Manifest.model_validate_json(body)
    assert canonical_bytes(manifest) == body  # what is re-sent is byte-identical
    assert manifest.package_id == tax.package_id and manifest.department is TAX
    assert "estimate" in manifest.payload and manifest.payload["estimate"]["lines"]
    expected = build_manifest(
        case,
        TAX,
        package_id=manifest.package_id,
        case_version=manifest.case_version,
        office_code=manifest.office_code,
        window_id=manifest.window_id,
        created_at=manifest.created_at,
        tax_estimate=manifest.payload["estimate"],
        audit_head=manifest.audit_head,
    )
    assert canonical_bytes(expected) == body


# ---------------------------------------------------------------------------------- delivery
def test_case_goes_to_all_three_and_the_answers_come_back(h: Harness, backends: ReferenceBackends) -> None:
    backends.set_script(TAX, DepartmentScript(outcome="completed", assessment_delta=Decimal("150.00")))
    backends.set_script(TX, DepartmentScript(outcome="completed"))
    backends.set_script(REG, DepartmentScript(outcome="accepted", completion_days=7))
    h.enrol()
    scan = b"%PDF-1.4 scan " * 5000
    case = h.submitted_case(attachments=[OutgoingAttachment(scan, "身份证.pdf", "application/pdf")])
    summary = h.service.worker().run_once()
    assert summary.delivered == 3 and summary.failed == 0
    assert summary.answers == {"completed": 2, "accepted": 1}
    legs = {v.department: v for v in h.service.legs(case.id)}
    assert {d: v.state for d, v in legs.items()} == {
        TX: LegState.COMPLETED,
        TAX: LegState.COMPLETED,
        REG: LegState.ACCEPTED,
    }
    assert _state(h, case.id) == "in_progress"
    # the tax assessment, differing from the window's estimate, is stored with the leg
    tax_answer = legs[TAX].answer
    assert tax_answer is not None and tax_answer.result is not None
    assessment = Assessment.model_validate(tax_answer.result["assessment"])
    assert assessment.payment_code and assessment.payment_code.startswith("JK")
    held = backends.store.package(TAX.value, str(legs[TAX].package_id))
    assert held is not None
    estimated = Decimal(held.manifest["payload"]["estimate"]["lines"][0]["amount"])
    assert assessment.lines[0].amount == estimated + Decimal("150.00")
    reg = legs[REG].answer
    assert reg is not None and reg.result is not None
    assert reg.result["acceptance_no"] == legs[REG].receipt_no and reg.result["expected_completion"]
    tx = legs[TX].answer
    assert tx is not None and tx.result is not None and tx.result["filing_confirmation_no"].startswith("BA")
    # only 登记 received the scan, once
    assert backends.counters(REG)["blob_bytes_received"] == len(scan)
    assert backends.counters(TAX).get("blob_chunks", 0) == 0
    with h.store.engine.connect() as conn:  # 登记 holds the scan: the local copy is gone
        assert conn.execute(text("SELECT count(*) FROM outbox_blobs")).scalar() == 0
    # 登记 completes later: the case completes once every leg has
    with backends.store._tx() as db:  # the registry finishes its work
        db.execute("UPDATE packages SET outcome = 'completed' WHERE department = 'registration'")
    h.clock.advance(seconds=31)
    h.service.worker().run_once()
    assert _state(h, case.id) == "completed"
    assert [c.to_state for c in h.store.history(case.id)][-3:] == ["submitted", "in_progress", "completed"]
    assert all(len(backends.deliveries(d)) == 1 for d in (TX, TAX, REG))


def test_rejection_stores_the_reasons_and_returns_the_case(h: Harness, backends: ReferenceBackends) -> None:
    backends.set_script(
        TX, DepartmentScript(outcome="rejected", reasons=["网签合同已撤销", "请核对合同备案号"])
    )
    h.enrol()
    case = h.submitted_case()
    h.service.worker().run_once()
    [tx] = [v for v in h.service.legs(case.id) if v.department is TX]
    assert tx.state is LegState.REJECTED
    assert tx.answer is not None and tx.answer.reasons == ("网签合同已撤销", "请核对合同备案号")
    assert _state(h, case.id) == "returned"
    assert "网签合同已撤销" in h.store.history(case.id)[-1].reason
    # corrected and submitted again: new packages name the old ones
    h.store.transition(case.id, "ready", user=h.clerk, reason="已补正")
    again = h.service.submit_case(case.id, user=h.clerk)
    h.service.worker().run_once()
    held = backends.store.package(TX.value, str(again.legs[TX]))
    assert held is not None and held.manifest["supersedes"] == str(tx.package_id)


def test_back_end_down_is_retried_later_with_backoff(h: Harness, backends: ReferenceBackends) -> None:
    h.enrol()
    backends.set_script(TAX, DepartmentScript(down=True))
    case = h.submitted_case()
    first = h.service.worker().run_once()
    assert first.delivered == 2 and first.retried == 1  # the others were not blocked
    [tax] = [v for v in h.service.legs(case.id) if v.department is TAX]
    assert tax.state is LegState.QUEUED and tax.attempts == 1
    assert tax.last_error is not None and "暂时无法连接" in tax.last_error
    wait = (tax.next_attempt_at - h.clock.now).total_seconds()
    assert 5 <= wait <= 10  # retry_base 10 s with equal jitter
    assert h.service.worker().run_once().delivered == 0  # not due yet
    h.clock.advance(seconds=11)
    second = h.service.worker().run_once()
    assert second.retried == 1
    [tax] = [v for v in h.service.legs(case.id) if v.department is TAX]
    assert 10 <= (tax.next_attempt_at - h.clock.now).total_seconds() <= 20  # doubled
    backends.set_script(TAX, DepartmentScript())
    h.clock.advance(seconds=21)
    assert h.service.worker().run_once().delivered == 1
    assert len(backends.deliveries(TAX)) == 1


def test_conflict_is_failed_not_overwritten(h: Harness, backends: ReferenceBackends) -> None:
    h.enrol()
    case = h.submitted_case()
    [reg] = [v for v in h.service.legs(case.id) if v.department is REG]
    other = build_manifest(
        case,
        REG,
        package_id=reg.package_id,
        case_version=1,
        office_code="1",
        window_id="9",
        created_at=h.clock.now,
    )
    key = h.vault.signing_key()
    credential = h.vault.credential(REG)
    assert key is not None and credential is not None
    deliver(other, lambda ref: None, backends.url(REG), credential, key)  # type: ignore[arg-type,return-value]
    summary = h.service.worker().run_once()
    assert summary.failed == 1 and summary.delivered == 2
    [reg] = [v for v in h.service.legs(case.id) if v.department is REG]
    assert reg.state is LegState.FAILED and reg.last_error is not None and "内容不同" in reg.last_error
    assert h.service.retry_failed(case.id) == 1  # a person may queue it again


def test_sending_left_by_a_dead_worker_is_delivered_once(h: Harness, backends: ReferenceBackends) -> None:
    h.enrol()
    case = h.submitted_case()
    [leg] = h.service.outbox.claim_due(
        owner="dead-worker", now=h.clock.now, lease=timedelta(seconds=60), departments=[REG], limit=1
    )
    # it got as far as the acknowledgement, then died before recording it
    key, credential = h.vault.signing_key(), h.vault.credential(REG)
    assert key is not None and credential is not None
    deliver(
        Manifest.model_validate_json(leg.manifest),
        lambda ref: h.service.outbox.open_attachment(ref.sha256),
        backends.url(REG),
        credential,
        key,
    )
    live = h.service.worker()
    assert live.run_once().recovered == 0  # lease still held: not touched
    assert _legs(h, case.id)[REG] is LegState.SENDING
    h.clock.advance(seconds=61)
    summary = live.run_once()
    assert summary.recovered == 1 and summary.duplicates == 1
    assert _legs(h, case.id)[REG] is not LegState.SENDING
    [delivery] = backends.deliveries(REG)
    assert delivery.put_count == 2 and delivery.submit_calls == 2
    assert backends.counters(REG)["deliveries"] == 1


def test_a_long_upload_keeps_its_lease(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    h.enrol()
    scan = bytes(range(256)) * 1024  # 256 KiB in 16 KiB chunks
    case = h.submitted_case(
        "mortgage_first", attachments=[OutgoingAttachment(scan, "s.pdf", "application/pdf")]
    )
    worker = h.service.worker(lease=60, chunk_size=16 * 1024)
    original = worker._clock

    def slow_link() -> datetime:  # every look at the clock: 20 s later
        h.clock.advance(seconds=20)
        return original()

    worker._clock = slow_link
    extended: list[datetime] = []
    real_extend = h.service.outbox.extend_lease

    def spy(package_id: uuid.UUID, *, owner: str, until: datetime) -> bool:
        held = real_extend(package_id, owner=owner, until=until)
        assert held
        extended.append(until)
        return held

    monkeypatch.setattr(h.service.outbox, "extend_lease", spy)
    summary = worker.run_once()
    assert summary.delivered == 1 and summary.recovered == 0
    assert len(extended) >= 5 and extended == sorted(extended)
    assert _legs(h, case.id)[REG] is not LegState.SENDING


def test_the_loop_survives_a_failed_round(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    h.enrol()
    case = h.submitted_case("mortgage_first")
    real = h.service.outbox.release_expired
    calls: list[int] = []

    def flaky(now: datetime) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseUnavailable("数据库暂时不可用")
        return real(now)

    monkeypatch.setattr(h.service.outbox, "release_expired", flaky)
    stop = threading.Event()
    rounds = []

    def on_round(summary) -> None:
        rounds.append(summary)
        stop.set()

    worker = h.service.worker(interval=0.01)
    thread = threading.Thread(target=worker.run_forever, args=(stop,), kwargs={"on_round": on_round})
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert len(calls) == 2 and rounds[0].delivered == 1
    assert _legs(h, case.id)[REG] is not LegState.QUEUED


def test_not_enrolled_departments_stay_queued(h: Harness) -> None:
    case = h.submitted_case()
    with pytest.raises(NotEnrolled):
        h.service.worker()
    assert len(h.service.not_enrolled()) == 3
    assert set(_legs(h, case.id).values()) == {LegState.QUEUED}


def test_attachment_is_stored_encrypted_once(h: Harness) -> None:
    scan = b"unique-scan-bytes-" * 100
    first = h.submitted_case(attachments=[OutgoingAttachment(scan, "a.pdf", "application/pdf")])
    h.submitted_case(attachments=[OutgoingAttachment(scan, "a.pdf", "application/pdf")])
    with h.store.engine.connect() as conn:
        blobs = conn.execute(text("SELECT data FROM outbox_blobs")).scalars().all()
        links = conn.execute(text("SELECT count(*) FROM outbox_leg_blobs")).scalar()
    assert len(blobs) == 1 and scan[:18] not in blobs[0]
    assert links == 2  # one per registration leg
    [reg] = [v for v in h.service.legs(first.id) if v.department is REG]
    with h.service.outbox.open_attachment(hashlib.sha256(scan).hexdigest()) as stream:
        assert stream.read() == scan
    assert reg.state is LegState.QUEUED


def test_overdue_legs_follow_the_office_limit(db_url: str, tmp_path: Path, backends) -> None:
    h = harness_in(tmp_path, backends, url=db_url, sync_overdue_days=3)
    try:
        case = h.submitted_case("mortgage_first")
        assert h.service.overdue() == []
        h.clock.advance(days=4)
        [late] = h.service.overdue()
        assert late.case_id == case.id and late.state is LegState.QUEUED
    finally:
        h.store.close()


def test_unreachable_back_end_during_poll_keeps_the_leg(h: Harness, backends: ReferenceBackends) -> None:
    backends.set_script(REG, DepartmentScript(answer_delay=60))
    h.enrol()
    case = h.submitted_case("mortgage_first")
    h.service.worker().run_once()
    assert _legs(h, case.id)[REG] is LegState.DELIVERED
    backends.set_script(REG, DepartmentScript(down=True))
    h.clock.advance(seconds=31)
    summary = h.service.worker().run_once()
    assert summary.errors["ServerUnavailable"] == 1
    [reg] = h.service.legs(case.id)
    assert reg.state is LegState.DELIVERED and reg.last_error == str(ServerUnavailable("HTTP 503", 503))


def _deliver_all(h: Harness) -> dict[Department, uuid.UUID]:
    """Claim every due leg and record it delivered (receipt ``R-<department>``); its package ids."""
    claimed = h.service.outbox.claim_due(
        owner="w", now=h.clock.now, lease=timedelta(seconds=60), departments=list(Department), limit=10
    )
    delivered = [Delivered(leg.package_id, f"R-{leg.department.value}") for leg in claimed]
    h.service.outbox.settle(delivered, owner="w", now=h.clock.now)
    return {leg.department: leg.package_id for leg in claimed}


def test_answers_move_the_case_once_and_never_for_a_superseded_package(
    db_url: str, tmp_path: Path, backends
) -> None:
    h = harness_in(tmp_path, backends, url=db_url)
    try:
        case = h.submitted_case()
        first = _deliver_all(h)
        outbox = h.service.outbox

        def answer(pid: uuid.UUID, state: Any, *reasons: str) -> list[Any]:
            answered = [Answered(pid, Answer(state, "ignored", reasons=reasons))]
            return outbox.settle_polls(answered, now=h.clock.now, next_poll_at=h.clock.now)

        [move] = answer(first[TX], LegState.ACCEPTED)
        assert move.case_id == case.id and [m.value for m in move.states] == ["in_progress"]
        last = h.store.history(case.id)[-1]
        assert (last.from_state, last.to_state) == ("submitted", "in_progress")
        assert last.details == {
            "department": "transaction",
            "package_id": str(first[TX]),
            "receipt_no": "R-transaction",  # the acknowledgement's, kept
        }
        assert answer(first[TX], LegState.ACCEPTED) == [None]  # the same answer again: nothing more
        [move] = answer(first[REG], LegState.REJECTED, "缺少委托书")
        assert [m.value for m in move.states] == ["returned"] and _state(h, case.id) == "returned"
        assert h.store.history(case.id)[-1].reason.endswith("缺少委托书")
        h.store.transition(case.id, "ready", user=h.clerk, reason="已补正")
        h.service.submit_case(case.id, user=h.clerk)
        _deliver_all(h)
        entries = len(h.store.history(case.id))
        # The tax bureau answers the first submission's package late: the case (now submitted
        # again) stays as it is, and its history gains nothing.
        [move] = answer(first[TAX], LegState.ACCEPTED)
        assert move.case_id == case.id and move.states == ()
        assert _state(h, case.id) == "submitted" and len(h.store.history(case.id)) == entries
        [old_tax] = [v for v in h.service.legs(case.id) if v.package_id == first[TAX]]
        assert old_tax.state is LegState.ACCEPTED  # the answer itself is kept with its leg
    finally:
        h.store.close()


def test_legs_with_no_answer_yet_wait_for_their_next_question(db_url: str, tmp_path: Path, backends) -> None:
    h = harness_in(tmp_path, backends, url=db_url)
    try:
        case = h.submitted_case()
        outbox = h.service.outbox
        departments = list(Department)
        claimed = outbox.claim_due(
            owner="w", now=h.clock.now, lease=timedelta(seconds=60), departments=departments, limit=10
        )
        outbox.settle([Delivered(leg.package_id, "R1") for leg in claimed], owner="w", now=h.clock.now)
        answered, gone, waiting = claimed
        # Meanwhile another window's worker recorded one leg's answer, and found another no longer
        # held (to be delivered again at once): neither is waiting for an answer any more.
        outbox.settle_polls(
            [
                Answered(answered.package_id, Answer(LegState.REJECTED, "R1", reasons=("材料不全",))),
                NotHeld(gone.package_id, "部门系统没有该数据包"),
            ],
            now=h.clock.now,
            next_poll_at=h.clock.now,
        )
        later = h.clock.now + timedelta(minutes=5)
        unanswered = [AskLater(leg.package_id) for leg in claimed]
        moves = outbox.settle_polls(unanswered, now=h.clock.now, next_poll_at=later)
        assert moves == [None] * len(claimed)
        assert outbox.due_polls(now=h.clock.now, departments=departments, limit=10) == []
        assert [t.package_id for t in outbox.due_polls(now=later, departments=departments, limit=10)] == [
            waiting.package_id
        ]
        states = {v.package_id: v.state for v in h.service.legs(case.id)}
        assert states == {
            answered.package_id: LegState.REJECTED,
            gone.package_id: LegState.QUEUED,
            waiting.package_id: LegState.DELIVERED,
        }
        again = outbox.claim_due(
            owner="w", now=h.clock.now, lease=timedelta(seconds=60), departments=departments, limit=10
        )
        assert [leg.package_id for leg in again] == [gone.package_id]  # not held back by the late question
    finally:
        h.store.close()


@pytest.mark.postgres
def test_postgres_workers_never_claim_the_same_leg(postgres_url: str, tmp_path: Path, backends) -> None:
    h = harness_in(tmp_path, backends, url=postgres_url)
    try:
        for _ in range(10):
            h.submitted_case()
        claims: dict[str, list[uuid.UUID]] = {}
        barrier = threading.Barrier(4)

        def claim(owner: str) -> None:
            barrier.wait()
            got = []
            while batch := h.service.outbox.claim_due(
                owner=owner,
                now=h.clock.now,
                lease=timedelta(seconds=60),
                departments=list(Department),
                limit=2,
            ):
                got += [leg.package_id for leg in batch]
            claims[owner] = got

        threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        everything = [pid for got in claims.values() for pid in got]
        assert len(everything) == len(set(everything)) == 30
    finally:
        h.store.close()


@pytest.mark.postgres
def test_postgres_round_delivers_scans_rechecks_and_records_answers(
    postgres_url: str, tmp_path: Path, backends
) -> None:
    h = harness_in(tmp_path, backends, url=postgres_url)
    try:
        h.enrol()
        scans = [os.urandom(300_000) for _ in range(3)]
        cases = [
            h.submitted_case(attachments=[OutgoingAttachment(scan, "s.pdf", "application/pdf")]).id
            for scan in scans
        ]
        summary = h.service.worker(batch=4).run_once()
        assert summary.delivered == 9 and summary.failed == 0
        assert sum(summary.answers.values()) == 9
        for case_id, scan in zip(cases, scans, strict=True):
            assert len(h.service.status_checks(case_id)) == 1  # re-checked before it went out
            assert all(leg.state is LegState.ACCEPTED for leg in h.service.legs(case_id))
            assert (
                backends.store.blob_bytes(Department.REGISTRATION.value, hashlib.sha256(scan).hexdigest())
                == scan
            )
    finally:
        h.store.close()


# --------------------------------------------------------------------------------------- CLI
@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    import keyring.core

    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)  # set programmatically, no file
    return backend


def test_cli_enrol_submit_run_status(capsys, monkeypatch, data_dir: Path, backends, memory_keyring) -> None:
    from workstation.cli import EXIT_ERROR, EXIT_OK, main
    from workstation.config import OFFICE_FILE_NAME, write_toml

    write_toml(
        data_dir / OFFICE_FILE_NAME,
        {
            "key_protector": "file",
            "office_code": "11010501",
            **{k: v for k, v in sync_settings("", backends).items() if k.endswith("_url")},
        },
    )

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    assert run("users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")[0] == EXIT_OK
    monkeypatch.setenv("YICHUANG_PASSWORD", "admin-pass-1")
    code, out, err = run("sync", "run", "--once")
    assert code == EXIT_ERROR and "yichuang enrol" in err
    code, out, err = run("enrol", "--token", "wrong", "--user", "admin")
    assert code == EXIT_ERROR and "拒绝" in err and "Traceback" not in err
    code, out, _ = run("enrol", "--token", DEFAULT_ENROLMENT_TOKEN, "--user", "admin")
    assert code == EXIT_OK and out.count("已在") == 3
    assert ("Yichuang-sync", "signing-key") in memory_keyring.entries
    assert not list(data_dir.rglob("*credential*"))
    case = example_case()
    file = data_dir / "case.json"
    file.write_text(case.model_dump_json(), encoding="utf-8")
    assert run("case", "import", str(file), "--user", "admin")[0] == EXIT_OK
    code, _, err = run("submit", str(case.id), "--user", "admin")
    assert code == EXIT_ERROR and "待提交" in err  # a draft cannot be submitted
    from workstation.config import load_settings
    from workstation.storage.store import open_store

    store = open_store(load_settings())
    try:
        store.transition(case.id, "ready", user=store.authenticate("admin", "admin-pass-1"))
    finally:
        store.close()
    code, out, _ = run("submit", str(case.id), "--user", "admin")
    assert code == EXIT_OK and "交易、税务、登记" in out
    code, out, _ = run("sync", "status", "--json")
    assert json.loads(out)["counts"]["queued"] == 3
    code, out, _ = run("sync", "run", "--once")
    assert code == EXIT_OK and "送达 3 个数据包" in out
    code, out, _ = run("sync", "status")
    assert "已受理 3" in out
    assert all(len(backends.deliveries(d)) == 1 for d in Department)


def test_submit_sends_the_scans_attached_to_the_materials_by_default(h: Harness) -> None:
    from workstation.sync_service import ScanMissing

    case = h.store.import_case(example_case(), user=h.clerk)
    code = case.materials[0].code
    scan = b"%PDF-1.7 scanned ID card " + bytes(range(256)) * 40
    held = h.store.add_attachment(case.id, material_code=code, data=scan, pages=1, user=h.clerk)
    materials = [
        m.model_copy(update={"attachment_ids": [held.id], "received": True}) if m.code == code else m
        for m in case.materials
    ]
    h.store.save_version(case.model_copy(update={"materials": materials}), reason="scan", user=h.clerk)
    h.store.transition(case.id, "ready", user=h.clerk)
    h.service.submit_case(case.id, user=h.clerk)

    with h.store.snapshot() as s:
        row = s.scalars(
            select(OutboxLegRow).where(
                OutboxLegRow.case_id == case.id, OutboxLegRow.department == "registration"
            )
        ).one()
    body = h.store.cipher.decrypt(
        row.manifest, table="outbox_legs", column="manifest", row=str(row.package_id)
    )
    refs = Manifest.model_validate_json(body).attachments
    assert [(r.sha256, r.size) for r in refs] == [(hashlib.sha256(scan).hexdigest(), len(scan))]
    assert refs[0].name == f"{materials[0].name}.pdf"

    # A material pointing at a scan that is gone stops the submit with a message, not a package.
    other = h.store.import_case(example_case().model_copy(update={"id": uuid.uuid4()}), user=h.clerk)
    gone = [m.model_copy(update={"attachment_ids": ["no-such-scan"]}) for m in other.materials[:1]]
    h.store.save_version(
        other.model_copy(update={"materials": gone + other.materials[1:]}), reason="x", user=h.clerk
    )
    h.store.transition(other.id, "ready", user=h.clerk)
    with pytest.raises(ScanMissing, match="重新扫描"):
        h.service.submit_case(other.id, user=h.clerk)
    assert h.service.legs(other.id) == []
