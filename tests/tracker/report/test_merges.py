"""Cells merged without openpyxl's per-cell cost come out as openpyxl's own ``merge_cells`` makes them."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Border, PatternFill, Protection, Side

from tests.helpers import open_copy
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.report import export
from tracker.report.merges import merge
from tracker.storage.db import close_database


def _look(sheet) -> dict:
    """Every cell as a reader sees it: merged or not, its value, and its border, fill and protection."""
    return {(cell.row, cell.column): (isinstance(cell, MergedCell), cell.value, repr(cell.border), repr(cell.fill),
                                      repr(cell.protection))
            for row in sheet.iter_rows() for cell in row}


def _own(sheet, first_row, first_column, last_row, last_column):
    sheet.merge_cells(start_row=first_row, start_column=first_column, end_row=last_row, end_column=last_column)


THIN, THICK = Side(style="thin", color="000000"), Side(style="thick", color="C00000")


def _sheet_with_merges(merging) -> openpyxl.Workbook:
    """Ranges of every shape over cells bordered every way, some never styled, one top-left cell locked off."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in range(1, 13):
        for column in range(1, 8):
            if (row + column) % 4 == 0:
                continue  # never styled
            cell = sheet.cell(row, column, f"{row}:{column}")
            cell.border = [Border(left=THIN, right=THIN, top=THIN, bottom=THIN), Border(top=THICK),
                           Border(left=THIN, bottom=THICK)][(row * column) % 3]
            if row % 3 == 0:
                cell.fill = PatternFill("solid", fgColor="D9E1F2")
    sheet.cell(7, 2).protection = Protection(locked=False)
    for ranged in ((1, 1, 1, 7), (2, 2, 5, 2), (3, 4, 5, 6), (7, 2, 9, 3), (10, 1, 10, 1), (11, 5, 12, 7),
                   (14, 1, 16, 3)):  # the last over cells that do not exist yet
        merging(sheet, *ranged)
    return book


def test_merges_of_every_shape_look_as_openpyxl_makes_them():
    ours, theirs = _sheet_with_merges(merge), _sheet_with_merges(_own)
    assert _look(ours.active) == _look(theirs.active)
    assert sorted(map(str, ours.active.merged_cells.ranges)) == sorted(map(str, theirs.active.merged_cells.ranges))


@pytest.fixture
def reported(tmp_path, plan_template):
    plan = open_copy(plan_template, tmp_path / "tracker.sqlite3")
    for index, code in enumerate(("1.1.1", "2.1.1", "3.2.1", "5.1.1")):
        save_progress(find_measure(plan, code), Quarter(2025, 2), {"status": "in_progress", "percent": 10 * index},
                      author="t")
    try:
        yield plan
    finally:
        close_database()


def test_the_report_merged_so_looks_as_merged_by_openpyxl(reported, tmp_path, monkeypatch):
    ours = export.export_report(reported, Quarter(2025, 2), tmp_path / "ours.xlsx")
    monkeypatch.setattr(export, "merge", _own)
    theirs = export.export_report(reported, Quarter(2025, 2), tmp_path / "theirs.xlsx")
    ours, theirs = openpyxl.load_workbook(ours), openpyxl.load_workbook(theirs)
    assert ours.sheetnames == theirs.sheetnames
    for name in ours.sheetnames[:-1]:  # not the hidden one, which says when the data were read
        assert _look(ours[name]) == _look(theirs[name])
        assert sorted(map(str, ours[name].merged_cells.ranges)) == sorted(map(str, theirs[name].merged_cells.ranges))
