"""Файл → Відкрити: another database's plan, its tree read while SQLite's quick check of the file runs beside it."""

from __future__ import annotations

import shutil

from tests.helpers import damage_pages_of
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
