"""The login dialog, and the same dialog as the lock screen (same user, password only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workstation.i18n import LANGUAGES, current_language, install_language
from workstation.qt import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFormLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)

if TYPE_CHECKING:  # the store's modules load after the window shows (start-up time, issue #2)
    from workstation.session import Session
    from workstation.storage.api import User


CENTRED = "qproperty-alignment: AlignCenter;"
"""A label style sheet that centres its text."""


class LoginDialog(QDialog):
    """User name and password; Enter submits. With ``locked=True`` it unlocks the signed-in user.

    The password check runs on the database executor; the dialog stays responsive and shows the
    store's Chinese message (wrong password, account locked) under the fields.

    At start-up the dialog is shown before the store is open (``session=None``): the clerk can type
    at once, and a sign-in pressed before :meth:`attach_session` is queued and runs when the
    session arrives. This module imports only Qt and the language helpers; the store's modules are
    imported where they are used.

    Signals:
        signed_in(object): the authenticated :class:`User`, just before the dialog accepts.
    """

    signed_in = pyqtSignal(object)

    def __init__(
        self, session: Session | None = None, *, locked: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.locked = locked
        self.user: User | None = None
        # Whether the clerk picked a language here: the configured one, loaded later, then yields.
        self.language_chosen = False
        self._queued = False
        self.setObjectName("lockDialog" if locked else "loginDialog")
        self.setMinimumWidth(420)

        self.title = QLabel()
        self.title.setObjectName("loginTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        # Centred through the style sheet, not Qt.AlignmentFlag: PyQt6 builds every enum of the Qt
        # namespace (~20 ms) on its first use, which start-up defers until the window is shown.
        self.title.setStyleSheet(CENTRED)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(CENTRED)

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.language.currentIndexChanged.connect(self._language_chosen)

        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()

        self.form = QFormLayout()
        self.user_label = QLabel()
        self.password_label = QLabel()
        self.language_label = QLabel()
        self.user_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        self.language_label.setBuddy(self.language)
        self.form.addRow(self.user_label, self.username)
        self.form.addRow(self.password_label, self.password)
        if not locked:
            self.form.addRow(self.language_label, self.language)
        else:
            self.language.hide()
            self.language_label.hide()
            if session is None:
                raise ValueError("the lock screen needs the signed-in session")
            user = session.require_user()
            self.username.setText(user.username)
            self.username.setReadOnly(True)
            self.username.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttons = QDialogButtonBox()
        ok_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        assert ok_button is not None
        self.ok_button: QPushButton = ok_button
        self.ok_button.setObjectName("signInButton")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        if not locked:
            quit_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
            assert quit_button is not None
            self.quit_button: QPushButton = quit_button
            self.quit_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.retranslate()
        (self.password if locked else self.username).setFocus()

    # --------------------------------------------------------------------------- text
    def retranslate(self) -> None:
        """Set every visible text in the current UI language."""
        office = self.session.settings.office_name if self.session is not None else self.tr("正在启动…")
        if self.locked:
            self.setWindowTitle(self.tr("一窗受理 — 已锁定"))
            self.title.setText(self.tr("屏幕已锁定"))
            self.hint.setText(self.tr("长时间无操作，已自动锁定。请输入密码继续，录入内容已保留。"))
            self.ok_button.setText(self.tr("解锁"))
        else:
            self.setWindowTitle(self.tr("一窗受理 — 登录"))
            self.title.setText(self.tr("一窗受理 综合受理工作站"))
            self.hint.setText(office)
            self.ok_button.setText(self.tr("登录"))
            self.quit_button.setText(self.tr("退出"))
        self.user_label.setText(self.tr("用户名(&U)"))
        self.password_label.setText(self.tr("密码(&P)"))
        self.language_label.setText(self.tr("语言(&L)"))
        self.ok_button.setToolTip(self.tr("回车"))

    def changeEvent(self, event: QEvent | None) -> None:  # noqa: N802 - Qt override
        """Retranslate when the language changes."""
        if event is not None and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            index = self.language.findData(current_language())
            if index >= 0 and index != self.language.currentIndex():
                blocked = self.language.blockSignals(True)
                self.language.setCurrentIndex(index)
                self.language.blockSignals(blocked)
        super().changeEvent(event)

    def _language_chosen(self, _index: int) -> None:
        self.language_chosen = True
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_language(app, str(self.language.currentData()))

    # --------------------------------------------------------------------------- actions
    def show_message(self, text: str) -> None:
        """Show a message under the fields (failure, lockout)."""
        self.message.setText(text)
        self.message.show()

    def attach_session(self, session: Session) -> None:
        """Give the dialog the opened store (start-up); a sign-in pressed before it runs now."""
        self.session = session
        self.retranslate()
        if self._queued:
            self._queued = False
            self._set_busy(False)
            self.submit()

    def submit(self) -> None:
        """Check the password off the UI thread; Enter in either field does the same.

        Before :meth:`attach_session` the attempt is queued (the fields wait, disabled).
        """
        username = self.username.text().strip()
        password = self.password.text()
        if not username:
            self.show_message(self.tr("请输入用户名。"))
            self.username.setFocus()
            return
        if not password:
            self.show_message(self.tr("请输入密码。"))
            self.password.setFocus()
            return
        self._set_busy(True)
        if self.session is None:
            self._queued = True
            return
        from workstation.operations import auth

        if self.locked:
            auth.unlock(
                session=self.session,
                password=password,
                on_success=self._succeeded,
                on_failure=self._failed,
                parent=self,
            )
        else:
            auth.sign_in(
                session=self.session,
                username=username,
                password=password,
                on_success=self._succeeded,
                on_failure=self._failed,
                parent=self,
            )

    def _set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        self.password.setEnabled(not busy)
        if not self.locked:
            self.username.setEnabled(not busy)

    def _succeeded(self, user: User) -> None:
        self._set_busy(False)
        self.user = user
        self.password.clear()
        self.message.hide()
        self.signed_in.emit(user)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        self.password.setFocus()
        from workstation.storage.errors import StorageError

        if isinstance(exc, StorageError):
            self.show_message(str(exc))
            return
        from workstation.ui.errors import show_error

        self.show_message(self.tr("登录未完成，请重试。"))
        show_error(self, exc)

    def keyPressEvent(self, event: QKeyEvent | None) -> None:  # noqa: N802 - Qt override
        """Enter submits; Escape on the lock screen does nothing (it cannot be dismissed)."""
        if event is not None:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.focusWidget() is self.username and not self.password.text():
                    self.password.setFocus()
                else:
                    self.submit()
                return
            if event.key() == Qt.Key.Key_Escape and self.locked:
                return
        super().keyPressEvent(event)
