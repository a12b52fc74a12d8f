"""The menu bar: each feature's actions in their menus, and the window's own (edit, view, help)."""

from __future__ import annotations

import platform
from html import escape

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMessageBox

from tracker import __version__
from tracker.access.rights import may
from tracker.errors import TrackerError
from tracker.exchange.sync import rename_device
from tracker.exchange.trust import trusted_devices
from tracker.logs import log_file
from tracker.paths import licence_folder
from tracker.storage.device import this_device

from . import dialogs
from .contacts_dialog import ContactsDialog
from .help_page import HelpDialog
from .i18n import N_, language, tr
from .plan_view import shows_removed


class MainMenus:
    def __init__(self, window):
        self.window = window
        bar = window.menuBar()
        database, exchange, reports = window.database, window.exchange, window.reports
        plan_changes = window.plan_changes
        self.file_menu = bar.addMenu("")
        self.file_menu.setToolTipsVisible(True)  # a command the login may not use says why
        self.file_menu.addActions([database.open_action, database.server_action])
        self.file_menu.addMenu(database.recent_menu)
        self.file_menu.addSeparator()
        self.file_menu.addActions([exchange.export_action, exchange.export_full_action, exchange.import_action,
                                   exchange.conflicts_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(plan_changes.import_action)
        self.file_menu.addSeparator()
        self.settings_action = window.make_action(None, self.edit_settings)
        self.file_menu.addActions([database.save_copy_action, database.restore_action, window.people.users_action,
                                   self.settings_action])
        self.file_menu.addSeparator()
        self.quit_action = window.make_action(QKeySequence.StandardKey.Quit, window.close)
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu("")
        self.save_action = window.make_action(QKeySequence.StandardKey.Save, window.save_current)
        # Ctrl+Z / Ctrl+Shift+Z undo typing, in whichever text field has the focus; undoing a *save*
        # is a command of its own that says what it undoes and asks first
        self.undo_typing_action = window.make_action(QKeySequence.StandardKey.Undo, lambda: _typing(window, "undo"))
        self.redo_typing_action = window.make_action(QKeySequence.StandardKey.Redo, lambda: _typing(window, "redo"))
        self.undo_action = window.make_action(QKeySequence("Ctrl+Alt+Z"), window.undo_last_save)
        self.undo_action.setEnabled(False)
        self.redo_action = window.make_action(QKeySequence("Ctrl+Alt+Y"), window.redo_last_undo)
        self.redo_action.setEnabled(False)
        self.find_action = window.make_action(QKeySequence.StandardKey.Find, window.filter_bar.focus_search)
        self.next_action = window.make_action(QKeySequence("Ctrl+Down"), lambda: window.navigation.step_measure(1))
        self.previous_action = window.make_action(QKeySequence("Ctrl+Up"), lambda: window.navigation.step_measure(-1))
        self.edit_menu.addActions([self.undo_typing_action, self.redo_typing_action])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([self.save_action, self.undo_action, self.redo_action])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([self.find_action, self.next_action, self.previous_action])

        self.report_menu = bar.addMenu("")
        self.report_menu.setToolTipsVisible(True)
        self.report_menu.addActions([reports.export_action, reports.import_action, reports.import_folder_action,
                                     reports.round_action])

        self.directory_menu = bar.addMenu("")
        self.contacts_action = window.make_action(None, lambda: ContactsDialog(window).exec())
        self.directory_menu.addAction(self.contacts_action)

        self.view_menu = bar.addMenu("")
        self.plan_tab_action = window.make_action(QKeySequence("Ctrl+1"), lambda: window.tabs.setCurrentIndex(0))
        self.overview_tab_action = window.make_action(QKeySequence("Ctrl+2"), lambda: window.tabs.setCurrentIndex(1))
        self.reload_action = window.make_action(QKeySequence.StandardKey.Refresh, window.reload_from_database)
        self.expand_action = window.make_action(None, window.rows.open_all)
        self.collapse_action = window.make_action(None, window.rows.fold_to_goals)
        self.view_menu.addActions([self.plan_tab_action, self.overview_tab_action, self.reload_action])
        self.view_menu.addSeparator()
        self.view_menu.addActions([self.expand_action, self.collapse_action])
        self.show_removed_action = window.make_action(
            None, lambda: window.set_show_removed(self.show_removed_action.isChecked()))
        self.show_removed_action.setCheckable(True)
        self.show_removed_action.setChecked(shows_removed(window.settings))
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.show_removed_action)

        self.help_menu = bar.addMenu("")
        self.help_action = window.make_action(QKeySequence.StandardKey.HelpContents,
                                              lambda: dialogs.run_dialog(HelpDialog(window)))
        self.about_action = window.make_action(None, self.show_about)
        self.data_action = window.make_action(None, self.show_data_location)
        self.journal_action = window.make_action(None, self.open_journal)
        self.help_menu.addActions([self.help_action, plan_changes.history_action, self.data_action,
                                   self.journal_action])
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)
        self._features = (database, exchange, reports, plan_changes, window.people)
        # F10 opens the menus, as in Windows' own programs (Qt answers only Alt): a window action, in no menu
        self.menu_key_action = window.make_action(QKeySequence(Qt.Key.Key_F10), self.open_menus)
        window.addAction(self.menu_key_action)

    def open_menus(self) -> None:
        self.window.menuBar().setActiveAction(self.file_menu.menuAction())

    def retranslate(self) -> None:
        texts = [
            (self.file_menu, N_("&Файл")), (self.settings_action, N_("&Налаштування…")), (self.quit_action, N_("Ви&йти")),
            (self.edit_menu, N_("&Правка")), (self.save_action, N_("&Зберегти звіт заходу")),
            (self.undo_typing_action, N_("Скасувати в&ведення")), (self.redo_typing_action, N_("Повторити вв&едення")),
            (self.undo_action, N_("&Скасувати збереження…")), (self.redo_action, N_("Повт&орити скасоване збереження…")),
            (self.find_action, N_("Зна&йти…")), (self.next_action, N_("&Наступний захід")),
            (self.previous_action, N_("&Попередній захід")), (self.reload_action, N_("Онов&ити з бази даних")),
            (self.report_menu, N_("&Звіт")),
            (self.directory_menu, N_("Довід&ники")), (self.contacts_action, N_("&Виконавці…")),
            (self.view_menu, N_("&Вигляд")), (self.plan_tab_action, N_("&План")), (self.overview_tab_action, N_("&Огляд")),
            (self.expand_action, N_("&Розгорнути все")), (self.collapse_action, N_("З&горнути до цілей")),
            (self.show_removed_action, N_("Показувати &виключені заходи")),
            (self.help_menu, N_("&Довідка")), (self.help_action, N_("&Як працювати")),
            (self.about_action, N_("Про про&граму")),
            (self.data_action, N_("&Де зберігаються дані")), (self.journal_action, N_("Відкрити &журнал")),
        ]
        for feature in self._features:
            texts += feature.texts()
        for widget, text in texts:
            (widget.setTitle if hasattr(widget, "setTitle") else widget.setText)(tr(text))

    def edit_settings(self) -> None:
        window = self.window
        dialog = dialogs.SettingsDialog(language(), window.author, window, device_name=self._device_name())
        if dialog.exec():
            window.apply_settings(dialog.language(), dialog.user_name())
            if dialog.device_name() is not None:
                try:
                    rename_device(dialog.device_name())
                except TrackerError as exc:
                    QMessageBox.warning(window, tr("Налаштування"), str(exc))
                else:
                    window.statusBar().showMessage(tr("Пакети змін відтепер матимуть назву «{name}».",
                                                      name=dialog.device_name()), 8000)

    @staticmethod
    def _device_name() -> str | None:
        """This database's name in exchange packages, if this login may change it (exchange rights); else None."""
        if not may("exchange"):
            return None
        try:
            return this_device().name or ""
        except TrackerError:  # a server not yet prepared: nothing to rename
            return None

    def show_about(self) -> None:
        QMessageBox.about(self.window, tr("Про програму"), "<p>" + "</p><p>".join([
            escape(tr("Трекер виконання Плану заходів із реалізації Стратегії розвитку Луцької міської "
                      "територіальної громади до 2030 року на 2024–2027 роки.")),
            escape(tr("Версія {version}; Qt {qt}, PySide6 {pyside}, Python {python}.", version=__version__,
                      qt=qVersion(), pyside=PySide6.__version__, python=platform.python_version())),
            escape(tr("Ліцензії складових: Qt і PySide6, psycopg — GNU LGPL v3; Python, defusedxml, typing_extensions "
                      "— PSF; peewee, openpyxl, et_xmlfile, python-docx, platformdirs, cffi — MIT; cryptography — "
                      "Apache 2.0 або BSD; lxml, pycparser — BSD; libpq — ліцензія PostgreSQL.")),
        ] + self._licence_texts() + self._locations()) + "</p>")

    @staticmethod
    def _licence_texts() -> list[str]:
        folder = licence_folder()
        return [escape(tr("Тексти ліцензій: {path}", path=str(folder)))] if folder is not None else []

    def _locations(self) -> list[str]:
        window = self.window
        own = trusted_devices()[0]
        return [escape(tr("База даних: {path}", path=window.database_label)),
                escape(tr("Пристрій у пакетах змін: «{name}»; відбиток ключа:", name=own.name or "—"))
                + f"<br><span style='white-space:nowrap'>{escape(own.fingerprint)}</span>",
                escape(tr("Налаштування вікна: {path}", path=window.settings.fileName())),
                escape(tr("Журнал: {path}", path=str(log_file())))]

    def show_data_location(self) -> None:
        QMessageBox.information(self.window, tr("Де зберігаються дані"), "<p>" + "</p><p>".join(self._locations())
                                + "</p>")

    def open_journal(self) -> None:
        """Довідка → Відкрити журнал: the log file, for whoever helps when something went wrong."""
        path = log_file()
        if not path.is_file() or not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.information(self.window, tr("Журнал"), tr("Журнал: {path}", path=str(path)))


def _typing(window, step: str) -> None:
    """Undo or redo typing in the focused text field (a field that has the focus takes Ctrl+Z itself)."""
    widget = window.focusWidget()
    line = widget.lineEdit() if hasattr(widget, "lineEdit") and callable(widget.lineEdit) else widget
    if line is not None and hasattr(line, step):
        getattr(line, step)()
    elif step == "undo":  # in the tree, after a save: Ctrl+Z did nothing, and said nothing
        window.statusBar().showMessage(tr("Ctrl+Z скасовує введення в полі форми. Щоб скасувати збереження, "
                                          "натисніть Ctrl+Alt+Z (Правка → Скасувати збереження…)."), 8000)
