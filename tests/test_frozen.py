"""The frozen program (packaging/lutsk-tracker.spec): built with PyInstaller, run with no Python beside it.

The build takes about a minute. Without PyInstaller the tests are skipped, with the reason — except under CI,
where .ci/run installs it and a missing PyInstaller is a failure.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

import tracker

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def frozen(tmp_path_factory):
    try:
        import PyInstaller  # noqa: F401 (only whether it is there)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("PyInstaller is missing under CI: .ci/run installs it")
        pytest.skip("PyInstaller is not installed (python -m pip install pyinstaller)")
    work = tmp_path_factory.mktemp("frozen")
    built = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"), str(ROOT / "packaging" / "lutsk-tracker.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stderr[-4000:]
    return work / "dist" / "lutsk-tracker"


def _environment(home: Path) -> dict:
    """No Python paths from this process, a user folder of its own, and Qt offscreen."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"))
    return env


def _run(frozen: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(frozen / "tracker"), *args], cwd=home, env=_environment(home), capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def test_one_folder_holds_both_programs_and_only_the_qt_it_needs(frozen):
    assert (frozen / "lutsk-tracker").is_file() and (frozen / "tracker").is_file()
    translations = {path.name for path in frozen.rglob("*.qm")}
    assert translations == {"qtbase_uk.qm", "qt_uk.qm"}
    assert list(frozen.rglob("*QtNetwork*")) and not list(frozen.rglob("*QtQml*"))  # the one-window channel: Network
    assert not [path for path in frozen.rglob("*") if path.is_symlink() and not path.exists()]


def test_the_folder_carries_the_licence_texts_of_its_parts(frozen):
    """Qt's LGPL asks that its text go with the program; so do the MIT, BSD and Apache licences of the rest."""
    licences = next(frozen.rglob("licenses"))
    held = {path.parent.name.lower().replace("_", "-") for path in licences.rglob("*") if path.is_file()}
    assert {"pyside6", "python", "peewee", "openpyxl", "psycopg", "psycopg-binary", "cryptography", "lxml",
            "python-docx", "platformdirs", "defusedxml"} <= held
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (licences / "PySide6" / "LGPL-3.0.txt").read_text(encoding="utf-8")
    assert licences.parent.name == "_internal"  # where the frozen program looks for it (tracker.paths.licence_folder)


def test_the_frozen_command_line_makes_a_database_and_a_report(frozen, tmp_path):
    done = _run(frozen, tmp_path, "--version")
    assert done.stdout.strip() == f"tracker {tracker.__version__}"
    database = tmp_path / "office.sqlite3"
    done = _run(frozen, tmp_path, "--db", str(database), "init")  # every migration runs from its file
    assert done.returncode == 0 and "233 заходи" in done.stdout, done.stderr
    report = tmp_path / "звіт.xlsx"
    done = _run(frozen, tmp_path, "--db", str(database), "report", "--quarter", "2025Q2", "-o", str(report))
    assert done.returncode == 0 and report.stat().st_size > 10_000, done.stderr
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    done = _run(frozen, tmp_path, "--db", str(damaged), "status")
    assert done.returncode != 0 and "Traceback" not in done.stderr and "базою даних" in done.stderr, done.stderr


def test_the_frozen_command_line_reaches_the_office_server(frozen, tmp_path, pg_url):
    done = _run(frozen, tmp_path, "--db", pg_url, "init")  # psycopg's compiled core travels with it
    assert done.returncode == 0 and "233 заходи" in done.stdout, done.stderr


def test_the_frozen_window_shows_the_plan(frozen, tmp_path):
    folder = tmp_path / "data" / "LutskPlanTracker"
    folder.mkdir(parents=True)
    (folder / "settings.ini").write_text("[user]\nname=Тест\n", encoding="utf-8")  # not asked at the first start
    database = folder / "tracker.sqlite3"  # the user's own, made with the plan at the first start (README)
    window = subprocess.Popen([str(frozen / "lutsk-tracker")], cwd=tmp_path,
                              env=_environment(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8")
    journal = folder / "logs" / "tracker.log"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and window.poll() is None:
            if journal.is_file() and "window shown: 233 measures" in journal.read_text(encoding="utf-8"):
                break
            time.sleep(0.3)
        assert window.poll() is None, window.communicate()[1]
        assert "window shown: 233 measures" in journal.read_text(encoding="utf-8")
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as check:
            assert check.execute("SELECT count(*) FROM measure").fetchone()[0] == 233
    finally:
        window.terminate()
        _, err = window.communicate(timeout=30)
    assert "Traceback" not in err
