r"""Generate the WiX source of the MSI from the frozen build: one file list for wixl and the WiX toolset.

``installer/build`` (Linux, wixl) and ``.github/workflows/windows-msi.yml`` (Windows, WiX 3) both run::

    python installer/make_wxs.py --frozen dist/yichuang --toolset wixl|wix3 --out build/yichuang.wxs \
        --file-list dist/yichuang-<version>.files.txt

The file list (``--file-list``: one path per line, relative to the frozen folder, ``/``-separated,
sorted) is exactly what the MSI installs below ``INSTALLDIR``; the tests compare it with what
``msiextract`` unpacks. Identifiers and component GUIDs are derived from each file's relative path, so
the same file keeps its component across versions (the Windows Installer component rules) and the two
toolsets produce the same tables.

The public properties (:data:`POLICY_PROPERTIES`) are written to ``HKLM\Software\Policies\Yichuang``
as values named like the settings keys of :class:`workstation.config.Settings` (the app's top
configuration layer); :func:`check_policy_keys` refuses names the schema does not know, because the app
refuses to start on an unknown policy value.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final
from xml.sax.saxutils import quoteattr

HERE: Final = Path(__file__).resolve().parent
ROOT: Final = HERE.parent
TEMPLATE: Final = HERE / "yichuang.wxs.in"
ICON: Final = ROOT / "assets" / "icons" / "yichuang.ico"

UPGRADE_CODE: Final = "6F1E3B52-8C0A-4D7B-9E25-3A4C1D9B7E10"
"""Fixed for every version: Windows Installer finds the installed version by it (MajorUpgrade)."""
GUID_NAMESPACE: Final = uuid.UUID("0b5bd0a4-3f49-4b7e-a3f0-0b0e6a1c9d51")
"""Namespace of the component GUIDs derived from paths (uuid5)."""
POLICY_KEY: Final = r"Software\Policies\Yichuang"
SYNC_TASK: Final = r"Yichuang\Sync"
BACKUP_TASK: Final = r"Yichuang\Backup"
GUI_PROGRAM: Final = "yichuangw"
CLI_PROGRAM: Final = "yichuang"


@dataclass(frozen=True)
class PolicyProperty:
    """A public MSI property written as one administrator-policy registry value.

    Attributes:
        prop: the MSI property (upper case, public: settable on the msiexec command line).
        key: the settings key (:class:`workstation.config.Settings` field) it becomes.
        doc: what it sets, for ``--list-properties`` and the IT guide.
    """

    prop: str
    key: str
    doc: str


POLICY_PROPERTIES: Final[tuple[PolicyProperty, ...]] = (
    PolicyProperty("OFFICE_CODE", "office_code", "登记机构代码（8 位）"),
    PolicyProperty("WINDOW_ID", "window_id", "窗口编号（1–4 位数字或大写字母）"),
    PolicyProperty("OFFICE_NAME", "office_name", "登记机构名称"),
    PolicyProperty("DATABASE_URL", "database_url", "数据库地址（多窗口共享 PostgreSQL 时）"),
    PolicyProperty("TRANSACTION_URL", "sync_transaction_url", "交易（住建）后台地址"),
    PolicyProperty("TAX_URL", "sync_tax_url", "税务后台地址"),
    PolicyProperty("REGISTRATION_URL", "sync_registration_url", "登记后台地址"),
    PolicyProperty("ENROL_TOKEN", "enrol_token", "窗口登记令牌（首次同步时向三个后台登记本窗口）"),
    PolicyProperty("KEY_PROTECTOR", "key_protector", "本机密钥保管方式"),
    PolicyProperty("BACKUP_DIR", "backup_dir", "定时备份文件夹"),
)
AFTER_APPSEARCH_SLOTS: Final = 19
"""Free sequence numbers between AppSearch (50) and LaunchConditions (100) used per property (and
before AppSearch, from 30)."""
EXTRA_SECURE_PROPERTIES: Final = ("REMOVE_DATA", "WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED")
"""Properties the server side of the installation must see besides the policy ones."""


def check_policy_keys(known: Iterable[str], properties: Sequence[PolicyProperty] = POLICY_PROPERTIES) -> None:
    """Refuse policy values the settings schema does not know (the app would refuse to start).

    Args:
        known: the settings keys (``Settings.model_fields``).
        properties: the policy properties to check.

    Raises:
        SystemExit: a key is unknown; the message names it.
    """
    names = set(known)
    unknown = [p for p in properties if p.key not in names]
    if unknown:
        listed = ", ".join(f"{p.prop} -> {p.key}" for p in unknown)
        raise SystemExit(f"make_wxs: settings keys missing from workstation.config.Settings: {listed}")


def frozen_files(frozen: Path) -> list[str]:
    """Every file of the frozen build, relative, ``/``-separated, sorted: THE file list."""
    return sorted(p.relative_to(frozen).as_posix() for p in frozen.rglob("*") if p.is_file())


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:24].upper()


def _guid(text: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, text)).upper()


def _program(files: Sequence[str], stem: str) -> str:
    """``stem.exe`` on a Windows build, ``stem`` on a Linux one (the wixl validation build)."""
    for name in (f"{stem}.exe", stem):
        if name in files:
            return name
    raise SystemExit(f"make_wxs: the frozen build has no {stem}[.exe]")


def _file_id(rel: str) -> str:
    stem = PurePosixPath(rel).name
    if stem in (f"{GUI_PROGRAM}.exe", GUI_PROGRAM):
        return "YichuangwExe"
    if stem in (f"{CLI_PROGRAM}.exe", CLI_PROGRAM) and "/" not in rel:
        return "YichuangExe"
    return f"F{_digest(rel)}"


def _source(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` (wixl resolves only relative sources, against the .wxs folder)."""
    return os.path.relpath(path.resolve(), base.resolve())


def file_tree(
    frozen: Path, files: Sequence[str], base: Path, indent: str = "          "
) -> tuple[str, list[str]]:
    """The ``Directory``/``Component``/``File`` elements below INSTALLDIR, and the component ids.

    Args:
        frozen: the one-folder build.
        files: its file list (:func:`frozen_files`).
        base: the folder the .wxs is written to; ``Source`` paths are relative to it.
        indent: the indentation of the outermost elements.
    """
    tree: dict[str, list[str]] = {}
    dirs: set[str] = set()
    for rel in files:
        parent = PurePosixPath(rel).parent.as_posix()
        tree.setdefault(parent, []).append(rel)
        while parent != ".":
            dirs.add(parent)
            parent = PurePosixPath(parent).parent.as_posix()
    components: list[str] = []

    def emit(folder: str, depth: int) -> list[str]:
        pad = indent + "  " * depth
        lines: list[str] = []
        for rel in tree.get(folder, []):
            cid = f"C{_digest(rel)}"
            components.append(cid)
            source = _source(frozen / rel, base)
            lines.append(f'{pad}<Component Id="{cid}" Guid="{_guid(rel)}" Win64="yes">')
            lines.append(
                f'{pad}  <File Id="{_file_id(rel)}" Name={quoteattr(PurePosixPath(rel).name)} '
                f'Source={quoteattr(source)} KeyPath="yes" />'
            )
            lines.append(f"{pad}</Component>")
        children = sorted(d for d in dirs if PurePosixPath(d).parent.as_posix() == folder)
        for child in children:
            name = PurePosixPath(child).name
            lines.append(f'{pad}<Directory Id="D{_digest(child)}" Name={quoteattr(name)}>')
            lines.extend(emit(child, depth + 1))
            lines.append(f"{pad}</Directory>")
        return lines

    return "\n".join(emit(".", 0)), components


SAVE_SEQUENCE: Final = 30
"""Sequence of the first "save the command-line value" action (after FindRelatedProducts, 25)."""
RESTORE_SEQUENCE: Final = 51
"""Sequence of the first "put the command-line value back" action (after AppSearch, 50)."""


def secure_properties() -> list[str]:
    """Every property the server side of the installation must see (SecureCustomProperties)."""
    names = [p.prop for p in POLICY_PROPERTIES]
    names += [f"CMDLINE_{p.prop}" for p in POLICY_PROPERTIES]
    return names + list(EXTRA_SECURE_PROPERTIES)


def policy_parts(toolset: str) -> tuple[str, str, str, str]:
    """Property declarations, registry components, and the actions that remember the values.

    Each public property is looked up in the registry at the start (``RegistrySearch``) so an upgrade
    without properties keeps the preset values; a value given on the command line wins (it is saved
    before AppSearch and put back after it). wixl has no component conditions, so every value is
    written, empty when its property is not set; the app reads an empty policy value as "not set"
    (:func:`workstation.config.read_policy`).
    """
    if len(POLICY_PROPERTIES) > AFTER_APPSEARCH_SLOTS:
        raise SystemExit("make_wxs: too many policy properties for the sequence slots")
    secure = ' Secure="yes"' if toolset == "wix3" else ""
    props, comps, actions, sequence = [], [], [], []
    for index, p in enumerate(POLICY_PROPERTIES):
        props.append(
            f'    <Property Id="{p.prop}"{secure}>\n'
            f'      <RegistrySearch Id="Find_{p.prop}" Root="HKLM" Key="{POLICY_KEY}" Name="{p.key}" '
            'Type="raw" Win64="yes" />\n'
            "    </Property>"
        )
        comps.append(
            f'      <Component Id="Policy_{p.key}" Guid="{_guid("policy/" + p.key)}" Win64="yes">\n'
            f'        <RegistryValue Root="HKLM" Key="{POLICY_KEY}" Name="{p.key}" Type="string" '
            f'Value="[{p.prop}]" KeyPath="yes" />\n'
            "      </Component>"
        )
        actions.append(
            f'    <CustomAction Id="Save_{p.prop}" Property="CMDLINE_{p.prop}" Value="[{p.prop}]" '
            'Execute="firstSequence" />\n'
            f'    <CustomAction Id="Restore_{p.prop}" Property="{p.prop}" Value="[CMDLINE_{p.prop}]" '
            'Execute="firstSequence" />'
        )
        sequence.append(
            f'      <Custom Action="Save_{p.prop}" Sequence="{SAVE_SEQUENCE + index}">{p.prop}</Custom>\n'
            f'      <Custom Action="Restore_{p.prop}" Sequence="{RESTORE_SEQUENCE + index}">'
            f"CMDLINE_{p.prop}</Custom>"
        )
    return "\n".join(props), "\n".join(comps), "\n".join(actions), "\n".join(sequence)


def render(
    frozen: Path, version: str, toolset: str, base: Path, template: str | None = None
) -> tuple[str, list[str]]:
    """The WiX source for the frozen build, and the file list it installs.

    Args:
        frozen: the one-folder build.
        version: the product version (``major.minor.patch``).
        toolset: ``wixl`` or ``wix3``.
        base: the folder the .wxs goes to (``Source`` paths are relative to it).
        template: the template text (default :data:`TEMPLATE`).
    """
    files = frozen_files(frozen)
    if not files:
        raise SystemExit(f"make_wxs: {frozen} is empty; freeze first (installer/build)")
    tree, components = file_tree(frozen, files, base)
    props, policy_comps, actions, sequence = policy_parts(toolset)
    refs = [f'      <ComponentRef Id="{cid}" />' for cid in components]
    refs += [f'      <ComponentRef Id="Policy_{p.key}" />' for p in POLICY_PROPERTIES]
    text = template if template is not None else TEMPLATE.read_text(encoding="utf-8")
    values = {
        "VERSION": version,
        "UPGRADE_CODE": UPGRADE_CODE,
        "ICON": _source(ICON, base),
        "GUI_EXE": _program(files, GUI_PROGRAM),
        "SYNC_TASK": SYNC_TASK,
        "BACKUP_TASK": BACKUP_TASK,
        "SHORTCUT_GUID": _guid("shortcut/start-menu"),
        "DATA_GUID": _guid("folder/data"),
        "INSTALLINFO_GUID": _guid("registry/install-info"),
        "POLICY_PROPERTIES": props,
        "FILE_TREE": tree,
        "POLICY_COMPONENTS": policy_comps,
        "REMEMBER_ACTIONS": actions,
        "REMEMBER_SEQUENCE": sequence,
        "COMPONENT_REFS": "\n".join(refs),
        # wixl does not know Component/@Permanent (and warns): the data folder component relies on
        # Windows Installer never removing a folder that still holds files.
        "PERMANENT": ' Permanent="yes"' if toolset == "wix3" else "",
    }
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    if toolset == "wixl":
        text = text.replace(' Secure="yes"', "")  # ignored by wixl, which warns about it
    leftover = [part for part in text.split("@")[1::2] if part.isupper() and part.replace("_", "").isalpha()]
    if leftover:
        raise SystemExit(f"make_wxs: unfilled placeholders {leftover}")
    return text, files


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the WiX source (and the file list) for a frozen build."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--frozen", type=Path, required=True, help="the one-folder build (dist/yichuang)")
    parser.add_argument("--out", type=Path, required=True, help="the .wxs to write")
    parser.add_argument("--toolset", choices=["wixl", "wix3"], default="wixl")
    parser.add_argument("--version", help="product version (default: workstation.__version__)")
    parser.add_argument("--file-list", type=Path, help="also write the file list here")
    parser.add_argument("--no-check", action="store_true", help="skip checking the policy keys")
    parser.add_argument(
        "--secure-properties", type=Path, help="write the SecureCustomProperties value (;-separated) here"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if not args.no_check:
        from workstation.config import Settings

        check_policy_keys(Settings.model_fields)
    version = args.version
    if version is None:
        from workstation import __version__ as version
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text, files = render(args.frozen.resolve(), version, args.toolset, args.out.parent)
    args.out.write_text(text, encoding="utf-8")
    if args.file_list is not None:
        args.file_list.parent.mkdir(parents=True, exist_ok=True)
        args.file_list.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
    if args.secure_properties is not None:
        args.secure_properties.write_text(";".join(secure_properties()), encoding="utf-8")
    print(f"{args.out}: {len(files)} files, version {version}, toolset {args.toolset}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
