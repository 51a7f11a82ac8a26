"""Scanning in the workstation (Qt-free): a case's captured pages, encrypted on disk, stored per material.

A :class:`ScanBatch` holds the pages captured for one case since the clerk last finished scanning.
Each page is sealed with the store's data key (:meth:`~workstation.storage.store.SqlStore.seal`) and
written atomically into ``<data dir>/scan-recovery/<case id>/`` the moment it leaves the pipeline
(:class:`scanning.documents.DirectorySink`, NAPS2-style recovery), so the disk never holds a page in
clear and a crash (even ``kill -9``) loses nothing: reopening the case restores the pages, their
order and their checklist items, and the next scan continues from the next page.

The layout (which material each page belongs to, the order, deletions) is a small sealed file
beside the pages. Rotating a page re-encodes it and rewrites its sealed record; rescanning a page
replaces the record of that captured page.

Each checklist item's pages become one PDF stored as an encrypted attachment
(:meth:`~workstation.storage.api.Store.add_attachment`); the case's ``MaterialRecord.attachment_ids``
and ``pages`` are derived from the stored attachments (:func:`material_scans`), never kept apart.

Threads: :meth:`ScanBatch.scan` runs on the device pool (it blocks on the scanner); the functions
taking a ``store`` run on the database executor. The batch locks its own state, so the window may
assign pages while a scan is still feeding.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, Protocol

import cv2
import numpy as np

from forms.errors import InvalidIdentifier
from forms.identifiers import check_contract_filing_number
from scanning.documents import (
    CancelToken,
    DetectedCode,
    DirectorySink,
    EncodedPage,
    PageRecord,
    ProcessedPage,
    ScannerDriver,
    ScanProfile,
    detect_codes,
    process_page,
    recover,
)
from scanning.documents.encode import decode_page, pdf_document, rotate_page
from scanning.documents.model import Image, ProgressCallback
from scanning.errors import FeederEmpty, RecoveryError, ScanCancelled
from workstation import paths
from workstation.storage.api import Attachment, Store, User

RECOVERY_FOLDER: Final = "scan-recovery"
"""Folder in the data folder holding each case's sealed pages until the clerk finishes scanning."""

LAYOUT_FILE: Final = "layout.sealed"
"""The sealed layout beside the pages (not matched by the sink's ``page-*.sealed``)."""

PDF: Final = "application/pdf"

THUMBNAIL_HEIGHT: Final = 180
"""Pixel height of the thumbnails the panel shows."""

FILING_NUMBER_PATH: Final = "transaction.contract_filing_number"
"""The case field a code on a page may pre-fill (合同网签备案编号; identifiers.md §5: no national format)."""

_CODE_TEXT: Final = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_/（）()]{3,59}$")
"""A code text that can be a filing number: one token of 4-60 characters, no URL, no spaces.

Yichuang's heuristic, not a rule: the number has no national format (identifiers.md §5, Q3), so the
clerk always confirms; the office's own pattern (``IdentifierSettings.contract_filing_pattern``)
is applied by validation once the value is in the field.
"""


class ScanSettings(Protocol):
    """The settings scanning reads (a subset of :class:`workstation.config.Settings`)."""

    @property
    def scanner_device(self) -> str:
        """This window's default scanner (``sane:…``, ``twain:…``, ``folder:…``; ``""``: none set)."""
        ...

    @property
    def scan_profiles_file(self) -> Path | None:
        """The office's scan profiles file."""
        ...

    @property
    def scan_watched_folder(self) -> Path | None:
        """The document camera's folder."""
        ...


def page_key(source_index: int, part: int) -> str:
    """The stable key of a page: captured page ``source_index``, half ``part`` of a split spread."""
    return f"{source_index}.{part}"


def _split_key(key: str) -> tuple[int, int]:
    index, _, part = key.partition(".")
    return int(index), int(part or 0)


@dataclass(frozen=True)
class CapturedPage:
    """A page of the batch as the panel shows it.

    Attributes:
        key: its stable key (:func:`page_key`).
        encoded: the compressed page.
        material: the checklist item's code it is assigned to (``None``: not yet).
    """

    key: str
    encoded: EncodedPage = field(repr=False)
    material: str | None


@dataclass(frozen=True)
class ArrivedPage:
    """A page that just left the pipeline, reported from the device thread.

    Attributes:
        key: the page's key, ``None`` when it was dropped as blank.
        source_index: the captured page.
        thumbnail: a small image (``THUMBNAIL_HEIGHT`` pixels high) for the panel.
        material: the checklist item it was put on.
        codes: barcodes and QR codes found on it.
        replaces: for a rescan, the key of the page it replaces.
    """

    key: str | None
    source_index: int
    thumbnail: Image = field(repr=False)
    material: str | None
    codes: tuple[DetectedCode, ...] = ()
    replaces: str | None = None


@dataclass(frozen=True)
class ScanOutcome:
    """What one scan run added.

    Attributes:
        captured: pages the device delivered.
        kept: pages added (after blank removal and spread splitting).
        dropped: pages left out as blank.
        cancelled: the clerk cancelled; the pages before the cancel are kept.
        next_index: the next captured page's index (a later scan continues there).
        materials: checklist items that received pages.
    """

    captured: int
    kept: int
    dropped: int
    cancelled: bool
    next_index: int
    materials: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MaterialScans:
    """What is stored for one checklist item: the case data's ``attachment_ids`` and ``pages``.

    Attributes:
        code: the checklist item.
        attachment_ids: its stored scans, oldest first.
        pages: their pages in total.
    """

    code: str
    attachment_ids: tuple[str, ...]
    pages: int


@dataclass(frozen=True)
class FieldSuggestion:
    """A value read from a code on a page, offered for a case field.

    Attributes:
        path: the case field (``transaction.contract_filing_number``).
        title: its title, for the clerk.
        value: the value read.
        page_key: the page it was found on.
    """

    path: str
    title: str
    value: str
    page_key: str


def recovery_folder(case_id: uuid.UUID, data_dir: Path | None = None) -> Path:
    """Where a case's sealed pages wait (``<data dir>/scan-recovery/<case id>``)."""
    root = data_dir if data_dir is not None else paths.data_dir()
    return root / RECOVERY_FOLDER / str(case_id)


def thumbnail(image: Image, height: int = THUMBNAIL_HEIGHT) -> Image:
    """A small copy of a page image for the panel (grey or RGB, ``uint8``)."""
    h, w = image.shape[:2]
    scale = height / max(1, h)
    size = (max(1, round(w * scale)), max(1, height))
    return np.ascontiguousarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA))


def decode(page: EncodedPage) -> Image:
    """The pixels of an encoded page: RGB for colour and mixed pages, grey otherwise (bilevel as 0/255)."""
    return decode_page(page)


def rotate_encoded(page: EncodedPage, quarter_turns: int) -> EncodedPage:
    """The page turned clockwise by ``quarter_turns`` × 90° (bilevel pages and text layers stay lossless)."""
    return rotate_page(page, quarter_turns)


def pdf_bytes(pages: Sequence[EncodedPage], title: str = "") -> bytes:
    """The pages as one PDF, in memory (no plaintext copy ever touches the disk).

    The same document as :func:`scanning.documents.write_pdf`: each page embedded as compressed (G4,
    JPEG, or both layers of a mixed page), no timestamps.
    """
    return pdf_document(pages, title)


def suggestions(codes: Iterable[DetectedCode], key: str) -> list[FieldSuggestion]:
    """The case values the codes on a page may give (today: the contract filing number)."""
    found = []
    for code in codes:
        text = code.text.strip()
        if not _CODE_TEXT.fullmatch(text):
            continue
        try:
            value = check_contract_filing_number(text)
        except InvalidIdentifier:
            continue
        found.append(FieldSuggestion(FILING_NUMBER_PATH, "合同网签备案编号", value, key))
    return found


class ScanBatch:
    """The pages captured for one case, sealed on disk as they arrive.

    Args:
        folder: the case's recovery folder.
        seal: encrypts a record (``store.seal(…, purpose)``).
        unseal: the inverse.
    """

    def __init__(
        self, folder: Path, *, seal: Callable[[bytes], bytes], unseal: Callable[[bytes], bytes]
    ) -> None:
        self.folder = Path(folder)
        self._seal = seal
        self._unseal = unseal
        self._lock = threading.RLock()
        self._records: dict[int, PageRecord] = {}
        self._order: list[str] = []
        self._assigned: dict[str, str] = {}
        self._stored: dict[str, str] = {}
        self._deleted: set[str] = set()
        self._next_index = 0
        self._sink: DirectorySink | None = None

    @classmethod
    def for_case(cls, store: Store, case_id: uuid.UUID, data_dir: Path | None = None) -> ScanBatch:
        """The batch of a case, sealed with the store's data key for this case only."""
        purpose = f"scan:{case_id}"
        return cls(
            recovery_folder(case_id, data_dir),
            seal=lambda data: store.seal(data, purpose),
            unseal=lambda blob: store.unseal(blob, purpose),
        )

    # --------------------------------------------------------------------------- state
    def _sink_ready(self) -> DirectorySink:
        if self._sink is None:
            paths.ensure_private_dir(self.folder.parent)
            paths.ensure_private_dir(self.folder)
            self._sink = DirectorySink(self.folder, self._seal)
        return self._sink

    def _pages_of(self, record: PageRecord) -> list[tuple[str, EncodedPage]]:
        return [(page_key(record.source_index, part), p) for part, p in enumerate(record.pages)]

    def _encoded(self, key: str) -> EncodedPage | None:
        index, part = _split_key(key)
        record = self._records.get(index)
        if record is None or part >= len(record.pages):
            return None
        return record.pages[part]

    def _save_layout(self) -> None:
        layout = {
            "v": 1,
            "order": self._order,
            "assigned": self._assigned,
            "stored": self._stored,
            "deleted": sorted(self._deleted),
        }
        target = self._sink_ready().folder / LAYOUT_FILE
        tmp = target.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            fh.write(self._seal(json.dumps(layout).encode("utf-8")))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)

    def restore(self) -> int:
        """Read back what an earlier run (or a crashed window) left; returns the pages restored.

        Pages whose layout entry was not written yet (a crash just after the page) come last,
        unassigned; layout entries without a page are dropped.

        Raises:
            RecoveryError: a page or the layout cannot be opened (damaged, or another key).
        """
        with self._lock:
            found = recover(self.folder, self._unseal)
            self._records = {r.source_index: r for r in found.records}
            self._next_index = found.next_index
            layout: dict[str, Any] = {"order": [], "assigned": {}, "stored": {}}
            layout_file = self.folder / LAYOUT_FILE
            if layout_file.is_file():
                try:
                    layout = json.loads(self._unseal(layout_file.read_bytes()))
                except Exception as exc:
                    raise RecoveryError(
                        "无法恢复上次扫描的页面归属（文件已损坏或密钥不符）：页面已恢复，请重新把页面分配到材料。"
                    ) from exc
            self._deleted = set(layout.get("deleted", []))
            present = {k for r in found.records for k, _ in self._pages_of(r)} - self._deleted
            order = [k for k in layout.get("order", []) if k in present]
            order += [
                k for r in found.records for k, _ in self._pages_of(r) if k in present and k not in order
            ]
            self._order = order
            self._assigned = {k: v for k, v in layout.get("assigned", {}).items() if k in present}
            self._stored = dict(layout.get("stored", {}))
            return len(order)

    @property
    def next_index(self) -> int:
        """The index the next captured page gets."""
        with self._lock:
            return self._next_index

    @property
    def stored(self) -> dict[str, str]:
        """Checklist item → the attachment this batch stored for it."""
        with self._lock:
            return dict(self._stored)

    def pages(self) -> list[CapturedPage]:
        """The pages in order, with their checklist items."""
        with self._lock:
            result = []
            for key in self._order:
                encoded = self._encoded(key)
                if encoded is not None:
                    result.append(CapturedPage(key, encoded, self._assigned.get(key)))
            return result

    def materials(self) -> set[str]:
        """Checklist items that have pages in the batch or an attachment stored from it."""
        with self._lock:
            return set(self._assigned.values()) | set(self._stored)

    # --------------------------------------------------------------------------- capture
    def scan(
        self,
        driver: ScannerDriver,
        device: str,
        profile: ScanProfile,
        *,
        material: str | None = None,
        cancel: CancelToken | None = None,
        on_page: Callable[[ArrivedPage], None] | None = None,
        progress: ProgressCallback | None = None,
        rescan: str | None = None,
    ) -> ScanOutcome:
        """Scan a stack (or one page again) into the batch; call on the device pool, not the UI thread.

        Each page is processed, sealed to disk, added to the layout (on ``material`` when given),
        then reported to ``on_page`` with its thumbnail and the codes found on it.

        Args:
            driver: the backend.
            device: the device name (a path for file import).
            profile: the scan profile.
            material: the checklist item the pages go to (``None``: unassigned).
            cancel: the window's cancel token.
            on_page: called (on this thread) with each page.
            progress: the device's read progress.
            rescan: the key of a page to replace with one newly scanned page (same place and item).

        Raises:
            DocumentScanError: a device error (``FeederEmpty`` only when no page came at all).
        """
        sink = self._sink_ready()
        with self._lock:
            if rescan is not None:
                old_index, _ = _split_key(rescan)
                if old_index not in self._records:
                    raise KeyError(rescan)
                start = old_index
                material = self._assigned.get(rescan, material)
            else:
                start = self._next_index
        caps = driver.capabilities(device)
        options = profile.options(first_index=start)
        options = replace(
            options,
            feeder=options.feeder and caps.feeder,
            duplex=options.duplex and caps.duplex,
            max_pages=1 if rescan is not None else None,
        )
        settings = profile.pipeline()
        captured = kept = dropped = 0
        cancelled = False
        touched: set[str] = set()
        try:
            for page in driver.scan(device, options, cancel, progress):
                results = process_page(page, settings)
                record = PageRecord(page.index, tuple(r.encoded for r in results if r.encoded is not None))
                sink.write(page.index, record.pack())
                captured += 1
                arrived = self._add(record, results, material, rescan, profile.detect_codes)
                for item in arrived:
                    if item.key is None:
                        dropped += 1
                    else:
                        kept += 1
                        if item.material:
                            touched.add(item.material)
                    if on_page is not None:
                        on_page(item)
        except ScanCancelled:
            cancelled = True
        except FeederEmpty:
            if captured == 0:
                raise
        return ScanOutcome(captured, kept, dropped, cancelled, self.next_index, frozenset(touched))

    def _add(
        self,
        record: PageRecord,
        results: list[ProcessedPage],
        material: str | None,
        rescan: str | None,
        find_codes: bool,
    ) -> list[ArrivedPage]:
        arrived: list[ArrivedPage] = []
        with self._lock:
            keys = [k for k, _ in self._pages_of(record)]
            old = [k for k in self._order if _split_key(k)[0] == record.source_index]
            position = self._order.index(old[0]) if old else len(self._order)
            for k in old:
                self._order.remove(k)
                self._assigned.pop(k, None)
            self._deleted -= set(keys)
            self._order[position:position] = keys
            if material:
                self._assigned.update(dict.fromkeys(keys, material))
            self._records[record.source_index] = record
            self._next_index = max(self._next_index, record.source_index + 1)
            self._save_layout()
        kept = iter(keys)
        for result in results:
            key = None if result.dropped else next(kept)
            codes = tuple(detect_codes(result.image)) if find_codes and key is not None else ()
            arrived.append(
                ArrivedPage(
                    key,
                    record.source_index,
                    thumbnail(result.image),
                    material if key is not None else None,
                    codes,
                    rescan if key is not None and rescan is not None else None,
                )
            )
        return arrived

    def thumbnails(self) -> list[tuple[CapturedPage, Image]]:
        """Every page with its thumbnail (decodes each page: call off the UI thread)."""
        return [(p, thumbnail(decode(p.encoded))) for p in self.pages()]

    # --------------------------------------------------------------------------- editing
    def assign(self, keys: Iterable[str], material: str | None) -> set[str]:
        """Put pages on a checklist item (``None``: take them off); returns the items changed."""
        with self._lock:
            changed: set[str] = set()
            for key in keys:
                if key not in self._order:
                    continue
                before = self._assigned.get(key)
                if before == material:
                    continue
                if before:
                    changed.add(before)
                if material:
                    self._assigned[key] = material
                    changed.add(material)
                else:
                    self._assigned.pop(key, None)
            self._save_layout()
            return changed

    def move(self, keys: Sequence[str], position: int) -> set[str]:
        """Move pages (kept in their order) to ``position`` of the batch; returns the items changed."""
        with self._lock:
            moving = [k for k in self._order if k in set(keys)]
            rest = [k for k in self._order if k not in set(keys)]
            before = sum(1 for k in self._order[:position] if k not in set(keys))
            self._order = rest[:before] + moving + rest[before:]
            self._save_layout()
            return {self._assigned[k] for k in moving if k in self._assigned}

    def rotate(self, key: str, quarter_turns: int = 1) -> set[str]:
        """Turn a page clockwise and rewrite its sealed record; returns the items changed."""
        with self._lock:
            index, part = _split_key(key)
            record = self._records[index]
            pages = list(record.pages)
            pages[part] = rotate_encoded(pages[part], quarter_turns)
            record = PageRecord(index, tuple(pages))
            self._sink_ready().write(index, record.pack())
            self._records[index] = record
            return {self._assigned[key]} if key in self._assigned else set()

    def delete(self, keys: Iterable[str]) -> set[str]:
        """Leave pages out of the batch (their sealed record stays until :meth:`clear`); items changed."""
        with self._lock:
            changed = set()
            for key in keys:
                if key in self._order:
                    self._order.remove(key)
                    self._deleted.add(key)
                    material = self._assigned.pop(key, None)
                    if material:
                        changed.add(material)
            self._save_layout()
            return changed

    def material_pages(self, code: str) -> list[EncodedPage]:
        """The pages on a checklist item, in batch order."""
        return [p.encoded for p in self.pages() if p.material == code]

    def set_stored(self, code: str, attachment_id: str | None) -> None:
        """Remember the attachment stored from this batch for an item (``None``: none)."""
        with self._lock:
            if attachment_id is None:
                self._stored.pop(code, None)
            else:
                self._stored[code] = attachment_id
            self._save_layout()

    def clear(self) -> None:
        """Forget the batch and remove its sealed files (the attachments stay stored)."""
        with self._lock:
            shutil.rmtree(self.folder, ignore_errors=True)
            self._sink = None
            self._records.clear()
            self._order.clear()
            self._assigned.clear()
            self._stored.clear()
            self._deleted.clear()
            self._next_index = 0


# ------------------------------------------------------------------------ database side (DB executor)
def material_scans(store: Store, case_id: uuid.UUID) -> dict[str, MaterialScans]:
    """Each checklist item's stored scans, from the attachments (the case data follows these)."""
    grouped: dict[str, list[Attachment]] = {}
    for attachment in store.attachments(case_id):
        grouped.setdefault(attachment.material_code, []).append(attachment)
    return {
        code: MaterialScans(code, tuple(a.id for a in items), sum(a.pages for a in items))
        for code, items in grouped.items()
    }


def store_materials(
    store: Store, batch: ScanBatch, case_id: uuid.UUID, codes: Iterable[str], *, user: User
) -> dict[str, MaterialScans]:
    """Store each item's batch pages as one encrypted PDF, replacing what the batch stored before.

    Attachments of the item stored earlier (a previous batch) are kept. The new attachment is
    stored before the old one is deleted, so a crash in between leaves a spare, never nothing.

    Returns:
        Every item's stored scans after the change (items without any are absent).
    """
    for code in sorted(set(codes)):
        pages = batch.material_pages(code)
        old = batch.stored.get(code)
        if pages:
            added = store.add_attachment(
                case_id, material_code=code, data=pdf_bytes(pages), pages=len(pages), user=user
            )
            batch.set_stored(code, added.id)
        else:
            batch.set_stored(code, None)
        if old is not None:
            store.delete_attachment(old)
    return material_scans(store, case_id)


def apply_scans(
    materials: list[dict[str, Any]], scans: dict[str, MaterialScans]
) -> list[tuple[int, str, Any]]:
    """The case-data changes that make the checklist follow the stored scans.

    An item with scans is received, counts their pages and lists them; an item whose scans were all
    removed lists none and counts 0 pages (whether it was received stays the clerk's call).

    Returns:
        ``(row, field, value)`` for each value that differs.
    """
    changes: list[tuple[int, str, Any]] = []
    for row, record in enumerate(materials):
        if not isinstance(record, dict):
            continue
        scans_of = scans.get(str(record.get("code")))
        ids = list(scans_of.attachment_ids) if scans_of else []
        had = list(record.get("attachment_ids") or [])
        if ids == had:
            continue
        changes.append((row, "attachment_ids", ids))
        changes.append((row, "pages", scans_of.pages if scans_of else 0))
        if scans_of and not record.get("received"):
            changes.append((row, "received", True))
    return changes


__all__ = [
    "ArrivedPage",
    "CapturedPage",
    "FieldSuggestion",
    "MaterialScans",
    "ScanBatch",
    "ScanOutcome",
    "ScanSettings",
    "apply_scans",
    "decode",
    "material_scans",
    "page_key",
    "pdf_bytes",
    "recovery_folder",
    "rotate_encoded",
    "store_materials",
    "suggestions",
    "thumbnail",
]
