"""Write transactions in which a record read stays current until the transaction ends."""

from __future__ import annotations

from peewee import Database, DatabaseProxy, Model, PostgresqlDatabase, SqliteDatabase


def real_database(db: Database | DatabaseProxy) -> Database:
    return db.obj if isinstance(db, DatabaseProxy) else db


def write_transaction(db: Database | DatabaseProxy):
    """``db.atomic()`` that, on SQLite, takes the write lock before the first read.

    SQLite allows one writer at a time: BEGIN IMMEDIATE makes a second saver wait (busy_timeout)
    before it reads, instead of reading a version that is about to change. Inside a transaction
    that is already open this is a savepoint, and the outer transaction decides the locking.
    """
    db = real_database(db)
    if isinstance(db, SqliteDatabase):
        return db.atomic("IMMEDIATE")
    return db.atomic()


def lock_row(model: type[Model], row_id: int) -> None:
    """On PostgreSQL, hold the row until commit; other writers that lock it wait their turn.

    FOR NO KEY UPDATE rather than FOR UPDATE: it still serialises writers, but does not block
    inserts of rows that merely refer to this one (their foreign-key checks take KEY SHARE).
    SQLite needs nothing here: write_transaction already holds the database's write lock.
    """
    if isinstance(real_database(model._meta.database), PostgresqlDatabase):
        list(model.select(model.id).where(model.id == row_id).for_update("FOR NO KEY UPDATE"))
