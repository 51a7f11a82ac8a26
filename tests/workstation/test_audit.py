"""The chained audit log: what is recorded, and tampering (edit, delete, reorder, recompute) detected."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

from tests.workstation.storage.cases import sample_case
from tests.workstation.storage.conftest import FakeClock, open_test_store
from workstation.audit import (
    GENESIS_MAC,
    AuditKind,
    canonical,
    chain_mac,
    config_auditor,
    entry_content,
    verify_chain,
)
from workstation.cli import main
from workstation.config import Config
from workstation.storage.api import Role, User
from workstation.storage.crypto import key_file_protector
from workstation.storage.errors import LoginFailed
from workstation.storage.models import AuditEntryRow, AuditHeadRow
from workstation.storage.store import SqlStore


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[SqlStore]:
    s = open_test_store(
        db_url, key_file_protector(tmp_path / "k" / "machine.key"), FakeClock(), tmp_path / "d"
    )
    yield s
    s.close()


@pytest.fixture
def clerk(store: SqlStore) -> User:
    return store.add_user(username="wang.li", display_name="王丽", password="correct horse", role=Role.CLERK)


def _kinds(store: SqlStore) -> list[str]:
    return [e.kind for e in store.audit_entries()]


def _filled(store: SqlStore, clerk: User) -> None:
    """A few entries of different kinds."""
    store.authenticate("wang.li", "correct horse")
    with pytest.raises(LoginFailed):
        store.authenticate("wang.li", "wrong horse")
    case = store.create_case(business_type="transfer_sale", user=clerk)
    store.audit(AuditKind.VIEW_CASE, user_id=clerk.id, case_id=case.id)
    store.record_print_job(
        case.id,
        documents=["receipt"],
        printer="P1",
        copies=1,
        status="printed",
        job_ref="7",
        pdf=b"%PDF",
        user=clerk,
    )
    store.audit(AuditKind.CONFIG_CHANGE, user_id=clerk.id, details={"action": "set_user", "key": "ui_font"})


# ------------------------------------------------------------------------------------ recording
def test_sign_in_success_and_failure_are_recorded(store, clerk):
    store.authenticate("wang.li", "correct horse")
    with pytest.raises(LoginFailed):
        store.authenticate("wang.li", "not the password")
    with pytest.raises(LoginFailed):
        store.authenticate("nobody", "whatever-pass")
    entries = store.audit_entries()
    assert [e.kind for e in entries] == ["sign_in", "sign_in_failed", "sign_in_failed"]
    assert entries[0].user_id == clerk.id and entries[0].details is None
    assert entries[1].user_id == clerk.id
    assert entries[2].user_id is None
    # The typed user name is kept, encrypted: not in the clear column bytes.
    assert b"nobody" not in (entries[2].details or b"")
    assert store.audit_details(entries[2]) == {"username": "nobody", "reason": "LoginFailed"}
    assert store.verify_audit().ok


def test_print_and_saved_set_are_print_and_export_entries(store, clerk):
    case = store.create_case(business_type="transfer_sale", user=clerk)
    for status in ("printed", "saved"):
        store.record_print_job(
            case.id,
            documents=["receipt"],
            printer="",
            copies=1,
            status=status,
            job_ref="",
            pdf=b"%PDF",
            user=clerk,
        )
    entries = store.audit_entries()
    assert [e.kind for e in entries] == ["print", "export"]
    assert all(e.case_id == case.id and e.user_id == clerk.id for e in entries)
    assert store.audit_details(entries[1])["status"] == "saved"


def test_config_changes_are_recorded_without_values(store, clerk, tmp_path):
    config = Config(
        data_dir=tmp_path / "cfg", database=store, user_id=clerk.id, audit=config_auditor(store, clerk.id)
    )
    config.set_office("enquiry_phone", "0871-12345678")
    config.reset_office("enquiry_phone")
    entries = store.audit_entries()
    assert [e.kind for e in entries] == ["config_change", "config_change"]
    assert [store.audit_details(e) for e in entries] == [
        {"action": "set_office", "key": "enquiry_phone"},
        {"action": "reset_office", "key": "enquiry_phone"},
    ]


def test_entries_chain_under_the_office_key(store, clerk):
    _filled(store, clerk)
    entries = store.audit_entries()
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    head = store.audit_head()
    assert head == (entries[-1].seq, entries[-1].mac)
    result = store.verify_audit()
    assert result.ok and result.checked == len(entries) and result.head_mac == entries[-1].mac.hex()


def test_concurrent_appends_from_two_windows_stay_one_chain(db_url, tmp_path):
    protector = key_file_protector(tmp_path / "k" / "machine.key")
    first = open_test_store(db_url, protector, FakeClock(), tmp_path / "d1")
    second = open_test_store(db_url, protector, FakeClock(), tmp_path / "d2")
    try:

        def append(s: SqlStore) -> None:
            for i in range(15):
                s.audit(AuditKind.VIEW_CASE, user_id=None, details={"i": i})

        threads = [threading.Thread(target=append, args=(s,)) for s in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [e.seq for e in first.audit_entries()] == list(range(1, 31))
        assert first.verify_audit().ok and second.verify_audit().ok
    finally:
        first.close()
        second.close()


# ------------------------------------------------------------------------------------ tampering
def _edit(store: SqlStore, seq: int, **values: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(AuditEntryRow).where(AuditEntryRow.seq == seq).values(**values))


def test_edited_entry_is_named(store, clerk):
    _filled(store, clerk)
    _edit(store, 3, kind="sign_in")
    result = store.verify_audit()
    assert not result.ok and result.first_broken == 3 and result.checked == 2
    assert "第 3 条" in result.problem


def test_edited_user_or_time_is_detected(store, clerk):
    _filled(store, clerk)
    _edit(store, 2, user_id=None)
    assert store.verify_audit().first_broken == 2


def test_deleted_entry_is_detected(store, clerk):
    _filled(store, clerk)
    with store.engine.begin() as conn:
        conn.execute(delete(AuditEntryRow).where(AuditEntryRow.seq == 2))
    result = store.verify_audit()
    assert result.first_broken == 2 and "缺失" in result.problem


def test_deleted_entry_with_renumbering_is_detected(store, clerk):
    _filled(store, clerk)
    count = len(store.audit_entries())
    with store.engine.begin() as conn:
        conn.execute(delete(AuditEntryRow).where(AuditEntryRow.seq == 2))
        for seq in range(3, count + 1):
            conn.execute(update(AuditEntryRow).where(AuditEntryRow.seq == seq).values(seq=seq - 1))
        conn.execute(update(AuditHeadRow).values(seq=count - 1))
    assert store.verify_audit().first_broken == 2


def test_deleted_newest_entries_are_detected_by_the_head(store, clerk):
    _filled(store, clerk)
    last = len(store.audit_entries())
    with store.engine.begin() as conn:
        conn.execute(delete(AuditEntryRow).where(AuditEntryRow.seq == last))
    result = store.verify_audit()
    assert result.first_broken == last and "删除" in result.problem


def test_reordered_entries_are_detected(store, clerk):
    _filled(store, clerk)
    entries = store.audit_entries()
    a, b = entries[1], entries[2]
    with store.engine.begin() as conn:  # swap everything but the sequence numbers
        for seq, other in ((a.seq, b), (b.seq, a)):
            conn.execute(
                update(AuditEntryRow)
                .where(AuditEntryRow.seq == seq)
                .values(
                    at=other.at,
                    kind=other.kind,
                    user_id=other.user_id,
                    case_id=other.case_id,
                    details=other.details,
                    mac=other.mac,
                )
            )
    assert store.verify_audit().first_broken == 2


def test_chain_recomputed_without_the_key_is_detected(store, clerk):
    _filled(store, clerk)
    entries = store.audit_entries()
    forged_key = hashlib.sha256(b"a guess at the audit key").digest()
    previous = entries[2].mac  # the forger keeps 1–3 and rewrites from entry 4 on, consistently
    with store.engine.begin() as conn:
        for e in entries[3:]:
            content = canonical(
                seq=e.seq,
                at=e.at,
                kind="view_case",
                user_id=e.user_id,
                case_id=e.case_id,
                window=e.window,
                details=None,
            )
            mac = chain_mac(forged_key, previous, content)
            conn.execute(
                update(AuditEntryRow)
                .where(AuditEntryRow.seq == e.seq)
                .values(kind="view_case", details=None, mac=mac)
            )
            previous = mac
        conn.execute(update(AuditHeadRow).values(mac=previous))
    result = store.verify_audit()
    assert result.first_broken == 4 and result.checked == 3


def test_appending_after_tampering_does_not_hide_it(store, clerk):
    _filled(store, clerk)
    _edit(store, 2, kind="print")
    store.audit(AuditKind.VIEW_CASE, user_id=clerk.id)
    assert store.verify_audit().first_broken == 2


def test_verify_chain_pure_function():
    key = b"k" * 32
    previous = GENESIS_MAC
    from datetime import UTC, datetime

    from workstation.audit import AuditEntry

    entries = []
    for seq in (1, 2):
        content = canonical(
            seq=seq,
            at=datetime(2025, 1, 1, tzinfo=UTC),
            kind="sign_in",
            user_id=1,
            case_id=None,
            window="w",
            details=None,
        )
        mac = hmac.new(key, previous + content, hashlib.sha256).digest()
        entries.append(AuditEntry(seq, datetime(2025, 1, 1, tzinfo=UTC), "sign_in", 1, None, "w", None, mac))
        previous = mac
    assert entry_content(entries[0]) != entry_content(entries[1])
    assert verify_chain(entries, key).ok
    assert verify_chain(entries, b"x" * 32).first_broken == 1
    assert verify_chain(list(reversed(entries)), key).first_broken == 1
    assert verify_chain(entries, key, head=(3, previous)).first_broken == 3


# ------------------------------------------------------------------------------------ CLI
def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_export_is_recorded_and_verify_names_an_edited_entry(capsys, monkeypatch, tmp_path):
    examples = Path(__file__).resolve().parents[2] / "examples"
    assert _cli(capsys, "users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")[0] == 0
    monkeypatch.setenv("YICHUANG_PASSWORD", "admin-pass-1")
    code, out, _ = _cli(capsys, "case", "import", str(examples / "second_hand_sale.json"), "--user", "admin")
    assert code == 0
    number = out.strip().split()[-1]
    code, _, _ = _cli(capsys, "case", "export", number, "--out", str(tmp_path / "c.json"), "--user", "admin")
    assert code == 0
    code, out, _ = _cli(capsys, "audit", "verify", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["checked"] >= 3
    code, out, _ = _cli(capsys, "audit", "list", "--user", "admin", "--json")
    kinds = [r["kind"] for r in json.loads(out)]
    assert code == 0 and "export" in kinds and kinds.count("sign_in") >= 2

    from workstation.cli import _store

    store = _store()
    try:
        export = next(e for e in store.audit_entries() if e.kind == "export")
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE audit_log SET kind = 'view_case' WHERE seq = :s"), {"s": export.seq})
    finally:
        store.close()
    code, out, _ = _cli(capsys, "audit", "verify")
    assert code == 2
    assert f"第 {export.seq} 条" in out


def test_head_row_removed_by_hand_is_rebuilt_and_chain_continues(store, clerk):
    _filled(store, clerk)
    with store.engine.begin() as conn:
        conn.execute(delete(AuditHeadRow))
    store.audit(AuditKind.VIEW_CASE, user_id=clerk.id)
    assert store.verify_audit().ok
    with store.engine.connect() as conn:
        assert conn.execute(select(AuditHeadRow.seq)).scalar_one() == len(store.audit_entries())


def test_case_data_never_enters_entries_in_clear(store, clerk):
    case = store.import_case(sample_case(name="欧阳翠花"), user=clerk)
    store.audit(AuditKind.APPROVAL, user_id=clerk.id, case_id=case.id, details={"reason": "欧阳翠花 面签"})
    with store.engine.connect() as conn:
        raw = b"".join(
            (r.details or b"") + r.window.encode() + r.kind.encode()
            for r in conn.execute(select(AuditEntryRow))
        )
    assert "欧阳翠花".encode() not in raw
