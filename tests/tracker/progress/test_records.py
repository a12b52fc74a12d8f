"""Saving progress with validation and history; the state of measures as of a quarter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tracker.errors import NotFoundError, ValidationError
from tracker.progress.records import (
    draft_values,
    find_measure,
    measure_history,
    measure_records,
    save_progress,
    states_as_of,
)
from tracker.progress.rules import form_problem, form_problem_at, parse_money, parse_percent
from tracker.progress.status import Status
from tracker.quarters import Quarter
from tracker.storage.models import History, Progress

Q = Quarter.parse


@pytest.fixture
def measure(plan):
    return find_measure(plan, "1.2.8")


def table_rows():
    return Progress.select().count(), History.select().count()


# -- finding measures ------------------------------------------------------------------------------

def test_find_measure(plan):
    assert find_measure(plan, "1.2.8").title == "Встановлення соціальних квот при погодженні багатоквартирної забудови"
    assert find_measure(plan, " 3.1.4 ").code == "3.1.4"


@pytest.mark.parametrize("code", ["9.9.9", "2.2.16", "1.2", "", "abc"])
def test_unknown_code_not_found(plan, code):
    with pytest.raises(NotFoundError, match="Заходу з кодом"):
        find_measure(plan, code)


# -- validation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("quarter", ["2023Q4", "2028Q1", "2030Q2"])
def test_quarter_outside_plan_refused(measure, quarter):
    with pytest.raises(ValidationError, match="поза межами плану"):
        save_progress(measure, Q(quarter), {"status": "in_progress", "percent": 10})
    assert table_rows() == (0, 0)


@pytest.mark.parametrize("quarter", ["2024Q1", "2027Q4"])
def test_first_and_last_quarter_of_plan_accepted(measure, quarter):
    result = save_progress(measure, Q(quarter), {"status": "in_progress", "percent": 10})
    assert result.change_set is not None
    assert Progress.get(Progress.measure == measure).quarter == Q(quarter).number


@pytest.mark.parametrize("percent", [-1, 101, "abc", 50.5, "50.5", "", None, True, "1e400", "NaN"])
def test_bad_percent_refused(measure, percent):
    with pytest.raises(ValidationError, match="Відсоток"):
        save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": percent})
    assert table_rows() == (0, 0)


@pytest.mark.parametrize("given, stored", [(0, 0), (100, 100), ("55", 55), (" 70 % ", 70), ("80,0", 80), (40.0, 40)])
def test_good_percent_accepted(measure, given, stored):
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": given})
    assert Progress.get(Progress.measure == measure).percent == stored


@pytest.mark.parametrize("percent", [0, 99, 50])
def test_done_needs_100(measure, percent):
    with pytest.raises(ValidationError, match="Виконано"):
        save_progress(measure, Q("2025Q1"), {"status": "Виконано", "percent": percent})
    assert table_rows() == (0, 0)


def test_done_without_percent_refused(measure):
    with pytest.raises(ValidationError):
        save_progress(measure, Q("2025Q1"), {"status": "done"})
    assert table_rows() == (0, 0)


@pytest.mark.parametrize("percent", [1, 50, 100])
def test_not_started_needs_0(measure, percent):
    with pytest.raises(ValidationError, match="Не розпочато"):
        save_progress(measure, Q("2025Q1"), {"status": "Не розпочато", "percent": percent})
    assert table_rows() == (0, 0)


def test_percent_cannot_break_a_saved_status(measure):
    save_progress(measure, Q("2025Q1"), {"status": "done", "percent": 100})
    before = list(Progress.select().tuples()), list(History.select().tuples())
    with pytest.raises(ValidationError):
        save_progress(measure, Q("2025Q1"), {"percent": 90})
    assert (list(Progress.select().tuples()), list(History.select().tuples())) == before


@pytest.mark.parametrize("given, status", [
    ("Виконано", Status.DONE), ("done", Status.DONE), ("  виконано ", Status.DONE), ("DONE", Status.DONE),
    ("Частково  виконано", Status.PARTIALLY_DONE), ("partially_done", Status.PARTIALLY_DONE),
    ("Втратило актуальність", Status.OBSOLETE), (Status.OBSOLETE, Status.OBSOLETE),
])
def test_status_by_label_or_code(measure, given, status):
    percent = 100 if status is Status.DONE else 0
    save_progress(measure, Q("2025Q1"), {"status": given, "percent": percent})
    assert Progress.get(Progress.measure == measure).status == status.value


@pytest.mark.parametrize("status", ["Зроблено", "finished", ""])
def test_unknown_status_refused(measure, status):
    with pytest.raises(ValidationError, match="Невідомий стан"):
        save_progress(measure, Q("2025Q1"), {"status": status, "percent": 0})
    assert table_rows() == (0, 0)


def test_first_record_needs_a_status(measure):
    with pytest.raises(ValidationError, match="ще не вказано «Стан». Вкажіть його."):
        save_progress(measure, Q("2025Q1"), {"percent": 20, "note": "щось"})
    assert table_rows() == (0, 0)


def test_unknown_field_refused(measure):
    with pytest.raises(ValidationError, match="Невідоме поле"):
        save_progress(measure, Q("2025Q1"), {"status": "in_progress", "budget": 5})
    assert table_rows() == (0, 0)


@pytest.mark.parametrize("money", ["abc", "-1", "1e12", "Infinity"])
def test_bad_money_refused(measure, money):
    with pytest.raises(ValidationError, match="Сума"):
        save_progress(measure, Q("2025Q1"), {"status": "in_progress", "actual_financing": money})
    assert table_rows() == (0, 0)


def test_parse_money():
    assert parse_money("1 250,55") == Decimal("1250.6")
    assert parse_money("1\u00a0000") == Decimal("1000.0")
    assert parse_money("") is None and parse_money(None) is None


def test_parse_percent():
    assert parse_percent("100%") == 100
    with pytest.raises(ValidationError):
        parse_percent(False)


def test_refused_save_after_earlier_saves_writes_nothing(measure, plan):
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 20, "note": "почато"}, author="Оля")
    other = find_measure(plan, "1.1.1")
    save_progress(other, Q("2025Q1"), {"status": "not_started", "percent": 0}, author="Оля")
    before = list(Progress.select().tuples()), list(History.select().tuples())
    for changes in ({"percent": 101}, {"status": "Виконано", "percent": 80}, {"status": "???"},
                    {"status": "Не розпочато"}, {"percent": "сорок"}):
        with pytest.raises(ValidationError):
            save_progress(measure, Q("2025Q1"), changes, author="Оля")
        with pytest.raises(ValidationError):
            save_progress(measure, Q("2025Q2"), changes, author="Оля")
    assert (list(Progress.select().tuples()), list(History.select().tuples())) == before


# -- history ---------------------------------------------------------------------------------------

def test_history_of_a_new_record(measure):
    when = dt.datetime(2025, 4, 3, 10, 15)
    result = save_progress(measure, Q("2025Q1"), {"status": "Виконується", "percent": "40", "note": "Розпочато"},
                           author="Олена Петрук", origin="командний рядок", now=when)
    assert result.change_set
    assert set(result.changed_fields) == {"status", "percent", "note"}
    rows = measure_history(measure)
    assert {(h.field, h.old_value, h.new_value) for h in rows} == {
        ("record", None, "created"), ("status", None, "in_progress"), ("percent", None, "40"),
        ("note", None, "Розпочато")}
    assert {(h.changed_by, h.origin, h.change_set, h.changed_at, h.year, h.quarter) for h in rows} == {
        ("Олена Петрук", "командний рядок", result.change_set, when, 2025, 1)}
    record = Progress.get(Progress.measure == measure)
    assert (record.updated_by, record.updated_at, record.version) == ("Олена Петрук", when, 1)


def test_history_of_a_change(measure):
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 40, "note": "Розпочато"},
                  author="Олена", origin="вікно")
    before = History.select().count()
    result = save_progress(measure, Q("2025Q1"), {"status": "done", "percent": 100, "note": "Розпочато"},
                           author="Іван", origin="імпорт звіту")
    assert result.changed_fields == ["status", "percent"]
    new = list(History.select().where(History.change_set == result.change_set).order_by(History.id))
    assert History.select().count() == before + 2
    assert [(h.field, h.old_value, h.new_value, h.changed_by, h.origin) for h in new] == [
        ("status", "in_progress", "done", "Іван", "імпорт звіту"),
        ("percent", "40", "100", "Іван", "імпорт звіту")]
    record = Progress.get(Progress.measure == measure)
    assert (record.status, record.percent, record.version, record.updated_by) == ("done", 100, 2, "Іван")


def test_saving_the_same_values_changes_nothing(measure):
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 40}, author="Олена")
    before = list(Progress.select().tuples()), list(History.select().tuples())
    result = save_progress(measure, Q("2025Q1"), {"status": "Виконується", "percent": "40"}, author="Іван")
    assert (result.change_set, result.changed_fields) == (None, [])
    assert (list(Progress.select().tuples()), list(History.select().tuples())) == before


def test_financing_history_and_rounding(measure):
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 10, "planned_financing": "100,04"})
    save_progress(measure, Q("2025Q1"), {"planned_financing": "100,0"})  # same after rounding
    assert [h.new_value for h in measure_history(measure) if h.field == "planned_financing"] == ["100.0"]
    save_progress(measure, Q("2025Q1"), {"planned_financing": ""})
    assert [(h.old_value, h.new_value) for h in measure_history(measure) if h.field == "planned_financing"] == [
        (None, "100.0"), ("100.0", None)]


# -- as of a quarter -------------------------------------------------------------------------------

def test_nothing_before_the_first_record(plan, measure):
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 30})
    assert states_as_of(plan, Q("2024Q4")) == {}
    assert states_as_of(plan, Q("2024Q1")) == {}


def test_carry_forward(plan, measure):
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 30, "note": "перший звіт"})
    at = states_as_of(plan, Q("2025Q1"))[measure.id]
    assert (at.reported, at.quarter, at.status, at.percent, at.note) == (
        True, Q("2025Q1"), Status.IN_PROGRESS, 30, "перший звіт")
    for later in ("2025Q2", "2025Q3", "2027Q4"):
        state = states_as_of(plan, Q(later))[measure.id]
        assert state.reported is False
        assert state.quarter == Q("2025Q1")
        assert (state.status, state.percent) == (Status.IN_PROGRESS, 30)
    assert Progress.select().count() == 1  # reading writes nothing


def test_latest_record_wins(plan, measure):
    save_progress(measure, Q("2025Q3"), {"status": "partially_done", "percent": 80})
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 30})
    assert states_as_of(plan, Q("2025Q2"))[measure.id].percent == 30
    assert states_as_of(plan, Q("2025Q3"))[measure.id].reported is True
    assert states_as_of(plan, Q("2026Q1"))[measure.id].status is Status.PARTIALLY_DONE


def test_states_as_of_limited_to_measures(plan, measure):
    other = find_measure(plan, "1.1.1")
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 30})
    save_progress(other, Q("2025Q1"), {"status": "in_progress", "percent": 50})
    assert set(states_as_of(plan, Q("2025Q1"))) == {measure.id, other.id}
    assert set(states_as_of(plan, Q("2025Q1"), [other.id])) == {other.id}


def test_a_quarters_states_read_together_equal_each_record_read_by_itself(plan, measure):
    """states_as_of converts raw rows itself (quickly, thousands at once): each state equals the one made from its
    record as peewee reads it, every field, time (with and without microseconds), author and version."""
    from tracker.progress.records import ProgressState, _state

    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 30, "note": "перший",
                                         "planned_financing": "1 250,5", "actual_financing": "99,99"}, author="Оксана",
                  now=dt.datetime(2025, 3, 1, 9, 30, 15, 123456))
    other = find_measure(plan, "1.1.1")
    save_progress(other, Q("2024Q4"), {"status": "done", "percent": 100, "remarks": "без зауважень"}, author="Петро",
                  now=dt.datetime(2024, 12, 20, 17, 0, 0))
    read = states_as_of(plan, Q("2025Q1"))
    for record in Progress.select():
        assert read[record.measure_id] == _state(record, Q("2025Q1"))
    assert read[measure.id].updated_at == dt.datetime(2025, 3, 1, 9, 30, 15, 123456)
    assert read[other.id].updated_at == dt.datetime(2024, 12, 20, 17, 0, 0) and not read[other.id].reported
    assert read[measure.id].planned_financing == Decimal("1250.5")
    made = ProgressState.made(1, Q("2025Q1"), True, {"percent": 5}, dt.datetime(2025, 1, 1), "x", 2)
    assert made == ProgressState(1, Q("2025Q1"), True, {"percent": 5}, dt.datetime(2025, 1, 1), "x", 2)
    assert made.percent == 5 and hash(made.quarter) == hash(Q("2025Q1"))
    with pytest.raises(AttributeError):
        made.version = 3  # as frozen as the constructor's


def test_the_quick_time_reader_gives_what_peewee_gives_and_leaves_odd_texts_to_it():
    from tracker.progress.records import _time_reader

    read = _time_reader(Progress.updated_at)
    for text in ("2025-03-01 09:30:15", "2025-03-01 09:30:15.123456", "2025-03-01", "not a time at all!!"):
        assert read(text) == Progress.updated_at.python_value(text)
    when = dt.datetime(2025, 3, 1, 9, 30)
    assert read(when) == when and read(None) is None


def test_new_quarter_carries_status_and_percent_not_note(measure):
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 30, "note": "перший звіт",
                                         "remarks": "зауваження", "planned_financing": "200",
                                         "actual_financing": "50"})
    result = save_progress(measure, Q("2025Q2"), {"percent": 45})
    q2 = Progress.get(Progress.measure == measure, Progress.quarter == 2)
    assert (q2.status, q2.percent, q2.note, q2.remarks) == ("in_progress", 45, "", "")
    # the year's financing carries within the year
    assert (q2.planned_financing, q2.actual_financing) == (Decimal("200.0"), Decimal("50.0"))
    assert "note" not in result.changed_fields
    q1 = Progress.get(Progress.measure == measure, Progress.quarter == 1)
    assert (q1.percent, q1.note) == (30, "перший звіт")


def test_new_year_does_not_carry_financing(measure):
    save_progress(measure, Q("2025Q4"), {"status": "in_progress", "percent": 30, "planned_financing": "200"})
    save_progress(measure, Q("2026Q1"), {"note": "новий рік"})
    q = Progress.get(Progress.measure == measure, Progress.year == 2026)
    assert (q.status, q.percent, q.note, q.planned_financing) == ("in_progress", 30, "новий рік", None)


def test_new_record_with_only_a_note_is_a_record(plan, measure):
    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 30})
    result = save_progress(measure, Q("2025Q2"), {"note": "нічого нового"})
    assert result.change_set is not None
    assert [(r.year, r.quarter) for r in measure_records(measure)] == [(2025, 1), (2025, 2)]
    assert states_as_of(plan, Q("2025Q2"))[measure.id].reported is True


def test_a_control_character_typed_into_a_note_never_reaches_the_record_or_the_report(measure, tmp_path):
    """A vertical tab pasted from Word made every later whole-plan report fail to write."""
    from openpyxl import load_workbook

    from tracker.report.export import export_report

    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 10, "note": "етап\x0bперший\x00"})
    assert draft_values(measure, Q("2025Q1"))[0]["note"] == "етапперший"
    path = export_report(measure.plan, Q("2025Q1"), tmp_path / "звіт.xlsx")
    assert load_workbook(path)["Звіт"].max_row > 8


def test_names_written_into_the_history_are_one_short_line(measure):
    save_progress(measure, Q("2025Q1"), {"status": "in_progress"}, author="Оля\x00 \n Петренко" + "я" * 300,
                  origin="звіт\x0b.xlsx")
    row = measure_history(measure)[-1]
    assert row.changed_by.startswith("Оля Петренко") and len(row.changed_by) == 200
    assert row.origin == "звіт.xlsx"


# -- saves in one batch ----------------------------------------------------------------------------

def record_and_history(measure_ids) -> tuple[list, list]:
    """Every record and history row of these measures, as save_progress and Saves both write them (no ids, uids
    or times of writing)."""
    records = [(r.measure_id, r.year, r.quarter, r.status, r.percent, r.note, r.remarks, r.planned_financing,
                r.actual_financing, r.updated_by, r.version)
               for r in Progress.select().where(Progress.measure.in_(measure_ids))
               .order_by(Progress.measure, Progress.year, Progress.quarter)]
    history = [(h.measure_id, h.year, h.quarter, h.field, h.old_value, h.new_value, h.changed_by, h.applied)
               for h in History.select().where(History.measure.in_(measure_ids)).order_by(History.id)]
    return records, history


def test_saves_in_one_batch_write_what_the_same_saves_one_by_one_write(plan):
    """Made and changed records, a quarter made from one queued before it, a record saved twice in the batch and one
    undone before being made again: what a merge queues, written as save_progress writes each."""
    from tracker.progress.records import Saves  # noqa: I001 (the batch, beside the one-by-one path above)
    from tracker.progress.undo import undo_change_set
    from tracker.storage.models import Measure, database

    measures = list(Measure.select().where(Measure.plan == plan).order_by(Measure.position).limit(6))
    saves = [(measures[0], Q("2025Q1"), {"status": "in_progress", "percent": 20, "planned_financing": "12,5"}),
             (measures[0], Q("2025Q2"), {"note": "етап 2"}),  # carries status, percent and money from the one queued
             (measures[1], Q("2025Q3"), {"status": "done", "percent": 100}),
             (measures[1], Q("2025Q3"), {"remarks": "ще раз"}),  # the same record again: reads the first save
             (measures[2], Q("2026Q1"), {"status": "not_started", "percent": 0}),
             (measures[3], Q("2025Q1"), {"percent": 60})]  # a record there, changed
    ids = [m.id for m in measures]

    def prepared():
        save_progress(measures[3], Q("2025Q1"), {"status": "in_progress", "percent": 40}, author="Оля")
        undone = save_progress(measures[2], Q("2026Q1"), {"status": "in_progress", "percent": 5}, author="Оля")
        undo_change_set(undone.change_set, author="Оля")  # made again below: its version above the one undone
        save_progress(measures[0], Q("2024Q4"), {"status": "in_progress", "percent": 10, "actual_financing": "3"})

    with database.atomic() as transaction:
        prepared()
        for measure, quarter, changes in saves:
            save_progress(measure, quarter, changes, author="Петро", now=dt.datetime(2026, 5, 4, 9, 0))
        one_by_one = record_and_history(ids)
        transaction.rollback()
    assert table_rows() == (0, 0)
    prepared()
    batch = Saves()
    with database.atomic():
        batch.load(ids, Q("2025Q1"), Q("2026Q1"))
        for measure, quarter, changes in saves:
            batch.save(measure, quarter, changes, author="Петро", now=dt.datetime(2026, 5, 4, 9, 0))
        batch.flush()
    assert record_and_history(ids) == one_by_one
    records, _ = one_by_one
    assert [(r[0], r[1], r[2], r[4], r[7], r[10]) for r in records] == [
        (ids[0], 2024, 4, 10, None, 1), (ids[0], 2025, 1, 20, Decimal("12.5"), 1),
        (ids[0], 2025, 2, 20, Decimal("12.5"), 1), (ids[1], 2025, 3, 100, None, 2),
        (ids[2], 2026, 1, 0, None, 7), (ids[3], 2025, 1, 60, None, 2)]


def test_a_made_record_carrying_a_field_replaces_its_event_queued_as_if_written(plan, measure):
    """A merge queues the events it records before the saves that apply them; a record made then carries a field
    over from the quarter before, and that field's event — queued, not yet written — is the one its new row replaces,
    as when it was written first."""
    from tracker.progress.records import Saves  # noqa: I001 (the batch, beside the one-by-one path above)
    from tracker.storage.models import database

    save_progress(measure, Q("2025Q1"), {"status": "in_progress", "percent": 10}, author="Оля")
    recorded = {"measure": measure.id, "year": 2025, "quarter": 2, "field": "status", "old_value": None,
                "new_value": "in_progress", "changed_at": dt.datetime(2025, 4, 2, 9, 0), "changed_by": "Петро",
                "origin": "пакет «ноутбук»", "change_set": "c" * 32, "applied": True, "event_uid": "e" * 32}
    batch = Saves()
    with database.atomic():
        batch.add_history([recorded])
        batch.save(measure, Q("2025Q2"), {"percent": 20}, author="Оля")  # made: the status carried from 2025Q1
        batch.flush()
    status = [(h.event_uid, h.parent_uid) for h in History.select().where(
        (History.quarter == 2) & (History.field == "status")).order_by(History.id)]
    assert status[0] == ("e" * 32, None) and status[1][1] == "e" * 32 and len(status) == 2


def test_a_save_the_rules_refuse_in_a_batch_queues_nothing_and_the_others_are_written(plan, measure):
    from tracker.progress.records import Saves  # noqa: I001 (the batch, beside the one-by-one path above)
    from tracker.storage.models import Measure, database

    other = Measure.select().where((Measure.plan == plan) & (Measure.id != measure.id)).first()
    batch = Saves()
    with database.atomic():
        batch.save(other, Q("2025Q1"), {"status": "in_progress", "percent": 30}, author="Оля")
        with pytest.raises(ValidationError, match="100"):
            batch.save(measure, Q("2025Q1"), {"status": "done", "percent": 80}, author="Оля")
        assert table_rows() == (0, 0)  # nothing written before the flush
        batch.flush()
    assert [(r.measure_id, r.percent) for r in Progress.select()] == [(other.id, 30)]
    assert {h.measure_id for h in History.select()} == {other.id}


@pytest.mark.parametrize("values, field, words", [
    ({"status": None, "percent": "40"}, "status", "Оберіть стан"),  # the form: no status chosen
    ({"status": "done", "percent": "60"}, "percent", "100 %"),
    ({"status": "not_started", "percent": "10"}, "percent", "0 %"),
    ({"status": "in_progress", "percent": "40", "planned_financing": "багато"}, "planned_financing", "багато"),
    ({"status": "in_progress", "percent": "40", "actual_financing": "-5"}, "actual_financing", "невід'ємним"),
    ({"status": "in_progress", "percent": "40", "note": "x"}, None, ""),
])
def test_a_form_s_problem_names_the_field_it_is_about(values, field, words):
    problem, at = form_problem_at(values)
    assert at == field and words in problem and form_problem(values) == problem


def test_the_history_lists_a_change_after_the_one_it_replaced_whatever_the_clocks_said(plan):
    """Марія's computer was an hour behind (another time zone, the autumn's clock change): her later 60 % was listed
    before Іван's 40 %, which then read as the latest."""
    measure = find_measure(plan, "1.1.1")
    q = Quarter(2025, 2)
    save_progress(measure, q, {"status": "in_progress", "percent": 40, "note": "A"}, author="Іван",
                  now=dt.datetime(2025, 6, 1, 9, 40))
    save_progress(measure, q, {"percent": 60, "note": "B пізніше"}, author="Марія", now=dt.datetime(2025, 6, 1, 4, 40))
    listed = [(row.changed_by, row.field, row.new_value) for row in measure_history(measure)]
    assert listed == [("Іван", "record", "created"), ("Іван", "status", "in_progress"), ("Іван", "percent", "40"),
                      ("Іван", "note", "A"), ("Марія", "percent", "60"), ("Марія", "note", "B пізніше")]
