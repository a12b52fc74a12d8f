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


def missing_steps(folder: Path = MIGRATIONS_DIR) -> list[str]:
    """The numbers missing from this program's migrations, which go 0001, 0002, … without a gap: one deleted from an
    installation was passed over, and the database made without it (a column short) refused every exchange import
    after with «no column named dropped»."""
    numbers = {int(name[:4]) for name in known_migrations(folder) if name[:4].isdigit()}
    return [f"{number:04d}" for number in range(1, max(numbers, default=0) + 1) if number not in numbers]


def recorded_migrations(connection: sqlite3.Connection) -> list[str] | None:
    """The migrations an SQLite file records as applied; None when it keeps no record of them."""
    if connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (RECORD_TABLE,)).fetchone():
        return [name for (name,) in connection.execute(f"SELECT name FROM {RECORD_TABLE} ORDER BY id")]
    return None
