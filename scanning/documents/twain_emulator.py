"""An emulated TWAIN stack with pytwain's API, for tests and the demo mode on any OS.

The TWAIN worker (:mod:`scanning.documents.twain_driver`) imports this module instead of ``twain``.
It offers what the worker uses of pytwain: ``SourceManager(parent, ProductName=…)`` with
``source_list``/``open_source``/``close``, ``Source`` with ``get_capability``/``set_capability``/
``acquire_natively``/``close``, the ``exceptions`` namespace with pytwain's class names, and the TWAIN
constants (values from the TWAIN 2.4 specification's ``twain.h``).

A scenario is set with :func:`configure` (the driver passes it to the worker)::

    {"sources": ["Emulated ADF"], "pages": 3, "feeder_loaded": True, "duplex": True,
     "fail_at": 2, "failure": "PaperJam" | "CheckDeviceOnlineError" | "MaxConnectionsError" | "crash",
     "open_failure": "MaxConnectionsError", "dpi": 100}

``failure="crash"`` ends the process abruptly (``os._exit``), like a faulting vendor DLL.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
from PIL import Image as PILImage

# twain.h constants (TWAIN 2.4).
CAP_FEEDERENABLED = 0x1002
CAP_FEEDERLOADED = 0x1003
CAP_DUPLEX = 0x1012
CAP_DUPLEXENABLED = 0x1013
ICAP_PIXELTYPE = 0x0101
ICAP_XRESOLUTION = 0x1118
ICAP_YRESOLUTION = 0x1119
TWTY_UINT16 = 4
TWTY_BOOL = 6
TWTY_FIX32 = 7
TWPT_BW = 0
TWPT_GRAY = 1
TWPT_RGB = 2


class TwainError(Exception):
    """pytwain's base error."""


def _error(name: str) -> type[TwainError]:
    return type(name, (TwainError,), {"__doc__": f"pytwain's {name}."})


exceptions = SimpleNamespace(
    TwainError=TwainError,
    CancelAll=type("CancelAll", (Exception,), {}),
    **{
        n: _error(n)
        for n in (
            "PaperJam",
            "PaperDoubleFeedError",
            "CheckDeviceOnlineError",
            "MaxConnectionsError",
            "DeniedError",
            "SequenceError",
            "DSTransferCancelled",
            "NoDataSourceError",
            "GeneralFailure",
            "CapUnsupported",
        )
    },
)

_scenario: dict[str, Any] = {}


def configure(scenario: dict[str, Any]) -> None:
    """Set the scenario the emulated sources follow."""
    _scenario.clear()
    _scenario.update(scenario)


class _Image:
    """A transferred image (pytwain's ``_Image``): ``save`` writes a BMP."""

    def __init__(self, pixels: np.ndarray) -> None:
        self._pixels: np.ndarray | None = pixels

    def save(self, path: str) -> None:
        if self._pixels is None:
            raise ValueError("image already closed")
        PILImage.fromarray(self._pixels).save(path, format="BMP")

    def close(self) -> None:
        self._pixels = None


def _page(number: int, dpi: int, pixel_type: int) -> np.ndarray:
    """A page with a big page number drawn as bars (so tests can tell pages apart), A4 at ``dpi``."""
    h, w = round(297 / 25.4 * dpi), round(210 / 25.4 * dpi)
    page = np.full((h, w), 250, np.uint8)
    for k in range(number):
        x0 = w // 10 + k * w // 12
        page[h // 6 : h // 3, x0 : x0 + w // 30] = 10
    if pixel_type == TWPT_RGB:
        return np.stack([page] * 3, axis=2)
    return page


class Source:
    """An emulated data source."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._caps: dict[int, Any] = {
            ICAP_XRESOLUTION: 300.0,
            ICAP_YRESOLUTION: 300.0,
            ICAP_PIXELTYPE: TWPT_RGB,
            CAP_FEEDERENABLED: True,
            CAP_DUPLEXENABLED: False,
        }

    def get_capability(self, cap: int) -> Any:
        """Like pytwain's ``get_capability``: ``(type, value)``, a range dict or an enumeration."""
        if cap == ICAP_XRESOLUTION:
            return {"MinValue": 75, "MaxValue": 600, "StepSize": 1, "DefaultValue": 300, "CurrentValue": 300}
        if cap == ICAP_PIXELTYPE:
            return TWTY_UINT16, (2, 2, [TWPT_BW, TWPT_GRAY, TWPT_RGB])
        if cap == CAP_DUPLEX:
            return TWTY_UINT16, 1 if _scenario.get("duplex", False) else 0
        if cap == CAP_FEEDERLOADED:
            return TWTY_BOOL, bool(_scenario.get("feeder_loaded", True))
        if cap in self._caps:
            return TWTY_BOOL, self._caps[cap]
        raise exceptions.CapUnsupported()

    def set_capability(self, cap: int, type_id: int, value: Any) -> None:
        """Like pytwain's ``set_capability`` (every value is accepted)."""
        self._caps[cap] = value

    def acquire_natively(
        self,
        after: Callable[[_Image, int], None],
        before: Callable[[dict[str, Any]], object] = lambda info: None,
        show_ui: bool = True,
        modal: bool = False,
    ) -> None:
        """Like pytwain's ``acquire_natively``: ``after(image, remaining)`` per page."""
        pages = int(_scenario.get("pages", 3))
        fail_at = _scenario.get("fail_at")
        dpi = int(_scenario.get("dpi", self._caps[ICAP_XRESOLUTION]))
        for number in range(1, pages + 1):
            if fail_at is not None and number == int(fail_at):
                failure = _scenario.get("failure", "PaperJam")
                if failure == "crash":
                    os._exit(3)
                raise getattr(exceptions, failure)()
            before({})
            after(_Image(_page(number, dpi, int(self._caps[ICAP_PIXELTYPE]))), pages - number)

    def close(self) -> None:
        """Nothing held."""


class SourceManager:
    """The emulated data source manager."""

    def __init__(self, parent_window: object = None, ProductName: str = "") -> None:  # noqa: N803 (pytwain's name)
        self._open = True

    @property
    def source_list(self) -> list[str]:
        """The emulated sources' names."""
        return list(_scenario.get("sources", ["Emulated ADF"]))

    def open_source(self, product_name: str | None = None) -> Source:
        """Open a source (or fail as the scenario says)."""
        failure = _scenario.get("open_failure")
        if failure:
            raise getattr(exceptions, failure)()
        return Source(product_name or self.source_list[0])

    def close(self) -> None:
        """Close the manager."""
        self._open = False
