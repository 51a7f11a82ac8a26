"""The outbox's pure rules: what an error does to a leg, the back-off, how answers move the case."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from forms.states import CaseState
from sync.errors import AuthFailed, BlobCorrupt, Conflict, ServerRejected, ServerUnavailable, TransportError
from sync.outbox import Answer, LegState, backoff, case_progress, classify, departments_of
from sync.package import Department

Q, D, A, R, C, F = (
    LegState.QUEUED,
    LegState.DELIVERED,
    LegState.ACCEPTED,
    LegState.REJECTED,
    LegState.COMPLETED,
    LegState.FAILED,
)


def test_leg_state_names_are_the_issue_s() -> None:
    assert [s.value for s in LegState] == [
        "queued",
        "sending",
        "delivered",
        "accepted",
        "rejected",
        "completed",
        "failed",
    ]


@pytest.mark.parametrize(
    ("error", "disposition"),
    [
        (ServerUnavailable("HTTP 503", 503), "retry"),
        (BlobCorrupt("0" * 64, "传输损坏", retryable=True), "retry"),
        (BlobCorrupt("0" * 64, "本地损坏"), "failed"),
        (Conflict("p"), "failed"),
        (ServerRejected(["缺少字段"], 400), "failed"),
        (AuthFailed("凭据无效", 401), "failed"),
        (TransportError("证书"), "failed"),
        (ValueError("bug"), "failed"),
    ],
)
def test_classify(error: Exception, disposition: str) -> None:
    assert classify(error) == disposition


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    rng = random.Random(5)
    waits = [backoff(n, base=10, cap=300, rng=rng) for n in range(1, 10)]
    for n, wait in enumerate(waits, start=1):
        ceiling = min(300, 10 * 2 ** (n - 1))
        assert timedelta(seconds=ceiling / 2) <= wait <= timedelta(seconds=ceiling)
    assert max(waits) <= timedelta(seconds=300)
    assert len({w.total_seconds() for w in waits}) == len(waits)  # jittered
    assert backoff(10_000, base=10, cap=300) <= timedelta(seconds=300)  # no overflow


@pytest.mark.parametrize(
    ("current", "legs", "moves"),
    [
        ("submitted", [Q, D, D], ()),
        ("submitted", [D, A, D], ("in_progress",)),
        ("in_progress", [A, C, D], ()),
        ("submitted", [C, C, C], ("in_progress", "completed")),
        ("in_progress", [C, C, C], ("completed",)),
        ("submitted", [A, R, D], ("returned",)),
        ("in_progress", [C, R, C], ("returned",)),
        ("returned", [A, R, A], ()),  # already returned
        ("on_hold", [C, C, C], ()),  # held: the state machine decides, nothing moves
        ("cancelled", [A, A, A], ()),
        ("submitted", [F, A, D], ("in_progress",)),  # a failed leg waits for a person
        ("submitted", [], ()),
    ],
)
def test_case_progress(current: str, legs: list[LegState], moves: tuple[str, ...]) -> None:
    assert case_progress(current, legs) == tuple(CaseState(m) for m in moves)


def test_answer_round_trips_through_json() -> None:
    answer = Answer(LegState.REJECTED, "JY1", ("原因一", "原因二"), None)
    assert Answer.from_json(answer.to_json()) == answer
    with pytest.raises(ValueError):
        Answer.from_json({"state": "queued"})


def test_catalog_department_names_map_to_departments() -> None:
    assert departments_of(["transaction", "tax", "registration"]) == tuple(Department)
    with pytest.raises(ValueError):
        departments_of(["housing"])
