"""A case as a supervisor reads it: readable Chinese values, version changes, delivery legs (issue 8).

Qt-free. :func:`flatten` turns a :class:`~forms.case.Case` into ordered rows keyed by a stable path
(``parties[<party id>].id_number``) and labelled with the pydantic field titles
(``当事人「权利人 张三」· 证件号码``), values in readable Chinese (enumerations by their labels,
``是``/``否``, dates). :func:`diff_cases` compares two versions field by field on those rows.
:func:`case_sections` groups the rows of one version for the read-only case view. The value types
(:class:`VersionInfo`, :class:`DeliveryLeg`, :class:`CaseDossier`) are what
:class:`~workstation.storage.store.SqlStore` and :mod:`workstation.operations.supervisor` hand the view.

Personal values appear here in clear: only a supervisor's view (permission-checked and audited as
a view of personal data) shows them; nothing here logs them.
"""

from __future__ import annotations

import types
import typing
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from pydantic import BaseModel

from forms.case import Case, InterviewAnswer, MaterialRecord, Party
from forms.messages import label
from sync.outbox import Answer
from workstation.storage.api import Attachment, IdentityCheck, PrintJob, StateChange

ABSENT: Final = "（无）"
"""Shown for a field a version does not have (an added or removed party, material …)."""

EMPTY: Final = "（未填）"
"""Shown for a field left empty."""

SKIPPED_FIELDS: Final = frozenset({"schema_version"})
"""Top-level fields not shown (bookkeeping, not the applicants' data)."""

VERSION_REASONS: Final[Mapping[str, str]] = {
    "submit": "提交各部门",
    "import": "导入",
    "录入完成": "录入完成",
}
"""Readable names of the reasons :meth:`SqlStore.save_version` records (``page:<page>`` is handled apart)."""


PAGE_NAMES: Final[Mapping[str, str]] = {
    "type": "业务类型",
    "parties": "当事人",
    "property": "不动产",
    "transaction": "交易",
    "mortgage": "抵押",
    "materials": "材料",
    "interview": "询问",
    "review": "核对",
}
"""The wizard's page names (``workstation/ui/wizard/pages.py``) in Chinese."""


def version_reason(reason: str) -> str:
    """The Chinese reading of a stored version reason (``page:parties`` → ``切换页面时保存（当事人）``).

    The wizard stores Chinese reasons (``翻页保存``, ``录入完成``), shown as they are.
    """
    if reason.startswith("page:"):
        page = reason.removeprefix("page:")
        return f"切换页面时保存（{PAGE_NAMES.get(page, page)}）"
    return VERSION_REASONS.get(reason, reason)


def display(value: Any) -> str:
    """A field value as a person reads it (enumerations by their Chinese label, ``是``/``否``)."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M") if value.tzinfo else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")  # as stored: money keeps its two decimals
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return "、".join(display(v) for v in value) if value else EMPTY
    text = str(value)
    return text if text.strip() else EMPTY


def _model_type(annotation: Any) -> type[BaseModel] | None:
    """The model class a field holds (``Mortgage | None`` → ``Mortgage``), or ``None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        for arg in typing.get_args(annotation):
            found = _model_type(arg)
            if found is not None:
                return found
    return None


def _item_key(item: BaseModel, index: int) -> str:
    if isinstance(item, Party):
        return item.id
    if isinstance(item, MaterialRecord):
        return item.code
    if isinstance(item, InterviewAnswer):
        return f"{item.question_id}/{item.party_id}"
    return str(index)


def _item_label(item: BaseModel, index: int) -> str:
    if isinstance(item, Party):
        return f"「{label(item.role)} {item.name or EMPTY}」"
    if isinstance(item, MaterialRecord):
        return f"「{item.name or item.code}」"
    if isinstance(item, InterviewAnswer):
        return f"「问题 {item.question_id}」"
    return f"第 {index + 1} 项"


@dataclass(frozen=True)
class Row:
    """One field of a case as shown: where it is, its titles and its readable value.

    Attributes:
        path: the stable key (``parties[<party id>].id_number``), used to compare versions.
        section: the top-level part it belongs to (``当事人「权利人 张三」``, ``不动产``, ``基本信息``).
        title: the field's titles below the section, `` · ``-joined (``卖方取得情况 · 原值``).
        value: the readable value.
    """

    path: str
    section: str
    title: str
    value: str

    @property
    def full_title(self) -> str:
        """Section and title together (``当事人「权利人 张三」 · 证件号码``)."""
        return f"{self.section} · {self.title}" if self.title else self.section


def _rows_of(model: BaseModel, *, section: str, titles: tuple[str, ...], path: str) -> list[Row]:
    rows: list[Row] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        title = info.title or name
        key = f"{path}.{name}" if path else name
        nested = _model_type(info.annotation)
        if isinstance(value, BaseModel):
            rows += _rows_of(value, section=section, titles=(*titles, title), path=key)
        elif value is None and nested is not None:
            continue  # an optional part not filled in (no mortgage): nothing to show
        else:
            rows.append(Row(key, section, " · ".join((*titles, title)), display(value)))
    return rows


def flatten(case: Case) -> list[Row]:
    """Every shown field of a case in model order, nested parts and list items included."""
    rows: list[Row] = []
    for name, info in Case.model_fields.items():
        if name in SKIPPED_FIELDS:
            continue
        value = getattr(case, name)
        title = info.title or name
        if isinstance(value, BaseModel):
            rows += _rows_of(value, section=title, titles=(), path=name)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for index, item in enumerate(value):
                section = f"{title}{_item_label(item, index)}"
                rows += _rows_of(item, section=section, titles=(), path=f"{name}[{_item_key(item, index)}]")
        elif value is None and _model_type(info.annotation) is not None:
            continue
        elif isinstance(value, list) and not value and typing.get_origin(info.annotation) is list:
            args = typing.get_args(info.annotation)
            if args and _model_type(args[0]) is not None:
                continue  # no parties / materials yet: their sections are simply absent
            rows.append(Row(name, "基本信息", title, EMPTY))
        else:
            rows.append(Row(name, "基本信息", title, display(value)))
    return rows


@dataclass(frozen=True)
class Section:
    """A titled group of ``(title, value)`` rows of the read-only view."""

    title: str
    rows: tuple[tuple[str, str], ...]


def case_sections(case: Case, *, business_type_name: str | None = None) -> list[Section]:
    """The case grouped for reading: 基本信息 first, then each part in model order.

    Args:
        case: the version shown.
        business_type_name: the catalog's name of the business type, shown instead of its id.
    """
    grouped: dict[str, list[tuple[str, str]]] = {"基本信息": []}
    for row in flatten(case):
        value = row.value
        if row.path == "business_type" and business_type_name:
            value = f"{business_type_name}（{case.business_type}）"
        grouped.setdefault(row.section, []).append((row.title, value))
    return [Section(title, tuple(rows)) for title, rows in grouped.items() if rows]


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions.

    Attributes:
        path: the stable key of the field.
        title: section and field titles (``当事人「权利人 张三」 · 联系电话``).
        old: the value before (:data:`ABSENT` when the field was not there).
        new: the value after (:data:`ABSENT` when the field was removed).
    """

    path: str
    title: str
    old: str
    new: str


def diff_cases(old: Case | None, new: Case) -> list[FieldChange]:
    """What changed from ``old`` to ``new``, field by field, in the order of ``new`` (removed last).

    ``old=None`` (the first version) lists every field of ``new`` as added.
    """
    before = {row.path: row for row in flatten(old)} if old is not None else {}
    after = {row.path: row for row in flatten(new)}
    changes = []
    for path, row in after.items():
        previous = before.get(path)
        if previous is None:
            changes.append(FieldChange(path, row.full_title, ABSENT, row.value))
        elif previous.value != row.value:
            changes.append(FieldChange(path, row.full_title, previous.value, row.value))
    for path, row in before.items():
        if path not in after:
            changes.append(FieldChange(path, row.full_title, row.value, ABSENT))
    return changes


_RESULT_TITLES: Final[Mapping[str, str]] = {
    "filing_confirmation_no": "网签备案确认号",
    "filed_on": "备案日期",
    "acceptance_no": "登记受理号",
    "expected_completion": "预计办结日期",
    "amount_due": "应缴金额(元)",
    "payment_code": "缴款码",
    "assessed_on": "核定日期",
}
"""Chinese titles of the departments' result keys (``sync.outbox.Answer.result``, the tax assessment)."""


def answer_lines(answer: Answer) -> list[tuple[str, str]]:
    """A department's answer as ``(title, value)`` lines: the outcome, receipt, reasons and result."""
    from sync.outbox import LEG_LABELS

    lines = [("答复", LEG_LABELS[answer.state])]
    if answer.receipt_no:
        lines.append(("回执号", answer.receipt_no))
    lines += [(f"退回原因 {i}", reason) for i, reason in enumerate(answer.reasons, 1)]
    result = dict(answer.result or {})
    assessment = result.pop("assessment", None)
    if isinstance(assessment, Mapping):
        for key in ("amount_due", "payment_code", "assessed_on"):
            if assessment.get(key) is not None:
                lines.append((_RESULT_TITLES[key], str(assessment[key])))
        lines.append(("核定明细", f"{len(assessment.get('lines') or ())} 项"))
    for key, value in result.items():
        lines.append((_RESULT_TITLES.get(key, key), display(value) if not isinstance(value, str) else value))
    return lines


# ------------------------------------------------------------------------------------ value types
@dataclass(frozen=True)
class VersionInfo:
    """One kept version of a case.

    Attributes:
        n: its number (1, 2, 3 …).
        at: when it was kept (UTC).
        user_id: who kept it.
        user_name: that user's display name (``""`` when unknown).
        reason: the stored reason code (:func:`version_reason` reads it).
    """

    n: int
    at: datetime
    user_id: int | None
    user_name: str
    reason: str


@dataclass(frozen=True)
class DeliveryLeg:
    """One department leg of a case as the delivery history shows it (error and answer decrypted).

    Attributes:
        package_id: the leg's idempotency key.
        department: ``transaction``, ``tax`` or ``registration`` (``sync.package.Department`` value).
        state: the leg's state (``sync.outbox.LegState`` value).
        case_version: the case version the package carries.
        supersedes: the package this one corrects, if any.
        attempts: delivery attempts so far.
        created_at: when the leg was queued (the submission).
        delivered_at: when the department acknowledged it.
        answered_at: when the department answered.
        receipt_no: the department's receipt number.
        last_error_kind: the class of the last error (no personal data).
        last_error: the last error's Chinese message.
        answer: the department's answer.
    """

    package_id: uuid.UUID
    department: str
    state: str
    case_version: int
    supersedes: uuid.UUID | None
    attempts: int
    created_at: datetime
    delivered_at: datetime | None
    answered_at: datetime | None
    receipt_no: str | None
    last_error_kind: str | None
    last_error: str | None
    answer: Answer | None


@dataclass(frozen=True)
class CaseDossier:
    """Everything the read-only case view shows of one case, read in one go on the database worker.

    Attributes:
        case: the latest version.
        state: the case's state.
        versions: every kept version, oldest first, with the case as it was then.
        events: the state changes, oldest first.
        legs: the delivery legs, newest first.
        attachments: the stored scans, oldest first.
        purged_attachments: attachment id → when retention deleted its local copy.
        identity_checks: the face checks, oldest first.
        purged_images: check id → when retention deleted its photos.
        print_jobs: the prints, newest first.
        user_names: user id → display name, for the "who" columns.
    """

    case: Case
    state: str
    versions: Sequence[tuple[VersionInfo, Case]]
    events: Sequence[StateChange]
    legs: Sequence[DeliveryLeg]
    attachments: Sequence[Attachment] = ()
    purged_attachments: Mapping[str, datetime] = field(default_factory=dict)
    identity_checks: Sequence[IdentityCheck] = ()
    purged_images: Mapping[int, datetime] = field(default_factory=dict)
    print_jobs: Sequence[PrintJob] = ()
    user_names: Mapping[int, str] = field(default_factory=dict)

    def user_name(self, user_id: int | None) -> str:
        """A user's display name (``系统`` for none, ``#<id>`` for a removed user)."""
        if user_id is None:
            return "系统"
        return self.user_names.get(user_id, f"#{user_id}")

    def changes(self, index: int) -> list[FieldChange]:
        """What version ``versions[index]`` changed against the one before it."""
        previous = self.versions[index - 1][1] if index > 0 else None
        return diff_cases(previous, self.versions[index][1])


__all__ = [
    "ABSENT",
    "EMPTY",
    "CaseDossier",
    "DeliveryLeg",
    "FieldChange",
    "Row",
    "Section",
    "VersionInfo",
    "answer_lines",
    "case_sections",
    "diff_cases",
    "display",
    "flatten",
    "version_reason",
]
