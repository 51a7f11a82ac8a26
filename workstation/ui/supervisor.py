"""The supervisor workspace (科长工作台): queues with counts, filters, and actions on cases and legs.

Opened from the main window (Ctrl+Shift+S) by supervisors and administrators only; the operations
check the role again (:mod:`workstation.operations.supervisor`). The left list shows every queue —
case states and each department's leg states — with its count under the filters; the table pages
lazily through the chosen queue (:class:`QueueModel`), so a million cases scroll. Actions work on
the selected rows: retry failed legs, hold and release, reassign, return for correction, and
approve an exception with the approver's own password typed at that moment
(:class:`ApprovalDialog`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from forms import states
from forms.calendar import WorkingCalendar, load_calendar
from forms.errors import FormsError
from sync.outbox import LEG_LABELS, LegState
from sync.package import Department
from workstation.operations import supervisor as ops
from workstation.permissions import Action, require
from workstation.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPlainTextEdit,
    QPushButton,
    QShortcut,
    QSpinBox,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.queues import (
    EXCEPTION_LABELS,
    ExceptionKind,
    QueueFilter,
    QueueItem,
    all_queues,
    due_cutoffs,
    due_date,
    queue_label,
    state_queue,
)
from workstation.session import Session
from workstation.storage.api import User
from workstation.ui.errors import show_error
from workstation.ui.paged_model import PagedTableModel
from workstation.ui.report_tabs import ReportTabs

if TYPE_CHECKING:
    from workstation.ui.case_view import CaseView

_COLUMNS = (
    ("case_number", QT_TRANSLATE_NOOP("QueueModel", "受理编号")),
    ("business_type", QT_TRANSLATE_NOOP("QueueModel", "业务类型")),
    ("state", QT_TRANSLATE_NOOP("QueueModel", "状态")),
    ("applicants", QT_TRANSLATE_NOOP("QueueModel", "申请人")),
    ("clerk", QT_TRANSLATE_NOOP("QueueModel", "受理人")),
    ("created_at", QT_TRANSLATE_NOOP("QueueModel", "受理时间")),
    ("due", QT_TRANSLATE_NOOP("QueueModel", "承诺办结日")),
    ("leg", QT_TRANSLATE_NOOP("QueueModel", "部门数据包")),
    ("error_kind", QT_TRANSLATE_NOOP("QueueModel", "失败原因")),
)


class QueueModel(PagedTableModel[QueueItem]):
    """Rows of :class:`QueueItem` of one queue, fetched page by page as the view scrolls.

    Signals:
        loading_changed(bool): a page request started or finished.
        failed(object): a request raised; the exception is passed on for ``show_error``.
    """

    def __init__(
        self, session: Session, calendar: WorkingCalendar | None, parent: QObject | None = None
    ) -> None:
        super().__init__(_COLUMNS, parent)
        self.session = session
        self.calendar = calendar
        self.queue = state_queue(states.CaseState.SUBMITTED)
        self.queue_filter = QueueFilter()
        self._types = {bt.id: bt for bt in session.catalog.types}

    def set_queue(self, queue: str, queue_filter: QueueFilter) -> None:
        """Show another queue or filter (starts over)."""
        self.queue = queue
        self.queue_filter = queue_filter
        self.restart()

    def refresh(self) -> None:
        """Reload the same queue."""
        self.restart()

    def _load_page(
        self,
        *,
        limit: int,
        offset: int,
        on_done: Callable[[list[QueueItem]], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        ops.load_page(
            session=self.session,
            queue=self.queue,
            queue_filter=self.queue_filter,
            limit=limit,
            offset=offset,
            on_done=on_done,
            on_error=on_error,
        )

    def item(self, row: int) -> QueueItem:
        """The queue row shown in a table row."""
        return self.rows[row]

    def due(self, item: QueueItem) -> date | None:
        """The promised completion date of a row (``None`` when unknown)."""
        bt = self._types.get(item.business_type)
        if bt is None or self.calendar is None:
            return None
        try:
            return due_date(self.calendar, item.created_at, bt.promised_days)
        except FormsError:
            return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Display text of a cell."""
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        item = self.rows[index.row()]
        key = _COLUMNS[index.column()][0]
        if key == "state":
            return states.label(item.state)
        if key == "business_type":
            bt = self._types.get(item.business_type)
            return bt.name if bt is not None else item.business_type
        if key == "created_at":
            return item.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if key == "due":
            due = self.due(item)
            return due.isoformat() if due is not None else ""
        if key == "leg":
            if item.department is None or item.leg_state is None:
                return ""
            leg = LEG_LABELS[LegState(item.leg_state)]
            return f"{Department(item.department).label}·{leg}（{item.attempts}）"
        if key == "error_kind":
            return item.error_kind or ""
        return str(getattr(item, key))

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("QueueModel", _COLUMNS[section][1])
        return section + 1


class ApprovalDialog(QDialog):
    """Approve an exception: the kind, a reason, and the approver's user name and password now.

    Signals:
        approved(object): the :class:`~workstation.operations.supervisor.Supervised` result.
    """

    approved = pyqtSignal(object)

    def __init__(self, session: Session, item: QueueItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item = item
        self.setObjectName("approvalDialog")
        self.setWindowTitle(self.tr("审批例外情况 — ") + item.case_number)
        self.kind = QComboBox()
        for kind in ExceptionKind:
            self.kind.addItem(EXCEPTION_LABELS[kind], kind.value)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("审批意见：写明同意例外办理的理由"))
        self.username = QLineEdit(session.user.username if session.user is not None else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("例外情况："), self.kind)
        form.addRow(self.tr("审批意见："), self.reason)
        form.addRow(self.tr("审批人用户名："), self.username)
        form.addRow(self.tr("审批人密码："), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("审批须由科长本人当场输入密码确认，并记入审计日志。")))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.password.setFocus()

    def submit(self) -> None:
        """Check the password and record the approval (off the UI thread)."""
        password = self.password.text()
        self.password.clear()  # never kept in the widget

        def done(result: ops.Supervised) -> None:
            self.approved.emit(result)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.message.setText(str(exc))

        ops.approve_exception(
            session=self.session,
            item=self.item,
            kind=str(self.kind.currentData()),
            reason=self.reason.toPlainText(),
            username=self.username.text().strip(),
            password=password,
            on_done=done,
            on_error=failed,
            parent=self,
        )


class SupervisorWindow(QWidget):
    """The supervisor workspace.

    Signals:
        changed(object): an action finished (:class:`~workstation.operations.supervisor.Supervised`).
        counts_loaded(object): the queue counts were (re)loaded (``dict[str, int]``).
    """

    changed = pyqtSignal(object)
    counts_loaded = pyqtSignal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        require(session.user, Action.SUPERVISE)
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.setObjectName("supervisorWindow")
        self.setWindowTitle(self.tr("科长工作台"))
        self.resize(1280, 760)
        self.counts: dict[str, int] = {}
        self.approval: ApprovalDialog | None = None
        self.users: list[User] = []
        calendar_file = getattr(session.settings, "calendar_file", None)  # Settings has it; GuiSettings not
        try:
            self.calendar: WorkingCalendar | None = load_calendar(calendar_file)
        except FormsError as exc:
            self.calendar = None
            show_error(self, exc)

        self.queues = QListWidget()
        self.queues.setObjectName("queues")
        for key in all_queues():
            entry = QListWidgetItem(queue_label(key))
            entry.setData(Qt.ItemDataRole.UserRole, key)
            self.queues.addItem(entry)
        self.queues.currentItemChanged.connect(lambda *_: self.apply())

        self.clerk = QComboBox()
        self.clerk.setObjectName("clerkFilter")
        self.clerk.addItem(self.tr("全部受理人"), None)
        self.business_type = QComboBox()
        self.business_type.setObjectName("typeFilter")
        self.business_type.addItem(self.tr("全部业务"), None)
        for bt in session.catalog.types:
            self.business_type.addItem(bt.name, bt.id)
        self.age = QSpinBox()
        self.age.setObjectName("ageFilter")
        self.age.setRange(0, 3650)
        self.age.setSpecialValueText(self.tr("不限"))
        self.age.setSuffix(self.tr(" 天以上"))
        self.due_on = QCheckBox(self.tr("承诺办结日不晚于"))
        self.due_date = QDateEdit(QDate.currentDate())
        self.due_date.setCalendarPopup(True)
        self.due_date.setDisplayFormat("yyyy-MM-dd")
        apply_button = QPushButton(self.tr("筛选"))
        apply_button.clicked.connect(self.apply)
        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("受理人："), self.clerk),
            (self.tr("业务类型："), self.business_type),
            (self.tr("受理时长："), self.age),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.due_on)
        filters.addWidget(self.due_date)
        filters.addWidget(apply_button)
        filters.addStretch(1)

        self.model = QueueModel(session, self.calendar, self)
        self.model.failed.connect(lambda exc: show_error(self, exc))
        self.table = QTableView()
        self.table.setObjectName("queueTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        assert header is not None
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 215)
        # The read-only case view (Enter or double-click on a row).
        self.case_views: list[CaseView] = []
        self.table.doubleClicked.connect(lambda index: self.open_case_view(self.model.item(index.row())))
        self.table.installEventFilter(self)

        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, text, slot in (
            ("retry", self.tr("重新发送(&R)"), self.retry_selected),
            ("hold", self.tr("挂起(&H)"), self.hold_selected),
            ("release", self.tr("恢复(&E)"), self.release_selected),
            ("reassign", self.tr("改派(&A)…"), self.reassign_selected),
            ("return", self.tr("退回补正(&B)…"), self.return_selected),
            ("approve", self.tr("审批例外(&P)…"), self.open_approval),
            ("refresh", self.tr("刷新"), self.refresh),
        ):
            button = QPushButton(text)
            button.setObjectName(f"{key}Button")
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            actions.addWidget(button)
            self.buttons[key] = button
        actions.addStretch(1)
        self.status = QLabel()
        actions.addWidget(self.status)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(filters)
        right_layout.addWidget(self.table, 1)
        right_layout.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(self.queues)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        # The queues, then the end-of-day report and statistics tabs (built when first shown).
        self.tabs = ReportTabs(session, splitter, self)
        layout.addWidget(self.tabs)

        ops.load_users(
            session=session, on_done=self._users_loaded, on_error=lambda exc: show_error(self, exc)
        )
        self.queues.setCurrentRow(all_queues().index(state_queue(states.CaseState.SUBMITTED)))

    # --------------------------------------------------------------------------- queries
    def _users_loaded(self, users: list[User]) -> None:
        self.users = users
        for user in users:
            self.clerk.addItem(f"{user.display_name}（{user.username}）", user.id)

    def current_queue(self) -> str:
        """The key of the queue chosen on the left."""
        entry = self.queues.currentItem()
        return str(entry.data(Qt.ItemDataRole.UserRole)) if entry is not None else all_queues()[0]

    def current_filter(self) -> QueueFilter:
        """The filter the widgets describe.

        Raises:
            CalendarError: the office calendar leaves no working days (due-date filter only).
        """
        clerk = self.clerk.currentData()
        business_type = self.business_type.currentData()
        days = self.age.value()
        cutoffs = None
        if self.due_on.isChecked():
            if self.calendar is None:
                cutoffs = {}
            else:
                cutoffs = due_cutoffs(self.session.catalog, self.calendar, self.due_date.date().toPyDate())
        return QueueFilter(
            clerk_id=int(clerk) if clerk is not None else None,
            business_type=str(business_type) if business_type is not None else None,
            created_before=datetime.now().astimezone() - timedelta(days=days) if days else None,
            due_cutoffs=cutoffs,
        )

    def apply(self) -> None:
        """Reload the counts and the chosen queue with the current filter."""
        try:
            queue_filter = self.current_filter()
        except FormsError as exc:
            show_error(self, exc)
            return
        self.model.set_queue(self.current_queue(), queue_filter)
        ops.load_counts(
            session=self.session,
            queue_filter=queue_filter,
            on_done=self._counts_loaded,
            on_error=lambda exc: show_error(self, exc),
        )

    def refresh(self) -> None:
        """Reload everything."""
        self.apply()

    def _counts_loaded(self, counts: dict[str, int]) -> None:
        self.counts = counts
        for row in range(self.queues.count()):
            entry = self.queues.item(row)
            assert entry is not None
            key = str(entry.data(Qt.ItemDataRole.UserRole))
            entry.setText(f"{queue_label(key)}（{counts.get(key, 0)}）")
        self.counts_loaded.emit(counts)

    def selected(self) -> list[QueueItem]:
        """The queue rows selected in the table, in table order."""
        selection = self.table.selectionModel()
        if selection is None:
            return []
        return [self.model.item(i.row()) for i in sorted(selection.selectedRows(), key=lambda i: i.row())]

    # --------------------------------------------------------------------------- actions
    def _done(self, result: ops.Supervised) -> None:
        self.status.setText(self.tr("已处理 %n 项", "", result.count))
        self.changed.emit(result)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self.refresh()  # a conflict: show the current state

    def _chosen(self) -> list[QueueItem] | None:
        items = self.selected()
        if not items:
            self.status.setText(self.tr("请先在列表中选择案件"))
            return None
        return items

    def retry_selected(self) -> None:
        """Queue the selected failed legs again."""
        items = self._chosen()
        if items is not None:
            ops.retry_legs(
                session=self.session, items=items, on_done=self._done, on_error=self._failed, parent=self
            )

    def hold_selected(self, reason: str | None = None) -> None:
        """Put the selected cases on hold (asks for a reason when none is given)."""
        items = self._chosen()
        if items is None:
            return
        if reason is None:
            reason, ok = QInputDialog.getText(self, self.tr("挂起"), self.tr("挂起原因："))
            if not ok:
                return
        ops.hold(
            session=self.session,
            items=items,
            reason=reason,
            on_done=self._done,
            on_error=self._failed,
            parent=self,
        )

    def release_selected(self) -> None:
        """Resume the selected held cases."""
        items = self._chosen()
        if items is not None:
            ops.release(
                session=self.session, items=items, on_done=self._done, on_error=self._failed, parent=self
            )

    def reassign_selected(self, to_username: str | None = None) -> None:
        """Assign the selected cases to another user (asks whom when not given)."""
        items = self._chosen()
        if items is None:
            return
        if to_username is None:
            users = [u for u in self.users if u.active]
            names = [f"{u.display_name}（{u.username}）" for u in users]
            choice, ok = QInputDialog.getItem(self, self.tr("改派"), self.tr("改派给："), names, 0, False)
            if not ok or choice not in names:
                return
            to_username = users[names.index(choice)].username
        ops.reassign(
            session=self.session,
            items=items,
            to_username=to_username,
            on_done=self._done,
            on_error=self._failed,
            parent=self,
        )

    def return_selected(self, reason: str | None = None) -> None:
        """Return the selected cases for correction with a reason (asked when not given)."""
        items = self._chosen()
        if items is None:
            return
        if reason is None:
            reason, ok = QInputDialog.getMultiLineText(
                self, self.tr("退回补正"), self.tr("退回原因（申请人需补正的内容）：")
            )
            if not ok:
                return
        ops.return_for_correction(
            session=self.session,
            items=items,
            reason=reason,
            on_done=self._done,
            on_error=self._failed,
            parent=self,
        )

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802 - Qt override
        """Enter on the queue table opens the current row's case read-only."""
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers()
        ):
            self.open_current_case()
            return True
        return super().eventFilter(watched, event)

    def open_current_case(self) -> CaseView | None:
        """Open the read-only view of the case in the current row (Enter)."""
        index = self.table.currentIndex()
        if not index.isValid():
            self.status.setText(self.tr("请先在列表中选择案件"))
            return None
        return self.open_case_view(self.model.item(index.row()))

    def open_case_view(self, item: QueueItem) -> CaseView:
        """Open a queue row's case read-only: data, versions and deliveries (the view is audited)."""
        from workstation.ui.case_view import CaseView

        view = CaseView(self.session, item.case_id, case_number=item.case_number, parent=self)
        view.finished.connect(lambda _result, view=view: self._case_view_closed(view))
        self.case_views.append(view)
        view.show()
        return view

    def _case_view_closed(self, view: CaseView) -> None:
        if view in self.case_views:
            self.case_views.remove(view)
        view.deleteLater()

    def open_approval(self) -> ApprovalDialog | None:
        """Open the approval dialog for the (first) selected case."""
        items = self._chosen()
        if items is None:
            return None
        dialog = ApprovalDialog(self.session, items[0], self)
        dialog.approved.connect(self._done)
        dialog.open()
        self.approval = dialog
        return dialog


__all__ = ["ApprovalDialog", "QueueModel", "SupervisorWindow"]
