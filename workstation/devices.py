"""The identity devices in the GUI: ID card reader, passport reader, chip-photo decoder and camera.

:class:`DeviceHub` owns the devices configured in the settings. The drivers (``scanning.idcard``,
``scanning.passport``) report cards from their own monitor threads; the hub re-emits every callback as
a Qt signal, so slots run on the UI thread. Opening the reader, reading a passport and opening the
camera happen on device threads, never on the UI thread.

Demo mode (``simulate_devices`` / ``yichuang demo --simulate-devices``): :func:`start_simulated_devices`
starts the GA 467 reader emulator on a pseudo-terminal (a synthetic card placed and lifted every few
seconds, so the clerk can open the parties page first), a chip-photo decoder
that knows only the emulator's cards, and a camera video synthesised from the bundled photographs
(``assets/demo/faces``). The application passes the :class:`SimulatedDevices` to :class:`DeviceHub` and
calls :meth:`SimulatedDevices.close` on exit.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from scanning.errors import IdCardError, ReaderIOError, ReaderTimeout, ScanningError, WltDecodeFailed
from scanning.face.settings import FaceSettings
from workstation.identity_service import face_settings
from workstation.qt import QLabel, QObject, QWidget, pyqtSignal

if TYPE_CHECKING:
    from scanning.face.camera import Camera
    from scanning.idcard.emulator import ReaderEmulator
    from scanning.idcard.reader import CardMonitor, IdCardReader
    from scanning.idcard.wlt import WltDecoder
    from scanning.passport.pcsc import CardMonitor as PassportMonitor
    from scanning.passport.reader import PcscPassportReader

log = logging.getLogger(__name__)

DEMO_FACES: Final = Path(__file__).resolve().parent.parent / "assets" / "demo" / "faces"
"""The photographs the demo mode makes its chip photo and camera video from (provenance in the README)."""

DEMO_FIXTURE: Final = "resident"
"""The emulated card lying on the simulated reader at start."""

DEMO_CYCLE: Final = (4.0, 8.0)
"""Demo: the emulated card lies on the reader 4 s, then is away 8 s (reading it again fills nothing new)."""

REOPEN_SECONDS: Final = 10.0
"""While no reader is found, look again this often."""


# ----------------------------------------------------------------------------------------- status
class ReaderState(StrEnum):
    """What the ID card reader is doing, for the status bar."""

    SEARCHING = "searching"
    READY = "ready"
    CARD = "card"
    MISSING = "missing"
    FAULT = "fault"


@dataclass(frozen=True)
class ReaderStatus:
    """The reader's state with its Chinese status text and what to check.

    Attributes:
        state: the state.
        text: the short status-bar text.
        detail: what to check or do (tooltip; "" when nothing).
    """

    state: ReaderState
    text: str
    detail: str = ""


class ReaderStatusLabel(QLabel):
    """The status-bar widget showing :class:`ReaderStatus` (text, colour, what to check as tooltip)."""

    _COLOURS: Final = {
        ReaderState.SEARCHING: "#555555",
        ReaderState.READY: "#2e7d32",
        ReaderState.CARD: "#1565c0",
        ReaderState.MISSING: "#c62828",
        ReaderState.FAULT: "#c62828",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerStatus")
        self.status: ReaderStatus | None = None

    def show_status(self, status: object) -> None:
        """Show a :class:`ReaderStatus` (the slot of :attr:`DeviceHub.reader_status_changed`)."""
        if not isinstance(status, ReaderStatus):
            return
        self.status = status
        self.setText(status.text)
        self.setToolTip(status.detail or status.text)
        self.setStyleSheet(f"color: {self._COLOURS[status.state]};")


# ----------------------------------------------------------------------------------------- demo
class DemoWltDecoder:
    """The demo's chip-photo decoder: it "decodes" only the emulator's cards, into the demo face.

    The emulator's photos are random bytes (no real WLT exists without a vendor library); this stands
    in for the vendor's decoder so the demo's face check has a chip photo. Any other photo is refused.
    """

    def __init__(self) -> None:
        from scanning.idcard.emulator import fixture_names, load_fixture

        self._known = {load_fixture(name).photo for name in fixture_names()}
        self._bmp: bytes | None = None
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        """``True``: the demo always has its decoder."""
        return True

    def decode(self, wlt: bytes) -> bytes:
        """The demo chip photo (102 × 126 BMP) for an emulator card.

        Raises:
            WltDecodeFailed: not a photo of the emulator's cards.
        """
        if bytes(wlt) not in self._known:
            raise WltDecodeFailed("演示模式的照片解码器只能解出模拟读卡器样例证件的照片，请改用证件扫描件")
        with self._lock:
            if self._bmp is None:
                from scanning.face._backend import cv2
                from scanning.face.images import decode_image
                from scanning.face.synth import chip_photo

                photo = decode_image((DEMO_FACES / "obama.jpg").read_bytes(), what="演示照片")
                ok, encoded = cv2.imencode(".bmp", chip_photo(photo))
                if not ok:
                    raise WltDecodeFailed("演示照片无法生成，请改用证件扫描件")
                self._bmp = encoded.tobytes()
            return self._bmp


class SimulatedDevices:
    """The demo's devices: the reader emulator on a pty, the demo decoder and a synthesised video.

    Attributes:
        emulator: the running reader emulator (``place``/``remove`` cards on it).
        port: the emulator's pty path.
        wlt_decoder: the demo decoder.
    """

    def __init__(self, emulator: ReaderEmulator, *, fixture: str, cycle: tuple[float, float] | None) -> None:
        self.emulator = emulator
        self.port = emulator.port
        self.fixture = fixture
        self.wlt_decoder = DemoWltDecoder()
        self._folder = Path(tempfile.mkdtemp(prefix="yc-demo-camera-"))
        self._video: Path | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._cycler: threading.Thread | None = None
        if cycle is not None:
            self._cycler = threading.Thread(target=self._cycle, args=cycle, name="demo-card", daemon=True)
            self._cycler.start()

    def _cycle(self, present: float, absent: float) -> None:
        # The demo's clerk cannot lay a card on a pty: the card comes and goes by itself.
        while not self._stop.wait(absent):
            self.emulator.place(self.fixture)
            if self._stop.wait(present):
                return
            self.emulator.remove()

    def camera_source(self) -> str:
        """The demo camera: a video of the demo face blinking and turning (written on first use).

        Raises:
            FaceModelMissing: the ``face`` extra is not installed.
        """
        with self._lock:
            if self._video is None:
                from scanning.face.images import decode_image
                from scanning.face.synth import blink_and_turn, face_frame, write_video

                photo = decode_image((DEMO_FACES / "obama2.jpg").read_bytes(), what="演示照片")
                frame = face_frame(photo, size=(480, 360))
                frames = [frame] * 5 + blink_and_turn(frame)
                self._video = write_video(frames, self._folder / "camera.avi")
            return str(self._video)

    def close(self) -> None:
        """Stop the emulator and delete the demo video."""
        self._stop.set()
        if self._cycler is not None:
            self._cycler.join(5)
        self.emulator.stop()
        shutil.rmtree(self._folder, ignore_errors=True)


def start_simulated_devices(
    settings: Any, *, fixture: str = DEMO_FIXTURE, cycle: tuple[float, float] | None = DEMO_CYCLE
) -> SimulatedDevices:
    """Start the demo devices (``simulate_devices`` on, or ``--simulate-devices``).

    Args:
        settings: the workstation settings (the reader's baud rate paces the emulator).
        fixture: the emulated card (``scanning/idcard/fixtures``).
        cycle: seconds the card lies on the reader, then seconds it is away, repeated (the first
            placement comes after the away time); ``None``: no card until ``emulator.place()``.

    Returns:
        The running devices; call :meth:`SimulatedDevices.close` on exit.
    """
    from scanning.idcard.emulator import ReaderEmulator

    emulator = ReaderEmulator(None, baudrate=int(getattr(settings, "idcard_baudrate", 115200)))
    emulator.start()
    return SimulatedDevices(emulator, fixture=fixture, cycle=cycle)


# ----------------------------------------------------------------------------------------- hub
class DeviceHub(QObject):
    """The configured identity devices, their monitor callbacks re-emitted as signals.

    Args:
        settings: the workstation settings (reader port and speed, decoder, passport reader, camera,
            threshold).
        simulated: the demo devices, replacing the reader, the decoder and the camera.
        passports: watch PC/SC readers for passports (pyscard and pcscd needed).
        parent: the Qt parent.

    Signals:
        reader_status_changed(object): the ID card reader's :class:`ReaderStatus`.
        card_placed(object): a card was read completely (``IdCardRecord``).
        card_removed(): that card left the reader.
        card_failed(object): a card could not be read (``IdCardError``, message for the clerk).
        passport_placed(str): a card arrived on a PC/SC reader (its name): ask for the MRZ.
        passport_removed(str): it left.
        passport_read(object): :meth:`read_passport` finished (``PassportRecord``).
        passport_failed(object): :meth:`read_passport` failed (``PassportError``).
    """

    reader_status_changed = pyqtSignal(object)
    card_placed = pyqtSignal(object)
    card_removed = pyqtSignal()
    card_failed = pyqtSignal(object)
    passport_placed = pyqtSignal(str)
    passport_removed = pyqtSignal(str)
    passport_read = pyqtSignal(object)
    passport_failed = pyqtSignal(object)

    def __init__(
        self,
        settings: Any,
        *,
        simulated: SimulatedDevices | None = None,
        passports: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.simulated = simulated
        self.face: FaceSettings = face_settings(settings)
        self.decoder_problem = ""
        self.wlt_decoder: WltDecoder = self._open_decoder()
        self.status = ReaderStatus(ReaderState.SEARCHING, "读卡器：正在查找…")
        self._passports = passports
        self._reader: IdCardReader | None = None
        self._monitor: CardMonitor | None = None
        self._passport_monitor: PassportMonitor | None = None
        self._passport_reader: PcscPassportReader | None = None
        self._stop = threading.Event()
        self._opener: threading.Thread | None = None

    def _open_decoder(self) -> WltDecoder:
        from scanning.idcard.wlt import MissingWltDecoder, open_wlt_decoder

        if self.simulated is not None:
            return self.simulated.wlt_decoder
        try:
            return open_wlt_decoder(str(getattr(self.settings, "wlt_decoder", "")) or None)
        except ScanningError as exc:  # configured but unusable: say why, fall back to scans
            self.decoder_problem = str(exc)
            return MissingWltDecoder()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Find the ID card reader and start monitoring (on a device thread); idempotent."""
        if self._opener is not None:
            return
        self._stop.clear()
        self._set_status(ReaderStatus(ReaderState.SEARCHING, "读卡器：正在查找…"))
        self._opener = threading.Thread(target=self._open_reader_loop, name="idcard-open", daemon=True)
        self._opener.start()
        if self._passports:
            self._start_passport_monitor()

    def close(self) -> None:
        """Stop the monitors and release the reader."""
        self._stop.set()
        if self._opener is not None:
            self._opener.join(5)
            self._opener = None
        if self._monitor is not None:
            self._monitor.stop()
            self._monitor = None
        if self._passport_monitor is not None:
            self._passport_monitor.stop()
            self._passport_monitor = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _open_reader(self) -> IdCardReader:
        from scanning.idcard.reader import SerialSamReader, open_reader

        baudrate = int(getattr(self.settings, "idcard_baudrate", 115200))
        if self.simulated is not None:
            return SerialSamReader(self.simulated.port, baudrate=baudrate)
        port = str(getattr(self.settings, "idcard_port", "")) or None
        return open_reader(port, baudrate=baudrate)

    def _open_reader_loop(self) -> None:
        # Device thread: opening probes serial ports (up to half a second each).
        from scanning.idcard.reader import CardMonitor

        while not self._stop.is_set():
            try:
                reader = self._open_reader()
            except IdCardError as exc:
                self._set_status(
                    ReaderStatus(
                        ReaderState.MISSING, "读卡器：未找到（悬停查看原因）", f"{exc}。每 10 秒自动重试。"
                    )
                )
                self._stop.wait(REOPEN_SECONDS)
                continue
            self._reader = reader
            self._set_status(self._ready(reader))
            self._monitor = CardMonitor(
                reader, on_placed=self._placed, on_removed=self._removed, on_error=self._card_error
            )
            self._monitor.start()
            return

    @staticmethod
    def _ready(reader: IdCardReader) -> ReaderStatus:
        return ReaderStatus(
            ReaderState.READY,
            "读卡器：已连接，请放置证件",
            f"身份证读卡器（{reader.description}）已就绪：把证件平放在感应区，当前当事人自动填写",
        )

    def _set_status(self, status: ReaderStatus) -> None:
        self.status = status
        self.reader_status_changed.emit(status)

    # ------------------------------------------------------------------ ID card callbacks (monitor thread)
    def _placed(self, record: object) -> None:
        self._set_status(ReaderStatus(ReaderState.CARD, "读卡器：证件已读取", "证件信息已读取，可拿开证件"))
        self.card_placed.emit(record)

    def _removed(self) -> None:
        if self._reader is not None:
            self._set_status(self._ready(self._reader))
        self.card_removed.emit()

    def _card_error(self, exc: IdCardError) -> None:
        if isinstance(exc, ReaderIOError | ReaderTimeout):
            self._set_status(ReaderStatus(ReaderState.FAULT, "读卡器：无应答（悬停查看原因）", str(exc)))
            return
        self._set_status(ReaderStatus(ReaderState.FAULT, "读卡器：读卡失败（悬停查看原因）", str(exc)))
        self.card_failed.emit(exc)

    # ------------------------------------------------------------------ passports
    def _start_passport_monitor(self) -> None:
        try:
            from scanning.passport.pcsc import CardMonitor as PcscMonitor
            from scanning.passport.pcsc import scard

            scard()
        except ScanningError as exc:  # pyscard missing: passports cannot be read on this machine
            log.info("passport monitoring off: %s", type(exc).__name__)
            return
        name = str(getattr(self.settings, "passport_reader", "")) or None
        self._passport_monitor = PcscMonitor(
            on_placed=self.passport_placed.emit,
            on_removed=self.passport_removed.emit,
            on_error=lambda exc: log.info("passport monitor: %s", type(exc).__name__),
            reader_name=name,
        )
        self._passport_monitor.start()

    def read_passport(self, mrz: str) -> None:
        """Read the passport on the PC/SC reader with the MRZ typed, on a device thread.

        The result arrives as :attr:`passport_read` or :attr:`passport_failed`.
        """

        def job() -> None:
            from scanning.passport.reader import PcscPassportReader

            try:
                if self._passport_reader is None:
                    name = str(getattr(self.settings, "passport_reader", "")) or None
                    self._passport_reader = PcscPassportReader(name)
                record = self._passport_reader.read(mrz, timeout=10.0)
            except ScanningError as exc:
                self.passport_failed.emit(exc)
                return
            self.passport_read.emit(record)

        threading.Thread(target=job, name="passport-read", daemon=True).start()

    # ------------------------------------------------------------------ camera
    def open_camera(self) -> Camera:
        """The configured camera, opened (call from a device thread: opening takes a moment).

        Raises:
            CameraUnavailable: it cannot be opened.
            FaceModelMissing: the ``face`` extra is not installed.
        """
        from scanning.face.camera import OpenCvCamera

        source: int | str = self.simulated.camera_source() if self.simulated is not None else self.face.camera
        camera = OpenCvCamera(source, width=self.face.frame_width, height=self.face.frame_height)
        camera.open()
        return camera


def open_devices(
    settings: Any, *, simulated: SimulatedDevices | None = None, parent: QObject | None = None
) -> DeviceHub:
    """The device hub from the settings, started (the reader is looked for on a device thread).

    Args:
        settings: the workstation settings.
        simulated: the demo devices (from :func:`start_simulated_devices`) when ``simulate_devices``.
        parent: the Qt parent.
    """
    hub = DeviceHub(settings, simulated=simulated, parent=parent)
    hub.start()
    return hub
