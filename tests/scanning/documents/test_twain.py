"""The TWAIN worker-process protocol and error mapping, against the emulated pytwain source."""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest

from scanning.documents.model import CancelToken, ColourMode, ScanOptions
from scanning.documents.twain_driver import TwainDriver, map_twain_error
from scanning.errors import (
    DeviceBusy,
    DeviceNotFound,
    DeviceOffline,
    DriverCrashed,
    DriverMissing,
    FeederEmpty,
    PaperJam,
    ScanCancelled,
    ScannerFault,
)

EMULATOR = "scanning.documents.twain_emulator"


def driver(**scenario: Any) -> TwainDriver:
    scenario.setdefault("dpi", 40)
    return TwainDriver(module=EMULATOR, config=scenario, page_timeout=60)


def test_devices_and_capabilities():
    d = driver(sources=["Emulated ADF", "Flatbed 2"], duplex=True)
    assert d.is_usable()
    assert [x.name for x in d.devices()] == ["Emulated ADF", "Flatbed 2"]
    caps = d.capabilities("Emulated ADF")
    assert caps.feeder and caps.duplex
    assert caps.resolutions == (150, 200, 300, 400, 600)
    assert caps.colour_modes == (ColourMode.COLOUR, ColourMode.GREY, ColourMode.BILEVEL)


def test_scan_yields_pages_in_order_from_the_worker():
    pages = list(driver(pages=3).scan("Emulated ADF", ScanOptions(colour=ColourMode.GREY, first_index=2)))
    assert [p.index for p in pages] == [2, 3, 4]
    assert pages[0].image.ndim == 2 and pages[0].dpi == 300
    # Page k has k bars: the pages are distinct and in order.
    bars = [int((p.image[p.image.shape[0] // 4] < 128).sum() > 0) for p in pages]
    assert bars == [1, 1, 1]
    widths = [int((p.image[p.image.shape[0] // 4] < 128).sum()) for p in pages]
    assert widths[0] < widths[1] < widths[2]


def test_paper_jam_after_first_page():
    got = []
    with pytest.raises(PaperJam, match="第 2 页"):
        for page in driver(pages=4, fail_at=2, failure="PaperJam").scan("Emulated ADF", ScanOptions()):
            got.append(page)
    assert len(got) == 1


def test_driver_crash_does_not_take_the_caller_down():
    got = []
    with pytest.raises(DriverCrashed, match="异常退出") as info:
        for page in driver(pages=4, fail_at=3, failure="crash").scan("Emulated ADF", ScanOptions()):
            got.append(page)
    assert len(got) == 2
    assert "代码 3" in str(info.value)
    assert os.getpid() > 0  # still here


def test_feeder_empty():
    with pytest.raises(FeederEmpty):
        list(driver(feeder_loaded=False).scan("Emulated ADF", ScanOptions(feeder=True)))


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        ("MaxConnectionsError", DeviceBusy),
        ("CheckDeviceOnlineError", DeviceOffline),
        ("GeneralFailure", ScannerFault),
    ],
)
def test_open_failures_are_typed(failure, error):
    with pytest.raises(error):
        list(driver(open_failure=failure).scan("Emulated ADF", ScanOptions()))


def test_unknown_source():
    with pytest.raises(DeviceNotFound):
        driver().capabilities("Nope")


def test_cancel_stops_the_worker():
    token = CancelToken()
    got = []
    with pytest.raises(ScanCancelled) as info:
        for page in driver(pages=6).scan("Emulated ADF", ScanOptions(), token):
            got.append(page)
            token.cancel()
    assert len(got) < 6 and info.value.pages_done == len(got)


def test_missing_module_names_what_to_install():
    d = TwainDriver(module="yc_no_such_twain_module")
    assert not d.is_usable()
    with pytest.raises(DriverMissing, match="pytwain"):
        TwainDriver(module="json").devices()  # a module without SourceManager behaves like a broken install


@pytest.mark.skipif(sys.platform == "win32", reason="the OS guard is what is tested")
def test_real_pytwain_is_not_used_off_windows():
    assert not TwainDriver().is_usable()


def test_error_mapping_table():
    assert isinstance(map_twain_error("PaperDoubleFeedError", "S"), PaperJam)
    assert isinstance(map_twain_error("DSTransferCancelled", "S", 2), ScanCancelled)
    assert isinstance(map_twain_error("SMLoadFileFailed", "S"), DriverMissing)
    assert "S" in str(map_twain_error("Whatever", "S", detail="x"))
