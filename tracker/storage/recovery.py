"""A damaged database: never opened for work nor copied into a backup; the newest whole backup is named,
and can be put in its place (the damaged file is kept beside it)."""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from pathlib import Path

from ..errors import TrackerError
from ..i18n import tr
from .backup import BackupFile, found_whole, list_backups, written_beside
from .integrity import FileUnreadable, file_problem, problem, read_only, sqlite_reason, whole_before


class DamagedDatabaseError(TrackerError):
    """The database file fails SQLite's check; ``backup`` is the newest whole copy, if there is one."""

    def __init__(self, message: str, *, path: Path, backup: BackupFile | None):
        super().__init__(message, hint="restore" if backup is not None else None)
        self.path, self.backup = path, backup


def newest_whole_backup(db) -> BackupFile | None:
    for candidate in list_backups(db):
        try:
            if not file_problem(candidate.path):
                return candidate
        except FileUnreadable:  # not known to be whole: not named
            continue
    return None


def damaged(db, found: str, opened: bool = False) -> DamagedDatabaseError:
    """The error for a damaged database file, naming the newest whole backup of it; ``opened``: found by the full
    check of a file already shown (tracker.storage.write_gate), which is only read from then on."""
    path = Path(db.database)
    good = newest_whole_backup(db)
    found = sqlite_reason(found)  # SQLite's «database disk image is malformed» in words; a check's finding as it is
    if opened:
        text = tr("Повна перевірка знайшла пошкодження у файлі бази даних «{name}» ({problem}). Щоб не зіпсувати "
                  "дані ще більше, зміни до нього не записуються, а резервну копію з нього не зроблено.",
                  name=path.name, problem=found)
    else:
        text = tr("Файл бази даних «{name}» пошкоджено ({problem}). Щоб не зіпсувати дані ще більше, його не "
                  "відкрито й не скопійовано в резервні копії.", name=path.name, problem=found)
    if good is not None:
        text += " " + tr("Найновіша ціла резервна копія — від {when} ({reason}): «{path}». Відновіть базу з неї.",
                         when=good.made_at.strftime("%d.%m.%Y %H:%M"), reason=tr(good.reason_label),
                         path=good.path)
    else:
        text += " " + tr("Цілої резервної копії цієї бази немає; зверніться до адміністратора.")
    return DamagedDatabaseError(text, path=path, backup=good)


def refuse_damaged_file(db, full: bool = True) -> None:
    """SQLite's check of the open file (``full``: also every index against its table, which the quick check at
    opening skips); DamagedDatabaseError, naming the newest whole copy, when it is damaged. A file the full check
    finds whole is not fully checked again before it is copied (tracker.storage.backup.found_whole)."""
    found = problem(db.connection(), full=full)
    if found:
        raise damaged(db, found)
    if full:
        found_whole(db)


def replace_damaged(path: str | Path, backup: str | Path, now: _dt.datetime | None = None) -> Path:
    """Put a whole backup in place of a damaged database file; the damaged file is kept beside it.

    Returns where the damaged file now lies. The database must not be open.
    """
    path, backup = Path(path), Path(backup)
    found = file_problem(backup, full=not whole_before(backup))  # the command's check before it asked, unchanged
    if found:
        raise TrackerError(tr("Копія «{name}» теж пошкоджена ({problem}). Оберіть іншу.", name=backup.name,
                              problem=found))
    now = now or _dt.datetime.now()
    kept = path.with_name(f"{path.stem}-пошкоджена-{now:%Y%m%d-%H%M%S}{path.suffix}")
    try:
        with written_beside(path) as temporary:
            source = read_only(backup)
            destination = sqlite3.connect(temporary)
            try:
                source.backup(destination)
            finally:
                destination.close()
                source.close()
            os.replace(path, kept)  # the damaged file stays for whoever wants to look at it
            for suffix in ("-wal", "-shm"):  # they belong to the damaged file, not to the copy
                side = path.with_name(path.name + suffix)
                if side.exists():
                    os.replace(side, kept.with_name(kept.name + suffix))
    except (OSError, sqlite3.Error) as exc:
        raise TrackerError(tr("Не вдалося відновити «{name}» з копії: {reason}. Файли не змінено.",
                              name=path.name, reason=sqlite_reason(exc))) from exc
    return kept
