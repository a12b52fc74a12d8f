"""Довідники → Виконавці…: each responsible executor's contact person, e-mail and phone, edited in a table.

The directory's names are the council's and are not edited here. A cell that does not read as an e-mail or
a phone is refused on «Зберегти», with the row named; nothing is written until every row reads.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from tracker.errors import TrackerError
from tracker.plan.contacts import Contact, checked, contact_of, set_contacts
from tracker.plan.executors import responsible_executors

from . import dialogs
from .i18n import tr
from .operations import Operation

NAME, PERSON, EMAIL, PHONE = range(4)


class ContactsDialog(QDialog):
    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.setWindowTitle(tr("Виконавці та їхні контакти"))
        self.executors = responsible_executors()
        self.table = QTableWidget(len(self.executors), 4, self)
        self.table.setObjectName("contacts")
        self.table.setHorizontalHeaderLabels([tr("Виконавець"), tr("Контактна особа"), tr("Електронна пошта"),
                                              tr("Телефон")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (PERSON, EMAIL, PHONE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, 180)
        for row, executor in enumerate(self.executors):
            name = QTableWidgetItem(executor.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setToolTip(executor.name)
            self.table.setItem(row, NAME, name)
            contact = contact_of(executor)
            for column, value in ((PERSON, contact.person), (EMAIL, contact.email), (PHONE, contact.phone)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        hint = QLabel(tr("Адреси потрібні для листів розсилки (Звіт → Розіслати звіти виконавцям…). Двічі клацніть "
                         "або натисніть F2, щоб змінити клітинку."), self)
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        dialogs.resize_within_screen(self, 960, 560)

    def contact(self, row: int) -> Contact:
        return Contact(*(self.table.item(row, column).text() for column in (PERSON, EMAIL, PHONE)))

    def edited(self) -> list[tuple[object, Contact]]:
        return [(executor, self.contact(row)) for row, executor in enumerate(self.executors)
                if self.contact(row) != contact_of(executor)]

    def save(self) -> None:
        edited = self.edited()
        for executor, contact in edited:  # every row reads before anything is written
            try:
                checked(contact)
            except TrackerError as exc:
                QMessageBox.warning(self, self.windowTitle(), f"{executor.name}: {exc}")
                return
        if edited:
            try:
                self.window.operations.run(Operation(lambda: set_contacts(edited), self.windowTitle()))
            except TrackerError as exc:
                QMessageBox.warning(self, self.windowTitle(), str(exc))
                return
        self.accept()

    def reject(self) -> None:
        if self.edited() and not dialogs.confirm(self, self.windowTitle(),
                                                 tr("Зміни контактів не збережено. Закрити без збереження?")):
            return
        super().reject()
