"""What a filled-in report says it was exported for — the plan, its amendments, the quarter and the executor — checked
against the database and the sheet's visible title before any row is read (tracker.report.reimport)."""

from __future__ import annotations

import datetime as _dt

from ..errors import ValidationError
from ..i18n import tr
from ..plan import versions
from ..progress.tree import MeasureNode, load_tree
from ..quarters import Quarter, check_in_plan
from ..storage.models import Executor, Plan
from ..text import is_whole_number
from . import layout as L
from .reader import ReportFileError


def made_from(plan: Plan, quarter: Quarter, meta: dict[str, str], uids: dict[str, str],
               name: str) -> dict[str, MeasureNode]:
    """The file's codes → the measures they named when it was exported: the plan as in force in its quarter
    with the amendments applied then (a file from before 0.3 knows of none); the uids it carries must agree."""
    known = meta.get("plan_amendments", "0") or "0"
    if not is_whole_number(known):
        raise ReportFileError(tr("У файлі «{name}» пошкоджено службові дані звіту (версія плану). Експортуйте "
                                 "звіт заново й перенесіть у нього заповнене.", name=name))
    if int(known) > versions.count(plan):
        raise ReportFileError(tr("Звіт «{name}» складено за планом зі змінами, яких у цій базі ще немає (рішень: "
                                 "{known}, тут: {here}). Спершу отримайте зміни до плану — імпортуйте пакет змін з "
                                 "офісу, — тоді імпортуйте звіт.", name=name, known=int(known),
                                 here=versions.count(plan)))
    nodes = {m.code: m for m in load_tree(plan, version=quarter, known=int(known)).measures()}
    if uids and any(uids.get(code) != node.uid for code, node in nodes.items() if code in uids):
        raise ReportFileError(tr("У файлі «{name}» службові дані звіту не відповідають плану, для якого його "
                                 "експортовано. Експортуйте звіт заново й перенесіть у нього заповнене.", name=name))
    return nodes


def check_meta(meta: dict[str, str], name: str, plan: Plan) -> tuple[Quarter, Executor | None]:
    version = meta.get("format_version", "")
    if not version:
        raise ReportFileError(tr("У файлі «{name}» пошкоджено службові дані звіту (аркуш «{sheet}»). "
                                 "Експортуйте звіт заново й перенесіть у нього заповнене.",
                                 name=name, sheet=L.META_SHEET))
    if version not in L.READABLE_VERSIONS:
        raise ReportFileError(tr("Файл «{name}» має формат звіту версії «{version}», а ця програма читає версії "
                                 "{supported}. Експортуйте звіт цією програмою й заповніть його.", name=name,
                                 version=version, supported=", ".join(f"«{v}»" for v in L.READABLE_VERSIONS)))
    if meta.get("plan_uid") != plan.uid:
        raise ReportFileError(tr("Файл «{name}» — звіт для іншого плану («{other}»), "
                                 "а не для «{plan}». Відкрийте базу з тим планом або візьміть інший звіт.",
                                 name=name, other=meta.get("plan_title") or tr("невідомий"), plan=plan.title))
    try:
        quarter = Quarter(int(meta.get("year", "")), int(meta.get("quarter", "")))
    except (ValueError, ValidationError):
        raise ReportFileError(tr("У файлі «{name}» пошкоджено рік чи квартал у службових даних звіту. "
                                 "Експортуйте звіт заново.", name=name)) from None
    check_in_plan(quarter, plan.first_year, plan.last_year)
    name_in_file = meta.get("department", "")
    if not name_in_file:
        return quarter, None
    executor = Executor.get_or_none(Executor.name == name_in_file)  # exactly as exported: no guessing
    if executor is None:
        raise ReportFileError(tr("Звіт «{name}» складено для виконавця «{executor}», якого немає в довіднику. "
                                 "Перевірте довідник виконавців або експортуйте звіт заново.",
                                 name=name, executor=name_in_file))
    return quarter, executor


def export_time(meta: dict[str, str]) -> _dt.datetime | None:
    try:
        return _dt.datetime.fromisoformat(meta.get("exported_at", ""))
    except ValueError:
        return None  # a file exported before the time was recorded: no check


_EXECUTOR_LINE = "Відповідальний виконавець:"


def check_title(title: list[str], name: str, quarter: Quarter, executor: Executor | None) -> None:
    """The visible title says the same period and executor as the hidden service data; a file whose title was
    retyped for another quarter or department (or copied from another report) is refused, both named."""
    period = L.period_wording(quarter)
    visible_period = next((line for line in title if line.startswith("за ") and "станом на" in line), "")
    if visible_period != period:
        raise ReportFileError(tr(
            "У файлі «{name}» заголовок звіту — «{visible}», а службові дані звіту — «{meta}». Файл не імпортовано: "
            "незрозуміло, за який період він заповнений. Експортуйте звіт за потрібний період і перенесіть у нього "
            "заповнене.", name=name, visible=visible_period or tr("без періоду"), meta=period))
    visible = next((line[len(_EXECUTOR_LINE):].strip() for line in title if line.startswith(_EXECUTOR_LINE)), "")
    expected = executor.name if executor is not None else ""
    if " ".join(visible.split()) != " ".join(expected.split()):
        raise ReportFileError(tr(
            "У файлі «{name}» у заголовку вказано виконавця «{visible}», а службові дані звіту — «{meta}». Файл не "
            "імпортовано: незрозуміло, чий це звіт. Експортуйте звіт для потрібного виконавця й перенесіть у нього "
            "заповнене.", name=name, visible=visible or tr("увесь план"), meta=expected or tr("увесь план")))
