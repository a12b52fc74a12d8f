"""Qt tests run on the offscreen platform with a real window on a real temporary database."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

SCREENSHOTS = os.path.join(os.path.dirname(__file__), "..", "screenshots")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, plan, settings):
    from ui.main_window import MainWindow

    win = MainWindow(plan, settings, "test.sqlite3")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def screenshot():
    def save(widget, name: str) -> str:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.abspath(os.path.join(SCREENSHOTS, f"{name}.png"))
        assert widget.grab().save(path), f"could not save {path}"
        return path

    return save
