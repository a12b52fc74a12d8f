"""How one progress field's value reads in tables and dialogs, whatever form it comes in."""

from __future__ import annotations

from decimal import Decimal

from tracker.progress.status import Status

from .i18n import N_, tr

RECORD_VALUES = {"created": N_("створено"), "deleted": N_("вилучено")}


def field_value_text(field: str, value) -> str:
    """``value`` as stored in history (status code, "55", "12.5") or typed (Status, int, Decimal)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Status):
        return tr(value.label)
    if field == "status":
        return tr(Status(value).label)
    if field == "record":
        return tr(RECORD_VALUES.get(value, value))
    if field == "percent":
        return f"{value} %"
    if field in ("planned_financing", "actual_financing"):
        return str(value).replace(".", ",")  # Ukrainian decimal comma, as typed in the form
    return str(value)


def money_text(value: Decimal | str | None) -> str:
    """A sum as a person types it in the form: «12,5»; empty when there is none."""
    return "" if value is None else f"{Decimal(value):.1f}".replace(".", ",")
