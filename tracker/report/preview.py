"""What reading a filled-in report found: the changes applying it would make, and the problems of its rows.

Made by tracker.report.reimport (one file) and combined by tracker.report.batch (a round's folder); shown by the
window's preview and the command line before anything is written.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..i18n import quarter_label, tr
from ..progress import fields
from ..quarters import Quarter
from ..storage.models import Plan
from ..text import same_end


@dataclass(frozen=True)
class FieldChange:
    """One field of one measure that applying the file would change.

    ``old`` is the quarter's current value (for a quarter not yet reported: the value a new record
    would carry over); ``new_record`` says the quarter has no record yet and applying creates it.
    """

    row: int
    code: str
    measure_id: int
    field: str  # a field name of tracker.progress.fields
    old: object
    new: object
    new_record: bool = False
    carried_from: Quarter | None = None  # for a new record: the earlier quarter whose value ``old`` is, if any
    typed: str | None = None  # a sum as the file has it, when ``new`` is it rounded to 0,1 тис. грн

    def after(self) -> str:
        """``new`` as a preview shows it: a sum rounded from the file's says so («125,6 (у файлі 125,55)»)."""
        shown = fields.show(self.field, self.new)
        return tr("{value} (у файлі {typed})", value=shown, typed=self.typed) if self.typed else shown

    def before(self) -> str:
        """``old`` as a preview shows it: for a quarter not yet reported, said so — «Виконується → Виконується» read as
        no change where the file gives the quarter its first record."""
        if not self.new_record:
            return fields.show(self.field, self.old)
        if self.carried_from is None or fields.get(self.field).is_empty(self.old):
            return tr("не подано")  # «— (з I кв. 2025)» read as if that quarter's note had been empty
        return tr("{value} (з {quarter})", value=fields.show(self.field, self.old),
                  quarter=quarter_label(self.carried_from))

    def sizes(self, shown: int = 80) -> str:
        """For a text too long to be shown whole in ``shown`` characters: how long it is before and after, and how
        much of its end stays as it was. New words typed over the first of a note's rows, the old rest kept under
        them, showed only as the new words."""
        field = fields.get(self.field)
        # an empty old value is no text («не подано» was counted as 9 characters of it)
        old = "" if field.is_empty(self.old) else fields.show(self.field, self.old)
        new = fields.show(self.field, self.new)
        if len(old) <= shown and len(new) <= shown:
            return ""
        if not old:
            return tr("{new} символів", new=_count(len(new)))
        kept = min(len(same_end(old, new)), len(old), len(new))
        if kept >= shown:
            return tr("{old} → {new} символів; останні {kept} — без змін", old=_count(len(old)),
                      new=_count(len(new)), kept=_count(kept))
        return tr("{old} → {new} символів", old=_count(len(old)), new=_count(len(new)))


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")  # «9 635», as the program writes sums


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: about the whole file, or a measure that has no row
    code: str | None
    message: str
    blocking: bool = False  # True: nothing can be applied (a file for another quarter)


@dataclass
class ImportPreview:
    file_name: str
    plan: Plan
    quarter: Quarter
    executor: str | None
    changes: list[FieldChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    exported_at: _dt.datetime | None = None  # when the file's data were read; None for a file made before 0.2

    @property
    def blocked(self) -> bool:
        return any(p.blocking for p in self.problems)

    @property
    def measure_ids(self) -> list[int]:
        """Measures that applying would change, in file order."""
        return list(dict.fromkeys(c.measure_id for c in self.changes))
