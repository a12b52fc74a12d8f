"""When the database the window would open cannot be opened: say why and let the user choose another.

A Start-menu user cannot pass --db: a database left on a USB stick, a network drive or a server that
is down must not leave the program unable to start.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox

from tracker.paths import local_database

from .. import dialogs
from ..i18n import tr
from .server_dialog import ServerDialog

OTHER_FILE, LOCAL, SERVER = "file", "local", "server"


def ask_start_choice(reason: str, tried: str) -> str | None:
    """OTHER_FILE, LOCAL, SERVER or None (quit); a function of its own so tests can answer it."""
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Не вдалося відкрити базу даних"))
    box.setText(tr("Не вдалося відкрити базу «{database}».", database=tried))
    box.setInformativeText(reason + "\n\n" + tr(
        "Оберіть, з якою базою працювати: інший файл бази; типову базу в теці даних цього комп'ютера (буде "
        "створено з вбудованим планом, якщо її ще немає); або базу на сервері офісу."))
    other = box.addButton(tr("Інший файл…"), QMessageBox.ButtonRole.AcceptRole)
    local = box.addButton(tr("Типова база"), QMessageBox.ButtonRole.AcceptRole)
    server = box.addButton(tr("Сервер…"), QMessageBox.ButtonRole.AcceptRole)
    quit_ = box.addButton(tr("Вийти"), QMessageBox.ButtonRole.RejectRole)
    box.setEscapeButton(quit_)
    box.exec()
    return {other: OTHER_FILE, local: LOCAL, server: SERVER}.get(box.clickedButton())


def choose_another(reason: str, tried: str) -> str | None:
    """The database to try next, or None when the user would rather quit."""
    while True:
        choice = ask_start_choice(reason, tried)
        if choice is None:
            return None
        if choice == LOCAL:
            return local_database()
        if choice == OTHER_FILE:
            path, _ = QFileDialog.getOpenFileName(None, tr("Відкрити базу даних"), "",
                                                  tr("База трекера (*.sqlite3 *.sqlite *.db);;Усі файли (*)"))
            if path:
                return path
        if choice == SERVER:
            dialog = ServerDialog(tried if tried.startswith("postgres") else "")
            if dialogs.run_dialog(dialog):
                return dialog.url()
