"""Small dialogs: the unsaved-changes question and the settings."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from tracker.errors import TrackerError
from tracker.text import MAX_NAME, clean_name

from .i18n import LANGUAGES, tr

T = TypeVar("T")
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
OPEN_FILE, SHOW_FOLDER = "open", "folder"


def ask_unsaved(parent: QWidget, what: str) -> str:
    """Ask what to do with unsaved edits: SAVE, DISCARD or CANCEL."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Незбережені зміни"))
    box.setText(tr("Зміни до заходу {what} не збережено.", what=what))
    box.setInformativeText(tr("Зберегти їх перед тим, як продовжити?"))
    # Alt+letters as everywhere else in the window (only Tab reached them)
    save = box.addButton(tr("&Зберегти"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(tr("&Не зберігати"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(tr("Скасувати"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return SAVE
    if clicked is discard:
        return DISCARD
    return CANCEL


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, smaller where the screen is smaller (1366×768 at 125 % is 1093×614):
    its buttons stay on the screen."""
    screen = widget.screen() or QApplication.primaryScreen()
    available = screen.availableGeometry() if screen is not None else None
    if available is not None:
        width, height = min(width, int(available.width() * 0.95)), min(height, int(available.height() * 0.92))
    widget.resize(width, height)


def run_dialog(dialog) -> bool:
    """Run a modal dialog; one place, so that tests can answer it."""
    return bool(dialog.exec())


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question for a step that replaces data; «no» is the default."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def asked_to_replace(parent: QWidget, title: str, write: Callable[[bool], T]) -> T | None:
    """``write(False)``; when a file is where it writes and is not one it replaces by itself (an earlier copy or
    package of this database: TrackerError, hint "overwrite"), the person is asked, «no» the default, and
    ``write(True)`` replaces it only on «yes»; None when they said no. Qt's own «replace?» of the file dialog says
    nothing of what the file is: taken for consent, a copy saved over a laptop's database lost its unsent changes."""
    try:
        return write(False)
    except TrackerError as exc:
        if exc.hint != "overwrite":
            raise
        if not confirm(parent, title, str(exc) + "\n\n" + tr(
                "Замінити його все одно? Усе, що в ньому, буде втрачено — якщо це база чи пакет іншого пристрою, то й "
                "ще не надіслані зміни того пристрою.")):
            return None
    return write(True)


def ask(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question for a step that changes no data (it only moves the view); «yes» is the default."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes


REPLACE, OTHER_NAME = "replace", "other_name"


def _choose(parent: QWidget, icon, title: str, text: str, choices: list, default=None):
    """A message box whose buttons are ``choices`` [(label, role, answer)]; the answer clicked, or None."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    answers = {}
    for label, role, answer in choices:
        button = box.addButton(label, role)
        answers[id(button)] = answer
        if answer is not None and answer == default:
            box.setDefaultButton(button)
    box.exec()
    return answers.get(id(box.clickedButton()))


def ask_overwrite(parent: QWidget, path: str, other: str) -> str | None:
    """An export over an existing file (perhaps a copy already filled in): REPLACE, OTHER_NAME or None."""
    name = Path(other).name
    return _choose(parent, QMessageBox.Icon.Warning, tr("Файл уже є"), tr(
        "Файл «{path}» уже існує — можливо, це вже заповнений звіт. Замінити його чи зберегти новий "
        "звіт як «{other}»?", path=path, other=name), [
        (tr("Зберегти як «{name}»", name=name), QMessageBox.ButtonRole.AcceptRole, OTHER_NAME),
        (tr("Замінити"), QMessageBox.ButtonRole.DestructiveRole, REPLACE),
        (tr("Скасувати"), QMessageBox.ButtonRole.RejectRole, None)], default=OTHER_NAME)


RESTORE = "restore"


def ask_restore(parent: QWidget, text: str) -> str | None:
    """Values kept unsaved from an earlier run: RESTORE (the default: it writes nothing), DISCARD, or None to be asked
    again at the next opening."""
    return _choose(parent, QMessageBox.Icon.Question, tr("Незбережені зміни"), text, [
        (tr("Відновити"), QMessageBox.ButtonRole.AcceptRole, RESTORE),
        (tr("Відкинути"), QMessageBox.ButtonRole.DestructiveRole, DISCARD),
        (tr("Пізніше"), QMessageBox.ButtonRole.RejectRole, None)], default=RESTORE)


def ask_rebuild(parent: QWidget, text: str) -> bool:
    """A database whose indexes alone are damaged: rebuild them now (the default: nothing recorded is lost)?"""
    return _choose(parent, QMessageBox.Icon.Warning, tr("Базу даних пошкоджено"), text, [
        (tr("Відбудувати індекси"), QMessageBox.ButtonRole.AcceptRole, True),
        (tr("Не зараз"), QMessageBox.ButtonRole.RejectRole, False)], default=True) is True


def ask_set_wal_aside(parent: QWidget, text: str) -> bool:
    """A database whole without the WAL beside it: set the WAL aside and open the file as it is (the default)?"""
    return _choose(parent, QMessageBox.Icon.Warning, tr("Базу даних пошкоджено"), text, [
        (tr("Відкласти журнал і відкрити"), QMessageBox.ButtonRole.AcceptRole, True),
        (tr("Не відкривати"), QMessageBox.ButtonRole.RejectRole, False)], default=True) is True


def ask_open_report(parent: QWidget, path: str) -> str | None:
    """After an export: OPEN_FILE, SHOW_FOLDER or None."""
    return _choose(parent, QMessageBox.Icon.Information, tr("Звіт збережено"),
                   tr("Звіт збережено у файлі:\n{path}", path=path), [
                       (tr("Відкрити файл"), QMessageBox.ButtonRole.AcceptRole, OPEN_FILE),
                       (tr("Показати в теці"), QMessageBox.ButtonRole.ActionRole, SHOW_FOLDER),
                       (tr("Закрити"), QMessageBox.ButtonRole.RejectRole, None)])


def ask_show_folder(parent: QWidget, title: str, text: str) -> bool:
    """After writing files into a folder: whether to show it."""
    return _choose(parent, QMessageBox.Icon.Information, title, text, [
        (tr("Показати теку"), QMessageBox.ButtonRole.AcceptRole, True),
        (tr("Закрити"), QMessageBox.ButtonRole.RejectRole, False)]) is True


def show_folder(parent: QWidget, folder: Path | str, title: str, said: str = "") -> None:
    """The folder in the system's file manager; where none opens it, where it is is said (``said``, else its path):
    «Показати теку» did nothing visible on a computer with no file manager set up."""
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        QMessageBox.information(parent, title, said or tr("Теку не вдалося відкрити. Її шлях: {folder}",
                                                           folder=str(folder)))


class SettingsDialog(QDialog):
    def __init__(self, language: str, user_name: str, parent=None, device_name: str | None = None):
        """``device_name``: this computer's name in exchange packages (None: not this login's to change, not shown)."""
        super().__init__(parent)
        self.setWindowTitle(tr("Налаштування"))
        self.language_combo = QComboBox(self)
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(language), 0))
        self.name_edit = QLineEdit(user_name, self)
        self.name_edit.setMaxLength(MAX_NAME)
        self.name_edit.setPlaceholderText(tr("Прізвище та ім'я, як у звітах"))
        # a name with its department read whole («ha Petrenko (osvita)» was what the field showed)
        self.name_edit.setMinimumWidth(self.name_edit.fontMetrics().horizontalAdvance("М" * 28))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # no name, no OK: an emptied name was taken, and every save after went into the history by nobody
        self.name_needed = QLabel(tr("Вкажіть своє ім'я: воно записується в історію кожної вашої зміни."), self)
        self.name_needed.setWordWrap(True)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.name_edit.textChanged.connect(self._say_name_needed)
        layout = QFormLayout(self)
        # Alt+letters: a label given as text is its field's buddy
        layout.addRow(tr("&Мова інтерфейсу:"), self.language_combo)
        layout.addRow(tr("&Хто я (записується в історію змін):"), self.name_edit)
        layout.addRow(self.name_needed)
        self._say_name_needed(user_name)
        self.device_edit = QLineEdit(device_name or "", self)
        self.device_edit.setMaxLength(MAX_NAME)
        # short enough to be read whole in the field («…; ще не назв…» was cut at 150 %)
        self.device_edit.setPlaceholderText(tr("напр. Старостат Прилуцьке"))
        # rich text: wrapped, not one line across the screen over the dialog's buttons
        self.device_edit.setToolTip("<p>" + escape(tr(
            "Цю назву бачать на інших комп'ютерах поруч зі змінами, зробленими тут. Уже надіслані пакети зберігають "
            "назву, з якою їх надіслано.")) + "</p>")
        if device_name is not None:
            layout.addRow(tr("&Назва цього комп'ютера в пакетах змін:"), self.device_edit)
        else:
            self.device_edit.hide()
        self._device_name = device_name
        layout.addRow(buttons)
        # Tab from the fields to the buttons: the computer's name, made after them, came after OK and Скасувати
        QWidget.setTabOrder(self.name_edit, self.device_edit)
        QWidget.setTabOrder(self.device_edit, buttons)

    def language(self) -> str:
        return self.language_combo.currentData()

    def user_name(self) -> str:
        return clean_name(self.name_edit.text())

    def _say_name_needed(self, text: str) -> None:
        named = bool(clean_name(text))
        self._ok.setEnabled(named)
        self.name_needed.setVisible(not named)

    def device_name(self) -> str | None:
        """The computer's name as typed when it was changed (and not left empty); else None."""
        typed = self.device_edit.text().strip()
        return typed if self._device_name is not None and typed and typed != self._device_name else None
