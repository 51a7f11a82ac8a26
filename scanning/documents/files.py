"""Pages from files: an import of files or folders, and a watched folder for document cameras (高拍仪).

PDF pages are rendered with poppler's ``pdftoppm`` (Debian ``poppler-utils``) at the requested
resolution; JPEG, PNG and TIFF (every page of a multi-page TIFF) are read with Pillow, phone photos
turned by their EXIF orientation. An image without a usable resolution (phone photos say 72 dpi) is
given the resolution that makes its width an A4 width, so the pipeline's millimetre rules hold.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence, UnidentifiedImageError

from scanning.documents.model import (
    CancelToken,
    Capabilities,
    ColourMode,
    DeviceInfo,
    Page,
    ProgressCallback,
    ScanOptions,
)
from scanning.errors import DeviceNotFound, DriverMissing, ScanCancelled, UnsupportedFile

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
SUFFIXES = (*IMAGE_SUFFIXES, ".pdf")
_A4_WIDTH_IN = 210.0 / 25.4


def _pixels(frame: PILImage.Image) -> np.ndarray:
    frame = ImageOps.exif_transpose(frame) or frame
    if frame.mode in ("1", "L", "I;16", "I", "F"):
        return np.asarray(frame.convert("L"), dtype=np.uint8).copy()
    return np.asarray(frame.convert("RGB"), dtype=np.uint8).copy()


def _dpi(frame: PILImage.Image, width: int) -> int:
    info = frame.info.get("dpi")
    if info and float(info[0]) >= 100:
        return round(float(info[0]))
    # Cameras and phones write 72 dpi or nothing: take the width for an A4 width.
    return max(72, round(width / _A4_WIDTH_IN))


def read_image_file(path: Path) -> Iterator[tuple[np.ndarray, int]]:
    """Each page of a JPEG, PNG or TIFF file as (pixels, dpi).

    Raises:
        UnsupportedFile: the file is not a readable image.
    """
    try:
        with PILImage.open(path) as image:
            for frame in ImageSequence.Iterator(image):
                pixels = _pixels(frame)
                yield pixels, _dpi(frame, pixels.shape[1])
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise UnsupportedFile(
            f"无法读取文件“{path.name}”：文件已损坏或不是图片。请重新导出后再导入。"
        ) from exc


def pdf_page_count(path: Path) -> int:
    """Pages of a PDF (``pdfinfo``)."""
    tool = shutil.which("pdfinfo")
    if tool is None:
        raise DriverMissing(
            "导入 PDF 需要 poppler 工具：请安装系统软件包 poppler-utils（Windows 版随安装包提供）。"
        )
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False, timeout=60)
    for line in result.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise UnsupportedFile(f"无法读取 PDF 文件“{path.name}”：文件已损坏或已加密。请提供未加密的 PDF。")


def read_pdf(path: Path, dpi: int) -> Iterator[tuple[np.ndarray, int]]:
    """Each page of a PDF rendered at ``dpi`` (``pdftoppm``), one page at a time."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise DriverMissing(
            "导入 PDF 需要 poppler 工具：请安装系统软件包 poppler-utils（Windows 版随安装包提供）。"
        )
    count = pdf_page_count(path)
    with tempfile.TemporaryDirectory(prefix="yc-pdf-") as tmp:
        for number in range(1, count + 1):
            stem = Path(tmp) / f"p{number}"
            cmd = [tool, "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile", "-png"]
            result = subprocess.run(
                [*cmd, str(path), str(stem)], capture_output=True, check=False, timeout=300
            )
            if result.returncode != 0:
                raise UnsupportedFile(f"无法读取 PDF 文件“{path.name}”的第 {number} 页：请检查文件后重试。")
            with PILImage.open(stem.with_suffix(".png")) as image:
                yield _pixels(image), dpi


def read_file(path: Path, dpi: int = 300) -> Iterator[tuple[np.ndarray, int]]:
    """Each page of a supported file (PDF rendered at ``dpi``).

    Raises:
        UnsupportedFile: the type is not supported or the content cannot be read.
    """
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        yield from read_pdf(path, dpi)
    elif suffix in IMAGE_SUFFIXES:
        yield from read_image_file(path)
    else:
        raise UnsupportedFile(
            f"不支持导入“{path.name}”：只能导入 PDF、JPEG、PNG 或 TIFF 文件。请另存为其中一种格式后再导入。"
        )


def _files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    if target.is_file():
        return [target]
    raise DeviceNotFound(f"找不到要导入的文件或文件夹“{target.name}”：请检查路径后重试。")


_FILE_CAPS = Capabilities(
    feeder=True,
    duplex=False,
    flatbed=False,
    resolutions=(),
    colour_modes=(ColourMode.COLOUR, ColourMode.GREY),
)


class FileImportDriver:
    """Import from a file or a folder: the ``device`` is the path; pages come in file-name order."""

    backend = "file"

    def is_usable(self) -> bool:
        """Always usable (PDF import also needs poppler-utils, checked when a PDF comes)."""
        return True

    def devices(self) -> list[DeviceInfo]:
        """None to list: the clerk picks a path."""
        return []

    def capabilities(self, device: str) -> Capabilities:
        """Files behave like a feeder of any resolution."""
        return _FILE_CAPS

    def scan(
        self,
        device: str,
        options: ScanOptions,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Page]:
        """Every page of the file, or of each supported file of the folder."""
        index = options.first_index
        for path in _files(Path(device)):
            for pixels, dpi in read_file(path, options.resolution):
                if cancel is not None and cancel.cancelled:
                    raise ScanCancelled(f"已取消导入，已保存前 {index - options.first_index} 页。", index)
                if progress is not None:
                    progress(index, 1.0)
                yield Page(index=index, image=pixels, dpi=dpi, source=path.name)
                index += 1
                if options.max_pages is not None and index - options.first_index >= options.max_pages:
                    return


class WatchedFolderDriver:
    """A document camera (高拍仪) that saves each shot into a folder: pages are the new files.

    Files present when the scan starts are ignored; a file is taken once its size has stopped
    changing for ``settle`` seconds (the camera may still be writing it). The scan ends on cancel,
    after ``options.max_pages``, or after ``idle_timeout`` seconds without a new file. While it waits
    for page *n* it reports ``progress(n, 0.0)`` once: the folder is watched, the camera may shoot.

    Args:
        poll: seconds between looks at the folder.
        settle: seconds a file's size must stay the same.
        idle_timeout: seconds without a new file that end the scan (``None``: only cancel ends it).
    """

    backend = "folder"

    def __init__(self, poll: float = 0.3, settle: float = 0.5, idle_timeout: float | None = 60.0) -> None:
        self.poll = poll
        self.settle = settle
        self.idle_timeout = idle_timeout

    def is_usable(self) -> bool:
        """Always usable."""
        return True

    def devices(self) -> list[DeviceInfo]:
        """None to list: the folder is configured per workstation."""
        return []

    def capabilities(self, device: str) -> Capabilities:
        """A camera: one shot at a time, any resolution."""
        return _FILE_CAPS

    def scan(
        self,
        device: str,
        options: ScanOptions,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Page]:
        """Yield each new image as it lands in the folder."""
        folder = Path(device)
        if not folder.is_dir():
            raise DeviceNotFound(f"找不到高拍仪的保存文件夹“{folder.name}”：请在设置中检查高拍仪的保存位置。")
        seen = {p.name for p in folder.iterdir()}
        sizes: dict[str, tuple[int, float]] = {}
        index, last_new = options.first_index, time.monotonic()
        announced = index - 1
        while options.max_pages is None or index - options.first_index < options.max_pages:
            if cancel is not None and cancel.cancelled:
                return
            if progress is not None and announced != index:
                progress(index, 0.0)  # watching: the next shot becomes page ``index``
                announced = index
            if self.idle_timeout is not None and time.monotonic() - last_new > self.idle_timeout:
                return
            now = time.monotonic()
            for path in sorted(folder.iterdir()):
                if path.name in seen or path.suffix.lower() not in SUFFIXES or not path.is_file():
                    continue
                size = path.stat().st_size
                before = sizes.get(path.name)
                if before is None or before[0] != size:
                    sizes[path.name] = (size, now)
                    continue
                if now - before[1] < self.settle:
                    continue
                seen.add(path.name)
                last_new = now
                for pixels, dpi in read_file(path, options.resolution):
                    if progress is not None:
                        progress(index, 1.0)
                    yield Page(index=index, image=pixels, dpi=dpi, source=path.name)
                    index += 1
            time.sleep(self.poll)
