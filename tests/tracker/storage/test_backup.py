"""Backup copies: online backup, rotation, restore, and copies before imports and migrations."""

import datetime as dt
import shutil
import sqlite3
import threading

import pytest

from tests.helpers import record_of
from tracker.errors import TrackerError
from tracker.paths import BUNDLED_PLAN
from tracker.plan.store import import_plan
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage import backup, restore
from tracker.storage import db as tracker_db
from tracker.storage.models import History, Plan, Progress

Q = Quarter(2025, 1)


def _counts():
    return Progress.select().count(), History.select().count()


def test_backup_and_restore_round_trip(plan, tmp_path):
    measure = find_measure(plan, "1.1.1")
    save_progress(measure, Q, {"status": "in_progress", "percent": 10, "note": "до копії"}, author="a")
    copy = backup.backup_to(tmp_path / "copy.sqlite3")
    saved = _counts()
    save_progress(measure, Q, {"percent": 70, "note": "після копії"}, author="a")
    before_restore = restore.restore_from(copy)
    assert _counts() == saved
    assert record_of("1.1.1", Q).note == "до копії"
    assert before_restore.exists() and "restore" in before_restore.name
    restore.restore_from(before_restore)  # the restore itself can be undone from its copy
    assert record_of("1.1.1", Q).note == "після копії"


def test_a_restore_waits_for_no_save_and_is_refused_while_another_program_has_the_file_open(plan, tmp_path):
    """A command-line save that ended between the copy of the state before a restore and the restore was in neither:
    lost. The restore holds the file alone from the copy on — and another program with the file open (a window left
    open on another PC) refuses it: nothing is copied or changed, and that program can go on reading and saving."""
    import subprocess
    import sys

    measure = find_measure(plan, "1.1.1")
    save_progress(measure, Q, {"status": "in_progress", "percent": 10, "note": "до копії"}, author="a")
    copy = backup.backup_to(tmp_path / "copy.sqlite3")
    save_progress(measure, Q, {"percent": 70, "note": "після копії"}, author="a")
    path = tracker_db.database.database
    copies = sorted(backup.backup_dir().glob("*.sqlite3"))
    other = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
         "c.execute('SELECT count(*) FROM progress').fetchone(); print('open', flush=True); sys.stdin.readline(); "
         "c.execute(\"UPDATE department SET phone = 'інша програма' WHERE id = 1\"); print('saved', flush=True)",
         path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "open"
        with pytest.raises(TrackerError, match="відкрито ще десь.*Нічого не змінено"):
            restore.restore_from(copy)
        assert record_of("1.1.1", Q).note == "після копії"
        assert sorted(backup.backup_dir().glob("*.sqlite3")) == copies
        other.stdin.write("\n")
        other.stdin.flush()
        assert other.stdout.readline().strip() == "saved"  # not held up: the refused try let the file go
    finally:
        other.communicate(timeout=60)
    before_restore = restore.restore_from(copy)  # alone now
    assert record_of("1.1.1", Q).note == "до копії"
    reading = sqlite3.connect(f"file:{before_restore}?mode=ro", uri=True)
    assert reading.execute("SELECT phone FROM department WHERE id = 1").fetchone() == ("інша програма",)
    reading.close()


def test_a_copy_in_a_folder_named_with_a_uri_s_signs_is_restored_from(plan, tmp_path):
    """«Копії #2 (100%)»: the copy itself is checked and read, not «Копії » (as SQLite read it before)."""
    measure = find_measure(plan, "1.1.1")
    save_progress(measure, Q, {"status": "in_progress", "percent": 10, "note": "до копії"}, author="a")
    folder = tmp_path / "Копії #2 (100%)"
    folder.mkdir()
    copy = backup.backup_to(folder / "copy.sqlite3")
    save_progress(measure, Q, {"percent": 70, "note": "після копії"}, author="a")
    restore.restore_from(copy)
    assert record_of("1.1.1", Q).note == "до копії"
    assert not (tmp_path / "Копії ").exists()


@pytest.mark.parametrize("content", [b"not a database at all" * 50, b""])
def test_restore_refuses_files_that_are_not_tracker_databases(plan, tmp_path, content):
    save_progress(find_measure(plan, "1.1.2"), Q, {"status": "in_progress", "percent": 5}, author="a")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    before = _counts()
    with pytest.raises(TrackerError, match="не є базою даних трекера|не знайдено"):
        restore.restore_from(bad)
    assert _counts() == before


def test_restore_refuses_a_foreign_sqlite_database(plan, tmp_path):
    foreign = tmp_path / "foreign.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(TrackerError, match="немає плану"):
        restore.restore_from(foreign)
    assert find_measure(plan, "1.1.1") is not None



def _edited_copy(tmp_path, *statements: str):
    """A backup of the open database, then changed by hand, as no version of the program would."""
    copy = backup.backup_to(tmp_path / "edited.sqlite3")
    connection = sqlite3.connect(copy)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return copy


COPIES_THAT_WOULD_NOT_OPEN = {
    "a newer program's": (["INSERT INTO schema_migration (name, applied) VALUES ('0099_future', '2027-01-01')"],
                          "новішою версією програми (зміни схеми: 0099_future)"),
    "no record of its schema": (["DROP TABLE schema_migration"], "немає запису про версію"),
    "a status no program writes": (["UPDATE progress SET status = 'weird'"], "невідомий стан «weird»"),
    "a percent over 100": (["UPDATE progress SET percent = 999"], "неправильний відсоток «999»"),
}


@pytest.mark.parametrize("case", COPIES_THAT_WOULD_NOT_OPEN)
def test_a_copy_the_program_could_not_work_on_is_refused_before_anything_is_replaced(plan, tmp_path, case):
    """Such a copy replaced the database and was refused only then — by migrate, or by every command that read a
    state: no command opened the database again, the restore back from the copy made before included."""
    statements, said = COPIES_THAT_WOULD_NOT_OPEN[case]
    save_progress(find_measure(plan, "1.1.2"), Q, {"status": "in_progress", "percent": 5}, author="a")
    copy = _edited_copy(tmp_path, *statements)
    save_progress(find_measure(plan, "1.1.2"), Q, {"percent": 40}, author="a")
    with pytest.raises(TrackerError, match="іншу копію") as refused:
        restore.restore_from(copy)
    assert said in str(refused.value)
    assert record_of("1.1.2", Q).percent == 40 and [b.reason for b in backup.list_backups()] == []


def test_a_copy_that_fails_to_be_made_ready_leaves_the_database_as_it_was(plan, tmp_path, monkeypatch):
    save_progress(find_measure(plan, "1.1.2"), Q, {"status": "in_progress", "percent": 5}, author="a")
    copy = backup.backup_to(tmp_path / "copy.sqlite3")
    save_progress(find_measure(plan, "1.1.2"), Q, {"percent": 40}, author="a")

    def failing(db):
        raise tracker_db.DatabaseError("duplicate column name: event_uid")

    monkeypatch.setattr(restore, "migrate", failing)
    with pytest.raises(TrackerError, match="базу повернуто до стану перед відновленням"):
        restore.restore_from(copy)
    assert record_of("1.1.2", Q).percent == 40


def test_rotation_keeps_the_latest_ten_and_one_per_month(plan):
    start = dt.datetime(2025, 1, 15, 9, 0)
    made = [backup.auto_backup("start", now=start + dt.timedelta(days=7 * i)) for i in range(20)]
    kept = {b.path for b in backup.list_backups()}
    assert set(made[-10:]) <= kept
    months = {}
    for path, i in zip(made, range(20)):
        months[(start + dt.timedelta(days=7 * i)).strftime("%Y%m")] = path  # the newest of each month
    assert set(months.values()) <= kept
    assert kept == set(made[-10:]) | set(months.values())
    assert not (set(made) - kept) & {p for p in made if p.exists()}


def test_automatic_copy_before_a_plan_import(plan):
    assert backup.list_backups() == []
    import_plan(BUNDLED_PLAN)
    assert [b.reason for b in backup.list_backups()] == ["import"]


def test_copy_before_migrating_an_older_database(tmp_path, monkeypatch):
    # an "older program": today's migrations; a newer one adds a migration
    old_dir = tmp_path / "old"
    new_dir = tmp_path / "new"
    old_dir.mkdir()
    for migration in tracker_db.MIGRATIONS_DIR.glob("[0-9]*.py"):
        shutil.copy(migration, old_dir)
    shutil.copytree(old_dir, new_dir)
    step = max(int(path.name[:4]) for path in old_dir.glob("[0-9]*.py")) + 1  # the next one: no gap left
    (new_dir / f"{step:04d}_add_table.py").write_text(
        "def up(migrator, db):\n    db.execute_sql('CREATE TABLE upgrade_marker (id INTEGER PRIMARY KEY)')\n",
        encoding="utf-8")
    path = tmp_path / "data" / "tracker.sqlite3"
    monkeypatch.setattr(tracker_db, "MIGRATIONS_DIR", old_dir)
    tracker_db.open_database(path)
    from tracker.plan.store import ensure_bundled_plan

    ensure_bundled_plan()
    tracker_db.close_database()
    monkeypatch.setattr(tracker_db, "MIGRATIONS_DIR", new_dir)
    opened = tracker_db.open_database(path)
    try:
        assert "upgrade_marker" in opened.get_tables()
        copies = backup.list_backups()
        assert [c.reason for c in copies] == ["migration"]
        connection = sqlite3.connect(copies[0].path)
        assert connection.execute("SELECT count(*) FROM measure").fetchone()[0] == 233
        assert "upgrade_marker" not in {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        connection.close()
    finally:
        tracker_db.close_database()


def test_backups_are_refused_for_a_server_database(monkeypatch):
    from peewee import PostgresqlDatabase

    from tracker.storage.models import database

    monkeypatch.setattr(database, "obj", PostgresqlDatabase("x"))
    assert backup.auto_backup("start") is None
    with pytest.raises(TrackerError, match="SQLite"):
        backup.backup_to("x.sqlite3")


def test_databases_in_one_folder_keep_and_prune_only_their_own_copies(tmp_path):
    """Two databases beside each other once shared one backups folder: one's copies pushed out the other's."""
    office, other = tmp_path / "tracker.sqlite3", tmp_path / "other.sqlite3"
    tracker_db.open_database(office)
    first = backup.auto_backup("start")
    tracker_db.open_database(other)
    try:
        for number in range(backup.KEEP_LATEST + 3):
            Plan.create(uid=f"p{number}", title="План", first_year=2024, last_year=2027)  # a new state each time
            backup.auto_backup("manual")
        assert len(backup.list_backups()) == backup.KEEP_LATEST  # all made this month: the latest ten
        assert all(b.path.name.startswith("other-") for b in backup.list_backups())
    finally:
        tracker_db.close_database()
    tracker_db.open_database(office)
    try:
        assert [b.path for b in backup.list_backups()] == [first]  # untouched by the other's rotation
    finally:
        tracker_db.close_database()


def test_rotation_keeps_the_copy_made_before_the_last_import(tmp_path):
    path = tmp_path / "tracker.sqlite3"
    tracker_db.open_database(path)
    try:
        Plan.create(uid="before", title="План", first_year=2024, last_year=2027)
        before_import = backup.auto_backup("import")
        for number in range(backup.KEEP_LATEST + 5):
            Plan.create(uid=f"p{number}", title="План", first_year=2024, last_year=2027)
            backup.auto_backup("start")
        kept = {b.path for b in backup.list_backups()}
        assert before_import in kept and len(kept) == backup.KEEP_LATEST + 1
    finally:
        tracker_db.close_database()


def test_rotation_keeps_the_copies_made_before_restores_beyond_the_latest_few(tmp_path):
    """Each holds what its restore undid, and nothing else does: two restores in a row, then a dozen imports, had
    pushed out the first restore's copy — with an update made between the backup and the restores in it alone."""
    path = tmp_path / "tracker.sqlite3"
    tracker_db.open_database(path)
    try:
        restores = []
        for number in range(3):
            Plan.create(uid=f"undone{number}", title="План", first_year=2024, last_year=2027)
            restores.append(backup.auto_backup("restore"))
        for number in range(backup.KEEP_LATEST + 5):
            Plan.create(uid=f"p{number}", title="План", first_year=2024, last_year=2027)
            backup.auto_backup("import")
        kept = {b.path for b in backup.list_backups()}
        assert set(restores) <= kept and len(kept) == backup.KEEP_LATEST + 3
    finally:
        tracker_db.close_database()


def test_the_start_backup_in_the_background_holds_the_state_at_the_call_not_later_saves(plan, monkeypatch):
    measure = find_measure(plan, "1.1.1")
    save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="a")
    gate, copying = threading.Event(), backup._keep_snapshot

    def held(*args):  # the thread copies only after the save below
        gate.wait(10)
        return copying(*args)
    monkeypatch.setattr(backup, "_keep_snapshot", held)
    results = []
    thread = backup.start_backup("start", done=lambda path, failure: results.append((path, failure)))
    save_progress(measure, Q, {"percent": 60}, author="b")  # the window is up and the person saves meanwhile
    gate.set()
    thread.join(30)
    (path, failure), = results
    assert failure == "" and path.parent.name == "backups" and path.name.endswith("-start.sqlite3")
    copy = sqlite3.connect(path)
    assert copy.execute("SELECT percent FROM progress WHERE measure_id = ?", (measure.id,)).fetchall() == [(10,)]
    copy.close()
    assert record_of("1.1.1", Q).percent == 60  # the database itself has the save
    monkeypatch.setattr(backup, "_keep_snapshot", copying)
    later = []  # the next start copies the save; the one after, with nothing changed, keeps no twin
    for _ in range(2):
        backup.start_backup("start", done=lambda path, failure: later.append(path)).join(30)
    assert later[0] != path and later[1] == later[0] == backup.list_backups()[0].path
    assert not list(backup.backup_dir().glob(".*"))  # the copies' own -wal and -shm are gone with them


def test_a_damaged_copy_is_not_kept_and_the_failure_is_said(plan, monkeypatch):
    monkeypatch.setattr(backup, "copy_problem", lambda connection, full: "row 7 missing from index")
    before = backup.list_backups()
    results = []
    backup.start_backup("start", done=lambda path, failure: results.append((path, failure))).join(30)
    (path, failure), = results
    assert path is None and "пошкоджено" in failure and "row 7 missing" in failure
    assert backup.list_backups() == before
    assert not list(backup.backup_dir().glob(".*"))  # nothing half made left: no .part, no -wal, no -shm


def test_an_import_refused_while_its_copy_is_made_waits_for_the_copy(plan, monkeypatch):
    """copied_meanwhile: a block that fails still waits for its copy — no copy left running behind a refused import
    (the next try would make another beside it) — and keeps none (the database is as it was: it pushed older copies
    out); and a copy that failed in an unforeseen way is said, not lost."""
    gate, copying = threading.Event(), backup._keep_snapshot
    monkeypatch.setattr(backup, "_keep_snapshot", lambda *args: (gate.wait(10), copying(*args))[1])
    threading.Timer(0.3, gate.set).start()
    with pytest.raises(ZeroDivisionError):
        with backup.copied_meanwhile("import"):
            1 / 0  # a package refused part-way
    assert not [t for t in threading.enumerate() if t.name == "backup-import"]
    assert [b.reason for b in backup.list_backups()].count("import") == 0  # refused: no copy kept, none pushed out
    for number in range(backup.KEEP_LATEST + 2):
        Plan.create(uid=f"p{number}", title="План", first_year=2024, last_year=2027)
        backup.auto_backup("start")
    copies = backup.list_backups()
    Plan.create(uid="new state", title="План", first_year=2024, last_year=2027)
    with pytest.raises(ZeroDivisionError):
        with backup.copied_meanwhile("import"):
            1 / 0
    assert backup.list_backups() == copies

    def broken(*args):
        raise ValueError("unforeseen")
    monkeypatch.setattr(backup, "_keep_snapshot", broken)
    with pytest.raises(TrackerError, match="unforeseen"):
        with backup.copied_meanwhile("import"):
            pass


def test_a_copy_is_a_twin_of_the_newest_only_when_every_byte_is_the_same(tmp_path):
    newest = tmp_path / "newest.sqlite3"
    newest.write_bytes(bytes(3 << 20) + b"end")  # past a megabyte: compared block by block
    previous = backup.BackupFile(newest, dt.datetime(2025, 1, 1), "start")
    same, last, shorter = tmp_path / "same", tmp_path / "last", tmp_path / "shorter"
    same.write_bytes(newest.read_bytes())
    last.write_bytes(bytes(3 << 20) + b"enD")
    shorter.write_bytes(bytes(3 << 20) + b"en")
    assert backup._twin(previous, same)
    assert not backup._twin(previous, last) and not backup._twin(previous, shorter)
    assert not backup._twin(None, same)


def test_a_copy_is_one_file_that_its_checks_and_restores_leave_alone(plan, tmp_path):
    """Read back, checked, restored from: nothing appears beside a copy (a WAL copy got a -wal and a -shm each time,
    outliving it), and the database restored from it stays in WAL mode."""
    from tracker.storage.integrity import file_problem
    from tracker.storage.models import database

    save_progress(find_measure(plan, "1.1.1"), Q, {"status": "in_progress", "percent": 10}, author="a")
    made = [backup.auto_backup("import"), backup.backup_to(tmp_path / "копія.sqlite3")]
    for copy in made:
        assert file_problem(copy) == "" and file_problem(copy, full=False) == ""
        backup.check_backup_file(copy)
        restore.restore_from(copy)
        assert sorted(p.name for p in copy.parent.iterdir() if p.name.startswith(copy.name)) == [copy.name]
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert record_of("1.1.1", Q).percent == 10


def test_a_file_in_wal_mode_restored_from_or_refused_is_left_without_side_files(plan, tmp_path, plan_template):
    """A file someone names (another office's database, a copy made with the file manager) is in WAL mode: reading
    it left a «-wal» and a «-shm» beside it, restored from or refused. Side files it had already stay."""
    source = tmp_path / "інша.sqlite3"
    shutil.copyfile(plan_template, source)
    with sqlite3.connect(source) as connection:
        assert connection.execute("PRAGMA journal_mode = wal").fetchone()[0] == "wal"
    connection.close()
    restore.restore_from(source)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(source.name)) == [source.name]
    with sqlite3.connect(source) as connection:
        connection.execute("DELETE FROM plan")  # not a tracker database any more: refused
    connection.close()
    with pytest.raises(TrackerError, match="немає плану"):
        backup.check_backup_file(source)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(source.name)) == [source.name]
    kept = source.with_name(source.name + "-shm")
    kept.write_bytes(b"")  # there before: another program's
    with pytest.raises(TrackerError):
        backup.check_backup_file(source)
    assert kept.exists()


def test_rotation_takes_what_reads_left_beside_a_copy_with_it(plan):
    start = dt.datetime(2025, 1, 15, 9, 0)
    first = backup.auto_backup("start", now=start)
    for suffix in ("-wal", "-shm"):  # as a read of a copy made in WAL mode leaves them
        first.with_name(first.name + suffix).write_bytes(b"")
    for day in range(1, 12):
        backup.auto_backup("start", now=start + dt.timedelta(hours=day))
        save_progress(find_measure(plan, "1.1.1"), Q, {"status": "in_progress", "percent": day}, author="a")
    assert not first.exists() and not list(first.parent.glob(first.name + "-*"))


def test_rotation_takes_the_half_written_copies_a_cut_off_backup_left(plan):
    """A blackout in the middle of a copy left «.NAME.part» as large as the database, never taken away."""
    import os

    made = backup.auto_backup("start")
    folder, own = made.parent, made.name.split("-")[0]
    cut_off = folder / f".{own}-20250115-090000-000000-start.sqlite3.part"
    being_written = folder / f".{own}-20250115-100000-000000-manual.sqlite3.part"
    another_database = folder / ".other-20250115-090000-000000-start.sqlite3.part"
    its_journal = cut_off.with_name(cut_off.name + "-journal")
    for path in (cut_off, being_written, another_database, its_journal):
        path.write_bytes(b"SQLite format 3\0" + b"\0" * 4096)
    hours_ago = (dt.datetime.now() - dt.timedelta(hours=2)).timestamp()
    for path in (cut_off, another_database, its_journal):
        os.utime(path, (hours_ago, hours_ago))
    assert sorted(backup.rotate()) == sorted([cut_off, its_journal])
    assert not cut_off.exists() and not its_journal.exists()
    assert being_written.exists() and another_database.exists() and made.exists()
