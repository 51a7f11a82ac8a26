from __future__ import annotations

import threading
from datetime import UTC, datetime

import cv2
import numpy as np
import pytest

from forms.case import IdType
from scanning.errors import FaceCheckCancelled, NoFaceFound
from scanning.face import synth
from scanning.face.camera import OpenCvCamera
from scanning.face.check import FaceCheckProgress, run_face_check
from scanning.face.liveness import PROMPT_DONE, PROMPT_START
from scanning.face.record import Decision, FaceCheckRecord, override

AT = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def _check(video, reference, matcher, detector, **kwargs) -> FaceCheckRecord:
    with OpenCvCamera(str(video)) as camera:
        return run_face_check(
            camera,
            reference,
            party_id="p7",
            document_type=IdType.RESIDENT_ID,
            matcher=matcher,
            liveness=detector,
            now=lambda: AT,
            **kwargs,
        )


def test_live_holder_is_accepted(videos, chip_reference, matcher, detector):
    progress: list[FaceCheckProgress] = []
    record = _check(videos["blink_and_turn"], chip_reference, matcher, detector, on_progress=progress.append)
    assert record.decision is Decision.ACCEPTED, record.reasons
    assert record.matched and record.distance < 0.45 and record.threshold == 0.5
    assert record.liveness_passed and record.blinks >= 1
    assert record.checked_at == AT
    assert (record.party_id, record.document_type) == ("p7", IdType.RESIDENT_ID)
    # The progress reports carry the live image and the prompt; the check stopped once passed.
    assert progress[0].prompt == PROMPT_START and progress[-1].prompt == PROMPT_DONE
    assert progress[0].frame.image.shape == (300, 400, 3)
    assert len(progress) <= 17
    # The images are JPEG, the live one is an eyes-open frame of the applicant.
    live = cv2.imdecode(np.frombuffer(record.live_jpeg, "uint8"), cv2.IMREAD_COLOR)
    reference = cv2.imdecode(np.frombuffer(record.reference_jpeg, "uint8"), cv2.IMREAD_COLOR)
    assert live is not None and reference is not None
    assert live.shape == (300, 400, 3)
    assert reference.shape == (126, 102, 3)


def test_other_person_is_rejected_and_can_be_overridden(videos, other_reference, matcher, detector):
    record = _check(videos["blink_and_turn"], other_reference, matcher, detector)
    assert record.decision is Decision.REJECTED
    assert not record.matched and record.liveness_passed
    assert record.reasons[0].startswith("现场人脸与证件芯片照片不一致")
    done = override(record, "zhang.supervisor", "已核对户口簿及其他有效证件")
    assert done.decision is Decision.OVERRIDDEN


@pytest.mark.parametrize("video", ["still", "moved"])
def test_photo_of_the_holder_is_rejected_by_liveness(video, videos, chip_reference, matcher, detector):
    record = _check(videos[video], chip_reference, matcher, detector, max_seconds=1.5)
    assert record.decision is Decision.REJECTED
    assert record.matched  # it is the holder's face, but not a live one
    assert not record.liveness_passed
    assert any("未检测到眨眼" in r for r in record.reasons)


def test_cancel(videos, chip_reference, matcher, detector):
    cancel = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        if len(seen) == 3:
            cancel.set()

    with pytest.raises(FaceCheckCancelled, match="已取消"):
        _check(videos["still"], chip_reference, matcher, detector, on_progress=progress, cancel=cancel)
    assert len(seen) == 3


def test_no_face_before_the_camera(blank_frame, tmp_path, chip_reference, matcher, detector):
    video = synth.write_video([blank_frame] * 5, tmp_path / "empty.avi")
    with pytest.raises(NoFaceFound, match="没有可用的人脸"):
        _check(video, chip_reference, matcher, detector)


def test_bad_reference_fails_before_the_camera_is_used(videos, blank_frame, matcher, detector):
    from scanning.face.matcher import Reference
    from scanning.face.results import ReferenceSource

    camera = OpenCvCamera(str(videos["still"]))
    with pytest.raises(NoFaceFound, match="证件照片中未检测到人脸"):
        run_face_check(
            camera,
            Reference(blank_frame, ReferenceSource.CARD_SCAN),
            party_id="p7",
            document_type=IdType.PASSPORT,
            matcher=matcher,
            liveness=detector,
        )
    assert not camera.is_open
