"""History rows as exchange events: a uid, the events a change replaced, the device it came from.

Per measure, quarter and field, the events form a graph: each change names the events whose
value it replaced (its parents). The *tips* are the events nothing known replaces yet. One value
among the tips: that is the field's value. Several: a conflict for a person to resolve.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..storage import prepared
from ..storage.device import device_uid
from ..storage.models import History
from ..uids import new_uid
from .fields import same


@dataclass(frozen=True)
class EventStamp:
    """The identity a history row gets; an event from a package keeps the one it came with."""

    event_uid: str
    parents: tuple[str, ...] = ()  # first: the value it replaced here; then other tips it settles
    device_uid: str | None = None  # the device the change was made in
    # an event filed anew keeps its own author, time and origin (None: the save's own)
    by: str | None = None
    at: object = None
    origin: str | None = None

    def columns(self) -> dict:
        own = {"changed_by": self.by, "changed_at": self.at, "origin": self.origin}
        return {"event_uid": self.event_uid, "parent_uid": self.parents[0] if self.parents else None,
                "merge_parent_uids": " ".join(self.parents[1:]) or None, "device_uid": self.device_uid,
                **{k: v for k, v in own.items() if v is not None}}


def parents_of(row: History) -> tuple[str, ...]:
    return ((row.parent_uid,) if row.parent_uid else ()) + tuple((row.merge_parent_uids or "").split())




def tips(rows: list[History]) -> list[History]:
    """The events no other known event replaces, oldest first."""
    replaced = {p for row in rows for p in parents_of(row)}
    return [row for row in rows if row.event_uid not in replaced]


def event_stamps(measure_id: int, quarter, names: list[str], given=None, without=()) -> dict[str, dict]:
    """``event_columns`` for several fields of one measure and quarter (one save), in two reads in all:
    the quarter's events, and this device. ``without``: events whose rows are there but make way in this save."""
    given = given or {}
    wanted = [name for name in names if given.get(name) is None]
    columns = {name: given[name].columns() for name in names if given.get(name) is not None}
    if not wanted:
        return columns
    rows: dict[str, list[History]] = {name: [] for name in wanted}
    for row in prepared.read(
            History, ("event rows", len(wanted)),
            lambda: (History.select(History.id, History.field, History.new_value, History.event_uid, History.parent_uid,
                                    History.merge_parent_uids, History.applied)
                     .where((History.measure == measure_id) & (History.year == quarter.year)
                            & (History.quarter == quarter.number) & History.field.in_(wanted))
                     .order_by(History.id)),
            [measure_id, quarter.year, quarter.number, *wanted]):
        if row.event_uid not in without:
            rows[row.field].append(row)
    here = device_uid()
    for name in wanted:
        applied = [row for row in rows[name] if row.applied]
        top = applied[-1] if applied else None  # the event whose value the record holds: the latest applied one
        parents = ()
        if top is not None:
            known = [row for row in rows[name] if row.event_uid is not None]
            others = [t.event_uid for t in tips(known)
                      if t.event_uid != top.event_uid and same(name, t.new_value, top.new_value)]
            parents = (top.event_uid, *others)
        columns[name] = EventStamp(new_uid(), parents, here).columns()
    return columns


def event_columns(measure, quarter, field: str, given=None) -> dict:
    """Columns for a new history row of ``field``: ``given[field]`` if the caller has its identity.

    A change made here replaces the value the record holds, and any other tip with that same
    value (the same change made elsewhere); a tip with another value stays, listed as a conflict.
    """
    return event_stamps(getattr(measure, "id", measure), quarter, [field], given)[field]


def in_causal_order(rows: list[History]) -> list[History]:
    """``rows`` in their order, each save's rows together (its change set) and after the saves whose changes it
    replaced (parents_of) that are among them."""
    groups: dict[object, list[History]] = {}
    for row in rows:
        groups.setdefault(row.change_set or ("row", row.id), []).append(row)
    group_of = {row.event_uid: key for key, members in groups.items() for row in members if row.event_uid}
    after = {key: [group_of[uid] for row in members for uid in parents_of(row) if group_of.get(uid, key) != key]
             for key, members in groups.items()}
    placed: set = set()
    expanded: set = set()  # a cycle (only a forged package could make one) ends where it began
    ordered: list[History] = []
    for first in groups:
        stack = [(first, False)]
        while stack:  # depth first, the saves replaced before the one replacing them, without recursion
            key, ready = stack.pop()
            if key in placed:
                continue
            if ready:
                placed.add(key)
                ordered.extend(groups[key])
            elif key not in expanded:
                expanded.add(key)
                stack.append((key, True))
                stack.extend((parent, False) for parent in reversed(after[key]) if parent not in placed)
    return ordered
