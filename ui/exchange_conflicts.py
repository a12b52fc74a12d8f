"""Conflicts from exchange packages: both values, who and when; keep ours, take theirs, or type one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from tracker.errors import TrackerError
from tracker.exchange import list_conflicts, resolve_conflict

from .field_values import field_value_text
from .history_view import FIELD_LABELS
from .i18n import quarter_label, tr


def _side(field: str, side) -> str:
    when = side.at.strftime("%d.%m.%Y %H:%M") if side.at else ""
    who = ", ".join(p for p in (side.by, side.device, when) if p)
    return f"{field_value_text(field, side.value)}  ({who})" if who else field_value_text(field, side.value)


class ConflictsDialog(QDialog):
    """Lists open conflicts; each resolution is written at once and travels with the next package."""

    def __init__(self, author: str, parent=None):
        super().__init__(parent)
        self.author = author
        self.setWindowTitle(tr("Конфлікти обміну"))
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("conflictsTable")
        self.table.setHorizontalHeaderLabels([tr("Захід"), tr("Квартал"), tr("Поле"), tr("Тут (своє)"),
                                              tr("З пакета (вхідне)")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.keep_button = QPushButton(tr("Залишити своє"), self)
        self.take_button = QPushButton(tr("Взяти вхідне"), self)
        self.value_button = QPushButton(tr("Ввести інше значення…"), self)
        self.close_button = QPushButton(tr("Закрити"), self)
        self.keep_button.clicked.connect(lambda: self.resolve_selected("local"))
        self.take_button.clicked.connect(lambda: self.resolve_selected("incoming"))
        self.value_button.clicked.connect(self._type_value)
        self.close_button.clicked.connect(self.accept)
        self.summary = QLabel(self)
        buttons = QHBoxLayout()
        for button in (self.keep_button, self.take_button, self.value_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.resize(1000, 480)
        self.resolved = 0
        self.refresh()

    def refresh(self) -> None:
        self.conflicts = list_conflicts()
        self.table.setRowCount(len(self.conflicts))
        for row, conflict in enumerate(self.conflicts):
            cells = [conflict.measure_code, quarter_label(conflict.quarter),
                     tr(FIELD_LABELS.get(conflict.field, conflict.field)),
                     _side(conflict.field, conflict.local), _side(conflict.field, conflict.incoming)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{conflict.measure_code} {conflict.measure_title}\n{text}"
                                + (f"\n{conflict.reason}" if conflict.reason else ""))
                self.table.setItem(row, column, item)
        if self.conflicts:
            self.table.selectRow(0)
        self.summary.setText(tr("Нерозв'язаних конфліктів: {count}. Значення, змінені на обох пристроях після "
                                "спільної версії, не записано автоматично — оберіть, яке залишити.",
                                count=len(self.conflicts)))
        for button in (self.keep_button, self.take_button, self.value_button):
            button.setEnabled(bool(self.conflicts))

    def _selected(self):
        row = self.table.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def resolve_selected(self, choice: str, value=None) -> bool:
        conflict = self._selected()
        if conflict is None:
            return False
        try:
            resolve_conflict(conflict.id, choice, value, author=self.author)
        except TrackerError as exc:
            QMessageBox.warning(self, tr("Конфлікти обміну"), str(exc))
            return False
        self.resolved += 1
        self.refresh()
        return True

    def _type_value(self) -> None:
        conflict = self._selected()
        if conflict is None:
            return
        text, accepted = QInputDialog.getText(self, tr("Інше значення"),
                                              tr(FIELD_LABELS.get(conflict.field, conflict.field)) + ":",
                                              text=conflict.local.value or "")
        if accepted:
            self.resolve_selected("value", text)
