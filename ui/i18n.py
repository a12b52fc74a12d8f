"""The one translation mechanism for visible strings: Ukrainian source text, English on request."""

from __future__ import annotations

from .translations_en import EN

LANGUAGES = {"uk": "Українська", "en": "English"}
_language = "uk"


def set_language(code: str) -> None:
    global _language
    _language = code if code in LANGUAGES else "uk"


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
