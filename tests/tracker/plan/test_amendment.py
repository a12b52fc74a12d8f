"""Amendments of the real plan: measures follow their content, never their code, and nothing is written.

Each test edits the bundled table the way the council amends a plan and imports it over a database
holding the plan: the amendment lists what changed, pairs old and new measures by what they say,
asks where it is not sure, and leaves the database as it was.
"""

from __future__ import annotations

import pytest

from tests.tracker.plan.test_store import plan_lines, snapshot
from tracker.cli.commands import main as cli_main
from tracker.errors import ValidationError
from tracker.paths import BUNDLED_PLAN
from tracker.plan.amendment import (
    EXECUTORS,
    FUNDING,
    MOVED,
    RENUMBERED,
    REWORDED,
    MeasureEntry,
    compare,
    describe,
)
from tracker.plan.store import AnotherPlanError, PlanAmendmentFound, current_plan, import_plan
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter


def amended(tmp_path, edit, name="amended.txt"):
    """The bundled table with ``edit(rows)`` applied to its rows of cells; the file's path."""
    rows = [line.split("\t") for line in plan_lines()]
    edit(rows)
    path = tmp_path / name
    path.write_text("\n".join("\t".join(cells) for cells in rows), encoding="utf-8")
    return path


def row(rows, code):
    return next(cells for cells in rows if cells[0] == code)


def amendment(path, **settle):
    with pytest.raises(PlanAmendmentFound) as found:
        import_plan(path, **settle)
    return found.value.amendment


def by_new_code(found):
    return {p.new.code: p for p in found.pairs}


def remove_and_renumber(rows):
    rows.remove(row(rows, "1.1.3"))
    for number in (4, 5, 6):
        row(rows, f"1.1.{number}")[0] = f"1.1.{number - 1}"


def test_remove_and_renumber_follows_each_measure_not_its_code(plan, tmp_path):
    old_114 = find_measure(plan, "1.1.4")
    save_progress(old_114, Quarter(2025, 1), {"status": "done", "percent": 100}, author="Оля")
    before = snapshot()
    found = amendment(amended(tmp_path, remove_and_renumber))
    assert [m.code for m in found.removed] == ["1.1.3"] and not found.added and not found.questions
    pairs = by_new_code(found)
    assert (pairs["1.1.3"].old.code, pairs["1.1.3"].old.uid) == ("1.1.4", old_114.uid)  # the «Виконано 100 %» one
    assert [pairs[f"1.1.{n}"].changes() for n in (3, 4, 5)] == [[RENUMBERED]] * 3
    assert len(found.changed) == 3
    assert snapshot() == before  # shown, not written


def test_reworded_slightly_is_the_same_measure_and_rewritten_is_a_question(plan, tmp_path):
    def edit(rows):
        row(rows, "1.1.1")[2] = row(rows, "1.1.1")[2].replace("затребуваних ", "затребуваних ринком праці ")
        row(rows, "1.2.2")[2] = "Розроблення комплексного плану енергоефективності житлового фонду громади"

    found = amendment(amended(tmp_path, edit))
    assert by_new_code(found)["1.1.1"].changes() == [REWORDED]
    assert [(q.old.code, q.new.code) for q in found.questions] == [("1.2.2", "1.2.2")] or (
        [m.code for m in found.removed], [m.code for m in found.added]) == (["1.2.2"], ["1.2.2"])


def test_an_uncertain_pairing_is_asked_and_settled_either_way(plan, tmp_path):
    def edit(rows):  # «Розробка та реалізація мотиваційних програм для ОСББ/ОСН», rewritten
        row(rows, "2.1.2")[2] = "Розробка та реалізація програм підтримки ініціативних груп ОСББ/ОСН"

    path = amended(tmp_path, edit)
    found = amendment(path)
    assert [(q.old.code, q.new.code) for q in found.questions] == [("2.1.2", "2.1.2")]
    assert any("2.1.2" in line for line in describe(found)) is False  # a question is not a change yet
    same = amendment(path, matches={"2.1.2": "2.1.2"})
    assert not same.questions and by_new_code(same)["2.1.2"].settled
    replaced = amendment(path, new_codes={"2.1.2"})
    assert not replaced.questions
    assert ([m.code for m in replaced.removed], [m.code for m in replaced.added]) == (["2.1.2"], ["2.1.2"])


def test_a_measure_rewritten_where_it_stood_is_a_question_however_unlike(plan, tmp_path):
    """2.2.3 worded anew in its own task under its own code, the words little alike: it was one measure removed and
    one added, with no question — and every record of it left on the removed one, the preview silent about it."""
    def edit(rows):
        row(rows, "2.2.3")[2] = "Будівництво сонячної електростанції для потреб водоканалу"

    found = amendment(amended(tmp_path, edit))
    [question] = [q for q in found.questions if q.old.code == "2.2.3"]
    assert question.new.code == "2.2.3" and question.similarity < 0.5
    assert "2.2.3" not in [m.code for m in found.removed] + [m.code for m in found.added]


def test_a_measure_moved_to_another_goal_keeps_its_identity(plan, tmp_path):
    def edit(rows):
        moved = row(rows, "1.1.2")
        rows.remove(moved)
        for number in range(3, 7):
            row(rows, f"1.1.{number}")[0] = f"1.1.{number - 1}"
        anchor = rows.index(row(rows, "1.2.9"))
        rows.insert(anchor + 1, ["1.2.10", "", moved[2], moved[3], moved[4]])

    old = find_measure(plan, "1.1.2")
    found = amendment(amended(tmp_path, edit))
    pairing = by_new_code(found)["1.2.10"]
    assert pairing.old.uid == old.uid and {RENUMBERED, MOVED} <= set(pairing.changes())
    assert pairing.new.goal == "1.2" and not found.added and not found.removed


def test_executor_and_funding_changes_are_listed(plan, tmp_path):
    def edit(rows):
        row(rows, "1.1.2")[3] = "Вищі навчальні заклади, департамент освіти"
        row(rows, "1.1.3")[4] = "бюджет громади"

    found = amendment(amended(tmp_path, edit))
    assert [(p.new.code, p.changes()) for p in found.changed] == [("1.1.2", [EXECUTORS]), ("1.1.3", [FUNDING])]
    assert any("1.1.2" in line and "+ «Департамент освіти»" in line for line in describe(found))
    assert any("1.1.3" in line and "− «інші джерела»" in line for line in describe(found))


def test_retitled_plan_goals_and_tasks_are_one_plan_amended(plan, tmp_path):
    def edit(rows):
        title = next(cells for cells in rows if cells[0].startswith("План заходів"))
        title[0] += " (зі змінами від 25.02.2026)"
        goal = next(cells for cells in rows if cells[0].startswith("Оперативна ціль 1.1."))
        goal[0] = "Оперативна ціль 1.1. Розвиток університетського кластеру"
        row(rows, "1.1.1")[1] = "Осучаснити освітні програми закладів вищої освіти"

    found = amendment(amended(tmp_path, edit))
    kinds = {change.kind: change for change in found.titles}
    assert set(kinds) == {"plan", "operational", "task"}
    assert kinds["operational"].new == "Розвиток університетського кластеру"
    assert kinds["task"].new == "Осучаснити освітні програми закладів вищої освіти"
    assert not found.changed and not found.added and not found.removed  # the measures are the same
    assert current_plan().title == plan.title  # one plan: not a second one hiding the progress


def test_an_added_measure_is_added(plan, tmp_path):
    def edit(rows):
        anchor = rows.index(row(rows, "1.1.6"))
        rows.insert(anchor + 1, ["1.1.7", "", "Створення ради молодих науковців громади", "Департамент освіти",
                                 "бюджет громади"])

    found = amendment(amended(tmp_path, edit))
    assert [(m.code, m.goal) for m in found.added] == [("1.1.7", "1.1")] and not found.changed


def test_the_same_plan_again_changes_nothing(plan):
    before = snapshot()
    result = import_plan(BUNDLED_PLAN)
    assert not result.changed and snapshot() == before


def test_another_plan_is_said_to_be_another_and_written_only_when_asked(plan, tmp_path):
    path = tmp_path / "next.txt"
    path.write_text(BUNDLED_PLAN.read_text(encoding="utf-8").replace("2024–2027", "2028–2031"), encoding="utf-8")
    before = snapshot()
    with pytest.raises(AnotherPlanError, match="інший план"):
        import_plan(path)
    assert snapshot() == before
    result = import_plan(path, new_plan=True)
    assert result.plan.first_year == 2028 and current_plan().id == result.plan.id


def test_settlements_name_measures_that_exist(plan, tmp_path):
    path = amended(tmp_path, remove_and_renumber)
    with pytest.raises(ValidationError, match="9.9.9"):
        import_plan(path, matches={"9.9.9": "1.1.1"})
    with pytest.raises(ValidationError, match="9.9.9"):
        import_plan(path, new_codes={"9.9.9"})
    with pytest.raises(ValidationError, match="кількома"):
        import_plan(path, matches={"1.1.4": "1.1.3", "1.1.5": "1.1.3"})


def test_a_close_rival_makes_a_pairing_a_question():
    def entry(code, title, goal="1.1"):
        return MeasureEntry(code, title, goal, "Завдання", (), ())

    old = [entry("1.1.1", "Проведення фестивалю молодіжної культури у громаді")]
    new = [entry("1.1.1", "Проведення фестивалю молодіжної культури в громаді"),
           entry("1.1.2", "Проведення фестивалів молодіжної культури в громадах")]
    found = compare(old, new)
    assert [(q.old.code, q.new.code) for q in found.questions] == [("1.1.1", "1.1.1")]


def test_the_command_line_shows_the_amendment_and_writes_nothing(plan, tmp_path, capsys):
    from tracker.storage.db import close_database

    path = amended(tmp_path, remove_and_renumber)
    database_file = plan.__class__._meta.database.obj.database
    close_database()
    code = cli_main(["--db", database_file, "import-plan", str(path)])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "вилучено 1.1.3" in out and "перенумеровано 1.1.4 → 1.1.3" in out and "нічого не записано" in out
    code = cli_main(["--db", database_file, "import-plan", str(path), "--match", "1.1.4"])
    assert code == 1 and "СТАРИЙ=НОВИЙ" in capsys.readouterr().err
