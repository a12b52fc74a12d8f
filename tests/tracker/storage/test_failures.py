"""Database failures reach people as what happened, not as what failed after it."""

from __future__ import annotations

import pytest

from tracker.progress.records import find_measure, quarter_record, save_progress
from tracker.quarters import Quarter
from tracker.storage.failures import StorageError, database_errors
from tracker.storage.models import database

Q = Quarter(2025, 1)


def test_a_full_disk_is_named_even_when_the_rollback_after_it_fails(plan):
    """SQLite rolls back by itself on a full disk; peewee's rollback then fails and must not hide the cause."""
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")  # the file may not grow: a disk that is full
    measure = find_measure(plan, "1.1.1")
    with pytest.raises(StorageError) as refused, database_errors():
        save_progress(measure, Q, {"status": "in_progress", "percent": 5, "note": "ґ" * 20000})
    assert "скінчилося місце" in str(refused.value)
    assert "cannot rollback" not in str(refused.value)
    assert not database.in_transaction() and quarter_record(measure, Q) is None
    save_progress(measure, Q, {"status": "in_progress", "percent": 5})  # the connection still works
    assert quarter_record(measure, Q).percent == 5


def test_a_server_s_refusal_is_said_in_the_program_s_words():
    """A login removed while its window was open: «(permission denied for table history)» in a Ukrainian sentence."""
    from peewee import ProgrammingError

    from tracker.storage.failures import explain

    said = str(explain(ProgrammingError("permission denied for table history")))
    assert "немає дозволу на таблицю «history»" in said and "permission" not in said and "Нічого не записано" in said
