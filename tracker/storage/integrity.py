"""Is a database file whole? SQLite's own checks, used when a database is opened, before it is copied,
and by `tracker check`: ``quick_check`` (fast: every page read once, index cross-checks skipped; at opening in a
thread beside the first reading, CheckBeside) and the full ``integrity_check`` — each on a read-only connection of
its own (read_only). A file SQLite cannot reach at all is FileUnreadable, not damaged."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from peewee import SqliteDatabase

from ..errors import TrackerError
from ..files import os_reason
from ..i18n import N_, tr
from ..logs import log


def read_only(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to the SQLite file at ``path``: nothing is written, no file is made."""
    return sqlite3.connect(file_uri(path, "ro"), uri=True)


def file_uri(path: str | Path, mode: str) -> str:
    """The ``file:`` URI that opens the existing SQLite file at ``path`` in ``mode`` ("ro", "rw": never made anew).

    «%», «?» and «#» are the URI's own signs; they go as escapes, so a folder named «Звіти #2» is that folder — as
    they were, SQLite opened «Звіти » instead, made as an empty database, and the checks and restores there read
    that."""
    text = str(Path(path))
    for sign, escape in (("%", "%25"), ("?", "%3F"), ("#", "%23")):
        text = text.replace(sign, escape)
    return f"file:{text}?mode={mode}"


def take_alone(connection: sqlite3.Connection) -> bool:
    """SQLite's exclusive lock on the file for ``connection``, kept until let_go: granted only when no other connection
    has the file open — every one that has read a file in WAL mode holds SQLite's shared lock until it closes. False
    when one has; the failed try then holds SQLite's pending lock, which keeps new readers out until ``connection``
    closes. Any other failure is raised."""
    connection.execute("PRAGMA locking_mode = EXCLUSIVE").fetchone()
    try:
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("ROLLBACK")  # the lock stays: in exclusive mode SQLite keeps what it took
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return False
        raise
    return True


def let_go(connection: sqlite3.Connection) -> None:
    """The lock take_alone took let go: the mode back to normal takes effect at the next read's end."""
    connection.execute("PRAGMA locking_mode = NORMAL").fetchone()
    connection.execute("PRAGMA user_version").fetchone()


def table_names(path: str | Path) -> set[str]:
    """The tables of the SQLite file at ``path``, read-only; sqlite3.Error when it cannot be read."""
    connection = read_only(path)
    try:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()


def refuse_another_programs(path: str | Path, tables: set[str]) -> None:
    """A file whose tables are another program's (no tracker's schema record) is not the tracker's to open, write or
    mend: our tables would be written in beside them."""
    if tables and "schema_migration" not in tables:
        raise TrackerError(tr("Файл «{path}» — база даних іншої програми, не трекера. Її не змінено; вкажіть файл "
                              "бази трекера.", path=path), hint="database")


def close_leaving_the_wal(db) -> None:
    """Close peewee's ``db`` without SQLite writing the WAL beside the file into it, as the last connection to close
    a file in WAL mode does: for a file found damaged, or not yet found whole, when a WAL another copy of the
    database left beside it is the damage — written in, it became the file's for good (a refused «tracker status»
    cut a laptop's file short and took its saves with it). A read-only connection held open across the close keeps
    SQLite from it, and its own close writes nothing; a file too damaged for it to read is closed as it is."""
    guard = None
    path = db.database if isinstance(db, SqliteDatabase) else ""
    if path not in ("", ":memory:") and Path(path).is_file():
        try:
            guard = read_only(path)
            guard.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read's lock is what holds
        except sqlite3.Error as exc:
            log.info("no read-only hold on %s while it closes: %s", path, exc)
    try:
        db.close()
    finally:
        if guard is not None:
            guard.close()


@contextmanager
def leaving_no_side_files(path: str | Path):
    """Around reads of a file someone chose (a copy to restore from): a file in SQLite's WAL mode read so gets a
    «-wal» and a «-shm» beside it, which a read-only connection cannot remove, and they stayed there. Those the reads
    made are removed afterwards — not the ones that were there before (another program may have the file open)."""
    path = Path(path)
    wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    had_wal, had_shm = wal.exists(), shm.exists()
    try:
        yield
    finally:
        try:
            if not had_wal and wal.exists() and wal.stat().st_size == 0:
                wal.unlink()
            if not had_shm and not wal.exists():
                shm.unlink(missing_ok=True)
        except OSError:
            pass  # left as they were: SQLite reads the file the same with or without them


def problem(connection: sqlite3.Connection, full: bool = False) -> str:
    """SQLite's first few findings about the open file, or "" when it is whole."""
    try:
        rows = _rows(connection, full)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return _finding(rows)


def table_problem(connection: sqlite3.Connection, table: str) -> str:
    """SQLite's full check of one table and its indexes alone (integrity_check(TABLE)): its first finding, or ""."""
    try:
        rows = [row[0] for row in connection.execute(f'PRAGMA integrity_check("{table}")')]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return _finding(rows)


def _rows(connection: sqlite3.Connection, full: bool) -> list[str]:
    """What SQLite's check (``full``: integrity_check, else quick_check) says, its first few rows."""
    pragma = "integrity_check(3)" if full else "quick_check(3)"
    return [row[0] for row in connection.execute(f"PRAGMA {pragma}")]


def _file_rows(path: str | Path, full: bool) -> list[str]:
    """The same of a file, on a read-only connection of its own."""
    beside = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    found_alone = not any(file.exists() for file in beside)
    connection = read_only(path)
    try:
        return _rows(connection, full)
    finally:
        connection.close()
        if found_alone and any(file.exists() for file in beside):
            _leave_alone(path)


def _leave_alone(path: str | Path) -> None:
    """A read-only connection to a file in WAL mode leaves its -wal and -shm beside it (it may not remove them:
    `tracker check` left two empty files by the database and each backup). A connection that may remove them,
    opened and closed, lets SQLite do so when no other program has the file open; the file itself is not written."""
    try:
        connection = sqlite3.connect(file_uri(path, "rw"), uri=True)
        try:
            connection.execute("PRAGMA user_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:  # a read-only disk or folder: they stay, as before
        pass


def _finding(rows: list[str]) -> str:
    if rows == ["ok"]:
        return ""
    lines = [line for row in rows for line in row.splitlines() if line.strip() and not line.startswith("***")]
    return " ".join((lines or rows)[0].split())[:200]  # the first finding says enough


class FileUnreadable(TrackerError):
    """A file SQLite cannot read at all — no access to it or to its folder: that says nothing of its state. Its text
    keeps SQLite's own words (says_unread reads them); ``reason`` is what SQLite said, for saying it in the
    program's (sqlite_reason)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


def file_problem(path: str | Path, full: bool = True) -> str:
    """The same for a file not open in the program (a backup): read-only, nothing written. FileUnreadable when it
    cannot be read at all: a file out of reach is not called damaged. One the full check finds whole is remembered
    so (whole_before)."""
    try:
        found = _finding(_file_rows(path, full))
    except sqlite3.Error as exc:
        found = str(exc)
    if says_unreachable(found):
        # in the program's words, and SQLite's own beside them: says_unread reads them in the text
        raise FileUnreadable(unreachable_text(path, tr("{reason} (SQLite: «{said}»)", reason=sqlite_reason(found),
                                                       said=found)), reason=found)
    if full and not found:
        found_whole_file(path)
    return found


# files the full check found whole in this process: each one's path → its stamp (file_stamp) at that check
_whole_files: dict[str, tuple] = {}


def file_stamp(path: str | Path) -> tuple | None:
    """What changes when the file is written or replaced: its size, time and place on the disk, and its WAL's."""
    stamp = []
    for name in (str(path), f"{path}-wal"):
        try:
            found = os.stat(name)
        except OSError:
            stamp.append(None)
        else:
            stamp.append((found.st_size, found.st_mtime_ns, found.st_ino, found.st_dev))
    return tuple(stamp) if stamp[0] is not None else None


def found_whole_file(path: str | Path) -> None:
    """SQLite's full check found the file at ``path`` whole."""
    stamp = file_stamp(path)
    if stamp is not None:
        _whole_files[os.path.abspath(path)] = stamp


def whole_before(path: str | Path) -> bool:
    """Did SQLite's full check find this file whole earlier in this process, and has it not been written or replaced
    since (as far as its size, time and place say: a disk that keeps times to 2 s, as FAT does, may miss a write in
    those 2 s)? Then the quick check, which still reads every page, says enough of it: a restore from a copy the
    command checked before asking, or a damaged file replaced by a copy checked before, read 0.8 GB fully twice at
    46,600 measures, ~19 s each."""
    stamp = file_stamp(path)
    return stamp is not None and _whole_files.get(os.path.abspath(path)) == stamp


def says_unreachable(text: str) -> bool:
    """Does SQLite's error say the file could not be reached (opened, or its WAL index made beside it)?"""
    return "unable to open" in text or "readonly database" in text


def unreachable_text(path: str | Path, reason: str) -> str:
    # the reason says what is out of reach (sqlite_reason's «немає доступу до нього чи до його теки»): not said again
    return tr("Не вдалося прочитати файл «{path}»: {reason}. Файл не змінено; перевірте права доступу до нього й до "
              "його теки.", path=path, reason=reason)


class CheckBeside:
    """SQLite's quick check of a file run in a thread of its own, on a read-only connection of its own, while the
    program reads the file on its connection: Python's sqlite3 lets other threads run during a statement, so on
    two cores the check and the reading take the time of the longer one, not of both.

    ``wait()`` is what the check found ("" when the file is whole), or None when it could not check there at all (a
    file its read-only connection cannot open, say on a folder the program may not write to): then the caller
    checks on its own connection, as without this."""

    def __init__(self, path: str | Path):
        self._found: str | None = None
        self._thread = threading.Thread(target=self._check, args=(Path(path),), name="quick-check", daemon=True)
        self._thread.start()

    def _check(self, path: Path) -> None:
        try:
            self._found = _finding(_file_rows(path, full=False))
        except sqlite3.DatabaseError as exc:  # a finding only when it says the file is damaged
            if says_damaged(str(exc)):
                self._found = str(exc)
        except Exception:  # noqa: BLE001 — not checked here: the caller checks on its own connection
            pass

    def wait(self) -> str | None:
        self._thread.join()
        return self._found


# SQLite says why in English, whatever the program's language; what it says most, in the program's words
_SQLITE_REASONS = (
    ("database or disk is full", N_("на диску скінчилося місце")),
    ("disk I/O error", N_("помилка читання чи запису диска")),
    ("file is not a database", N_("це не файл бази даних SQLite")),
    ("database disk image is malformed", N_("сторінки файла не читаються як база даних")),
    ("readonly database", N_("файл, його тека чи диск — лише для читання")),
    ("unable to open database file", N_("файл не вдалося відкрити: немає доступу до нього чи до його теки, або "
                                        "такої теки немає")),
    ("database is locked", N_("базу саме змінює інша програма")),
    ("database table is locked", N_("базу саме змінює інша програма")),
    ("out of memory", N_("забракло пам'яті")),
)


def sqlite_reason(exc: BaseException | str) -> str:
    """Why SQLite failed, in the program's language when it is one of its common answers (its own words, in
    English, otherwise); a system error in the system's words (tracker.files.os_reason)."""
    if isinstance(exc, OSError):
        return os_reason(exc)
    text = " ".join(str(exc).split())
    index = damaged_index(text)
    if index:
        return tr("індекс «{index}» не відповідає записам таблиці", index=index)
    if _PAGE_FINDING.match(text):  # the check's own words about a page, kept for whoever mends the file
        return tr("сторінки файла пошкоджено; SQLite: «{finding}»", finding=text)
    for words, reason in _SQLITE_REASONS:
        if words in text:
            return tr(reason)
    return text


# the full check's findings about an index alone (SQLite 3.37–3.47): the rows of the table are read whole, and the
# index — the sorted list SQLite keeps beside a table to find its rows, made from them — does not match them
_INDEX_FINDINGS = tuple(re.compile(pattern) for pattern in (
    r"row \d+ missing from index (\S+)", r"wrong # of entries in index (\S+)", r"non-unique entry in index (\S+)",
    r"index (\S+) stores an imprecise floating-point value for row \d+"))


# the check's findings about the file's pages and their tree (SQLite's integrity_check, btree.c)
_PAGE_FINDING = re.compile(r"(\*\*\* in database \w+ \*\*\* )?(Page \d+|On tree page \d+|On page \d+|Tree \d+ page \d+|"
                           r"Freelist|Multiple uses for byte|Fragmentation of \d+ bytes|free space corruption|"
                           r"Extends off end of page|invalid page number|\d+ of \d+ pages missing)")


def damaged_index(finding: str) -> str | None:
    """The index a finding of SQLite's full check is about, when it is about an index alone (else None)."""
    text = " ".join(finding.split())
    for pattern in _INDEX_FINDINGS:
        found = pattern.fullmatch(text)
        if found:
            return found.group(1)
    return None


def only_indexes_damaged(path: str | Path) -> bool:
    """Are an SQLite file's pages whole (the quick check) and every finding of its full check about an index alone?
    Then nothing recorded is lost: each index can be made anew from its table's rows. Read-only; sqlite3.Error when
    the file cannot be read through (not when SQLite finds it too damaged to check: False)."""
    try:
        if _file_rows(path, full=False) != ["ok"]:
            return False
        connection = read_only(path)
        try:
            rows = [line for (row,) in connection.execute("PRAGMA integrity_check(1000)")
                    for line in row.splitlines() if line.strip() and not line.startswith("***")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        if says_damaged(str(exc)):
            return False
        raise
    return rows != ["ok"] and all(damaged_index(row) for row in rows)


def says_damaged(text: str) -> bool:
    """Does SQLite's error say the file is damaged (not locked, missing, or out of reach)?"""
    return "malformed" in text or "corrupt" in text


# SQLite's errors that stop a check before it has read the file through: they say nothing of the file's state
_UNREAD = ("disk I/O error", "database is locked", "out of memory", "interrupted")


def says_unread(text: str) -> bool:
    """Did a check stop because the file could not be read (out of reach, an I/O error, locked) — not because it
    found the file damaged?"""
    return says_unreachable(text) or any(sign in text for sign in _UNREAD)


def unread_text(reason: str) -> str:
    return tr("Повної перевірки цілісності бази не зроблено: файл не вдалося прочитати до кінця ({reason}). Його не "
              "названо пошкодженим і не змінено; з ним можна працювати далі. Щоб перевірити його, відкрийте базу "
              "ще раз пізніше.", reason=reason)
