"""The rules a quarter's progress is checked by before it is written: each field's value (tracker.progress.fields),
the rules that span fields (a status that means one percent), and what a form holding typed values may save."""

from __future__ import annotations

from ..errors import ValidationError
from ..i18n import language, tr
from . import fields
from .fields import FIELDS, Kind
from .status import Status


def parse_percent(value) -> int:
    return fields.PERCENT.parse(value)


def parse_money(value):
    return fields.PLANNED.parse(value)


def with_implied_percent(changes: dict) -> dict:
    """Changes (as typed) that give a status meaning one percent and no percent, with that percent: «Виконано» alone
    is 100 %, «Не розпочато» 0 % — not the percent carried from before, refused by check_rules as «вказано 40 %»
    where none was given. A status that does not parse is left for the write path to refuse."""
    if "status" not in changes or not fields.PERCENT.is_empty(changes.get("percent")):
        return changes
    try:
        status = fields.STATUS.parse(changes["status"])
    except ValidationError:
        return changes
    if status is None or status.percent is None:
        return changes
    return {**changes, "percent": status.percent}


# the fields check_rules spans (both required too): a save refused by a rule or a missing value is about these
SPANNED = ("status", "percent")


def check_rules(status: Status, percent: int) -> None:
    """The rules that span fields: a status that means one percent (Status.percent: «Виконано» 100 %, «Не розпочато»
    0 %) has that percent."""
    if status.percent is None or percent == status.percent:
        return
    if status is Status.DONE:
        raise ValidationError(tr(
            "Стан «{done}» означає 100 %, а вказано {percent} %. Вкажіть 100 % або оберіть стан «{in_progress}» "
            "чи «{partially}».", done=tr(Status.DONE.label), percent=percent, in_progress=tr(Status.IN_PROGRESS.label),
            partially=tr(Status.PARTIALLY_DONE.label)))
    raise ValidationError(tr(
        "Стан «{not_started}» означає 0 %, а вказано {percent} %. Вкажіть 0 % або оберіть стан «{in_progress}».",
        not_started=tr(Status.NOT_STARTED.label), percent=percent, in_progress=tr(Status.IN_PROGRESS.label)))


def normalize_changes(changes: dict) -> dict:
    """Turn user input into typed values; unknown fields and bad values are refused."""
    return fields.parse_all(changes)


def form_problem(values: dict) -> str:
    """Why a form holding ``values`` (as typed) cannot be saved, in the user's words; "" when it can."""
    return form_problem_at(values)[0]


def form_problem_at(values: dict) -> tuple[str, str | None]:
    """form_problem, and the field it is about (where the form takes the person): ("", None) when it can be saved."""
    if fields.STATUS.parse(values.get("status")) is None:
        return tr("Оберіть стан виконання."), fields.STATUS.name
    typed = {}
    for name, value in values.items():
        field = fields.find(name)
        if field is not None and field.kind is Kind.MONEY and language() == "en" and "," in str(value or ""):
            # an English reader's «1,000» is a thousand, which the comma read as the decimal mark made 1,0
            return tr("Сума «{value}»: дробову частину тут відділяють крапкою (125.5), а кому не прочитано — "
                      "напишіть суму без неї.", value=value), name
        try:
            typed[name] = fields.get(name).parse(value)
        except ValidationError as exc:
            return str(exc), name if name in fields.names() else None
    status, percent = typed["status"], typed.get("percent", 0)
    try:
        check_rules(status, percent)
    except ValidationError:
        return tr("«{status}» означає {required} %: вкажіть {required} % або оберіть інший стан.",
                  status=tr(status.label), required=status.percent), fields.PERCENT.name
    return "", None


def differs(loaded: dict, values: dict) -> bool:
    """True when the form's ``values`` (as typed) are not the ``loaded`` typed values."""
    for f in FIELDS:
        if f.name not in values:
            continue
        try:
            value = f.parse(values[f.name])
        except ValidationError:
            return True
        if not f.same(f.store(value), f.store(loaded.get(f.name, f.empty))):
            return True
    return False
