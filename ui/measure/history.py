"""A measure's history: every quarter's record and every change (when, who, what, from where)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.plan.versions import absent_in, measure_absences
from tracker.progress import fields
from tracker.progress.records import author_of, measure_history, measure_records, with_login
from tracker.quarters import Quarter

from ..colors import scheme
from ..i18n import quarter_label, tr


class SharedColumns(QObject):
    """A table's columns share its width: each its text's width while they fit, else in proportion to it.

    So the history fits the panel beside the tree at 1366×768 without scrolling sideways; a cut text
    ends in «…» and its tooltip holds it whole.
    """

    LEAST = 48

    def __init__(self, table: QTableWidget, give_way: tuple[int, ...] = (), whole: tuple[int, ...] = (),
                 then: tuple[int, ...] = ()):
        super().__init__(table)
        self.table = table
        self.give_way = give_way  # hidden in this order on a narrow panel (every row's tooltip holds them)
        self.whole = whole  # never cut while the others can give way: «IV к…» hid the year of a quarter
        # hidden after those, in this order, only when the whole ones would be cut beside the rest at their least: on
        # the narrowest panel «Профінанс…» was cut for «Хто» at 48 pixels («Оле…»)
        self.then = then
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a centred title was cut at both ends: «иконанн»
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.viewport().installEventFilter(self)

    def fit(self) -> None:
        table, header = self.table, self.table.horizontalHeader()
        room = table.viewport().width()
        for column in range(table.columnCount()):
            header.setSectionHidden(column, False)
        wanted = {c: max(table.sizeHintForColumn(c), header.sectionSizeHint(c), self.LEAST)
                  for c in range(table.columnCount())}
        for column in self.give_way:  # rather than squeeze every column to a few letters
            if sum(wanted.values()) <= room * 1.4:
                break
            header.setSectionHidden(column, True)
            del wanted[column]
        for column in [c for c in self.give_way if c in wanted] + list(self.then):  # those left to give way first
            if sum(w for c, w in wanted.items() if c in self.whole) + self.LEAST * sum(
                    c not in self.whole for c in wanted) <= room:
                break
            header.setSectionHidden(column, True)
            del wanted[column]
        columns, wanted = list(wanted), list(wanted.values())
        total = sum(wanted) or 1
        kept = [c in self.whole for c in columns]
        if total <= room:  # everything fits: the last column takes what is left
            widths = wanted[:-1] + [wanted[-1] + room - total]
        else:  # the whole ones keep their width (while the rest keep their least), the rest share what is left
            whole = sum(w for w, k in zip(wanted, kept) if k)
            rest_room = max(room - whole, self.LEAST * kept.count(False))
            rest = (total - whole) or 1
            widths = [want if keep else max(self.LEAST, want * rest_room // rest) for want, keep in zip(wanted, kept)]
            overflow = sum(widths) - room  # the least widths may add up past the room: the widest give it back
            while overflow > 0:
                giving = [i for i, keep in enumerate(kept) if not keep and widths[i] > self.LEAST] or range(len(widths))
                widest = max(giving, key=widths.__getitem__)
                taken = min(overflow, widths[widest] - self.LEAST)
                if taken <= 0:
                    break
                widths[widest] -= taken
                overflow -= taken
        for column, width in zip(columns, widths):
            header.resizeSection(column, width)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False


def _table(columns: int, give_way: tuple[int, ...], whole: tuple[int, ...] = (0,),
           then: tuple[int, ...] = ()) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    # a line of text a row, as the overview's table: the style's default row held two at 125 %, and the panel two
    # records and four changes at 1366×768
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setWordWrap(False)
    table.columns = SharedColumns(table, give_way, whole, then)
    return table


class HistoryView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.records_label = QLabel(self)
        # who, then when, give way; the quarter, the status and the percent are never cut while they can
        self.records_table = _table(5, give_way=(4, 3), whole=(0, 1, 2))
        self.records_table.setObjectName("recordsTable")
        self.changes_label = QLabel(self)
        # from where, then when, give way (and who, on the narrowest panel); the quarter and the field (in a word:
        # «Інформа…» was cut) are never cut
        self.changes_table = _table(6, give_way=(5, 4), whole=(0, 1), then=(3,))
        self.changes_table.setObjectName("changesTable")
        # the row the keyboard is on, whole: on a narrow panel «Хто» was «Пет…» and «Коли», «Звідки» hidden, the
        # whole row only in the mouse's tooltip — Петренко and Петров could not be told apart from the keyboard
        self.row_label = QLabel(self)
        self.row_label.setObjectName("historyRow")
        self.row_label.setWordWrap(True)
        self.row_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                               | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.row_label.hide()
        # a measure nobody has reported on: said, not two empty tables
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("historyEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        for table in (self.records_table, self.changes_table):
            table.currentCellChanged.connect(lambda row, _c, _r, _pc, table=table: self._say_row(table, row))
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.records_label)
        layout.addWidget(self.records_table, 1)
        layout.addWidget(self.changes_label)
        layout.addWidget(self.changes_table, 2)
        layout.addWidget(self.row_label)
        self._measure_id: int | None = None
        self._filled = False  # the tables hold the measure's history as last read
        self.retranslate()

    def show_measure(self, measure_id: int | None) -> None:
        """Show this measure's history — read now when the tab is on the screen, else when it is next shown: a save
        or another measure chosen with the form in front does not wait for a history it does not show (~25 ms)."""
        self._measure_id = measure_id
        self._filled = False
        if self.isVisible():
            self._fill()

    def showEvent(self, event) -> None:
        if not self._filled:
            self._fill()
        super().showEvent(event)

    def _say_row(self, table: QTableWidget, row: int) -> None:
        """The current row of a table whole, under the tables (its cells' tooltip, on one line a field)."""
        item = table.item(row, 0) if row >= 0 else None
        self.row_label.setText(item.toolTip().replace("\n\n", "\n") if item is not None else "")
        self.row_label.setVisible(item is not None)

    def _fill(self) -> None:
        measure_id = self._measure_id
        self._filled = True
        self.row_label.hide()
        self.empty_label.hide()
        self.records_table.setRowCount(0)
        self.changes_table.setRowCount(0)
        if measure_id is None:
            return
        records = measure_records(measure_id)
        changes = measure_history(measure_id)
        gaps = measure_absences(measure_id)

        def when(year: int, number: int) -> str:  # a quarter the measure was out of the plan: said, its rows too
            quarter = Quarter(year, number)
            return quarter_label(quarter) + (" " + tr("(поза планом)") if absent_in(gaps, quarter.index) else "")

        self.empty_label.setVisible(not records and not changes)
        # the login beside the name, as the changes say it: the name is what the person typed in the settings
        logins = {(c.year, c.quarter, c.changed_by): c.login for c in changes if c.applied}
        self.records_table.setRowCount(len(records))
        for row, record in enumerate(reversed(records)):
            who = with_login(record.updated_by, logins.get((record.year, record.quarter, record.updated_by), ""))
            cells = [when(record.year, record.quarter), fields.STATUS.show(record.status),
                     fields.PERCENT.show(record.percent), record.updated_at.strftime("%d.%m.%Y %H:%M"), who]
            self._fill_row(self.records_table, row, cells)
        self.changes_table.setRowCount(len(changes))
        for row, change in enumerate(reversed(changes)):
            values = f"{fields.show(change.field, change.old_value)} → {fields.show(change.field, change.new_value)}"
            if not change.applied:  # a package's change the record does not hold: a conflict, or one replaced
                values += " " + tr("(не застосовано)")
            cells = [when(change.year, change.quarter), fields.word(change.field), values,
                     author_of(change), change.changed_at.strftime("%d.%m.%Y %H:%M"), change.origin]
            said = cells[:1] + [fields.label(change.field)] + cells[2:]  # the row said whole: the field's full name
            self._fill_row(self.changes_table, row, cells, unapplied=not change.applied, said=said)
        self.records_table.columns.fit()
        self.changes_table.columns.fit()

    @staticmethod
    def _fill_row(table: QTableWidget, row: int, cells: list[str], unapplied: bool = False,
                  said: list[str] | None = None) -> None:
        """Each cell's tooltip is the whole row (``said``, when a cell is shorter than what it says): a column cut
        short or hidden on a narrow panel is still there.

        ``unapplied``: a change that came in a package and is not the record's value — the other side of a conflict,
        or a change another replaced. It read as one applied: it is said so, in italics and the muted colour."""
        headers = [table.horizontalHeaderItem(c).toolTip() or table.horizontalHeaderItem(c).text()
                   for c in range(table.columnCount())]  # a title short for its column says its name in its tooltip
        whole = "\n".join(f"{header}: {text}" for header, text in zip(headers, said or cells) if text)
        if unapplied:
            whole += "\n\n" + tr("Цю зміну отримано з пакета, але значенням запису вона не стала: це інший бік "
                                  "конфлікту (Файл → Конфлікти обміну…) або зміна, яку замінила інша.")
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(whole)
            if unapplied:
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
                item.setForeground(QColor(scheme(table.palette()).muted))
            table.setItem(row, column, item)

    def retranslate(self) -> None:
        self.empty_label.setText(tr("Звіту про цей захід ще не подано за жоден квартал: записів і змін немає."))
        self.records_label.setText(tr("Записи за квартали"))
        self.records_table.setHorizontalHeaderLabels([tr("Квартал"), tr("Стан"), "%", tr("Оновлено"), tr("Хто")])
        # the percent's title is its sign: «Виконання» over «40 %» took the room «Виконується» was cut for («Вико…»)
        self.records_table.horizontalHeaderItem(2).setToolTip(tr("Виконання, %"))
        self.changes_label.setText(tr("Усі зміни"))
        self.changes_table.setHorizontalHeaderLabels([tr("Квартал"), tr("Поле"), tr("Було → стало"), tr("Хто"), tr("Коли"), tr("Звідки")])
        self.show_measure(self._measure_id)
