"""The report commands: ``report`` (one report, or a round of them to every executor) and ``import-report`` (filled-in
reports read, shown and written). openpyxl loads only when one of them runs."""

from __future__ import annotations

import datetime
from pathlib import Path

from ..errors import TrackerError
from ..i18n import tr
from ..plan.executors import find_executor
from ..progress import fields
from ..quarters import Quarter
from ..storage.models import database
from ..storage.recovery import refuse_damaged_records
from ..text import around_the_change, one_line, plural
from .author import default_author
from .common import quarter_of, the_plan


def run_report(args) -> int:
    from ..report.export import default_file_name, export_report  # openpyxl loads only for reports

    plan = the_plan()
    quarter = quarter_of(plan, args.quarter)
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


def run_import_report(args) -> int:
    from ..report.batch import apply_batch, read_reports  # openpyxl loads only for reports

    plan = the_plan()
    batch = read_reports(args.files, plan, quarter_of(plan, args.quarter) if args.quarter is not None else None)
    clashing = {clash.code for clash in batch.clashes}
    for preview in batch.previews:
        print(f"Файл «{preview.file_name}»: звіт за {preview.quarter.label}"
              + (f", виконавець «{preview.executor}»" if preview.executor else ""))
        # a file that is not imported (for another quarter) has its problems said, not its rows listed as changes
        for change in preview.changes if not preview.blocked else []:
            note = "  (не імпортується: інший файл заповнює захід інакше)" if change.code in clashing else ""
            before, after = (one_line(text) for text in
                             around_the_change(change.before(), change.after()))
            sizes = change.sizes()
            print(f"  рядок {change.row}: {change.code} {fields.label(change.field)}: {before} → {after}"
                  + (f" ({sizes})" if sizes else "") + note)
        for problem in preview.problems:  # a row's problem names its row itself («Рядок 28 (захід …): …»)
            print(f"  {'' if problem.row else 'файл: '}ПРОБЛЕМА: {problem.message}")
    for refused in batch.refused:  # a message naming the file already is not put after its name again
        named = refused.message.startswith(f"Файл «{refused.file_name}»")
        print(f"НЕ ПРОЧИТАНО: {refused.message}" if named
              else f"Файл «{refused.file_name}» НЕ ПРОЧИТАНО: {refused.message}")
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
    refuse_damaged_records(database.obj)  # opened on the quick check: the records' indexes are checked before a write
    count = apply_batch(batch, author=args.author or default_author())
    print(f"Записано: {plural(count, 'захід', 'заходи', 'заходів')}."
          + (f" Не записано те, де {plural(problems, 'проблема', 'проблеми', 'проблем')} (вище): виправте у файлі "
             "й імпортуйте його ще раз (уже записане вдруге не запишеться). Код виходу 1." if problems else ""))
    return 1 if problems else 0  # a script sees that something was left out

