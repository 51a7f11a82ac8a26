"""Every document the window hands over, generated from the case (never retyped).

Each ``render_<doc>(case, ctx) -> bytes`` returns one A4 PDF. :data:`DOCUMENTS` lists them by id;
:func:`render_set` lays several into **one** PDF (each document starts on a new page and numbers its
own pages), which is what "print the whole set in one action" sends to the printer.

Contents follow forms.md (the product owner's domain reference): §1 the 不动产登记申请书 fields, §3 the
询问笔录 (one block per person questioned, signatures of the person questioned and the questioner),
§4 the 一次性告知书 (条例 Art 17 [P]: a refusal lists **all** missing or defective items at once),
§5 the 受理凭证 contents [M]. Layouts vary by province (forms.md Q3); this is the national core.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from forms.case import Case, CoOwnership, MaterialRecord, Party, PartyKind, PartyRole
from forms.catalog import case_conditions
from forms.messages import label
from forms.tax.result import PAYER_LABELS, TaxKind, TaxLine
from printing.context import NoticeItem, PrintContext
from printing.errors import DocumentUnavailable, UnknownDocument
from printing.layout import (
    BLANK,
    BODY_TEXT,
    CONTENT_WIDTH,
    LINE,
    NOTE_BOX,
    OFFICE,
    PLAIN,
    SECTION,
    SMALL,
    SUBTITLE,
    TITLE,
    FormRow,
    Heading,
    PageInfo,
    Part,
    SealArea,
    build_pdf,
    check,
    cn_date,
    form_table,
    grid_table,
    or_blank,
    para,
    qr_code,
    signature_lines,
    spacer,
    two_sided,
)
from printing.receipt_code import qr_payload, receipt_code

# 登记类型 boxes of the 申请书 (forms.md §1).
REGISTRATION_TYPES: Final = ("首次", "转移", "变更", "注销", "更正", "异议", "预告", "查封", "其他")

RECEIPT_TITLE: Final = "不动产登记受理凭证"
PENDING_RECEIPT_TITLE: Final = "受理回执（待上报）"


# ------------------------------------------------------------------------------------ helpers
def _wan(value: Decimal | None) -> str:
    """Yuan as 万元, the unit of the 申请书 (forms.md §1)."""
    if value is None:
        return BLANK
    text = format((value / Decimal(10000)).normalize(), "f")
    return f"{text} 万元"


def _yuan(value: Decimal | None) -> str:
    return BLANK if value is None else f"{value:,.2f}"


def _names(parties: Sequence[Party]) -> str:
    return "、".join(p.name or BLANK for p in parties) or BLANK


def _role_label(case: Case, ctx: PrintContext, party: Party) -> str:
    """``权利人／买受人`` — the case role and, where the catalog has one, the business role."""
    spec = ctx.business_type.role_of(case, party.id)
    base = label(party.role)
    return f"{base}／{spec.label}" if spec is not None and spec.label != base else base


def _agents_of(case: Case, party: Party) -> list[Party]:
    return [p for p in case.representatives_of(party.id) if p.role in (PartyRole.AGENT, PartyRole.GUARDIAN)]


def _co_ownership(party: Party) -> str:
    if party.co_ownership is None:
        return BLANK
    text = label(party.co_ownership)
    if party.co_ownership is CoOwnership.SHARES and party.share is not None:
        text += f"，份额 {format(party.share.normalize(), 'f')}%"
    return text


def _material_form(m: MaterialRecord) -> str:
    return "原件" if m.original else "复印件"


def _header(ctx: PrintContext, title: str, subtitle: str = "") -> list[Flowable]:
    story: list[Flowable] = [para(ctx.office_name, OFFICE), para(title, TITLE)]
    if subtitle:
        story.append(para(subtitle, SUBTITLE))
    return story


def _case_number(case: Case) -> str:
    return case.case_number or ""


def _info(key: str, title: str, case: Case, ctx: PrintContext) -> PageInfo:
    footer = "　".join(x for x in (ctx.office_code, ctx.window_id) if x)
    number = f"受理编号：{case.case_number}" if case.case_number else "受理编号：（未编号）"
    return PageInfo(key=key, title=title, office_name=ctx.office_name, footer_left=footer, case_number=number)


def _meta_line(case: Case, ctx: PrintContext) -> Flowable:
    return two_sided(f"受理编号：{case.case_number or '（未编号）'}", f"业务类型：{ctx.business_type.name}")


def _registration_names(ctx: PrintContext) -> str:
    return "、".join(r.name for r in ctx.business_type.registrations)


# ------------------------------------------------------------------------------------ 申请书
def _application(case: Case, ctx: PrintContext) -> list[Flowable]:
    bt = ctx.business_type
    reg_names = [r.name for r in bt.registrations]
    ticked = [t for t in REGISTRATION_TYPES if any(n.startswith(t) for n in reg_names)] or ["其他"]
    right_types = [r.right_type for r in bt.registrations if r.right_type]
    right_type = "、".join(dict.fromkeys([case.property.right_type, *right_types]))
    rows: list[FormRow] = [
        ((("收件编号", or_blank(case.case_number)), ("收件日期", cn_date(ctx.acceptance_date)))),
        ((("收件人", or_blank(ctx.clerk_name)), ("单位", "面积：■平方米 □公顷 □亩；金额：■万元"))),
        Heading("申请登记事由"),
        (("登记类型", check(REGISTRATION_TYPES, ticked)),),
        (("业务类型", bt.name), ("权利类型", right_type)),
        Heading("申请人情况"),
    ]
    applicants = case.right_holders + case.obligors
    if not applicants:
        rows.append((("申请人", BLANK),))
    for party in applicants:
        agents = _agents_of(case, party)
        agent = agents[0] if agents else None
        rows.append(Heading(f"{_role_label(case, ctx, party)}：{party.name or BLANK}"))
        rows.append((("姓名/名称", or_blank(party.name)), ("身份证件种类", label(party.id_type))))
        rows.append((("证件号", or_blank(party.id_number)), ("联系电话", or_blank(party.phone))))
        rows.append((("通讯地址", or_blank(party.address)), ("邮编", or_blank(party.postcode))))
        if party.kind is PartyKind.ORGANISATION:
            rows.append((("法定代表人/负责人", or_blank(party.legal_representative)),))
        if agent is not None:
            agent_label = "监护人" if agent.role is PartyRole.GUARDIAN else "代理人"
            rows.append(
                ((f"{agent_label}姓名", or_blank(agent.name)), (f"{agent_label}电话", or_blank(agent.phone)))
            )
            rows.append((("代理机构名称", or_blank(agent.agency_name)),))
        if party.role is PartyRole.RIGHT_HOLDER:
            rows.append((("共有方式", _co_ownership(party)),))
    prop = case.property
    area = f"{format(prop.area.normalize(), 'f')} ㎡" if prop.area is not None else BLANK
    rows += [
        Heading("不动产情况"),
        (("坐落", or_blank(prop.location)),),
        (("不动产单元号", or_blank(prop.unit_number)), ("不动产类型", label(prop.property_type))),
        (("面积", area), ("用途", label(prop.use))),
        (("原不动产权证书号", or_blank(prop.certificate_number)),),
    ]
    if case.transaction.price is not None:
        rows.append(
            (
                ("交易价格", _wan(case.transaction.price)),
                ("合同备案号", or_blank(case.transaction.contract_filing_number)),
            )
        )
    if case.mortgage is not None:
        m = case.mortgage
        term = f"{cn_date(m.debt_start)} 起至 {cn_date(m.debt_end)} 止"
        rows += [
            Heading("抵押情况"),
            (("抵押方式", label(m.kind)), ("被担保主债权数额（最高债权额）", _wan(m.secured_amount))),
            (("债务履行期限（债权确定期间）", term),),
        ]
    proofs = [m for m in case.materials if m.received]
    proof_text = "\n".join(
        f"{i}. {m.name or m.code}（{_material_form(m)}{m.copies}份）" for i, m in enumerate(proofs, 1)
    )
    certs = case.certificates
    rows += [
        Heading("登记原因及证明"),
        (("登记原因", case.registration_reason or bt.name),),
        (("证明材料", proof_text or BLANK),),
        (
            ("申请证书版式", check(("单一版", "集成版"), [label(certs.format)])),
            ("申请分别持证", check(("是", "否"), ["是" if certs.separate else "否"])),
        ),
        (("备注", case.remarks or BLANK),),
    ]
    story = [*_header(ctx, "不动产登记申请书"), form_table(rows), spacer(3)]
    story.append(
        para(
            "本申请人对填写的上述内容及提交的申请材料的真实性负责。如有不实，申请人愿承担法律责任。",
            BODY_TEXT,
        )
    )
    story.append(
        KeepTogether(
            [
                signature_lines(("权利人（签章）", "义务人（签章）", "代理人（签章）", "代理人（签章）")),
            ]
        )
    )
    return story


# ------------------------------------------------------------------------------------ 询问笔录
def _questioned(case: Case) -> tuple[list[Party], bool]:
    """The persons questioned, and whether their answers were recorded (else: blank form)."""
    answered = [p for p in case.parties if case.answers_of(p.id)]
    if answered:
        return answered, True
    return case.right_holders + case.obligors, False


def _interview(case: Case, ctx: PrintContext) -> list[Flowable]:
    bt = ctx.business_type
    conditions = case_conditions(bt, case)
    questions = [q for q in bt.questions if q.when in conditions]
    story = [*_header(ctx, "不动产登记询问笔录")]
    story.append(
        form_table(
            [
                (("受理编号", or_blank(case.case_number)), ("业务类型", bt.name)),
                (("不动产坐落", or_blank(case.property.location)),),
                (
                    ("不动产单元号", or_blank(case.property.unit_number)),
                    ("询问时间", cn_date(ctx.acceptance_date)),
                ),
                (("询问地点", f"{ctx.office_name}{ctx.window_id}"), ("询问人", or_blank(ctx.clerk_name))),
            ]
        )
    )
    story.append(spacer(3))
    story.append(
        para(
            "询问人告知：登记机构依法就申请登记的有关事项进行询问，被询问人应当如实回答，"
            "并对回答内容的真实性负责；提供虚假材料或作虚假陈述的，依法承担法律责任。",
            BODY_TEXT,
        )
    )
    persons, recorded = _questioned(case)
    for n, person in enumerate(persons, 1):
        answers = case.answers_of(person.id)
        who = _role_label(case, ctx, person)
        if person.represents:
            whom = _names([p for pid in person.represents if (p := case.party(pid)) is not None])
            who += f"，代理/监护：{whom}"
        block: list[Flowable] = [
            spacer(2),
            form_table(
                [
                    Heading(f"被询问人{n}：{person.name or BLANK}"),
                    (("身份", who), ("证件号", f"{label(person.id_type)} {person.id_number}".strip())),
                ]
            ),
        ]
        rows: list[list[Flowable]] = []
        for i, q in enumerate(questions, 1):
            answer = answers.get(q.id, "")
            if not answer:
                answer = LINE * 3 if not recorded else "（未回答）"
            rows.append([para(f"问{i}：", PLAIN), para(q.text, PLAIN)])
            rows.append([para("答：", PLAIN), para(answer, PLAIN)])
        qa = Table(
            rows,
            colWidths=[14 * mm, CONTENT_WIDTH - 14 * mm],
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            ),
        )
        block.append(qa)
        block.append(signature_lines(("被询问人（签名）",)))
        if len(questions) <= 8:
            story.append(KeepTogether(block))
        else:
            story += block
    story.append(spacer(4))
    story.append(para("以上笔录经被询问人阅读（或向其宣读），确认无误。", BODY_TEXT))
    story.append(signature_lines(("询问人（签名）",), names=[ctx.clerk_name]))
    return story


# ------------------------------------------------------------------------------------ 受理凭证
def _receipt(case: Case, ctx: PrintContext) -> list[Flowable]:
    if not case.case_number:
        raise DocumentUnavailable(
            "案件还没有受理编号，不能出具受理凭证。请先保存案件并生成受理编号后再打印。"
        )
    bt = ctx.business_type
    title = RECEIPT_TITLE if ctx.delivered else PENDING_RECEIPT_TITLE
    story = _header(ctx, title)
    if not ctx.delivered:
        story.append(
            para(
                "本回执仅证明窗口已收取下列申请材料。案件尚未上报登记系统，本回执不是不动产登记受理凭证，"
                "也不证明已办理登记；上报成功后，登记机构出具正式受理凭证。",
                NOTE_BOX,
            )
        )
        story.append(spacer(2))
    agents = case.parties_in(PartyRole.AGENT) + case.parties_in(PartyRole.GUARDIAN)
    rows: list[FormRow] = [
        (("受理编号", case.case_number), ("受理日期", cn_date(ctx.acceptance_date))),
        (("业务类型", bt.name), ("登记类型", _registration_names(ctx))),
        (("权利人", _names(case.right_holders)), ("义务人", _names(case.obligors))),
    ]
    if agents:
        rows.append((("代理人", _names(agents)),))
    rows += [
        (("坐落", or_blank(case.property.location)),),
        (("不动产单元号", or_blank(case.property.unit_number)),),
    ]
    story.append(form_table(rows))
    story.append(spacer(3))
    story.append(para("收取的申请材料", SECTION))
    story.append(spacer(1))
    received = [m for m in case.materials if m.received]
    story.append(
        grid_table(
            ("序号", "材料名称", "原件/复印件", "份数", "页数"),
            [
                (
                    str(i),
                    m.name or m.code,
                    _material_form(m),
                    str(m.copies),
                    str(m.pages) if m.pages else BLANK,
                )
                for i, m in enumerate(received, 1)
            ]
            or [("", "（未收取材料）", "", "", "")],
            (0.08, 0.52, 0.16, 0.12, 0.12),
            align=("C", "L", "C", "C", "C"),
        )
    )
    shared = [m for m in case.materials if m.via_data_sharing and not m.received]
    if shared:
        story.append(spacer(1.5))
        story.append(
            para(
                "以下材料由登记机构通过信息共享获取，申请人无需提交："
                + "、".join(m.name or m.code for m in shared)
                + "。",
                SMALL,
            )
        )
    story.append(spacer(3))
    promised = cn_date(ctx.promised_completion) if ctx.promised_completion else "以登记机构通知为准"
    code = receipt_code(case.case_number, ctx.receipt_key)
    info = [
        para(f"承诺办结日期：{promised}（自受理之日起 {bt.promised_days} 个工作日）", PLAIN),
        para(f"查询电话：{or_blank(ctx.enquiry_phone)}", PLAIN),
        para(f"受理人：{or_blank(ctx.clerk_name)}", PLAIN),
        para(f"校验码：{code}", PLAIN),
        para("扫描右侧二维码，或凭受理编号和校验码向登记机构核验本凭证真伪。", SMALL),
    ]
    side = Table(
        [[info, qr_code(qr_payload(case.case_number, code))]],
        colWidths=[CONTENT_WIDTH - 34 * mm, 34 * mm],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
    )
    story.append(KeepTogether([side, spacer(2), SealArea(ctx.seal_wording, ctx.acceptance_date)]))
    return story


# ------------------------------------------------------------------------------------ 一次性告知书
def notice_items(case: Case, ctx: PrintContext) -> list[NoticeItem]:
    """The missing or defective materials the 一次性告知书 lists.

    ``ctx.notice_items`` when given (the clerk's findings, defects included); else every material of
    the case's checklist that is required, not received and not obtainable by data sharing
    (规范 1.1.2: nothing obtainable by sharing may be demanded).
    """
    if ctx.notice_items is not None:
        return list(ctx.notice_items)
    return [
        NoticeItem(material=m.name or m.code, problem="未提交")
        for m in checklist(case, ctx)
        if m.required and not m.received and not m.via_data_sharing
    ]


def _notice(case: Case, ctx: PrintContext) -> list[Flowable]:
    items = notice_items(case, ctx)
    if not items:
        raise DocumentUnavailable("申请材料齐全，没有需要一次性告知的缺件或问题材料，无需打印一次性告知书。")
    bt = ctx.business_type
    story = _header(ctx, "不动产登记一次性告知书")
    story.append(_meta_line(case, ctx))
    story.append(spacer(3))
    applicants = _names(case.right_holders + case.obligors)
    story.append(para(f"{applicants}：", PLAIN))
    story.append(spacer(1))
    where = case.property.location or case.property.unit_number or BLANK
    if ctx.notice_kind == "refusal":
        decision = "申请材料不齐全或者不符合法定形式，本机构决定不予受理。"
        closing = "请按上述要求备齐全部材料后重新申请。"
    else:
        decision = "申请材料不齐全或者不符合法定形式，需要补正。"
        closing = "请补正上述全部材料后再次提交，补正齐全的，本机构予以受理。"
    story.append(
        para(
            f"你（单位）于{cn_date(ctx.acceptance_date)}申请办理{bt.name}（不动产坐落：{where}）。经审查，"
            f"{decision}根据《不动产登记暂行条例》第十七条的规定，现将需要补正的全部材料一次性告知如下：",
            BODY_TEXT,
        )
    )
    story.append(
        grid_table(
            ("序号", "材料名称", "存在问题", "补正要求"),
            [(str(i), it.material, it.problem, it.remedy or "提交该材料") for i, it in enumerate(items, 1)],
            (0.08, 0.36, 0.24, 0.32),
            align=("C", "L", "L", "L"),
        )
    )
    story.append(spacer(2))
    story.append(para(closing + f"如有疑问，请致电 {or_blank(ctx.enquiry_phone)}。", BODY_TEXT))
    story.append(
        KeepTogether(
            [
                SealArea(ctx.seal_wording, ctx.acceptance_date),
                signature_lines(("经办人", "申请人签收"), names=[ctx.clerk_name]),
            ]
        )
    )
    return story


# ------------------------------------------------------------------------------------ 材料清单
def checklist(case: Case, ctx: PrintContext) -> list[MaterialRecord]:
    """The case's materials checklist as printed: every recorded material, plus applicable ones missing."""
    return ctx.business_type.materials_checklist(case, keep_recorded=True)


def _status(m: MaterialRecord) -> str:
    if m.received:
        return "已收取"
    if m.via_data_sharing:
        return "共享获取"
    return "未收取" if m.required else "未提交（非必交）"


def _materials(case: Case, ctx: PrintContext) -> list[Flowable]:
    items = checklist(case, ctx)
    story = _header(ctx, "不动产登记申请材料清单")
    story.append(
        form_table(
            [
                (("受理编号", or_blank(case.case_number)), ("业务类型", ctx.business_type.name)),
                (("申请人", _names(case.right_holders + case.obligors)),),
                (("不动产坐落", or_blank(case.property.location)),),
            ]
        )
    )
    story.append(spacer(3))
    story.append(
        grid_table(
            ("序号", "材料名称", "必交", "原件/复印件", "份数", "页数", "状态"),
            [
                (
                    str(i),
                    m.name or m.code,
                    "是" if m.required else "否",
                    _material_form(m),
                    str(m.copies) if m.received else BLANK,
                    str(m.pages) if m.received and m.pages else BLANK,
                    _status(m),
                )
                for i, m in enumerate(items, 1)
            ],
            (0.07, 0.37, 0.07, 0.13, 0.08, 0.08, 0.20),
            align=("C", "L", "C", "C", "C", "C", "C"),
        )
    )
    received = sum(1 for m in items if m.received)
    missing = sum(1 for m in items if m.required and not m.received and not m.via_data_sharing)
    shared = sum(1 for m in items if m.via_data_sharing and not m.received)
    story.append(spacer(2))
    story.append(
        para(
            f"共 {len(items)} 项：已收取 {received} 项，共享获取 {shared} 项，必交未收取 {missing} 项。",
            PLAIN,
        )
    )
    story.append(signature_lines(("申请人（签名）", "受理人"), names=["", ctx.clerk_name]))
    return story


# ------------------------------------------------------------------------------------ 税费计算单
def _rate(line: TaxLine) -> str:
    if line.tax is TaxKind.REGISTRATION_FEE:
        return "按件" if line.rate else "免收"
    if line.rate == 0:
        return "免征"
    return f"{format((line.rate * 100).normalize(), 'f')}%"


def _payer(role: PartyRole) -> str:
    return PAYER_LABELS.get(role, label(role))


def _tax(case: Case, ctx: PrintContext) -> list[Flowable]:
    estimate = ctx.tax_estimate
    if estimate is None:
        raise DocumentUnavailable("还没有税费计算结果。请先在“税费”页完成计算，再打印税费计算单。")
    assessment = ctx.tax_assessment
    final = assessment is not None
    title = "税费计算单" if final else "税费计算单（预估）"
    story = _header(ctx, title)
    if not final:
        story.append(para("预估：本计算单按窗口录入的信息估算，实际应缴税费以税务机关核定为准。", NOTE_BOX))
        story.append(spacer(2))
    story.append(
        form_table(
            [
                (("受理编号", or_blank(case.case_number)), ("业务类型", ctx.business_type.name)),
                (("不动产坐落", or_blank(case.property.location)),),
                (
                    ("成交价格（元）", _yuan(case.transaction.price)),
                    ("计税日期", cn_date(estimate.rule_date)),
                ),
            ]
        )
    )
    story.append(spacer(3))
    header = ["税费项目", "缴纳方", "计税依据（元）", "税率", "预估金额（元）"]
    widths = [0.17, 0.25, 0.2, 0.12, 0.26]
    if assessment is not None:
        header.append("核定金额（元）")
        widths = [0.15, 0.22, 0.18, 0.09, 0.18, 0.18]
    rows: list[list[str]] = []
    notes: list[str | None] = []
    for line in estimate.lines:
        row = [line.tax.label, _payer(line.payer), _yuan(line.base), _rate(line), _yuan(line.amount)]
        if assessment is not None:
            row.append(_yuan(assessment.amount_of(line.tax, line.payer)))
        rows.append(row)
        notes.append(f"说明：{line.explanation}（依据：{line.source}）" if line.explanation else None)
    if assessment is not None:
        # Items the bureau assessed that the estimate did not foresee still belong on the sheet.
        estimated = {(line.tax, line.payer) for line in estimate.lines}
        for extra in assessment.lines:
            if (extra.tax, extra.payer) in estimated:
                continue
            estimated.add((extra.tax, extra.payer))
            amount = assessment.amount_of(extra.tax, extra.payer)
            base = _yuan(extra.base) if extra.base is not None else "—"
            rate = f"{format((extra.rate * 100).normalize(), 'f')}%" if extra.rate is not None else "—"
            rows.append([extra.name or extra.tax.label, _payer(extra.payer), base, rate, "—", _yuan(amount)])
            notes.append("说明：税务机关核定的项目，窗口预估未包含。")
    totals = estimate.totals
    for key, name in (
        (PartyRole.RIGHT_HOLDER.value, "权利人合计"),
        (PartyRole.OBLIGOR.value, "义务人合计"),
        ("total", "合计"),
    ):
        row = [name, "", "", "", _yuan(totals.get(key, Decimal("0")))]
        if assessment is not None:
            row.append(_yuan(assessment.amount_due) if key == "total" else "")
        rows.append(row)
        notes.append(None)
    story.append(grid_table(header, rows, widths, align=("L", "L", "R", "C", "R", "R"), notes=notes))
    if assessment is not None:
        story.append(spacer(2))
        parts = [f"应缴金额 {_yuan(assessment.amount_due)} 元"]
        if assessment.assessed_on is not None:
            parts.insert(0, f"核定日期 {cn_date(assessment.assessed_on)}")
        if assessment.payment_code:
            parts.append(f"缴款码 {assessment.payment_code}")
        notice = "税务机关核定：" + "，".join(parts) + "。请凭缴款码缴纳税款，以完税凭证为准。"
        story.append(para(notice, PLAIN))
    if estimate.missing:
        story.append(spacer(2))
        story.append(para("尚待补充的信息（补充后金额可能变化）：", PLAIN))
        story += [para(f"・{m.message}", SMALL) for m in estimate.missing]
    if estimate.notes:
        story.append(spacer(2))
        story += [para(f"注：{n}", SMALL) for n in estimate.notes]
    story.append(signature_lines(("经办人", "申请人（签名）"), names=[ctx.clerk_name]))
    return story


# ------------------------------------------------------------------------------------ 人证核验记录
def _distance(value: float | None) -> str:
    return BLANK if value is None else f"{value:.3f}"


def _idcheck(case: Case, ctx: PrintContext) -> list[Flowable]:
    records = ctx.identity_checks
    if not records:
        raise DocumentUnavailable("本案件还没有人证核验记录。请先完成人证核验，再打印核验记录。")
    story = _header(ctx, "人证核验记录")
    story.append(_meta_line(case, ctx))
    story.append(spacer(3))
    rows: list[list[str]] = []
    notes: list[str | None] = []
    for i, r in enumerate(records, 1):
        party = case.party(r.party_id)
        who = party.name if party is not None else "（当事人已从案件中删除）"
        rows.append(
            [
                str(i),
                who,
                r.document_type,
                r.method,
                f"{_distance(r.distance)}／{_distance(r.threshold)}",
                r.decision,
                r.time.strftime("%Y-%m-%d %H:%M"),
            ]
        )
        notes.append(
            f"人工放行原因：{r.override_reason}；批准人：{or_blank(r.supervisor)}"
            if r.override_reason
            else None
        )
    story.append(
        grid_table(
            ("序号", "被核验人", "证件种类", "核验方式", "比对距离／阈值", "结论", "核验时间"),
            rows,
            (0.06, 0.12, 0.13, 0.22, 0.15, 0.14, 0.18),
            align=("C", "L", "L", "L", "C", "C", "C"),
            notes=notes,
        )
    )
    story.append(spacer(2))
    story.append(para("比对距离不大于阈值时判定为同一人；人工放行须经批准人同意并记录原因。", SMALL))
    story.append(signature_lines(("核验人", "批准人"), names=[ctx.clerk_name]))
    return story


# ------------------------------------------------------------------------------------ registry
StoryBuilder = Callable[[Case, PrintContext], list[Flowable]]


@dataclass(frozen=True)
class DocumentSpec:
    """One printable document.

    Attributes:
        id: the id used by ``yichuang print --doc``.
        title: its Chinese name.
        build: makes its content from the case and the context.
    """

    id: str
    title: str
    build: StoryBuilder

    def page_title(self, ctx: PrintContext) -> str:
        """The title in the page header (the receipt's depends on delivery)."""
        if self.id == "receipt" and not ctx.delivered:
            return PENDING_RECEIPT_TITLE
        if self.id == "tax" and ctx.tax_assessment is None:
            return "税费计算单（预估）"
        return self.title


DOCUMENTS: Final[dict[str, DocumentSpec]] = {
    spec.id: spec
    for spec in (
        DocumentSpec("application", "不动产登记申请书", _application),
        DocumentSpec("interview", "不动产登记询问笔录", _interview),
        DocumentSpec("receipt", RECEIPT_TITLE, _receipt),
        DocumentSpec("notice", "不动产登记一次性告知书", _notice),
        DocumentSpec("materials", "不动产登记申请材料清单", _materials),
        DocumentSpec("tax", "税费计算单", _tax),
        DocumentSpec("idcheck", "人证核验记录", _idcheck),
    )
}
"""Every document by id, in the order of a full set."""


def _spec(doc_id: str) -> DocumentSpec:
    try:
        return DOCUMENTS[doc_id]
    except KeyError:
        known = "、".join(f"{s.id}（{s.title}）" for s in DOCUMENTS.values())
        raise UnknownDocument(f"没有名为“{doc_id}”的文书。可打印的文书有：{known}。") from None


def available_documents(case: Case, ctx: PrintContext) -> list[str]:
    """The ids of the documents that can be made for this case now, in set order.

    The application, interview record and materials list always; the receipt once the case has a
    number; the notice when something is missing; the tax sheet once estimated; the identity check
    record once a check was made.
    """
    ids = ["application", "interview"]
    if case.case_number:
        ids.append("receipt")
    if notice_items(case, ctx):
        ids.append("notice")
    ids.append("materials")
    if ctx.tax_estimate is not None:
        ids.append("tax")
    if ctx.identity_checks:
        ids.append("idcheck")
    return [i for i in DOCUMENTS if i in ids]


def render(doc_id: str, case: Case, ctx: PrintContext) -> bytes:
    """One document as a PDF.

    Raises:
        UnknownDocument: no such document id.
        DocumentUnavailable: the case lacks what the document needs.
        FontMissing: a bundled font is missing.
    """
    return render_set(case, ctx, docs=[doc_id])


def render_set(case: Case, ctx: PrintContext, docs: Sequence[str] | None = None) -> bytes:
    """Several documents in **one** PDF, each starting on a new page with its own page numbers.

    Args:
        case: the case.
        ctx: the print context.
        docs: document ids (``"all"`` or ``None``: every available document, see
            :func:`available_documents`).

    Returns:
        The PDF bytes.

    Raises:
        UnknownDocument: an id is not in :data:`DOCUMENTS`.
        DocumentUnavailable: a requested document cannot be made for this case.
    """
    ids = available_documents(case, ctx) if docs is None or list(docs) == ["all"] else list(docs)
    specs = [_spec(i) for i in ids]
    if not specs:
        raise DocumentUnavailable("没有选择要打印的文书。请至少选择一种文书。")
    parts = [Part(info=_info(s.id, s.page_title(ctx), case, ctx), story=s.build(case, ctx)) for s in specs]
    title = "、".join(s.page_title(ctx) for s in specs)
    return build_pdf(parts, title=title, author=ctx.office_name)


def render_application(case: Case, ctx: PrintContext) -> bytes:
    """不动产登记申请书 (forms.md §1)."""
    return render("application", case, ctx)


def render_interview(case: Case, ctx: PrintContext) -> bytes:
    """不动产登记询问笔录 (forms.md §3)."""
    return render("interview", case, ctx)


def render_receipt(case: Case, ctx: PrintContext) -> bytes:
    """受理凭证, or 受理回执（待上报） until the case is delivered (forms.md §5)."""
    return render("receipt", case, ctx)


def render_notice(case: Case, ctx: PrintContext) -> bytes:
    """一次性告知书 listing every missing or defective material (条例 Art 17)."""
    return render("notice", case, ctx)


def render_materials(case: Case, ctx: PrintContext) -> bytes:
    """申请材料清单."""
    return render("materials", case, ctx)


def render_tax(case: Case, ctx: PrintContext) -> bytes:
    """税费计算单, marked 预估 until the tax bureau's assessment arrives."""
    return render("tax", case, ctx)


def render_idcheck(case: Case, ctx: PrintContext) -> bytes:
    """人证核验记录."""
    return render("idcheck", case, ctx)
