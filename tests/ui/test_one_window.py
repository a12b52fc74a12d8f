"""One window per person and database: the program started again on a database a window shows brings that window to
the front (ui.one_window) — asked from another process, as a second start asks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QSettings
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from ui.one_window import OneWindow, channel_name, shown_elsewhere

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: no window to raise
ROOT = Path(__file__).resolve().parents[2]
ASK = ("import sys; from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]); "
       "from ui.one_window import shown_elsewhere; sys.exit(0 if shown_elsewhere(sys.argv[1]) else 3)")


def _environment(home: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), PYTHONPATH=str(ROOT))
    env.pop("TRACKER_DB", None)
    return env


def _ask(qtbot, database: str, home: Path) -> int:
    """Another process's start on ``database``: its exit code (0: a window came to the front), this process's event
    loop running meanwhile, as the window's would."""
    process = subprocess.Popen([sys.executable, "-c", ASK, database], cwd=ROOT, env=_environment(home))
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=20000)
    return process.returncode


def test_a_second_start_on_the_database_a_window_shows_brings_it_forward(window, qtbot, tmp_path):
    shown = window.database_label
    window.one_window = OneWindow(window)
    window.one_window.follow(shown)
    window.showMinimized()
    assert _ask(qtbot, shown, tmp_path) == 0
    qtbot.waitUntil(lambda: not window.isMinimized())
    # the same file written otherwise is the same database; another file is not
    relative = os.path.relpath(shown, ROOT)
    assert _ask(qtbot, relative, tmp_path) == 0
    assert _ask(qtbot, str(tmp_path / "other.sqlite3"), tmp_path) == 3


def test_the_window_answers_for_the_database_it_shows_now(window, qtbot, tmp_path, plan_template):
    first = window.database_label
    window.one_window = OneWindow(window)
    window.one_window.follow(first)
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(plan_template, other)
    assert window.database.switch_database(str(other))  # Файл → Відкрити…: the window shows another database
    assert _ask(qtbot, str(other), tmp_path) == 0
    assert _ask(qtbot, first, tmp_path) == 3  # a start on the first opens a window of its own


@pytest.mark.skipif(sys.platform == "win32", reason="a crashed window's channel is a socket file on Linux and macOS")
def test_a_channel_left_by_a_crashed_window_is_taken_over(window, qtbot, tmp_path):
    name = channel_name(window.database_label)
    left = Path(QDir.tempPath()) / name  # where QLocalServer puts a name without a path
    crashed = socket.socket(socket.AF_UNIX)
    crashed.bind(str(left))  # bound, never listening, the process gone: nobody answers there
    crashed.close()
    try:
        window.one_window = OneWindow(window)
        window.one_window.follow(window.database_label)
        assert window.one_window.name == name
        assert _ask(qtbot, window.database_label, tmp_path) == 0
    finally:
        window.one_window.close()


def test_a_window_opening_a_database_another_window_shows_leaves_it_that_window_s(window, qtbot, tmp_path):
    """On Linux a second listen under the name replaced the first window's socket file: the window that opened the
    database later (Файл → Відкрити…) took the starts, and once it opened another one, a start made a second window."""
    other = QLocalServer()  # the first window, in its own process
    other.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    assert other.listen(channel_name(window.database_label))
    try:
        window.one_window = OneWindow(window)
        window.one_window.follow(window.database_label)
        assert window.one_window.server is None and other.isListening()
        probe = QLocalSocket()
        probe.connectToServer(channel_name(window.database_label))
        assert probe.waitForConnected(500)
        qtbot.waitUntil(other.hasPendingConnections)  # the start reaches the first window, not this one
        probe.abort()
    finally:
        other.close()


def test_a_start_while_the_first_is_still_starting_ends(qtbot, tmp_path):
    """Two starts before the first asked who works here and made its window: the second ends, not a second question."""
    channel = OneWindow()
    database = str(tmp_path / "plan.sqlite3")
    channel.follow(database)
    try:
        assert _ask(qtbot, database, tmp_path) == 0
    finally:
        channel.close()


def test_no_window_no_answer(qapp, tmp_path):
    assert not shown_elsewhere(str(tmp_path / "nowhere.sqlite3"))


def test_the_program_started_twice_on_one_database_keeps_one_window(qtbot, tmp_path, plan_template):
    """The whole start: the second process ends at once, the first window stays (and nothing of the start's work —
    the check, the backup copy — is done twice)."""
    home = tmp_path / "home"
    database = tmp_path / "plan.sqlite3"
    shutil.copyfile(plan_template, database)
    settings_dir = home / "data" / "LutskPlanTracker"
    settings_dir.mkdir(parents=True)
    settings = QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("user/name", "Оля")  # not asked: a question would wait offscreen for good
    settings.sync()
    env = _environment(home)
    first = subprocess.Popen([sys.executable, "main.py", "--db", str(database)], cwd=ROOT, env=env)
    try:
        qtbot.waitUntil(lambda: first.poll() is not None or _answers(str(database)), timeout=60000)
        assert first.poll() is None, "the first window did not start"
        second = subprocess.run([sys.executable, "main.py", "--db", str(database)], cwd=ROOT, env=env, timeout=60)
        assert second.returncode == 0 and first.poll() is None
        said = (settings_dir / "logs" / "tracker.log").read_text(encoding="utf-8", errors="replace")
        assert said.count("already shown in another window") == 1 and said.count("window shown:") == 1
    finally:
        first.terminate()
        first.wait(timeout=30)


def _answers(database: str) -> bool:
    """Is a window listening for ``database`` (asked without bringing it forward)?"""
    probe = QLocalSocket()
    probe.connectToServer(channel_name(database))
    connected = probe.waitForConnected(200)
    probe.abort()
    return connected

