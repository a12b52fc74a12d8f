"""How the report's small tables print — the summary and the executors: at a fixed scale that fits their columns to
the page's width, with page breaks computed from their rows' heights so the last page never holds a row or two and
the note alone (with «fit to width» each program chose its own scale and breaks, and the mayor's copy ended on a
page with one department and the footnote)."""

from __future__ import annotations

import math

from openpyxl.worksheet.pagebreak import Break

from . import layout as L

KEEP_TOGETHER = 4  # table rows the last page holds at least, the note under them besides
_ROOM = 0.98  # of the page's width: Excel and LibreOffice round column widths a little differently


def fitted_scale(widths: list[float], landscape: bool) -> int:
    """The whole percent at which columns of these widths fill the page's width, as «fit to width» would choose."""
    page = (L.PAGE_WIDTH if landscape else L.PAGE_HEIGHT) - 2 * L.MARGIN_SIDE
    content = sum(L.column_pixels(w) for w in widths) / 96
    return max(10, min(100, math.floor(page / content * 100 * _ROOM)))


def body_points(scale: int, landscape: bool) -> float:
    """How much row height (points, as the sheet has it) one printed page holds at ``scale``."""
    page = (L.PAGE_HEIGHT if landscape else L.PAGE_WIDTH) - L.MARGIN_TOP - L.MARGIN_BOTTOM
    return page * 72 / (scale / 100) * L.PAGE_SAFETY


def page_ends(heights: dict[int, float], above: float, repeated: float, capacity: float) -> list[int]:
    """The rows after which a page ends, for the table rows ``heights`` (row → points, in order; the last is the note
    under the table, which stays with the row above it). ``above``: what the first page holds above the table (title,
    chart, headings); ``repeated``: the headings every other page repeats. The last page holds KEEP_TOGETHER rows at
    least, taken from the page before while that one keeps as many."""
    rows = list(heights)
    pages: list[list[int]] = [[]]
    used = above
    for place, row in enumerate(rows[:-1]):
        height = heights[row] + (heights[rows[-1]] if place == len(rows) - 2 else 0)  # the last row with the note
        if pages[-1] and used + height > capacity:
            pages.append([])
            used = repeated
        pages[-1].append(row)
        used += height
    pages[-1].append(rows[-1])
    if len(pages) > 1:
        last, before = pages[-1], pages[-2]
        room = capacity - repeated - sum(heights[row] for row in last)
        while len(last) - 1 < KEEP_TOGETHER and len(before) > KEEP_TOGETHER and heights[before[-1]] <= room:
            room -= heights[before[-1]]
            last.insert(0, before.pop())
    return [page[-1] for page in pages[:-1]]


def narrow_margins(sheet) -> None:
    """The report's margins (layout.MARGIN_*), which every sheet's page computations count on."""
    sheet.page_margins.left = sheet.page_margins.right = L.MARGIN_SIDE
    sheet.page_margins.top, sheet.page_margins.bottom = L.MARGIN_TOP, L.MARGIN_BOTTOM
    sheet.page_margins.header = sheet.page_margins.footer = L.MARGIN_FOOTER


def set_up(sheet, widths: list[float], landscape: bool, title_rows: tuple[int, int], table: range,
           default_height: float) -> None:
    """A small table's print setup: A4 in ``landscape`` or portrait at the scale its ``widths`` fit, the headings'
    ``title_rows`` (first, last) on every page, and its page breaks (``table``: its rows, the note last)."""
    scale = fitted_scale(widths, landscape)
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.scale = scale
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    narrow_margins(sheet)
    first, last = title_rows
    sheet.print_title_rows = f"{first}:{last}"

    def height(row: int) -> float:
        return sheet.row_dimensions[row].height or default_height
    above = sum(height(row) for row in range(1, table.start))
    repeated = sum(height(row) for row in range(first, last + 1))
    for row in page_ends({row: height(row) for row in table}, above, repeated, body_points(scale, landscape)):
        sheet.row_breaks.append(Break(id=row))
