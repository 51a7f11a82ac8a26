"""``yichuang scan``: scan (or import) a stack into one PDF from the command line.

``yichuang scan --device DEVICE [--profile P] --out FILE.pdf``

* ``DEVICE`` is what :func:`scanning.documents.resolve_device` accepts: ``test:0`` or another SANE
  name, ``sane:NAME``, ``twain:NAME``, ``file:PATH`` (a file or a folder of PDF/JPEG/PNG/TIFF) or
  ``folder:PATH`` (a document camera's folder). Without ``--device`` the setting ``scanner_device``
  is used.
* ``P`` is a scan profile id (``document``, ``certificate``, ``identity``, ``booklet``, ``archive``, or
  one of the office's profiles file, setting ``scan_profiles_file``).
* ``--list`` prints the scanners found and the profiles instead of scanning.

Progress goes to standard error; the summary (pages, blanks dropped, codes found) to standard
output. The module stays Qt-free and imports the scanning packages only when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add ``scan`` to the ``yichuang`` command line.

    Args:
        subparsers: the object ``ArgumentParser.add_subparsers`` returned.
    """
    scan = subparsers.add_parser("scan", help="扫描（或从文件导入）一叠材料，保存为一个 PDF 文件")
    scan.add_argument(
        "--device",
        metavar="DEVICE",
        help="扫描仪：如 test:0、sane:名称、twain:名称、file:文件或文件夹、folder:高拍仪文件夹"
        "（默认取设置项 scanner_device）",
    )
    scan.add_argument(
        "--profile", metavar="P", default="document", help="扫描方案（默认 document：一般文书）"
    )
    scan.add_argument("--out", metavar="FILE.pdf", help="输出的 PDF 文件")
    scan.add_argument("--list", action="store_true", help="列出可用的扫描仪和扫描方案，不扫描")
    scan.set_defaults(func=cmd_scan)


def _progress(index: int, fraction: float) -> None:
    if fraction >= 1.0:
        print(f"已扫描第 {index + 1} 页", file=sys.stderr)


def cmd_scan(args: argparse.Namespace) -> int:
    """Scan a stack into one PDF (or list scanners and profiles)."""
    from scanning.documents import load_profiles, make_driver, resolve_device, scan_to_pdf
    from scanning.errors import DriverMissing
    from workstation.cli import EXIT_OK, CliError, _out, _settings

    settings = _settings()
    profiles = load_profiles(settings.scan_profiles_file)
    if args.list:
        try:
            devices = make_driver(None).devices()
        except DriverMissing as exc:
            _out(f"扫描仪：{exc}")
        else:
            _out("扫描仪：" if devices else "扫描仪：未找到（可用 file:路径 从文件导入）")
            for info in devices:
                _out(f"  {info.name}\t{info.label}")
        _out("扫描方案：")
        for profile in profiles:
            _out(f"  {profile.id}\t{profile.title}{'（已锁定）' if profile.locked else ''}")
        return EXIT_OK
    spec = args.device or settings.scanner_device
    if not spec:
        raise CliError(
            "请用 --device 指定扫描仪（如 test:0 或 file:文件夹），或在设置项 scanner_device 中设置默认扫描仪"
        )
    if not args.out:
        raise CliError("请用 --out 指定输出的 PDF 文件，例如 --out 合同.pdf")
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise CliError(f"--out 的文件“{out.name}”应以 .pdf 结尾，请改正后重试")
    profile = profiles.get(args.profile)
    driver, device = resolve_device(spec)
    result = scan_to_pdf(driver, device, profile, out, progress=_progress)
    if result.out_path is None:
        raise CliError("扫描到的页面都是空白页，未生成 PDF：请检查材料是否放反后重新扫描")
    _out(
        f"已保存 {result.pages} 页到 {result.out_path}"
        + (f"（去除空白页 {result.dropped} 页）" if result.dropped else "")
        + ("；扫描已取消，只保存了取消前的页面" if result.cancelled else "")
    )
    for page, code in result.codes:
        _out(f"第 {page + 1} 页识别到{code.format}：{code.text}")
    return EXIT_OK
