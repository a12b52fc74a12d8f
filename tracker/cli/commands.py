"""The command line: ``tracker [--db PATH_OR_URL] COMMAND …`` (also ``python -m tracker``)."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import io
import sqlite3
import sys
from urllib.parse import urlsplit

from peewee import DatabaseError, InterfaceError, SqliteDatabase

from .. import __version__
from ..collector import tune_collector
from ..errors import TrackerError
from ..i18n import tr
from ..logs import log, log_file, start_logging
from ..paths import DB_ENV_VAR, default_database
from ..plan.store import current_plan
from ..progress import fields
from ..storage.db import (
    close_database,
    empty_file,
    missing_file,
    missing_text,
    no_file_kept,
    open_and_read,
    open_database,
    sqlite_file,
)
from ..storage.failures import explain
from ..storage.integrity import close_leaving_the_wal
from ..storage.locking import waiting_with
from ..storage.models import database
from ..storage.network import network_warning
from ..storage.postgres import LoginRefused, is_postgres_url, with_password
from ..storage.recovery import DamagedDatabaseError, cut_mend, has_wal, refuse_damaged_file
from ..storage.relocation import settle_user_folder
from ..text import storable
from .backups import restore_damaged, run_backup, run_backups, run_check, run_restore
from .exchange import add_arguments as add_exchange_arguments
from .exchange import run as run_exchange
from .hints import error_text
from .plan import run_check_plan, run_import_plan, run_init, run_plan, run_plan_history
from .progress import run_executors, run_set, run_status
from .reports import run_import_report, run_report
from .server import add_arguments as add_server_arguments
from .server import run_copy_db
from .ukrainian_argparse import UkrainianArgumentParser
from .users import add_arguments as add_users_arguments
from .users import run as run_users
from .waiting import AnnouncedWait


# what a progress field's value is called in the help, by its kind (argparse's own: «PLANNED_FINANCING»)
_VALUE_WORDS = {fields.Kind.CHOICE: "СТАН", fields.Kind.PERCENT: "ВІДСОТОК", fields.Kind.TEXT: "ТЕКСТ",
                fields.Kind.MONEY: "СУМА"}


def build_parser() -> argparse.ArgumentParser:
    parser = UkrainianArgumentParser(prog="tracker", version=f"tracker {__version__}",
                                     description="Трекер виконання Плану заходів Стратегії розвитку Луцької громади.")
    parser.add_argument("--db", metavar="ШЛЯХ_АБО_АДРЕСА",
                        help=f"база даних: шлях до файла SQLite або адреса (типово — змінна {DB_ENV_VAR} "
                             "або файл у теці даних користувача)")
    sub = parser.add_subparsers(dest="command", metavar="КОМАНДА", parser_class=UkrainianArgumentParser)
    sub.required = True

    sub.add_parser("init", help="створити базу й імпортувати вбудований план (повторний запуск нічого не змінює)")

    p = sub.add_parser("import-plan", help="імпортувати план з файла (.docx міської ради, .txt з табуляціями або .xlsx)")
    p.add_argument("file")
    p.add_argument("--check", action="store_true", help="лише перевірити: показати виправлення й аномалії, не записувати")
    p.add_argument("--new-plan", action="store_true",
                   help="файл — інший, новий план (напр. наступний): вести його поруч із планом у базі")
    p.add_argument("--match", action="append", default=[], metavar="СТАРИЙ=НОВИЙ",
                   help="зміни до плану: захід СТАРИЙ з бази — це захід НОВИЙ у файлі (можна кілька разів)")
    p.add_argument("--new", action="append", default=[], metavar="НОВИЙ", dest="new_codes",
                   help="зміни до плану: захід НОВИЙ у файлі — новий захід, а не змінений старий (можна кілька разів)")
    p.add_argument("--apply", action="store_true",
                   help="зміни до плану: застосувати їх (потрібні --decision і --effective); без цього — лише перегляд")
    p.add_argument("--decision", metavar="РІШЕННЯ",
                   help="рішення, яким змінено план, напр. «рішення міської ради від 25.02.2026 № 71/14»")
    p.add_argument("--effective", metavar="КВАРТАЛ", help="з якого кварталу зміни чинні, напр. 2026Q1")
    p.add_argument("--author", help="хто застосовує зміни (типово — "
                                    "ім'я з налаштувань вікна, інакше ім'я логіна на сервері чи користувач системи)")

    sub.add_parser("plan-history", help="зміни до плану: рішення, з якого кварталу чинні, хто застосував, що змінено")

    p = sub.add_parser("plan", help="показати план: цілі, завдання, заходи й виконавців (з --quarter — і стан)")
    p.add_argument("--json", action="store_true", help="у форматі JSON")
    p.add_argument("--quarter", help="стан на квартал, напр. 2025Q1 (план у редакції, чинній тоді; типово — чинний "
                                     "зараз, без стану виконання)")
    p.add_argument("--removed", action="store_true", help="показати й заходи, виключені з плану до цього кварталу")

    p = sub.add_parser("set", help="записати стан заходу за квартал")
    p.add_argument("code", help="код заходу, напр. 1.2.8")
    p.add_argument("--quarter", required=True, help="квартал, напр. 2025Q1")
    for field in fields.FIELDS:
        detail = ""
        if field.kind is fields.Kind.CHOICE:
            detail = ": " + ", ".join(f"«{text}» ({field.as_typed(value)})" for text, value in field.choices())
        elif field.kind is fields.Kind.PERCENT:
            detail = ", %% (0–100)"  # argparse formats help with %
        p.add_argument(field.option, dest=field.name, metavar=_VALUE_WORDS[field.kind],
                       help=field.form_label.replace("&", "").rstrip(":").lower() + detail)
    p.add_argument("--author", help="хто вносить зміни (типово — "
                                    "ім'я з налаштувань вікна, інакше ім'я логіна на сервері чи користувач системи)")

    p = sub.add_parser("status", help="зведення виконання за квартал")
    p.add_argument("--quarter", help="квартал, напр. 2025Q1 (типово — поточний)")
    p.add_argument("--executor", "--department", dest="executor", help="лише заходи цього відповідального виконавця")
    p.add_argument("--by-executor", action="store_true",
                   help="за виконавцями: хто подав, хто ні, коли востаннє (за абеткою)")

    p = sub.add_parser("report", help="квартальний звіт у форматі міської ради (.xlsx)")
    p.add_argument("--quarter", required=True, help="квартал, напр. 2025Q2")
    p.add_argument("--executor", "--department", dest="executor", help="звіт одного відповідального виконавця")
    p.add_argument("--each-department", "--each-executor", dest="each", action="store_true",
                   help="розсилка: окремий звіт кожному виконавцю в теку -o (типово — поточна), перелік файлів "
                        "і готові листи (.eml) тим, у кого вказано пошту")
    p.add_argument("--deadline", metavar="ДД.ММ.РРРР",
                   help="до якої дати повернути звіти (у листах розсилки; типово — 10-те число місяця після кварталу, "
                        "а якщо воно вже минуло, — за тиждень; вихідний переноситься на понеділок)")
    p.add_argument("-o", "--output", help="файл .xlsx (типово — Звіт_<рік>_<N>кв[_виконавець].xlsx у поточній теці)")
    p.add_argument("--overwrite", action="store_true", help="замінити наявний файл звіту (типово — відмовити)")

    p = sub.add_parser("import-report", help="імпортувати заповнені звіти (.xlsx, або теку з ними): спершу "
                                              "перегляд, --apply записує все одним записом")
    p.add_argument("files", nargs="+", metavar="ФАЙЛ|ТЕКА")
    p.add_argument("--apply", action="store_true", help="записати зміни (без цього — лише перегляд)")
    p.add_argument("--quarter", help="очікуваний квартал: файл за інший квартал буде відхилено")
    p.add_argument("--author", help="хто вносить зміни (типово — "
                                    "ім'я з налаштувань вікна, інакше ім'я логіна на сервері чи користувач системи)")

    p = sub.add_parser("backup", help="резервна копія бази в один файл (SQLite)")
    p.add_argument("-o", "--output", required=True, help="файл копії, напр. копія.sqlite3")
    p.add_argument("--overwrite", action="store_true",
                   help="замінити наявний файл, навіть якщо це не копія цієї бази (попередню копію замінює й так)")

    p = sub.add_parser("restore", help="відновити базу з резервної копії (поточний стан спершу копіюється)")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="не питати підтвердження")

    sub.add_parser("backups", help="автоматичні резервні копії бази")

    p = sub.add_parser("check", help="перевірити цілісність бази та її резервних копій (код 1, якщо щось пошкоджено)")
    p.add_argument("--repair", action="store_true",
                   help="відбудувати пошкоджені індекси бази з її записів (без втрат; пошкоджений файл "
                        "збережеться поруч)")

    p = sub.add_parser("executors", aliases=["departments"], help="довідник відповідальних виконавців і їхні контакти")
    p.add_argument("--contact", metavar="ВИКОНАВЕЦЬ",
                   help="змінити контакт цього виконавця (--person, --email, --phone)")
    p.add_argument("--person", help="контактна особа")
    p.add_argument("--email", help="електронна пошта (для листів розсилки)")
    p.add_argument("--phone", help="телефон")
    add_exchange_arguments(sub)
    add_users_arguments(sub)
    add_server_arguments(sub)
    return parser


def command_line(argv: list[str] | None = None) -> int:
    """The ``tracker`` command as a process runs it (the installed script, ``python -m tracker``, ``tracker.exe``):
    ``main`` with the cycle collector set as the window sets it — a command reading the plan's tree (status, plan,
    report) makes it at once. Not in ``main``, which tests and scripts call in a long-lived process."""
    tune_collector()
    return main(argv)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    settle_user_folder()  # before the journal starts: the old folder's journal moves too
    start_logging("command line")
    log.info("tracker %s", args.command)
    try:
        _refuse_undecodable(args)
        if args.command == "import-plan" and args.check:
            return run_check_plan(args)
        if args.command in ("copy-db", "migrate-db"):  # works on the two databases it names, not on --db
            return run_copy_db(args)
        if args.command == "check":  # reads the files, never opens them for work: a damaged one too
            return run_check(args)
        target = args.db or default_database()
        if empty_file(target) and args.command != "init":
            raise TrackerError(tr("Файл «{path}» порожній: бази трекера в ньому ще немає. Нічого не змінено.",
                                  path=target), hint="init")
        keeps_nothing = no_file_kept(target)
        if keeps_nothing:
            raise TrackerError(keeps_nothing + " " + tr("Нічого не записано."), hint="database")
        missing = missing_file(target)
        if missing is not None and args.command not in MAKE_DATABASES:
            raise TrackerError(missing_text(missing) + " " + tr("Нічого не створено й не записано."),
                               hint=None if cut_mend(missing) else "new_database")
        # a WAL left beside the file — a blackout's saves, another program's open work, or another copy's pages that
        # the quick check at opening does not tell from the file's — has the file fully checked before anything is
        # shown or written: one that does not fit is refused, and not written in on closing
        file_path = sqlite_file(target)
        wal_left = file_path is not None and has_wal(file_path)
        try:
            if args.command in READS_ONLY and file_path is not None:
                held = open_and_read(target, _held_output(args))
            else:  # an empty server database is made the tracker's only by the commands that make one
                held = _open(target, new=args.command in MAKE_DATABASES)
        except DamagedDatabaseError as exc:
            if args.command != "restore":
                raise
            return restore_damaged(args, exc)
        warning = network_warning(target)
        if warning:
            print(tr("Увага: {warning}", warning=warning), file=sys.stderr)
        try:
            if wal_left and isinstance(database.obj, SqliteDatabase):
                refuse_damaged_file(database.obj)
            if held is not None:
                code, printed = held
                sys.stdout.write(printed)
                return code
            with waiting_with(AnnouncedWait()):
                return COMMANDS[args.command](args)
        except DamagedDatabaseError:  # found while it worked: its WAL may be the damage, not written in on closing
            if database.obj is not None and not database.is_closed():
                close_leaving_the_wal(database.obj)
            raise
        finally:
            close_database()
    except TrackerError as exc:  # the journal keeps it too: a refusal said once on a terminal is gone for support
        log.warning("«tracker %s» refused: %s", args.command, exc)
        print(error_text(exc), file=sys.stderr)
        return 1
    except (DatabaseError, InterfaceError, sqlite3.Error) as exc:  # locked, full disk, server gone, a damaged text
        log.warning("«tracker %s» failed in the database: %s", args.command, exc)
        print(error_text(explain(exc)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # the transaction being written rolled back on the way out
        print(tr("Перервано (Ctrl+C). Незавершений запис скасовано: з нього нічого не записано."), file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head and the like
        sys.stdout = None
        return 0
    except Exception as exc:  # a bug of ours: the journal gets the traceback, the user a sentence
        log.exception("uncaught error in «tracker %s»", args.command)
        print(tr("Непередбачена помилка програми ({error}). Подробиці записано в журнал: {path}. "
                 "Дані, записані раніше, не змінено.", error=type(exc).__name__, path=log_file()), file=sys.stderr)
        return 1


# arguments that name files: a path's bytes that are not UTF-8 are the disk's own (the system takes them back as
# they came); in any other argument they are text to be kept, which no database can hold
PATH_ARGUMENTS = {"db", "file", "files", "output", "source", "target"}


def _refuse_undecodable(args) -> None:
    """A text given in another encoding than UTF-8 (a cp1251 script, a terminal set otherwise) is refused by name,
    before anything is opened: it had stopped a save with «Непередбачена помилка програми (UnicodeEncodeError)»."""
    for name, value in sorted(vars(args).items()):
        values = value if isinstance(value, list) else [value]
        if name in PATH_ARGUMENTS or all(not isinstance(v, str) or storable(v) == v for v in values):
            continue
        raise TrackerError(tr("Текст «{name}» містить байти не в кодуванні UTF-8 (термінал чи сценарій в іншому "
                              "кодуванні?). Наберіть його заново або збережіть сценарій в UTF-8. Нічого не записано.",
                              name=name.replace("_", "-")))


# commands that may make the database they are given, where no file is yet: the others refuse a path with no file,
# which is most often a typo or a drive not connected (tracker.storage.db.missing_file)
MAKE_DATABASES = {"init", "import-plan", "restore"}

# commands that read the database and print, writing nothing: they run while the file's quick check runs beside them
READS_ONLY = {"status", "plan", "plan-history"}


def _held_output(args):
    """The command as a reading for open_and_read (tracker.storage.db): (its exit code, what it printed), held until
    the file's quick check, run beside it, has found the file whole — nothing read from a damaged file is shown. A
    database with no plan yet is left to the command after the check: the bundled plan's import writes."""
    def read() -> tuple[int, str] | None:
        if current_plan() is None:
            return None
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = COMMANDS[args.command](args)
        return code, printed.getvalue()
    return read


def _open(target: str, new: bool = True) -> None:
    """Open the database; a server that wants a password the address does not give (nor PGPASSWORD, nor the
    password file) gets it asked on the terminal — never on the command line, where others would see it.
    ``new``: an empty server database may be made the tracker's (tracker.storage.db.open_database)."""
    try:
        open_database(target, new=new)
    except LoginRefused:
        if not is_postgres_url(str(target)) or urlsplit(str(target)).password or not sys.stdin.isatty():
            raise
        user = urlsplit(str(target)).username or getpass.getuser()
        open_database(with_password(str(target), getpass.getpass(tr("Пароль користувача «{user}»: ", user=user))),
                      new=new)


COMMANDS = {
    "init": run_init,
    "import-plan": run_import_plan,
    "plan": run_plan,
    "plan-history": run_plan_history,
    "set": run_set,
    "status": run_status,
    "report": run_report,
    "import-report": run_import_report,
    "backup": run_backup,
    "restore": run_restore,
    "backups": run_backups,
    "executors": run_executors,
    "departments": run_executors,  # the command's earlier name
    "exchange": run_exchange,
    "users": run_users,
}
