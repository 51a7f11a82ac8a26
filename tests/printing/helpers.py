"""Cases, print contexts and poppler wrappers for the printing tests."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from forms.case import Case, MaterialRecord, Party, PartyRole, Property
from forms.catalog import Catalog, load_catalog
from forms.tax import TaxSettings, estimate
from printing import IdentityCheckRecord, PrintContext

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
KEY = b"test-receipt-key-not-secret"
CASE_NUMBER = "YC2025-000123"


@cache
def catalog() -> Catalog:
    return load_catalog()


def business_type_ids() -> list[str]:
    return [bt.id for bt in catalog().types]


def _synthetic(type_id: str) -> Case:
    """A small case of a type the examples do not cover."""
    return Case(
        business_type=type_id,
        parties=[
            Party(id="p1", role=PartyRole.RIGHT_HOLDER, name="赵一", id_number="110101199003070011"),
            Party(id="p2", role=PartyRole.OBLIGOR, name="钱二", id_number="110101198001010012"),
        ],
        property=Property(unit_number="110101001001GB00001F00010001", location="北京市东城区示例路 1 号"),
        materials=[MaterialRecord(code="application_form", name="不动产登记申请书", received=True, pages=2)],
    )


def example_case(type_id: str) -> Case:
    """The example case of a business type (examples/<type>.json), numbered."""
    path = EXAMPLES / f"{type_id}.json"
    case = (
        Case.model_validate_json(path.read_text(encoding="utf-8")) if path.exists() else _synthetic(type_id)
    )
    return case.model_copy(update={"case_number": CASE_NUMBER})


def make_ctx(case: Case, **changes: Any) -> PrintContext:
    """A print context for the case, with an estimate and an identity check record."""
    ctx = PrintContext(
        office_name="杭州市不动产登记服务中心",
        office_code="330106",
        window_id="3号窗口",
        enquiry_phone="0571-12345678",
        clerk_name="王晓燕",
        business_type=catalog().get(case.business_type),
        acceptance_date=date(2025, 11, 20),
        promised_completion=date(2025, 11, 27),
        receipt_key=KEY,
        tax_estimate=estimate(case, TaxSettings()),
        identity_checks=(
            IdentityCheckRecord(
                party_id=case.parties[0].id,
                document_type="居民身份证",
                method="身份证读卡＋人脸比对",
                distance=0.312,
                threshold=0.45,
                decision="通过",
                time=datetime(2025, 11, 20, 9, 41),
            ),
        ),
    )
    return dataclasses.replace(ctx, **changes)


def have_poppler() -> bool:
    return shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext extracts it."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    for line in result.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


def render_png(pdf: bytes, folder: Path, resolution: int = 50, *, gray: bool = False) -> list[Path]:
    """Render every page with pdftoppm; returns the PNG files in page order."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "doc.pdf"
    source.write_bytes(pdf)
    args = ["pdftoppm", "-r", str(resolution), "-png"]
    if gray:
        args.append("-gray")
    subprocess.run([*args, str(source), str(folder / "page")], capture_output=True, check=True)
    return sorted(folder.glob("page*.png"))
