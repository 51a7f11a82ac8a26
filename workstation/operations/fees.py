"""Fee operations (收费登记, issue 8): the fee due, record a payment, void one.

Each checks the role first (:func:`workstation.permissions.require`) and reports
:class:`~workstation.permissions.PermissionDenied` through ``on_error`` without touching the database;
the store checks again in the transaction. A waived fee (免收) carries the approving supervisor's user
name and password, checked by the store at that moment (argon2, off the UI thread).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from forms.case import Case
from workstation.executor import ErrorCallback
from workstation.fees import FeeEntry, FeeItem, FeePayment, fee_items, office_tax_settings
from workstation.permissions import Action, require_or_report

if TYPE_CHECKING:
    from workstation.qt import QWidget
    from workstation.session import Session
    from workstation.storage.api import User


@runtime_checkable
class FeeStore(Protocol):
    """The part of :class:`workstation.storage.store.SqlStore` the fee dialog uses."""

    def load_case(self, case_id: uuid.UUID) -> tuple[Case, str]:
        """The case and its state."""
        ...

    def fee_payments(self, case_id: uuid.UUID) -> list[FeePayment]:
        """The case's fee records."""
        ...

    def record_fee(
        self, entry: FeeEntry, *, user: User, approver_username: str = "", approver_password: str = ""
    ) -> FeePayment:
        """Record a payment."""
        ...

    def void_fee(self, payment_id: int, *, user: User, reason: str) -> FeePayment:
        """Void a payment."""
        ...


def fee_store(session: Session) -> FeeStore:
    """The session's store as a :class:`FeeStore`.

    Raises:
        TypeError: the store keeps no fees (a programming error).
    """
    store = session.store
    if not isinstance(store, FeeStore):
        raise TypeError(f"{type(store).__name__} keeps no fee records")
    return store


@dataclass(frozen=True)
class FeeContext:
    """What the fee dialog shows.

    Attributes:
        case_id: the case.
        case_number: its number.
        state: its state.
        business_type: its business type's name.
        items: the fee items due (:func:`workstation.fees.fee_items`).
        payments: the fee records so far.
    """

    case_id: uuid.UUID
    case_number: str
    state: str
    business_type: str
    items: tuple[FeeItem, ...]
    payments: tuple[FeePayment, ...]


def _allowed(session: Session, action: Action, on_error: ErrorCallback) -> User | None:
    return require_or_report(session.user, action, on_error)


def load_fee_context(
    *, session: Session, case_id: uuid.UUID, on_done: Callable[[FeeContext], object], on_error: ErrorCallback
) -> None:
    """Read the case, its fee items and its fee records."""
    if _allowed(session, Action.COLLECT_FEE, on_error) is None:
        return
    store = fee_store(session)
    catalog = session.catalog
    tax_file = getattr(session.settings, "tax_settings_file", None)  # Settings has it; GuiSettings not

    def job() -> FeeContext:
        case, state = store.load_case(case_id)
        items = fee_items(case, catalog, office_tax_settings(Path(tax_file) if tax_file else None))
        name = catalog.get(case.business_type).name if case.business_type in catalog else case.business_type
        payments = store.fee_payments(case_id)
        return FeeContext(case_id, case.case_number or "", state, name, tuple(items), tuple(payments))

    session.executor.submit(job, on_done=on_done, on_error=on_error)


def collect_fee(
    *,
    session: Session,
    entry: FeeEntry,
    on_done: Callable[[FeePayment], object],
    on_error: ErrorCallback,
    approver_username: str = "",
    approver_password: str = "",
    parent: QWidget | None = None,
) -> None:
    """Record a payment (for 免收, with the approving supervisor's password)."""
    user = _allowed(session, Action.COLLECT_FEE, on_error)
    if user is None:
        return
    store = fee_store(session)
    session.executor.submit(
        lambda: store.record_fee(
            entry, user=user, approver_username=approver_username, approver_password=approver_password
        ),
        on_done=on_done,
        on_error=on_error,
        progress="正在登记收费…",
        parent=parent,
    )


def void_fee(
    *,
    session: Session,
    payment_id: int,
    reason: str,
    on_done: Callable[[FeePayment], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Void a fee record (supervisors)."""
    user = _allowed(session, Action.VOID_FEE, on_error)
    if user is None:
        return
    store = fee_store(session)
    session.executor.submit(
        lambda: store.void_fee(payment_id, user=user, reason=reason),
        on_done=on_done,
        on_error=on_error,
        progress="正在作废…",
        parent=parent,
    )


__all__ = ["FeeContext", "FeeStore", "collect_fee", "fee_store", "load_fee_context", "void_fee"]
