"""The main window: menus and toolbar, the case list with its search box, the status bar, the lock."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Final

from forms import states
from workstation.operations import cases
from workstation.permissions import Action, PermissionDenied, allowed
from workstation.qt import (
    QAction,
    QApplication,
    QCloseEvent,
    QDialog,
    QEvent,
    QHBoxLayout,
    QInputDialog,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    Qt,
    QTimer,
    QToolBar,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.session import Session
from workstation.storage.api import CaseSummary, Draft
from workstation.ui.case_list import CaseListModel, CaseListView
from workstation.ui.errors import show_error
from workstation.ui.idle import IdleWatcher
from workstation.ui.login import LoginDialog
from workstation.ui.wizard.wizard import CaseWizard

if TYPE_CHECKING:  # imported when first used: it loads reportlab
    from workstation.devices import DeviceHub, ReaderStatusLabel
    from workstation.sync_service import LegView
    from workstation.ui.case_view import CaseView
    from workstation.ui.fee_dialog import FeeDialog
    from workstation.ui.print_dialog import PrintDialog
    from workstation.ui.settings_dialog import SettingsDialog
    from workstation.ui.supervisor import SupervisorWindow
    from workstation.ui.wizard.pages import PartiesPage

_log = logging.getLogger(__name__)

OVERDUE_CHECK_MS: Final = 5 * 60_000
"""How often the status bar's overdue warning is judged again."""


class MainWindow(QMainWindow):
    """The window a clerk works in after signing in.

    Signals:
        locked_changed(bool): the screen was locked (``True``) or unlocked.
        wizard_opened(object): a :class:`CaseWizard` was opened.
    """

    locked_changed = pyqtSignal(bool)
    wizard_opened = pyqtSignal(object)

    def __init__(self, session: Session, *, idle_ms: int | None = None) -> None:
        super().__init__()
        self.session = session
        self.setObjectName("mainWindow")
        self.resize(1200, 760)
        self.wizards: list[CaseWizard] = []
        self.devices: DeviceHub | None = None  # identity devices (#7): attach_devices()
        self.reader_status: ReaderStatusLabel | None = None
        self.lock_dialog: LoginDialog | None = None
        self._hidden_for_lock: list[QWidget] = []
        self.draft_offer: QMessageBox | None = None
        self.print_dialogs: list[PrintDialog] = []
        self.print_offer: QMessageBox | None = None
        self.supervisor_window: SupervisorWindow | None = None

        self.model = CaseListModel(session, self)
        self.model.failed.connect(lambda exc: show_error(self, exc))
        self.view = CaseListView(self.model)
        self.view.open_requested.connect(self.open_case)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.run_search)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)

        central = QWidget()
        layout = QVBoxLayout(central)
        bar = QHBoxLayout()
        bar.addWidget(self.search_label)
        bar.addWidget(self.search, 1)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)

        self.commands: dict[str, QAction] = {}
        self._make_actions()
        self.status_user = QLabel()
        self.status_office = QLabel()
        self.status_busy = QLabel()
        status = self.statusBar()
        assert status is not None
        status.addWidget(self.status_user)
        status.addWidget(self.status_office)
        status.addPermanentWidget(self.status_busy)
        self.status_overdue = QLabel()  # packages past (or near) the office's delivery limit
        self.status_overdue.setObjectName("statusOverdue")
        self.status_overdue.setStyleSheet("color: #b00020;")
        self.status_overdue.setMaximumWidth(520)
        self.status_overdue.hide()
        status.addPermanentWidget(self.status_overdue)
        self.intake_approval: QDialog | None = None
        self.overdue_timer = QTimer(self)
        self.overdue_timer.setInterval(OVERDUE_CHECK_MS)
        self.overdue_timer.timeout.connect(self.refresh_intake_gate)
        self.overdue_timer.start()
        QTimer.singleShot(0, self.refresh_intake_gate)
        self.model.loading_changed.connect(
            lambda busy: self.status_busy.setText(self.tr("正在查询…") if busy else "")
        )

        minutes = int(session.settings.idle_lock_minutes)
        self.idle = IdleWatcher(idle_ms if idle_ms is not None else minutes * 60_000, self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None and minutes > 0:
            app.installEventFilter(self.idle)
            self.idle.start()
        self.retranslate()
        self.model.set_query("")

    # --------------------------------------------------------------------------- actions
    def _action(
        self,
        key: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
    ) -> QAction:
        action = QAction(self)
        action.setObjectName(key)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.commands[key] = action
        return action

    def _make_actions(self) -> None:
        self._action("new_case", self.start_new_case, QKeySequence.StandardKey.New)
        self._action("save_draft", self.save_draft, QKeySequence.StandardKey.Save)
        self._action("lock", self.lock, "Ctrl+L")
        self._action("quit", self.close, "Ctrl+Q")
        self._action("search", self.focus_search, QKeySequence.StandardKey.Find)
        self._action("refresh", self.model.refresh, QKeySequence.StandardKey.Refresh)
        self._action("open_case", self.open_selected, "Ctrl+O")
        self._action("drafts", self.offer_drafts, "Ctrl+D")
        self._action("about", self.about, "F1")
        self._action("print", self.print_selected, "Ctrl+P")
        menubar = self.menuBar()
        assert menubar is not None
        self.file_menu = QMenu(self)
        self.case_menu = QMenu(self)
        self.view_menu = QMenu(self)
        self.help_menu = QMenu(self)
        for menu in (self.file_menu, self.case_menu, self.view_menu, self.help_menu):
            menubar.addMenu(menu)
        self.file_menu.addAction(self.commands["lock"])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.commands["quit"])
        for key in ("new_case", "open_case", "save_draft", "drafts"):
            self.case_menu.addAction(self.commands[key])
        for key in ("search", "refresh"):
            self.view_menu.addAction(self.commands[key])
        self.help_menu.addAction(self.commands["about"])
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for key in ("new_case", "open_case", "save_draft", "search", "refresh", "lock"):
            self.toolbar.addAction(self.commands[key])
        self.addToolBar(self.toolbar)
        self.case_menu.addAction(self.commands["print"])  # printing (issue #4)
        self.toolbar.addAction(self.commands["print"])
        self._action("submit", self.submit_selected, "Ctrl+Return")  # sync (issue #5)
        self._action("delivery", self.show_delivery, "Ctrl+I")
        for key in ("submit", "delivery"):
            self.case_menu.addAction(self.commands[key])
        self.toolbar.addAction(self.commands["submit"])
        self._action("supervisor", self.open_supervisor, "Ctrl+Shift+S")  # supervisors (issue #8)
        self.view_menu.addAction(self.commands["supervisor"])
        self._action("fees", self.collect_fee_selected, "F9")  # fees at the window (issue #8)
        self.case_menu.addAction(self.commands["fees"])
        self._action("view_case", self.view_selected_case, "Ctrl+Shift+V")  # read-only case view (#8)
        self.view_menu.addAction(self.commands["view_case"])
        self._action("settings", self.open_settings, "Ctrl+,")  # settings (issue #9)
        self.tools_menu = QMenu(self)
        menubar.insertMenu(self.help_menu.menuAction(), self.tools_menu)
        self.tools_menu.addAction(self.commands["settings"])

    def retranslate(self) -> None:
        """Every text in the current language; shortcuts are shown in the tooltips."""
        texts = {
            "new_case": self.tr("新建案件(&N)"),
            "save_draft": self.tr("保存草稿(&S)"),
            "lock": self.tr("锁定(&L)"),
            "quit": self.tr("退出(&X)"),
            "search": self.tr("查找(&F)"),
            "refresh": self.tr("刷新(&R)"),
            "open_case": self.tr("打开案件(&O)"),
            "drafts": self.tr("未完成的草稿(&D)"),
            "about": self.tr("关于(&A)"),
            "print": self.tr("打印(&P)…"),
            "submit": self.tr("提交各部门(&T)"),
            "delivery": self.tr("发送情况(&I)…"),
            "supervisor": self.tr("科长工作台(&W)…"),
            "fees": self.tr("收费登记(&G)…"),
            "view_case": self.tr("查看案件（只读）(&V)…"),
            "settings": self.tr("设置(&O)…"),
        }
        for key, text in texts.items():
            action = self.commands[key]
            action.setText(text)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(
                f"{text.replace('(&', '(').replace('&', '')} ({shortcut})" if shortcut else text
            )
        self.file_menu.setTitle(self.tr("文件(&F)"))
        self.case_menu.setTitle(self.tr("案件(&C)"))
        self.view_menu.setTitle(self.tr("查看(&V)"))
        self.help_menu.setTitle(self.tr("帮助(&H)"))
        self.tools_menu.setTitle(self.tr("工具(&T)"))
        self.toolbar.setWindowTitle(self.tr("工具栏"))
        self.search_label.setText(self.tr("查找："))
        self.search.setPlaceholderText(
            self.tr("受理编号、不动产单元号、姓名（完整）、证件号码或电话，回车查找")
        )
        settings = self.session.settings
        user = self.session.user
        self.setWindowTitle(self.tr("一窗受理") + f" — {settings.office_name}")
        self.status_user.setText(
            self.tr("用户：") + (f"{user.display_name}（{user.username}）" if user else self.tr("未登录"))
        )
        self.status_office.setText(
            self.tr("机构：") + f"{settings.office_name}  " + self.tr("窗口：") + settings.window_id
        )
        self.commands["supervisor"].setVisible(allowed(user, Action.SUPERVISE))
        self.commands["view_case"].setVisible(allowed(user, Action.SUPERVISE))

    def changeEvent(self, event: QEvent | None) -> None:  # noqa: N802 - Qt override
        """Retranslate when the language changes."""
        if event is not None and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --------------------------------------------------------------------------- cases
    def focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.search.setFocus()
        self.search.selectAll()

    def run_search(self) -> None:
        """Search for the text in the search box (empty: most recent)."""
        self.model.set_query(self.search.text())

    def start_new_case(self) -> CaseWizard | None:
        """Start a new case (Ctrl+N), within the office's overdue limit (issue #5).

        The limit is judged on the database executor. Near it the clerk is warned and goes on; past it a
        supervisor must approve first.

        Returns:
            The wizard when it opened before this returns (an inline executor), else ``None``: it opens
            once the check (and any approval) is done.
        """
        from workstation.operations import sync as sync_ops

        opened: list[CaseWizard] = []

        def judged(gate: sync_ops.IntakeGate) -> None:
            self.show_intake_gate(gate)
            if not gate.needs_supervisor:
                opened.append(self.new_case())
                return
            from workstation.ui.intake_gate import IntakeApprovalDialog

            dialog = IntakeApprovalDialog(self.session, gate.warning, self)
            dialog.approved.connect(lambda _approver: self.new_case())
            self.intake_approval = dialog
            dialog.open()

        sync_ops.check_intake(
            session=self.session, on_done=judged, on_error=lambda exc: show_error(self, exc)
        )
        return opened[0] if opened else None

    def refresh_intake_gate(self) -> None:
        """Judge the overdue limit again and show the warning (every few minutes, and at start)."""
        from workstation.operations import sync as sync_ops

        def postponed(exc: BaseException) -> None:  # the database is away for a moment: the next round tells
            _log.info("overdue check postponed: %s", type(exc).__name__)

        sync_ops.check_intake(session=self.session, on_done=self.show_intake_gate, on_error=postponed)

    def show_intake_gate(self, gate: object) -> None:
        """Show the overdue warning in the status bar (and nothing once packages are delivered)."""
        from workstation.operations.sync import IntakeGate

        assert isinstance(gate, IntakeGate)
        self.status_overdue.setText(gate.warning)
        self.status_overdue.setVisible(bool(gate.warning))
        self.status_overdue.setToolTip(gate.warning)

    def new_case(self) -> CaseWizard:
        """Open the wizard for a new case (the overdue limit is checked by :meth:`start_new_case`)."""
        return self._open_wizard(CaseWizard(self.session))

    def open_selected(self) -> None:
        """Open the case selected in the list."""
        index = self.view.currentIndex()
        if index.isValid():
            self.open_case(self.model.summary(index.row()))

    def open_case(self, summary: CaseSummary) -> None:
        """Continue a case: its draft when one is journalled, else its latest version."""
        if summary.state not in (states.CaseState.DRAFT.value, states.CaseState.READY.value, "returned"):
            QMessageBox.information(
                self,
                self.tr("不能修改"),
                self.tr("案件 %1 的状态是“%2”，已不能在受理环节修改。")
                .replace("%1", summary.case_number)
                .replace("%2", states.label(summary.state)),
            )
            return
        cases.open_case(
            session=self.session,
            case_id=summary.id,
            on_done=lambda editable: self.continue_case(editable.case_id, editable.data, editable.page),
            on_error=lambda exc: show_error(self, exc),
            parent=self,
        )

    def continue_case(self, case_id: object, data: dict[str, object], page: str) -> CaseWizard:
        """Open the wizard on a case's data exactly as it was typed."""
        import uuid

        assert isinstance(case_id, uuid.UUID)
        for wizard in self.wizards:
            if wizard.case_id == case_id:
                wizard.raise_()
                wizard.activateWindow()
                return wizard
        return self._open_wizard(CaseWizard(self.session, data=dict(data), case_id=case_id, page=page))

    def _open_wizard(self, wizard: CaseWizard) -> CaseWizard:
        self.wizards.append(wizard)
        wizard.finished.connect(lambda _result, w=wizard: self._wizard_closed(w))
        wizard.case_finished.connect(lambda _changed: self.model.refresh())
        wizard.case_finished.connect(self.offer_print)
        wizard.case_created.connect(lambda _case: self.model.refresh())
        wizard.case_reopened.connect(lambda _changed: self.model.refresh())  # ready → draft
        if self.devices is not None:
            self._attach_wizard_devices(wizard)
        wizard.show()
        self.wizard_opened.emit(wizard)
        return wizard

    def _wizard_closed(self, wizard: CaseWizard) -> None:
        if wizard in self.wizards:
            self.wizards.remove(wizard)
        wizard.deleteLater()
        self.model.refresh()

    def save_draft(self) -> None:
        """Journal the drafts of every open wizard now."""
        for wizard in self.wizards:
            wizard.journal()
        status = self.statusBar()
        if status is not None and self.wizards:
            status.showMessage(self.tr("草稿已保存"), 3000)

    # --------------------------------------------------------------------------- sync (#5)
    def _selected_case(self, hint: str) -> CaseSummary | None:
        index = self.view.currentIndex()
        if index.isValid():
            return self.model.summary(index.row())
        status = self.statusBar()
        if status is not None:
            status.showMessage(hint, 5000)
        return None

    def submit_selected(self) -> None:
        """Submit the selected ready case: one delivery leg per department, queued at once (Ctrl+Enter)."""
        summary = self._selected_case(self.tr("请先在案件列表中选择要提交的案件"))
        if summary is None:
            return
        from workstation.operations import sync as sync_ops

        def done(submission: object) -> None:
            self.model.refresh()
            status = self.statusBar()
            if status is not None:
                status.showMessage(
                    self.tr("案件 %1 已提交，已排队发送给各部门；断网时会在联网后自动发送。").replace(
                        "%1", summary.case_number
                    ),
                    8000,
                )

        sync_ops.submit_case(
            session=self.session,
            case_id=summary.id,
            on_done=done,
            on_error=lambda exc: show_error(self, exc),
            parent=self,
        )

    def show_delivery(self) -> None:
        """Show where the selected case's packages are: each department's leg, receipt and answer (Ctrl+I)."""
        summary = self._selected_case(self.tr("请先在案件列表中选择案件"))
        if summary is None:
            return
        from workstation.operations import sync as sync_ops

        sync_ops.case_delivery(
            session=self.session,
            case_id=summary.id,
            on_done=lambda delivery: self._show_legs(summary.case_number, delivery.legs, delivery.rechecks),
            on_error=lambda exc: show_error(self, exc),
        )

    def _show_legs(
        self, case_number: str, legs: list[LegView], rechecks: list[tuple[datetime, tuple[str, ...]]]
    ) -> QMessageBox:
        lines = [delivery_line(leg) for leg in legs] or [self.tr("尚未提交：案件就绪后按 Ctrl+Enter 提交。")]
        for at, changes in rechecks:
            found = "；".join(changes) if changes else self.tr("与受理时一致")
            lines.append(self.tr("发送前复核房屋状态") + f"（{at.astimezone():%Y-%m-%d %H:%M}）：{found}")
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("发送情况"), "\n".join(lines), parent=self)
        box.setObjectName("deliveryStatus")
        box.setWindowTitle(self.tr("发送情况") + f" — {case_number}")
        self.delivery_box = box
        box.open()
        return box

    # --------------------------------------------------------------------------- printing (#4)
    def print_selected(self) -> PrintDialog | None:
        """Open the print dialog on the case selected in the list (Ctrl+P)."""
        index = self.view.currentIndex()
        if not index.isValid():
            status = self.statusBar()
            if status is not None:
                status.showMessage(self.tr("请先在案件列表中选择要打印的案件"), 5000)
            return None
        return self.open_print_dialog(self.model.summary(index.row()).id)

    def open_print_dialog(self, case_id: uuid.UUID) -> PrintDialog:
        """Show the print dialog of a case (one per case; raised when already open)."""
        for dialog in self.print_dialogs:
            if dialog.case_id == case_id:
                dialog.raise_()
                dialog.activateWindow()
                return dialog
        from workstation.ui.print_dialog import PrintDialog

        dialog = PrintDialog(self.session, case_id, parent=self)
        self.print_dialogs.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._print_dialog_closed(d))
        dialog.show()
        return dialog

    def _print_dialog_closed(self, dialog: PrintDialog) -> None:
        if dialog in self.print_dialogs:
            self.print_dialogs.remove(dialog)
        dialog.deleteLater()

    def offer_print(self, changed: object) -> QMessageBox | None:
        """After the wizard finishes a case, offer to print its documents (“现在打印全套文书吗？”)."""
        case_id = getattr(changed, "case_id", None)
        if not isinstance(case_id, uuid.UUID):
            return None
        box = QMessageBox(self)
        box.setObjectName("printOffer")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("打印文书"))
        box.setText(self.tr("案件已保存。现在打印全套文书（申请书、询问笔录、受理回执、材料清单等）吗？"))
        yes = box.addButton(self.tr("打印(&P)"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("稍后(&L)"), QMessageBox.ButtonRole.RejectRole)
        assert yes is not None
        box.setDefaultButton(yes)
        yes.clicked.connect(lambda: self.open_print_dialog(case_id))
        self.print_offer = box
        box.open()
        return box

    # --------------------------------------------------------------------------- drafts
    def offer_drafts(self) -> None:
        """Look for unfinished drafts of this user and offer them back."""
        cases.find_open_drafts(
            session=self.session, on_done=self.show_draft_offer, on_error=lambda exc: show_error(self, exc)
        )

    def show_draft_offer(self, drafts: list[Draft]) -> None:
        """Ask which unfinished draft to continue ("发现未完成的草稿…")."""
        open_ids = {w.case_id for w in self.wizards}
        drafts = [d for d in drafts if d.case_id not in open_ids]
        if not drafts:
            return
        labels = [
            f"{d.case_number or self.tr('（未编号）')}  {d.saved_at.astimezone():%Y-%m-%d %H:%M}"
            for d in drafts
        ]
        dialog = QInputDialog(self)
        dialog.setObjectName("draftOffer")
        dialog.setWindowTitle(self.tr("继续录入"))
        dialog.setLabelText(self.tr("发现未完成的草稿，选择一个继续录入（取消则稍后在“案件”菜单中继续）："))
        dialog.setComboBoxItems(labels)
        dialog.setOkButtonText(self.tr("继续录入"))
        dialog.setCancelButtonText(self.tr("稍后"))

        def chosen(text: str) -> None:
            draft = drafts[labels.index(text)]
            self.continue_case(draft.case_id, draft.data, draft.page)

        dialog.textValueSelected.connect(chosen)
        dialog.open()

    # --------------------------------------------------------------------------- lock
    def lock(self) -> None:
        """Hide every window (state kept) and ask the same user's password again."""
        if self.lock_dialog is not None:
            return
        self.idle.stop()
        for wizard in self.wizards:
            wizard.journal()
        windows: list[QWidget] = [self, *self.wizards, *self.print_dialogs]
        self._hidden_for_lock = [w for w in windows if w.isVisible()]
        for widget in self._hidden_for_lock:
            widget.hide()
        dialog = LoginDialog(self.session, locked=True)
        dialog.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        dialog.signed_in.connect(lambda _user: self._unlocked())
        self.lock_dialog = dialog
        dialog.show()
        self.locked_changed.emit(True)

    def _unlocked(self) -> None:
        for widget in self._hidden_for_lock:
            widget.show()
        self._hidden_for_lock = []
        if self.lock_dialog is not None:
            self.lock_dialog.deleteLater()
        self.lock_dialog = None
        self.idle.start()
        self.locked_changed.emit(False)

    @property
    def is_locked(self) -> bool:
        """Whether the lock screen is up."""
        return self.lock_dialog is not None

    # --------------------------------------------------------------------------- supervisors (#8)
    def open_supervisor(self) -> SupervisorWindow | None:
        """Open (or raise) the supervisor workspace; refused with a message for other roles."""
        from workstation.ui.supervisor import SupervisorWindow

        if self.supervisor_window is not None and self.supervisor_window.isVisible():
            self.supervisor_window.raise_()
            self.supervisor_window.activateWindow()
            return self.supervisor_window
        try:
            window = SupervisorWindow(self.session, self)
        except PermissionDenied as exc:
            show_error(self, exc)
            return None
        self.supervisor_window = window
        window.show()
        return window

    def view_selected_case(self) -> CaseView | None:
        """Open the selected case read-only with its versions and deliveries (supervisors, Ctrl+Shift+V)."""
        from workstation.ui.case_view import CaseView

        if not allowed(self.session.user, Action.SUPERVISE):
            return None  # the action is hidden for other roles (the operation refuses them too)
        summary = self._selected_case(self.tr("请先在案件列表中选择要查看的案件"))
        if summary is None:
            return None
        view = CaseView(self.session, summary.id, case_number=summary.case_number, parent=self)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.show()
        return view

    # --------------------------------------------------------------------------- fees (#8)
    def collect_fee_selected(self) -> FeeDialog | None:
        """Open 收费登记 on the case selected in the list (F9)."""
        summary = self._selected_case(self.tr("请先在案件列表中选择要收费的案件"))
        if summary is None:
            return None
        from workstation.ui.fee_dialog import FeeDialog

        def recorded(_payment: object) -> None:
            status = self.statusBar()
            if status is not None:
                status.showMessage(self.tr("案件 %1 的收费已登记。").replace("%1", summary.case_number), 8000)

        dialog = FeeDialog(self.session, summary.id, self)
        dialog.recorded.connect(recorded)
        dialog.open()
        self.fee_dialog: FeeDialog | None = dialog
        return dialog

    # --------------------------------------------------------------------------- settings (#9)
    def open_settings(self) -> SettingsDialog:
        """Open 设置 (Ctrl+,): office settings for administrators, one's own preferences for everyone."""
        from workstation.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self)
        dialog.saved.connect(lambda _saved: self.retranslate())
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    # --------------------------------------------------------------------------- misc
    def about(self) -> None:
        """Program name and version."""
        from workstation import __version__

        QMessageBox.about(self, self.tr("关于"), self.tr("一窗受理 综合受理工作站") + f" {__version__}")

    # --------------------------------------------------------------------------- identity devices (#7)
    def attach_devices(self, devices: DeviceHub) -> None:
        """Show the ID card reader's status and route cards read to the active wizard's parties page."""
        from workstation.devices import ReaderStatusLabel

        self.devices = devices
        self.reader_status = ReaderStatusLabel()
        status = self.statusBar()
        assert status is not None
        status.addPermanentWidget(self.reader_status)
        self.reader_status.show_status(devices.status)
        devices.reader_status_changed.connect(self.reader_status.show_status)
        devices.card_placed.connect(self._card_placed)
        devices.passport_placed.connect(self._passport_placed)
        for wizard in self.wizards:
            self._attach_wizard_devices(wizard)

    def _attach_wizard_devices(self, wizard: CaseWizard) -> None:
        from workstation.ui.wizard.pages import PartiesPage

        page = wizard.pages.get("parties")
        if isinstance(page, PartiesPage) and self.devices is not None:
            page.attach_devices(self.devices)

    def active_parties_page(self) -> PartiesPage | None:
        """The parties page shown in the active wizard (else the last opened one showing it)."""
        from workstation.ui.wizard.pages import PartiesPage

        showing = [w for w in self.wizards if w.isVisible() and isinstance(w.currentPage(), PartiesPage)]
        active = [w for w in showing if w.isActiveWindow()]
        candidates = active or showing
        page = candidates[-1].currentPage() if candidates else None
        return page if isinstance(page, PartiesPage) else None

    def _card_placed(self, record: object) -> None:
        from scanning.idcard.record import IdCardRecord

        page = self.active_parties_page()
        if page is None or not isinstance(record, IdCardRecord):
            status = self.statusBar()
            if status is not None:
                status.showMessage(
                    self.tr("已读取证件，但没有打开的“当事人”页：请新建或打开案件，进入该页后重新放卡"), 8000
                )
            return
        page.fill_from_id_card(record)

    def _passport_placed(self, _reader: str) -> None:
        page = self.active_parties_page()
        if page is not None:
            page.ask_passport_mrz()

    def closeEvent(self, event: QCloseEvent | None) -> None:  # noqa: N802 - Qt override
        """Journal the open wizards, then close them."""
        for wizard in list(self.wizards):
            wizard.journal()
            wizard.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        super().closeEvent(event)


def delivery_line(leg: LegView) -> str:
    """One line per leg: department and state, receipt number, the answer or the last error."""
    parts = [leg.label]
    if leg.receipt_no:
        parts.append(f"回执号 {leg.receipt_no}")
    if leg.answer is not None and leg.answer.reasons:
        parts.append("退回原因：" + "；".join(leg.answer.reasons))
    elif leg.answer is not None and leg.answer.result:
        parts.append("结果：" + answer_facts(leg.answer.result))
    if leg.last_error and leg.state.value in ("queued", "failed"):
        parts.append(f"上次错误：{leg.last_error}（第 {leg.attempts} 次尝试）")
    return "  ".join(parts)


RESULT_LABELS: Final = {
    "filing_confirmation_no": "备案确认号",
    "filed_on": "备案日期",
    "acceptance_no": "登记受理号",
    "expected_completion": "预计办结日期",
}
"""The departments' answer fields (``sync.outbox.Answer.result``) as the clerk reads them."""


def answer_facts(result: Mapping[str, object]) -> str:
    """A department's result in Chinese: labelled facts, the tax assessment's amount and payment code."""
    facts = []
    for key, value in result.items():
        if key == "assessment" and isinstance(value, Mapping):
            facts.append(f"核定应缴 {value.get('amount_due', '—')} 元")
            if value.get("payment_code"):
                facts.append(f"缴款码 {value['payment_code']}")
        elif not isinstance(value, (Mapping, list)):
            facts.append(f"{RESULT_LABELS.get(key, key)} {value}")
    return "，".join(facts)
