"""Command line for exchange packages: ``tracker exchange export|import|conflicts|resolve``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import TrackerError
from ..exchange.package import read_package
from ..exchange.aside import (
    dismiss_set_aside,
    listed_lines,
    set_aside_changes,
    set_aside_line,
    set_aside_values,
    taken_from_aside_text,
)
from ..exchange.sync import (
    first_words,
    left_out_words,
    ConflictInfo,
    ConflictSide,
    export_package,
    import_package,
    list_conflicts,
    out_of_plan_note,
    passed_text,
    resolve_conflict,
    restored_text,
    same_text,
    set_aside_text,
    unasked_text,
    withheld_text,
)
from ..plan.amend import left_out_text
from ..exchange.trust import key_fingerprint, revoke, revoked_key_text, trust_package, trusted_devices
from ..progress import fields
from ..storage.device import this_device
from ..text import plural
from .author import default_author


_ASIDE_SHOWN = 100  # the values kept aside listed under the conflicts


def add_arguments(subparsers) -> argparse.ArgumentParser:
    """Register ``exchange`` and its actions on the main parser's subparsers; dispatch with ``run``."""
    parser = subparsers.add_parser("exchange", help="пакети змін між ноутбуками й офісом (робота без мережі)")
    actions = parser.add_subparsers(dest="exchange_command", metavar="ДІЯ", parser_class=type(parser))
    actions.required = True

    p = actions.add_parser("export", help="записати в один файл зміни, яких інші ще не підтвердили")
    p.add_argument("-o", "--output", required=True, metavar="ФАЙЛ", help="файл пакета змін")
    p.add_argument("--device", help="назва цього комп'ютера в пакетах (запам'ятовується)")
    p.add_argument("--full", action="store_true", help="усі зміни від початку, а не лише непідтверджені")
    p.add_argument("--overwrite", action="store_true",
                   help="замінити наявний файл, навіть якщо це не пакет змін цієї бази (попередній замінює й так)")

    p = actions.add_parser("import", help="злити пакет змін з іншого комп'ютера (повторний імпорт нічого не змінює)")
    p.add_argument("file")
    p.add_argument("--author", help="хто імпортує (типово — "
                                    "ім'я з налаштувань вікна, інакше ім'я логіна на сервері чи користувач системи)")
    p.add_argument("--unsigned", action="store_true",
                   help="прийняти непідписаний пакет старої версії програми (0.2), якщо ви певні, звідки він")
    p.add_argument("--plan-changes", action="store_true",
                   help="застосувати й зміни до плану з пакета пристрою, з копії якого цю базу не зроблено "
                        "(з офісу, звідки взято цю базу, вони застосовуються й так)")

    p = actions.add_parser("trust", help="довіряти пристрою, що підписав пакет (показує відбиток ключа й питає)")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="не питати підтвердження (для сценаріїв)")
    p.add_argument("--author", help="хто вирішив довіряти (типово — ім'я з налаштувань вікна, "
                   "інакше ім'я логіна на сервері чи користувач системи)")

    actions.add_parser("devices", help="ця база й пристрої, яким вона довіряє: відбитки ключів, останній пакет")

    p = actions.add_parser("revoke", help="більше не довіряти пристрою")
    p.add_argument("device", help="назва пристрою або початок його ідентифікатора")
    p.add_argument("--author", help="хто вирішив (типово — "
                                    "ім'я з налаштувань вікна, інакше ім'я логіна на сервері чи користувач системи)")

    p = actions.add_parser("conflicts", help="конфлікти: поле змінено і тут, і на іншому комп'ютері")
    p.add_argument("--json", action="store_true", help="у форматі JSON (лише конфлікти; окремо збережені зміни — "
                                                       "tracker exchange aside --json)")

    p = actions.add_parser("aside", help="окремо збережені зміни для заходів, яких у плані тут немає, з їхніми "
                                         "значеннями")
    p.add_argument("--json", action="store_true", help="у форматі JSON")

    p = actions.add_parser("resolve", help="розв'язати конфлікт: залишити своє, взяти з пакета або вказати значення")
    p.add_argument("id", type=int, help="номер конфлікту з «tracker exchange conflicts»")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--take", choices=("local", "incoming"),
                     help="local — залишити значення цієї бази, incoming — взяти значення з пакета")
    how.add_argument("--value", help="записати інше значення (напр. поєднаний текст)")
    p.add_argument("--author", help="хто розв'язує (типово — "
                                    "ім'я з налаштувань вікна, інакше ім'я логіна на сервері чи користувач системи)")
    p = actions.add_parser("dismiss", help="прибрати з переліку окремо збережені зміни для заходів, яких тут немає "
                                           "(внесено вручну чи не потрібні)")
    p.add_argument("codes", nargs="*", metavar="КОД", help="коди заходів, як їх названо в пакеті (типово — усі)")
    p.add_argument("--author", help="хто прибирає (типово — ім'я з налаштувань вікна чи користувач системи)")
    return parser


def run(args) -> int:
    """Run the action; the database is already open (tracker.cli.main opens it)."""
    return _ACTIONS[args.exchange_command](args)


def _export(args) -> int:
    unnamed = not this_device().name and not (args.device or "").strip()
    result = export_package(args.output, args.device, full=args.full, replace=args.overwrite)
    scope = ("усі зміни" if result.full else
             "зміни, яких інші бази ще не підтвердили")
    print(f"Пакет змін пристрою «{result.device_name}» збережено: {result.path}")
    print(f"У пакеті {plural(result.events, 'зміна', 'зміни', 'змін')} ({scope}).")
    if unnamed:  # the window asks for the name at the first export; here it had gone out as «DESKTOP-4F2K…» unsaid
        print(f"Цей комп'ютер ще не названо, тож у пакеті він зветься за системним ім'ям «{result.device_name}» — "
              "так його побачать на інших комп'ютерах. Назвіть його: tracker exchange export --device "
              "\"Старостат Прилуцьке\" (назва запам'ятається).")
    return 0


def _import(args) -> int:
    result = import_package(args.file, args.author or default_author(), allow_unsigned=args.unsigned,
                            plan_changes=args.plan_changes)
    print(f"Пакет пристрою «{result.device_name}» від {result.created_at:%d.%m.%Y %H:%M}: "
          f"{plural(result.events, 'зміна', 'зміни', 'змін')}.")
    for text in first_words(result):
        print("  " + text)
    print(f"  нових для цієї бази: {result.recorded}; застосовано до записів: {result.applied}; "
          f"уже були в базі: {result.skipped}; чекають попередніх змін: {result.pending}")
    if result.plan_amendments:
        print(f"  з пакетом прийшли зміни до плану: {result.plan_amendments} (перелік — tracker plan-history)")
    if result.plan_amendments_passed:
        print("  " + passed_text(result))
    if result.plan_amendments_same:
        print("  " + same_text(result))
    for code, effective, count in result.records_left_out:
        print("  " + "Увага. " + left_out_text(code, effective, count))
    if result.plan_amendments_withheld:
        print("  " + withheld_text(result))
    if result.plan_amendments_unasked:
        print("  " + unasked_text(result) + " (Дозволити: tracker exchange import --plan-changes.)")
    if result.put_back:
        print("  " + restored_text(result) + ("" if result.full else " (Там: tracker exchange export --full.)"))
    for text in left_out_words(result):
        print("  " + text)
    if result.set_aside:
        print("  " + set_aside_text(result) + ("" if result.set_aside_same_code  # the text points to its list then
                                                else " (Перелік: tracker exchange conflicts.)"))
    if result.taken_from_aside:
        print("  " + taken_from_aside_text(result.taken_from_aside))
    if result.resolved:
        print(f"  конфліктів розв'язано (на іншому пристрої або однаковим значенням): {result.resolved}")
    if result.conflicts or result.updated:
        print(f"  нових конфліктів: {result.conflicts}; оновлено наявних: {result.updated}. "
              "Перегляньте їх: tracker exchange conflicts")
    if not result.changed and not (result.disowned or result.unproven or result.revoked or result.put_back
                                   or result.plan_amendments_unasked or result.plan_amendments_passed
                                   or result.plan_amendments_withheld):
        # (what was left out is said above: «all of it is here already» under it read as a contradiction)
        print("Усі зміни з цього пакета вже є в базі. Нічого не змінено.")
    return 0


def _trust(args) -> int:
    package = read_package(args.file)
    header = package.header
    if package.signed and header.device_uid != this_device().uid:
        print(f"Пакет «{Path(args.file).name}» підписав пристрій «{header.device_name}» ({header.device_uid}).")
        print(f"Відбиток ключа: {key_fingerprint(header.device_key)}")
        print("Звірте відбиток із тим пристроєм (там: tracker exchange devices).")
        warning = revoked_key_text(header)
        if warning:
            print(warning)
        if not args.yes:
            if not sys.stdin.isatty():
                raise TrackerError("Підтвердження немає звідки взяти (не термінал); після звірки відбитка повторіть "
                                   "з --yes. Нічого не змінено.")
            answer = input("Довіряти цьому пристрою? [так/ні]: ").strip().lower()
            if answer not in ("так", "т", "yes", "y"):
                print("Не довіряємо. Нічого не змінено.")
                return 1
    info = trust_package(args.file, args.author or default_author())
    # a copy made before its office had a name names no one: «Пристрою «» довіряємо»
    print(f"Пристрою «{info.name or info.uid[:8]}» довіряємо; тепер його пакети можна імпортувати.")
    return 0


def _devices(args) -> int:
    devices = trusted_devices()
    for info in devices:
        if info.own:
            name = f"«{info.name}»" if info.name else ("ще без назви (її дає перший експорт пакета: --device "
                                                      "\"Старостат Прилуцьке\")")
            print(f"Ця база: {name} ({info.uid}); відбиток ключа: {info.fingerprint}")
            continue
        state = (f"відкликано {info.revoked_at:%d.%m.%Y}" if info.revoked_at
                 else f"довіряємо з {info.trusted_at:%d.%m.%Y}" + (f" ({info.trusted_by})" if info.trusted_by else ""))
        last = f"останній пакет {info.last_package_at:%d.%m.%Y %H:%M}" if info.last_package_at else "пакетів ще не було"
        print(f"«{info.name or '—'}» ({info.uid}): {info.fingerprint}; {state}; {last}")
    if len(devices) == 1:  # only this database's own line: say that no other is trusted, not nothing
        print("Довірених пристроїв ще немає: пакет пристрою, якому база ще не довіряє, імпорт покаже з відбитком "
              "його ключа й запитає (tracker exchange trust ФАЙЛ).")
    return 0


def _revoke(args) -> int:
    info = revoke(args.device, args.author or default_author())
    print(f"Пристрою «{info.name}» більше не довіряємо: його пакети не прийматимуться.")
    return 0


def _conflicts(args) -> int:
    conflicts = list_conflicts()
    if args.json:
        json.dump([_conflict_json(c) for c in conflicts], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    aside = set_aside_changes()
    if not conflicts:
        print("Конфліктів немає.")
        _print_set_aside(aside)
        return 0
    for c in conflicts:
        print(f"№ {c.id}: захід {c.label}, {c.quarter.label}, поле «{fields.label(c.field)}»"
              + ("" if c.in_plan_then else f" ({out_of_plan_note(c)})"))
        print(f"    тут:       {_side(c.field, c.local)}")
        print(f"    з пакета:  {_side(c.field, c.incoming)}")
        for other in c.others:
            print(f"    ще:        {_side(c.field, other)}")
        if c.reason:
            print(f"    не застосовано автоматично: {c.reason}")
    print(f"Разом: {plural(len(conflicts), 'конфлікт', 'конфлікти', 'конфліктів')}. Розв'язати: "
          "tracker exchange resolve N --take local|incoming або --value ЗНАЧЕННЯ")
    _print_set_aside(aside)
    return 0


def _print_set_aside(aside) -> None:
    if not aside.count:
        return
    print(set_aside_line(aside))
    for line in listed_lines(aside, _ASIDE_SHOWN):
        print("    " + line)
    print("Внесли їх вручну чи вони не потрібні — приберіть їх з переліку: tracker exchange dismiss [КОД …]")


def _aside(args) -> int:
    aside = set_aside_changes()
    if args.json:
        values, read = set_aside_values(aside.same_code)
        json.dump({"count": aside.count, "codes": list(aside.codes), "devices": list(aside.devices),
                   "codes_of_other_measures_here": list(aside.same_code), "values_read_from": read,
                   "values": [{"measure": v.code, "title": v.title, "device": v.device, "quarter": str(v.quarter),
                               "field": v.field, "value": v.value, "by": v.by, "at": v.at.isoformat()}
                              for v in values]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not aside.count:
        print("Окремо збережених змін немає.")
        return 0
    _print_set_aside(aside)
    return 0


def _dismiss(args) -> int:
    count = dismiss_set_aside(args.codes or None, args.author or default_author())
    if not count:
        print("Окремо збережених змін" + (f" для заходів {', '.join(args.codes)}" if args.codes else "")
              + " немає. Нічого не змінено.")
        return 0
    print(f"Прибрано з переліку окремо збережених змін: {count}. Вони лишаються в базі, але не показуються, "
          "не застосовуються й не пересилаються.")
    return 0


def _resolve(args) -> int:
    conflict = next((c for c in list_conflicts() if c.id == args.id), None)
    resolve_conflict(args.id, args.take or "value", args.value, author=args.author or default_author())
    print(f"Конфлікт № {args.id} розв'язано. Щоб інші бази теж отримали рішення, експортуйте пакет змін.")
    if conflict is not None and not conflict.in_plan_then:  # written where no list shows it: said
        print(f"Зауважте: {out_of_plan_note(conflict)}.")
    return 0


def _side(field: str, side: ConflictSide) -> str:
    who = ", ".join(part for part in (side.by, f"{side.at:%d.%m.%Y %H:%M}" if side.at else "",
                                      f"«{side.device}»" if side.device else "") if part)
    return f"{fields.show(field, side.value)}" + (f" ({who})" if who else "")


def _conflict_json(c: ConflictInfo) -> dict:
    def side(s: ConflictSide) -> dict:
        return {"value": s.value, "by": s.by, "at": s.at.isoformat() if s.at else None, "device": s.device}

    return {"id": c.id, "measure": c.measure_code, "measure_now": c.code_now or c.measure_code,
            "in_plan_then": c.in_plan_then, "quarter": str(c.quarter), "field": c.field,
            "local": side(c.local), "incoming": side(c.incoming), "others": [side(o) for o in c.others],
            "reason": c.reason, "detected_at": c.detected_at.isoformat()}


_ACTIONS = {"export": _export, "import": _import, "trust": _trust, "devices": _devices, "revoke": _revoke,
            "conflicts": _conflicts, "resolve": _resolve, "aside": _aside,
            "dismiss": _dismiss}
