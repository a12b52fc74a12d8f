"""Which measures a coordinator wants to see: department, status, funding source, free text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..text import search_key
from .tree import MeasureNode

_CODE_RE = re.compile(r"^\d+(\.\d+)*\.?$")
NOT_REPORTED_FILTER = "not_reported"  # status filter value: no record for this very quarter
NEVER_REPORTED_FILTER = "never_reported"


@dataclass(frozen=True)
class MeasureFilter:
    executor_id: int | None = None
    status: str | None = None  # a Status code, NOT_REPORTED_FILTER or NEVER_REPORTED_FILTER
    funding: str | None = None  # a funding source name
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.executor_id or self.status or self.funding or self.text.strip())

    def matches(self, measure: MeasureNode) -> bool:
        if self.executor_id is not None and self.executor_id not in measure.executor_ids:
            return False
        if self.funding is not None and self.funding not in measure.funding:
            return False
        if self.status is not None and not _status_matches(self.status, measure):
            return False
        return all(_word_matches(word, measure) for word in self.words)

    @cached_property
    def words(self) -> tuple[str, ...]:
        """The text's words as a search looks for them, made once: a keystroke asks every measure."""
        return tuple(search_key(self.text).split())


def _word_matches(word: str, measure: MeasureNode) -> bool:
    """A code-like word ("3.4" or "3.4.1") selects that code and those under it; other words are
    looked for in the measure's and its task's text, ignoring case and apostrophe variants."""
    if _CODE_RE.match(word):
        code = word.rstrip(".")
        return measure.code == code or measure.code.startswith(code + ".")
    return word in measure.text_key


def _status_matches(wanted: str, measure: MeasureNode) -> bool:
    state = measure.state
    if wanted == NOT_REPORTED_FILTER:
        return state is None or not state.reported
    if wanted == NEVER_REPORTED_FILTER:
        return state is None
    return state is not None and state.status.value == wanted


def matching(measures, measure_filter: MeasureFilter) -> list[MeasureNode]:
    return [m for m in measures if measure_filter.matches(m)]
