"""The one translation mechanism for visible strings: Ukrainian source text, English on request."""

from __future__ import annotations

from .translations_en import EN

LANGUAGES = {"uk": "Українська", "en": "English"}
_language = "uk"
_qt_translator = None


def set_language(code: str) -> None:
    """Choose the language of our strings and of Qt's own (OK, Cancel …) when an application runs."""
    global _language
    _language = code if code in LANGUAGES else "uk"
    _install_qt_translator()


def _install_qt_translator() -> None:
    global _qt_translator
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

    app = QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if _language == "uk":
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Ukrainian), "qtbase", "_",
                           QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            _qt_translator = translator


def language() -> str:
    return _language


def N_(text: str) -> str:
    """Mark a constant for translation where it is defined; tr() translates it where it is shown."""
    return text


def quarter_label(quarter) -> str:
    """«II кв. 2025», or «Q2 2025» in English."""
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[quarter.number]
    return tr("{roman} кв. {year}", roman=roman, number=quarter.number, year=quarter.year)


def tr(text: str, **values) -> str:
    """Translate a Ukrainian source string and fill in ``{name}`` placeholders."""
    if _language == "en":
        text = EN.get(text, text)
    return text.format(**values) if values else text
