"""Finding departments in the directory by any of their names."""

from __future__ import annotations

import difflib
import json

from ..errors import NotFoundError
from ..i18n import tr
from ..storage.models import Executor, FundingSource, MeasureExecutor, MeasureFunding
from ..text import name_key, ukrainian_sort_key


def _keys(executor: Executor) -> list[str]:
    names = [executor.name, executor.short_name, *json.loads(executor.aliases or "[]")]
    return [name_key(n) for n in names if n]


def executor_by_id(executor_id: int) -> Executor:
    executor = Executor.get_or_none(Executor.id == executor_id)
    if executor is None:
        raise NotFoundError(tr("Цього виконавця вже немає в довіднику. Оновіть вікно."))
    return executor


def find_executor(text: str) -> Executor:
    """By full name, short name or alias, spelling-insensitively; a unique prefix or part also works."""
    wanted = name_key(text)
    executors = list(Executor.select())
    exact = [d for d in executors if wanted in _keys(d)]
    if len(exact) == 1:
        return exact[0]
    prefixed = [d for d in executors if wanted and any(k.startswith(wanted) for k in _keys(d))]
    if len(prefixed) == 1:
        return prefixed[0]
    containing = [d for d in executors if len(wanted) >= 4 and any(wanted in k for k in _keys(d))]
    if not prefixed and len(containing) == 1:
        return containing[0]
    candidates = prefixed or containing or [d for d in executors
                              if difflib.get_close_matches(wanted, _keys(d), n=1, cutoff=0.7)]
    listed = "; ".join(f"«{d.name}»" for d in candidates[:5])
    if len(prefixed) > 1 or len(containing) > 1:
        raise NotFoundError(tr("«{text}» підходить до кількох виконавців: {listed}. Уточніть назву.",
                               text=text, listed=listed))
    if candidates:
        raise NotFoundError(tr("Виконавця «{text}» немає в довіднику. Можливо, ви мали на увазі: {listed}.",
                               text=text, listed=listed), hint="executors")
    raise NotFoundError(tr("Виконавця «{text}» немає в довіднику.", text=text), hint="executors")


def responsible_executors() -> list[Executor]:
    """Departments responsible for at least one measure, in Ukrainian alphabetical order."""
    return sorted(Executor.select().where(Executor.id.in_(MeasureExecutor.select(MeasureExecutor.executor))),
                  key=lambda executor: ukrainian_sort_key(executor.name))


def funding_source_names() -> list[str]:
    """Funding sources named by at least one measure, in the directory's order."""
    used = FundingSource.select().where(FundingSource.id.in_(MeasureFunding.select(MeasureFunding.source)))
    return [source.name for source in used.order_by(FundingSource.id)]
