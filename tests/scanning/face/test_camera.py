from __future__ import annotations

import numpy as np
import pytest

from scanning.errors import CameraUnavailable
from scanning.face import synth
from scanning.face.camera import Camera, OpenCvCamera, open_camera
from scanning.face.settings import FaceSettings


@pytest.fixture
def gradient_video(tmp_path):
    frames = [np.full((120, 160, 3), 20 * i, np.uint8) for i in range(6)]
    return synth.write_video(frames, tmp_path / "gradient.avi", fps=5.0)


def test_a_video_file_stands_in_for_a_camera(gradient_video):
    with OpenCvCamera(str(gradient_video)) as camera:
        assert isinstance(camera, Camera)
        assert camera.is_file
        frames = list(camera.frames())
    assert [f.index for f in frames] == list(range(6))
    assert [round(f.timestamp, 3) for f in frames] == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert frames[0].image.shape == (120, 160, 3)
    # Motion-JPEG is lossy: the brightness steps survive within a few levels.
    assert [int(f.image.mean()) for f in frames] == pytest.approx([0, 20, 40, 60, 80, 100], abs=3)
    assert "index=2" in repr(frames[2])


def test_close_ends_the_frame_iterator(gradient_video):
    camera = OpenCvCamera(str(gradient_video))
    seen = []
    for frame in camera.frames():
        seen.append(frame.index)
        camera.close()
    assert seen == [0]
    assert not camera.is_open
    camera.close()  # twice is harmless


def test_missing_video_file(tmp_path):
    camera = OpenCvCamera(str(tmp_path / "none.avi"))
    with pytest.raises(CameraUnavailable, match=r"无法打开摄像头（视频源 none\.avi）"):
        camera.open()
    with pytest.raises(CameraUnavailable):
        next(camera.frames())


def test_absent_device_index():
    with pytest.raises(CameraUnavailable, match=r"设备编号 97.*摄像头编号"):
        OpenCvCamera(97).open()


def test_a_string_of_digits_is_a_device_index():
    assert OpenCvCamera("3").source == 3
    assert OpenCvCamera(" 0 ").source == 0


def test_factory_opens_the_configured_source(gradient_video):
    camera = open_camera(FaceSettings(camera=str(gradient_video)))
    try:
        assert camera.is_open
        assert sum(1 for _ in camera.frames()) == 6
    finally:
        camera.close()


def test_factory_uses_the_configured_device_index():
    with pytest.raises(CameraUnavailable, match="设备编号 96"):
        open_camera(FaceSettings(camera=96))


def test_write_video_refuses_mixed_sizes(tmp_path):
    with pytest.raises(ValueError, match="no frames"):
        synth.write_video([], tmp_path / "x.avi")
    frames = [np.zeros((40, 40, 3), np.uint8), np.zeros((50, 40, 3), np.uint8)]
    with pytest.raises(ValueError, match="differ"):
        synth.write_video(frames, tmp_path / "y.avi")
