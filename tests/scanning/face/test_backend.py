"""The optional extra: FaceModelMissing naming ``pip install yichuang[face]`` when a part is absent."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scanning.errors import FaceModelMissing
from scanning.face import _backend

ROOT = Path(__file__).resolve().parents[3]


def test_missing_models_package_raises_face_model_missing(monkeypatch):
    monkeypatch.setattr(_backend, "_module", None)
    monkeypatch.setitem(sys.modules, "face_recognition_models", None)  # import raises ImportError
    with pytest.raises(FaceModelMissing, match=r"face_recognition_models.*pip install yichuang\[face\]"):
        _backend.face_recognition()


def test_missing_opencv_fails_on_use_not_on_package_import():
    code = textwrap.dedent(
        """
        import sys
        sys.modules["cv2"] = None
        import scanning.face as face
        from scanning.errors import FaceModelMissing
        settings = face.FaceSettings()          # the settings, record and results need nothing
        assert face.Decision.ACCEPTED.label
        try:
            face.FaceMatcher
        except FaceModelMissing as exc:
            print("MISSING", exc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "MISSING" in done.stdout
    assert "cv2" in done.stdout and "pip install yichuang[face]" in done.stdout


def test_face_recognition_is_loaded_once():
    assert _backend.face_recognition() is _backend.face_recognition()
