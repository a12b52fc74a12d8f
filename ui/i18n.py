"""The window's side of translation: the core's tr() and friends, plus Qt's own translator."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from tracker import i18n as _core
from tracker.i18n import LANGUAGES, N_, language, quarter_label, tr

__all__ = ["LANGUAGES", "N_", "language", "quarter_label", "set_language", "tr"]

_qt_translator = None


def set_language(code: str) -> None:
    """Choose the language of our strings and of Qt's own (OK, Cancel …) when an application runs."""
    _core.set_language(code)
    _install_qt_translator()


def _install_qt_translator() -> None:
    global _qt_translator
    app = QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language() == "uk":
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Ukrainian), "qtbase", "_",
                           QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            _qt_translator = translator
