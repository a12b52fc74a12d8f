"""The database's menu items: open a file or a server database, restore from a backup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMenu, QMessageBox

from tracker.errors import TrackerError
from tracker.logs import log
from tracker.plan.store import open_plan_and_read
from tracker.storage.backup import DamagedCopyRefused
from tracker.storage.copy import copy_open_database
from tracker.storage.db import (
    EmptyServerDatabase,
    close_database,
    empty_file,
    missing_file,
    missing_text,
    no_file_kept,
)
from tracker.storage.network import network_warning
from tracker.storage.recovery import DamagedDatabaseError, rebuild_indexes, replace_damaged, set_wal_aside
from tracker.storage.restore import another_database, restore_from
from tracker.storage.write_gate import is_open_file, open_file_found_damaged

from .. import dialogs
from ..background import busy, run_with_progress
from ..i18n import N_, tr
from ..operations import Operation
from .full_check import FullCheck
from .restore_dialog import RestoreDialog
from .server_dialog import ServerDialog, is_server, without_password

RECENT = 8
T = TypeVar("T")


def open_or_recover(path: str, parent=None, read: Callable[[object], T] = lambda plan: None) -> tuple[object, T]:
    """Open a database for the window: (its plan, ``read(plan)``) — the window's first tree, read while the file's
    quick check runs (tracker.plan.store.open_plan_and_read). A damaged file with a whole backup is offered its
    restore first.

    Raises TrackerError (the message for the user) when it cannot be opened, or the user declines.
    """
    if empty_file(path) and not dialogs.confirm(parent, tr("Порожній файл"), tr(
            "Файл «{path}» порожній. Створити в ньому нову базу трекера з вбудованим планом?", path=path)):
        raise TrackerError(tr("Нову базу у файлі «{path}» не створено; файл не змінено.", path=path))
    keeps_nothing = no_file_kept(path)
    if keeps_nothing:
        raise TrackerError(keeps_nothing)
    missing = missing_file(path)
    if missing is not None and not dialogs.confirm(parent, tr("Файлу бази немає"), missing_text(missing) + "\n\n" + tr(
            "Створити в цьому місці нову базу з вбудованим планом? Записаного в тому файлі в ній не буде.")):
        raise TrackerError(missing_text(missing) + " " + tr("Нову базу не створено."))
    try:
        try:
            opened = open_plan_and_read(path, read, new=False)
        except EmptyServerDatabase as exc:  # as an empty file: made the tracker's when the user says so
            if not dialogs.confirm(parent, tr("Порожня база на сервері"), tr(
                    "База «{address}» на сервері порожня: трекера в ній ще немає.\n\nСтворити в ній нову базу "
                    "трекера з вбудованим планом? Колеги, що працюють в іншій базі, цих змін не побачать.",
                    address=without_password(path))):
                raise exc
            opened = open_plan_and_read(path, read)
    except DamagedDatabaseError as exc:
        damaged_file = exc.path
        if exc.wal:  # the file itself is whole: opened as it is, the WAL beside it kept aside
            if not dialogs.ask_set_wal_aside(parent, str(exc)):
                raise
            run_with_progress(parent, tr("Журнал бази"), tr("Перевірка бази й її журналу…"),
                              lambda: set_wal_aside(damaged_file), connected=False)
        elif exc.indexes:  # the rows are whole: mended without a loss, not replaced by an older copy
            if not dialogs.ask_rebuild(parent, str(exc)):
                raise
            try:
                run_with_progress(parent, tr("Відбудова індексів"), tr("Перевірка й відбудова індексів бази…"),
                                  lambda: rebuild_indexes(damaged_file), connected=False)
            except TrackerError as refused:  # said; the file, unchanged, is no more offered a rebuild but its copy
                QMessageBox.critical(parent, tr("Відбудова індексів"), str(refused))
                return open_or_recover(path, parent, read)
        elif exc.backup is None or not dialogs.confirm(parent, tr("Базу даних пошкоджено"), str(exc) + "\n\n" + tr(
                "Відновити базу з цієї копії зараз? Пошкоджений файл буде збережено поруч із нею.")):
            raise
        else:
            good = exc.backup.path
            run_with_progress(parent, tr("Відновлення бази"), tr("Відновлення бази з копії…"),
                              lambda: replace_damaged(damaged_file, good), connected=False)
        opened = open_plan_and_read(path, read)
    warning = network_warning(path)
    if warning:  # opened all the same: it may be the only copy; the user decides where it lives
        QMessageBox.warning(parent, tr("База на мережевій теці"), warning)
    return opened


class DatabaseActions:
    def __init__(self, window):
        self.window = window
        self.open_action = window.make_action(QKeySequence.StandardKey.Open, self.open_database)
        self.server_action = window.make_action(None, self.open_server)
        self.restore_action = window.make_action(None, self.restore_backup)
        self.save_copy_action = window.make_action(None, self.save_copy)
        self.recent_menu = QMenu(window)
        # said for as long as a damaged file is open: a status message would go with the first menu's tip
        self._damage_note = QLabel(window)  # its text with the others' (texts)
        self._damage_note.setStyleSheet("font-weight: bold")
        self._damage_note.hide()
        window.statusBar().insertPermanentWidget(0, self._damage_note)
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def texts(self) -> list:
        return [(self.open_action, N_("&Відкрити базу даних…")), (self.recent_menu, N_("&Останні бази")),
                (self.server_action, N_("Підключитися до бази на &сервері…")),
                (self.restore_action, N_("Відновити з &резервної копії…")),
                (self.save_copy_action, N_("&Зберегти копію бази…")),
                (self._damage_note, N_("⚠ Базу пошкоджено: зміни до неї не записуються"))]

    # -- recent databases -------------------------------------------------------------------

    def recent(self) -> list[str]:
        value = self.window.settings.value("database/recent", [], list)
        return [str(item) for item in (value if isinstance(value, list) else [value]) if item]

    def remember(self, shown: str) -> None:
        """The database just opened goes first in Файл → Останні бази (no password is ever kept)."""
        recent = [shown] + [path for path in self.recent() if path != shown]
        self.window.settings.setValue("database/recent", recent[:RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        others = [path for path in self.recent() if path != self.window.database_label]
        if not others:
            self.recent_menu.addAction(tr("(немає інших)")).setEnabled(False)
        for number, path in enumerate(others, start=1):
            action = self.recent_menu.addAction(f"&{number} " + recent_label(path).replace("&", "&&"))  # «&» shown
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, chosen=path: self.open_recent(chosen))

    def open_recent(self, path: str) -> bool:
        window = self.window
        if not window.confirm_discard():
            return False
        if is_server(path):  # the password is not kept: the server dialog asks for it
            dialog = ServerDialog(path, window)
            return bool(dialogs.run_dialog(dialog)) and self.switch_database(dialog.url())
        return self.switch_database(path)

    def open_database(self) -> None:
        window = self.window
        if not window.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(window, tr("Відкрити базу даних"), str(Path(window.database_label).parent),
                                              tr("База трекера (*.sqlite3 *.sqlite *.db);;Усі файли (*)"))
        if path:
            self.switch_database(path)

    def open_server(self) -> None:
        window = self.window
        if not window.confirm_discard():
            return
        dialog = ServerDialog(window.settings.value("database/path", "", str), window)
        if dialogs.run_dialog(dialog):
            self.switch_database(dialog.url())

    def switch_database(self, path: str) -> bool:
        """Open another database; on failure the one that was open stays open and shown."""
        window = self.window
        try:
            plan, tree = open_or_recover(path, window, window.tree_for)
        except TrackerError as exc:
            log.warning("database not opened: %s", exc)
            QMessageBox.critical(window, tr("Не вдалося відкрити базу даних"), str(exc))
            return False
        FullCheck(window, self.damage_found).start()  # writes wait for it; the window reads meanwhile
        self._damage_note.hide()  # what was said of the file left
        shown = without_password(path)  # a server password is never written to the settings or shown
        window.settings.setValue("database/path", shown)
        window.set_plan(plan, shown, tree)
        window.unsaved.offer()  # what was typed there and not saved, when the program last went with it open
        return True

    def reopen_replaced(self, said: str) -> bool:
        """A save refused because the file was replaced under the window (tracker.storage.file_identity): the file
        now under the name opened, asked first, and the form's unsaved values carried into it, to be saved there.
        Returns False: nothing was saved."""
        window = self.window
        if not dialogs.confirm(window, tr("Файл бази замінено"), said + "\n\n" + tr(
                "Відкрити файл, що тепер під цим ім'ям? Незбережені зміни з форми буде перенесено в нього: перевірте "
                "їх і збережіть там ще раз.")):
            return False
        form = window.unsaved.take_form()
        self.switch_database(window.database_label)  # failed: the window stays on the file it had, and says why
        if form is not None:
            window.unsaved.bring_back(form)
        return False

    def damage_found(self, damage: DamagedDatabaseError) -> None:
        """The open file's full check found it damaged: nothing is written to it from now on (tracker.storage.
        write_gate), the status bar says so for as long as it is open, and the newest whole copy is offered in its
        place, as at opening."""
        window = self.window
        if not is_open_file(damage.path):
            return  # the check of a file the window has since left
        if busy() or QApplication.activeModalWidget() is not None:
            # a save waiting for the check in a worker, then its refusal's message: they are said first, then this
            QTimer.singleShot(250, lambda: self.damage_found(damage))
            return
        self._damage_note.show()
        title = tr("Базу даних пошкоджено")
        if damage.wal:
            if dialogs.ask_set_wal_aside(window, str(damage) + self._edits_dropped()):
                self.set_wal_aside_of(damage.path)
            return
        if damage.indexes:
            if dialogs.ask_rebuild(window, str(damage) + self._edits_dropped()):
                self.rebuild_damaged(damage.path)
            return
        if damage.backup is None:
            QMessageBox.critical(window, title, str(damage))
            return
        if dialogs.confirm(window, title, str(damage) + "\n\n" + tr(
                "Відновити базу з цієї копії зараз? Пошкоджений файл буде збережено поруч із нею.")
                + self._edits_dropped()):
            self.restore_damaged(damage.path, damage.backup.path)

    def _edits_dropped(self) -> str:
        """What a restore over a damaged file says of the form's unsaved edits (they cannot be saved into it)."""
        if not self.window.panel.editor.dirty:
            return ""
        return "\n\n" + tr("Незбережені зміни у формі буде відкинуто: у пошкоджену базу їх не записати.")

    def restore_damaged(self, damaged_file: Path, copy: Path) -> bool:
        """The damaged open file replaced by a whole copy (the damaged file kept beside it), and the copy opened."""
        return self._mend(damaged_file, lambda: replace_damaged(damaged_file, copy), tr("Відновлення бази"),
                          tr("Відновлення бази з копії…"), tr("Базу відновлено з копії."), lambda kept: (tr(
                              "Базу відновлено"), tr("Базу відновлено з копії «{copy}». Пошкоджений файл збережено "
                                                     "поруч: «{kept}».", copy=copy, kept=kept)),
                          failed_title=tr("Не вдалося відновити"))

    def rebuild_damaged(self, damaged_file: Path) -> bool:
        """The open file's damaged indexes made anew from its rows (the damaged file kept beside it), and the mended
        file opened."""
        title = tr("Відбудова індексів")
        return self._mend(damaged_file, lambda: rebuild_indexes(damaged_file), title,
                          tr("Перевірка й відбудова індексів бази…"), tr("Індекси бази відбудовано."),
                          lambda kept: (title, tr("Індекси бази відбудовано з її записів; нічого не втрачено. "
                                                  "Пошкоджений файл збережено поруч: «{kept}».", kept=kept)))

    def set_wal_aside_of(self, damaged_file: Path) -> bool:
        """The open file, whole without the WAL beside it (another copy's), opened again with that WAL set aside
        (kept)."""
        title = tr("Журнал бази")
        return self._mend(damaged_file, lambda: set_wal_aside(damaged_file), title,
                          tr("Перевірка бази й її журналу…"),
                          tr("Журнал відкладено; базу відкрито такою, як у самому файлі."),
                          lambda kept: (title, tr("Журнал незавершених записів відкладено: «{kept}». Базу відкрито "
                                                  "такою, як у самому файлі.", kept=kept)))

    def _mend(self, damaged_file: Path, work: Callable[[], Path], title: str, working: str, status: str,
              told: Callable[[Path], tuple[str, str]], failed_title: str = "") -> bool:
        """The damaged open file closed, mended by ``work`` (it returns where what it set aside lies; ``title`` and
        ``working`` on the progress dialog), and opened again; said in the status bar (``status``) and in a message
        (``told(kept)``: its title and text). The form's unsaved edits, which could not be saved into it, are dropped
        (the question said so). Refused (said under ``failed_title``, else ``title``), the file — unchanged — is
        opened again, still only to read."""
        window = self.window
        window.panel.editor.revert()
        close_database()  # the file or its WAL is moved: nothing may hold it open (closed without its WAL written in)
        try:  # reads the whole file, or a copy, at least once: behind the progress dialog, on no connection of its own
            kept = run_with_progress(window, title, working, work, connected=False)
        except TrackerError as exc:
            QMessageBox.critical(window, failed_title or title, str(exc))
            self.switch_database(str(damaged_file))
            return False
        log.info("damaged database %s mended; set aside: %s", damaged_file, kept)
        if not self.switch_database(str(damaged_file)):
            return False
        window.statusBar().showMessage(status, 15000)
        QMessageBox.information(window, *told(kept))
        return True

    def save_copy(self) -> None:
        """A whole, consistent copy of the open database in a file the user names (SQLite's online backup)."""
        window = self.window
        title = tr("Зберегти копію бази")
        suggested = str(Path(window.settings.value("database/copyFolder", "", str) or Path.home())
                        / f"копія-{Path(window.database_label).stem}.sqlite3")
        path, _ = QFileDialog.getSaveFileName(window, title, suggested, tr("База трекера (*.sqlite3)"))
        if not path:
            return
        def copy(damaged_too: bool):  # reads only: not an operation on the record, but long for a big database
            return dialogs.asked_to_replace(window, title, lambda replace: run_with_progress(
                window, title, tr("Копіювання бази…"),
                lambda: copy_open_database(path, damaged_too=damaged_too, replace=replace)))
        try:
            try:
                written = copy(damaged_too=False)
            except DamagedCopyRefused as exc:  # a file named here pushes no copy out: it may go to an administrator
                if not dialogs.confirm(window, title, tr(
                        "Базу пошкоджено ({problem}). Зберегти в «{name}» копію пошкодженого файлу як є — наприклад, "
                        "щоб передати її адміністраторові? До резервних копій вона не потрапить.",
                        problem=exc.found, name=Path(path).name)):
                    return
                written = copy(damaged_too=True)
        except TrackerError as exc:
            QMessageBox.warning(window, title, str(exc))
            return
        if written is None:
            return
        window.settings.setValue("database/copyFolder", str(Path(written).parent))
        window.statusBar().showMessage(tr("Копію бази збережено: {path}", path=str(written)), 15000)

    def restore_backup(self) -> None:
        window = self.window
        if is_server(window.database_label):  # its copies are its administrator's
            QMessageBox.information(window, tr("Відновити з резервної копії"), tr(
                "База на сервері відновлюється з резервних копій сервера PostgreSQL — це робить адміністратор "
                "сервера. Копію бази в окремий файл можна зберегти: Файл → Зберегти копію бази…"))
            return
        damaged = open_file_found_damaged() is not None
        if not damaged and not window.confirm_discard():
            return  # (edits cannot be saved into a damaged file: its restore says they are dropped)
        dialog = RestoreDialog(window, damaged=damaged)
        if dialogs.run_dialog(dialog) and dialog.selected_path():
            self.restore_from_file(dialog.selected_path())

    def restore_from_file(self, path: str) -> bool:
        window = self.window
        damaged_file = open_file_found_damaged()
        if damaged_file is not None:  # nothing is copied out of it: the copy takes its place, the file kept beside
            return dialogs.confirm(window, tr("Відновити з резервної копії"), tr(
                "Замінити пошкоджений файл бази копією «{name}»? Пошкоджений файл лишиться в теці бази під іншою "
                "назвою.",
                name=Path(path).name) + self._edits_dropped()) and self.restore_damaged(damaged_file, Path(path))
        warning = another_database(path)
        if not dialogs.confirm(window, tr("Відновити з резервної копії"),
                               (warning + "\n\n" if warning else "")
                               + tr("Замінити всі дані бази вмістом «{name}»?", name=Path(path).name)):
            return False
        try:
            before = window.operations.run(Operation(lambda: restore_from(path), replaces_plan=True, repeatable=False))
        except TrackerError as exc:
            QMessageBox.critical(window, tr("Не вдалося відновити"), str(exc))
            return False
        window.statusBar().showMessage(tr("Базу відновлено. Попередній стан збережено: {path}", path=str(before)), 15000)
        return True


def recent_label(path: str) -> str:
    """How Файл → Останні бази names a database: a file's name, then its folder (two folders may each hold an
    «office.sqlite3»), a long folder cut in the middle; a server's address as it is."""
    if is_server(path):
        return path
    folder = str(Path(path).parent)
    if len(folder) > _FOLDER_SHOWN:
        folder = folder[:_FOLDER_SHOWN // 3] + "…" + folder[-(_FOLDER_SHOWN - _FOLDER_SHOWN // 3 - 1):]
    return f"{Path(path).name} — {folder}"


_FOLDER_SHOWN = 60  # characters of a folder shown in the menu; the whole path is its tooltip and status tip
