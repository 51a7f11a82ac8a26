"""What the departments' look-ups put into a case being entered (issue #5: look-ups during intake).

The contract 交易 holds under a filing number (网签备案) pre-fills the transaction, the property and the
parties; 登记's answer about a unit (seizure, objection, mortgage) is shown beside the unit number.
Qt-free: the wizard (``workstation.ui.wizard.lookups``) asks and applies; this module decides what
goes where and what would overwrite something the clerk typed.

The rule is the ID card's: a look-up fills empty fields, and never overwrites a typed value unless the
clerk says so after seeing both values side by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from forms.case import IdType, Party, PartyKind, PartyRole, Property, Transaction
from sync.lookups import STATUS_FLAGS, ContractRecord, PropertyStatus, describe_age

CASE_FIELDS: dict[str, str] = {
    "transaction.contract_filing_number": Transaction.model_fields["contract_filing_number"].title or "",
    "transaction.price": Transaction.model_fields["price"].title or "",
    "property.unit_number": Property.model_fields["unit_number"].title or "",
    "property.location": Property.model_fields["location"].title or "",
    "property.area": Property.model_fields["area"].title or "",
}
"""The case fields a contract fills, with the titles the clerk reads."""

PARTY_KEYS = ("name", "id_type", "id_number")
"""The party fields a contract fills."""

ORGANISATION_ID_TYPES = frozenset({IdType.USCC.value})
"""Document types that make a contract party an organisation (a developer, a company)."""


@dataclass(frozen=True)
class Conflict:
    """A typed value the look-up would change.

    Attributes:
        path: the raw-data path (``property.location``, ``parties[1].name``).
        title: the field's Chinese title.
        typed: what the clerk entered.
        looked_up: what the department holds.
    """

    path: str
    title: str
    typed: str
    looked_up: str


@dataclass(frozen=True)
class PartyFill:
    """One contract party: the existing party it matches (by ID number) or a new one of ``role``.

    Attributes:
        role: the party's role in the case (``right_holder`` buys, ``obligor`` sells).
        kind: natural person or organisation (from the document type).
        values: the party fields to fill (raw values).
        index: the matching party's index in the data, or ``None`` to add a party.
    """

    role: PartyRole
    kind: PartyKind
    values: dict[str, str]
    index: int | None


@dataclass(frozen=True)
class ContractFill:
    """What a contract puts into the case.

    Attributes:
        values: case field path → raw value.
        parties: one entry per contract party.
        conflicts: typed values that differ from the contract's.
    """

    values: dict[str, str]
    parties: list[PartyFill] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return str(value).strip()


def _get(data: Mapping[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _same(typed: str, looked_up: str) -> bool:
    if typed == looked_up:
        return True
    try:  # 1850000 and 1850000.00 are the same price
        return Decimal(typed) == Decimal(looked_up)
    except (ArithmeticError, ValueError):
        return typed.upper() == looked_up.upper()


def contract_fill(record: ContractRecord, data: Mapping[str, Any]) -> ContractFill:
    """What the contract fills in the raw case data, and which typed values it would change.

    Args:
        record: 交易's contract.
        data: the wizard's raw case data.

    Returns:
        The fill; apply ``values`` and ``parties``, overwriting ``conflicts`` only when the clerk agrees.
    """
    looked_up = {
        "transaction.contract_filing_number": record.filing_no,
        "transaction.price": _text(record.price),
        "property.unit_number": record.property.unit_number,
        "property.location": record.property.location,
        "property.area": _text(record.property.area),
    }
    values = {path: value.strip() for path, value in looked_up.items() if value and value.strip()}
    conflicts = []
    for path, value in values.items():
        typed = _text(_get(data, path))
        if typed and not _same(typed, value):
            conflicts.append(Conflict(path, CASE_FIELDS[path], typed, value))

    parties_data: list[Mapping[str, Any]] = list(data.get("parties") or [])
    taken: set[int] = set()
    fills: list[PartyFill] = []
    for party in record.parties:
        try:
            role = PartyRole(party.role)
        except ValueError:
            continue  # a role the case model does not know (a witness…): not a party of the case
        party_values = {
            "name": party.name.strip(),
            "id_type": party.id_type,
            "id_number": party.id_number.strip().upper(),
        }
        party_values = {k: v for k, v in party_values.items() if v}
        kind = PartyKind.ORGANISATION if party.id_type in ORGANISATION_ID_TYPES else PartyKind.NATURAL
        index = _matching_party(parties_data, party_values, role, taken)
        if index is not None:
            taken.add(index)
            typed_number = _text(parties_data[index].get("id_number"))
            for key, value in party_values.items():
                typed = _text(parties_data[index].get(key))
                if key == "id_type" and not typed_number:
                    continue  # the preset type of a party with no number yet was not typed
                if typed and not _same(typed, value):
                    title = Party.model_fields[key].title or key
                    conflicts.append(Conflict(f"parties[{index}].{key}", title, typed, value))
        fills.append(PartyFill(role, kind, party_values, index))
    return ContractFill(values, fills, conflicts)


def _matching_party(
    parties: list[Mapping[str, Any]], values: Mapping[str, str], role: PartyRole, taken: set[int]
) -> int | None:
    """The typed party that is this contract party: the same ID number, else the same name and role."""
    number = values.get("id_number", "")
    name = values.get("name", "")
    for i, p in enumerate(parties):
        if i not in taken and number and _text(p.get("id_number")).upper() == number:
            return i
    for i, p in enumerate(parties):
        if i in taken or _text(p.get("id_number")):
            continue
        if name and _text(p.get("name")) == name and p.get("role") == role.value:
            return i
    return None


def status_text(status: PropertyStatus, now: datetime) -> str:
    """登记's answer as one line: each flag, the notes, and the answer's age."""
    flags = "　".join(f"{label}：{'有' if getattr(status, n) else '无'}" for n, label in STATUS_FLAGS.items())
    notes = "；".join(status.notes)
    age = describe_age(status.as_of, now)
    return flags + (f"（{notes}）" if notes else "") + f"　数据时间：{age}"


def status_warning(status: PropertyStatus) -> str:
    """What the clerk must know before going on, or ``""`` when the unit is free of seizure and objection.

    A seized unit may not be transferred (城市房地产管理法 Art 38 (2)); an objection does not bar the
    registration but warns that the right is disputed (民法典 Art 220): both go to the supervisor.
    """
    parts = []
    if status.seized:
        parts.append("存在查封，依《城市房地产管理法》第三十八条不得转让")
    if status.objection:
        parts.append("存在异议登记，权属可能有争议（《民法典》第二百二十条）")
    if not parts:
        return ""
    return "登记系统显示该不动产单元" + "；".join(parts) + "。请告知申请人，并报科长决定是否受理。"
