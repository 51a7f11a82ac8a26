"""Loading and picking the versioned rule rows in ``forms/tax/rules/*.yaml``.

A row (:class:`RuleRow`) holds one rule within an effective-date range and a region, with its source
document and article. :meth:`RuleBook.pick` returns the row of a topic in force on a date, preferring a
city row over a province row over a national one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from forms.tax.errors import NoRuleInForceError, TaxRulesError
from forms.yamldata import LocatedDict, LocatedList, Location, load_located, pydantic_errors_to_text

TAX_KINDS = (
    "deed_tax",
    "vat",
    "city_maintenance_tax",
    "education_surcharge",
    "local_education_surcharge",
    "iit",
    "stamp_duty",
    "land_vat",
    "registration_fee",
)
"""The taxes and fees of a line item, in the order they are listed."""


def normalise_place(name: str) -> str:
    """A province or city name without its administrative suffix (``上海市`` → ``上海``)."""
    name = name.strip()
    for suffix in ("特别行政区", "自治区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _plain(value: Any) -> Any:
    """Located YAML data as plain dicts and lists, floats as exact decimals."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return Decimal(str(value))
    return value


class RuleRow(BaseModel):
    """One versioned rule.

    Attributes:
        id: unique id, e.g. ``deed_tax.individual_housing.2024``.
        tax: the tax it belongs to (one of :data:`TAX_KINDS`, or ``relief`` for a cross-tax relief).
        topic: the rule family; rows of one topic and region do not overlap in time.
        title: a short Chinese name shown in explanations.
        valid_from: first day in force.
        valid_to: last day in force, ``None`` while open.
        region: ``national``, ``province:<name>`` or ``city:<name>``.
        source: document and article.
        confidence: ``P`` primary text, ``S`` secondary source, ``M`` unverified.
        params: the rule's parameters.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    tax: str
    topic: str = Field(min_length=1)
    title: str = Field(min_length=1)
    valid_from: date
    valid_to: date | None
    region: str
    source: str = Field(min_length=1)
    confidence: Literal["P", "S", "M"]
    params: dict[str, Any]

    @field_validator("tax")
    @classmethod
    def _known_tax(cls, value: str) -> str:
        if value not in (*TAX_KINDS, "relief"):
            raise ValueError(f"税种“{value}”无效，应为 {'、'.join(TAX_KINDS)} 或 relief 之一")
        return value

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        kind, _, name = value.partition(":")
        if value == "national":
            return value
        if kind in ("province", "city") and name.strip():
            return f"{kind}:{normalise_place(name)}"
        raise ValueError(f"地区“{value}”无效，应为 national、province:省名 或 city:市名")

    @field_validator("params", mode="before")
    @classmethod
    def _exact_params(cls, value: Any) -> Any:
        return _plain(value)

    @model_validator(mode="after")
    def _ordered_dates(self) -> RuleRow:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"失效日期 {self.valid_to} 早于生效日期 {self.valid_from}，请改正")
        return self

    def in_force(self, on: date) -> bool:
        """Whether the row is in force on ``on``."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def decimal(self, key: str) -> Decimal:
        """A decimal parameter."""
        return Decimal(str(self.params[key]))


class _RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[RuleRow]


@dataclass(frozen=True)
class Region:
    """Where the property lies, for picking regional rows.

    Attributes:
        province: the province name (``浙江`` or ``浙江省``), empty if not set.
        city: the city name (``上海`` or ``上海市``), empty if not set.
    """

    province: str = ""
    city: str = ""

    def lookup_order(self) -> list[str]:
        """Region keys from the most to the least specific."""
        keys = []
        if self.city.strip():
            keys.append(f"city:{normalise_place(self.city)}")
        if self.province.strip():
            keys.append(f"province:{normalise_place(self.province)}")
        keys.append("national")
        return keys


class RuleBook:
    """All rule rows, indexed by topic.

    Args:
        rows: the rows; ids must be unique.
    """

    def __init__(self, rows: Iterable[RuleRow]) -> None:
        self._rows: dict[str, RuleRow] = {}
        self._by_topic: dict[str, list[RuleRow]] = {}
        for row in rows:
            if row.id in self._rows:
                raise TaxRulesError(f"规则编号“{row.id}”重复，请删除或改名其中一条。")
            self._rows[row.id] = row
            self._by_topic.setdefault(row.topic, []).append(row)

    @property
    def rows(self) -> Sequence[RuleRow]:
        """Every row, in load order."""
        return list(self._rows.values())

    def get(self, rule_id: str) -> RuleRow:
        """The row with this id.

        Raises:
            KeyError: no such row.
        """
        return self._rows[rule_id]

    def topics(self) -> list[str]:
        """All topics."""
        return list(self._by_topic)

    def find(self, topic: str, on: date, region: Region) -> RuleRow | None:
        """The row of ``topic`` in force on ``on``, most specific region first, or ``None``."""
        candidates = [r for r in self._by_topic.get(topic, []) if r.in_force(on)]
        for key in region.lookup_order():
            for row in candidates:
                if row.region == key:
                    return row
        return None

    def pick(self, topic: str, on: date, region: Region) -> RuleRow:
        """The row of ``topic`` in force on ``on``.

        Raises:
            NoRuleInForceError: no row of the topic covers the date.
        """
        row = self.find(topic, on, region)
        if row is None:
            raise NoRuleInForceError(
                f"计税日期 {on.isoformat()} 没有适用的“{topic}”规则（规则表只收录有据可查的期间），"
                "请核对计税日期，或在规则表中补充该期间的规则。"
            )
        return row


def _check_overlaps(rows: Sequence[RuleRow], where: Mapping[str, Location]) -> None:
    by_key: dict[tuple[str, str], list[RuleRow]] = {}
    for row in rows:
        by_key.setdefault((row.topic, row.region), []).append(row)
    for group in by_key.values():
        ordered = sorted(group, key=lambda r: r.valid_from)
        for earlier, later in itertools.pairwise(ordered):
            if earlier.valid_to is None or later.valid_from <= earlier.valid_to:
                raise TaxRulesError(
                    f"{where[later.id]}：规则“{later.id}”与“{earlier.id}”的有效期重叠"
                    f"（同一主题、同一地区），请把前者的 valid_to 设为 {later.valid_from} 的前一天。"
                )


def default_rule_files() -> list[Path]:
    """The YAML files shipped in ``forms/tax/rules``, sorted by name."""
    folder = resources.files("forms.tax") / "rules"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_rules(paths: Sequence[Path] | None = None) -> RuleBook:
    """Load rule rows from YAML files (the shipped tables by default).

    Args:
        paths: the files; ``None`` loads :func:`default_rule_files`.

    Returns:
        The rule book.

    Raises:
        TaxRulesError: a file is missing or malformed, a row is invalid, an id repeats or two rows of
            one topic and region overlap in time; the message names the file and line.
    """
    rows: list[RuleRow] = []
    where: dict[str, Location] = {}
    for path in paths if paths is not None else default_rule_files():
        data = load_located(path, TaxRulesError)
        default = Location(path, 1)
        if not isinstance(data, LocatedDict) or not isinstance(data.get("rules"), LocatedList):
            raise TaxRulesError(f"{default}：规则文件应以“rules:”开头，下面每条规则一项，请改正。")
        try:
            parsed = _RuleFile.model_validate(data)
        except ValidationError as exc:
            raise TaxRulesError(pydantic_errors_to_text(exc, data, _RuleFile, default)) from None
        for index, row in enumerate(parsed.rules):
            loc = data["rules"].item_locs[index]
            if row.id in where:
                raise TaxRulesError(f"{loc}：规则编号“{row.id}”重复（第一次在 {where[row.id]}），请改名。")
            where[row.id] = loc
            rows.append(row)
    _check_overlaps(rows, where)
    return RuleBook(rows)


@cache
def default_rulebook() -> RuleBook:
    """The shipped rule tables, loaded once."""
    return load_rules()
