"""Menus: opening another database, settings remembered between runs, help."""

import pytest

import tracker
from tests.helpers import record_of
from tracker.quarters import Quarter


def test_open_another_database_switches_the_window(window, tmp_path, select, no_modal_dialogs):
    other = tmp_path / "other.sqlite3"
    no_modal_dialogs["confirm"].append(True)  # «there is no such file: make a new database there?»
    assert window.database.switch_database(str(other))
    assert no_modal_dialogs["messages"][-1][1] == "Файлу бази немає"
    assert other.exists()
    assert window.database_label == str(other)
    assert window.model.measure_count() == 233
    assert window.settings.value("database/path") == str(other)
    window.set_quarter(Quarter(2025, 2))
    select(window, "1.1.1")
    window.panel.editor.status_combo.setCurrentIndex(window.panel.editor.status_combo.findData("in_progress"))
    assert window.save_current()
    assert record_of("1.1.1", Quarter(2025, 2)).status == "in_progress"  # written to the other database


def test_a_broken_database_is_refused_and_the_open_one_stays(window, tmp_path, no_modal_dialogs, select):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    before = window.database_label
    assert not window.database.switch_database(str(broken))
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "critical" and "broken.sqlite3" in text
    assert window.database_label == before
    assert broken.read_bytes() == b"this is not a database" * 100
    window.set_quarter(Quarter(2025, 2))
    select(window, "1.1.2")
    window.panel.editor.status_combo.setCurrentIndex(window.panel.editor.status_combo.findData("in_progress"))
    assert window.save_current()  # still writing to the database that was open


def test_settings_are_remembered_between_runs(settings, make_window):
    from ui.i18n import language, set_language

    first = make_window(author="system-user")
    assert first.controller.author == "system-user"
    try:
        first.apply_settings("en", "Оксана Петрук")
        first.close()
        set_language("uk")  # as at a new start, before the settings are read
        second = make_window(author="system-user")
        assert second.controller.author == "Оксана Петрук"
        assert settings.value("language") == "en"
    finally:
        set_language("uk")
    assert language() == "uk"


def test_help_shows_where_the_data_lives(window, no_modal_dialogs):
    window.menus.data_action.trigger()
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "information" and "test.sqlite3" in text and "settings.ini" in text and "tracker.log" in text
    window.menus.about_action.trigger()
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "about" and tracker.__version__ in text and "Qt 6." in text and "tracker.log" in text
    assert "LGPL" in text  # Qt's licence, which its use here must name
    from tracker.exchange.trust import trusted_devices

    assert trusted_devices()[0].fingerprint in text  # to compare with another device before trusting this one


def test_f1_opens_the_help_in_the_interface_language(window, no_modal_dialogs):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ui.help_page import HelpDialog

    QTest.keyClick(window.tree_view, Qt.Key.Key_F1)
    dialog = no_modal_dialogs["dialogs"][-1]
    assert isinstance(dialog, HelpDialog)
    text = dialog.browser.toPlainText()
    assert "Щокварталу" in text and "Ctrl+S" in text and "Ctrl+Alt+Z" in text



@pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen screen's remarks on a popup menu
def test_f10_opens_the_menus_from_the_tree(window, select, qtbot):
    """As in Windows' own programs; it had moved the tree's selection instead."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    select(window, "1.2.8")
    window.tree_view.setFocus()
    current = window.tree_view.currentIndex()
    QTest.keyClick(window.tree_view, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is window.menus.file_menu)
    assert window.menuBar().activeAction() is window.menus.file_menu.menuAction()
    QTest.keyClick(window.menus.file_menu, Qt.Key.Key_Escape)
    assert window.tree_view.currentIndex() == current


@pytest.mark.parametrize("language", ["uk", "en"])
def test_each_menu_s_keys_are_its_own(window, language):
    """Two items of a menu with one letter: the key moved between them and opened neither (Файл: «К» went between
    «Конфлікти обміну…» and «Зберегти копію бази…», «м» between the two imports)."""
    from PySide6.QtWidgets import QMenu

    from ui import i18n

    i18n.set_language(language)
    try:
        window.retranslate()
        menus = [window.menuBar()] + [m for m in window.findChildren(QMenu) if m.actions()]
        for menu in menus:
            keys = [a.text().lower().split("&", 1)[1][:1] for a in menu.actions()
                    if "&" in a.text().replace("&&", "") and a.isVisible()]
            assert len(keys) == len(set(keys)), [a.text() for a in menu.actions()]
    finally:
        i18n.set_language("uk")
        window.retranslate()


def test_ctrl_z_outside_a_field_says_how_a_save_is_undone(window, select):
    """Ctrl+Z in the tree after a save did nothing and said nothing (a save is undone with Ctrl+Alt+Z)."""
    select(window, "1.1.1")
    window.tree_view.setFocus()
    window.menus.undo_typing_action.trigger()
    assert "Ctrl+Alt+Z" in window.statusBar().currentMessage()
    editor = window.panel.editor
    from PySide6.QtTest import QTest

    editor.planned_edit.setFocus()
    QTest.keyClicks(editor.planned_edit, "12")
    window.statusBar().clearMessage()
    window.menus.undo_typing_action.trigger()  # in a field: its typing undone, nothing said
    assert editor.planned_edit.text() == "" and window.statusBar().currentMessage() == ""
