"""Two people editing the same measure and quarter: the second save shows both versions."""

from tests.ui.helpers import fill_form
from tracker.progress.records import find_measure, quarter_record, save_progress
from tracker.quarters import Quarter
from tracker.storage.models import History
from ui.measure.versions_dialog import MINE, THEIRS

Q = Quarter(2025, 2)


def _record(plan):
    return quarter_record(find_measure(plan, "2.1.1"), Q)


def _edit_while_someone_saves(window, select):
    measure = find_measure(window.plan, "2.1.1")
    save_progress(measure, Q, {"status": "in_progress", "percent": 10, "note": "початок"}, author="Оля")
    window.set_quarter(Q)
    select(window, "2.1.1")
    editor = window.panel.editor
    editor.percent_spin.setValue(40)  # I change the percent …
    save_progress(measure, Q, {"note": "нотатка Петра", "remarks": "ризик"}, author="Петро")  # … Petro the notes
    return editor


def test_second_save_does_not_overwrite_silently(window, select, no_modal_dialogs, screenshot):
    editor = _edit_while_someone_saves(window, select)
    assert window.save_current() is False  # the dialog was cancelled
    dialog = no_modal_dialogs["dialogs"][-1]
    dialog.show()
    screenshot(dialog, "conflict")
    assert set(dialog.groups) == {"percent", "note", "remarks"}
    assert dialog.groups["percent"].checkedId() == MINE  # I changed it
    assert dialog.groups["note"].checkedId() == THEIRS  # Petro changed it
    record = _record(window.plan)
    assert (record.percent, record.note, record.updated_by) == (10, "нотатка Петра", "Петро")
    assert editor.dirty and editor.percent_spin.value() == 40  # my edit is still in the form


def test_choosing_merges_both_and_history_keeps_both(window, select, no_modal_dialogs):
    editor = _edit_while_someone_saves(window, select)
    window.controller.author = "Оля"
    no_modal_dialogs["on_dialog"] = lambda dialog: True  # accept the defaults: my percent, Petro's notes
    assert window.save_current() is True
    record = _record(window.plan)
    assert (record.percent, record.note, record.remarks) == (40, "нотатка Петра", "ризик")
    changes = [(h.field, h.new_value, h.changed_by) for h in
               History.select().where(History.measure == record.measure).order_by(History.id)]
    assert ("note", "нотатка Петра", "Петро") in changes and ("percent", "40", "Оля") in changes
    assert not editor.dirty


def test_choosing_mine_for_every_field(window, select, no_modal_dialogs):
    _edit_while_someone_saves(window, select)

    def take_mine(dialog):
        for field in dialog.groups:
            dialog.choose(field, MINE)
        return True

    no_modal_dialogs["on_dialog"] = take_mine
    assert window.save_current() is True
    record = _record(window.plan)
    assert (record.percent, record.note, record.remarks) == (40, "початок", "")


def test_a_long_note_on_either_side_keeps_the_dialog_on_the_screen(window, select, no_modal_dialogs, screenshot):
    """A colleague's note of 3,000 characters made the dialog 22,672 px wide: its buttons were off the screen."""
    measure = find_measure(window.plan, "2.1.1")
    window.set_quarter(Q)
    select(window, "2.1.1")
    fill_form(window.panel.editor, note="Моя коротка примітка")
    save_progress(measure, Q, {"status": "in_progress", "percent": 10, "note": "Дуже довгий текст колеги. " * 120},
                  author="Петро")
    assert window.save_current() is False
    dialog = no_modal_dialogs["dialogs"][-1]
    dialog.show()
    screenshot(dialog, "conflict-long-note")
    available = dialog.screen().availableGeometry()
    assert dialog.width() <= available.width() and dialog.height() <= available.height()
    assert dialog.sizeHint().width() <= available.width()
    assert "3" in dialog.groups["note"].button(THEIRS).text()  # «цей текст (3 120 символів):», the box shows it


def test_a_value_taken_from_a_colleague_is_not_offered_as_mine_at_a_second_conflict(window, select,
                                                                                     no_modal_dialogs):
    """The percent taken from a colleague's save, who saved again before it was written: the second dialog called
    the first save's 30 «Ваше значення» and chose it, writing 35 → 30 under the name of one who never typed it."""
    measure = find_measure(window.plan, "2.1.1")
    window.set_quarter(Q)
    select(window, "2.1.1")
    fill_form(window.panel.editor, percent=20, note="Мій текст")
    save_progress(measure, Q, {"status": "in_progress", "percent": 30}, author="Колега")
    seen = []

    def answer(dialog):
        seen.append(dialog)
        if len(seen) == 1:
            dialog.choose("percent", THEIRS)  # their 30 %, my note
            save_progress(measure, Q, {"percent": 35}, author="Колега")  # and the colleague saves again meanwhile
        return True

    no_modal_dialogs["on_dialog"] = answer
    assert window.save_current() is True
    assert len(seen) == 2
    assert seen[1].groups["percent"].checkedId() == THEIRS and seen[1].groups["note"].checkedId() == MINE
    record = _record(window.plan)
    assert (record.percent, record.note) == (35, "Мій текст")


def test_after_the_dialog_is_cancelled_discarding_the_edits_shows_what_is_saved(window, select, no_modal_dialogs):
    """«Відкинути зміни» brought back the values the form was loaded with, replaced by then; the tree kept them too,
    until the watch's next look."""
    editor = _edit_while_someone_saves(window, select)
    assert window.save_current() is False  # the dialog, cancelled
    assert not editor.elsewhere_label.isHidden()
    editor.revert_button.click()
    assert not editor.dirty and editor.percent_spin.value() == 10 and editor.note_edit.toPlainText() == "нотатка Петра"
    assert window.model.measure_at(window.model.index_of_measure(_record(window.plan).measure_id)).state.note \
        == "нотатка Петра"
