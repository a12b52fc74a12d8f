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


def tr(text: str, **values) -> str:
    """Translate a Ukrainian source string and fill in ``{name}`` placeholders."""
    if _language == "en":
        text = EN.get(text, text)
    return text.format(**values) if values else text
