"""The office's overdue limit: past it, intake warns, then needs a supervisor (``intake_allowed``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.harness import Harness, harness_in


def _harness(tmp_path: Path, days: int) -> Harness:
    return harness_in(tmp_path, None, sync_overdue_days=days)


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = _harness(tmp_path, 3)
    yield harness
    harness.store.close()


def test_nothing_pending_allows_intake(h: Harness) -> None:
    assert h.service.intake_allowed() == (True, "", False)


def test_warns_before_the_limit_then_needs_a_supervisor(h: Harness) -> None:
    h.submitted_case()
    assert h.service.intake_allowed() == (True, "", False)
    h.clock.advance(days=2, hours=6)
    allowed, warning, supervisor = h.service.intake_allowed()
    assert (allowed, supervisor) == (True, False)
    assert "3 个数据包未送达" in warning and "18 小时后" in warning and "U 盘" in warning
    h.clock.advance(hours=19)
    allowed, warning, supervisor = h.service.intake_allowed()
    assert (allowed, supervisor) == (False, True)
    assert "已超过本单位规定的 3 天" in warning and "科长确认" in warning
    assert h.service.intake_allowed(h.clock.now, warn_days_before=0)[0] is False


def test_delivered_packages_do_not_count(h: Harness) -> None:
    case = h.submitted_case("mortgage_first")
    h.clock.advance(days=10)
    assert h.service.intake_allowed()[2] is True
    [leg] = h.service.legs(case.id)
    h.service.outbox.mark_acknowledged(leg.package_id, leg.department, receipt_no="DJ1", now=h.clock.now)
    assert h.service.intake_allowed() == (True, "", False)


def test_no_limit_configured(tmp_path: Path) -> None:
    h = _harness(tmp_path, 0)
    try:
        h.submitted_case()
        h.clock.advance(days=400)
        assert h.service.intake_allowed() == (True, "", False)
    finally:
        h.store.close()
