"""Long work in a thread behind a progress dialog: the window keeps living, results and errors come back."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from tracker.errors import TrackerError
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage.models import Progress, database
from ui import background
from ui.background import run_with_progress


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
    record = Progress.get((Progress.measure == find_measure(window.plan, "1.1.1")) & (Progress.quarter == 2))
    assert record.percent == 35  # the main thread's connection sees the committed write


def test_an_error_in_the_work_reaches_the_caller(window):
    def work():
        raise TrackerError("Пакет пошкоджено. Нічого не змінено.")

    with pytest.raises(TrackerError, match="пошкоджено"):
        run_with_progress(window, "Праця", "Працюю…", work)


def test_slow_work_shows_a_busy_dialog_and_the_window_keeps_painting(window, monkeypatch, screenshot):
    monkeypatch.setattr(background, "SHOW_AFTER_MS", 50)
    ticks, shown = [], []

    def look():
        ticks.append(time.monotonic())
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        if dialogs and not shown:
            shown.append(dialogs[0].labelText())
            screenshot(dialogs[0], "busy_import")

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(100)
    try:
        run_with_progress(window, "Імпорт пакета змін", "Об'єднання змін з пакета «ноутбук.trackerpkg»…",
                          lambda: time.sleep(1.0))
    finally:
        timer.stop()
    assert len(ticks) >= 5  # the GUI thread's timers ran while the work went on
    assert shown == ["Об'єднання змін з пакета «ноутбук.trackerpkg»…"]


def test_the_window_takes_no_input_and_does_not_close_while_work_runs(window, monkeypatch):
    monkeypatch.setattr(background, "SHOW_AFTER_MS", 50)
    seen = {}

    def try_to_close():
        seen["enabled"] = window.isEnabled()
        seen["closed"] = window.close()

    QTimer.singleShot(100, try_to_close)
    run_with_progress(window, "Праця", "Працюю…", lambda: time.sleep(0.5))
    assert seen == {"enabled": False, "closed": False}
    assert window.isEnabled() and window.isVisible() and not background.busy()
