"""What every window of a running GUI shares: the store, the executor, settings, catalog and user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from forms.catalog import Catalog
    from workstation.executor import Executor
    from workstation.storage.api import Store, User
    from workstation.sync_service import SyncService


class GuiSettings(Protocol):
    """The settings the GUI reads (a subset of :class:`workstation.config.Settings`)."""

    @property
    def idle_lock_minutes(self) -> int:
        """Minutes without input before the screen locks (0 disables)."""
        ...

    @property
    def draft_journal_seconds(self) -> float:
        """Longest time a typed value waits before it is journalled."""
        ...

    @property
    def window_id(self) -> str:
        """This window's number, shown in the status bar."""
        ...

    @property
    def office_name(self) -> str:
        """The registry office shown in the status bar."""
        ...


@dataclass
class Session:
    """The running application's shared objects.

    Attributes:
        store: local storage; called only through :attr:`executor`.
        executor: the database executor.
        settings: the loaded settings.
        catalog: the business-type catalog.
        user: the signed-in user (``None`` before login).
        sync: hands submitted cases to the departments (``None`` until started after login).
    """

    store: Store
    executor: Executor
    settings: GuiSettings
    catalog: Catalog
    user: User | None = None
    sync: SyncService | None = None

    def require_user(self) -> User:
        """The signed-in user; raises ``RuntimeError`` when called before login (a programming error)."""
        if self.user is None:
            raise RuntimeError("no user is signed in")
        return self.user
