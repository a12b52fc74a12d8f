"""When someone saved the same measure and quarter meanwhile: both versions side by side, per field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tracker.progress import fields
from tracker.progress.fields import FIELDS, Kind
from tracker.progress.records import ProgressState
from tracker.progress.rules import normalize_changes

from ..dialogs import resize_within_screen
from ..i18n import tr

MINE, THEIRS = 0, 1
LONG = 60  # characters of a text shown in a box of its own under its choice, not as the choice's one line


def _state_values(state: ProgressState | None) -> dict:
    if state is None:
        return {f.name: None for f in FIELDS}
    return dict(state.values)


class ConflictDialog(QDialog):
    """``base``: what the form was loaded with; ``mine``: the form now; ``theirs``: the saved record, saved by ``who``
    (as people read it: tracker.progress.records.record_author).

    Each field where the versions differ gets a choice; by default a field takes the user's value if
    the user changed it, and the saved one otherwise — so nobody's edit is dropped unseen.
    """

    def __init__(self, code: str, base: dict, mine: dict, theirs: ProgressState | None, parent=None, who: str = ""):
        super().__init__(parent)
        self.setWindowTitle(tr("Захід {code} змінено іншим користувачем", code=code))
        self.mine = normalize_changes(mine)
        self.theirs = _state_values(theirs)
        self.base = base
        if theirs is None:  # the record was taken back (an undone save), not saved over
            said = tr("Поки ви редагували, запис цього заходу за квартал вилучено в іншій програмі (скасовано "
                      "збереження). Оберіть для кожного поля, яке значення залишити.")
        else:
            who = who or theirs.updated_by or tr("інший користувач")
            said = tr("Поки ви редагували, {who} зберіг(-ла) цей захід ({when}). Оберіть для кожного поля, яке "
                      "значення залишити: збережене вже є в історії, а ваше потрапить туди, якщо ви його залишите.",
                      who=who, when=theirs.updated_at.strftime("%d.%m.%Y %H:%M"))
        intro = QLabel(said, self)
        intro.setWordWrap(True)
        table = QWidget(self)
        grid = QGridLayout(table)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        # «in your form», not «your value»: a value taken from a colleague at an earlier conflict is in it too
        for column, title in enumerate([tr("Поле"), tr("У вашій формі"), tr("Збережене значення")]):
            grid.addWidget(QLabel(f"<b>{title}</b>", self), 0, column)
        self.groups: dict[str, QButtonGroup] = {}
        row = 1
        for field in FIELDS:
            name = field.name
            if self.mine.get(name) == self.theirs.get(name):
                continue
            mine_button, mine_cell = self._choice(field, self.mine.get(name))
            theirs_button, theirs_cell = self._choice(field, self.theirs.get(name))
            group = QButtonGroup(self)
            group.addButton(mine_button, MINE)
            group.addButton(theirs_button, THEIRS)
            changed_by_me = self.mine.get(name) != self.base.get(name)
            (mine_button if changed_by_me else theirs_button).setChecked(True)
            self.groups[name] = group
            top = Qt.AlignmentFlag.AlignTop
            grid.addWidget(QLabel(fields.label(name), self), row, 0, top)
            grid.addWidget(mine_cell, row, 1, top)
            grid.addWidget(theirs_cell, row, 2, top)
            row += 1
        grid.setRowStretch(row, 1)
        scroll = QScrollArea(self)  # long notes on both sides: the buttons stay on the screen
        scroll.setWidget(table)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.addButton(tr("Зберегти вибране"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        resize_within_screen(self, 900, max(260, min(720, table.sizeHint().height() + 160)))

    def _choice(self, field, value) -> tuple[QRadioButton, QWidget]:
        """A side's value of a field: its choice, and what shows it — the choice's own line, or for a long text (a
        note of 3,000 characters made the dialog 22,672 px wide, its buttons off the screen) the choice over a
        box that shows the text wrapped and scrolls."""
        text = field.show(value)
        if field.kind is not Kind.TEXT or (len(text) <= LONG and "\n" not in text):
            button = QRadioButton(text, self)
            return button, button
        cell = QWidget(self)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        button = QRadioButton(tr("цей текст ({count} символів):", count=len(text)), cell)
        box = QPlainTextEdit(text, cell)
        box.setReadOnly(True)
        box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wrapped at the box's width
        box.setMinimumWidth(160)
        box.setMaximumHeight(box.fontMetrics().lineSpacing() * 7 + 12)
        column.addWidget(button)
        column.addWidget(box)
        return button, cell

    def choose(self, field: str, which: int) -> None:
        self.groups[field].button(which).setChecked(True)

    def values(self) -> dict:
        """The merged record to save: every field, from the side chosen for it."""
        merged = {}
        for field in FIELDS:
            name = field.name
            value = self.theirs.get(name) if self.groups.get(name) is not None and \
                self.groups[name].checkedId() == THEIRS else self.mine.get(name, self.theirs.get(name))
            merged[name] = field.empty if value is None else value
        return merged
