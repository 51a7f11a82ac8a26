"""Faults between the worker and the reference back ends: afterwards nothing lost, nothing twice.

The worker talks to the back ends through :class:`sync.faultproxy.FaultProxy` on 127.0.0.1, which
refuses connections, resets uploads, stalls, answers 5xx, throttles, duplicates and reorders requests
and replies, and corrupts blob chunks. After each fault the outbox is drained and the back ends count
what they acknowledged: every leg exactly once.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync.backends import DepartmentScript, ReferenceBackends
from sync.faultproxy import Fault, FaultProxy
from sync.outbox import LegState
from sync.package import Department
from sync.transport import SUBMIT_HEADER, TransportSettings, make_client
from tests.sync.harness import Harness, harness_in, proxied_urls
from workstation.storage.errors import DiskFull
from workstation.sync_service import OutgoingAttachment

CHUNK = 16 * 1024
TIMEOUT = 0.5


@pytest.fixture
def backends(tmp_path: Path) -> Iterator[ReferenceBackends]:
    with ReferenceBackends(tmp_path / "backends.sqlite") as running:
        yield running


@pytest.fixture
def proxy(backends: ReferenceBackends) -> Iterator[FaultProxy]:
    with FaultProxy(backends.port) as running:
        yield running


def _harness(tmp_path: Path, url: str, proxy: FaultProxy, backends: ReferenceBackends) -> Harness:
    h = harness_in(tmp_path, backends, url=url, **proxied_urls(proxy, backends))
    h.enrol()
    return h


@pytest.fixture
def h(tmp_path: Path, proxy: FaultProxy, backends: ReferenceBackends) -> Iterator[Harness]:
    harness = _harness(tmp_path, f"sqlite:///{tmp_path / 'window.db'}", proxy, backends)
    yield harness
    harness.store.close()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client(TransportSettings(connect_timeout=TIMEOUT, read_timeout=TIMEOUT)) as c:
        yield c


def _cases(h: Harness, n: int = 2) -> list[uuid.UUID]:
    return [
        h.submitted_case(
            attachments=[
                OutgoingAttachment(os.urandom(3 * CHUNK + 1000 * (i + 1)), f"{i}.pdf", "application/pdf")
            ]
        ).id
        for i in range(n)
    ]


def _drain(h: Harness, client: httpx.Client, rounds: int = 12) -> None:
    worker = h.service.worker(chunk_size=CHUNK, lease=30)
    for _ in range(rounds):
        worker.run_once(client=client)
        pending = h.service.outbox.counts()
        if pending[LegState.QUEUED] + pending[LegState.SENDING] == 0:
            return
        h.clock.advance(seconds=700)  # past the longest back-off (600 s) and any lease
    raise AssertionError(f"not drained: {h.service.outbox.counts()}")


def _assert_exactly_once(h: Harness, backends: ReferenceBackends, cases: list[uuid.UUID]) -> None:
    for department in Department:
        held = {d.package_id: d for d in backends.deliveries(department)}
        per_case = Counter(d.case_id for d in held.values())
        assert all(n == 1 for n in per_case.values()), per_case  # never twice
        for case_id in cases:
            [leg] = [v for v in h.service.legs(case_id) if v.department is department]
            assert leg.state not in (LegState.QUEUED, LegState.SENDING, LegState.FAILED), leg
            assert held[str(leg.package_id)].receipt_no == leg.receipt_no  # never lost
    blobs = [d.package_id for d in backends.deliveries(Department.REGISTRATION)]
    assert len(blobs) == len(cases)


FAULTS = {
    "reset_mid_upload": [Fault("reset", method="PUT", path="/blobs/", times=3, skip=1)],
    "timeout_before_the_back_end": [Fault("stall", method="POST", path="/submit", delay=TIMEOUT * 2)],
    "timeout_after_the_back_end_acted": [
        Fault("stall", method="POST", path="/submit", delay=TIMEOUT * 2, forward=True, times=2),
        Fault("stall", method="PUT", path="/packages/", delay=TIMEOUT * 2, forward=True),
    ],
    "http_500_502_503": [
        Fault("status", status=500, method="PUT", path="/packages/"),
        Fault("status", status=502, method="HEAD"),
        Fault("status", status=503, method="POST", path="/submit"),
        Fault("status", status=503, method="GET", path="/packages/"),
    ],
    "duplicate_requests": [
        Fault("duplicate", method="POST", path="/submit", times=3),
        Fault("duplicate", method="PUT", times=4),
    ],
    "duplicate_replies": [Fault("duplicate_reply", times=6)],
    "reordered_requests": [
        Fault("reorder", method="PUT", path="/blobs/", delay=0.3, skip=1),
        Fault("reorder", method="POST", path="/submit", delay=0.3),
    ],
    "corrupted_blob": [Fault("corrupt", method="PUT", path="/blobs/", times=2)],
    # The chunk completing a package's last blob also submits it (Yichuang-Submit): the same faults.
    "timeout_before_the_submitting_chunk": [
        Fault("stall", method="PUT", path="/blobs/", header=SUBMIT_HEADER, delay=TIMEOUT * 2)
    ],
    "timeout_after_the_submitting_chunk_acted": [
        Fault("stall", method="PUT", path="/blobs/", header=SUBMIT_HEADER, delay=TIMEOUT * 2, forward=True)
    ],
    "http_503_on_the_submitting_chunk": [
        Fault("status", status=503, method="PUT", path="/blobs/", header=SUBMIT_HEADER)
    ],
    "duplicate_submitting_chunk": [
        Fault("duplicate", method="PUT", path="/blobs/", header=SUBMIT_HEADER, times=2)
    ],
    "reordered_submitting_chunk": [
        Fault("reorder", method="PUT", path="/blobs/", header=SUBMIT_HEADER, delay=0.3)
    ],
    # A batch of manifests (POST /v1/packages), submitted at once where nothing is missing: the same.
    "timeout_before_the_batch": [Fault("stall", method="POST", path="/packages$", delay=TIMEOUT * 2)],
    "timeout_after_the_batch_acted": [
        Fault("stall", method="POST", path="/packages$", delay=TIMEOUT * 2, forward=True, times=2)
    ],
    "http_503_on_the_batch": [Fault("status", status=503, method="POST", path="/packages$", times=2)],
    "duplicate_batch": [Fault("duplicate", method="POST", path="/packages$", times=3)],
    "reordered_batch": [Fault("reorder", method="POST", path="/packages$", delay=0.3)],
    "reset_during_the_batch": [Fault("reset", method="POST", path="/packages$", times=2)],
}
PLAIN = {
    "timeout_before_the_back_end",
    "timeout_after_the_back_end_acted",
    "http_500_502_503",
    "duplicate_requests",
    "reordered_requests",
}
"""Faults on ``POST …/submit`` and ``HEAD``: run against back ends that offer none of the shortcuts."""


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_then_drain_delivers_each_leg_once(
    name: str, h: Harness, proxy: FaultProxy, backends: ReferenceBackends, client: httpx.Client
) -> None:
    cases = _cases(h)
    if name in PLAIN:
        for department in Department:
            backends.set_script(department, DepartmentScript(plain_protocol=True))
    proxy.add(*FAULTS[name])
    first = h.service.worker(chunk_size=CHUNK, lease=30).run_once(client=client)
    assert sum(proxy.stats.faults.values()) >= 1, proxy.stats  # the fault did happen
    assert first.failed == 0  # transient faults never need a person
    _drain(h, client)
    time.sleep(0.5)  # late (reordered) requests reach the back end now
    _drain(h, client)
    _assert_exactly_once(h, backends, cases)


def test_connection_refused_then_back(
    h: Harness, proxy: FaultProxy, backends: ReferenceBackends, client: httpx.Client
) -> None:
    cases = _cases(h)
    proxy.refuse()
    summary = h.service.worker().run_once(client=client)
    assert summary.retried == 6 and summary.errors == {"ServerUnavailable": 6}
    [leg] = [v for v in h.service.legs(cases[0]) if v.department is Department.TAX]
    assert leg.last_error is not None and "暂时无法连接" in leg.last_error
    proxy.resume()
    _drain(h, client)
    _assert_exactly_once(h, backends, cases)


def test_a_back_end_down_for_a_week(
    h: Harness, proxy: FaultProxy, backends: ReferenceBackends, client: httpx.Client
) -> None:
    cases = _cases(h, 1)
    backends.set_script(Department.TAX, DepartmentScript(down=True))
    worker = h.service.worker(chunk_size=CHUNK)
    for _ in range(40):  # a week of rounds, each at the next due attempt
        worker.run_once(client=client)
        [tax] = [v for v in h.service.legs(cases[0]) if v.department is Department.TAX]
        assert tax.state is LegState.QUEUED
        wait = (tax.next_attempt_at - h.clock.now).total_seconds()
        assert 0 < wait <= 600  # capped back-off (sync_retry_max_seconds)
        h.clock.advance(seconds=wait + 1)
    assert tax.attempts == 40
    backends.set_script(Department.TAX, DepartmentScript())
    _drain(h, client)
    _assert_exactly_once(h, backends, cases)


def test_slow_link_delivers_at_the_link_speed(
    h: Harness, proxy: FaultProxy, backends: ReferenceBackends
) -> None:
    cases = _cases(h, 1)
    rate = 400_000.0
    proxy.throttle = rate
    start = time.perf_counter()
    with make_client() as slow:
        h.service.worker(chunk_size=CHUNK).run_once(client=slow)
    elapsed = time.perf_counter() - start
    assert elapsed >= proxy.stats.bytes_up / rate * 0.8  # the throttle did hold the link back
    _assert_exactly_once(h, backends, cases)


# --------------------------------------------------------------------------------- full disk
def _mount_tiny_tmpfs(where: Path) -> bool:
    """A 4 MiB tmpfs (root only); False when this machine does not allow it."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    where.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)], capture_output=True, check=False
    )
    return result.returncode == 0


def _fill(where: Path) -> Path:
    filler = where / "filler"
    with open(filler, "wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 4096)
    return filler


def test_full_disk_on_the_workstation_loses_nothing(
    tmp_path: Path, proxy: FaultProxy, backends: ReferenceBackends, client: httpx.Client
) -> None:
    disk = tmp_path / "disk"
    if not _mount_tiny_tmpfs(disk):
        pytest.skip("a small filesystem cannot be mounted here (needs root)")
    try:
        h = _harness(tmp_path, f"sqlite:///{disk / 'window.db'}", proxy, backends)
        try:
            [case_id] = _cases(h, 1)
            worker = h.service.worker(chunk_size=CHUNK, lease=30)
            outbox = h.service.outbox
            real_settle = outbox.settle
            filled: list[Path] = []

            def disk_fills_up(outcomes: Any, **kwargs: Any) -> list[bool]:
                if not filled:  # the back end acknowledged; now the disk is full
                    filled.append(_fill(disk))
                return real_settle(outcomes, **kwargs)

            outbox.settle = disk_fills_up  # type: ignore[method-assign]
            with pytest.raises(DiskFull):
                worker.run_once(client=client)
            acknowledged = sum(len(backends.deliveries(d)) for d in Department)
            assert acknowledged >= 1  # acknowledged, not recorded
            assert len(backends.deliveries(Department.TRANSACTION)) == 1
            filled[0].unlink()  # the administrator frees space
            h.clock.advance(seconds=31)  # the lease runs out
            summary = worker.run_once(client=client)
            assert summary.recovered == acknowledged and summary.duplicates == acknowledged
            _drain(h, client)
            _assert_exactly_once(h, backends, [case_id])
        finally:
            h.store.close()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_department_that_hangs_holds_the_round_up_once(
    h: Harness, proxy: FaultProxy, backends: ReferenceBackends, client: httpx.Client
) -> None:
    cases = [h.submitted_case().id for _ in range(5)]  # fifteen legs, claimed four at a time
    proxy.add(Fault("stall", method="POST", path="/tax/v1/packages$", delay=TIMEOUT * 2, times=10))
    summary = h.service.worker(batch=4).run_once(client=client)
    assert proxy.stats.faults["stall"] == 1  # 税务 timed out once; its later legs wait for the back-off
    assert summary.delivered == 10 and summary.retried == 5 and summary.failed == 0
    assert summary.errors == Counter({"ServerUnavailable": 5})
    proxy.clear()
    _drain(h, client)
    _assert_exactly_once(h, backends, cases)
