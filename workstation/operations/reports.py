"""Report operations (issue 8): the end-of-day report, its sign-off, statistics and their export.

Each checks the role first and reports :class:`~workstation.permissions.PermissionDenied` through
``on_error`` without touching the database; the store checks again. Sign-off re-authenticates with the
supervisor's own password in the store. Exports are written on the worker and audited (file name and
row count, never the content).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from workstation.day_report import OFFICE_SCOPE, DayClosing, window_scope
from workstation.executor import ErrorCallback
from workstation.permissions import Action, require_or_report
from workstation.statistics import DayRange, Statistics, write_csv, write_xlsx

if TYPE_CHECKING:
    from printing.day_report import DayReport
    from workstation.qt import QImage, QWidget
    from workstation.session import Session
    from workstation.storage.api import User


@runtime_checkable
class ReportStore(Protocol):
    """The part of :class:`workstation.storage.store.SqlStore` the reports use."""

    @property
    def shares_office_settings(self) -> bool:
        """A shared PostgreSQL database (the office scope is available)."""
        ...

    def day_report(
        self, *, scope: str, day: date, user: User, office_name: str, type_names: Mapping[str, str]
    ) -> DayReport:
        """The day's figures."""
        ...

    def day_closing(self, scope: str, day: date) -> DayClosing | None:
        """The day's sign-off."""
        ...

    def day_closing_pdf(self, closing_id: int) -> bytes:
        """The signed PDF."""
        ...

    def close_day(
        self,
        *,
        scope: str,
        day: date,
        username: str,
        password: str,
        office_name: str,
        type_names: Mapping[str, str],
        render: Callable[[DayReport], bytes],
    ) -> tuple[DayClosing, bytes]:
        """Sign the day off."""
        ...

    def statistics(
        self, days: DayRange, *, user: User, type_names: Mapping[str, str] | None = None
    ) -> Statistics:
        """The statistics of a range."""
        ...

    def record_export(self, *, user: User, what: str, path: str, rows: int) -> int:
        """Audit an export."""
        ...


def report_store(session: Session) -> ReportStore:
    """The session's store as a :class:`ReportStore`.

    Raises:
        TypeError: the store has no reports (a programming error).
    """
    store = session.store
    if not isinstance(store, ReportStore):
        raise TypeError(f"{type(store).__name__} has no reports")
    return store


def _allowed(session: Session, action: Action, on_error: ErrorCallback) -> User | None:
    return require_or_report(session.user, action, on_error)


def own_scope(session: Session) -> str:
    """This window's scope (``<office code>-<window id>``)."""
    return window_scope(str(getattr(session.settings, "office_code", "")), session.settings.window_id)


def scopes(session: Session) -> list[str]:
    """The scopes a supervisor may choose: this window, and the whole office on PostgreSQL."""
    store = report_store(session)
    return [own_scope(session), OFFICE_SCOPE] if store.shares_office_settings else [own_scope(session)]


def type_names(session: Session) -> dict[str, str]:
    """Business type id → Chinese name."""
    return {bt.id: bt.name for bt in session.catalog.types}


@dataclass(frozen=True)
class DayView:
    """A day's report as the end-of-day tab shows it.

    Attributes:
        report: the figures now (unsigned); ``None`` for a signed day (its PDF is the stored one).
        closing: the sign-off, if the day was signed.
        pdf: the signed PDF, or the unsigned one made now.
        pages: the PDF's pages as images.
    """

    report: DayReport | None
    closing: DayClosing | None
    pdf: bytes
    pages: tuple[QImage, ...]


def load_day(
    *,
    session: Session,
    scope: str,
    day: date,
    on_done: Callable[[DayView], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """The day's report: the signed one when the day was signed off, else the figures now."""
    user = _allowed(session, Action.VIEW_REPORTS, on_error)
    if user is None:
        return
    store = report_store(session)
    names = type_names(session)
    office_name = session.settings.office_name

    def job() -> DayView:
        from printing.day_report import render_day_report
        from workstation.operations.printing import pdf_pages

        closing = store.day_closing(scope, day)
        if closing is not None:
            pdf = store.day_closing_pdf(closing.id)
            return DayView(None, closing, pdf, pdf_pages(pdf))
        report = store.day_report(scope=scope, day=day, user=user, office_name=office_name, type_names=names)
        pdf = render_day_report(report)
        return DayView(report, None, pdf, pdf_pages(pdf))

    session.executor.submit(
        job, on_done=on_done, on_error=on_error, progress="正在生成日终报表…", parent=parent
    )


def sign_day(
    *,
    session: Session,
    scope: str,
    day: date,
    username: str,
    password: str,
    on_done: Callable[[DayView], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """Sign the day off with the supervisor's own password (checked now, in the store)."""
    if _allowed(session, Action.CLOSE_DAY, on_error) is None:
        return
    store = report_store(session)
    names = type_names(session)
    office_name = session.settings.office_name

    def job() -> DayView:
        from printing.day_report import render_day_report
        from workstation.operations.printing import pdf_pages

        closing, pdf = store.close_day(
            scope=scope,
            day=day,
            username=username,
            password=password,
            office_name=office_name,
            type_names=names,
            render=render_day_report,
        )
        return DayView(None, closing, pdf, pdf_pages(pdf))

    session.executor.submit(
        job, on_done=on_done, on_error=on_error, progress="正在验证密码并签字…", parent=parent
    )


def save_pdf(
    *,
    session: Session,
    pdf: bytes,
    path: Path,
    scope: str,
    day: date,
    on_done: Callable[[Path], object],
    on_error: ErrorCallback,
) -> None:
    """Save the day's report PDF to a file (an export: audited)."""
    user = _allowed(session, Action.VIEW_REPORTS, on_error)
    if user is None:
        return
    store = report_store(session)

    def job() -> Path:
        path.write_bytes(pdf)
        store.record_export(user=user, what=f"day_report:{scope}:{day.isoformat()}", path=str(path), rows=0)
        return path

    session.executor.submit(job, on_done=on_done, on_error=on_error)


def load_statistics(
    *,
    session: Session,
    days: DayRange,
    on_done: Callable[[Statistics], object],
    on_error: ErrorCallback,
    parent: QWidget | None = None,
) -> None:
    """The statistics of a range of days."""
    user = _allowed(session, Action.VIEW_REPORTS, on_error)
    if user is None:
        return
    store = report_store(session)
    names = type_names(session)
    session.executor.submit(
        lambda: store.statistics(days, user=user, type_names=names),
        on_done=on_done,
        on_error=on_error,
        progress="正在统计…",
        parent=parent,
    )


def export_statistics(
    *,
    session: Session,
    statistics: Statistics,
    path: Path,
    on_done: Callable[[Path], object],
    on_error: ErrorCallback,
) -> None:
    """Write the statistics to ``path`` (``.xlsx``: Excel; anything else: CSV with BOM) and audit it."""
    user = _allowed(session, Action.EXPORT_STATISTICS, on_error)
    if user is None:
        return
    store = report_store(session)
    tables = statistics.tables()
    excel = path.suffix.lower() == ".xlsx"

    def job() -> Path:
        written = write_xlsx(tables, path) if excel else write_csv(tables, path)
        what = f"statistics_{'xlsx' if excel else 'csv'}:{statistics.range.start}..{statistics.range.end}"
        store.record_export(user=user, what=what, path=str(written), rows=sum(len(t.rows) for t in tables))
        return written

    session.executor.submit(job, on_done=on_done, on_error=on_error)


__all__ = [
    "DayView",
    "ReportStore",
    "export_statistics",
    "load_day",
    "load_statistics",
    "own_scope",
    "report_store",
    "save_pdf",
    "scopes",
    "sign_day",
    "type_names",
]
