"""The events of a measure's changes (tracker.progress.events): the order a history is read in."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from tracker.progress.events import in_causal_order, parents_of
from tracker.storage.models import History


def _row(row_id: int, change_set: str, uid: str, *parents: str) -> History:
    return History(id=row_id, change_set=change_set, event_uid=uid, parent_uid=parents[0] if parents else None,
                   merge_parent_uids=" ".join(parents[1:]) or None)


def test_saves_that_replace_each_other_in_a_circle_are_all_listed_once():
    """Only a forged package could make a circle of changes; the history is listed all the same, not looped on."""
    rows = [_row(1, "a", "u1", "u3"), _row(2, "b", "u2", "u1"), _row(3, "c", "u3", "u2"), _row(4, "d", "u4")]
    assert sorted(row.id for row in in_causal_order(rows)) == [1, 2, 3, 4]


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 30)), max_size=30))
def test_every_change_is_listed_once_after_the_changes_it_replaced(links):
    """Any order the clocks gave, and saves of several changes: each listed after its parents, its save's rows
    together."""
    rows = [_row(index, f"set{index // 2}", f"u{index}", *([f"u{parent}"] if parent < index else []))
            for index, (_, parent) in enumerate(links)]
    shuffled = sorted(rows, key=lambda row: (links[row.id][0], row.id))
    ordered = in_causal_order(shuffled)
    assert sorted(row.id for row in ordered) == [row.id for row in rows]
    position = {row.event_uid: place for place, row in enumerate(ordered)}
    for place, row in enumerate(ordered):
        assert all(position[parent] < place or ordered[position[parent]].change_set == row.change_set
                   for parent in parents_of(row) if parent in position)
    runs = [name for name, _ in itertools.groupby(row.change_set for row in ordered)]
    assert len(runs) == len(set(runs))  # each save's rows one after another
