"""Look-ups at 交易 and 登记, and the re-check of a case taken in offline before it is sent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from sync.backends import DepartmentScript, ReferenceBackends
from sync.errors import ServerUnavailable
from sync.keys import NotEnrolled
from sync.lookups import (
    LookupNotFound,
    PropertyStatus,
    apply_contract,
    describe_age,
    fetch_contract,
    fetch_property_statuses,
)
from sync.package import Department
from tests.sync.conftest import make_case
from tests.sync.harness import Harness, harness_in

REG = Department.REGISTRATION
CONTRACT = {
    "price": "1850000.00",
    "signed_on": "2025-03-01",
    "property": {
        "unit_number": "110105001001GB00001F00010002",
        "location": "北京市朝阳区某路2号",
        "area": "76.3",
    },
    "parties": [
        {"role": "right_holder", "name": "王五", "id_type": "resident_id", "id_number": "11010519491231002X"},
        {"role": "obligor", "name": "赵六", "id_type": "resident_id", "id_number": "110105194912310037"},
    ],
}


@pytest.fixture
def backends(tmp_path: Path) -> Iterator[ReferenceBackends]:
    with ReferenceBackends(tmp_path / "backends.sqlite") as running:
        yield running


@pytest.fixture
def h(tmp_path: Path, backends: ReferenceBackends) -> Iterator[Harness]:
    harness = harness_in(tmp_path, backends)
    yield harness
    harness.store.close()


def test_contract_look_up_prefills_the_case_with_the_answer_age(
    h: Harness, backends: ReferenceBackends
) -> None:
    with pytest.raises(NotEnrolled):
        h.service.lookup_contract("WQ-1")
    h.enrol()
    as_of = datetime(2025, 3, 14, 1, 0, tzinfo=UTC)
    backends.set_contract("WQ-2025-7", {**CONTRACT, "as_of": as_of.isoformat()})
    record = h.service.lookup_contract("WQ-2025-7")
    assert record.price == Decimal("1850000.00") and record.as_of == as_of
    assert describe_age(record.as_of, h.clock.now) == "1 小时前"
    assert "王五" not in repr(record.parties[0])
    blank = make_case()
    blank.parties = [p for p in blank.parties if p.role.value == "right_holder"]
    blank.property.unit_number = ""
    blank.property.area = None
    filled = apply_contract(blank, record)
    assert filled.transaction.price == Decimal("1850000.00")
    assert filled.transaction.contract_filing_number == "WQ-2025-7"
    assert filled.property.unit_number == "110105001001GB00001F00010002"
    assert filled.property.area == Decimal("76.3")
    assert filled.property.location == blank.property.location  # typed by the clerk: kept
    assert [p.name for p in filled.parties] == [blank.parties[0].name, "赵六"]  # the missing seller added
    with pytest.raises(LookupNotFound, match="WQ-404"):
        h.service.lookup_contract("WQ-404")
    credential = h.vault.credential(REG)
    assert credential is not None
    with pytest.raises(LookupNotFound):  # 登记 does not serve contracts
        fetch_contract("WQ-2025-7", backends.url(REG), credential)


def test_property_status_and_an_unreachable_registry(h: Harness, backends: ReferenceBackends) -> None:
    h.enrol()
    backends.set_property_status("U1", {"seized": True, "notes": ["法院查封"]})
    status = h.service.property_status("U1")
    assert status.seized and not status.mortgaged and status.encumbered
    assert describe_age(status.as_of, datetime.now(UTC)) == "刚刚"
    backends.set_script(REG, DepartmentScript(down=True))
    with pytest.raises(ServerUnavailable):
        h.service.property_status("U1")


def test_differences_name_each_changed_flag() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    clear = PropertyStatus(unit_no="U", as_of=now)
    seized = PropertyStatus(unit_no="U", seized=True, mortgaged=True, as_of=now)
    assert clear.differences(clear) == []
    assert seized.differences(clear) == ["查封：受理时为“无”，现为“有”", "抵押：受理时为“无”，现为“有”"]
    assert clear.differences(seized) == ["查封：受理时为“有”，现为“无”", "抵押：受理时为“有”，现为“无”"]
    assert seized.differences(None) == ["查封：受理时未能查询，现为“有”", "抵押：受理时未能查询，现为“有”"]
    assert describe_age(now - timedelta(days=3), now) == "3 天前"


def test_a_case_taken_in_offline_is_rechecked_before_it_is_sent(
    h: Harness, backends: ReferenceBackends
) -> None:
    h.enrol()
    seen_case = h.ready_case()
    unit = seen_case.property.unit_number
    backends.set_property_status(unit, {"seized": False, "objection": False, "mortgaged": False})
    h.service.note_property_status(seen_case.id, h.service.property_status(unit), user=h.clerk)
    h.service.submit_case(seen_case.id, user=h.clerk)
    offline_case = h.submitted_case("mortgage_first")  # never looked up
    backends.set_property_status(unit, {"seized": True, "objection": False, "mortgaged": False})
    backends.set_property_status(offline_case.property.unit_number, {"mortgaged": False})

    summary = h.service.worker().run_once()
    assert summary.delivered == 4
    [(at, changes)] = h.service.status_checks(seen_case.id)
    assert changes == ("查封：受理时为“无”，现为“有”",) and at == h.clock.now
    last = [c for c in h.store.history(seen_case.id) if "recheck_version" in c.details][-1]
    assert "发送前复核房屋状态：查封" in last.reason and last.user_id is None
    assert h.service.status_checks(offline_case.id)[0][1] == ()  # nothing set now: nothing to flag
    h.service.worker().run_once()  # checked once per submitted version
    assert len(h.service.status_checks(seen_case.id)) == 1


def test_recheck_waits_for_a_reachable_registry_and_flags_an_unknown_unit(
    h: Harness, backends: ReferenceBackends
) -> None:
    h.enrol()
    case = h.submitted_case("mortgage_first")
    backends.set_script(REG, DepartmentScript(down=True))
    assert h.service.recheck_pending() == []
    assert h.service.status_checks(case.id) == []
    backends.set_script(REG, DepartmentScript())
    [check] = h.service.recheck_pending()
    assert check.current is None and "查无该不动产单元" in check.changes[0]


def test_many_units_are_looked_up_in_one_request_or_one_by_one_without_the_shortcut(
    h: Harness, backends: ReferenceBackends
) -> None:
    h.enrol()
    backends.set_property_status("U1", {"seized": True})
    backends.set_property_status("U2", {"mortgaged": True})
    endpoint = h.service.endpoints()[REG]
    for plain, expected in ((False, ["POST"]), (True, ["POST", "GET", "GET", "GET"])):
        backends.set_script(REG, DepartmentScript(plain_protocol=plain))
        seen: list[str] = []
        with httpx.Client(event_hooks={"request": [lambda r, seen=seen: seen.append(r.method)]}) as client:
            found = fetch_property_statuses(
                ["U1", " U2 ", "U3", "U1"], endpoint.base_url, endpoint.credential, client=client
            )
        assert seen == expected  # the batch request; refused (404) by a plain back end, then per unit
        assert set(found) == {"U1", "U2", "U3"} and found["U3"] is None
        assert found["U1"] is not None and found["U1"].seized and not found["U1"].mortgaged
        assert found["U2"] is not None and found["U2"].mortgaged


def test_every_case_is_rechecked_before_its_first_leg_goes_out(
    h: Harness, backends: ReferenceBackends
) -> None:
    h.enrol()
    cases = [h.submitted_case("mortgage_first") for _ in range(5)]
    seen: list[tuple[str, str]] = []
    # A request carries a leg when it names the package in its path, or its manifest in a batch.
    hook = {"request": [lambda r: seen.append((r.url.path, r.url.path + r.content.decode()))]}
    with httpx.Client(event_hooks=hook) as client:
        summary = h.service.worker(batch=4, concurrency=1).run_once(client=client)
    assert summary.delivered == sum(len(h.service.legs(c.id)) for c in cases)
    lookups = [i for i, (path, _) in enumerate(seen) if path.endswith("/properties/status")]
    assert 1 <= len(lookups) <= 4  # one request per claimed batch at most, never one per case
    for case in cases:
        [(_at, changes)] = h.service.status_checks(case.id)
        assert "查无该不动产单元" in changes[0]  # the reference 登记 holds no record of these units
        first_put = min(
            i
            for i, (_path, carried) in enumerate(seen)
            for leg in h.service.legs(case.id)
            if str(leg.package_id) in carried
        )
        assert any(i < first_put for i in lookups)


def test_a_registry_that_is_down_is_asked_once_per_round_and_holds_nothing_back(
    h: Harness, backends: ReferenceBackends
) -> None:
    h.enrol()
    cases = [h.submitted_case() for _ in range(5)]  # 存量房买卖: legs to all three
    backends.set_script(REG, DepartmentScript(down=True))
    seen: list[str] = []
    with httpx.Client(event_hooks={"request": [lambda r: seen.append(r.url.path)]}) as client:
        first = h.service.worker(batch=4, concurrency=1).run_once(client=client)
    assert sum(p.endswith("/properties/status") for p in seen) == 1  # later batches skip the look-up
    assert first.delivered == 10  # 交易 and 税务 legs went out; 登记's wait for it to come back
    assert all(h.service.status_checks(c.id) == [] for c in cases)  # nothing recorded as checked
    backends.set_script(REG, DepartmentScript())
    h.clock.advance(seconds=7200)  # past the back-off
    second = h.service.worker(batch=4, concurrency=1).run_once()
    assert second.delivered == 5
    assert all(len(h.service.status_checks(c.id)) == 1 for c in cases)  # checked before 登记 got it


def test_two_workers_rechecking_one_case_at_the_same_moment_record_it_once(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h.enrol()
    case = h.submitted_case()  # legs to all three departments
    first_legs = h.service.outbox.claim_due(
        owner="window-1",
        now=h.clock(),
        lease=timedelta(minutes=5),
        departments=[Department.TRANSACTION],
        limit=10,
    )
    other_legs = h.service.outbox.claim_due(
        owner="window-2",
        now=h.clock(),
        lease=timedelta(minutes=5),
        departments=[REG],
        limit=10,
    )
    real = fetch_property_statuses
    nested: list[object] = []

    def ask_while_the_other_window_records(*args: object, **kwargs: object) -> object:
        # Window 1 is waiting for 登记's answer when window 2 checks and records the same case.
        if not nested:
            nested.append("asking")
            nested.append(h.service.recheck_claimed(other_legs))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(
        "workstation.sync_service.fetch_property_statuses", ask_while_the_other_window_records
    )
    mine = h.service.recheck_claimed(first_legs)
    assert [len(n) for n in nested if isinstance(n, list)] == [1]  # window 2 recorded the check
    assert mine == []  # window 1 found it recorded once it held the case
    assert len(h.service.status_checks(case.id)) == 1
