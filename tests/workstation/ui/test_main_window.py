from __future__ import annotations

from typing import Any

import pytest

from forms.errors import InvalidIdNumber
from workstation import crashlog
from workstation.i18n import install_language
from workstation.qt import QApplication, QInputDialog, QMessageBox, Qt
from workstation.storage.errors import DiskFull
from workstation.ui import case_list
from workstation.ui.errors import show_error
from workstation.ui.main_window import MainWindow
from workstation.ui.wizard.wizard import CaseWizard

from .conftest import CLERK_PASSWORD
from .helpers import app, field, lock_dialog, type_list


@pytest.fixture
def window(qtbot, signed_in):
    w = MainWindow(signed_in)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    for wizard in list(w.wizards):
        wizard.close()
    if w.lock_dialog is not None:
        w.lock_dialog.close()
        w.lock_dialog.deleteLater()
    app().removeEventFilter(w.idle)


def _start_case(store: Any, user: Any, business_type: str = "second_hand_sale") -> Any:
    return store.create_case(business_type=business_type, user=user)


def test_shortcuts_of_frequent_actions(window):
    expected = {
        "new_case": "Ctrl+N",
        "search": "Ctrl+F",
        "refresh": "F5",
        "lock": "Ctrl+L",
        "save_draft": "Ctrl+S",
        "open_case": "Ctrl+O",
    }
    for key, keys in expected.items():
        assert window.commands[key].shortcut().toString() == keys, key
        assert keys in window.commands[key].toolTip()


def test_status_bar_names_user_office_and_window(window):
    assert "王受理" in window.status_user.text()
    assert "示范区不动产登记中心" in window.status_office.text()
    assert "03" in window.status_office.text()


def test_case_list_fetches_lazily_and_searches(qtbot, window, signed_in, monkeypatch):
    store, user = signed_in.store, signed_in.user
    monkeypatch.setattr(case_list.CaseListModel, "page_size", 3)
    for _ in range(7):
        _start_case(store, user)
    window.model.refresh()
    assert window.model.rowCount() == 3
    assert window.model.canFetchMore()
    window.model.fetchMore()
    window.model.fetchMore()
    assert window.model.rowCount() == 7
    assert not window.model.canFetchMore()
    number = window.model.summary(4).case_number
    window.search.setFocus()
    qtbot.keyClicks(window.search, number)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.model.rowCount() == 1
    assert window.model.data(window.model.index(0, 0)) == number
    assert window.model.data(window.model.index(0, 2)) == "草稿"


def test_drafts_offered_back_after_login_and_reopened_exactly(qtbot, window, signed_in):
    store, user = signed_in.store, signed_in.user
    case = _start_case(store, user)
    data = case.model_dump(mode="json")
    data["property"]["area"] = "12a"
    store.save_draft(case.id, data, page="property", user=user)
    window.offer_drafts()
    offer = window.findChild(QInputDialog, "draftOffer")
    assert offer is not None and offer.isVisible()
    assert "发现未完成的草稿" in offer.labelText()
    assert case.case_number in offer.comboBoxItems()[0]
    with qtbot.waitSignal(window.wizard_opened) as opened:
        offer.accept()
    wizard: CaseWizard = opened.args[0]
    qtbot.waitUntil(lambda: wizard.current_page_name() == "property", timeout=2000)
    assert wizard.data == data
    assert field(wizard, "property.area").text() == "12a"


def test_idle_lock_hides_windows_and_unlocks_with_the_same_password(qtbot, signed_in):
    window = MainWindow(signed_in, idle_ms=150)
    qtbot.addWidget(window)
    app().installEventFilter(window.idle)
    window.idle.start()
    window.show()
    wizard = window.new_case()
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    type_list(wizard).setCurrentRow(0)
    wizard.next()
    qtbot.keyClick(wizard, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field(wizard, "parties[0].id_number"), "110105")
    with qtbot.waitSignal(window.locked_changed, timeout=3000):
        pass
    assert window.is_locked
    assert not window.isVisible() and not wizard.isVisible()
    lock = lock_dialog(window)
    assert lock.username.text() == "clerk" and lock.username.isReadOnly()
    lock.password.setText("wrong")
    lock.submit()
    assert window.is_locked and "密码" in lock.message.text()
    lock.password.setText(CLERK_PASSWORD)
    with qtbot.waitSignal(window.locked_changed):
        lock.submit()
    assert not window.is_locked
    assert window.isVisible() and wizard.isVisible()
    # the window state is kept: same page, same typed text
    assert wizard.current_page_name() == "parties"
    assert field(wizard, "parties[0].id_number").text() == "110105"
    # the draft was journalled when the screen locked
    assert signed_in.store.load_draft(wizard.case_id).data["parties"][0]["id_number"] == "110105"
    wizard.close()
    app().removeEventFilter(window.idle)


def test_ctrl_l_locks(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked


def test_english_translation_loads(qtbot, signed_in):
    application = app()
    try:
        assert install_language(application, "en")
        window = MainWindow(signed_in)
        qtbot.addWidget(window)
        assert window.file_menu.title() == "&File"
        assert window.commands["new_case"].text() == "&New case"
        assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Case number"
        # switching back retranslates the open window
        install_language(application, "zh_CN")
        QApplication.processEvents()
        assert window.file_menu.title() == "文件(&F)"
    finally:
        install_language(application, "zh_CN")
        app().removeEventFilter(window.idle)


def test_show_error_known_errors_get_their_message(qtbot):
    box = show_error(None, InvalidIdNumber("证件号码校验位不正确"))
    qtbot.addWidget(box)
    assert box.text() == "证件号码校验位不正确"
    box = show_error(None, DiskFull("磁盘已满，请清理后重试"))
    qtbot.addWidget(box)
    assert box.icon() == QMessageBox.Icon.Warning


def test_show_error_unexpected_saves_drafts_and_names_the_log(qtbot, tmp_path):
    saved = []
    crashlog.register_saver(lambda: saved.append(True))
    path = crashlog.setup_logging(tmp_path)
    try:
        try:
            raise ValueError("张三 110105194912310021")  # personal data in a message
        except ValueError as exc:
            box = show_error(None, exc)
        qtbot.addWidget(box)
        assert saved == [True]
        assert str(path) in box.informativeText()
        assert "草稿" in box.text()
        log_text = path.read_text(encoding="utf-8")
        assert "ValueError" in log_text
        assert "110105194912310021" not in log_text and "张三" not in log_text
    finally:
        crashlog._savers.clear()
        import logging

        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "baseFilename", None) == str(path):
                logging.getLogger().removeHandler(handler)
                handler.close()
