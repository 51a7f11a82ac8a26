"""Printing benchmark: the full document set of a 存量房买卖 case against a bare reportlab page.

The baseline is one plain reportlab page with the same text (the set's extracted text) in the same
bundled font, measured in the same run, so the ratio says what layout, tables and per-character font
choice cost. Targets (issue 4): one document ≤ 100 ms, the full set ≤ 400 ms, each document ≤ 120 KB.
"""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from benchmarks.table import Row, median_time
from forms.case import Case
from forms.catalog import load_catalog
from forms.tax import TaxSettings, estimate
from printing import DOCUMENTS, PrintContext, available_documents, render, render_set
from printing.fonts import BODY, register_fonts

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "second_hand_sale.json"


def _case_and_ctx() -> tuple[Case, PrintContext]:
    case = Case.model_validate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    case = case.model_copy(update={"case_number": "YC2025-000123"})
    ctx = PrintContext(
        office_name="杭州市不动产登记服务中心",
        office_code="330106",
        window_id="3号窗口",
        enquiry_phone="0571-12345678",
        clerk_name="王晓燕",
        business_type=load_catalog().get(case.business_type),
        acceptance_date=date(2025, 11, 20),
        promised_completion=date(2025, 11, 27),
        receipt_key=b"benchmark-key",
        tax_estimate=estimate(case, TaxSettings()),
    )
    return case, ctx


def _bare_page(lines: list[str]) -> bytes:
    """The baseline: the same text drawn line by line on plain A4 pages."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    y = 800.0
    for line in lines:
        if y < 40:
            canvas.showPage()
            y = 800.0
        canvas.setFont(BODY.name, 10)
        canvas.drawString(40, y, line)
        y -= 14
    canvas.save()
    return buffer.getvalue()


def _text(pdf: bytes) -> list[str]:
    try:
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return ["杭州市不动产登记服务中心 不动产登记申请书"] * 200
    return [line for line in out.stdout.decode("utf-8").splitlines() if line.strip()]


def run() -> list[Row]:
    """Time the full set and each document, and size each document."""
    register_fonts()
    case, ctx = _case_and_ctx()
    ids = available_documents(case, ctx)
    full = render_set(case, ctx)
    lines = _text(full)
    bare = median_time(lambda: _bare_page(lines), repeat=10)
    rows = []
    set_time = median_time(lambda: render_set(case, ctx), repeat=10)
    rows.append(
        Row(
            f"printing: full set (存量房买卖, {len(ids)} docs)",
            set_time,
            "bare reportlab pages, same text",
            bare,
            target="≤ 400 ms",
            ok=set_time <= 0.4,
        )
    )
    for doc_id in ids:
        pdf = render(doc_id, case, ctx)
        doc_lines = _text(pdf)
        title = DOCUMENTS[doc_id].page_title(ctx)
        spent = median_time(lambda doc_id=doc_id: render(doc_id, case, ctx), repeat=10)  # type: ignore[misc]
        doc_bare = median_time(lambda doc_lines=doc_lines: _bare_page(doc_lines), repeat=10)  # type: ignore[misc]
        rows.append(
            Row(
                f"printing: {doc_id} ({title})",
                spent,
                "bare reportlab page, same text",
                doc_bare,
                target="≤ 100 ms",
                ok=spent <= 0.1,
            )
        )
        rows.append(
            Row(
                f"printing: {doc_id} size",
                float(len(pdf)),
                "bare reportlab page, same text",
                float(len(_bare_page(doc_lines))),
                unit="B",
                target="≤ 120 KB",
                ok=len(pdf) <= 120 * 1024,
            )
        )
    return rows


if __name__ == "__main__":
    from benchmarks.table import render as render_table

    print(render_table(run()))
