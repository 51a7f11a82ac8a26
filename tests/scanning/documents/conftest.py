from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanning.documents import synthetic

SANE_TEST_CONF = """\
number_of_devices 2
mode Gray
depth 8
resolution 75.0
test-picture "Grid"
geometry_min 0.0
geometry_max 300.0
geometry_quant 1.0
tl_x 0.0
tl_y 0.0
br_x 210.0
br_y 297.0
"""


@pytest.fixture(scope="session")
def sane_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A SANE config folder with only the ``test`` and ``pnm`` backends, A4 fitting the test scanner."""
    try:
        import sane  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        message = "python-sane and libsane1 are needed for the SANE tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("sane.d")
    (folder / "dll.conf").write_text("test\npnm\n")
    (folder / "test.conf").write_text(SANE_TEST_CONF)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SANE_CONFIG_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def cjk_font() -> Path:
    if not synthetic.CJK_FONT.exists():
        pytest.fail(f"{synthetic.CJK_FONT} is missing: install Debian fonts-noto-cjk")
    return synthetic.CJK_FONT


@pytest.fixture(scope="session")
def text_page_300(cjk_font: Path):
    return synthetic.text_page(chars=1000, dpi=300)


@pytest.fixture(scope="session")
def text_page_150(cjk_font: Path):
    return synthetic.text_page(chars=600, dpi=150, seed=5)


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install Debian poppler-utils")
    return path


os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
