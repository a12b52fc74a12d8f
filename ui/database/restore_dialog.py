"""Файл → Відновити з резервної копії…: choose a copy, confirm, restore (the current state is kept)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from tracker.storage.backup import list_backups

from ..i18n import tr


class RestoreDialog(QDialog):
    """Lists the automatic copies (newest first); «Інший файл…» picks any copy."""

    def __init__(self, parent=None, damaged: bool = False):
        """``damaged``: the open file's full check found it damaged — the copy takes its place (nothing is copied
        out of it first), and the damaged file stays beside."""
        super().__init__(parent)
        self.setWindowTitle(tr("Відновити з резервної копії"))
        self.list = QListWidget(self)
        self.list.setObjectName("backupList")
        for item in list_backups():
            row = QListWidgetItem(f"{item.made_at:%d.%m.%Y %H:%M:%S} — {tr(item.reason_label)}")
            row.setData(Qt.ItemDataRole.UserRole, str(item.path))
            row.setToolTip(str(item.path))
            self.list.addItem(row)
        if self.list.count():
            self.list.setCurrentRow(0)
        other = QPushButton(tr("Інший файл…"), self)
        other.clicked.connect(self._choose_file)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton(tr("Відновити"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(self.list.count() > 0)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        text = QLabel(tr("Пошкоджений файл бази буде замінено копією; сам він лишиться в теці бази під іншою "
                         "назвою.") if damaged else
                      tr("Усі дані бази буде замінено вмістом копії. Поточний стан перед цим буде збережено "
                         "в окрему копію, тож відновлення можна скасувати."), self)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addWidget(self.list)
        layout.addWidget(other, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)
        self.resize(520, 400)
        self.chosen_file: str | None = None

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Резервна копія"), "",
                                              tr("База трекера (*.sqlite3 *.sqlite *.db);;Усі файли (*)"))
        if path:
            self.chosen_file = path
            self.accept()

    def selected_path(self) -> str | None:
        if self.chosen_file:
            return self.chosen_file
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
