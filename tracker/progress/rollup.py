"""Rolling measures' states up to tasks and goals: average percent and counts by status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .records import ProgressState
from .status import Status

NOT_REPORTED = "not_reported"
_NO_COUNTS = dict.fromkeys([status.value for status in Status] + [NOT_REPORTED], 0)  # copied per rollup


@dataclass
class Rollup:
    measures: int = 0
    percent: float | None = None  # None when every measure lost relevance
    counts: dict[str, int] = field(default_factory=dict)  # status code → measures; plus not_reported
    never_reported: int = 0
    relevant: int = 0  # measures the average is over (not obsolete)
    total: int = 0  # the sum of their percents: rollups of parts add up to the whole's (``combine``)

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
    """Counts by status of the measures reported for this very quarter, and «not reported» for the rest, so
    the parts always sum to the number of measures; and the average percent (AVERAGE_WORDING says it in words).

    The average is over every measure that has not lost relevance: a measure reported for the quarter by its
    percent, one not reported by its last known percent from an earlier quarter, one never reported as 0 %.
    """
    counts = dict(_NO_COUNTS)
    measures = never = total = relevant = 0
    obsolete = Status.OBSOLETE
    for state in states:  # the values read from the dict, not as attributes: this loop runs over every measure
        measures += 1
        if state is None:
            never += 1
            counts[NOT_REPORTED] += 1
            relevant += 1
            continue
        values = state.values
        status = values["status"]
        counts[status._value_ if state.reported else NOT_REPORTED] += 1
        if status is not obsolete:
            relevant += 1
            total += values["percent"]
    percent = total / relevant if relevant else None
    return Rollup(measures, percent, counts, never, relevant, total)


def combine(parts: Iterable[Rollup]) -> Rollup:
    """The rollup of the parts' measures together, from the parts' rollups (the same as ``rollup`` over them all:
    percents are whole numbers, so the sums are exact)."""
    counts = dict(_NO_COUNTS)
    measures = never = relevant = total = 0
    for part in parts:
        measures += part.measures
        never += part.never_reported
        relevant += part.relevant
        total += part.total
        for key, value in part.counts.items():
            counts[key] = counts.get(key, 0) + value
    return Rollup(measures, total / relevant if relevant else None, counts, never, relevant, total)


# what the average percent includes, for readers of the report and the overview
AVERAGE_WORDING = ("Середній % виконання — за всіма заходами, крім тих, що втратили актуальність: для поданих за "
                   "квартал — за поданим відсотком, для неподаних — за останнім відомим із попередніх кварталів, для "
                   "ще жодного разу не поданих — 0 %.")
