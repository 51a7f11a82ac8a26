"""Who may do what: checked in the operations layer and the store, not only by hiding buttons (issue 8).

:func:`require` raises :class:`PermissionDenied` (a :class:`~workstation.storage.errors.StorageError`,
so the GUI and the CLI show its Chinese message as a known error) when a user's role does not grant an
action. The table :data:`GRANTS` is the whole policy; a test walks every action and role.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from workstation.storage.api import Role, User
from workstation.storage.errors import StorageError


class PermissionDenied(StorageError):
    """The signed-in user's role does not allow the action."""


class Action(StrEnum):
    """Actions checked against the role (most need more than a clerk's)."""

    SUPERVISE = "supervise"  # open the supervisor workspace (queues of every clerk)
    RETRY_LEGS = "retry_legs"
    HOLD = "hold"  # hold and release
    REASSIGN = "reassign"
    RETURN_FOR_CORRECTION = "return_for_correction"
    APPROVE_EXCEPTION = "approve_exception"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    # Fees and the end of the day (issue 8, part 2).
    COLLECT_FEE = "collect_fee"  # record a fee collected at the window (every role)
    WAIVE_FEE = "waive_fee"  # approve a waived fee (免收) with one's own password
    VOID_FEE = "void_fee"  # void a mistaken fee record
    VIEW_REPORTS = "view_reports"  # end-of-day report and statistics
    CLOSE_DAY = "close_day"  # sign off the end-of-day report with one's own password
    EXPORT_STATISTICS = "export_statistics"  # statistics to CSV or Excel
    # Settings (issue 9): office and window settings; everyone may change their own preferences.
    CHANGE_SETTINGS = "change_settings"


ACTION_LABELS: Final[Mapping[Action, str]] = MappingProxyType(
    {
        Action.SUPERVISE: "打开科长工作台",
        Action.RETRY_LEGS: "重新发送失败的数据包",
        Action.HOLD: "挂起或恢复案件",
        Action.REASSIGN: "改派案件",
        Action.RETURN_FOR_CORRECTION: "退回补正",
        Action.APPROVE_EXCEPTION: "审批例外情况",
        Action.VIEW_AUDIT: "查看审计日志",
        Action.MANAGE_USERS: "管理用户",
        Action.COLLECT_FEE: "收费登记",
        Action.WAIVE_FEE: "审批免收费用",
        Action.VOID_FEE: "作废收费记录",
        Action.VIEW_REPORTS: "查看日终报表和统计",
        Action.CLOSE_DAY: "签字确认日终报表",
        Action.EXPORT_STATISTICS: "导出统计数据",
        Action.CHANGE_SETTINGS: "修改机构设置",
    }
)
"""The Chinese name of each action, as used in messages."""

_SUPERVISORS: Final = frozenset({Role.SUPERVISOR, Role.ADMIN})

GRANTS: Final[Mapping[Action, frozenset[Role]]] = MappingProxyType(
    {
        Action.SUPERVISE: _SUPERVISORS,
        Action.RETRY_LEGS: _SUPERVISORS,
        Action.HOLD: _SUPERVISORS,
        Action.REASSIGN: _SUPERVISORS,
        Action.RETURN_FOR_CORRECTION: _SUPERVISORS,
        Action.APPROVE_EXCEPTION: _SUPERVISORS,
        Action.VIEW_AUDIT: _SUPERVISORS,
        Action.MANAGE_USERS: frozenset({Role.ADMIN}),
        Action.COLLECT_FEE: frozenset(Role),
        Action.WAIVE_FEE: _SUPERVISORS,
        Action.VOID_FEE: _SUPERVISORS,
        Action.VIEW_REPORTS: _SUPERVISORS,
        Action.CLOSE_DAY: _SUPERVISORS,
        Action.EXPORT_STATISTICS: _SUPERVISORS,
        Action.CHANGE_SETTINGS: frozenset({Role.ADMIN}),
    }
)
"""The roles allowed each action (issue 8: supervisor actions → supervisor or admin; users → admin)."""

_ROLE_LABELS: Final[Mapping[Role, str]] = MappingProxyType(
    {Role.CLERK: "受理人员", Role.SUPERVISOR: "科长（审核人员）", Role.ADMIN: "系统管理员"}
)


def role_label(role: Role) -> str:
    """The Chinese name of a role."""
    return _ROLE_LABELS[role]


def allowed(user: User | None, action: Action) -> bool:
    """Whether ``user`` (an active account) may perform ``action``."""
    return user is not None and user.active and Role(user.role) in GRANTS[action]


def require(user: User | None, action: Action) -> User:
    """Check that ``user`` may perform ``action``.

    Returns:
        The user, for chaining.

    Raises:
        PermissionDenied: with a Chinese message naming the action and the roles that may do it.
    """
    if user is None:
        raise PermissionDenied(f"“{ACTION_LABELS[action]}”需要先登录，请登录后再试。")
    if not allowed(user, action):
        who = "或".join(role_label(r) for r in Role if r in GRANTS[action])
        raise PermissionDenied(
            f"当前用户（{role_label(Role(user.role))}）无权“{ACTION_LABELS[action]}”，只有{who}可以；"
            f"请{who}登录后再操作。"
        )
    return user


__all__ = ["ACTION_LABELS", "GRANTS", "Action", "PermissionDenied", "allowed", "require", "role_label"]


def require_or_report(
    user: User | None, action: Action, on_error: Callable[[BaseException], object]
) -> User | None:
    """:func:`require` for an operation with callbacks: a refusal goes to ``on_error``, not raised.

    Returns:
        The user, or ``None`` when refused (the operation then does nothing more).
    """
    try:
        return require(user, action)
    except PermissionDenied as exc:
        on_error(exc)
        return None
