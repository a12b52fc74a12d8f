"""Rolling measures' states up to tasks and goals."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.progress.fields import empty_values
from tracker.progress.records import ProgressState, find_measure, save_progress
from tracker.progress.rollup import NOT_REPORTED, rollup
from tracker.progress.status import Status
from tracker.progress.tree import load_tree, tree_json
from tracker.quarters import Quarter

Q = Quarter.parse


def state(status, percent, reported=True, measure_id=1):
    values = dict(empty_values(), status=status, percent=percent)
    return ProgressState(measure_id=measure_id, quarter=Q("2025Q1"), reported=reported, values=values,
                         updated_at=dt.datetime(2025, 4, 1), updated_by="", version=1)


def zero_counts(**given):
    counts = {s.value: 0 for s in Status}
    counts[NOT_REPORTED] = 0
    counts.update(given)
    return counts


# -- the arithmetic --------------------------------------------------------------------------------

def test_empty():
    result = rollup([])
    assert (result.measures, result.percent, result.counts) == (0, None, zero_counts())


def test_never_reported_counts_as_zero():
    result = rollup([None, None, state(Status.DONE, 100)])
    assert result.measures == 3
    assert result.percent == pytest.approx(100 / 3)
    assert result.counts == zero_counts(done=1, not_reported=2)
    assert (result.never_reported, result.not_reported, result.reported) == (2, 2, 1)


def test_obsolete_left_out_of_the_average():
    result = rollup([state(Status.OBSOLETE, 0), state(Status.DONE, 100), state(Status.IN_PROGRESS, 50)])
    assert result.percent == pytest.approx(75.0)
    assert result.counts == zero_counts(obsolete=1, done=1, in_progress=1)
    assert result.measures == 3


def test_obsolete_percent_is_ignored_even_if_set():
    assert rollup([state(Status.OBSOLETE, 90), state(Status.IN_PROGRESS, 10)]).percent == pytest.approx(10.0)


def test_all_obsolete_has_no_percent():
    result = rollup([state(Status.OBSOLETE, 0), state(Status.OBSOLETE, 0)])
    assert result.percent is None
    assert result.as_json()["percent"] is None


def test_a_carried_state_counts_as_not_reported_only_and_by_its_last_percent_in_the_average():
    """Counted under its last status too, 233 measures read 271 in the report (issue 13)."""
    result = rollup([state(Status.PARTIALLY_DONE, 70, reported=False), state(Status.NOT_STARTED, 0)])
    assert result.percent == pytest.approx(35.0)
    assert result.counts == zero_counts(not_started=1, not_reported=1)
    assert result.never_reported == 0
    assert result.reported == 1
    assert sum(result.counts.values()) == result.measures


def test_every_status_counted():
    states = [state(s, 100 if s is Status.DONE else 0) for s in Status]
    result = rollup(states)
    assert result.counts == zero_counts(**{s.value: 1 for s in Status})
    assert result.percent == pytest.approx(100 / 5)


def test_as_json_rounds():
    result = rollup([state(Status.IN_PROGRESS, 10), None, None])
    assert result.as_json() == {"measure_count": 3, "percent": 3.3,
                                "counts": zero_counts(in_progress=1, not_reported=2)}


def test_accepts_a_generator():
    assert rollup(s for s in [None, state(Status.IN_PROGRESS, 40)]).percent == pytest.approx(20.0)


# -- rollups on the bundled plan -------------------------------------------------------------------

@pytest.fixture
def reported(plan):
    saves = [
        ("3.1.1", "2025Q1", "done", 100),
        ("3.1.2", "2025Q1", "in_progress", 40),
        ("3.1.3", "2025Q1", "obsolete", 0),
        ("3.1.4", "2024Q4", "partially_done", 70),
        ("3.1.8", "2025Q1", "in_progress", 20),
        ("3.2.1", "2025Q2", "done", 100),
        ("1.1.1", "2025Q1", "not_done", 10),
    ]
    for code, quarter, status, percent in saves:
        save_progress(find_measure(plan, code), Q(quarter), {"status": status, "percent": percent}, author="тест")
    return plan


def nodes(tree):
    sg3 = next(sg for sg in tree.strategic_goals if sg.number == 3)
    og31 = next(og for og in sg3.operational_goals if og.code == "3.1")
    task_a = next(t for t in og31.tasks if "3.1.4" in [m.code for m in t.measures])
    task_b = next(t for t in og31.tasks if "3.1.8" in [m.code for m in t.measures])
    return sg3, og31, task_a, task_b


def assert_parts_sum_to_the_whole(tree):
    nodes = [tree, *tree.strategic_goals]
    nodes += [og for sg in tree.strategic_goals for og in sg.operational_goals]
    nodes += [task for node in nodes[1 + len(tree.strategic_goals):] for task in node.tasks]
    for node in nodes:
        assert sum(node.rollup.counts.values()) == node.rollup.measures
        assert node.rollup.reported + node.rollup.not_reported == node.rollup.measures


def test_rollups_as_of_2025q1(reported):
    tree = load_tree(reported, Q("2025Q1"))
    sg3, og31, task_a, task_b = nodes(tree)

    # task 3.1.1–3.1.7: 7 measures, 3.1.3 obsolete; (100 + 40 + 70 carried) / 6
    assert [m.code for m in task_a.measures] == [f"3.1.{n}" for n in range(1, 8)]
    assert task_a.rollup.measures == 7
    assert task_a.rollup.percent == pytest.approx(35.0)
    # 3.1.4 is carried from 2024Q4: in the average by its 70 %, counted as not reported for this quarter
    assert task_a.rollup.counts == zero_counts(done=1, in_progress=1, obsolete=1, not_reported=4)

    # task 3.1.8–3.1.12: 20 / 5
    assert task_b.rollup.measures == 5
    assert task_b.rollup.percent == pytest.approx(4.0)
    assert task_b.rollup.counts == zero_counts(in_progress=1, not_reported=4)

    # operational goal 3.1: 16 measures, 15 relevant, 230 in all
    assert og31.rollup.measures == 16
    assert og31.rollup.percent == pytest.approx(230 / 15)
    assert og31.rollup.counts == zero_counts(done=1, in_progress=2, obsolete=1, not_reported=12)

    # strategic goal 3: 61 measures, 60 relevant; 3.2.1 is reported only in 2025Q2
    assert sg3.rollup.measures == 61
    assert sg3.rollup.percent == pytest.approx(230 / 60)
    assert sg3.rollup.counts == zero_counts(done=1, in_progress=2, obsolete=1, not_reported=57)

    # whole plan: 233 measures, 232 relevant, 240 in all
    assert tree.rollup.measures == 233
    assert tree.rollup.percent == pytest.approx(240 / 232)
    assert tree.rollup.counts == zero_counts(done=1, in_progress=2, obsolete=1, not_done=1, not_reported=228)
    assert_parts_sum_to_the_whole(tree)

    other_goals = [sg for sg in tree.strategic_goals if sg.number not in (1, 3)]
    assert all(sg.rollup.percent == 0 and sg.rollup.not_reported == sg.rollup.measures for sg in other_goals)


def test_rollups_as_of_2025q2(reported):
    tree = load_tree(reported, Q("2025Q2"))
    sg3, og31, task_a, _ = nodes(tree)
    assert task_a.rollup.percent == pytest.approx(35.0)
    assert task_a.rollup.counts[NOT_REPORTED] == 7  # everything carried from earlier quarters
    assert sg3.rollup.percent == pytest.approx(330 / 60)
    assert sg3.rollup.counts == zero_counts(done=1, not_reported=60)  # only 3.2.1 is reported for 2025Q2
    assert_parts_sum_to_the_whole(tree)


def test_rollups_as_of_2024q4(reported):
    tree = load_tree(reported, Q("2024Q4"))
    sg3, og31, task_a, task_b = nodes(tree)
    assert task_a.rollup.percent == pytest.approx(10.0)
    assert task_a.rollup.counts == zero_counts(partially_done=1, not_reported=6)
    assert task_b.rollup.percent == 0
    assert tree.rollup.percent == pytest.approx(70 / 233)


def test_rollups_in_json(reported):
    data = tree_json(load_tree(reported, Q("2025Q1")))
    sg3 = next(sg for sg in data["strategic_goals"] if sg["number"] == 3)
    og31 = next(og for og in sg3["operational_goals"] if og["code"] == "3.1")
    task_a = next(t for t in og31["tasks"] if "3.1.4" in [m["code"] for m in t["measures"]])
    # the task keeps its list of measures next to its rollup
    assert [m["code"] for m in task_a["measures"]] == [f"3.1.{n}" for n in range(1, 8)]
    assert (task_a["measure_count"], task_a["percent"], task_a["counts"]["not_reported"]) == (7, 35.0, 4)
    assert (og31["measure_count"], og31["percent"]) == (16, 15.3)
    assert (sg3["measure_count"], sg3["percent"]) == (61, 3.8)
    assert (data["plan"]["measure_count"], data["plan"]["percent"]) == (233, 1.0)
    assert data["plan"]["counts"] == zero_counts(done=1, in_progress=2, obsolete=1, not_done=1, not_reported=228)


def test_no_rollups_without_a_quarter(reported):
    tree = load_tree(reported)
    assert tree.quarter is None
    assert tree.rollup.measures == 0
    assert all(m.state is None for m in tree.measures())


def test_parts_combine_into_the_rollup_of_all_their_measures(plan):
    from tracker.progress.records import find_measure, save_progress
    from tracker.progress.rollup import combine, rollup
    from tracker.progress.tree import load_tree
    from tracker.quarters import Quarter

    q = Quarter(2025, 2)
    for code, status, percent in (("1.1.1", "done", 100), ("1.1.2", "obsolete", 0), ("1.2.1", "in_progress", 33),
                                  ("2.1.1", "not_done", 7)):
        save_progress(find_measure(plan, code), Quarter(2025, 1), {"status": "in_progress", "percent": 5}, author="t")
        save_progress(find_measure(plan, code), q, {"status": status, "percent": percent}, author="t")
    tree = load_tree(plan, q)
    for sg in tree.strategic_goals:
        for og in sg.operational_goals:
            assert og.rollup == rollup(m.state for m in og.measures())
        assert sg.rollup == rollup(m.state for m in sg.measures())
    assert tree.rollup == rollup(m.state for m in tree.measures())
    assert combine([]) == rollup([])
