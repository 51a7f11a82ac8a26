"""Look-ups from the wizard (F6): the contract from 交易, the unit's status from 登记 (issue #5).

The transaction page looks the contract up, the property page the unit's status. Thin widgets over
``workstation.operations.sync`` (off the UI thread) and ``workstation.lookups`` (what goes where).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sync.lookups import ContractRecord, PropertyStatus, describe_age
from workstation import lookups
from workstation.operations import sync as sync_ops
from workstation.qt import (
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.ui.errors import show_error
from workstation.ui.wizard import catalog_view

if TYPE_CHECKING:
    from workstation.ui.wizard.wizard import CaseWizard

LOOKUP_KEY = "F6"
"""The look-up key on the property and transaction pages."""

_ROLE_NAMES = {"right_holder": "买方/受让方", "obligor": "卖方/转让方"}


def _not_connected(wizard: CaseWizard) -> bool:
    if wizard.session.sync is not None:
        return False
    QMessageBox.information(
        wizard,
        wizard.tr("无法查询"),
        wizard.tr("本窗口未连接部门系统（离线受理）：请按纸质材料录入，案件发送前会自动复核。"),
    )
    return True


class LookupRow(QWidget):
    """A bound line edit with a 查询 (F6) button beside it and a line for the answer below."""

    def __init__(self, field: QWidget, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QPushButton(button_text)
        self.button.setAutoDefault(False)
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(field, 1)
        top.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.answer)

    def show_answer(self, text: str, *, alarming: bool = False) -> None:
        """Show the department's answer under the field (red when it needs attention)."""
        self.answer.setText(text)
        self.answer.setStyleSheet("color: #b00020; font-weight: bold;" if alarming else "color: #1b5e20;")
        self.answer.show()


class _Lookup(QWidget):
    """A look-up bound to one field of a page: its button and F6 (on that page) run it."""

    def __init__(
        self, wizard: CaseWizard, page: QWidget, row: LookupRow, field: QLineEdit, button_name: str
    ) -> None:
        super().__init__(page)
        self.wizard = wizard
        self.row = row
        self.field = field
        row.button.setObjectName(button_name)
        row.button.clicked.connect(self.run)
        shortcut = QShortcut(QKeySequence(LOOKUP_KEY), page)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.run)

    def run(self) -> None:
        """Ask the department about the typed number."""
        raise NotImplementedError

    def _typed(self, missing: str) -> str | None:
        """The typed number; ``None`` when the window is offline, or when nothing is typed.

        With nothing typed, ``missing`` is shown under the field and the field gets the focus.
        """
        number = self.field.text().strip()
        if not number:
            self.row.show_answer(missing, alarming=True)
            self.field.setFocus()
            return None
        if _not_connected(self.wizard):
            return None
        return number


class ContractLookup(_Lookup):
    """The contract look-up of the transaction page.

    Signals:
        applied(object): the :class:`workstation.lookups.ContractFill` written into the case.
    """

    applied = pyqtSignal(object)

    def __init__(self, wizard: CaseWizard, page: QWidget, row: LookupRow, field: QLineEdit) -> None:
        super().__init__(wizard, page, row, field, "lookupContract")
        self.dialog: QMessageBox | None = None
        self.record: ContractRecord | None = None

    def run(self) -> None:
        """Ask 交易 for the contract under the typed filing number."""
        number = self._typed(self.wizard.tr("请先输入合同网签备案编号，再按 F6 查询。"))
        if number is None:
            return
        sync_ops.lookup_contract(
            session=self.wizard.session,
            filing_no=number,
            on_done=self.offer,
            on_error=self._failed,
            parent=self.wizard,
        )

    def _failed(self, exc: BaseException) -> None:
        self.row.show_answer(str(exc), alarming=True)
        show_error(self.wizard, exc)

    def offer(self, record: ContractRecord) -> QMessageBox:
        """Show the contract and offer to fill the case from it (asking before overwriting typed values)."""
        self.record = record
        fill = lookups.contract_fill(record, self.wizard.data)
        age = describe_age(record.as_of, datetime.now(UTC))
        self.row.show_answer(self.wizard.tr("交易系统有此合同，数据时间：") + age)
        lines = [
            f"合同网签备案编号：{record.filing_no}",
            f"成交价格：{record.price} 元" + (f"　签约日期：{record.signed_on}" if record.signed_on else ""),
            f"坐落：{record.property.location or '—'}",
            f"不动产单元号：{record.property.unit_number or '—'}",
        ]
        if record.property.area is not None:
            lines.append(f"面积：{record.property.area} ㎡")
        for party in record.parties:
            lines.append(f"{_ROLE_NAMES.get(party.role, party.role)}：{party.name}")
        lines.append(f"数据时间：{age}")
        box = QMessageBox(self.wizard)
        box.setObjectName("contractLookup")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.wizard.tr("交易系统中的合同"))
        box.setText(self.wizard.tr("是否用该合同预填本案件？未录入的项目都会填写。"))
        details = "\n".join(lines)
        if fill.conflicts:
            details += "\n\n" + self.wizard.tr("以下已录入的内容与合同不同：") + "\n"
            details += "\n".join(
                f"{c.title}：已录入“{c.typed}”，合同为“{c.looked_up}”" for c in fill.conflicts
            )
            overwrite = box.addButton(self.wizard.tr("以合同为准覆盖(&R)"), QMessageBox.ButtonRole.AcceptRole)
            keep = box.addButton(self.wizard.tr("只填空白项(&K)"), QMessageBox.ButtonRole.AcceptRole)
            assert overwrite is not None and keep is not None
            overwrite.setObjectName("contractOverwrite")
            keep.setObjectName("contractKeep")
            overwrite.clicked.connect(lambda: self.apply(overwrite=True))
            keep.clicked.connect(lambda: self.apply(overwrite=False))
            box.setDefaultButton(keep)
        else:
            fill_button = box.addButton(self.wizard.tr("预填(&F)"), QMessageBox.ButtonRole.AcceptRole)
            assert fill_button is not None
            fill_button.setObjectName("contractFill")
            fill_button.clicked.connect(lambda: self.apply(overwrite=False))
            box.setDefaultButton(fill_button)
        cancel = box.addButton(self.wizard.tr("不预填"), QMessageBox.ButtonRole.RejectRole)
        assert cancel is not None
        cancel.setObjectName("contractCancel")
        box.setInformativeText(details)
        self.dialog = box
        box.open()
        return box

    def apply(self, *, overwrite: bool) -> lookups.ContractFill | None:
        """Write the contract into the case: empty fields always, typed ones only with ``overwrite``."""
        if self.record is None:
            return None
        wizard = self.wizard
        fill = lookups.contract_fill(self.record, wizard.data)  # the data may have changed meanwhile
        conflicting = {c.path for c in fill.conflicts}
        binder = wizard.binder
        for path, value in fill.values.items():
            if overwrite or path not in conflicting:
                binder.set_value(path, value)
        parties_page = wizard.parties_page
        choices = catalog_view.role_choices(wizard.session.catalog, wizard.business_type())
        for party in fill.parties:
            index = party.index
            if index is None:
                choice = next(
                    (c for c in choices if c.party_role is party.role and c.kind in (None, party.kind)), None
                )
                if choice is None:
                    continue  # the business type has no such role
                index = parties_page.add_party(choice)
            for key, value in party.values.items():
                path = f"parties[{index}].{key}"
                if overwrite or path not in conflicting:
                    binder.set_value(path, value)
        parties_page.refresh_captions()
        self.applied.emit(fill)
        return fill


class StatusLookup(_Lookup):
    """The property-status look-up of the property page; the answer is kept in the case's history.

    Signals:
        answered(object): the :class:`sync.lookups.PropertyStatus` shown.
    """

    answered = pyqtSignal(object)

    def __init__(self, wizard: CaseWizard, page: QWidget, row: LookupRow, field: QLineEdit) -> None:
        super().__init__(wizard, page, row, field, "lookupStatus")
        self.warning: QMessageBox | None = None

    def run(self) -> None:
        """Ask 登记 about the typed unit number."""
        number = self._typed(self.wizard.tr("请先输入不动产单元号，再按 F6 查询。"))
        if number is None:
            return
        sync_ops.property_status(
            session=self.wizard.session,
            unit_no=number,
            case_id=self.wizard.case_id,
            on_done=self.show_status,
            on_error=self._failed,
            parent=self.wizard,
        )

    def _failed(self, exc: BaseException) -> None:
        self.row.show_answer(str(exc), alarming=True)

    def show_status(self, status: PropertyStatus) -> None:
        """Show the flags and the answer's age; a seizure or objection also in a dialog."""
        warning = lookups.status_warning(status)
        self.row.show_answer(lookups.status_text(status, datetime.now(UTC)), alarming=bool(warning))
        self.answered.emit(status)
        if warning:
            box = QMessageBox(
                QMessageBox.Icon.Warning, self.wizard.tr("房屋状态"), warning, parent=self.wizard
            )
            box.setObjectName("statusWarning")
            self.warning = box
            box.open()
