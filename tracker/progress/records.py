"""Progress per measure and quarter: the state as of a quarter, and the one write path with history."""

from __future__ import annotations

import datetime as _dt
import weakref
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from peewee import CharField, IntegerField, Query, TextField, Tuple, Value, fn

from ..access.rights import require_edit
from ..errors import ConflictError, NotFoundError, TrackerError, ValidationError
from ..i18n import quarter_label, tr
from ..plan import versions
from ..quarters import Quarter, check_in_plan
from ..storage import prepared
from ..storage.device import remember_device
from ..storage.failures import CommitUnknown, database_errors, not_committed
from ..storage.locking import lock_row, real_database, write_transaction
from ..storage.models import History, Measure, Plan, Progress
from ..text import clean_name
from ..uids import new_uid
from . import fields
from .events import EventStamp, event_stamps, in_causal_order
from .fields import FIELDS, Carry
from .rules import check_rules, normalize_changes


@dataclass(frozen=True)
class ProgressState:
    """A measure's state as of a quarter: its latest record at or before that quarter.

    ``values`` holds every progress field (tracker.progress.fields), typed; each is also an
    attribute: ``state.status``, ``state.percent`` …
    """

    measure_id: int
    quarter: Quarter  # the quarter the record was made for
    reported: bool  # True only if the record is for the very quarter asked about
    values: dict
    updated_at: _dt.datetime
    updated_by: str
    version: int

    def __getattr__(self, name: str):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    @classmethod
    def made(cls, measure_id: int, quarter: Quarter, reported: bool, values: dict, updated_at: _dt.datetime,
             updated_by: str, version: int) -> "ProgressState":
        """The same state as the constructor makes, without the frozen dataclass's field-by-field assignment
        (object.__setattr__ each): a quarter's states are read thousands at once, and it was a fifth of the time."""
        state = object.__new__(cls)
        state.__dict__.update(measure_id=measure_id, quarter=quarter, reported=reported, values=values,
                              updated_at=updated_at, updated_by=updated_by, version=version)
        return state


def _state(record: Progress, asked: Quarter) -> ProgressState:
    quarter = Quarter(record.year, record.quarter)
    return ProgressState(measure_id=record.measure_id, quarter=quarter, reported=quarter == asked,
                         values=record_values(record), updated_at=record.updated_at,
                         updated_by=record.updated_by, version=record.version)


def record_values(record: Progress) -> dict:
    """Every field's typed value in a record row."""
    return {f.name: f.read(record) for f in FIELDS}


def states_as_of(plan: Plan, quarter: Quarter, measure_ids: list[int] | None = None) -> dict[int, ProgressState]:
    """Latest record at or before ``quarter`` for every measure of the plan that has one.

    For each measure the database seeks its latest record on the (measure, year, quarter) index — one short
    step per measure, not a pass over every record of the years before, which grow with every quarter reported.
    """
    earlier = Progress.alias()
    # (year, quarter) <= (…) as one row value: SQLite seeks the index with it, a fifth quicker than «year < … or …»
    latest = (earlier.select(earlier.id)
              .where((earlier.measure == Measure.id)
                     & (Tuple(earlier.year, earlier.quarter) <= Tuple(quarter.year, quarter.number)))
              .order_by(earlier.year.desc(), earlier.quarter.desc()).limit(1))
    columns = [Progress.measure, Progress.year, Progress.quarter, *(Progress._meta.fields[f.name] for f in FIELDS),
               Progress.updated_at, Progress.updated_by, Progress.version]
    query = Measure.select(*columns).join(Progress, on=(Progress.id == latest)).where(Measure.plan == plan)
    if measure_ids is not None:
        query = query.where(Measure.id.in_(measure_ids))
    # raw rows, each column converted once by its field: peewee's rows or objects were most of the time at ×20
    readers = [(f.name, _column_reader(Progress._meta.fields[f.name], f)) for f in FIELDS]
    updated_at = _time_reader(Progress.updated_at)
    made = ProgressState.made
    states = {}
    quarters: dict[tuple[int, int], Quarter] = {}
    for row in Progress._meta.database.execute(query):
        measure_id, year, number = row[0], row[1], row[2]
        at = quarters.get((year, number)) or quarters.setdefault((year, number), Quarter(year, number))
        values = {name: read(row[place]) for place, (name, read) in enumerate(readers, 3)}
        states[measure_id] = made(measure_id, at, at == quarter, values, updated_at(row[-3]), row[-2], row[-1])
    gaps = versions.absences(plan)
    if gaps:
        _skip_absent_quarters(states, gaps, quarter)
    return states


def _skip_absent_quarters(states: dict[int, ProgressState], gaps: dict[int, list], quarter: Quarter) -> None:
    """A measure in the plan in ``quarter`` carries no record of a quarter it was out of the plan (a laptop's report of
    a measure removed then and brought back since): the report for III кв. cited «дані за II кв. 2026», which II кв.
    2026's report had not. Its latest record of a quarter it was in the plan stands instead. (Out of the plan in
    ``quarter`` too — shown only among the removed ones — it shows its latest record, whichever.)"""
    for measure_id, state in list(states.items()):
        out = gaps.get(measure_id)
        if not out or versions.absent_in(out, quarter.index) or not versions.absent_in(out, state.quarter.index):
            continue
        # the record of ``quarter`` itself, were there one, would be the state: the one found is before it
        earlier = _latest_before(measure_id, quarter, out)
        if earlier is None:
            del states[measure_id]
        else:
            states[measure_id] = _state(earlier, quarter)


def _time_reader(column):
    """A raw time → datetime: SQLite's text in either of the two forms peewee writes (with or without microseconds)
    parsed by datetime itself, 4× quicker than peewee's tries of its formats one by one; anything else (the
    server's datetime, an odd text) by the field, as before."""
    convert = column.python_value

    def read(value):
        if isinstance(value, str) and len(value) in (19, 26):
            try:
                return _dt.datetime.fromisoformat(value)
            except ValueError:
                pass
        return convert(value)
    return read


def _column_reader(column, field=None):
    """A raw column value → the typed value (the database's conversion, then the progress field's).

    Whole numbers and texts come from both drivers as int and str: only the other columns (money, time) need
    the database field's conversion."""
    convert = None if isinstance(column, (IntegerField, TextField, CharField)) else column.python_value
    parse = field.parse_stored if field is not None else None
    if convert is None:
        return parse or (lambda value: value)
    if parse is None:
        return lambda value: None if value is None else convert(value)
    return lambda value: parse(None if value is None else convert(value))


_years: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # per database: plan id → (first, last year)


def plan_years(plan_id: int) -> tuple[int, int]:
    """The plan's first and last year (a plan's years never change: another span is another plan)."""
    known = _years.setdefault(real_database(Progress._meta.database), {})
    if plan_id not in known:
        plan = Plan.get_by_id(plan_id)
        known[plan_id] = (plan.first_year, plan.last_year)
    return known[plan_id]


def quarter_record(measure: Measure | int, quarter: Quarter) -> Progress | None:
    """The measure's record for ``quarter``, None when it has none."""
    measure_id = getattr(measure, "id", measure)
    text, params = prepared.statement(
        Progress._meta.database, "quarter record",
        lambda: Progress.select().where((Progress.measure == measure_id) & (Progress.year == quarter.year)
                                        & (Progress.quarter == quarter.number)),
        [measure_id, quarter.year, quarter.number])
    return next(iter(Progress.raw(text, *params)), None)


_RECORD_COLUMNS = [column for column in Progress._meta.sorted_fields
                   if column.name in {f.name for f in FIELDS} | {"updated_at", "updated_by", "version"}]


def history_mark() -> int:
    """Where the history stands now; ``history_rows`` tells what was written after it."""
    return History.select(fn.MAX(History.id)).scalar() or 0


def history_rows(after: int, also: Collection[int] = ()) -> dict[int, tuple[int, Quarter]]:
    """id → (measure id, quarter) of every change after ``after`` (each change writes a history row, so none is
    missed), and of the rows ``also`` among those before it: on the server an id is handed out when its row is
    written, not when its transaction commits, so a long one's rows show only after later ids did."""
    where = History.id > after
    if also:
        where |= History.id.in_(sorted(also))
    # not DISTINCT in SQL: SQLite then scans a whole index of the history (60 ms at ×20, for every save) instead of
    # reading the few rows after the mark by their ids
    rows = History.select(History.id, History.measure, History.year, History.quarter).where(where)
    return {row_id: (measure_id, Quarter(year, number)) for row_id, measure_id, year, number in rows.tuples()}


def measure_records(measure: Measure | int) -> list[Progress]:
    return list(Progress.select().where(Progress.measure == measure).order_by(Progress.year, Progress.quarter))


def measure_history(measure: Measure | int) -> list[History]:
    """The measure's changes in the order they were made: by time, but a change never before the one it replaced.
    The time is each computer's clock — one set an hour back (another time zone, the autumn's clock change, a flat
    battery) listed a change before the one it replaced, whose value then read as the latest."""
    return in_causal_order(list(History.select().where(History.measure == measure)
                                .order_by(History.changed_at, History.id)))


def record_author(measure: Measure | int, quarter: Quarter, name: str) -> str:
    """Who saved the measure's record for ``quarter`` last (``name``, its updated_by) as people read it: with the
    server's login that wrote it, from its last change — the name alone is what the person typed in the settings."""
    change = (History.select(History.changed_by, History.login)
              .where((History.measure == measure) & (History.year == quarter.year)
                     & (History.quarter == quarter.number) & (History.changed_by == name))
              .order_by(History.id.desc()).first())
    return with_login(name, change.login) if change is not None else name


def author_of(change: History) -> str:
    """Who made a change as people read it: the name typed, and on the server the login that wrote it."""
    return with_login(change.changed_by, change.login)


def with_login(name: str, login: str) -> str:
    """A name typed, with the server's login that wrote it beside it when that is another («Клерк (ha_admin)»); shown
    without marks turning its direction — kept so (a package's change keeps its maker's words under its signature),
    «\u202eПетро» read as another name in the history."""
    name, login = clean_name(name), clean_name(login)
    if login and login != name:
        return f"{name} ({login})" if name else login
    return name


def measure_by_id(measure_id: int) -> Measure:
    text, params = prepared.statement(Measure._meta.database, "measure",
                                      lambda: Measure.select().where(Measure.id == measure_id), [measure_id])
    measure = next(iter(Measure.raw(text, *params)), None)
    if measure is None:
        raise NotFoundError(tr("Цього заходу вже немає в базі (його вилучено з плану). Оновіть вікно."))
    return measure


def _measure(measure: Measure | int) -> Measure:
    return measure if isinstance(measure, Measure) else measure_by_id(measure)


def find_measure(plan: Plan, code: str, quarter: Quarter | None = None) -> Measure:
    """The measure with ``code`` in the plan as in force in ``quarter`` (by default: the newest version).

    Codes change by amendment: in 2025 «1.1.3» may name a measure since removed, and from 2026 the
    one that was 1.1.4 (tracker.plan.versions).
    """
    code = str(code).strip()
    version = versions.version_in_force(plan, quarter) if quarter is not None else None
    if version is not None:
        measure_id = next((m["id"] for m in versions.version_measures(version) if m["code"] == code), None)
        measure = Measure.get_or_none(Measure.id == measure_id) if measure_id is not None else None
    else:
        measure = Measure.get_or_none((Measure.plan == plan) & (Measure.code == code) & Measure.removed_in.is_null())
    if measure is not None:
        return measure
    gone = (Measure.select().where((Measure.plan == plan) & (Measure.code == code) & Measure.removed_in.is_null(False))
            .order_by(Measure.removed_in.desc()).first())
    if gone is not None and (quarter is None or gone.removed_in <= quarter.index):
        raise NotFoundError(tr("Захід {code} виключено з плану з {quarter} ({decision}); його записи за попередні "
                               "квартали збережено.", code=code, quarter=Quarter.from_index(gone.removed_in),
                               decision=gone.removed_by.decision if gone.removed_by else ""), hint="plan_codes")
    if quarter is not None and _code_in_a_version(plan, code):
        raise NotFoundError(tr("Заходу з кодом «{code}» у плані в редакції, чинній у {quarter}, немає: цей код "
                               "захід має в іншій редакції плану. Коди мають вигляд 1.2.8.", code=code,
                               quarter=quarter_label(quarter)), hint="plan_codes")
    raise NotFoundError(tr("Заходу з кодом «{code}» у плані немає. Коди мають вигляд 1.2.8.", code=code),
                        hint="plan_codes")


def _code_in_a_version(plan: Plan, code: str) -> bool:
    """Some version of the plan, the newest or one an amendment replaced, has a measure with ``code``."""
    if Measure.select().where((Measure.plan == plan) & (Measure.code == code) & Measure.removed_in.is_null()).exists():
        return True
    return any(m["code"] == code for amendment in versions.amendments(plan)
               for m in versions.version_measures(versions.version_before(amendment.id)))


# -- the write path ----------------------------------------------------------------------------

@dataclass
class SaveResult:
    change_set: str | None  # None when nothing changed
    changed_fields: list[str]
    measure_code: str = ""


def save_progress(measure: Measure | int, quarter: Quarter, changes: dict, *, author: str = "",
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
    measure = _measure(measure)
    remember_device()
    saves = Saves()
    result = None
    try:
        with write_transaction(Progress._meta.database):
            result = saves.save(measure, quarter, changes, author=author, origin=origin, now=now,
                                expected_version=expected_version, events=events)
            saves.flush()
    except CommitUnknown as lost:
        written_after_all(lost, result.change_set if result else None)
    return result


def written_after_all(lost: CommitUnknown, change_set: str | None) -> None:
    """A change set whose COMMIT's answer was lost with the server's connection, asked of the database again on a new
    connection: returns when it was written (the save is done, and undone like any other); raises a StorageError
    when it was not («не записано», as for any failed write), and ``lost`` («невідомо») when the database cannot be
    asked — a server still out of reach. «Невідомо» had been said each time, though the answer is one lookup away."""
    written = None
    if change_set is not None:
        try:
            with database_errors():
                written = History.select().where(History.change_set == change_set).exists()
        except TrackerError:
            pass
    if written:
        return
    if written is False:
        raise not_committed(lost.__cause__ or lost) from lost
    raise lost


def _refuse_removed(measure: Measure, quarter: Quarter) -> None:
    """A person's save into a quarter an amendment has taken the measure out of (a form opened before it): written, it
    stood on a measure out of the plan, shown nowhere for that quarter. A package's change made before the amendment
    reached its sender is kept in the history instead (tracker.exchange.merge)."""
    if measure.removed_in is not None and measure.removed_in <= quarter.index:
        raise ValidationError(tr(
            "Захід {code} виключено з плану з {quarter} ({decision}): за цей і наступні квартали записи в нього "
            "не вносяться. Зміни не записано — план змінено, поки їх вносили.", code=measure.code,
            quarter=Quarter.from_index(measure.removed_in).label,
            decision=measure.removed_by.decision if measure.removed_by_id else ""))


RecordKey = tuple[int, int, int]  # measure id, year, quarter


class Saves:
    """The write path: saves of records, each checked at once and written together at ``flush``.

    ``save`` checks a save against its record as it stands after the saves before it (in the database, or
    queued here) and refuses it (ValidationError, ConflictError, AccessDenied) with nothing queued; ``flush``
    writes what is queued, in order, a few statements for hundreds of saves. save_progress is one save and a
    flush; an exchange merge queues hundreds. The caller holds one write transaction from the first save to the
    flush, and reads nothing of the saved records in between (a second save of one record flushes first).
    """

    def __init__(self):
        self._records: dict[int, dict[tuple[int, int], object]] = {}  # loaded measures' records, as after the queue
        self._absences: dict[int, dict] = {}  # each plan's measures once out of it (versions.absences), read once
        self._dropped: list[str] = []  # events whose history rows make way for the ones queued
        self._made: list[dict] = []
        self._made_from: dict[RecordKey, int] = {}  # where each made record's own history rows start in the queue
        self._updated: list[list] = []
        self._history: list[dict | None] = []  # in order; None: a row queued, then made way
        self._places: dict[str, int] = {}  # where each event's row is in the queue
        self._queued: set[RecordKey] = set()
        self._queued_fields: dict[RecordKey, set[str]] = {}  # the fields of each record with history rows queued
        self._span: tuple[Quarter, Quarter] | None = None  # the quarters loaded
        self._locked: set[int] = set()  # measures whose lock the transaction holds

    def load(self, measure_ids, first: Quarter, last: Quarter) -> None:
        """Read at once every record of these measures from ``first`` to ``last`` and each one's latest before
        ``first``: their saves in those quarters then read nothing one by one."""
        ids = sorted(set(measure_ids) - set(self._records))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for measure_id in chunk:
                self._records[measure_id] = {}
            earlier = Progress.alias()
            latest = (earlier.select(earlier.id)
                      .where((earlier.measure == Progress.measure)
                             & ((earlier.year * 4 + earlier.quarter) < first.year * 4 + first.number))
                      .order_by(earlier.year.desc(), earlier.quarter.desc()).limit(1))
            inside = (Progress.year * 4 + Progress.quarter).between(first.year * 4 + first.number,
                                                                   last.year * 4 + last.number)
            for row in prepared.read(Progress, ("records of measures", len(chunk)),
                                     lambda: Progress.select().where(Progress.measure.in_(chunk)
                                                                     & (inside | (Progress.id == latest))), ()):
                self._records[row.measure_id][(row.year, row.quarter)] = row
        self._span = (first, last)

    def forget(self, measure_id: int) -> None:
        """The measure's records were written past this batch: read them from the database again."""
        self._records.pop(measure_id, None)

    def save(self, measure: Measure, quarter: Quarter, changes: dict, *, author: str = "", origin: str = "",
             now: _dt.datetime | None = None, expected_version: int | None = None,
             events: dict[str, EventStamp] | None = None, replacing: tuple[str, ...] = (),
             carry: bool = True, made_by: tuple[str, str, _dt.datetime] | None = None) -> SaveResult:
        """Check one save and queue its writes; see save_progress. ``replacing``: events of this record whose
        history rows (there now) make way for rows the save or the caller writes with the same events. ``carry``:
        a record it makes starts from what the latest one before it carries (False: empty, but its changes).
        ``made_by``: who made such a record, from where and when (author, origin, time), if not the save's own."""
        require_edit(measure)  # the server refuses it too; said here in the user's words, before anything is read
        check_in_plan(quarter, *plan_years(measure.plan_id))
        if events is None:
            _refuse_removed(measure, quarter)  # said before the wait for the lock when it was so already
        author, origin = clean_name(author), clean_name(origin)
        values = normalize_changes(changes)
        now = now or _dt.datetime.now().replace(microsecond=0)
        key = (measure.id, quarter.year, quarter.number)
        if key in self._queued:
            self.flush()
        if measure.id not in self._locked:
            lock_row(Measure, measure.id)  # a second saver waits here and then reads the first one's record
            self._locked.add(measure.id)
            if events is None:
                # and as it is now, under the lock: an amendment applied while this save waited for it had removed
                # the measure, and the save, checked on the measure read before the wait, wrote into it all the same
                # («записано», shown nowhere for that quarter)
                now_removed = prepared.run(Measure._meta.database, "measure removed_in", lambda: Measure.select(
                    Measure.removed_in).where(Measure.id == measure.id), [measure.id]).fetchone()
                if now_removed is None or now_removed[0] != measure.removed_in:
                    measure = measure_by_id(measure.id)  # gone: said so; amended: as it is now, said in its words
                    _refuse_removed(measure, quarter)
        record = self._record(measure.id, quarter)
        if expected_version is not None and expected_version != (record.version if record else 0):
            raise _conflict(measure, quarter, record, expected_version, values)
        created = record is None
        if created:
            previous = self._previous(measure, quarter) if carry else None
            record = _new_record(measure, quarter, previous)  # its version: at the flush
        old = record_values(record)
        new = dict(old, **values)
        for f in FIELDS:
            if f.required and new[f.name] is None:
                raise ValidationError(tr("Для заходу {code} за {quarter} ще не вказано «{field}». Вкажіть його.",
                                         code=measure.code, quarter=quarter_label(quarter), field=tr(f.label)),
                                      hint=f"field:{f.name}")
        check_rules(new["status"], new["percent"])
        changed = [f.name for f in FIELDS
                   if new[f.name] != old[f.name] or (created and not f.is_empty(new[f.name]))]
        self._make_way(replacing)
        if not changed and not created:
            return SaveResult(None, [], measure.code)
        change_set = new_uid()
        # the history rows of the save: «record» (when made) first, then the fields in order
        written = (["record"] if created else []) + changed
        if self._queued_fields.get(key, set()) & {name for name in written if name not in (events or {})}:
            self.flush()  # the events of those fields are read from the database below: the rows queued first
        stamps = event_stamps(measure.id, quarter, written, {k: v for k, v in (events or {}).items() if k in changed},
                              without=replacing)
        rows = []
        for name in written:
            f = fields.find(name)
            by, came, at = made_by if made_by is not None and f is None else (author, origin, now)
            rows.append({"measure": measure.id, "year": quarter.year, "quarter": quarter.number, "field": name,
                         "old_value": None if created or f is None else f.store(old[name]),
                         "new_value": "created" if f is None else f.store(new[name]), "changed_at": at,
                         "changed_by": by, "origin": came, "change_set": change_set, "applied": True,
                         **stamps[name]})
        self._queue(rows)
        for f in FIELDS:
            f.write(record, new[f.name])
        # who changed the record last, and when: a change merged from elsewhere keeps the time it was made, and one
        # made here since stays the last (the record said the laptop's older change was its newest)
        if events is None or created or record.updated_at is None or now >= record.updated_at:
            record.updated_at, record.updated_by = now, author
        if created:
            self._made_from[key] = len(self._history) - len(written)
            self._made.append({"measure": measure.id, "year": quarter.year, "quarter": quarter.number,
                               "version": 1, "updated_at": now, "updated_by": author,
                               **{f.name: getattr(record, f.name) for f in FIELDS}})
        else:
            record.version += 1
            self._updated.append([*(column.db_value(getattr(record, column.name)) for column in _RECORD_COLUMNS),
                                  record.id])
        if self._loaded(measure.id, quarter):
            self._records[measure.id][(quarter.year, quarter.number)] = record  # a later quarter made carries it
        self._queued.add(key)
        return SaveResult(change_set, changed, measure.code)

    def add_history(self, rows: list[dict], replacing: tuple[str, ...] = ()) -> None:
        """History rows to write after the ones queued so far (events filed as they are, e.g. already held);
        ``replacing``: events whose rows (there now) make way for them."""
        self._make_way(replacing)
        self._queue(rows)

    def _make_way(self, uids: tuple[str, ...]) -> None:
        """The rows of these events go: a row queued is taken out of the queue (its place kept, as if written
        and deleted again), one in the database is deleted at the flush."""
        for uid in uids:
            place = self._places.pop(uid, None)
            if place is None:
                self._dropped.append(uid)
            else:
                self._history[place] = None

    def _queue(self, rows: list[dict]) -> None:
        for row in rows:
            if row.get("event_uid"):
                self._places[row["event_uid"]] = len(self._history)
            self._history.append(row)
            self._queued_fields.setdefault((row["measure"], row["year"], row["quarter"]), set()).add(row["field"])

    def flush(self) -> None:
        """Write what is queued: the rows that make way, the records made and changed, the history in order."""
        db = Progress._meta.database
        for start in range(0, len(self._dropped), 500):
            uids = self._dropped[start:start + 500]
            prepared.run(db, ("events deleted", len(uids)), lambda: History.delete().where(History.event_uid.in_(uids)),
                         uids)
        prepared.insert_all(Progress, self._made)
        prepared.run_many(db, "record update", lambda values: Progress.update(dict(zip(_RECORD_COLUMNS, values[:-1])))
                          .where(Progress.id == values[-1]), self._updated)
        prepared.insert_all(History, [row for row in self._history if row is not None])
        # a record made is numbered above any version one undone before had (an editor still holding that must not
        # match): one more than the history rows it had when it was saved — all it has now, less those from its save on
        later = Counter()
        for place, row in enumerate(self._history):
            if row is not None:
                at = (row["measure"], row["year"], row["quarter"])
                later[at] += at in self._made_from and place >= self._made_from[at]
        prepared.run_many(db, "record made version", _version_of_made,
                          [[1 - later[at], *at, *at] for at in self._made_from])
        for row in self._made:  # their ids are the database's now: read again when saved again
            self.forget(row["measure"])
        self._dropped, self._made, self._updated, self._history, self._made_from, self._places = [], [], [], [], {}, {}
        self._queued.clear()
        self._queued_fields.clear()

    def _loaded(self, measure_id: int, quarter: Quarter) -> bool:
        return measure_id in self._records and self._span[0] <= quarter <= self._span[1]

    def _record(self, measure_id: int, quarter: Quarter):
        if self._loaded(measure_id, quarter):
            return self._records[measure_id].get((quarter.year, quarter.number))
        # a plain record (prepared.read), not a model: making the model was a tenth of a save's time
        found = prepared.read(Progress, "quarter record",
                              lambda: Progress.select().where((Progress.measure == measure_id)
                                                              & (Progress.year == quarter.year)
                                                              & (Progress.quarter == quarter.number)),
                              [measure_id, quarter.year, quarter.number])
        return found[0] if found else None

    def _previous(self, measure: Measure, quarter: Quarter):
        """The measure's latest record before ``quarter``, which a new one carries values from."""
        if measure.plan_id not in self._absences:  # once for the hundreds of records a merge makes
            self._absences[measure.plan_id] = versions.absences(measure.plan_id)
        if not self._loaded(measure.id, quarter) or self._absences[measure.plan_id].get(measure.id):
            return _previous_record(measure, quarter)  # (a measure once out of the plan: its quarters out passed over)
        earlier = [at for at in self._records[measure.id] if at < (quarter.year, quarter.number)]
        return self._records[measure.id][max(earlier)] if earlier else None


def _version_of_made(values: list) -> Query:
    """The update numbering a made record (measure id, year, quarter: ``values[1:4]`` and ``values[4:]``)."""
    one, measure_id, year, quarter = values[:4]
    rows = History.select(fn.COUNT(History.id)).where((History.measure == measure_id) & (History.year == year)
                                                      & (History.quarter == quarter))
    return Progress.update({Progress.version: Value(one) + rows}).where(
        (Progress.measure == values[4]) & (Progress.year == values[5]) & (Progress.quarter == values[6]))



def record_version(measure: Measure | int, quarter: Quarter) -> int:
    """The version of the measure's record for ``quarter``, 0 when it has none: save_progress's expected_version."""
    record = quarter_record(measure, quarter)
    return record.version if record is not None else 0


def _conflict(measure: Measure, quarter: Quarter, record: Progress | None, expected: int,
              wanted: dict) -> ConflictError:
    if record is None:
        what = tr("Захід {code} за {quarter}: запис, який ви редагували (версія {expected}), тим часом скасовано.",
                  code=measure.code, quarter=quarter_label(quarter), expected=expected)
    else:
        edited = tr("новий запис") if expected == 0 else tr("версію {expected}", expected=expected)
        what = tr("Захід {code} за {quarter} тим часом зберіг(-ла) {who} о {when}: зараз версія {version}, "
                  "а ви редагували {edited}.", code=measure.code, quarter=quarter_label(quarter),
                  who=record.updated_by or tr("інший користувач"), when=record.updated_at.strftime("%d.%m.%Y %H:%M"),
                  version=record.version, edited=edited)
    return ConflictError(
        what + " " + tr("Ваші зміни не збережено. Перегляньте обидві версії, виберіть або поєднайте значення "
                        "й збережіть ще раз."),
        expected_version=expected, wanted=wanted, current=None if record is None else _state(record, quarter))


def draft_values(measure: Measure | int, quarter: Quarter) -> tuple[dict, bool]:
    """The values a coordinator starts from for a quarter, and whether that quarter is reported.

    The quarter's own record if it has one; otherwise what a new record would carry forward.
    """
    measure = _measure(measure)
    record = quarter_record(measure, quarter)
    reported = record is not None
    if record is None:
        record = _new_record(measure, quarter, _previous_record(measure, quarter))
    return record_values(record), reported


def _new_record(measure: Measure, quarter: Quarter, previous) -> Progress:
    """A record not yet written for ``quarter``: empty, but what it carries from ``previous``, the measure's
    latest record before the quarter (None: it has none)."""
    record = Progress(measure=measure, year=quarter.year, quarter=quarter.number, version=1)
    for f in FIELDS:
        f.write(record, f.empty)
    record.percent = 0  # a new measure's work has not started
    if previous is not None:
        for f in FIELDS:
            if _carries(f, previous.year, quarter):
                setattr(record, f.name, getattr(previous, f.name))
    return record


def _carries(f, year: int, quarter: Quarter) -> bool:
    """A record made for ``quarter`` takes the field's value from the latest record before it, made in ``year``."""
    return f.carry is Carry.ALWAYS or (f.carry is Carry.WITHIN_YEAR and year == quarter.year)


def draft_of(state: ProgressState | None, quarter: Quarter) -> tuple[dict, bool]:
    """draft_values from a measure's state as of ``quarter`` (as the plan's tree holds it), read from nothing else:
    the quarter's own record's values, or what a new record would carry from the latest one before."""
    if state is not None and state.reported:
        return dict(state.values), True
    values = {f.name: f.empty for f in FIELDS}
    values["percent"] = 0  # a new measure's work has not started
    if state is not None:
        values.update({f.name: state.values[f.name] for f in FIELDS if _carries(f, state.quarter.year, quarter)})
    return values, False


def _previous_record(measure: Measure, quarter: Quarter) -> Progress | None:
    """The latest record before ``quarter`` a new one carries from — not one of a quarter the measure was out of the
    plan while in ``quarter`` it is in (states_as_of's rule: the form had filled in a laptop's 25 % of a quarter the
    measure was out, the tree beside it showing the 40 % of the quarter before, and Ctrl+S would have written 25 %)."""
    gaps = versions.absences(measure.plan_id).get(measure.id) or []
    return _latest_before(measure.id, quarter, [] if versions.absent_in(gaps, quarter.index) else gaps)


def _latest_before(measure_id: int, quarter: Quarter, gaps: list) -> Progress | None:
    """The measure's latest record before ``quarter`` of a quarter none of ``gaps`` (its absences) covers."""
    earlier = (Progress.select().where((Progress.measure == measure_id)
                                       & ((Progress.year * 4 + Progress.quarter) < quarter.year * 4 + quarter.number))
               .order_by(Progress.year.desc(), Progress.quarter.desc()))
    if not gaps:
        return earlier.first()
    return next((record for record in earlier
                 if not versions.absent_in(gaps, Quarter(record.year, record.quarter).index)), None)
