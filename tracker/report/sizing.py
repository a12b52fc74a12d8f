"""How tall the report's rows are and where a text too tall for one is cut: the sizes Excel and LibreOffice do not
work out themselves, shared by the export (tracker.report.export) and the re-import (tracker.report.reimport)."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from . import layout as L

LINE_HEIGHT = 12.75  # points per line of 10 pt Times New Roman
NUMBERS_HEIGHT = LINE_HEIGHT + 2  # the row of column numbers under the headings
ROW_LIMIT = 409  # Excel's tallest row, points: it cuts a taller one to this, and the rest of its text is not seen
CHARS_PER_WIDTH = 1.0  # characters of 10 pt Times per unit of column width (the Times digit), measured on the printout


def needed(task_text: str) -> float:
    """The height a task's text needs in its column."""
    return lines_height(line_count(task_text, L.COL_TASK))


def lines_height(lines: int) -> float:
    """A row's height (points) for so many lines of 10 pt text, with its padding."""
    return lines * LINE_HEIGHT + 4


# Times New Roman's letters are not alike: «ш», «м», «Ж» take about one and a half of an average letter,
# «і», «l», a comma or a bracket about half; counting them so keeps row heights close to what prints
_WIDE = frozenset("шщжмюфыШЩЖМЮФДЫWMmw—%")
_NARROW = frozenset("іїjlIЇtfr.,:;!'’()[]|-/ ")


@lru_cache(maxsize=1 << 16)
def _text_width(word: str) -> float:  # the same words come back in every task and executor: counted once
    return sum(1.45 if c in _WIDE else 0.55 if c in _NARROW else 1.3 if c.isupper() else 1.0 for c in word)


def line_count(text: str, column: int, width: float | None = None, bold: bool = False) -> int:
    """Lines a wrapped cell takes: words are wrapped whole, as Excel and LibreOffice do (bold is wider)."""
    per_line = max(1.0, (width or L.COLUMN_WIDTHS[column - 1]) * CHARS_PER_WIDTH * (0.88 if bold else 1))
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            length = _text_width(word)
            if used and used + 0.55 + length > per_line:
                lines += 1
                used = 0.0
            while length > per_line:  # a word longer than the line breaks inside it
                lines += 1
                length -= per_line
            used += length + (0.55 if used else 0)
    return max(lines, 1)


def run_on(values: dict[int, object]) -> list[tuple[dict[int, object], float]]:
    """A measure's row with its height; where a text of it is taller than a row can be, the row and rows going on
    with it: each long text cut into parts of at most MAX_LINES lines (parts), the rest of the row in its first."""
    height = row_height(values)
    if height <= ROW_LIMIT:
        return [(values, height)]
    parts = {column: text_parts(values[column], column) for column in L.CONTINUED_COLUMNS
             if isinstance(values.get(column), str)}
    # each says whose text it goes on with, and which of its parts it holds
    rows = [dict(values)] + [{L.COL_CODE: L.CONTINUED_ROW.format(code=values[L.COL_CODE], number=number)}
                             for number in range(1, max(map(len, parts.values())))]
    for column, pieces in parts.items():
        for row, piece in zip(rows, pieces):
            row[column] = piece
    return [(row, min(row_height(row), ROW_LIMIT)) for row in rows]  # a word taller than a row is cut by it


def header_height() -> float:
    """The headings' row: every heading whole («Профінансовано з початку року, тис. грн» takes four lines)."""
    lines = max(line_count(heading, column, bold=True) for column, heading in enumerate(L.HEADERS, start=1))
    return lines * LINE_HEIGHT + 6


# a part of a text gone on in rows: no taller than Excel's tallest row, and two parts to a printed page under the
# headings repeated there (20 lines) — at 31 lines a part took a page of its own, a third of it blank
MAX_LINES = int((min(ROW_LIMIT, (L.page_body_points() - header_height() - NUMBERS_HEIGHT) / 2) - lines_height(0))
                 // LINE_HEIGHT)
_SPACE = re.compile(r"\s+")


def longer_than_a_part(text: str, column: int) -> bool:
    """Longer, by half, than the export puts in one row of a text that goes on (the re-import's clue that a whole new
    text was pasted into the measure's own row over its first part, the old rest left in the rows under it)."""
    return line_count(text, column) > MAX_LINES * 3 // 2


def text_parts(text: str, column: int) -> list[str]:
    """``text`` cut after white space into parts of at most MAX_LINES lines in ``column``, each as long as fits: the
    parts joined are the text (a part ends with the space it was cut at, which the re-import keeps). A word taller
    than a row is not cut: it stays whole in its part, which the row cuts short."""
    ends = [m.end() for m in _SPACE.finditer(text)]
    # a part is no longer than this many characters (the narrowest letters, and a line's break): the search for
    # where it ends looks no further, or a 32,767-character note took seconds
    reach = int(MAX_LINES * (L.COLUMN_WIDTHS[column - 1] * CHARS_PER_WIDTH / 0.55 + 2))
    parts, start = [], 0
    while len(text) - start > reach or line_count(text[start:], column) > MAX_LINES:
        first = bisect_right(ends, start)
        if first == len(ends) or ends[first] >= len(text):
            break  # no white space to cut at before the end
        last = max(bisect_right(ends, min(start + reach, len(text) - 1)), first + 1)
        # the longest part that fits: ends[first:low] fit, ends[high:last] do not (the first end is taken even when
        # its word alone is taller than a row)
        low, high = first + 1, last
        while low < high:
            middle = (low + high) // 2
            if line_count(text[start:ends[middle]], column) <= MAX_LINES:
                low = middle + 1
            else:
                high = middle
        parts.append(text[start:ends[low - 1]])
        start = ends[low - 1]
    parts.append(text[start:])
    return parts


def row_height(values: dict[int, object]) -> float:
    """Row height that shows every wrapped cell whole (Excel and LibreOffice do not size them)."""
    lines = max((line_count(v, c) for c, v in values.items() if isinstance(v, str) and v), default=1)
    return lines_height(lines)
