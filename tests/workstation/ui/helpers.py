"""Helpers for GUI tests: ASCII is typed with key clicks, Chinese is set directly; typed accessors."""

from __future__ import annotations

from typing import Any

from workstation.qt import QApplication, QLineEdit, QListWidget, Qt, QWidget
from workstation.ui.login import LoginDialog
from workstation.ui.main_window import MainWindow
from workstation.ui.wizard.pages import CasePage, TypePage
from workstation.ui.wizard.wizard import CaseWizard


def app() -> QApplication:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    return instance


def focused(widget: QWidget) -> QWidget | None:
    window = widget.window()
    assert window is not None
    return window.focusWidget()


def field(wizard: CaseWizard, path: str) -> QLineEdit:
    widget = wizard.binder.widget(path)
    assert isinstance(widget, QLineEdit), path
    return widget


def type_list(wizard: CaseWizard) -> QListWidget:
    page = wizard.pages["type"]
    assert isinstance(page, TypePage)
    return page.types


def current_page(wizard: CaseWizard) -> CasePage:
    page = wizard.currentPage()
    assert isinstance(page, CasePage)
    return page


def lock_dialog(window: MainWindow) -> LoginDialog:
    assert window.lock_dialog is not None
    return window.lock_dialog


def enter_text(qtbot: Any, widget: QWidget | None, text: str) -> None:
    """Type into a line edit as a clerk would (Chinese via the input method: set directly)."""
    assert isinstance(widget, QLineEdit)
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)
        widget.textEdited.emit(widget.text())


def press_enter(qtbot: Any, widget: QWidget) -> None:
    qtbot.keyClick(focused(widget) or widget, Qt.Key.Key_Return)
    QApplication.processEvents()
