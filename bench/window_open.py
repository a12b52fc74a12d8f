"""Benchmark: opening the main window with the plan tree filled, against a bare PySide6 window.

Run: ``python -m bench.window_open`` (offscreen by default). Both are measured in the same run,
on the same machine, and the ratio is printed: the baseline is a QTreeWidget filled with the
same rows (goals, tasks, measures; the same six texts), with no database and no logic.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTreeWidget, QTreeWidgetItem  # noqa: E402

from tracker.plan.store import (
    current_plan,  # noqa: E402
    ensure_bundled_plan,  # noqa: E402
)
from tracker.progress.filters import MeasureFilter  # noqa: E402
from tracker.progress.records import save_progress  # noqa: E402
from tracker.progress.tree import load_tree  # noqa: E402
from tracker.quarters import Quarter  # noqa: E402
from tracker.storage.db import close_database, open_database  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "9"))


def _rows(tree):
    """The rows as plain text, prepared before timing the baseline (it gets them for free)."""
    rows = []
    for sg in tree.strategic_goals:
        children = []
        for og in sg.operational_goals:
            tasks = []
            for task in og.tasks:
                measures = [([m.code, m.title, ", ".join(m.executors), "", "0 %", ""], []) for m in task.measures]
                tasks.append((["", task.title, "", "", "0 %", ""], measures))
            children.append(([og.code, og.title, "", "", "0 %", ""], tasks))
        rows.append(([f"СЦ {sg.number}", sg.title, "", "", "0 %", ""], children))
    return rows


def _bare_window(rows):
    window = QMainWindow()
    view = QTreeWidget(window)
    view.setColumnCount(6)
    view.setHeaderLabels(["Код", "Зміст", "Відповідальні виконавці", "Стан", "Виконання, %", "Оновлено"])

    def add(parent, items):
        for texts, children in items:
            item = QTreeWidgetItem(parent, texts)
            add(item, children)

    add(view, rows)
    view.expandAll()
    window.setCentralWidget(view)
    window.resize(1500, 900)
    window.show()
    window.grab()  # render everything once, as the screen would
    return window


def _our_window(db_path: Path, settings_path: Path):
    """Opened as the program opens a database: its first tree read beside the file's quick check."""
    from tracker.plan.store import open_plan_and_read
    from ui.main_window import MainWindow
    from ui.plan_view import first_tree

    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    plan, tree = open_plan_and_read(str(db_path), lambda plan: first_tree(plan, settings))
    window = MainWindow(plan, settings, str(db_path), author="bench", tree=tree)
    window.resize(1500, 900)
    window.show()
    window.grab()
    return window


def _time(action, repeats=REPEATS):
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        samples.append(time.perf_counter() - start)
        if hasattr(result, "close"):
            result.close()
            result.deleteLater()
        QApplication.processEvents()
    return statistics.median(samples)


def main() -> int:
    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    try:
        template = work / "plan.sqlite3"
        open_database(template)
        plan = ensure_bundled_plan() and current_plan()
        plan = current_plan()
        for index, measure in enumerate(plan.measures.order_by(1)):  # a realistic quarter: most reported
            if index % 4:
                save_progress(measure, Quarter(2025, 2), {"status": "in_progress", "percent": index % 100},
                              author="bench")
        rows = _rows(load_tree(plan, Quarter(2025, 2)))
        close_database()

        baseline = _time(lambda: _bare_window(rows))

        def ours():
            copy = work / "copy.sqlite3"
            shutil.copyfile(template, copy)
            return _our_window(copy, work / "settings.ini")

        ours_open = _time(ours)
        window = ours()
        switches = []
        for quarter in (Quarter(2025, 1), Quarter(2025, 2), Quarter(2024, 4), Quarter(2025, 3)):
            start = time.perf_counter()
            window.set_quarter(quarter)
            window.grab()
            switches.append(time.perf_counter() - start)
        filters = []
        for measure_filter in (MeasureFilter(text="енерг"), MeasureFilter(status="not_reported"), MeasureFilter()):
            start = time.perf_counter()
            window._on_filter_changed(measure_filter)
            window.grab()
            filters.append(time.perf_counter() - start)
        window.close()

        print(f"bare PySide6 window, same rows (median of {REPEATS}): {baseline * 1000:7.1f} ms")
        print(f"tracker main window with plan (median of {REPEATS}): {ours_open * 1000:7.1f} ms")
        print(f"ratio tracker / bare: {ours_open / baseline:.2f}")
        print(f"quarter switch (median): {statistics.median(switches) * 1000:7.1f} ms, "
              f"ratio to bare window open: {statistics.median(switches) / baseline:.2f}")
        print(f"filter change (median): {statistics.median(filters) * 1000:7.1f} ms, "
              f"ratio to bare window open: {statistics.median(filters) / baseline:.2f}")
    finally:
        close_database()
        shutil.rmtree(work, ignore_errors=True)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
