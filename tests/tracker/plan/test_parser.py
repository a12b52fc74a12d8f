"""Rebuilding the bundled plan from its damaged table, and the repair rules on synthetic tables."""

from __future__ import annotations

import re

import pytest

from tracker.errors import PlanFormatError
from tracker.paths import BUNDLED_PLAN
from tracker.plan import parser as pp
from tracker.plan.directory import Directory, ExecutorEntry
from tracker.plan.parser import parse_plan
from tracker.plan.source import PlanRow
from tracker.plan.store import read_plan
from tracker.text import search_key

DMZRR = "Департамент містобудування, земельних ресурсів та реклами"
DZHKG = "Департамент житлово-комунального господарства"
DEP = "Департамент економічної політики"
UOZ = "Управління охорони здоров'я"
UMSPD = "Управління міжнародного співробітництва та проєктної діяльності"


# -- helpers ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def parsed():
    return read_plan(BUNDLED_PLAN)


def measure(plan, code):
    found = [m for m in plan.measures() if m.code == code]
    assert len(found) == 1, f"measure {code} found {len(found)} times"
    return found[0]


def task_of(plan, code):
    found = [t for og in plan.operational_goals() for t in og.tasks if any(m.code == code for m in t.measures)]
    assert len(found) == 1
    return found[0]


def executor_names(m):
    return [x.entry.name if x.entry else x.text for x in m.executors]


def funding_names(m):
    return [f.name for f in m.funding]


def findings(plan, kind, line=None):
    return [f for f in plan.findings if f.kind == kind and (line is None or f.line == line)]


def raw_line(number):
    return BUNDLED_PLAN.read_text(encoding="utf-8-sig").splitlines()[number - 1].split("\t")


# -- totals ----------------------------------------------------------------------------------------

def test_totals(parsed):
    assert len(parsed.strategic_goals) == 5
    assert [sg.number for sg in parsed.strategic_goals] == [1, 2, 3, 4, 5]
    assert len(parsed.operational_goals()) == 19
    assert len(parsed.measures()) == 233
    assert (parsed.first_year, parsed.last_year) == (2024, 2027)
    assert parsed.title.startswith("План заходів із реалізації Стратегії розвитку Луцької")


def test_codes_unique_and_under_their_goals(parsed):
    codes = [m.code for m in parsed.measures()]
    assert len(codes) == len(set(codes))
    for sg in parsed.strategic_goals:
        for og in sg.operational_goals:
            assert og.code.split(".")[0] == str(sg.number)
            for task in og.tasks:
                assert task.title
                for m in task.measures:
                    assert m.code.rsplit(".", 1)[0] == og.code


def test_only_anomalies_are_the_two_missing_funding_cells(parsed):
    anomalies = sorted((f.line, f.kind) for f in parsed.findings if not f.is_repair)
    assert anomalies == [(22, pp.ANOMALY_FUNDING_MISSING), (91, pp.ANOMALY_FUNDING_MISSING)]


# -- page-break task continuation ------------------------------------------------------------------

def test_task_continued_after_page_break_1_2_9(parsed):
    task = task_of(parsed, "1.2.9")
    assert task is task_of(parsed, "1.2.8")
    assert task.title == "Збільшити кількість програм доступного житла для молодих сімей та обдарованої молоді"
    assert [m.code for m in task.measures] == ["1.2.8", "1.2.9"]
    assert len(findings(parsed, pp.REPAIR_TASK_CONTINUED, 24)) == 1


def test_task_continued_after_page_break_3_1_4(parsed):
    task = task_of(parsed, "3.1.4")
    assert task.title == ("Впровадити нову схему роботи громадського транспорту з пріоритетністю "
                          "розвитку електротранспорту")
    assert [m.code for m in task.measures] == [f"3.1.{n}" for n in range(1, 8)]
    assert task_of(parsed, "3.1.8") is not task
    assert len(findings(parsed, pp.REPAIR_TASK_CONTINUED, 149)) == 1


def test_task_continuations_are_exactly_the_two_page_breaks(parsed):
    assert sorted(f.line for f in findings(parsed, pp.REPAIR_TASK_CONTINUED)) == [24, 149]


# -- shifted columns -------------------------------------------------------------------------------

def test_right_shift_1_2_8(parsed):
    m = measure(parsed, "1.2.8")
    assert m.line == 22
    assert m.title == "Встановлення соціальних квот при погодженні багатоквартирної забудови"
    assert executor_names(m) == [DMZRR, DZHKG]
    assert m.funding == []
    assert len(findings(parsed, pp.REPAIR_SHIFT_RIGHT, 22)) == 1
    assert len(findings(parsed, pp.ANOMALY_FUNDING_MISSING, 22)) == 1


def test_right_shift_2_2_10(parsed):
    m = measure(parsed, "2.2.10")
    assert m.title == "Покращення матеріально-технічної бази лікарень та амбулаторій сімейної медицини"
    assert task_of(parsed, "2.2.10").title == "Підтримувати інфраструктурний розвиток мережі медичних закладів"
    assert executor_names(m) == [UOZ]
    assert m.funding == []
    assert len(findings(parsed, pp.REPAIR_SHIFT_RIGHT, 91)) == 1
    assert len(findings(parsed, pp.ANOMALY_FUNDING_MISSING, 91)) == 1


def test_right_shifts_are_exactly_two(parsed):
    assert sorted(f.line for f in findings(parsed, pp.REPAIR_SHIFT_RIGHT)) == [22, 91]


LEFT_SHIFTS = [
    ("2.4.11", 140, "Вдосконалення Геопорталу відкритих даних Луцької громади, розширення переліків відкритих даних",
     ["Управління інформаційно-комунікаційних технологій"], [], "2.4.10"),
    ("2.4.13", 142, "Відкритість інформації про земельні ділянки та містобудівну документацію",
     [DMZRR], [], "2.4.12"),
    ("3.4.17", 203, "Запровадження щорічного фестивалю водного туризму в громаді",
     ["Департамент молоді та спорту", "Управління туризму та промоції міста"],
     ["бюджет громади", "інші джерела"], "3.4.16"),
    ("3.4.18", 204, "Створення міського пляжу та зон активного відпочинку для молоді, дорослих та сімей із дітьми",
     [DZHKG], ["бюджет громади", "інші джерела"], "3.4.16"),
]


@pytest.mark.parametrize("code, line, title, executors, funding, previous", LEFT_SHIFTS,
                         ids=[s[0] for s in LEFT_SHIFTS])
def test_left_shift(parsed, code, line, title, executors, funding, previous):
    m = measure(parsed, code)
    assert m.line == line
    assert m.title == title
    assert executor_names(m) == executors
    assert funding_names(m) == funding
    # the measure text stood in the task column: it is no task of its own but belongs to the one above
    assert task_of(parsed, code) is task_of(parsed, previous)
    assert title not in [t.title for og in parsed.operational_goals() for t in og.tasks]
    assert len(findings(parsed, pp.REPAIR_SHIFT_LEFT, line)) == 1
    assert findings(parsed, pp.ANOMALY_FUNDING_MISSING, line) == []


def test_left_shifts_are_exactly_four(parsed):
    assert sorted(f.line for f in findings(parsed, pp.REPAIR_SHIFT_LEFT)) == [140, 142, 203, 204]


def test_measure_in_task_column_2_2_11(parsed):
    m = measure(parsed, "2.2.11")
    assert m.line == 92
    assert m.title.startswith("Підвищення доступності спеціалізованої медичної допомоги, профілактичної медицини")
    assert m.title.endswith("(гінекологічний кабінет/центр УЗД на колесах/скринінг-лабораторія тощо)")
    task = task_of(parsed, "2.2.11")
    assert task is task_of(parsed, "2.2.10")
    assert task.title == "Підтримувати інфраструктурний розвиток мережі медичних закладів"
    assert [x.code for x in task.measures] == ["2.2.10", "2.2.11"]
    assert executor_names(m) == [UOZ]
    assert funding_names(m) == ["кошти підприємств охорони здоров'я", "бюджет громади", "інші джерела"]
    assert len(findings(parsed, pp.REPAIR_MEASURE_IN_TASK, 92)) == 1
    assert sorted(f.line for f in findings(parsed, pp.REPAIR_MEASURE_IN_TASK)) == [92]


@pytest.mark.parametrize("code, line, following", [("2.2.16", 97, "2.3.1"), ("3.4.21", 208, "3.4.22")])
def test_empty_numbered_rows_are_not_measures(parsed, code, line, following):
    codes = [m.code for m in parsed.measures()]
    assert code not in codes
    assert following in codes
    found = findings(parsed, pp.REPAIR_EMPTY_ROW, line)
    assert len(found) == 1 and code in found[0].message
    assert findings(parsed, pp.ANOMALY_NUMBERING) == []


# -- executors -------------------------------------------------------------------------------------

SPELLINGS = [
    ("1.1.4", 11, "управління міжнародного співробітництва та проектної діяльності", UMSPD),
    ("1.3.3", 28, "Департамент муніципальної варті", "Департамент муніципальної варти"),
    ("1.3.4", 29, "департамент муніципальної варті", "Департамент муніципальної варти"),
    ("3.3.7", 184, "КП «ЛЕП-Луцьквітло»", "КП «ЛЕП «Луцьксвітло»"),
]


@pytest.mark.parametrize("code, line, written, name", SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_executor_spelling(parsed, code, line, written, name):
    assert written in raw_line(line)[3]
    m = measure(parsed, code)
    assert name in executor_names(m)
    assert written not in executor_names(m)
    reported = [f for f in findings(parsed, pp.REPAIR_EXECUTOR_SPELLING, line) if written in f.message]
    assert len(reported) == 1
    assert name in reported[0].message


def test_proektnoi_spelling_everywhere(parsed):
    """Every cell that says «проектної» yields the directory's «проєктної» and a reported repair."""
    lines = [number for number, text in enumerate(BUNDLED_PLAN.read_text(encoding="utf-8-sig").splitlines(), 1)
             if "проектної діяльності" in text]
    assert lines == [11, 12, 128, 132, 228, 229]
    by_line = {m.line: m for m in parsed.measures()}
    for line in lines:
        assert UMSPD in executor_names(by_line[line])
        assert [f for f in findings(parsed, pp.REPAIR_EXECUTOR_SPELLING, line) if "проектної" in f.message]
    assert not any("проектної" in name for m in parsed.measures() for name in executor_names(m))


def test_stray_space_after_hyphen_in_executor(parsed):
    assert raw_line(140)[2] == "Управління інформаційно- комунікаційних технологій"
    m = measure(parsed, "2.4.11")
    assert executor_names(m) == ["Управління інформаційно-комунікаційних технологій"]
    found = [f for f in findings(parsed, pp.REPAIR_HYPHEN, 140) if "інформаційно- комунікаційних" in f.message]
    assert len(found) == 1


def test_missing_commas_4_3_10(parsed):
    m = measure(parsed, "4.3.10")
    assert m.line == 240
    assert executor_names(m) == [DEP, "Департамент культури", "Управління туризму та промоції міста", DMZRR]
    found = findings(parsed, pp.REPAIR_MISSING_COMMA, 240)
    assert len(found) == 2
    assert any("управління туризму та промоції міста" in f.message for f in found)
    assert any("департамент містобудування, земельних ресурсів та реклами" in f.message for f in found)
    assert sorted({f.line for f in findings(parsed, pp.REPAIR_MISSING_COMMA)}) == [240]


def test_dmzrr_is_one_executor_everywhere(parsed):
    for m in parsed.measures():
        names = executor_names(m)
        assert not any(("земельних" in n or "реклами" in n) and n != DMZRR for n in names), m.code
        assert names.count(DMZRR) <= 1


def test_no_unknown_executors_and_every_measure_has_one(parsed):
    assert findings(parsed, pp.ANOMALY_UNKNOWN_EXECUTOR) == []
    assert findings(parsed, pp.ANOMALY_NO_EXECUTOR) == []
    assert all(m.executors and all(x.entry is not None for x in m.executors) for m in parsed.measures())


# -- funding ---------------------------------------------------------------------------------------

def test_funding_typo_1_1_1(parsed):
    assert raw_line(8)[4].startswith("держаний бюджет")
    m = measure(parsed, "1.1.1")
    assert funding_names(m) == ["державний бюджет", "обласний бюджет", "бюджет громади", "інші джерела"]
    found = findings(parsed, pp.REPAIR_FUNDING_SPELLING, 8)
    assert len(found) == 1
    assert "держаний бюджет" in found[0].message and "державний бюджет" in found[0].message


def test_dash_funding_means_none(parsed):
    m = measure(parsed, "2.2.9")  # funding cell is «-»
    assert raw_line(m.line)[4] == "-"
    assert m.funding == []
    assert findings(parsed, pp.ANOMALY_FUNDING_MISSING, m.line) == []


# -- broken hyphens in text ------------------------------------------------------------------------

def test_broken_hyphen_in_measure_2_4_5(parsed):
    m = measure(parsed, "2.4.5")
    assert m.line == 134
    assert "культурно-туристичного спрямування" in m.title
    assert "культурно- " not in m.title
    found = findings(parsed, pp.REPAIR_HYPHEN, 134)
    assert len(found) == 1 and "культурно- туристичного" in found[0].message


def test_broken_hyphen_in_task_line_262(parsed):
    task = task_of(parsed, "5.2.1")
    assert task.line == 262
    assert task.title == "Сприяти розвитку ІТ-екосистеми регіону на базі Луцької громади"
    found = findings(parsed, pp.REPAIR_HYPHEN, 262)
    assert len(found) == 1 and "ІТ- екосистеми" in found[0].message


def test_no_broken_hyphen_left_anywhere(parsed):
    broken = re.compile(r"[^\W\d_]-\s+[a-zа-яіїєґ]")
    texts = [sg.title for sg in parsed.strategic_goals]
    texts += [og.title for og in parsed.operational_goals()]
    texts += [t.title for og in parsed.operational_goals() for t in og.tasks]
    texts += [m.title for m in parsed.measures()]
    texts += [x.text for m in parsed.measures() for x in m.executors]
    assert [t for t in texts if broken.search(t)] == []


# -- every rewrite is reported ---------------------------------------------------------------------

def _cosmetic(text):
    return "".join(re.sub(r"[«»“”„\"]", '"', search_key(text)).split())


def test_every_executor_rewrite_is_reported(parsed):
    """An executor stored under a name spelt differently from the cell (beyond case, spaces,
    apostrophe or quote marks) must come with an executor-spelling repair on that line."""
    missing = []
    for m in parsed.measures():
        for x in m.executors:
            if x.entry is not None and _cosmetic(x.text) != _cosmetic(x.entry.name):
                if not [f for f in findings(parsed, pp.REPAIR_EXECUTOR_SPELLING, m.line) if x.text in f.message]:
                    missing.append((m.line, x.text, x.entry.name))
    assert missing == []


def test_every_funding_rewrite_is_reported(parsed):
    missing = []
    for m in parsed.measures():
        for f in m.funding:
            if _cosmetic(f.text) != _cosmetic(f.name):
                if not [r for r in findings(parsed, pp.REPAIR_FUNDING_SPELLING, m.line) if f.text in r.message]:
                    missing.append((m.line, f.text, f.name))
    assert missing == []


def test_finding_lines_point_into_the_file(parsed):
    total = len(BUNDLED_PLAN.read_text(encoding="utf-8-sig").splitlines())
    assert all(1 <= f.line <= total for f in parsed.findings)
    assert all(str(f).startswith(f"рядок {f.line}: ") for f in parsed.findings)


# -- the rules on synthetic tables -----------------------------------------------------------------

TITLE = "План заходів розвитку громади на 2025–2026 роки"
HEADER = ["№", "Завдання", "Перелік заходів", "Відповідальні виконавці", "Джерела фінансування"]


@pytest.fixture(scope="module")
def small_directory():
    """A directory unlike the bundled one, to show the rules do not depend on its names."""
    return Directory(
        [ExecutorEntry("Відділ освіти", "ВО", "council_department"),
         ExecutorEntry("Відділ культури, мистецтва та туризму", "ВКМТ", "council_department"),
         ExecutorEntry("Служба у справах дітей", "ССД", "council_department", ["ССД"]),
         ExecutorEntry("Міжнародні донори", "МД", "partner")],
        {"бюджет громади": [], "інші джерела": [], "державний бюджет": []},
    )


def table(*rows, title=TITLE, header=HEADER):
    """RawRows of a plan file: title, header, then the given rows; ``None`` is a blank line."""
    lines = [[title], [""], header, ["СТРАТЕГІЧНА ЦІЛЬ №1. ГРОМАДА"], ["Оперативна ціль 1.1. Освіта"]]
    lines += [[""] if row is None else list(row) for row in rows]
    return [PlanRow(n, (cells + [""] * 5)[:max(5, len(cells))]) for n, cells in enumerate(lines, start=1)]


FIRST_ROW = 6  # line number of the first row given to table()


def test_synthetic_plan_basics(small_directory):
    plan = parse_plan(table(["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"]),
                      small_directory, "t.txt")
    assert (plan.first_year, plan.last_year) == (2025, 2026)
    assert plan.title == TITLE
    assert [og.code for og in plan.operational_goals()] == ["1.1"]
    assert [(m.code, m.title, m.line) for m in plan.measures()] == [("1.1.1", "Захід один", FIRST_ROW)]
    assert plan.findings == []


def test_lowercase_fragment_after_blank_line_continues_task(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        None,
        ["1.1.2", "і культуру громади", "Захід два", "Відділ освіти", "інші джерела"],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    tasks = plan.operational_goals()[0].tasks
    assert [t.title for t in tasks] == ["Розвивати освіту і культуру громади"]
    assert [m.code for m in tasks[0].measures] == ["1.1.1", "1.1.2"]
    assert [(f.line, f.kind) for f in plan.findings] == [(FIRST_ROW + 2, pp.REPAIR_TASK_CONTINUED)]


def test_lowercase_fragment_without_page_break_is_a_task_of_its_own(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        ["1.1.2", "і культуру громади", "Захід два", "Відділ освіти", "інші джерела"],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    assert [t.title for t in plan.operational_goals()[0].tasks] == ["Розвивати освіту", "і культуру громади"]
    assert findings(plan, pp.REPAIR_TASK_CONTINUED) == []


def test_capitalised_task_after_blank_line_is_a_new_task(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        None,
        ["1.1.2", "Підтримувати культуру", "Захід два", "Відділ освіти", "інші джерела"],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    assert [t.title for t in plan.operational_goals()[0].tasks] == ["Розвивати освіту", "Підтримувати культуру"]
    assert plan.findings == []


def test_unnumbered_row_after_page_break_continues_previous_row(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Облаштування шкільних", "Відділ освіти,", "бюджет громади,"],
        None,
        ["", "", "майданчиків у старостатах", "Відділ культури, мистецтва та туризму", "інші джерела"],
        ["1.1.2", "", "Захід два", "Відділ освіти", "інші джерела"],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    first, second = plan.measures()
    assert first.title == "Облаштування шкільних майданчиків у старостатах"
    assert executor_names(first) == ["Відділ освіти", "Відділ культури, мистецтва та туризму"]
    assert funding_names(first) == ["бюджет громади", "інші джерела"]
    assert second.code == "1.1.2" and second.title == "Захід два"
    assert [(f.line, f.kind) for f in plan.findings] == [(FIRST_ROW + 2, pp.REPAIR_ROW_CONTINUED)]


def test_unnumbered_row_without_page_break_is_not_merged(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Облаштування шкільних", "Відділ освіти", "бюджет громади"],
        ["", "", "майданчиків у старостатах", "Відділ освіти", "інші джерела"],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    assert plan.measures()[0].title == "Облаштування шкільних"
    assert [(f.line, f.kind) for f in plan.findings] == [(FIRST_ROW + 1, pp.ANOMALY_UNEXPECTED_ROW)]


def test_right_shift_rule_is_general(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        ["1.1.2", "", "Підтримувати дітей", "Організація літніх таборів", "Служба у справах дітей, відділ освіти"],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    m = plan.measures()[1]
    assert m.title == "Організація літніх таборів"
    assert executor_names(m) == ["Служба у справах дітей", "Відділ освіти"]
    assert m.funding == []
    assert [t.title for t in plan.operational_goals()[0].tasks] == ["Розвивати освіту", "Підтримувати дітей"]
    assert {(f.line, f.kind) for f in plan.findings} == {
        (FIRST_ROW + 1, pp.REPAIR_SHIFT_RIGHT), (FIRST_ROW + 1, pp.ANOMALY_FUNDING_MISSING)}


def test_left_shift_rule_is_general(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        ["1.1.2", "Захід два у колонці завдань", "ССД", "інші джерела", ""],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    tasks = plan.operational_goals()[0].tasks
    assert [t.title for t in tasks] == ["Розвивати освіту"]
    m = tasks[0].measures[1]
    assert (m.code, m.title) == ("1.1.2", "Захід два у колонці завдань")
    assert executor_names(m) == ["Служба у справах дітей"]
    assert funding_names(m) == ["інші джерела"]
    kinds = [(f.line, f.kind) for f in plan.findings]
    assert (FIRST_ROW + 1, pp.REPAIR_SHIFT_LEFT) in kinds
    assert (FIRST_ROW + 1, pp.REPAIR_EXECUTOR_SPELLING) in kinds


def test_executor_named_as_funding_is_not_a_right_shift(small_directory):
    """A funding cell that names a partner is not a shift while the executors column holds executors."""
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        ["1.1.2", "", "Захід два", "Відділ освіти", "міжнародні донори, бюджет громади"],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    m = plan.measures()[1]
    assert (m.title, executor_names(m)) == ("Захід два", ["Відділ освіти"])
    assert funding_names(m) == ["міжнародні донори", "бюджет громади"]
    assert [(f.line, f.kind) for f in plan.findings] == [(FIRST_ROW + 1, pp.ANOMALY_UNKNOWN_FUNDING)]


def test_missing_funding_is_not_a_left_shift(small_directory):
    """Only an executors column that reads as funding makes a row shifted left."""
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        ["1.1.2", "Підтримувати дітей", "ССД у школах", "Відділ освіти", ""],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    assert [t.title for t in plan.operational_goals()[0].tasks] == ["Розвивати освіту", "Підтримувати дітей"]
    m = plan.measures()[1]
    assert (m.title, executor_names(m), m.funding) == ("ССД у школах", ["Відділ освіти"], [])
    assert [(f.line, f.kind) for f in plan.findings] == [(FIRST_ROW + 1, pp.ANOMALY_FUNDING_MISSING)]


def test_measure_in_task_column_rule_is_general(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        ["1.1.2", "Захід два у колонці завдань", "", "Відділ освіти", "інші джерела"],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    tasks = plan.operational_goals()[0].tasks
    assert [t.title for t in tasks] == ["Розвивати освіту"]
    assert tasks[0].measures[1].title == "Захід два у колонці завдань"
    assert [(f.line, f.kind) for f in plan.findings] == [(FIRST_ROW + 1, pp.REPAIR_MEASURE_IN_TASK)]


def test_empty_numbered_row_keeps_numbering(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        ["1.1.2", "", "", "", ""],
        ["1.1.3", "", "Захід три", "Відділ освіти", "бюджет громади"],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    assert [m.code for m in plan.measures()] == ["1.1.1", "1.1.3"]
    assert [(f.line, f.kind) for f in plan.findings] == [(FIRST_ROW + 1, pp.REPAIR_EMPTY_ROW)]


def test_gap_in_numbering_is_an_anomaly(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        ["1.1.3", "", "Захід три", "Відділ освіти", "бюджет громади"],
    )
    plan = parse_plan(rows, small_directory, "t.txt")
    assert [(f.line, f.kind) for f in plan.findings] == [(FIRST_ROW + 1, pp.ANOMALY_NUMBERING)]


def test_unknown_executor_is_reported_and_kept(small_directory):
    rows = table(["1.1.1", "Розвивати освіту", "Захід один",
                  "Відділ освіти, Асоціація міст, громад та регіонів", "гранти донорів"])
    plan = parse_plan(rows, small_directory, "t.txt")
    m = plan.measures()[0]
    assert [x.text for x in m.executors] == ["Відділ освіти", "Асоціація міст, громад та регіонів"]
    assert m.executors[1].entry is None
    assert funding_names(m) == ["гранти донорів"]
    kinds = sorted((f.line, f.kind) for f in plan.findings)
    assert kinds == [(FIRST_ROW, pp.ANOMALY_UNKNOWN_EXECUTOR), (FIRST_ROW, pp.ANOMALY_UNKNOWN_FUNDING)]


def test_duplicated_measure_code_raises(small_directory):
    rows = table(
        ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
        ["1.1.1", "", "Захід два", "Відділ освіти", "бюджет громади"],
    )
    with pytest.raises(PlanFormatError, match=r"1\.1\.1") as error:
        parse_plan(rows, small_directory, "t.txt")
    assert str(FIRST_ROW) in str(error.value) and str(FIRST_ROW + 1) in str(error.value)


def test_a_measure_code_longer_than_packages_carry_is_refused(small_directory):
    """«1.1.99999999999999999999» was imported, and every package carrying its changes was then refused."""
    rows = table(["1.1.99999999999999999999", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"])
    with pytest.raises(PlanFormatError, match="задовгий") as error:
        parse_plan(rows, small_directory, "t.txt")
    assert str(FIRST_ROW) in str(error.value)
    assert parse_plan(table(["1.1.999", "Розвивати освіту", "Захід", "Відділ освіти", "бюджет громади"]),
                      small_directory, "t.txt").measures()[0].code == "1.1.999"


def test_file_without_header_raises(small_directory):
    rows = table(["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
                 header=["№", "Назва", "Опис", "Хто", "Гроші"])
    with pytest.raises(PlanFormatError, match="заголовка таблиці"):
        parse_plan(rows, small_directory, "t.txt")


def test_title_without_years_raises(small_directory):
    rows = table(["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"],
                 title="План заходів розвитку громади")
    with pytest.raises(PlanFormatError, match="років дії"):
        parse_plan(rows, small_directory, "t.txt")


def test_header_without_title_raises(small_directory):
    rows = [PlanRow(1, HEADER), PlanRow(2, ["СТРАТЕГІЧНА ЦІЛЬ №1. ГРОМАДА", "", "", "", ""])]
    with pytest.raises(PlanFormatError, match="назви плану"):
        parse_plan(rows, small_directory, "t.txt")


def test_table_without_measures_raises(small_directory):
    with pytest.raises(PlanFormatError, match="жодного заходу"):
        parse_plan(table(), small_directory, "t.txt")


def test_measure_outside_operational_goal_raises(small_directory):
    rows = [PlanRow(1, [TITLE, "", "", "", ""]), PlanRow(2, HEADER),
            PlanRow(3, ["1.1.1", "Розвивати освіту", "Захід один", "Відділ освіти", "бюджет громади"])]
    with pytest.raises(PlanFormatError, match="поза оперативною ціллю"):
        parse_plan(rows, small_directory, "t.txt")


@pytest.mark.parametrize("cell", ["-", "", "—"])
def test_dash_or_empty_executor_cell_is_no_executor(small_directory, cell):
    rows = table(["1.1.1", "Розвивати освіту", "Захід один", cell, "бюджет громади"])
    plan = parse_plan(rows, small_directory, "t.txt")
    assert plan.measures()[0].executors == []
    assert [(f.line, f.kind) for f in plan.findings] == [(FIRST_ROW, pp.ANOMALY_NO_EXECUTOR)]
