"""Backup copies of the SQLite database: online backups, rotation, and checking a copy before restore."""

from __future__ import annotations

import datetime as _dt
import os
import re
import sqlite3
import threading
import weakref
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from ..errors import TrackerError
from ..files import not_a_target, refuse_other_file
from ..i18n import N_, tr
from ..logs import log
from ..progress.fields import FIELDS
from .integrity import (
    found_whole_file,
    leaving_no_side_files,
    problem,
    read_only,
    says_unread,
    sqlite_reason,
    whole_before,
)
from .models import database
from .schema import known_migrations, recorded_migrations

KEEP_LATEST = 10
RESTORES_KEPT = 20  # copies made before a restore: each holds what its restore undid
# <database file's stem>-<date>-<time>-<microseconds>-<reason>.sqlite3: databases sharing a folder share the
# backups folder, and each lists and rotates only its own copies (those of tracker.sqlite3, the default,
# are named as before: tracker-…)
_NAME_RE = re.compile(r"^(.+)-(\d{8})-(\d{6})-(\d{6})-([a-z-]+)\.sqlite3$")
PROTECTED = ("import", "restore", "migration", "amendment")
REASONS = {"start": N_("запуск програми"), "import": N_("перед імпортом"), "migration": N_("перед оновленням бази"),
           "restore": N_("перед відновленням"), "manual": N_("вручну"), "amendment": N_("перед змінами до плану")}


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: _dt.datetime
    reason: str

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def _sqlite_file(db=None) -> Path:
    db = db or database.obj
    if not isinstance(db, SqliteDatabase) or db.database in (":memory:", ""):
        raise TrackerError(tr("Резервні копії поруч із базою (перед імпортом, оновленням, щодня) програма робить лише "
                              "для файла SQLite; базу на сервері резервує адміністратор сервера."), hint="copy_db")
    return Path(db.database)


def backup_dir(db=None) -> Path:
    return _sqlite_file(db).parent / "backups"


@contextmanager
def written_beside(target: Path):
    """A temporary path beside ``target``, moved into place only when the block succeeds: no half file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def copy_failed(target: Path, exc: Exception) -> TrackerError:
    return TrackerError(tr("Не вдалося зробити резервну копію у «{target}»: {reason}. Перевірте місце на диску "
                           "та доступ до теки.", target=target,
                        reason=sqlite_reason(exc)))


def refuse_database_files(target: str | Path, db=None) -> None:
    """Refuse to write a copy, a package or a report over the open database file or one of its side files: the file
    was replaced while open — a window open on it went on saving into the replaced file, and those saves were lost —
    and a copy «saved» as its «-wal» was deleted when the database closed."""
    db = db or database.obj
    if not isinstance(db, SqliteDatabase) or db.database in ("", ":memory:") or not str(target).strip():
        return
    live = Path(db.database).resolve()
    own = {live} | {live.with_name(live.name + suffix) for suffix in ("-wal", "-shm", "-journal", "-upgrade-lock")}
    if Path(target).resolve() in own:
        raise TrackerError(tr("«{path}» — це файл самої бази даних, з якою ви працюєте, або її службовий файл: записати "
                              "туди означало б знищити базу. Вкажіть інший файл.", path=target))


def own_uid(db) -> str | None:
    """The identity of the database ``db`` (SQLite or server) as its copies carry it, or None before it has one."""
    try:
        row = db.execute_sql("SELECT uid FROM site WHERE private_key IS NOT NULL ORDER BY id LIMIT 1").fetchone()
    except Exception:  # a database not yet prepared: no identity to compare
        return None
    return row[0] if row else None


def is_copy_of(path: Path, uid: str | None) -> bool:
    """The file at ``path`` is a copy of the database whose identity is ``uid`` (a copy written over before, the
    usual way) — not another file, nor another database: a laptop's own, which took its identity when it was first
    opened and may hold changes it has not sent yet."""
    try:
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return False
        with leaving_no_side_files(path):
            connection = read_only(path)
            try:
                tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if "schema_migration" not in tables:
                    return False
                uids = {u for (u,) in connection.execute("SELECT uid FROM site")} if "site" in tables else set()
            finally:
                connection.close()
    except (OSError, sqlite3.Error):
        return False
    return uid in uids if uid is not None else not uids


def refuse_target(target: str | Path, kind: str, ours: Callable[[Path], bool] | None, db=None) -> None:
    """A file's ``target`` checked before anything is written: a file may be written there, it is not the open
    database's own, and what is there already is ``ours`` (an earlier file of the same ``kind``; None: the person
    was asked, and anything there is replaced)."""
    unwritable = not_a_target(target)
    if unwritable:
        raise TrackerError(unwritable)
    refuse_database_files(target, db)
    if ours is not None:
        refuse_other_file(target, kind, ours)


def refuse_other_target(target: str | Path, db=None, *, replace: bool = False, uid: str | None = None) -> None:
    """A copy's ``target``, as refuse_target checks it: unless ``replace``, what is there is an earlier copy of this
    database (``uid``: its identity; by default the open one's)."""
    if not replace:
        uid = uid if uid is not None or (db or database.obj) is None else own_uid(db or database.obj)
    refuse_target(target, tr("копія цієї бази"), None if replace else lambda path: is_copy_of(path, uid), db)


def backup_to(target: str | Path, db=None, *, damaged_too: bool = False, replace: bool = False) -> Path:
    """Copy the open database into ``target`` with SQLite's online backup (consistent while in use).

    A damaged database is not copied (DamagedCopyRefused): a damaged copy would look like a good one and push good
    ones out. ``damaged_too``: copied as it is all the same — a file the person names, to hand to an administrator;
    SQLite's backup copies pages, not what they mean. Never a copy in the backups folder. A file at ``target`` that
    is not an earlier copy of this database is replaced only when ``replace`` says the person chose to
    (refuse_other_target).
    """
    db = db or database.obj
    _sqlite_file(db)  # a server database: said in words
    refuse_other_target(target, db, replace=replace)
    target = Path(target)
    if not damaged_too:
        refuse_damaged(db)
    try:
        with written_beside(target) as temporary:
            destination = sqlite3.connect(temporary)
            try:
                db.connection().backup(destination)
                _as_one_file(destination)
            finally:
                destination.close()
    except (OSError, sqlite3.Error) as exc:
        raise copy_failed(target, exc) from exc
    return target


_found_whole: weakref.WeakSet = weakref.WeakSet()  # databases SQLite's full check found whole since they were opened


def found_whole(db) -> None:
    """SQLite's full check found the open database ``db`` whole (the window's check of a file it opens,
    tracker.storage.write_gate). From then on, until it is closed, its copies are read back with the quick check and
    it is not fully checked again before one is made: the full check (every index against its table: 1.9 s of a
    copy at 4,660 measures, on every import) found the state they start from whole, and what changed since, SQLite
    wrote. A copy is a page-for-page image of the file, so the quick check of it still finds a damaged page in
    either. The command line, which opens on the quick check alone, fully checks every copy as before."""
    _found_whole.add(db)


def closing(db) -> None:
    """``db`` is being closed: a file opened again (perhaps replaced meanwhile) is not known whole."""
    _found_whole.discard(db)


def _checked_fully(db) -> bool:
    """Is ``db`` to be fully checked before or as it is copied (not yet found whole since it was opened)?"""
    return db not in _found_whole


def refuse_damaged(db=None) -> None:
    """SQLite's full check of the open database (the index cross-checks quick_check skips at opening); a damaged
    one raises TrackerError: it is not copied (a damaged copy would push good ones out), nor worked on at the start.
    A database already found whole since it was opened (found_whole) gets the quick check.
    """
    db = db or database.obj
    if not isinstance(db, SqliteDatabase):
        return  # the server checks its own files
    found = problem(db.connection(), full=_checked_fully(db))
    if found:
        raise _damaged(db, found)


class DamagedCopyRefused(TrackerError):
    """The database is damaged, so it was not copied; ``found``: what SQLite's check found."""

    def __init__(self, message: str, found: str):
        super().__init__(message, hint="check")
        self.found = found


def _damaged(db, found: str) -> TrackerError:
    if says_unread(found):  # the check could not read it through (a network drive gone, an I/O error): not damaged
        return TrackerError(tr("Базу «{name}» не вдалося прочитати до кінця ({problem}), тож її не скопійовано. Її не "
                               "названо пошкодженим і не змінено; спробуйте ще раз пізніше.",
                               name=_sqlite_file(db).name, problem=found))
    return DamagedCopyRefused(tr("Базу «{name}» пошкоджено ({problem}), тож її не скопійовано: пошкоджена копія "
                                 "витіснила б цілі. Перевірте базу командою перевірки або відновіть її з цілої "
                                 "копії.", name=_sqlite_file(db).name, problem=found), found)


def auto_backup(reason: str, now: _dt.datetime | None = None, db=None) -> Path | None:
    """A rotated copy in the backups folder beside the database; None for a server database.

    Rotation counts distinct states, not starts: a copy identical to the newest one is not kept (the
    newest one is returned), so ten starts or no-op imports do not push out the copy before a real change.
    """
    db = db or database.obj
    if not isinstance(db, SqliteDatabase):
        return None
    now = now or _dt.datetime.now()
    previous = next(iter(list_backups(db)), None)
    path = backup_dir(db) / f"{_sqlite_file(db).stem}-{now:%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
    backup_to(path, db)
    return _kept(path, previous, db)


def _kept(path: Path, previous: BackupFile | None, db) -> Path:
    """A new copy kept and the copies rotated; or, when it holds what the newest one held, the newest one."""
    if _twin(previous, path):
        path.unlink()
        return previous.path
    rotate(db=db)
    return path


def _as_one_file(copy: sqlite3.Connection) -> None:
    """A copy is kept in SQLite's rollback-journal mode, not the database's WAL: read (checked, restored from) on a
    read-only connection, a WAL file needs two files beside it (-wal, -shm) that such a connection cannot remove,
    and every check of the copies left them in the backups folder, outliving the copies rotation removed. Restored
    from, a copy's pages go into the database, which stays in WAL mode; opened as the database, it turns WAL."""
    copy.execute("PRAGMA journal_mode = DELETE")


def _twin(previous: BackupFile | None, path: Path) -> bool:
    """Does ``path`` hold what the newest copy holds? Sizes first, then the bytes, a megabyte at a time, to the first
    difference: a sixth of hashing both (at 46,600 measures two files of 0.8 GB)."""
    if previous is None or previous.path.stat().st_size != path.stat().st_size:
        return False
    with open(previous.path, "rb") as one, open(path, "rb") as other:
        while True:
            block = one.read(1 << 20)
            if block != other.read(1 << 20):
                return False
            if not block:
                return True


def start_backup(reason: str = "start", db=None, done: Callable[[Path | None, str], None] | None = None,
                 checked: Callable[[str], None] | None = None) -> threading.Thread | None:
    """auto_backup off the caller's way: the copy of the database as it is now, made, checked and rotated in a
    thread of its own — at 4,660 measures 2.5 s on every start, which the window no longer waits for.

    The state copied is the one at the call: a read transaction is begun here on a connection of its own, and the
    copy reads through it, so saves made meanwhile are not in it. A copy SQLite's full check finds damaged is not
    kept (it would push good ones out). ``done(path, problem)`` is called from the thread at the end: the copy kept
    (or the identical newest one), or None and what went wrong. Python waits for the thread at exit: no half copy.

    ``checked(problem)``: the state copied is first fully checked itself, and what the check found ("" when whole)
    is said before anything is copied — always, even when the check fails to run (tracker.storage.write_gate holds
    writes until then). A damaged state is not copied.
    """
    def finished(path: Path | None, error: TrackerError | None) -> None:
        if done is not None:
            done(path, str(error) if error is not None else "")
    return _copy_in_thread(reason, db, finished, checked)


@dataclass
class CopyMade:
    path: Path | None = None  # the copy (or the newest one, which held the same), once copied_meanwhile's block ended


@contextmanager
def copied_meanwhile(reason: str, db=None):
    """auto_backup made while the block works, for a block inside a write transaction: the database as last
    committed is copied and checked in a thread (as start_backup) while the block writes; leaving the block waits
    for the copy and raises its TrackerError when it was not made (a damaged database, a full disk), so the
    transaction rolls back and a failed copy changes nothing — as auto_backup's refusal before the work did. At
    4,660 measures the copy and its check are 2.4 s, which a package's merge no longer waits for before it starts.
    Nothing is copied for a server database. Yields a CopyMade, whose ``path`` is the copy once the block is left."""
    outcome: list[tuple[Path | None, TrackerError | None]] = []
    made = CopyMade()
    # rotated only once the block has done its work: a refused import keeps no copy (the database is as it was),
    # and its copy had pushed an older one out — the one holding what a restore undid among them
    thread = _copy_in_thread(reason, db, lambda path, error: outcome.append((path, error)), rotating=False)
    try:
        yield made
    except BaseException:
        if thread is not None:
            thread.join()  # a refused import too: no copy left running behind it (the next try would make another)
            (kept, _), = outcome
            if kept == thread.copy_path:  # made by it (not the newest copy, which held the same already)
                _remove_copy(kept)
        raise
    if thread is not None:
        thread.join()
        if outcome[0][0] is not None:
            rotate(db=db)
        (made.path, error), = outcome  # the thread always says how it ended
        if error is not None:
            raise error


def _copy_in_thread(reason: str, db, finished: Callable[[Path | None, TrackerError | None], None],
                    checked: Callable[[str], None] | None = None, rotating: bool = True):
    """The thread making the copy (its ``copy_path``: the new copy's), or None for a server database. ``rotating``:
    the copies rotated once it is kept."""
    db = db or database.obj
    if not isinstance(db, SqliteDatabase):
        return None
    source = _sqlite_file(db)
    path = backup_dir(db) / f"{source.stem}-{_dt.datetime.now():%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
    try:
        snapshot = sqlite3.connect(source, check_same_thread=False, isolation_level=None)
    except sqlite3.Error as exc:
        raise copy_failed(path, exc) from exc
    try:
        snapshot.execute("BEGIN")
        snapshot.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read transaction starts here
    except sqlite3.Error as exc:
        snapshot.close()
        raise copy_failed(path, exc) from exc
    # the copy's own check: the full one, unless the state it copies is fully checked first (below) or was found
    # whole since the database was opened
    full = checked is None and _checked_fully(db)

    def work() -> None:
        kept, error = None, None
        try:
            if checked is not None:
                _check_snapshot(snapshot, db, checked)
            kept = _keep_snapshot(snapshot, path, db, full, rotating)
        except TrackerError as exc:
            error = exc
        except Exception as exc:  # the thread's end: whatever failed, the copy is not made, and said
            error = copy_failed(path, exc)
        finally:
            snapshot.close()
        if error is not None:
            log.warning("%s backup not made: %s", reason, error)  # said in the journal whoever waits for it
        finished(kept, error)
    thread = threading.Thread(target=work, name=f"backup-{reason}")
    thread.copy_path = path
    thread.start()
    return thread


def _check_snapshot(snapshot: sqlite3.Connection, db, checked: Callable[[str], None]) -> None:
    """The snapshot's full check, said to ``checked`` whatever happens; a damaged one raises."""
    found = "?"
    try:
        found = problem(snapshot, full=True)
    except Exception as exc:  # said as the finding: whoever waits for it must not wait forever
        found = str(exc) or type(exc).__name__
        raise
    finally:
        checked(found)
    if found:
        raise _damaged(db, found)


def _keep_snapshot(snapshot: sqlite3.Connection, path: Path, db, full: bool, rotating: bool = True) -> Path:
    """The snapshot copied to ``path`` if whole (``full``: by SQLite's full check, else its quick one); the newest
    copy instead when it holds the same; then rotation.

    The copy is written without SQLite's syncs and put on disk once, when it is kept: a twin of the newest copy (a
    start, then an import with nothing saved between) is never synced — syncing tens of megabytes held up the
    commit of the import it is made beside (at 4,660 measures 0.15 s of 1.4)."""
    previous = next(iter(list_backups(db)), None)
    with written_beside(path) as temporary:
        destination = sqlite3.connect(temporary)
        try:
            destination.execute("PRAGMA synchronous = OFF")  # synced below, once, if kept
            snapshot.backup(destination)
            _as_one_file(destination)
            found = copy_problem(destination, full)  # on the copy's own connection: closing it leaves no -wal, -shm
        finally:
            destination.close()
        if found:
            raise _damaged(db, found)
        twin = _twin(previous, temporary)
        if not twin:
            with open(temporary, "r+b") as handle:  # open for writing: Windows syncs no other
                os.fsync(handle.fileno())
    if twin:
        path.unlink()
        return previous.path
    if rotating:
        rotate(db=db)
    return path


def copy_problem(connection: sqlite3.Connection, full: bool) -> str:
    """SQLite's check of a copy just made (``full``: the full one, else the quick one), "" when it is whole."""
    return problem(connection, full=full)


def list_backups(db=None) -> list[BackupFile]:
    """Newest first."""
    folder = backup_dir(db)
    own = _sqlite_file(db).stem
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME_RE.match(path.name)
            if match and match.group(1) == own:
                made = _dt.datetime.strptime(match.group(2) + match.group(3) + match.group(4), "%Y%m%d%H%M%S%f")
                found.append(BackupFile(path, made, match.group(5)))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def rotate(keep_latest: int = KEEP_LATEST, db=None) -> list[Path]:
    """Keep the latest few, the newest of every month, the newest copy made before an import, an amendment and a
    schema upgrade, and the copies made before the last RESTORES_KEPT restores (the states one most wants back);
    returns what was removed."""
    backups = list_backups(db)
    keep = {b.path for b in backups[:keep_latest]}
    for reason in PROTECTED:
        keep.update([b.path for b in backups if b.reason == reason][:1])
    months: set[tuple[int, int]] = set()
    for item in backups:  # newest first, so the first seen of a month is its newest
        month = (item.made_at.year, item.made_at.month)
        if month not in months:
            months.add(month)
            keep.add(item.path)
    # a copy made before a restore holds what the restore undid, which is nowhere else: restores are rare and asked
    # for, and those copies are kept beyond the latest few (two restores in a row pushed out the first one's copy)
    keep.update([b.path for b in backups if b.reason == "restore"][:RESTORES_KEPT])
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        _remove_copy(path)
    return removed + _remove_cut_off(backup_dir(db), _sqlite_file(db).stem)


# a half-written copy untouched this long is no longer being written: its backup was cut off (a blackout, a kill)
CUT_OFF_AFTER = _dt.timedelta(hours=1)


def _remove_cut_off(folder: Path, own: str) -> list[Path]:
    """The half-written copies («.NAME.part», written_beside) a backup cut off left in the folder: each as large as
    the database, never listed, never rotated — a laptop through a season of blackouts filled its disk with them.
    One another program is writing now (its file changed within CUT_OFF_AFTER) stays."""
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(".*.part*"):  # and the journal SQLite kept beside one it was writing («.part-journal»)
        name, part, side = path.name[1:].rpartition(".part")
        match = _NAME_RE.match(name) if part and side in ("", "-journal", "-wal", "-shm") else None
        try:
            if match and match.group(1) == own and \
                    _dt.datetime.now() - _dt.datetime.fromtimestamp(path.stat().st_mtime) > CUT_OFF_AFTER:
                path.unlink()
                removed.append(path)
        except OSError as exc:  # gone meanwhile, or held open on Windows: the next rotation tries again
            log.info("could not remove the cut-off copy %s: %s", path, exc)
    return removed


def _remove_copy(path: Path) -> None:
    path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):  # left by reads of a copy kept in WAL mode (those made before _as_one_file)
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _read_copy(source: Path, full: bool) -> tuple:
    """(its check's finding, its tables, how many plans, its schema record, a value the program does not write)."""
    connection = read_only(source)
    try:
        status = problem(connection, full=full)
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        plans = connection.execute("SELECT count(*) FROM plan").fetchone()[0] if "plan" in tables else 0
        schema = recorded_migrations(connection)
        wrong = _wrong_value(connection) if not status and "progress" in tables else ""
    finally:
        connection.close()
    return status, tables, plans, schema, wrong


def check_backup_file(source: str | Path) -> None:
    """Refuse a file that is not a whole tracker database."""
    source = Path(source)
    if not source.is_file():
        raise TrackerError(tr("Файл «{path}» не знайдено.", path=source))
    full = not whole_before(source)  # checked fully already (before the question «replace?»): the quick check
    try:
        with leaving_no_side_files(source):
            status, tables, plans, schema, wrong = _read_copy(source, full)
    except sqlite3.Error as exc:
        raise TrackerError(tr("Файл «{name}» не є базою даних трекера ({reason}). Оберіть інший файл.",
                              name=source.name, reason=sqlite_reason(exc))) from exc
    if status:
        raise TrackerError(tr("Файл «{name}» пошкоджено (перевірка цілісності: {status}). Оберіть іншу копію.",
                              name=source.name, status=status))
    if not {"plan", "measure", "progress", "history"} <= tables or plans == 0:
        raise TrackerError(tr("Файл «{name}» не є базою даних трекера (немає плану). Оберіть інший файл.",
                              name=source.name))
    # what would be put in place must open afterwards: a copy of a newer program's, or one without the record of its
    # schema, replaced the database and was refused only then — no command, the restore back included, opened it
    newer = [name for name in schema or [] if name not in known_migrations()]
    if newer:
        raise TrackerError(tr("Копію «{name}» зроблено новішою версією програми (зміни схеми: {names}); ця версія з "
                              "неї не відновлює, щоб нічого не зіпсувати. Оновіть програму або оберіть іншу копію.",
                              name=source.name, names=", ".join(newer)))
    if not schema:
        raise TrackerError(tr("У файлі «{name}» немає запису про версію його схеми, тож програма не може його "
                              "відкрити. Оберіть іншу копію.", name=source.name))
    if wrong:
        raise TrackerError(tr("Файл «{name}» містить значення, яких програма не записує ({wrong}): його змінено "
                              "не програмою. Оберіть іншу копію.", name=source.name, wrong=wrong))
    if full:
        found_whole_file(source)


def _wrong_value(connection: sqlite3.Connection) -> str:
    """The first progress value in the file the write path could not have written (a file edited by hand, say: a
    status «weird» restored broke every command that read it), or ""."""
    names = [field.name for field in FIELDS]
    for row in connection.execute(f"SELECT id, {', '.join(names)} FROM progress"):
        for field, value in zip(FIELDS, row[1:]):
            try:
                field.check_stored(None if value is None else str(value))
            except ValueError as exc:
                return tr("запис {id}: {problem}", id=row[0], problem=exc)
    return ""
