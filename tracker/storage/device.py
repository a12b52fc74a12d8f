"""This database's identity in exchange packages, its device: made on first use, made anew for a copy elsewhere."""

from __future__ import annotations

import platform
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from peewee import SqliteDatabase

from .models import Device, ExchangePeer, TrustedDevice, database


def device_location() -> str:
    """Where this database lives: a copied file or a moved server becomes a new device."""
    db = database.obj
    if isinstance(db, SqliteDatabase):
        name = str(db.database)
        where = name if name.startswith(":") or name.startswith("file:") else str(Path(name).resolve())
        return f"{platform.node()}|{where}"
    params = getattr(db, "connect_params", {}) or {}
    return f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}/{db.database}"


def this_device() -> Device:
    """This database's device row, made on first use and made anew when the database was copied.

    A laptop set up from a copy of the office database must not speak as the office: the
    confirmations in packages are kept per device.
    """
    location = device_location()
    device = Device.select().order_by(Device.id).first()
    if device is None:
        return Device.create(uid=uuid.uuid4().hex, location=location, **_new_keys())
    if device.location != location:
        if device.public_key:  # a laptop set up from a copy of the office database trusts the office from the start
            TrustedDevice.get_or_create(device_uid=device.uid, defaults={
                "name": device.name, "public_key": device.public_key, "trusted_by": "копія бази"})
        device.uid, device.name, device.location = uuid.uuid4().hex, "", location
        device.private_key = None  # a copy elsewhere gets its own key, like its own uid
    if not device.private_key:
        for key, value in _new_keys().items():
            setattr(device, key, value)
    if device.is_dirty():
        device.save()
    return device


def _new_keys() -> dict[str, str]:
    """A new Ed25519 key pair, raw bytes as hex."""
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
    device.save()
    ExchangePeer.update(acked_seq=0, acked_uid=None).execute()  # so the next package holds everything
    return device
