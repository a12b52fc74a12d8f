"""The database schema's migrations: where this program keeps them, and which of them a database file records."""

from __future__ import annotations

import sqlite3
from importlib.resources import files
from pathlib import Path

# package data, found alike from a checkout, a wheel and the frozen program (which carries them as files)
MIGRATIONS_DIR = Path(str(files("tracker.storage") / "migrations"))
RECORD_TABLE = "schema_migration"  # where peewee's migration runner records those applied


def known_migrations(folder: Path = MIGRATIONS_DIR) -> set[str]:
    """The names of the migrations this program has."""
    return {path.stem for path in folder.glob("[0-9]*.py")}


def recorded_migrations(connection: sqlite3.Connection) -> list[str] | None:
    """The migrations an SQLite file records as applied; None when it keeps no record of them."""
    if connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (RECORD_TABLE,)).fetchone():
        return [name for (name,) in connection.execute(f"SELECT name FROM {RECORD_TABLE} ORDER BY id")]
    return None
