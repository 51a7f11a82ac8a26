from __future__ import annotations

import pytest

from workstation.qt import QApplication, QCheckBox, QComboBox, QLineEdit, Qt
from workstation.ui.wizard.wizard import CaseWizard

from .helpers import current_page, enter_text, field, focused, press_enter, type_list

BUYER_ID = "33010619900512037X"
SELLER_ID = "330106197001010537"


@pytest.fixture
def wizard(qtbot, signed_in):
    w = CaseWizard(signed_in)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    return w


def fill_current_party(qtbot, wizard: CaseWizard, values: dict[str, str]) -> None:
    """Walk the party's fields with Enter, typing where a value is given (the id number has the focus)."""
    page = wizard.parties_page
    fields = page.input_widgets()
    current = focused(wizard)
    assert current is not None
    start = fields.index(current)
    for widget in fields[start:]:
        assert focused(wizard) is widget
        path = widget.objectName().split(".", 1)[1]
        if path in values and isinstance(widget, QLineEdit):
            enter_text(qtbot, widget, values[path])
        elif path in values and isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(values[path]))
        if widget is fields[-1]:
            return
        press_enter(qtbot, wizard)


def test_keyboard_entry_of_a_second_hand_sale_to_ready(qtbot, wizard, signed_in):
    store = signed_in.store
    types = type_list(wizard)
    assert focused(wizard) is types
    ids = [types.item(i).data(Qt.ItemDataRole.UserRole) for i in range(types.count())]  # type: ignore[union-attr]
    row = ids.index("second_hand_sale")
    types.setCurrentRow(0)
    for _ in range(row):
        qtbot.keyClick(types, Qt.Key.Key_Down)
    press_enter(qtbot, wizard)

    # the case exists with a number; the parties page is shown
    assert wizard.case_id is not None
    assert wizard.current_page_name() == "parties"
    assert wizard.data["case_number"]

    qtbot.keyClick(wizard, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # 添加买受人
    assert len(wizard.data["parties"]) == 1
    fill_current_party(
        qtbot,
        wizard,
        {
            "id_number": BUYER_ID,
            "name": "张三",
            "phone": "13800000011",
            "address": "杭州市西湖区古荡街道 12 号",
            "co_ownership": "sole",
            "marital_status": "unmarried",
            "family_homes_owned": "0",
        },
    )
    qtbot.keyClick(wizard, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 添加出卖人
    assert len(wizard.data["parties"]) == 2
    fill_current_party(
        qtbot,
        wizard,
        {
            "id_number": SELLER_ID,
            "name": "刘四",
            "phone": "13800000013",
            "marital_status": "widowed",
            "family_homes_owned": "1",
        },
    )
    # the last field of the party: Enter goes to the next page
    press_enter(qtbot, wizard)
    assert wizard.current_page_name() == "property"

    values = {
        "property.unit_number": "330106005002GB01208F00031201",
        "property.location": "杭州市西湖区文一西路 88 号 3 幢 1201 室",
        "property.area": "89.36",
    }
    _fill_page(qtbot, wizard, values)
    assert wizard.current_page_name() == "transaction"
    _fill_page(
        qtbot, wizard, {"transaction.price": "2350000", "transaction.acquisition.acquired_on": "2015-06-18"}
    )
    assert wizard.current_page_name() == "tax"  # no mortgage page for a sale
    assert focused(wizard) is wizard.binder.widget("rule_date")
    press_enter(qtbot, wizard)  # the date defaults to today
    assert wizard.current_page_name() == "materials"

    # tick "received" for every required material with the keyboard (space), then page on
    for index, record in enumerate(wizard.data["materials"]):
        if record["required"]:
            box = wizard.binder.widget(f"materials[{index}].received")
            assert isinstance(box, QCheckBox)
            box.setFocus()
            qtbot.keyClick(box, Qt.Key.Key_Space)
            assert wizard.data["materials"][index]["received"] is True
    qtbot.keyClick(wizard, Qt.Key.Key_PageDown)
    assert wizard.current_page_name() == "interview"

    # both parties are questioned, picked from the parties entered (not retyped)
    party_ids = {p["id"] for p in wizard.data["parties"]}
    assert {a["party_id"] for a in wizard.data["interview"]} == party_ids
    for index in range(len(wizard.data["interview"])):
        widget = wizard.binder.widget(f"interview[{index}].answer")
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(1)
        else:
            assert isinstance(widget, QLineEdit)
            widget.setFocus()
            enter_text(qtbot, widget, "无")
    assert all(a["answer"] for a in wizard.data["interview"])
    qtbot.keyClick(wizard, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert wizard.current_page_name() == "review"

    review = wizard.pages["review"]
    html = review.summary.toHtml()
    for fact in (
        "张三",
        "刘四",
        "申请书",
        "税费计算单",
        "询问笔录",
        "受理凭证",
        "材料清单",
        "税务",
        "不动产登记",
    ):
        assert fact in html, fact
    assert wizard.report.ok, [(i.path, i.message) for i in wizard.report.errors]

    with qtbot.waitSignal(wizard.case_finished) as finished:
        wizard.button(CaseWizard.WizardButton.FinishButton).click()
    assert finished.args[0].state == "ready"
    case, state = store.load_case(wizard.case_id)
    assert state == "ready"
    assert [p.name for p in case.parties] == ["张三", "刘四"]
    assert case.parties[0].id_number == BUYER_ID


def _fill_page(qtbot, wizard: CaseWizard, values: dict[str, str]) -> None:
    fields = current_page(wizard).input_widgets()
    assert focused(wizard) is fields[0]
    for widget in fields:
        assert focused(wizard) is widget, (widget.objectName(), focused(wizard))
        if widget.objectName() in values:
            enter_text(qtbot, widget, values[widget.objectName()])
        press_enter(qtbot, wizard)


def test_bad_id_number_shows_chinese_message_next_to_the_field(qtbot, wizard):
    type_list(wizard).setCurrentRow(0)
    wizard.next()
    qtbot.keyClick(wizard, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    id_field = field(wizard, "parties[0].id_number")
    assert focused(wizard) is id_field
    qtbot.keyClicks(id_field, "110105194912310021")  # check digit should be X
    qtbot.waitUntil(lambda: wizard.binder.issue_text("parties[0].id_number") != "", timeout=2000)
    text = wizard.binder.issue_text("parties[0].id_number")
    assert "证件号码" in text and "校验" in text, text
    assert "border" in id_field.styleSheet()
    # corrected: the message goes away
    id_field.clear()
    qtbot.keyClicks(id_field, "11010519491231002X")
    qtbot.waitUntil(lambda: wizard.binder.issue_text("parties[0].id_number") == "", timeout=2000)


def test_invalid_values_are_kept_as_typed_and_restored_exactly(qtbot, wizard, signed_in):
    store = signed_in.store
    type_list(wizard).setCurrentRow(0)
    wizard.next()
    qtbot.keyClick(wizard, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field(wizard, "parties[0].id_number"), "1101051949")
    name = field(wizard, "parties[0].name")
    name.setText("张三")
    name.textEdited.emit("张三")
    qtbot.keyClick(wizard, Qt.Key.Key_PageDown)
    assert wizard.current_page_name() == "property"
    area = field(wizard, "property.area")
    qtbot.keyClicks(area, "12a")
    assert wizard.data["property"]["area"] == "12a"
    # journalled within draft_journal_seconds, without any other action
    qtbot.waitUntil(
        lambda: (
            (store.load_draft(wizard.case_id) or None) is not None
            and store.load_draft(wizard.case_id).data["property"]["area"] == "12a"
        ),
        timeout=3000,
    )
    draft = store.load_draft(wizard.case_id)
    assert draft.page == "property"
    assert draft.data == wizard.data
    qtbot.waitUntil(lambda: "面积" in wizard.binder.issue_text("property.area"), timeout=2000)
    typed = dict(wizard.data)
    case_id = wizard.case_id
    wizard.close()

    again = CaseWizard(signed_in, data=draft.data, case_id=case_id, page=draft.page)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.current_page_name() == "property", timeout=2000)
    assert again.data == typed
    assert field(again, "property.area").text() == "12a"
    assert field(again, "parties[0].id_number").text() == "1101051949"
    assert field(again, "parties[0].name").text() == "张三"
    assert "面积" in again.binder.issue_text("property.area")


def test_version_kept_at_page_change_only_when_the_data_parses(qtbot, wizard, signed_in):
    store = signed_in.store
    type_list(wizard).setCurrentRow(0)
    wizard.next()
    QApplication.processEvents()  # the version kept on arriving at the parties page
    versions: list[object] = []
    wizard.version_saved.connect(versions.append)
    qtbot.keyClick(wizard, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field(wizard, "parties[0].id_number"), BUYER_ID)
    qtbot.keyClick(wizard, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: len(versions) == 1, timeout=2000)  # saved once the page has been shown
    case, _state = store.load_case(wizard.case_id)
    assert case.parties[0].id_number == BUYER_ID
    qtbot.keyClicks(field(wizard, "property.area"), "12a")
    qtbot.keyClick(wizard, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: store.load_draft(wizard.case_id).data["property"]["area"] == "12a", timeout=2000)
    QApplication.processEvents()
    assert len(versions) == 1  # "12a" does not parse: only the draft holds it


def test_agent_picks_whom_it_represents_from_the_parties_entered(qtbot, wizard):
    type_list(wizard).setCurrentRow(0)
    wizard.next()
    qtbot.keyClick(wizard, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # buyer
    enter_text(qtbot, field(wizard, "parties[0].name"), "张三")
    agent_button = next(b for b in wizard.parties_page.add_buttons if b.objectName() == "addParty:agent")
    agent_button.click()
    editor = wizard.parties_page.editors.currentWidget()
    represents = editor.represents
    assert represents.count() == 1
    item = represents.item(0)
    assert item.text() == "买受人：张三"
    item.setCheckState(Qt.CheckState.Checked)
    buyer_id = wizard.data["parties"][0]["id"]
    assert wizard.data["parties"][1]["represents"] == [buyer_id]
    # the list on the left names each party by its catalog role
    assert wizard.parties_page.list.item(1).text().startswith("代理人")


def test_mortgage_type_shows_the_mortgage_page_and_not_the_transaction_page(qtbot, wizard):
    types = type_list(wizard)
    ids = [types.item(i).data(Qt.ItemDataRole.UserRole) for i in range(types.count())]  # type: ignore[union-attr]
    types.setCurrentRow(ids.index("mortgage_first"))
    wizard.next()
    assert wizard.current_page_name() == "parties"
    wizard.go_to("materials")
    visited = wizard.visitedIds()
    assert 4 in visited and 3 not in visited  # mortgage (4) shown, transaction (3) skipped
    assert isinstance(wizard.data["mortgage"], dict)


def test_finish_with_errors_jumps_to_the_first_field_in_error(qtbot, wizard, signed_in):
    type_list(wizard).setCurrentRow(0)
    wizard.next()
    qtbot.keyClick(wizard, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field(wizard, "parties[0].id_number"), "110105194912310021")
    wizard.go_to("review")
    assert not wizard.report.ok
    review = wizard.pages["review"]
    assert review.issues.count() >= 1
    wizard.accept()
    assert wizard.isVisible()
    first = wizard.report.errors[0].path
    assert wizard.current_page_name() != "review"
    widget = wizard.binder.nearest_widget(first)
    assert widget is not None and focused(wizard) is widget
    _case, state = signed_in.store.load_case(wizard.case_id)
    assert state == "draft"
