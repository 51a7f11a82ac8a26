"""The audit chain's head travels with every package; a rewrite after delivery is caught off the machine.

Someone holding the chain key can rewrite the local log consistently (``audit verify`` passes); the
heads the departments received with earlier packages no longer match (``audit verify --backends``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from sync.backends import DEFAULT_ENROLMENT_TOKEN, ReferenceBackends
from sync.package import Department, Manifest
from tests.sync.harness import Harness, MemoryKeyring, example_case, harness_in, sync_settings
from workstation.audit import AuditKind, HeldHead, canonical, chain_mac, compare_heads, writer_id
from workstation.storage.models import AuditEntryRow, AuditHeadRow
from workstation.storage.store import SqlStore


@pytest.fixture
def backends(tmp_path: Path) -> Iterator[ReferenceBackends]:
    with ReferenceBackends(tmp_path / "backends.sqlite") as running:
        yield running


@pytest.fixture
def h(tmp_path: Path, backends: ReferenceBackends) -> Iterator[Harness]:
    harness = harness_in(tmp_path, backends)
    harness.enrol()
    yield harness
    harness.store.close()


def rewrite_with_the_key(store: SqlStore, seq: int) -> None:
    """What an insider holding the machine key can do: change entry ``seq``, recompute every MAC after."""
    with store.transaction() as s:
        key = store._audit_key(s)
    entries = store.audit_entries()
    previous = entries[seq - 2].mac if seq > 1 else bytes(32)
    with store.engine.begin() as conn:
        for e in entries[seq - 1 :]:
            kind = "view_case" if e.seq == seq else e.kind
            content = canonical(
                seq=e.seq,
                at=e.at,
                kind=kind,
                user_id=e.user_id,
                case_id=e.case_id,
                window=e.window,
                details=e.details,
            )
            mac = chain_mac(key, previous, content)
            conn.execute(update(AuditEntryRow).where(AuditEntryRow.seq == e.seq).values(kind=kind, mac=mac))
            previous = mac
        conn.execute(update(AuditHeadRow).values(mac=previous))


def _submit_and_deliver(h: Harness) -> int:
    h.store.audit(AuditKind.PRINT, user_id=h.clerk.id)
    seq, _mac = h.store.audit_head() or (0, b"")
    h.submitted_case()
    assert h.service.worker().run_once().delivered == 3
    return seq


def test_every_package_carries_the_head_at_submit(h: Harness, backends: ReferenceBackends) -> None:
    h.store.audit(AuditKind.VIEW_CASE, user_id=h.clerk.id)
    case = h.ready_case()
    head = h.store.audit_head()
    assert head is not None
    h.service.submit_case(case.id, user=h.clerk)
    window = writer_id(h.service._settings.office_code, h.service._settings.window_id)
    for leg in h.service.outbox.undelivered():
        manifest = Manifest.model_validate_json(leg.manifest)
        assert manifest.audit_head is not None
        assert (manifest.audit_head.seq, manifest.audit_head.mac) == (head[0], head[1].hex())
        assert manifest.audit_head.window == window
    h.service.worker().run_once()
    for department in Department:
        [held] = backends.audit_heads(department, h.service._settings.office_code, window)
        assert (held.seq, held.mac) == (head[0], head[1].hex())
    report = h.service.check_audit_heads()
    assert report.heads == 3 and report.mismatches == [] and report.problems == []


def test_a_rewrite_after_delivery_passes_locally_but_the_back_ends_name_it(h: Harness) -> None:
    first = _submit_and_deliver(h)
    h.store.audit(AuditKind.EXPORT, user_id=h.clerk.id)
    exported = h.store.audit_head()
    assert exported is not None
    second = _submit_and_deliver(h)
    assert first < exported[0] <= second
    rewrite_with_the_key(h.store, exported[0])  # the export is made to look like a mere view
    assert h.store.verify_audit().ok  # the local chain alone cannot tell
    report = h.service.check_audit_heads()
    assert {m.head.seq for m in report.mismatches} == {second}  # the heads up to `first` still agree
    assert all(m.since == first for m in report.mismatches)
    assert f"第 {first + 1}–{second} 条" in report.mismatches[0].describe()


def test_truncating_after_delivery_is_named(h: Harness) -> None:
    first = _submit_and_deliver(h)
    second = _submit_and_deliver(h)
    entries = h.store.audit_entries()
    with h.store.engine.begin() as conn:  # drop the newest entries and point the head back
        conn.execute(delete(AuditEntryRow).where(AuditEntryRow.seq > first))
        conn.execute(update(AuditHeadRow).values(seq=first, mac=entries[first - 1].mac))
    assert h.store.verify_audit().ok
    report = h.service.check_audit_heads()
    assert [(m.head.seq, m.local_mac) for m in report.mismatches] == [(second, None)] * 3
    assert "被删除" in report.mismatches[0].describe()


def test_compare_heads_pure_function() -> None:
    local = {3: b"\x01" * 32, 7: b"\x02" * 32}
    held = [
        HeldHead("交易", 3, ("01" * 32)),
        HeldHead("税务", 7, ("03" * 32)),
        HeldHead("登记", 9, ("04" * 32)),
        HeldHead("登记", 0, "00" * 32),  # the head of an empty chain
    ]
    found = compare_heads(local, held)
    assert [(m.head.seq, m.since, m.local_mac) for m in found] == [(7, 3, "02" * 32), (9, 3, None)]


# --------------------------------------------------------------------------------------- CLI
@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    import keyring.core

    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)  # set programmatically, no file
    return backend


def test_cli_verify_backends(capsys, monkeypatch, data_dir: Path, backends, memory_keyring) -> None:
    from workstation.cli import main
    from workstation.config import OFFICE_FILE_NAME, load_settings, write_toml
    from workstation.storage.store import open_store

    write_toml(
        data_dir / OFFICE_FILE_NAME,
        {
            "key_protector": "file",
            "office_code": "11010501",
            **{k: v for k, v in sync_settings("", backends).items() if k.endswith("_url")},
        },
    )

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    assert run("users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")[0] == 0
    monkeypatch.setenv("YICHUANG_PASSWORD", "admin-pass-1")
    assert run("enrol", "--token", DEFAULT_ENROLMENT_TOKEN, "--user", "admin")[0] == 0
    case = example_case()
    file = data_dir / "case.json"
    file.write_text(case.model_dump_json(), encoding="utf-8")
    assert run("case", "import", str(file), "--user", "admin")[0] == 0
    store = open_store(load_settings())
    try:
        store.transition(case.id, "ready", user=store.authenticate("admin", "admin-pass-1"))
    finally:
        store.close()
    assert run("submit", str(case.id), "--user", "admin")[0] == 0
    store = open_store(load_settings())
    try:
        head = store.audit_head()  # as it stood at submit (the submit's sign-in included)
    finally:
        store.close()
    assert head is not None
    assert run("sync", "run", "--once")[0] == 0
    code, out, _ = run("audit", "verify", "--backends")
    assert code == 0 and "持有的 3 个链头一致" in out
    store = open_store(load_settings())
    try:
        rewrite_with_the_key(store, 2)
    finally:
        store.close()
    code, out, _ = run("audit", "verify")
    assert code == 0  # consistent under the key: the local check passes
    code, out, _ = run("audit", "verify", "--backends")
    assert code == 2 and f"第 {head[0]} 条审计记录与" in out and "送达后被改写" in out
    code, out, _ = run("audit", "verify", "--backends", "--json")
    report = json.loads(out)
    assert code == 2 and {m["seq"] for m in report["backends"]["mismatches"]} == {head[0]}
