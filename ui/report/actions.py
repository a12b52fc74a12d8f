"""The report menu: export the quarterly report, import a filled-in copy through its preview."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tracker.errors import TrackerError

from .. import dialogs
from ..background import run_with_progress
from ..i18n import N_, quarter_label, tr
from ..operations import Operation
from .import_dialog import ImportPreviewDialog


class ReportActions:
    def __init__(self, window):
        self.window = window
        self.export_action = window.make_action(QKeySequence("Ctrl+E"), self.export_report)
        self.import_action = window.make_action(QKeySequence("Ctrl+I"), self.import_report)
        self.import_folder_action = window.make_action(None, self.import_report_folder)
        self.round_action = window.make_action(None, self.send_out)

    def texts(self) -> list:
        return [(self.export_action, N_("&Експорт звіту…")), (self.import_action, N_("&Імпорт заповненого звіту…")),
                (self.import_folder_action, N_("Імпорт звітів із &теки…")),
                (self.round_action, N_("&Розіслати звіти виконавцям…"))]

    def export_report(self) -> None:
        from .export_dialog import ExportDialog  # openpyxl (0.7 s) loads when a report is made, not at start

        if self.window.confirm_discard():  # the report is of what is saved: a change still in the form is not in it
            dialogs.run_dialog(ExportDialog(self.window))

    def send_out(self) -> None:
        """The collection round: a report for every responsible executor."""
        from .round_dialog import RoundDialog  # openpyxl loads when a report is made, not at start

        if self.window.confirm_discard():
            dialogs.run_dialog(RoundDialog(self.window))

    def import_report(self) -> None:
        """Звіт → Імпорт заповненого звіту…: one file or several."""
        window = self.window
        if not window.confirm_discard():
            return
        folder = window.settings.value("report/folder", "", str)
        paths, _ = QFileDialog.getOpenFileNames(window, tr("Імпорт заповненого звіту"), folder,
                                                tr("Книга Excel (*.xlsx *.xlsm)"))
        if paths:
            self.import_report_files(paths)

    def import_report_folder(self) -> None:
        """Звіт → Імпорт звітів із теки…: every report returned from the round, at once."""
        window = self.window
        if not window.confirm_discard():
            return
        folder = QFileDialog.getExistingDirectory(window, tr("Тека із заповненими звітами"),
                                                  window.settings.value("report/round_folder", "", str))
        if folder:
            self.import_report_files([folder])

    def import_report_file(self, path: str) -> int:
        return self.import_report_files([path])

    def _other_quarter(self, batch):
        """The one quarter every file read is a report for, when it is not the window's: the preview would only
        refuse them all, and the person would cancel, switch quarter and choose the files again."""
        quarters = {preview.quarter for preview in batch.previews}
        if len(quarters) == 1 and self.window.quarter not in quarters:
            return quarters.pop()
        return None

    def _go_to(self, batch, other) -> str:
        names = {"quarter": quarter_label(other), "shown": quarter_label(self.window.quarter)}
        if len(batch.previews) == 1:
            return tr("Файл «{name}» — звіт за {quarter}, а у вікні — {shown}. Перейти до {quarter} й імпортувати "
                      "його?", name=batch.previews[0].file_name, **names)
        return tr("Файли — звіти за {quarter}, а у вікні — {shown}. Перейти до {quarter} й імпортувати їх?", **names)

    def import_report_files(self, paths: list[str]) -> int:
        """Preview the files, and write them if the user confirms; returns the number of measures written."""
        window = self.window
        shown = window.quarter
        count = self._import(paths, tr("Імпорт заповненого звіту"))
        if count is None and window.quarter != shown:
            # gone to the files' quarter for them, and nothing imported: back to the quarter the person was in, or
            # what they typed next would go into the other quarter
            window.set_quarter(shown)
        return count or 0

    def _import(self, paths: list[str], title: str) -> int | None:
        """The number of measures written; None when nothing was (refused, failed, or the preview cancelled)."""
        from tracker.report.batch import apply_batch, read_reports  # openpyxl loads when a report is read

        window = self.window
        try:  # reading writes nothing: not an operation, but long enough for the busy dialog
            reading = (tr("Читання «{name}»…", name=Path(paths[0]).name) if len(paths) == 1 and Path(paths[0]).is_file()
                       else tr("Читання звітів…"))
            batch = run_with_progress(window, title, reading,
                                      lambda: read_reports(paths, window.plan, expected_quarter=window.quarter))
            other = self._other_quarter(batch)
            if other is not None and dialogs.ask(window, title, self._go_to(batch, other)) and window.set_quarter(other):
                batch = run_with_progress(window, title, reading,
                                          lambda: read_reports(paths, window.plan, expected_quarter=other))
        except TrackerError as exc:
            QMessageBox.warning(window, title, str(exc))
            return None
        if not batch.previews:  # nothing readable: say why, no empty preview
            QMessageBox.warning(window, title, "\n\n".join(r.message for r in batch.refused))
            return None
        if not dialogs.run_dialog(ImportPreviewDialog(batch, window)):
            return None
        names = (batch.previews[0].file_name if len(batch.previews) == 1
                 else tr("{count} файлів", count=len(batch.previews)))
        try:
            count = window.operations.run(Operation(
                lambda: apply_batch(batch, author=window.author), title, busy=tr("Запис змін з «{name}»…", name=names)))
        except TrackerError as exc:
            QMessageBox.warning(window, title, str(exc))
            return None
        window.statusBar().showMessage(tr("Імпортовано з «{name}»: заходів змінено — {count}",
                                          name=names, count=count), 10000)
        return count
