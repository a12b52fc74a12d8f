"""Benchmark: exporting the whole plan's quarterly report, against a bare openpyxl script.

Run: ``python -m bench.report_export``. The baseline writes exactly the cells of the tracker's
report «Звіт» sheet (values, fonts, fills, borders, alignment, number formats, merges, row
heights), taken from a report written beforehand, with no database and no logic; the tracker's
export is timed whole: reading the database, building all three sheets and the chart, saving.
"""

from __future__ import annotations

import copy
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl  # noqa: E402
from openpyxl.worksheet.merge import MergedCellRange  # noqa: E402

from tracker.plan.store import (
    current_plan,  # noqa: E402
    ensure_bundled_plan,  # noqa: E402
)
from tracker.progress.records import save_progress  # noqa: E402
from tracker.quarters import Quarter  # noqa: E402
from tracker.report import layout as L  # noqa: E402
from tracker.report.export import export_report  # noqa: E402
from tracker.storage.db import close_database, open_database  # noqa: E402

REPEATS = 7
QUARTER = Quarter(2025, 2)


def _cells_of(path: Path):
    sheet = openpyxl.load_workbook(path)[L.REPORT_SHEET]
    cells = []
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None or cell.has_style:
                style = (copy.copy(cell.font), copy.copy(cell.fill), copy.copy(cell.border),
                         copy.copy(cell.alignment), cell.number_format)
                cells.append((cell.row, cell.column, cell.value, *style, tuple(repr(part) for part in style)))
    merges = [str(r) for r in sheet.merged_cells.ranges]
    heights = {r: d.height for r, d in sheet.row_dimensions.items() if d.height}
    widths = {c: d.width for c, d in sheet.column_dimensions.items()}
    return cells, merges, heights, widths


def _bare(cells, merges, heights, widths, path: Path) -> None:
    """The same cells with the least openpyxl work found: each distinct style set on one cell and its style record
    copied to the others (openpyxl hashes a style object on every assignment), merges added without checking
    each against all before (merge_cells does: quadratic)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = L.REPORT_SHEET
    records = {}
    for row, column, value, font, fill, border, alignment, number_format, key in cells:  # key: the style, as text
        cell = sheet.cell(row, column, value)
        if key in records:
            cell._style = copy.copy(records[key])
        else:
            cell.font, cell.fill, cell.border, cell.alignment = font, fill, border, alignment
            cell.number_format = number_format
            records[key] = copy.copy(cell._style)
    for merged in merges:
        merged = MergedCellRange(sheet, merged)
        sheet.merged_cells.ranges.add(merged)
        sheet._clean_merge_range(merged)
    for row, height in heights.items():
        sheet.row_dimensions[row].height = height
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
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
        cells, merges, heights, widths = _cells_of(reference)

        def timed(action) -> float:
            samples = []
            for i in range(REPEATS):
                start = time.perf_counter()
                action(i)
                samples.append(time.perf_counter() - start)
            return statistics.median(samples)

        bare = timed(lambda i: _bare(cells, merges, heights, widths, work / f"bare{i}.xlsx"))
        ours = timed(lambda i: export_report(plan, QUARTER, work / f"ours{i}.xlsx"))
        print(f"bare openpyxl, the same «Звіт» cells and styles (median of {REPEATS}): {bare * 1000:7.1f} ms")
        print(f"tracker export, whole plan, three sheets and chart (median of {REPEATS}): {ours * 1000:7.1f} ms")
        print(f"ratio tracker / bare: {ours / bare:.2f}")
    finally:
        close_database()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
