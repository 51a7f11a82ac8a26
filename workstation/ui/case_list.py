"""The case list: a table model over lazy pages of ``store.search`` (a million cases scroll)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from forms import states
from workstation.i18n import current_language
from workstation.operations import cases
from workstation.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
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
from workstation.ui.paged_model import PagedTableModel

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


class CaseListModel(PagedTableModel[CaseSummary]):
    """Rows of :class:`CaseSummary` matching a search, fetched page by page as the view scrolls.

    Signals (from :class:`~workstation.ui.paged_model.PagedTableModel`):
        loading_changed(bool): a page request started or finished.
        failed(object): a page request raised; the exception is passed on for ``show_error``.
    """

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(_COLUMNS, parent)
        self.session = session
        self.text = ""
        english = current_language() == "en"
        self._type_names = {
            bt.id: (bt.name_en if english and bt.name_en else bt.name) for bt in session.catalog.types
        }

    # --------------------------------------------------------------------------- queries
    def set_query(self, text: str) -> None:
        """Start over with a new search text (empty: most recently updated cases)."""
        self.text = text.strip()
        self.restart()

    def refresh(self) -> None:
        """Reload with the same search text."""
        self.restart()

    def _load_page(
        self,
        *,
        limit: int,
        offset: int,
        on_done: Callable[[list[CaseSummary]], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        cases.search_cases(
            session=self.session,
            text=self.text,
            limit=limit,
            offset=offset,
            on_done=on_done,
            on_error=on_error,
        )

    # --------------------------------------------------------------------------- model
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
