"""Applying an amendment of the plan: one transaction that records it and brings the plan tables to the new version.

The same path applies an amendment read from the council's file (measures paired by content,
tracker.plan.amendment; a person settles every uncertain pairing first) and one that came from the
office in an exchange package (measures named by uid). Either way the target is a *version*: the plan
as it stands after the amendment, each measure with its uid — kept measures keep theirs, so their
records and history follow them whatever their new code; new measures get new ones.

What it writes: the plan as it stood before (in force until the effective quarter), the decision and
the changes (tracker.storage.models.PlanAmendment); goal and task titles; each measure's code, text,
task, place, executors and funding; measures left out get ``removed_in`` = the effective quarter
(their records and history stay). Progress is never touched.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import uuid
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from peewee import fn

from ..access.rights import require
from ..errors import ValidationError
from ..files import file_label
from ..i18n import quarter_label, tr
from ..logs import log
from ..progress.tree import load_tree
from ..quarters import Quarter, check_in_plan
from ..storage.backup import copied_meanwhile
from ..storage.device import this_device
from ..storage.locking import lock_row, write_transaction
from ..storage.models import (
    Executor,
    FundingSource,
    Measure,
    MeasureExecutor,
    MeasureFunding,
    OperationalGoal,
    Plan,
    PlanAmendment,
    Progress,
    StrategicGoal,
    Task,
    database,
)
from ..text import MAX_TEXT, clean_name, has_control, name_key, shortened
from . import versions
from .amendment import Amendment, MeasureEntry, Pairing, compare, describe, entries_from_parsed, title_changes
from .directory import guess_kind
from .parser import ParsedPlan
from .store import (
    AnotherPlanError,
    amendment_of,
    current_plan,
    plan_entries,
    plan_uid,
    read_plan,
    removed_entries,
    replace_links,
    upsert_row,
)

MAX_DECISION = 300
FILE, PACKAGE = "file", "package"  # how an amendment came: applied from the council's file, or received


@dataclass
class AmendmentResult:
    plan: Plan
    amendment: PlanAmendment | None  # None: the file changed nothing
    changes: list[str] = field(default_factory=list)
    records_left_out: dict[str, int] = field(default_factory=dict)  # removed measure's code → its records from then on
    backup: Path | None = None  # the copy of the database made just before (SQLite): the way back


def left_out_text(code: str, effective: Quarter, count: int) -> str:
    """A removed measure's records in the quarters it is out: kept, not shown there (preview, result, package)."""
    return tr("Виключений захід {code} має записи за {quarter} і пізніше ({count}): їх збережено, але в цих кварталах "
              "вони не показуються.", code=code, quarter=quarter_label(effective), count=count)


def check_decision(decision: str) -> str:
    text = clean_name(decision) if decision else ""
    if not text:
        raise ValidationError(tr("Вкажіть рішення, яким змінено план, напр. «рішення міської ради від 25.02.2026 "
                                 "№ 71/14»."), hint="decision")
    if has_control(decision) or len(decision.strip()) > MAX_DECISION:
        raise ValidationError(tr("Опис рішення задовгий або має недруковані символи (до {limit} знаків).",
                                 limit=MAX_DECISION))
    return text


def first_open_quarter(plan: Plan) -> Quarter:
    """The earliest quarter a new amendment may take effect from: after the plan's first, not before the last one."""
    last = PlanAmendment.select(fn.MAX(PlanAmendment.effective)).where(PlanAmendment.plan == plan).scalar()
    second = Quarter(plan.first_year, 2)
    return second if last is None else max(second, Quarter.from_index(last))


def check_effective(plan: Plan, effective: Quarter) -> None:
    """In the plan's years, and not before an amendment already applied takes effect (versions follow in order)."""
    check_in_plan(effective, plan.first_year, plan.last_year)
    if effective == Quarter(plan.first_year, 1):
        raise ValidationError(tr("Зміни не можуть набрати чинності з першого кварталу плану ({quarter}): тоді це "
                                 "інший план, а не зміни до нього.", quarter=effective))
    last = (PlanAmendment.select().where(PlanAmendment.plan == plan)
            .order_by(PlanAmendment.effective.desc(), PlanAmendment.id.desc()).first())
    if last is not None and effective.index < last.effective:
        raise ValidationError(tr(
            "Зміни не можуть набрати чинності з {quarter}: попередні зміни ({decision}) чинні з {last}. Вкажіть "
            "квартал не раніший.", quarter=effective, decision=last.decision, last=Quarter.from_index(last.effective)))


def check_removals(removed: int, measures: int) -> None:
    """An amendment removing most of the plan is a file cut short, or one listing only the changed rows — not the
    plan in its new wording; the council adopting mostly other measures adopts another plan (--new-plan)."""
    if measures and removed * 2 > measures:
        raise ValidationError(tr(
            "Файл вилучає {removed} з {measures} заходів плану: схоже, це не повний текст плану в новій редакції "
            "(файл обрізано або в ньому лише змінені рядки). Візьміть повний текст плану зі змінами. Нічого не "
            "записано.", removed=removed, measures=measures))


def target_from_file(plan: Plan, parsed: ParsedPlan, amendment: Amendment, effective: Quarter) -> dict:
    """The version the file states, each measure with its uid: a paired measure keeps the old one."""
    if amendment.questions:
        raise ValidationError(tr(
            "Є сумнівні пари заходів ({count}): вирішіть кожну (той самий захід чи новий), перш ніж застосувати "
            "зміни. Нічого не записано.", count=len(amendment.questions)), hint="amendment_questions")
    kept = {p.new.code: p.old.uid for p in amendment.pairs + amendment.reinstated}  # a measure brought back too
    taken = {u for (u,) in Measure.select(Measure.uid).tuples()}
    by_code = {m.code: m for m in entries_from_parsed(parsed)}

    def uid_for(code: str) -> str:
        if code in kept:
            return kept[code]
        uid = _new_uid(plan.uid, effective, code, by_code[code].title, taken)
        taken.add(uid)
        return uid

    return {"title": parsed.title, "strategic_goals": [
        {"number": sg.number, "title": sg.title, "operational_goals": [
            {"code": og.code, "title": og.title, "tasks": [
                {"title": t.title, "measures": [
                    {"uid": uid_for(m.code), "code": m.code, "title": m.title,
                     "executors": list(by_code[m.code].executors), "funding": list(by_code[m.code].funding),
                     "line": m.line}
                    for m in t.measures]}
                for t in og.tasks]}
            for og in sg.operational_goals]}
        for sg in parsed.strategic_goals]}


def _new_uid(plan_uid: str, effective: Quarter, code: str, title: str, taken: set[str]) -> str:
    """A new measure's uid: the same in every database applying the same amendment file, never one in use."""
    for attempt in range(1000):
        uid = hashlib.sha256(f"{plan_uid}|{effective}|{code}|{name_key(title)}|{attempt}".encode()).hexdigest()[:32]
        if uid not in taken:
            return uid
    raise ValidationError(tr("Не вдалося дати новому заходу {code} ідентифікатор.", code=code))


def target_entries(target: dict) -> list[MeasureEntry]:
    return [MeasureEntry(m["code"], m["title"], og["code"], t["title"], tuple(m["executors"]), tuple(m["funding"]),
                         m["uid"])
            for sg in target["strategic_goals"] for og in sg["operational_goals"] for t in og["tasks"]
            for m in t["measures"]]


def amendment_to(plan: Plan, target: dict) -> Amendment:
    """What bringing the plan to ``target`` changes, measures paired by uid (for the record and the preview)."""
    tree = load_tree(plan)
    old = plan_entries(tree)
    new = target_entries(target)
    old_by_uid = {m.uid: m for m in old}
    removed = {m.uid: m for m in removed_entries(plan)}
    back = [m for m in new if m.uid in removed and m.uid not in old_by_uid]  # removed before, in the plan again
    new = [m for m in new if m not in back]
    matches = {old_by_uid[m.uid].code: m.code for m in new if m.uid in old_by_uid}
    new_codes = {m.code for m in new if m.uid not in old_by_uid}
    amendment = compare(old, new, matches=matches, new_codes=new_codes)
    amendment.reinstated = [Pairing(removed[m.uid], m, 1.0) for m in back]
    amendment.titles = title_changes(tree, _TitlesOf(target), amendment.pairs)
    return amendment


class _TitlesOf:
    """A target version in the shape title_changes reads (a parsed plan's)."""

    def __init__(self, target: dict):
        self.title = target["title"]
        self.strategic_goals = [_Node(number=sg["number"], title=sg["title"], operational_goals=[
            _Node(code=og["code"], title=og["title"]) for og in sg["operational_goals"]])
            for sg in target["strategic_goals"]]

    def operational_goals(self):
        return [og for sg in self.strategic_goals for og in sg.operational_goals]


class _Node:
    def __init__(self, **values):
        self.__dict__.update(values)


def records_from(plan: Plan, uids: list[str], effective: Quarter) -> dict[str, int]:
    """Code → number of records from ``effective`` on, for measures about to be removed (they stay, unseen then)."""
    if not uids:
        return {}
    rows = (Progress.select(Measure.code, Progress.id).join(Measure)
            .where((Measure.plan == plan) & Measure.uid.in_(uids)
                   & ((Progress.year * 4 + Progress.quarter - 1) >= effective.index)).tuples())
    return dict(Counter(code for code, _ in rows))


def apply_version(plan: Plan, target: dict, *, decision: str, effective: Quarter, author: str,
                  source_name: str = "", came_in: str = FILE, uid: str | None = None,
                  applied_at: _dt.datetime | None = None, backup: bool = True,
                  made_on: str | None = None, made_on_signature: str = "") -> AmendmentResult:
    """Record the amendment and bring the plan tables to ``target``, in one transaction (inside the caller's, if
    one is open: an exchange import); a refusal writes nothing. ``backup``: copy the database first. ``made_on``:
    the device uid of the database that took it on its own authority (by default this one: it does), with its
    signature of it as received (tracker.exchange.package.PlanChange)."""
    require("plan")
    decision = check_decision(decision)
    check_effective(plan, effective)
    amendment = amendment_to(plan, target)
    # each line as a package carries it (MAX_TEXT): a measure's text changed whole, old and new quoted, is longer
    lines = [shortened(line, MAX_TEXT) for line in describe(amendment)]
    if not lines:
        return AmendmentResult(plan, None)
    removed = [m.uid for m in amendment.removed]
    check_removals(len(removed), len(amendment.pairs) + len(amendment.removed))
    # what the amendment leaves out, and the copy of the database before it, under the write lock: a save that got
    # the lock first (`tracker set 1.1.3` waiting beside `import-plan --apply`) was in neither, its record left in a
    # quarter the measure was then taken out of without a word, and lost to a restore of the copy
    with write_transaction(database), (copied_meanwhile("amendment") if backup else nullcontext()) as copy:
        # on the server the measures' own locks too, which a save holds to its commit (tracker.progress.records):
        # one under way is committed before the records are counted, one after it finds the measure removed
        for measure_id in Measure.select(Measure.id).where((Measure.plan == plan) & Measure.uid.in_(removed)) \
                .order_by(Measure.id).tuples():
            lock_row(Measure, measure_id[0])
        left_out = records_from(plan, removed, effective)
        before = versions.snapshot(load_tree(plan))
        row = PlanAmendment.create(
            uid=uid or uuid.uuid4().hex, plan=plan, decision=decision, effective=effective.index,
            applied_at=applied_at or _dt.datetime.now().replace(microsecond=0), applied_by=clean_name(author),
            source_name=clean_name(source_name), came_in=came_in, changes=json.dumps(lines, ensure_ascii=False),
            made_on=this_device().uid if made_on is None else made_on, made_on_signature=made_on_signature,
            before=json.dumps(before, ensure_ascii=False))
        _VersionWriter(plan).write(target, row, effective)
    log.info("plan amended: %s, effective %s, %d changes", decision, effective, len(lines))
    return AmendmentResult(plan, row, lines, left_out, copy.path if copy is not None else None)


class _VersionWriter:
    """Brings the plan tables to a version (see apply_version)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.executors = {e.name: e.id for e in Executor.select(Executor.id, Executor.name)}
        self.funding = {f.name: f.id for f in FundingSource.select(FundingSource.id, FundingSource.name)}
        self.measures = {m.uid: m for m in Measure.select().where(Measure.plan == plan)}

    def write(self, target: dict, amendment: PlanAmendment, effective: Quarter) -> None:
        plan = self.plan
        if plan.title != target["title"]:
            plan.title = target["title"]
            plan.save(only=[Plan.title])
        # tasks are placed anew: move every one out of the way of the unique (goal, position) first
        Task.update(position=0 - Task.id).where(Task.operational_goal.in_(
            OperationalGoal.select(OperationalGoal.id).join(StrategicGoal).where(StrategicGoal.plan == plan))).execute()
        position = 0
        kept = set()
        for sg in target["strategic_goals"]:
            sg_row, _, _ = upsert_row(StrategicGoal, {"plan": plan, "number": sg["number"]}, {"title": sg["title"]})
            for og_position, og in enumerate(sg["operational_goals"], start=1):
                og_row, _, _ = upsert_row(OperationalGoal, {"strategic_goal": sg_row, "code": og["code"]},
                                          {"title": og["title"], "position": og_position})
                claimed: set[int] = set()
                for task_position, task in enumerate(og["tasks"], start=1):
                    task_id = self._task(og_row, task, claimed)
                    Task.update(title=task["title"], position=task_position).where(Task.id == task_id).execute()
                    for m in task["measures"]:
                        position += 1
                        kept.add(m["uid"])
                        self._measure(m, task_id, position)
        gone = [uid for uid, row in self.measures.items() if uid not in kept and row.removed_in is None]
        if gone:
            Measure.update(removed_in=effective.index, removed_by=amendment).where(
                (Measure.plan == plan) & Measure.uid.in_(gone)).execute()

    def _task(self, og_row: OperationalGoal, task: dict, claimed: set[int]) -> int:
        """The task row this task continues: the one most of its measures are in now, else one of the same title."""
        votes = Counter(self.measures[m["uid"]].task_id for m in task["measures"] if m["uid"] in self.measures)
        rows = {t.id: t for t in Task.select().where(Task.operational_goal == og_row)}
        for task_id, _ in votes.most_common():
            if task_id in rows and task_id not in claimed:
                claimed.add(task_id)
                return task_id
        for row in rows.values():
            if row.id not in claimed and name_key(row.title) == name_key(task["title"]) and row.position < 0:
                claimed.add(row.id)
                return row.id
        row = Task.create(operational_goal=og_row, position=-(10 ** 9) + len(claimed), title=task["title"])
        claimed.add(row.id)
        return row.id

    def _measure(self, m: dict, task_id: int, position: int) -> None:
        row = self.measures.get(m["uid"])
        values = {"code": m["code"], "title": m["title"], "task": task_id, "position": position,
                  "removed_in": None, "removed_by": None}
        if "line" in m:  # read from a file (one from a package names no lines: each keeps its own)
            values["source_line"] = m["line"]
        if row is None:
            row = Measure.create(plan=self.plan, uid=m["uid"], **{"source_line": 0, **values})
            self.measures[row.uid] = row
        else:
            Measure.update(**values).where(Measure.id == row.id).execute()
        executors = list(dict.fromkeys(self._executor(name) for name in m["executors"]))
        replace_links(MeasureExecutor, "executor", row.id, executors)
        funding = list(dict.fromkeys(self._source(name) for name in m["funding"]))
        replace_links(MeasureFunding, "source", row.id, funding)

    def _executor(self, name: str) -> int:
        if name not in self.executors:
            self.executors[name] = Executor.create(name=name, short_name="", kind=guess_kind(name)).id
        return self.executors[name]

    def _source(self, name: str) -> int:
        if name not in self.funding:
            self.funding[name] = FundingSource.create(name=name).id
        return self.funding[name]


def read_amendment(path: str | Path) -> tuple[Plan, ParsedPlan]:
    """The file and the plan in the database it amends; another plan (another strategy or period) is refused."""
    parsed = read_plan(path)
    plan = Plan.get_or_none(Plan.uid == plan_uid(parsed.title, parsed.first_year, parsed.last_year))
    if plan is None:
        held = current_plan()
        raise AnotherPlanError(tr(
            "Файл «{name}» містить інший план — «{title}» ({first}–{last}), а не зміни до плану в базі{held}. "
            "Нічого не записано.", name=Path(path).name, title=parsed.title, first=parsed.first_year,
            last=parsed.last_year, held=tr(" («{title}»)", title=held.title) if held else ""), hint="new_plan")
    return plan, parsed


def apply_parsed(plan: Plan, parsed: ParsedPlan, *, decision: str, effective: Quarter, author: str,
                 source_name: str, matches: dict[str, str] | None = None,
                 new_codes: set[str] | None = None) -> AmendmentResult:
    """Apply what ``parsed`` changes in ``plan`` (the window's preview and the command line end here)."""
    decision = check_decision(decision)
    check_effective(plan, effective)
    amendment = amendment_of(plan, parsed, matches=matches, new_codes=new_codes)
    if amendment.empty:
        return AmendmentResult(plan, None)
    target = target_from_file(plan, parsed, amendment, effective)
    return apply_version(plan, target, decision=decision, effective=effective, author=author, source_name=source_name)


def apply_file(path: str | Path, *, decision: str, effective: Quarter, author: str,
               matches: dict[str, str] | None = None, new_codes: set[str] | None = None) -> AmendmentResult:
    """Apply the amended plan in ``path`` to the plan it amends (``tracker import-plan FILE --apply``)."""
    plan, parsed = read_amendment(path)
    return apply_parsed(plan, parsed, decision=decision, effective=effective, author=author,
                        source_name=file_label(path), matches=matches, new_codes=new_codes)


def target_form(version: dict) -> dict:
    """A stored version (tracker.plan.versions, with this database's ids) in the form a target is given in."""
    return {"title": version["title"], "strategic_goals": [
        {"number": sg["number"], "title": sg["title"], "operational_goals": [
            {"code": og["code"], "title": og["title"], "tasks": [
                {"title": t["title"], "measures": [
                    {"uid": m["uid"], "code": m["code"], "title": m["title"],
                     "executors": [name for _, name in m["executors"]], "funding": list(m["funding"])}
                    for m in t["measures"]]}
                for t in og["tasks"]]}
            for og in sg["operational_goals"]]}
        for sg in version["strategic_goals"]]}


def fingerprint(target: dict) -> str:
    """What a version says (uids, codes, texts, executors, funding; not source lines), as one hash: an amendment
    from a package applies only to the very version it was made on."""
    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in ("line", "id")}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    canonical = json.dumps(strip(target), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def current_fingerprint(plan: Plan) -> str:
    return fingerprint(target_form(versions.snapshot(load_tree(plan))))


def applied_with_results(plan: Plan) -> list[tuple[PlanAmendment, str, dict]]:
    """Each applied amendment with the fingerprint of the version it was applied to and the plan as it made it (the
    next one's ``before``, or the tables for the last): what travels to laptops in exchange packages."""
    rows = versions.amendments(plan)
    if not rows:
        return []
    afters = [target_form(json.loads(row.before)) for row in rows[1:]] + [target_form(versions.snapshot(
        load_tree(plan)))]
    return [(row, fingerprint(target_form(json.loads(row.before))), after) for row, after in zip(rows, afters)]
