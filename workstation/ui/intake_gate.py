"""The office's overdue limit at the moment a new case is started (issue #5).

Packages not delivered after the office's limit (``sync_overdue_days``) first bring a warning; past
the limit a supervisor must let intake go on, with their own password typed at that moment, and the
approval is recorded in the audit log (issue #8: exceptions approved by someone entitled to).
"""

from __future__ import annotations

from workstation.operations import sync as sync_ops
from workstation.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.session import Session


class IntakeApprovalDialog(QDialog):
    """A supervisor lets intake continue past the overdue limit.

    Signals:
        approved(object): the approving :class:`~workstation.storage.api.User`.
    """

    approved = pyqtSignal(object)

    def __init__(self, session: Session, warning: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("intakeApproval")
        self.setWindowTitle(self.tr("超过未上报时限"))
        notice = QLabel(warning)
        notice.setWordWrap(True)
        notice.setStyleSheet("color: #b00020;")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("intakeReason")
        self.reason.setPlaceholderText(self.tr("写明同意继续受理的理由，如“网络中断，已安排 U 盘报送”"))
        self.reason.setTabChangesFocus(True)
        self.username = QLineEdit()
        self.username.setObjectName("intakeApprover")
        self.password = QLineEdit()
        self.password.setObjectName("intakePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("intakeMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("审批意见："), self.reason)
        form.addRow(self.tr("科长用户名："), self.username)
        form.addRow(self.tr("科长密码："), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(notice)
        layout.addWidget(QLabel(self.tr("继续受理新案件须由科长本人当场输入密码确认，并记入审计日志。")))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, 360)
        self.reason.setFocus()

    def submit(self) -> None:
        """Check the supervisor's password and record the approval (off the UI thread)."""
        password = self.password.text()
        self.password.clear()  # never kept in the widget

        def done(approver: object) -> None:
            self.approved.emit(approver)
            self.accept()

        sync_ops.approve_overdue_intake(
            session=self.session,
            username=self.username.text().strip(),
            password=password,
            reason=self.reason.toPlainText(),
            on_done=done,
            on_error=lambda exc: self.message.setText(str(exc)),
            parent=self,
        )
