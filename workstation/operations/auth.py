"""Signing in and unlocking: password checks run off the UI thread (argon2 is slow by design)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the login window imports this module before the store loads
    from workstation.qt import QWidget
    from workstation.session import Session
    from workstation.storage.api import User


def sign_in(
    *,
    session: Session,
    username: str,
    password: str,
    on_success: Callable[[User], object],
    on_failure: Callable[[BaseException], object],
    parent: QWidget | None = None,
) -> None:
    """Check a user's password; on success the user becomes the session's user.

    Args:
        session: the running application.
        username: the user name as typed.
        password: the password as typed (never logged).
        on_success: called with the user on the UI thread.
        on_failure: called with ``LoginFailed``, ``AccountLocked`` or another error.
        parent: the widget a slow check's progress dialog belongs to.
    """
    store = session.store

    def done(user: User) -> None:
        session.user = user
        on_success(user)

    session.executor.submit(
        lambda: store.authenticate(username, password),
        on_done=done,
        on_error=on_failure,
        progress="正在验证密码…",
        parent=parent,
    )


def unlock(
    *,
    session: Session,
    password: str,
    on_success: Callable[[User], object],
    on_failure: Callable[[BaseException], object],
    parent: QWidget | None = None,
) -> None:
    """Check the signed-in user's password again to unlock the screen.

    Args:
        session: the running application; its user stays the same.
        password: the password as typed.
        on_success: called with the (same) user on the UI thread.
        on_failure: called with the error; lockout rules apply as at login.
        parent: the widget a slow check's progress dialog belongs to.
    """
    user = session.require_user()
    store = session.store
    session.executor.submit(
        lambda: store.authenticate(user.username, password),
        on_done=on_success,
        on_error=on_failure,
        progress="正在验证密码…",
        parent=parent,
    )
