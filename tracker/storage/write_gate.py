"""Writes wait for the full check of an SQLite file that was opened on the quick one.

SQLite's full ``integrity_check`` (every index against its table) is what finds damage the quick check at opening
skips; it takes 50 ms on the bundled plan, 1.8 s at 4,660 measures (about ten times that at 46,600, estimated). The
window no longer waits for it before showing the plan: it runs in a thread beside the window (check_in_background),
and until it has found the file whole, every write transaction waits for it (tracker.storage.locking.
write_transaction asks wait_for_check). Once it has found the file damaged, every write is refused with the message a
damaged file gets at opening, naming the newest whole copy. In the window nothing is written to a file before its
full check, as before (the start's own writes — a copied file taking its device identity — come before, as they
did); only reading starts earlier. The command line still works on the quick check alone.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

from peewee import Database, SqliteDatabase

from ..errors import TrackerError
from ..i18n import tr
from ..logs import log
from .backup import found_whole, start_backup
from .failures import DatabaseBusy
from .integrity import file_problem, says_unread, sqlite_reason, unread_text
from .models import database
from .recovery import DamagedDatabaseError, damaged


class _Check:
    """One database's full check: pending until settled with what it found ("" when whole)."""

    def __init__(self):
        self._settled = threading.Event()
        self.found = ""
        self.error: DamagedDatabaseError | None = None  # made once: naming the whole copy checks every copy

    def settle(self, found: str, error: DamagedDatabaseError | None = None) -> None:
        self.found, self.error = found, error
        self._settled.set()

    def settled(self) -> bool:
        return self._settled.is_set()

    def wait_for(self, seconds: float) -> bool:
        return self._settled.wait(seconds)

    def wait(self) -> str:
        self._settled.wait()
        return self.found


_checks: weakref.WeakKeyDictionary[Database, _Check] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def hold_writes(db: Database) -> Callable[..., None]:
    """Writes to ``db`` wait from now on until the returned function is called with the full check's finding (and,
    when it found damage, the DamagedDatabaseError each refused write raises)."""
    check = _Check()
    with _lock:
        _checks[db] = check
    return check.settle


def wait_for_check(db: Database, patience=None) -> None:
    """Return once ``db`` may be written to: at once when no check is pending, else when its check has found it
    whole. Raises DamagedDatabaseError when the check found it damaged (each time: nothing is ever written to it).

    ``patience`` (tracker.storage.locking.Patience) says how long to wait, as for another writer's lock: the window's
    thread tries briefly and gives up with DatabaseBusy (its save then waits in a worker thread, behind a dialog that
    says what it waits for and can cancel); without one, until the check ends."""
    with _lock:
        check = _checks.get(db)
    if check is None:
        return
    if patience is not None and not check.settled():
        started = time.monotonic()
        patience.waiting(0.0, checking=True)  # said at once: a dialog then names the check, not another writer
        while not check.wait_for(patience.attempt_ms / 1000):
            if not patience.waiting(time.monotonic() - started, checking=True):
                raise DatabaseBusy(tr("Щойно відкриту базу ще перевіряють повністю (це триває кілька секунд), тож "
                                      "зміну поки не записано. Спробуйте ще раз за мить."))
    found = check.wait()
    if found:
        raise check.error or damaged(db, found, opened=True)
    with _lock:
        if _checks.get(db) is check:
            del _checks[db]  # whole: later writes need not ask


def is_open_file(path: Path) -> bool:
    """Is ``path`` the SQLite file the program has open (a check's finding may arrive after the program moved on)?"""
    db = database.obj
    return isinstance(db, SqliteDatabase) and Path(db.database) == Path(path)


def open_file_found_damaged() -> Path | None:
    """The open SQLite file, when its full check has found it damaged (it is only read); else None."""
    db = database.obj
    with _lock:
        check = _checks.get(db) if db is not None else None
    if check is None or not check.settled() or not check.found:
        return None
    return Path(db.database)


def check_pending(db: Database) -> bool:
    """Is the full check of ``db`` still under way: the file not yet found whole nor damaged?"""
    with _lock:
        check = _checks.get(db)
    return check is not None and not check.settled()


def check_in_background(db: Database | None = None, *, copy: str | None = None,
                        done: Callable[[DamagedDatabaseError | None, str], None] | None = None
                        ) -> threading.Thread | None:
    """The open SQLite database fully checked in a thread, writes held until then (hold_writes); None for a server
    database (the server checks its own files).

    ``copy``: the same thread then makes the rotated backup copy with this reason (as start_backup), of the state
    the check read. ``done(damage, copy_failure)`` is called from the thread at the end: the DamagedDatabaseError
    when the file is damaged (its copy is then not made), and why the copy was not made ("" when it was, or none
    was asked for).
    """
    db = db or database.obj
    if not isinstance(db, SqliteDatabase):
        return None
    settle = hold_writes(db)
    outcome: list[DamagedDatabaseError | None] = [None]
    unread: list[str] = [""]

    def checked(found: str) -> None:
        if not found:
            found_whole(db)  # before writes go on: a copy one makes is of a state found whole
            settle("")
            return
        if says_unread(found):  # the file could not be read through (a network drive gone, an I/O error): that
            # says nothing of its state — no copy is offered in its place; writes go on as after the quick check
            log.warning("full check could not read the database: %s", found)
            unread[0] = found
            settle("")
            return
        log.warning("full check found the database damaged: %s", found)
        try:
            outcome[0] = damaged(db, found, opened=True)
        finally:
            settle(found, outcome[0])  # writes wait until the error names the whole copy: they would make it anew

    def finished(failure: str) -> None:
        if done is not None:
            if outcome[0] is None and unread[0]:  # (a start copy failed for the same reason)
                failure = unread_text(sqlite_reason(unread[0]))
            done(outcome[0], "" if outcome[0] is not None else failure)

    if copy is not None:
        try:
            return start_backup(copy, db, done=lambda _path, failure: finished(failure), checked=checked)
        except TrackerError as exc:  # the copy could not even begin: the check runs all the same
            failure = str(exc)
            return _check_alone(Path(db.database), checked, lambda: finished(failure))
    return _check_alone(Path(db.database), checked, lambda: finished(""))


def _check_alone(path: Path, checked: Callable[[str], None], finished: Callable[[], None]) -> threading.Thread:
    def work() -> None:
        found = "?"
        try:
            found = file_problem(path)
        except Exception as exc:  # said as the finding: writes must not wait forever
            found = str(exc) or type(exc).__name__
        finally:
            checked(found)
        finished()

    thread = threading.Thread(target=work, name="full-check", daemon=True)  # reads only: nothing half done at exit
    thread.start()
    return thread
