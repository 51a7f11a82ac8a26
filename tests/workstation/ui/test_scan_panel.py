"""The scanning panel on the wizard's materials page: SANE's test feeder end to end through the GUI."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pikepdf
import pytest
import zxingcpp
from PIL import Image

from scanning.documents import synthetic
from tests.scanning.documents.conftest import SANE_TEST_CONF
from workstation import scanning_service as svc
from workstation.config import Settings
from workstation.qt import QApplication, QDragEnterEvent, QDropEvent, QListWidget, QPointF, Qt
from workstation.session import Session
from workstation.ui.scan_panel import ScanPanel, pages_mime
from workstation.ui.wizard.pages import MaterialsPage
from workstation.ui.wizard.wizard import CaseWizard

from .conftest import make_settings
from .helpers import type_list

SCREENSHOT = os.environ.get("YICHUANG_SCAN_SCREENSHOT")
"""Set to a PNG path to save the panel as the test sees it (docs/screenshots/scan.png)."""


@pytest.fixture(scope="module")
def sane_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    pytest.importorskip("sane")
    folder = tmp_path_factory.mktemp("sane.d")
    (folder / "dll.conf").write_text("test\npnm\n")
    (folder / "test.conf").write_text(SANE_TEST_CONF)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SANE_CONFIG_DIR", str(folder))
        yield folder


@pytest.fixture
def settings(data_dir: Path, tmp_path: Path) -> Settings:
    """The office's profiles: documents at 100 dpi grey (fast in tests), certificates unchanged."""
    data_dir.mkdir(parents=True, exist_ok=True)
    profiles = tmp_path / "profiles.json"
    profiles.write_text(
        '{"profiles": [{"id": "document", "title": "一般文书（合同、申请书）", "resolution": 100,'
        ' "colour": "grey", "duplex": false}]}',
        encoding="utf-8",
    )
    return make_settings(data_dir, scan_profiles_file=str(profiles), scanner_device="sane:test:0")


@pytest.fixture
def wizard(qtbot, signed_in: Session, sane_env: Path) -> CaseWizard:
    w = CaseWizard(signed_in)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    types = type_list(w)
    ids = [types.item(i).data(Qt.ItemDataRole.UserRole) for i in range(types.count())]  # type: ignore[union-attr]
    types.setCurrentRow(ids.index("second_hand_sale"))
    w.next()
    assert w.case_id is not None
    w.go_to("materials")
    assert w.current_page_name() == "materials"
    return w


def panel_of(wizard: CaseWizard) -> ScanPanel:
    page = wizard.pages["materials"]
    assert isinstance(page, MaterialsPage)
    return page.scan_panel


def row_of(wizard: CaseWizard, code: str) -> int:
    return [m["code"] for m in wizard.data["materials"]].index(code)


def wait_scanned(qtbot, panel: ScanPanel) -> svc.ScanOutcome:
    with qtbot.waitSignal(panel.scan_finished, timeout=20000) as blocker:
        pass
    outcome = blocker.args[0]
    assert isinstance(outcome, svc.ScanOutcome)
    return outcome


def choose(panel: ScanPanel, *, device: str | None = None, target: str | None = None) -> None:
    if device is not None:
        index = panel.device.findData(device)
        assert index >= 0, device
        panel.device.setCurrentIndex(index)
    if target is not None:
        index = panel.target.findData(target)
        assert index >= 0, target
        panel.target.setCurrentIndex(index)


def thumbnails(panel: ScanPanel) -> list[str]:
    return [panel.pages.item(n).text() for n in range(panel.pages.count())]  # type: ignore[union-attr]


def drop_on(widget: QListWidget, row: int, keys: list[str]) -> None:
    """Drop thumbnails (their drag data) on a row of a list, as the mouse would."""
    item = widget.item(row)
    assert item is not None
    point = widget.visualItemRect(item).center()
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    mime = pages_mime(keys)
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, actions, mime, button, none)
    QApplication.sendEvent(widget.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(point), actions, mime, button, none)
    QApplication.sendEvent(widget.viewport(), drop)
    assert drop.isAccepted()


def database_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in data_dir.glob("yichuang.db*"))


def test_feeder_to_checklist_items_stored_encrypted(
    qtbot, wizard: CaseWizard, signed_in: Session, data_dir: Path
):
    panel = panel_of(wizard)
    assert wizard.case_id is not None
    qtbot.waitUntil(lambda: panel.device.findData("sane:test:0") >= 0, timeout=10000)
    assert panel.device.currentData() == "sane:test:0"  # the window's scanner setting is preselected
    choose(panel, target="sale_contract")
    assert panel.profile.currentData() == "document"  # the item's profile follows
    choose(panel, target="title_certificate")
    assert panel.profile.currentData() == "certificate"
    choose(panel, target="sale_contract")
    arrived: list[int] = []
    panel.relay.arrived.connect(lambda _p: arrived.append(panel.pages.count()))
    qtbot.keyClick(wizard, Qt.Key.Key_F8)
    assert panel.scanning and not panel.scan_button.isEnabled()
    outcome = wait_scanned(qtbot, panel)
    assert (outcome.captured, outcome.kept) == (10, 10) and not outcome.cancelled
    assert arrived == list(range(1, 11))  # each thumbnail appeared as its page arrived
    assert panel.pages.count() == 10 and not panel.pages.item(0).icon().isNull()  # type: ignore[union-attr]
    contract = row_of(wizard, "sale_contract")
    record = wizard.data["materials"][contract]
    assert record["received"] is True and record["pages"] == 10 and len(record["attachment_ids"]) == 1
    assert wizard.binder.widget(f"materials[{contract}].pages").value() == 10  # type: ignore[union-attr]

    # Keyboard: the last two pages go to the title certificate (its number key), one page is deleted.
    certificate = row_of(wizard, "title_certificate")
    panel.pages.setFocus()
    panel.pages.clearSelection()
    for n in (8, 9):
        panel.pages.item(n).setSelected(True)  # type: ignore[union-attr]
    qtbot.keyClick(panel.pages, Qt.Key(Qt.Key.Key_1 + certificate))
    panel.pages.clearSelection()
    panel.pages.item(0).setSelected(True)  # type: ignore[union-attr]
    qtbot.keyClick(panel.pages, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: wizard.data["materials"][certificate]["pages"] == 2, timeout=5000)
    assert wizard.data["materials"][contract]["pages"] == 7
    assert wizard.data["materials"][certificate]["received"] is True
    store = signed_in.store
    ids = wizard.data["materials"][contract]["attachment_ids"]
    assert [a.id for a in store.attachments(wizard.case_id) if a.material_code == "sale_contract"] == ids
    with pikepdf.open(io.BytesIO(store.attachment_data(ids[0]))) as pdf:
        assert len(pdf.pages) == 7
    # The database holds the scans encrypted only; the recovery folder too.
    assert b"%PDF" not in database_bytes(data_dir) and b"JFIF" not in database_bytes(data_dir)
    for sealed in svc.recovery_folder(wizard.case_id, data_dir).iterdir():
        assert b"JFIF" not in sealed.read_bytes() and b"II*\x00" not in sealed.read_bytes()
    if SCREENSHOT:
        wizard.resize(1100, 800)
        panel.pages.item(3).setSelected(True)  # type: ignore[union-attr]
        wizard.validate_now()
        QApplication.processEvents()
        wizard.grab().save(SCREENSHOT)

    # Drag-free reorder (Ctrl+→) and rotate (R) re-store the contract; the draft carries the new ids.
    first = panel.pages.item(0).data(Qt.ItemDataRole.UserRole)  # type: ignore[union-attr]
    panel.pages.clearSelection()
    panel.pages.item(0).setSelected(True)  # type: ignore[union-attr]
    qtbot.keyClick(panel.pages, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert panel.pages.item(1).data(Qt.ItemDataRole.UserRole) == first  # type: ignore[union-attr]
    qtbot.keyClick(panel.pages, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: wizard.data["materials"][contract]["attachment_ids"] != ids, timeout=5000)

    # Ctrl+F8 scans the selected page again: same place, same item, one page read.
    keys = [panel.pages.item(n).data(Qt.ItemDataRole.UserRole) for n in range(panel.pages.count())]  # type: ignore[union-attr]
    panel.pages.clearSelection()
    panel.pages.item(2).setSelected(True)  # type: ignore[union-attr]
    with qtbot.waitSignal(panel.scan_finished, timeout=20000) as blocker:
        qtbot.keyClick(wizard, Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0].captured == 1
    assert [panel.pages.item(n).data(Qt.ItemDataRole.UserRole) for n in range(panel.pages.count())] == keys  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: wizard.data["materials"][contract]["pages"] == 7, timeout=5000)
    wizard.journal()
    draft = store.load_draft(wizard.case_id)
    assert draft is not None
    assert (
        draft.data["materials"][contract]["attachment_ids"]
        == wizard.data["materials"][contract]["attachment_ids"]
    )


def test_reopening_the_case_offers_the_captured_pages_back(qtbot, wizard: CaseWizard, signed_in: Session):
    panel = panel_of(wizard)
    qtbot.waitUntil(lambda: panel.device.findData("sane:test:0") >= 0, timeout=10000)
    choose(panel, device="sane:test:0", target="sale_contract")
    token_pages: list[str] = []

    def first_page(page: svc.ArrivedPage) -> None:
        token_pages.append(str(page.key))
        if len(token_pages) == 3:
            panel.cancel()

    panel.relay.arrived.connect(first_page)
    assert panel.start_scan()
    outcome = wait_scanned(qtbot, panel)
    assert outcome.cancelled and 3 <= outcome.kept < 10  # cancel takes effect after the page being read
    kept = panel.pages.count()
    case_id, data = wizard.case_id, dict(wizard.data)
    assert case_id is not None
    wizard.close()  # the window goes away with the pages not finished

    again = CaseWizard(signed_in, data=data, case_id=case_id, page="materials")
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.current_page_name() == "materials", timeout=3000)
    reopened = panel_of(again)
    qtbot.waitUntil(lambda: reopened.pages.count() == kept, timeout=10000)
    assert "已恢复上次扫描的" in reopened.status.text() and f"第 {kept + 1} 页" in reopened.status.text()
    assert all("售" in t or "合同" in t for t in thumbnails(reopened))  # still on the contract
    qtbot.waitUntil(lambda: reopened.device.findData("sane:test:0") >= 0, timeout=10000)
    choose(reopened, device="sane:test:0", target="sale_contract")
    arrived: list[svc.ArrivedPage] = []
    reopened.relay.arrived.connect(arrived.append)
    assert reopened.start_scan()
    wait_scanned(qtbot, reopened)
    assert arrived[0].source_index == kept  # continues from the next page
    contract = row_of(again, "sale_contract")
    assert again.data["materials"][contract]["pages"] == kept + 10
    reopened.finish_batch()
    qtbot.waitUntil(lambda: reopened.pages.count() == 0, timeout=3000)
    assert not svc.recovery_folder(case_id).exists()
    assert again.data["materials"][contract]["pages"] == kept + 10  # the attachments stay


def test_file_import_and_code_suggestion(qtbot, wizard: CaseWizard, tmp_path: Path):
    panel = panel_of(wizard)
    page = synthetic.blank_page(dpi=150)
    qr = np.asarray(
        zxingcpp.write_barcode_to_image(zxingcpp.create_barcode("YS2026-004211", zxingcpp.QRCode), scale=6)
    )
    page[300 : 300 + qr.shape[0], 300 : 300 + qr.shape[1]] = qr
    page[900:1000, 200:1000] = 0
    Image.fromarray(page).save(tmp_path / "contract-1.png", dpi=(150, 150))
    Image.fromarray(page).save(tmp_path / "contract-2.png", dpi=(150, 150))
    choose(panel, target="sale_contract")
    assert panel.import_files([tmp_path / "contract-1.png", tmp_path / "contract-2.png"])
    outcome = wait_scanned(qtbot, panel)
    assert outcome.kept == 2
    assert wizard.data["materials"][row_of(wizard, "sale_contract")]["pages"] == 2
    assert panel.banner.isVisibleTo(panel) and "YS2026-004211" in panel.banner_text.text()
    panel.accept_button.click()
    assert wizard.data["transaction"]["contract_filing_number"] == "YS2026-004211"
    assert not panel.banner.isVisibleTo(panel)

    # Drag and drop: the second page onto the applicant's ID item, then in front of the first.
    first, second = (panel.pages.item(n).data(Qt.ItemDataRole.UserRole) for n in (0, 1))  # type: ignore[union-attr]
    dragged = panel.pages.mimeData([panel.pages.item(1)])  # type: ignore[list-item]
    assert bytes(dragged.data("application/x-yichuang-scan-pages").data()).decode() == second
    drop_on(panel.items, row_of(wizard, "applicant_id"), [second])
    qtbot.waitUntil(
        lambda: wizard.data["materials"][row_of(wizard, "applicant_id")]["pages"] == 1, timeout=5000
    )
    assert wizard.data["materials"][row_of(wizard, "sale_contract")]["pages"] == 1
    drop_on(panel.pages, 0, [second])
    assert [panel.pages.item(n).data(Qt.ItemDataRole.UserRole) for n in (0, 1)] == [second, first]  # type: ignore[union-attr]


def test_esc_cancels_only_while_scanning(qtbot, wizard: CaseWizard):
    panel = panel_of(wizard)
    qtbot.waitUntil(lambda: panel.device.findData("sane:test:0") >= 0, timeout=10000)
    choose(panel, device="sane:test:0", target="sale_contract")
    assert not panel.cancel_shortcut.isEnabled()
    panel.relay.arrived.connect(lambda _p: qtbot.keyClick(wizard, Qt.Key.Key_Escape))
    assert panel.start_scan()
    assert panel.cancel_shortcut.isEnabled()
    outcome = wait_scanned(qtbot, panel)
    assert outcome.cancelled and outcome.kept < 10
    assert wizard.isVisible()  # Esc cancelled the scan, it did not close the wizard


def test_f8_before_any_scanner_is_known_lists_them_off_the_ui_thread_then_scans(
    qtbot, signed_in: Session, settings: Settings, data_dir: Path, sane_env: Path
):
    unset = Session(
        store=signed_in.store,
        executor=signed_in.executor,
        settings=settings.model_copy(update={"scanner_device": ""}),
        catalog=signed_in.catalog,
        user=signed_in.user,
    )
    case = signed_in.store.create_case(business_type="second_hand_sale", user=signed_in.require_user())
    panel = ScanPanel(unset, data_dir=data_dir)
    qtbot.addWidget(panel)
    panel.set_materials([("sale_contract", "网签备案的买卖合同")])
    panel.set_case(case.id)
    assert [panel.device.itemData(n) for n in range(panel.device.count())] == ["import:"]
    choose(panel, target="sale_contract")
    with qtbot.waitSignal(panel.busy_changed, timeout=20000, check_params_cb=lambda busy: busy is True):
        assert not panel.start_scan()  # looks for scanners first: the window stays responsive
        assert "正在查找扫描仪" in panel.status.text()
    # Found, the first one chosen, and the scan started with it (the pnm backend has no file: an error).
    assert panel.device.currentIndex() == 0 and panel.device.currentData() == "sane:pnm:0"
    assert "frontend-tester" in panel.device.itemText(panel.device.findData("sane:test:0"))
    qtbot.waitUntil(lambda: not panel.scanning, timeout=20000)
    # The pnm backend has no file of its own (an interrupted scan) unless an earlier test in this
    # process gave it one: libsane keeps backend options for the process's life.
    first_scan = 0 if "扫描中断" in panel.status.text() else 1
    assert first_scan == 0 or "已扫描 1 页" in panel.status.text()
    choose(panel, device="sane:test:0")
    with qtbot.waitSignal(panel.scan_finished, timeout=20000) as blocker:
        assert panel.start_scan()
    assert blocker.args[0].kept == 10
    scans = svc.material_scans(signed_in.store, case.id)
    assert scans["sale_contract"].pages == 10 + first_scan
    # A page on no item keeps the sealed pages from being cleared.
    loose = panel.pages.item(0).data(Qt.ItemDataRole.UserRole)  # type: ignore[union-attr]
    panel.assign([loose], None)
    assert not panel.finish_batch() and "还有 1 页没有放到材料上" in panel.status.text()
    assert svc.recovery_folder(case.id, data_dir).is_dir()
