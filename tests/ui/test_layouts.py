"""Alt+letter and a menu's letters typed in the other keyboard layout (ui/layouts.py)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui.layouts import TWINS, install_on

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def other_layout(qapp):
    keys = install_on(qapp)
    yield keys
    qapp.removeEventFilter(keys)


def test_twins_pair_each_key_of_the_two_layouts():
    assert TWINS[ord("С")] == Qt.Key.Key_C and TWINS[Qt.Key.Key_C] == ord("С")
    assert TWINS[ord("Ж")] == Qt.Key.Key_Semicolon and TWINS[ord("Ї")] == Qt.Key.Key_BracketRight
    assert all(TWINS[TWINS[key]] == key for key in TWINS)
    assert len(TWINS) == 2 * 32


def test_a_form_s_label_is_reached_from_the_english_layout(window, select, other_layout):
    """«&Стан:» is Alt+С; the English layout's Alt+C is the same key. In the notes field it had typed «c»."""
    select(window, "1.1.1")
    editor = window.panel.editor
    window.panel.start_editing()
    note = editor.widgets["note"]
    note.setFocus()
    QTest.keyClick(note, Qt.Key.Key_C, ALT)  # the keyboard's «c» with Alt
    assert QApplication.focusWidget() is editor.status_combo
    assert note.toPlainText() == ""
    assert not editor.dirty
    QTest.keyClick(editor.status_combo, Qt.Key.Key_R, ALT)  # «&Квартал:»: the К key
    assert QApplication.focusWidget() is window.quarter_combo


def test_without_it_the_english_layout_s_key_reaches_nothing(window, select):
    """What the filter mends: Qt's shortcuts match the letter the layout gives, not the key."""
    select(window, "1.1.1")
    window.panel.start_editing()
    before = QApplication.focusWidget()
    QTest.keyClick(before, Qt.Key.Key_R, ALT)
    assert QApplication.focusWidget() is before


def test_a_key_with_no_twin_shortcut_changes_nothing(window, select, other_layout):
    select(window, "1.1.1")
    window.tree_view.setFocus()
    current = window.tree_view.currentIndex()
    QTest.keyClick(window.tree_view, Qt.Key.Key_Z, ALT)  # Я: no label, button or menu has it
    assert QApplication.focusWidget() is window.tree_view
    assert window.tree_view.currentIndex() == current
    assert window.panel.measure.code == "1.1.1"


@pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen screen's remarks on a popup menu
def test_a_menu_and_its_item_from_the_english_layout(window, qtbot, other_layout):
    """Alt+D is Alt+В («&Вигляд»); in the open menu «h» is «р» («&Розгорнути все»)."""
    menus = window.menus
    menus.collapse_action.trigger()
    operational_goal = window.model.index(0, 0, window.model.index(0, 0))
    assert not window.tree_view.isExpanded(operational_goal)
    window.tree_view.setFocus()
    QTest.keyClick(window.tree_view, Qt.Key.Key_D, ALT)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menus.view_menu)
    QTest.keyClick(menus.view_menu, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert window.tree_view.isExpanded(operational_goal)


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_english_interface_s_letters_from_the_ukrainian_layout(window, qtbot, other_layout):
    """In the English interface «&View» is Alt+V: the Ukrainian layout's key there gives М, and opens it too."""
    from ui import i18n

    i18n.set_language("en")
    try:
        window.retranslate()
        menus = window.menus
        window.tree_view.setFocus()
        QTest.keyClick(window.tree_view, Qt.Key.Key_V, ALT)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menus.view_menu)
        QTest.keyClick(menus.view_menu, Qt.Key.Key_Escape)
        # the Ukrainian layout's key of V (its own text: QTest makes one for Latin keys only)
        QTest.sendKeyEvent(QTest.KeyAction.Click, window.tree_view, Qt.Key(ord("М")), "м", ALT)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menus.view_menu)
        QTest.keyClick(menus.view_menu, Qt.Key.Key_Escape)
    finally:
        i18n.set_language("uk")
        window.retranslate()
