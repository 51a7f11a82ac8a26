from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from forms.errors import TransitionNotAllowed
from tests.workstation.storage.cases import sample_case
from tests.workstation.storage.conftest import open_test_store
from workstation.storage import db
from workstation.storage.api import Role
from workstation.storage.errors import (
    AccountLocked,
    CaseExists,
    CaseNotFound,
    DecryptionFailed,
    InvalidUserData,
    LoginFailed,
    StorageError,
    UserExists,
    UserNotFound,
)
from workstation.storage.models import CaseRow, DraftRow


# ------------------------------------------------------------------------------------- users
def test_add_and_list_users(store):
    assert store.user_count() == 0
    admin = store.add_user(username="admin", display_name="管理员", password="s3cret-pass", role=Role.ADMIN)
    assert admin.role is Role.ADMIN and admin.active
    store.add_user(username="clerk1", display_name="窗口一", password="another-pass", role=Role.CLERK)
    assert store.user_count() == 2
    assert [u.username for u in store.list_users()] == ["admin", "clerk1"]
    with pytest.raises(UserExists, match="已存在"):
        store.add_user(username="admin", display_name="重复", password="s3cret-pass", role=Role.CLERK)
    with pytest.raises(InvalidUserData, match="至少 8 位"):
        store.add_user(username="short", display_name="短", password="1234", role=Role.CLERK)
    with pytest.raises(InvalidUserData, match="用户名"):
        store.add_user(username="有 空格", display_name="x", password="long-enough", role=Role.CLERK)


def test_password_hash_is_argon2id(store, clerk):
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored


def test_authenticate(store, clerk, clock):
    user = store.authenticate("wang.li", "correct horse")
    assert user == clerk
    with pytest.raises(LoginFailed, match="用户名或密码错误"):
        store.authenticate("wang.li", "wrong horse")
    with pytest.raises(LoginFailed, match="用户名或密码错误"):
        store.authenticate("nobody", "correct horse")


def test_lockout_after_failures_and_unlock_after_period(store, clerk, clock):
    # threshold 3 in the test settings; a success in between resets the count
    for _ in range(2):
        with pytest.raises(LoginFailed):
            store.authenticate("wang.li", "bad password")
    store.authenticate("wang.li", "correct horse")
    for _ in range(2):
        with pytest.raises(LoginFailed):
            store.authenticate("wang.li", "bad password")
    with pytest.raises(AccountLocked, match="账户已锁定") as locked:
        store.authenticate("wang.li", "bad password")
    assert locked.value.until == clock.now + timedelta(minutes=15)
    # the right password does not help while locked
    clock.advance(minutes=14)
    with pytest.raises(AccountLocked):
        store.authenticate("wang.li", "correct horse")
    clock.advance(minutes=1, seconds=1)
    assert store.authenticate("wang.li", "correct horse").username == "wang.li"


def test_disabled_user_cannot_sign_in(store, clerk):
    store.set_user_active("wang.li", False)
    with pytest.raises(LoginFailed, match="停用"):
        store.authenticate("wang.li", "correct horse")
    assert store.set_user_active("wang.li", True).active
    store.authenticate("wang.li", "correct horse")
    with pytest.raises(UserNotFound):
        store.set_user_active("ghost", False)


def test_set_password(store, clerk):
    store.set_password("wang.li", "new password 1")
    with pytest.raises(LoginFailed):
        store.authenticate("wang.li", "correct horse")
    store.authenticate("wang.li", "new password 1")


# ------------------------------------------------------------------------------------- cases
def test_case_numbers_per_office_window_and_day(store, clerk, clock, db_url, protector, tmp_path):
    first = store.create_case(business_type="transfer_sale", user=clerk)
    second = store.create_case(business_type="mortgage", user=clerk)
    day = clock.now.astimezone().strftime("%Y%m%d")
    assert first.case_number == f"11010501-03-{day}-0001"
    assert second.case_number == f"11010501-03-{day}-0002"
    clock.advance(days=1)
    third = store.create_case(business_type="mortgage", user=clerk)
    assert third.case_number.endswith(clock.now.astimezone().strftime("%Y%m%d") + "-0001")
    # another window of the same office on the same database numbers independently, never colliding
    from tests.workstation.storage.conftest import open_test_store

    other = open_test_store(db_url, protector, clock, tmp_path / "data2", window_id="04")
    try:
        assert other.create_case(business_type="mortgage", user=clerk).case_number.startswith("11010501-04-")
    finally:
        other.close()
    case, state = store.load_case(first.id)
    assert state == "draft"
    assert case.case_number == first.case_number


def test_versions_kept_and_latest_loaded(store, clerk):
    case = store.create_case(business_type="transfer_sale", user=clerk)
    filled = sample_case().model_copy(update={"id": case.id, "case_number": case.case_number})
    assert store.save_version(filled, reason="page:parties", user=clerk) == 1
    changed = filled.model_copy(update={"remarks": "补充材料"})
    assert store.save_version(changed, reason="submit", user=clerk) == 2
    loaded, _state = store.load_case(case.id)
    assert loaded == changed
    versions = store.versions(case.id)
    assert [(n, reason) for n, reason, _at, _case in versions] == [(1, "page:parties"), (2, "submit")]
    assert versions[0][3] == filled
    with pytest.raises(StorageError, match="受理编号"):
        store.save_version(changed.model_copy(update={"case_number": "X-1"}), reason="x", user=clerk)
    with pytest.raises(CaseNotFound):
        store.save_version(sample_case(), reason="x", user=clerk)
    with pytest.raises(CaseNotFound):
        store.load_case(uuid.uuid4())


def test_draft_round_trip_of_invalid_data(store, clerk):
    case = store.create_case(business_type="transfer_sale", user=clerk)
    data: dict[str, Any] = {
        "parties": [{"name": "  张 三 ", "id_number": "1101051990030712", "phone": "138-0013-800a"}],
        "transaction": {"price": "两百万", "acquisition": {"acquired_on": "2023-02-30"}},
        "remarks": "换行\n和\t制表符，emoji 🏠",
        "empty": None,
    }
    assert store.load_draft(case.id) is None
    store.save_draft(case.id, data, page="parties", user=clerk)
    data["transaction"]["price"] = "2000000"
    store.save_draft(case.id, data, page="transaction", user=clerk)
    draft = store.load_draft(case.id)
    assert draft is not None
    assert draft.data == data
    assert draft.page == "transaction"
    assert draft.case_number == case.case_number
    assert draft.user_id == clerk.id
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(DraftRow)) == 1  # latest only
    with pytest.raises(CaseNotFound):
        store.save_draft(uuid.uuid4(), data, page="parties", user=clerk)


def test_open_drafts_lists_unsubmitted_cases(store, clerk):
    other = store.add_user(username="li.na", display_name="李娜", password="password-2", role=Role.CLERK)
    a = store.create_case(business_type="transfer_sale", user=clerk)
    b = store.create_case(business_type="transfer_sale", user=other)
    c = store.create_case(business_type="transfer_sale", user=clerk)
    for case, user in ((a, clerk), (b, other), (c, clerk)):
        store.save_draft(case.id, {"n": case.case_number}, page="start", user=user)
    store.transition(c.id, "ready", user=clerk)
    store.transition(c.id, "submitted", user=clerk)
    assert {d.case_id for d in store.open_drafts()} == {a.id, b.id}
    assert [d.case_id for d in store.open_drafts(clerk)] == [a.id]


def test_transitions_recorded_and_illegal_refused(store, clerk, clock):
    case = store.create_case(business_type="transfer_sale", user=clerk)
    clock.advance(minutes=1)
    store.transition(case.id, "ready", user=clerk)
    store.transition(case.id, "on_hold", user=clerk, reason="申请人回家取材料")
    with pytest.raises(TransitionNotAllowed):
        store.transition(case.id, "draft", user=clerk)  # may only resume to the state it was held from
    store.transition(case.id, "ready", user=clerk)
    store.transition(case.id, "submitted", user=clerk)
    with pytest.raises(TransitionNotAllowed, match="理由"):
        store.transition(case.id, "refused", user=clerk)
    with pytest.raises(TransitionNotAllowed):
        store.transition(case.id, "draft", user=clerk)
    history = store.history(case.id)
    assert [(h.from_state, h.to_state) for h in history] == [
        (None, "draft"),
        ("draft", "ready"),
        ("ready", "on_hold"),
        ("on_hold", "ready"),
        ("ready", "submitted"),
    ]
    assert history[2].reason == "申请人回家取材料"
    assert history[1].user_id == clerk.id
    assert history[1].at == clock.now
    assert store.load_case(case.id)[1] == "submitted"
    with pytest.raises(CaseNotFound):
        store.transition(uuid.uuid4(), "ready", user=clerk)


def test_import_case(store, clerk):
    case = sample_case()
    stored = store.import_case(case, user=clerk)
    assert stored.id == case.id
    assert stored.case_number and stored.case_number.startswith("11010501-03-")
    loaded, state = store.load_case(case.id)
    assert state == "draft" and loaded == stored
    with pytest.raises(CaseExists):
        store.import_case(case, user=clerk)
    numbered = sample_case().model_copy(update={"case_number": stored.case_number})
    with pytest.raises(CaseExists, match="受理编号"):
        store.import_case(numbered, user=clerk)


# ------------------------------------------------------------------------------------ search
def _store_cases(store: Any, clerk: Any, clock: Any) -> dict[int, Any]:
    ids = {}
    for i, (name, id_number, phone, unit) in enumerate(
        [
            ("欧阳 娜娜", "11010519900307101X", "13912345678", "110105001001GB00001F00010001"),
            ("阿依古丽·买买提", "110105197001010020", "0991-1234567", "650102003004GB00002F00020002"),
            ("张三", "440306198812125670", "+86 139 1111 2222", "440306001002GB00003F00030003"),
        ]
    ):
        case = store.create_case(business_type="transfer_sale", user=clerk)
        full = sample_case(name=name, id_number=id_number, phone=phone, unit_number=unit)
        store.save_version(
            full.model_copy(update={"id": case.id, "case_number": case.case_number}), reason="p", user=clerk
        )
        ids[i] = case
        clock.advance(minutes=5)
    return ids


def test_search_by_each_key(store, clerk, clock):
    c = _store_cases(store, clerk, clock)

    def found(text: str) -> list[uuid.UUID]:
        return [s.id for s in store.search(text)]

    assert found("") == [c[2].id, c[1].id, c[0].id]  # newest first
    assert found(c[1].case_number) == [c[1].id]
    assert set(found(c[0].case_number[:11])) == {c[0].id, c[1].id, c[2].id}  # office + window prefix
    assert found("650102003") == [c[1].id]  # unit number prefix
    assert found("110105001001gb") == [c[0].id]  # case-insensitive unit prefix
    assert found("欧阳娜娜") == [c[0].id]  # name, whitespace ignored
    assert found("阿依古丽•买买提") == [c[1].id]  # middle-dot variant
    assert found("欧阳") == []  # names match exactly, never by part
    assert found("11010519900307101x") == [c[0].id]  # ID number, lower-case x
    assert found("４４０３０６１９８８１２１２５６７０") == [c[2].id]  # full-width digits
    assert found("139-1234-5678") == [c[0].id]  # phone, digits only
    assert found("13911112222") == [c[2].id]  # stored with +86
    assert set(found("李四")) == {c[0].id, c[1].id, c[2].id}  # the obligor in every case
    assert found("nothing-like-this") == []
    summary = store.search(c[0].case_number)[0]
    assert summary.applicants == "欧阳 娜娜、李四"
    assert summary.location == "朝阳区幸福路8号院3号楼2单元501"
    assert summary.clerk == "王丽"
    assert summary.unit_number == "110105001001GB00001F00010001"
    assert [s.id for s in store.search("", limit=1, offset=1)] == [c[1].id]


def test_search_follows_the_latest_version(store, clerk, clock):
    c = _store_cases(store, clerk, clock)
    renamed = sample_case(name="赵六").model_copy(update={"id": c[0].id, "case_number": c[0].case_number})
    store.save_version(renamed, reason="p", user=clerk)
    assert [s.id for s in store.search("欧阳娜娜")] == []
    assert [s.id for s in store.search("赵六")] == [c[0].id]


# ---------------------------------------------------------------------------- tamper-proofing
def test_ciphertext_moved_to_another_row_fails_to_decrypt(store, clerk):
    a = store.import_case(sample_case(name="甲"), user=clerk)
    b = store.import_case(sample_case(name="乙"), user=clerk)
    store.save_draft(a.id, {"name": "甲"}, page="p", user=clerk)
    store.save_draft(b.id, {"name": "乙"}, page="p", user=clerk)
    with store.engine.begin() as conn:
        a_data = conn.scalar(select(CaseRow.data).where(CaseRow.id == a.id))
        conn.execute(update(CaseRow).where(CaseRow.id == b.id).values(data=a_data))
        a_draft = conn.scalar(select(DraftRow.data).where(DraftRow.case_id == a.id))
        conn.execute(update(DraftRow).where(DraftRow.case_id == b.id).values(data=a_draft))
    with pytest.raises(DecryptionFailed, match="无法解密"):
        store.load_case(b.id)
    with pytest.raises(DecryptionFailed):
        store.load_draft(b.id)
    assert store.load_case(a.id)[0].parties[0].name == "甲"  # the original place still works


# ------------------------------------------------------------------------------ transactions
def test_writers_in_one_process_queue_for_sqlite_instead_of_meeting_its_busy_error(
    tmp_path, protector, clock, monkeypatch
):
    # With no busy timeout, any wait must come from the store: a second writer that reached SQLite
    # while the first held the write lock would fail at once ("database is locked").
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 0)
    store = open_test_store(f"sqlite:///{tmp_path / 'window.db'}", protector, clock, tmp_path / "data")
    touch = text("UPDATE users SET display_name = display_name")
    holding, release, second_done = threading.Event(), threading.Event(), threading.Event()
    errors: list[Exception] = []

    def first() -> None:
        with store.transaction() as s:
            s.execute(touch)
            holding.set()
            release.wait(5)

    def second() -> None:
        try:
            with store.transaction() as s:
                s.execute(touch)
        except Exception as exc:
            errors.append(exc)
        second_done.set()

    try:
        writer = threading.Thread(target=first)
        writer.start()
        assert holding.wait(5)
        waiter = threading.Thread(target=second)
        waiter.start()
        assert not second_done.wait(0.3)  # it waits for the first writer to commit
        release.set()
        writer.join(5)
        waiter.join(5)
        assert second_done.is_set() and errors == []
    finally:
        release.set()
        store.close()
