"""Merging cells of a big sheet as openpyxl's ``merge_cells`` does, without the two costs that made it most of a big
plan's report.

``sheet.merge_cells`` checks each new range against every range merged before (quadratic; the report's merges never
overlap), then makes every cell under the range a merged cell and borders the range's edges as its top-left cell is
bordered — assigning each edge cell a new border object, which openpyxl looks up in the workbook's table of styles by
its hash (a walk through the border's sides and colours) — and gives every cell the top-left cell's protection the
same way. At 4,660 measures that was 1,624 merges and over 100,000 such look-ups: half the report's time. A cell's
border after a merge depends only on its border before, the top-left cell's, and which edges of the range it lies
on: it is worked out once the way openpyxl does, and the record it came to is reused for every cell alike.
"""

from __future__ import annotations

import weakref

from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Border
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange

_EDGES = ("top", "left", "right", "bottom")  # in the order openpyxl borders them (MergedCellRange.format)

# per workbook (its table of borders): (the top-left cell's border, the cell's own border, its edges) → the border;
# (the top-left cell's border, the bottom-right one's) → the top-left cell's
_worn: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _Range(MergedCellRange):
    """A merged range whose top-left cell ``merge`` borders itself (MergedCellRange does it on being made)."""

    def _get_borders(self):
        pass


def merge(sheet, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
    """Merge the range as ``sheet.merge_cells`` would, to the same cells, borders and protection."""
    merged = _Range(sheet, CellRange(min_col=first_column, min_row=first_row, max_col=last_column,
                                     max_row=last_row).coord)
    sheet.merged_cells.ranges.add(merged)
    worn = _worn.setdefault(sheet.parent, {})
    cells = sheet._cells
    start = merged.start_cell = cells.get((first_row, first_column)) or sheet.cell(first_row, first_column)
    if start._style is None:  # a cell never styled: the workbook's first records
        start._style = StyleArray()
    end = cells.get((last_row, last_column))
    if end is not None:  # the top-left cell takes the right and bottom borders of the bottom-right one
        key = (start._style.borderId, end._style.borderId if end._style is not None else 0)
        if key in worn:
            start._style.borderId = worn[key]
        else:
            start.border += Border(right=end.border.right, bottom=end.border.bottom)
            worn[key] = start._style.borderId
    sides = {name: getattr(start.border, name) for name in _EDGES}
    start_border, protection = start._style.borderId, start._style.protectionId
    for row in range(first_row, last_row + 1):
        for column in range(first_column, last_column + 1):
            if row == first_row and column == first_column:
                cell = start
            else:
                cell = cells[row, column] = MergedCell(sheet, row, column)
                cell._style = StyleArray()
            cell._style.protectionId = protection  # openpyxl gives each a copy of the top-left cell's protection
            edges = tuple(name for name, on in zip(_EDGES, (row == first_row, column == first_column,
                                                            column == last_column, row == last_row)) if on)
            if not edges:
                continue
            key = (start_border, cell._style.borderId, edges)
            if key in worn:
                cell._style.borderId = worn[key]
                continue
            for name in edges:
                side = sides[name]
                if side and side.style is None:
                    continue  # openpyxl leaves an edge without a line as it is
                cell.border += Border(**{name: side})
            worn[key] = cell._style.borderId
