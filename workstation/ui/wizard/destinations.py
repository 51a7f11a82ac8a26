"""Where each fact typed in the wizard goes: which printed forms and which departments.

The review page lists every fact once and names its destinations, so the clerk sees that a fact
typed once reaches every form and department that needs it (STYLE.md, "The one idea").

Forms (forms.md): 申请书 §1 (申请人情况, 不动产情况, 抵押情况, 登记原因, certificate options);
询问笔录 §3 (the persons questioned and their answers); 受理凭证 §5 (applicants and agent, 坐落,
单元号, materials received); 材料清单 (the materials checklist, 条例 Art 16); 税费计算单
(taxes-and-fees.md: price, area, use, holding period, family homes, marital status).
Departments (优化营商环境条例 Art 47 [P], catalog ``departments``): which department needs which
section is this program's reading of the same notes [M]; an office may adjust the table.
"""

from __future__ import annotations

from typing import Final

APPLICATION = "申请书"
INTERVIEW = "询问笔录"
RECEIPT = "受理凭证"
MATERIALS = "材料清单"
TAX_SHEET = "税费计算单"

FORMS_OF_SECTION: Final[dict[str, tuple[str, ...]]] = {
    "business_type": (APPLICATION, RECEIPT, INTERVIEW, MATERIALS, TAX_SHEET),
    "parties": (APPLICATION, INTERVIEW, RECEIPT, TAX_SHEET),
    "property": (APPLICATION, RECEIPT, TAX_SHEET),
    "transaction": (APPLICATION, TAX_SHEET),
    "mortgage": (APPLICATION,),
    "materials": (MATERIALS, RECEIPT),
    "interview": (INTERVIEW,),
    "registration": (APPLICATION,),
}
"""The printed forms each section of the case appears on (``registration``: 登记原因, certificate
options and 备注 of the 申请书, forms.md §1)."""

DEPARTMENT_SECTIONS: Final[dict[str, frozenset[str]]] = {
    "transaction": frozenset({"business_type", "parties", "property", "transaction"}),
    "tax": frozenset({"business_type", "parties", "property", "transaction"}),
    "registration": frozenset(
        {
            "business_type",
            "parties",
            "property",
            "transaction",
            "mortgage",
            "materials",
            "interview",
            "registration",
        }
    ),
}
"""The sections each department receives (department ids as in the catalog) [M]."""

TAX_FIELDS: Final[frozenset[str]] = frozenset(
    {"marital_status", "family_homes_owned", "relation_to_counterparty"}
)
"""Party fields that matter only to the tax sheet and the tax department."""


def forms_of(section: str) -> tuple[str, ...]:
    """The printed forms a section appears on (none for an unknown section)."""
    return FORMS_OF_SECTION.get(section, ())


def departments_of(section: str, departments: list[str]) -> list[str]:
    """Which of the case's departments (catalog ids, in order) receive a section."""
    return [d for d in departments if section in DEPARTMENT_SECTIONS.get(d, frozenset({section}))]
