"""Look-ups when online: the contract by filing number (交易) and the property's status (登记).

``GET /v1/contracts/{filing_no}`` on 交易 returns the filed contract (property, price, parties), which
pre-fills the case (:func:`apply_contract`); ``GET /v1/properties/{unit_no}/status`` on 登记 returns
whether the unit is seized (查封), under objection (异议登记) or mortgaged (抵押), and ``POST
/v1/properties/status`` answers for many units at once (:func:`fetch_property_statuses`). Each answer carries
``as_of``, when the department's record was last current, so the window shows its age
(:func:`describe_age`).

A case taken in offline is re-checked before it is sent: :meth:`PropertyStatus.differences` lists
what changed between what the clerk saw and what 登记 says now, in Chinese.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from forms.case import Case
from sync.errors import ServerRejected, TransportError
from sync.transport import Credential, TransportSettings, _auth, _check, _client, _json, _request


class LookupNotFound(ServerRejected):
    """The department holds no record under this number (404)."""

    def __init__(self, what: str) -> None:
        super().__init__([f"部门系统中没有{what}，请核对号码后重试，或按纸质材料录入"], 404)


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ContractParty(_Answer):
    """A party named in the filed contract."""

    role: str = Field(title="角色")
    name: str = Field(title="姓名/名称")
    id_type: str = Field("resident_id", title="证件种类")
    id_number: str = Field("", title="证件号码")

    def __repr__(self) -> str:  # never the name or number
        return f"ContractParty(role={self.role!r})"


class ContractProperty(_Answer):
    """The property named in the filed contract."""

    unit_number: str = Field("", title="不动产单元号")
    location: str = Field("", title="坐落")
    area: Decimal | None = Field(None, title="面积(㎡)")


class ContractRecord(_Answer):
    """The contract 交易 holds under a filing number (网签备案).

    Attributes:
        as_of: when the department's record was last current (the answer's age is counted from it).
    """

    filing_no: str = Field(title="合同网签备案编号")
    price: Decimal = Field(title="成交价格(元)")
    signed_on: date | None = Field(None, title="签约日期")
    property: ContractProperty = Field(title="房屋")
    parties: list[ContractParty] = Field(default_factory=list, title="当事人")
    as_of: AwareDatetime = Field(title="数据时间")


STATUS_FLAGS = {"seized": "查封", "objection": "异议登记", "mortgaged": "抵押"}
"""The status flags 登记 reports, with their Chinese names (不动产登记暂行条例 Art 8: the register
records 查封 and 异议 with the unit)."""


class PropertyStatus(_Answer):
    """What 登记 says about a unit: seizure, objection, mortgage."""

    unit_no: str = Field(title="不动产单元号")
    seized: bool = Field(False, title="查封")
    objection: bool = Field(False, title="异议登记")
    mortgaged: bool = Field(False, title="抵押")
    notes: list[str] = Field(default_factory=list, title="说明")
    as_of: AwareDatetime = Field(title="数据时间")

    @property
    def encumbered(self) -> bool:
        """Seized or under objection: the transfer cannot go ahead as filed."""
        return self.seized or self.objection

    def flags(self) -> dict[str, bool]:
        """The three flags by name."""
        return {name: bool(getattr(self, name)) for name in STATUS_FLAGS}

    def differences(self, earlier: PropertyStatus | None) -> list[str]:
        """What changed since ``earlier`` (what the clerk saw), in Chinese; empty when nothing did.

        ``earlier`` is ``None`` when the clerk could not look the unit up (taken in offline): every
        flag that is set now is then a finding.
        """
        changes = []
        for name, label in STATUS_FLAGS.items():
            now = bool(getattr(self, name))
            before = None if earlier is None else bool(getattr(earlier, name))
            if before is None and now:
                changes.append(f"{label}：受理时未能查询，现为“有”")
            elif before is not None and before != now:
                was, is_ = ("有" if before else "无"), ("有" if now else "无")
                changes.append(f"{label}：受理时为“{was}”，现为“{is_}”")
        return changes


def describe_age(as_of: datetime, now: datetime) -> str:
    """The answer's age as the window shows it: ``刚刚``, ``5 分钟前``, ``3 小时前``, ``2 天前``."""
    seconds = max(0.0, (now - as_of).total_seconds())
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{int(seconds // 60)} 分钟前"
    if seconds < 86400:
        return f"{int(seconds // 3600)} 小时前"
    return f"{int(seconds // 86400)} 天前"


def _get(
    url: str,
    credential: Credential,
    what: str,
    *,
    settings: TransportSettings | None,
    client: httpx.Client | None,
) -> dict[str, Any]:
    with _client(client, settings) as http:
        response = _request(http, "GET", url, headers=_auth(credential))
        if response.status_code == 404:
            raise LookupNotFound(what)
        _check(response)
        return _json(response)


def fetch_contract(
    filing_no: str,
    base_url: str,
    credential: Credential,
    *,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
) -> ContractRecord:
    """Look a contract up at 交易 by its filing number.

    Raises:
        LookupNotFound: no contract under this number.
        ServerUnavailable: 交易 cannot be reached.
        TransportError: the answer is malformed.
    """
    number = filing_no.strip()
    if not number or "/" in number:
        raise ServerRejected(["合同网签备案编号为空或含有“/”，请核对后重试"])
    body = _get(
        f"{base_url.rstrip('/')}/v1/contracts/{number}",
        credential,
        f"网签备案编号为 {number} 的合同",
        settings=settings,
        client=client,
    )
    try:
        return ContractRecord.model_validate(body)
    except ValidationError:
        raise TransportError("交易系统的合同应答格式不对") from None


def fetch_property_status(
    unit_no: str,
    base_url: str,
    credential: Credential,
    *,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
) -> PropertyStatus:
    """Ask 登记 for a unit's status (seizure, objection, mortgage).

    Raises:
        LookupNotFound: 登记 has no such unit.
        ServerUnavailable: 登记 cannot be reached.
        TransportError: the answer is malformed.
    """
    number = unit_no.strip()
    if not number or "/" in number:
        raise ServerRejected(["不动产单元号为空或含有“/”，请核对后重试"])
    body = _get(
        f"{base_url.rstrip('/')}/v1/properties/{number}/status",
        credential,
        f"不动产单元号为 {number} 的房屋",
        settings=settings,
        client=client,
    )
    try:
        return PropertyStatus.model_validate(body)
    except ValidationError:
        raise TransportError("登记系统的房屋状态应答格式不对") from None


MAX_STATUS_UNITS = 200
"""Units asked about in one ``POST /v1/properties/status``."""


def fetch_property_statuses(
    unit_nos: Sequence[str],
    base_url: str,
    credential: Credential,
    *,
    settings: TransportSettings | None = None,
    client: httpx.Client | None = None,
) -> dict[str, PropertyStatus | None]:
    """Ask 登记 for several units' status: ``POST /v1/properties/status``, up to 200 units a request.

    A back end without the batch request (404 or 405 on it) is asked one unit at a time.

    Returns:
        Each asked unit (stripped) with its status, or ``None`` when 登记 has no such unit.

    Raises:
        ServerUnavailable: 登记 cannot be reached.
        TransportError: an answer is malformed.
    """
    units = [u for u in dict.fromkeys(n.strip() for n in unit_nos) if u and "/" not in u]
    found: dict[str, PropertyStatus | None] = {}
    base = base_url.rstrip("/")
    with _client(client, settings) as http:
        for start in range(0, len(units), MAX_STATUS_UNITS):
            part = units[start : start + MAX_STATUS_UNITS]
            response = _request(
                http, "POST", f"{base}/v1/properties/status", json={"units": part}, headers=_auth(credential)
            )
            if response.status_code in (404, 405, 501):  # no batch request: one at a time
                for unit in part:
                    try:
                        found[unit] = fetch_property_status(unit, base, credential, client=http)
                    except LookupNotFound:
                        found[unit] = None
                continue
            _check(response)
            statuses = _json(response).get("statuses")
            if not isinstance(statuses, dict):
                raise TransportError("登记系统的房屋状态应答缺少 statuses")
            for unit in part:
                record = statuses.get(unit)
                try:
                    found[unit] = None if record is None else PropertyStatus.model_validate(record)
                except ValidationError:
                    raise TransportError("登记系统的房屋状态应答格式不对") from None
    return found


def apply_contract(case: Case, record: ContractRecord) -> Case:
    """The case pre-filled from the filed contract: property, price, and parties it does not yet have.

    Fields the clerk already typed are kept, except the price and filing number, which the filed
    contract decides. Parties are added by role when the case has none of that role yet.

    Raises:
        pydantic.ValidationError: the contract's data does not fit the case (e.g. an unknown role).
    """
    data = case.model_dump(mode="json")
    transaction = data["transaction"]
    transaction["contract_filing_number"] = record.filing_no
    transaction["price"] = str(record.price)
    prop = data["property"]
    if not prop.get("unit_number"):
        prop["unit_number"] = record.property.unit_number
    if not prop.get("location"):
        prop["location"] = record.property.location
    if prop.get("area") is None and record.property.area is not None:
        prop["area"] = str(record.property.area)
    roles = {p["role"] for p in data["parties"]}
    for party in record.parties:
        if party.role not in roles:
            data["parties"].append(
                {
                    "id": uuid.uuid4().hex[:12],
                    "role": party.role,
                    "name": party.name,
                    "id_type": party.id_type,
                    "id_number": party.id_number,
                }
            )
    return Case.model_validate(data)
