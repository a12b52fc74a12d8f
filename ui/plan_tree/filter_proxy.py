"""Filtering the plan tree by a tracker MeasureFilter; parents of matching measures stay visible."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel

from tracker.progress.filters import MeasureFilter, matching

from .model import PlanModel


class MeasureFilterProxy(QSortFilterProxyModel):
    def __init__(self, source: PlanModel, parent=None):
        super().__init__(parent)
        self.setSourceModel(source)
        self.setRecursiveFilteringEnabled(True)  # a goal or task shows when one of its measures does
        self.setDynamicSortFilter(True)  # an edited measure that stops matching leaves the view
        self._filter = MeasureFilter()

    @property
    def measure_filter(self) -> MeasureFilter:
        return self._filter

    def set_filter(self, measure_filter: MeasureFilter) -> None:
        if measure_filter == self._filter:
            return
        self.beginFilterChange()
        self._filter = measure_filter
        self.endFilterChange()

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        if not self._filter.active:
            return True
        source: PlanModel = self.sourceModel()
        measure = source.measure_at(source.index(source_row, 0, source_parent))
        return measure is not None and self._filter.matches(measure)

    def matching_count(self) -> int:
        tree = self.sourceModel().tree
        if tree is None:
            return 0
        in_plan = [m for m in tree.measures() if not m.removed]  # removed ones, when shown, are not the plan's
        return len(matching(in_plan, self._filter)) if self._filter.active else len(in_plan)
