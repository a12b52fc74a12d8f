"""Shared fixtures for the tracker and UI tests.

``db``   — a fresh, migrated SQLite database in the test's tmp_path, bound to the program's
           database object (tracker.models.database) and closed afterwards.
``plan`` — the same database with the bundled plan imported; the fixture's value is the Plan row.
"""

from __future__ import annotations

import pytest

from tracker.db import close_database, open_database
from tracker.plan_store import ensure_bundled_plan
from tracker.tree import current_plan


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "tracker.sqlite3")
    try:
        yield database
    finally:
        close_database()


@pytest.fixture
def plan(db):
    ensure_bundled_plan()
    return current_plan()
