"""Small dialogs of the window (ui.dialogs)."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle, QStyleOptionFrame

from ui.dialogs import SettingsDialog


def test_the_settings_show_a_name_with_its_department_whole(qtbot):
    """«ha Petrenko (osvita)»: the field was as wide as the language's combo, and a name with its department cut."""
    name = "Ольга Петренко (Департамент освіти)"
    dialog = SettingsDialog("uk", name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.name_edit
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    room = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    assert edit.fontMetrics().horizontalAdvance(name) <= room.width()
