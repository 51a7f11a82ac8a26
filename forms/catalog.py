"""The business-type catalog (业务类型目录): who applies, which materials, questions, fees and days.

The catalog is data, not code: ``forms/catalog_data/default.yaml`` holds the national defaults with the
source of every row, and an office adds or changes types, materials, days and fees in an override file
(:func:`load_catalog`) without touching code. Everything the window needs per business type derives from
it: the roles of the 申请人 blocks and their Chinese labels, the materials checklist, the 询问记录
questions, the departments the case goes to, the registration fee and the promised working days.

A bad catalog file raises :class:`~forms.errors.CatalogError` naming the file and the line.

Example:
    >>> catalog = load_catalog()
    >>> catalog.get("second_hand_sale").name
    '存量房买卖转移登记'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from forms.case import (
    Case,
    CoOwnership,
    ExistingMortgage,
    MaterialRecord,
    Party,
    PartyKind,
    PartyRole,
    PropertyUse,
)
from forms.errors import CatalogError, Issue
from forms.yamldata import (
    LocatedDict,
    LocatedList,
    Location,
    format_path,
    load_located,
    locate,
    pydantic_errors_to_text,
)

DEFAULT_CATALOG_FILE: Final = Path(__file__).parent / "catalog_data" / "default.yaml"
"""The catalog shipped with the program."""

Condition = Literal[
    "always",
    "co_owned",
    "shares",
    "share_transfer",
    "mortgage",
    "objection",
    "agent",
    "guardian",
    "organisation",
    "carried_mortgage",
]
"""When a question is asked or a material is needed (see :func:`case_conditions`)."""

Department = Literal["transaction", "tax", "registration"]
"""A department a case goes to: housing transaction (contract filing), tax, registration."""

Section = Literal["transaction", "mortgage", "acquisition"]
"""A section of the case the wizard shows for a business type."""

AnswerKind = Literal["yes_no", "choice", "text"]
"""How a question is answered."""

FeePayer = Literal["right_holder", "mortgagee", "none"]
"""Who pays the registration fee (2559号: the party registered as right-holder)."""

DEPARTMENTS: Final[tuple[str, ...]] = get_args(Department)
SECTIONS: Final[tuple[str, ...]] = get_args(Section)

_ROLE_LABELS: Final[dict[PartyRole, str]] = {
    PartyRole.RIGHT_HOLDER: "权利人",
    PartyRole.OBLIGOR: "义务人",
    PartyRole.AGENT: "代理人",
    PartyRole.GUARDIAN: "监护人",
}


# ---------------------------------------------------------------------------------------- public model
@dataclass(frozen=True)
class RegistrationSpec:
    """One registration a business type makes (a combined visit makes two).

    Attributes:
        type: registration-type id in the catalog, e.g. ``transfer``.
        name: 登记类型, e.g. ``转移登记``.
        djlx: the DJLXZD code of the database standard, e.g. ``"200"``.
        djlx_verified: ``False`` while the code table is unverified (forms.md Q1).
        right_type: 权利类型 of this registration (``抵押权``); ``None`` for the property's own right.
    """

    type: str
    name: str
    djlx: str
    djlx_verified: bool
    right_type: str | None


@dataclass(frozen=True)
class RoleSpec:
    """A role in a business type's application, e.g. 买受人 as 权利人.

    Attributes:
        id: stable id, e.g. ``buyer``.
        label: the Chinese label printed on forms, e.g. ``买受人``.
        party_role: the case's :class:`~forms.case.PartyRole` the role is entered as.
        kind: only natural persons or only organisations may fill it; ``None`` for either.
        min_count: fewest parties in the role.
        max_count: most parties in the role.
        holds_title: the role holds the property after registration; its co-ownership is asked about.
    """

    id: str
    label: str
    party_role: PartyRole
    kind: PartyKind | None
    min_count: int
    max_count: int
    holds_title: bool


@dataclass(frozen=True)
class MaterialSpec:
    """A material a business type asks for.

    Attributes:
        code: stable code, e.g. ``title_certificate``.
        name: Chinese name.
        required: needed for acceptance (条例 Art 17) when ``when`` applies.
        data_sharing: obtainable by real-time data sharing, so it must not be demanded (规范 1.1.2).
        original: the original is kept (``False``: a copy).
        when: the condition under which it is needed.
        source: where the requirement comes from.
    """

    code: str
    name: str
    required: bool
    data_sharing: bool
    original: bool
    when: str
    source: str


@dataclass(frozen=True)
class QuestionSpec:
    """A 询问记录 question.

    Attributes:
        id: stable id, e.g. ``true_intent``.
        text: the question as asked.
        kind: ``yes_no``, ``choice`` or ``text``.
        choices: the answers offered for ``choice``.
        when: the condition under which it is asked.
        source: where the question comes from.
    """

    id: str
    text: str
    kind: str
    choices: tuple[str, ...]
    when: str
    source: str


@dataclass(frozen=True)
class FeeSpec:
    """The registration-fee rule of a business type (taxes-and-fees.md §7).

    Attributes:
        id: the fee rule's id in the catalog.
        free: no fee (变更, 注销, 预告 …).
        residential: per case for housing, first certificate included.
        non_residential: per case for other uses.
        garage_with_certificate: a garage, parking space or storeroom with its own certificate.
        extra_certificate: each certificate from the second on.
        payer: ``right_holder``, ``mortgagee`` or ``none``.
        source: the fee documents.
    """

    id: str
    free: bool
    residential: Decimal
    non_residential: Decimal
    garage_with_certificate: Decimal
    extra_certificate: Decimal
    payer: str
    source: str

    def amount(
        self, use: PropertyUse, has_own_certificate: bool = True, extra_certificates: int = 0
    ) -> Decimal:
        """The fee for one case, before the small/micro-enterprise exemption.

        Args:
            use: the unit's use.
            has_own_certificate: a garage or storeroom with a certificate of its own (free without, 45号).
            extra_certificates: certificates beyond the first.

        Returns:
            The amount in yuan.
        """
        if self.free:
            return Decimal("0")
        if use in (PropertyUse.GARAGE_PARKING, PropertyUse.STOREROOM):
            base = self.garage_with_certificate if has_own_certificate else Decimal("0")
        elif use is PropertyUse.RESIDENTIAL:
            base = self.residential
        else:
            base = self.non_residential
        return base + self.extra_certificate * extra_certificates


@dataclass(frozen=True)
class RoleAssignment:
    """Which parties of a case fill which role of its business type.

    Attributes:
        by_role: role id → indexes into ``case.parties``, in the order entered.
        unassigned: indexes of 权利人/义务人 parties no role took (too many, or a role the type lacks).
    """

    by_role: Mapping[str, tuple[int, ...]]
    unassigned: tuple[int, ...]


@dataclass(frozen=True)
class BusinessType:
    """One business type of the catalog.

    Attributes:
        id: stable id, e.g. ``second_hand_sale``.
        name: Chinese name.
        name_en: English name.
        registrations: the registrations made; the first is the main one.
        joint_application: both parties must apply (条例 Art 14).
        joint_application_source: the rule and its source.
        roles: the applicant roles.
        materials: base materials then the type's own.
        questions: the 询问记录 questions, each with its condition.
        departments: where the case goes, a subset of :data:`DEPARTMENTS`.
        fee: the registration-fee rule.
        promised_days: working days from acceptance to completion that the office promises.
        promised_days_source: the target's source.
        sections: the case sections the wizard shows, a subset of :data:`SECTIONS`.
        source: the rows' source.
        notes: remarks shown to the clerk.
    """

    id: str
    name: str
    name_en: str
    registrations: tuple[RegistrationSpec, ...]
    joint_application: bool
    joint_application_source: str
    roles: tuple[RoleSpec, ...]
    materials: tuple[MaterialSpec, ...]
    questions: tuple[QuestionSpec, ...]
    departments: tuple[str, ...]
    fee: FeeSpec
    promised_days: int
    promised_days_source: str
    sections: tuple[str, ...]
    source: str
    notes: str = ""

    @property
    def registration(self) -> RegistrationSpec:
        """The main registration (the first)."""
        return self.registrations[0]

    def fee_for(self, case: Case) -> Decimal | None:
        """The catalog's registration fee for the case, as the tax estimator takes it.

        Returns:
            The fee per registration before extra certificates, or ``None`` for a free type, so the
            estimator's own fee table decides (taxes-and-fees.md §7).
        """
        if self.fee.free:
            return None
        return self.fee.amount(case.property.use, case.property.has_own_certificate)

    def applicable_materials(self, case: Case | None = None) -> list[MaterialSpec]:
        """The materials whose condition holds for the case (without a case: the ``always`` ones)."""
        conditions = case_conditions(self, case) if case is not None else frozenset({"always"})
        return [m for m in self.materials if m.when in conditions]

    def materials_checklist(
        self, case: Case | None = None, *, keep_recorded: bool = False
    ) -> list[MaterialRecord]:
        """A materials checklist for a case of this type.

        Without a case it is the fresh checklist of a new case (materials needed in every case). With a
        case it is the refreshed checklist: items whose condition now holds are added, items already in
        the case keep what the clerk recorded, and extra items the clerk added stay at the end.
        Materials obtainable by data sharing are marked so and not demanded (规范 1.1.2).

        Args:
            case: the case, if any.
            keep_recorded: also keep recorded catalog items whose condition no longer holds (a
                printed receipt lists every material the window took in); the wizard drops them.

        Returns:
            The checklist, in catalog order, then the case's other items.
        """
        existing = {m.code: m for m in case.materials} if case is not None else {}
        records: list[MaterialRecord] = []
        for spec in self.applicable_materials(case):
            if spec.code in existing:
                records.append(existing.pop(spec.code))
                continue
            records.append(
                MaterialRecord(
                    code=spec.code,
                    name=spec.name,
                    required=spec.required and not spec.data_sharing,
                    original=spec.original,
                    via_data_sharing=spec.data_sharing,
                )
            )
        if case is not None:
            catalog_codes = set() if keep_recorded else {m.code for m in self.materials}
            records.extend(m for m in case.materials if m.code in existing and m.code not in catalog_codes)
        return records

    @property
    def needs_mortgage(self) -> bool:
        """The case must carry a mortgage section."""
        return "mortgage" in self.sections

    def role(self, role_id: str) -> RoleSpec:
        """The role with this id.

        Raises:
            CatalogError: the type has no such role.
        """
        for spec in self.roles:
            if spec.id == role_id:
                return spec
        raise CatalogError(f"业务类型“{self.name}”没有角色“{role_id}”。")

    def assign_roles(self, case: Case) -> RoleAssignment:
        """Match the case's 权利人 and 义务人 to this type's roles.

        A party whose :attr:`~forms.case.Party.capacity` names a role of this type with the party's own
        :class:`~forms.case.PartyRole` fills that role (the wizard records the role button the clerk
        used). Parties without it — files written before the field existed, or a capacity that is not
        a role here (:meth:`Catalog.check_case` reports that) — are inferred for the places left: a role
        restricted to one kind of party (e.g. the bank as 抵押权人 in a combined sale and mortgage)
        takes matching parties from the end of the list first, so buyers entered before the bank stay
        buyers; the other roles then take the remaining parties in the order entered.

        Args:
            case: the case.

        Returns:
            The assignment.
        """
        by_role: dict[str, list[int]] = {spec.id: [] for spec in self.roles}
        unassigned: list[int] = []
        for party_role in (PartyRole.RIGHT_HOLDER, PartyRole.OBLIGOR):
            specs = [s for s in self.roles if s.party_role is party_role]
            spec_ids = {s.id for s in specs}
            left: list[int] = []
            for i, p in enumerate(case.parties):
                if p.role is not party_role:
                    continue
                if p.capacity in spec_ids:
                    by_role[p.capacity].append(i)
                else:
                    left.append(i)
            for spec in specs:  # explicit capacities beyond a role's maximum are too many
                unassigned.extend(by_role[spec.id][spec.max_count :])
                del by_role[spec.id][spec.max_count :]
            for spec in (s for s in specs if s.kind is not None):
                room = spec.max_count - len(by_role[spec.id])
                taken = [i for i in reversed(left) if case.parties[i].kind is spec.kind][:room]
                by_role[spec.id] = sorted(by_role[spec.id] + taken)
                left = [i for i in left if i not in taken]
            for spec in (s for s in specs if s.kind is None):
                room = spec.max_count - len(by_role[spec.id])
                by_role[spec.id] = sorted(by_role[spec.id] + left[:room])
                left = left[room:]
            unassigned.extend(left)
        return RoleAssignment(
            by_role={k: tuple(v) for k, v in by_role.items()}, unassigned=tuple(sorted(unassigned))
        )

    def role_of(self, case: Case, party_id: str) -> RoleSpec | None:
        """The role a party fills (for labels such as 买受人 on printed forms), or ``None``."""
        assignment = self.assign_roles(case)
        for spec in self.roles:
            if any(case.parties[i].id == party_id for i in assignment.by_role[spec.id]):
                return spec
        return None

    def title_holders(self, case: Case) -> list[Party]:
        """The parties holding the property after registration (whose co-ownership is recorded)."""
        assignment = self.assign_roles(case)
        return [
            case.parties[i] for spec in self.roles if spec.holds_title for i in assignment.by_role[spec.id]
        ]


def case_conditions(bt: BusinessType, case: Case) -> frozenset[str]:
    """The conditions (:data:`Condition`) that hold for a case.

    * ``co_owned``: more than one title holder, or one marked 共同共有/按份共有;
    * ``shares``: a title holder holds by 按份共有;
    * ``share_transfer``: a transfer in which a 义务人 disposes of a 按份 share (forms.md §3 #7);
    * ``mortgage``: the type registers a mortgage or the case carries one;
    * ``objection``: the type makes an 异议登记;
    * ``agent`` / ``guardian``: an agent or guardian takes part;
    * ``organisation``: a 权利人 or 义务人 is an organisation;
    * ``carried_mortgage``: the property is sold with its mortgage (带押过户, 民法典 Art 406).

    Args:
        bt: the case's business type.
        case: the case.

    Returns:
        The set of conditions, always including ``always``.
    """
    holders = bt.title_holders(case)
    held_jointly = {CoOwnership.JOINT, CoOwnership.SHARES}
    registration_types = {r.type for r in bt.registrations}
    found = {"always"}
    if len(holders) > 1 or any(p.co_ownership in held_jointly for p in holders):
        found.add("co_owned")
    if any(p.co_ownership is CoOwnership.SHARES for p in holders):
        found.add("shares")
    if "transfer" in registration_types and any(p.co_ownership is CoOwnership.SHARES for p in case.obligors):
        found.add("share_transfer")
    if bt.needs_mortgage or case.mortgage is not None:
        found.add("mortgage")
    if "objection" in registration_types:
        found.add("objection")
    if case.parties_in(PartyRole.AGENT):
        found.add("agent")
    if case.parties_in(PartyRole.GUARDIAN):
        found.add("guardian")
    if any(p.kind is PartyKind.ORGANISATION for p in case.right_holders + case.obligors):
        found.add("organisation")
    if case.transaction.existing_mortgage is ExistingMortgage.TRANSFER_WITH_MORTGAGE:
        found.add("carried_mortgage")
    return frozenset(found)


def _title(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].title or name


@dataclass(frozen=True)
class Catalog:
    """The loaded catalog.

    Attributes:
        types: the business types, in display order.
        statutory_max_days: the statutory limit in working days (条例 Art 20).
        department_names: department id → Chinese name.
        office: the office named by the override file ("" for the defaults).
        files: the files the catalog was loaded from.
    """

    types: tuple[BusinessType, ...]
    statutory_max_days: int
    department_names: Mapping[str, str]
    office: str = ""
    files: tuple[Path, ...] = field(default=())

    def get(self, type_id: str) -> BusinessType:
        """The business type with this id.

        Raises:
            CatalogError: no such type; the message lists the known ones.
        """
        for bt in self.types:
            if bt.id == type_id:
                return bt
        known = "、".join(f"{bt.name}（{bt.id}）" for bt in self.types)
        raise CatalogError(
            f"未知的业务类型“{type_id}”。请从业务类型目录中选择：{known}；"
            "如为本机构新增的业务，请在机构目录文件中添加该类型。"
        )

    def __contains__(self, type_id: object) -> bool:
        return any(bt.id == type_id for bt in self.types)

    def fee_for(self, case: Case) -> Decimal | None:
        """The registration fee of the case's business type (``BusinessType.fee_for``).

        Returns:
            The fee, or ``None`` for a free or unknown type: the estimator's own fee table then decides.
        """
        if case.business_type not in self:
            return None
        return self.get(case.business_type).fee_for(case)

    # ------------------------------------------------------------------ derived per case
    def applicable_materials(self, bt: BusinessType, case: Case | None = None) -> list[MaterialSpec]:
        """The materials of a type that apply to the case (``BusinessType.applicable_materials``)."""
        return bt.applicable_materials(case)

    def materials_checklist(self, bt: BusinessType, case: Case | None = None) -> list[MaterialRecord]:
        """A materials checklist for a case of this type (``BusinessType.materials_checklist``)."""
        return bt.materials_checklist(case)

    def questions_for(self, case: Case) -> list[QuestionSpec]:
        """The 询问记录 questions to ask in this case, in catalog order.

        Raises:
            CatalogError: the case's business type is unknown.
        """
        bt = self.get(case.business_type)
        conditions = case_conditions(bt, case)
        return [q for q in bt.questions if q.when in conditions]

    def check_case(self, case: Case) -> list[Issue]:
        """Check a case against its business type: roles, joint application, materials, mortgage.

        Args:
            case: the case.

        Returns:
            The issues found (errors block acceptance, warnings do not); empty when all is in order.
        """
        try:
            bt = self.get(case.business_type)
        except CatalogError as exc:
            return [Issue("business_type", str(exc), "error", "catalog.unknown_type")]
        issues = self._check_capacities(bt, case)
        issues += self._check_roles(bt, case)
        issues += self._check_materials(bt, case)
        issues += self._check_mortgage(bt, case)
        return issues

    def _check_capacities(self, bt: BusinessType, case: Case) -> list[Issue]:
        """An explicit capacity must be a role of the type, of the party's side (权利人/义务人) and kind."""
        capacity_title = _title(Party, "capacity")
        role_title = _title(Party, "role")
        kind_title = _title(Party, "kind")
        by_id = {spec.id: spec for spec in bt.roles}
        issues: list[Issue] = []
        for index, party in enumerate(case.parties):
            if party.capacity is None:
                continue
            who = f"第 {index + 1} 位当事人"
            path = f"parties[{index}].capacity"
            spec = by_id.get(party.capacity)
            if party.role in (PartyRole.AGENT, PartyRole.GUARDIAN):
                issues.append(
                    Issue(
                        path,
                        f"{who}是{_ROLE_LABELS[party.role]}，不填写“{capacity_title}”"
                        f"（现为“{spec.label if spec else party.capacity}”）：请清空。",
                        "error",
                        "catalog.capacity_representative",
                    )
                )
            elif spec is None:
                known = "、".join(f"{s.label}（{s.id}）" for s in bt.roles if s.party_role is party.role)
                fix = f"应为{known}之一" if known else f"{bt.name}没有{_ROLE_LABELS[party.role]}"
                issues.append(
                    Issue(
                        path,
                        f"{who}的“{capacity_title}”“{party.capacity}”不是{bt.name}的角色：{fix}。"
                        "请删除该当事人后用本业务的“添加…”按钮重新添加，或改正案件文件。",
                        "error",
                        "catalog.capacity_unknown",
                    )
                )
            elif spec.party_role is not party.role:
                issues.append(
                    Issue(
                        path,
                        f"{who}的“{capacity_title}”是{spec.label}（{_ROLE_LABELS[spec.party_role]}），"
                        f"而其“{role_title}”是{_ROLE_LABELS[party.role]}：请把“{role_title}”改为"
                        f"{_ROLE_LABELS[spec.party_role]}，或改正“{capacity_title}”。",
                        "error",
                        "catalog.capacity_role_mismatch",
                    )
                )
            elif spec.kind is not None and party.kind is not spec.kind:
                wanted = "法人或其他组织" if spec.kind is PartyKind.ORGANISATION else "自然人"
                issues.append(
                    Issue(
                        f"parties[{index}].kind",
                        f"{who}是{spec.label}，{bt.name}的{spec.label}须为{wanted}：请把“{kind_title}”"
                        f"改为{wanted}并按其证件填写，或改为添加其他角色的当事人。",
                        "error",
                        "catalog.capacity_kind",
                    )
                )
        return issues

    def _check_roles(self, bt: BusinessType, case: Case) -> list[Issue]:
        parties_title = _title(Case, "parties")
        role_title = _title(Party, "role")
        assignment = bt.assign_roles(case)
        issues: list[Issue] = []
        for spec in bt.roles:
            count = len(assignment.by_role[spec.id])
            if count < spec.min_count:
                kind = "（须为法人或其他组织）" if spec.kind is PartyKind.ORGANISATION else ""
                issues.append(
                    Issue(
                        "parties",
                        f"{bt.name}需要至少 {spec.min_count} 名{spec.label}{kind}，现有 {count} 名："
                        f"请在“{parties_title}”中添加{spec.label}，“{role_title}”选“{_ROLE_LABELS[spec.party_role]}”。",
                        "error",
                        "catalog.role_missing",
                    )
                )
        for index in assignment.unassigned:
            party = case.parties[index]
            specs = [s for s in bt.roles if s.party_role is party.role]
            role_label = _ROLE_LABELS[party.role]
            if not specs:
                message = (
                    f"{bt.name}没有{role_label}：请删除第 {index + 1} 名当事人，"
                    f"或把其“{role_title}”改为本业务的角色。"
                )
                code = "catalog.role_not_allowed"
            else:
                limits = "、".join(f"{s.label}最多 {s.max_count} 名" for s in specs)
                message = (
                    f"{role_label}人数超出本业务的上限（{limits}）："
                    f"请删除第 {index + 1} 名当事人或改选业务类型。"
                )
                code = "catalog.role_too_many"
            issues.append(Issue(f"parties[{index}].role", message, "error", code))
        issues += self._check_attendance(bt, case, assignment)
        return issues

    def _check_attendance(self, bt: BusinessType, case: Case, assignment: RoleAssignment) -> list[Issue]:
        present_title = _title(Party, "present")
        represents_title = _title(Party, "represents")

        def attends(index: int) -> bool:
            party = case.parties[index]
            return party.present or bool(case.representatives_of(party.id))

        if bt.joint_application:
            issues = []
            for spec in bt.roles:
                for n, index in enumerate(assignment.by_role[spec.id], start=1):
                    if not attends(index):
                        issues.append(
                            Issue(
                                f"parties[{index}].present",
                                f"第 {n} 名{spec.label}未到场，也没有代理人。{bt.name}须双方共同申请"
                                f"（{bt.joint_application_source}）：请本人到场并勾选“{present_title}”，"
                                f"或添加代理人并在其“{represents_title}”中选择此人。",
                                "error",
                                "catalog.applicant_absent",
                            )
                        )
            return issues
        applicants = [i for ids in assignment.by_role.values() for i in ids]
        if applicants and not any(attends(i) for i in applicants):
            return [
                Issue(
                    "parties",
                    f"没有到场的申请人：{bt.name}至少需要一名申请人本人到场或由代理人代为申请，"
                    f"请勾选“{present_title}”或添加代理人。",
                    "error",
                    "catalog.applicant_absent",
                )
            ]
        return []

    def _check_materials(self, bt: BusinessType, case: Case) -> list[Issue]:
        materials_title = _title(Case, "materials")
        received_title = _title(MaterialRecord, "received")
        shared_title = _title(MaterialRecord, "via_data_sharing")
        required_title = _title(MaterialRecord, "required")
        index_of = {m.code: i for i, m in enumerate(case.materials)}
        applicable = self.applicable_materials(bt, case)
        issues: list[Issue] = []
        for spec in applicable:
            index = index_of.get(spec.code)
            record = case.materials[index] if index is not None else None
            shared_hint = f"，或勾选“{shared_title}”" if spec.data_sharing else ""
            if spec.required and record is None:
                issues.append(
                    Issue(
                        "materials",
                        f"缺少材料“{spec.name}”：请在“{materials_title}”清单中添加并收取{shared_hint}。",
                        "error",
                        "catalog.material_missing",
                    )
                )
            elif spec.required and record is not None and not (record.received or record.via_data_sharing):
                issues.append(
                    Issue(
                        f"materials[{index}].received",
                        f"材料“{spec.name}”尚未收取：收取后请勾选“{received_title}”{shared_hint}。",
                        "error",
                        "catalog.material_not_received",
                    )
                )
            if spec.data_sharing and record is not None and record.required:
                issues.append(
                    Issue(
                        f"materials[{index}].required",
                        f"材料“{spec.name}”可通过实时数据共享获取，不得要求申请人提交"
                        "（不动产登记操作规范 1.1.2；"
                        f"国办发〔2019〕8号）：请取消“{required_title}”并勾选“{shared_title}”。",
                        "warning",
                        "catalog.material_demanded_shared",
                    )
                )
        known = {m.code for m in applicable}
        for index, record in enumerate(case.materials):
            if record.required and record.code not in known:
                name = record.name or record.code
                issues.append(
                    Issue(
                        f"materials[{index}].required",
                        f"材料“{name}”不在{bt.name}的材料目录中，不得要求法律法规以外的材料"
                        f"（不动产登记操作规范 1.1.2）：请取消“{required_title}”，"
                        "或由机构在目录中添加该材料。",
                        "warning",
                        "catalog.material_not_in_catalog",
                    )
                )
        return issues

    def _check_mortgage(self, bt: BusinessType, case: Case) -> list[Issue]:
        mortgage_title = _title(Case, "mortgage")
        if bt.needs_mortgage and case.mortgage is None:
            return [
                Issue(
                    "mortgage",
                    f"{bt.name}需要填写“{mortgage_title}”情况（抵押方式、被担保主债权数额、债务履行期限）：请补充。",
                    "error",
                    "catalog.mortgage_missing",
                )
            ]
        if not bt.needs_mortgage and case.mortgage is not None and "mortgage" not in bt.sections:
            return [
                Issue(
                    "mortgage",
                    f"{bt.name}不办理抵押登记，“{mortgage_title}”情况不会被使用：如需同时办理抵押，"
                    "请改选“存量房买卖转移登记 + 抵押权首次登记”等含抵押的业务类型，否则请删除抵押情况。",
                    "warning",
                    "catalog.mortgage_unexpected",
                )
            ]
        return []


# ---------------------------------------------------------------------------------------- file schema
# These models validate the (merged) YAML; their field names are the keys an office writes.
Money = Annotated[Decimal, Field(strict=False, ge=0, decimal_places=2)]
Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class _Raw(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _RawRegistrationType(_Raw):
    name: Text
    djlx: Text
    verified: bool = False
    source: Text


class _RawDepartment(_Raw):
    name: Text
    source: str = ""


class _RawFee(_Raw):
    free: bool = False
    residential: Money | None = None
    non_residential: Money | None = None
    garage_with_certificate: Money | None = None
    extra_certificate: Money = Decimal("0")
    payer: FeePayer
    source: Text

    @model_validator(mode="after")
    def _amounts_present(self) -> _RawFee:
        if not self.free and (self.residential is None or self.non_residential is None):
            raise ValueError(
                "收费的规则须写明 residential（住宅）和 non_residential（非住宅）金额；免费请写 free: true"
            )
        if self.free and self.payer != "none":
            raise ValueError("免费规则的 payer 应为 none")
        return self


class _RawMaterial(_Raw):
    name: Text
    original: bool = True
    data_sharing: bool = False
    source: Text


class _RawQuestion(_Raw):
    text: Text
    kind: AnswerKind
    choices: list[Text] = []
    when: Condition = "always"
    source: Text

    @model_validator(mode="after")
    def _choices_match_kind(self) -> _RawQuestion:
        if self.kind == "choice" and len(self.choices) < 2:
            raise ValueError("kind 为 choice 的问题须在 choices 中列出至少两个选项")
        if self.kind != "choice" and self.choices:
            raise ValueError("只有 kind 为 choice 的问题才能有 choices，请删除 choices 或把 kind 改为 choice")
        return self


class _RawMaterialUse(_Raw):
    code: Id
    required: bool = True
    when: Condition = "always"
    original: bool | None = None


class _RawRegistration(_Raw):
    type: Id
    right_type: Text | None = None


class _RawRole(_Raw):
    id: Id
    label: Text
    party_role: Literal["right_holder", "obligor"]
    kind: Literal["natural", "organisation"] | None = None
    min: Annotated[int, Field(ge=0, le=999)]
    max: Annotated[int, Field(ge=1, le=999)]
    holds_title: bool = False

    @model_validator(mode="after")
    def _min_not_above_max(self) -> _RawRole:
        if self.min > self.max:
            raise ValueError(f"min（{self.min}）不能大于 max（{self.max}），请改正人数范围")
        return self


class _RawType(_Raw):
    id: Id
    name: Text
    name_en: Text
    registrations: Annotated[list[_RawRegistration], Field(min_length=1)]
    joint_application: bool
    joint_application_source: Text
    roles: Annotated[list[_RawRole], Field(min_length=1)]
    materials: list[_RawMaterialUse] = []
    questions: list[Id] | None = None
    departments: Annotated[list[Department], Field(min_length=1)]
    fee: Id
    promised_days: Annotated[int, Field(ge=1)]
    promised_days_source: Text
    sections: list[Section] = []
    source: Text
    notes: str = ""


class _RawCatalog(_Raw):
    catalog_version: Literal[1]
    office: str = ""
    statutory_max_days: Annotated[int, Field(ge=1)]
    statutory_max_days_source: Text
    registration_types: dict[Id, _RawRegistrationType]
    departments: dict[Department, _RawDepartment]
    fee_rules: dict[Id, _RawFee]
    materials: dict[Id, _RawMaterial]
    questions: dict[Id, _RawQuestion]
    default_questions: list[Id]
    base_materials: list[_RawMaterialUse] = []
    types: Annotated[list[_RawType], Field(min_length=1)]


# ---------------------------------------------------------------------------------------- loading
_LIBRARIES: Final = ("registration_types", "departments", "fee_rules", "materials", "questions")


def _copy(mapping: LocatedDict) -> LocatedDict:
    result = LocatedDict(mapping.loc)
    result.update(mapping)
    result.key_locs.update(mapping.key_locs)
    return result


def _set(target: LocatedDict, key: Any, value: Any, loc: Location) -> None:
    target[key] = value
    target.key_locs[key] = loc


def _merge_fields(base: Any, override: LocatedDict) -> LocatedDict:
    """Shallow merge: the override's keys replace the base's."""
    result = _copy(base) if isinstance(base, LocatedDict) else LocatedDict(override.loc)
    for key, value in override.items():
        _set(result, key, value, override.key_locs[key])
    return result


def _need_mapping(value: Any, where: Location, what: str) -> LocatedDict:
    if not isinstance(value, LocatedDict):
        raise CatalogError(f"{where}：“{what}”应为映射（“键: 值”的形式），请改正。")
    return value


def _merge_types(base: Any, override: Any, where: Location) -> LocatedList:
    if not isinstance(override, LocatedList):
        raise CatalogError(f"{where}：“types”应为列表（每个业务类型一项，以“- ”开头），请改正。")
    result = LocatedList(base.loc if isinstance(base, LocatedList) else override.loc)
    if isinstance(base, LocatedList):
        result.extend(base)
        result.item_locs.extend(base.item_locs)
    for item, loc in zip(override, override.item_locs, strict=True):
        entry = _need_mapping(item, loc, "types 的每一项")
        type_id = entry.get("id")
        if not isinstance(type_id, str):
            raise CatalogError(
                f"{loc}：业务类型缺少“id”，请写明要修改或新增的业务类型编号（如 second_hand_sale）。"
            )
        replace = entry.get("replace", False)
        if not isinstance(replace, bool):
            raise CatalogError(f"{entry.key_locs['replace']}：“replace”应为 true 或 false。")
        clean = _copy(entry)
        clean.pop("replace", None)
        clean.key_locs.pop("replace", None)
        position = next(
            (i for i, t in enumerate(result) if isinstance(t, dict) and t.get("id") == type_id), None
        )
        if position is None:
            result.append(clean)
            result.item_locs.append(loc)
        else:
            result[position] = clean if replace else _merge_fields(result[position], clean)
            result.item_locs[position] = loc
    return result


def _merge(base: LocatedDict, override: Any, file: Path) -> LocatedDict:
    """Merge an office's override file into the default catalog (see :func:`load_catalog`)."""
    override = _need_mapping(override, getattr(override, "loc", Location(file, 1)), "机构目录文件")
    result = _copy(base)
    for key, value in override.items():
        where = override.key_locs[key]
        if key in _LIBRARIES:
            library = _need_mapping(value, where, key)
            merged = (
                _copy(result[key]) if isinstance(result.get(key), LocatedDict) else LocatedDict(library.loc)
            )
            for entry_id, entry in library.items():
                entry_loc = library.key_locs[entry_id]
                if isinstance(entry, LocatedDict) and isinstance(merged.get(entry_id), LocatedDict):
                    _set(merged, entry_id, _merge_fields(merged[entry_id], entry), entry_loc)
                else:
                    _set(merged, entry_id, entry, entry_loc)
            _set(result, key, merged, where)
        elif key == "types":
            _set(result, key, _merge_types(result.get("types"), value, where), where)
        elif key == "remove_types":
            continue
        else:
            _set(result, key, value, where)
    if "remove_types" in override:
        _remove_types(result, override["remove_types"], override.key_locs["remove_types"])
    return result


def _remove_types(result: LocatedDict, ids: Any, where: Location) -> None:
    if not isinstance(ids, LocatedList) or not all(isinstance(i, str) for i in ids):
        raise CatalogError(f"{where}：“remove_types”应为业务类型编号的列表，例如 [exchange]。")
    types = result.get("types")
    if not isinstance(types, LocatedList):
        raise CatalogError(f"{where}：目录中没有业务类型列表（types），无法删除。")
    present = {t.get("id") for t in types if isinstance(t, dict)}
    for type_id, loc in zip(ids, ids.item_locs, strict=True):
        if type_id not in present:
            raise CatalogError(f"{loc}：要删除的业务类型“{type_id}”不在目录中，请检查编号。")
    kept = LocatedList(types.loc)
    for item, loc in zip(types, types.item_locs, strict=True):
        if item.get("id") not in ids:
            kept.append(item)
            kept.item_locs.append(loc)
    result["types"] = kept


def _check_references(raw: _RawCatalog, root: LocatedDict) -> list[str]:
    problems: list[str] = []

    def report(path: tuple[Any, ...], text: str) -> None:
        where = locate(root, path, root.loc)
        problems.append(f"{where}：“{format_path(path, root)}”{text}")

    def check_materials(uses: list[_RawMaterialUse], path: tuple[Any, ...]) -> None:
        seen: set[str] = set()
        for j, use in enumerate(uses):
            if use.code not in raw.materials:
                report(
                    (*path, j, "code"),
                    f"引用的材料“{use.code}”不在 materials 中，请先在 materials 中定义或改正代码。",
                )
            if use.code in seen:
                report((*path, j, "code"), f"中材料“{use.code}”重复，请删除重复的一项。")
            seen.add(use.code)

    for k, question_id in enumerate(raw.default_questions):
        if question_id not in raw.questions:
            report(("default_questions", k), f"引用的问题“{question_id}”不在 questions 中，请改正。")
    check_materials(raw.base_materials, ("base_materials",))
    seen_types: set[str] = set()
    base_codes = {u.code for u in raw.base_materials}
    for i, bt in enumerate(raw.types):
        if bt.id in seen_types:
            report(("types", i, "id"), f"业务类型编号“{bt.id}”重复，请改用不同的编号。")
        seen_types.add(bt.id)
        for j, reg in enumerate(bt.registrations):
            if reg.type not in raw.registration_types:
                known = "、".join(raw.registration_types)
                report(
                    ("types", i, "registrations", j, "type"),
                    f"的登记类型“{reg.type}”未定义，应为 {known} 之一。",
                )
        roles: set[str] = set()
        for j, role in enumerate(bt.roles):
            if role.id in roles:
                report(("types", i, "roles", j, "id"), f"角色编号“{role.id}”重复，请改用不同的编号。")
            roles.add(role.id)
        check_materials(bt.materials, ("types", i, "materials"))
        for j, use in enumerate(bt.materials):
            if use.code in base_codes:
                report(
                    ("types", i, "materials", j, "code"),
                    f"的材料“{use.code}”已在 base_materials 中，请删除这一项。",
                )
        for j, question_id in enumerate(bt.questions or []):
            if question_id not in raw.questions:
                report(("types", i, "questions", j), f"引用的问题“{question_id}”不在 questions 中，请改正。")
        if bt.fee not in raw.fee_rules:
            report(
                ("types", i, "fee"),
                f"引用的收费规则“{bt.fee}”不在 fee_rules 中，应为 {'、'.join(raw.fee_rules)} 之一。",
            )
        if bt.promised_days > raw.statutory_max_days:
            report(
                ("types", i, "promised_days"),
                f"为 {bt.promised_days} 个工作日，超过法定时限 {raw.statutory_max_days} 个工作日"
                "（不动产登记暂行条例第二十条），请改小。",
            )
        for j, department in enumerate(bt.departments):
            if department not in raw.departments:
                report(("types", i, "departments", j), f"的部门“{department}”未在 departments 中定义。")
    return problems


def _build_catalog(raw: _RawCatalog, files: tuple[Path, ...]) -> Catalog:
    registration_types = raw.registration_types

    def material(use: _RawMaterialUse) -> MaterialSpec:
        entry = raw.materials[use.code]
        return MaterialSpec(
            code=use.code,
            name=entry.name,
            required=use.required,
            data_sharing=entry.data_sharing,
            original=entry.original if use.original is None else use.original,
            when=use.when,
            source=entry.source,
        )

    def question(question_id: str) -> QuestionSpec:
        entry = raw.questions[question_id]
        return QuestionSpec(
            question_id, entry.text, entry.kind, tuple(entry.choices), entry.when, entry.source
        )

    def fee(fee_id: str) -> FeeSpec:
        entry = raw.fee_rules[fee_id]
        zero = Decimal("0")
        return FeeSpec(
            id=fee_id,
            free=entry.free,
            residential=entry.residential or zero,
            non_residential=entry.non_residential or zero,
            garage_with_certificate=(
                entry.garage_with_certificate
                if entry.garage_with_certificate is not None
                else entry.residential or zero
            ),
            extra_certificate=entry.extra_certificate,
            payer=entry.payer,
            source=entry.source,
        )

    types = []
    for bt in raw.types:
        types.append(
            BusinessType(
                id=bt.id,
                name=bt.name,
                name_en=bt.name_en,
                registrations=tuple(
                    RegistrationSpec(
                        type=r.type,
                        name=registration_types[r.type].name,
                        djlx=registration_types[r.type].djlx,
                        djlx_verified=registration_types[r.type].verified,
                        right_type=r.right_type,
                    )
                    for r in bt.registrations
                ),
                joint_application=bt.joint_application,
                joint_application_source=bt.joint_application_source,
                roles=tuple(
                    RoleSpec(
                        id=r.id,
                        label=r.label,
                        party_role=PartyRole(r.party_role),
                        kind=PartyKind(r.kind) if r.kind is not None else None,
                        min_count=r.min,
                        max_count=r.max,
                        holds_title=r.holds_title,
                    )
                    for r in bt.roles
                ),
                materials=tuple(material(u) for u in [*raw.base_materials, *bt.materials]),
                questions=tuple(
                    question(q) for q in (bt.questions if bt.questions is not None else raw.default_questions)
                ),
                departments=tuple(d for d in DEPARTMENTS if d in bt.departments),
                fee=fee(bt.fee),
                promised_days=bt.promised_days,
                promised_days_source=bt.promised_days_source,
                sections=tuple(s for s in SECTIONS if s in bt.sections),
                source=bt.source,
                notes=bt.notes,
            )
        )
    return Catalog(
        types=tuple(types),
        statutory_max_days=raw.statutory_max_days,
        department_names={k: v.name for k, v in raw.departments.items()},
        office=raw.office,
        files=files,
    )


def load_catalog(office_file: Path | None = None) -> Catalog:
    """Load the default catalog, merged with an office's override file.

    The override file has the default file's layout, every key optional:

    * ``registration_types``, ``departments``, ``fee_rules``, ``materials``, ``questions``: entries are
      added, or merged key by key into the entry of the same id (``materials: {marriage_proof:
      {data_sharing: true}}``);
    * ``types``: an entry whose ``id`` exists is merged key by key (``promised_days: 3``), or replaced
      whole with ``replace: true``; a new ``id`` is added at the end;
    * ``remove_types``: ids of types the office does not handle;
    * any other key (``statutory_max_days``, ``default_questions``, ``base_materials``, ``office``)
      replaces the default.

    Args:
        office_file: the office's override file, or ``None`` for the defaults alone.

    Returns:
        The catalog.

    Raises:
        CatalogError: a file is missing or wrong; the message names the file and line of each problem
            and says how to fix it.
    """
    root = load_located(DEFAULT_CATALOG_FILE, CatalogError)
    files: tuple[Path, ...] = (DEFAULT_CATALOG_FILE,)
    if not isinstance(root, LocatedDict):
        raise CatalogError(f"{DEFAULT_CATALOG_FILE}：目录文件应为映射（“键: 值”的形式）。")
    if office_file is not None:
        root = _merge(root, load_located(office_file, CatalogError), office_file)
        files = (*files, office_file)
    try:
        raw = _RawCatalog.model_validate(root)
    except ValidationError as exc:
        text = pydantic_errors_to_text(exc, root, _RawCatalog, root.loc)
        raise CatalogError(f"业务类型目录有误：\n{text}") from None
    problems = _check_references(raw, root)
    if problems:
        raise CatalogError("业务类型目录有误：\n" + "\n".join(problems))
    return _build_catalog(raw, files)
