"""Identity checks in the workstation: the store (encrypted), the supervisor override, the printed record."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from forms.case import Case, IdType, Sex
from forms.catalog import Catalog, load_catalog
from printing import render
from scanning.errors import OverrideNotAllowed, WltDecodeFailed, WltDecoderMissing
from scanning.face.record import Decision, FaceCheckRecord
from scanning.face.results import FaceMatchResult, LivenessResult, ReferenceSource
from scanning.idcard.wlt import MissingWltDecoder
from tests.printing.helpers import pdf_text
from workstation import identity_service as ids
from workstation import printing_service
from workstation.config import Settings
from workstation.storage.api import Role, User
from workstation.storage.errors import LoginFailed, OverrideRefused
from workstation.storage.store import SqlStore, open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
LIVE = b"\xff\xd8\xff\xe0" + os.urandom(3000) + b"\xff\xd9"  # stands in for a JPEG: random, findable
REFERENCE = b"\xff\xd8\xff\xe0" + os.urandom(2000) + b"\xff\xd9"


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    return Settings.model_validate(
        {
            "database_url": f"sqlite:///{data_dir / 'yichuang.db'}",
            "office_code": "33010601",
            "window_id": "03",
            "office_name": "西湖区不动产登记中心",
            "key_protector": "file",
        }
    )


@pytest.fixture
def store(settings: Settings, data_dir: Path) -> Iterator[SqlStore]:
    opened = open_store(settings, data_dir=data_dir, hasher=FAST_HASHER)
    yield opened
    opened.close()


@pytest.fixture
def clerk(store: SqlStore) -> User:
    return store.add_user(username="clerk", display_name="王受理", password="window-03-pass", role=Role.CLERK)


@pytest.fixture
def supervisor(store: SqlStore) -> User:
    return store.add_user(
        username="zhang", display_name="张主管", password="supervisor-pass", role=Role.SUPERVISOR
    )


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def case(store: SqlStore, clerk: User) -> Case:
    data = json.loads((EXAMPLES / "second_hand_sale.json").read_text(encoding="utf-8"))
    return store.import_case(Case.model_validate(data), user=clerk)


def face_record(*, matched: bool, live: bool = True, party_id: str = "buyer1") -> FaceCheckRecord:
    distance = 0.38 if matched else 0.84
    return FaceCheckRecord.create(
        party_id=party_id,
        document_type=IdType.RESIDENT_ID,
        reference_source=ReferenceSource.ID_CHIP,
        match=FaceMatchResult(distance=distance, threshold=0.5, matched=matched, duration=0.3),
        liveness=LivenessResult(
            passed=live, reasons=[] if live else ["未检测到眨眼：请申请人自然眨眼"], blinks=1
        ),
        live_jpeg=LIVE,
        reference_jpeg=REFERENCE,
        checked_at=datetime(2025, 9, 30, 2, 15, tzinfo=UTC),
    )


# ------------------------------------------------------------------------------------ store
def test_check_is_stored_with_images_encrypted(store, clerk, case, data_dir):
    saved = ids.save_check(store, case.id, face_record(matched=True), user=clerk)
    assert saved.decision == "accepted" and saved.party_id == "buyer1" and saved.user_name == "王受理"
    assert saved.record["distance"] == 0.38 and "live_jpeg" not in saved.record
    assert store.identity_check_images(saved.id) == (LIVE, REFERENCE)
    [listed] = store.identity_checks(case.id)
    assert listed.id == saved.id and listed.record == saved.record
    assert store.identity_checks(case.id, "seller1") == []
    raw = (data_dir / "yichuang.db").read_bytes()
    for image in (LIVE, REFERENCE):
        assert image[100:164] not in raw  # any 64 bytes of the images would be found in plaintext
    assert b"0.38" not in raw and b"reference_source" not in raw  # the record JSON too


def test_rejected_check_is_recorded(store, clerk, case):
    saved = ids.save_check(store, case.id, face_record(matched=False), user=clerk)
    assert saved.decision == "rejected"
    assert store.identity_check(saved.id).record["reasons"]


# ------------------------------------------------------------------------------------ override
def test_override_needs_a_supervisor_password_and_a_reason(store, clerk, supervisor, case):
    check = ids.save_check(store, case.id, face_record(matched=False), user=clerk)
    with pytest.raises(OverrideNotAllowed, match="不是主管"):  # a clerk's own, correct credentials
        ids.override_check(
            store,
            check.id,
            supervisor_username="clerk",
            supervisor_password="window-03-pass",
            reason="已核对户口簿",
        )
    with pytest.raises(LoginFailed):
        ids.override_check(
            store,
            check.id,
            supervisor_username="zhang",
            supervisor_password="wrong-password",
            reason="已核对户口簿",
        )
    with pytest.raises(OverrideNotAllowed, match="放行理由"):
        ids.override_check(
            store, check.id, supervisor_username="zhang", supervisor_password="supervisor-pass", reason="  "
        )
    assert store.identity_check(check.id).decision == "rejected"  # nothing changed so far

    done = ids.override_check(
        store,
        check.id,
        supervisor_username="zhang",
        supervisor_password="supervisor-pass",
        reason="已核对户口簿",
    )
    assert done.decision == "overridden" and done.supervisor_id == supervisor.id
    assert done.supervisor_name == "张主管"
    assert done.record["override_reason"] == "已核对户口簿" and done.record["supervisor"] == "zhang"
    assert done.record["distance"] == 0.84  # the scores stay as measured
    with pytest.raises(OverrideNotAllowed):  # only once
        ids.override_check(
            store, check.id, supervisor_username="zhang", supervisor_password="supervisor-pass", reason="再次"
        )


def test_override_is_an_audited_approval(store, clerk, supervisor, case):
    from workstation.audit import AuditKind

    check = ids.save_check(store, case.id, face_record(matched=False, party_id="seller1"), user=clerk)
    before = len(store.audit_entries())
    ids.override_check(
        store,
        check.id,
        supervisor_username="zhang",
        supervisor_password="supervisor-pass",
        reason="已核对户口簿",
    )
    approvals = [e for e in store.audit_entries(after=before) if e.kind == AuditKind.APPROVAL.value]
    assert len(approvals) == 1
    [entry] = approvals
    assert entry.user_id == supervisor.id and entry.case_id == case.id
    details = store.audit_details(entry)
    assert details["action"] == "face_override" and details["exception"] == "face_check_failed"
    assert details["party_id"] == "seller1" and details["check_id"] == check.id
    assert details["clerk_id"] == clerk.id and details["reason"] == "已核对户口簿"
    assert store.verify_audit().ok


def test_refused_override_writes_no_approval(store, clerk, case):
    from workstation.audit import AuditKind

    check = ids.save_check(store, case.id, face_record(matched=False), user=clerk)
    dressed_up = User(clerk.id, clerk.username, clerk.display_name, Role.SUPERVISOR)
    with pytest.raises(OverrideRefused):
        store.override_identity_check(check.id, record={"decision": "overridden"}, supervisor=dressed_up)
    assert not [e for e in store.audit_entries() if e.kind == AuditKind.APPROVAL.value]


def test_store_checks_the_role_itself(store, clerk, case):
    check = ids.save_check(store, case.id, face_record(matched=False), user=clerk)
    dressed_up = User(clerk.id, clerk.username, clerk.display_name, Role.SUPERVISOR)
    with pytest.raises(OverrideRefused):
        store.override_identity_check(check.id, record={"decision": "overridden"}, supervisor=dressed_up)
    assert store.identity_check(check.id).decision == "rejected"


def test_accepted_check_cannot_be_overridden(store, clerk, supervisor, case):
    check = ids.save_check(store, case.id, face_record(matched=True), user=clerk)
    with pytest.raises(OverrideNotAllowed):
        ids.override_check(
            store, check.id, supervisor_username="zhang", supervisor_password="supervisor-pass", reason="无"
        )


# ------------------------------------------------------------------------------------ printing
def test_printed_record_lists_the_decisions(store, clerk, supervisor, case, settings, catalog):
    ids.save_check(store, case.id, face_record(matched=True, party_id="buyer1"), user=clerk)
    rejected = ids.save_check(store, case.id, face_record(matched=False, party_id="seller1"), user=clerk)
    ids.override_check(
        store,
        rejected.id,
        supervisor_username="zhang",
        supervisor_password="supervisor-pass",
        reason="已核对户口簿",
    )
    ctx = printing_service.build_context(
        case,
        store=store,
        settings=settings,
        catalog=catalog,
        user=clerk,
        delivered=False,
        today=date(2025, 9, 30),
    )
    assert [r.decision for r in ctx.identity_checks] == ["核验通过", "主管人工核验通过"]
    assert ctx.identity_checks[1].supervisor == "张主管"
    text = pdf_text(render("idcheck", case, ctx)).replace(" ", "").replace("\n", "")
    assert "人证核验记录" in text and "核验通过" in text and "主管人工核验通过" in text
    assert "已核对户口簿" in text and "张主管" in text and "刘䶮" in text
    assert "0.380／0.500" in text and "0.840／0.500" in text


def test_no_checks_no_record(store, clerk, case, settings, catalog):
    ctx = printing_service.build_context(
        case,
        store=store,
        settings=settings,
        catalog=catalog,
        user=clerk,
        delivered=False,
        today=date(2025, 9, 30),
    )
    assert ctx.identity_checks == ()


# ------------------------------------------------------------------------------------ reference and fields
class FakeDecoder:
    def __init__(self, result: bytes | Exception) -> None:
        self.result = result

    @property
    def available(self) -> bool:
        return True

    def decode(self, wlt: bytes) -> bytes:
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def test_reference_order_chip_then_passport_then_scan():
    chip = ids.DocumentPhoto("id_chip", b"w" * 1024, IdType.RESIDENT_ID)
    dg2 = ids.DocumentPhoto("passport_dg2", b"jpeg", IdType.PASSPORT)
    assert ids.choose_reference(chip, decoder=FakeDecoder(b"BM..."), scan=b"scan") == (
        b"BM...",
        ReferenceSource.ID_CHIP,
    )
    assert ids.choose_reference(dg2, decoder=MissingWltDecoder()) == (b"jpeg", ReferenceSource.PASSPORT_DG2)
    assert ids.choose_reference(chip, decoder=MissingWltDecoder(), scan=b"scan") == (
        b"scan",
        ReferenceSource.CARD_SCAN,
    )
    failing = FakeDecoder(WltDecodeFailed("坏"))
    assert ids.choose_reference(chip, decoder=failing, scan=b"scan")[1] is ReferenceSource.CARD_SCAN
    with pytest.raises(WltDecodeFailed):
        ids.choose_reference(chip, decoder=failing)
    with pytest.raises(ids.ReferenceMissing, match="照片解码库"):
        ids.choose_reference(chip, decoder=MissingWltDecoder())
    with pytest.raises(ids.ReferenceMissing, match="还没有读取"):
        ids.choose_reference(None, decoder=MissingWltDecoder())
    assert not isinstance(WltDecoderMissing("x"), ids.ReferenceMissing)


def test_party_values_and_differences():
    values = ids.party_values(
        {
            "name": "张晓梅",
            "id_type": IdType.RESIDENT_ID,
            "id_number": "330106198804120021",
            "sex": Sex.FEMALE,
            "birth_date": date(1988, 4, 12),
            "address": None,
            "nationality": "CHN",
        }
    )
    assert values == {
        "id_type": "resident_id",
        "id_number": "330106198804120021",
        "name": "张晓梅",
        "sex": "female",
        "birth_date": "1988-04-12",
        "nationality": "CHN",
    }
    typed = {"name": "张小梅", "id_number": "330106198804120021", "sex": None, "phone": "13800000000"}
    [difference] = ids.differing_fields(typed, values)
    assert (difference.key, difference.title, difference.current, difference.document) == (
        "name",
        "姓名/名称",
        "张小梅",
        "张晓梅",
    )
    assert ids.display_value("sex", "female") == "女"
    assert ids.differing_fields({"id_number": "330106198804120021".lower()}, values) == []


def test_face_check_record_round_trip():
    record = face_record(matched=False)
    again = ids.record_from_json(record.to_json_dict())
    assert again.decision is Decision.REJECTED and again.distance == record.distance
    assert again.to_json_dict() == record.to_json_dict()
