"""A database that fails (locked, full disk, read-only, server gone) speaks as a TrackerError, in the user's words.

peewee raises its own errors for these; they are no TrackerError, so the window printed them to the
console and carried on, and the command line showed a traceback. Whatever runs a change — the
window's operations, the command line — runs it inside ``database_errors()``.
"""

from __future__ import annotations

import re

import sqlite3
from contextlib import contextmanager

from peewee import DatabaseError, InterfaceError

from ..errors import TrackerError
from ..i18n import N_, tr
from .postgres import server_reason

BUSY_TIMEOUT_MS = 10_000  # SQLite's busy timeout on every connection: how long any statement waits for a lock

NOT_SAVED = N_("Зміни не записано; спробуйте ще раз.")  # (a form keeps what was typed; an import is chosen again)


CANCELLED = N_("Запис скасовано: база даних була зайнята іншою програмою. Нічого не записано; "
               "введене не втрачено — спробуйте ще раз, коли вона закінчить.")
CHECK_CANCELLED = N_("Запис скасовано, поки щойно відкриту базу ще перевіряли повністю. Нічого не записано; "
                     "введене не втрачено — спробуйте ще раз за мить.")


class StorageError(TrackerError):
    """The database could not do what was asked; nothing was written (the transaction rolled back)."""


class CommitUnknown(StorageError):
    """The server's connection was lost while the transaction was being committed: whether it was, nobody knows."""


def commit_unknown(exc: BaseException) -> CommitUnknown:
    return CommitUnknown(tr("Зв'язок із сервером бази даних обірвався саме тоді, коли зміни записувалися ({detail}): "
                            "невідомо, чи їх записано. Коли зв'язок відновиться, перевірте, чи вони є, і, якщо "
                            "немає, внесіть їх ще раз.", detail=server_reason(_detail(exc))))


def not_committed(exc: BaseException) -> StorageError:
    """A COMMIT whose answer was lost (CommitUnknown) and that, asked again on a new connection, was not written."""
    return StorageError(tr("Зв'язок із сервером бази даних обірвався саме тоді, коли зміни записувалися ({detail}), "
                           "і їх не записано.", detail=server_reason(_detail(exc))) + " " + tr(NOT_SAVED))


class DatabaseBusy(StorageError):
    """Another program or user is writing: the same work can be tried again, nothing having been written."""


class WaitCancelled(StorageError):
    """The user stopped waiting for another program's write; nothing was written."""


def _cause(exc: BaseException) -> BaseException:
    """The failure itself, not a rollback that failed after it.

    When SQLite meets a full disk it rolls the transaction back by itself; peewee's own rollback
    then fails with «cannot rollback - no transaction is active», and that error would hide the
    full disk that caused it. The first error is in the chain of contexts.
    """
    queue, seen = [exc], set()
    while queue:
        found = queue.pop(0)
        if id(found) in seen:
            continue
        seen.add(id(found))
        if "no transaction is active" not in str(found):
            return found
        queue += [e for e in (found.__cause__, found.__context__) if e is not None]
    return exc


def _detail(exc: BaseException) -> str:
    """The failure's own words on one line (the drivers add newlines and tabs)."""
    return " ".join(str(_cause(exc)).split())


_DENIED = re.compile(r"permission denied for (?:table|relation) (\S+)", re.IGNORECASE)


def explain(exc: Exception) -> StorageError:
    """A database failure as the user reads it: what happened and what to do."""
    exc = _cause(exc)
    detail = _detail(exc)
    lowered = detail.lower()
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        return DatabaseBusy(tr("База даних зайнята: у неї саме записує інша програма або інший користувач. "
                               "Зачекайте хвилину й повторіть.") + " " + tr(NOT_SAVED))
    if "canceling statement due to user request" in lowered:  # PostgreSQL: a wait the user cancelled
        return WaitCancelled(tr(CANCELLED))
    if "permission denied" in lowered or "row-level security" in lowered or "append-only" in lowered:
        denied = _DENIED.search(detail)
        if denied:  # the server's English, as the user reads it (a login removed while its window was open)
            detail = tr("немає дозволу на таблицю «{table}»", table=denied[1].strip('"'))
        return StorageError(tr("Сервер бази даних не дозволив цю зміну вашому користувачу ({detail}): ваша роль її "
                               "не включає. Нічого не записано. Якщо вона потрібна вам для роботи, зверніться до "
                               "адміністратора бази.", detail=detail))
    if "disk is full" in lowered or "no space" in lowered or "disk full" in lowered:
        text = tr("На диску, де лежить база даних, скінчилося місце. Звільніть місце й повторіть.")
    elif "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        text = tr("Базу даних відкрито лише для читання (файл захищено від запису або диск змонтовано лише "
                  "для читання). Перевірте доступ до файла або відкрийте іншу базу.")
    elif "i/o" in lowered or "disk i/o" in lowered:
        text = tr("Не вдалося прочитати чи записати файл бази даних (помилка диска або носія). Перевірте диск "
                  "чи флешку й повторіть.")
    elif "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered or "could not decode" in lowered:
        # «could not decode to UTF-8»: a text whose bytes are no text any more — a damaged page the checks pass
        return StorageError(tr("Файл не є базою даних трекера або пошкоджений ({detail}). Перевірте, що вказано "
                               "потрібний файл; якщо це ваша база, відновіть її з резервної копії.", detail=detail))
    elif isinstance(exc, InterfaceError) or any(word in lowered for word in (
            "server closed", "connection", "terminating", "timeout", "timed out")):
        text = tr("Зв'язок із сервером бази даних втрачено ({detail}). Перевірте мережу й повторіть.",
                  detail=server_reason(detail))
    else:
        text = tr("Помилка бази даних: {detail}.", detail=detail)
    return StorageError(text + " " + tr(NOT_SAVED))


@contextmanager
def database_errors():
    """Turn a peewee/driver database failure inside the block into a StorageError (the cause kept)."""
    try:
        yield
    except TrackerError:
        raise
    except (DatabaseError, InterfaceError, sqlite3.Error) as exc:  # SQLite's own: raised as rows are read
        raise explain(exc) from exc
