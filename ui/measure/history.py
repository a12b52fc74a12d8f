"""A measure's history: every quarter's record and every change (when, who, what, from where)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.progress import fields
from tracker.progress.records import measure_history, measure_records
from tracker.quarters import Quarter

from ..i18n import quarter_label, tr


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setWordWrap(False)
    return table


class HistoryView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.records_label = QLabel(self)
        self.records_table = _table(5)
        self.records_table.setObjectName("recordsTable")
        self.changes_label = QLabel(self)
        self.changes_table = _table(6)
        self.changes_table.setObjectName("changesTable")
        # the values are the point of the table: a wide column of their own, the rest fit their text
        self.changes_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.changes_table.horizontalHeader().resizeSection(2, 220)
        layout = QVBoxLayout(self)
        layout.addWidget(self.records_label)
        layout.addWidget(self.records_table, 1)
        layout.addWidget(self.changes_label)
        layout.addWidget(self.changes_table, 2)
        self._measure_id: int | None = None
        self.retranslate()

    def show_measure(self, measure_id: int | None) -> None:
        self._measure_id = measure_id
        self.records_table.setRowCount(0)
        self.changes_table.setRowCount(0)
        if measure_id is None:
            return
        records = measure_records(measure_id)
        self.records_table.setRowCount(len(records))
        for row, record in enumerate(reversed(records)):
            cells = [quarter_label(Quarter(record.year, record.quarter)), fields.STATUS.show(record.status),
                     fields.PERCENT.show(record.percent),
                     record.updated_at.strftime("%d.%m.%Y %H:%M"), record.updated_by]
            for column, text in enumerate(cells):
                self.records_table.setItem(row, column, QTableWidgetItem(text))
        changes = measure_history(measure_id)
        self.changes_table.setRowCount(len(changes))
        for row, change in enumerate(reversed(changes)):
            cells = [quarter_label(Quarter(change.year, change.quarter)), fields.label(change.field),
                     f"{fields.show(change.field, change.old_value)} → {fields.show(change.field, change.new_value)}",
                     change.changed_by, change.changed_at.strftime("%d.%m.%Y %H:%M"), change.origin]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.changes_table.setItem(row, column, item)

    def retranslate(self) -> None:
        self.records_label.setText(tr("Записи за квартали"))
        self.records_table.setHorizontalHeaderLabels([tr("Квартал"), tr("Стан"), tr("Виконання"), tr("Оновлено"), tr("Хто")])
        self.changes_label.setText(tr("Усі зміни"))
        self.changes_table.setHorizontalHeaderLabels([tr("Квартал"), tr("Поле"), tr("Було → стало"), tr("Хто"), tr("Коли"), tr("Звідки")])
        self.show_measure(self._measure_id)
