"""The window's images, from one place: resources/ of a checkout, or the same files installed as ``ui.resources``.

Today that is the application icon, drawn once as resources/icons/lutsk-tracker.svg and rendered to PNG sizes
and a Windows .ico by packaging/make_icons.py (the frozen program and the installer use the .ico).
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

from PySide6.QtGui import QIcon

APP_USER_MODEL_ID = "LutskCityCouncil.PlanTracker"


def resources_dir() -> Path:
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if (checkout / "icons").is_dir():
        return checkout
    return Path(str(files("ui") / "resources"))  # a wheel, or the frozen program's folder


def app_icon() -> QIcon:
    """Every rendered size, so each place (title bar, taskbar, Alt+Tab) picks a crisp one, not a scaled one."""
    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("lutsk-tracker-*.png")):
        icon.addFile(str(png))
    return icon


def claim_taskbar_identity() -> None:
    """On Windows the taskbar groups a process by its AppUserModelID; without one, a window started through
    python.exe shows Python's icon there instead of ours."""
    if sys.platform != "win32":
        return
    import ctypes  # Windows only

    try:
        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_USER_MODEL_ID)
    except (AttributeError, OSError):
        pass  # an older Windows: only the taskbar icon is Python's
