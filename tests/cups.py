"""A private CUPS server for tests: ``cupsd`` on 127.0.0.1 with two PDF queues (shared by the printing
and workstation tests).

* ``yc-cups-pdf``: the cups-pdf virtual printer (Debian ``printer-driver-cups-pdf``). CUPS converts the
  job to PostScript for it and cups-pdf turns that back into a PDF with Ghostscript, so the PDF that
  comes out has the pages and the ASCII text (case number) but not the CJK text: the PostScript step
  drops the fonts' ToUnicode maps, as it would for any PDF with subset TrueType fonts.
* ``yc-pdf-file``: a PDF-accepting queue (like an IPP Everywhere printer) writing to a file. It shows
  that the PDF itself reaches the device, every character's text intact.

:func:`running_cups` starts everything itself (``cupsd`` with its own config, spool and port, stopped
afterwards); it needs root (cups-pdf's backend runs only as root) and Debian ``cups``, ``cups-client``,
``cups-filters`` and ``printer-driver-cups-pdf``. Test modules wrap it in a fixture and skip with
:func:`missing` as the reason.
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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from printing.printer import CupsPrinter
from tests.printing.helpers import have_poppler

CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


def missing() -> str | None:
    """Why a CUPS test cannot run here, or ``None`` when it can."""
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


@dataclass
class Cups:
    server: str
    root: Path
    file_output: Path
    pdf_folder: Path


def lpstat(server: str, *args: str) -> str:
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


@contextmanager
def running_cups() -> Iterator[Cups]:
    """Start a private cupsd with the two queues; stopped and removed on exit."""
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
        while "scheduler is running" not in lpstat(server, "-r"):
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


def wait_done(cups: Cups, job: str, timeout: float = 60) -> None:
    """Wait until CUPS reports the job completed; fail with the server log otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(rf"^{re.escape(job)}\s", lpstat(cups.server, "-W", "completed", "-o"), re.M):
            return
        time.sleep(0.3)
    lines = (cups.root / "log" / "error_log").read_text(errors="replace").splitlines()
    log = "\n".join(line for line in lines if "Limiting Get-Jobs" not in line)[-3000:]
    pytest.fail(f"job {job} did not complete:\n{log}")
