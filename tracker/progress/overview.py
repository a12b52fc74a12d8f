"""What the monitoring group reads for a quarter: progress by goal and by department."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..storage.models import Executor
from ..text import ukrainian_sort_key
from .rollup import Rollup, rollup
from .tree import PlanTree


@dataclass
class GoalProgress:
    level: int  # 0 strategic goal, 1 operational goal
    code: str  # "1" or "1.2"
    title: str
    rollup: Rollup


@dataclass
class ExecutorProgress:
    executor_id: int
    name: str
    short_name: str
    kind: str
    rollup: Rollup
    last_reported: _dt.datetime | None = None  # the latest save of one of its measures for this very quarter

    @property
    def measures(self) -> int:
        return self.rollup.measures

    @property
    def reported(self) -> int:
        return self.rollup.reported

    @property
    def not_reported(self) -> int:
        return self.rollup.not_reported


def goal_progress(tree: PlanTree) -> list[GoalProgress]:
    rows = []
    for sg in tree.strategic_goals:
        rows.append(GoalProgress(0, str(sg.number), sg.title, sg.rollup))
        rows.extend(GoalProgress(1, og.code, og.title, og.rollup) for og in sg.operational_goals)
    return rows


def executor_progress(tree: PlanTree) -> list[ExecutorProgress]:
    """One row per executor responsible for at least one measure, in Ukrainian alphabetical order (ґ after г,
    є after е, і and ї after и)."""
    by_executor: dict[int, list] = {}
    for measure in tree.measures():
        if measure.removed:
            continue  # out of the plan this quarter (shown in the tree only when asked): no one's progress
        for executor_id in measure.executor_ids:
            by_executor.setdefault(executor_id, []).append(measure.state)
    executors = Executor.select().where(Executor.id.in_(list(by_executor) or [0]))
    rows = [ExecutorProgress(d.id, d.name, d.short_name, d.kind, rollup(by_executor[d.id]),
                             _last_reported(by_executor[d.id])) for d in executors]
    return sorted(rows, key=lambda r: ukrainian_sort_key(r.name))


def _last_reported(states) -> _dt.datetime | None:
    return max((s.updated_at for s in states if s is not None and s.reported), default=None)
