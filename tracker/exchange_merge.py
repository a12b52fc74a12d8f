"""Merging events from packages per measure, quarter and field: take, skip, hold, or list a conflict.

Each field of each measure's quarter has its own chain of events (tracker.events). An incoming
event is decided against the local *head* — the event whose value the record holds:

* already known → skipped;
* its parent (one of its parents) is the head, or neither side has any → applied through
  save_progress (fast-forward);
* its parent is the other side of an open conflict → it becomes that side (newer work there);
* otherwise both sides changed the field since their common base → a conflict for a person,
  nothing overwritten; unless both arrived at the same value, which merges on its own;
* its parent is not known here yet → held as pending until it arrives (any order of packages).

The incoming event is kept in history either way (applied=False when it is not the value).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from itertools import groupby

from .errors import ValidationError
from .events import EventStamp, head, this_site
from .exchange_package import Event
from .models import Conflict, History, Measure, PendingEvent, Plan, Progress, database
from .progress import _field, _serialize, save_progress
from .quarters import Quarter

MERGE_ORIGIN = "злиття однакових значень"
RESOLVE_ORIGIN = "розв'язання конфлікту"
_CHUNK = 500


@dataclass
class MergeCounts:
    applied: int = 0  # events that became the record's value
    skipped: int = 0  # events this database already had
    pending: int = 0  # events held until the change they replaced arrives
    conflicts: int = 0  # new conflicts listed for a person
    merged: int = 0  # both sides made the same change: merged without asking
    superseded: int = 0  # later changes to the other side of a conflict already listed
    resolved_elsewhere: int = 0  # conflicts another database resolved


def merge_uid(first: str | None, second: str) -> str:
    """The same two events merge into the same event in every database that merges them."""
    pair = sorted(p for p in (first, second) if p)
    return hashlib.sha256(("merge|" + "|".join(pair)).encode()).hexdigest()[:32]


def same(field: str, a: str | None, b: str | None) -> bool:
    if field in ("note", "remarks"):
        return (a or "") == (b or "")
    return a == b


def current_value(measure_id: int, year: int, quarter: int, field: str, top: History | None) -> str | None:
    if top is not None:
        return top.new_value
    record = Progress.get_or_none((Progress.measure == measure_id) & (Progress.year == year)
                                  & (Progress.quarter == quarter))
    return None if record is None else _serialize(_field(record, field))


def open_conflicts(measure_id: int, year: int, quarter: int, field: str) -> list[Conflict]:
    return list(Conflict.select().where((Conflict.measure == measure_id) & (Conflict.year == year)
                                        & (Conflict.quarter == quarter) & (Conflict.field == field)
                                        & Conflict.resolved_at.is_null()).order_by(Conflict.id))


def settle(measure_id: int, year: int, quarter: int, field: str, author: str, now: _dt.datetime) -> int:
    """After the head moved: conflicts point at it, and those whose sides now agree merge. Returns merges."""
    merges = 0
    for conflict in open_conflicts(measure_id, year, quarter, field):
        top = head(measure_id, year, quarter, field)
        incoming = History.get(History.event_uid == conflict.incoming_uid)
        local_uid = top.event_uid if top is not None else None
        if same(field, incoming.new_value, current_value(measure_id, year, quarter, field, top)):
            merged = _insert_merge(measure_id, year, quarter, field, top, incoming, author, now)
            _close(conflict, "equal", merged, author, now)
            merges += 1
        elif conflict.local_uid != local_uid:
            conflict.local_uid = local_uid
            conflict.reason = ""  # changed here since: now simply both sides changed it
            conflict.save()
    return merges


def _insert_merge(measure_id, year, quarter, field, top: History | None, incoming: History,
                  author: str, now: _dt.datetime) -> str:
    uid = merge_uid(top.event_uid if top is not None else None, incoming.event_uid)
    PendingEvent.delete().where(PendingEvent.event_uid == uid).execute()  # another database's copy of it
    parent, second = (top.event_uid, incoming.event_uid) if top is not None else (incoming.event_uid, None)
    value = incoming.new_value if top is None else top.new_value
    History.create(measure=measure_id, year=year, quarter=quarter, field=field, old_value=value, new_value=value,
                   changed_at=now, changed_by=author, origin=MERGE_ORIGIN, change_set=uid,
                   **EventStamp(uid, parent, second, this_site().uid).columns())
    return uid


def _close(conflict: Conflict, resolution: str, event_uid: str | None, author: str, now: _dt.datetime) -> None:
    conflict.resolved_at, conflict.resolved_by = now, author
    conflict.resolution, conflict.resolution_uid = resolution, event_uid
    conflict.save()


class Merger:
    """Merges one package's events (and any held back before) into the bound database."""

    def __init__(self, plan: Plan, device_name: str, author: str, now: _dt.datetime | None = None):
        self.plan = plan
        self.origin = f"пакет «{device_name}»"
        self.author = author
        self.now = now or _dt.datetime.now().replace(microsecond=0)
        self.measures = {code: mid for mid, code in
                         Measure.select(Measure.id, Measure.code).where(Measure.plan == plan).tuples()}
        self.counts = MergeCounts()
        self.created: set[int] = set()  # conflicts this merge listed

    def merge(self, events: list[Event]) -> MergeCounts:
        held = {}
        for row in PendingEvent.select().where(PendingEvent.plan_uid == self.plan.uid):
            held[row.event_uid] = Event.from_json(json.loads(row.payload))
        waiting = dict(held)
        waiting.update((e.uid, e) for e in events)
        # the sender's order: a record's first save before later ones, a change set in one run
        position = {e.uid: i for i, e in enumerate(list(events) + list(held.values()))}
        fresh = {e.uid for e in events}
        known = self._known(set(waiting))
        for uid in known:
            del waiting[uid]
            self.counts.skipped += uid in fresh
        PendingEvent.delete().where(PendingEvent.event_uid.in_(list(held))).execute()
        known = set()
        while True:
            # parents may be in the history already, or made by a merge a moment ago
            known |= self._known({p for e in waiting.values() for p in e.parents} - known)
            ready = [e for e in waiting.values()
                     if e.measure in self.measures and all(p in known for p in e.parents)]
            if not ready:
                break
            ready.sort(key=lambda e: position[e.uid])
            for _, group in groupby(ready, key=lambda e: (e.measure, e.year, e.quarter, e.change_set)):
                self._group(_one_per_field(list(group)))
            for event in ready:
                del waiting[event.uid]
                known.add(event.uid)
        for event in waiting.values():
            reason = ("заходу з таким кодом немає в плані" if event.measure not in self.measures
                      else "ще не надійшла зміна, яку ця замінює")
            PendingEvent.create(event_uid=event.uid, plan_uid=self.plan.uid, reason=reason,
                                payload=json.dumps(event.to_json(), ensure_ascii=False), received_at=self.now)
            self.counts.pending += 1
        self.counts.applied += retry_refused(self.author, self.now)
        # a conflict that a later event of the same package resolved was never anybody's concern
        transient = Conflict.delete().where(Conflict.id.in_(list(self.created)) & Conflict.resolved_at.is_null(False))
        self.counts.conflicts = len(self.created) - transient.execute()
        return self.counts

    def _known(self, uids: set[str]) -> set[str]:
        found, pool = set(), list(uids)
        for start in range(0, len(pool), _CHUNK):
            chunk = pool[start:start + _CHUNK]
            found.update(u for (u,) in History.select(History.event_uid)
                         .where(History.event_uid.in_(chunk)).tuples())
        return found

    # -- one origin change set of one measure's quarter ----------------------------------------

    def _group(self, events: list[Event]) -> None:
        forward = []
        for event in events:
            if History.select().where(History.event_uid == event.uid).exists():
                continue  # a merge this database has just made itself, identical by construction
            kind = self._kind(event)
            if kind == "forward":
                forward.append(event)
            elif kind == "supersede":
                self._supersede(event)
            else:
                self._concurrent(event)
        if forward:
            self._forward(forward)

    def _where(self, event: Event) -> tuple[int, int, int, str]:
        return self.measures[event.measure], event.year, event.quarter, event.field

    def _kind(self, event: Event) -> str:
        top = head(*self._where(event))
        if top is None and event.parent is None:
            return "forward"
        if top is not None and top.event_uid in event.parents:
            return "forward"
        tips = {c.incoming_uid for c in open_conflicts(*self._where(event))}
        if tips & set(event.parents):
            return "supersede"
        return "concurrent"

    def _forward(self, events: list[Event]) -> None:
        """Apply through save_progress, all of one change set together (rules span fields)."""
        measure = Measure.get_by_id(self.measures[events[0].measure])
        quarter = Quarter(events[0].year, events[0].quarter)
        changing, unchanged = [], []
        for event in events:
            where = self._where(event)
            (unchanged if same(event.field, event.new, current_value(*where, head(*where))) else changing).append(event)
        for event in unchanged:  # the record already holds this value: history records the event
            self._insert(event, applied=True)
        if changing:
            try:
                with database.atomic():
                    self._save(measure, quarter, changing)
            except ValidationError:
                for event in changing:  # apply what fits the rules on its own; the rest is for a person
                    try:
                        with database.atomic():
                            self._save(measure, quarter, [event])
                    except ValidationError as exc:
                        self._concurrent(event, reason=str(exc))
                        continue
        for event in events:
            self._after_forward(event)

    def _save(self, measure: Measure, quarter: Quarter, events: list[Event]) -> None:
        apply_events(measure, quarter, events, self.origin)
        self.counts.applied += len(events)

    def _after_forward(self, event: Event) -> None:
        where = self._where(event)
        top = head(*where)
        if top is None or top.event_uid != event.uid:
            return  # refused by the rules: listed as a conflict instead
        for conflict in open_conflicts(*where):
            if conflict.incoming_uid in event.parents:  # resolved in the database the event came from
                _close(conflict, "elsewhere", event.uid, self.author, self.now)
                self.counts.resolved_elsewhere += conflict.id not in self.created
        self.counts.merged += settle(*where, self.author, self.now)

    def _supersede(self, event: Event) -> None:
        self._insert(event, applied=False)
        where = self._where(event)
        replaced = [c for c in open_conflicts(*where) if c.incoming_uid in event.parents]
        replaced[0].incoming_uid = event.uid
        replaced[0].save()
        for conflict in replaced[1:]:  # both other sides were merged there: one conflict remains
            _close(conflict, "elsewhere", event.uid, self.author, self.now)
            self.counts.resolved_elsewhere += conflict.id not in self.created
        self.counts.superseded += 1
        self.counts.merged += settle(*where, self.author, self.now)

    def _concurrent(self, event: Event, reason: str = "") -> None:
        where = self._where(event)
        if not History.select().where(History.event_uid == event.uid).exists():
            self._insert(event, applied=False)
        top = head(*where)
        if not reason and same(event.field, event.new, current_value(*where, top)):
            incoming = History.get(History.event_uid == event.uid)
            if top is None:  # nothing here yet: this event is the value
                incoming.applied = True
                incoming.save()
            else:
                _insert_merge(*where, top, incoming, self.author, self.now)
            self.counts.merged += 1
            return
        conflict = Conflict.create(measure=where[0], year=event.year, quarter=event.quarter, field=event.field,
                                   local_uid=top.event_uid if top is not None else None, incoming_uid=event.uid,
                                   reason=reason, detected_at=self.now)
        self.created.add(conflict.id)

    def _insert(self, event: Event, applied: bool) -> None:
        insert_event(self.measures[event.measure], event, self.origin, applied)


def insert_event(measure_id: int, event: Event, origin: str, applied: bool) -> None:
    """Record a known event in history without touching the record (its value is there, or is not to be)."""
    History.create(measure=measure_id, year=event.year, quarter=event.quarter, field=event.field,
                   old_value=event.old, new_value=event.new, changed_at=event.at, changed_by=event.by,
                   origin=origin, change_set=event.change_set, applied=applied,
                   **EventStamp(event.uid, event.parent, event.merge_parent, event.site).columns())


def apply_events(measure: Measure, quarter: Quarter, events: list[Event], origin: str) -> None:
    """Make the events the record's values through save_progress, keeping their identity."""
    first = events[0]
    stamps = {e.field: EventStamp(e.uid, e.parent, e.merge_parent, e.site) for e in events}
    save_progress(measure, quarter, {e.field: e.new for e in events}, author=first.by, origin=origin,
                  now=first.at, events=stamps)
    for event in events:  # save_progress writes only fields whose value changed
        if not History.select().where(History.event_uid == event.uid).exists():
            insert_event(measure.id, event, origin, applied=True)


def retry_refused(author: str, now: _dt.datetime) -> int:
    """Apply changes once refused by the plan's rules, if nothing changed here since and they now fit.

    Such a change followed ours (no conflict of content): it waited only for the rest of the
    record, e.g. a status «done» for the percent 100 that arrives with another package.
    """
    refused = list(Conflict.select().where(Conflict.resolved_at.is_null() & (Conflict.reason != ""))
                   .order_by(Conflict.measure, Conflict.year, Conflict.quarter, Conflict.id))
    applied = 0
    for _, group in groupby(refused, key=lambda c: (c.measure_id, c.year, c.quarter)):
        ready = []
        for conflict in group:
            where = (conflict.measure_id, conflict.year, conflict.quarter, conflict.field)
            top, row = head(*where), History.get(History.event_uid == conflict.incoming_uid)
            parents = {p for p in (row.parent_uid, row.merge_parent_uid) if p}
            if (top is None and not parents) or (top is not None and top.event_uid in parents):
                ready.append((conflict, row))
        if not ready:
            continue
        measure = ready[0][0].measure
        quarter = Quarter(ready[0][0].year, ready[0][0].quarter)
        for batch in [ready] + [[item] for item in ready] if len(ready) > 1 else [ready]:
            batch = [(c, r) for c, r in batch if c.resolved_at is None]
            if not batch:
                continue
            try:
                with database.atomic():
                    for _, row in batch:  # the kept copy makes way for the applied one
                        row.delete_instance()
                    apply_events(measure, quarter, [_event(row, measure.code) for _, row in batch],
                                 batch[0][1].origin)
            except ValidationError:
                continue
            for conflict, _ in batch:
                _close(conflict, "applied", conflict.incoming_uid, author, now)
                settle(conflict.measure_id, conflict.year, conflict.quarter, conflict.field, author, now)
                applied += 1
    return applied


def _event(row: History, code: str) -> Event:
    return Event(row.event_uid, row.parent_uid, row.merge_parent_uid, row.site_uid, code, row.year, row.quarter,
                 row.field, row.old_value, row.new_value, row.changed_by or "", row.changed_at, row.change_set)


def _one_per_field(events: list[Event]) -> list[Event]:
    """A change set names each field once; a hand-made package might not, so keep the first."""
    seen, result = set(), []
    for event in events:
        if event.field not in seen:
            seen.add(event.field)
            result.append(event)
    return result


def resolve(conflict: Conflict, value: str | None, choice: str, author: str, now: _dt.datetime) -> str:
    """Write the chosen value as a new event whose parents are both sides; returns its uid."""
    where = (conflict.measure_id, conflict.year, conflict.quarter, conflict.field)
    top = head(*where)
    incoming = History.get(History.event_uid == conflict.incoming_uid)
    uid = uuid.uuid4().hex
    stamp = (EventStamp(uid, top.event_uid, incoming.event_uid, this_site().uid) if top is not None
             else EventStamp(uid, incoming.event_uid, None, this_site().uid))
    if same(conflict.field, value, current_value(*where, top)):
        History.create(measure=conflict.measure_id, year=conflict.year, quarter=conflict.quarter,
                       field=conflict.field, old_value=value, new_value=value, changed_at=now, changed_by=author,
                       origin=RESOLVE_ORIGIN, change_set=uuid.uuid4().hex, **stamp.columns())
    else:
        save_progress(conflict.measure, Quarter(conflict.year, conflict.quarter), {conflict.field: value},
                      author=author, origin=RESOLVE_ORIGIN, now=now, events={conflict.field: stamp})
    _close(conflict, choice, uid, author, now)
    settle(*where, author, now)
    retry_refused(author, now)  # e.g. a status «done» that waited for this percent 100
    return uid
