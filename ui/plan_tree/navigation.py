"""Which measure the tree's cursor is on, kept with the measure in the form: moving between measures (keys, a code
typed, Ctrl+↓/↑, a search's results) asks about unsaved edits first, and a filter, a save or another quarter that
moves the cursor leaves the form its measure."""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView

from tracker.quarters import Quarter

from ..i18n import tr

_MOVES = QAbstractItemView.CursorAction
# the keys that move the tree's cursor from the current row, and where (Ctrl+↓/↑ step by the plan's order)
_MOVING_KEYS = {Qt.Key.Key_Down: _MOVES.MoveDown, Qt.Key.Key_Up: _MOVES.MoveUp, Qt.Key.Key_PageDown: _MOVES.MovePageDown,
                Qt.Key.Key_PageUp: _MOVES.MovePageUp, Qt.Key.Key_Left: _MOVES.MoveLeft,
                Qt.Key.Key_Right: _MOVES.MoveRight, Qt.Key.Key_Home: _MOVES.MoveHome, Qt.Key.Key_End: _MOVES.MoveEnd}


class TreeNavigation(QObject):
    """The main window's tree (its view, model and shown rows) and measure panel, moved between as one: the
    window's ``confirm_discard`` asks about unsaved edits, its ``set_quarter`` switches quarters, and its status bar
    says what the tree does not show."""

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self.view, self.model, self.rows, self.panel = window.tree_view, window.model, window.rows, window.panel
        self._reverting = False
        self._said_of_view = ""  # the status bar's word about a row the filter hides (say_of_view)
        self.view.installEventFilter(self)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.view.codeTyped.connect(self.go_to_code)

    def eventFilter(self, watched, event) -> bool:
        # Enter on a measure starts editing on every platform (activated() is not sent for it everywhere).
        if watched is self.view and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.panel.measure is not None:
            self.panel.start_editing()
            return True
        if watched is self.view and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.on_hidden_row():
            # the measure in the form left the filter's rows: ↓/↑ go to the shown measure after or before its
            # place (Qt's own keys would start from the top)
            self.step_measure(1 if event.key() == Qt.Key.Key_Down else -1)
            return True
        if watched is self.view and event.type() == QEvent.Type.KeyPress and event.key() in _MOVING_KEYS:
            self._current_in_sight()
            if not self._leaving_asked(_MOVING_KEYS[event.key()], event.modifiers()):
                return True  # the person stays with the edits: the key moves nothing
        return super().eventFilter(watched, event)

    def _leaving_asked(self, move, modifiers) -> bool:
        """Before a key takes the tree's current row off the measure with unsaved edits: asked while that row is
        still the highlighted one (Qt moved the highlight first, and the question about the measure left showed
        beside the next one highlighted). False when the person stays."""
        if not self.panel.editor.dirty or self.panel.measure is None:
            return True
        target = self.view.moveCursor(move, modifiers)
        if not target.isValid() or target == self.view.currentIndex():
            return True  # the key would go nowhere: nothing to ask
        measure = self.rows.measure_at(target)
        return (measure is not None and measure.id == self.panel.measure.id) or self._window.confirm_discard()

    def _current_in_sight(self) -> None:
        """Before a key moves the cursor: a current row folded away (a goal folded over the measure in the form, or
        «Згорнути до цілей») gives its place to the folded row on the screen that holds it, nothing selected anew
        and the form keeping its measure — the key moves on from there. Qt moves from the tree's top when the
        current row is not on the screen: ↓ went to the second row and emptied the form."""
        current = self.view.currentIndex()
        holder, parent = current, current.parent()
        while parent.isValid():
            if not self.view.isExpanded(parent):
                holder = parent  # the outermost folded one is the row on the screen
            parent = parent.parent()
        if holder != current:
            with self.moved_by_the_window():
                self.view.selectionModel().setCurrentIndex(holder, QItemSelectionModel.SelectionFlag.NoUpdate)

    @contextmanager
    def moved_by_the_window(self):
        """The tree's current row moved by the window itself (a save, another quarter, a fold, a filter), not chosen
        by the person: _on_current_changed asks nothing and the form keeps its measure."""
        before, self._reverting = self._reverting, True
        try:
            yield
        finally:
            self._reverting = before

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._reverting:
            return
        measure = self.rows.measure_at(current)
        shown = self.panel.measure
        if shown is not None and (measure is None or measure.id != shown.id):
            chosen = QPersistentModelIndex(current)
            if not self._window.confirm_discard():
                self.select_shown()
                # a click goes on to select the clicked row after this signal: once it is done, the row the
                # form edits is put back, so the highlighted row is always the measure being edited
                QTimer.singleShot(0, self.select_shown)
                return
            measure = self._keep_chosen(measure, chosen)
        if measure is not None or shown is not None:
            if measure is not None and (shown is None or measure.id != shown.id):
                self.unsay_of_view()
            self.panel.show_measure(measure, self._window.quarter)

    def _keep_chosen(self, measure, chosen: QPersistentModelIndex):
        """After the edits of the measure left were saved or dropped: the row chosen stays the tree's current row,
        and its measure is the tree's own. A save puts its measure's row back as the current one while it
        refreshes the tree (the form still showed it), and the keys would step on from there; it may also have
        read the tree anew."""
        index = self.model.index_of_measure(measure.id) if measure is not None else QModelIndex(chosen)
        if index.isValid() and self.view.currentIndex() != index:
            with self.moved_by_the_window():
                self.view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        return self.model.measure_at(index) if measure is not None else None

    def go_to_results(self) -> None:
        """↓ or Enter in the search box: into the tree, on the first measure found (or the one being edited)."""
        current = self.view.currentIndex()
        if not current.isValid() or self.rows.measure_at(current) is None or self.on_hidden_row():
            first = self.rows.step(QModelIndex(), 1)  # the first found, not the one after a hidden measure's place
            if first.isValid():
                self.view.setCurrentIndex(first)
                self.view.scrollTo(first)
        self.view.setFocus()

    def step_measure(self, step: int) -> None:
        """Ctrl+↓ / Ctrl+↑: the next or previous measure shown in the tree, the form keeping the focus."""
        in_form = self.panel.isAncestorOf(self._window.focusWidget()) if self._window.focusWidget() else False
        # in the plan's order, into folded goals and tasks too (scrollTo opens them); from the top if none is chosen
        index = self.rows.step(self.view.currentIndex(), step)
        if self.go_to(index) and in_form and self.panel.measure is not None \
                and self.rows.measure_at(self.view.currentIndex()).id == self.panel.measure.id:
            self.panel.start_editing()

    def go_to_code(self, typed: str) -> None:
        """A code typed in the tree: its measure (or the first whose code begins so), in a folded goal too; said in
        the status bar when none is shown — the row highlighted is never taken for the code typed."""
        typed = typed.rstrip(".")  # «2.1.1.»: the same code
        index = self.rows.with_code(typed)
        if index.isValid():
            # in the middle of the view: a measure reached upwards was put on the top row, its goals out of sight
            if self.go_to(index, QAbstractItemView.ScrollHint.PositionAtCenter):
                self._window.statusBar().clearMessage()  # a «no such code» said before is no longer about this row
            return
        hidden = self.rows.with_code(typed, shown_only=False)
        if not hidden.isValid():
            said = tr("У плані за цей квартал немає заходу з кодом «{code}».", code=typed)
        elif self.rows.measure_at(hidden).code == typed:
            said = tr("Захід «{code}» є, але фільтр його не показує.", code=typed)
        else:  # a goal's code: the measures under it
            said = tr("Заходи «{code}.…» є, але фільтр їх не показує.", code=typed)
        self.say_of_view(said)

    def say_of_view(self, said: str) -> None:
        """A word in the status bar about what the tree shows now (a row the filter hides): taken back once the
        filter or the measure changes, not left standing about a row no longer in question for its eight seconds."""
        self._said_of_view = said
        self._window.statusBar().showMessage(said, 8000)

    def unsay_of_view(self) -> None:
        if self._said_of_view and self._window.statusBar().currentMessage() == self._said_of_view:
            self._window.statusBar().clearMessage()
        self._said_of_view = ""

    def go_to(self, index: QModelIndex, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> bool:
        """Make the measure at ``index`` the current row and scroll to it (as ``hint`` says), asking first about
        unsaved edits of another; False when there is none or the person stayed."""
        if not index.isValid():
            return False
        target, shown = self.rows.measure_at(index), self.panel.measure
        if shown is not None and target.id != shown.id:
            # asked before the row moves: the view scrolls to a new current row, opening the goals folded above it,
            # before the window can put the old one back
            if not self._window.confirm_discard():
                return False
            index = self.rows.index_of_measure(target.id)  # the save may have read the tree again
            if not index.isValid():
                return False
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index, hint)
        return True

    def show_for_editing(self, measure_id: int, quarter: Quarter) -> bool:
        """The measure's form for ``quarter``: the quarter switched to and its row chosen (or, when the filter hides
        it, its form alone); False when the plan has no such measure in force then, or the person stayed."""
        plan = self._window.plan
        if not plan.first_year <= quarter.year <= plan.last_year or not self._window.set_quarter(quarter):
            return False
        node = self.model.measure_at(self.model.index_of_measure(measure_id))
        if node is None or node.removed:
            return False
        if not self.go_to(self.rows.index_of_measure(measure_id), QAbstractItemView.ScrollHint.PositionAtCenter):
            self.panel.show_measure(node, quarter)
        return self.panel.measure is not None and self.panel.measure.id == measure_id

    def on_hidden_row(self) -> bool:
        current = self.view.currentIndex()
        return current.isValid() and self.view.isRowHidden(current.row(), current.parent())

    def back_to_tree(self) -> None:
        """Esc in the form: back to the tree, on the measure being edited (the edits stay)."""
        self.select_shown()
        self.view.setFocus()


    def select_shown(self, scroll: bool = False) -> None:
        """Make the measure the panel shows (its edits kept) the tree's current row, without asking again: selected
        when shown; when the filter hides it, current on its hidden row with nothing selected — no other row is
        highlighted as if it were the one in the form, the keys step on from its place, and the tree taking the
        focus does not make its first row current (which would empty the form). With no measure in the form, a
        goal or task chosen stays so unless the filter hides it."""
        selection = self.view.selectionModel()
        if self.panel.measure is None:
            current = self.view.currentIndex()
            if self.on_hidden_row():
                selection.clear()  # a hidden goal current: nothing in the form to step on from
            elif current.isValid() and scroll:
                self.view.scrollTo(current)  # rows shown again above it: it stays in sight
            return
        index = self.model.index_of_measure(self.panel.measure.id)
        with self.moved_by_the_window():
            if not index.isValid():
                selection.clear()  # not in the plan shown (removed by an amendment, say)
            elif self.rows.is_shown(self.panel.measure.id):
                selection.setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                if scroll:
                    self.view.scrollTo(index)
            else:
                scrolls = self.view.hasAutoScroll()
                self.view.setAutoScroll(False)  # scrolling to a hidden row would open the goals folded above it
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.Clear)
                self.view.setAutoScroll(scrolls)

