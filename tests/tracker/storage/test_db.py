"""Opening the database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from peewee import OperationalError

from tests.helpers import redundant_indexes
from tracker.errors import TrackerError
from tracker.storage import db as storage_db
from tracker.storage.db import close_database, make_database, migrate, open_database, thread_connection
from tracker.storage.models import ALL_MODELS, Measure, Plan, database
from tracker.storage.recovery import DamagedDatabaseError


def test_fresh_database_has_all_tables(db):
    tables = set(db.get_tables())
    assert {model._meta.table_name for model in ALL_MODELS} <= tables
    assert Plan.select().count() == 0
    assert database.obj is db


def test_migrations_applied_once(db):
    assert migrate(db) == []


def test_no_index_is_the_beginning_of_another(db):
    """Each foreign key had an index of its own beside the unique one that begins with it (history's four indexes
    for three): every row written updated both, and the full check before every copy read both."""
    assert redundant_indexes(db) == []


def test_reopen_keeps_data(tmp_path):
    path = tmp_path / "t.sqlite3"
    open_database(path)
    Plan.create(uid="x", title="План", first_year=2024, last_year=2027)
    close_database()
    open_database(path)
    try:
        assert [p.title for p in Plan.select()] == ["План"]
    finally:
        close_database()


def test_sqlite_url(tmp_path):
    open_database(f"sqlite:///{tmp_path / 'u.sqlite3'}")
    try:
        assert (tmp_path / "u.sqlite3").exists()
    finally:
        close_database()


def test_not_a_database_file(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("це не база " * 500, encoding="utf-8")
    with pytest.raises(TrackerError, match="не є базою даних SQLite"):
        open_database(path)


def test_unknown_url_scheme_hides_password():
    with pytest.raises(TrackerError) as error:
        make_database("mystery://user:secret@host/db")
    assert "secret" not in str(error.value)
    assert "user:***@host" in str(error.value)


FULL = 2  # PRAGMA synchronous: 0 off, 1 normal, 2 full, 3 extra


def test_every_sqlite_connection_syncs_each_commit(tmp_path):
    """synchronous=FULL in WAL mode: a save reported as done is on disk before a blackout can take it."""
    open_database(tmp_path / "t.sqlite3")
    try:
        assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == FULL
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        seen = []

        def work():
            with thread_connection():
                seen.append(database.execute_sql("PRAGMA synchronous").fetchone()[0])

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        assert seen == [FULL]  # the worker thread's own connection (imports run there)
    finally:
        close_database()
    other = make_database(f"sqlite:///{tmp_path / 'copy.sqlite3'}")  # e.g. the target of copy-db
    other.connect()
    try:
        assert other.execute_sql("PRAGMA synchronous").fetchone()[0] == FULL
    finally:
        other.close()


def test_a_database_from_a_newer_program_is_refused_unchanged(tmp_path):
    path = tmp_path / "t.sqlite3"
    open_database(path)
    close_database()
    connection = sqlite3.connect(path)
    connection.execute("INSERT INTO schema_migration (name, applied) VALUES ('0099_from_the_future', '2027-01-01')")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(TrackerError, match="новішою версією програми.*0099_from_the_future"):
        open_database(path)
    assert path.read_bytes() == before and database.is_closed()  # refused before it was bound


def test_after_closing_the_database_file_alone_holds_every_save(tmp_path):
    """Another program still has the file open (a backup tool, a second window): SQLite then leaves recent
    commits in the -wal file on close, and a copy of the .sqlite3 file alone would lack them."""
    path = tmp_path / "t.sqlite3"
    open_database(path)
    other = sqlite3.connect(path)  # idle, no transaction: it does not stop a checkpoint
    other.execute("SELECT count(*) FROM plan").fetchone()
    try:
        Plan.create(uid="x", title="План", first_year=2024, last_year=2027)
        close_database()
        alone = tmp_path / "carried" / "t.sqlite3"
        alone.parent.mkdir()
        alone.write_bytes(path.read_bytes())  # only the main file, as copied to a USB stick
        connection = sqlite3.connect(alone)
        assert connection.execute("SELECT title FROM plan").fetchall() == [("План",)]
        connection.close()
    finally:
        other.close()


def test_another_program_s_sqlite_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "contacts.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE person (name TEXT)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(TrackerError, match="база даних іншої програми"):
        open_database(path)
    assert path.read_bytes() == before



def _opening_refused(plan_template, tmp_path, monkeypatch, step: str, error: str) -> str:
    """What opening a copy of the plan says when ``step`` of it (a name in tracker.storage.db) fails with SQLite's
    ``error``."""
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)

    def failing(*_args):
        raise sqlite3.OperationalError(error)

    monkeypatch.setattr(storage_db, step, failing)
    with pytest.raises(TrackerError) as refused:
        open_database(path)
    return str(refused.value)


def test_a_database_that_cannot_be_read_at_opening_is_not_called_another_kind_of_file(plan_template, tmp_path,
                                                                                        monkeypatch):
    """A full disk at opening was «не є базою даних SQLite (disk I/O error)»: the person went looking for another
    file while theirs was whole."""
    said = _opening_refused(plan_template, tmp_path, monkeypatch, "table_names", "disk I/O error")
    assert "не вдалося прочитати" in said and "не є базою даних" not in said


def test_a_database_out_of_reach_is_said_once_why_and_the_command_line_points_at_no_other_file(
        plan_template, tmp_path, monkeypatch):
    """«…(файл не вдалося відкрити: немає доступу до нього чи до його теки…): немає доступу до нього або до його
    теки» said one cause twice; a full disk's refusal ended «(параметр --db)», as if another file were the answer."""
    from tracker.cli.hints import hint_text

    said = _opening_refused(plan_template, tmp_path, monkeypatch, "table_names", "unable to open database file")
    assert said.count("немає доступу") == 1 and "перевірте права доступу" in said
    path = tmp_path / "full.sqlite3"
    shutil.copyfile(plan_template, path)
    monkeypatch.setattr(storage_db, "table_names", lambda *_: (_ for _ in ()).throw(
        sqlite3.OperationalError("disk I/O error")))
    with pytest.raises(TrackerError) as refused:
        open_database(path)
    assert "спробуйте ще раз" in str(refused.value) and not hint_text(refused.value.hint)


def test_a_database_another_program_holds_for_itself_is_said_so_and_not_sent_looking_elsewhere(plan_template, tmp_path,
                                                                                             monkeypatch):
    """A viewer holding the file in exclusive mode: «не вдалося прочитати (базу саме змінює інша програма): на диску
    скінчилося місце, мережева тека недоступна або файл заблокувала інша програма … (параметр --db)» — one cause,
    then three others, and the file's name to be checked."""
    said = _opening_refused(plan_template, tmp_path, monkeypatch, "table_names", "database is locked")
    assert "тримає інша програма" in said and "Закрийте ту програму" in said and "скінчилося місце" not in said


def test_a_database_on_a_read_only_disk_is_said_so_in_words(plan_template, tmp_path, monkeypatch):
    """A copy on a read-only share or disc: «attempt to write a readonly database. Перевірте, що це файл бази
    трекера…» — SQLite's English, and a hint the wrong way."""
    said = _opening_refused(plan_template, tmp_path, monkeypatch, "connect", "attempt to write a readonly database")
    assert "лише для читання" in said and "readonly" not in said and "Скопіюйте файл" in said


@pytest.mark.skipif(not hasattr(os, "statvfs"), reason="a read-only mount is told by statvfs (not on Windows)")
def test_a_database_in_wal_mode_on_a_read_only_disk_is_said_to_be_on_one(plan_template, tmp_path, monkeypatch):
    """SQLite cannot even read a WAL file where it may not write its index beside it: «Не вдалося прочитати файл…
    немає доступу до нього або до його теки» sent a person checking rights on a file they could read."""
    import types

    real = os.statvfs
    monkeypatch.setattr(os, "statvfs", lambda folder: types.SimpleNamespace(
        f_flag=real(folder).f_flag | os.ST_RDONLY))
    said = _opening_refused(plan_template, tmp_path, monkeypatch, "table_names", "unable to open database file")
    assert "лише для читання" in said and "Скопіюйте файл" in said


@pytest.mark.parametrize("said, meant", [
    ("database or disk is full", "на диску скінчилося місце"),
    ("file is not a database", "це не файл бази даних SQLite"),
    ("database disk image is malformed", "сторінки файла не читаються як база даних"),
    ("attempt to write a readonly database", "лише для читання"),
    ("no such savepoint: x", "no such savepoint: x"),  # one not known: SQLite's own words rather than none
])
def test_sqlite_s_common_answers_are_said_in_the_program_s_words(said, meant):
    from tracker.storage.integrity import sqlite_reason

    assert meant in sqlite_reason(sqlite3.OperationalError(said))


SLOW_MIGRATION = '''import time

from peewee import TextField


def up(migrator, db):
    time.sleep(1.0)  # long enough for a second program to start upgrading too
    migrator.migrate(migrator.add_column("plan", "extra", TextField(default="")))
'''
UPGRADE = ("import sys; from pathlib import Path; import tracker.storage.db as d; "
           "d.MIGRATIONS_DIR = Path(sys.argv[2]); d.open_database(sys.argv[1]); d.close_database(); print('ok')")


def test_two_programs_starting_together_on_an_older_database_upgrade_it_once(tmp_path):
    newer = tmp_path / "migrations"
    shutil.copytree(storage_db.MIGRATIONS_DIR, newer, ignore=shutil.ignore_patterns("__pycache__"))
    step = f"{max(int(path.name[:4]) for path in newer.glob('[0-9]*.py')) + 1:04d}_slow"  # the next, no gap left
    (newer / f"{step}.py").write_text(SLOW_MIGRATION, encoding="utf-8")
    path = tmp_path / "t.sqlite3"
    open_database(path)  # made by the program as it is
    close_database()
    root = Path(__file__).resolve().parents[3]
    programs = [subprocess.Popen([sys.executable, "-c", UPGRADE, str(path), str(newer)], cwd=root,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in programs]
    assert [(code, out.strip()) for out, err, code in results] == [(0, "ok"), (0, "ok")], results
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("SELECT count(*) FROM schema_migration WHERE name = ?", (step,)).fetchone() == (1,)
        assert "extra" in [row[1] for row in connection.execute("PRAGMA table_info(plan)")]
    finally:
        connection.close()


def _as_before_0004(path: Path) -> None:
    """The file as the program before migration 0004 left it."""
    older = sqlite3.connect(path)
    older.execute("DROP INDEX measure_uid")
    older.execute("ALTER TABLE measure DROP COLUMN uid")
    older.execute("DELETE FROM schema_migration WHERE name = '0004_measure_uid'")
    older.commit()
    older.close()


def test_measures_of_an_older_database_get_the_uids_a_first_import_gives(plan_template, tmp_path):
    """Migration 0004: each device upgrading its own copy names every measure alike, and as a fresh import does."""
    from tracker.plan.store import measure_uid

    fresh = open_database(plan_template)
    expected = {code: uid for code, uid in fresh.execute_sql("SELECT code, uid FROM measure").fetchall()}
    close_database()
    path = tmp_path / "older.sqlite3"
    shutil.copy(plan_template, path)
    _as_before_0004(path)
    upgraded = open_database(path)
    try:
        found = dict(upgraded.execute_sql("SELECT code, uid FROM measure").fetchall())
        plan_uid = upgraded.execute_sql("SELECT uid FROM plan").fetchone()[0]
    finally:
        close_database()
    assert found == expected and len(set(found.values())) == 233
    assert found["1.2.8"] == measure_uid(plan_uid, "1.2.8")


def test_an_older_database_loses_its_redundant_indexes_and_nothing_else(plan_template, tmp_path):
    """Migration 0014 on a file an older program left, with progress in it: the nine indexes go, every row stays,
    and a copy of the file as it was is kept first (as before every schema upgrade)."""
    import importlib

    from tests.helpers import database_digest
    from tracker.progress.records import find_measure, save_progress
    from tracker.quarters import Quarter
    from tracker.storage.backup import list_backups

    step = importlib.import_module("tracker.storage.migrations.0014_redundant_indexes")
    path = tmp_path / "older.sqlite3"
    shutil.copy(plan_template, path)
    open_database(path)
    try:
        save_progress(find_measure(Plan.get(), "1.2.8"), Quarter(2025, 2), {"status": "in_progress", "percent": 30},
                      author="Оля")
        before = database_digest()
    finally:
        close_database()
    made = [("strategic_goal", "plan_id"), ("operational_goal", "strategic_goal_id"), ("task", "operational_goal_id"),
            ("measure", "plan_id"), ("measure_executor", "measure_id"), ("measure_funding", "measure_id"),
            ("progress", "measure_id"), ("conflict", "measure_id"), ("history", "measure_id")]  # as 0001 made them
    assert {f"{table}_{column}" for table, column in made} == set(step.REDUNDANT)
    older = sqlite3.connect(path)
    for table, column in made:
        older.execute(f'CREATE INDEX "{table}_{column}" ON "{table}" ("{column}")')
    older.execute("DELETE FROM schema_migration WHERE name = '0014_redundant_indexes'")
    older.commit()
    older.close()
    upgraded = open_database(path)
    try:
        assert redundant_indexes(upgraded) == []
        assert database_digest() == before
        assert [b.reason for b in list_backups()] == ["migration"]
    finally:
        close_database()


def test_a_server_address_without_a_working_driver_is_said_in_words(monkeypatch):
    """psycopg is imported only when a server database is made: an installation whose driver is missing or broken
    gets a message there, not a traceback (the window shows TrackerErrors)."""
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg → ImportError
    with pytest.raises(TrackerError, match="драйвера PostgreSQL"):
        make_database("postgresql://tracker@127.0.0.1:5432/tracker")


# -- the first reading beside the quick check (open_and_read) ------------------------------------------------------

def _file_of(plan_template, folder, name="office.sqlite3") -> Path:
    path = folder / name
    shutil.copyfile(plan_template, path)
    return path


def test_the_first_reading_is_given_once_the_check_beside_it_finds_the_file_whole(tmp_path, plan_template):
    path = _file_of(plan_template, tmp_path)
    try:
        assert storage_db.open_and_read(path, lambda: Measure.select().count()) == 233
        assert Path(database.obj.database) == path
        Plan.update(title="Змінено після перевірки").execute()  # writable again once the check has passed
        assert Plan.get().title == "Змінено після перевірки"
    finally:
        close_database()


def test_damage_the_first_reading_does_not_meet_is_refused_and_the_open_database_stays(tmp_path, plan_template):
    """The reading beside the check goes on through a damaged page it does not read; its result is not given, the
    damaged file is closed, and the database that was open stays the program's."""
    from tests.helpers import damage_pages_of  # the tests' own helper

    damaged = _file_of(plan_template, tmp_path)
    damage_pages_of(damaged, "history_event_uid")  # an index opening never reads
    before = damaged.read_bytes()
    office = _file_of(plan_template, tmp_path, "other.sqlite3")
    open_database(office)
    try:
        previous = database.obj
        read = []
        with pytest.raises(DamagedDatabaseError, match="пошкоджено") as refused:
            storage_db.open_and_read(damaged, lambda: read.append(Measure.select().count()))
        assert read == [233]  # it did read meanwhile
        assert "Page" in str(refused.value) or "page" in str(refused.value)  # SQLite's own finding is named
        assert database.obj is previous and not previous.is_closed() and Measure.select().count() == 233
        assert damaged.read_bytes() == before
    finally:
        close_database()


def test_damage_the_first_reading_meets_is_said_as_damage_not_as_a_failed_read(tmp_path, plan_template):
    from tests.helpers import damage_pages_of  # as above

    damaged = _file_of(plan_template, tmp_path)
    damage_pages_of(damaged, "measure")  # the table the reading reads: SQLite fails it, «malformed»
    bound = database.obj
    with pytest.raises(DamagedDatabaseError, match="пошкоджено") as refused:
        storage_db.open_and_read(damaged, lambda: list(Measure.select()))
    assert "malformed" in str(refused.value.__cause__) and database.obj is bound


def test_nothing_is_written_before_the_check_has_found_the_file_whole(tmp_path, plan_template):
    path = _file_of(plan_template, tmp_path)
    before, bound = path.read_bytes(), database.obj
    with pytest.raises(OperationalError, match="readonly"):
        storage_db.open_and_read(path, lambda: Plan.update(title="Записано до перевірки").execute())
    assert database.obj is bound and path.read_bytes() == before


def test_a_database_to_upgrade_is_checked_first_then_read(tmp_path, plan_template, monkeypatch):
    """A schema upgrade writes: the file is checked before it, on the program's own connection, not beside."""
    path = _file_of(plan_template, tmp_path)
    _as_before_0004(path)
    beside = []
    monkeypatch.setattr(storage_db, "CheckBeside", lambda path: beside.append(path))
    checked = []
    real = storage_db.refuse_damaged_file
    monkeypatch.setattr(storage_db, "refuse_damaged_file", lambda db, full: checked.append(full) or real(db, full))
    try:
        assert storage_db.open_and_read(path, lambda: Measure.select().count()) == 233
        assert checked == [False] and beside == []
    finally:
        close_database()


def test_a_file_the_check_beside_cannot_open_is_checked_on_the_program_s_connection(tmp_path, plan_template,
                                                                                 monkeypatch):
    from tests.helpers import damage_pages_of  # as above

    damaged = _file_of(plan_template, tmp_path)
    damage_pages_of(damaged, "history_event_uid")
    monkeypatch.setattr(storage_db.CheckBeside, "wait", lambda self: None)  # «could not check there»
    bound = database.obj
    with pytest.raises(DamagedDatabaseError):
        storage_db.open_and_read(damaged, lambda: Measure.select().count())
    assert database.obj is bound


def test_an_installation_missing_a_schema_step_is_refused_as_not_fully_installed(tmp_path, monkeypatch):
    """0003 deleted from the frozen folder was passed over: the database made without it refused every exchange
    import after with «table exchange_log has no column named dropped»."""
    from tracker.storage import schema

    partial = tmp_path / "migrations"
    shutil.copytree(storage_db.MIGRATIONS_DIR, partial, ignore=shutil.ignore_patterns("__pycache__", "0003_*"))
    monkeypatch.setattr(storage_db, "MIGRATIONS_DIR", partial)
    with pytest.raises(TrackerError, match="встановлено не повністю: бракує кроків оновлення бази \\(0003\\)"):
        open_database(tmp_path / "new.sqlite3")
    assert schema.missing_steps() == []  # the program as shipped has every step


def test_a_missing_built_in_plan_is_said_to_be_a_damaged_installation(tmp_path, monkeypatch):
    """«Файл «…/plan_2024_2027.txt» не знайдено. Перевірте шлях до файла плану» — a path the person never gave."""
    from tracker.plan import store

    monkeypatch.setattr(store, "BUNDLED_PLAN", tmp_path / "plan_2024_2027.txt")
    open_database(tmp_path / "new.sqlite3")
    try:
        with pytest.raises(TrackerError, match="немає вбудованого плану.*Перевстановіть програму"):
            store.ensure_bundled_plan()
    finally:
        close_database()
