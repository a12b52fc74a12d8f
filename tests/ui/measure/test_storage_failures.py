"""A database that fails while a coordinator saves: a clear message, the typed values kept, nothing lost on close."""

from __future__ import annotations

import sqlite3

import pytest

from tracker.progress.records import find_measure, quarter_record
from tracker.quarters import Quarter
from tracker.storage.models import database
from ui import dialogs

Q = Quarter(2025, 2)


@pytest.fixture
def locked(window):
    """Another program holding the database's write lock; the window waits only briefly for it."""
    database.execute_sql("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(database.obj.database, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    yield other
    other.rollback()
    other.close()


def _type_a_report(window, select):
    window.set_quarter(Q)
    select(window, "1.2.8")
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.percent_spin.setValue(45)
    editor.note_edit.setPlainText("Погоджено проєкт")
    return editor


def test_a_locked_database_gives_a_message_and_keeps_what_was_typed(window, select, locked, no_modal_dialogs):
    editor = _type_a_report(window, select)
    assert window.save_current() is False
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "warning" and "База даних зайнята" in text and "не втрачено" in text
    assert editor.dirty and editor.note_edit.toPlainText() == "Погоджено проєкт"
    assert quarter_record(find_measure(window.plan, "1.2.8"), Q) is None
    locked.rollback()  # the other program is done
    assert window.save_current() is True
    assert quarter_record(find_measure(window.plan, "1.2.8"), Q).note == "Погоджено проєкт"


def test_closing_after_a_failed_save_keeps_the_window_and_the_edit(window, select, locked, unsaved_answers):
    answers, asked = unsaved_answers
    editor = _type_a_report(window, select)
    answers.append(dialogs.SAVE)
    assert window.close() is False  # the save failed: closing would lose the edit
    assert asked == ["1.2.8"] and window.isVisible() and editor.dirty
    assert editor.note_edit.toPlainText() == "Погоджено проєкт"
