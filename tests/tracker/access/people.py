"""Edits made as one login from a process of its own, for the server-rights tests (multiprocessing "spawn").

Each function opens the database as that login, as the program on that person's PC would, and closes it.
"""

from __future__ import annotations

from tracker.errors import TrackerError
from tracker.plan.store import current_plan
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage.db import close_database, open_database


def edit_as(url: str, edits: list[tuple[str, str, int]], author: str) -> list[str]:
    """Save each (code, quarter, percent) in turn; "saved" or the message of the refusal for each."""
    open_database(url)
    try:
        plan, outcomes = current_plan(), []
        for code, quarter, percent in edits:
            try:
                save_progress(find_measure(plan, code), Quarter.parse(quarter),
                              {"status": "in_progress", "percent": percent}, author=author)
                outcomes.append("saved")
            except TrackerError as exc:
                outcomes.append(str(exc))
        return outcomes
    finally:
        close_database()
