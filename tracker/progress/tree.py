"""The plan as a tree for one quarter: goals → tasks → measures with states and rollups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from ..plan import versions
from ..quarters import Quarter
from ..storage.models import (
    Executor,
    FundingSource,
    Measure,
    MeasureExecutor,
    MeasureFunding,
    OperationalGoal,
    Plan,
    StrategicGoal,
    Task,
)
from ..text import code_order, search_key
from .records import ProgressState, states_as_of
from .rollup import Rollup, combine, rollup


@dataclass
class MeasureNode:
    id: int
    uid: str
    code: str
    title: str
    task_title: str
    executors: list[str]
    executor_ids: list[int]
    funding: list[str]
    state: ProgressState | None = None
    removed: str = ""  # out of the plan in this version: the decision that removed it

    @cached_property
    def text_key(self) -> str:
        """The measure's and its task's text as a search looks into it (tracker.text.search_key), made once."""
        return search_key(f"{self.title} {self.task_title}")


@dataclass
class TaskNode:
    id: int
    title: str
    measures: list[MeasureNode]
    rollup: Rollup = field(default_factory=Rollup)


@dataclass
class OperationalGoalNode:
    id: int
    code: str
    title: str
    tasks: list[TaskNode]
    rollup: Rollup = field(default_factory=Rollup)

    def measures(self) -> list[MeasureNode]:
        return [m for t in self.tasks for m in t.measures]


@dataclass
class StrategicGoalNode:
    id: int
    number: int
    title: str
    operational_goals: list[OperationalGoalNode]
    rollup: Rollup = field(default_factory=Rollup)

    def measures(self) -> list[MeasureNode]:
        return [m for og in self.operational_goals for m in og.measures()]


@dataclass
class PlanTree:
    plan_id: int
    title: str
    first_year: int
    last_year: int
    quarter: Quarter | None
    strategic_goals: list[StrategicGoalNode]
    rollup: Rollup = field(default_factory=Rollup)
    # which plan it shows: the version in force (tracker.plan.versions.version_id) and whether removed measures are in
    version: tuple[int | None, bool, int] | None = None  # (version_id, removed shown, amendment_mark)

    def measures(self) -> list[MeasureNode]:
        return [m for sg in self.strategic_goals for m in sg.measures()]


def load_tree(plan: Plan, quarter: Quarter | None = None, *, version: Quarter | None = None,
              removed: bool = False, known: int | None = None) -> PlanTree:
    """The plan as in force in ``version`` (by default ``quarter``; neither: the newest version) — goals →
    tasks → measures; with a quarter, states and rollups as of that quarter.

    ``removed``: also the measures an amendment has removed by then, each under the task it was last in,
    marked (``MeasureNode.removed``) and left out of the rollups. ``known``: the version as it was when this
    many amendments had been applied (tracker.plan.versions.version_in_force).
    """
    version = version or quarter
    in_force_id = versions.version_id(plan, version, known) if version else None
    in_force = versions.version_before(in_force_id) if in_force_id is not None else None
    tree = _from_version(plan, in_force) if in_force is not None else _from_tables(plan)
    tree.version = (in_force_id, removed and version is not None, versions.amendment_mark())
    if removed and version is not None:
        _add_removed(tree, plan, version)
    if quarter:
        _set_states(tree, plan, quarter)
    return tree


def shows_same_plan(tree: PlanTree, plan: Plan, quarter: Quarter, removed: bool) -> bool:
    """Would load_tree(plan, quarter, removed=removed) have the same goals, tasks and measures as ``tree``?"""
    # the amendments' mark too: one applied meanwhile (on another PC, by the command line) changes the plan shown
    return (tree.plan_id == plan.id and tree.quarter is not None
            and tree.version == (versions.version_id(plan, quarter), removed, versions.amendment_mark()))


def restate(tree: PlanTree, plan: Plan, quarter: Quarter) -> PlanTree:
    """``tree`` as of another quarter showing the same plan (shows_same_plan), in place: every state read again and
    every rollup made anew — the goals, tasks and measures are not read again."""
    _set_states(tree, plan, quarter)
    return tree


def _set_states(tree: PlanTree, plan: Plan, quarter: Quarter) -> None:
    measures = tree.measures()
    # the states of every measure of the plan, those another version of it shows or not: an earlier version's
    # measures, or those removed, are measures of the plan. Naming the measures shown (thousands of them in «IN
    # (…)») made the read twice as long at 4,660 measures: 121 ms against 63
    states = states_as_of(plan, quarter)
    tree.quarter = quarter  # only once its states are read: a failed read leaves the tree as it was
    for m in measures:
        m.state = states.get(m.id)
    for sg in tree.strategic_goals:
        for og in sg.operational_goals:
            for task in og.tasks:
                task.rollup = rollup(m.state for m in task.measures if not m.removed)
            og.rollup = combine(task.rollup for task in og.tasks)
        sg.rollup = combine(og.rollup for og in sg.operational_goals)
    tree.rollup = combine(sg.rollup for sg in tree.strategic_goals)


def refresh_states(tree: PlanTree, plan: Plan, measure_ids) -> PlanTree:
    """``tree`` with the states of these measures read again and the rollups above them made anew, in place.

    After a save only its measure has changed: reading that one state, not the whole plan's (load_tree),
    keeps a save in the window quick on a plan of thousands of measures. The plan's shape is unchanged (an
    amendment reloads everything).
    """
    ids = set(measure_ids)
    if tree.quarter is None or not ids:
        return tree
    states = states_as_of(plan, tree.quarter, list(ids))
    plan_touched = False
    for sg in tree.strategic_goals:
        goal_touched = False
        for og in sg.operational_goals:
            touched = False
            for task in og.tasks:
                hit = [m for m in task.measures if m.id in ids]
                for m in hit:
                    m.state = states.get(m.id)
                if hit:
                    task.rollup = rollup(m.state for m in task.measures if not m.removed)
                    touched = True
            if touched:
                og.rollup = combine(task.rollup for task in og.tasks)
                goal_touched = True
        if goal_touched:
            sg.rollup = combine(og.rollup for og in sg.operational_goals)
            plan_touched = True
    if plan_touched:
        tree.rollup = combine(sg.rollup for sg in tree.strategic_goals)
    return tree


def _from_tables(plan: Plan) -> PlanTree:
    """The newest version: the plan tables, in six queries; goals and tasks left without measures are
    left out (an amendment removed or moved all of them)."""
    executors: dict[int, list[tuple[int, str]]] = {}
    for link in _raw(MeasureExecutor.select(MeasureExecutor.measure, Executor.id, Executor.name)
                 .join(Executor).switch(MeasureExecutor).join(Measure)
                 .where(Measure.plan == plan).order_by(MeasureExecutor.measure, MeasureExecutor.position)
                 ):
        executors.setdefault(link[0], []).append((link[1], link[2]))
    funding: dict[int, list[str]] = {}
    for measure_id, name in _raw(MeasureFunding.select(MeasureFunding.measure, FundingSource.name)
                             .join(FundingSource).switch(MeasureFunding).join(Measure)
                             .where(Measure.plan == plan).order_by(MeasureFunding.measure, MeasureFunding.position)
                             ):
        funding.setdefault(measure_id, []).append(name)

    tasks: dict[int, TaskNode] = {}
    goals: dict[int, OperationalGoalNode] = {}
    strategic: list[StrategicGoalNode] = []
    strategic_by_id: dict[int, StrategicGoalNode] = {}
    # raw rows, not model objects nor peewee's tuples: at tens of thousands of rows, making them was most of the time
    for sg_id, number, title in _raw(StrategicGoal.select(StrategicGoal.id, StrategicGoal.number, StrategicGoal.title)
                                 .where(StrategicGoal.plan == plan).order_by(StrategicGoal.number)):
        node = StrategicGoalNode(sg_id, number, title, [])
        strategic.append(node)
        strategic_by_id[sg_id] = node
    for og_id, sg_id, code, title in _raw(
            OperationalGoal.select(OperationalGoal.id, OperationalGoal.strategic_goal, OperationalGoal.code,
                                   OperationalGoal.title)
            .join(StrategicGoal).where(StrategicGoal.plan == plan)
            .order_by(OperationalGoal.strategic_goal, OperationalGoal.position)):
        node = OperationalGoalNode(og_id, code, title, [])
        goals[og_id] = node
        strategic_by_id[sg_id].operational_goals.append(node)
    for task_id, og_id, title in _raw(Task.select(Task.id, Task.operational_goal, Task.title)
                                  .join(OperationalGoal).join(StrategicGoal).where(StrategicGoal.plan == plan)
                                  .order_by(Task.operational_goal, Task.position)):
        node = TaskNode(task_id, title, [])
        tasks[task_id] = node
        goals[og_id].tasks.append(node)
    for measure_id, uid, code, title, task_id in _raw(
            Measure.select(Measure.id, Measure.uid, Measure.code, Measure.title, Measure.task)
            .where((Measure.plan == plan) & Measure.removed_in.is_null()).order_by(Measure.position)):
        task = tasks[task_id]
        links = executors.get(measure_id, [])
        task.measures.append(MeasureNode(
            measure_id, uid, code, title, task.title,
            [name for _, name in links], [dep_id for dep_id, _ in links], funding.get(measure_id, [])))
    return _pruned(PlanTree(plan.id, plan.title, plan.first_year, plan.last_year, None, strategic))


def _raw(query):
    """The query's rows as the database driver gives them (ids and texts need no conversion)."""
    return query.model._meta.database.execute(query)


def _from_version(plan: Plan, version: dict) -> PlanTree:
    """A version an amendment replaced, from the JSON it kept (tracker.plan.versions)."""
    strategic = []
    for sg in version["strategic_goals"]:
        goals = []
        for og in sg["operational_goals"]:
            tasks = []
            for t in og["tasks"]:
                tasks.append(TaskNode(t["id"], t["title"], [
                    MeasureNode(m["id"], m["uid"], m["code"], m["title"], t["title"],
                                [name for _, name in m["executors"]], [i for i, _ in m["executors"]],
                                list(m["funding"]))
                    for m in t["measures"]]))
            goals.append(OperationalGoalNode(og["id"], og["code"], og["title"], tasks))
        strategic.append(StrategicGoalNode(sg["id"], sg["number"], sg["title"], goals))
    return _pruned(PlanTree(plan.id, version["title"], plan.first_year, plan.last_year, None, strategic))


def _pruned(tree: PlanTree) -> PlanTree:
    for sg in tree.strategic_goals:
        for og in sg.operational_goals:
            og.tasks = [t for t in og.tasks if t.measures]
        sg.operational_goals = [og for og in sg.operational_goals if og.tasks]
    tree.strategic_goals = [sg for sg in tree.strategic_goals if sg.operational_goals]
    return tree


def _add_removed(tree: PlanTree, plan: Plan, version: Quarter) -> None:
    """Measures out of the plan in ``version``, under their last task (or a node for it, if that task is gone too) —
    one brought back later too, in the quarters it was out."""
    out = {measure: gap.decision for measure, gaps in versions.absences(plan).items()
           if (gap := versions.absent_in(gaps, versions.ordinal(version))) is not None}
    if not out:
        return
    gone = list(Measure.select(Measure, Task).join(Task).where(Measure.id.in_(list(out))).order_by(Measure.position))
    ids = [m.id for m in gone]
    executors: dict[int, list[tuple[int, str]]] = {}
    for measure_id, executor_id, name in (MeasureExecutor.select(MeasureExecutor.measure, Executor.id, Executor.name)
                                          .join(Executor).where(MeasureExecutor.measure.in_(ids))
                                          .order_by(MeasureExecutor.measure, MeasureExecutor.position).tuples()):
        executors.setdefault(measure_id, []).append((executor_id, name))
    funding: dict[int, list[str]] = {}
    for measure_id, name in (MeasureFunding.select(MeasureFunding.measure, FundingSource.name).join(FundingSource)
                             .where(MeasureFunding.measure.in_(ids))
                             .order_by(MeasureFunding.measure, MeasureFunding.position).tuples()):
        funding.setdefault(measure_id, []).append(name)
    tasks = {t.id: t for sg in tree.strategic_goals for og in sg.operational_goals for t in og.tasks}
    goals = {og.id: og for sg in tree.strategic_goals for og in sg.operational_goals}
    touched: dict[int, TaskNode] = {}
    for measure in gone:
        task = tasks.get(measure.task_id)
        if task is None:
            goal = goals.get(measure.task.operational_goal_id)
            if goal is None:
                continue  # its whole operational goal is gone: nowhere to show it
            task = tasks[measure.task_id] = TaskNode(measure.task_id, measure.task.title, [])
            goal.tasks.append(task)
        links = executors.get(measure.id, [])
        task.measures.append(MeasureNode(measure.id, measure.uid, measure.code, measure.title, task.title,
                                         [name for _, name in links], [i for i, _ in links],
                                         funding.get(measure.id, []), removed=out[measure.id]))
        touched[task.id] = task
    # in code order, a removed one after the measure that has its code now: it stood after the task's last («1.2.7,
    # 1.2.5»)
    for task in touched.values():
        task.measures.sort(key=lambda m: (code_order(m.code), bool(m.removed)))


def scoped_rollups(tree: PlanTree, keep: Callable[[MeasureNode], bool]) -> dict[tuple[str, int], Rollup]:
    """Each goal's and task's rollup over only the measures ``keep`` accepts: a department's own numbers.

    Keyed ("strategic" | "operational" | "task", node id); a group with none of them rolls up to nothing.
    """
    result: dict[tuple[str, int], Rollup] = {}
    for sg in tree.strategic_goals:
        for og in sg.operational_goals:
            for task in og.tasks:
                result[("task", task.id)] = rollup(m.state for m in task.measures if keep(m) and not m.removed)
            result[("operational", og.id)] = rollup(m.state for m in og.measures() if keep(m) and not m.removed)
        result[("strategic", sg.id)] = rollup(m.state for m in sg.measures() if keep(m) and not m.removed)
    return result


def tree_json(tree: PlanTree) -> dict:
    """The tree in the shape of ``tracker plan --json``."""
    with_quarter = tree.quarter is not None

    def measure(node: MeasureNode) -> dict:
        data = {"uid": node.uid, "code": node.code, "title": node.title, "executors": node.executors, "funding": node.funding}
        if node.removed:
            data["removed"] = versions.removed_label(node.removed)
        if with_quarter:
            state = node.state
            data.update({
                "status": state.status.label if state else None,
                "status_code": state.status.value if state else None,
                "percent": state.percent if state else None,
                "note": state.note if state else None,
                "remarks": state.remarks if state else None,
                "reported": bool(state and state.reported),
                "as_of": str(state.quarter) if state else None,
            })
        return data

    def with_rollup(data: dict, node) -> dict:
        if with_quarter:
            data.update(node.rollup.as_json())
        return data

    result = {
        "plan": {"title": tree.title, "first_year": tree.first_year, "last_year": tree.last_year},
        "strategic_goals": [
            with_rollup({"number": sg.number, "title": sg.title, "operational_goals": [
                with_rollup({"code": og.code, "title": og.title, "tasks": [
                    with_rollup({"title": t.title, "measures": [measure(m) for m in t.measures]}, t)
                    for t in og.tasks]}, og)
                for og in sg.operational_goals]}, sg)
            for sg in tree.strategic_goals],
    }
    if with_quarter:
        result["quarter"] = str(tree.quarter)
        result["plan"].update(tree.rollup.as_json())
    return result
