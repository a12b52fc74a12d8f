"""Rebuilding the adopted plan from a damaged table: rows → goals, tasks, measures, with a report.

The table comes from Word and carries the usual damage. Every repair is made by a rule that
would serve the next plan too, and every repair and anomaly is reported with its line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import PlanFormatError
from ..i18n import tr
from ..text import clean, has_broken_hyphen, join_broken_hyphens, search_key, starts_lowercase
from .directory import Directory, FundingMention, Mention
from .source import PlanRow

_STRATEGIC_RE = re.compile(r"^стратегічна\s+ціль\s*№?\s*(\d+)\s*[.:]?\s*(.*)$", re.IGNORECASE)
_OPERATIONAL_RE = re.compile(r"^оперативна\s+ціль\s*(\d+\.\d+)\s*[.:]?\s*(.*)$", re.IGNORECASE)
_MEASURE_CODE_RE = re.compile(r"^(\d+)\.(\d+)\.(\d+)\.?$")
_BROKEN_WORD_RE = re.compile(r"[^\W\d_]+-\s+[a-zа-яіїєґ']+")
_YEARS_RE = re.compile(r"(20\d\d)\s*[–—-]\s*(20\d\d)")
_QUOTE_MARKS_RE = re.compile(r"[«»“”„\"]")

# Kinds of repair (the importer changed what it read) and of anomaly (it could not, and says so).
REPAIR_TASK_CONTINUED = "task_continued"          # page break split a task's text
REPAIR_ROW_CONTINUED = "row_continued"            # page break split a whole row
REPAIR_SHIFT_RIGHT = "shifted_right"              # task text in the measure column, executors in funding
REPAIR_SHIFT_LEFT = "shifted_left"                # measure text in the task column, the rest moved left
REPAIR_MEASURE_IN_TASK = "measure_in_task_column"  # measure text in the task column, measure column empty
REPAIR_EMPTY_ROW = "empty_numbered_row"           # numbered row with no content is not a measure
REPAIR_EXECUTOR_SPELLING = "executor_spelling"    # another spelling of a known executor
REPAIR_MISSING_COMMA = "missing_comma"            # two executors written without a comma
REPAIR_FUNDING_SPELLING = "funding_spelling"      # a typo in a funding source
REPAIR_HYPHEN = "broken_hyphen"                   # "інформаційно- комунікаційних"
ANOMALY_FUNDING_MISSING = "funding_missing"
ANOMALY_UNKNOWN_EXECUTOR = "unknown_executor"
ANOMALY_UNKNOWN_FUNDING = "unknown_funding"
ANOMALY_NUMBERING = "numbering"
ANOMALY_UNEXPECTED_ROW = "unexpected_row"
ANOMALY_NO_TASK = "no_task"
ANOMALY_NO_EXECUTOR = "no_executor"

REPAIR_KINDS = {
    REPAIR_TASK_CONTINUED, REPAIR_ROW_CONTINUED, REPAIR_SHIFT_RIGHT, REPAIR_SHIFT_LEFT,
    REPAIR_MEASURE_IN_TASK, REPAIR_EMPTY_ROW, REPAIR_EXECUTOR_SPELLING, REPAIR_MISSING_COMMA,
    REPAIR_FUNDING_SPELLING, REPAIR_HYPHEN,
}


@dataclass
class Finding:
    line: int
    kind: str
    message: str

    @property
    def is_repair(self) -> bool:
        return self.kind in REPAIR_KINDS

    def __str__(self) -> str:
        label = tr("виправлено") if self.is_repair else tr("увага")
        return tr("рядок {line}: [{label}] {message}", line=self.line, label=label, message=self.message)


@dataclass
class ParsedMeasure:
    code: str
    title: str
    executors: list[Mention]
    funding: list[FundingMention]
    line: int


@dataclass
class ParsedTask:
    title: str
    line: int
    measures: list[ParsedMeasure] = field(default_factory=list)


@dataclass
class ParsedOperationalGoal:
    code: str
    title: str
    line: int
    tasks: list[ParsedTask] = field(default_factory=list)


@dataclass
class ParsedStrategicGoal:
    number: int
    title: str
    line: int
    operational_goals: list[ParsedOperationalGoal] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str
    first_year: int
    last_year: int
    strategic_goals: list[ParsedStrategicGoal]
    findings: list[Finding]

    def measures(self) -> list[ParsedMeasure]:
        return [m for sg in self.strategic_goals for og in sg.operational_goals
                for t in og.tasks for m in t.measures]

    def operational_goals(self) -> list[ParsedOperationalGoal]:
        return [og for sg in self.strategic_goals for og in sg.operational_goals]


@dataclass
class _Row:
    line: int
    cells: list[str]
    after_break: bool


class _Parser:
    def __init__(self, directory: Directory, name: str):
        self.directory = directory
        self.name = name
        self.findings: list[Finding] = []
        self.goals: list[ParsedStrategicGoal] = []
        self.task: ParsedTask | None = None
        self.codes: dict[str, int] = {}
        self.empty_codes: set[str] = set()

    def note(self, line: int, kind: str, message: str) -> None:
        self.findings.append(Finding(line, kind, message))

    def text(self, line: int, raw: str, what: str) -> str:
        value = clean(raw)
        if has_broken_hyphen(value):
            fixed = join_broken_hyphens(value)
            for broken in _BROKEN_WORD_RE.findall(value):
                self.note(line, REPAIR_HYPHEN, tr("{what}: розірване слово «{broken}» → «{joined}»",
                                                   what=what, broken=broken, joined=broken.replace(" ", "")))
            value = fixed
        return value

    # -- structure -------------------------------------------------------------------------

    def parse(self, rows: list[PlanRow]) -> ParsedPlan:
        title, body = self._split_title(rows)
        years = _YEARS_RE.search(title)
        if not years:
            raise PlanFormatError(tr(
                "У назві плану у файлі «{name}» немає років дії (наприклад, «2024–2027 роки»). "
                "Перевірте, що перший рядок файла — назва плану.", name=self.name))
        first_year, last_year = int(years.group(1)), int(years.group(2))
        if not first_year <= last_year <= first_year + 20:
            raise PlanFormatError(tr("Роки дії плану «{years}» не мають сенсу.", years=years.group(0)))
        for row in self._join_continuations(body):
            self._row(row)
        measures = [m for sg in self.goals for og in sg.operational_goals for t in og.tasks for m in t.measures]
        if not measures:
            raise PlanFormatError(tr(
                "У файлі «{name}» не знайдено жодного заходу з кодом на кшталт 1.1.1. "
                "Це не таблиця плану заходів.", name=self.name))
        return ParsedPlan(clean(title), first_year, last_year, self.goals, self.findings)

    def _split_title(self, rows: list[PlanRow]) -> tuple[str, list[PlanRow]]:
        for index, row in enumerate(rows):
            if _is_header(row):
                titles = [clean(" ".join(r.cells)) for r in rows[:index] if not r.blank]
                if not titles:
                    raise PlanFormatError(tr("У файлі «{name}» немає назви плану над таблицею.", name=self.name))
                return " ".join(titles), rows[index + 1:]
            if index > 50:
                break
        raise PlanFormatError(tr(
            "Файл «{name}» не схожий на план заходів: не знайдено рядка заголовка таблиці "
            "(«№ | Завдання | Перелік заходів | Відповідальні виконавці | Джерела фінансування»).", name=self.name))

    def _join_continuations(self, rows: list[PlanRow]) -> list[_Row]:
        """Blank lines are page breaks; an unnumbered row after one continues the row above."""
        result: list[_Row] = []
        after_break = False
        for raw in rows:
            if raw.blank:
                after_break = True
                continue
            if _is_header(raw) or _is_column_numbers(raw):
                continue  # the header repeated on the next page, or the row numbering the columns
            cells = [c for c in raw.cells[:5]] + [""] * (5 - len(raw.cells[:5]))
            first = clean(cells[0])
            if not first and after_break and result and _MEASURE_CODE_RE.match(clean(result[-1].cells[0])):
                previous = result[-1]
                previous.cells = [" ".join(p for p in (a, b) if clean(p)) for a, b in zip(previous.cells, cells)]
                self.note(raw.line, REPAIR_ROW_CONTINUED,
                          tr("рядок без номера після розриву сторінки доповнює захід {code}",
                             code=clean(previous.cells[0])))
            else:
                result.append(_Row(raw.line, cells, after_break))
            after_break = False
        return result

    def _row(self, row: _Row) -> None:
        first = clean(row.cells[0])
        if match := _STRATEGIC_RE.match(first):
            number = int(match.group(1))
            if self.goals and number != self.goals[-1].number + 1:
                self.note(row.line, ANOMALY_NUMBERING,
                          tr("стратегічна ціль №{number} іде після №{previous}",
                             number=number, previous=self.goals[-1].number))
            self.goals.append(ParsedStrategicGoal(number, self.text(row.line, match.group(2), tr("ціль")), row.line))
            self.task = None
            return
        if match := _OPERATIONAL_RE.match(first):
            if not self.goals:
                raise PlanFormatError(tr("Рядок {line}: оперативна ціль перед першою стратегічною ціллю.",
                                         line=row.line))
            code = match.group(1)
            if code.split(".")[0] != str(self.goals[-1].number):
                self.note(row.line, ANOMALY_NUMBERING,
                          tr("оперативна ціль {code} стоїть під стратегічною ціллю №{number}",
                             code=code, number=self.goals[-1].number))
            self.goals[-1].operational_goals.append(
                ParsedOperationalGoal(code, self.text(row.line, match.group(2), tr("ціль")), row.line))
            self.task = None
            return
        if match := _MEASURE_CODE_RE.match(first):
            self._measure(row, ".".join(match.groups()))
            return
        self.note(row.line, ANOMALY_UNEXPECTED_ROW,
                  tr("рядок не є ні ціллю, ні заходом і пропущений: «{text}»",
                     text=clean(" ".join(row.cells))[:80]))

    # -- measures --------------------------------------------------------------------------

    def _measure(self, row: _Row, code: str) -> None:
        goal = self.goals[-1].operational_goals[-1] if self.goals and self.goals[-1].operational_goals else None
        if goal is None:
            raise PlanFormatError(tr("Рядок {line}: захід {code} стоїть поза оперативною ціллю.",
                                     line=row.line, code=code))
        if any(len(part) > 3 for part in code.split(".")):  # packages carry codes of up to three digits a part
            raise PlanFormatError(tr("Рядок {line}: код заходу «{code}» задовгий — у частині коду більше трьох цифр. "
                                     "Виправте нумерацію у файлі плану й імпортуйте знову.", line=row.line, code=code))
        if code in self.codes:
            raise PlanFormatError(tr(
                "Код заходу {code} повторюється (рядки {first} і {line}). "
                "Виправте нумерацію у файлі плану й імпортуйте знову.",
                code=code, first=self.codes[code], line=row.line))
        task_text, measure_text, executors_text, funding_text = (clean(c) for c in row.cells[1:5])
        if not any((task_text, measure_text, executors_text, funding_text)):
            self.note(row.line, REPAIR_EMPTY_ROW, tr("рядок {code} без змісту — це не захід, пропущено", code=code))
            self.empty_codes.add(code)
            return
        self.codes[code] = row.line
        self._check_numbering(row.line, code, goal)

        looks_exec = self.directory.looks_like_executors
        looks_funding = self.directory.looks_like_funding
        funding_missing = False
        if (not task_text and measure_text and executors_text and funding_text
                and not looks_funding(funding_text) and looks_exec(funding_text) and not looks_exec(executors_text)):
            self.note(row.line, REPAIR_SHIFT_RIGHT,
                      tr("{code}: текст завдання стояв у колонці заходів, захід — у колонці виконавців, "
                         "виконавці — у колонці джерел фінансування; колонки повернуто на місця", code=code))
            task_text, measure_text, executors_text, funding_text = measure_text, executors_text, funding_text, ""
            funding_missing = True
        elif (task_text and not funding_text and executors_text and measure_text
              and looks_funding(executors_text) and looks_exec(measure_text)):
            self.note(row.line, REPAIR_SHIFT_LEFT,
                      tr("{code}: текст заходу стояв у колонці завдань, виконавці та джерела — на колонку лівіше; "
                         "колонки повернуто на місця, захід належить до завдання вище", code=code))
            task_text, measure_text, executors_text, funding_text = "", task_text, measure_text, executors_text
        elif task_text and not measure_text:
            self.note(row.line, REPAIR_MEASURE_IN_TASK,
                      tr("{code}: текст заходу стояв у колонці завдань; захід належить до завдання вище", code=code))
            task_text, measure_text = "", task_text

        if task_text and row.after_break and starts_lowercase(task_text) and self.task is not None:
            self.task.title = f"{self.task.title} {self.text(row.line, task_text, tr('завдання'))}"
            self.note(row.line, REPAIR_TASK_CONTINUED,
                      tr("{code}: «{text}» після розриву сторінки — продовження завдання «{task}…»",
                         code=code, text=task_text[:50], task=self.task.title[:50]))
        elif task_text:
            self.task = ParsedTask(self.text(row.line, task_text, tr("завдання")), row.line)
            goal.tasks.append(self.task)
        elif self.task is None:
            self.note(row.line, ANOMALY_NO_TASK, tr("{code}: захід без завдання (порожня колонка завдань)", code=code))
            self.task = ParsedTask("", row.line)
            goal.tasks.append(self.task)
        executors = self._executors(row.line, code,
                                    self.text(row.line, executors_text, tr("{code}, виконавці", code=code)))
        funding = self._funding(row.line, code, funding_text)
        if funding_missing or not funding_text:
            self.note(row.line, ANOMALY_FUNDING_MISSING,
                      tr("{code}: джерела фінансування не вказано в таблиці; залишено порожніми", code=code))
        self.task.measures.append(
            ParsedMeasure(code, self.text(row.line, measure_text, code), executors, funding, row.line))

    def _check_numbering(self, line: int, code: str, goal: ParsedOperationalGoal) -> None:
        prefix, number = code.rsplit(".", 1)
        if prefix != goal.code:
            self.note(line, ANOMALY_NUMBERING, tr("захід {code} стоїть під оперативною ціллю {goal}",
                                                  code=code, goal=goal.code))
            return
        previous = [m.code for t in goal.tasks for m in t.measures]
        expected = int(previous[-1].rsplit(".", 1)[1]) + 1 if previous else 1
        # an empty numbered row that was skipped still used its number
        while f"{prefix}.{expected}" in self.empty_codes:
            expected += 1
        if int(number) != expected:
            self.note(line, ANOMALY_NUMBERING, tr("після заходу {previous} іде {code}",
                                                  previous=previous[-1] if previous else goal.code, code=code))

    def _executors(self, line: int, code: str, text: str) -> list[Mention]:
        mentions = self.directory.split_executors(text)
        if not mentions:
            self.note(line, ANOMALY_NO_EXECUTOR, tr("{code}: відповідальних виконавців не вказано", code=code))
        for mention in mentions:
            if mention.missing_comma_before:
                self.note(line, REPAIR_MISSING_COMMA, tr("{code}: бракує коми перед «{text}»; виконавців розділено",
                                                         code=code, text=mention.text))
            if mention.entry is None:
                self.note(line, ANOMALY_UNKNOWN_EXECUTOR,
                          tr("{code}: виконавця «{text}» немає в довіднику; додано як нового",
                             code=code, text=mention.text))
            elif _respelt(mention.text, mention.entry.name):
                self.note(line, REPAIR_EXECUTOR_SPELLING, tr("{code}: «{text}» → «{name}»",
                                                             code=code, text=mention.text, name=mention.entry.name))
        return mentions

    def _funding(self, line: int, code: str, text: str) -> list[FundingMention]:
        mentions = self.directory.split_funding(text)
        for mention in mentions:
            if mention.how != "unknown" and _respelt(mention.text, mention.name):
                self.note(line, REPAIR_FUNDING_SPELLING, tr("{code}: джерело «{text}» → «{name}»",
                                                            code=code, text=mention.text, name=mention.name))
            elif mention.how == "unknown":
                self.note(line, ANOMALY_UNKNOWN_FUNDING,
                          tr("{code}: джерела фінансування «{text}» немає в довіднику; додано як нове",
                             code=code, text=mention.text))
        return mentions


def _respelt(written: str, stored: str) -> bool:
    """Whether a name is stored spelt otherwise than written, beyond case, spacing, apostrophes and quotes.

    Directory keys also equate «проект» with «проєкт», so an exact key match can still be a rewrite.
    """
    def spelling(text: str) -> str:
        return "".join(_QUOTE_MARKS_RE.sub('"', search_key(text)).split())
    return spelling(written) != spelling(stored)


def _is_header(row: PlanRow) -> bool:
    lowered = [c.casefold() for c in row.cells]
    return any("завдання" in c for c in lowered) and any("заход" in c for c in lowered)


def _is_column_numbers(row: PlanRow) -> bool:
    """«1 | 2 | 3 | 4 | 5» under the header, as official tables often have."""
    filled = [clean(c) for c in row.cells if clean(c)]
    return len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]


def parse_plan(rows: list[PlanRow], directory: Directory, name: str = "") -> ParsedPlan:
    return _Parser(directory, name).parse(rows)
