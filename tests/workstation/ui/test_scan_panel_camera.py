"""The document camera (高拍仪) in the scanning panel: shots saved into its folder become pages.

The camera's driver saves each shot as a file in a folder (``scan_watched_folder``); the panel
watches it through :class:`scanning.documents.WatchedFolderDriver` on the device pool, offscreen Qt.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from scanning.documents import synthetic
from workstation import scanning_service as svc
from workstation.config import Settings
from workstation.qt import Qt
from workstation.session import Session
from workstation.ui.wizard.wizard import CaseWizard

from .conftest import make_settings
from .helpers import type_list
from .test_scan_panel import choose, panel_of, row_of, thumbnails


@pytest.fixture
def camera(tmp_path: Path) -> Path:
    folder = tmp_path / "camera"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(data_dir: Path, tmp_path: Path, camera: Path) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    profiles = tmp_path / "profiles.json"
    profiles.write_text(
        '{"profiles": [{"id": "document", "title": "一般文书（合同、申请书）", "resolution": 150,'
        ' "colour": "grey", "duplex": false}]}',
        encoding="utf-8",
    )
    return make_settings(data_dir, scan_profiles_file=str(profiles), scan_watched_folder=str(camera))


@pytest.fixture
def wizard(qtbot, signed_in: Session) -> CaseWizard:
    w = CaseWizard(signed_in)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    types = type_list(w)
    ids = [types.item(i).data(Qt.ItemDataRole.UserRole) for i in range(types.count())]  # type: ignore[union-attr]
    types.setCurrentRow(ids.index("second_hand_sale"))
    w.next()
    w.go_to("materials")
    assert w.current_page_name() == "materials"
    return w


def shot(seed: int) -> bytes:
    """A phone-camera-like JPEG of a contract page (150 dpi, slightly tilted, noisy)."""
    page = synthetic.add_noise(synthetic.skew(synthetic.text_page(chars=300, dpi=150, seed=seed), 2.0), 5.0)
    out = io.BytesIO()
    Image.fromarray(page).save(out, format="JPEG", quality=85, dpi=(150, 150))
    return out.getvalue()


def test_camera_shots_appear_as_pages_and_go_to_a_checklist_item(
    qtbot, wizard: CaseWizard, signed_in: Session, camera: Path
):
    (camera / "old-shot.jpg").write_bytes(shot(1))  # taken before: not part of this case
    panel = panel_of(wizard)
    spec = f"folder:{camera}"
    assert panel.device.findData(spec) >= 0 and "高拍仪" in panel.device.itemText(panel.device.findData(spec))
    choose(panel, device=spec, target="")  # （暂不分配）: the clerk sorts the shots afterwards
    with qtbot.waitSignal(
        panel.relay.progressed, timeout=10000, check_params_cb=lambda index, fraction: fraction == 0.0
    ):
        assert panel.start_scan()  # the folder is being watched once the driver reports page 1
    assert "高拍仪" in panel.status.text()

    # The camera writes its first shot in two goes (still saving), then a second one at once.
    first, second = shot(2), shot(3)
    with open(camera / "IMG_0001.jpg", "wb") as fh:
        fh.write(first[: len(first) // 2])
        fh.flush()
        qtbot.wait(150)
        fh.write(first[len(first) // 2 :])
    (camera / "IMG_0002.jpg").write_bytes(second)
    qtbot.waitUntil(lambda: panel.pages.count() == 2, timeout=15000)
    assert panel.scanning  # still watching for more shots
    assert not panel.pages.item(0).icon().isNull()  # type: ignore[union-attr]

    # Esc ends the watching; the two pages are kept, on no item yet.
    with qtbot.waitSignal(panel.scan_finished, timeout=10000) as blocker:
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    outcome = blocker.args[0]
    assert isinstance(outcome, svc.ScanOutcome)
    assert (outcome.captured, outcome.kept, outcome.materials) == (2, 2, frozenset())
    contract = row_of(wizard, "sale_contract")
    assert not wizard.data["materials"][contract].get("attachment_ids")

    # Both pages go to the contract with its number key: the checklist ticks itself.
    panel.pages.setFocus()
    for n in (0, 1):
        panel.pages.item(n).setSelected(True)  # type: ignore[union-attr]
    qtbot.keyClick(panel.pages, Qt.Key(Qt.Key.Key_1 + contract))
    qtbot.waitUntil(lambda: wizard.data["materials"][contract]["pages"] == 2, timeout=5000)
    record = wizard.data["materials"][contract]
    assert record["received"] is True and len(record["attachment_ids"]) == 1
    assert all("合同" in text for text in thumbnails(panel))
    data = signed_in.store.attachment_data(record["attachment_ids"][0])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2  # the old shot was not imported
    assert wizard.case_id is not None
    # The camera's files stay where the camera put them; the pages live in the case, encrypted.
    assert sorted(p.name for p in camera.iterdir()) == ["IMG_0001.jpg", "IMG_0002.jpg", "old-shot.jpg"]
