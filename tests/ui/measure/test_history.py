"""A measure's history in the panel: every change, and which of them the record does not hold."""

from PySide6.QtWidgets import QApplication

from tests.ui.helpers import laptop_conflict
from tracker.quarters import Quarter

Q = Quarter(2025, 2)


def _changes(window) -> list[tuple[str, bool, str]]:
    """(Було → стало, in italics, tooltip) of each row of «Усі зміни»."""
    table = window.panel.history.changes_table
    return [(table.item(row, 2).text(), table.item(row, 2).font().italic(), table.item(row, 2).toolTip())
            for row in range(table.rowCount())]


def test_a_packages_change_the_record_does_not_hold_is_said_not_applied(window, tmp_path, no_modal_dialogs, select):
    """The laptop's side of a conflict read in the history as an ordinary change, as if the record held it."""
    assert laptop_conflict(window, tmp_path, no_modal_dialogs, Q, "Старостат Прилуцьке")[2].conflicts == 1

    window.set_quarter(Q)
    select(window, "2.2.2")
    window.panel.tabs.setCurrentWidget(window.panel.history)
    QApplication.processEvents()
    changes = _changes(window)
    [laptops] = [change for change in changes if "55" in change[0]]
    assert laptops[0].endswith("(не застосовано)") and laptops[1] and "Конфлікти обміну" in laptops[2]
    [offices] = [change for change in changes if change[0].startswith("10 % → 70")]
    assert not offices[0].endswith("(не застосовано)") and not offices[1]
