"""Printing through a real CUPS server: a private ``cupsd`` on 127.0.0.1 with two queues (see
:mod:`tests.cups`): the cups-pdf printer and a PDF-accepting queue writing to a file.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from printing import render, render_set
from printing.errors import PrinterNotFound
from printing.printer import CupsPrinter
from tests.cups import Cups, missing, running_cups, wait_done
from tests.printing.helpers import CASE_NUMBER, example_case, make_ctx, pdf_pages, pdf_text

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    with running_cups() as server:
        yield server


def test_lists_the_queues(cups: Cups) -> None:
    printer = CupsPrinter(server=cups.server)
    assert {"yc-cups-pdf", "yc-pdf-file"} <= set(printer.printers())


def test_unknown_printer_is_reported(cups: Cups) -> None:
    with pytest.raises(PrinterNotFound, match="找不到打印机"):
        CupsPrinter(server=cups.server).print_pdf(b"%PDF-1.4", "no-such-printer", "x")


def test_whole_set_prints_on_cups_pdf(cups: Cups) -> None:
    case = example_case("second_hand_sale")
    pdf = render_set(case, make_ctx(case))
    job = CupsPrinter(server=cups.server).print_pdf(pdf, "yc-cups-pdf", f"{CASE_NUMBER}-set")
    number = job.rsplit("-", 1)[-1]
    wait_done(cups, job)
    deadline = time.monotonic() + 30
    outputs: list[Path] = []
    while not outputs and time.monotonic() < deadline:
        outputs = [p for p in cups.pdf_folder.glob(f"*job_{number}.pdf")] if cups.pdf_folder.exists() else []
        time.sleep(0.2)
    assert outputs, f"no cups-pdf output for job {number} in {cups.pdf_folder}"
    try:
        printed = outputs[0].read_bytes()
        assert pdf_pages(printed) == pdf_pages(pdf)
        assert CASE_NUMBER in pdf_text(printed)
    finally:
        for path in outputs:
            path.unlink()


def test_pdf_reaches_the_printer_with_its_text(cups: Cups) -> None:
    case = example_case("second_hand_sale")
    pdf = render("receipt", case, make_ctx(case))
    job = CupsPrinter(server=cups.server).print_pdf(pdf, "yc-pdf-file", f"{CASE_NUMBER}-receipt")
    wait_done(cups, job)
    text = "".join(pdf_text(cups.file_output.read_bytes()).split())
    assert "受理回执（待上报）" in text
    assert "张𠮷" in text and "刘䶮" in text
    assert case.property.unit_number in text
