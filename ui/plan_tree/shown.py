"""Which model the plan tree's view shows: the plan model itself, or the filter proxy over it while a filter is on.

A QSortFilterProxyModel between the view and a Python model costs every paint and every expansion, with or without
a filter: each index the view asks for is mapped through it into the model's Python index() — at 4,660 measures
2,660 calls per paint instead of 306, and an expanded tree's layout half as long again. So the view shows the model
itself until a filter hides something, and the proxy only while one does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex
from PySide6.QtWidgets import QTreeView

from tracker.progress.filters import MeasureFilter
from tracker.progress.tree import MeasureNode

from .filter_proxy import MeasureFilterProxy
from .model import PlanModel


class ShownRows:
    def __init__(self, view: QTreeView, model: PlanModel, proxy: MeasureFilterProxy,
                 current_changed: Callable[[QModelIndex, QModelIndex], None]):
        self.view, self.model, self.proxy = view, model, proxy
        self._current_changed = current_changed
        self._attach(model)

    @property
    def filtered(self) -> bool:
        """Does the view show the proxy (a filter is on)?"""
        return self.view.model() is self.proxy

    def set_filter(self, measure_filter: MeasureFilter) -> None:
        """The proxy takes the filter, and the view shows it while the filter is on, the model itself otherwise.
        The view's rows are made anew when it changes model: the caller expands them and selects again."""
        if measure_filter.active:
            self.proxy.set_filter(measure_filter)  # follows the model, filtered, before the view shows it
            self._attach(self.proxy)
        else:
            self._attach(self.model)  # first: a proxy left without its model would leave the header no columns
            self.proxy.set_filter(measure_filter)

    def to_view(self, index: QModelIndex) -> QModelIndex:
        """A model index as the view's (invalid when the filter hides its row)."""
        return self.proxy.mapFromSource(index) if self.filtered else index

    def to_model(self, index: QModelIndex) -> QModelIndex:
        """A view's index as the model's (by the index's own model: one kept from before a switch maps too)."""
        return self.proxy.mapToSource(index) if index.model() is self.proxy else index

    def measure_at(self, index: QModelIndex) -> MeasureNode | None:
        """The measure on a row of the view (None for a goal or task)."""
        return self.model.measure_at(self.to_model(index))

    def index_of_measure(self, measure_id: int) -> QModelIndex:
        """The measure's row in the view; invalid when it is not shown."""
        return self.to_view(self.model.index_of_measure(measure_id))

    def _attach(self, model: QAbstractItemModel) -> None:
        if self.view.model() is model:
            return
        before = self.view.selectionModel()
        self.view.setModel(model)  # the header keeps its sections: both models have the same columns
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        if before is not None:
            before.deleteLater()  # the view made it for the other model and does not delete it
