"""Identity in the app: the pty reader emulator fills the parties page, the face panel on video files.

Real pieces throughout: the GA 467 emulator on a pseudo-terminal read through pyserial, a SqlStore on
a temporary folder, videos written with cv2.VideoWriter from the bundled photographs, face_recognition.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from forms.case import Case
from printing import render
from scanning.face.results import ReferenceSource
from scanning.idcard.emulator import ReaderEmulator
from scanning.idcard.record import IdCardRecord
from tests.printing.helpers import pdf_text
from workstation import printing_service
from workstation.devices import DeviceHub, ReaderState, start_simulated_devices
from workstation.qt import QApplication, QDialog, QMessageBox, QPushButton, Qt
from workstation.storage.api import Role
from workstation.ui.face_panel import FaceCheckPanel
from workstation.ui.main_window import MainWindow
from workstation.ui.wizard.pages import PartiesPage
from workstation.ui.wizard.wizard import CaseWizard

from .conftest import make_settings

cv2 = pytest.importorskip("cv2")
numpy = pytest.importorskip("numpy")
synth = pytest.importorskip("scanning.face.synth")

FACES = Path(__file__).resolve().parents[2] / "scanning" / "face" / "data"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
CARD = {"name": "张晓梅", "id_number": "330106198804120021", "sex": "female", "birth_date": "1988-04-12"}
CHECK_TIMEOUT_MS = 60_000


# ------------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def photos():
    return {name: cv2.imread(str(FACES / f"{name}.jpg")) for name in ("obama", "obama2", "biden")}


@pytest.fixture(scope="module")
def media(photos, tmp_path_factory) -> dict[str, Path]:
    """The reference scan (person A, chip-size crop) and two camera videos (person A, person B)."""
    folder = tmp_path_factory.mktemp("face-media")
    scan = folder / "card_scan.png"
    cv2.imwrite(str(scan), synth.chip_photo(photos["obama"]))
    videos = {}
    for person, photo in (("same", photos["obama2"]), ("other", photos["biden"])):
        frame = synth.face_frame(photo)
        videos[person] = synth.write_video(synth.blink_and_turn(frame), folder / f"{person}.avi")
    return {"scan": scan, **videos}


@pytest.fixture
def emulator() -> Iterator[ReaderEmulator]:
    with ReaderEmulator(None) as reader:  # no card until the test places one
        yield reader


@pytest.fixture
def hub(emulator, data_dir, media, qapp) -> Iterator[DeviceHub]:
    settings = make_settings(data_dir, idcard_port=emulator.port, camera=str(media["same"]))
    devices = DeviceHub(settings, passports=False)
    devices.start()
    yield devices
    devices.close()


@pytest.fixture
def window(qtbot, signed_in, hub) -> MainWindow:
    main = MainWindow(signed_in, idle_ms=0)
    qtbot.addWidget(main)
    main.attach_devices(hub)
    main.show()
    qtbot.waitUntil(lambda: hub.status.state is ReaderState.READY, timeout=10_000)
    return main


def open_parties(qtbot, window: MainWindow) -> CaseWizard:
    wizard = window.new_case()
    qtbot.addWidget(wizard)
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    types = wizard.pages["type"].types  # type: ignore[attr-defined]
    for row in range(types.count()):
        if types.item(row).data(Qt.ItemDataRole.UserRole) == "second_hand_sale":
            types.setCurrentRow(row)
    wizard.next()
    assert wizard.current_page_name() == "parties" and wizard.case_id is not None
    return wizard


def parties_page(wizard: CaseWizard) -> PartiesPage:
    page = wizard.pages["parties"]
    assert isinstance(page, PartiesPage)
    return page


def party(wizard: CaseWizard, index: int = 0) -> dict[str, Any]:
    parties: list[dict[str, Any]] = wizard.data["parties"]
    return parties[index]


def dialog(qtbot, page: PartiesPage, name: str) -> QMessageBox:
    qtbot.waitUntil(lambda: page.card_dialog is not None and page.card_dialog.isVisible(), timeout=10_000)
    box = page.card_dialog
    assert box is not None and box.objectName() == name
    return box


def click(box: QMessageBox, name: str) -> None:
    button = box.findChild(QPushButton, name)
    assert button is not None, name
    button.click()


# ------------------------------------------------------------------------------------ cards
def test_status_bar_shows_the_reader(window, hub, emulator, qtbot):
    label = window.reader_status
    assert label is not None
    # The hub's state changes on the monitor thread; the label follows when the signal arrives.
    qtbot.waitUntil(lambda: "已连接" in label.text(), timeout=10_000)
    assert "串口" in label.toolTip()
    emulator.place("resident")
    qtbot.waitUntil(lambda: label.text() == "读卡器：证件已读取", timeout=10_000)
    assert hub.status.state is ReaderState.CARD
    emulator.remove()
    qtbot.waitUntil(lambda: "已连接" in label.text(), timeout=10_000)


def test_missing_reader_says_what_to_check(qtbot, data_dir, qapp, tmp_path):
    settings = make_settings(data_dir, idcard_port=str(tmp_path / "ttyUSB9"))
    devices = DeviceHub(settings, passports=False)
    devices.start()
    try:
        qtbot.waitUntil(lambda: devices.status.state is ReaderState.MISSING, timeout=10_000)
        assert "找不到串口" in devices.status.detail and "设置" in devices.status.detail
    finally:
        devices.close()


def test_card_placed_fills_the_selected_party(qtbot, window, emulator):
    wizard = open_parties(qtbot, window)
    page = parties_page(wizard)
    page.add_buttons[0].click()  # 添加买受人
    emulator.place("resident")
    qtbot.waitUntil(lambda: party(wizard).get("name") == CARD["name"], timeout=10_000)
    assert {k: party(wizard)[k] for k in CARD} == CARD
    assert party(wizard)["address"].startswith("浙江省杭州市西湖区") and party(wizard)["nationality"] == "CHN"
    name_field = wizard.binder.widget("parties[0].name")
    assert name_field is not None and name_field.text() == CARD["name"]  # type: ignore[attr-defined]
    assert party(wizard)["id"] in page.document_photos  # the chip photo, for the face check
    assert page.card_dialog is None  # nothing typed: nothing to ask


def test_card_without_party_offers_to_add_one(qtbot, window, emulator):
    wizard = open_parties(qtbot, window)
    page = parties_page(wizard)
    assert not wizard.data.get("parties")
    emulator.place("resident_rare")
    box = dialog(qtbot, page, "cardAddParty")
    click(box, "cardAdd:buyer")
    assert len(wizard.data["parties"]) == 1
    assert party(wizard)["role"] == "right_holder" and party(wizard)["name"] == "王𠮷䶮"


def test_typed_data_is_not_overwritten_without_asking(qtbot, window, emulator):
    wizard = open_parties(qtbot, window)
    page = parties_page(wizard)
    page.add_buttons[0].click()  # 添加买受人
    wizard.binder.set_value("parties[0].name", "张小梅")  # typed, differs from the card
    wizard.binder.set_value("parties[0].phone", "13800000011")
    emulator.place("resident")
    box = dialog(qtbot, page, "cardConflict")
    assert "姓名/名称" in box.informativeText() and "张小梅" in box.informativeText()
    assert "张晓梅" in box.informativeText() and "电话" not in box.informativeText()
    assert party(wizard)["name"] == "张小梅"  # nothing changed while the clerk decides
    click(box, "cardKeep")
    assert party(wizard)["name"] == "张小梅" and party(wizard)["phone"] == "13800000011"
    assert party(wizard)["id_number"] == CARD["id_number"] and party(wizard)["sex"] == "female"  # empty ones

    page.card_dialog = None
    emulator.remove()
    qtbot.waitUntil(lambda: window.reader_status is not None and "已连接" in window.reader_status.text())
    emulator.place("resident")
    box = dialog(qtbot, page, "cardConflict")
    click(box, "cardOverwrite")
    assert party(wizard)["name"] == CARD["name"] and party(wizard)["phone"] == "13800000011"


def test_passport_read_fills_the_party_and_keeps_dg2_for_the_face_check(qtbot, window, hub):
    from scanning.passport.lds import FaceImage, ImageType
    from scanning.passport.mrz import parse_td3
    from scanning.passport.record import PassportRecord
    from scanning.passport.virtual import Holder, face_jpeg

    wizard = open_parties(qtbot, window)
    page = parties_page(wizard)
    page.add_buttons[0].click()
    record = PassportRecord(
        mrz=parse_td3("\n".join(Holder().mrz_lines())),
        face=FaceImage(face_jpeg(), ImageType.JPEG, 120, 150),
        birth_date=date(1974, 8, 12),
        expiry_date=date(2034, 4, 15),
        data_groups=(1, 2),
        hashes_verified=True,
        signer_subject="CN=test",
    )
    hub.passport_read.emit(record)  # not asked for: ignored
    assert party(wizard)["name"] == ""
    page.awaiting_passport = True  # as after the clerk typed the MRZ (ask_passport_mrz)
    hub.passport_read.emit(record)
    assert party(wizard)["id_type"] == "passport" and party(wizard)["id_number"] == "L898902C3"
    assert party(wizard)["name"] == "ERIKSSON ANNA MARIA" and party(wizard)["nationality"] == "UTO"
    assert party(wizard)["birth_date"] == "1974-08-12" and party(wizard)["sex"] == "female"
    panel = page.open_face_check(0)
    assert panel is not None and panel.reference.text() == "比对照片：护照芯片照片"
    panel.reject()


# ------------------------------------------------------------------------------------ face check
def filled_party(qtbot, window, emulator) -> tuple[CaseWizard, PartiesPage]:
    wizard = open_parties(qtbot, window)
    page = parties_page(wizard)
    page.add_buttons[0].click()  # 添加买受人
    emulator.place("resident")
    qtbot.waitUntil(lambda: party(wizard).get("name") == CARD["name"], timeout=10_000)
    return wizard, page


def run_panel(qtbot, page: PartiesPage, scan: Path) -> FaceCheckPanel:
    qtbot.keyClick(
        page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    panel = page.face_panel
    assert panel is not None and panel.isVisible()
    assert "照片解码库" in panel.reference.text()  # the emulator's chip photo needs a vendor decoder
    panel.use_scan_file(scan)
    assert panel.reference.text().startswith("比对照片：证件扫描件")
    panel.start_button.click()
    qtbot.waitUntil(lambda: panel.check is not None, timeout=CHECK_TIMEOUT_MS)
    return panel


def test_face_check_same_person_accepted_and_stored_encrypted(
    qtbot, window, emulator, media, signed_in, data_dir
):
    wizard, page = filled_party(qtbot, window, emulator)
    panel = run_panel(qtbot, page, media["scan"])
    assert panel.check is not None and panel.check.decision == "accepted"
    assert panel.verdict.text() == "核验通过" and "距离 0." in panel.score.text()
    assert panel.live.pixmap() is not None and not panel.live.pixmap().isNull()  # frames were shown
    assert not panel.override_button.isEnabled()
    editor = page.editors.widget(1)
    assert editor.face_status.text() == "核验通过"  # type: ignore[union-attr]

    store = signed_in.store
    [stored] = store.identity_checks(wizard.case_id)
    assert stored.decision == "accepted" and stored.party_id == party(wizard)["id"]
    live, reference = store.identity_check_images(stored.id)
    assert live and live.startswith(b"\xff\xd8") and reference and reference.startswith(b"\xff\xd8")
    raw = (data_dir / "yichuang.db").read_bytes()
    for image in (live, reference):
        assert image[200:264] not in raw

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert panel.grab().save(str(SCREENSHOTS / "face.png"))


def test_other_person_rejected_and_only_a_supervisor_overrides(
    qtbot, window, emulator, hub, media, signed_in, settings
):
    store = signed_in.store
    store.add_user(username="zhang", display_name="张主管", password="supervisor-pass", role=Role.SUPERVISOR)
    hub.face = hub.face.model_copy(update={"camera": str(media["other"])})
    wizard, page = filled_party(qtbot, window, emulator)
    panel = run_panel(qtbot, page, media["scan"])
    assert panel.check is not None and panel.check.decision == "rejected"
    assert panel.verdict.text() == "核验未通过" and "不一致" in panel.score.text()
    assert panel.override_button.isEnabled()

    override = panel.open_override()
    assert override is not None
    override.username.setText("clerk")  # the clerk's own, correct password
    override.password.setText("window-03-pass")
    override.reason.setPlainText("已核对户口簿")
    override.submit()
    assert "不是主管" in override.error.text() and override.isVisible()
    override.username.setText("zhang")
    override.password.setText("supervisor-pass")
    override.reason.setPlainText("")
    override.submit()
    assert "放行理由" in override.error.text()
    assert store.identity_checks(wizard.case_id)[0].decision == "rejected"

    override.password.setText("supervisor-pass")
    override.reason.setPlainText("已核对户口簿等有效证件，确认为本人")
    override.submit()
    assert override.result() == QDialog.DialogCode.Accepted
    [stored] = store.identity_checks(wizard.case_id)
    assert stored.decision == "overridden" and stored.supervisor_name == "张主管"
    assert panel.verdict.text() == "主管人工核验通过"
    editor = page.editors.widget(1)
    assert editor.face_status.text() == "主管人工核验通过"  # type: ignore[union-attr]

    wizard.journal()
    case = Case.model_validate(wizard.data)
    ctx = printing_service.build_context(
        case,
        store=store,
        settings=settings,
        catalog=signed_in.catalog,
        user=signed_in.user,
        delivered=False,
        today=date(2025, 9, 30),
    )
    text = pdf_text(render("idcheck", case, ctx)).replace(" ", "").replace("\n", "")
    assert "张晓梅" in text and "主管人工核验通过" in text and "已核对户口簿等有效证件" in text


# ------------------------------------------------------------------------------------ demo
def test_simulated_devices_read_the_card_and_decode_its_photo(qtbot, data_dir, qapp):
    settings = make_settings(data_dir, simulate_devices=True)
    simulated = start_simulated_devices(settings, cycle=None)
    devices = DeviceHub(settings, simulated=simulated, passports=False)
    records: list[object] = []
    devices.card_placed.connect(records.append)
    devices.start()
    try:
        qtbot.waitUntil(lambda: devices.status.state is ReaderState.READY, timeout=10_000)
        simulated.emulator.place(simulated.fixture)
        qtbot.waitUntil(lambda: bool(records), timeout=10_000)
        record = records[0]
        assert isinstance(record, IdCardRecord)
        bmp = devices.wlt_decoder.decode(record.photo_wlt)
        assert bmp.startswith(b"BM")
        decoded = cv2.imdecode(numpy.frombuffer(bmp, "uint8"), cv2.IMREAD_COLOR)
        assert decoded.shape == (126, 102, 3)
        # The demo's face check: chip photo through the demo decoder, the synthesised camera video.
        from scanning.face.matcher import Reference
        from scanning.face.record import Decision
        from workstation import identity_service

        data, source = identity_service.choose_reference(
            identity_service.id_card_photo(record), decoder=devices.wlt_decoder
        )
        assert source is ReferenceSource.ID_CHIP
        camera = devices.open_camera()
        try:
            checked = identity_service.run_check(
                camera,
                Reference.from_bytes(data, source),
                party_id="p1",
                document_type=record.id_type,
                settings=devices.face,
            )
        finally:
            camera.close()
        assert checked.decision is Decision.ACCEPTED, checked.reasons
    finally:
        devices.close()
        simulated.close()
    assert QApplication.instance() is not None
