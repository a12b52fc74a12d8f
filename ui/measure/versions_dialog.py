"""When someone saved the same measure and quarter meanwhile: both versions side by side, per field."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
)

from tracker.progress import fields
from tracker.progress.fields import FIELDS
from tracker.progress.records import ProgressState, normalize_changes

from ..i18n import tr

MINE, THEIRS = 0, 1


def _state_values(state: ProgressState | None) -> dict:
    if state is None:
        return {f.name: None for f in FIELDS}
    return dict(state.values)


class ConflictDialog(QDialog):
    """``base``: what the form was loaded with; ``mine``: the form now; ``theirs``: the saved record.

    Each field where the versions differ gets a choice; by default a field takes the user's value if
    the user changed it, and the saved one otherwise — so nobody's edit is dropped unseen.
    """

    def __init__(self, code: str, base: dict, mine: dict, theirs: ProgressState | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Захід {code} змінено іншим користувачем", code=code))
        self.mine = normalize_changes(mine)
        self.theirs = _state_values(theirs)
        self.base = base
        who = theirs.updated_by if theirs and theirs.updated_by else tr("інший користувач")
        when = theirs.updated_at.strftime("%d.%m.%Y %H:%M") if theirs else "—"
        intro = QLabel(tr("Поки ви редагували, {who} зберіг(-ла) цей захід ({when}). Оберіть для кожного поля, "
                          "яке значення залишити; обидві версії буде записано в історію.", who=who, when=when), self)
        intro.setWordWrap(True)
        grid = QGridLayout()
        for column, title in enumerate([tr("Поле"), tr("Ваше значення"), tr("Збережене значення")]):
            grid.addWidget(QLabel(f"<b>{title}</b>", self), 0, column)
        self.groups: dict[str, QButtonGroup] = {}
        row = 1
        for field in FIELDS:
            name = field.name
            if self.mine.get(name) == self.theirs.get(name):
                continue
            mine_button = QRadioButton(field.show(self.mine.get(name)), self)
            theirs_button = QRadioButton(field.show(self.theirs.get(name)), self)
            group = QButtonGroup(self)
            group.addButton(mine_button, MINE)
            group.addButton(theirs_button, THEIRS)
            changed_by_me = self.mine.get(name) != self.base.get(name)
            (mine_button if changed_by_me else theirs_button).setChecked(True)
            self.groups[name] = group
            grid.addWidget(QLabel(fields.label(name), self), row, 0)
            grid.addWidget(mine_button, row, 1)
            grid.addWidget(theirs_button, row, 2)
            row += 1
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.addButton(tr("Зберегти вибране"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(buttons)

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
