"""The plan as of a quarter: the version in force then, when amendments have changed it since.

The plan tables hold the newest version. Each applied amendment (tracker.storage.models.PlanAmendment)
keeps the plan as it stood before it — ``before``, the shape below, with the database's ids — and
that version is in force from the amendment before it (or the plan's first quarter) until the
quarter the amendment takes effect. So the version in force in a quarter is the ``before`` of the
first amendment taking effect after that quarter, or, if none does, the tables themselves.

A version, as JSON::

    {"title": …, "strategic_goals": [{"id", "number", "title", "operational_goals": [{"id", "code",
     "title", "tasks": [{"id", "title", "measures": [{"id", "uid", "code", "title",
     "executors": [[id, name], …], "funding": [name, …]}]}]}]}]}
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from peewee import fn

from ..i18n import tr
from ..quarters import Quarter
from ..storage.models import Measure, PlanAmendment


def ordinal(quarter: Quarter) -> int:
    """The quarter as stored in amendments and removed measures: year * 4 + quarter - 1."""
    return quarter.index


def amendments(plan) -> list[PlanAmendment]:
    """The plan's applied amendments in the order they take effect (and were applied)."""
    return list(PlanAmendment.select().where(PlanAmendment.plan == plan)
                .order_by(PlanAmendment.effective, PlanAmendment.id))


def version_in_force(plan, quarter: Quarter, known: int | None = None) -> dict | None:
    """The version in force in ``quarter`` as JSON, or None when it is the newest (the plan tables).

    ``known``: as it was when only the first ``known`` amendments had been applied — the version a
    report or package made then was made from.
    """
    later = version_id(plan, quarter, known)
    return None if later is None else version_before(later)


def version_before(amendment_id: int) -> dict:
    """The plan as it was before this amendment, as the JSON the amendment kept."""
    return json.loads(PlanAmendment.select(PlanAmendment.before).where(PlanAmendment.id == amendment_id).scalar())


def version_id(plan, quarter: Quarter, known: int | None = None) -> int | None:
    """Which version is in force in ``quarter``: the amendment whose «before» it is, or None for the newest.
    Two quarters with the same id show the same plan (the same goals, tasks, measures, and removed ones)."""
    applied = list(PlanAmendment.select(PlanAmendment.id, PlanAmendment.effective)
                   .where(PlanAmendment.plan == plan).order_by(PlanAmendment.effective, PlanAmendment.id).tuples())
    if known is not None and known < len(applied):
        later = next((a for a in applied[:known] if a[1] > ordinal(quarter)), applied[known])
    else:
        later = next((a for a in applied if a[1] > ordinal(quarter)), None)
    return None if later is None else later[0]


@dataclass(frozen=True)
class Absence:
    """Quarters a measure was out of the plan: from ``start`` until ``end`` (quarter indexes, ``end`` not included;
    None: out still), by the amendment that removed it."""
    start: int
    end: int | None
    decision: str

    def covers(self, index: int) -> bool:
        return self.start <= index and (self.end is None or index < self.end)


_absences: dict[tuple, dict[int, list[Absence]]] = {}


def absences(plan) -> dict[int, list[Absence]]:  # a Plan or its id
    """Each measure ever out of the plan (measure id → its absences, in order) — a measure removed and brought back
    too, whose ``removed_in`` the return cleared: read from the versions, not from the measure's row. Kept per chain of
    amendments (a version, once written, never changes)."""
    rows = list(PlanAmendment.select(PlanAmendment.id, PlanAmendment.uid, PlanAmendment.effective,
                                     PlanAmendment.decision).where(PlanAmendment.plan == plan)
                .order_by(PlanAmendment.effective, PlanAmendment.id).tuples())
    if not rows:
        return {}
    key = (str(Measure._meta.database.database), getattr(plan, "id", plan), tuple((r[0], r[1]) for r in rows))
    if key not in _absences:
        _absences.clear()  # one database's plan at a time: the window's
        befores = [{m["id"] for m in version_measures(version_before(r[0]))} for r in rows]
        now = {i for (i,) in Measure.select(Measure.id).where((Measure.plan == plan) & Measure.removed_in.is_null())
               .tuples()}
        found: dict[int, list[Absence]] = {}
        out: dict[int, tuple[int, str]] = {}
        for (_, _, effective, decision), before, after in zip(rows, befores, [*befores[1:], now]):
            for measure in before - after:
                out.setdefault(measure, (effective, decision))
            for measure in after & set(out):
                start, removed_by = out.pop(measure)
                if start < effective:
                    found.setdefault(measure, []).append(Absence(start, effective, removed_by))
        for measure, (start, removed_by) in out.items():
            found.setdefault(measure, []).append(Absence(start, None, removed_by))
        _absences[key] = found
    return _absences[key]


def measure_absences(measure_id: int) -> list[Absence]:
    """One measure's absences from the plan (absences)."""
    measure = Measure.get_or_none(Measure.id == measure_id)
    return [] if measure is None else absences(measure.plan_id).get(measure_id, [])


def absent_in(gaps: list[Absence], index: int) -> Absence | None:
    return next((gap for gap in gaps if gap.covers(index)), None)


def codes_in_force(plan) -> Callable[[Quarter], dict[int, str] | None]:
    """Each quarter's measure codes (id → code) in the plan then in force, each version read once however many quarters
    are asked; None: the plan as it stands (the tables' codes). ``plan``: a Plan or its id."""
    read: dict[int, dict[int, str]] = {}

    def codes(quarter: Quarter) -> dict[int, str] | None:
        later = version_id(plan, quarter)  # the amendment whose «before» is in force then
        if later is None:
            return None
        if later not in read:
            read[later] = {m["id"]: m["code"] for m in version_measures(version_before(later))}
        return read[later]
    return codes


def code_in(measure: Measure, quarter: Quarter) -> str:
    """The measure's code in the plan as in force in ``quarter`` (its row's when that version lacks it: removed)."""
    then = codes_in_force(measure.plan_id)(quarter)
    return measure.code if then is None else then.get(measure.id, measure.code)


def amendment_mark() -> int:
    """Where the amendments stand: the window reloads the plan when an operation moved it (one applied, or one that
    came in a package)."""
    return PlanAmendment.select(fn.MAX(PlanAmendment.id)).scalar() or 0


def measure_counts(plan) -> tuple[int, int]:
    """(in the newest version, removed by amendments) — for «Довідка про план»."""
    removed = Measure.select().where((Measure.plan == plan) & Measure.removed_in.is_null(False)).count()
    return Measure.select().where(Measure.plan == plan).count() - removed, removed


def count(plan) -> int:
    """How many amendments this database has applied (recorded with reports, to read them back against the
    version they were made from)."""
    return PlanAmendment.select().where(PlanAmendment.plan == plan).count()


def first_version(plan) -> dict | None:
    """The plan as first imported (laptops on the previous package format name measures by its codes);
    None when it was never amended."""
    first = (PlanAmendment.select(PlanAmendment.before).where(PlanAmendment.plan == plan)
             .order_by(PlanAmendment.id).first())
    return json.loads(first.before) if first is not None else None


def version_measures(version: dict) -> list[dict]:
    return [m for sg in version["strategic_goals"] for og in sg["operational_goals"] for t in og["tasks"]
            for m in t["measures"]]


def removed_label(decision: str) -> str:
    """«виключено рішенням міської ради від …» — how a removed measure is marked where it is still shown."""
    if decision.lower().startswith("рішення "):
        return tr("виключено {decision}", decision="рішенням " + decision[len("рішення "):])
    return tr("виключено рішенням: {decision}", decision=decision)


def snapshot(tree) -> dict:
    """A plan tree (tracker.progress.tree.PlanTree, loaded without a quarter) as a version's JSON."""
    return {"title": tree.title, "strategic_goals": [
        {"id": sg.id, "number": sg.number, "title": sg.title, "operational_goals": [
            {"id": og.id, "code": og.code, "title": og.title, "tasks": [
                {"id": t.id, "title": t.title, "measures": [
                    {"id": m.id, "uid": m.uid, "code": m.code, "title": m.title,
                     "executors": [[i, n] for i, n in zip(m.executor_ids, m.executors)], "funding": list(m.funding)}
                    for m in t.measures]}
                for t in og.tasks]}
            for og in sg.operational_goals]}
        for sg in tree.strategic_goals]}
