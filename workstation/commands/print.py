"""``yichuang print`` and ``yichuang receipt verify``: the case's documents from the command line.

``yichuang print CASE|FILE.json --doc application|interview|receipt|notice|materials|tax|idcheck|all
[--out FILE.pdf | --printer NAME] [--copies N] [--user NAME]``

* ``CASE`` (a 受理编号 or case UUID) is read from the store after the user signs in; the print is
  recorded with the case (what, when, by whom, and the PDF for reprints).
* ``FILE.json`` is a case file: no sign-in and nothing stored. Its receipt needs the office's receipt
  key, so ``receipt`` (and the receipt within ``all``) is printed only when ``--user`` signs in.

``yichuang receipt verify CASE_NUMBER CODE`` (or the QR text ``YCR1|<case number>|<code>`` alone)
checks a receipt's verification code under the office's key: exit 0 when it matches, 2 when not.

The module stays Qt-free and imports the heavy packages only when a command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forms.case import Case
    from workstation.printing_service import PrintOutcome

DOCUMENT_CHOICES = ("application", "interview", "receipt", "notice", "materials", "tax", "idcheck", "all")


def register(subparsers: Any) -> None:
    """Add ``print`` and ``receipt`` to the ``yichuang`` command line.

    Args:
        subparsers: the object ``ArgumentParser.add_subparsers`` returned.
    """
    doc_help = "、".join(DOCUMENT_CHOICES)
    pr = subparsers.add_parser(
        "print",
        help="打印案件的文书（申请书、询问笔录、受理凭证、告知书、材料清单、税费计算单、人证核验记录）",
    )
    pr.add_argument("case", metavar="CASE|FILE.json", help="受理编号、案件标识（UUID）或案件 JSON 文件")
    pr.add_argument(
        "--doc",
        action="append",
        metavar="DOC",
        help=f"要打印的文书，可重复或用逗号分隔：{doc_help}（默认 all：当前能出具的全部文书）",
    )
    where = pr.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="FILE.pdf", help="不打印，把文书保存为 PDF 文件")
    where.add_argument(
        "--printer", metavar="NAME", help="打印机名称（默认：设置项 default_printer，或系统默认打印机）"
    )
    pr.add_argument("--copies", type=int, help="打印份数（默认取设置项 print_copies）")
    pr.add_argument("--user", help="执行操作的用户名（打印库中的案件、或打印受理凭证时必须登录）")
    pr.set_defaults(func=cmd_print)

    receipt = subparsers.add_parser("receipt", help="受理凭证")
    receipt_sub = receipt.add_subparsers(title="受理凭证", metavar="ACTION", required=True)
    verify = receipt_sub.add_parser("verify", help="核验受理凭证上的校验码（匹配时退出码 0，不匹配时 2）")
    verify.add_argument("case_number", metavar="CASE_NUMBER", help="受理编号，或扫描二维码得到的 YCR1|… 文本")
    verify.add_argument("code", metavar="CODE", nargs="?", help="凭证上的校验码（如 ABCD-EFGH-JKLM-NPQR）")
    verify.add_argument("--user", help="执行操作的用户名")
    verify.set_defaults(func=cmd_receipt_verify)


def _documents(values: list[str] | None) -> list[str]:
    from workstation.cli import CliError

    docs = [d.strip() for value in values or ["all"] for d in value.split(",") if d.strip()]
    unknown = [d for d in docs if d not in DOCUMENT_CHOICES]
    if unknown:
        raise CliError(
            f"--doc 的值“{'、'.join(unknown)}”无效：可选 {'、'.join(DOCUMENT_CHOICES)}，请改正后重试"
        )
    return docs or ["all"]


def _is_case_file(ref: str) -> bool:
    return ref.lower().endswith(".json") or Path(ref).is_file()


def _read_case_file(path: str) -> Case | None:
    """The case in a JSON file, or ``None`` after printing why it is not one."""
    from forms.case import Case
    from forms.validation import validate_case
    from workstation.cli import _print_issues, _read_json

    data = _read_json(path)
    try:
        return Case.model_validate(data)
    except ValueError:
        _print_issues(path, validate_case(data).issues)
        return None


def cmd_print(args: argparse.Namespace) -> int:
    """Print (or save with ``--out``) a case's documents."""
    from printing.errors import PrintingError
    from workstation import printing_service as service
    from workstation.cli import (
        EXIT_INVALID,
        EXIT_OK,
        CliError,
        _catalog,
        _out,
        _resolve_case,
        _settings,
        _signed_in,
    )

    docs = _documents(args.doc)
    if args.copies is not None and not 1 <= args.copies <= 10:
        raise CliError("--copies 应为 1 到 10 之间的整数，请改正后重试")
    settings = _settings()
    catalog = _catalog()
    try:
        if _is_case_file(args.case):
            case = _read_case_file(args.case)
            if case is None:
                return EXIT_INVALID
            store = None
            user = None
            key = b""
            if args.user:  # optional: only to put the clerk's name and the office's code on the receipt
                from workstation.cli import _store

                signed = _store()
                user = _signed_in(signed, args.user)
                key = service.receipt_key(signed)
            ctx = service.build_context(
                case, store=None, settings=settings, catalog=catalog, user=user, delivered=False, key=key
            )
        else:
            from workstation.cli import _store

            store = _store()
            user = _signed_in(store, args.user)
            printable = service.load_printable(
                store, _resolve_case(store, args.case), settings=settings, catalog=catalog, user=user
            )
            case, ctx = printable.case, printable.ctx
        if args.out:
            outcome = service.save_case_pdf(case, ctx, Path(args.out), documents=docs, store=store, user=user)
            _out(f"已把{service.document_titles(outcome.documents)}保存到 {args.out}")
            return EXIT_OK
        copies = args.copies or settings.print_copies
        outcome = service.print_case(
            case,
            ctx,
            documents=docs,
            store=store,
            user=user,
            printer_name=args.printer or settings.default_printer or None,
            copies=copies,
        )
    except PrintingError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"无法写入文件 {args.out}：{exc.strerror}。请检查路径和权限后重试") from exc
    _out(_printed_message(outcome))
    return EXIT_OK


def _printed_message(outcome: PrintOutcome) -> str:
    from workstation.printing_service import document_titles

    jobs = "、".join(outcome.job_refs)
    return (
        f"已把{document_titles(outcome.documents)}（{outcome.copies} 份）发送到打印机“{outcome.printer}”，"
        f"打印作业：{jobs}"
    )


def cmd_receipt_verify(args: argparse.Namespace) -> int:
    """Check a receipt's verification code under the office's key."""
    from printing import parse_qr_payload, verify_receipt_code
    from printing.errors import PrintingError
    from workstation.cli import EXIT_INVALID, EXIT_OK, CliError, _out, _signed_in, _store
    from workstation.printing_service import RECEIPT_KEY

    number, code = args.case_number.strip(), (args.code or "").strip()
    scanned = parse_qr_payload(number) or parse_qr_payload(code)
    if scanned is not None:
        qr_number, qr_code = scanned
        if code and not code.startswith("YCR1|"):
            raise CliError("给出二维码文本时不要再给校验码：二维码里已包含受理编号和校验码")
        if number and not number.startswith("YCR1|") and number != qr_number:
            _out(f"校验码不符：二维码中的受理编号“{qr_number}”与给出的“{number}”不一致，凭证可能被涂改。")
            return EXIT_INVALID
        number, code = qr_number, qr_code
    if not code:
        raise CliError("请给出凭证上的校验码（如 ABCD-EFGH-JKLM-NPQR），或扫描二维码得到的 YCR1|… 文本")
    store = _store()
    _signed_in(store, args.user)
    try:
        ok = verify_receipt_code(number, code, store.office_secret(RECEIPT_KEY))
    except PrintingError as exc:
        raise CliError(str(exc)) from exc
    stored = any(s.case_number == number for s in store.search(number, limit=2))
    where = (
        "本机构数据库中有该案件。"
        if stored
        else "本机数据库中没有该受理编号的案件（可能在其他窗口的数据库中）。"
    )
    if ok:
        _out(f"校验码正确：受理编号“{number}”的受理凭证由本机构出具。{where}")
        return EXIT_OK
    _out(
        f"校验码不符：它不是本机构为受理编号“{number}”出具的校验码，凭证可能被涂改或伪造。请核对后重新输入。"
    )
    return EXIT_INVALID
