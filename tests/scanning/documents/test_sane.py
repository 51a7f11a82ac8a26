"""SANE end to end through real libsane: the ``test`` backend (feeder of 10 sheets, patterns) and the
``pnm`` backend (serves an image file as the scanned page)."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PIL import Image

from scanning.documents import synthetic
from scanning.documents.model import CancelToken, ColourMode, ScanOptions
from scanning.documents.processing import ProcessedPage
from scanning.documents.profiles import load_profiles
from scanning.documents.sane_driver import SaneDriver
from scanning.documents.scan import scan_to_pdf
from scanning.errors import DeviceBusy, DeviceNotFound, FeederEmpty, PaperJam, ScanCancelled

from .conftest import need_tool

pytestmark = pytest.mark.usefixtures("sane_config")


def test_devices_and_capabilities():
    driver = SaneDriver()
    assert driver.is_usable()
    names = {d.name for d in driver.devices()}
    assert {"test:0", "test:1", "pnm:0", "pnm:1"} <= names
    caps = driver.capabilities("test:0")
    assert caps.feeder and caps.flatbed and not caps.duplex
    assert set(caps.colour_modes) == {ColourMode.COLOUR, ColourMode.GREY}
    assert 300 in caps.resolutions
    assert driver.capabilities("pnm:0").resolutions[-1] == 300


def test_feeder_yields_ten_pages_with_progress():
    seen: list[tuple[int, float]] = []
    driver = SaneDriver({"test-picture": "Grid"})
    opts = ScanOptions(resolution=50, colour=ColourMode.GREY, feeder=True, first_index=4)
    pages = list(driver.scan("test:0", opts, progress=lambda i, f: seen.append((i, f))))
    assert [p.index for p in pages] == list(range(4, 14))
    # A4 at 50 dpi.
    h, w = pages[0].image.shape
    assert abs(h - 297 / 25.4 * 50) <= 1.5 and abs(w - 210 / 25.4 * 50) <= 1.5
    assert pages[0].dpi == 50 and pages[0].source == "test:0"
    assert (4, 1.0) in seen and (13, 1.0) in seen


def test_colour_mode_gives_rgb():
    driver = SaneDriver({"test-picture": "Color pattern"})
    [page] = list(driver.scan("test:1", ScanOptions(resolution=50, colour=ColourMode.COLOUR, feeder=False)))
    assert page.image.ndim == 3 and page.image.shape[2] == 3


def test_cancel_after_first_page():
    token = CancelToken()
    driver = SaneDriver()
    got = []
    with pytest.raises(ScanCancelled) as info:
        for page in driver.scan("test:0", ScanOptions(resolution=50, feeder=True), token):
            got.append(page)
            token.cancel()
    assert len(got) == 1 and info.value.pages_done == 1


def test_busy_device():
    import sane  # type: ignore[import-untyped]

    holder = sane.open("test:1")
    try:
        with pytest.raises(DeviceBusy, match="正被其他程序使用"):
            list(SaneDriver().scan("test:1", ScanOptions(resolution=50, feeder=False)))
    finally:
        holder.close()


def test_unknown_device():
    with pytest.raises(DeviceNotFound):
        SaneDriver().capabilities("nosuch:0")


def test_status_codes_map_to_typed_errors(tmp_path):
    image = tmp_path / "page.pgm"
    Image.fromarray(synthetic.blank_page(dpi=50)).save(image)
    with pytest.raises(PaperJam, match="卡纸"):
        list(SaneDriver({"filename": str(image), "status-jammed": True}).scan("pnm:0", ScanOptions()))
    with pytest.raises(FeederEmpty, match="没有纸"):
        list(SaneDriver({"filename": str(image), "status-nodocs": True}).scan("pnm:0", ScanOptions()))
    # The pnm backend keeps its options: clear them, and the next scan works again.
    reset = SaneDriver({"filename": str(image), "status-nodocs": False, "status-jammed": False})
    [page] = list(reset.scan("pnm:0", ScanOptions()))
    assert page.image.shape == synthetic.blank_page(dpi=50).shape


def test_pnm_document_end_to_end_to_pdf(tmp_path, text_page_300):
    skewed = synthetic.add_noise(synthetic.skew(synthetic.add_red_seal(text_page_300, 300), -3.0), 4.0)
    image = tmp_path / "contract.ppm"
    Image.fromarray(skewed).save(image)
    driver = SaneDriver({"filename": str(image)})
    profile = load_profiles().get("document")
    pages: list[ProcessedPage] = []
    result = scan_to_pdf(driver, "pnm:0", profile, tmp_path / "out.pdf", on_page=pages.append)
    assert result.pages == 1 and result.captured == 1 and not result.cancelled
    assert pages[0].mode is ColourMode.MIXED and abs(pages[0].skew + 3.0) <= 0.2
    listing = subprocess.run(
        [need_tool("pdfimages"), "-list", str(tmp_path / "out.pdf")], capture_output=True, text=True
    )
    # Text with a seal: a colour JPEG background under a G4 text mask on the one page.
    assert [line.split()[8] for line in listing.stdout.splitlines()[2:]] == ["jpeg", "ccitt"]


def test_test_backend_stack_to_pdf(tmp_path):
    profile = load_profiles().customise(
        "document", resolution=100, colour=ColourMode.GREY, detect_codes=False
    )
    driver = SaneDriver({"test-picture": "Grid"})
    result = scan_to_pdf(driver, "test:0", profile, tmp_path / "stack.pdf")
    assert result.captured == 10 and result.pages == 10
    info = subprocess.run([need_tool("pdfinfo"), str(tmp_path / "stack.pdf")], capture_output=True, text=True)
    assert "Pages:           10" in info.stdout


def test_white_pages_are_all_dropped(tmp_path):
    profile = load_profiles().customise("document", resolution=75, detect_codes=False)
    driver = SaneDriver({"test-picture": "Solid white"})
    try:
        result = scan_to_pdf(driver, "test:0", profile, tmp_path / "none.pdf")
    finally:
        # The test backend keeps option values for the whole process (libsane initialises once):
        # put its picture back, or every later scan of test:0 in this test run is blank.
        list(SaneDriver({"test-picture": "Grid"}).scan("test:0", ScanOptions(resolution=50, feeder=False)))
    assert result.captured == 10 and result.dropped == 10 and result.out_path is None
    assert not (tmp_path / "none.pdf").exists()


def test_pages_are_numpy_copies():
    [page] = list(SaneDriver().scan("test:1", ScanOptions(resolution=50, feeder=False)))
    assert isinstance(page.image, np.ndarray) and page.image.flags.writeable


def _sigpipe_ignored() -> bool:
    """The process's real SIGPIPE disposition (Python's ``signal.getsignal`` misses changes made in C)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("SigIgn:"):
                return bool(int(line.split()[1], 16) & (1 << (13 - 1)))  # SIGPIPE is 13
    raise AssertionError("no SigIgn line in /proc/self/status")


def test_scanning_leaves_sigpipe_ignored():
    """SANE's test backend sets SIGPIPE to terminate while it scans; a dropped socket later must raise
    an exception, not kill the window or the sync worker."""
    driver = SaneDriver()
    pages = driver.scan("test:0", ScanOptions(feeder=True, max_pages=3), None)
    for _page in pages:
        assert _sigpipe_ignored()
    assert _sigpipe_ignored()
