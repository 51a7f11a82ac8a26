"""Chinese labels of the case model's enumerations, for messages and pick lists.

The labels follow the wording of the 不动产登记申请书 (forms.md §1) and the comments in
:mod:`forms.case`. Every member of every enumeration has a label; a test checks that.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from forms.case import (
    CertificateFormat,
    CoOwnership,
    ExistingMortgage,
    HousingClass,
    IdType,
    MaritalStatus,
    MortgageKind,
    PartyKind,
    PartyRole,
    PaymentMethod,
    PropertyType,
    PropertyUse,
    Relation,
    Sex,
    TaxpayerStatus,
)

ENUM_LABELS: Final[dict[StrEnum, str]] = {
    PartyRole.RIGHT_HOLDER: "权利人",
    PartyRole.OBLIGOR: "义务人",
    PartyRole.AGENT: "代理人",
    PartyRole.GUARDIAN: "监护人",
    PartyKind.NATURAL: "自然人",
    PartyKind.ORGANISATION: "法人或其他组织",
    IdType.RESIDENT_ID: "居民身份证",
    IdType.HK_MACAO_RESIDENCE_PERMIT: "港澳居民居住证",
    IdType.TAIWAN_RESIDENCE_PERMIT: "台湾居民居住证",
    IdType.FOREIGN_PR_2023: "外国人永久居留身份证（2023 版）",
    IdType.FOREIGN_PR_OLD: "外国人永久居留身份证（旧版 15 位）",
    IdType.HK_MACAO_HOME_RETURN_PERMIT: "港澳居民来往内地通行证",
    IdType.TAIWAN_COMPATRIOT_PERMIT: "台湾居民来往大陆通行证",
    IdType.MAINLAND_HK_MACAO_PERMIT: "往来港澳通行证",
    IdType.PASSPORT: "护照",
    IdType.USCC: "统一社会信用代码",
    Sex.MALE: "男",
    Sex.FEMALE: "女",
    MaritalStatus.UNMARRIED: "未婚",
    MaritalStatus.MARRIED: "已婚",
    MaritalStatus.DIVORCED: "离异",
    MaritalStatus.WIDOWED: "丧偶",
    CoOwnership.SOLE: "单独所有",
    CoOwnership.JOINT: "共同共有",
    CoOwnership.SHARES: "按份共有",
    TaxpayerStatus.INDIVIDUAL: "个人",
    TaxpayerStatus.SMALL_SCALE: "小规模纳税人",
    TaxpayerStatus.GENERAL: "一般纳税人",
    Relation.SPOUSE: "配偶",
    Relation.PARENT_CHILD: "父母子女",
    Relation.GRANDPARENT_GRANDCHILD: "祖孙",
    Relation.SIBLING: "兄弟姐妹",
    Relation.CARER_OR_DEPENDANT: "抚养人或赡养人",
    Relation.STATUTORY_HEIR: "法定继承人",
    Relation.LEGATEE: "受遗赠人",
    Relation.NONE: "无亲属关系",
    PropertyUse.RESIDENTIAL: "住宅",
    PropertyUse.COMMERCIAL: "商业",
    PropertyUse.OFFICE: "办公",
    PropertyUse.INDUSTRIAL: "工业",
    PropertyUse.GARAGE_PARKING: "车库、车位",
    PropertyUse.STOREROOM: "储藏室",
    PropertyUse.OTHER: "其他",
    PropertyType.LAND: "土地",
    PropertyType.HOUSE: "房屋",
    PropertyType.STRUCTURE: "构筑物",
    PropertyType.FOREST: "林地",
    PropertyType.SEA_AREA: "海域",
    HousingClass.COMMODITY: "商品房",
    HousingClass.AFFORDABLE: "经济适用房、房改房等政策性住房",
    HousingClass.NOT_HOUSING: "非住房",
    PaymentMethod.FULL: "一次性付款",
    PaymentMethod.COMMERCIAL_LOAN: "商业贷款",
    PaymentMethod.PROVIDENT_FUND_LOAN: "公积金贷款",
    PaymentMethod.COMBINED_LOAN: "组合贷款",
    PaymentMethod.INSTALMENTS: "分期付款",
    ExistingMortgage.NONE: "无抵押",
    ExistingMortgage.RELEASED_BEFORE: "注销抵押后过户",
    ExistingMortgage.TRANSFER_WITH_MORTGAGE: "带押过户",
    MortgageKind.ORDINARY: "一般抵押",
    MortgageKind.MAXIMUM_AMOUNT: "最高额抵押",
    CertificateFormat.SINGLE: "单一版",
    CertificateFormat.INTEGRATED: "集成版",
}
"""The Chinese label of each enumeration member of :mod:`forms.case`."""

LABELLED_ENUMS: Final[tuple[type[StrEnum], ...]] = (
    PartyRole,
    PartyKind,
    IdType,
    Sex,
    MaritalStatus,
    CoOwnership,
    TaxpayerStatus,
    Relation,
    PropertyUse,
    PropertyType,
    HousingClass,
    PaymentMethod,
    ExistingMortgage,
    MortgageKind,
    CertificateFormat,
)
"""The enumerations :data:`ENUM_LABELS` covers."""


def label(member: StrEnum) -> str:
    """The Chinese label of an enumeration member of the case model.

    Args:
        member: e.g. ``IdType.PASSPORT``.

    Returns:
        The label (``"护照"``); the raw value for an enumeration this module does not know.
    """
    return ENUM_LABELS.get(member, member.value)


def labels_of(cls: type[StrEnum]) -> list[str]:
    """The Chinese labels of every member of one enumeration, in definition order."""
    return [label(member) for member in cls]
