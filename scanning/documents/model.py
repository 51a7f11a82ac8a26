"""The values every scanner backend speaks: devices, capabilities, options, pages, cancel.

The protocol follows NAPS2's ``IScanDriver`` (list devices, ask capabilities, scan with options and a
cancel token, pages delivered as they arrive). Images are numpy ``uint8`` arrays: ``(h, w)`` grey or
``(h, w, 3)`` RGB (not OpenCV's BGR), with their resolution carried beside them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

import numpy.typing as npt

Image = npt.NDArray[Any]
"""A page image: ``(h, w)`` grey or ``(h, w, 3)`` RGB, ``uint8`` (OpenCV's results are typed loosely)."""


class ColourMode(StrEnum):
    """How a page is captured or stored."""

    COLOUR = "colour"
    GREY = "grey"
    BILEVEL = "bilevel"
    MIXED = "mixed"
    """Stored as two layers: bilevel text over a low-resolution colour background (captured in colour)."""
    AUTO = "auto"
    """Capture in colour (or grey) and let the pipeline decide per page."""


@dataclass(frozen=True)
class DeviceInfo:
    """A scanner (or import source) a driver can use.

    Attributes:
        name: the id passed back to the driver (``test:0``, a TWAIN source name, a folder path).
        label: what the clerk sees.
        backend: ``sane``, ``twain``, ``file`` or ``folder``.
    """

    name: str
    label: str
    backend: str


@dataclass(frozen=True)
class Capabilities:
    """What a device can do.

    Attributes:
        feeder: has an automatic document feeder.
        duplex: scans both sides in one pass.
        flatbed: has a glass.
        resolutions: the resolutions it offers (dpi), ascending; empty when any is accepted.
        colour_modes: the capture modes it offers (no ``AUTO``: that is the pipeline's).
    """

    feeder: bool
    duplex: bool
    flatbed: bool
    resolutions: tuple[int, ...]
    colour_modes: tuple[ColourMode, ...]

    def nearest_resolution(self, dpi: int) -> int:
        """The offered resolution closest to ``dpi`` (``dpi`` itself when any is accepted)."""
        if not self.resolutions:
            return dpi
        return min(self.resolutions, key=lambda r: (abs(r - dpi), -r))


@dataclass(frozen=True)
class ScanOptions:
    """What to scan.

    Attributes:
        resolution: dpi.
        colour: capture mode; ``AUTO`` captures colour (grey on grey-only devices).
        feeder: take paper from the feeder (else the glass).
        duplex: both sides (feeder only).
        width_mm: scan area width (A4 by default).
        height_mm: scan area height.
        max_pages: stop after this many pages (``None``: until the feeder is empty).
        first_index: index given to the first page (after a crash, the next page to scan).
    """

    resolution: int = 300
    colour: ColourMode = ColourMode.AUTO
    feeder: bool = True
    duplex: bool = False
    width_mm: float = 210.0
    height_mm: float = 297.0
    max_pages: int | None = None
    first_index: int = 0


@dataclass(frozen=True)
class Page:
    """One captured page, as it came from the device (before the pipeline).

    Attributes:
        index: 0-based position in the stack (continues after a crash).
        image: the pixels.
        dpi: resolution of ``image``.
        source: the device or file it came from (no personal data: a device id or a file name).
    """

    index: int
    image: Image = field(repr=False)
    dpi: int
    source: str = ""

    @property
    def is_colour(self) -> bool:
        """Whether the image has three channels."""
        return self.image.ndim == 3


class CancelToken:
    """A cancel flag shared between the window and the thread (or process) that scans."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the scan to stop as soon as it can (the page being read is abandoned)."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._event.is_set()


ProgressCallback = Callable[[int, float], None]
"""``progress(page_index, fraction)`` while a page is being read, ``fraction`` in ``[0, 1]``."""


@runtime_checkable
class ScannerDriver(Protocol):
    """A family of scanners (NAPS2's ``IScanDriver``)."""

    backend: str

    def is_usable(self) -> bool:
        """Whether the backend's library is installed and can run on this system."""
        ...

    def devices(self) -> list[DeviceInfo]:
        """The devices available now."""
        ...

    def capabilities(self, device: str) -> Capabilities:
        """What ``device`` can do."""
        ...

    def scan(
        self,
        device: str,
        options: ScanOptions,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Page]:
        """Scan, yielding each page the moment it is complete.

        Raises:
            scanning.errors.DocumentScanError: a typed device error (``FeederEmpty`` when no page at
                all could be fed, ``PaperJam``, ``DeviceBusy``, ``ScanCancelled`` …).
        """
        ...
