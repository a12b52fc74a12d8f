"""The plan tree's view: a code typed in the tree goes to its measure, anywhere in the plan, once the typing pauses."""

from __future__ import annotations

from PySide6.QtTest import QTest

from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from ui import dialogs

Q = Quarter(2025, 2)


def _typed(window, qtbot, text: str) -> None:
    """Typed in the tree as a person types, then the pause that makes it a code."""
    view = window.tree_view
    view.setFocus()
    with qtbot.waitSignal(view.codeTyped, timeout=5000):
        for letter in text:
            QTest.keyClick(view, letter)


def _group(window, code: str):
    return next(index for index in window.model.groups()
                if window.model.row_key(index)[0] == "operational" and index.data() == code)


def test_a_code_typed_in_the_tree_goes_to_its_measure_opening_only_its_own_goal(window, select, qtbot):
    select(window, "1.1.1")
    window.rows.fold_to_goals()
    _typed(window, qtbot, "3.4.10")
    assert window.panel.measure.code == "3.4.10"  # not 3.4.1, on the way
    index = window.tree_view.currentIndex()
    assert window.rows.measure_at(index).code == "3.4.10" and window.tree_view.isExpanded(index.parent())
    assert not window.tree_view.isExpanded(_group(window, "3.1"))  # the goal of «3», on the way, stays folded
    _typed(window, qtbot, "1.2")  # a goal's code: its first measure
    assert window.panel.measure.code == "1.2.1"


def test_a_measure_reached_by_its_code_is_put_in_the_middle_of_the_view(window, select, qtbot):
    """Reached upwards, it sat on the top row, its goal and task out of sight above it."""
    view = window.tree_view
    window.rows.open_all()
    _typed(window, qtbot, "5.3.5")  # the plan's end
    _typed(window, qtbot, "2.2")
    assert window.panel.measure.code == "2.2.1"
    row = view.visualRect(view.currentIndex())
    assert view.viewport().height() / 4 < row.center().y() < view.viewport().height() * 3 / 4


def test_a_code_the_filter_hides_or_the_plan_lacks_is_said_and_no_other_measure_is_taken_for_it(
        window, select, plan, qtbot):
    for code in ("1.1.2", "3.4.10"):
        save_progress(find_measure(plan, code), Q, {"status": "done", "percent": 100}, author="t")
    window.set_quarter(Q)
    window.filter_bar.status_combo.setCurrentIndex(window.filter_bar.status_combo.findData("done"))
    select(window, "1.1.2")
    _typed(window, qtbot, "3.4.1")  # hidden (not done): never 3.4.10, which is shown
    assert window.panel.measure.code == "1.1.2" and "фільтр його не показує" in window.statusBar().currentMessage()
    _typed(window, qtbot, "1.1.99")
    assert window.panel.measure.code == "1.1.2" and "немає заходу з кодом «1.1.99»" in window.statusBar().currentMessage()
    _typed(window, qtbot, "2.1")  # a goal's code: its measures, none done
    assert window.panel.measure.code == "1.1.2" and "Заходи «2.1.…» є" in window.statusBar().currentMessage()
    _typed(window, qtbot, "3.4.10.")  # a dot typed after: the same code
    assert window.panel.measure.code == "3.4.10" and window.statusBar().currentMessage() == ""  # the message gone


def test_unsaved_edits_are_asked_about_once_for_the_whole_code(window, select, unsaved_answers, qtbot):
    answers, asked = unsaved_answers
    select(window, "1.1.1")
    window.panel.start_editing()
    window.panel.editor.percent_spin.setValue(33)
    answers.append(dialogs.CANCEL)
    _typed(window, qtbot, "2.1.1")
    assert asked == ["1.1.1"] and window.panel.measure.code == "1.1.1" and window.panel.editor.dirty
    assert window.rows.measure_at(window.tree_view.currentIndex()).code == "1.1.1"
    answers.append(dialogs.DISCARD)
    _typed(window, qtbot, "4.2.3")
    assert asked == ["1.1.1", "1.1.1"] and window.panel.measure.code == "4.2.3"  # the whole code, not 4.1.1
