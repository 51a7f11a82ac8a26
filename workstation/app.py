"""Start the GUI: application, font, language, error hook, store, login, main window."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from workstation import crashlog, paths
from workstation.executor import DbExecutor
from workstation.i18n import install_language, requested_language
from workstation.qt import QApplication, QDialog, QFont, QFontDatabase, QMessageBox
from workstation.session import Session
from workstation.ui.errors import install_excepthook, is_known
from workstation.ui.login import LoginDialog
from workstation.ui.main_window import MainWindow

log = logging.getLogger(__name__)

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
    crashlog.log_crash(exc)
    box = QMessageBox(
        QMessageBox.Icon.Critical, "一窗受理", str(exc) if is_known(exc) else "启动失败，请联系信息科。"
    )
    box.exec()
    return 1


def run_gui(argv: Sequence[str]) -> int:
    """Run the workstation GUI until the main window closes.

    ``yichuang`` (no sub-command) calls this, with ``YICHUANG_DATA_DIR`` and ``YICHUANG_LANG`` already
    set from ``--data-dir`` and ``--lang``.

    Args:
        argv: the program name and Qt's own arguments.

    Returns:
        The exit code: 0 normally, 1 when the store cannot be opened.
    """
    from forms.catalog import load_catalog
    from forms.errors import FormsError
    from workstation.config import load_settings
    from workstation.storage.errors import StorageError
    from workstation.storage.store import open_store

    app = create_application(argv)
    try:
        crashlog.setup_logging(paths.data_dir())
    except OSError as exc:  # an unwritable data folder is reported when the store opens
        log.warning("no log file: %s", type(exc).__name__)
    install_excepthook()
    try:
        settings = load_settings()
    except Exception as exc:  # ConfigError and friends: shown, not a traceback
        return _fatal(exc)
    install_language(app, requested_language(settings.language))
    try:
        store = open_store(settings)
        catalog = load_catalog(Path(settings.catalog_file) if settings.catalog_file else None)
    except (StorageError, FormsError) as exc:
        return _fatal(exc)
    executor = DbExecutor()
    session = Session(store=store, executor=executor, settings=settings, catalog=catalog)

    runner = None
    script = os.environ.get(ENV_TEST_SCRIPT)
    if script:
        from workstation.automation import ScriptRunner

        runner = ScriptRunner(Path(script), app)
        runner.start()

    login = LoginDialog(session)
    if login.exec() != QDialog.DialogCode.Accepted:
        executor.shutdown()
        store.close()
        return 0
    window = MainWindow(session)
    window.show()
    window.offer_drafts()
    log.info("signed in; main window shown")
    try:
        return app.exec()
    finally:
        executor.shutdown()
        store.close()
