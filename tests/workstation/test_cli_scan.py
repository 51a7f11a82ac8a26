"""``yichuang scan`` in-process through :func:`workstation.cli.main`, with SANE's test backend and files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from scanning.documents import synthetic
from tests.scanning.documents.conftest import SANE_TEST_CONF
from workstation.cli import EXIT_ERROR, EXIT_OK, main


@pytest.fixture(scope="module")
def sane_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    pytest.importorskip("sane")
    folder = tmp_path_factory.mktemp("sane.d")
    (folder / "dll.conf").write_text("test\npnm\n")
    (folder / "test.conf").write_text(SANE_TEST_CONF)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SANE_CONFIG_DIR", str(folder))
        yield folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office_profiles(data_dir: Path, tmp_path: Path) -> Path:
    """An office profiles file with a fast grey profile, named in office.toml (setting scan_profiles_file)."""
    profiles = tmp_path / "profiles.json"
    profiles.write_text(
        '{"profiles": [{"id": "fast", "title": "快速灰度", "resolution": 100, "colour": "grey",'
        ' "duplex": false, "detect_codes": false}]}',
        encoding="utf-8",
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "office.toml").write_text(
        f'version = 1\nscan_profiles_file = "{profiles}"\n', encoding="utf-8"
    )
    return profiles


def test_sane_feeder_to_pdf(sane_env: Path, office_profiles: Path, capsys, tmp_path: Path) -> None:
    out = tmp_path / "stack.pdf"
    code, stdout, err = run(capsys, "scan", "--device", "test:0", "--profile", "fast", "--out", str(out))
    assert code == EXIT_OK, err
    assert f"已保存 10 页到 {out}" in stdout
    assert "已扫描第 10 页" in err
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 10


def test_file_import_to_pdf(office_profiles: Path, capsys, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for n in range(2):
        page = synthetic.blank_page(dpi=100)
        page[120:300, 100:600] = 0
        Image.fromarray(page).save(folder / f"{n}.png", dpi=(100, 100))
    Image.fromarray(synthetic.blank_page(dpi=100)).save(folder / "9-blank.png", dpi=(100, 100))
    out = tmp_path / "import.pdf"
    code, stdout, err = run(
        capsys, "scan", "--device", f"file:{folder}", "--profile", "fast", "--out", str(out)
    )
    assert code == EXIT_OK, err
    assert "已保存 2 页" in stdout and "去除空白页 1 页" in stdout
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 2


def test_errors_are_messages(office_profiles: Path, capsys, tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "scan", "--device", "file:/nonexistent/x", "--profile", "fast", "--out", "a.pdf"
    )
    assert code == EXIT_ERROR and "找不到要导入的文件或文件夹" in err
    code, _, err = run(
        capsys, "scan", "--device", "test:0", "--profile", "nosuch", "--out", str(tmp_path / "a.pdf")
    )
    assert code == EXIT_ERROR and "没有名为“nosuch”的扫描方案" in err
    code, _, err = run(capsys, "scan", "--profile", "fast", "--out", str(tmp_path / "a.pdf"))
    assert code == EXIT_ERROR and "--device" in err
    code, _, err = run(capsys, "scan", "--device", "test:0", "--out", str(tmp_path / "a.png"))
    assert code == EXIT_ERROR and ".pdf" in err


def test_list(sane_env: Path, office_profiles: Path, capsys) -> None:
    code, stdout, err = run(capsys, "scan", "--list")
    assert code == EXIT_OK, err
    assert "test:0" in stdout and "fast\t快速灰度" in stdout and "document" in stdout
