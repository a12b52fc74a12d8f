"""Long work in a thread behind a progress dialog: the window keeps living, results and errors come back.

No test sleeps: slow work is work that waits until the GUI thread lets it go, which the GUI thread
can only do while the work runs elsewhere and the event loop keeps turning.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from tests.helpers import record_of
from tracker.errors import TrackerError
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage.models import database
from ui import background
from ui.background import run_with_progress

# how long blocked work waits for the GUI thread before the test gives up: only reached when the
# GUI thread is not running its event loop, i.e. when the behaviour under test is broken
GIVE_UP_S = 10


class Held:
    """Work that holds until released: ``work`` blocks on an event only another thread can set."""

    def __init__(self):
        self.started = threading.Event()
        self.released = threading.Event()

    def work(self):
        self.started.set()
        if not self.released.wait(GIVE_UP_S):
            raise AssertionError("the work was never released: the GUI thread's event loop did not run")
        return "готово"


def on_gui_thread(step, every_ms=10):
    """Call ``step()`` from a GUI-thread timer until it returns True; returns the timer (stop it)."""
    timer = QTimer()

    def tick():
        if step():
            timer.stop()

    timer.timeout.connect(tick)
    timer.start(every_ms)
    return timer


class PaintCounter(QObject):
    def __init__(self, widget):
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def visible_progress_dialogs():
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_work_runs_in_another_thread_on_its_own_connection_and_its_result_comes_back(window):
    main_connection = database.connection()
    seen = {}

    def work():
        seen["thread"] = threading.current_thread()
        seen["connection"] = database.connection()
        save_progress(find_measure(window.plan, "1.1.1"), Quarter(2025, 2), {"status": "in_progress", "percent": 35},
                      author="потік")
        return "готово"

    assert run_with_progress(window, "Праця", "Працюю…", work) == "готово"
    assert seen["thread"] is not threading.main_thread()
    assert seen["connection"] is not main_connection
    assert record_of("1.1.1", Quarter(2025, 2)).percent == 35  # the main thread's connection sees the committed write


def test_work_on_files_opens_no_connection_of_its_own(window):
    """A damaged file mended with the database closed: a connection the thread opened held it while it was moved,
    and, the last to close, could write the WAL beside it into the file."""
    seen = {}

    def work():
        seen["thread"] = threading.current_thread()
        seen["closed"] = database.is_closed()
        return "готово"

    assert run_with_progress(window, "Праця", "Працюю…", work, connected=False) == "готово"
    assert seen["thread"] is not threading.main_thread() and seen["closed"]


def test_an_error_in_the_work_reaches_the_caller(window):
    def work():
        raise TrackerError("Пакет пошкоджено. Нічого не змінено.")

    with pytest.raises(TrackerError, match="пошкоджено"):
        run_with_progress(window, "Праця", "Працюю…", work)


def test_slow_work_shows_a_busy_dialog_and_the_window_keeps_painting(window, monkeypatch, screenshot):
    monkeypatch.setattr(background, "SHOW_AFTER_MS", 50)
    held, shown = Held(), []
    paints = PaintCounter(window)
    painted_before = []

    def look():
        """While the work holds: wait for the dialog, then for a repaint of the window; then release."""
        if not held.started.is_set():
            return False
        dialogs = visible_progress_dialogs()
        if not dialogs:
            return False
        if not shown:
            shown.append(dialogs[0].labelText())
            screenshot(dialogs[0], "busy_import")
            painted_before.append(paints.count)
            window.update()
            return False
        if paints.count == painted_before[0]:
            return False
        held.released.set()
        return True

    timer = on_gui_thread(look)
    try:
        result = run_with_progress(window, "Імпорт пакета змін", "Об'єднання змін з пакета «ноутбук.trackerpkg»…",
                                   held.work)
    finally:
        timer.stop()
    assert result == "готово"  # released by the GUI thread after it showed the dialog and repainted
    assert shown == ["Об'єднання змін з пакета «ноутбук.trackerpkg»…"]
    assert visible_progress_dialogs() == []


def test_the_window_takes_no_input_and_does_not_close_while_work_runs(window):
    held, seen = Held(), {}

    def try_to_close():
        if not held.started.is_set():
            return False
        seen["busy"] = background.busy()
        seen["enabled"] = window.isEnabled()
        seen["closed"] = window.close()
        held.released.set()
        return True

    timer = on_gui_thread(try_to_close)
    try:
        assert run_with_progress(window, "Праця", "Працюю…", held.work) == "готово"
    finally:
        timer.stop()
    assert seen == {"busy": True, "enabled": False, "closed": False}
    assert window.isEnabled() and window.isVisible() and not background.busy()
