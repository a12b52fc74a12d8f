"""Who the command line writes into the history: the name the window asked at its first start, else on the server the
name its administrator gave the login, else the login."""

from __future__ import annotations

import configparser
import getpass

from ..access.rights import server_name
from ..paths import settings_file


def default_author() -> str:
    """The window's «user/name» setting (the same person at the same PC), else the server's name of the login, else
    the operating-system login."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(settings_file(), encoding="utf-8")
        name = parser.get("user", "name", fallback="").strip()
    except (configparser.Error, OSError, UnicodeDecodeError):
        name = ""
    if len(name) >= 2 and name[0] == name[-1] == '"':  # Qt quotes a value with a comma in it
        name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return name or server_name() or getpass.getuser()
