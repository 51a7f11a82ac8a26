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


# ---------------------------------------------------------------- document scanners (scanning.documents)
#
# DocumentScanError                 document scanners, file import and the page pipeline
# ├── DriverMissing                 the backend's library is not installed (message names what to install)
# ├── DeviceNotFound                no such scanner, or none connected
# ├── DeviceOffline                 the scanner is off, unplugged or does not answer
# ├── DeviceBusy                    another program (or window) is using the scanner
# ├── FeederEmpty                   the automatic document feeder has no paper
# ├── PaperJam                      paper stuck or double-fed in the feeder
# ├── CoverOpen                     the scanner's cover or feeder is open
# ├── ScanCancelled                 the clerk cancelled; pages already captured are kept
# ├── DriverCrashed                 the TWAIN worker process died; the window is unaffected
# ├── ScannerFault                  any other device error, shown with the driver's own words
# ├── UnsupportedFile               a file that cannot be imported (type or content)
# ├── ProfileError                  scan profiles: unknown profile, invalid file, locked setting
# │   └── ProfileLocked             the administrator locked the setting
# └── RecoveryError                 crash-recovery pages cannot be read back


class DocumentScanError(ScanningError):
    """A document scanner, a file import or the page pipeline failed."""


class DriverMissing(DocumentScanError):
    """The scanner backend's library or program is not installed; the message names what to install."""


class DeviceNotFound(DocumentScanError):
    """The requested scanner does not exist or is not connected."""


class DeviceOffline(DocumentScanError):
    """The scanner is switched off, unplugged or does not answer."""


class DeviceBusy(DocumentScanError):
    """The scanner is in use by another program or another scan."""


class FeederEmpty(DocumentScanError):
    """The automatic document feeder has no paper in it."""


class PaperJam(DocumentScanError):
    """Paper is stuck (or two sheets were fed at once) in the feeder."""


class CoverOpen(DocumentScanError):
    """The scanner's cover or the feeder's lid is open."""


class ScanCancelled(DocumentScanError):
    """The scan was cancelled; the pages captured before the cancel are kept.

    Attributes:
        pages_done: how many pages were captured before the cancel.
    """

    def __init__(self, message: str, pages_done: int = 0) -> None:
        super().__init__(message)
        self.pages_done = pages_done


class DriverCrashed(DocumentScanError):
    """The scanner driver's worker process died; the application itself is unaffected."""


class ScannerFault(DocumentScanError):
    """Any other error reported by the scanner driver (shown with the driver's own words)."""


class UnsupportedFile(DocumentScanError):
    """A file cannot be imported: unknown type, damaged content, or a missing converter."""


class ProfileError(DocumentScanError):
    """A scan profile is unknown or the profiles file is invalid."""


class ProfileLocked(ProfileError):
    """The administrator's policy locked this profile setting."""


class RecoveryError(DocumentScanError):
    """Pages saved for crash recovery cannot be read back (damaged, or a different key)."""


# ------------------------------------------------------------------------------- passports (eMRTD)
#
#   ScanningError
#   └── PassportError               ICAO 9303 passports over PC/SC (scanning.passport)
#       ├── MrzInvalid              the MRZ typed or scanned is malformed or fails a check digit
#       ├── NoReader                no PC/SC service, no reader, or pyscard missing
#       ├── NoChip                  no card on the reader, or the card is not an ICAO eMRTD
#       ├── ChipIOError             talking to the chip failed
#       │   └── ChipRemoved         the passport left the reader during the read
#       ├── ChipCommandFailed       the chip refused a command (status word shown)
#       ├── BacFailed               Basic Access Control refused: the MRZ does not match the chip
#       ├── SecureMessagingError    a protected answer has a wrong MAC or is malformed
#       ├── LdsError                a data group cannot be understood
#       └── SodError                the document security object is malformed or its signature is wrong
#           └── DataGroupHashMismatch  a data group differs from the hash the issuer signed


class PassportError(ScanningError):
    """A passport (ICAO Doc 9303 eMRTD) could not be read or checked."""


class MrzInvalid(PassportError):
    """The machine-readable zone typed or taken from the data page is malformed or fails a check digit.

    Attributes:
        field: the Chinese name of the MRZ field at fault ("" when the whole text is wrong).
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NoReader(PassportError):
    """No usable PC/SC reader: the smart-card service is not running, no reader, or pyscard missing."""


class NoChip(PassportError):
    """No card was placed in time, or the card on the reader is not an ICAO electronic passport."""


class ChipIOError(PassportError):
    """The reader failed while exchanging commands with the chip."""


class ChipRemoved(ChipIOError):
    """The passport was taken off the reader during the read; nothing of it is kept."""


class ChipCommandFailed(PassportError):
    """The chip answered a command with an error status word.

    Attributes:
        sw: the status word (e.g. ``0x6A82`` file not found).
    """

    def __init__(self, message: str, sw: int) -> None:
        super().__init__(message)
        self.sw = sw


class BacFailed(PassportError):
    """Basic Access Control failed: the document number, birth date or expiry typed do not match the chip."""


class SecureMessagingError(PassportError):
    """A secure-messaging answer has a wrong MAC, a wrong structure or cannot be decrypted."""


class LdsError(PassportError):
    """A data group (EF.COM, DG1, DG2) read from the chip cannot be understood."""


class SodError(PassportError):
    """The document security object (EF.SOD) is malformed or its signature does not verify."""


class DataGroupHashMismatch(SodError):
    """A data group read from the chip differs from the hash the issuing state signed (altered chip data).

    Attributes:
        data_group: the data group number (1 for DG1 …).
    """

    def __init__(self, message: str, data_group: int) -> None:
        super().__init__(message)
        self.data_group = data_group


# ----------------------------------------------------------------------------- face check (scanning.face)
#
#   ScanningError
#   └── FaceError                   camera, face matching and liveness (scanning.face)
#       ├── FaceModelMissing        the optional "face" extra (OpenCV, dlib, face_recognition) is missing
#       ├── CameraUnavailable       the camera (or the video standing in for it) cannot be opened or stopped
#       ├── FaceImageInvalid        an image cannot be decoded (corrupt bytes, unsupported format)
#       ├── NoFaceFound             no face in the live frames or in the document photo
#       ├── MultipleFaces           more than one face where exactly one is required
#       ├── FaceCheckCancelled      the clerk cancelled the check
#       └── OverrideNotAllowed      a supervisor override without a reason, or of a check that did not fail


class FaceError(ScanningError):
    """The camera, the face match or the liveness check failed."""


class FaceModelMissing(FaceError):
    """The optional ``face`` extra (OpenCV, dlib-bin, face_recognition and its models) is not installed."""


class CameraUnavailable(FaceError):
    """The camera cannot be opened, or stopped delivering frames."""


class FaceImageInvalid(FaceError):
    """An image (document photo, scan crop) cannot be decoded."""


class NoFaceFound(FaceError):
    """No face was found where one is required (a live frame or the document photo)."""


class MultipleFaces(FaceError):
    """More than one face was found where exactly one is required.

    Attributes:
        count: how many faces were found.
    """

    def __init__(self, message: str, count: int) -> None:
        super().__init__(message)
        self.count = count


class FaceCheckCancelled(FaceError):
    """The face check was cancelled before it finished; nothing is recorded."""


class OverrideNotAllowed(FaceError):
    """A supervisor override was refused: no reason given, or the check did not fail."""
