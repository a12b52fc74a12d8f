"""What the window shows of a plan, kept in the settings — its quarter, and whether measures an amendment removed are
in — and the first tree it shows, read before the window takes it (beside the file's quick check)."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QSettings

from tracker import quarters
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
    """The quarter the window showed last time — unless it was chosen in an earlier quarter of the calendar and is
    neither this quarter nor the one before (the one being reported): a coordinator opening the program a quarter
    or two later would type into a quarter long past. None: the current quarter is shown."""
    saved = settings.value("view/quarter", "", str)
    try:
        quarter = Quarter.parse(saved) if saved else None
    except TrackerError:
        return None
    try:
        chosen = _dt.date.fromisoformat(settings.value("view/quarter_chosen", "", str))
    except ValueError:
        return quarter  # a setting from before the date was kept beside it
    now = Quarter.containing(quarters.today())
    if quarter is not None and Quarter.containing(chosen) != now and quarter.index not in (now.index, now.index - 1):
        return None
    return quarter


def save_quarter(settings: QSettings, quarter: Quarter) -> None:
    settings.setValue("view/quarter", str(quarter))
    settings.setValue("view/quarter_chosen", quarters.today().isoformat())


def shows_removed(settings: QSettings) -> bool:
    return settings.value("view/show_removed", False, bool)
