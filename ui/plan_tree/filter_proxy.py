"""Filtering the plan tree by a tracker MeasureFilter; parents of matching measures stay visible."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel

from tracker.progress.filters import MeasureFilter, matching

from .model import PlanModel


class MeasureFilterProxy(QSortFilterProxyModel):
    def __init__(self, source: PlanModel, parent=None):
        super().__init__(parent)
        self.plan_model = source
        # It follows the model only while a filter is on (the view then shows it: ui.plan_tree.shown): following it
        # unseen would map every row a quarter switch or a save repaints, for nothing. With a filter on, a goal or
        # task shows when one of its measures does (recursive), and an edited measure that stops matching leaves
        # the view (dynamic).
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(True)
        self._filter = MeasureFilter()

    @property
    def measure_filter(self) -> MeasureFilter:
        return self._filter

    def set_filter(self, measure_filter: MeasureFilter) -> None:
        following = self.sourceModel() is self.plan_model
        if measure_filter == self._filter and following == measure_filter.active:
            return
        if not measure_filter.active:
            self._filter = measure_filter
            self.setSourceModel(None)  # nothing hidden: the view shows the model itself
        elif not following:
            self._filter = measure_filter
            self.setSourceModel(self.plan_model)  # its rows filtered anew
        else:
            self.beginFilterChange()
            self._filter = measure_filter
            self.endFilterChange()

    def shows_same(self, measure_filter: MeasureFilter) -> bool:
        """Would ``measure_filter`` show the very measures this one shows (a space typed, a word completed that
        every shown measure already has)? Then nothing needs filtering again."""
        return (measure_filter.active == self._filter.active  # else the rows are looked at another way (recursively)
                and self._shown(measure_filter) == self._shown(self._filter))

    def replace_filter(self, measure_filter: MeasureFilter) -> None:
        """Take a filter that shows the same measures (shows_same) without filtering the rows again."""
        self._filter = measure_filter

    def _shown(self, measure_filter: MeasureFilter) -> frozenset[int]:
        tree = self.plan_model.tree
        measures = tree.measures() if tree is not None else []
        return frozenset(m.id for m in (matching(measures, measure_filter) if measure_filter.active else measures))

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        if not self._filter.active:
            return True
        measure = self.plan_model.measure_in(source_row, source_parent)  # no index made: called for every row
        return measure is not None and self._filter.matches(measure)

    def matching_count(self) -> int:
        tree = self.plan_model.tree
        if tree is None:
            return 0
        in_plan = [m for m in tree.measures() if not m.removed]  # removed ones, when shown, are not the plan's
        return len(matching(in_plan, self._filter)) if self._filter.active else len(in_plan)
