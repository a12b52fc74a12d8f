"""Plans of the real plan's shape at 1×, 20×, 200×, and databases holding them with years of progress.

A plan ×N is the bundled plan N times over, its strategic goals renumbered (1–5, 6–10, …) and each copy's
texts marked, so the parser reads it as one plan of 5·N strategic goals and 233·N measures. Its database
gets 16 quarters of progress (2024–2027) for every measure, each with the history rows the program would
have written (the record made, its status and percent) — inserted in bulk, as a floor-free setup: the
figures time the program's work, not this.
"""

from __future__ import annotations

import datetime as _dt
import re
import sqlite3
import uuid
from pathlib import Path

from tracker.plan.store import BUNDLED_PLAN

GOALS_PER_COPY = 5
STATUSES = ("not_started", "in_progress", "in_progress", "done", "partially_done", "not_done")


def scaled_plan_text(factor: int) -> str:
    """The bundled plan's text, its goals repeated ``factor`` times with new numbers."""
    lines = Path(BUNDLED_PLAN).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("СТРАТЕГІЧНА ЦІЛЬ"))
    head, body = lines[:start], lines[start:]
    out = list(head)
    for copy in range(factor):
        shift = copy * GOALS_PER_COPY
        for line in body:
            out.append(_renumbered(line, shift, copy))
    return "\n".join(out) + "\n"


def _renumbered(line: str, shift: int, copy: int) -> str:
    if not shift:
        return line
    mark = f" (частина {copy + 1})"
    goal = re.match(r"(СТРАТЕГІЧНА ЦІЛЬ №\s*)(\d+)(\.\s*)([^\t]*)(.*)", line)
    if goal:
        return f"{goal[1]}{int(goal[2]) + shift}{goal[3]}{goal[4]}{mark}{goal[5]}"
    operational = re.match(r"(Оперативна ціль )(\d+)(\.\d+\.?\s*)([^\t]*)(.*)", line)
    if operational:
        return f"{operational[1]}{int(operational[2]) + shift}{operational[3]}{operational[4]}{mark}{operational[5]}"
    measure = re.match(r"(\d+)(\.\d+\.\d+)(\t[^\t]*\t)([^\t]*)(.*)", line)
    if measure:
        task = measure[3] if measure[3] == "\t\t" else measure[3][:-1] + mark + "\t"
        return f"{int(measure[1]) + shift}{measure[2]}{task}{measure[4]}{mark}{measure[5]}"
    return line


def write_plan(factor: int, folder: Path) -> Path:
    path = folder / f"plan_x{factor}.txt"
    path.write_text(scaled_plan_text(factor), encoding="utf-8")
    return path


def fill_progress(db_file: Path, quarters: int = 16) -> int:
    """Every measure reported in each of the first ``quarters`` quarters of 2024–2027, with its history rows;
    returns the number of records. Written with sqlite3 in one transaction."""
    connection = sqlite3.connect(db_file)
    try:
        device = connection.execute("SELECT uid FROM site").fetchone()
        device_uid = device[0] if device else uuid.uuid4().hex
        measures = [m for (m,) in connection.execute("SELECT id FROM measure ORDER BY position")]
        records, history = [], []
        when = _dt.datetime(2024, 3, 20, 10, 0)
        for number in range(quarters):
            year, quarter = 2024 + number // 4, number % 4 + 1
            for index, measure in enumerate(measures):
                percent = min(100, (number + 1) * 6 + index % 7)
                status = "done" if percent == 100 else STATUSES[(index + number) % len(STATUSES)]
                if status == "not_started":
                    percent = 0
                elif status == "done":
                    percent = 100
                stamp = (when + _dt.timedelta(days=91 * number, seconds=index)).isoformat(sep=" ")
                records.append((measure, year, quarter, status, percent, f"Виконано етап {number + 1}", "",
                                stamp, "bench", 1))
                change = uuid.uuid4().hex
                for field, old, new in (("record", None, "created"), ("status", None, status),
                                        ("percent", None, str(percent))):
                    history.append((measure, year, quarter, field, old, new, stamp, "bench", "", change,
                                    uuid.uuid4().hex, device_uid, 1, ""))
        with connection:
            connection.executemany(
                "INSERT INTO progress (measure_id, year, quarter, status, percent, note, remarks, updated_at, "
                "updated_by, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", records)
            connection.executemany(
                "INSERT INTO history (measure_id, year, quarter, field, old_value, new_value, changed_at, "
                "changed_by, origin, change_set, event_uid, site_uid, applied, login) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", history)
        return len(records)
    finally:
        connection.close()
