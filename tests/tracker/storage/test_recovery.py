"""A damaged database file: noticed when opened, never copied into a backup, put right from a whole copy."""

from __future__ import annotations

import shutil

import pytest
from peewee import SqliteDatabase

from tracker.errors import TrackerError
from tracker.plan.store import open_plan
from tracker.storage import backup
from tracker.storage.db import close_database, make_database, open_database
from tracker.storage.recovery import DamagedDatabaseError, replace_damaged


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
