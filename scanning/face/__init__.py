"""The face check (人证核验): camera capture, face match against the document photo, liveness, the record.

Qt-free. Needs the optional ``face`` extra (``pip install yichuang[face]``: opencv-python-headless,
dlib-bin, face_recognition, face_recognition_models). Importing this package never loads them: the
names below are imported on first access, and a missing extra raises
:class:`scanning.errors.FaceModelMissing` then. The record, the results and the settings need nothing.

- :mod:`~scanning.face.camera` — :class:`Camera`, :class:`OpenCvCamera`, :func:`open_camera`, :class:`Frame`;
- :mod:`~scanning.face.matcher` — :class:`FaceMatcher`, :class:`Reference`;
- :mod:`~scanning.face.liveness` — :class:`LivenessDetector` (blinks and a head turn on request);
- :mod:`~scanning.face.check` — :func:`run_face_check`, :class:`FaceCheckProgress`;
- :mod:`~scanning.face.record` — :class:`FaceCheckRecord`, :func:`decide`, :func:`override`;
- :mod:`~scanning.face.synth` — synthetic sequences from still photos (tests, benchmarks, demo video).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from scanning.face.record import Decision, FaceCheckRecord, decide, override
from scanning.face.results import FaceMatchResult, LivenessResult, ReferenceSource
from scanning.face.settings import FaceSettings

if TYPE_CHECKING:
    from scanning.face.camera import Camera, Frame, OpenCvCamera, open_camera
    from scanning.face.check import FaceCheckProgress, run_face_check
    from scanning.face.images import decode_image, encode_jpeg
    from scanning.face.liveness import LivenessDetector, LivenessSession, LivenessState
    from scanning.face.matcher import FaceMatcher, Reference

_LAZY = {
    "Camera": "camera",
    "Frame": "camera",
    "OpenCvCamera": "camera",
    "open_camera": "camera",
    "FaceCheckProgress": "check",
    "run_face_check": "check",
    "decode_image": "images",
    "encode_jpeg": "images",
    "LivenessDetector": "liveness",
    "LivenessSession": "liveness",
    "LivenessState": "liveness",
    "FaceMatcher": "matcher",
    "Reference": "matcher",
}

__all__ = [
    "Camera",
    "Decision",
    "FaceCheckProgress",
    "FaceCheckRecord",
    "FaceMatchResult",
    "FaceMatcher",
    "FaceSettings",
    "Frame",
    "LivenessDetector",
    "LivenessResult",
    "LivenessSession",
    "LivenessState",
    "OpenCvCamera",
    "Reference",
    "ReferenceSource",
    "decide",
    "decode_image",
    "encode_jpeg",
    "open_camera",
    "override",
    "run_face_check",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"scanning.face.{module}"), name)
