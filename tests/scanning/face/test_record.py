from __future__ import annotations

from datetime import UTC, datetime

import pytest

from forms.case import IdType
from scanning.errors import OverrideNotAllowed
from scanning.face.record import Decision, FaceCheckRecord, decide, override
from scanning.face.results import FaceMatchResult, LivenessResult, ReferenceSource

MATCH = FaceMatchResult(distance=0.38, threshold=0.5, matched=True, duration=0.2)
NO_MATCH = FaceMatchResult(distance=0.81, threshold=0.5, matched=False, duration=0.2)
LIVE = LivenessResult(passed=True, blinks=1, max_yaw=18.0, frames=17, duration=1.6)
PHOTO = LivenessResult(passed=False, reasons=["未检测到眨眼"], frames=30, duration=3.0)
AT = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def _record(match=MATCH, liveness=LIVE) -> FaceCheckRecord:
    return FaceCheckRecord.create(
        party_id="p1",
        document_type=IdType.RESIDENT_ID,
        reference_source=ReferenceSource.ID_CHIP,
        match=match,
        liveness=liveness,
        live_jpeg=b"\xff\xd8live",
        reference_jpeg=b"\xff\xd8ref",
        checked_at=AT,
    )


@pytest.mark.parametrize(
    ("match", "liveness", "decision"),
    [
        (MATCH, LIVE, Decision.ACCEPTED),
        (NO_MATCH, LIVE, Decision.REJECTED),
        (MATCH, PHOTO, Decision.REJECTED),
    ],
)
def test_decide(match, liveness, decision):
    assert decide(match, liveness) is decision
    assert _record(match, liveness).decision is decision


def test_accepted_record_holds_the_scores():
    record = _record()
    assert record.accepted
    assert (record.distance, record.threshold, record.matched) == (0.38, 0.5, True)
    assert record.liveness_passed and record.liveness_reasons == ()
    assert (record.blinks, record.max_yaw) == (1, 18.0)
    assert record.reasons == []
    assert record.checked_at == AT


def test_rejected_record_says_why():
    record = _record(NO_MATCH, PHOTO)
    assert not record.accepted
    assert record.reasons[0].startswith("现场人脸与证件芯片照片不一致（距离 0.81，阈值 0.50）")
    assert record.reasons[1:] == ["未检测到眨眼"]


def test_override_needs_a_reason_and_a_supervisor():
    record = _record(NO_MATCH, LIVE)
    with pytest.raises(OverrideNotAllowed, match="放行理由"):
        override(record, "zhang.supervisor", "  ")
    with pytest.raises(OverrideNotAllowed, match="主管账号"):
        override(record, "", "已核对护照原件")
    done = override(record, " zhang.supervisor ", " 已核对护照原件 ", at=AT)
    assert done.decision is Decision.OVERRIDDEN
    assert done.accepted
    assert (done.supervisor, done.override_reason) == ("zhang.supervisor", "已核对护照原件")
    assert done.overridden_at == AT
    # The measurements stay as they were: the override is recorded, not hidden.
    assert (done.distance, done.matched, done.reasons) == (record.distance, False, record.reasons)
    assert record.decision is Decision.REJECTED


def test_only_a_rejected_check_can_be_overridden():
    with pytest.raises(OverrideNotAllowed, match="核验通过"):
        override(_record(), "zhang.supervisor", "理由")
    overridden = override(_record(NO_MATCH), "zhang.supervisor", "理由")
    with pytest.raises(OverrideNotAllowed, match="主管人工核验通过"):
        override(overridden, "li.supervisor", "再次放行")


def test_repr_and_json_hide_the_images():
    record = _record(NO_MATCH, PHOTO)
    assert "xd8" not in repr(record) and "p1" not in repr(record)
    data = record.to_json_dict()
    assert "live_jpeg" not in data
    assert data["decision"] == "rejected"
    assert data["document_type"] == "resident_id"
    assert data["reference_source"] == "id_chip"
    assert data["checked_at"] == "2026-11-26T09:30:00+00:00"
    with_images = record.to_json_dict(include_images=True)
    assert with_images["live_jpeg"] == "/9hsaXZl"


def test_labels():
    assert Decision.OVERRIDDEN.label == "主管人工核验通过"
    assert ReferenceSource.PASSPORT_DG2.label == "护照芯片照片"
