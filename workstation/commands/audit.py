"""``yichuang audit verify|list|head``: check and read the chained audit log (issue 8).

``verify`` recomputes every entry's MAC under the office's audit key and names the first broken
entry: exit 0 when the chain is intact, 2 when it is broken. It shows no personal data, so it needs
no sign-in (the audit key is read with this machine's key, as the application reads it). ``list``
shows entries with their decrypted details and needs a supervisor's or administrator's sign-in.
``head`` prints the chain head (sequence number and MAC) to copy into an off-machine record.

``verify --backends`` also asks each enrolled department for the chain heads it received with this
window's packages and names every entry whose MAC now differs from a head a department holds: the
case where someone with the chain key rewrote history after delivery, which the local check alone
cannot see. Exit 2 when such an entry is found; 1 when no department could be asked.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workstation.storage.store import SqlStore
    from workstation.sync_service import AuditHeadReport

EXIT_OK = 0
EXIT_UNCHECKED = 1
EXIT_BROKEN = 2


def _store() -> SqlStore:
    from workstation.cli import _store as open_cli_store

    return open_cli_store()


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Verify the chain (and, with ``--backends``, against the heads the departments hold)."""
    from workstation.cli import _out

    store = _store()
    try:
        result = store.verify_audit()
        remote = _check_backends(store) if args.backends else None
    finally:
        store.close()
    if args.json:
        report: dict[str, Any] = {
            "ok": result.ok,
            "checked": result.checked,
            "first_broken": result.first_broken,
            "problem": result.problem,
            "head_seq": result.head_seq,
            "head_mac": result.head_mac,
        }
        if remote is not None:
            report["backends"] = {
                "departments": [d.value for d in remote.departments],
                "heads": remote.heads,
                "mismatches": [
                    {
                        "seq": m.head.seq,
                        "department": m.head.department,
                        "held_mac": m.head.mac,
                        "local_mac": m.local_mac,
                        "since": m.since,
                    }
                    for m in remote.mismatches
                ],
                "problems": remote.problems,
            }
        _out(json.dumps(report, ensure_ascii=False))
    else:
        if result.ok:
            _out(f"审计记录完整：共 {result.checked} 条，链头 #{result.head_seq} {result.head_mac}")
        else:
            _out(
                f"审计记录已被改动：第 {result.first_broken} 条起无法校验。{result.problem}。"
                f"此前的 {result.checked} 条校验通过。请保留本机数据并报告系统管理员。"
            )
        if remote is not None:
            for problem in remote.problems:
                _out(f"未能核对：{problem}", sys.stderr)
            for mismatch in remote.mismatches:
                _out(mismatch.describe() + "请保留本机数据并报告系统管理员。")
            if remote.departments and not remote.mismatches:
                names = "、".join(d.label for d in remote.departments)
                _out(f"与{names}持有的 {remote.heads} 个链头一致")
    if not result.ok or (remote is not None and remote.mismatches):
        return EXIT_BROKEN
    if remote is not None and not remote.departments:
        return EXIT_UNCHECKED
    return EXIT_OK


def _check_backends(store: SqlStore) -> AuditHeadReport:
    from workstation.cli import _settings
    from workstation.sync_service import SyncService

    return SyncService(store, _settings()).check_audit_heads()


def cmd_audit_head(args: argparse.Namespace) -> int:
    """Print the stored chain head."""
    from workstation.cli import _out

    store = _store()
    try:
        head = store.audit_head()
    finally:
        store.close()
    if head is None:
        _out("审计记录链头缺失：请运行 yichuang audit verify 检查。")
        return EXIT_BROKEN
    _out(f"#{head[0]} {head[1].hex()}")
    return EXIT_OK


def cmd_audit_list(args: argparse.Namespace) -> int:
    """List entries (supervisors and administrators only)."""
    from workstation.audit import KIND_LABELS, AuditKind
    from workstation.cli import _out, _signed_in
    from workstation.permissions import Action, require

    store = _store()
    try:
        user = require(_signed_in(store, args.user), Action.VIEW_AUDIT)
        names = {u.id: u.username for u in store.list_users()}
        entries = store.audit_entries(after=args.after, limit=args.limit)
        rows: list[dict[str, Any]] = []
        for entry in entries:
            try:
                label = KIND_LABELS[AuditKind(entry.kind)]
            except ValueError:
                label = entry.kind
            rows.append(
                {
                    "seq": entry.seq,
                    "at": entry.at.astimezone().isoformat(timespec="seconds"),
                    "kind": entry.kind,
                    "label": label,
                    "user": names.get(entry.user_id, "") if entry.user_id is not None else "",
                    "case_id": str(entry.case_id) if entry.case_id else "",
                    "window": entry.window,
                    "details": store.audit_details(entry),
                }
            )
        store.audit(AuditKind.VIEW_CASE, user_id=user.id, details={"audit_list_after": args.after})
    finally:
        store.close()
    if args.json:
        _out(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            details = json.dumps(r["details"], ensure_ascii=False) if r["details"] else ""
            _out(f"#{r['seq']:<6} {r['at']}  {r['label']:<6} {r['user']:<12} {r['case_id']} {details}")
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``audit`` and its actions to the top-level sub-commands."""
    audit = subparsers.add_parser("audit", help="审计记录：校验链条、查看记录")
    actions = audit.add_subparsers(title="审计", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="校验审计记录链条（完整返回 0，被改动返回 2）")
    verify.add_argument("--json", action="store_true", help="以 JSON 输出")
    verify.add_argument(
        "--backends", action="store_true", help="同时与各部门系统持有的审计链头核对（发现送达后被改写的记录）"
    )
    verify.set_defaults(func=cmd_audit_verify)
    head = actions.add_parser("head", help="显示审计记录链头（用于异地留存）")
    head.set_defaults(func=cmd_audit_head)
    lst = actions.add_parser("list", help="列出审计记录（需科长或管理员登录）")
    lst.add_argument("--user", help="登录用户名（密码从提示输入或环境变量 YICHUANG_PASSWORD）")
    lst.add_argument("--after", type=int, default=0, help="只列出此序号之后的记录")
    lst.add_argument("--limit", type=int, default=200, help="最多列出的条数")
    lst.add_argument("--json", action="store_true", help="以 JSON 输出")
    lst.set_defaults(func=cmd_audit_list)
