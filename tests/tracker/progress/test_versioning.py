"""Optimistic versioning of progress records on SQLite: a stale save is refused, never silently lost."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest

from tests.tracker.storage import concurrent_edits
from tracker.errors import ConflictError, ValidationError
from tracker.progress.records import (
    draft_values,
    find_measure,
    measure_history,
    record_version,
    save_progress,
)
from tracker.progress.undo import undo_change_set
from tracker.progress.status import Status
from tracker.quarters import Quarter
from tracker.storage.db import close_database, open_database
from tracker.storage.models import History

Q = Quarter(2025, 2)
T1, T2, T3 = (dt.datetime(2025, 6, day, 10, 0) for day in (1, 2, 3))


@pytest.fixture
def measure(plan):
    return find_measure(plan, "1.2.8")


def test_record_version_counts_saves(measure):
    assert record_version(measure, Q) == 0
    save_progress(measure, Q, {"status": "in_progress", "percent": 10}, expected_version=0)
    assert record_version(measure, Q) == 1
    save_progress(measure, Q, {"percent": 20}, expected_version=1)
    assert record_version(measure, Q) == 2
    assert record_version(measure, Quarter(2025, 3)) == 0  # each quarter has its own record


def test_stale_save_refused_and_first_values_kept(measure):
    save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="Олена", now=T1)
    seen_by_both = record_version(measure, Q)
    save_progress(measure, Q, {"percent": 30, "note": "Погоджено"}, author="Олена", now=T2,
                  expected_version=seen_by_both)
    history_before = History.select().count()

    with pytest.raises(ConflictError) as caught:
        save_progress(measure, Q, {"percent": 50, "remarks": "Інакше"}, author="Петро", now=T3,
                      expected_version=seen_by_both)

    conflict = caught.value
    assert isinstance(conflict, ValidationError)  # callers that handle refusals handle this too
    assert conflict.expected_version == 1 and conflict.current_version == 2
    assert conflict.wanted == {"percent": 50, "remarks": "Інакше"}
    assert (conflict.current.updated_by, conflict.current.updated_at) == ("Олена", T2)
    assert (conflict.current.percent, conflict.current.note) == (30, "Погоджено")
    assert "Олена" in str(conflict) and "версія 2" in str(conflict) and "версію 1" in str(conflict)
    values, _ = draft_values(measure, Q)
    assert (values["percent"], values["note"], values["remarks"]) == (30, "Погоджено", "")
    assert History.select().count() == history_before  # the refused attempt left no trace


def test_resolving_keeps_both_changes_in_history(measure):
    save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="Олена", now=T1)
    stale = record_version(measure, Q)
    save_progress(measure, Q, {"percent": 30}, author="Олена", now=T2, expected_version=stale)
    with pytest.raises(ConflictError) as caught:
        save_progress(measure, Q, {"percent": 50}, author="Петро", now=T3, expected_version=stale)

    # Петро has seen Олена's version and merges: her percent stays, his remark is added
    save_progress(measure, Q, {"percent": 35, "remarks": "Уточнено після Олени"}, author="Петро", now=T3,
                  expected_version=caught.value.current_version)

    percent_changes = [(h.changed_by, h.old_value, h.new_value) for h in measure_history(measure)
                       if h.field == "percent"]
    assert percent_changes == [("Олена", None, "10"), ("Олена", "10", "30"), ("Петро", "30", "35")]
    assert record_version(measure, Q) == 3


def test_expected_zero_means_no_record_yet(measure):
    save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="Олена", expected_version=0)
    with pytest.raises(ConflictError, match="новий запис") as caught:
        save_progress(measure, Q, {"status": "in_progress", "percent": 90}, author="Петро", expected_version=0)
    assert caught.value.current.percent == 10 and caught.value.current_version == 1


def test_record_undone_meanwhile_is_a_conflict(measure):
    result = save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="Олена")
    undo_change_set(result.change_set, author="Олена")  # the record is gone again
    with pytest.raises(ConflictError, match="скасовано") as caught:
        save_progress(measure, Q, {"percent": 20}, author="Петро", expected_version=1)
    assert caught.value.current is None and caught.value.current_version == 0


def test_record_undone_and_made_again_meanwhile_is_a_conflict(measure):
    """Olena's record is undone and made anew: Petro, still editing the first one, must not match it."""
    first = save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="Олена")
    held = record_version(measure, Q)
    undo_change_set(first.change_set, author="Олена")
    save_progress(measure, Q, {"status": "in_progress", "percent": 30}, author="Олена")
    assert record_version(measure, Q) > held
    with pytest.raises(ConflictError):
        save_progress(measure, Q, {"percent": 20}, author="Петро", expected_version=held)
    assert draft_values(measure, Q)[0]["percent"] == 30


def test_without_expected_version_last_save_wins(measure):
    save_progress(measure, Q, {"status": "in_progress", "percent": 10})
    save_progress(measure, Q, {"status": Status.IN_PROGRESS, "percent": 20})
    assert draft_values(measure, Q)[0]["percent"] == 20 and record_version(measure, Q) == 2


def test_processes_adding_at_once_lose_nothing(measure, tmp_path):
    """SQLite's write lock (BEGIN IMMEDIATE) makes the version check and the write one step."""
    save_progress(measure, Q, {"status": "in_progress", "percent": 0})
    close_database()
    processes, times = 4, 10
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.starmap(concurrent_edits.add_percent,
                               [(str(tmp_path / "tracker.sqlite3"), "1.2.8", str(Q), times)] * processes)
    open_database(tmp_path / "tracker.sqlite3")
    assert sum(saves for saves, _ in results) == processes * times
    assert draft_values(measure, Q)[0]["percent"] == processes * times
    assert record_version(measure, Q) == 1 + processes * times
