"""SANE scanners through python-sane (Linux; Debian ``libsane1``, pip ``python-sane``).

Tested against SANE's own ``test`` backend (patterns, a feeder that empties after 10 sheets, forced
status codes) and ``pnm`` backend (serves an image file as the scanned page). SANE status strings are
mapped to the typed errors of :mod:`scanning.errors`; they come from ``sane_strstatus``, which is not
translated, so the English texts are stable.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import threading
from collections.abc import Iterator
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
    CoverOpen,
    DeviceBusy,
    DeviceNotFound,
    DeviceOffline,
    DocumentScanError,
    DriverMissing,
    FeederEmpty,
    PaperJam,
    ScanCancelled,
    ScannerFault,
)

_FEEDER_WORDS = ("adf", "feeder", "duplex")
_lock = threading.Lock()
_initialised = False


def _sane() -> Any:
    """The python-sane module, initialised once."""
    global _initialised
    try:
        import sane  # type: ignore[import-untyped]  # python-sane ships no type information
    except ImportError as exc:
        raise DriverMissing(
            "未安装 SANE 扫描支持：请安装系统软件包 libsane1、sane-utils 和 Python 包 python-sane 后重试。"
        ) from exc
    with _lock:
        if not _initialised:
            _init_keeping_sigpipe(sane)
            _initialised = True
    return sane


def _init_keeping_sigpipe(sane: Any) -> None:
    """``sane.init()``, then make sure SIGPIPE is still ignored."""
    try:
        sane.init()
    finally:
        ignore_sigpipe()


def ignore_sigpipe() -> None:
    """Set SIGPIPE back to "ignore", the way Python runs, after libsane may have changed it.

    SANE backends (the ``test`` backend's reader, for one) set SIGPIPE to terminate the process while
    they scan. Python ignores it and reports a broken pipe as an exception instead; left changed, a
    dropped HTTP connection in the sync worker or a closed printer pipe would end the whole window
    without a word. libc is called directly: Python's ``signal.signal`` works only on the main thread
    and does not see a change made by C code, while scans run on a worker thread.
    """
    if sys.platform == "win32":
        return
    libc = ctypes.CDLL(None)
    libc.signal.restype = ctypes.c_void_p
    libc.signal.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.signal(int(signal.SIGPIPE), ctypes.c_void_p(1))  # 1 == SIG_IGN


def map_sane_error(message: str, device: str, pages_done: int = 0) -> DocumentScanError:
    """The typed error for a SANE status text (``str`` of ``_sane.error``)."""
    text = message.lower()
    if "out of documents" in text:
        return FeederEmpty(f"扫描仪“{device}”的进纸器中没有纸：请放入材料后重新扫描。")
    if "jammed" in text:
        return PaperJam(
            f"扫描仪“{device}”卡纸：请打开进纸器取出卡住的纸张，从第 {pages_done + 1} 页起重新扫描。"
        )
    if "busy" in text:
        return DeviceBusy(f"扫描仪“{device}”正被其他程序使用：请关闭其他扫描软件或稍后再试。")
    if "cover" in text:
        return CoverOpen(f"扫描仪“{device}”的盖板或进纸器打开着：请合上后重试。")
    if "cancel" in text:
        return ScanCancelled(f"已取消扫描，已保存前 {pages_done} 页。", pages_done)
    if "i/o" in text or "access" in text:
        return DeviceOffline(f"无法与扫描仪“{device}”通信：请检查电源和数据线，然后重试。")
    if "invalid argument" in text:
        return DeviceNotFound(f"找不到扫描仪“{device}”：请确认已连接并开机，或在设置中选择其他扫描仪。")
    return ScannerFault(f"扫描仪“{device}”报告错误（{message}）：请检查设备后重试。")


def _constraint(dev: Any, name: str) -> Any:
    opt = dev.opt.get(name.replace("-", "_"))
    return None if opt is None else opt.constraint


class SaneDriver:
    """:class:`~scanning.documents.model.ScannerDriver` over python-sane.

    Args:
        extra_options: SANE options set after the standard ones, by SANE name (e.g. the ``pnm``
            backend's ``filename``; a vendor backend's ``page-height``).
    """

    backend = "sane"

    def __init__(self, extra_options: dict[str, object] | None = None) -> None:
        self.extra_options = dict(extra_options or {})

    def is_usable(self) -> bool:
        """Whether python-sane imports and libsane initialises."""
        try:
            _sane()
        except (DriverMissing, RuntimeError, OSError):
            return False
        return True

    def devices(self) -> list[DeviceInfo]:
        """The scanners SANE sees (its ``dll.conf`` decides which backends are asked)."""
        sane = _sane()
        return [
            DeviceInfo(name=name, label=f"{vendor} {model}".strip(), backend=self.backend)
            for name, vendor, model, _kind in sane.get_devices()
        ]

    def _open(self, device: str) -> Any:
        sane = _sane()
        try:
            return sane.open(device)
        except Exception as exc:  # _sane.error and RuntimeError("No such scan device")
            raise map_sane_error(str(exc), device) from exc

    def capabilities(self, device: str) -> Capabilities:
        """Read feeder, duplex, resolutions and modes from the device's SANE options."""
        dev = self._open(device)
        try:
            return self._capabilities(dev)
        finally:
            dev.close()

    @staticmethod
    def _capabilities(dev: Any) -> Capabilities:
        sources = _constraint(dev, "source") or []
        sources = [s for s in sources if isinstance(s, str)]
        feeder = any(any(w in s.lower() for w in _FEEDER_WORDS) for s in sources)
        duplex = any("duplex" in s.lower() for s in sources)
        flatbed = not sources or any("flatbed" in s.lower() for s in sources)
        res = _constraint(dev, "resolution")
        if isinstance(res, list):
            resolutions = tuple(sorted(int(r) for r in res))
        elif isinstance(res, tuple):
            lo, hi = int(res[0]), int(res[1])
            resolutions = tuple(r for r in (150, 200, 300, 400, 600) if lo <= r <= hi)
        else:
            resolutions = ()
        modes = _constraint(dev, "mode") or []
        colour_modes: list[ColourMode] = []
        for m in modes:
            lm = str(m).lower()
            if lm in ("color", "colour") and ColourMode.COLOUR not in colour_modes:
                colour_modes.append(ColourMode.COLOUR)
            elif lm in ("gray", "grey") and ColourMode.GREY not in colour_modes:
                colour_modes.append(ColourMode.GREY)
            elif lm in ("lineart", "binary") and ColourMode.BILEVEL not in colour_modes:
                colour_modes.append(ColourMode.BILEVEL)
        if not modes:  # e.g. the pnm backend: colour files come out in colour
            colour_modes = [ColourMode.COLOUR, ColourMode.GREY]
        return Capabilities(feeder, duplex, flatbed, resolutions, tuple(colour_modes))

    @staticmethod
    def _set(dev: Any, name: str, value: object) -> None:
        """Set a SANE option (python-sane names them with ``_`` for ``-``) when the device has it."""
        key = name.replace("-", "_")
        if key in dev.opt and dev.opt[key].is_active() and dev.opt[key].is_settable():
            setattr(dev, key, value)

    def _configure(self, dev: Any, caps: Capabilities, options: ScanOptions) -> None:
        res = _constraint(dev, "resolution")
        if isinstance(res, tuple) and res[0] <= options.resolution <= res[1]:
            self._set(dev, "resolution", options.resolution)  # a range: any value in it
        else:
            self._set(dev, "resolution", caps.nearest_resolution(options.resolution))
        mode = options.colour
        if mode in (ColourMode.AUTO, ColourMode.MIXED):  # the pipeline decides (or splits) the layers
            mode = ColourMode.COLOUR if ColourMode.COLOUR in caps.colour_modes else ColourMode.GREY
        names = {ColourMode.COLOUR: "Color", ColourMode.GREY: "Gray", ColourMode.BILEVEL: "Lineart"}
        allowed = [str(m) for m in (_constraint(dev, "mode") or [])]
        if names[mode] in allowed:
            self._set(dev, "mode", names[mode])
        sources = [s for s in (_constraint(dev, "source") or []) if isinstance(s, str)]
        wanted = None
        for s in sources:
            ls = s.lower()
            is_feeder = any(w in ls for w in _FEEDER_WORDS)
            if (options.feeder and is_feeder and (("duplex" in ls) == options.duplex or wanted is None)) or (
                not options.feeder and not is_feeder
            ):
                wanted = s
        if wanted:
            self._set(dev, "source", wanted)
        for name, value in (
            ("tl-x", 0.0),
            ("tl-y", 0.0),
            ("br-x", options.width_mm),
            ("br-y", options.height_mm),
        ):
            if isinstance(_constraint(dev, name), tuple):
                lo, hi = float(_constraint(dev, name)[0]), float(_constraint(dev, name)[1])
                self._set(dev, name, min(max(value, lo), hi))
        for name, extra in self.extra_options.items():
            self._set(dev, name, extra)

    def scan(
        self,
        device: str,
        options: ScanOptions,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Page]:
        """Scan pages until the feeder is empty (or one page from the glass).

        Raises:
            FeederEmpty: the feeder had no paper for the first page.
            PaperJam, CoverOpen, DeviceBusy, DeviceOffline, ScannerFault: from the device.
            ScanCancelled: ``cancel`` was set (checked between sheets); pages yielded before stay valid.
        """
        dev = self._open(device)
        done = 0
        try:
            caps = self._capabilities(dev)
            self._configure(dev, caps, options)
            dpi = int(dev.resolution) if "resolution" in dev.opt else options.resolution
            if dpi <= 0:  # the pnm backend's "auto"
                dpi = options.resolution
            while options.max_pages is None or done < options.max_pages:
                if cancel is not None and cancel.cancelled:
                    raise ScanCancelled(f"已取消扫描，已保存前 {done} 页。", done)
                index = options.first_index + done

                def on_lines(read: int, total: int, index: int = index) -> None:
                    # A cancel takes effect between sheets, never here: sane_cancel() from inside
                    # python-sane's read loop can hang for good in backends whose reader runs on
                    # its own thread (seen with SANE's test backend), and a feeder must eject the
                    # sheet it has started anyway.
                    if progress is not None and total > 0:
                        progress(index, min(1.0, read / total))

                try:
                    dev.start()
                    image = dev.snap(True, progress=on_lines)
                except Exception as exc:
                    error = map_sane_error(str(exc), device, done)
                    if isinstance(error, FeederEmpty) and done > 0:
                        return
                    raise error from exc
                ignore_sigpipe()  # before handing the page to code that may write to a socket
                pixels = np.asarray(image.convert("RGB" if image.mode == "RGB" else "L"), dtype=np.uint8)
                yield Page(index=index, image=pixels.copy(), dpi=dpi, source=device)
                done += 1
                if not options.feeder or not caps.feeder:
                    return
        finally:
            try:
                dev.cancel()
            finally:
                dev.close()
                ignore_sigpipe()
