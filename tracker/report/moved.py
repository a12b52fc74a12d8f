"""A report whose progress columns were sorted or moved apart from the measures' codes: Excel sorts only the columns
selected when told to «continue with the current selection», and each row then holds another measure's status,
percent, notes and sums. Read row by row, every one of them was written to the wrong measure."""

from __future__ import annotations

from . import layout as L
from .reader import ReportRow, squeezed

# what a row says of its measure in words: status, percent, information, remarks (columns 8–11). The sums beside
# them (6–7) are left out: a sort of columns 8–11 alone moves these and leaves the sums, and so goes unseen by a
# comparison that takes the sums in too
WORDS_COLUMNS = (L.COL_STATUS, L.COL_PERCENT, L.COL_NOTE, L.COL_REMARKS)


def _signature(cells: dict) -> tuple[str, ...]:
    """Columns 8–11 as text, however the file keeps them: 40 and 40.0 alike, spaces squeezed."""
    return tuple(squeezed(cells.get(column)) for column in WORDS_COLUMNS)


def moved_rows(rows: list[ReportRow], exported: dict[str, dict]) -> list[tuple[ReportRow, str]]:
    """(row, the measure whose cells it holds) for each row holding in columns 8–11 exactly what the export wrote for
    another measure's row (``exported``: code → its cells, layout.progress_cells) while that measure's own row no
    longer holds them. Only cells the export wrote for that measure alone, with words in the note column: two
    measures may well be «Виконується, 50 %» both, and a row's cells copied into another leave their own row as
    they were."""
    mine = {code: _signature(cells) for code, cells in exported.items()}
    owners: dict[tuple, list[str]] = {}
    for code, signature in mine.items():
        owners.setdefault(signature, []).append(code)
    held = {row.code: _signature(row.cells) for row in rows}
    note = WORDS_COLUMNS.index(L.COL_NOTE)
    found = []
    for row in rows:
        signature = held[row.code]
        owner = owners.get(signature, [])
        if signature == mine.get(row.code) or len(owner) != 1 or not signature[note]:
            continue
        source = owner[0]
        if source != row.code and held.get(source) != mine[source]:
            found.append((row, source))
    return found
