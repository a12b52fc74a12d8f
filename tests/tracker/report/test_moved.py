"""Rows holding another measure's progress as exported (tracker/report/moved.py)."""

from tracker.report import layout as L
from tracker.report.moved import moved_rows
from tracker.report.reader import ReportRow


def _cells(status="Виконується", percent=50, note="", remarks="", planned=None, actual=None) -> dict:
    return {L.COL_PLANNED: planned, L.COL_ACTUAL: actual, L.COL_STATUS: status, L.COL_PERCENT: percent,
            L.COL_NOTE: note, L.COL_REMARKS: remarks}


EXPORTED = {
    "1.1.1": _cells("Виконано", 100, "Встановлено 20 контейнерів", planned=12.3),
    "1.1.2": _cells("Виконується", 40, "Розроблено проєкт"),
    "1.1.3": _cells(L.NOT_SUBMITTED, "(дані за I кв. 2025) 30 %", "(дані за I кв. 2025) Виконується."),
    "1.1.4": _cells(L.NOT_SUBMITTED, None, None),
    "1.1.5": _cells("Виконується", 50),
}


def _rows(cells_by_code: dict) -> list[ReportRow]:
    return [ReportRow(row, code, cells) for row, (code, cells) in enumerate(cells_by_code.items(), start=12)]


def test_rows_left_as_exported_or_filled_in_move_nothing():
    assert moved_rows(_rows(EXPORTED), EXPORTED) == []
    filled = dict(EXPORTED, **{"1.1.4": _cells("Виконано", 100, "Новий текст"), "1.1.2": _cells("Виконано", 100)})
    assert moved_rows(_rows(filled), EXPORTED) == []


def test_columns_sorted_apart_from_the_codes_are_found():
    """Excel's «continue with the current selection»: columns 6–11 sorted by status, the codes left in place."""
    codes = list(EXPORTED)
    order = sorted(codes, key=lambda code: str(EXPORTED[code][L.COL_STATUS]))
    scrambled = {code: EXPORTED[source] for code, source in zip(codes, order)}
    found = moved_rows(_rows(scrambled), EXPORTED)
    assert found and all(scrambled[row.code] == EXPORTED[source] and row.code != source for row, source in found)
    assert {source for _, source in found} <= {"1.1.1", "1.1.2", "1.1.3"}  # the ones with words of their own


def test_a_row_s_values_copied_to_another_are_not_a_move():
    """The clerk copied 1.1.1's cells into 1.1.2's row: 1.1.1 still holds them."""
    copied = dict(EXPORTED, **{"1.1.2": EXPORTED["1.1.1"]})
    assert moved_rows(_rows(copied), EXPORTED) == []


def test_values_with_no_words_of_their_own_are_not_taken_for_a_move():
    """«Виконується, 50 %» typed for 1.1.4 while 1.1.5 moved on to 60 %: two measures may well say the same."""
    typed = dict(EXPORTED, **{"1.1.4": EXPORTED["1.1.5"], "1.1.5": _cells("Виконується", 60)})
    assert moved_rows(_rows(typed), EXPORTED) == []


def test_two_rows_swapped_are_found_however_the_numbers_are_kept():
    swapped = dict(EXPORTED, **{"1.1.1": {**EXPORTED["1.1.2"], L.COL_PERCENT: 40.0},
                                "1.1.2": {**EXPORTED["1.1.1"], L.COL_NOTE: " Встановлено  20 контейнерів "}})
    assert sorted((row.code, source) for row, source in moved_rows(_rows(swapped), EXPORTED)) == [
        ("1.1.1", "1.1.2"), ("1.1.2", "1.1.1")]


def test_the_words_sorted_without_the_sums_are_found_too():
    """Columns 8–11 selected and sorted: each row keeps its own sums."""
    exported = {code: {**cells, L.COL_PLANNED: 10.0 + number} for number, (code, cells) in enumerate(EXPORTED.items())}
    codes = list(exported)
    order = sorted(codes, key=lambda code: str(exported[code][L.COL_STATUS]))
    scrambled = {code: {**exported[source], L.COL_PLANNED: exported[code][L.COL_PLANNED]}
                 for code, source in zip(codes, order)}
    assert [(row.code, source) for row, source in moved_rows(_rows(scrambled), exported)] == [("1.1.4", "1.1.3")]
