"""The domain package must not pull in Qt: the command line runs without a display."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# every module of the package, found by walking it, so a new module is checked without being listed;
# not tracker.__main__, which would run the command line (test_command_line_runs_without_qt does)
SCRIPT = """
import importlib, json, pkgutil, sys
import tracker
names = sorted(info.name for info in pkgutil.walk_packages(tracker.__path__, "tracker.", onerror=sys.exit)
               if info.name != "tracker.__main__")
for name in names:
    importlib.import_module(name)
from tracker.plan.store import read_plan
from tracker.paths import BUNDLED_PLAN
assert len(read_plan(BUNDLED_PLAN).measures()) == 233
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
print(json.dumps({"imported": names, "qt": qt}))
"""


def test_tracker_imports_no_qt():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    on_disk = {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
               for path in (ROOT / "tracker").rglob("*.py")} - {"tracker", "tracker.__main__"}
    assert on_disk <= set(seen["imported"])  # the walk reached every module, e.g. tracker.cli.commands
    assert seen["qt"] == []


def test_command_line_runs_without_qt(tmp_path):
    script = ("import sys; from tracker.cli.commands import main; code = main(['--db', sys.argv[1], 'init']); "
              "assert not [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]; sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "t.sqlite3")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "233 заходи" in result.stdout
