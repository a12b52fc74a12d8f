"""Applying amendments of the real plan: one recorded, reviewed step; progress and history follow each measure.

Each test amends the bundled table the way the council does (tests.tracker.plan.test_amendment's
``amended``), applies it from a quarter on, and looks at the plan before and after that quarter.
"""

from __future__ import annotations

import json

import pytest

from tests.tracker.plan.test_amendment import amended, remove_and_renumber, row
from tests.tracker.plan.test_store import plan_lines, snapshot
from tracker.cli.commands import main as cli_main
from tracker.errors import NotFoundError, PlanFormatError, ValidationError
from tracker.exchange.package import read_package
from tracker.plan.amend import apply_file
from tracker.plan.store import AnotherPlanError, current_plan, import_plan
from tracker.plan.versions import amendments
from tracker.progress.records import find_measure, measure_history, save_progress
from tracker.progress.tree import load_tree, restate, shows_same_plan, tree_json
from tracker.quarters import Quarter
from tracker.storage.db import close_database
from tracker.storage.models import Measure
from tracker.text import MAX_LABEL, MAX_TEXT

DECISION = "рішення міської ради від 25.02.2026 № 71/14"
Q2025_4, Q2026_1, Q2026_2, Q2026_3 = Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3)


def apply(path, effective=Q2026_1, **settle):
    return apply_file(path, decision=DECISION, effective=effective, author="Економічна політика", **settle)


def codes(quarter, **kwargs) -> dict[str, str]:
    """Code → title of every measure of the plan as in force in ``quarter``."""
    return {m.code: m.title for m in load_tree(current_plan(), quarter, **kwargs).measures()}


def node(quarter, code, **kwargs):
    return next(m for m in load_tree(current_plan(), quarter, **kwargs).measures() if m.code == code)


def test_a_removed_measure_shown_stands_in_code_order(plan, tmp_path):
    """Shown among the removed (Вигляд → Показувати виключені заходи), 1.2.5 stood after its task's last, 1.2.7."""
    def drop_125(rows):
        rows.remove(row(rows, "1.2.5"))

    apply(amended(tmp_path, drop_125))
    [task] = [t for sg in load_tree(plan, Q2026_1, removed=True).strategic_goals for og in sg.operational_goals
              for t in og.tasks if any(m.code == "1.2.5" for m in t.measures)]
    assert [(m.code, bool(m.removed)) for m in task.measures] == [
        (f"1.2.{n}", n == 5) for n in range(1, len(task.measures) + 1)]


def test_remove_and_renumber_moves_no_progress_and_keeps_the_removed_measure_for_earlier_quarters(plan, tmp_path):
    old_113, old_114 = find_measure(plan, "1.1.3"), find_measure(plan, "1.1.4")
    save_progress(old_114, Quarter(2025, 1), {"status": "done", "percent": 100}, author="Оля")
    save_progress(old_113, Quarter(2025, 2), {"status": "in_progress", "percent": 40}, author="Петро")
    history_114 = [h.id for h in measure_history(old_114)]

    result = apply(amended(tmp_path, remove_and_renumber))

    assert result.amendment is not None and "вилучено 1.1.3" in result.changes[0]
    # before the effective quarter: the plan as it was — old codes, the removed measure, 233 measures
    assert node(Q2025_4, "1.1.3").id == old_113.id and node(Q2025_4, "1.1.4").id == old_114.id
    assert len(codes(Q2025_4)) == 233
    # from it on: the old 1.1.4 is 1.1.3 and keeps its «Виконано 100 %» and history; the old 1.1.3 is gone
    after = node(Q2026_1, "1.1.3")
    assert after.id == old_114.id and after.uid == old_114.uid
    assert after.state.status.value == "done" and after.state.percent == 100
    assert [h.id for h in measure_history(after.id)] == history_114
    assert len(codes(Q2026_1)) == 232 and old_113.id not in {m.id for m in load_tree(plan, Q2026_1).measures()}
    # asked for, the removed measure shows, marked with the decision, and counts in no rollup
    shown = next(m for m in load_tree(plan, Q2026_1, removed=True).measures() if m.id == old_113.id)
    assert shown.removed == DECISION and shown.state.percent == 40
    assert load_tree(plan, Q2026_1, removed=True).rollup == load_tree(plan, Q2026_1).rollup
    # codes name the measure of the version in force in the quarter they are used for
    assert find_measure(plan, "1.1.3", Q2025_4).id == old_113.id
    assert find_measure(plan, "1.1.3", Q2026_2).id == old_114.id
    assert find_measure(plan, "1.1.6", Q2025_4).code == "1.1.5"
    with pytest.raises(NotFoundError, match="1.1.6"):
        find_measure(plan, "1.1.6", Q2026_1)


def test_a_save_from_a_form_opened_before_the_measure_was_removed_is_refused_for_its_quarters(plan, tmp_path):
    """A colleague's form stayed open on 1.1.3 while the amendment removing it was applied from another PC: the save
    was written on the removed measure, shown nowhere for that quarter («Збережено: захід 1.1.3»)."""
    removed = find_measure(plan, "1.1.3").id  # the form holds the measure's id
    apply(amended(tmp_path, remove_and_renumber))
    before = snapshot()
    with pytest.raises(ValidationError, match=f"1.1.3 виключено з плану з I кв. 2026 \\({DECISION}\\)"):
        save_progress(removed, Q2026_2, {"status": "in_progress", "percent": 66}, author="Петро")
    assert snapshot() == before
    # its quarters before the amendment are its own still
    assert save_progress(removed, Q2025_4, {"status": "in_progress", "percent": 66}, author="Петро").change_set


def test_a_save_that_read_the_measure_before_an_amendment_removed_it_is_refused(plan, tmp_path):
    """`tracker set 1.1.3` waited for the write lock while `import-plan --apply` removed 1.1.3, then wrote into it:
    «записано», and the update was shown nowhere for its quarter. The measure it read before the wait is read again
    under the lock."""
    read_before = find_measure(plan, "1.1.3")  # as the command line holds it through its wait for the lock
    apply(amended(tmp_path, remove_and_renumber))
    assert read_before.removed_in is None  # what the save was handed still says it is in the plan
    before = snapshot()
    with pytest.raises(ValidationError, match=f"1.1.3 виключено з плану з I кв. 2026 \\({DECISION}\\)"):
        save_progress(read_before, Q2026_1, {"status": "in_progress", "percent": 77}, author="Марія")
    assert snapshot() == before


def test_the_history_of_amendments_is_recorded(plan, tmp_path):
    apply(amended(tmp_path, remove_and_renumber))
    [record] = amendments(plan)
    assert (record.decision, Quarter.from_index(record.effective), record.applied_by, record.source_name) == (
        DECISION, Q2026_1, "Економічна політика", "amended.txt")
    changes = json.loads(record.changes)
    assert changes[0].startswith("вилучено 1.1.3") and any("перенумеровано 1.1.4 → 1.1.3" in c for c in changes)
    assert len(json.loads(record.before)["strategic_goals"]) == 5  # the version it replaced, kept whole


def test_reword_move_executors_retitle_and_add_apply_from_the_effective_quarter(plan, tmp_path):
    moved_before = find_measure(plan, "1.1.2")

    def edit(rows):
        title = next(cells for cells in rows if cells[0].startswith("План заходів"))
        title[0] += " (зі змінами від 25.02.2026)"
        goal = next(cells for cells in rows if cells[0].startswith("Оперативна ціль 1.1."))
        goal[0] = "Оперативна ціль 1.1. Розвиток університетського кластеру"
        row(rows, "1.1.1")[2] = row(rows, "1.1.1")[2].replace("затребуваних ", "затребуваних ринком праці ")
        row(rows, "1.1.3")[3] = "Вищі навчальні заклади, департамент освіти"
        moved = row(rows, "1.1.2")
        rows.remove(moved)
        for number in range(3, 7):
            row(rows, f"1.1.{number}")[0] = f"1.1.{number - 1}"
        rows.insert(rows.index(row(rows, "1.2.9")) + 1, ["1.2.10", "", moved[2], moved[3], moved[4]])
        rows.insert(rows.index(row(rows, "1.1.5")) + 1, ["1.1.6", "", "Створення ради молодих науковців громади",
                                                        "Департамент освіти", "бюджет громади"])

    result = apply(amended(tmp_path, edit))
    assert result.amendment is not None
    amended_plan = current_plan()  # the title changed: read the plan again
    tree_after, tree_before = load_tree(amended_plan, Q2026_1), load_tree(amended_plan, Q2025_4)
    assert tree_after.title.endswith("(зі змінами від 25.02.2026)") and tree_before.title == plan.title
    assert current_plan().uid == plan.uid  # one plan, amended: not a second one hiding the progress
    assert tree_after.strategic_goals[0].operational_goals[0].title == "Розвиток університетського кластеру"
    assert tree_before.strategic_goals[0].operational_goals[0].title != "Розвиток університетського кластеру"
    assert "ринком праці" in node(Q2026_1, "1.1.1").title and "ринком праці" not in node(Q2025_4, "1.1.1").title
    moved = node(Q2026_1, "1.2.10")
    assert moved.id == moved_before.id
    goal_12 = tree_after.strategic_goals[0].operational_goals[1]
    assert moved.id in {m.id for m in goal_12.measures()}
    assert node(Q2026_1, "1.1.2").executors == ["Вищі навчальні заклади", "Департамент освіти"]
    assert node(Q2025_4, "1.1.3").executors != node(Q2026_1, "1.1.2").executors
    added = node(Q2026_1, "1.1.6")
    assert added.title == "Створення ради молодих науковців громади" and "1.1.6" in codes(Q2025_4)
    assert added.id not in {m.id for m in tree_before.measures()}
    assert Measure.select().where(Measure.uid == added.uid).count() == 1


def test_the_same_file_again_changes_nothing(plan, tmp_path):
    path = amended(tmp_path, remove_and_renumber)
    apply(path)
    before = snapshot()
    assert apply(path).amendment is None and apply(path, effective=Q2026_2).amendment is None
    assert not import_plan(path).changed  # imported without --apply: the plan is already so
    assert snapshot() == before


def test_an_uncertain_pairing_blocks_until_settled(plan, tmp_path):
    def edit(rows):
        row(rows, "2.1.2")[2] = "Розробка та реалізація програм підтримки ініціативних груп ОСББ/ОСН"

    path = amended(tmp_path, edit)
    old = find_measure(plan, "2.1.2")
    before = snapshot()
    with pytest.raises(ValidationError, match="сумнівні пари") as refused:
        apply(path)
    assert refused.value.hint == "amendment_questions" and snapshot() == before
    apply(path, matches={"2.1.2": "2.1.2"})
    assert node(Q2026_1, "2.1.2").id == old.id


def test_an_uncertain_pairing_settled_as_new_removes_the_old_measure(plan, tmp_path):
    def edit(rows):
        row(rows, "2.1.2")[2] = "Розробка та реалізація програм підтримки ініціативних груп ОСББ/ОСН"

    old = find_measure(plan, "2.1.2")
    apply(amended(tmp_path, edit), new_codes={"2.1.2"})
    assert node(Q2026_1, "2.1.2").id != old.id and node(Q2025_4, "2.1.2").id == old.id
    assert Measure.get_by_id(old.id).removed_in == Q2026_1.index


def remove_113_then_bring_it_back(tmp_path, new_codes=None):
    """1.1.3 removed from 2026 Q1, and put back (as 1.1.6, the goal's last) from 2026 Q3 by a second decision."""
    old_113 = find_measure(current_plan(), "1.1.3")
    save_progress(old_113, Quarter(2025, 2), {"status": "in_progress", "percent": 40}, author="Петро")
    apply(amended(tmp_path, remove_and_renumber))

    def back(rows):
        remove_and_renumber(rows)
        removed = next(cells for cells in [line.split("\t") for line in plan_lines()] if cells[0] == "1.1.3")
        rows.insert(rows.index(row(rows, "1.1.5")) + 1, ["1.1.6", *removed[1:]])

    result = apply_file(amended(tmp_path, back, "back.txt"), decision="рішення від 30.06.2026 № 80/3",
                        effective=Q2026_3, author="Оля", new_codes=new_codes)
    return old_113, result


def test_a_measure_put_back_by_a_later_amendment_is_the_removed_one_with_its_records(plan, tmp_path):
    measures = Measure.select().count()
    old_113, result = remove_113_then_bring_it_back(tmp_path)
    assert [line for line in result.changes if "1.1.6" in line] == [
        f"повернуто до плану 1.1.6: «{old_113.title}» (оперативна ціль 1.1) — захід, вилучений раніше (тоді 1.1.3); "
        "його записи й історія знову з ним"]
    back = node(Q2026_3, "1.1.6")
    assert (back.id, back.uid) == (old_113.id, old_113.uid) and Measure.select().count() == measures
    assert back.state.percent == 40 and [h.new_value for h in measure_history(back.id) if h.field == "percent"] == [
        "40"]
    assert len(codes(Q2026_3)) == 233 and Measure.get_by_id(old_113.id).removed_in is None
    # while it was out, it was out: the version in force then does not have it
    assert len(codes(Q2026_1)) == 232 and old_113.id not in {m.id for m in load_tree(plan, Q2026_2).measures()}
    assert node(Q2025_4, "1.1.3").id == old_113.id


def test_a_measure_put_back_but_declared_new_by_a_person_is_a_new_measure(plan, tmp_path):
    old_113, result = remove_113_then_bring_it_back(tmp_path, new_codes={"1.1.6"})
    assert any(line.startswith("додано 1.1.6") for line in result.changes)
    assert node(Q2026_3, "1.1.6").id != old_113.id and Measure.get_by_id(old_113.id).removed_in == Q2026_1.index


@pytest.mark.parametrize("effective, decision, message", [
    (Quarter(2028, 1), DECISION, "поза межами плану"),
    (Quarter(2024, 1), DECISION, "першого кварталу"),
    (Q2026_1, "   ", "Вкажіть рішення"),
    (Q2026_1, "рішення\x00№ 1", "недруковані"),
])
def test_refusals_change_nothing(plan, tmp_path, effective, decision, message):
    path = amended(tmp_path, remove_and_renumber)
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        apply_file(path, decision=decision, effective=effective, author="x")
    assert snapshot() == before



@pytest.mark.parametrize("column, length", [(2, MAX_TEXT + 1), (3, MAX_LABEL + 1)], ids=["measure text", "executor"])
def test_a_text_longer_than_a_package_carries_is_refused_with_nothing_written(plan, tmp_path, column, length):
    """A 5-million-character measure went in as an amendment, and every package the office sent after it was
    refused as damaged: the exchange stopped for good."""
    def overlong(rows):
        row(rows, "1.1.1")[column] = "Дуже довгий текст заходу " + "я" * length

    path = amended(tmp_path, overlong)
    before = snapshot()
    with pytest.raises(PlanFormatError, match="рядок \\d+: текст «.*…» має \\d+ знаків, а план вміщує не більше"):
        apply_file(path, decision=DECISION, effective=Q2026_1, author="x")
    assert snapshot() == before


def test_a_change_longer_than_a_package_carries_is_described_cut(plan, tmp_path):
    """A long text reworded: its line quotes it old and new, longer than a package carries, and the package that
    carried the amendment was refused as damaged."""
    from tracker.exchange.sync import export_package

    long = " ".join(f"етап {n} робіт" for n in range(1800))

    def with_text(text):
        return lambda rows: row(rows, "1.1.1").__setitem__(2, text)

    # worded anew where it stood: the same measure, as the person answers the question it asks
    apply_file(amended(tmp_path, with_text(long), "first.txt"), decision=DECISION, effective=Q2026_1, author="x",
               matches={"1.1.1": "1.1.1"})
    result = apply_file(amended(tmp_path, with_text(long + " і звіт"), "second.txt"), decision="рішення № 2",
                        effective=Q2026_2, author="x")
    [line] = [line for line in result.changes if line.startswith("змінено текст 1.1.1")]
    assert len(line) == MAX_TEXT and line.endswith("…")
    export_package(tmp_path / "office.pkg", "офіс")
    package = read_package(tmp_path / "office.pkg")  # a line past MAX_TEXT was refused here
    assert [change.changes for change in package.plan_changes][-1] == tuple(result.changes)


def test_an_amendment_cannot_take_effect_before_one_already_applied(plan, tmp_path):
    apply(amended(tmp_path, remove_and_renumber), effective=Q2026_2)

    def more(rows):
        remove_and_renumber(rows)
        row(rows, "1.1.1")[3] = "Департамент освіти"

    before = snapshot()
    with pytest.raises(ValidationError, match="не раніший"):
        apply(amended(tmp_path, more, "more.txt"), effective=Q2026_1)
    assert snapshot() == before
    apply(amended(tmp_path, more, "more.txt"), effective=Q2026_2)  # the same quarter is fine
    assert len(amendments(plan)) == 2
    assert node(Q2026_1, "1.1.3").executors != ["Департамент освіти"]  # neither yet in force in 2026Q1
    assert node(Q2026_2, "1.1.1").executors == ["Департамент освіти"] and len(codes(Q2026_2)) == 232


def test_a_file_of_another_plan_is_never_an_amendment(plan, tmp_path):
    path = tmp_path / "next.txt"
    path.write_text(amended(tmp_path, remove_and_renumber).read_text(encoding="utf-8").replace("2024–2027",
                                                                                                "2028–2031"),
                    encoding="utf-8")
    before = snapshot()
    with pytest.raises(AnotherPlanError, match="інший план"):
        apply(path)
    assert snapshot() == before


def test_a_quarterly_report_is_not_read_as_a_plan(plan, tmp_path, capsys):
    """The council's report holds every measure's code and text under a title of its own: read as a plan, it was
    «another plan», and the hint offered to keep it as a new one."""
    from tracker.report.export import export_report

    report = export_report(plan, Q2026_1, tmp_path / "звіт.xlsx")
    before = snapshot()
    for attempt in (lambda: apply(report), lambda: import_plan(report, new_plan=True)):
        with pytest.raises(PlanFormatError, match="квартальний звіт") as refused:
            attempt()
        assert refused.value.hint == "import_report" and "«Імпорт заповненого звіту»" in str(refused.value)
    assert snapshot() == before
    database_file = plan.__class__._meta.database.obj.database
    close_database()
    code = cli_main(["--db", database_file, "import-plan", str(report), "--new-plan"])
    _, err = capsys.readouterr()
    assert code == 1 and "tracker import-report" in err and "--new-plan" not in err and "Traceback" not in err


def test_plan_json_names_each_measure_by_uid_in_the_version_in_force(plan, tmp_path):
    apply(amended(tmp_path, remove_and_renumber))
    before = tree_json(load_tree(plan, Q2025_4))
    after = tree_json(load_tree(plan, Q2026_1, removed=True))
    measures_before = [m for sg in before["strategic_goals"] for og in sg["operational_goals"] for t in og["tasks"]
                       for m in t["measures"]]
    measures_after = [m for sg in after["strategic_goals"] for og in sg["operational_goals"] for t in og["tasks"]
                      for m in t["measures"]]
    assert all(len(m["uid"]) == 32 for m in measures_before + measures_after)
    removed = [m for m in measures_after if "removed" in m]
    assert [(m["code"], m["removed"]) for m in removed] == [("1.1.3", "виключено рішенням міської ради від "
                                                                       "25.02.2026 № 71/14")]


def test_the_command_line_applies_lists_and_shows_versions(plan, tmp_path, capsys):
    path = amended(tmp_path, remove_and_renumber)
    database_file = plan.__class__._meta.database.obj.database
    close_database()

    def run(*args):
        code = cli_main(["--db", database_file, *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, _, err = run("import-plan", str(path), "--apply")
    assert code == 1 and "--decision" in err and "--effective" in err
    code, out, err = run("import-plan", str(path), "--apply", "--decision", DECISION, "--effective", "2026Q1")
    assert code == 0 and "застосовано" in out and "перенумеровано 1.1.4 → 1.1.3" in out, err
    code, out, _ = run("import-plan", str(path), "--apply", "--decision", DECISION, "--effective", "2026Q1")
    assert code == 0 and "Нічого не змінено" in out
    code, out, _ = run("plan-history")
    assert code == 0 and DECISION in out and "чинні з 2026Q1" in out and "вилучено 1.1.3" in out
    code, out, _ = run("plan", "--json", "--quarter", "2025Q4")
    titles = {m["code"]: m["title"] for sg in json.loads(out)["strategic_goals"] for og in sg["operational_goals"]
              for t in og["tasks"] for m in t["measures"]}
    assert titles["1.1.3"].startswith("Удосконалення дуальної освіти")
    code, out, _ = run("plan", "--json", "--quarter", "2026Q1")
    assert '"1.1.3"' in out and "Удосконалення дуальної освіти" not in out
    code, out, err = run("set", "1.1.6", "--quarter", "2026Q1", "--percent", "5")
    assert code == 1 and "1.1.6" in err and "Traceback" not in err


def test_the_command_line_shows_the_questions_it_cannot_apply_without(plan, tmp_path, capsys):
    def edit(rows):
        row(rows, "2.1.2")[2] = "Розробка та реалізація програм підтримки ініціативних груп ОСББ/ОСН"

    path = amended(tmp_path, edit)
    database_file = plan.__class__._meta.database.obj.database
    close_database()
    code = cli_main(["--db", database_file, "import-plan", str(path), "--apply", "--decision", DECISION,
                     "--effective", "2026Q1"])
    out, err = capsys.readouterr()
    assert code == 1 and "2.1.2" in out and "--match" in err and "Нічого не записано" in err


def test_a_file_that_removes_most_of_the_plan_is_refused(plan, tmp_path):
    """A file cut short (or one listing only the changed rows) is not the plan in its new wording."""
    def cut(rows):
        del rows[40:]

    path = amended(tmp_path, cut)
    before = snapshot()
    with pytest.raises(ValidationError, match="не повний текст плану"):
        apply(path)
    assert snapshot() == before


def test_an_applied_amendment_can_be_left_by_restoring_the_copy_made_before_it(plan, tmp_path):
    from tracker.storage.backup import list_backups

    apply(amended(tmp_path, remove_and_renumber))
    assert any(item.reason == "amendment" for item in list_backups())


def test_a_save_that_got_the_lock_before_the_amendment_is_in_its_warning_and_its_copy(plan, tmp_path, monkeypatch):
    """`tracker set 1.1.3 --quarter 2026Q1` and `import-plan --apply` waited for the same lock; the save got it first.
    The amendment had read what it leaves out and copied the database before its wait: no «Увага» for 1.1.3's record
    in a quarter it was taken out of, and a restore of «the copy before the changes» lost the save."""
    import sqlite3
    from contextlib import contextmanager

    from tracker.plan import amend

    old_113 = find_measure(plan, "1.1.3")
    real = amend.write_transaction

    @contextmanager
    def a_save_first(db):  # the save that took the lock while the amendment waited for it
        save_progress(old_113, Q2026_1, {"status": "in_progress", "percent": 77}, author="Марія")
        with real(db):
            yield

    monkeypatch.setattr(amend, "write_transaction", a_save_first)
    result = apply(amended(tmp_path, remove_and_renumber))
    assert result.records_left_out == {"1.1.3": 1}
    with sqlite3.connect(result.backup) as copy:
        assert copy.execute("SELECT percent FROM progress WHERE measure_id = ? AND year = 2026 AND quarter = 1",
                            (old_113.id,)).fetchall() == [(77,)]


def test_a_tree_restated_for_another_quarter_of_the_same_version_is_the_tree_a_fresh_load_gives(plan, tmp_path):
    old_113 = find_measure(plan, "1.1.3")
    save_progress(old_113, Quarter(2025, 2), {"status": "in_progress", "percent": 40}, author="Петро")
    save_progress(find_measure(plan, "2.2.1"), Q2026_2, {"status": "done", "percent": 100}, author="Оля")
    apply(amended(tmp_path, remove_and_renumber))
    for removed in (False, True):
        before = load_tree(plan, Quarter(2025, 3), removed=removed)
        assert shows_same_plan(before, plan, Q2025_4, removed)  # the same version until the amendment
        assert tree_json(restate(before, plan, Q2025_4)) == tree_json(load_tree(plan, Q2025_4, removed=removed))
        assert not shows_same_plan(before, plan, Q2026_1, removed)  # the amendment's quarter: another plan
        assert not shows_same_plan(before, plan, Q2025_4, not removed)
        after = load_tree(plan, Q2026_1, removed=removed)
        assert shows_same_plan(after, plan, Q2026_2, removed)
        assert tree_json(restate(after, plan, Q2026_2)) == tree_json(load_tree(plan, Q2026_2, removed=removed))


def test_a_tree_loaded_before_an_amendment_elsewhere_is_not_restated_but_loaded_anew(plan, tmp_path):
    shown = load_tree(plan, Q2026_2)  # the window shows 2026Q2 …
    apply(amended(tmp_path, remove_and_renumber))  # … when another PC applies an amendment effective 2026Q1
    later = Quarter(2026, 3)
    assert not shows_same_plan(shown, plan, later, False)  # the same version id (the newest), another plan
    assert len(load_tree(plan, later).measures()) == 232


def test_an_amended_plan_reads_in_every_version_beside_the_file_s_quick_check(plan, tmp_path):
    """The window's first tree is read with the file read-only (tracker.storage.db.open_and_read): an earlier
    version from its JSON, and the removed measures, read and write nothing."""
    from pathlib import Path  # only here

    from tracker.plan.store import open_plan_and_read  # as above
    from tracker.storage.models import database  # as above

    apply(amended(tmp_path, remove_and_renumber))
    path = Path(database.obj.database)
    close_database()
    for quarter, removed in ((Q2025_4, False), (Q2026_1, True)):
        opened, tree = open_plan_and_read(path, lambda p: load_tree(p, quarter, removed=removed))
        assert tree_json(tree) == tree_json(load_tree(opened, quarter, removed=removed))
        # 2025 Q4: the version before; 2026 Q1: 232 in force and the removed one, marked
        assert len(tree.measures()) == 233 and any(m.removed for m in tree.measures()) == removed
        close_database()
