"""The list of an office database's users, with adding and removing them (for its admin)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from tracker.access.rights import ROLE_LABELS, current_rights
from tracker.access.users import add_user, list_users, remove_user
from tracker.errors import TrackerError

from .. import dialogs
from ..i18n import tr
from ..operations import Operation
from .add_dialog import AddUserDialog


class UsersDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle(tr("Користувачі бази"))
        rights = current_rights()
        self.intro = QLabel(tr("Кожен працює під власним логіном на сервері; права перевіряє сам сервер. Ви: {who}.",
                               who=rights.describe()), self)
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([tr("Логін"), tr("Ім'я"), tr("Роль"), tr("Підрозділи")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(tr("&Додати…"), self)
        self.remove_button = QPushButton(tr("&Вилучити…"), self)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.table.itemSelectionChanged.connect(self._selection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.fill()
        dialogs.resize_within_screen(self, 820, 480)

    def fill(self) -> None:
        users = list_users()
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            role = tr(ROLE_LABELS[user.role]) + ("" if user.can_log_in else " " + tr("(логіна на сервері немає)"))
            for column, text in enumerate((user.login, user.display_name, role, "; ".join(user.departments))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self._selection()

    def selected_login(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.table.item(rows[0].row(), 0).text() if rows else None

    def _selection(self) -> None:
        self.remove_button.setEnabled(self.selected_login() not in (None, current_rights().login))

    def add(self) -> None:
        dialog = AddUserDialog(self)
        while dialogs.run_dialog(dialog):
            values = dialog.values()
            try:
                self.window.operations.run(Operation(lambda: add_user(author=self.window.controller.author, **values),
                                                     self.windowTitle()))
            except TrackerError as exc:  # the dialog stays open with what was typed
                QMessageBox.warning(self, self.windowTitle(), str(exc))
                continue
            break
        self.fill()

    def remove(self) -> None:
        login = self.selected_login()
        if login is None or not dialogs.confirm(self, self.windowTitle(), tr(
                "Вилучити користувача «{login}» з цієї бази? Він більше не зможе до неї входити. Його зміни в історії "
                "залишаться з його логіном.", login=login)):
            return
        try:
            dropped = self.window.operations.run(Operation(lambda: remove_user(login), self.windowTitle()))
        except TrackerError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        self.fill()
        self.window.statusBar().showMessage(tr("Користувача «{login}» вилучено.", login=login) + " " + (
            tr("Його логін на сервері видалено.") if dropped else
            tr("Його логін на сервері залишився: ним користуються інші бази сервера.")), 8000)
