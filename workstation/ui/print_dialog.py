"""The print dialog: choose documents, see them, print the whole set in one action, reprint from history.

The preview shows the pages of the very PDF that will be sent (rendered with QtPdf on the executor);
"打印" (Enter) sends it to the chosen printer; every print, reprint and save is recorded with the case
and listed under 打印记录, from where a recorded print is sent again byte for byte.
"""

from __future__ import annotations

import uuid
from typing import Final

from forms import states
from printing import DOCUMENTS, PrintContext, available_documents
from printing.errors import PrinterError, PrintingError
from printing.printer import Printer
from workstation.operations import printing as ops
from workstation.operations.printing import Preview, Printers
from workstation.printing_service import Printable, PrintOutcome, document_titles
from workstation.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QImage,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPixmap,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.session import Session
from workstation.storage.api import PrintJob
from workstation.storage.errors import StorageError
from workstation.ui.errors import show_error

PREVIEW_DELAY_MS: Final = 250
"""Ticking several documents in a row renders the preview once, after this pause."""

STATUS_LABELS: Final = {"printed": "已打印", "failed": "打印失败", "saved": "已存为 PDF"}
_UNAVAILABLE: Final = {
    "receipt": "案件还没有受理编号",
    "notice": "材料已齐全，无需告知补正",
    "tax": "本案件的税费无法估算",
    "idcheck": "还没有人证核验记录",
}


class PrintDialog(QDialog):
    """Print a case's documents: preview, printer, copies, history and reprint.

    Args:
        session: the signed-in session.
        case_id: the stored case to print.
        printer: the print backend (tests pass a CUPS client for their server); this computer's
            by default.
        parent: the owning window.

    Signals:
        loaded(object): the case and its print context are ready (:class:`Printable`).
        preview_ready(object): the preview of the chosen documents is shown (:class:`Preview`).
        printed(object): a print or reprint went through (:class:`PrintOutcome`).
        print_failed(object): a print or reprint failed (the exception; the failure is recorded).
        history_loaded(object): the print history was (re)loaded (``list[PrintJob]``).
    """

    loaded = pyqtSignal(object)
    preview_ready = pyqtSignal(object)
    printed = pyqtSignal(object)
    print_failed = pyqtSignal(object)
    history_loaded = pyqtSignal(object)

    def __init__(
        self,
        session: Session,
        case_id: uuid.UUID,
        *,
        printer: Printer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printDialog")
        self.session = session
        self.case_id = case_id
        self.backend = printer
        self.printable: Printable | None = None
        self.preview: Preview | None = None
        self.jobs: list[PrintJob] = []
        self.busy = False
        self._generation = 0
        self.resize(1180, 820)
        self.setWindowTitle(self.tr("打印文书"))

        self.header = QLabel(self.tr("正在准备文书…"))
        self.header.setObjectName("printHeader")
        self.documents = QListWidget()
        self.documents.setObjectName("printDocuments")
        self.documents.itemChanged.connect(lambda _item: self._schedule_preview())
        self.printer_box = QComboBox()
        self.printer_box.setObjectName("printerChoice")
        self.printer_box.setPlaceholderText(self.tr("正在查找打印机…"))
        self.printer_box.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.printer_note = QLabel()
        self.printer_note.setObjectName("printerNote")
        self.printer_note.setWordWrap(True)
        self.printer_note.setStyleSheet("color: #b00020;")
        self.printer_note.hide()
        self.copies = QSpinBox()
        self.copies.setObjectName("printCopies")
        self.copies.setRange(1, 10)
        self.copies.setValue(int(ops.print_settings(session).print_copies))
        self.copies.setSuffix(self.tr(" 份"))

        self.history = QTableWidget(0, 6)
        self.history.setObjectName("printHistory")
        self.history.setHorizontalHeaderLabels(
            [
                self.tr("时间"),
                self.tr("文书"),
                self.tr("打印机"),
                self.tr("份数"),
                self.tr("状态"),
                self.tr("操作人"),
            ]
        )
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = self.history.verticalHeader()
        assert rows is not None
        rows.setVisible(False)
        header = self.history.horizontalHeader()
        assert header is not None
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.history.itemSelectionChanged.connect(self._update_buttons)
        self.reprint_button = QPushButton(self.tr("重印所选(&R)"))
        self.reprint_button.setObjectName("reprintButton")
        self.reprint_button.setAutoDefault(False)
        self.reprint_button.clicked.connect(self.reprint_selected)

        self.pages = QVBoxLayout()
        self.pages.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages.setSpacing(12)
        pages_widget = QWidget()
        pages_widget.setObjectName("previewPages")
        pages_widget.setLayout(self.pages)
        self.preview_area = QScrollArea()
        self.preview_area.setObjectName("printPreview")
        self.preview_area.setWidgetResizable(True)
        self.preview_area.setWidget(pages_widget)
        self.preview_area.setBackgroundRole(self.preview_area.backgroundRole().Dark)

        self.status = QLabel()
        self.status.setObjectName("printStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox()
        print_button = buttons.addButton(self.tr("打印(&P)"), QDialogButtonBox.ButtonRole.AcceptRole)
        assert print_button is not None
        self.print_button: QPushButton = print_button
        self.print_button.setObjectName("printButton")
        self.print_button.setDefault(True)
        save_button = buttons.addButton(self.tr("另存为 PDF(&S)…"), QDialogButtonBox.ButtonRole.ActionRole)
        assert save_button is not None
        self.save_button: QPushButton = save_button
        self.save_button.setObjectName("savePdfButton")
        self.save_button.setAutoDefault(False)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        assert close is not None
        close.setAutoDefault(False)
        close.setText(self.tr("关闭"))
        buttons.accepted.connect(self.print_set)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.choose_pdf_file)

        docs_box = QGroupBox(self.tr("文书"))
        docs_layout = QVBoxLayout(docs_box)
        docs_layout.addWidget(self.documents)
        form = QFormLayout()
        form.addRow(self.tr("打印机(&I)："), self.printer_box)
        form.addRow("", self.printer_note)
        form.addRow(self.tr("份数(&N)："), self.copies)
        docs_layout.addLayout(form)
        history_box = QGroupBox(self.tr("打印记录"))
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reprint_button)
        history_layout.addLayout(row)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(docs_box, 2)
        left_layout.addWidget(history_box, 3)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview_area)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([560, 720])

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self._update_buttons()

        ops.load_printable(
            session=session, case_id=case_id, on_done=self._loaded, on_error=self._load_failed, parent=self
        )
        ops.list_printers(
            session=session, on_done=self._printers_found, on_error=self._printers_failed, printer=printer
        )
        self.reload_history()

    # --------------------------------------------------------------------------- loading
    def _loaded(self, printable: Printable) -> None:
        self.printable = printable
        case, ctx = printable.case, printable.ctx
        self.setWindowTitle(self.tr("打印文书") + f" — {case.case_number}")
        self.header.setText(
            self.tr("受理编号：")
            + f"{case.case_number}　"
            + self.tr("业务类型：")
            + f"{ctx.business_type.name}　"
            + self.tr("状态：")
            + states.label(printable.state)
        )
        available = set(available_documents(case, ctx))
        self.documents.blockSignals(True)
        self.documents.clear()
        for doc_id, spec in DOCUMENTS.items():
            item = QListWidgetItem(spec.page_title(ctx))
            item.setData(Qt.ItemDataRole.UserRole, doc_id)
            if doc_id in available:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable)  # shown, greyed out, not checkable
                item.setCheckState(Qt.CheckState.Unchecked)
                item.setToolTip(self.tr("暂不能出具：") + _UNAVAILABLE.get(doc_id, ""))
            self.documents.addItem(item)
        self.documents.blockSignals(False)
        self.loaded.emit(printable)
        self.refresh_preview()

    def _load_failed(self, exc: BaseException) -> None:
        self.header.setText(self.tr("无法准备文书。"))
        if isinstance(exc, PrintingError):
            self._say(str(exc), error=True)
        else:
            show_error(self, exc)

    def _printers_found(self, found: Printers) -> None:
        self.printer_box.clear()
        self._note_printer("")
        self.printer_box.addItems(list(found.names))
        if found.default in found.names:
            self.printer_box.setCurrentIndex(list(found.names).index(found.default))
        if not found.names:
            self.printer_box.setPlaceholderText(self.tr("没有可用的打印机"))
            self._note_printer(self.tr("本机没有可用的打印机。请管理员添加打印机后重试，或先“另存为 PDF”。"))
        self._update_buttons()

    def _printers_failed(self, exc: BaseException) -> None:
        self.printer_box.clear()
        self.printer_box.setPlaceholderText(self.tr("无法列出打印机"))
        if isinstance(exc, PrintingError):
            self._note_printer(str(exc))
        else:
            show_error(self, exc)
        self._update_buttons()

    def reload_history(self) -> None:
        """Read the case's print history again."""
        ops.load_history(
            session=self.session,
            case_id=self.case_id,
            on_done=self._history_loaded,
            on_error=lambda exc: show_error(self, exc),
        )

    def _history_loaded(self, jobs: list[PrintJob]) -> None:
        self.jobs = jobs
        self.history.setRowCount(len(jobs))
        for row, job in enumerate(jobs):
            values = (
                f"{job.at.astimezone():%Y-%m-%d %H:%M}",
                document_titles(job.documents),
                job.printer or self.tr("（文件）"),
                str(job.copies),
                self.tr(STATUS_LABELS.get(job.status, job.status)),
                job.user_name,
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if job.status == "failed":
                    item.setToolTip(job.error)
                self.history.setItem(row, column, item)
        self._update_buttons()
        self.history_loaded.emit(jobs)

    # --------------------------------------------------------------------------- preview
    def chosen_documents(self) -> list[str]:
        """The ids of the ticked documents, in set order."""
        chosen = []
        for n in range(self.documents.count()):
            item = self.documents.item(n)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return chosen

    def set_documents(self, ids: list[str]) -> None:
        """Tick exactly these documents (those available) and refresh the preview."""
        self.documents.blockSignals(True)
        for n in range(self.documents.count()):
            item = self.documents.item(n)
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                wanted = item.data(Qt.ItemDataRole.UserRole) in ids
                item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.documents.blockSignals(False)
        self.refresh_preview()

    def _schedule_preview(self) -> None:
        self.preview = None
        self._update_buttons()
        self._preview_timer.start()

    def refresh_preview(self) -> None:
        """Render the ticked documents and show their pages."""
        self._preview_timer.stop()
        if self.printable is None:
            return
        docs = self.chosen_documents()
        self.preview = None
        self._generation += 1
        generation = self._generation
        if not docs:
            self._show_pages(())
            self._say(self.tr("请至少选择一种文书。"), error=True)
            self._update_buttons()
            return
        self._say(self.tr("正在生成预览…"))
        ops.render_preview(
            session=self.session,
            printable=self.printable,
            documents=docs,
            on_done=lambda preview: self._preview_done(generation, preview),
            on_error=self._preview_failed,
            parent=self,
        )

    def _preview_done(self, generation: int, preview: Preview) -> None:
        if generation != self._generation:
            return  # the choice changed meanwhile; a newer preview is on its way
        self.preview = preview
        self._show_pages(preview.pages)
        pages = self.tr("共 %1 页：").replace("%1", str(len(preview.pages)))
        self._say(pages + document_titles(preview.documents, self._ctx()))
        self._update_buttons()
        self.preview_ready.emit(preview)

    def _preview_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PrintingError):
            self._say(str(exc), error=True)
        else:
            show_error(self, exc)
        self._update_buttons()

    def _show_pages(self, images: tuple[QImage, ...]) -> None:
        while self.pages.count():
            child = self.pages.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.setParent(None)  # off the page list at once, freed later
                widget.deleteLater()
        for image in images:
            page = QLabel()
            page.setObjectName("previewPage")
            page.setFrameShape(QFrame.Shape.Box)
            page.setPixmap(QPixmap.fromImage(image))
            self.pages.addWidget(page)

    # --------------------------------------------------------------------------- printing
    def selected_printer(self) -> str:
        """The chosen printer's name ("" when none)."""
        return self.printer_box.currentText()

    def print_set(self) -> None:
        """Print the previewed set on the chosen printer (the dialog's default action, Enter)."""
        if self.busy or self.printable is None or self.preview is None or not self.selected_printer():
            return
        self._start(self.tr("正在发送到打印机…"))
        ops.print_preview(
            session=self.session,
            printable=self.printable,
            preview=self.preview,
            printer_name=self.selected_printer(),
            copies=self.copies.value(),
            on_done=self._printed,
            on_error=self._print_failed,
            printer=self.backend,
            parent=self,
        )

    def selected_job(self) -> PrintJob | None:
        """The print chosen in the history table."""
        rows = {index.row() for index in self.history.selectedIndexes()}
        return self.jobs[rows.pop()] if len(rows) == 1 and self.jobs else None

    def reprint_selected(self) -> None:
        """Send the selected recorded print's PDF again, byte for byte."""
        job = self.selected_job()
        if self.busy or job is None or not self.selected_printer():
            return
        self._start(self.tr("正在重印…"))
        ops.reprint(
            session=self.session,
            job=job,
            printer_name=self.selected_printer(),
            copies=self.copies.value(),
            on_done=self._printed,
            on_error=self._print_failed,
            printer=self.backend,
            parent=self,
        )

    def _start(self, text: str) -> None:
        self.busy = True
        self._say(text)
        self._update_buttons()

    def _printed(self, outcome: PrintOutcome) -> None:
        self.busy = False
        self._say(
            self.tr("已把%1（%2 份）发送到打印机“%3”。")
            .replace("%1", document_titles(outcome.documents, self._ctx()))
            .replace("%2", str(outcome.copies))
            .replace("%3", outcome.printer)
        )
        self._update_buttons()
        self.reload_history()
        self.printed.emit(outcome)

    def _print_failed(self, exc: BaseException) -> None:
        self.busy = False
        self._update_buttons()
        if isinstance(exc, PrinterError | StorageError | PrintingError):
            self._say(str(exc), error=True)
        else:
            show_error(self, exc)
        self.reload_history()  # a failed print is recorded too
        self.print_failed.emit(exc)

    def choose_pdf_file(self) -> None:
        """Ask where to save the previewed set as a PDF file."""
        if self.preview is None or self.printable is None:
            return
        suggested = f"{self.printable.case.case_number or 'yichuang'}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("另存为 PDF"), suggested, "PDF (*.pdf)")
        if path:
            self.save_pdf_to(path)

    def save_pdf_to(self, path: str) -> None:
        """Write the previewed set to ``path`` and record it as saved."""
        if self.preview is None:
            return
        self._start(self.tr("正在保存…"))

        def saved(_job_id: int) -> None:
            self.busy = False
            self._say(self.tr("已保存到 ") + path)
            self._update_buttons()
            self.reload_history()

        def failed(exc: BaseException) -> None:
            self.busy = False
            self._update_buttons()
            if isinstance(exc, OSError):
                self._say(
                    self.tr("无法保存到 %1（%2）。请换一个文件夹或文件名后重试。")
                    .replace("%1", path)
                    .replace("%2", exc.strerror or str(exc)),
                    error=True,
                )
            else:
                show_error(self, exc)

        ops.save_pdf(
            session=self.session,
            case_id=self.case_id,
            preview=self.preview,
            path=path,
            on_done=saved,
            on_error=failed,
        )

    # --------------------------------------------------------------------------- misc
    def _ctx(self) -> PrintContext | None:
        return self.printable.ctx if self.printable is not None else None

    def _note_printer(self, text: str) -> None:
        self.printer_note.setText(text)
        self.printer_note.setVisible(bool(text))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def _update_buttons(self) -> None:
        ready = not self.busy and self.preview is not None
        self.print_button.setEnabled(ready and bool(self.selected_printer()))
        self.save_button.setEnabled(ready)
        self.reprint_button.setEnabled(
            not self.busy and self.selected_job() is not None and bool(self.selected_printer())
        )
