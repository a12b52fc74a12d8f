"""Moving an older version's per-user folder to where this version keeps it, without losing a save.

Version 0.1 kept the database, its backups and the journal in the roaming profile on Windows
(%APPDATA%\\LutskPlanTracker); domain policies redirect that folder to a file server, where SQLite's
locks and WAL are not safe. This version keeps them in Local AppData (tracker.paths.user_data_dir). At
start, a database found only in the old folder is copied into the new one with SQLite's online backup
(saves still in its WAL included), checked, and the old file renamed, so that an older program started
later cannot go on writing to it unseen; its backups and journal follow. When the old database is in use
(an older program is still open on it), nothing moves: it is used where it is, and moved at a later start.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..logs import log
from ..paths import DB_NAME, legacy_data_dir, user_data_dir
from .integrity import file_uri

MOVED_SUFFIX = ".moved"  # the old file, kept (renamed) until the user deletes the old folder
NOTE_NAME = "ПЕРЕНЕСЕНО.txt"
FOLDERS = ("backups", "logs")


@dataclass(frozen=True)
class Relocation:
    old: Path
    new: Path
    moved: bool  # False: the old database stays the one in use, for now
    reason: str = ""  # why it did not move


class _InUse(Exception):
    pass


def relocate(old: Path, new: Path) -> Relocation | None:
    """Move the database (and its backups and journal) from ``old`` to ``new``; None when there is nothing to
    move: no database in the old folder, or the new folder already has one (then the old one is left alone)."""
    old_db, new_db = old / DB_NAME, new / DB_NAME
    if not old_db.is_file() or new_db.exists() or _same(old, new):
        return None
    try:
        new.mkdir(parents=True, exist_ok=True)
        _move_database(old_db, new_db)
    except _InUse:
        return Relocation(old, new, moved=False, reason="in use")
    except (OSError, sqlite3.Error) as exc:
        return Relocation(old, new, moved=False, reason=" ".join(str(exc).split()))
    for name in FOLDERS:
        _move_files(old / name, new / name)
    try:
        (old / NOTE_NAME).write_text(
            f"Дані трекера Плану заходів перенесено до теки\n{new}\n"
            f"Файл {DB_NAME}{MOVED_SUFFIX} — стара копія бази; її можна видалити.\n", encoding="utf-8")
    except OSError:
        pass  # only a courtesy for whoever looks into the old folder
    return Relocation(old, new, moved=True)


def settle_user_folder() -> Relocation | None:
    """At start: an older version's folder moves to this version's; the outcome goes to the journal."""
    done = relocate(legacy_data_dir(), user_data_dir())
    if done is not None:
        if done.moved:
            log.info("the database moved from %s to %s", done.old, done.new)
        else:
            log.warning("the database in %s was not moved to %s (%s); it is used where it is",
                        done.old, done.new, done.reason)
    return done


def moved_path(text: str, old: Path, new: Path) -> str:
    """A remembered file path inside the old folder, pointed at the same file in the new one once it is there."""
    try:
        relative = Path(text).relative_to(old)
    except ValueError:
        return text
    moved = new / relative
    return str(moved) if moved.exists() and not Path(text).exists() else text


def _same(old: Path, new: Path) -> bool:
    try:
        return old.resolve() == new.resolve()
    except OSError:
        return False


def _move_database(old_db: Path, new_db: Path) -> None:
    source = sqlite3.connect(file_uri(old_db, "rw"), uri=True, timeout=0.5, isolation_level=None)
    try:
        try:
            # leaving WAL needs the only connection: an older program still open on the file keeps it in WAL
            if source.execute("PRAGMA journal_mode=DELETE").fetchone()[0] != "delete":
                raise _InUse
            # a read transaction: no other program can commit a write while it is copied (the backup itself may
            # not run inside a write transaction of its own connection)
            source.execute("BEGIN")
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            raise _InUse from exc
        part = new_db.with_name(f".{new_db.name}.part")
        part.unlink(missing_ok=True)
        target = sqlite3.connect(part)
        try:
            source.backup(target)
            checked = target.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            target.close()
        if checked != "ok":
            part.unlink(missing_ok=True)
            raise sqlite3.DatabaseError(f"the copy failed its check: {checked}")
        with open(part, "rb") as copied:
            os.fsync(copied.fileno())
        os.replace(part, new_db)
    finally:
        source.close()
    try:
        os.replace(old_db, old_db.with_name(old_db.name + MOVED_SUFFIX))
    except OSError as exc:  # Windows: an older program opened it in the meantime; it stays the database
        new_db.unlink(missing_ok=True)
        raise _InUse from exc


def _move_files(old: Path, new: Path) -> None:
    """Each file of a folder, one by one; one that cannot be moved (open elsewhere) stays behind, logged."""
    if not old.is_dir():
        return
    new.mkdir(parents=True, exist_ok=True)
    for item in sorted(old.iterdir()):
        if item.is_file() and not (new / item.name).exists():
            try:
                shutil.move(str(item), str(new / item.name))
            except OSError as exc:
                log.warning("could not move %s: %s", item, exc)
