"""The plan tree's view: a code typed in the tree goes to its measure, anywhere in the plan."""

from __future__ import annotations

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from ui import dialogs

Q = Quarter(2025, 2)


def _typed(window, text: str) -> None:
    view = window.tree_view
    view.setFocus()
    for letter in text:
        QTest.keyClick(view, letter)


def test_a_code_typed_in_the_tree_goes_to_its_measure_in_a_folded_goal_too(window, select):
    select(window, "1.1.1")
    window.rows.fold_to_goals()
    _typed(window, "3.1.2")
    assert window.panel.measure.code == "3.1.2"
    index = window.tree_view.currentIndex()
    assert window.rows.measure_at(index).code == "3.1.2" and window.tree_view.isExpanded(index.parent())
    QTest.qWait(QApplication.keyboardInputInterval() + 50)  # a pause: what is typed next is a new code
    _typed(window, "1.2")  # a code begun: the first measure under it
    assert window.panel.measure.code == "1.2.1"


def test_a_code_the_filter_hides_or_no_measure_has_leaves_the_row_where_it_was(window, select, plan, qtbot):
    save_progress(find_measure(plan, "1.1.2"), Q, {"status": "done", "percent": 100}, author="t")
    window.set_quarter(Q)
    window.filter_bar.status_combo.setCurrentIndex(window.filter_bar.status_combo.findData("done"))
    select(window, "1.1.2")
    _typed(window, "9.9")
    assert window.panel.measure.code == "1.1.2"
    QTest.qWait(QApplication.keyboardInputInterval() + 50)
    _typed(window, "1.1.1")  # not done: hidden by the filter
    assert window.panel.measure.code == "1.1.2"


def test_unsaved_edits_are_asked_about_before_the_code_typed_moves_on(window, select, unsaved_answers):
    answers, asked = unsaved_answers
    select(window, "1.1.1")
    window.panel.start_editing()
    window.panel.editor.percent_spin.setValue(33)
    answers.append(dialogs.CANCEL)
    _typed(window, "2.1.1")
    assert asked == ["1.1.1"] and window.panel.measure.code == "1.1.1" and window.panel.editor.dirty  # once
    assert window.rows.measure_at(window.tree_view.currentIndex()).code == "1.1.1"
