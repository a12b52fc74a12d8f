"""This database's identity in exchange packages: made on first use, made anew for a copy elsewhere."""

from __future__ import annotations

import platform
import uuid
from pathlib import Path

from peewee import SqliteDatabase

from .models import ExchangePeer, Site, database


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
