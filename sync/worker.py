"""The delivery worker: claims due legs, delivers them, and brings the departments' answers back.

One round (:meth:`Worker.run_once`):

1. legs left ``sending`` by a worker that died (lease expired) go back to ``queued``;
2. due legs are claimed one at a time (marked ``sending`` under a lease *before* any request) and
   delivered; a confirmed acknowledgement marks them ``delivered`` (a duplicate reply counts), a
   retryable error puts them back to ``queued`` with exponential back-off and jitter, a permanent one
   marks them ``failed``. Each leg is handled on its own, so one failing leg never blocks the others;
3. delivered and accepted legs whose question is due are polled; an answer is stored with the leg and
   moves the case (:func:`sync.outbox.case_progress`).

:meth:`Worker.run_forever` repeats rounds at the configured interval until stopped (``yichuang sync
run``, or the application's background thread). The worker never logs personal data: only package ids,
departments and error classes.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.errors import ServerRejected, SyncError, TransportError
from sync.outbox import Answer, ClaimedLeg, LegState, OutboxStore, PollTarget, backoff, classify
from sync.package import AttachmentRef, Department, Manifest, canonical_bytes
from sync.transport import DEFAULT_CHUNK_SIZE, Credential, TransportSettings, deliver, make_client, poll

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Endpoint:
    """Where and as whom a department is reached.

    Attributes:
        base_url: the department's base URL (configuration).
        credential: the bearer credential from enrolment.
    """

    base_url: str
    credential: Credential = field(repr=False)


@dataclass(frozen=True)
class WorkerSettings:
    """How the worker paces itself.

    Attributes:
        interval: seconds between rounds of :meth:`Worker.run_forever`; also the wait before asking a
            department again for its answer.
        lease: seconds a claim holds a leg; a worker that dies leaves it to others after this.
        retry_base: seconds before the first retry (doubles with each attempt, with jitter).
        retry_cap: the longest wait between retries in seconds.
        chunk_size: bytes per attachment chunk.
        batch: legs claimed per claim.
    """

    interval: float = 60.0
    lease: float = 300.0
    retry_base: float = 30.0
    retry_cap: float = 3600.0
    chunk_size: int = DEFAULT_CHUNK_SIZE
    batch: int = 1


@dataclass
class RunSummary:
    """What a round did (``yichuang sync run --once`` prints it).

    Attributes:
        recovered: legs found ``sending`` with an expired lease and put back to ``queued``.
        delivered: legs acknowledged by their department in this round.
        duplicates: of those, acknowledged as already held (a retry after a crash).
        retried: legs put back to ``queued`` after a retryable error.
        failed: legs marked ``failed``.
        answers: legs whose department answered (accepted, rejected or completed), by new state.
        errors: error class names seen, with counts (no messages: they may carry personal data).
    """

    recovered: int = 0
    delivered: int = 0
    duplicates: int = 0
    retried: int = 0
    failed: int = 0
    answers: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, other: RunSummary) -> None:
        """Add another round's counts to this one."""
        self.recovered += other.recovered
        self.delivered += other.delivered
        self.duplicates += other.duplicates
        self.retried += other.retried
        self.failed += other.failed
        self.answers.update(other.answers)
        self.errors.update(other.errors)

    def describe(self) -> str:
        """A one-line Chinese summary."""
        parts = [f"送达 {self.delivered} 个数据包"]
        if self.duplicates:
            parts.append(f"其中 {self.duplicates} 个部门已持有（重发）")
        if self.recovered:
            parts.append(f"恢复中断发送 {self.recovered} 个")
        if self.retried:
            parts.append(f"稍后重试 {self.retried} 个")
        if self.failed:
            parts.append(f"失败需人工处理 {self.failed} 个")
        labels = {"accepted": "已受理", "rejected": "已退回", "completed": "已办结"}
        for state, count in sorted(self.answers.items()):
            parts.append(f"部门答复{labels.get(state, state)} {count} 个")
        return "；".join(parts)


def worker_id() -> str:
    """A lease owner id unique to this process: host, pid and a random suffix."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    """Delivers the outbox's legs and polls for answers.

    Args:
        outbox: the outbox storage.
        endpoints: the enrolled departments; legs of other departments stay queued.
        signing_key: the workstation's Ed25519 key.
        settings: pacing.
        transport: TLS, proxy and timeouts.
        clock: the time source.
        rng: the jitter source.
        owner: the lease owner id (unique per process by default).
    """

    def __init__(
        self,
        outbox: OutboxStore,
        endpoints: Mapping[Department, Endpoint],
        signing_key: Ed25519PrivateKey,
        *,
        settings: WorkerSettings | None = None,
        transport: TransportSettings | None = None,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        owner: str | None = None,
    ) -> None:
        self._outbox = outbox
        self._endpoints = dict(endpoints)
        self._key = signing_key
        self.settings = settings or WorkerSettings()
        self._transport = transport or TransportSettings()
        self._clock = clock
        self._rng = rng or random.Random()
        self.owner = owner or worker_id()

    # ------------------------------------------------------------------------------- rounds
    def run_once(self, *, client: httpx.Client | None = None) -> RunSummary:
        """One round: recover abandoned legs, deliver everything due, ask for due answers."""
        summary = RunSummary()
        summary.recovered = self._outbox.release_expired(self._clock())
        if client is None:
            with make_client(self._transport) as own:
                self._deliver_due(own, summary)
                self._poll_due(own, summary)
        else:
            self._deliver_due(client, summary)
            self._poll_due(client, summary)
        self._outbox.purge_delivered_attachments()
        return summary

    def run_forever(
        self, stop: threading.Event, *, on_round: Callable[[RunSummary], object] | None = None
    ) -> None:
        """Run rounds every ``settings.interval`` seconds until ``stop`` is set.

        A round that fails as a whole (the database unreachable, the disk full) is logged by its error
        class and the next round tries again: the legs' states are durable, nothing is lost.
        """
        with make_client(self._transport) as client:
            while not stop.is_set():
                try:
                    summary = self.run_once(client=client)
                except Exception as exc:  # the service keeps running; the next round retries
                    log.error("sync round failed: %s", type(exc).__name__)
                else:
                    if on_round is not None:
                        on_round(summary)
                stop.wait(self.settings.interval)

    # ----------------------------------------------------------------------------- delivery
    def _deliver_due(self, client: httpx.Client, summary: RunSummary) -> None:
        while True:
            claimed = self._outbox.claim_due(
                owner=self.owner,
                now=self._clock(),
                lease=timedelta(seconds=self.settings.lease),
                departments=tuple(self._endpoints),
                limit=self.settings.batch,
            )
            if not claimed:
                return
            for leg in claimed:
                self._deliver_one(leg, client, summary)

    def _deliver_one(self, leg: ClaimedLeg, client: httpx.Client, summary: RunSummary) -> None:
        endpoint = self._endpoints[leg.department]
        lease = timedelta(seconds=self.settings.lease)
        renewed = [self._clock()]

        def keep_lease(_size: int) -> None:
            # A long upload (a 20-page case over a slow link) must not lose its lease half-way.
            now = self._clock()
            if now - renewed[0] >= lease / 2:
                self._outbox.extend_lease(leg.package_id, owner=self.owner, until=now + lease)
                renewed[0] = now

        try:
            manifest = Manifest.model_validate_json(leg.manifest)
            if canonical_bytes(manifest) != leg.manifest:
                raise TransportError("待发送数据包的内容与提交时不一致")
            receipt = deliver(
                manifest,
                self._open,
                endpoint.base_url,
                endpoint.credential,
                self._key,
                self.settings.chunk_size,
                client=client,
                on_bytes=keep_lease,
            )
        except Exception as exc:  # each leg on its own: one failure never blocks the others
            self._record_failure(leg, exc, summary)
            return
        if self._outbox.mark_delivered(
            leg.package_id, owner=self.owner, receipt_no=receipt.receipt_no, now=self._clock()
        ):
            summary.delivered += 1
            summary.duplicates += int(receipt.duplicate)
            log.info("delivered %s to %s", leg.package_id, leg.department.value)

    def _open(self, ref: AttachmentRef) -> BinaryIO:
        return self._outbox.open_attachment(ref.sha256)

    def _record_failure(self, leg: ClaimedLeg, exc: Exception, summary: RunSummary) -> None:
        kind = type(exc).__name__
        summary.errors[kind] += 1
        now = self._clock()
        if classify(exc) == "retry" and isinstance(exc, SyncError):
            wait = backoff(
                leg.attempts, base=self.settings.retry_base, cap=self.settings.retry_cap, rng=self._rng
            )
            if self._outbox.mark_retry(
                leg.package_id, owner=self.owner, error=exc, next_attempt_at=now + wait, now=now
            ):
                summary.retried += 1
            log.info(
                "leg %s to %s: %s, retry in %.0f s",
                leg.package_id,
                leg.department.value,
                kind,
                wait.total_seconds(),
            )
            return
        if not isinstance(exc, SyncError):
            log.error("leg %s to %s failed with an unexpected %s", leg.package_id, leg.department.value, kind)
        if self._outbox.mark_failed(leg.package_id, owner=self.owner, error=exc, now=now):
            summary.failed += 1
        log.warning("leg %s to %s failed: %s", leg.package_id, leg.department.value, kind)

    # ------------------------------------------------------------------------------ answers
    def _poll_due(self, client: httpx.Client, summary: RunSummary) -> None:
        targets = self._outbox.due_polls(now=self._clock(), departments=tuple(self._endpoints), limit=500)
        for target in targets:
            self._poll_one(target, client, summary)

    def _poll_one(self, target: PollTarget, client: httpx.Client, summary: RunSummary) -> None:
        endpoint = self._endpoints[target.department]
        interval = timedelta(seconds=self.settings.interval)
        try:
            status = poll(target.package_id, endpoint.base_url, endpoint.credential, client=client)
        except ServerRejected as exc:
            if exc.status == 404:  # the back end lost it: deliver again (same id, same bytes)
                self._outbox.requeue(target.package_id, now=self._clock(), reason="部门系统未找到该数据包")
                summary.errors["NotHeld"] += 1
                return
            summary.errors[type(exc).__name__] += 1
            self._outbox.poll_later(
                target.package_id, at=self._clock() + interval, error=exc, now=self._clock()
            )
            return
        except SyncError as exc:
            summary.errors[type(exc).__name__] += 1
            self._outbox.poll_later(
                target.package_id, at=self._clock() + interval, error=exc, now=self._clock()
            )
            return
        if status.state == "received" or LegState(status.state) is target.state:
            self._outbox.poll_later(
                target.package_id, at=self._clock() + interval, error=None, now=self._clock()
            )
            return
        answer = Answer(
            state=LegState(status.state),  # type: ignore[arg-type]  # "received" handled above
            receipt_no=status.receipt_no,
            reasons=tuple(status.reasons),
            result=status.result,
        )
        now = self._clock()
        if self._outbox.record_answer(target.package_id, answer, now=now, next_poll_at=now + interval):
            summary.answers[status.state] += 1
