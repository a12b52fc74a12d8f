"""The window on the office server: who is logged in, what they may edit, and the admin's Файл → Користувачі…."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tracker.access.users import list_users
from tracker.plan.store import current_plan
from tracker.storage.db import open_database
from ui.people.add_dialog import AddUserDialog
from ui.people.users_dialog import UsersDialog


def test_a_coordinator_sees_their_login_and_edits_only_their_departments_measures(office, make_window, select):
    open_database(office.url_of(office.teacher))
    window = make_window(plan=current_plan(), database_label="office")
    assert office.teacher in window.user_label.text() and "координатор" in window.user_label.text()
    assert office.education.name in window.user_label.toolTip()
    assert not window.people.users_action.isVisible()
    for action in (window.exchange.import_action, window.plan_changes.import_action, window.reports.import_action):
        assert not action.isEnabled() and "може лише" in action.toolTip()
    assert window.reports.export_action.isEnabled()  # a report of the quarter: anyone may make one

    select(window, office.theatres[0])
    editor = window.panel.editor
    assert not editor.save_button.isEnabled() and not any(w.isEnabled() for w in editor.widgets.values())
    assert "змінюєте лише заходи" in editor.heading.text()

    select(window, office.schools[0])
    assert all(w.isEnabled() for w in editor.widgets.values())
    assert "змінюєте лише заходи" not in editor.heading.text()


def test_the_owner_adds_and_removes_a_user_in_the_window(office, make_window, no_modal_dialogs):
    open_database(office.url)
    window = make_window(plan=current_plan(), database_label="office")
    assert window.people.users_action.isVisible()
    assert window.exchange.import_action.isEnabled() and window.plan_changes.import_action.isEnabled()
    login = office.login("newcomer")
    seen = {}

    def answer(dialog):
        if isinstance(dialog, AddUserDialog):
            dialog.login_edit.setText(login)
            dialog.name_edit.setText("Нова Людина")
            assert not dialog.buttons.buttons()[0].isEnabled()  # a coordinator needs a department first
            item = dialog.departments.findItems(office.culture.name, Qt.MatchFlag.MatchExactly)[0]
            item.setCheckState(Qt.CheckState.Checked)
            dialog.password_edit.setText("pass/with@signs")
            dialog.repeat_edit.setText("pass/with@signs")
            assert dialog._problem() == ""
            return True
        seen["users"] = dialog
        dialog.add()
        rows = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        seen["after_add"] = rows
        dialog.table.selectRow(rows.index(login))
        no_modal_dialogs["confirm"].append(True)
        dialog.remove()
        seen["after_remove"] = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        return False

    no_modal_dialogs["on_dialog"] = answer
    window.people.users_action.trigger()
    assert isinstance(seen["users"], UsersDialog)
    assert login in seen["after_add"] and login not in seen["after_remove"]
    assert login not in {u.login for u in list_users()}
    assert any("вилучити" in text.lower() for kind, _, text in no_modal_dialogs["messages"] if kind == "confirm")
