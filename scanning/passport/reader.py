"""Passport readers: the :class:`PassportReader` protocol and its PC/SC implementation."""

from __future__ import annotations

import time
from datetime import date
from typing import Protocol

from scanning.errors import NoChip
from scanning.passport.chip import DEFAULT_CHUNK, read_passport
from scanning.passport.mrz import BacKey, parse_key
from scanning.passport.pcsc import STATE_PRESENT, PcscContext, pick_reader
from scanning.passport.record import PassportRecord


class PassportReader(Protocol):
    """A device that reads ICAO eMRTD chips."""

    @property
    def description(self) -> str:
        """The reader's name for the status bar."""
        ...

    def card_present(self) -> bool:
        """Whether a card lies on the reader now."""
        ...

    def read(self, mrz_or_key: str | BacKey, *, timeout: float = 10.0) -> PassportRecord:
        """Wait up to ``timeout`` seconds for a passport and read it with the MRZ given."""
        ...


def list_readers() -> list[str]:
    """Names of the PC/SC readers connected now.

    Raises:
        NoReader: pyscard missing or the PC/SC service unreachable.
    """
    with PcscContext() as context:
        return context.readers()


class PcscPassportReader:
    """Reads passports on a PC/SC contactless reader through pyscard.

    Each :meth:`read` opens its own PC/SC context, so a reader is safe to keep for the whole session
    and to use from a worker thread (one read at a time).

    Args:
        reader_name: the reader (exact name, or part of it); the first reader when ``None``.
        chunk: bytes per READ BINARY.
        poll: seconds between checks while waiting for a passport.
    """

    def __init__(
        self, reader_name: str | None = None, *, chunk: int = DEFAULT_CHUNK, poll: float = 0.2
    ) -> None:
        self.reader_name = reader_name
        self.chunk = chunk
        self.poll = poll

    @property
    def description(self) -> str:
        """The reader's name (or "first PC/SC reader")."""
        return self.reader_name or "第一个 PC/SC 读卡器"

    def _reader(self, context: PcscContext) -> str:
        return pick_reader(context.readers(), self.reader_name)

    def card_present(self) -> bool:
        """Whether a card lies on the reader now.

        Raises:
            NoReader: the service or the reader is missing.
        """
        with PcscContext() as context:
            return context.card_present(self._reader(context))

    def _wait_for_card(self, context: PcscContext, reader: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        state = 0
        while True:
            remaining = deadline - time.monotonic()
            status = context.wait_status({reader: state}, max(0.0, min(self.poll, remaining)))
            if status is not None:
                state = status.get(reader, (0, b""))[0]
                if state & STATE_PRESENT:
                    return
            if remaining <= 0:
                raise NoChip(f"{timeout:g} 秒内读卡器上没有放置护照，请把护照资料页平放在读卡器上后重试")

    def read(
        self, mrz_or_key: str | BacKey, *, timeout: float = 10.0, today: date | None = None
    ) -> PassportRecord:
        """Wait for a passport and read it.

        Args:
            mrz_or_key: the MRZ (two lines, MRZ information, or "number birth expiry"), or a key.
            timeout: seconds to wait for a passport to be placed.
            today: reference date for the birth century; the system date by default.

        Raises:
            MrzInvalid: the MRZ text is malformed (checked before the reader is touched).
            NoReader, NoChip, ChipRemoved, ChipIOError, BacFailed, SecureMessagingError, LdsError,
            SodError, DataGroupHashMismatch: see :mod:`scanning.errors`.
        """
        key = mrz_or_key if isinstance(mrz_or_key, BacKey) else parse_key(mrz_or_key)
        with PcscContext() as context:
            reader = self._reader(context)
            self._wait_for_card(context, reader, timeout)
            with context.connect(reader) as connection:
                return read_passport(connection.transmit, key, today=today, chunk=self.chunk)


def open_passport_reader(reader_name: str | None = None) -> PcscPassportReader:
    """The passport reader for this machine, checked to be usable.

    Raises:
        NoReader: pyscard or the PC/SC service missing, or no (matching) reader.
    """
    with PcscContext() as context:
        pick_reader(context.readers(), reader_name)
    return PcscPassportReader(reader_name)
