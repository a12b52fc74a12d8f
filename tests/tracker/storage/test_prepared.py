"""Statements kept with their SQL text: the same rows as peewee's own, kept only when every value is a parameter;
and the device uid read once per database, never one a rolled-back transaction made."""

from __future__ import annotations

import pytest

from tracker.progress.records import quarter_record, save_progress
from tracker.quarters import Quarter
from tracker.storage import prepared
from tracker.storage.device import device_uid, new_device_identity, this_device
from tracker.storage.models import Device, Executor, History, Measure, database

Q = Quarter(2025, 2)


def test_a_kept_statement_reads_what_peewee_reads_with_other_values(plan):
    measures = list(Measure.select().order_by(Measure.id).limit(3))

    def titles(measure_id):
        cursor = prepared.run(database, "test title", lambda: Measure.select(Measure.title)
                              .where(Measure.id == measure_id), [measure_id])
        return [title for (title,) in cursor]
    assert "test title" not in prepared.kept(database)
    for measure in measures:
        assert titles(measure.id) == [measure.title]
    assert "test title" in prepared.kept(database)


def test_a_statement_with_a_value_written_into_its_text_is_not_kept(plan):
    measure = Measure.select().first()
    # the values given are not the query's parameters (the title is compared as a literal): its text cannot be reused
    text, params = prepared.statement(database, "test literal", lambda: Measure.select().where(
        (Measure.id == measure.id) & Measure.title.is_null(False)), [measure.id, "other"])
    assert params == [measure.id]
    assert "test literal" not in prepared.kept(database)


def test_the_write_path_runs_kept_statements_and_writes_what_it_wrote_before(plan):
    measures = list(Measure.select().order_by(Measure.id).limit(2))
    for measure in measures:  # made, then changed: the insert and the update
        save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="Оля")
        save_progress(measure, Q, {"percent": 20, "planned_financing": "12,5", "note": "етап 2"}, author="Петро")
    assert {"quarter record", "record update", ("event rows", 3), ("History", "insert", 3)} <= prepared.kept(database)
    for measure in measures:
        record = quarter_record(measure, Q)
        assert (record.status, record.percent, str(record.planned_financing), record.note, record.version,
                record.updated_by) == ("in_progress", 20, "12.5", "етап 2", 2, "Петро")
        rows = list(History.select().where(History.measure == measure).order_by(History.id))
        assert [(r.field, r.old_value, r.new_value) for r in rows] == [
            ("record", None, "created"), ("status", None, "in_progress"), ("percent", None, "10"),
            ("percent", "10", "20"), ("note", "", "етап 2"), ("planned_financing", None, "12.5")]
        assert all(r.device_uid == this_device().uid and r.event_uid for r in rows)
        assert rows[-1].parent_uid is None and rows[3].parent_uid == rows[2].event_uid


def test_the_device_uid_is_never_one_a_rolled_back_transaction_made(db):
    with pytest.raises(ZeroDivisionError):
        with database.atomic():
            made = this_device().uid  # the first use makes the row …
            1 / 0  # … and the transaction is rolled back
    assert not Device.select().exists()
    uid = device_uid()
    assert uid != made and Device.get().uid == uid
    assert device_uid() == uid
    renewed = new_device_identity().uid
    assert device_uid() == renewed != uid


def test_rows_read_as_plain_records_carry_the_fields_converted(plan):
    measure = Measure.select().first()
    save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="Оля")
    rows = prepared.read(History, "test read", lambda: History.select().where(History.measure == measure.id)
                         .order_by(History.id), [measure.id])
    models = list(History.select().where(History.measure == measure.id).order_by(History.id))
    assert [(r.id, r.measure_id, r.field, r.new_value, r.changed_at, r.applied, r.device_uid) for r in rows] == [
        (m.id, m.measure_id, m.field, m.new_value, m.changed_at, m.applied, m.device_uid) for m in models]
    assert rows[0].applied is True and rows[0].changed_at.year >= 2026


def test_a_device_made_in_a_transaction_that_rolled_back_is_never_stamped_on_later_saves(db):
    from tracker.plan.store import ensure_bundled_plan
    from tracker.storage.locking import write_transaction

    ensure_bundled_plan()
    Device.delete().execute()  # a file whose identity is made by its first write
    measures = list(Measure.select().order_by(Measure.id).limit(3))
    with pytest.raises(ZeroDivisionError):
        with write_transaction(database):  # as a report's re-import: several saves, then a refusal
            save_progress(measures[0], Q, {"status": "in_progress", "percent": 10}, author="a")
            save_progress(measures[1], Q, {"status": "in_progress", "percent": 20}, author="a")
            1 / 0
    assert not Device.select().exists() and not History.select().exists()
    save_progress(measures[2], Q, {"status": "in_progress", "percent": 30}, author="a")
    device = Device.get()
    assert {row.device_uid for row in History.select()} == {device.uid} == {device_uid()}


def test_a_row_inserted_alone_has_the_id_the_database_gave_it_and_the_defaults_create_gives(db):
    made = [prepared.insert_row(Executor, {"name": name}) for name in ("Відділ А", "Відділ Б")]
    assert ("Executor", "insert one") in prepared.kept(database)  # one statement for the table, made once
    by_create = Executor.create(name="Відділ В")
    assert made[0] != made[1] and by_create.id not in made
    rows = {e.id: e for e in Executor.select()}
    assert [rows[i].name for i in made] == ["Відділ А", "Відділ Б"]
    defaults = ("short_name", "kind", "aliases", "contact_person", "email")
    assert {f: getattr(rows[made[0]], f) for f in defaults} == {f: getattr(by_create, f) for f in defaults}


def test_a_new_files_device_made_by_its_first_save_is_read_once_more_then_kept(db):
    from tracker.plan.store import ensure_bundled_plan  # as the test above: a plan in a file with no identity yet

    ensure_bundled_plan()
    Device.delete().execute()
    measures = list(Measure.select().order_by(Measure.id).limit(4))
    reads = []
    connection = database.connection()
    connection.set_trace_callback(lambda sql: reads.append(sql) if '"site"' in sql else None)
    for measure in measures:
        save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="a")
    connection.set_trace_callback(None)
    made = [sql for sql in reads if sql.startswith("INSERT")]
    # the first save reads and makes the row; the second reads it once, outside its transaction; then none
    assert len(made) == 1 and len(reads) <= 6
    per_save = []
    connection.set_trace_callback(per_save.append)
    save_progress(measures[0], Q, {"percent": 11}, author="a")
    connection.set_trace_callback(None)
    assert not [sql for sql in per_save if '"site"' in sql]
    assert {row.device_uid for row in History.select()} == {Device.get().uid}


def test_rows_not_yet_written_are_taken_as_they_will_be_read_once_written(plan):
    import datetime as dt  # only here

    measure = Measure.select().first()
    rows = [dict(measure=measure.id, year=2025, quarter=number, field="percent", old_value=None, new_value="40",
                 changed_at=dt.datetime(2025, 3, number, 9, 30, 15), changed_by="Оля", origin="пакет «ноутбук»",
                 change_set=f"set{number}", applied=bool(number % 2), event_uid=f"{number:032x}")
            for number in (1, 2)]  # parent_uid, device_uid, login … left out: their defaults
    first = (History.select(History.id).order_by(History.id.desc()).scalar() or 0) + 1
    taken = prepared.as_read(History, rows, first)
    prepared.insert_rows(History, rows)
    written = prepared.read(History, "test rows written", lambda: History.select().where(History.id >= first)
                            .order_by(History.id), [first])
    assert [vars(row) for row in taken] == [vars(row) for row in written] and len(written) == 2
