"""The print dialog: preview, printing the whole set with Enter through a real CUPS, history, reprint."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.case import Case
from tests.cups import CUPS_PDF_PPD, Cups, missing, running_cups, wait_done
from tests.printing.helpers import pdf_pages, pdf_text
from workstation.executor import DbExecutor
from workstation.operations.cases import CaseChanged
from workstation.printing_service import PrintOutcome
from workstation.qt import QApplication, QLabel, QMessageBox, Qt
from workstation.session import Session
from workstation.storage.store import SqlStore
from workstation.ui.main_window import MainWindow
from workstation.ui.print_dialog import PrintDialog

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SET_TITLES = (
    "不动产登记申请书",
    "不动产登记询问笔录",
    "受理回执（待上报）",
    "不动产登记申请材料清单",
    "税费计算单",
)


def import_example(session: Session, name: str = "second_hand_sale") -> Case:
    case = Case.model_validate(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")))
    return session.store.import_case(case, user=session.require_user())


def text_of(pdf: bytes) -> str:
    return "".join(pdf_text(pdf).split())


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    if missing() is not None:
        pytest.skip(missing() or "")
    with running_cups() as server:
        # A third queue that refuses every job, as a printer taken offline by IT would.
        subprocess.run(
            [
                "lpadmin",
                "-h",
                server.server,
                "-p",
                "yc-refusing",
                "-E",
                "-v",
                "file:///dev/null",
                "-P",
                str(CUPS_PDF_PPD),
            ],
            capture_output=True,
            check=True,
        )
        subprocess.run(["cupsreject", "-h", server.server, "yc-refusing"], capture_output=True, check=True)
        yield server


@pytest.fixture
def on_cups(cups: Cups, monkeypatch: pytest.MonkeyPatch) -> Cups:
    monkeypatch.setenv("CUPS_SERVER", cups.server)  # the dialog uses this computer's print system
    return cups


def open_dialog(qtbot, session: Session, case: Case) -> PrintDialog:
    dialog = PrintDialog(session, case.id)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    return dialog


def row_texts(dialog: PrintDialog, row: int) -> list[str]:
    texts = []
    for column in range(dialog.history.columnCount()):
        item = dialog.history.item(row, column)
        texts.append(item.text() if item is not None else "")
    return texts


def test_preview_shows_the_pages_of_the_chosen_documents(qtbot, signed_in, monkeypatch):
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")  # no print server: the preview still works
    case = import_example(signed_in)
    dialog = open_dialog(qtbot, signed_in, case)
    assert dialog.printable is not None and dialog.preview is not None
    assert case.case_number is not None and case.case_number in dialog.header.text()
    assert dialog.chosen_documents() == ["application", "interview", "receipt", "materials", "tax"]
    unavailable = [dialog.documents.item(n) for n in range(dialog.documents.count())]
    greyed = [i.text() for i in unavailable if i is not None and not i.flags() & Qt.ItemFlag.ItemIsEnabled]
    assert greyed == ["不动产登记一次性告知书", "人证核验记录"]
    pages = dialog.preview_area.findChildren(QLabel, "previewPage")
    assert len(pages) == pdf_pages(dialog.preview.pdf) >= 5
    assert all(not p.pixmap().isNull() and p.pixmap().width() > 500 for p in pages)
    assert "不动产登记申请书" in dialog.status.text()

    dialog.set_documents(["receipt"])
    assert dialog.preview.documents == ("receipt",)
    assert len(dialog.preview_area.findChildren(QLabel, "previewPage")) == pdf_pages(dialog.preview.pdf)
    assert "受理回执（待上报）" in text_of(dialog.preview.pdf)
    # Unticking everything: nothing to print, and the dialog says so.
    dialog.set_documents([])
    assert dialog.preview is None and not dialog.print_button.isEnabled()
    assert "至少选择一种文书" in dialog.status.text()
    # No print server: no printer to choose, said in Chinese; printing stays disabled.
    assert dialog.printer_box.count() == 0
    assert dialog.printer_note.isVisible() and "打印" in dialog.printer_note.text()
    assert not dialog.print_button.isEnabled()


def test_enter_prints_the_whole_set_through_cups_and_records_it(qtbot, signed_in, on_cups, store: SqlStore):
    case = import_example(signed_in)
    dialog = open_dialog(qtbot, signed_in, case)
    names = [dialog.printer_box.itemText(n) for n in range(dialog.printer_box.count())]
    assert {"yc-pdf-file", "yc-cups-pdf"} <= set(names)
    dialog.printer_box.setCurrentIndex(names.index("yc-pdf-file"))
    assert dialog.preview is not None
    previewed = dialog.preview.pdf
    dialog.documents.setFocus()
    with qtbot.waitSignal(dialog.printed, timeout=10_000) as blocker:
        qtbot.keyClick(dialog.documents, Qt.Key.Key_Return)
    outcome = blocker.args[0]
    assert isinstance(outcome, PrintOutcome)
    assert outcome.pdf == previewed and outcome.printer == "yc-pdf-file"
    wait_done(on_cups, outcome.job_refs[0])
    text = text_of(on_cups.file_output.read_bytes())
    for title in SET_TITLES:
        assert title in text
    assert "王受理" in text and (case.case_number or "") in text
    assert "已把" in dialog.status.text() and "yc-pdf-file" in dialog.status.text()

    # The history names what, when and by whom.
    assert dialog.history.rowCount() == 1
    when, what, printer, copies, status, who = row_texts(dialog, 0)
    assert "不动产登记申请书" in what and printer == "yc-pdf-file" and copies == "1"
    assert status == "已打印" and who == "王受理" and when[:2] == "20"
    [job] = store.print_jobs(case.id)
    assert store.print_job_pdf(job.id) == previewed

    # Reprint from history: the stored PDF exactly, recorded as a second print.
    dialog.history.selectRow(0)
    assert dialog.reprint_button.isEnabled()
    dialog.copies.setValue(2)
    with qtbot.waitSignal(dialog.printed, timeout=10_000) as blocker:
        dialog.reprint_button.click()
    again = blocker.args[0]
    assert again.pdf == previewed and again.copies == 2
    for ref in again.job_refs:
        wait_done(on_cups, ref)
    assert text_of(on_cups.file_output.read_bytes()) == text
    assert dialog.history.rowCount() == 2
    assert row_texts(dialog, 0)[3] == "2"


def test_a_refusing_printer_shows_the_reason_and_is_recorded(qtbot, signed_in, on_cups, store: SqlStore):
    case = import_example(signed_in, "gift")
    dialog = open_dialog(qtbot, signed_in, case)
    names = [dialog.printer_box.itemText(n) for n in range(dialog.printer_box.count())]
    dialog.printer_box.setCurrentIndex(names.index("yc-refusing"))
    with qtbot.waitSignal(dialog.print_failed, timeout=10_000):
        dialog.print_button.click()
    assert "yc-refusing" in dialog.status.text() and "请检查打印机" in dialog.status.text()
    assert "b00020" in dialog.status.styleSheet()
    assert dialog.print_button.isEnabled()  # the clerk can choose another printer and try again
    assert row_texts(dialog, 0)[4] == "打印失败"
    [job] = store.print_jobs(case.id)
    assert job.status == "failed" and job.copies == 0 and "yc-refusing" in job.error


def test_save_as_pdf_writes_the_previewed_file(qtbot, signed_in, store: SqlStore, tmp_path, monkeypatch):
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")
    case = import_example(signed_in)
    dialog = open_dialog(qtbot, signed_in, case)
    assert dialog.preview is not None
    target = tmp_path / "set.pdf"
    dialog.save_pdf_to(str(target))
    assert target.read_bytes() == dialog.preview.pdf
    assert row_texts(dialog, 0)[4] == "已存为 PDF"
    dialog.save_pdf_to(str(tmp_path / "missing" / "set.pdf"))
    assert "无法保存" in dialog.status.text()


def test_ctrl_p_and_the_offer_after_finishing_open_the_dialog(qtbot, signed_in, monkeypatch):
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")
    first = import_example(signed_in)
    second = import_example(signed_in, "gift")
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()
    # Nothing selected: a hint, no dialog.
    window.commands["print"].trigger()
    assert window.print_dialogs == []
    assert window.commands["print"].shortcut().toString() == "Ctrl+P"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    window.view.selectRow(0)
    qtbot.keyClick(window.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(window.print_dialogs) == 1
    shown = window.print_dialogs[0]
    assert shown.case_id == window.model.summary(0).id and shown.isVisible()

    # The wizard finished a case: the window offers to print it.
    other = first.id if shown.case_id == second.id else second.id
    box = window.offer_print(CaseChanged(case_id=other, state="ready"))
    assert isinstance(box, QMessageBox) and box.isVisible()
    [accept] = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
    assert accept.text() == "打印(&P)"
    accept.click()
    assert [d.case_id for d in window.print_dialogs] == [shown.case_id, other]
    # The wizard's case_finished signal is what brings the offer up.
    wizard = window.new_case()
    qtbot.addWidget(wizard)
    wizard.case_finished.emit(CaseChanged(case_id=first.id, state="ready"))
    assert window.print_offer is not None and window.print_offer is not box and window.print_offer.isVisible()
    window.print_offer.close()
    # Locking hides the print dialogs too (personal data on screen).
    window.lock()
    assert not any(d.isVisible() for d in window.print_dialogs)
    assert window.lock_dialog is not None
    qtbot.addWidget(window.lock_dialog)


def test_preview_and_history_load_off_the_ui_thread(qtbot, store, settings, catalog, clerk, monkeypatch):
    """With the real database executor the dialog opens at once and fills in when the worker is done."""
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")
    executor = DbExecutor()
    session = Session(store=store, executor=executor, settings=settings, catalog=catalog, user=clerk)
    case = import_example(session)
    try:
        dialog = PrintDialog(session, case.id)
        qtbot.addWidget(dialog)
        assert dialog.preview is None  # nothing rendered on the UI thread
        with qtbot.waitSignal(dialog.preview_ready, timeout=15_000) as blocker:
            dialog.show()
        assert blocker.args[0].documents[0] == "application"
        assert len(dialog.preview_area.findChildren(QLabel, "previewPage")) == len(blocker.args[0].pages)
        qtbot.waitUntil(lambda: dialog.printer_note.isVisible())
    finally:
        executor.wait_idle()
        executor.shutdown()
