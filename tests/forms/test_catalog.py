from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from forms.case import (
    Case,
    CoOwnership,
    ExistingMortgage,
    MaterialRecord,
    Mortgage,
    Party,
    PartyKind,
    PartyRole,
    PropertyUse,
)
from forms.catalog import DEFAULT_CATALOG_FILE, Catalog, case_conditions, load_catalog
from forms.errors import CatalogError, Issue

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

REQUIRED_TYPES = [
    "second_hand_sale",
    "new_home_transfer",
    "mortgage_first",
    "mortgage_release",
    "inheritance",
    "gift",
    "change_registration",
    "pre_registration",
    "transfer_with_mortgage",
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def example(name: str) -> Case:
    return Case.model_validate_json((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def codes(issues: list[Issue]) -> list[str]:
    return [i.code for i in issues]


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == "error"]


def line_of(text: str, marker: str) -> int:
    """1-based line of the first line containing marker."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if marker in line)


# ------------------------------------------------------------------------------------ default catalog
@pytest.mark.parametrize("type_id", REQUIRED_TYPES)
def test_each_required_type_loads(catalog: Catalog, type_id: str) -> None:
    bt = catalog.get(type_id)
    assert bt.id == type_id
    assert any("\u4e00" <= ch <= "\u9fff" for ch in bt.name)
    assert bt.name_en.isascii()
    assert bt.roles and all(r.label and r.min_count <= r.max_count for r in bt.roles)
    assert set(bt.departments) <= {"transaction", "tax", "registration"} and "registration" in bt.departments
    assert 1 <= bt.promised_days <= catalog.statutory_max_days == 30
    assert bt.registration.djlx.isdigit() and not bt.registration.djlx_verified
    assert bt.source and bt.fee.source and bt.promised_days_source
    assert all(m.source for m in bt.materials)
    assert [q.id for q in bt.questions][:1] == ["true_intent"]


def test_types_keep_file_order(catalog: Catalog) -> None:
    assert [bt.id for bt in catalog.types] == [
        *REQUIRED_TYPES[:6],
        "exchange",
        *REQUIRED_TYPES[6:],
        "first_registration",
    ]


@pytest.mark.parametrize(
    ("type_id", "departments"),
    [
        ("second_hand_sale", ("transaction", "tax", "registration")),
        ("transfer_with_mortgage", ("transaction", "tax", "registration")),
        ("mortgage_first", ("registration",)),
        ("mortgage_release", ("registration",)),
        ("inheritance", ("tax", "registration")),
        ("gift", ("tax", "registration")),
        ("change_registration", ("registration",)),
    ],
)
def test_departments(catalog: Catalog, type_id: str, departments: tuple[str, ...]) -> None:
    assert catalog.get(type_id).departments == departments


def test_roles_labels_and_joint_application(catalog: Catalog) -> None:
    sale = catalog.get("second_hand_sale")
    assert [(r.label, r.party_role) for r in sale.roles] == [
        ("买受人", PartyRole.RIGHT_HOLDER),
        ("出卖人", PartyRole.OBLIGOR),
    ]
    assert sale.joint_application and "Art 14" in sale.joint_application_source
    mortgage = catalog.get("mortgage_first")
    assert {r.label for r in mortgage.roles} == {"抵押权人", "抵押人"}
    assert catalog.get("gift").role("donor").label == "赠与人"
    assert catalog.get("inheritance").roles[0].label.startswith("继承人")
    assert not catalog.get("inheritance").joint_application
    assert not catalog.get("change_registration").joint_application
    combined = catalog.get("transfer_with_mortgage")
    assert [r.type for r in combined.registrations] == ["transfer", "first"]
    assert combined.registrations[1].right_type == "抵押权"
    assert combined.role("mortgagee").kind is PartyKind.ORGANISATION
    with pytest.raises(CatalogError, match="没有角色"):
        sale.role("mortgagee")


def test_fees(catalog: Catalog) -> None:
    sale = catalog.get("second_hand_sale").fee
    assert sale.payer == "right_holder" and "2559" in sale.source
    assert sale.amount(PropertyUse.RESIDENTIAL) == Decimal("80")
    assert sale.amount(PropertyUse.COMMERCIAL) == Decimal("550")
    assert sale.amount(PropertyUse.RESIDENTIAL, extra_certificates=2) == Decimal("100")
    assert sale.amount(PropertyUse.GARAGE_PARKING, has_own_certificate=True) == Decimal("80")
    assert sale.amount(PropertyUse.GARAGE_PARKING, has_own_certificate=False) == Decimal("0")
    assert catalog.get("mortgage_first").fee.payer == "mortgagee"
    for free_type in ("change_registration", "mortgage_release", "pre_registration"):
        fee = catalog.get(free_type).fee
        assert fee.free and fee.amount(PropertyUse.OFFICE, extra_certificates=3) == 0
        assert "45号" in fee.source or "2559" in fee.source


def test_materials_marked_for_data_sharing(catalog: Catalog) -> None:
    sale = {m.code: m for m in catalog.get("second_hand_sale").materials}
    assert sale["tax_records"].data_sharing and sale["sale_contract"].data_sharing
    assert not sale["title_certificate"].data_sharing and sale["title_certificate"].original
    assert sale["power_of_attorney"].when == "agent"
    assert not sale["marriage_proof"].required


def test_unknown_type_is_a_chinese_error(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="未知的业务类型“lease”") as info:
        catalog.get("lease")
    assert "存量房买卖转移登记" in str(info.value)
    assert "lease" not in catalog and "gift" in catalog


# ------------------------------------------------------------------------------------ questions
def test_questions_resolve_when(catalog: Catalog) -> None:
    sale = example("second_hand_sale")  # two buyers, 共同共有
    asked = [q.id for q in catalog.questions_for(sale)]
    assert asked == ["true_intent", "co_owned", "co_ownership_kind", "other_matters"]

    sole = sale.model_copy(update={"parties": [sale.parties[0].model_copy(update={"co_ownership": None})]})
    sole = sole.model_copy(update={"parties": [*sole.parties, sale.parties[2]]})
    assert "co_ownership_kind" not in [q.id for q in catalog.questions_for(sole)]

    shares = [
        p.model_copy(update={"co_ownership": CoOwnership.SHARES, "share": Decimal("50")})
        if p.role is PartyRole.RIGHT_HOLDER
        else p
        for p in sale.parties
    ]
    asked = [q.id for q in catalog.questions_for(sale.model_copy(update={"parties": shares}))]
    assert "shares" in asked and "co_owners_agree" not in asked

    seller_share = [
        p.model_copy(update={"co_ownership": CoOwnership.SHARES}) if p.role is PartyRole.OBLIGOR else p
        for p in sale.parties
    ]
    assert "co_owners_agree" in [
        q.id for q in catalog.questions_for(sale.model_copy(update={"parties": seller_share}))
    ]


def test_combined_type_gets_mortgage_questions(catalog: Catalog) -> None:
    combined = example("transfer_with_mortgage")
    asked = [q.id for q in catalog.questions_for(combined)]
    assert "mortgage_kind" in asked and "shares" in asked
    assert "mortgage_kind" not in [q.id for q in catalog.questions_for(example("second_hand_sale"))]
    mortgage_q = next(q for q in catalog.questions_for(combined) if q.id == "mortgage_kind")
    assert mortgage_q.kind == "choice" and mortgage_q.choices == ("一般抵押", "最高额抵押")


def test_conditions(catalog: Catalog) -> None:
    combined = example("transfer_with_mortgage")
    bt = catalog.get("transfer_with_mortgage")
    assert case_conditions(bt, combined) >= {"co_owned", "shares", "mortgage", "agent", "organisation"}
    assert "carried_mortgage" in case_conditions(bt, combined)
    assert "objection" not in case_conditions(bt, combined)


def test_bank_is_mortgagee_even_after_a_company_buyer(catalog: Catalog) -> None:
    bt = catalog.get("transfer_with_mortgage")
    company = Party(id="co", role=PartyRole.RIGHT_HOLDER, kind=PartyKind.ORGANISATION, name="甲公司")
    bank = Party(id="bank", role=PartyRole.RIGHT_HOLDER, kind=PartyKind.ORGANISATION, name="乙银行")
    seller = Party(id="s", role=PartyRole.OBLIGOR, name="丙")
    case = Case(business_type=bt.id, parties=[company, seller, bank])
    assignment = bt.assign_roles(case)
    assert assignment.by_role == {"buyer": (0,), "seller": (1,), "mortgagee": (2,)}
    assert bt.role_of(case, "bank") == bt.role("mortgagee")
    assert [p.id for p in bt.title_holders(case)] == ["co"]


# ------------------------------------------------------------------------------------ materials checklist
def test_fresh_checklist(catalog: Catalog) -> None:
    records = catalog.materials_checklist(catalog.get("second_hand_sale"))
    by_code = {r.code: r for r in records}
    assert list(by_code)[:2] == ["application_form", "applicant_id"]
    assert "power_of_attorney" not in by_code and "mortgagee_consent" not in by_code
    assert by_code["tax_records"].via_data_sharing and not by_code["tax_records"].required
    assert by_code["title_certificate"].required and not by_code["title_certificate"].received
    assert by_code["title_certificate"].name == "不动产权证书"
    assert not by_code["marriage_proof"].required


def test_refreshed_checklist_keeps_what_was_recorded(catalog: Catalog) -> None:
    case = example("mortgage_first")
    extra = MaterialRecord(code="local_form", name="本地补充表", required=False, received=True)
    case = case.model_copy(update={"materials": [*case.materials, extra]})
    records = catalog.materials_checklist(catalog.get("mortgage_first"), case)
    by_code = {r.code: r for r in records}
    assert by_code["power_of_attorney"].received  # agent present → included, kept as recorded
    assert records[-1].code == "local_form"


def test_a_received_material_that_no_longer_applies_is_kept_only_for_the_receipt(catalog: Catalog) -> None:
    case = example("mortgage_first")
    bt = catalog.get("mortgage_first")
    no_agent = case.model_copy(update={"parties": [p for p in case.parties if p.role != PartyRole.AGENT]})
    assert next(m for m in no_agent.materials if m.code == "power_of_attorney").received
    assert "power_of_attorney" not in {r.code for r in catalog.materials_checklist(bt, no_agent)}
    kept = bt.materials_checklist(no_agent, keep_recorded=True)
    assert "power_of_attorney" in {r.code for r in kept}  # the window did take it in


# ------------------------------------------------------------------------------------ check_case
def test_missing_role(catalog: Catalog) -> None:
    sale = example("second_hand_sale")
    no_seller = sale.model_copy(update={"parties": sale.right_holders})
    issues = catalog.check_case(no_seller)
    missing = [i for i in issues if i.code == "catalog.role_missing"]
    assert len(missing) == 1 and missing[0].path == "parties" and "出卖人" in missing[0].message
    assert missing[0].severity == "error"


def test_role_not_allowed_and_too_many(catalog: Catalog) -> None:
    heirs = example("inheritance")
    stranger = Party(id="x", role=PartyRole.OBLIGOR, name="某")
    issues = catalog.check_case(heirs.model_copy(update={"parties": [*heirs.parties, stranger]}))
    assert [(i.path, i.code) for i in issues] == [
        (f"parties[{len(heirs.parties)}].role", "catalog.role_not_allowed")
    ]
    assert "没有义务人" in issues[0].message

    developer = example("new_home_transfer")
    second = Party(id="d2", role=PartyRole.OBLIGOR, kind=PartyKind.ORGANISATION, name="另一公司")
    issues = catalog.check_case(developer.model_copy(update={"parties": [*developer.parties, second]}))
    assert codes(issues) == ["catalog.role_too_many"] and "最多 1 名" in issues[0].message


def test_joint_application_needs_both_parties_or_agents(catalog: Catalog) -> None:
    sale = example("second_hand_sale")
    absent = [p.model_copy(update={"present": False}) if p.id == "seller1" else p for p in sale.parties]
    issues = catalog.check_case(sale.model_copy(update={"parties": absent}))
    assert codes(issues) == ["catalog.applicant_absent"]
    assert issues[0].path == "parties[2].present" and "出卖人" in issues[0].message
    agent = Party(id="ag", role=PartyRole.AGENT, name="代理人", represents=["seller1"])
    issues = catalog.check_case(sale.model_copy(update={"parties": [*absent, agent]}))
    # Attendance is fine now; the agent brings the power of attorney and their own ID into play.
    assert codes(issues) == ["catalog.material_missing", "catalog.material_missing"]
    assert "授权委托书" in issues[0].message and "代理人身份证明" in issues[1].message


def test_single_application_needs_one_attending_applicant(catalog: Catalog) -> None:
    change = example("change_registration")
    nobody = [p.model_copy(update={"present": False}) for p in change.parties]
    assert codes(catalog.check_case(change.model_copy(update={"parties": nobody}))) == [
        "catalog.applicant_absent"
    ]
    release = example("mortgage_release")  # mortgagor may stay away: the mortgagee applies alone
    away = [
        p.model_copy(update={"present": False}) if p.role is PartyRole.OBLIGOR else p for p in release.parties
    ]
    assert catalog.check_case(release.model_copy(update={"parties": away})) == []


def test_required_material_not_received_names_it(catalog: Catalog) -> None:
    sale = example("second_hand_sale")
    index = next(i for i, m in enumerate(sale.materials) if m.code == "title_certificate")
    materials = list(sale.materials)
    materials[index] = materials[index].model_copy(update={"received": False})
    issues = catalog.check_case(sale.model_copy(update={"materials": materials}))
    assert [(i.path, i.code, i.severity) for i in issues] == [
        (f"materials[{index}].received", "catalog.material_not_received", "error")
    ]
    assert "不动产权证书" in issues[0].message and "已收取" in issues[0].message


def test_required_material_absent_from_list(catalog: Catalog) -> None:
    sale = example("second_hand_sale")
    materials = [m for m in sale.materials if m.code != "sale_contract"]
    issues = catalog.check_case(sale.model_copy(update={"materials": materials}))
    assert codes(issues) == ["catalog.material_missing"]
    assert "网签备案的买卖合同" in issues[0].message and "共享获取" in issues[0].message


def test_shared_material_may_be_fetched_but_not_demanded(catalog: Catalog) -> None:
    sale = example("second_hand_sale")
    index = next(i for i, m in enumerate(sale.materials) if m.code == "tax_records")
    assert sale.materials[index].via_data_sharing and not sale.materials[index].received
    materials = list(sale.materials)
    materials[index] = materials[index].model_copy(update={"required": True, "via_data_sharing": False})
    issues = catalog.check_case(sale.model_copy(update={"materials": materials}))
    by_code = {i.code: i for i in issues}
    assert by_code["catalog.material_demanded_shared"].severity == "warning"
    assert by_code["catalog.material_demanded_shared"].path == f"materials[{index}].required"
    assert by_code["catalog.material_not_received"].severity == "error"  # neither received nor shared


def test_extra_demanded_material_is_a_warning(catalog: Catalog) -> None:
    sale = example("second_hand_sale")
    extra = MaterialRecord(code="income_proof", name="收入证明", required=True, received=True)
    issues = catalog.check_case(sale.model_copy(update={"materials": [*sale.materials, extra]}))
    assert [(i.code, i.severity) for i in issues] == [("catalog.material_not_in_catalog", "warning")]
    assert "收入证明" in issues[0].message


def test_conditional_material_required_when_condition_holds(catalog: Catalog) -> None:
    sale = example("second_hand_sale")
    carried = sale.transaction.model_copy(
        update={"existing_mortgage": ExistingMortgage.TRANSFER_WITH_MORTGAGE}
    )
    issues = catalog.check_case(sale.model_copy(update={"transaction": carried}))
    assert codes(issues) == ["catalog.material_missing"] and "抵押权人同意" in issues[0].message


def test_mortgage_section(catalog: Catalog) -> None:
    mortgage = example("mortgage_first")
    issues = catalog.check_case(mortgage.model_copy(update={"mortgage": None}))
    assert [(i.path, i.code, i.severity) for i in issues] == [
        ("mortgage", "catalog.mortgage_missing", "error")
    ]
    sale = example("second_hand_sale")
    issues = catalog.check_case(sale.model_copy(update={"mortgage": Mortgage()}))
    assert [(i.code, i.severity) for i in issues] == [("catalog.mortgage_unexpected", "warning")]


def test_unknown_business_type_in_case(catalog: Catalog) -> None:
    issues = catalog.check_case(Case(business_type="lease"))
    assert [(i.path, i.code) for i in issues] == [("business_type", "catalog.unknown_type")]
    with pytest.raises(CatalogError):
        catalog.questions_for(Case(business_type="lease"))


# ------------------------------------------------------------------------------------ office override
OVERRIDE = """\
office: 某市不动产登记中心
fee_rules:
  right_holder_pays: {residential: 90}
materials:
  marriage_proof: {data_sharing: true}
  residence_proof: {name: 居住证明, original: false, source: 本市规定}
questions:
  objection_reason: {text: 异议的事实和理由是什么？, kind: text, when: objection, source: 本市模板}
types:
  - id: second_hand_sale
    promised_days: 3
    materials:
      - {code: title_certificate}
      - {code: sale_contract}
      - {code: tax_records}
      - {code: residence_proof, required: false}
  - id: gift
    replace: true
    name: 赠与转移登记（本市）
    name_en: Gift
    registrations: [{type: transfer}]
    joint_application: true
    joint_application_source: 条例 Art 14
    roles:
      - {id: donee, label: 受赠人, party_role: right_holder, min: 1, max: 2, holds_title: true}
      - {id: donor, label: 赠与人, party_role: obligor, min: 1, max: 2}
    departments: [tax, registration]
    fee: right_holder_pays
    promised_days: 10
    promised_days_source: 本市公告
    source: 本市
  - id: objection
    name: 异议登记
    name_en: Objection
    registrations: [{type: objection}]
    joint_application: false
    joint_application_source: 条例 Art 14
    roles:
      - {id: objector, label: 异议申请人, party_role: right_holder, min: 1, max: 5}
    questions: [true_intent, objection_refusal, objection_liability, objection_reason]
    departments: [registration]
    fee: free
    promised_days: 1
    promised_days_source: 上海市不动产登记若干规定 Art 14
    source: 条例 Art 14
remove_types: [exchange]
"""


def test_override_merges_replaces_adds_and_removes(tmp_path: Path) -> None:
    office = tmp_path / "office.yaml"
    office.write_text(OVERRIDE, encoding="utf-8")
    catalog = load_catalog(office)
    assert catalog.office == "某市不动产登记中心" and catalog.files == (DEFAULT_CATALOG_FILE, office)

    sale = catalog.get("second_hand_sale")
    assert sale.promised_days == 3
    assert sale.name == "存量房买卖转移登记"  # untouched keys keep the default
    assert sale.fee.residential == Decimal("90") and sale.fee.non_residential == Decimal("550")
    assert [m.code for m in sale.materials][-1] == "residence_proof"
    assert "marriage_proof" not in {m.code for m in sale.materials}

    gift = catalog.get("gift")
    assert gift.name == "赠与转移登记（本市）" and gift.promised_days == 10
    assert gift.role("donee").max_count == 2
    assert [m.code for m in gift.materials] == [m.code for m in load_catalog().get("gift").materials][:6]

    objection = catalog.get("objection")
    assert catalog.types[-1] is objection and objection.registration.djlx == "600"
    case = Case(business_type="objection", parties=[Party(role=PartyRole.RIGHT_HOLDER, name="某")])
    assert [q.id for q in catalog.questions_for(case)] == [
        "true_intent",
        "objection_refusal",
        "objection_liability",
        "objection_reason",
    ]
    assert "exchange" not in catalog

    transfer = catalog.get("transfer_with_mortgage")
    assert next(m for m in transfer.materials if m.code == "marriage_proof").data_sharing


def test_office_example_file_loads() -> None:
    sample = DEFAULT_CATALOG_FILE.parent / "office-example.yaml"
    catalog = load_catalog(sample)
    assert catalog.office and catalog.get("second_hand_sale").promised_days <= 5


def test_empty_override_changes_nothing(tmp_path: Path) -> None:
    office = tmp_path / "empty.yaml"
    office.write_text("# nothing yet\n", encoding="utf-8")
    assert [bt.id for bt in load_catalog(office).types] == [bt.id for bt in load_catalog().types]


# ------------------------------------------------------------------------------------ bad files
def bad_file(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = tmp_path / "office.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    return path, str(info.value)


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    text = "types:\n  - id: gift\n    promised_days: 3\n   name: [unclosed\n"
    path, message = bad_file(tmp_path, text)
    assert str(path) in message and "第 4 行" in message and "YAML 格式错误" in message


def test_unknown_key_names_line_and_allowed_keys(tmp_path: Path) -> None:
    text = "types:\n  - id: gift\n    promised_day: 3\n"
    path, message = bad_file(tmp_path, text)
    assert f"{path} 第 3 行" in message and "未知的键“types[gift].promised_day”" in message
    assert "promised_days" in message  # lists what is allowed


def test_wrong_type_names_line(tmp_path: Path) -> None:
    text = (
        "fee_rules:\n  free: {free: true, payer: none, source: x}\n"
        "types:\n  - id: gift\n    promised_days: 五\n"
    )
    path, message = bad_file(tmp_path, text)
    assert f"{path} 第 5 行" in message and "应为整数" in message


def test_unknown_role_names_line(tmp_path: Path) -> None:
    text = (
        "types:\n"
        "  - id: gift\n"
        "    roles:\n"
        "      - {id: donee, label: 受赠人, party_role: right_holder, min: 1, max: 2}\n"
        "      - {id: donor, label: 赠与人, party_role: bank, min: 1, max: 2}\n"
    )
    path, message = bad_file(tmp_path, text)
    assert f"{path} 第 5 行" in message and "“bank”无效，应为 right_holder、obligor 之一" in message


def test_unknown_references_name_line(tmp_path: Path) -> None:
    text = (
        "types:\n"
        "  - id: gift\n"
        "    fee: cheap\n"
        "    materials:\n"
        "      - {code: title_certificate}\n"
        "      - {code: passport_photo}\n"
    )
    path, message = bad_file(tmp_path, text)
    assert f"{path} 第 3 行" in message and "收费规则“cheap”" in message
    assert f"{path} 第 6 行" in message and "材料“passport_photo”" in message


def test_days_above_statutory_limit(tmp_path: Path) -> None:
    path, message = bad_file(tmp_path, "types:\n  - id: inheritance\n    promised_days: 45\n")
    assert f"{path} 第 3 行" in message and "超过法定时限 30" in message


def test_min_above_max(tmp_path: Path) -> None:
    text = (
        "types:\n  - id: gift\n    roles:\n"
        "      - {id: donee, label: 受赠人, party_role: right_holder, min: 3, max: 2}\n"
    )
    path, message = bad_file(tmp_path, text)
    assert f"{path} 第 4 行" in message and "min（3）不能大于 max（2）" in message


def test_duplicate_key(tmp_path: Path) -> None:
    path, message = bad_file(tmp_path, "office: a\noffice: b\n")
    assert f"{path} 第 2 行" in message and "重复" in message


def test_new_type_missing_keys(tmp_path: Path) -> None:
    # A new type missing required keys: reported at the override's line of that type.
    text = "# office\ntypes:\n  - id: seizure\n    name: 查封登记\n"
    path, message = bad_file(tmp_path, text)
    assert (
        f"{path} 第 3 行" in message
        and "“types[seizure]”缺少必填项" in message
        and "roles" in message
        and "name_en" in message
    )


def test_missing_file_and_bad_remove(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="找不到文件"):
        load_catalog(tmp_path / "nope.yaml")
    path, message = bad_file(tmp_path, "remove_types: [lease]\n")
    assert f"{path} 第 1 行" in message and "lease" in message
    path, message = bad_file(tmp_path, "- just a list\n")
    assert str(path) in message and "映射" in message


def test_default_file_lines_are_reported(tmp_path: Path) -> None:
    text = DEFAULT_CATALOG_FILE.read_text(encoding="utf-8").replace(
        "promised_days: 5\n", "promised_days: 0\n", 1
    )
    copy = tmp_path / "default-copy.yaml"
    copy.write_text(text, encoding="utf-8")
    # Loading the edited copy as an office file replaces every type with the same content.
    with pytest.raises(CatalogError) as info:
        load_catalog(copy)
    assert f"{copy} 第 {line_of(text, 'promised_days: 0')} 行" in str(info.value)
    assert "应不小于 1" in str(info.value)


# ------------------------------------------------------------------------------------ explicit capacity
def _combined_with_bank_first(*, capacities: bool) -> Case:
    """转移+抵押 with the bank entered first and a company buyer last (inference gets this wrong)."""
    cap = (lambda role: role) if capacities else (lambda _role: None)
    return Case(
        business_type="transfer_with_mortgage",
        parties=[
            Party(
                id="bank",
                role=PartyRole.RIGHT_HOLDER,
                capacity=cap("mortgagee"),
                kind=PartyKind.ORGANISATION,
                name="乙银行",
            ),
            Party(id="s", role=PartyRole.OBLIGOR, capacity=cap("seller"), name="丙"),
            Party(
                id="co",
                role=PartyRole.RIGHT_HOLDER,
                capacity=cap("buyer"),
                kind=PartyKind.ORGANISATION,
                name="甲公司",
            ),
        ],
    )


def test_explicit_capacity_decides_the_roles(catalog: Catalog) -> None:
    bt = catalog.get("transfer_with_mortgage")
    inferred = _combined_with_bank_first(capacities=False)
    # without capacities the last organisation is taken for the bank
    assert bt.assign_roles(inferred).by_role["mortgagee"] == (2,)
    case = _combined_with_bank_first(capacities=True)
    assert bt.assign_roles(case).by_role == {"buyer": (2,), "seller": (1,), "mortgagee": (0,)}
    assert bt.role_of(case, "bank") == bt.role("mortgagee")
    assert bt.role_of(case, "co") == bt.role("buyer")
    assert [p.id for p in bt.title_holders(case)] == ["co"]
    codes = {i.code for i in catalog.check_case(case)}
    assert not {c for c in codes if c.startswith(("catalog.role", "catalog.capacity"))}, codes


def test_parties_without_capacity_fill_the_places_left(catalog: Catalog) -> None:
    bt = catalog.get("transfer_with_mortgage")
    case = _combined_with_bank_first(capacities=True)
    case.parties[1] = case.parties[1].model_copy(update={"capacity": None})
    case.parties[0] = case.parties[0].model_copy(update={"capacity": None})
    # the company keeps its explicit place as buyer; the bank is inferred for the mortgagee's place
    assert bt.assign_roles(case).by_role == {"buyer": (2,), "seller": (1,), "mortgagee": (0,)}


def test_explicit_capacity_beyond_the_maximum_is_too_many(catalog: Catalog) -> None:
    case = _combined_with_bank_first(capacities=True)
    second_bank = Party(
        id="bank2", role=PartyRole.RIGHT_HOLDER, capacity="mortgagee", kind=PartyKind.ORGANISATION
    )
    case.parties.append(second_bank)
    assignment = catalog.get(case.business_type).assign_roles(case)
    assert assignment.by_role["mortgagee"] == (0,)
    assert assignment.unassigned == (3,)
    codes = {(i.path, i.code) for i in catalog.check_case(case)}
    assert ("parties[3].role", "catalog.role_too_many") in codes


@pytest.mark.parametrize(
    ("index", "update", "path", "code", "words"),
    [
        (2, {"capacity": "heir"}, "parties[2].capacity", "capacity_unknown", ("业务角色", "heir", "买受人")),
        (2, {"capacity": "seller"}, "parties[2].capacity", "capacity_role_mismatch", ("业务角色", "义务人")),
        (0, {"kind": PartyKind.NATURAL}, "parties[0].kind", "capacity_kind", ("抵押权人", "法人或其他组织")),
    ],
)
def test_wrong_capacity_is_an_error_naming_the_field(
    catalog: Catalog, index: int, update: dict[str, object], path: str, code: str, words: tuple[str, ...]
) -> None:
    case = _combined_with_bank_first(capacities=True)
    case.parties[index] = case.parties[index].model_copy(update=update)
    issues = [i for i in catalog.check_case(case) if i.code == f"catalog.{code}"]
    assert [i.path for i in issues] == [path]
    assert issues[0].severity == "error"
    for word in words:
        assert word in issues[0].message, issues[0].message


def test_agent_with_a_capacity_is_an_error(catalog: Catalog) -> None:
    case = _combined_with_bank_first(capacities=True)
    case.parties.append(Party(role=PartyRole.AGENT, capacity="buyer", represents=["co"], name="代"))
    issues = [i for i in catalog.check_case(case) if i.code == "catalog.capacity_representative"]
    assert [i.path for i in issues] == ["parties[3].capacity"]
    assert "代理人" in issues[0].message and "清空" in issues[0].message


def test_fee_for_a_case_follows_the_type_and_the_use(catalog: Catalog) -> None:
    sale = example("second_hand_sale")
    assert catalog.fee_for(sale) == catalog.get("second_hand_sale").fee.amount(sale.property.use) > 0
    free = example("mortgage_release")
    assert catalog.fee_for(free) is None
    unknown = sale.model_copy(update={"business_type": "no_such_type"})
    assert catalog.fee_for(unknown) is None
