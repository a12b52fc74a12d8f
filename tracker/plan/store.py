"""Writing a parsed plan into the database: one transaction, idempotent, never touching progress.

A file of the plan the database already holds, with other content, is an amendment: it is shown
(tracker.plan.amendment), never written over the plan by code — that would move one measure's
progress and history onto another.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..access.rights import require
from ..errors import PlanFormatError, TrackerError
from ..files import file_label
from ..i18n import tr
from ..logs import log
from ..paths import BUNDLED_PLAN
from ..progress.tree import load_tree
from ..storage import prepared
from ..storage.backup import auto_backup
from ..storage.db import open_and_read, open_database
from ..storage.device import may_change_identity, this_device
from ..storage.locking import write_transaction
from ..storage.models import (
    Device,
    Executor,
    FundingSource,
    Measure,
    MeasureExecutor,
    MeasureFunding,
    OperationalGoal,
    Plan,
    StrategicGoal,
    Task,
    database,
)
from ..text import MAX_LABEL, MAX_TEXT, name_key
from .amendment import Amendment, MeasureEntry, bring_back, compare, entries_from_parsed, title_changes
from .directory import Directory, guess_kind
from .parser import Finding, ParsedPlan, parse_plan
from .source import read_rows

T = TypeVar("T")


@dataclass
class PlanImportResult:
    plan: Plan
    findings: list[Finding]
    changes: list[str] = field(default_factory=list)  # what was created or changed, for the summary

    @property
    def changed(self) -> bool:
        return bool(self.changes)


# «(зі змінами від 25.02.2026)», «(в редакції рішення …)»: the same plan, amended
_AMENDMENT_NOTE = re.compile(r"\([^()]*(?:змін|редакц)[^()]*\)", re.IGNORECASE)


def plan_uid(title: str, first_year: int, last_year: int) -> str:
    """The plan's identity across databases: its title and years, spelling-insensitively; a note of
    amendments in the title is no part of it."""
    key = name_key(_AMENDMENT_NOTE.sub(" ", title))
    return hashlib.sha256(f"{key}|{first_year}|{last_year}".encode()).hexdigest()[:20]


class PlanAmendmentFound(TrackerError):
    """The file amends the plan in the database; nothing was written (the amendment is attached)."""

    def __init__(self, message: str, plan: Plan, parsed: ParsedPlan, amendment: Amendment):
        super().__init__(message)
        self.plan, self.parsed, self.amendment = plan, parsed, amendment


class AnotherPlanError(TrackerError):
    """The file holds another plan (another strategy or period) than the database; nothing was written."""


def plan_entries(tree) -> list[MeasureEntry]:
    """The plan's measures as the database holds them (its tree, tracker.progress.tree), for comparing with a file."""
    return [MeasureEntry(m.code, m.title, og.code, task.title, tuple(m.executors), tuple(m.funding), m.uid)
            for sg in tree.strategic_goals for og in sg.operational_goals for task in og.tasks for m in task.measures]


def removed_entries(plan: Plan) -> list[MeasureEntry]:
    """The measures amendments have removed from the plan, each as it stood last (its code, text and place), in the
    order they were removed; no executors or funding (they are compared by text only: tracker.plan.amendment)."""
    rows = (Measure.select(Measure.code, Measure.title, Measure.uid, OperationalGoal.code, Task.title)
            .join(Task).join(OperationalGoal).switch(Measure)
            .where((Measure.plan == plan) & Measure.removed_in.is_null(False))
            .order_by(Measure.removed_in, Measure.position).tuples())
    return [MeasureEntry(code, title, goal, task, (), (), uid) for code, title, uid, goal, task in rows]


def amendment_of(plan: Plan, parsed: ParsedPlan, *, matches: dict[str, str] | None = None,
                 new_codes: set[str] | None = None) -> Amendment:
    """What ``parsed`` changes in ``plan``: measures paired by content (see tracker.plan.amendment)."""
    tree = load_tree(plan)  # read once: the measures and the titles
    amendment = compare(plan_entries(tree), entries_from_parsed(parsed), matches=matches, new_codes=new_codes)
    bring_back(amendment, removed_entries(plan), new_codes)
    amendment.titles = title_changes(tree, parsed, amendment.pairs)
    return amendment


def measure_uid(plan_uid_: str, code: str) -> str:
    """A measure's identity, from its plan's and the code it first had (the same on every device)."""
    return hashlib.sha256(f"{plan_uid_}|{code}".encode()).hexdigest()[:32]


def read_plan(path: str | Path, directory: Directory | None = None) -> ParsedPlan:
    path = Path(path)
    parsed = parse_plan(read_rows(path), directory or Directory.load(), path.name)
    _refuse_overlong(parsed, path.name)
    return parsed


def _refuse_overlong(parsed: ParsedPlan, name: str) -> None:
    """A text longer than a spreadsheet cell holds (MAX_TEXT; an executor's or funding source's name, MAX_LABEL): such a
    plan went in, and every package the office sent after it was refused as damaged — the exchange stopped for good."""
    texts = [(0, parsed.title, MAX_TEXT)]
    for sg in parsed.strategic_goals:
        texts.append((sg.line, sg.title, MAX_TEXT))
        for og in sg.operational_goals:
            texts.append((og.line, og.title, MAX_TEXT))
            for task in og.tasks:
                texts.append((task.line, task.title, MAX_TEXT))
                for m in task.measures:
                    texts.append((m.line, m.title, MAX_TEXT))
                    texts += [(m.line, mention.text, MAX_LABEL) for mention in m.executors]
                    texts += [(m.line, mention.name, MAX_LABEL) for mention in m.funding]
    for line, text, limit in texts:
        if len(text) > limit:
            raise PlanFormatError(tr(
                "Файл «{name}», рядок {line}: текст «{start}…» має {length} знаків, а план вміщує не більше {limit} "
                "(стільки тримає клітинка Excel, і довшого не передати в пакеті змін). Скоротіть його; нічого не "
                "записано.", name=name, line=line, start=text[:60], length=len(text), limit=limit))


def import_plan(path: str | Path, directory: Directory | None = None, *, new_plan: bool = False,
                matches: dict[str, str] | None = None, new_codes: set[str] | None = None) -> PlanImportResult:
    """Parse ``path`` and store it; a file that is not a plan raises before anything is written.

    The plan the database holds, again: nothing changes (the directory of executors is brought up to
    date). Amended: PlanAmendmentFound, with what the file changes, and nothing written. Another plan
    while the database holds one: AnotherPlanError, unless ``new_plan`` (the next plan is adopted).
    """
    require("plan")
    directory = directory or Directory.load()
    parsed = read_plan(path, directory)
    name = file_label(path)
    existing = Plan.get_or_none(Plan.uid == plan_uid(parsed.title, parsed.first_year, parsed.last_year))
    held = current_plan()
    if existing is None and held is not None and not new_plan:
        raise AnotherPlanError(tr(
            "Файл «{name}» містить інший план — «{title}» ({first}–{last}), а в базі — «{held}». Це не зміни до "
            "плану в базі; нічого не записано.", name=name, title=parsed.title, first=parsed.first_year,
            last=parsed.last_year, held=held.title), hint="new_plan")
    if existing is not None:
        amendment = amendment_of(existing, parsed, matches=matches, new_codes=new_codes)
        if not amendment.empty:
            raise PlanAmendmentFound(tr(
                "Файл «{name}» змінює план «{title}»: змінено заходів — {changed}, додано — {added}, повернуто — "
                "{back}, вилучено — {removed}, сумнівних пар — {questions}, змінено назв — {titles}. Нічого не "
                "записано.",
                name=name, title=existing.title, changed=len(amendment.changed), added=len(amendment.added),
                back=len(amendment.reinstated),
                removed=len(amendment.removed), questions=len(amendment.questions), titles=len(amendment.titles)),
                existing, parsed, amendment)
    log.info("plan imported from %s", name)
    if Plan.select().exists():  # the directory may change: keep a copy of what was there
        auto_backup("import")
    with write_transaction(database):
        result = _Writer(directory).write(parsed, Path(path).name)
        if may_change_identity(database.obj) and not Device.select().exists():
            # the database's identity and key, made with its first plan: a laptop set up from a copy of the file
            # taken before any save (tracker init, then copied) trusts this database from the start, as the README
            # says — the identity was made at the first save, and such a copy knew no office to trust
            this_device()
        return result


def current_plan() -> Plan | None:
    """The plan the program works with: the most recently imported one."""
    return Plan.select().order_by(Plan.id.desc()).first()


def open_plan(target: str | Path) -> Plan:
    """Open the database at ``target`` (bringing its schema up to date) and, on first start, import the
    bundled plan into it; the window and the command line start this way."""
    open_database(target)
    ensure_bundled_plan()
    return current_plan()


def open_plan_and_read(target: str | Path, read: Callable[[Plan], T], *, new: bool = True) -> tuple[Plan, T]:
    """open_plan, and ``read(plan)`` (the window's first tree) done while SQLite's quick check of the file runs beside
    it (tracker.storage.db.open_and_read): read only, and returned only once the file is found whole. A database
    with no plan yet gets the bundled one after the check (that writes), then is read. ``new``: an empty server
    database may be made the tracker's."""
    def first():
        plan = current_plan()
        return plan, (read(plan) if plan is not None else None)
    plan, result = open_and_read(target, first, new=new)
    if plan is None:
        ensure_bundled_plan()
        plan = current_plan()
        result = read(plan)
    return plan, result


def ensure_bundled_plan() -> PlanImportResult | None:
    """Import the plan shipped with the program if the database has no plan yet."""
    if Plan.select().exists():
        return None
    if not BUNDLED_PLAN.is_file():  # «Перевірте шлях до файла плану» asked for a path the person never gave
        raise TrackerError(tr(
            "У теці програми немає вбудованого плану «{name}»: програму встановлено не повністю або файл видалено. "
            "Перевстановіть програму. Базу не змінено.", name=BUNDLED_PLAN.name))
    return import_plan(BUNDLED_PLAN)


_UNREAD = object()


def upsert_row(model, keys: dict, values: dict, new_only: dict | None = None, *,
               found=_UNREAD) -> tuple[object, bool, dict]:
    """The row ``keys`` name, made (with ``new_only`` too) or brought to ``values``: (row, made, fields changed).

    ``found``: the row (or None) as the caller has already read it with the others of its table."""
    row = model.get_or_none(**keys) if found is _UNREAD else found
    if row is None:
        fields = {**keys, **values, **(new_only or {})}
        # its statement made once per table (tracker.storage.prepared): peewee composing thousands of them was half
        # of a big plan's import
        return model(id=prepared.insert_row(model, fields), **fields), True, {}
    # __data__ holds raw column values (ids for foreign keys), so ids compare with ids
    dirty = {k: v for k, v in values.items() if row.__data__.get(k) != v}
    if dirty:
        for k, v in dirty.items():
            setattr(row, k, v)
        row.save(only=[getattr(model, k) for k in dirty])
    return row, False, dirty


def replace_links(model, target: str, measure_id: int, ids: list[int], *, current: list[int] | None = None,
                  pending: list | None = None) -> bool:
    """A measure's executor or funding links, in order, made ``ids``; False when they already were.

    ``current``: the links as the caller has read them already; ``pending``: new rows are added to it, for
    the caller to insert together with the other measures' (insert_pending), instead of now."""
    if current is None:
        current = [getattr(link, f"{target}_id") for link in
                   model.select().where(model.measure == measure_id).order_by(model.position)]
    if current == ids:
        return False
    if current:
        model.delete().where(model.measure == measure_id).execute()
    rows = [{"measure": measure_id, target: value, "position": pos} for pos, value in enumerate(ids, start=1)]
    if pending is not None:
        pending.extend((model, row) for row in rows)
    elif rows:
        model.insert_many(rows).execute()
    return True


def insert_pending(pending: list, batch: int = 300) -> None:
    """Insert the rows replace_links left pending, a few hundred to a statement, table by table in order."""
    by_model: dict = {}
    for model, row in pending:
        by_model.setdefault(model, []).append(row)
    for model, rows in by_model.items():
        prepared.insert_all(model, rows, batch)


class _Known:
    """A plan's goals, tasks, measures in force and their links as stored, each table in one read."""

    def __init__(self, plan: Plan):
        self.goals = {r.number: r for r in StrategicGoal.select().where(StrategicGoal.plan == plan)}
        self.operational = {(r.strategic_goal_id, r.code): r for r in
                            OperationalGoal.select().join(StrategicGoal).where(StrategicGoal.plan == plan)}
        self.tasks = {(r.operational_goal_id, r.position): r for r in
                      Task.select().join(OperationalGoal).join(StrategicGoal).where(StrategicGoal.plan == plan)}
        self.measures = {r.code: r for r in
                         Measure.select().where((Measure.plan == plan) & Measure.removed_in.is_null())}
        self.links: dict = {}
        for model, target in ((MeasureExecutor, "executor_id"), (MeasureFunding, "source_id")):
            found: dict[int, list[int]] = {}
            for link in (model.select().join(Measure).where(Measure.plan == plan)
                         .order_by(model.measure, model.position)):
                found.setdefault(link.measure_id, []).append(getattr(link, target))
            self.links[model] = found


class _Writer:
    def __init__(self, directory: Directory):
        self.directory = directory
        self.changes: list[str] = []
        self.pending: list = []  # link rows to insert at the end, together

    def _upsert(self, model, keys: dict, values: dict, what: str, new_only: dict | None = None, found=_UNREAD):
        """The row ``keys`` name, made (with ``new_only`` too) or brought to ``values``; the change is noted."""
        row, made, dirty = upsert_row(model, keys, values, new_only, found=found)
        if made:
            self.changes.append(f"створено: {what}")
        elif dirty:
            self.changes.append(f"змінено: {what} ({', '.join(dirty)})")
        return row

    def write(self, parsed: ParsedPlan, source_name: str) -> PlanImportResult:
        findings = list(parsed.findings)
        uid = plan_uid(parsed.title, parsed.first_year, parsed.last_year)
        plan = Plan.get_or_none(Plan.uid == uid)
        if plan is None:
            plan = Plan.create(uid=uid, title=parsed.title, first_year=parsed.first_year,
                               last_year=parsed.last_year, source_name=source_name)
            self.changes.append(f"створено план «{parsed.title}»")
        executors = self._sync_directory()
        funding_sources = {f.name: f for f in FundingSource.select()}
        known = _Known(plan)  # the plan's rows as they are, read table by table, not row by row
        position = 0
        task_counts: dict[int, tuple[OperationalGoal, int]] = {}  # operational goal id → (its row, its tasks now)
        for sg in parsed.strategic_goals:
            sg_row = self._upsert(StrategicGoal, {"plan": plan, "number": sg.number}, {"title": sg.title},
                                  f"стратегічна ціль №{sg.number}", found=known.goals.get(sg.number))
            for og_pos, og in enumerate(sg.operational_goals, start=1):
                og_row = self._upsert(OperationalGoal, {"strategic_goal": sg_row, "code": og.code},
                                      {"title": og.title, "position": og_pos}, f"оперативна ціль {og.code}",
                                      found=known.operational.get((sg_row.id, og.code)))
                for task_pos, task in enumerate(og.tasks, start=1):
                    task_row = self._upsert(Task, {"operational_goal": og_row, "position": task_pos},
                                            {"title": task.title}, f"завдання {og.code}/{task_pos}",
                                            found=known.tasks.get((og_row.id, task_pos)))
                    for measure in task.measures:
                        position += 1
                        # by code among the measures in force (a removed one may keep the code); the uid
                        # is the measure's for good: given once, never rewritten
                        row = self._upsert(
                            Measure, {"plan": plan, "code": measure.code, "removed_in": None},
                            {"task": task_row.id, "title": measure.title, "position": position,
                             "source_line": measure.line}, f"захід {measure.code}",
                            new_only={"uid": measure_uid(plan.uid, measure.code)},
                            found=known.measures.get(measure.code))
                        executor_ids = []
                        for mention in measure.executors:
                            name = mention.entry.name if mention.entry else _capitalize(mention.text)
                            if name not in executors:
                                executors[name] = Executor.create(name=name, short_name="", kind=guess_kind(name))
                                self.changes.append(f"додано виконавця «{name}»")
                            if executors[name].id not in executor_ids:
                                executor_ids.append(executors[name].id)
                        self._links(MeasureExecutor, "executor", row, executor_ids, f"виконавці {measure.code}",
                                    known.links[MeasureExecutor].get(row.id, []))
                        source_ids = []
                        for mention in measure.funding:
                            if mention.name not in funding_sources:
                                funding_sources[mention.name] = FundingSource.create(name=mention.name)
                                self.changes.append(f"додано джерело фінансування «{mention.name}»")
                            if funding_sources[mention.name].id not in source_ids:
                                source_ids.append(funding_sources[mention.name].id)
                        self._links(MeasureFunding, "source", row, source_ids, f"джерела {measure.code}",
                                    known.links[MeasureFunding].get(row.id, []))
                task_counts[og_row.id] = (og_row, len(og.tasks))
        self._drop_empty_tasks(task_counts)
        insert_pending(self.pending)
        return PlanImportResult(plan, findings, self.changes)

    def _sync_directory(self) -> dict[str, Executor]:
        existing = {d.name: d for d in Executor.select()}
        for entry in self.directory.executors:
            values = {"short_name": entry.short, "kind": entry.kind,
                      "aliases": json.dumps(entry.aliases, ensure_ascii=False)}
            existing[entry.name] = self._upsert(Executor, {"name": entry.name}, values, f"виконавець «{entry.name}»")
        for name in self.directory.funding_names:
            self._upsert(FundingSource, {"name": name}, {}, f"джерело «{name}»")
        return existing

    def _links(self, model, target: str, measure: Measure, ids: list[int], what: str, current: list[int]) -> None:
        if replace_links(model, target, measure.id, ids, current=current, pending=self.pending):
            self.changes.append(f"змінено: {what}")

    def _drop_empty_tasks(self, task_counts: dict[int, tuple[OperationalGoal, int]]) -> None:
        """Tasks past the last one their operational goal has now, left without measures, removed: once all the
        measures are in their places, in two reads for the whole plan (not two per operational goal)."""
        ids = list(task_counts)
        beyond = [task for start in range(0, len(ids), 500)
                  for task in Task.select().where(Task.operational_goal.in_(ids[start:start + 500])).order_by(Task.id)
                  if task.position > task_counts[task.operational_goal_id][1]]
        used = {task_id for (task_id,) in Measure.select(Measure.task).where(
            Measure.task.in_([task.id for task in beyond])).distinct().tuples()} if beyond else set()
        for task in beyond:
            if task.id not in used:
                task.delete_instance()
                self.changes.append(f"вилучено порожнє завдання {task_counts[task.operational_goal_id][0].code}/"
                                    f"{task.position}")


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]
