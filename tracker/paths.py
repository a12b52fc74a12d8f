"""Where things live: the bundled data folder and the one per-user folder (database, backups, settings, journal)."""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

import platformdirs

APP_DIR_NAME = "LutskPlanTracker"
VENDOR = "LutskCityCouncil"
DB_NAME = "tracker.sqlite3"
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
    """This user's folder for everything the program keeps: the database, its backups, the settings, the journal.

    On Windows %LOCALAPPDATA%\\LutskCityCouncil\\LutskPlanTracker — Local, not Roaming: domain policies
    redirect the roaming profile to a file server, where SQLite's locks and WAL are not safe. Elsewhere the
    platform's usual place (the XDG data folder on Linux, Application Support on macOS).
    """
    return platformdirs.user_data_path(APP_DIR_NAME, VENDOR, roaming=False)


def legacy_data_dir() -> Path:
    """Where version 0.1 kept the same things: %APPDATA% (Roaming)\\LutskPlanTracker on Windows; elsewhere it is
    the folder above. tracker.storage.relocation moves what it finds there."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME


def settings_file() -> Path:
    return user_data_dir() / "settings.ini"


def local_database() -> str:
    """This computer's own database: the file in the per-user folder, or an older version's file still in the
    old folder (it was in use when this version started, so it was not moved)."""
    new, old = user_data_dir() / DB_NAME, legacy_data_dir() / DB_NAME
    if not new.exists() and old.is_file():
        return str(old)
    return str(new)


def default_database() -> str:
    """The database the program opens when the user names none: env var, else the per-user file."""
    return os.environ.get(DB_ENV_VAR) or local_database()


def licence_folder() -> Path | None:
    """The folder of the licence texts of the program's parts, which the frozen program carries
    (packaging/lutsk-tracker.spec); None when run from Python, where each installed package holds its own."""
    bundle = getattr(sys, "_MEIPASS", None)
    folder = Path(bundle) / "licenses" if bundle else None
    return folder if folder is not None and folder.is_dir() else None
