"""The report dialogs' shared fields: the quarter to report on, and a path with its «Огляд…» button."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from tracker.quarters import plan_quarters

from ..i18n import quarter_label, tr


def quarter_combo(window, parent) -> QComboBox:
    """The plan's quarters, the window's own selected."""
    combo = QComboBox(parent)
    for quarter in plan_quarters(window.plan.first_year, window.plan.last_year):
        combo.addItem(quarter_label(quarter), str(quarter))
    combo.setCurrentIndex(max(combo.findData(str(window.quarter)), 0))
    return combo


def path_row(edit: QLineEdit, browse, parent) -> QWidget:
    """The path field stretched, «Огляд…» beside it calling ``browse``."""
    button = QPushButton(tr("Огляд…"), parent)
    button.clicked.connect(browse)
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row
