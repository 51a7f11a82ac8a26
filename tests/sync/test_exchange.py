"""The client against the reference back ends over real HTTP on 127.0.0.1."""

from __future__ import annotations

import errno
import os
import socket
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms.tax.assessment import Assessment
from sync.backends import DepartmentScript, ReferenceBackends
from sync.errors import AuthFailed, BlobCorrupt, Conflict, ServerRejected, ServerUnavailable
from sync.package import SIGNATURE_HEADER, Department, canonical_bytes, sign_manifest, signature_header
from sync.transport import SUBMIT_HEADER, Announced, Credential, announce, deliver, enrol, poll
from tests.sync.conftest import blob, make_case, make_manifest, reader_for

REG = Department.REGISTRATION
NO_FILES = reader_for({})


def test_enrol_refuses_a_wrong_token(backends: ReferenceBackends, signing_key: Ed25519PrivateKey) -> None:
    with pytest.raises(AuthFailed):
        enrol(backends.url(REG), "wrong", signing_key.public_key())


def test_new_then_duplicate_is_delivered_once(backends, credentials, signing_key) -> None:
    manifest = make_manifest(Department.TRANSACTION)
    url = backends.url(Department.TRANSACTION)
    first = deliver(manifest, NO_FILES, url, credentials[Department.TRANSACTION], signing_key)
    again = deliver(manifest, NO_FILES, url, credentials[Department.TRANSACTION], signing_key)
    assert not first.duplicate and again.duplicate
    assert first.receipt_no == again.receipt_no and first.receipt_no.startswith("JY")
    [delivery] = backends.deliveries(Department.TRANSACTION)
    assert (delivery.package_id, delivery.put_count, delivery.submit_calls) == (
        str(manifest.package_id),
        2,
        2,
    )
    assert backends.counters(Department.TRANSACTION)["deliveries"] == 1


def test_a_batch_of_manifests_is_held_item_by_item_with_distinct_receipts(
    backends, credentials, signing_key
) -> None:
    # The batch request is stored in one transaction; each item is still answered on its own and
    # the counters (receipt numbers among them) move as if each had come in its own request.
    tx = Department.TRANSACTION
    url = backends.url(tx)
    held = make_manifest(tx)
    deliver(held, NO_FILES, url, credentials[tx], signing_key)
    before = backends.counters(tx)
    fresh = [make_manifest(tx) for _ in range(3)]
    clash = make_manifest(tx, package_id=fresh[0].package_id)  # same id, other content
    items = [(m.package_id, canonical_bytes(m)) for m in (*fresh, held, clash)]
    with httpx.Client() as client:
        answers = announce(items, url, credentials[tx], signing_key, client=client)
    assert answers is not None
    *new, again, refused = answers
    assert all(isinstance(a, Announced) and not a.duplicate for a in new)
    assert isinstance(again, Announced) and again.duplicate
    assert isinstance(refused, Conflict)
    receipts = [a.reply["receipt_no"] for a in new if isinstance(a, Announced)]
    first = backends.deliveries(tx)[0].receipt_no
    assert [int(r[-6:]) for r in receipts] == [int(first[-6:]) + i for i in (1, 2, 3)]
    after = backends.counters(tx)
    grown = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    assert grown["package_puts"] == 5 and grown["conflicts"] == 1
    assert grown["deliveries"] == 3 and grown["receipts"] == 3 and grown["submit_calls"] == 4
    assert len(backends.deliveries(tx)) == 4


def test_same_id_with_different_content_is_a_conflict(backends, credentials, signing_key) -> None:
    case = make_case()
    manifest = make_manifest(REG, case=case)
    deliver(manifest, NO_FILES, backends.url(REG), credentials[REG], signing_key)
    case.remarks = "改过的备注"
    changed = make_manifest(REG, case=case, package_id=manifest.package_id)
    with pytest.raises(Conflict) as caught:
        deliver(changed, NO_FILES, backends.url(REG), credentials[REG], signing_key)
    assert str(manifest.package_id) in str(caught.value)
    held = backends.store.package(REG.value, str(manifest.package_id))
    assert held is not None and held.manifest["payload"]["case"]["remarks"] == "内部备注"


def test_unenrolled_key_and_missing_credential_are_refused(backends, credentials) -> None:
    manifest = make_manifest(REG)
    with pytest.raises(AuthFailed) as caught:
        deliver(manifest, NO_FILES, backends.url(REG), credentials[REG], Ed25519PrivateKey.generate())
    assert caught.value.status == 403
    bogus = Credential(token="nope", key_id="0" * 32, department=REG.value)
    with pytest.raises(AuthFailed) as caught:
        deliver(manifest, NO_FILES, backends.url(REG), bogus, Ed25519PrivateKey.generate())
    assert caught.value.status == 401
    assert backends.store.package(REG.value, str(manifest.package_id)) is None


def test_a_known_credential_is_checked_without_waiting_for_another_transaction(backends, credentials) -> None:
    """Every request authenticates first: it must not queue behind a chunk or manifest being stored."""
    store = backends.store
    token = credentials[REG].token
    assert store.enrolment(REG.value, token) is not None  # known from now on
    found: list[object] = []
    with store._lock:  # another request's transaction in progress
        checker = threading.Thread(target=lambda: found.append(store.enrolment(REG.value, token)))
        checker.daemon = True
        checker.start()
        checker.join(timeout=5)
    assert found and found[0] == store.enrolment(REG.value, token)


def test_tampered_body_is_refused(backends, credentials, signing_key) -> None:
    signed = sign_manifest(make_manifest(REG), signing_key)
    response = httpx.put(
        f"{backends.url(REG)}/v1/packages/{signed.manifest.package_id}",
        content=signed.body.replace(b"W01", b"W09"),
        headers={"Authorization": f"Bearer {credentials[REG].token}", "Yichuang-Signature": signed.signature},
    )
    assert response.status_code == 403


def test_a_package_is_held_under_its_ids_as_validated(backends, credentials, signing_key) -> None:
    # The store takes the body's own JSON (cheaper than dumping the validated model) with the ids
    # put back in their validated form: a package id in capitals is the same package.
    tx = Department.TRANSACTION
    manifest = make_manifest(tx)
    ids = (str(manifest.package_id), str(manifest.case_id))
    body = canonical_bytes(manifest)
    for text in ids:
        body = body.replace(text.encode(), text.upper().encode())
    assert ids[0].upper().encode() in body
    response = httpx.put(
        f"{backends.url(tx)}/v1/packages/{ids[0]}",
        content=body,
        headers={
            "Authorization": f"Bearer {credentials[tx].token}",
            SIGNATURE_HEADER: signature_header(body, signing_key),
            SUBMIT_HEADER: "if-complete",
        },
    )
    assert response.status_code == 201, response.text
    held = backends.store.package(tx.value, ids[0])
    assert held is not None and (held.case_id, held.receipt_no) == (ids[1], response.json()["receipt_no"])
    assert poll(manifest.package_id, backends.url(tx), credentials[tx]).receipt_no == held.receipt_no


def test_package_for_another_department_is_rejected_with_reasons(backends, credentials, signing_key) -> None:
    manifest = make_manifest(Department.TAX)
    with pytest.raises(ServerRejected) as caught:
        deliver(manifest, NO_FILES, backends.url(REG), credentials[REG], signing_key)
    assert caught.value.status == 400
    assert any("接收部门" in r for r in caught.value.reasons)


def test_a_blob_is_on_disk_before_it_is_recorded_complete(
    backends: ReferenceBackends, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window deletes its copy once told: the back end's record must never outlive the bytes."""
    data, ref = blob(300_000)
    store = backends.store
    synced: list[tuple[int, tuple[int, int | None, bool]]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        real_fsync(fd)
        synced.append((os.fstat(fd).st_size, store.blob_offset(REG.value, ref.sha256)))

    monkeypatch.setattr(os, "fsync", fsync)
    store.put_chunk(REG.value, ref.sha256, 0, ref.size, data[:100_000])
    assert synced == []  # a chunk short of the end is not synced on its own
    result = store.put_chunk(REG.value, ref.sha256, 100_000, ref.size, data[100_000:])
    assert result.complete
    assert synced == [(ref.size, (100_000, ref.size, False))]  # every byte on disk, not yet complete
    assert store.blob_offset(REG.value, ref.sha256) == (ref.size, ref.size, True)
    assert store.blob_bytes(REG.value, ref.sha256) == data


@pytest.mark.skipif(not hasattr(os, "O_DIRECT"), reason="O_DIRECT is Linux's")
def test_a_blob_that_arrives_whole_goes_straight_to_disk(backends, monkeypatch) -> None:
    # Not through the page cache (O_DIRECT), synced before it is recorded complete, and cut back
    # from its block-sized padding to its exact size.
    data, ref = blob(300_001)
    store = backends.store
    opened: list[int] = []
    synced: list[tuple[int, tuple[int, int | None, bool]]] = []
    real_open, real_fsync = os.open, os.fsync

    def spy_open(path: Any, flags: int, *args: Any) -> int:
        opened.append(flags)
        return real_open(path, flags, *args)

    def fsync(fd: int) -> None:
        real_fsync(fd)
        synced.append((os.fstat(fd).st_size, store.blob_offset(REG.value, ref.sha256)))

    real_tx = store._tx
    transactions: list[int] = []

    def counted_tx() -> Any:
        transactions.append(1)
        return real_tx()

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(store, "_tx", counted_tx)
    before = store.counters(REG.value)
    assert store.put_chunk(REG.value, ref.sha256, 0, ref.size, data).complete
    assert [flags & os.O_DIRECT for flags in opened] == [os.O_DIRECT]
    assert synced == [(ref.size, (0, None, False))]  # on disk before anything is recorded
    assert len(transactions) == 1  # then recorded once, complete
    after = store.counters(REG.value)
    assert after.get("blob_chunks", 0) - before.get("blob_chunks", 0) == 1
    assert after.get("blob_bytes_received", 0) - before.get("blob_bytes_received", 0) == ref.size
    assert store.blob_offset(REG.value, ref.sha256) == (ref.size, ref.size, True)
    assert store.blob_bytes(REG.value, ref.sha256) == data


@pytest.mark.skipif(not hasattr(os, "O_DIRECT"), reason="O_DIRECT is Linux's")
@pytest.mark.parametrize("refusal", ["open", "write"])
def test_a_file_system_without_direct_writes_gets_the_blob_through_the_cache(
    backends, monkeypatch, refusal: str
) -> None:
    # tmpfs refuses O_DIRECT at open; some file systems take the flag and refuse the write.
    import fcntl

    data, ref = blob(200_000)
    real_open, real_write = os.open, os.write
    refused: list[str] = []

    def spy_open(path: Any, flags: int, *args: Any) -> int:
        if flags & os.O_DIRECT and refusal == "open":
            refused.append("open")
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_open(path, flags, *args)

    def spy_write(fd: int, data: Any) -> int:
        if refusal == "write" and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_DIRECT:
            refused.append("write")
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_write(fd, data)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "write", spy_write)
    assert backends.store.put_chunk(REG.value, ref.sha256, 0, ref.size, data).complete
    assert refused == [refusal]
    assert backends.store.blob_bytes(REG.value, ref.sha256) == data


def test_upload_resumes_after_a_dropped_connection(backends, credentials, signing_key) -> None:
    chunk = 64 * 1024
    data, ref = blob(5 * chunk + 1234)
    small, small_ref = blob(100, seed=3)
    manifest = make_manifest(REG, attachments=[ref, small_ref])
    files = reader_for({ref.sha256: data, small_ref.sha256: small})
    backends.set_script(REG, DepartmentScript(drop_after_chunks=2))
    sent: list[int] = []
    with pytest.raises(ServerUnavailable):
        deliver(
            manifest, files, backends.url(REG), credentials[REG], signing_key, chunk, on_bytes=sent.append
        )
    assert backends.deliveries(REG) == []
    receipt = deliver(
        manifest, files, backends.url(REG), credentials[REG], signing_key, chunk, on_bytes=sent.append
    )
    total = len(data) + len(small)
    assert total < sum(sent) <= total + chunk  # sent again: at most the one chunk that was cut off
    assert backends.counters(REG)["dropped_chunks"] == 1
    assert backends.store.blob_bytes(REG.value, ref.sha256) == data
    assert receipt.duplicate  # the manifest was already held from the first attempt
    assert len(backends.deliveries(REG)) == 1


def test_blob_already_held_is_not_sent_again(backends, credentials, signing_key) -> None:
    data, ref = blob(10_000)
    files = reader_for({ref.sha256: data})
    deliver(make_manifest(REG, attachments=[ref]), files, backends.url(REG), credentials[REG], signing_key)
    sent: list[int] = []
    receipt = deliver(
        make_manifest(REG, attachments=[ref]),
        files,
        backends.url(REG),
        credentials[REG],
        signing_key,
        on_bytes=sent.append,
    )
    assert sent == [] and receipt.blobs_uploaded == ()
    assert len(backends.deliveries(REG)) == 2  # two packages (two ids), one blob


def test_a_malformed_submit_header_is_refused_before_the_chunk_is_stored(backends, credentials) -> None:
    data, ref = blob(5000)
    url = f"{backends.url(REG)}/v1/blobs/{ref.sha256}"
    auth = {"Authorization": f"Bearer {credentials[REG].token}"}
    response = httpx.put(
        url,
        content=data,
        headers={
            **auth,
            "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}",
            "Yichuang-Submit": "the-first-one",
        },
    )
    assert response.status_code == 400 and "Yichuang-Submit" in response.json()["reasons"][0]
    assert httpx.head(url, headers=auth).headers["Upload-Offset"] == "0"
    assert backends.store.blob_bytes(REG.value, ref.sha256) is None


def test_corrupted_blob_is_rejected_and_discarded(backends, credentials, signing_key) -> None:
    data, ref = blob(3000)
    broken = bytes([data[0] ^ 0xFF]) + data[1:]
    manifest = make_manifest(REG, attachments=[ref])
    with pytest.raises(BlobCorrupt) as caught:
        deliver(
            manifest, reader_for({ref.sha256: broken}), backends.url(REG), credentials[REG], signing_key, 1024
        )
    assert not caught.value.retryable  # the local copy itself is bad: rescan
    assert backends.store.blob_offset(REG.value, ref.sha256) == (0, None, False)
    assert backends.counters(REG)["corrupt_blobs"] == 1
    with pytest.raises(ServerRejected, match="附件未上传"):
        httpx_submit(backends, credentials, manifest.package_id)
    receipt = deliver(
        manifest, reader_for({ref.sha256: data}), backends.url(REG), credentials[REG], signing_key
    )
    assert receipt.receipt_no.startswith("DJ")


def httpx_submit(backends: ReferenceBackends, credentials, package_id: uuid.UUID) -> None:
    response = httpx.post(
        f"{backends.url(REG)}/v1/packages/{package_id}/submit",
        headers={"Authorization": f"Bearer {credentials[REG].token}"},
    )
    if response.status_code == 400:
        raise ServerRejected(response.json()["reasons"], 400)
    response.raise_for_status()


def test_scripted_answers_come_back_by_poll(backends, credentials, signing_key) -> None:
    backends.set_script(
        Department.TRANSACTION, DepartmentScript(outcome="rejected", reasons=["合同未网签备案"])
    )
    backends.set_script(REG, DepartmentScript(outcome="accepted", answer_delay=0.3, completion_days=5))
    estimate = {
        "lines": [
            {
                "tax": "deed_tax",
                "payer": "right_holder",
                "amount": "20000.00",
                "base": "2000000.00",
                "rate": "0.01",
            },
            {"tax": "stamp_duty", "payer": "obligor", "amount": "0.00"},
        ]
    }
    backends.set_script(Department.TAX, DepartmentScript(assessment_delta=Decimal("500")))
    receipts = {}
    manifests = {}
    for d in Department:
        manifests[d] = make_manifest(d, tax_estimate=estimate if d is Department.TAX else None)
        receipts[d] = deliver(manifests[d], NO_FILES, backends.url(d), credentials[d], signing_key)

    rejected = poll(
        manifests[Department.TRANSACTION].package_id,
        backends.url(Department.TRANSACTION),
        credentials[Department.TRANSACTION],
    )
    assert (rejected.state, rejected.reasons, rejected.result) == ("rejected", ["合同未网签备案"], None)

    tax = poll(
        manifests[Department.TAX].package_id, backends.url(Department.TAX), credentials[Department.TAX]
    )
    assert tax.state == "accepted" and tax.receipt_no == receipts[Department.TAX].receipt_no
    assert tax.result is not None
    assessment = Assessment.model_validate(tax.result["assessment"])
    assert assessment.amount_due == Decimal("20500.00")  # differs from the 20,000.00 estimated
    assert assessment.payment_code and assessment.payment_code.startswith("JK")

    # each acknowledgement carried the answer as it stood: given at once, or still to come
    assert receipts[Department.TRANSACTION].status == rejected
    assert receipts[Department.TAX].status == tax
    still_to_come = receipts[REG].status
    assert still_to_come is not None and still_to_come.state == "received"

    pending = poll(manifests[REG].package_id, backends.url(REG), credentials[REG])
    assert (pending.state, pending.result) == ("received", None)
    assert pending.receipt_no == receipts[REG].receipt_no
    time.sleep(0.35)
    done = poll(manifests[REG].package_id, backends.url(REG), credentials[REG])
    assert done.state == "accepted" and done.result is not None
    assert done.result["acceptance_no"] == receipts[REG].receipt_no


@pytest.mark.parametrize("plain", [False, True])
def test_a_submit_reply_carries_the_answer_unless_the_back_end_keeps_to_the_plain_protocol(
    backends, credentials, signing_key, plain: bool
) -> None:
    tx = Department.TRANSACTION
    backends.set_script(
        tx, DepartmentScript(outcome="rejected", reasons=["合同未网签备案"], plain_protocol=plain)
    )
    signed = sign_manifest(make_manifest(tx), signing_key)
    auth = {"Authorization": f"Bearer {credentials[tx].token}"}
    base = backends.url(tx)
    pid = signed.manifest.package_id
    with httpx.Client() as client:
        put = client.put(
            f"{base}/v1/packages/{pid}",
            content=signed.body,
            headers={**auth, SIGNATURE_HEADER: signed.signature, "Content-Type": "application/json"},
        )
        assert put.status_code == 201 and "receipt_no" not in put.json()  # held, not submitted
        reply = client.post(f"{base}/v1/packages/{pid}/submit", headers=auth).json()
    assert reply["receipt_no"].startswith("JY")
    if plain:
        assert "answer" not in reply
    else:
        answer = reply["answer"]
        assert (answer["package_id"], answer["state"], answer["reasons"]) == (
            str(pid),
            "rejected",
            ["合同未网签备案"],
        )
        assert answer["receipt_no"] == reply["receipt_no"]


def test_down_back_end_and_refused_connection_are_retryable(backends, credentials, signing_key) -> None:
    backends.set_script(REG, DepartmentScript(down=True))
    with pytest.raises(ServerUnavailable) as caught:
        deliver(make_manifest(REG), NO_FILES, backends.url(REG), credentials[REG], signing_key)
    assert caught.value.status == 503 and caught.value.retryable
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free_port = s.getsockname()[1]
    with pytest.raises(ServerUnavailable) as caught:
        deliver(
            make_manifest(REG),
            NO_FILES,
            f"http://127.0.0.1:{free_port}/registration",
            credentials[REG],
            signing_key,
        )
    assert caught.value.status is None


def test_admin_endpoint_scripts_a_department(backends, credentials, signing_key) -> None:
    response = httpx.put(f"http://127.0.0.1:{backends.port}/admin/scripts/tax", json={"down": True})
    assert response.status_code == 200
    with pytest.raises(ServerUnavailable):
        deliver(
            make_manifest(Department.TAX),
            NO_FILES,
            backends.url(Department.TAX),
            credentials[Department.TAX],
            signing_key,
        )
    bad = httpx.put(f"http://127.0.0.1:{backends.port}/admin/scripts/tax", json={"outcome": "maybe"})
    assert bad.status_code == 400


def test_packages_survive_a_restart(tmp_path: Path, signing_key) -> None:
    db = tmp_path / "b.sqlite"
    with ReferenceBackends(db) as first:
        cred = enrol(first.url(REG), "yichuang-demo-token", signing_key.public_key())
        manifest = make_manifest(REG)
        receipt = deliver(manifest, NO_FILES, first.url(REG), cred, signing_key)
    with ReferenceBackends(db) as second:
        again = deliver(manifest, NO_FILES, second.url(REG), cred, signing_key)
        assert again.duplicate and again.receipt_no == receipt.receipt_no
        assert poll(manifest.package_id, second.url(REG), cred).state == "accepted"


def test_every_openapi_operation_is_routed(backends) -> None:
    spec = yaml.safe_load((Path(__file__).parents[2] / "sync" / "openapi.yaml").read_text("utf-8"))
    filled = {"{package_id}": str(uuid.uuid4()), "{sha256}": "0" * 64}
    for path, item in spec["paths"].items():
        for name, value in filled.items():
            path = path.replace(name, value)
        for method in ("get", "put", "post", "head"):
            if method in item:
                response = httpx.request(method.upper(), f"{backends.url(REG)}{path}", content=b"{}")
                assert response.status_code in (400, 401, 403), (method, path, response.status_code)
