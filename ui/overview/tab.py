"""The monitoring group's overview of a quarter: counts by status, goal bars, departments."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.progress.overview import executor_progress, goal_progress
from tracker.progress.tree import PlanTree

from ..colors import scheme
from ..i18n import quarter_label, tr
from ..percent_bar import PercentCellDelegate
from .executor_model import ExecutorColumn, ExecutorRole, ExecutorTableModel, format_percent
from .goal_bars import GoalBars
from .status_counts import StatusCounts


def _heading(parent: QWidget, scale: float = 1.15) -> QLabel:
    label = QLabel(parent)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


class OverviewTab(QWidget):
    executorActivated = Signal(int)  # department id, on double-click or Enter in the table

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("overviewTab")
        self._tree: PlanTree | None = None

        self.title_label = _heading(self, 1.45)
        self.title_label.setObjectName("overviewTitle")
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("overviewSummary")
        self.summary_label.setStyleSheet(f"color: {scheme(self.palette()).muted};")
        self.status_counts = StatusCounts(self)

        self.goal_bars = GoalBars()
        self.goal_scroll = QScrollArea(self)
        self.goal_scroll.setObjectName("goalBarsScroll")
        self.goal_scroll.setWidget(self.goal_bars)
        # bars follow the width; below the bars' minimum the area scrolls rather than clipping
        self.goal_scroll.setWidgetResizable(True)
        self.goals_heading = _heading(self)

        self.executor_model = ExecutorTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.executor_model)
        self.proxy.setSortRole(ExecutorRole.SORT)
        self.proxy.setSortLocaleAware(False)  # names sort by tracker.text.ukrainian_sort_key: і, ї, є in place
        self.table = self._build_table()
        self.executors_heading = _heading(self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("overviewSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._column(self.goals_heading, self.goal_scroll))
        self.splitter.addWidget(self._column(self.executors_heading, self.table))
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        # department names are long, the figures beside them five columns; the bars read well narrower (at 1366×768
        # the names were cut to «Відділ з питань на…»)
        self.splitter.setSizes([500, 800])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.summary_label)
        layout.addSpacing(4)
        layout.addWidget(self.status_counts)
        layout.addSpacing(6)
        layout.addWidget(self.splitter, 1)
        self.retranslate()

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("departmentTable")
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.setItemDelegateForColumn(ExecutorColumn.PERCENT, PercentCellDelegate(ExecutorRole.PERCENT, table))
        header = table.horizontalHeader()
        header.setSectionResizeMode(ExecutorColumn.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (ExecutorColumn.MEASURES, ExecutorColumn.REPORTED, ExecutorColumn.NOT_REPORTED,
                       ExecutorColumn.LAST_REPORTED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ExecutorColumn.PERCENT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ExecutorColumn.PERCENT, 104)
        header.setHighlightSections(False)
        table.setSortingEnabled(True)
        # the late ones on top: that is who the monitoring group calls first
        table.sortByColumn(ExecutorColumn.NOT_REPORTED, Qt.SortOrder.DescendingOrder)
        # «activated» is the platform's gesture: double-click (or single click where that is the
        # convention) and Enter, without firing twice as doubleClicked + activated would
        table.activated.connect(self._on_activated)
        return table

    def _fit_table_minimum(self) -> None:
        """Keep room for department names: the splitter may not squeeze them out of sight."""
        header = self.table.horizontalHeader()
        numbers = sum(header.sectionSizeHint(c) for c in (ExecutorColumn.MEASURES, ExecutorColumn.REPORTED,
                                                         ExecutorColumn.NOT_REPORTED, ExecutorColumn.LAST_REPORTED))
        chrome = 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(numbers + header.sectionSize(ExecutorColumn.PERCENT) + 140 + chrome)

    def _column(self, heading: QLabel, body: QWidget) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(heading)
        layout.addWidget(body, 1)
        return box

    # -- data --------------------------------------------------------------------------------

    @property
    def tree(self) -> PlanTree | None:
        return self._tree

    def set_tree(self, tree: PlanTree) -> None:
        """Show the tree's quarter; call again after a quarter switch or edits."""
        self._tree = tree
        self.status_counts.set_rollup(tree.rollup)
        self.goal_bars.set_rows(goal_progress(tree))
        self.executor_model.set_rows(executor_progress(tree))
        self._set_texts()

    def executor_id_at(self, row: int) -> int | None:
        """The department shown on the table's ``row``, in the current sort order."""
        return self.proxy.index(row, 0).data(ExecutorRole.EXECUTOR_ID)

    def _on_activated(self, index) -> None:
        executor_id = index.siblingAtColumn(ExecutorColumn.NAME).data(ExecutorRole.EXECUTOR_ID)
        if executor_id is not None:
            self.executorActivated.emit(executor_id)

    # -- text --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self._set_texts()
        self.goals_heading.setText(tr("Виконання за цілями"))
        self.executors_heading.setText(tr("Виконавці"))
        self.status_counts.retranslate()
        self.goal_bars.retranslate()
        self.executor_model.retranslate()
        self._fit_table_minimum()

    def _set_texts(self) -> None:
        tree = self._tree
        if tree is None or tree.quarter is None:
            self.title_label.setText(tr("Огляд виконання"))
            self.summary_label.setText("")
            return
        self.title_label.setText(tr("Огляд виконання за {quarter}", quarter=quarter_label(tree.quarter)))
        rollup = tree.rollup
        self.summary_label.setText("   ·   ".join([
            tr("Заходів: {count}", count=rollup.measures),
            tr("подано за квартал: {count}", count=rollup.reported),
            tr("середній % виконання: {percent}", percent=format_percent(rollup.percent)),
        ]))
