"""The domain package must not pull in Qt: the command line runs without a display."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import tracker, tracker.cli.commands, tracker.storage.db, tracker.plan.departments, tracker.plan.directory, tracker.errors
import tracker.storage.models, tracker.paths, tracker.plan.parser, tracker.plan.source, tracker.plan.store
import tracker.progress.records, tracker.quarters, tracker.progress.rollup, tracker.progress.status, tracker.text, tracker.progress.tree
import tracker.xlsx_guard
from tracker.plan.store import read_plan
from tracker.paths import BUNDLED_PLAN
assert len(read_plan(BUNDLED_PLAN).measures()) == 233
qt = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "PyQt")))
assert not qt, qt
print("ok")
"""


def test_tracker_imports_no_qt():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_command_line_runs_without_qt(tmp_path):
    script = ("import sys; from tracker.cli.commands import main; code = main(['--db', sys.argv[1], 'init']); "
              "assert not [m for m in sys.modules if m.startswith('PySide6')]; sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "t.sqlite3")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "233 заходи" in result.stdout
