"""A database that fails while a coordinator saves: a clear message, the typed values kept, nothing lost on close."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QPushButton

from tests.ui.test_background import on_gui_thread, visible_progress_dialogs
from tracker.progress.records import find_measure, quarter_record
from tracker.quarters import Quarter
from tracker.storage.models import database
from ui import dialogs

Q = Quarter(2025, 2)


@pytest.fixture
def locked(window):
    """Another program holding the database's write lock."""
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


def waiting_dialog():
    """The progress dialog, once it shows that the save waits for the other program."""
    shown = [d for d in visible_progress_dialogs() if "Чекаю" in d.labelText()]
    return shown[0] if shown else None


def cancel_the_wait():
    """From the GUI thread's event loop: press «Скасувати» on the waiting dialog once it shows."""
    def step():
        dialog = waiting_dialog()
        buttons = dialog.findChildren(QPushButton) if dialog is not None else []
        if buttons:
            buttons[0].click()
            return True
        return False
    return on_gui_thread(step)


def test_a_save_waits_for_another_program_visibly_and_then_writes(window, select, locked, no_modal_dialogs):
    """The window does not freeze and does not give up: it shows the wait and saves once the lock is free."""
    editor = _type_a_report(window, select)
    seen = {}

    def release_once_waiting():
        dialog = waiting_dialog()
        if dialog is None:
            return False
        seen["label"], seen["cancel"] = dialog.labelText(), bool(dialog.findChildren(QPushButton))
        locked.rollback()  # the other program is done
        return True

    timer = on_gui_thread(release_once_waiting)
    try:
        assert window.save_current() is True
    finally:
        timer.stop()
    assert "База даних зайнята" in seen["label"] and seen["cancel"]
    assert not no_modal_dialogs["messages"] and not editor.dirty
    assert quarter_record(find_measure(window.plan, "1.2.8"), Q).note == "Погоджено проєкт"


def test_cancelling_the_wait_keeps_what_was_typed_and_writes_nothing(window, select, locked, no_modal_dialogs):
    editor = _type_a_report(window, select)
    timer = cancel_the_wait()
    try:
        assert window.save_current() is False
    finally:
        timer.stop()
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "warning" and "скасовано" in text and "не втрачено" in text
    assert editor.dirty and editor.note_edit.toPlainText() == "Погоджено проєкт"
    assert quarter_record(find_measure(window.plan, "1.2.8"), Q) is None
    locked.rollback()  # the other program is done
    assert window.save_current() is True
    assert quarter_record(find_measure(window.plan, "1.2.8"), Q).note == "Погоджено проєкт"


def test_closing_after_a_cancelled_save_keeps_the_window_and_the_edit(window, select, locked, unsaved_answers):
    answers, asked = unsaved_answers
    editor = _type_a_report(window, select)
    answers.append(dialogs.SAVE)
    timer = cancel_the_wait()
    try:
        assert window.close() is False  # the save did not happen: closing would lose the edit
    finally:
        timer.stop()
    assert asked == ["1.2.8"] and window.isVisible() and editor.dirty
    assert editor.note_edit.toPlainText() == "Погоджено проєкт"


def test_a_save_whose_commit_answer_was_lost_reads_the_measure_again(window, select, no_modal_dialogs, monkeypatch):
    """The server took the save and its answer was lost: «невідомо, чи їх записано», and the tree still showed
    «Не подано» while the form stayed unsaved — saving it again read as a colleague's change with nothing differing.
    Read again, the landed save is shown as saved; one that did not land leaves what was typed."""
    from tracker.storage.failures import CommitUnknown

    editor = _type_a_report(window, select)
    real = window.controller.save

    def landed_then_lost(*args, **kwargs):
        real(*args, **kwargs)
        raise CommitUnknown("невідомо, чи їх записано")
    monkeypatch.setattr(window.controller, "save", landed_then_lost)
    assert window.save_current()
    assert ("warning", "Невідомо, чи збережено") == no_modal_dialogs["messages"][-1][:2]
    assert not editor.dirty and quarter_record(find_measure(window.plan, "1.2.8"), Q).percent == 45
    node = window.model.measure_at(window.model.index_of_measure(editor.measure_id))
    assert node.state.reported and node.state.percent == 45

    editor.percent_spin.setValue(50)

    def lost(*args, **kwargs):
        raise CommitUnknown("невідомо, чи їх записано")
    monkeypatch.setattr(window.controller, "save", lost)
    assert not window.save_current() and editor.dirty and editor.percent_spin.value() == 50


def test_a_save_whose_lost_answer_the_database_gives_again_is_saved_and_undone(window, select, no_modal_dialogs,
                                                                               monkeypatch):
    """The commit's answer lost and the database reachable again: the program asks it whether the save's changes are
    there (they are), and the save is a save — «Збережено», the tree refreshed, on the undo list — not «невідомо»."""
    from contextlib import contextmanager

    from tracker.progress import records
    from tracker.storage.failures import commit_unknown

    real = records.write_transaction

    @contextmanager
    def committed_then_lost(db):
        with real(db):
            yield
        raise commit_unknown(ConnectionError("server closed the connection unexpectedly"))
    monkeypatch.setattr(records, "write_transaction", committed_then_lost)
    editor = _type_a_report(window, select)
    assert window.save_current() and not no_modal_dialogs["messages"]
    monkeypatch.undo()
    assert "Збережено: захід 1.2.8" in window.statusBar().currentMessage() and not editor.dirty
    node = window.model.measure_at(window.model.index_of_measure(editor.measure_id))
    assert node.state.reported and node.state.percent == 45
    assert window.controller.last_saved() == ("1.2.8", Q)
    window.controller.undo()
    assert quarter_record(find_measure(window.plan, "1.2.8"), Q) is None
