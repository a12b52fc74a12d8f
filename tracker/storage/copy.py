"""Moving a whole tracker database to another one (a local SQLite file to the office server).

Every table is copied with its ids in one transaction on the target, then read back and compared
with the source by row counts and checksums; any difference rolls the copy back.

Queries are bound per query (``.bind(db)``) rather than by rebinding the models, so the program's
own database and any other thread using the models are not affected while a copy runs.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from peewee import Database, DatabaseError, PostgresqlDatabase, SqliteDatabase, fn, sort_models
from playhouse.migrations import Runner

from ..errors import TrackerError
from ..i18n import tr
from .backup import backup_to, copy_failed, own_uid, refuse_other_target, written_beside
from .db import MIGRATIONS_DIR, hide_password, make_database, migrate
from .device import PUBLIC_FIELDS
from .models import ALL_MODELS, AppUser, AppUserDepartment, Device, Plan, database
from .postgres import connect

BATCH = 500  # rows per INSERT; well under PostgreSQL's 65535 parameters for the widest table

ProgressCallback = Callable[[str, int, int], None]  # table, rows copied so far, rows in the table


@dataclass(frozen=True)
class TableReport:
    table: str
    rows: int
    checksum: str  # sha256 of the table's rows in id order, values normalised


# the logins of a server are that server's roles: on another server they are added anew (tracker users add)
COPIED = [model for model in ALL_MODELS if model not in (AppUser, AppUserDepartment)]


@dataclass(frozen=True)
class CopyReport:
    source: str  # addresses without passwords
    target: str
    tables: tuple[TableReport, ...]
    checksum: str  # sha256 over the tables' checksums

    @property
    def total_rows(self) -> int:
        return sum(table.rows for table in self.tables)


def copy_database(source_url: str | PostgresqlDatabase, target_url: str,
                  progress: ProgressCallback | None = None) -> CopyReport:
    """Copy everything from ``source_url`` into the empty database at ``target_url``, verified. The source may be
    a server database the program has open: read on a connection of its own, made with that one's parameters."""
    source, target = _open_source(source_url), None
    source_url = _address(source) if isinstance(source_url, Database) else source_url
    try:
        target = _make(target_url, hint="copy_target")
        connect(target)
        migrate(target)
        _check_target_empty(target, target_url)
        models = sort_models(COPIED)  # parents before the rows that refer to them
        with _snapshot(source), target.atomic():
            if isinstance(target, PostgresqlDatabase):  # the history's authors as they were (server_rights)
                target.execute_sql("SET LOCAL tracker.keep_login = 'on'")
            tables = []
            for model in models:
                wanted = _copy_table(model, source, target, progress)
                got = _table_report(model, target)
                if got != wanted:
                    raise TrackerError(tr(  # leaving the block rolls the target back
                        "Перевірка копії не зійшлася в таблиці «{table}»: у джерелі {rows} рядків, "
                        "у копії {copied}; контрольні суми {checksums}. "
                        "Нічого не збережено; повідомте розробникам і не видаляйте базу-джерело.",
                        table=wanted.table, rows=wanted.rows, copied=got.rows,
                        checksums=tr("збігаються") if got.checksum == wanted.checksum else tr("різні")))
                tables.append(wanted)
            if isinstance(target, PostgresqlDatabase):
                _reset_sequences(models, target)
    except DatabaseError as exc:
        raise TrackerError(tr("Перенесення бази зупинено помилкою сервера бази даних: {reason}. "
                              "Нічого не збережено; база-джерело не змінена.", reason=exc)) from exc
    finally:
        source.close()
        if target is not None:
            target.close()
    tables.sort(key=lambda t: [m._meta.table_name for m in COPIED].index(t.table))  # as the models read
    overall = hashlib.sha256("".join(f"{t.table}:{t.checksum}\n" for t in tables).encode()).hexdigest()
    return CopyReport(hide_password(str(source_url)), hide_password(str(target_url)), tuple(tables), overall)


def _make(url: str, hint: str) -> Database:
    """make_database, its refusals hinting at the copy's source or target rather than the program's database."""
    try:
        return make_database(url)
    except TrackerError as exc:
        if exc.hint == "database":
            exc.hint = hint
        raise


def _address(db: PostgresqlDatabase) -> str:
    """A server database's address as said to people (no password)."""
    params = db.connect_params
    user, host, port = params.get("user") or "", params.get("host") or "", params.get("port") or 5432
    return f"postgresql://{user}@{host}:{port}/{db.database}"


def _open_source(url: str | PostgresqlDatabase) -> Database:
    if isinstance(url, PostgresqlDatabase):  # the open one: a connection of its own, the program's left as it is
        source = type(url)(url.database, **url.connect_params)
        url = _address(url)
    else:
        source = _make(url, hint="copy_source")
    if isinstance(source, SqliteDatabase) and not Path(source.database).is_file():
        raise TrackerError(tr("Файлу бази «{path}» немає. Перевірте шлях до бази, яку копіюєте.", path=source.database),
                           hint="copy_source")
    connect(source)
    try:
        status = Runner(source, str(MIGRATIONS_DIR)).status()
        if not status or not all(m.applied and m.path for m in status) or not source.table_exists("plan"):
            raise TrackerError(tr(
                "База «{address}» не є базою трекера цієї версії. Якщо це база старішої "
                "версії, відкрийте її один раз програмою (її буде оновлено) і повторіть перенесення.",
                address=hide_password(str(url))))
    except BaseException:
        source.close()
        raise
    return source


def _check_target_empty(target: Database, url: str) -> None:
    plan = Plan.select(Plan.title).bind(target).first()
    if plan is not None:
        raise TrackerError(tr("У базі «{address}» вже є план «{plan}». Переносити можна "
                              "лише в порожню базу: створіть нову базу на сервері й вкажіть її як місце призначення.",
                              address=hide_password(str(url)), plan=plan.title), hint="copy_target")
    if any(model.select().bind(target).exists() for model in ALL_MODELS):
        raise TrackerError(tr("База «{address}» не порожня. Переносити можна лише в порожню "
                              "базу: створіть нову базу на сервері й вкажіть її як місце призначення.",
                              address=hide_password(str(url))), hint="copy_target")


def _snapshot(source: Database):
    # PostgreSQL starts a fresh snapshot per statement unless asked; SQLite keeps one per transaction
    if isinstance(source, PostgresqlDatabase):
        return source.atomic(isolation_level="REPEATABLE READ")
    return source.atomic()


def _copied_fields(model) -> list:
    """Every column, but the device's private key: a copy is another place, which makes its own key when first
    opened; and a coordinator making a copy of the server may not read the office's key."""
    return PUBLIC_FIELDS if model is Device else model._meta.sorted_fields


def _rows(model, db: Database):
    return model.select(*_copied_fields(model)).order_by(model.id).tuples().bind(db).iterator()


def _copy_table(model, source: Database, target: Database, progress: ProgressCallback | None) -> TableReport:
    fields = _copied_fields(model)
    total = model.select().bind(source).count()
    digest, batch, copied = hashlib.sha256(), [], 0
    for row in _rows(model, source):
        digest.update(_line(row))
        batch.append(row)
        if len(batch) == BATCH:
            copied = _insert(model, fields, batch, target, copied, total, progress)
    _insert(model, fields, batch, target, copied, total, progress)
    return TableReport(model._meta.table_name, total, digest.hexdigest())


def _insert(model, fields, batch: list, target: Database, copied: int, total: int,
            progress: ProgressCallback | None) -> int:
    if batch:
        # as_rowcount: no RETURNING, which the model would ask for if its usual database were a server
        model.insert_many(batch, fields=fields).bind(target).as_rowcount().execute()
        copied += len(batch)
        batch.clear()
    if progress is not None:
        progress(model._meta.table_name, copied, total)
    return copied


def _table_report(model, db: Database) -> TableReport:
    digest, count = hashlib.sha256(), 0
    for row in _rows(model, db):
        digest.update(_line(row))
        count += 1
    return TableReport(model._meta.table_name, count, digest.hexdigest())


def _line(row: tuple) -> bytes:
    return (json.dumps([_normal(value) for value in row], ensure_ascii=False) + "\n").encode()


def _normal(value):
    # the two databases hand back the same value in different forms: 125.50 and 125.5, datetimes
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return value


def _reset_sequences(models, target: PostgresqlDatabase) -> None:
    # rows came with their ids, so each id sequence still stands at 1 and the next insert would collide
    for model in models:
        table = model._meta.table_name
        model.select(fn.setval(fn.pg_get_serial_sequence(table, "id"), fn.COALESCE(fn.MAX(model.id), 1),
                               fn.MAX(model.id).is_null(False))).bind(target).scalar()


def server_copy_to(url: str | PostgresqlDatabase, target: str | Path, *, replace: bool = False,
                   uid: str | None = None) -> Path:
    """A server database (its address, or the one the program has open) copied whole into a new SQLite file (e.g.
    to set up a laptop), verified as copy-db is. A file at ``target`` that is not an earlier copy of the server's
    database (``uid``: its identity) is replaced only when ``replace`` (refuse_other_target)."""
    refuse_other_target(target, replace=replace, uid=uid)
    target = Path(target)
    try:
        with written_beside(target) as temporary:
            copy_database(url, f"sqlite:///{temporary}")
    except OSError as exc:
        raise copy_failed(target, exc) from exc
    return target


def copy_open_database(target: str | Path, *, damaged_too: bool = False, replace: bool = False) -> Path:
    """The open database copied whole into a new SQLite file (Файл → Зберегти копію бази, ``tracker backup -o``): a
    file's with SQLite's backup (backup_to: ``damaged_too``, ``replace``), a server's as copy-db copies it, on a
    connection of its own, verified table by table (server_copy_to)."""
    db = database.obj
    if isinstance(db, SqliteDatabase):
        return backup_to(target, damaged_too=damaged_too, replace=replace)
    return server_copy_to(db, target, replace=replace, uid=own_uid(db))
