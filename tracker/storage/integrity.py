"""Is a database file whole? SQLite's own checks, used when a database is opened, before it is copied,
and by `tracker check`: ``quick_check`` (fast: every page read once, index cross-checks skipped) and
the full ``integrity_check``."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def problem(connection: sqlite3.Connection, full: bool = False) -> str:
    """SQLite's first few findings about the open file, or "" when it is whole."""
    pragma = "integrity_check(3)" if full else "quick_check(3)"
    try:
        rows = [row[0] for row in connection.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows == ["ok"]:
        return ""
    lines = [line for row in rows for line in row.splitlines() if line.strip() and not line.startswith("***")]
    return " ".join((lines or rows)[0].split())[:200]  # the first finding says enough


def file_problem(path: str | Path, full: bool = True) -> str:
    """The same for a file not open in the program (a backup): read-only, nothing written."""
    try:
        connection = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        return problem(connection, full)
    finally:
        connection.close()
