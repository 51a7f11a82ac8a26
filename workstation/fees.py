"""Fees collected at the window (收费登记): the items due, the payment methods, a payment's checks (Qt-free).

After acceptance the window collects the registration fee (不动产登记费) and, for certificates beyond
the first, the certificate fee (证书工本费, 10 yuan each): 发改价格规〔2016〕2559号; residential 80 and
non-residential 550 per case, garages and storerooms with their own certificate 80 (财税〔2019〕45号);
who pays: the right-holder, the mortgagee on a mortgage (taxes-and-fees.md §7). The amounts are not
computed here: they are the tax estimator's registration-fee lines (:func:`forms.tax.estimator.estimate`
with ``Catalog.fee_for``), the one fee rule of the code base, split into 登记费 and 工本费.

A payment is stored as a :class:`~workstation.storage.models.FeePaymentRow` (amounts in fen, no personal
data). A waived fee (免收) needs a reason and a supervisor's approval with their own password; a
mistaken record is voided by a supervisor, never deleted.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Final

from forms.case import Case
from forms.catalog import Catalog
from forms.errors import FormsError
from forms.states import CaseState
from forms.tax.estimator import estimate
from forms.tax.result import TaxKind
from forms.tax.rulebook import Region, default_rulebook
from forms.tax.settings import TaxSettings, load_tax_settings
from workstation.storage.errors import InvalidUserData, StorageError


class FeeRefused(StorageError):
    """A fee cannot be recorded or voided now (not accepted yet, paid already, day signed off …)."""


class FeeMethod(StrEnum):
    """How a fee was paid; the value is stored in ``fee_payments.method``."""

    CASH = "cash"
    CARD = "card"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    UNIONPAY_QR = "unionpay_qr"
    TRANSFER = "transfer"
    WAIVED = "waived"


METHOD_LABELS: Final[Mapping[FeeMethod, str]] = MappingProxyType(
    {
        FeeMethod.CASH: "现金",
        FeeMethod.CARD: "银行卡",
        FeeMethod.WECHAT: "微信",
        FeeMethod.ALIPAY: "支付宝",
        FeeMethod.UNIONPAY_QR: "云闪付/聚合码",
        FeeMethod.TRANSFER: "转账",
        FeeMethod.WAIVED: "免收",
    }
)
"""The Chinese name of each method, in the order the dialog offers them."""

TRACED_METHODS: Final = frozenset(
    {FeeMethod.CARD, FeeMethod.WECHAT, FeeMethod.ALIPAY, FeeMethod.UNIONPAY_QR, FeeMethod.TRANSFER}
)
"""Methods whose POS, QR or bank trace number (交易流水号) must be entered."""

FEE_STATES: Final = frozenset({CaseState.SUBMITTED, CaseState.IN_PROGRESS, CaseState.COMPLETED})
"""Case states in which a fee may be collected: after acceptance (提交受理)."""


class FeeItemCode(StrEnum):
    """A fee item; the values are stored comma-separated in ``fee_payments.items``."""

    REGISTRATION = "registration_fee"
    CERTIFICATE = "certificate_fee"


ITEM_LABELS: Final[Mapping[FeeItemCode, str]] = MappingProxyType(
    {FeeItemCode.REGISTRATION: "不动产登记费", FeeItemCode.CERTIFICATE: "证书工本费"}
)
"""The Chinese name of each item."""

_FEN: Final = Decimal("100")


def to_fen(yuan: Decimal) -> int:
    """Yuan → fen, half-up (taxes-and-fees.md §1)."""
    return int((yuan * _FEN).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def yuan_text(fen: int) -> str:
    """``8000`` → ``"80.00"``."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


@dataclass(frozen=True)
class FeeItem:
    """One item of the fee due.

    Attributes:
        code: the item.
        amount_fen: the amount due in fen (0 when exempt).
        explanation: the estimator's wording: which rule, who pays, why exempt.
        source: the fee document.
    """

    code: FeeItemCode
    amount_fen: int
    explanation: str
    source: str

    @property
    def label(self) -> str:
        """The item's Chinese name."""
        return ITEM_LABELS[self.code]


def fee_items(case: Case, catalog: Catalog, tax_settings: TaxSettings) -> list[FeeItem]:
    """The fee items due for a case: each registration-fee line of the estimate, 工本费 split out.

    The estimator adds ``extra_certificate`` × extra certificates to the first line; that part is the
    certificate fee (2559号: 10 yuan per certificate from the second).

    Returns:
        The items; empty when the business type is free (变更, 注销, 预告 …) or has no fee rule.
    """
    try:
        result = estimate(case, tax_settings, catalog_fee=catalog.fee_for(case))
    except FormsError:
        return []  # no fee rule for this type or date: nothing to collect by the rules
    region = Region(tax_settings.province, tax_settings.city)
    per_certificate = default_rulebook().find("registration_fee.standard", result.rule_date, region)
    items: list[FeeItem] = []
    for line in result.lines_of(TaxKind.REGISTRATION_FEE):
        extra = case.certificates.extra_count
        certificate = Decimal("0")
        if per_certificate is not None and extra and "certificates.extra_count" in line.depends_on:
            certificate = per_certificate.decimal("extra_certificate") * extra * line.rate
        registration = line.amount - certificate
        items.append(FeeItem(FeeItemCode.REGISTRATION, to_fen(registration), line.explanation, line.source))
        if certificate:
            items.append(
                FeeItem(
                    FeeItemCode.CERTIFICATE,
                    to_fen(certificate),
                    f"加发证书 {extra} 本的工本费",
                    per_certificate.source if per_certificate is not None else line.source,
                )
            )
    return [i for i in items if i.amount_fen > 0] or items[:1]


def office_tax_settings(file: Path | None) -> TaxSettings:
    """The office's tax settings (``tax_settings_file``), or the defaults."""
    return load_tax_settings(file) if file else TaxSettings()


@dataclass(frozen=True)
class FeeEntry:
    """A payment as the clerk enters it.

    Attributes:
        case_id: the case.
        items: the items collected.
        amount_fen: the amount (for 免收, the amount waived).
        method: how it was paid.
        reference: the trace number (交易流水号) of a card, QR or bank payment.
        bill_no: the fee bill (票据) number.
        waiver_reason: why the fee is waived (免收 only).
    """

    case_id: uuid.UUID
    items: tuple[FeeItemCode, ...]
    amount_fen: int
    method: FeeMethod
    reference: str = ""
    bill_no: str = ""
    waiver_reason: str = ""


def check_entry(entry: FeeEntry) -> FeeEntry:
    """Check a payment before it is stored; returns it with its texts trimmed.

    Raises:
        InvalidUserData: a field is missing or wrong; the message names it and says how to fix it.
    """
    reference = entry.reference.strip()
    bill_no = entry.bill_no.strip()
    reason = entry.waiver_reason.strip()
    if not entry.items:
        raise InvalidUserData("“收费项目”为空：请至少勾选一个收费项目。")
    if entry.amount_fen <= 0:
        raise InvalidUserData("“金额”必须大于 0：本案件无应收费用时无需收费登记。")
    if entry.method in TRACED_METHODS and not reference:
        raise InvalidUserData(
            f"“交易流水号”不能为空：{METHOD_LABELS[entry.method]}收款请填写 POS 小票或收款码上的流水号。"
        )
    if entry.method is not FeeMethod.WAIVED and not bill_no:
        raise InvalidUserData("“票据号码”不能为空：请填写开具给申请人的收费票据号码。")
    if entry.method is FeeMethod.WAIVED and not reason:
        raise InvalidUserData("“免收理由”不能为空：请写明免收的依据（如小微企业、保障性住房）。")
    if len(reference) > 60 or len(bill_no) > 40:
        raise InvalidUserData("“交易流水号”最长 60 个字符、“票据号码”最长 40 个字符，请核对后重新输入。")
    return FeeEntry(
        case_id=entry.case_id,
        items=tuple(dict.fromkeys(entry.items)),
        amount_fen=entry.amount_fen,
        method=entry.method,
        reference=reference,
        bill_no=bill_no,
        waiver_reason=reason,
    )


@dataclass(frozen=True)
class FeePayment:
    """A stored payment, as read back.

    Attributes:
        id: its id.
        case_id: the case.
        case_number: the case's number.
        amount_fen: the amount in fen.
        method: the method.
        items: the items.
        reference: the trace number.
        bill_no: the bill number.
        user_id: who recorded it (for 免收, the approving supervisor).
        user_name: their display name.
        at: when.
        voided_at: when it was voided (``None``: valid).
        voided_by: who voided it.
        voided_by_name: their display name.
    """

    id: int
    case_id: uuid.UUID
    case_number: str
    amount_fen: int
    method: FeeMethod
    items: tuple[str, ...]
    reference: str
    bill_no: str
    user_id: int | None
    user_name: str
    at: datetime
    voided_at: datetime | None = None
    voided_by: int | None = None
    voided_by_name: str = ""

    @property
    def valid(self) -> bool:
        """Not voided."""
        return self.voided_at is None


def items_text(codes: Sequence[str]) -> str:
    """``registration_fee,certificate_fee`` → ``不动产登记费、证书工本费``."""
    labels = []
    for code in codes:
        try:
            labels.append(ITEM_LABELS[FeeItemCode(code)])
        except ValueError:
            labels.append(code)
    return "、".join(labels)


__all__ = [
    "FEE_STATES",
    "ITEM_LABELS",
    "METHOD_LABELS",
    "TRACED_METHODS",
    "FeeEntry",
    "FeeItem",
    "FeeItemCode",
    "FeeMethod",
    "FeePayment",
    "FeeRefused",
    "check_entry",
    "fee_items",
    "items_text",
    "office_tax_settings",
    "to_fen",
    "yuan_text",
]
