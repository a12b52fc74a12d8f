"""The first window: the real plan in the tree, details of the selected measure, remembered state."""

from PySide6.QtCore import QModelIndex, Qt

from tracker.progress import find_measure, save_progress
from tracker.quarters import Quarter
from ui.plan_model import Column, PlanModel
from ui.roles import Role


def _all_indexes(model, parent=QModelIndex()):
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from _all_indexes(model, index)


def _measure_indexes(model):
    return [i for i in _all_indexes(model) if i.data(Role.NODE_KIND) == "measure"]


def test_window_shows_all_233_measures_under_goals(window, qtmodeltester, screenshot):
    model = window.model
    qtmodeltester.check(model)
    measures = _measure_indexes(model)
    assert len(measures) == 233
    assert model.rowCount() == 5
    operational = [i for i in _all_indexes(model) if i.data(Role.NODE_KIND) == "operational"]
    assert len(operational) == 19
    assert window.windowTitle().startswith("Трекер")
    assert "233" in window.count_label.text()
    screenshot(window, "first_window")


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


def test_selecting_a_measure_shows_its_details(window, qtbot, screenshot):
    index = window.model.index_of_measure(find_measure(window.plan, "1.2.8").id)
    window.tree_view.setCurrentIndex(index)
    html_text = window.details.browser.toPlainText()
    assert "Встановлення соціальних квот при погодженні багатоквартирної забудови" in html_text
    assert "Збільшити кількість програм доступного житла для молодих сімей та обдарованої молоді" in html_text
    assert "Департамент житлово-комунального господарства" in html_text
    screenshot(window, "first_window_details")


def test_status_and_percent_are_real_data_for_the_quarter(plan, settings, qtbot):
    measure = find_measure(plan, "2.2.11")
    save_progress(measure, Quarter(2025, 1), {"status": "in_progress", "percent": 40}, author="t")
    from ui.main_window import MainWindow

    settings.setValue("view/quarter", "2025Q2")
    win = MainWindow(plan, settings, "test")
    qtbot.addWidget(win)
    index = win.model.index_of_measure(measure.id)
    status = win.model.index(index.row(), Column.STATUS, index.parent())
    percent = win.model.index(index.row(), Column.PERCENT, index.parent())
    assert status.data() == "Виконується (I кв. 2025)"  # carried forward, marked with its quarter
    assert status.data(Role.REPORTED) is False
    assert percent.data(Role.PERCENT) == 40.0
    og = index.parent().parent()
    og_percent = win.model.index(og.row(), Column.PERCENT, og.parent()).data(Role.PERCENT)
    assert og_percent == 40 / len(win.model.tree.strategic_goals[1].operational_goals[1].measures())
    win.quarter_combo.setCurrentIndex(win.quarter_combo.findData("2025Q1"))
    index = win.model.index_of_measure(measure.id)
    assert win.model.index(index.row(), Column.STATUS, index.parent()).data() == "Виконується"


def test_window_geometry_and_quarter_are_remembered(plan, settings, qtbot):
    from ui.main_window import MainWindow

    first = MainWindow(plan, settings, "test")
    qtbot.addWidget(first)
    first.resize(760, 520)
    first.quarter_combo.setCurrentIndex(first.quarter_combo.findData("2024Q3"))
    first.close()
    second = MainWindow(plan, settings, "test")
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 520)
    assert second.quarter == Quarter(2024, 3)


def test_plan_model_is_empty_and_valid_before_loading(qtmodeltester):
    model = PlanModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Код"
