"""Every document for every business type: generated, rendered to PNG, and its text checked."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from forms.case import Case, MaterialRecord, Party, PartyRole
from forms.tax import AssessedLine, Assessment, TaxKind
from printing import (
    DOCUMENTS,
    NoticeItem,
    available_documents,
    render,
    render_receipt,
    render_set,
    render_tax,
)
from printing.errors import DocumentUnavailable, UnknownDocument
from tests.printing.helpers import (
    CASE_NUMBER,
    business_type_ids,
    example_case,
    have_poppler,
    make_ctx,
    pdf_pages,
    pdf_text,
    render_png,
)

pytestmark = pytest.mark.skipif(
    not have_poppler(), reason="poppler-utils (pdftotext, pdftoppm) not installed"
)

NOTICE = (NoticeItem("不动产权证书", "未提交"), NoticeItem("婚姻状况证明", "复印件不清晰", "提交清晰复印件"))
TITLES = {
    "application": "不动产登记申请书",
    "interview": "不动产登记询问笔录",
    "receipt": "受理回执（待上报）",
    "notice": "不动产登记一次性告知书",
    "materials": "不动产登记申请材料清单",
    "tax": "税费计算单（预估）",
    "idcheck": "人证核验记录",
}


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("doc_id", list(DOCUMENTS))
@pytest.mark.parametrize("type_id", business_type_ids())
def test_every_document_renders_with_its_text(type_id: str, doc_id: str, tmp_path: Path) -> None:
    case = example_case(type_id)
    ctx = make_ctx(case, notice_items=NOTICE)
    pdf = render(doc_id, case, ctx)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) <= 120 * 1024, f"{doc_id} is {len(pdf)} bytes"
    text = _flat(pdf_text(pdf))
    assert TITLES[doc_id] in text
    assert ctx.office_name in text
    assert CASE_NUMBER in text
    applicant = (case.right_holders + case.obligors)[0]
    if doc_id == "interview":  # the persons questioned (a bank may send no one)
        applicant = next((p for p in case.parties if case.answers_of(p.id)), applicant)
    if doc_id != "tax":
        assert _flat(applicant.name) in text
    if doc_id in {"application", "interview", "receipt"}:
        assert case.property.unit_number in text
    if doc_id == "notice":
        assert "不动产权证书" in text and "婚姻状况证明" in text
    pages = render_png(pdf, tmp_path)
    assert len(pages) == pdf_pages(pdf) >= 1
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages)


def test_rare_name_characters_survive_pdftotext() -> None:
    from printing.fonts import FALLBACK_B, coverage

    rare_b = chr(min(c for c in coverage(FALLBACK_B.name) if c >= 0x20000))  # only in the fallback font
    case = example_case("second_hand_sale")
    parties = list(case.parties)
    parties[0] = parties[0].model_copy(update={"name": f"张𠮷{rare_b}"})
    parties[-1] = parties[-1].model_copy(update={"name": "刘䶮"})
    case = case.model_copy(update={"parties": parties})
    pdf = render("application", case, make_ctx(case))
    text = pdf_text(pdf)
    assert f"张𠮷{rare_b}" in text
    assert "刘䶮" in text
    assert b"HanaMinB" in pdf  # the fallback font was embedded for the character Noto lacks


def test_receipt_title_until_delivered() -> None:
    case = example_case("second_hand_sale")
    pending = _flat(pdf_text(render_receipt(case, make_ctx(case))))
    assert "受理回执（待上报）" in pending
    assert "本回执不是不动产登记受理凭证" in pending
    delivered = _flat(pdf_text(render_receipt(case, make_ctx(case, delivered=True))))
    assert "待上报" not in delivered
    assert "不动产登记受理凭证" in delivered


def test_receipt_lists_every_received_material_and_the_promise() -> None:
    case = example_case("second_hand_sale")
    text = _flat(pdf_text(render_receipt(case, make_ctx(case))))
    for material in case.materials:
        if material.received:
            assert material.name in text
    assert "2025年11月27日" in text
    assert "0571-12345678" in text


def test_receipt_needs_a_case_number() -> None:
    case = example_case("second_hand_sale").model_copy(update={"case_number": None})
    with pytest.raises(DocumentUnavailable, match="受理编号"):
        render_receipt(case, make_ctx(case))


def test_notice_derives_all_missing_required_materials() -> None:
    case = example_case("second_hand_sale")
    materials = [
        m.model_copy(update={"received": False}) if m.code in {"title_certificate", "applicant_id"} else m
        for m in case.materials
    ]
    case = case.model_copy(update={"materials": materials})
    ctx = make_ctx(case)
    assert "notice" in available_documents(case, ctx)
    text = _flat(pdf_text(render("notice", case, ctx)))
    assert "不动产权证书" in text and "申请人身份证明" in text
    assert "第十七条" in text


def test_notice_unavailable_when_nothing_is_missing() -> None:
    case = example_case("second_hand_sale")
    ctx = make_ctx(case)
    assert "notice" not in available_documents(case, ctx)
    with pytest.raises(DocumentUnavailable):
        render("notice", case, ctx)


def test_tax_sheet_is_marked_estimate_until_assessed() -> None:
    case = example_case("second_hand_sale")
    ctx = make_ctx(case)
    assert "预估" in pdf_text(render_tax(case, ctx))
    assert ctx.tax_estimate is not None
    first = ctx.tax_estimate.lines[0]
    assessment = Assessment(
        lines=[AssessedLine(tax=first.tax, payer=first.payer, amount=first.amount)], amount_due=first.amount
    )
    final = _flat(pdf_text(render_tax(case, dataclasses.replace(ctx, tax_assessment=assessment))))
    assert "税费计算单（预估）" not in final and "以税务机关核定为准" not in final
    assert "核定金额" in final


def test_tax_sheet_shows_assessed_items_the_estimate_lacked_and_the_payment_code() -> None:
    case = example_case("second_hand_sale")
    ctx = make_ctx(case)
    assert ctx.tax_estimate is not None
    first = ctx.tax_estimate.lines[0]
    assessment = Assessment(
        lines=[
            AssessedLine(tax=first.tax, payer=first.payer, amount=first.amount),
            AssessedLine(
                tax=TaxKind.REGISTRATION_FEE,
                payer=PartyRole.OBLIGOR,
                amount=Decimal("123.45"),
                name="核定补充印花税",
            ),
        ],
        amount_due=first.amount + Decimal("123.45"),
        payment_code="JK2026112600017",
        assessed_on=date(2026, 11, 26),
    )
    final = _flat(pdf_text(render_tax(case, dataclasses.replace(ctx, tax_assessment=assessment))))
    assert "核定补充印花税" in final and "123.45" in final and "窗口预估未包含" in final
    assert "缴款码JK2026112600017" in final and "2026年11月26日" in final


def test_interview_has_one_block_and_signature_per_person() -> None:
    case = example_case("second_hand_sale")
    text = _flat(pdf_text(render("interview", case, make_ctx(case))))
    questioned = [p for p in case.parties if case.answers_of(p.id)]
    assert text.count("被询问人（签名）") == len(questioned)
    assert "询问人（签名）" in text and "王晓燕" in text
    for person in questioned:
        assert _flat(person.name) in text


def test_interview_without_answers_gives_blank_form_for_applicants() -> None:
    case = Case(
        case_number=CASE_NUMBER,
        business_type="second_hand_sale",
        parties=[
            Party(id="a", role=PartyRole.RIGHT_HOLDER, name="买方甲"),
            Party(id="b", role=PartyRole.OBLIGOR, name="卖方乙"),
        ],
        materials=[MaterialRecord(code="application_form", name="不动产登记申请书", received=True)],
    )
    text = _flat(pdf_text(render("interview", case, make_ctx(case))))
    assert "买方甲" in text and "卖方乙" in text
    assert text.count("被询问人（签名）") == 2


def test_set_is_one_pdf_numbering_each_document() -> None:
    case = example_case("second_hand_sale")
    ctx = make_ctx(case)
    ids = available_documents(case, ctx)
    pdf = render_set(case, ctx)
    singles = sum(pdf_pages(render(i, case, ctx)) for i in ids)
    assert pdf_pages(pdf) == singles
    text = _flat(pdf_text(pdf))
    for doc_id in ids:
        assert TITLES[doc_id] in text
    assert text.count("第1页／共") == len(ids)


def test_unknown_and_empty_document_requests() -> None:
    case = example_case("second_hand_sale")
    with pytest.raises(UnknownDocument, match="application"):
        render("certificate", case, make_ctx(case))
    with pytest.raises(DocumentUnavailable):
        render_set(case, make_ctx(case), docs=[])


def test_idcheck_prints_override_reason() -> None:
    case = example_case("second_hand_sale")
    ctx = make_ctx(case)
    record = dataclasses.replace(
        ctx.identity_checks[0], decision="人工核验通过", override_reason="证件照片较旧", supervisor="陈主任"
    )
    text = _flat(pdf_text(render("idcheck", case, dataclasses.replace(ctx, identity_checks=(record,)))))
    assert "证件照片较旧" in text and "陈主任" in text
    with pytest.raises(DocumentUnavailable):
        render("idcheck", case, dataclasses.replace(ctx, identity_checks=()))


def test_money_on_the_application_is_in_wan_yuan() -> None:
    case = example_case("second_hand_sale")
    assert case.transaction.price == Decimal("2350000.00")
    assert "235万元" in _flat(pdf_text(render("application", case, make_ctx(case))))


def test_same_input_gives_the_same_pdf() -> None:
    case = example_case("second_hand_sale")
    assert render("receipt", case, make_ctx(case)) == render("receipt", case, make_ctx(case))
