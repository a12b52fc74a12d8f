"""The window on a council laptop: 1366×768 at 100 % and 125 %, and what the tree's columns give the text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect

from tracker.quarters import Quarter
from ui.main_window import FRAME, fit_geometry
from ui.plan_tree.columns import TEXT_SHARE, column_widths
from ui.plan_tree.model import Column

TASKBAR = 40  # Windows' taskbar at the bottom of a 768-pixel screen


SCREENS = {1.0: (1366, 768), 1.25: (1366, 768), 1.5: (1920, 1080)}  # the three set-ups the council has


def laptop(scale: float) -> QRect:
    """The available area of the screen used at ``scale``, in the window's logical pixels."""
    width, height = SCREENS[scale]
    return QRect(0, 0, int(width / scale), int((height - TASKBAR) / scale))


def test_a_window_remembered_larger_or_elsewhere_opens_inside_the_screen():
    available = laptop(1.25)
    fitted = fit_geometry(available, QRect(300, 200, 1500, 900))
    assert available.contains(fitted.adjusted(-FRAME.width() // 2, -(FRAME.height() - FRAME.width() // 2),
                                              FRAME.width() // 2, FRAME.width() // 2))
    assert fit_geometry(QRect(0, 0, 1920, 1040), QRect(100, 100, 1200, 800)) == QRect(100, 100, 1200, 800)


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp):
    from tests.ui.test_colors import dark_palette

    before = qapp.palette()
    if request.param == "dark":
        qapp.setPalette(dark_palette())
    yield request.param
    qapp.setPalette(before)


@pytest.mark.parametrize("scale", sorted(SCREENS))
def test_everything_is_reachable_on_a_laptop_screen(palette, make_window, select, scale, screenshot):
    from PySide6.QtWidgets import QApplication

    from tracker.progress.records import find_measure, save_progress

    window = make_window()
    available = laptop(scale)
    window.setGeometry(fit_geometry(available, QRect(0, 0, 1500, 900)))  # as large as the screen allows
    window.show()
    minimum = window.minimumSizeHint()
    assert minimum.width() + FRAME.width() <= available.width()
    assert minimum.height() + FRAME.height() <= available.height()
    assert window.width() + FRAME.width() <= available.width() and window.height() + FRAME.height() <= available.height()
    window.set_quarter(Quarter(2025, 2))
    select(window, "1.2.8")
    editor = window.panel.editor
    window.panel.start_editing()
    QApplication.processEvents()
    window.panel.editor_scroll.verticalScrollBar().setValue(0)  # the form from its top: «Зберегти» in sight still
    for button in (editor.save_button, editor.revert_button):
        where = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        assert window.rect().contains(where), "the form's buttons are out of the window"
        assert button.visibleRegion().boundingRect() == button.rect(), "the form must be scrolled to reach its buttons"
    assert window.statusBar().isVisible() and window.rect().contains(window.statusBar().geometry())
    text = window.tree_view.header().sectionSize(Column.TEXT)
    assert text >= 0.3 * window.tree_view.viewport().width()  # «Зміст» gets the room, not a few letters
    _statuses_read_whole(window.tree_view)
    QApplication.processEvents()
    _filters_read_whole(window.filter_bar)
    width, height = SCREENS[scale]
    screenshot(window, f"screen_{width}x{height}_{int(scale * 100)}_{palette}")
    # the history fits beside the tree without scrolling sideways
    for percent in (10, 30):
        save_progress(find_measure(window.plan, "1.2.8"), Quarter(2025, 2),
                      {"status": "in_progress", "percent": percent, "note": "Погоджено проєкт рішення"}, author="Олена")
    window.reload()
    window.panel.tabs.setCurrentWidget(window.panel.history)
    QApplication.processEvents()
    for table in (window.panel.history.records_table, window.panel.history.changes_table):
        used = sum(table.horizontalHeader().sectionSize(c) for c in range(table.columnCount()))
        assert used <= table.viewport().width() + 1 and table.horizontalScrollBar().maximum() == 0
        # the quarter read whole («IV к…» hid its year), a line of text a row (two records showed at 125 %)
        quarter = table.item(0, 0).text()
        assert table.fontMetrics().horizontalAdvance(quarter) + 8 <= table.horizontalHeader().sectionSize(0), quarter
        assert table.rowHeight(0) <= table.fontMetrics().height() * 1.6
    records = window.panel.history.records_table  # the status read whole too («Вико…» beside «Виконання» over «30 %»)
    status = records.item(0, 1).text()
    margin = records.style().pixelMetric(records.style().PixelMetric.PM_FocusFrameHMargin, None, records)
    assert records.fontMetrics().horizontalAdvance(status) <= records.horizontalHeader().sectionSize(1) - 2 * margin - 2
    assert "Виконання, %: 30 %" in records.item(0, 1).toolTip()  # the short title's name, said whole
    changes = window.panel.history.changes_table  # the field in a word, read whole («Інформа…»), its name in the row
    for row in range(changes.rowCount()):
        word, room = changes.item(row, 1).text(), changes.horizontalHeader().sectionSize(1)
        assert changes.fontMetrics().horizontalAdvance(word) <= room - 2 * margin - 2, word
    notes = [row for row in range(changes.rowCount()) if changes.item(row, 1).text() == "Інформація"]
    assert notes and "Поле: Інформація про виконання" in changes.item(notes[0], 2).toolTip()
    screenshot(window, f"screen_{width}x{height}_{int(scale * 100)}_{palette}_history")


def _statuses_read_whole(view) -> None:
    """Every status's name fits its column («Частково ви…» was cut at all three screens)."""
    from tracker.progress.status import Status
    from ui.status_style import status_label

    room = view.header().sectionSize(Column.STATUS) - 2 * view.style().pixelMetric(
        view.style().PixelMetric.PM_FocusFrameHMargin, None, view) - 2
    for status in Status:
        assert view.fontMetrics().horizontalAdvance(status_label(status.value)) <= room, status


def _filters_read_whole(bar) -> None:
    """Each filter's «all» choice and the search box's hint are shown whole, not «Усі джерела ф», «Пошук за кодом
    або те…» (at 125 % they were cut)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    from tests.ui.helpers import reads_whole

    for combo in (bar.executor_combo, bar.status_combo, bar.funding_combo):
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        room = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, combo)
        assert combo.fontMetrics().horizontalAdvance(combo.currentText()) <= room.width(), combo.currentText()
    hint = bar.search_edit.placeholderText()
    assert reads_whole(bar.search_edit, hint), hint


@pytest.mark.parametrize("width", [560, 700, 900, 1300])
def test_the_text_column_keeps_the_most_room(width):
    widths = column_widths(width, code=110, percent=100)
    text = width - sum(widths.values())
    assert text >= TEXT_SHARE * width and text >= widths[Column.STATUS]
    assert widths[Column.EXECUTORS] == 0 or widths[Column.UPDATED] == 0 or width >= 900  # the least useful go first


def test_the_splitter_stops_where_the_form_would_scroll_sideways_and_never_hides_the_tree_or_the_form(
        make_window, select, settings):
    """Dragged on to the right, the form scrolled sideways and its words were cut mid-word («звіт за нь»); dragged to
    the end, the form went out of sight and was remembered so, the next day's window without it."""
    from PySide6.QtWidgets import QApplication

    window = make_window()
    window.setGeometry(fit_geometry(laptop(1.25), QRect(0, 0, 1500, 900)))
    window.set_quarter(Quarter(2027, 4))  # a quarter not begun: the form's longest word-wrapped line above it
    select(window, "1.1.6")
    QApplication.processEvents()
    scroll = window.panel.editor_scroll
    for sizes in ([5000, 0], [0, 5000]):  # the handle dragged as far as it goes, each way
        window.splitter.setSizes(sizes)
        QApplication.processEvents()
        assert scroll.horizontalScrollBar().maximum() == 0 and scroll.viewport().width() > 0
        assert min(window.splitter.sizes()) > 0 and window.tree_view.viewport().width() > 0
    from tracker import i18n

    for language in ("en", "uk"):  # the form's labels in another language: another least width, followed
        i18n.set_language(language)
        try:
            window.retranslate()
            QApplication.processEvents()
            window.splitter.setSizes([5000, 0])
            QApplication.processEvents()
            assert scroll.horizontalScrollBar().maximum() == 0, language
        finally:
            i18n.set_language("uk")
    # the history on the narrowest panel: the field named whole (it was «Профінанс…» beside «Хто» at 48 pixels)
    from tracker.progress.records import find_measure, save_progress

    save_progress(find_measure(window.plan, "1.1.6"), Quarter(2026, 4),
                  {"status": "in_progress", "percent": 10, "actual_financing": "12,5",
                   "note": "Погоджено проєкт рішення про створення молодіжного центру"}, author="Олена Коваль")
    window.reload()
    window.panel.tabs.setCurrentWidget(window.panel.history)
    QApplication.processEvents()
    changes = window.panel.history.changes_table
    margin = changes.style().pixelMetric(changes.style().PixelMetric.PM_FocusFrameHMargin, None, changes)
    assert "Профінансовано" in [changes.item(row, 1).text() for row in range(changes.rowCount())]
    for row in range(changes.rowCount()):
        word = changes.item(row, 1).text()
        assert changes.fontMetrics().horizontalAdvance(word) <= changes.horizontalHeader().sectionSize(1) - 2 * margin - 2
    window.panel.tabs.setCurrentWidget(window.panel.editor_page)
    window.panel.splitter.setSizes([0, 5000])  # the texts above the form may give it their room
    QApplication.processEvents()
    assert window.panel.splitter.sizes()[0] == 0
    window.panel.splitter.setSizes([5000, 0])  # the form may not give its own
    QApplication.processEvents()
    assert window.panel.splitter.sizes()[1] > 0
    window.splitter.setCollapsible(1, True)  # as an older version let it: the form collapsed, and remembered so
    window.splitter.setSizes([5000, 0])
    assert window.splitter.sizes()[1] == 0
    settings.setValue("window/splitter", window.splitter.saveState())
    window.close()
    again = make_window()  # the form is back
    again.setGeometry(fit_geometry(laptop(1.25), QRect(0, 0, 1500, 900)))
    QApplication.processEvents()
    assert min(again.splitter.sizes()) > 0 and again.panel.editor_scroll.horizontalScrollBar().maximum() == 0


def test_the_search_box_keeps_room_for_the_first_words_of_its_hint_when_the_tree_is_narrowest(make_window):
    """With the tree's pane dragged narrow the search box was «П…», its hint gone."""
    from PySide6.QtWidgets import QApplication

    window = make_window()
    window.setGeometry(fit_geometry(laptop(1.25), QRect(0, 0, 1500, 900)))
    window.splitter.setSizes([0, 5000])
    QApplication.processEvents()
    edit = window.filter_bar.search_edit
    first_words = "Пошук: код або"
    assert edit.placeholderText().startswith(first_words)
    assert edit.fontMetrics().horizontalAdvance(first_words) < edit.width() - edit.height()
    minimum = window.minimumSizeHint()  # and the window still fits the laptop at 125 %
    assert minimum.width() + FRAME.width() <= laptop(1.25).width()
