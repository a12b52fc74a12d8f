"""The window's side of translation: the core's tr() and friends, plus Qt's own translator."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from tracker import i18n as _core
from tracker.i18n import LANGUAGES, N_, language, quarter_label, tr

__all__ = ["LANGUAGES", "N_", "language", "quarter_label", "set_language", "tr"]

_qt_translators: list[QTranslator] = []

# Qt's own Ukrainian catalog leaves a few strings of its file dialog in English
_QT_GAPS = {("QFileDialog", "&Look in:"): "&Шукати в:", ("QFileDialog", "Files of &type:"): "&Тип файлів:"}


class _QtGaps(QTranslator):
    """The strings Qt's Ukrainian catalog lacks; searched before it."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return _QT_GAPS.get((context, source))  # None: not ours, the next translator is asked

    def isEmpty(self) -> bool:
        return False


def set_language(code: str) -> None:
    """Choose the language of our strings and of Qt's own (OK, Cancel …) when an application runs."""
    _core.set_language(code)
    # Qt's own words in widgets made from now on — a calendar's month and day names, a number's decimal comma —
    # follow the program's language, not the system's: under LANG=C the deadline's calendar was in English
    QLocale.setDefault(QLocale(QLocale.Language.Ukrainian, QLocale.Country.Ukraine) if language() == "uk"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    _install_qt_translator()


def _install_qt_translator() -> None:
    app = QCoreApplication.instance()
    if app is None:
        return
    while _qt_translators:
        app.removeTranslator(_qt_translators.pop())
    if language() == "uk":
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Ukrainian), "qtbase", "_",
                           QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            _qt_translators.append(translator)
        gaps = _QtGaps(app)  # installed last: asked first
        app.installTranslator(gaps)
        _qt_translators.append(gaps)
