"""Wizard fields: capacity, sex and birth date, spouse, 登记事项, rare characters; ready → draft."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from forms.case import Case
from workstation.operations import cases
from workstation.qt import QApplication, QCheckBox, QComboBox, QLineEdit, QSpinBox, Qt
from workstation.ui.wizard import glyphs
from workstation.ui.wizard.pages import PartyEditor, ReviewPage
from workstation.ui.wizard.tax_page import TaxPage
from workstation.ui.wizard.wizard import CaseWizard

from .helpers import enter_text, field, focused, press_enter, type_list

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
BUYER_ID = "33010619900512037X"  # male, born 1990-05-12
SECOND_ID = "11010519491231002X"  # female, born 1949-12-31
RARE = "\U0002ebf0"  # CJK Extension I: in no bundled font


@pytest.fixture
def wizard(qtbot, signed_in):
    w = CaseWizard(signed_in)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    return w


def _choose(wizard: CaseWizard, type_id: str) -> None:
    types = type_list(wizard)
    ids = [types.item(i).data(Qt.ItemDataRole.UserRole) for i in range(types.count())]  # type: ignore[union-attr]
    types.setCurrentRow(ids.index(type_id))
    wizard.next()
    assert wizard.current_page_name() == "parties"


def _add(wizard: CaseWizard, key: str) -> PartyEditor:
    button = next(b for b in wizard.parties_page.add_buttons if b.objectName() == f"addParty:{key}")
    button.click()
    editor = wizard.parties_page.editors.currentWidget()
    assert isinstance(editor, PartyEditor)
    return editor


def _combo(wizard: CaseWizard, path: str) -> QComboBox:
    widget = wizard.binder.widget(path)
    assert isinstance(widget, QComboBox), path
    return widget


# ------------------------------------------------------------------------------------ capacity
def test_role_button_records_the_capacity(wizard):
    _choose(wizard, "transfer_with_mortgage")
    _add(wizard, "mortgagee")
    _add(wizard, "buyer")
    _add(wizard, "agent")
    parties = wizard.data["parties"]
    assert [p["capacity"] for p in parties] == ["mortgagee", "buyer", None]
    # the bank entered first is still the mortgagee: the label follows the button, not the order
    labels = wizard.role_labels()
    assert labels[parties[0]["id"]] == "抵押权人"
    assert labels[parties[1]["id"]] == "买受人（抵押人）"


# ------------------------------------------------------------------------------------ sex, birth date
def test_sex_and_birth_date_follow_a_resident_id_number(qtbot, wizard):
    _choose(wizard, "second_hand_sale")
    editor = _add(wizard, "buyer")
    qtbot.keyClicks(editor.id_number, BUYER_ID)
    party = wizard.data["parties"][0]
    assert (party["sex"], party["birth_date"]) == ("male", "1990-05-12")
    assert editor.birth_date.text() == "1990-05-12" and editor.sex.currentData() == "male"
    # a corrected number replaces what was derived …
    editor.id_number.clear()
    qtbot.keyClicks(editor.id_number, SECOND_ID)
    assert (party["sex"], party["birth_date"]) == ("female", "1949-12-31")
    # … but never what the clerk typed: the disagreement is shown under the field instead
    editor.birth_date.clear()
    qtbot.keyClicks(editor.birth_date, "1950-01-01")
    editor.id_number.clear()
    qtbot.keyClicks(editor.id_number, BUYER_ID)
    assert party["birth_date"] == "1950-01-01" and party["sex"] == "male"
    wizard.validate_now()
    assert "出生日期" in wizard.binder.issue_text("parties[0].birth_date")


def test_sex_and_birth_date_are_entered_in_keyboard_order_and_hidden_for_organisations(qtbot, wizard):
    _choose(wizard, "second_hand_sale")
    editor = _add(wizard, "buyer")
    fields = wizard.parties_page.input_widgets()
    order = [w.objectName().split(".", 1)[1] for w in fields]
    assert order[order.index("name") + 1 : order.index("name") + 3] == ["sex", "birth_date"]
    qtbot.keyClicks(editor.id_number, BUYER_ID)
    assert wizard.data["parties"][0]["sex"] == "male"
    editor.kind.setCurrentIndex(editor.kind.findData("organisation"))
    names = [w.objectName() for w in wizard.parties_page.input_widgets()]
    assert "parties[0].sex" not in names and "parties[0].birth_date" not in names
    assert wizard.data["parties"][0]["sex"] is None and wizard.data["parties"][0]["birth_date"] is None


# ------------------------------------------------------------------------------------ spouse
def test_spouse_is_picked_from_the_parties_when_married(qtbot, wizard):
    _choose(wizard, "second_hand_sale")
    _add(wizard, "buyer")
    enter_text(qtbot, field(wizard, "parties[0].name"), "张三")
    second = _add(wizard, "buyer")
    enter_text(qtbot, field(wizard, "parties[1].name"), "李梅")
    _add(wizard, "seller")
    wizard.parties_page.select_party(1)
    spouse = _combo(wizard, "parties[1].spouse_party_id")
    assert not spouse.isVisibleTo(second)  # not married yet
    marital = _combo(wizard, "parties[1].marital_status")
    marital.setCurrentIndex(marital.findData("married"))
    assert spouse.isVisibleTo(second)
    texts = [spouse.itemText(i) for i in range(spouse.count())]
    assert texts[:2] == ["", "买受人：张三"] and len(texts) == 3  # the seller is offered too
    spouse.setCurrentIndex(1)
    first_id = wizard.data["parties"][0]["id"]
    assert wizard.data["parties"][1]["spouse_party_id"] == first_id
    wizard.go_to("review")
    assert "配偶" in wizard.pages["review"].summary.toPlainText()
    wizard.go_to("parties")
    wizard.parties_page.select_party(1)
    marital = _combo(wizard, "parties[1].marital_status")
    marital.setCurrentIndex(marital.findData("unmarried"))
    assert wizard.data["parties"][1]["spouse_party_id"] is None


# ------------------------------------------------------------------------------------ 登记事项
def test_registration_items_on_the_review_page(qtbot, wizard):
    _choose(wizard, "second_hand_sale")
    _add(wizard, "buyer")
    wizard.go_to("review")
    review = wizard.pages["review"]
    assert isinstance(review, ReviewPage)
    assert "登记事项" in review.registration.title() and "申请书" in review.registration.title()
    reason = field(wizard, "registration_reason")
    assert focused(wizard) is reason  # the first field of the page
    enter_text(qtbot, reason, "买卖")
    press_enter(qtbot, wizard)
    fmt = focused(wizard)
    assert isinstance(fmt, QComboBox) and fmt.objectName() == "certificates.format"
    fmt.setCurrentIndex(fmt.findData("integrated"))
    press_enter(qtbot, wizard)
    separate = focused(wizard)
    assert isinstance(separate, QCheckBox)
    qtbot.keyClick(separate, Qt.Key.Key_Space)
    press_enter(qtbot, wizard)
    extra = focused(wizard)
    assert isinstance(extra, QSpinBox)
    extra.setValue(2)
    press_enter(qtbot, wizard)
    remarks = focused(wizard)
    assert isinstance(remarks, QLineEdit) and remarks.objectName() == "remarks"
    enter_text(qtbot, remarks, "申请人另附说明")
    press_enter(qtbot, wizard)
    assert focused(wizard) is wizard.button(CaseWizard.WizardButton.FinishButton)
    assert wizard.data["registration_reason"] == "买卖"
    assert wizard.data["certificates"] == {"format": "integrated", "separate": True, "extra_count": 2}
    assert wizard.data["remarks"] == "申请人另附说明"
    # inline validation under the field
    reason.setText("长" * 301)
    reason.textEdited.emit(reason.text())
    wizard.validate_now()
    assert "登记原因" in wizard.binder.issue_text("registration_reason")


# ------------------------------------------------------------------------------------ rare characters
class _HeldExecutor:
    """Keeps submitted jobs until :meth:`run` (a worker that has not got to them yet)."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[[], Any], Callable[[Any], object]]] = []

    def submit(self, job: Callable[[], Any], *, on_done: Callable[[Any], object], **_: Any) -> None:
        self.jobs.append((job, on_done))

    def run(self) -> None:
        for job, on_done in self.jobs:
            on_done(job())
        self.jobs.clear()


def test_fonts_load_off_the_ui_thread_and_nothing_waits_for_them(monkeypatch):
    monkeypatch.setattr(glyphs, "_ready", threading.Event())
    monkeypatch.setattr(glyphs, "_state", {"started": False, "failed": False})
    monkeypatch.setattr(glyphs, "_waiting", [])
    executor = _HeldExecutor()
    session: Any = type("S", (), {"executor": executor})()
    called: list[str] = []
    data = {"parties": [{"name": "王" + RARE, "address": "北京"}]}
    glyphs.warm_up(session, lambda: called.append("ready"))
    glyphs.warm_up(session, lambda: called.append("again"))
    assert len(executor.jobs) == 1  # loaded once per process
    assert glyphs.glyph_issues(data) == []  # not loaded yet: no check on the UI thread
    executor.run()
    assert called == ["ready", "again"] and glyphs.is_ready()
    [issue] = glyphs.glyph_issues(data)
    assert issue.path == "parties[0].name" and issue.severity == "warning"
    assert "姓名/名称" in issue.message and f"U+{ord(RARE):04X}" in issue.message


def test_rare_character_warning_under_the_name_at_entry(qtbot, wizard):
    _choose(wizard, "second_hand_sale")
    _add(wizard, "buyer")
    wizard.warm_up()  # the inline executor loads the fonts now
    assert glyphs.is_ready()
    enter_text(qtbot, field(wizard, "parties[0].name"), "王" + RARE)
    enter_text(qtbot, field(wizard, "parties[0].address"), "杭州市𠮷祥路 1 号")  # 𠮷 is in the fonts
    qtbot.waitUntil(lambda: "打印字库" in wizard.binder.issue_text("parties[0].name"), timeout=2000)
    assert wizard.binder.issue_text("parties[0].address") == ""
    rare = [i for i in wizard.report.issues if i.code == glyphs.CODE]
    assert [i.path for i in rare] == ["parties[0].name"]
    assert rare[0] in wizard.report.warnings  # a warning: it does not block finishing


# ------------------------------------------------------------------------------------ ready → draft
def _ready_case(signed_in) -> Case:
    store = signed_in.store
    case = Case.model_validate(json.loads((EXAMPLES / "second_hand_sale.json").read_text(encoding="utf-8")))
    imported: Case = store.import_case(case, user=signed_in.user)
    store.transition(imported.id, "ready", user=signed_in.user, reason="录入完成")
    return imported


def test_editing_a_ready_case_moves_it_back_to_draft_then_finish_makes_it_ready(qtbot, signed_in):
    store = signed_in.store
    case = _ready_case(signed_in)
    wizard = CaseWizard(signed_in, data=case.model_dump(mode="json"), case_id=case.id)
    qtbot.addWidget(wizard)
    wizard.show()
    reopened: list[cases.CaseChanged] = []
    wizard.case_reopened.connect(reopened.append)
    wizard.go_to("parties")
    QApplication.processEvents()
    assert store.history(case.id)[-1].to_state == "ready"  # paging through changes nothing
    phone = field(wizard, "parties[0].phone")
    phone.clear()
    qtbot.keyClicks(phone, "13900000000")
    qtbot.waitUntil(lambda: bool(reopened), timeout=3000)  # the journal fires within its interval
    history = store.history(case.id)
    assert [(h.from_state, h.to_state) for h in history[-1:]] == [("ready", "draft")]
    assert history[-1].reason == cases.REOPEN_REASON
    qtbot.keyClicks(phone, "1")
    wizard.journal()
    assert len(reopened) == 1 and store.history(case.id)[-1].to_state == "draft"  # moved once
    phone.clear()
    qtbot.keyClicks(phone, "13900000000")
    with qtbot.waitSignal(wizard.case_finished):
        wizard.accept()
    assert [h.to_state for h in store.history(case.id)[-3:]] == ["ready", "draft", "ready"]
    saved, state = store.load_case(case.id)
    assert state == "ready" and saved.parties[0].phone == "13900000000"


def test_keep_version_parses_on_the_worker_and_skips_what_does_not_parse(signed_in):
    case = signed_in.store.create_case(business_type="second_hand_sale", user=signed_in.user)
    data = case.model_dump(mode="json")
    results: list[cases.CaseChanged] = []
    for area in ("12a", "89.5"):
        data["property"]["area"] = area
        cases.keep_version_of(
            session=signed_in,
            case_id=case.id,
            data=data,
            reason="翻页保存",
            on_done=results.append,
            on_error=lambda exc: pytest.fail(str(exc)),
        )
    assert [r.version is None for r in results] == [True, False]


def test_tax_page_does_not_estimate_while_another_page_is_edited(qtbot, wizard):
    _choose(wizard, "second_hand_sale")
    wizard.go_to("property")
    tax = wizard.pages["tax"]
    assert isinstance(tax, TaxPage)
    qtbot.keyClicks(field(wizard, "property.area"), "89")
    assert not tax.timer.isActive()
