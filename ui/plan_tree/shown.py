"""Which rows of the plan tree the view shows: all of them, or, while a filter is on, the measures it matches and
the goals and tasks above them.

The rows are hidden in the view itself (QTreeView.setRowHidden), not filtered out by a proxy model. A
QSortFilterProxyModel between the view and a Python model maps every index the view asks for into the model's Python
index(), at every paint and expansion, and removes each hidden row with its persistent indexes: at 4,660 measures a
keystroke took 0.23 s through it, and what the person had folded was lost at each filter change. Hidden rows keep
their place, so the model's indexes are the view's, and what is folded stays folded.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QTreeView

from tracker.progress.filters import MeasureFilter, matching
from tracker.progress.tree import MeasureNode

from .model import PlanModel


class ShownRows:
    def __init__(self, view: QTreeView, model: PlanModel):
        self.view, self.model = view, model
        self._filter = MeasureFilter()
        self._hidden: set = set()  # the model's items whose rows the view hides
        self._showing: frozenset[int] | None = None  # the measures the filter shows (None: no filter, every one)
        self._appeared: set[int] = set()  # measures a refresh showed under the same filter, not yet revealed
        # the measures each filter shows, found in one pass over the plan: a keystroke that shows the same measures
        # (a space typed) asks again. Forgotten when the model takes another tree or other states (states_made).
        self._shown_by: dict[MeasureFilter, frozenset[int]] = {}
        self._shown_for = -1
        self._order: tuple[object, dict[int, int]] = (None, {})  # (tree, measure id → place in the plan)
        view.setModel(model)
        model.modelReset.connect(self._forget_hidden)
        model.statesMade.connect(self.refresh)  # a save or another quarter may make a measure match or stop

    def _forget_hidden(self) -> None:
        self._hidden = set()  # the view shows every row of a reset model: its items are new ones

    @property
    def measure_filter(self) -> MeasureFilter:
        return self._filter

    def set_filter(self, measure_filter: MeasureFilter) -> bool:
        """Show what ``measure_filter`` matches; True when rows were hidden or shown (not for a space typed).

        What the person folded stays folded, except that a goal or task opens to show what the filter newly
        shows: every match when a filter is put on a tree shown whole (a search made in a folded tree is seen),
        the measures a changed filter adds to what it showed. Taking the filter off opens and folds nothing."""
        putting_on = measure_filter.active and not self._filter.active
        self._filter = measure_filter
        changed = self.refresh()
        if changed and putting_on:
            for index in self.model.groups():
                if not self.view.isRowHidden(index.row(), index.parent()) and not self.view.isExpanded(index):
                    self.view.expand(index)
        elif changed:
            self.reveal_appeared()
        self._appeared = set()
        return changed

    def refresh(self) -> bool:
        """Hide and show rows as the filter says of the model's states now; True when any row changed. The
        measures it shows anew under the same filter wait for reveal_appeared."""
        showing = self._shown() if self._filter.active else None
        if showing is not None and self._showing is not None:
            self._appeared |= showing - self._showing
        self._showing = showing
        hidden = self.model.rows_to_hide(showing) if showing is not None else set()
        if hidden == self._hidden:
            return False
        for item in hidden - self._hidden:
            self.view.setRowHidden(*self.model.place(item), True)
        for item in self._hidden - hidden:
            self.view.setRowHidden(*self.model.place(item), False)
        self._hidden = hidden
        return True

    def reveal_appeared(self) -> None:
        """Open the goals and tasks above the measures the filter came to show since it was put on or last
        revealed (a save, another quarter or a reload made them match), leaving every other fold as it is."""
        appeared, self._appeared = self._appeared, set()
        for measure_id in appeared:
            parent = self.model.index_of_measure(measure_id).parent()
            while parent.isValid():  # every group above it: a task may be open in a folded goal
                if not self.view.isExpanded(parent):
                    self.view.expand(parent)
                parent = parent.parent()

    def folded(self) -> set[tuple[str, int]]:
        """The goals and tasks folded in the view, as (kind, id): what fold() folds again in a tree read anew."""
        return {self.model.row_key(index) for index in self.model.groups() if not self.view.isExpanded(index)}

    def fold(self, folded: set[tuple[str, int]]) -> None:
        if folded:
            for index in self.model.groups():
                if self.model.row_key(index) in folded:
                    self.view.collapse(index)

    def open_all(self) -> None:
        """«Розгорнути все»: every goal and task open, those the filter hides too (the view's expandAll skips
        them, so they would show folded once the filter is off)."""
        self.view.expandAll()
        for item in self._hidden:
            if item.children:
                row, parent = self.model.place(item)
                self.view.expand(self.model.index(row, 0, parent))  # stored only: the layout is pending

    def fold_to_goals(self) -> None:
        """«Згорнути до цілей»: the strategic goals open and everything under them folded, the rows the filter
        hides too (the view's expandToDepth forgets what it does not lay out)."""
        self.view.collapseAll()
        for row in range(self.model.rowCount()):
            self.view.expand(self.model.index(row, 0))

    def matching_count(self) -> int:
        """Measures of the plan the filter shows (removed ones, when shown, are not counted)."""
        return self.model.measure_count(None if not self._filter.active else self._shown())

    def removed_count(self) -> int:
        """Removed measures the filter shows (when they are shown at all): said beside the count, which leaves them out."""
        return self.model.removed_count(None if not self._filter.active else self._shown())

    def is_shown(self, measure_id: int) -> bool:
        return measure_id in self._shown()

    def measure_at(self, index: QModelIndex) -> MeasureNode | None:
        """The measure on a row of the view (None for a goal or task)."""
        return self.model.measure_at(index)

    def index_of_measure(self, measure_id: int) -> QModelIndex:
        """The measure's row; invalid when it is not in the tree or the filter hides it."""
        index = self.model.index_of_measure(measure_id)
        return index if index.isValid() and self.is_shown(measure_id) else QModelIndex()

    def step(self, index: QModelIndex, step: int) -> QModelIndex:
        """The next (``step`` > 0) or previous measure the filter shows, in the plan's order, from the row at
        ``index`` (from the top when it is invalid) — into folded goals too: the caller's scrollTo opens them."""
        tree = self.model.tree
        if tree is None:
            return QModelIndex()
        measures = tree.measures()
        if self._order[0] is not tree:
            self._order = (tree, {m.id: place for place, m in enumerate(measures)})
        at = self.model.measure_at(index)
        first = self.model.first_measure_under(index)  # a goal or task: where its measures begin
        if at is not None:
            start = self._order[1][at.id] + (1 if step > 0 else -1)
        elif first is not None:
            start = self._order[1][first.id] - (0 if step > 0 else 1)
        else:  # nothing chosen: the first measure, or the last one going up
            start = 0 if step > 0 else len(measures) - 1
        places = range(start, len(measures)) if step > 0 else range(start, -1, -1)
        shown = self._shown()
        found = next((measures[place] for place in places if measures[place].id in shown), None)
        return self.model.index_of_measure(found.id) if found is not None else QModelIndex()

    def with_code(self, typed: str, shown_only: bool = True) -> QModelIndex:
        """The row of the measure whose code is ``typed``; when the plan has none, of the first measure in the
        plan's order under that code («1.3» → 1.3.1, «4» → 4.1.1) — never another measure for a code the plan has
        (1.1.10 for «1.1.1» hidden by a filter). Invalid when there is none, or the filter hides it (``shown_only``)."""
        tree = self.model.tree
        if tree is None:
            return QModelIndex()
        measures = tree.measures()
        shown = self._shown() if shown_only else _EVERYTHING
        chosen = next((m for m in measures if m.code == typed), None)
        if chosen is None:
            under = typed if typed.endswith(".") else typed + "."
            chosen = next((m for m in measures if m.code.startswith(under) and m.id in shown), None)
        return self.model.index_of_measure(chosen.id) if chosen is not None and chosen.id in shown else QModelIndex()

    def _shown(self) -> frozenset[int] | _Everything:
        return self._matching(self._filter) if self._filter.active else _EVERYTHING

    def _matching(self, measure_filter: MeasureFilter) -> frozenset[int]:
        if self._shown_for != self.model.states_made:
            self._shown_by.clear()
            self._shown_for = self.model.states_made
        shown = self._shown_by.get(measure_filter)
        if shown is None:
            if len(self._shown_by) > 5:
                self._shown_by.clear()  # the last keystrokes' are enough
            tree = self.model.tree
            shown = self._shown_by[measure_filter] = frozenset(
                m.id for m in matching(tree.measures() if tree is not None else [], measure_filter))
        return shown

    def hidden_by_other_filters(self) -> int:
        """Measures the search finds that the executor, status or funding filter hides: «3.1.1» found nothing
        under another department's filter, and nothing said why."""
        wanted = self._filter
        if not wanted.words or not (wanted.executor_id or wanted.status or wanted.funding):
            return 0
        return self.model.measure_count(self._matching(MeasureFilter(text=wanted.text))) - self.matching_count()


class _Everything:
    """What no filter shows: every measure."""

    def __contains__(self, measure_id: object) -> bool:
        return True


_EVERYTHING = _Everything()
