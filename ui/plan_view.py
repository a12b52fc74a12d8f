"""What the window shows of a plan, kept in the settings — its quarter, and whether measures an amendment removed are
in — and the first tree it shows, read before the window takes it (beside the file's quick check)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from tracker.errors import TrackerError
from tracker.progress.tree import PlanTree, load_tree
from tracker.quarters import Quarter, current_quarter, plan_quarters


def first_tree(plan, settings: QSettings, shown: Quarter | None = None) -> PlanTree:
    """The tree a window opening ``plan`` shows first — the quarter it showed (``shown``; at the start, the one it
    showed last time) while the plan has it — read before the window takes it: beside the file's quick check
    (tracker.plan.store.open_plan_and_read)."""
    return load_tree(plan, quarter_shown(plan, shown or saved_quarter(settings)), removed=shows_removed(settings))


def quarter_shown(plan, wanted: Quarter | None) -> Quarter:
    """``wanted`` while ``plan`` has it, else the current quarter (the plan's first or last outside its years)."""
    if wanted in plan_quarters(plan.first_year, plan.last_year):
        return wanted
    return current_quarter(plan.first_year, plan.last_year)


def saved_quarter(settings: QSettings) -> Quarter | None:
    saved = settings.value("view/quarter", "", str)
    try:
        return Quarter.parse(saved) if saved else None
    except TrackerError:
        return None


def shows_removed(settings: QSettings) -> bool:
    return settings.value("view/show_removed", False, bool)
