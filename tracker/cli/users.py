"""Command line for the office server's people: ``tracker users add|list|remove``."""

from __future__ import annotations

import argparse
import getpass
import sys

from ..access.rights import ROLE_LABELS
from ..access.users import add_user, check_password, list_users, remove_user
from ..errors import ValidationError
from ..i18n import tr
from .author import default_author


def add_arguments(subparsers) -> None:
    parser = subparsers.add_parser("users", help="користувачі бази на сервері PostgreSQL: логіни, ролі, підрозділи")
    actions = parser.add_subparsers(dest="users_command", metavar="ДІЯ", parser_class=type(parser))
    actions.required = True
    p = actions.add_parser("add", help="додати користувача (власний логін і пароль на сервері)")
    p.add_argument("login", help="логін: латинські малі літери, цифри, «_», «.», «-» (напр. o.petrenko)")
    p.add_argument("--role", required=True, choices=("coordinator", "monitor", "admin"),
                   help="coordinator — заходи своїх підрозділів; monitor — усі заходи, звіти й пакети; "
                        "admin — також план і користувачі")
    p.add_argument("--department", action="append", default=[], metavar="НАЗВА",
                   help="підрозділ координатора (можна кілька разів); назва як у «tracker executors»")
    p.add_argument("--name", default="", help="ім'я та прізвище, як показувати в історії")
    p.add_argument("--password-stdin", action="store_true",
                   help="прочитати пароль з першого рядка стандартного вводу (без нього — спитати двічі)")
    actions.add_parser("list", help="користувачі цієї бази та їхні ролі")
    p = actions.add_parser("remove", help="вилучити користувача з цієї бази")
    p.add_argument("login")


def run(args: argparse.Namespace) -> int:
    if args.users_command == "list":
        return _list()
    if args.users_command == "remove":
        dropped = remove_user(args.login)
        print(tr("Користувача «{login}» вилучено з бази.", login=args.login) + " " + (
            tr("Його логін на сервері видалено.") if dropped else
            tr("Його логін на сервері залишився: ним користуються інші бази сервера.")))
        return 0
    password = _password(args)
    user = add_user(args.login, args.role, departments=args.department, password=password,
                    display_name=args.name, author=default_author())
    print(tr("Додано користувача «{login}»: {role}.", login=user.login, role=tr(ROLE_LABELS[user.role]))
          + (" " + tr("Підрозділи: {names}.", names="; ".join(user.departments)) if user.departments else ""))
    return 0


def _password(args) -> str | None:
    if args.password_stdin:  # an empty line: a login already on the server, which keeps its own password
        line = sys.stdin.readline()
        return (line[:-1] if line.endswith("\n") else line) or None
    if not sys.stdin.isatty():
        raise ValidationError(tr("Пароль нового користувача не задано: введіть його, коли програма спитає, або "
                                 "передайте першим рядком стандартного вводу."), hint="password_stdin")
    first = getpass.getpass(tr("Пароль для «{login}» (порожній — логін уже є на сервері): ", login=args.login))
    if not first:
        return None
    check_password(first)
    return check_password(first, getpass.getpass(tr("Ще раз: ")))


def _list() -> int:
    users = list_users()
    if not users:
        print(tr("У базі ще немає користувачів, крім власника. Додайте: «tracker users add ЛОГІН --role …»."))
        return 0
    for user in users:
        line = f"{user.login:<20} {tr(ROLE_LABELS[user.role]):<16}"
        if user.display_name:
            line += f" {user.display_name}"
        if user.departments:
            line += " — " + "; ".join(user.departments)
        if not user.can_log_in:
            line += " " + tr("(логіна на сервері вже немає)")
        print(line)
    return 0
