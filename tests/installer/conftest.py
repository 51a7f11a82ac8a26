"""The frozen build and the MSI, built once per test session (``installer/build``, lean freeze).

Needs the Debian packages ``wixl`` and ``msitools`` (wixl, msibuild, msiinfo, msiextract) and
PyInstaller (``installer/build`` installs its pin when missing). Without the tools the tests are
skipped, except under CI (``CI`` set), where they fail. Select them with ``-m installer``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("wixl", "msibuild", "msiinfo", "msiextract")


@dataclass(frozen=True)
class Build:
    """What ``installer/build`` produced."""

    dist: Path
    frozen: Path
    msi: Path
    file_list: list[str]
    wxs: Path
    version: str


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"missing {', '.join(missing)}: apt-get install wixl msitools"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Freeze (lean) and build the MSI once for the session."""
    _require_tools()
    from workstation import __version__

    base = tmp_path_factory.mktemp("installer")
    dist, work = base / "dist", base / "build"
    env = dict(os.environ, PYTHON=sys.executable, YICHUANG_DIST=str(dist), YICHUANG_BUILD=str(work))
    env["YICHUANG_FREEZE_LEAN"] = "1"
    result = subprocess.run(
        ["bash", str(ROOT / "installer" / "build")], env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        pytest.fail(
            f"installer/build failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    file_list = (dist / f"yichuang-{__version__}.files.txt").read_text(encoding="utf-8").splitlines()
    return Build(
        dist=dist,
        frozen=dist / "yichuang",
        msi=dist / f"yichuang-{__version__}.msi",
        file_list=file_list,
        wxs=work / "yichuang.wxs",
        version=__version__,
    )


def msi_table(msi: Path, table: str) -> list[dict[str, str]]:
    """One table of the MSI as rows (``msiinfo export``: names, types, key line, then rows)."""
    # Tables with binary columns (Icon) also write their streams to ./<table>/: run beside the MSI.
    out = subprocess.run(
        ["msiinfo", "export", str(msi), table], capture_output=True, check=True, cwd=msi.parent
    ).stdout
    lines = out.decode("utf-8").split("\r\n") if b"\r\n" in out else out.decode("utf-8").split("\n")
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[3:] if line]
