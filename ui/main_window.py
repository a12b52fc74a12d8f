"""The main window: the plan tree for a quarter beside the selected measure's details."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QTreeView,
)

from tracker.models import Plan
from tracker.quarters import Quarter, current_quarter, plan_quarters
from tracker.tree import load_tree

from .delegates import PercentBarDelegate
from .detail_panel import DetailPanel
from .i18n import tr
from .plan_model import Column, PlanModel

_COLUMN_WIDTHS = {Column.CODE: 120, Column.TEXT: 420, Column.EXECUTORS: 230, Column.STATUS: 160, Column.PERCENT: 110}


class MainWindow(QMainWindow):
    def __init__(self, plan: Plan, settings: QSettings, database_label: str, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.settings = settings
        self.database_label = database_label
        self.setObjectName("mainWindow")
        self.resize(1400, 850)

        self.model = PlanModel(self)
        self.tree_view = QTreeView(self)
        self.tree_view.setObjectName("planTree")
        self.tree_view.setModel(self.model)
        self.tree_view.setUniformRowHeights(True)
        self.tree_view.setAlternatingRowColors(True)
        self.tree_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree_view.setItemDelegateForColumn(Column.PERCENT, PercentBarDelegate(self.tree_view))
        header = self.tree_view.header()
        header.setStretchLastSection(False)
        for column, width in _COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        self.tree_view.setIndentation(16)

        self.details = DetailPanel(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree_view)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1050, 350])
        self.setCentralWidget(self.splitter)

        self.quarter_label = QLabel(self)
        self.quarter_combo = QComboBox(self)
        self.quarter_combo.setObjectName("quarterCombo")
        for quarter in plan_quarters(plan.first_year, plan.last_year):
            self.quarter_combo.addItem(quarter.label, str(quarter))
        self.count_label = QLabel(self)
        toolbar = QToolBar(self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.quarter_label)
        toolbar.addWidget(self.quarter_combo)
        toolbar.addSeparator()
        toolbar.addWidget(self.count_label)
        self.addToolBar(toolbar)
        self.db_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.db_label)

        self._build_menus()
        self.tree_view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.quarter_combo.currentIndexChanged.connect(self._on_quarter_changed)

        self._set_quarter_combo(self._initial_quarter())
        self.reload()
        self.retranslate()
        self._restore_state()

    # -- building --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._show_about)
        self.help_menu.addAction(self.about_action)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Трекер Плану заходів Стратегії розвитку Луцької громади"))
        self.file_menu.setTitle(tr("&Файл"))
        self.quit_action.setText(tr("Ви&йти"))
        self.help_menu.setTitle(tr("&Довідка"))
        self.about_action.setText(tr("&Про програму"))
        self.quarter_label.setText(tr("Квартал:") + " ")
        self.count_label.setText(tr("Заходів: {count}", count=self.model.measure_count()))
        self.db_label.setText(tr("База даних: {path}", path=self.database_label))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        self.details.retranslate()

    # -- state -----------------------------------------------------------------------------

    def _initial_quarter(self) -> Quarter:
        saved = self.settings.value("view/quarter", "", str)
        quarters = plan_quarters(self.plan.first_year, self.plan.last_year)
        if saved:
            try:
                quarter = Quarter.parse(saved)
                if quarter in quarters:
                    return quarter
            except ValueError:
                pass
        return current_quarter(self.plan.first_year, self.plan.last_year)

    def _set_quarter_combo(self, quarter: Quarter) -> None:
        index = self.quarter_combo.findData(str(quarter))
        self.quarter_combo.blockSignals(True)
        self.quarter_combo.setCurrentIndex(max(index, 0))
        self.quarter_combo.blockSignals(False)

    @property
    def quarter(self) -> Quarter:
        return Quarter.parse(self.quarter_combo.currentData())

    def reload(self) -> None:
        """Load the plan as of the selected quarter; keeps the selected measure selected."""
        selected = self.details.measure.id if self.details.measure else None
        self.model.set_tree(load_tree(self.plan, self.quarter))
        self.tree_view.expandAll()
        if selected is not None:
            index = self.model.index_of_measure(selected)
            if index.isValid():
                self.tree_view.setCurrentIndex(index)
        else:
            self.details.show_measure(None)

    def _on_quarter_changed(self, _index: int) -> None:
        self.settings.setValue("view/quarter", str(self.quarter))
        self.reload()

    def _on_current_changed(self, current, _previous) -> None:
        self.details.show_measure(self.model.measure_at(current), self.quarter.label)

    def _show_about(self) -> None:
        QMessageBox.about(
            self, tr("Про програму"),
            tr("Трекер виконання Плану заходів із реалізації Стратегії розвитку Луцької міської "
               "територіальної громади до 2030 року на 2024–2027 роки.") + "\n\n"
            + tr("База даних: {path}", path=self.database_label))

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = self.settings.value("window/treeHeader")
        if header is not None:
            self.tree_view.header().restoreState(header)

    def closeEvent(self, event) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/treeHeader", self.tree_view.header().saveState())
        self.settings.sync()
        super().closeEvent(event)
