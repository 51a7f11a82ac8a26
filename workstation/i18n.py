"""UI language: Chinese is the source language of every UI string; English comes from a ``.qm`` file.

``self.tr("新建案件")`` marks a string; ``scripts/update-translations`` extracts them into
``assets/translations/yichuang_en.ts`` and compiles ``yichuang_en.qm``.
"""

from __future__ import annotations

import os
from pathlib import Path

from workstation.qt import QApplication, QLibraryInfo, QLocale, QTranslator

ENV_LANG = "YICHUANG_LANG"
"""Environment variable set by ``yichuang --lang``: ``zh_CN`` or ``en``."""

LANGUAGES = {"zh_CN": "中文", "en": "English"}
"""The UI languages, by code, each named in itself."""

DEFAULT_LANGUAGE = "zh_CN"

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "assets" / "translations"
"""Where the compiled ``yichuang_<lang>.qm`` files are."""

_installed: list[QTranslator] = []


def requested_language(configured: str | None = None) -> str:
    """The language to start in: ``YICHUANG_LANG``, else the configured one, else Chinese."""
    for candidate in (os.environ.get(ENV_LANG, ""), configured or ""):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def install_language(app: QApplication, language: str) -> bool:
    """Switch the UI language; widgets retranslate on the ``LanguageChange`` event.

    Args:
        app: the application.
        language: ``zh_CN`` (the source language: removes translators) or ``en``.

    Returns:
        ``True`` when the language is in effect; ``False`` when its ``.qm`` file is missing (the UI
        stays Chinese).
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale(language))
    if language == DEFAULT_LANGUAGE:
        # Qt's own dialogs (buttons of message boxes) in Chinese too.
        qt_own = QTranslator(app)
        if qt_own.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_own)
            _installed.append(qt_own)
        return True
    translator = QTranslator(app)
    if not translator.load(f"yichuang_{language}", str(TRANSLATIONS_DIR)):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def current_language() -> str:
    """The language last installed (``zh_CN`` when none was)."""
    name = QLocale().name()
    return "en" if name.startswith("en") else DEFAULT_LANGUAGE
