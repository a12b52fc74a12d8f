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
        # the measures each filter shows, found in one pass over the plan and asked per row: the rows are filtered
        # in several passes (the goals first, then each task as it is expanded), and a keystroke asks twice more
        # (shows_same, matching_count). Forgotten when the model takes another tree or other states (its
        # states_made): not at every repaint, such as the goals' counts scoped to an executor — 1,520 of them.
        self._shown_by: dict[MeasureFilter, frozenset[int]] = {}
        self._shown_for = -1  # the model's states_made they were found for

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
        if self._shown_for != self.plan_model.states_made:
            self._shown_by.clear()
            self._shown_for = self.plan_model.states_made
        shown = self._shown_by.get(measure_filter)
        if shown is None:
            if len(self._shown_by) > 3:
                self._shown_by.clear()  # the last keystrokes' are enough
            tree = self.plan_model.tree
            measures = tree.measures() if tree is not None else []
            shown = self._shown_by[measure_filter] = frozenset(
                m.id for m in (matching(measures, measure_filter) if measure_filter.active else measures))
        return shown

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        if not self._filter.active:
            return True
        measure = self.plan_model.measure_in(source_row, source_parent)  # no index made: called for every row
        return measure is not None and measure.id in self._shown(self._filter)

    def matching_count(self) -> int:
        tree = self.plan_model.tree
        if tree is None:
            return 0
        shown = self._shown(self._filter)
        return sum(1 for m in tree.measures() if not m.removed and m.id in shown)  # removed ones are not the plan's
