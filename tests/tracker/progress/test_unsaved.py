"""A form's unsaved values kept in a file of their own: kept, found, forgotten; a damaged file never fatal."""

from __future__ import annotations

import datetime as _dt
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.progress import fields
from tracker.progress.records import find_measure, save_progress
from tracker.progress.unsaved import FILE_NAME, UnsavedForm, forget, keep, kept, what_became_of
from tracker.quarters import Quarter

Q = Quarter(2025, 2)
TYPED = {"status": "in_progress", "percent": 45, "note": "Погоджено проєкт — «ТОВ Волинь»", "remarks": "",
         "planned_financing": "125,5", "actual_financing": ""}


def form(database="office.sqlite3", author="Олена", uid="uid-1", values=None, version=0) -> UnsavedForm:
    return UnsavedForm(database, author, uid, "1.2.8", Q, version, dict(values or TYPED),
                       _dt.datetime(2026, 11, 30, 14, 5))


def test_the_table_of_fields_is_what_a_form_gives():
    assert set(TYPED) == {f.name for f in fields.FIELDS}


def test_kept_per_database_and_person_and_forgotten(tmp_path):
    assert kept("office.sqlite3", "Олена", tmp_path) is None
    assert keep(form(), tmp_path) and keep(form(author="Петро", values=dict(TYPED, percent=10)), tmp_path)
    assert keep(form(database="laptop.sqlite3"), tmp_path)
    assert kept("office.sqlite3", "Олена", tmp_path) == form()
    assert kept("office.sqlite3", "Петро", tmp_path).values["percent"] == 10
    assert keep(form(values=dict(TYPED, percent=50)), tmp_path)  # typed on: the one kept replaced
    assert kept("office.sqlite3", "Олена", tmp_path).values["percent"] == 50
    forget("office.sqlite3", "Олена", tmp_path)
    assert kept("office.sqlite3", "Олена", tmp_path) is None
    assert kept("office.sqlite3", "Петро", tmp_path) is not None and kept("laptop.sqlite3", "Олена", tmp_path)
    forget("office.sqlite3", "Петро", tmp_path)
    forget("laptop.sqlite3", "Олена", tmp_path)
    assert not (tmp_path / FILE_NAME).exists() and os.listdir(tmp_path) == []  # no file left, no temporary one


def test_a_folder_that_cannot_be_written_keeps_nothing_and_says_so_quietly(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert keep(form(), blocked) is False  # typing goes on; the form still holds the values
    forget("office.sqlite3", "Олена", blocked)
    assert kept("office.sqlite3", "Олена", blocked) is None


def test_a_file_cut_short_by_a_blackout_at_any_length_is_passed_over(tmp_path):
    assert keep(form(), tmp_path) and keep(form(author="Петро"), tmp_path)
    whole = (tmp_path / FILE_NAME).read_bytes()
    for length in range(len(whole)):
        (tmp_path / FILE_NAME).write_bytes(whole[:length])
        assert kept("office.sqlite3", "Олена", tmp_path) is None  # never a part of a form
    (tmp_path / FILE_NAME).write_bytes(whole)
    assert kept("office.sqlite3", "Олена", tmp_path) == form()


def test_entries_changed_by_hand_are_passed_over_and_the_rest_read(tmp_path):
    good = form().to_json()
    broken = [dict(good, version=-1), dict(good, version=True), dict(good, quarter="2025Q9"),
              dict(good, values=dict(TYPED, extra="x")), dict(good, values=dict(TYPED, percent=[1])),
              dict(good, values=dict(TYPED, percent="45")), dict(good, values=dict(TYPED, percent=101)),
              dict(good, values=dict(TYPED, status="done!")), dict(good, values=dict(TYPED, note=5)),
              dict(good, typed_at="вчора"), {k: v for k, v in good.items() if k != "author"}, None, 7, "x"]
    (tmp_path / FILE_NAME).write_text(json.dumps({"format": "lutsk-tracker-unsaved-forms",
                                                  "forms": broken + [dict(good, author="Петро")]}))
    assert kept("office.sqlite3", "Олена", tmp_path) is None
    assert kept("office.sqlite3", "Петро", tmp_path).values == TYPED


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=300), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=25).map(lambda value: json.dumps({"format": "lutsk-tracker-unsaved-forms", "forms": [value]})
                       .encode())))
def test_whatever_the_file_holds_reading_it_never_fails(tmp_path, data):
    (tmp_path / FILE_NAME).write_bytes(data)
    found = kept("office.sqlite3", "Олена", tmp_path)
    assert found is None or isinstance(found, UnsavedForm)
    forget("office.sqlite3", "Олена", tmp_path)


def test_what_became_of_a_form_s_measure(plan):
    measure = find_measure(plan, "1.2.8")
    typed = form(uid=measure.uid)
    assert what_became_of(typed) == (measure, True)
    save_progress(measure, Q, TYPED, author="Олена")  # saved, and the program went before forgetting the form
    assert what_became_of(typed) == (measure, False)
    assert what_became_of(form(uid="no-such-measure")) == (None, False)
