"""Edits made from a separate process, for the concurrency tests (started with multiprocessing "spawn").

Each function opens the database itself, as a second copy of the program would, and closes it.
"""

from __future__ import annotations

import os

from tracker.errors import ConflictError
from tracker.plan.store import current_plan
from tracker.progress.records import draft_values, find_measure, record_version, save_progress
from tracker.quarters import Quarter
from tracker.storage.db import close_database, open_database


def add_percent(url: str, code: str, quarter: str, times: int) -> tuple[int, int]:
    """Add 1 % ``times`` times, each as a user would: read, edit, save; on a conflict read again.

    Returns (saves, conflicts).
    """
    open_database(url)
    try:
        measure, when = find_measure(current_plan(), code), Quarter.parse(quarter)
        conflicts = 0
        for _ in range(times):
            while True:
                # the version first: a save landing between the two reads then shows up as a conflict
                version = record_version(measure, when)
                values, _ = draft_values(measure, when)
                try:
                    save_progress(measure, when, {"percent": values["percent"] + 1}, author=f"процес {os.getpid()}",
                                  expected_version=version)
                    break
                except ConflictError:
                    conflicts += 1
        return times, conflicts
    finally:
        close_database()


def save_expecting(url: str, code: str, quarter: str, changes: dict, expected_version: int,
                   author: str) -> tuple:
    """One save with ``expected_version``: ("saved",) or ("conflict", current version, its author)."""
    open_database(url)
    try:
        measure = find_measure(current_plan(), code)
        try:
            save_progress(measure, Quarter.parse(quarter), changes, author=author, expected_version=expected_version)
        except ConflictError as conflict:
            return "conflict", conflict.current_version, conflict.current.updated_by
        return ("saved",)
    finally:
        close_database()


def amend(url: str, path: str, decision: str, effective: str) -> dict[str, int]:
    """Apply the amended plan in ``path`` from ``effective``; its word on records left out (code → count)."""
    from tracker.plan.amend import apply_file

    open_database(url)
    try:
        return apply_file(path, decision=decision, effective=Quarter.parse(effective), author="адмін").records_left_out
    finally:
        close_database()


def ready() -> bool:
    """Nothing: lets a test wait until a pool's process has started and imported the tracker."""
    return True


def start(url: str) -> bool:
    """Open the database as the program does at start-up (migrations included) and close it."""
    open_database(url)
    close_database()
    return True
