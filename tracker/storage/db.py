"""Opening the database: SQLite file (the default) or a server URL, then migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from peewee import Database, DatabaseError, PostgresqlDatabase, SqliteDatabase
from playhouse.migrations import Runner

from ..errors import TrackerError
from ..files import os_reason
from ..i18n import tr
from ..logs import log
from ..paths import local_database
from . import file_identity
from .backup import auto_backup, closing
from .device import may_change_identity, remember_device, this_device
from .integrity import (
    CheckBeside,
    close_leaving_the_wal,
    problem,
    refuse_another_programs,
    says_damaged,
    says_unreachable,
    says_unread,
    sqlite_reason,
    table_names,
    unreachable_text,
)
from .locking import BUSY_TIMEOUT_MS, Quick, waiting_with, write_transaction
from .models import Device, Plan, database
from .postgres import as_owner, connect, is_postgres_url, migration_lock, postgres_database, server_reason
from .recovery import cut_mend, damaged, refuse_damaged_file
from .schema import MIGRATIONS_DIR, missing_steps
from .server_rights import is_owner
from .write_gate import check_pending, open_file_found_damaged

T = TypeVar("T")
# synchronous=full: in WAL mode every commit is fsynced, so a save shown as done survives a power cut
# (with "normal" the last commits before a blackout can vanish; SQLite documents this)
SQLITE_PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS, "synchronous": "full"}


def _sqlite(path: Path) -> SqliteDatabase:
    if path.is_dir():  # SQLite says only «unable to open database file»
        raise TrackerError(tr("«{path}» — це тека, а не файл бази даних. Вкажіть файл бази в ній, наприклад "
                              "«{example}».", path=path, example=path / "tracker.sqlite3"), hint="database")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TrackerError(tr(
            "Не вдалося створити теку для бази даних «{folder}»: {reason}. "
            "Вкажіть інше місце для бази даних.", folder=path.parent, reason=os_reason(exc)), hint="database") from exc
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS)


def make_database(target: str | Path) -> Database:
    """A peewee database for a file path, ``sqlite:///path`` or ``postgresql://…``."""
    text = str(target)
    if text.startswith("sqlite:///"):
        return _sqlite(Path(text[len("sqlite:///"):]))
    if is_postgres_url(text):
        return postgres_database(text)
    if "://" in text:
        from playhouse import db_url  # another scheme: rare, and db_url imports every driver peewee knows (0.2 s)

        try:
            return db_url.connect(text)
        except Exception as exc:  # unknown scheme or missing driver
            raise TrackerError(tr(
                "Не вдалося відкрити базу «{address}»: {reason}. "
                "Перевірте адресу (sqlite:///шлях або postgresql://користувач@сервер/база).",
                address=hide_password(text), reason=hide_password(str(exc)))) from exc
    return _sqlite(Path(text).expanduser())


def sqlite_file(target: str | Path) -> Path | None:
    """The file a database address names (a path or ``sqlite:///path``); None for a server address."""
    text = str(target)
    if "://" in text and not text.startswith("sqlite:///"):
        return None
    return Path(text[len("sqlite:///"):] if text.startswith("sqlite:///") else text).expanduser()


def missing_file(target: str | Path) -> Path | None:
    """The database file an address names, when there is none there — moved, renamed, a drive not connected, a typo in
    the path: opening it would make a new database in its place, and the updates written would go there, unseen by
    anyone who reads the real one. None for a server, a file that is there, an in-memory database, or this computer's
    own per-user file (tracker.paths.local_database), which the first start makes."""
    path = sqlite_file(target)
    if path is None or str(path).startswith((":", "file:")) or path.exists():
        return None
    if path.absolute() == Path(local_database()).absolute():
        return None
    return path


def no_file_kept(target: str | Path) -> str:
    """Why ``target`` names no database file the program's work would stay in — an in-memory database (``:memory:``,
    ``sqlite://``, a ``file:`` URI), whose updates vanish when the program ends after it said «записано»; a device or a
    pipe (/dev/null) — or "" for a file, a server, or a path where a file may be made."""
    text = str(target)
    if text.startswith("sqlite://") and not text.startswith("sqlite:///"):
        in_memory = True
    else:
        path = sqlite_file(target)
        if path is None:
            return ""
        in_memory = str(path).startswith((":", "file:"))
        if not in_memory and path.exists() and not path.is_file() and not path.is_dir():  # a folder says so itself
            return tr("«{path}» — не звичайний файл (а пристрій чи канал), тож базою даних бути не може. Вкажіть файл "
                      "бази.", path=path)
    if in_memory:
        return tr("«{address}» — база в пам'яті, не файл на диску: усе записане в неї зникло б, щойно програма "
                  "закінчить роботу. Вкажіть файл бази.", address=text)
    return ""


def missing_text(path: Path) -> str:
    cut = cut_mend(path)
    if cut:
        return tr("Файлу бази даних «{path}» немає.", path=path) + " " + cut
    return tr("Файлу бази даних «{path}» немає: можливо, його перенесено чи перейменовано, диск або мережеву теку не "
              "підключено, або в шляху помилка.", path=path)


def empty_file(target: str | Path) -> bool:
    """An existing, empty file named as an SQLite database: making a database in it is the user's choice."""
    path = sqlite_file(target)
    return path is not None and path.is_file() and path.stat().st_size == 0


def hide_password(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


class EmptyServerDatabase(TrackerError):
    """A server database with no tables yet: the tracker is made in it only when asked (``new``)."""


def open_database(target: str | Path, *, new: bool = True) -> Database:
    """Open ``target``, bring its schema up to date, and only then make it the program's database.

    ``new``: an empty server database may be made the tracker's (else EmptyServerDatabase: a mistyped name of an
    empty database had a colleague working in a database of his own). If anything fails, the database that was open
    stays open and bound.
    """
    return _open(target, new=new)[0]


def open_and_read(target: str | Path, read: Callable[[], T], *, new: bool = True) -> T:
    """Open ``target`` as open_database does and return ``read()`` — the first reading of it, done while SQLite's
    quick check of the file runs in a thread beside it (integrity.CheckBeside): the two take the time of the longer
    one, not of both (at 4,660 measures each is ~0.2 s of the window's opening; at 46,600, ~2.5 s).

    ``read`` runs on the program's database, bound, with the file read-only (SQLite's ``query_only``): nothing is
    written to a file before its check has found it whole. Its result is returned only then; when the check finds
    damage, DamagedDatabaseError is raised as open_database raises it, the file is closed, and the database that was
    open stays open and bound. The check runs beside only when opening writes nothing first (no schema upgrade);
    otherwise the file is checked first and ``read`` runs after, as open_database and a read would.
    """
    return _open(target, read, new=new)[1]


def _open(target: str | Path, read: Callable[[], T] | None = None, *, new: bool = True) -> tuple[Database, T | None]:
    _let_go_of_replaced(database.obj)
    db = make_database(target)
    beside = None
    try:
        if isinstance(db, SqliteDatabase):
            _check_sqlite_file(db)  # before connecting: the connection's settings would already write to it
        connect(db)
        if isinstance(db, SqliteDatabase):
            file_identity.remember(db)  # its writes refused once the path names another file (replaced under it)
        if isinstance(db, PostgresqlDatabase):
            _check_server_database(db, new)  # before the schema's check, which makes its table
        if isinstance(db, SqliteDatabase):
            if read is not None and _schema_changes(Runner(db, str(MIGRATIONS_DIR))) == ([], []):
                beside = CheckBeside(db.database)  # nothing to write first: the check runs while read() reads
            else:
                refuse_damaged_file(db, full=False)  # before anything reads or writes it (or copies it over a backup)
        if beside is None:  # beside: none to make (read just now)
            migrate(db)
    except TrackerError:
        close_leaving_the_wal(db)  # refused (damaged, another program's): its WAL is not written into it
        raise
    except Exception as exc:
        close_leaving_the_wal(db)
        if isinstance(db, SqliteDatabase) and says_damaged(str(exc)):
            raise damaged(db, " ".join(str(exc).split())) from exc  # too damaged even to check
        if isinstance(db, SqliteDatabase) and "readonly database" in str(exc):  # a DVD, a read-only share
            raise TrackerError(_read_only_text(db.database), hint="database") from exc
        if isinstance(db, PostgresqlDatabase) and "permission denied" in str(exc):  # a login not of this database
            raise TrackerError(tr(
                "Користувач «{user}» не має доступу до бази «{name}» на сервері: його не додано до її користувачів. "
                "Попросіть адміністратора бази додати вас (Файл → Користувачі…) або перевірте ім'я користувача.",
                user=db.connect_params.get("user") or "", name=db.database)) from exc
        if isinstance(db, PostgresqlDatabase):
            raise TrackerError(tr("Не вдалося відкрити базу «{address}» на сервері: {reason}. Перевірте адресу бази й "
                                  "доступ до сервера або зверніться до адміністратора.",
                                  address=hide_password(str(target)), reason=server_reason(" ".join(str(exc).split()))),
                               hint="database") from exc
        raise TrackerError(tr(
            "Не вдалося відкрити базу даних «{address}»: {reason}. "
            "Перевірте, що це файл бази трекера і що до нього є доступ.",
            address=hide_password(str(target)), reason=sqlite_reason(exc)), hint="database") from exc
    previous = database.obj
    database.initialize(db)
    try:
        result = _read_beside(db, beside, read) if beside is not None else None
        # the identity's writes under the write lock, tried briefly: while another program writes, they are made at
        # this file's first write instead, which waits for the lock as writes do (it had failed after two silent 10 s
        # waits)
        with waiting_with(Quick()):
            _settle_identity(db)  # on a file checked beside: after the check, with the file writable again
            try:
                remember_device()  # after the identity is settled and committed: the saves' device uid, read once
            except (DatabaseError, TrackerError) as exc:  # a read-only file, a server not prepared: read at each save
                log.info("device uid not kept at open: %s", exc)
        if beside is None and read is not None:
            result = read()
    except BaseException:  # the database that was open stays the program's
        database.initialize(previous)
        close_leaving_the_wal(db)  # found damaged beside the reading: its WAL is not written into it
        raise
    log.info("database opened: %s", hide_password(str(target)))
    if previous is not None and previous is not db and not previous.is_closed():
        previous.close()
    return db, result


def _let_go_of_replaced(previous: Database | None) -> None:
    """The open file replaced under the program (tracker.storage.file_identity): its connection closed before any
    file is opened. The old file's WAL lies beside the new one under the same name, and a connection to the new file
    opened while the old one lived read the old file's pages from it as its own (SQLite's «unlinking or renaming a
    database file while in use»); the old one's close writes its WAL into the old file and removes it."""
    if not file_identity.replaced(previous) or previous.is_closed():
        return
    log.warning("database file replaced while open, letting go of it: %s", previous.database)
    try:
        previous.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:
        pass  # another connection of this program still reads it: its close, the last, does it
    previous.close()


def _read_beside(db: SqliteDatabase, beside: CheckBeside, read: Callable[[], T]) -> T:
    """``read()`` with the file read-only while ``beside`` checks it; its result once the check has found it whole,
    else DamagedDatabaseError (also when ``read`` failed: damage may be why)."""
    db.execute_sql("PRAGMA query_only = 1")
    try:
        result = read()
    except Exception as exc:
        _refuse_if_damaged(db, beside, cause=exc)
        raise
    finally:
        db.execute_sql("PRAGMA query_only = 0")
    _refuse_if_damaged(db, beside)
    return result


def _refuse_if_damaged(db: SqliteDatabase, beside: CheckBeside, cause: Exception | None = None) -> None:
    found = beside.wait()
    if found is None:  # its own connection could not check the file there: checked on the program's, as at opening
        found = problem(db.connection(), full=False)
    if found:
        raise damaged(db, found) from cause


def _settle_identity(db: Database) -> None:
    """A copy of a database made elsewhere takes its own device identity and key at once, before the start's
    backup copies it: the backups of a laptop set up from the office's file never hold the office's key. On the
    server the owner makes the identity at once too: its people's logins may not make it."""
    if not may_change_identity(db):
        return
    if isinstance(db, SqliteDatabase) and not Device.select().exists() and not Plan.select().exists():
        return  # a new file: its identity is made with its plan (import_plan), and opening writes nothing
    try:
        with write_transaction(database):
            # a copy brought back in its place (a restore from a server's copy) has its identity, not its key
            if Device.select().where(Device.private_key.is_null()).exists():
                Device.update(public_key=None).where(Device.private_key.is_null()).execute()
            this_device()
    except (DatabaseError, TrackerError) as exc:  # a read-only file, a busy one: settled at its first write instead
        log.info("device identity not settled at open: %s", exc)


def _read_only_text(path) -> str:
    return tr("Файл бази «{path}» лише для читання (або його тека чи диск): програмі треба писати поруч із ним навіть "
              "для перегляду. Скопіюйте файл у теку, де можна писати (напр. «Документи»), і відкрийте копію. Файл не "
              "змінено.", path=path)


def _on_read_only_disk(path: Path) -> bool:
    """Is the file where nothing may be written — a disk mounted read-only, a folder or file one may not write to?"""
    try:
        if hasattr(os, "statvfs") and os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))


def _check_sqlite_file(db: SqliteDatabase) -> None:
    """An existing file must be SQLite and the tracker's (or empty): read-only, before anything writes to it."""
    path = Path(db.database)
    if not path.is_file() or path.stat().st_size == 0:
        return  # a new database
    try:
        tables = table_names(path)
    except sqlite3.DatabaseError as exc:
        if says_damaged(str(exc)):
            raise damaged(db, " ".join(str(exc).split())) from exc
        if says_unreachable(str(exc)):  # out of reach, not another kind of file
            if _on_read_only_disk(path):  # readable, but SQLite writes its WAL index beside it even to read
                raise TrackerError(_read_only_text(db.database), hint="database") from exc
            raise TrackerError(unreachable_text(db.database, sqlite_reason(exc)), hint="database") from exc
        if "database is locked" in str(exc):  # held for itself alone (another tool's exclusive mode): not even read
            raise TrackerError(tr("Файл бази даних «{path}» зараз тримає інша програма: вона відкрила його лише для "
                                  "себе (так роблять деякі програми для перегляду баз) або довго записує в нього, "
                                  "тож його не вдалося навіть прочитати. Закрийте ту програму й спробуйте ще раз. "
                                  "Файл не змінено.", path=db.database)) from exc
        if says_unread(str(exc)):  # a full disk, a network drive's hiccup: the file is not the question
            raise TrackerError(tr("Файл бази даних «{path}» не вдалося прочитати ({reason}): на диску скінчилося "
                                  "місце, мережева тека недоступна або файл заблокувала інша програма. Файл не "
                                  "змінено; спробуйте ще раз.", path=db.database, reason=sqlite_reason(exc))
                               ) from exc  # no «(параметр --db)»: the file named is the right one
        raise TrackerError(tr("Файл «{path}» не є базою даних SQLite ({reason}). Вкажіть інший файл бази даних.",
                              path=db.database, reason=sqlite_reason(exc)), hint="database") from exc
    except Exception as exc:
        raise TrackerError(tr("Файл «{path}» не є базою даних SQLite ({reason}). Вкажіть інший файл бази даних.",
                              path=db.database, reason=sqlite_reason(exc)), hint="database") from exc
    refuse_another_programs(db.database, tables)


def _check_server_database(db: PostgresqlDatabase, new: bool) -> None:
    """A server database must be the tracker's, or empty and ``new`` (and then its owner's to make): another
    program's had the schema's table written into it, and an empty one the whole plan, unasked."""
    # every schema's tables: another program's kept in a schema of its own made the database look empty
    tables = {(schema, name) for schema, name in db.execute_sql(
        "SELECT schemaname, tablename FROM pg_catalog.pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND left(schemaname, 3) <> 'pg_'")}
    ours = {name for schema, name in tables if schema == "public"}
    place = f"«{db.database}»"
    migrations = {name for (name,) in db.execute_sql(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name = 'schema_migration'")}
    foreign = any(schema != "public" for schema, _ in tables) or (
        tables and not {"id", "name", "applied"} <= migrations)  # another tool's «schema_migration» too
    if foreign:
        raise TrackerError(tr("База {name} на сервері — база іншої програми, не трекера: у ній є таблиці, але не "
                              "трекера. Її не змінено; перевірте назву бази в адресі.", name=place), hint="database")
    if ours - {"schema_migration"}:
        return
    if not new:
        raise EmptyServerDatabase(tr("База {name} на сервері порожня: трекера в ній ще немає. Нічого не створено; "
                                     "перевірте назву бази в адресі.", name=place), hint="init")
    if not is_owner(db):
        raise TrackerError(tr("База {name} на сервері порожня: трекера в ній ще немає, а підготувати його в ній може "
                              "лише власник бази. Перевірте назву бази в адресі або попросіть адміністратора сервера.",
                              name=place), hint="database")


def _schema_changes(runner: Runner) -> tuple[list[str], list[str]]:
    """(pending, unknown): migrations this program has and the database lacks, and migrations the
    database records that this program does not have (a newer program upgraded it) — one read."""
    status = runner.status()
    return ([m.name for m in status if m.path and not m.applied],
            [m.name for m in status if m.applied and m.path is None])


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; returns the names applied.

    A database a newer program has upgraded (it records schema changes this program does not know)
    is refused: working on it could damage what the newer program wrote.
    """
    missing = missing_steps(Path(MIGRATIONS_DIR))
    if missing:
        raise TrackerError(tr(
            "Програму встановлено не повністю: бракує кроків оновлення бази ({steps}). Перевстановіть програму. "
            "Базу не змінено.", steps=", ".join(missing)))
    runner = Runner(db, str(MIGRATIONS_DIR))
    if _schema_changes(runner) == ([], []):
        return []  # the usual start: no lock taken, no file made
    if isinstance(db, PostgresqlDatabase) and not is_owner(db):  # a person's own login: the schema is the owner's
        raise TrackerError(tr(
            "Базу на сервері треба оновити до цієї версії програми, а це може лише її власник. Попросіть "
            "адміністратора сервера відкрити базу новою версією програми під логіном власника, тоді відкрийте її "
            "ще раз."))
    with migration_lock(db), _sqlite_upgrade_lock(db), as_owner(db):
        # read again under the lock: another program starting at the same moment may have done it
        pending, unknown = _schema_changes(runner)
        if unknown:
            raise TrackerError(tr(
                "Цю базу даних оновлено новішою версією програми (зміни схеми: {names}), тож ця версія її не "
                "відкриває, щоб нічого не зіпсувати. Оновіть програму на цьому комп'ютері.",
                names=", ".join(unknown)))
        if pending and isinstance(db, SqliteDatabase) and db.get_tables():
            auto_backup("migration", db=db)  # an older program's data: keep a copy first
        return runner.up()


UPGRADE_WAIT = 120  # seconds another program's schema upgrade may take before this one gives up


@contextmanager
def _sqlite_upgrade_lock(db: Database):
    """On SQLite, one program at a time upgrades a database file; the others wait, then find nothing to do.

    Two office PCs (or a window and the command line) starting together on an older database would
    otherwise both run the same migration, and the second would fail («duplicate column name»). The lock
    is SQLite's own exclusive lock on a small file beside the database: it works wherever SQLite does,
    and a program that dies while holding it releases it. The upgrade itself cannot run inside one
    transaction on SQLite (the migrator switches foreign keys off around table rebuilds).
    """
    if not isinstance(db, SqliteDatabase) or db.database in ("", ":memory:"):
        yield
        return
    lock = sqlite3.connect(f"{db.database}-upgrade-lock", timeout=UPGRADE_WAIT, isolation_level=None)
    try:
        try:
            lock.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            raise TrackerError(tr("Базу даних саме оновлює інша програма, і це триває задовго. Зачекайте й "
                                  "відкрийте її ще раз.")) from exc
        yield
    finally:
        lock.close()  # ends the transaction, and so the lock


def close_database() -> None:
    """Close the program's database; an SQLite file is then whole by itself (the WAL written into it) — unless its
    full check found it damaged, or has not ended (a window closed within seconds of opening a large file): then the
    WAL stays as it is beside it (it may be the damage: another copy's, whose pages written in would be the file's
    for good; nothing has been written since the opening, and the next opening reads the WAL as before)."""
    if database.obj is not None and not database.is_closed():
        if isinstance(database.obj, SqliteDatabase):
            closing(database.obj)
            if open_file_found_damaged() is not None or check_pending(database.obj):
                close_leaving_the_wal(database.obj)
                return
            try:  # so the .sqlite3 file alone is a complete copy, e.g. when carried away on a USB stick
                # not waiting the busy timeout for another program's write: the last one to close checkpoints
                database.execute_sql("PRAGMA busy_timeout = 200")
                database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except DatabaseError:
                pass  # another connection still reads: the last one to close checkpoints
        database.close()


def opened() -> Database | None:
    """The program's open database: another one opened since is another object (work begun on this one, done
    later, is not taken for that one's)."""
    return database.obj


def on_server() -> bool:
    """The open database is a server's (PostgreSQL), which several programs write at once."""
    return isinstance(database.obj, PostgresqlDatabase)


@contextmanager
def thread_connection():
    """The open database's own connection for work in another thread, closed when it is done.

    peewee keeps one connection per thread; SQLite in WAL mode and PostgreSQL both let it work
    beside the main thread's connection, each write waiting for the other's transaction.
    """
    opened = database.is_closed()
    if opened:
        connect(database.obj)
    try:
        yield database
    finally:
        if opened and not database.is_closed():
            database.close()
