"""A measure's history in the panel: every change, and which of them the record does not hold."""

from PySide6.QtWidgets import QApplication

from tracker.exchange.sync import export_package
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage import backup
from tracker.storage.models import database

Q = Quarter(2025, 2)


def _changes(window) -> list[tuple[str, bool, str]]:
    """(Було → стало, in italics, tooltip) of each row of «Усі зміни»."""
    table = window.panel.history.changes_table
    return [(table.item(row, 2).text(), table.item(row, 2).font().italic(), table.item(row, 2).toolTip())
            for row in range(table.rowCount())]


def test_a_packages_change_the_record_does_not_hold_is_said_not_applied(window, tmp_path, no_modal_dialogs, select):
    """The laptop's side of a conflict read in the history as an ordinary change, as if the record held it."""
    office = database.obj.database
    laptop = tmp_path / "laptop.sqlite3"
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"status": "in_progress", "percent": 10}, author="офіс")
    backup.backup_to(laptop)
    assert window.database.switch_database(str(laptop))
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"percent": 55}, author="Лаптоп")
    package = export_package(tmp_path / "laptop.trackerpkg", "Старостат Прилуцьке").path
    assert window.database.switch_database(office)
    save_progress(find_measure(window.plan, "2.2.2"), Q, {"percent": 70}, author="офіс")
    no_modal_dialogs["confirm"].append(True)
    assert window.exchange.import_package_file(str(package)).conflicts == 1

    window.set_quarter(Q)
    select(window, "2.2.2")
    window.panel.tabs.setCurrentWidget(window.panel.history)
    QApplication.processEvents()
    changes = _changes(window)
    [laptops] = [change for change in changes if "55" in change[0]]
    assert laptops[0].endswith("(не застосовано)") and laptops[1] and "Конфлікти обміну" in laptops[2]
    [offices] = [change for change in changes if change[0].startswith("10 % → 70")]
    assert not offices[0].endswith("(не застосовано)") and not offices[1]
