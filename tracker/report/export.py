"""Writing the council's quarterly report (.xlsx) in the fixed format of report_layout."""

from __future__ import annotations

import datetime as _dt
import io
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from ..errors import TrackerError
from ..files import not_a_target, os_reason, write_whole
from ..i18n import tr
from ..logs import log
from ..plan import versions
from ..progress.overview import executor_progress
from ..progress.records import draft_of
from ..progress.rollup import AVERAGE_WORDING, NOT_REPORTED, Rollup, rollup
from ..progress.status import Status
from ..progress.tree import MeasureNode, PlanTree, load_tree
from ..quarters import Quarter, check_in_plan
from ..storage.backup import refuse_database_files
from ..storage.models import Executor, Plan
from ..text import without_control
from . import layout as L
from . import pages
from . import sizing as S
from .merges import merge

FONT = "Times New Roman"
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
GOAL_FILL = PatternFill("solid", fgColor="E8EAF6")
OPERATIONAL_FILL = PatternFill("solid", fgColor="F3F4FA")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
NOT_SUBMITTED_FILL = PatternFill("solid", fgColor="FCE4D6")
STATUS_ORDER = list(Status)
SUMMARY_TITLE_WIDTH = 60
DEFAULT_ROW_HEIGHT = 15  # a row whose height is not set
COUNT_COLUMN = 4  # the counts under the table: a column per status from column 4 on, labels above numbers

Progress = Callable[[int, int], None]  # (done, total) for a progress bar


@dataclass
class ReportScope:
    """Everything one report shows, read from the database beforehand, so that writing the
    workbook touches no database (it may run in a worker thread)."""

    plan_uid: str
    plan_title: str
    tree: PlanTree
    quarter: Quarter
    executor: Executor | None
    executors: list  # tracker.overview.DepartmentProgress rows for the «Виконавці» sheet
    read_at: _dt.datetime = field(default_factory=lambda: _dt.datetime.now().replace(microsecond=0))
    amendments: int = 0  # the plan's amendments applied when the data were read: the version the report shows

    def includes(self, measure: MeasureNode) -> bool:
        return self.executor is None or self.executor.id in measure.executor_ids

    def measures(self) -> list[MeasureNode]:
        return [m for m in self.tree.measures() if self.includes(m)]


def scope_of(plan: Plan, tree: PlanTree, quarter: Quarter, executor: Executor | None, rows: list) -> ReportScope:
    """The scope of one report from the plan's tree as read for ``quarter``: every report is made through here, so
    each says the plan's version it shows (a collection round's files said none after an amendment, and none of
    them could be imported back)."""
    return ReportScope(plan.uid, tree.title, tree, quarter, executor, rows, amendments=versions.count(plan))


def build_scope(plan: Plan, quarter: Quarter, executor: Executor | None = None) -> ReportScope:
    check_in_plan(quarter, plan.first_year, plan.last_year)
    tree = load_tree(plan, quarter)
    rows = executor_progress(tree)
    if executor is not None:
        rows = [r for r in rows if r.executor_id == executor.id]
    scope = scope_of(plan, tree, quarter, executor, rows)
    if not scope.measures():
        if executor is None:
            raise TrackerError(tr("У плані за {quarter} немає жодного заходу; звіт був би порожнім.", quarter=quarter))
        raise TrackerError(tr("«{executor}» не є відповідальним виконавцем жодного заходу; звіт був би порожнім.",
                              executor=executor.name))
    return scope


def default_file_name(quarter: Quarter, executor: Executor | None) -> str:
    return L.file_name(quarter, (executor.short_name or executor.name) if executor else None)


def _text(cell, value: str) -> None:
    """User and plan text is always literal: never a formula, whatever it starts with."""
    cell.value = without_control(value)  # a control character would make the whole workbook unwritable
    cell.data_type = "s"


def export_report(plan: Plan, quarter: Quarter, path: str | Path, executor: Executor | None = None,
                  progress: Progress | None = None) -> Path:
    """Read the report's data and write it to ``path``."""
    refuse_database_files(path)
    return write_report(build_scope(plan, quarter, executor), path, progress)


def free_path(path: str | Path) -> Path:
    """``path``, or the first «name (2).xlsx», «name (3).xlsx» … that does not exist yet."""
    path = Path(path)
    number = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
        number += 1
    return candidate


def write_report(scope: ReportScope, path: str | Path, progress: Progress | None = None) -> Path:
    """Write the workbook (no database access); the file appears only when complete."""
    workbook = Workbook()
    _default_font(workbook)
    report = workbook.active
    report.title = L.REPORT_SHEET
    sheet = _ReportSheet(report, scope, progress)
    sheet.write()
    _write_summary(workbook.create_sheet(L.SUMMARY_SHEET), scope)
    # a department's own report has none: its one row would print a page of its own (its summary names the date)
    if scope.executor is None:
        _write_executors(workbook.create_sheet(L.EXECUTORS_SHEET), scope)
    _write_meta(workbook, scope, sheet.parts)
    unwritable = not_a_target(path)
    if unwritable:
        raise TrackerError(unwritable)
    path = Path(path)
    if not path.parent.is_dir():  # a mistyped folder is not made silently: the report would be lost in it
        raise TrackerError(tr("Теки «{folder}» немає. Вкажіть наявну теку для звіту.", folder=path.parent))
    # made in memory, then written whole: openpyxl's zip written straight to a full disk was left open, and Python
    # printed its failure to close as a traceback after the message
    data = io.BytesIO()
    workbook.save(data)
    try:
        write_whole(path, data.getbuffer(), ".report-", ".xlsx")
        log.info("report written: %s", path)
    except PermissionError as exc:
        raise TrackerError(tr("Не вдалося записати «{path}»: файл відкритий в іншій програмі або немає доступу. "
                              "Закрийте його або оберіть інше місце.", path=path)) from exc
    except OSError as exc:
        raise TrackerError(tr("Не вдалося записати «{path}»: {reason}. Оберіть інше місце.",
                              path=path, reason=os_reason(exc))) from exc
    return path


class _ReportSheet:
    def __init__(self, sheet, scope: ReportScope, progress: Progress | None):
        self.sheet, self.scope, self.progress = sheet, scope, progress
        self.row = 1
        self.last_column = get_column_letter(len(L.HEADERS))
        self._styles: dict = {}  # a style's key → the style record of the first cell that wore it (_styled)
        self.parts: dict[str, int] = {}  # code → rows going on with a measure's texts, when any (L.CONTINUED_VERSION)

    def write(self) -> None:
        self.blocks: list[_Block] = []
        self._title_block()
        self._header()
        self._body()
        self._footer()
        self._paginate()
        self._page_setup()

    def _paginate(self) -> None:
        """Page breaks by the rows' heights: a page ends between tasks (a goal's heading stays with the task
        under it, the counts and signatures stay together); a task longer than a page is cut between its
        measures, its merged cell ending at the break and its text repeated on the next page «(продовження)»."""
        height = self._height_of
        repeated = height(L.HEADER_ROW) + height(L.HEADER_ROW + 1)
        capacity = L.page_body_points()
        used = page_start = sum(height(r) for r in range(1, L.FIRST_DATA_ROW))
        waiting: list[_Block] = []  # goal headings, kept with the task after them

        def new_page(row: int) -> float:
            nonlocal page_start
            self.sheet.row_breaks.append(Break(id=row - 1))  # a break after the row above
            page_start = repeated
            return repeated

        for block in self.blocks:
            if block.kind == "group":
                waiting.append(block)
                continue
            lead = sum(height(r) for b in waiting for r in b.rows)
            start = waiting[0].first if waiting else block.first
            waiting = []
            whole = sum(height(r) for r in block.rows)
            empty = used == page_start  # nothing under the headings yet: moving on would leave a blank page
            if used + lead + whole <= capacity or (empty and block.kind != "task"):
                used += lead + whole
            elif not empty and (repeated + lead + whole <= capacity or block.kind != "task"):
                used = new_page(start) + lead + whole
            else:
                # each segment on its page must also be tall enough for the task's text in its merged cell
                fits = empty or used + lead + max(height(block.first), S.needed(block.title)) <= capacity
                base = used + lead if fits else new_page(start) + lead
                segment, total, text = block.first, 0.0, block.title
                for row in block.rows:
                    if base + max(total + height(row), S.needed(text)) > capacity and row > segment:
                        self._merge_task(segment, row - 1, block.title, continued=segment != block.first)
                        base, segment, total, text = new_page(row), row, 0.0, block.title + L.CONTINUED
                    total += height(row)
                self._merge_task(segment, block.last, block.title, continued=segment != block.first)
                used = base + max(total, S.needed(text))
                continue
            if block.kind == "task":
                self._merge_task(block.first, block.last, block.title, continued=False)

    def _height_of(self, row: int) -> float:
        return self.sheet.row_dimensions[row].height or DEFAULT_ROW_HEIGHT

    def _merge_task(self, first: int, last: int, title: str, continued: bool) -> None:
        text = title + L.CONTINUED if continued else title
        _text(self.sheet.cell(first, L.COL_TASK), text)
        self._fit_merged(first, last, text)
        if last > first:
            merge(self.sheet, first, L.COL_TASK, last, L.COL_TASK)

    def _merged_line(self, text: str, bold=False, size=12) -> None:
        cell = self.sheet.cell(self.row, 1)
        _text(cell, text)
        cell.font = Font(name=FONT, bold=bold, size=size)
        cell.alignment = CENTER
        merge(self.sheet, self.row, 1, self.row, len(L.HEADERS))
        self.row += 1

    def _title_block(self) -> None:
        self._merged_line("ІНФОРМАЦІЯ", bold=True, size=14)
        self._merged_line(L.about_plan(self.scope.plan_title), bold=True)
        self.sheet.row_dimensions[2].height = 32
        self._merged_line(L.period_wording(self.scope.quarter))
        if self.scope.executor is not None:
            self._merged_line(f"Відповідальний виконавець: {self.scope.executor.name}", bold=True)
        self.row = L.HEADER_ROW

    def _header(self) -> None:
        sheet = self.sheet
        for column, (heading, width) in enumerate(zip(L.HEADERS, L.COLUMN_WIDTHS), start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
            for row, value in ((L.HEADER_ROW, heading), (L.HEADER_ROW + 1, column)):
                cell = sheet.cell(row, column, value)
                cell.font = Font(name=FONT, bold=True, size=10)
                cell.alignment = CENTER
                cell.border = BORDER
                cell.fill = HEADER_FILL
        # every heading whole: «Профінансовано з початку року, тис. грн» takes four lines in its column
        sheet.row_dimensions[L.HEADER_ROW].height = S.header_height()
        sheet.row_dimensions[L.HEADER_ROW + 1].height = S.NUMBERS_HEIGHT
        self.row = L.FIRST_DATA_ROW

    def _group_row(self, text: str, fill: PatternFill) -> None:
        _text(self.sheet.cell(self.row, 1), text)
        for column in range(1, len(L.HEADERS) + 1):
            self._styled(self.sheet.cell(self.row, column), ("group", column == 1, fill.fgColor.rgb),
                         lambda cell, column=column: _group_style(cell, column, fill))
        merge(self.sheet, self.row, 1, self.row, len(L.HEADERS))
        self.sheet.row_dimensions[self.row].height = S.lines_height(S.line_count(text, 1, sum(L.COLUMN_WIDTHS), bold=True))
        self.blocks.append(_Block("group", self.row, self.row))
        self.row += 1

    def _body(self) -> None:
        total = len(self.scope.measures())
        done = 0
        validation = DataValidation(type="list", formula1='"' + ",".join(s.label for s in Status) + '"',
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle="Стан виконання", error="Оберіть стан зі списку.")
        self.sheet.add_data_validation(validation)
        first_row = self.row
        for sg in self.scope.tree.strategic_goals:
            if not any(self.scope.includes(m) for m in sg.measures()):
                continue
            self._group_row(f"СТРАТЕГІЧНА ЦІЛЬ №{sg.number}. {sg.title}", GOAL_FILL)
            for og in sg.operational_goals:
                if not any(self.scope.includes(m) for m in og.measures()):
                    continue
                self._group_row(f"Оперативна ціль {og.code}. {og.title}", OPERATIONAL_FILL)
                for task in og.tasks:
                    measures = [m for m in task.measures if self.scope.includes(m)]
                    if not measures:
                        continue
                    first = self.row
                    for measure in measures:
                        self._measure_row(measure)
                        done += 1
                        if self.progress:
                            self.progress(done, total)
                    self._fit_merged(first, self.row - 1, task.title)
                    self.blocks.append(_Block("task", first, self.row - 1, task.title))
        self.end_of_table = self.row - 1
        if self.end_of_table >= first_row:  # one range for the column (a goal's row is merged over it)
            status = get_column_letter(L.COL_STATUS)
            validation.add(f"{status}{first_row}:{status}{self.end_of_table}")

    def _styled(self, cell, key, dress: Callable) -> None:
        _styled(self._styles, cell, key, dress)

    def _measure_row(self, measure: MeasureNode) -> None:
        sheet, row, state = self.sheet, self.row, measure.state
        values: dict[int, object] = {
            L.COL_CODE: measure.code,
            L.COL_MEASURE: measure.title,
            L.COL_EXECUTORS: L.executors_text(measure.executors),
            L.COL_FUNDING: L.funding_text(measure.funding),
        }
        submitted = state is not None and state.reported
        values.update(L.progress_cells(state, self.scope.quarter))
        for number, (part, height) in enumerate(S.run_on(values)):
            continued = number > 0
            if continued:
                self.parts[measure.code] = number
            for column in range(1, len(L.HEADERS) + 1):
                cell = sheet.cell(row, column)
                value = part.get(column)
                if isinstance(value, str):
                    _text(cell, value)
                elif value is not None:
                    cell.value = value
                self._styled(cell, ("measure", column, submitted, continued and column == L.COL_CODE),
                             lambda cell, column=column: _measure_style(cell, column, submitted, continued))
            sheet.row_dimensions[row].height = height
            row += 1
        self.row = row

    def _fit_merged(self, first: int, last: int, text: str) -> None:
        """Rows are sized for their own cells; a long task merged over them may need the last one taller."""
        needed = S.needed(text)
        heights = [self.sheet.row_dimensions[r].height for r in range(first, last + 1)]
        if needed > sum(heights):
            self.sheet.row_dimensions[last].height = heights[-1] + needed - sum(heights)

    def _footer(self) -> None:
        sheet = self.sheet
        result = rollup(m.state for m in self.scope.measures())
        self.row = self.end_of_table + 2
        _text(sheet.cell(self.row, 2), L.FOOTER_LABEL)
        sheet.cell(self.row, 2).font = Font(name=FONT, bold=True, size=10)
        self.row += 1
        # a small table, a column per status: two rows instead of eight, so it shares the last page
        lines = [(status.label, result.counts[status.value]) for status in STATUS_ORDER]
        lines += [(L.NOT_SUBMITTED, result.counts[NOT_REPORTED]), (L.TOTAL_LABEL, result.measures)]
        for column, (label, count) in enumerate(lines, start=COUNT_COLUMN):
            bold = label == L.TOTAL_LABEL
            for row, value in zip(range(self.row, self.row + L.COUNT_ROWS), (label, count)):
                cell = sheet.cell(row, column)
                if isinstance(value, str):
                    _text(cell, value)
                else:
                    cell.value = value
                cell.font = Font(name=FONT, size=10, bold=bold)
                cell.alignment = CENTER
                cell.border = BORDER
        sheet.row_dimensions[self.row].height = S.lines_height(max(
            S.line_count(label, column) for column, (label, _) in enumerate(lines, start=COUNT_COLUMN)))
        self.row += L.COUNT_ROWS
        _note(sheet, self.row, COUNTS_WORDING, 2, len(L.COLUMN_WIDTHS), sum(L.COLUMN_WIDTHS[1:]))
        self.blocks.append(_Block("footer", self.end_of_table + 1, self.row))
        self.row += 1
        signatures = self.row
        sheet.row_dimensions[self.row].height = 8  # a little air, not a whole empty line
        self.row += 1
        for text in ("Керівник структурного підрозділу ________ (підпис) ________ (Власне ім'я ПРІЗВИЩЕ)",
                     "Виконавець: ________, тел. ________", "Дата: ________"):
            _text(sheet.cell(self.row, 2), text)
            sheet.cell(self.row, 2).font = Font(name=FONT, size=11)
            sheet.cell(self.row, 2).alignment = Alignment(vertical="bottom")
            sheet.row_dimensions[self.row].height = 22  # room to sign on the line
            self.row += 1
        self.blocks.append(_Block("footer", signatures, self.row - 1))

    def _page_setup(self) -> None:
        sheet = self.sheet
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        # a fixed scale, not «fit to width»: the columns are sized to fit at it, and the page breaks are
        # computed for it (_paginate), so every program prints the same pages
        sheet.page_setup.scale = L.PRINT_SCALE
        sheet.sheet_properties.pageSetUpPr.fitToPage = False
        sheet.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW + 1}"
        pages.narrow_margins(sheet)
        _page_numbers(sheet)
        sheet.freeze_panes = f"A{L.FIRST_DATA_ROW}"
        sheet.print_options.horizontalCentered = True


COUNTS_WORDING = ("Кількість за станами — заходів, за які інформацію подано за квартал; «Не подано» — решта, "
                  "тож разом вони дають усі заходи.")


def _styled(records: dict, cell, key, dress: Callable) -> None:
    """``dress(cell)`` the first time a style (``key``) is worn on a sheet; after, the cell takes that cell's style
    record as it is: openpyxl hashes every style object on every assignment, half of a big report's time."""
    record = records.get(key)
    if record is None:
        dress(cell)
        records[key] = copy(cell._style)
    else:
        cell._style = copy(record)


def _measure_style(cell, column: int, submitted: bool, continued: bool = False) -> None:
    """A measure's cell: bordered, wrapped at the top; the code and percent centred, sums as money; a status not
    submitted for the quarter in bold red on a pale fill. A row going on with the measure's texts (``continued``)
    wraps its code cell: «1.1.1 прод.» is two lines in the column."""
    cell.font = Font(name=FONT, size=10)
    cell.alignment = WRAP_TOP
    cell.border = BORDER
    if column in (L.COL_PLANNED, L.COL_ACTUAL):
        cell.number_format = L.MONEY_FORMAT
    if column == L.COL_CODE:
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=continued)
    if column == L.COL_PERCENT:
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
        cell.number_format = "0"
    if column == L.COL_STATUS and not submitted:
        cell.fill = NOT_SUBMITTED_FILL
        cell.font = Font(name=FONT, size=10, bold=True, color="C00000")


def _group_style(cell, column: int, fill: PatternFill) -> None:
    """A goal's row: bordered and filled; its first cell, which the row is merged into, bold and wrapped."""
    if column == 1:
        cell.font = Font(name=FONT, bold=True, size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    cell.border = BORDER
    cell.fill = fill


def _note(sheet, row: int, text: str, first: int, last: int, width: float) -> None:
    """An explanation under a table: one wrapped cell over the table's width, tall enough for its lines."""
    _text(sheet.cell(row, first), text)
    sheet.cell(row, first).font = Font(name=FONT, size=9, italic=True)
    sheet.cell(row, first).alignment = Alignment(wrap_text=True, vertical="top")
    merge(sheet, row, first, row, last)
    sheet.row_dimensions[row].height = S.lines_height(S.line_count(text, first, width))


def _default_font(workbook: Workbook) -> None:
    """The workbook's own font is the report's, Times New Roman 10: column widths are counted in its digits,
    so Excel (Times New Roman) and LibreOffice (its metric twin, Liberation Serif) size the columns alike. With
    openpyxl's Calibri a computer without Calibri measures in a wider fallback font and the table no longer
    fits the page at 85 %. openpyxl has no public setter: the Normal style and the first font record are it."""
    font = Font(name=FONT, size=10)
    workbook._named_styles["Normal"].font = font
    workbook._fonts[0] = font


@dataclass(frozen=True)
class _Block:
    """Rows that print together: a goal heading, a task with its measures, the counts and signatures."""

    kind: str  # group | task | footer
    first: int
    last: int
    title: str = ""

    @property
    def rows(self) -> range:
        return range(self.first, self.last + 1)


def _percent(value: float | None):
    return None if value is None else round(value, 1)


def _write_summary(sheet, scope: ReportScope) -> None:
    headers = ["Ціль", "Усього заходів"] + [s.label for s in STATUS_ORDER] + [L.NOT_SUBMITTED, "Середній % виконання"]
    _text(sheet.cell(1, 1), f"Зведення виконання {L.period_wording(scope.quarter)}")
    sheet.cell(1, 1).font = Font(name=FONT, bold=True, size=12)
    if scope.executor is not None:
        last = scope.executors[0].last_reported if scope.executors else None
        _text(sheet.cell(2, 1), f"Відповідальний виконавець: {scope.executor.name}. Дата подання: "
                                + (f"{last:%d.%m.%Y}" if last else "ще не подано"))
        sheet.cell(2, 1).font = Font(name=FONT, bold=True, size=11)
    header_row = 4
    for column, heading in enumerate(headers, start=1):
        cell = sheet.cell(header_row, column)
        _text(cell, heading)
        cell.font = Font(name=FONT, bold=True, size=10)
        cell.alignment = CENTER
        cell.border = BORDER
        cell.fill = HEADER_FILL
    sheet.column_dimensions["A"].width = SUMMARY_TITLE_WIDTH
    for column in range(2, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 13
    sheet.row_dimensions[header_row].height = 45
    row = header_row + 1
    records: dict = {}  # the rows' styles, made once (_styled)
    strategic_rows = []
    for sg in scope.tree.strategic_goals:
        measures = [m for m in sg.measures() if scope.includes(m)]
        if not measures:
            continue
        _summary_row(sheet, row, f"СТРАТЕГІЧНА ЦІЛЬ №{sg.number}. {sg.title}", rollup(m.state for m in measures), 0,
                     records)
        strategic_rows.append((sg.number, row))
        row += 1
        for og in sg.operational_goals:
            measures = [m for m in og.measures() if scope.includes(m)]
            if measures:
                _summary_row(sheet, row, f"Оперативна ціль {og.code}. {og.title}",
                             rollup(m.state for m in measures), 2, records)
                row += 1
    _summary_row(sheet, row, "Разом", rollup(m.state for m in scope.measures()), 0, records)
    _note(sheet, row + 1, f"{COUNTS_WORDING} {AVERAGE_WORDING}", 1, len(headers),
          SUMMARY_TITLE_WIDTH + 13 * (len(headers) - 1))
    sheet.print_title_rows = f"{header_row}:{header_row}"  # the headings on every printed page
    # what prints is the title, the chart and the table; the chart's figures, beside the table, stay on the screen
    sheet.print_area = f"A1:{get_column_letter(len(headers))}{row + 1}"
    _summary_chart(sheet, header_row, len(headers) + 2, strategic_rows, len(headers))
    pages.set_up(sheet, [SUMMARY_TITLE_WIDTH] + [13] * (len(headers) - 1), True, (header_row, header_row),
                 range(header_row + 1, row + 2), DEFAULT_ROW_HEIGHT)
    _page_numbers(sheet)


def _page_numbers(sheet) -> None:
    """«Сторінка N з M» at the foot of every printed page of the sheet (the summary's and the executors' pages had
    none, after the report's numbered ones)."""
    sheet.oddFooter.center.text = "Сторінка &P з &N"
    sheet.oddFooter.center.font = FONT


CHART_ROW = 3  # the summary's chart, in a row of its own between the title and the table's headings
CM = 28.35  # points in a centimetre


def _summary_chart(sheet, header_row: int, column: int, strategic_rows: list[tuple[int, int]], average: int) -> None:
    """The bar chart of the average percent by strategic goal, printed above the summary's table. It reads its
    figures from a small table beside the summary, right of what prints: below the summary, the figures printed
    as a stray table under the summary's repeated headings, and the chart went to a page of its own under them
    too. No frozen headings on this sheet: they would freeze the chart's tall row with them."""
    for offset, heading in enumerate(("Діаграма: стратегічна ціль", "Середній % виконання")):
        cell = sheet.cell(header_row, column + offset)
        _text(cell, heading)
        cell.font = Font(name=FONT, bold=True, size=10)
        cell.alignment = CENTER
        cell.border = BORDER
        cell.fill = HEADER_FILL
    for offset, (number, source_row) in enumerate(strategic_rows, start=1):
        _text(sheet.cell(header_row + offset, column), f"СЦ {number}")
        figure = sheet.cell(header_row + offset, column + 1, sheet.cell(source_row, average).value or 0)
        figure.number_format = "0.0"
        for cell in (sheet.cell(header_row + offset, column), figure):
            cell.border = BORDER
            cell.font = Font(name=FONT, size=10)
            cell.alignment = Alignment(horizontal="center", vertical="top")
    sheet.column_dimensions[get_column_letter(column - 1)].width = 3
    sheet.column_dimensions[get_column_letter(column)].width = 16
    sheet.column_dimensions[get_column_letter(column + 1)].width = 13
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Середній % виконання за стратегічними цілями"
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.number_format = "0"  # whole percents on the scale, not the figures' «10.0»
    chart.x_axis.delete = chart.y_axis.delete = False  # said, or Excel shows openpyxl 3.1's chart with no axes
    chart.legend = None
    last = header_row + len(strategic_rows)
    chart.add_data(Reference(sheet, min_col=column + 1, min_row=header_row, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=column, min_row=header_row + 1, max_row=last))
    # a bar a goal with room for its label, from a council's five goals to an oblast's hundred: no taller than a
    # row may be (409 points), so the chart stays in its row and on the first page
    chart.height = min(14.0, max(8.0, 3 + 0.45 * len(strategic_rows)))
    chart.width = 16
    sheet.row_dimensions[CHART_ROW].height = chart.height * CM + 8
    sheet.add_chart(chart, f"A{CHART_ROW}")


def _summary_row(sheet, row: int, title: str, result: Rollup, indent: int, records: dict) -> None:
    _text(sheet.cell(row, 1), title)
    lines = S.line_count(title, 1, SUMMARY_TITLE_WIDTH - indent * 2, bold=indent == 0)
    sheet.row_dimensions[row].height = S.lines_height(lines)
    values = [result.measures] + [result.counts[s.value] for s in STATUS_ORDER] + [result.counts[NOT_REPORTED],
                                                                                  _percent(result.percent)]
    for column, value in enumerate(values, start=2):
        sheet.cell(row, column, value)
    last = len(values) + 1
    for column in range(1, last + 1):
        _styled(records, sheet.cell(row, column), ("summary", column == 1, column == last, indent),
                lambda cell, column=column: _summary_style(cell, column, indent, last))


def _summary_style(cell, column: int, indent: int, last: int) -> None:
    """A goal's row in the summary: its title wrapped and indented by level, the numbers centred, the average with
    one decimal; a strategic goal's row (and the total) bold on the goals' fill."""
    if column == 1:
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent)
    else:
        cell.alignment = Alignment(horizontal="center", vertical="top")
    if column == last:
        cell.number_format = "0.0"
    cell.border = BORDER
    cell.font = Font(name=FONT, size=10, bold=indent == 0)
    if indent == 0:
        cell.fill = GOAL_FILL


def _write_executors(sheet, scope: ReportScope) -> None:
    headers = ["Виконавець", "Заходів", "Подано за квартал", "Не подано", "Середній % виконання", "Дата подання"]
    _text(sheet.cell(1, 1), f"Виконання за відповідальними виконавцями {L.period_wording(scope.quarter)}")
    sheet.cell(1, 1).font = Font(name=FONT, bold=True, size=12)
    for column, heading in enumerate(headers, start=1):
        cell = sheet.cell(3, column)
        _text(cell, heading)
        cell.font = Font(name=FONT, bold=True, size=10)
        cell.alignment = CENTER
        cell.border = BORDER
        cell.fill = HEADER_FILL
    sheet.column_dimensions["A"].width = 60
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 14
    sheet.row_dimensions[3].height = max(S.line_count(h, 1, 14, bold=True) for h in headers[1:]) * S.LINE_HEIGHT + 6
    sheet.print_title_rows = "3:3"
    records: dict = {}
    for row, item in enumerate(scope.executors, start=4):
        _text(sheet.cell(row, 1), item.name)
        sheet.row_dimensions[row].height = S.lines_height(S.line_count(item.name, 1, 60))
        last = item.last_reported.date() if item.last_reported else "—"
        for column, value in enumerate((item.measures, item.reported, item.not_reported,
                                        _percent(item.rollup.percent), last), start=2):
            sheet.cell(row, column, value)
        for column in range(1, len(headers) + 1):
            _styled(records, sheet.cell(row, column), ("executor", column),
                    lambda cell, column=column: _executor_style(cell, column))
    _note(sheet, 4 + len(scope.executors), AVERAGE_WORDING, 1, len(headers), 60 + 14 * (len(headers) - 1))
    sheet.freeze_panes = "B4"
    pages.set_up(sheet, [60] + [14] * (len(headers) - 1), False, (3, 3), range(4, 5 + len(scope.executors)),
                 DEFAULT_ROW_HEIGHT)
    _page_numbers(sheet)


def _executor_style(cell, column: int) -> None:
    """An executor's row: the name wrapped; the figures centred at the top, beside the name's first line, as in the
    other tables (Excel puts numbers at the bottom); the average with one decimal, the date as a date."""
    if column == 1:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    else:
        cell.alignment = Alignment(horizontal="center", vertical="top")
    if column == 5:
        cell.number_format = "0.0"
    if column == 6:
        cell.number_format = "DD.MM.YYYY"
    cell.border = BORDER
    cell.font = Font(name=FONT, size=10)


def _write_meta(workbook: Workbook, scope: ReportScope, parts: dict[str, int]) -> None:
    """The hidden sheet: what the report is of, then each row's measure, its record as exported and the rows going on
    with its texts (``parts``: code → their number, when it has any)."""
    values = {
        "format_version": L.CONTINUED_VERSION if parts else L.FORMAT_VERSION,
        "plan_uid": scope.plan_uid,
        "plan_title": scope.plan_title,
        "year": str(scope.quarter.year),
        "quarter": str(scope.quarter.number),
        "department": scope.executor.name if scope.executor else "",
        "exported_at": scope.read_at.isoformat(timespec="seconds"),
        "plan_amendments": str(scope.amendments),
    }
    sheet = workbook.create_sheet(L.META_SHEET)
    sheet.sheet_state = "hidden"
    for row, key in enumerate(L.META_KEYS, start=1):
        _text(sheet.cell(row, 1), key)
        _text(sheet.cell(row, 2), values[key])
    code_column, uid_column = L.MEASURE_COLUMNS
    for row, measure in enumerate(scope.measures(), start=1):
        _text(sheet.cell(row, code_column), measure.code)
        _text(sheet.cell(row, uid_column), measure.uid)
        for column, text in zip((*L.BASE_COLUMNS, L.REPORTED_COLUMN), L.base_cells(*draft_of(measure.state,
                                                                                               scope.quarter))):
            if text:  # an empty cell reads back as no value: a never-reported row writes two cells, not seven
                _text(sheet.cell(row, column), text)
        if measure.code in parts:
            _text(sheet.cell(row, L.PARTS_COLUMN), str(parts[measure.code]))
    for key, value in values.items():
        workbook.custom_doc_props.append(StringProperty(name=f"tracker_{key}", value=value or "-"))
    workbook.properties.title = f"Звіт про стан виконання плану {L.period_wording(scope.quarter)}"
    workbook.properties.creator = "Трекер Плану заходів"
    workbook.properties.created = _dt.datetime.now().replace(microsecond=0)
