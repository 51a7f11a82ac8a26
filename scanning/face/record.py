"""The face-check record (人证核验记录): what was compared, the scores, the decision and any override.

The record holds both images as JPEG bytes so a supervisor can review the check and the 人证核验记录 can
be printed from it. This package never writes them to disk: the caller stores the record and must
encrypt the images at rest. ``repr()`` shows no image and no party id, so a record that reaches a log
leaks nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

from forms.case import IdType
from scanning.errors import OverrideNotAllowed
from scanning.face.results import FaceMatchResult, LivenessResult, ReferenceSource

REASON_NOT_MATCHED: Final = (
    "现场人脸与{source}不一致（{score}）：请核对是否为证件持有人本人；"
    "确认是本人时请在光线充足处正对摄像头重新核验"
)


class Decision(StrEnum):
    """The outcome of a face check."""

    ACCEPTED = "accepted"
    """The faces match and liveness passed."""
    REJECTED = "rejected"
    """The faces do not match, or liveness failed."""
    OVERRIDDEN = "overridden"
    """Rejected by the check, accepted by a supervisor with a recorded reason."""

    @property
    def label(self) -> str:
        """The Chinese wording on screen and on the printed record."""
        return _DECISION_LABELS[self.value]


_DECISION_LABELS: Final = {"accepted": "核验通过", "rejected": "核验未通过", "overridden": "主管人工核验通过"}


def decide(match: FaceMatchResult, liveness: LivenessResult) -> Decision:
    """``accepted`` when the faces match and liveness passed, otherwise ``rejected``."""
    return Decision.ACCEPTED if match.matched and liveness.passed else Decision.REJECTED


@dataclass(frozen=True, repr=False)
class FaceCheckRecord:
    """One face check, as reviewed by a supervisor and printed as the 人证核验记录.

    Attributes:
        party_id: the :class:`forms.case.Party` id of the person checked.
        document_type: the kind of document whose photo was the reference.
        reference_source: where the reference photo came from (chip, DG2, scan).
        distance: face-encoding distance (smaller is closer).
        threshold: the largest distance accepted at the time of the check.
        matched: ``distance <= threshold``.
        liveness_passed: whether the liveness check passed.
        liveness_reasons: why liveness failed (Chinese); empty when it passed.
        decision: accepted, rejected or overridden.
        checked_at: when the check was made (timezone-aware).
        live_jpeg: the live frame compared, JPEG (encrypt at rest).
        reference_jpeg: the reference photo, JPEG (encrypt at rest).
        blinks: blinks counted by the liveness check.
        max_yaw: largest head turn after the request, estimated degrees.
        override_reason: the supervisor's reason when overridden.
        supervisor: who overrode it (the app authenticates them; this is their user name or id).
        overridden_at: when it was overridden.
    """

    party_id: str
    document_type: IdType
    reference_source: ReferenceSource
    distance: float
    threshold: float
    matched: bool
    liveness_passed: bool
    liveness_reasons: tuple[str, ...]
    decision: Decision
    checked_at: datetime
    live_jpeg: bytes
    reference_jpeg: bytes
    blinks: int = 0
    max_yaw: float = 0.0
    override_reason: str = ""
    supervisor: str = ""
    overridden_at: datetime | None = None

    @classmethod
    def create(
        cls,
        *,
        party_id: str,
        document_type: IdType,
        reference_source: ReferenceSource,
        match: FaceMatchResult,
        liveness: LivenessResult,
        live_jpeg: bytes,
        reference_jpeg: bytes,
        checked_at: datetime | None = None,
    ) -> FaceCheckRecord:
        """The record of a finished check, its decision made by :func:`decide`."""
        return cls(
            party_id=party_id,
            document_type=document_type,
            reference_source=reference_source,
            distance=match.distance,
            threshold=match.threshold,
            matched=match.matched,
            liveness_passed=liveness.passed,
            liveness_reasons=tuple(liveness.reasons),
            decision=decide(match, liveness),
            checked_at=checked_at or datetime.now(UTC),
            live_jpeg=live_jpeg,
            reference_jpeg=reference_jpeg,
            blinks=liveness.blinks,
            max_yaw=liveness.max_yaw,
        )

    @property
    def reasons(self) -> list[str]:
        """Why the check failed (Chinese, each saying what to do); empty when it passed."""
        reasons = []
        if not self.matched:
            score = f"距离 {self.distance:.2f}，阈值 {self.threshold:.2f}"
            reasons.append(REASON_NOT_MATCHED.format(source=self.reference_source.label, score=score))
        return reasons + list(self.liveness_reasons)

    @property
    def accepted(self) -> bool:
        """Whether the applicant may proceed (accepted or overridden)."""
        return self.decision is not Decision.REJECTED

    def to_json_dict(self, *, include_images: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (for storage and for printing the 人证核验记录).

        Args:
            include_images: add the two JPEGs, base64-encoded (the caller encrypts them at rest).
        """
        data: dict[str, Any] = {
            "party_id": self.party_id,
            "document_type": self.document_type.value,
            "reference_source": self.reference_source.value,
            "distance": round(self.distance, 4),
            "threshold": self.threshold,
            "matched": self.matched,
            "liveness_passed": self.liveness_passed,
            "liveness_reasons": list(self.liveness_reasons),
            "blinks": self.blinks,
            "max_yaw": self.max_yaw,
            "decision": self.decision.value,
            "reasons": self.reasons,
            "checked_at": self.checked_at.isoformat(),
            "override_reason": self.override_reason,
            "supervisor": self.supervisor,
            "overridden_at": self.overridden_at.isoformat() if self.overridden_at else None,
        }
        if include_images:
            import base64

            data["live_jpeg"] = base64.b64encode(self.live_jpeg).decode("ascii")
            data["reference_jpeg"] = base64.b64encode(self.reference_jpeg).decode("ascii")
        return data

    def __repr__(self) -> str:
        return (
            f"FaceCheckRecord(decision={self.decision.value!r}, distance={self.distance:.3f}, "
            f"threshold={self.threshold}, liveness_passed={self.liveness_passed}, <images hidden>)"
        )


def override(
    record: FaceCheckRecord, supervisor: str, reason: str, *, at: datetime | None = None
) -> FaceCheckRecord:
    """A copy of a rejected record, accepted by a supervisor with a reason; the scores stay as measured.

    Authenticating the supervisor is the application's job; this only records who and why.

    Raises:
        OverrideNotAllowed: the reason or the supervisor is empty, or the check was not rejected.
    """
    if record.decision is not Decision.REJECTED:
        raise OverrideNotAllowed(
            f"只有未通过的人证核验可以由主管放行，本次核验结果为“{record.decision.label}”"
        )
    if not supervisor.strip():
        raise OverrideNotAllowed("主管放行须记录主管账号：请主管登录后再放行")
    if not reason.strip():
        raise OverrideNotAllowed("主管放行须填写“放行理由”（例如：已核对其他有效证件），请填写后再确认")
    return dataclasses.replace(
        record,
        decision=Decision.OVERRIDDEN,
        supervisor=supervisor.strip(),
        override_reason=reason.strip(),
        overridden_at=at or datetime.now(UTC),
    )
