"""Case validation: Chinese issues by field path, identifier checks, cross-field rules, catalog merge."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from forms.case import Case, Party
from forms.catalog import Catalog, load_catalog
from forms.errors import CatalogError, Issue
from forms.identifiers import IdentifierSettings
from forms.validation import CatalogLike, ValidationReport, validate_case
from tests.forms.ids import resident_id, uscc

TODAY = date(2025, 6, 1)
BUYER_ID = resident_id(date(1990, 3, 15), region="330203", sequence="011")  # male
SELLER_ID = "11010519491231002X"  # female, GB 11643 example
CJK = re.compile(r"[\u4e00-\u9fff]")


def base_case() -> dict[str, Any]:
    return {
        "business_type": "second_hand_sale",
        "parties": [
            {
                "id": "buyer",
                "role": "right_holder",
                "name": "王五",
                "id_number": BUYER_ID,
                "sex": "male",
                "birth_date": "1990-03-15",
                "co_ownership": "sole",
            },
            {"id": "seller", "role": "obligor", "name": "赵六", "id_number": SELLER_ID},
        ],
        "property": {
            "unit_number": "330203001001GB00001F00010001",
            "certificate_number": "浙(2018)宁波市江北不动产权第0023588号",
            "location": "宁波市江北区某路 1 号 101 室",
            "area": "89.5",
        },
        "transaction": {"price": "2000000.00", "contract_filing_number": "WQ2024000001"},
    }


def person(pid: str, role: str, number: str, **extra: Any) -> dict[str, Any]:
    return {"id": pid, "role": role, "name": f"当事人{pid}", "id_number": number, **extra}


def run(data: dict[str, Any] | Case, catalog: Any = None, **kwargs: Any) -> ValidationReport:
    report = validate_case(data, catalog, today=TODAY, **kwargs)
    for issue in report.issues:  # every message a clerk sees is Chinese and never pydantic's English
        assert CJK.search(issue.message), issue
        assert "Input should" not in issue.message and "Traceback" not in issue.message
    return report


def codes(report: ValidationReport) -> list[tuple[str, str]]:
    return [(issue.path, issue.code) for issue in report.issues]


def only(report: ValidationReport, code: str) -> Issue:
    found = [issue for issue in report.issues if issue.code == code]
    assert len(found) == 1, report.issues
    return found[0]


# ------------------------------------------------------------------ valid case


def test_fully_valid_case_has_no_issues():
    report = run(base_case())
    assert report.issues == []
    assert report.ok and report.errors == [] and report.warnings == []
    assert report.case is not None and report.case.business_type == "second_hand_sale"


def test_a_parsed_case_is_accepted_too():
    case = Case.model_validate(base_case())
    report = run(case)
    assert report.ok and report.case is case


# ------------------------------------------------------------------ schema errors


def test_invalid_buyer_id_names_the_field_and_the_party():
    data = base_case()
    data["parties"][0]["id_number"] = BUYER_ID[:-1] + ("0" if BUYER_ID[-1] != "0" else "1")
    report = run(data)
    issue = only(report, "id_number.check_digit")
    assert issue.path == "parties[0].id_number"
    assert issue.severity == "error"
    assert "证件号码" in issue.message and "第 1 位当事人（权利人）" in issue.message
    assert "校验位不正确" in issue.message
    assert not report.ok


@pytest.mark.parametrize(
    ("where", "value", "path", "words"),
    [
        (("transaction", "price"), "abc", "transaction.price", ["成交价格(元)", "应为数字", "例如"]),
        (("property", "area"), "-1", "property.area", ["面积(㎡)", "应为大于 0 的数字", "例如 89.5"]),
        (("parties", 0, "birth_date"), "1990-02-30", "parties[0].birth_date", ["出生日期", "YYYY-MM-DD"]),
        (("parties", 0, "share"), "150", "parties[0].share", ["共有份额(%)", "不大于 100"]),
        (("parties", 1, "role"), "buyer", "parties[1].role", ["角色", "权利人、义务人、代理人、监护人"]),
        (("parties", 1, "postcode"), "12", "parties[1].postcode", ["邮编", "6 位数字"]),
        (("transaction", "price"), "1.234", "transaction.price", ["成交价格(元)", "2 位小数"]),
        (("property", "unit_number"), "1" * 29, "property.unit_number", ["不动产单元号", "最多 28 个字"]),
        (("parties", 0, "present"), "maybe", "parties[0].present", ["本人到场", "“是”或“否”"]),
        (
            ("transaction", "acquisition", "acquired_on"),
            "x",
            "transaction.acquisition.acquired_on",
            ["取得日期"],
        ),
        (("mortgage",), {"debt_start": "soon"}, "mortgage.debt_start", ["债务履行期限起"]),
        (
            ("parties", 0, "family_homes_owned"),
            "one",
            "parties[0].family_homes_owned",
            ["家庭住房套数", "整数"],
        ),
    ],
)
def test_type_errors_name_the_field_by_its_title(where, value, path, words):
    data = base_case()
    target: Any = data
    for key in where[:-1]:
        target = target.setdefault(key, {}) if isinstance(key, str) else target[key]
    target[where[-1]] = value
    report = run(data)
    assert report.case is None and not report.ok
    issue = next(i for i in report.issues if i.path == path)
    assert issue.code.startswith("schema.")
    for word in words:
        assert word in issue.message


def test_missing_required_field_and_unknown_field():
    data = base_case()
    del data["business_type"]
    data["colour"] = "red"
    report = run(data)
    assert only(report, "schema.missing").message == "业务类型 必须填写"
    assert "colour" in only(report, "schema.extra_forbidden").message


def test_newer_schema_version_keeps_the_models_chinese_message():
    data = base_case()
    data["schema_version"] = 99
    assert "请升级一窗受理" in only(run(data), "schema.value_error").message


def test_list_item_errors_name_the_item():
    data = base_case()
    data["materials"] = [{"code": "title"}, {"code": "contract", "copies": "two"}]
    issue = only(run(data), "schema.int_parsing")
    assert issue.path == "materials[1].copies"
    assert issue.message.startswith("材料第 2 项的份数")


def test_identifier_errors_are_reported_even_when_other_fields_do_not_parse():
    data = base_case()
    data["transaction"]["price"] = "abc"
    data["parties"][1]["birth_date"] = "not a date"
    data["parties"][1]["id_number"] = "110105194912310021"
    data["property"]["area"] = "-5"
    data["property"]["unit_number"] = "330203001001GB00001F0001000"
    report = run(data)
    paths = {issue.path for issue in report.issues}
    assert {
        "transaction.price",
        "parties[1].birth_date",
        "parties[1].id_number",
        "property.area",
        "property.unit_number",
    } <= paths


def test_issues_are_sorted_by_path_with_numeric_indexes():
    data = base_case()
    data["parties"] += [person(f"p{i}", "agent", "123", represents=["buyer"]) for i in range(11)]
    data["transaction"]["price"] = "abc"
    paths = [issue.path for issue in run(data).issues]
    party_paths = [p for p in paths if p.startswith("parties[")]
    indexes = [int(re.findall(r"\d+", p)[0]) for p in party_paths]
    assert indexes == sorted(indexes) and indexes[-1] == 12
    assert paths.index("transaction.price") > paths.index(party_paths[-1])


# ------------------------------------------------------------------ identifier checks


def test_organisation_uses_a_credit_code():
    data = base_case()
    data["parties"][1] = {
        "id": "seller",
        "role": "obligor",
        "kind": "organisation",
        "name": "某房地产开发有限公司",
        "id_type": "uscc",
        "id_number": "91350100M000100Y43",
    }
    assert run(data).ok
    data["parties"][1]["id_number"] = "91350100M000100Y42"
    assert only(run(data), "id_number.check_digit").path == "parties[1].id_number"


def test_document_type_must_fit_the_kind_of_party():
    data = base_case()
    data["parties"][1]["kind"] = "organisation"
    issue = only(run(data), "id_type.kind_mismatch")
    assert issue.path == "parties[1].id_type" and "统一社会信用代码" in issue.message
    data = base_case()
    data["parties"][1]["id_type"] = "uscc"
    data["parties"][1]["id_number"] = "91350100M000100Y43"
    assert only(run(data), "id_type.kind_mismatch").path == "parties[1].id_type"


def test_unknown_credit_code_department_is_a_warning():
    data = base_case()
    data["parties"][1].update(kind="organisation", id_type="uscc", id_number=uscc("B1350100"))
    report = run(data)
    assert report.ok
    assert only(report, "id_number.department").severity == "warning"


def test_missing_name_and_id_number():
    data = base_case()
    data["parties"][1]["name"] = ""
    data["parties"][1]["id_number"] = " "
    report = run(data)
    assert only(report, "party.name_missing").path == "parties[1].name"
    assert "证件号码 必须填写" in only(report, "id_number.missing").message


def test_birth_date_and_sex_must_agree_with_the_id_number():
    data = base_case()
    data["parties"][0]["birth_date"] = "1990-03-16"
    data["parties"][0]["sex"] = "female"
    report = run(data)
    assert only(report, "birth_date.mismatch").path == "parties[0].birth_date"
    assert only(report, "sex.mismatch").path == "parties[0].sex"


def test_property_numbers_are_checked():
    data = base_case()
    data["property"]["certificate_number"] = "浙(2018)宁波市江北不动产权第023588号"
    data["property"]["unit_number"] = "330203001001KB00001F00010001"
    report = run(data)
    assert only(report, "certificate_number.sequence").path == "property.certificate_number"
    assert only(report, "unit_number.parcel_code").message.startswith("不动产单元号")


def test_missing_unit_number_is_only_a_warning():
    data = base_case()
    data["property"]["unit_number"] = ""
    report = run(data)
    assert report.ok and only(report, "unit_number.missing").severity == "warning"


def test_contract_filing_pattern_from_settings():
    settings = IdentifierSettings(contract_filing_pattern=r"HT\d{10}")
    issue = only(run(base_case(), settings=settings), "contract_filing_number.format")
    assert issue.path == "transaction.contract_filing_number"


def test_mortgage_debt_period_order():
    data = base_case()
    data["mortgage"] = {"debt_start": "2025-01-01", "debt_end": "2024-12-31"}
    assert only(run(data), "mortgage.debt_period").path == "mortgage.debt_end"
    data["mortgage"]["debt_end"] = "2045-01-01"
    assert run(data).ok


# ------------------------------------------------------------------ co-ownership and shares


def two_holders(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    data = base_case()
    data["parties"][0].update(first)
    wife = person("wife", "right_holder", resident_id(date(1991, 7, 1), sequence="002"), **second)
    data["parties"].insert(1, wife)
    return data


def test_shares_summing_to_100_pass():
    assert run(
        two_holders({"co_ownership": "shares", "share": "60"}, {"co_ownership": "shares", "share": "40"})
    ).ok
    assert run(two_holders({"co_ownership": "joint"}, {"co_ownership": "joint"})).ok


def test_shares_must_sum_to_exactly_100():
    data = two_holders(
        {"co_ownership": "shares", "share": "50"}, {"co_ownership": "shares", "share": "49.99"}
    )
    issue = only(run(data), "share.sum")
    assert issue.path == "parties" and "99.99" in issue.message and "100" in issue.message


def test_each_share_holder_needs_a_share():
    data = two_holders({"co_ownership": "shares", "share": "100"}, {"co_ownership": "shares"})
    report = run(data)
    assert only(report, "share.missing").path == "parties[1].share"
    assert "share.sum" not in {issue.code for issue in report.issues}


def test_co_ownership_must_be_consistent():
    report = run(two_holders({"co_ownership": "joint"}, {"co_ownership": "shares", "share": "50"}))
    assert only(report, "co_ownership.inconsistent").path == "parties"


def test_several_holders_need_a_co_ownership_that_is_not_sole():
    report = run(two_holders({"co_ownership": "sole"}, {}))
    assert only(report, "co_ownership.sole_with_others").path == "parties[0].co_ownership"
    assert only(report, "co_ownership.missing").path == "parties[1].co_ownership"


def test_single_holder_is_sole():
    data = base_case()
    data["parties"][0]["co_ownership"] = "joint"
    assert only(run(data), "co_ownership.single_holder").path == "parties[0].co_ownership"
    del data["parties"][0]["co_ownership"]
    assert run(data).ok


def test_share_without_shares_co_ownership_is_a_warning():
    data = base_case()
    data["parties"][0]["share"] = "100"
    report = run(data)
    assert report.ok and only(report, "share.not_applicable").path == "parties[0].share"
    report = run(two_holders({"co_ownership": "joint", "share": "50"}, {"co_ownership": "joint"}))
    assert only(report, "share.not_applicable").severity == "warning"


# ------------------------------------------------------------------ agents and guardians


def agent(**extra: Any) -> dict[str, Any]:
    return person("agent", "agent", resident_id(date(1985, 1, 1), region="330203", sequence="031"), **extra)


def test_agent_representing_a_party_passes():
    data = base_case()
    data["parties"].append(agent(represents=["seller"]))
    assert run(data).ok


@pytest.mark.parametrize(
    ("represents", "code"),
    [([], "represents.missing"), (["nobody"], "represents.unknown_party"), (["agent"], "represents.self")],
)
def test_agent_must_name_existing_parties(represents, code):
    data = base_case()
    data["parties"].append(agent(represents=represents))
    assert only(run(data), code).path == "parties[2].represents"


def test_only_agents_and_guardians_represent():
    data = base_case()
    data["parties"][0]["represents"] = ["seller"]
    assert only(run(data), "represents.not_representative").path == "parties[0].represents"


def test_duplicate_party_ids():
    data = base_case()
    data["parties"][1]["id"] = "buyer"
    assert only(run(data), "party.duplicate_id").path == "parties[1].id"


def child_case(**guardian_extra: Any) -> dict[str, Any]:
    data = base_case()
    data["parties"][0] = person("child", "right_holder", resident_id(date(2012, 5, 1), sequence="013"))
    if guardian_extra:
        data["parties"].append(person("mother", "guardian", resident_id(date(1985, 2, 2)), **guardian_extra))
    return data


def test_minor_needs_a_guardian():
    issue = only(run(child_case()), "guardian.minor")
    assert issue.path == "parties[0]" and "未满 18 周岁" in issue.message and "监护人" in issue.message
    assert run(child_case(represents=["child"])).ok


def test_an_agent_is_not_a_guardian():
    data = child_case()
    data["parties"].append(agent(represents=["child"]))
    assert only(run(data), "guardian.minor").path == "parties[0]"


def test_age_comes_from_birth_date_when_the_document_has_none():
    data = base_case()
    data["parties"][0] = person(
        "kid", "right_holder", "E12345678", id_type="passport", birth_date="2010-01-01"
    )
    assert only(run(data), "guardian.minor").path == "parties[0]"


def test_eighteenth_birthday_is_adult():
    data = base_case()
    data["parties"][0] = person("teen", "right_holder", resident_id(date(2007, 6, 1)))
    assert run(data).ok
    data["parties"][0] = person("teen", "right_holder", resident_id(date(2007, 6, 2)))
    assert only(run(data), "guardian.minor").path == "parties[0]"


def test_person_without_full_capacity_needs_a_guardian():
    data = base_case()
    data["parties"][1]["has_full_capacity"] = False
    assert "不具有完全民事行为能力" in only(run(data), "guardian.incapacity").message
    data["parties"].append(person("g", "guardian", resident_id(date(1970, 1, 1)), represents=["seller"]))
    assert run(data).ok


# ------------------------------------------------------------------ catalog


class FakeBusinessType:
    def title_holders(self, case: Case) -> list[Party]:
        return case.right_holders


@dataclass
class FakeCatalog:
    """Stands in for forms.catalog.Catalog only to observe the merge: canned issues, a record of calls."""

    issues: list[Issue] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def get(self, business_type_id: str) -> FakeBusinessType:
        if business_type_id != "second_hand_sale":
            raise CatalogError(f"未知的业务类型“{business_type_id}”，请从业务类型目录中选择")
        return FakeBusinessType()

    def check_case(self, case: Case) -> list[Issue]:
        self.checked.append(case.business_type)
        return list(self.issues)


def test_catalog_issues_are_merged_and_sorted():
    catalog = FakeCatalog(
        issues=[
            Issue("materials", "缺少材料：不动产权证书", "error", "material.missing"),
            Issue("", "整案提示"),
        ]
    )
    data = base_case()
    data["transaction"]["price"] = "-1"
    assert codes(run(data, catalog)) == [("transaction.price", "schema.greater_than_equal")]  # no case
    assert catalog.checked == []
    data = base_case()
    data["parties"][0]["name"] = ""
    report = run(data, catalog)
    assert [issue.path for issue in report.issues] == ["", "materials", "parties[0].name"]
    assert catalog.checked == ["second_hand_sale"]
    assert not report.ok


def test_unknown_business_type_is_an_issue_on_business_type():
    catalog = FakeCatalog()
    data = base_case()
    data["business_type"] = "teleport"
    issue = only(run(data, catalog), "business_type.unknown")
    assert issue.path == "business_type" and "业务类型" in issue.message
    assert catalog.checked == []


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_the_real_catalog_fits_what_validation_needs(catalog):
    checker: CatalogLike = catalog
    assert only(run({**base_case(), "business_type": "teleport"}, checker), "business_type.unknown")


def test_complete_case_passes_with_the_real_catalog(catalog):
    data = base_case()
    bt = catalog.get(data["business_type"])
    checklist = catalog.materials_checklist(bt, Case.model_validate(data))
    data["materials"] = [m.model_copy(update={"received": True}).model_dump(mode="json") for m in checklist]
    report = run(data, catalog)
    assert report.issues == [] and report.ok


def test_joint_application_needs_both_sides(catalog):
    data = base_case()
    del data["parties"][1]
    report = run(data, catalog)
    missing = only(report, "catalog.role_missing")
    assert missing.path == "parties" and "出卖人" in missing.message


def test_joint_application_side_present_in_person_or_through_an_agent(catalog):
    data = base_case()
    data["parties"][1]["present"] = False
    assert only(run(data, catalog), "catalog.applicant_absent").path == "parties[1].present"
    data["parties"].append(agent(represents=["seller"]))
    assert "catalog.applicant_absent" not in {issue.code for issue in run(data, catalog).issues}


def test_validation_does_not_change_its_input():
    data = base_case()
    data["parties"][0]["id_number"] = "x" + BUYER_ID[1:]
    before = copy.deepcopy(data)
    run(data)
    assert data == before


def test_bank_in_sale_with_mortgage_is_not_a_co_owner():
    """In 转移+抵押 the bank is a 权利人 of the mortgage only: the buyers' 按份 shares still sum to 100."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "transfer_with_mortgage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    report = validate_case(data, load_catalog())
    assert report.ok, report.issues
    # Without the catalog every 权利人 counts, so the bank would be asked for a share.
    assert any(i.code.startswith(("share", "co_ownership")) for i in validate_case(data).errors)


def test_capacity_not_of_the_business_type_names_the_field(catalog):
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "second_hand_sale.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["parties"][0]["capacity"] = "mortgagee"
    report = validate_case(data, catalog)
    issues = [i for i in report.errors if i.path == "parties[0].capacity"]
    assert len(issues) == 1 and "业务角色" in issues[0].message and "买受人" in issues[0].message
    data["parties"][0]["capacity"] = "Buyer!"
    report = validate_case(data, catalog)
    [issue] = [i for i in report.errors if i.path == "parties[0].capacity"]
    assert "业务角色" in issue.message and "角色编号" in issue.message


@pytest.mark.parametrize(
    ("marital", "spouse", "code"),
    [
        ("unmarried", "seller", "spouse.not_married"),
        ("married", "nobody", "spouse.unknown_party"),
        ("married", "buyer", "spouse.unknown_party"),
        (None, "seller", "spouse.not_married"),
    ],
)
def test_spouse_link_names_another_party_of_a_married_person(marital, spouse, code):
    data = base_case()
    data["parties"][0].update({"marital_status": marital, "spouse_party_id": spouse})
    issue = only(run(data), code)
    assert issue.path == "parties[0].spouse_party_id" and "配偶" in issue.message


def test_spouse_link_of_a_married_person_to_another_party_is_fine():
    data = base_case()
    data["parties"][0].update({"marital_status": "married", "spouse_party_id": "seller"})
    assert not [i for i in run(data).issues if i.code.startswith("spouse.")]
