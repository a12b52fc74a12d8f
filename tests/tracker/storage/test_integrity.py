"""SQLite's checks of a file: the quick check run in a thread beside the program's own reading."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys

import pytest

from tests.helpers import corrupt, damage_pages_of
from tracker.storage import integrity
from tracker.storage.integrity import CheckBeside, FileUnreadable, file_problem, read_only, sqlite_reason


def test_the_check_beside_says_what_the_quick_check_says(tmp_path, plan_template):
    whole = tmp_path / "whole.sqlite3"
    shutil.copyfile(plan_template, whole)
    assert CheckBeside(whole).wait() == ""
    for damage in (corrupt, lambda path: damage_pages_of(path, "history_event_uid")):
        damaged = tmp_path / "damaged.sqlite3"
        shutil.copyfile(plan_template, damaged)
        damage(damaged)
        found = CheckBeside(damaged).wait()
        assert found and found == file_problem(damaged, full=False)


def test_a_file_it_cannot_open_is_not_a_finding(tmp_path):
    """Not checked there (None): the caller checks on its own connection, it does not call the file damaged."""
    assert CheckBeside(tmp_path / "немає" / "tracker.sqlite3").wait() is None


def _folder_named_with_uri_signs(tmp_path):
    folder = tmp_path / ("Звіти #2 (100%)" + ("?" if sys.platform != "win32" else ""))
    folder.mkdir()
    return folder


def test_a_file_in_a_folder_named_with_a_uri_s_signs_is_the_very_file_read(tmp_path, plan_template):
    """«#», «%», «?» in a folder's name: the checks read that file, and make no other (SQLite opened «Звіти »)."""
    path = _folder_named_with_uri_signs(tmp_path) / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    connection = read_only(path)
    try:
        assert connection.execute("SELECT count(*) FROM measure").fetchone()[0] == 233
    finally:
        connection.close()
    damage_pages_of(path, "history_event_uid")
    assert file_problem(path, full=False) and CheckBeside(path).wait()
    assert [p.name for p in tmp_path.iterdir()] == [path.parent.name]


def _out_of_reach(monkeypatch, path):
    """As SQLite says a file it may not open (no read right: the tests may run as root, whom rights do not stop)."""
    real = integrity.read_only

    def read_only(given):
        if str(given) == str(path):
            raise sqlite3.OperationalError("unable to open database file")
        return real(given)
    monkeypatch.setattr(integrity, "read_only", read_only)


def test_a_file_out_of_reach_is_not_called_damaged(tmp_path, plan_template, monkeypatch):
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    _out_of_reach(monkeypatch, path)
    with pytest.raises(FileUnreadable, match="немає доступу"):
        file_problem(path)


def test_a_file_found_whole_is_known_so_until_it_is_written_or_replaced(tmp_path, plan_template):
    """whole_before: the full check found the file whole in this process and nothing has changed it since."""
    whole = tmp_path / "whole.sqlite3"
    shutil.copyfile(plan_template, whole)
    assert not integrity.whole_before(whole)
    assert file_problem(whole, full=False) == "" and not integrity.whole_before(whole)  # the quick check: not so
    assert file_problem(whole) == "" and integrity.whole_before(whole)
    connection = sqlite3.connect(whole)  # written: a change made since the check
    connection.execute("UPDATE plan SET title = title || ' '")
    connection.commit()
    connection.close()
    assert not integrity.whole_before(whole)
    assert file_problem(whole) == "" and integrity.whole_before(whole)
    other = tmp_path / "other.sqlite3"  # replaced by another file of the same size, its time set back
    shutil.copyfile(plan_template, other)
    stat = whole.stat()
    other.replace(whole)
    os.utime(whole, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not integrity.whole_before(whole)
    (tmp_path / "whole.sqlite3-wal").write_bytes(b"")  # a WAL beside it, after a check: what it holds was not read
    assert file_problem(whole) == "" and integrity.whole_before(whole)
    (tmp_path / "whole.sqlite3-wal").write_bytes(b"\0" * 32)
    assert not integrity.whole_before(whole)


def test_a_damaged_file_is_never_known_whole(tmp_path, plan_template):
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copyfile(plan_template, damaged)
    damage_pages_of(damaged, "history_event_uid")
    assert file_problem(damaged) and not integrity.whole_before(damaged)
    assert not integrity.whole_before(tmp_path / "немає.sqlite3")


@pytest.mark.parametrize("finding, said", [
    ("Page 65: btreeInitPage() returns error code 11", "сторінки файла пошкоджено; SQLite: «Page 65: btreeInitPage()"),
    ("On tree page 3 cell 0: invalid page number 99", "сторінки файла пошкоджено; SQLite: «On tree page 3"),
    ("Freelist: size is 7 but should be 5", "сторінки файла пошкоджено"),
    ("wrong # of entries in index measure_plan_id", "індекс «measure_plan_id» не відповідає записам таблиці"),
    ("database disk image is malformed", "сторінки файла не читаються як база даних"),
    ("something SQLite has not said before", "something SQLite has not said before")])
def test_the_check_s_findings_are_said_in_the_program_s_words(finding, said):
    assert sqlite_reason(finding).startswith(said)



def test_a_check_leaves_the_file_s_folder_as_it_found_it(tmp_path, plan_template):
    """Its read-only connection left an empty -wal and a -shm beside the database and every backup checked."""
    path = tmp_path / "копія.sqlite3"
    shutil.copyfile(plan_template, path)
    before = path.read_bytes()
    assert file_problem(path) == "" and file_problem(path, full=False) == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["копія.sqlite3"]
    assert path.read_bytes() == before


def test_a_check_leaves_the_files_another_program_has_open(tmp_path, plan_template):
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    other = sqlite3.connect(path)
    try:
        other.execute("SELECT count(*) FROM measure").fetchone()  # it reads: its -wal and -shm are in use
        assert file_problem(path) == ""
        assert (tmp_path / "office.sqlite3-wal").exists() and (tmp_path / "office.sqlite3-shm").exists()
        assert other.execute("SELECT count(*) FROM measure").fetchone() == (233,)
    finally:
        other.close()
