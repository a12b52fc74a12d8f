"""Helpers the window's tests share."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex


def tree_rows(model, parent=QModelIndex()):
    """Every row's first cell under ``parent``, depth first, in the plan's order."""
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from tree_rows(model, index)
