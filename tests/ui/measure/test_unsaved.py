"""The form's unsaved changes kept through a blackout and offered back when the window opens the database again."""

from __future__ import annotations

from tracker.progress.records import find_measure, quarter_record, save_progress
from tracker.progress.unsaved import kept
from tracker.quarters import Quarter
from ui import dialogs
from ui.measure.unsaved import KEEP_AFTER_MS

Q, Q3 = Quarter(2025, 2), Quarter(2025, 3)


def _typed(window, select, code="1.2.8", quarter=Q, note="Погоджено проєкт; тендер оголошено 12.05"):
    window.set_quarter(quarter)
    select(window, code)
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.percent_spin.setValue(45)
    editor.note_edit.setPlainText(note)
    editor.planned_edit.setText("12,5 тис")  # half-typed: not a sum yet, and kept as typed
    return editor


def _kept_after_typing(qtbot, window):
    qtbot.waitUntil(lambda: kept(window.database_label, window.controller.author) is not None,
                    timeout=KEEP_AFTER_MS * 5)
    return kept(window.database_label, window.controller.author)


def test_what_was_typed_outlives_the_window_and_is_offered_back_then_saved(make_window, select, qtbot,
                                                                           no_modal_dialogs):
    """The window went (a blackout: never closed, nothing asked) with a note typed and not saved: the next window on
    the same database offers it back into the form, unsaved; saved, it is the person's save and is forgotten."""
    first = make_window(author="Олена")
    _typed(first, select, quarter=Q3)
    form = _kept_after_typing(qtbot, first)
    assert (form.code, form.quarter, form.values["note"], form.values["planned_financing"]) == (
        "1.2.8", Q3, "Погоджено проєкт; тендер оголошено 12.05", "12,5 тис")
    first.hide()  # gone as in a blackout: its form never asked about, never saved

    second = make_window(author="Олена")
    second.set_quarter(Q)  # the window on another quarter: it goes to the one the values were typed for
    no_modal_dialogs["restore"].append(dialogs.RESTORE)
    second.unsaved.offer()
    asked = [m for m in no_modal_dialogs["messages"] if m[0] == "restore"]
    assert len(asked) == 1 and "захід 1.2.8 за III кв. 2025" in asked[0][2]
    editor = second.panel.editor
    assert second.quarter == Q3 and second.panel.measure.code == "1.2.8" and editor.dirty
    assert editor.note_edit.toPlainText() == "Погоджено проєкт; тендер оголошено 12.05"
    assert editor.planned_edit.text() == "12,5 тис" and editor.percent_spin.value() == 45
    assert "Відновлено незбережені зміни (захід 1.2.8 за III кв. 2025)" in second.statusBar().currentMessage()
    assert quarter_record(find_measure(second.plan, "1.2.8"), Q3) is None  # offered back, not written

    editor.planned_edit.setText("12,5")
    assert second.save_current()
    record = quarter_record(find_measure(second.plan, "1.2.8"), Q3)
    assert (record.percent, record.note, record.updated_by) == (45, "Погоджено проєкт; тендер оголошено 12.05",
                                                                "Олена")
    assert kept(second.database_label, "Олена") is None


def test_saved_or_reverted_changes_are_forgotten(window, select, qtbot):
    editor = _typed(window, select)
    _kept_after_typing(qtbot, window)
    editor.planned_edit.setText("12,5")
    assert window.save_current()
    assert kept(window.database_label, window.controller.author) is None

    editor.note_edit.setPlainText("Інше")
    _kept_after_typing(qtbot, window)
    editor.revert()
    assert kept(window.database_label, window.controller.author) is None


def test_later_keeps_them_and_discard_throws_them_away(make_window, select, qtbot, no_modal_dialogs):
    first = make_window()
    _typed(first, select)
    _kept_after_typing(qtbot, first)
    first.hide()
    second = make_window()
    second.unsaved.offer()  # «Пізніше»: the dialog closed with nothing chosen
    assert not second.panel.editor.dirty and kept(second.database_label, second.controller.author) is not None
    no_modal_dialogs["restore"].append(dialogs.DISCARD)
    second.unsaved.offer()
    assert not second.panel.editor.dirty and kept(second.database_label, second.controller.author) is None
    second.unsaved.offer()
    assert len([m for m in no_modal_dialogs["messages"] if m[0] == "restore"]) == 2


def test_offered_only_to_the_person_and_database_they_were_typed_in(make_window, select, qtbot, no_modal_dialogs):
    first = make_window(author="Олена")
    _typed(first, select)
    _kept_after_typing(qtbot, first)
    first.hide()
    make_window(author="Петро").unsaved.offer()  # his name: her values are not his to save
    make_window(author="Олена", database_label="other.sqlite3").unsaved.offer()
    assert not [m for m in no_modal_dialogs["messages"] if m[0] == "restore"]


def test_changes_saved_before_the_program_went_are_not_offered(make_window, select, qtbot, no_modal_dialogs):
    """The save landed and the program went before it forgot them: nothing is left to restore, nothing asked."""
    first = make_window()
    editor = _typed(first, select)
    editor.planned_edit.setText("12,5")
    form = _kept_after_typing(qtbot, first)
    first.hide()
    save_progress(find_measure(first.plan, "1.2.8"), Q, form.values)
    second = make_window()
    second.unsaved.offer()
    assert not no_modal_dialogs["messages"] and not second.panel.editor.dirty
    assert kept(second.database_label, second.controller.author) is None


def test_restored_over_a_record_changed_since_saving_is_a_conflict(make_window, select, qtbot, no_modal_dialogs):
    first = make_window(author="Олена")
    _typed(first, select).planned_edit.setText("12,5")
    _kept_after_typing(qtbot, first)
    first.hide()
    save_progress(find_measure(first.plan, "1.2.8"), Q, {"status": "in_progress", "percent": 60}, author="Петро")
    second = make_window(author="Олена")
    no_modal_dialogs["restore"].append(dialogs.RESTORE)
    second.unsaved.offer()
    assert second.panel.editor.dirty and second.panel.editor.percent_spin.value() == 45
    conflicts = []
    no_modal_dialogs["on_dialog"] = lambda dialog: conflicts.append(dialog) and False
    assert not second.save_current()  # the conflict dialog shown (and closed): nothing written over Петро's
    assert len(conflicts) == 1 and type(conflicts[0]).__name__ == "ConflictDialog"
    assert quarter_record(find_measure(second.plan, "1.2.8"), Q).percent == 60


def test_a_measure_no_longer_in_the_plan_shows_the_values_to_copy(make_window, select, qtbot, no_modal_dialogs,
                                                                 monkeypatch):
    first = make_window()
    _typed(first, select)
    _kept_after_typing(qtbot, first)
    first.hide()
    second = make_window()
    monkeypatch.setattr(second.navigation, "show_for_editing", lambda measure_id, quarter: False)  # removed by an amendment
    no_modal_dialogs["restore"].append(dialogs.RESTORE)
    second.unsaved.offer()
    kind, _, text = no_modal_dialogs["messages"][-1]
    assert kind == "information" and "Погоджено проєкт; тендер оголошено 12.05" in text and "12,5 тис" in text
    assert kept(second.database_label, second.controller.author) is None
