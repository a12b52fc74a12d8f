"""The window on a council laptop: 1366×768 at 100 % and 125 %, and what the tree's columns give the text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect

from tracker.quarters import Quarter
from ui.main_window import FRAME, fit_geometry
from ui.plan_tree.columns import TEXT_SHARE, column_widths
from ui.plan_tree.model import Column

TASKBAR = 40  # Windows' taskbar at the bottom of a 768-pixel screen


def laptop(scale: float) -> QRect:
    """The available area of a 1366×768 screen, in the window's logical pixels."""
    return QRect(0, 0, int(1366 / scale), int((768 - TASKBAR) / scale))


def test_a_window_remembered_larger_or_elsewhere_opens_inside_the_screen():
    available = laptop(1.25)
    fitted = fit_geometry(available, QRect(300, 200, 1500, 900))
    assert available.contains(fitted.adjusted(-FRAME.width() // 2, -(FRAME.height() - FRAME.width() // 2),
                                              FRAME.width() // 2, FRAME.width() // 2))
    assert fit_geometry(QRect(0, 0, 1920, 1040), QRect(100, 100, 1200, 800)) == QRect(100, 100, 1200, 800)


@pytest.mark.parametrize("scale", [1.0, 1.25])
def test_everything_is_reachable_on_a_laptop_screen(window, select, scale, screenshot):
    available = laptop(scale)
    window.setGeometry(fit_geometry(available, QRect(0, 0, 1500, 900)))  # as large as the screen allows
    window.show()
    minimum = window.minimumSizeHint()
    assert minimum.width() + FRAME.width() <= available.width()
    assert minimum.height() + FRAME.height() <= available.height()
    assert window.width() + FRAME.width() <= available.width() and window.height() + FRAME.height() <= available.height()
    window.set_quarter(Quarter(2025, 2))
    select(window, "1.2.8")
    editor = window.panel.editor
    window.panel.start_editing()
    window.panel.editor_scroll.ensureWidgetVisible(editor.save_button)
    button = QRect(editor.save_button.mapTo(window, QPoint(0, 0)), editor.save_button.size())
    assert window.rect().contains(button), "the Save button is out of the window"
    assert window.statusBar().isVisible() and window.rect().contains(window.statusBar().geometry())
    text = window.tree_view.header().sectionSize(Column.TEXT)
    assert text >= 0.3 * window.tree_view.viewport().width()  # «Зміст» gets the room, not a few letters
    screenshot(window, f"laptop_1366x768_{int(scale * 100)}")


@pytest.mark.parametrize("width", [560, 700, 900, 1300])
def test_the_text_column_keeps_the_most_room(width):
    widths = column_widths(width, code=110, percent=100)
    text = width - sum(widths.values())
    assert text >= TEXT_SHARE * width and text >= widths[Column.STATUS]
    assert widths[Column.EXECUTORS] == 0 or widths[Column.UPDATED] == 0 or width >= 900  # the least useful go first
