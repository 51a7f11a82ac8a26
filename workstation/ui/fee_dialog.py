"""收费登记: record the fee collected at the window for an accepted case (F9 on the case list, issue 8).

The dialog shows the fee items due (the tax estimator's registration-fee lines: 不动产登记费, and
证书工本费 for extra certificates), the payment method, the trace number of a card, QR or bank
payment, and the fee bill number. 免收 asks for a reason and the approving supervisor's user name and
password, typed at that moment. The case's earlier fee records are listed; a supervisor may void a
mistaken one with a reason. The operations check the role again (:mod:`workstation.operations.fees`).
"""

from __future__ import annotations

import uuid

from forms import states
from workstation.fees import (
    FEE_STATES,
    METHOD_LABELS,
    TRACED_METHODS,
    FeeEntry,
    FeeItemCode,
    FeeMethod,
    FeePayment,
    items_text,
    yuan_text,
)
from workstation.operations import fees as ops
from workstation.permissions import Action, allowed
from workstation.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.session import Session
from workstation.storage.errors import StorageError
from workstation.ui.errors import show_error


class FeeDialog(QDialog):
    """Record a payment for one case.

    Signals:
        recorded(object): a :class:`~workstation.fees.FeePayment` was stored.
        voided(object): a payment was voided (the voided :class:`~workstation.fees.FeePayment`).
        loaded(object): the case's :class:`~workstation.operations.fees.FeeContext` was read.
    """

    recorded = pyqtSignal(object)
    voided = pyqtSignal(object)
    loaded = pyqtSignal(object)

    def __init__(self, session: Session, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.context: ops.FeeContext | None = None
        self.setObjectName("feeDialog")
        self.setWindowTitle(self.tr("收费登记"))
        self.resize(640, 560)

        self.heading = QLabel()
        self.heading.setObjectName("feeHeading")
        self.heading.setWordWrap(True)
        self.items_box = QGroupBox(self.tr("收费项目"))
        self.items_layout = QVBoxLayout(self.items_box)
        self.item_checks: dict[FeeItemCode, QCheckBox] = {}
        self.total = QLabel()
        self.total.setObjectName("feeTotal")

        self.method = QComboBox()
        self.method.setObjectName("feeMethod")
        for method, label in METHOD_LABELS.items():
            self.method.addItem(label, method.value)
        self.method.currentIndexChanged.connect(lambda _i: self._method_changed())
        self.reference = QLineEdit()
        self.reference.setObjectName("feeReference")
        self.reference.setMaxLength(60)
        self.reference.setPlaceholderText(self.tr("POS 小票或收款码上的交易流水号"))
        self.bill_no = QLineEdit()
        self.bill_no.setObjectName("feeBillNo")
        self.bill_no.setMaxLength(40)
        self.bill_no.setPlaceholderText(self.tr("开具给申请人的收费票据号码"))
        form = QFormLayout()
        form.addRow(self.tr("支付方式(&M)："), self.method)
        form.addRow(self.tr("交易流水号(&T)："), self.reference)
        form.addRow(self.tr("票据号码(&B)："), self.bill_no)

        self.waiver = QGroupBox(self.tr("免收审批（须科长本人当场输入密码）"))
        self.waiver.setObjectName("feeWaiver")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("feeWaiverReason")
        self.reason.setPlaceholderText(self.tr("免收理由：如小微企业、保障性住房，写明依据"))
        self.reason.setMaximumHeight(60)
        self.approver = QLineEdit()
        self.approver.setObjectName("feeApprover")
        self.approver_password = QLineEdit()
        self.approver_password.setObjectName("feeApproverPassword")
        self.approver_password.setEchoMode(QLineEdit.EchoMode.Password)
        waiver_form = QFormLayout(self.waiver)
        waiver_form.addRow(self.tr("免收理由："), self.reason)
        waiver_form.addRow(self.tr("审批人用户名："), self.approver)
        waiver_form.addRow(self.tr("审批人密码："), self.approver_password)

        self.payments = QTableWidget(0, 6)
        self.payments.setObjectName("feePayments")
        self.payments.setHorizontalHeaderLabels(
            [
                self.tr("时间"),
                self.tr("项目"),
                self.tr("方式"),
                self.tr("金额"),
                self.tr("票据号"),
                self.tr("状态"),
            ]
        )
        self.payments.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.payments.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.payments.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.payments.horizontalHeader()
        if header is not None:
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
        self.void_button = QPushButton(self.tr("作废所选记录(&V)…"))
        self.void_button.setObjectName("feeVoid")
        self.void_button.clicked.connect(lambda _c=False: self.void_selected())
        self.void_button.setVisible(allowed(session.user, Action.VOID_FEE))

        self.message = QLabel()
        self.message.setObjectName("feeMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(self.tr("登记收费"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.items_box)
        layout.addWidget(self.total)
        layout.addLayout(form)
        layout.addWidget(self.waiver)
        layout.addWidget(QLabel(self.tr("本案件的收费记录：")))
        layout.addWidget(self.payments, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.void_button)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._method_changed()
        self._set_enabled(False)
        self.reload()

    # --------------------------------------------------------------------------- loading
    def reload(self) -> None:
        """Read the case, its fee items and its records again."""
        ops.load_fee_context(
            session=self.session, case_id=self.case_id, on_done=self._loaded, on_error=self._failed
        )

    def _loaded(self, context: ops.FeeContext) -> None:
        self.context = context
        state = states.label(context.state)
        self.heading.setText(
            self.tr("受理编号：%1　业务类型：%2　状态：%3")
            .replace("%1", context.case_number)
            .replace("%2", context.business_type)
            .replace("%3", state)
        )
        while self.items_layout.count():
            child = self.items_layout.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.item_checks.clear()
        for item in context.items:
            check = QCheckBox(f"{item.label}　{yuan_text(item.amount_fen)} 元")
            check.setObjectName(f"feeItem_{item.code.value}")
            check.setToolTip(f"{item.explanation}（{item.source}）")
            check.setChecked(item.amount_fen > 0)
            check.setEnabled(item.amount_fen > 0)
            check.toggled.connect(lambda _on: self._update_total())
            self.items_layout.addWidget(check)
            self.item_checks[item.code] = check
        if not context.items:
            self.items_layout.addWidget(QLabel(self.tr("本业务不收取登记费（按收费规则）。")))
        self._show_payments(context.payments)
        self._update_total()
        accepted = context.state in {s.value for s in FEE_STATES}
        due = any(i.amount_fen > 0 for i in context.items)
        self._set_enabled(accepted and due)
        if not accepted:
            self._say(
                self.tr("案件目前为“%1”，尚未受理，不能收费；请先提交受理后再登记收费。").replace(
                    "%1", state
                ),
                error=True,
            )
        elif not due:
            self._say(self.tr("本案件按收费规则无应收费用，无需收费登记。"))
        self.loaded.emit(context)

    def _show_payments(self, payments: tuple[FeePayment, ...]) -> None:
        self.payments.setRowCount(len(payments))
        for row, p in enumerate(payments):
            status = self.tr("有效") if p.valid else self.tr("已作废（%1）").replace("%1", p.voided_by_name)
            cells = (
                p.at.astimezone().strftime("%m-%d %H:%M"),
                items_text(p.items),
                METHOD_LABELS[p.method],
                yuan_text(p.amount_fen),
                p.bill_no or "—",
                status,
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, p.id)
                self.payments.setItem(row, column, cell)

    # --------------------------------------------------------------------------- input
    def chosen_method(self) -> FeeMethod:
        """The method chosen."""
        return FeeMethod(str(self.method.currentData()))

    def chosen_items(self) -> tuple[FeeItemCode, ...]:
        """The items ticked."""
        return tuple(code for code, check in self.item_checks.items() if check.isChecked())

    def amount_fen(self) -> int:
        """The total of the ticked items."""
        if self.context is None:
            return 0
        chosen = set(self.chosen_items())
        return sum(i.amount_fen for i in self.context.items if i.code in chosen)

    def _update_total(self) -> None:
        waived = self.chosen_method() is FeeMethod.WAIVED
        label = self.tr("免收金额：") if waived else self.tr("应收合计：")
        self.total.setText(f"{label}{yuan_text(self.amount_fen())} 元")

    def _method_changed(self) -> None:
        method = self.chosen_method()
        self.reference.setEnabled(method in TRACED_METHODS)
        self.bill_no.setEnabled(method is not FeeMethod.WAIVED)
        self.waiver.setVisible(method is FeeMethod.WAIVED)
        self._update_total()

    def _set_enabled(self, enabled: bool) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(enabled)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, StorageError):
            self._say(str(exc), error=True)
        else:
            show_error(self, exc)

    # --------------------------------------------------------------------------- actions
    def submit(self) -> None:
        """Record the payment (the approver's password is checked now for 免收, then cleared)."""
        method = self.chosen_method()
        password = self.approver_password.text()
        self.approver_password.clear()  # never kept in the widget
        entry = FeeEntry(
            case_id=self.case_id,
            items=self.chosen_items(),
            amount_fen=self.amount_fen(),
            method=method,
            reference=self.reference.text() if method in TRACED_METHODS else "",
            bill_no=self.bill_no.text() if method is not FeeMethod.WAIVED else "",
            waiver_reason=self.reason.toPlainText() if method is FeeMethod.WAIVED else "",
        )

        def done(payment: FeePayment) -> None:
            self.recorded.emit(payment)
            self.accept()

        ops.collect_fee(
            session=self.session,
            entry=entry,
            approver_username=self.approver.text().strip() if method is FeeMethod.WAIVED else "",
            approver_password=password if method is FeeMethod.WAIVED else "",
            on_done=done,
            on_error=self._failed,
            parent=self,
        )

    def selected_payment(self) -> int | None:
        """The id of the record selected in the list."""
        row = self.payments.currentRow()
        cell = self.payments.item(row, 0) if row >= 0 else None
        return int(cell.data(Qt.ItemDataRole.UserRole)) if cell is not None else None

    def void_selected(self, reason: str | None = None) -> None:
        """Void the selected record with a reason (asked when not given)."""
        payment_id = self.selected_payment()
        if payment_id is None:
            self._say(self.tr("请先在收费记录中选择要作废的一笔。"), error=True)
            return
        if reason is None:
            reason, ok = QInputDialog.getText(self, self.tr("作废收费记录"), self.tr("作废原因："))
            if not ok:
                return

        def done(payment: FeePayment) -> None:
            self.voided.emit(payment)
            self._say(self.tr("已作废收费记录（%1 元）。").replace("%1", yuan_text(payment.amount_fen)))
            self.reload()

        ops.void_fee(
            session=self.session,
            payment_id=payment_id,
            reason=reason,
            on_done=done,
            on_error=self._failed,
            parent=self,
        )


__all__ = ["FeeDialog"]
