"""This database's identity in exchange packages, its device: made on first use, made anew for a copy elsewhere."""

from __future__ import annotations

import platform
import uuid
import weakref
from pathlib import Path

from peewee import SqliteDatabase

from ..errors import TrackerError
from ..i18n import tr
from ..text import storable
from .locking import write_transaction
from .models import Device, ExchangePeer, TrustedDevice, database
from .server_rights import server_role

COPY_TRUST = "копія бази"  # who trusted the database a copy was made from: its copying, not a person (data)


def device_location() -> str:
    """Where this database lives: a copied file or a moved server becomes a new device."""
    db = database.obj
    if isinstance(db, SqliteDatabase):
        name = str(db.database)
        where = name if name.startswith(":") or name.startswith("file:") else str(Path(name).resolve())
        # a path's bytes that are not UTF-8 (as the system keeps them) written out, the same each time: the database
        # holds only UTF-8 text, and such a file's first opening had stopped with an unexpected UnicodeEncodeError
        return storable(f"{platform.node()}|{where}")
    # the server's own identity, not the address this PC reaches it by (an IP here, a name there)
    return server_location(db)


def server_location(db) -> str:
    system, name = db.execute_sql("SELECT (SELECT system_identifier FROM pg_control_system()), "
                                  "current_database()").fetchone()
    return f"postgresql:{system}/{name}"


# every column but the private key, which only those who sign the office's packages may read (server_rights),
# and which a copy of the database never carries (tracker.storage.copy)
PUBLIC_FIELDS = [field for field in Device._meta.sorted_fields if field is not Device.private_key]


_known_uids: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # per open database: its device uid


def device_uid() -> str:
    """This database's device uid, read once per opened database: every save stamps its history rows with it.

    Only a uid read outside any transaction, unchanged, is kept (a committed row); one read inside a transaction
    may be the row that transaction made and will roll back, so it is read again next time. Making or changing
    the row here forgets the kept one (remember_device keeps it again, after the commit)."""
    uid = _known_uids.get(database.obj)
    return uid if uid is not None else this_device().uid


def remember_device() -> None:
    """Keep the device uid for the saves to come, if it is not kept yet and is there to read outside a transaction:
    at opening, and before each save — a new file's first save makes its row inside the save's transaction, so at
    the next save it is read and kept once, not read inside every save of the session.

    A copy's first reading makes it its own identity, a write: under the write lock taken first, waited for as the
    thread's patience says (tracker.storage.locking). Read first and written after, it was refused at once while
    another program wrote — a `tracker set` on a freshly copied file failed «зайнята» instead of waiting."""
    if database.obj not in _known_uids and not database.obj.in_transaction() and Device.select().exists():
        with write_transaction(database):
            uid = this_device().uid
        _known_uids[database.obj] = uid  # committed: no rollback can take it back


def this_device() -> Device:
    """This database's device row, made on first use and made anew when the database was copied.

    A laptop set up from a copy of the office database must not speak as the office: the
    confirmations in packages are kept per device. The row read carries no private key
    (``signing_key`` reads it). On the server, only its owner makes or changes the row.
    """
    location = device_location()
    device = Device.select(*PUBLIC_FIELDS).order_by(Device.id).first()
    if not may_change_identity(database.obj):
        if device is None:
            raise TrackerError(tr("Базу на сервері ще не підготовано до роботи: попросіть адміністратора відкрити "
                                  "її програмою один раз."))
        _keep(device)
        return device
    if device is None:
        _known_uids.pop(database.obj, None)
        return Device.create(uid=uuid.uuid4().hex, location=location, **_new_keys())
    if device.location.split(":", 1)[0] != "postgresql" and location.startswith("postgresql:"):
        device.location = location  # a server database from before the server's identity was asked for
    if device.location != location:
        if device.public_key:  # a laptop set up from a copy of the office database trusts the office from the start
            TrustedDevice.get_or_create(device_uid=device.uid, defaults={
                "name": device.name, "public_key": device.public_key, "trusted_by": COPY_TRUST})
        device.uid, device.name, device.location = uuid.uuid4().hex, "", location
        device.public_key = None  # a copy elsewhere gets its own key, like its own uid
    if not device.public_key:  # the two keys are made together
        for key, value in _new_keys().items():
            setattr(device, key, value)
    if device.is_dirty():
        _known_uids.pop(database.obj, None)
        device.save(only=device.dirty_fields)
    else:
        _keep(device)
    return device


def _keep(device: Device) -> None:
    if not database.obj.in_transaction():  # committed: no rollback can take it back
        _known_uids[database.obj] = device.uid


def signing_key(device: Device) -> str:
    """This device's private key (hex), read only when a package is signed."""
    return Device.select(Device.private_key).where(Device.id == device.id).scalar()


def may_change_identity(db) -> bool:
    """An SQLite file: always; on the server: its owner or an admin."""
    return isinstance(db, SqliteDatabase) or server_role(db) in ("owner", "admin")


def _new_keys() -> dict[str, str]:
    """A new Ed25519 key pair, raw bytes as hex."""
    # cryptography takes 40 ms to import: only when a key is made, not at every start
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # (see above)
    from cryptography.hazmat.primitives.serialization import (  # (see above)
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    private = Ed25519PrivateKey.generate()
    return {"private_key": private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()).hex(),
            "public_key": private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()}


def new_device_identity() -> Device:
    """Give this database a new device uid, keeping its name; for use right after a restore.

    A restored database's history has gone back: what other devices confirmed having of the
    old uid no longer describes it, and its next changes reuse sequence numbers they confirmed.
    """
    device = this_device()
    device.uid = uuid.uuid4().hex
    _known_uids.pop(database.obj, None)
    device.save(only=[Device.uid])
    ExchangePeer.update(acked_seq=0, acked_uid=None).execute()  # so the next package holds everything
    return device
