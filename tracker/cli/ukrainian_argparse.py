"""argparse in Ukrainian: the usage line, the section titles and the help and version options.

argparse writes its own words in English («usage:», «options», «show this help message and exit»);
the council's staff read the rest of the help in Ukrainian, so these are too. Errors keep exit code 2.
"""

from __future__ import annotations

import argparse
import re
import sys

# argparse's own error messages (Python 3.11–3.13), in Ukrainian; anything else is shown as argparse says it
ERRORS = [
    (r"the following arguments are required: (.+)", r"не вказано обов'язкові параметри: \1"),
    (r"unrecognized arguments: (.+)", r"невідомі параметри: \1"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
     r"параметр \1: недопустиме значення \2 (можливі: \3)"),
    (r"argument (\S+): expected one argument", r"параметр \1: потрібне значення"),
    (r"argument (\S+): invalid (\w+) value: (.+)", r"параметр \1: недопустиме значення \3"),
    (r"argument (\S+): not allowed with argument (\S+)", r"параметр \1 не можна поєднувати з \2"),
    (r"one of the arguments (.+) is required", r"потрібен один із параметрів: \1"),
]


def ukrainian(message: str) -> str:
    for pattern, replacement in ERRORS:
        if re.fullmatch(pattern, message):
            return _named(re.sub(pattern, replacement, message))
    return message


def _named(message: str) -> str:
    """A positional parameter by the name the help gives it, a value in Ukrainian quotes: «параметр id: недопустиме
    значення 'abc'» named a parameter the help calls НОМЕР."""
    message = re.sub(r"параметр (\w+)", lambda m: "параметр " + METAVARS.get(m.group(1), m.group(1)), message)
    return re.sub(r"значення '(.*)'$", r"значення «\1»", message)


# what a value is called in the help, by the parameter's name (argparse's own: the name in English capitals)
METAVARS = {
    "author": "ІМ'Я", "name": "ІМ'Я", "person": "ОСОБА", "code": "КОД", "device": "ПРИСТРІЙ", "email": "ПОШТА",
    "executor": "ВИКОНАВЕЦЬ", "file": "ФАЙЛ", "output": "ФАЙЛ", "id": "НОМЕР", "login": "ЛОГІН", "phone": "ТЕЛЕФОН",
    "quarter": "КВАРТАЛ", "value": "ЗНАЧЕННЯ",
}


class UkrainianHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="Використання: " if prefix is None else prefix)

    def _get_default_metavar_for_optional(self, action):
        return METAVARS.get(action.dest) or super()._get_default_metavar_for_optional(action)

    def _get_default_metavar_for_positional(self, action):
        return METAVARS.get(action.dest) or super()._get_default_metavar_for_positional(action)


class UkrainianArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, version: str | None = None, **kwargs):
        kwargs.setdefault("formatter_class", UkrainianHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        # «-0,05» is a value, as «-0.05» is to argparse: a sum written with the decimal comma was taken for an
        # option, and the parameter before it «needed a value»
        self._negative_number_matcher = re.compile(r"^-\d+$|^-\d*[.,]\d+$")
        self._positionals.title = "аргументи"
        self._optionals.title = "параметри"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="показати цю довідку й вийти")
        if version is not None:
            self.add_argument("--version", action="version", version=version, help="показати версію програми й вийти")

    def error(self, message):  # argparse speaks English; say it in Ukrainian and keep exit code 2
        self.print_usage(sys.stderr)
        self.exit(2, f"Помилка у параметрах: {ukrainian(message)}. Довідка: {self.prog} --help\n")
