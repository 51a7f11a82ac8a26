"""How a reference back end behaves: one :class:`DepartmentScript` per department.

Tests set scripts in-process (:meth:`sync.backends.ReferenceBackends.set_script`); the demo and manual
runs set them over HTTP (``PUT /admin/scripts/{department}`` with the script as JSON).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal["accepted", "rejected", "completed"]


class DepartmentScript(BaseModel):
    """The scripted behaviour of one department's back end.

    The outcome of a package is fixed when it is submitted, so changing the script later does not
    rewrite answers already given.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: Outcome = Field("accepted", title="答复结果")
    reasons: list[str] = Field(default_factory=list, title="退回原因", description="Used when rejected.")
    answer_delay: float = Field(
        0.0, ge=0, title="答复延迟(秒)", description="Seconds after submit before the answer is visible."
    )
    latency: float = Field(0.0, ge=0, le=60, title="每次应答延迟(秒)", description="Slow back end.")
    down: bool = Field(False, title="停机", description="Every department request answers 503.")
    assessment: dict[str, Any] | None = Field(
        None,
        title="核定结果",
        description="税务 only: a fixed assessment (forms.tax.assessment.Assessment as JSON).",
    )
    assessment_delta: Decimal = Field(
        Decimal("0"),
        title="核定差额(元)",
        description="税务 only: added to the first estimated line so the assessment differs from it.",
    )
    completion_days: int = Field(
        5, ge=0, le=365, title="预计办结天数", description="登记 only: calendar days to the completion date."
    )
    plain_protocol: bool = Field(
        False,
        title="只用基本协议",
        description=(
            "Ignore the optional shortcuts (Yichuang-Submit, the held map, POST /v1/packages, POST "
            "/v1/status, POST /v1/properties/status), as an adapter to a province's system might: the "
            "window then uses the plain requests."
        ),
    )
    drop_after_chunks: int | None = Field(
        None,
        ge=0,
        title="上传中断",
        description="One-shot fault: after this many blob chunks, the next one is cut off mid-body.",
    )
