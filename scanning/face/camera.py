"""Cameras: the :class:`Camera` protocol, :class:`OpenCvCamera` over ``cv2.VideoCapture``, the factory.

Any ``cv2.VideoCapture`` source works: a device index (``0`` = the first camera), a video file (which
stands in for a camera in tests and in the demo) or a stream URL. Frames carry a timestamp in seconds
from the first frame: the file's own timing for a video file (so a check on a file is deterministic),
the monotonic clock for a live camera.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self, cast, runtime_checkable

from scanning.errors import CameraUnavailable
from scanning.face.settings import FaceSettings

if TYPE_CHECKING:
    import cv2

    from scanning.face.images import Image

_CANNOT_OPEN = (
    "无法打开摄像头（{what}）：请检查摄像头是否已连接、未被其他程序占用，"
    "必要时在设置中选择正确的摄像头编号后重试"
)
_STOPPED = "摄像头停止输出画面：请检查连接线后重新开始人证核验"


@dataclass(frozen=True, repr=False)
class Frame:
    """One captured frame.

    Attributes:
        image: the BGR image.
        timestamp: seconds since the first frame of this capture.
        index: 0-based position in the capture.
    """

    image: Image
    timestamp: float
    index: int

    def __repr__(self) -> str:
        height, width = self.image.shape[:2]
        return f"Frame(index={self.index}, timestamp={self.timestamp:.3f}, size={width}x{height})"


@runtime_checkable
class Camera(Protocol):
    """A source of frames (a webcam, or a video file standing in for one)."""

    def open(self) -> None:
        """Start capturing.

        Raises:
            CameraUnavailable: the device or file cannot be opened.
        """

    def frames(self) -> Iterator[Frame]:
        """Frames in capture order until the source ends (a file) or :meth:`close` is called.

        Raises:
            CameraUnavailable: the camera cannot be opened or stops delivering frames.
        """

    def close(self) -> None:
        """Release the device; safe to call twice."""


def _describe(source: int | str) -> str:
    # A file path can contain a person's name; only its file name is shown.
    if isinstance(source, int):
        return f"设备编号 {source}"
    return f"视频源 {Path(source).name or source}"


class OpenCvCamera:
    """A :class:`Camera` over ``cv2.VideoCapture``.

    Args:
        source: device index, video file path or stream URL; a string of digits is a device index.
        width: requested frame width (devices only; the driver may choose another).
        height: requested frame height.
    """

    def __init__(self, source: int | str, *, width: int | None = None, height: int | None = None) -> None:
        if isinstance(source, str) and source.strip().isdigit():
            source = int(source)
        self.source: int | str = source
        self.width = width
        self.height = height
        self._capture: cv2.VideoCapture | None = None
        self._is_file = isinstance(source, str) and Path(source).is_file()

    @property
    def is_file(self) -> bool:
        """Whether the source is a video file (its timestamps come from the file, it ends)."""
        return self._is_file

    @property
    def is_open(self) -> bool:
        """Whether the capture is open."""
        return self._capture is not None

    def open(self) -> None:
        """Open the source (idempotent).

        Raises:
            CameraUnavailable: OpenCV cannot open it.
            FaceModelMissing: OpenCV is not installed.
        """
        if self._capture is not None:
            return
        from scanning.face._backend import cv2

        capture = cv2.VideoCapture(self.source)
        if not capture.isOpened():
            capture.release()
            raise CameraUnavailable(_CANNOT_OPEN.format(what=_describe(self.source)))
        if not self._is_file:
            if self.width:
                capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            if self.height:
                capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        self._capture = capture

    def frames(self) -> Iterator[Frame]:
        """Frames until the file ends or the camera is closed.

        Raises:
            CameraUnavailable: the camera cannot be opened, or a live camera stops delivering frames.
        """
        from scanning.face._backend import cv2

        self.open()
        capture = self._capture
        assert capture is not None  # opened above
        fps = float(capture.get(cv2.CAP_PROP_FPS)) if self._is_file else 0.0
        started = time.monotonic()
        index = 0
        first = 0.0
        while self._capture is capture:
            ok, image = capture.read()
            if not ok or image is None:
                if self._is_file:
                    return
                raise CameraUnavailable(_STOPPED)
            if self._is_file:
                position = float(capture.get(cv2.CAP_PROP_POS_MSEC)) / 1000
                if index == 0:
                    first = position
                elif position <= first:  # the backend does not report positions: use the frame rate
                    position = first + index / (fps if fps > 0 else 30.0)
                timestamp = position - first
            else:
                timestamp = time.monotonic() - started
            yield Frame(image=cast("Image", image), timestamp=timestamp, index=index)
            index += 1

    def close(self) -> None:
        """Release the capture."""
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"OpenCvCamera({_describe(self.source)!r})"


def open_camera(settings: FaceSettings | None = None) -> OpenCvCamera:
    """The configured camera, opened.

    Args:
        settings: the face-check settings (device index or video source, frame size); defaults otherwise.

    Raises:
        CameraUnavailable: the configured camera cannot be opened.
        FaceModelMissing: OpenCV is not installed.
    """
    settings = settings or FaceSettings()
    camera = OpenCvCamera(settings.camera, width=settings.frame_width, height=settings.frame_height)
    camera.open()
    return camera
