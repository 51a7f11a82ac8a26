"""The life cycle of a case: its states, the allowed transitions (as a table) and their checks.

::

    draft ⇄ ready → submitted → in_progress → completed
                        │             │
                        ├→ returned ──┴→ (draft | ready)      补正: corrected and prepared again
                        └→ refused                            不予受理 (terminal, with reasons)
    any open state → on_hold → the state it was held from
    any open state → cancelled                                  撤回申请 (terminal)

``in_progress`` is one state here; the sync module tracks its per-department legs (tax, housing
authority, registry) underneath it. The storage layer (``Store.transition``) calls
:func:`check_transition` before recording a change.

Sources: 条例 Art 17 [P] (a refusal is given in writing and lists **all** defects at once, so a
refusal needs at least one reason); 条例 Art 20 [P] (acceptance starts the time limit — the move to
``submitted``/``in_progress``); an applicant may withdraw an application before it is entered in the
register (不动产登记暂行条例实施细则 Art 13 [M]) — hence ``cancelled`` from every open state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from forms.errors import TransitionNotAllowed


class CaseState(StrEnum):
    """The state of a case; the value is what storage records."""

    DRAFT = "draft"
    READY = "ready"
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    RETURNED = "returned"
    REFUSED = "refused"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


STATE_LABELS: Final[Mapping[CaseState, str]] = MappingProxyType(
    {
        CaseState.DRAFT: "草稿",
        CaseState.READY: "待提交",
        CaseState.SUBMITTED: "已提交",
        CaseState.IN_PROGRESS: "办理中",
        CaseState.COMPLETED: "已办结",
        CaseState.RETURNED: "退回补正",
        CaseState.REFUSED: "不予受理",
        CaseState.ON_HOLD: "挂起",
        CaseState.CANCELLED: "已撤销",
    }
)
"""The Chinese label of each state, as shown in the case list and in messages."""

TERMINAL_STATES: Final[frozenset[CaseState]] = frozenset(
    {CaseState.COMPLETED, CaseState.REFUSED, CaseState.CANCELLED}
)
"""States a case never leaves."""

HOLDABLE_STATES: Final[frozenset[CaseState]] = frozenset(
    {CaseState.DRAFT, CaseState.READY, CaseState.SUBMITTED, CaseState.IN_PROGRESS, CaseState.RETURNED}
)
"""States a case may be put on hold from, and so the states it may be resumed to."""

TRANSITIONS: Final[Mapping[CaseState, frozenset[CaseState]]] = MappingProxyType(
    {
        CaseState.DRAFT: frozenset({CaseState.READY, CaseState.ON_HOLD, CaseState.CANCELLED}),
        CaseState.READY: frozenset(
            {CaseState.DRAFT, CaseState.SUBMITTED, CaseState.ON_HOLD, CaseState.CANCELLED}
        ),
        CaseState.SUBMITTED: frozenset(
            {
                CaseState.IN_PROGRESS,
                CaseState.RETURNED,
                CaseState.REFUSED,
                CaseState.ON_HOLD,
                CaseState.CANCELLED,
            }
        ),
        CaseState.IN_PROGRESS: frozenset(
            {
                CaseState.COMPLETED,
                CaseState.RETURNED,
                CaseState.REFUSED,
                CaseState.ON_HOLD,
                CaseState.CANCELLED,
            }
        ),
        CaseState.RETURNED: frozenset(
            {CaseState.DRAFT, CaseState.READY, CaseState.ON_HOLD, CaseState.CANCELLED}
        ),
        # Leaving on_hold: only back to the state it was held from (checked against ``held_from``).
        CaseState.ON_HOLD: HOLDABLE_STATES | {CaseState.CANCELLED},
        CaseState.COMPLETED: frozenset(),
        CaseState.REFUSED: frozenset(),
        CaseState.CANCELLED: frozenset(),
    }
)
"""Every allowed transition: state → the states it may change to."""

REASONS_REQUIRED: Final[frozenset[CaseState]] = frozenset({CaseState.REFUSED})
"""Target states that need at least one reason (条例 Art 17: a refusal lists every defect)."""


def label(state: CaseState | str) -> str:
    """The Chinese label of a state (``"draft"`` → ``"草稿"``); unknown values are returned as given."""
    try:
        return STATE_LABELS[CaseState(state)]
    except ValueError:
        return str(state)


def _state(value: CaseState | str, what: str) -> CaseState:
    try:
        return CaseState(value)
    except ValueError:
        raise TransitionNotAllowed(f"未知的案件状态“{value}”（{what}），请联系管理员检查数据") from None


def reasons_of(reason: str | Sequence[str]) -> list[str]:
    """The non-blank reasons in ``reason``: one per line of a string, or one per item of a list."""
    items = reason.splitlines() if isinstance(reason, str) else list(reason)
    return [item.strip() for item in items if item.strip()]


def allowed_next(state: CaseState | str, *, held_from: CaseState | str | None = None) -> frozenset[CaseState]:
    """The states a case in ``state`` may change to.

    Args:
        state: the current state.
        held_from: for ``on_hold`` only, the state the case was held from; without it a held case may
            only be cancelled.

    Raises:
        TransitionNotAllowed: ``state`` or ``held_from`` is not a known state.
    """
    current = _state(state, "当前状态")
    if current is not CaseState.ON_HOLD:
        return TRANSITIONS[current]
    resumable = frozenset({_state(held_from, "挂起前状态")}) if held_from is not None else frozenset()
    return (resumable & TRANSITIONS[current]) | {CaseState.CANCELLED}


def check_transition(
    from_state: CaseState | str,
    to_state: CaseState | str,
    *,
    reason: str | Sequence[str] = "",
    held_from: CaseState | str | None = None,
) -> CaseState:
    """Check that a case may change from one state to another.

    Args:
        from_state: the current state.
        to_state: the requested state.
        reason: why; a refusal needs at least one non-blank reason (a list, or one per line).
        held_from: when leaving ``on_hold``, the state the case was held from (see :func:`held_from_state`).

    Returns:
        ``to_state`` as a :class:`CaseState`.

    Raises:
        TransitionNotAllowed: with a Chinese message naming both states and what to do instead.
    """
    current = _state(from_state, "当前状态")
    target = _state(to_state, "目标状态")
    if current in TERMINAL_STATES:
        raise TransitionNotAllowed(
            f"案件已{label(current)}，不能再改为“{label(target)}”；如需继续办理请新建案件"
        )
    if current is CaseState.ON_HOLD and target is not CaseState.CANCELLED:
        if held_from is None:
            raise TransitionNotAllowed("恢复挂起的案件时需要知道挂起前的状态，请从案件历史中恢复")
        previous = _state(held_from, "挂起前状态")
        if target is not previous:
            raise TransitionNotAllowed(
                f"挂起的案件只能恢复到挂起前的状态“{label(previous)}”，不能直接改为“{label(target)}”"
            )
    if target not in allowed_next(current, held_from=held_from):
        options = "、".join(
            f"“{label(s)}”" for s in CaseState if s in allowed_next(current, held_from=held_from)
        )
        raise TransitionNotAllowed(
            f"案件状态不能从“{label(current)}”改为“{label(target)}”；当前可改为：{options}"
        )
    if target in REASONS_REQUIRED and not reasons_of(reason):
        raise TransitionNotAllowed(f"改为“{label(target)}”时必须写明理由（逐条列出全部原因），请填写后再提交")
    return target


def held_from_state(changes: Iterable[tuple[CaseState | str | None, CaseState | str]]) -> CaseState | None:
    """The state a case was put on hold from, given its history of (from, to) changes, oldest first.

    Returns:
        The ``from`` state of the latest change into ``on_hold``, or ``None`` if there is none.
    """
    found: CaseState | None = None
    for before, after in changes:
        if after == CaseState.ON_HOLD and before is not None:
            found = CaseState(before)
    return found
