"""Text clean-up and comparison keys shared by the importer, search and reports."""

from __future__ import annotations

import os
import re

APOSTROPHES = "'’ʼ`´‘"
_APOSTROPHE_RE = re.compile(f"[{APOSTROPHES}]")
_QUOTES_RE = re.compile(r"[«»“”„\"]")
# A word broken at a line end in Word leaves "інформаційно- комунікаційних": letter, hyphen,
# space, lowercase letter. A spaced dash ("Луцьк - Київ") has a space before the hyphen too.
_BROKEN_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])-\s+(?=[a-zа-яіїєґ])")


# control characters but tab and line breaks: no cell, database or person has use for them, and one
# (a vertical tab) is enough to make a workbook unwritable, a NUL to make PostgreSQL refuse a row
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# and, as text enters, the marks that turn the text's direction around (embeddings, overrides, isolates, and the
# right-to-left and Arabic letter marks, which turn the signs and digits beside them): shown, a name «Петро\u202eофіс»
# reads as another; Ukrainian text has no use for them. (Read from a package or a database they are not refused: an
# older version could have stored them.)
_ENTERING_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200f\u202a-\u202e\u2066-\u2069]")
MAX_TEXT = 32_767  # what one spreadsheet cell holds: a longer note could not travel in a report
MAX_NAME = 200  # a person's, a device's or a file's name
MAX_LABEL = 1000  # an executor's or a funding source's name in a plan


def storable(text: str) -> str:
    """``text`` as UTF-8 holds it: the bytes of a file's name that are not UTF-8 (a name made under another system's
    encoding, which Python keeps as lone surrogates) written out as «\\xff», the same each time. The database keeps
    only UTF-8: such a name had stopped a report's import, a package's and the first opening of a file."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no byte made (a Windows name with half a character)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def without_control(text: str) -> str:
    """Line breaks made plain (\n) and other control characters dropped: how text enters the program."""
    return _ENTERING_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_name(name: str | None) -> str:
    """A person's or a device's name as it is written into the history and packages: one line, no control
    characters, at most MAX_NAME characters (a longer one is cut: it is a label, not a record)."""
    return clean(without_control(str(name or "")))[:MAX_NAME]


def has_control(text: str) -> bool:
    return bool(_CONTROL_RE.search(text)) or "\r" in text


def clean(text: str | None) -> str:
    """Collapse runs of white space and trim."""
    return " ".join(str(text or "").split())


def join_broken_hyphens(text: str) -> str:
    return _BROKEN_HYPHEN_RE.sub("-", text)


def has_broken_hyphen(text: str) -> bool:
    return bool(_BROKEN_HYPHEN_RE.search(text))


def unify_apostrophes(text: str) -> str:
    return _APOSTROPHE_RE.sub("'", text)


def search_key(text: str) -> str:
    """Case-insensitive (Ukrainian included), apostrophe-variant-insensitive form for searching."""
    return unify_apostrophes(clean(text)).casefold()


def name_key(text: str) -> str:
    """Spelling-insensitive key for names: case, quotes, apostrophes, spaces, є/е in проєкт."""
    key = search_key(text)
    key = key.replace("проєкт", "проект")
    key = _QUOTES_RE.sub("", key)
    return re.sub(r"[^\w]+", "", key.replace("'", ""))


def starts_lowercase(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return char.islower()
    return False


def is_dash(text: str) -> bool:
    return clean(text) in {"-", "–", "—"}


def plural(count: int, one: str, few: str, many: str) -> str:
    """Ukrainian noun form for a count: 1 захід, 2 заходи, 5 заходів (11–14 take the third form)."""
    tail, tens = count % 10, count % 100
    if tail == 1 and tens != 11:
        form = one
    elif 2 <= tail <= 4 and not 12 <= tens <= 14:
        form = few
    else:
        form = many
    return f"{count} {form}"


UKRAINIAN_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_RANK = {letter: index for index, letter in enumerate(UKRAINIAN_ALPHABET)}


def ukrainian_sort_key(text: str) -> str:
    """A key that sorts names in Ukrainian alphabetical order (ґ after г, є after е, і and ї after и).

    Code-point order puts «Іноземні» before «Агенція» and «Єдиний» first of all. Spaces sort first,
    then digits, Latin and Cyrillic letters, as in Ukrainian dictionaries; quotes and apostrophes are
    left out. A plain string, so a Qt proxy can sort by it too.
    """
    key = []
    for char in unify_apostrophes(clean(text)).casefold():
        if char in _RANK:
            key.append(chr(0x3000 + _RANK[char]))
        elif char == " ":
            key.append(chr(0x20))
        elif char.isdigit() or ("a" <= char <= "z"):
            key.append(chr(0x1000 + ord(char)))
        elif char in "'\"«»“”„":
            continue
        else:
            key.append(chr(0x2000 + ord(char) % 0x1000))
    return "".join(key)


def shortened(text: str, width: int = 80) -> str:
    """A value as one line shows it: at most ``width`` characters, «…» where it was cut (a note may hold 32,767 of
    them, and filled the terminal)."""
    return text if len(text) <= width else text[:width - 1] + "…"


def around_the_change(old: str, new: str, width: int = 80) -> tuple[str, str]:
    """Two values as a line shows them: each at most ``width`` characters, both cut at the same place a little before
    where they first differ, «…» where cut. Two 5,000-character notes differing in their middle were each shown by
    their first 80 characters: the same line twice, and the part taken out of the middle was not seen."""
    if len(old) <= width and len(new) <= width:
        return old, new
    same = len(os.path.commonprefix([old, new]))
    start = max(0, same - width // 4)
    if start < width // 4:  # the difference is in sight from the beginning
        start = 0
    return _window(old, start, width), _window(new, start, width)


def _window(text: str, start: int, width: int) -> str:
    lead = "…" if start else ""
    room = width - len(lead)
    piece = text[start:]
    return lead + (piece if len(piece) <= room else piece[:room - 1] + "…")


def is_whole_number(text: str) -> bool:
    """Digits 0–9 only: what int() reads as a count. str.isdigit passes «²» and «¹⁴», on which int() fails."""
    return text.isascii() and text.isdigit()


def same_end(one: str, other: str) -> str:
    """The end two texts share."""
    return os.path.commonprefix([one[::-1], other[::-1]])[::-1]


def one_line(text: str) -> str:
    """A value on one line of a listing: its line breaks shown as «↵» (one broke the command line's preview)."""
    return text.replace("\r\n", "\n").replace("\n", "↵")


class Subsequences:
    """How long a common subsequence (the characters, in order, not necessarily together) ``text`` has with others:
    bit-parallel (Allison–Dix, Hyyrö), a few big-integer steps per character of the other text, ~40 µs for two of a
    plan's measures against a millisecond for difflib's ratio. difflib's matching blocks run in order in both texts,
    so they are a common subsequence: 2 × this length / (both lengths) bounds SequenceMatcher.ratio() from above."""

    def __init__(self, text: str):
        self.length = len(text)
        self._masks: dict[str, int] = {}
        for position, character in enumerate(text):
            self._masks[character] = self._masks.get(character, 0) | (1 << position)

    def longest_with(self, other: str) -> int:
        full = (1 << self.length) - 1
        row = full  # a 1 where the subsequence so far does not yet reach that character of ``text``
        for character in other:
            matched = row & self._masks.get(character, 0)
            row = ((row + matched) | (row - matched)) & full
        return self.length - row.bit_count()


def code_order(code: str) -> tuple:
    """A measure's code as it sorts in the plan: «1.2.10» after «1.2.9»."""
    return tuple(int(part) if is_whole_number(part) else 0 for part in code.split("."))
