"""Starting the window: the Qt application, settings, the database and the main window."""

from __future__ import annotations

import getpass
import os
import sys
from typing import NamedTuple
from urllib.parse import urlsplit

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from tracker.access.rights import server_name
from tracker.collector import tune_collector
from tracker.errors import TrackerError
from tracker.logs import log, start_logging
from tracker.paths import DB_ENV_VAR, default_database, legacy_data_dir, settings_file, user_data_dir
from tracker.progress.tree import PlanTree
from tracker.storage.relocation import moved_path, settle_user_folder
from tracker.text import clean_name

from .colors import fit_application_palette
from .database.actions import open_or_recover
from .database.full_check import FullCheck
from .database.server_dialog import ServerDialog, is_server, without_password
from .database.start_dialog import choose_another
from .errors_dialog import watch_for_errors
from .i18n import set_language, tr
from .images import app_icon, claim_taskbar_identity
from .layouts import install_on
from .main_window import MainWindow
from .one_window import OneWindow, shown_elsewhere
from .plan_view import first_tree

ORGANIZATION = "LutskCityCouncil"
APPLICATION = "PlanTracker"


def make_settings() -> QSettings:
    """The settings file in the per-user folder, beside the database; at the first start of this version the
    settings of version 0.1 (Qt's usual place: the roaming profile on Windows) are copied in, with remembered
    paths into the old folder pointed at the moved files."""
    path = settings_file()
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    if not path.exists():
        old = legacy_settings()
        for key in old.allKeys():
            settings.setValue(key, old.value(key))
    for key in settings.allKeys():  # every start: the database may move at a later start than the settings
        value = settings.value(key)
        moved = _moved(value)
        if moved != value:
            settings.setValue(key, moved)
    settings.sync()
    return settings


def legacy_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def _moved(value):
    if isinstance(value, str):
        return moved_path(value, legacy_data_dir(), user_data_dir())
    if isinstance(value, list):
        return [_moved(item) for item in value]
    return value


def choose_database(explicit: str | None, settings: QSettings) -> str:
    """--db, then the environment variable, then the database last opened, then the per-user file."""
    return explicit or os.environ.get(DB_ENV_VAR) or settings.value("database/path", "", str) or default_database()


def user_name(settings: QSettings, parent=None) -> str:
    """Who works here, written into the history of every change: asked once, at the first start.

    The operating-system login («root», «user», «admin» on a shared council PC) says nothing to the
    monitoring group reading the history; it is only what the question starts from — on the server, the name
    its administrator gave the login is.
    """
    known = settings.value("user/name", "", str)
    if known:
        return known
    login = server_name() or getpass.getuser()  # on the server, the name its administrator gave the login
    name, accepted = QInputDialog.getText(
        parent, tr("Хто працює з програмою?"),
        tr("Ваше ім'я та прізвище (і, за бажання, підрозділ).\nВоно записується в історію кожної вашої зміни; "
           "змінити його можна у Файл → Налаштування…"), text=login)
    name = clean_name(name) if accepted else ""
    if name:
        settings.setValue("user/name", name)
    return name or login


def remember_opened(settings: QSettings, asked: str, opened: str) -> bool:
    """A database chosen at the start instead of the one asked for is opened at the next start too (a file on a
    stick not plugged in, replaced) — but not instead of the office's server: a wrong password or the network down
    for a moment, and «Типова база» chosen, had the next starts open the local file without a word, every save made
    there unseen by the office. True when the server's was passed over so."""
    if opened == asked:
        return False
    if is_server(asked) and not is_server(opened):
        log.info("opened %s instead of the server's database; the next start tries the server again",
                 without_password(opened))
        return True
    settings.setValue("database/path", without_password(opened))
    return False


class Opened(NamedTuple):
    plan: object
    database: str
    check: FullCheck  # the database's full check, running beside the window's making
    tree: PlanTree  # the window's first tree (ui.main_window.first_tree)


def open_first_database(database: str, settings: QSettings) -> Opened | None:
    """The first database that opens — the one asked for, or one the user picks after being told why it failed —
    or None when the user quits. Its tree is read while SQLite's quick check runs beside it; the full check and the
    start's backup copy run in a thread from here on, and writes wait for the check (tracker.storage.write_gate)."""
    while True:
        try:
            plan, tree = open_or_recover(database, read=lambda plan: first_tree(plan, settings))
            return Opened(plan, database, FullCheck().start(copy="start"), tree)
        except TrackerError as exc:
            log.warning("database not opened at the start: %s", exc)  # for whoever helps: the dialog goes
            chosen = choose_another(str(exc), without_password(database))
            if chosen is None:
                return None
            database = chosen


def run(explicit_database: str | None = None, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    tune_collector()
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    claim_taskbar_identity()
    app.setWindowIcon(app_icon())
    settle_user_folder()  # before the journal starts: the old folder's journal moves too
    start_logging("window")
    watch_for_errors(app)
    install_on(app)  # Alt+letters and menu letters from the other keyboard layout too
    fit_application_palette(app)  # the empty search box's hint readable in a dark palette too
    settings = make_settings()
    set_language(settings.value("language", "uk", str))  # also Qt's own buttons (OK, Cancel …)
    database = choose_database(explicit_database, settings)
    if shown_elsewhere(without_password(database)):  # started again: that window comes to the front instead
        return 0
    channel = OneWindow()  # and from now on a start on this database comes here
    channel.follow(without_password(database))
    if is_server(database) and not urlsplit(database).password:
        dialog = ServerDialog(database)  # the remembered server address: ask for the password again
        if not dialog.exec():
            return 0
        database = dialog.url()
    opened = open_first_database(database, settings)
    if opened is None:
        return 1
    plan, opened_database, check, tree = opened
    instead_of_server = remember_opened(settings, database, opened_database)
    database = opened_database
    channel.follow(without_password(database))  # the one opened, when another was chosen at the start
    window = MainWindow(plan, settings, without_password(database), author=user_name(settings), tree=tree)
    channel.attach(window)
    window.one_window = channel  # followed whenever the window opens another database
    window.show()
    if instead_of_server:  # asked, not only said: the status bar's word was cut at 1366 px and gone at the first save
        QTimer.singleShot(0, lambda: QMessageBox.warning(window, tr("Не спільна база"), tr(
            "Відкрито не спільну базу на сервері, а «{database}». Зміни, внесені тут, колеги на сервері не побачать; "
            "наступного запуску програма знову відкриє базу на сервері.", database=without_password(database))))
    window.watch.start()  # what others save on the server or in this file shows without F5
    # what the full check finds is said over the window, once it is on the screen
    QTimer.singleShot(0, lambda: check.handle_with(window.database.damage_found))
    QTimer.singleShot(0, window.unsaved.offer)  # what was typed and not saved when the program last went
    # once the event loop has painted the window: the journal says the plan is on the screen
    QTimer.singleShot(0, lambda: log.info("window shown: %s measures of the plan", plan.measures.count()))
    return app.exec()
