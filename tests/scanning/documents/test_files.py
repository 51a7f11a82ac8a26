from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PIL import Image

from scanning.documents import synthetic
from scanning.documents.encode import EncodedPage, encode_jpeg, write_pdf
from scanning.documents.factory import make_driver, resolve_device
from scanning.documents.files import FileImportDriver, WatchedFolderDriver
from scanning.documents.model import CancelToken, ColourMode, ScanOptions
from scanning.errors import DeviceNotFound, DriverMissing, UnsupportedFile

from .conftest import need_tool


@pytest.fixture
def small_page(cjk_font):
    return synthetic.text_page(chars=200, dpi=100, seed=9)


def test_png_jpeg_and_multipage_tiff(tmp_path, small_page):
    Image.fromarray(small_page).save(tmp_path / "a.png", dpi=(100, 100))
    Image.fromarray(small_page).convert("RGB").save(tmp_path / "b.jpg", dpi=(100, 100), quality=90)
    frames = [Image.fromarray(small_page), Image.fromarray(255 - small_page)]
    frames[0].save(tmp_path / "c.tif", save_all=True, append_images=frames[1:], dpi=(100, 100))
    pages = list(FileImportDriver().scan(str(tmp_path), ScanOptions(first_index=5)))
    assert [p.index for p in pages] == [5, 6, 7, 8]
    assert [p.source for p in pages] == ["a.png", "b.jpg", "c.tif", "c.tif"]
    assert all(p.dpi == 100 for p in pages)
    assert pages[1].image.ndim == 3
    assert np.array_equal(pages[3].image, 255 - small_page)


def test_pdf_import_renders_each_page(tmp_path, small_page):
    need_tool("pdftoppm")
    jpeg = encode_jpeg(small_page, 100, 90)
    h, w = small_page.shape
    blank = encode_jpeg(synthetic.blank_page(dpi=100, paper=255), 100, 90)
    pdf = write_pdf(
        [EncodedPage(jpeg, ColourMode.GREY, 100, w, h), EncodedPage(blank, ColourMode.GREY, 100, w, h)],
        tmp_path / "in.pdf",
    )
    pages = list(FileImportDriver().scan(str(pdf), ScanOptions(resolution=100)))
    assert len(pages) == 2
    assert abs(pages[0].image.shape[0] - h) <= 1 and pages[0].dpi == 100
    assert pages[0].image.min() < 100 and pages[1].image.min() > 200


def test_phone_photo_without_dpi_is_taken_as_a4_width(tmp_path, small_page):
    Image.fromarray(small_page).save(tmp_path / "phone.png")  # no dpi recorded
    [page] = list(FileImportDriver().scan(str(tmp_path / "phone.png"), ScanOptions()))
    assert page.dpi == round(small_page.shape[1] / (210 / 25.4))


def test_unsupported_and_damaged_files(tmp_path):
    (tmp_path / "x.docx").write_bytes(b"PK")
    with pytest.raises(UnsupportedFile, match="只能导入"):
        list(FileImportDriver().scan(str(tmp_path / "x.docx"), ScanOptions()))
    (tmp_path / "bad.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(UnsupportedFile, match=r"bad\.jpg"):
        list(FileImportDriver().scan(str(tmp_path / "bad.jpg"), ScanOptions()))
    with pytest.raises(DeviceNotFound):
        list(FileImportDriver().scan(str(tmp_path / "missing"), ScanOptions()))


def test_watched_folder_takes_new_files_only(tmp_path, small_page):
    Image.fromarray(small_page).save(tmp_path / "old.png")

    def camera():
        for k in range(2):
            time.sleep(0.3)
            Image.fromarray(small_page).save(tmp_path / f"shot{k}.png", dpi=(100, 100))

    thread = threading.Thread(target=camera)
    thread.start()
    driver = WatchedFolderDriver(poll=0.05, settle=0.1, idle_timeout=5)
    reports: list[tuple[int, float]] = []
    pages = list(
        driver.scan(
            str(tmp_path), ScanOptions(max_pages=2, first_index=4), progress=lambda *r: reports.append(r)
        )
    )
    thread.join()
    assert [p.source for p in pages] == ["shot0.png", "shot1.png"]
    # Watching for page 4, page 4 read, watching for page 5, page 5 read.
    assert reports == [(4, 0.0), (4, 1.0), (5, 0.0), (5, 1.0)]


def test_watched_folder_stops_on_cancel_and_idle(tmp_path):
    token = CancelToken()
    token.cancel()
    assert list(WatchedFolderDriver(poll=0.01).scan(str(tmp_path), ScanOptions(), token)) == []
    started = time.monotonic()
    assert list(WatchedFolderDriver(poll=0.01, idle_timeout=0.2).scan(str(tmp_path), ScanOptions())) == []
    assert time.monotonic() - started < 2
    with pytest.raises(DeviceNotFound):
        list(WatchedFolderDriver().scan(str(tmp_path / "none"), ScanOptions()))


def test_factory(sane_config):
    assert make_driver("file").backend == "file"
    assert make_driver("sane").backend == "sane"
    driver, name = resolve_device("file:/tmp/x.pdf")
    assert driver.backend == "file" and name == "/tmp/x.pdf"
    driver, name = resolve_device("test:0")
    assert driver.backend == "sane" and name == "test:0"
    with pytest.raises(DriverMissing, match="pytwain"):
        make_driver("twain")
    with pytest.raises(DriverMissing, match="sane、twain"):
        make_driver("wia")
