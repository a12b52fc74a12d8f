"""Files the program hands to people: written whole (a temporary file, then renamed), readable as any other."""

from __future__ import annotations

import os
from pathlib import Path


def usual_permissions(path: str | Path) -> None:
    """The permissions a new file gets by the user's umask (usually 0644).

    tempfile.mkstemp makes 0600 files, private to their owner: a report or a package put in a shared
    folder could then not be opened by the colleague it was meant for.
    """
    if os.name == "nt":
        return  # Windows has no mode bits to speak of: the folder's rights decide
    mask = os.umask(0o022)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)
