"""The window's one operation path: each change runs through it and says exactly what it changed."""

from __future__ import annotations

import pytest

from tracker.errors import TrackerError
from tracker.exchange.sync import export_package
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage.backup import backup_to
from ui.operations import Changes, Operation

Q = Quarter(2025, 2)


@pytest.fixture
def announced(window):
    seen: list[Changes] = []
    window.operations.changed.connect(seen.append)
    return seen


def test_a_save_announces_its_measure_and_quarter(window, select, announced):
    window.set_quarter(Q)
    select(window, "1.1.3")
    editor = window.panel.editor
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("in_progress"))
    editor.percent_spin.setValue(30)
    assert window.save_current()
    measure_id = find_measure(window.plan, "1.1.3").id
    assert announced == [Changes(frozenset({measure_id}), frozenset({Q}))]


def test_a_refused_operation_announces_nothing_and_reaches_the_caller(window, announced):
    def refuse():
        raise TrackerError("Ні.")

    with pytest.raises(TrackerError, match="Ні."):
        window.operations.run(Operation(refuse))
    assert announced == []


def test_an_operation_that_writes_nothing_announces_no_change(window, announced):
    assert window.operations.run(Operation(lambda: 42)) == 42
    assert announced == [Changes()] and not announced[0]


def test_a_package_import_announces_every_measure_it_changed(window, tmp_path, announced, no_modal_dialogs):
    laptop = tmp_path / "laptop.sqlite3"
    backup_to(laptop)
    assert window.database.switch_database(str(laptop))
    for code, quarter in (("1.1.1", Q), ("2.1.1", Quarter(2025, 3))):
        save_progress(find_measure(window.plan, code), quarter, {"status": "in_progress", "percent": 10}, author="Петро")
    package = export_package(tmp_path / "laptop.trackerpkg", "ноутбук").path
    assert window.database.switch_database(str(tmp_path / "tracker.sqlite3"))
    announced.clear()
    no_modal_dialogs["confirm"].append(True)  # the laptop is trusted once its fingerprint is shown
    window.exchange.import_package_file(str(package))
    ids = {find_measure(window.plan, code).id for code in ("1.1.1", "2.1.1")}
    assert [c for c in announced if c] == [Changes(frozenset(ids), frozenset({Q, Quarter(2025, 3)}))]


def test_a_change_for_a_later_quarter_leaves_the_shown_tree_alone(window, announced, monkeypatch):
    window.set_quarter(Q)
    reloaded = []
    monkeypatch.setattr(window.model, "update_tree", lambda tree, ids: reloaded.append(ids))
    measure = find_measure(window.plan, "1.1.1")
    window.operations.run(Operation(lambda: save_progress(measure, Quarter(2025, 4), {"status": "in_progress"})))
    assert announced[-1].measures == {measure.id} and not announced[-1].shows_in(Q)
    assert reloaded == []
    window.operations.run(Operation(lambda: save_progress(measure, Quarter(2025, 1), {"status": "in_progress"})))
    assert reloaded == [{measure.id}]


def test_a_restore_announces_a_new_plan(window, tmp_path, announced, no_modal_dialogs):
    copy = tmp_path / "copy.sqlite3"
    backup_to(copy)
    no_modal_dialogs["confirm"].append(True)
    assert window.database.restore_from_file(str(copy))
    assert announced == [Changes(plan=True)]
