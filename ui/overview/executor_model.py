"""Table model of departments' progress for a quarter: a thin adapter over tracker.overview rows."""

from __future__ import annotations

import enum
from html import escape

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from tracker.progress.overview import ExecutorProgress
from tracker.text import ukrainian_sort_key

from ..colors import scheme
from ..i18n import tr
from ..percent_bar import percent_text


class ExecutorColumn(enum.IntEnum):
    NAME = 0
    MEASURES = 1
    REPORTED = 2
    NOT_REPORTED = 3
    PERCENT = 4
    LAST_REPORTED = 5


class ExecutorRole(enum.IntEnum):
    SORT = Qt.ItemDataRole.UserRole + 1  # numbers as numbers, so the proxy sorts numerically
    EXECUTOR_ID = Qt.ItemDataRole.UserRole + 2
    PERCENT = Qt.ItemDataRole.UserRole + 3  # float or None, for the bar delegate


HEADERS = {
    ExecutorColumn.NAME: "Виконавець",
    ExecutorColumn.MEASURES: "Заходів",
    ExecutorColumn.REPORTED: "Подано",
    ExecutorColumn.NOT_REPORTED: "Не подано",
    ExecutorColumn.PERCENT: "Середній %",
    ExecutorColumn.LAST_REPORTED: "Дата подання",  # the latest save for the quarter
}
KINDS = {
    "council_department": "Виконавчий орган міської ради",
    "municipal_enterprise": "Комунальне підприємство чи заклад",
    "partner": "Партнер",
}
_NUMBER_ALIGNMENT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def format_percent(percent: float | None) -> str:
    return "—" if percent is None else percent_text(percent)


class ExecutorTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[ExecutorProgress] = []

    def set_rows(self, rows: list[ExecutorProgress]) -> None:
        """Full reload: a new quarter or fresh numbers after edits."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> tuple[ExecutorProgress, ...]:
        return tuple(self._rows)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ExecutorColumn) - 1)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(ExecutorColumn)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(ExecutorColumn):
            return None
        column = ExecutorColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            # the figures' titles in two lines: in one, «Дата подання» and «Не подано» made their columns wide for a
            # number or a date, and the departments' names were cut to «Відділ з питань на…» at 1366×768
            return tr(HEADERS[column]) if column is ExecutorColumn.NAME else tr(HEADERS[column]).replace(" ", "\n", 1)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr(HEADERS[column])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            return int(left if column is ExecutorColumn.NAME else Qt.AlignmentFlag.AlignCenter)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = ExecutorColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is ExecutorColumn.NAME:
                return row.name
            if column is ExecutorColumn.PERCENT:
                return format_percent(row.rollup.percent)
            if column is ExecutorColumn.LAST_REPORTED:
                return row.last_reported.strftime("%d.%m.%Y") if row.last_reported else "—"
            return str(self._number(row, column))
        if role == ExecutorRole.SORT:
            if column is ExecutorColumn.NAME:
                return ukrainian_sort_key(row.name)
            if column is ExecutorColumn.PERCENT:
                # departments whose every measure lost relevance sort below 0 %
                return -1.0 if row.rollup.percent is None else float(row.rollup.percent)
            if column is ExecutorColumn.LAST_REPORTED:  # never reported sorts first: the ones to call
                return row.last_reported.timestamp() if row.last_reported else 0.0
            return self._number(row, column)
        if role == ExecutorRole.EXECUTOR_ID:
            return row.executor_id
        if role == ExecutorRole.PERCENT and column is ExecutorColumn.PERCENT:
            return row.rollup.percent
        if role == Qt.ItemDataRole.TextAlignmentRole and column is not ExecutorColumn.NAME:
            return _NUMBER_ALIGNMENT
        if role == Qt.ItemDataRole.ForegroundRole and column is ExecutorColumn.NOT_REPORTED and row.not_reported:
            return QColor(scheme().warning)
        if role == Qt.ItemDataRole.ToolTipRole and column is ExecutorColumn.NAME:
            return self._tooltip(row)
        return None

    @staticmethod
    def _number(row: ExecutorProgress, column: ExecutorColumn) -> int:
        return {ExecutorColumn.MEASURES: row.measures, ExecutorColumn.REPORTED: row.reported,
                ExecutorColumn.NOT_REPORTED: row.not_reported}[column]

    @staticmethod
    def _tooltip(row: ExecutorProgress) -> str:
        kind = tr(KINDS[row.kind]) if row.kind in KINDS else row.kind
        short = f" ({escape(row.short_name)})" if row.short_name and row.short_name != row.name else ""
        return f"<b>{escape(row.name)}</b>{short}<br>{escape(kind)}"
