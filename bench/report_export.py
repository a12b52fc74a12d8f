"""Benchmark: exporting the whole plan's quarterly report, against a bare openpyxl script.

Run: ``python -m bench.report_export``. The baseline writes exactly the cells of the tracker's
report — its three sheets' values, fonts, fills, borders, alignment, number formats, merges, row
heights, column widths and drop-down lists — taken from a report written beforehand, with no
database and no logic; the tracker's export is timed whole: reading the database, building the
three sheets and the chart (which the baseline leaves out: it is no cells), saving.
"""

from __future__ import annotations

import copy
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl  # noqa: E402
from openpyxl.cell.cell import MergedCell  # noqa: E402
from openpyxl.worksheet.cell_range import CellRange  # noqa: E402

from tracker.plan.store import (
    current_plan,  # noqa: E402
    ensure_bundled_plan,  # noqa: E402
)
from tracker.progress.records import save_progress  # noqa: E402
from tracker.quarters import Quarter  # noqa: E402
from tracker.report.export import export_report  # noqa: E402
from tracker.report.merges import merge  # noqa: E402
from tracker.storage.db import close_database, open_database  # noqa: E402

REPEATS = 7
QUARTER = Quarter(2025, 2)


@dataclass
class SheetCells:
    """What a sheet of the report holds as cells: values and styles, merges, row heights, column widths, and its
    drop-down lists (the issue's floor: «one validation range, task merges»)."""
    title: str
    cells: list = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    heights: dict = field(default_factory=dict)
    widths: dict = field(default_factory=dict)
    validations: list = field(default_factory=list)


def _cells_of(path: Path) -> list[SheetCells]:
    """Every sheet's cells of a report written beforehand (the chart, print settings and frozen headings are not
    cells: the floor leaves them out)."""
    sheets = []
    for sheet in openpyxl.load_workbook(path).worksheets:
        held = SheetCells(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue  # made by the merge, bordered as its range (merged cells were written twice)
                if cell.value is not None or cell.has_style:
                    style = (copy.copy(cell.font), copy.copy(cell.fill), copy.copy(cell.border),
                             copy.copy(cell.alignment), cell.number_format)
                    held.cells.append((cell.row, cell.column, cell.value, *style, tuple(repr(part) for part in style)))
        held.merges = [str(r) for r in sheet.merged_cells.ranges]
        held.heights = {r: d.height for r, d in sheet.row_dimensions.items() if d.height}
        held.widths = {c: d.width for c, d in sheet.column_dimensions.items()}
        held.validations = [copy.copy(v) for v in sheet.data_validations.dataValidation]
        sheets.append(held)
    return sheets


def _bare(sheets: list[SheetCells], path: Path) -> None:
    """The same cells with the least openpyxl work found: each distinct style set on one cell and its style record
    copied to the others (openpyxl hashes a style object on every assignment), merges as the report makes them
    (tracker.report.merges: without merge_cells' check of each against all before, quadratic, nor its look-up of
    each edge cell's border by hash)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    records = {}  # one workbook, one table of styles: a style's record serves every sheet
    for held in sheets:
        sheet = workbook.create_sheet(held.title)
        for row, column, value, font, fill, border, alignment, number_format, key in held.cells:  # key: as text
            cell = sheet.cell(row, column, value)
            if key in records:
                cell._style = copy.copy(records[key])
            else:
                cell.font, cell.fill, cell.border, cell.alignment = font, fill, border, alignment
                cell.number_format = number_format
                records[key] = copy.copy(cell._style)
        for merged in held.merges:
            bounds = CellRange(merged)
            merge(sheet, bounds.min_row, bounds.min_col, bounds.max_row, bounds.max_col)
        for row, height in held.heights.items():
            sheet.row_dimensions[row].height = height
        for column, width in held.widths.items():
            sheet.column_dimensions[column].width = width
        for validation in held.validations:
            sheet.add_data_validation(copy.copy(validation))
    workbook.save(path)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    try:
        open_database(work / "plan.sqlite3")
        ensure_bundled_plan()
        plan = current_plan()
        for index, measure in enumerate(plan.measures.order_by(1)):
            if index % 4:
                save_progress(measure, QUARTER, {"status": "in_progress", "percent": index % 100,
                                                 "note": "Виконано етап " * (index % 5 + 1), "planned_financing": "100,5"},
                              author="bench")
        reference = export_report(plan, QUARTER, work / "reference.xlsx")
        sheets = _cells_of(reference)

        def timed(action) -> float:
            samples = []
            for i in range(REPEATS):
                start = time.perf_counter()
                action(i)
                samples.append(time.perf_counter() - start)
            return statistics.median(samples)

        bare = timed(lambda i: _bare(sheets, work / f"bare{i}.xlsx"))
        ours = timed(lambda i: export_report(plan, QUARTER, work / f"ours{i}.xlsx"))
        print(f"bare openpyxl, the same cells and styles of the three sheets (median of {REPEATS}): {bare * 1000:7.1f} ms")
        print(f"tracker export, whole plan, three sheets and chart (median of {REPEATS}): {ours * 1000:7.1f} ms")
        print(f"ratio tracker / bare: {ours / bare:.2f}")
    finally:
        close_database()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
