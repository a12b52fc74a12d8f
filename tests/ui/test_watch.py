"""The window keeping up with other programs (ui.watch): a colleague's save shows without F5, the form's unsaved
edits stay, the window's own saves are not read twice, and an amended plan waits for F5."""

from __future__ import annotations

import subprocess
import sys

from tests.tracker.plan.test_amend import apply
from tests.tracker.plan.test_amendment import amended, remove_and_renumber
from tracker.plan.store import current_plan
from tracker.progress.records import find_measure, quarter_record, save_progress
from tracker.quarters import Quarter
from tracker.storage.db import database
from ui.plan_tree.model import Column

Q = Quarter(2025, 2)


def _row_status(window, code: str) -> str:
    index = window.model.index_of_measure(find_measure(window.plan, code).id)
    return window.model.index(index.row(), Column.STATUS, index.parent()).data()


def test_a_save_made_by_another_program_shows_in_the_tree_and_the_form_without_f5(window, select):
    """A `tracker set` run beside the window, on its file: the tree showed the old state until F5."""
    window.set_quarter(Q)
    select(window, "1.2.8")
    folded = window.rows.folded()
    path = database.obj.database
    done = subprocess.run([sys.executable, "-m", "tracker", "--db", path, "set", "1.2.8", "--quarter", "2025Q2",
                           "--status", "Виконується", "--percent", "35", "--note", "Погоджено квоти",
                           "--author", "Колега"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Не подано" in _row_status(window, "1.2.8")
    window.watch.look()
    assert "Виконується" in _row_status(window, "1.2.8")
    editor = window.panel.editor
    assert editor.percent_spin.value() == 35 and editor.note_edit.toPlainText() == "Погоджено квоти"
    assert not editor.dirty and window.rows.folded() == folded
    assert "іншій програмі (заходів: 1)" in window.statusBar().currentMessage()
    window.watch.look()  # nothing new: nothing read again
    assert window.operations.look() is None


def test_the_forms_unsaved_edits_stay_when_another_program_saves_the_same_measure(window, select):
    window.set_quarter(Q)
    select(window, "2.1.1")
    editor = window.panel.editor
    editor.note_edit.setPlainText("Ще не збережено")
    assert editor.dirty and "За цей квартал ще не подано" in editor.heading.text()
    save_progress(find_measure(window.plan, "2.1.1"), Q, {"status": "done", "percent": 100}, author="Колега")
    window.watch.look()
    # the heading of when the form was loaded had stayed, «ще не подано» over a quarter the colleague had filed
    assert "ще не подано" not in editor.heading.text() and "щойно подано в іншій програмі" in editor.heading.text()
    assert "Виконано" in _row_status(window, "2.1.1")  # the row is the database's
    assert editor.dirty and editor.note_edit.toPlainText() == "Ще не збережено"  # the form the person's
    assert "Захід 2.1.1 змінено в іншій програмі" in window.statusBar().currentMessage()
    said = editor.elsewhere_label
    assert not said.isHidden() and "змінено в іншій програмі" in said.text()  # in the form, where they look
    # «Відкинути зміни» shows what is saved now: the values the form was loaded with had come back, beside a tree
    # showing the new ones
    editor.revert_button.click()
    assert not editor.dirty and editor.status_combo.currentData() == "done" and editor.percent_spin.value() == 100
    assert said.isHidden() and "подано" not in editor.heading.text()  # the record's own, read again


def test_the_word_of_a_change_elsewhere_goes_with_the_conflicts_answer(window, select, no_modal_dialogs):
    window.set_quarter(Q)
    select(window, "2.1.1")
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.note_edit.setPlainText("Моя примітка")
    save_progress(find_measure(window.plan, "2.1.1"), Q, {"status": "done", "percent": 100}, author="Колега")
    window.watch.look()
    assert not editor.elsewhere_label.isHidden()
    no_modal_dialogs["on_dialog"] = lambda dialog: True  # the conflict's dialog: each field as it proposes
    assert window.save_current()
    assert len(no_modal_dialogs["dialogs"]) == 1 and editor.elsewhere_label.isHidden() and not editor.dirty
    assert quarter_record(find_measure(window.plan, "2.1.1"), Q).note == "Моя примітка"


def test_the_windows_own_save_is_not_taken_for_another_programs(window, select):
    window.set_quarter(Q)
    select(window, "3.1.1")
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findText("Виконується"))
    editor.percent_spin.setValue(20)
    assert window.save_current()
    heard = []
    window.operations.changed.connect(heard.append)
    window.watch.look()
    assert heard == [] and "іншій програмі" not in window.statusBar().currentMessage()


def test_an_amended_plan_is_read_again_as_f5_does_with_what_is_folded_and_the_measure_in_the_form(window, select,
                                                                                                    tmp_path):
    window.set_quarter(Quarter(2026, 1))
    select(window, "1.2.8")
    window.tree_view.collapse(window.model.index_of_measure(find_measure(window.plan, "3.1.1").id).parent())
    folded = window.rows.folded()
    assert folded
    apply(amended(tmp_path, remove_and_renumber))
    window.watch.look()
    assert "1.1.6" not in [m.code for m in window.model.tree.measures()]  # renumbered 1.1.5 from 2026
    assert window.panel.measure.code == "1.2.8" and window.rows.folded() == folded
    assert "показано їх такими, як тепер" in window.statusBar().currentMessage()
    assert window.operations.look() is None
    save_progress(find_measure(window.plan, "1.2.8"), Quarter(2026, 1), {"status": "done", "percent": 100},
                  author="Колега")
    window.watch.look()  # and what others save after it shows as before (it waited for F5)
    assert "Виконано" in _row_status(window, "1.2.8")


def test_an_amended_plan_waits_for_f5_while_the_form_has_unsaved_edits(window, select, tmp_path):
    """Read again, the form would be emptied or asked about under the person's hands: it is only said."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.set_quarter(Quarter(2026, 1))
    select(window, "1.1.4")
    window.panel.editor.note_edit.setPlainText("Ще не збережено")
    apply(amended(tmp_path, remove_and_renumber))
    window.watch.look()
    assert "Натисніть F5" in window.statusBar().currentMessage()
    assert window.panel.measure is not None and window.panel.measure.code == "1.1.4"  # as it was
    assert "1.1.6" in [m.code for m in window.model.tree.measures()]
    window.panel.editor.revert()
    QTest.keyClick(window.tree_view, Qt.Key.Key_F5)
    assert window.plan.id == current_plan().id
    assert "1.1.6" not in [m.code for m in window.model.tree.measures()]  # renumbered 1.1.5 from 2026
    assert "Натисніть F5" not in window.statusBar().currentMessage()
    assert window.operations.look() is None  # taken in: not said again


def test_the_watch_looks_on_its_own_and_not_under_a_dialog(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QApplication

    looked = []
    monkeypatch.setattr(window.operations, "look", lambda *_: looked.append(1))
    monkeypatch.setattr(QApplication, "activeModalWidget", staticmethod(lambda: window))
    window.watch.look()
    assert looked == []  # an import's preview or a question is open: nothing moves under it
    monkeypatch.undo()
    monkeypatch.setattr(window.operations, "look", lambda *_: looked.append(1))
    window.watch.start(20)
    qtbot.waitUntil(lambda: len(looked) >= 2, timeout=3000)
    window.watch.timer.stop()


def test_a_server_that_does_not_answer_holds_the_watchs_thread_not_the_window(window, select, monkeypatch, qtbot):
    """On a server the look is made in a thread of its own: a network gone quiet held the window for minutes."""
    import threading
    import time

    import ui.watch as watch

    real, release, started = watch.marks_now, threading.Event(), []

    def slow():
        started.append(threading.current_thread().name)
        release.wait(20)
        return real()

    monkeypatch.setattr(watch, "on_server", lambda: True)
    monkeypatch.setattr(watch, "marks_now", slow)
    window.set_quarter(Q)
    select(window, "1.2.8")
    save_progress(find_measure(window.plan, "1.2.8"), Q, {"status": "in_progress", "percent": 5}, author="Колега")
    began = time.monotonic()
    window.watch.look()
    window.watch.look()  # the first still waits: no second one beside it
    assert time.monotonic() - began < 1
    qtbot.waitUntil(lambda: started == ["others-watch"], timeout=5000)
    assert "Не подано" in _row_status(window, "1.2.8")
    release.set()
    qtbot.waitUntil(lambda: "Виконується" in _row_status(window, "1.2.8"), timeout=10000)
    assert started == ["others-watch"]


def test_on_the_office_server_a_colleagues_save_shows(pg_url, make_window, select, qtbot):
    import threading

    from tracker.plan.store import ensure_bundled_plan
    from tracker.storage.db import open_database, thread_connection

    open_database(pg_url)
    ensure_bundled_plan()
    window = make_window(plan=current_plan(), database_label="office")
    window.set_quarter(Q)
    select(window, "1.2.8")

    def colleague():  # another connection to the server, as another office PC's
        with thread_connection():
            save_progress(find_measure(current_plan(), "1.2.8"), Q, {"status": "done", "percent": 100},
                          author="Колега")
    other = threading.Thread(target=colleague)
    other.start()
    other.join()
    window.watch.look()
    qtbot.waitUntil(lambda: "Виконано" in _row_status(window, "1.2.8"), timeout=10000)
    assert window.panel.editor.percent_spin.value() == 100


def test_a_save_here_shows_what_another_program_saved_since_the_last_look(window, select):
    """A colleague's save, then one here before the watch looked: the colleague's row stayed «Не подано» until F5."""
    window.set_quarter(Q)
    save_progress(find_measure(window.plan, "1.3.8"), Q, {"status": "done", "percent": 100}, author="Колега")
    select(window, "1.3.9")
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.percent_spin.setValue(20)
    assert window.save_current()
    assert "Виконано" in _row_status(window, "1.3.8") and "Виконується" in _row_status(window, "1.3.9")


def test_a_change_whose_history_shows_after_later_ones_is_shown_when_it_does(window):
    """On the server an id is handed out when a row is written, not when its transaction commits: a long one's rows
    came below the mark already read, and were never shown."""
    from tracker.storage.models import History

    window.set_quarter(Q)
    save_progress(find_measure(window.plan, "1.3.3"), Q, {"status": "in_progress", "percent": 33}, author="Повільний")
    late = [row.__data__ for row in History.select().where(History.id > window.operations._seen[0])]
    save_progress(find_measure(window.plan, "1.3.4"), Q, {"status": "done", "percent": 100}, author="Швидкий")
    History.delete().where(History.id.in_([row["id"] for row in late])).execute()  # not committed yet
    window.watch.look()
    assert "Виконано" in _row_status(window, "1.3.4") and "Не подано" in _row_status(window, "1.3.3")
    History.insert_many(late).execute()  # the long transaction commits
    window.watch.look()
    assert "Виконується" in _row_status(window, "1.3.3")
    assert window.operations.look() is None and window.operations._pending == {}
