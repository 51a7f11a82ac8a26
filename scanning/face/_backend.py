"""The optional ``face`` extra: OpenCV and NumPy on import, face_recognition (dlib) on first use.

Importing this module raises :class:`scanning.errors.FaceModelMissing` when OpenCV or NumPy is absent,
so the modules that need them (``camera``, ``images``, ``matcher``, ``liveness``, ``check``, ``synth``)
fail with a message naming the extra instead of a bare ``ImportError``. face_recognition loads its dlib
models (about 100 MB) when imported, so :func:`face_recognition` imports it only when a face is first
looked at, once per process.
"""

from __future__ import annotations

import importlib
import threading
import warnings
from types import ModuleType
from typing import Final

from scanning.errors import FaceModelMissing

INSTALL_HINT: Final = "pip install yichuang[face]"


def missing_message(package: str | None) -> str:
    """The clerk-facing message for a missing part of the ``face`` extra."""
    name = package or "人脸识别组件"
    return (
        f"人证核验所需的组件 {name} 未安装，无法使用摄像头和人脸比对。"
        f"请系统管理员执行 `{INSTALL_HINT}` 安装人证核验组件后重启本程序"
    )


try:
    import cv2
    import numpy as np
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise FaceModelMissing(missing_message(exc.name)) from exc

__all__ = ["INSTALL_HINT", "cv2", "face_recognition", "missing_message", "np"]

_lock = threading.Lock()
_module: ModuleType | None = None


def face_recognition() -> ModuleType:
    """The ``face_recognition`` module, imported (and its models loaded) on the first call.

    Raises:
        FaceModelMissing: dlib, face_recognition or face_recognition_models is not installed.
    """
    global _module
    with _lock:
        if _module is None:
            _module = _import_face_recognition()
        return _module


def _import_face_recognition() -> ModuleType:
    # face_recognition_models locates its model files through pkg_resources, which setuptools ≥ 80
    # deprecates with a UserWarning (an error under the test suite's filterwarnings); setuptools < 81
    # still provides it. It is imported first on purpose: when it is missing, face_recognition itself
    # prints a hint and calls quit(), which would end the whole application.
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
            warnings.filterwarnings("ignore", category=DeprecationWarning, module="pkg_resources")
            importlib.import_module("face_recognition_models")
    except ImportError as exc:
        raise FaceModelMissing(missing_message(exc.name or "face_recognition_models")) from exc
    # face_recognition switches PIL's LOAD_TRUNCATED_IMAGES on for the whole process; we never load
    # images through PIL for it, so the previous value is put back.
    from PIL import ImageFile

    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        module = importlib.import_module("face_recognition")
    except ImportError as exc:
        raise FaceModelMissing(missing_message(exc.name or "face_recognition")) from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return module
