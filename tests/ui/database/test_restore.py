"""Файл → Відновити з резервної копії…: confirmation, restore, the window shows the restored data."""

import sqlite3

from tests.helpers import record_of
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage import backup
from tracker.storage.models import Progress
from ui.database.restore_dialog import RestoreDialog

Q = Quarter(2025, 2)


def test_restore_asks_then_restores_and_reloads(window, no_modal_dialogs, qtbot, monkeypatch):
    measure = find_measure(window.plan, "1.1.1")
    save_progress(measure, Q, {"status": "in_progress", "percent": 20}, author="a")
    copy = backup.auto_backup("manual")
    save_progress(measure, Q, {"percent": 90}, author="a")
    window.set_quarter(Q)
    dialog = RestoreDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1 and dialog.selected_path() == str(copy)

    no_modal_dialogs["confirm"].append(False)  # «no»: nothing happens
    assert not window.database.restore_from_file(str(copy))
    assert record_of("1.1.1", Q).percent == 90

    assert "не копія" not in no_modal_dialogs["messages"][-1][2]  # a copy of this database: no word
    no_modal_dialogs["confirm"].append(True)
    assert window.database.restore_from_file(str(copy))
    assert record_of("1.1.1", Q).percent == 20
    index = window.model.index_of_measure(measure.id)
    assert window.model.index(index.row(), 4, index.parent()).data() == "20 %"
    assert any(b.reason == "restore" for b in backup.list_backups())


def test_restore_of_a_broken_file_changes_nothing(window, tmp_path, no_modal_dialogs):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 100)
    before = Progress.select().count()
    no_modal_dialogs["confirm"].append(True)
    assert not window.database.restore_from_file(str(broken))
    assert no_modal_dialogs["messages"][-1][0] == "critical"
    assert Progress.select().count() == before


def test_restore_menu_asks_about_unsaved_edits_first(window, select, unsaved_answers, no_modal_dialogs):
    answers, asked = unsaved_answers
    select(window, "1.1.1")
    window.panel.editor.note_edit.setPlainText("незбережене")
    answers.append("cancel")
    window.database.restore_action.trigger()
    assert asked == ["1.1.1"] and no_modal_dialogs["dialogs"] == []


def test_a_copy_of_the_open_database_is_whole_and_holds_the_latest_save(window, select, tmp_path, monkeypatch):
    from tracker.storage.backup import check_backup_file

    window.set_quarter(Quarter(2025, 2))
    select(window, "1.1.1")
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.percent_spin.setValue(15)
    assert window.save_current()
    target = tmp_path / "на флешку" / "копія.sqlite3"
    target.parent.mkdir()
    monkeypatch.setattr("ui.database.actions.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    window.database.save_copy_action.trigger()
    check_backup_file(target)  # a whole tracker database
    connection = sqlite3.connect(target)
    assert connection.execute("SELECT percent FROM progress").fetchall() == [(15,)]
    connection.close()


def test_a_damaged_database_is_saved_as_a_copy_only_when_asked_and_as_it_is(window, qtbot, tmp_path, plan_template,
                                                                          monkeypatch, no_modal_dialogs):
    """For an administrator: the damaged file copied whole as it is, after a question; «no» writes nothing."""
    from tests.helpers import damage_an_index, damaged_with_a_whole_copy
    from tracker.storage import backup
    from tracker.storage.integrity import file_problem

    path, _ = damaged_with_a_whole_copy(plan_template, tmp_path, damage_an_index)
    assert window.database.switch_database(str(path))
    qtbot.waitUntil(lambda: any(kind == "rebuild" for kind, *_ in no_modal_dialogs["messages"]), timeout=30_000)
    copies = set(backup.list_backups())  # (the offer to rebuild its indexes declined: the file is only read)
    target = tmp_path / "для адміністратора.sqlite3"
    monkeypatch.setattr("ui.database.actions.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    window.database.save_copy_action.trigger()  # «no»
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "confirm" and "measure_removed_by_id" in text and "адміністратор" in text and not target.exists()
    no_modal_dialogs["confirm"].append(True)
    window.database.save_copy_action.trigger()
    assert "measure_removed_by_id" in file_problem(target)  # the same damage: a copy as it is
    assert set(backup.list_backups()) == copies  # and none among the backups
    assert not [m for m in no_modal_dialogs["messages"] if m[0] == "warning"]


def test_a_copy_over_a_file_that_is_not_a_copy_of_this_database_is_asked_about_and_replaces_only_on_yes(
        window, tmp_path, monkeypatch, no_modal_dialogs):
    """Qt's own «replace?» says nothing of what the file is: taken for consent, a copy saved over a laptop's database
    replaced it, and the laptop's changes not yet sent were gone."""
    from tracker.storage.backup import check_backup_file

    laptop = tmp_path / "ноутбук.sqlite3"
    connection = sqlite3.connect(laptop)
    connection.execute("CREATE TABLE progress (percent INTEGER)")
    connection.execute("INSERT INTO progress VALUES (15)")
    connection.commit()
    connection.close()
    before = laptop.read_bytes()
    monkeypatch.setattr("ui.database.actions.QFileDialog.getSaveFileName", lambda *a, **k: (str(laptop), ""))
    window.database.save_copy_action.trigger()  # «no», the default
    kind, _, text = no_modal_dialogs["messages"][-1]
    assert kind == "confirm" and "не копія цієї бази" in text and "не надіслані зміни" in text
    assert laptop.read_bytes() == before
    no_modal_dialogs["confirm"].append(True)
    window.database.save_copy_action.trigger()
    check_backup_file(laptop)  # replaced by a whole copy, as the person said


def test_restoring_another_device_s_database_says_so_in_the_question(window, plan_template, no_modal_dialogs):
    """Another database's file (the template this one was copied from: a key of its own) replaced the record with no
    word; the question now says whose it is."""
    no_modal_dialogs["confirm"].append(False)
    assert not window.database.restore_from_file(str(plan_template))
    kind, _, text = no_modal_dialogs["messages"][-1]
    assert kind == "confirm" and text.startswith("Увага: «plan.sqlite3» — не копія цієї бази")
