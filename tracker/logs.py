"""The program's journal: a rotating log file per user, and every uncaught error written into it.

When something goes wrong on a council PC, the person who helps needs what happened, in order:
start, the database opened, imports and exports, errors with their tracebacks. Hard crashes
(a segfault in Qt) go to the same folder through faulthandler.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
import threading
from pathlib import Path

from . import __version__
from .paths import user_data_dir

LOGGER = "tracker"
MAX_BYTES = 1_000_000
KEPT = 5

log = logging.getLogger(LOGGER)
_crash_file = None


def log_folder() -> Path:
    return user_data_dir() / "logs"


def log_file() -> Path:
    return log_folder() / "tracker.log"


def start_logging(program: str, folder: Path | None = None) -> Path | None:
    """Write the journal to ``folder`` (the per-user log folder); None when it cannot be written there.

    Logging never stops the program: a read-only profile or a full disk only means no journal.
    """
    global _crash_file
    folder = folder or log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(folder / "tracker.log", maxBytes=MAX_BYTES,
                                                       backupCount=KEPT, encoding="utf-8",
                                                       errors="backslashreplace")  # a path's bytes not UTF-8 too
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(threadName)s] %(message)s"))
    root = logging.getLogger(LOGGER)
    for old in [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        if _crash_file is None:
            _crash_file = open(folder / "crash.log", "a", encoding="utf-8")  # noqa: SIM115 (open for the process)
            faulthandler.enable(_crash_file)
    except OSError:
        pass
    log.info("%s %s starts (Python %s)", program, __version__, sys.version.split()[0])
    return folder / "tracker.log"


def install_excepthooks(report=None) -> None:
    """Uncaught exceptions in any thread go to the journal; ``report(text)`` tells the user, if given."""
    def handle(kind, value, trace, thread_name=None):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, trace)
            return
        log.error("uncaught error%s", f" in thread {thread_name}" if thread_name else "",
                  exc_info=(kind, value, trace))
        if report is not None:
            report(kind, value, trace)

    sys.excepthook = handle
    threading.excepthook = lambda args: handle(args.exc_type, args.exc_value, args.exc_traceback,
                                               args.thread.name if args.thread else None)
