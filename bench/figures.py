"""The figures ``python -m bench`` measures: each times the program's work and its floor on a copy of the database.

``run(db, work, size, repeat)`` returns (ours in seconds, floor in seconds or None, a note).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import io
import os
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tracker.quarters import Quarter

QUARTER = Quarter(2026, 2)


@dataclass(frozen=True)
class Figure:
    name: str
    goal: str
    run: Callable


def _fresh(path: Path) -> Path:
    """``path`` with no database file (nor its WAL) left from an earlier repeat."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def _copy(db: Path, work: Path, name: str) -> Path:
    copy = _fresh(work / f"{name}.sqlite3")
    shutil.copyfile(db, copy)
    return copy


def _opened(path: Path):
    from tracker.plan.store import current_plan
    from tracker.storage.db import open_database

    open_database(path)
    return current_plan()


def _close() -> None:
    from tracker.storage.db import close_database

    close_database()


# -- one save through the write path -----------------------------------------------------------------------

SAVES = 20


def save(db: Path, work: Path, size: int, repeat: int):
    from tracker.progress.records import save_progress
    from tracker.storage.models import Measure, database

    copy = _copy(db, work, "save")
    plan = _opened(copy)
    measures = list(Measure.select().where(Measure.plan == plan).order_by(Measure.position).limit(SAVES))
    save_progress(measures[-1], QUARTER.previous(), {"note": f"прогрів {repeat}"}, author="bench")  # the session's first
    statements = []
    connection = database.connection()
    connection.set_trace_callback(statements.append)
    start = time.perf_counter()
    for index, measure in enumerate(measures):
        save_progress(measure, QUARTER, {"percent": 1 + (index + repeat) % 98, "status": "in_progress"},
                      author="bench")
    ours = (time.perf_counter() - start) / len(measures)
    connection.set_trace_callback(None)
    ids = [m.id for m in measures]
    _close()
    per_save = len([s for s in statements if not s.startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))])
    return ours, _raw_saves(copy, ids, repeat), f"{per_save / len(ids):.0f} statements per save"


def _raw_saves(path: Path, ids: list[int], repeat: int) -> float:
    """The same saves as plain SQL: read the record, update it, two history rows, in one transaction each."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=wal")
    connection.execute("PRAGMA synchronous=full")
    connection.execute("PRAGMA foreign_keys=1")  # as the program's connections: the same checks on every write
    now = _dt.datetime.now().isoformat(sep=" ", timespec="seconds")

    def one(index: int, measure: int) -> None:
        percent = 2 + (index + repeat) % 97
        connection.execute("BEGIN IMMEDIATE")
        record, version, old = connection.execute(
            "SELECT id, version, percent FROM progress WHERE measure_id = ? AND year = ? AND quarter = ?",
            (measure, QUARTER.year, QUARTER.number)).fetchone()
        connection.execute("UPDATE progress SET percent = ?, status = 'in_progress', updated_at = ?, "
                           "updated_by = 'bench', version = ? WHERE id = ?", (percent, now, version + 1, record))
        connection.executemany(
            "INSERT INTO history (measure_id, year, quarter, field, old_value, new_value, changed_at, changed_by, "
            "origin, change_set, event_uid, applied, login) VALUES (?, ?, ?, ?, ?, ?, ?, 'bench', '', ?, ?, 1, '')",
            [(measure, QUARTER.year, QUARTER.number, field, str(old), value, now, f"raw{repeat}-{index}",
              f"raw{repeat}-{index}-{field}") for field, value in (("percent", str(percent)), ("status", "x"))])
        connection.execute("COMMIT")
    one(-1, ids[-1])  # the first, untimed, as for the program
    start = time.perf_counter()
    for index, measure in enumerate(ids):
        one(index, measure)
    elapsed = (time.perf_counter() - start) / len(ids)
    connection.close()
    return elapsed


# -- the window ---------------------------------------------------------------------------------------------

def _app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _copy_and_rows(db: Path, work: Path, name: str) -> tuple[Path, list]:
    """A copy of the database for the program, and the plan's rows as text for the bare window (read beforehand:
    the floor gets them for free)."""
    from bench.window_open import _rows
    from tracker.progress.tree import load_tree

    copy = _copy(db, work, name)
    rows = _rows(load_tree(_opened(copy), QUARTER))
    _close()
    return copy, rows


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _dispose(window) -> None:
    """The window closed and gone, Python's side too: a window left alive (its signals' connections hold it) kept
    its whole tree, and each later repeat's collections walked every earlier one's — 40 → 150 ms by the fourth."""
    from PySide6.QtCore import QCoreApplication, QEvent

    window.close()
    window.deleteLater()
    _app().processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def window_open(db: Path, work: Path, size: int, repeat: int):
    from bench.window_open import _bare_window, _our_window

    _app()
    copy, rows = _copy_and_rows(db, work, "window")
    floor, bare = _timed(lambda: _bare_window(rows))
    _dispose(bare)
    ours, window = _timed(lambda: _our_window(copy, work / "settings.ini"))
    _dispose(window)
    _close()
    return ours, floor, ""


def quarter_switch(db: Path, work: Path, size: int, repeat: int):
    from bench.window_open import _bare_window, _our_window

    _app()
    copy, rows = _copy_and_rows(db, work, "switch")
    floor, bare = _timed(lambda: _bare_window(rows))
    _dispose(bare)
    settings = _fresh(work / f"switch-{repeat}.ini")  # a window of its own: it opens on the current quarter
    window = _our_window(copy, settings)
    target = Quarter(2025, 1 + repeat % 4)
    assert window._quarter != target, "the switch must be to another quarter"
    ours, _ = _timed(lambda: (window.set_quarter(target), window.grab()))
    _dispose(window)
    _close()
    return ours, floor, "floor: the bare window's whole opening"


def window_save(db: Path, work: Path, size: int, repeat: int):
    """A coordinator's save in the window: the form's values written, the tree's row and its goals repainted.
    Floor: the same writes as raw SQL, and the bare window's row texts set and repainted.

    Repainted as on the screen: the events the save posted are processed, so each view paints what it was told
    changed (Qt repaints the changed rows' rectangles), not the whole widget as grab() would."""
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    from bench.window_open import _bare_window, _our_window

    _app()
    copy, rows = _copy_and_rows(db, work, "window-save")
    bare = _bare_window(rows)
    item = QTreeWidgetItemIterator(bare.centralWidget())
    while item.value() and item.value().childCount():
        item += 1  # the first measure's row

    def bare_save() -> None:
        for column, text in ((3, "Виконується"), (4, f"{40 + repeat} %"), (5, "30.11.2026, bench")):
            item.value().setText(column, text)
        _app().processEvents()

    floor_sql = _raw_saves(_copy(db, work, "window-save-floor"), [_first_measure(copy)], repeat)
    _app().processEvents()  # the window painted once, as on the screen before the coordinator types
    floor_paint, _ = _timed(bare_save)
    _dispose(bare)
    window = _our_window(copy, work / "settings.ini")
    index = window.rows.index_of_measure(_first_measure(copy))
    window.tree_view.setCurrentIndex(index)
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findText("Виконується"))
    editor.percent_spin.setValue(40 + repeat)
    editor.note_edit.setPlainText(f"Погоджено {repeat + 3} проєкти")
    _app().processEvents()
    ours, saved = _timed(lambda: (window.save_current(), _app().processEvents())[0])
    assert saved, "the window's save must succeed"
    _dispose(window)
    _close()
    return ours, floor_sql + floor_paint, "the tree repainted; floor: raw SQL save + the bare tree's row repainted"


def _first_measure(path: Path) -> int:
    connection = sqlite3.connect(path)
    (measure,) = connection.execute("SELECT id FROM measure WHERE removed_in IS NULL ORDER BY position LIMIT 1").fetchone()
    connection.close()
    return measure


def _search(first: str, second: str):
    def run(db: Path, work: Path, size: int, repeat: int):
        from PySide6.QtWidgets import QTreeWidgetItemIterator

        from bench.window_open import _bare_window, _our_window
        from tracker.progress.filters import MeasureFilter

        _app()
        copy, rows = _copy_and_rows(db, work, "search")
        bare = _bare_window(rows)
        view = bare.centralWidget()

        def bare_filter(text: str) -> None:
            iterator = QTreeWidgetItemIterator(view)
            while iterator.value():
                item = iterator.value()
                if item.childCount() == 0:
                    item.setHidden(text.lower() not in (item.text(0) + " " + item.text(1)).lower())
                iterator += 1
            bare.grab()

        bare_filter(first)
        floor, _ = _timed(lambda: bare_filter(second))
        _dispose(bare)
        window = _our_window(copy, work / "settings.ini")
        window._on_filter_changed(MeasureFilter(text=first))
        window.grab()
        ours, _ = _timed(lambda: (window._on_filter_changed(MeasureFilter(text=second)), window.grab()))
        _dispose(window)
        _close()
        return ours, floor, f"«{first}» → «{second}»"
    return run


# -- the command line and the imports -------------------------------------------------------------------------

def status(db: Path, work: Path, size: int, repeat: int):
    import gc

    from tracker.cli.commands import command_line

    copy = _copy(db, work, "status")
    # opened once first, as a database in use has been: a copy opened the first time takes its own identity and
    # key (a write, and the checkpoint of it at closing: ~150 ms at ×20), once in its life, not at each command
    _opened(copy)
    _close()
    threshold = gc.get_threshold()
    try:  # as the command's own process: its collector set as it sets it, then given back for the later figures
        with contextlib.redirect_stdout(io.StringIO()):
            ours, _ = _timed(lambda: command_line(["--db", str(copy), "status", "--quarter", str(QUARTER)]))
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    connection = sqlite3.connect(copy)
    # the quickest SQL for it found: one index seek per measure (a window function or GROUP BY is 4–5× slower)
    floor, _ = _timed(lambda: connection.execute(
        "SELECT p.status, count(*) FROM measure AS m JOIN progress AS p ON p.id = (SELECT l.id FROM progress AS l "
        "WHERE l.measure_id = m.id AND (l.year < ? OR (l.year = ? AND l.quarter <= ?)) "
        "ORDER BY l.year DESC, l.quarter DESC LIMIT 1) WHERE m.removed_in IS NULL GROUP BY p.status",
        (QUARTER.year, QUARTER.year, QUARTER.number)).fetchall())
    connection.close()
    return ours, floor, "floor: the latest record per measure, counted by status"


def plan_import(db: Path, work: Path, size: int, repeat: int):
    from bench.scale import write_plan
    from tracker.plan.store import import_plan
    from tracker.storage.db import open_database

    text = write_plan(size, work)
    target = _fresh(work / "import.sqlite3")
    open_database(target)
    ours, _ = _timed(lambda: import_plan(text))
    _close()
    empty = _fresh(work / "import-floor.sqlite3")
    open_database(empty)
    _close()
    tables = ("department", "funding_source", "plan", "strategic_goal", "operational_goal", "task", "measure",
              "measure_executor", "measure_funding")
    source = sqlite3.connect(target)
    rows = {table: source.execute(f"SELECT * FROM {table}").fetchall() for table in tables}
    source.close()
    connection = sqlite3.connect(empty, isolation_level=None)
    connection.execute("PRAGMA synchronous=full")
    connection.execute("PRAGMA foreign_keys=1")  # as the program's connections: the same checks on every write

    def raw():
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("DELETE FROM department")
        for table in tables:
            if rows[table]:
                marks = ", ".join("?" * len(rows[table][0]))
                connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
        connection.execute("COMMIT")
    floor, _ = _timed(raw)
    connection.close()
    return ours, floor, "floor: the same rows inserted with sqlite3 (no reading, no parsing)"


EXCHANGE_MEASURES = 233  # a district's package: the bundled plan's number of measures, four quarters each
EXCHANGE_QUARTERS = tuple(Quarter(2025, number) for number in (1, 2, 3, 4))
_packages: dict[int, tuple[Path, Path]] = {}  # size → (the office's database trusting the laptop, its package)


def _exchange_values(quarter: Quarter, index: int) -> dict:
    return {"status": "in_progress", "percent": min(99, quarter.number * 20 + index % 7),
            "note": f"виконується за графіком, етап {quarter.number}", "planned_financing": f"{12 + index % 5},5"}


def _laptop_package(db: Path, work: Path, size: int) -> tuple[Path, Path]:
    """A laptop (a copy of the office's database) reports the plan's first 233 measures for four quarters and
    exports one package; the office trusts the laptop. Made once per size: the figure times the import."""
    if size in _packages:
        return _packages[size]
    from tracker.exchange.sync import export_package
    from tracker.exchange.trust import trust_package
    from tracker.progress.records import save_progress
    from tracker.storage.device import this_device
    from tracker.storage.models import ExchangePeer, History, Measure

    office = _copy(db, work, f"exchange-office-{size}")
    _opened(office)
    office_uid = this_device().uid
    _close()
    laptop = _copy(office, work, f"exchange-laptop-{size}")  # set up from the office's file: its own identity
    plan = _opened(laptop)
    # the laptop has exchanged with the office before: the office has confirmed all it had (else the package would
    # carry the office's whole history back to it — at ×20 more than a package may hold)
    last = History.select(History.id, History.event_uid).order_by(History.id.desc()).first()
    ExchangePeer.create(device_uid=office_uid, name="офіс", received_seq=last.id, received_uid=last.event_uid,
                        acked_seq=last.id, acked_uid=last.event_uid, last_seen=_dt.datetime.now())
    measures = list(Measure.select().where(Measure.plan == plan).order_by(Measure.position).limit(EXCHANGE_MEASURES))
    for quarter in EXCHANGE_QUARTERS:
        for index, measure in enumerate(measures):
            save_progress(measure, quarter, _exchange_values(quarter, index), author="Старостат")
    package = export_package(work / f"laptop-{size}.trackerpkg", "ноутбук старостату").path
    _close()
    _opened(office)
    trust_package(package, "бенчмарк")  # the office has compared the laptop's key fingerprint
    _close()
    _packages[size] = (office, package)
    return office, package


def exchange_import(db: Path, work: Path, size: int, repeat: int):
    """In the window: the file was fully checked as it opened (its start copy made), as the window does before
    anything is written; the copy made beside the merge is then read back with the quick check."""
    return _exchange_import(db, work, size, checked_at_opening=True)


def exchange_import_command_line(db: Path, work: Path, size: int, repeat: int):
    """``tracker import``: opened on the quick check alone, so the copy made beside the merge is fully checked."""
    return _exchange_import(db, work, size, checked_at_opening=False)


def _exchange_import(db: Path, work: Path, size: int, checked_at_opening: bool):
    from tracker.exchange.sync import import_package
    from tracker.storage.write_gate import check_in_background

    office, package = _laptop_package(db, work, size)
    copy = _copy(office, work, "exchange")
    _opened(copy)
    if checked_at_opening:
        check_in_background(copy="start").join()
    ours, result = _timed(lambda: import_package(package, "бенчмарк"))
    _close()
    floor = _raw_exchange_writes(_copy(office, work, "exchange-floor"))
    return ours, floor, f"{result.applied} changes in {EXCHANGE_MEASURES * len(EXCHANGE_QUARTERS)} records; " \
                        "floor: the same writes as raw SQL in one transaction"


def _raw_exchange_writes(path: Path) -> float:
    """The package's writes as plain SQL: each record read and updated, a history row per field, one transaction."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=wal")
    connection.execute("PRAGMA synchronous=full")
    connection.execute("PRAGMA foreign_keys=1")  # as the program's connections: the same checks on every write
    measures = [m for (m,) in connection.execute(
        "SELECT id FROM measure WHERE removed_in IS NULL ORDER BY position LIMIT ?", (EXCHANGE_MEASURES,))]
    now = _dt.datetime.now().isoformat(sep=" ", timespec="seconds")
    start = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    for quarter in EXCHANGE_QUARTERS:
        for index, measure in enumerate(measures):
            values = _exchange_values(quarter, index)
            record, version, *old = connection.execute(
                "SELECT id, version, status, percent, note, planned_financing FROM progress WHERE measure_id = ? "
                "AND year = ? AND quarter = ?", (measure, quarter.year, quarter.number)).fetchone()
            connection.execute(
                "UPDATE progress SET status = ?, percent = ?, note = ?, planned_financing = ?, updated_at = ?, "
                "updated_by = 'Старостат', version = ? WHERE id = ?",
                (values["status"], values["percent"], values["note"], values["planned_financing"].replace(",", "."),
                 now, version + 1, record))
            change = uuid.uuid4().hex
            # the events' own uids, as a package carries them: random, so each lands on a page of its own in the index
            connection.executemany(
                "INSERT INTO history (measure_id, year, quarter, field, old_value, new_value, changed_at, changed_by, "
                "origin, change_set, event_uid, applied, login) VALUES (?, ?, ?, ?, ?, ?, ?, 'Старостат', 'ноутбук', "
                "?, ?, 1, '')",
                [(measure, quarter.year, quarter.number, field, None if before is None else str(before), str(value), now,
                  change, uuid.uuid4().hex) for (field, value), before in zip(values.items(), old)])
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def report(db: Path, work: Path, size: int, repeat: int):
    from bench.report_export import _bare, _cells_of
    from tracker.report.export import export_report

    copy = _copy(db, work, "report")
    plan = _opened(copy)
    ours, path = _timed(lambda: export_report(plan, QUARTER, work / f"ours-{repeat}.xlsx"))
    _close()
    sheets = _cells_of(path)
    floor, _ = _timed(lambda: _bare(sheets, work / f"bare-{repeat}.xlsx"))
    return ours, floor, "floor: bare openpyxl writing the same cells of the three sheets (not the chart)"


# a process of its own, from nothing to the plan painted: the program (its imports included) and a bare PySide6
_OURS_PROCESS = """
import sys, time
start = time.perf_counter()
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QSettings
app = QApplication([])
from tracker.collector import tune_collector
from ui.app import open_first_database
from ui.main_window import MainWindow
tune_collector()  # as ui.app.run does, its imports done
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
# as the program starts: the tree read beside the quick check, the full check and the start copy begun
plan, _, _, tree = open_first_database(sys.argv[1], settings)
window = MainWindow(plan, settings, sys.argv[1], author="bench", tree=tree)
window.resize(1500, 900)
window.show()
window.grab()
print(time.perf_counter() - start)
"""
_BARE_PROCESS = """
import json, sys, time
start = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow, QTreeWidget, QTreeWidgetItem
app = QApplication([])
rows = json.load(open(sys.argv[1], encoding="utf-8"))
window = QMainWindow()
view = QTreeWidget(window)
view.setColumnCount(6)
def add(parent, items):
    for texts, children in items:
        add(QTreeWidgetItem(parent, texts), children)
add(view, rows)
view.expandAll()
window.setCentralWidget(view)
window.resize(1500, 900)
window.show()
window.grab()
print(time.perf_counter() - start)
"""


def process_start(db: Path, work: Path, size: int, repeat: int):
    """Process start → painted tree, each in a fresh Python (the time as the process itself measures it,
    from its first line: the interpreter's own start is the same for both)."""
    import json
    import subprocess
    import sys

    copy, rows = _copy_and_rows(db, work, "process")
    rows_file = work / "rows.json"
    rows_file.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    root = str(Path(__file__).resolve().parent.parent)
    environment = {**os.environ, "PYTHONPATH": root, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # compiled modules kept, as an installed program has them (pip compiles at install): not compiled on every start
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    settings = _fresh(work / f"process-{repeat}.ini")

    def run(script: str, *args) -> float:
        done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=environment,
                              check=True)
        return float(done.stdout.strip().splitlines()[-1])
    if repeat == 0:  # once untimed: the compiled modules written, the files in the system's cache, for both
        run(_OURS_PROCESS, str(copy), str(_fresh(work / "process-warm.ini")))
        run(_BARE_PROCESS, str(rows_file))
    return run(_OURS_PROCESS, str(copy), str(settings)), run(_BARE_PROCESS, str(rows_file)), ""


FIGURES = [
    Figure("save (write path vs raw SQL)", "≤ 3×, ≤ 6 statements", save),
    Figure("save in the window (tree refreshed)", "< 50 ms at ×20", window_save),
    Figure("exchange import in the window", "≤ 3×", exchange_import),
    Figure("exchange import from the command line", "≤ 3×", exchange_import_command_line),  # no comma: --only
    Figure("window open", "≤ 1.5×", window_open),
    Figure("quarter switch", "≤ 2×, < 100 ms at ×20", quarter_switch),
    Figure("search keystroke hiding rows", "< 100 ms at ×20", _search("е", "ен")),
    Figure("search keystroke (nothing hidden)", "< 100 ms at ×20", _search("", " ")),
    Figure("tracker status vs raw SQL", "≤ 2×", status),
    Figure("plan import", "≤ 2×", plan_import),
    Figure("whole-plan report vs bare openpyxl", "≤ 1.3×, linear", report),
    Figure("process start to painted tree", "≤ 1.5×", process_start),
]
BY_NAME = {figure.name: figure for figure in FIGURES}
