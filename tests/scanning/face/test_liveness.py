from __future__ import annotations

import math

import numpy as np
import pytest

from scanning.face import synth
from scanning.face.camera import OpenCvCamera
from scanning.face.liveness import (
    PROMPT_BLINK_AND_TURN,
    PROMPT_DONE,
    PROMPT_START,
    PROMPT_TURN,
    REASON_NO_BLINK,
    REASON_NO_FACE,
    LivenessDetector,
    eye_aspect_ratio,
    face_shape,
    nose_position,
    yaw_degrees,
)
from scanning.face.results import LivenessResult


def _played(videos, name, detector: LivenessDetector, **kwargs) -> LivenessResult:
    """The liveness result of a sequence written to a video file and read back through the camera."""
    with OpenCvCamera(str(videos[name])) as camera:
        return detector.evaluate(camera.frames(), **kwargs)


def test_synthesised_blink_and_turn_passes(videos, detector):
    result = _played(videos, "blink_and_turn", detector)
    assert result.passed, result.reasons
    assert result.reasons == []
    assert result.blinks >= 1
    assert result.max_yaw >= detector.min_turn_degrees
    assert result.duration <= 3.0
    assert result.frames <= 17


def test_still_photo_fails_for_no_blink_and_no_turn(videos, detector):
    result = _played(videos, "still", detector)
    assert not result.passed
    assert result.blinks == 0
    assert result.max_yaw < 1.0
    assert REASON_NO_BLINK in result.reasons
    assert any("未检测到按提示转头" in r and "平移或旋转照片" in r for r in result.reasons)


def test_moved_rotated_scaled_photo_fails(videos, detector):
    result = _played(videos, "moved", detector)
    assert not result.passed
    assert result.blinks == 0
    assert result.max_yaw < detector.min_turn_degrees / 2
    assert REASON_NO_BLINK in result.reasons
    assert len(result.reasons) == 2


def test_blink_without_turn_fails_on_the_turn_only(sequences, detector):
    result = detector.evaluate(synth.as_frames(sequences["blink_only"]))
    assert not result.passed
    assert result.blinks == 1
    assert len(result.reasons) == 1
    assert "未检测到按提示转头" in result.reasons[0]


def test_turn_without_blink_fails_like_a_tilted_photo(sequences, detector):
    result = detector.evaluate(synth.as_frames(sequences["turn_only"]))
    assert not result.passed
    assert result.max_yaw >= detector.min_turn_degrees
    assert result.reasons == [REASON_NO_BLINK]


def test_no_face_at_all(blank_frame, detector):
    result = detector.evaluate(synth.as_frames([blank_frame] * 6))
    assert not result.passed
    assert result.reasons[0] == REASON_NO_FACE
    assert result.frames == 6


def test_too_few_frames(sequences, detector):
    result = detector.evaluate(synth.as_frames(sequences["still"][:3]))
    assert any("只有 3 帧" in r for r in result.reasons)


def test_decision_stops_at_max_seconds_of_frames(sequences, detector):
    # The turn only starts at 0.9 s: cut at 0.5 s, the check cannot pass.
    result = detector.evaluate(synth.as_frames(sequences["blink_and_turn"]), max_seconds=0.5)
    assert not result.passed
    assert result.frames == 6
    assert result.duration == pytest.approx(0.5)


def test_prompts_follow_the_check(sequences, detector):
    session = detector.session()
    prompts = [session.feed(f).prompt for f in synth.as_frames(sequences["blink_and_turn"])]
    assert prompts[0] == PROMPT_START
    assert PROMPT_TURN in prompts  # asked to turn once the blink was seen
    assert PROMPT_BLINK_AND_TURN not in prompts
    assert prompts[-1] == PROMPT_DONE
    assert prompts.index(PROMPT_TURN) > 4  # after the closed frames 4 and 5


def test_turn_is_requested_after_a_wait_without_blink(sequences, detector):
    session = detector.session()
    states = [session.feed(f) for f in synth.as_frames(sequences["still"][:15])]
    assert not states[9].turn_requested  # 0.9 s
    assert states[10].turn_requested  # 1.0 s
    assert states[-1].prompt == PROMPT_BLINK_AND_TURN


# ------------------------------------------------------------------ geometry of the measures


def _landmarks(points: dict[str, list[tuple[float, float]]]):
    return {k: [(float(x), float(y)) for x, y in v] for k, v in points.items()}


_FACE: dict[str, list[tuple[float, float]]] = {
    "left_eye": [(30, 40), (35, 37), (40, 37), (45, 40), (40, 43), (35, 43)],
    "right_eye": [(65, 40), (70, 37), (75, 37), (80, 40), (75, 43), (70, 43)],
    "nose_bridge": [(55, 40), (55, 48), (55, 56), (58, 64)],
    "chin": [(15 + 5 * i, 45 + 3 * math.sin(i / 16 * math.pi) * 10) for i in range(17)],
}


def _transform(marks, angle_deg, scale, dx, dy) -> dict[str, list[tuple[float, float]]]:
    a = math.radians(angle_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]]) * scale
    moved = {}
    for name, points in marks.items():
        turned = [rot @ np.array(p) + (dx, dy) for p in points]
        moved[name] = [(float(q[0]), float(q[1])) for q in turned]
    return moved


@pytest.mark.parametrize(("angle", "scale", "dx", "dy"), [(0, 1, 50, -20), (25, 1, 0, 0), (-40, 0.6, 10, 5)])
def test_measures_ignore_moving_scaling_and_rotating_a_photo(angle, scale, dx, dy):
    marks = _landmarks(_FACE)
    moved = _transform(marks, angle, scale, dx, dy)
    assert nose_position(moved) == pytest.approx(nose_position(marks), abs=1e-9)
    assert face_shape(moved) == pytest.approx(face_shape(marks), abs=1e-9)
    for eye in ("left_eye", "right_eye"):
        assert eye_aspect_ratio(moved[eye]) == pytest.approx(eye_aspect_ratio(marks[eye]), abs=1e-9)


def test_yaw_estimate():
    assert yaw_degrees(0.5) == 0
    assert yaw_degrees(0.6, 0.6) == pytest.approx(math.degrees(math.atan(0.2 / 0.6)))
    assert yaw_degrees(0.4) == -yaw_degrees(0.6)


def test_closed_eye_has_a_lower_aspect_ratio():
    open_eye = [(0, 0), (3, -3), (6, -3), (9, 0), (6, 3), (3, 3)]
    closed = [(0, 0), (3, -0.5), (6, -0.5), (9, 0), (6, 0.5), (3, 0.5)]
    assert eye_aspect_ratio(open_eye) == pytest.approx(6 / 9)
    assert eye_aspect_ratio(closed) < 0.25 * eye_aspect_ratio(open_eye)
    assert eye_aspect_ratio([(1, 1)] * 6) == 0.0


def test_detector_rejects_inverted_ratios():
    with pytest.raises(ValueError):
        LivenessDetector(close_ratio=0.9, reopen_ratio=0.8)
