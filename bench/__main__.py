"""``python -m bench [--sizes 1,20,200] [--repeats 3] [--csv FILE]``: every figure against its floor, per plan size.

For each size (×1 = the bundled plan's 233 measures, ×20, ×200) a plan of the real plan's shape is made
(bench/scale.py) and imported, and 16 quarters of progress with history are put in. Each figure is timed
``--repeats`` times, ours and its floor in the same run on the same machine, the floor being the least any
program must do for the same result (raw sqlite3 doing the same writes, a bare PySide6 QTreeWidget with the
same rows, a bare openpyxl script writing the same cells). The table shows the median, the spread (min–max)
and the ratio; the CSV has every sample. ×200 takes long (its database alone is ~0.5 GB): run it alone.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import figures  # noqa: E402
from bench.scale import fill_progress, write_plan  # noqa: E402


@dataclass
class Row:
    size: int
    figure: str
    ours: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.floor) if self.floor else float("nan")


def _ms(samples: list[float]) -> str:
    if not samples:
        return "—"
    return f"{statistics.median(samples) * 1000:9.1f} ({min(samples) * 1000:.0f}–{max(samples) * 1000:.0f})"


def prepare(size: int, folder: Path) -> Path:
    """A database of the plan ×size with 16 quarters of progress; made once per size, then copied per figure."""
    from tracker.plan.store import import_plan
    from tracker.storage.db import close_database, open_database

    db = folder / f"x{size}.sqlite3"
    open_database(db)
    import_plan(write_plan(size, folder))
    close_database()
    fill_progress(db)
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,20", help="plan sizes, e.g. 1,20,200 (default 1,20)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--csv", default="bench-results.csv", help="where to write every sample")
    parser.add_argument("--only", default="", help="comma-separated figure names to run")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = wanted - set(figures.BY_NAME)
    if unknown:  # a misspelt name ran nothing and said nothing
        parser.error("unknown figure(s): " + ", ".join(sorted(unknown)) + "; known: " + "; ".join(figures.BY_NAME))
    chosen = [f for f in figures.FIGURES if not wanted or f.name in wanted]
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    rows: list[Row] = []
    started = time.perf_counter()
    try:
        for size in sizes:
            setup = time.perf_counter()
            db = prepare(size, work)
            print(f"×{size}: plan and 16 quarters of progress ready in {time.perf_counter() - setup:.1f} s",
                  flush=True)
            for figure in chosen:
                row = Row(size, figure.name)
                for repeat in range(args.repeats):
                    ours, floor, note = figure.run(db, work, size, repeat)
                    row.ours.append(ours)
                    if floor is not None:
                        row.floor.append(floor)
                    row.note = note or row.note
                rows.append(row)
                print(f"  {figure.name:<34} ours {_ms(row.ours)} ms  floor {_ms(row.floor)} ms  "
                      f"ratio {row.ratio:6.2f}  {row.note}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"{'size':>5}  {'figure':<34} {'ours, ms (min–max)':>26} {'floor, ms (min–max)':>26} {'ratio':>7}  goal")
    for row in rows:
        goal = figures.BY_NAME[row.figure].goal
        print(f"{'×' + str(row.size):>5}  {row.figure:<34} {_ms(row.ours):>26} {_ms(row.floor):>26} "
              f"{row.ratio:7.2f}  {goal}  {row.note}")
    with open(args.csv, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["size", "figure", "ours_ms_median", "floor_ms_median", "ratio", "ours_samples_ms",
                         "floor_samples_ms", "goal", "note"])
        for row in rows:
            writer.writerow([row.size, row.figure, round(statistics.median(row.ours) * 1000, 2),
                             round(statistics.median(row.floor) * 1000, 2) if row.floor else "",
                             round(row.ratio, 3), " ".join(f"{s * 1000:.2f}" for s in row.ours),
                             " ".join(f"{s * 1000:.2f}" for s in row.floor), figures.BY_NAME[row.figure].goal,
                             row.note])
    print(f"\nCSV: {Path(args.csv).resolve()}; whole run {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
