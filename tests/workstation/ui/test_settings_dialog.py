"""The settings dialog (issue 9): edit and save through Config, audited; locks, roles and languages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from workstation.config import Layer, read_toml
from workstation.i18n import current_language, install_language
from workstation.operations import settings as ops
from workstation.permissions import PermissionDenied
from workstation.qt import QApplication, QCheckBox, QComboBox, QDialog, QLineEdit, QSpinBox, Qt
from workstation.session import Session
from workstation.storage.api import Role, User
from workstation.storage.store import SqlStore
from workstation.ui.main_window import MainWindow
from workstation.ui.settings_dialog import SettingsDialog

from .helpers import app, enter_text, focused


@pytest.fixture
def admin(store: SqlStore) -> User:
    return store.add_user(username="it", display_name="信息科", password="admin-pass-1", role=Role.ADMIN)


@pytest.fixture
def as_admin(session: Session, admin: User) -> Session:
    session.user = admin
    return session


def _dialog(qtbot: Any, session: Session) -> SettingsDialog:
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.view is not None  # loaded (the inline executor runs the job at once)
    return dialog


def _office(data_dir: Path) -> dict[str, Any]:
    return read_toml(data_dir / "office.toml")[0]


def _config_entries(store: SqlStore) -> list[dict[str, Any]]:
    return [store.audit_details(e) for e in store.audit_entries() if e.kind == "config_change"]


def _line(dialog: SettingsDialog, key: str) -> QLineEdit:
    widget = dialog.editor(key)
    assert isinstance(widget, QLineEdit)
    return widget


def test_admin_edits_and_saves_only_the_changed_keys(qtbot, as_admin, store, data_dir):
    dialog = _dialog(qtbot, as_admin)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "办公室信息",
        "部门系统地址",
        "同步",
        "打印",
        "扫描",
        "安全",
        "界面",
    ]
    name = _line(dialog, "office_name")
    name.clear()
    enter_text(qtbot, name, "昆明市不动产登记中心")
    idle = dialog.editor("idle_lock_minutes")
    assert isinstance(idle, QSpinBox) and (idle.minimum(), idle.maximum()) == (1, 240)
    idle.setValue(20)
    simulate = dialog.editor("simulate_devices")
    assert isinstance(simulate, QCheckBox)
    assert dialog.target_of("office_name") is Layer.OFFICE
    assert "机构设置" in dialog.layer_note("office_name")
    dialog.tabs.setCurrentWidget(dialog.pages["安全"])
    idle.setFocus()
    qtbot.keyClick(idle, Qt.Key.Key_Return)  # Enter saves, from a spin box too
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert _office(data_dir) == {"version": 1, "office_name": "昆明市不动产登记中心", "idle_lock_minutes": 20}
    assert _config_entries(store) == [
        {"action": "set_office", "key": "office_name"},
        {"action": "set_office", "key": "idle_lock_minutes"},
    ]
    assert as_admin.settings.office_name == "昆明市不动产登记中心"  # the session sees the new values
    assert as_admin.settings.idle_lock_minutes == 20


def test_a_policy_key_is_read_only_with_a_note(qtbot, as_admin, data_dir):
    Path(os.environ["YICHUANG_POLICY_FILE"]).write_text("idle_lock_minutes = 5\n", encoding="utf-8")
    dialog = _dialog(qtbot, as_admin)
    idle = dialog.editor("idle_lock_minutes")
    assert isinstance(idle, QSpinBox) and idle.value() == 5
    assert not idle.isEnabled()
    assert not dialog.editors["idle_lock_minutes"].reset.isEnabled()
    assert dialog.target_of("idle_lock_minutes") is None
    note = dialog.layer_note("idle_lock_minutes")
    assert "锁定" in note and os.environ["YICHUANG_POLICY_FILE"] in note
    # Even the save operation refuses it (a changed widget would not get past the store).
    errors: list[BaseException] = []
    ops.save_settings(
        session=as_admin,
        changes=[ops.SettingChange("idle_lock_minutes", Layer.OFFICE, value=30)],
        on_done=lambda _saved: None,
        on_error=errors.append,
    )
    assert len(errors) == 1 and "策略" in str(errors[0])
    assert not (data_dir / "office.toml").exists()


def test_clerk_cannot_change_office_keys_even_through_the_operation(qtbot, signed_in, store, data_dir):
    dialog = _dialog(qtbot, signed_in)
    assert not dialog.editor("office_name").isEnabled()
    assert "系统管理员" in dialog.layer_note("office_name")
    assert dialog.editor("language").isEnabled() and dialog.target_of("language") is Layer.USER
    assert dialog.editor("print_copies").isEnabled()
    assert "系统管理员可以修改" in dialog.heading.text()

    errors: list[BaseException] = []
    done: list[object] = []
    ops.save_settings(
        session=signed_in,
        changes=[ops.SettingChange("office_name", Layer.OFFICE, value="某中心")],
        on_done=done.append,
        on_error=errors.append,
    )
    assert not done and len(errors) == 1 and isinstance(errors[0], PermissionDenied)
    assert "无权“修改机构设置”" in str(errors[0])
    # The shared function refuses too, before anything is written.
    config = ops.open_config(store, signed_in.user)
    with pytest.raises(PermissionDenied):
        ops.change_settings(
            config,
            user=signed_in.user,
            changes=[
                ops.SettingChange("language", Layer.USER, value="en"),
                ops.SettingChange("office_name", Layer.OFFICE, value="某中心"),
            ],
        )
    assert not (data_dir / "office.toml").exists()
    assert store.user_prefs(signed_in.require_user().id) == {}
    assert _config_entries(store) == []


def test_clerk_sees_read_only_values_without_secrets(qtbot, signed_in, data_dir):
    (data_dir / "office.toml").write_text(
        'database_url = "postgresql+psycopg://yichuang:s3cret@db.example/office"\n'
        'simulate_devices = false\nenrol_token = "enrol-4711"\n',
        encoding="utf-8",
    )
    dialog = _dialog(qtbot, signed_in)
    assert _line(dialog, "database_url").text() == "postgresql+psycopg://yichuang:***@db.example/office"
    assert "enrol-4711" not in _line(dialog, "enrol_token").text()
    simulate = dialog.editor("simulate_devices")
    assert isinstance(simulate, QCheckBox) and not simulate.isChecked() and not simulate.isEnabled()


def test_clerk_changes_own_language_and_it_applies(qtbot, signed_in, store, data_dir):
    dialog = _dialog(qtbot, signed_in)
    language = dialog.editor("language")
    assert isinstance(language, QComboBox) and language.currentData() == "zh_CN"
    assert [language.itemText(i) for i in range(language.count())] == ["简体中文（zh_CN）", "English（en）"]
    saved: list[ops.SettingsSaved] = []
    dialog.saved.connect(saved.append)
    language.setCurrentIndex(language.findData("en"))
    try:
        dialog.save()
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert dict(saved[0].changed) == {"language": "en"}
        assert current_language() == "en"
    finally:
        install_language(app(), "zh_CN")
    user_id = signed_in.require_user().id
    assert store.user_prefs(user_id) == {"language": "en"}
    assert _config_entries(store) == [{"action": "set_user", "key": "language"}]
    assert not (data_dir / "office.toml").exists()
    # Opened again, the preference shows and can be put back to the default.
    again = _dialog(qtbot, signed_in)
    again.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is again)  # shortcuts reach the active window
    combo = again.editor("language")
    assert isinstance(combo, QComboBox) and combo.currentData() == "en"
    again.tabs.setCurrentWidget(again.pages["界面"])
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # 恢复默认
    assert combo.currentData() == "zh_CN" and "保存后恢复为" in again.layer_note("language")
    again.save()
    assert store.user_prefs(user_id) == {}
    assert _config_entries(store)[-1] == {"action": "reset_user", "key": "language"}


def test_invalid_value_is_explained_next_to_the_field_and_nothing_is_saved(qtbot, as_admin, store, data_dir):
    dialog = _dialog(qtbot, as_admin)
    code = _line(dialog, "office_code")
    code.clear()
    enter_text(qtbot, code, "5301")
    error = dialog.editors["office_code"].error
    assert error.isVisible() and "格式不正确" in error.text() and "6 位行政区划代码" in error.text()
    draft = dialog.editor("draft_journal_seconds")
    draft.setFocus()
    dialog.save()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "1 项设置需要更正" in dialog.message.text()
    assert focused(dialog) is code  # taken back to the field to correct
    enter_text(qtbot, code, "0101")
    assert not error.isVisible()
    dialog.save()
    assert _office(data_dir)["office_code"] == "53010101"
    assert _config_entries(store) == [{"action": "set_office", "key": "office_code"}]


def test_reset_to_default_removes_the_office_value(qtbot, as_admin, store, data_dir):
    office = data_dir / "office.toml"
    office.write_text('office_name = "旧名称"\nenquiry_phone = "0871-1"\n', encoding="utf-8")
    dialog = _dialog(qtbot, as_admin)
    assert _line(dialog, "office_name").text() == "旧名称"
    assert not dialog.editors["office_code"].reset.isEnabled()  # nothing set: nothing to reset
    qtbot.mouseClick(dialog.editors["office_name"].reset, Qt.MouseButton.LeftButton)
    assert _line(dialog, "office_name").text() == "不动产登记中心"
    dialog.save()
    assert _office(data_dir) == {"version": 1, "enquiry_phone": "0871-1"}
    assert _config_entries(store) == [{"action": "reset_office", "key": "office_name"}]


def test_keyboard_tab_order_and_escape_discards(qtbot, as_admin, data_dir):
    dialog = _dialog(qtbot, as_admin)
    first = dialog.editor("office_code")
    assert focused(dialog) is first
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert focused(dialog) is dialog.editor("window_id")
    qtbot.keyClick(dialog.editor("window_id"), Qt.Key.Key_Tab)
    assert focused(dialog) is dialog.editor("office_name")
    enter_text(qtbot, _line(dialog, "office_name"), "X")
    qtbot.keyClick(dialog.editor("office_name"), Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
    assert not (data_dir / "office.toml").exists()


def test_main_window_opens_settings_with_ctrl_comma(qtbot, signed_in):
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    try:
        action = window.commands["settings"]
        assert action.shortcut().toString() == "Ctrl+,"
        assert action in window.tools_menu.actions() and window.tools_menu.title() == "工具(&T)"
        dialog = window.open_settings()
        assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
        dialog.reject()
    finally:
        app().removeEventFilter(window.idle)
