"""The quarterly collection round: one report per responsible executor, in one folder, with a list of them, and
for each executor with an e-mail address a ready, unsent letter (.eml) with its report attached.

The monitoring group sends each executor its own report and takes the filled ones back. The plan is read
once (``round_scopes``); writing the files (``write_round``) touches no database, so the window runs it in
a worker thread with a progress bar. A folder that already holds this quarter's files is refused, naming
them: they may be reports already returned filled in, and a new round must not overwrite them.
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import TrackerError
from ..files import usual_permissions
from ..i18n import tr
from ..logs import log
from ..progress.overview import executor_progress
from ..progress.tree import load_tree
from ..quarters import Quarter, check_in_plan
from ..storage.models import Executor, Plan
from .drafts import default_deadline, draft
from .export import Progress, ReportScope, default_file_name, scope_of, write_report
from .layout import listing_name


@dataclass(frozen=True)
class RoundFile:
    executor: str
    path: Path
    measures: int
    email: str = ""
    draft: Path | None = None  # the unsent e-mail with the report attached, for an executor with an address


@dataclass(frozen=True)
class Round:
    files: list[RoundFile]
    listing: Path  # the list of what was written (CSV, opens in Excel)


def round_scopes(plan: Plan, quarter: Quarter) -> list[ReportScope]:
    """Every executor's report scope, in Ukrainian alphabetical order, from one reading of the plan."""
    check_in_plan(quarter, plan.first_year, plan.last_year)
    tree = load_tree(plan, quarter)
    rows = executor_progress(tree)
    executors = {e.id: e for e in Executor.select().where(Executor.id.in_([r.executor_id for r in rows] or [0]))}
    return [scope_of(plan, tree, quarter, executors[row.executor_id], [row]) for row in rows]


def file_names(scopes: list[ReportScope]) -> list[str]:
    """The format's name for each file; two executors with one short name get «… (2)» rather than one file."""
    names = [default_file_name(s.quarter, s.executor) for s in scopes]
    seen: Counter = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name[:-len('.xlsx')]} ({seen[name]}).xlsx")
    return unique


def write_round(scopes: list[ReportScope], folder: str | Path, progress: Progress | None = None,
                deadline: _dt.date | None = None) -> Round:
    folder = Path(folder)
    if not folder.is_dir():
        raise TrackerError(tr("Теки «{folder}» немає. Вкажіть наявну теку для звітів.", folder=folder))
    if not scopes:
        raise TrackerError(tr("У плані немає заходів із відповідальними виконавцями; розсилати нічого."))
    quarter = scopes[0].quarter
    deadline = deadline or default_deadline(quarter)
    if deadline < quarter.first_day_after:
        raise TrackerError(tr("Дата повернення {date} — ще до кінця кварталу; вкажіть дату після {end}.",
                              date=f"{deadline:%d.%m.%Y}", end=f"{quarter.first_day_after:%d.%m.%Y}"))
    targets = [folder / name for name in file_names(scopes)]
    drafts = [target.with_suffix(".eml") if scope.executor.email else None for scope, target in zip(scopes, targets)]
    listing = folder / listing_name(quarter)
    present = [path.name for path in [*targets, *filter(None, drafts), listing] if path.exists()]
    if present:
        raise TrackerError(tr(
            "У теці «{folder}» уже є файли цієї розсилки ({files}). Це можуть бути вже повернуті заповнені звіти, "
            "тож їх не перезаписано. Оберіть іншу, порожню теку.",
            folder=folder, files=", ".join(present[:5]) + (" …" if len(present) > 5 else "")))
    files = []
    for number, (scope, target, letter) in enumerate(zip(scopes, targets, drafts), start=1):
        path = write_report(scope, target)
        if letter is not None:
            letter.write_bytes(draft(scope.executor, quarter, path, deadline, scope.plan_title))
            usual_permissions(letter)
        files.append(RoundFile(scope.executor.name, path, len(scope.measures()), scope.executor.email, letter))
        if progress is not None:
            progress(number, len(scopes))
    with open(listing, "w", encoding="utf-8-sig", newline="") as handle:  # with a BOM Excel reads it as UTF-8
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Виконавець", "Файл", "Заходів", "E-mail", "Лист"])
        writer.writerows([item.executor, item.path.name, item.measures, item.email,
                          item.draft.name if item.draft else ""] for item in files)
    usual_permissions(listing)
    log.info("round for %s: %d reports, %d e-mails written to %s", quarter, len(files),
             sum(1 for f in files if f.draft), folder)
    return Round(files, listing)
