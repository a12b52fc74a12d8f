"""The plan tree as of a quarter: refreshed after a save, it is the tree a fresh load gives."""

from __future__ import annotations

from tracker.progress.records import find_measure, save_progress, states_as_of
from tracker.progress.tree import load_tree, refresh_states, tree_json
from tracker.quarters import Quarter

Q1, Q2, Q3 = Quarter(2025, 1), Quarter(2025, 2), Quarter(2025, 3)


def test_refreshing_the_saved_measures_gives_the_tree_a_fresh_load_gives(plan):
    save_progress(find_measure(plan, "1.1.1"), Q1, {"status": "in_progress", "percent": 10}, author="t")
    save_progress(find_measure(plan, "1.1.2"), Q2, {"status": "done", "percent": 100}, author="t")
    shown = load_tree(plan, Q2)
    changed = [find_measure(plan, code).id for code in ("1.1.1", "1.1.2", "5.3.5")]
    save_progress(changed[0], Q1, {"percent": 40}, author="t")  # an earlier quarter: carried into Q2
    save_progress(changed[1], Q2, {"status": "partially_done", "percent": 70}, author="t")
    save_progress(changed[2], Q2, {"status": "not_done", "percent": 5}, author="t")
    save_progress(find_measure(plan, "2.1.1"), Q3, {"status": "done", "percent": 100}, author="t")  # later: unseen
    refreshed = refresh_states(shown, plan, changed)
    assert refreshed is shown
    assert tree_json(refreshed) == tree_json(load_tree(plan, Q2))


def test_the_latest_record_per_measure_is_the_one_before_or_in_the_quarter(plan):
    measure = find_measure(plan, "3.1.1")
    for quarter, percent in ((Q1, 10), (Q3, 30), (Q2, 20)):
        save_progress(measure, quarter, {"status": "in_progress", "percent": percent}, author="t")
    assert states_as_of(plan, Q2)[measure.id].percent == 20
    assert states_as_of(plan, Quarter(2024, 4)).get(measure.id) is None
    assert states_as_of(plan, Quarter(2027, 4), [measure.id])[measure.id].quarter == Q3
