"""Звіт → Розіслати звіти виконавцям…: one report per responsible executor into one folder, with a progress bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
)

from tracker.errors import TrackerError
from tracker.quarters import Quarter
from tracker.report.drafts import default_deadline
from tracker.report.round import Round, round_scopes, write_round

from .. import dialogs
from ..i18n import N_, quarter_label, tr
from .fields import path_row, quarter_combo
from .writing import WritingThread


class RoundDialog(QDialog):
    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.setWindowTitle(tr("Розіслати звіти виконавцям"))
        self.quarter_combo = quarter_combo(window, self)
        self.folder_edit = QLineEdit(window.settings.value("report/round_folder", "", str), self)
        self.folder_edit.setObjectName("roundFolder")
        explanation = QLabel(tr("Кожен відповідальний виконавець отримає окремий файл звіту зі своїми заходами, а "
                                "той, чию пошту вказано в Довідники → Виконавці…, — ще й готовий лист (.eml) із "
                                "файлом, який відкриється в Outlook чи Thunderbird для надсилання. У теці з'явиться "
                                "й перелік файлів (Розсилка_….csv). Оберіть порожню теку: файли, що вже в ній є, не "
                                "перезаписуються."), self)
        self.deadline_edit = QDateEdit(self)
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("dd.MM.yyyy")
        self.deadline_edit.setMinimumDate(QDate.currentDate())  # a letter asking for reports by a day gone says nothing
        self.quarter_combo.currentIndexChanged.connect(self._suggest_deadline)
        self._suggest_deadline()
        explanation.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.start_button = self.buttons.addButton(tr("Розіслати"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(explanation)
        layout.addRow(tr("Квартал:"), self.quarter_combo)
        layout.addRow(tr("Тека:"), path_row(self.folder_edit, self._browse, self))
        layout.addRow(tr("Повернути до:"), self.deadline_edit)
        layout.addRow(self.progress)
        layout.addRow(self.buttons)
        self.resize(640, self.sizeHint().height())
        self.thread: WritingThread | None = None
        self.written: Round | None = None  # not «done»: that is QDialog.done(), which accept() calls

    def quarter(self) -> Quarter:
        return Quarter.parse(self.quarter_combo.currentData())

    def _suggest_deadline(self) -> None:
        self.deadline_edit.setDate(default_deadline(self.quarter()))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Тека для звітів"), self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def start(self) -> None:
        folder = self.folder_edit.text().strip()
        if not folder or not Path(folder).is_dir():
            QMessageBox.warning(self, self.windowTitle(), tr("Оберіть наявну теку для звітів (кнопка «Огляд…»)."))
            return
        try:
            scopes = round_scopes(self.window.plan, self.quarter())
        except TrackerError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        self.start_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, len(scopes))
        self.progress.setValue(0)
        deadline = self.deadline_edit.date().toPython()
        self.thread = WritingThread(lambda progress: write_round(scopes, folder, progress, deadline=deadline),
                                    N_("Не вдалося записати звіти: {error}"), self)
        self.thread.progressed.connect(lambda done, total: self.progress.setValue(done))
        self.thread.failed.connect(self._failed)
        self.thread.succeeded.connect(self._succeeded)
        self.thread.start()

    def _succeeded(self, done: Round) -> None:
        self.written = done
        self.window.settings.setValue("report/round_folder", str(self.written.listing.parent))
        self.accept()
        text = tr("Звіти за {quarter}: {count} файлів у теці «{folder}»; перелік — {listing}.",
                  quarter=quarter_label(self.quarter()), count=len(self.written.files),
                  folder=str(self.written.listing.parent), listing=self.written.listing.name)
        if dialogs.ask_show_folder(self.window, tr("Звіти готові"), text):
            dialogs.show_folder(self.window, self.written.listing.parent, tr("Звіти готові"))

    def _failed(self, message: str) -> None:
        self.progress.setVisible(False)
        self.start_button.setEnabled(True)
        QMessageBox.warning(self, self.windowTitle(), message)

    def reject(self) -> None:
        if self.thread is not None and self.thread.isRunning():
            self.thread.wait()  # each file is written whole or not at all
        super().reject()
