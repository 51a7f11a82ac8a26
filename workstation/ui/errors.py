"""One entry point for showing errors: :func:`show_error`, and the ``sys.excepthook`` it backs.

Known errors (:func:`workstation.errors.known_error_types`) carry a Chinese message the clerk can act
on; anything else is a bug: the draft is saved first, the stack is logged (redacted) and a crash
dialog names the log file to send to IT.
"""

from __future__ import annotations

import sys
from types import TracebackType

from workstation import crashlog
from workstation.errors import is_known
from workstation.qt import QApplication, QCoreApplication, QMessageBox, QWidget

__all__ = ["install_excepthook", "is_known", "show_error"]


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Show an error: its message for known errors, otherwise a crash dialog.

    The dialog is opened window-modal without blocking, so callers (and tests) continue.

    Args:
        parent: the window the dialog belongs to.
        exc: the error.

    Returns:
        The dialog shown.
    """
    box = QMessageBox(parent)
    box.setObjectName("errorDialog")
    if is_known(exc):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("ErrorDialog", "操作未完成"))
        box.setText(str(exc))
    else:
        saved = crashlog.save_all()
        crashlog.log_crash(exc)
        path = crashlog.log_path()
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QCoreApplication.translate("ErrorDialog", "程序错误"))
        text = QCoreApplication.translate("ErrorDialog", "程序遇到意外错误。")
        if saved:
            text += QCoreApplication.translate(
                "ErrorDialog", "正在录入的内容已保存为草稿，重新打开案件即可继续。"
            )
        box.setText(text)
        where = str(path) if path else QCoreApplication.translate("ErrorDialog", "（未配置日志文件）")
        box.setInformativeText(QCoreApplication.translate("ErrorDialog", "请把日志文件发给信息科：") + where)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box


def install_excepthook() -> None:
    """Route uncaught exceptions (including those raised in Qt slots) to :func:`show_error`."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        if QApplication.instance() is None:
            crashlog.log_crash(exc)
            sys.__excepthook__(kind, exc, tb)
            return
        show_error(QApplication.activeWindow(), exc)

    sys.excepthook = hook
