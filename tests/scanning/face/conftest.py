"""Fixtures: the real photographs (``data/``), the chip-size reference and synthesised sequences.

The sequences are built once per session (detection and landmarks take a few milliseconds per image);
tests copy nothing and never modify them.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from scanning.face import synth
from scanning.face.images import Image
from scanning.face.liveness import LivenessDetector
from scanning.face.matcher import FaceMatcher, Reference
from scanning.face.results import ReferenceSource

DATA = Path(__file__).parent / "data"
FPS = 10.0


def load(name: str) -> Image:
    image = cv2.imread(str(DATA / name))
    assert image is not None, name
    return image


@pytest.fixture(scope="session")
def photos() -> dict[str, Image]:
    return {name: load(f"{name}.jpg") for name in ("obama", "obama2", "biden")}


@pytest.fixture(scope="session")
def chip(photos: dict[str, Image]) -> Image:
    """Person A's reference, cropped and scaled to a resident ID card's chip-photo size (102 × 126)."""
    return synth.chip_photo(photos["obama"])


@pytest.fixture(scope="session")
def chip_reference(chip: Image) -> Reference:
    return Reference(chip, ReferenceSource.ID_CHIP)


@pytest.fixture(scope="session")
def other_reference(photos: dict[str, Image]) -> Reference:
    """Person B's chip-size reference."""
    return Reference(synth.chip_photo(photos["biden"]), ReferenceSource.ID_CHIP)


@pytest.fixture(scope="session")
def live_frame(photos: dict[str, Image]) -> Image:
    """A 400 × 300 camera-like frame of person A from another photograph."""
    return synth.face_frame(photos["obama2"])


@pytest.fixture(scope="session")
def blank_frame() -> Image:
    """A frame without a face: smooth noise."""
    rng = np.random.default_rng(7)
    noise = rng.integers(0, 255, (30, 40, 3), dtype=np.uint8)
    return cv2.resize(noise, (400, 300), interpolation=cv2.INTER_CUBIC)


@pytest.fixture(scope="session")
def sequences(live_frame: Image) -> dict[str, list[Image]]:
    return {
        "still": synth.photo_still(live_frame, 20),
        "moved": synth.photo_moved(live_frame, 20),
        "blink_and_turn": synth.blink_and_turn(live_frame),
        "blink_only": synth.blink_only(live_frame),
        "turn_only": synth.turn_only(live_frame),
    }


@pytest.fixture(scope="session")
def videos(sequences: dict[str, list[Image]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sequences as Motion-JPEG AVI files, to be played through OpenCvCamera."""
    folder = tmp_path_factory.mktemp("face-videos")
    return {
        name: synth.write_video(frames, folder / f"{name}.avi", fps=FPS) for name, frames in sequences.items()
    }


@pytest.fixture(scope="session")
def matcher() -> FaceMatcher:
    return FaceMatcher()


@pytest.fixture(scope="session")
def detector() -> LivenessDetector:
    return LivenessDetector()
