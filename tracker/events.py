"""Identity of history rows as exchange events: uid, the event replaced, the database it came from."""

from __future__ import annotations

import platform
import uuid
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from .models import History, Site, database


@dataclass(frozen=True)
class EventStamp:
    """The identity a history row gets; an event from a package keeps the one it came with."""

    event_uid: str
    parent_uid: str | None = None
    merge_parent_uid: str | None = None
    site_uid: str | None = None

    def columns(self) -> dict:
        return {"event_uid": self.event_uid, "parent_uid": self.parent_uid,
                "merge_parent_uid": self.merge_parent_uid, "site_uid": self.site_uid}


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

    A laptop set up from a copy of the office database must not speak as the office: its
    packages would be taken for the office's own.
    """
    location = site_location()
    site = Site.select().order_by(Site.id).first()
    if site is None:
        return Site.create(uid=uuid.uuid4().hex, location=location)
    if site.location != location:
        site.uid, site.name, site.location = uuid.uuid4().hex, "", location
        site.save()
    return site


def head(measure_id: int, year: int, quarter: int, field: str) -> History | None:
    """The event whose value the record holds for this field: the latest applied one."""
    return (History.select()
            .where((History.measure == measure_id) & (History.year == year) & (History.quarter == quarter)
                   & (History.field == field) & History.applied)
            .order_by(History.id.desc()).first())


def event_columns(measure, quarter, field: str, given=None) -> dict:
    """Columns for a new history row of ``field``: ``given[field]`` if the caller has its identity."""
    stamp = (given or {}).get(field)
    if stamp is not None:
        return stamp.columns()
    measure_id = getattr(measure, "id", measure)
    previous = head(measure_id, quarter.year, quarter.number, field)
    return EventStamp(uuid.uuid4().hex, previous.event_uid if previous is not None else None,
                      None, this_site().uid).columns()
