"""The case state machine: the table, the hold/resume rule and refusal reasons."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.errors import TransitionNotAllowed
from forms.states import (
    HOLDABLE_STATES,
    STATE_LABELS,
    TERMINAL_STATES,
    TRANSITIONS,
    CaseState,
    allowed_next,
    check_transition,
    held_from_state,
    label,
    reasons_of,
)

S = CaseState
REASON = ["缺少不动产权证书原件"]

EXPECTED = {
    (S.DRAFT, S.READY),
    (S.DRAFT, S.ON_HOLD),
    (S.DRAFT, S.CANCELLED),
    (S.READY, S.DRAFT),
    (S.READY, S.SUBMITTED),
    (S.READY, S.ON_HOLD),
    (S.READY, S.CANCELLED),
    (S.SUBMITTED, S.IN_PROGRESS),
    (S.SUBMITTED, S.RETURNED),
    (S.SUBMITTED, S.REFUSED),
    (S.SUBMITTED, S.ON_HOLD),
    (S.SUBMITTED, S.CANCELLED),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.IN_PROGRESS, S.RETURNED),
    (S.IN_PROGRESS, S.REFUSED),
    (S.IN_PROGRESS, S.ON_HOLD),
    (S.IN_PROGRESS, S.CANCELLED),
    (S.RETURNED, S.DRAFT),
    (S.RETURNED, S.READY),
    (S.RETURNED, S.ON_HOLD),
    (S.RETURNED, S.CANCELLED),
}
"""The allowed transitions out of every state but on_hold, written out independently of the table."""


def test_every_state_has_a_chinese_label_and_a_table_row():
    assert set(STATE_LABELS) == set(CaseState) == set(TRANSITIONS)
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in STATE_LABELS.values())
    assert label("refused") == "不予受理"
    assert label("nonsense") == "nonsense"


def test_table_matches_the_intended_rules():
    table = {(a, b) for a, targets in TRANSITIONS.items() if a is not S.ON_HOLD for b in targets}
    assert table == EXPECTED
    assert TRANSITIONS[S.ON_HOLD] == HOLDABLE_STATES | {S.CANCELLED}


@pytest.mark.parametrize("terminal", sorted(TERMINAL_STATES))
def test_terminal_states_allow_nothing(terminal):
    assert allowed_next(terminal) == frozenset()
    for target in CaseState:
        with pytest.raises(TransitionNotAllowed, match="不能再改为"):
            check_transition(terminal, target, reason=REASON)


@pytest.mark.parametrize(("source", "target"), sorted(EXPECTED))
def test_every_allowed_transition_passes(source, target):
    assert check_transition(source, target, reason=REASON) is target
    assert target in allowed_next(source)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.DRAFT, S.SUBMITTED),
        (S.DRAFT, S.COMPLETED),
        (S.READY, S.IN_PROGRESS),
        (S.SUBMITTED, S.DRAFT),
        (S.SUBMITTED, S.COMPLETED),
        (S.IN_PROGRESS, S.SUBMITTED),
        (S.RETURNED, S.SUBMITTED),
        (S.RETURNED, S.IN_PROGRESS),
        (S.DRAFT, S.DRAFT),
    ],
)
def test_sample_forbidden_transitions_name_both_states(source, target):
    with pytest.raises(TransitionNotAllowed) as info:
        check_transition(source, target, reason=REASON)
    message = str(info.value)
    assert STATE_LABELS[source] in message and STATE_LABELS[target] in message
    assert "当前可改为" in message


def test_strings_are_accepted_as_states():
    assert check_transition("draft", "ready") is S.READY


def test_unknown_state_is_reported_in_chinese():
    with pytest.raises(TransitionNotAllowed, match="未知的案件状态"):
        check_transition("draft", "archived")
    with pytest.raises(TransitionNotAllowed, match="未知的案件状态"):
        allowed_next("archived")


@pytest.mark.parametrize("source", [S.SUBMITTED, S.IN_PROGRESS])
@pytest.mark.parametrize("reason", ["", "   ", "\n \n", [], ["", "  "]])
def test_refusal_needs_a_reason(source, reason):
    with pytest.raises(TransitionNotAllowed, match="必须写明理由"):
        check_transition(source, S.REFUSED, reason=reason)


def test_refusal_reasons_as_list_or_lines():
    assert check_transition(S.SUBMITTED, S.REFUSED, reason="缺少身份证明\n缺少完税凭证") is S.REFUSED
    assert reasons_of("缺少身份证明\n\n 缺少完税凭证 ") == ["缺少身份证明", "缺少完税凭证"]
    assert reasons_of(["", " 缺少身份证明 "]) == ["缺少身份证明"]


def test_other_transitions_need_no_reason():
    assert check_transition(S.SUBMITTED, S.RETURNED) is S.RETURNED


@pytest.mark.parametrize("held", sorted(HOLDABLE_STATES))
def test_hold_and_resume_to_the_held_state_only(held):
    check_transition(held, S.ON_HOLD)
    assert check_transition(S.ON_HOLD, held, held_from=held) is held
    assert allowed_next(S.ON_HOLD, held_from=held) == {held, S.CANCELLED}
    for other in HOLDABLE_STATES - {held}:
        with pytest.raises(TransitionNotAllowed, match="只能恢复到挂起前的状态"):
            check_transition(S.ON_HOLD, other, held_from=held)


def test_resume_needs_the_held_from_state():
    with pytest.raises(TransitionNotAllowed, match="挂起前的状态"):
        check_transition(S.ON_HOLD, S.DRAFT)
    assert allowed_next(S.ON_HOLD) == {S.CANCELLED}
    assert check_transition(S.ON_HOLD, S.CANCELLED) is S.CANCELLED


def test_cannot_resume_to_a_state_that_cannot_be_held():
    with pytest.raises(TransitionNotAllowed):
        check_transition(S.ON_HOLD, S.COMPLETED, held_from=S.COMPLETED)
    with pytest.raises(TransitionNotAllowed):
        check_transition(S.ON_HOLD, S.ON_HOLD, held_from=S.ON_HOLD)


def test_held_from_state_reads_the_latest_hold_in_the_history():
    history = [
        (None, "draft"),
        ("draft", "on_hold"),
        ("on_hold", "draft"),
        ("draft", "ready"),
        ("ready", "on_hold"),
    ]
    assert held_from_state(history) is S.READY
    assert held_from_state([(None, "draft")]) is None


@given(st.sampled_from(CaseState), st.sampled_from(CaseState), st.sampled_from(sorted(HOLDABLE_STATES)))
def test_all_pairs_follow_the_table(source, target, held):
    allowed = target in {held, S.CANCELLED} if source is S.ON_HOLD else (source, target) in EXPECTED
    try:
        check_transition(source, target, reason=REASON, held_from=held)
    except TransitionNotAllowed:
        assert not allowed
    else:
        assert allowed
