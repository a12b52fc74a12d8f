"""The main window: filters and the plan tree, the measure panel, the overview, menus and state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from tracker.errors import ConflictError, TrackerError
from tracker.exchange.aside import set_aside_count
from tracker.exchange.sync import list_conflicts
from tracker.plan.executors import funding_source_names, responsible_executors
from tracker.plan.store import current_plan
from tracker.progress.records import record_author
from tracker.progress.rules import differs
from tracker.progress.tree import PlanTree, load_tree, refresh_states, restate, scoped_rollups, shows_same_plan
from tracker.quarters import Quarter, plan_quarters
from tracker.storage.failures import CommitUnknown, database_errors
from tracker.storage.file_identity import FileReplaced
from tracker.storage.write_gate import open_file_found_damaged

from . import background, dialogs
from .colors import scheme
from .database.actions import DatabaseActions
from .exchange.actions import ExchangeActions
from .i18n import quarter_label, set_language, tr
from .main_menus import MainMenus
from .measure.controller import ProgressController
from .measure.panel import MeasurePanel
from .measure.unsaved import UnsavedKeeper
from .measure.versions_dialog import ConflictDialog
from .one_window import OneWindow
from .operations import Changes, Operations
from .overview.tab import OverviewTab
from .people.actions import PeopleActions
from .plan_changes.actions import PlanChangeActions
from .plan_tree.columns import ColumnFitter
from .plan_tree.delegates import PercentBarDelegate
from .plan_tree.filter_bar import FilterBar
from .plan_tree.model import Column, PlanModel, legend
from .plan_tree.navigation import TreeNavigation
from .plan_tree.shown import ShownRows
from .plan_tree.view import PlanTreeView
from .plan_view import first_tree, quarter_shown, save_quarter, saved_quarter, shows_removed
from .report.actions import ReportActions
from .watch import OthersWatch

DEFAULT_SIZE = QSize(1500, 900)  # on a large screen; a smaller one gets what it has room for
FRAME = QSize(16, 40)  # the window manager's borders and title bar, not part of the window's geometry


def fit_geometry(available: QRect, wanted: QRect, frame: QSize = FRAME) -> QRect:
    """``wanted`` (the client area) moved and shrunk so that the window with its frame is inside ``available``."""
    width = max(1, min(wanted.width(), available.width() - frame.width()))
    height = max(1, min(wanted.height(), available.height() - frame.height()))
    x = min(max(wanted.x(), available.x() + frame.width() // 2),
            available.x() + available.width() - width - frame.width() // 2)
    y = min(max(wanted.y(), available.y() + frame.height() - frame.width() // 2),
            available.y() + available.height() - height - frame.width() // 2)
    return QRect(x, y, width, height)


class MainWindow(QMainWindow):
    def __init__(self, plan, settings: QSettings, database_label: str, author: str = "", parent=None,
                 tree: PlanTree | None = None):
        """``tree``: the plan's first tree, read already (first_tree); read here when not given."""
        super().__init__(parent)
        self.plan = plan
        self.settings = settings
        self.database_label = database_label
        self.setObjectName("mainWindow")
        self.resize(DEFAULT_SIZE)
        self.operations = Operations(self)  # every change the window makes goes through it
        self.watch = OthersWatch(self)  # and what other programs write is shown (started by ui.app.run)
        self.one_window: OneWindow | None = None  # the program started again on this database shows this window
        self.controller = ProgressController(self.operations, settings.value("user/name", "", str) or author, self)

        self.model = PlanModel(self)
        self.tree_view = self._make_tree_view()
        self.rows = ShownRows(self.tree_view, self.model)  # the view shows the model; a filter hides rows in it
        self.column_fitter = ColumnFitter(self.tree_view)  # after: the window filters the view's events
        self.filter_bar = FilterBar(self)
        self.panel = MeasurePanel(self)
        self.navigation = TreeNavigation(self)  # the tree's cursor and the form's measure, moved as one
        self.overview = OverviewTab(self)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.tree_view)
        self.scope_label = QLabel(self)  # what the goals' counts cover, and what their symbols mean
        self.scope_label.setObjectName("scopeLegend")
        self.scope_label.setWordWrap(True)
        self.scope_label.setStyleSheet(f"color: {scheme(self.palette()).muted};")
        left_layout.addWidget(self.scope_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.panel)
        for pane in (0, 1):  # neither the tree nor the form is dragged out of sight, nor remembered so
            self.splitter.setCollapsible(pane, False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([980, 520])
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.addTab(self.splitter, "")
        self.tabs.addTab(self.overview, "")
        self._overview_stale = None  # a tree the overview has not shown yet: it is shown when its tab is
        self.tabs.currentChanged.connect(self._overview_shown)
        self.setCentralWidget(self.tabs)

        self.quarter_label = QLabel(self)
        self.quarter_combo = QComboBox(self)
        self.quarter_combo.setObjectName("quarterCombo")
        self.quarter_label.setBuddy(self.quarter_combo)  # Alt+К: the quarter from the keyboard, as the form's fields
        toolbar = QToolBar(self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.quarter_label)
        toolbar.addWidget(self.quarter_combo)
        self.addToolBar(toolbar)
        # Tab as a coordinator goes: the quarter, the filters and the search, then the measures they leave (the tree,
        # made first, came right after the quarter, before the filters that choose what it shows)
        chain = [self.quarter_combo, self.filter_bar.executor_combo, self.filter_bar.status_combo,
                 self.filter_bar.funding_combo, self.filter_bar.search_edit, self.tree_view]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)
        self.user_label = QLabel(self)
        self.db_label = QLabel(self)
        # open exchange conflicts are never out of sight: a button in the status bar opens them
        self.conflicts_button = QPushButton(self)
        self.conflicts_button.setObjectName("conflictsButton")
        self.conflicts_button.setFlat(True)
        self.conflicts_button.setStyleSheet(f"color: {scheme(self.palette()).warning}; font-weight: bold;")
        self.conflicts_button.hide()
        self.statusBar().addPermanentWidget(self.conflicts_button)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.db_label)
        # a message longer than the room beside the labels is cut («…конфліктів» lost its number): whole under the mouse
        self.statusBar().messageChanged.connect(lambda text: self.statusBar().setToolTip(text))
        self.database = DatabaseActions(self)
        self.exchange = ExchangeActions(self)
        self.reports = ReportActions(self)
        self.plan_changes = PlanChangeActions(self)
        self.people = PeopleActions(self)
        self.unsaved = UnsavedKeeper(self)  # the form's changes kept through a blackout, offered back (offer)
        self.menus = MainMenus(self)
        self.conflicts_button.clicked.connect(self.exchange.show_conflicts)

        self.tree_view.activated.connect(lambda _index: self.panel.start_editing())
        self.quarter_combo.currentIndexChanged.connect(self._on_quarter_changed)
        self.filter_bar.changed.connect(self._on_filter_changed)
        self.filter_bar.resultsRequested.connect(self.navigation.go_to_results)
        self.panel.editor.saveRequested.connect(self.save_current)
        self.panel.editor.dirtyChanged.connect(self._on_dirty_changed)
        self.panel.editor.problemChanged.connect(self._on_problem_changed)
        self.operations.changed.connect(self._on_changed)
        self.controller.undoAvailable.connect(self.menus.undo_action.setEnabled)
        self.controller.redoAvailable.connect(self.menus.redo_action.setEnabled)
        self.overview.executorActivated.connect(self.show_executor)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.panel)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # Esc anywhere in the form
        back.activated.connect(self.navigation.back_to_tree)

        self._problem_said = ""  # the form's «why not saved» last put in the status bar (_on_problem_changed)
        self._others_said = ""  # what the other filters hide of a search, last put there (_update_count)
        self._quarter = saved_quarter(settings)  # set_plan shows the current quarter when the plan has not this one
        self.set_plan(plan, database_label, tree)
        self.operations.saw_all()  # the watch looks for what others write from here on
        self.retranslate()
        self._restore_state()
        self._fit_to_screen()
        self._restore_measure()

    def _make_tree_view(self) -> QTreeView:
        view = PlanTreeView(self)
        view.setObjectName("planTree")
        view.setUniformRowHeights(True)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setItemDelegateForColumn(Column.PERCENT, PercentBarDelegate(view))
        view.setIndentation(16)
        return view

    def make_action(self, shortcut, slot) -> QAction:
        """A window action (its text is set on retranslate) that calls ``slot``."""
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    @property
    def author(self) -> str:
        """Who is working: written into the history of every change made here."""
        return self.controller.author

    # -- plan and quarter ------------------------------------------------------------------

    def set_plan(self, plan, database_label: str, tree: PlanTree | None = None) -> None:
        """Show a (possibly other) database's plan; callers confirm unsaved edits first. ``tree``: its tree, read
        already (tree_for)."""
        self.plan, self.database_label = plan, database_label
        self.controller.clear()
        self.quarter_combo.blockSignals(True)
        self.quarter_combo.clear()
        for quarter in plan_quarters(plan.first_year, plan.last_year):
            self.quarter_combo.addItem(quarter_label(quarter), str(quarter))
        self.quarter_combo.blockSignals(False)
        self._quarter = quarter_shown(plan, self._quarter)
        self._select_quarter_in_combo(self._quarter)
        executors = [(d.id, d.name) for d in responsible_executors()]
        self.filter_bar.blockSignals(True)
        self.filter_bar.set_choices(executors, funding_source_names())
        saved_executor = self.settings.value("filter/department", "", str)
        self.filter_bar.set_executor(next((i for i, name in executors if name == saved_executor), None))
        self.filter_bar.blockSignals(False)
        self.rows.set_filter(self.filter_bar.current_filter())
        self.panel.show_measure(None, self._quarter)
        self.reload(keep_folds=False, tree=tree)  # another database, or the plan amended: opened whole
        self._show_database_label()
        self.people.show_login(self.user_label, self.controller.author)
        self._update_title()
        self.database.remember(database_label)
        if self.one_window is not None:
            self.one_window.follow(database_label)

    def tree_for(self, plan) -> PlanTree:
        """The tree set_plan would show of ``plan`` (another database's, Файл → Відкрити), read before it is
        given: beside the file's quick check."""
        return first_tree(plan, self.settings, self._quarter)

    def _select_quarter_in_combo(self, quarter: Quarter) -> None:
        self.quarter_combo.blockSignals(True)
        self.quarter_combo.setCurrentIndex(max(self.quarter_combo.findData(str(quarter)), 0))
        self.quarter_combo.blockSignals(False)

    @property
    def quarter(self) -> Quarter:
        return self._quarter

    def set_quarter(self, quarter: Quarter) -> bool:
        """Switch quarter, asking first about unsaved edits; False if the user cancelled."""
        if quarter == self._quarter:
            return True
        if not self.confirm_discard():
            self._select_quarter_in_combo(self._quarter)
            return False
        self._quarter = quarter
        self._select_quarter_in_combo(quarter)
        save_quarter(self.settings, quarter)
        if not self._restate():
            self.reload()
        self._update_title()
        return True

    def _restate(self) -> bool:
        """A quarter switch that shows the same plan (no amendment between): the states and rollups are read again,
        the rows stay (a filter hides and shows rows as the new states match) — 1 s less at 4,660 measures than
        reloading the tree."""
        tree = self.model.tree
        if tree is None or not shows_same_plan(tree, self.plan, self._quarter, self._shows_removed()):
            return False
        restate(tree, self.plan, self._quarter)
        with self.navigation.moved_by_the_window():  # a status filter may hide the row chosen: nobody chose another measure
            self.model.restated()  # the rows the filter shows follow (ShownRows.refresh)
        self._states_taken(tree)
        self.navigation.select_shown(scroll=True)
        self.update_conflicts_badge()
        self.panel.show_measure(self.panel.measure, self._quarter)  # the same node, its new quarter's state
        return True

    def _on_quarter_changed(self, _index: int) -> None:
        self.set_quarter(Quarter.parse(self.quarter_combo.currentData()))

    def _load_tree(self):
        """The plan as in force in the quarter, with its states; measures removed by then only when asked."""
        return load_tree(self.plan, self._quarter, removed=self._shows_removed())

    def _shows(self, tree: PlanTree | None) -> bool:
        """Is ``tree`` what _load_tree would read now (the plan, the quarter, removed measures or not)?"""
        return (tree is not None and tree.plan_id == self.plan.id and tree.quarter == self._quarter
                and tree.version is not None and tree.version[1] == self._shows_removed())

    def _shows_removed(self) -> bool:
        return shows_removed(self.settings)

    def set_show_removed(self, shown: bool) -> None:
        """Вигляд → Показувати виключені заходи: measures an amendment removed, marked, under their last task."""
        if not self.confirm_discard():
            self.menus.show_removed_action.setChecked(not shown)
            return
        self.settings.setValue("view/show_removed", shown)
        self.reload()

    def reload(self, keep_folds: bool = True, tree: PlanTree | None = None) -> None:
        """Load the whole plan as of the quarter; the measure in the form stays there, and what is folded stays
        folded (``keep_folds``: the same plan). ``tree``: read already, taken when it is the plan as the window
        shows it (the quarter, removed measures or not)."""
        selected = self.panel.measure.id if self.panel.measure else None
        folded = self.rows.folded() if keep_folds else set()
        if not self._shows(tree):
            tree = self._load_tree()
        self.model.set_tree(tree)
        self.tree_view.expandAll()
        self.rows.fold(folded)  # what the person folded stays folded (the same goals and tasks, read again)
        self._states_taken(tree)
        self.update_conflicts_badge()
        index = self.model.index_of_measure(selected) if selected is not None else QModelIndex()
        # the measure in the form stays there while the plan still has it, even when the filter hides its row
        self.panel.show_measure(self.model.measure_at(index), self._quarter)
        self.navigation.select_shown(scroll=True)

    def _states_taken(self, tree) -> None:
        """After the model took a tree or new states (a reload, another quarter, a save): a measure the filter came
        to show is opened to in its folded goal, and a department's goal counts, the overview and the count follow."""
        self.rows.reveal_appeared()
        self._apply_scope()
        self._overview_later(tree)
        self._update_count()

    def update_conflicts_badge(self) -> None:
        """Open conflicts, and changes from packages kept aside for measures this plan lacks: both wait for a person
        (the kept ones had been said once, at their import, and then nowhere the window showed)."""
        count, aside = len(list_conflicts()), set_aside_count(self.plan)
        parts = ([tr("⚠ Конфлікти обміну: {count}", count=count)] if count else []) + (
            [tr("⚠ Окремо збережені зміни з пакетів: {count}", count=aside)] if aside else [])
        self.conflicts_button.setText(" · ".join(parts))
        self.conflicts_button.setToolTip(tr("Значення з пакетів змін, які чекають на ваше рішення, і зміни для заходів, "
                                            "яких у плані тут немає. Натисніть, щоб переглянути."))
        self.conflicts_button.setVisible(bool(parts))

    def reload_from_database(self) -> None:
        """F5: what others saved on a shared server (or another program here) since the window loaded."""
        if not self.confirm_discard():
            return
        self.operations.saw_all()  # before reading: what is written meanwhile the watch shows after
        self.reload()
        self.watch.taken_in()
        self.statusBar().showMessage(tr("Оновлено з бази даних."), 5000)

    # -- filters ---------------------------------------------------------------------------

    def _on_filter_changed(self, measure_filter) -> None:
        # The panel keeps the measure (and any edits) even when the filter hides its row; no other row is then
        # highlighted. Folds stay but for the goals opened to what the filter newly shows (ShownRows.set_filter).
        if self.rows.set_filter(measure_filter):  # not for a keystroke that shows the same measures
            self.navigation.unsay_of_view()
            self.navigation.select_shown(scroll=True)
            if self.panel.measure is not None and not self.rows.is_shown(self.panel.measure.id):
                self.navigation.say_of_view(tr("Фільтр приховав рядок заходу {code}; захід лишається у формі праворуч.",
                                     code=self.panel.measure.code))
        self._apply_scope()
        self._update_count()
        self.settings.setValue("filter/department", self.filter_bar.executor_name(measure_filter.executor_id))

    def _overview_later(self, tree) -> None:
        """The overview counts every executor's measures (0.15 s at ×20), so it is brought up to date when it is on
        the screen, or when its tab is next opened — not behind every save, quarter switch or opening."""
        if self.tabs.currentWidget() is self.overview:
            self._overview_stale = None
            self.overview.set_tree(tree)
        else:
            self._overview_stale = tree

    def _overview_shown(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.overview and self._overview_stale is not None:
            tree, self._overview_stale = self._overview_stale, None
            self.overview.set_tree(tree)

    def _apply_scope(self) -> None:
        """With an executor chosen, goals and tasks count that executor's measures only, and say so."""
        executor_id = self.filter_bar.current_filter().executor_id
        tree = self.model.tree
        self.model.put_first(executor_id)
        if executor_id is not None and tree is not None:
            self.model.set_scoped_rollups(scoped_rollups(tree, lambda m: executor_id in m.executor_ids))
            scope = tr("Підсумки цілей і завдань — лише заходи виконавця «{executor}».",
                       executor=self.filter_bar.executor_name(executor_id))
        else:
            self.model.set_scoped_rollups(None)
            scope = tr("Підсумки цілей і завдань — усі їхні заходи.")
        self.scope_label.setText(scope + "  " + legend())

    def _update_count(self) -> None:
        self.filter_bar.set_count(self.rows.matching_count(), self.model.measure_count(), self.rows.removed_count())
        hidden, said = self.rows.hidden_by_other_filters(), self.statusBar().currentMessage()
        if hidden:  # said while it holds: the count alone («0 з 233») did not say why a search found nothing
            self._others_said = tr("Пошук знаходить і заходи, які приховують інші фільтри (виконавець, стан чи "
                                   "джерело фінансування): {count}.", count=hidden)
            self.statusBar().showMessage(self._others_said)
        elif said and said == self._others_said:
            self.statusBar().clearMessage()

    def show_executor(self, executor_id: int) -> None:
        """From the overview: the tree filtered to that department, said (the filter is remembered, and an Enter in the
        table had changed it without a word), the keyboard on the tree."""
        self.filter_bar.set_executor(executor_id)
        self.tabs.setCurrentIndex(0)
        self.tree_view.setFocus()
        self.statusBar().showMessage(tr(
            "Дерево показує заходи виконавця «{name}». Усі заходи — «{all}» у фільтрі виконавця над деревом.",
            name=self.filter_bar.executor_name(executor_id), all=tr("Усі виконавці")), 10000)

    # -- editing ---------------------------------------------------------------------------

    def confirm_discard(self) -> bool:
        """True when there are no unsaved edits left (saved or discarded); False to stay."""
        editor = self.panel.editor
        if not editor.dirty:
            return True
        if open_file_found_damaged() is not None:  # «save first?» could only fail: nothing is written to it
            if not dialogs.confirm(self, tr("Незбережені зміни"), tr(
                    "Базу пошкоджено, тож незбережені зміни у формі в неї не записати. Відкинути їх?")):
                return False
            editor.revert()
            return True
        answer = dialogs.ask_unsaved(self, self.panel.measure.code if self.panel.measure else "")
        if answer == dialogs.SAVE:
            return self.save_current()
        if answer == dialogs.DISCARD:
            editor.revert()
            return True
        return False

    def save_current(self) -> bool:
        editor = self.panel.editor
        if editor.measure_id is None or not editor.save_button.isEnabled():
            problem = editor.problem()
            if problem:
                self._problem_said = problem
                self.statusBar().showMessage(problem, 8000)
                self.panel.show_problem()  # the field that keeps it from being saved, in sight (at 125 % it was not)
            return not editor.dirty
        measure_id = editor.measure_id  # the one saved, whatever the refresh after the save does to the rows
        try:
            self.controller.save(measure_id, editor.quarter, editor.values(), expected_version=editor.version)
        except ConflictError as conflict:
            return self._resolve_conflict(conflict)
        except CommitUnknown as exc:
            QMessageBox.warning(self, tr("Невідомо, чи збережено"), str(exc))
            return self._look_again(measure_id)
        except FileReplaced as exc:
            return self.database.reopen_replaced(exc.what)
        except TrackerError as exc:
            QMessageBox.warning(self, tr("Не збережено"), str(exc))
            return False
        saved = self.model.measure_at(self.model.index_of_measure(measure_id))
        in_form = self.panel.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        self.panel.show_measure(saved, self._quarter)  # the form now holds what was saved: not dirty any more
        if in_form:  # the arrow keys now move in the tree, not through the saved measure's status list
            self.tree_view.setFocus()
        said = tr("Збережено: захід {code} за {quarter}", code=saved.code, quarter=quarter_label(self._quarter))
        if not self.rows.is_shown(saved.id):  # its row left the tree: say why, it stays in the form
            said += ". " + tr("Фільтр його тепер не показує.")
        self.statusBar().showMessage(said, 8000)
        return True

    def _look_again(self, measure_id: int) -> bool:
        """After a save whose commit's answer was lost: the measure read again. The tree shows what the database
        holds, and when the save landed (the record holds the form's values) the form is saved, not still unsaved
        (saving it again read as a colleague's change, with nothing differing); else what was typed stays."""
        try:
            self._on_changed(Changes.of(frozenset({(measure_id, self._quarter)})))
        except TrackerError:
            return False  # still out of reach: the form keeps what was typed
        node = self.model.measure_at(self.model.index_of_measure(measure_id))
        landed = (node is not None and node.state is not None and node.state.reported
                  and not differs(node.state.values, self.panel.editor.values()))
        if landed:
            self.panel.show_measure(node, self._quarter)
            self.statusBar().showMessage(tr("Збережено: захід {code} за {quarter}", code=node.code,
                                            quarter=quarter_label(self._quarter)), 8000)
        return landed

    def _resolve_conflict(self, conflict: ConflictError) -> bool:
        """Both versions side by side; the chosen values are saved over the newer version."""
        editor = self.panel.editor
        current = conflict.current
        try:
            with database_errors():
                who = record_author(editor.measure_id, editor.quarter, current.updated_by) if current else ""
        except TrackerError:
            who = ""  # out of reach now: the name as saved
        dialog = ConflictDialog(self.panel.measure.code, editor.loaded_values, editor.values(), current, self, who)
        if not dialogs.run_dialog(dialog):
            # the edits stay in the form, unsaved, over values no longer the database's: said in the form, and
            # «Відкинути зміни» reads the measure again (it brought back the replaced values, the tree too for 10 s)
            editor.say_changed_elsewhere()
            self._look_quietly()
            return False

        editor.load_values(dialog.values(), conflict.current_version, dict(current.values) if current else None)
        self._look_quietly()  # the tree shows the version saved meanwhile, whatever is kept of it
        return self.save_current()

    def _look_quietly(self) -> None:
        """What other programs saved, read now (Operations.look); a database out of reach says so at the next step."""
        try:
            self.operations.look()
        except TrackerError:
            pass

    def undo_last_save(self) -> None:
        self._undo_step(self.controller.last_saved(), self.controller.undo, tr("Скасувати збереження"),
                        self._undo_question, tr("Не скасовано"),
                        tr("Скасовано останнє збереження: захід {code} за {quarter}"))

    def _undo_question(self, names: dict) -> str:
        """When the save was made and the values that come back: named alone, the measure of a save before a
        report's import was taken for the import («the last save») and undone."""
        try:
            when, lines = self.controller.last_saved_summary()
        except TrackerError:  # out of reach now: asked without them; the undo itself says why it cannot be done
            when, lines = None, []
        said = tr("Скасувати ваше останнє збереження у формі — захід {code} за {quarter}", **names)
        said += (tr(", зроблене {when}", when=when.strftime("%d.%m.%Y о %H:%M")) if when else "") + "?"
        if lines:
            said += "\n\n" + tr("Повернуться значення, що були до нього:") + "\n" + "\n".join(lines)
        return said + "\n\n" + tr("Скасування теж записується в історію. Імпорт звітів і пакетів змін так не "
                                   "скасовується.")

    def redo_last_undo(self) -> None:
        self._undo_step(self.controller.last_undone(), self.controller.redo, tr("Повторити скасоване збереження"),
                        lambda names: tr("Знову записати скасоване збереження — захід {code} за {quarter}?", **names),
                        tr("Не повторено"), tr("Повторено скасоване збереження: захід {code} за {quarter}"))

    def _undo_step(self, target, step, title: str, question: Callable[[dict], str], refused: str, done: str) -> None:
        """Undo or redo a save: asked first (``question`` of the measure's code and quarter), naming them."""
        if target is None or not self.confirm_discard():
            return
        names = {"code": target[0], "quarter": quarter_label(target[1])}
        if not dialogs.confirm(self, title, question(names)):
            return
        try:
            step()
        except ConflictError as exc:  # the save's «look at both versions» said of a redo that shows none
            who = exc.current.updated_by if exc.current is not None and exc.current.updated_by else ""
            QMessageBox.warning(self, refused, tr(
                "Захід {code} за {quarter} тим часом змінено{by}, тож скасоване збереження не записано поверх новіших "
                "значень. Якщо воно ще потрібне, внесіть його значення у формі й збережіть.",
                by=tr(" (змінив(-ла) {who})", who=who) if who else "", **names))
            return
        except TrackerError as exc:
            QMessageBox.warning(self, refused, str(exc))
            return
        self.statusBar().showMessage(done.format(**names), 8000)

    def _on_changed(self, changes: Changes) -> None:
        """After an operation: reload what it changed, and only that."""
        if changes.plan:
            self.set_plan(current_plan(), self.database_label)
            return
        if changes.shows_in(self._quarter):
            shown = self.model.tree
            if shown is not None and shown.quarter == self._quarter and not changes.plan:
                tree = refresh_states(shown, self.plan, changes.measures)  # only what the operation changed
            else:
                tree = self._load_tree()
            # a filter may drop the rows changed (a measure saved out of the status filtered for): the current row
            # moves, but nobody chose another measure — nothing is asked, and the form keeps its measure
            with self.navigation.moved_by_the_window():
                self.model.update_tree(tree, set(changes.measures))
            self._states_taken(tree)
            self.navigation.select_shown()
        if changes.measures:  # the panel's history lists every quarter
            shown = self.panel.measure
            if shown is not None and shown.id in changes.measures and not self.panel.editor.dirty:
                self.panel.show_measure(self.model.measure_at(self.model.index_of_measure(shown.id)), self._quarter)
        self.update_conflicts_badge()

    def _on_dirty_changed(self, dirty: bool) -> None:
        self.setWindowModified(dirty)

    def _on_problem_changed(self, problem: str) -> None:
        """The status bar's «why not saved» goes once the form no longer says it: it stayed its 8 s after the value
        was mended, as if the mended form were refused too."""
        said = self.statusBar().currentMessage()
        if said and said != problem and said == self._problem_said:
            self.statusBar().clearMessage()

    # -- language and settings --------------------------------------------------------------

    def _update_title(self) -> None:
        """The open database and the quarter in the title: two windows on two databases are told apart."""
        name = Path(self.database_label).name if "://" not in self.database_label else self.database_label
        self.setWindowTitle(tr("{database} — {quarter} — Трекер Плану заходів", database=name,
                               quarter=quarter_label(self._quarter)) + "[*]")

    def _show_database_label(self) -> None:
        """The database in the status bar, a long path cut in its middle to a third of the window (its tooltip holds
        it whole): a Windows profile's path had taken most of the bar, and the messages shown beside it were cut."""
        text = tr("База даних: {path}", path=self.database_label)
        shown = self.db_label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, max(240, self.width() // 3))
        self.db_label.setText(shown)
        self.db_label.setToolTip(text if shown != text else "")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show_database_label()

    def retranslate(self) -> None:
        self._update_title()
        self.tabs.setTabText(0, tr("План"))
        self.tabs.setTabText(1, tr("Огляд"))
        self.quarter_label.setText(tr("&Квартал:") + " ")
        for index in range(self.quarter_combo.count()):
            self.quarter_combo.setItemText(index, quarter_label(Quarter.parse(self.quarter_combo.itemData(index))))
        self._show_database_label()
        self.people.show_login(self.user_label, self.controller.author)
        if self.model.tree is not None:
            self._apply_scope()
        self.model.retranslate()
        self.filter_bar.retranslate()
        self._update_count()
        self.update_conflicts_badge()
        self.panel.retranslate()
        self.overview.retranslate()
        self.menus.retranslate()

    def apply_settings(self, language: str, user_name: str) -> None:
        self.settings.setValue("language", language)
        self.settings.setValue("user/name", user_name)
        self.controller.author = user_name
        set_language(language)
        self.retranslate()

    def _restore_state(self) -> None:
        for key, restore in (("window/geometry", self.restoreGeometry), ("window/splitter", self.splitter.restoreState),
                             ("window/panelSplitter", self.panel.splitter.restoreState),
                             ("window/overviewSplitter", self.overview.splitter.restoreState)):
            value = self.settings.value(key)
            if value is not None:
                restore(value)

    def _restore_measure(self) -> None:
        """The measure the form showed when the window was last closed on this database, in the form again, its row
        current and in sight: a coordinator goes on where they left off. Nothing when it is not in the plan shown."""
        if self.settings.value("view/measureDatabase", "", str) != self.database_label:
            return
        uid = self.settings.value("view/measure", "", str)
        tree = self.model.tree
        node = next((m for m in tree.measures() if m.uid == uid), None) if uid and tree is not None else None
        if node is not None and not node.removed and self.navigation.show_for_editing(node.id, self._quarter):
            # once the window is shown: a view not yet laid out puts the row on its top line, its goals out of sight
            QTimer.singleShot(0, self._center_current)

    def _center_current(self) -> None:
        if self.tree_view.currentIndex().isValid():
            self.tree_view.scrollTo(self.tree_view.currentIndex(), QAbstractItemView.ScrollHint.PositionAtCenter)

    def _remember_measure(self) -> None:
        shown = self.panel.measure
        self.settings.setValue("view/measure", shown.uid if shown is not None else "")
        self.settings.setValue("view/measureDatabase", self.database_label)

    def _fit_to_screen(self) -> None:
        """Open within the screen's available area, whatever size was remembered or is the default."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        fitted = fit_geometry(screen.availableGeometry(), self.geometry())
        if fitted != self.geometry():
            self.setGeometry(fitted)

    def closeEvent(self, event) -> None:
        if background.busy():  # an import is being written: closing now would cut it off
            event.ignore()
            self.statusBar().showMessage(tr("Зачекайте: іде запис змін у базу."), 5000)
            return
        if not self.confirm_discard():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/panelSplitter", self.panel.splitter.saveState())
        self.settings.setValue("window/overviewSplitter", self.overview.splitter.saveState())
        self._remember_measure()
        self.settings.sync()
        super().closeEvent(event)
