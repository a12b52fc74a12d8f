"""An older version's folder (the roaming profile on Windows) moves to the per-user Local folder, losing nothing."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

import pytest

from tracker import paths
from tracker.storage import relocation
from tracker.storage.integrity import read_only
from tracker.storage.relocation import MOVED_SUFFIX, moved_path, relocate, settle_user_folder


def _old_folder(tmp_path, plan_template):
    """A 0.1 folder: the database with a save still in its WAL (the program was closed by a blackout), its
    backups and its journal."""
    old = tmp_path / "Roaming" / "LutskPlanTracker"
    (old / "backups").mkdir(parents=True)
    (old / "logs").mkdir()
    shutil.copyfile(plan_template, old / "backups" / "tracker-2026-01-01-start.sqlite3")
    (old / "logs" / "tracker.log").write_text("старий журнал\n", encoding="utf-8")
    live = tmp_path / "live.sqlite3"
    shutil.copyfile(plan_template, live)
    writer = sqlite3.connect(live)
    writer.execute("PRAGMA journal_mode=wal")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("UPDATE measure SET title = 'Збережено перед вимкненням світла' WHERE code = '1.1.1'")
    writer.commit()
    for suffix in ("", "-wal", "-shm"):  # the files as the blackout left them
        shutil.copyfile(f"{live}{suffix}", old / f"tracker.sqlite3{suffix}")
    writer.close()
    return old


def _title(path):
    with closing(read_only(path)) as reading:
        return reading.execute("SELECT title FROM measure WHERE code = '1.1.1'").fetchone()[0]


@pytest.mark.parametrize("profile", ["Олена", "Олена #2"])  # «#» ended the file's URI: «Олена » was opened
def test_the_old_folder_moves_with_the_save_in_its_wal(tmp_path, plan_template, profile):
    tmp_path = tmp_path / profile
    old = _old_folder(tmp_path, plan_template)
    new = tmp_path / "Local" / "LutskCityCouncil" / "LutskPlanTracker"
    done = relocate(old, new)
    assert done.moved
    assert _title(new / "tracker.sqlite3") == "Збережено перед вимкненням світла"
    assert (new / "backups" / "tracker-2026-01-01-start.sqlite3").is_file()
    assert (new / "logs" / "tracker.log").read_text(encoding="utf-8") == "старий журнал\n"
    # the old file is kept under another name, so an older program started later makes a new one, not writes there
    assert not (old / "tracker.sqlite3").exists() and (old / f"tracker.sqlite3{MOVED_SUFFIX}").is_file()
    assert str(new) in (old / relocation.NOTE_NAME).read_text(encoding="utf-8")
    assert relocate(old, new) is None  # done once


def test_a_database_still_open_in_an_older_program_stays_where_it_is(tmp_path, plan_template):
    old = _old_folder(tmp_path, plan_template)
    new = tmp_path / "Local" / "LutskPlanTracker"
    older_program = sqlite3.connect(old / "tracker.sqlite3")
    older_program.execute("SELECT count(*) FROM measure").fetchone()
    try:
        done = relocate(old, new)
        assert not done.moved and done.reason == "in use"
        assert not (new / "tracker.sqlite3").exists()
        assert _title(old / "tracker.sqlite3") == "Збережено перед вимкненням світла"
    finally:
        older_program.close()
    assert relocate(old, new).moved  # the next start, once it is closed


def test_a_database_already_in_the_new_folder_is_never_replaced(tmp_path, plan_template):
    old = _old_folder(tmp_path, plan_template)
    new = tmp_path / "Local" / "LutskPlanTracker"
    new.mkdir(parents=True)
    shutil.copyfile(plan_template, new / "tracker.sqlite3")
    assert relocate(old, new) is None
    assert _title(old / "tracker.sqlite3") == "Збережено перед вимкненням світла"  # untouched
    assert _title(new / "tracker.sqlite3") != "Збережено перед вимкненням світла"


def test_at_start_the_default_database_is_the_moved_one_or_the_old_one_in_use(tmp_path, plan_template, monkeypatch):
    old = _old_folder(tmp_path, plan_template)
    new = tmp_path / "Local" / "LutskPlanTracker"
    monkeypatch.setattr(paths, "legacy_data_dir", lambda: old)
    monkeypatch.setattr(paths, "user_data_dir", lambda: new)
    monkeypatch.setattr(relocation, "legacy_data_dir", lambda: old)
    monkeypatch.setattr(relocation, "user_data_dir", lambda: new)
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)
    older_program = sqlite3.connect(old / "tracker.sqlite3")
    older_program.execute("SELECT 1 FROM measure").fetchone()
    assert not settle_user_folder().moved
    assert paths.default_database() == str(old / "tracker.sqlite3")  # used where it is
    older_program.close()
    assert settle_user_folder().moved
    assert paths.default_database() == str(new / "tracker.sqlite3")


def test_remembered_paths_follow_the_moved_files(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    (new / "backups").mkdir(parents=True)
    (new / "tracker.sqlite3").touch()
    assert moved_path(str(old / "tracker.sqlite3"), old, new) == str(new / "tracker.sqlite3")
    assert moved_path(str(old / "other.sqlite3"), old, new) == str(old / "other.sqlite3")  # not moved: kept
    assert moved_path(str(tmp_path / "usb" / "x.sqlite3"), old, new) == str(tmp_path / "usb" / "x.sqlite3")
    assert moved_path("postgresql://office/plan", old, new) == "postgresql://office/plan"
