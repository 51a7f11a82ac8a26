"""The offline tax-and-fee estimator: "how much do I pay, and who pays what?" from the case alone.

:func:`estimate` picks the rule rows in force on the case's ``rule_date`` (the declaration date, today by
default) from the versioned tables in ``forms/tax/rules`` and the office's :class:`TaxSettings`, and
explains every yuan. Order of computation (taxes-and-fees.md §1): VAT (rounded) → price excl. VAT →
surcharges on the rounded VAT → stamp duty, land VAT, IIT and deed tax on the price excl. VAT.

Case conventions used here:

* ``transaction.acquisition.original_value`` is the 原值: the purchase price plus the taxes paid when
  buying (deed tax included). ``deed_tax_paid`` is that deed tax, needed apart only for land VAT (the
  invoice amount is uplifted 5% a year, the deed tax is not).
* ``transaction.price`` of an exchange is the price difference (补价) paid by the right-holder side.
* In ``transfer_with_mortgage`` the mortgagee is the right-holder whose ``capacity`` is ``mortgagee``
  (the catalog role the clerk added the party as). A file without capacities falls back to inference:
  the right-holder that is an organisation when the buyers are natural persons, else the last
  right-holder entered — never a party whose capacity names another role.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from forms.case import (
    Case,
    HousingClass,
    Party,
    PartyKind,
    PartyRole,
    PropertyUse,
    Relation,
    TaxpayerStatus,
)
from forms.tax.errors import UnknownBusinessTypeError
from forms.tax.result import (
    Alternative,
    Estimate,
    MissingFact,
    TaxKind,
    TaxLine,
    round_money,
)
from forms.tax.rulebook import Region, RuleBook, RuleRow, default_rulebook
from forms.tax.settings import TaxSettings

ZERO = Decimal("0")
ONE = Decimal("1")
SALES = ("second_hand_sale", "transfer_with_mortgage")
TIER1_CITIES = ("北京", "上海", "广州", "深圳")
CLOSE_RELATIVES = (
    Relation.SPOUSE,
    Relation.PARENT_CHILD,
    Relation.GRANDPARENT_GRANDCHILD,
    Relation.SIBLING,
    Relation.CARER_OR_DEPENDANT,
)
# 民法典 Art 1127–1129: spouse, children, parents, siblings, grandparents; grandchildren by representation.
STATUTORY_HEIRS = (
    Relation.STATUTORY_HEIR,
    Relation.SPOUSE,
    Relation.PARENT_CHILD,
    Relation.SIBLING,
    Relation.GRANDPARENT_GRANDCHILD,
)
DISTRICT_ALIASES = {
    "urban": "urban",
    "市区": "urban",
    "county_town": "county_town",
    "县城": "county_town",
    "镇": "county_town",
    "县城、镇": "county_town",
    "other": "other",
    "其他": "other",
}
DISTRICT_LABELS = {"urban": "市区", "county_town": "县城、镇", "other": "其他地区"}
ORDER = list(TaxKind)


def pct(rate: Decimal) -> str:
    """A rate as a Chinese percentage text (``0.015`` → ``1.5%``)."""
    text = format((rate * 100).normalize(), "f")
    return f"{text}%"


def yuan(value: Decimal) -> str:
    """Money as text with thousands separators (``2000000`` → ``2,000,000.00``)."""
    return f"{round_money(value):,.2f}"


def full_years(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end`` (the anniversary day counts: exactly 2 years is 2)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(years, 0)


def land_vat_years(start: date, end: date) -> int:
    """Years for the old-building uplift: whole 12 months, plus one for a remainder over 6 months (220号)."""
    months = (end.year - start.year) * 12 + (end.month - start.month) - (end.day < start.day)
    if months <= 0:
        return 0
    years, remainder = divmod(months, 12)
    return years + (1 if remainder > 6 else 0)


@dataclass
class _Ctx:
    """What every rule function needs: the case, the settings, the date and the collected extras."""

    case: Case
    settings: TaxSettings
    rules: RuleBook
    on: date
    region: Region
    catalog_fee: Decimal | None
    missing: list[MissingFact] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def rule(self, topic: str) -> RuleRow:
        return self.rules.pick(topic, self.on, self.region)

    def find(self, topic: str) -> RuleRow | None:
        return self.rules.find(topic, self.on, self.region)

    def miss(self, path: str, message: str) -> None:
        if all(m.path != path or m.message != message for m in self.missing):
            self.missing.append(MissingFact(path, message))

    def setting_rate(self, row: RuleRow, key: str = "rate_setting") -> Decimal:
        value = getattr(self.settings, str(row.params[key]))
        assert isinstance(value, Decimal)
        return value

    def path(self, party: Party, attribute: str) -> str:
        index = next(i for i, p in enumerate(self.case.parties) if p is party)
        return f"parties[{index}].{attribute}"

    @property
    def residential(self) -> bool:
        return self.case.property.use == PropertyUse.RESIDENTIAL


@dataclass(frozen=True)
class _Side:
    """The paying side of a line."""

    role: PartyRole
    parties: tuple[Party, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parties)

    @property
    def all_natural(self) -> bool:
        return all(p.kind == PartyKind.NATURAL for p in self.parties)


def _line(
    tax: TaxKind,
    side: _Side,
    base: Decimal,
    rate: Decimal,
    row: RuleRow,
    explanation: str,
    depends_on: Sequence[str],
    amount: Decimal | None = None,
    source: str | None = None,
) -> TaxLine:
    value = base * rate if amount is None else amount
    return TaxLine(
        tax=tax,
        payer=side.role,
        payer_ids=side.ids,
        base=round_money(max(base, ZERO)),
        rate=rate,
        amount=round_money(max(value, ZERO)),
        rule=row.id,
        source=source or row.source,
        explanation=explanation,
        depends_on=tuple(dict.fromkeys(depends_on)),
    )


# ---------------------------------------------------------------- parties


MORTGAGEE_CAPACITY = "mortgagee"
"""The catalog role id of the 抵押权人 (forms/catalog_data/default.yaml)."""


def _mortgagees(case: Case) -> list[Party]:
    holders = case.right_holders
    if case.business_type == "mortgage_first":
        return holders
    if case.business_type != "transfer_with_mortgage":
        return []
    explicit = [p for p in holders if p.capacity == MORTGAGEE_CAPACITY]
    if explicit:
        return explicit
    organisations = [p for p in holders if p.kind == PartyKind.ORGANISATION]
    if organisations and len(organisations) < len(holders):
        inferred = organisations
    else:
        inferred = holders[-1:] if len(holders) >= 2 else []
    return [p for p in inferred if p.capacity is None]


def _buyers(ctx: _Ctx) -> _Side:
    mortgagees = (
        {p.id for p in _mortgagees(ctx.case)} if ctx.case.business_type != "mortgage_first" else set()
    )
    parties = tuple(p for p in ctx.case.right_holders if p.id not in mortgagees)
    if not parties:
        ctx.miss("parties", "缺少权利人（买方/受让方），请在“当事人”中添加角色为权利人的当事人。")
    return _Side(PartyRole.RIGHT_HOLDER, parties)


def _sellers(ctx: _Ctx) -> _Side:
    parties = tuple(ctx.case.obligors)
    if not parties and ctx.case.business_type != "inheritance":
        ctx.miss(
            "parties", "缺少义务人（卖方/转让方），请在“当事人”中添加角色为义务人的当事人；暂按个人计算。"
        )
    return _Side(PartyRole.OBLIGOR, parties)


def _is_company_vat(side: _Side) -> Party | None:
    """The seller whose status makes the sale a company sale (organisation or general-taxpayer business)."""
    for party in side.parties:
        if party.kind == PartyKind.ORGANISATION or party.taxpayer_status == TaxpayerStatus.GENERAL:
            return party
    return None


def _shares(parties: Sequence[Party]) -> list[Decimal]:
    given = [p.share for p in parties]
    if all(s is not None for s in given) and sum(s for s in given if s is not None) > 0:
        total = sum(s for s in given if s is not None)
        return [s / total for s in given if s is not None]
    return [ONE / len(parties)] * len(parties) if parties else []


# ---------------------------------------------------------------- price


@dataclass(frozen=True)
class _Price:
    """The taxable price as declared (incl. VAT if the price includes it) and what it depends on."""

    amount: Decimal
    includes_vat: bool
    depends_on: tuple[str, ...]
    note: str


def _taxable_price(ctx: _Ctx, *, use_assessed_first: bool) -> _Price:
    """The declared price, raised to the assessed value or the city's minimum price where higher."""
    tr = ctx.case.transaction
    depends = ["transaction.price", "transaction.price_includes_vat"]
    if use_assessed_first:
        depends = ["transaction.assessed_value"]
        if tr.assessed_value is not None:
            amount, note = tr.assessed_value, f"按评估价格 {yuan(tr.assessed_value)} 元"
        elif tr.price is not None:
            amount, note = tr.price, f"尚无评估价格，暂按申报价格 {yuan(tr.price)} 元"
            ctx.miss(
                "transaction.assessed_value", "缺少“评估价格(元)”：赠与、继承按市场评估价格计税，请填写。"
            )
            depends.append("transaction.price")
        else:
            amount, note = ZERO, "缺少评估价格，暂按 0 元"
            ctx.miss(
                "transaction.assessed_value", "缺少“评估价格(元)”：赠与、继承按市场评估价格计税，请填写。"
            )
        includes_vat = True  # a market value includes any VAT of a deemed sale
    else:
        if tr.price is None:
            ctx.miss("transaction.price", "缺少“成交价格(元)”，各项税费按 0 元暂计，请填写成交价格。")
            amount, note = ZERO, "缺少成交价格，暂按 0 元"
        else:
            amount, note = tr.price, f"成交价格 {yuan(tr.price)} 元"
        if tr.assessed_value is not None and tr.assessed_value > amount:
            amount, note = tr.assessed_value, f"{note}低于评估价格，按评估价格 {yuan(tr.assessed_value)} 元"
            depends.append("transaction.assessed_value")
        includes_vat = tr.price_includes_vat
    minimum = ctx.settings.minimum_assessed_price_per_sqm
    area = ctx.case.property.area
    if minimum is not None:
        depends.append("property.area")
        if area is None:
            ctx.miss("property.area", "缺少“面积(㎡)”，无法核对本市最低计税价格，请填写面积。")
        elif minimum * area > amount:
            floor = round_money(minimum * area)
            note = (
                f"{note}低于本市最低计税价格（{yuan(minimum)} 元/㎡ × {area}㎡），"
                f"按 {yuan(floor)} 元（契税法第4条第2款）"
            )
            amount = floor
    return _Price(amount, includes_vat, tuple(depends), note)


def _vat_from_price(price: _Price, rate: Decimal, base_amount: Decimal | None = None) -> Decimal:
    """VAT on ``base_amount`` (the full price by default), separating VAT when the price includes it."""
    amount = price.amount if base_amount is None else base_amount
    if amount <= 0 or rate <= 0:
        return ZERO
    if price.includes_vat:
        return round_money(amount / (ONE + rate) * rate)
    return round_money(amount * rate)


# ---------------------------------------------------------------- holding period


def _holding_years(ctx: _Ctx) -> tuple[int | None, str, str]:
    """(whole years held or None, the field path used, the start-date text)."""
    acq = ctx.case.transaction.acquisition
    first = ctx.settings.holding_period_start
    order = [first, "invoice_date" if first == "acquired_on" else "acquired_on"]
    for attribute in order:
        start: date | None = getattr(acq, attribute)
        if start is not None:
            path = f"transaction.acquisition.{attribute}"
            label = "取得日期" if attribute == "acquired_on" else "购房发票日期"
            if attribute != first:
                ctx.miss(
                    f"transaction.acquisition.{first}",
                    f"持有期间按设置应自“{'取得日期' if first == 'acquired_on' else '购房发票日期'}”起算，"
                    f"该项未填，暂按“{label}”计算，请补填。",
                )
            return full_years(start, ctx.on), path, f"{label} {start.isoformat()}"
    ctx.miss(
        "transaction.acquisition.acquired_on",
        "缺少“取得日期”：持有是否满2年、满5年决定增值税和个人所得税，请填写卖方取得房屋的日期。",
    )
    return None, "transaction.acquisition.acquired_on", "取得日期未填"


# ---------------------------------------------------------------- halving


def _halving(ctx: _Ctx, side: _Side) -> tuple[Decimal, str]:
    """The 六税两费 factor for a side and the reason text."""
    row = ctx.find("relief.six_taxes_two_fees")
    if row is None:
        return ONE, "计税日期不在“六税两费”减半期内"
    reasons = []
    for party in side.parties or ():
        if party.small_micro_enterprise:
            reasons.append("小型微利企业/个体工商户")
        elif party.taxpayer_status == TaxpayerStatus.SMALL_SCALE:
            reasons.append("小规模纳税人")
        elif party.kind == PartyKind.NATURAL and party.taxpayer_status == TaxpayerStatus.INDIVIDUAL:
            if not ctx.settings.surcharge_halving:
                return ONE, "本地设置自然人不适用“六税两费”减半"
            reasons.append("自然人（按本地设置视同小规模纳税人）")
        else:
            return ONE, "一般纳税人不适用“六税两费”减半"
    if not side.parties:
        if not ctx.settings.surcharge_halving:
            return ONE, "本地设置自然人不适用“六税两费”减半"
        reasons.append("自然人（按本地设置视同小规模纳税人）")
    factor = Decimal(str(row.params["factor"]))
    return factor, f"{'、'.join(dict.fromkeys(reasons))}减征{pct(ONE - factor)}（{row.source}）"


# ---------------------------------------------------------------- VAT and surcharges


@dataclass(frozen=True)
class _VatResult:
    lines: list[TaxLine]
    vat: Decimal
    price_excl: Decimal
    side: _Side


def _sale_vat(
    ctx: _Ctx, seller: _Side, price: _Price, *, gift_relation: Relation | None = None
) -> _VatResult:
    """VAT on a sale (or a deemed sale by gift) and the price excluding VAT."""
    company = _is_company_vat(seller)
    depends = [*price.depends_on]
    if gift_relation is not None:
        gift_row = ctx.rule("vat.gift_relatives")
        exempt_relations = [str(r) for r in gift_row.params["exempt_relations"]]
        exempt = True
        if "exempt_setting" in gift_row.params:
            exempt = bool(getattr(ctx.settings, str(gift_row.params["exempt_setting"])))
        if company is None and gift_relation.value in exempt_relations and exempt:
            why = f"个人将住房无偿赠与近亲属，按“{gift_row.title}”免征"
            line = _line(TaxKind.VAT, seller, price.amount, ZERO, gift_row, why, [*depends, "parties"])
            return _VatResult([line], ZERO, price.amount, seller)
    if company is not None:
        return _company_vat(ctx, seller, company, price, depends)
    if ctx.residential:
        return _individual_housing_vat(ctx, seller, price, depends)
    row = ctx.rule("vat.individual_non_housing")
    rate = row.decimal("rate")
    base_kind = ctx.settings.company_vat_simple_base or str(row.params["base"])
    return _simple_vat(ctx, seller, price, row, rate, base_kind, "个人销售非住房", [*depends, "property.use"])


def _difference(ctx: _Ctx, price: _Price) -> tuple[Decimal, str]:
    acq = ctx.case.transaction.acquisition
    if acq.original_value is None:
        ctx.miss(
            "transaction.acquisition.original_value",
            "缺少“原值”：差额计税需要购入价格，暂按全额计税，请填写原值。",
        )
        return price.amount, "原值未填，暂按全额"
    return max(
        price.amount - acq.original_value, ZERO
    ), f"差额 = 计税价格 − 原值 {yuan(acq.original_value)} 元"


def _simple_vat(
    ctx: _Ctx,
    seller: _Side,
    price: _Price,
    row: RuleRow,
    rate: Decimal,
    base_kind: str,
    who: str,
    depends: list[str],
) -> _VatResult:
    if base_kind == "difference":
        base_amount, how = _difference(ctx, price)
        depends = [*depends, "transaction.acquisition.original_value"]
    else:
        base_amount, how = price.amount, "全额"
    vat = _vat_from_price(price, rate, base_amount)
    excl = price.amount - vat if price.includes_vat else price.amount
    tax_base = base_amount - vat if price.includes_vat else base_amount
    sep = f"÷ (1 + {pct(rate)}) × {pct(rate)}" if price.includes_vat else f"× {pct(rate)}"
    why = f"{who}，按“{row.title}”：{price.note}；{how}{sep} = {yuan(vat)} 元。"
    line = _line(TaxKind.VAT, seller, tax_base, rate, row, why, depends, amount=vat)
    return _VatResult([line], vat, excl, seller)


def _individual_housing_vat(ctx: _Ctx, seller: _Side, price: _Price, depends: list[str]) -> _VatResult:
    row = ctx.rule("vat.individual_housing")
    rate = row.decimal("rate")
    limit = int(row.params["holding_years"])
    years, path, start_text = _holding_years(ctx)
    depends = [*depends, path, "rule_date", "property.use"]
    non_ordinary_base = row.params.get("non_ordinary_over_holding_base")
    city = ctx.region.lookup_order()[0].removeprefix("city:")
    if (
        non_ordinary_base is None
        and ctx.settings.tier1_ordinary_housing_rule_after_2024_12
        and city in TIER1_CITIES
        and ctx.on >= date(2024, 12, 1)
    ):
        non_ordinary_base = "difference"
    if years is not None and years >= limit:
        why = (
            f"个人销售住房，{start_text}至计税日期 {ctx.on.isoformat()} 已满 {years} 年（≥{limit} 年），"
            f"按“{row.title}”免征；城建税及附加随之为 0。"
        )
        if non_ordinary_base is not None:
            why += "按普通住房估算；若为非普通住房，按差额计征（见备选）。"
            ctx.miss("property", f"{city}：请确认是否普通住房（非普通住房满{limit}年仍按差额征收增值税）。")
            alt = _simple_vat(ctx, seller, price, row, rate, "difference", "非普通住房（北上广深）", depends)
            ctx.alternatives.append(Alternative("若为非普通住房", alt.lines[0]))
        line = _line(TaxKind.VAT, seller, price.amount, ZERO, row, why, depends)
        return _VatResult([line], ZERO, price.amount, seller)
    held = (
        f"{start_text}至计税日期 {ctx.on.isoformat()} 持有 {years} 年，不足 {limit} 年"
        if years is not None
        else "取得日期未填，暂按不足2年计"
    )
    result = _simple_vat(
        ctx, seller, price, row, rate, str(row.params["base"]), f"个人销售住房，{held}", depends
    )
    return result


def _company_vat(ctx: _Ctx, seller: _Side, company: Party, price: _Price, depends: list[str]) -> _VatResult:
    row = ctx.rule("vat.company")
    status_path = ctx.path(company, "taxpayer_status")
    depends = [*depends, status_path]
    override = ctx.case.transaction.seller_vat_rate
    general = (
        company.taxpayer_status == TaxpayerStatus.GENERAL
        and ctx.settings.company_vat_general_method == "general"
    )
    if general:
        configured = ctx.settings.company_vat_general_rate
        rate = row.decimal("general_rate") if configured is None else configured
        base_kind, who = "full", "一般纳税人销售不动产，一般计税方法（未抵扣进项税额，以税务机关核定为准）"
    else:
        configured = ctx.settings.company_vat_simple_rate
        rate = row.decimal("simple_rate") if configured is None else configured
        base_kind = ctx.settings.company_vat_simple_base or str(row.params["simple_base"])
        status = (
            "一般纳税人选择简易计税" if company.taxpayer_status == TaxpayerStatus.GENERAL else "小规模纳税人"
        )
        who = f"{status}销售不动产，简易计税方法"
    if override is not None:
        rate = override
        who += f"；按案件填写的卖方增值税税率 {pct(override)}"
        depends.append("transaction.seller_vat_rate")
    return _simple_vat(ctx, seller, price, row, rate, base_kind, who, depends)


def _surcharges(ctx: _Ctx, vat: _VatResult) -> list[TaxLine]:
    """城建税, 教育费附加 and 地方教育附加 on the rounded VAT."""
    side = vat.side
    factor, halving_text = _halving(ctx, side)
    district_raw = ctx.case.property.district_class
    district = DISTRICT_ALIASES.get(district_raw.strip(), "") if district_raw else ""
    if not district:
        district = ctx.settings.district_class
        if district_raw:
            ctx.miss(
                "property.district_class",
                f"“所在地类别”的值“{district_raw}”无法识别，应为 urban、county_town 或 other，暂按本地默认。",
            )
    depends = ["property.district_class", *vat.lines[0].depends_on]
    city_row = ctx.rule("city_maintenance_tax")
    rows: list[tuple[TaxKind, RuleRow, Decimal, str]] = [
        (
            TaxKind.CITY_MAINTENANCE_TAX,
            city_row,
            Decimal(str(city_row.params["rates"][district])),
            f"所在地为{DISTRICT_LABELS[district]}",
        ),
    ]
    for kind in (TaxKind.EDUCATION_SURCHARGE, TaxKind.LOCAL_EDUCATION_SURCHARGE):
        row = ctx.rule(kind.value)
        rows.append((kind, row, ctx.setting_rate(row), "按本地设置的征收率"))
    lines = []
    for kind, row, rate, why_rate in rows:
        effective = rate * factor
        text = f"以实缴增值税 {yuan(vat.vat)} 元为计税依据，{why_rate} {pct(rate)}"
        text += f"；{halving_text}，实际 {pct(effective)}。" if factor != ONE else f"；{halving_text}。"
        lines.append(_line(kind, side, vat.vat, effective, row, text, depends))
    return lines


# ---------------------------------------------------------------- stamp duty


def _stamp_duty(ctx: _Ctx, side: _Side, base: Decimal, depends: Sequence[str], *, what: str) -> TaxLine:
    row = ctx.rule("stamp_duty.transfer")
    rate = row.decimal("rate")
    exempt_row = ctx.find("stamp_duty.individual_housing_exempt")
    is_sale = ctx.case.business_type in (*SALES, "new_home_transfer", "exchange")
    if exempt_row is not None and is_sale and ctx.residential and side.all_natural:
        why = f"{what}为个人买卖住房，按“{exempt_row.title}”免征。"
        return _line(TaxKind.STAMP_DUTY, side, base, ZERO, exempt_row, why, [*depends, "property.use"])
    factor, halving_text = _halving(ctx, side)
    why = f"{what}按“{row.title}”，计税依据 {yuan(base)} 元 × {pct(rate)}"
    if is_sale and not side.all_natural:
        why += "（单位买卖双方均需缴纳）"
    elif is_sale:
        why += "（非住房不适用个人住房免征）"
    why += f"；{halving_text}。" if factor != ONE else "。"
    return _line(TaxKind.STAMP_DUTY, side, base, rate * factor, row, why, [*depends, "property.use"])


def _stamp_off(ctx: _Ctx, side: _Side, base: Decimal, setting: str, why: str) -> TaxLine:
    row = ctx.rule("stamp_duty.transfer")
    title = TaxSettings.model_fields[setting].title
    text = f"{why}：本地设置“{title}”为否，不征收（Q6 待确认）。"
    return _line(TaxKind.STAMP_DUTY, side, base, ZERO, row, text, ["business_type"])


# ---------------------------------------------------------------- land VAT


def _land_vat(
    ctx: _Ctx, seller: _Side, income: Decimal, seller_taxes: Decimal, depends: Sequence[str]
) -> TaxLine:
    acq = ctx.case.transaction.acquisition
    depends = [*depends, "property.use"]
    if _is_company_vat(seller) is None and seller.all_natural and ctx.residential:
        row = ctx.rule("land_vat.individual_housing_exempt")
        why = f"个人销售住房，按“{row.title}”免征。"
        return _line(TaxKind.LAND_VAT, seller, income, ZERO, row, why, depends)
    if acq.original_value is None or not acq.original_value_proven:
        row = ctx.rule("land_vat.assessed")
        rate = ctx.setting_rate(row)
        ctx.miss(
            "transaction.acquisition.original_value_proven",
            "土地增值税：未提供购房发票（原值凭证），按核定征收估算；提供发票后按旧房扣除计算，请补充“原值”并勾选“原值凭证齐全”。",
        )
        why = f"无购房发票，按“{row.title}”：不含增值税收入 {yuan(income)} 元 × {pct(rate)}。"
        return _line(
            TaxKind.LAND_VAT,
            seller,
            income,
            rate,
            row,
            why,
            [*depends, "transaction.acquisition.original_value_proven"],
        )
    old = ctx.rule("land_vat.old_building_invoice")
    bands = ctx.rule("land_vat.brackets")
    start = acq.invoice_date or acq.acquired_on
    start_path = (
        "transaction.acquisition.invoice_date" if acq.invoice_date else "transaction.acquisition.acquired_on"
    )
    if start is None:
        ctx.miss(
            "transaction.acquisition.invoice_date",
            "缺少“购房发票日期”：旧房扣除按发票日期起每满12个月加计5%，暂按0年计，请填写。",
        )
        years = 0
    else:
        years = land_vat_years(start, ctx.on)
    deed_tax = acq.deed_tax_paid or ZERO
    invoice = max(acq.original_value - deed_tax, ZERO)
    uplift = old.decimal("uplift_per_year")
    deductions = round_money(invoice * (ONE + uplift * years) + deed_tax + seller_taxes)
    gain = income - deductions
    dep = [
        *depends,
        "transaction.acquisition.original_value",
        "transaction.acquisition.deed_tax_paid",
        start_path,
        "rule_date",
    ]
    head = (
        f"扣除项目 = 发票金额 {yuan(invoice)} × (1 + {pct(uplift)} × {years} 年) + 购入契税 {yuan(deed_tax)}"
        f" + 本次转让税金 {yuan(seller_taxes)} = {yuan(deductions)} 元（{old.source}）；"
        f"增值额 = 收入 {yuan(income)} − 扣除 = {yuan(gain)} 元"
    )
    if gain <= 0:
        return _line(TaxKind.LAND_VAT, seller, ZERO, ZERO, bands, f"{head}，无增值额，不征收。", dep)
    ratio = gain / deductions if deductions > 0 else None
    chosen = bands.params["bands"][-1]
    for band in bands.params["bands"]:
        if band["up_to"] is None or (ratio is not None and ratio <= Decimal(str(band["up_to"]))):
            chosen = band
            break
    rate = Decimal(str(chosen["rate"]))
    quick = Decimal(str(chosen["quick_deduction"]))
    amount = gain * rate - deductions * quick
    ratio_text = f"{pct(round(ratio, 4))}" if ratio is not None else "无扣除项目"
    why = (
        f"{head}；增值率 {ratio_text}，适用税率 {pct(rate)}、速算扣除系数 {pct(quick)}："
        f"{yuan(gain)} × {pct(rate)} − {yuan(deductions)} × {pct(quick)} = {yuan(amount)} 元。"
    )
    return _line(
        TaxKind.LAND_VAT,
        seller,
        gain,
        rate,
        bands,
        why,
        dep,
        amount=amount,
        source=f"{bands.source}；{old.source}",
    )


# ---------------------------------------------------------------- IIT


def _iit_transfer(
    ctx: _Ctx, seller: _Side, income: Decimal, seller_taxes: Decimal, depends: Sequence[str]
) -> TaxLine | None:
    if _is_company_vat(seller) is not None or not seller.all_natural:
        ctx.notes.append("卖方为单位，企业所得税不在窗口征收，本估算不含。")
        return None
    acq = ctx.case.transaction.acquisition
    actual_row = ctx.rule("iit.property_transfer")
    assessed_row = ctx.rule("iit.assessed")
    depends = [*depends, "property.use"]
    # 满五唯一
    exempt_row = ctx.find("iit.exempt_five_only")
    years, path, start_text = _holding_years(ctx)
    if exempt_row is not None and ctx.residential:
        limit = int(exempt_row.params["holding_years"])
        homes_needed = int(exempt_row.params["seller_family_homes"])
        homes = [p.family_homes_owned for p in seller.parties]
        home_paths = [ctx.path(p, "family_homes_owned") for p in seller.parties]
        depends = [*depends, path, *home_paths]
        five = years is not None and years >= limit
        only = bool(homes) and all(h == homes_needed for h in homes)
        if five and only:
            why = (
                f"{start_text}至计税日期已满 {years} 年，且卖方家庭住房套数为 {homes_needed}（唯一住房），"
                f"按“{exempt_row.title}”免征。"
            )
            return _line(TaxKind.IIT, seller, income, ZERO, exempt_row, why, depends)
        if five and any(h is None for h in homes):
            for party, home_path in zip(seller.parties, home_paths, strict=True):
                if party.family_homes_owned is None:
                    ctx.miss(
                        home_path,
                        "缺少卖方“家庭住房套数”：已满5年，若为家庭唯一住房可免征个人所得税，请填写。",
                    )
        failed = f"不满{limit}年" if not five else "卖方家庭住房不唯一" if not only else ""
        fail_text = f"不适用满五唯一免征（{failed}）"
    else:
        fail_text = "非住房不适用满五唯一免征"
    proven = acq.original_value is not None and acq.original_value_proven
    method = ctx.settings.iit_method_when_proven if proven else ctx.settings.iit_method_when_unproven
    if method == "actual" and acq.original_value is None:
        method = "assessed"
        fail_text += "；原值未填，无法据实计算"
    if not proven:
        ctx.miss(
            "transaction.acquisition.original_value_proven",
            "个人所得税：原值凭证不全时按核定征收；提供购房合同、发票等原值凭证可据实计算，请补充“原值”并勾选“原值凭证齐全”。",
        )
    depends = [*depends, "transaction.acquisition.original_value_proven"]

    def assessed() -> TaxLine:
        rate = ctx.settings.iit_assessed_rate
        if not ctx.residential and ctx.settings.iit_assessed_rate_non_residential is not None:
            rate = ctx.settings.iit_assessed_rate_non_residential
        why = f"{fail_text}；按“{assessed_row.title}”：不含增值税收入 {yuan(income)} 元 × {pct(rate)}。"
        return _line(TaxKind.IIT, seller, income, rate, assessed_row, why, depends)

    def actual() -> TaxLine:
        original = acq.original_value or ZERO
        expenses = acq.deductible_expenses
        rate = actual_row.decimal("rate")
        gain = income - original - expenses - seller_taxes
        cap = actual_row.params["decoration_cap"]
        cap_rate = (
            cap["affordable"]
            if ctx.case.property.housing_class == HousingClass.AFFORDABLE
            else cap["commodity"]
        )
        why = (
            f"{fail_text}；按“{actual_row.title}”据实计征："
            f"(不含增值税收入 {yuan(income)} − 原值 {yuan(original)} − 合理费用 {yuan(expenses)}"
            f" − 本次转让税金（不含增值税）{yuan(seller_taxes)}) × {pct(rate)}"
            f" = {yuan(max(gain, ZERO) * rate)} 元。"
            f"合理费用中的装修费用以原值的 {pct(Decimal(str(cap_rate)))} 为限。"
        )
        return _line(
            TaxKind.IIT,
            seller,
            gain,
            rate,
            actual_row,
            why,
            [
                *depends,
                "transaction.acquisition.original_value",
                "transaction.acquisition.deductible_expenses",
            ],
        )

    if method == "actual":
        main = actual()
        ctx.alternatives.append(Alternative("若按核定征收", assessed()))
    else:
        main = assessed()
        if acq.original_value is not None:
            ctx.alternatives.append(Alternative("若按原值据实计征", actual()))
    return main


# ---------------------------------------------------------------- deed tax


@dataclass(frozen=True)
class _DeedChoice:
    rate: Decimal
    row: RuleRow
    why: str
    depends: tuple[str, ...]


def _deed_choice(ctx: _Ctx, buyer: Party, purchase: bool) -> _DeedChoice:
    """The deed-tax rate of one buyer, with its reason."""
    bt = ctx.case.business_type
    relation = buyer.relation_to_counterparty
    rel_path = ctx.path(buyer, "relation_to_counterparty")
    standard_row = ctx.rule("deed_tax.standard")
    standard = _DeedChoice(
        ctx.settings.deed_tax_standard_rate,
        standard_row,
        f"按本省契税一般税率 {pct(ctx.settings.deed_tax_standard_rate)}",
        (),
    )
    if relation == Relation.SPOUSE and bt != "inheritance":
        row = ctx.rule("deed_tax.exempt_spouse")
        return _DeedChoice(ZERO, row, f"受让方是出让方的配偶，{row.title}", (rel_path,))
    if bt == "inheritance":
        row = ctx.rule("deed_tax.exempt_statutory_heir")
        if relation in STATUTORY_HEIRS:
            return _DeedChoice(ZERO, row, f"继承人是法定继承人，{row.title}", (rel_path,))
        if relation is None:
            ctx.miss(
                rel_path, "缺少继承人“与对方当事人关系”：法定继承人免征契税，受遗赠人按一般税率，请填写。"
            )
            return _DeedChoice(
                standard.rate, standard_row, f"关系未填，暂按受遗赠人计：{standard.why}", (rel_path,)
            )
        return _DeedChoice(
            standard.rate, standard_row, f"受遗赠人或非法定继承人不适用继承免征，{standard.why}", (rel_path,)
        )
    if not purchase:
        return _DeedChoice(
            standard.rate, standard_row, f"赠与、互换不适用个人购房优惠，{standard.why}", (rel_path,)
        )
    if buyer.kind == PartyKind.ORGANISATION:
        return _DeedChoice(
            standard.rate, standard_row, f"单位购买，{standard.why}", (ctx.path(buyer, "kind"),)
        )
    if not ctx.residential:
        return _DeedChoice(standard.rate, standard_row, f"非住房，{standard.why}", ("property.use",))
    pref = ctx.find("deed_tax.individual_housing")
    if pref is None:
        return _DeedChoice(
            standard.rate, standard_row, f"计税日期无个人购房优惠，{standard.why}", ("rule_date",)
        )
    homes_path = ctx.path(buyer, "family_homes_owned")
    homes = buyer.family_homes_owned
    threshold = pref.decimal("area_threshold")
    area = ctx.case.property.area
    depends = (homes_path, "property.area", "property.use", "rule_date")
    if homes is None:
        ctx.miss(
            homes_path,
            "缺少买方“家庭住房套数”：家庭唯一住房、第二套住房可享受契税优惠，请按住房查询结果填写。",
        )
        first = pref.params["first_home"]
        alt_rate = Decimal(str(first["at_or_below" if area is not None and area <= threshold else "above"]))
        return _DeedChoice(
            standard.rate,
            standard_row,
            f"家庭住房套数未填，暂{standard.why}；若为家庭唯一住房可减按 {pct(alt_rate)}",
            depends,
        )
    key = "first_home" if homes == 0 else "second_home" if homes == 1 else None
    if key is None:
        return _DeedChoice(
            standard.rate, standard_row, f"家庭已有 {homes} 套住房（第三套及以上），{standard.why}", depends
        )
    rates = pref.params[key]
    label = "家庭唯一住房" if key == "first_home" else "家庭第二套住房"
    if rates is None:
        return _DeedChoice(
            standard.rate,
            standard_row,
            f"{label}，本市不适用第二套住房优惠（{pref.source}），{standard.why}",
            depends,
        )
    if area is None:
        ctx.miss("property.area", f"缺少“面积(㎡)”：{label}面积不超过 {threshold}㎡ 税率更低，请填写面积。")
        rate = Decimal(str(rates["above"]))
        return _DeedChoice(
            rate, pref, f"{label}，面积未填，暂按超过 {threshold}㎡ 计 {pct(rate)}（{pref.title}）", depends
        )
    at_or_below = area <= threshold
    rate = Decimal(str(rates["at_or_below" if at_or_below else "above"]))
    cmp = "不超过" if at_or_below else "超过"
    return _DeedChoice(
        rate, pref, f"{label}，面积 {area}㎡ {cmp} {threshold}㎡，按“{pref.title}”减按 {pct(rate)}", depends
    )


def _deed_tax(
    ctx: _Ctx, buyers: _Side, base: Decimal, base_text: str, depends: Sequence[str], *, purchase: bool
) -> list[TaxLine]:
    if not buyers.parties:
        row = ctx.rule("deed_tax.standard")
        rate = ctx.settings.deed_tax_standard_rate
        return [
            _line(
                TaxKind.DEED_TAX,
                buyers,
                base,
                rate,
                row,
                f"权利人未填，暂按一般税率 {pct(rate)}：{base_text}。",
                depends,
            )
        ]
    choices = [_deed_choice(ctx, buyer, purchase) for buyer in buyers.parties]
    shares = _shares(buyers.parties)
    groups: dict[tuple[Decimal, str, str], list[int]] = {}
    for index, choice in enumerate(choices):
        groups.setdefault((choice.rate, choice.row.id, choice.why), []).append(index)
    lines = []
    for indexes in groups.values():
        choice = choices[indexes[0]]
        side = _Side(buyers.role, tuple(buyers.parties[i] for i in indexes))
        dep = [*depends, *(d for i in indexes for d in choices[i].depends)]
        if len(groups) == 1:
            part, part_text = base, ""
        else:
            fraction = sum((shares[i] for i in indexes), ZERO)
            part = round_money(base * fraction)
            part_text = f"；各买方税率不同，按份额 {pct(round(fraction, 4))} 分摊计税依据 {yuan(part)} 元"
            dep.append("parties")
        why = f"{choice.why}：{base_text}{part_text}；契税 = {yuan(part)} × {pct(choice.rate)}。"
        if choice.rate == 0:
            why = f"{choice.why}：{base_text}{part_text}。"
        lines.append(_line(TaxKind.DEED_TAX, side, part, choice.rate, choice.row, why, dep))
    if (
        purchase
        and any(c.row.topic == "deed_tax.standard" for c in choices)
        and any(p.family_homes_owned is None and p.kind == PartyKind.NATURAL for p in buyers.parties)
        and ctx.residential
    ):
        pref = ctx.find("deed_tax.individual_housing")
        if pref is not None:
            area = ctx.case.property.area
            threshold = pref.decimal("area_threshold")
            alt_rate = Decimal(
                str(
                    pref.params["first_home"][
                        "at_or_below" if area is not None and area <= threshold else "above"
                    ]
                )
            )
            alt = _line(
                TaxKind.DEED_TAX,
                buyers,
                base,
                alt_rate,
                pref,
                f"若为家庭唯一住房：{base_text} × {pct(alt_rate)}。",
                depends,
            )
            ctx.alternatives.append(Alternative("若买方为家庭唯一住房", alt))
    return lines


# ---------------------------------------------------------------- business types


def _sale(ctx: _Ctx) -> list[TaxLine]:
    """Second-hand sale (also the sale half of a transfer with mortgage)."""
    seller, buyers = _sellers(ctx), _buyers(ctx)
    price = _taxable_price(ctx, use_assessed_first=False)
    vat = _sale_vat(ctx, seller, price)
    lines = [*vat.lines, *_surcharges(ctx, vat)]
    income = vat.price_excl
    base_dep = [*price.depends_on, *vat.lines[0].depends_on]
    base_text = f"计税依据为不含增值税价格 {yuan(income)} 元（{price.note}，减增值税 {yuan(vat.vat)} 元）"
    stamp_seller = _stamp_duty(ctx, seller, income, base_dep, what="卖方")
    stamp_buyer = _stamp_duty(ctx, buyers, income, base_dep, what="买方")
    surcharge_total = sum((ln.amount for ln in lines[1:]), ZERO)
    land = _land_vat(ctx, seller, income, surcharge_total + stamp_seller.amount, base_dep)
    iit = _iit_transfer(ctx, seller, income, surcharge_total + stamp_seller.amount + land.amount, base_dep)
    lines += [stamp_seller, stamp_buyer, land]
    if iit is not None:
        lines.append(iit)
    lines += _deed_tax(ctx, buyers, income, base_text, base_dep, purchase=True)
    return lines


def _new_home(ctx: _Ctx) -> list[TaxLine]:
    """First transfer from the developer: the buyer's deed tax and stamp duty."""
    buyers = _buyers(ctx)
    seller = _Side(PartyRole.OBLIGOR, tuple(ctx.case.obligors))
    price = _taxable_price(ctx, use_assessed_first=False)
    tr = ctx.case.transaction
    depends = [*price.depends_on, "transaction.seller_vat_rate"]
    if not price.includes_vat:
        excl, how = price.amount, "价格不含增值税"
    else:
        rate = tr.seller_vat_rate
        if rate is None:
            row = ctx.rule("vat.company")
            company = _is_company_vat(seller)
            small = company is not None and company.taxpayer_status == TaxpayerStatus.SMALL_SCALE
            rate = row.decimal("simple_rate") if small else row.decimal("general_rate")
            ctx.miss(
                "transaction.seller_vat_rate",
                f"缺少“卖方增值税税率”：暂按开发企业{'简易计税' if small else '一般计税'} {pct(rate)} "
                "价税分离，请按发票填写。",
            )
        excl = round_money(price.amount / (ONE + rate)) if rate > 0 else price.amount
        how = f"含 {pct(rate)} 增值税，÷ (1 + {pct(rate)}) = {yuan(excl)} 元"
    base_text = f"计税依据为不含增值税价格：{price.note}，{how}"
    lines = [_stamp_duty(ctx, buyers, excl, depends, what="买方")]
    lines += _deed_tax(ctx, buyers, excl, base_text, depends, purchase=True)
    ctx.notes.append("开发企业的增值税、土地增值税等由其自行申报，不在本窗口计算。")
    return lines


def _gift(ctx: _Ctx) -> list[TaxLine]:
    donor, donee = _sellers(ctx), _buyers(ctx)
    value = _taxable_price(ctx, use_assessed_first=True)
    relations = [p.relation_to_counterparty for p in donee.parties]
    relation = relations[0] if relations and relations[0] is not None else Relation.NONE
    if not relations or relations[0] is None:
        for p in donee.parties:
            ctx.miss(
                ctx.path(p, "relation_to_counterparty"),
                "缺少受赠人“与对方当事人关系”：近亲属赠与免征个人所得税（及增值税），请填写。",
            )
    vat = _sale_vat(ctx, donor, value, gift_relation=relation)
    lines = [*vat.lines, *_surcharges(ctx, vat)]
    base = vat.price_excl
    base_text = f"计税依据为赠与房屋评估价格 {yuan(base)} 元（{value.note}）"
    deed = _deed_tax(ctx, donee, base, base_text, value.depends_on, purchase=False)
    lines += deed
    if ctx.settings.stamp_duty_on_gifts:
        stamps = [
            _stamp_duty(ctx, donor, base, value.depends_on, what="赠与人"),
            _stamp_duty(ctx, donee, base, value.depends_on, what="受赠人"),
        ]
    else:
        stamps = [_stamp_off(ctx, side, base, "stamp_duty_on_gifts", "赠与书据") for side in (donor, donee)]
    lines += stamps
    lines.append(
        _gift_iit(ctx, donee, base, sum((ln.amount for ln in [*deed, stamps[1]]), ZERO), value.depends_on)
    )
    if _is_company_vat(donor) is not None or not ctx.residential:
        ctx.notes.append("单位赠与或非住房赠与的土地增值税按视同销售另行核定，本估算不含。")
    return lines


def _gift_iit(
    ctx: _Ctx, donee: _Side, value: Decimal, receiver_taxes: Decimal, depends: Sequence[str]
) -> TaxLine:
    row = ctx.rule("iit.gift")
    exempt = [str(r) for r in row.params["exempt_relations"]]
    paths = [ctx.path(p, "relation_to_counterparty") for p in donee.parties]
    relations = [p.relation_to_counterparty for p in donee.parties]
    if relations and all(r is not None and r.value in exempt for r in relations):
        why = f"受赠人与赠与人为近亲属或抚养、赡养关系，按“{row.title}”免征。"
        return _line(TaxKind.IIT, donee, value, ZERO, row, why, [*depends, *paths])
    rate = row.decimal("rate")
    deduct = receiver_taxes if ctx.settings.gift_iit_deduct_receiver_taxes else ZERO
    income = value - deduct
    why = (
        f"受赠人与赠与人不属于免征关系，按“{row.title}”：(赠与房屋价值 {yuan(value)} − 受赠人缴纳的税费 "
        f"{yuan(deduct)}) × {pct(rate)}。"
    )
    return _line(TaxKind.IIT, donee, income, rate, row, why, [*depends, *paths])


def _inheritance(ctx: _Ctx) -> list[TaxLine]:
    heirs = _buyers(ctx)
    value = _taxable_price(ctx, use_assessed_first=True)
    base = value.amount
    base_text = f"计税依据为继承房屋评估价格 {yuan(base)} 元（{value.note}）"
    lines = _deed_tax(ctx, heirs, base, base_text, value.depends_on, purchase=False)
    row = ctx.rule("iit.gift")
    lines.append(
        _line(
            TaxKind.IIT,
            heirs,
            base,
            ZERO,
            row,
            "继承房屋不征个人所得税（财税〔2009〕78号 第一条）。",
            ["business_type"],
        )
    )
    if ctx.settings.stamp_duty_on_inheritance:
        lines.append(_stamp_duty(ctx, heirs, base, value.depends_on, what="继承人"))
    else:
        lines.append(_stamp_off(ctx, heirs, base, "stamp_duty_on_inheritance", "继承"))
    return lines


def _exchange(ctx: _Ctx) -> list[TaxLine]:
    receivers, others = _buyers(ctx), _sellers(ctx)
    tr = ctx.case.transaction
    if tr.price is None:
        ctx.miss("transaction.price", "互换：请在“成交价格(元)”填写补价（互换价格差额），等价互换填 0。")
    difference = tr.price or ZERO
    base_text = f"计税依据为互换价格差额 {yuan(difference)} 元（契税法第4条第2项），由权利人一方支付"
    depends = ["transaction.price"]
    lines = _deed_tax(ctx, receivers, difference, base_text, depends, purchase=False)
    lines.append(_stamp_duty(ctx, receivers, difference, depends, what="权利人"))
    lines.append(_stamp_duty(ctx, others, difference, depends, what="义务人"))
    ctx.notes.append("互换双方转让各自房屋的增值税、个人所得税按视同销售另行核定，本估算不含。")
    return lines


# ---------------------------------------------------------------- registration fee


def _registration_fees(ctx: _Ctx, table: RuleRow) -> list[TaxLine]:
    entry = table.params[ctx.case.business_type]
    registrations = [str(r) for r in entry["registrations"]]
    title = str(entry["title"])
    depends = ["business_type"]
    if not registrations:
        side = _Side(PartyRole.RIGHT_HOLDER, tuple(ctx.case.right_holders))
        why = f"{title}：{entry.get('free_reason', '不收费')}（{table.source}）。"
        return [_line(TaxKind.REGISTRATION_FEE, side, ZERO, ZERO, table, why, depends)]
    fee_row = ctx.rule("registration_fee.standard")
    prop = ctx.case.property
    dep = [*depends, "property.use", "property.has_own_certificate"]
    if prop.use == PropertyUse.RESIDENTIAL:
        standard, kind = fee_row.decimal("residential"), "住宅"
    elif prop.use in (PropertyUse.GARAGE_PARKING, PropertyUse.STOREROOM):
        if not prop.has_own_certificate:
            side = _Side(PartyRole.RIGHT_HOLDER, tuple(ctx.case.right_holders))
            why = f"{title}：车库、车位、储藏室未单独发证，不收取登记费（财税〔2019〕45号）。"
            return [_line(TaxKind.REGISTRATION_FEE, side, ZERO, ZERO, fee_row, why, dep)]
        standard, kind = fee_row.decimal("garage_with_own_certificate"), "单独发证的车库、车位、储藏室"
    else:
        standard, kind = fee_row.decimal("non_residential"), "非住宅"
    if ctx.catalog_fee is not None:
        standard, kind = ctx.catalog_fee, f"{kind}（按业务目录收费标准）"
    buyers = _buyers(ctx)
    sides: list[tuple[str, _Side]] = []
    for registration in registrations:
        if registration == "mortgage":
            mortgagees = _mortgagees(ctx.case)
            if not mortgagees:
                ctx.miss("parties", "缺少抵押权人：抵押权登记费由抵押权人缴纳，请添加抵押权人（权利人）。")
            sides.append(("抵押权登记，由抵押权人缴纳", _Side(PartyRole.RIGHT_HOLDER, tuple(mortgagees))))
        elif registration == "transfer_each_side":
            sides.append(("互换一方取得房屋，由其缴纳", buyers))
            sides.append(("互换另一方取得房屋，由其缴纳", _Side(PartyRole.OBLIGOR, tuple(ctx.case.obligors))))
        elif registration == "first":
            sides.append(("首次登记，由权利人缴纳", buyers))
        else:
            sides.append(("转移登记，由权利人（受让方）缴纳", buyers))
    extra = ctx.case.certificates.extra_count
    extra_fee = fee_row.decimal("extra_certificate")
    exempt_row = ctx.find("registration_fee.small_micro_exempt")
    lines = []
    for index, (who, side) in enumerate(sides):
        amount = standard
        text = f"{title}，{kind} {yuan(standard)} 元/件（含第一本证书），{who}"
        line_dep = list(dep)
        if index == 0 and extra:
            amount += extra_fee * extra
            text += f"；加发证书 {extra} 本 × {yuan(extra_fee)} 元"
            line_dep.append("certificates.extra_count")
        if exempt_row is not None and side.parties and all(p.small_micro_enterprise for p in side.parties):
            why = f"{text}；缴费人为小微企业（含个体工商户），按“{exempt_row.title}”免收。"
            line_dep += [ctx.path(p, "small_micro_enterprise") for p in side.parties]
            lines.append(_line(TaxKind.REGISTRATION_FEE, side, amount, ZERO, exempt_row, why, line_dep))
            continue
        text += "。廉租住房、公共租赁住房、经济适用住房、棚改安置住房登记免收。"
        lines.append(_line(TaxKind.REGISTRATION_FEE, side, amount, ONE, fee_row, text, line_dep))
    return lines


_HANDLERS: dict[str, Callable[[_Ctx], list[TaxLine]]] = {
    "second_hand_sale": _sale,
    "transfer_with_mortgage": _sale,
    "new_home_transfer": _new_home,
    "gift": _gift,
    "inheritance": _inheritance,
    "exchange": _exchange,
}


def estimate(
    case: Case,
    settings: TaxSettings,
    *,
    catalog_fee: Decimal | None = None,
    rules: RuleBook | None = None,
) -> Estimate:
    """Estimate the taxes and fees of a case.

    Args:
        case: the case; its ``rule_date`` (today when ``None``) picks the rules in force.
        settings: the office's provincial and city settings.
        catalog_fee: the business catalog's fee per registration, replacing the standard
            80/550 yuan when given (extra certificates and exemptions still apply).
        rules: the rule tables; the shipped ones by default.

    Returns:
        The line items, missing facts, alternatives and notes.

    Raises:
        UnknownBusinessTypeError: the business type is not in the fee table.
        NoRuleInForceError: the rule date lies outside the periods the tables cover.
    """
    book = rules or default_rulebook()
    on = case.rule_date or date.today()
    ctx = _Ctx(case, settings, book, on, Region(settings.province, settings.city), catalog_fee)
    table = ctx.rule("registration_fee.business_types")
    if case.business_type not in table.params:
        known = "、".join(table.params)
        raise UnknownBusinessTypeError(
            f"业务类型“{case.business_type}”不在计税规则中（已知：{known}），请检查“业务类型”。"
        )
    lines: list[TaxLine] = []
    handler = _HANDLERS.get(case.business_type)
    if handler is not None:
        lines += handler(ctx)
    lines += _registration_fees(ctx, table)
    lines.sort(key=lambda ln: (ORDER.index(ln.tax), ln.payer != PartyRole.RIGHT_HOLDER))
    if case.rule_date is None:
        ctx.notes.append(f"未填写计税日期，按今天 {on.isoformat()} 的规则估算。")
    return Estimate(
        rule_date=on,
        business_type=case.business_type,
        lines=tuple(lines),
        missing=tuple(ctx.missing),
        alternatives=tuple(ctx.alternatives),
        notes=tuple(dict.fromkeys(ctx.notes)),
    )
