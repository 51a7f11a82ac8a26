"""make_wxs.py on a small stand-in build: valid WiX, stable ids, one file list, both toolsets."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from installer import make_wxs
from workstation.config import Settings

pytestmark = pytest.mark.installer
ROOT = Path(__file__).resolve().parents[2]
NS = {"w": "http://schemas.microsoft.com/wix/2006/wi"}


@pytest.fixture
def frozen(tmp_path: Path) -> Path:
    root = tmp_path / "yichuang"
    for rel in ("yichuang.exe", "yichuangw.exe", "_internal/a.dll", "_internal/assets/fonts/字体.ttf"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rel.encode())
    return root


def test_policy_keys_are_settings():
    make_wxs.check_policy_keys(Settings.model_fields)
    with pytest.raises(SystemExit, match="TAX_URL -> tax_url"):
        make_wxs.check_policy_keys(["office_code"], [make_wxs.PolicyProperty("TAX_URL", "tax_url", "")])


def test_render_is_valid_and_stable(frozen: Path, tmp_path: Path):
    text, files = make_wxs.render(frozen, "1.2.3", "wixl", tmp_path)
    assert files == ["_internal/a.dll", "_internal/assets/fonts/字体.ttf", "yichuang.exe", "yichuangw.exe"]
    tree = ET.fromstring(text.encode("utf-8"))
    ids = [str(e.get("Id")) for e in tree.iter() if e.get("Id")]
    components = tree.findall(".//w:Component", NS)
    assert len({c.get("Guid") for c in components}) == len(components)
    assert len(tree.findall(".//w:File", NS)) == len(files)
    refs = {r.get("Id") for r in tree.findall(".//w:ComponentRef", NS)}
    assert refs == {c.get("Id") for c in components}
    assert all(len(i) <= 72 for i in ids)
    shortcut = tree.find(".//w:Shortcut", NS)
    assert shortcut is not None and shortcut.get("Target") == "[INSTALLDIR]yichuangw.exe"
    # wixl knows neither attribute (and warns about them).
    assert not [e for e in tree.iter() if e.get("Secure") is not None or e.get("Permanent") is not None]
    again, _ = make_wxs.render(frozen, "1.2.3", "wixl", tmp_path)
    assert again == text  # same build, same source: ids and GUIDs derive from paths
    sources = [f.get("Source") for f in tree.findall(".//w:File", NS)]
    assert all(s is not None and not Path(s).is_absolute() for s in sources)  # wixl needs relative paths


def test_wix3_flavour_marks_secure_and_permanent(frozen: Path, tmp_path: Path):
    text, _ = make_wxs.render(frozen, "1.2.3", "wix3", tmp_path)
    tree = ET.fromstring(text.encode("utf-8"))
    secure = {p.get("Id") for p in tree.findall("./w:Product/w:Property", NS) if p.get("Secure") == "yes"}
    assert secure >= {p.prop for p in make_wxs.POLICY_PROPERTIES} | {"REMOVE_DATA"}
    data = tree.find(".//w:Component[@Id='DataFolder']", NS)
    assert data is not None and data.get("Permanent") == "yes"
    wixl_text, _ = make_wxs.render(frozen, "1.2.3", "wixl", tmp_path)
    # Same tables otherwise: identical once the two attributes are dropped.
    assert text.replace(' Secure="yes"', "").replace(' Permanent="yes"', "") == wixl_text


def test_windows_workflow_uses_the_same_generator_and_file_list():
    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "windows-msi.yml").read_text(encoding="utf-8")
    )
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    script = "\n".join(steps)
    assert "installer/yichuang.spec" in script
    assert "installer/make_wxs.py" in script and "--toolset wix3" in script and "--file-list" in script
    assert "candle" in script and "light" in script
