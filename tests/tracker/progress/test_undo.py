"""Undo of a saved change restores the previous values and is itself in the history."""

import datetime as dt
from decimal import Decimal

import pytest

from tracker.errors import NotFoundError, ValidationError
from tracker.progress.records import find_measure, quarter_record, save_progress, states_as_of
from tracker.progress.undo import undo_change_set
from tracker.progress.status import Status
from tracker.quarters import Quarter
from tracker.storage.models import History

Q1, Q2 = Quarter(2025, 1), Quarter(2025, 2)


def _record(measure, quarter):
    return quarter_record(measure, quarter)


def test_undo_restores_previous_values(plan):
    measure = find_measure(plan, "1.2.8")
    save_progress(measure, Q1, {"status": "in_progress", "percent": 30, "note": "перший", "planned_financing": "12,5"},
                  author="Оля")
    second = save_progress(measure, Q1, {"percent": 55, "note": "другий", "planned_financing": "20"}, author="Оля")
    undo = undo_change_set(second.change_set, author="Оля")
    record = _record(measure, Q1)
    assert (record.percent, record.note, record.planned_financing) == (30, "перший", Decimal("12.5"))
    assert sorted(undo.changed_fields) == ["note", "percent", "planned_financing"]
    undo_rows = list(History.select().where(History.change_set == undo.change_set))
    assert {(r.field, r.old_value, r.new_value) for r in undo_rows} == {
        ("percent", "55", "30"), ("note", "другий", "перший"), ("planned_financing", "20.0", "12.5")}
    assert all(r.origin == "скасування" and r.changed_by == "Оля" for r in undo_rows)


def test_undo_of_a_first_save_removes_the_record(plan):
    measure = find_measure(plan, "2.2.11")
    save_progress(measure, Q1, {"status": "in_progress", "percent": 20}, author="a")
    result = save_progress(measure, Q2, {"status": "done", "percent": 100}, author="a")
    undo_change_set(result.change_set, author="a")
    assert _record(measure, Q2) is None
    state = states_as_of(plan, Q2)[measure.id]
    assert (state.status, state.percent, state.reported) == (Status.IN_PROGRESS, 20, False)
    assert History.select().where((History.measure == measure) & (History.field == "record")
                                  & (History.new_value == "deleted")).count() == 1


def test_undo_refused_when_changed_since(plan):
    measure = find_measure(plan, "3.1.1")
    first = save_progress(measure, Q1, {"status": "in_progress", "percent": 10}, author="a")
    save_progress(measure, Q1, {"percent": 40}, author="b")
    before = History.select().count()
    with pytest.raises(ValidationError, match="змінено після"):
        undo_change_set(first.change_set, author="a")
    assert _record(measure, Q1).percent == 40
    assert History.select().count() == before


def test_undo_of_a_first_save_refused_when_the_record_got_more_since(plan):
    """Removing the record would take a later note with it (e.g. one merged from a laptop's package)."""
    measure = find_measure(plan, "3.1.1")
    first = save_progress(measure, Q2, {"status": "in_progress", "percent": 10}, author="a")
    save_progress(measure, Q2, {"note": "з ноутбука"}, author="b")
    with pytest.raises(ValidationError, match="змінено після"):
        undo_change_set(first.change_set, author="a")
    assert _record(measure, Q2).note == "з ноутбука"


def test_undo_of_unknown_change_set(plan):
    with pytest.raises(NotFoundError):
        undo_change_set("nope")


def test_an_undo_is_asked_about_with_when_and_the_values_that_come_back(plan):
    from tracker.progress.undo import undo_summary

    measure = find_measure(plan, "1.1.1")
    q = Quarter(2025, 2)
    first = save_progress(measure, q, {"status": "in_progress", "percent": 30, "note": "н" * 200}, author="Іван",
                          now=dt.datetime(2025, 6, 1, 9, 40))
    second = save_progress(measure, q, {"percent": 45}, author="Іван", now=dt.datetime(2025, 6, 2, 10, 5))
    assert undo_summary(second.change_set) == (dt.datetime(2025, 6, 2, 10, 5), ["Виконання, %: 45 % → 30 %"])
    when, lines = undo_summary(first.change_set)
    assert lines[:2] == ["Стан: Виконується → не подано", "Виконання, %: 30 % → не подано"]
    assert lines[2].startswith("Інформація про виконання: ннн") and lines[2].endswith("… → не подано")


def test_an_undo_across_an_amendment_names_the_measure_by_its_code_now_and_writes_no_hidden_quarter(plan, tmp_path):
    """1.1.3 removed and 1.1.4 renumbered 1.1.3 from I кв. 2026 after two saves of that quarter: undoing the first
    deleted the removed measure's hidden record without a word; the second was asked about as «1.1.4» — another
    measure now."""
    from tests.tracker.plan.test_amendment import amended, remove_and_renumber
    from tracker.plan.amend import apply_file
    from tracker.progress.undo import saved_code

    quarter = Quarter(2026, 1)
    old_113, old_114 = find_measure(plan, "1.1.3"), find_measure(plan, "1.1.4")
    on_113 = save_progress(old_113, quarter, {"status": "in_progress", "percent": 10}, author="Оля").change_set
    on_114 = save_progress(old_114, quarter, {"status": "in_progress", "percent": 20}, author="Оля").change_set
    apply_file(amended(tmp_path, remove_and_renumber), decision="рішення № 71/14", effective=quarter, author="Оля")
    assert saved_code(on_114) == ("1.1.3", quarter)
    with pytest.raises(ValidationError, match="Захід 1.1.3 «Удосконалення дуальної освіти.*» виключено з плану на I кв. "
                                              "2026 \\(рішення № 71/14\\) вже після"):
        undo_change_set(on_113, author="Оля")
    assert _record(old_113, quarter).percent == 10  # nothing changed
    undo_change_set(on_114, author="Оля")
    assert _record(old_114, quarter) is None
