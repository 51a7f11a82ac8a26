"""Choosing a backend by OS and availability, and reading a ``--device`` value."""

from __future__ import annotations

import sys

from scanning.documents.files import FileImportDriver, WatchedFolderDriver
from scanning.documents.model import ScannerDriver
from scanning.documents.sane_driver import SaneDriver
from scanning.documents.twain_driver import TwainDriver
from scanning.errors import DriverMissing

_INSTALL = {
    "sane": "请安装系统软件包 libsane1、sane-utils 和 Python 包 python-sane。",
    "twain": "请安装扫描仪厂商的 TWAIN 驱动和 Python 包 pytwain（仅支持 Windows）。",
}


def make_driver(backend: str | None = None) -> ScannerDriver:
    """The driver for ``backend`` (``sane``, ``twain``, ``file``, ``folder``), or the system's default.

    The default is TWAIN on Windows and SANE elsewhere.

    Raises:
        DriverMissing: the backend cannot run here; the message names what to install.
    """
    name = backend or ("twain" if sys.platform == "win32" else "sane")
    driver: ScannerDriver
    if name == "sane":
        driver = SaneDriver()
    elif name == "twain":
        driver = TwainDriver()
    elif name == "file":
        driver = FileImportDriver()
    elif name == "folder":
        driver = WatchedFolderDriver()
    else:
        raise DriverMissing(f"未知的扫描接口“{name}”：可用的有 sane、twain、file、folder。")
    if not driver.is_usable():
        raise DriverMissing(f"本机无法使用 {name.upper()} 扫描接口：{_INSTALL.get(name, '')}")
    return driver


def resolve_device(spec: str) -> tuple[ScannerDriver, str]:
    """The driver and device name for a ``--device`` value.

    ``file:PATH`` imports a file or folder, ``folder:PATH`` watches a document camera's folder,
    ``twain:NAME`` and ``sane:NAME`` pick the backend; anything else is a device of the default backend
    (``test:0``, ``pnm:0``, a TWAIN source name).
    """
    prefix, sep, rest = spec.partition(":")
    if sep and prefix in ("file", "folder", "twain", "sane"):
        return make_driver(prefix), rest
    return make_driver(None), spec
