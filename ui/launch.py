"""The window's entry point (``python main.py``, the ``lutsk-tracker`` launcher): the arguments first, Qt after."""

from __future__ import annotations

import argparse
import io
import os
import sys

from tracker import __version__
from tracker.cli.ukrainian_argparse import UkrainianArgumentParser
from tracker.paths import DB_ENV_VAR


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = UkrainianArgumentParser(prog="lutsk-tracker", version=f"lutsk-tracker {__version__}",
                                     description="Трекер Плану заходів Стратегії розвитку Луцької громади")
    parser.add_argument("--db", metavar="ШЛЯХ_АБО_АДРЕСА",  # as the command line names it
                        help=f"база даних (типово — змінна {DB_ENV_VAR}, остання відкрита база або файл у теці даних користувача)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    said = _give_streams_when_windowed()
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as done:  # --help, --version, or a mistyped argument: said, then the program ends
        if said is not None and said.getvalue().strip():
            show_without_console(said.getvalue().strip(), failed=bool(done.code))
        raise
    finally:
        if said is not None:  # from now on what is printed goes nowhere; what matters is in the journal
            sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the process)
    from .app import run  # Qt is loaded only once the arguments are understood

    return run(args.db)


def _give_streams_when_windowed() -> io.StringIO | None:
    """A windowed program on Windows (the frozen lutsk-tracker.exe, pythonw) has no console: sys.stdout and
    sys.stderr are None, and the first write (``--help``, a library's warning) would end it with nothing
    shown. What the arguments' reading prints is kept instead (returned), to be shown in a message box: a shortcut
    with a mistyped «--db» had closed the program at once without a word."""
    if sys.stdout is not None and sys.stderr is not None:
        return None
    said = io.StringIO()
    sys.stdout = sys.stderr = said
    return said


def show_without_console(text: str, failed: bool) -> None:
    """What the launcher would have printed, in a message box (there is no console to print it to)."""
    from PySide6.QtWidgets import QApplication, QMessageBox  # Qt only for the box: the arguments come first

    app = QApplication.instance() or QApplication([])  # noqa: F841 (a box needs the application)
    box = QMessageBox.critical if failed else QMessageBox.information
    box(None, "Трекер Плану заходів", text)
