"""The command line: ``tracker [--db PATH_OR_URL] COMMAND …`` (also ``python -m tracker``)."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import getpass
import io
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

from peewee import DatabaseError, InterfaceError, SqliteDatabase

from .. import __version__
from ..errors import TrackerError, ValidationError
from ..i18n import tr
from ..logs import log, log_file, start_logging
from ..paths import DB_ENV_VAR, default_database
from ..plan.amend import PACKAGE, apply_file, check_removals
from ..plan.amendment import describe, describe_question
from ..plan.contacts import Contact, contact_of, set_contact
from ..plan.directory import KIND_LABELS
from ..plan.executors import find_executor, responsible_executors
from ..plan.store import PlanAmendmentFound, current_plan, ensure_bundled_plan, import_plan, read_plan
from ..plan.versions import amendments
from ..progress import fields
from ..progress.overview import executor_progress
from ..progress.records import find_measure, quarter_record, save_progress, with_login
from ..progress.rollup import NOT_REPORTED, Rollup, rollup
from ..progress.status import Status
from ..progress.tree import load_tree, tree_json
from ..quarters import Quarter, check_in_plan, current_quarter
from ..storage.backup import backup_to, check_backup_file, list_backups, own_uid
from ..storage.copy import server_copy_to
from ..storage.db import (
    close_database,
    empty_file,
    make_database,
    missing_file,
    missing_text,
    no_file_kept,
    open_and_read,
    open_database,
    sqlite_file,
)
from ..storage.failures import explain
from ..storage.integrity import FileUnreadable, file_problem, says_unread, sqlite_reason
from ..storage.locking import waiting_with
from ..storage.models import Measure, database
from ..storage.network import network_warning
from ..storage.postgres import LoginRefused, is_postgres_url, with_password
from ..storage.recovery import DamagedDatabaseError, refuse_damaged_file, replace_damaged
from ..storage.relocation import settle_user_folder
from ..storage.restore import restore_from
from ..text import plural
from .author import default_author
from .exchange import add_arguments as add_exchange_arguments
from .exchange import run as run_exchange
from .hints import error_text
from .server import add_arguments as add_server_arguments
from .server import run_copy_db
from .ukrainian_argparse import UkrainianArgumentParser
from .users import add_arguments as add_users_arguments
from .users import run as run_users
from .waiting import AnnouncedWait


def build_parser() -> argparse.ArgumentParser:
    parser = UkrainianArgumentParser(prog="tracker", version=f"tracker {__version__}",
                                     description="Трекер виконання Плану заходів Стратегії розвитку Луцької громади.")
    parser.add_argument("--db", metavar="PATH_OR_URL",
                        help=f"база даних: шлях до файла SQLite або адреса (типово — змінна {DB_ENV_VAR} "
                             "або файл у теці даних користувача)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=UkrainianArgumentParser)
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
    p.add_argument("--author", help="хто застосовує зміни (типово — ім'я з налаштувань вікна, інакше користувач системи)")

    sub.add_parser("plan-history", help="зміни до плану: рішення, з якого кварталу чинні, хто застосував, що змінено")

    p = sub.add_parser("plan", help="показати план")
    p.add_argument("--json", action="store_true", required=True, help="у форматі JSON")
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
        p.add_argument(field.option, dest=field.name, metavar=field.name.upper(),
                       help=field.form_label.replace("&", "").rstrip(":").lower() + detail)
    p.add_argument("--author", help="хто вносить зміни (типово — ім'я з налаштувань вікна, інакше користувач системи)")

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
    p.add_argument("--deadline", metavar="ДД.ММ.РРРР", help="до якої дати повернути звіти (у листах розсилки; "
                                                           "типово — 10-те число місяця після кварталу)")
    p.add_argument("-o", "--output", help="файл .xlsx (типово — Звіт_<рік>_<N>кв[_виконавець].xlsx у поточній теці)")
    p.add_argument("--overwrite", action="store_true", help="замінити наявний файл звіту (типово — відмовити)")

    p = sub.add_parser("import-report", help="імпортувати заповнені звіти (.xlsx, або теку з ними): спершу "
                                              "перегляд, --apply записує все одним записом")
    p.add_argument("files", nargs="+", metavar="FILE|DIR")
    p.add_argument("--apply", action="store_true", help="записати зміни (без цього — лише перегляд)")
    p.add_argument("--quarter", help="очікуваний квартал: файл за інший квартал буде відхилено")
    p.add_argument("--author", help="хто вносить зміни (типово — ім'я з налаштувань вікна, інакше користувач системи)")

    p = sub.add_parser("backup", help="резервна копія бази в один файл (SQLite)")
    p.add_argument("-o", "--output", required=True, help="файл копії, напр. копія.sqlite3")
    p.add_argument("--overwrite", action="store_true",
                   help="замінити наявний файл, навіть якщо це не копія цієї бази (попередню копію замінює й так)")

    p = sub.add_parser("restore", help="відновити базу з резервної копії (поточний стан спершу копіюється)")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="не питати підтвердження")

    sub.add_parser("backups", help="автоматичні резервні копії бази")

    sub.add_parser("check", help="перевірити цілісність бази та її резервних копій (код 1, якщо щось пошкоджено)")

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


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    settle_user_folder()  # before the journal starts: the old folder's journal moves too
    start_logging("command line")
    log.info("tracker %s", args.command)
    try:
        if args.command == "import-plan" and args.check:
            return _check_plan(args)
        if args.command in ("copy-db", "migrate-db"):  # works on the two databases it names, not on --db
            return run_copy_db(args)
        if args.command == "check":  # reads the files, never opens them for work: a damaged one too
            return _check(args)
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
                               hint="new_database")
        try:
            if args.command in READS_ONLY and sqlite_file(target) is not None:
                held = open_and_read(target, _held_output(args))
            else:  # an empty server database is made the tracker's only by the commands that make one
                held = _open(target, new=args.command in MAKE_DATABASES)
        except DamagedDatabaseError as exc:
            if args.command != "restore":
                raise
            return _restore_damaged(args, exc)
        warning = network_warning(target)
        if warning:
            print(tr("Увага: {warning}", warning=warning), file=sys.stderr)
        try:
            if held is not None:
                code, printed = held
                sys.stdout.write(printed)
                return code
            with waiting_with(AnnouncedWait()):
                return COMMANDS[args.command](args)
        finally:
            close_database()
    except TrackerError as exc:
        print(error_text(exc), file=sys.stderr)
        return 1
    except (DatabaseError, InterfaceError) as exc:  # locked, full disk, server gone: a message, no traceback
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


def _plan():
    ensure_bundled_plan()
    return current_plan()


def _quarter(plan, text: str | None) -> Quarter:
    """The quarter --quarter names; the current one when it is not given. Given empty («--quarter ""», a shell
    variable left unset) it is refused: it wrote into the current quarter, which nobody had asked for."""
    if text is None:
        return current_quarter(plan.first_year, plan.last_year)
    quarter = Quarter.parse(text)
    check_in_plan(quarter, plan.first_year, plan.last_year)
    return quarter


def _init(args) -> int:
    result = ensure_bundled_plan()
    plan = current_plan()
    count = plan.measures.count()
    if result is None:
        print(f"База вже містить план «{plan.title}» ({plural(count, 'захід', 'заходи', 'заходів')}). Нічого не змінено.")
    else:
        print(f"Імпортовано план «{plan.title}»: {plural(count, 'захід', 'заходи', 'заходів')}.")
    return 0


def _print_findings(findings) -> None:
    for finding in findings:
        print(f"  {finding}")


def _check_plan(args) -> int:
    parsed = read_plan(args.file)
    measures = parsed.measures()
    print(f"План «{parsed.title}» ({parsed.first_year}–{parsed.last_year})")
    print(f"Стратегічних цілей: {len(parsed.strategic_goals)}, оперативних цілей: {len(parsed.operational_goals())}, "
          f"заходів: {len(measures)}")
    repairs = [f for f in parsed.findings if f.is_repair]
    anomalies = [f for f in parsed.findings if not f.is_repair]
    print(f"Виправлено: {len(repairs)}; аномалій: {len(anomalies)}")
    _print_findings(parsed.findings)
    print("Перевірка: до бази нічого не записано.")
    return 0


def _import_plan(args) -> int:
    matches = {}
    for pair in args.match:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise TrackerError(f"«--match {pair}»: вкажіть пару кодів як СТАРИЙ=НОВИЙ, напр. --match 1.1.4=1.1.3.")
        matches[old.strip()] = new.strip()
    new_codes = {c.strip() for c in args.new_codes}
    if args.apply:
        return _apply_amendment(args, matches, new_codes)
    try:
        result = import_plan(args.file, new_plan=args.new_plan, matches=matches, new_codes=new_codes)
    except PlanAmendmentFound as found:
        return _show_amendment(found)
    count = result.plan.measures.where(Measure.removed_in.is_null()).count()
    if result.changed:
        print(f"Імпортовано план «{result.plan.title}»: {plural(count, 'захід', 'заходи', 'заходів')}; "
              f"змін: {len(result.changes)}.")
    else:
        print(f"План «{result.plan.title}» уже в базі в цьому вигляді "
              f"({plural(count, 'захід', 'заходи', 'заходів')}). Нічого не змінено.")
    findings = result.findings
    if findings:
        print(f"Виправлення й аномалії ({len(findings)}):")
        _print_findings(findings)
    return 0


def _apply_amendment(args, matches: dict[str, str], new_codes: set[str]) -> int:
    if not args.decision or not args.effective:
        raise TrackerError("Щоб застосувати зміни до плану, вкажіть рішення (--decision) і квартал, з якого вони "
                           "чинні (--effective), напр. --effective 2026Q1. Нічого не записано.")
    effective = Quarter.parse(args.effective)
    try:
        result = apply_file(args.file, decision=args.decision, effective=effective,
                            author=args.author or default_author(), matches=matches, new_codes=new_codes)
    except ValidationError as exc:
        if exc.hint == "amendment_questions":  # show what must be settled, then the refusal
            try:
                import_plan(args.file, matches=matches, new_codes=new_codes)
            except PlanAmendmentFound as found:
                _show_amendment(found, applying=True)
        raise
    if result.amendment is None:
        print(f"Файл не змінює план «{result.plan.title}»: він уже в цьому вигляді. Нічого не змінено.")
        return 0
    print(f"Зміни до плану «{result.plan.title}» застосовано ({result.amendment.decision}), чинні з {effective}. "
          f"Змін: {len(result.changes)}:")
    for line in result.changes:
        print(f"  {line}")
    if result.backup is not None:
        print(f"Копію бази до змін збережено: {result.backup} (повернути — tracker restore ФАЙЛ).")
    for code, count in result.records_left_out.items():
        print(f"Увага: виключений захід {code} має записи за {effective} і пізніше "
              f"({plural(count, 'запис', 'записи', 'записів')}); їх збережено, але в кварталах, з яких захід "
              "виключено, вони не показуються.")
    return 0


def _plan_history(args) -> int:
    plan = _plan()
    rows = amendments(plan)
    if not rows:
        print(f"План «{plan.title}» не змінювався від імпорту ({plan.imported_at:%d.%m.%Y}).")
        return 0
    print(f"Зміни до плану «{plan.title}» ({plural(len(rows), 'рішення', 'рішення', 'рішень')}):")
    for row in rows:
        when = f"чинні з {Quarter.from_index(row.effective)}; застосовано {row.applied_at:%d.%m.%Y %H:%M}"
        source = ""
        if row.source_name:
            source = f", з пакета «{row.source_name}»" if row.came_in == PACKAGE else f", з файла «{row.source_name}»"
        who = with_login(row.applied_by, row.login)
        print(f"{row.decision} — {when}" + (f", {who}" if who else "") + source)
        for line in json.loads(row.changes):
            print(f"  {line}")
    return 0


def _show_amendment(found: PlanAmendmentFound, applying: bool = False) -> int:
    """An amended plan file: what it changes, and the pairings a person must decide; nothing is written."""
    amendment = found.amendment
    print(f"Файл змінює план «{found.plan.title}» ({found.parsed.first_year}–{found.parsed.last_year}). "
          "Заходи зіставлено за змістом, не за кодом.")
    lines = describe(amendment)
    if lines:
        print(f"Зміни ({len(lines)}):")
        for line in lines:
            print(f"  {line}")
    try:
        check_removals(len(amendment.removed), len(amendment.pairs) + len(amendment.removed) + len(amendment.questions))
    except ValidationError as exc:
        print(f"Увага: {exc}")
    if amendment.questions:
        print(f"Сумнівні пари ({len(amendment.questions)}) — це той самий захід? Вирішіть: --match СТАРИЙ=НОВИЙ "
              "(той самий) або --new НОВИЙ (новий захід; старий тоді вилучено):")
        for pairing in amendment.questions:
            print(f"  {describe_question(pairing)}")
    if not applying:
        print("Це перегляд змін до плану: нічого не записано. Застосувати: повторіть з --apply --decision "
              "«рішення …» --effective КВАРТАЛ.")
    return 0


def _plan_json(args) -> int:
    plan = _plan()
    quarter = _quarter(plan, args.quarter) if args.quarter is not None else None
    version = quarter or current_quarter(plan.first_year, plan.last_year)  # without a quarter: the version in force now
    tree = load_tree(plan, quarter, version=version, removed=args.removed)
    json.dump(tree_json(tree), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _set(args) -> int:
    plan = _plan()
    quarter = _quarter(plan, args.quarter)
    measure = find_measure(plan, args.code, quarter)
    changes = {f.name: getattr(args, f.name) for f in fields.FIELDS if getattr(args, f.name) is not None}
    if not changes:
        print("Помилка: нічого записувати. Вкажіть хоча б одне з "
              + ", ".join(f.option for f in fields.FIELDS) + ".", file=sys.stderr)
        return 1
    author = args.author or default_author()
    result = save_progress(measure, quarter, changes, author=author, origin="командний рядок")
    # the code as typed, in force in that quarter; an amendment since may have given the measure another
    typed = args.code.strip()
    code = typed if typed == measure.code else f"{typed} (тепер {measure.code})"
    if result.change_set is None:
        print(f"Захід {code} за {quarter.label}: значення ті самі, нічого не змінено.")
    else:
        print(f"Захід {code} за {quarter.label}: записано — {_written(measure, quarter, result.changed_fields)}.")
    return 0


def _written(measure, quarter: Quarter, names) -> str:
    """What the record now holds in the fields written, as the window shows them: «status, percent» said neither the
    0 % a status alone sets nor the sum rounded to a tenth."""
    record = quarter_record(measure, quarter)
    said = []
    for name in names:
        field = fields.find(name)
        if field is None or record is None:
            continue
        shown = field.show(field.read(record))
        said.append(f"{tr(field.label)}: {shown if len(shown) <= 80 else shown[:79] + '…'}")
    return "; ".join(said)


_SHORT = {Status.NOT_STARTED: "Не розп.", Status.IN_PROGRESS: "Викон-ся", Status.DONE: "Виконано",
          Status.PARTIALLY_DONE: "Частк.", Status.NOT_DONE: "Не викон.", Status.OBSOLETE: "Втрат.акт."}


def _status(args) -> int:
    plan = _plan()
    quarter = _quarter(plan, args.quarter)
    tree = load_tree(plan, quarter)
    if args.by_executor:
        return _status_by_executor(tree, quarter, find_executor(args.executor) if args.executor else None)
    executor = find_executor(args.executor) if args.executor else None

    def selected(measures):
        return [m for m in measures if executor is None or executor.id in m.executor_ids]

    title = f"Стан виконання за {quarter.label}"
    if executor:
        title += f" — {executor.name}"
    print(title)
    headers = ["Ціль", "Заходів", "Викон.%"] + [_SHORT[s] for s in Status] + ["Не подано"]
    rows = []

    def counted(node, measures) -> Rollup:  # the whole plan's numbers are the tree's own rollups
        return node.rollup if executor is None else rollup(m.state for m in selected(measures()))
    for sg in tree.strategic_goals:
        groups = [(f"СЦ {sg.number}", counted(sg, sg.measures))]
        groups += [(f"  ОЦ {og.code}", counted(og, og.measures)) for og in sg.operational_goals]
        rows += [_status_row(label, result) for label, result in groups if result.measures]
    everything = counted(tree, tree.measures)
    if not everything.measures:
        print("Немає заходів для цього виконавця." if args.executor else f"У плані за {quarter} немає заходів.")
        return 0
    rows.append(_status_row("Разом", everything))
    _print_table(headers, rows)
    return 0


def _status_by_executor(tree, quarter: Quarter, only=None) -> int:
    """Who is late: every executor with measures (or the one asked for), in Ukrainian alphabetical order."""
    print(f"Подання за {quarter.label} за відповідальними виконавцями")
    headers = ["Виконавець", "Заходів", "Подано", "Не подано", "Викон.%", "Останнє подання"]
    rows = [[item.name, item.measures, item.reported, item.not_reported,
             "—" if item.rollup.percent is None else f"{item.rollup.percent:.1f}",
             item.last_reported.strftime("%d.%m.%Y") if item.last_reported else "—"]
            for item in executor_progress(tree) if only is None or item.executor_id == only.id]
    _print_table(headers, rows)
    late = sum(1 for row in rows if row[3])
    print(f"Не подали повністю: {plural(late, 'виконавець', 'виконавці', 'виконавців')} з {len(rows)}.")
    return 0


def _print_table(headers: list[str], rows: list[list]) -> None:
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    for row in [headers] + rows:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))))


def _status_row(label, result: Rollup):
    percent = "—" if result.percent is None else f"{result.percent:.1f}"
    return [label, result.measures, percent] + [result.counts[s.value] for s in Status] + [result.counts[NOT_REPORTED]]


def _report(args) -> int:
    from ..report.export import default_file_name, export_report  # openpyxl loads only for reports

    plan = _plan()
    quarter = _quarter(plan, args.quarter)
    if args.each:
        return _report_round(plan, quarter, args)
    executor = find_executor(args.executor) if args.executor else None
    target = Path(args.output or default_file_name(quarter, executor))
    if target.exists() and not args.overwrite:  # it may be a report a department has already filled in
        raise TrackerError(tr("Файл «{path}» уже існує — можливо, це вже заповнений звіт; його не змінено. Вкажіть "
                              "інше ім'я (-o) або додайте --overwrite, щоб замінити його.", path=target))
    path = export_report(plan, quarter, target, executor)
    print(f"Звіт за {quarter.label} збережено: {path}")
    return 0


def _date(text: str | None):
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError:
        raise TrackerError(tr("Дату «{text}» не зрозуміло; вкажіть її як ДД.ММ.РРРР, напр. 10.10.2025.",
                              text=text)) from None


def _report_round(plan, quarter: Quarter, args) -> int:
    from ..report.round import round_scopes, write_round  # openpyxl loads only for reports

    if args.executor:
        raise TrackerError(tr("Розсилка готує звіти всім виконавцям; --executor тут зайвий."))
    done = write_round(round_scopes(plan, quarter), args.output or ".", deadline=_date(args.deadline))
    for item in done.files:
        letter = f"; лист {item.draft.name}" if item.draft else ""
        print(f"  {item.path.name}  — {item.executor} ({plural(item.measures, 'захід', 'заходи', 'заходів')}{letter})")
    print(f"Звіти за {quarter.label}: {plural(len(done.files), 'файл', 'файли', 'файлів')} у теці "
          f"{done.listing.parent}; перелік — {done.listing.name}.")
    return 0


def _import_report(args) -> int:
    from ..report.batch import apply_batch, read_reports  # openpyxl loads only for reports

    plan = _plan()
    batch = read_reports(args.files, plan, _quarter(plan, args.quarter) if args.quarter is not None else None)
    clashing = {clash.code for clash in batch.clashes}
    for preview in batch.previews:
        print(f"Файл «{preview.file_name}»: звіт за {preview.quarter.label}"
              + (f", виконавець «{preview.executor}»" if preview.executor else ""))
        # a file that is not imported (for another quarter) has its problems said, not its rows listed as changes
        for change in preview.changes if not preview.blocked else []:
            note = "  (не імпортується: інший файл заповнює захід інакше)" if change.code in clashing else ""
            print(f"  рядок {change.row}: {change.code} {fields.label(change.field)}: "
                  f"{change.before()} → {fields.show(change.field, change.new)}{note}")
        for problem in preview.problems:  # a row's problem names its row itself («Рядок 28 (захід …): …»)
            print(f"  {'' if problem.row else 'файл: '}ПРОБЛЕМА: {problem.message}")
    for refused in batch.refused:
        print(f"Файл «{refused.file_name}» НЕ ПРОЧИТАНО: {refused.message}")
    for skipped in batch.skipped:
        print(f"Файл «{skipped.file_name}» {skipped.message}")
    for clash in batch.clashes:
        print(f"ПРОБЛЕМА: {clash.message}")
    problems = sum(len(p.problems) for p in batch.previews) + len(batch.refused) + len(batch.clashes)
    print(f"Файлів: {len(batch.previews) + len(batch.refused)}; заходів до запису: {batch.measures}; "
          f"проблем: {problems}.")
    if not args.apply:
        print("Це перегляд: нічого не записано. Щоб записати, повторіть з --apply.")
        return 1 if problems else 0
    count = apply_batch(batch, author=args.author or default_author())
    print(f"Записано: {plural(count, 'захід', 'заходи', 'заходів')}.")
    return 1 if problems else 0  # a script sees that something was left out


def _backup(args) -> int:
    if isinstance(database.obj, SqliteDatabase):
        path = backup_to(args.output, replace=args.overwrite)
    else:  # the office server: a whole copy into a new SQLite file, e.g. to set up a laptop
        uid = own_uid(database.obj)  # read before closing: an earlier copy of it may be written over
        close_database()
        path = server_copy_to(args.db or default_database(), args.output, replace=args.overwrite, uid=uid)
    print(f"Резервну копію збережено: {path}")
    return 0


def _confirmed(args, question: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin or not sys.stdin.isatty():
        print("Помилка: відновлення замінить усі дані бази. Підтвердіть, додавши --yes.", file=sys.stderr)
        return False
    if input(f"{question} [т/Н] ").strip().casefold() not in ("т", "так", "y", "yes"):
        print("Скасовано; нічого не змінено.")
        return False
    return True


def _restore_damaged(args, exc: DamagedDatabaseError) -> int:
    """The database cannot be opened: the copy is put in place of the file, which is kept beside it."""
    check_backup_file(args.file)
    if not _confirmed(args, f"Базу «{exc.path}» пошкоджено. Замінити її файлом «{args.file}»? Пошкоджений "
                            "файл буде збережено поруч."):
        return 1
    kept = replace_damaged(exc.path, args.file)
    print(f"Базу відновлено з «{args.file}». Пошкоджений файл збережено: {kept}")
    return 0


def _check(args) -> int:
    db = make_database(args.db or default_database())
    if not isinstance(db, SqliteDatabase):
        print("База на сервері: її цілісність перевіряє сервер PostgreSQL (адміністратор сервера).")
        return 0
    path = Path(db.database)
    if not path.is_file():
        print(f"Помилка: файлу бази «{path}» немає.", file=sys.stderr)
        return 1
    if path.stat().st_size == 0:  # SQLite calls an empty file a whole, empty database: «ціла» said nothing of it
        print(f"База: {path} — ПОРОЖНІЙ файл: бази трекера в ньому немає (її ще не створено, або файл обнулено).")
        return 1
    damaged = unread = 0
    for label, file in [("База", path)] + [(f"Копія {b.made_at:%d.%m.%Y %H:%M}", b.path) for b in list_backups(db)]:
        try:
            found = file_problem(file)
        except FileUnreadable as exc:  # out of reach: not said to be damaged
            unread += 1
            print(f"{label}: {file} — НЕ ПРОЧИТАНО. {exc}")
            continue
        if says_unread(found):  # an I/O error, the file locked: the check stopped, it found nothing
            unread += 1
            print(f"{label}: {file} — НЕ ПРОЧИТАНО до кінця ({found}); його не названо пошкодженим.")
            continue
        damaged += bool(found)
        print(f"{label}: {file} — " + (f"ПОШКОДЖЕНО ({sqlite_reason(found)})" if found else "ціла"))
    counted = [text for text, count in ((f"Пошкоджено файлів: {damaged}", damaged), (f"Не прочитано: {unread}", unread))
               if count]
    print("; ".join(counted) or "Усе ціле.")
    return 1 if counted else 0


def _restore(args) -> int:
    if isinstance(database.obj, SqliteDatabase):
        try:
            refuse_damaged_file(database.obj)  # its state could not be copied first: the copy takes its place
        except DamagedDatabaseError as exc:
            close_database()
            return _restore_damaged(args, exc)  # which checks the copy
    check_backup_file(args.file)
    if not _confirmed(args, f"Замінити дані бази вмістом «{args.file}»? Поточний стан буде збережено в копію."):
        return 1
    before = restore_from(args.file)
    print(f"Базу відновлено з «{args.file}». Стан перед відновленням збережено: {before}")
    return 0


def _backups(args) -> int:
    backups = list_backups()
    if not backups:
        print("Автоматичних резервних копій ще немає.")
    for item in backups:
        print(f"{item.made_at:%d.%m.%Y %H:%M:%S}  {item.reason_label:<22} {item.path}")
    return 0


def _executors(args) -> int:
    _plan()
    if args.contact:
        executor = find_executor(args.contact)
        old = contact_of(executor)
        new = Contact(*(given if given is not None else kept for given, kept in
                        ((args.person, old.person), (args.email, old.email), (args.phone, old.phone))))
        changed = set_contact(executor, new)  # False: the same as before
        print(f"{executor.name}: " + ("контакт змінено." if changed else "контакт той самий; нічого не змінено."))
        return 0
    for executor in responsible_executors():
        short = f" ({executor.short_name})" if executor.short_name else ""
        contact = ", ".join(filter(None, (executor.contact_person, executor.email, executor.phone)))
        print(f"{executor.name}{short} — {KIND_LABELS.get(executor.kind, executor.kind)}"
              + (f"; {contact}" if contact else ""))
    return 0


COMMANDS = {
    "init": _init,
    "import-plan": _import_plan,
    "plan": _plan_json,
    "plan-history": _plan_history,
    "set": _set,
    "status": _status,
    "report": _report,
    "import-report": _import_report,
    "backup": _backup,
    "restore": _restore,
    "backups": _backups,
    "executors": _executors,
    "departments": _executors,  # the command's earlier name
    "exchange": run_exchange,
    "users": run_users,
}
