from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanning.documents import synthetic
from scanning.documents.files import FileImportDriver
from scanning.documents.model import ColourMode
from scanning.documents.profiles import load_profiles
from scanning.documents.scan import scan_to_pdf
from scanning.documents.sink import DirectorySink, PageRecord, recover
from scanning.errors import PaperJam, ProfileError, ProfileLocked, RecoveryError


def test_builtin_profiles_cover_the_catalog_materials():
    profiles = load_profiles()
    assert {p.id for p in profiles} >= {"document", "certificate", "identity", "booklet"}
    assert profiles.for_material("title_certificate").id == "certificate"
    assert profiles.for_material("household_register").split_spreads
    assert profiles.for_material("something_new").id == "archive"


def test_office_file_and_policy_layers(tmp_path):
    office = tmp_path / "office.json"
    office.write_text(json.dumps({"profiles": [{"id": "document", "resolution": 200}]}), encoding="utf-8")
    policy = {"profiles": {"identity": {"resolution": 600, "locked": True}}}
    profiles = load_profiles(office, policy)
    assert profiles.get("document").resolution == 200
    assert profiles.get("document").title  # the rest comes from the built-in profile
    assert profiles.get("identity").resolution == 600
    with pytest.raises(ProfileLocked, match="分辨率"):
        profiles.customise("identity", resolution=150)
    assert profiles.customise("document", colour=ColourMode.GREY).colour is ColourMode.GREY


def test_invalid_profiles_are_reported_in_chinese(tmp_path):
    with pytest.raises(ProfileError, match="分辨率"):
        load_profiles(policy={"profiles": {"document": {"resolution": 5}}})
    with pytest.raises(ProfileError, match="不存在"):
        load_profiles(policy={"profiles": {"nope": {"locked": True}}})
    with pytest.raises(ProfileError, match="没有名为"):
        load_profiles().get("nope")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"bad\.json"):
        load_profiles(bad)


def seal(data: bytes) -> bytes:
    return bytes(b ^ 0x5A for b in data)[::-1]


def unseal(data: bytes) -> bytes:
    return bytes(b ^ 0x5A for b in data[::-1])


class CrashingDriver(FileImportDriver):
    """File import that fails after ``fail_after`` pages, as a jammed feeder would."""

    def __init__(self, fail_after: int) -> None:
        self.fail_after = fail_after

    def scan(self, device, options, cancel=None, progress=None):
        for page in super().scan(device, options, cancel, progress):
            if page.index >= self.fail_after:
                raise PaperJam("卡纸")
            yield page


def _stack(tmp_path: Path, n: int) -> Path:
    from PIL import Image

    folder = tmp_path / "stack"
    folder.mkdir()
    for k in range(n):
        page = synthetic.text_page(chars=150 + 40 * k, dpi=100, seed=30 + k)
        Image.fromarray(page).save(folder / f"p{k}.png", dpi=(100, 100))
    return folder


def test_crash_then_recover_and_resume(tmp_path):
    folder = _stack(tmp_path, 4)
    profile = load_profiles().customise("document", resolution=100, detect_codes=False)
    sink = DirectorySink(tmp_path / "recovery", seal)
    with pytest.raises(PaperJam):
        scan_to_pdf(CrashingDriver(2), str(folder), profile, tmp_path / "out.pdf", sink=sink)
    stored = sorted(p.name for p in (tmp_path / "recovery").iterdir())
    assert stored == ["page-000000.sealed", "page-000001.sealed"]
    # What is on disk is sealed, not the plain record.
    assert not (tmp_path / "recovery" / stored[0]).read_bytes().startswith(b'{"v"')

    restored = recover(tmp_path / "recovery", unseal)
    assert restored.next_index == 2 and len(restored.pages) == 2

    class Remaining(FileImportDriver):
        def scan(self, device, options, cancel=None, progress=None):
            # The clerk puts the rest of the stack back; the driver numbers from next_index.
            for page in super().scan(device, options, cancel, progress):
                if page.index >= 2 + 2:
                    return
                yield page

    remaining = tmp_path / "rest"
    remaining.mkdir()
    for name in ("p2.png", "p3.png"):
        (remaining / name).write_bytes((folder / name).read_bytes())
    result = scan_to_pdf(
        Remaining(), str(remaining), profile, tmp_path / "out.pdf", sink=sink, resume=restored
    )
    assert result.pages == 4 and result.captured == 2 and result.next_index == 4
    assert len(recover(tmp_path / "recovery", unseal).records) == 4
    sink.clear()
    assert recover(tmp_path / "recovery", unseal).next_index == 0


def test_recovery_ignores_partial_writes_and_rejects_wrong_key(tmp_path):
    sink = DirectorySink(tmp_path, seal)
    sink.write(0, PageRecord(0, ()).pack())
    (tmp_path / "page-000001.tmp").write_bytes(b"half")
    assert recover(tmp_path, unseal).next_index == 1
    with pytest.raises(RecoveryError, match="第 1 页"):
        recover(tmp_path, lambda b: b)
