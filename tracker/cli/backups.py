"""The commands that keep and put back copies: ``backup``, ``restore`` (a damaged database too), ``backups`` and
``check`` (the database's and its copies' files checked, none opened for work)."""

from __future__ import annotations

import sys
from pathlib import Path

from peewee import SqliteDatabase

from ..paths import default_database
from ..storage.backup import check_backup_file, list_backups
from ..storage.copy import copy_open_database
from ..storage.db import close_database, make_database
from ..storage.integrity import (
    FileUnreadable,
    damaged_index,
    file_problem,
    leaving_no_side_files,
    says_unread,
    sqlite_reason,
    unreachable_text,
)
from ..storage.models import database
from ..storage.recovery import (
    DamagedDatabaseError,
    damaged_by_wal,
    rebuild_indexes,
    refuse_damaged_file,
    replace_damaged,
    set_wal_aside,
)
from ..storage.restore import another_database, restore_from


def run_backup(args) -> int:
    # a file's copy, or the office server's whole into a new SQLite file (e.g. to set up a laptop)
    path = copy_open_database(args.output, replace=args.overwrite)
    print(f"Резервну копію збережено: {path}")
    return 0


def confirmed(args, question: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin or not sys.stdin.isatty():
        print("Помилка: відновлення замінить усі дані бази. Підтвердіть, додавши --yes.", file=sys.stderr)
        return False
    if input(f"{question} [т/Н] ").strip().casefold() not in ("т", "так", "y", "yes"):
        print("Скасовано; нічого не змінено.")
        return False
    return True


def restore_damaged(args, exc: DamagedDatabaseError) -> int:
    """The database cannot be opened: the copy is put in place of the file, which is kept beside it."""
    check_backup_file(args.file)
    if not confirmed(args, f"Базу «{exc.path}» пошкоджено. Замінити її файлом «{args.file}»? Пошкоджений "
                            "файл буде збережено поруч."):
        return 1
    kept = replace_damaged(exc.path, args.file)
    print(f"Базу відновлено з «{args.file}». Пошкоджений файл збережено: {kept}")
    return 0


def run_check(args) -> int:
    db = make_database(args.db or default_database())
    if not isinstance(db, SqliteDatabase):
        print("База на сервері: її цілісність перевіряє сервер PostgreSQL (адміністратор сервера).")
        return 0
    path = Path(db.database)
    if not path.is_file():
        print(f"Помилка: файлу бази «{path}» немає.", file=sys.stderr)
        return 1
    if path.stat().st_size == 0:  # SQLite calls an empty file a whole, empty database: «ціла» said nothing of it
        print(f"База: {path} — ПОРОЖНІЙ файл: бази трекера в ньому немає (її ще не створено, або файл обнулено).")
        return 1
    if args.repair:
        return _repair(path)
    damaged = unread = 0
    mendable = False
    database_found = ""  # what the check found in the database file itself
    for label, file in [("База", path)] + [(f"Копія {b.made_at:%d.%m.%Y %H:%M}", b.path) for b in list_backups(db)]:
        try:
            found = file_problem(file)
        except FileUnreadable as exc:  # out of reach: not said to be damaged
            unread += 1
            print(f"{label}: {file} — НЕ ПРОЧИТАНО. {unreachable_text(file, sqlite_reason(exc.reason))}")
            continue
        if says_unread(found):  # an I/O error, the file locked: the check stopped, it found nothing
            unread += 1
            print(f"{label}: {file} — НЕ ПРОЧИТАНО до кінця ({sqlite_reason(found)}); його не названо пошкодженим.")
            continue
        damaged += bool(found)
        print(f"{label}: {file} — " + (f"ПОШКОДЖЕНО ({sqlite_reason(found)})" if found else "ціла"))
        if file == path:
            mendable, database_found = damaged_index(found) is not None, found
    counted = [text for text, count in ((f"Пошкоджено файлів: {damaged}", damaged), (f"Не прочитано: {unread}", unread))
               if count]
    print("; ".join(counted) or "Усе ціле.")
    if database_found and damaged_by_wal(path, database_found):  # the file alone is whole: its WAL beside it is not
        print(f"Сам файл бази цілий — пошкоджено журнал її незавершених записів «{path.name}-wal» поруч (його могла "
              "залишити інша копія бази). Відкладіть його вбік: tracker check --repair")
    elif mendable:  # a restore would lose every change since the copy: the rows are whole
        print("Пошкоджено, схоже, лише індекси бази — покажчики, за якими вона знаходить записи; самі записи цілі. "
              "Відбудуйте їх без втрат: tracker check --repair")
    return 1 if counted else 0


def _repair(path: Path) -> int:
    """The database file checked first (with its WAL, as the program reads it); a damaged one has its indexes made
    anew from its rows, or, when the file is whole without the WAL beside it, the WAL set aside. A whole file is
    left as it is: its WAL holds committed saves."""
    print(f"Перевірка бази «{path}»…", flush=True)
    with leaving_no_side_files(path):
        found = file_problem(path)
    if not found:
        print("База ціла; лагодити нічого.")
        return 0
    if damaged_by_wal(path, found):  # the file alone is whole: the WAL's pages are what does not fit
        kept = set_wal_aside(path, found=found)
        print(f"Сам файл бази цілий; пошкоджений журнал відкладено: {kept}. База відкриється такою, як у самому файлі; "
              "записане лише в журнал у неї не ввійшло.")
        return 0
    if damaged_index(found) is not None:  # a file damaged otherwise is refused at once, with the reason
        print("Відбудова індексів…", flush=True)
    kept = rebuild_indexes(path)
    print(f"Індекси відбудовано з записів; база ціла, нічого не втрачено. Пошкоджений файл збережено: {kept}")
    return 0


def run_restore(args) -> int:
    if isinstance(database.obj, SqliteDatabase):
        try:
            refuse_damaged_file(database.obj)  # its state could not be copied first: the copy takes its place
        except DamagedDatabaseError as exc:
            close_database()
            return restore_damaged(args, exc)  # which checks the copy
    check_backup_file(args.file)
    warning = another_database(args.file)
    if warning:
        print(warning, file=sys.stderr)
    if not confirmed(args, f"Замінити дані бази вмістом «{args.file}»? Поточний стан буде збережено в копію."):
        return 1
    before = restore_from(args.file)
    print(f"Базу відновлено з «{args.file}». Стан перед відновленням збережено: {before}")
    return 0


def run_backups(args) -> int:
    backups = list_backups()
    if not backups:
        print("Автоматичних резервних копій ще немає.")
    for item in backups:
        print(f"{item.made_at:%d.%m.%Y %H:%M:%S}  {item.reason_label:<22} {item.path}")
    return 0

