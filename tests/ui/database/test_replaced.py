"""The window's file replaced under it (tracker.storage.file_identity): a save is not written into the old file; the
file now under the name is opened, asked first, with the form's unsaved values carried into it."""

from __future__ import annotations

import os
import sqlite3

from tests.ui.helpers import fill_form
from tracker.progress.records import find_measure, quarter_record, save_progress
from tracker.quarters import Quarter
from tracker.storage.backup import backup_to
from tracker.storage.db import database

Q = Quarter(2025, 2)


def _replace_under(tmp_path) -> str:
    """The open file replaced by rename with a copy of it, as `cp copy x.db.new && mv x.db.new x.db` does."""
    path = database.obj.database
    copy = backup_to(tmp_path / "copy.sqlite3")
    os.replace(copy, path)
    return path


def _window_on_its_file(make_window, select, code: str):
    """A window on the test's database file, named by its path (as the window names it), on ``code`` in Q."""
    path = database.obj.database
    window = make_window(database_label=path)
    window.set_quarter(Q)
    select(window, code)
    return window, path


def test_a_save_over_a_replaced_file_opens_the_new_one_and_carries_the_form_there(
        make_window, select, tmp_path, no_modal_dialogs):
    window, path = _window_on_its_file(make_window, select, "2.1.1")
    _replace_under(tmp_path)
    fill_form(window.panel.editor, status="Виконується", percent=45, note="Після заміни файла")
    no_modal_dialogs["confirm"].append(True)  # «Відкрити файл, що тепер під цим ім'ям?»
    old_connection = database.obj
    assert window.save_current() is False  # refused: said, and the new file opened
    [asked] = [text for kind, _, text in no_modal_dialogs["messages"] if kind == "confirm" and "замінено іншим" in text]
    assert "Останні бази" not in asked and "командному рядку" not in asked  # the window's own way on, not the CLI's
    editor = window.panel.editor
    assert editor.dirty and editor.percent_spin.value() == 45 and editor.note_edit.toPlainText() == "Після заміни файла"
    assert database.obj is not old_connection and database.obj.database == path
    assert window.save_current() is True  # saved again: into the file that is there now
    measure = find_measure(window.plan, "2.1.1")
    assert quarter_record(measure, Q).note == "Після заміни файла"
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT note FROM progress WHERE measure_id = ?", (measure.id,)).fetchall() == [
            ("Після заміни файла",)]


def test_declined_the_form_keeps_its_edits_and_nothing_is_written(make_window, select, tmp_path, no_modal_dialogs):
    window, path = _window_on_its_file(make_window, select, "2.1.1")
    _replace_under(tmp_path)
    fill_form(window.panel.editor, status="Виконується", percent=45)
    no_modal_dialogs["confirm"].append(False)
    assert window.save_current() is False
    assert window.panel.editor.dirty and window.panel.editor.percent_spin.value() == 45
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM progress").fetchone() == (0,)


def test_the_watch_opens_the_new_file_when_the_form_holds_nothing_unsaved(make_window, select, tmp_path):
    window, path = _window_on_its_file(make_window, select, "2.1.3")
    _replace_under(tmp_path)
    old_connection = database.obj
    window.watch.look()
    assert database.obj is not old_connection and "показано файл, що тепер під цим ім'ям" in (
        window.statusBar().currentMessage())
    # the measure that was shown still is (its form had gone blank, the tree with nothing chosen)
    assert window.panel.measure is not None and window.panel.measure.code == "2.1.3"
    assert window.panel.editor.quarter == Q
    save_progress(find_measure(window.plan, "2.1.1"), Q, {"status": "done", "percent": 100}, author="Іван")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM progress").fetchone() == (1,)


def test_the_watch_says_it_over_unsaved_edits_and_opens_nothing(make_window, select, tmp_path):
    window, path = _window_on_its_file(make_window, select, "2.1.1")
    window.panel.editor.note_edit.setPlainText("Ще не збережено")
    _replace_under(tmp_path)
    old_connection = database.obj
    window.watch.look()
    assert database.obj is old_connection and "Збережіть форму (Ctrl+S)" in window.statusBar().currentMessage()
    assert window.panel.editor.note_edit.toPlainText() == "Ще не збережено"


def test_a_file_deleted_under_the_window_is_asked_about_once_and_its_saves_can_be_copied_out(
        make_window, select, tmp_path, no_modal_dialogs):
    """Gone for good, the file was looked for every ten seconds; what the window still holds (its connection keeps
    the deleted file) is saved by «Зберегти копію бази…»."""
    path = database.obj.database
    window = make_window(database_label=path)
    save_progress(find_measure(window.plan, "2.1.1"), Q, {"status": "done", "percent": 100}, author="Іван")
    os.remove(path)
    window.watch.look()  # «Файлу бази немає. Створити…?» — no
    asked = len(no_modal_dialogs["messages"])
    assert "збережіть копію бази" in window.statusBar().currentMessage()
    window.watch.look()
    assert len(no_modal_dialogs["messages"]) == asked  # not asked again
    rescued = backup_to(tmp_path / "rescued.sqlite3")
    with sqlite3.connect(rescued) as connection:
        assert connection.execute("SELECT percent FROM progress").fetchall() == [(100,)]
