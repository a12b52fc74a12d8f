"""The quarterly report as written: reopened with openpyxl and read as XML.

Reports the tests only read are written once for the module (``written``); a test that changes data
before exporting writes its own.
"""

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from tests.helpers import long_text, measure_rows, open_copy
from tracker.errors import TrackerError
from tracker.plan.executors import find_executor
from tracker.progress.records import find_measure, save_progress
from tracker.progress.rollup import AVERAGE_WORDING, rollup
from tracker.progress.tree import load_tree
from tracker.quarters import Quarter
from tracker.report import layout as L
from tracker.report.export import default_file_name, export_report
from tracker.report.pages import KEEP_TOGETHER, body_points
from tracker.report.sizing import MAX_LINES, ROW_LIMIT, line_count
from tracker.storage.db import close_database
from tracker.storage.models import Executor

Q2 = Quarter(2025, 2)


def fill(plan):
    """A quarter with reports: some this quarter, some carried forward from the last, some never."""
    save_progress(find_measure(plan, "1.1.1"), Q2, {"status": "done", "percent": 100, "note": "Відкрито 2 спеціальності",
                                                    "planned_financing": "1250,5", "actual_financing": "800"}, author="t")
    save_progress(find_measure(plan, "1.1.2"), Quarter(2025, 1), {"status": "in_progress", "percent": 40,
                                                                  "note": "Підготовлено програми"}, author="t")
    save_progress(find_measure(plan, "4.3.1"), Q2, {"status": "not_done", "percent": 10,
                                                    "note": "=HYPERLINK(\"http://evil\")", "remarks": "+1-2"}, author="t")
    save_progress(find_measure(plan, "4.3.2"), Q2, {"status": "in_progress", "percent": 50,
                                                    "note": "@SUM(A1)", "remarks": "-ризик"}, author="t")


class Written:
    """The module's reports by name — their paths, each workbook opened once — and the database
    they were written from (closed)."""

    def __init__(self, database):
        self.database = database
        self.paths = {}
        self._books = {}

    def book(self, name):
        if name not in self._books:
            self._books[name] = openpyxl.load_workbook(self.paths[name])
        return self._books[name]


@pytest.fixture(scope="module")
def written(tmp_path_factory, plan_template):
    """From a copy of the plan: «title N», the report for quarter N of 2025 before anything was
    reported; then, after ``fill``, the Q2 reports «plan» (the whole plan), «culture» and «education»
    (of Департамент культури and Департамент освіти, under their default file names)."""
    folder = tmp_path_factory.mktemp("reports")
    result = Written(folder / "tracker.sqlite3")
    plan = open_copy(plan_template, result.database)
    try:
        for number in range(1, 5):
            name = f"title {number}"
            result.paths[name] = export_report(plan, Quarter(2025, number), folder / f"{name}.xlsx")
        fill(plan)
        result.paths["plan"] = export_report(plan, Q2, folder / "r.xlsx")
        for name, executor in (("culture", "Департамент культури"), ("education", "Департамент освіти")):
            executor = find_executor(executor)
            result.paths[name] = export_report(plan, Q2, folder / default_file_name(Q2, executor), executor)
    finally:
        close_database()
    return result


@pytest.fixture
def filled(tmp_path, written):
    """The database the module's reports were written from (a copy); the value is its plan."""
    plan = open_copy(written.database, tmp_path / "tracker.sqlite3")
    try:
        yield plan
    finally:
        close_database()


def _rows_by_code(sheet):
    return {sheet.cell(r, 1).value: r for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1)
            if isinstance(sheet.cell(r, 1).value, str) and re.match(r"^\d+\.\d+\.\d+$", sheet.cell(r, 1).value)}


@pytest.mark.parametrize("number, wording, as_of", [
    (1, "за I квартал 2025 року", "01.04.2025"),
    (2, "за I півріччя 2025 року", "01.07.2025"),
    (3, "за 9 місяців 2025 року", "01.10.2025"),
    (4, "за 2025 рік", "01.01.2026"),
])
def test_title_block_for_every_period(written, number, wording, as_of):
    sheet = written.book(f"title {number}")[L.REPORT_SHEET]
    assert sheet["A1"].value == "ІНФОРМАЦІЯ" and sheet["A1"].font.b
    assert sheet["A2"].value == ("про стан виконання Плану заходів із реалізації Стратегії розвитку Луцької міської "
                                 "територіальної громади до 2030 року на 2024–2027 роки")
    assert sheet["A3"].value == f"{wording} (станом на {as_of})"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:K1", "A2:K2", "A3:K3"} <= merged
    assert sheet["A1"].alignment.horizontal == "center"


def test_headers_groups_merges_and_rows(written):
    book = written.book("plan")
    assert book.sheetnames[:3] == ["Звіт", "Зведення", "Виконавці"]
    sheet = book[L.REPORT_SHEET]
    assert [sheet.cell(L.HEADER_ROW, c).value for c in range(1, 12)] == L.HEADERS
    assert [sheet.cell(L.HEADER_ROW + 1, c).value for c in range(1, 12)] == list(range(1, 12))
    assert all(sheet.cell(L.HEADER_ROW, c).font.b for c in range(1, 12))
    rows = _rows_by_code(sheet)
    assert len(rows) == 233
    first = L.FIRST_DATA_ROW
    assert sheet.cell(first, 1).value == "СТРАТЕГІЧНА ЦІЛЬ №1. ЛУЦЬКА МОЛОДІЖНА ГРОМАДА"
    assert sheet.cell(first + 1, 1).value.startswith("Оперативна ціль 1.1. Розвиток та розширення")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert f"A{first}:K{first}" in merged and f"A{first + 1}:K{first + 1}" in merged
    group_rows = [r for r in range(first, sheet.max_row + 1) if f"A{r}:K{r}" in merged]
    assert len(group_rows) == 5 + 19
    # the task «Осучаснити освітні програми…» spans 1.1.1–1.1.5 (in one merge per printed page)
    title = "Осучаснити освітні програми у закладах вищої та професійної освіти"
    assert _task_cells(sheet, rows["1.1.1"], rows["1.1.5"]) in ([title], [title, title + L.CONTINUED])
    # the task of 1.2.8–1.2.9 rebuilt across the council's page break
    assert len(_task_cells(sheet, rows["1.2.8"], rows["1.2.9"])) in (1, 2)
    row = rows["1.1.1"]
    assert [sheet.cell(row, c).value for c in (3, 5, 8, 9, 10)] == [
        "Сприяння запровадженню нових затребуваних спеціальностей (аудіовізуальне мистецтво, культурний "
        "менеджмент, аграрні спеціальності)", "державний бюджет, обласний бюджет, бюджет громади, інші джерела",
        "Виконано", 100, "Відкрито 2 спеціальності"]
    assert sheet.cell(row, 6).value == 1250.5 and sheet.cell(row, 6).number_format == L.MONEY_FORMAT
    assert sheet.cell(row, 4).value == ("Вищі навчальні заклади, Департамент економічної політики, "
                                        "Луцька філія Волинського обласного центру зайнятості")
    assert sheet.cell(rows["2.4.11"], 5).value == "—"  # «-» in the plan: no funding
    assert sheet.cell(row, 3).font.name == "Times New Roman"
    assert sheet.cell(row, 3).border.left.style == "thin"


def test_not_submitted_rows_show_the_last_known_state(written):
    sheet = written.book("plan")[L.REPORT_SHEET]
    rows = _rows_by_code(sheet)
    carried = rows["1.1.2"]
    assert sheet.cell(carried, 8).value == "Не подано"
    assert sheet.cell(carried, 8).fill.fgColor.rgb.endswith("FCE4D6")
    assert sheet.cell(carried, 9).value == "(дані за I кв. 2025) 40 %"
    assert sheet.cell(carried, 10).value == "(дані за I кв. 2025) Виконується. Підготовлено програми"
    never = rows["5.3.5"]
    assert sheet.cell(never, 8).value == "Не подано" and sheet.cell(never, 9).value is None


def test_status_drop_down_and_print_setup(written):
    sheet = written.book("plan")[L.REPORT_SHEET]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    validation = validations[0]
    assert validation.type == "list"
    assert validation.formula1 == ('"Не розпочато,Виконується,Виконано,Частково виконано,Не виконано,'
                                   'Втратило актуальність"')
    rows = _rows_by_code(sheet)
    assert f"H{rows['1.1.1']}" in str(validation.sqref) or any(
        f"H{rows['1.1.1']}" in str(r) or (r.min_row <= rows["1.1.1"] <= r.max_row and r.min_col == 8)
        for r in validation.sqref.ranges)
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9  # A4
    # a fixed 85 %: 10 pt prints at 8.5 pt, and the eleven columns fit the page's width at it
    assert int(setup.scale) == L.PRINT_SCALE >= 85 and not sheet.sheet_properties.pageSetUpPr.fitToPage
    widths = [sheet.column_dimensions[get_column_letter(c)].width for c in range(1, len(L.HEADERS) + 1)]
    assert widths == L.COLUMN_WIDTHS
    printable = L.PAGE_WIDTH - sheet.page_margins.left - sheet.page_margins.right
    assert sum(L.column_pixels(w) for w in widths) / 96 * int(setup.scale) / 100 <= printable
    assert sheet.print_title_rows == f"${L.HEADER_ROW}:${L.HEADER_ROW + 1}"
    assert sheet.freeze_panes == f"A{L.FIRST_DATA_ROW}"
    for printed in written.book("plan").worksheets[:3]:  # every printed sheet's pages numbered
        assert "&P" in printed.oddFooter.center.text and "&N" in printed.oddFooter.center.text, printed.title
    assert sheet.page_margins.left <= 0.5
    texts = [sheet.cell(r, 2).value for r in range(1, sheet.max_row + 1)]
    assert "Кількість заходів за станом виконання:" in texts
    assert any(isinstance(t, str) and t.startswith("Керівник структурного підрозділу") for t in texts)
    assert "Виконавець: ________, тел. ________" in texts and "Дата: ________" in texts


def _task_cells(sheet, first: int, last: int) -> list[str]:
    """The texts of the task cells that cover rows first–last exactly, one per merged segment, in order."""
    segments = sorted((m.min_row, m.max_row) for m in sheet.merged_cells.ranges
                      if m.min_col == m.max_col == L.COL_TASK and first <= m.min_row <= last)
    covered = [row for start, end in segments for row in range(start, end + 1)]
    singles = [row for row in range(first, last + 1) if row not in covered and sheet.cell(row, L.COL_TASK).value]
    starts = sorted([start for start, _ in segments] + singles)
    assert sorted(covered + singles) == list(range(first, last + 1)), (segments, singles)
    return [sheet.cell(row, L.COL_TASK).value for row in starts]


def _pages(sheet) -> list[range]:
    """The printed pages' rows, from the sheet's own page breaks (a break after row N)."""
    breaks = sorted(b.id for b in sheet.row_breaks.brk)
    edges = [L.FIRST_DATA_ROW - 1, *breaks, sheet.max_row]
    return [range(start + 1, end + 1) for start, end in zip(edges, edges[1:])]


def _assert_pages_fit(sheet) -> list[range]:
    """No merged cell crosses a page break, every page holds its rows, and each table page shows measures (no page
    of headings alone); the pages' rows."""
    pages = _pages(sheet)
    breaks = [page.start - 1 for page in pages[1:]]
    for merged in sheet.merged_cells.ranges:
        assert not any(merged.min_row <= b < merged.max_row for b in breaks), merged.coord
    height = _height_in(sheet)
    repeated = height(L.HEADER_ROW) + height(L.HEADER_ROW + 1)
    title = sum(height(r) for r in range(1, L.FIRST_DATA_ROW))
    code = re.compile(r"\d+\.\d+\.\d+")
    for number, page in enumerate(pages):
        used = (title if number == 0 else repeated) + sum(height(r) for r in page)
        assert used <= L.page_body_points(), (number, used)
        if number < len(pages) - 1:  # no page is only headings: each table page shows measures
            assert any(code.match(str(sheet.cell(r, L.COL_CODE).value or "")) for r in page), number
    return pages


def _height_in(sheet):
    return lambda row: sheet.row_dimensions[row].height or 15


@pytest.mark.parametrize("name", ["plan", "culture", "education"])
def test_pages_end_between_rows_and_no_task_cell_crosses_a_page(written, name):
    sheet = written.book(name)[L.REPORT_SHEET]
    pages = _assert_pages_fit(sheet)
    height = _height_in(sheet)
    # every heading is whole: «Профінансовано з початку року, тис. грн» prints in four lines in its column
    assert height(L.HEADER_ROW) >= 4 * 12.75
    if name == "plan":
        assert len(pages) > 5
        continued = [sheet.cell(r, L.COL_TASK).value for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1)
                     if str(sheet.cell(r, L.COL_TASK).value or "").endswith(L.CONTINUED)]
        assert continued  # the plan's long tasks run onto the next page
    for page in pages[1:]:  # a page that starts with a measure shows its task: its own start, or «(продовження)»
        if re.fullmatch(r"\d+\.\d+\.\d+", str(sheet.cell(page.start, L.COL_CODE).value or "")):
            assert sheet.cell(page.start, L.COL_TASK).value, page.start
    assert all(str(v).count(L.CONTINUED) <= 1 for row in sheet.iter_rows(min_col=2, max_col=2, values_only=True)
               for v in row)


def test_a_text_taller_than_a_row_goes_on_whole_in_rows_under_it(plan, tmp_path):
    """A 700-word note made its row 514 pt and more: Excel's rows end at 409 pt, the rest of the note unseen, and
    the row was taller than a printed page. Now each row is at most 409 pt and the note goes on under it."""
    note, remarks, carried = long_text(700), long_text(250, seed=8), long_text(400, seed=9)
    save_progress(find_measure(plan, "1.1.1"), Q2, {"status": "in_progress", "percent": 60, "note": note,
                                                    "remarks": remarks}, author="t")
    save_progress(find_measure(plan, "3.1.2"), Quarter(2025, 1), {"status": "in_progress", "percent": 30,
                                                                  "note": carried}, author="t")
    path = export_report(plan, Q2, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[L.REPORT_SHEET]
    rows = measure_rows(sheet, "1.1.1")
    assert len(rows) >= 4
    assert "".join(sheet.cell(r, L.COL_NOTE).value or "" for r in rows) == note
    assert "".join(sheet.cell(r, L.COL_REMARKS).value or "" for r in rows) == remarks
    assert [sheet.cell(r, L.COL_STATUS).value for r in rows] == ["Виконується"] + [None] * (len(rows) - 1)
    assert sheet.cell(rows[0], L.COL_MEASURE).value and not any(sheet.cell(r, L.COL_MEASURE).value for r in rows[1:])
    held = measure_rows(sheet, "3.1.2")  # a state carried from the quarter before, after its «(дані за …)»
    assert len(held) >= 3
    assert "".join(sheet.cell(r, L.COL_NOTE).value for r in held) == f"(дані за I кв. 2025) Виконується. {carried}"
    height = _height_in(sheet)
    assert max(height(r) for r in range(1, sheet.max_row + 1)) <= ROW_LIMIT
    for r in rows + held:
        assert line_count(sheet.cell(r, L.COL_NOTE).value, L.COL_NOTE) <= MAX_LINES
    pages = _assert_pages_fit(sheet)
    assert len({number for number, page in enumerate(pages) for r in rows if r in page}) <= (len(rows) + 1) // 2 + 1
    assert sheet.cell(rows[1], L.COL_CODE).alignment.wrap_text  # «1.1.1 прод.»: two lines in its column
    meta = book[L.META_SHEET]
    assert meta.cell(L.META_KEYS.index("format_version") + 1, 2).value == L.CONTINUED_VERSION


def test_user_text_is_never_a_formula(written):
    path = written.paths["plan"]
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
    sheet = openpyxl.load_workbook(path)[L.REPORT_SHEET]
    rows = _rows_by_code(sheet)
    assert sheet.cell(rows["4.3.1"], 10).value == "=HYPERLINK(\"http://evil\")"
    assert sheet.cell(rows["4.3.1"], 10).data_type == "s"
    assert sheet.cell(rows["4.3.1"], 11).value == "+1-2"
    assert sheet.cell(rows["4.3.2"], 10).value == "@SUM(A1)" and sheet.cell(rows["4.3.2"], 11).value == "-ризик"


def test_summary_equals_database_rollups_and_has_a_chart(written, filled):
    book = written.book("plan")
    summary = book[L.SUMMARY_SHEET]
    tree = load_tree(filled, Q2)
    by_title = {summary.cell(r, 1).value: r for r in range(5, summary.max_row + 1) if summary.cell(r, 1).value}
    for sg in tree.strategic_goals:
        row = by_title[f"СТРАТЕГІЧНА ЦІЛЬ №{sg.number}. {sg.title}"]
        values = [summary.cell(row, c).value for c in range(2, 11)]
        expected = [sg.rollup.measures] + [sg.rollup.counts[k] for k in
                                           ("not_started", "in_progress", "done", "partially_done", "not_done",
                                            "obsolete", "not_reported")] + [round(sg.rollup.percent, 1)]
        assert values == expected
        for og in sg.operational_goals:
            og_row = by_title[f"Оперативна ціль {og.code}. {og.title}"]
            assert summary.cell(og_row, 2).value == og.rollup.measures
            assert summary.cell(og_row, 10).value == round(og.rollup.percent, 1)
            assert summary.cell(og_row, 1).alignment.indent > 0
    total = by_title["Разом"]
    assert summary.cell(total, 2).value == 233 and summary.cell(total, 9).value == tree.rollup.not_reported
    assert len(summary._charts) == 1
    chart = summary._charts[0]
    assert chart.type == "bar" and "стратегічними" in chart.title.tx.rich.p[0].r[0].t
    executors = book[L.EXECUTORS_SHEET]
    names = [executors.cell(r, 1).value for r in range(4, executors.max_row + 1)]
    culture = names.index("Департамент культури") + 4
    assert executors.cell(culture, 2).value == 27


@pytest.mark.parametrize("name", ["plan", "culture"])
def test_the_summary_prints_its_chart_above_the_table_and_its_figures_nowhere(written, name):
    """Printed, the chart's figures were a stray table under the summary's repeated headings, and the chart went
    to a page of its own under them too. The chart is above the table now, in a row tall enough for it; its figures
    sit beside the table, right of what prints."""
    summary = written.book(name)[L.SUMMARY_SHEET]
    headings = next(r for r in range(1, 10) if summary.cell(r, 1).value == "Ціль")
    assert summary.print_title_rows == f"${headings}:${headings}"
    area = CellRange(str(summary.print_area).split("!")[-1].replace("$", ""))
    assert (area.min_row, area.min_col, area.max_col) == (1, 1, 10)
    totals = next(r for r in range(headings, summary.max_row + 1) if summary.cell(r, 1).value == "Разом")
    assert area.max_row == totals + 1 and AVERAGE_WORDING in summary.cell(area.max_row, 1).value
    assert all(summary.cell(r, c).value is None for r in range(area.max_row + 1, summary.max_row + 1)
               for c in range(1, 11))  # nothing left under the table to print
    chart = summary._charts[0]
    anchor = chart.anchor._from
    assert anchor.col == 0 and anchor.row + 1 < headings  # zero-based: above the headings
    assert summary.row_dimensions[anchor.row + 1].height >= chart.height * 28.35
    figures = chart.series[0].val.numRef.f
    goals = {summary.cell(r, 1).value.split(".")[0].split("№")[1]: summary.cell(r, 10).value
             for r in range(headings + 1, totals) if str(summary.cell(r, 1).value).startswith("СТРАТЕГІЧНА ЦІЛЬ")}
    cells = CellRange(figures.split("!")[-1].replace("$", ""))
    assert cells.min_col > area.max_col and summary.freeze_panes is None
    assert {summary.cell(r, cells.min_col - 1).value.removeprefix("СЦ "): summary.cell(r, cells.min_col).value
            for r in range(cells.min_row, cells.max_row + 1)} == goals


@pytest.mark.parametrize("sheet_name, landscape", [(L.SUMMARY_SHEET, True), (L.EXECUTORS_SHEET, False)])
def test_the_whole_plan_s_small_tables_print_at_a_fixed_scale_and_end_on_a_full_page(written, sheet_name, landscape):
    sheet = written.book("plan")[sheet_name]
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage and 50 <= int(sheet.page_setup.scale) <= 100
    assert sheet.page_setup.orientation == ("landscape" if landscape else "portrait")
    headings = int(str(sheet.print_title_rows).split(":")[0].strip("$"))
    height = lambda row: sheet.row_dimensions[row].height or 15  # noqa: E731
    ends = sorted(b.id for b in sheet.row_breaks.brk)
    assert ends, "the whole plan's table takes more than a page"
    edges = [headings, *ends, sheet.max_row]
    pages = [range(start + 1, end + 1) for start, end in zip(edges, edges[1:])]
    capacity = body_points(int(sheet.page_setup.scale), landscape)
    for number, page in enumerate(pages):
        above = sum(height(r) for r in range(1, headings + 1)) if number == 0 else height(headings)
        assert above + sum(height(r) for r in page) <= capacity, number
    assert len(pages[-1]) - 1 >= KEEP_TOGETHER  # table rows, the note under them besides


@pytest.mark.parametrize("name", ["plan", "culture", "education"])
def test_the_counts_add_up_to_the_measures_on_every_sheet(written, name):
    """Reported for the quarter, carried forward from the last one (1.1.2) and never reported, mixed: each
    measure is counted once — under its status when reported for the quarter, else under «Не подано»."""
    book = written.book(name)
    report = book[L.REPORT_SHEET]
    start = next(r for r in range(1, report.max_row + 1)
                 if report.cell(r, 2).value == "Кількість заходів за станом виконання:")
    lines = {report.cell(start + 1, c).value: report.cell(start + 2, c).value for c in range(4, 12)}
    total = lines.pop("Усього заходів")
    assert sum(lines.values()) == total and total == len(written_codes(report))
    if name == "plan":
        assert total == 233 and lines["Виконується"] == 1 and lines[L.NOT_SUBMITTED] == 233 - 3
    summary = book[L.SUMMARY_SHEET]
    rows = [r for r in range(5, summary.max_row + 1) if isinstance(summary.cell(r, 2).value, int)
            and summary.cell(r, 1).value and not str(summary.cell(r, 1).value).startswith("СЦ ")]
    assert rows and all(sum(summary.cell(r, c).value for c in range(3, 10)) == summary.cell(r, 2).value for r in rows)
    assert any(AVERAGE_WORDING in str(summary.cell(r, 1).value) for r in range(5, summary.max_row + 1))
    if name != "plan":  # a department's report has no «Виконавці» sheet: its one row is the summary's «Разом»
        assert L.EXECUTORS_SHEET not in book.sheetnames
        return
    executors = book[L.EXECUTORS_SHEET]
    rows = [r for r in range(4, executors.max_row + 1) if isinstance(executors.cell(r, 2).value, int)]
    assert rows and all(executors.cell(r, 3).value + executors.cell(r, 4).value == executors.cell(r, 2).value
                        for r in rows)


def written_codes(sheet) -> set[str]:
    """The measure codes in the «Звіт» table («1.1.1» in the code column)."""
    return {str(sheet.cell(r, L.COL_CODE).value) for r in range(1, sheet.max_row + 1)
            if re.fullmatch(r"\d+\.\d+\.\d+", str(sheet.cell(r, L.COL_CODE).value or ""))}


def test_executor_report_holds_only_its_measures(written, filled):
    executor = find_executor("Департамент культури")
    assert written.paths["culture"].name == "Звіт_2025_2кв_ДК.xlsx"
    book = written.book("culture")
    sheet = book[L.REPORT_SHEET]
    assert sheet["A4"].value == "Відповідальний виконавець: Департамент культури"
    rows = _rows_by_code(sheet)
    tree = load_tree(filled, Q2)
    expected = [m for m in tree.measures() if executor.id in m.executor_ids]
    assert sorted(rows) == sorted(m.code for m in expected) and len(rows) == 27
    groups = [sheet.cell(r, 1).value for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1)
              if str(sheet.cell(r, 1).value or "").startswith("СТРАТЕГІЧНА")]
    assert groups == [f"СТРАТЕГІЧНА ЦІЛЬ №{sg.number}. {sg.title}" for sg in tree.strategic_goals
                      if any(executor.id in m.executor_ids for m in sg.measures())]
    summary = book[L.SUMMARY_SHEET]
    total = next(r for r in range(5, summary.max_row + 1) if summary.cell(r, 1).value == "Разом")
    result = rollup(m.state for m in expected)
    assert summary.cell(total, 2).value == 27
    assert summary.cell(total, 10).value == round(result.percent, 1)
    assert L.EXECUTORS_SHEET not in book.sheetnames  # one row would be a page of its own
    assert re.fullmatch(r"Відповідальний виконавець: Департамент культури\. Дата подання: \d\d\.\d\d\.\d{4}",
                        summary.cell(2, 1).value)


def test_metadata_for_reimport(written, filled):
    book = written.book("education")
    meta = book[L.META_SHEET]
    assert meta.sheet_state == "hidden"
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, len(L.META_KEYS) + 1)}
    exported_at = values.pop("exported_at")
    assert values == {"format_version": L.FORMAT_VERSION, "plan_uid": filled.uid, "plan_title": filled.title,
                      "year": "2025", "quarter": "2", "department": "Департамент освіти", "plan_amendments": "0"}
    code_column, uid_column = L.MEASURE_COLUMNS
    uids = {meta.cell(r, code_column).value: meta.cell(r, uid_column).value for r in range(1, meta.max_row + 1)}
    education = [m for m in load_tree(filled).measures() if "Департамент освіти" in m.executors]
    assert uids == {m.code: m.uid for m in education}  # every row's measure named by its uid too
    assert abs(dt.datetime.fromisoformat(exported_at) - dt.datetime.now()) < dt.timedelta(hours=1)


def test_refusals_write_no_file(plan, tmp_path):
    idle = Executor.create(name="Відділ без заходів", short_name="ВБЗ", kind="council_department")
    with pytest.raises(TrackerError, match="жодного заходу"):
        export_report(plan, Q2, tmp_path / "a.xlsx", idle)
    with pytest.raises(TrackerError, match="поза межами плану"):
        export_report(plan, Quarter(2030, 1), tmp_path / "b.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    blocker = out / "dir.xlsx"
    blocker.mkdir()
    with pytest.raises(TrackerError, match="dir.xlsx» — тека. Вкажіть файл у ній"):
        export_report(plan, Q2, blocker)
    assert sorted(p.name for p in out.iterdir()) == ["dir.xlsx"]  # no partial or temporary files left
    assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "b.xlsx").exists()


def test_a_full_disk_is_said_once_without_a_traceback_and_leaves_the_old_report(plan, tmp_path, monkeypatch):
    """openpyxl's zip, written straight to a full disk, was left open: after the message, Python printed its failure
    to close as «Exception ignored in: <function ZipFile.__del__> … No space left on device»."""
    import gc
    import os
    import sys

    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "звіт.xlsx"
    path.write_bytes(b"last quarter's")
    unraised = []
    monkeypatch.setattr(sys, "unraisablehook", unraised.append)

    class FullDisk:
        def __init__(self, descriptor, mode):
            os.close(descriptor)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, data):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("tracker.files.os.fdopen", FullDisk)
    with pytest.raises(TrackerError, match="на диску скінчилося місце"):
        export_report(plan, Q2, path)
    gc.collect()
    assert unraised == []
    assert path.read_bytes() == b"last quarter's" and [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_report_is_readable_by_colleagues_as_any_new_file(plan, tmp_path):
    """mkstemp's 0600 made a report in a shared folder unreadable to the colleague it was for."""
    import os
    import stat

    from tracker.report.export import export_report

    mask = os.umask(0o022)
    try:
        path = export_report(plan, Quarter(2025, 2), tmp_path / "звіт.xlsx")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
