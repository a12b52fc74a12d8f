"""What the window shows of a plan, from the settings, and the first tree it reads for it."""

from __future__ import annotations

import pytest

from tracker.quarters import Quarter, current_quarter
from ui.plan_view import first_tree, quarter_shown, saved_quarter


@pytest.mark.parametrize("saved, expected", [("2025Q3", Quarter(2025, 3)), ("", None), ("not a quarter", None),
                                             ("2025Q9", None)])
def test_the_saved_quarter_is_read_or_left_out(settings, saved, expected):
    settings.setValue("view/quarter", saved)
    assert saved_quarter(settings) == expected


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
