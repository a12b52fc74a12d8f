"""A database file replaced under the program (tracker.storage.file_identity): its saves are refused, not written into
the old file no name leads to any more."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from tracker.progress.records import find_measure, quarter_record, save_progress
from tracker.quarters import Quarter
from tracker.storage.backup import backup_to
from tracker.storage.db import database, open_database
from tracker.storage.file_identity import FileReplaced

Q = Quarter(2025, 1)


def _percents(path) -> dict[int, int]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT measure_id, percent FROM progress").fetchall())


def test_a_save_into_a_file_replaced_by_rename_is_refused_and_written_nowhere(plan, tmp_path):
    """`cp copy x.db.new && mv x.db.new x.db` while a program had x.db open: its next save said «записано» and went
    into the old file, deleted; the file under the name never had it."""
    path = database.obj.database
    first, second = find_measure(plan, "1.1.1"), find_measure(plan, "1.1.3")
    save_progress(first, Q, {"status": "in_progress", "percent": 10}, author="Іван")
    copy = backup_to(tmp_path / "copy.sqlite3")
    save_progress(first, Q, {"percent": 20}, author="Іван")
    os.replace(copy, path)  # the copy put back by rename, the program still on the old file
    with pytest.raises(FileReplaced, match="замінено іншим.*Зміни не записано.*Відкрийте базу знову"):
        save_progress(second, Q, {"status": "in_progress", "percent": 30}, author="Марія")
    # opened again, as the window does it (the old file's connection still open): the file that is there now is
    # the one read and written — not with the old file's pages from its WAL, which lay beside it under the same name
    # (a connection to the new file read 20 % from it, a save the copy never had)
    open_database(path)
    assert quarter_record(first, Q).percent == 10 and quarter_record(second, Q) is None
    save_progress(second, Q, {"status": "in_progress", "percent": 30}, author="Марія")
    assert quarter_record(second, Q).percent == 30
    database.obj.close()
    assert _percents(path) == {first.id: 10, second.id: 30}


def test_a_save_into_a_file_deleted_under_the_program_is_refused(plan):
    path = database.obj.database
    measure = find_measure(plan, "1.1.1")
    os.replace(path, path + ".moved")
    with pytest.raises(FileReplaced):
        save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="Іван")


def test_the_command_line_says_it_in_ukrainian_without_a_traceback(plan, tmp_path):
    """The helper's case, whole: another program held the file, the command line waited, the file was replaced."""
    path = database.obj.database
    copy = backup_to(tmp_path / "copy.sqlite3")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(3); c.execute('ROLLBACK')"), path],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    setter = subprocess.Popen([sys.executable, "-m", "tracker", "--db", path, "set", "1.1.3", "--quarter", "2025Q1",
                               "--status", "in_progress", "--percent", "30", "--author", "Марія"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        waiting = setter.stderr.readline()  # it says it waits for the other program
        assert "Чекаю" in waiting, waiting
        os.replace(copy, path)
        out, err = setter.communicate(timeout=120)
    finally:
        holder.wait(timeout=30)
        holder.stdout.close()
    assert setter.returncode != 0 and "Traceback" not in err and "замінено іншим" in err + out, (out, err)
    assert "записано" not in out
    assert _percents(path) == {}


def test_a_file_system_whose_numbers_change_at_every_look_never_refuses_a_save(plan, monkeypatch):
    """Some network shares make a file's number up at each look: taken for a replaced file, every save would be
    refused."""
    import itertools

    real = os.stat
    counter = itertools.count(1)

    def made_up(path, *args, **kwargs):
        found = real(path, *args, **kwargs)
        if str(path) != database.obj.database:
            return found
        return os.stat_result((found.st_mode, next(counter), *tuple(found)[2:]))
    measure = find_measure(plan, "1.1.1")
    monkeypatch.setattr(os, "stat", made_up)
    open_database(database.obj.database)  # its numbers asked at opening: they differ
    save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="Іван")
    assert quarter_record(measure, Q).percent == 10


def test_a_file_that_cannot_be_asked_for_a_moment_is_not_taken_for_gone(plan, monkeypatch):
    """An antivirus holding the file a moment made os.stat fail: «gone», every save refused."""
    real = os.stat
    measure = find_measure(plan, "1.1.1")

    def refused(path, *args, **kwargs):
        if str(path) == database.obj.database:
            raise PermissionError(13, "Access is denied")
        return real(path, *args, **kwargs)
    monkeypatch.setattr(os, "stat", refused)
    save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="Іван")
    assert quarter_record(measure, Q).percent == 10
