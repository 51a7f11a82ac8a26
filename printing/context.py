"""What a document needs besides the case: the office, the clerk, dates and the optional records.

The caller (the workstation) builds a :class:`PrintContext` from the office settings, the catalog, the
working-day calendar (``forms.calendar``: the promised completion date) and the case's history; the
document functions never look anything up themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from forms.catalog import BusinessType
from forms.tax import Assessment, Estimate


@dataclass(frozen=True)
class IdentityCheckRecord:
    """One identity and face check of one party (人证核验), as recorded by the face-check step.

    Attributes:
        party_id: the checked party's id in the case.
        document_type: the document read, in Chinese (``居民身份证``).
        method: how it was checked, in Chinese (``身份证读卡 + 人脸比对``).
        distance: the face-embedding distance measured, ``None`` when no face comparison ran.
        threshold: the distance at or below which the faces count as one person.
        decision: the outcome in Chinese (``通过``, ``不通过``, ``人工核验通过``).
        time: when the check was made.
        override_reason: why a supervisor let a failed check pass ("" when not overridden).
        supervisor: the supervisor who approved the override ("" when not overridden).
    """

    party_id: str
    document_type: str
    method: str
    distance: float | None
    threshold: float | None
    decision: str
    time: datetime
    override_reason: str = ""
    supervisor: str = ""


@dataclass(frozen=True)
class NoticeItem:
    """One missing or defective material on the 一次性告知书.

    Attributes:
        material: the material's name.
        problem: what is wrong (``未提交``, ``复印件不清晰`` …).
        remedy: what the applicant must bring ("" for the default: submit it).
    """

    material: str
    problem: str
    remedy: str = ""


NoticeKind = Literal["correction", "refusal"]
"""``correction``: returned for 补正; ``refusal``: 不予受理 (条例 Art 17 [P])."""


@dataclass(frozen=True)
class PrintContext:
    """Everything a document needs that is not in the case.

    Attributes:
        office_name: the registry's name, printed in every header (``杭州市不动产登记服务中心``).
        office_code: the office's code (区县代码 or the office's own), printed in the footer.
        window_id: the window the case was taken at (``3号窗口``).
        enquiry_phone: the phone number applicants call to ask about their case.
        clerk_name: the clerk (受理人/收件人/询问人).
        business_type: the case's business type from the catalog (names, questions, materials).
        acceptance_date: the day the application was taken.
        promised_completion: the promised completion day, computed by the caller with
            ``forms.calendar`` from ``business_type.promised_days``; ``None`` when not yet known.
        receipt_key: the office's secret key for receipt verification codes.
        seal_text: the wording under the seal area (``杭州市不动产登记服务中心（印章）``).
        delivered: the case has reached the registration system; until then the receipt is titled
            受理回执（待上报）.
        tax_estimate: the tax and fee estimate, if made.
        tax_assessment: the tax bureau's assessment, once it has arrived (the 预估 mark goes away).
        identity_checks: identity and face check records.
        notice_items: the missing or defective materials for the 一次性告知书; ``None`` to derive them
            from the case's checklist (required, not received, not obtainable by data sharing).
        notice_kind: whether the notice returns the case for correction or refuses it.
    """

    office_name: str
    office_code: str
    window_id: str
    enquiry_phone: str
    clerk_name: str
    business_type: BusinessType
    acceptance_date: date
    promised_completion: date | None
    receipt_key: bytes = field(repr=False)
    seal_text: str = ""
    delivered: bool = False
    tax_estimate: Estimate | None = None
    tax_assessment: Assessment | None = None
    identity_checks: tuple[IdentityCheckRecord, ...] = ()
    notice_items: tuple[NoticeItem, ...] | None = None
    notice_kind: NoticeKind = "correction"

    @property
    def seal_wording(self) -> str:
        """The text under the seal area: the configured wording or ``<office>（印章）``."""
        return self.seal_text or f"{self.office_name}（印章）"
