"""Results of a face match and a liveness check: plain values, no NumPy, safe to log (no personal data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ReferenceSource(StrEnum):
    """Where the document photo the live face is compared with comes from."""

    ID_CHIP = "id_chip"
    """The chip photo of a resident ID card or permit (102 × 126, decoded from WLT)."""
    PASSPORT_DG2 = "passport_dg2"
    """The face image in data group 2 of an eMRTD passport chip (ICAO Doc 9303)."""
    CARD_SCAN = "card_scan"
    """The photo printed on a scan of the document's face (when the chip photo is unavailable)."""

    @property
    def label(self) -> str:
        """The Chinese name shown to the clerk and printed on the 人证核验记录."""
        return _SOURCE_TITLES[self]


_SOURCE_TITLES = {
    ReferenceSource.ID_CHIP: "证件芯片照片",
    ReferenceSource.PASSPORT_DG2: "护照芯片照片",
    ReferenceSource.CARD_SCAN: "证件扫描件照片",
}


@dataclass(frozen=True)
class FaceMatchResult:
    """One comparison of a live face with a document photo.

    Attributes:
        distance: Euclidean distance between the two 128-d encodings (0 = identical; smaller is closer).
        threshold: the largest distance accepted as the same person.
        matched: ``distance <= threshold``.
        duration: seconds spent detecting, encoding and comparing.
    """

    distance: float
    threshold: float
    matched: bool
    duration: float

    @property
    def similarity_text(self) -> str:
        """The score as the clerk sees it: ``距离 0.39（阈值 0.50）``."""
        return f"距离 {self.distance:.2f}（阈值 {self.threshold:.2f}）"


@dataclass(frozen=True)
class LivenessResult:
    """The outcome of the liveness check on a sequence of frames.

    Attributes:
        passed: whether the frames show a live person (blinks and a head turn on request).
        reasons: why it failed, in Chinese, each saying what to do; empty when it passed.
        blinks: blinks counted.
        max_yaw: the largest head turn after the request, in estimated degrees.
        frames: frames analysed.
        duration: seconds of frames (last frame's timestamp minus the first's) until the decision.
        processing: wall-clock seconds spent analysing them.
    """

    passed: bool
    reasons: list[str] = field(default_factory=list)
    blinks: int = 0
    max_yaw: float = 0.0
    frames: int = 0
    duration: float = 0.0
    processing: float = 0.0
