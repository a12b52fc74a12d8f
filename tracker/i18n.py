"""The one translation mechanism: Ukrainian source text, English on request; no Qt here.

The window (ui/i18n.py) adds Qt's own translator on top; the command line stays Ukrainian.
"""

from __future__ import annotations

LANGUAGES = {"uk": "Українська", "en": "English"}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_language = "uk"
_english: dict[str, str] = {}  # the English table, read when English is first chosen


def set_language(code: str) -> None:
    """Choose the language of every translated string; an unknown code means Ukrainian."""
    global _language, _english
    _language = code if code in LANGUAGES else "uk"
    if _language == "en" and not _english:
        from .translations_en import EN  # here: a 200 KB table, 10–16 ms of every start, unused in Ukrainian

        _english = EN


def language() -> str:
    return _language


def N_(text: str) -> str:
    """Mark a constant for translation where it is defined; tr() translates it where it is shown."""
    return text


def tr(text: str, /, **values) -> str:
    """Translate a Ukrainian source string and fill in ``{name}`` placeholders."""
    if _language == "en":
        text = _english.get(text, text)
    return text.format(**values) if values else text


def quarter_label(quarter) -> str:
    """«II кв. 2025», or «Q2 2025» in English."""
    return tr("{roman} кв. {year}", roman=_ROMAN[quarter.number], number=quarter.number, year=quarter.year)
