"""Binds input widgets to field paths of the wizard's raw data and shows issues next to them.

Each bound widget writes what the clerk typed into the data dictionary at its path (a line edit's
text exactly as typed; an empty optional field as ``None``), and shows the Chinese message of any
:class:`~forms.errors.Issue` whose path is its own, in a red line under the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from forms.errors import Issue
from workstation.qt import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QObject,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.ui.wizard.paths import get_path, is_within, set_path

INVALID_STYLE = "border: 1px solid #c62828; background: #fff5f5;"
ERROR_COLOUR = "#c62828"
WARNING_COLOUR = "#8a6d00"


@dataclass
class Binding:
    """One widget bound to one path.

    Attributes:
        path: the field path, e.g. ``parties[0].id_number``.
        widget: the input widget.
        issue_label: the label under the field that shows its issues, created with the first issue
            (most fields never have one, and a page of many fields is built faster without them).
        container: what a layout adds: a widget holding ``widget`` and later ``issue_label``, or the
            widget itself when not ``inline``.
        nullable: an empty text is stored as ``None`` (optional fields), else as ``""``.
        inline: show the issue text under the field; when false (cells of a table) the field is only
            marked and its issue is shown in the page's summary.
        issue_text: the messages of the field's issues ("" when none).
    """

    path: str
    widget: QWidget
    issue_label: QLabel | None
    container: QWidget
    nullable: bool
    inline: bool = True
    issue_text: str = ""


class Binder(QObject):
    """The bindings of one wizard.

    Signals:
        edited(str): the clerk changed the field at this path.
    """

    edited = pyqtSignal(str)

    def __init__(self, data: dict[str, Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.bindings: dict[str, Binding] = {}

    # --------------------------------------------------------------------------- binding
    def bind(self, widget: QWidget, path: str, *, nullable: bool = True, inline: bool = True) -> QWidget:
        """Bind ``widget`` to ``path``, fill it from the data, and return its container for a layout."""
        container = widget
        if inline:
            container = QWidget()
            layout = QVBoxLayout(container)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(2)
            layout.addWidget(widget)
        widget.setObjectName(path)
        binding = Binding(path, widget, None, container, nullable, inline)
        self.bindings[path] = binding
        self._fill(binding)
        self._connect(binding)
        return container

    def unbind_under(self, prefix: str) -> None:
        """Forget every binding at or under ``prefix`` (a page rebuilds its widgets)."""
        for path in [p for p in self.bindings if is_within(p, prefix)]:
            del self.bindings[path]

    def _connect(self, binding: Binding) -> None:
        widget = binding.widget
        path = binding.path
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda text: self._store(path, text))
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _i: self._store(path, widget.currentData()))
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(lambda checked: self._store(path, bool(checked)))
        elif isinstance(widget, QSpinBox):
            widget.valueChanged.connect(lambda value: self._store(path, int(value)))
        else:
            raise TypeError(f"cannot bind a {type(widget).__name__}")

    def _store(self, path: str, value: Any) -> None:
        binding = self.bindings.get(path)
        if binding is None:
            return
        if isinstance(value, str) and value == "" and binding.nullable:
            value = None
        if get_path(self.data, path, default=_MISSING) == value:
            return
        set_path(self.data, path, value)
        self.edited.emit(path)

    def _fill(self, binding: Binding) -> None:
        value = get_path(self.data, binding.path)
        widget = binding.widget
        blocked = widget.blockSignals(True)
        try:
            if isinstance(widget, QLineEdit):
                widget.setText("" if value is None else str(value))
            elif isinstance(widget, QComboBox):
                index = widget.findData(value)
                widget.setCurrentIndex(index if index >= 0 else (0 if widget.count() else -1))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value) if isinstance(value, int) else widget.minimum())
        finally:
            widget.blockSignals(blocked)

    def set_value(self, path: str, value: Any) -> None:
        """Store a value the program derived (not typed) at a bound path, show it and report the edit."""
        if get_path(self.data, path, default=_MISSING) == value:
            return
        set_path(self.data, path, value)
        binding = self.bindings.get(path)
        if binding is not None:
            self._fill(binding)
        self.edited.emit(path)

    def refill(self, prefix: str = "") -> None:
        """Fill every widget (under ``prefix``) from the data again."""
        for path, binding in self.bindings.items():
            if not prefix or is_within(path, prefix):
                self._fill(binding)

    # --------------------------------------------------------------------------- issues
    def show_issues(self, issues: Iterable[Issue]) -> list[Issue]:
        """Show each issue under its field; returns the issues no bound field took."""
        by_path: dict[str, list[Issue]] = {}
        unplaced: list[Issue] = []
        for issue in issues:
            if issue.path in self.bindings:
                by_path.setdefault(issue.path, []).append(issue)
            if issue.path not in self.bindings or not self.bindings[issue.path].inline:
                unplaced.append(issue)
        for path, binding in self.bindings.items():
            found = by_path.get(path, [])
            binding.issue_text = "\n".join(i.message for i in found)
            if not found:
                if binding.issue_label is not None and binding.issue_label.text():
                    binding.issue_label.hide()
                    binding.issue_label.setText("")
                if binding.widget.styleSheet():
                    binding.widget.setStyleSheet("")
                base_tip = binding.widget.property("baseToolTip") or ""
                if binding.widget.toolTip() != base_tip:
                    binding.widget.setToolTip(base_tip)
                continue
            error = any(i.severity == "error" for i in found)
            colour = ERROR_COLOUR if error else WARNING_COLOUR
            text = "\n".join(i.message for i in found)
            if binding.inline:
                label = self._issue_label(binding)
                label.setText(text)
                label.setStyleSheet(f"color: {colour};")
                label.show()
            binding.widget.setToolTip(text)
            if isinstance(binding.widget, QCheckBox):
                style = "QCheckBox::indicator { border: 2px solid #c62828; }"
            else:
                style = INVALID_STYLE
            binding.widget.setStyleSheet(style if error else "")
        return unplaced

    @staticmethod
    def _issue_label(binding: Binding) -> QLabel:
        """The label under an inline field, created the first time the field has an issue."""
        if binding.issue_label is None:
            label = QLabel()
            label.setObjectName("issue:" + binding.path)
            label.setWordWrap(True)
            layout = binding.container.layout()
            assert layout is not None  # inline bindings have a container with a layout
            layout.addWidget(label)
            binding.issue_label = label
        return binding.issue_label

    def issue_text(self, path: str) -> str:
        """The issue text shown under the field at ``path`` ("" when none)."""
        binding = self.bindings.get(path)
        return binding.issue_text if binding is not None else ""

    def widget(self, path: str) -> QWidget | None:
        """The widget bound to ``path``."""
        binding = self.bindings.get(path)
        return binding.widget if binding else None

    def nearest_widget(self, path: str) -> QWidget | None:
        """The widget of ``path`` or, failing that, of the closest bound field under or above it."""
        if path in self.bindings:
            return self.bindings[path].widget
        for candidate, binding in self.bindings.items():
            if is_within(candidate, path):
                return binding.widget
        return None


_MISSING = object()


def enum_combo(items: Iterable[tuple[str, Any]], *, empty: str | None = None) -> QComboBox:
    """A combo box of ``(label, value)`` pairs, with an optional empty first item (value ``None``)."""
    combo = QComboBox()
    if empty is not None:
        combo.addItem(empty, None)
    for text, value in items:
        combo.addItem(text, value)
    return combo


Callback = Callable[[], None]
