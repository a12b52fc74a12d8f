"""Helpers the window's tests share."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from tracker.exchange.sync import export_package
from tracker.progress.records import find_measure, save_progress
from tracker.storage import backup
from tracker.storage.models import database


def reads_whole(edit, text: str) -> bool:
    """Does ``text`` fit in the line edit's room for text: its contents less its text margins and the 2 px QLineEdit
    keeps on each side?"""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame  # Qt's own style types, only for this measure

    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    room = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    return edit.fontMetrics().horizontalAdvance(text) <= room.width() - margins.left() - margins.right() - 4


def tree_rows(model, parent=QModelIndex()):
    """Every row's first cell under ``parent``, depth first, in the plan's order."""
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from tree_rows(model, index)


def fill_form(editor, status="Виконується", percent=60, note="Погоджено 3 проєкти", planned=""):
    """Type a quarter's report into the measure form, as a coordinator would."""
    editor.status_combo.setCurrentIndex(editor.status_combo.findText(status))
    editor.percent_spin.setValue(percent)
    editor.note_edit.setPlainText(note)
    if planned:
        editor.planned_edit.setText(planned)


def laptop_conflict(window, tmp_path, no_modal_dialogs, quarter, device: str):
    """One conflict, as the window meets it: the office saves 2.2.2 at 10 %, a laptop set up from a copy of its file
    sets 55 %, the office meanwhile 70 %; the laptop's package is imported in the window, its key trusted when asked.
    Returns (the office's file, the laptop's file, the import's result)."""
    office = database.obj.database
    laptop = tmp_path / "laptop.sqlite3"
    save_progress(find_measure(window.plan, "2.2.2"), quarter, {"status": "in_progress", "percent": 10}, author="офіс")
    backup.backup_to(laptop)
    assert window.database.switch_database(str(laptop))
    save_progress(find_measure(window.plan, "2.2.2"), quarter, {"percent": 55}, author="Лаптоп")
    package = export_package(tmp_path / "laptop.trackerpkg", device).path
    assert window.database.switch_database(office)
    save_progress(find_measure(window.plan, "2.2.2"), quarter, {"percent": 70}, author="офіс")
    no_modal_dialogs["confirm"].append(True)
    return office, laptop, window.exchange.import_package_file(str(package))
