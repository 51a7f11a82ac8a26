"""The wizard's pages. Each page lays out bound fields; the wizard owns the data and the checks."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from forms.case import (
    CertificateFormat,
    CoOwnership,
    ExistingMortgage,
    HousingClass,
    IdType,
    MaritalStatus,
    MortgageKind,
    PartyKind,
    PartyRole,
    PaymentMethod,
    PropertyType,
    PropertyUse,
    Relation,
    Sex,
)
from forms.errors import Issue
from forms.messages import label
from workstation.qt import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QShortcut,
    QSpinBox,
    QStackedWidget,
    Qt,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)
from workstation.ui.wizard import catalog_view, destinations
from workstation.ui.wizard.binder import enum_combo
from workstation.ui.wizard.paths import get_path, is_within

if TYPE_CHECKING:
    from scanning.idcard.record import IdCardRecord
    from scanning.passport.record import PassportRecord
    from workstation.devices import DeviceHub
    from workstation.identity_service import DocumentPhoto
    from workstation.qt import QMessageBox
    from workstation.ui.face_panel import FaceCheckPanel
    from workstation.ui.wizard.wizard import CaseWizard

INPUT_TYPES = (QLineEdit, QComboBox, QCheckBox, QSpinBox, QListWidget)


def _enum_items(enum: Any) -> list[tuple[str, str]]:
    return [(label(member), member.value) for member in enum]


class CasePage(QWizardPage):
    """A page of the case wizard.

    Attributes:
        name: the page's stable name, stored with a draft (``Draft.page``).
        sections: the top-level case sections whose issues this page shows.
    """

    name = ""
    sections: tuple[str, ...] = ()

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__()
        self.case_wizard = wizard
        self.setObjectName("page:" + self.name)
        self.page_issues = QLabel()
        self.page_issues.setObjectName("pageIssues")
        self.page_issues.setWordWrap(True)
        self.page_issues.setStyleSheet("color: #c62828;")
        self.page_issues.hide()

    @property
    def data(self) -> dict[str, Any]:
        """The wizard's raw data."""
        return self.case_wizard.data

    def bind(self, widget: QWidget, path: str, *, nullable: bool = True, inline: bool = True) -> QWidget:
        """Bind a widget through the wizard's binder."""
        return self.case_wizard.binder.bind(widget, path, nullable=nullable, inline=inline)

    def input_root(self) -> QWidget | None:
        """The widget whose input fields Enter walks (the page; a page may narrow it)."""
        return self

    def _inputs(self) -> Iterator[QWidget]:
        """The input fields under :meth:`input_root`, in tab (focus-chain) order.

        The focus chain runs through the whole wizard; the walk stops once every input field under
        the root has been passed, so finding the first field of a page does not visit every page.
        """
        root = self.input_root()
        if root is None:
            return
        pending = {w for w in root.findChildren(QWidget) if isinstance(w, INPUT_TYPES)}
        widget = self.nextInFocusChain()
        for _ in range(5000):
            if widget is None or widget is self or not pending:
                break
            if widget in pending:
                pending.discard(widget)
                if (
                    widget.isVisible()
                    and widget.isEnabled()
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                    and not isinstance(widget.parentWidget(), QAbstractSpinBox)
                    and not (isinstance(widget, QLineEdit) and widget.isReadOnly())
                ):
                    yield widget
            widget = widget.nextInFocusChain()

    def input_widgets(self) -> list[QWidget]:
        """The page's input widgets in tab order (Enter moves along this list)."""
        return list(self._inputs())

    def owns_path(self, path: str) -> bool:
        """Whether an issue at ``path`` belongs on this page."""
        return any(is_within(path, section) for section in self.sections)

    def show_page_issues(self, issues: list[Issue]) -> None:
        """Show the issues of this page that no field took (e.g. a missing role)."""
        mine = [i for i in issues if self.owns_path(i.path)]
        self.page_issues.setText("\n".join(f"• {i.message}" for i in mine))
        self.page_issues.setVisible(bool(mine))

    def first_field(self) -> QWidget | None:
        """The field that takes the focus when the page is shown."""
        return next(self._inputs(), None)


class FormPage(CasePage):
    """A page of labelled fields in one form, laid out for the case's business type on first visit.

    Subclasses set their title and implement :meth:`build_form`. When the business type changes, the
    form is emptied and its bindings dropped before it is built again, so no field is bound twice.
    """

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__(wizard)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.page_issues)
        layout.addStretch(1)
        self._built_for: str | None = None

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Build the form for the case's business type; later visits keep it."""
        business_type = self.case_wizard.business_type()
        if self._built_for == business_type:
            return
        if self._built_for is not None:
            while self.form.rowCount():
                self.form.removeRow(0)
            for section in self.sections:
                self.case_wizard.binder.unbind_under(section)
        self._built_for = business_type
        self.build_form(business_type)

    def build_form(self, business_type: str) -> None:
        """Add this page's rows to :attr:`form`, binding each field."""
        raise NotImplementedError


# ------------------------------------------------------------------------------- business type
class TypePage(CasePage):
    """Choose the business type; the case is created (number assigned) when leaving this page."""

    name = "type"
    sections = ("business_type",)

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("业务类型"))
        self.setSubTitle(self.tr("选择本次申请的登记业务（方向键选择，回车下一步）。"))
        self.types = QListWidget()
        self.types.setObjectName("businessTypes")
        for bt in wizard.session.catalog.types:
            item = QListWidgetItem(catalog_view.type_title(bt))
            item.setData(Qt.ItemDataRole.UserRole, bt.id)
            self.types.addItem(item)
        self.types.currentItemChanged.connect(self._chosen)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.types)
        layout.addWidget(self.note)
        layout.addWidget(self.page_issues)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Select the type already chosen; a created case keeps its type."""
        current = self.data.get("business_type") or ""
        for row in range(self.types.count()):
            item = self.types.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == current:
                self.types.setCurrentRow(row)
        if self.types.currentRow() < 0 and self.types.count():
            self.types.setCurrentRow(0)
        created = self.case_wizard.case_id is not None
        self.types.setEnabled(not created)
        self.note.setText(
            self.tr("案件已创建，业务类型不能再更改；如选错，请作废本案件后重新受理。") if created else ""
        )

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None or self.case_wizard.case_id is not None:
            return
        self.data["business_type"] = str(item.data(Qt.ItemDataRole.UserRole))
        self.case_wizard.binder.edited.emit("business_type")
        self.completeChanged.emit()

    def selected_type(self) -> str:
        """The chosen business type id ("" when none)."""
        item = self.types.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        """A type must be chosen."""
        return bool(self.selected_type())

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        """Create the case first (asynchronously); the wizard moves on when it exists."""
        if self.case_wizard.case_id is not None:
            return True
        self.case_wizard.create_case(self.selected_type())
        # An inline executor has created it already; a threaded one moves on when it is done.
        return self.case_wizard.case_id is not None


# ------------------------------------------------------------------------------- parties
class PartyEditor(QWidget):
    """The fields of one party (``parties[index]``)."""

    def __init__(self, page: PartiesPage, index: int) -> None:
        super().__init__()
        self.page = page
        self.index = index
        prefix = f"parties[{index}]"
        self.prefix = prefix
        party = page.data["parties"][index]
        role = party.get("role")
        representative = role in (PartyRole.AGENT.value, PartyRole.GUARDIAN.value)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        tr = self.tr
        self.title = title = QLabel(catalog_view.party_caption(page.case_wizard.role_labels(), party))
        title.setStyleSheet("font-weight: bold;")
        form.addRow(title)

        self.kind = enum_combo(_enum_items(PartyKind))
        form.addRow(tr("主体类型"), page.bind(self.kind, f"{prefix}.kind", nullable=False))
        self.id_type = enum_combo(_enum_items(IdType))
        form.addRow(tr("证件种类"), page.bind(self.id_type, f"{prefix}.id_type", nullable=False))
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(tr("18 位身份证号，末位可为 X"))
        form.addRow(tr("证件号码"), page.bind(self.id_number, f"{prefix}.id_number", nullable=False))
        self.name = QLineEdit()
        form.addRow(tr("姓名/名称"), page.bind(self.name, f"{prefix}.name", nullable=False))
        # Sex and birth date: derived from a resident ID number, editable for documents without them.
        self.sex = enum_combo(_enum_items(Sex), empty="")
        self.sex.setToolTip(tr("按证件填写；居民身份证号码可识别时自动填入"))
        self.sex.setProperty("baseToolTip", self.sex.toolTip())
        self.sex_row = page.bind(self.sex, f"{prefix}.sex")
        form.addRow(tr("性别"), self.sex_row)
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(tr("如 1990-05-12；居民身份证号码可识别时自动填入"))
        self.birth_row = page.bind(self.birth_date, f"{prefix}.birth_date")
        form.addRow(tr("出生日期"), self.birth_row)
        self._derived: dict[str, Any] = {}
        self.id_number.textEdited.connect(self._derive_from_id)
        self.id_type.currentIndexChanged.connect(self._derive_from_id)
        self.phone = QLineEdit()
        form.addRow(tr("联系电话"), page.bind(self.phone, f"{prefix}.phone"))
        self.address = QLineEdit()
        form.addRow(tr("通讯地址"), page.bind(self.address, f"{prefix}.address"))
        self.legal_rep = QLineEdit()
        self.legal_rep_row = page.bind(self.legal_rep, f"{prefix}.legal_representative")
        form.addRow(tr("法定代表人/负责人"), self.legal_rep_row)
        if representative:
            self.agency = QLineEdit()
            if role == PartyRole.AGENT.value:
                form.addRow(tr("代理机构名称"), page.bind(self.agency, f"{prefix}.agency_name"))
            self.represents = QListWidget()
            self.represents.setObjectName(f"{prefix}.represents")
            self.represents.setMaximumHeight(110)
            self.represents.setToolTip(tr("空格键勾选被代理/被监护的当事人（从已录入的当事人中选择）"))
            self.represents.itemChanged.connect(self._represents_changed)
            form.addRow(tr("代理/监护的当事人"), self.represents)
            self.fill_represents()
        else:
            if role == PartyRole.RIGHT_HOLDER.value:
                self.co_ownership = enum_combo(_enum_items(CoOwnership), empty="")
                form.addRow(tr("共有方式"), page.bind(self.co_ownership, f"{prefix}.co_ownership"))
                self.share = QLineEdit()
                self.share.setPlaceholderText(tr("按份共有时填写，如 50"))
                form.addRow(tr("共有份额(%)"), page.bind(self.share, f"{prefix}.share"))
            self.marital = enum_combo(_enum_items(MaritalStatus), empty="")
            form.addRow(tr("婚姻状况"), page.bind(self.marital, f"{prefix}.marital_status"))
            self.spouse = QComboBox()
            self.spouse.setToolTip(tr("从已录入的当事人中选择配偶（已婚时填写）"))
            self.spouse.setProperty("baseToolTip", self.spouse.toolTip())
            self.fill_spouses()
            self.spouse_row = page.bind(self.spouse, f"{prefix}.spouse_party_id")
            form.addRow(tr("配偶"), self.spouse_row)
            self.marital.currentIndexChanged.connect(self._marital_changed)
            self.homes = QLineEdit()
            self.homes.setPlaceholderText(tr("家庭（本人、配偶、未成年子女）已有住房套数"))
            form.addRow(tr("家庭住房套数"), page.bind(self.homes, f"{prefix}.family_homes_owned"))
            self.relation = enum_combo(_enum_items(Relation), empty="")
            form.addRow(
                tr("与对方当事人关系"), page.bind(self.relation, f"{prefix}.relation_to_counterparty")
            )
        self.present = QCheckBox(tr("本人到场"))
        form.addRow("", page.bind(self.present, f"{prefix}.present", nullable=False))
        # Identity (issue #7): the face check of this party, and the last result.
        self.face_button = QPushButton(tr("人证核验(&V)…"))
        self.face_button.setObjectName(f"{prefix}.faceCheck")
        self.face_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.face_button.setToolTip(tr("核对到场申请人与证件照片是否为同一人") + " (Ctrl+Shift+F)")
        self.face_button.clicked.connect(lambda _checked=False: page.open_face_check(self.index))
        self.face_status = QLabel()
        self.face_status.setObjectName(f"{prefix}.faceStatus")
        face_row = QHBoxLayout()
        face_row.addWidget(self.face_button)
        face_row.addWidget(self.face_status, 1)
        form.addRow("", face_row)
        self.form = form
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        if hasattr(self, "spouse"):
            self._show_spouse()

    def _kind_changed(self) -> None:
        natural = self.kind.currentData() != PartyKind.ORGANISATION.value
        self.legal_rep_row.setEnabled(not natural)
        self.form.setRowVisible(self.sex_row, natural)
        self.form.setRowVisible(self.birth_row, natural)
        if not natural:  # an organisation has neither: no hidden value stays behind
            for key in ("sex", "birth_date"):
                self.page.case_wizard.binder.set_value(f"{self.prefix}.{key}", None)

    def _derive_from_id(self) -> None:
        """Fill sex and birth date from the ID number once it parses, unless the clerk typed others.

        A value is overwritten only while it is empty or still the one derived before, so a value the
        clerk entered for a document that does not carry it is kept (validation flags a disagreement).
        """
        party = self.page.data["parties"][self.index]
        if party.get("kind") == PartyKind.ORGANISATION.value:
            return
        info = catalog_view.id_facts(party.get("id_type"), party.get("id_number"))
        if info is None:
            return
        derived = {"sex": info.sex.value if info.sex else None}
        derived["birth_date"] = info.birth_date.isoformat() if info.birth_date else None
        for key, value in derived.items():
            current = party.get(key)
            if value is not None and (current in (None, "") or current == self._derived.get(key)):
                self.page.case_wizard.binder.set_value(f"{self.prefix}.{key}", value)
                self._derived[key] = value

    def fill_spouses(self) -> None:
        """List the other natural persons entered (not agents or guardians) as possible spouses."""
        if not hasattr(self, "spouse"):
            return
        parties = self.page.data["parties"]
        me = parties[self.index]
        labels = self.page.case_wizard.role_labels()
        items = [("", None)] + [
            (catalog_view.party_caption(labels, other), other["id"])
            for other in parties
            if other.get("id") != me.get("id")
            and other.get("role") not in catalog_view.REPRESENTATIVE_ROLES
            and other.get("kind") != PartyKind.ORGANISATION.value
        ]
        current = [(self.spouse.itemText(i), self.spouse.itemData(i)) for i in range(self.spouse.count())]
        if items == current:
            return
        blocked = self.spouse.blockSignals(True)
        self.spouse.clear()
        for text, value in items:
            self.spouse.addItem(text, value)
        chosen = me.get("spouse_party_id")
        index = self.spouse.findData(chosen) if chosen else 0
        if index < 0:  # a spouse that is no longer a party: keep the id visible until changed
            self.spouse.addItem(self.tr("（已删除的当事人）"), chosen)
            index = self.spouse.count() - 1
        self.spouse.setCurrentIndex(index)
        self.spouse.blockSignals(blocked)

    def _show_spouse(self) -> None:
        self.form.setRowVisible(self.spouse_row, self.marital.currentData() == MaritalStatus.MARRIED.value)

    def _marital_changed(self) -> None:
        """Show the spouse only for a married party; a spouse link of another status is cleared."""
        self._show_spouse()
        if self.marital.currentData() != MaritalStatus.MARRIED.value:
            self.page.case_wizard.binder.set_value(f"{self.prefix}.spouse_party_id", None)

    def fill_represents(self) -> None:
        """List the other non-representative parties, checked when this party acts for them."""
        if not hasattr(self, "represents"):
            return
        chosen = set(get_path(self.page.data, f"{self.prefix}.represents") or [])
        blocked = self.represents.blockSignals(True)
        self.represents.clear()
        for other in self.page.data["parties"]:
            if other.get("role") in (PartyRole.AGENT.value, PartyRole.GUARDIAN.value):
                continue
            item = QListWidgetItem(catalog_view.party_caption(self.page.case_wizard.role_labels(), other))
            item.setData(Qt.ItemDataRole.UserRole, other["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if other["id"] in chosen else Qt.CheckState.Unchecked)
            self.represents.addItem(item)
        self.represents.blockSignals(blocked)

    def _represents_changed(self, _item: QListWidgetItem) -> None:
        chosen = []
        for row in range(self.represents.count()):
            item = self.represents.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        self.page.data["parties"][self.index]["represents"] = chosen
        self.page.case_wizard.binder.edited.emit(f"{self.prefix}.represents")


class PartiesPage(CasePage):
    """Add parties by the roles the catalog names, then fill each one's fields."""

    name = "parties"
    sections = ("parties",)

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("当事人"))
        self.setSubTitle(
            self.tr(
                "按角色添加当事人（Ctrl+1… 添加，Ctrl+Delete 删除）。"
                "每人只录入一次，代理人、监护人从已录入的当事人中选择。"
            )
        )
        self.list = QListWidget()
        self.list.setObjectName("partyList")
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.list.setMaximumWidth(240)
        self.list.currentRowChanged.connect(self._show_party)
        self.editors = QStackedWidget()
        self.empty = QLabel(self.tr("还没有当事人：请按上方按钮添加。"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.editors.addWidget(self.empty)
        self.buttons = QHBoxLayout()
        self.add_buttons: list[QPushButton] = []
        self.add_shortcuts: list[QShortcut] = []
        self.remove_button = QPushButton(self.tr("删除当事人"))
        self.remove_button.setObjectName("removeParty")
        self.remove_button.setToolTip(self.tr("删除选中的当事人 (Ctrl+Delete)"))
        remove = QShortcut(QKeySequence("Ctrl+Delete"), self)
        remove.activated.connect(self.remove_current)
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.remove_button.clicked.connect(self.remove_current)
        body = QHBoxLayout()
        body.addWidget(self.list)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editors)
        body.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addLayout(body, 1)
        layout.addWidget(self.page_issues)
        self._built_for = ""
        # Identity devices (issue #7): set by the main window; the photos read per party id.
        self.devices: DeviceHub | None = None
        self.document_photos: dict[str, DocumentPhoto] = {}
        self.face_panel: FaceCheckPanel | None = None
        self.card_dialog: QMessageBox | None = None
        self.awaiting_passport = False
        face = QShortcut(QKeySequence("Ctrl+Shift+F"), self)
        face.activated.connect(lambda: self.open_face_check(self.list.currentRow()))

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Build the role buttons for the business type and an editor per party."""
        business_type = self.case_wizard.business_type()
        if self._built_for != business_type:
            self._build_buttons(business_type)
            self._built_for = business_type
        self.rebuild(select=max(0, self.list.currentRow()))

    def _build_buttons(self, business_type: str) -> None:
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.add_buttons = []
        for shortcut in self.add_shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self.add_shortcuts = []
        for number, choice in enumerate(
            catalog_view.role_choices(self.case_wizard.session.catalog, business_type), 1
        ):
            button = QPushButton(self.tr("添加") + choice.label)
            button.setObjectName("addParty:" + choice.key)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            if number <= 9:
                # A QShortcut acts at once (a button's own shortcut animates a click first).
                shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
                shortcut.activated.connect(lambda c=choice: self.add_party(c))
                self.add_shortcuts.append(shortcut)
                button.setToolTip(self.tr("快捷键") + f" Ctrl+{number}")
            button.clicked.connect(lambda _checked=False, c=choice: self.add_party(c))
            self.buttons.addWidget(button)
            self.add_buttons.append(button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.remove_button)

    def add_party(self, choice: catalog_view.RoleChoice) -> int:
        """Append a party of a role and focus its first field; returns its index."""
        party = catalog_view.new_party(choice)
        self.data.setdefault("parties", []).append(party)
        index = len(self.data["parties"]) - 1
        if self.editors.count() - 1 == index:  # the editors match the data: add just the new one
            self.list.addItem(QListWidgetItem())
            self.editors.addWidget(PartyEditor(self, index))
            self.case_wizard.binder.edited.emit(f"parties[{index}]")  # captions refresh on the edit
            self.list.setCurrentRow(index)
            self.completeChanged.emit()
        else:
            self.case_wizard.binder.edited.emit(f"parties[{index}]")
            self.rebuild(select=index)
        editor = self.editors.currentWidget()
        if isinstance(editor, PartyEditor):
            editor.id_number.setFocus()
        return index

    def remove_current(self) -> None:
        """Remove the selected party (and its mentions in representations and answers)."""
        row = self.list.currentRow()
        parties = self.data.get("parties") or []
        if not 0 <= row < len(parties):
            return
        removed = parties.pop(row)
        for other in parties:
            if removed["id"] in (other.get("represents") or []):
                other["represents"] = [i for i in other["represents"] if i != removed["id"]]
            if other.get("spouse_party_id") == removed["id"]:
                other["spouse_party_id"] = None
        self.data["interview"] = [
            a for a in self.data.get("interview") or [] if a.get("party_id") != removed["id"]
        ]
        self.case_wizard.binder.edited.emit("parties")
        self.rebuild(select=min(row, len(parties) - 1))

    def rebuild(self, select: int = 0) -> None:
        """Recreate the list and editors from the data (after adding or removing a party)."""
        self.case_wizard.binder.unbind_under("parties")
        while self.editors.count() > 1:
            widget = self.editors.widget(1)
            assert widget is not None
            self.editors.removeWidget(widget)
            widget.deleteLater()
        blocked = self.list.blockSignals(True)
        self.list.clear()
        parties = self.data.get("parties") or []
        for index, _party in enumerate(parties):
            self.list.addItem(QListWidgetItem())
            self.editors.addWidget(PartyEditor(self, index))
        self.refresh_captions()
        self.list.blockSignals(blocked)
        if parties:
            self.list.setCurrentRow(max(0, min(select, len(parties) - 1)))
            self._show_party(self.list.currentRow())
        else:
            self.editors.setCurrentIndex(0)
        self.completeChanged.emit()
        self.case_wizard.schedule_validation()

    def refresh_captions(self) -> None:
        """Update the list captions (role and name) after typing."""
        labels = self.case_wizard.role_labels()
        for index, party in enumerate(self.data.get("parties") or []):
            item = self.list.item(index)
            if item is not None:
                item.setText(catalog_view.party_caption(labels, party))
        for index in range(1, self.editors.count()):
            editor = self.editors.widget(index)
            if isinstance(editor, PartyEditor):
                editor.title.setText(catalog_view.party_caption(labels, self.data["parties"][editor.index]))
                editor.fill_represents()
                editor.fill_spouses()

    def _show_party(self, row: int) -> None:
        if row >= 0:
            self.editors.setCurrentIndex(row + 1)

    def select_party(self, index: int) -> None:
        """Show the editor of ``parties[index]``."""
        self.list.setCurrentRow(index)

    def input_root(self) -> QWidget | None:
        """Only the fields of the party shown."""
        editor = self.editors.currentWidget()
        return editor if isinstance(editor, PartyEditor) else None

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        """Moving on needs at least one party (the checks list what else is missing)."""
        return bool(self.data.get("parties"))

    # ------------------------------------------------------------------ identity documents (#7)
    def attach_devices(self, devices: DeviceHub) -> None:
        """Use the identity devices (face check, passport reads)."""
        self.devices = devices
        devices.passport_read.connect(self._passport_read)
        devices.passport_failed.connect(self._passport_failed)

    def fill_from_id_card(self, record: IdCardRecord) -> None:
        """Fill the selected party from an ID card or permit just read (or offer to add one)."""
        from workstation.identity_service import id_card_photo

        self.fill_party(record.to_party_fields(), id_card_photo(record))

    def fill_from_passport(self, record: PassportRecord) -> None:
        """Fill the selected party from a passport chip just read (or offer to add one)."""
        from workstation.identity_service import passport_photo

        self.fill_party(record.to_party_fields(), passport_photo(record))

    def fill_party(self, fields: dict[str, Any], photo: DocumentPhoto | None) -> None:
        """Fill the selected party with a document's fields, never overwriting typed values unasked.

        Without a selected party the clerk is offered to add one (by role). When typed values differ
        from the document's, a dialog lists the fields; the clerk overwrites them or keeps them (the
        empty fields are filled either way).

        Args:
            fields: the document's party fields (``IdCardRecord.to_party_fields()``).
            photo: the document's photo, kept for this party's face check.
        """
        from workstation.identity_service import party_values

        values = party_values(fields)
        parties = self.data.get("parties") or []
        row = self.list.currentRow()
        if 0 <= row < len(parties):
            self._fill_index(row, values, photo)
        else:
            self._offer_add(values, photo)

    def _offer_add(self, values: dict[str, str], photo: DocumentPhoto | None) -> None:
        from workstation.qt import QMessageBox

        box = QMessageBox(self)
        box.setObjectName("cardAddParty")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("读取证件"))
        box.setText(self.tr("已读取证件，但还没有当事人。把证件持有人添加为："))
        for choice in catalog_view.role_choices(
            self.case_wizard.session.catalog, self.case_wizard.business_type()
        ):
            if choice.kind is PartyKind.ORGANISATION:
                continue
            button = box.addButton(choice.label, QMessageBox.ButtonRole.AcceptRole)
            assert button is not None
            button.setObjectName("cardAdd:" + choice.key)
            button.clicked.connect(
                lambda _c=False, c=choice: self._fill_index(self.add_party(c), values, photo)
            )
        box.addButton(self.tr("不添加"), QMessageBox.ButtonRole.RejectRole)
        self.card_dialog = box
        box.open()

    def _fill_index(self, index: int, values: dict[str, str], photo: DocumentPhoto | None) -> None:
        from workstation.identity_service import differing_fields, display_value
        from workstation.qt import QMessageBox

        party = self.data["parties"][index]
        self.select_party(index)
        differences = differing_fields(party, values)
        if not differences:
            self._apply(index, values, photo, overwrite=True)
            return
        box = QMessageBox(self)
        box.setObjectName("cardConflict")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("证件信息与已录入的不同"))
        box.setText(self.tr("证件上的以下信息与已录入的内容不同，是否用证件上的信息覆盖？"))
        box.setInformativeText(
            "\n".join(
                f"{d.title}："
                + self.tr("已录入")
                + f"“{display_value(d.key, d.current)}”，"
                + self.tr("证件上为")
                + f"“{display_value(d.key, d.document)}”"
                for d in differences
            )
            + "\n\n"
            + self.tr("未录入的项目都会从证件填写。")
            + self.tr("若证件不是该当事人的，请选“保留已录入内容”，再选中正确的当事人后重新放卡。")
        )
        overwrite = box.addButton(self.tr("用证件信息覆盖(&R)"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(self.tr("保留已录入内容(&K)"), QMessageBox.ButtonRole.RejectRole)
        assert overwrite is not None and keep is not None
        overwrite.setObjectName("cardOverwrite")
        keep.setObjectName("cardKeep")
        box.setDefaultButton(keep)
        overwrite.clicked.connect(lambda: self._apply(index, values, photo, overwrite=True))
        keep.clicked.connect(lambda: self._apply(index, values, photo, overwrite=False))
        self.card_dialog = box
        box.open()

    def _apply(
        self, index: int, values: dict[str, str], photo: DocumentPhoto | None, *, overwrite: bool
    ) -> None:
        from workstation.identity_service import is_typed

        parties = self.data.get("parties") or []
        if not 0 <= index < len(parties):
            return  # the party was removed while the dialog was open
        party = parties[index]
        binder = self.case_wizard.binder
        typed = {key for key in values if is_typed(party, key)}  # before the number is filled
        for key, value in values.items():
            if overwrite or key not in typed:
                binder.set_value(f"parties[{index}].{key}", value)
        # The photo belongs to the party only when the party now carries the document's number.
        if (
            photo is not None
            and str(party.get("id_number") or "").upper() == values.get("id_number", "").upper()
        ):
            self.document_photos[str(party["id"])] = photo
        self.refresh_captions()

    def ask_passport_mrz(self, reader: str = "") -> None:
        """A passport was placed: ask for its MRZ (typed) and read the chip off the UI thread."""
        from workstation.qt import QInputDialog

        if self.devices is None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("passportMrz")
        dialog.setWindowTitle(self.tr("读取护照"))
        dialog.setLabelText(
            self.tr("护照已放在读卡器上。请输入资料页下方的机读码（两行，或“护照号 出生日期 有效期至”）：")
        )
        dialog.textValueSelected.connect(self._read_passport)
        dialog.open()

    def _read_passport(self, mrz: str) -> None:
        if self.devices is None or not mrz.strip():
            return
        self.awaiting_passport = True
        self.devices.read_passport(mrz)

    def _passport_read(self, record: object) -> None:
        if not self.awaiting_passport:
            return
        self.awaiting_passport = False
        from scanning.passport.record import PassportRecord

        if isinstance(record, PassportRecord):
            self.fill_from_passport(record)

    def _passport_failed(self, exc: object) -> None:
        if not self.awaiting_passport:
            return
        self.awaiting_passport = False
        if isinstance(exc, BaseException):
            from workstation.ui.errors import show_error

            show_error(self, exc)

    def open_face_check(self, index: int) -> FaceCheckPanel | None:
        """Open the face-check panel of ``parties[index]`` (Ctrl+Shift+F on the selected party)."""
        from workstation.qt import QMessageBox
        from workstation.ui.face_panel import FaceCheckPanel

        parties = self.data.get("parties") or []
        if not 0 <= index < len(parties):
            return None
        if self.devices is None or self.case_wizard.case_id is None:
            QMessageBox.information(
                self,
                self.tr("人证核验"),
                self.tr("本窗口没有可用的人证核验设备（摄像头）。请从主窗口新建或打开案件后再核验。"),
            )
            return None
        party = parties[index]
        panel = FaceCheckPanel(
            self.case_wizard.session,
            self.devices,
            case_id=self.case_wizard.case_id,
            party=party,
            document=self.document_photos.get(str(party["id"])),
            caption=catalog_view.party_caption(self.case_wizard.role_labels(), party),
            parent=self,
        )
        editor = self.editors.widget(index + 1)
        if isinstance(editor, PartyEditor):
            panel.check_saved.connect(lambda check, e=editor: self._show_check(e, check))
            panel.check_overridden.connect(lambda check, e=editor: self._show_check(e, check))
        self.face_panel = panel
        panel.open()
        return panel

    def _show_check(self, editor: PartyEditor, check: object) -> None:
        from scanning.face.record import Decision

        decision = getattr(check, "decision", "")
        if decision in Decision.__members__.values():
            colour = "#c62828" if decision == Decision.REJECTED else "#2e7d32"
            editor.face_status.setText(Decision(decision).label)
            editor.face_status.setStyleSheet(f"color: {colour};")


# ------------------------------------------------------------------------------- property
class PropertyPage(FormPage):
    """不动产情况."""

    name = "property"
    sections = ("property",)

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("不动产"))
        self.setSubTitle(self.tr("按不动产权证书填写。"))

    def build_form(self, business_type: str) -> None:
        """The property fields (the same for every business type)."""
        tr = self.tr
        add = self.form.addRow
        unit = QLineEdit()
        unit.setPlaceholderText(tr("28 位，如 110105001001GB00001F00010001"))
        from workstation.ui.wizard.lookups import LookupRow, StatusLookup

        row = LookupRow(self.bind(unit, "property.unit_number", nullable=False), tr("查询房屋状态(F6)"))
        add(tr("不动产单元号"), row)
        self.status_lookup = StatusLookup(self.case_wizard, self, row, unit)
        add(tr("不动产权证书号"), self.bind(QLineEdit(), "property.certificate_number"))
        add(tr("坐落"), self.bind(QLineEdit(), "property.location", nullable=False))
        area = QLineEdit()
        area.setPlaceholderText(tr("平方米，如 89.5"))
        add(tr("面积(㎡)"), self.bind(area, "property.area"))
        add(tr("用途"), self.bind(enum_combo(_enum_items(PropertyUse)), "property.use", nullable=False))
        add(
            tr("不动产类型"),
            self.bind(enum_combo(_enum_items(PropertyType)), "property.property_type", nullable=False),
        )
        add(
            tr("房屋性质"),
            self.bind(enum_combo(_enum_items(HousingClass)), "property.housing_class", nullable=False),
        )
        district = enum_combo(
            [(tr("市区"), "urban"), (tr("县城、镇"), "county_town"), (tr("其他"), "other")], empty=""
        )
        add(tr("所在地类别"), self.bind(district, "property.district_class"))


# ------------------------------------------------------------------------------- transaction
class TransactionPage(FormPage):
    """交易情况 and the seller's acquisition (only for business types that have them)."""

    name = "transaction"
    sections = ("transaction",)

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("交易"))
        self.setSubTitle(self.tr("金额以元为单位，日期格式 2024-05-01。"))

    def build_form(self, business_type: str) -> None:
        """The transaction fields, and the seller's acquisition where the business type has it."""
        tr = self.tr
        add = self.form.addRow
        from workstation.ui.wizard.lookups import ContractLookup, LookupRow

        filing = QLineEdit()
        filing.setPlaceholderText(tr("输入后按 F6 从交易系统调取合同"))
        row = LookupRow(self.bind(filing, "transaction.contract_filing_number"), tr("调取合同(F6)"))
        add(tr("合同网签备案编号"), row)
        self.contract_lookup = ContractLookup(self.case_wizard, self, row, filing)
        add(tr("成交价格(元)"), self.bind(QLineEdit(), "transaction.price"))
        add(
            tr("付款方式"),
            self.bind(enum_combo(_enum_items(PaymentMethod), empty=""), "transaction.payment_method"),
        )
        add(
            tr("原有抵押"),
            self.bind(
                enum_combo(_enum_items(ExistingMortgage)), "transaction.existing_mortgage", nullable=False
            ),
        )
        add(tr("评估价格(元)"), self.bind(QLineEdit(), "transaction.assessed_value"))
        if catalog_view.has_section(self.case_wizard.session.catalog, business_type, "acquisition"):
            add(QLabel(tr("卖方取得情况")))
            add(tr("取得日期"), self.bind(QLineEdit(), "transaction.acquisition.acquired_on"))
            add(tr("原值(元)"), self.bind(QLineEdit(), "transaction.acquisition.original_value"))
            add(
                "",
                self.bind(
                    QCheckBox(tr("原值凭证齐全")),
                    "transaction.acquisition.original_value_proven",
                    nullable=False,
                ),
            )
            add(tr("购入时已缴契税(元)"), self.bind(QLineEdit(), "transaction.acquisition.deed_tax_paid"))


class MortgagePage(FormPage):
    """抵押情况 (mortgage business types)."""

    name = "mortgage"
    sections = ("mortgage",)

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("抵押"))
        self.setSubTitle(self.tr("金额以元为单位，日期格式 2024-05-01。"))

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Create the mortgage section in the data, then bind its fields."""
        if not isinstance(self.data.get("mortgage"), dict):
            self.data["mortgage"] = {"kind": MortgageKind.ORDINARY.value}
        super().initializePage()

    def build_form(self, business_type: str) -> None:
        """The mortgage fields."""
        tr = self.tr
        add = self.form.addRow
        add(tr("抵押方式"), self.bind(enum_combo(_enum_items(MortgageKind)), "mortgage.kind", nullable=False))
        add(tr("被担保主债权数额(元)"), self.bind(QLineEdit(), "mortgage.secured_amount"))
        add(tr("债务履行期限起"), self.bind(QLineEdit(), "mortgage.debt_start"))
        add(tr("债务履行期限止"), self.bind(QLineEdit(), "mortgage.debt_end"))
        add(tr("借款合同编号"), self.bind(QLineEdit(), "mortgage.loan_contract_number"))
        add(tr("抵押合同编号"), self.bind(QLineEdit(), "mortgage.mortgage_contract_number"))
        add(tr("注销原因"), self.bind(QLineEdit(), "mortgage.release_reason"))


# ------------------------------------------------------------------------------- materials
class MaterialsPage(CasePage):
    """The catalog's materials checklist (received, original, copies, pages) and the scanning panel.

    Scanned pages land on checklist items; the item's ``attachment_ids``, ``pages`` and ``received``
    follow the scans stored for the case (:func:`workstation.scanning_service.apply_scans`).
    """

    name = "materials"
    sections = ("materials",)

    def __init__(self, wizard: CaseWizard) -> None:
        from workstation.qt import QSplitter
        from workstation.ui.scan_panel import ScanPanel

        super().__init__(wizard)
        self.setTitle(self.tr("申请材料"))
        self.setSubTitle(
            self.tr("空格键勾选；共享获取的材料无需申请人提交。F8 扫描，选中页面后按数字键放到对应材料。")
        )
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.scan_panel = ScanPanel(wizard.session, parent=self)
        self.scan_panel.scans_changed.connect(self.apply_scans)
        self.scan_panel.suggestion_accepted.connect(
            lambda s: self.case_wizard.binder.set_value(s.path, s.value)
        )
        # A finished case keeps its scans as attachments; the sealed pages go unless some are loose.
        wizard.case_finished.connect(lambda _changed: self.scan_panel.finish_batch())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(self.scan_panel)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setSizes([240, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.page_issues)
        self._codes: list[str] = []

    def input_root(self) -> QWidget | None:
        """Enter walks the checklist only (the scanning panel has its own keys)."""
        return self.grid_host

    def apply_scans(self, scans: dict[str, Any]) -> None:
        """Make the checklist follow the stored scans: attachments, pages, received."""
        from workstation.scanning_service import apply_scans

        for row, key, value in apply_scans(self.data.get("materials") or [], scans):
            self.case_wizard.binder.set_value(f"materials[{row}].{key}", value)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Bring the checklist up to date with the parties, keeping what was ticked."""
        wanted = catalog_view.checklist(self.case_wizard.session.catalog, self.data)
        existing = {m.get("code"): m for m in self.data.get("materials") or [] if isinstance(m, dict)}
        merged: list[dict[str, Any]] = []
        for record in wanted:
            merged.append(existing.pop(record["code"], record))
        # Keep anything received that the checklist no longer asks for (the clerk ticked it).
        merged.extend(m for m in existing.values() if m.get("received"))
        if merged != self.data.get("materials"):
            self.data["materials"] = merged
            self.case_wizard.binder.edited.emit("materials")
        codes = [m["code"] for m in merged]
        if codes != self._codes:
            self._codes = codes
            self._rebuild()
        self.scan_panel.set_materials([(m["code"], m.get("name") or m["code"]) for m in merged])
        if self.case_wizard.case_id is not None:
            self.scan_panel.set_case(self.case_wizard.case_id)

    def _rebuild(self) -> None:
        self.case_wizard.binder.unbind_under("materials")
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        tr = self.tr
        for column, title in enumerate(
            (tr("材料"), tr("必交"), tr("已收取"), tr("原件"), tr("份数"), tr("页数"))
        ):
            header = QLabel(title)
            header.setStyleSheet("font-weight: bold;")
            self.grid.addWidget(header, 0, column)
        for row, record in enumerate(self.data["materials"], 1):
            prefix = f"materials[{row - 1}]"
            name = QLabel(record.get("name") or record["code"])
            if record.get("via_data_sharing"):
                name.setText(name.text() + tr("（共享获取）"))
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(QLabel(tr("是") if record.get("required", True) else tr("否")), row, 1)
            self.grid.addWidget(
                self.bind(QCheckBox(), f"{prefix}.received", nullable=False, inline=False), row, 2
            )
            # Cells mark their issues and list them in the page's summary (no label under each cell).
            original = self.bind(QCheckBox(), f"{prefix}.original", nullable=False, inline=False)
            self.grid.addWidget(original, row, 3)
            copies = QSpinBox()
            copies.setRange(0, 99)
            self.grid.addWidget(self.bind(copies, f"{prefix}.copies", nullable=False, inline=False), row, 4)
            pages = QSpinBox()
            pages.setRange(0, 9999)
            self.grid.addWidget(self.bind(pages, f"{prefix}.pages", nullable=False, inline=False), row, 5)
        self.grid.setColumnStretch(0, 1)
        self.grid.setRowStretch(len(self.data["materials"]) + 1, 1)


# ------------------------------------------------------------------------------- interview
class InterviewPage(CasePage):
    """询问笔录: the catalog's questions for each person questioned (parties entered once)."""

    name = "interview"
    sections = ("interview",)

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("询问"))
        self.setSubTitle(self.tr("逐人询问；被询问人取自已录入的当事人。"))
        self.host = QWidget()
        self.form = QFormLayout(self.host)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.host)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.page_issues)
        self._layout_key: tuple[Any, ...] = ()

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """One answer row per question and person questioned, keeping earlier answers."""
        questions = catalog_view.questions(self.case_wizard.session.catalog, self.data)
        people = catalog_view.people_questioned(self.data)
        old = {(a.get("question_id"), a.get("party_id")): a for a in self.data.get("interview") or []}
        answers = []
        for person in people:
            for question in questions:
                answers.append(
                    old.get((question.id, person["id"]))
                    or {
                        "question_id": question.id,
                        "party_id": person["id"],
                        "answer": "",
                    }
                )
        if answers != self.data.get("interview"):
            self.data["interview"] = answers
            self.case_wizard.binder.edited.emit("interview")
        key = (tuple(q.id for q in questions), tuple((p["id"], p.get("name")) for p in people))
        if key == self._layout_key:
            return
        self._layout_key = key
        self.case_wizard.binder.unbind_under("interview")
        while self.form.rowCount():
            self.form.removeRow(0)
        labels = self.case_wizard.role_labels()
        index = 0
        for person in people:
            heading = QLabel(self.tr("被询问人：") + catalog_view.party_caption(labels, person))
            heading.setStyleSheet("font-weight: bold; margin-top: 8px;")
            self.form.addRow(heading)
            for question in questions:
                self.form.addRow(
                    QLabel(question.text),
                    self.bind(_answer_widget(question), f"interview[{index}].answer", nullable=False),
                )
                index += 1
        if not people:
            self.form.addRow(QLabel(self.tr("请先在“当事人”页录入当事人。")))


def _answer_widget(question: catalog_view.QuestionView) -> QWidget:
    if question.choices:
        combo = QComboBox()
        combo.addItem("", "")
        for choice in question.choices:
            combo.addItem(choice, choice)
        return combo
    return QLineEdit()


# ------------------------------------------------------------------------------- review
REGISTRATION_SECTIONS = ("registration_reason", "certificates", "remarks")
"""The case fields of the 登记事项 box on the review page (申请书: 登记原因, certificate options, 备注)."""


class ReviewPage(CasePage):
    """登记事项 (reason, certificates, remarks), then every fact once and where it goes, and the issues."""

    name = "review"
    sections = REGISTRATION_SECTIONS

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("核对"))
        self.setSubTitle(
            self.tr(
                "填写登记事项，核对每一项及其去向；双击或回车问题可跳转到对应字段。完成后案件进入“待提交”。"
            )
        )
        self.registration = QGroupBox()
        self.registration.setObjectName("registrationBox")
        self.registration_form = QFormLayout(self.registration)
        self.registration_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.summary = QTextBrowser()
        self.summary.setObjectName("reviewSummary")
        self.summary.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.issues = QListWidget()
        self.issues.setObjectName("reviewIssues")
        self.issues.setMaximumHeight(140)
        self.issues.itemActivated.connect(self._jump)
        layout = QVBoxLayout(self)
        layout.addWidget(self.registration)
        layout.addWidget(self.summary, 1)
        self.issues_title = QLabel()
        layout.addWidget(self.issues_title)
        layout.addWidget(self.issues)
        self._build_registration()

    def _build_registration(self) -> None:
        """The 登记事项 fields, bound once (their values live in the wizard's data)."""
        tr = self.tr
        add = self.registration_form.addRow
        reason = QLineEdit()
        reason.setPlaceholderText(tr("如 买卖、继承、抵押贷款；按合同或法律文书填写"))
        add(tr("登记原因"), self.bind(reason, "registration_reason"))
        add(
            tr("申请证书版式"),
            self.bind(enum_combo(_enum_items(CertificateFormat)), "certificates.format", nullable=False),
        )
        add("", self.bind(QCheckBox(tr("申请分别持证")), "certificates.separate", nullable=False))
        extra = QSpinBox()
        extra.setRange(0, 50)
        extra.setToolTip(tr("第二本起每本另收工本费"))
        extra.setProperty("baseToolTip", extra.toolTip())
        add(tr("加发证书本数"), self.bind(extra, "certificates.extra_count", nullable=False))
        remarks = QLineEdit()
        remarks.setPlaceholderText(tr("需要说明的其他事项（如生僻字、证件特殊情况）"))
        add(tr("备注"), self.bind(remarks, "remarks", nullable=False))

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Name where the 登记事项 go, show their values, render the summary."""
        tr = self.tr
        wizard = self.case_wizard
        forms = "、".join(destinations.forms_of("registration"))
        departments = catalog_view.departments(wizard.session.catalog, wizard.business_type())
        names = catalog_view.department_names(wizard.session.catalog)
        to = "、".join(names.get(d, d) for d in destinations.departments_of("registration", departments))
        self.registration.setTitle(tr("登记事项") + f"（{tr('打印到')} {forms}；{tr('报送')} {to}）")
        for section in REGISTRATION_SECTIONS:  # the data may have been replaced since they were bound
            wizard.binder.refill(section)
        self.summary.setHtml(review_html(self.case_wizard))
        # The wizard checks the case when the page is shown (CaseWizard._page_changed).

    def input_root(self) -> QWidget | None:
        """The 登记事项 fields (Enter walks them; the list of issues is reached with Tab)."""
        return self.registration

    def show_page_issues(self, issues: list[Issue]) -> None:
        """List every issue of the case (errors first) on the review page."""
        self.issues.clear()
        for issue in issues:
            mark = "✖" if issue.severity == "error" else "⚠"
            item = QListWidgetItem(f"{mark} {issue.message}")
            item.setData(Qt.ItemDataRole.UserRole, issue.path)
            item.setForeground(
                Qt.GlobalColor.darkRed if issue.severity == "error" else Qt.GlobalColor.darkYellow
            )
            self.issues.addItem(item)
        errors = sum(1 for i in issues if i.severity == "error")
        self.issues_title.setText(
            self.tr("还有 %n 处错误需要更正：", "", errors) if errors else self.tr("没有错误，可以完成。")
        )
        self.issues.setVisible(bool(issues))

    def _jump(self, item: QListWidgetItem) -> None:
        self.case_wizard.jump_to(str(item.data(Qt.ItemDataRole.UserRole)))


def review_html(wizard: CaseWizard) -> str:
    """The review: one row per fact, with the forms and departments it goes to."""
    data = wizard.data
    catalog = wizard.session.catalog
    business_type = wizard.business_type()
    departments = catalog_view.departments(catalog, business_type)
    department_names = catalog_view.department_names(catalog)
    rows: list[str] = []

    def section(title: str, key: str, facts: list[tuple[str, str]]) -> None:
        forms = "、".join(destinations.forms_of(key))
        depts = "、".join(department_names.get(d, d) for d in destinations.departments_of(key, departments))
        rows.append(
            f"<tr><th colspan=2 align=left style='background:#e8eef7;padding:4px'>{html.escape(title)}</th>"
            f"<td style='background:#e8eef7;padding:4px'>{html.escape(forms)}</td>"
            f"<td style='background:#e8eef7;padding:4px'>{html.escape(depts)}</td></tr>"
        )
        for name, value in facts:
            rows.append(
                f"<tr><td style='padding:2px 8px'>{html.escape(name)}</td>"
                f"<td colspan=3 style='padding:2px 8px'>{html.escape(value) if value else '—'}</td></tr>"
            )

    labels = wizard.role_labels()
    section(
        "业务",
        "business_type",
        [
            ("业务类型", catalog_view.type_name(catalog, business_type)),
            ("受理编号", str(data.get("case_number") or "")),
        ],
    )
    parties = [p for p in data.get("parties") or [] if isinstance(p, dict)]
    for party in parties:
        facts = [
            (title, catalog_view.fact_text(party.get(key), enum))
            for key, title, enum in catalog_view.PARTY_FACTS
            if party.get(key) not in (None, "", [])
        ]
        if party.get("represents"):
            names = [
                catalog_view.party_caption(labels, p) for p in parties if p.get("id") in party["represents"]
            ]
            facts.append(("代理/监护的当事人", "、".join(names)))
        if party.get("spouse_party_id"):
            spouse = [p for p in parties if p.get("id") == party["spouse_party_id"]]
            facts.append(("配偶", "、".join(catalog_view.party_caption(labels, p) for p in spouse)))
        section(catalog_view.party_caption(labels, party), "parties", facts)
    prop = data.get("property") or {}
    section(
        "不动产",
        "property",
        [(t, catalog_view.fact_text(get_path(prop, k), e)) for k, t, e in catalog_view.PROPERTY_FACTS],
    )
    if catalog_view.has_section(catalog, business_type, "transaction"):
        trans = data.get("transaction") or {}
        facts = [
            (t, catalog_view.fact_text(get_path(trans, k), e)) for k, t, e in catalog_view.TRANSACTION_FACTS
        ]
        section("交易", "transaction", facts)
    mortgage = data.get("mortgage")
    if catalog_view.has_section(catalog, business_type, "mortgage") and isinstance(mortgage, dict):
        facts = [
            (t, catalog_view.fact_text(get_path(mortgage, k), e)) for k, t, e in catalog_view.MORTGAGE_FACTS
        ]
        section("抵押", "mortgage", facts)
    materials = [
        (
            str(m.get("name") or m.get("code")),
            ("已收取" if m.get("received") else "未收取")
            + f"，{'原件' if m.get('original') else '复印件'} {m.get('copies')} 份 {m.get('pages')} 页",
        )
        for m in data.get("materials") or []
        if isinstance(m, dict)
    ]
    section("申请材料", "materials", materials)
    questions = {q.id: q.text for q in catalog_view.questions(catalog, data)}
    people = {str(p.get("id")): catalog_view.party_caption(labels, p) for p in parties}
    answers = [
        (
            f"{people.get(str(a.get('party_id')), '')}："
            f"{questions.get(str(a.get('question_id')), a.get('question_id'))}",
            str(a.get("answer") or ""),
        )
        for a in data.get("interview") or []
        if isinstance(a, dict)
    ]
    section("询问", "interview", answers)
    head = "".join(f"<th align=left>{title}</th>" for title in ("项目", "内容", "打印到", "报送部门"))
    head = f"<tr>{head}</tr>"
    return f"<table width='100%' cellspacing=0>{head}{''.join(rows)}</table>"
