"""The write path's statements, their SQL text made once per database and run again with new values.

peewee composes a statement's text anew on every call; for the one write path that was half of a save's time.
A statement is kept under a key naming its shape (which table, how many rows or values) the first time peewee
makes it, and only if peewee passed the values given as its parameters, in their order and of their types —
none folded into the text — so running the kept text with other values is the statement peewee would make.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Sequence
from types import SimpleNamespace

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    Database,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Query,
    SqliteDatabase,
    TextField,
    __exception_wrapper__,
)

from .locking import real_database

_texts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # database → {key: SQL text}


def statement(db: Database | DatabaseProxy, key: Hashable, build: Callable[[], Query],
              values: Sequence) -> tuple[str, list]:
    """(SQL, parameters) of the query ``build`` makes with ``values`` (already as the database takes them)."""
    db = real_database(db)
    known = _texts.setdefault(db, {})
    text = known.get(key)
    if text is not None:
        return text, list(values)
    text, params = db.get_sql_context().sql(build()).query()
    if [(type(p), p) for p in params] == [(type(v), v) for v in values]:
        known[key] = text
    return text, list(params)


def run(db: Database | DatabaseProxy, key: Hashable, build: Callable[[], Query], values: Sequence):
    """Execute the statement (a write, or a read whose rows are taken raw); its cursor."""
    text, params = statement(db, key, build, values)
    return real_database(db).execute_sql(text, params)


def read(model, key: Hashable, build: Callable[[], Query], values: Sequence) -> list[SimpleNamespace]:
    """The statement's rows as plain records: attributes named as the model's fields (a foreign key's as
    ``name_id``), each value converted by its field — not model objects, whose making was most of a merge's reading.
    The records are for reading: nothing saves them."""
    cursor = run(model._meta.database, key, build, values)
    fields = [model._meta.columns[column[0]] for column in cursor.description]
    names = [f"{field.name}_id" if isinstance(field, ForeignKeyField) else field.name for field in fields]
    convert = [_converter(field, field.python_value) for field in fields]
    return [SimpleNamespace(**{name: to(value) for name, to, value in zip(names, convert, row)}) for row in cursor]


def as_read(model, rows: list[dict], first_id: int) -> list[SimpleNamespace]:
    """Rows of ``model`` not yet written (field name → value, each as its field reads it back: a datetime for a
    date-time, a bool for a flag), as ``read`` would give them back once written with the ids ``first_id``,
    ``first_id`` + 1, …: a field a row leaves out takes its default."""
    columns, plan = _plans.get(model) or _plans.setdefault(model, _plan(model))
    names = [(f"{column.name}_id" if isinstance(column, ForeignKeyField) else column.name, column.name, default)
             for column, (_, _, default) in zip(columns, plan)]
    missing = object()
    made = []
    for number, row in enumerate(rows):
        values = {"id": first_id + number}
        for read_as, name, default in names:
            value = row.get(name, missing)
            values[read_as] = (default() if callable(default) else default) if value is missing else value
        made.append(SimpleNamespace(**values))
    return made


def run_many(db: Database | DatabaseProxy, key: Hashable, build: Callable[[Sequence], Query],
             rows: Sequence[Sequence]) -> None:
    """Execute the write ``build(values)`` makes for each of ``rows`` (values as the database takes them): the
    statement's text made once and run for all rows in one call to the driver."""
    if not rows:
        return
    db = real_database(db)
    text, params = statement(db, key, lambda: build(rows[0]), rows[0])
    if len(rows) == 1 or key not in _texts.get(db, {}):  # a text with values folded in holds for its own row only
        for values in rows:
            run(db, key, lambda: build(values), values)
        return
    with __exception_wrapper__:
        db.cursor().executemany(text, [list(values) for values in rows])


def kept(db: Database | DatabaseProxy) -> frozenset:
    """The keys whose text is kept for this database (for tests: a statement that never keeps its text is slow)."""
    return frozenset(_texts.get(real_database(db), {}))


def insert_rows(model, rows: list[dict]) -> None:
    """Rows of ``model`` (field name → value) in one INSERT; a field a row leaves out takes its default."""
    columns, table = _table(model, rows)
    run(model._meta.database, (model.__name__, "insert", len(rows)),
        lambda: model.insert_many(table, fields=columns), [v for row in table for v in row])


ROWS_PER_INSERT = 50  # × a history row's columns stays under 999 parameters, the least an SQLite may take


def insert_all(model, rows: list[dict], per_statement: int = ROWS_PER_INSERT) -> None:
    """Rows of ``model``, as insert_rows makes them, ``per_statement`` rows to a statement, in order."""
    for start in range(0, len(rows), per_statement):
        insert_rows(model, rows[start:start + per_statement])


def insert_row(model, row: dict) -> int:
    """One row of ``model``, as insert_rows makes it; the id the database gave it."""
    columns, [values] = _table(model, [row])
    db = real_database(model._meta.database)
    returning = not isinstance(db, SqliteDatabase)  # the server says the id in the statement; SQLite keeps it

    def build():
        query = model.insert_many([values], fields=columns)
        return query.returning(model._meta.primary_key) if returning else query
    cursor = run(db, (model.__name__, "insert one"), build, values)
    return cursor.fetchone()[0] if returning else cursor.lastrowid


def _table(model, rows: list[dict]) -> tuple[list, list[tuple]]:
    """The model's columns but its id, and each row's values for them as the database takes them."""
    columns, plan = _plans.get(model) or _plans.setdefault(model, _plan(model))
    missing = object()
    table = []
    for row in rows:
        values = []
        for name, convert, default in plan:
            value = row.get(name, missing)
            if value is missing:
                value = default() if callable(default) else default
            values.append(convert(value))
        table.append(tuple(values))
    return columns, table


_plans: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # model → its columns and how each is written


def _plan(model) -> tuple[list, list]:
    columns = [column for column in model._meta.sorted_fields if column is not model._meta.primary_key]
    return columns, [(column.name, _converter(column, column.db_value), column.default) for column in columns]


_SAME = {IntegerField: (int,), AutoField: (int,), CharField: (str,), TextField: (str,), BooleanField: (bool,)}


def _converter(column, convert: Callable) -> Callable:
    """``convert`` (the column's db_value or python_value), but None and a value of the very type it would return
    go as they are: most of a row's values, and a call into peewee per value was most of a merge's time with rows."""
    passing = _SAME.get(type(column.rel_field if isinstance(column, ForeignKeyField) else column))
    if passing is None:
        return lambda given: None if given is None else convert(given)

    def value(given):
        return given if given is None or type(given) in passing else convert(given)
    return value
