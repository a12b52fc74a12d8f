"""A damaged database file: noticed when opened, never copied into a backup, put right from a whole copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from contextlib import contextmanager

import pytest
from peewee import SqliteDatabase

from tests.helpers import (
    corrupt,
    damage_an_index,
    damaged_with_a_whole_copy,
    database_digest,
    leave_a_fitting_stray_wal,
    leave_a_stray_wal,
    leave_saves_in_the_wal,
)
from tracker.errors import TrackerError
from tracker.plan.store import open_plan
from tracker.storage import backup
from tracker.storage.db import close_database, make_database, open_database
from tracker.storage.integrity import damaged_index, file_problem, only_indexes_damaged
from tracker.storage.recovery import (
    DamagedDatabaseError,
    damaged,
    damaged_by_wal,
    rebuild_indexes,
    replace_damaged,
    set_wal_aside,
)


def test_a_damaged_database_is_refused_naming_the_newest_whole_copy(damaged_database):
    path, good = damaged_database
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as refused:
        open_database(path)
    assert refused.value.backup.path == good and str(good) in str(refused.value)
    assert "пошкоджено" in str(refused.value) and refused.value.hint == "restore"
    assert path.read_bytes() == before
    assert [b.path for b in backup.list_backups(make_database(path))] == [good]  # no damaged copy was made


def test_a_damaged_database_is_never_copied(damaged_database, tmp_path):
    path, _ = damaged_database
    raw = SqliteDatabase(str(path))  # opened as another program would, without the program's own check
    raw.connect()
    try:
        with pytest.raises(TrackerError, match="не скопійовано"):
            backup.backup_to(tmp_path / "copy.sqlite3", db=raw)
    finally:
        raw.close()
    assert not (tmp_path / "copy.sqlite3").exists()


def test_the_whole_copy_takes_the_damaged_file_s_place_and_the_damaged_file_is_kept(damaged_database):
    path, good = damaged_database
    damaged_bytes = path.read_bytes()
    kept = replace_damaged(path, good)
    assert kept.read_bytes() == damaged_bytes and kept.parent == path.parent
    plan = open_plan(path)
    try:
        assert plan.measures.count() == 233
    finally:
        close_database()


def test_a_damaged_copy_is_not_put_in_place(damaged_database, tmp_path):
    path, good = damaged_database
    bad = tmp_path / "bad.sqlite3"
    shutil.copyfile(path, bad)
    before = path.read_bytes()
    with pytest.raises(TrackerError, match="теж пошкоджена"):
        replace_damaged(path, bad)
    assert path.read_bytes() == before


def _digest(path) -> str:
    open_database(path)
    try:
        return database_digest()
    finally:
        close_database()


def test_an_index_alone_damaged_is_said_so_and_rebuilt_from_the_rows_with_nothing_lost(tmp_path, plan_template):
    """A restore of the newest copy would lose every change since it: the rows are whole, so the indexes are made anew
    from them; every row is as it was, the file is whole, and the damaged file is kept beside as it was."""
    path, good = damaged_with_a_whole_copy(plan_template, tmp_path, lambda path: None)
    before = _digest(path)
    damage_an_index(path)
    damaged_bytes = path.read_bytes()
    assert only_indexes_damaged(path) and file_problem(path, full=False) == ""  # the quick check sees nothing
    error = damaged(make_database(path), file_problem(path))
    assert error.indexes and error.hint == "repair" and error.backup.path == good
    assert "індекс «measure_removed_by_id» не відповідає записам таблиці" in str(error)
    assert "без жодних втрат" in str(error) and "Відновіть базу з неї" not in str(error)
    kept = rebuild_indexes(path)
    assert kept.read_bytes() == damaged_bytes and kept.parent == path.parent
    assert file_problem(path) == "" and _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == sorted([path.name, kept.name])


def test_a_file_with_damaged_pages_is_not_rebuilt_and_is_left_as_it_was(damaged_database):
    path, _ = damaged_database
    before = path.read_bytes()
    assert not only_indexes_damaged(path)
    with pytest.raises(TrackerError, match="не лише індекси"):
        rebuild_indexes(path)
    assert path.read_bytes() == before and not list(path.parent.glob("*-пошкоджена-*"))


def test_twin_rows_a_damaged_unique_index_let_in_are_not_chosen_between(tmp_path, plan_template):
    """Rebuilding would have to drop one of them: refused, the file as it was."""
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    damage_an_index(path, "department_name", meanwhile=(
        "INSERT INTO department (name, short_name, kind, aliases, contact_person, email, phone) SELECT name, "
        "short_name, kind, aliases, contact_person, email, phone FROM department ORDER BY id LIMIT 1"))
    before = path.read_bytes()
    assert only_indexes_damaged(path)
    with pytest.raises(TrackerError, match="записи-двійники"):
        rebuild_indexes(path)
    assert path.read_bytes() == before and not list(tmp_path.glob("*-пошкоджена-*"))
    assert not list(tmp_path.glob(".*.part*"))  # nor a half-made copy


def test_once_a_rebuild_is_refused_the_damage_offers_the_newest_copy(tmp_path, plan_template):
    """The rebuild was offered again after each refusal, and the copy that would put things right never was."""
    path, good = damaged_with_a_whole_copy(plan_template, tmp_path, lambda path: None)
    damage_an_index(path, "department_name", meanwhile=(
        "INSERT INTO department (name, short_name, kind, aliases, contact_person, email, phone) SELECT name, "
        "short_name, kind, aliases, contact_person, email, phone FROM department ORDER BY id LIMIT 1"))
    assert damaged(make_database(path), file_problem(path)).indexes
    with pytest.raises(TrackerError, match="записи-двійники"):
        rebuild_indexes(path)
    error = damaged(make_database(path), file_problem(path))
    assert not error.indexes and error.hint == "restore" and error.backup.path == good
    assert "Відновіть базу з неї" in str(error)


def test_a_failed_last_move_puts_every_file_back(damaged_database, monkeypatch):
    """The whole copy could not take the file's place (held a moment by an antivirus): the database had been left
    missing, under «Файл не змінено»."""
    import os

    from tracker.storage import recovery

    path, good = damaged_database
    tmp_path = path.parent
    before = path.read_bytes()
    real_replace = os.replace

    def held(source, target):
        if str(source).endswith(".part"):
            raise PermissionError(13, "The process cannot access the file because it is being used")
        return real_replace(source, target)
    monkeypatch.setattr(recovery.os, "replace", held)
    with pytest.raises(TrackerError, match="Файли не змінено"):
        replace_damaged(path, good)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*-пошкоджена-*")) and not list(tmp_path.glob(".*.part"))


def test_a_file_that_cannot_be_put_back_is_named_not_said_unchanged(damaged_database, monkeypatch):
    """The move back failed too (the antivirus still held it): «Файл не змінено» was said of a database then lying
    under another name. The message names it and the name to give it back; nothing is lost."""
    import os

    from tracker.storage import recovery

    path, good = damaged_database
    tmp_path = path.parent
    before = path.read_bytes()
    real_replace = os.replace

    def held(source, target):
        if str(source).endswith(".part") or str(target) == str(path):
            raise PermissionError(13, "The process cannot access the file because it is being used")
        return real_replace(source, target)
    monkeypatch.setattr(recovery.os, "replace", held)
    with pytest.raises(TrackerError) as refused:
        replace_damaged(path, good)
    [kept] = tmp_path.glob("*-пошкоджена-*")
    assert "не змінено" not in str(refused.value) and f"«{kept}» на «{path.name}»" in str(refused.value)
    assert kept.read_bytes() == before and not path.exists() and not list(tmp_path.glob(".*.part"))


# another program with the file open: it has read it (as a window of the tracker has), and waits
_HOLDER = ("import sqlite3, sys; c = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True); "
           "c.execute('PRAGMA user_version').fetchone(); print('ready', flush=True); sys.stdin.readline()")


@contextmanager
def _open_elsewhere(path):
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.communicate("\n", timeout=60)


def _pages_damaged(tmp_path, plan_template):
    path, good = damaged_with_a_whole_copy(plan_template, tmp_path, corrupt)
    return path, lambda path: replace_damaged(path, good)


def _stray_wal(tmp_path, plan_template):
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    leave_a_stray_wal(path)
    return path, set_wal_aside


@pytest.mark.parametrize("damage", [_pages_damaged, _stray_wal])
def test_a_file_open_in_another_program_is_not_moved(tmp_path, plan_template, damage):
    """A window on another PC (or this one) kept the file open while a mend moved it aside: its next save went into
    the file set aside, and was lost from the database. Refused, every file as it was; once it is closed, mended."""
    path, mend = damage(tmp_path, plan_template)
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    with _open_elsewhere(path):
        with pytest.raises(TrackerError, match="відкрито ще десь.*Файл не змінено"):
            mend(path)
        # as they were (the other program's reading made an empty WAL and its index beside the file, if none was)
        assert {name: (tmp_path / name).read_bytes() for name in files} == files
        assert {p.name for p in tmp_path.iterdir() if p.is_file()} <= set(files) | {path.name + "-wal", path.name + "-shm"}
    kept = mend(path)
    assert kept.exists() and file_problem(path) == ""


# another program saving: a write held open until told, then another after
_SAVER = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30); "
          "c.execute('BEGIN IMMEDIATE'); c.execute(\"UPDATE department SET phone = 'під час' WHERE id = 1\"); "
          "print('writing', flush=True); sys.stdin.readline(); c.execute('COMMIT'); sys.stdin.readline(); "
          "c.execute(\"UPDATE department SET email = 'після' WHERE id = 1\"); print('saved', flush=True); "
          "sys.stdin.readline()")


def test_what_another_program_saves_during_and_after_a_rebuild_is_in_the_file(tmp_path, plan_template):
    """A rebuild made a copy beside the file and moved it into the file's place: a command-line save that ended while
    the copy was made was only in the file set aside — «нічого не втрачено» said of a lost save. The rebuild is made
    in the file now: it waits for the other program's write, and the other program's next save goes into it."""
    import threading

    path, _ = damaged_with_a_whole_copy(plan_template, tmp_path, lambda path: None)
    damage_an_index(path)
    saver = subprocess.Popen([sys.executable, "-c", _SAVER, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert saver.stdout.readline().strip() == "writing"
        kept = []
        rebuilding = threading.Thread(target=lambda: kept.append(rebuild_indexes(path)))
        rebuilding.start()
        rebuilding.join(1)
        assert rebuilding.is_alive()  # waiting for the other program's write
        saver.stdin.write("\n")
        saver.stdin.flush()
        rebuilding.join(60)
        assert kept and kept[0].exists()
        saver.stdin.write("\n")
        saver.stdin.flush()
        assert saver.stdout.readline().strip() == "saved"
    finally:
        saver.communicate("\n", timeout=60)
    assert file_problem(path) == "" and not list(tmp_path.glob(".*.part"))
    opened = make_database(path)
    assert opened.execute_sql("SELECT phone, email FROM department WHERE id = 1").fetchone() == ("під час", "після")
    opened.close()


def test_a_restore_cut_off_between_its_moves_is_said_so_not_taken_for_a_file_moved_away(damaged_database):
    """A kill between the moves left the damaged file set aside and the whole copy under its hidden working name: the
    command line said the file had been moved away and advised making a new, empty database in its place."""
    from tracker.cli.commands import main
    from tracker.storage.db import missing_text

    path, good = damaged_database
    kept = path.with_name("office-пошкоджена-20261202-102305.sqlite3")
    path.rename(kept)
    shutil.copyfile(good, path.with_name(f".{path.name}.4242.part"))
    said = missing_text(path)
    assert f"«.{path.name}.4242.part»" in said and f"на «{path.name}»" in said and kept.name in said
    assert "нову базу не створюйте" in said
    assert main(["--db", str(path), "status"]) != 0 and not path.exists()


def test_a_whole_file_s_wal_is_never_blamed(tmp_path, plan_template):
    """Committed saves a blackout left in the WAL: setting it aside would lose them."""
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    wal = leave_saves_in_the_wal(path, "UPDATE department SET phone = '0332 000 000'")
    assert len(wal) > 0 and not damaged_by_wal(path)
    with pytest.raises(TrackerError, match="цілий разом із журналом"):
        set_wal_aside(path)
    assert path.with_name(path.name + "-wal").read_bytes() == wal


def test_a_stray_wal_that_fits_is_not_taken_for_index_damage(tmp_path, plan_template):
    """Its pages pass the quick check and only the indexes disagree with them: rebuilt, the other copy's rows were
    called the file's («нічого не втрачено») and the file's own were gone. The file alone is whole: the WAL is set
    aside instead, and the file's own row is there."""
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    leave_a_fitting_stray_wal(path)
    alone, wal = path.read_bytes(), path.with_name(path.name + "-wal").read_bytes()
    found = file_problem(path)
    assert file_problem(path, full=False) == "" and damaged_index(found) is not None
    error = damaged(make_database(path), found)
    assert error.wal and not error.indexes and error.hint == "repair" and "Сам файл бази цілий" in str(error)
    with pytest.raises(TrackerError, match="відкладіть журнал"):
        rebuild_indexes(path)
    assert path.read_bytes() == alone and path.with_name(path.name + "-wal").read_bytes() == wal
    kept = set_wal_aside(path)
    assert kept.read_bytes() == wal and file_problem(path) == ""
    opened = make_database(path)
    assert opened.execute_sql("SELECT count(*) FROM department WHERE name = 'Відділ, доданий після копії'"
                              ).fetchone() == (1,)
    opened.close()


def test_a_stray_wal_is_told_apart_from_a_damaged_file_and_set_aside(tmp_path, plan_template):
    """The file is whole alone; the WAL another copy left beside it made it look damaged. Set aside (kept), the file
    opens as it is, byte for byte; a file damaged itself is not helped so and is left as it was."""
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    leave_a_stray_wal(path)
    alone = path.read_bytes()
    wal = path.with_name("office.sqlite3-wal").read_bytes()
    assert file_problem(path, full=False) and damaged_by_wal(path)
    error = damaged(make_database(path), file_problem(path, full=False))
    assert error.wal and not error.indexes and error.hint == "repair" and "Сам файл бази цілий" in str(error)
    assert "Відновіть базу з неї" not in str(error)
    kept = set_wal_aside(path)
    assert kept.read_bytes() == wal and not path.with_name("office.sqlite3-wal").exists()
    assert path.read_bytes() == alone and file_problem(path) == ""
    assert not damaged_by_wal(path)  # no WAL now: nothing to set aside
    with pytest.raises(TrackerError, match="журналу незавершених записів поруч немає"):
        set_wal_aside(path)


def test_a_file_damaged_itself_is_not_said_to_be_whole_without_its_wal(damaged_database):
    path, _ = damaged_database
    path.with_name(path.name + "-wal").write_bytes(b"")  # an empty WAL beside it: nothing in it to blame
    assert not damaged_by_wal(path)
    before = path.read_bytes()
    with pytest.raises(TrackerError, match="не лише в журналі"):
        set_wal_aside(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("finding, index", [
    ("row 12 missing from index measure_plan_id", "measure_plan_id"),
    ("wrong # of entries in index history_event_uid", "history_event_uid"),
    ("non-unique entry in index department_name", "department_name"),
    ("index progress_x stores an imprecise floating-point value for row 7", "progress_x"),
    ("database disk image is malformed", None), ("Page 5: btreeInitPage() returns error code 11", None),
    ("NULL value in measure.code", None), ("row 12 missing from index", None)])
def test_only_findings_about_an_index_alone_name_it(finding, index):
    assert damaged_index(finding) == index


def test_starts_and_imports_that_change_nothing_keep_one_copy(tmp_path, plan_template):
    """Ten no-op imports once pushed out the copy made before the real one."""
    path = tmp_path / "tracker.sqlite3"
    shutil.copyfile(plan_template, path)
    open_database(path)
    try:
        first = backup.auto_backup("start")
        for _ in range(12):
            assert backup.auto_backup("import") == first
        assert [b.path for b in backup.list_backups()] == [first]
    finally:
        close_database()


def test_another_programs_database_is_not_mended(tmp_path):
    """check --repair rebuilt any SQLite file it was given; the commands that open a database refuse such a file."""
    import sqlite3

    path = tmp_path / "notes.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT UNIQUE)")
    connection.execute("INSERT INTO notes (text) VALUES ('чужі нотатки')")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    for mend in (rebuild_indexes, set_wal_aside):
        with pytest.raises(TrackerError, match="іншої програми"):
            mend(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]
