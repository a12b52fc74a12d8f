"""Fuzzing the filled-in report reader from a real exported report: every mutation is read or refused cleanly.

Cells typed over with anything (text, numbers, formulas, dates, control characters, the hidden
metadata too), and bytes of the file itself flipped or cut: reading gives a preview or a TrackerError;
applying the preview writes or is refused with the database unchanged; memory stays bounded.
TRACKER_FUZZ_RANDOM=1 / TRACKER_FUZZ_EXAMPLES=N explore new examples.
"""

from __future__ import annotations

import datetime as dt
import tracemalloc

import pytest
from hypothesis import event, given, reject
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from tests.helpers import database_digest, done_or_refused_cleanly, fuzz_settings, long_text
from tracker.errors import TrackerError
from tracker.plan.executors import find_executor
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.report import layout as L
from tracker.report.export import export_report
from tracker.report.reimport import apply_preview, read_report

FUZZ = fuzz_settings(15)
Q = Quarter(2025, 2)
MEMORY_LIMIT = 200 * 1024 * 1024
CELL_VALUES = (st.text(max_size=40) | st.integers(-10**6, 10**6) | st.floats(allow_nan=True, allow_infinity=True)
               | st.sampled_from(["Виконано", "Не подано", "=1/0", "=HYPERLINK(\"x\")", "(дані за I кв. 2025) 65 %",
                                  "100 %", "1 250,5", "\x0b", "-5", "1.1.2 прод. 1", "1.1.2 прод. 2",
                                  "1.1.1 прод. 1"])
               | st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)) | st.none())


@pytest.fixture
def report(plan, tmp_path):
    """A department's Q2 report as exported, with one measure reported, its note going on in rows under it, and one
    carried forward."""
    save_progress(find_measure(plan, "1.1.1"), Quarter(2025, 1), {"status": "in_progress", "percent": 30})
    save_progress(find_measure(plan, "1.1.2"), Q, {"status": "in_progress", "percent": 40, "note": long_text(500)})
    executor = find_executor("Департамент освіти")
    return export_report(plan, Q, tmp_path / "Звіт.xlsx", executor)


def _read_and_apply(path, plan) -> None:
    before = database_digest()
    tracemalloc.start()
    try:
        try:
            preview = read_report(path, plan, expected_quarter=Q)
        except TrackerError as exc:
            assert str(exc).strip()
            event("file refused")
            preview = None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT
    assert database_digest() == before  # reading writes nothing
    if preview is None:
        return
    event(f"problems: {min(len(preview.problems), 3)}+")
    event("applied" if done_or_refused_cleanly(lambda: apply_preview(preview, author="тест")) else "apply refused")


@FUZZ
@given(data=st.data())
def test_any_cells_typed_over_are_read_or_refused_cleanly(plan, report, tmp_path, data):
    workbook = load_workbook(report)
    sheet = workbook[L.REPORT_SHEET]
    for _ in range(data.draw(st.integers(1, 6), label="cells")):
        target = data.draw(st.sampled_from([L.REPORT_SHEET, L.REPORT_SHEET, L.REPORT_SHEET, L.META_SHEET]),
                           label="sheet")
        row = data.draw(st.integers(1, sheet.max_row + 2), label="row")
        column = data.draw(st.integers(1, 12), label="column")
        value = data.draw(CELL_VALUES, label="value")
        try:
            workbook[target].cell(row, column).value = value
        except (ValueError, TypeError, AttributeError, IllegalCharacterError):
            pass  # a value openpyxl itself refuses (control characters) or a merged cell: Excel would not write it either
    path = tmp_path / "typed.xlsx"
    try:
        workbook.save(path)
    except (ValueError, TypeError, AttributeError, IllegalCharacterError):
        reject()  # openpyxl itself cannot write what was typed: no file a department could send
    _read_and_apply(path, plan)


@FUZZ
@given(data=st.data())
def test_bytes_of_the_workbook_flipped_or_cut_are_refused_cleanly(plan, report, tmp_path, data):
    mutated = bytearray(report.read_bytes())
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        position = data.draw(st.integers(0, len(mutated) - 1), label="position")
        if data.draw(st.booleans(), label="cut"):
            del mutated[position:position + data.draw(st.integers(1, 512), label="length")]
        else:
            mutated[position] ^= data.draw(st.integers(1, 255), label="mask")
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(mutated))
    _read_and_apply(path, plan)
