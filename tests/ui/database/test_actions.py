"""Файл → Відкрити: another database's plan, its tree read while SQLite's quick check of the file runs beside it."""

from __future__ import annotations

import shutil

from tests.helpers import backup_checks, damage_pages_of
from tracker.quarters import Quarter
from tracker.storage.models import Measure, database


def test_the_other_file_s_tree_is_read_once_at_the_quarter_shown(window, tmp_path, plan_template, monkeypatch):
    other = tmp_path / "laptop.sqlite3"
    shutil.copyfile(plan_template, other)
    window.set_quarter(Quarter(2026, 2))
    reads = []
    real = type(window)._load_tree
    monkeypatch.setattr(type(window), "_load_tree", lambda self: reads.append(self) or real(self))
    assert window.database.switch_database(str(other))
    assert reads == [] and window.quarter == Quarter(2026, 2) and window.model.tree.quarter == Quarter(2026, 2)
    assert window.model.tree.plan_id == window.plan.id and window.model.measure_count() == 233


def test_damage_found_beside_the_reading_keeps_the_open_database(window, tmp_path, plan_template, no_modal_dialogs):
    damaged = tmp_path / "laptop.sqlite3"
    shutil.copyfile(plan_template, damaged)
    damage_pages_of(damaged, "history_event_uid")  # the reading reads on; the check finds it
    shown, tree, opened = window.database_label, window.model.tree, database.obj
    assert not window.database.switch_database(str(damaged))
    kind, _, text = no_modal_dialogs["messages"][-1]
    assert kind == "critical" and "пошкоджено" in text
    assert window.database_label == shown and window.model.tree is tree
    assert database.obj is opened and not opened.is_closed() and Measure.select().count() == 233


def test_once_the_other_file_s_full_check_found_it_whole_an_import_s_copy_is_read_back_quickly(
        window, tmp_path, plan_template, no_modal_dialogs, qtbot, monkeypatch):
    from tracker.exchange.sync import export_package  # noqa: I001 (the package this test imports)
    from tracker.progress.records import find_measure, save_progress
    from tracker.storage import backup
    from ui.database.full_check import FullCheck

    office, laptop = tmp_path / "office.sqlite3", tmp_path / "laptop.sqlite3"
    shutil.copyfile(plan_template, office)
    assert window.database.switch_database(str(office))
    backup.backup_to(laptop)  # the laptop is set up from a copy of the office database
    assert window.database.switch_database(str(laptop))
    save_progress(find_measure(window.plan, "1.1.1"), Quarter(2025, 2), {"status": "in_progress", "percent": 30},
                  author="Лаптоп")
    package = export_package(tmp_path / "laptop.trackerpkg", "Старостат").path
    assert window.database.switch_database(str(office))
    check = window.findChildren(FullCheck)[-1]
    qtbot.waitUntil(lambda: check.done, timeout=30_000)  # the full check of the file Файл → Відкрити opened
    runs = backup_checks(monkeypatch)
    no_modal_dialogs["confirm"].append(True)  # the laptop's key
    result = window.exchange.import_package_file(str(package))
    # the copies beside the merges (the first one stopped at the unknown key): the quick check, not a second full one
    assert result.applied == 2 and runs and not any(runs)
    assert [b.reason for b in backup.list_backups()][0] == "import"
