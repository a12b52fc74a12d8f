"""Reading the rows of a plan table from tab-separated text or an .xlsx workbook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import PlanFormatError
from ..i18n import tr
from ..text import without_control
from ..xlsx_guard import check_xlsx

COLUMNS = 5
MAX_TEXT_BYTES = 20 * 1024 * 1024


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


MAX_ROWS = 20_000  # the plan is ~300 rows; an oblast's would be some thousands
MAX_COLUMNS = 30  # the table has 5


def _read_xlsx(path: Path) -> list[PlanRow]:
    check_xlsx(path)
    import openpyxl  # imported here: reading text plans must not pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise PlanFormatError(tr("Не вдалося прочитати книгу «{name}»: {reason}.", name=path.name, reason=exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        # a sheet may claim A1:XFD1048576: read no further than a plan can reach
        for number, values in enumerate(sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True),
                                        start=1):
            cells = [_cell_text(v) for v in values]
            rows.append(PlanRow(number, (cells + [""] * COLUMNS)[:max(COLUMNS, len(cells))]))
        return rows
    finally:
        workbook.close()
