"""Shared fixtures for the tracker and UI tests.

``db``   — a fresh, migrated SQLite database in the test's tmp_path, bound to the program's
           database object (tracker.models.database) and closed afterwards.
``plan`` — a database holding the bundled plan; the fixture's value is the Plan row. The plan is
           imported once per session into a template file, which each test gets a copy of.
"""

from __future__ import annotations

import shutil

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


@pytest.fixture(scope="session")
def plan_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "plan.sqlite3"
    open_database(path)
    ensure_bundled_plan()
    close_database()  # the last connection closing checkpoints the WAL into the file
    return path


@pytest.fixture
def plan(tmp_path, plan_template):
    target = tmp_path / "tracker.sqlite3"
    shutil.copyfile(plan_template, target)
    open_database(target)
    try:
        yield current_plan()
    finally:
        close_database()
