"""Validation of a case: what a clerk must still fix before the case can be marked ready.

:func:`validate_case` never raises for bad input: it parses the (possibly half-typed) case JSON with
pydantic, turns every parse error into a Chinese :class:`~forms.errors.Issue` that names the field by
its ``title`` in :mod:`forms.case`, checks every identifier (:mod:`forms.identifiers`), applies the
cross-field rules below and, given a catalog, merges the catalog's own checks (required roles and
materials).

Cross-field rules and their sources:

- co-ownership: 单独 / 共同共有 / 按份共有 with shares (forms.md §1; business-types.md §3); shares of
  按份共有 right-holders sum to exactly 100 %.
- an agent or guardian names the parties they act for (business-types.md §3; 询问记录: an agent states
  whom they represent, forms.md §3).
- a spouse link (``spouse_party_id``) names another natural person of the case, and only for a married
  party (the family of the deed-tax home count is buyer, spouse and minor children: taxes-and-fees.md §2,
  财税〔2016〕23号 [S]).
- a minor (under 18, 民法典 Art 17 [P]) or a person without full capacity acts through a guardian
  (民法典 Art 23 [P]; business-types.md §3). The 16–17-year-old with own income of 民法典 Art 18 is not
  detected: such a party is still asked for a guardian, and the clerk records the exception in 备注.
- a joint application needs both sides (条例 Art 14 [P]): checked by the catalog's ``check_case``, which
  knows the business type's roles, and merged here.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import UnionType
from typing import Any, Final, Protocol

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from forms.case import Case, CoOwnership, IdType, MaritalStatus, Party, PartyKind, PartyRole, Property
from forms.errors import CatalogError, InvalidIdentifier, Issue
from forms.identifiers import (
    DEFAULT_SETTINGS,
    IdentifierSettings,
    IdInfo,
    check_contract_filing_number,
    check_id_number,
    parse_certificate_number,
    parse_unit_number,
)
from forms.messages import label, labels_of
from forms.yamldata import format_path

ERROR: Final = "error"
WARNING: Final = "warning"

ADULT_AGE: Final = 18
"""Age of majority (民法典 Art 17: 十八周岁以上的自然人为成年人)."""


class BusinessTypeLike(Protocol):
    """What validation needs of :class:`forms.catalog.BusinessType`."""

    def title_holders(self, case: Case) -> list[Party]:
        """The parties holding the property after registration (whose co-ownership is recorded)."""
        ...


class CatalogLike(Protocol):
    """What validation needs of :class:`forms.catalog.Catalog` (a protocol, so tests may pass a stand-in)."""

    def get(self, business_type_id: str) -> BusinessTypeLike:
        """The entry of one business type; raises ``CatalogError`` for an unknown type."""
        ...

    def check_case(self, case: Case) -> list[Issue]:
        """The catalog's issues with a case (required roles, materials)."""
        ...


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate_case`.

    Attributes:
        issues: every issue found, sorted by path (list indexes numerically), errors before warnings.
        case: the parsed case, or ``None`` when the data does not parse.
    """

    issues: list[Issue] = field(default_factory=list)
    case: Case | None = None

    @property
    def errors(self) -> list[Issue]:
        """Issues that block marking the case ready."""
        return [issue for issue in self.issues if issue.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """Issues shown to the clerk that do not block."""
        return [issue for issue in self.issues if issue.severity != ERROR]

    @property
    def ok(self) -> bool:
        """True when the case parsed and has no errors (warnings allowed)."""
        return self.case is not None and not self.errors


def validate_case(
    data: dict[str, Any] | Case,
    catalog: CatalogLike | None = None,
    *,
    today: date | None = None,
    settings: IdentifierSettings = DEFAULT_SETTINGS,
) -> ValidationReport:
    """Check a case and list everything the clerk must fix, in Chinese, by field path.

    Args:
        data: the case JSON (as typed, leaf values may be strings) or a parsed :class:`Case`.
        catalog: the business-type catalog (:class:`forms.catalog.Catalog`); when given, its checks
            (required roles, joint application, materials) are merged in.
        today: the reference date for ages and birth dates; the system date by default.
        settings: office settings for identifier validation.

    Returns:
        The report; ``report.ok`` tells whether the case may be marked ready.
    """
    today = today or date.today()
    issues: list[Issue] = []
    case: Case | None
    if isinstance(data, Case):
        case = data
    else:
        try:
            case = Case.model_validate(data)
        except ValidationError as exc:
            case = None
            issues.extend(_schema_issues(exc))
            issues.extend(_partial_checks(data, today, settings))
    if case is not None:
        infos: dict[int, IdInfo] = {}
        for index, party in enumerate(case.parties):
            issues.extend(_party_issues(index, party, today, settings, infos))
        issues.extend(_property_issues(case.property, today, settings))
        issues.extend(_transaction_issues(case, settings))
        issues.extend(_co_ownership_issues(case, _title_holder_ids(case, catalog)))
        issues.extend(_representation_issues(case))
        issues.extend(_spouse_issues(case))
        issues.extend(_capacity_issues(case, infos, today))
        if catalog is not None:
            issues.extend(_catalog_issues(case, catalog))
    return ValidationReport(issues=sorted(issues, key=_sort_key), case=case)


# --------------------------------------------------------------------------------- ordering


def _sort_key(issue: Issue) -> tuple[tuple[tuple[int, int, str], ...], int]:
    parts = tuple(
        (0, int(token), "") if token.isdigit() else (1, 0, token)
        for token in re.findall(r"[^.\[\]]+", issue.path)
    )
    return parts, 0 if issue.severity == ERROR else 1


# --------------------------------------------------------------------------------- labels


def _party_label(index: int, role: PartyRole | None) -> str:
    return f"第 {index + 1} 位当事人（{label(role)}）" if role is not None else f"第 {index + 1} 位当事人"


# --------------------------------------------------------------------------------- schema errors

_DATE_HINT: Final = "应为有效日期，格式 YYYY-MM-DD，例如 2024-05-01"

_EXAMPLES: Final[dict[str, str]] = {
    "area": "89.5",
    "share": "50",
    "seller_vat_rate": "0.09",
    "postcode": "100000",
    "family_homes_owned": "1",
    "copies": "1",
    "pages": "3",
    "extra_count": "1",
    "capacity": "buyer",
}
"""Example values by field name; money fields fall back to :data:`_MONEY_EXAMPLE`."""

_MONEY_EXAMPLE: Final = "1500000.00"

_PATTERN_HINTS: Final[dict[str, str]] = {
    "postcode": "应为 6 位数字",
    "capacity": "应为业务类型目录中的角色编号（小写英文字母、数字和下划线）",
}


def _unwrap(annotation: Any) -> Any:
    """The annotation without ``Annotated`` and ``| None``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


@dataclass(frozen=True)
class _Located:
    """What a pydantic error location points at."""

    subject: str  # Chinese name of the field, with the list item it belongs to
    field_name: str | None  # the last model field name on the path
    field_info: FieldInfo | None


def _locate(loc: tuple[int | str, ...]) -> _Located:
    """Walk the case model along ``loc`` to name the field by its title and the list item it is in."""
    current: Any = Case
    item = ""  # e.g. "第 2 位当事人" or "材料第 3 项"
    title = ""
    name: str | None = None
    info: FieldInfo | None = None
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int) and typing.get_origin(current) is list:
            this = f"第 {part + 1} 位当事人" if name == "parties" else f"{title}第 {part + 1} 项"
            item = f"{item}的{this}" if item else this
            title = ""
            current = typing.get_args(current)[0]
        elif (
            isinstance(current, type) and issubclass(current, BaseModel) and str(part) in current.model_fields
        ):
            name = str(part)
            info = current.model_fields[name]
            title = info.title or name
            current = info.annotation
        else:
            break  # an extra key: keep the last field found
    if not title:
        return _Located(item or "案件", name, info)
    return _Located(f"{item}的{title}" if item else title, name, info)


def _example(located: _Located) -> str:
    if located.field_name in _EXAMPLES:
        return _EXAMPLES[located.field_name]
    annotation = _unwrap(located.field_info.annotation) if located.field_info is not None else None
    if annotation is int:
        return "1"
    return _MONEY_EXAMPLE


def _schema_message(err: Any) -> str:
    loc = tuple(err["loc"])
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    located = _locate(loc)
    subject = located.subject
    if kind == "extra_forbidden":
        return f"无法识别的字段“{loc[-1]}”，请删除（可能是拼写错误或来自更新版本的程序）"
    if kind == "missing":
        return f"{subject} 必须填写"
    if kind == "value_error":
        return f"{subject}：{ctx.get('error', '填写有误，请核对')}"
    if kind in {"decimal_parsing", "decimal_type", "float_parsing", "float_type"}:
        return f"{subject} 应为数字，例如 {_example(located)}"
    if kind in {"greater_than", "greater_than_equal"}:
        bound = ctx.get("gt", ctx.get("ge"))
        relation = "大于" if kind == "greater_than" else "不小于"
        return f"{subject} 应为{relation} {bound} 的数字，例如 {_example(located)}"
    if kind in {"less_than", "less_than_equal"}:
        bound = ctx.get("lt", ctx.get("le"))
        relation = "小于" if kind == "less_than" else "不大于"
        return f"{subject} 应为{relation} {bound} 的数字，例如 {_example(located)}"
    if kind == "decimal_max_places":
        return f"{subject} 最多保留 {ctx.get('decimal_places')} 位小数，例如 {_example(located)}"
    if kind in {"decimal_max_digits", "decimal_whole_digits"}:
        return f"{subject} 数值过大，请核对（例如 {_example(located)}）"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"{subject} 应为整数，例如 {_example(located)}"
    if kind.startswith("date_"):
        return f"{subject} {_DATE_HINT}"
    if kind.startswith("datetime_"):
        return f"{subject} 应为有效的日期和时间，例如 2024-05-01T09:30:00"
    if kind in {"bool_parsing", "bool_type"}:
        return f"{subject} 应为“是”或“否”"
    if kind == "enum":
        annotation = _unwrap(located.field_info.annotation) if located.field_info is not None else None
        if isinstance(annotation, type) and issubclass(annotation, StrEnum):
            return f"{subject} 应为以下之一：{'、'.join(labels_of(annotation))}，请重新选择"
        return f"{subject} 不是可选的值，请重新选择"
    if kind == "string_type":
        return f"{subject} 应为文字"
    if kind == "string_too_short":
        return f"{subject} 不能为空"
    if kind == "string_too_long":
        return f"{subject} 最多 {ctx.get('max_length')} 个字，请删减"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(located.field_name or "", "格式不正确")
        return f"{subject} {hint}，例如 {_example(located)}"
    if kind in {"uuid_parsing", "uuid_type"}:
        return f"{subject} 格式不正确，这是程序生成的编号，请勿手工修改"
    if kind in {"list_type", "too_long", "too_short"}:
        return f"{subject} 应为列表，请检查案件文件"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"{subject} 内容格式不正确，请检查案件文件"
    return f"{subject} 填写有误，请核对"


def _schema_issues(exc: ValidationError) -> Iterator[Issue]:
    for err in exc.errors(include_url=False):
        yield Issue(format_path(err["loc"]), _schema_message(err), ERROR, f"schema.{err['type']}")


_M = typing.TypeVar("_M", bound=BaseModel)


def _parse_part(model: type[_M], raw: Any, keys: tuple[str, ...]) -> _M | None:
    """``raw`` parsed as ``model``; failing that, only its ``keys`` parsed; failing that, ``None``."""
    if not isinstance(raw, dict):
        return None
    for candidate in (raw, {key: raw[key] for key in keys if key in raw}):
        try:
            return model.model_validate(candidate)
        except ValidationError:
            continue
    return None


_PARTY_IDENTITY: Final = ("id", "role", "kind", "name", "id_type", "id_number")
_PROPERTY_NUMBERS: Final = ("unit_number", "certificate_number")


def _partial_checks(data: Any, today: date, settings: IdentifierSettings) -> Iterator[Issue]:
    """Identifier checks on the parts that parse on their own when the whole case does not.

    A clerk should see every problem at once (条例 Art 17: 一次性告知), not the ID-number errors only after
    fixing a price typed as text. A part that does not parse is checked on its identity fields alone;
    cross-field rules need the whole case and wait for it.
    """
    if not isinstance(data, dict):
        return
    parties = data.get("parties")
    if isinstance(parties, list):
        for index, raw in enumerate(parties):
            party = _parse_part(Party, raw, _PARTY_IDENTITY)
            if party is not None:
                yield from _party_issues(index, party, today, settings, {})
    prop = _parse_part(Property, data.get("property"), _PROPERTY_NUMBERS)
    if prop is not None:
        yield from _property_issues(prop, today, settings)


# --------------------------------------------------------------------------------- parties


def _party_issues(
    index: int, party: Party, today: date, settings: IdentifierSettings, infos: dict[int, IdInfo]
) -> Iterator[Issue]:
    path = f"parties[{index}]"
    who = _party_label(index, party.role)
    if not party.name:
        yield Issue(f"{path}.name", f"{who}的姓名/名称 必须填写，请按证件填写", ERROR, "party.name_missing")
    is_org = party.kind is PartyKind.ORGANISATION
    if is_org != (party.id_type is IdType.USCC):
        fix = "统一社会信用代码" if is_org else "个人身份证件（如居民身份证）"
        yield Issue(
            f"{path}.id_type",
            f"{who}的证件种类与主体类型不符：{label(party.kind)}应使用{fix}，请改正证件种类或主体类型",
            ERROR,
            "id_type.kind_mismatch",
        )
        return
    if not party.id_number:
        yield Issue(
            f"{path}.id_number", f"{who}的证件号码 必须填写，请按证件填写", ERROR, "id_number.missing"
        )
        return
    try:
        info = check_id_number(party.id_type, party.id_number, settings=settings, today=today)
    except InvalidIdentifier as exc:
        yield Issue(f"{path}.id_number", f"{who}的证件号码：{exc}", ERROR, f"id_number.{exc.code}")
        return
    infos[index] = info
    if party.id_type is IdType.USCC and info.department is None:
        yield Issue(
            f"{path}.id_number",
            f"{who}的证件号码：统一社会信用代码第 1 位不是已知的登记管理部门代码，请核对营业执照",
            WARNING,
            "id_number.department",
        )
    if party.birth_date is not None and info.birth_date is not None and party.birth_date != info.birth_date:
        yield Issue(
            f"{path}.birth_date",
            f"{who}的出生日期与证件号码中的出生日期不一致，请按证件核对出生日期或证件号码",
            ERROR,
            "birth_date.mismatch",
        )
    if party.sex is not None and info.sex is not None and party.sex is not info.sex:
        yield Issue(
            f"{path}.sex",
            f"{who}的性别与证件号码（倒数第二位单数为男、双数为女）不一致，请按证件核对性别或证件号码",
            ERROR,
            "sex.mismatch",
        )


# --------------------------------------------------------------------------------- property etc.


def _property_issues(prop: Property, today: date, settings: IdentifierSettings) -> Iterator[Issue]:
    if not prop.unit_number:
        yield Issue(
            "property.unit_number",
            "不动产单元号 尚未填写，请按权属证书或地籍调查资料填写 28 位单元号",
            WARNING,
            "unit_number.missing",
        )
    else:
        try:
            parse_unit_number(prop.unit_number, settings=settings)
        except InvalidIdentifier as exc:
            yield Issue("property.unit_number", str(exc), ERROR, f"unit_number.{exc.code}")
    if prop.certificate_number:
        try:
            parse_certificate_number(prop.certificate_number, today=today)
        except InvalidIdentifier as exc:
            yield Issue(
                "property.certificate_number",
                str(exc),
                ERROR,
                f"certificate_number.{exc.code}",
            )


def _transaction_issues(case: Case, settings: IdentifierSettings) -> Iterator[Issue]:
    number = case.transaction.contract_filing_number
    if number:
        try:
            check_contract_filing_number(number, settings=settings)
        except InvalidIdentifier as exc:
            yield Issue(
                "transaction.contract_filing_number",
                str(exc),
                ERROR,
                f"contract_filing_number.{exc.code}",
            )
    mortgage = case.mortgage
    if (
        mortgage is not None
        and mortgage.debt_start
        and mortgage.debt_end
        and mortgage.debt_end < mortgage.debt_start
    ):
        yield Issue(
            "mortgage.debt_end",
            "债务履行期限止 早于 债务履行期限起，请按借款合同核对两个日期",
            ERROR,
            "mortgage.debt_period",
        )


# --------------------------------------------------------------------------------- cross-field rules


def _title_holder_ids(case: Case, catalog: CatalogLike | None) -> set[str] | None:
    """The ids of the parties whose co-ownership is recorded, as the catalog knows them.

    In a sale with a new mortgage (转移+抵押) the bank is a 权利人 of the mortgage but holds no share of
    the title, so the co-ownership rules apply to the catalog's title holders only. Without a catalog
    (or for an unknown type, reported elsewhere) every 权利人 counts.
    """
    if catalog is None:
        return None
    try:
        business_type = catalog.get(case.business_type)
    except CatalogError:
        return None
    return {p.id for p in business_type.title_holders(case)}


def _co_ownership_issues(case: Case, title_holder_ids: set[str] | None = None) -> Iterator[Issue]:
    holders = [
        (i, p)
        for i, p in enumerate(case.parties)
        if p.role is PartyRole.RIGHT_HOLDER and (title_holder_ids is None or p.id in title_holder_ids)
    ]
    if not holders:
        return
    if len(holders) == 1:
        index, holder = holders[0]
        if holder.co_ownership not in (None, CoOwnership.SOLE):
            yield Issue(
                f"parties[{index}].co_ownership",
                f"只有一位权利人时共有方式应为“单独所有”，现为“{label(holder.co_ownership)}”；"
                "如有其他共有人，请把他们添加为权利人",
                ERROR,
                "co_ownership.single_holder",
            )
        if holder.share is not None and holder.co_ownership is not CoOwnership.SHARES:
            yield _stray_share(index, holder)
        return
    chosen = [p.co_ownership for _, p in holders if p.co_ownership is not None]
    choose = "有多位权利人时请选择“共同共有”或“按份共有”"
    for index, holder in holders:
        if holder.co_ownership is None:
            yield Issue(
                f"parties[{index}].co_ownership",
                f"{_party_label(index, holder.role)}的共有方式 必须填写：{choose}",
                ERROR,
                "co_ownership.missing",
            )
        elif holder.co_ownership is CoOwnership.SOLE:
            yield Issue(
                f"parties[{index}].co_ownership",
                f"{_party_label(index, holder.role)}的共有方式不能为“单独所有”：{choose}",
                ERROR,
                "co_ownership.sole_with_others",
            )
    if len(set(chosen)) > 1:
        yield Issue(
            "parties",
            "各权利人的共有方式不一致，请统一选择“共同共有”或“按份共有”",
            ERROR,
            "co_ownership.inconsistent",
        )
        return
    if chosen and chosen[0] is CoOwnership.SHARES:
        yield from _share_issues(holders)
    else:
        for index, holder in holders:
            if holder.share is not None:
                yield _stray_share(index, holder)


def _stray_share(index: int, party: Party) -> Issue:
    return Issue(
        f"parties[{index}].share",
        f"{_party_label(index, party.role)}的共有份额(%) 只在“按份共有”时填写，请清空或改选按份共有",
        WARNING,
        "share.not_applicable",
    )


def _share_issues(holders: list[tuple[int, Party]]) -> Iterator[Issue]:
    total = Decimal(0)
    complete = True
    for index, holder in holders:
        if holder.share is None:
            complete = False
            yield Issue(
                f"parties[{index}].share",
                f"{_party_label(index, holder.role)}的共有份额(%) 必须填写："
                "按份共有时每位权利人都要填写份额，例如 50",
                ERROR,
                "share.missing",
            )
        else:
            total += holder.share
    if complete and total != 100:
        yield Issue(
            "parties",
            f"按份共有的权利人共有份额(%) 合计应为 100，现为 {format(total.normalize(), 'f')}，"
            "请调整各权利人的份额",
            ERROR,
            "share.sum",
        )


_REPRESENTATIVE_ROLES: Final = frozenset({PartyRole.AGENT, PartyRole.GUARDIAN})


def _representation_issues(case: Case) -> Iterator[Issue]:
    ids = {p.id for p in case.parties}
    seen: set[str] = set()
    for index, party in enumerate(case.parties):
        who = _party_label(index, party.role)
        path = f"parties[{index}]"
        if party.id in seen:
            yield Issue(
                f"{path}.id",
                f"{who}的当事人编号与其他当事人重复，请删除重复的当事人",
                ERROR,
                "party.duplicate_id",
            )
        seen.add(party.id)
        if party.role not in _REPRESENTATIVE_ROLES:
            if party.represents:
                yield Issue(
                    f"{path}.represents",
                    f"{who}不是代理人或监护人，不应填写代理/监护的当事人，请清空或把角色改为代理人或监护人",
                    ERROR,
                    "represents.not_representative",
                )
            continue
        if not party.represents:
            yield Issue(
                f"{path}.represents",
                f"{who}的代理/监护的当事人 必须填写，请选择其代理或监护的当事人",
                ERROR,
                "represents.missing",
            )
        for target in party.represents:
            if target == party.id:
                yield Issue(
                    f"{path}.represents",
                    f"{who}不能代理或监护自己，请在代理/监护的当事人中去掉本人",
                    ERROR,
                    "represents.self",
                )
            elif target not in ids:
                yield Issue(
                    f"{path}.represents",
                    f"{who}的代理/监护的当事人中有一位不在本案当事人中，请重新选择",
                    ERROR,
                    "represents.unknown_party",
                )


def _spouse_issues(case: Case) -> Iterator[Issue]:
    """The spouse link names another natural person of the case, and only for a married party."""
    by_id = {p.id: p for p in case.parties}
    for index, party in enumerate(case.parties):
        if party.spouse_party_id is None:
            continue
        who = _party_label(index, party.role)
        path = f"parties[{index}].spouse_party_id"
        spouse = by_id.get(party.spouse_party_id)
        if party.marital_status is not MaritalStatus.MARRIED:
            yield Issue(
                path,
                f"{who}的婚姻状况不是“已婚”，不应填写配偶：请把婚姻状况改为已婚，或清空配偶",
                ERROR,
                "spouse.not_married",
            )
        elif spouse is None or spouse.id == party.id:
            yield Issue(
                path,
                f"{who}的配偶不在本案当事人中（或是其本人），请从已录入的当事人中重新选择配偶",
                ERROR,
                "spouse.unknown_party",
            )
        elif spouse.kind is not PartyKind.NATURAL or spouse.role in _REPRESENTATIVE_ROLES:
            yield Issue(
                path,
                f"{who}的配偶应为本案的自然人申请人（不是代理人、监护人或单位），请重新选择配偶",
                ERROR,
                "spouse.not_a_person",
            )


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _capacity_issues(case: Case, infos: dict[int, IdInfo], today: date) -> Iterator[Issue]:
    for index, party in enumerate(case.parties):
        if party.kind is not PartyKind.NATURAL or party.role in _REPRESENTATIVE_ROLES:
            continue
        info = infos.get(index)
        birth = info.birth_date if info is not None and info.birth_date is not None else party.birth_date
        minor = birth is not None and _age(birth, today) < ADULT_AGE
        if not minor and party.has_full_capacity:
            continue
        guarded = any(r.role is PartyRole.GUARDIAN for r in case.representatives_of(party.id))
        if guarded:
            continue
        who = _party_label(index, party.role)
        reason = f"未满 {ADULT_AGE} 周岁" if minor else "不具有完全民事行为能力"
        yield Issue(
            f"parties[{index}]",
            f"{who}{reason}，需要监护人代为申请：请添加角色为“监护人”的当事人，并在其代理/监护的当事人中选择此人",
            ERROR,
            "guardian.minor" if minor else "guardian.incapacity",
        )


def _catalog_issues(case: Case, catalog: CatalogLike) -> Iterator[Issue]:
    """The catalog's checks: required roles, joint application (条例 Art 14), materials, mortgage."""
    try:
        catalog.get(case.business_type)
    except CatalogError as exc:
        yield Issue("business_type", str(exc), ERROR, "business_type.unknown")
        return
    yield from catalog.check_case(case)
