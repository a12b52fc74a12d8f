"""The SQLite file a database was opened on is the one its writes go to.

A file replaced by rename while a program has it open — a copy put back by hand («cp copy x.db.new && mv x.db.new
x.db»), a sync tool — leaves the program's connections on the old file, which no name leads to any more: each save
said «записано» and went where nobody would open it again. The file's identity (its device and inode; on Windows its
volume and file index) is taken when the database is opened (``remember``); every write transaction, once it holds
the write lock, checks that the path still names that file (``check``), and writes nothing otherwise.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path

from peewee import SqliteDatabase

from ..i18n import tr
from .failures import StorageError

_opened: weakref.WeakKeyDictionary[SqliteDatabase, tuple[int, int] | None] = weakref.WeakKeyDictionary()


class FileReplaced(StorageError):
    """The database's path names another file than the one opened (or none): nothing was written. ``what``: what
    happened, without the way on (the window offers its own)."""

    def __init__(self, message: str, what: str):
        super().__init__(message)
        self.what = what


_UNKNOWN = (-1, -1)  # the file could not be asked (an antivirus holding it a moment, a share's refusal): not «gone»


def _identity(path: str) -> tuple[int, int] | None:
    """The file the path names (its device and number); None when it names none."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return _UNKNOWN
    return found.st_dev, found.st_ino


def remember(db: SqliteDatabase) -> None:
    """At opening, the connection made: the file it is on — unless its numbers are not the file's own (asked twice,
    they differ: a network share that makes them up), and then it is never taken for replaced."""
    first = _identity(db.database)
    _opened[db] = first if first not in (None, _UNKNOWN) and _identity(db.database) == first else None


def replaced(db: SqliteDatabase) -> bool:
    """The path no longer names the file opened (a database opened otherwise than by open_database: never). Said only
    when the path names, asked twice, the same other file (or none): a false «replaced» would refuse every save."""
    if not isinstance(db, SqliteDatabase):
        return False
    known = _opened.get(db)
    if known is None:
        return False
    now = _identity(db.database)
    if now in (known, _UNKNOWN) or _identity(db.database) != now:
        return False
    if now is None:
        return True  # gone
    if not known[1] or not now[1]:  # a file system that numbers no files (some network shares): not told apart
        return now[0] != known[0]
    return True


def check(db: SqliteDatabase) -> None:
    """Inside a write transaction holding the lock: refuse it when the file was replaced since opening."""
    if replaced(db):
        what = tr("Файл бази «{name}» замінено іншим (чи переміщено або видалено), поки програма працювала з ним: "
                  "поверх нього скопійовано інший файл або його відновила чи синхронізувала інша програма. Зміни не "
                  "записано — вони пішли б у старий файл, якого під цим ім'ям уже немає.",
                  name=Path(db.database).name)
        raise FileReplaced(what + " " + tr("Відкрийте базу знову (у вікні: Файл → Останні бази; у командному рядку — "
                                           "повторіть команду) і внесіть зміни ще раз."), what)
