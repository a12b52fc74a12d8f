"""Adding one user: login, name, role, a coordinator's departments, the password typed twice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from tracker.access.rights import ROLE_LABELS
from tracker.access.users import LOGIN, MIN_PASSWORD
from tracker.plan.executors import responsible_executors

from .. import dialogs
from ..i18n import N_, tr

ROLE_HELP = {
    "coordinator": N_("змінює стан виконання лише заходів, серед виконавців яких є його підрозділ"),
    "monitor": N_("змінює стан усіх заходів, імпортує звіти й пакети обміну"),
    "admin": N_("також змінює план і керує користувачами"),
}


class AddUserDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Новий користувач"))
        self.login_edit = QLineEdit(self)
        self.login_edit.setPlaceholderText(tr("напр. o.petrenko"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(tr("Ім'я та прізвище, як показувати в історії"))
        self.role_combo = QComboBox(self)
        for role in ("coordinator", "monitor", "admin"):
            self.role_combo.addItem(tr(ROLE_LABELS[role]), role)
        self.role_help = QLabel(self)
        self.role_help.setWordWrap(True)
        self.departments = QListWidget(self)
        self.departments.setObjectName("userDepartments")
        for executor in responsible_executors():
            item = QListWidgetItem(executor.name, self.departments)
            item.setData(Qt.ItemDataRole.UserRole, executor.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(tr("порожній — для логіна, що вже є на сервері"))
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        form = QFormLayout()
        self.departments_label = QLabel(tr("&Підрозділи:"), self)
        for text, widget in ((tr("&Логін:"), self.login_edit), (tr("&Ім'я:"), self.name_edit),
                             (tr("&Роль:"), self.role_combo), ("", self.role_help),
                             (self.departments_label, self.departments), (tr("&Пароль:"), self.password_edit),
                             (tr("Пароль ще &раз:"), self.repeat_edit)):
            label = text if isinstance(text, QLabel) else QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Додати"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for signal in (self.login_edit.textChanged, self.password_edit.textChanged, self.repeat_edit.textChanged,
                       self.role_combo.currentIndexChanged, self.departments.itemChanged):
            signal.connect(self._check)
        self._check()
        dialogs.resize_within_screen(self, 560, 620)

    def role(self) -> str:
        return self.role_combo.currentData()

    def chosen_departments(self) -> list[str]:
        return [self.departments.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.departments.count())
                if self.departments.item(i).checkState() == Qt.CheckState.Checked]

    def values(self) -> dict:
        return {"login": self.login_edit.text().strip(), "role": self.role(), "display_name": self.name_edit.text(),
                "departments": self.chosen_departments() if self.role() == "coordinator" else [],
                "password": self.password_edit.text() or None}

    def _problem(self) -> str:
        login = self.login_edit.text().strip()
        if not login:
            return tr("Вкажіть логін.")
        if not LOGIN.fullmatch(login) or login.startswith("pg_"):
            return tr("Логін: латинські малі літери, цифри, «_», «.» чи «-», першою — літера.")
        if self.role() == "coordinator" and not self.chosen_departments():
            return tr("Позначте хоча б один підрозділ координатора.")
        if not self.password_edit.text() and not self.repeat_edit.text():
            return ""  # a login the server already has keeps its own password (the server says if it is new)
        if len(self.password_edit.text()) < MIN_PASSWORD:
            return tr("Пароль: щонайменше {n} знаків.", n=MIN_PASSWORD)
        if self.password_edit.text() != self.repeat_edit.text():
            return tr("Паролі не збігаються.")
        return ""

    def _check(self, *_) -> None:
        coordinator = self.role() == "coordinator"
        self.departments.setEnabled(coordinator)
        self.departments_label.setEnabled(coordinator)
        self.role_help.setText(tr(ROLE_HELP[self.role()]).capitalize() + ".")
        problem = self._problem()
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
