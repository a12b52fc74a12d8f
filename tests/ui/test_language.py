"""One translation mechanism: every visible string has English, and switching re-translates.

The core's side (tracker/ messages, tracker.i18n) is tested in tests/tracker/test_i18n.py.
"""

import ast
import pathlib

import pytest
from PySide6.QtCore import Qt

import tracker.errors
import tracker.i18n
from tracker.progress.status import Status
from tracker.quarters import Quarter
from tracker.translations_en import EN
from ui import i18n

UI_DIR = pathlib.Path(__file__).resolve().parents[2] / "ui"


def _marked_strings():
    for path in sorted(UI_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("tr", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant)):
                yield path.name, node.args[0].value


@pytest.fixture
def english():
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language("uk")


def test_every_marked_string_has_english():
    missing = sorted({(name, text) for name, text in _marked_strings() if text not in EN})
    assert missing == []
    assert all(status.label in EN for status in Status)


def test_the_window_and_the_core_share_one_language(english):
    assert i18n.tr is tracker.i18n.tr and i18n.quarter_label is tracker.i18n.quarter_label
    assert tracker.i18n.language() == "en"
    with pytest.raises(tracker.errors.ValidationError, match="Give it as 2025Q1"):
        Quarter.parse("весна")  # a domain message, shown in the window as it comes
    i18n.set_language("uk")
    assert tracker.i18n.language() == "uk"


def test_qt_widgets_speak_the_programs_language_not_the_systems(qapp, english):
    """Under LANG=C a calendar's months were English in the Ukrainian window."""
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QCalendarWidget

    QLocale.setDefault(QLocale.c())  # the system's, under LANG=C
    i18n.set_language("uk")
    calendar = QCalendarWidget()
    assert calendar.locale().standaloneMonthName(3) == "березень"
    assert QLocale().decimalPoint() == ","
    i18n.set_language("en")
    assert QCalendarWidget().locale().standaloneMonthName(3) == "March"


def test_switching_language_retranslates_visible_widgets_without_losing_edits(window, select, english):
    i18n.set_language("uk")
    select(window, "1.2.8")
    window.panel.editor.note_edit.setPlainText("Нотатка, що не має зникнути")
    window.apply_settings("en", "Olena")
    assert window.menus.file_menu.title() == "&File"
    assert window.tabs.tabText(1) == "Overview"
    assert window.model.headerData(1, Qt.Orientation.Horizontal) == "Text"
    assert window.filter_bar.status_combo.itemText(0) == "All statuses"
    assert window.panel.editor.save_button.text() == "Save (Ctrl+S)"
    assert window.quarter_combo.currentText().startswith("Q")
    window.tabs.setCurrentWidget(window.overview)  # the overview is counted when it is shown
    assert window.overview.title_label.text().startswith("Progress overview for Q")
    window.tabs.setCurrentIndex(0)
    assert window.panel.editor.note_edit.toPlainText() == "Нотатка, що не має зникнути"
    assert window.panel.editor.dirty
    assert window.settings.value("language") == "en" and window.controller.author == "Olena"
    window.apply_settings("uk", "Olena")
    assert window.menus.file_menu.title() == "&Файл"
    assert window.quarter_combo.currentText().endswith("кв. " + window.quarter_combo.currentText().split()[-1])


def test_the_form_s_sums_take_the_language_s_decimal_mark_values_unchanged(window, select, english):
    """In English the form had «130,0» beside the history's «125.5»; a language switch shows the sums anew, a
    half-typed one as it was."""
    i18n.set_language("uk")
    select(window, "1.2.8")
    editor = window.panel.editor
    editor.planned_edit.setText("130,5")
    editor.actual_edit.setText("12,5 тис")
    before = editor.values()
    window.apply_settings("en", "Olena")
    assert (editor.planned_edit.text(), editor.actual_edit.text()) == ("130.5", "12,5 тис")
    assert editor.values()["planned_financing"] != before["planned_financing"]  # the text, not the value
    assert editor.dirty
    window.apply_settings("uk", "Olena")
    assert editor.values() == before
    editor.revert()
    window.apply_settings("en", "Olena")
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.planned_edit.setText("1,000")  # a thousand to an English reader: it had been taken as 1.0
    assert "decimal mark here is a point" in editor.problem() and not editor.save_button.isEnabled()
    editor.planned_edit.setText("1000")
    assert editor.problem() == ""
    editor.revert()
    window.apply_settings("uk", "Olena")
    from tracker.progress.records import find_measure, save_progress

    save_progress(find_measure(window.plan, "1.2.9"), window.quarter,
                  {"status": "in_progress", "percent": 10, "planned_financing": "80,5"}, author="офіс")
    window.apply_settings("en", "Olena")
    select(window, "1.2.9")  # a sum read from the database, in English
    assert editor.planned_edit.text() == "80.5" and not editor.dirty


def test_qt_own_buttons_follow_the_language(qapp, english):
    from PySide6.QtWidgets import QDialogButtonBox

    i18n.set_language("uk")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Скасувати"
    i18n.set_language("en")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"


def test_the_help_names_the_menus_as_the_window_shows_them(english):
    from ui.help_page import help_html

    html = help_html("en")
    assert "Export report" in html and "&amp;" not in html and "Звіт" not in html


def test_qts_own_file_dialog_speaks_ukrainian(qapp):
    """Qt's Ukrainian catalog lacks «Look in:» and «Files of type:»; the window fills them in."""
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel

    i18n.set_language("uk")
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert labels and not [text for text in labels if any("a" <= c.lower() <= "z" for c in text)], labels
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.buttons()[0].text() == "Скасувати"


def _mnemonic(text: str) -> str | None:
    """The letter Alt+ reaches in a label or menu title («&&» is an ampersand, not a mnemonic)."""
    at = text.replace("&&", "").find("&")
    return text.replace("&&", "")[at + 1].casefold() if at >= 0 else None


@pytest.mark.parametrize("language", ["uk", "en"])
def test_the_window_s_alt_keys_each_reach_one_place(window, language):
    """Alt+В went to the form's «Виконання» and the «Вигляд» menu alike, Alt+П to «Примітки» and «Правка»: Qt then
    cycles between them, and a coordinator's Alt+В opened neither."""
    from PySide6.QtWidgets import QLabel

    window.apply_settings(language, "Olena")
    try:
        texts = [action.text() for action in window.menuBar().actions()]
        texts += [label.text() for label in window.findChildren(QLabel) if label.buddy() is not None]
        letters = [_mnemonic(text) for text in texts if _mnemonic(text)]
        assert len(letters) >= 12, texts  # six menus, the quarter, the form's six fields
        assert sorted(letters) == sorted(set(letters)), texts
    finally:
        window.apply_settings("uk", "Olena")
