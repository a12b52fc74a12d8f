"""Undoing a save: the values it replaced written back, itself recorded in the history (the window's Правка →
Скасувати збереження, and a redo's values); and what an undo would bring back, as it is asked about."""

from __future__ import annotations

import datetime as _dt

from ..access.rights import require_edit
from ..errors import NotFoundError, ValidationError
from ..i18n import quarter_label, tr
from ..plan import versions
from ..quarters import Quarter
from ..storage.failures import CommitUnknown
from ..storage.locking import lock_row, write_transaction
from ..storage.models import History, Measure, Progress
from ..text import clean_name, shortened
from ..uids import new_uid
from . import fields
from .events import event_columns
from .fields import FIELDS
from .records import SaveResult, quarter_record, written_after_all

def saved_values(change_set: str) -> dict[str, object]:
    """The values a save wrote, typed as the form holds them (to save them again: a redo)."""
    rows = History.select().where(History.change_set == change_set).order_by(History.id)
    return {r.field: fields.get(r.field).load(r.new_value) for r in rows if fields.find(r.field) is not None}


def saved_code(change_set: str) -> tuple[str, Quarter] | None:
    """The measure a save was of, by its code now in the plan in force in the save's quarter (a renumbering since
    gave the code it was saved under to another measure), and the quarter."""
    first = History.select().where(History.change_set == change_set).order_by(History.id).first()
    if first is None:
        return None
    quarter = Quarter(first.year, first.quarter)
    return versions.code_in(first.measure, quarter), quarter


def undo_summary(change_set: str, width: int = 60) -> tuple[_dt.datetime | None, list[str]]:
    """When a save was made and what undoing it brings back, a line per field — «Виконання, %: 45 % → 10 %», from the
    value it wrote to the one it replaced (a value longer than ``width`` cut with «…»): what an undo asks about. It
    named the measure alone, and after a report's import a person took «the last save» for the import."""
    rows = list(History.select().where(History.change_set == change_set).order_by(History.id))
    created = any(r.field == "record" and r.new_value == "created" for r in rows)
    lines = [tr("{field}: {now} → {back}", field=fields.label(r.field),
                now=shortened(fields.show(r.field, r.new_value), width),
                back=tr("не подано") if created else shortened(fields.show(r.field, r.old_value), width))
             for r in rows if fields.find(r.field) is not None]
    return (rows[0].changed_at if rows else None), lines


UNDO_ORIGIN = "скасування"


def undo_change_set(change_set: str, *, author: str = "", now: _dt.datetime | None = None) -> SaveResult:
    """Restore the values a save replaced; the undo is itself recorded in the history.

    Refused when the record was changed again after that save, so an undo never silently
    overwrites somebody else's later work.
    """
    now = now or _dt.datetime.now().replace(microsecond=0)
    undo_set = new_uid()
    try:
        return _undo(change_set, undo_set, clean_name(author), now)
    except CommitUnknown as lost:
        written_after_all(lost, undo_set)
        rows = list(History.select().where(History.change_set == undo_set).order_by(History.id))
        return SaveResult(undo_set, [r.field for r in rows if fields.find(r.field) is not None], rows[0].measure.code)


def _undo(change_set: str, undo_set: str, author: str, now: _dt.datetime) -> SaveResult:
    with write_transaction(Progress._meta.database):
        rows = list(History.select().where(History.change_set == change_set).order_by(History.id))
        if not rows:
            raise NotFoundError("Цієї зміни немає в історії; скасовувати нічого.")
        first = rows[0]
        measure = first.measure
        require_edit(measure)
        lock_row(Measure, measure.id)  # the check below must see any save that is committing now
        quarter = Quarter(first.year, first.quarter)
        out = versions.absent_in(versions.absences(measure.plan).get(measure.id, []), quarter.index)
        if out is not None:  # an amendment took the measure out of that quarter since: its record is shown nowhere
            raise ValidationError(tr(
                "Захід {code} «{title}» виключено з плану на {quarter} ({decision}) вже після цього збереження: його "
                "запис за цей квартал ніде не показується, тож збереження не скасовується. Нічого не змінено.",
                code=measure.code, title=shortened(measure.title, 80), quarter=quarter_label(quarter),
                decision=out.decision))
        record = quarter_record(measure, quarter)
        changed = [r for r in rows if fields.find(r.field) is not None]
        created = any(r.field == "record" and r.new_value == "created" for r in rows)
        own = {r.field for r in changed}
        if (record is None or any(fields.get(r.field).store(fields.get(r.field).read(record)) != r.new_value
                                  for r in changed)
                # undoing a record's creation removes it: refused if it now holds anything else
                or (created and any(not f.is_empty(f.read(record)) for f in FIELDS if f.name not in own))):
            raise ValidationError(tr(
                "Захід {code} за {quarter} змінено після цього збереження; скасування могло б стерти новіші дані. "
                "Перегляньте історію й виправте значення вручну.", code=measure.code, quarter=quarter_label(quarter)))
        if created:
            record.delete_instance()
            History.create(measure=measure, year=quarter.year, quarter=quarter.number, field="record",
                           old_value="created", new_value="deleted", changed_at=now, changed_by=author,
                           origin=UNDO_ORIGIN, change_set=undo_set, **event_columns(measure, quarter, "record"))
        else:
            for r in changed:
                f = fields.get(r.field)
                f.write(record, f.load(r.old_value))
            record.updated_at, record.updated_by = now, author
            record.version += 1
            record.save()
        for r in changed:
            History.create(measure=measure, year=quarter.year, quarter=quarter.number, field=r.field,
                           old_value=r.new_value, new_value=None if created else r.old_value, changed_at=now,
                           changed_by=author, origin=UNDO_ORIGIN, change_set=undo_set,
                           **event_columns(measure, quarter, r.field))
        return SaveResult(undo_set, [r.field for r in changed], measure.code)
