"""A test-only automation hook: performs a JSON script of steps in the running GUI.

Inert unless ``YICHUANG_TEST_SCRIPT`` names a script (see :func:`workstation.app.run_gui`); the
end-to-end tests use it to drive the real program in its own process (log in, start a case, type),
then kill it and check what was journalled. The script is a JSON list of one-key objects:

* ``{"login": {"username": "clerk", "password": "…"}}``
* ``{"new_case": "second_hand_sale"}`` — open the wizard, choose the type, create the case
* ``{"add_party": "buyer"}`` — press the parties page's button for a catalog role
* ``{"set": {"path": "parties[0].id_number", "value": "…"}}`` — type into a bound field
* ``{"next": true}`` — next wizard page
* ``{"continue_draft": 0}`` — accept the offer of unfinished drafts, choosing the n-th
* ``{"dump": "/path/state.json"}`` — write the open wizard's case id, page and data
* ``{"touch": "/path/file"}`` — create a file (a marker the test waits for)

Each step is retried every 100 ms until it can run (its window is up).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from workstation.qt import QApplication, QInputDialog, QLineEdit, QObject, QTimer

log = logging.getLogger(__name__)

STEP_TIMEOUT_TICKS = 300
"""A step that cannot run for 30 s is abandoned (logged) and the script stops."""


class ScriptRunner(QObject):
    """Runs the steps of an automation script, one per timer tick when its window is ready."""

    def __init__(self, script: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.steps: list[dict[str, Any]] = json.loads(script.read_text(encoding="utf-8"))
        self.position = 0
        self.waited = 0
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        """Begin running the script."""
        log.info("automation script with %d steps", len(self.steps))
        self.timer.start()

    def tick(self) -> None:
        """Try the current step; move on when it ran."""
        if self.position >= len(self.steps):
            self.timer.stop()
            return
        ((kind, argument),) = self.steps[self.position].items()
        handler = getattr(self, "_step_" + kind)
        if handler(argument):
            log.info("automation step %d (%s) done", self.position, kind)
            self.position += 1
            self.waited = 0
            return
        self.waited += 1
        if self.waited > STEP_TIMEOUT_TICKS:
            log.error("automation step %d (%s) could not run; script stopped", self.position, kind)
            self.timer.stop()

    # --------------------------------------------------------------------------- lookups
    @staticmethod
    def _visible(class_name: str) -> Any:
        for widget in QApplication.topLevelWidgets():
            if type(widget).__name__ == class_name and widget.isVisible():
                return widget
        return None

    def _wizard(self) -> Any:
        return self._visible("CaseWizard")

    # --------------------------------------------------------------------------- steps
    def _step_login(self, argument: dict[str, str]) -> bool:
        dialog = self._visible("LoginDialog")
        if dialog is None or dialog.locked or not dialog.ok_button.isEnabled():
            return False
        dialog.username.setText(argument["username"])
        dialog.password.setText(argument["password"])
        dialog.submit()
        return True

    def _step_new_case(self, business_type: str) -> bool:
        window = self._visible("MainWindow")
        if window is None:
            return False
        wizard = window.new_case()
        page = wizard.pages["type"]
        for row in range(page.types.count()):
            if page.types.item(row).data(0x0100) == business_type:  # Qt.ItemDataRole.UserRole
                page.types.setCurrentRow(row)
        wizard.next()
        return True

    def _step_add_party(self, role_key: str) -> bool:
        wizard = self._wizard()
        if wizard is None or wizard.case_id is None or wizard.current_page_name() != "parties":
            return False
        for button in wizard.parties_page.add_buttons:
            if button.objectName() == "addParty:" + role_key:
                button.click()
                return True
        return False

    def _step_set(self, argument: dict[str, str]) -> bool:
        wizard = self._wizard()
        if wizard is None:
            return False
        widget = wizard.binder.widget(argument["path"])
        if not isinstance(widget, QLineEdit):
            return False
        widget.setText(argument["value"])
        widget.textEdited.emit(argument["value"])
        return True

    def _step_next(self, _argument: object) -> bool:
        wizard = self._wizard()
        if wizard is None:
            return False
        wizard.next()
        return True

    def _step_continue_draft(self, index: int) -> bool:
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, QInputDialog)
                and widget.objectName() == "draftOffer"
                and widget.isVisible()
            ):
                items = widget.comboBoxItems()
                widget.setTextValue(items[index])
                widget.accept()
                return True
        return False

    def _step_dump(self, target: str) -> bool:
        wizard = self._wizard()
        if wizard is None:
            return False
        state = {"case_id": str(wizard.case_id), "page": wizard.current_page_name(), "data": wizard.data}
        Path(target).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        return True

    def _step_touch(self, target: str) -> bool:
        Path(target).touch()
        return True
