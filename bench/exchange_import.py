"""Benchmark: merging a laptop's exchange package, against writing the same changes directly.

Run: ``python -m bench.exchange_import``. A laptop (a copy of the office database) reports every
measure of the plan for four quarters (status, percent, note, planned financing) and exports one
package. Baseline: the same saves made directly through save_progress on a fresh copy of the
office database — the write path the merge itself ends in. Measured: importing the package into a
fresh copy of the office database (checks, recording every event, merging per field, applying),
and importing it a second time (every event already known).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.exchange.sync import export_package, import_package  # noqa: E402
from tracker.exchange.trust import trust_package  # noqa: E402
from tracker.plan.store import (
    current_plan,  # noqa: E402
    ensure_bundled_plan,  # noqa: E402
)
from tracker.progress.records import save_progress  # noqa: E402
from tracker.quarters import Quarter  # noqa: E402
from tracker.storage.db import close_database, open_database  # noqa: E402
from tracker.storage.models import Measure  # noqa: E402

REPEATS = 3
QUARTERS = tuple(Quarter(2025, number) for number in (1, 2, 3, 4))


def _report_everything() -> int:
    plan = current_plan()
    saves = 0
    for quarter in QUARTERS:
        for measure in Measure.select().where(Measure.plan == plan).order_by(Measure.position):
            save_progress(measure, quarter, {"status": "in_progress", "percent": quarter.number * 10,
                                             "note": "виконується за графіком", "planned_financing": "12,5"},
                          author="Старостат")
            saves += 1
    return saves


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    try:
        office = folder / "office.sqlite3"
        open_database(office)
        ensure_bundled_plan()
        close_database()
        shutil.copyfile(office, folder / "laptop.sqlite3")
        open_database(folder / "laptop.sqlite3")
        saves = _report_everything()
        package = export_package(folder / "laptop.trackerpkg", "ноутбук старостату")
        close_database()
        open_database(office)
        trust_package(package.path, "бенчмарк")  # the office has compared the laptop's key fingerprint
        close_database()

        direct, merged, again = [], [], []
        for run in range(REPEATS):
            copy = folder / f"direct-{run}.sqlite3"
            shutil.copyfile(office, copy)
            open_database(copy)
            direct.append(_timed(_report_everything))
            close_database()

            copy = folder / f"merged-{run}.sqlite3"
            shutil.copyfile(office, copy)
            open_database(copy)
            merged.append(_timed(lambda: import_package(package.path, "бенчмарк")))
            again.append(_timed(lambda: import_package(package.path, "бенчмарк")))
            close_database()
        base, tracker, repeat = (statistics.median(v) for v in (direct, merged, again))
        print(f"package: {package.events} field changes in {saves} records ({package.path.stat().st_size // 1024} KiB)")
        print(f"baseline, the same saves through save_progress: {base * 1000:.0f} ms (median of {REPEATS})")
        print(f"tracker, importing the package:                 {tracker * 1000:.0f} ms")
        print(f"ratio import / direct saves: {tracker / base:.2f}")
        print(f"importing it again (all known): {repeat * 1000:.0f} ms, ratio to baseline {repeat / base:.2f}")
    finally:
        close_database()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
