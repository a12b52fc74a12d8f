"""The window's entry point (``python main.py``, the ``lutsk-tracker`` launcher): the arguments first, Qt after."""

from __future__ import annotations

import argparse
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
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from .app import run  # Qt is loaded only once the arguments are understood

    return run(args.db)
