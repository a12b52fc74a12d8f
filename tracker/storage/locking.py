"""Write transactions, and how a write waits while another program holds the database.

SQLite lets one program write at a time; PostgreSQL makes a writer wait for the rows another one
is changing. A whole year's package can take longer to merge than a save would wait by default,
so waiting is the caller's choice (a ``Patience``, per thread): the command line waits and says
so, the window hands the save to a worker thread with a dialog that shows the wait and can cancel
it, and the library default waits as SQLite's busy timeout always did.
"""

from __future__ import annotations

import threading
import time
import zlib
from contextlib import ExitStack, contextmanager

from peewee import Database, DatabaseProxy, InterfaceError, Model, OperationalError, PostgresqlDatabase, SqliteDatabase

from ..i18n import tr
from . import file_identity
from .failures import BUSY_TIMEOUT_MS, CANCELLED, CHECK_CANCELLED, WaitCancelled, commit_unknown
from .write_gate import wait_for_check


class Patience:
    """How a write waits for the database's write lock; the default waits once, as long as SQLite's busy timeout.

    ``attempt_ms``: how long one try waits for SQLite's write lock. After each failed try,
    ``waiting(seconds so far)`` says whether to try again (or raises to stop); ``acquired()`` says
    the lock is held (SQLite). ``lock_timeout_ms``: on PostgreSQL, how long a statement waits
    for another writer's rows (None: as the server is set up, normally without limit). A write waits
    the same way for the full check of a file just opened (tracker.storage.write_gate), saying
    ``checking=True``.
    """

    attempt_ms: int = BUSY_TIMEOUT_MS
    lock_timeout_ms: int | None = None

    def waiting(self, waited: float, checking: bool = False) -> bool:
        return False

    def acquired(self) -> None:
        pass


class Quick(Patience):
    """Tries briefly and gives up: the caller has something better to do than freeze (the window's thread)."""

    attempt_ms = 300
    lock_timeout_ms = 300


class UntilCancelled(Patience):
    """Waits as long as it takes; another thread may read the wait and cancel it (a dialog's button).

    The waiting thread calls ``bind()`` first, so that a cancel reaches its PostgreSQL connection,
    which waits inside the server rather than in a loop here.
    """

    attempt_ms = 250

    def __init__(self):
        self.waited: float | None = None  # seconds waited so far, while waiting for SQLite's lock
        self.checking = False  # what is waited for is the full check of a file just opened, not another writer
        self.holding = False  # SQLite's write lock is ours (PostgreSQL never says)
        self.cancelled = False
        self._connection = None

    def bind(self, db: Database | DatabaseProxy) -> None:
        db = real_database(db)
        self._connection = db.connection() if isinstance(db, PostgresqlDatabase) else None

    def waiting(self, waited: float, checking: bool = False) -> bool:
        self.waited = waited
        self.checking = checking
        if self.cancelled:
            raise WaitCancelled(tr(CHECK_CANCELLED if checking else CANCELLED))
        return True

    def acquired(self) -> None:
        self.waited = None
        self.checking = False
        self.holding = True

    def cancel(self) -> None:
        """From another thread: stop waiting; a write that already has the lock rolls back (PostgreSQL)."""
        self.cancelled = True
        if self._connection is not None:
            self._connection.cancel()  # psycopg: thread-safe, cancels the statement being run


_local = threading.local()
DEFAULT = Patience()


def patience() -> Patience:
    return getattr(_local, "patience", DEFAULT)


@contextmanager
def waiting_with(chosen: Patience):
    """Writes in this thread, inside the block, wait as ``chosen`` says."""
    previous = patience()
    _local.patience = chosen
    try:
        yield chosen
    finally:
        _local.patience = previous


def real_database(db: Database | DatabaseProxy) -> Database:
    return db.obj if isinstance(db, DatabaseProxy) else db


@contextmanager
def write_transaction(db: Database | DatabaseProxy):
    """``db.atomic()`` that, on SQLite, takes the write lock before the first read, waiting as the thread's Patience says.

    SQLite allows one writer at a time: BEGIN IMMEDIATE makes a second saver wait before it reads,
    instead of reading a version that is about to change. Inside a transaction that is already open
    this is a savepoint, and the outer transaction decides the locking. Nothing is written to a file whose full
    check is still running (it waits) or has found it damaged (DamagedDatabaseError).
    """
    db = real_database(db)
    if db.in_transaction():
        with db.atomic():
            yield
        return
    wait = patience()
    wait_for_check(db, wait)  # a file opened on the quick check: its full check first (tracker.storage.write_gate)
    committing = False
    try:
        with ExitStack() as stack:
            if isinstance(db, SqliteDatabase):
                _sqlite_begin(db, stack, wait)
                file_identity.check(db)  # the lock held: the path still names the file this connection writes
            else:
                _server_begin(db, stack)
                if isinstance(db, PostgresqlDatabase) and wait.lock_timeout_ms is not None:
                    db.execute_sql("SELECT set_config('lock_timeout', %s, true)", (f"{wait.lock_timeout_ms}ms",))
            yield
            committing = True
    except Exception as exc:
        forget = getattr(db, "forget_lost_connection", None)  # a server's connection ended: the next try connects
        if forget is not None and forget() and committing:
            # the COMMIT may have reached the server before the connection went: «not written» could be untrue
            raise commit_unknown(exc) from exc
        raise


def _server_begin(db: Database, stack: ExitStack) -> None:
    """BEGIN on the server. A connection the server ended since its last use (restarted, the network dropped) is
    found dead only here, nothing sent in it yet: it is forgotten and the transaction begun once on a new one."""
    try:
        stack.enter_context(db.atomic())
    except (InterfaceError, OperationalError):
        forget = getattr(db, "forget_lost_connection", None)
        if forget is None or not forget():
            raise
        stack.enter_context(db.atomic())


def _sqlite_begin(db: SqliteDatabase, stack: ExitStack, wait: Patience) -> None:
    started = time.monotonic()
    while True:
        try:
            with _busy_timeout(db, wait.attempt_ms):
                stack.enter_context(db.atomic("IMMEDIATE"))
        except OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if not wait.waiting(time.monotonic() - started):
                raise
            continue
        wait.acquired()
        return


@contextmanager
def _busy_timeout(db: SqliteDatabase, ms: int):
    if ms == BUSY_TIMEOUT_MS:
        yield
        return
    db.execute_sql(f"PRAGMA busy_timeout = {int(ms)}")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def lock_row(model: type[Model], row_id: int) -> None:
    """On PostgreSQL, hold the row's lock until commit; other writers that lock it wait their turn.

    An advisory lock, not SELECT … FOR UPDATE: locking a measure's row that way needs the right to
    change it, which a coordinator has not (the plan is the admin's). It serialises the writers all the
    same and never blocks a reader. SQLite needs nothing here: write_transaction already holds the
    database's write lock.
    """
    db = real_database(model._meta.database)
    if isinstance(db, PostgresqlDatabase):
        key = zlib.crc32(model._meta.table_name.encode()) - (1 << 31)  # the lock's first key: a signed int4
        db.execute_sql("SELECT pg_advisory_xact_lock(%s::integer, %s::integer)", (key, row_id))
