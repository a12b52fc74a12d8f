"""Restoring the open SQLite database from a copy: the current state is copied first, so it can be undone."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

from peewee import SqliteDatabase

from ..errors import TrackerError
from ..i18n import tr
from .backup import auto_backup, check_backup_file
from .db import migrate
from .device import new_device_identity, this_device
from .failures import BUSY_TIMEOUT_MS
from .integrity import leaving_no_side_files, let_go, read_only, sqlite_reason, take_alone
from .models import database


def restore_from(source: str | Path) -> Path:
    """Replace the open database's contents with ``source``; the current state is backed up first.

    Returns the backup of the state before the restore, so that the restore itself can be undone.
    """
    check_backup_file(source)
    with _alone(database.obj):  # the copy of the state before and the restore: no save of another program between
        before = auto_backup("restore")
        try:
            _copy_in(source)
        except sqlite3.Error as exc:
            raise TrackerError(tr("Не вдалося відновити з «{name}»: {reason}. Поточну базу не змінено; "
                                  "її копія — «{copy}».",
                                  name=Path(source).name, reason=sqlite_reason(exc), copy=before)) from exc
        try:
            migrate(database.obj)  # the copy may come from an older version of the program
            # its history has gone back: peers' confirmations of this database no longer describe it, and
            # its next changes would reuse the sequence numbers they confirmed
            new_device_identity()
        except Exception as exc:  # whatever stops the copy being made ready: the database as it was, not half one
            if database.obj.in_transaction():
                database.obj.rollback()
            _copy_in(before)
            raise TrackerError(tr("Копію «{name}» не вдалося підготувати до роботи ({reason}); базу повернуто до "
                                  "стану перед відновленням.", name=Path(source).name,
                                  reason=sqlite_reason(exc))) from exc
    return before


@contextmanager
def _alone(db):
    """The open SQLite file held by the program's connection alone, until the block ends: SQLite's exclusive lock,
    which no other program's connection can share — not even to read. A save another program made between the copy
    of the state before a restore and the restore was in neither (the restore's copy had been told to hold it). When
    another program has the file open (another window, the command line, another PC), the restore is refused: it
    would go on working on the restored file as if its own saves were still there."""
    if not isinstance(db, SqliteDatabase):
        yield
        return
    connection = db.connection()
    connection.execute("PRAGMA busy_timeout = 1000")  # a save under way ends; a window left open does not
    try:
        alone = take_alone(connection)
    except sqlite3.OperationalError:
        db.close()
        raise
    if not alone:
        db.close()  # the failed try holds SQLite's pending lock, which keeps other programs from reading, till closed
        raise TrackerError(tr("Базу «{name}» зараз відкрито ще десь: в іншому вікні трекера, іншою програмою чи на "
                              "іншому ПК. Закрийте її там і спробуйте знову: відновлення замінило б базу під "
                              "зробленим там. Нічого не змінено.", name=Path(db.database).name))
    try:
        yield
    finally:
        let_go(connection)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def another_database(source: str | Path) -> str:
    """A word before restoring from ``source`` when it is not a copy of this database but another device's (a
    laptop's file, another office's): its key is not this database's — a copy of it keeps the key through restores
    and new identities; "" when it is a copy, or cannot be told. Restored, it replaced the office's record with a
    laptop's without a word."""
    try:
        with leaving_no_side_files(source):
            connection = read_only(source)
            try:
                row = connection.execute("SELECT public_key, name FROM site ORDER BY id LIMIT 1").fetchone()
            finally:
                connection.close()
        ours = this_device().public_key
    except (OSError, sqlite3.Error, TrackerError):
        return ""
    if row is None or not row[0] or not ours or row[0] == ours:
        return ""
    return tr("Увага: «{name}» — не копія цієї бази, а база іншого пристрою{device}: відновлення замінить дані цієї "
              "бази його даними, і зміни, внесені тут, залишаться лише в копії «перед відновленням».",
              name=Path(source).name, device=f" («{row[1]}»)" if row[1] else "")


def _copy_in(source: str | Path) -> None:
    """The open database's contents replaced by the file at ``source`` (SQLite's backup, page by page)."""
    with leaving_no_side_files(source):
        origin = read_only(source)
        try:
            origin.backup(database.connection())
        finally:
            origin.close()
