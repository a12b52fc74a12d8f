"""A measure's history in the panel: every change, and which of them the record does not hold."""

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from tests.ui.helpers import fill_form, laptop_conflict
from tracker.quarters import Quarter

Q = Quarter(2025, 2)


def _changes(window) -> list[tuple[str, bool, str]]:
    """(Було → стало, in italics, tooltip) of each row of «Усі зміни»."""
    table = window.panel.history.changes_table
    return [(table.item(row, 2).text(), table.item(row, 2).font().italic(), table.item(row, 2).toolTip())
            for row in range(table.rowCount())]


def test_a_packages_change_the_record_does_not_hold_is_said_not_applied(window, tmp_path, no_modal_dialogs, select):
    """The laptop's side of a conflict read in the history as an ordinary change, as if the record held it."""
    assert laptop_conflict(window, tmp_path, no_modal_dialogs, Q, "Старостат Прилуцьке")[2].conflicts == 1

    window.set_quarter(Q)
    select(window, "2.2.2")
    window.panel.tabs.setCurrentWidget(window.panel.history)
    QApplication.processEvents()
    changes = _changes(window)
    [laptops] = [change for change in changes if "55" in change[0]]
    assert laptops[0].endswith("(не застосовано)") and laptops[1] and "Конфлікти обміну" in laptops[2]
    [offices] = [change for change in changes if change[0].startswith("10 % → 70")]
    assert not offices[0].endswith("(не застосовано)") and not offices[1]


def test_who_saved_a_record_is_said_with_the_server_s_login_in_the_records_and_the_conflict(
        window, select, no_modal_dialogs):
    """Olga had typed «Ivan K» as her name in the settings: the records' «Хто» and the both-versions dialog said
    «Ivan K» alone, the login that wrote it (set by the server on each change) nowhere."""
    from tracker.progress.records import find_measure, save_progress
    from tracker.storage.models import History

    measure = find_measure(window.plan, "2.1.1")
    window.set_quarter(Q)
    select(window, "2.1.1")
    fill_form(window.panel.editor, percent=40)
    save_progress(measure, Q, {"status": "done", "percent": 100}, author="Ivan K")
    History.update(login="h41a.olga").where(History.measure == measure).execute()  # as the server sets it
    assert window.save_current() is False  # the dialog, cancelled
    dialog = no_modal_dialogs["dialogs"][-1]
    assert "Ivan K (h41a.olga) зберіг(-ла)" in dialog.findChildren(QLabel)[0].text()
    window.panel.tabs.setCurrentWidget(window.panel.history)
    QApplication.processEvents()
    table = window.panel.history.records_table
    assert [table.item(row, 4).text() for row in range(table.rowCount())] == ["Ivan K (h41a.olga)"]


def test_the_row_the_keyboard_is_on_is_read_whole_under_the_tables(window, select):
    """On a narrow panel «Хто» was «Пет…», «Коли» and «Звідки» hidden; the whole row was only in the mouse's
    tooltip, and Петренко could not be told from Петров with the keyboard."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.set_quarter(Q)
    select(window, "2.2.2")
    fill_form(window.panel.editor, status="Виконується", percent=35)
    assert window.save_current() is True
    history = window.panel.history
    window.panel.tabs.setCurrentWidget(history)
    QApplication.processEvents()
    assert not history.row_label.isVisible()  # no row chosen yet
    table = history.changes_table
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Down)
    said = history.row_label.text()
    assert history.row_label.isVisible() and window.author in said and "Звідки: вікно програми" in said
    assert "Коли: " in said and "Виконання" in said
    history.show_measure(None)  # another measure: nothing of the old one's rows is left said
    assert not history.row_label.isVisible()


@pytest.mark.qt_log_ignore("keyToAscii")  # QTest's own remark on a key beyond ASCII
def test_alt_letters_go_to_the_history_and_back_to_the_form(window, select, qtbot):
    """The History tab had no key: from the form only Ctrl+Tab reached it, and nothing said so."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    select(window, "2.2.2")
    window.activateWindow()
    qtbot.waitActive(window)
    panel = window.panel
    assert panel.tabs.currentWidget() is panel.editor_page
    # through the window system, as a keyboard's press comes (sent to a widget, Qt's shortcuts never see it)
    QTest.keyClick(window.windowHandle(), Qt.Key(0x0422), Qt.KeyboardModifier.AltModifier)  # Alt+Т
    qtbot.waitUntil(lambda: panel.tabs.currentWidget() is panel.history, timeout=2000)
    QTest.keyClick(window.windowHandle(), Qt.Key(0x0420), Qt.KeyboardModifier.AltModifier)  # Alt+Р
    qtbot.waitUntil(lambda: panel.tabs.currentWidget() is panel.editor_page, timeout=2000)


def test_a_measure_nobody_has_reported_on_says_so_instead_of_two_empty_tables(window, select):
    select(window, "3.1.1")
    history = window.panel.history
    window.panel.tabs.setCurrentWidget(history)
    QApplication.processEvents()
    assert history.empty_label.isVisible() and "ще не подано" in history.empty_label.text()
    fill_form(window.panel.editor, status="Виконується", percent=10)
    window.panel.tabs.setCurrentWidget(window.panel.editor_page)
    assert window.save_current() is True
    window.panel.tabs.setCurrentWidget(history)
    QApplication.processEvents()
    assert not history.empty_label.isVisible() and history.records_table.rowCount() == 1
