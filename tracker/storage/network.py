"""Is a database file on a network share? SQLite's WAL needs shared memory that network file systems do not give.

SQLite says plainly: WAL does not work over a network file system, and locking there is unreliable,
so two PCs writing one file on a share can damage it. The office server (PostgreSQL) is the way to
share; a share is at most a place to carry a copy.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FILE_SYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "9p", "afs", "davfs",
                        "fuse.davfs2", "ncpfs", "glusterfs", "ceph", "fuse.rclone"}


def on_network_share(path: str | Path, mounts: str | None = None) -> bool:
    """True when ``path`` is on a network share (UNC path, mapped network drive, or a network mount)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        return _windows_remote_drive(text)
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    return _posix_mount_type(Path(text), mounts) in NETWORK_FILE_SYSTEMS


def _posix_mount_type(path: Path, mounts: str) -> str:
    """The file system type of the deepest mount point holding ``path``."""
    target = os.path.realpath(path.parent if not path.exists() else path)
    best, kind = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def _windows_remote_drive(text: str) -> bool:
    import ctypes  # here: Windows only

    drive = os.path.splitdrive(os.path.abspath(text))[0]
    if not drive:
        return False
    DRIVE_REMOTE = 4
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE


def network_warning(target: str | Path) -> str | None:
    """The warning for an SQLite database file on a network share (None for a local file or a server)."""
    from ..i18n import tr  # here: the detection above stands on its own
    from .db import sqlite_file  # likewise

    path = sqlite_file(target)
    if path is None or not on_network_share(path):
        return None
    return tr("База даних «{path}» лежить на мережевій теці. SQLite не працює надійно на мережевих файлових "
              "системах: одночасна робота кількох комп'ютерів із цим файлом може його пошкодити. Для спільної "
              "роботи кількох ПК скористайтеся сервером бази (PostgreSQL); для однієї людини тримайте базу в "
              "локальній теці.", path=path)
