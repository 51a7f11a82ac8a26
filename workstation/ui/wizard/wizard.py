"""The new-case wizard window: owns the raw data, journals it, checks it as the clerk types."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from forms.case import Case
from forms.errors import Issue
from forms.validation import ValidationReport, validate_case
from workstation import crashlog
from workstation.operations import cases
from workstation.qt import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QKeyEvent,
    QKeySequence,
    QLineEdit,
    QListWidget,
    QShortcut,
    QSpinBox,
    Qt,
    QTimer,
    QWidget,
    QWizard,
    pyqtSignal,
)
from workstation.session import Session
from workstation.ui.errors import show_error
from workstation.ui.wizard import catalog_view, glyphs
from workstation.ui.wizard.binder import Binder
from workstation.ui.wizard.pages import (
    CasePage,
    InterviewPage,
    MaterialsPage,
    MortgagePage,
    PartiesPage,
    PropertyPage,
    ReviewPage,
    TransactionPage,
    TypePage,
)
from workstation.ui.wizard.paths import is_within, split_path
from workstation.ui.wizard.tax_page import TaxPage, warm_up_rules

PAGE_ORDER = (
    "type",
    "parties",
    "property",
    "transaction",
    "mortgage",
    "tax",
    "materials",
    "interview",
    "review",
)
"""The pages by stable name, in order; the id of a page is its index here."""

VALIDATION_DELAY_MS = 250
"""Checks run this long after the last keystroke."""

WARM_UP_IDLE_MS = 700
"""The fonts and tax rules load once the clerk has paused this long (see :meth:`CaseWizard.warm_up`)."""


class CaseWizard(QWizard):
    """Enter or continue one case.

    Args:
        session: the running application (signed in).
        data: the raw data of a draft to continue (``None`` for a new case).
        case_id: the case the draft belongs to.
        page: the page name the draft was on.

    Signals:
        draft_saved(object): a draft was journalled (the case id).
        version_saved(object): a version was kept (:class:`~workstation.operations.cases.CaseChanged`).
        case_finished(object): the case was saved and moved to ``ready`` (``CaseChanged``).
        case_created(object): the case was created (its :class:`Case`).
        case_reopened(object): editing a ``ready`` case moved it back to ``draft`` (``CaseChanged``).
    """

    draft_saved = pyqtSignal(object)
    version_saved = pyqtSignal(object)
    case_finished = pyqtSignal(object)
    case_created = pyqtSignal(object)
    case_reopened = pyqtSignal(object)

    def __init__(
        self,
        session: Session,
        *,
        data: dict[str, Any] | None = None,
        case_id: uuid.UUID | None = None,
        page: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.data: dict[str, Any] = data if data is not None else {"business_type": ""}
        self.binder = Binder(self.data, self)
        self.report = ValidationReport()
        self._restoring = False
        self._dirty = False
        self._first_keystroke: datetime | None = None  # a new case's intake_started_at (issue 8)
        self._finishing = False
        self._creating = False
        self._reopen_checked = False
        self._labels: dict[str, str] | None = None
        self.setObjectName("caseWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.resize(1000, 720)

        self.pages: dict[str, CasePage] = {}
        for page_id, page_class in enumerate(
            (
                TypePage,
                PartiesPage,
                PropertyPage,
                TransactionPage,
                MortgagePage,
                TaxPage,
                MaterialsPage,
                InterviewPage,
                ReviewPage,
            )
        ):
            case_page = page_class(self)
            self.pages[case_page.name] = case_page
            self.setPage(page_id, case_page)

        self.journal_timer = QTimer(self)
        self.journal_timer.setSingleShot(True)
        self.journal_timer.setInterval(int(max(0.1, float(session.settings.draft_journal_seconds)) * 1000))
        self.journal_timer.timeout.connect(self.journal)
        self.validation_timer = QTimer(self)
        self.validation_timer.setSingleShot(True)
        self.validation_timer.setInterval(VALIDATION_DELAY_MS)
        self.validation_timer.timeout.connect(self.validate_now)
        self.binder.edited.connect(self._edited)
        self.currentIdChanged.connect(self._page_changed)

        for keys, slot in (
            ("Alt+Right", self.next),
            ("PgDown", self.next),
            ("Alt+Left", self.back),
            ("PgUp", self.back),
            ("Ctrl+S", self.journal),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        self.retranslate()
        crashlog.register_saver(self.journal)
        self.finished.connect(lambda _r: crashlog.unregister_saver(self.journal))
        if case_id is not None and page:
            QTimer.singleShot(0, lambda: self.restore_page(page))
        self._warmed = False
        self.warm_up_timer = QTimer(self)
        self.warm_up_timer.setSingleShot(True)
        self.warm_up_timer.setInterval(WARM_UP_IDLE_MS)
        self.warm_up_timer.timeout.connect(self.warm_up)
        if case_id is not None:
            self.warm_up_timer.start()  # a new case arms it once it exists (create_case)
        self.validate_now()

    def warm_up(self) -> None:
        """Load the tax rules and the fonts off the UI thread, so no keystroke waits for them.

        Called once the clerk pauses (:data:`WARM_UP_IDLE_MS` without an edit) after the case exists:
        the loading is CPU-bound (≈ 0.6 s, mostly the fonts) and, on a busy two-core machine, would
        slow the keystrokes it ran beside; and the jobs share the database executor, so creating the
        case never waits behind them. The rules alone also load after the first page change, and the
        tax page loads them itself if it is shown first.
        """
        if self._warmed:
            return
        self._warmed = True
        self.warm_up_timer.stop()
        warm_up_rules(self.session)
        glyphs.warm_up(self.session, self._fonts_ready)

    def _arm_warm_up(self) -> None:
        if not self._warmed and self.case_id is not None:
            self.warm_up_timer.start()

    def _fonts_ready(self) -> None:
        if self.isVisible() and self.business_type():
            self.validate_now()  # names typed before the fonts loaded get their warnings now

    def retranslate(self) -> None:
        """Window title and button texts (with the shortcuts in tooltips)."""
        number = self.data.get("case_number") or ""
        self.setWindowTitle(self.tr("新建案件") + (f" — {number}" if number else ""))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步(&N) >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步(&B)"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成(&F)"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("暂存并关闭"))
        tips = {
            QWizard.WizardButton.NextButton: self.tr("下一页：Alt+→ 或 PageDown；最后一个字段按回车也会翻页"),
            QWizard.WizardButton.BackButton: self.tr("上一页：Alt+← 或 PageUp"),
            QWizard.WizardButton.FinishButton: self.tr("保存版本并标记为待提交"),
            QWizard.WizardButton.CancelButton: self.tr(
                "草稿已自动保存 (Ctrl+S 立即保存)，关闭后可从案件列表继续"
            ),
        }
        for which, tip in tips.items():
            button = self.button(which)
            if button is not None:
                button.setToolTip(tip)

    # --------------------------------------------------------------------------- navigation
    def nextId(self) -> int:  # noqa: N802 - Qt override
        """Skip the transaction and mortgage pages when the business type has no such section."""
        current = self.currentId()
        if current < 0:
            return 0
        for page_id in range(current + 1, len(PAGE_ORDER)):
            name = PAGE_ORDER[page_id]
            if name in ("transaction", "mortgage") and not catalog_view.has_section(
                self.session.catalog, self.business_type(), name
            ):
                continue
            return page_id
        return -1

    def current_page_name(self) -> str:
        """The name of the page shown."""
        page = self.currentPage()
        return page.name if isinstance(page, CasePage) else ""

    def restore_page(self, name: str) -> None:
        """Move forward to the page a draft was on (initialising the pages on the way)."""
        self._restoring = True
        try:
            while self.current_page_name() != name and self.nextId() != -1:
                before = self.currentId()
                self.next()
                if self.currentId() == before:
                    break
        finally:
            self._restoring = False

    def go_to(self, name: str) -> None:
        """Show a page: back when it is behind the current one, forward otherwise."""
        target = PAGE_ORDER.index(name)
        for _ in range(len(PAGE_ORDER) * 2):
            current = self.currentId()
            if current == target:
                return
            if current > target:
                self.back()
            else:
                self.next()
            if self.currentId() == current:
                return

    def jump_to(self, path: str) -> None:
        """Show the page and focus the field an issue's path names."""
        parts = split_path(path)
        top = str(parts[0]) if parts else "business_type"
        name = next((p.name for p in self.pages.values() if p.owns_path(path)), "")
        if not name:
            name = "type" if top == "business_type" else "review"
        self.go_to(name)
        if name == "parties" and len(parts) > 1 and isinstance(parts[1], int):
            self.parties_page.select_party(parts[1])
        widget = self.binder.nearest_widget(path)
        if widget is not None and widget.isVisible():
            widget.setFocus()

    @property
    def parties_page(self) -> PartiesPage:
        """The parties page."""
        page = self.pages["parties"]
        assert isinstance(page, PartiesPage)
        return page

    def keyPressEvent(self, event: QKeyEvent | None) -> None:  # noqa: N802 - Qt override
        """Enter moves to the next field, and from the last field of a page to the next page."""
        if event is None or event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        focus = self.focusWidget()
        if isinstance(focus, QAbstractButton) and not isinstance(focus, QCheckBox):
            focus.click()
            return
        page = self.currentPage()
        if isinstance(page, ReviewPage) and focus is page.issues:
            if page.issues.currentItem() is not None:
                self.jump_to(str(page.issues.currentItem().data(Qt.ItemDataRole.UserRole)))  # type: ignore[union-attr]
            return
        if isinstance(page, CasePage) and isinstance(
            focus, (QLineEdit, QComboBox, QCheckBox, QSpinBox, QListWidget)
        ):
            fields = page.input_widgets()
            if focus in fields and fields.index(focus) < len(fields) - 1:
                fields[fields.index(focus) + 1].setFocus()
                return
        if isinstance(page, ReviewPage):
            finish = self.button(QWizard.WizardButton.FinishButton)
            if finish is not None:
                finish.setFocus()  # Enter again finishes
            return
        self.next()

    def _page_changed(self, page_id: int) -> None:
        page = self.page(page_id)
        if isinstance(page, CasePage):
            self.validate_now()
            field = page.first_field()
            if field is not None:
                field.setFocus()
        self._arm_warm_up()
        if self._restoring or self.case_id is None:
            return
        # Saved once the new page is laid out and shown (the next turn of the event loop), so the
        # worker's encryption and SQL do not compete with the page change.
        QTimer.singleShot(0, self._save_at_page_change)

    def _save_at_page_change(self) -> None:
        self.journal()
        self.keep_version(self.tr("翻页保存"))
        # The tax rules (≈ 0.1 s of parsing) load now, between keystrokes, well before the tax page:
        # loading them when that page shows would compete with the next page change.
        warm_up_rules(self.session)

    # --------------------------------------------------------------------------- data
    def business_type(self) -> str:
        """The chosen business type id."""
        return str(self.data.get("business_type") or "")

    def role_labels(self) -> dict[str, str]:
        """Party id → role label, recomputed after each edit."""
        if self._labels is None:
            self._labels = catalog_view.role_labels(self.session.catalog, self.data)
        return self._labels

    def _edited(self, path: str) -> None:
        self._dirty = True
        if self._first_keystroke is None:
            self._first_keystroke = datetime.now(UTC)
        self._labels = None
        self._arm_warm_up()
        if is_within(path, "parties"):
            self.parties_page.refresh_captions()
        if self.case_id is not None:
            self.journal_timer.start()
        self.schedule_validation()

    def schedule_validation(self) -> None:
        """Check again shortly (after the burst of keystrokes)."""
        self.validation_timer.start()

    def validate_now(self) -> ValidationReport:
        """Check the raw data and show every issue next to its field (or on its page)."""
        self.validation_timer.stop()
        if not self.business_type():
            self.report = ValidationReport()
            return self.report
        # validate_case does not change its input (tests/forms/test_validation.py), so no copy is needed.
        report = validate_case(self.data, self.session.catalog)
        rare = glyphs.glyph_issues(self.data)
        self.report = ValidationReport(issues=report.issues + rare, case=report.case) if rare else report
        unplaced = self.binder.show_issues(self.report.issues)
        for page in self.pages.values():
            if isinstance(page, ReviewPage):
                page.show_page_issues(self.report.issues)
            else:
                page.show_page_issues(unplaced)
        return self.report

    def issues_at(self, path: str) -> list[Issue]:
        """The issues of the last check at one path."""
        return [i for i in self.report.issues if i.path == path]

    # --------------------------------------------------------------------------- storage
    def create_case(self, business_type: str) -> None:
        """Create the case in the store, then move to the parties page."""

        def done(case: Case) -> None:
            self.case_id = case.id
            from workstation.operations.intake import mark_intake_started

            started = self._first_keystroke or case.created_at or datetime.now(UTC)
            mark_intake_started(session=self.session, case_id=case.id, at=started)
            fresh = case.model_dump(mode="json")
            fresh.update({k: v for k, v in self.data.items() if k != "business_type" and v not in (None, "")})
            self.data.clear()
            self.data.update(fresh)
            self.retranslate()
            self.case_created.emit(case)
            self.journal()
            self._arm_warm_up()
            if not self._creating:
                self.next()

        self._creating = True
        try:
            cases.start_case(
                session=self.session,
                business_type=business_type,
                on_done=done,
                on_error=lambda exc: show_error(self, exc),
                parent=self,
            )
        finally:
            self._creating = False

    def journal(self) -> None:
        """Journal the raw data now (the timer calls this within ``draft_journal_seconds``)."""
        self.journal_timer.stop()
        if self.case_id is None:
            return
        case_id = self.case_id
        # The first journal after an edit also moves a ``ready`` case back to ``draft`` (recorded).
        reopen = self._dirty and not self._reopen_checked
        self._reopen_checked = self._reopen_checked or reopen
        self._dirty = False

        def done(changed: cases.CaseChanged) -> None:
            self.draft_saved.emit(case_id)
            if changed.state is not None:
                self.case_reopened.emit(changed)

        cases.journal_draft(
            session=self.session,
            case_id=case_id,
            data=self.data,
            page=self.current_page_name() or "type",
            reopen_ready=reopen,
            on_done=done,
            on_error=lambda exc: show_error(self, exc),
        )

    def keep_version(self, reason: str) -> None:
        """Keep a version when the data parses as a case (otherwise the draft suffices).

        The data is parsed on the worker; ``version_saved`` is emitted only when a version was kept.
        """
        if self.case_id is None:
            return

        def done(changed: cases.CaseChanged) -> None:
            if changed.version is not None:
                self.version_saved.emit(changed)

        cases.keep_version_of(
            session=self.session,
            case_id=self.case_id,
            data=self.data,
            reason=reason,
            on_done=done,
            on_error=lambda exc: show_error(self, exc),
        )

    # --------------------------------------------------------------------------- finishing
    def accept(self) -> None:
        """Finish: save a version and move to ``ready`` when valid; else list the errors and jump."""
        report = self.validate_now()
        if report.case is None or not report.ok:
            self.go_to("review")
            if report.errors:
                self.jump_to(report.errors[0].path)
            return
        if self._finishing:
            return
        self._finishing = True
        self.journal()

        def done(changed: cases.CaseChanged) -> None:
            self._finishing = False
            self.case_finished.emit(changed)
            super(CaseWizard, self).accept()

        def failed(exc: BaseException) -> None:
            self._finishing = False
            show_error(self, exc)

        cases.finish_case(session=self.session, case=report.case, on_done=done, on_error=failed, parent=self)

    def reject(self) -> None:
        """Close, journalling first: nothing typed is lost."""
        self.journal()
        super().reject()
