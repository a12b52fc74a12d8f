"""The fixed layout of the council's quarterly report, shared by export and re-import."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..progress.fields import FIELDS
from ..progress.status import Status
from ..quarters import Quarter

FORMAT_VERSION = "1"
# a report with a measure's text run on into rows under it (CONTINUED_CODE): a program before them read the measure's
# first row alone, and would have taken the note cut short for the person's change — it refuses this version
CONTINUED_VERSION = "2"
READABLE_VERSIONS = (FORMAT_VERSION, CONTINUED_VERSION)
REPORT_SHEET = "Звіт"
SUMMARY_SHEET = "Зведення"
EXECUTORS_SHEET = "Виконавці"
META_SHEET = "_meta"  # hidden: what re-import needs

HEADER_ROW = 6  # the column headings; the row of column numbers follows
FIRST_DATA_ROW = HEADER_ROW + 2
HEADERS = [
    "№ з/п",
    "Завдання",
    "Перелік заходів",
    "Відповідальні виконавці",
    "Джерела фінансування",
    "Передбачено на рік, тис. грн",
    "Профінансовано з початку року, тис. грн",
    "Стан виконання",
    "Виконання, %",
    "Інформація про виконання",
    "Примітки (причини невиконання, ризики)",
]
# in Excel's units (the default font's digit width, 7 px): at PRINT_SCALE they fit A4 landscape's width
COLUMN_WIDTHS = [6, 20, 26, 21, 14, 13, 16, 12, 12, 22, 15]

# Printing: A4 landscape at a fixed 85 % (10 pt text prints at 8.5 pt), narrow margins (inches)
PRINT_SCALE = 85
PAGE_WIDTH, PAGE_HEIGHT = 11.69, 8.27
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_FOOTER = 0.25, 0.4, 0.55, 0.25
PAGE_SAFETY = 0.97  # Excel and LibreOffice round row heights a little differently


def column_pixels(width: float) -> int:
    """What Excel draws a column of this width as, at 96 dpi (its formula, for a 7 px digit)."""
    return int((256 * width + 128 // 7) / 256 * 7)


def printed_width_inches() -> float:
    return sum(column_pixels(w) for w in COLUMN_WIDTHS) / 96 * PRINT_SCALE / 100


def page_body_points() -> float:
    """How much row height (points, as the sheet has it) one printed page holds at PRINT_SCALE."""
    return (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) * 72 / (PRINT_SCALE / 100) * PAGE_SAFETY
# 1-based columns of the report
COL_CODE, COL_TASK, COL_MEASURE, COL_EXECUTORS, COL_FUNDING = 1, 2, 3, 4, 5
COL_PLANNED, COL_ACTUAL, COL_STATUS, COL_PERCENT, COL_NOTE, COL_REMARKS = 6, 7, 8, 9, 10, 11
PROGRESS_COLUMNS = (COL_PLANNED, COL_ACTUAL, COL_STATUS, COL_PERCENT, COL_NOTE, COL_REMARKS)  # what a person fills
NOT_SUBMITTED = "Не подано"
FOOTER_LABEL = "Кількість заходів за станом виконання:"  # the counts under the table: the measures' rows end above
COUNT_ROWS = 2  # under the label: the statuses' names, then their counts
TOTAL_LABEL = "Усього заходів"
COUNT_NAMES = frozenset([*(status.label for status in Status), NOT_SUBMITTED, TOTAL_LABEL])  # over the counts
CONTINUED = " (продовження)"  # after a task's text where its measures run onto the next printed page
# the code cell of a row that goes on with a measure's text too tall for one row (Excel's rows end at 409 pt)
# numbered from 1 under the measure's row: a row deleted from the middle or two swapped tell themselves («(прод.)»
# printed its bracket on a line of its own in the narrow column)
CONTINUED_ROW = "{code} прод. {number}"
CONTINUED_CODE = re.compile(r"(\d+\.\d+\.\d+)прод\.(\d+)")  # as the reader sees the cell, its spaces dropped
CONTINUED_COLUMNS = (COL_MEASURE, COL_EXECUTORS, COL_FUNDING, COL_NOTE, COL_REMARKS)  # the texts that may run on
NO_FUNDING = "—"
MONEY_FORMAT = "#,##0.0"  # shown as «# ##0,0» in a Ukrainian Excel

# exported_at: when the data were read, so a file exported before a newer save cannot revert it unseen
# plan_amendments: how many amendments of the plan the database had applied, so the report is read back against
# the version it was made from; beside the keys, each row's measure code and uid (columns MEASURE_COLUMNS)
META_KEYS = ("format_version", "plan_uid", "plan_title", "year", "quarter", "department", "exported_at",
             "plan_amendments")
MEASURE_COLUMNS = (4, 5)  # the hidden sheet's columns D and E: code, uid
# then each row's record as the export read it: a column per progress field (its stored value), then «1» when the
# quarter was reported, «0» when not. Re-import tells by them a value the file changed from one the database took
# since the export (a laptop's package, another file), whatever the computers' clocks say
BASE_COLUMNS = tuple(range(6, 6 + len(FIELDS)))
REPORTED_COLUMN = BASE_COLUMNS[-1] + 1
# then the rows the measure's row went on in (CONTINUED_ROW), when it did: the last of them deleted is told so
PARTS_COLUMN = REPORTED_COLUMN + 1

_PERIODS = {1: "за I квартал {year} року", 2: "за I півріччя {year} року", 3: "за 9 місяців {year} року",
            4: "за {year} рік"}


def period_wording(quarter: Quarter) -> str:
    """The cumulative period with its «станом на» date: «за I півріччя 2025 року (станом на 01.07.2025)»."""
    as_of = quarter.first_day_after.strftime("%d.%m.%Y")
    return f"{_PERIODS[quarter.number].format(year=quarter.year)} (станом на {as_of})"


def about_plan(title: str) -> str:
    """«про стан виконання Плану заходів …»: the plan's title in the genitive."""
    if title.startswith("План "):
        title = "Плану " + title[len("План "):]
    return f"про стан виконання {title}"


def file_name(quarter: Quarter, executor_short: str | None = None) -> str:
    base = f"Звіт_{quarter.year}_{quarter.number}кв"
    if executor_short:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in executor_short).strip("_")
        base += f"_{safe}"
    return base + ".xlsx"


def executors_text(executors: list[str]) -> str:
    return ", ".join(executors)


def funding_text(funding: list[str]) -> str:
    return ", ".join(funding) or NO_FUNDING


def not_submitted_prefix(quarter: Quarter) -> str:
    return f"(дані за {quarter.label})"


# what not_submitted_prefix writes, for recognising cells left as exported
NOT_SUBMITTED_PREFIX_RE = re.compile(r"^\(дані за [IV]+ кв\. \d{4}\)")
# the same prefix after a person edited it («(дані за I кв 2025» …): neither readable nor to be ignored
DAMAGED_PREFIX_RE = re.compile(r"^\(?\s*дані\s+за\b", re.IGNORECASE)


def financing_shown(state, quarter: Quarter) -> bool:
    """Financing is for the year: a state carried over from last year shows none in this year's report (the
    export leaves columns 6–7 empty, and the re-import compares with empty)."""
    return state is not None and state.quarter.year == quarter.year


def carried_cells(state) -> dict[int, str]:
    """What a «Не подано» row shows in columns 9–11 for a state carried from an earlier quarter: the last known
    percent, status with note, and remarks, each after «(дані за I кв. 2025)». The export writes it, the
    re-import compares with it, so a cell a person changed is never taken for one left as exported."""
    prefix = not_submitted_prefix(state.quarter)
    return {COL_PERCENT: f"{prefix} {state.percent} %",
            COL_NOTE: f"{prefix} {state.status.label}. {state.note}".strip(),
            COL_REMARKS: f"{prefix} {state.remarks}".strip() if state.remarks else ""}


def progress_cells(state, quarter: Quarter) -> dict[int, object]:
    """Columns 6–11 of a measure's row as the export writes them for its ``state`` as of ``quarter`` (None: never
    reported): the quarter's own record, or «Не подано» with the state carried from an earlier quarter."""
    cells: dict[int, object] = {}
    if financing_shown(state, quarter):
        cells[COL_PLANNED] = float(state.planned_financing) if state.planned_financing is not None else None
        cells[COL_ACTUAL] = float(state.actual_financing) if state.actual_financing is not None else None
    if state is not None and state.reported:
        cells.update({COL_STATUS: state.status.label, COL_PERCENT: state.percent, COL_NOTE: state.note,
                      COL_REMARKS: state.remarks})
    else:
        cells[COL_STATUS] = NOT_SUBMITTED
        if state is not None:
            cells.update(carried_cells(state))
    return cells


def base_cells(values: dict, reported: bool) -> list[str | None]:
    """A row's record as exported, for the hidden sheet's BASE_COLUMNS and REPORTED_COLUMN."""
    return [f.store(values[f.name]) for f in FIELDS] + ["1" if reported else "0"]


def read_base(cells: Sequence) -> tuple[dict, bool] | None:
    """A row's record as exported (typed values by field name, and whether the quarter was reported) from its cells
    in the hidden sheet; None when the file has none (exported before they were kept) or they are not what an
    export writes — the row is then judged by the export's time alone."""
    if len(cells) != len(FIELDS) + 1 or cells[-1] not in ("0", "1"):
        return None
    values = {}
    for f, text in zip(FIELDS, cells):
        if text is not None and not isinstance(text, str):
            return None
        try:
            f.check_stored(text)
            values[f.name] = f.load(text)
        except (ValueError, ArithmeticError):
            return None
    return values, cells[-1] == "1"


def listing_name(quarter: Quarter) -> str:
    """The collection round's list of files and addresses, written beside its reports (tracker.report.round); a
    folder of returned reports read back leaves it out (tracker.report.batch)."""
    return f"Розсилка_{quarter.year}_{quarter.number}кв.csv"


def is_listing(name: str) -> bool:
    return re.fullmatch(r"Розсилка_\d{4}_[1-4]кв\.csv", name) is not None
