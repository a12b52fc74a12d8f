"""Conflicts from exchange packages: both values, who and when; keep ours, take theirs, or type one."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
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
from tracker.exchange.aside import (
    dismiss_set_aside,
    listed_lines,
    set_aside_changes,
    set_aside_line,
    set_aside_values,
)
from tracker.exchange.sync import (
    list_conflicts,
    out_of_plan_note,
    resolve_conflict,
)
from tracker.progress import fields

from .. import dialogs
from ..dialogs import resize_within_screen
from ..i18n import N_, quarter_label, tr
from ..operations import Operation

BOTH_CHANGED = N_("змінено і тут, і на іншому пристрої")


def _side(field: str, side) -> str:
    when = side.at.strftime("%d.%m.%Y %H:%M") if side.at else ""
    who = ", ".join(p for p in (side.by, side.device, when) if p)
    shown = fields.show(field, side.value)
    return f"{shown}  ({who})" if who else shown


def _typed(field: str, value: str | None) -> str:
    """A stored value as a person types it (decimal comma), for the value picker."""
    return fields.get(field).as_typed(value)


def value_choices(conflict) -> tuple[list[tuple[str, str]], bool]:
    """(shown text, value to write) for the picker, and whether another value may be typed.

    A status is one of the six; for any other field, the values in the conflict come first and
    the person may type another one.
    """
    field = fields.get(conflict.field)
    if field.kind is fields.Kind.CHOICE:
        return [(text, field.as_typed(value)) for text, value in field.choices()], False
    found: list[tuple[str, str]] = []
    for side in (conflict.local, conflict.incoming, *conflict.others):
        typed = _typed(conflict.field, side.value)
        if typed not in (v for _, v in found):
            found.append((typed, typed))
    return found, True


_ASIDE_SHOWN = 5  # values kept aside written under the table (the rest in its tooltip and the command line's list)


class ConflictsDialog(QDialog):
    """Lists open conflicts; each resolution is written at once and travels with the next package."""

    def __init__(self, operations, author: str, parent=None):
        super().__init__(parent)
        self.operations, self.author = operations, author
        self.setWindowTitle(tr("Конфлікти обміну"))
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("conflictsTable")
        self.table.setHorizontalHeaderLabels([tr("Захід"), tr("Квартал"), tr("Поле"), tr("Тут (своє)"),
                                              tr("З пакета (вхідне)"), tr("Чому не записано")])
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (3, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())  # wrapped text fits
        self.keep_button = QPushButton(tr("&Залишити своє"), self)
        self.take_button = QPushButton(tr("&Взяти вхідне"), self)
        self.value_button = QPushButton(tr("Ввести &інше значення…"), self)
        self.close_button = QPushButton(tr("Закрити"), self)
        self.keep_button.clicked.connect(lambda: self.resolve_selected("local"))
        self.take_button.clicked.connect(lambda: self.resolve_selected("incoming"))
        self.value_button.clicked.connect(self._type_value)
        self.close_button.clicked.connect(self.accept)
        self.summary = QLabel(self)
        # what packages brought for measures this plan lacks: not a conflict, but not in the records either
        self.set_aside = QLabel(self)
        self.set_aside.setObjectName("setAside")
        self.set_aside.setWordWrap(True)
        self.set_aside.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # to copy the values
        # entered by hand, or not wanted: off the list (kept in the database), asked first
        self.dismiss_button = QPushButton(tr("&Прибрати окремо збережені…"), self)
        self.dismiss_button.clicked.connect(self._dismiss_set_aside)
        buttons = QHBoxLayout()
        for button in (self.keep_button, self.take_button, self.value_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self.close_button)
        self.setTabOrder(self.dismiss_button, self.close_button)  # as they stand: it was made after «Закрити»
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(self.set_aside)
        layout.addLayout(buttons)
        resize_within_screen(self, 1000, 480)
        self.resolved = 0
        self.refresh()

    def refresh(self) -> None:
        self.conflicts = list_conflicts()
        self.table.setRowCount(len(self.conflicts))
        for row, conflict in enumerate(self.conflicts):
            incoming = "\n".join(_side(conflict.field, side) for side in (conflict.incoming, *conflict.others))
            why = conflict.reason or tr(BOTH_CHANGED)
            if not conflict.in_plan_then:
                why += "\n(" + out_of_plan_note(conflict) + ")"
            cells = [conflict.label.replace(" (", "\n(", 1), quarter_label(conflict.quarter),
                     fields.label(conflict.field), _side(conflict.field, conflict.local), incoming, why]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{conflict.label} {conflict.measure_title}\n{text}"
                                + (f"\n{conflict.reason}" if conflict.reason else ""))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        if self.conflicts:
            self.table.selectRow(0)
        self.summary.setText(tr("Нерозв'язаних конфліктів: {count}. Ці значення не записано автоматично — "
                                "оберіть, яке залишити. Рішення поїде до інших пристроїв з наступним пакетом.",
                                count=len(self.conflicts)) if self.conflicts else
                             tr("Нерозв'язаних конфліктів немає. Рішення поїдуть до інших пристроїв з наступним "
                                "пакетом."))
        for button in (self.keep_button, self.take_button, self.value_button):
            button.setEnabled(bool(self.conflicts))
        aside = set_aside_changes()
        if aside.count:
            listed = set_aside_values(aside.same_code)  # read once for the label and its tooltip
            shown = listed_lines(aside, _ASIDE_SHOWN, listed)
            self.set_aside.setText("\n".join([set_aside_line(aside), *("• " + line for line in shown)]))
            self.set_aside.setToolTip("\n".join(listed_lines(aside, 50, listed)))
        self.set_aside.setVisible(bool(aside.count))
        self.dismiss_button.setVisible(bool(aside.count))

    def _dismiss_set_aside(self) -> None:
        aside = set_aside_changes()
        if not aside.count or not dialogs.confirm(self, tr("Окремо збережені зміни"), tr(
                "Прибрати з переліку окремо збережені зміни ({count}, коди: {codes})? Робіть це, коли їхні значення "
                "вже внесено вручну або вони не потрібні: тоді їх не буде показано й застосовано, навіть коли захід "
                "з'явиться в плані. У базі вони лишаться.", count=aside.count, codes=", ".join(aside.codes[:10]))):
            return
        try:
            self.operations.run(Operation(lambda: dismiss_set_aside(None, self.author)))
        except TrackerError as exc:
            QMessageBox.warning(self, tr("Окремо збережені зміни"), str(exc))
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.table.resizeRowsToContents)  # once the columns have their real widths

    def _selected(self):
        row = self.table.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def resolve_selected(self, choice: str, value=None) -> bool:
        conflict = self._selected()
        if conflict is None:
            return False
        try:
            self.operations.run(Operation(lambda: resolve_conflict(conflict.id, choice, value, author=self.author)))
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
        choices, editable = value_choices(conflict)
        shown = [text for text, _ in choices]
        current = next((i for i, (_, v) in enumerate(choices)
                        if v == _typed(conflict.field, conflict.local.value)), 0)
        while True:
            text, accepted = QInputDialog.getItem(self, tr("Інше значення"),
                                                  fields.label(conflict.field) + ":",
                                                  shown, current, editable)
            if not accepted:
                return
            value = dict(choices).get(text, text)  # a status by its label; anything else as typed
            if self.resolve_selected("value", value):
                return
            if text not in shown:  # refused (said why): asked again with what was typed, to mend, not type anew
                shown = [text, *shown]
            current = shown.index(text)
