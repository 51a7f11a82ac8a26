"""The whole face check: liveness on the camera's frames, then one match against the document photo.

:func:`run_face_check` blocks for up to ``max_seconds`` of frames plus one match (about a second on one
core); the application runs it off the UI thread, shows :class:`FaceCheckProgress` (the live image and
the prompt) and may cancel it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from forms.case import IdType
from scanning.errors import FaceCheckCancelled, NoFaceFound
from scanning.face.camera import Camera, Frame
from scanning.face.images import Image, encode_jpeg
from scanning.face.liveness import FaceObservation, LivenessDetector, LivenessState
from scanning.face.matcher import FaceMatcher, Reference
from scanning.face.record import FaceCheckRecord

NO_LIVE_FACE: Final = (
    "核验期间摄像头画面中没有可用的人脸：请申请人正对摄像头、睁眼并保持不动，光线不足时打开补光灯后重新核验"
)


class Cancel(Protocol):
    """Anything with ``is_set()`` (a :class:`threading.Event`)."""

    def is_set(self) -> bool:
        """Whether cancellation was requested."""
        ...


@dataclass(frozen=True, repr=False)
class FaceCheckProgress:
    """Progress after one frame, for the panel.

    Attributes:
        frame: the frame just analysed (to show the live image).
        elapsed: seconds of frames so far.
        state: the liveness state (prompt, blinks, turn, face found).
    """

    frame: Frame
    elapsed: float
    state: LivenessState

    @property
    def prompt(self) -> str:
        """What the applicant should do now."""
        return self.state.prompt

    def __repr__(self) -> str:
        return f"FaceCheckProgress(elapsed={self.elapsed:.2f}, prompt={self.prompt!r})"


@dataclass
class _Candidate:
    image: Image
    rank: tuple[bool, float, int]


def _rank(observation: FaceObservation, state: LivenessState, first_yaw: float) -> tuple[bool, float, int]:
    # Best live frame for matching: exactly one face, eyes open, closest to the starting pose, largest.
    assert observation.yaw is not None
    return (state.eyes_closed, round(abs(observation.yaw - first_yaw)), -observation.area)


def run_face_check(
    camera: Camera,
    reference: Reference,
    *,
    party_id: str,
    document_type: IdType,
    matcher: FaceMatcher,
    liveness: LivenessDetector,
    max_seconds: float = 3.0,
    on_progress: Callable[[FaceCheckProgress], None] | None = None,
    cancel: Cancel | None = None,
    now: Callable[[], datetime] | None = None,
) -> FaceCheckRecord:
    """Check that the person before the camera is the holder of the document.

    The reference is encoded first (a bad document photo fails before the applicant is asked to do
    anything). Frames are then fed to the liveness check until it passes or ``max_seconds`` of frames
    have passed (or the video ends); the best single-face, eyes-open frame is matched against the
    reference. The camera is opened if needed and left open (the caller owns it).

    Args:
        camera: the frame source.
        reference: the document photo.
        party_id: the party checked (goes into the record).
        document_type: the document's kind (goes into the record).
        matcher: the face matcher (its threshold is the configured one).
        liveness: the liveness configuration.
        max_seconds: longest stretch of frames to watch.
        on_progress: called after every frame, on the calling thread.
        cancel: checked before every frame.
        now: clock for the record's time (tests).

    Returns:
        The record: accepted or rejected, with the scores, the reasons and both images as JPEG.

    Raises:
        NoFaceFound: no face in the document photo, or no usable face in any frame.
        MultipleFaces: several faces in the document photo, or in the best live frame.
        CameraUnavailable: the camera cannot be opened or stops.
        FaceCheckCancelled: ``cancel`` was set.
        FaceModelMissing: the ``face`` extra is not installed.
    """
    started = time.perf_counter()
    reference_encoding = matcher.encode(reference)
    match_time = time.perf_counter() - started
    session = liveness.session()
    best: _Candidate | None = None
    first_yaw: float | None = None
    camera.open()
    for frame in camera.frames():
        if cancel is not None and cancel.is_set():
            raise FaceCheckCancelled("人证核验已取消，未保存核验记录")
        if session.started_at is not None and frame.timestamp - session.started_at > max_seconds:
            break
        state = session.feed(frame)
        observation = state.observation
        if observation.faces == 1 and observation.yaw is not None:
            first_yaw = observation.yaw if first_yaw is None else first_yaw
            rank = _rank(observation, state, first_yaw)
            if best is None or rank < best.rank:
                best = _Candidate(frame.image, rank)
        if on_progress is not None:
            on_progress(FaceCheckProgress(frame, frame.timestamp - (session.started_at or 0.0), state))
        if state.passed:
            break
    if cancel is not None and cancel.is_set():
        raise FaceCheckCancelled("人证核验已取消，未保存核验记录")
    result = session.result()
    if best is None:
        raise NoFaceFound(NO_LIVE_FACE)
    began = time.perf_counter()
    live_encoding = matcher.encode(best.image, role="live")
    match = matcher.result(live_encoding, reference_encoding, started=began - match_time)
    return FaceCheckRecord.create(
        party_id=party_id,
        document_type=document_type,
        reference_source=reference.source,
        match=match,
        liveness=result,
        live_jpeg=encode_jpeg(best.image),
        reference_jpeg=encode_jpeg(reference.image),
        checked_at=now() if now else None,
    )
