"""TWAIN scanners (Windows) through pytwain, in a worker process.

A TWAIN data source is a vendor DLL loaded into the calling process; a faulty one can crash it. So
every operation runs in a fresh ``spawn`` worker process that loads pytwain, and talks to the window's
process over a pipe: the window never loads a TWAIN DLL and survives a driver crash
(:class:`~scanning.errors.DriverCrashed`).

Pipe protocol (tuples; the parent sends the first message, the worker answers until a final one)::

    parent → worker   ("devices",) | ("capabilities", name) | ("scan", name, options_dict)
                      ("cancel",)                          at any time during a scan
    worker → parent   ("devices", [name, …])               final
                      ("capabilities", caps_dict)          final
                      ("progress", index, fraction)
                      ("page", index, pixels, dpi)         pixels: numpy uint8 array
                      ("done", pages)                      final
                      ("error", kind, detail)              final; kind is the pytwain exception's name

The worker imports the module named ``module`` (``twain`` on Windows); tests pass
``scanning.documents.twain_emulator``, which has pytwain's API (``SourceManager``, ``Source``,
``exceptions``, the ``CAP_*``/``ICAP_*`` constants) over synthetic pages, including driver crashes.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from scanning.documents.model import (
    CancelToken,
    Capabilities,
    ColourMode,
    DeviceInfo,
    Page,
    ProgressCallback,
    ScanOptions,
)
from scanning.errors import (
    DeviceBusy,
    DeviceNotFound,
    DeviceOffline,
    DocumentScanError,
    DriverCrashed,
    DriverMissing,
    FeederEmpty,
    PaperJam,
    ScanCancelled,
    ScannerFault,
)

PYTWAIN = "twain"
"""The real module (pip ``pytwain``)."""


def map_twain_error(kind: str, device: str, pages_done: int = 0, detail: str = "") -> DocumentScanError:
    """The typed error for a pytwain exception class name (or a worker-side ``kind``)."""
    if kind in ("PaperJam", "PaperDoubleFeedError"):
        return PaperJam(
            f"扫描仪“{device}”卡纸或重张进纸：请取出卡住的纸张，从第 {pages_done + 1} 页起重新扫描。"
        )
    if kind == "FeederEmpty":
        return FeederEmpty(f"扫描仪“{device}”的进纸器中没有纸：请放入材料后重新扫描。")
    if kind == "CheckDeviceOnlineError":
        return DeviceOffline(f"扫描仪“{device}”没有连接或未开机：请检查电源和数据线，然后重试。")
    if kind in ("MaxConnectionsError", "DeniedError", "SequenceError"):
        return DeviceBusy(f"扫描仪“{device}”正被其他程序使用：请关闭其他扫描软件或稍后再试。")
    if kind in ("DSTransferCancelled", "CancelAll"):
        return ScanCancelled(f"已取消扫描，已保存前 {pages_done} 页。", pages_done)
    if kind in ("NoDataSourceError", "NoSuchSource"):
        return DeviceNotFound(f"找不到扫描仪“{device}”：请确认已安装其 TWAIN 驱动并已连接。")
    if kind in ("SMLoadFileFailed", "SMOpenFailed", "SMGetProcAddressFailed", "ModuleMissing"):
        return DriverMissing(
            "无法加载 TWAIN 扫描支持：请安装扫描仪厂商的 TWAIN 驱动和 TWAIN 数据源管理器（twaindsm），"
            "以及 Python 包 pytwain。"
        )
    return ScannerFault(
        f"扫描仪“{device}”报告错误（{kind}{'：' + detail if detail else ''}）：请检查设备后重试。"
    )


# ---------------------------------------------------------------- worker side (runs in the child)


def _capabilities(tw: Any, src: Any) -> dict[str, Any]:
    def get(cap: int) -> Any:
        try:
            return src.get_capability(cap)
        except tw.exceptions.TwainError:
            return None

    feeder = get(tw.CAP_FEEDERENABLED) is not None
    duplex_cap = get(tw.CAP_DUPLEX)
    duplex = bool(duplex_cap and duplex_cap[1])
    res = get(tw.ICAP_XRESOLUTION)
    resolutions: list[int] = []
    if isinstance(res, dict):
        resolutions = [r for r in (150, 200, 300, 400, 600) if res["MinValue"] <= r <= res["MaxValue"]]
    elif isinstance(res, tuple) and isinstance(res[1], tuple):
        resolutions = sorted(int(v) for v in res[1][2])
    pixel = get(tw.ICAP_PIXELTYPE)
    types = list(pixel[1][2]) if isinstance(pixel, tuple) and isinstance(pixel[1], tuple) else [tw.TWPT_RGB]
    modes = [
        m for t, m in ((tw.TWPT_RGB, "colour"), (tw.TWPT_GRAY, "grey"), (tw.TWPT_BW, "bilevel")) if t in types
    ]
    return {
        "feeder": feeder,
        "duplex": duplex,
        "flatbed": True,
        "resolutions": resolutions,
        "colour_modes": modes,
    }


def _scan(tw: Any, src: Any, conn: Connection, options: dict[str, Any]) -> int:
    from PIL import Image as PILImage

    caps = _capabilities(tw, src)
    dpi = int(options["resolution"])
    src.set_capability(tw.ICAP_XRESOLUTION, tw.TWTY_FIX32, float(dpi))
    src.set_capability(tw.ICAP_YRESOLUTION, tw.TWTY_FIX32, float(dpi))
    mode = options["colour"]
    pixel = {"colour": tw.TWPT_RGB, "grey": tw.TWPT_GRAY, "bilevel": tw.TWPT_BW}.get(mode, tw.TWPT_RGB)
    src.set_capability(tw.ICAP_PIXELTYPE, tw.TWTY_UINT16, pixel)
    if caps["feeder"]:
        src.set_capability(tw.CAP_FEEDERENABLED, tw.TWTY_BOOL, bool(options["feeder"]))
        if options["feeder"]:
            if caps["duplex"]:
                src.set_capability(tw.CAP_DUPLEXENABLED, tw.TWTY_BOOL, bool(options["duplex"]))
            loaded = src.get_capability(tw.CAP_FEEDERLOADED)
            if loaded is not None and not loaded[1]:
                conn.send(("error", "FeederEmpty", ""))
                return 0
    state = {"index": int(options["first_index"]), "done": 0}
    max_pages = options["max_pages"]

    def after(image: Any, more: int) -> None:
        with tempfile.TemporaryDirectory(prefix="yc-twain-") as tmp:
            path = Path(tmp) / "page.bmp"
            image.save(str(path))
            image.close()
            with PILImage.open(path) as pil:
                pixels = np.asarray(pil.convert("RGB" if pil.mode not in ("L", "1") else "L"), dtype=np.uint8)
        conn.send(("progress", state["index"], 1.0))
        conn.send(("page", state["index"], pixels.copy(), dpi))
        state["index"] += 1
        state["done"] += 1
        if conn.poll() and conn.recv() == ("cancel",):
            raise tw.exceptions.CancelAll
        if max_pages is not None and state["done"] >= max_pages:
            raise tw.exceptions.CancelAll

    with contextlib.suppress(tw.exceptions.CancelAll):
        src.acquire_natively(after=after, show_ui=False, modal=False)
    return state["done"]


def worker_main(conn: Connection, module: str, config: dict[str, Any] | None) -> None:
    """The worker process: load the TWAIN module, answer one request, exit."""
    request = conn.recv()
    try:
        tw = importlib.import_module(module)
    except ImportError:
        conn.send(("error", "ModuleMissing", module))
        return
    if not hasattr(tw, "SourceManager") or not hasattr(tw, "exceptions"):
        conn.send(("error", "ModuleMissing", module))
        return
    if config is not None and hasattr(tw, "configure"):
        tw.configure(config)
    try:
        sm = tw.SourceManager(None, ProductName="Yichuang")
        try:
            if request[0] == "devices":
                conn.send(("devices", list(sm.source_list)))
                return
            name = request[1]
            if name not in sm.source_list:
                conn.send(("error", "NoSuchSource", ""))
                return
            src = sm.open_source(name)
            try:
                if request[0] == "capabilities":
                    conn.send(("capabilities", _capabilities(tw, src)))
                else:
                    conn.send(("done", _scan(tw, src, conn, request[2])))
            finally:
                src.close()
        finally:
            sm.close()
    except tw.exceptions.TwainError as exc:
        conn.send(("error", type(exc).__name__, ""))


# ---------------------------------------------------------------- parent side


class TwainDriver:
    """:class:`~scanning.documents.model.ScannerDriver` over pytwain, each call in a worker process.

    Args:
        module: the module the worker imports (``twain``; tests use the emulator).
        config: passed to the module's ``configure()`` when it has one (the emulator's scenario).
        page_timeout: seconds to wait for the next page before the scanner counts as offline.
    """

    backend = "twain"

    def __init__(
        self, module: str = PYTWAIN, config: dict[str, Any] | None = None, page_timeout: float = 120.0
    ):
        self.module = module
        self.config = config
        self.page_timeout = page_timeout

    def is_usable(self) -> bool:
        """On Windows with pytwain installed (or whenever a non-default module, like the emulator, is set)."""
        if self.module != PYTWAIN:
            return importlib.util.find_spec(self.module) is not None
        return sys.platform == "win32" and importlib.util.find_spec(PYTWAIN) is not None

    def _start(self, request: tuple[Any, ...]) -> tuple[Any, Connection]:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        process = ctx.Process(target=worker_main, args=(child, self.module, self.config), daemon=True)
        process.start()
        child.close()
        parent.send(request)
        return process, parent

    def _receive(self, process: Any, conn: Connection, device: str, pages_done: int, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            broken = False
            try:
                if conn.poll(0.1):
                    return conn.recv()
            except (EOFError, OSError):
                broken = True  # the worker's end is closed: it exited without a final message
            if broken or not process.is_alive():
                process.join()
                raise DriverCrashed(
                    f"扫描仪“{device}”的驱动程序异常退出（代码 {process.exitcode}）："
                    f"已保存前 {pages_done} 页。"
                    "请重新连接扫描仪后从下一页继续扫描；如反复出现，请更新厂商驱动。"
                )
            if time.monotonic() > deadline:
                process.kill()
                process.join()
                raise DeviceOffline(f"扫描仪“{device}”长时间没有响应：请检查设备后重试。")

    def _request(self, request: tuple[Any, ...], device: str) -> Any:
        process, conn = self._start(request)
        try:
            reply = self._receive(process, conn, device, 0, self.page_timeout)
        finally:
            conn.close()
            process.join(5)
            if process.is_alive():
                process.kill()
        if reply[0] == "error":
            raise map_twain_error(reply[1], device, 0, reply[2])
        return reply[1]

    def devices(self) -> list[DeviceInfo]:
        """The TWAIN data sources installed."""
        names = self._request(("devices",), "TWAIN")
        return [DeviceInfo(name=n, label=n, backend=self.backend) for n in names]

    def capabilities(self, device: str) -> Capabilities:
        """Feeder, duplex, resolutions and pixel types of a source."""
        caps = self._request(("capabilities", device), device)
        return Capabilities(
            feeder=caps["feeder"],
            duplex=caps["duplex"],
            flatbed=caps["flatbed"],
            resolutions=tuple(caps["resolutions"]),
            colour_modes=tuple(ColourMode(m) for m in caps["colour_modes"]),
        )

    def scan(
        self,
        device: str,
        options: ScanOptions,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Page]:
        """Scan in the worker; pages come over the pipe as the source delivers them."""
        opts = asdict(options)
        auto = options.colour in (ColourMode.AUTO, ColourMode.MIXED)  # captured in colour, split later
        opts["colour"] = "colour" if auto else options.colour.value
        process, conn = self._start(("scan", device, opts))
        done, cancel_sent = 0, False
        try:
            while True:
                if cancel is not None and cancel.cancelled and not cancel_sent:
                    conn.send(("cancel",))
                    cancel_sent = True
                reply = self._receive(process, conn, device, done, self.page_timeout)
                if reply[0] == "progress" and progress is not None:
                    progress(reply[1], reply[2])
                elif reply[0] == "page":
                    yield Page(index=reply[1], image=reply[2], dpi=reply[3], source=device)
                    done += 1
                elif reply[0] == "done":
                    if cancel_sent:
                        raise ScanCancelled(f"已取消扫描，已保存前 {done} 页。", done)
                    return
                elif reply[0] == "error":
                    raise map_twain_error(reply[1], device, done, reply[2])
        finally:
            conn.close()
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
