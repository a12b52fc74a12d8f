"""The main window: the real plan in the tree, details of the selected measure, remembered state."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.ui.helpers import tree_rows
from tracker import quarters
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from ui.plan_tree.model import Column, PlanModel
from ui.plan_tree.roles import Role


def _measure_indexes(model):
    return [i for i in tree_rows(model) if i.data(Role.NODE_KIND) == "measure"]


def test_window_shows_all_233_measures_under_goals(window, qtmodeltester, screenshot):
    qtmodeltester.check(window.model)
    assert len(_measure_indexes(window.model)) == 233
    assert len(_measure_indexes(window.tree_view.model())) == 233  # what the view shows
    assert window.model.rowCount() == 5
    operational = [i for i in tree_rows(window.model) if i.data(Role.NODE_KIND) == "operational"]
    assert len(operational) == 19
    assert "Трекер Плану заходів" in window.windowTitle()
    assert window.filter_bar.count_label.text() == "Заходів: 233 з 233"
    screenshot(window, "main_window")


def test_measure_row_shows_code_text_executors(window):
    model = window.model
    by_code = {i.data(): i for i in _measure_indexes(model)}
    index = by_code["4.3.10"]
    text = model.index(index.row(), Column.TEXT, index.parent()).data()
    executors = model.index(index.row(), Column.EXECUTORS, index.parent()).data()
    assert text.startswith("Забезпечення умов та підтримка розвитку бізнесу")
    assert executors.split(", ")[:2] == ["Департамент економічної політики", "Департамент культури"]
    assert "Департамент містобудування, земельних ресурсів та реклами" in executors
    task = index.parent()
    assert task.data(Role.NODE_KIND) == "task"
    assert model.index(task.row(), Column.TEXT, task.parent()).data().startswith("Розвивати туристичний")


def test_selecting_a_measure_shows_its_details(window, select, screenshot):
    select(window, "1.2.8")
    text = window.panel.details.browser.toPlainText()
    assert "Встановлення соціальних квот при погодженні багатоквартирної забудови" in text
    assert "Збільшити кількість програм доступного житла для молодих сімей та обдарованої молоді" in text
    assert "Департамент житлово-комунального господарства" in text
    assert window.panel.editor.isEnabled()
    screenshot(window.panel, "detail_panel")


def test_status_percent_and_rollups_are_real_data_for_the_quarter(plan, settings, make_window):
    measure = find_measure(plan, "2.2.11")
    save_progress(measure, Quarter(2025, 1), {"status": "in_progress", "percent": 40}, author="Іван")
    settings.setValue("view/quarter", "2025Q2")
    win = make_window()
    index = win.model.index_of_measure(measure.id)
    status = win.model.index(index.row(), Column.STATUS, index.parent())
    percent = win.model.index(index.row(), Column.PERCENT, index.parent())
    updated = win.model.index(index.row(), Column.UPDATED, index.parent())
    assert status.data() == "Виконується (I кв. 2025)"  # carried forward, marked with its quarter
    assert status.data(Role.REPORTED) is False
    assert status.data(Qt.ItemDataRole.ForegroundRole) is not None  # drawn as not reported
    assert percent.data(Role.PERCENT) == 40.0
    assert updated.data().endswith("Іван")
    og = index.parent().parent()
    og_percent = win.model.index(og.row(), Column.PERCENT, og.parent()).data(Role.PERCENT)
    assert og_percent == 40 / 16  # 2.2 has 16 measures, the others never reported count as 0 %
    # counted once: not reported for 2025Q2 (its carried status is not counted too)
    assert win.model.index(og.row(), Column.STATUS, og.parent()).data() == "— 16"
    win.set_quarter(Quarter(2025, 1))
    index = win.model.index_of_measure(measure.id)
    status = win.model.index(index.row(), Column.STATUS, index.parent())
    assert status.data() == "Виконується"
    assert status.data(Role.REPORTED) is True
    for row in tree_rows(win.model):  # the bar's one answer says what the four roles say, on every row
        bar = win.model.index(row.row(), Column.PERCENT, row.parent())
        assert tuple(bar.data(Role.BAR)) == tuple(bar.data(role) for role in (
            Role.PERCENT, Role.STATUS_CODE, Role.NODE_KIND, Role.REPORTED)), row.data()


def _shown(model):
    """Every row's texts and bar values, by measure id or the group's path of rows."""
    rows = {}
    for index in tree_rows(model):
        cells = [model.index(index.row(), column, index.parent()) for column in Column]
        key = index.data(Role.MEASURE_ID) or tuple(_path(index))
        rows[key] = [c.data() for c in cells] + [cells[Column.PERCENT].data(Role.PERCENT),
                                                 cells[Column.STATUS].data(Role.REPORTED)]
    return rows


def _path(index):
    while index.isValid():
        yield index.row()
        index = index.parent()


def test_a_quarter_switch_shows_what_opening_on_that_quarter_shows(plan, settings, make_window, select):
    measures = [find_measure(plan, code) for code in ("1.1.1", "2.2.11", "5.1.3")]
    for index, measure in enumerate(measures):
        save_progress(measure, Quarter(2025, 1), {"status": "in_progress", "percent": 10 + index}, author="Іван")
    save_progress(measures[0], Quarter(2025, 3), {"status": "done", "percent": 100}, author="Олена")
    settings.setValue("view/quarter", "2025Q1")
    window = make_window()
    select(window, "2.2.11")
    rows_before = window.model.rowCount()
    for quarter in (Quarter(2025, 3), Quarter(2025, 2), Quarter(2024, 4)):
        repainted, laid_out = [], []
        window.model.dataChanged.connect(lambda first, last, roles=(): repainted.append((first, last)))
        window.model.layoutChanged.connect(lambda *args: laid_out.append(args))
        window.set_quarter(quarter)
        window.model.dataChanged.disconnect()
        window.model.layoutChanged.disconnect()
        settings.setValue("view/quarter", str(quarter))
        fresh = make_window()
        assert _shown(window.model) == _shown(fresh.model), quarter
        # the view is told of every row's new state, none left stale on the screen: one layout change (every row
        # laid out and painted again), or a repaint of each row
        assert laid_out or all(any(first.parent() == index.parent() and first.row() <= index.row() <= last.row()
                                   and first.column() <= Column.STATUS and last.column() >= Column.UPDATED
                                   for first, last in repainted) for index in tree_rows(window.model))
        assert window.model.rowCount() == rows_before
        assert window.panel.measure.code == "2.2.11" and window.panel.editor.quarter == quarter  # still selected
        fresh.close()


@pytest.mark.parametrize("today, expected", [
    (dt.date(2025, 5, 14), Quarter(2025, 2)),
    (dt.date(2024, 12, 31), Quarter(2024, 4)),
    (dt.date(2031, 2, 1), Quarter(2027, 4)),  # after the plan: its last quarter
    (dt.date(2023, 7, 1), Quarter(2024, 1)),  # before it: its first
])
def test_quarter_defaults_to_current_clamped_to_the_plan(make_window, monkeypatch, today, expected):
    monkeypatch.setattr(quarters, "today", lambda: today)
    window = make_window()
    assert window.quarter == expected
    assert window.quarter_combo.currentText() == expected.label
    assert window.quarter_combo.count() == 16
    assert window.quarter_combo.itemText(0) == "I кв. 2024"
    assert window.quarter_combo.itemText(15) == "IV кв. 2027"


def test_window_state_is_remembered(make_window):
    first = make_window(show=False)  # hidden: 760 px is below a shown window's minimum width
    first.resize(760, 520)
    first.splitter.setSizes([300, 400])
    sizes = first.splitter.sizes()
    first.set_quarter(Quarter(2024, 3))
    culture = first.filter_bar.executor_combo.findText("Департамент культури")
    first.filter_bar.executor_combo.setCurrentIndex(culture)
    first.close()
    second = make_window(show=False)
    assert (second.width(), second.height()) == (760, 520)
    assert second.splitter.sizes() == sizes
    assert second.quarter == Quarter(2024, 3)
    assert second.filter_bar.executor_combo.currentText() == "Департамент культури"
    assert second.filter_bar.count_label.text() == "Заходів: 27 з 233"


def test_the_measure_in_the_form_comes_back_on_the_same_database(make_window, select):
    first = make_window(show=False)
    select(first, "2.1.3")
    assert first.panel.measure.code == "2.1.3"
    first.close()
    second = make_window(show=False)
    assert second.panel.measure is not None and second.panel.measure.code == "2.1.3"
    assert second.rows.measure_at(second.tree_view.currentIndex()).code == "2.1.3"
    assert not second.panel.editor.dirty
    second.close()
    other = make_window(show=False, database_label="other.sqlite3")  # another database's measures are others
    assert other.panel.measure is None


def test_no_measure_in_the_form_is_remembered_as_none(make_window, select):
    first = make_window(show=False)
    select(first, "2.1.3")
    first.close()
    second = make_window(show=False)
    second.panel.show_measure(None, second.quarter)
    second.close()
    assert make_window(show=False).panel.measure is None


def test_plan_model_is_empty_and_valid_before_loading(qtmodeltester):
    model = PlanModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Код"


def test_details_of_a_measure_carried_forward(plan, settings, make_window):
    measure = find_measure(plan, "3.1.3")
    save_progress(measure, Quarter(2025, 1), {"status": "in_progress", "percent": 25, "note": "етап 1"}, author="t")
    settings.setValue("view/quarter", "2025Q3")
    win = make_window()
    win.tree_view.setCurrentIndex(win.rows.index_of_measure(measure.id))
    text = win.panel.details.browser.toPlainText()
    assert "Стан за III кв. 2025" in text and "дані за I кв. 2025 (за цей квартал не подано)" in text
    assert "етап 1" in text
    assert "показано стан за I кв. 2025" in win.panel.editor.heading.text()


def _focused_on(make_window, qtbot, name: str):
    """A window, active, with the keyboard on its widget ``name``."""
    from PySide6.QtWidgets import QApplication

    window = make_window()
    window.activateWindow()
    qtbot.waitActive(window)
    getattr(window, name).setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is getattr(window, name), timeout=2000)
    return window


def test_tab_goes_from_the_quarter_through_the_filters_and_the_search_to_the_measures(make_window, qtbot):
    """The tree came right after the quarter, the filters that choose what it shows after it."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window = _focused_on(make_window, qtbot, "quarter_combo")
    bar = window.filter_bar
    for expected in (bar.executor_combo, bar.status_combo, bar.funding_combo, bar.search_edit, window.tree_view):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda expected=expected: QApplication.focusWidget() is expected, timeout=2000)


@pytest.mark.qt_log_ignore("keyToAscii")  # QTest's own remark on a key beyond ASCII
def test_alt_k_takes_the_keyboard_to_the_quarter(make_window, qtbot):
    """No key reached the quarter: a coordinator working from the keyboard had to take the mouse to switch it."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window = _focused_on(make_window, qtbot, "tree_view")
    assert window.quarter_label.buddy() is window.quarter_combo and "&К" in window.quarter_label.text()
    # through the window system, as a keyboard's press comes (sent to a widget, Qt's shortcuts never see it)
    QTest.keyClick(window.windowHandle(), Qt.Key(0x041A), Qt.KeyboardModifier.AltModifier)  # Alt+К
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.quarter_combo, timeout=2000)


def test_a_long_database_path_is_cut_in_the_middle_in_the_status_bar(make_window):
    path = "C:\\Users\\o.kovalchuk\\AppData\\Local\\Луцька міська рада\\Трекер Плану заходів\\дані\\tracker.sqlite3"
    window = make_window(database_label=path)
    label = window.db_label
    assert label.toolTip() == f"База даних: {path}"
    assert "…" in label.text() and label.text().endswith("tracker.sqlite3") and label.text().startswith("База даних")
    assert label.sizeHint().width() <= max(240, window.width() // 3) + 2 * label.margin() + 8
    short = make_window(database_label="tracker.sqlite3")
    assert short.db_label.text() == "База даних: tracker.sqlite3" and short.db_label.toolTip() == ""


def test_an_executor_chosen_in_the_overview_filters_the_tree_and_says_so(make_window, qtbot):
    """Enter on a department in «Огляд» switched to the tree filtered to it without a word: the filter is remembered,
    and the next morning's tree showed one department's measures with nothing to say why."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window = make_window()
    window.tabs.setCurrentIndex(1)
    window.activateWindow()
    qtbot.waitActive(window)
    overview = window.overview
    overview.table.setFocus()
    overview.table.setCurrentIndex(overview.proxy.index(3, 0))
    chosen = overview.executor_id_at(3)
    QTest.keyClick(overview.table, Qt.Key.Key_Return)
    name = window.filter_bar.executor_name(chosen)
    assert name and window.tabs.currentIndex() == 0 and window.filter_bar.current_filter().executor_id == chosen
    assert f"«{name}»" in window.statusBar().currentMessage() and "Усі виконавці" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.tree_view, timeout=2000)


def test_a_status_message_cut_by_the_labels_beside_it_is_whole_under_the_mouse(make_window):
    """«Пакет від «Ноутбук Петренко»: застосовано змін — 3, … конфліктів» ran into «Користувач:» and lost its
    number."""
    window = make_window()
    said = "Пакет від «Ноутбук Петренко»: застосовано змін — 3, уже відомих — 0, відкладено — 0, конфліктів — 0"
    window.statusBar().showMessage(said)
    assert window.statusBar().toolTip() == said
    window.statusBar().clearMessage()
    assert window.statusBar().toolTip() == ""
