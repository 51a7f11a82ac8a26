"""Start the GUI: application, font, language, error hook, login window; then store, catalog, main window.

Start-up shows the login window first (issue #2: interactive in at most twice a bare PyQt6 window's
start-up), importing only Qt and the login dialog. Settings, the store (SQLAlchemy, migrations check,
key unwrap), the catalog and the main window's modules load afterwards on the database executor's
worker while the clerk types; a sign-in pressed before they are ready waits for them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from workstation.i18n import current_language, install_language, requested_language
from workstation.qt import (
    QApplication,
    QDialog,
    QEvent,
    QFont,
    QFontDatabase,
    QMessageBox,
    QObject,
    Qt,
    QTimer,
)
from workstation.ui.login import LoginDialog

if TYPE_CHECKING:
    # Everything else loads after the login window shows (logging, the executor and error hook
    # included: each import is milliseconds the clerk would otherwise wait for the window).
    import logging

    from forms.catalog import Catalog
    from workstation.config import Settings, SettingsDatabase
    from workstation.devices import DeviceHub, SimulatedDevices
    from workstation.executor import DbExecutor
    from workstation.session import Session
    from workstation.storage.store import SqlStore
    from workstation.ui.main_window import MainWindow


def effective_settings(store: SettingsDatabase, user_id: int | None) -> Settings:
    """Every layer for this user: policy, office (file and database), the user's own, defaults.

    Raises:
        ConfigError: a stored value is invalid (the message names the key).
    """
    from workstation.config import Config

    return Config(database=store, user_id=user_id).settings


def _log() -> logging.Logger:
    import logging

    return logging.getLogger(__name__)


CJK_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)
"""UI fonts in order of preference: the first one installed becomes the application font."""

ENV_TEST_SCRIPT = "YICHUANG_TEST_SCRIPT"
"""End-to-end tests only: a JSON script of steps run after start (:mod:`workstation.automation`)."""


def set_default_font(app: QApplication) -> str:
    """Use an installed CJK UI font so Chinese is not drawn in a fallback font; returns its name."""
    families = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSizeF(max(10.0, app.font().pointSizeF()))
            app.setFont(font)
            return family
    return app.font().family()


def create_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with names, font and the configured language."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setApplicationName("Yichuang")
    app.setApplicationDisplayName("一窗受理")
    app.setOrganizationName("Yichuang")
    set_default_font(app)
    return app


def _fatal(exc: BaseException) -> int:
    """Show a start-up error (the store cannot be opened) and return the exit code."""
    from workstation import crashlog
    from workstation.ui.errors import is_known

    crashlog.log_crash(exc)
    box = QMessageBox(
        QMessageBox.Icon.Critical, "一窗受理", str(exc) if is_known(exc) else "启动失败，请联系信息科。"
    )
    box.exec()
    return 1


class _Loaded(NamedTuple):
    """What the background part of start-up hands to the UI thread."""

    settings: Settings
    store: SqlStore
    catalog: Catalog


ENV_SIMULATE_DEVICES = "YICHUANG_SIMULATE_DEVICES"
"""Set to ``1`` by ``yichuang --simulate-devices`` and ``yichuang demo``: emulated reader and camera."""

SYNC_STOP_SECONDS = 10.0
"""How long closing the window waits for a delivery in flight to reach a safe point."""

BEGIN_FALLBACK_MS = 1000
"""Start loading after this long even if the login window has not been painted (a platform without
expose events)."""


class _Startup(QObject):
    """The part of start-up after the login window shows: runs on the database executor's worker.

    Loading begins once the login window has been painted for the first time, so the worker's
    imports do not compete with the first frame.

    Attributes:
        session: the session, once settings, store and catalog are loaded.
        failure: the error that stopped start-up (shown by :func:`_fatal` after the login closes).
    """

    def __init__(self, app: QApplication, login: LoginDialog) -> None:
        super().__init__(app)
        self.app = app
        self.login = login
        self.executor: DbExecutor | None = None
        self.session: Session | None = None
        self.failure: BaseException | None = None
        self._store: SqlStore | None = None
        self._settings: Settings | None = None
        self._sync_stop: threading.Event | None = None
        self._devices: DeviceHub | None = None
        self.sync_problem = ""
        self._simulated: SimulatedDevices | None = None
        self._sync_thread: threading.Thread | None = None
        login.installEventFilter(self)
        QTimer.singleShot(BEGIN_FALLBACK_MS, self.begin)

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802 - Qt override
        """On the login window's first paint, queue :meth:`begin` (it runs once that frame is done)."""
        if watched is self.login and event is not None and event.type() == QEvent.Type.Paint:
            self.login.removeEventFilter(self)
            QTimer.singleShot(0, self.begin)
        return False

    def begin(self) -> None:
        """Log file and error hook; queue the loading on the worker (once; later calls do nothing)."""
        if self.executor is not None:
            return
        from workstation import crashlog, paths
        from workstation.executor import DbExecutor
        from workstation.ui.errors import install_excepthook

        try:
            crashlog.setup_logging(paths.data_dir())
        except OSError as exc:  # an unwritable data folder is reported when the store opens
            _log().warning("no log file: %s", type(exc).__name__)
        install_excepthook()
        _ = Qt.Key.Key_Return  # PyQt6 builds the Qt namespace's enums (~20 ms) now, not at the first key
        self.executor = DbExecutor()
        self.executor.submit(self._load, on_done=self._loaded, on_error=self._failed)

    def _load(self) -> _Loaded:
        # Worker thread: no widgets here. The imports are part of what is deferred.
        from forms.catalog import load_catalog
        from workstation import paths
        from workstation.backup import hold_app_lock
        from workstation.config import load_settings
        from workstation.storage.store import open_store

        # Held for the process's life: `yichuang backup restore` refuses while a window uses the data.
        self._app_lock = hold_app_lock(paths.data_dir())
        settings = load_settings()
        self._store = open_store(settings)
        catalog = load_catalog(Path(settings.catalog_file) if settings.catalog_file else None)
        return _Loaded(settings, self._store, catalog)

    def _loaded(self, loaded: _Loaded) -> None:
        from workstation.session import Session

        assert self.executor is not None  # set by begin(), which submitted this job
        self._settings = loaded.settings
        if not self.login.language_chosen:
            language = requested_language(loaded.settings.language)
            if language != current_language():
                install_language(self.app, language)
        self.session = Session(
            store=loaded.store, executor=self.executor, settings=loaded.settings, catalog=loaded.catalog
        )
        self.login.attach_session(self.session)  # runs a sign-in queued while loading
        # After any queued sign-in: the unknown-user timing hash and the main window's modules.
        self.executor.submit(self._warm_up, on_done=lambda _: None, on_error=self._warm_up_failed)

    def _warm_up(self) -> None:
        if self._store is not None:
            self._store.warm_up()
        import workstation.ui.main_window  # noqa: F401 - imported now so the main window opens fast

    @staticmethod
    def _warm_up_failed(exc: BaseException) -> None:
        # Not fatal: the same work happens again when it is needed, and fails there visibly.
        _log().warning("background warm-up failed: %s", type(exc).__name__)

    def _failed(self, exc: BaseException) -> None:
        self.failure = exc
        self.login.reject()

    def apply_user_settings(self) -> None:
        """Use the signed-in user's own preferences (language, copies) and the office's shared settings.

        Before sign-in only policy, ``office.toml`` and the defaults are known; the database layers
        (the office's settings on PostgreSQL, each user's preferences) apply from here on.
        """
        from workstation.config import ConfigError

        assert self.session is not None and self._store is not None
        user = self.session.user
        if user is None:
            return
        try:
            settings = effective_settings(self._store, user.id)
        except ConfigError as exc:  # a stored value no longer valid: keep the file settings, say why
            _log().warning("user settings not applied: %s", exc)
            return
        self._settings = settings
        self.session.settings = settings
        language = requested_language(settings.language)
        if not self.login.language_chosen and language != current_language():
            install_language(self.app, language)

    def start_sync(self) -> None:
        """Attach the sync service to the session; deliver in the background when departments are set.

        The worker is a daemon thread with its own database connections, never the UI thread.
        """
        from workstation.sync_service import SyncService

        assert self.session is not None and self._store is not None and self._settings is not None
        service = SyncService(self._store, self._settings, catalog=self.session.catalog)
        self.session.sync = service
        if any(service.base_urls().values()):
            from sync.errors import SyncError

            stop = threading.Event()
            try:
                self._sync_thread = service.start_background(stop)
            except SyncError as exc:
                # Intake never waits for sync: cases queue up, `yichuang sync status` and doctor say why.
                self.sync_problem = str(exc)
                _log().warning("sync worker not started: %s", type(exc).__name__)
                return
            self._sync_stop = stop
            _log().info("sync worker started")

    def start_devices(self, window: MainWindow) -> None:
        """Look for the ID-card and passport readers; in demo mode first start the simulated devices.

        Runs off the UI thread (the simulated camera writes a demo video); the hub's own monitors
        run on device threads and report through Qt signals.
        """
        assert self.executor is not None and self._settings is not None
        settings = self._settings
        simulate = settings.simulate_devices or os.environ.get(ENV_SIMULATE_DEVICES) == "1"

        def prepare() -> SimulatedDevices | None:
            from workstation.devices import start_simulated_devices

            return start_simulated_devices(settings) if simulate else None

        def ready(simulated: SimulatedDevices | None) -> None:
            from workstation.devices import open_devices

            self._simulated = simulated
            self._devices = open_devices(settings, simulated=simulated, parent=window)
            window.attach_devices(self._devices)

        self.executor.submit(prepare, on_done=ready, on_error=self._devices_failed)

    @staticmethod
    def _devices_failed(exc: BaseException) -> None:
        # Not fatal: intake works without readers (fields are typed); doctor reports what is missing.
        _log().warning("devices not started: %s", type(exc).__name__)

    def close(self) -> None:
        """Stop devices and the sync worker, let queued jobs finish and close the store."""
        if self._devices is not None:
            self._devices.close()
        if self._simulated is not None:
            self._simulated.close()
        if self._sync_stop is not None and self._sync_thread is not None:
            self._sync_stop.set()
            self._sync_thread.join(timeout=SYNC_STOP_SECONDS)
        if self.executor is not None:
            self.executor.shutdown()
        if self._store is not None:
            self._store.close()


def run_gui(argv: Sequence[str]) -> int:
    """Run the workstation GUI until the main window closes.

    ``yichuang`` (no sub-command) calls this, with ``YICHUANG_DATA_DIR`` and ``YICHUANG_LANG`` already
    set from ``--data-dir`` and ``--lang``. The login window shows first in the ``YICHUANG_LANG``
    language (Chinese by default); the configured language applies once the settings load.

    Args:
        argv: the program name and Qt's own arguments.

    Returns:
        The exit code: 0 normally, 1 when the settings or the store cannot be loaded.
    """
    app = create_application(argv)
    install_language(app, requested_language())  # YICHUANG_LANG; the configured one applies once loaded
    login = LoginDialog()
    startup = _Startup(app, login)

    script = os.environ.get(ENV_TEST_SCRIPT)
    if script:
        from workstation.automation import ScriptRunner

        runner = ScriptRunner(Path(script), app)
        runner.start()

    accepted = login.exec() == QDialog.DialogCode.Accepted
    if startup.failure is not None:
        startup.close()
        return _fatal(startup.failure)
    if not accepted or startup.session is None:
        startup.close()
        return 0
    from workstation.ui.main_window import MainWindow

    startup.apply_user_settings()
    startup.start_sync()
    window = MainWindow(startup.session)
    window.show()
    startup.start_devices(window)
    status = window.statusBar()
    if startup.sync_problem and status is not None:
        status.showMessage("案件将留在待发送队列：" + startup.sync_problem, 15000)
    window.offer_drafts()
    _log().info("signed in; main window shown")
    try:
        return app.exec()
    finally:
        startup.close()
