"""The main window's menus and their shortcuts; every item here does something that works."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from tracker.errors import TrackerError

from . import dialogs
from .background import run_with_progress
from .i18n import N_, language, tr


def preview_dialog_accepts(dialog) -> bool:
    """Run the import preview; a function of its own so tests can answer it."""
    return bool(dialog.exec())


def dialog_accepts(dialog) -> bool:
    """Run a modal dialog; a function of its own so tests can answer it."""
    return bool(dialog.exec())


class MainMenus:
    def __init__(self, window):
        self.window = window
        bar = window.menuBar()
        self.file_menu = bar.addMenu("")
        self.open_action = self._action(self.file_menu, QKeySequence.StandardKey.Open, self.open_database)
        self.server_action = self._action(self.file_menu, None, self.open_server)
        self.file_menu.addSeparator()
        self.package_export_action = self._action(self.file_menu, None, self.export_package)
        self.package_import_action = self._action(self.file_menu, None, self.import_package)
        self.conflicts_action = self._action(self.file_menu, None, self.show_conflicts)
        self.file_menu.addSeparator()
        self.restore_action = self._action(self.file_menu, None, self.restore_backup)
        self.settings_action = self._action(self.file_menu, None, self.edit_settings)
        self.file_menu.addSeparator()
        self.quit_action = self._action(self.file_menu, QKeySequence.StandardKey.Quit, window.close)

        self.edit_menu = bar.addMenu("")
        self.save_action = self._action(self.edit_menu, QKeySequence.StandardKey.Save, window.save_current)
        self.undo_action = self._action(self.edit_menu, QKeySequence.StandardKey.Undo, window.undo_last_save)
        self.undo_action.setEnabled(False)
        self.edit_menu.addSeparator()
        self.find_action = self._action(self.edit_menu, QKeySequence.StandardKey.Find, window.filter_bar.focus_search)

        self.report_menu = bar.addMenu("")
        self.export_action = self._action(self.report_menu, QKeySequence("Ctrl+E"), self.export_report)
        self.import_action = self._action(self.report_menu, QKeySequence("Ctrl+I"), self.import_report)

        self.view_menu = bar.addMenu("")
        self.plan_tab_action = self._action(self.view_menu, QKeySequence("Ctrl+1"), lambda: window.tabs.setCurrentIndex(0))
        self.overview_tab_action = self._action(self.view_menu, QKeySequence("Ctrl+2"), lambda: window.tabs.setCurrentIndex(1))
        self.view_menu.addSeparator()
        self.expand_action = self._action(self.view_menu, None, window.tree_view.expandAll)
        self.collapse_action = self._action(self.view_menu, None, lambda: window.tree_view.expandToDepth(0))

        self.help_menu = bar.addMenu("")
        self.about_action = self._action(self.help_menu, None, self.show_about)
        self.data_action = self._action(self.help_menu, None, self.show_data_location)

    def _action(self, menu, shortcut, slot) -> QAction:
        action = QAction(self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def retranslate(self) -> None:
        texts = [
            (self.file_menu, N_("&Файл")), (self.open_action, N_("&Відкрити базу даних…")),
            (self.server_action, N_("Підключитися до бази на &сервері…")),
            (self.settings_action, N_("&Налаштування…")),
            (self.restore_action, N_("Відновити з &резервної копії…")),
            (self.package_export_action, N_("&Експорт пакета змін…")),
            (self.package_import_action, N_("І&мпорт пакета змін…")),
            (self.conflicts_action, N_("&Конфлікти обміну…")), (self.quit_action, N_("Ви&йти")),
            (self.edit_menu, N_("&Правка")), (self.save_action, N_("&Зберегти звіт заходу")),
            (self.undo_action, N_("&Скасувати останнє збереження")), (self.find_action, N_("&Знайти…")),
            (self.report_menu, N_("&Звіт")), (self.export_action, N_("&Експорт звіту…")),
            (self.import_action, N_("&Імпорт заповненого звіту…")),
            (self.view_menu, N_("&Вигляд")), (self.plan_tab_action, N_("&План")), (self.overview_tab_action, N_("&Огляд")),
            (self.expand_action, N_("&Розгорнути все")), (self.collapse_action, N_("З&горнути до цілей")),
            (self.help_menu, N_("&Довідка")), (self.about_action, N_("&Про програму")),
            (self.data_action, N_("&Де зберігаються дані")),
        ]
        for widget, text in texts:
            (widget.setTitle if hasattr(widget, "setTitle") else widget.setText)(tr(text))

    # -- actions ---------------------------------------------------------------------------

    def open_database(self) -> None:
        window = self.window
        if not window.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(window, tr("Відкрити базу даних"), str(Path(window.database_label).parent),
                                              tr("База трекера (*.sqlite3 *.sqlite *.db);;Усі файли (*)"))
        if path:
            self.switch_database(path)

    def open_server(self) -> None:
        from .database.server_dialog import ServerDialog

        window = self.window
        if not window.confirm_discard():
            return
        dialog = ServerDialog(window.settings.value("database/path", "", str), window)
        if dialogs.run_dialog(dialog):
            self.switch_database(dialog.url())

    def switch_database(self, path: str) -> bool:
        from .app import open_plan  # the same opening steps as at start-up

        window = self.window
        try:
            plan = open_plan(path)  # on failure the database that was open stays open
        except TrackerError as exc:
            QMessageBox.critical(window, tr("Не вдалося відкрити базу даних"), str(exc))
            return False
        from .database.server_dialog import without_password

        shown = without_password(path)  # a server password is never written to the settings or shown
        window.settings.setValue("database/path", shown)
        window.set_plan(plan, shown)
        return True

    def export_report(self) -> None:
        from .report.export_dialog import ExportDialog

        ExportDialog(self.window).exec()

    def import_report(self) -> None:
        window = self.window
        if not window.confirm_discard():
            return
        folder = window.settings.value("report/folder", "", str)
        path, _ = QFileDialog.getOpenFileName(window, tr("Імпорт заповненого звіту"), folder, tr("Книга Excel (*.xlsx)"))
        if path:
            self.import_report_file(path)

    def import_report_file(self, path: str) -> int:
        """Preview the file, and write it if the user confirms; returns the number of measures written."""
        from tracker.report.reimport import apply_preview, read_report

        from .report.import_dialog import ImportPreviewDialog

        window = self.window
        try:
            preview = run_with_progress(window, tr("Імпорт заповненого звіту"),
                                        tr("Читання «{name}»…", name=Path(path).name),
                                        lambda: read_report(path, window.plan, expected_quarter=window.quarter))
        except TrackerError as exc:
            QMessageBox.warning(window, tr("Імпорт заповненого звіту"), str(exc))
            return 0
        if not preview_dialog_accepts(ImportPreviewDialog(preview, window)):
            return 0
        try:
            count = run_with_progress(window, tr("Імпорт заповненого звіту"),
                                      tr("Запис змін з «{name}»…", name=preview.file_name),
                                      lambda: apply_preview(preview, author=window.controller.author))
        except TrackerError as exc:
            QMessageBox.warning(window, tr("Імпорт заповненого звіту"), str(exc))
            return 0
        window.reload()
        window.statusBar().showMessage(tr("Імпортовано з «{name}»: заходів змінено — {count}",
                                          name=preview.file_name, count=count), 10000)
        return count

    def export_package(self) -> None:
        from tracker.exchange.sync import export_package

        window = self.window
        folder = window.settings.value("exchange/folder", "", str)
        path, _ = QFileDialog.getSaveFileName(window, tr("Експорт пакета змін"), folder,
                                              tr("Пакет змін (*.trackerpkg);;Усі файли (*)"))
        if not path:
            return
        device = self._device_name()
        if device is None:
            return
        try:
            result = export_package(path, device)
        except TrackerError as exc:
            QMessageBox.warning(window, tr("Експорт пакета змін"), str(exc))
            return
        window.settings.setValue("exchange/folder", str(Path(path).parent))
        QMessageBox.information(window, tr("Експорт пакета змін"),
                                tr("Пакет «{name}» збережено: змін у ньому — {count}.",
                                   name=Path(str(result.path)).name, count=result.events))

    def _device_name(self) -> str | None:
        """The name this database goes by in packages; asked once (the office sees it in conflicts)."""
        import platform

        from tracker.storage.site import this_site

        name = this_site().name
        if name:
            return name
        name, accepted = QInputDialog.getText(
            self.window, tr("Експорт пакета змін"),
            tr("Як назвати цей пристрій у пакетах змін? Цю назву побачать в офісі поруч із вашими змінами "
               "(напр. «Старостат Прилуцьке»)."), text=platform.node())
        return (name.strip() or platform.node()) if accepted else None

    def import_package(self) -> None:
        window = self.window
        if not window.confirm_discard():
            return
        folder = window.settings.value("exchange/folder", "", str)
        path, _ = QFileDialog.getOpenFileName(window, tr("Імпорт пакета змін"), folder,
                                              tr("Пакет змін (*.trackerpkg);;Усі файли (*)"))
        if path:
            self.import_package_file(path)

    def import_package_file(self, path: str):
        from tracker.exchange.sync import import_package

        window = self.window
        try:
            result = run_with_progress(window, tr("Імпорт пакета змін"),
                                       tr("Об'єднання змін з пакета «{name}»…", name=Path(path).name),
                                       lambda: import_package(path, author=window.controller.author))
        except TrackerError as exc:
            QMessageBox.warning(window, tr("Імпорт пакета змін"), str(exc))
            return None
        window.reload()
        text = tr("Пакет від «{device}»: застосовано змін — {applied}, уже відомих — {skipped}, "
                  "очікують попередніх — {pending}, конфліктів — {conflicts}.", device=result.device_name,
                  applied=result.applied, skipped=result.skipped, pending=result.pending, conflicts=result.conflicts)
        window.statusBar().showMessage(text, 15000)
        if result.conflicts:
            self.show_conflicts()
        else:
            QMessageBox.information(window, tr("Імпорт пакета змін"), text)
        return result

    def show_conflicts(self) -> None:
        from .exchange.conflicts_dialog import ConflictsDialog

        window = self.window
        dialog = ConflictsDialog(window.controller.author, window)
        dialogs.run_dialog(dialog)
        if dialog.resolved:
            window.reload()
        window.update_conflicts_badge()

    def restore_backup(self) -> None:
        from .database.restore_dialog import RestoreDialog

        window = self.window
        if not window.confirm_discard():
            return
        dialog = RestoreDialog(window)
        if dialog_accepts(dialog) and dialog.selected_path():
            self.restore_from_file(dialog.selected_path())

    def restore_from_file(self, path: str) -> bool:
        from tracker.progress.tree import current_plan
        from tracker.storage.restore import restore_from

        window = self.window
        if not dialogs.confirm(window, tr("Відновити з резервної копії"),
                               tr("Замінити всі дані бази вмістом «{name}»?", name=Path(path).name)):
            return False
        try:
            before = restore_from(path)
        except TrackerError as exc:
            QMessageBox.critical(window, tr("Не вдалося відновити"), str(exc))
            return False
        window.set_plan(current_plan(), window.database_label)
        window.statusBar().showMessage(tr("Базу відновлено. Попередній стан збережено: {path}", path=str(before)), 15000)
        return True

    def edit_settings(self) -> None:
        window = self.window
        dialog = dialogs.SettingsDialog(language(), window.controller.author, window)
        if dialog.exec():
            window.apply_settings(dialog.language(), dialog.user_name())

    def show_about(self) -> None:
        QMessageBox.about(self.window, tr("Про програму"), tr(
            "Трекер виконання Плану заходів із реалізації Стратегії розвитку Луцької міської "
            "територіальної громади до 2030 року на 2024–2027 роки."))

    def show_data_location(self) -> None:
        window = self.window
        QMessageBox.information(window, tr("Де зберігаються дані"), "<p>" + "</p><p>".join([
            tr("База даних: {path}", path=escape(window.database_label)),
            tr("Налаштування вікна: {path}", path=escape(window.settings.fileName())),
        ]) + "</p>")
