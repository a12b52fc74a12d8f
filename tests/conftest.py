"""Shared fixtures for the tracker and UI tests.

``db``   — a fresh, migrated SQLite database in the test's tmp_path, bound to the program's
           database object (tracker.models.database) and closed afterwards.
``plan`` — a database holding the bundled plan; the fixture's value is the Plan row. The plan is
           imported once per session into a template file (``plan_template``, closed, as
           ``tracker init`` leaves it), which each test gets a copy of.
``pg_url`` — the URL of a fresh, empty PostgreSQL database, dropped afterwards. The server comes
           from TRACKER_TEST_PG; without one the test is skipped, except under CI, where it fails.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile as _tempfile
import time
import uuid
from urllib.parse import urlsplit

import pytest

from tests.helpers import open_copy
from tracker.plan.store import ensure_bundled_plan
from tracker.storage.db import close_database, open_database

# ``office``: a PostgreSQL office database with its people (tests/tracker/access, tests/ui/people)
pytest_plugins = ["tests.tracker.access.office"]


def _own_folder(variable: str, prefix: str) -> None:
    """The user's own data folder (the journal, the default database) and 0.1's settings are never touched by a test
    run: each is a folder of the run's own, removed when the run ends (69 had been left in /tmp)."""
    if variable not in os.environ:
        folder = _tempfile.mkdtemp(prefix=prefix)
        os.environ[variable] = folder
        atexit.register(shutil.rmtree, folder, ignore_errors=True)


_own_folder("XDG_DATA_HOME", "tracker-test-data-")
_own_folder("XDG_CONFIG_HOME", "tracker-test-config-")


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
    opened = open_copy(plan_template, tmp_path / "tracker.sqlite3")
    try:
        yield opened
    finally:
        close_database()


PG_DEFAULT = "postgresql://tracker:tracker@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def pg_server():
    """The admin URL of the test server; its role must be allowed to create databases."""
    url = os.environ.get("TRACKER_TEST_PG", PG_DEFAULT)
    parts = urlsplit(url)
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=5).close()
    except Exception as exc:  # no driver, no server, wrong credentials: all mean "no server here"
        reason = (f"PostgreSQL for tests not reachable at {parts.hostname}:{parts.port or 5432} as "
                  f"{parts.username!r} ({' '.join(str(exc).split())}); run .ci/run once as root, or set "
                  "TRACKER_TEST_PG=postgresql://user:password@host:port/postgres")
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(reason, pytrace=False)  # CI promises a server: a skip there would hide the tests
        pytest.skip(reason)
    return url


@pytest.fixture
def pg_url(pg_server):
    import psycopg
    from psycopg import sql

    from tracker.storage.models import database

    name = f"tracker_test_{uuid.uuid4().hex[:16]}"
    # template0 with C collation: UTF-8 even on a cluster made under a POSIX locale, and text
    # sorts by code point as in SQLite
    create = sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(create.format(sql.Identifier(name)))
    try:
        yield urlsplit(pg_server)._replace(path=f"/{name}").geturl()
    finally:
        if getattr(database.obj, "database", None) == name:
            close_database()
        _drop_database(pg_server, name)


def _drop_database(server: str, name: str, seconds: float = 60) -> None:
    """DROP … WITH (FORCE) ends a test's stray connections; an autovacuum worker in the database
    belongs to the superuser and cannot be ended by the test role, so wait for it and try again."""
    import psycopg
    from psycopg import sql

    deadline = time.monotonic() + seconds
    with psycopg.connect(server, autocommit=True) as admin:
        while True:
            try:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                return
            except psycopg.errors.InsufficientPrivilege:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


@pytest.fixture
def damaged_database(tmp_path, plan_template):
    """(path, whole copy): a database with the plan and one whole start copy, then damaged; not open."""
    from tests.helpers import corrupt, damaged_with_a_whole_copy

    return damaged_with_a_whole_copy(plan_template, tmp_path, corrupt)
