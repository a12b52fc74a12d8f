"""Progress per measure and quarter: the state as of a quarter, and the one write path with history."""

from __future__ import annotations

import datetime as _dt
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..errors import ConflictError, NotFoundError, ValidationError
from ..quarters import Quarter, check_in_plan
from ..storage.locking import lock_row, write_transaction
from ..storage.models import History, Measure, Plan, Progress
from .events import EventStamp, event_columns
from .status import Status

FIELDS = ("status", "percent", "note", "remarks", "planned_financing", "actual_financing")
# Fields that carry over into a new quarter's record: the cumulative state of the measure, and
# the year's financing within the same year. Notes describe one quarter's work and start empty.
_CARRIED = ("status", "percent")
_CARRIED_WITHIN_YEAR = ("planned_financing", "actual_financing")


@dataclass(frozen=True)
class ProgressState:
    """A measure's state as of a quarter: its latest record at or before that quarter."""

    measure_id: int
    quarter: Quarter  # the quarter the record was made for
    reported: bool  # True only if the record is for the very quarter asked about
    status: Status
    percent: int
    note: str
    remarks: str
    planned_financing: Decimal | None
    actual_financing: Decimal | None
    updated_at: _dt.datetime
    updated_by: str
    version: int


def _state(record: Progress, asked: Quarter) -> ProgressState:
    quarter = Quarter(record.year, record.quarter)
    return ProgressState(
        measure_id=record.measure_id, quarter=quarter, reported=quarter == asked,
        status=Status(record.status), percent=record.percent, note=record.note, remarks=record.remarks,
        planned_financing=record.planned_financing, actual_financing=record.actual_financing,
        updated_at=record.updated_at, updated_by=record.updated_by, version=record.version,
    )


def states_as_of(plan: Plan, quarter: Quarter, measure_ids: list[int] | None = None) -> dict[int, ProgressState]:
    """Latest record at or before ``quarter`` for every measure of the plan that has one."""
    query = (Progress.select(Progress).join(Measure)
             .where((Measure.plan == plan) & ((Progress.year * 4 + Progress.quarter) <= quarter.year * 4 + quarter.number))
             .order_by(Progress.year, Progress.quarter))
    if measure_ids is not None:
        query = query.where(Progress.measure.in_(measure_ids))
    latest: dict[int, Progress] = {}
    for record in query:
        latest[record.measure_id] = record  # ordered by quarter, so the last one wins
    return {mid: _state(rec, quarter) for mid, rec in latest.items()}


def quarter_record(measure: Measure | int, quarter: Quarter) -> Progress | None:
    """The measure's record for ``quarter``, None when it has none."""
    return Progress.get_or_none((Progress.measure == measure) & (Progress.year == quarter.year)
                                & (Progress.quarter == quarter.number))


def measure_records(measure: Measure) -> list[Progress]:
    return list(Progress.select().where(Progress.measure == measure).order_by(Progress.year, Progress.quarter))


def measure_history(measure: Measure) -> list[History]:
    return list(History.select().where(History.measure == measure).order_by(History.changed_at, History.id))


def find_measure(plan: Plan, code: str) -> Measure:
    measure = Measure.get_or_none((Measure.plan == plan) & (Measure.code == str(code).strip()))
    if measure is None:
        raise NotFoundError(
            f"Заходу з кодом «{code}» у плані немає. Коди мають вигляд 1.2.8; "
            "перелік — у команді «tracker plan --json»."
        )
    return measure


# -- validation --------------------------------------------------------------------------------

def parse_percent(value) -> int:
    if isinstance(value, bool):
        raise ValidationError(f"Відсоток виконання «{value}» має бути цілим числом від 0 до 100.")
    text = str(value).strip().rstrip("%").strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"Відсоток виконання «{value}» має бути цілим числом від 0 до 100.") from None
    if number != number.to_integral_value() or not 0 <= number <= 100:
        raise ValidationError(f"Відсоток виконання має бути цілим числом від 0 до 100, а не «{value}».")
    return int(number)


def parse_money(value) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"Сума «{value}» має бути числом у тисячах гривень, наприклад 125,5.") from None
    if not number.is_finite() or number < 0 or number >= Decimal("1e12"):
        raise ValidationError(f"Сума «{value}» має бути невід'ємним числом у тисячах гривень.")
    return number.quantize(Decimal("0.1"))


def check_rules(status: Status, percent: int) -> None:
    if status is Status.DONE and percent != 100:
        raise ValidationError(
            f"Стан «{Status.DONE.label}» означає 100 %, а вказано {percent} %. "
            f"Вкажіть 100 % або оберіть стан «{Status.IN_PROGRESS.label}» чи «{Status.PARTIALLY_DONE.label}»."
        )
    if status is Status.NOT_STARTED and percent != 0:
        raise ValidationError(
            f"Стан «{Status.NOT_STARTED.label}» означає 0 %, а вказано {percent} %. "
            f"Вкажіть 0 % або оберіть стан «{Status.IN_PROGRESS.label}»."
        )


def normalize_changes(changes: dict) -> dict:
    """Turn user input into typed values; unknown fields and bad values are refused."""
    result = {}
    for name, value in changes.items():
        if name not in FIELDS:
            raise ValidationError(f"Невідоме поле «{name}». Можливі: {', '.join(FIELDS)}.")
        if name == "status":
            result[name] = value if isinstance(value, Status) else Status.parse(value)
        elif name == "percent":
            result[name] = parse_percent(value)
        elif name in ("planned_financing", "actual_financing"):
            result[name] = parse_money(value)
        else:
            result[name] = str(value or "").strip()
    return result


# -- the write path ----------------------------------------------------------------------------

@dataclass
class SaveResult:
    change_set: str | None  # None when nothing changed
    changed_fields: list[str]


def _serialize(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Status):
        return value.value
    return str(value)


def save_progress(measure: Measure, quarter: Quarter, changes: dict, *, author: str = "",
                  origin: str = "", now: _dt.datetime | None = None,
                  expected_version: int | None = None,
                  events: dict[str, EventStamp] | None = None) -> SaveResult:
    """Validate and write one measure's record for one quarter, with history, in one transaction.

    ``expected_version`` is what record_version gave when the user started editing (0: there was no
    record yet). If the record has moved on since, ConflictError is raised and nothing is written.
    None skips the check; concurrent saves are serialised either way.
    ``events`` keeps the identity of field changes merged from an exchange package (tracker.exchange);
    every other history row gets a new one.
    """
    plan = measure.plan
    check_in_plan(quarter, plan.first_year, plan.last_year)
    values = normalize_changes(changes)
    now = now or _dt.datetime.now().replace(microsecond=0)
    with write_transaction(Progress._meta.database):
        lock_row(Measure, measure.id)  # a second saver waits here and then reads the first one's record
        record = quarter_record(measure, quarter)
        if expected_version is not None and expected_version != (record.version if record else 0):
            raise _conflict(measure, quarter, record, expected_version, values)
        created = record is None
        if created:
            record = _new_record(measure, quarter)
            # above any version a record undone before had: an editor still holding it must not match
            record.version = 1 + History.select().where(
                (History.measure == measure) & (History.year == quarter.year)
                & (History.quarter == quarter.number)).count()
        old = {name: _field(record, name) for name in FIELDS}
        new = dict(old, **values)
        if new["status"] is None:
            raise ValidationError(
                f"Для заходу {measure.code} за {quarter} ще немає стану. Вкажіть стан (--status)."
            )
        check_rules(new["status"], new["percent"])
        changed = [name for name in FIELDS if new[name] != old[name] or (created and new[name] not in (None, ""))]
        if not changed and not created:
            return SaveResult(None, [])
        change_set = uuid.uuid4().hex
        for name in FIELDS:
            setattr(record, name, new[name].value if isinstance(new[name], Status) else new[name])
        record.updated_at, record.updated_by = now, author
        if not created:
            record.version += 1
        record.save(force_insert=created)
        if created:
            History.create(measure=measure, year=quarter.year, quarter=quarter.number, field="record",
                           old_value=None, new_value="created", changed_at=now, changed_by=author,
                           origin=origin, change_set=change_set, **event_columns(measure, quarter, "record"))
        for name in changed:
            History.create(measure=measure, year=quarter.year, quarter=quarter.number, field=name,
                           old_value=None if created else _serialize(old[name]), new_value=_serialize(new[name]),
                           changed_at=now, changed_by=author, origin=origin, change_set=change_set,
                           **event_columns(measure, quarter, name, events))
        return SaveResult(change_set, changed)


def record_version(measure: Measure, quarter: Quarter) -> int:
    """The version of the measure's record for ``quarter``, 0 when it has none: save_progress's expected_version."""
    record = quarter_record(measure, quarter)
    return record.version if record is not None else 0


def _conflict(measure: Measure, quarter: Quarter, record: Progress | None, expected: int,
              wanted: dict) -> ConflictError:
    where = f"Захід {measure.code} за {quarter.label}"
    if record is None:
        what = f"{where}: запис, який ви редагували (версія {expected}), тим часом скасовано."
    else:
        who = record.updated_by or "інший користувач"
        when = record.updated_at.strftime("%d.%m.%Y %H:%M")
        what = (f"{where} тим часом зберіг(-ла) {who} о {when}: зараз версія {record.version}, "
                f"а ви редагували {'новий запис' if expected == 0 else f'версію {expected}'}.")
    return ConflictError(
        f"{what} Ваші зміни не збережено. Перегляньте обидві версії, виберіть або поєднайте значення "
        "й збережіть ще раз.",
        expected_version=expected, wanted=wanted, current=None if record is None else _state(record, quarter))


def _field(record: Progress, name: str):
    value = getattr(record, name)
    if name == "status":
        return Status(value) if value else None
    if name in ("planned_financing", "actual_financing") and value is not None:
        return Decimal(value).quantize(Decimal("0.1"))
    return value


def draft_values(measure: Measure, quarter: Quarter) -> tuple[dict, bool]:
    """The values a coordinator starts from for a quarter, and whether that quarter is reported.

    The quarter's own record if it has one; otherwise what a new record would carry forward.
    """
    record = quarter_record(measure, quarter)
    reported = record is not None
    if record is None:
        record = _new_record(measure, quarter)
    return {name: _field(record, name) for name in FIELDS}, reported


def _new_record(measure: Measure, quarter: Quarter) -> Progress:
    record = Progress(measure=measure, year=quarter.year, quarter=quarter.number, status=None, percent=0,
                      note="", remarks="", planned_financing=None, actual_financing=None, version=1)
    previous = (Progress.select().where((Progress.measure == measure)
                                        & ((Progress.year * 4 + Progress.quarter) < quarter.year * 4 + quarter.number))
                .order_by(Progress.year.desc(), Progress.quarter.desc()).first())
    if previous is not None:
        for name in _CARRIED:
            setattr(record, name, getattr(previous, name))
        if previous.year == quarter.year:
            for name in _CARRIED_WITHIN_YEAR:
                setattr(record, name, getattr(previous, name))
    return record


# -- undo --------------------------------------------------------------------------------------

UNDO_ORIGIN = "скасування"


def _deserialize(name: str, text: str | None):
    if text is None:
        return None if name not in ("note", "remarks") else ""
    if name == "status":
        return Status(text)
    if name == "percent":
        return int(text)
    if name in ("planned_financing", "actual_financing"):
        return Decimal(text).quantize(Decimal("0.1"))
    return text


def undo_change_set(change_set: str, *, author: str = "", now: _dt.datetime | None = None) -> SaveResult:
    """Restore the values a save replaced; the undo is itself recorded in the history.

    Refused when the record was changed again after that save, so an undo never silently
    overwrites somebody else's later work.
    """
    now = now or _dt.datetime.now().replace(microsecond=0)
    with write_transaction(Progress._meta.database):
        rows = list(History.select().where(History.change_set == change_set).order_by(History.id))
        if not rows:
            raise NotFoundError("Цієї зміни немає в історії; скасовувати нічого.")
        first = rows[0]
        measure = first.measure
        lock_row(Measure, measure.id)  # the check below must see any save that is committing now
        quarter = Quarter(first.year, first.quarter)
        record = quarter_record(measure, quarter)
        fields = [r for r in rows if r.field in FIELDS]
        created = any(r.field == "record" and r.new_value == "created" for r in rows)
        own = {r.field for r in fields}
        if (record is None or any(_serialize(_field(record, r.field)) != r.new_value for r in fields)
                # undoing a record's creation removes it: refused if it now holds anything else
                or (created and any(_field(record, name) not in (None, "") for name in FIELDS if name not in own))):
            raise ValidationError(
                f"Захід {measure.code} за {quarter} змінено після цього збереження; скасування могло б "
                "стерти новіші дані. Перегляньте історію й виправте значення вручну."
            )
        undo_set = uuid.uuid4().hex
        if created:
            record.delete_instance()
            History.create(measure=measure, year=quarter.year, quarter=quarter.number, field="record",
                           old_value="created", new_value="deleted", changed_at=now, changed_by=author,
                           origin=UNDO_ORIGIN, change_set=undo_set, **event_columns(measure, quarter, "record"))
        else:
            for r in fields:
                value = _deserialize(r.field, r.old_value)
                setattr(record, r.field, value.value if isinstance(value, Status) else value)
            record.updated_at, record.updated_by = now, author
            record.version += 1
            record.save()
        for r in fields:
            History.create(measure=measure, year=quarter.year, quarter=quarter.number, field=r.field,
                           old_value=r.new_value, new_value=None if created else r.old_value, changed_at=now,
                           changed_by=author, origin=UNDO_ORIGIN, change_set=undo_set,
                           **event_columns(measure, quarter, r.field))
        return SaveResult(undo_set, [r.field for r in fields])
