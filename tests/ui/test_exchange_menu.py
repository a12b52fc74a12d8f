"""Файл → Експорт/Імпорт пакета змін… and the conflicts dialog, between two real databases."""

from tracker import backup
from tracker.exchange import export_package
from tracker.models import Progress, database
from tracker.progress import find_measure, save_progress
from tracker.quarters import Quarter
from ui.exchange_conflicts import ConflictsDialog

Q = Quarter(2025, 2)


def _record(window, code):
    return Progress.get_or_none((Progress.measure == find_measure(window.plan, code)) & (Progress.year == 2025)
                                & (Progress.quarter == 2))


def test_laptop_package_is_imported_and_conflicts_resolved(window, tmp_path, no_modal_dialogs, qtbot, screenshot):
    office = database.obj.database
    laptop = tmp_path / "laptop.sqlite3"
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"status": "in_progress", "percent": 10}, author="офіс")
    backup.backup_to(laptop)  # the laptop is set up from a copy of the office database

    assert window.menus.switch_database(str(laptop))
    save_progress(find_measure(window.plan, "1.1.1"), Q, {"status": "in_progress", "percent": 30}, author="Лаптоп")
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"percent": 55}, author="Лаптоп")
    package = export_package(tmp_path / "laptop.trackerpkg", "Старостат Прилуцьке").path

    assert window.menus.switch_database(office)
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"percent": 70}, author="офіс")  # both changed it
    result = window.menus.import_package_file(str(package))
    assert result.applied >= 1 and result.conflicts == 1
    assert _record(window, "1.1.1").percent == 30  # a field changed on one side only: taken
    assert _record(window, "2.2.2").percent == 70  # both changed: not decided silently
    dialog = no_modal_dialogs["dialogs"][-1]
    assert isinstance(dialog, ConflictsDialog) and dialog.table.rowCount() == 1
    assert "55" in dialog.table.item(0, 4).text() and "Лаптоп" in dialog.table.item(0, 4).text()
    assert "70" in dialog.table.item(0, 3).text()
    dialog.show()
    screenshot(dialog, "exchange_conflicts")
    assert dialog.resolve_selected("incoming")
    assert dialog.table.rowCount() == 0
    assert _record(window, "2.2.2").percent == 55

    again = window.menus.import_package_file(str(package))  # twice: nothing changes
    assert again.applied == 0 and again.conflicts == 0


def test_a_damaged_package_is_refused_with_a_message(window, tmp_path, no_modal_dialogs):
    bad = tmp_path / "bad.trackerpkg"
    bad.write_bytes(b"\x1f\x8b garbage")
    before = Progress.select().count()
    assert window.menus.import_package_file(str(bad)) is None
    assert no_modal_dialogs["messages"][-1][0] == "warning"
    assert Progress.select().count() == before
