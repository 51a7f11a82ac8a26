"""Roles and permissions: every action for every role, in the policy table and in the store."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.workstation.storage.cases import sample_case
from tests.workstation.storage.conftest import FakeClock, open_test_store
from workstation.errors import is_known
from workstation.permissions import ACTION_LABELS, GRANTS, Action, PermissionDenied, allowed, require
from workstation.queues import QueueFilter, state_queue
from workstation.storage.api import Role, User
from workstation.storage.crypto import key_file_protector
from workstation.storage.store import SqlStore

EXPECTED = {
    Action.SUPERVISE: {Role.SUPERVISOR, Role.ADMIN},
    Action.RETRY_LEGS: {Role.SUPERVISOR, Role.ADMIN},
    Action.HOLD: {Role.SUPERVISOR, Role.ADMIN},
    Action.REASSIGN: {Role.SUPERVISOR, Role.ADMIN},
    Action.RETURN_FOR_CORRECTION: {Role.SUPERVISOR, Role.ADMIN},
    Action.APPROVE_EXCEPTION: {Role.SUPERVISOR, Role.ADMIN},
    Action.VIEW_AUDIT: {Role.SUPERVISOR, Role.ADMIN},
    Action.MANAGE_USERS: {Role.ADMIN},
    Action.COLLECT_FEE: {Role.CLERK, Role.SUPERVISOR, Role.ADMIN},
    Action.WAIVE_FEE: {Role.SUPERVISOR, Role.ADMIN},
    Action.VOID_FEE: {Role.SUPERVISOR, Role.ADMIN},
    Action.VIEW_REPORTS: {Role.SUPERVISOR, Role.ADMIN},
    Action.CLOSE_DAY: {Role.SUPERVISOR, Role.ADMIN},
    Action.EXPORT_STATISTICS: {Role.SUPERVISOR, Role.ADMIN},
    Action.CHANGE_SETTINGS: {Role.ADMIN},
}


def _user(role: Role, active: bool = True) -> User:
    return User(id=1, username="u", display_name="某人", role=role, active=active)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_require_grants_exactly_the_table(action: Action, role: Role) -> None:
    user = _user(role)
    if role in EXPECTED[action]:
        assert require(user, action) is user
        assert allowed(user, action)
    else:
        with pytest.raises(PermissionDenied) as info:
            require(user, action)
        message = str(info.value)
        assert "无权" in message and ACTION_LABELS[action] in message and "系统管理员" in message
        assert not allowed(user, action)


def test_every_action_is_in_the_table() -> None:
    assert set(GRANTS) == set(Action) == set(EXPECTED)


def test_disabled_and_missing_users_are_refused() -> None:
    with pytest.raises(PermissionDenied, match="需要先登录"):
        require(None, Action.HOLD)
    assert not allowed(_user(Role.ADMIN, active=False), Action.HOLD)


def test_permission_denied_is_a_known_error() -> None:
    assert is_known(PermissionDenied("x"))


# ------------------------------------------------------------------------------ in the store
@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    s = open_test_store(url, key_file_protector(tmp_path / "k" / "machine.key"), FakeClock(), tmp_path / "d")
    yield s
    s.close()


@pytest.fixture
def users(store: SqlStore) -> dict[Role, User]:
    return {
        role: store.add_user(
            username=role.value, display_name=f"{role.value}名", password="password-1", role=role
        )
        for role in Role
    }


def _submitted_case(store: SqlStore, clerk: User) -> uuid.UUID:
    case = store.import_case(sample_case(), user=clerk)
    store.transition(case.id, "ready", user=clerk)
    store.transition(case.id, "submitted", user=clerk)
    return case.id


ACTIONS: dict[str, tuple[Action, Callable[[SqlStore, uuid.UUID, User], Any]]] = {
    "queue_counts": (Action.SUPERVISE, lambda s, c, u: s.queue_counts(QueueFilter(), user=u)),
    "queue_page": (
        Action.SUPERVISE,
        lambda s, c, u: s.queue_page(state_queue("submitted"), QueueFilter(), user=u),
    ),
    "hold": (Action.HOLD, lambda s, c, u: s.hold_case(c, user=u, expected=None, reason="待核实")),
    "return": (
        Action.RETURN_FOR_CORRECTION,
        lambda s, c, u: s.return_for_correction(c, user=u, expected=None, reason="缺少身份证复印件"),
    ),
    "reassign": (
        Action.REASSIGN,
        lambda s, c, u: s.reassign_case(c, to_username="clerk", user=u, expected=None),
    ),
    "retry": (Action.RETRY_LEGS, lambda s, c, u: s.retry_legs([uuid.uuid4()], user=u)),
    "approve": (
        Action.APPROVE_EXCEPTION,
        lambda s, c, u: s.approve_exception(
            c, kind="face_check_failed", reason="人工核验本人", username=u.username, password="password-1"
        ),
    ),
}


@pytest.mark.parametrize("name", list(ACTIONS))
@pytest.mark.parametrize("role", list(Role))
def test_store_actions_check_the_role(store, users, name: str, role: Role) -> None:
    action, call = ACTIONS[name]
    case_id = _submitted_case(store, users[Role.CLERK])
    before = store.history(case_id)
    entries = len(store.audit_entries())
    if role in EXPECTED[action]:
        call(store, case_id, users[role])
    else:
        with pytest.raises(PermissionDenied):
            call(store, case_id, users[role])
        assert store.history(case_id) == before  # nothing changed
        kinds = [e.kind for e in store.audit_entries()[entries:]]
        assert "supervisor_action" not in kinds and "approval" not in kinds


def test_store_reads_the_role_from_the_user_given_not_a_forged_one(store, users) -> None:
    # approve_exception authenticates the approver itself: a clerk's password never approves, even
    # when the caller is a supervisor's session.
    case_id = _submitted_case(store, users[Role.CLERK])
    with pytest.raises(PermissionDenied):
        store.approve_exception(
            case_id, kind="face_check_failed", reason="同意", username="clerk", password="password-1"
        )
