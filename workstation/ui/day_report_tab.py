"""日终报表 tab of the supervisor workspace: view a day's report and sign it off (issue 8).

Choose a day and a scope (this window; the whole office on a shared PostgreSQL database), see the
report's pages as they print, save the PDF, and sign the day off with one's own password typed at
that moment (:class:`SignDialog`). A signed day shows the stored, signed PDF; signing it again is
refused by the store with the name and time of the first signature.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workstation.day_report import OFFICE_SCOPE, scope_label
from workstation.operations import reports as ops
from workstation.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPixmap,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.session import Session
from workstation.storage.errors import StorageError
from workstation.ui.errors import show_error


class SignDialog(QDialog):
    """Sign a day off: the supervisor's user name and password, typed now.

    Signals:
        signed(object): the :class:`~workstation.operations.reports.DayView` of the signed report.
    """

    signed = pyqtSignal(object)

    def __init__(self, session: Session, scope: str, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.scope = scope
        self.day = day
        self.setObjectName("signDayDialog")
        self.setWindowTitle(self.tr("签字确认日终报表"))
        self.username = QLineEdit(session.user.username if session.user is not None else "")
        self.username.setObjectName("signUsername")
        self.password = QLineEdit()
        self.password.setObjectName("signPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("signMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("审核人用户名："), self.username)
        form.addRow(self.tr("审核人密码："), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr("%1 %2：签字后报表存档，不能重复签字。请本人输入密码确认。")
                .replace("%1", day.isoformat())
                .replace("%2", scope_label(scope))
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.password.setFocus()

    def submit(self) -> None:
        """Check the password and store the signed report (off the UI thread)."""
        password = self.password.text()
        self.password.clear()  # never kept in the widget

        def done(view: ops.DayView) -> None:
            self.signed.emit(view)
            self.accept()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, StorageError):
                self.message.setText(str(exc))
            else:
                show_error(self, exc)

        ops.sign_day(
            session=self.session,
            scope=self.scope,
            day=self.day,
            username=self.username.text().strip(),
            password=password,
            on_done=done,
            on_error=failed,
            parent=self,
        )


class DayReportTab(QWidget):
    """The end-of-day report: a day, a scope, the pages, save and sign.

    Signals:
        loaded(object): a :class:`~workstation.operations.reports.DayView` is shown.
    """

    loaded = pyqtSignal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.view: ops.DayView | None = None
        self.sign_dialog: SignDialog | None = None
        self.setObjectName("dayReportTab")
        self.day = QDateEdit(QDate.currentDate())
        self.day.setObjectName("reportDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setMaximumDate(QDate.currentDate())
        self.scope = QComboBox()
        self.scope.setObjectName("reportScope")
        for key in ops.scopes(session):
            self.scope.addItem(scope_label(key) if key == OFFICE_SCOPE else f"{scope_label(key)}　{key}", key)
        self.show_button = QPushButton(self.tr("生成报表(&G)"))
        self.show_button.setObjectName("reportShow")
        self.show_button.clicked.connect(lambda _c=False: self.refresh())
        self.save_button = QPushButton(self.tr("另存 PDF(&D)…"))
        self.save_button.setObjectName("reportSave")
        self.save_button.clicked.connect(lambda _c=False: self.save_pdf())
        self.sign_button = QPushButton(self.tr("签字确认(&Q)…"))
        self.sign_button.setObjectName("reportSign")
        self.sign_button.clicked.connect(lambda _c=False: self.open_sign())
        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("日期：")))
        bar.addWidget(self.day)
        bar.addWidget(QLabel(self.tr("范围：")))
        bar.addWidget(self.scope)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.sign_button)
        self.pages = QVBoxLayout()
        holder = QWidget()
        holder.setLayout(self.pages)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        self._buttons()

    def chosen_scope(self) -> str:
        """The scope chosen."""
        return str(self.scope.currentData())

    def chosen_day(self) -> date:
        """The day chosen."""
        return self.day.date().toPyDate()

    def refresh(self) -> None:
        """Load the chosen day's report (the signed one when the day was signed off)."""
        self.view = None
        self._buttons()
        self.status.setText(self.tr("正在生成…"))
        ops.load_day(
            session=self.session,
            scope=self.chosen_scope(),
            day=self.chosen_day(),
            on_done=self.show_view,
            on_error=self._failed,
            parent=self,
        )

    def show_view(self, view: ops.DayView) -> None:
        """Show a report's pages and whether it is signed."""
        self.view = view
        while self.pages.count():
            child = self.pages.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        for image in view.pages:
            page = QLabel()
            page.setObjectName("reportPage")
            page.setFrameShape(QFrame.Shape.Box)
            page.setPixmap(QPixmap.fromImage(image))
            self.pages.addWidget(page)
        if view.closing is not None:
            self.status.setText(
                self.tr("已由%1于 %2 签字确认（存档版本）。")
                .replace("%1", view.closing.signed_by_name)
                .replace("%2", view.closing.signed_at.astimezone().strftime("%Y-%m-%d %H:%M"))
            )
        else:
            self.status.setText(self.tr("尚未签字：核对无误后点“签字确认”，由科长本人输入密码。"))
        self._buttons()
        self.loaded.emit(view)

    def _buttons(self) -> None:
        self.save_button.setEnabled(self.view is not None)
        self.sign_button.setEnabled(self.view is not None and self.view.closing is None)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("")
        show_error(self, exc)

    def open_sign(self) -> SignDialog | None:
        """Ask for the supervisor's password to sign the shown day off."""
        if self.view is None or self.view.closing is not None:
            return None
        dialog = SignDialog(self.session, self.chosen_scope(), self.chosen_day(), self)
        dialog.signed.connect(self.show_view)
        dialog.open()
        self.sign_dialog = dialog
        return dialog

    def save_pdf(self, path: Path | None = None) -> None:
        """Save the shown report as a PDF (asks where when not given; audited)."""
        if self.view is None:
            return
        if path is None:
            name, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("另存日终报表"),
                f"日终报表-{self.chosen_day().isoformat()}.pdf",
                self.tr("PDF 文件 (*.pdf)"),
            )
            if not name:
                return
            path = Path(name)
        ops.save_pdf(
            session=self.session,
            pdf=self.view.pdf,
            path=path,
            scope=self.chosen_scope(),
            day=self.chosen_day(),
            on_done=lambda saved: self.status.setText(self.tr("已保存：") + str(saved)),
            on_error=self._failed,
        )


__all__ = ["DayReportTab", "SignDialog"]
