"""Звіт → Експорт звіту…: choose quarter, executor and file; write in a worker thread; open it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QProgressBar,
)

from tracker.errors import TrackerError
from tracker.plan.executors import executor_by_id
from tracker.quarters import Quarter
from tracker.report.export import build_scope, default_file_name, free_path, write_report

from .. import dialogs
from ..i18n import N_, tr
from .fields import path_row, quarter_combo
from .writing import WritingThread


class ExportDialog(QDialog):
    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.setWindowTitle(tr("Експорт звіту"))
        self.quarter_combo = quarter_combo(window, self)
        self.executor_combo = QComboBox(self)
        bar = window.filter_bar.executor_combo
        for index in range(bar.count()):  # the same choices as the tree's filter, «all» first
            self.executor_combo.addItem(bar.itemText(index), bar.itemData(index))
        self.executor_combo.setItemText(0, tr("Уся громада (усі виконавці)"))
        self.executor_combo.setCurrentIndex(max(bar.currentIndex(), 0))
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("exportPath")
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(tr("Експортувати"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(tr("Квартал:"), self.quarter_combo)
        layout.addRow(tr("Відповідальний виконавець:"), self.executor_combo)
        layout.addRow(tr("Файл:"), path_row(self.path_edit, self._browse, self))
        layout.addRow(self.progress)
        layout.addRow(self.buttons)
        self.resize(640, self.sizeHint().height())
        self.quarter_combo.currentIndexChanged.connect(self._suggest_path)
        self.executor_combo.currentIndexChanged.connect(self._suggest_path)
        self.thread: WritingThread | None = None
        self.written: str | None = None
        self._suggest_path()

    def quarter(self) -> Quarter:
        return Quarter.parse(self.quarter_combo.currentData())

    def executor(self):
        executor_id = self.executor_combo.currentData()
        return executor_by_id(executor_id) if executor_id is not None else None

    def _folder(self) -> str:
        saved = self.window.settings.value("report/folder", "", str)
        if saved and Path(saved).is_dir():
            return saved
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return documents if documents and Path(documents).is_dir() else str(Path.home())  # a folder that exists

    def _suggest_path(self) -> None:
        folder = Path(self.path_edit.text()).parent if self.path_edit.text() else Path(self._folder())
        self.path_edit.setText(str(folder / default_file_name(self.quarter(), self.executor())))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Зберегти звіт"), self.path_edit.text(), tr("Книга Excel (*.xlsx)"))
        if path:
            self.path_edit.setText(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def start(self) -> None:
        path = self.path_edit.text().strip()
        if not path:
            QMessageBox.warning(self, tr("Експорт звіту"), tr("Вкажіть файл для звіту."))
            return
        if not Path(path).parent.is_dir():
            QMessageBox.warning(self, tr("Експорт звіту"), tr(
                "Теки «{folder}» немає. Оберіть наявну теку (кнопка «Огляд…»).", folder=str(Path(path).parent)))
            return
        if Path(path).is_file():
            other = str(free_path(path))
            choice = dialogs.ask_overwrite(self, path, other)
            if choice is None:
                return
            if choice == dialogs.OTHER_NAME:
                path = other
                self.path_edit.setText(path)
        try:
            scope = build_scope(self.window.plan, self.quarter(), self.executor())
        except TrackerError as exc:
            QMessageBox.warning(self, tr("Експорт звіту"), str(exc))
            return
        self.export_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, len(scope.measures()))
        self.progress.setValue(0)
        self.thread = WritingThread(lambda progress: str(write_report(scope, path, progress)),
                                    N_("Не вдалося записати звіт: {error}"), self)
        self.thread.progressed.connect(lambda done, total: self.progress.setValue(done))
        self.thread.succeeded.connect(self._succeeded)
        self.thread.failed.connect(self._failed)
        self.thread.start()

    def _succeeded(self, path: str) -> None:
        self.written = path
        self.window.settings.setValue("report/folder", str(Path(path).parent))
        self.accept()
        self.offer_to_open(path)

    def offer_to_open(self, path: str) -> None:
        choice = dialogs.ask_open_report(self.window, path)
        if choice == dialogs.OPEN_FILE and not QDesktopServices.openUrl(QUrl.fromLocalFile(path)):
            QMessageBox.information(self.window, tr("Звіт збережено"), tr(
                "На цьому комп'ютері немає програми, що відкриває файли .xlsx (Excel чи LibreOffice Calc). "
                "Звіт збережено: {path}", path=path))
        elif choice == dialogs.SHOW_FOLDER:
            dialogs.show_folder(self.window, Path(path).parent, tr("Звіт збережено"),
                                tr("Теку не вдалося відкрити. Звіт збережено: {path}", path=path))

    def _failed(self, message: str) -> None:
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
        QMessageBox.warning(self, tr("Експорт звіту"), message)

    def reject(self) -> None:
        if self.thread is not None and self.thread.isRunning():
            self.thread.wait()  # the file is written whole or not at all; a second or less
        super().reject()
