"""Liveness: blinks and a head turn on request, from the 68 face landmarks across frames.

**Not validated against real presentation attacks** (see the package README): it is tested only on
sequences synthesised from still photographs. What it measures:

- **Blinks.** The eye aspect ratio (EAR, Soukupová and Čech, *Real-Time Eye Blink Detection using
  Facial Landmarks*, CVWW 2016): ``(|p2−p6| + |p3−p5|) / (2·|p1−p4|)`` over the six landmarks of each
  eye, averaged over both eyes. A blink is a drop below ``close_ratio`` × the running median EAR
  followed by a return above ``reopen_ratio`` × it within ``max_closed_seconds``. A photograph, still or
  moved, never blinks.
- **A head turn (yaw).** The nose tip projected onto the line through the eye centres, and onto the
  line through the two ends of the face outline, gives its relative position ``t`` (0.5 when frontal).
  ``t`` is a ratio of lengths along a line, so it is unchanged by moving, scaling or rotating a photo
  in its plane; only a 3-D rotation about the vertical axis moves the nose, which stands out of the
  face, relative to the eyes and the outline. With the nose standing ``k`` half-face-widths in front
  (``nose_depth_ratio``, about 0.6), ``yaw ≈ atan((2t − 1) / k)``: a rough estimate in degrees, good
  for "did the head turn" and not for measuring how far. Tilting a flat photo about its vertical axis
  also moves ``t`` (a perspective effect), which is why a turn alone never passes: a blink is needed.

The turn is requested (see :attr:`LivenessState.prompt`) once a blink was seen or ``turn_request_after``
seconds have passed; its baseline is the median yaw before the request, and only frames after it count.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from scanning.face._backend import cv2, face_recognition, np
from scanning.face.camera import Frame
from scanning.face.images import Image, fit_long_side, to_rgb
from scanning.face.results import LivenessResult
from scanning.face.settings import FaceSettings

Landmarks = Mapping[str, Sequence[tuple[float, float]]]
"""face_recognition's 68-point landmarks by feature (``left_eye``, ``nose_bridge``, ``chin`` …)."""

PROMPT_START: Final = "请正对摄像头，自然眨眨眼"
PROMPT_BLINK: Final = "请自然眨眨眼"
PROMPT_TURN: Final = "请向左或向右缓慢转头，再转回正面"
PROMPT_BLINK_AND_TURN: Final = "请眨眨眼，再向左或向右缓慢转头"
PROMPT_NO_FACE: Final = "未检测到人脸，请正对摄像头"
PROMPT_DONE: Final = "活体检测通过，请保持正对摄像头"

REASON_NO_FACE: Final = (
    "未检测到人脸：请申请人正对摄像头，摘下帽子、口罩和墨镜，光线不足时打开补光灯后重新核验"
)
REASON_FEW_FRAMES: Final = "只有 {n} 帧画面检测到人脸，不足以判断：请申请人保持面部在画面中后重新核验"
REASON_NO_BLINK: Final = (
    "未检测到眨眼（静止或移动的照片、翻拍的屏幕都不会眨眼）：请申请人正对摄像头自然眨眼后重新核验"
)
REASON_NO_TURN: Final = (
    "未检测到按提示转头（头部偏转约 {yaw:.0f}°，至少需要 {need:.0f}°；平移或旋转照片不会产生立体转头）："
    "请申请人按提示向左或向右转头后重新核验"
)
REASON_MULTIPLE: Final = "画面中多次出现多张人脸：请只让申请人本人面对摄像头后重新核验"


@dataclass(frozen=True)
class FaceObservation:
    """What one frame shows (the largest face only).

    Attributes:
        timestamp: the frame's timestamp.
        faces: faces detected.
        ear: mean eye aspect ratio of the largest face (``None`` without a face).
        yaw: estimated yaw of the largest face, degrees (``None`` without a face).
        area: the largest face box's area in analysis pixels (0 without a face).
        shape: the face's vertical proportion (see :func:`face_shape`; ``None`` without a face).
    """

    timestamp: float
    faces: int
    ear: float | None = None
    yaw: float | None = None
    area: int = 0
    shape: float | None = None


@dataclass(frozen=True)
class LivenessState:
    """Progress after one frame.

    Attributes:
        prompt: what the applicant should do now (Chinese, for the panel and text-to-speech).
        observation: what this frame showed.
        blinks: blinks so far.
        turn_requested: whether the turn has been requested.
        yaw: current turn away from the baseline, degrees (0 before the request).
        max_yaw: largest turn so far after the request, degrees.
        eyes_closed: whether the eyes are closed in this frame.
        passed: whether liveness is established (the caller can stop feeding frames).
    """

    prompt: str
    observation: FaceObservation
    blinks: int
    turn_requested: bool
    yaw: float
    max_yaw: float
    eyes_closed: bool
    passed: bool


def eye_aspect_ratio(eye: Sequence[tuple[float, float]]) -> float:
    """EAR of the six landmarks of one eye (p1…p6, corner, two upper, corner, two lower)."""
    p = np.asarray(eye, dtype=np.float64)
    width = float(np.linalg.norm(p[0] - p[3]))
    if width == 0:
        return 0.0
    return float((np.linalg.norm(p[1] - p[5]) + np.linalg.norm(p[2] - p[4])) / (2 * width))


def _position_on(point: Any, start: Any, end: Any) -> float:
    axis = end - start
    length2 = float(np.dot(axis, axis))
    return float(np.dot(point - start, axis) / length2) if length2 else 0.5


def nose_position(landmarks: Landmarks) -> float:
    """Relative position ``t`` of the nose tip between the eyes and between the face-outline ends.

    The mean of the two projections; 0.5 for a frontal face. Invariant to translation, scale and
    in-plane rotation.
    """
    nose = np.asarray(landmarks["nose_bridge"][-1], dtype=np.float64)
    left = np.mean(np.asarray(landmarks["left_eye"], dtype=np.float64), axis=0)
    right = np.mean(np.asarray(landmarks["right_eye"], dtype=np.float64), axis=0)
    outline = np.asarray(landmarks["chin"], dtype=np.float64)
    return (_position_on(nose, left, right) + _position_on(nose, outline[0], outline[-1])) / 2


def face_shape(landmarks: Landmarks) -> float:
    """Distance of the nose tip from the line through the eye corners, over the distance between eyes.

    The eye corners do not move when the eyes close, so a blink leaves this unchanged; tilting a photo
    forward or back (which flattens the eyes too, imitating a blink) or warping it changes it. Invariant
    to translation, scale and in-plane rotation.
    """
    left = np.asarray(landmarks["left_eye"], dtype=np.float64)
    right = np.asarray(landmarks["right_eye"], dtype=np.float64)
    start, end = (left[0] + left[3]) / 2, (right[0] + right[3]) / 2
    axis = end - start
    length = float(np.linalg.norm(axis))
    if length == 0:
        return 0.0
    nose = np.asarray(landmarks["nose_bridge"][-1], dtype=np.float64) - start
    return abs(float(axis[0] * nose[1] - axis[1] * nose[0])) / length**2


def roll_degrees(landmarks: Landmarks) -> float:
    """In-plane rotation of the face: the angle of the line from the left to the right eye centre."""
    left = np.mean(np.asarray(landmarks["left_eye"], dtype=np.float64), axis=0)
    right = np.mean(np.asarray(landmarks["right_eye"], dtype=np.float64), axis=0)
    return math.degrees(math.atan2(right[1] - left[1], right[0] - left[0]))


def yaw_degrees(position: float, nose_depth_ratio: float = 0.6) -> float:
    """Rough yaw in degrees from the nose position ``t`` (see the module docstring)."""
    return math.degrees(math.atan((2 * position - 1) / nose_depth_ratio))


class LivenessDetector:
    """Configuration of the liveness check; :meth:`session` starts one check.

    Args:
        min_blinks: blinks required.
        min_turn_degrees: head turn required after the request, estimated degrees.
        close_ratio: EAR below this fraction of the running median counts as eyes closed.
        reopen_ratio: EAR above this fraction of it counts as open again.
        max_closed_seconds: a longer closure is not a blink.
        turn_request_after: seconds after the first face before the turn is requested without a blink.
        min_face_frames: frames with a face needed for any decision.
        nose_depth_ratio: ``k`` of the yaw estimate.
        max_shape_change: an eye closure counts only while :func:`face_shape` stays within this
            fraction of its running median (a photo tilted forward flattens the eyes and the face alike).
        max_yaw_step: an eye closure counts only when the yaw moved less than this since the previous
            frame (a jump means the landmarks of that frame are unreliable).
        upright_above: faces rolled by more than this many degrees are turned upright and measured again.
        analysis_side: frames are reduced to this longer side before detection.
        model: face detector, ``"hog"`` or ``"cnn"``.
    """

    def __init__(
        self,
        *,
        min_blinks: int = 1,
        min_turn_degrees: float = 10.0,
        close_ratio: float = 0.75,
        reopen_ratio: float = 0.88,
        max_closed_seconds: float = 1.0,
        turn_request_after: float = 1.0,
        min_face_frames: int = 5,
        nose_depth_ratio: float = 0.6,
        max_shape_change: float = 0.1,
        max_yaw_step: float = 15.0,
        upright_above: float = 3.0,
        analysis_side: int = 480,
        model: Literal["hog", "cnn"] = "hog",
    ) -> None:
        if not 0 < close_ratio < reopen_ratio <= 1:
            raise ValueError("need 0 < close_ratio < reopen_ratio <= 1")
        self.min_blinks = min_blinks
        self.min_turn_degrees = min_turn_degrees
        self.close_ratio = close_ratio
        self.reopen_ratio = reopen_ratio
        self.max_closed_seconds = max_closed_seconds
        self.turn_request_after = turn_request_after
        self.min_face_frames = min_face_frames
        self.nose_depth_ratio = nose_depth_ratio
        self.max_shape_change = max_shape_change
        self.max_yaw_step = max_yaw_step
        self.upright_above = upright_above
        self.analysis_side = analysis_side
        self.model = model

    @classmethod
    def from_settings(cls, settings: FaceSettings) -> LivenessDetector:
        """A detector with the configured blink and turn requirements and detector model."""
        return cls(
            min_blinks=settings.min_blinks,
            min_turn_degrees=settings.min_turn_degrees,
            model=settings.detector,
        )

    def landmarks(self, image: Image) -> tuple[int, Landmarks | None, int]:
        """Faces found, the landmarks of the largest one and its box area (analysis pixels)."""
        fr = face_recognition()
        height, width = image.shape[:2]
        if max(height, width) > self.analysis_side:
            image, _ = fit_long_side(image, self.analysis_side)
        rgb = to_rgb(image)
        boxes = fr.face_locations(rgb, 0, self.model) or fr.face_locations(rgb, 1, self.model)
        if not boxes:
            return 0, None, 0

        def area(box: tuple[int, int, int, int]) -> int:
            top, right, bottom, left = box
            return (bottom - top) * (right - left)

        largest = max(boxes, key=area)
        found: list[Landmarks] = fr.face_landmarks(rgb, [largest], "large")
        marks = found[0]
        roll = roll_degrees(marks)
        if abs(roll) > self.upright_above:
            # The shape predictor is most accurate on upright faces: a photo rotated in its plane is
            # turned back about the face's centre and measured again (no second detection).
            top, right, bottom, left = largest
            matrix = cv2.getRotationMatrix2D(((left + right) / 2, (top + bottom) / 2), roll, 1.0)
            upright = cv2.warpAffine(
                rgb, matrix, (rgb.shape[1], rgb.shape[0]), borderMode=cv2.BORDER_REPLICATE
            )
            found = fr.face_landmarks(np.ascontiguousarray(upright), [largest], "large")
            marks = found[0]
        return len(boxes), marks, area(largest)

    def observe(self, frame: Frame) -> FaceObservation:
        """Detect the faces in one frame and measure the largest."""
        faces, marks, area = self.landmarks(frame.image)
        if marks is None:
            return FaceObservation(timestamp=frame.timestamp, faces=0)
        ear = (eye_aspect_ratio(marks["left_eye"]) + eye_aspect_ratio(marks["right_eye"])) / 2
        yaw = yaw_degrees(nose_position(marks), self.nose_depth_ratio)
        return FaceObservation(
            timestamp=frame.timestamp, faces=faces, ear=ear, yaw=yaw, area=area, shape=face_shape(marks)
        )

    def session(self) -> LivenessSession:
        """A new check: feed it frames."""
        return LivenessSession(self)

    def evaluate(self, frames: Iterable[Frame], *, max_seconds: float = 3.0) -> LivenessResult:
        """Run a whole check over ``frames``: stop when passed, when frames run out or after ``max_seconds``.

        ``max_seconds`` is measured on the frames' timestamps.
        """
        session = self.session()
        for frame in frames:
            if session.started_at is not None and frame.timestamp - session.started_at > max_seconds:
                break
            if session.feed(frame).passed:
                break
        return session.result()


class LivenessSession:
    """One liveness check in progress; :meth:`feed` frames in order, then read :meth:`result`."""

    _WINDOW: Final = 30

    def __init__(self, detector: LivenessDetector) -> None:
        self.detector = detector
        self.started_at: float | None = None
        self.last_at: float | None = None
        self.frames = 0
        self.face_frames = 0
        self.multiple_frames = 0
        self.blinks = 0
        self.max_yaw = 0.0
        self.processing = 0.0
        self._ears: list[float] = []
        self._shapes: list[float] = []
        self._last_yaw: float | None = None
        self._closed_since: float | None = None
        self._first_face_at: float | None = None
        self._yaws_before: list[float] = []
        self._yaws_after: list[float] = []
        self._baseline: float | None = None

    @property
    def turn_requested(self) -> bool:
        """Whether the head turn has been requested."""
        return self._baseline is not None

    @property
    def passed(self) -> bool:
        """Whether every requirement is met so far."""
        d = self.detector
        return (
            self.face_frames >= d.min_face_frames
            and self.blinks >= d.min_blinks
            and self.max_yaw >= d.min_turn_degrees
            and self.multiple_frames * 2 <= self.face_frames
        )

    def feed(self, frame: Frame) -> LivenessState:
        """Analyse the next frame."""
        began = time.perf_counter()
        observation = self.detector.observe(frame)
        self.processing += time.perf_counter() - began
        return self.update(observation)

    def update(self, observation: FaceObservation) -> LivenessState:
        """Advance the check with an already-made observation (see :meth:`LivenessDetector.observe`)."""
        if self.started_at is None:
            self.started_at = observation.timestamp
        self.last_at = observation.timestamp
        self.frames += 1
        yaw_now = 0.0
        closed = self._closed_since is not None
        if observation.ear is not None and observation.yaw is not None:
            self.face_frames += 1
            if observation.faces > 1:
                self.multiple_frames += 1
            if self._first_face_at is None:
                self._first_face_at = observation.timestamp
            closed = self._track_eyes(observation)
            yaw_now = self._track_yaw(observation.yaw, observation.timestamp)
        return LivenessState(
            prompt=self._prompt(observation),
            observation=observation,
            blinks=self.blinks,
            turn_requested=self.turn_requested,
            yaw=yaw_now,
            max_yaw=self.max_yaw,
            eyes_closed=closed,
            passed=self.passed,
        )

    def _track_eyes(self, observation: FaceObservation) -> bool:
        d = self.detector
        ear, shape, yaw = observation.ear, observation.shape, observation.yaw
        assert ear is not None and shape is not None and yaw is not None  # a face was found
        previous_yaw, self._last_yaw = self._last_yaw, yaw
        shapes = self._shapes[-self._WINDOW :]
        if shapes and abs(shape / statistics.median(shapes) - 1) > d.max_shape_change:
            return self._closed_since is not None  # warped or tilted: the eyes cannot be judged
        if previous_yaw is not None and abs(yaw - previous_yaw) > d.max_yaw_step:
            return self._closed_since is not None  # the landmarks jumped: unreliable frame
        history = self._ears[-self._WINDOW :]
        self._ears.append(ear)
        self._shapes.append(shape)
        if len(history) < 3:
            return False
        reference = statistics.median(history)
        at = observation.timestamp
        if self._closed_since is None:
            if ear < d.close_ratio * reference:
                self._closed_since = at
        elif ear > d.reopen_ratio * reference:
            if at - self._closed_since <= d.max_closed_seconds:
                self.blinks += 1
            self._closed_since = None
        return self._closed_since is not None

    def _track_yaw(self, yaw: float, at: float) -> float:
        d = self.detector
        if self._baseline is None:
            self._yaws_before.append(yaw)
            assert self._first_face_at is not None  # set before tracking
            waited = at - self._first_face_at >= d.turn_request_after
            if len(self._yaws_before) >= 2 and (self.blinks >= d.min_blinks or waited):
                self._baseline = statistics.median(self._yaws_before)
            return 0.0
        self._yaws_after.append(yaw)
        if len(self._yaws_after) < 3:
            return 0.0
        # A median of three frames ignores a single frame whose landmarks jumped.
        turned = abs(statistics.median(self._yaws_after[-3:]) - self._baseline)
        self.max_yaw = max(self.max_yaw, turned)
        return turned

    def _prompt(self, observation: FaceObservation) -> str:
        d = self.detector
        if self.passed:
            return PROMPT_DONE
        if observation.ear is None:
            return PROMPT_NO_FACE
        if not self.turn_requested:
            return PROMPT_START
        need_blink = self.blinks < d.min_blinks
        need_turn = self.max_yaw < d.min_turn_degrees
        if need_blink and need_turn:
            return PROMPT_BLINK_AND_TURN
        return PROMPT_BLINK if need_blink else PROMPT_TURN

    def result(self) -> LivenessResult:
        """The decision on the frames fed so far, with the reasons when it failed."""
        d = self.detector
        reasons: list[str] = []
        if self.face_frames == 0:
            reasons.append(REASON_NO_FACE)
        elif self.face_frames < d.min_face_frames:
            reasons.append(REASON_FEW_FRAMES.format(n=self.face_frames))
        if self.face_frames and self.multiple_frames * 2 > self.face_frames:
            reasons.append(REASON_MULTIPLE)
        if self.face_frames and self.blinks < d.min_blinks:
            reasons.append(REASON_NO_BLINK)
        if self.face_frames and self.max_yaw < d.min_turn_degrees:
            reasons.append(REASON_NO_TURN.format(yaw=self.max_yaw, need=d.min_turn_degrees))
        duration = (
            (self.last_at - self.started_at)
            if self.started_at is not None and self.last_at is not None
            else 0.0
        )
        return LivenessResult(
            passed=not reasons,
            reasons=reasons,
            blinks=self.blinks,
            max_yaw=round(self.max_yaw, 1),
            frames=self.frames,
            duration=max(0.0, duration),
            processing=self.processing,
        )
