"""Звіт → Імпорт заповненого звіту…: a preview of every change and problem, written only on confirm."""

from __future__ import annotations

from textwrap import fill

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from tracker.progress import fields
from tracker.text import around_the_change, one_line

from ..colors import scheme
from ..dialogs import resize_within_screen
from ..i18n import quarter_label, tr


SHOWN = 70  # characters of a long «was» and «will be» in their cells
TIP = 1200  # and in their tooltips, in lines of TIP_LINE: a 5,000-character note's was taller than the screen
TIP_LINE = 100


def _table(headers: list[str], rows: list[list[str]], tips: list[list[str]] | None = None) -> QTableWidget:
    """A read-only table of ``rows``; each cell's tooltip its text, or its own in ``tips`` (a row's, where given)."""
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(tips[row][column] if tips else text)
            table.setItem(row, column, item)
    return table


def _change_cells(origin: str, change) -> tuple[list[str], list[str]]:
    """A change's cells and their tooltips: a long note's «was» and «will be» from a little before where they
    differ, in both (the same beginning twice hid a part taken out of the middle)."""
    old, new = change.before(), change.after()
    head = [origin, str(change.row), change.code, fields.label(change.field)]
    sizes = change.sizes(SHOWN)
    tips = ["\n".join(fill(line, TIP_LINE) for line in text.split("\n")) for text in around_the_change(old, new, TIP)]
    if sizes:
        tips[1] += "\n\n" + sizes
    shown = [one_line(text) for text in around_the_change(old, new, SHOWN)]
    return head + [shown[0], shown[1] + (f" ({sizes})" if sizes else "")], head + tips


class ImportPreviewDialog(QDialog):
    """Shows a tracker.report.batch.BatchPreview (one file or many); accepted means «write these changes»."""

    def __init__(self, batch, parent=None):
        super().__init__(parent)
        self.batch = batch
        self.setWindowTitle(tr("Імпорт заповненого звіту"))
        problems = [[p.file_name, str(problem.row) if problem.row else "—", problem.message]
                    for p in batch.previews for problem in p.problems]
        problems += [[r.file_name, "—", r.message] for r in batch.refused]
        problems += [[", ".join(c.files), "—", c.message] for c in batch.clashes]
        counted = len(problems)  # the files skipped are named below them, not counted as problems
        problems += [[r.file_name, "—", r.message] for r in batch.skipped]
        shown = [_change_cells(origin, c) for origin, measure_changes in batch.writes.values()
                 for c in measure_changes]
        changes = [cells for cells, _ in shown]
        self.summary = QLabel(self._summary(batch, len(changes), counted), self)
        self.summary.setWordWrap(True)
        self.changes_table = _table([tr("Файл"), tr("Рядок"), tr("Захід"), tr("Поле"), tr("Було"), tr("Стане")],
                                    changes, [tips for _, tips in shown])
        self.changes_table.setObjectName("importChanges")
        self.problems_table = _table([tr("Файл"), tr("Рядок"), tr("Проблема")], problems)
        self.problems_table.setObjectName("importProblems")
        # each problem read whole, in as many lines as it takes: cut at two lines, the rest (what to do) was only in a
        # mouse's tooltip
        self.problems_table.setWordWrap(True)
        self.problems_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = self.buttons.addButton(tr("Записати зміни"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(bool(batch.writes))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(tr("Що буде записано:"), self))
        layout.addWidget(self.changes_table, 3)
        layout.addWidget(QLabel(tr("Проблеми (ці рядки не буде записано):"), self))
        layout.addWidget(self.problems_table, 2)
        note = QLabel(tr("Нічого не записано, доки ви не натиснете «Записати зміни»."), self)
        note.setStyleSheet(f"color: {scheme(self.palette()).muted};")
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        resize_within_screen(self, 900, 600)  # 600 was taller than 1366×768 at 125 % left above the taskbar

    @staticmethod
    def _summary(batch, changes: int, problems: int) -> str:
        if len(batch.previews) == 1 and not batch.refused:
            preview = batch.previews[0]
            text = tr("Файл «{name}»: звіт за {quarter}.", name=preview.file_name,
                      quarter=quarter_label(preview.quarter))
            if preview.executor:
                text += " " + tr("Відповідальний виконавець: {name}.", name=preview.executor)
        else:
            text = tr("Файлів: {files} (прочитано: {read}).", files=len(batch.previews) + len(batch.refused),
                      read=len(batch.previews))
        return text + "\n" + tr("Змін: {changes} (заходів: {measures}); проблем: {problems}.",
                                 changes=changes, measures=batch.measures, problems=problems)
