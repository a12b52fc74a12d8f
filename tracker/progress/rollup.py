"""Rolling measures' states up to tasks and goals: average percent and counts by status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .records import ProgressState
from .status import Status

NOT_REPORTED = "not_reported"


@dataclass
class Rollup:
    measures: int = 0
    percent: float | None = None  # None when every measure lost relevance
    counts: dict[str, int] = field(default_factory=dict)  # status code → measures; plus not_reported
    never_reported: int = 0

    @property
    def not_reported(self) -> int:
        return self.counts.get(NOT_REPORTED, 0)

    @property
    def reported(self) -> int:
        return self.measures - self.not_reported

    def as_json(self) -> dict:
        # "measure_count", not "measures": in tree_json a task's "measures" is its list of measures
        return {"measure_count": self.measures,
                "percent": None if self.percent is None else round(self.percent, 1),
                "counts": dict(self.counts)}


def rollup(states: Iterable[ProgressState | None]) -> Rollup:
    """Average percent over measures, those that lost relevance left out.

    A measure never reported counts as 0 % (nothing is known to be done) and by its absence in
    the status counts; a measure carried forward from an earlier quarter counts by its last state
    but also as not reported for this quarter.
    """
    counts = {status.value: 0 for status in Status}
    counts[NOT_REPORTED] = 0
    measures = never = 0
    total = 0
    relevant = 0
    for state in states:
        measures += 1
        if state is None:
            never += 1
            counts[NOT_REPORTED] += 1
            relevant += 1
            continue
        counts[state.status.value] += 1
        if not state.reported:
            counts[NOT_REPORTED] += 1
        if state.status is not Status.OBSOLETE:
            relevant += 1
            total += state.percent
    percent = total / relevant if relevant else None
    return Rollup(measures, percent, counts, never)
