"""The case model: one pydantic v2 model every form, payload and calculation derives from.

Money is a decimal string in yuan (``"2000000.00"``), dates ISO 8601, areas in square metres.
A person or organisation is entered once in :attr:`Case.parties`; agents and guardians point at the
parties they act for by id, so nothing is typed twice.

The model is deliberately lenient about *missing* facts (a draft is incomplete by nature); the rules
in :mod:`forms.validation` decide what a case still needs before it can be marked ready.
Field names and their Chinese titles (``title=``) are what validation messages name.
"""

from __future__ import annotations

import builtins
import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, field_validator

SCHEMA_VERSION = 2
"""Version of the case file format. 1: the first; 2: ``Party.capacity`` (the catalog role a party fills).

A file of an older version still loads (new fields take their defaults); a newer one is refused with
a message to upgrade, since this program would not know its fields.
"""


def _decimal_to_str(value: Decimal) -> str:
    return format(value, "f")


Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=16, decimal_places=2, json_schema_extra={"format": "decimal"}),
    PlainSerializer(_decimal_to_str, return_type=str, when_used="json"),
]
"""A non-negative amount in yuan with at most two decimals, serialised as a string."""

Area = Annotated[
    Decimal,
    Field(gt=0, max_digits=12, decimal_places=4),
    PlainSerializer(_decimal_to_str, return_type=str, when_used="json"),
]
"""An area in square metres."""

Percent = Annotated[
    Decimal,
    Field(gt=0, le=100, max_digits=9, decimal_places=6),
    PlainSerializer(_decimal_to_str, return_type=str, when_used="json"),
]
"""A share in percent, e.g. ``"50"`` for half."""


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        validate_assignment=True,
        use_enum_values=False,
    )


class PartyRole(StrEnum):
    """The part a party plays in the application (申请人情况 blocks of the 申请书)."""

    RIGHT_HOLDER = "right_holder"  # 权利人: buyer, heir, donee, mortgagee
    OBLIGOR = "obligor"  # 义务人: seller, donor, mortgagor
    AGENT = "agent"  # 代理人 of one or more parties
    GUARDIAN = "guardian"  # 监护人 of a minor or a person without full capacity


class PartyKind(StrEnum):
    """Natural person or organisation."""

    NATURAL = "natural"
    ORGANISATION = "organisation"


class IdType(StrEnum):
    """身份证件种类; each has a validator in :mod:`forms.identifiers`."""

    RESIDENT_ID = "resident_id"  # 居民身份证
    HK_MACAO_RESIDENCE_PERMIT = "hk_macao_residence_permit"  # 港澳居民居住证
    TAIWAN_RESIDENCE_PERMIT = "taiwan_residence_permit"  # 台湾居民居住证
    FOREIGN_PR_2023 = "foreign_pr_2023"  # 外国人永久居留身份证 (2023 版, 18 位)
    FOREIGN_PR_OLD = "foreign_pr_old"  # 外国人永久居留身份证 (2004/2017 版, 15 位)
    HK_MACAO_HOME_RETURN_PERMIT = "hk_macao_home_return_permit"  # 港澳居民来往内地通行证
    TAIWAN_COMPATRIOT_PERMIT = "taiwan_compatriot_permit"  # 台湾居民来往大陆通行证
    MAINLAND_HK_MACAO_PERMIT = "mainland_hk_macao_permit"  # 往来港澳通行证
    PASSPORT = "passport"  # 护照
    USCC = "uscc"  # 统一社会信用代码 (organisations)


class Sex(StrEnum):
    """Sex as printed on the ID document."""

    MALE = "male"
    FEMALE = "female"


class MaritalStatus(StrEnum):
    """婚姻状况, needed where taxes or co-ownership depend on the family."""

    UNMARRIED = "unmarried"
    MARRIED = "married"
    DIVORCED = "divorced"
    WIDOWED = "widowed"


class CoOwnership(StrEnum):
    """共有方式 of the right-holders."""

    SOLE = "sole"  # 单独所有
    JOINT = "joint"  # 共同共有
    SHARES = "shares"  # 按份共有


class TaxpayerStatus(StrEnum):
    """A party's VAT status, which decides the method and rate for company sellers."""

    INDIVIDUAL = "individual"
    SMALL_SCALE = "small_scale"  # 小规模纳税人
    GENERAL = "general"  # 一般纳税人


class Relation(StrEnum):
    """How a receiving party is related to the giving party (gifts, inheritance, spouse added)."""

    SPOUSE = "spouse"
    PARENT_CHILD = "parent_child"
    GRANDPARENT_GRANDCHILD = "grandparent_grandchild"
    SIBLING = "sibling"
    CARER_OR_DEPENDANT = "carer_or_dependant"  # 抚养人或赡养人
    STATUTORY_HEIR = "statutory_heir"  # 法定继承人
    LEGATEE = "legatee"  # 受遗赠人 (not a statutory heir)
    NONE = "none"


class PropertyUse(StrEnum):
    """规划用途 of the unit, which decides fees and many tax rates."""

    RESIDENTIAL = "residential"  # 住宅
    COMMERCIAL = "commercial"  # 商业
    OFFICE = "office"  # 办公
    INDUSTRIAL = "industrial"  # 工业
    GARAGE_PARKING = "garage_parking"  # 车库、车位
    STOREROOM = "storeroom"  # 储藏室
    OTHER = "other"


class PropertyType(StrEnum):
    """不动产类型."""

    LAND = "land"  # 土地
    HOUSE = "house"  # 房屋 (with its land use right)
    STRUCTURE = "structure"  # 构筑物
    FOREST = "forest"  # 林地
    SEA_AREA = "sea_area"  # 海域


class HousingClass(StrEnum):
    """Housing class for the IIT expense cap (国税发〔2006〕108号)."""

    COMMODITY = "commodity"  # 商品房
    AFFORDABLE = "affordable"  # 经济适用房、房改房 and other policy housing
    NOT_HOUSING = "not_housing"


class PaymentMethod(StrEnum):
    """How the buyer pays."""

    FULL = "full"  # 一次性付款
    COMMERCIAL_LOAN = "commercial_loan"  # 商业贷款
    PROVIDENT_FUND_LOAN = "provident_fund_loan"  # 公积金贷款
    COMBINED_LOAN = "combined_loan"  # 组合贷款
    INSTALMENTS = "instalments"  # 分期付款


class ExistingMortgage(StrEnum):
    """What happens to a mortgage already registered on the property."""

    NONE = "none"
    RELEASED_BEFORE = "released_before"  # 注销后过户
    TRANSFER_WITH_MORTGAGE = "transfer_with_mortgage"  # 带押过户 (民法典 Art 406)


class MortgageKind(StrEnum):
    """抵押方式."""

    ORDINARY = "ordinary"  # 一般抵押
    MAXIMUM_AMOUNT = "maximum_amount"  # 最高额抵押


class CertificateFormat(StrEnum):
    """申请证书版式."""

    SINGLE = "single"  # 单一版
    INTEGRATED = "integrated"  # 集成版


class Party(_Model):
    """A person or organisation taking part in the case, entered once."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], title="当事人编号", min_length=1)
    role: PartyRole = Field(title="角色")
    capacity: str | None = Field(
        None,
        title="业务角色",
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=40,
        description=(
            "The catalog role the party fills in this business type (buyer, seller, mortgagee …: "
            "the role ids of forms/catalog_data). Set when the party is added under that role; files "
            "without it fall back to the catalog's inference. Empty for agents and guardians."
        ),
    )
    kind: PartyKind = Field(PartyKind.NATURAL, title="主体类型")
    name: str = Field("", title="姓名/名称", max_length=200)
    id_type: IdType = Field(IdType.RESIDENT_ID, title="证件种类")
    id_number: str = Field("", title="证件号码", max_length=40)
    sex: Sex | None = Field(None, title="性别")
    birth_date: date | None = Field(None, title="出生日期")
    nationality: str | None = Field(None, title="国籍", description="ISO 3166-1 alpha-3, e.g. CHN")
    phone: str | None = Field(None, title="联系电话", max_length=40)
    address: str | None = Field(None, title="通讯地址", max_length=300)
    postcode: str | None = Field(None, title="邮编", pattern=r"^\d{6}$")
    legal_representative: str | None = Field(None, title="法定代表人/负责人", max_length=100)
    agency_name: str | None = Field(None, title="代理机构名称", max_length=200)
    represents: list[str] = Field(
        default_factory=list,
        title="代理/监护的当事人",
        description="Ids of the parties an agent or guardian acts for.",
    )
    co_ownership: CoOwnership | None = Field(None, title="共有方式")
    share: Percent | None = Field(None, title="共有份额(%)")
    marital_status: MaritalStatus | None = Field(None, title="婚姻状况")
    spouse_party_id: str | None = Field(None, title="配偶(当事人编号)")
    family_homes_owned: int | None = Field(
        None,
        ge=0,
        le=999,
        title="家庭住房套数",
        description=(
            "Homes the party's family (self, spouse, minor children) owns before this transaction is "
            "registered, as found by the housing search or declared in writing. Buyer: 0 means this "
            "will be the only home. Seller: 1 means the property sold is the only home."
        ),
    )
    relation_to_counterparty: Relation | None = Field(None, title="与对方当事人关系")
    taxpayer_status: TaxpayerStatus = Field(TaxpayerStatus.INDIVIDUAL, title="纳税人类型")
    small_micro_enterprise: bool = Field(False, title="小微企业(含个体工商户)")
    has_full_capacity: bool = Field(True, title="完全民事行为能力")
    present: bool = Field(True, title="本人到场")

    @field_validator("id_number")
    @classmethod
    def _normalise_id_number(cls, value: str) -> str:
        # Clerks and readers give lower-case 'x' and full-width digits; store one canonical form.
        return value.translate(_FULLWIDTH).replace(" ", "").upper()


_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")


class Property(_Model):
    """不动产情况."""

    unit_number: str = Field("", title="不动产单元号", max_length=28)
    certificate_number: str | None = Field(None, title="不动产权证书号", max_length=60)
    location: str = Field("", title="坐落", max_length=300)
    area: Area | None = Field(None, title="面积(㎡)")
    use: PropertyUse = Field(PropertyUse.RESIDENTIAL, title="用途")
    property_type: PropertyType = Field(PropertyType.HOUSE, title="不动产类型")
    right_type: str = Field("国有建设用地使用权/房屋所有权", title="权利类型", max_length=60)
    housing_class: HousingClass = Field(HousingClass.COMMODITY, title="房屋性质")
    has_own_certificate: bool = Field(
        True, title="单独发证", description="A garage or storeroom with a certificate of its own."
    )
    district_class: str | None = Field(
        None,
        title="所在地类别",
        description="urban / county_town / other — decides the 城建税 rate (城市维护建设税法 Art 4).",
    )


class Acquisition(_Model):
    """How the disposing party acquired the property (IIT, VAT holding period, land VAT)."""

    acquired_on: date | None = Field(None, title="取得日期")
    original_value: Money | None = Field(None, title="原值")
    original_value_proven: bool = Field(False, title="原值凭证齐全")
    deductible_expenses: Money = Field(Decimal("0"), title="合理费用")
    deed_tax_paid: Money | None = Field(None, title="购入时已缴契税")
    invoice_date: date | None = Field(None, title="购房发票日期")


class Transaction(_Model):
    """交易情况."""

    contract_filing_number: str | None = Field(None, title="合同网签备案编号", max_length=60)
    price: Money | None = Field(None, title="成交价格(元)")
    price_includes_vat: bool = Field(True, title="价格含增值税")
    seller_vat_rate: Decimal | None = Field(
        None,
        ge=0,
        le=1,
        title="卖方增值税税率",
        description="For a developer's sale: the VAT rate included in the price, e.g. 0.09.",
    )
    payment_method: PaymentMethod | None = Field(None, title="付款方式")
    existing_mortgage: ExistingMortgage = Field(ExistingMortgage.NONE, title="原有抵押")
    assessed_value: Money | None = Field(
        None, title="评估价格(元)", description="Assessed market value for gifts, inheritance, low prices."
    )
    acquisition: Acquisition = Field(default_factory=Acquisition, title="卖方取得情况")


class Mortgage(_Model):
    """抵押情况 (mortgage registrations and the mortgage half of a combined visit)."""

    kind: MortgageKind = Field(MortgageKind.ORDINARY, title="抵押方式")
    secured_amount: Money | None = Field(None, title="被担保主债权数额/最高债权额(元)")
    debt_start: date | None = Field(None, title="债务履行期限起")
    debt_end: date | None = Field(None, title="债务履行期限止")
    loan_contract_number: str | None = Field(None, title="借款合同编号", max_length=60)
    mortgage_contract_number: str | None = Field(None, title="抵押合同编号", max_length=60)
    release_reason: str | None = Field(None, title="注销原因", max_length=200)


class MaterialRecord(_Model):
    """One item of the materials checklist, as received at the window."""

    code: str = Field(title="材料代码", min_length=1)
    name: str = Field("", title="材料名称")
    required: bool = Field(True, title="必交")
    received: bool = Field(False, title="已收取")
    original: bool = Field(True, title="原件")
    copies: int = Field(1, ge=0, le=99, title="份数")
    pages: int = Field(0, ge=0, le=9999, title="页数")
    via_data_sharing: bool = Field(False, title="共享获取")
    attachment_ids: list[str] = Field(default_factory=list, title="扫描件")


class InterviewAnswer(_Model):
    """One answer of one person questioned (询问笔录)."""

    question_id: str = Field(title="问题编号", min_length=1)
    party_id: str = Field(title="被询问人", min_length=1)
    answer: str = Field("", title="回答", max_length=2000)


class Certificates(_Model):
    """Certificate options on the 申请书."""

    format: CertificateFormat = Field(CertificateFormat.SINGLE, title="申请证书版式")
    separate: bool = Field(False, title="申请分别持证")
    extra_count: int = Field(0, ge=0, le=50, title="加发证书本数")


class Case(_Model):
    """A whole case at the window."""

    schema_version: int = Field(SCHEMA_VERSION, title="结构版本")
    id: uuid.UUID = Field(default_factory=uuid.uuid4, title="案件标识")
    case_number: str | None = Field(None, title="受理编号", max_length=40)
    business_type: str = Field(title="业务类型", min_length=1)
    rule_date: date | None = Field(None, title="计税日期", description="Declaration date; today by default.")
    parties: list[Party] = Field(default_factory=list, title="当事人")
    property: Property = Field(default_factory=Property, title="不动产")
    transaction: Transaction = Field(default_factory=Transaction, title="交易")
    mortgage: Mortgage | None = Field(None, title="抵押")
    materials: list[MaterialRecord] = Field(default_factory=list, title="材料")
    interview: list[InterviewAnswer] = Field(default_factory=list, title="询问记录")
    certificates: Certificates = Field(default_factory=Certificates, title="证书")
    registration_reason: str | None = Field(None, title="登记原因", max_length=300)
    remarks: str = Field("", title="备注", max_length=2000)
    created_at: datetime | None = Field(None, title="创建时间")

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value > SCHEMA_VERSION:
            raise ValueError(f"案件结构版本 {value} 比本程序支持的 {SCHEMA_VERSION} 新，请升级一窗受理")
        return value

    # ------------------------------------------------------------------ derived views
    def party(self, party_id: str) -> Party | None:
        """The party with this id, or ``None``."""
        return next((p for p in self.parties if p.id == party_id), None)

    def parties_in(self, role: PartyRole) -> list[Party]:
        """Parties of one role, in the order entered."""
        return [p for p in self.parties if p.role == role]

    @builtins.property
    def right_holders(self) -> list[Party]:
        """权利人 (buyers, heirs, donees, mortgagees)."""
        return self.parties_in(PartyRole.RIGHT_HOLDER)

    @builtins.property
    def obligors(self) -> list[Party]:
        """义务人 (sellers, donors, mortgagors)."""
        return self.parties_in(PartyRole.OBLIGOR)

    def representatives_of(self, party_id: str) -> list[Party]:
        """Agents and guardians acting for the party."""
        return [p for p in self.parties if party_id in p.represents]

    def answers_of(self, party_id: str) -> dict[str, str]:
        """The interview answers one person gave, by question id."""
        return {a.question_id: a.answer for a in self.interview if a.party_id == party_id}


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema of a case file (``yichuang schema``)."""
    schema = Case.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://yichuang.invalid/schema/case-v{SCHEMA_VERSION}.json"
    return schema
