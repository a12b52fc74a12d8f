"""History rows as exchange events: a uid, the events a change replaced, the database it came from.

Per measure, quarter and field, the events form a graph: each change names the events whose
value it replaced (its parents). The *tips* are the events nothing known replaces yet. One value
among the tips: that is the field's value. Several: a conflict for a person to resolve.
"""

from __future__ import annotations

import platform
import uuid
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from ..storage.models import ExchangePeer, History, Site, database


@dataclass(frozen=True)
class EventStamp:
    """The identity a history row gets; an event from a package keeps the one it came with."""

    event_uid: str
    parents: tuple[str, ...] = ()  # first: the value it replaced here; then other tips it settles
    site_uid: str | None = None

    def columns(self) -> dict:
        return {"event_uid": self.event_uid, "parent_uid": self.parents[0] if self.parents else None,
                "merge_parent_uids": " ".join(self.parents[1:]) or None, "site_uid": self.site_uid}


def parents_of(row: History) -> tuple[str, ...]:
    return ((row.parent_uid,) if row.parent_uid else ()) + tuple((row.merge_parent_uids or "").split())


def same(field: str, a: str | None, b: str | None) -> bool:
    """Equal as stored values; an empty text and no text are the same note."""
    if field in ("note", "remarks"):
        return (a or "") == (b or "")
    return a == b


def site_location() -> str:
    """Where this database lives: a copied file or a moved server gets a new site identity."""
    db = database.obj
    if isinstance(db, SqliteDatabase):
        name = str(db.database)
        where = name if name.startswith(":") or name.startswith("file:") else str(Path(name).resolve())
        return f"{platform.node()}|{where}"
    params = getattr(db, "connect_params", {}) or {}
    return f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}/{db.database}"


def this_site() -> Site:
    """This database's site row, made on first use and made anew when the database was copied.

    A laptop set up from a copy of the office database must not speak as the office: the
    confirmations in packages are kept per site.
    """
    location = site_location()
    site = Site.select().order_by(Site.id).first()
    if site is None:
        return Site.create(uid=uuid.uuid4().hex, location=location)
    if site.location != location:
        site.uid, site.name, site.location = uuid.uuid4().hex, "", location
        site.save()
    return site


def new_site_identity() -> Site:
    """Give this database a new site uid, keeping its name; for use right after a restore.

    A restored database's history has gone back: what other databases confirmed having of the
    old uid no longer describes it, and its next changes reuse sequence numbers they confirmed.
    """
    site = this_site()
    site.uid = uuid.uuid4().hex
    site.save()
    ExchangePeer.update(acked_seq=0, acked_uid=None).execute()  # so the next package holds everything
    return site


def head(measure_id: int, year: int, quarter: int, field: str) -> History | None:
    """The event whose value the record holds for this field: the latest applied one."""
    return (History.select()
            .where((History.measure == measure_id) & (History.year == year) & (History.quarter == quarter)
                   & (History.field == field) & History.applied)
            .order_by(History.id.desc()).first())


def key_events(measure_id: int, year: int, quarter: int, field: str) -> list[History]:
    return list(History.select()
                .where((History.measure == measure_id) & (History.year == year) & (History.quarter == quarter)
                       & (History.field == field) & History.event_uid.is_null(False))
                .order_by(History.id))


def tips(rows: list[History]) -> list[History]:
    """The events no other known event replaces, oldest first."""
    replaced = {p for row in rows for p in parents_of(row)}
    return [row for row in rows if row.event_uid not in replaced]


def event_columns(measure, quarter, field: str, given=None) -> dict:
    """Columns for a new history row of ``field``: ``given[field]`` if the caller has its identity.

    A change made here replaces the value the record holds, and any other tip with that same
    value (the same change made elsewhere); a tip with another value stays, listed as a conflict.
    """
    stamp = (given or {}).get(field)
    if stamp is not None:
        return stamp.columns()
    measure_id = getattr(measure, "id", measure)
    top = head(measure_id, quarter.year, quarter.number, field)
    parents = ()
    if top is not None:
        others = [t.event_uid for t in tips(key_events(measure_id, quarter.year, quarter.number, field))
                  if t.event_uid != top.event_uid and same(field, t.new_value, top.new_value)]
        parents = (top.event_uid, *others)
    return EventStamp(uuid.uuid4().hex, parents, this_site().uid).columns()
