"""Re-import of a filled-in quarterly report: preview, problems by row, one transaction, hostile files."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import random
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import long_text, measure_rows, open_copy, record_of
from tracker.errors import TrackerError, ValidationError
from tracker.plan.executors import find_executor
from tracker.progress.fields import FIELDS
from tracker.progress.records import find_measure, save_progress
from tracker.progress.status import Status
from tracker.quarters import Quarter
from tracker.report import layout as L
from tracker.report.export import export_report
from tracker.report.reader import ReportFileError
from tracker.report.reimport import apply_preview, read_report
from tracker.storage.db import close_database
from tracker.storage.models import History, Progress
from tracker.xlsx_guard import UnsafeFileError

Q1, Q2 = Quarter(2025, 1), Quarter(2025, 2)
AUTHOR = "Олена Коваль"


def counts():
    return Progress.select().count(), History.select().count()


def export(plan, tmp_path, executor=None, quarter=Q2) -> Path:
    dept = find_executor(executor) if executor else None
    name = L.file_name(quarter, (dept.short_name or dept.name) if dept else None)
    return export_report(plan, quarter, tmp_path / name, dept)


@pytest.fixture(scope="module")
def untouched_reports(tmp_path_factory, plan_template):
    """The Q2 reports of the plan with nothing reported yet, exported once for the module:
    {executor name, or None for the whole plan: path}."""
    folder = tmp_path_factory.mktemp("untouched")
    plan = open_copy(plan_template, folder / "tracker.sqlite3")
    try:
        return {executor: export(plan, folder, executor) for executor in ("Департамент культури", None)}
    finally:
        close_database()


@pytest.fixture
def exported(tmp_path, untouched_reports):
    """``exported(department=None)``: the test's own copy of the Q2 report as exported from the
    ``plan`` fixture's database (a copy of the same plan, nothing reported), to type into."""
    def copy(executor=None) -> Path:
        source = untouched_reports[executor]
        return Path(shutil.copyfile(source, tmp_path / source.name))
    return copy


def fill(path: Path, rows: dict[str, dict[int, object]], edit=None) -> dict[str, int]:
    """Type values into the rows of the given codes, as a person would; returns code → row number."""
    workbook = load_workbook(path)
    sheet = workbook[L.REPORT_SHEET]
    found = {}
    for row in range(L.FIRST_DATA_ROW, sheet.max_row + 1):
        value = sheet.cell(row, L.COL_CODE).value
        if isinstance(value, str) and value.strip():
            found.setdefault(value.strip(), row)
    for code, cells in rows.items():
        for column, value in cells.items():
            cell = sheet.cell(found[code], column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # typed text stays text, even «=…» (Excel: a leading apostrophe)
    if edit:
        edit(workbook)
    workbook.save(path)
    return found


def filled(status, percent, note="", remarks="", planned=None, actual=None) -> dict[int, object]:
    return {L.COL_STATUS: status, L.COL_PERCENT: percent, L.COL_NOTE: note, L.COL_REMARKS: remarks,
            L.COL_PLANNED: planned, L.COL_ACTUAL: actual}


def test_a_sum_finer_than_a_hundred_hryvnias_is_said_rounded_in_the_preview(plan, exported):
    """125,55 in the file was shown and written as 125,6, the file's own figure nowhere: a bookkeeper's 40 грн of
    actual financing became 0,0 without a word. A float's binary noise is not such a sum."""
    path = exported()
    fill(path, {"1.1.2": filled("Виконується", 40, "", "", 125.55, "0,04"),
                "1.1.3": filled("Виконується", 40, "", "", 0.1 + 0.2, 80.0)})
    preview = read_report(path, plan, expected_quarter=Q2)
    assert preview.problems == []
    shown = {(c.code, c.field): c.after() for c in preview.changes if "financing" in c.field}
    assert shown == {("1.1.2", "planned_financing"): "125,6 (у файлі 125,55)",
                     ("1.1.2", "actual_financing"): "0,0 (у файлі 0,04)",
                     ("1.1.3", "planned_financing"): "0,3", ("1.1.3", "actual_financing"): "80,0"}
    assert apply_preview(preview, AUTHOR) == 2
    assert record_of("1.1.2", Q2).planned_financing == Decimal("125.6")


def test_a_text_is_previewed_as_it_will_be_written(plan, exported):
    """A note with a mark turning the text round was shown reversed in the preview, and written without the mark."""
    path = exported()
    fill(path, {"1.1.2": filled("Виконується", 40, "звіт\u202eтов  ", "\u202aпримітка")})
    preview = read_report(path, plan, expected_quarter=Q2)
    shown = {c.field: c.after() for c in preview.changes if c.field in ("note", "remarks")}
    assert shown == {"note": "звіттов", "remarks": "примітка"}
    assert apply_preview(preview, AUTHOR) == 1
    assert (record_of("1.1.2", Q2).note, record_of("1.1.2", Q2).remarks) == ("звіттов", "примітка")


# -- the round trip --------------------------------------------------------------------------------

def test_round_trip_of_a_executor_report(plan, tmp_path):
    save_progress(find_measure(plan, "2.2.12"), Q1, {"status": "in_progress", "percent": 40, "note": "Розпочато"},
                  author="хтось")
    save_progress(find_measure(plan, "2.2.13"), Q1, {"status": "in_progress", "percent": 30}, author="хтось")
    path = export(plan, tmp_path, "Департамент культури")
    assert path.name == "Звіт_2025_2кв_ДК.xlsx"
    rows = fill(path, {
        "1.1.2": filled("Виконується  ", "75", "Проведено фестиваль «Лесина осінь»; залучено 1 200 учасників.",
                        "@ризик: погода", "125,5", 40.0),
        "1.4.5": filled("Частково виконано", "75 %", "=СУМ(A1:A3) — не формула", "+ ще 2 заходи", 125.5, None),
        "2.1.4": filled("Виконується", 40.0, "  Триває  ", "", "  ", "0"),
        "2.2.12": {L.COL_STATUS: "Виконано", L.COL_PERCENT: "100", L.COL_NOTE: "Завершено"},
        "2.2.13": {L.COL_STATUS: "Виконується"},  # the rest still as exported: «(дані за I кв. 2025) …»
    })
    before = counts()
    preview = read_report(path, plan, expected_quarter=Q2)
    assert preview.file_name == "Звіт_2025_2кв_ДК.xlsx"
    assert (preview.quarter, preview.executor, preview.plan.id) == (Q2, "Департамент культури", plan.id)
    assert preview.problems == []
    assert preview.measure_ids == [find_measure(plan, c).id for c in ("1.1.2", "1.4.5", "2.1.4", "2.2.12", "2.2.13")]
    assert {c.row for c in preview.changes} == {rows[c] for c in ("1.1.2", "1.4.5", "2.1.4", "2.2.12", "2.2.13")}
    assert counts() == before  # a preview writes nothing

    assert apply_preview(preview, AUTHOR) == 5
    a = record_of("1.1.2", Q2)
    assert (a.status, a.percent, a.note, a.remarks) == (
        "in_progress", 75, "Проведено фестиваль «Лесина осінь»; залучено 1 200 учасників.", "@ризик: погода")
    assert (a.planned_financing, a.actual_financing) == (Decimal("125.5"), Decimal("40.0"))
    b = record_of("1.4.5", Q2)
    assert (b.status, b.percent, b.note, b.remarks) == ("partially_done", 75, "=СУМ(A1:A3) — не формула", "+ ще 2 заходи")
    assert (b.planned_financing, b.actual_financing) == (Decimal("125.5"), None)
    c = record_of("2.1.4", Q2)
    assert (c.status, c.percent, c.note, c.remarks, c.planned_financing, c.actual_financing) == (
        "in_progress", 40, "Триває", "", None, Decimal("0.0"))
    d = record_of("2.2.12", Q2)
    assert (d.status, d.percent, d.note) == ("done", 100, "Завершено")
    e = record_of("2.2.13", Q2)  # status typed, the carried percent kept, the old note not copied into Q2
    assert (e.status, e.percent, e.note, e.remarks) == ("in_progress", 30, "", "")
    assert record_of("2.2.14", Q2) is None  # left «Не подано»: not reported

    history = History.select().where((History.year == 2025) & (History.quarter == 2))
    assert {(h.origin, h.changed_by) for h in history} == {("Звіт_2025_2кв_ДК.xlsx", AUTHOR)}
    after = counts()

    again = read_report(path, plan, expected_quarter=Q2)
    assert again.changes == [] and again.problems == []
    assert apply_preview(again, AUTHOR) == 0
    assert counts() == after


def test_untouched_export_changes_nothing(plan, tmp_path):
    save_progress(find_measure(plan, "1.2.8"), Q1, {"status": "in_progress", "percent": 40, "remarks": "Ризик"})
    save_progress(find_measure(plan, "1.1.1"), Q2, {"status": "done", "percent": 100, "note": "=1+1",
                                                  "planned_financing": "12,5"})
    path = export(plan, tmp_path)
    before = counts()
    preview = read_report(path, plan)
    assert (preview.changes, preview.problems, preview.executor) == ([], [], None)
    assert apply_preview(preview, AUTHOR) == 0
    assert counts() == before


@pytest.fixture
def run_on(plan, tmp_path):
    """The whole plan's Q2 report with texts taller than a row, gone on in rows under their measures: 1.1.1 reported
    with a long note and remarks, 3.1.2 carrying a long note from Q1; the value is (path, note of 1.1.1)."""
    note = long_text(700)
    save_progress(find_measure(plan, "1.1.1"), Q2, {"status": "in_progress", "percent": 60, "note": note,
                                                    "remarks": long_text(250, seed=8)}, author="хтось")
    save_progress(find_measure(plan, "3.1.2"), Q1, {"status": "in_progress", "percent": 30,
                                                    "note": long_text(400, seed=9)}, author="хтось")
    return export(plan, tmp_path), note


def _edit(path: Path, edit) -> None:
    workbook = load_workbook(path)
    edit(workbook[L.REPORT_SHEET])
    workbook.save(path)


def test_a_text_gone_on_in_rows_under_its_measure_reads_back_whole(plan, run_on):
    """A note taller than a row goes on in rows under it (tracker.report.sizing.run_on). Read back, the rows are one note: an
    untouched file changes nothing; a sentence added at the end of its last part, or a part's last space trimmed by
    another program, is the note's whole."""
    path, note = run_on
    preview = read_report(path, plan)
    assert (preview.changes, preview.problems) == ([], [])

    def edit(sheet):
        rows = measure_rows(sheet, "1.1.1")
        assert len(rows) >= 3
        last = sheet.cell(rows[-1], L.COL_NOTE)
        last.value += " Додано звіт."
        first = sheet.cell(rows[0], L.COL_NOTE)
        edit.trimmed = first.value[-1] == " " and not first.value[-2].isspace()
        first.value = first.value.rstrip()
    _edit(path, edit)
    preview = read_report(path, plan)
    assert preview.problems == []
    assert [(c.code, c.field) for c in preview.changes] == [("1.1.1", "note")]
    if edit.trimmed:
        assert preview.changes[0].new == note + " Додано звіт."
    assert apply_preview(preview, AUTHOR) == 1
    assert record_of("1.1.1", Q2).note.endswith(" Додано звіт.")


def test_a_row_going_on_with_a_text_away_from_its_measure_or_with_a_status_typed_in_is_a_problem(plan, run_on):
    """Rows sorted or moved: the note read from the measure's row alone would be cut short and taken for the
    person's change; a status typed into a row going on with the text would be left out unsaid."""
    path, note = run_on

    def edit(sheet):
        rows = measure_rows(sheet, "1.1.1")
        sheet.cell(rows[0], L.COL_PERCENT).value = 70
        moved = sheet.max_row + 3
        for column in range(1, len(L.HEADERS) + 1):
            sheet.cell(moved, column).value = sheet.cell(rows[-1], column).value
            sheet.cell(rows[-1], column).value = None
        held = measure_rows(sheet, "3.1.2")
        sheet.cell(held[1], L.COL_STATUS).value = "Виконано"
        edit.rows = moved, held
    _edit(path, edit)
    preview = read_report(path, plan)
    moved, held = edit.rows
    said = {p.code: p for p in preview.problems}
    assert set(said) == {"1.1.1", "3.1.2"}
    assert said["1.1.1"].row == moved and "не на своєму місці" in said["1.1.1"].message
    assert said["3.1.2"].row == held[0] and f"рядок {held[1]} лише продовжує текст заходу" in said["3.1.2"].message
    assert "«Стан виконання»" in said["3.1.2"].message
    assert preview.changes == []
    assert apply_preview(preview, AUTHOR) == 0
    assert record_of("1.1.1", Q2).note == note


_OWN_COLUMNS = [c for c in range(1, len(L.HEADERS) + 1) if c != L.COL_TASK]  # the task's cell is merged over them


def _swap(sheet, rows: list[int]) -> None:
    for column in _OWN_COLUMNS:
        a, b = sheet.cell(rows[1], column), sheet.cell(rows[2], column)
        a.value, b.value = b.value, a.value


def _copy_last(sheet, rows: list[int]) -> None:
    """The last row going on copied again under it (into a row inserted there)."""
    sheet.insert_rows(rows[-1] + 1)
    for column in _OWN_COLUMNS:
        sheet.cell(rows[-1] + 1, column).value = sheet.cell(rows[-1], column).value


RUN_ON_EDITS = {  # rows going on with 1.1.1's texts, as a person might have changed them: (edit, the row said)
    "the middle one deleted": (lambda sheet, rows: sheet.delete_rows(rows[1]), lambda rows: rows[2] - 1),
    "the last one deleted": (lambda sheet, rows: sheet.delete_rows(rows[-1]), lambda rows: rows[0]),
    "two swapped": (_swap, lambda rows: rows[1]),
    "one copied in again": (_copy_last, lambda rows: rows[-1] + 1),
}


@pytest.mark.parametrize("case", RUN_ON_EDITS)
def test_rows_going_on_with_a_text_deleted_swapped_or_added_are_a_problem_never_a_changed_note(plan, run_on, case):
    """A row deleted from the middle of a note's rows, or its last, or two swapped, was read as the person's new
    note: the preview showed both notes' same beginning, and applying cut 375 characters out of the middle."""
    path, note = run_on
    edit, said = RUN_ON_EDITS[case]
    workbook = load_workbook(path)
    sheet = workbook[L.REPORT_SHEET]
    rows = measure_rows(sheet, "1.1.1")
    assert len(rows) >= 3
    edit(sheet, rows)
    sheet.cell(rows[0], L.COL_PERCENT).value = 70  # with a change of its own: the row is read, not left as exported
    workbook.save(path)
    preview = read_report(path, plan)
    assert [(p.code, p.row) for p in preview.problems] == [("1.1.1", said(rows))], preview.problems
    assert "1.1.1" not in {c.code for c in preview.changes}
    apply_preview(preview, AUTHOR)
    assert record_of("1.1.1", Q2).note == note and record_of("1.1.1", Q2).percent == 60


def test_a_whole_new_note_pasted_over_the_first_part_with_the_old_rest_left_under_it_is_a_problem(plan, run_on):
    """Pasted into the measure's own row, the rows going on left as exported, a new note was imported with the old
    one's rest after it (9,635 characters of 5,001 new), the preview showing its first words alone."""
    path, note = run_on
    new = long_text(600, seed=11)

    def edit(sheet):
        sheet.cell(measure_rows(sheet, "1.1.1")[0], L.COL_NOTE).value = new
    _edit(path, edit)
    preview = read_report(path, plan)
    said = [p.message for p in preview.problems if p.code == "1.1.1"]
    assert len(said) == 1 and "вставлено весь новий текст" in said[0]
    assert "1.1.1" not in {c.code for c in preview.changes}


def test_new_words_over_the_first_part_show_in_the_preview_with_how_much_of_the_old_note_stays(plan, run_on):
    """Typed over the measure's own row, short, the rest left under it: the preview said the new words alone."""
    path, note = run_on

    def edit(sheet):
        sheet.cell(measure_rows(sheet, "1.1.1")[0], L.COL_NOTE).value = "Станом на 01.07.2025 проведено засідання. "
    _edit(path, edit)
    preview = read_report(path, plan)
    assert preview.problems == []
    change = next(c for c in preview.changes if c.field == "note")
    rest = len(change.new) - len("Станом на 01.07.2025 проведено засідання. ")  # the old note's rows under it
    said = re.fullmatch(r"([\d\xa0]+) → ([\d\xa0]+) символів; останні ([\d\xa0]+) — без змін", change.sizes())
    old, new, kept = (int(number.replace("\u00a0", "")) for number in said.groups())
    assert (old, new) == (len(note), len(change.new)) and rest <= kept <= rest + 2  # a space may end both
    assert change.new.endswith(note[-200:])


def test_a_carried_note_as_long_as_a_note_may_be_reads_back_as_exported(plan, tmp_path):
    """The export writes «(дані за I кв. 2025) Виконується. » before a carried note: at 32,767 characters the joined
    text was longer than a note may be, and the untouched row read as changed («заповнено виконання…»), then, with a
    status chosen, as «задовгий»."""
    from tracker.text import MAX_TEXT

    note = (long_text(6000) * 2)[:MAX_TEXT].strip()
    save_progress(find_measure(plan, "1.1.1"), Q1, {"status": "in_progress", "percent": 30, "note": note}, author="t")
    path = export(plan, tmp_path)
    preview = read_report(path, plan)
    assert (preview.changes, preview.problems) == ([], [])

    def edit(sheet):
        first = measure_rows(sheet, "1.1.1")[0]
        sheet.cell(first, L.COL_STATUS).value = "Виконується"
        sheet.cell(first, L.COL_PERCENT).value = 45
    _edit(path, edit)
    preview = read_report(path, plan)
    assert preview.problems == [] and {c.field for c in preview.changes} >= {"status", "percent"}


@pytest.mark.parametrize("count", ["¹⁴", "²", "-1", "багато"])
def test_a_damaged_count_of_rows_going_on_is_a_problem_for_its_measure_not_an_unexpected_error(plan, run_on, count):
    path, note = run_on
    workbook = load_workbook(path)
    meta = workbook[L.META_SHEET]
    meta_row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, L.MEASURE_COLUMNS[0]).value == "1.1.1")
    meta.cell(meta_row, L.PARTS_COLUMN).value = count
    workbook.save(path)
    preview = read_report(path, plan)
    said = [p for p in preview.problems if p.code == "1.1.1"]
    assert len(said) == 1 and "службові дані цього рядка" in said[0].message
    assert "1.1.1" not in {c.code for c in preview.changes}


def test_a_note_that_begins_with_the_words_of_a_carried_mark_is_kept_whole(plan, tmp_path):
    """«(дані за I кв. 2025) залучено 3 партнерів», the record's own note, lost its first words when its untouched
    report was read back: they were taken for the mark the export puts before a state carried from a quarter before."""
    note = "(дані за I кв. 2025) залучено 3 партнерів"
    save_progress(find_measure(plan, "1.1.1"), Q2, {"status": "in_progress", "percent": 60, "note": note,
                                                    "remarks": "(дані за II кв. 2025"}, author="хтось")
    preview = read_report(export(plan, tmp_path), plan)
    assert (preview.changes, preview.problems) == ([], [])


def test_rows_going_on_past_what_a_note_may_hold_are_a_problem_and_are_not_joined_past_it(plan, run_on):
    """Rows going on with a note were joined whole, however many: one 32,767-character cell shared by 1,500 of them
    (an Excel file keeps the text once: a small file) made a text of 49 million characters, each join copying all
    before it. A text is joined up to what a note may hold and one more character, and that is a problem."""
    from tracker.report.reader import read_workbook
    from tracker.text import MAX_TEXT

    path, note = run_on
    workbook = load_workbook(path)
    sheet = workbook[L.REPORT_SHEET]
    rows = measure_rows(sheet, "1.1.1")
    added = 3
    sheet.insert_rows(rows[-1] + 1, added)
    for number in range(added):
        sheet.cell(rows[-1] + 1 + number, L.COL_CODE).value = L.CONTINUED_ROW.format(code="1.1.1",
                                                                                     number=len(rows) + number)
        sheet.cell(rows[-1] + 1 + number, L.COL_NOTE).value = "ж " * (MAX_TEXT // 3)
    meta = workbook[L.META_SHEET]
    meta_row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, L.MEASURE_COLUMNS[0]).value == "1.1.1")
    meta.cell(meta_row, L.PARTS_COLUMN).value = str(len(rows) - 1 + added)  # the count agrees: the length does not
    workbook.save(path)
    joined = next(row for row in read_workbook(path).rows if row.code == "1.1.1")
    assert joined.parts == len(rows) + added and len(joined.cells[L.COL_NOTE]) <= MAX_TEXT + 100
    assert joined.overlong[L.COL_NOTE] == len(note) + 1 + added * 2 * (MAX_TEXT // 3)  # counted, not joined
    preview = read_report(path, plan)
    said = [p for p in preview.problems if p.code == "1.1.1"]
    assert len(said) == 1 and "задовгий" in said[0].message
    assert "1.1.1" not in {c.code for c in preview.changes}


def test_excel_percentage_cell_reads_as_percent(plan, exported):
    path = exported("Департамент культури")
    fill(path, {"1.1.2": {L.COL_STATUS: "Виконується", L.COL_PERCENT: 0.75}},
         edit=lambda wb: setattr(_cell(wb, "1.1.2", L.COL_PERCENT), "number_format", "0%"))
    apply_preview(read_report(path, plan), AUTHOR)
    assert record_of("1.1.2", Q2).percent == 75


def test_a_share_in_a_cell_not_formatted_as_a_percentage_is_a_problem_that_says_what_to_type(plan, exported):
    """0,5 in a plain cell (a percentage cell's format lost, or typed so): refused, and with no word that Excel keeps
    50 % as 0,5 the clerk could not tell why; 0,5 is not guessed to be 50 %, it may be meant as 0,5 %."""
    path = exported("Департамент культури")
    fill(path, {"1.1.2": {L.COL_STATUS: "Виконується", L.COL_PERCENT: 0.5},
                "1.4.5": {L.COL_STATUS: "Виконується", L.COL_PERCENT: 0.455}})
    preview = read_report(path, plan)
    problems = {p.code: p.message for p in preview.problems}
    assert "Якщо мали на увазі 50 % (Excel зберігає відсотки частками: 50 % — це 0,5), введіть 50." in problems["1.1.2"]
    assert "«0,455» має бути цілим" in problems["1.4.5"] and "Якщо" not in problems["1.4.5"]
    assert apply_preview(preview, AUTHOR) == 0 and record_of("1.1.2", Q2) is None


def _cell(workbook, code, column):
    sheet = workbook[L.REPORT_SHEET]
    row = next(r for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == code)
    return sheet.cell(row, column)


def test_new_record_lists_carried_fields_and_money_cleared(plan, tmp_path):
    measure = find_measure(plan, "1.1.2")
    save_progress(measure, Q1, {"status": "in_progress", "percent": 20, "planned_financing": "100"})
    path = export(plan, tmp_path, "Департамент культури")
    fill(path, {"1.1.2": filled("Виконується", 20, planned=None)})
    preview = read_report(path, plan)
    changes = {c.field: c for c in preview.changes}
    assert set(changes) == {"status", "percent", "planned_financing"}
    assert all(c.new_record for c in preview.changes)
    assert (changes["status"].old, changes["status"].new) == (Status.IN_PROGRESS, Status.IN_PROGRESS)
    assert (changes["planned_financing"].old, changes["planned_financing"].new) == (Decimal("100.0"), None)
    # «Виконується → Виконується» read as no change where the file gives the quarter its first record
    assert changes["status"].before() == "Виконується (з I кв. 2025)"
    apply_preview(preview, AUTHOR)
    assert record_of("1.1.2", Q2).planned_financing is None


def test_a_field_the_quarter_does_not_carry_is_shown_not_submitted_not_empty_from_the_quarter_before():
    """«Інформація про виконання: — (з I кв. 2025)» read as if that quarter's note had been empty; it was not."""
    from tracker.report.preview import FieldChange

    note = FieldChange(12, "4.2.9", 1, "note", "", "Нове", new_record=True, carried_from=Q1)
    percent = FieldChange(12, "4.2.9", 1, "percent", 40, 60, new_record=True, carried_from=Q1)
    assert (note.before(), percent.before()) == ("не подано", "40 % (з I кв. 2025)")


def test_a_quarters_first_record_shows_its_fields_as_not_submitted_before(plan, exported):
    path = exported("Департамент культури")
    fill(path, {"1.1.2": filled("Виконується", 20)})
    changes = {c.field: c for c in read_report(path, plan).changes}
    assert changes["status"].before() == "не подано" and changes["percent"].before() == "не подано"


# -- problems, each naming its row -------------------------------------------------------------------

VALID = "1.4.5"
VALID_OTHER = "2.2.12"  # another measure of Департамент культури
PROBLEMS = {
    "unknown status": ({L.COL_STATUS: "Зроблено", L.COL_PERCENT: 50}, "невідомий стан «Зроблено»"),
    "percent over 100": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: 150}, "від 0 до 100"),
    "percent negative": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: "-5"}, "від 0 до 100"),
    "percent not a number": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: "багато"}, "«багато»"),
    "percent fraction": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: 75.5}, "цілим числом"),
    "percent blank": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: None}, "не вказано відсоток"),
    "done below 100": ({L.COL_STATUS: "Виконано", L.COL_PERCENT: 90}, "означає 100 %"),
    "not started above 0": ({L.COL_STATUS: "Не розпочато", L.COL_PERCENT: 10}, "означає 0 %"),
    "money not a number": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: 10, L.COL_PLANNED: "сто"}, "Сума «сто»"),
    "money negative": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: 10, L.COL_ACTUAL: -3}, "невід'ємним"),
    "measure text edited": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: 10, L.COL_MEASURE: "Інший захід"},
                            "«Перелік заходів»"),
    "executors edited": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: 10, L.COL_EXECUTORS: "Хтось"},
                         "«Відповідальні виконавці»"),
    "funding edited": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: 10, L.COL_FUNDING: "—"}, "«Джерела фінансування»"),
    "task edited": ({L.COL_STATUS: "Виконується", L.COL_PERCENT: 10, L.COL_TASK: "Інше завдання"}, "«Завдання»"),
    "values without a status": ({L.COL_PERCENT: 30, L.COL_NOTE: "Зроблено багато"}, "стан — «Не подано»"),
    "money without a status": ({L.COL_PLANNED: 50}, "стан — «Не подано»"),
}


@pytest.mark.parametrize("case", PROBLEMS)
def test_problem_names_its_row_and_only_that_row_is_skipped(plan, exported, case):
    cells, message = PROBLEMS[case]
    path = exported("Департамент культури")
    rows = fill(path, {"1.1.2": cells, VALID: filled("Виконується", 60, "Готується")})
    before = counts()
    preview = read_report(path, plan)
    assert len(preview.problems) == 1, preview.problems
    problem = preview.problems[0]
    assert (problem.row, problem.code, problem.blocking) == (rows["1.1.2"], "1.1.2", False)
    assert problem.message.startswith(f"Рядок {rows['1.1.2']} (захід 1.1.2):")
    assert message in problem.message
    assert {c.code for c in preview.changes} == {VALID}
    assert apply_preview(preview, AUTHOR) == 1
    assert record_of("1.1.2", Q2) is None
    assert record_of(VALID, Q2).percent == 60
    assert counts()[0] == before[0] + 1



def test_a_status_that_means_one_percent_with_the_percent_left_blank_takes_that_percent(plan, tmp_path):
    """«Виконано» with the percent cell left blank was refused «не вказано відсоток»: the status says 100 %."""
    save_progress(find_measure(plan, "1.1.2"), Q2, {"status": "in_progress", "percent": 40}, author="хтось")
    path = export(plan, tmp_path, "Департамент культури")
    fill(path, {"1.1.2": filled("Виконано", None, "Завершено"), VALID: filled("Не розпочато", None)})
    preview = read_report(path, plan)
    assert preview.problems == []
    assert {(c.code, c.old, c.new) for c in preview.changes if c.field == "percent"} == {("1.1.2", 40, 100), (VALID, 0, 0)}
    assert apply_preview(preview, AUTHOR) == 2
    assert (record_of("1.1.2", Q2).status, record_of("1.1.2", Q2).percent) == ("done", 100)
    assert (record_of(VALID, Q2).status, record_of(VALID, Q2).percent) == ("not_started", 0)

def test_a_row_with_progress_and_no_measure_code_is_a_problem_never_left_out_unsaid(plan, exported):
    """A row added for a new measure, a row whose code was cleared and one whose code was mistyped («1.4.5.») were
    each left out without a word (the cleared one said only «його рядка немає у файлі»)."""
    path = exported("Департамент культури")

    def edit(workbook):
        sheet = workbook[L.REPORT_SHEET]
        codes = {sheet.cell(r, L.COL_CODE).value: r for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1)}
        sheet.cell(codes["1.1.2"], L.COL_CODE).value = None
        sheet.cell(codes[VALID], L.COL_CODE).value = "1.4.5."
        below = max(r for code, r in codes.items() if isinstance(code, str) and code[:1].isdigit()) + 1
        for column, value in ((L.COL_MEASURE, "Новий захід: електробуси"), (L.COL_STATUS, "Виконується"),
                              (L.COL_PERCENT, 70)):
            sheet.cell(below, column).value = value
        edit.rows = codes["1.1.2"], codes[VALID], below

    fill(path, {"1.1.2": filled("Виконано", 100), VALID: filled("Виконується", 60),
                VALID_OTHER: filled("Виконується", 20)}, edit=edit)
    cleared, mistyped, added = edit.rows
    preview = read_report(path, plan)
    said = {p.row: p.message for p in preview.problems if p.row is not None}
    assert set(said) == {cleared, mistyped, added}
    assert "без коду заходу" in said[cleared] and "без коду заходу" in said[added]
    assert "«1.4.5.» — не код заходу" in said[mistyped]
    assert {c.code for c in preview.changes} == {VALID_OTHER}
    untouched = read_report(exported("Департамент культури"), plan)  # the counts and signatures are no such rows
    assert not untouched.problems


def test_rows_around_the_table_give_no_false_problems_and_one_typed_below_the_signatures_is_said(plan, exported):
    """A line added above the table brought the column numbers 1…11 down among the rows (««1» — не код заходу»);
    the counts' label without its colon made the counts rows «без коду заходу»; a row typed under the signatures,
    and a code Excel took for a date, were left out unsaid or said in its own words; a zero-width space in a code
    made it no code."""
    import datetime as _dt

    path = exported("Департамент культури")

    def edit(workbook):
        sheet = workbook[L.REPORT_SHEET]
        sheet.insert_rows(1)  # «Вих. № 12/3 від 01.07.2025»
        sheet.cell(1, 1).value = "Вих. № 12/3 від 01.07.2025"
        rows = {sheet.cell(r, L.COL_CODE).value: r for r in range(1, sheet.max_row + 1)}
        label = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == L.FOOTER_LABEL)
        sheet.cell(label, 2).value = L.FOOTER_LABEL.rstrip(":")
        sheet.cell(rows["2.2.12"], L.COL_CODE).value = _dt.datetime(2012, 2, 2)
        sheet.cell(rows["1.1.2"], L.COL_CODE).value = "1.1.2\u200b"
        below = sheet.max_row + 2
        for column, value in ((L.COL_STATUS, "Виконано"), (L.COL_PERCENT, 100), (L.COL_NOTE, "після підпису")):
            sheet.cell(below, column).value = value
        edit.rows = rows["2.2.12"], below

    fill(path, {"2.2.12": filled("Виконується", 20), "1.1.2": filled("Виконується", 30)}, edit=edit)
    dated, below = edit.rows
    preview = read_report(path, plan)
    said = {p.row: p.message for p in preview.problems if p.row is not None}
    assert set(said) == {dated, below}, said
    assert "Excel перетворив на дату (02.02.2012)" in said[dated] and "без коду заходу" in said[below]
    assert {c.code for c in preview.changes} == {"1.1.2"}


@pytest.mark.parametrize("label", [None, "Кількість заходів (уточнено)"])
def test_the_counts_under_the_table_give_no_false_problems_whatever_became_of_their_label(plan, exported, label):
    path = exported("Департамент культури")

    def edit(workbook):
        sheet = workbook[L.REPORT_SHEET]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == L.FOOTER_LABEL)
        sheet.cell(row, 2).value = label

    fill(path, {VALID: filled("Виконується", 60)}, edit=edit)
    preview = read_report(path, plan)
    assert not preview.problems and {c.code for c in preview.changes} == {VALID}


def test_a_date_or_a_truth_value_excel_made_of_a_cell_is_read_as_the_sheet_shows_it(plan, exported):
    """A note typed «01.05.2025» became «2025-05-01 00:00:00» in the record; TRUE in the percent was quoted «True»."""
    path = exported("Департамент культури")
    fill(path, {VALID: {L.COL_STATUS: "Виконується", L.COL_PERCENT: 40, L.COL_NOTE: dt.datetime(2025, 5, 1)},
                "1.1.2": {L.COL_STATUS: "Виконується", L.COL_PERCENT: True},
                VALID_OTHER: {L.COL_STATUS: "Виконується", L.COL_PERCENT: 10, L.COL_PLANNED: dt.datetime(2025, 5, 1)}})
    preview = read_report(path, plan)
    assert {(c.field, c.new) for c in preview.changes if c.code == VALID} >= {("note", "01.05.2025")}
    said = " ".join(p.message for p in preview.problems)
    assert "«ІСТИНА»" in said and "«01.05.2025»" in said and "True" not in said and "00:00:00" not in said


def _formula(code: str, column: int, formula: str):
    """An edit typing a formula into a cell, as a script writes it: the file keeps no result of it."""
    return lambda workbook: setattr(_cell(workbook, code, column), "value", formula)


def test_a_formula_whose_result_the_file_does_not_keep_is_a_problem_for_its_row(plan, exported):
    """Read for results alone, such a cell was empty: the note typed as a formula was skipped, unsaid."""
    path = exported("Департамент культури")
    rows = fill(path, {"1.1.2": {L.COL_STATUS: "Виконується", L.COL_PERCENT: 40},
                       VALID: filled("Виконується", 60, "Готується")},
                edit=_formula("1.1.2", L.COL_NOTE, '="Погоджено " & "кошторис"'))
    preview = read_report(path, plan)
    [problem] = preview.problems
    assert (problem.row, problem.code) == (rows["1.1.2"], "1.1.2")
    assert f"у стовпці {L.COL_NOTE} формула «=\"Погоджено \" & \"кошторис\"»" in problem.message
    assert "збережіть" in problem.message
    assert {c.code for c in preview.changes} == {VALID}
    apply_preview(preview, AUTHOR)
    assert record_of("1.1.2", Q2) is None and record_of(VALID, Q2).percent == 60


def test_a_formula_is_read_as_the_result_the_file_keeps(plan, exported, tmp_path):
    """As Excel or LibreOffice saves it: the formula and its result; the result is what the person sees."""
    path = exported("Департамент культури")
    fill(path, {"1.1.2": {L.COL_STATUS: "Виконується", L.COL_NOTE: "Готується"}},
         edit=_formula("1.1.2", L.COL_PERCENT, "=50+20"))
    with zipfile.ZipFile(path) as workbook:
        [sheet] = [name for name in workbook.namelist() if b"<f>50+20</f>" in workbook.read(name)]
        xml = workbook.read(sheet)
    saved = _rewrite(path, tmp_path / "saved.xlsx", {sheet: xml.replace(b"<f>50+20</f><v></v>", b"<f>50+20</f><v>70</v>")})
    preview = read_report(saved, plan)
    assert preview.problems == []
    apply_preview(preview, AUTHOR)
    assert record_of("1.1.2", Q2).percent == 70 and record_of("1.1.2", Q2).note == "Готується"


def test_unknown_status_lists_the_valid_labels(plan, exported):
    path = exported("Департамент культури")
    fill(path, {"1.1.2": {L.COL_STATUS: "Зроблено", L.COL_PERCENT: 50}})
    message = read_report(path, plan).problems[0].message
    assert all(f"«{s.label}»" in message for s in Status)


def test_unknown_duplicate_foreign_and_missing_codes(plan, exported):
    path = exported("Департамент культури")
    rows = fill(path, {
        "1.1.2": {L.COL_CODE: "9.9.9", L.COL_STATUS: "Виконується", L.COL_PERCENT: 5},
        "2.1.4": {L.COL_CODE: "1.4.5 ", L.COL_STATUS: "Виконується", L.COL_PERCENT: 5},  # a second 1.4.5
        "2.2.12": {L.COL_CODE: None},  # the code wiped out: the row is not read, the measure is missing
        "2.2.13": {L.COL_CODE: "1.2.8", L.COL_STATUS: "Виконується", L.COL_PERCENT: 5},  # another department's
        VALID: filled("Виконується", 60),
        "2.2.14": filled("Виконується", 70),
    })
    preview = read_report(path, plan)
    by_row = {(p.row, p.code): p.message for p in preview.problems}
    assert "у плані немає" in by_row[(rows["1.1.2"], "9.9.9")]
    duplicate = f"рядках {rows[VALID]}, {rows['2.1.4']}"
    assert duplicate in by_row[(rows[VALID], "1.4.5")] and duplicate in by_row[(rows["2.1.4"], "1.4.5")]
    assert "не належить до виконавця «Департамент культури»" in by_row[(rows["2.2.13"], "1.2.8")]
    missing = {p.code for p in preview.problems if p.row is None}
    assert missing == {"1.1.2", "2.1.4", "2.2.12", "2.2.13"}
    assert all("рядка немає у файлі" in by_row[(None, code)] for code in missing)
    assert len(preview.problems) == 8
    assert {c.code for c in preview.changes} == {"2.2.14"}
    assert apply_preview(preview, AUTHOR) == 1
    assert record_of("1.4.5", Q2) is None and record_of("1.2.8", Q2) is None
    assert record_of("2.2.14", Q2).percent == 70


# -- the file as a whole -----------------------------------------------------------------------------

def test_report_for_another_quarter_is_blocked(plan, exported):
    path = exported("Департамент культури")
    fill(path, {VALID: filled("Виконується", 60)})
    before = counts()
    preview = read_report(path, plan, expected_quarter=Q1)
    assert preview.blocked and preview.quarter == Q2
    [problem] = preview.problems
    assert (problem.row, problem.code) == (None, None)
    assert "II кв. 2025" in problem.message and "I кв. 2025" in problem.message
    with pytest.raises(ValidationError, match="не імпортовано"):
        apply_preview(preview, AUTHOR)
    assert counts() == before
    assert not read_report(path, plan).blocked  # without an expectation the file's quarter is taken


def _set_meta(key, value):
    def edit(workbook):
        sheet = workbook[L.META_SHEET]
        row = L.META_KEYS.index(key) + 1
        sheet.cell(row, 2).value = value
    return edit


@pytest.mark.parametrize("edit, message", [
    (_set_meta("plan_uid", "0123456789abcdef0123"), "звіт для іншого плану"),
    (_set_meta("format_version", "7"), "версії «7»"),
    (_set_meta("quarter", "п'ятий"), "рік чи квартал"),
    (_set_meta("department", "Департамент неіснуючих справ"), "немає в довіднику"),
    (lambda wb: setattr(wb[L.REPORT_SHEET], "title", "Report"), "немає аркуша «Звіт»"),
    (lambda wb: wb.remove(wb[L.META_SHEET]), "немає прихованого аркуша «_meta»"),
    (_set_meta("plan_amendments", "²"), "версія плану"),  # str.isdigit passed it, int() failed: an unexpected error
], ids=["another plan", "format version", "quarter", "department", "no report sheet", "no meta sheet",
        "amendments not a number"])
def test_file_that_is_not_this_plans_report_is_refused(plan, exported, edit, message):
    path = exported("Департамент культури")
    fill(path, {VALID: filled("Виконується", 60)}, edit=edit)
    before = counts()
    with pytest.raises(TrackerError, match=message):
        read_report(path, plan)
    assert counts() == before


def _retitle(old: str, new: str):
    def edit(workbook):
        sheet = workbook[L.REPORT_SHEET]
        cell = next(c for (c,) in sheet.iter_rows(min_row=1, max_row=L.HEADER_ROW - 1, max_col=1) if c.value == old)
        cell.value = new
    return edit


@pytest.mark.parametrize("executor, edit, named", [
    # the title retyped for the next quarter, the service data still say II
    ("Департамент культури", _retitle(L.period_wording(Q2), L.period_wording(Quarter(2025, 3))),
     ("за 9 місяців 2025 року", "за I півріччя 2025 року")),
    # a department's report with another department's name typed into the title
    ("Департамент культури", _retitle("Відповідальний виконавець: Департамент культури",
                                      "Відповідальний виконавець: Департамент освіти"),
     ("Департамент освіти", "Департамент культури")),
    # the whole plan's file, its service data changed to a department's
    (None, _set_meta("department", "Департамент культури"), ("увесь план", "Департамент культури")),
    # the quarter changed in the service data only
    ("Департамент культури", _set_meta("quarter", "1"), ("за I півріччя 2025 року", "за I квартал 2025 року")),
], ids=["period retyped", "executor retyped", "meta executor", "meta quarter"])
def test_a_title_that_disagrees_with_the_service_data_is_refused_naming_both(plan, exported, executor, edit, named):
    path = exported(executor)
    fill(path, {VALID: filled("Виконується", 60)} if executor else {}, edit=edit)
    before = counts()
    with pytest.raises(ReportFileError) as refused:
        read_report(path, plan)
    assert all(text in str(refused.value) for text in named), str(refused.value)
    assert counts() == before


def test_year_outside_the_plan_is_refused(plan, exported):
    path = exported()
    fill(path, {}, edit=_set_meta("year", "2031"))
    with pytest.raises(ValidationError, match="поза межами плану"):
        read_report(path, plan)


def test_change_made_after_the_preview_aborts_the_whole_apply(plan, exported):
    path = exported("Департамент культури")
    fill(path, {"1.1.2": filled("Виконується", 10), VALID: filled("Виконується", 60)})
    preview = read_report(path, plan)
    save_progress(find_measure(plan, VALID), Q2, {"status": "in_progress", "percent": 65})  # someone else, meanwhile
    before = counts()
    with pytest.raises(ValidationError, match="змінено після перегляду"):
        apply_preview(preview, AUTHOR)
    assert counts() == before
    assert record_of("1.1.2", Q2) is None and record_of(VALID, Q2).percent == 65


def test_failure_inside_the_transaction_writes_nothing(plan, exported, monkeypatch):
    path = exported("Департамент культури")
    fill(path, {"1.1.2": filled("Виконується", 10), VALID: filled("Виконується", 60)})
    preview = read_report(path, plan)
    import tracker.report.reimport as module

    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise ValidationError("збій")
        return save_progress(*args, **kwargs)

    monkeypatch.setattr(module, "save_progress", failing)
    before = counts()
    with pytest.raises(ValidationError, match="збій"):
        apply_preview(preview, AUTHOR)
    assert counts() == before


# -- damaged and hostile files -----------------------------------------------------------------------

def _rewrite(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, replace.get(item.filename, old.read(item.filename)))
    return target


BILLION_LAUGHS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [\n'
                  b'<!ENTITY lol "lol">\n'
                  + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>')
EXTERNAL_ENTITY = (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                   b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   b'<sheetData><row r="8"><c r="A8" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


def _random_bytes(real: Path, target: Path) -> Path:
    target.write_bytes(random.Random(7).randbytes(64 * 1024))
    return target


def _truncated(real: Path, target: Path) -> Path:
    data = real.read_bytes()
    target.write_bytes(data[:len(data) // 2])
    return target


def _zip_bomb(real: Path, target: Path) -> Path:
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(200):
                member.write(chunk)
    return target


def _laughs_in_workbook(real: Path, target: Path) -> Path:
    return _rewrite(real, target, {"xl/workbook.xml": BILLION_LAUGHS})


def _laughs_in_sheet(real: Path, target: Path) -> Path:
    return _rewrite(real, target, {"xl/worksheets/sheet1.xml": BILLION_LAUGHS.replace(b"workbook", b"worksheet")})


def _external_entity(real: Path, target: Path) -> Path:
    return _rewrite(real, target, {"xl/worksheets/sheet1.xml": EXTERNAL_ENTITY})


def _broken_sheet_xml(real: Path, target: Path) -> Path:
    return _rewrite(real, target, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"})


def _csv(real: Path, target: Path) -> Path:
    target.write_text("№ з/п;Стан виконання;Виконання, %\n1.2.8;Виконано;100\n", encoding="utf-8")
    return target


def _ole2(real: Path, target: Path) -> Path:
    target.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    return target


def _not_a_workbook_zip(real: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/readme.txt", b"hello")
    return target


def _package(real: Path, target: Path) -> Path:
    target.write_bytes(gzip.compress(b'{"format": "lutsk-plan-tracker-changes"}'))
    return target


@pytest.mark.parametrize("make, message", [
    (_random_bytes, "не є книгою Excel"),
    (_package, "пакет змін трекера, а не звіт"),  # it had been «перейменований .csv чи .xls»
    (_truncated, "пошкоджений або обрізаний"),
    (_zip_bomb, "zip-бомбу"),
    (_laughs_in_workbook, "небезпечні конструкції XML"),
    (_laughs_in_sheet, "небезпечні конструкції XML"),
    (_external_entity, "небезпечні конструкції XML"),
    (_broken_sheet_xml, "пошкоджений"),
    (_csv, "перейменований .csv"),
    (_ole2, "захищений паролем"),
    (_not_a_workbook_zip, "пошкоджений"),
], ids=lambda v: v.__name__.strip("_") if callable(v) else "")
def test_damaged_or_hostile_file_is_refused(plan, tmp_path, exported, make, message):
    real = exported("Департамент культури")
    fill(real, {VALID: filled("Виконується", 60)})
    path = make(real, tmp_path / "Звіт_2025_2кв_ДК (1).xlsx")
    before = counts()
    with pytest.raises(UnsafeFileError, match=message) as caught:
        read_report(path, plan)
    assert isinstance(caught.value, TrackerError)
    assert path.name in str(caught.value)
    assert not re.search(r"\([A-Z]\w*(Error|File|Exception)\)", str(caught.value))  # «(OSError)» said nothing
    assert counts() == before


def test_missing_file_is_refused(plan, tmp_path):
    with pytest.raises(TrackerError, match="немає.xlsx» немає. Перевірте шлях"):
        read_report(tmp_path / "немає.xlsx", plan)


def test_report_file_error_is_a_tracker_error():
    assert issubclass(ReportFileError, TrackerError)


def test_a_workbook_with_more_shared_text_than_a_report_can_hold_is_refused_unread(plan, tmp_path, exported,
                                                                                   monkeypatch):
    """openpyxl keeps all shared strings in memory: their size is checked before anything is inflated."""
    import tracker.xlsx_guard as guard

    monkeypatch.setattr(guard, "MAX_SHARED_STRINGS", 1024 * 1024)
    real = exported("Департамент культури")
    path = tmp_path / "strings.xlsx"
    strings = b"".join(b"<si><t>%s</t></si>" % os.urandom(40).hex().encode() for _ in range(20_000))
    with zipfile.ZipFile(real) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item.filename))
        new.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                     + strings + b"</sst>")
    before = counts()
    with pytest.raises(UnsafeFileError, match="спільних рядках") as refused:
        read_report(path, plan)
    assert path.name in str(refused.value) and counts() == before


# -- a «Не подано» row's pre-filled cells, edited by a department ------------------------------------

@pytest.fixture
def carried(plan, tmp_path):
    """Measure 1.1.2 reported for Q1 only: the Q2 report shows it «Не подано» with «(дані за I кв. 2025)» cells.
    The value is ``edit(cells) -> preview`` that types those cells into a fresh export and previews it."""
    save_progress(find_measure(plan, "1.1.2"), Q1, {"status": "in_progress", "percent": 40,
                                                    "note": "Підготовлено програми", "remarks": "Без зауважень"})
    path = export(plan, tmp_path, "Департамент культури")
    exported_cells = _row_cells(path, "1.1.2")
    assert exported_cells[L.COL_PERCENT] == "(дані за I кв. 2025) 40 %"

    def edit(cells: dict[int, object]):
        fill(path, {"1.1.2": cells})
        return read_report(path, plan)
    edit.exported = exported_cells
    return edit


def test_a_not_submitted_row_left_as_exported_is_no_problem_when_the_quarter_was_reported_since(plan, carried):
    """Reported for Q2 after the export (another file, the window): the row the department left «Не подано» with its
    «(дані за I кв. 2025)» cells read «заповнено виконання, але стан — «Не подано»» — a false problem that buried the
    real ones; filled in with the carried cells left as they came, those cells are the database's to keep."""
    save_progress(find_measure(plan, "1.1.2"), Q2, {"status": "in_progress", "percent": 55, "note": "Квартал II"},
                  author="Офіс")
    preview = carried({})
    assert not preview.problems and not _changes(preview)
    preview = carried({L.COL_STATUS: "Виконується"})  # the percent and note cells left as they came
    assert not preview.problems and not _changes(preview)


def test_a_state_typed_in_a_not_submitted_row_equal_to_the_carried_one_is_the_files(plan, carried):
    """The row showed «Не подано» and «(дані за I кв. 2025) 40 %»; the department typed «Виконується», 40 for Q2 —
    equal to the record carried as exported, so taken for «left as exported»: dropped, and Q1's later 25 % written
    into Q2 under the file's name."""
    save_progress(find_measure(plan, "1.1.2"), Q1, {"status": "partially_done", "percent": 25}, author="Офіс")
    preview = carried({L.COL_STATUS: "Виконується", L.COL_PERCENT: 40, L.COL_NOTE: "Тривають роботи"})
    assert not preview.problems
    assert {name: new for name, (_, new) in _changes(preview).items() if name in ("status", "percent")} == {
        "status": Status.IN_PROGRESS, "percent": 40}
    apply_preview(preview, AUTHOR)
    assert (record_of("1.1.2", Q2).status, record_of("1.1.2", Q2).percent) == ("in_progress", 40)


def test_a_state_typed_in_a_not_submitted_row_clashes_with_the_quarter_reported_since(plan, carried):
    """Q2 reported «Виконано» 100 after the export; the department typed «Виконується», 40 — equal to what its row
    carried: both were dropped as «left as exported», no problem, and the note joined the office's 100 %."""
    save_progress(find_measure(plan, "1.1.2"), Q2, {"status": "done", "percent": 100}, author="Офіс")
    preview = carried({L.COL_STATUS: "Виконується", L.COL_PERCENT: 40, L.COL_NOTE: "Тривають роботи"})
    [problem] = preview.problems
    assert "Стан: у файлі Виконується, у базі Виконано" in problem.message and not _changes(preview)


def test_a_not_submitted_row_left_as_exported_is_no_problem_when_the_quarter_before_changed_since(plan, carried,
                                                                                                     tmp_path):
    """Q1 changed (or first reported) after the export: the «Не подано» row left as it came differed from what the
    export would write now — «заповнено виконання, але стан — «Не подано»» on every re-import."""
    later = dt.datetime.now().replace(microsecond=0) + dt.timedelta(minutes=1)
    save_progress(find_measure(plan, "1.1.2"), Q1, {"percent": 25, "actual_financing": "12"}, author="Офіс", now=later)
    save_progress(find_measure(plan, "1.4.5"), Q1, {"status": "in_progress", "percent": 5}, author="Офіс", now=later)
    preview = carried({})
    assert not preview.problems and not preview.changes
    preview = carried({L.COL_PERCENT: "(дані за I кв. 2025) 65 %"})  # an edit is still one
    assert any("стан — «Не подано»" in p.message for p in preview.problems)


def _row_cells(path: Path, code: str) -> dict[int, object]:
    sheet = load_workbook(path)[L.REPORT_SHEET]
    row = next(r for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1) if sheet.cell(r, L.COL_CODE).value == code)
    return {column: sheet.cell(row, column).value for column in (L.COL_PERCENT, L.COL_NOTE, L.COL_REMARKS)}


def _changes(preview, code="1.1.2") -> dict[str, tuple]:
    return {c.field: (c.old, c.new) for c in preview.changes if c.code == code}


def test_a_percent_typed_after_the_intact_prefix_is_read(carried):
    """«(дані за I кв. 2025) 65 %»: was read as untouched, «40 → 40», and the 65 lost."""
    preview = carried({L.COL_STATUS: "Виконується", L.COL_PERCENT: "(дані за I кв. 2025) 65 %"})
    assert _changes(preview)["percent"] == (40, 65) and not preview.problems


def test_text_appended_after_the_prefixed_note_is_kept(carried):
    note = carried.exported[L.COL_NOTE] + " У II кв. затверджено ще дві програми."
    preview = carried({L.COL_STATUS: "Виконується", L.COL_PERCENT: carried.exported[L.COL_PERCENT],
                       L.COL_NOTE: note, L.COL_REMARKS: carried.exported[L.COL_REMARKS] + "; строк — вересень"})
    changes = _changes(preview)
    # notes are the quarter's own (they do not carry): the new record takes the whole text after the prefix
    assert changes["note"] == ("", "Підготовлено програми У II кв. затверджено ще дві програми.")
    assert changes["remarks"] == ("", "Без зауважень; строк — вересень")
    assert changes["percent"] == (40, 40)  # left as exported: the carried percent
    assert not preview.problems


def test_cells_left_as_exported_keep_what_a_new_record_would_have(carried):
    preview = carried({L.COL_STATUS: "Виконується", **carried.exported})
    changes = _changes(preview)
    assert changes["percent"] == (40, 40) and "note" not in changes and "remarks" not in changes
    assert not preview.problems


@pytest.mark.parametrize("garbled", ["(дані за I кв 2025) 65 %", "дані за I кв. 2025) 65 %", "(Дані за І кв. 2025 65"])
def test_a_damaged_prefix_is_a_problem_for_its_row_never_ignored(carried, garbled):
    preview = carried({L.COL_STATUS: "Виконується", L.COL_PERCENT: garbled})
    assert not _changes(preview)
    assert [p.row for p in preview.problems if "(дані за …)" in p.message] and "1.1.2" in preview.problems[0].message


def test_a_prefixed_cell_edited_in_a_not_submitted_row_is_a_problem(carried):
    preview = carried({L.COL_PERCENT: "(дані за I кв. 2025) 65 %"})  # status left «Не подано»
    assert not _changes(preview)
    assert any("стан — «Не подано»" in p.message for p in preview.problems)


# -- a file older than the database ------------------------------------------------------------------

def test_an_old_copy_never_reverts_a_newer_save(plan, tmp_path):
    """Exported, then the measure is saved anew (in the window, or from another file): the old copy's value for it
    is a problem, not a silent revert; its other rows still import."""
    path = export(plan, tmp_path, "Департамент культури")
    save_progress(find_measure(plan, "1.4.5"), Q2, {"status": "done", "percent": 100}, author="Олена")
    fill(path, {"1.4.5": filled("Виконується", 30), VALID_OTHER: filled("Виконується", 20)})
    preview = read_report(path, plan)
    assert {c.code for c in preview.changes} == {VALID_OTHER}
    problem = next(p for p in preview.problems if p.code == "1.4.5")
    assert "після того, як цей файл експортовано" in problem.message and "Олена" in problem.message
    times = re.findall(r"\d\d\.\d\d\.\d{4} [\d:]+", problem.message)
    assert len(set(times)) == len(times)  # one minute for both read as «changed at 22:27, after the export at 22:27»
    apply_preview(preview, AUTHOR)
    assert record_of("1.4.5", Q2).percent == 100


@pytest.fixture
def laptop_change_after_export(tmp_path, plan_template):
    """A laptop (a copy of the office's file) changes 1.4.5 for Q2; the office exports Департамент культури's report;
    only then does the laptop's package arrive and merge — with the change's own time, before the export. Yields
    ``(report, plan)`` with the office's database open."""
    from tests.tracker.exchange.exchange_devices import Device, introduce
    from tracker.exchange.sync import export_package, import_package
    from tracker.plan.store import current_plan
    from tracker.storage.device import this_device

    office = Device("office", Path(shutil.copyfile(plan_template, tmp_path / "office.sqlite3")))
    with office:
        this_device()
        save_progress(find_measure(current_plan(), "1.4.5"), Q2, {"status": "in_progress", "percent": 40,
                                                                  "note": "Виконано етап 1"}, author="Офіс")
    laptop = office.copy_to("laptop", tmp_path / "laptop.sqlite3")
    introduce(office, laptop)
    with laptop:  # an hour before the export: the laptop was out in the district
        save_progress(find_measure(current_plan(), "1.4.5"), Q2, {"percent": 88, "note": "Староста: 12 ОСББ долучено"},
                      author="Староста", now=dt.datetime.now().replace(microsecond=0) - dt.timedelta(hours=1))
        package = export_package(tmp_path / "ноутбук.trackerpkg", "ноутбук").path
    with office:
        report = export(current_plan(), tmp_path, "Департамент культури")
        assert import_package(package, "офіс").applied
        yield report, current_plan()


def test_a_report_never_reverts_a_change_that_arrived_after_its_export(laptop_change_after_export):
    """The row the department left as exported read as «88 % → 40 %» and was written: the laptop's change was
    undone, and the office's next package took the undoing back to the laptop. The change kept its time on the
    laptop, before the export, so the export's time could not tell."""
    report, plan = laptop_change_after_export
    fill(report, {VALID_OTHER: filled("Виконується", 20)})
    preview = read_report(report, plan)
    assert {c.code for c in preview.changes} == {VALID_OTHER} and not preview.problems
    apply_preview(preview, AUTHOR)
    assert (record_of("1.4.5", Q2).percent, record_of("1.4.5", Q2).note) == (88, "Староста: 12 ОСББ долучено")


def test_a_value_carried_since_the_export_stays_where_the_file_shows_the_cell_as_exported(plan, tmp_path):
    """Exported while 1.4.5 had nothing; the year's sums for Q1 entered after. The department fills the state for Q2
    and leaves the sums' cells as they came, empty: the new Q2 record took «500,0 (з I кв. 2025) → —»."""
    path = export(plan, tmp_path, "Департамент культури")
    save_progress(find_measure(plan, "1.4.5"), Q1, {"status": "in_progress", "percent": 20, "planned_financing": "500",
                                                    "actual_financing": "100"}, author="Офіс")
    fill(path, {"1.4.5": {L.COL_STATUS: "Виконується", L.COL_PERCENT: 60, L.COL_NOTE: "Проведено конкурс"}})
    preview = read_report(path, plan, expected_quarter=Q2)
    assert not preview.problems
    assert {c.field for c in preview.changes if c.code == "1.4.5"} == {"status", "percent", "note"}
    apply_preview(preview, AUTHOR)
    record = record_of("1.4.5", Q2)
    assert (record.percent, record.planned_financing, record.actual_financing) == (60, 500, 100)


def test_a_sum_the_file_changes_is_the_files_though_the_quarter_carries_another_since(plan, tmp_path):
    path = export(plan, tmp_path, "Департамент культури")
    save_progress(find_measure(plan, "1.4.5"), Q1, {"status": "in_progress", "percent": 20, "planned_financing": "500",
                                                    "actual_financing": "100"}, author="Офіс")
    fill(path, {"1.4.5": {L.COL_STATUS: "Виконується", L.COL_PERCENT: 60, L.COL_PLANNED: "450"}})
    preview = read_report(path, plan, expected_quarter=Q2)
    assert {c.field: c.new for c in preview.changes if c.code == "1.4.5"}["planned_financing"] == 450
    apply_preview(preview, AUTHOR)
    record = record_of("1.4.5", Q2)
    assert (record.planned_financing, record.actual_financing) == (450, 100)


def test_a_field_changed_in_both_is_a_problem_and_one_changed_in_the_file_alone_is_taken(laptop_change_after_export):
    report, plan = laptop_change_after_export
    fill(report, {"1.4.5": filled("Виконується", 60, "Виконано етап 1", remarks="ризик: підрядник")})
    preview = read_report(report, plan)
    [problem] = preview.problems
    assert problem.code == "1.4.5" and "після того, як цей файл експортовано (Староста)" in problem.message
    assert "Виконання, %: у файлі 60 %, у базі 88 %" in problem.message and not preview.changes
    # the row's other change, left out with it, is named too: it is to be entered in the window as well
    assert "Інші зміни цього рядка теж не внесено: Примітки: ризик: підрядник." in problem.message
    fill(report, {"1.4.5": filled("Виконується", 88, "Виконано етап 1", remarks="ризик: підрядник")})  # 88 % too
    preview = read_report(report, plan)
    # the note shown as exported («Виконано етап 1») is the database's to keep; the remark is the file's alone
    assert [(c.field, c.new) for c in preview.changes] == [("remarks", "ризик: підрядник")] and not preview.problems
    apply_preview(preview, AUTHOR)
    record = record_of("1.4.5", Q2)
    assert (record.percent, record.note, record.remarks) == (88, "Староста: 12 ОСББ долучено", "ризик: підрядник")


def test_the_same_file_imported_again_keeps_what_came_from_elsewhere(laptop_change_after_export):
    """The file's remark was taken and the laptop's percent and note kept; imported a second time, the file undid the
    laptop's two changes — the record's last change was this file's, so all its values were taken as corrections."""
    report, plan = laptop_change_after_export
    fill(report, {"1.4.5": filled("Виконується", 40, "Виконано етап 1", remarks="ризик: підрядник"),
                  "1.1.2": filled("Виконується", 30, "Розпочато")})
    apply_preview(read_report(report, plan), AUTHOR)
    again = read_report(report, plan)
    assert again.changes == [] and again.problems == []
    fill(report, {"1.4.5": filled("Виконується", 40, "Виконано етап 1", remarks="ризик: підрядник, строки")})
    corrected = read_report(report, plan)  # its own remark changed: a correction, or a second copy? Asked
    [problem] = corrected.problems
    assert corrected.changes == [] and "з такою самою назвою" in problem.message and "внесіть його у вікні" in \
        problem.message
    record = record_of("1.4.5", Q2)
    assert (record.percent, record.note, record.remarks) == (88, "Староста: 12 ОСББ долучено", "ризик: підрядник")


def test_a_second_copy_of_one_export_filled_by_someone_else_does_not_pass_for_a_correction(plan, tmp_path):
    """One report mailed to two deputies, both back under its name: the second was taken as a corrected copy of the
    first and wrote over its 50 % and note with no word. A copy holding nothing the first import wrote elsewhere is
    not told from a correction: asked, not guessed."""
    report = export(plan, tmp_path, "Департамент культури")
    first, second = tmp_path / "a" / report.name, tmp_path / "b" / report.name
    for copy in (first, second):
        copy.parent.mkdir()
        shutil.copyfile(report, copy)
    # both answer another row alike, the commonest answer there is: no sign of one being the other
    fill(first, {"1.1.2": filled("Виконується", 50, "заступник А"), "1.4.5": filled("Не розпочато", 0)})
    apply_preview(read_report(first, plan), AUTHOR)
    fill(second, {"1.1.2": filled("Виконується", 30, "заступник Б"), "1.4.5": filled("Не розпочато", 0)})
    preview = read_report(second, plan)
    assert preview.changes == []
    [problem] = preview.problems
    assert "у файлі 30 %, у базі 50 %" in problem.message and "з такою самою назвою" in problem.message
    assert record_of("1.1.2", Q2).percent == 50


@pytest.mark.parametrize("garbled", ["abc", 72, "150", None])
def test_a_rows_hidden_record_changed_by_hand_is_a_problem_not_a_guess(laptop_change_after_export, garbled):
    """A base cell of the hidden sheet garbled (or emptied, the row's others left): the row was judged by the times
    instead, and the laptop's 88 % undone by the file's 40 %."""
    report, plan = laptop_change_after_export
    column = L.BASE_COLUMNS[[f.name for f in FIELDS].index("percent")]

    def garble(workbook):
        meta = workbook[L.META_SHEET]
        row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, L.MEASURE_COLUMNS[0]).value == "1.4.5")
        if garbled is None:
            meta.cell(row, L.REPORTED_COLUMN).value = "2"
        else:
            meta.cell(row, column).value = garbled

    fill(report, {"1.4.5": filled("Виконується", 40, "Виконано етап 1", remarks="ризик")}, edit=garble)
    preview = read_report(report, plan)
    assert not [c for c in preview.changes if c.code == "1.4.5"]
    [problem] = preview.problems
    assert problem.code == "1.4.5" and "службові дані цього рядка" in problem.message


def test_a_not_submitted_row_filled_with_what_the_database_carries_is_no_clash(plan, tmp_path):
    """Exported with 1.1.2 not reported for Q2; then its Q1 record changed, so Q2 carries another state; the
    department fills the row with that very status: «Стан: у файлі Виконується, у базі Виконується» was refused.
    Q2 has no record to undo: the file's values make it, and Q1's change stays in Q1."""
    save_progress(find_measure(plan, "1.1.2"), Q1, {"status": "not_started", "percent": 0}, author="Оля")
    path = export(plan, tmp_path, "Департамент культури")
    save_progress(find_measure(plan, "1.1.2"), Q1, {"status": "in_progress", "percent": 20}, author="Оля")
    fill(path, {"1.1.2": filled("Виконується", 30)})
    preview = read_report(path, plan)
    assert not preview.problems
    assert {(c.field, c.new) for c in preview.changes if c.field in ("status", "percent")} == {
        ("status", Status.IN_PROGRESS), ("percent", 30)}


def test_a_corrected_copy_of_the_same_file_is_a_problem_not_a_guess(plan, tmp_path):
    """A department's corrected copy cannot be told from a second copy of the same export filled by someone else
    (both back under one name): every sign guessed from the words let a second copy pass and write over the first.
    What the corrected copy adds alone is taken; what it changes again is asked about."""
    path = export(plan, tmp_path, "Департамент культури")
    fill(path, {"1.4.5": filled("Виконується", 30, "Проведено 3 семінари"), "1.1.2": filled("Виконується", 20)})
    apply_preview(read_report(path, plan), AUTHOR)
    fill(path, {"1.4.5": filled("Виконується", 35, "Проведено 3 семінари"), "2.1.4": filled("Виконується", 10)})
    preview = read_report(path, plan)
    assert [(c.code, c.field, c.new) for c in preview.changes] == [("2.1.4", "status", Status.IN_PROGRESS),
                                                                    ("2.1.4", "percent", 10)]
    [problem] = preview.problems
    assert problem.code == "1.4.5" and "у файлі 35 %, у базі 30 %" in problem.message


def test_an_untouched_first_quarter_report_has_no_problems(plan, tmp_path):
    """Financing is for the year: last year's carried financing is not shown in a new year's file, and a row
    left as exported must not be taken for an edited one."""
    save_progress(find_measure(plan, "1.1.2"), Quarter(2025, 4), {"status": "in_progress", "percent": 40,
                                                                  "planned_financing": "12,5"}, author="t")
    path = export(plan, tmp_path, "Департамент культури", quarter=Quarter(2026, 1))
    preview = read_report(path, plan)
    assert preview.problems == [] and preview.changes == []


# -- across an amendment of the plan -------------------------------------------------------------

def _amend_remove_and_renumber(tmp_path, effective: Quarter):
    from tests.tracker.plan.test_amendment import amended, remove_and_renumber
    from tracker.plan.amend import apply_file

    return apply_file(amended(tmp_path, remove_and_renumber), decision="рішення № 71/14", effective=effective,
                      author="Економічна політика")


def test_a_report_made_before_an_amendment_lands_on_the_measures_it_was_made_from(plan, tmp_path):
    """Exported for 2026Q1 before the council's decision (effective 2026Q1) removed 1.1.3 and renumbered 1.1.4–1.1.6;
    filled in and imported after it: the «1.1.4» row is the measure now numbered 1.1.3, the removed measure's row is
    a problem, and the row of the measure now 1.1.4 (then 1.1.5) lands on it."""
    quarter = Quarter(2026, 1)
    old_113, old_114, old_115 = (find_measure(plan, code) for code in ("1.1.3", "1.1.4", "1.1.5"))
    path = export(plan, tmp_path, quarter=quarter)
    fill(path, {"1.1.3": filled("Виконується", 30), "1.1.4": filled("Виконується", 60),
                "1.1.5": filled("Виконується", 10)})
    _amend_remove_and_renumber(tmp_path, quarter)
    preview = read_report(path, plan)
    landed = {c.measure_id: c.code for c in preview.changes if c.field == "percent"}
    assert landed == {old_114.id: "1.1.4 (тепер 1.1.3)", old_115.id: "1.1.5 (тепер 1.1.4)"}
    [problem] = [p for p in preview.problems if p.code == "1.1.3"]
    assert "виключено з плану з 2026Q1" in problem.message and old_113.id not in landed
    apply_preview(preview, AUTHOR)
    assert record_of_measure(old_114, quarter).percent == 60 and record_of_measure(old_115, quarter).percent == 10
    assert record_of_measure(old_113, quarter) is None


def test_a_problem_row_of_a_renumbered_measure_names_its_code_now(plan, tmp_path):
    """«Рядок 13 (захід 1.1.4): … внесіть зміну у вікні» — and the window's 1.1.4 in 2026 is another measure."""
    quarter = Quarter(2026, 1)
    path = export(plan, tmp_path, quarter=quarter)
    fill(path, {"1.1.4": filled("Виконується", 160), "1.1.6": filled("Виконується", 20)})
    _amend_remove_and_renumber(tmp_path, quarter)
    preview = read_report(path, plan)
    [problem] = [p for p in preview.problems if p.code == "1.1.4"]
    assert "(захід 1.1.4, тепер 1.1.3): відсоток виконання «160»" in problem.message
    assert [c.code for c in preview.changes if c.field == "percent"] == ["1.1.6 (тепер 1.1.5)"]


def test_a_collection_rounds_reports_after_an_amendment_come_back_in(plan, tmp_path):
    """The round's files said the plan had no amendments: after one, every file holding a renumbered measure was
    refused on its way back («службові дані звіту не відповідають плану»), the departments' work with it."""
    from tracker.progress.tree import load_tree
    from tracker.report.round import round_scopes, write_round

    quarter = Quarter(2026, 1)
    _amend_remove_and_renumber(tmp_path, quarter)
    (tmp_path / "розсилка").mkdir()
    done = write_round(round_scopes(plan, quarter), tmp_path / "розсилка")
    renumbered = find_measure(plan, "1.1.3", quarter)  # was 1.1.4
    [node] = [m for m in load_tree(plan, quarter).measures() if m.id == renumbered.id]
    [item] = [f for f in done.files if f.executor == node.executors[0]]
    fill(item.path, {"1.1.3": filled("Виконується", 45)})
    preview = read_report(item.path, plan)
    assert not preview.problems and [(c.measure_id, c.new) for c in preview.changes if c.field == "percent"] == [
        (renumbered.id, 45)]


def test_a_report_for_a_quarter_before_the_amendment_still_names_the_old_codes(plan, tmp_path):
    quarter = Quarter(2025, 4)
    old_113 = find_measure(plan, "1.1.3")
    _amend_remove_and_renumber(tmp_path, Quarter(2026, 1))
    path = export(plan, tmp_path, quarter=quarter)  # exported after: the version in force in 2025Q4
    fill(path, {"1.1.3": filled("Виконується", 30)})
    preview = read_report(path, plan)
    assert {c.measure_id for c in preview.changes} == {old_113.id} and not preview.problems


def test_a_report_whose_hidden_uids_disagree_with_its_codes_is_refused(plan, exported):
    path = exported()
    workbook = load_workbook(path)
    sheet = workbook[L.META_SHEET]
    code_column, uid_column = L.MEASURE_COLUMNS
    first, second = sheet.cell(1, uid_column).value, sheet.cell(2, uid_column).value
    sheet.cell(1, uid_column).value, sheet.cell(2, uid_column).value = second, first
    workbook.save(path)
    with pytest.raises(ReportFileError, match="не відповідають плану"):
        read_report(path, plan)


def record_of_measure(measure, quarter):
    return Progress.get_or_none((Progress.measure == measure) & (Progress.year == quarter.year)
                                & (Progress.quarter == quarter.number))


def test_a_code_on_many_rows_is_said_once_per_row_with_a_few_of_them(plan, exported):
    """200,000 rows of one code listed all 200,000 in each row's problem: 2.5 GB printed."""
    path = exported("Департамент культури")
    rows = fill(path, {}, edit=lambda workbook: [
        _cell(workbook, code, L.COL_CODE).__setattr__("value", "1.4.5")
        for code in ("1.1.2", "2.1.4", "2.2.12", "2.2.13", "2.2.14", "2.2.15")])
    preview = read_report(path, plan)
    said = [p.message for p in preview.problems if p.code == "1.4.5"]
    assert len(said) == 7 and all("… (усього 7)" in message for message in said)
    assert all(len(message) < 300 for message in said)
    assert rows["1.1.2"] < rows["2.2.15"]


def test_a_sheet_longer_than_any_report_is_not_imported(plan, exported, monkeypatch):
    from tracker.report import reader

    monkeypatch.setattr(reader, "MAX_ROWS", 40)  # the bundled plan's sheet has more rows than that
    monkeypatch.setattr("tracker.report.reimport.MAX_ROWS", 40)
    path = exported("Департамент культури")
    fill(path, {VALID: filled("Виконується", 60)})
    preview = read_report(path, plan)
    assert preview.blocked and any("понад 40 рядків заходів" in p.message for p in preview.problems if p.blocking)
    with pytest.raises(ValidationError, match="Звіт не імпортовано"):
        apply_preview(preview, AUTHOR)
    assert record_of(VALID, Q2) is None


# -- progress columns sorted apart from the codes ---------------------------------------------------------------

def _sort_progress_columns(workbook) -> None:
    """Excel's «continue with the current selection»: columns 6–11 of the measure rows sorted by status, the codes and
    texts left where they were."""
    sheet = workbook[L.REPORT_SHEET]
    rows = [r for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1)
            if isinstance(sheet.cell(r, L.COL_CODE).value, str) and re.fullmatch(r"\d+\.\d+\.\d+",
                                                                                 sheet.cell(r, L.COL_CODE).value)]
    columns = range(L.COL_PLANNED, L.COL_REMARKS + 1)
    values = sorted(([sheet.cell(r, c).value for c in columns] for r in rows),
                    key=lambda cells: str(cells[L.COL_STATUS - L.COL_PLANNED]))
    for r, cells in zip(rows, values):
        for c, value in zip(columns, cells):
            sheet.cell(r, c).value = value


def test_progress_columns_sorted_apart_from_the_codes_refuse_the_file(plan, tmp_path):
    """Each row then held another measure's status, percent, note and sums, and was written to it unsaid."""
    save_progress(find_measure(plan, "2.2.12"), Q1, {"status": "in_progress", "percent": 40, "note": "Розпочато"},
                  author="хтось")
    save_progress(find_measure(plan, "1.1.2"), Q2, {"status": "done", "percent": 100, "note": "Проведено фестиваль",
                                                     "planned_financing": Decimal("12.3")}, author="хтось")
    save_progress(find_measure(plan, "2.1.4"), Q2, {"status": "in_progress", "percent": 60, "note": "Триває ремонт"},
                  author="хтось")
    path = export(plan, tmp_path, "Департамент культури")
    fill(path, {}, edit=_sort_progress_columns)
    before = counts()
    preview = read_report(path, plan, expected_quarter=Q2)
    assert preview.blocked and preview.changes == []
    (problem,) = preview.problems
    assert "відсортовано" in problem.message and "файл не імпортовано" in problem.message
    with pytest.raises(ValidationError):
        apply_preview(preview, AUTHOR)
    assert counts() == before
    assert record_of("1.1.2", Q2).note == "Проведено фестиваль"


def test_whole_rows_sorted_under_other_tasks_merged_cells_are_each_their_own_measures(plan, tmp_path):
    """Whole rows sorted by status: the code, texts and progress move together, each task's merged cell stays where
    it was — a measure then sits under another task's title. Each row was refused as «змінено текст плану»."""
    path = export(plan, tmp_path, "Департамент культури")
    statuses = {"Виконується": 50, "Виконано": 100, "Не розпочато": 0}
    placed = {}

    def sort_whole_rows(workbook):
        sheet = workbook[L.REPORT_SHEET]
        rows = [r for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1)
                if re.fullmatch(r"\d+\.\d+\.\d+", str(sheet.cell(r, L.COL_CODE).value or ""))]
        for number, r in enumerate(rows):
            status = list(statuses)[number % 3]
            sheet.cell(r, L.COL_STATUS).value, sheet.cell(r, L.COL_PERCENT).value = status, statuses[status]
            sheet.cell(r, L.COL_NOTE).value = "Звіт щодо " + sheet.cell(r, L.COL_CODE).value
        moved = [c for c in range(1, len(L.HEADERS) + 1) if c != L.COL_TASK]
        values = sorted(([sheet.cell(r, c).value for c in moved] for r in rows),
                        key=lambda cells: cells[moved.index(L.COL_STATUS)])
        for r, cells in zip(rows, values):
            for c, value in zip(moved, cells):
                sheet.cell(r, c).value = value
            placed[cells[0]] = sheet.cell(r, L.COL_TASK).value
    fill(path, {}, edit=sort_whole_rows)
    under_another = [code for code, task in placed.items()
                     if task and " ".join(task.split()) != " ".join(find_measure(plan, code).task.title.split())]
    assert under_another, "the sort must put a measure under another task's merged cell"
    preview = read_report(path, plan, expected_quarter=Q2)
    assert preview.problems == []
    assert apply_preview(preview, AUTHOR) == len(placed)
    for code in placed:
        assert record_of(code, Q2).note == "Звіт щодо " + code


def test_a_report_exported_with_notes_and_left_as_it_was_is_no_move(plan, tmp_path):
    save_progress(find_measure(plan, "1.1.2"), Q2, {"status": "done", "percent": 100, "note": "Проведено фестиваль"},
                  author="хтось")
    save_progress(find_measure(plan, "2.2.12"), Q1, {"status": "in_progress", "percent": 40, "note": "Розпочато"},
                  author="хтось")
    path = export(plan, tmp_path, "Департамент культури")
    rows = fill(path, {"2.1.4": filled("Виконано", 100, "Проведено фестиваль")})  # the same words, another measure
    preview = read_report(path, plan, expected_quarter=Q2)
    assert preview.problems == [] and {c.row for c in preview.changes} == {rows["2.1.4"]}


@pytest.mark.parametrize("edit, said", [
    (lambda sheet: sheet.insert_cols(4), "«Відповідальні виконавці» тепер 5-й, а не 4-й"),
    (lambda sheet: sheet.delete_cols(7), "«Стан виконання» тепер 7-й, а не 8-й"),
])
def test_a_column_inserted_or_deleted_in_the_table_refuses_the_file_in_one_message(plan, exported, edit, said):
    """Every value after it stood in another column's place: 41 problems spoke of sums read as statuses."""
    path = exported("Департамент культури")
    fill(path, {"1.1.2": filled("Виконано", 100, "Проведено")}, edit=lambda workbook: edit(workbook[L.REPORT_SHEET]))
    with pytest.raises(ReportFileError, match=said):
        read_report(path, plan, expected_quarter=Q2)


def test_columns_added_after_the_table_a_heading_reworded_or_a_row_above_it_move_nothing(plan, exported):
    path = exported("Департамент культури")

    def edit(workbook):
        sheet = workbook[L.REPORT_SHEET]
        sheet.cell(L.HEADER_ROW, L.COL_REMARKS + 1).value = "Коментар відділу"
        sheet.cell(L.HEADER_ROW, L.COL_NOTE).value = "Інформація про виконання (коротко)"
        sheet.insert_rows(2)
    rows = fill(path, {"1.1.2": filled("Виконано", 100, "Проведено")}, edit=edit)
    preview = read_report(path, plan, expected_quarter=Q2)
    assert preview.problems == [] and {c.row for c in preview.changes} == {rows["1.1.2"] + 1}


def test_a_long_note_where_there_was_none_is_said_by_its_own_length(plan, exported):
    """«(9 → 137 символів)»: the 9 were the letters of «не подано»."""
    path = exported("Департамент культури")
    note = "Проведено " * 20
    fill(path, {"1.1.2": filled("Виконується", 40, note)})
    (change,) = [c for c in read_report(path, plan, expected_quarter=Q2).changes if c.field == "note"]
    assert change.sizes() == f"{len(note.strip())} символів"


def test_a_not_reported_row_emptied_of_its_last_known_state_reports_nothing(plan, tmp_path):
    """It was told «заповнено виконання, але стан — «Не подано»», though nothing was filled in."""
    save_progress(find_measure(plan, "2.2.12"), Q1, {"status": "in_progress", "percent": 40, "note": "Розпочато",
                                                      "planned_financing": Decimal("12.5")}, author="хтось")
    path = export(plan, tmp_path, "Департамент культури")
    fill(path, {"2.2.12": {L.COL_PERCENT: None, L.COL_NOTE: None, L.COL_REMARKS: None, L.COL_PLANNED: None,
                           L.COL_ACTUAL: None}})
    before = counts()
    preview = read_report(path, plan, expected_quarter=Q2)
    assert preview.problems == [] and preview.changes == []
    assert counts() == before and record_of("2.2.12", Q2) is None
