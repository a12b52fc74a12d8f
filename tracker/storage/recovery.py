"""A damaged database: never opened for work nor copied into a backup; the newest whole backup is named,
and can be put in its place (the damaged file is kept beside it). A file whose indexes alone are damaged has them made
anew from its rows instead (rebuild_indexes), and a file whole without the WAL beside it has the WAL set aside
(set_wal_aside): a restore would lose every change made since the copy."""

from __future__ import annotations

import datetime as _dt
import glob
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Callable

from peewee import SqliteDatabase

from ..errors import TrackerError
from ..i18n import tr
from ..logs import log
from .backup import BackupFile, found_whole, list_backups
from .failures import BUSY_TIMEOUT_MS
from .integrity import (
    FileUnreadable,
    damaged_index,
    file_problem,
    file_stamp,
    file_uri,
    leaving_no_side_files,
    let_go,
    only_indexes_damaged,
    problem,
    read_only,
    refuse_another_programs,
    sqlite_reason,
    table_names,
    table_problem,
    take_alone,
    whole_before,
)
from .models import Progress


class DamagedDatabaseError(TrackerError):
    """The database file fails SQLite's check; ``backup`` is the newest whole copy, if there is one."""

    def __init__(self, message: str, *, path: Path, backup: BackupFile | None, indexes: bool = False,
                 wal: bool = False):
        super().__init__(message, hint="repair" if indexes or wal else "restore" if backup is not None else None)
        self.path, self.backup = path, backup
        self.indexes = indexes  # what SQLite found first is about an index alone: rebuild_indexes may mend it
        self.wal = wal  # the file is whole without the WAL beside it: set_wal_aside opens it as it is


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
    raw, found = found, sqlite_reason(found)  # SQLite's «database disk image is malformed» in words
    if opened:
        text = tr("Повна перевірка знайшла пошкодження у файлі бази даних «{name}» ({problem}). Щоб не зіпсувати "
                  "дані ще більше, зміни до нього не записуються, а резервну копію з нього не зроблено.",
                  name=path.name, problem=found)
    else:
        text = tr("Файл бази даних «{name}» пошкоджено ({problem}). Щоб не зіпсувати дані ще більше, його не "
                  "відкрито й не скопійовано в резервні копії.", name=path.name, problem=found)
    wal = damaged_by_wal(path, raw)  # before an index is blamed: the WAL's pages may be what does not match
    indexes = not wal and damaged_index(raw) is not None and not _refused_before(path)
    if wal:  # the file itself is whole: a restore would lose what it holds since the copy
        text += " " + tr("Сам файл бази цілий — пошкоджено журнал її незавершених записів «{wal}» поруч із ним (його "
                         "могла залишити інша копія бази, покладена на місце цієї, або збій під час запису). Якщо "
                         "відкласти журнал убік, база відкриється такою, як у самому файлі; записане лише в журнал у "
                         "неї не ввійде, а сам журнал збережеться поруч.", wal=f"{path.name}-wal")
        if good is not None:
            text += " " + tr("Найновіша ціла резервна копія — від {when} ({reason}): «{path}».",
                             when=good.made_at.strftime("%d.%m.%Y %H:%M"), reason=tr(good.reason_label),
                             path=good.path)
    elif indexes:  # the rows are read whole: a restore would lose what was written since the copy
        text += " " + tr("Схоже, пошкоджено лише індекс — покажчик, за яким база знаходить записи; самі записи цілі. "
                         "Його можна відбудувати із записів без жодних втрат; відновлення з резервної копії втратило "
                         "б усе, записане після неї.")
    elif good is not None:
        text += " " + tr("Найновіша ціла резервна копія — від {when} ({reason}): «{path}». Відновіть базу з неї.",
                         when=good.made_at.strftime("%d.%m.%Y %H:%M"), reason=tr(good.reason_label),
                         path=good.path)
    else:
        text += " " + tr("Цілої резервної копії цієї бази немає; зверніться до адміністратора.")
    return DamagedDatabaseError(text, path=path, backup=good, indexes=indexes, wal=wal)


def damaged_by_wal(path: Path, found: str | None = None) -> bool:
    """Is the damage in the WAL beside the file, not in the file: does SQLite's check fail on the file read with its
    WAL, and pass on the file read alone (its bytes copied to a folder of their own, where no WAL is beside them)?
    A WAL another copy of the database left, a file put back over it, is read by SQLite as the file's own: its pages
    replace the file's, and the file looks damaged — or, when they fit, only its indexes do, and a rebuild would
    have called the other copy's rows the file's («нічого не втрачено»). SQLite's own WAL of a file, committed saves a
    blackout left, always reads whole with it: a whole file's WAL is never blamed (setting it aside would lose them).

    ``found``: what a check of the file with its WAL found, when the caller has it; else the quick check is run here.
    A finding about an index alone (the full check's) is checked against the file alone by the full check too. Only
    read; False when it cannot be told."""
    try:
        if not has_wal(path):
            return False
        if found is None:
            with leaving_no_side_files(path):
                found = file_problem(path, full=False)
        return bool(found) and _whole_alone(path, full=damaged_index(found) is not None)
    except (OSError, sqlite3.Error, TrackerError) as exc:
        log.info("could not check %s without its WAL: %s", path, exc)
        return False


def has_wal(path: Path) -> bool:
    """Is there a WAL beside the file with anything in it (an empty one, a check's reading made, holds nothing)?"""
    wal = path.with_name(path.name + "-wal")
    return wal.is_file() and wal.stat().st_size > 0


def _whole_alone(path: Path, full: bool) -> bool:
    """Does SQLite's check (``full``: with every index against its table) find the file whole read without the WAL
    beside it — its bytes copied to a folder of their own? OSError, sqlite3.Error, TrackerError when it cannot tell."""
    with tempfile.TemporaryDirectory(prefix="tracker-check-") as folder:
        alone = Path(folder) / "alone.sqlite3"
        shutil.copyfile(path, alone)
        return file_problem(alone, full=full) == ""


def set_wal_aside(path: str | Path, now: _dt.datetime | None = None, found: str | None = None) -> Path:
    """The WAL beside a database file moved aside (kept, named so), when the file is whole without it and not with it
    (damaged_by_wal): the file then opens as it is. Returns where the WAL lies. The database must not be open.
    ``found``: what SQLite's full check of the file with its WAL found, when the caller has it (else it is run)."""
    path = Path(path)
    _refuse_other_program(path)
    wal = path.with_name(path.name + "-wal")
    if found is None:
        with leaving_no_side_files(path):
            found = file_problem(path)
    if not found:
        if has_wal(path):
            raise TrackerError(tr("Файл бази «{name}» цілий разом із журналом незавершених записів поруч: у журналі — "
                                  "збережені зміни, тож його не відкладено. Нічого не змінено.", name=path.name))
        raise TrackerError(tr("Файл бази «{name}» цілий, і журналу незавершених записів поруч немає: відкладати "
                              "нічого. Нічого не змінено.", name=path.name))
    if not damaged_by_wal(path, found):
        raise TrackerError(tr("Файл бази «{name}» пошкоджено не лише в журналі: без журналу він теж не цілий. "
                              "Журнал не відкладено; відновіть базу з цілої резервної копії.", name=path.name))
    _refuse_open_elsewhere(path)
    kept = _unused(path, "журнал-відкладено", now, "-wal")
    try:
        os.replace(wal, kept)
        path.with_name(path.name + "-shm").unlink(missing_ok=True)  # the index of the WAL set aside
    except OSError as exc:
        raise TrackerError(tr("Не вдалося відкласти журнал бази «{name}»: {reason}. Файли не змінено.",
                              name=path.name, reason=sqlite_reason(exc))) from exc
    log.info("the WAL of %s set aside as %s", path, kept)
    return kept


def refuse_damaged_records(db) -> None:
    """SQLite's full check of the progress records' table and its indexes alone, before a command-line write: the
    command line opens on the quick check, which does not compare an index with its table, and a damaged unique
    index let a record in twice — then no rebuild could choose between the twins. DamagedDatabaseError when damaged
    (the window's writes wait for the whole file's full check instead: tracker.storage.write_gate)."""
    if not isinstance(db, SqliteDatabase):
        return
    found = table_problem(db.connection(), Progress._meta.table_name)
    if found:
        raise damaged(db, found, opened=True)  # closed without its WAL written in (tracker.cli.commands.main)


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
    return _set_aside(path, lambda temporary: _copy_file(backup, temporary), now, lambda reason: tr(
        "Не вдалося відновити «{name}» з копії: {reason}. Файли не змінено.", name=path.name, reason=reason))


def rebuild_indexes(path: str | Path, now: _dt.datetime | None = None) -> Path:
    """Mend a database file whose indexes alone are damaged: every index is made anew from its tables' rows (SQLite's
    REINDEX, in the file, in one transaction: _reindexed), committed once SQLite's full check finds the file whole;
    a copy of the damaged file is kept beside it, as a restore keeps it. Nothing recorded is lost — a restore from the
    newest copy would lose every change since. Returns where the damaged file's copy lies. TrackerError, with nothing
    changed, when the rows are damaged too or the rebuilt file is not whole."""
    path = Path(path)
    _refuse_other_program(path)
    try:
        return _rebuilt(path, now)
    except _Unmendable:
        _unmendable[os.path.abspath(path)] = _main_stamp(path)  # damaged() offers the newest copy from now on
        raise


def _refuse_other_program(path: Path) -> None:
    """Another program's SQLite file is not the tracker's to mend (the commands that open a database refuse it too);
    one whose tables cannot be read is left to the checks that follow."""
    try:
        with leaving_no_side_files(path):
            tables = table_names(path)
    except sqlite3.Error:
        return
    refuse_another_programs(path, tables)


def _refuse_open_elsewhere(path: Path) -> None:
    """A file another program holds open (another window of the tracker, its command line, on this PC or, through a
    shared folder, another) is not moved: that program would go on writing into the file set aside, under the old
    name it no longer has, and each save it made there would be lost from the database (on Windows the move fails
    instead). Every connection that has read a file in WAL mode holds SQLite's shared lock on it until it closes: an
    exclusive lock is granted only when none does.

    The probe reads only the file's header (a damaged schema would stop a read of it), and a read-only connection
    held open across its close keeps SQLite from writing the WAL into the file, as the last connection to close
    does (close_leaving_the_wal): a WAL set aside or kept with a damaged file stays as it was. A file SQLite cannot
    read at all is left to the checks that follow."""
    elsewhere = False
    with leaving_no_side_files(path):
        try:
            probe = sqlite3.connect(file_uri(path, "rw"), uri=True, timeout=0, isolation_level=None)
        except sqlite3.Error as exc:
            log.info("could not see whether %s is open elsewhere: %s", path, exc)
            return
        try:
            probe.execute("PRAGMA user_version").fetchone()
            elsewhere = not take_alone(probe)
        except sqlite3.DatabaseError as exc:
            log.info("could not see whether %s is open elsewhere: %s", path, exc)
        finally:
            if elsewhere:
                # the other program's shared lock keeps this close from writing the WAL in (and the failed try
                # holds SQLite's pending lock until the close, which a read-only hold would wait on); were it to
                # close meanwhile, this close would write in what its own close would have written
                probe.close()
            else:
                _close_unwritten(probe, path)
    if elsewhere:
        raise TrackerError(tr(
            "Базу «{name}» зараз відкрито ще десь: в іншому вікні трекера, іншою програмою чи на іншому ПК. Закрийте "
            "її там і спробуйте знову — інакше зроблене там записувалося б у відкладений файл і було б утрачене. "
            "Файл не змінено.", name=path.name))


def _close_unwritten(probe: sqlite3.Connection, path: Path) -> None:
    """Close the probe's connection without it writing the WAL into the file: its exclusive lock let go first, then a
    read-only connection holds the file's shared lock across the close."""
    guard = None
    try:
        let_go(probe)
        guard = read_only(path)
        guard.execute("PRAGMA user_version").fetchone()
    except sqlite3.Error as exc:
        log.info("no read-only hold on %s while its probe closes: %s", path, exc)
    finally:
        probe.close()
        if guard is not None:
            guard.close()


def _refused_before(path: Path) -> bool:
    """Did rebuild_indexes find this file beyond mending earlier in this process, unchanged since?"""
    key = os.path.abspath(path)
    return key in _unmendable and _unmendable[key] == _main_stamp(path)


def _main_stamp(path: Path) -> tuple | None:
    """The file's own stamp, not its WAL's: the window reopening the file it could not mend touches the WAL."""
    stamp = file_stamp(path)
    return stamp[0] if stamp else None


class _Unmendable(TrackerError):
    """rebuild_indexes cannot mend the file: its rows are damaged too, twins sit under a unique index, or the file
    rebuilt is not whole (the rebuild rolled back)."""


# files rebuild_indexes found it could not mend in this process → their stamp then: their damage, said again, is not
# offered a rebuild again (it was, after each refusal, and the newest copy never was)
_unmendable: dict[str, tuple | None] = {}  # (its stamp: _main_stamp)


def _rebuilt(path: Path, now: _dt.datetime | None) -> Path:
    try:
        with leaving_no_side_files(path):  # a WAL index made beside the file for the check would stay beside it
            mendable = only_indexes_damaged(path)
    except sqlite3.Error as exc:
        raise TrackerError(tr("Не вдалося прочитати «{name}»: {reason}. Файл не змінено.", name=path.name,
                              reason=sqlite_reason(exc))) from exc
    try:
        wal_to_blame = mendable and has_wal(path) and _whole_alone(path, full=True)
    except (OSError, sqlite3.Error, TrackerError) as exc:
        log.info("could not check %s without its WAL: %s", path, exc)
        wal_to_blame = False
    if wal_to_blame:  # rebuilt, the WAL's rows — another copy's — would have been called the file's, nothing lost
        raise TrackerError(tr("Сам файл бази «{name}» цілий — індексам не відповідають сторінки з журналу "
                              "незавершених записів поруч (його, схоже, залишила інша копія бази). Індекси не "
                              "відбудовано, файл не змінено: відкладіть журнал убік.", name=path.name), hint="repair")
    if not mendable:
        raise _Unmendable(tr("У файлі бази «{name}» пошкоджено не лише індекси: самі записи чи сторінки файла теж. "
                             "Відбудувати його не можна; відновіть базу з цілої резервної копії. Файл не змінено.",
                             name=path.name))

    return _reindexed(path, _unused(path, "пошкоджена", now))


def _reindexed(path: Path, kept: Path) -> Path:
    """Every index of the file made anew from its rows in one write transaction, in place: committed once SQLite's full
    check finds the file whole, else rolled back. Another program with the file open waits for it as for any other
    write and goes on in the mended file — a copy rebuilt beside the file and moved into its place had lost the saves
    another program made while it was rebuilt, and a power cut between the moves left no file at its name. The damaged
    file is kept beside it first, byte for byte (its WAL too), under the same lock."""
    def failed(exc: BaseException) -> TrackerError:
        return TrackerError(tr("Не вдалося відбудувати індекси бази «{name}»: {reason}. Файл не змінено.",
                               name=path.name, reason=sqlite_reason(exc)))
    try:
        connection = sqlite3.connect(file_uri(path, "rw"), uri=True, isolation_level=None,
                                     timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise failed(exc) from exc
    made = []
    try:
        connection.execute("BEGIN IMMEDIATE")  # no other program commits until this one ends
        copies = [(path, kept)]
        if has_wal(path):  # its committed pages belong to the damaged file as it is
            copies.append((path.with_name(path.name + "-wal"), kept.with_name(kept.name + "-wal")))
        for source, target in copies:
            made.append(target)
            shutil.copyfile(source, target)
        connection.execute("REINDEX")
        found = problem(connection, full=True)
        if found:
            raise _Unmendable(tr("Відбудована база «{name}» не ціла ({problem}). Відбудову скасовано, файл не змінено; "
                                 "відновіть базу з цілої резервної копії.", name=path.name,
                                 problem=sqlite_reason(found)))
        connection.execute("COMMIT")
    except BaseException as exc:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        for target in made:
            target.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.IntegrityError):  # rows a damaged unique index let in twice: which one is right?
            raise _Unmendable(tr("У базі «{name}» є записи-двійники там, де може бути лише один запис (їх пропустив "
                                 "пошкоджений індекс): відбудувати індекси, не вибравши між ними, не можна. Файл не "
                                 "змінено; відновіть базу з цілої резервної копії або зверніться до адміністратора.",
                                 name=path.name)) from exc
        if isinstance(exc, (sqlite3.Error, OSError)):
            raise failed(exc) from exc
        raise
    finally:
        connection.close()
    return kept


def _copy_file(source: Path, destination: Path) -> None:
    """SQLite's page-for-page copy of ``source`` (read-only; its WAL's changes in it) into a new file."""
    reading = read_only(source)
    writing = sqlite3.connect(destination)
    try:
        reading.backup(writing)
    finally:
        writing.close()
        reading.close()


def _set_aside(path: Path, fill: Callable[[Path], None], now: _dt.datetime | None,
               failed: Callable[[str], str]) -> Path:
    """``fill`` makes the file that takes the damaged ``path``'s place; the damaged file (and its -wal and -shm) is
    kept beside it, named so. Nothing is moved unless ``fill`` succeeded, and a move that fails puts back the ones
    made before it: the database is never left missing (a new file held a moment by an antivirus on Windows) under
    «Файли не змінено». Returns where the damaged file lies."""
    kept = _unused(path, "пошкоджена", now)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")  # two repairs at once do not share it
    wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    moved: list[tuple[Path, Path]] = []
    _refuse_open_elsewhere(path)  # before the long work of filling, and again right before the moves
    try:
        temporary.unlink(missing_ok=True)
        fill(temporary)
        _refuse_open_elsewhere(path)
        moves = [(path, kept)]  # the damaged file stays for whoever wants to look at it
        if has_wal(path):  # they belong to the damaged file, not to the copy
            moves.append((wal, kept.with_name(kept.name + "-wal")))
            if shm.exists():
                moves.append((shm, kept.with_name(kept.name + "-shm")))
        for source, target in moves:
            os.replace(source, target)
            moved.append((source, target))
        if not moves[1:]:  # an empty WAL (a check's reading made it) holds nothing: neither it nor its index is kept
            wal.unlink(missing_ok=True)
            shm.unlink(missing_ok=True)
        os.replace(temporary, path)
    except (OSError, sqlite3.Error) as exc:
        stranded = []
        for source, target in reversed(moved):
            try:
                os.replace(target, source)
            except OSError as back:  # the file is under the kept name, not lost: said so, not «не змінено»
                log.error("could not move %s back to %s: %s", target, source, back)
                stranded.append((source, target))
        if stranded:
            names = "; ".join(tr("«{kept}» на «{name}»", kept=target, name=source.name)
                              for source, target in reversed(stranded))
            raise TrackerError(tr(
                "Не вдалося ні замінити файл бази «{name}» ({reason}), ні повернути його на місце. Нічого не втрачено: "
                "коли файл відпустить інша програма (антивірус, резервне копіювання), перейменуйте {names} і "
                "спробуйте знову.", name=path.name, reason=sqlite_reason(exc), names=names)) from exc
        raise TrackerError(failed(sqlite_reason(exc))) from exc
    finally:
        temporary.unlink(missing_ok=True)
    return kept


def cut_mend(path: Path) -> str:
    """What a mend cut off between its moves (a power cut, a kill) left beside a file no longer at ``path``: the whole
    copy that was to take its place, which is whole only once the moves have begun — a sentence saying to give it the
    file's name; "" when there is none. The file's absence had been said as a file moved away, with the advice to
    make a new, empty database there."""
    pattern = glob.escape(f".{path.name}.") + "*.part"
    copies = sorted(path.parent.glob(pattern), key=lambda found: found.stat().st_mtime, reverse=True)
    if not copies:
        return ""
    kept = sorted(path.parent.glob(glob.escape(f"{path.stem}-пошкоджена-") + f"*{path.suffix}"))
    return tr("Поруч із ним є «{copy}» — ціла копія бази, яку відновлення не встигло поставити на місце (його "
              "перервали, коли файли мінялися місцями){kept}. Перейменуйте «{copy}» на «{name}» і відкрийте базу "
              "знову; нову базу не створюйте.", copy=copies[0].name, name=path.name,
              kept=tr("; пошкоджений файл — «{kept}»", kept=kept[-1].name) if kept else "")


def _unused(path: Path, label: str, now: _dt.datetime | None, suffix: str = "") -> Path:
    """A name beside ``path`` for a file set aside, «{stem}-{label}-{time}{suffix}», with «-2», «-3»… when one set
    aside in the same second has it: a second repair within the second had replaced the first one's file."""
    now = now or _dt.datetime.now()
    base = f"{path.stem}-{label}-{now:%Y%m%d-%H%M%S}"
    for number in range(1, 1000):
        candidate = path.with_name(f"{base}{'' if number == 1 else f'-{number}'}{path.suffix}{suffix}")
        if not candidate.exists() and not candidate.with_name(candidate.name + "-wal").exists():
            return candidate
    raise TrackerError(tr("Поруч із «{name}» забагато відкладених файлів; приберіть старі.", name=path.name))
