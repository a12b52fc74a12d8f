"""Executors' contacts: kept in the database, checked, written in one transaction."""

from __future__ import annotations

import pytest

from tracker.errors import ValidationError
from tracker.plan.contacts import Contact, contact_of, set_contact, set_contacts
from tracker.plan.executors import find_executor


def test_a_contact_is_stored_clean_and_unchanged_writes_nothing(plan):
    culture = find_executor("Департамент культури")
    assert set_contact(culture, Contact("  Олена\tКовальчук ", " Culture@LutskRada.gov.ua ", "+380 332 77-77-77"))
    assert contact_of(find_executor("ДК")) == Contact("Олена Ковальчук", "culture@lutskrada.gov.ua",
                                                      "+380 332 77-77-77")
    assert not set_contact(culture, Contact("Олена Ковальчук", "culture@lutskrada.gov.ua", "+380 332 77-77-77"))


@pytest.mark.parametrize("contact, message", [
    (Contact(email="culture at lutskrada"), "електронної пошти"),
    (Contact(email="a@b"), "електронної пошти"),
    (Contact(email="a@b.ua, c@d.ua"), "електронної пошти"),
    (Contact(phone="дзвоніть Олені"), "телефону"),
    (Contact(email="спорт@lutskrada.gov.ua"), "електронної пошти"),  # few mail servers take a Cyrillic name
])
def test_a_malformed_address_or_phone_is_refused_and_nothing_is_written(plan, contact, message):
    culture, education = find_executor("Департамент культури"), find_executor("Департамент освіти")
    with pytest.raises(ValidationError, match=message):
        set_contacts([(education, Contact("Іван Петренко", "osvita@lutskrada.gov.ua")), (culture, contact)])
    assert contact_of(find_executor("Департамент освіти")) == Contact()  # the good row was not written either


def test_a_phone_with_an_extension_reads(plan):
    assert set_contact(find_executor("Департамент освіти"), Contact(phone="(0332) 72-44-11 дод. 12"))


def test_a_cyrillic_domain_is_kept_in_the_form_mail_programs_send(plan):
    sport = find_executor("Департамент молоді та спорту")
    assert set_contact(sport, Contact(email="sport@луцьк.укр"))
    assert contact_of(find_executor("Департамент молоді та спорту")).email == "sport@xn--j1abym4a.xn--j1amh"
