"""The supervisor's queues and actions in the store, on SQLite and PostgreSQL (conflicts included)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial

import pytest

from forms.calendar import load_calendar
from forms.catalog import load_catalog
from forms.errors import TransitionNotAllowed
from sync.outbox import LegState
from sync.package import Department
from tests.workstation.storage.cases import sample_case
from tests.workstation.storage.conftest import FakeClock, open_test_store
from workstation.queues import (
    QueueFilter,
    due_cutoffs,
    due_date,
    latest_acceptance,
    leg_queue,
    parse_queue,
    queue_label,
    state_queue,
)
from workstation.storage.api import Role, User
from workstation.storage.crypto import key_file_protector
from workstation.storage.errors import CaseConflict, InvalidUserData, LoginFailed, UserNotFound
from workstation.storage.models import OutboxLegRow
from workstation.storage.store import SqlStore


@pytest.fixture
def people(store: SqlStore) -> dict[str, User]:
    def add(name: str, role: Role) -> User:
        return store.add_user(username=name, display_name=f"{name}名", password="password-1", role=role)

    return {
        "clerk": add("clerk", Role.CLERK),
        "clerk2": add("clerk2", Role.CLERK),
        "boss": add("boss", Role.SUPERVISOR),
        "boss2": add("boss2", Role.SUPERVISOR),
    }


def submitted(store: SqlStore, clerk: User, business_type: str = "second_hand_sale", **kw: str) -> uuid.UUID:
    case = store.import_case(
        sample_case(**kw).model_copy(update={"business_type": business_type}), user=clerk
    )
    store.transition(case.id, "ready", user=clerk)
    store.transition(case.id, "submitted", user=clerk)
    return case.id


def add_leg(
    store: SqlStore,
    case_id: uuid.UUID,
    department: Department,
    state: LegState,
    *,
    error_kind: str | None = None,
) -> uuid.UUID:
    from sqlalchemy.orm import Session

    now = store._clock()
    package = uuid.uuid4()
    with Session(store.engine) as s, s.begin():
        s.add(
            OutboxLegRow(
                package_id=package,
                case_id=case_id,
                department=department.value,
                case_version=1,
                supersedes=None,
                state=state.value,
                attempts=3,
                next_attempt_at=now,
                last_error_kind=error_kind,
                manifest=b"x",
                created_at=now,
                updated_at=now,
            )
        )
    return package


def test_queue_keys_round_trip():
    assert parse_queue(state_queue("returned"))[0] == "returned"
    assert parse_queue(leg_queue(Department.TAX, LegState.FAILED))[1:] == (Department.TAX, LegState.FAILED)
    assert queue_label(leg_queue(Department.TAX, LegState.FAILED)).startswith("税务·")
    assert queue_label(state_queue("returned")) == "退回补正"
    with pytest.raises(ValueError):
        parse_queue("nonsense")


def test_counts_and_pages_by_state_clerk_type_and_age(store, people, clock):
    boss = people["boss"]
    old = submitted(store, people["clerk"], name="甲")
    clock.advance(days=10)
    new = submitted(store, people["clerk2"], name="乙")
    draft = store.create_case(business_type="gift", user=people["clerk"])
    counts = store.queue_counts(QueueFilter(), user=boss)
    assert counts[state_queue("submitted")] == 2 and counts[state_queue("draft")] == 1
    mine = store.queue_counts(QueueFilter(clerk_id=people["clerk"].id), user=boss)
    assert mine[state_queue("submitted")] == 1 and mine[state_queue("draft")] == 1
    gifts = store.queue_counts(QueueFilter(business_type="gift"), user=boss)
    assert gifts[state_queue("submitted")] == 0 and gifts[state_queue("draft")] == 1
    aged = QueueFilter(created_before=clock() - timedelta(days=5))
    assert store.queue_counts(aged, user=boss)[state_queue("submitted")] == 1
    page = store.queue_page(state_queue("submitted"), QueueFilter(), user=boss)
    assert [i.case_id for i in page] == [new, old]  # most recently changed first
    assert page[0].applicants.startswith("乙") and page[0].clerk == "clerk2名"
    assert page[0].version == store.queue_page(state_queue("submitted"), QueueFilter(), user=boss)[0].version
    assert [i.case_id for i in store.queue_page(state_queue("submitted"), aged, user=boss)] == [old]
    assert store.queue_page(state_queue("draft"), QueueFilter(), user=boss)[0].case_id == draft.id


def test_due_date_filter_uses_the_calendar(store, people, clock):
    catalog, calendar = load_catalog(), load_calendar()
    boss = people["boss"]
    case_id = submitted(store, people["clerk"])
    item = store.queue_page(state_queue("submitted"), QueueFilter(), user=boss)[0]
    promised = catalog.get(item.business_type).promised_days
    due = due_date(calendar, item.created_at, promised)
    assert calendar.working_days_between(item.created_at.astimezone().date(), due) == promised
    assert latest_acceptance(calendar, due, promised) >= item.created_at.astimezone().date()
    on_due = QueueFilter(due_cutoffs=due_cutoffs(catalog, calendar, due))
    before_due = QueueFilter(due_cutoffs=due_cutoffs(catalog, calendar, due - timedelta(days=1)))
    assert [i.case_id for i in store.queue_page(state_queue("submitted"), on_due, user=boss)] == [case_id]
    assert store.queue_page(state_queue("submitted"), before_due, user=boss) == []
    assert store.queue_counts(on_due, user=boss)[state_queue("submitted")] == 1
    assert store.queue_counts(before_due, user=boss)[state_queue("submitted")] == 0
    with_clerk = QueueFilter(clerk_id=people["clerk"].id, due_cutoffs=on_due.due_cutoffs)
    assert store.queue_counts(with_clerk, user=boss)[state_queue("submitted")] == 1
    assert store.queue_counts(QueueFilter(due_cutoffs={}), user=boss)[state_queue("submitted")] == 0


def test_leg_queues_list_stuck_legs_and_retry_one_or_many(store, people):
    boss = people["boss"]
    a = submitted(store, people["clerk"])
    b = submitted(store, people["clerk"])
    failed_a = add_leg(store, a, Department.TAX, LegState.FAILED)
    failed_b = add_leg(store, b, Department.TAX, LegState.FAILED)
    superseded = add_leg(store, b, Department.TAX, LegState.FAILED, error_kind="Superseded")
    add_leg(store, a, Department.REGISTRATION, LegState.DELIVERED)
    key = leg_queue(Department.TAX, LegState.FAILED)
    counts = store.queue_counts(QueueFilter(), user=boss)
    assert counts[key] == 2 and counts[leg_queue(Department.REGISTRATION, LegState.DELIVERED)] == 1
    items = store.queue_page(key, QueueFilter(), user=boss)
    assert {i.package_id for i in items} == {failed_a, failed_b}
    assert store.retry_legs([failed_a], user=boss) == 1
    assert store.queue_counts(QueueFilter(), user=boss)[key] == 1
    assert store.retry_legs([failed_b, superseded, failed_a], user=boss) == 1  # superseded stays failed
    assert store.queue_counts(QueueFilter(), user=boss)[key] == 0
    assert store.queue_counts(QueueFilter(), user=boss)[leg_queue(Department.TAX, LegState.QUEUED)] == 2
    retried = [e for e in store.audit_entries() if e.kind == "supervisor_action"]
    assert {store.audit_details(e)["package"] for e in retried} == {str(failed_a), str(failed_b)}


def test_hold_release_reassign_return_are_recorded(store, people):
    boss = people["boss"]
    case_id = submitted(store, people["clerk"])
    version = store.queue_page(state_queue("submitted"), QueueFilter(), user=boss)[0].version
    version = store.hold_case(case_id, user=boss, expected=version, reason="等待法院函件")
    assert store.load_case(case_id)[1] == "on_hold"
    version = store.release_case(case_id, user=boss, expected=version)
    assert store.load_case(case_id)[1] == "submitted"
    version = store.reassign_case(case_id, to_username="clerk2", user=boss, expected=version)
    assert (
        store.queue_page(state_queue("submitted"), QueueFilter(), user=boss)[0].clerk_id
        == people["clerk2"].id
    )
    with pytest.raises(InvalidUserData, match="退回原因"):
        store.return_for_correction(case_id, user=boss, expected=version, reason="  ")
    with pytest.raises(UserNotFound):
        store.reassign_case(case_id, to_username="ghost", user=boss, expected=version)
    store.return_for_correction(case_id, user=boss, expected=version, reason="缺少完税证明")
    history = store.history(case_id)
    assert [(h.from_state, h.to_state) for h in history[-4:]] == [
        ("submitted", "on_hold"),
        ("on_hold", "submitted"),
        ("submitted", "submitted"),
        ("submitted", "returned"),
    ]
    assert history[-1].reason == "缺少完税证明" and history[-1].user_id == boss.id
    actions = [
        store.audit_details(e)["action"] for e in store.audit_entries() if e.kind == "supervisor_action"
    ]
    assert actions == ["hold", "hold", "reassign", "return_for_correction"]
    assert store.verify_audit().ok


def test_release_without_hold_and_disallowed_transition(store, people):
    boss = people["boss"]
    case_id = submitted(store, people["clerk"])
    with pytest.raises(TransitionNotAllowed, match="没有挂起记录"):
        store.release_case(case_id, user=boss, expected=None)
    draft = store.create_case(business_type="gift", user=people["clerk"])
    with pytest.raises(TransitionNotAllowed):
        store.return_for_correction(draft.id, user=boss, expected=None, reason="不能退回草稿")


def test_approval_needs_the_approvers_password_now(store, people):
    case_id = submitted(store, people["clerk"])
    with pytest.raises(LoginFailed):
        store.approve_exception(
            case_id, kind="face_check_failed", reason="本人到场", username="boss", password="wrong-pass"
        )
    assert not [e for e in store.audit_entries() if e.kind == "approval"]
    assert store.audit_entries()[-1].kind == "sign_in_failed"
    approver = store.approve_exception(
        case_id,
        kind="face_check_failed",
        reason="本人到场，人工核验一致",
        username="boss",
        password="password-1",
    )
    assert approver.id == people["boss"].id
    last = store.history(case_id)[-1]
    assert (
        last.details == {"approval": "face_check_failed", "reauthenticated": True}
        and last.user_id == approver.id
    )
    approval = [e for e in store.audit_entries() if e.kind == "approval"]
    assert len(approval) == 1 and store.audit_details(approval[0])["exception"] == "face_check_failed"
    with pytest.raises(InvalidUserData):
        store.approve_exception(
            case_id, kind="tax_differs", reason="", username="boss", password="password-1"
        )


def test_stale_version_is_a_conflict_not_a_lost_update(store, people):
    case_id = submitted(store, people["clerk"])
    seen = store.queue_page(state_queue("submitted"), QueueFilter(), user=people["boss"])[0].version
    store.hold_case(case_id, user=people["boss"], expected=seen)  # the clock did not move: still bumped
    with pytest.raises(CaseConflict, match="已被他人修改"):
        store.reassign_case(case_id, to_username="clerk2", user=people["boss2"], expected=seen)
    with pytest.raises(CaseConflict):
        store.approve_exception(
            case_id, kind="tax_differs", reason="同意", username="boss2", password="password-1", expected=seen
        )
    assert store.load_case(case_id)[1] == "on_hold"
    assert len([h for h in store.history(case_id) if h.to_state == "on_hold"]) == 1


@pytest.mark.postgres
def test_two_supervisors_at_once_on_postgres_one_wins_one_conflicts(postgres_url, tmp_path):
    protector = key_file_protector(tmp_path / "k" / "machine.key")
    window_a = open_test_store(postgres_url, protector, FakeClock(), tmp_path / "a")
    window_b = open_test_store(postgres_url, protector, FakeClock(), tmp_path / "b")
    try:
        clerk = window_a.add_user(
            username="clerk", display_name="受理", password="password-1", role=Role.CLERK
        )
        boss_a = window_a.add_user(
            username="boss", display_name="科长甲", password="password-1", role=Role.SUPERVISOR
        )
        boss_b = window_a.add_user(
            username="boss2", display_name="科长乙", password="password-1", role=Role.SUPERVISOR
        )
        window_a.add_user(username="clerk2", display_name="受理二", password="password-1", role=Role.CLERK)
        results: dict[str, object] = {}
        for _round in range(5):
            case_id = submitted(window_a, clerk)
            seen_a = window_a.queue_page(state_queue("submitted"), QueueFilter(), user=boss_a)[0].version
            seen_b = window_b.queue_page(state_queue("submitted"), QueueFilter(), user=boss_b)[0].version
            assert seen_a == seen_b
            barrier = threading.Barrier(2)

            def act(name: str, job: Callable[[], object], barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                try:
                    results[name] = job()
                except CaseConflict as exc:
                    results[name] = exc

            hold = partial(window_a.hold_case, case_id, user=boss_a, expected=seen_a, reason="甲挂起")
            send_back = partial(
                window_b.return_for_correction, case_id, user=boss_b, expected=seen_b, reason="乙退回"
            )
            threads = [
                threading.Thread(target=act, args=("a", hold)),
                threading.Thread(target=act, args=("b", send_back)),
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            outcomes = [isinstance(results[n], CaseConflict) for n in ("a", "b")]
            assert sorted(outcomes) == [False, True], results
            state = window_a.load_case(case_id)[1]
            assert state == ("on_hold" if not outcomes[0] else "returned")
            moves = [h.to_state for h in window_a.history(case_id)]
            assert moves.count("on_hold") + moves.count("returned") == 1
        assert window_a.verify_audit().ok
    finally:
        window_a.close()
        window_b.close()


def test_due_cutoff_for_a_date_before_everything_matches_nothing(store, people):
    submitted(store, people["clerk"])
    cutoffs = due_cutoffs(load_catalog(), load_calendar(), date(2000, 1, 3))
    assert (
        store.queue_counts(QueueFilter(due_cutoffs=cutoffs), user=people["boss"])[state_queue("submitted")]
        == 0
    )
    assert isinstance(next(iter(cutoffs.values())), datetime)
