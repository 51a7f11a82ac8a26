"""A table model over lazy pages fetched on the database executor (the case list, the queues).

Rows arrive a page at a time as the view scrolls (``canFetchMore``/``fetchMore``), so a million rows
never load at once and the window never waits for the database. Starting over (a new search, another
queue) bumps a generation number: a page still on its way for the old question is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from workstation.qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, pyqtSignal

R = TypeVar("R")

PAGE_SIZE = 100
"""Rows fetched per page."""


class PagedTableModel(QAbstractTableModel, Generic[R]):
    """Rows of ``R``, fetched page by page; subclasses say how to load a page and show a cell.

    Signals:
        loading_changed(bool): a page request started or finished.
        failed(object): a page request raised; the exception is passed on for ``show_error``.
    """

    loading_changed = pyqtSignal(bool)
    failed = pyqtSignal(object)
    page_size = PAGE_SIZE

    def __init__(self, columns: Sequence[Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._column_count = len(columns)
        self.rows: list[R] = []
        self.exhausted = False
        self.loading = False
        self._generation = 0

    def _load_page(
        self,
        *,
        limit: int,
        offset: int,
        on_done: Callable[[list[R]], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Request one page off the UI thread; ``on_done`` or ``on_error`` runs later on the UI thread."""
        raise NotImplementedError

    def restart(self) -> None:
        """Drop the rows and fetch the first page again (after the question changed)."""
        self.beginResetModel()
        self.rows = []
        self.exhausted = False
        self.loading = False
        self._generation += 1
        self.endResetModel()
        self._fetch()

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

        def done(page: list[R]) -> None:
            if generation != self._generation:  # a newer question replaced this one
                return
            self.loading = False
            self.loading_changed.emit(False)
            if len(page) < self.page_size:
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

        self._load_page(limit=self.page_size, offset=len(self.rows), on_done=done, on_error=error)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows fetched so far."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """The fixed columns."""
        return 0 if parent.isValid() else self._column_count
