"""The progress commands: ``set`` (one measure's quarter), ``status`` (the quarter's summary, by goal or by executor)
and ``executors`` (the directory of responsible executors and their contacts)."""

from __future__ import annotations

import sys

from ..i18n import tr
from ..plan.contacts import Contact, contact_of, set_contact
from ..plan.directory import KIND_LABELS
from ..plan.executors import find_executor, responsible_executors
from ..progress import fields
from ..progress.overview import executor_progress
from ..progress.records import find_measure, quarter_record, save_progress
from ..progress.rules import with_implied_percent
from ..progress.rollup import NOT_REPORTED, Rollup, rollup
from ..progress.status import Status
from ..progress.tree import load_tree
from ..quarters import Quarter
from ..storage.models import database
from ..storage.recovery import refuse_damaged_records
from ..text import plural, shortened
from .author import default_author
from .common import print_table, quarter_of, the_plan


def run_set(args) -> int:
    plan = the_plan()
    quarter = quarter_of(plan, args.quarter)
    measure = find_measure(plan, args.code, quarter)
    changes = {f.name: getattr(args, f.name) for f in fields.FIELDS if getattr(args, f.name) is not None}
    if not changes:
        print("Помилка: нічого записувати. Вкажіть хоча б одне з "
              + ", ".join(f.option for f in fields.FIELDS) + ".", file=sys.stderr)
        return 1
    changes = with_implied_percent(changes)  # «--status done» alone: 100 %, not the percent carried
    author = args.author or default_author()
    refuse_damaged_records(database.obj)  # opened on the quick check: the records' indexes are checked before a write
    result = save_progress(measure, quarter, changes, author=author, origin="командний рядок")
    # the code as typed, in force in that quarter; an amendment since may have given the measure another
    typed = args.code.strip()
    code = typed if typed == measure.code else f"{typed} (тепер {measure.code})"
    if result.change_set is None:
        print(f"Захід {code} за {quarter.label}: значення ті самі, нічого не змінено.")
    else:
        print(f"Захід {code} за {quarter.label}: записано — {_written(measure, quarter, result.changed_fields)}.")
    for name, typed in changes.items():  # as the form says it when the field is left: «80,3» alone read as a typo
        field = fields.get(name)
        if field.kind is fields.Kind.MONEY and field.rounds(typed):
            print(field.rounded_text(typed))
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
        said.append(f"{tr(field.label)}: {shortened(shown)}")
    return "; ".join(said)


_SHORT = {Status.NOT_STARTED: "Не розп.", Status.IN_PROGRESS: "Викон-ся", Status.DONE: "Виконано",
          Status.PARTIALLY_DONE: "Частк.", Status.NOT_DONE: "Не викон.", Status.OBSOLETE: "Втрат.акт."}


def run_status(args) -> int:
    plan = the_plan()
    quarter = quarter_of(plan, args.quarter)
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
    print_table(headers, rows)
    return 0


def _status_by_executor(tree, quarter: Quarter, only=None) -> int:
    """Who is late: every executor with measures (or the one asked for), in Ukrainian alphabetical order."""
    print(f"Подання за {quarter.label} за відповідальними виконавцями")
    headers = ["Виконавець", "Заходів", "Подано", "Не подано", "Викон.%", "Останнє подання"]
    rows = [[item.name, item.measures, item.reported, item.not_reported,
             _percent(item.rollup.percent),
             item.last_reported.strftime("%d.%m.%Y") if item.last_reported else "—"]
            for item in executor_progress(tree) if only is None or item.executor_id == only.id]
    print_table(headers, rows)
    late = sum(1 for row in rows if row[3])
    print(f"Не подали повністю: {plural(late, 'виконавець', 'виконавці', 'виконавців')} з {len(rows)}.")
    return 0


def _percent(value: float | None) -> str:
    """An average percent as the tables' other figures and the report say it: «12,5», the Ukrainian decimal comma."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def _status_row(label, result: Rollup):
    return [label, result.measures, _percent(result.percent)] + [result.counts[s.value] for s in Status] + [result.counts[NOT_REPORTED]]


def run_executors(args) -> int:
    the_plan()
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

