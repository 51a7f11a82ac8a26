from __future__ import annotations

from workstation.qt import Qt
from workstation.ui.login import LoginDialog

from .conftest import CLERK_PASSWORD


def _type_and_enter(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)  # Enter in the user field moves to the password
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_login_succeeds_with_enter(qtbot, session, clerk):
    dialog = LoginDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.username.setFocus()
    with qtbot.waitSignal(dialog.signed_in):
        _type_and_enter(qtbot, dialog, "clerk", CLERK_PASSWORD)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert session.user is not None and session.user.username == "clerk"


def test_wrong_password_shows_chinese_message(qtbot, session, clerk):
    dialog = LoginDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setFocus()
    _type_and_enter(qtbot, dialog, "clerk", "wrong")
    assert dialog.message.isVisible()
    assert "密码" in dialog.message.text()
    assert dialog.password.text() == ""  # cleared for the next try
    assert session.user is None
    assert dialog.result() != LoginDialog.DialogCode.Accepted


def test_lockout_message_after_repeated_failures(qtbot, session, clerk):
    dialog = LoginDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("clerk")
    messages = []
    for _ in range(4):
        dialog.password.setText("wrong")
        dialog.submit()
        messages.append(dialog.message.text())
    assert "锁定" in messages[-1], messages
    # Even the right password is refused while locked, with the lockout message.
    dialog.password.setText(CLERK_PASSWORD)
    dialog.submit()
    assert "锁定" in dialog.message.text()
    assert session.user is None


def test_empty_fields_are_named(qtbot, session, clerk):
    dialog = LoginDialog(session)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert dialog.message.text() == "请输入用户名。"
    dialog.username.setText("clerk")
    dialog.submit()
    assert dialog.message.text() == "请输入密码。"
