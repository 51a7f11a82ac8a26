"""Fixtures: a private pcscd with the vpcd driver (session-wide) and virtual passports placed on it.

The PC/SC tests fail under ``CI`` when pcscd, vpcd or pyscard is missing and are skipped elsewhere.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scanning.passport.pcsc import PcscContext
from scanning.passport.virtual import VirtualPassport, VpcdCard
from tests.pcsc import READER_NAME, PcscdService, missing_requirements


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PcscdService]:
    """pcscd with a vpcd reader on a free port, reached through a private socket."""
    missing = missing_requirements()
    if missing:
        message = "PC/SC tests need: " + "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    service = PcscdService(Path(tmp_path_factory.mktemp("pcscd")))
    # libpcsclite reads the variable once, on the first PC/SC call of the process.
    previous = os.environ.get("PCSCLITE_CSOCK_NAME")
    os.environ["PCSCLITE_CSOCK_NAME"] = str(service.socket_path)
    service.start()
    try:
        yield service
    finally:
        service.stop()
        if previous is None:
            os.environ.pop("PCSCLITE_CSOCK_NAME", None)
        else:
            os.environ["PCSCLITE_CSOCK_NAME"] = previous


def wait_card_state(present: bool, timeout: float = 5.0) -> None:
    """Wait until the virtual reader reports the card present (or absent)."""
    deadline = time.monotonic() + timeout
    with PcscContext() as context:
        while context.card_present(READER_NAME) != present:
            if time.monotonic() > deadline:
                raise AssertionError(f"reader did not report card {'present' if present else 'absent'}")
            time.sleep(0.02)


PlaceCard = Callable[..., VpcdCard]


@pytest.fixture
def place_card(pcscd: PcscdService) -> Iterator[PlaceCard]:
    """Place a virtual passport on the reader: ``place_card(chip, remove_after=None)``.

    Every card placed is removed at the end of the test, and the test waits until the reader has
    noticed, so the next test starts with an empty reader.
    """
    cards: list[VpcdCard] = []

    def place(chip: VirtualPassport, *, remove_after: int | None = None, wait: bool = True) -> VpcdCard:
        card = VpcdCard(chip, port=pcscd.port, remove_after=remove_after)
        card.insert()
        cards.append(card)
        if wait:
            wait_card_state(True)
        return card

    yield place
    for card in cards:
        card.remove()
    if cards:
        wait_card_state(False)
