"""The window's entry point (``python main.py``, the ``lutsk-tracker`` launcher): the arguments first, Qt after."""

from __future__ import annotations

import argparse
import os
import sys

from tracker import __version__
from tracker.cli.ukrainian_argparse import UkrainianArgumentParser
from tracker.paths import DB_ENV_VAR


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = UkrainianArgumentParser(prog="lutsk-tracker", version=f"lutsk-tracker {__version__}",
                                     description="Трекер Плану заходів Стратегії розвитку Луцької громади")
    parser.add_argument("--db", metavar="PATH_OR_URL",
                        help=f"база даних (типово — змінна {DB_ENV_VAR}, остання відкрита база або файл у теці даних користувача)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    _give_streams_when_windowed()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from .app import run  # Qt is loaded only once the arguments are understood

    return run(args.db)


def _give_streams_when_windowed() -> None:
    """A windowed program on Windows (the frozen lutsk-tracker.exe, pythonw) has no console: sys.stdout and
    sys.stderr are None, and the first write (``--help``, a library's warning) would end it with nothing
    shown. Such writes go nowhere instead; what matters is in the journal."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 (for the process)
