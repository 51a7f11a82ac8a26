"""USB transfer: export on the offline window, import on a connected machine, acknowledgements back."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import text

from sync import usb
from sync.backends import ReferenceBackends
from sync.outbox import LegState
from sync.package import Department
from tests.sync.harness import Harness, make_harness
from tests.workstation.storage.conftest import FakeClock
from workstation.storage.crypto import key_file_protector
from workstation.sync_service import OutgoingAttachment

REG = Department.REGISTRATION


@pytest.fixture
def backends(tmp_path: Path) -> Iterator[ReferenceBackends]:
    with ReferenceBackends(tmp_path / "backends.sqlite") as running:
        yield running


def _harness(tmp_path: Path, name: str, backends: ReferenceBackends) -> Harness:
    h = make_harness(
        f"sqlite:///{tmp_path / f'{name}.db'}",
        key_file_protector(tmp_path / name / "machine.key"),
        FakeClock(),
        tmp_path / name / "data",
        backends,
    )
    h.enrol()
    return h


@pytest.fixture
def offline(tmp_path: Path, backends: ReferenceBackends) -> Iterator[Harness]:
    h = _harness(tmp_path, "offline", backends)
    yield h
    h.store.close()


@pytest.fixture
def connected(tmp_path: Path, backends: ReferenceBackends) -> Iterator[Harness]:
    h = _harness(tmp_path, "connected", backends)
    yield h
    h.store.close()


def _submit_two(h: Harness) -> list[uuid.UUID]:
    scan = b"%PDF-1.4 stick scan " * 4000
    return [
        h.submitted_case(
            attachments=[OutgoingAttachment(scan + bytes([i]), f"{i}.pdf", "application/pdf")]
        ).id
        for i in range(2)
    ]


def _deliveries(backends: ReferenceBackends) -> Counter[str]:
    return Counter(d.package_id for dept in Department for d in backends.deliveries(dept))


def test_round_trip_delivers_once_and_acks_mark_legs_delivered(
    tmp_path: Path, backends: ReferenceBackends, offline: Harness, connected: Harness
) -> None:
    cases = _submit_two(offline)
    stick = tmp_path / "stick"
    exported = offline.service.export_to_stick(stick)
    assert (exported.done, exported.problems) == (6, [])
    raw = b"".join(p.read_bytes() for _d, _p, p in usb.sealed_files(stick))
    assert b"stick scan" not in raw and b"%PDF" not in raw  # sealed: the stick carries no readable data

    first = connected.service.import_from_stick(stick)
    assert (first.done, first.duplicates, first.problems) == (6, 0, [])
    again = connected.service.import_from_stick(stick)  # the same stick twice
    assert (again.done, again.duplicates, again.problems) == (0, 6, [])
    held = _deliveries(backends)
    assert len(held) == 6 and set(held.values()) == {1}
    assert backends.counters(REG)["deliveries"] == 2

    acks = offline.service.import_acks(stick)
    assert (acks.done, acks.duplicates, acks.problems) == (6, 0, [])
    assert offline.service.import_acks(stick).duplicates == 6  # read twice: nothing changes
    receipts = {d.package_id: d.receipt_no for dept in Department for d in backends.deliveries(dept)}
    for case_id in cases:
        for leg in offline.service.legs(case_id):
            assert leg.state is LegState.DELIVERED
            assert leg.receipt_no == receipts[str(leg.package_id)]

    # back online: the worker asks for the answers and sends nothing again
    summary = offline.service.worker().run_once()
    assert summary.delivered == 0 and sum(summary.answers.values()) == 6
    assert _deliveries(backends) == held
    with offline.store.engine.connect() as conn:  # the departments hold the scans: local copies go
        assert conn.execute(text("SELECT count(*) FROM outbox_blobs")).scalar() == 0


def test_a_leg_sent_by_stick_and_by_network_is_delivered_once(
    tmp_path: Path, backends: ReferenceBackends, offline: Harness, connected: Harness
) -> None:
    [case_id] = _submit_two(offline)[:1]
    stick = tmp_path / "stick"
    offline.service.export_to_stick(stick)
    connected.service.import_from_stick(stick)
    summary = offline.service.worker().run_once()  # the network came back before the acks did
    assert summary.delivered == 6 and summary.duplicates == 6
    acks = offline.service.import_acks(stick)
    assert (acks.done, acks.duplicates) == (0, 6)
    assert set(_deliveries(backends).values()) == {1}
    assert {v.state for v in offline.service.legs(case_id)} != {LegState.QUEUED}


def test_tampered_sealed_file_and_forged_ack_are_rejected(
    tmp_path: Path, backends: ReferenceBackends, offline: Harness, connected: Harness
) -> None:
    offline.submitted_case("mortgage_first")  # one leg, to 登记
    stick = tmp_path / "stick"
    assert offline.service.export_to_stick(stick).done == 1
    [(dept, package_id, path)] = list(usb.sealed_files(stick))
    data = bytearray(path.read_bytes())
    data[-40] ^= 0x01
    path.write_bytes(bytes(data))
    report = connected.service.import_from_stick(stick)
    assert report.done == 0 and len(report.problems) == 1 and "无法打开" in report.problems[0]
    assert backends.deliveries(REG) == []
    assert backends.counters(REG)["sealed_refused"] == 1

    # a file renamed to another package id does not open either (bound to department and id)
    offline.service.export_to_stick(stick)
    other = usb.sealed_path(stick, dept, uuid.uuid4())
    path.rename(other)
    assert "无法打开" in connected.service.import_from_stick(stick).problems[0]
    other.unlink()

    offline.service.export_to_stick(stick)
    assert connected.service.import_from_stick(stick).done == 1
    ack_file = usb.ack_path(stick, dept, package_id)
    document = json.loads(ack_file.read_text("utf-8"))
    document["ack"]["receipt_no"] = "DJ-FORGED"
    ack_file.write_text(json.dumps(document), "utf-8")
    forged = offline.service.import_acks(stick)
    assert forged.done == 0 and "签名无效" in forged.problems[0]
    [leg] = [v for v in offline.service.outbox.legs() if v.package_id == package_id]
    assert leg.state is LegState.QUEUED


def test_export_skips_departments_without_keys(tmp_path: Path, offline: Harness) -> None:
    offline.keyring.delete_password("Yichuang-sync", "department-key:tax")
    offline.submitted_case()
    report = offline.service.export_to_stick(tmp_path / "stick")
    assert report.done == 2 and len(report.problems) == 1 and "税务" in report.problems[0]


def test_seal_is_bound_to_its_associated_data() -> None:
    key = X25519PrivateKey.generate()
    aad = usb.associated_data(REG, uuid.uuid4())
    sealed = usb.seal(b"payload", key.public_key(), aad)
    assert usb.unseal(sealed, key, aad) == b"payload"
    with pytest.raises(ValueError, match="改动"):
        usb.unseal(sealed, key, usb.associated_data(Department.TAX, uuid.uuid4()))
    with pytest.raises(ValueError, match="改动"):
        usb.unseal(sealed, X25519PrivateKey.generate(), aad)
    contents = usb.unpack(usb.pack(b"{}", "sig", {"a" * 64: b"xyz", "b" * 64: b""}))
    assert (contents.body, contents.signature, dict(contents.blobs)) == (
        b"{}",
        "sig",
        {"a" * 64: b"xyz", "b" * 64: b""},
    )
    with pytest.raises(ValueError):
        usb.unpack(usb.pack(b"{}", "sig", {"a" * 64: b"xyz"}) + b"!")


def test_cli_export_import_and_acks(
    tmp_path: Path,
    backends: ReferenceBackends,
    offline: Harness,
    connected: Harness,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from workstation.cli import main
    from workstation.commands import sync as commands

    offline.submitted_case()
    stick = tmp_path / "stick"

    def run(service: Harness, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr(commands, "_service", lambda: service.service)
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run(offline, "sync", "export", "--to", str(stick))
    assert code == 0 and "已导出 3 个数据包" in out
    code, out, _ = run(connected, "sync", "import", "--from", str(stick))
    assert code == 0 and "已送达 3 个" in out
    code, out, _ = run(connected, "sync", "import", "--from", str(stick))
    assert code == 0 and "部门已持有（重复导入） 3 个" in out
    code, out, _ = run(offline, "sync", "import-acks", "--from", str(stick))
    assert code == 0 and "已标记送达 3 个" in out
    next(usb.ack_files(stick))[2].write_text("{}", "utf-8")
    code, out, err = run(offline, "sync", "import-acks", "--from", str(stick))
    assert code == commands.EXIT_PARTIAL and "此前已标记 2 个" in out and "回执格式不对" in err
    backends.set_property_status("U-9", {"mortgaged": True})
    code, out, _ = run(offline, "sync", "lookup", "property", "U-9")
    assert code == 0 and "抵押有" in out and "刚刚" in out
