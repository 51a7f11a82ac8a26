"""Retention of local scans and face-check photos (issue 8), on SQLite and PostgreSQL; the CLI."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from forms.case import IdType
from printing import render
from scanning.face.record import FaceCheckRecord
from scanning.face.results import FaceMatchResult, LivenessResult, ReferenceSource
from sync.outbox import Answer, LegState
from sync.package import Department, attachment_ref, build_manifest, canonical_bytes
from tests.printing.helpers import pdf_text
from tests.workstation.storage.cases import sample_case
from workstation import identity_service as ids
from workstation import retention
from workstation.audit import AuditKind
from workstation.storage.api import Role, User
from workstation.storage.errors import AttachmentNotFound, AttachmentPurged
from workstation.storage.models import OutboxLegRow
from workstation.storage.store import SqlStore

SCAN = b"%PDF-1.4 scan " + os.urandom(4000)
OTHER_SCAN = b"%PDF-1.4 later " + os.urandom(3000)
LIVE = b"\xff\xd8\xff\xe0" + os.urandom(2500) + b"\xff\xd9"
REFERENCE = b"\xff\xd8\xff\xe0" + os.urandom(1500) + b"\xff\xd9"
DAYS = 30


@pytest.fixture
def clerk(store: SqlStore) -> User:
    return store.add_user(username="clerk", display_name="王受理", password="password-1", role=Role.CLERK)


def face_record(party_id: str) -> FaceCheckRecord:
    return FaceCheckRecord.create(
        party_id=party_id,
        document_type=IdType.RESIDENT_ID,
        reference_source=ReferenceSource.ID_CHIP,
        match=FaceMatchResult(distance=0.38, threshold=0.5, matched=True, duration=0.3),
        liveness=LivenessResult(passed=True, reasons=[], blinks=1),
        live_jpeg=LIVE,
        reference_jpeg=REFERENCE,
        checked_at=datetime(2025, 3, 14, 1, 0, tzinfo=UTC),
    )


def add_leg(
    store: SqlStore,
    case_id: uuid.UUID,
    department: Department,
    state: LegState,
    *,
    scans: Sequence[bytes] = (),
    delivered_at: datetime | None = None,
    answer: Answer | None = None,
    error: str | None = None,
    version: int = 1,
) -> uuid.UUID:
    """A leg as the outbox writes it: a real signed-manifest body (encrypted) listing ``scans``."""
    case, _state = store.load_case(case_id)
    now = store._clock()
    package = uuid.uuid4()
    refs = [
        attachment_ref(data, name=f"{i}.pdf", media_type="application/pdf") for i, data in enumerate(scans)
    ]
    manifest = build_manifest(
        case,
        department,
        package_id=package,
        case_version=version,
        office_code="11010501",
        window_id="03",
        created_at=now,
        attachments=refs,
    )
    cipher = store.cipher
    row = str(package)
    with Session(store.engine) as s, s.begin():
        s.add(
            OutboxLegRow(
                package_id=package,
                case_id=case_id,
                department=department.value,
                case_version=version,
                supersedes=None,
                state=state.value,
                attempts=1,
                next_attempt_at=now,
                last_error_kind="ServerRejected" if error else None,
                last_error=cipher.encrypt(error.encode(), table="outbox_legs", column="last_error", row=row)
                if error
                else None,
                manifest=cipher.encrypt(
                    canonical_bytes(manifest), table="outbox_legs", column="manifest", row=row
                ),
                receipt_no=answer.receipt_no if answer is not None else None,
                answer=cipher.encrypt_json(answer.to_json(), table="outbox_legs", column="answer", row=row)
                if answer is not None
                else None,
                created_at=now,
                updated_at=now,
                delivered_at=delivered_at,
                answered_at=delivered_at if answer is not None else None,
            )
        )
    return package


def run(store: SqlStore, *, dry_run: bool = False) -> retention.RetentionOutcome:
    return retention.run_retention(store, days=DAYS, now=store._clock(), dry_run=dry_run)


def test_scans_and_photos_go_once_registration_holds_them_and_the_period_passed(store, clerk, clock):
    case = store.import_case(sample_case(), user=clerk)
    party = case.parties[0].id
    scan = store.add_attachment(case.id, material_code="id_copy", data=SCAN, pages=2, user=clerk)
    check = ids.save_check(store, case.id, face_record(party), user=clerk)
    clock.advance(hours=1)
    add_leg(store, case.id, Department.REGISTRATION, LegState.DELIVERED, scans=[SCAN], delivered_at=clock())
    add_leg(store, case.id, Department.TAX, LegState.QUEUED)  # tax never holds scans: no matter

    clock.advance(days=DAYS - 1)  # confirmed, but the period has not passed
    assert run(store).attachments == 0 and store.attachment_data(scan.id) == SCAN

    clock.advance(days=2)
    preview = run(store, dry_run=True)
    assert (preview.attachments, preview.identity_checks, preview.cases) == (1, 1, 1)
    assert preview.attachment_bytes == len(SCAN) and preview.audit_seq is None
    assert store.attachment_data(scan.id) == SCAN  # a dry run changes nothing
    assert store.identity_check_images(check.id) == (LIVE, REFERENCE)

    done = run(store)
    assert (done.attachments, done.identity_checks, done.cases, done.dry_run) == (1, 1, 1, False)
    with pytest.raises(AttachmentPurged, match=retention.PURGED_MESSAGE) as caught:
        store.attachment_data(scan.id)
    assert isinstance(caught.value, AttachmentNotFound)  # old handlers still catch it
    assert store.attachment_purges(case.id) == {scan.id: clock()}
    [kept] = store.attachments(case.id)  # the row stays: material, pages, size, hash
    assert kept.pages == 2 and kept.sha256 == scan.sha256
    assert store.identity_check_images(check.id) == (None, None)
    assert store.identity_image_purges(case.id) == {check.id: clock()}
    purged_check = store.identity_check(check.id)
    assert purged_check.record["distance"] == 0.38 and purged_check.record["images_purged_at"]

    entries = [e for e in store.audit_entries() if e.kind == AuditKind.RETENTION.value]
    assert len(entries) == 2 and entries[-1].seq == done.audit_seq  # every real run, even an empty one
    assert store.audit_details(entries[0])["attachments"] == 0
    details = store.audit_details(entries[-1])
    assert details["attachments"] == 1 and details["identity_checks"] == 1 and details["days"] == DAYS
    assert set(details) == {"attachments", "attachment_bytes", "identity_checks", "cases", "days", "cutoff"}
    assert store.last_retention_run() == clock()
    assert store.verify_audit().ok

    again = run(store)
    assert (again.attachments, again.identity_checks) == (0, 0)


def test_nothing_goes_that_no_held_leg_carried(store, clerk, clock):
    case = store.import_case(sample_case(), user=clerk)
    carried = store.add_attachment(case.id, material_code="id_copy", data=SCAN, pages=1, user=clerk)
    never_sent = store.add_attachment(case.id, material_code="contract", data=OTHER_SCAN, pages=1, user=clerk)
    for state in (LegState.QUEUED, LegState.SENDING, LegState.FAILED, LegState.REJECTED):
        add_leg(store, case.id, Department.REGISTRATION, state, scans=[SCAN])
    other = store.import_case(sample_case(name="赵六"), user=clerk)
    foreign = store.add_attachment(other.id, material_code="id_copy", data=SCAN, pages=1, user=clerk)
    clock.advance(days=DAYS + 5)
    assert run(store).attachments == 0  # no leg holds it yet

    add_leg(store, case.id, Department.REGISTRATION, LegState.ACCEPTED, scans=[SCAN], delivered_at=clock())
    clock.advance(days=DAYS + 1)
    assert run(store).attachments == 1
    with pytest.raises(AttachmentPurged):
        store.attachment_data(carried.id)
    assert store.attachment_data(never_sent.id) == OTHER_SCAN  # not in any manifest
    assert store.attachment_data(foreign.id) == SCAN  # the same bytes, but another case's leg


def test_photos_need_a_registration_leg_queued_after_the_check(store, clerk, clock):
    case = store.import_case(sample_case(), user=clerk)
    party = case.parties[0].id
    add_leg(store, case.id, Department.TAX, LegState.COMPLETED, delivered_at=clock())
    add_leg(store, case.id, Department.REGISTRATION, LegState.COMPLETED, delivered_at=clock())
    clock.advance(minutes=5)
    later = ids.save_check(store, case.id, face_record(party), user=clerk)  # after the submission
    clock.advance(days=DAYS + 1)
    assert run(store).identity_checks == 0
    assert store.identity_check_images(later.id) == (LIVE, REFERENCE)


def test_run_if_due_runs_once_a_day_and_zero_days_never(store, clerk, clock):
    assert retention.run_if_due(store, days=0, now=clock()) is None
    first = retention.run_if_due(store, days=DAYS, now=clock())
    assert first is not None and first.audit_seq is not None
    clock.advance(hours=23)
    assert retention.run_if_due(store, days=DAYS, now=clock()) is None
    clock.advance(hours=1)
    assert retention.run_if_due(store, days=DAYS, now=clock()) is not None
    with pytest.raises(ValueError):
        retention.run_retention(store, days=0)


def test_reprinted_check_record_says_the_photos_were_deleted(store, clerk, clock):
    from forms.catalog import load_catalog
    from workstation import printing_service

    case = store.import_case(
        sample_case().model_copy(update={"business_type": "second_hand_sale"}), user=clerk
    )
    check = ids.save_check(store, case.id, face_record(case.parties[0].id), user=clerk)
    clock.advance(hours=1)
    add_leg(store, case.id, Department.REGISTRATION, LegState.DELIVERED, delivered_at=clock())
    clock.advance(days=DAYS + 1)
    assert run(store).identity_checks == 1
    [row] = ids.print_records(store.identity_checks(case.id))
    assert retention.PHOTOS_PURGED_NOTE in row.method and row.decision == "核验通过"
    assert ids.photos_note(store.identity_check(check.id)).startswith(retention.PHOTOS_PURGED_NOTE)
    ctx = printing_service.build_context(
        case,
        store=store,
        settings=store._settings,
        catalog=load_catalog(),
        user=clerk,
        delivered=True,
        today=clock().date(),
    )
    text = pdf_text(render("idcheck", case, ctx)).replace(" ", "").replace("\n", "")
    assert "人证核验记录" in text and "按保留期限删除" in text and "0.380／0.500" in text


# ------------------------------------------------------------------------------------ CLI
def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from workstation.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_dry_run_then_run_and_the_scheduled_step(capsys, data_dir):
    from workstation.cli import _settings, _store

    assert _cli(capsys, "users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")[0] == 0
    store = _store()
    try:
        admin = store.list_users()[0]
        case = store.import_case(sample_case(), user=admin)
        scan = store.add_attachment(case.id, material_code="id_copy", data=SCAN, pages=1, user=admin)
        long_ago = datetime.now(UTC) - timedelta(days=DAYS + 3)
        add_leg(
            store, case.id, Department.REGISTRATION, LegState.COMPLETED, scans=[SCAN], delivered_at=long_ago
        )
    finally:
        store.close()

    code, out, _err = _cli(capsys, "retention", "run", "--dry-run", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["dry_run"] is True and report["attachments"] == 1 and report["audit_seq"] is None

    code, out, _err = _cli(capsys, "retention", "run")
    assert code == 0 and "已删除本地扫描件 1 份" in out

    store = _store()
    try:
        with pytest.raises(AttachmentPurged, match="登记部门已确认收到"):
            store.attachment_data(scan.id)
        last = store.last_retention_run()
    finally:
        store.close()
    assert last is not None
    # the scheduled task's step: the CLI run above was less than a day ago, so nothing is due
    assert retention.scheduled_run(_settings(), data_dir=data_dir) is None
    code, out, _err = _cli(capsys, "backup", "auto")
    assert code == 0 and "已删除" not in out


def test_scheduled_step_never_creates_a_database(data_dir):
    from workstation.config import load_settings

    settings = load_settings()
    assert retention.scheduled_run(settings, data_dir=data_dir) is None
    assert not (data_dir / "yichuang.db").exists()


def test_scheduled_backup_task_purges_once_a_day(capsys):
    from workstation.cli import _store

    assert _cli(capsys, "users", "add", "admin", "--role", "admin", "--password", "admin-pass-1")[0] == 0
    store = _store()
    try:
        admin = store.list_users()[0]
        case = store.import_case(sample_case(), user=admin)
        scan = store.add_attachment(case.id, material_code="id_copy", data=SCAN, pages=1, user=admin)
        long_ago = datetime.now(UTC) - timedelta(days=DAYS + 3)
        add_leg(
            store, case.id, Department.REGISTRATION, LegState.DELIVERED, scans=[SCAN], delivered_at=long_ago
        )
    finally:
        store.close()
    code, out, err = _cli(capsys, "backup", "auto")
    assert code == 0 and "已删除本地扫描件 1 份" in out and "已备份到" in out, err
    code, out, _err = _cli(capsys, "backup", "auto")
    assert code == 0 and "已删除" not in out  # not again within the day
    store = _store()
    try:
        with pytest.raises(AttachmentPurged):
            store.attachment_data(scan.id)
    finally:
        store.close()
