"""The WLT photo adapter: the missing-decoder path, and the ctypes marshalling against stand-in libraries.

The stand-ins are compiled here from C with the two documented signatures; they check the adapter's
calling convention, buffers and error handling, not the vendor's (unavailable) decoding.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scanning.errors import PhotoError, WltDecodeFailed, WltDecoderMissing
from scanning.idcard.emulator import load_fixture
from scanning.idcard.wlt import (
    BMP_SIZE,
    ENV_VAR,
    MissingWltDecoder,
    VendorWltDecoder,
    WltDecoder,
    check_bmp,
    open_wlt_decoder,
)

FAKE_SOURCE = r"""
#include <stdio.h>
#include <string.h>

static void header(unsigned char *b, int width, int height) {
    int size = 54 + (width * 3 + 2) * height;
    memset(b, 0, 54);
    b[0] = 'B'; b[1] = 'M';
    memcpy(b + 2, &size, 4);
    b[10] = 54; b[14] = 40;
    memcpy(b + 18, &width, 4);
    memcpy(b + 22, &height, 4);
    b[26] = 1; b[28] = 24;
}

/* src[0] == 0xFF: decoding error; 0xFE: writes no BMP; 0xFD: wrong size; flag must be 1. */
int unpack(unsigned char *src, unsigned char *dst, int flag) {
    if (flag != 1 || src[0] == 0xFF) return -1;
    if (src[0] == 0xFE) { memset(dst, 0x11, 100); return 1; }
    header(dst, src[0] == 0xFD ? 100 : 102, 126);
    for (int i = 54; i < 38862; i++) dst[i] = src[i % 1024];
    return 1;
}

int GetBmp(const char *path, int kind) {
    unsigned char src[1024], out[38862];
    char bmp[4096];
    FILE *f = fopen(path, "rb");
    if (!f) return -3;
    if (fread(src, 1, 1024, f) != 1024) { fclose(f); return -4; }
    fclose(f);
    if (kind != 2) return -6;
    if (src[0] == 0xFF) return -1;
    header(out, 102, 126);
    for (int i = 54; i < 38862; i++) out[i] = src[i % 1024];
    strncpy(bmp, path, sizeof bmp - 5);
    bmp[sizeof bmp - 5] = 0;
    strcpy(strrchr(bmp, '.'), ".bmp");
    f = fopen(bmp, "wb");
    fwrite(out, 1, sizeof out, f);
    fclose(f);
    return 1;
}
"""


@pytest.fixture(scope="module")
def fake_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or sys.platform == "win32":
        pytest.skip("no C compiler to build the stand-in WLT library")
    folder = tmp_path_factory.mktemp("wlt")
    source = folder / "fake_wlt.c"
    source.write_text(FAKE_SOURCE)
    library = folder / "libfakewlt.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-O1", "-o", str(library), str(source)], check=True)
    return library


@pytest.fixture
def photo() -> bytes:
    # A first byte the stand-in treats as a normal photo.
    return b"\x01" + load_fixture("resident").photo[1:]


def test_missing_decoder_says_what_to_configure_and_the_fallback(monkeypatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    decoder = open_wlt_decoder()
    assert isinstance(decoder, MissingWltDecoder) and isinstance(decoder, WltDecoder)
    assert not decoder.available
    with pytest.raises(WltDecoderMissing) as caught:
        decoder.decode(bytes(1024))
    message = str(caught.value)
    assert ENV_VAR in message and "libwlt2bmp.so" in message and "WltRS.dll" in message
    assert "扫描件" in message


def test_configured_path_that_does_not_exist(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "libwlt2bmp.so"))
    with pytest.raises(WltDecoderMissing, match="找不到照片解码库"):
        open_wlt_decoder()


def test_file_that_is_not_a_library(tmp_path) -> None:
    bogus = tmp_path / "libwlt2bmp.so"
    bogus.write_bytes(b"not an ELF file")
    with pytest.raises(WltDecoderMissing, match="无法加载照片解码库"):
        VendorWltDecoder(bogus)


def test_library_without_the_entry_point() -> None:
    candidates = ("/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6")
    libc = next((p for p in candidates if Path(p).is_file()), None)
    if libc is None:
        pytest.skip("libm not found at the usual path")
    with pytest.raises(WltDecoderMissing, match="没有 unpack 函数"):
        VendorWltDecoder(libc, entry="unpack")


def test_unpack_entry_returns_the_bmp(fake_library: Path, photo: bytes, monkeypatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(fake_library))
    decoder = open_wlt_decoder(entry="unpack")
    assert decoder.available
    bmp = decoder.decode(photo)
    assert len(bmp) == BMP_SIZE == 38862
    assert bmp[:2] == b"BM" and bmp[54:60] == photo[54:60]


def test_unpack_failure_code(fake_library: Path, photo: bytes) -> None:
    with pytest.raises(WltDecodeFailed, match="unpack 返回 -1") as caught:
        VendorWltDecoder(fake_library, entry="unpack").decode(b"\xff" + photo[1:])
    assert "扫描件" in str(caught.value)


def test_unpack_with_an_unexpected_flag(fake_library: Path, photo: bytes) -> None:
    with pytest.raises(WltDecodeFailed, match="返回 -1"):
        VendorWltDecoder(fake_library, entry="unpack", unpack_flag=602).decode(photo)


@pytest.mark.parametrize(("first", "message"), [(0xFE, "没有输出 BMP"), (0xFD, "100×126")])
def test_unpack_output_is_checked(fake_library: Path, photo: bytes, first: int, message: str) -> None:
    with pytest.raises(WltDecodeFailed, match=message):
        VendorWltDecoder(fake_library, entry="unpack").decode(bytes([first]) + photo[1:])


def test_wrong_photo_size(fake_library: Path) -> None:
    with pytest.raises(WltDecodeFailed, match="1024"):
        VendorWltDecoder(fake_library, entry="unpack").decode(bytes(1000))


def test_getbmp_entry_file_to_file(fake_library: Path, photo: bytes) -> None:
    bmp = VendorWltDecoder(fake_library, entry="GetBmp").decode(photo)
    assert check_bmp(bmp) == bmp and len(bmp) == BMP_SIZE


def test_getbmp_failure_codes_are_explained(fake_library: Path, photo: bytes) -> None:
    with pytest.raises(WltDecodeFailed, match="GetBmp 返回 -1：照片解码出错"):
        VendorWltDecoder(fake_library, entry="GetBmp").decode(b"\xff" + photo[1:])
    with pytest.raises(PhotoError, match="GetBmp 返回 -6：设备连接错误"):
        VendorWltDecoder(fake_library, entry="GetBmp", port_kind=1).decode(photo)
