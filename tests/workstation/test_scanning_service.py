"""The workstation's scanning service: sealed batch on disk, crash recovery, encrypted attachments."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from argon2 import PasswordHasher
from PIL import Image

from scanning.documents import (
    ColourMode,
    DetectedCode,
    FileImportDriver,
    SaneDriver,
    load_profiles,
    synthetic,
)
from scanning.documents.profiles import ScanProfile
from scanning.errors import RecoveryError
from tests.scanning.documents.conftest import SANE_TEST_CONF
from workstation import scanning_service as svc
from workstation.config import Settings
from workstation.storage.api import Role, User
from workstation.storage.errors import AttachmentNotFound, CaseNotFound, DecryptionFailed
from workstation.storage.store import SqlStore, open_store

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ROOT = Path(__file__).resolve().parents[2]


def make_settings(data_dir: Path) -> Settings:
    return Settings.model_validate(
        {
            "database_url": f"sqlite:///{data_dir / 'yichuang.db'}",
            "office_code": "11010501",
            "window_id": "03",
            "key_protector": "file",
        }
    )


@pytest.fixture(scope="module")
def sane_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """SANE's ``test`` and ``pnm`` backends only, A4 fitting (as tests/scanning/documents/conftest.py)."""
    pytest.importorskip("sane")
    folder = tmp_path_factory.mktemp("sane.d")
    (folder / "dll.conf").write_text("test\npnm\n")
    (folder / "test.conf").write_text(SANE_TEST_CONF)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SANE_CONFIG_DIR", str(folder))
        yield folder


@pytest.fixture
def store(data_dir: Path) -> Iterator[SqlStore]:
    data_dir.mkdir(parents=True, exist_ok=True)
    opened = open_store(make_settings(data_dir), data_dir=data_dir, hasher=FAST_HASHER)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def clerk(store: SqlStore) -> User:
    return store.add_user(username="clerk", display_name="王受理", password="window-03-pass", role=Role.CLERK)


@pytest.fixture
def case_id(store: SqlStore, clerk: User) -> uuid.UUID:
    return store.create_case(business_type="second_hand_sale", user=clerk).id


def grey_profile(**changes: object) -> ScanProfile:
    values: dict[str, object] = {
        "resolution": 100,
        "colour": ColourMode.GREY,
        "detect_codes": False,
        "duplex": False,
    }
    values.update(changes)
    return load_profiles().customise("document", **values)


def page_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("page-*.sealed"))


# --------------------------------------------------------------------------------- store
def test_seal_is_bound_to_its_purpose(store: SqlStore) -> None:
    blob = store.seal(b"page bytes", "scan:a")
    assert b"page bytes" not in blob
    assert store.unseal(blob, "scan:a") == b"page bytes"
    with pytest.raises(DecryptionFailed):
        store.unseal(blob, "scan:b")


def test_attachments_round_trip_encrypted(
    store: SqlStore, clerk: User, case_id: uuid.UUID, data_dir: Path
) -> None:
    document = b"%PDF-1.4 contract of sale " + os.urandom(64)
    first = store.add_attachment(case_id, material_code="sale_contract", data=document, pages=3, user=clerk)
    second = store.add_attachment(case_id, material_code="applicant_id", data=b"%PDF id", pages=1, user=clerk)
    assert [a.id for a in store.attachments(case_id)] == [first.id, second.id]
    assert first.pages == 3 and first.size == len(document) and first.user_id == clerk.id
    assert store.attachment_data(first.id) == document
    store.close()
    assert document[-64:] not in (data_dir / "yichuang.db").read_bytes()
    store.delete_attachment(first.id)
    with pytest.raises(AttachmentNotFound, match="找不到扫描件"):
        store.attachment_data(first.id)
    store.delete_attachment(first.id)  # gone already: nothing happens
    assert [a.id for a in store.attachments(case_id)] == [second.id]
    with pytest.raises(CaseNotFound):
        store.add_attachment(uuid.uuid4(), material_code="x", data=b"x", pages=1, user=clerk)


# --------------------------------------------------------------------------------- batch
def test_scan_feeder_into_material_then_store(
    sane_env: Path, store: SqlStore, clerk: User, case_id: uuid.UUID, data_dir: Path
) -> None:
    batch = svc.ScanBatch.for_case(store, case_id, data_dir)
    arrived: list[svc.ArrivedPage] = []
    outcome = batch.scan(
        SaneDriver({"test-picture": "Grid"}),
        "test:0",
        grey_profile(),
        material="sale_contract",
        on_page=arrived.append,
    )
    assert (outcome.captured, outcome.kept, outcome.next_index) == (10, 10, 10)
    assert outcome.materials == {"sale_contract"}
    assert [a.key for a in arrived] == [svc.page_key(i, 0) for i in range(10)]
    assert arrived[0].thumbnail.shape[0] == svc.THUMBNAIL_HEIGHT
    files = page_files(batch.folder)
    assert len(files) == 10
    for path in files:  # sealed: no JPEG/TIFF header, no page bytes in clear
        raw = path.read_bytes()
        assert b"JFIF" not in raw and b"II*\x00" not in raw
    # Two pages go to another item; one is deleted.
    keys = [p.key for p in batch.pages()]
    assert batch.assign(keys[8:], "applicant_id") == {"sale_contract", "applicant_id"}
    assert batch.delete([keys[7]]) == {"sale_contract"}
    scans = svc.store_materials(store, batch, case_id, batch.materials(), user=clerk)
    assert scans["sale_contract"].pages == 7 and scans["applicant_id"].pages == 2
    pdf = pikepdf.open(io.BytesIO(store.attachment_data(scans["sale_contract"].attachment_ids[0])))
    assert len(pdf.pages) == 7
    # Re-storing after a change replaces the batch's attachment (one per item, not one per save).
    batch.assign([keys[0]], None)
    again = svc.store_materials(store, batch, case_id, {"sale_contract"}, user=clerk)
    assert again["sale_contract"].pages == 6 and len(again["sale_contract"].attachment_ids) == 1
    assert again["sale_contract"].attachment_ids != scans["sale_contract"].attachment_ids
    # The case data follows the stored scans.
    materials: list[dict[str, object]] = [
        {"code": "sale_contract", "received": False, "attachment_ids": []},
        {"code": "title_certificate"},
    ]
    changes = svc.apply_scans(materials, again)
    assert (0, "attachment_ids", list(again["sale_contract"].attachment_ids)) in changes
    assert (0, "pages", 6) in changes and (0, "received", True) in changes
    assert not [c for c in changes if c[0] == 1]
    store.close()
    db = (data_dir / "yichuang.db").read_bytes()
    assert b"%PDF" not in db and b"JFIF" not in db


def test_rotate_and_move_and_restore(
    store: SqlStore, case_id: uuid.UUID, data_dir: Path, tmp_path: Path
) -> None:
    for n in range(3):
        page = synthetic.blank_page(dpi=100)
        page[100:400, 80 + 40 * n : 700] = 0  # a mark, so the page is not dropped as blank
        Image.fromarray(page).save(tmp_path / f"p{n}.png", dpi=(100, 100))
    batch = svc.ScanBatch.for_case(store, case_id, data_dir)
    outcome = batch.scan(
        FileImportDriver(), str(tmp_path), grey_profile(colour=ColourMode.AUTO), material="sale_contract"
    )
    assert outcome.kept == 3
    keys = [p.key for p in batch.pages()]
    before = batch.pages()[0].encoded
    batch.rotate(keys[0])
    turned = batch.pages()[0].encoded
    assert (turned.width, turned.height) == (before.height, before.width)
    expected, got = np.rot90(svc.decode(before), k=-1).astype(int), svc.decode(turned).astype(int)
    if before.mode is ColourMode.BILEVEL:
        assert np.array_equal(expected, got)
    else:
        assert np.abs(expected - got).mean() < 3
    batch.move([keys[2]], 0)
    batch.delete([keys[1]])
    again = svc.ScanBatch.for_case(store, case_id, data_dir)
    assert again.restore() == 2
    assert [p.key for p in again.pages()] == [keys[2], keys[0]]
    assert again.pages()[1].encoded == turned
    assert {p.material for p in again.pages()} == {"sale_contract"}
    assert again.next_index == 3
    # Another case's key does not open this case's pages.
    other = svc.ScanBatch(
        again.folder, seal=lambda b: store.seal(b, "scan:x"), unseal=lambda b: store.unseal(b, "scan:x")
    )
    with pytest.raises(RecoveryError):
        other.restore()
    again.clear()
    assert not again.folder.exists()


def test_rescan_one_page_keeps_its_place(
    sane_env: Path, store: SqlStore, case_id: uuid.UUID, data_dir: Path
) -> None:
    batch = svc.ScanBatch.for_case(store, case_id, data_dir)
    driver = SaneDriver({"test-picture": "Grid"})
    profile = grey_profile()
    batch.scan(driver, "test:0", profile, material="sale_contract")
    keys = [p.key for p in batch.pages()]
    old = batch.pages()[4].encoded
    arrived: list[svc.ArrivedPage] = []
    outcome = batch.scan(
        driver, "test:0", grey_profile(resolution=75), rescan=keys[4], on_page=arrived.append
    )
    assert outcome.captured == 1 and arrived[0].replaces == keys[4]
    pages = batch.pages()
    assert [p.key for p in pages] == keys and pages[4].material == "sale_contract"
    assert pages[4].encoded != old and pages[4].encoded.dpi == 75
    assert batch.next_index == 10


def test_kill_9_mid_scan_restores_pages_and_continues(
    sane_env: Path, store: SqlStore, case_id: uuid.UUID, data_dir: Path
) -> None:
    script = textwrap.dedent(
        f"""
        import os, signal, uuid
        from pathlib import Path
        from argon2 import PasswordHasher
        from scanning.documents import ColourMode, SaneDriver, load_profiles
        from workstation import scanning_service as svc
        from workstation.config import Settings
        from workstation.storage.store import open_store

        data_dir = Path({str(data_dir)!r})
        settings = Settings.model_validate({{
            "database_url": f"sqlite:///{{data_dir / 'yichuang.db'}}",
            "office_code": "11010501", "window_id": "03", "key_protector": "file"}})
        store = open_store(settings, data_dir=data_dir)
        batch = svc.ScanBatch.for_case(store, uuid.UUID({str(case_id)!r}), data_dir)
        profile = load_profiles().customise(
            "document", resolution=100, colour=ColourMode.GREY, detect_codes=False, duplex=False)
        def arrived(page):
            if page.source_index == 2:
                os.kill(os.getpid(), signal.SIGKILL)
        driver = SaneDriver({{"test-picture": "Grid"}})
        batch.scan(driver, "test:0", profile, material="sale_contract", on_page=arrived)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120)
    assert result.returncode == -9, result.stderr.decode()
    batch = svc.ScanBatch.for_case(store, case_id, data_dir)
    assert batch.restore() == 3
    assert batch.next_index == 3
    assert {p.material for p in batch.pages()} == {"sale_contract"}
    arrived: list[svc.ArrivedPage] = []
    batch.scan(
        SaneDriver({"test-picture": "Grid"}),
        "test:0",
        grey_profile(),
        material="sale_contract",
        on_page=arrived.append,
    )
    assert arrived[0].source_index == 3
    assert len(batch.pages()) == 13


def test_cancel_keeps_pages_before_it(
    sane_env: Path, store: SqlStore, case_id: uuid.UUID, data_dir: Path
) -> None:
    from scanning.documents import CancelToken

    token = CancelToken()
    batch = svc.ScanBatch.for_case(store, case_id, data_dir)

    def arrived(page: svc.ArrivedPage) -> None:
        if page.source_index == 1:
            token.cancel()

    outcome = batch.scan(SaneDriver(), "test:0", grey_profile(), cancel=token, on_page=arrived)
    assert outcome.cancelled and outcome.kept == 2 and outcome.next_index == 2
    assert all(p.material is None for p in batch.pages())


def test_filing_number_suggestion() -> None:
    box = ((0, 0), (10, 0), (10, 10), (0, 10))
    codes = [
        DetectedCode("https://example.org/x?id=1", "QRCode", box),
        DetectedCode("YS2025-001234", "QRCode", box),
        DetectedCode("two words", "Code128", box),
    ]
    [found] = svc.suggestions(codes, "0.0")
    assert found.path == "transaction.contract_filing_number" and found.value == "YS2025-001234"


def test_sealed_contract_is_stored_as_two_layers_and_turns(
    store: SqlStore, clerk: User, case_id: uuid.UUID, data_dir: Path, tmp_path: Path
) -> None:
    page = synthetic.add_red_seal(synthetic.text_page(chars=400, dpi=200, seed=3), 200)
    Image.fromarray(page).save(tmp_path / "sealed.png", dpi=(200, 200))
    batch = svc.ScanBatch.for_case(store, case_id, data_dir)
    batch.scan(
        FileImportDriver(), str(tmp_path), grey_profile(colour=ColourMode.AUTO), material="sale_contract"
    )
    [captured] = batch.pages()
    assert captured.encoded.mode is ColourMode.MIXED
    batch.rotate(captured.key, 2)
    again = svc.ScanBatch.for_case(store, case_id, data_dir)
    assert again.restore() == 1
    turned = again.pages()[0].encoded
    assert turned.mode is ColourMode.MIXED and turned.mask is not None
    # Upside down: the seal (bottom right) is now top left, still red.
    pixels = svc.decode(turned)
    h, w = pixels.shape[:2]
    corner = pixels[: h // 2, : w // 2].astype(int)
    assert ((corner[..., 0] > 150) & (corner[..., 1] < 110) & (corner[..., 2] < 110)).sum() > 500
    scans = svc.store_materials(store, again, case_id, {"sale_contract"}, user=clerk)
    data = store.attachment_data(scans["sale_contract"].attachment_ids[0])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        images = pdf.pages[0].Resources.XObject
        assert images.Bg.Filter == pikepdf.Name.DCTDecode and images.Bg.read_raw_bytes() == turned.data
        assert bool(images.Fg.ImageMask) and images.Fg.Filter == pikepdf.Name.CCITTFaxDecode
