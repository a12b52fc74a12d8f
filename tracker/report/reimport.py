"""Re-import of a filled-in quarterly report: a preview of every change and problem, then one transaction.

read_report() never writes; apply_preview() writes the valid rows through save_progress, the one
write path, with the file's name as the origin of every history row.
"""

from __future__ import annotations

import datetime as _dt
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

from ..errors import TrackerError, ValidationError
from ..i18n import quarter_label, tr
from ..logs import log
from ..plan import versions
from ..progress import fields
from ..progress.fields import FIELDS, Kind
from ..progress.records import ProgressState, draft_values, save_progress, states_as_of
from ..progress.rules import check_rules, parse_percent, with_implied_percent
from ..progress.status import Status
from ..progress.tree import MeasureNode, load_tree
from ..quarters import Quarter
from ..storage.backup import copied_meanwhile
from ..storage.locking import write_transaction
from ..storage.models import Executor, History, Measure, Plan, database
from ..text import MAX_TEXT, is_whole_number
from . import layout as L
from .preview import FieldChange, ImportPreview, Problem
from .identity import check_meta, check_title, export_time, made_from
from .moved import moved_rows
from .sizing import longer_than_a_part
from .reader import MAX_ROWS, ReportRow, read_workbook
from .reader import cell_text as _text
from .reader import squeezed as _squeeze

_EXPORT_PREFIX = L.NOT_SUBMITTED_PREFIX_RE
_PLAN_COLUMNS = {L.COL_TASK: "Завдання", L.COL_MEASURE: "Перелік заходів",
                 L.COL_EXECUTORS: "Відповідальні виконавці", L.COL_FUNDING: "Джерела фінансування"}
_KEEP = object()  # the cell still holds the export's «(дані за …)» text: the field keeps its value
# the report's columns for the progress fields: the council's format, so a field outside it has none
_FIELD_COLUMNS = {"status": L.COL_STATUS, "percent": L.COL_PERCENT, "note": L.COL_NOTE, "remarks": L.COL_REMARKS,
                  "planned_financing": L.COL_PLANNED, "actual_financing": L.COL_ACTUAL}


def _columns_of(*kinds: Kind) -> list[tuple[str, int]]:
    """(field name, column) of the report's fields entered in one of these ways."""
    return [(name, column) for name, column in _FIELD_COLUMNS.items() if fields.get(name).kind in kinds]


def read_report(path: str | Path, plan: Plan, expected_quarter: Quarter | None = None) -> ImportPreview:
    """Read a filled-in report and compare it with the database; nothing is written."""
    raw = read_workbook(path)
    quarter, executor = check_meta(raw.meta, raw.file_name, plan)
    check_title(raw.title, raw.file_name, quarter, executor)
    preview = ImportPreview(raw.file_name, plan, quarter, executor.name if executor else None,
                            exported_at=export_time(raw.meta))
    if expected_quarter is not None and expected_quarter != quarter:
        preview.problems.append(Problem(None, None, tr(
            "Файл «{name}» — звіт за {quarter}, а вибрано квартал {expected}. "
            "Оберіть {quarter} або візьміть звіт за потрібний квартал.",
            name=raw.file_name, quarter=quarter_label(quarter), expected=quarter_label(expected_quarter)),
            blocking=True))
    if raw.overflow:
        preview.problems.append(Problem(None, None, tr(
            "Аркуш «{sheet}» у файлі «{name}» має понад {count} рядків заходів — більше, ніж звіт трекера; рядки після "
            "{count}-го не прочитано, тож файл не імпортовано. Експортуйте звіт заново.", sheet=L.REPORT_SHEET,
            name=raw.file_name, count=f"{MAX_ROWS:,}".replace(",", " ")), blocking=True))
    nodes = made_from(plan, quarter, raw.meta, raw.uids, raw.file_name)
    in_scope = [m for m in nodes.values() if executor is None or executor.id in m.executor_ids]
    comparison = _Comparison(preview, nodes, states_as_of(plan, quarter), executor)
    comparison.in_force = {m.id: m for m in load_tree(plan, version=quarter, removed=True).measures()}
    comparison.uncomputed = raw.uncomputed
    comparison.bases = raw.bases
    comparison.strays = {code for _, code in raw.strays}
    comparison.parts = raw.parts
    if _refuse_moved(preview, comparison, raw.rows):
        return preview
    comparison.run(raw.rows)
    for number, code in raw.uncoded:
        preview.problems.append(Problem(number, None, _uncoded(number, code)))
    for number, code in raw.strays:
        preview.problems.append(Problem(number, code, tr(
            "Рядок {row} продовжує текст заходу {code}, але стоїть не на своєму місці (рядки переставлено, "
            "відсортовано чи вилучено?), тож текст заходу не прочитати цілим; захід не імпортовано. Поверніть рядки "
            "продовження під рядок заходу за їхніми номерами або експортуйте звіт заново.", row=number, code=code)))
    seen = {r.code for r in raw.rows}
    for node in in_scope:
        if node.code not in seen:
            preview.problems.append(Problem(None, node.code, tr(
                "Захід {code}: його рядка немає у файлі (вилучено чи змінено код?); захід не змінено.",
                code=node.code)))
    return preview


def _refuse_moved(preview: ImportPreview, comparison: "_Comparison", rows: list[ReportRow]) -> bool:
    """A file whose progress columns were sorted or moved apart from the codes is refused whole (tracker.report.moved):
    rows that show it, and those that cannot (a «Не подано» moved onto another), were all filled for other measures."""
    exported = {row.code: comparison.as_exported(comparison.nodes[row.code]) for row in rows
                if row.code in comparison.nodes}
    moved = moved_rows(rows, exported)
    if not moved:
        return False
    row, source = moved[0]
    where = {r.code: r.row for r in rows}
    preview.problems.append(Problem(row.row, row.code, tr(
        "У рядку {row} (захід {code}) стан, відсоток, інформація й примітки — саме ті, що експортовано для заходу {source} "
        "(рядок {source_row}), а в рядку заходу {source} уже інші; таких рядків у файлі: {count}. Схоже, стовпці "
        "виконання впорядковано (відсортовано) чи переставлено окремо від кодів заходів, тож заповнене не віднести до "
        "заходів; файл не імпортовано. Скасуйте таке впорядкування (упорядковуйте рядки цілими, разом зі стовпцем "
        "кодів) або експортуйте звіт заново.", row=row.row, code=row.code, source=source,
        source_row=where.get(source, "—"), count=len(moved)), blocking=True))
    return True


def _uncoded(number: int, code) -> str:
    """What a row with progress typed in and no measure's code is told (tracker.report.reader.RawReport.uncoded)."""
    if isinstance(code, (_dt.date, _dt.time)):  # Excel took «2.3.3» for a date when it was typed in
        return tr("Рядок {row}: код заходу в першій колонці Excel перетворив на дату ({date}), тож заповнене в "
                  "рядку не імпортовано. Впишіть код як текст (почніть з апострофа: '2.3.3) й імпортуйте ще раз.",
                  row=number,
                  date=code.strftime("%d.%m.%Y") if isinstance(code, _dt.date) else code)
    text = " ".join(str(code).split()) if code is not None else ""
    if not text:
        return tr("Рядок {row}: заповнено, але без коду заходу в першій колонці, тож рядок не імпортовано. Впишіть код "
                  "заходу, як його експортовано (рядок, доданий для нового заходу, не імпортується: заходи вносить "
                  "план).", row=number)
    return tr("Рядок {row}: у першій колонці «{code}» — не код заходу (код має вигляд 1.2.8), тож заповнене в рядку "
              "не імпортовано. Впишіть код заходу, як його експортовано, й імпортуйте ще раз.", row=number,
              code=text if len(text) <= 40 else text[:39] + "…")


def _as_a_share(value) -> str:
    """A word for a percent given as a share (0.45): Excel keeps 45 % as 0,45, and a cell not formatted as a
    percentage shows it so — said as what to type, not guessed (0,45 could as well be meant as 0,45 %)."""
    if not isinstance(value, float) or not 0 < value < 1 or round(value * 100, 6) != round(value * 100):
        return ""
    whole = round(value * 100)
    return " " + tr("Якщо мали на увазі {whole} % (Excel зберігає відсотки частками: {whole} % — це {share}), "
                    "введіть {whole}.", whole=whole, share=_shown(value))


def _shown(value) -> str:
    """A cell's value as the clerk's Excel shows it: a fraction with the decimal comma («0,45», not «0.45»)."""
    return str(value).replace(".", ",") if isinstance(value, float) else _text(value)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_UNSHOWN = object()  # a value a report's cell did not show as it was (tracker.report.reimport._Comparison.since_export)


class _Comparison:
    """Compares the rows of one file with the plan and the quarter's current values."""

    def __init__(self, preview: ImportPreview, nodes: dict[str, MeasureNode], states: dict[int, ProgressState],
                 executor: Executor | None):
        self.preview, self.nodes, self.states, self.executor = preview, nodes, states, executor
        self._earlier: dict[int, ProgressState] | None = None  # the states before the quarter, read when needed
        self._bases_read: dict[str, tuple[dict, bool] | None] = {}  # base(): each row's record, read once
        self.measures = {m.id: m for m in Measure.select().where(Measure.plan == preview.plan)}
        self.in_force: dict[int, MeasureNode] = {}  # the measures of the plan in the quarter now, removed ones marked
        self.uncomputed: dict[int, list[tuple[int, str]]] = {}  # rows' formulas with no result kept (RawReport)
        self.bases: dict[str, tuple] = {}  # rows' records as exported (RawReport)
        self.strays: set[str] = set()  # measures a row going on with their texts is away from (RawReport.strays)
        self.parts: dict[str, object] = {}  # rows going on with measures' texts, as exported (RawReport.parts)
        self._task_titles: set[str] | None = None  # task_titles(), read once

    def problem(self, row: ReportRow, message: str) -> None:
        """A row not imported, and why; the measure by the file's code, and today's when renumbering changed it — the
        advice «внесіть зміну у вікні» under the file's 1.1.4 had led to today's 1.1.4, another measure."""
        node = self.nodes.get(row.code)
        now = self.in_force.get(node.id) if node is not None else None
        if now is not None and now.code != row.code:
            text = tr("Рядок {row} (захід {code}, тепер {now}): {message}", row=row.row, code=row.code, now=now.code,
                      message=message)
        else:
            text = tr("Рядок {row} (захід {code}): {message}", row=row.row, code=row.code, message=message)
        self.preview.problems.append(Problem(row.row, row.code, text))

    def run(self, rows: list[ReportRow]) -> None:
        rows_of: dict[str, list[int]] = {}
        for row in rows:
            rows_of.setdefault(row.code, []).append(row.row)
        for row in rows:
            if len(rows_of[row.code]) > 1:
                found = rows_of[row.code]
                # a few, then how many: a code on 200,000 rows listed them all in each of its 200,000 problems (2.5 GB)
                numbers = ", ".join(map(str, found[:5])) + (tr(" … (усього {count})", count=len(found))
                                                             if len(found) > 5 else "")
                self.problem(row, tr("код трапляється в рядках {rows}; жоден із них не імпортовано. "
                                     "Залиште один рядок для заходу.", rows=numbers))
            else:
                self.compare(row)

    def compare(self, row: ReportRow) -> None:
        node = self.nodes.get(row.code)
        if node is None:
            self.problem(row, tr("заходу з таким кодом у плані немає; рядок не імпортовано. "
                                 "Перевірте код у стовпці 1."))
            return
        if self.executor is not None and self.executor.id not in node.executor_ids:
            self.problem(row, tr("захід не належить до виконавця «{executor}», для якого складено звіт; "
                                 "рядок не імпортовано.", executor=self.executor.name))
            return
        now = self.in_force.get(node.id)
        if now is None or now.removed:
            # the removal in force in the report's quarter (a measure brought back since has no «removed from» left)
            gap = versions.absent_in(versions.absences(self.preview.plan).get(node.id, []),
                                     self.preview.quarter.index)
            self.problem(row, tr("захід виключено з плану з {quarter} ({decision}); рядок не імпортовано.",
                                 quarter=Quarter.from_index(gap.start) if gap else quarter_label(self.preview.quarter),
                                 decision=gap.decision if gap else ""))
            return
        if row.code in self.strays:
            return  # said for the row away from it (read_report)
        exported = str(self.parts.get(row.code, 0)).strip()
        if not is_whole_number(exported):  # «¹⁴» passed str.isdigit and failed int(): the import stopped unsaid
            self.problem(row, tr("службові дані цього рядка на прихованому аркуші «{sheet}» змінено чи пошкоджено, "
                                 "тож не видно, що змінено у файлі, а що — в базі після експорту; рядок не "
                                 "імпортовано. Експортуйте звіт заново.", sheet=L.META_SHEET))
            return
        if row.parts != int(exported) + 1:
            self.problem(row, tr(
                "текст заходу експортовано в {exported} рядках, а у файлі їх {found}: рядок продовження вилучено чи "
                "додано, тож текст не прочитати цілим; рядок не імпортовано. Щоб скоротити текст, зітріть його в "
                "клітинках, а не рядок. Поверніть рядки або експортуйте звіт заново.",
                exported=int(exported) + 1, found=row.parts))
            return
        if row.misplaced:
            number, column = row.misplaced[0]
            self.problem(row, tr(
                "рядок {continued} лише продовжує текст заходу, а в ньому заповнено стовпець «{heading}» (чи вписано "
                "формулу); рядок не імпортовано. Впишіть це в рядок {row} — перший рядок заходу.", continued=number,
                heading=L.HEADERS[column - 1], row=row.row))
            return
        uncomputed = self.uncomputed.get(row.row)
        if uncomputed:
            column, formula = uncomputed[0]
            self.problem(row, tr(
                "у стовпці {column} формула «{formula}», а її значення у файлі не збережено (файл записано не в Excel "
                "чи LibreOffice); рядок не імпортовано. Відкрийте файл в Excel чи LibreOffice і збережіть його, щоб "
                "формули обчислилися, або впишіть у клітинку саме значення.", column=column, formula=formula))
            return
        before = len(self.preview.problems)
        self.check_plan_text(row, node)
        values = self.read_values(row, node)
        if values is None or len(self.preview.problems) > before:
            return  # a row with a problem contributes nothing
        measure = self.measures[node.id]
        draft, reported = draft_values(measure, self.preview.quarter)
        # a field the report has no column for keeps its value
        new = {f.name: values.get(f.name, _KEEP) for f in FIELDS}
        new = {name: draft[name] if value is _KEEP else value for name, value in new.items()}
        try:
            check_rules(new["status"], new["percent"])
        except ValidationError as exc:
            self.problem(row, str(exc))
            return
        code = row.code if now.code == row.code else tr("{old} (тепер {new})", old=row.code, new=now.code)
        state = self.states.get(node.id)
        carried_from = state.quarter if state is not None and not reported else None
        typed = {name: fields.get(name).before_rounding(row.cells.get(column)) for name, column in _columns_of(Kind.MONEY)}
        changes = [FieldChange(row.row, code, node.id, f.name, draft[f.name], new[f.name], new_record=not reported,
                               carried_from=carried_from, typed=typed.get(f.name))
                   for f in FIELDS if new[f.name] != draft[f.name] or (not reported and not f.is_empty(new[f.name]))]
        if changes:
            changes = self.since_export(row, node, changes, draft, reported)
        self.preview.changes.extend(changes)

    def since_export(self, row: ReportRow, node: MeasureNode, changes: list[FieldChange], draft: dict,
                     reported: bool) -> list[FieldChange]:
        """The row's changes from the record as it is, less those the file does not make: a value the file shows
        as it was exported, which the database has changed since (a laptop's package, another file), is the
        database's to keep. Where the file and the database both changed a field since, the row is a problem:
        taking the file's value would silently undo the other change — also when the database's value came from an
        earlier import of a file of this name: a department's corrected copy and a second copy of the same export
        filled by someone else cannot be told apart (guessed from the files' words, a second copy passed for the
        first and wrote over it), so the row says so. By the record as exported, which the file
        keeps, not by the time of the change: a laptop's change keeps the time it was made, before the export
        perhaps, though it arrived after it. A file exported before records were kept in it: by the times."""
        cells = self.bases.get(row.code)
        if cells is None or all(cell is None for cell in cells):
            return [] if self.newer_than_the_file(row, node) else changes
        base = self.base(row.code)
        if base is None:  # there, but not as an export writes it: the row cannot be told from what came since
            self.problem(row, tr("службові дані цього рядка на прихованому аркуші «{sheet}» змінено чи пошкоджено, "
                                 "тож не видно, що змінено у файлі, а що — в базі після експорту; рядок не "
                                 "імпортовано. Експортуйте звіт заново.", sheet=L.META_SHEET))
            return []
        exported, was_reported = base

        def shown(name: str):
            """The value the row's cell showed as exported. A row not reported then showed «Не подано» and
            «(дані за …)» cells, not the values it carried (a cell left so is the database's already: typed()):
            a status or percent typed there equal to the carried one is the file's, and was dropped — only the
            sums show as they are."""
            return exported[name] if was_reported or fields.get(name).kind is Kind.MONEY else _UNSHOWN
        if not reported:
            # the quarter has no record yet (what it carries from an earlier one stays there, whatever the file
            # says for this quarter): what the file changes is the file's; a cell it shows as exported leaves the
            # new record what the quarter carries now — a sum entered for the quarter before since the export was
            # wiped by the file's empty cell
            return [c for c in changes if c.new != shown(c.field) or draft[c.field] == shown(c.field)]
        if was_reported and exported == draft:  # the record as exported: every change is the file's
            return changes
        taken, clashing = [], []
        for change in changes:
            if change.new == shown(change.field):
                continue  # as exported: the database's value, come since, stays
            elif draft[change.field] == shown(change.field) or change.new == draft[change.field]:
                taken.append(change)  # changed in the file alone (or to the database's own value)
            else:
                clashing.append(change)
        if clashing:
            said = "; ".join(tr("{field}: у файлі {new}, у базі {now}", field=fields.label(c.field),
                                now=fields.show(c.field, c.old), new=fields.show(c.field, c.new)) for c in clashing)
            # who made the record's values of these fields, as its history says (its last changer may have changed
            # another field), and where from
            lasts = [last for c in clashing if (last := self._last_change(node, c.field, self.preview.quarter))]
            who = ", ".join(dict.fromkeys(last.changed_by for last in lasts if last.changed_by))
            message = tr(
                "захід змінено в базі після того, як цей файл експортовано ({who}), а у файлі ці поля теж змінено: "
                "{fields}. Рядок не імпортовано, щоб не затерти новіші дані. Експортуйте звіт заново або внесіть "
                "зміну у вікні.", who=who or tr("інший користувач"), fields=said)
            if any(last.origin == self.preview.file_name for last in lasts):
                message += " " + tr("Значення в базі прийшло з файла з такою самою назвою, імпортованого раніше. З "
                                    "файла не видно, чи це виправлена копія того самого файла, чи інша копія того "
                                    "самого звіту, заповнена кимось іншим; якщо це виправлення, внесіть його у вікні.")
            if taken:  # left out with the row: named, else whoever enters the clash in the window forgets them
                message += " " + tr("Інші зміни цього рядка теж не внесено: {changes}.", changes="; ".join(
                    tr("{field}: {new}", field=fields.label(c.field), new=fields.show(c.field, c.new)) for c in taken))
            self.problem(row, message)
            return []
        return taken

    def _last_change(self, node: MeasureNode, name: str, quarter: Quarter):
        return History.select(History.changed_by, History.origin, History.old_value).where(
            (History.measure == node.id) & (History.year == quarter.year) & (History.quarter == quarter.number)
            & (History.field == name) & History.applied).order_by(History.id.desc()).first()

    def corrected_copy(self, node: MeasureNode) -> bool:
        """The quarter's record was last changed by an earlier import of a file of this name: the department
        sends a corrected copy of the file it sent before."""
        last = (History.select(History.origin).where(
            (History.measure == node.id) & (History.year == self.preview.quarter.year)
            & (History.quarter == self.preview.quarter.number)).order_by(History.id.desc()).first())
        return last is not None and last.origin == self.preview.file_name

    def newer_than_the_file(self, row: ReportRow, node: MeasureNode) -> bool:
        """The quarter's record was saved after this file was exported (by someone else than an earlier import of
        this very file): taking the file's values would silently undo that save, so the row is a problem."""
        exported_at, state = self.preview.exported_at, self.states.get(node.id)
        if exported_at is None or state is None or not state.reported or state.updated_at < exported_at:
            return False
        if self.corrected_copy(node):
            return False
        # to the second when both fall in one minute, and the export's time left out when in one second too:
        # «змінено 22:27 … після того, як цей файл експортовано (22:27)» read as a contradiction
        shown = "%d.%m.%Y %H:%M:%S" if state.updated_at.replace(second=0, microsecond=0) == exported_at.replace(
            second=0, microsecond=0) else "%d.%m.%Y %H:%M"
        when, exported = state.updated_at.strftime(shown), exported_at.strftime(shown)
        self.problem(row, tr(
            "захід змінено в базі {when} ({who}) — після того, як цей файл експортовано{exported}; рядок не "
            "імпортовано, щоб не затерти новіші дані. Експортуйте звіт заново або внесіть зміну у вікні.",
            when=when, who=state.updated_by or tr("інший користувач"),
            exported="" if exported == when else f" ({exported})"))
        return True

    def check_plan_text(self, row: ReportRow, node: MeasureNode) -> None:
        expected = {L.COL_TASK: node.task_title, L.COL_MEASURE: node.title,
                    L.COL_EXECUTORS: L.executors_text(node.executors), L.COL_FUNDING: L.funding_text(node.funding)}
        for column, heading in _PLAN_COLUMNS.items():
            got = row.cells.get(column)
            if column == L.COL_TASK and _is_blank(got):
                continue  # the task is merged down over its measures: only its first row holds the text
            if column == L.COL_TASK and _squeeze(got).endswith(L.CONTINUED.strip()):
                got = _squeeze(got)[:-len(L.CONTINUED.strip())]  # repeated on a new printed page
            if column == L.COL_TASK and _squeeze(got) in self.task_titles():
                continue  # another task's merged cell, left in place by rows sorted whole: the measure's own columns say
            if _squeeze(got) != _squeeze(expected[column]):
                self.problem(row, tr("змінено текст плану в стовпці «{heading}». Текст плану зі звіту не імпортується "
                                     "(його змінюють рішенням ради), тож рядок не імпортовано; поверніть текст плану.",
                                     heading=heading))

    def task_titles(self) -> set[str]:
        """The tasks of the file's measures, as their merged cells show them. Whole rows sorted (by status, say) move
        a measure under another task's merged cell, which a sort leaves where it was: the row is still the
        measure's own — its code, text, executors and sources moved with it and are checked — and its task's cell
        is another task's title, not plan text typed over (that is refused)."""
        if self._task_titles is None:
            self._task_titles = {_squeeze(node.task_title) for node in self.nodes.values()}
        return self._task_titles

    def read_values(self, row: ReportRow, node: MeasureNode) -> dict | None:
        """The row's values by field; _KEEP where the cell still holds what the export wrote."""
        cells = row.cells
        status_text = _squeeze(cells.get(L.COL_STATUS))
        if status_text in ("", L.NOT_SUBMITTED):
            self.check_not_filled(row, node)
            return None
        exported = self.exported(node)
        values: dict = {}
        try:
            values["status"] = Status.parse(status_text)
        except ValidationError:
            labels = ", ".join(f"«{s.label}»" for s in Status)
            self.problem(row, tr("невідомий стан «{status}». Оберіть один зі списку: {labels}.",
                                 status=status_text, labels=labels))
        percent = cells.get(L.COL_PERCENT)
        if _is_blank(percent):  # «Виконано» with the percent left blank: 100 %, as the status alone says
            implied = with_implied_percent({"status": values.get("status")}).get("percent")
            if implied is None:
                self.problem(row, tr("не вказано відсоток виконання (ціле число від 0 до 100)."))
            else:
                values["percent"] = implied
        else:
            typed = self.typed(row, percent, exported.get(L.COL_PERCENT))
            if typed is _KEEP:
                values["percent"] = _KEEP
            elif typed is not None:  # None: a damaged prefix, already a problem
                try:
                    values["percent"] = parse_percent(typed)
                except ValidationError:
                    self.problem(row, tr("відсоток виконання «{percent}» має бути цілим числом від 0 до 100.",
                                         percent=_shown(percent)) + _as_a_share(percent))
        for name, column in _columns_of(Kind.TEXT):
            value = cells.get(column)
            typed = self.typed(row, value, exported.get(column), self.lead(node, column))
            values[name] = _text(value) if _is_blank(value) else typed
            if column in row.firsts and longer_than_a_part(row.firsts[column], column):
                self.problem(row, tr(
                    "у стовпці «{heading}» перший рядок заходу містить більше тексту, ніж уміщає його частина, а в "
                    "рядках продовження під ним ще є текст: схоже, туди вставлено весь новий текст, а старий лишився "
                    "нижче. Зітріть текст у рядках продовження або правте частини там, де вони є; рядок не "
                    "імпортовано.", heading=L.HEADERS[column - 1]))
            if column in row.overlong:  # joined from the rows going on with it: longer than a note may be
                self.problem(row, tr("Текст поля «{field}» задовгий: {length} символів, а вміщається {limit}. "
                                     "Скоротіть його.", field=tr(fields.get(name).label), length=row.overlong[column],
                                     limit=MAX_TEXT))
            elif isinstance(typed, str):  # joined, it may be a little longer than a note may be
                try:  # and as it will be written: the preview showed a mark turning the text round that is not
                    values[name] = fields.get(name).parse(typed)
                except ValidationError as exc:
                    self.problem(row, str(exc))
        for name, column in _columns_of(Kind.MONEY):
            try:
                values[name] = fields.get(name).parse(cells.get(column))
            except ValidationError as exc:
                self.problem(row, str(exc))
        return values

    def as_exported(self, node: MeasureNode) -> dict[int, object]:
        """Columns 6–11 of the row as the export wrote them: from the record the file keeps when the quarter was
        reported then; a «Не подано» row from the state it carried (its note is not in the file's record)."""
        base, state = self.base(node.code), self.carried(node)
        if base is not None and base[1]:
            state = ProgressState.made(node.id, self.preview.quarter, True, base[0], None, "", 0)
        return L.progress_cells(state, self.preview.quarter)

    def exported(self, node: MeasureNode) -> dict[int, str]:
        """What the export wrote in columns 9–11 of this measure's row: its carried state, if any."""
        state = self.carried(node)
        return L.carried_cells(state) if state is not None and not state.reported else {}

    def lead(self, node: MeasureNode, column: int) -> str:
        """The carried status the export writes before the note («Виконується.»): decoration, not the note."""
        state = self.carried(node)
        return f"{state.status.label}." if column == L.COL_NOTE and state is not None else ""

    def base(self, code: str) -> tuple[dict, bool] | None:
        """The row's record as the file keeps it (layout.read_base), read once per row: three rules ask for it."""
        if code not in self._bases_read:
            self._bases_read[code] = L.read_base(self.bases.get(code) or ())
        return self._bases_read[code]

    def carried(self, node: MeasureNode) -> ProgressState | None:
        """The state the export showed the row with: the quarter's own record, or the one it carried from an earlier
        quarter — that one still when the quarter was reported only after the export (the file's record says so):
        the row left as exported was read against the new record, «filled in with no status», a false problem."""
        state = self.states.get(node.id)
        if state is None or not state.reported:
            return state
        base = self.base(node.code)
        if base is None or base[1]:
            return state
        if self._earlier is None:
            first = Quarter(self.preview.plan.first_year, 1)
            quarter = self.preview.quarter
            self._earlier = states_as_of(self.preview.plan, quarter.previous()) if quarter != first else {}
        earlier = self._earlier.get(node.id)
        return replace(earlier, reported=False) if earlier is not None else None  # carried into the file's quarter

    def typed(self, row: ReportRow, value, exported: str | None, lead: str = ""):
        """A cell of columns 9–11 as the person left it: _KEEP when it is what the export wrote; the text
        after an intact «(дані за …)» prefix when they edited inside or after it («(дані за I кв. 2025) 65 %»);
        None, with a problem for the row, when the prefix itself was damaged; otherwise the cell's text."""
        text = _text(value)
        if exported is None:  # the export wrote the record's own value here, no «(дані за …)»: a note that begins
            return text       # with those words is the person's (re-imported untouched, it lost them)
        if _squeeze(text) == _squeeze(exported):
            return _KEEP
        intact = _EXPORT_PREFIX.match(text)
        if intact:
            rest = text[intact.end():].strip()
            return rest[len(lead):].strip() if lead and rest.startswith(lead) else rest
        if L.DAMAGED_PREFIX_RE.match(text):
            self.problem(row, tr("клітинку «{text}» змінено разом із позначкою «(дані за …)», тож її не прочитати. "
                                 "Залиште позначку як є або видаліть її й впишіть значення за квартал; рядок не "
                                 "імпортовано.", text=_squeeze(text)[:80]))
            return None
        return text

    def as_exported_then(self, row: ReportRow, node: MeasureNode, state: ProgressState | None) -> bool:
        """The quarter before was reported, or changed, only after the export: a row left as exported differs from
        what the export would write now («заповнено виконання, але стан — «Не подано»» on every re-import). Read
        against the record the file keeps, then (_as_exported_then)."""
        exported_at = self.preview.exported_at
        if state is None or exported_at is None or state.updated_at is None or state.updated_at <= exported_at:
            return False
        base = self.base(node.code)
        return base is not None and not base[1] and _as_exported_then(row.cells, base[0])

    def check_not_filled(self, row: ReportRow, node: MeasureNode) -> None:
        """A «Не подано» row is fine as exported, or emptied (the last known state cleared away: nothing is reported,
        as in a row never reported); a cell changed in it without a status is a problem."""
        cells = row.cells
        if all(_is_blank(cells.get(c)) for _, c in _columns_of(Kind.PERCENT, Kind.TEXT, Kind.MONEY)):
            return
        exported = self.exported(node)
        edited = any(_squeeze(cells.get(c)) != _squeeze(exported.get(c, "")) for _, c in
                     _columns_of(Kind.PERCENT, Kind.TEXT))
        state = self.carried(node)
        shown = L.financing_shown(state, self.preview.quarter)
        for name, column in _columns_of(Kind.MONEY):
            exported_money = getattr(state, name) if shown else None
            try:
                edited = edited or fields.get(name).parse(cells.get(column)) != exported_money
            except ValidationError:
                edited = True
        if edited and self.as_exported_then(row, node, state):
            return
        if edited:
            labels = ", ".join(f"«{s.label}»" for s in Status)
            self.problem(row, tr("заповнено виконання, але стан — «{not_submitted}». Оберіть стан зі списку "
                                 "({labels}), інакше рядок не імпортується.",
                                 not_submitted=L.NOT_SUBMITTED, labels=labels))


def _as_exported_then(cells: dict, exported: dict) -> bool:
    """A «Не подано» row's cells as the export wrote them from the record it kept (``exported``, the hidden sheet's):
    columns 9–11 blank or after an intact «(дані за …)» mark with the percent it kept, the sums as it kept them."""
    for _, column in _columns_of(Kind.PERCENT, Kind.TEXT):
        text = _text(cells.get(column))
        if text and not _EXPORT_PREFIX.match(text):
            return False
    percent = _text(cells.get(L.COL_PERCENT))
    if percent:
        try:
            if parse_percent(percent[_EXPORT_PREFIX.match(percent).end():].strip()) != exported["percent"]:
                return False
        except ValidationError:
            return False
    for name, column in _columns_of(Kind.MONEY):
        try:
            if fields.get(name).parse(cells.get(column)) != exported[name]:
                return False
        except ValidationError:
            return False
    return True


def apply_preview(preview: ImportPreview, author: str) -> int:
    """Write the preview's changes in one transaction; returns the number of measures changed."""
    if preview.blocked:
        reasons = " ".join(p.message for p in preview.problems if p.blocking)
        raise ValidationError(tr("Звіт не імпортовано: {reasons}", reasons=reasons))
    by_measure: dict[int, list[FieldChange]] = {}
    for change in preview.changes:
        by_measure.setdefault(change.measure_id, []).append(change)
    changed = 0
    # waits for another writer instead of failing as locked; a copy of what was there made while the changes are written
    with write_transaction(database.obj), (copied_meanwhile("import") if by_measure else nullcontext()):
        for measure_id, changes in by_measure.items():
            changed += write_changes(measure_id, preview.quarter, changes, author, preview.file_name)
    log.info("report imported: %s, %d measures changed", preview.file_name, changed)
    return changed


def write_changes(measure_id: int, quarter: Quarter, changes: list[FieldChange], author: str, origin: str) -> bool:
    """One measure's previewed changes through the one write path, inside the caller's transaction; refused
    (raising, so the caller's transaction rolls back) when the measure changed after the preview."""
    measure = Measure.get_or_none(Measure.id == measure_id)
    if measure is None:
        raise TrackerError(tr("Заходу {code} вже немає в базі. Перегляньте звіт ще раз.", code=changes[0].code))
    current, reported = draft_values(measure, quarter)
    if any(reported == c.new_record or current[c.field] != c.old for c in changes):
        raise ValidationError(tr(
            "Захід {code} за {quarter} змінено після перегляду звіту. "
            "Відкрийте звіт ще раз, щоб побачити актуальні зміни; нічого не записано.",
            code=measure.code, quarter=quarter_label(quarter)))
    result = save_progress(measure, quarter, {c.field: c.new for c in changes}, author=author, origin=origin)
    return result.change_set is not None
