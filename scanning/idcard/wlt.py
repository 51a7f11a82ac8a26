"""The chip photo: a :class:`WltDecoder` protocol and a ctypes adapter over the reader vendor's library.

The 1024-byte WLT photo is encrypted and compressed; only the reader vendor's library decodes it into a
102 × 126, 24-bit BMP (idcard-reader.md §7, [M]). No open decoder exists, so the library's path is
configuration: a parameter, or the ``YICHUANG_WLT_DECODER`` environment variable. Without it,
:meth:`MissingWltDecoder.decode` raises :class:`scanning.errors.WltDecoderMissing`, whose message says
the photo on a scan of the card's face can be used instead.

Two entry points are supported; both are vendor-specific and **unverified against a real library**:

- ``unpack`` (Linux ``libwlt2bmp.so`` and its Windows builds): ``int unpack(char *wlt, char *bmp,
  int flag)``; with ``flag = 1`` the library writes a whole BMP file image (54-byte header plus
  126 rows of 102 × 3 bytes padded to 308) into ``bmp`` and returns 1. Some builds expect another
  ``flag`` (602 is seen in vendor samples): it is the ``unpack_flag`` setting.
- ``GetBmp`` (Windows ``WltRS.dll``, ``__stdcall``): ``int GetBmp(char *wlt_path, int port_kind)``
  decodes a ``.wlt`` file into a ``.bmp`` beside it and returns 1; ``port_kind`` is 1 for a serial
  reader and 2 for USB. The negative codes' meanings come from vendor manuals [M].
"""

from __future__ import annotations

import ctypes
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, Protocol, runtime_checkable

from scanning.errors import WltDecodeFailed, WltDecoderMissing
from scanning.idcard.record import PHOTO_SIZE

ENV_VAR: Final = "YICHUANG_WLT_DECODER"
"""Environment variable naming the vendor library."""

PHOTO_WIDTH: Final = 102
PHOTO_HEIGHT: Final = 126
BMP_HEADER_SIZE: Final = 54
BMP_SIZE: Final = BMP_HEADER_SIZE + (PHOTO_WIDTH * 3 + 2) * PHOTO_HEIGHT
"""38862: the BMP file the decoders produce (rows padded to a multiple of 4 bytes)."""

_OUTPUT_BUFFER: Final = 64 * 1024  # generous: a library writing past 38862 bytes must not corrupt memory

Entry = Literal["unpack", "GetBmp"]

GETBMP_CODES: Final[Mapping[int, str]] = MappingProxyType(
    {
        # Vendor manuals of WltRS.dll GetBmp, unverified [M].
        0: "调用失败",
        -1: "照片解码出错",
        -2: "照片文件后缀错误",
        -3: "照片文件打开错误",
        -4: "照片文件格式错误",
        -5: "解码库未获授权",
        -6: "设备连接错误",
    }
)

MISSING_MESSAGE: Final = (
    "没有配置读卡器厂商的照片解码库（WLT 解码器），无法取出证件芯片中的照片。"
    "请系统管理员在设置中填写厂商解码库的路径（Windows 通常为 WltRS.dll，Linux 为 libwlt2bmp.so），"
    f"或设置环境变量 {ENV_VAR}；在此之前，可扫描证件正面，用扫描件上的照片进行人证核验"
)


@runtime_checkable
class WltDecoder(Protocol):
    """Turns a chip photo (WLT) into a BMP image."""

    @property
    def available(self) -> bool:
        """Whether :meth:`decode` can work at all."""

    def decode(self, wlt: bytes) -> bytes:
        """The 102 × 126 24-bit BMP file for the 1024-byte WLT photo.

        Raises:
            WltDecoderMissing: no decoder is configured.
            WltDecodeFailed: the decoder rejected the photo or produced no valid image.
        """


class MissingWltDecoder:
    """The decoder used when none is configured: :meth:`decode` says what is missing."""

    @property
    def available(self) -> bool:
        """Always ``False``."""
        return False

    def decode(self, wlt: bytes) -> bytes:
        """Raise :class:`WltDecoderMissing` naming what to configure and the scan fallback."""
        raise WltDecoderMissing(MISSING_MESSAGE)


def check_bmp(data: bytes) -> bytes:
    """Check that ``data`` starts with a 102 × 126, 24-bit BMP file and return exactly that file.

    Raises:
        WltDecodeFailed: not such a BMP.
    """
    if len(data) < BMP_HEADER_SIZE or data[:2] != b"BM":
        raise WltDecodeFailed(
            "厂商解码库没有输出 BMP 图像，请核对解码库版本和设置中的调用参数；可改用证件正面扫描件上的照片"
        )
    size = int.from_bytes(data[2:6], "little")
    width = int.from_bytes(data[18:22], "little", signed=True)
    height = int.from_bytes(data[22:26], "little", signed=True)
    bits = int.from_bytes(data[28:30], "little")
    if (width, abs(height), bits) != (PHOTO_WIDTH, PHOTO_HEIGHT, 24) or not BMP_HEADER_SIZE < size <= len(
        data
    ):
        raise WltDecodeFailed(
            f"厂商解码库输出的图像不是 {PHOTO_WIDTH}×{PHOTO_HEIGHT} 的 24 位照片"
            f"（实际 {width}×{abs(height)}、{bits} 位），"
            "请核对解码库版本；可改用证件正面扫描件上的照片"
        )
    return bytes(data[:size])


class VendorWltDecoder:
    """ctypes adapter over the vendor's WLT library (see the module docstring for the entry points).

    Args:
        library: path of the DLL or shared object.
        entry: ``"unpack"`` (buffer to buffer) or ``"GetBmp"`` (file to file); by default ``GetBmp`` on
            Windows and ``unpack`` elsewhere.
        unpack_flag: third argument of ``unpack`` (1: write a BMP file image).
        port_kind: second argument of ``GetBmp`` (1 serial, 2 USB).

    Raises:
        WltDecoderMissing: the library cannot be loaded or lacks the entry point.
    """

    def __init__(
        self,
        library: str | Path,
        *,
        entry: Entry | None = None,
        unpack_flag: int = 1,
        port_kind: int = 2,
    ) -> None:
        self.library = Path(library)
        self.entry: Entry = entry or ("GetBmp" if sys.platform == "win32" else "unpack")
        self.unpack_flag = unpack_flag
        self.port_kind = port_kind
        if not self.library.is_file():
            raise WltDecoderMissing(
                f"找不到照片解码库 {self.library}，请核对设置中的路径（{ENV_VAR}）。{_FALLBACK}"
            )
        try:
            self._dll = _load(self.library, stdcall=self.entry == "GetBmp")
        except OSError as exc:
            raise WltDecoderMissing(
                f"无法加载照片解码库 {self.library}（{exc}）：请确认它与本程序同为 64 位或 32 位，"
                f"且它依赖的厂商文件都在同一目录。{_FALLBACK}"
            ) from exc
        try:
            self._function: Callable[..., int] = getattr(self._dll, self.entry)
        except AttributeError:
            raise WltDecoderMissing(
                f"照片解码库 {self.library} 中没有 {self.entry} 函数，请在设置中选择正确的调用方式"
                f"（unpack 或 GetBmp）。{_FALLBACK}"
            ) from None
        self._function.restype = ctypes.c_int
        self._function.argtypes = (
            (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int)
            if self.entry == "unpack"
            else (ctypes.c_char_p, ctypes.c_int)
        )

    @property
    def available(self) -> bool:
        """``True``: the library is loaded."""
        return True

    def decode(self, wlt: bytes) -> bytes:
        """Decode the 1024-byte WLT photo into a BMP file.

        Raises:
            WltDecodeFailed: wrong input size, a failure code from the library, or no valid BMP.
        """
        if len(wlt) != PHOTO_SIZE:
            raise WltDecodeFailed(
                f"证件照片数据应为 {PHOTO_SIZE} 字节，实际为 {len(wlt)} 字节，请重新读卡；{_FALLBACK}"
            )
        return self._unpack(wlt) if self.entry == "unpack" else self._get_bmp(wlt)

    def _unpack(self, wlt: bytes) -> bytes:
        source = ctypes.create_string_buffer(wlt, len(wlt))
        target = ctypes.create_string_buffer(_OUTPUT_BUFFER)
        code = self._function(source, target, self.unpack_flag)
        if code != 1:
            raise WltDecodeFailed(f"厂商解码库未能解出证件照片（unpack 返回 {code}）。{_FALLBACK}")
        return check_bmp(target.raw)

    def _get_bmp(self, wlt: bytes) -> bytes:
        with tempfile.TemporaryDirectory(prefix="yc-wlt-") as folder:
            source = Path(folder) / "zp.wlt"
            source.write_bytes(wlt)
            encoded = str(source).encode("mbcs") if sys.platform == "win32" else os.fsencode(source)
            code = self._function(encoded, self.port_kind)
            if code != 1:
                meaning = GETBMP_CODES.get(code, "未知错误")
                raise WltDecodeFailed(
                    f"厂商解码库未能解出证件照片（GetBmp 返回 {code}：{meaning}）。{_FALLBACK}"
                )
            try:
                data = source.with_suffix(".bmp").read_bytes()
            except OSError:
                raise WltDecodeFailed(f"厂商解码库报告成功，但没有生成照片文件。{_FALLBACK}") from None
        return check_bmp(data)


_FALLBACK: Final = "可改用证件正面扫描件上的照片进行人证核验"


def _load(path: Path, *, stdcall: bool) -> ctypes.CDLL:
    if sys.platform == "win32" and stdcall:
        return ctypes.WinDLL(str(path))
    return ctypes.CDLL(str(path))


def open_wlt_decoder(library: str | Path | None = None, **options: object) -> WltDecoder:
    """The configured decoder: ``library``, else ``$YICHUANG_WLT_DECODER``, else a :class:`MissingWltDecoder`.

    Args:
        library: path of the vendor library.
        **options: passed to :class:`VendorWltDecoder` (``entry``, ``unpack_flag``, ``port_kind``).

    Raises:
        WltDecoderMissing: a library is configured but cannot be loaded.
    """
    path = library or os.environ.get(ENV_VAR) or None
    if path is None:
        return MissingWltDecoder()
    return VendorWltDecoder(path, **options)  # type: ignore[arg-type]
