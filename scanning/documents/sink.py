"""Crash safety: every finished page goes to disk (sealed) the moment it exists (NAPS2-style recovery).

The app passes a ``seal`` that encrypts (and the matching ``open_`` on recovery); each page is one
file written atomically (temporary file, fsync, rename), so a crash leaves whole pages only. After a
crash :func:`recover` gives back the pages and the index of the next page to scan.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from scanning.documents.encode import EncodedPage
from scanning.documents.model import ColourMode
from scanning.errors import RecoveryError

Seal = Callable[[bytes], bytes]
"""Turns a page record into what is stored (the app's encryption); its inverse reads it back."""


class PageSink(Protocol):
    """Receives each page record as soon as it is ready."""

    def write(self, page_index: int, encoded_bytes: bytes) -> None:
        """Store the record of captured page ``page_index`` (replacing an earlier one)."""
        ...


@dataclass(frozen=True)
class PageRecord:
    """What is stored per captured page: its encoded result(s), or the fact it was dropped.

    Attributes:
        source_index: the captured page.
        pages: the encoded pages it produced (two for a split spread, none when dropped as blank).
    """

    source_index: int
    pages: tuple[EncodedPage, ...]

    def pack(self) -> bytes:
        """The record as bytes: a JSON header line, then the pages' data back to back.

        A mixed page's entry adds ``mask_size`` and ``ink``; its mask follows its background. Records
        written before mixed pages existed read back unchanged.
        """
        header = {
            "v": 1,
            "source_index": self.source_index,
            "pages": [_page_header(p) for p in self.pages],
        }
        body = b"".join(p.data + (p.mask or b"") for p in self.pages)
        return json.dumps(header).encode("ascii") + b"\n" + body

    @classmethod
    def unpack(cls, data: bytes) -> PageRecord:
        """Read a record made by :meth:`pack`.

        Raises:
            ValueError: the bytes are not a record.
        """
        head, sep, body = data.partition(b"\n")
        if not sep:
            raise ValueError("no header")
        header = json.loads(head)
        pages, offset = [], 0

        def take(size: int) -> bytes:
            nonlocal offset
            chunk = body[offset : offset + size]
            if len(chunk) != size:
                raise ValueError("truncated record")
            offset += size
            return chunk

        for p in header["pages"]:
            data = take(p["size"])
            mask = take(p["mask_size"]) if "mask_size" in p else None
            red, green, blue = (int(c) for c in p.get("ink", (0, 0, 0)))
            mode = ColourMode(p["mode"])
            pages.append(EncodedPage(data, mode, p["dpi"], p["width"], p["height"], mask, (red, green, blue)))
        return cls(int(header["source_index"]), tuple(pages))


def _page_header(page: EncodedPage) -> dict[str, object]:
    """A page's entry in the record header (a mixed page's mask follows its background)."""
    entry: dict[str, object] = {
        "mode": page.mode.value,
        "dpi": page.dpi,
        "width": page.width,
        "height": page.height,
        "size": len(page.data),
    }
    if page.mask is not None:
        entry["mask_size"] = len(page.mask)
        entry["ink"] = list(page.ink)
    return entry


class DirectorySink:
    """A :class:`PageSink` writing one sealed file per captured page into ``folder``."""

    def __init__(self, folder: Path, seal: Seal) -> None:
        self.folder = Path(folder)
        self.seal = seal
        self.folder.mkdir(parents=True, exist_ok=True)

    def path_for(self, page_index: int) -> Path:
        """The file of a captured page."""
        return self.folder / f"page-{page_index:06d}.sealed"

    def write(self, page_index: int, encoded_bytes: bytes) -> None:
        """Seal and store the record atomically."""
        target = self.path_for(page_index)
        tmp = target.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            fh.write(self.seal(encoded_bytes))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)

    def clear(self) -> None:
        """Remove the stored pages (after the PDF is safely written)."""
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class Recovered:
    """Pages restored after a crash.

    Attributes:
        records: the stored records in capture order.
        next_index: the index of the first page still to scan.
    """

    records: tuple[PageRecord, ...]
    next_index: int

    @property
    def pages(self) -> list[EncodedPage]:
        """The restored pages in order (dropped blanks excluded)."""
        return [p for r in self.records for p in r.pages]


def recover(folder: Path, open_: Seal) -> Recovered:
    """Read back what a :class:`DirectorySink` stored before a crash.

    Leftover temporary files (a write cut by the crash) are ignored; the pages must be contiguous
    from 0, and the next page to scan follows the last contiguous one.

    Raises:
        RecoveryError: a stored page cannot be opened or read.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return Recovered((), 0)
    records: list[PageRecord] = []
    for path in sorted(folder.glob("page-*.sealed")):
        try:
            record = PageRecord.unpack(open_(path.read_bytes()))
        except Exception as exc:
            raise RecoveryError(
                f"无法恢复上次扫描的第 {len(records) + 1} 页（文件已损坏或密钥不符）："
                "请重新扫描该页及其后的页面。"
            ) from exc
        if record.source_index != len(records):
            break
        records.append(record)
    return Recovered(tuple(records), len(records))
