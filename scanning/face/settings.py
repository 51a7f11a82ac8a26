"""Settings of the face check: camera, match threshold and liveness parameters, with their defaults.

The workstation embeds :class:`FaceSettings` in its configuration schema (admin-locked > user > defaults).
No regulation fixes these values (there is no domain note on face checks): they are engineering defaults
to be tuned by each office, which is why every one of them is configuration.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FaceSettings(BaseModel):
    """Configuration of :mod:`scanning.face`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    camera: int | str = Field(
        0,
        title="摄像头",
        description="OpenCV device index (0 = the first camera), or a video file or stream URL instead.",
    )
    frame_width: int | None = Field(640, ge=160, le=3840, title="画面宽度", description="Requested width.")
    frame_height: int | None = Field(480, ge=120, le=2160, title="画面高度", description="Requested height.")
    threshold: float = Field(
        0.5,
        ge=0.2,
        le=0.8,
        title="人脸比对阈值",
        description=(
            "Largest encoding distance accepted as the same person. face_recognition's own default is 0.6; "
            "0.5 is stricter (fewer false accepts, more retries)."
        ),
    )
    detector: Literal["hog", "cnn"] = Field(
        "hog",
        title="人脸检测模型",
        description="hog: fast on a CPU; cnn: more accurate, far slower without a GPU.",
    )
    max_seconds: float = Field(3.0, gt=0, le=30, title="活体检测时长(秒)")
    min_blinks: int = Field(1, ge=0, le=5, title="最少眨眼次数")
    min_turn_degrees: float = Field(10.0, ge=0, le=45, title="最小转头角度(度)")
