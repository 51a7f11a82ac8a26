"""Exceptions of the ``scanning`` package, with messages a clerk (or the office's IT) understands.

``str(exc)`` is the Chinese message shown to the clerk: it says what happened and what to do. No
message carries personal data (names, ID numbers, photos); a frame's bytes are never put in a message.

Hierarchy::

    ScanningError
    └── IdCardError                 resident ID card readers (scanning.idcard)
        ├── ReaderNotFound          no reader, port missing, pyserial missing, permission denied
        ├── ReaderTimeout           the reader did not answer in time
        ├── ReaderIOError           the port failed while talking (cable pulled, adapter reset)
        ├── ProtocolError           the answer is not a valid SAM frame
        │   ├── FrameError          malformed frame (preamble, length, layout)
        │   │   └── TruncatedFrame  the frame stopped part-way
        │   └── ChecksumError       the XOR check byte does not match
        ├── CardStatusError         the reader answered with a failure status (SW3)
        │   ├── NoCard              find card failed (0x80)
        │   ├── SelectFailed        select card failed (0x81)
        │   ├── ReadFailed          read failed (0x41)
        │   │   └── CardRemoved     the card left the reader during the read
        │   └── ReaderStatusError   any other status, shown with its hex code
        ├── CardDataError           the card's text block cannot be understood
        └── PhotoError              the chip photo cannot be decoded
            ├── WltDecoderMissing   the vendor's WLT decoder is not configured or cannot be loaded
            └── WltDecodeFailed     the vendor's decoder rejected the photo
"""

from __future__ import annotations


class ScanningError(Exception):
    """Base of every error raised by ``scanning``; ``str(exc)`` is the clerk-facing message."""


class IdCardError(ScanningError):
    """An ID-card reader or a card read failed."""


class ReaderNotFound(IdCardError):
    """No usable reader: the port does not exist or cannot be opened, or nothing answers on it."""


class ReaderTimeout(IdCardError):
    """The reader did not answer a command within the time allowed."""


class ReaderIOError(IdCardError):
    """The serial port failed while talking to the reader (cable pulled, adapter reset)."""


class ProtocolError(IdCardError):
    """The reader's answer is not a valid GA 467 SAM frame."""


class FrameError(ProtocolError):
    """A malformed frame: wrong preamble, impossible length or an unexpected data layout."""


class TruncatedFrame(FrameError):
    """The frame stopped part-way: fewer bytes arrived than its length field announced."""


class ChecksumError(ProtocolError):
    """The frame's XOR check byte does not match its content."""


class CardStatusError(IdCardError):
    """The reader answered with a failure status byte (SW3).

    Attributes:
        status: the SW3 byte.
    """

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class NoCard(CardStatusError):
    """No card on the reader (find card failed, SW3 0x80)."""


class SelectFailed(CardStatusError):
    """The card was found but could not be selected (SW3 0x81)."""


class ReadFailed(CardStatusError):
    """Reading the card's data failed (SW3 0x41)."""


class CardRemoved(ReadFailed):
    """The card left the reader while it was being read; nothing of it is kept."""


class ReaderStatusError(CardStatusError):
    """The reader reported a status the driver does not treat specially; the message shows its hex code."""


class CardDataError(IdCardError):
    """The card was read but its text block cannot be understood (unknown card type, invalid field)."""


class PhotoError(IdCardError):
    """The chip photo cannot be turned into an image."""


class WltDecoderMissing(PhotoError):
    """The reader vendor's WLT photo decoder is not configured, not found or not loadable."""


class WltDecodeFailed(PhotoError):
    """The vendor's WLT decoder was called but did not produce a valid image."""
