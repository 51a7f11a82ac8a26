"""The case list: a table model over lazy pages of ``store.search`` (a million cases scroll)."""

from __future__ import annotations

from typing import Any

from forms import states
from workstation.i18n import current_language
from workstation.operations import cases
from workstation.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QAbstractTableModel,
    QCoreApplication,
    QHeaderView,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTableView,
    QWidget,
    pyqtSignal,
)
from workstation.session import Session
from workstation.storage.api import CaseSummary

PAGE_SIZE = 100
"""Rows fetched per page."""

_COLUMNS = (
    ("case_number", QT_TRANSLATE_NOOP("CaseListModel", "受理编号")),
    ("business_type", QT_TRANSLATE_NOOP("CaseListModel", "业务类型")),
    ("state", QT_TRANSLATE_NOOP("CaseListModel", "状态")),
    ("applicants", QT_TRANSLATE_NOOP("CaseListModel", "申请人")),
    ("unit_number", QT_TRANSLATE_NOOP("CaseListModel", "不动产单元号")),
    ("location", QT_TRANSLATE_NOOP("CaseListModel", "坐落")),
    ("clerk", QT_TRANSLATE_NOOP("CaseListModel", "受理人")),
    ("updated_at", QT_TRANSLATE_NOOP("CaseListModel", "更新时间")),
)


class CaseListModel(QAbstractTableModel):
    """Rows of :class:`CaseSummary`, fetched page by page as the view scrolls.

    Signals:
        loading_changed(bool): a page request started or finished.
        failed(object): a page request raised; the exception is passed on for ``show_error``.
    """

    loading_changed = pyqtSignal(bool)
    failed = pyqtSignal(object)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.text = ""
        self.rows: list[CaseSummary] = []
        self.exhausted = False
        self.loading = False
        self._generation = 0
        english = current_language() == "en"
        self._type_names = {
            bt.id: (bt.name_en if english and bt.name_en else bt.name) for bt in session.catalog.types
        }

    # --------------------------------------------------------------------------- queries
    def set_query(self, text: str) -> None:
        """Start over with a new search text (empty: most recently updated cases)."""
        self.beginResetModel()
        self.text = text.strip()
        self.rows = []
        self.exhausted = False
        self.loading = False
        self._generation += 1
        self.endResetModel()
        self._fetch()

    def refresh(self) -> None:
        """Reload with the same search text."""
        self.set_query(self.text)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        """More rows may exist and no page is being fetched."""
        return not parent.isValid() and not self.exhausted and not self.loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: N802, B008
        """Request the next page on the database executor."""
        if self.canFetchMore(parent):
            self._fetch()

    def _fetch(self) -> None:
        generation = self._generation
        self.loading = True
        self.loading_changed.emit(True)

        def done(page: list[CaseSummary]) -> None:
            if generation != self._generation:  # a newer search replaced this one
                return
            self.loading = False
            self.loading_changed.emit(False)
            if len(page) < PAGE_SIZE:
                self.exhausted = True
            if page:
                first = len(self.rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
                self.rows.extend(page)
                self.endInsertRows()

        def error(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self.exhausted = True
            self.loading_changed.emit(False)
            self.failed.emit(exc)

        cases.search_cases(
            session=self.session,
            text=self.text,
            limit=PAGE_SIZE,
            offset=len(self.rows),
            on_done=done,
            on_error=error,
        )

    # --------------------------------------------------------------------------- model
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows fetched so far."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """The fixed columns."""
        return 0 if parent.isValid() else len(_COLUMNS)

    def summary(self, row: int) -> CaseSummary:
        """The case shown in a row."""
        return self.rows[row]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Display text of a cell."""
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.rows[index.row()]
        key = _COLUMNS[index.column()][0]
        if key == "state":
            return states.label(row.state)
        if key == "business_type":
            return self._type_names.get(row.business_type, row.business_type)
        if key == "updated_at":
            return row.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return str(getattr(row, key))

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("CaseListModel", _COLUMNS[section][1])
        return section + 1


class CaseListView(QTableView):
    """The table of cases: whole-row selection, Enter or double-click opens a case.

    Signals:
        open_requested(object): the :class:`CaseSummary` to open.
    """

    open_requested = pyqtSignal(object)

    def __init__(self, model: CaseListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseList")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)  # type: ignore[union-attr]
        header = self.horizontalHeader()
        assert header is not None
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 215), (1, 150), (2, 70), (3, 160), (4, 230), (6, 80), (7, 130)):
            self.setColumnWidth(column, width)
        self.doubleClicked.connect(lambda index: self.open_requested.emit(model.summary(index.row())))

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Enter opens the selected case."""
        if event is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                model = self.model()
                assert isinstance(model, CaseListModel)
                self.open_requested.emit(model.summary(index.row()))
                return
        super().keyPressEvent(event)
