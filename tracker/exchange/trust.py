"""Which devices' packages this database accepts: each package is signed by its device's key, and a key is trusted
only after a person compared its fingerprint with the device (or the database was copied from it).

The first package from an unknown device is refused with the device's name and key fingerprint;
``trust_package`` (``tracker exchange trust FILE``, or the window's question) records the key.
A package naming a trusted device but signed by another key, or from a revoked device, is refused.
Trust is of a device uid with its key: a trusted key under another uid (a restored database, or a
trusted device posing as another) is asked about again, showing the same fingerprint.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..access.rights import require
from ..errors import NotFoundError
from ..i18n import tr
from ..storage.device import this_device
from ..storage.locking import write_transaction
from ..storage.models import TrustedDevice, database
from ..text import clean_name
from .package import Header, PackageError, read_package


def key_fingerprint(public_key: str) -> str:
    """What a person compares between two devices: 32 hex digits of the key's SHA-256, in groups of four."""
    digest = hashlib.sha256(bytes.fromhex(public_key)).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


class UntrustedDevice(PackageError):
    """The package is whole and signed, by a device this database does not know yet; nothing was written."""

    def __init__(self, message: str, header: Header, revoked: str = ""):
        super().__init__(message, hint="exchange_trust")
        self.header = header
        self.fingerprint = key_fingerprint(header.device_key)
        self.revoked = revoked  # revoked_key_text's warning, or ""


def revoked_key_text(header: Header) -> str:
    """A warning when the package's key is one whose trust was revoked here, under another uid: the same device put
    back from a copy of itself (it takes a new uid and keeps its key) — a stolen laptop's way past the revoking; ""
    otherwise. Trusting it is a person's decision, made knowing it."""
    row = (TrustedDevice.select().where((TrustedDevice.public_key == header.device_key)
                                        & (TrustedDevice.device_uid != header.device_uid)
                                        & TrustedDevice.revoked_at.is_null(False))
           .order_by(TrustedDevice.revoked_at.desc()).first()) if header.device_key else None
    if row is None:
        return ""
    return tr("Увага: довіру до цього ключа тут відкликано {when:%d.%m.%Y} (пристрій «{device}»). Це той самий "
              "пристрій під новим ідентифікатором — його базу відновлено з копії. Довіряйте йому, лише якщо причини "
              "відкликання (напр. крадіжки) вже немає: тоді прийдуть і зміни, зроблені на ньому після відкликання.",
              when=row.revoked_at, device=row.name or row.device_uid[:8])


class UnsignedPackage(PackageError):
    """A package of format 1 (0.2, before signing): accepted only when a person says so."""


@dataclass(frozen=True)
class DeviceInfo:
    uid: str
    name: str
    fingerprint: str
    trusted_at: _dt.datetime | None
    trusted_by: str
    revoked_at: _dt.datetime | None
    last_package_at: _dt.datetime | None
    own: bool = False


def check_sender(header: Header, signed: bool, file_name: str, allow_unsigned: bool = False) -> None:
    """Refuse a package this database must not take from its sender (see the module docstring)."""
    if not signed:
        own = this_device()
        known = TrustedDevice.get_or_none(TrustedDevice.device_uid == header.device_uid)
        if header.device_uid == own.uid or known is not None:
            raise PackageError(tr(
                "Пакет «{name}» без підпису, але називає пристрій «{device}», що підписує свої пакети: це підробка. "
                "Нічого не змінено.", name=file_name, device=(known.name if known else "") or header.device_name))
        if allow_unsigned:
            return
        raise UnsignedPackage(tr(
            "Пакет «{name}» від «{device}» без підпису: його зроблено старою версією програми. Без підпису не видно, "
            "чи його не підроблено. Оновіть програму на тому пристрої й зробіть пакет ще раз; якщо ви певні, звідки "
            "цей пакет, імпортуйте його як непідписаний. Нічого не змінено.", name=file_name,
            device=header.device_name), hint="exchange_unsigned")
    own = this_device()
    if header.device_uid == own.uid:
        if header.device_key != own.public_key:
            raise PackageError(tr("Пакет «{name}» називає цю базу своїм пристроєм, але підписаний іншим ключем: це "
                                  "підробка. Нічого не змінено.", name=file_name))
        return  # our own package come back
    named = TrustedDevice.get_or_none(TrustedDevice.device_uid == header.device_uid)
    if named is not None and named.public_key != header.device_key:
        raise PackageError(tr(
            "Пакет «{name}» називає пристрій «{device}», але підписаний не його ключем (відбиток {fingerprint}). "
            "Такий пакет не приймається. Нічого не змінено.", name=file_name, device=named.name or header.device_name,
            fingerprint=key_fingerprint(header.device_key)))
    if named is not None and named.revoked_at is not None:
        raise PackageError(tr("Пристрою «{device}» ця база більше не довіряє (відкликано {when:%d.%m.%Y}); його "
                              "пакет «{name}» не прийнято. Нічого не змінено.", device=named.name or
                              header.device_name, when=named.revoked_at, name=file_name))
    if named is None:
        warning = revoked_key_text(header)
        raise UntrustedDevice(tr(
            "Пакет «{name}» від пристрою «{device}», якому ця база ще не довіряє. Відбиток ключа пристрою: "
            "{fingerprint}. Звірте його з тим пристроєм (там: Довідка → Про програму) і, якщо "
            "збігається, довіртеся пристрою. Нічого не змінено.", name=file_name, device=header.device_name,
            fingerprint=key_fingerprint(header.device_key)) + (" " + warning if warning else ""), header, warning)


def note_sender(header: Header, now: _dt.datetime) -> None:
    """Inside the import's transaction (the sender passed check_sender): when its last package came."""
    if not header.device_key or header.device_uid == this_device().uid:
        return
    TrustedDevice.update(name=header.device_name, last_package_at=now).where(
        TrustedDevice.device_uid == header.device_uid).execute()


def trust_package(path: str | Path, author: str) -> DeviceInfo:
    """Trust the device that signed the package at ``path`` (after a person compared its fingerprint)."""
    require("exchange")
    package = read_package(path)
    header = package.header
    if not package.signed:
        raise UnsignedPackage(tr("Пакет «{name}» без підпису (стара версія програми): довіряти нема чому.",
                                 name=Path(path).name))
    if header.device_uid == this_device().uid:
        raise PackageError(tr("Пакет «{name}» зроблено цією ж базою.", name=Path(path).name))
    with write_transaction(database):
        named = TrustedDevice.get_or_none(TrustedDevice.device_uid == header.device_uid)
        if named is not None and named.public_key != header.device_key and named.revoked_at is None:
            raise PackageError(tr(
                "Пристрій «{device}» уже довірений з іншим ключем; пакет «{name}» підписано не ним. Якщо на тому "
                "пристрої справді новий ключ (нова база), спершу відкличте довіру до старого. Нічого не змінено.",
                device=named.name, name=Path(path).name))
        if named is not None and named.public_key == header.device_key and named.revoked_at is None:
            return _info(named)  # trusted already: who trusted it stays (the office a copy was made from stays so)
        now = _dt.datetime.now().replace(microsecond=0)
        row = named or TrustedDevice(device_uid=header.device_uid)
        row.public_key, row.name, row.trusted_at = header.device_key, header.device_name, now
        row.trusted_by, row.revoked_at = clean_name(author), None
        row.save()
    return _info(row)


def trusted_devices() -> list[DeviceInfo]:
    """This database's own device first, then the devices it trusts (revoked ones too, marked)."""
    own = this_device()
    rows = [DeviceInfo(own.uid, own.name, key_fingerprint(own.public_key), None, "", None, None, own=True)]
    return rows + [_info(row) for row in TrustedDevice.select().order_by(TrustedDevice.trusted_at, TrustedDevice.id)]


def revoke(device: str, author: str) -> DeviceInfo:
    """Stop trusting a device, named by its name or the start of its uid (at least 6 characters)."""
    require("exchange")
    text = device.strip()
    rows = [r for r in TrustedDevice.select().where(TrustedDevice.revoked_at.is_null())
            if text and (r.name == text or (len(text) >= 6 and r.device_uid.startswith(text)))]
    if not rows:
        raise NotFoundError(tr("Довіреного пристрою «{device}» немає.", device=device), hint="exchange_devices")
    if len(rows) > 1:
        raise NotFoundError(tr("Пристроїв «{device}» кілька; вкажіть початок ідентифікатора.", device=device),
                            hint="exchange_devices")
    now = _dt.datetime.now().replace(microsecond=0)
    with write_transaction(database):
        TrustedDevice.update(revoked_at=now).where(TrustedDevice.id == rows[0].id).execute()
    return _info(TrustedDevice.get_by_id(rows[0].id))


def _info(row: TrustedDevice) -> DeviceInfo:
    return DeviceInfo(row.device_uid, row.name, key_fingerprint(row.public_key), row.trusted_at, row.trusted_by,
                      row.revoked_at, row.last_package_at)


__all__ = ["DeviceInfo", "UnsignedPackage", "UntrustedDevice", "check_sender", "key_fingerprint",
           "note_sender", "revoke", "revoked_key_text", "trust_package", "trusted_devices"]
