"""The row of filters above the tree: department, status, funding source and free-text search."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

from tracker.progress.filters import NOT_REPORTED_FILTER, MeasureFilter
from tracker.progress.status import Status

from ..i18n import tr

SEARCH_HINT_SHOWN = 14  # letters of the search box's hint it always has room for: «Пошук: код або»


class ElidedComboBox(QComboBox):
    """A combo that ends a choice too long for it in «…», as the tree's cells do: Qt's styles cut it mid-word with
    nothing to say so («Не подано за цей к», «Вищі навчальні зак» at 1366×768); the open list shows it whole."""

    shown = ""  # the text last painted, as the person sees it

    def paintEvent(self, event) -> None:  # QComboBox::paintEvent, the label's text elided to its room
        painter = QStylePainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self).width() - 2
        if not option.currentIcon.isNull():
            room -= option.iconSize.width() + 4
        option.currentText = self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideRight, room)
        self.shown = option.currentText
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class FilterBar(QWidget):
    changed = Signal(object)  # MeasureFilter
    resultsRequested = Signal()  # ↓ or Enter in the search box: on to the measures found

    def __init__(self, parent=None):
        super().__init__(parent)
        self.executor_combo = ElidedComboBox(self)
        self.executor_combo.setObjectName("departmentFilter")
        self.status_combo = ElidedComboBox(self)
        self.status_combo.setObjectName("statusFilter")
        self.funding_combo = ElidedComboBox(self)
        self.funding_combo.setObjectName("fundingFilter")
        # the combos share the row's width and shrink with the window (a long name is elided, and
        # shown whole in the open list), so a laptop screen at 125 % still fits the whole window
        for combo, letters in ((self.executor_combo, 12), (self.status_combo, 8), (self.funding_combo, 8)):
            combo.setMinimumContentsLength(letters)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("matchCount")
        self._executors: list[tuple[int, str]] = []
        self._funding: list[str] = []

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        # the search box gets the most room: its hint says what it looks through, and at 125 % on a laptop it was
        # cut off («Пошук за кодом або те…») while «Усі виконавці» had room to spare
        layout.addWidget(self.executor_combo, 2)
        layout.addWidget(self.status_combo, 2)
        layout.addWidget(self.funding_combo, 2)
        layout.addWidget(self.search_edit, 4)
        layout.addWidget(self.count_label)

        # Typing waits a moment so that each keystroke does not refilter the tree.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._emit)
        self.search_edit.textChanged.connect(self._search_timer.start)
        for combo in (self.executor_combo, self.status_combo, self.funding_combo):
            combo.currentIndexChanged.connect(self._emit)
        self.retranslate()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._emit()  # the filter as typed so far, without waiting for the pause
            self.resultsRequested.emit()
            return True
        if (watched is self.search_edit and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Escape and self.search_edit.text()):
            self.search_edit.clear()  # as a search box does; the clear button was the mouse's only
            self._emit()
            return True
        return super().eventFilter(watched, event)

    def set_choices(self, executors: list[tuple[int, str]], funding: list[str]) -> None:
        current = self.current_filter()
        self._executors, self._funding = executors, funding
        self._fill_executors()
        self._fill_funding()
        self.set_executor(current.executor_id)
        index = self.funding_combo.findData(current.funding)
        self.funding_combo.setCurrentIndex(max(index, 0))

    def _fill_executors(self) -> None:
        self.executor_combo.blockSignals(True)
        self.executor_combo.clear()
        self.executor_combo.addItem(tr("Усі виконавці"), None)
        for executor_id, name in self._executors:
            self.executor_combo.addItem(name, executor_id)
            self.executor_combo.setItemData(self.executor_combo.count() - 1, name, 3)  # tooltip
        self.executor_combo.blockSignals(False)

    def _fill_funding(self) -> None:
        self.funding_combo.blockSignals(True)
        self.funding_combo.clear()
        self.funding_combo.addItem(tr("Усі джерела"), None)  # the combo's tooltip says of what
        for name in self._funding:
            self.funding_combo.addItem(name, name)
        self.funding_combo.blockSignals(False)

    def retranslate(self) -> None:
        current = self.current_filter() if self.status_combo.count() else MeasureFilter()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        self.status_combo.addItem(tr("Усі стани"), None)
        for status in Status:
            self.status_combo.addItem(tr(status.label), status.value)
        self.status_combo.addItem(tr("Не подано за цей квартал"), NOT_REPORTED_FILTER)
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(current.status), 0))
        self.status_combo.blockSignals(False)
        if self.executor_combo.count():
            self.executor_combo.setItemText(0, tr("Усі виконавці"))
            self.funding_combo.setItemText(0, tr("Усі джерела"))
        self.search_edit.setPlaceholderText(tr("Пошук: код або текст"))
        # never so narrow that its hint goes («П…» with the tree's pane dragged narrow): its first words, the clear
        # button beside them
        hint = self.search_edit.placeholderText()
        self.search_edit.setMinimumWidth(self.search_edit.fontMetrics().horizontalAdvance(hint[:SEARCH_HINT_SHOWN])
                                         + self.search_edit.sizeHint().height() + 12)
        self.search_edit.setToolTip(tr("Пошук заходів за кодом або текстом (Ctrl+F); ↓ або Enter — до знайдених"))
        for combo, what in self._what_combos_filter():
            combo.setAccessibleName(what)
        self._say_choices()

    def _what_combos_filter(self):
        return ((self.executor_combo, tr("Відповідальний виконавець")), (self.status_combo, tr("Стан за квартал")),
                (self.funding_combo, tr("Джерело фінансування")))

    def _say_choices(self) -> None:
        """Each combo's tooltip: what it filters, and the choice whole — a long department's name is cut in the
        combo at 125 % («Вищі навчальні зак»)."""
        for combo, what in self._what_combos_filter():
            combo.setToolTip(f"{what}: {combo.currentText()}" if combo.currentIndex() > 0 else what)

    def set_executor(self, executor_id: int | None) -> None:
        index = self.executor_combo.findData(executor_id) if executor_id is not None else 0
        self.executor_combo.setCurrentIndex(max(index, 0))

    def executor_name(self, executor_id: int | None) -> str:
        return next((name for i, name in self._executors if i == executor_id), "")

    def set_count(self, shown: int, total: int, removed: int = 0) -> None:
        # as wide as the count can get for this plan: the search box beside it keeps its width as a search narrows
        # «233 з 233» to «1 з 233» (the row shifted at each keystroke)
        widest = tr("Заходів: {shown} з {total}", shown=total, total=total)
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance(widest))
        text = tr("Заходів: {shown} з {total}", shown=shown, total=total)
        # the removed ones shown are not in the count: «232 з 232» stood above a removed measure's row — said short (the
        # search box beside it is narrow on a laptop), whole in the tooltip
        self.count_label.setText(text + (" " + tr("+{count} викл.", count=removed) if removed else ""))
        self.count_label.setToolTip(tr("Показано й заходи, виключені з плану на цей квартал: {count}. У кількості їх "
                                       "не враховано.", count=removed) if removed else "")

    def current_filter(self) -> MeasureFilter:
        return MeasureFilter(
            executor_id=self.executor_combo.currentData(),
            status=self.status_combo.currentData(),
            funding=self.funding_combo.currentData(),
            text=self.search_edit.text(),
        )

    def _emit(self) -> None:
        self._search_timer.stop()
        self._say_choices()
        self.changed.emit(self.current_filter())

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()
