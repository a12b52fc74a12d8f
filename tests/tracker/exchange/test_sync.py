"""Exchange packages between an office and laptops: merge per field, conflicts, hostile files."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from playhouse.migrations import Runner

from tests.tracker.exchange.exchange_devices import (
    Device,
    counts,
    event_uids,
    introduce,
    nothing_changes,
    progress_values,
    signing_key,
)
from tracker import i18n
from tracker.cli import exchange as cli_exchange
from tracker.errors import NotFoundError, TrackerError, ValidationError
from tracker.exchange import merge
from tracker.exchange.aside import dismiss_set_aside, listed_lines, set_aside_changes, take_set_aside
from tracker.exchange.merge import NOT_IN_PLAN
from tracker.exchange.package import Header, PackageError, read_package, signature, write_package
from tracker.exchange.sync import (
    set_aside_text,
    export_package,
    import_package,
    list_conflicts,
    rename_device,
    resolve_conflict,
)
from tracker.exchange.trust import UntrustedDevice, trust_package
from tracker.plan.store import current_plan, ensure_bundled_plan
from tracker.progress.records import find_measure, save_progress
from tracker.progress.undo import undo_change_set
from tracker.quarters import Quarter
from tracker.storage import backup, restore
from tracker.storage.db import MIGRATIONS_DIR
from tracker.storage.device import this_device
from tracker.storage.models import Conflict, ExchangeLog, History, Measure, PendingEvent, Plan, Progress, database

Q1, Q2 = Quarter(2025, 1), Quarter(2025, 2)
ROOT = Path(__file__).resolve().parents[3]


def save(code, quarter, author="", **changes):
    return save_progress(find_measure(current_plan(), code), quarter, changes, author=author)


def value(code, quarter, field):
    record = Progress.get_or_none((Progress.measure == find_measure(current_plan(), code))
                                  & (Progress.year == quarter.year) & (Progress.quarter == quarter.number))
    return None if record is None else getattr(record, field)


def send(source: Device, target: Device, folder: Path, author="", device_name=None):
    """Export from ``source``, import into ``target``; returns the import result."""
    path = folder / f"{source.name}-{random.randrange(10**9)}.pkg"
    with source:
        export_package(path, device_name or source.name)
    with target:
        return import_package(path, author)


def percent_conflict(office: Device, laptop: Device, folder: Path) -> None:
    """Both change 1.2.8's Q1 percent from a common 10 % (laptop 30, office 45); the office gets the laptop's."""
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=10)
    send(office, laptop, folder)
    with laptop:
        save("1.2.8", Q1, "Петро", percent=30)
    with office:
        save("1.2.8", Q1, "Оля", percent=45)
    send(laptop, office, folder)


# -- identity of measures and devices -------------------------------------------------------------

def test_devices_set_up_differently_merge_by_plan_and_code(office, laptop, standalone, tmp_path):
    with office:
        office_id = find_measure(current_plan(), "1.2.8").id
        save("1.2.8", Q1, "Оля", status="in_progress", percent=10, note="офіс")
    with standalone:
        assert find_measure(current_plan(), "1.2.8").id != office_id  # different database ids
        save("3.1.1", Q1, "Ірина", status="in_progress", percent=25, remarks="ноутбук Б")
    with laptop:
        save("2.2.11", Q2, "Петро", status="partially_done", percent=60, planned_financing="12,5")
    send(laptop, office, tmp_path)
    send(standalone, office, tmp_path)
    send(office, laptop, tmp_path)
    send(office, standalone, tmp_path)
    snapshots = []
    for device in (office, laptop, standalone):
        with device:
            snapshots.append(progress_values())
            assert list_conflicts() == []
            assert value("3.1.1", Q1, "remarks") == "ноутбук Б"
            assert str(value("2.2.11", Q2, "planned_financing")) == "12.5"
            assert value("1.2.8", Q1, "note") == "офіс"
    assert snapshots[0] == snapshots[1] == snapshots[2]


def test_a_copied_database_gets_its_own_device_identity(office, laptop):
    with office:
        office_uid = this_device().uid
    with laptop:
        assert this_device().uid != office_uid
    with office:
        assert this_device().uid == office_uid


def test_a_mistyped_device_name_is_mended_and_the_next_package_carries_it(office, laptop, tmp_path):
    """Asked once, at the first export: a typo («Старстат») went with every package, with no way to mend it."""
    with laptop:
        export_package(tmp_path / "first.trackerpkg", "Старстат Прилуцьке")
        assert not rename_device(" Старстат  Прилуцьке ")  # the same name, spaces aside: nothing written
        with pytest.raises(ValidationError, match="Вкажіть назву"):
            rename_device("   ")
        assert this_device().name == "Старстат Прилуцьке"
        assert rename_device("Старостат Прилуцьке")
        export_package(tmp_path / "second.trackerpkg")
    assert read_package(tmp_path / "first.trackerpkg").header.device_name == "Старстат Прилуцьке"  # as it was sent
    assert read_package(tmp_path / "second.trackerpkg").header.device_name == "Старостат Прилуцьке"


def test_a_change_after_a_restore_reaches_the_office(office, laptop, tmp_path):
    """A restored laptop's new changes reuse history ids the office already confirmed: they must travel."""
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=10)
    send(laptop, office, tmp_path)
    send(office, laptop, tmp_path)
    with laptop:
        copy = backup.backup_to(tmp_path / "laptop-before.sqlite3")
        save("2.2.11", Q1, "Петро", status="in_progress", percent=20)
    send(laptop, office, tmp_path)
    with laptop:
        old = this_device().uid
        restore.restore_from(copy)  # back to before the save of 2.2.11
        assert this_device().uid != old
        save("3.1.1", Q1, "Петро", status="partially_done", percent=40)
    send(office, laptop, tmp_path)  # the office confirms what it has of the laptop's history ids
    with laptop:
        export_package(tmp_path / "restored.pkg", "laptop")
    with office:  # a new identity: its people compare the (unchanged) fingerprint and trust it again
        with pytest.raises(UntrustedDevice):
            import_package(tmp_path / "restored.pkg", "Оля")
        trust_package(tmp_path / "restored.pkg", "Оля")
        import_package(tmp_path / "restored.pkg", "Оля")
    with office:
        assert value("3.1.1", Q1, "percent") == 40
        assert value("2.2.11", Q1, "percent") == 20  # what arrived before the restore stays
    with laptop:
        assert value("2.2.11", Q1, "percent") == 20  # and comes back to the laptop


def test_history_rows_carry_event_identity(office):
    with office:
        first = save("1.2.8", Q1, status="in_progress", percent=10)
        second = save("1.2.8", Q1, percent=20)
        rows = {r.change_set: r for r in History.select().where(History.field == "percent")}
        assert rows[second.change_set].parent_uid == rows[first.change_set].event_uid
        assert rows[first.change_set].parent_uid is None
        assert rows[second.change_set].device_uid == this_device().uid
        undo = undo_change_set(second.change_set)
        undo_row = History.get((History.change_set == undo.change_set) & (History.field == "percent"))
        assert undo_row.parent_uid == rows[second.change_set].event_uid


# -- merging ------------------------------------------------------------------------------------

def test_field_changed_on_one_side_is_taken(office, laptop, tmp_path):
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=10, note="початок")
    send(office, laptop, tmp_path)
    with laptop:
        save_progress(find_measure(current_plan(), "1.2.8"), Q1, {"percent": 40}, author="Петро",
                      now=dt.datetime(2025, 3, 1, 9, 30))
    with office:
        save_progress(find_measure(current_plan(), "1.2.8"), Q1, {"note": "офіс дописав"}, author="Оля",
                      now=dt.datetime(2025, 3, 1, 10, 0))
    result = send(laptop, office, tmp_path)
    assert (result.applied, result.conflicts) == (1, 0)
    with office:
        assert (value("1.2.8", Q1, "percent"), value("1.2.8", Q1, "note")) == (40, "офіс дописав")
        row = History.get((History.field == "percent") & (History.new_value == "40"))
        assert (row.changed_by, row.origin) == ("Петро", "пакет «laptop»")
        # the office's note, made after the laptop's change, is still the record's last change: it said «Петро, 9:30»
        record = Progress.get()
        assert (record.updated_by, record.updated_at) == ("Оля", dt.datetime(2025, 3, 1, 10, 0))
    with laptop:
        save_progress(find_measure(current_plan(), "1.2.8"), Q1, {"percent": 45}, author="Петро",
                      now=dt.datetime(2025, 3, 1, 11, 0))
    send(laptop, office, tmp_path)
    with office:
        record = Progress.get()
        assert (record.percent, record.updated_by, record.updated_at) == (45, "Петро", dt.datetime(2025, 3, 1, 11, 0))


def test_field_changed_on_both_sides_is_a_conflict_and_nothing_is_overwritten(office, laptop, tmp_path):
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=10)
    send(office, laptop, tmp_path)
    with laptop:
        save_progress(find_measure(current_plan(), "1.2.8"), Q1, {"percent": 30}, author="Петро",
                      now=dt.datetime(2025, 3, 1, 9, 30))
    with office:
        save_progress(find_measure(current_plan(), "1.2.8"), Q1, {"percent": 45}, author="Оля",
                      now=dt.datetime(2025, 3, 2, 14, 0))
    result = send(laptop, office, tmp_path, device_name="Ноутбук Петра")
    assert (result.applied, result.conflicts) == (0, 1)
    with office:
        assert value("1.2.8", Q1, "percent") == 45
        [conflict] = list_conflicts()
        assert (conflict.measure_code, conflict.quarter, conflict.field) == ("1.2.8", Q1, "percent")
        local = (conflict.local.value, conflict.local.by, conflict.local.at)
        assert local == ("45", "Оля", dt.datetime(2025, 3, 2, 14, 0))
        assert conflict.local.device == "office"  # the name it gave itself when it sent its package
        own = this_device()
        own.name = ""
        own.save()
        # never named: «ця база», not the computer's network name («vm», «DESKTOP-4F8K2L»)
        assert list_conflicts()[0].local.device == "ця база"
        assert (conflict.incoming.value, conflict.incoming.by, conflict.incoming.at,
                conflict.incoming.device) == ("30", "Петро", dt.datetime(2025, 3, 1, 9, 30), "Ноутбук Петра")
        kept = History.get(History.new_value == "30")
        assert not kept.applied  # in the history, but not the record's value
    with laptop:
        assert value("1.2.8", Q1, "percent") == 30


@pytest.mark.parametrize("choice, given, expected", [("local", None, 45), ("incoming", None, 30), ("value", "38", 38)])
def test_resolution_converges_both_devices(office, laptop, tmp_path, choice, given, expected):
    percent_conflict(office, laptop, tmp_path)
    with office:
        resolve_conflict(list_conflicts()[0].id, choice, given, author="Оля")
        assert value("1.2.8", Q1, "percent") == expected
        assert list_conflicts() == []
    back = send(office, laptop, tmp_path)
    assert back.conflicts == 0
    again = send(laptop, office, tmp_path)
    assert (again.applied, again.conflicts) == (0, 0)
    for device in (office, laptop):
        with device:
            assert value("1.2.8", Q1, "percent") == expected
            assert list_conflicts() == []
            assert {"30", "45"} <= {r.new_value for r in History.select().where(History.field == "percent")}


def test_same_change_on_both_sides_merges_without_a_conflict(office, laptop, standalone, tmp_path):
    for device in (office, standalone):
        with device:
            save("1.2.8", Q1, "x", status="in_progress", percent=50)
    result = send(standalone, office, tmp_path)
    assert (result.conflicts, result.applied, result.recorded) == (0, 0, 2)
    with office:
        assert list_conflicts() == []
    send(office, standalone, tmp_path)
    assert send(standalone, office, tmp_path).changed is False


def test_three_databases_disagree_one_conflict_shows_every_value(office, laptop, standalone, tmp_path):
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=10)
    send(office, laptop, tmp_path)
    send(office, standalone, tmp_path)
    for device, author, percent in ((laptop, "Петро", 30), (standalone, "Ірина", 40), (office, "Оля", 50)):
        with device:
            save("1.2.8", Q1, author, percent=percent)
    send(laptop, office, tmp_path)
    send(standalone, office, tmp_path)
    with office:
        [conflict] = list_conflicts()
        assert conflict.local.value == "50"
        assert {conflict.incoming.value, *(o.value for o in conflict.others)} == {"30", "40"}
        resolve_conflict(conflict.id, "value", "45", author="Оля")
    for device in (laptop, standalone):
        send(office, device, tmp_path)
        with device:
            assert value("1.2.8", Q1, "percent") == 45 and list_conflicts() == []


def test_a_change_here_while_a_conflict_is_open_stays_listed(office, laptop, tmp_path):
    percent_conflict(office, laptop, tmp_path)
    with office:
        save("1.2.8", Q1, "Оля", percent=60)
        [conflict] = list_conflicts()
        assert (conflict.local.value, conflict.incoming.value) == ("60", "30")
        save("1.2.8", Q1, "Оля", percent=30)  # typed the laptop's value: nothing left to decide
        assert list_conflicts() == []


def test_an_undo_on_a_laptop_travels_as_changes(office, laptop, tmp_path):
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=10)
    send(office, laptop, tmp_path)
    with laptop:
        undo_change_set(save("1.2.8", Q1, "Петро", percent=30).change_set, author="Петро")
        save("2.2.11", Q1, "Петро", status="in_progress", percent=5)
    result = send(laptop, office, tmp_path)
    assert result.conflicts == 0
    with office:
        assert value("1.2.8", Q1, "percent") == 10
        assert {"30", "10"} <= {r.new_value for r in History.select().where(History.field == "percent")}
        save("1.2.8", Q1, "Оля", percent=20)  # replaces the laptop's undo too: no conflict later
    send(office, laptop, tmp_path)
    with laptop:
        assert value("1.2.8", Q1, "percent") == 20 and list_conflicts() == []


def test_a_record_made_from_others_changes_takes_their_values_not_its_own_carry_over(office, laptop, tmp_path):
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=10, planned_financing="12,5")
    send(office, laptop, tmp_path)
    with office:  # Q2 starts from Q1 (12.5 carried within the year), and the office clears it
        save("1.2.8", Q2, "Оля", percent=20, planned_financing=None)
        office_values = progress_values()
    send(office, laptop, tmp_path)
    with laptop:
        assert value("1.2.8", Q2, "planned_financing") is None
        assert list_conflicts() == []
        assert progress_values() == office_values


def test_a_record_made_here_carries_nothing_from_this_database_s_quarter_before(office, laptop, standalone, tmp_path):
    """One laptop reported Q1 with the year's planned sum, another Q2 without it (it had no Q1): the office, taking Q1
    first, made Q2 with Q1's sum carried over, written in the second laptop person's name, and sent it back to her as
    hers; taken the other way round, Q2 had no sum — the same two packages made two reports. Now a record made from
    others' changes holds their values only, whichever came first."""
    with laptop:
        save("1.1.3", Q1, "Іван", status="in_progress", percent=20, planned_financing="125,5", actual_financing="40")
    with standalone:
        save("1.1.3", Q2, "Олена", status="in_progress", percent=30, actual_financing="80,25")
    send(laptop, office, tmp_path)
    send(standalone, office, tmp_path)
    send(laptop, standalone, tmp_path)  # the other way round: Q2 there first
    for device in (office, standalone):
        with device:
            assert value("1.1.3", Q2, "planned_financing") is None and value("1.1.3", Q1, "planned_financing") == 125.5
            assert float(value("1.1.3", Q2, "actual_financing")) == 80.3
            assert not History.select().where((History.field == "planned_financing") & (History.quarter == 2)
                                              & (History.year == 2025)).exists()
    with office:
        office_values = progress_values()
    with standalone:
        assert progress_values() == office_values


def test_a_record_made_here_is_said_made_by_whoever_made_it_first(office, laptop, standalone, tmp_path):
    """A laptop took another's new record and added a remark; at the office the record's «створено» named the second
    laptop's person, who only added the remark."""
    with laptop:
        save("5.1.1", Q2, "Іван", status="in_progress", percent=10, note="Боратин")
    send(laptop, standalone, tmp_path)
    with standalone:
        save("5.1.1", Q2, "Олена", remarks="додано в Забороле")
    send(standalone, office, tmp_path)
    with office:
        made = History.get((History.field == "record") & (History.quarter == 2) & (History.year == 2025)
                           & (History.measure == find_measure(current_plan(), "5.1.1")))
        assert made.changed_by == "Іван" and made.new_value == "created"
        assert value("5.1.1", Q2, "remarks") == "додано в Забороле"
        assert Progress.get((Progress.measure == find_measure(current_plan(), "5.1.1"))
                            & (Progress.quarter == 2)).updated_by == "Олена"  # the last change's, as before


def test_a_record_made_here_from_sides_in_conflict_takes_one_of_them_and_makes_up_none(
        office, laptop, standalone, tmp_path):
    """The office and a laptop disagreed on 1.2.8's Q2; a laptop set up on its own, with no Q2 record, took both
    sides in: it made the record with Q1's 55 % carried over, wrote it as a change of its own in the laptop person's
    name, listed it as «тут: 55 % (Петро)», and passed it on to the office as a third side nobody had typed."""
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=55, note="q1")
    send(office, laptop, tmp_path)
    with office:
        save("1.2.8", Q2, "Оля", status="in_progress", percent=65, note="офіс")
    with laptop:
        save("1.2.8", Q2, "Петро", status="in_progress", percent=34, note="ноутбук")
    send(laptop, office, tmp_path)
    send(office, standalone, tmp_path)
    with standalone:
        own = this_device().uid
        assert value("1.2.8", Q2, "percent") in (65, 34)  # one side, as typed, not 55 carried from Q1
        made_up = History.select().where((History.device_uid == own) & (History.field != "record")).count()
        assert made_up == 0
        percent = next(c for c in list_conflicts() if c.field == "percent")
        assert {percent.local.value, percent.incoming.value} == {"65", "34"}
        assert {percent.local.by, percent.incoming.by} == {"Оля", "Петро"}
    with office:
        before = {(c.field, c.local.value, c.incoming.value, tuple(o.value for o in c.others)) for c in list_conflicts()}
    send(standalone, office, tmp_path)
    with office:  # nothing new from it: no third side
        assert {(c.field, c.local.value, c.incoming.value, tuple(o.value for o in c.others))
                for c in list_conflicts()} == before


@pytest.mark.parametrize("order", ["edit first", "other side first"])
def test_a_value_replaced_by_an_edit_over_it_is_no_side_of_the_conflict_in_either_order(
        office, laptop, standalone, tmp_path, order):
    """The office's note X, the laptop's edit of it (over X), another laptop's own note: the other's package first
    listed «тут: X / з пакета: edit / ще: other», X kept — and «keep mine» undid the laptop's deliberate edit; the
    edit's package first gave «edit / other». Either order now lists the edit against the other side."""
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=10, note="X-офіс")
    send(office, laptop, tmp_path)
    with laptop:
        save("1.2.8", Q1, "Петро", note="правка Петра")
    with standalone:
        save("1.2.8", Q1, "Ірина", status="in_progress", percent=10, note="Ірина")
    senders = [laptop, standalone] if order == "edit first" else [standalone, laptop]
    for sender in senders:
        send(sender, office, tmp_path)
    with office:
        [note] = [c for c in list_conflicts() if c.field == "note"]
        sides = {note.local.value, note.incoming.value, *(o.value for o in note.others)}
        assert sides == {"правка Петра", "Ірина"} and note.local.value == "правка Петра"
        assert value("1.2.8", Q1, "note") == "правка Петра"


def test_a_record_removed_on_a_laptop_is_listed_with_a_plain_reason(office, laptop, tmp_path):
    with laptop:
        first = save("1.2.8", Q2, "Петро", status="in_progress", percent=10)
    send(laptop, office, tmp_path)
    with laptop:
        undo_change_set(first.change_set, author="Петро")  # the laptop takes its first save back
    result = send(laptop, office, tmp_path)
    with office:
        assert value("1.2.8", Q2, "percent") == 10  # not removed silently
        conflicts = list_conflicts()
        assert result.conflicts == 2 and {c.field for c in conflicts} == {"status", "percent"}
        assert all("вилучено" in c.reason and c.incoming.value is None for c in conflicts)
        i18n.set_language("en")  # the reason is stored in Ukrainian and shown in the chosen language
        try:
            assert all("was removed" in c.reason for c in list_conflicts())
        finally:
            i18n.set_language("uk")
        for conflict in conflicts:
            resolve_conflict(conflict.id, "local", author="Оля")
    send(office, laptop, tmp_path)
    with laptop:
        assert value("1.2.8", Q2, "percent") == 10 and list_conflicts() == []


def test_reimport_changes_nothing(office, laptop, tmp_path):
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=30, note="ноутбук")
        export_package(tmp_path / "p.pkg", "ноутбук")
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=20)
        first = import_package(tmp_path / "p.pkg", "Оля")
        assert first.conflicts == 1
        with nothing_changes():
            for _ in range(2):
                again = import_package(tmp_path / "p.pkg", "Оля")
                assert (again.applied, again.pending, again.conflicts, again.changed) == (0, 0, 0, False)
                assert again.skipped == again.events


def test_office_sends_back_and_a_laptop_catches_up(office, laptop, standalone, tmp_path):
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=30)
    with standalone:
        save("3.1.1", Q2, "Ірина", status="not_done", percent=0, remarks="немає коштів")
    send(laptop, office, tmp_path)
    send(standalone, office, tmp_path)
    result = send(office, laptop, tmp_path)
    assert result.conflicts == 0 and result.applied >= 3
    with laptop:
        assert value("3.1.1", Q2, "remarks") == "немає коштів"
    with office:
        uids = event_uids()
    with laptop:
        assert uids <= event_uids()


def test_packages_in_any_order_wait_for_their_parents(office, laptop, tmp_path):
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=10)
        save("1.2.8", Q1, "Петро", percent=20)
        export_package(tmp_path / "full.pkg", "ноутбук")
        _, key = signing_key()
    package = read_package(tmp_path / "full.pkg")
    later = [e for e in package.events if not (e.field in ("status", "percent") and not e.parents)]
    write_package(tmp_path / "later.pkg", package.header, later, private_key=key)  # without the first save
    with office:
        result = import_package(tmp_path / "later.pkg", "Оля")
        assert (result.pending, result.applied) == (1, 0)
        assert PendingEvent.select().count() == 1
        result = import_package(tmp_path / "full.pkg", "Оля")
        assert result.pending == 0 and PendingEvent.select().count() == 0
        assert value("1.2.8", Q1, "percent") == 20
        assert list_conflicts() == []


def test_changes_for_a_measure_the_plan_lacks_are_kept_aside_not_sent_on(office, laptop, tmp_path):
    """Dropped, they were lost for good: the sender's package was confirmed. Held with the changes waiting for a
    parent, they were sent on with every package, forever. Kept aside, they wait for the measure, unsent."""
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=10)
        save("3.1.1", Q1, "Петро", status="in_progress", percent=5)
        export_package(tmp_path / "full.pkg", "ноутбук")
        _, key = signing_key()
    package = read_package(tmp_path / "full.pkg")
    renamed = [dataclasses.replace(e, measure="9.9.9", measure_uid="9" * 32) if e.measure == "3.1.1" else e
               for e in package.events]  # a measure another device's plan has (its uid unknown here)
    write_package(tmp_path / "amended.pkg", package.header, renamed, private_key=key)
    unknown = sum(e.measure == "9.9.9" for e in renamed)
    with office:
        result = import_package(tmp_path / "amended.pkg", "Оля")
        assert (result.set_aside, result.unknown_measures, result.pending) == (unknown, ("9.9.9",), 0)
        assert PendingEvent.select().where(PendingEvent.reason == NOT_IN_PLAN).count() == unknown
        assert value("1.2.8", Q1, "percent") == 10 and value("3.1.1", Q1, "percent") is None
        assert ExchangeLog.select().order_by(ExchangeLog.id.desc()).first().dropped == unknown
        export_package(tmp_path / "office.pkg", "офіс", full=True)
        # one held by an older version of the program (no origin) is kept aside by the next import too
        held = next(e for e in renamed if e.measure == "9.9.9")
        PendingEvent.create(event_uid="0" * 32, plan_uid=current_plan().uid, reason="старе",
                            payload=json.dumps(dataclasses.replace(held, uid="0" * 32, parents=()).to_json()))
        again = import_package(tmp_path / "amended.pkg", "Оля")
        assert (again.set_aside, again.pending) == (1, 0) and PendingEvent.select().count() == unknown + 1
        # the plan comes to have that measure: what was kept aside is merged, each with its own package's name
        Measure.update(uid="9" * 32).where(Measure.code == "3.1.1").execute()
        assert take_set_aside("Оля") == unknown + 1 and PendingEvent.select().count() == 0
        assert value("3.1.1", Q1, "percent") == 5
        origins = {h.origin for h in History.select().join(Measure).where(Measure.code == "3.1.1")}
        assert origins == {"пакет «ноутбук»", "пакет"}  # the one from the older version: its package unknown
        assert take_set_aside("Оля") == 0
    assert "9.9.9" not in {e.measure for e in read_package(tmp_path / "office.pkg").events}
    assert "9.9.9" in set_aside_text(result) and "Їх збережено окремо" in set_aside_text(result)


def test_many_changes_kept_aside_are_left_where_they_are_by_later_imports(office, laptop, tmp_path, monkeypatch):
    """Every import read, deleted and wrote anew every change kept aside, all in one statement: a trusted laptop's
    40,000 for made-up measures and the office imported nothing more (Windows' SQLite: 32,766 variables)."""
    import sqlite3

    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=10)
        export_package(tmp_path / "first.pkg", "ноутбук")
        _, key = signing_key()
    package = read_package(tmp_path / "first.pkg")
    made_up = [dataclasses.replace(package.events[0], uid=f"{n:032x}", parents=(), measure=f"9.9.{n}",
                                   measure_uid=f"{n:032x}", signature=None) for n in range(1, 1201)]
    write_package(tmp_path / "made-up.pkg", package.header, made_up, private_key=key)
    with laptop:
        save("1.2.8", Q1, "Петро", percent=20)
        export_package(tmp_path / "next.pkg", "ноутбук")
    with office:
        database.connection().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        # more than any amendment would give, with those kept already: refused whole (the file grew without end)
        monkeypatch.setattr(merge, "MAX_KEPT_ASIDE", 1000)
        with nothing_changes(), pytest.raises(PackageError, match="Пакет від «ноутбук» має змін для заходів, яких у "
                                                                "плані тут немає: 1200, а окремо збережено таких уже 0"):
            import_package(tmp_path / "made-up.pkg", "Оля")
        monkeypatch.setattr(merge, "MAX_KEPT_ASIDE", 100_000)
        assert import_package(tmp_path / "made-up.pkg", "Оля").set_aside == 1200
        before = list(PendingEvent.select(PendingEvent.id, PendingEvent.event_uid).order_by(PendingEvent.id).tuples())
        result = import_package(tmp_path / "next.pkg", "Оля")
        assert result.set_aside == 0 and value("1.2.8", Q1, "percent") == 20
        assert list(PendingEvent.select(PendingEvent.id, PendingEvent.event_uid).order_by(PendingEvent.id)
                    .tuples()) == before  # untouched
        aside = set_aside_changes()
        assert aside.count == 1200 and len(aside.codes) == 1200 and aside.devices == ("ноутбук",)
        assert take_set_aside("Оля") == 0
        # listed, what the list leaves out is counted, not guessed («… і ще 400» under 320,000)
        lines = listed_lines(aside, 100)
        assert len(lines) == 101 and lines[-1] == ("… перелік скорочено: показано значень — 100; усього окремо "
                                                   "збережено змін — 1200.")
        assert dismiss_set_aside(["9.9.1", "9.9.2"], "Оля") == 2 and set_aside_changes().count == 1198
        assert dismiss_set_aside(None, "Оля") == 1198 and set_aside_changes().count == 0
        again = import_package(tmp_path / "made-up.pkg", "Оля")  # taken off the list: not kept aside anew
        assert again.set_aside == 0 and again.skipped == 1200 and set_aside_changes().count == 0
        export_package(tmp_path / "office.pkg", "офіс", full=True)
    assert not [e for e in read_package(tmp_path / "office.pkg").events if e.measure.startswith("9.9.")]


def test_a_lost_package_is_sent_again_until_the_office_confirms(office, laptop, tmp_path):
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=10)
        export_package(tmp_path / "lost.pkg", "ноутбук")  # never reaches the office
        save("3.1.1", Q1, "Петро", status="in_progress", percent=5)
    send(laptop, office, tmp_path)
    with office:
        assert value("1.2.8", Q1, "percent") == 10
    send(office, laptop, tmp_path)  # carries the office's confirmation
    with laptop:
        save("3.1.1", Q1, "Петро", percent=15)
        incremental = export_package(tmp_path / "next.pkg", "ноутбук")
    assert not incremental.full
    assert {e.measure for e in read_package(tmp_path / "next.pkg").events} == {"3.1.1"}


def test_a_change_that_breaks_a_rule_with_the_merged_record_is_a_conflict(office, laptop, tmp_path):
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=50)
    send(office, laptop, tmp_path)
    with laptop:
        save("1.2.8", Q1, "Петро", status="done", percent=100, note="ноутбук")
    with office:
        save("1.2.8", Q1, "Оля", percent=60, note="офіс")
    result = send(laptop, office, tmp_path)
    assert result.conflicts == 3
    with office:
        assert (value("1.2.8", Q1, "status"), value("1.2.8", Q1, "percent")) == ("in_progress", 60)
        by_field = {c.field: c for c in list_conflicts()}
        assert "Виконано" in by_field["status"].reason
        with pytest.raises(ValidationError) as refused:  # still 60 %: the rule holds at resolution too
            resolve_conflict(by_field["status"].id, "incoming", author="Оля")
        # and it names the conflict to resolve first
        assert f"конфлікт № {by_field['percent'].id} (Виконання, %): розв'яжіть спершу його" in str(refused.value)
        assert f"№ {by_field['note'].id}" not in str(refused.value)  # the note's cannot make it valid
        resolve_conflict(by_field["percent"].id, "incoming", author="Оля")
        # the status followed ours and only waited for 100 %: it is applied now, not asked about
        assert (value("1.2.8", Q1, "status"), value("1.2.8", Q1, "percent")) == ("done", 100)
        assert [c.field for c in list_conflicts()] == ["note"]
        assert Conflict.get_by_id(by_field["status"].id).resolution == "applied"
        resolve_conflict(by_field["note"].id, "local", author="Оля")
    send(office, laptop, tmp_path)
    with laptop:
        assert list_conflicts() == []
        assert (value("1.2.8", Q1, "status"), value("1.2.8", Q1, "percent")) == ("done", 100)


def test_a_refused_resolution_with_no_conflict_left_to_resolve_says_where_to_change_the_other_field(
        office, laptop, tmp_path):
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=50)
    send(office, laptop, tmp_path)
    with laptop:
        save("1.2.8", Q1, "Петро", status="done", percent=100)
    with office:
        save("1.2.8", Q1, "Оля", status="partially_done", percent=60)
    send(laptop, office, tmp_path)
    with office:
        by_field = {c.field: c for c in list_conflicts()}
        resolve_conflict(by_field["percent"].id, "local", author="Оля")  # 60 % stays
        with pytest.raises(ValidationError) as refused:
            resolve_conflict(by_field["status"].id, "incoming", author="Оля")  # «Виконано» with 60 %
        assert "у формі заходу" in str(refused.value) and "№" not in str(refused.value)


def test_resolving_an_unknown_conflict(office):
    with office:
        with pytest.raises(NotFoundError, match="Конфлікту № 99"):
            resolve_conflict(99, "local")
        with pytest.raises(ValidationError):
            resolve_conflict(1, "maybe")


def test_an_office_on_postgresql_merges_a_laptop_and_sends_back(pg_url, standalone, tmp_path):
    office = Device("office", pg_url)
    with office:
        ensure_bundled_plan()
        save("1.2.8", Q1, "Оля", status="in_progress", percent=10)
    introduce(office, standalone)
    send(office, standalone, tmp_path)
    with standalone:
        save("1.2.8", Q1, "Петро", percent=30, note="з ноутбука")
        save("3.1.1", Q2, "Петро", status="in_progress", percent=5)
    with office:
        save("1.2.8", Q1, "Оля", percent=45)
    result = send(standalone, office, tmp_path)
    assert (result.conflicts, result.pending) == (1, 0)
    with office:
        assert (value("1.2.8", Q1, "percent"), value("1.2.8", Q1, "note")) == (45, "з ноутбука")
        resolve_conflict(list_conflicts()[0].id, "incoming", author="Оля")
        office_values = progress_values()
    send(office, standalone, tmp_path)
    with standalone:
        assert progress_values() == office_values and list_conflicts() == []
    assert send(standalone, office, tmp_path).changed is False


# -- hostile packages -----------------------------------------------------------------------------

@pytest.fixture
def laptop_key(laptop):
    with laptop:
        return signing_key()[1]


@pytest.fixture
def good_package(laptop, tmp_path):
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=30, note="ноутбук")
        export_package(tmp_path / "good.pkg", "ноутбук")
    return tmp_path / "good.pkg"


def _signed_again(path, document, private_key):
    """The document signed with ``private_key``, as if its device had made it so."""
    body = {k: v for k, v in document.items() if k != "signature"}
    path.write_bytes(gzip.compress(json.dumps(dict(body, signature=signature(body, private_key)),
                                              ensure_ascii=False).encode()))


def _refused(office, path, match):
    with office:
        save("2.2.11", Q1, "Оля", status="in_progress", percent=5)
        with nothing_changes():
            with pytest.raises(TrackerError, match=match):
                import_package(path, "Оля")


def test_damaged_package_is_refused(office, tmp_path):
    path = tmp_path / "noise.pkg"
    path.write_bytes(random.Random(5).randbytes(4096))
    _refused(office, path, "пошкоджений")


def test_random_bytes_after_the_gzip_header_are_refused(office, tmp_path):
    path = tmp_path / "noise.pkg"
    path.write_bytes(b"\x1f\x8b" + random.Random(7).randbytes(4096))
    _refused(office, path, "пошкоджений")


def test_truncated_package_is_refused(office, good_package):
    data = good_package.read_bytes()
    good_package.write_bytes(data[:len(data) // 2])
    _refused(office, good_package, "пошкоджений або обрізаний")


def test_tampered_package_is_refused(office, good_package):
    document = json.loads(gzip.decompress(good_package.read_bytes()))
    [event] = [e for e in document["events"] if e["field"] == "percent"]
    event["new"] = "90"  # the signature stays the old one
    good_package.write_bytes(gzip.compress(json.dumps(document, ensure_ascii=False).encode()))
    _refused(office, good_package, "підпис не збігається")


def test_tampered_plain_json_is_refused_too(office, good_package):
    document = json.loads(gzip.decompress(good_package.read_bytes()))
    document["header"]["device"]["name"] = "хтось інший"
    good_package.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    _refused(office, good_package, "підпис не збігається")


def test_package_of_another_plan_is_refused(office, good_package, laptop_key):
    package = read_package(good_package)
    h = package.header
    foreign = Header("0123456789abcdef0123", "Інший план", h.device_uid, h.device_name, h.created_at, h.base, h.top,
                     device_key=h.device_key)
    write_package(good_package, foreign, package.events, private_key=laptop_key)
    _refused(office, good_package, "іншого плану")


def test_well_formed_package_with_an_impossible_value_is_refused(office, good_package, laptop_key):
    document = json.loads(gzip.decompress(good_package.read_bytes()))
    [event] = [e for e in document["events"] if e["field"] == "percent"]
    event["new"] = "250"
    _signed_again(good_package, document, laptop_key)  # even by the trusted laptop itself
    _refused(office, good_package, "неправильний відсоток")


def test_not_a_package(office, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    _refused(office, path, "не є пакетом змін")


def test_missing_file(office, tmp_path):
    _refused(office, tmp_path / "nowhere.pkg", "nowhere.pkg» немає. Перевірте шлях")


def test_a_refusal_reads_in_the_chosen_language(office, good_package):
    document = json.loads(gzip.decompress(good_package.read_bytes()))
    document["events"][0]["quarter"] = 5
    good_package.write_bytes(gzip.compress(json.dumps(document, ensure_ascii=False).encode()))
    i18n.set_language("en")
    try:
        _refused(office, good_package, "signature does not match")
    finally:
        i18n.set_language("uk")


def test_the_file_says_site_where_the_code_says_device(good_package):
    """The file's keys stay as they were, so packages of older and newer programs read each other."""
    document = json.loads(gzip.decompress(good_package.read_bytes()))
    device_uid = document["header"]["device"]["uid"]
    assert document["header"]["sites"] == {device_uid: "ноутбук"}
    assert {event["site"] for event in document["events"]} == {device_uid}
    package = read_package(good_package)
    assert package.header.devices == {device_uid: "ноутбук"}
    assert {event.device for event in package.events} == {device_uid}


# -- migration 0002 -------------------------------------------------------------------------------

def test_existing_history_gets_the_same_identity_in_separately_upgraded_copies(tmp_path):
    old = tmp_path / "old.sqlite3"
    db = SqliteDatabase(str(old), pragmas={"foreign_keys": 1})
    Runner(db, str(MIGRATIONS_DIR)).up(target="0001_initial")
    db.execute_sql("INSERT INTO plan (uid, title, first_year, last_year, source_name, imported_at) "
                   "VALUES ('p', 'План', 2024, 2027, '', '2024-01-01')")
    db.execute_sql("INSERT INTO strategic_goal (plan_id, number, title) VALUES (1, 1, 'Ц')")
    db.execute_sql("INSERT INTO operational_goal (strategic_goal_id, code, position, title) VALUES (1, '1.1', 1, 'О')")
    db.execute_sql("INSERT INTO task (operational_goal_id, position, title) VALUES (1, 1, 'З')")
    db.execute_sql("INSERT INTO measure (plan_id, task_id, code, position, title, source_line) "
                   "VALUES (1, 1, '1.1.1', 1, 'Захід', 0)")
    for change_set, field, new in (("a", "percent", "10"), ("a", "status", "in_progress"), ("b", "percent", "20")):
        db.execute_sql("INSERT INTO history (measure_id, year, quarter, field, old_value, new_value, changed_at, "
                       "changed_by, origin, change_set) VALUES (1, 2025, 1, ?, NULL, ?, '2025-01-01', '', '', ?)",
                       (field, new, change_set))
    db.close()
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(old.read_bytes())
    identities = []
    for path in (old, copy):
        with Device("s", path):
            identities.append([(r.event_uid, r.parent_uid, r.applied) for r in History.select().order_by(History.id)])
    assert identities[0] == identities[1]
    (p10, none10, _), (_, none_status, _), (p20, parent20, applied) = identities[0]
    assert none10 is None and none_status is None and parent20 == p10 and applied and p20 != p10


# -- command line ---------------------------------------------------------------------------------

def _cli(*argv):
    parser = argparse.ArgumentParser(prog="tracker")
    sub = parser.add_subparsers(dest="command")
    cli_exchange.add_arguments(sub)
    return cli_exchange.run(parser.parse_args(list(argv)))


def test_command_line_round(office, laptop, tmp_path, capsys):
    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=10)
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=35)
        assert _cli("exchange", "export", "-o", str(tmp_path / "l.pkg"), "--device", "Ноутбук 2") == 0
    assert "Ноутбук 2" in capsys.readouterr().out
    with office:
        assert _cli("exchange", "import", str(tmp_path / "l.pkg"), "--author", "Оля") == 0
        assert "нових конфліктів: 1" in capsys.readouterr().out
        assert _cli("exchange", "conflicts") == 0
        out = capsys.readouterr().out
        assert "1.2.8" in out and "Петро" in out and "«Ноутбук 2»" in out and "35" in out
        assert _cli("exchange", "conflicts", "--json") == 0
        [item] = json.loads(capsys.readouterr().out)
        assert (item["local"]["value"], item["incoming"]["value"]) == ("10", "35")
        assert _cli("exchange", "resolve", str(item["id"]), "--take", "incoming") == 0
        assert value("1.2.8", Q1, "percent") == 35
        assert _cli("exchange", "conflicts") == 0
        assert "Конфліктів немає" in capsys.readouterr().out
        assert _cli("exchange", "import", str(tmp_path / "l.pkg")) == 0
        assert "Нічого не змінено" in capsys.readouterr().out


def test_exchange_modules_import_no_qt():
    script = ("import sys, tracker.exchange.sync, tracker.cli.exchange; "
              "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; print('ok')")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_models_are_known_to_the_schema(office):
    with office:
        for model in (Conflict, PendingEvent, Measure, Plan):
            assert model.table_exists()
        assert counts()["conflicts"] == 0


@pytest.mark.parametrize("where, text", [("new", "нотатка\x00"), ("by", "Оля\x0b"), ("by", "О" * 201)])
def test_a_package_with_control_characters_or_overlong_names_is_refused(tmp_path, where, text):
    """A NUL from a laptop once made a PostgreSQL office refuse every later package of that laptop."""
    import gzip
    import json

    from tracker.exchange.package import PackageError, checksum, read_package

    event = {"uid": "a" * 32, "parents": [], "site": "b" * 32, "measure": "1.1.1", "year": 2025, "quarter": 1,
             "field": "note", "old": None, "new": "нотатка", "by": "Оля", "at": "2025-03-01T10:00:00",
             "change_set": "c" * 32}
    event[where] = text
    body = {"format": "lutsk-tracker-exchange", "version": 1,
            "header": {"plan": {"uid": "p", "title": "План"}, "device": {"uid": "b" * 32, "name": "ноутбук"},
                       "created_at": "2025-03-01T10:00:00", "base": {"seq": 0, "uid": None},
                       "top": {"seq": 1, "uid": "a" * 32}, "acks": {}, "sites": {}, "events": 1},
            "events": [event]}
    path = tmp_path / "p.trackerpkg"
    path.write_bytes(gzip.compress(json.dumps(dict(body, checksum=checksum(body))).encode()))
    with pytest.raises(PackageError, match="неприпустимий текст"):
        read_package(path)


# -- the copy made before a package is merged --------------------------------------------------------------

def test_the_copy_before_an_import_holds_the_database_as_it_was_before_the_merge(office, laptop, tmp_path):
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=30)
        path = tmp_path / "laptop.pkg"
        export_package(path, "ноутбук")
    with office:
        save("2.2.11", Q1, "Оля", status="in_progress", percent=5)
        result = import_package(path, "Оля")
        assert result.applied == 2 and value("1.2.8", Q1, "percent") == 30
        copies = [b for b in backup.list_backups() if b.reason == "import"]
        assert len(copies) == 1  # made while the package was merged, and finished before it was committed
        plan = current_plan()
        percents = {measure_id: percent for measure_id, percent in _rows(
            copies[0].path, "SELECT measure_id, percent FROM progress WHERE year = ? AND quarter = ?",
            (Q1.year, Q1.number))}
        assert percents == {find_measure(plan, "2.2.11").id: 5}  # the office's own save; not the package's
        assert not list(backup.backup_dir().glob(".*"))  # no half copy, no -wal or -shm of the copy left


def test_a_package_is_not_merged_into_a_database_whose_copy_is_found_damaged(office, laptop, tmp_path, monkeypatch):
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=30)
        path = tmp_path / "laptop.pkg"
        export_package(path, "ноутбук")
    monkeypatch.setattr(backup, "copy_problem", lambda connection, full: "row 7 missing from index")
    with office:
        with nothing_changes():
            with pytest.raises(TrackerError, match="пошкоджено.*row 7 missing"):
                import_package(path, "Оля")
        assert not [b for b in backup.list_backups() if b.reason == "import"]
        assert not ExchangeLog.select().exists()


def _rows(path: Path, query: str, params: tuple) -> list:
    import sqlite3  # a copy is read as the file it is, outside the program's connection

    connection = sqlite3.connect(path)
    try:
        return connection.execute(query, params).fetchall()
    finally:
        connection.close()


def test_a_database_s_own_package_taken_back_is_said_to_be_its_own(office, laptop, tmp_path, capsys):
    """The clerk picked the file the office had made itself: «Усі зміни … вже є» alone did not say the file was the
    wrong one."""
    from tracker.exchange.sync import own_package_text

    with office:
        save("1.2.8", Q1, "Оля", status="in_progress", percent=30)
        export_package(tmp_path / "office.pkg", "офіс")
        result = import_package(tmp_path / "office.pkg", "Оля")
        assert result.own and not result.changed
        assert "зроблено цією ж базою" in own_package_text(result)
    with laptop:
        assert not import_package(tmp_path / "office.pkg", "Петро").own
