"""Довідники → Виконавці…: contacts edited in a table, checked before anything is written."""

from __future__ import annotations

from tracker.plan.contacts import Contact, contact_of
from tracker.plan.executors import find_executor
from ui.contacts_dialog import EMAIL, NAME, PERSON, ContactsDialog


def _row(dialog, name):
    return next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, NAME).text() == name)


def test_contacts_are_edited_in_the_table_and_saved_at_once(window, qtbot, no_modal_dialogs):
    assert window.menus.directory_menu.actions() == [window.menus.contacts_action]
    dialog = ContactsDialog(window)
    qtbot.addWidget(dialog)
    row = _row(dialog, "Департамент культури")
    dialog.table.item(row, PERSON).setText("Олена Ковальчук")
    dialog.table.item(row, EMAIL).setText("Culture@LutskRada.gov.ua")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert contact_of(find_executor("Департамент культури")) == Contact("Олена Ковальчук", "culture@lutskrada.gov.ua")


def test_a_bad_address_is_named_and_nothing_is_written(window, qtbot, no_modal_dialogs):
    dialog = ContactsDialog(window)
    qtbot.addWidget(dialog)
    dialog.table.item(_row(dialog, "Департамент освіти"), PERSON).setText("Іван Петренко")
    dialog.table.item(_row(dialog, "Департамент культури"), EMAIL).setText("культура на пошті")
    dialog.save()
    kind, _, text = no_modal_dialogs["messages"][-1]
    assert kind == "warning" and text.startswith("Департамент культури:") and "культура на пошті" in text
    assert contact_of(find_executor("Департамент освіти")) == Contact()  # the good row waits too
    dialog.reject()  # unsaved edits: asks; «no» keeps the dialog open
    assert no_modal_dialogs["messages"][-1][0] == "confirm" and dialog.result() != dialog.DialogCode.Accepted
