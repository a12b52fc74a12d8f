"""The full check beside the window: damage it finds is said, the whole copy offered, nothing written meanwhile."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import damage_an_index, damaged_with_a_whole_copy, leave_a_fitting_stray_wal, record_of
from tracker.quarters import Quarter
from tracker.storage.models import Progress
from tracker.storage.recovery import DamagedDatabaseError

Q = Quarter(2025, 2)


def _damaged_with_a_whole_copy(tmp_path, plan_template, monkeypatch):
    """A file only the full check finds damaged, its finding taken as one about the file's pages (not an index alone,
    which is rebuilt instead: the tests of it below): its whole copy is offered."""
    monkeypatch.setattr("tracker.storage.recovery.damaged_index", lambda finding: None)
    return damaged_with_a_whole_copy(plan_template, tmp_path, damage_an_index)


def _damage_said(window) -> bool:
    from PySide6.QtWidgets import QLabel

    return any("пошкоджено" in label.text() and label.isVisibleTo(window)
               for label in window.statusBar().findChildren(QLabel))


def _save_in_the_form(window, select, percent: int) -> bool:
    window.set_quarter(Q)
    select(window, "1.1.1")
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.percent_spin.setValue(percent)
    return window.save_current()


def _switched(window, qtbot, path, seen: list) -> None:
    """The window opens the file, then its full check says what it found."""
    assert window.database.switch_database(str(path)) and window.plan.measures.count() == 233
    qtbot.waitUntil(lambda: any(kind in ("confirm", "critical", "rebuild") for kind, *_ in seen), timeout=30_000)


def test_accepting_the_offer_puts_the_whole_copy_in_place_and_opens_it(window, select, qtbot, tmp_path,
                                                                       plan_template, no_modal_dialogs, monkeypatch):
    path, good = _damaged_with_a_whole_copy(tmp_path, plan_template, monkeypatch)
    no_modal_dialogs["confirm"].append(True)
    _switched(window, qtbot, path, no_modal_dialogs["messages"])
    kind, title, text = no_modal_dialogs["messages"][0]
    assert kind == "confirm" and "measure_removed_by_id" in text and str(good) in text
    assert [p.name for p in tmp_path.glob("office-пошкоджена-*.sqlite3")]  # the damaged file is kept beside
    assert window.database_label == str(path) and not _damage_said(window)
    kind, title, text = no_modal_dialogs["messages"][-1]  # where the damaged file went, said whole
    assert kind == "information" and "пошкоджена" in text and str(good) in text
    assert _save_in_the_form(window, select, 35)  # the restored file takes writes
    assert record_of("1.1.1", Q).percent == 35


def test_declining_leaves_the_file_to_be_read_and_refuses_the_form_s_save(window, select, qtbot, tmp_path,
                                                                         plan_template, no_modal_dialogs, monkeypatch):
    path, _ = _damaged_with_a_whole_copy(tmp_path, plan_template, monkeypatch)
    _switched(window, qtbot, path, no_modal_dialogs["messages"])
    assert no_modal_dialogs["messages"][-1][0] == "confirm"
    assert _damage_said(window)
    window.statusBar().showMessage("підказка меню")  # a menu's tip: the damage is still said beside it
    assert _damage_said(window)
    assert not _save_in_the_form(window, select, 35)
    assert "не записуються" in no_modal_dialogs["messages"][-1][2]  # the refusal, said
    assert not Progress.select().exists() and not list(tmp_path.glob("office-пошкоджена-*"))


def test_after_declining_the_restore_menu_puts_a_chosen_copy_in_the_damaged_file_s_place(
        window, select, qtbot, tmp_path, plan_template, no_modal_dialogs, monkeypatch):
    path, good = _damaged_with_a_whole_copy(tmp_path, plan_template, monkeypatch)
    _switched(window, qtbot, path, no_modal_dialogs["messages"])  # declined: read only
    no_modal_dialogs["confirm"].append(True)
    assert window.database.restore_from_file(str(good))  # nothing is copied out of the damaged file first
    assert [p.name for p in tmp_path.glob("office-пошкоджена-*.sqlite3")]
    assert _save_in_the_form(window, select, 45) and record_of("1.1.1", Q).percent == 45


def test_a_save_made_while_the_check_runs_waits_for_it_in_a_worker_and_is_written(window, select, qtbot):
    from PySide6.QtCore import QTimer

    from tracker.storage import write_gate
    from tracker.storage.models import database

    settle = write_gate.hold_writes(database.obj)
    QTimer.singleShot(800, lambda: settle(""))  # the check ends while the save waits behind its dialog
    assert _save_in_the_form(window, select, 55)
    assert record_of("1.1.1", Q).percent == 55


def test_accepting_with_unsaved_edits_says_they_go_and_restores(window, select, qtbot, tmp_path, plan_template,
                                                                  no_modal_dialogs, monkeypatch):
    path, _ = _damaged_with_a_whole_copy(tmp_path, plan_template, monkeypatch)
    window.database.switch_database(str(path))
    window.set_quarter(Q)
    select(window, "1.1.1")
    window.panel.editor.percent_spin.setValue(77)  # typed, not saved (it could not be, into a damaged file)
    no_modal_dialogs["confirm"].append(True)
    qtbot.waitUntil(lambda: any(kind == "information" for kind, *_ in no_modal_dialogs["messages"]), timeout=30_000)
    question = next(text for kind, _, text in no_modal_dialogs["messages"] if kind == "confirm")
    assert "Незбережені зміни у формі буде відкинуто" in question
    assert no_modal_dialogs["asked"] == []  # no «save first?»: saving into it could only fail
    assert list(tmp_path.glob("office-пошкоджена-*.sqlite3")) and not window.panel.editor.dirty


@pytest.mark.parametrize("in_the_way", ["worker", "message"])
def test_damage_found_while_a_save_waits_is_said_after_the_save_s_own_refusal(window, tmp_path, plan_template, qtbot,
                                                                             no_modal_dialogs, monkeypatch, in_the_way):
    """Neither over the save's dialog (its worker still waits) nor over the refusal it then shows (a modal box)."""
    from ui.database import actions

    path, _ = _damaged_with_a_whole_copy(tmp_path, plan_template, monkeypatch)
    working = [True]
    if in_the_way == "worker":
        monkeypatch.setattr(actions, "busy", lambda: working[0])
    else:
        monkeypatch.setattr(actions.QApplication, "activeModalWidget",
                            staticmethod(lambda: window if working[0] else None))
    window.database.switch_database(str(path))
    qtbot.wait(1500)
    assert no_modal_dialogs["messages"] == []  # not over the save's dialog
    working[0] = False
    qtbot.waitUntil(lambda: bool(no_modal_dialogs["messages"]), timeout=30_000)
    assert no_modal_dialogs["messages"][-1][0] == "confirm"


def test_leaving_unsaved_edits_on_a_damaged_file_offers_to_drop_them_not_to_save(
        window, select, qtbot, tmp_path, plan_template, no_modal_dialogs, monkeypatch):
    path, _ = _damaged_with_a_whole_copy(tmp_path, plan_template, monkeypatch)
    _switched(window, qtbot, path, no_modal_dialogs["messages"])  # declined: read only
    window.set_quarter(Q)
    select(window, "1.1.1")
    window.panel.editor.percent_spin.setValue(66)
    assert not window.confirm_discard()  # «no»: the edits stay, and so does the window
    assert window.panel.editor.dirty and "Відкинути" in no_modal_dialogs["messages"][-1][2]
    no_modal_dialogs["confirm"].append(True)
    assert window.confirm_discard() and not window.panel.editor.dirty
    assert no_modal_dialogs["asked"] == []  # never «save first?»: it could only fail


def test_a_finding_about_a_file_the_window_has_left_is_not_offered(window, tmp_path, no_modal_dialogs):
    left = DamagedDatabaseError("пошкоджено", path=tmp_path / "left.sqlite3", backup=None)
    window.database.damage_found(left)
    assert no_modal_dialogs["messages"] == [] and not _damage_said(window)


def test_a_check_that_cannot_read_the_file_through_says_so_and_offers_no_copy(window, select, qtbot, tmp_path,
                                                                             plan_template, no_modal_dialogs,
                                                                             monkeypatch):
    """A network drive gone while the file was being checked: it is said, not called damaged, and the form saves."""
    import shutil  # as the helpers copy a template

    from tracker.storage import integrity

    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    real = integrity._rows

    def unread(connection, full):
        if full:
            raise integrity.sqlite3.OperationalError("disk I/O error")
        return real(connection, full)
    monkeypatch.setattr(integrity, "_rows", unread)
    seen = no_modal_dialogs["messages"]
    assert window.database.switch_database(str(path))
    qtbot.waitUntil(lambda: any(kind == "warning" for kind, *_ in seen), timeout=30_000)
    (kind, title, text), = [message for message in seen if message[0] == "warning"]
    assert title == "Перевірка бази" and "помилка читання чи запису диска" in text and "не названо пошкодженим" in text
    assert not [message for message in seen if message[0] in ("confirm", "critical")] and not _damage_said(window)
    assert _save_in_the_form(window, select, 55) and record_of("1.1.1", Q).percent == 55


def _indexes_damaged_after_a_save(tmp_path, plan_template) -> tuple:
    """(path, whole copy): an index alone damaged, after a save made since the copy (a restore would lose it)."""
    from tracker.progress.records import save_progress
    from tracker.storage.db import close_database, open_database

    def saved_then_damaged(path):
        plan = open_database(path) and __import__("tracker.plan.store", fromlist=["current_plan"]).current_plan()
        save_progress(plan.measures.order_by("position").first(), Q, {"status": "in_progress", "percent": 40},
                      author="координатор")
        close_database()
        damage_an_index(path)
    return damaged_with_a_whole_copy(plan_template, tmp_path, saved_then_damaged)


def test_damaged_indexes_are_rebuilt_from_the_records_and_nothing_is_lost(window, select, qtbot, tmp_path,
                                                                         plan_template, no_modal_dialogs):
    """Restoring the newest whole copy would have lost the save made since it: the rows are whole, so the indexes are
    made anew from them, the damaged file kept beside, and the window writes again."""
    path, good = _indexes_damaged_after_a_save(tmp_path, plan_template)
    no_modal_dialogs["confirm"].append(True)
    _switched(window, qtbot, path, no_modal_dialogs["messages"])
    kind, _, question = next(m for m in no_modal_dialogs["messages"] if m[0] == "rebuild")
    assert "без жодних втрат" in question and "індекс «measure_removed_by_id» не відповідає записам" in question
    assert "wrong #" not in question and "missing from index" not in question  # SQLite's English, said in Ukrainian
    qtbot.waitUntil(lambda: any(m[0] == "information" for m in no_modal_dialogs["messages"]), timeout=30_000)
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert "нічого не втрачено" in text and "пошкоджена" in text
    assert [p.name for p in tmp_path.glob("office-пошкоджена-*.sqlite3")]  # the damaged file kept beside
    assert window.database_label == str(path) and not _damage_said(window)
    assert record_of("1.1.1", Q).percent == 40  # the save made after the copy is there
    assert _save_in_the_form(window, select, 35) and record_of("1.1.1", Q).percent == 35  # and it takes writes


def test_the_rebuild_runs_with_no_connection_to_the_file_it_moves(window, qtbot, tmp_path, plan_template,
                                                                  no_modal_dialogs, monkeypatch):
    """The work's thread had connected to the damaged file while the rebuild moved it aside; the last to close, that
    connection could write the WAL beside it into the file."""
    import ui.database.actions as actions
    from tracker.storage.models import database

    closed = []

    def rebuild(path):
        closed.append(database.is_closed())
        return real(path)
    real = actions.rebuild_indexes
    monkeypatch.setattr(actions, "rebuild_indexes", rebuild)
    path, _ = _indexes_damaged_after_a_save(tmp_path, plan_template)
    assert window.database.switch_database(str(path))
    assert window.database.rebuild_damaged(path) and closed == [True]
    assert record_of("1.1.1", Q).percent == 40


def test_declining_the_rebuild_leaves_the_file_to_be_read_unchanged(window, select, qtbot, tmp_path, plan_template,
                                                                    no_modal_dialogs):
    path, _ = _indexes_damaged_after_a_save(tmp_path, plan_template)
    before = path.read_bytes()
    _switched(window, qtbot, path, no_modal_dialogs["messages"])
    qtbot.waitUntil(lambda: any(m[0] == "rebuild" for m in no_modal_dialogs["messages"]), timeout=30_000)
    assert _damage_said(window) and not _save_in_the_form(window, select, 35)
    assert not list(tmp_path.glob("office-пошкоджена-*")) and path.read_bytes() == before


def test_a_refused_rebuild_is_followed_by_the_offer_of_the_whole_copy(window, select, qtbot, tmp_path, plan_template,
                                                                      no_modal_dialogs):
    """Twins a damaged unique index let in cannot be chosen between: after the refusal the whole copy is offered —
    the rebuild had been offered again and again, and the copy never."""
    def twins(path):
        damage_an_index(path, "department_name", meanwhile=(
            "INSERT INTO department (name, short_name, kind, aliases, contact_person, email, phone) SELECT name, "
            "short_name, kind, aliases, contact_person, email, phone FROM department ORDER BY id LIMIT 1"))
    path, good = damaged_with_a_whole_copy(plan_template, tmp_path, twins)
    no_modal_dialogs["confirm"] += [True, True]  # rebuild: yes; then the copy: yes
    _switched(window, qtbot, path, no_modal_dialogs["messages"])
    qtbot.waitUntil(lambda: any(m[0] == "information" for m in no_modal_dialogs["messages"]), timeout=30_000)
    kinds = [kind for kind, *_ in no_modal_dialogs["messages"]]
    assert kinds[:2] == ["rebuild", "critical"] and "confirm" in kinds and kinds.count("rebuild") == 1
    refusal = no_modal_dialogs["messages"][1][2]
    offer = next(text for kind, _, text in no_modal_dialogs["messages"] if kind == "confirm")
    assert "записи-двійники" in refusal and str(good) in offer
    assert window.database_label == str(path) and not _damage_said(window)
    assert _save_in_the_form(window, select, 35) and record_of("1.1.1", Q).percent == 35


def test_a_fitting_stray_wal_found_by_the_full_check_is_set_aside_not_rebuilt(window, select, qtbot, tmp_path,
                                                                              plan_template, no_modal_dialogs):
    """The file opened (its pages pass the quick check with the WAL); the full check finds the indexes disagree. The
    file alone is whole: the WAL is offered to be set aside — not a rebuild, which took the other copy's rows for
    the file's — and the file opens with its own rows, writable."""
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    leave_a_fitting_stray_wal(path)
    no_modal_dialogs["confirm"].append(True)
    assert window.database.switch_database(str(path))
    qtbot.waitUntil(lambda: any(m[0] == "information" for m in no_modal_dialogs["messages"]), timeout=30_000)
    kinds = [kind for kind, *_ in no_modal_dialogs["messages"]]
    assert kinds[0] == "wal" and "rebuild" not in kinds, no_modal_dialogs["messages"]
    assert list(tmp_path.glob("office-журнал-відкладено-*-wal"))
    assert window.database_label == str(path) and not _damage_said(window)
    assert _save_in_the_form(window, select, 35) and record_of("1.1.1", Q).percent == 35
