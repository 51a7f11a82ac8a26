"""The scanning panel of the materials page: feeder to thumbnails to checklist items, never freezing.

The clerk picks a scanner (SANE/TWAIN devices are listed on the device pool, not the UI thread), a
checklist item to scan onto (its profile follows: ``profiles.json`` ``materials``) and presses F8.
Pages appear as thumbnails while the feeder runs; each is already sealed on disk
(:class:`~workstation.scanning_service.ScanBatch`). Selected pages go to an item with the number
keys 1-9 (0 takes them off), by dragging them onto the item, or with the item list's context; pages
are reordered by dragging or Ctrl+←/→, turned with R, deleted with Delete and scanned again with
Ctrl+F8. Each changed item's pages are stored as one encrypted PDF on the database executor and the
panel reports the stored scans, from which the page derives ``attachment_ids`` and the page counts.

Threads (STYLE.md): device work runs on :func:`device_pool`, a pool separate from the single
database worker; results come back as Qt signals. The database work goes through the session's
executor.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from scanning.documents import (
    CancelToken,
    ProfileSet,
    ScanProfile,
    load_profiles,
    make_driver,
    resolve_device,
)
from scanning.documents.model import Image
from scanning.errors import DriverMissing, ProfileError
from workstation import scanning_service as svc
from workstation.daemon_pool import DaemonPool
from workstation.qt import (
    QAbstractItemView,
    QComboBox,
    QCoreApplication,
    QDropEvent,
    QFileDialog,
    QHBoxLayout,
    QIcon,
    QImage,
    QItemSelectionModel,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMimeData,
    QObject,
    QPixmap,
    QProgressBar,
    QPushButton,
    QShortcut,
    QSize,
    QSplitter,
    Qt,
    QTimer,
    QTransform,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.session import Session
from workstation.ui.errors import show_error

KEY_ROLE: Final = Qt.ItemDataRole.UserRole
"""Item data: the page key (thumbnails) or the material code (items)."""

STORE_DELAY_MS: Final = 400
"""Changed items are stored this long after the last change (a burst of key presses stores once)."""

PROGRESS_DELAY_MS: Final = 600
"""The progress bar appears only when a scan takes longer than this (STYLE.md, Threads)."""

PAGES_MIME: Final = "application/x-yichuang-scan-pages"
"""Drag data of thumbnails: the page keys, one per line."""

IMPORT_FILES: Final = "import:"
"""Device choice: import from files the clerk picks."""

_POOL: DaemonPool | None = None
_POOL_LOCK = threading.Lock()


def device_pool() -> DaemonPool:
    """The pool for scanner and file work, separate from the single database worker (STYLE.md).

    Its threads are daemons: a driver call that never returns cannot keep the window from closing.
    """
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = DaemonPool(2, "device")
        return _POOL


def to_pixmap(image: Image) -> QPixmap:
    """A numpy page image (grey or RGB) as a pixmap (UI thread only)."""
    h, w = image.shape[:2]
    if image.ndim == 2:
        qimage = QImage(image.tobytes(), w, h, w, QImage.Format.Format_Grayscale8)
    else:
        qimage = QImage(image.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(qimage.copy())


@dataclass
class _Outcome:
    done: Callable[[Any], object]
    error: Callable[[BaseException], object]
    result: Any = None
    exc: BaseException | None = None


class _Relay(QObject):
    """Carries device-thread events to the UI thread (queued: the relay lives on the UI thread).

    Signals:
        arrived(object): an :class:`~workstation.scanning_service.ArrivedPage`.
        progressed(int, float): the device's read progress.
        finished(object): a finished job's outcome.
    """

    arrived = pyqtSignal(object)
    progressed = pyqtSignal(int, float)
    finished = pyqtSignal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.finished.connect(self._deliver)

    def _deliver(self, outcome: _Outcome) -> None:
        if outcome.exc is not None:
            outcome.error(outcome.exc)
        else:
            outcome.done(outcome.result)


class PageList(QListWidget):
    """The thumbnails: icon mode, extended selection, reorder by drag, keys for the page actions.

    Signals:
        moved(object, int): keys dragged (or Ctrl+←/→) to a position.
        assign_requested(int): number key pressed (1-9; 0 takes pages off their item).
        rotate_requested(): R.
        delete_requested(): Delete.
    """

    moved = pyqtSignal(object, int)
    assign_requested = pyqtSignal(int)
    rotate_requested = pyqtSignal()
    delete_requested = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanPages")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(96, 136))
        self.setGridSize(QSize(124, 180))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Snap)
        self.setWrapping(True)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def selected_keys(self) -> list[str]:
        """The selected pages' keys, in list order."""
        return [str(it.data(KEY_ROLE)) for it in self._items() if it.isSelected()]

    def _items(self) -> list[QListWidgetItem]:
        return [it for n in range(self.count()) if (it := self.item(n)) is not None]

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt override
        """Thumbnails drag as page keys."""
        return [PAGES_MIME]

    def mimeData(self, items: Iterable[QListWidgetItem]) -> QMimeData:  # noqa: N802 - Qt override
        """The dragged pages' keys."""
        return pages_mime([str(it.data(KEY_ROLE)) for it in items])

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Accept thumbnails only."""
        _accept_pages(event)

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Accept thumbnails only."""
        _accept_pages(event)

    def dropEvent(self, event: QDropEvent | None) -> None:  # noqa: N802 - Qt override
        """A drag inside the list reorders the pages (the batch decides; the list is redrawn)."""
        keys = dropped_keys(event)
        if event is None or not keys:
            return
        target = self.indexAt(event.position().toPoint())
        row = target.row() if target.isValid() else self.count()
        event.setDropAction(Qt.DropAction.IgnoreAction)  # nothing for Qt to remove: the list is redrawn
        event.accept()
        self.moved.emit(keys, row)

    def keyPressEvent(self, event: QKeyEvent | None) -> None:  # noqa: N802 - Qt override
        """Number keys assign, R rotates, Delete deletes, Ctrl+←/→ moves the selection."""
        if event is None:
            return
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 and not ctrl:
            self.assign_requested.emit(key - Qt.Key.Key_0)
        elif key == Qt.Key.Key_R and not ctrl:
            self.rotate_requested.emit()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit()
        elif ctrl and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            rows = [n for n, it in enumerate(self._items()) if it.isSelected()]
            if rows:
                row = rows[0] - 1 if key == Qt.Key.Key_Left else rows[-1] + 2
                self.moved.emit(self.selected_keys(), max(0, min(self.count(), row)))
        else:
            super().keyPressEvent(event)


class DeviceCombo(QComboBox):
    """The scanner choice; opening it looks for scanners (SANE probes the network: seconds, not at start).

    Signals:
        opening(): the list is about to open.
    """

    opening = pyqtSignal()

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        """Announce the opening, then open."""
        self.opening.emit()
        super().showPopup()


class MaterialList(QListWidget):
    """The checklist items pages can go to: drop thumbnails on an item to assign them.

    Signals:
        dropped(object, str): keys dropped on the item with this code.
    """

    dropped = pyqtSignal(object, str)

    def __init__(self, pages: PageList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanMaterials")
        self.pages = pages
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Accept thumbnails only."""
        _accept_pages(event)

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Accept thumbnails only."""
        _accept_pages(event)

    def dropEvent(self, event: QDropEvent | None) -> None:  # noqa: N802 - Qt override
        """Assign the dragged thumbnails to the item under the mouse."""
        keys = dropped_keys(event)
        if event is None or not keys:
            return
        item = self.itemAt(event.position().toPoint())
        if item is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.dropped.emit(keys, str(item.data(KEY_ROLE)))


def pages_mime(keys: Sequence[str]) -> QMimeData:
    """Drag data carrying page keys."""
    mime = QMimeData()
    mime.setData(PAGES_MIME, "\n".join(keys).encode("ascii"))
    return mime


def dropped_keys(event: QDropEvent | None) -> list[str]:
    """The page keys a drop carries (none for anything else)."""
    mime = event.mimeData() if event is not None else None
    if mime is None or not mime.hasFormat(PAGES_MIME):
        return []
    return [k for k in bytes(mime.data(PAGES_MIME).data()).decode("ascii").split("\n") if k]


def _accept_pages(event: Any) -> None:
    mime = event.mimeData() if event is not None else None
    if mime is not None and mime.hasFormat(PAGES_MIME):
        event.acceptProposedAction()
    elif event is not None:
        event.ignore()


class ScanPanel(QWidget):
    """Scan, import and sort a case's pages onto its materials checklist.

    Args:
        session: the running application (signed in).
        pool: where device work runs (:func:`device_pool` by default).
        data_dir: the data folder holding the recovery pages (the machine's by default).
        parent: the parent widget.

    Signals:
        scans_changed(object): the stored scans per item (``dict[str, MaterialScans]``) after a change.
        suggestion_accepted(object): the clerk accepted a value read from a code (``FieldSuggestion``).
        scan_finished(object): a scan or import ended (:class:`~workstation.scanning_service.ScanOutcome`).
        busy_changed(bool): a scan started (``True``) or ended.
        restored(int): pages restored from an earlier (crashed) session.
    """

    scans_changed = pyqtSignal(object)
    suggestion_accepted = pyqtSignal(object)
    scan_finished = pyqtSignal(object)
    busy_changed = pyqtSignal(bool)
    restored = pyqtSignal(int)

    def __init__(
        self,
        session: Session,
        *,
        pool: Executor | None = None,
        data_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scanPanel")
        self.session = session
        self.pool = pool or device_pool()
        self.data_dir = data_dir
        self.case_id: uuid.UUID | None = None
        self.batch: svc.ScanBatch | None = None
        self.cancel_token: CancelToken | None = None
        self.relay = _Relay(self)
        self.relay.arrived.connect(self._arrived)
        self.relay.progressed.connect(self._progressed)
        self.thumbs: dict[str, QPixmap] = {}
        self.materials: list[tuple[str, str]] = []
        self.pending_suggestion: svc.FieldSuggestion | None = None
        self.dismissed: set[tuple[str, str]] = set()
        self._dirty: set[str] = set()
        self._scanning = False
        self._storing = False
        self._captured = 0
        self._listing = False
        self._listed = False
        self.profiles = self._load_profiles()
        self._build()

    # --------------------------------------------------------------------------- layout
    def _load_profiles(self) -> ProfileSet:
        try:
            return load_profiles(getattr(self.session.settings, "scan_profiles_file", None))
        except ProfileError as exc:
            problem = exc
            QTimer.singleShot(0, lambda: show_error(self, problem))
            return load_profiles()

    def _build(self) -> None:
        tr = self.tr
        self.device = DeviceCombo()
        self.device.opening.connect(self._device_list_opening)
        self.device.setObjectName("scanDevice")
        self.device.setMinimumContentsLength(18)
        self.device.setToolTip(tr("扫描仪；也可从文件导入或从高拍仪文件夹接收"))
        self.refresh_button = QPushButton(tr("刷新"))
        self.refresh_button.setToolTip(tr("重新查找扫描仪"))
        self.refresh_button.clicked.connect(self.list_devices)
        self.target = QComboBox()
        self.target.setObjectName("scanTarget")
        self.target.setToolTip(tr("扫描的页面放到哪项材料；扫描方案随材料自动选择"))
        self.target.currentIndexChanged.connect(self._target_changed)
        self.profile = QComboBox()
        self.profile.setObjectName("scanProfile")
        for profile in self.profiles:
            self.profile.addItem(profile.title + (tr("（已锁定）") if profile.locked else ""), profile.id)
        self.scan_button = QPushButton(tr("扫描 (F8)"))
        self.scan_button.setObjectName("scanButton")
        self.scan_button.clicked.connect(lambda: self.start_scan())
        self.cancel_button = QPushButton(tr("取消 (Esc)"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(True)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.progress_timer = QTimer(self)
        self.progress_timer.setSingleShot(True)
        self.progress_timer.setInterval(PROGRESS_DELAY_MS)
        self.progress_timer.timeout.connect(lambda: self.progress.setVisible(self._scanning))

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("扫描仪")))
        top.addWidget(self.device, 2)
        top.addWidget(self.refresh_button)
        top.addWidget(QLabel(tr("放到")))
        top.addWidget(self.target, 2)
        top.addWidget(QLabel(tr("方案")))
        top.addWidget(self.profile, 2)
        top.addWidget(self.scan_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.progress)

        self.pages = PageList()
        self.pages.moved.connect(self.move_pages)
        self.pages.assign_requested.connect(self._assign_number)
        self.pages.rotate_requested.connect(self.rotate_selected)
        self.pages.delete_requested.connect(self.delete_selected)
        self.items = MaterialList(self.pages)
        self.items.dropped.connect(self.assign)
        self.items.itemActivated.connect(
            lambda item: self.assign(self.pages.selected_keys(), str(item.data(KEY_ROLE)))
        )
        self.items.setToolTip(tr("选中缩略图后按数字键，或把缩略图拖到材料上"))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.pages)
        split.addWidget(self.items)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        self.rotate_button = QPushButton(tr("旋转 (R)"))
        self.rotate_button.clicked.connect(self.rotate_selected)
        self.delete_button = QPushButton(tr("删除 (Del)"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.rescan_button = QPushButton(tr("重扫此页 (Ctrl+F8)"))
        self.rescan_button.clicked.connect(self.rescan_selected)
        self.done_button = QPushButton(tr("完成扫描"))
        self.done_button.setToolTip(tr("页面均已存入材料后，清除本机暂存的扫描页"))
        self.done_button.clicked.connect(self.finish_batch)
        self.status = QLabel()
        self.status.setObjectName("scanStatus")
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        for button in (self.rotate_button, self.delete_button, self.rescan_button, self.done_button):
            actions.addWidget(button)
        actions.addWidget(self.status, 1)

        self.banner = QWidget()
        self.banner.setObjectName("scanSuggestion")
        self.banner.setStyleSheet("#scanSuggestion { background: #fff8e1; border: 1px solid #ffcc80; }")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.accept_button = QPushButton(tr("填入"))
        self.accept_button.clicked.connect(self.accept_suggestion)
        self.ignore_button = QPushButton(tr("忽略"))
        self.ignore_button.clicked.connect(self.dismiss_suggestion)
        row = QHBoxLayout(self.banner)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.accept_button)
        row.addWidget(self.ignore_button)
        self.banner.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)
        layout.addLayout(actions)

        self.scan_shortcut = QShortcut(QKeySequence("F8"), self)
        self.scan_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.scan_shortcut.activated.connect(lambda: self.start_scan())
        self.rescan_shortcut = QShortcut(QKeySequence("Ctrl+F8"), self)
        self.rescan_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.rescan_shortcut.activated.connect(self.rescan_selected)
        # Esc cancels only while a scan runs; otherwise it stays the dialog's own key.
        self.cancel_shortcut = QShortcut(QKeySequence("Esc"), self)
        self.cancel_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.cancel_shortcut.setEnabled(False)
        self.cancel_shortcut.activated.connect(self.cancel)

        self.store_timer = QTimer(self)
        self.store_timer.setSingleShot(True)
        self.store_timer.setInterval(STORE_DELAY_MS)
        self.store_timer.timeout.connect(self.store_now)
        self._fill_devices([], "")
        self._update_buttons()

    # --------------------------------------------------------------------------- device pool
    def _run(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], object],
        on_error: Callable[[BaseException], object],
    ) -> None:
        outcome = _Outcome(on_done, on_error)
        relay = self.relay

        def run() -> None:
            try:
                outcome.result = job()
            except BaseException as exc:  # delivered to on_error on the UI thread
                outcome.exc = exc
            relay.finished.emit(outcome)

        self.pool.submit(run)

    # --------------------------------------------------------------------------- devices
    def _device_list_opening(self) -> None:
        if not self._listed:
            self.list_devices()

    def list_devices(self, *, then_scan: bool = False) -> None:
        """Look for scanners on the device pool; the list fills when they answer.

        Args:
            then_scan: start scanning with the first scanner found (F8 before any was chosen).
        """
        if self._listing:
            return
        self._listing = True
        self._listed = True
        self.refresh_button.setEnabled(False)
        self.status.setText(self.tr("正在查找扫描仪…"))

        def job() -> tuple[list[tuple[str, str]], str]:
            try:
                driver = make_driver(None)
            except DriverMissing as exc:
                return [], str(exc)
            return [(f"{d.backend}:{d.name}", d.label) for d in driver.devices()], ""

        def done(found: tuple[list[tuple[str, str]], str]) -> None:
            self._listing = False
            self.refresh_button.setEnabled(True)
            self._fill_devices(*found)
            if then_scan and self.device.currentData() not in (None, "", IMPORT_FILES):
                self.start_scan()

        def failed(exc: BaseException) -> None:
            self._listing = False
            self.refresh_button.setEnabled(True)
            self._fill_devices([], "")
            show_error(self, exc)

        self._run(job, done, failed)

    def _fill_devices(self, devices: Sequence[tuple[str, str]], problem: str) -> None:
        tr = self.tr
        current = self.device.currentData()
        self.device.clear()
        configured = str(getattr(self.session.settings, "scanner_device", "") or "")
        specs = [spec for spec, _ in devices]
        if configured and configured not in specs:
            self.device.addItem(tr("本窗口扫描仪") + f"（{configured}）", configured)
        for spec, label in devices:
            self.device.addItem(f"{label}（{spec.split(':', 1)[1]}）", spec)
        folder = getattr(self.session.settings, "scan_watched_folder", None)
        if folder:
            self.device.addItem(tr("高拍仪（接收新拍的照片）"), f"folder:{folder}")
        self.device.addItem(tr("从文件导入…"), IMPORT_FILES)
        wanted = current if current not in (None, "", IMPORT_FILES) else configured
        index = self.device.findData(wanted) if wanted else -1
        self.device.setCurrentIndex(index if index >= 0 else 0)
        if not problem and self._listed and not devices:
            problem = self.tr("未找到扫描仪：请接好扫描仪后点“刷新”，或选择“从文件导入…”。")
        self.status.setText(problem)

    # --------------------------------------------------------------------------- case and items
    def set_materials(self, materials: Sequence[tuple[str, str]]) -> None:
        """The checklist items pages can go to, as (code, name); number keys follow this order."""
        materials = list(materials)
        if materials == self.materials:
            return
        chosen = self.target.currentData()
        self.materials = materials
        blocked = self.target.blockSignals(True)
        self.target.clear()
        self.target.addItem(self.tr("（暂不分配）"), "")
        for n, (code, name) in enumerate(materials, 1):
            self.target.addItem(f"{n}. {name}" if n < 10 else name, code)
        index = self.target.findData(chosen) if chosen else -1
        self.target.setCurrentIndex(max(index, 0))
        self.target.blockSignals(blocked)
        self._redraw()

    def set_case(self, case_id: uuid.UUID) -> None:
        """Open the case's batch: pages left by an earlier (crashed) session come back first."""
        if case_id == self.case_id:
            return
        self.case_id = case_id
        self.batch = batch = svc.ScanBatch.for_case(self.session.store, case_id, self.data_dir)
        self.thumbs.clear()
        self._redraw()

        def job() -> list[tuple[svc.CapturedPage, Image]]:
            if batch.restore() == 0:
                return []
            return batch.thumbnails()

        def done(pages: list[tuple[svc.CapturedPage, Image]]) -> None:
            if batch is not self.batch:
                return
            for page, image in pages:
                self.thumbs[page.key] = to_pixmap(image)
            self._redraw()
            if pages:
                self.status.setText(
                    self.tr("已恢复上次扫描的 {n} 页；再次扫描将从第 {next} 页接着扫。").format(
                        n=len(pages), next=batch.next_index + 1
                    )
                )
                self._dirty |= batch.materials()
                self.store_timer.start()  # stored attachments follow the restored layout
            self.restored.emit(len(pages))

        self._run(job, done, lambda exc: show_error(self, exc))
        self.refresh_scans()

    def refresh_scans(self) -> None:
        """Read the case's stored scans (database executor) and report them."""
        if self.case_id is None:
            return
        store, case_id = self.session.store, self.case_id
        self.session.executor.submit(
            lambda: svc.material_scans(store, case_id),
            on_done=self.scans_changed.emit,
            on_error=lambda exc: show_error(self, exc),
        )

    def _target_changed(self) -> None:
        code = str(self.target.currentData() or "")
        if not code:
            return
        profile = self.profiles.for_material(code)
        index = self.profile.findData(profile.id)
        if index >= 0:
            self.profile.setCurrentIndex(index)

    def current_profile(self) -> ScanProfile:
        """The chosen profile."""
        return self.profiles.get(str(self.profile.currentData()))

    # --------------------------------------------------------------------------- scanning
    def start_scan(self, *, rescan: str | None = None, files: Sequence[Path] | None = None) -> bool:
        """Scan (or import ``files``) onto the chosen item on the device pool; ``False`` when not started."""
        if self._scanning or self.batch is None:
            return False
        spec = str(self.device.currentData() or "")
        if files is None and spec == IMPORT_FILES and not self._listed:
            self.status.setText(self.tr("正在查找扫描仪，找到后将自动开始扫描…"))
            self.list_devices(then_scan=True)
            return False
        if files is None and spec == IMPORT_FILES:
            chosen, _ = QFileDialog.getOpenFileNames(
                self,
                self.tr("选择要导入的文件"),
                "",
                self.tr("文档和图片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"),
            )
            if not chosen:
                return False
            files = [Path(p) for p in chosen]
        targets = [f"file:{p}" for p in files] if files is not None else [spec]
        profile = self.current_profile()
        material = str(self.target.currentData() or "") or None
        batch = self.batch
        token = self.cancel_token = CancelToken()
        relay = self.relay
        app = QCoreApplication.instance()
        if app is not None:
            # Quitting stops the feeder, so the device thread ends and the program can exit.
            app.aboutToQuit.connect(token.cancel)

        def job() -> svc.ScanOutcome:
            total: svc.ScanOutcome | None = None
            for target in targets:
                if token.cancelled:
                    break
                driver, device = resolve_device(target)
                outcome = batch.scan(
                    driver,
                    device,
                    profile,
                    material=material,
                    cancel=token,
                    on_page=relay.arrived.emit,
                    progress=relay.progressed.emit,
                    rescan=rescan,
                )
                total = outcome if total is None else _sum(total, outcome)
            return total or svc.ScanOutcome(0, 0, 0, True, batch.next_index)

        self._set_scanning(True)
        self._captured = 0
        if files is None and spec.startswith("folder:"):
            self.status.setText(self.tr("正在接收高拍仪新拍的页面；拍完后按 Esc 或点“取消”结束。"))
        else:
            self.status.setText(self.tr("正在扫描…"))
        self._run(job, self._scan_done, self._scan_failed)
        return True

    def _set_scanning(self, scanning: bool) -> None:
        self._scanning = scanning
        self.cancel_shortcut.setEnabled(scanning)
        self.cancel_button.setEnabled(scanning)
        if scanning:
            self.progress.setRange(0, 0)
            self.progress_timer.start()
        else:
            self.progress_timer.stop()
            self.progress.hide()
            app = QCoreApplication.instance()
            if app is not None and self.cancel_token is not None:
                with contextlib.suppress(TypeError):  # not connected
                    app.aboutToQuit.disconnect(self.cancel_token.cancel)
        self._update_buttons()
        self.busy_changed.emit(scanning)

    def cancel(self) -> None:
        """Stop the running scan after the page being read; the pages before it are kept."""
        if self.cancel_token is not None and self._scanning:
            self.cancel_token.cancel()
            self.status.setText(self.tr("正在取消…"))

    def _progressed(self, index: int, fraction: float) -> None:
        self.progress.setFormat(self.tr("第 {n} 页").format(n=index + 1) + f" {round(fraction * 100)}%")
        self.progress.setRange(0, 100)
        self.progress.setValue(round(fraction * 100))

    def _arrived(self, page: svc.ArrivedPage) -> None:
        self._captured += 1
        if page.replaces is not None:
            self.thumbs.pop(page.replaces, None)
        if page.key is None:
            self.status.setText(self.tr("第 {n} 页是空白页，已去除。").format(n=page.source_index + 1))
            return
        self.thumbs[page.key] = to_pixmap(page.thumbnail)
        self._redraw()
        last = self.pages.item(self.pages.count() - 1)
        if last is not None and page.replaces is None:
            self.pages.scrollToItem(last)
        for suggestion in svc.suggestions(page.codes, page.key):
            self._offer(suggestion)

    def _scan_done(self, outcome: svc.ScanOutcome) -> None:
        self._set_scanning(False)
        tr = self.tr
        text = tr("已扫描 {n} 页").format(n=outcome.kept)
        if outcome.dropped:
            text += tr("，去除空白页 {n} 页").format(n=outcome.dropped)
        if outcome.cancelled:
            text += tr("；已取消，取消前的页面已保留")
        self.status.setText(text + "。")
        if outcome.materials:
            self._dirty |= set(outcome.materials)
            self.store_now()
        self.scan_finished.emit(outcome)

    def _scan_failed(self, exc: BaseException) -> None:
        self._set_scanning(False)
        self._redraw()
        self.status.setText(self.tr("扫描中断；已扫描的页面已保留，可接着扫描。"))
        self._dirty |= self.batch.materials() if self.batch is not None else set()
        self.store_timer.start()
        show_error(self, exc)

    def rescan_selected(self) -> None:
        """Scan the (first) selected page again, keeping its place and item."""
        keys = self.pages.selected_keys()
        if keys:
            self.start_scan(rescan=keys[0])

    def import_files(self, files: Sequence[Path]) -> bool:
        """Import files (PDF, JPEG, PNG, TIFF) as pages onto the chosen item."""
        return self.start_scan(files=files)

    # --------------------------------------------------------------------------- editing
    def _changed(self, materials: set[str]) -> None:
        self._redraw()
        if materials:
            self._dirty |= materials
            self.store_timer.start()

    def assign(self, keys: Sequence[str], code: str | None) -> None:
        """Put pages on an item (``None`` or ``""``: take them off)."""
        if self.batch is not None and keys:
            self._changed(self.batch.assign(keys, code or None))

    def _assign_number(self, number: int) -> None:
        if number == 0:
            self.assign(self.pages.selected_keys(), None)
        elif number <= len(self.materials):
            self.assign(self.pages.selected_keys(), self.materials[number - 1][0])

    def move_pages(self, keys: Sequence[str], position: int) -> None:
        """Move pages to a position in the batch."""
        if self.batch is not None and keys:
            self._changed(self.batch.move(keys, position))
            self._select(keys)

    def rotate_selected(self) -> None:
        """Turn the selected pages clockwise."""
        if self.batch is None:
            return
        keys = self.pages.selected_keys()
        changed: set[str] = set()
        for key in keys:
            changed |= self.batch.rotate(key)
            turned = self.thumbs.get(key)
            if turned is not None:
                self.thumbs[key] = turned.transformed(QTransform().rotate(90))
        self._changed(changed)
        self._select(keys)

    def delete_selected(self) -> None:
        """Leave the selected pages out."""
        if self.batch is not None:
            self._changed(self.batch.delete(self.pages.selected_keys()))

    def _select(self, keys: Sequence[str]) -> None:
        wanted = set(keys)
        for n in range(self.pages.count()):
            item = self.pages.item(n)
            if item is not None:
                item.setSelected(str(item.data(KEY_ROLE)) in wanted)

    # --------------------------------------------------------------------------- storing
    def store_now(self) -> None:
        """Store the changed items' pages as encrypted PDFs (database executor), then report."""
        self.store_timer.stop()
        if self._storing or not self._dirty or self.batch is None or self.case_id is None:
            return
        codes, self._dirty = set(self._dirty), set()
        store, batch, case_id, user = (
            self.session.store,
            self.batch,
            self.case_id,
            self.session.require_user(),
        )
        self._storing = True

        def done(scans: dict[str, svc.MaterialScans]) -> None:
            self._storing = False
            self.scans_changed.emit(scans)
            if self._dirty:
                self.store_timer.start()

        def failed(exc: BaseException) -> None:
            self._storing = False
            self._dirty |= codes
            show_error(self, exc)

        self.session.executor.submit(
            lambda: svc.store_materials(store, batch, case_id, codes, user=user),
            on_done=done,
            on_error=failed,
            progress=self.tr("正在保存扫描件…"),
            parent=self,
        )

    def finish_batch(self) -> bool:
        """Clear the sealed pages once everything is stored (the attachments stay with the case).

        Refused while a scan runs or while a page is on no item (it would be lost).

        Returns:
            Whether the clearing was queued.
        """
        if self.batch is None or self._scanning:
            return False
        loose = sum(1 for p in self.batch.pages() if not p.material)
        if loose:
            self.status.setText(
                self.tr("还有 {n} 页没有放到材料上：请先分配或删除这些页面，再点“完成扫描”。").format(n=loose)
            )
            return False
        self.store_now()
        batch = self.batch

        def clear(_result: object) -> None:
            batch.clear()
            self.thumbs.clear()
            self._redraw()
            self.status.setText(self.tr("扫描页已存入材料，本机暂存已清除。"))

        # Queued behind the store job on the single database worker, so the clearing follows it.
        self.session.executor.submit(lambda: None, on_done=clear, on_error=lambda exc: show_error(self, exc))
        return True

    # --------------------------------------------------------------------------- suggestions
    def _offer(self, suggestion: svc.FieldSuggestion) -> None:
        if (suggestion.path, suggestion.value) in self.dismissed:
            return
        self.pending_suggestion = suggestion
        self.banner_text.setText(
            self.tr("在扫描页上识别到二维码/条码：“{title}”可能是 {value}。要填入案件吗？").format(
                title=suggestion.title, value=suggestion.value
            )
        )
        self.banner.show()

    def accept_suggestion(self) -> None:
        """Fill the case field with the offered value."""
        if self.pending_suggestion is not None:
            self.suggestion_accepted.emit(self.pending_suggestion)
            self.dismiss_suggestion()

    def dismiss_suggestion(self) -> None:
        """Do not offer this value again in this window."""
        if self.pending_suggestion is not None:
            self.dismissed.add((self.pending_suggestion.path, self.pending_suggestion.value))
        self.pending_suggestion = None
        self.banner.hide()

    # --------------------------------------------------------------------------- drawing
    def _name(self, code: str | None) -> tuple[int, str]:
        for n, (item, name) in enumerate(self.materials, 1):
            if item == code:
                return n, name
        return 0, code or self.tr("未分配")

    def _redraw(self) -> None:
        # A page shows once its thumbnail has come through (the scan thread may be a page ahead).
        pages = [p for p in self.batch.pages() if p.key in self.thumbs] if self.batch is not None else []
        selected = set(self.pages.selected_keys())
        current = self.pages.currentItem()
        current_key = str(current.data(KEY_ROLE)) if current is not None else None
        blocked = self.pages.blockSignals(True)
        self.pages.clear()
        counts: dict[str, int] = {}
        for position, page in enumerate(pages, 1):
            number, name = self._name(page.material)
            label = f"{position}  " + (f"[{number}] {name}" if number else name)
            item = QListWidgetItem(label)
            item.setData(KEY_ROLE, page.key)
            item.setToolTip(name)
            pixmap = self.thumbs.get(page.key)
            if pixmap is not None:
                item.setIcon(QIcon(pixmap))
            if not page.material:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.pages.addItem(item)
            item.setSelected(page.key in selected)
            if page.key == current_key:
                self.pages.setCurrentItem(item, QItemSelectionModel.SelectionFlag.NoUpdate)
            if page.material:
                counts[page.material] = counts.get(page.material, 0) + 1
        self.pages.blockSignals(blocked)
        self.items.clear()
        for n, (code, name) in enumerate(self.materials, 1):
            count = counts.get(code, 0)
            prefix = f"{n}. " if n < 10 else ""
            item = QListWidgetItem(prefix + name + (self.tr("（{n} 页）").format(n=count) if count else ""))
            item.setData(KEY_ROLE, code)
            self.items.addItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_pages = self.pages.count() > 0
        for button in (self.rotate_button, self.delete_button, self.rescan_button):
            button.setEnabled(has_pages and not self._scanning)
        self.done_button.setEnabled(has_pages and not self._scanning)
        self.scan_button.setEnabled(not self._scanning and self.batch is not None)
        self.scan_shortcut.setEnabled(not self._scanning and self.batch is not None)

    @property
    def scanning(self) -> bool:
        """Whether a scan is running."""
        return self._scanning


def _sum(a: svc.ScanOutcome, b: svc.ScanOutcome) -> svc.ScanOutcome:
    return svc.ScanOutcome(
        a.captured + b.captured,
        a.kept + b.kept,
        a.dropped + b.dropped,
        a.cancelled or b.cancelled,
        b.next_index,
        a.materials | b.materials,
    )
