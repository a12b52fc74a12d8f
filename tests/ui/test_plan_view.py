"""What the window shows of a plan, from the settings, and the first tree it reads for it."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker import quarters
from tracker.quarters import Quarter, current_quarter
from ui.plan_view import first_tree, quarter_shown, save_quarter, saved_quarter


@pytest.mark.parametrize("saved, expected", [("2025Q3", Quarter(2025, 3)), ("", None), ("not a quarter", None),
                                             ("2025Q9", None)])
def test_the_saved_quarter_is_read_or_left_out(settings, saved, expected):
    settings.setValue("view/quarter", saved)
    assert saved_quarter(settings) == expected


@pytest.mark.parametrize("chosen, today, expected", [
    ("2025-08-14", "2025-09-30", Quarter(2025, 1)),  # chosen in this quarter of the calendar: as chosen
    ("2025-05-20", "2025-10-02", None),  # chosen last quarter, two quarters back now: the current one
    ("2025-08-14", "2026-02-01", None),
    ("", "2026-02-01", Quarter(2025, 1)),  # kept before the date was: as it was
])
def test_a_quarter_chosen_a_calendar_quarter_ago_opens_only_while_it_is_reported(settings, monkeypatch, chosen, today,
                                                                                 expected):
    """Closed on III кв. in September, opened again in December: the window opened on III кв. — the form's heading
    the only hint that the new quarter's report went into a past one. The quarter being reported (the one before
    today's) and today's own still open as they were left."""
    monkeypatch.setattr(quarters, "today", lambda: dt.date.fromisoformat(today))
    settings.setValue("view/quarter", "2025Q1")
    settings.setValue("view/quarter_chosen", chosen)
    assert saved_quarter(settings) == expected
    monkeypatch.setattr(quarters, "today", lambda: dt.date(2025, 9, 30))
    save_quarter(settings, Quarter(2025, 3))
    assert saved_quarter(settings) == Quarter(2025, 3)  # chosen today: as chosen
    monkeypatch.setattr(quarters, "today", lambda: dt.date(2025, 12, 1))
    assert saved_quarter(settings) == Quarter(2025, 3)  # the quarter being reported in December
    monkeypatch.setattr(quarters, "today", lambda: dt.date(2026, 1, 12))
    assert saved_quarter(settings) is None


def test_a_quarter_outside_the_plan_gives_the_current_one(plan):
    now = current_quarter(plan.first_year, plan.last_year)
    assert quarter_shown(plan, Quarter(2025, 2)) == Quarter(2025, 2)
    assert quarter_shown(plan, Quarter(2031, 1)) == now and quarter_shown(plan, None) == now


def test_the_first_tree_is_the_quarter_shown_else_the_saved_one_with_removed_measures_as_set(plan, settings):
    settings.setValue("view/quarter", "2024Q4")
    settings.setValue("view/show_removed", True)
    tree = first_tree(plan, settings)
    assert tree.quarter == Quarter(2024, 4) and tree.version[1] is True and len(tree.measures()) == 233
    assert first_tree(plan, settings, Quarter(2026, 1)).quarter == Quarter(2026, 1)
