"""The plan as a tree for one quarter: goals → tasks → measures with states and rollups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
from .records import ProgressState, states_as_of
from .rollup import Rollup, rollup


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

    def measures(self) -> list[MeasureNode]:
        return [m for sg in self.strategic_goals for m in sg.measures()]


def load_tree(plan: Plan, quarter: Quarter | None = None) -> PlanTree:
    """The whole plan in six queries; with a quarter, states and rollups as of that quarter."""
    executors: dict[int, list[tuple[int, str]]] = {}
    for link in (MeasureExecutor.select(MeasureExecutor.measure, Executor.id, Executor.name)
                 .join(Executor).switch(MeasureExecutor).join(Measure)
                 .where(Measure.plan == plan).order_by(MeasureExecutor.measure, MeasureExecutor.position)
                 .tuples()):
        executors.setdefault(link[0], []).append((link[1], link[2]))
    funding: dict[int, list[str]] = {}
    for measure_id, name in (MeasureFunding.select(MeasureFunding.measure, FundingSource.name)
                             .join(FundingSource).switch(MeasureFunding).join(Measure)
                             .where(Measure.plan == plan).order_by(MeasureFunding.measure, MeasureFunding.position)
                             .tuples()):
        funding.setdefault(measure_id, []).append(name)
    states = states_as_of(plan, quarter) if quarter else {}

    tasks: dict[int, TaskNode] = {}
    goals: dict[int, OperationalGoalNode] = {}
    strategic: list[StrategicGoalNode] = []
    strategic_by_id: dict[int, StrategicGoalNode] = {}
    for sg in StrategicGoal.select().where(StrategicGoal.plan == plan).order_by(StrategicGoal.number):
        node = StrategicGoalNode(sg.id, sg.number, sg.title, [])
        strategic.append(node)
        strategic_by_id[sg.id] = node
    for og in (OperationalGoal.select().join(StrategicGoal).where(StrategicGoal.plan == plan)
               .order_by(OperationalGoal.strategic_goal, OperationalGoal.position)):
        node = OperationalGoalNode(og.id, og.code, og.title, [])
        goals[og.id] = node
        strategic_by_id[og.strategic_goal_id].operational_goals.append(node)
    for task in (Task.select().join(OperationalGoal).join(StrategicGoal).where(StrategicGoal.plan == plan)
                 .order_by(Task.operational_goal, Task.position)):
        node = TaskNode(task.id, task.title, [])
        tasks[task.id] = node
        goals[task.operational_goal_id].tasks.append(node)
    for measure in Measure.select().where(Measure.plan == plan).order_by(Measure.position):
        task = tasks[measure.task_id]
        links = executors.get(measure.id, [])
        task.measures.append(MeasureNode(
            measure.id, measure.uid, measure.code, measure.title, task.title,
            [name for _, name in links], [dep_id for dep_id, _ in links],
            funding.get(measure.id, []), states.get(measure.id)))

    tree = PlanTree(plan.id, plan.title, plan.first_year, plan.last_year, quarter, strategic)
    if quarter:
        for sg in strategic:
            for og in sg.operational_goals:
                for task in og.tasks:
                    task.rollup = rollup(m.state for m in task.measures)
                og.rollup = rollup(m.state for m in og.measures())
            sg.rollup = rollup(m.state for m in sg.measures())
        tree.rollup = rollup(m.state for m in tree.measures())
    return tree


def scoped_rollups(tree: PlanTree, keep: Callable[[MeasureNode], bool]) -> dict[tuple[str, int], Rollup]:
    """Each goal's and task's rollup over only the measures ``keep`` accepts: a department's own numbers.

    Keyed ("strategic" | "operational" | "task", node id); a group with none of them rolls up to nothing.
    """
    result: dict[tuple[str, int], Rollup] = {}
    for sg in tree.strategic_goals:
        for og in sg.operational_goals:
            for task in og.tasks:
                result[("task", task.id)] = rollup(m.state for m in task.measures if keep(m))
            result[("operational", og.id)] = rollup(m.state for m in og.measures() if keep(m))
        result[("strategic", sg.id)] = rollup(m.state for m in sg.measures() if keep(m))
    return result


def tree_json(tree: PlanTree) -> dict:
    """The tree in the shape of ``tracker plan --json``."""
    with_quarter = tree.quarter is not None

    def measure(node: MeasureNode) -> dict:
        data = {"uid": node.uid, "code": node.code, "title": node.title, "executors": node.executors, "funding": node.funding}
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
