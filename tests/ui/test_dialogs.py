"""Small dialogs of the window (ui.dialogs)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.helpers import reads_whole
from ui.dialogs import SettingsDialog


def test_the_settings_show_a_name_with_its_department_whole(qtbot):
    """«ha Petrenko (osvita)»: the field was as wide as the language's combo, and a name with its department cut."""
    name = "Ольга Петренко (Департамент освіти)"
    dialog = SettingsDialog("uk", name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert reads_whole(dialog.name_edit, name)


def test_the_settings_rename_this_computer_for_its_packages(window, no_modal_dialogs, monkeypatch):
    """Its name in exchange packages was asked once, at the first export, and could not be mended afterwards."""
    from tracker.storage.device import this_device
    from ui import dialogs

    shown = []

    def answered(dialog):
        shown.append(dialog)
        assert dialog.device_edit.isVisibleTo(dialog) and dialog.device_edit.text() == ""  # not named yet
        dialog.device_edit.setText("Офіс, економічна політика")
        return True
    monkeypatch.setattr(dialogs.SettingsDialog, "exec", answered)
    window.menus.edit_settings()
    assert shown and this_device().name == "Офіс, економічна політика"
    assert "Офіс, економічна політика" in window.statusBar().currentMessage()
    monkeypatch.setattr(dialogs.SettingsDialog, "exec", lambda dialog: shown.append(dialog.device_name()) or True)
    window.menus.edit_settings()  # unchanged: nothing renamed, nothing said
    assert shown[-1] is None and this_device().name == "Офіс, економічна політика"


def test_the_settings_do_not_offer_the_computer_s_name_to_a_login_without_exchange_rights(qtbot):
    dialog = SettingsDialog("uk", "Ольга", device_name=None)
    qtbot.addWidget(dialog)
    assert not dialog.device_edit.isVisibleTo(dialog) and dialog.device_name() is None


def test_a_folder_that_no_program_opens_is_said_with_its_path(qapp, no_modal_dialogs, monkeypatch, tmp_path):
    """«Показати теку» after the round of reports did nothing visible where no file manager was set up."""
    from PySide6.QtGui import QDesktopServices

    from ui import dialogs

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or False)
    dialogs.show_folder(None, tmp_path, "Звіти готові")
    assert opened == [str(tmp_path)]
    [(kind, title, text)] = no_modal_dialogs["messages"]
    assert title == "Звіти готові" and str(tmp_path) in text and "не вдалося відкрити" in text
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    dialogs.show_folder(None, tmp_path, "Звіти готові")
    assert len(no_modal_dialogs["messages"]) == 1  # opened: nothing more said


def test_the_settings_take_no_empty_name(qtbot):
    """A name emptied in the settings was taken: every save after went into the history by nobody («Користувач: —»)."""
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = SettingsDialog("uk", "Ольга Петренко")
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and not dialog.name_needed.isVisibleTo(dialog)
    for emptied in ("", "   ", "\t"):
        dialog.name_edit.setText(emptied)
        assert not ok.isEnabled() and dialog.name_needed.isVisibleTo(dialog)
    dialog.name_edit.setText("  Ольга   Петренко ")
    assert ok.isEnabled() and dialog.user_name() == "Ольга Петренко"


def test_the_unsaved_question_answers_to_alt_letters(qtbot, monkeypatch):
    """«Зберегти / Не зберігати / Скасувати» had no Alt-letters: only Tab reached them."""
    monkeypatch.undo()  # the question itself, answered below, not the tests' stand-in (no_modal_dialogs)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ui import dialogs

    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}

    def answer():
        box = parent.findChild(QMessageBox)
        if box is None or not box.isVisible():
            QTimer.singleShot(10, answer)  # asked once it is on the screen
            return
        seen.update({button.text(): button for button in box.buttons()})
        (seen.get("&Не зберігати") or box.escapeButton()).click()  # a box without the letters: closed, not hung

    QTimer.singleShot(0, answer)
    assert dialogs.ask_unsaved(parent, "1.1.1") == dialogs.DISCARD
    assert {"&Зберегти", "&Не зберігати"} <= set(seen)
    assert not seen["&Зберегти"].shortcut().isEmpty()


def test_the_settings_go_field_by_field_then_to_the_buttons_each_field_with_its_alt_letter(qtbot):
    """Tab went Мова → Хто я → OK → Скасувати → the computer's name; no label had a letter; the name's hint was cut
    («…; ще не назв…»)."""
    from PySide6.QtWidgets import QDialogButtonBox, QLabel

    dialog = SettingsDialog("uk", "Ольга", device_name="")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    chain, widget = [], dialog.language_combo
    for _ in range(5):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not (widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            widget = widget.nextInFocusChain()
    buttons = dialog.findChild(QDialogButtonBox)
    assert chain[:3] == [dialog.language_combo, dialog.name_edit, dialog.device_edit]
    assert all(buttons.isAncestorOf(w) for w in chain[3:])
    buddies = {label.buddy(): label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    assert all("&" in buddies[field] for field in (dialog.language_combo, dialog.name_edit, dialog.device_edit))
    assert reads_whole(dialog.device_edit, dialog.device_edit.placeholderText())
