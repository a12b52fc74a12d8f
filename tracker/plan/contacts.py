"""Whom the monitoring group writes to: each responsible executor's contact person, e-mail and phone.

Kept in the database beside the directory (the directory file itself is the council's list and carries no
contacts); edited in the window (Довідники → Виконавці…) or with ``tracker executors --contact``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..access.rights import require
from ..errors import ValidationError
from ..i18n import tr
from ..logs import log
from ..storage.locking import write_transaction
from ..storage.models import Executor, database
from ..text import clean_name

MAX_LENGTH = 200
# one address, as mail programs accept it: no spaces, one @, a dot in the domain
EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
PHONE = re.compile(r"[0-9+()\-\s]{5,40}(?:\s*(?:дод\.|доб\.|ext\.?)\s*\d{1,6})?", re.IGNORECASE)


@dataclass(frozen=True)
class Contact:
    person: str = ""
    email: str = ""
    phone: str = ""


def contact_of(executor: Executor) -> Contact:
    return Contact(executor.contact_person, executor.email, executor.phone)


def checked(contact: Contact) -> Contact:
    """The contact as it is stored: one clean line each; a malformed e-mail or phone is refused, with why."""
    person, email, phone = (clean_name(value or "")[:MAX_LENGTH] for value in (contact.person, contact.email,
                                                                             contact.phone))
    if email and not (EMAIL.fullmatch(email) and email.split("@")[0].isascii()):
        raise ValidationError(tr("«{email}» не схоже на адресу електронної пошти (приклад: culture@lutskrada.gov.ua).",
                                 email=email))
    if email:  # a Cyrillic domain (луцьк.укр) is kept as mail programs send it: in its ASCII (IDNA) form
        local, domain = email.split("@")
        try:
            email = f"{local}@{domain.encode('idna').decode('ascii')}"
        except UnicodeError:
            raise ValidationError(tr("«{email}» не схоже на адресу електронної пошти (приклад: "
                                     "culture@lutskrada.gov.ua).", email=email)) from None
    if phone and not PHONE.fullmatch(phone):
        raise ValidationError(tr("«{phone}» не схоже на номер телефону (приклад: +380 332 77-77-77).", phone=phone))
    return Contact(person, email.lower(), phone)


def set_contacts(changes: list[tuple[Executor, Contact]]) -> int:
    """Store the contacts in one transaction (every one checked first); returns how many executors changed."""
    require("contacts")
    changes = [(executor, checked(contact)) for executor, contact in changes]
    changed = 0
    with write_transaction(database.obj):
        for executor, contact in changes:
            row = Executor.get_by_id(executor.id)
            if (row.contact_person, row.email, row.phone) != (contact.person, contact.email, contact.phone):
                Executor.update(contact_person=contact.person, email=contact.email, phone=contact.phone).where(
                    Executor.id == executor.id).execute()
                changed += 1
    for executor, contact in changes:
        executor.contact_person, executor.email, executor.phone = contact.person, contact.email, contact.phone
    if changed:
        log.info("contacts changed: %d executors", changed)
    return changed


def set_contact(executor: Executor, contact: Contact) -> bool:
    """One executor's contact; False when it was the same (nothing written)."""
    return set_contacts([(executor, contact)]) == 1
