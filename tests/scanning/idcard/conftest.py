"""Fixtures: an emulated reader on a pty and the real serial driver talking to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scanning.idcard.emulator import ReaderEmulator
from scanning.idcard.reader import SerialSamReader


@pytest.fixture
def emulator() -> Iterator[ReaderEmulator]:
    """An unpaced emulator with the ordinary resident ID card on it."""
    with ReaderEmulator("resident") as emu:
        yield emu


@pytest.fixture
def reader(emulator: ReaderEmulator) -> Iterator[SerialSamReader]:
    """The serial driver on the emulator's pty, with short timeouts so failures are quick."""
    with SerialSamReader(
        emulator.port, command_timeout=0.5, read_timeout=0.5, inter_byte_timeout=0.1, poll_interval=0.02
    ) as r:
        yield r
