"""The report menu: export the quarterly report, import a filled-in copy through its preview."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tracker.errors import TrackerError
from tracker.report.reimport import apply_preview, read_report

from .. import dialogs
from ..background import run_with_progress
from ..i18n import N_, tr
from ..operations import Operation
from .export_dialog import ExportDialog
from .import_dialog import ImportPreviewDialog
from .round_dialog import RoundDialog


class ReportActions:
    def __init__(self, window):
        self.window = window
        self.export_action = window.make_action(QKeySequence("Ctrl+E"), self.export_report)
        self.import_action = window.make_action(QKeySequence("Ctrl+I"), self.import_report)
        self.round_action = window.make_action(None, self.send_out)

    def texts(self) -> list:
        return [(self.export_action, N_("&Експорт звіту…")), (self.import_action, N_("&Імпорт заповненого звіту…")),
                (self.round_action, N_("&Розіслати звіти виконавцям…"))]

    def export_report(self) -> None:
        ExportDialog(self.window).exec()

    def send_out(self) -> None:
        """The collection round: a report for every responsible executor."""
        RoundDialog(self.window).exec()

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
        window = self.window
        title = tr("Імпорт заповненого звіту")
        try:  # reading writes nothing: not an operation, but long enough for the busy dialog
            preview = run_with_progress(window, title, tr("Читання «{name}»…", name=Path(path).name),
                                        lambda: read_report(path, window.plan, expected_quarter=window.quarter))
        except TrackerError as exc:
            QMessageBox.warning(window, title, str(exc))
            return 0
        if not dialogs.run_dialog(ImportPreviewDialog(preview, window)):
            return 0
        try:
            count = window.operations.run(Operation(
                lambda: apply_preview(preview, author=window.author), title,
                busy=tr("Запис змін з «{name}»…", name=preview.file_name)))
        except TrackerError as exc:
            QMessageBox.warning(window, title, str(exc))
            return 0
        window.statusBar().showMessage(tr("Імпортовано з «{name}»: заходів змінено — {count}",
                                          name=preview.file_name, count=count), 10000)
        return count
