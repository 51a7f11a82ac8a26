"""Office (provincial and city) settings of the tax-and-fee estimator.

The values a province or city sets, and the switches for the open questions of the domain notes
(taxes-and-fees.md §1.1 and §9, Q1–Q8), live here rather than in code: an office writes them in the
``[tax]`` section of its settings TOML file. Rates are fractions (``0.03`` = 3%).
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forms.tax.errors import TaxSettingsError

Rate = Annotated[Decimal, Field(ge=0, le=1, max_digits=9, decimal_places=6)]
"""A rate as a fraction."""

DistrictClass = Literal["urban", "county_town", "other"]
IitMethod = Literal["actual", "assessed"]


class TaxSettings(BaseModel):
    """Provincial and city settings, with defaults (typical values, [M] in the domain notes)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    province: str = Field(
        "", title="省份", description="Picks provincial rule rows, e.g. 浙江. Empty: national rows only."
    )
    city: str = Field(
        "",
        title="城市",
        description="Picks city rule rows, e.g. 上海 (北上广深 had their own rules until 2024-11-30).",
    )
    deed_tax_standard_rate: Decimal = Field(
        Decimal("0.03"),
        ge=Decimal("0.03"),
        le=Decimal("0.05"),
        title="契税一般税率",
        description="Provincial deed-tax rate outside the preferential cases (third+ home, non-residential, "
        "companies, gifts, legatees); 3%–5% (契税法 Art 3).",
    )
    iit_assessed_rate: Decimal = Field(
        Decimal("0.01"),
        ge=Decimal("0.01"),
        le=Decimal("0.03"),
        title="个人所得税核定征收率",
        description="IIT assessed levy rate on the transfer income, 1%–3% (国税发〔2006〕108号).",
    )
    iit_assessed_rate_non_residential: Rate | None = Field(
        None,
        title="非住宅个人所得税核定征收率",
        description="Assessed IIT rate for non-residential property; empty: the same as the housing rate.",
    )
    iit_method_when_proven: IitMethod = Field(
        "actual",
        title="原值凭证齐全时个税计征方式",
        description="actual: 20% of the gain; assessed: the assessed rate of the income.",
    )
    iit_method_when_unproven: IitMethod = Field(
        "assessed",
        title="原值凭证不全时个税计征方式",
        description="Usually assessed; actual is used only if an original value is entered.",
    )
    surcharge_halving: bool = Field(
        True,
        title="自然人“六税两费”减半",
        description="Whether natural persons get the 六税两费 halving "
        "(城建税, 教育费附加, 地方教育附加, 印花税) as small-scale taxpayers (2023年第12号; Q3). "
        "Companies get it when small-scale or small/micro.",
    )
    district_class: DistrictClass = Field(
        "urban",
        title="默认所在地类别",
        description="城建税 rate class used when the case does not say: urban 7%, county_town 5%, other 1%.",
    )
    minimum_assessed_price_per_sqm: Decimal | None = Field(
        None,
        gt=0,
        max_digits=12,
        decimal_places=2,
        title="最低计税价格(元/㎡)",
        description="The city's minimum assessed price (存量房评估系统) per ㎡; a lower declared price is "
        "replaced by area × this value (契税法 Art 4 para 2). Empty: not checked.",
    )
    land_vat_assessed_rate: Rate = Field(
        Decimal("0.05"),
        title="土地增值税核定征收率",
        description="Land-VAT assessed levy rate on the income when no purchase invoice is available.",
    )
    education_surcharge_rate: Rate = Field(
        Decimal("0.03"), title="教育费附加征收率", description="Usually 3%."
    )
    local_education_surcharge_rate: Rate = Field(
        Decimal("0.02"), title="地方教育附加征收率", description="Usually 2%."
    )
    company_vat_general_method: Literal["general", "simple"] = Field(
        "general",
        title="一般纳税人单位销售不动产计税方法",
        description="general: the general rate on the price; simple: the simple method (e.g. property "
        "acquired before 2016-04-30). Q2.",
    )
    company_vat_general_rate: Rate | None = Field(
        None, title="一般计税税率", description="Overrides the rule table's general rate (9%). Q2."
    )
    company_vat_simple_rate: Rate | None = Field(
        None,
        title="简易计税征收率",
        description="Overrides the rule table's simple rate (5%, 3% from 2026). Q2.",
    )
    company_vat_simple_base: Literal["full", "difference"] | None = Field(
        None,
        title="简易计税计税依据",
        description="full: the whole price; difference: price − purchase price. Empty: the rule table's "
        "value (difference until 2025, full from 2026). Also used for individuals' non-housing. Q2.",
    )
    gift_vat_close_relatives_exempt: bool = Field(
        True,
        title="近亲属赠与住房免征增值税",
        description="Whether the exemption of gifts to close relatives survives from 2026 (Q5).",
    )
    stamp_duty_on_gifts: bool = Field(
        True,
        title="赠与书据征收印花税",
        description="Whether both parties of a gift of real estate pay stamp duty (0.05%) (Q6).",
    )
    stamp_duty_on_inheritance: bool = Field(
        False,
        title="继承书据征收印花税",
        description="Whether the heir pays stamp duty on an inheritance (Q6).",
    )
    gift_iit_deduct_receiver_taxes: bool = Field(
        True,
        title="受赠个税扣除受赠人税费",
        description="财税〔2009〕78号 Art 4: the gift value less the taxes the receiver pays in the gift.",
    )
    holding_period_start: Literal["acquired_on", "invoice_date"] = Field(
        "acquired_on",
        title="持有期间起算日",
        description="Start of the 2-year and 5-year tests: the acquisition (certificate) date or the "
        "purchase-invoice / deed-tax receipt date (Q8).",
    )
    tier1_ordinary_housing_rule_after_2024_12: bool = Field(
        False,
        title="北上广深2024年12月后仍区分普通住房",
        description="Q1: keep the non-ordinary-housing VAT on the difference in 北京/上海/广州/深圳 after "
        "2024-11-30 (all four dropped the standard, so off by default).",
    )


_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_\-\"']+)\s*=")
_SECTION_LINE = re.compile(r"^\s*\[([^\]]+)\]\s*(#.*)?$")


def _line_of(text: str, key: str) -> int | None:
    """The line (from 1) where ``key`` is set inside the ``[tax]`` section of ``text``."""
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _SECTION_LINE.match(line)
        if header:
            section = header.group(1).strip()
            continue
        match = _KEY_LINE.match(line)
        if section == "tax" and match and match.group(1).strip("\"'") == key:
            return number
    return None


def _section_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        header = _SECTION_LINE.match(line)
        if header and header.group(1).strip() == "tax":
            return number
    return 1


def _message(err: Any) -> str:
    loc = err["loc"]
    key = str(loc[0]) if loc else ""
    field = TaxSettings.model_fields.get(key)
    name = f"“{field.title}”（{key}）" if field is not None and field.title else f"“{key}”"
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return f"未知的设置项“{key}”，请删除或改正拼写（允许：{'、'.join(TaxSettings.model_fields)}）。"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{name}的值 {err.get('input')} 太小，应不小于 {ctx.get('ge', ctx.get('gt'))}，请改正。"
    if kind in ("less_than_equal", "less_than"):
        return f"{name}的值 {err.get('input')} 太大，应不大于 {ctx.get('le', ctx.get('lt'))}，请改正。"
    if kind == "literal_error":
        return f"{name}的值“{err.get('input')}”无效，应为 {ctx.get('expected', '')} 之一，请改正。"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"{name}应为 true 或 false，请改正。"
    if kind.startswith("decimal"):
        return f"{name}的值“{err.get('input')}”应为小数（税率写作 0.03 表示 3%），请改正。"
    return f"{name}的值“{err.get('input')}”无效（{err['msg']}），请改正。"


def parse_tax_settings(text: str, source: str = "<设置>") -> TaxSettings:
    """Parse the ``[tax]`` section of a settings TOML text.

    Args:
        text: the TOML text.
        source: the file name used in messages.

    Returns:
        The settings; defaults when the text has no ``[tax]`` section.

    Raises:
        TaxSettingsError: the TOML is malformed or a value is invalid; the message names the file and line.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        where = f"{source} 第 {found.group(1)} 行" if found else source
        raise TaxSettingsError(f"{where}：TOML 格式错误（{exc}），请检查该行的等号、引号和括号。") from None
    section = data.get("tax", {})
    if not isinstance(section, dict):
        raise TaxSettingsError(f"{source}：“tax”应为一节（[tax]），请改正。")
    try:
        return TaxSettings.model_validate(section)
    except ValidationError as exc:
        lines = []
        for err in exc.errors(include_url=False):
            key = str(err["loc"][0]) if err["loc"] else ""
            line = _line_of(text, key) or _section_line(text)
            lines.append(f"{source} 第 {line} 行：{_message(err)}")
        raise TaxSettingsError("\n".join(lines)) from None


def load_tax_settings(path: Path | str) -> TaxSettings:
    """Load the office's tax settings from the ``[tax]`` section of a TOML file.

    Args:
        path: the settings file.

    Returns:
        The settings (defaults for everything the file does not set).

    Raises:
        TaxSettingsError: the file cannot be read, is malformed or has an invalid value; the message
            names the file and the line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaxSettingsError(f"{path}：找不到办公室设置文件，请检查路径。") from None
    except UnicodeDecodeError:
        raise TaxSettingsError(f"{path}：文件不是 UTF-8 编码，请用 UTF-8 编码另存后重试。") from None
    except OSError as exc:
        raise TaxSettingsError(f"{path}：无法读取文件（{exc.strerror}），请检查文件权限。") from None
    return parse_tax_settings(text, str(path))
