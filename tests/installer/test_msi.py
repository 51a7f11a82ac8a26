"""The MSI built with wixl: its tables hold what IT's silent deployment needs, its files are the build."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from installer.make_wxs import (
    BACKUP_TASK,
    POLICY_KEY,
    POLICY_PROPERTIES,
    SYNC_TASK,
    UPGRADE_CODE,
    frozen_files,
    secure_properties,
)
from tests.installer.conftest import Build, msi_table
from workstation.config import Settings

pytestmark = pytest.mark.installer

COMPONENT_64BIT = 256
CA_IN_SCRIPT = 0x400  # deferred
CA_NO_IMPERSONATE = 0x800


def _properties(build: Build) -> dict[str, str]:
    return {row["Property"]: row["Value"] for row in msi_table(build.msi, "Property")}


def test_property_table(build: Build):
    props = _properties(build)
    assert props["ProductName"] == "Yichuang"
    assert props["ProductVersion"] == build.version
    assert props["UpgradeCode"] == f"{{{UPGRADE_CODE}}}"
    assert props["ALLUSERS"] == "1"  # per-machine
    assert props["ARPPRODUCTICON"] == "yichuang.ico"
    assert props["ARPNOMODIFY"] == "1" and props["ARPCONTACT"] and props["ARPCOMMENTS"]
    assert props["REMOVE_DATA"] == "0"
    secure = props["SecureCustomProperties"].split(";")
    assert secure == secure_properties()
    for needed in (
        "OFFICE_CODE",
        "WINDOW_ID",
        "TRANSACTION_URL",
        "TAX_URL",
        "REGISTRATION_URL",
        "ENROL_TOKEN",
    ):
        assert needed in secure
    assert {"REMOVE_DATA", "WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"} <= set(secure)


def test_registry_table_writes_policy_under_the_settings_keys(build: Build):
    rows = msi_table(build.msi, "Registry")
    policy = {row["Name"]: row for row in rows if row["Key"] == POLICY_KEY}
    assert set(policy) == {p.key for p in POLICY_PROPERTIES}
    assert set(policy) <= set(Settings.model_fields)  # the app refuses unknown policy values
    for prop in POLICY_PROPERTIES:
        row = policy[prop.key]
        assert row["Root"] == "2"  # HKEY_LOCAL_MACHINE
        assert row["Value"] == f"[{prop.prop}]"
    components = {row["Component"]: row for row in msi_table(build.msi, "Component")}
    for row in policy.values():
        assert int(components[row["Component_"]]["Attributes"]) & COMPONENT_64BIT  # 64-bit registry view
    other = {row["Name"]: row["Value"] for row in rows if row["Key"] == r"Software\Yichuang"}
    assert other["InstallDir"] == "[INSTALLDIR]" and other["Version"] == build.version


def test_upgrades_remember_the_preset_properties(build: Build):
    app_search = {row["Property"]: row["Signature_"] for row in msi_table(build.msi, "AppSearch")}
    locators = {row["Signature_"]: row for row in msi_table(build.msi, "RegLocator")}
    for prop in POLICY_PROPERTIES:
        locator = locators[app_search[prop.prop]]
        assert (locator["Root"], locator["Key"], locator["Name"]) == ("2", POLICY_KEY, prop.key)
        assert int(locator["Type"]) & 16  # the 64-bit registry view
    sequence = {row["Action"]: row for row in msi_table(build.msi, "InstallExecuteSequence")}
    app_search_at = int(sequence["AppSearch"]["Sequence"])
    for prop in POLICY_PROPERTIES:  # the command line wins over the remembered value
        assert int(sequence[f"Save_{prop.prop}"]["Sequence"]) < app_search_at
        assert int(sequence[f"Restore_{prop.prop}"]["Sequence"]) > app_search_at
        assert sequence[f"Restore_{prop.prop}"]["Condition"] == f"CMDLINE_{prop.prop}"


def test_shortcut_icon_and_upgrade_tables(build: Build):
    [shortcut] = msi_table(build.msi, "Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuDir"
    assert shortcut["Target"] == "[INSTALLDIR]yichuangw"  # yichuangw.exe in the Windows build
    assert shortcut["Icon_"] == "yichuang.ico" and shortcut["WkDir"] == "INSTALLDIR"
    assert [row["Name"] for row in msi_table(build.msi, "Icon")] == ["yichuang.ico"]
    upgrade = {row["ActionProperty"]: row for row in msi_table(build.msi, "Upgrade")}
    assert set(upgrade) == {"WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"}
    for row in upgrade.values():
        assert row["UpgradeCode"] == f"{{{UPGRADE_CODE}}}"
    assert upgrade["WIX_UPGRADE_DETECTED"]["VersionMax"] == build.version  # older versions are replaced
    conditions = [row["Condition"] for row in msi_table(build.msi, "LaunchCondition")]
    assert "NOT WIX_DOWNGRADE_DETECTED" in conditions
    sequence = {row["Action"]: int(row["Sequence"]) for row in msi_table(build.msi, "InstallExecuteSequence")}
    assert sequence["InstallValidate"] < sequence["RemoveExistingProducts"] < sequence["InstallInitialize"]


def test_custom_actions_for_tasks_acl_and_data_removal(build: Build):
    actions = {row["Action"]: row for row in msi_table(build.msi, "CustomAction")}
    sequence = {row["Action"]: row for row in msi_table(build.msi, "InstallExecuteSequence")}
    start = int(sequence["InstallInitialize"]["Sequence"])
    end = int(sequence["InstallFinalize"]["Sequence"])
    deferred = ["CA_DataFolderAcl", "CA_CreateSyncTask", "CA_DeleteSyncTask", "CA_CreateBackupTask"]
    for name in [*deferred, "CA_DeleteBackupTask", "CA_RemoveData"]:
        kind = int(actions[name]["Type"])
        assert kind & CA_IN_SCRIPT and kind & CA_NO_IMPERSONATE, name  # deferred, as LocalSystem
        assert start < int(sequence[name]["Sequence"]) < end, name
    assert f'/TN "{SYNC_TASK}"' in actions["CA_CreateSyncTask"]["Target"]
    assert "sync run --once" in actions["CA_CreateSyncTask"]["Target"]
    assert "/RU SYSTEM" in actions["CA_CreateSyncTask"]["Target"]
    assert f'/TN "{BACKUP_TASK}"' in actions["CA_CreateBackupTask"]["Target"]
    assert "backup auto" in actions["CA_CreateBackupTask"]["Target"]
    assert actions["CA_RemoveData"]["Source"] == "CMD_EXE"
    assert "rmdir /s /q" in actions["CA_RemoveData"]["Target"]
    remove = sequence["CA_RemoveData"]["Condition"]
    assert 'REMOVE_DATA="1"' in remove and "NOT UPGRADINGPRODUCTCODE" in remove and 'REMOVE~="ALL"' in remove
    assert actions["Set_CMD_EXE"]["Target"] == "[System64Folder]cmd.exe"
    # The data folder is created, never a file of it removed by the installer itself.
    assert [row["Directory_"] for row in msi_table(build.msi, "CreateFolder")] == ["DATADIR"]
    directories = {row["Directory"]: row for row in msi_table(build.msi, "Directory")}
    assert directories["DATADIR"]["Directory_Parent"] == "CommonAppDataFolder"
    assert directories["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
    assert msi_table(build.msi, "RemoveFile") == [
        row for row in msi_table(build.msi, "RemoveFile") if row["DirProperty"] == "ProgramMenuDir"
    ]


def test_file_table_is_the_file_list(build: Build):
    rows = msi_table(build.msi, "File")
    assert len(rows) == len(build.file_list) == len(frozen_files(build.frozen))
    names = sorted(row["FileName"].split("|")[-1] for row in rows)
    assert names == sorted(Path(f).name for f in build.file_list)
    sizes = {row["FileName"].split("|")[-1]: int(row["FileSize"]) for row in rows}
    assert sizes["yichuang"] == (build.frozen / "yichuang").stat().st_size


def test_msiextract_gives_back_the_frozen_tree(build: Build, tmp_path: Path):
    subprocess.run(["msiextract", "-C", str(tmp_path), str(build.msi)], check=True, capture_output=True)
    root = tmp_path / "Yichuang"  # INSTALLDIR
    extracted = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert extracted == build.file_list == frozen_files(build.frozen)
    for rel in extracted:
        assert (root / rel).stat().st_size == (build.frozen / rel).stat().st_size, rel
    assert (root / "yichuang").read_bytes() == (build.frozen / "yichuang").read_bytes()


def test_summary_information(build: Build):
    info = subprocess.run(["msiinfo", "suminfo", str(build.msi)], capture_output=True, text=True, check=True)
    assert "Template: x64;" in info.stdout
    assert "一窗受理" in info.stdout  # Chinese survives in the summary stream
