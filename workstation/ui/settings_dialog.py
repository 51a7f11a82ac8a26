"""设置: the settings dialog (工具 → 设置, Ctrl+,; issue 9).

Every key of :class:`workstation.config.Settings`, grouped in tabs by section (办公室信息, 部门系统地址,
同步, 打印, 扫描, 安全, 界面), each with its Chinese title and description and the widget its type
needs: a line edit for text (masked for secrets), a spin box for numbers, a check box for switches,
a drop-down for choices, a line edit with 浏览… for files and folders. What the signed-in user may
change is decided by :func:`workstation.operations.settings.writable_layer`: keys set by policy are
read-only for everybody (with a note naming the policy), office and window settings for everybody but
an administrator, and anyone may change their own user-scope preferences (界面语言, 打印份数). The
save operation checks the role again, so disabled widgets are not the only guard.

Values are checked as they are typed, with the Chinese reason under the field. 保存 (Enter) writes
only the keys that changed, off the UI thread, each one audited; 取消 (Esc) discards. 恢复默认 (or
Ctrl+R in a field) removes the value of the layer the user writes, so the one below applies again.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workstation.config import SECTIONS, Layer, Settings
from workstation.i18n import current_language, install_language
from workstation.operations import settings as ops
from workstation.operations.settings import SettingChange, SettingKind, SettingRow, SettingsInvalid
from workstation.permissions import role_label
from workstation.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFont,
    QGridLayout,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QShortcut,
    QSpinBox,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.session import Session
from workstation.storage.api import Role
from workstation.ui.errors import show_error

FLOAT_DECIMALS = 3
"""Decimals shown for seconds and thresholds (the schema's values have at most two)."""

_INT_LIMIT = 2_147_483_647


@dataclass
class SettingEditor:
    """The widgets of one key in the dialog.

    Attributes:
        row: the key as loaded.
        editor: the input widget (line edit, spin box, check box or drop-down).
        label: the title beside it.
        reset: the 恢复默认 button.
        note: the description, and why the field is read-only or where a change goes.
        error: the reason a typed value is not allowed (hidden when it is).
        browse: 浏览… for files and folders.
        reset_pending: 恢复默认 was pressed and nothing typed since.
    """

    row: SettingRow
    editor: QWidget
    label: QLabel
    reset: QPushButton
    note: QLabel
    error: QLabel
    browse: QPushButton | None = None
    reset_pending: bool = field(default=False)

    @property
    def key(self) -> str:
        """The key."""
        return self.row.key

    @property
    def editable(self) -> bool:
        """Whether this user may change the key."""
        return self.row.target is not None

    def raw(self) -> Any:
        """What the widget holds now: text, a number, a bool or a choice's code."""
        widget = self.editor
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QSpinBox | QDoubleSpinBox):
            return widget.value()
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def show_value(self, value: Any) -> None:
        """Put ``value`` in the widget without counting it as typed."""
        widget = self.editor
        widget.blockSignals(True)
        try:
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(str(value)), 0))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            elif isinstance(widget, QDoubleSpinBox):
                widget.setValue(float(value))
            else:
                assert isinstance(widget, QLineEdit)
                widget.setText(ops.value_text(value))
        finally:
            widget.blockSignals(False)

    def candidate(self) -> tuple[Any, str]:
        """The checked value typed and ``""``, or ``None`` and the Chinese reason it is not allowed."""
        try:
            return ops.check_value(self.key, self.raw()), ""
        except SettingsInvalid as exc:
            return None, exc.problems.get(self.key, str(exc))

    def change(self) -> SettingChange | None:
        """The change this field asks for (``None``: none, or read-only).

        Raises:
            SettingsInvalid: the value typed is not allowed.
        """
        target = self.row.target
        if target is None:
            return None
        if self.reset_pending:
            return SettingChange(self.key, target, reset=True) if self.row.resettable else None
        value, problem = self.candidate()
        if problem:
            raise SettingsInvalid({self.key: problem}, problem)
        loaded = self.row.value
        if isinstance(loaded, float) and isinstance(value, float):
            loaded = round(loaded, FLOAT_DECIMALS)
        return None if value == loaded else SettingChange(self.key, target, value=value)


class SettingsDialog(QDialog):
    """The settings of this window, its office and the signed-in user.

    Args:
        session: the running session (store, executor, user, settings).
        parent: the main window.
        data_dir: the data folder holding ``office.toml`` (the machine's by default).

    Signals:
        loaded(object): the :class:`~workstation.operations.settings.SettingsView` was read.
        saved(object): changes were stored (:class:`~workstation.operations.settings.SettingsSaved`).
    """

    loaded = pyqtSignal(object)
    saved = pyqtSignal(object)

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, data_dir: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.data_dir = data_dir
        self.view: ops.SettingsView | None = None
        self.editors: dict[str, SettingEditor] = {}
        self.pages: dict[str, QWidget] = {}
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("设置"))
        self.resize(860, 640)

        self.heading = QLabel(self.tr("正在读取设置…"))
        self.heading.setObjectName("settingsHeading")
        self.heading.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.setDocumentMode(True)
        self.message = QLabel()
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.hint = QLabel(
            self.tr("Tab 切换项目，Ctrl+Tab 切换分组，Ctrl+R 恢复当前项的默认值；Enter 保存，Esc 取消。")
        )
        self.hint.setObjectName("settingsHint")
        self.hint.setStyleSheet("color: #666;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert save is not None and cancel is not None
        save.setText(self.tr("保存"))
        save.setObjectName("settingsSave")
        save.setDefault(True)
        save.setEnabled(False)
        cancel.setText(self.tr("取消"))
        self.save_button = save
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.reset_shortcut = QShortcut(QKeySequence("Ctrl+R"), self)
        self.reset_shortcut.activated.connect(self.reset_focused)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.reload()

    # --------------------------------------------------------------------------- loading
    def reload(self) -> None:
        """Read every layer again (files and database), off the UI thread."""
        ops.load_settings_view(
            session=self.session, on_done=self._loaded, on_error=self._load_failed, data_dir=self.data_dir
        )

    def _load_failed(self, exc: BaseException) -> None:
        self.heading.setText(self.tr("无法读取设置。"))
        show_error(self, exc)

    def _loaded(self, view: ops.SettingsView) -> None:
        self.view = view
        user = self.session.user
        who = (
            f"{user.display_name}（{role_label(Role(user.role))}）" if user is not None else self.tr("未登录")
        )
        rule = (
            self.tr("您可以修改机构设置、本窗口设置和自己的个人设置。")
            if view.can_change_office
            else self.tr(
                "机构设置和本窗口设置只有系统管理员可以修改；您可以修改自己的个人设置（如界面语言、打印份数）。"
            )
        )
        self.heading.setText(self.tr("当前用户：") + who + "。" + rule)
        self.tabs.clear()
        self.editors.clear()
        self.pages.clear()
        sections: dict[str, list[SettingRow]] = {}
        for row in view.rows:
            sections.setdefault(row.spec.section, []).append(row)
        for section, rows in sections.items():
            self._add_page(section, rows)
        self.save_button.setEnabled(True)
        first = next((e for e in self.editors.values() if e.editable), None)
        if first is not None:
            self.tabs.setCurrentWidget(self.pages[first.row.spec.section])
            first.editor.setFocus()
        self.loaded.emit(view)

    def _add_page(self, section: str, rows: list[SettingRow]) -> None:
        content = QWidget()
        grid = QGridLayout(content)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(2)
        chain: list[QWidget] = []
        for index, row in enumerate(rows):
            editor = self._make_row(grid, index * 3, row)
            chain.append(editor.editor)
        grid.setRowStretch(len(rows) * 3, 1)
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        scroll = QScrollArea()
        scroll.setObjectName(f"settingsPage_{SECTIONS.index(section) if section in SECTIONS else 'other'}")
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.pages[section] = scroll
        self.tabs.addTab(scroll, section)

    def _make_row(self, grid: QGridLayout, line: int, row: SettingRow) -> SettingEditor:
        spec = row.spec
        editor = self._make_editor(row)
        editor.setObjectName(f"setting_{spec.key}")
        label = QLabel(spec.title)
        label.setBuddy(editor)
        label.setToolTip(spec.key)
        reset = QPushButton(self.tr("恢复默认"))
        reset.setObjectName(f"reset_{spec.key}")
        reset.setAutoDefault(False)
        reset.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Ctrl+R from the field; Tab goes field to field
        reset.setToolTip(
            self.tr("删除此项在%1中的值，改用下一层的值或默认值（Ctrl+R）").replace(
                "%1", ops.LAYER_LABELS[row.target] if row.target is not None else ""
            )
        )
        note = QLabel()
        note.setObjectName(f"note_{spec.key}")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        error = QLabel()
        error.setObjectName(f"error_{spec.key}")
        error.setWordWrap(True)
        error.setStyleSheet("color: #b00020;")
        error.hide()
        item = SettingEditor(row=row, editor=editor, label=label, reset=reset, note=note, error=error)
        cell = QHBoxLayout()
        cell.addWidget(editor, 1)
        if spec.kind in (SettingKind.PATH, SettingKind.FOLDER):
            browse = QPushButton(self.tr("浏览…"))
            browse.setObjectName(f"browse_{spec.key}")
            browse.setAutoDefault(False)
            browse.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            browse.setEnabled(item.editable)
            browse.clicked.connect(lambda _c=False, e=item: self._browse(e))
            cell.addWidget(browse)
            item.browse = browse
        grid.addWidget(label, line, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(cell, line, 1)
        grid.addWidget(reset, line, 2)
        grid.addWidget(note, line + 1, 1, 1, 2)
        grid.addWidget(error, line + 2, 1, 1, 2)
        # Read-only text shows as printed by the CLI: a password in a database address masked.
        masked = not item.editable and spec.kind is SettingKind.TEXT
        item.show_value(ops.shown_text(row.key, row.value) if masked else row.value)
        editor.setEnabled(item.editable)
        reset.setEnabled(item.editable and row.resettable)
        reset.clicked.connect(lambda _c=False, e=item: self.reset_to_default(e.key))
        self._connect_edits(item)
        self._show_note(item)
        self.editors[spec.key] = item
        return item

    def _make_editor(self, row: SettingRow) -> QWidget:
        spec = row.spec
        if spec.kind is SettingKind.BOOL:
            return QCheckBox(self.tr("开启"))
        if spec.kind is SettingKind.CHOICE:
            combo = QComboBox()
            labels = ops.CHOICE_LABELS.get(spec.key, {})
            for choice in spec.choices:
                combo.addItem(f"{labels[choice]}（{choice}）" if choice in labels else choice, choice)
            return combo
        if spec.kind is SettingKind.INT:
            spin = QSpinBox()
            spin.setRange(
                int(spec.minimum) if spec.minimum is not None else -_INT_LIMIT,
                int(spec.maximum) if spec.maximum is not None else _INT_LIMIT,
            )
            spin.setGroupSeparatorShown(False)
            return spin
        if spec.kind is SettingKind.FLOAT:
            double = QDoubleSpinBox()
            double.setDecimals(FLOAT_DECIMALS)
            low = spec.minimum if spec.minimum is not None else -1e12
            high = spec.maximum if spec.maximum is not None else 1e12
            double.setRange(low, high)  # a ``gt`` bound is allowed here and refused with a message
            double.setSingleStep(0.05 if high <= 10 else 1.0)
            return double
        line = QLineEdit()
        if spec.max_length:
            line.setMaxLength(spec.max_length)
        if spec.secret:
            line.setEchoMode(QLineEdit.EchoMode.Password)
        line.setClearButtonEnabled(row.target is not None)
        if spec.optional:
            line.setPlaceholderText(self.tr("（未设置）"))
        return line

    def _connect_edits(self, item: SettingEditor) -> None:
        widget = item.editor
        if isinstance(widget, QCheckBox):
            widget.toggled.connect(lambda _v, e=item: self._edited(e))
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _i, e=item: self._edited(e))
        elif isinstance(widget, QSpinBox | QDoubleSpinBox):
            widget.valueChanged.connect(lambda _v, e=item: self._edited(e))
        else:
            assert isinstance(widget, QLineEdit)
            widget.textChanged.connect(lambda _t, e=item: self._edited(e))

    # --------------------------------------------------------------------------- editing
    def _description(self, item: SettingEditor) -> str:
        spec = item.row.spec
        text = spec.description_en if current_language() == "en" else spec.description
        return f"{text}（{spec.key}）"

    def _show_note(self, item: SettingEditor) -> None:
        row = item.row
        parts = [self._description(item)]
        if item.reset_pending:
            fallback = ops.shown_text(row.key, row.fallback) or self.tr("（空）")
            parts.append(self.tr("保存后恢复为：") + fallback)
        elif row.locked:
            parts.append(self.tr("锁定：") + row.note)
            item.note.setStyleSheet("color: #8a4b00;")
        else:
            parts.append(row.note)
        item.note.setText("\n".join(parts))

    def _edited(self, item: SettingEditor) -> None:
        item.reset_pending = False
        _value, problem = item.candidate()
        item.error.setText(problem)
        item.error.setVisible(bool(problem))
        self._show_note(item)
        try:
            changed = item.change() is not None
        except SettingsInvalid:
            changed = True
        font = QFont(item.label.font())
        font.setBold(changed)
        item.label.setFont(font)
        if not problem and not any(e.error.isVisible() for e in self.editors.values()):
            self.message.clear()

    def reset_to_default(self, key: str) -> None:
        """Mark ``key`` for 恢复默认 and show the value that will apply (written on 保存)."""
        item = self.editors[key]
        if not item.editable or not item.row.resettable:
            return
        item.show_value(item.row.fallback)
        item.reset_pending = True
        item.error.hide()
        font = QFont(item.label.font())
        font.setBold(True)
        item.label.setFont(font)
        self._show_note(item)

    def reset_focused(self) -> None:
        """恢复默认 for the field that has the focus (Ctrl+R)."""
        focus = QApplication.focusWidget()
        for item in self.editors.values():
            if focus is not None and (focus is item.editor or item.editor.isAncestorOf(focus)):
                self.reset_to_default(item.key)
                return

    def _browse(self, item: SettingEditor) -> None:
        current = item.raw() if isinstance(item.raw(), str) else ""
        if item.row.spec.kind is SettingKind.FOLDER:
            chosen = QFileDialog.getExistingDirectory(self, item.row.spec.title, current)
        else:
            chosen, _filter = QFileDialog.getOpenFileName(self, item.row.spec.title, current)
        if chosen and isinstance(item.editor, QLineEdit):
            item.editor.setText(chosen)

    # --------------------------------------------------------------------------- saving
    def pending_changes(self) -> list[SettingChange]:
        """The changes 保存 writes (only keys whose value changed, or marked 恢复默认).

        Raises:
            SettingsInvalid: values typed are not allowed (each key with its reason).
        """
        changes: list[SettingChange] = []
        problems: dict[str, str] = {}
        for item in self.editors.values():
            try:
                change = item.change()
            except SettingsInvalid as exc:
                problems.update(exc.problems)
                continue
            if change is not None:
                changes.append(change)
        if problems:
            raise SettingsInvalid(problems, "\n".join(problems.values()))
        return changes

    def save(self) -> None:
        """Write the changed keys (Enter); close when done, or show what to correct."""
        if self.view is None:
            return
        try:
            changes = self.pending_changes()
        except SettingsInvalid as exc:
            self.show_problems(exc.problems)
            return
        if not changes:
            self.accept()
            return
        self.save_button.setEnabled(False)
        ops.save_settings(
            session=self.session,
            changes=changes,
            on_done=self._saved,
            on_error=self._save_failed,
            parent=self,
            data_dir=self.data_dir,
        )

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Show each reason under its field and go to the first one."""
        first: SettingEditor | None = None
        for key, problem in problems.items():
            item = self.editors.get(key)
            if item is None:
                continue
            item.error.setText(problem)
            item.error.show()
            first = first or item
        self.message.setText(
            self.tr("有 %1 项设置需要更正，请按红字提示修改后再保存。").replace("%1", str(len(problems)))
        )
        if first is not None:
            self.tabs.setCurrentWidget(self.pages[first.row.spec.section])
            first.editor.setFocus()

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, SettingsInvalid):
            self.show_problems(exc.problems)
            return
        show_error(self, exc)

    def _saved(self, saved: ops.SettingsSaved) -> None:
        settings = self.session.settings
        if isinstance(settings, Settings) and saved.changed:
            self.session.settings = settings.model_copy(update=dict(saved.changed))
        language = saved.changed.get("language")
        app = QApplication.instance()
        if language is not None and isinstance(app, QApplication) and str(language) != current_language():
            install_language(app, str(language))
        self.view = saved.view
        self.saved.emit(saved)
        self.accept()

    def editor(self, key: str) -> QWidget:
        """The input widget of ``key`` (tests and the screenshot script)."""
        return self.editors[key].editor

    def layer_note(self, key: str) -> str:
        """The note shown under ``key``."""
        return self.editors[key].note.text()

    def target_of(self, key: str) -> Layer | None:
        """The layer a change of ``key`` goes to for this user (``None``: read-only)."""
        return self.editors[key].row.target
