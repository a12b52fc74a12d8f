"""argparse in Ukrainian: the usage line, the section titles and the help and version options.

argparse writes its own words in English («usage:», «options», «show this help message and exit»);
the council's staff read the rest of the help in Ukrainian, so these are too. Errors keep exit code 2.
"""

from __future__ import annotations

import argparse
import sys


class UkrainianHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="Використання: " if prefix is None else prefix)


class UkrainianArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, version: str | None = None, **kwargs):
        kwargs.setdefault("formatter_class", UkrainianHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "аргументи"
        self._optionals.title = "параметри"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="показати цю довідку й вийти")
        if version is not None:
            self.add_argument("--version", action="version", version=version, help="показати версію програми й вийти")

    def error(self, message):  # argparse speaks English; say it in Ukrainian and keep exit code 2
        self.print_usage(sys.stderr)
        self.exit(2, f"Помилка у параметрах: {message}. Довідка: {self.prog} --help\n")
