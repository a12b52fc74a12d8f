"""The plan's commands: ``init``, ``import-plan`` (a plan, its check, an amendment shown or applied), ``plan-history``
and ``plan`` (the plan as JSON)."""

from __future__ import annotations

import json
import sys

from ..errors import TrackerError, ValidationError
from ..exchange.aside import take_set_aside_after_amendment, taken_from_aside_text
from ..plan.amend import PACKAGE, apply_file, check_removals, left_out_text
from ..plan.amendment import describe, describe_question
from ..plan.store import PlanAmendmentFound, current_plan, ensure_bundled_plan, import_plan, read_plan
from ..plan.versions import amendments
from ..progress import fields
from ..progress.records import with_login
from ..progress.tree import load_tree, tree_json
from ..quarters import Quarter, current_quarter
from ..storage.models import Measure
from ..text import plural
from .author import default_author
from .common import print_findings, quarter_of, the_plan


def run_init(args) -> int:
    result = ensure_bundled_plan()
    plan = current_plan()
    count = plan.measures.count()
    if result is None:
        print(f"База вже містить план «{plan.title}» ({plural(count, 'захід', 'заходи', 'заходів')}). Нічого не змінено.")
    else:
        print(f"Імпортовано план «{plan.title}»: {plural(count, 'захід', 'заходи', 'заходів')}.")
    return 0


def run_check_plan(args) -> int:
    parsed = read_plan(args.file)
    measures = parsed.measures()
    print(f"План «{parsed.title}» ({parsed.first_year}–{parsed.last_year})")
    print(f"Стратегічних цілей: {len(parsed.strategic_goals)}, оперативних цілей: {len(parsed.operational_goals())}, "
          f"заходів: {len(measures)}")
    repairs = [f for f in parsed.findings if f.is_repair]
    anomalies = [f for f in parsed.findings if not f.is_repair]
    print(f"Виправлено: {len(repairs)}; аномалій: {len(anomalies)}")
    print_findings(parsed.findings)
    print("Перевірка: до бази нічого не записано.")
    return 0


def run_import_plan(args) -> int:
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
        print_findings(findings)
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
        print("Увага. " + left_out_text(code, effective, count))
    # kept from packages: the plan may have their measures now
    taken, problem = take_set_aside_after_amendment(args.author or default_author())
    if taken:
        print(taken_from_aside_text(taken))
    if problem:
        print(problem)
    return 0


def run_plan_history(args) -> int:
    plan = the_plan()
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


def run_plan(args) -> int:
    """The plan as in force (in ``--quarter``, with each measure's state then): an outline to read, or JSON."""
    plan = the_plan()
    quarter = quarter_of(plan, args.quarter) if args.quarter is not None else None
    version = quarter or current_quarter(plan.first_year, plan.last_year)  # without a quarter: the version in force now
    tree = load_tree(plan, quarter, version=version, removed=args.removed)
    if args.json:
        json.dump(tree_json(tree), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(tree.title)
    print(f"Редакція, чинна в {version.label}" + (f"; стан виконання за {quarter.label}" if quarter else "") + ".")
    for sg in tree.strategic_goals:
        print(f"\nСЦ {sg.number}. {sg.title}")
        for og in sg.operational_goals:
            print(f"  ОЦ {og.code}. {og.title}")
            for task in og.tasks:
                print(f"    Завдання: {task.title}")
                for measure in task.measures:
                    print(f"      {measure.code} {measure.title}"
                          + (f" [виключено: {measure.removed}]" if measure.removed else ""))
                    if measure.executors:
                        print(f"        Виконавці: {'; '.join(measure.executors)}")
                    if quarter is not None:
                        print(f"        Стан: {_state_text(measure.state, quarter)}")
    return 0


def _state_text(state, quarter: Quarter) -> str:
    """A measure's state in the outline, as the window's tree says it: carried from an earlier quarter, or none."""
    if state is None:
        return "ще не подано жодного разу"
    said = f"{fields.show('status', state.values['status'])}, {fields.show('percent', state.values['percent'])}"
    return said if state.reported else f"за {quarter.label} не подано (дані за {state.quarter.label}: {said})"

