"""Synthetic camera sequences made from still photographs, for tests, benchmarks and the demo.

These stand in for a camera where none exists. They are **not** recordings of people and not
presentation attacks: :func:`photo_still` and :func:`photo_moved` imitate a printed photo held in front
of the camera (the same pixels, moved, rotated in the picture plane and scaled); :func:`blink_and_turn`
imitates a live applicant by painting the eyelids shut for two frames (skin-coloured patches over the
eyes with a dark lash line, placed with the landmarks) and turning the head with a horizontal
perspective warp of the face region.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final, cast

from scanning.errors import NoFaceFound
from scanning.face._backend import cv2, face_recognition, np
from scanning.face.camera import Frame
from scanning.face.images import Image, to_rgb
from scanning.face.liveness import Landmarks

CHIP_SIZE: Final = (102, 126)
"""Width and height of a resident ID card's chip photo (idcard-reader.md §7)."""

Box = tuple[int, int, int, int]


def _face_box(image: Image) -> Box:
    fr = face_recognition()
    rgb = to_rgb(image)
    boxes: list[Box] = fr.face_locations(rgb, 0) or fr.face_locations(rgb, 1)
    if not boxes:
        raise NoFaceFound("合成画面所用的照片中未检测到人脸")
    return max(boxes, key=lambda b: (b[2] - b[0]) * (b[1] - b[3]))


def _landmarks(image: Image) -> tuple[Box, Landmarks]:
    box = _face_box(image)
    marks: list[Landmarks] = face_recognition().face_landmarks(to_rgb(image), [box], "large")
    return box, marks[0]


def _affine(image: Image, matrix: Any, size: tuple[int, int]) -> Image:
    warped = cv2.warpAffine(image, matrix, size, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)
    return cast(Image, warped)


def chip_photo(photo: Image) -> Image:
    """A 102 × 126 ID-photo style crop of the face in ``photo`` (head and shoulders, face centred)."""
    top, right, bottom, left = _face_box(photo)
    height = (bottom - top) * 2.0
    width = height * CHIP_SIZE[0] / CHIP_SIZE[1]
    cx, cy = (left + right) / 2, (top + bottom) / 2
    scale = CHIP_SIZE[1] / height
    matrix = np.array(
        [[scale, 0, -(cx - width / 2) * scale], [0, scale, -(cy - height * 0.45) * scale]], dtype=np.float32
    )
    return _affine(photo, matrix, CHIP_SIZE)


def face_frame(photo: Image, *, size: tuple[int, int] = (400, 300), face_fraction: float = 0.45) -> Image:
    """A camera-like frame of ``size`` (width, height): the face centred, ``face_fraction`` of its height."""
    top, right, bottom, left = _face_box(photo)
    scale = size[1] * face_fraction / (bottom - top)
    cx, cy = (left + right) / 2 * scale, (top + bottom) / 2 * scale
    matrix = np.array([[scale, 0, size[0] / 2 - cx], [0, scale, size[1] / 2 - cy]], dtype=np.float32)
    return _affine(photo, matrix, size)


def _moved(frame: Image, dx: float, dy: float, angle: float, scale: float) -> Image:
    height, width = frame.shape[:2]
    matrix = np.asarray(cv2.getRotationMatrix2D((width / 2, height / 2), angle, scale), dtype=np.float64)
    matrix[:, 2] += np.array([dx, dy])
    return _affine(frame, matrix, (width, height))


def photo_still(frame: Image, count: int = 20) -> list[Image]:
    """A photo held still: the same frame ``count`` times."""
    return [frame.copy() for _ in range(count)]


def photo_moved(frame: Image, count: int = 20) -> list[Image]:
    """A photo moved about: translated (±24 px), rotated in its plane (±20°) and scaled (0.85–1.15)."""
    frames = []
    for i in range(count):
        phase = 2 * math.pi * i / count
        frames.append(
            _moved(
                frame,
                dx=24 * math.sin(phase),
                dy=12 * math.sin(2 * phase),
                angle=20 * math.sin(phase + 1.0),
                scale=1 + 0.15 * math.sin(3 * phase),
            )
        )
    return frames


def close_eyes(frame: Image, landmarks: Landmarks) -> Image:
    """The frame with both eyes painted shut: a skin-coloured lid and a dark lash line per eye."""
    out = frame.copy()
    for name in ("left_eye", "right_eye"):
        eye = np.asarray(landmarks[name], dtype=np.float64)
        centre = eye.mean(axis=0)
        width = float(np.linalg.norm(eye[3] - eye[0]))
        x, y, w, h = cv2.boundingRect(eye.astype(np.int32))
        # Skin just below the eye, clear of the lower lid.
        below = frame[int(y + h + 0.15 * width) : int(y + h + 0.4 * width) + 1, x : x + w].reshape(-1, 3)
        skin = tuple(int(c) for c in np.median(below, axis=0))
        lid = ((eye - centre) * np.array([1.3, 2.0]) + centre).astype(np.int32)
        cv2.fillPoly(out, [cv2.convexHull(lid)], skin, cv2.LINE_AA)
        upper, lower = (eye[1] + eye[2]) / 2, (eye[4] + eye[5]) / 2
        middle = upper * 0.2 + lower * 0.8
        lash = np.array([eye[0], (eye[0] + middle) / 2, middle, (middle + eye[3]) / 2, eye[3]], np.int32)
        dark = tuple(int(c * 0.3) for c in skin)
        cv2.polylines(out, [lash], False, dark, max(1, round(width * 0.12)), cv2.LINE_AA)
        r = round(width)
        rows = slice(max(0, int(centre[1]) - r), int(centre[1]) + r)
        cols = slice(max(0, int(centre[0]) - r), int(centre[0]) + r)
        out[rows, cols] = cv2.GaussianBlur(out[rows, cols], (5, 5), 0)
    return out


def turn_face(frame: Image, box: Box, strength: float) -> Image:
    """The face region warped as if the head turned: one side of it shrinks in height and moves in.

    ``strength`` in (−1, 1): positive shrinks the right side of the image, negative the left.
    """
    top, right, bottom, left = box
    bw, bh = right - left, bottom - top
    x0, y0, x1, y1 = left - 0.25 * bw, top - 0.45 * bh, right + 0.25 * bw, bottom + 0.3 * bh
    src = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
    s = abs(strength)
    rise, shift = s * (y1 - y0) / 2, s * (x1 - x0) * 0.3
    if strength >= 0:
        dst = np.array(
            [[x0, y0], [x1 - shift, y0 + rise], [x1 - shift, y1 - rise], [x0, y1]], dtype=np.float32
        )
    else:
        dst = np.array(
            [[x0 + shift, y0 + rise], [x1, y0], [x1, y1], [x0 + shift, y1 - rise]], dtype=np.float32
        )
    height, width = frame.shape[:2]
    homography = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(frame, homography, (width, height), borderMode=cv2.BORDER_REPLICATE)
    mask = np.zeros((height, width), np.uint8)
    cv2.fillConvexPoly(mask, dst.astype(np.int32), 255)
    alpha = cv2.GaussianBlur(mask, (9, 9), 0)[..., None].astype(np.float32) / 255
    blended = warped.astype(np.float32) * alpha + frame.astype(np.float32) * (1 - alpha)
    return cast(Image, blended.astype(np.uint8))


def blink_and_turn(frame: Image, *, turn_strength: float = 0.5) -> list[Image]:
    """A live applicant, synthesised: 4 open frames, 2 closed, 3 open, a turn over 5 frames, hold 3.

    At 10 frames per second the sequence lasts 1.7 s.
    """
    box, marks = _landmarks(frame)
    closed = close_eyes(frame, marks)
    frames = [frame] * 4 + [closed] * 2 + [frame] * 3
    steps = 5
    frames += [turn_face(frame, box, turn_strength * (i + 1) / steps) for i in range(steps)]
    frames += [frames[-1]] * 3
    return [f.copy() for f in frames]


def blink_only(frame: Image) -> list[Image]:
    """Blinks without a turn (a head held rigidly): 4 open, 2 closed, 8 open."""
    _, marks = _landmarks(frame)
    closed = close_eyes(frame, marks)
    return [f.copy() for f in [frame] * 4 + [closed] * 2 + [frame] * 8]


def turn_only(frame: Image, *, turn_strength: float = 0.5) -> list[Image]:
    """A turn without a blink (also what tilting a printed photo looks like): 6 still, 5 turning, 3 held."""
    box, _ = _landmarks(frame)
    frames = [frame] * 6 + [turn_face(frame, box, turn_strength * (i + 1) / 5) for i in range(5)]
    frames += [frames[-1]] * 3
    return [f.copy() for f in frames]


def as_frames(images: Sequence[Image], fps: float = 10.0) -> list[Frame]:
    """Images as :class:`Frame` values at ``fps``, without going through a video file."""
    return [Frame(image=image, timestamp=i / fps, index=i) for i, image in enumerate(images)]


def write_video(images: Iterable[Image], path: Path, *, fps: float = 10.0) -> Path:
    """Write frames to a Motion-JPEG AVI file that :class:`~scanning.face.camera.OpenCvCamera` can play.

    Raises:
        ValueError: no frames, or frames of different sizes.
        OSError: OpenCV cannot write the file.
    """
    frames = list(images)
    if not frames:
        raise ValueError("no frames")
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
    if not writer.isOpened():
        raise OSError(f"cannot write video {path}")
    try:
        for image in frames:
            if image.shape[:2] != (height, width):
                raise ValueError("frames differ in size")
            writer.write(image)
    finally:
        writer.release()
    return path
