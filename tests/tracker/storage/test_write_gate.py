"""Writes wait for the full check of a file opened on the quick one, and never reach a file it found damaged."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from tests.helpers import backup_checks, damage_an_index, damage_pages_of, leave_a_fitting_stray_wal, record_of
from tracker.errors import TrackerError
from tracker.plan.store import current_plan
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage import backup, write_gate
from tracker.storage.db import close_database, open_database
from tracker.storage.failures import DatabaseBusy, WaitCancelled
from tracker.storage.locking import Quick, UntilCancelled, waiting_with
from tracker.storage.models import History, Progress, database
from tracker.storage.recovery import DamagedDatabaseError

Q = Quarter(2025, 1)


def _save(plan, percent: int):
    return save_progress(find_measure(plan, "1.1.1"), Q, {"status": "in_progress", "percent": percent}, author="a")


def test_a_write_waits_for_the_check_and_goes_through_once_it_finds_the_file_whole(plan):
    settle = write_gate.hold_writes(database.obj)
    writer = threading.Thread(target=_save, args=(plan, 40))
    writer.start()
    writer.join(0.5)
    assert writer.is_alive()  # held: still waiting, nothing written
    assert not Progress.select().exists()
    settle("")
    writer.join(30)
    assert not writer.is_alive() and record_of("1.1.1", Q).percent == 40
    _save(plan, 50)  # once whole, later writes do not ask again
    assert record_of("1.1.1", Q).percent == 50


def test_the_window_s_thread_gives_up_at_once_and_a_worker_waits_saying_so_and_can_cancel(plan):
    settle = write_gate.hold_writes(database.obj)
    with waiting_with(Quick()), pytest.raises(DatabaseBusy, match="перевіряють"):
        _save(plan, 10)  # the window's thread: 0.3 s, then the save goes to a worker
    patience = UntilCancelled()
    seen = []

    def worker():
        with waiting_with(patience):
            try:
                _save(plan, 20)
            except WaitCancelled as exc:
                seen.append("cancelled" if "перевіряли" in str(exc) and "іншою програмою" not in str(exc) else exc)
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(0.6)
    assert thread.is_alive() and patience.checking and patience.waited is not None  # the dialog names the check
    patience.cancel()
    thread.join(30)
    assert seen == ["cancelled"] and not Progress.select().exists()  # (said as the check's, not another writer's)
    settle("")
    _save(plan, 30)
    assert record_of("1.1.1", Q).percent == 30


def test_a_file_found_damaged_is_never_written_to(plan):
    settle = write_gate.hold_writes(database.obj)
    assert write_gate.open_file_found_damaged() is None  # not yet known
    settle("row 9 missing from index measure_removed_by_id")
    assert write_gate.open_file_found_damaged() == Path(database.obj.database)
    for percent in (10, 20):
        with pytest.raises(DamagedDatabaseError, match="не записуються") as refused:
            _save(plan, percent)
        assert "індекс «measure_removed_by_id» не відповідає записам" in str(refused.value)  # SQLite's words, said
    assert not Progress.select().exists() and not History.select().exists()


def test_the_start_check_of_a_whole_file_makes_the_start_copy(plan):
    before = backup.list_backups()
    results = []
    write_gate.check_in_background(copy="start", done=lambda damage, failure: results.append((damage, failure))).join(30)
    assert results == [(None, "")] and write_gate.open_file_found_damaged() is None
    assert [b.reason for b in backup.list_backups()] == ["start"] + [b.reason for b in before]
    _save(plan, 30)
    assert record_of("1.1.1", Q).percent == 30


@pytest.mark.parametrize("copy", ["start", None])
def test_damage_only_the_full_check_finds_is_said_and_nothing_is_written_or_copied(tmp_path, plan_template, copy):
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    damage_an_index(path)
    open_database(path)  # the quick check at opening passes
    try:
        plan = current_plan()
        results = []
        write_gate.check_in_background(copy=copy, done=lambda damage, failure: results.append((damage, failure))
                                       ).join(30)
        (damage, failure), = results
        assert isinstance(damage, DamagedDatabaseError) and "measure_removed_by_id" in str(damage) and failure == ""
        assert damage.path == path and write_gate.is_open_file(path)
        with pytest.raises(DamagedDatabaseError):
            _save(plan, 10)
        assert not Progress.select().exists()
        assert not list((tmp_path / "backups").glob("*.sqlite3"))
    finally:
        close_database()


def test_a_check_that_cannot_run_holds_no_write_forever_and_lets_none_through(plan, monkeypatch):
    def broken(path, full=True):
        raise RuntimeError("диск від'єднано")

    monkeypatch.setattr(write_gate, "file_problem", broken)
    results = []
    write_gate.check_in_background(done=lambda damage, failure: results.append(damage)).join(30)
    assert isinstance(results[0], DamagedDatabaseError) and "диск від'єднано" in str(results[0])
    with pytest.raises(DamagedDatabaseError):
        _save(plan, 10)


@pytest.mark.parametrize("error", ["disk I/O error", "database is locked", "unable to open database file"])
def test_a_check_that_cannot_read_the_file_through_does_not_call_it_damaged(plan, monkeypatch, error):
    """A network drive gone, an I/O error: the file is not said to be damaged (no copy offered in its place), the
    check's failure is said, and writes go on as after the quick check at opening — the file not taken as whole."""
    from tracker.storage import integrity

    real = integrity._rows

    def unread(connection, full):
        if full:
            raise integrity.sqlite3.OperationalError(error)
        return real(connection, full)
    monkeypatch.setattr(integrity, "_rows", unread)
    results = []
    write_gate.check_in_background(done=lambda damage, failure: results.append((damage, failure))).join(30)
    (damage, failure), = results
    said = integrity.sqlite_reason(error)  # in the program's words, not SQLite's English
    assert damage is None and "Повної перевірки" in failure and said in failure and "не названо пошкодженим" in failure
    assert write_gate.open_file_found_damaged() is None
    _save(plan, 40)
    assert record_of("1.1.1", Q).percent == 40
    with pytest.raises(TrackerError, match="не вдалося прочитати до кінця") as refused:  # a copy meanwhile
        backup.auto_backup("import")
    assert "пошкоджено" not in str(refused.value) and error in str(refused.value)
    monkeypatch.setattr(integrity, "_rows", real)  # readable again
    runs = backup_checks(monkeypatch)
    backup.auto_backup("import")
    assert runs == [True]  # its copies are fully checked: the file was never found whole


def test_a_start_copy_whose_check_cannot_read_the_file_is_not_made_and_the_file_not_called_damaged(plan, monkeypatch):
    real = backup.problem
    monkeypatch.setattr(backup, "problem", lambda connection, full=False: "disk I/O error" if full
                        else real(connection, full))
    before = backup.list_backups()
    results = []
    write_gate.check_in_background(copy="start", done=lambda damage, failure: results.append((damage, failure))
                                   ).join(30)
    (damage, failure), = results
    assert damage is None and "Повної перевірки" in failure and "помилка читання чи запису диска" in failure
    assert write_gate.open_file_found_damaged() is None and backup.list_backups() == before
    _save(plan, 45)
    assert record_of("1.1.1", Q).percent == 45


def test_a_start_copy_that_cannot_begin_still_checks_the_file(plan, monkeypatch):
    def refused(*args, **kwargs):
        raise backup.copy_failed(backup.backup_dir(), OSError("немає місця"))

    monkeypatch.setattr(write_gate, "start_backup", refused)
    results = []
    write_gate.check_in_background(copy="start", done=lambda damage, failure: results.append((damage, failure))
                                   ).join(30)
    (damage, failure), = results
    assert damage is None and "немає місця" in failure
    _save(plan, 70)
    assert record_of("1.1.1", Q).percent == 70


def test_once_the_check_at_opening_found_the_file_whole_its_copies_are_read_back_quickly(plan, monkeypatch):
    runs = backup_checks(monkeypatch)
    with backup.copied_meanwhile("import"):  # opened as the command line opens: the copy is the first full check
        _save(plan, 10)
    assert runs == [True]
    runs.clear()
    write_gate.check_in_background(copy="start").join(30)
    assert runs == [True, False]  # the state copied, then the copy: one full check, not two
    runs.clear()
    with backup.copied_meanwhile("import"):
        _save(plan, 20)  # what changed since the check, SQLite wrote
    backup.auto_backup("amendment")  # the open database checked before it is copied
    assert runs == [False, False] and record_of("1.1.1", Q).percent == 20
    # the second import's copy held what the start's did: not kept twice
    assert [b.reason for b in backup.list_backups()] == ["amendment", "start", "import"]


def test_a_page_damaged_after_the_check_at_opening_is_still_found_in_the_copy_and_refuses_the_import(plan):
    write_gate.check_in_background(copy="start").join(30)
    path = Path(database.obj.database)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
    damage_pages_of(path, "history_change_set")  # the disk, meanwhile: a page the block below does not read
    with pytest.raises(TrackerError, match="пошкоджено"):
        with backup.copied_meanwhile("import"):
            pass
    assert [b.reason for b in backup.list_backups()] == ["start"]


def test_a_file_reopened_is_fully_checked_again(plan, monkeypatch):
    write_gate.check_in_background().join(30)
    path = Path(database.obj.database)
    close_database()
    open_database(path)  # perhaps replaced meanwhile
    runs = backup_checks(monkeypatch)
    backup.auto_backup("manual")
    assert runs == [True]


def test_a_file_found_damaged_is_not_taken_as_whole(tmp_path, plan_template, monkeypatch):
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    damage_an_index(path)
    open_database(path)
    try:
        write_gate.check_in_background().join(30)
        runs = backup_checks(monkeypatch)
        with pytest.raises(TrackerError, match="measure_removed_by_id"):
            backup.refuse_damaged()
        assert runs == [True]
    finally:
        close_database()


def test_a_file_closed_before_its_check_ends_keeps_its_wal_beside_it(tmp_path, plan_template, monkeypatch):
    """The window closed a second after opening a large file: its close wrote the WAL into the file — when the WAL
    was another copy's, whose pages pass the quick check, the file's own rows were gone for good before the check
    could say so. Nothing is written before the check ends, so the WAL is left as it is."""
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    leave_a_fitting_stray_wal(path)
    alone = path.read_bytes()
    release = threading.Event()
    real_problem = write_gate.file_problem

    def slow_check(checked, *args, **kwargs):
        release.wait(30)
        return real_problem(checked, *args, **kwargs)
    monkeypatch.setattr(write_gate, "file_problem", slow_check)
    open_database(path)
    try:
        thread = write_gate.check_in_background()
        assert write_gate.check_pending(database.obj)
    finally:
        close_database()
        release.set()
    thread.join(30)
    assert path.read_bytes() == alone and path.with_name(path.name + "-wal").stat().st_size > 0
