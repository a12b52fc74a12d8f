"""Starting the window: a database that cannot be opened leads to a choice, never to an exit with «--db»."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QSettings

from tests.helpers import damage_an_index
from tracker.paths import DB_ENV_VAR
from tracker.progress.records import save_progress
from tracker.progress.tree import load_tree
from tracker.quarters import Quarter
from tracker.storage.db import close_database
from tracker.storage.models import History, Progress
from tracker.storage.recovery import DamagedDatabaseError
from ui import app
from ui.database import start_dialog


def _settings(folder):
    return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)


def test_an_unreachable_database_offers_another_and_opens_the_chosen_one(tmp_path, plan_template, monkeypatch):
    asked = []
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(plan_template, other)
    monkeypatch.setattr(start_dialog, "ask_start_choice", lambda reason, tried: asked.append((reason, tried)) or
                        start_dialog.OTHER_FILE)
    monkeypatch.setattr(start_dialog.QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    missing = tmp_path / "usb" / "stick.sqlite3"
    missing.parent.mkdir()
    missing.write_text("це не база " * 300, encoding="utf-8")  # the stick's file is unreadable
    opened = app.open_first_database(str(missing), _settings(tmp_path))
    try:
        plan, database, _, _ = opened
        assert database == str(other) and plan.measures.count() == 233
        assert asked and asked[0][1] == str(missing) and "stick.sqlite3" in asked[0][0]
    finally:
        close_database()


def test_the_default_database_is_offered_too(tmp_path, monkeypatch):
    """The computer's own file, even when the environment names the unreachable one."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr("sys.platform", "linux")
    default = tmp_path / "data" / "LutskPlanTracker" / "tracker.sqlite3"
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "broken.sqlite3"))
    monkeypatch.setattr(start_dialog, "ask_start_choice", lambda reason, tried: start_dialog.LOCAL)
    broken = tmp_path / "broken.sqlite3"
    broken.write_text("зламано " * 300, encoding="utf-8")
    plan, database, _, _ = app.open_first_database(str(broken), _settings(tmp_path))
    try:
        assert database == str(default) and plan.measures.count() == 233  # made with the bundled plan
    finally:
        close_database()


def test_quitting_at_the_choice_opens_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(start_dialog, "ask_start_choice", lambda reason, tried: None)
    broken = tmp_path / "broken.sqlite3"
    broken.write_text("зламано " * 300, encoding="utf-8")
    assert app.open_first_database(str(broken), _settings(tmp_path)) is None


def test_the_first_start_asks_who_works_and_remembers_it(qapp, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QInputDialog

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    asked = []

    def answer(parent, title, label, **kwargs):
        asked.append(kwargs.get("text"))
        return "  Олена\tКовальчук, ДЕП ", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    assert app.user_name(settings) == "Олена Ковальчук, ДЕП"  # one clean line, as every name in the history
    assert app.user_name(settings) == "Олена Ковальчук, ДЕП" and asked == [app.getpass.getuser()]  # asked once
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("", False))
    fresh = QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat)
    assert app.user_name(fresh) == app.getpass.getuser()  # declined: the login, asked again next time
    assert fresh.value("user/name", "", str) == ""


def test_an_error_in_a_worker_thread_reaches_the_user_on_the_gui_thread(qapp, qtbot, monkeypatch):
    import sys
    import threading

    from ui import errors_dialog

    shown = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(errors_dialog, "show_error",
                        lambda summary, details: shown.append((summary, details, threading.current_thread())))
    errors_dialog.watch_for_errors(qapp)
    worker = threading.Thread(target=lambda: {}["немає"])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    summary, details, thread = shown[0]
    assert summary.startswith("KeyError") and "Traceback" in details
    assert thread is threading.main_thread()


def test_the_old_settings_come_along_pointed_at_the_moved_database(qapp, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    old, new = tmp_path / "Roaming" / "LutskPlanTracker", tmp_path / "Local" / "LutskPlanTracker"
    new.mkdir(parents=True)
    (new / "tracker.sqlite3").touch()  # moved at this start
    legacy = QSettings(str(tmp_path / "Roaming" / "PlanTracker.ini"), QSettings.Format.IniFormat)
    legacy.setValue("user/name", "Олена Ковальчук")
    legacy.setValue("database/path", str(old / "tracker.sqlite3"))
    legacy.setValue("database/recent", [str(old / "tracker.sqlite3"), str(tmp_path / "usb.sqlite3")])
    legacy.sync()
    monkeypatch.setattr(app, "legacy_settings", lambda: legacy)
    monkeypatch.setattr(app, "legacy_data_dir", lambda: old)
    monkeypatch.setattr(app, "user_data_dir", lambda: new)
    monkeypatch.setattr(app, "settings_file", lambda: new / "settings.ini")
    settings = app.make_settings()
    assert settings.fileName() == str(new / "settings.ini") and (new / "settings.ini").is_file()
    assert settings.value("user/name") == "Олена Ковальчук"
    assert settings.value("database/path") == str(new / "tracker.sqlite3")
    assert settings.value("database/recent") == [str(new / "tracker.sqlite3"), str(tmp_path / "usb.sqlite3")]


def test_the_window_icon_has_every_drawn_size(qapp):
    from ui.images import app_icon

    sizes = {size.width() for size in app_icon().availableSizes()}
    assert sizes == {16, 24, 32, 48, 64, 128, 256}


def test_a_database_with_a_damaged_index_opens_to_be_read_and_refuses_every_write(qtbot, tmp_path, plan_template):
    """Damage the quick check at opening does not see (an index that no longer matches its table) is found by the
    full check the start runs beside the window: the plan is shown, nothing is written, no copy is made of it."""
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copyfile(plan_template, damaged)
    damage_an_index(damaged)
    plan, _, check, _ = app.open_first_database(str(damaged), _settings(tmp_path))
    try:
        assert plan.measures.count() == 233  # read while the full check runs
        found = []
        check.handle_with(found.append)
        qtbot.waitUntil(lambda: check.done, timeout=30_000)
        assert len(found) == 1 and "measure_removed_by_id" in str(found[0]) and "не записуються" in str(found[0])
        measure = plan.measures.first()
        for _ in range(2):  # refused each time, not only while the check was running
            with pytest.raises(DamagedDatabaseError):
                save_progress(measure, Quarter(2025, 1), {"percent": 10}, author="тест")
        assert not Progress.select().exists() and not History.select().exists()
        assert not list((tmp_path / "backups").glob("*.sqlite3"))  # a damaged copy would push whole ones out
    finally:
        close_database()


def test_the_window_shows_the_tree_read_beside_the_check_and_does_not_read_it_again(qtbot, tmp_path, plan_template,
                                                                                    monkeypatch):
    from ui.main_window import MainWindow

    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    settings = _settings(tmp_path)
    settings.setValue("view/quarter", "2025Q3")  # the quarter shown last time
    plan, _, check, tree = app.open_first_database(str(path), settings)
    reads = []
    monkeypatch.setattr(MainWindow, "_load_tree", lambda self: reads.append(self) or load_tree(self.plan))
    try:
        assert tree.quarter == Quarter(2025, 3) and len(tree.measures()) == 233
        window = MainWindow(plan, settings, str(path), tree=tree)
        qtbot.addWidget(window)
        assert window.model.tree is tree and window.quarter == Quarter(2025, 3) and reads == []
        settings.setValue("view/show_removed", True)  # a tree that is not what the window shows is not taken
        other = MainWindow(plan, settings, str(path), tree=tree)
        qtbot.addWidget(other)
        assert other.model.tree is not tree and len(reads) == 1
        qtbot.waitUntil(lambda: check.done, timeout=30_000)
    finally:
        close_database()


def test_a_file_chosen_at_the_start_instead_of_the_office_server_is_not_opened_at_the_next(tmp_path):
    """A wrong password, «Типова база» chosen: every later start opened the local file without a word."""
    settings = _settings(tmp_path)
    server = "postgresql://olga@office.lutsk.local:5432/tracker"
    settings.setValue("database/path", server)
    assert app.remember_opened(settings, server, str(tmp_path / "tracker.sqlite3")) is True
    assert settings.value("database/path") == server
    assert app.remember_opened(settings, server, "postgresql://olga@backup.lutsk.local:5432/tracker") is False
    assert settings.value("database/path") == "postgresql://olga@backup.lutsk.local:5432/tracker"
    stick = str(tmp_path / "stick.sqlite3")  # a file not there, another chosen: that one from now on, as before
    assert app.remember_opened(settings, stick, str(tmp_path / "other.sqlite3")) is False
    assert settings.value("database/path") == str(tmp_path / "other.sqlite3")
    assert app.remember_opened(settings, stick, stick) is False
