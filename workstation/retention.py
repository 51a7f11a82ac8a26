"""Retention of local scans and face/ID photos: delete them once the back ends hold them (issue 8).

Qt-free. A window keeps each scanned material (``attachments.data``) and both photos of each face
check (``identity_checks.live_image`` and ``reference_image``) encrypted until:

* **the back end confirms it holds them** — for a scan, a leg whose signed manifest lists the scan's
  SHA-256 (only 登记 legs carry scans, ``workstation.sync_service.ATTACHMENT_DEPARTMENTS``) is
  ``delivered``, ``accepted`` or ``completed``; for the photos of a face check, a leg of the
  departments in :data:`PHOTO_DEPARTMENTS` (登记, which receives the case the check belongs to),
  queued after the check, is in one of those states (no package carries the photos themselves yet:
  see the report of issue 8); and
* **the office's retention period has passed** since that confirmation
  (setting ``retention_local_scan_days``, default :data:`DEFAULT_DAYS`; 0 keeps them forever).

STYLE.md, "The outbox": *delete local data only after the back end confirms it holds it*. A purged
scan keeps its row (material, pages, size, SHA-256) with ``data`` NULL and ``purged_at`` set; asking
for its bytes raises :class:`~workstation.storage.errors.AttachmentPurged` with
:data:`PURGED_MESSAGE`. A purged check keeps its record (the 人证核验记录 still prints, saying the
photos were deleted under the retention rule, :data:`PHOTOS_PURGED_NOTE`).

A run (``yichuang retention run [--dry-run]``; also once a day from the scheduled task
``yichuang backup auto``, :func:`run_if_due`) changes everything in one transaction and writes one
audit entry with counts only (kind ``retention``). The local retention period is the office's own
rule: no national document fixes how long a window keeps its copies, hence a setting.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

from sync.outbox import LegState
from sync.package import Department

if TYPE_CHECKING:
    from workstation.config import Settings

DEFAULT_DAYS: Final = 30
"""Days a local copy is kept after the back end confirmed it (setting ``retention_local_scan_days``)."""

HELD_STATES: Final = frozenset({LegState.DELIVERED, LegState.ACCEPTED, LegState.COMPLETED})
"""Leg states in which the department holds the package (acknowledged, accepted or finished)."""

PHOTO_DEPARTMENTS: Final = frozenset({Department.REGISTRATION})
"""Departments whose confirmation releases a case's face-check photos (登记 receives the case file)."""

RUN_INTERVAL: Final = timedelta(hours=24)
"""How often :func:`run_if_due` runs the purge."""

PURGED_MESSAGE: Final = "本地副本已按保留期限删除，登记部门已确认收到"
"""What a clerk or supervisor reads instead of a purged scan (the UI and the CLI)."""

PHOTOS_PURGED_NOTE: Final = "现场照片和证件照片已按保留期限删除"
"""What the 人证核验记录 and the case view say of a check whose photos were purged."""


@dataclass(frozen=True)
class RetentionOutcome:
    """What a retention run deleted (or, for a dry run, would delete). Counts only, no personal data.

    Attributes:
        attachments: scans whose local copy was (would be) deleted.
        attachment_bytes: their size in bytes (decrypted documents).
        identity_checks: face checks whose photos were (would be) deleted.
        cases: cases concerned.
        cutoff: confirmations at or before this time count as old enough.
        days: the retention period used.
        dry_run: nothing was changed.
        audit_seq: the audit entry of the run (``None`` for a dry run).
    """

    attachments: int
    attachment_bytes: int
    identity_checks: int
    cases: int
    cutoff: datetime
    days: int
    dry_run: bool
    audit_seq: int | None = None

    def summary(self) -> str:
        """One Chinese line for the CLI and the log (counts only)."""
        verb = "可删除" if self.dry_run else "已删除"
        return (
            f"{verb}本地扫描件 {self.attachments} 份（{self.attachment_bytes / 1024**2:.1f} MB）、"
            f"人证核验照片 {self.identity_checks} 组，涉及 {self.cases} 个案件"
            f"（保留期限 {self.days} 天，部门在 {self.cutoff.astimezone():%Y-%m-%d %H:%M} 之前确认收到的）。"
        )


class RetentionStore(Protocol):
    """The part of :class:`workstation.storage.store.SqlStore` a retention run uses."""

    def purge_local_copies(
        self,
        *,
        cutoff: datetime,
        days: int,
        scan_states: Collection[str],
        photo_departments: Collection[str],
        user_id: int | None,
        dry_run: bool,
    ) -> RetentionOutcome:
        """Delete (or count) what the rule allows, in one transaction, audited."""
        ...

    def last_retention_run(self) -> datetime | None:
        """When the last (non-dry) run was recorded in the audit log."""
        ...


def cutoff_for(now: datetime, days: int) -> datetime:
    """Confirmations at or before this time are old enough to purge."""
    return now - timedelta(days=days)


def run_retention(
    store: RetentionStore,
    *,
    days: int,
    now: datetime | None = None,
    dry_run: bool = False,
    user_id: int | None = None,
) -> RetentionOutcome:
    """Delete the local scans and photos the back ends hold, older than ``days`` since confirmation.

    Args:
        store: the store.
        days: the retention period (``Settings.retention_local_scan_days``), at least 1.
        now: the current time (tests).
        dry_run: count only, change nothing (and write no audit entry).
        user_id: who ran it (``None``: the scheduled task).

    Raises:
        ValueError: ``days`` below 1 (0 means "keep forever": the caller does not run at all).
    """
    if days < 1:
        raise ValueError("the retention period is at least one day")
    moment = now or datetime.now(UTC)
    return store.purge_local_copies(
        cutoff=cutoff_for(moment, days),
        days=days,
        scan_states=sorted(s.value for s in HELD_STATES),
        photo_departments=sorted(d.value for d in PHOTO_DEPARTMENTS),
        user_id=user_id,
        dry_run=dry_run,
    )


def run_if_due(store: RetentionStore, *, days: int, now: datetime | None = None) -> RetentionOutcome | None:
    """Run when the last recorded run is :data:`RUN_INTERVAL` old (or none); ``None`` when not due.

    ``days == 0`` (keep forever) never runs. On a shared PostgreSQL office every window's scheduled
    task asks; the first one past the interval runs, the others then see its audit entry.
    """
    if days <= 0:
        return None
    moment = now or datetime.now(UTC)
    last = store.last_retention_run()
    if last is not None and moment - last < RUN_INTERVAL:
        return None
    return run_retention(store, days=days, now=moment)


def scheduled_run(
    settings: Settings, *, data_dir: Path, now: datetime | None = None
) -> RetentionOutcome | None:
    """The scheduled task's step (``yichuang backup auto``, hourly): purge once a day, when due.

    Opens the store only when there is something to do: not when retention is off (0 days) or the
    window has no SQLite database yet (a new installation must not get an empty one from here).

    Returns:
        What the run deleted, or ``None`` when it did not run.

    Raises:
        StorageError: the database or the machine key cannot be used (the message says why).
    """
    from workstation.storage.db import is_sqlite
    from workstation.storage.store import open_store, sqlite_path

    if settings.retention_local_scan_days <= 0:
        return None
    if is_sqlite(settings.database_url):
        db_file = sqlite_path(settings.database_url)
        if db_file is None or not db_file.exists():
            return None
    store = open_store(settings, data_dir=data_dir)
    try:
        return run_if_due(store, days=settings.retention_local_scan_days, now=now)
    finally:
        store.close()


__all__ = [
    "DEFAULT_DAYS",
    "HELD_STATES",
    "PHOTOS_PURGED_NOTE",
    "PHOTO_DEPARTMENTS",
    "PURGED_MESSAGE",
    "RUN_INTERVAL",
    "RetentionOutcome",
    "RetentionStore",
    "cutoff_for",
    "run_if_due",
    "run_retention",
    "scheduled_run",
]
