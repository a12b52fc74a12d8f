"""Reading a filled-in quarterly report (.xlsx): the guard first, then openpyxl, cells as they are.

Nothing here knows the database; report_import compares what is read with the plan.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from ..errors import TrackerError
from ..files import damage_reason, file_label, os_reason
from ..i18n import tr
from ..text import MAX_TEXT
from ..xlsx_guard import UnsafeFileError, check_xlsx, hostile_xml
from . import layout as L

CODE = re.compile(r"\d+\.\d+\.\d+")
# the bundled plan is ~300 rows, an oblast's of 46,600 measures ~50,000: a sheet with more is not read past this,
# and says so (RawReport.overflow) — at 20,000 an oblast's report lost its last rows unsaid
MAX_ROWS = 200_000
# a text joined from rows going on with it: a note, and the «(дані за III кв. 2025) Втратило актуальність.» the export
# writes before a state carried from a quarter before (a carried note of 32,767 characters read as one changed)
JOINED_LIMIT = MAX_TEXT + 100
_LAST_COLUMN = L.COL_REMARKS


class ReportFileError(TrackerError):
    """The workbook is readable but is not a report this tracker wrote."""


@dataclass
class ReportRow:
    """One measure row of the «Звіт» sheet: its code and columns 2–11 as the cells hold them."""

    row: int
    code: str
    cells: dict[int, object]
    # cells of the rows going on with its texts (layout.CONTINUED_CODE) that hold what those rows are not for: a
    # status, a percent, a sum, a formula — (row, column); the measure is not imported then
    misplaced: list[tuple[int, int]] = field(default_factory=list)
    parts: int = 1  # its own row and the rows going on with its texts, as read
    overlong: dict[int, int] = field(default_factory=dict)  # column → its text's length, joined past JOINED_LIMIT
    # column → the text of the measure's own row, where rows going on with it hold more of it
    firsts: dict[int, str] = field(default_factory=dict)


@dataclass
class RawReport:
    file_name: str
    meta: dict[str, str]
    rows: list[ReportRow]
    title: list[str] = field(default_factory=list)  # the visible lines above the table, as a person reads them
    uids: dict[str, str] = field(default_factory=dict)  # each row's measure code → uid, as exported (hidden sheet)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # measure rows' formula cells, as written
    # those of them whose result the file does not keep: row → [(column, formula)]
    uncomputed: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    overflow: bool = False  # the sheet goes on past MAX_ROWS rows of measures: those were not read
    # each row's measure code → its record as exported (the hidden sheet's base cells, layout.read_base reads them)
    bases: dict[str, tuple] = field(default_factory=dict)
    # rows of the table with progress typed in and no measure's code (cleared, mistyped, a row added): (row, code)
    uncoded: list[tuple[int, object]] = field(default_factory=list)  # the code cell as read
    # rows going on with a measure's texts that are not under its row (rows moved or sorted): (row, code)
    strays: list[tuple[int, str]] = field(default_factory=list)
    # each measure's rows going on with its texts as exported (the hidden sheet's), when it had any: as the cell holds it
    parts: dict[str, object] = field(default_factory=dict)


def read_workbook(path: str | Path) -> RawReport:
    """Read the report's service data and measure rows; every failure is a TrackerError."""
    path = Path(path)
    name = file_label(path)  # the origin of every change it brings
    check_xlsx(path)
    if not openpyxl.DEFUSEDXML:
        raise UnsafeFileError(tr("Захист від шкідливого XML вимкнено (OPENPYXL_DEFUSEDXML). "
                                 "Увімкніть його або встановіть пакет defusedxml; звіт не відкрито."))
    # the cells as written — a formula as its text — then, only in a file with formulas among the measures' cells,
    # their results as the program that saved it computed them: read for results alone, a formula whose result the
    # file does not keep (a file written by a script, never opened in Excel) was an empty cell, and skipped unsaid
    report = _load(path, name, lambda workbook: _read(workbook, name), results=False)
    if report.formulas:
        _take_results(report, _load(path, name, lambda workbook: _results(workbook, report.formulas), results=True))
    return report


def _load(path: Path, name: str, read, results: bool):
    """``read(workbook)`` of the file, each cell its formula (``results``: its result as saved); every failure is a
    TrackerError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # «extension is not supported» and the like
            with path.open("rb") as handle:  # closed by us even if openpyxl fails half-way
                workbook = openpyxl.load_workbook(handle, read_only=True, data_only=results)
                try:
                    return read(workbook)
                finally:
                    workbook.close()
    except TrackerError:
        raise
    except Exception as exc:  # openpyxl, zipfile and XML parsers raise anything on a bad file
        if hostile_xml(exc):
            raise UnsafeFileError(tr(
                "Файл «{name}» містить небезпечні конструкції XML (оголошення сутностей, «XML-бомба»); "
                "його не відкрито. Відкрийте звіт в Excel чи LibreOffice і збережіть як .xlsx заново.",
                name=name)) from exc
        if isinstance(exc, OSError) and exc.errno is not None:  # openpyxl's own IOErrors have none
            raise UnsafeFileError(tr("Не вдалося прочитати файл «{name}»: {reason}.",
                                     name=name, reason=os_reason(exc))) from exc
        raise UnsafeFileError(tr(
            "Файл «{name}» пошкоджений, і Excel-книгу з нього прочитати не вдалося "
            "({reason}). Відкрийте його в Excel чи LibreOffice, збережіть як «Книга Excel "
            "(.xlsx)» і спробуйте ще раз, або експортуйте звіт заново.", name=name, reason=damage_reason(exc))) from exc


def _read(workbook, name: str) -> RawReport:
    sheets = workbook.sheetnames
    if L.REPORT_SHEET not in sheets:
        raise ReportFileError(tr(
            "У файлі «{name}» немає аркуша «{sheet}»: це не звіт трекера, або аркуш "
            "перейменовано. Поверніть аркушу назву чи експортуйте звіт заново.", name=name, sheet=L.REPORT_SHEET))
    if L.META_SHEET not in sheets:
        raise ReportFileError(tr(
            "У файлі «{name}» немає прихованого аркуша «{sheet}» зі службовими даними звіту. "
            "Заповнюйте звіт, експортований трекером, не вилучаючи його аркушів.", name=name, sheet=L.META_SHEET))
    _check_columns(workbook[L.REPORT_SHEET], name)
    meta: dict[str, str] = {}
    for key, value in workbook[L.META_SHEET].iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
        if key is not None:
            meta[str(key).strip()] = "" if value is None else str(value).strip()
    uids: dict[str, str] = {}
    bases: dict[str, tuple] = {}
    parts: dict[str, object] = {}
    code_column, uid_column = L.MEASURE_COLUMNS
    for code, uid, *base, going_on in workbook[L.META_SHEET].iter_rows(
            min_row=1, max_row=MAX_ROWS, min_col=code_column, max_col=L.PARTS_COLUMN, values_only=True):
        if code is None and uid is None:
            break
        uids[str(code).strip()] = str(uid).strip()
        bases[str(code).strip()] = tuple(base)
        if going_on is not None:
            parts[str(code).strip()] = going_on
    rows = []
    formulas: dict[tuple[int, int], str] = {}
    sheet = workbook[L.REPORT_SHEET]
    overflow = False
    uncoded: list[tuple[int, object]] = []
    strays: list[tuple[int, str]] = []
    astray: set[str] = set()  # the measures of those
    following = 0  # the last row of the last measure read: its own, or one going on with its texts
    counts = 0  # rows of the counts under the table still to pass (their numbers are no one's progress)
    for number, cells in enumerate(_data_rows(sheet, beyond=True), start=L.FIRST_DATA_ROW):
        if number >= L.FIRST_DATA_ROW + MAX_ROWS:  # the one row past the last read: is there more?
            overflow = any(cell.value is not None for cell in cells)
            break
        code = _code(cells[0].value)
        continued = L.CONTINUED_CODE.fullmatch(code)
        if continued:
            last = rows[-1] if rows else None
            if last is not None and last.code == continued[1] and following == number - 1 \
                    and int(continued[2]) == last.parts:  # the next part: none deleted above it, none swapped
                _go_on(last, number, cells, formulas)
            elif continued[1] not in astray:  # the first one astray says it for the measure
                astray.add(continued[1])
                strays.append((number, continued[1]))
            following = number
            continue
        if not CODE.fullmatch(code):
            # group rows, the counts and the signature block; a row with progress typed in is said: its code
            # cleared or mistyped («4.3.2.»), a measure added as a row, a row typed below the signatures — each was
            # left out unsaid
            label = cells[1].value
            if isinstance(label, str) and _is_footer(label):
                counts = L.COUNT_ROWS + 1  # the label's row and the counts' own
            elif _count_names(cells):  # the counts' own names, whatever became of the label above them
                counts = L.COUNT_ROWS
            passing, counts = counts > 0, max(counts - 1, 0)
            if not passing and not _column_numbers(cells) and any(
                    _typed(cells[column - 1].value) for column in L.PROGRESS_COLUMNS):
                uncoded.append((number, cells[0].value))
            continue
        values = {column: _as_shown(cell.value) for column, cell in enumerate(cells, start=1) if column > L.COL_CODE}
        values[L.COL_PERCENT] = _as_shown(_percent_cell(cells[L.COL_PERCENT - 1]))
        formulas.update({(number, column): str(cell.value) for column, cell in enumerate(cells, start=1)
                         if column > L.COL_CODE and cell.data_type == "f"})
        rows.append(ReportRow(number, code, values))
        following = number
    title = [" ".join(str(value).split()) for (value,) in
             sheet.iter_rows(min_row=1, max_row=L.HEADER_ROW - 1, max_col=1, values_only=True) if value is not None]
    return RawReport(name, meta, rows, title, uids, formulas, overflow=overflow, bases=bases, uncoded=uncoded,
                     strays=strays, parts=parts)


def _check_columns(sheet, name: str) -> None:
    """The table's headings in the columns the export put them in: a column inserted, deleted or moved before the
    11th puts every value after it in another column's place, and each row was refused for its values («невідомий
    стан «12.3»»), never for the columns. A heading reworded, or a column added after the 11th, moves nothing."""
    wanted = [" ".join(heading.split()) for heading in L.HEADERS]
    for cells in sheet.iter_rows(min_row=1, max_row=L.FIRST_DATA_ROW + 10, max_col=len(wanted) + 10,
                                 values_only=True):
        texts = [" ".join(value.split()) if isinstance(value, str) else "" for value in cells]
        if sum(text in wanted for text in texts) <= len(wanted) // 2:
            continue  # not the headings' row (a row inserted above the table moves them down)
        place = {text: column for column, text in reversed(list(enumerate(texts, start=1))) if text}
        for column, heading in enumerate(wanted, start=1):
            found = place.get(heading)
            if found is not None and found != column:
                raise ReportFileError(tr(
                    "У файлі «{name}» стовпець «{heading}» тепер {found}-й, а не {column}-й: стовпець вставлено, "
                    "вилучено чи переставлено, тож значення рядків не на своїх місцях; файл не імпортовано. Поверніть "
                    "стовпці як були (свої стовпці додавайте праворуч від {last}-го) або експортуйте звіт заново.",
                    name=name, heading=heading, found=found, column=column, last=len(wanted)))
        return


def _go_on(row: ReportRow, number: int, cells, formulas: dict[tuple[int, int], str]) -> None:
    """A row going on with the texts of the measure above (layout.CONTINUED_CODE): each text joined to the measure's.
    The export cuts a text after white space, which ends the part above; one whose space was trimmed off is joined
    with a space. Anything else typed there is misplaced (the task's column is the task's, merged or repeated), and
    so is a part after a formula in the measure's row: its result would take the whole text's place."""
    row.parts += 1
    for column, cell in enumerate(cells, start=1):
        if column in (L.COL_CODE, L.COL_TASK):
            continue
        if cell.data_type == "f" or (column not in L.CONTINUED_COLUMNS and _typed(cell.value)) or (
                (row.row, column) in formulas and _typed(cell.value)):
            row.misplaced.append((number, column))
            continue
        value = _as_shown(cell.value)
        if column in L.CONTINUED_COLUMNS and value is not None and str(value) != "":
            head, tail = row.cells.get(column), str(value)
            head = "" if head is None else str(head)
            row.firsts.setdefault(column, head)  # the first part that goes on: the text so far is the row's own
            glue = "" if not head or head[-1].isspace() or tail[0].isspace() else " "
            # joined up to what a note may hold (with the mark of a state carried before it); past it the length is
            # counted, not the text (ReportRow.overlong): a cell of 32,767 characters shared by 200,000 rows going on
            # made a text of 6.5 billion
            length = row.overlong.get(column, len(head)) + len(glue) + len(tail)
            if length > JOINED_LIMIT:
                row.overlong[column] = length
            else:
                row.cells[column] = head + glue + tail


def cell_text(value) -> str:
    """A cell's value as text: none is "", a whole float (Excel's 40.0) its whole number, the ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def squeezed(value) -> str:
    """cell_text with its white space squeezed: the same words however they were spaced or wrapped."""
    return " ".join(cell_text(value).split())


def _code(value) -> str:
    """A code cell's text without spaces nor invisible marks (a zero-width space copied in from a letter)."""
    if value is None:
        return ""
    return "".join(char for char in str(value) if not char.isspace() and unicodedata.category(char) != "Cf")


def _is_footer(label: str) -> bool:
    return " ".join(label.split()).rstrip(":").strip() == L.FOOTER_LABEL.rstrip(":")


def _count_names(cells) -> bool:
    """The row of the statuses' names in the counts under the table (most of them still there)."""
    names = {" ".join(str(cell.value).split()) for cell in cells if isinstance(cell.value, str)}
    return len(names & L.COUNT_NAMES) >= 3


def _column_numbers(cells) -> bool:
    """The row of column numbers 1…11 under the header (a line added above the table brings it down here)."""
    return [_code(cell.value) for cell in cells] == [str(n) for n in range(1, len(cells) + 1)]


def _typed(value) -> bool:
    return value is not None and not (isinstance(value, str) and value.strip() in ("", L.NOT_SUBMITTED))


def _data_rows(sheet, beyond: bool = False):
    """The rows of measures, MAX_ROWS of them (``beyond``: and the one after, to tell whether the sheet goes on)."""
    return sheet.iter_rows(min_row=L.FIRST_DATA_ROW, max_row=L.FIRST_DATA_ROW + MAX_ROWS - (0 if beyond else 1),
                           min_col=1, max_col=_LAST_COLUMN)


def _results(workbook, formulas: dict[tuple[int, int], str]) -> dict[tuple[int, int], object]:
    """The result the file keeps of each of these formula cells (None: it keeps none)."""
    last = max(number for number, _ in formulas)
    found = {}
    for number, cells in enumerate(_data_rows(workbook[L.REPORT_SHEET]), start=L.FIRST_DATA_ROW):
        for column, cell in enumerate(cells, start=1):
            if (number, column) in formulas:
                found[number, column] = _percent_cell(cell) if column == L.COL_PERCENT else cell.value
        if number >= last:
            break
    return found


def _take_results(report: RawReport, results: dict[tuple[int, int], object]) -> None:
    """Each formula cell read as its result; one with no result kept is said (RawReport.uncomputed), not read."""
    rows = {row.row: row for row in report.rows}
    for (number, column), formula in report.formulas.items():
        result = results.get((number, column))
        if result is None:
            report.uncomputed.setdefault(number, []).append((column, formula))
        rows[number].cells[column] = _as_shown(result)


def _as_shown(value) -> object:
    """A date or a truth value Excel made of what was typed, as the sheet shows it: a note «01.05.2025» was kept as
    «2025-05-01 00:00:00», and a problem quoted «True»."""
    if isinstance(value, bool):
        return "ІСТИНА" if value else "ХИБНІСТЬ"
    if isinstance(value, _dt.datetime):
        return value.strftime("%d.%m.%Y" if value.time() == _dt.time() else "%d.%m.%Y %H:%M")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.strftime("%d.%m.%Y" if isinstance(value, _dt.date) else "%H:%M")
    return value


def _percent_cell(cell) -> object:
    """Typing «75%» into Excel stores 0.75 formatted as a percentage: read it back as 75."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return round(value * 100, 6)
    return value
