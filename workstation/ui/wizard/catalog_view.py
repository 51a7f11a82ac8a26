"""What the wizard reads of the catalog, for raw data that may not parse as a case yet.

The catalog's per-case answers (materials checklist, interview questions) take a :class:`Case`.
While the clerk is typing, the raw data may hold values that do not parse (area ``"12a"``); then
:func:`lenient_case` builds the closest case that does, section by section, so the checklist and the
questions still follow the parties entered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from pydantic import ValidationError

from forms.case import (
    Case,
    CoOwnership,
    ExistingMortgage,
    HousingClass,
    IdType,
    MaritalStatus,
    Mortgage,
    MortgageKind,
    Party,
    PartyKind,
    PartyRole,
    PaymentMethod,
    Property,
    PropertyType,
    PropertyUse,
    Relation,
    Sex,
    Transaction,
)
from forms.catalog import BusinessType, Catalog
from forms.errors import CatalogError, InvalidIdentifier
from forms.identifiers import IdInfo, check_id_number
from forms.messages import label
from workstation.i18n import current_language

REPRESENTATIVE_ROLES: Final = (PartyRole.AGENT.value, PartyRole.GUARDIAN.value)

Fact = tuple[str, str, type[StrEnum] | None]

PARTY_FACTS: Final[tuple[Fact, ...]] = (
    ("kind", "主体类型", PartyKind),
    ("id_type", "证件种类", IdType),
    ("id_number", "证件号码", None),
    ("name", "姓名/名称", None),
    ("sex", "性别", Sex),
    ("birth_date", "出生日期", None),
    ("phone", "联系电话", None),
    ("address", "通讯地址", None),
    ("legal_representative", "法定代表人/负责人", None),
    ("agency_name", "代理机构名称", None),
    ("co_ownership", "共有方式", CoOwnership),
    ("share", "共有份额(%)", None),
    ("marital_status", "婚姻状况", MaritalStatus),
    ("family_homes_owned", "家庭住房套数", None),
    ("relation_to_counterparty", "与对方当事人关系", Relation),
    ("present", "本人到场", None),
)
PROPERTY_FACTS: Final[tuple[Fact, ...]] = (
    ("unit_number", "不动产单元号", None),
    ("certificate_number", "不动产权证书号", None),
    ("location", "坐落", None),
    ("area", "面积(㎡)", None),
    ("use", "用途", PropertyUse),
    ("property_type", "不动产类型", PropertyType),
    ("housing_class", "房屋性质", HousingClass),
)
TRANSACTION_FACTS: Final[tuple[Fact, ...]] = (
    ("contract_filing_number", "合同网签备案编号", None),
    ("price", "成交价格(元)", None),
    ("payment_method", "付款方式", PaymentMethod),
    ("existing_mortgage", "原有抵押", ExistingMortgage),
    ("assessed_value", "评估价格(元)", None),
    ("acquisition.acquired_on", "取得日期", None),
    ("acquisition.original_value", "原值(元)", None),
    ("acquisition.deed_tax_paid", "购入时已缴契税(元)", None),
)
MORTGAGE_FACTS: Final[tuple[Fact, ...]] = (
    ("kind", "抵押方式", MortgageKind),
    ("secured_amount", "被担保主债权数额(元)", None),
    ("debt_start", "债务履行期限起", None),
    ("debt_end", "债务履行期限止", None),
    ("loan_contract_number", "借款合同编号", None),
    ("mortgage_contract_number", "抵押合同编号", None),
)


def id_facts(id_type: Any, id_number: Any) -> IdInfo | None:
    """What a typed ID number says about its holder (birth date, sex), or ``None`` while it does not parse."""
    if not isinstance(id_number, str) or not id_number:
        return None
    try:
        return check_id_number(IdType(str(id_type or IdType.RESIDENT_ID.value)), id_number)
    except (ValueError, InvalidIdentifier):
        return None


def fact_text(value: Any, enum: type[StrEnum] | None) -> str:
    """A raw value as the review shows it (enumeration values by their Chinese label)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if enum is not None and isinstance(value, str):
        try:
            return label(enum(value))
        except ValueError:
            return value
    return str(value)


@dataclass(frozen=True)
class RoleChoice:
    """A button on the parties page: which kind of party it adds.

    Attributes:
        key: catalog role id, or ``agent`` / ``guardian``.
        label: the Chinese label (买受人, 出卖人, 代理人 …).
        party_role: the case model's role.
        kind: the party kind the role requires, if any.
    """

    key: str
    label: str
    party_role: PartyRole
    kind: PartyKind | None = None


def business_type(catalog: Catalog, type_id: str) -> BusinessType | None:
    """The catalog entry, or ``None`` for an unknown or empty id."""
    try:
        return catalog.get(type_id) if type_id else None
    except CatalogError:
        return None


def type_title(bt: BusinessType) -> str:
    """A business type as listed on the first page (with its English name in the English UI)."""
    if current_language() == "en" and bt.name_en:
        return f"{bt.name_en} — {bt.name}"
    return bt.name


def type_name(catalog: Catalog, type_id: str) -> str:
    """The Chinese name of a type id (the id itself when unknown)."""
    bt = business_type(catalog, type_id)
    return bt.name if bt else type_id


def has_section(catalog: Catalog, type_id: str, section: str) -> bool:
    """Whether the type shows a section (``transaction``, ``acquisition``, ``mortgage``)."""
    bt = business_type(catalog, type_id)
    return bt is not None and section in bt.sections


def departments(catalog: Catalog, type_id: str) -> list[str]:
    """The department ids a case of this type goes to."""
    bt = business_type(catalog, type_id)
    return list(bt.departments) if bt else []


def department_names(catalog: Catalog) -> dict[str, str]:
    """Department id → Chinese name."""
    return dict(catalog.department_names)


def role_choices(catalog: Catalog, type_id: str) -> list[RoleChoice]:
    """The roles of the type, then agent and guardian."""
    bt = business_type(catalog, type_id)
    choices = [RoleChoice(r.id, r.label, r.party_role, r.kind) for r in bt.roles] if bt else []
    choices.append(RoleChoice("agent", label(PartyRole.AGENT), PartyRole.AGENT))
    choices.append(RoleChoice("guardian", label(PartyRole.GUARDIAN), PartyRole.GUARDIAN))
    return choices


def new_party(choice: RoleChoice) -> dict[str, Any]:
    """The raw data of a new party of a role (defaults as the case model has them).

    A party added under a catalog role records it as its ``capacity``, so the role it fills is known
    rather than inferred (the bank in a combined sale and mortgage); agents and guardians have none.
    """
    capacity = None if choice.party_role in (PartyRole.AGENT, PartyRole.GUARDIAN) else choice.key
    party = Party(role=choice.party_role, capacity=capacity, kind=choice.kind or PartyKind.NATURAL)
    if choice.kind is PartyKind.ORGANISATION:
        party = party.model_copy(update={"id_type": IdType.USCC})
    return party.model_dump(mode="json")


def role_labels(catalog: Catalog, data: dict[str, Any]) -> dict[str, str]:
    """Party id → the role label the catalog gives it (买受人 …), derived from the parties entered."""
    labels: dict[str, str] = {}
    for party in data.get("parties") or []:
        if isinstance(party, dict):
            try:
                labels[str(party.get("id"))] = label(PartyRole(str(party.get("role"))))
            except ValueError:
                labels[str(party.get("id"))] = str(party.get("role") or "")
    bt = business_type(catalog, str(data.get("business_type") or ""))
    case = lenient_case(data)
    if bt is not None and case is not None:
        assignment = bt.assign_roles(case)
        for spec in bt.roles:
            for index in assignment.by_role.get(spec.id, ()):
                labels[case.parties[index].id] = spec.label
    return labels


def party_caption(labels: dict[str, str], party: dict[str, Any]) -> str:
    """``买受人：张三`` (or ``买受人：（未填姓名）``)."""
    role_text = labels.get(str(party.get("id")), "")
    name = str(party.get("name") or "").strip() or "（未填姓名）"
    return f"{role_text}：{name}" if role_text else name


def lenient_case(data: dict[str, Any]) -> Case | None:
    """The case the raw data describes, dropping what does not parse yet; ``None`` without a type."""
    clean = data
    try:
        return Case.model_validate(clean)
    except ValidationError:
        pass
    type_id = clean.get("business_type")
    if not isinstance(type_id, str) or not type_id:
        return None
    parties: list[Party] = []
    for raw in clean.get("parties") or []:
        if not isinstance(raw, dict):
            continue
        try:
            parties.append(Party.model_validate(raw))
        except ValidationError:
            keep = {
                k: raw[k]
                for k in ("id", "role", "capacity", "kind", "co_ownership", "represents", "present")
                if k in raw
            }
            try:
                parties.append(Party.model_validate(keep))
            except ValidationError:
                continue
    sections: dict[str, Any] = {}
    for key, model in (("property", Property), ("transaction", Transaction), ("mortgage", Mortgage)):
        raw_section = clean.get(key)
        if isinstance(raw_section, dict):
            try:
                sections[key] = model.model_validate(raw_section)
            except ValidationError:
                if key == "mortgage":
                    sections[key] = Mortgage()
    case_id = clean.get("id")
    try:
        parsed_id = uuid.UUID(str(case_id)) if case_id else uuid.uuid4()
    except ValueError:
        parsed_id = uuid.uuid4()
    return Case(id=parsed_id, business_type=type_id, parties=parties, **sections)


def checklist(catalog: Catalog, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The materials checklist for the raw data, as raw records (catalog order)."""
    bt = business_type(catalog, str(data.get("business_type") or ""))
    if bt is None:
        return []
    case = lenient_case(data)
    if case is not None:
        case = case.model_copy(update={"materials": []})
    return [record.model_dump(mode="json") for record in catalog.materials_checklist(bt, case)]


@dataclass(frozen=True)
class QuestionView:
    """One interview question as the page shows it."""

    id: str
    text: str
    choices: tuple[str, ...]


def questions(catalog: Catalog, data: dict[str, Any]) -> list[QuestionView]:
    """The catalog's questions for the case the raw data describes."""
    case = lenient_case(data)
    if case is None or business_type(catalog, case.business_type) is None:
        return []
    result = []
    for spec in catalog.questions_for(case):
        choices = spec.choices or (("是", "否") if spec.kind == "yes_no" else ())
        result.append(QuestionView(spec.id, spec.text, tuple(choices)))
    return result


def people_questioned(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Who answers the interview: each party present in person (an agent answers for whom they represent).

    询问记录: each applicant or agent answers for themselves (forms.md §3).
    """
    parties = [p for p in data.get("parties") or [] if isinstance(p, dict) and p.get("id")]
    represented = {
        i for p in parties if p.get("role") in REPRESENTATIVE_ROLES for i in p.get("represents") or []
    }
    return [
        p
        for p in parties
        if p.get("role") in REPRESENTATIVE_ROLES
        or (p.get("present", True) and p.get("id") not in represented)
    ]
