"""The worker's pool: several legs at once, one stuck leg never holds the others, outcomes in batches.

Also the protocol's shortcuts (``held`` offsets, ``Yichuang-Submit: if-complete``, ``POST
/v1/status``) and the client's fall-back when a back end lacks them.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import sync.transport
import sync.worker
from sync.backends import DepartmentScript, ReferenceBackends
from sync.faultproxy import Fault, FaultProxy
from sync.outbox import LegState
from sync.package import Department
from sync.transport import SUBMIT_HEADER, Announced, deliver, poll_many, submitted_at_once
from tests.sync.conftest import blob, make_manifest, reader_for
from tests.sync.harness import Harness, harness_in, proxied_urls
from workstation.sync_service import OutgoingAttachment

REG, TAX, TX = Department.REGISTRATION, Department.TAX, Department.TRANSACTION
NO_FILES = reader_for({})


@pytest.fixture
def h(tmp_path: Path, backends: ReferenceBackends) -> Iterator[Harness]:
    harness = harness_in(tmp_path, backends)
    harness.enrol()
    yield harness
    harness.store.close()


def _one_by_one(backends: ReferenceBackends) -> None:
    """Back ends without the batch request: each leg goes through the pool on its own."""
    for department in Department:
        backends.set_script(department, DepartmentScript(plain_protocol=True))


def _wrap_deliver(monkeypatch: pytest.MonkeyPatch, before: Callable[[Any], None]) -> None:
    real = sync.transport.deliver_signed

    def spy(manifest: Any, *args: Any, **kwargs: Any) -> Any:
        before(manifest)
        return real(manifest, *args, **kwargs)

    monkeypatch.setattr(sync.worker, "deliver_signed", spy)


def _within(condition: Callable[[], bool], seconds: float = 5) -> bool:
    """Wait until ``condition`` holds (True) or ``seconds`` pass (False), looking every 10 ms."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def _assert_once(h: Harness, backends: ReferenceBackends, cases: list[uuid.UUID]) -> None:
    held = {d: Counter(x.case_id for x in backends.deliveries(d)) for d in Department}
    for case_id in cases:
        legs = h.service.legs(case_id)
        assert legs and all(v.state is not LegState.SENDING for v in legs)
        assert all(held[v.department][str(case_id)] == 1 for v in legs), held


def test_legs_are_delivered_concurrently(
    h: Harness, backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_by_one(backends)
    cases = [h.submitted_case().id for _ in range(2)]  # six legs
    together = threading.Barrier(4, timeout=10)
    calls = Counter[str]()
    lock = threading.Lock()

    def first_four_meet(_manifest: Any) -> None:
        with lock:
            calls["n"] += 1
            first = calls["n"] <= 4
        if first:
            together.wait()

    _wrap_deliver(monkeypatch, first_four_meet)
    summary = h.service.worker(concurrency=4, batch=16).run_once()
    # four deliveries met at the barrier: they were in flight at the same time (a sequential
    # worker breaks the barrier, and its legs fail with BrokenBarrierError)
    assert summary.delivered == 6 and summary.failed == 0, summary
    assert calls["n"] == 6
    _assert_once(h, backends, cases)


def test_a_stuck_leg_does_not_hold_the_others(
    h: Harness, backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_by_one(backends)
    stuck = h.submitted_case("mortgage_first")  # one leg, to 登记
    others = [h.submitted_case().id for _ in range(2)]
    others_done = threading.Event()
    delivered_others: list[uuid.UUID] = []
    lock = threading.Lock()

    def before(manifest: Any) -> None:
        if manifest.case_id == stuck.id:
            # held until every other leg was handed over (a worker that waits for it deadlocks here)
            assert others_done.wait(timeout=10), "the other legs waited for the stuck one"
            return
        with lock:
            delivered_others.append(manifest.package_id)
            if len(delivered_others) == 6:
                others_done.set()

    _wrap_deliver(monkeypatch, before)
    summary = h.service.worker(concurrency=2, batch=2).run_once()
    assert summary.delivered == 7 and summary.failed == 0
    assert others_done.is_set()
    _assert_once(h, backends, [*others, stuck.id])


def test_outcomes_lost_before_they_are_recorded_are_delivered_once(
    h: Harness, backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [h.submitted_case().id for _ in range(3)]
    worker = h.service.worker(concurrency=3, batch=4, lease=30)
    outbox = h.service.outbox
    real = outbox.settle
    calls: list[int] = []

    def crash_once(outcomes: Any, **kwargs: Any) -> list[bool]:
        calls.append(len(outcomes))
        if len(calls) == 1:  # the back ends acknowledged, the worker dies before recording it
            raise RuntimeError("killed")
        return real(outcomes, **kwargs)

    monkeypatch.setattr(outbox, "settle", crash_once)
    with pytest.raises(RuntimeError):
        worker.run_once()
    lost = calls[0]
    assert lost >= 1 and outbox.counts()[LegState.SENDING] >= lost
    h.clock.advance(seconds=31)  # the lease runs out
    summary = worker.run_once()
    assert summary.recovered == summary.duplicates >= lost  # every claimed leg reached its back end
    _assert_once(h, backends, cases)


def test_the_next_batch_is_claimed_while_uploads_go_on(
    h: Harness, backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uploads are not left idle while the next batch is claimed, re-checked and announced."""
    cases = []
    for i in range(8):  # 24 legs: a batch of 12 has four scans to upload
        scan = OutgoingAttachment(blob(2_000, seed=i)[0], f"{i}.pdf", "application/pdf")
        cases.append(h.submitted_case(attachments=[scan]).id)
    second_claim = threading.Event()
    lock = threading.Lock()
    started = Counter[str]()

    def hold_back(_manifest: Any) -> None:
        with lock:
            started["uploads"] += 1
            first = started["uploads"] == 1
        # The first upload frees its slot at once; the others wait until the next batch is claimed
        # (or give up waiting: the worker would have left them idle until then).
        if not first and not second_claim.wait(timeout=5):
            with lock:
                started["gave up"] += 1

    _wrap_deliver(monkeypatch, hold_back)
    outbox = h.service.outbox
    real_claim = outbox.claim_due

    def claim_due(**kwargs: Any) -> Any:
        with lock:
            started["claims"] += 1
            if started["claims"] == 2:
                second_claim.set()
        return real_claim(**kwargs)

    monkeypatch.setattr(outbox, "claim_due", claim_due)
    summary = h.service.worker(concurrency=2, batch=12).run_once()
    assert summary.delivered == 24
    assert started["gave up"] == 0  # the second batch was claimed while the first's uploads waited
    _assert_once(h, backends, cases)


def test_outcomes_are_recorded_while_the_next_batch_goes_out(
    h: Harness, backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording a batch's outcomes never holds up claiming and announcing the next one."""
    cases = [h.submitted_case().id for _ in range(4)]  # twelve legs without scans: three batches of 4
    outbox = h.service.outbox
    real_settle, real_claim = outbox.settle, outbox.claim_due
    first_recording = threading.Event()
    claims_while_recording: list[int] = []
    claims = Counter[str]()

    def settle(*args: Any, **kwargs: Any) -> Any:
        if not first_recording.is_set():
            first_recording.set()
            # the first batch's record waits until the next claims have been made (or gives up)
            _within(lambda: claims["made"] >= 3)
            claims_while_recording.append(claims["made"])
        return real_settle(*args, **kwargs)

    def claim_due(**kwargs: Any) -> Any:
        claims["made"] += 1
        return real_claim(**kwargs)

    monkeypatch.setattr(outbox, "settle", settle)
    monkeypatch.setattr(outbox, "claim_due", claim_due)
    summary = h.service.worker(concurrency=2, batch=4).run_once()
    assert summary.delivered == 12 and summary.failed == 0
    assert claims_while_recording == [3]  # batches two and three claimed while the first was recorded
    _assert_once(h, backends, cases)


def test_the_next_batch_is_claimed_and_rechecked_while_this_one_is_announced(
    h: Harness, backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thread that announces every batch never waits for a claim or a re-check of its own."""
    cases = [h.submitted_case().id for _ in range(4)]  # twelve legs without scans: three batches of 4
    rechecked: list[int] = []
    real_recheck, real_announce = h.service.recheck_claimed, sync.transport.announce
    announced = Counter[str]()
    waited: list[bool] = []

    def recheck(legs: Any, client: Any = None) -> Any:
        rechecked.append(len(legs))
        return real_recheck(legs, client)

    def announce(*args: Any, **kwargs: Any) -> Any:
        announced["requests"] += 1
        if announced["requests"] == 1:
            # the first batch's first request waits until the second batch is claimed and re-checked
            # (or gives up: a worker that claims only after announcing never gets there)
            waited.append(_within(lambda: len(rechecked) >= 2))
        return real_announce(*args, **kwargs)

    monkeypatch.setattr(h.service, "recheck_claimed", recheck)
    monkeypatch.setattr(sync.worker, "announce", announce)
    summary = h.service.worker(concurrency=2, batch=4).run_once()
    assert summary.delivered == 12 and summary.failed == 0
    assert waited == [True] and rechecked == [4, 4, 4]
    assert all(h.service.status_checks(c) for c in cases)  # every case re-checked before it went out
    _assert_once(h, backends, cases)


def test_a_batch_claimed_ahead_goes_back_when_the_round_ends_early(
    h: Harness, backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Legs claimed for the next batch but never sent are queued again at once, their attempt undone."""
    cases = [h.submitted_case().id for _ in range(4)]  # twelve legs without scans: three batches of 4
    outbox = h.service.outbox
    real_settle, real_announce = outbox.settle, sync.transport.announce
    sent: set[uuid.UUID] = set()

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("killed")

    def announce(items: Any, *args: Any, **kwargs: Any) -> Any:
        sent.update(package_id for package_id, _ in items)
        return real_announce(items, *args, **kwargs)

    monkeypatch.setattr(outbox, "settle", crash)
    monkeypatch.setattr(sync.worker, "announce", announce)
    with pytest.raises(RuntimeError):
        h.service.worker(concurrency=2, batch=4).run_once()
    # the round ended once the first outcomes failed to be recorded, with the next batch claimed ahead
    went_out = len(sent)
    assert 4 <= went_out < 12
    assert outbox.counts()[LegState.SENDING] == went_out  # only the legs that went out are held
    attempts = sorted(leg.attempts for leg in outbox.undelivered(limit=12))
    assert attempts == [0] * (12 - went_out) + [1] * went_out
    monkeypatch.setattr(outbox, "settle", real_settle)
    summary = h.service.worker(concurrency=2, batch=4).run_once()  # the lease is still running
    assert summary.delivered == 12 - went_out and summary.recovered == 0
    h.clock.advance(seconds=61)
    summary = h.service.worker(concurrency=2, batch=4).run_once()
    assert summary.recovered == summary.duplicates == went_out
    _assert_once(h, backends, cases)


def test_claimed_legs_waiting_their_turn_keep_their_lease(
    h: Harness, backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch that takes longer to send than a lease lasts (a slow link) is not taken over half-way."""
    _one_by_one(backends)
    cases = [h.submitted_case().id for _ in range(2)]  # six legs, claimed at once, sent one by one
    expired: list[int] = []

    def slow_send(_manifest: Any) -> None:
        h.clock.advance(seconds=60)  # each leg takes 0.6 of the 100 s lease
        expired.append(h.service.outbox.release_expired(h.clock()))  # another worker's start-up

    _wrap_deliver(monkeypatch, slow_send)
    summary = h.service.worker(concurrency=1, batch=6, lease=100).run_once()
    assert summary.delivered == 6 and summary.recovered == 0
    assert expired == [0] * 6  # by the third leg (180 s) the waiting legs' first lease had run out
    _assert_once(h, backends, cases)


def test_concurrency_one_delivers_in_order_in_the_calling_thread(
    h: Harness, backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_by_one(backends)
    h.submitted_case()
    threads: list[str] = []
    _wrap_deliver(monkeypatch, lambda _m: threads.append(threading.current_thread().name))
    summary = h.service.worker(concurrency=1).run_once()
    assert summary.delivered == 3 and threads == [threading.current_thread().name] * 3


def test_the_setting_sets_the_pool_width(tmp_path: Path, backends: ReferenceBackends) -> None:
    harness = harness_in(tmp_path, backends, sync_concurrency=7)
    try:
        harness.enrol()
        assert harness.service.worker().settings.concurrency == 7
    finally:
        harness.store.close()


# ------------------------------------------------------------------------------ shortcuts
def _recording_client(seen: list[tuple[str, str]]) -> httpx.Client:
    return httpx.Client(event_hooks={"request": [lambda r: seen.append((r.method, r.url.path))]})


def test_data_only_package_is_submitted_with_its_manifest(backends, credentials, signing_key) -> None:
    seen: list[tuple[str, str]] = []
    manifest = make_manifest(TAX)
    with _recording_client(seen) as client:
        receipt = deliver(manifest, NO_FILES, backends.url(TAX), credentials[TAX], signing_key, client=client)
        again = deliver(manifest, NO_FILES, backends.url(TAX), credentials[TAX], signing_key, client=client)
    assert [m for m, _ in seen] == ["PUT", "PUT"]  # no POST …/submit
    assert receipt.receipt_no.startswith("SW") and not receipt.duplicate
    assert again.duplicate and again.receipt_no == receipt.receipt_no
    assert [d.package_id for d in backends.deliveries(TAX)] == [str(manifest.package_id)]


def test_the_chunk_completing_the_last_blob_submits_the_package(backends, credentials, signing_key) -> None:
    seen: list[tuple[str, str, str | None]] = []
    first, first_ref = blob(200_000)
    data, ref = blob(300_000)
    manifest = make_manifest(REG, attachments=[first_ref, ref])
    hook = {"request": [lambda r: seen.append((r.method, r.url.path, r.headers.get(SUBMIT_HEADER)))]}
    with httpx.Client(event_hooks=hook) as client:
        receipt = deliver(
            manifest,
            reader_for({ref.sha256: data, first_ref.sha256: first}),
            backends.url(REG),
            credentials[REG],
            signing_key,
            128 * 1024,
            client=client,
        )
    # manifest, 2 + 3 chunks from offset 0 (no HEAD), and no POST …/submit: the very last chunk asks
    assert [m for m, _, _ in seen] == ["PUT"] * 6
    assert [h for _, _, h in seen] == ["if-complete"] + [None] * 4 + [str(manifest.package_id)]
    assert receipt.receipt_no.startswith("DJ") and not receipt.duplicate
    assert backends.store.blob_bytes(REG.value, ref.sha256) == data
    assert [d.package_id for d in backends.deliveries(REG)] == [str(manifest.package_id)]


def test_a_plain_back_end_gets_head_and_submit(backends, credentials, signing_key) -> None:
    backends.set_script(REG, DepartmentScript(plain_protocol=True))
    seen: list[tuple[str, str]] = []
    data, ref = blob(300_000)
    manifest = make_manifest(REG, attachments=[ref])
    with _recording_client(seen) as client:
        receipt = deliver(
            manifest,
            reader_for({ref.sha256: data}),
            backends.url(REG),
            credentials[REG],
            signing_key,
            128 * 1024,
            client=client,
        )
    # manifest, HEAD (no held offsets), 3 chunks, submit
    assert [m for m, _ in seen] == ["PUT", "HEAD", "PUT", "PUT", "PUT", "POST"]
    assert receipt.receipt_no.startswith("DJ")
    assert backends.store.blob_bytes(REG.value, ref.sha256) == data


def test_a_back_end_without_the_shortcuts_is_served_the_plain_way(
    backends: ReferenceBackends, credentials, signing_key
) -> None:
    with FaultProxy(backends.port) as proxy:
        # an adapter without POST /v1/status: the client asks package by package
        proxy.add(Fault("status", status=404, method="POST", path="/v1/status$", times=10))
        url = proxy.url_for(backends.url(TX))
        manifests = [make_manifest(TX) for _ in range(3)]
        for m in manifests:
            deliver(m, NO_FILES, url, credentials[TX], signing_key)
        unknown = uuid.uuid4()
        statuses = poll_many([*(m.package_id for m in manifests), unknown], url, credentials[TX])
    assert statuses[unknown] is None
    assert all(statuses[m.package_id] is not None for m in manifests)
    assert proxy.stats.faults


def test_batch_status_names_unknown_packages(backends, credentials, signing_key) -> None:
    manifests = [make_manifest(TX) for _ in range(3)]
    for m in manifests:
        deliver(m, NO_FILES, backends.url(TX), credentials[TX], signing_key)
    unknown = uuid.uuid4()
    seen: list[tuple[str, str]] = []
    with _recording_client(seen) as client:
        statuses = poll_many(
            [*(m.package_id for m in manifests), unknown], backends.url(TX), credentials[TX], client=client
        )
    assert seen == [("POST", "/transaction/v1/status")]
    assert statuses[unknown] is None
    found = [statuses[m.package_id] for m in manifests]
    assert all(s is not None and s.state == "accepted" and s.receipt_no for s in found)


def test_answers_for_many_legs_come_back_in_one_request_per_department(
    h: Harness, backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    for department in Department:  # answers that take a moment: not with the acknowledgements
        backends.set_script(department, DepartmentScript(answer_delay=0.3))
    for _ in range(4):
        h.submitted_case(attachments=[OutgoingAttachment(b"scan" * 100, "s.pdf", "application/pdf")])
    asked: list[int] = []
    real = sync.transport.poll_many

    def spy(ids: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(len(ids))
        return real(ids, *args, **kwargs)

    monkeypatch.setattr(sync.worker, "poll_many", spy)
    summary = h.service.worker().run_once()
    assert summary.delivered == 12 and sum(summary.answers.values()) == 0
    time.sleep(0.3)
    h.clock.advance(seconds=31)
    asked.clear()
    summary = h.service.worker().run_once()
    assert sum(summary.answers.values()) == 12
    assert sorted(asked) == [4, 4, 4]


def test_answers_that_come_with_the_acknowledgements_need_no_question(
    h: Harness, backends: ReferenceBackends
) -> None:
    # 交易 and 税务 submit with the manifests (the batch reply), 登记 with the scan's last chunk; each
    # acknowledgement carries the answer the department gave at once, recorded with the delivery.
    backends.set_script(TX, DepartmentScript(outcome="completed"))
    backends.set_script(TAX, DepartmentScript(outcome="rejected", reasons=["缺少完税凭证"]))
    case = h.submitted_case(attachments=[OutgoingAttachment(b"scan" * 1000, "s.pdf", "application/pdf")])
    seen: list[tuple[str, str]] = []
    with _recording_client(seen) as client:
        summary = h.service.worker().run_once(client=client)
    assert summary.delivered == 3 and summary.answers == Counter(
        {"completed": 1, "rejected": 1, "accepted": 1}
    )
    assert _requests(seen)["POST status"] == 0  # no question asked
    legs = {leg.department: leg for leg in h.service.legs(case.id)}
    assert {d: leg.state for d, leg in legs.items()} == {
        TX: LegState.COMPLETED,
        TAX: LegState.REJECTED,
        REG: LegState.ACCEPTED,
    }
    tax, reg = legs[TAX].answer, legs[REG].answer
    assert tax is not None and tax.reasons == ("缺少完税凭证",)
    assert reg is not None and reg.result is not None
    assert reg.result["acceptance_no"] == legs[REG].receipt_no
    moves = [(e.to_state, e.reason) for e in h.store.history(case.id)][-2:]
    assert moves[-1][0] == "returned" and "缺少完税凭证" in moves[-1][1]


# ------------------------------------------------------------------------------ batch shortcut
def _requests(seen: list[tuple[str, str]]) -> Counter[str]:
    return Counter(f"{method} {path.split('/v1/')[1].split('/')[0]}" for method, path in seen)


def test_each_department_gets_a_batch_of_manifests_in_one_request(
    h: Harness, backends: ReferenceBackends
) -> None:
    cases = [h.submitted_case().id for _ in range(4)]  # twelve legs without scans
    scanned = h.submitted_case(
        "mortgage_first", attachments=[OutgoingAttachment(b"scan" * 1000, "s.pdf", "application/pdf")]
    )
    seen: list[tuple[str, str]] = []
    with _recording_client(seen) as client:
        summary = h.service.worker(batch=16).run_once(client=client)
    assert summary.delivered == 13 and summary.failed == 0
    requests = _requests(seen)
    # one manifest request per department, the scan's one chunk (which submits 登记's package) and
    # the re-check; no PUT …/packages/{id}, no submit, and no status request: the answers came with
    # the acknowledgements
    assert requests["POST packages"] == 3 and requests["PUT packages"] == 0
    assert requests["PUT blobs"] == 1 and requests["HEAD blobs"] == 0
    assert sum(requests.values()) == 3 + 1 + 1, requests
    _assert_once(h, backends, [*cases, scanned.id])


def test_a_back_end_without_the_batch_request_gets_each_manifest_on_its_own(
    h: Harness, backends: ReferenceBackends
) -> None:
    backends.set_script(TAX, DepartmentScript(plain_protocol=True))
    cases = [h.submitted_case().id for _ in range(3)]
    seen: list[tuple[str, str]] = []
    with _recording_client(seen) as client:
        summary = h.service.worker(batch=2).run_once(client=client)
    assert summary.delivered == 9 and summary.failed == 0
    assert seen.count(("POST", "/tax/v1/packages")) == 1  # asked once in the round
    assert sum(m == "PUT" and p.startswith("/tax/v1/packages/") for m, p in seen) == 3  # then one by one
    assert sum(m == "PUT" and p.startswith("/transaction/v1/packages/") for m, p in seen) == 0
    _assert_once(h, backends, cases)


def test_one_refused_manifest_in_a_batch_leaves_the_others_delivered(
    h: Harness, backends: ReferenceBackends, credentials: Any, signing_key: Any
) -> None:
    cases = [h.submitted_case().id for _ in range(3)]
    [taken] = [v for v in h.service.legs(cases[1]) if v.department is TX]
    # another window's package under the same id: the department holds different content for it
    clash = make_manifest(TX).model_copy(update={"package_id": taken.package_id})
    deliver(clash, NO_FILES, backends.url(TX), credentials[TX], signing_key)
    summary = h.service.worker(batch=16).run_once()
    assert summary.delivered == 8 and summary.failed == 1
    assert summary.errors == Counter({"Conflict": 1})
    [refused] = [v for v in h.service.legs(cases[1]) if v.department is TX]
    assert refused.state is LegState.FAILED


@pytest.mark.parametrize("status", [400, 413])
def test_a_batch_refused_as_a_whole_fails_no_leg(
    tmp_path: Path, backends: ReferenceBackends, status: int
) -> None:
    # An adapter that takes POST /v1/packages differently (or has a smaller body limit) must not
    # fail packages that one PUT each delivers.
    with FaultProxy(backends.port) as proxy:
        proxy.add(Fault("status", status=status, method="POST", path="/packages$", times=10))
        h = harness_in(tmp_path, backends, **proxied_urls(proxy, backends))
        try:
            h.enrol()
            cases = [h.submitted_case().id for _ in range(2)]
            summary = h.service.worker().run_once()
            assert summary.delivered == 6 and summary.failed == 0
            assert proxy.stats.faults["status"] == 3  # each department asked once, then a PUT each
            _assert_once(h, backends, cases)
        finally:
            h.store.close()


def test_large_manifests_are_split_across_batch_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.outbox import ClaimedLeg

    monkeypatch.setattr(sync.worker, "MAX_ANNOUNCE_BYTES", 1000)
    monkeypatch.setattr(sync.worker, "MAX_ANNOUNCE_BATCH", 3)
    legs = [
        ClaimedLeg(uuid.uuid4(), uuid.uuid4(), TX, b"x" * size, 1)
        for size in (400, 400, 400, 10, 10, 10, 10, 5000)
    ]
    parts = sync.worker._announce_parts(legs)
    assert [[len(leg.manifest) for leg in part] for part in parts] == [
        [400, 400],  # a third would pass the byte limit
        [400, 10, 10],  # at most three
        [10, 10],
        [5000],  # larger than the limit: alone
    ]


def test_a_malformed_or_stray_answer_in_an_acknowledgement_is_ignored() -> None:
    # The answer is an optional extra: one that cannot be read (or is about another package) is
    # left for the usual question, and never costs the acknowledgement itself.
    pid = uuid.uuid4()

    def receipt(answer: Any) -> Any:
        return submitted_at_once(
            pid, Announced({"missing": [], "receipt_no": "JY1", "answer": answer}, False)
        )

    good: dict[str, Any] = {
        "package_id": str(pid),
        "state": "accepted",
        "receipt_no": "JY1",
        "reasons": [],
        "result": None,
    }
    assert receipt(good).status.state == "accepted"
    for bad in ({**good, "state": "maybe"}, {**good, "package_id": str(uuid.uuid4())}, "accepted", None):
        got = receipt(bad)
        assert got.receipt_no == "JY1" and got.status is None
