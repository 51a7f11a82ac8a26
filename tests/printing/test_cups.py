"""Printing through a real CUPS server: a private ``cupsd`` on 127.0.0.1 with two queues.

* ``yc-cups-pdf``: the cups-pdf virtual printer (Debian ``printer-driver-cups-pdf``). CUPS converts the
  job to PostScript for it and cups-pdf turns that back into a PDF with Ghostscript, so the PDF that
  comes out has the pages and the ASCII text (case number) but not the CJK text: the PostScript step
  drops the fonts' ToUnicode maps, as it would for any PDF with subset TrueType fonts.
* ``yc-pdf-file``: a PDF-accepting queue (like an IPP Everywhere printer) writing to a file. It shows
  that the PDF itself reaches the device, every character's text intact.

The fixture starts everything itself (``cupsd`` with its own config, spool and port, stopped after the
session); it needs root (cups-pdf's backend runs only as root) and Debian ``cups``, ``cups-client``,
``cups-filters`` and ``printer-driver-cups-pdf``.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from printing import render, render_set
from printing.errors import PrinterNotFound
from printing.printer import CupsPrinter
from tests.printing.helpers import CASE_NUMBER, example_case, have_poppler, make_ctx, pdf_pages, pdf_text

CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


def _missing() -> str | None:
    if os.name != "posix" or os.geteuid() != 0:
        return "needs root: the cups-pdf backend runs only as root"
    for path in (CUPSD, CUPS_PDF_BACKEND, CUPS_PDF_PPD):
        if not path.exists():
            return f"{path} missing: apt-get install cups cups-client printer-driver-cups-pdf"
    if not CupsPrinter.is_usable() or shutil.which("lpadmin") is None:
        return "CUPS client missing: apt-get install cups-client"
    if not have_poppler():
        return "poppler-utils missing"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@dataclass
class Cups:
    server: str
    root: Path
    file_output: Path
    pdf_folder: Path


def _lpstat(server: str, *args: str) -> str:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    return subprocess.run(["lpstat", "-h", server, *args], capture_output=True, text=True, env=env).stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cups_pdf_output_folder() -> Path:
    """Where cups-pdf writes jobs of the current user (``Out`` of /etc/cups/cups-pdf.conf)."""
    out = "${HOME}/PDF"
    if CUPS_PDF_CONF.exists():
        for line in CUPS_PDF_CONF.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Out "):
                out = line.split(None, 1)[1].strip()
    user = pwd.getpwuid(os.getuid())
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    # Not under pytest's tmp_path: that is private to root (0700) and the filters run as the CUPS user.
    root = Path(tempfile.mkdtemp(prefix="yichuang-cups-"))
    root.chmod(0o755)
    for sub in ("conf/ppd", "spool", "cache", "state", "log", "tmp", "out"):
        (root / sub).mkdir(parents=True)
    (root / "tmp").chmod(0o1777)  # filters run as the unprivileged CUPS user
    (root / "out").chmod(0o777)
    port = _free_port()
    (root / "conf" / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{port}\nLogLevel info\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    (root / "conf" / "cups-files.conf").write_text(
        f"ServerRoot {root}/conf\nRequestRoot {root}/spool\nCacheDir {root}/cache\nStateDir {root}/state\n"
        f"TempDir {root}/tmp\nErrorLog {root}/log/error_log\nAccessLog {root}/log/access_log\n"
        f"PageLog {root}/log/page_log\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\nPrintcap\n"
        "FileDevice Yes\n"
    )
    process = subprocess.Popen(
        [str(CUPSD), "-f", "-c", f"{root}/conf/cupsd.conf", "-s", f"{root}/conf/cups-files.conf"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while "scheduler is running" not in _lpstat(server, "-r"):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "log" / "error_log").read_text(errors="replace")[-2000:]
                pytest.fail(f"cupsd did not start:\n{log}")
            time.sleep(0.2)
        # A queue that takes PDF as its final format (pdftopdf only) and writes it to a file.
        passthrough = root / "pdf-in.ppd"
        passthrough.write_text(
            CUPS_PDF_PPD.read_text(encoding="latin-1").replace(
                "*PCFileName:",
                '*cupsFilter2: "application/vnd.cups-pdf application/pdf 0 -"\n*PCFileName:',
                1,
            ),
            encoding="latin-1",
        )
        file_output = root / "out" / "printed.pdf"
        admin = ["lpadmin", "-h", server]
        subprocess.run(
            [*admin, "-p", "yc-cups-pdf", "-E", "-v", "cups-pdf:/", "-P", str(CUPS_PDF_PPD)],
            capture_output=True,
            check=True,
        )
        subprocess.run(
            [*admin, "-p", "yc-pdf-file", "-E", "-v", f"file://{file_output}", "-P", str(passthrough)],
            capture_output=True,
            check=True,
        )
        yield Cups(server=server, root=root, file_output=file_output, pdf_folder=_cups_pdf_output_folder())
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)


def _wait_done(cups: Cups, job: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(rf"^{re.escape(job)}\s", _lpstat(cups.server, "-W", "completed", "-o"), re.M):
            return
        time.sleep(0.3)
    lines = (cups.root / "log" / "error_log").read_text(errors="replace").splitlines()
    log = "\n".join(line for line in lines if "Limiting Get-Jobs" not in line)[-3000:]
    pytest.fail(f"job {job} did not complete:\n{log}")


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
    _wait_done(cups, job)
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
    _wait_done(cups, job)
    text = "".join(pdf_text(cups.file_output.read_bytes()).split())
    assert "受理回执（待上报）" in text
    assert "张𠮷" in text and "刘䶮" in text
    assert case.property.unit_number in text
