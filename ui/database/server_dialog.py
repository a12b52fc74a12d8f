"""Файл → Підключитися до бази на сервері…: a PostgreSQL address; the password is never stored."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox

from ..i18n import tr


def server_url(host: str, port: int, database: str, user: str, password: str = "") -> str:
    credentials = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    return f"postgresql://{credentials}@{host}:{port}/{quote(database, safe='')}"


def without_password(url: str) -> str:
    """The address as remembered in the settings: everything but the password."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return url
    return server_url(parts.hostname or "", parts.port or 5432, unquote(parts.path.lstrip("/")),
                      unquote(parts.username or ""))


def is_server(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


class ServerDialog(QDialog):
    def __init__(self, remembered: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("База на сервері"))
        parts = urlsplit(remembered) if is_server(remembered) else None
        self.host_edit = QLineEdit(parts.hostname if parts else "", self)
        self.host_edit.setPlaceholderText(tr("напр. db.lutskrada.local"))
        self.port_spin = QSpinBox(self)
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(parts.port or 5432 if parts else 5432)
        self.database_edit = QLineEdit(unquote(parts.path.lstrip("/")) if parts else "tracker", self)
        self.user_edit = QLineEdit(unquote(parts.username or "") if parts else "", self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(tr("не зберігається"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # an address read whole (the hint was «напр. db.lutskrad…»), each field with its Alt+letter
        self.host_edit.setMinimumWidth(self.host_edit.fontMetrics().horizontalAdvance("М" * 24))
        layout = QFormLayout(self)
        layout.addRow(tr("&Сервер:"), self.host_edit)
        layout.addRow(tr("П&орт:"), self.port_spin)
        layout.addRow(tr("&База даних:"), self.database_edit)
        layout.addRow(tr("&Користувач:"), self.user_edit)
        layout.addRow(tr("&Пароль:"), self.password_edit)
        layout.addRow(buttons)
        (self.password_edit if parts else self.host_edit).setFocus()

    def url(self) -> str:
        return server_url(self.host_edit.text().strip(), self.port_spin.value(), self.database_edit.text().strip(),
                          self.user_edit.text().strip(), self.password_edit.text())
