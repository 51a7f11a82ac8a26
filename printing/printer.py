"""Sending a PDF to a printer: the PDF itself, never a raster of a widget.

* Linux and macOS: CUPS through its command-line client (``lp``, ``lpstat`` from Debian
  ``cups-client``). ``lp`` hands the PDF to the CUPS server, which prints it over IPP; the server's
  filters rasterise it for the printer.
* Windows: ``win32print``/``win32api`` from pywin32 (``ShellExecute`` with the ``printto`` verb, which
  asks the PDF viewer registered for ``.pdf`` to print the file), or SumatraPDF's
  ``-print-to`` when ``SumatraPDF.exe`` is found (preferred: silent and reliable). **Unverified**:
  the Windows backend has not been run on Windows yet; it is written from the pywin32 and SumatraPDF
  documentation and is guarded so it is never imported elsewhere.

:func:`system_printer` picks the backend for this computer. Every failure is a
:class:`~printing.errors.PrinterError` with a Chinese message.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, Protocol

from printing.errors import PrinterNotFound, PrintFailed, PrintingUnsupported

TIMEOUT_S: Final = 30.0


class Printer(Protocol):
    """A way to print PDFs on this computer."""

    def printers(self) -> list[str]:
        """The names of the printers the clerk can choose."""
        ...

    def default_printer(self) -> str | None:
        """The system's default printer, or ``None`` when none is set."""
        ...

    def print_pdf(self, pdf: bytes, printer: str | None, title: str) -> str:
        """Send a PDF to a printer.

        Args:
            pdf: the PDF bytes.
            printer: the printer's name; ``None`` for the default printer.
            title: the job title shown in the print queue (no personal data: use the case number).

        Returns:
            The job id given by the print system.

        Raises:
            PrinterNotFound: no such printer, or no default printer.
            PrintFailed: the print system refused the job.
        """
        ...


# ------------------------------------------------------------------------------------ CUPS
_NO_CLIENT: Final = (
    "本机没有安装 CUPS 打印客户端（lp 命令），无法打印。请安装 cups-client 后重试，或把文书另存为 PDF。"
)
_JOB_ID = re.compile(r"request id is (\S+)")


class CupsPrinter:
    """Printing through a CUPS server with the ``lp``/``lpstat`` commands.

    Args:
        server: ``host:port`` or a socket path of the CUPS server; ``None`` for the system's
            (``$CUPS_SERVER`` or ``/etc/cups/client.conf``).
        lp: the ``lp`` command.
        lpstat: the ``lpstat`` command.
    """

    def __init__(self, server: str | None = None, lp: str = "lp", lpstat: str = "lpstat") -> None:
        self.server = server
        self.lp = lp
        self.lpstat = lpstat

    @staticmethod
    def is_usable() -> bool:
        """Whether the CUPS client commands are installed."""
        return shutil.which("lp") is not None and shutil.which("lpstat") is not None

    def _run(self, args: Sequence[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        command = list(args)
        if self.server:
            command[1:1] = ["-h", self.server]
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # parse English output
        try:
            return subprocess.run(
                command, input=stdin, capture_output=True, timeout=TIMEOUT_S, env=env, check=False
            )
        except FileNotFoundError as exc:
            raise PrintingUnsupported(_NO_CLIENT) from exc
        except subprocess.TimeoutExpired as exc:
            raise PrintFailed(
                f"打印服务在 {TIMEOUT_S:.0f} 秒内没有响应。请检查 CUPS 打印服务是否在运行后重试。"
            ) from exc

    def printers(self) -> list[str]:
        """Printer queues known to the CUPS server (``lpstat -e``)."""
        result = self._run([self.lpstat, "-e"])
        if result.returncode != 0:
            if b"No destinations" in result.stderr or not result.stderr.strip():
                return []
            raise PrintFailed(self._server_message(result.stderr))
        return [line.strip() for line in result.stdout.decode(errors="replace").splitlines() if line.strip()]

    def default_printer(self) -> str | None:
        """The server's default destination (``lpstat -d``)."""
        result = self._run([self.lpstat, "-d"])
        text = result.stdout.decode(errors="replace")
        match = re.search(r"system default destination:\s*(\S+)", text)
        return match.group(1) if match else None

    def print_pdf(self, pdf: bytes, printer: str | None, title: str) -> str:
        """Send the PDF to a CUPS queue (``lp -d PRINTER -t TITLE``, the PDF on standard input)."""
        target = printer or self.default_printer()
        if target is None:
            raise PrinterNotFound(
                "没有设置默认打印机。请在打印对话框中选择一台打印机，或请管理员设置默认打印机。"
            )
        if target not in self.printers():
            raise PrinterNotFound(
                f"找不到打印机“{target}”。请从列表中重新选择打印机，或检查打印机是否已添加。"
            )
        result = self._run(
            [self.lp, "-d", target, "-t", title, "-o", "document-format=application/pdf", "-"], pdf
        )
        text = result.stdout.decode(errors="replace")
        match = _JOB_ID.search(text)
        if result.returncode != 0 or match is None:
            raise PrintFailed(self._server_message(result.stderr, target))
        return match.group(1)

    @staticmethod
    def _server_message(stderr: bytes, printer: str | None = None) -> str:
        detail = stderr.decode(errors="replace").strip().splitlines()
        reason = detail[-1] if detail else "未知原因"
        where = f"打印机“{printer}”" if printer else "打印服务"
        return f"{where}拒绝了打印任务（{reason}）。请检查打印机是否开机、联网并已启用，然后重试。"


# ------------------------------------------------------------------------------------ Windows
def _win32(module: str) -> Any:
    """A pywin32 module, imported only on Windows (no stubs needed elsewhere)."""
    return importlib.import_module(module)


def _find_sumatra() -> Path | None:
    candidates = [shutil.which("SumatraPDF.exe") or shutil.which("SumatraPDF")]
    for var in ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA"):
        base = os.environ.get(var)
        if base:
            candidates.append(str(Path(base) / "SumatraPDF" / "SumatraPDF.exe"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


class WindowsPrinter:  # pragma: no cover - Windows only, see the module docstring
    """Printing on Windows with pywin32 (and SumatraPDF when installed); unverified on Windows."""

    @staticmethod
    def is_usable() -> bool:
        """Whether this is Windows with pywin32 installed."""
        if sys.platform != "win32":
            return False
        try:
            _win32("win32print")
        except ImportError:
            return False
        return True

    def printers(self) -> list[str]:
        """Local and connected printers (``EnumPrinters``)."""
        win32print = _win32("win32print")
        flags = win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS
        return [str(entry[2]) for entry in win32print.EnumPrinters(flags)]

    def default_printer(self) -> str | None:
        """The Windows default printer."""
        win32print = _win32("win32print")
        try:
            return str(win32print.GetDefaultPrinter()) or None
        except Exception:  # pywintypes.error when no default printer is set
            return None

    def print_pdf(self, pdf: bytes, printer: str | None, title: str) -> str:
        """Print through SumatraPDF if found, else the ``printto`` verb of the registered PDF viewer."""
        win32api = _win32("win32api")
        target = printer or self.default_printer()
        if target is None:
            raise PrinterNotFound(
                "没有设置默认打印机。请在打印对话框中选择一台打印机，或在 Windows 设置中设置默认打印机。"
            )
        if target not in self.printers():
            raise PrinterNotFound(f"找不到打印机“{target}”。请从列表中重新选择打印机。")
        safe = re.sub(r"[^\w.-]+", "_", title) or "yichuang"
        folder = Path(tempfile.mkdtemp(prefix="yichuang-print-"))
        path = folder / f"{safe}.pdf"
        path.write_bytes(pdf)
        sumatra = _find_sumatra()
        try:
            if sumatra is not None:
                result = subprocess.run(
                    [str(sumatra), "-print-to", target, "-silent", str(path)],
                    capture_output=True,
                    timeout=TIMEOUT_S * 4,
                    check=False,
                )
                if result.returncode != 0:
                    raise PrintFailed(f"SumatraPDF 未能把文书发送到打印机“{target}”。请检查打印机后重试。")
                return f"sumatra:{path.name}"
            code = win32api.ShellExecute(0, "printto", str(path), f'"{target}"', str(folder), 0)
        except OSError as exc:
            raise PrintFailed(f"无法把文书发送到打印机“{target}”（{exc}）。请检查打印机后重试。") from exc
        if int(code) <= 32:  # ShellExecute returns a value > 32 on success
            raise PrintFailed("本机没有能打印 PDF 的程序。请安装 SumatraPDF 或其他 PDF 阅读器后重试。")
        return f"shell:{path.name}"


def system_printer() -> Printer:
    """The printing backend of this computer.

    Raises:
        PrintingUnsupported: no backend is usable; the message says what to install.
    """
    if sys.platform == "win32":
        if WindowsPrinter.is_usable():
            return WindowsPrinter()
        raise PrintingUnsupported("本机缺少 Windows 打印组件（pywin32）。请重新安装一窗受理后重试。")
    if CupsPrinter.is_usable():
        return CupsPrinter()
    raise PrintingUnsupported(_NO_CLIENT)
