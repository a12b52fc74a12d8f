"""Reading the rows of a plan table from tab-separated text, an .xlsx workbook or the council's Word file (.docx)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import PlanFormatError, TrackerError
from ..files import damage_reason, os_reason
from ..i18n import tr
from ..report.layout import META_SHEET, REPORT_SHEET
from ..text import without_control
from ..xlsx_guard import UnsafeFileError, check_docx, check_xlsx, hostile_xml

COLUMNS = 5
MAX_TEXT_BYTES = 100 * 1024 * 1024  # an oblast's plan of ~50,000 measures is ~22 MB as text


@dataclass
class PlanRow:
    line: int  # line in the text file, or row in the sheet, counted from 1
    cells: list[str]

    @property
    def blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


def read_rows(path: str | Path) -> list[PlanRow]:
    path = Path(path)
    if not path.is_file():
        raise PlanFormatError(tr("Файл «{path}» не знайдено. Перевірте шлях до файла плану.", path=path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() == ".docx":
        return _read_docx(path)
    return _read_text(path)


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanFormatError(tr(
            "Файл «{name}» двійковий, а не текстова таблиця плану. "
            "Збережіть таблицю плану як текст із табуляціями (UTF-8) або як .xlsx.", name=name))
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Word on Ukrainian Windows saves plain text in cp1251.
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise PlanFormatError(tr("Не вдалося прочитати текст файла «{name}»: невідоме кодування.", name=name)) from exc


def _read_text(path: Path) -> list[PlanRow]:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise PlanFormatError(tr("Файл «{name}» завеликий для таблиці плану ({size} МБ).",
                                 name=path.name, size=size // 1_048_576))
    text = _decode(path.read_bytes(), path.name)
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = without_control(line).split("\t")
        rows.append(PlanRow(number, (cells + [""] * COLUMNS)[:max(COLUMNS, len(cells))]))
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return without_control(str(value))


MAX_ROWS = 250_000  # the plan is ~300 rows; an oblast's of ~50,000 measures some 60,000 (room for 4×)
MAX_COLUMNS = 30  # the table has 5


def _read_xlsx(path: Path) -> list[PlanRow]:
    check_xlsx(path)
    import openpyxl  # imported here: reading text plans must not pay for it

    try:
        with path.open("rb") as handle:  # closed by us even if openpyxl fails half-way
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            try:
                if {REPORT_SHEET, META_SHEET} <= set(workbook.sheetnames):  # what tracker.report.export writes
                    raise PlanFormatError(tr(
                        "Файл «{name}» — квартальний звіт про виконання плану, а не таблиця плану: план із нього не "
                        "читається. Стан заходів зі звіту вносить «Імпорт заповненого звіту». Нічого не записано.",
                        name=path.name), hint="import_report")
                sheet = workbook.worksheets[0]
                rows = []
                # a sheet may claim A1:XFD1048576: read no further than a plan can reach
                for number, values in enumerate(sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS,
                                                                values_only=True), start=1):
                    cells = [_cell_text(v) for v in values]
                    rows.append(PlanRow(number, (cells + [""] * COLUMNS)[:max(COLUMNS, len(cells))]))
                return rows
            finally:
                workbook.close()
    except TrackerError:
        raise
    except Exception as exc:  # openpyxl, zipfile and XML parsers raise anything on a bad file, also while rows are read
        raise _unreadable_workbook(path.name, exc) from exc


def _unreadable_workbook(name: str, exc: Exception) -> TrackerError:
    """What to say of a workbook that could not be read: openpyxl's own words were English, over several lines
    (an entity bomb), or the bare name of an exception."""
    if hostile_xml(exc):
        return UnsafeFileError(tr("Файл «{name}» містить небезпечні конструкції XML (оголошення сутностей, «XML-бомба»); "
                                  "його не відкрито. Відкрийте таблицю плану в Excel чи LibreOffice і збережіть як .xlsx "
                                  "заново.", name=name))
    if isinstance(exc, OSError) and exc.errno is not None:  # openpyxl's own IOErrors have none
        return PlanFormatError(tr("Не вдалося прочитати файл «{name}»: {reason}.", name=name, reason=os_reason(exc)))
    return PlanFormatError(tr("Файл «{name}» пошкоджений, і Excel-книгу з нього прочитати не вдалося ({reason}). "
                              "Відкрийте його в Excel чи LibreOffice і збережіть як «Книга Excel (.xlsx)».", name=name,
                              reason=damage_reason(exc)))


def _read_docx(path: Path) -> list[PlanRow]:
    """The council's Word file, as rows the text reader would give for the same table.

    Paragraphs above the table are the title. A task cell merged down over its measures (Word's
    vertical merge) is read once, on its first row, as in the text export; a cell spanning columns
    fills them. A table split in two (the rest of the plan in a second table, often after a page
    break) reads as a page break: a blank row, so the parser's rule for rows split by a page break
    applies (the parser leaves out the header repeated there).
    """
    check_docx(path)
    import docx  # imported here, as openpyxl above: reading text plans must not pay for it
    from docx.oxml.ns import qn  # likewise
    from docx.table import _Cell  # likewise

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx, zipfile and lxml raise anything on a bad file
        raise UnsafeFileError(tr("Документ «{name}» пошкоджений, і прочитати його не вдалося ({reason}). "
                                 "Відкрийте його в Word чи LibreOffice і збережіть як .docx.",
                                 name=path.name, reason=damage_reason(exc))) from exc
    rows: list[PlanRow] = []
    tables = 0

    def add(cells: list[str]) -> None:
        if len(rows) >= MAX_ROWS:
            raise PlanFormatError(tr("Документ «{name}» має понад {rows} рядків — це не план заходів.",
                                     name=path.name, rows=MAX_ROWS))
        rows.append(PlanRow(len(rows) + 1, (cells + [""] * COLUMNS)[:max(COLUMNS, len(cells))]))

    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = without_control("".join(t.text or "" for t in element.iter(qn("w:t"))))
            add([text])
        elif element.tag == qn("w:tbl"):
            tables += 1
            if tables > 1:
                add([""])  # the table goes on after a break
            for tr_ in element.iterchildren(qn("w:tr")):
                cells: list[str] = []
                for tc in tr_.iterchildren(qn("w:tc")):
                    text = "" if tc.vMerge == "continue" else _cell_words(_Cell(tc, None).text)
                    cells += [text] + [""] * (tc.grid_span - 1)
                    if len(cells) > MAX_COLUMNS:
                        break
                add(cells[:MAX_COLUMNS])
    return rows


def _cell_words(text: str) -> str:
    """A cell's paragraphs on one line, as in the text export."""
    return " ".join(without_control(line) for line in text.splitlines())
