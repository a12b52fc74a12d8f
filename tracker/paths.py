"""Where things live: the bundled data folder and the per-user database."""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

APP_DIR_NAME = "LutskPlanTracker"
DB_ENV_VAR = "LUTSK_TRACKER_DB"


def _data_dir() -> Path:
    """data/ of a source checkout, or the same files installed as the package tracker.data (a wheel)."""
    checkout = Path(__file__).resolve().parent.parent / "data"
    if (checkout / "departments.json").is_file():
        return checkout
    installed = files("tracker") / "data"  # a plain directory for an installed wheel
    return Path(str(installed))


DATA_DIR = _data_dir()
BUNDLED_PLAN = DATA_DIR / "plan_2024_2027.txt"
DIRECTORY_FILE = DATA_DIR / "departments.json"


def user_data_dir() -> Path:
    """%APPDATA% on Windows, ~/Library/Application Support on macOS, the XDG data dir elsewhere."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME


def local_database() -> str:
    """This computer's own database: the file in the per-user data folder."""
    return str(user_data_dir() / "tracker.sqlite3")


def default_database() -> str:
    """The database the program opens when the user names none: env var, else the per-user file."""
    return os.environ.get(DB_ENV_VAR) or local_database()
