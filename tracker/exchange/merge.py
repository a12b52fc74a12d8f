"""Merging events from packages, per measure, quarter and field; and resolving the conflicts.

An incoming event is first only *recorded*: kept in history (applied=False) once every event it
replaced is known here, or held as pending until they arrive — so packages merge in any order.
Then each record touched is reconciled, field by field, from the tips (tracker.events):

* one value among the tips, the record's → nothing to do (also when both sides made the same change);
* one value, another one → the change was made on one side only: applied through save_progress;
  if the plan's rules refuse it with the record as it is here, it is listed with the reason and
  applied by itself later, once it fits;
* several values → both sides changed the field since their common base: one open conflict for
  the field, nothing overwritten. A resolution replaces all the tips, so it settles the conflict
  in every database it reaches.

The state of a field depends only on which events are known, never on the order they came in.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from dataclasses import field as _field

from peewee import fn

from ..errors import ValidationError
from ..i18n import N_, tr
from ..plan import versions
from ..progress import fields
from ..progress.events import EventStamp, parents_of, same, tips
from ..progress.records import Saves, quarter_record, save_progress
from ..quarters import Quarter
from ..storage import prepared
from ..storage.device import this_device
from ..storage.models import Conflict, History, Measure, PendingEvent, Plan, Progress, TrustedDevice, database
from ..uids import new_uid
from .package import Event, PackageError
from .provenance import keep_signatures, made_on_revoked, unproven

RESOLVE_ORIGIN = "розв'язання конфлікту"  # stored in the history as data, like every origin: not translated
# stored as a conflict's reason, translated where it is shown (tracker.exchange.sync.list_conflicts)
DELETED_ELSEWHERE = N_("На іншому пристрої запис за цей квартал вилучено (скасовано його перше збереження), "
                       "а тут він є. Залиште своє значення або вкажіть нове.")
WAITING_FOR_PARENT = N_("ще не надійшла зміна, яку ця замінює")
# a change for a measure the plan here does not have (a laptop amended its plan on its own): kept aside, not sent on,
# merged once the plan here has that measure — the sender's next packages no longer carry it (it is confirmed)
NOT_IN_PLAN = N_("заходу немає в плані цієї бази")
# one kept aside a person took off the list (entered by hand into the measure it belongs to, or not wanted): kept in
# the database, neither listed nor merged nor sent on
DISMISSED = N_("прибрано з переліку окремо збережених")
KEPT = (NOT_IN_PLAN, DISMISSED)
# at most this many kept aside at once: a whole plan reworded on a laptop (233 measures × 16 quarters × 8 fields) is
# 30,000; a trusted device's forged 80,000 a package, package after package, grew the office's file without end
MAX_KEPT_ASIDE = 100_000
_CHUNK = 500

Key = tuple[int, int, int, str]  # measure id, year, quarter, field


@dataclass
class MergeCounts:
    recorded: int = 0  # events new to this database, kept in its history
    applied: int = 0  # fields whose record took a value from elsewhere
    skipped: int = 0  # events this database already had
    pending: int = 0  # events held until the changes they replaced arrive
    set_aside: int = 0  # new events for measures the plan does not have: kept aside until it has them
    unknown_measures: set[str] = _field(default_factory=set)  # their codes
    taken_from_aside: int = 0  # events kept aside before whose measures the plan has now: merged
    out_of_plan: set[str] = _field(default_factory=set)  # codes of removed measures changed for quarters they are out
    conflicts: int = 0  # conflicts newly listed
    updated: int = 0  # listed conflicts with a newer value from elsewhere
    resolved: int = 0  # listed conflicts the package settled (resolved elsewhere, or the same value reached)
    restored: int = 0  # this database's own changes it had lost (put back from an older copy), brought back
    restored_measures: int = 0  # the measures they are of
    disowned: int = 0  # changes said to be made here that this database does not have: not taken
    unproven: int = 0  # changes said to be made on another known device, not signed by it: not taken
    revoked: int = 0  # changes made on a device no longer trusted here, relayed by another: not taken
    revoked_devices: set[str] = _field(default_factory=set)  # those devices' names


@dataclass
class FieldState:
    field: str
    tips: list[History]  # oldest first
    top: History | None  # the event the record's value comes from
    value: str | None  # the record's value
    replacing_top: list[History] = _field(default_factory=list)  # tips that replaced ``top`` (not itself one)

    @property
    def differing(self) -> list[History]:
        """Tips whose value the record does not hold, newest first."""
        return [t for t in reversed(self.tips) if not same(self.field, t.new_value, self.value)]

    @property
    def values(self) -> list[str | None]:
        found: list[str | None] = []
        for t in self.tips:
            if not any(same(self.field, t.new_value, v) for v in found):
                found.append(t.new_value)
        return found


def field_state(key: Key) -> FieldState:
    return record_states(key[0], key[1], key[2])[1][key]


def record_states(measure_id: int, year: int, quarter: int) -> tuple[Progress | None, dict[Key, FieldState]]:
    """The record, and the state of each of its fields, in two queries."""
    names = fields.names()
    events = prepared.read(History, "record events",
                           lambda: (History.select().where((History.measure == measure_id) & (History.year == year)
                                                           & (History.quarter == quarter)
                                                           & History.field.in_(names)).order_by(History.id)),
                           [measure_id, year, quarter, *names])
    return _states((measure_id, year, quarter), events, quarter_record(measure_id, Quarter(year, quarter)))


def records_states(records: set[tuple[int, int, int]], unwritten: list = ()) -> dict[tuple[int, int, int], tuple]:
    """record_states of many records (measure id, year, quarter), read together: two queries per few hundred
    measures instead of two per record — a package touches hundreds of records. ``unwritten``: history rows to be
    written after every row there is (prepared.as_read), taken as if they were."""
    names = fields.names()
    events: dict[tuple[int, int, int], list] = {record: [] for record in records}
    rows: dict[tuple[int, int, int], Progress] = {}
    years = sorted({year for _, year, _ in records})
    measure_ids = sorted({measure_id for measure_id, _, _ in records})
    for start in range(0, len(measure_ids), _CHUNK):
        chunk = measure_ids[start:start + _CHUNK]
        for row in prepared.read(History, ("records events", len(chunk), len(years)),
                                 lambda: (History.select().where(History.measure.in_(chunk) & History.year.in_(years)
                                                                 & History.field.in_(names)).order_by(History.id)),
                                 [*chunk, *years, *names]):
            found = events.get((row.measure_id, row.year, row.quarter))
            if found is not None:
                found.append(row)
        for record in prepared.read(Progress, ("records of years", len(chunk), len(years)),
                                    lambda: Progress.select().where(Progress.measure.in_(chunk)
                                                                    & Progress.year.in_(years)), [*chunk, *years]):
            key = (record.measure_id, record.year, record.quarter)
            if key in events:
                rows[key] = record
    for row in unwritten:
        found = events.get((row.measure_id, row.year, row.quarter))
        if found is not None and row.field in names:
            found.append(row)
    return {record: _states(record, events[record], rows.get(record)) for record in records}


def _states(at: tuple[int, int, int], events: list, record: Progress | None) -> tuple[Progress | None, dict]:
    """The record and its fields' states, from its events (oldest first) and its row."""
    rows = {name: [] for name in fields.names()}
    for row in events:
        rows[row.field].append(row)
    states = {}
    for name, events in rows.items():
        top = next((r for r in reversed(events) if r.applied), None)  # the event the record's value comes from
        value = top.new_value if top is not None else (
            None if record is None else fields.get(name).store(fields.get(name).read(record)))
        known = [r for r in events if r.event_uid]
        ends = tips(known)
        states[(*at, name)] = FieldState(name, ends, top, value, _replacing(top, known, ends))
    return record, states


def _replacing(top: History | None, known: list[History], ends: list[History]) -> list[History]:
    """The tips that replaced ``top`` — the record's value is then no side any more — directly or through others."""
    if top is None or not top.event_uid or any(end.event_uid == top.event_uid for end in ends):
        return []
    children: dict[str, list[str]] = {}
    for row in known:
        for parent in parents_of(row):
            children.setdefault(parent, []).append(row.event_uid)
    after, waiting = set(), [top.event_uid]
    while waiting:
        for child in children.get(waiting.pop(), ()):
            if child not in after:
                after.add(child)
                waiting.append(child)
    return [end for end in ends if end.event_uid in after]


def open_conflict(key: Key) -> Conflict | None:
    measure_id, year, quarter, field = key
    return (Conflict.select().where((Conflict.measure == measure_id) & (Conflict.year == year)
                                    & (Conflict.quarter == quarter) & (Conflict.field == field)
                                    & Conflict.resolved_at.is_null()).order_by(Conflict.id).first())


def open_conflict_keys() -> set[Key]:
    return {(c.measure_id, c.year, c.quarter, c.field) for c in Conflict.select().where(Conflict.resolved_at.is_null())}


def event_from_row(row: History, code: str, measure_uid: str | None = None) -> Event:
    return Event(row.event_uid, parents_of(row), row.device_uid, code, row.year, row.quarter, row.field,
                 row.old_value, row.new_value, row.changed_by or "", row.changed_at, row.change_set, measure_uid)


def _event_row(measure_id: int, event: Event, origin: str, applied: bool) -> dict:
    return dict(measure=measure_id, year=event.year, quarter=event.quarter, field=event.field, old_value=event.old,
                new_value=event.new, changed_at=event.at, changed_by=event.by, origin=origin,
                change_set=event.change_set, applied=applied, **EventStamp(event.uid, event.parents, event.device).columns())


class Merger:
    """Merges one package's events (and any held back before) into the bound database."""

    def __init__(self, plan: Plan, device_name: str, author: str, now: _dt.datetime | None = None, *,
                 unsigned: bool = False, restored_from: str | None = None, sender: str | None = None,
                 sender_key: str | None = None, vouched: bool = False, titles: dict[str, str] | None = None):
        self.plan = plan
        self.titles = titles or {}  # measure uid → title, from the amendments the package carries (for those kept aside)
        self.sender, self.sender_key = sender, sender_key  # who sent the package (its own changes its signature's)
        self.vouched = vouched  # the sender is the office this database is a copy of (tracker.exchange.provenance)
        self.unsigned = unsigned  # a package without a signature, taken by a person's leave (format 1, 0.2)
        self.restored_from = restored_from  # this database's identity before it was found put back from a copy
        # stored in the history as data, as RESOLVE_ORIGIN (no name: changes kept from packages before, merged now)
        self.origin = f"пакет «{device_name}»" if device_name else "пакет"
        self.device_name = device_name
        self.author = author
        self.now = now or _dt.datetime.now().replace(microsecond=0)
        self.by_uid = {uid: mid for mid, uid in prepared.run(  # every measure of the plan: raw rows, not peewee's
            database, "measure uids", lambda: Measure.select(Measure.id, Measure.uid).where(Measure.plan == plan.id),
            [plan.id])}
        self.absences = versions.absences(plan)  # measures out of the plan for some quarters, brought back or not
        self.codes_here = dict(Measure.select(Measure.id, Measure.code).where(Measure.id.in_(list(self.absences)))
                               .tuples()) if self.absences else {}
        self._by_first_code: dict[str, int] | None = None
        self.counts = MergeCounts()

    def measure_of(self, event: Event) -> int | None:
        """The measure an event is about: by its uid; from a format-1 package, by the code it had in the plan as
        first imported (the version every laptop on that format worked with: it could not receive amendments)."""
        if event.measure_uid is not None:
            return self.by_uid.get(event.measure_uid)
        if self._by_first_code is None:
            first = versions.first_version(self.plan)
            if first is not None:
                self._by_first_code = {m["code"]: m["id"] for m in versions.version_measures(first)}
            else:
                self._by_first_code = {code: mid for mid, code in Measure.select(Measure.id, Measure.code).where(
                    (Measure.plan == self.plan) & Measure.removed_in.is_null()).tuples()}
        return self._by_first_code.get(event.measure)

    def merge(self, events: list[Event]) -> MergeCounts:
        # kept from before: those waiting for a parent, and those kept aside whose measure the plan has now — not
        # every one kept aside (a trusted laptop's 80,000 for made-up measures were read and written anew with every
        # import, until one failed: «too many SQL variables»)
        held, aside, received, came_with = {}, set(), {}, {}
        ours = Measure.select(Measure.uid).where(Measure.plan == self.plan)
        for row in PendingEvent.select().where(
                (PendingEvent.plan_uid == self.plan.uid)
                & (PendingEvent.reason.not_in(KEPT)
                   | ((PendingEvent.reason == NOT_IN_PLAN) & PendingEvent.measure_uid.in_(ours)))).order_by(PendingEvent.id):
            held[row.event_uid] = Event.from_json(json.loads(row.payload))
            received[row.event_uid] = row.received_at
            came_with[row.event_uid] = row.origin or "пакет"  # kept before migration 0013: its package unknown
            if row.reason == NOT_IN_PLAN:
                aside.add(row.event_uid)
        # the sender's order: parents before children, so one pass usually records everything
        waiting = {e.uid: e for e in events}
        for uid, event in held.items():
            waiting.setdefault(uid, event)
        fresh = {e.uid for e in events}
        known = known_events(set(waiting))
        # a change said to be made here that this database does not have: a trusted device's key signed it under this
        # database's name (a conflict then showed it as this database's own side), it came from a copy of this file
        # that took no identity of its own, or this file was put back from an older copy of itself
        own = this_device().uid
        foreign = {uid for uid in fresh if uid not in known and waiting.get(uid) and waiting[uid].device == own}
        if self.restored_from:  # its changes from before, that the copy it was put back from had not
            back = [waiting[uid] for uid in fresh if uid not in known and waiting.get(uid)
                    and waiting[uid].device == self.restored_from]
            self.counts.restored = len(back)
            self.counts.restored_measures = len({self.measure_of(event) for event in back})
        if foreign:
            # not taken — taken, they stood here as this database's own — and not a reason to refuse the rest: a
            # trusted laptop's key that relayed such changes through the office cut this database off every office
            # package after, for good
            for uid in foreign:
                del waiting[uid]
            self.counts.disowned = len(foreign)
        if self.sender is not None:  # a revoked device's changes, relayed: not taken, as its own packages are not
            relayed = made_on_revoked([waiting[uid] for uid in fresh - known if uid in waiting], self.sender_key)
            for uid in relayed:
                del waiting[uid]
            self.counts.revoked = len(relayed)
            self.counts.revoked_devices = set(relayed.values())
        if self.unsigned:
            self._refuse_claimed_signers(fresh - known, waiting)
        elif self.sender is not None:  # another device's changes its maker did not sign: not taken, said
            unproven_uids = unproven([waiting[uid] for uid in fresh - known if uid in waiting], self.sender,
                                     self.sender_key, own, self.vouched)
            for uid in unproven_uids:
                del waiting[uid]
            self.counts.unproven = len(unproven_uids)
        for uid in known:
            del waiting[uid]
            self.counts.skipped += uid in fresh
        # the plan here has no such measure (a laptop amended its plan on its own): kept aside, not dropped — the
        # sender's next package no longer carries it, as this one is confirmed — and not sent on
        unplaced = [event for event in waiting.values() if self.measure_of(event) is None]
        for event in unplaced:
            del waiting[event.uid]
        touched: set[Key] = set()
        recorded: list[dict] = []  # the events' history rows, written with what the reconciliation writes
        taken: list[Event] = []
        while True:
            known |= known_events({p for e in waiting.values() for p in e.parents} - known)
            ready = [e for e in waiting.values() if all(p in known for p in e.parents)]
            if not ready:
                break
            for event in ready:
                measure_id = self.measure_of(event)
                # in the sender's order; one kept from before says the package it came with
                recorded.append(_event_row(measure_id, event, came_with.get(event.uid, self.origin), False))
                taken.append(event)
                gaps = self.absences.get(measure_id)
                if gaps and versions.absent_in(gaps, Quarter(event.year, event.quarter).index):
                    self.counts.out_of_plan.add(self.codes_here[measure_id])  # kept in its history; not shown then
                touched.add((measure_id, event.year, event.quarter, event.field))
                known.add(event.uid)
                del waiting[event.uid]
                self.counts.recorded += 1
        # rows kept from before stay as they are while they still wait; those taken or gone are deleted
        done = [uid for uid in held if uid not in waiting or uid in aside]
        for start in range(0, len(done), _CHUNK):
            PendingEvent.delete().where(PendingEvent.event_uid.in_(done[start:start + _CHUNK])).execute()
        _insert_pending([_pending_row(self.plan.uid, event, WAITING_FOR_PARENT, received.get(uid, self.now),
                                      came_with.get(uid, self.origin))
                         for uid, event in waiting.items() if uid not in held or uid in aside])
        already = kept_aside({e.uid for e in unplaced})
        self.counts.skipped += sum(e.uid in already and e.uid in fresh for e in unplaced)  # here already: kept aside
        self._set_aside([e for e in unplaced if e.uid not in already], received, came_with)
        self.counts.pending = sum(uid not in held for uid in waiting)  # those still waiting from before: not news
        self.counts.taken_from_aside = sum(event.uid in aside for event in taken)
        keep_signatures(taken)  # sent on with them
        reconcile(touched | open_conflict_keys(), self.author, self.now, self.counts, recorded)
        return self.counts

    def _set_aside(self, events: list[Event], received: dict, came_with: dict) -> None:
        """Keep aside changes for measures the plan here lacks (new ones: not kept aside before); one held before
        keeps when and with which package it came."""
        if events:
            kept = PendingEvent.select().where(PendingEvent.reason == NOT_IN_PLAN).count()
            if kept + len(events) > MAX_KEPT_ASIDE:
                raise PackageError(tr(
                    "Пакет від «{device}» має змін для заходів, яких у плані тут немає: {count}, а окремо збережено "
                    "таких уже {kept} — разом більше {limit}, ніж дала б будь-яка зміна до плану. Пакет не прийнято, "
                    "нічого не змінено. Перевірте той пристрій і приберіть непотрібні з переліку окремо збережених "
                    "змін.", device=self.device_name or "?", count=len(events), kept=kept, limit=MAX_KEPT_ASIDE))
        rows = []
        for event in events:
            row = _pending_row(self.plan.uid, event, NOT_IN_PLAN, received.get(event.uid, self.now),
                               came_with.get(event.uid, self.origin))
            row.update(measure_uid=event.measure_uid or "", measure_code=event.measure,
                       measure_title=self.titles.get(event.measure_uid or "", ""), device_uid=event.device)
            rows.append(row)
            self.counts.unknown_measures.add(event.measure)
        _insert_pending(rows)
        self.counts.set_aside += len(rows)

    @staticmethod
    def _refuse_claimed_signers(new: set[str], waiting: dict[str, Event]) -> None:
        """An unsigned package brings no change said to be made on a device whose key this database trusts: that
        device signs what it sends, so its changes come signed or not at all. Taken, they stood in the history
        under its name, and its own database then refused every package carrying them as forged, for good."""
        signing = dict(TrustedDevice.select(TrustedDevice.device_uid, TrustedDevice.name).tuples())
        claimed = [waiting[uid] for uid in new if uid in waiting and waiting[uid].device in signing]
        if claimed:
            names = sorted({signing[e.device] or e.device[:8] for e in claimed})
            raise PackageError(tr(
                "Пакет без підпису містить змін, нібито зроблених на пристроях, що підписують свої пакети ({devices}), "
                "яких у цій базі немає: {count}. Зміни цих пристроїв приходять лише в підписаних пакетах; цей пакет "
                "підроблено. Нічого не змінено.", devices=", ".join(f"«{n}»" for n in names), count=len(claimed)))


def _pending_row(plan_uid: str, event: Event, reason: str, now: _dt.datetime, origin: str) -> dict:
    return dict(event_uid=event.uid, plan_uid=plan_uid, reason=reason, received_at=now, origin=origin,
                payload=json.dumps(event.to_json(), ensure_ascii=False))


def _insert_pending(rows: list[dict]) -> None:
    for start in range(0, len(rows), _CHUNK // 10):  # up to 10 columns a row: within SQLite's 999 variables
        PendingEvent.insert_many(rows[start:start + _CHUNK // 10]).on_conflict_ignore().execute()


def kept_aside(uids: set[str]) -> set[str]:
    """Which of these changes are kept aside already (for measures the plan does not have; taken off the list too)."""
    found, pool = set(), list(uids)
    for start in range(0, len(pool), _CHUNK):
        found.update(uid for (uid,) in PendingEvent.select(PendingEvent.event_uid).where(
            PendingEvent.event_uid.in_(pool[start:start + _CHUNK]) & PendingEvent.reason.in_(KEPT)).tuples())
    return found


def known_events(uids: set[str]) -> set[str]:
    """Which of these events this database has in its history."""
    found, pool = set(), list(uids)
    for start in range(0, len(pool), _CHUNK):
        chunk = pool[start:start + _CHUNK]
        found.update(u for (u,) in prepared.run(History._meta.database, ("events known", len(chunk)),
                                                lambda: History.select(History.event_uid)
                                                .where(History.event_uid.in_(chunk)), chunk))
    return found


def reconcile(keys: set[Key], author: str, now: _dt.datetime, counts: MergeCounts | None = None,
              recorded: list[dict] = ()) -> MergeCounts:
    """Bring the records of ``keys`` in line with their fields' tips (see the module docstring).

    A record is looked at whole: applying one field may create it, and a new record carries
    values from the quarter before into its other fields. The records whose changes the rules take
    together are saved in one batch; a record they refuse is settled by itself, field by field.

    ``recorded``: history rows of events just recorded (not applied), not yet written: they come before every row
    written here, and one an applied row of the same event makes way for is never written — written, deleted and
    written again, the events' rows were a third of a merge's writing.
    """
    counts = counts if counts is not None else MergeCounts()
    refused: set[Key] = set()
    listed = open_conflict_keys()
    recorded = list(recorded)
    saves = Saves()
    saves.add_history(recorded)
    unwritten = prepared.as_read(History, recorded, _next_history_id()) if recorded else []
    first_look = records_states({key[:3] for key in keys}, unwritten)
    measures = _measures({at[0] for at in first_look})
    if first_look:
        quarters = {at[1:] for at in first_look}
        saves.load(measures, Quarter(*min(quarters)), Quarter(*max(quarters)))
    made: list[tuple[int, int, int]] = []
    # earlier quarters first: a new quarter's record starts from the one before
    for at in sorted(first_look):
        # each record's first look was read with the others': what is written for one record changes no other's
        record, states = first_look[at]
        to_apply = _decided(record, states, refused, listed, author, now, counts, saves)
        if not to_apply:
            continue
        if _queued(saves, measures[at[0]], at, to_apply, author, now, counts, listed):
            if any(len(state.values) > 1 for state in states.values()):  # its conflicts with what it now holds
                made.append(at)
            continue
        saves.flush()  # what is queued comes first, as it would have one record at a time
        _settle(measures, at, record, states, refused, listed, author, now, counts, to_apply)
        saves.forget(at[0])
    saves.flush()
    # a made record took one side of each field in conflict: a second look lists the conflict, that side the local
    # one. Nothing else can come of it: every field with one value took it, with its own event, and a field without
    # events has nothing to merge
    later = records_states(set(made)) if made else {}
    for at in made:
        record, states = later[at]
        _settle(measures, at, record, states, refused, listed, author, now, counts)
    return counts


def _next_history_id() -> int:
    return (History.select(fn.MAX(History.id)).scalar() or 0) + 1


def _measures(ids: set[int]) -> dict[int, Measure]:
    found = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        found.update((m.id, m) for m in Measure.select().where(Measure.id.in_(ordered[start:start + _CHUNK])))
    return found


def _decided(record: Progress | None, states: dict[Key, FieldState], refused: set[Key], listed: set[Key],
             author: str, now: _dt.datetime, counts: MergeCounts, saves: Saves) -> list[tuple[Key, History]]:
    """One look at a record's fields: conflicts listed, values agreed on adopted (queued in ``saves``); the
    one-sided changes to apply."""
    to_apply = []
    sides = []
    for key, state in states.items():
        if not state.tips or key in refused:
            continue
        if len(state.values) > 1:
            if record is None:  # made here: it takes one of the sides first, and the next look lists the conflict
                sides.append((key, max(state.tips, key=lambda tip: (tip.changed_at, tip.event_uid))))
                continue
            replacing = state.replacing_top
            if replacing and len({tip.new_value for tip in replacing}) == 1:
                # the record's own value was replaced since by a change made over it (a laptop's edit of the office's
                # note), which came after another side: that change is this side now, and the next look lists the
                # conflict with it — listed first, the replaced value stood as «тут», and «keep it» undid the edit
                to_apply.append((key, replacing[-1]))
                continue
            _list(key, state, "", now, counts)
            listed.add(key)
        elif state.differing:
            to_apply.append((key, state.differing[0]))
        else:
            _adopt(state, saves)
            if key in listed:
                _close(key, "elsewhere", None, author, now, counts)
                listed.discard(key)
    if (to_apply or sides) and record is None:
        # made here from others' changes, the record takes every value they agree on, not what this database
        # would carry over from its own quarter before — and of a field in conflict the newest side, with its own
        # event: the value carried over had been written as a change of this database's, in the name of the newest
        # change's author, and went on to others as a third side nobody had typed
        chosen = {key for key, _ in to_apply}
        to_apply += sides + [(key, state.tips[-1]) for key, state in states.items()
                             if key not in chosen and key not in refused and len(state.values) == 1]
    return to_apply


def _settle(measures: dict[int, Measure], at: tuple[int, int, int], record: Progress | None, states: dict,
            refused: set[Key], listed: set[Key], author: str, now: _dt.datetime, counts: MergeCounts,
            to_apply: list | None = None) -> None:
    """The record brought in line one save at a time, looking again after each (``to_apply``: the first look's)."""
    measure_id, year, quarter = at
    for _ in range(len(fields.FIELDS)):  # again after a save, for what it carried over
        if to_apply is None:
            adopted = Saves()
            to_apply = _decided(record, states, refused, listed, author, now, counts, adopted)
            adopted.flush()
        if not to_apply:
            break
        made = record is None or any(len(state.values) > 1 for state in states.values())
        newly = _apply(measures, measure_id, year, quarter, to_apply, author, now, counts, listed)
        refused |= newly
        if not made and not newly:
            # a record that was there took every change: it now holds each field's one tip, and that tip is
            # the event its value comes from — a second look would find nothing (a made record carried
            # values over from the quarter before, and a refusal leaves fields for another try: they look again)
            break
        record, states = record_states(measure_id, year, quarter)
        to_apply = None


def _queued(saves: Saves, measure: Measure, at: tuple[int, int, int], items: list, author: str, now: _dt.datetime,
            counts: MergeCounts, listed: set[Key]) -> bool:
    """The record's one-sided changes queued as one save, as _apply's first try makes it; False, with nothing
    queued, when the rules refuse them together."""
    try:
        _queue_events(saves, measure, Quarter(at[1], at[2]), [tip for _, tip in items])
    except ValidationError:
        return False
    _applied(items, author, now, counts, listed)
    return True


def _applied(items: list, author: str, now: _dt.datetime, counts: MergeCounts, listed: set[Key]) -> None:
    """Counted as applied; a listed conflict of a field applied is closed by it."""
    for key, tip in items:
        counts.applied += 1
        if key in listed:
            _close(key, "applied", tip.event_uid, author, now, counts)
            listed.discard(key)


def _apply(measures: dict[int, Measure], measure_id: int, year: int, quarter: int, items: list, author: str,
           now: _dt.datetime, counts: MergeCounts, listed: set[Key]) -> set[Key]:
    """Apply one-sided changes of a record together (the rules span fields); returns what the rules refused.
    ``measures``: the reconciliation's measures, by id, read together at its start."""
    measure = measures[measure_id]
    where = Quarter(year, quarter)
    batches = [items] + ([[item] for item in items] if len(items) > 1 else [])
    done: set[Key] = set()
    refused: set[Key] = set()
    for batch in batches:
        batch = [(key, tip) for key, tip in batch if key not in done]
        if not batch:
            continue
        try:
            with database.atomic():
                _save(measure, where, [tip for _, tip in batch])
        except ValidationError as exc:
            if len(batch) == 1:
                key, tip = batch[0]
                refused.add(key)
                state = field_state(key)
                if state.differing:  # else it only came along to make a new record whole
                    _list(key, state, _refusal(key[3], tip, exc), now, counts)
                    listed.add(key)
            continue
        done.update(key for key, _ in batch)
        _applied(batch, author, now, counts, listed)
    return refused


def _refusal(field: str, tip: History, exc: ValidationError) -> str:
    """Why a one-sided change could not be applied here, as the person resolving it reads it."""
    if tip.new_value is None and fields.get(field).required:
        return DELETED_ELSEWHERE
    return str(exc)


def _adopt(state: FieldState, saves: Saves) -> None:
    """The record holds the tips' one value: the newest tip becomes the event it comes from.

    So a change made here next replaces that tip (and every tip with that value), not only the
    older event the value was first written with.
    """
    if not state.tips or (state.top is not None and any(t.event_uid == state.top.event_uid for t in state.tips)):
        return
    newest = state.tips[-1]
    saves.add_history([_event_row(newest.measure_id, event_from_row(newest, ""), newest.origin, True)],
                      replacing=(newest.event_uid,))


def _save(measure: Measure, quarter: Quarter, rows: list[History]) -> None:
    """save_progress with the events' own identity; each history row keeps its author and time."""
    saves = Saves()
    _queue_events(saves, measure, quarter, rows)
    saves.flush()


def _queue_events(saves: Saves, measure: Measure, quarter: Quarter, rows: list[History]) -> None:
    """A save of the events' values queued, as made by the newest of them; their recorded copies make way for the
    applied rows, the save's own, or filed as they are when the record held the value already. ValidationError when
    the rules refuse them, nothing queued."""
    newest = max(rows, key=lambda r: (r.changed_at, r.id))
    # each event filed anew as applied keeps its own author, time and origin: the history is append-only
    stamps = {r.field: EventStamp(r.event_uid, parents_of(r), r.device_uid, r.changed_by, r.changed_at, r.origin)
              for r in rows}
    # a record made here holds the events' values and nothing carried from this database's quarter before: where it
    # was made, each value it held came as a change of its own (carried ones too), and the changes not here yet come
    # later. Carried here, a laptop's new quarter took the office's sum of the quarter before in its author's name —
    # a sum she never saw, sent back to her as hers — and only when that quarter's package had come first.
    # Its «record made» row names the person whose change made it there first, not the newest one's (a laptop that
    # had taken another's record and added a remark was said to have made it)
    first = min(rows, key=lambda r: (r.changed_at, r.id))
    result = saves.save(measure, quarter, {r.field: r.new_value for r in rows}, author=newest.changed_by,
                        origin=newest.origin, now=newest.changed_at, events=stamps,
                        replacing=tuple(r.event_uid for r in rows), carry=False,
                        made_by=(first.changed_by, first.origin, first.changed_at))
    saves.add_history(_held_rows(measure, rows, result.changed_fields))


def _held_rows(measure: Measure, rows: list[History], written: list[str]) -> list[dict]:
    """History rows, applied, of the events the save did not write: the record held their value already (the
    recorded copies made way for these)."""
    return [_event_row(measure.id, event_from_row(row, measure.code, measure.uid), row.origin, True)
            for row in rows if row.field not in written]


def _list(key: Key, state: FieldState, reason: str, now: _dt.datetime, counts: MergeCounts) -> None:
    newest = state.differing[0]
    local_uid = state.top.event_uid if state.top is not None else None
    conflict = open_conflict(key)
    if conflict is None:
        Conflict.create(measure=key[0], year=key[1], quarter=key[2], field=key[3], local_uid=local_uid,
                        incoming_uid=newest.event_uid, reason=reason, detected_at=now)
        counts.conflicts += 1
    elif (conflict.incoming_uid, conflict.local_uid, conflict.reason) != (newest.event_uid, local_uid, reason):
        counts.updated += conflict.incoming_uid != newest.event_uid
        conflict.incoming_uid, conflict.local_uid, conflict.reason = newest.event_uid, local_uid, reason
        conflict.save()


def _close(key: Key, resolution: str, event_uid: str | None, author: str, now: _dt.datetime,
           counts: MergeCounts | None = None) -> None:
    conflict = open_conflict(key)
    if conflict is None:
        return
    conflict.resolved_at, conflict.resolved_by = now, author
    conflict.resolution, conflict.resolution_uid = resolution, event_uid
    conflict.save()
    if counts is not None:
        counts.resolved += 1


def resolve(conflict: Conflict, value: str | None, choice: str, author: str, now: _dt.datetime) -> str:
    """Write the chosen value as a new event replacing every tip; returns its uid."""
    key = (conflict.measure_id, conflict.year, conflict.quarter, conflict.field)
    state = field_state(key)
    local = state.top.event_uid if state.top is not None else None
    ordered = sorted(state.tips, key=lambda t: t.event_uid != local)  # the record's own first, if a tip
    stamp = EventStamp(new_uid(), tuple(t.event_uid for t in ordered), this_device().uid)
    if same(conflict.field, value, state.value):
        History.create(measure=key[0], year=key[1], quarter=key[2], field=key[3], old_value=state.value,
                       new_value=value, changed_at=now, changed_by=author, origin=RESOLVE_ORIGIN,
                       change_set=new_uid(), **stamp.columns())
    else:
        save_progress(conflict.measure, Quarter(key[1], key[2]), {key[3]: value}, author=author,
                      origin=RESOLVE_ORIGIN, now=now, events={key[3]: stamp})
    _close(key, choice, stamp.event_uid, author, now)
    reconcile(open_conflict_keys(), author, now)  # e.g. a status «done» that waited for this 100 %
    return stamp.event_uid


def chosen_value(conflict: Conflict, choice: str) -> str | None:
    """The value ``local`` keeps or ``incoming`` takes (the newest other value)."""
    state = field_state((conflict.measure_id, conflict.year, conflict.quarter, conflict.field))
    if choice == "incoming" and state.differing:
        return state.differing[0].new_value
    return state.value
