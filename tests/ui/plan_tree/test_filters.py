"""Filters in the window: each alone and combined give the right counts on the bundled plan."""

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.helpers import record_of
from tracker.plan.executors import find_executor
from tracker.progress.filters import MeasureFilter
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage.models import FundingSource, Measure, MeasureExecutor, MeasureFunding
from ui.plan_tree.model import Column
from ui.plan_tree.roles import Role

Q = Quarter(2025, 2)


def _visible_measures(view, parent=QModelIndex()):
    """The measures' codes on the rows the view does not hide (folded or not)."""
    codes = []
    model = view.model()
    for row in range(model.rowCount(parent)):
        if view.isRowHidden(row, parent):
            continue
        index = model.index(row, 0, parent)
        if index.data(Role.NODE_KIND) == "measure":
            codes.append(index.data())
        codes.extend(_visible_measures(view, index))
    return codes


def _visible_rows(view, parent=QModelIndex()):
    """(code, kind, rows shown under it) of each row the view shows, in order, goals and tasks included."""
    model = view.model()
    rows = []
    for row in range(model.rowCount(parent)):
        if not view.isRowHidden(row, parent):
            index = model.index(row, 0, parent)
            under = _visible_rows(view, index)
            rows.append((index.data(), index.data(Role.NODE_KIND), len(under)))
            rows.extend(under)
    return rows


def _apply(window, qtbot, **kwargs):
    bar = window.filter_bar
    if "executor" in kwargs:
        name = kwargs["executor"]
        bar.executor_combo.setCurrentIndex(bar.executor_combo.findText(name) if name else 0)
    if "status" in kwargs:
        bar.status_combo.setCurrentIndex(bar.status_combo.findData(kwargs["status"]))
    if "funding" in kwargs:
        bar.funding_combo.setCurrentIndex(bar.funding_combo.findData(kwargs["funding"]))
    if "text" in kwargs:
        bar.search_edit.setText(kwargs["text"])
        qtbot.waitUntil(lambda: window.rows.measure_filter.text == kwargs["text"], timeout=2000)
    return sorted(_visible_measures(window.tree_view))  # what the view shows


def _codes_of_executor(name):
    executor = find_executor(name)
    query = Measure.select().join(MeasureExecutor).where(MeasureExecutor.executor == executor)
    return sorted(m.code for m in query)


def _codes_with_funding(name):
    query = Measure.select().join(MeasureFunding).join(FundingSource).where(FundingSource.name == name)
    return sorted(m.code for m in query)


def test_executor_filter(window, qtbot):
    for name in ("Департамент культури", "Управління соціальних служб для сім'ї, дітей та молоді",
                 "Департамент містобудування, земельних ресурсів та реклами"):
        shown = _apply(window, qtbot, executor=name)
        assert shown == _codes_of_executor(name)
        assert window.filter_bar.count_label.text() == f"Заходів: {len(shown)} з 233"
        # the name whole in the combo's tooltip: at 125 % a long one is cut in the combo
        assert window.filter_bar.executor_combo.toolTip() == f"Відповідальний виконавець: {name}"
    assert len(_apply(window, qtbot, executor="Департамент культури")) == 27
    _apply(window, qtbot, executor="")
    assert window.filter_bar.executor_combo.toolTip() == "Відповідальний виконавець"


def test_a_search_the_other_filters_hide_says_so(window, qtbot):
    """Департамент культури chosen, «1.2.8» searched: an empty tree, «Заходів: 0 з 233», and nothing said why."""
    assert _apply(window, qtbot, executor="Департамент культури", text="1.2.8") == []
    said = window.statusBar().currentMessage()
    assert "приховують інші фільтри" in said and said.endswith(": 1.")
    assert _apply(window, qtbot, text="1.4.5") == ["1.4.5"]  # Департамент культури's own: nothing hidden
    assert window.statusBar().currentMessage() == ""
    _apply(window, qtbot, text="1.")  # some of them its, most not
    assert "приховують інші фільтри" in window.statusBar().currentMessage()
    _apply(window, qtbot, executor="")
    assert window.statusBar().currentMessage() == ""


def test_funding_filter(window, qtbot):
    for name in ("обласний бюджет", "державний бюджет", "кошти підприємств"):
        assert _apply(window, qtbot, funding=name) == _codes_with_funding(name)
    assert len(_apply(window, qtbot, funding="державний бюджет")) == 2  # 1.1.1 and 1.1.2, typo repaired


def test_status_filter_including_not_reported(window, qtbot, plan):
    save_progress(find_measure(plan, "1.1.1"), Q, {"status": "in_progress", "percent": 10}, author="t")
    save_progress(find_measure(plan, "1.1.2"), Q, {"status": "done", "percent": 100}, author="t")
    save_progress(find_measure(plan, "1.1.3"), Quarter(2025, 1), {"status": "in_progress", "percent": 5}, author="t")
    window.set_quarter(Quarter(2025, 3))
    window.set_quarter(Q)
    assert _apply(window, qtbot, status="in_progress") == ["1.1.1", "1.1.3"]
    assert _apply(window, qtbot, status="done") == ["1.1.2"]
    not_reported = _apply(window, qtbot, status="not_reported")
    assert len(not_reported) == 231 and "1.1.3" in not_reported  # carried forward is not reported


def test_a_measure_saved_out_of_the_status_filtered_for_leaves_the_tree_and_one_saved_into_it_joins(
        window, qtbot, plan, select, no_modal_dialogs):
    save_progress(find_measure(plan, "1.1.1"), Q, {"status": "in_progress", "percent": 10}, author="t")
    save_progress(find_measure(plan, "1.1.2"), Q, {"status": "in_progress", "percent": 20}, author="t")
    window.set_quarter(Quarter(2025, 3))
    window.set_quarter(Q)
    assert _apply(window, qtbot, status="in_progress") == ["1.1.1", "1.1.2"]

    def save_in_form(code, status, percent):
        window.panel.show_measure(next(m for m in window.model.tree.measures() if m.code == code), Q)
        editor = window.panel.editor
        editor.status_combo.setCurrentIndex(editor.status_combo.findData(status))
        editor.percent_spin.setValue(percent)
        assert window.save_current()

    select(window, "1.1.1")
    save_in_form("1.1.1", "done", 100)
    assert sorted(_visible_measures(window.tree_view)) == ["1.1.2"]
    assert window.filter_bar.count_label.text() == "Заходів: 1 з 233"
    # its row left under the current row, but nobody chose another measure: nothing asked, the form keeps the one
    # saved (as the status bar says), and no other row is highlighted as if it were the one in the form
    assert no_modal_dialogs["asked"] == [] and window.panel.measure.code == "1.1.1"
    assert not window.panel.editor.dirty and "1.1.1" in window.statusBar().currentMessage()
    assert not window.tree_view.selectionModel().selectedRows()
    assert record_of("1.1.1", Q).status == "done" and record_of("1.1.1", Q).version == 2  # saved once
    save_in_form("1.1.3", "in_progress", 35)  # not shown before: saved from the form, it now matches
    assert sorted(_visible_measures(window.tree_view)) == ["1.1.2", "1.1.3"]
    assert window.filter_bar.count_label.text() == "Заходів: 2 з 233"


def test_search_ignores_case_and_apostrophe_variants(window, qtbot):
    expected = _apply(window, qtbot, text="об'єкт")
    assert len(expected) == 9 and "1.2.9" in expected
    for variant in ("ОБ’ЄКТ", "обʼєкт", "Об'Єкт"):
        assert _apply(window, qtbot, text=variant) == expected
    assert _apply(window, qtbot, text="3.4.1") == ["3.4.1"]
    assert len(_apply(window, qtbot, text="3.4")) == 24
    assert _apply(window, qtbot, text="велосипед") == ["3.1.10", "3.1.11", "3.1.9"]


def test_escape_in_the_search_box_clears_the_search(window, qtbot):
    """Esc left the search as it was: only the clear button's mouse click emptied it."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    assert _apply(window, qtbot, text="велосипед") == ["3.1.10", "3.1.11", "3.1.9"]
    edit = window.filter_bar.search_edit
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_Escape)
    assert edit.text() == "" and window.rows.measure_filter.text == ""
    assert len(_visible_measures(window.tree_view)) == 233


def test_filters_combine_and_parents_stay_visible(window, qtbot, qtmodeltester):
    shown = _apply(window, qtbot, executor="Департамент культури", funding="обласний бюджет")
    assert shown == sorted(set(_codes_of_executor("Департамент культури")) & set(_codes_with_funding("обласний бюджет")))
    assert len(shown) == 4
    shown = _apply(window, qtbot, executor="", funding=None, text="ГОНЧАРСТВА")
    assert shown == ["4.3.14"]
    qtmodeltester.check(window.model)
    # the strategic goal, operational goal and task above it stay, each with only that row under it
    assert _visible_rows(window.tree_view) == [("СЦ 4", "strategic", 3), ("4.3", "operational", 2),
                                               ("", "task", 1), ("4.3.14", "measure", 0)]
    assert window.filter_bar.count_label.text() == "Заходів: 1 з 233"
    _apply(window, qtbot, executor="", funding=None, text="")
    assert window.filter_bar.count_label.text() == "Заходів: 233 з 233"
    assert window.rows.measure_filter == MeasureFilter()
    assert len(_visible_rows(window.tree_view)) == window.model.rowCount() + sum(
        1 + len(og.tasks) + sum(len(t.measures) for t in og.tasks)
        for sg in window.model.tree.strategic_goals for og in sg.operational_goals)  # every row shown again


def test_overview_double_click_filters_the_tree(window, qtbot):
    executor = find_executor("Департамент освіти")
    window.tabs.setCurrentIndex(1)
    window.overview.executorActivated.emit(executor.id)
    assert window.tabs.currentIndex() == 0
    assert sorted(_visible_measures(window.tree_view)) == _codes_of_executor("Департамент освіти")


def test_goal_counts_follow_the_executor_filter_and_say_so(window, qtbot, plan):
    window.set_quarter(Q)
    save_progress(find_measure(plan, "1.1.2"), Q, {"status": "in_progress", "percent": 40}, author="t")  # culture's
    save_progress(find_measure(plan, "1.1.1"), Q, {"status": "done", "percent": 100}, author="t")  # not culture's
    window.reload()

    def strategic_one():
        shown = window.tree_view.model()
        return shown.index(0, Column.STATUS).data(), shown.index(0, Column.PERCENT).data()

    everything = strategic_one()
    assert "✔ 1" in everything[0] and "▶ 1" in everything[0]
    _apply(window, qtbot, executor="Департамент культури")
    culture = [c for c in _codes_of_executor("Департамент культури") if c.startswith("1.")]
    status, percent = strategic_one()
    assert "✔" not in status and "▶ 1" in status and f"— {len(culture) - 1}" in status
    assert "Департамент культури" in window.scope_label.text() and "▶" in window.scope_label.text()
    _apply(window, qtbot, executor="")
    assert strategic_one() == everything and "усі їхні заходи" in window.scope_label.text()


def _hiding_calls(window, monkeypatch) -> list:
    calls = []
    hide = window.tree_view.setRowHidden
    monkeypatch.setattr(window.tree_view, "setRowHidden", lambda *args: calls.append(args) or hide(*args))
    return calls


def test_a_keystroke_that_shows_the_same_measures_filters_nothing_again(window, qtbot, select, monkeypatch):
    shown = _apply(window, qtbot, text="енерг")
    select(window, shown[0])
    goal = window.model.index(0, 0)
    window.tree_view.collapse(goal)
    hiding = _hiding_calls(window, monkeypatch)
    # spaces typed: the same measures, so the rows, what is folded and the selection stay as the person left them
    assert _apply(window, qtbot, text="енерг ") == shown
    assert _apply(window, qtbot, text=" енерг") == shown
    assert hiding == [] and not window.tree_view.isExpanded(goal)
    assert window.panel.measure.code == shown[0]
    assert window.filter_bar.count_label.text().startswith(f"Заходів: {len(shown)} з ")
    # one letter more that some measure lacks: those rows hidden, and only those
    fewer = _apply(window, qtbot, text="енергоефект")
    assert set(fewer) < set(shown) and hiding
    hidden_now = {window.model.measure_at(window.model.index(row, 0, parent)).code
                  for row, parent, hidden in hiding if hidden and window.model.measure_at(
                      window.model.index(row, 0, parent)) is not None}
    assert hidden_now == set(shown) - set(fewer)


def test_the_view_shows_the_plan_model_and_a_filter_on_and_off_keeps_the_columns_selection_and_form(
        window, qtbot, select):
    view = window.tree_view
    header = view.header()
    columns = [(header.sectionResizeMode(c), header.isSectionHidden(c)) for c in range(header.count())]
    select(window, "4.3.14")
    assert _apply(window, qtbot, text="ГОНЧАРСТВА") == ["4.3.14"]
    assert view.model() is window.model
    assert window.rows.measure_at(view.currentIndex()).code == "4.3.14"
    assert len(_apply(window, qtbot, text="")) == 233
    # the columns keep how they share the width (the text stretches, the others fixed), filtered and not
    assert [(header.sectionResizeMode(c), header.isSectionHidden(c)) for c in range(header.count())] == columns
    assert len(_apply(window, qtbot, text="ГОНЧАРСТВА")) == 1 and _apply(window, qtbot, text="")
    assert [(header.sectionResizeMode(c), header.isSectionHidden(c)) for c in range(header.count())] == columns
    assert window.rows.measure_at(view.currentIndex()).code == "4.3.14" == window.panel.measure.code
    assert [window.model.row_key(i) for i in view.selectionModel().selectedRows()] == [
        window.model.row_key(view.currentIndex())]
    assert view.isExpanded(window.rows.index_of_measure(window.panel.measure.id).parent())
    other = window.rows.index_of_measure(find_measure(window.plan, "1.1.2").id)
    view.setCurrentIndex(other)
    assert window.panel.measure.code == "1.1.2"


def test_what_the_person_folded_stays_folded_through_a_filter_and_a_folded_goal_holding_a_match_opens(
        window, qtbot):
    view, model = window.tree_view, window.model
    first, second, fourth = (model.index(row, 0) for row in (0, 1, 3))
    view.collapse(second)  # СЦ 2: nothing of it matches the search below
    view.collapse(fourth)  # СЦ 4 holds the one measure found
    assert _apply(window, qtbot, text="ГОНЧАРСТВА") == ["4.3.14"]
    assert view.isExpanded(fourth) and view.isExpanded(window.rows.index_of_measure(
        find_measure(window.plan, "4.3.14").id).parent())  # opened to show what was found
    assert view.isRowHidden(1, QModelIndex()) and not view.isExpanded(second)
    view.collapse(fourth)  # folded by the person while the filter is on
    assert len(_apply(window, qtbot, text="")) == 233
    assert not view.isExpanded(second) and not view.isExpanded(fourth) and view.isExpanded(first)
    assert not any(view.isRowHidden(row, QModelIndex()) for row in range(model.rowCount()))


def test_a_quarter_switch_under_a_status_filter_shows_what_the_quarter_matches_and_keeps_the_form(
        window, qtbot, plan, select):
    save_progress(find_measure(plan, "1.1.1"), Q, {"status": "done", "percent": 100}, author="t")
    window.set_quarter(Quarter(2025, 3))
    shown = _apply(window, qtbot, status="not_reported")
    assert "1.1.1" in shown  # nothing reported for 2025 Q3
    select(window, "1.1.1")
    rows = QPersistentModelIndex(window.model.index_of_measure(find_measure(plan, "1.1.1").id))
    resets = []
    window.model.modelReset.connect(lambda: resets.append(True))
    assert window.set_quarter(Q)
    assert not resets and rows.isValid()  # the states read again, the rows kept (a reset would lose every index)
    assert "1.1.1" not in _visible_measures(window.tree_view) and len(_visible_measures(window.tree_view)) == 232
    assert window.filter_bar.count_label.text() == "Заходів: 232 з 233"
    # the form keeps the measure, as after a filter change, and no other row is highlighted in its place
    assert window.panel.measure.code == "1.1.1" and not window.tree_view.selectionModel().selectedRows()
    assert window.set_quarter(Quarter(2025, 3))
    assert "1.1.1" in _visible_measures(window.tree_view)
    assert window.rows.measure_at(window.tree_view.currentIndex()).code == "1.1.1"  # its row chosen again


def test_a_departments_goal_counts_follow_a_quarter_switch(window, qtbot, plan):
    save_progress(find_measure(plan, "1.1.2"), Q, {"status": "in_progress", "percent": 40}, author="t")  # culture's
    window.set_quarter(Q)
    _apply(window, qtbot, executor="Департамент культури")

    def strategic_one():
        return window.model.index(0, Column.STATUS).data(), window.model.index(0, Column.PERCENT).data()

    in_q2 = strategic_one()
    assert "▶ 1" in in_q2[0]
    assert window.set_quarter(Quarter(2024, 4))  # before anything was reported
    switched = strategic_one()
    assert "▶" not in switched[0]
    window.reload()
    assert strategic_one() == switched  # reading the whole tree again counts the same as the switch did
    assert window.set_quarter(Q)
    assert strategic_one() == in_q2
    assert window.set_quarter(Quarter(2024, 4)) and strategic_one() == switched


def _click(window, code):
    """Choose a measure with the mouse, as a coordinator does (the view sets its current row itself)."""
    view = window.tree_view
    index = window.rows.index_of_measure(find_measure(window.plan, code).id)
    view.scrollTo(index)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    assert window.panel.measure.code == code


def _save_out_of_the_filter(window, qtbot, plan, select):
    """«Виконується» filtered for; 1.1.3 saved «Частково виконано» in the form: its row leaves the tree."""
    for code in ("1.1.1", "1.1.3", "1.1.5"):
        save_progress(find_measure(plan, code), Q, {"status": "in_progress", "percent": 10}, author="t")
    window.set_quarter(Quarter(2025, 3))
    window.set_quarter(Q)
    assert _apply(window, qtbot, status="in_progress") == ["1.1.1", "1.1.3", "1.1.5"]
    _click(window, "1.1.3")
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("partially_done"))
    editor.percent_spin.setValue(60)
    assert window.save_current()
    assert _visible_measures(window.tree_view) == ["1.1.1", "1.1.5"] and window.panel.measure.code == "1.1.3"


def test_after_a_save_out_of_the_filter_the_tree_taking_the_focus_keeps_the_form_and_the_keys_step_on(
        window, qtbot, plan, select, no_modal_dialogs):
    _save_out_of_the_filter(window, qtbot, plan, select)
    assert window.statusBar().currentMessage().endswith("Фільтр його тепер не показує.")
    view = window.tree_view
    # the tree gets the focus (as save_current gives it on the screen): Qt makes a row current only when none is
    QApplication.sendEvent(view, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.OtherFocusReason))
    assert window.panel.measure.code == "1.1.3" and not view.selectionModel().selectedRows()
    QTest.keyClick(view, Qt.Key.Key_Down)  # on from 1.1.3's place, not from the top
    assert window.panel.measure.code == "1.1.5" and no_modal_dialogs["asked"] == []
    _click(window, "1.1.1")  # a click still chooses a shown measure


def test_ctrl_down_after_a_save_out_of_the_filter_goes_to_the_next_measure_shown(window, qtbot, plan, select):
    _save_out_of_the_filter(window, qtbot, plan, select)
    QTest.keyClick(window.tree_view, Qt.Key.Key_Up)
    assert window.panel.measure.code == "1.1.1"
    _apply(window, qtbot, status="in_progress")
    select(window, "1.1.5")
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("done"))
    editor.percent_spin.setValue(100)
    assert window.save_current() and window.panel.measure.code == "1.1.5"
    window.navigation.step_measure(-1)  # Ctrl+↑: the shown measure before 1.1.5's place
    assert window.panel.measure.code == "1.1.1"


def test_esc_in_the_form_of_a_measure_the_filter_hides_keeps_its_edits_without_asking(
        window, qtbot, plan, select, no_modal_dialogs):
    _click(window, "1.1.3")
    assert _apply(window, qtbot, text="ГОНЧАРСТВА") == ["4.3.14"]
    assert window.panel.measure.code == "1.1.3"  # the form keeps it, hidden, and the status bar says so
    assert "1.1.3" in window.statusBar().currentMessage() and "приховав рядок" in window.statusBar().currentMessage()
    window.panel.start_editing()
    window.panel.editor.percent_spin.setValue(33)
    assert window.panel.editor.dirty
    window.navigation.back_to_tree()
    QApplication.sendEvent(window.tree_view, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.OtherFocusReason))
    assert no_modal_dialogs["asked"] == [] and window.panel.measure.code == "1.1.3" and window.panel.editor.dirty


def test_f5_keeps_a_hidden_measure_in_the_form_and_what_is_folded(window, qtbot, plan, select):
    _save_out_of_the_filter(window, qtbot, plan, select)
    view, model = window.tree_view, window.model
    _apply(window, qtbot, status=None)  # every row again
    window.panel.show_measure(next(m for m in model.tree.measures() if m.code == "1.1.3"), Q)
    _apply(window, qtbot, status="in_progress")
    view.collapse(model.index(1, 0))  # СЦ 2, hidden: holds nothing in progress
    task = window.rows.index_of_measure(find_measure(plan, "1.1.5").id).parent()
    view.collapse(task)
    QTest.keyClick(view, Qt.Key.Key_F5)
    assert window.panel.measure.code == "1.1.3" and not view.selectionModel().selectedRows()
    task = window.rows.index_of_measure(find_measure(plan, "1.1.5").id).parent()
    assert not view.isExpanded(model.index(1, 0)) and not view.isExpanded(task)  # the tree read anew, folds kept
    assert view.isExpanded(model.index(0, 0))


def test_a_quarter_switch_that_makes_a_measure_match_opens_its_folded_goal(window, qtbot, plan):
    save_progress(find_measure(plan, "2.1.1"), Quarter(2025, 3), {"status": "in_progress", "percent": 5}, author="t")
    save_progress(find_measure(plan, "1.1.1"), Q, {"status": "in_progress", "percent": 5}, author="t")
    window.set_quarter(Q)
    assert _apply(window, qtbot, status="in_progress") == ["1.1.1"]
    view, model = window.tree_view, window.model
    view.collapseAll()
    assert window.set_quarter(Quarter(2025, 3))
    assert sorted(_visible_measures(view)) == ["1.1.1", "2.1.1"]
    measure = window.rows.index_of_measure(find_measure(plan, "2.1.1").id)
    assert view.isExpanded(measure.parent()) and view.isExpanded(model.index(1, 0))  # opened to what appeared
    assert not view.isExpanded(model.index(0, 0))  # СЦ 1's match was shown before: its fold stays


def _folded_goals(window):
    view, model = window.tree_view, window.model
    return {model.index(row, 0, model.index(top, 0)).data() for top in range(model.rowCount())
            for row in range(model.rowCount(model.index(top, 0)))
            if not view.isExpanded(model.index(row, 0, model.index(top, 0)))}


def test_folds_made_after_a_filter_was_on_and_off_stay_through_saves_and_quarter_switches(window, qtbot, plan,
                                                                                           select):
    _apply(window, qtbot, executor="Департамент культури")
    _apply(window, qtbot, executor="")
    window.menus.collapse_action.trigger()  # «Згорнути до цілей»: every operational goal folded
    folded = _folded_goals(window)
    assert len(folded) == 19
    assert window.set_quarter(Quarter(2024, 4))
    assert _folded_goals(window) == folded
    save_progress(find_measure(plan, "1.1.1"), Quarter(2024, 4), {"status": "in_progress", "percent": 5},
                  author="інша програма")
    QTest.keyClick(window.tree_view, Qt.Key.Key_F5)
    assert _folded_goals(window) == folded


def test_a_narrower_filter_leaves_folded_what_was_folded_and_a_wider_one_opens_to_what_it_adds(window, qtbot, plan):
    shown = _apply(window, qtbot, executor="Департамент культури")
    view = window.tree_view
    # an operational goal holding two of culture's measures or more
    first, second = next((a, b) for a, b in zip(shown, shown[1:]) if a.rsplit(".", 1)[0] == b.rsplit(".", 1)[0])
    goal = window.rows.index_of_measure(find_measure(plan, first).id).parent().parent()
    assert goal == window.rows.index_of_measure(find_measure(plan, second).id).parent().parent()
    view.collapse(goal)
    narrower = _apply(window, qtbot, status="not_reported")  # nothing reported: the same measures
    assert narrower == shown and not view.isExpanded(goal)
    _apply(window, qtbot, status=None, text=first)  # that one only
    assert not view.isExpanded(goal)
    view.collapse(goal)
    _apply(window, qtbot, text="")  # back to all culture's: the second comes back into the goal, which opens
    assert view.isExpanded(goal)


def test_f5_opens_the_folded_goal_of_a_measure_that_came_to_match(window, qtbot, plan):
    save_progress(find_measure(plan, "1.1.1"), Q, {"status": "in_progress", "percent": 5}, author="t")
    window.set_quarter(Q)
    window.reload()
    assert _apply(window, qtbot, status="in_progress") == ["1.1.1"]
    window.tree_view.collapseAll()
    save_progress(find_measure(plan, "5.1.1"), Q, {"status": "in_progress", "percent": 5}, author="інша програма")
    QTest.keyClick(window.tree_view, Qt.Key.Key_F5)
    assert sorted(_visible_measures(window.tree_view)) == ["1.1.1", "5.1.1"]
    measure = window.rows.index_of_measure(find_measure(plan, "5.1.1").id)
    assert window.tree_view.isExpanded(measure.parent()) and window.tree_view.isExpanded(measure.parent().parent())
    assert not window.tree_view.isExpanded(window.model.index(0, 0))  # 1.1.1 matched before: its fold stays


def test_ctrl_down_cancelled_at_the_unsaved_question_leaves_the_folded_goal_folded(window, qtbot, plan,
                                                                                    no_modal_dialogs):
    from ui import dialogs

    _click(window, "1.1.6")  # the last of 1.1; 1.2 comes next
    view = window.tree_view
    goal = window.rows.index_of_measure(find_measure(plan, "1.2.1").id).parent().parent()
    view.collapse(goal)
    window.panel.editor.percent_spin.setValue(12)
    no_modal_dialogs["answers"].append(dialogs.CANCEL)
    window.navigation.step_measure(1)
    assert no_modal_dialogs["asked"] and window.panel.measure.code == "1.1.6" and window.panel.editor.dirty
    assert not view.isExpanded(goal)
    assert window.rows.measure_at(view.currentIndex()).code == "1.1.6"


def test_a_goal_chosen_stays_in_sight_when_the_filter_is_taken_off(window, qtbot):
    view, model = window.tree_view, window.model
    window.resize(1093, 582)
    goal = next(model.index(row, 0, model.index(2, 0)) for row in range(model.rowCount(model.index(2, 0)))
                if model.index(row, 0, model.index(2, 0)).data() == "3.1")
    view.setCurrentIndex(goal)
    assert window.panel.measure is None
    _apply(window, qtbot, text="3.1.")
    assert view.viewport().rect().intersects(view.visualRect(goal))
    _apply(window, qtbot, text="")  # 2 strategic goals' rows come back above it
    assert view.currentIndex() == goal and view.viewport().rect().contains(view.visualRect(goal))


def test_unfold_all_and_fold_to_goals_under_a_filter_reach_the_rows_it_hides_too(window, qtbot):
    view, model = window.tree_view, window.model
    _apply(window, qtbot, text="ГОНЧАРСТВА")  # only СЦ 4 shown
    window.menus.collapse_action.trigger()  # «Згорнути до цілей»
    _apply(window, qtbot, text="")
    assert all(view.isExpanded(model.index(row, 0)) for row in range(model.rowCount()))  # СЦ 1–5 alike
    assert len(_folded_goals(window)) == 19  # every operational goal folded, hidden ones included
    _apply(window, qtbot, text="ГОНЧАРСТВА")
    window.menus.expand_action.trigger()  # «Розгорнути все»
    _apply(window, qtbot, text="")
    assert _folded_goals(window) == set()
    task = model.index(0, 0, model.index(0, 0, model.index(0, 0)))
    assert view.isExpanded(task)  # a task of СЦ 1, hidden while it was pressed


def test_a_filter_looks_through_the_plan_once_per_change_not_once_per_repainted_row(window, qtbot, monkeypatch,
                                                                                      select):
    """The goals' counts scoped to an executor repaint every goal and task (1,520 rows at ×20): what the filter
    shows is found again only when the tree or its states change, not at each of those repaints."""
    from ui.plan_tree import shown as shown_rows

    passes = []
    looking = shown_rows.matching
    monkeypatch.setattr(shown_rows, "matching", lambda *args: passes.append(1) or looking(*args))
    shown = _apply(window, qtbot, executor="Департамент освіти")
    assert shown == _codes_of_executor("Департамент освіти") and len(passes) <= 2
    passes.clear()
    select(window, shown[0])
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.percent_spin.setValue(37)
    assert window.save_current()
    assert len(passes) == 1  # the save's states: found once again (the count asks the same)


def test_in_a_departments_view_a_save_repaints_the_counts_of_its_own_goals_only(window, qtbot, select):
    shown = _apply(window, qtbot, executor="Департамент освіти")
    select(window, shown[0])
    measure_index = window.model.index_of_measure(window.panel.measure.id)
    own_groups = []
    index = measure_index.parent()
    while index.isValid():
        own_groups.append((window.model.row_key(index), index.row()))
        index = index.parent()
    repainted = []
    window.model.dataChanged.connect(lambda first, last, roles=(): repainted.append(window.model.row_key(first)))
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.percent_spin.setValue(41)
    assert window.save_current()
    window.model.dataChanged.disconnect()
    assert all(group in repainted for group, _ in own_groups)  # the task, goal and strategic goal it counts in
    assert len(set(repainted)) <= 2 * (len(own_groups) + 1)  # not every goal and task of the plan
    task = window.model.index(own_groups[0][1], Column.STATUS, measure_index.parent().parent())
    assert "▶" in task.data()  # its department's count of the task shows the measure in progress


def test_a_fold_over_the_current_row_leaves_the_keys_stepping_from_the_folded_row_that_holds_it(window, select):
    """«Згорнути до цілей» (or a goal folded by its arrow) over the measure in the form: ↓ goes to the row after the
    folded goal that holds it, not to the tree's second row; the form keeps its measure until a key moves on, and
    a fold opened again shows its row current and chosen as before."""
    window.set_quarter(Q)
    view, model = window.tree_view, window.model
    select(window, "1.3.5")
    window.menus.collapse_action.trigger()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().data() == "1.4" and window.panel.measure is None
    window.menus.expand_action.trigger()
    select(window, "2.1.3")
    measure = model.index_of_measure(find_measure(window.plan, "2.1.3").id)
    strategic = measure.parent().parent().parent()
    view.collapse(strategic)  # as its arrow does
    view.expand(strategic)
    assert view.currentIndex() == measure and window.panel.measure.code == "2.1.3"
    view.collapse(strategic)
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex() == view.indexAbove(strategic) != model.index(0, 0)  # the row on the screen above it


def test_a_search_that_narrows_the_count_moves_nothing_in_the_filter_row(window, qtbot):
    """«Заходів: 233 з 233» → «Заходів: 1 з 233»: the search box keeps its place and width as the person types."""
    window.resize(1093, 600)  # a laptop at 125 %: the row has no room to spare
    QApplication.processEvents()
    bar = window.filter_bar
    before = bar.search_edit.geometry()
    assert len(_apply(window, qtbot, text="ГОНЧАРСТВА")) == 1
    QApplication.processEvents()
    assert bar.count_label.text() == "Заходів: 1 з 233" and bar.search_edit.geometry() == before


def test_the_executor_filtered_for_is_named_first_in_each_row(window, qtbot):
    """A row whose first executor is another department looked like that department's measure."""
    from ui.plan_tree.model import Column

    tree = window.model.tree
    measure = next(m for m in tree.measures() if len(m.executors) > 1)
    name = measure.executors[-1]  # not the first in the plan
    _apply(window, qtbot, executor=name)
    index = window.rows.index_of_measure(measure.id).siblingAtColumn(Column.EXECUTORS)
    assert index.data() == ", ".join([name] + [other for other in measure.executors if other != name])
    _apply(window, qtbot, executor="")
    assert index.data() == ", ".join(measure.executors)  # the plan's order again


def test_a_word_about_a_hidden_row_is_taken_back_once_another_measure_or_filter_is_chosen(window, qtbot, select):
    """«Фільтр приховав рядок заходу 1.1.3» stood under 4.3.14 chosen after it, for its eight seconds."""
    _click(window, "1.1.3")
    assert _apply(window, qtbot, text="ГОНЧАРСТВА") == ["4.3.14"]
    assert "приховав рядок" in window.statusBar().currentMessage()
    _apply(window, qtbot, text="")  # the row shown again
    assert window.statusBar().currentMessage() == ""
    _apply(window, qtbot, text="ГОНЧАРСТВА")
    assert "приховав рядок" in window.statusBar().currentMessage()
    select(window, "4.3.14")
    assert window.panel.measure.code == "4.3.14" and window.statusBar().currentMessage() == ""


def test_a_choice_too_long_for_its_combo_ends_in_an_ellipsis_and_is_whole_when_there_is_room(window, qtbot):
    """«Не подано за цей к» at 1366×768: Qt's styles cut the combo's text mid-word, nothing saying it went on."""
    from tracker.progress.filters import NOT_REPORTED_FILTER

    bar = window.filter_bar
    _apply(window, qtbot, status=NOT_REPORTED_FILTER)
    whole = bar.status_combo.currentText()
    for width, cut in ((1093, True), (2400, False)):  # a laptop at 125 %; a wide screen
        window.resize(width, 600)
        QApplication.processEvents()
        bar.status_combo.grab()  # painted as the screen paints it
        shown = bar.status_combo.shown
        assert (shown != whole) is cut
        if cut:
            assert shown.endswith("…") and whole.startswith(shown[:-1]) and len(shown) > 5
            room = bar.status_combo.width()
            assert bar.status_combo.fontMetrics().horizontalAdvance(shown) < room
