"""The delivery worker: claims due legs, delivers them, and brings the departments' answers back.

One round (:meth:`Worker.run_once`):

1. legs left ``sending`` by a worker that died (lease expired) go back to ``queued``;
2. due legs are claimed in batches (marked ``sending`` under a lease *before* any request); each
   department gets the batch's manifests in one request where it offers that (``POST /v1/packages``,
   submitted at once when nothing is missing), and the legs still to finish (attachments to upload,
   or each leg on its own where the batch request is not offered) are delivered by a bounded pool of
   ``concurrency`` threads sharing one HTTP client; a confirmed
   acknowledgement marks a leg ``delivered`` (a duplicate reply counts; the department's answer,
   when it came with the acknowledgement, is recorded with it), a retryable error puts it back to
   ``queued`` with exponential back-off and jitter, a permanent one marks it ``failed``. The
   outcomes are recorded in one transaction per batch (:meth:`~sync.outbox.OutboxStore.settle`), by a
   thread of their own while the next batch goes out — a
   worker killed before that leaves its legs ``sending``, and their redelivery is answered as a
   duplicate, so nothing is lost or delivered twice. Each leg is handled on its own, so one failing
   (or slow) leg never blocks the others;
3. delivered and accepted legs whose question is due are polled (by the same pool); answers are
   stored with the legs and move the cases (:func:`sync.outbox.case_progress`), one transaction per
   batch;
4. every ``gc_interval`` seconds, local attachments no leg still needs are deleted.

:meth:`Worker.run_forever` repeats rounds at the configured interval until stopped (``yichuang sync
run``, or the application's background thread). The worker never logs personal data: only package ids,
departments and error classes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import socket
import threading
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO, TypeVar

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.errors import SyncError
from sync.outbox import (
    Answer,
    Answered,
    AskLater,
    ClaimedLeg,
    Delivered,
    DeliveryOutcome,
    GaveUp,
    LegState,
    NotHeld,
    OutboxStore,
    PollOutcome,
    PollTarget,
    RetryLater,
    backoff,
    classify,
)
from sync.package import AttachmentRef, Department, Manifest
from sync.transport import (
    DEFAULT_CHUNK_SIZE,
    MAX_ANNOUNCE_BATCH,
    MAX_ANNOUNCE_BYTES,
    MAX_STATUS_BATCH,
    Announced,
    Credential,
    DeliveryReceipt,
    PackageStatus,
    TransportSettings,
    announce,
    deliver_signed,
    make_client,
    poll_many,
    submitted_at_once,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Prepare = Callable[[Sequence[ClaimedLeg], httpx.Client], object]
"""Called with each claimed batch before its legs are delivered (the re-check of offline cases)."""
_T = TypeVar("_T")


POLL_PAGE = 500
"""Due questions read from the outbox at a time (each department is asked in batches of these)."""


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
        batch: legs claimed per claim (at least ``concurrency``); their outcomes are recorded together.
            A claim's look-ups, manifests and records each cost one request or transaction, so fewer,
            larger claims drain a backlog faster (48: about 25% faster than 16 in the drain benchmark;
            96: the window's CPU per case about 10% below 48's, in five runs of each, 1,000 cases).
        concurrency: legs delivered (or polled) at the same time; 1 delivers one after the other.
        gc_interval: seconds between deletions of local attachments no leg still needs.
    """

    interval: float = 60.0
    lease: float = 300.0
    retry_base: float = 30.0
    retry_cap: float = 3600.0
    chunk_size: int = DEFAULT_CHUNK_SIZE
    batch: int = 96
    concurrency: int = 4
    gc_interval: float = 600.0


@dataclass
class RunSummary:
    """What a round did (``yichuang sync run --once`` prints it).

    Attributes:
        recovered: legs found ``sending`` with an expired lease and put back to ``queued``.
        purged: local attachments deleted because no leg needs them any more.
        delivered: legs acknowledged by their department in this round.
        duplicates: of those, acknowledged as already held (a retry after a crash).
        retried: legs put back to ``queued`` after a retryable error.
        failed: legs marked ``failed``.
        answers: legs whose department answered (accepted, rejected or completed), by new state.
        errors: error class names seen, with counts (no messages: they may carry personal data).
    """

    recovered: int = 0
    purged: int = 0
    delivered: int = 0
    duplicates: int = 0
    retried: int = 0
    failed: int = 0
    answers: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, other: RunSummary) -> None:
        """Add another round's counts to this one."""
        self.recovered += other.recovered
        self.purged += other.purged
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


class _Inline(ThreadPoolExecutor):
    """An executor that runs each task at once in the calling thread (``concurrency`` 1)."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)

    def submit(self, fn: Callable[..., _T], /, *args: Any, **kwargs: Any) -> Future[_T]:
        """Run ``fn`` now; its result (or exception) is in the returned future."""
        future: Future[_T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def _announce_parts(legs: Sequence[ClaimedLeg]) -> list[list[ClaimedLeg]]:
    """Legs split into batch requests of at most ``MAX_ANNOUNCE_BATCH`` legs, ``MAX_ANNOUNCE_BYTES``."""
    parts: list[list[ClaimedLeg]] = []
    size = 0
    for leg in legs:
        if not parts or len(parts[-1]) >= MAX_ANNOUNCE_BATCH or size + len(leg.manifest) > MAX_ANNOUNCE_BYTES:
            parts.append([])
            size = 0
        parts[-1].append(leg)
        size += len(leg.manifest)
    return parts


def _answer_in(status: PackageStatus | None) -> Answer | None:
    """The department's answer in a package's status; ``None`` while it is still to come."""
    if status is None or status.state == "received":
        return None
    return Answer(
        state=LegState(status.state),  # type: ignore[arg-type]  # "received" handled above
        receipt_no=status.receipt_no,
        reasons=tuple(status.reasons),
        result=status.result,
    )


def _delivered(receipt: DeliveryReceipt) -> Delivered:
    """The outcome of an acknowledged leg, with the answer when it came along."""
    return Delivered(receipt.package_id, receipt.receipt_no, receipt.duplicate, _answer_in(receipt.status))


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
        prepare: called with each claimed batch before its legs go out; a failure there is logged,
            delivery goes ahead (sending never waits for it) and the hook rests until the next round.
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
        prepare: Prepare | None = None,
    ) -> None:
        self._outbox = outbox
        self._prepare = prepare
        self._prepare_failed = False
        self._endpoints = dict(endpoints)
        self._key = signing_key
        self.settings = settings or WorkerSettings()
        self._transport = transport or TransportSettings()
        self._clock = clock
        self._rng = rng or random.Random()
        self.owner = owner or worker_id()
        self._last_gc: datetime | None = None
        self._unbatched: set[Department] = set()
        self._resting: dict[Department, Exception] = {}
        self._uploading: set[Department] = set()  # departments whose legs had scans to upload

    # ------------------------------------------------------------------------------- rounds
    def run_once(self, *, client: httpx.Client | None = None) -> RunSummary:
        """One round: recover abandoned legs, deliver everything due, ask for due answers, clean up."""
        summary = RunSummary()
        self._prepare_failed = False
        self._unbatched = set()  # asked again each round: a back end may have been upgraded
        self._resting = {}
        summary.recovered = self._outbox.release_expired(self._clock())
        with contextlib.ExitStack() as stack:
            # The client outlives the pool: legs still in flight when a round fails finish first.
            http = client if client is not None else stack.enter_context(make_client(self._transport))
            width = max(1, self.settings.concurrency)
            pool = stack.enter_context(
                _Inline() if width == 1 else ThreadPoolExecutor(width, thread_name_prefix="sync-leg")
            )
            recorder = stack.enter_context(
                _Inline() if width == 1 else ThreadPoolExecutor(1, thread_name_prefix="sync-record")
            )
            claimer = stack.enter_context(
                _Inline() if width == 1 else ThreadPoolExecutor(1, thread_name_prefix="sync-claim")
            )
            self._deliver_due(http, pool, recorder, claimer, summary)
            self._poll_due(http, pool, summary)
        now = self._clock()
        if self._last_gc is None or (now - self._last_gc).total_seconds() >= self.settings.gc_interval:
            summary.purged = self._outbox.purge_delivered_attachments()
            self._last_gc = now
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
    def _deliver_due(
        self,
        client: httpx.Client,
        pool: ThreadPoolExecutor,
        recorder: ThreadPoolExecutor,
        claimer: ThreadPoolExecutor,
        summary: RunSummary,
    ) -> None:
        """Keep ``concurrency`` legs in flight, claiming the next batch before the pool runs dry.

        Announced legs go into the pool's queue at once, and the next batch is announced while the
        pool still holds a quarter of a batch: the uploads go on while this thread waits for the
        departments (about 10% faster at 1,000 cases in the drain benchmark). The batch after it is
        claimed and re-checked by the ``claimer`` (one thread) while this one is announced, so this
        thread, which every batch passes through, only waits for the departments' replies.
        Outcomes are handed to the ``recorder`` (one thread, so their transactions never overlap)
        before each batch is announced and at the end, and recorded while this thread announces;
        so at most about two batches of acknowledged legs wait to be recorded at any time, and a
        failure to record ends the round at the next batch.
        """
        width = max(1, self.settings.concurrency)
        claim_size = max(self.settings.batch, width)
        low_water = max(width, claim_size // 4)
        lease = timedelta(seconds=self.settings.lease)
        ready: deque[tuple[ClaimedLeg, Announced | None]] = deque()
        running: dict[Future[DeliveryOutcome], ClaimedLeg] = {}
        outcomes: list[DeliveryOutcome] = []
        exhausted = False
        leased_at = self._clock()
        recording: deque[Future[None]] = deque()

        def claim_next() -> tuple[datetime, list[ClaimedLeg]]:
            at = self._clock()
            claimed = self._outbox.claim_due(
                owner=self.owner,
                now=at,
                lease=lease,
                departments=tuple(self._endpoints),
                limit=claim_size,
            )
            if claimed:
                self._prepare_batch(claimed, client)
            return at, claimed

        def claimed_next() -> list[ClaimedLeg]:
            # The claimed batch not yet announced: its leases are kept with the waiting legs'.
            if next_batch is None or not next_batch.done() or next_batch.exception() is not None:
                return []
            return next_batch.result()[1]

        next_batch: Future[tuple[datetime, list[ClaimedLeg]]] | None = None

        def record(batch: list[DeliveryOutcome]) -> None:
            if batch:
                recording.append(recorder.submit(self._settle, batch, summary))
            while recording and recording[0].done():
                recording.popleft().result()  # a failed record fails the round, as it always did

        def start_ready() -> None:
            # A pool of threads queues every announced leg, so uploads go on while this thread is
            # busy with the next batch; inline (concurrency 1) the legs go one at a time, so the
            # leases of those still waiting are kept between them.
            while ready and (width > 1 or not running):
                leg, announced = ready.popleft()
                running[pool.submit(self._attempt, leg, client, announced)] = leg

        try:
            while True:
                if not exhausted and len(ready) + len(running) <= low_water:
                    record(outcomes)
                    outcomes = []
                    leased_at, claimed = (next_batch or claimer.submit(claim_next)).result()
                    next_batch = None
                    exhausted = not claimed
                    if claimed:
                        if width > 1:  # inline (concurrency 1) nothing is claimed ahead
                            next_batch = claimer.submit(claim_next)
                        outcomes.extend(self._announce(claimed, client, ready, start_ready))
                start_ready()
                if not running:
                    if ready or not exhausted:
                        continue
                    break
                done, _ = wait(running, timeout=lease.total_seconds() / 8, return_when=FIRST_COMPLETED)
                for future in done:
                    running.pop(future)
                    outcomes.append(future.result())  # _attempt turns every error into an outcome
                if self._clock() - leased_at >= lease / 4:
                    # A batch that outlasts a lease (a slow link): record what is done, and keep the
                    # legs still waiting their turn, so no other worker takes them over and sends them
                    # again. A leg being sent keeps its own lease while its bytes flow (``_attempt``).
                    record(outcomes)
                    outcomes = []
                    waiting = [
                        leg for future, leg in running.items() if not (future.running() or future.done())
                    ]
                    leased_at = self._keep_leases([leg for leg, _ in ready] + waiting + claimed_next(), lease)
        finally:
            if next_batch is not None:  # the round ended early: the batch claimed ahead goes back
                self._hand_back(next_batch)
        record(outcomes)
        while recording:
            recording.popleft().result()

    def _hand_back(self, batch: Future[tuple[datetime, list[ClaimedLeg]]]) -> None:
        """Release the legs of a batch claimed ahead that the round ends without sending.

        Otherwise they would wait for their lease to run out and then count as recovered, as if a
        worker had died sending them. When that fails too (the database is gone), the lease does it.
        """
        try:
            _, legs = batch.result()
        except Exception:  # the claim failed: nothing is held
            return
        if not legs:
            return
        try:
            self._outbox.release([leg.package_id for leg in legs], owner=self.owner, now=self._clock())
        except Exception as exc:
            log.warning(
                "handing back %d claimed legs failed, their lease ends it: %s", len(legs), type(exc).__name__
            )

    def _keep_leases(self, legs: Sequence[ClaimedLeg], lease: timedelta) -> datetime:
        """Extend the leases of claimed legs waiting for a free slot; returns when.

        Over a slow link a claimed batch takes longer to send than a lease lasts (twenty 1 MB scans
        at 256 kbit/s take over ten minutes); a leg waiting its turn must not be taken over by another
        worker meanwhile, which would send it a second time (harmless, but the link's time wasted).
        """
        now = self._clock()
        for leg in legs:
            self._outbox.extend_lease(leg.package_id, owner=self.owner, until=now + lease)
        return now

    def _announce(
        self,
        legs: Sequence[ClaimedLeg],
        client: httpx.Client,
        ready: deque[tuple[ClaimedLeg, Announced | None]],
        start_ready: Callable[[], None],
    ) -> list[DeliveryOutcome]:
        """Send each department its legs' manifests in one request; the legs finished by it.

        A leg the department submitted at once is done; one with attachments to upload is queued in
        ``ready`` with the department's answer, and ``start_ready`` starts the uploads as soon as that
        department has answered, while the next one is asked (the department that had uploads last
        time is asked first); one whose department does not offer the batch request is queued to be
        delivered on its own. A request that fails as a whole counts as a failed attempt
        of each of its legs (retried with back-off, like a failed ``PUT``), and the department rests
        for the rest of the round: its later legs wait for their back-off with the same error. A
        department that is down or hangs until the timeout therefore holds the round up once, not
        once per batch.
        """
        by_department: dict[Department, list[ClaimedLeg]] = {}
        for leg in legs:
            by_department.setdefault(leg.department, []).append(leg)
        finished: list[DeliveryOutcome] = []
        for department in sorted(by_department, key=lambda d: d not in self._uploading):
            group = by_department[department]
            if department in self._unbatched:
                ready.extend((leg, None) for leg in group)
                continue
            if department in self._resting:
                finished.extend(self._failure(leg, self._resting[department]) for leg in group)
                continue
            endpoint = self._endpoints[department]
            parts = _announce_parts(group)
            for index, part in enumerate(parts):
                try:
                    answers = announce(
                        [(leg.package_id, leg.manifest) for leg in part],
                        endpoint.base_url,
                        endpoint.credential,
                        self._key,
                        client=client,
                    )
                except Exception as exc:  # each leg records the failed attempt
                    self._resting[department] = exc
                    finished.extend(self._failure(leg, exc) for rest in parts[index:] for leg in rest)
                    break
                if answers is None:
                    self._unbatched.add(department)
                    ready.extend((leg, None) for rest in parts[index:] for leg in rest)
                    break
                for leg, answer in zip(part, answers, strict=True):
                    if isinstance(answer, Exception):
                        finished.append(self._failure(leg, answer))
                    elif (receipt := submitted_at_once(leg.package_id, answer)) is not None:
                        finished.append(_delivered(receipt))
                    else:
                        ready.append((leg, answer))
                        self._uploading.add(department)
            start_ready()
        return finished

    def _prepare_batch(self, legs: Sequence[ClaimedLeg], client: httpx.Client) -> None:
        """Run the prepare hook on a claimed batch; after a failure, not again this round.

        A look-up before sending never holds the delivery back: when it fails (登记 down or timing
        out), the batch goes out anyway and later batches of the round skip it, so a department that
        is down slows the others' legs at most once per round.
        """
        if self._prepare is None or self._prepare_failed:
            return
        try:
            self._prepare(legs, client)
        except Exception as exc:
            self._prepare_failed = True
            log.warning("preparing %d legs failed, skipped for this round: %s", len(legs), type(exc).__name__)

    def _attempt(
        self, leg: ClaimedLeg, client: httpx.Client, announced: Announced | None = None
    ) -> DeliveryOutcome:
        """Deliver one leg (in a pool thread); never raises: an error becomes a retry or a failure.

        ``announced`` is the department's answer when the manifest already went out in a batch.
        """
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
            # The stored bytes are the canonical manifest built at submit; the store's authenticated
            # encryption guarantees they are unchanged, so they are signed and sent as they are.
            manifest = Manifest.model_validate_json(leg.manifest)
            receipt = deliver_signed(
                manifest,
                leg.manifest,
                self._open,
                endpoint.base_url,
                endpoint.credential,
                self._key,
                self.settings.chunk_size,
                client=client,
                on_bytes=keep_lease,
                announced=announced,
            )
        except Exception as exc:  # each leg on its own: one failure never blocks the others
            return self._failure(leg, exc)
        return _delivered(receipt)

    def _open(self, ref: AttachmentRef) -> BinaryIO:
        return self._outbox.open_attachment(ref.sha256)

    def _failure(self, leg: ClaimedLeg, exc: Exception) -> DeliveryOutcome:
        kind = type(exc).__name__
        if classify(exc) == "retry" and isinstance(exc, SyncError):
            wait_for = backoff(
                leg.attempts, base=self.settings.retry_base, cap=self.settings.retry_cap, rng=self._rng
            )
            log.info(
                "leg %s to %s: %s, retry in %.0f s",
                leg.package_id,
                leg.department.value,
                kind,
                wait_for.total_seconds(),
            )
            return RetryLater(leg.package_id, exc, self._clock() + wait_for)
        if not isinstance(exc, SyncError):
            log.error("leg %s to %s failed with an unexpected %s", leg.package_id, leg.department.value, kind)
        log.warning("leg %s to %s failed: %s", leg.package_id, leg.department.value, kind)
        return GaveUp(leg.package_id, exc)

    def _settle(self, outcomes: Sequence[DeliveryOutcome], summary: RunSummary) -> None:
        if not outcomes:
            return
        now = self._clock()
        recorded = self._outbox.settle(
            outcomes, owner=self.owner, now=now, next_poll_at=self._next_question(now)
        )
        for outcome, held in zip(outcomes, recorded, strict=True):
            if isinstance(outcome, Delivered):
                if held:
                    summary.delivered += 1
                    summary.duplicates += int(outcome.duplicate)
                    if outcome.answer is not None:
                        summary.answers[outcome.answer.state.value] += 1
                    log.info("delivered %s", outcome.package_id)
                continue
            summary.errors[type(outcome.error).__name__] += 1
            if held and isinstance(outcome, RetryLater):
                summary.retried += 1
            elif held:
                summary.failed += 1

    # ------------------------------------------------------------------------------ answers
    def _poll_due(self, client: httpx.Client, pool: ThreadPoolExecutor, summary: RunSummary) -> None:
        """Ask about every due package, a page of them at a time, until none is due.

        Each answer (or "ask later") moves the leg's next question into the future, so a page never
        comes round again in the same round; a leg seen twice (its outcome not recorded) ends the round.
        """
        asked: set[uuid.UUID] = set()
        while True:
            targets = self._outbox.due_polls(
                now=self._clock(), departments=tuple(self._endpoints), limit=POLL_PAGE
            )
            fresh = [t for t in targets if t.package_id not in asked]
            if not fresh:
                return
            asked.update(t.package_id for t in fresh)
            self._poll_page(fresh, client, pool, summary)
            if len(targets) < POLL_PAGE:
                return

    def _poll_page(
        self,
        targets: Sequence[PollTarget],
        client: httpx.Client,
        pool: ThreadPoolExecutor,
        summary: RunSummary,
    ) -> None:
        """Ask each department about some due packages, a batch per request, and record the answers."""
        by_department: dict[Department, list[PollTarget]] = {}
        for target in targets:
            by_department.setdefault(target.department, []).append(target)
        step = MAX_STATUS_BATCH
        batches = [
            group[start : start + step]
            for group in by_department.values()
            for start in range(0, len(group), step)
        ]
        for outcomes in pool.map(lambda batch: self._ask(batch, client), batches):
            self._settle_polls(outcomes, summary)

    def _ask(self, targets: Sequence[PollTarget], client: httpx.Client) -> list[PollOutcome]:
        """Ask one department about some packages (in a pool thread); never raises."""
        endpoint = self._endpoints[targets[0].department]
        try:
            statuses = poll_many(
                [t.package_id for t in targets], endpoint.base_url, endpoint.credential, client=client
            )
        except SyncError as exc:
            return [AskLater(t.package_id, exc) for t in targets]
        except Exception as exc:  # a bug in an answer's handling must not stop the other questions
            log.error(
                "asking %s for answers failed with an unexpected %s",
                targets[0].department.value,
                type(exc).__name__,
            )
            return [AskLater(t.package_id, None) for t in targets]
        outcomes: list[PollOutcome] = []
        for target in targets:
            status = statuses.get(target.package_id)
            if status is None:  # the back end lost it: deliver again (same id, same bytes)
                outcomes.append(NotHeld(target.package_id, "部门系统未找到该数据包"))
            elif (answer := _answer_in(status)) is None or answer.state is target.state:
                outcomes.append(AskLater(target.package_id, None))
            else:
                outcomes.append(Answered(target.package_id, answer))
        return outcomes

    def _next_question(self, now: datetime) -> datetime:
        """When a leg that has just been answered (or not yet) is asked about again."""
        return now + timedelta(seconds=self.settings.interval)

    def _settle_polls(self, outcomes: Iterable[PollOutcome], summary: RunSummary) -> None:
        batch = list(outcomes)
        if not batch:
            return
        now = self._clock()
        moves = self._outbox.settle_polls(batch, now=now, next_poll_at=self._next_question(now))
        for outcome, move in zip(batch, moves, strict=True):
            if isinstance(outcome, Answered) and move is not None:
                summary.answers[outcome.answer.state.value] += 1
            elif isinstance(outcome, NotHeld):
                summary.errors["NotHeld"] += 1
            elif isinstance(outcome, AskLater) and outcome.error is not None:
                summary.errors[type(outcome.error).__name__] += 1
