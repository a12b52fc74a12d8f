"""The command line, called in-process through tracker.cli.main."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from tests.helpers import record_of
from tracker.cli.commands import build_parser, main
from tracker.cli.waiting import AnnouncedWait
from tracker.paths import BUNDLED_PLAN
from tracker.quarters import Quarter
from tracker.storage import db as storage_db
from tracker.storage import network as storage_network
from tracker.storage.copy import COPIED
from tracker.storage.db import close_database, open_database
from tracker.storage.models import ALL_MODELS, Executor, MeasureExecutor, Progress
from tracker.text import ukrainian_sort_key

DMZRR = "Департамент містобудування, земельних ресурсів та реклами"
CYRILLIC = re.compile("[а-яіїєґ]", re.IGNORECASE)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "tracker.sqlite3"


@pytest.fixture
def cli(db_path, capsys):
    """Run ``tracker --db <tmp> ARGS``; returns (exit code, stdout, stderr)."""
    def run(*args):
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def initialised(cli, db_path, plan_template):
    """``cli`` on a database as ``tracker init`` leaves it: a copy of the session's imported plan
    (test_init_twice runs the real init and checks what it writes)."""
    db_path.parent.mkdir(parents=True)
    shutil.copyfile(plan_template, db_path)
    open_database(db_path)  # the copy takes its identity here, as init's file has its own: no command makes it
    close_database()
    return cli


def _file_and_wal(db_path) -> dict[str, bytes]:
    """The database file's bytes and its WAL's, to tell that neither changed."""
    return {suffix: db_path.with_name(db_path.name + suffix).read_bytes() for suffix in ("", "-wal")}


def snapshot(db_path):
    open_database(db_path)
    try:
        return {model.__name__: list(model.select().order_by(model.id).tuples()) for model in ALL_MODELS}
    finally:
        close_database()


def executor_measure_count(db_path, name):
    open_database(db_path)
    try:
        return MeasureExecutor.select().join(Executor).where(Executor.name == name).count()
    finally:
        close_database()


# -- init ------------------------------------------------------------------------------------------

def test_init_twice(cli, db_path, plan_template, tmp_path):
    code, out, err = cli("init")
    assert (code, err) == (0, "")
    assert out.startswith("Імпортовано план «План заходів із реалізації Стратегії")
    assert "233 заходи" in out
    first = snapshot(db_path)
    assert len(first["Measure"]) == 233
    template = tmp_path / "template.sqlite3"  # what ``initialised`` gives the other tests
    shutil.copyfile(plan_template, template)
    # the copy, opened elsewhere, takes its own identity and trusts the one it was copied from: one row more there
    assert {name: len(rows) for name, rows in snapshot(template).items() if name != "TrustedDevice"} == {
        name: len(rows) for name, rows in first.items() if name != "TrustedDevice"}
    assert len(first["Device"]) == 1 and first["TrustedDevice"] == []  # its identity is made with the plan

    code, out, err = cli("init")
    assert (code, err) == (0, "")
    assert out.startswith("База вже містить план")
    assert "(233 заходи)" in out and "Нічого не змінено." in out
    assert snapshot(db_path) == first


def test_a_command_on_this_computers_new_database_imports_the_plan_first(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the per-user file, which the first start makes
    monkeypatch.delenv("LUTSK_TRACKER_DB", raising=False)
    from tracker.paths import local_database

    assert not Path(local_database()).exists()
    code = main(["departments"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert f"{DMZRR} (ДМЗРР) — структурний підрозділ міської ради" in out.splitlines()
    assert len(snapshot(Path(local_database()))["Measure"]) == 233


@pytest.mark.parametrize("command", [("set", "1.1.1", "--quarter", "2025Q2", "--status", "done", "--percent", "100"),
                                     ("status",), ("departments",), ("backups",), ("exchange", "devices")])
def test_a_database_path_with_no_file_is_refused_and_nothing_is_made(cli, db_path, command):
    """A typo in --db, a file moved, a drive not connected: the update went into a new database made in its place,
    said «записано» and exited 0 — where nobody would look for it."""
    code, out, err = cli(*command)
    assert code == 1 and out == ""
    assert f"Файлу бази даних «{db_path}» немає" in err and "Нічого не створено й не записано." in err
    assert "tracker --db ШЛЯХ init" in err
    assert not db_path.exists() and not db_path.parent.exists() or list(db_path.parent.iterdir()) == []


def test_init_makes_the_database_a_path_names(cli, db_path):
    code, out, err = cli("init")
    assert (code, err) == (0, "") and len(snapshot(db_path)["Measure"]) == 233


def test_bad_database_file(cli, db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_text("це не база даних " * 100, encoding="utf-8")
    code, out, err = cli("init")
    assert code == 1
    assert err.startswith("Помилка: ") and CYRILLIC.search(err)
    assert out == ""


# -- plan --json -----------------------------------------------------------------------------------

def walk(data):
    for sg in data["strategic_goals"]:
        for og in sg["operational_goals"]:
            for task in og["tasks"]:
                for measure in task["measures"]:
                    yield sg, og, task, measure


def test_plan_json_shape(initialised):
    code, out, err = initialised("plan", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"plan", "strategic_goals"}
    assert set(data["plan"]) == {"title", "first_year", "last_year"}
    assert (data["plan"]["first_year"], data["plan"]["last_year"]) == (2024, 2027)
    assert data["plan"]["title"].endswith("на 2024–2027 роки")
    assert [sg["number"] for sg in data["strategic_goals"]] == [1, 2, 3, 4, 5]
    for sg in data["strategic_goals"]:
        assert set(sg) == {"number", "title", "operational_goals"}
        for og in sg["operational_goals"]:
            assert set(og) == {"code", "title", "tasks"}
            for task in og["tasks"]:
                assert set(task) == {"title", "measures"}
                assert isinstance(task["title"], str) and task["title"]
    measures = [m for *_, m in walk(data)]
    assert len(measures) == 233
    assert len({og["code"] for sg in data["strategic_goals"] for og in sg["operational_goals"]}) == 19
    for m in measures:
        assert set(m) == {"uid", "code", "title", "executors", "funding"}
        assert all(isinstance(x, str) for x in m["executors"] + m["funding"])
    assert len({m["uid"] for m in measures}) == 233  # each measure its own identity
    by_code = {m["code"]: m for m in measures}
    assert by_code["1.2.8"]["executors"] == [DMZRR, "Департамент житлово-комунального господарства"]
    assert by_code["1.2.8"]["funding"] == []
    assert by_code["1.1.1"]["funding"] == ["державний бюджет", "обласний бюджет", "бюджет громади", "інші джерела"]


def test_a_new_database_s_devices_say_it_trusts_none_yet(initialised, db_path):
    initialised("exchange", "devices")
    with sqlite3.connect(db_path) as connection:  # as a database set up on its own (this one is a template's copy)
        connection.execute("DELETE FROM trusted_device")
    code, out, err = initialised("exchange", "devices")  # it had said «Ця база: «—»» and nothing more
    assert code == 0 and "Ця база: ще без назви" in out and "Довірених пристроїв ще немає" in out


def test_plan_without_json_is_an_outline_to_read(initialised):
    """«tracker plan» alone was refused («не вказано обов'язкові параметри: --json»): the only way to show the plan
    was JSON. Now it reads as the plan does, with each measure's state in --quarter."""
    assert initialised("set", "1.2.8", "--quarter", "2025Q1", "--status", "Виконується", "--percent", "40",
                       "--author", "Тест")[0] == 0
    code, out, err = initialised("plan")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("План заходів") and "СЦ 1. ЛУЦЬКА МОЛОДІЖНА ГРОМАДА" in lines
    assert sum(1 for line in lines if line.startswith("      ") and not line.startswith("        ")) == 233
    assert "Стан:" not in out
    code, out, err = initialised("plan", "--quarter", "2025Q2")
    said = out.split("      1.2.8 ", 1)[1].split("\n      1.2.9", 1)[0]
    assert "Стан: за II кв. 2025 не подано (дані за I кв. 2025: Виконується, 40 %)" in said
    assert "Виконавці: Департамент містобудування" in said
    code, out, err = initialised("plan", "--quarter", "2025Q1")
    assert "Стан: Виконується, 40 %" in out.split("      1.2.8 ", 1)[1].split("\n      1.2.9", 1)[0]


def test_plan_json_with_quarter(initialised):
    assert initialised("set", "1.2.8", "--quarter", "2025Q1", "--status", "Виконується", "--percent", "40",
                       "--note", "Квоти погоджено", "--remarks", "без зауважень", "--author", "Тест")[0] == 0
    assert initialised("set", "1.2.9", "--quarter", "2024Q4", "--status", "done", "--percent", "100",
                       "--author", "Тест")[0] == 0
    code, out, err = initialised("plan", "--json", "--quarter", "2025Q1")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["quarter"] == "2025Q1"
    assert {"title", "first_year", "last_year", "percent", "counts"} <= set(data["plan"])
    state_keys = {"status", "status_code", "percent", "note", "remarks", "reported"}
    for sg, og, task, m in walk(data):
        assert {"code", "title", "executors", "funding"} | state_keys <= set(m)
        for node in (sg, og, task):
            assert {"percent", "counts"} <= set(node)
            assert isinstance(node["percent"], (int, float))
            assert set(node["counts"]) == {"not_started", "in_progress", "done", "partially_done", "not_done",
                                           "obsolete", "not_reported"}
    measures = {m["code"]: m for *_, m in walk(data)}
    assert len(measures) == 233
    m = measures["1.2.8"]
    assert (m["status"], m["status_code"], m["percent"], m["note"], m["remarks"], m["reported"]) == (
        "Виконується", "in_progress", 40, "Квоти погоджено", "без зауважень", True)
    carried = measures["1.2.9"]
    assert (carried["status"], carried["status_code"], carried["percent"], carried["reported"]) == (
        "Виконано", "done", 100, False)
    never = measures["1.1.1"]
    assert (never["status"], never["status_code"], never["percent"], never["note"], never["reported"]) == (
        None, None, None, None, False)
    task = next(t for sg, og, t, x in walk(data) if x["code"] == "1.2.8")
    assert [x["code"] for x in task["measures"]] == ["1.2.8", "1.2.9"]
    assert task["percent"] == 70.0
    assert task["counts"]["in_progress"] == 1 and task["counts"]["done"] == 0  # 1.2.9 is carried: not reported
    assert task["counts"]["not_reported"] == 1 and sum(task["counts"].values()) == 2


def test_plan_json_bad_quarter(initialised):
    code, out, err = initialised("plan", "--json", "--quarter", "2035Q1")
    assert code == 1 and out == ""
    assert "поза межами плану" in err


# -- set -------------------------------------------------------------------------------------------

def test_set_writes_and_is_idempotent(initialised, db_path):
    args = ("set", "1.2.8", "--quarter", "2025Q1", "--status", "Виконується", "--percent", "40",
            "--planned", "1 250,5", "--author", "Олена")
    code, out, err = initialised(*args)
    assert (code, err) == (0, "")
    assert out == ("Захід 1.2.8 за I кв. 2025: записано — Стан: Виконується; Виконання, %: 40 %; "
                   "Передбачено, тис. грн: 1250,5.\n"), out
    open_database(db_path)
    try:
        assert Progress.select().count() == 1
        record = record_of("1.2.8", Quarter(2025, 1))
        assert (record.status, record.percent, str(record.planned_financing), record.updated_by) == (
            "in_progress", 40, "1250.5", "Олена")
    finally:
        close_database()
    before = snapshot(db_path)
    code, out, err = initialised(*args)
    assert code == 0 and "нічого не змінено" in out
    assert snapshot(db_path) == before


SET_ERRORS = {
    "unknown-code": (["9.9.9", "--quarter", "2025Q1", "--status", "done", "--percent", "100"], "Заходу з кодом"),
    "empty-row-code": (["2.2.16", "--quarter", "2025Q1", "--status", "done", "--percent", "100"], "Заходу з кодом"),
    "quarter-outside": (["1.2.8", "--quarter", "2031Q1", "--status", "done", "--percent", "100"], "поза межами"),
    "quarter-garbage": (["1.2.8", "--quarter", "весна", "--status", "done", "--percent", "100"], "Не розпізнано"),
    "percent-high": (["1.2.8", "--quarter", "2025Q1", "--percent", "101"], "Відсоток"),
    "percent-negative": (["1.2.8", "--quarter", "2025Q1", "--percent=-1"], "Відсоток"),
    "percent-text": (["1.2.8", "--quarter", "2025Q1", "--percent", "abc"], "Відсоток"),
    "percent-fraction": (["1.2.8", "--quarter", "2025Q1", "--percent", "50.5"], "Відсоток"),
    "done-not-100": (["1.2.8", "--quarter", "2025Q1", "--status", "Виконано", "--percent", "50"], "означає 100"),
    "not-started-above-0": (["1.2.8", "--quarter", "2025Q1", "--status", "Не розпочато", "--percent", "5"],
                            "означає 0"),
    "unknown-status": (["1.2.8", "--quarter", "2025Q1", "--status", "Готово"], "Невідомий стан"),
    "bad-money": (["1.2.8", "--quarter", "2025Q1", "--actual", "багато"], "Сума"),
    # a negative sum written the Ukrainian way is the sum refused, not taken for an option («потрібне значення»)
    "negative-money-comma": (["1.2.8", "--quarter", "2025Q1", "--planned", "-0,05"], "Сума"),
    "negative-money-point": (["1.2.8", "--quarter", "2025Q1", "--actual", "-12.5"], "Сума"),
    "negative-percent": (["1.2.8", "--quarter", "2025Q1", "--percent", "-1"], "Відсоток"),
    "nothing-to-write": (["1.2.8", "--quarter", "2025Q1"], "нічого записувати"),
    "first-without-status": (["1.1.1", "--quarter", "2025Q1", "--percent", "20"], "ще не вказано «Стан». Вкажіть його. (параметр --status)"),
    # bytes that are not UTF-8 («звіт \xd1\xd2 кінець» from a cp1251 script), as Python hands them over: they had
    # stopped the save with «Непередбачена помилка програми (UnicodeEncodeError)»
    "note-not-utf8": (["1.2.8", "--quarter", "2025Q1", "--note", os.fsdecode(b"\xd0\xb7\xd0\xb2\xd1\x96\xd1\x82 \xd1\xd2")],
                      "Текст «note» містить байти не в кодуванні UTF-8"),
    "author-not-utf8": (["1.2.8", "--quarter", "2025Q1", "--percent", "40", "--author", os.fsdecode(b"\xcf\xe5\xf2\xf0\xee")],
                        "Текст «author» містить байти не в кодуванні UTF-8"),
}


@pytest.mark.parametrize("args, message", SET_ERRORS.values(), ids=SET_ERRORS.keys())
def test_set_errors(initialised, db_path, args, message):
    assert initialised("set", "1.2.8", "--quarter", "2025Q1", "--status", "in_progress", "--percent", "30")[0] == 0
    before = snapshot(db_path)
    code, out, err = initialised("set", *args)
    assert code != 0
    assert out == ""
    assert err.startswith("Помилка: ")
    assert message in err
    assert snapshot(db_path) == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a file name of bytes that are not UTF-8 is Linux's")
def test_files_named_in_another_encoding_are_worked_with(cli, tmp_path, capsys):
    """A database, a report and a package named in cp1251 («звіт» as \\xe7\\xe2\\xb3\\xf2): the database keeps only
    UTF-8, and each had stopped with «Непередбачена помилка програми (UnicodeEncodeError)» — the first opening
    (where the file is), a report's import (its name is the origin of each change) and a package's export."""
    import openpyxl

    from tracker.report import layout as L

    folder = os.fsdecode(os.fsencode(str(tmp_path)) + b"/\xe7\xe2\xb3\xf2")
    os.mkdir(folder)
    database, report, package = (os.path.join(folder, os.fsdecode(b"\xe7\xe2\xb3\xf2" + suffix))
                                 for suffix in (b".sqlite3", b".xlsx", b".trackerpkg"))
    for args in (["init"], ["set", "1.2.1", "--quarter", "2025Q1", "--status", "in_progress", "--percent", "10"],
                 ["report", "--quarter", "2025Q1", "-o", report]):
        assert main(["--db", database, *args]) == 0, capsys.readouterr().err
    book = openpyxl.load_workbook(report)
    sheet = book[L.REPORT_SHEET]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, L.COL_CODE).value == "1.2.1")
    sheet.cell(row, L.COL_PERCENT).value = 55
    book.save(report)
    assert main(["--db", database, "import-report", report, "--apply"]) == 0, capsys.readouterr().err
    assert main(["--db", database, "exchange", "export", "-o", package, "--device", "ноутбук"]) == 0
    assert "Непередбачена" not in capsys.readouterr().err
    with sqlite3.connect(os.fsencode(database)) as connection:
        assert connection.execute("SELECT percent FROM progress ORDER BY updated_at DESC").fetchone() == (55,)
        assert connection.execute("SELECT origin FROM history ORDER BY id DESC").fetchone() == ("\\xe7\\xe2\\xb3\\xf2.xlsx",)
        assert connection.execute("SELECT file_name FROM exchange_log").fetchone() == ("\\xe7\\xe2\\xb3\\xf2.trackerpkg",)


def test_set_argument_error_in_ukrainian(initialised, db_path, capsys):
    before = snapshot(db_path)
    with pytest.raises(SystemExit) as exit_:
        initialised("set", "1.2.8", "--status", "done")  # --quarter is required
    assert exit_.value.code == 2
    assert "Помилка у параметрах" in capsys.readouterr().err
    assert snapshot(db_path) == before


def test_a_positional_parameter_is_named_as_the_help_names_it(initialised, capsys):
    """«параметр id: недопустиме значення 'abc'» named a parameter the help calls НОМЕР, its value in English quotes."""
    with pytest.raises(SystemExit) as exit_:
        initialised("exchange", "resolve", "abc", "--take", "local")
    assert exit_.value.code == 2
    said = capsys.readouterr().err
    assert "параметр НОМЕР: недопустиме значення «abc»" in said and "id" not in said.split("Помилка")[-1]


# -- status ----------------------------------------------------------------------------------------

def status_rows(out):
    """Title, header words and {label: [measures, percent, six status counts, not reported]}."""
    lines = out.splitlines()
    rows = {}
    for line in lines[2:]:
        words = line.split()
        width = 1 if words[0] == "Разом" else 2
        rows[" ".join(words[:width])] = words[width:]
    return lines[0], lines[1].split(), rows


def test_status_for_a_executor(initialised, db_path):
    expected = executor_measure_count(db_path, DMZRR)
    assert expected >= 10
    initialised("set", "1.2.8", "--quarter", "2025Q1", "--status", "Виконується", "--percent", "40")
    initialised("set", "4.3.10", "--quarter", "2024Q3", "--status", "Виконано", "--percent", "100")
    initialised("set", "1.1.1", "--quarter", "2025Q1", "--status", "Виконано", "--percent", "100")  # not ДМЗРР
    code, out, err = initialised("status", "--quarter", "2025Q1", "--department", "ДМЗРР")
    assert (code, err) == (0, "")
    title, header, rows = status_rows(out)
    assert title == f"Стан виконання за I кв. 2025 — {DMZRR}"
    assert header[:3] == ["Ціль", "Заходів", "Викон.%"] and header[-2:] == ["Не", "подано"]
    total = rows["Разом"]
    assert int(total[0]) == expected
    assert total[1] == f"{140 / expected:.1f}".replace(".", ",")  # the decimal comma, as «1480,5» in the sums
    # measures, percent, then the six statuses in Status order, then not reported
    # 4.3.10 is carried from 2024Q3: not reported for 2025Q1, so the parts sum to the measures
    assert [int(x) for x in total[2:]] == [0, 1, 0, 0, 0, 0, expected - 1]
    assert sum(int(x) for x in total[2:]) == expected
    assert {"СЦ 1", "ОЦ 1.2", "ОЦ 4.3"} <= set(rows)
    assert "ОЦ 1.1" not in rows  # no ДМЗРР measure there
    assert rows["ОЦ 1.2"][1] == f"{40 / int(rows['ОЦ 1.2'][0]):.1f}".replace(".", ",")
    assert rows["ОЦ 4.3"][2:] == ["0", "0", "0", "0", "0", "0", rows["ОЦ 4.3"][0]]  # only carried: none reported
    assert sum(int(values[0]) for label, values in rows.items() if label.startswith("СЦ")) == expected


def test_status_by_executor_lists_who_is_late_in_ukrainian_order(initialised, db_path):
    initialised("set", "1.2.8", "--quarter", "2025Q1", "--status", "Виконується", "--percent", "40")
    initialised("set", "4.3.10", "--quarter", "2024Q4", "--status", "Виконано", "--percent", "100")  # carried
    code, out, err = initialised("status", "--quarter", "2025Q1", "--by-executor")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Подання за I кв. 2025 за відповідальними виконавцями"
    rows = {}
    for line in lines[2:-1]:
        name, measures, reported, late, percent, last = re.fullmatch(
            r"(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)", line).groups()
        rows[name] = (int(measures), int(reported), int(late), last)
    names = list(rows)
    assert names == sorted(names, key=ukrainian_sort_key) and len(names) > 30
    assert rows[DMZRR][:3] == (executor_measure_count(db_path, DMZRR), 1, executor_measure_count(db_path, DMZRR) - 1)
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", rows[DMZRR][3])
    assert all(late == measures - reported for measures, reported, late, _ in rows.values())
    assert sum(1 for row in rows.values() if row[3] == "—") == len(rows) - sum(1 for row in rows.values() if row[1])
    assert lines[-1].startswith("Не подали повністю:") and f"з {len(rows)}." in lines[-1]


def test_status_whole_plan(initialised):
    code, out, err = initialised("status", "--quarter", "2025Q1")
    assert code == 0
    title, _, rows = status_rows(out)
    assert title == "Стан виконання за I кв. 2025"
    assert rows["Разом"] == ["233", "0,0", "0", "0", "0", "0", "0", "0", "233"]
    assert [label for label in rows if label.startswith("СЦ")] == ["СЦ 1", "СЦ 2", "СЦ 3", "СЦ 4", "СЦ 5"]
    assert sum(1 for label in rows if label.startswith("ОЦ")) == 19


def test_status_unknown_executor(initialised):
    code, out, err = initialised("status", "--quarter", "2025Q1", "--department", "Міністерство магії")
    assert code == 1
    assert "немає в довіднику" in err


def test_executors(initialised):
    code, out, err = initialised("departments")
    assert code == 0
    assert f"{DMZRR} (ДМЗРР) — структурний підрозділ міської ради" in out.splitlines()


# -- import-plan -----------------------------------------------------------------------------------

def test_import_plan_check_prints_findings_and_writes_nothing(cli, db_path):
    code, out, err = cli("import-plan", "--check", str(BUNDLED_PLAN))
    assert (code, err) == (0, "")
    assert "Стратегічних цілей: 5, оперативних цілей: 19, заходів: 233" in out
    lines = out.splitlines()
    assert "  рядок 22: [увага] 1.2.8: джерела фінансування не вказано в таблиці; залишено порожніми" in lines
    assert any(line.startswith("  рядок 24: [виправлено] 1.2.9:") for line in lines)
    assert any(line.startswith("  рядок 240: [виправлено] 4.3.10: бракує коми") for line in lines)
    assert any(line.startswith("  рядок 8: [виправлено] 1.1.1: джерело «держаний бюджет»") for line in lines)
    finding_lines = [line for line in lines if line.startswith("  рядок ")]
    assert all(re.match(r"  рядок \d+: \[(виправлено|увага)\] ", line) for line in finding_lines)
    summary = re.search(r"Виправлено: (\d+); аномалій: (\d+)", out)
    assert int(summary.group(1)) + int(summary.group(2)) == len(finding_lines)
    assert lines[-1] == "Перевірка: до бази нічого не записано."
    assert not db_path.exists()
    assert not db_path.parent.exists()


def test_import_plan_check_leaves_existing_database(initialised, db_path, tmp_path):
    edited = tmp_path / "edited.txt"
    edited.write_text(BUNDLED_PLAN.read_text(encoding="utf-8").replace("Розробка програми підтримки стартапів",
                                                                       "Розробка нової програми"), encoding="utf-8")
    before = snapshot(db_path)
    code, out, _ = initialised("import-plan", "--check", str(edited))
    assert code == 0 and "заходів: 233" in out
    assert snapshot(db_path) == before


def test_import_plan_check_of_a_broken_file(cli, db_path, tmp_path):
    broken = tmp_path / "notes.txt"
    broken.write_text("просто текст\n", encoding="utf-8")
    code, out, err = cli("import-plan", "--check", str(broken))
    assert code == 1 and out == ""
    assert err.startswith("Помилка: Файл «notes.txt» не схожий на план заходів")
    assert not db_path.exists()


def test_import_plan_again_changes_nothing(initialised, db_path):
    before = snapshot(db_path)
    code, out, err = initialised("import-plan", str(BUNDLED_PLAN))
    assert code == 0
    assert "уже в базі в цьому вигляді" in out and "Нічого не змінено" in out
    assert "рядок 22: [увага]" in out
    assert snapshot(db_path) == before


def test_import_plan_of_a_broken_file_changes_nothing(initialised, db_path, tmp_path):
    fake = tmp_path / "plan.xlsx"
    fake.write_bytes(BUNDLED_PLAN.read_bytes())
    before = snapshot(db_path)
    code, out, err = initialised("import-plan", str(fake))
    assert code == 1 and "не є книгою Excel" in err
    assert snapshot(db_path) == before


def test_every_command_has_a_help_that_prints(capsys):
    """argparse formats help texts with «%»: one stray percent sign breaks a command's --help. Its values are named
    in Ukrainian too: «--quarter QUARTER», «PATH_OR_URL», «COMMAND» were argparse's English."""
    parser = build_parser()
    commands = [[]] + [[name] for name in parser._subparsers._group_actions[0].choices] + [
        ["exchange", action] for action in ("export", "import", "conflicts", "resolve", "trust", "revoke")] + [
        ["users", action] for action in ("add", "remove", "list")]
    for command in commands:
        with pytest.raises(SystemExit) as exit_:
            main([*command, "--help"])
        assert exit_.value.code == 0, command
        usage = capsys.readouterr().out
        assert "Використання:" in usage
        english = set(re.findall(r"\b[A-Z][A-Z_]{2,}\b", usage)) - {"URL", "PDF", "CSV", "UTF", "LUTSK_TRACKER_DB", "JSON"}
        assert not english, (command, english)


def test_a_locked_database_is_a_message_not_a_traceback(initialised, db_path, monkeypatch):
    """Another program holds the write lock longer than the command waits: it says so and writes nothing."""
    monkeypatch.setattr(AnnouncedWait, "limit", 0.5)
    other = sqlite3.connect(db_path, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = initialised("set", "1.1.1", "--quarter", "2025Q1", "--status", "in_progress")
    finally:
        other.rollback()
        other.close()
    assert code == 1 and "Чекаю" in err and "База даних зайнята" in err and "Traceback" not in err
    assert snapshot(db_path)["Progress"] == []


@contextlib.contextmanager
def _another_writer_for(db_path, seconds: float, monkeypatch):
    """Another program holds the file's write lock for ``seconds``, longer than SQLite's busy timeout (made 300 ms)."""
    monkeypatch.setattr(storage_db, "SQLITE_PRAGMAS", dict(storage_db.SQLITE_PRAGMAS, busy_timeout=300))
    other = sqlite3.connect(db_path, timeout=0, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(seconds, other.rollback)
    release.start()
    try:
        yield
    finally:
        release.join()
        other.close()


def test_a_command_waits_past_the_busy_timeout_and_says_so(initialised, db_path, monkeypatch):
    """A long import elsewhere holds the lock longer than SQLite's busy timeout: the command waits, visibly."""
    with _another_writer_for(db_path, 2.0, monkeypatch):
        code, out, err = initialised("set", "1.1.1", "--quarter", "2025Q1", "--status", "in_progress")
    assert code == 0 and "Чекаю" in err and "записую" in err, err
    assert len(snapshot(db_path)["Progress"]) == 1


def test_a_freshly_copied_file_waits_for_another_writer_then_takes_its_identity(cli, db_path, plan_template,
                                                                                  monkeypatch):
    """A copy's first opening makes it its own identity, a write: read first and written after, it was refused at
    once while another program wrote, and `set` failed «зайнята» after two silent waits instead of waiting."""
    from tracker.storage.models import Device

    db_path.parent.mkdir(parents=True)
    shutil.copyfile(plan_template, db_path)  # never opened here: its identity is the template's
    with _another_writer_for(db_path, 2.0, monkeypatch):
        code, out, err = cli("set", "1.1.1", "--quarter", "2025Q1", "--status", "in_progress")
    assert code == 0 and "Чекаю" in err and "записую" in err, err
    assert len(snapshot(db_path)["Progress"]) == 1
    open_database(db_path)
    try:
        assert Device.get().location.endswith(str(db_path.resolve()))  # the copy's own, made by the write
    finally:
        close_database()


def test_ctrl_c_is_a_message_and_writes_nothing(initialised, db_path, monkeypatch):
    from tracker.progress import records

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(records, "check_rules", interrupted)  # in the middle of the write transaction
    code, out, err = initialised("set", "1.1.1", "--quarter", "2025Q1", "--status", "in_progress")
    assert code == 130 and "Перервано" in err and "Traceback" not in err
    assert snapshot(db_path)["Progress"] == []


def test_check_and_restore_of_a_damaged_database(initialised, db_path, capsys):
    from tests.helpers import corrupt

    code, out, _ = initialised("check")
    assert code == 0 and "Усе ціле" in out
    assert initialised("backup", "-o", str(db_path.parent / "copy.sqlite3"))[0] == 0
    corrupt(db_path)
    code, out, err = initialised("status")
    assert code == 1 and "пошкоджено" in err and "не відкрито" in err and "Traceback" not in err
    code, out, _ = initialised("check")
    assert code == 1 and "ПОШКОДЖЕНО" in out
    code, out, err = initialised("restore", str(db_path.parent / "copy.sqlite3"), "--yes")
    assert code == 0 and "Пошкоджений файл збережено" in out
    assert initialised("status")[0] == 0


def test_check_tells_damaged_indexes_apart_and_repair_rebuilds_them_keeping_every_record(initialised, db_path):
    """A restore from the copy would have lost the update made after it: the rows are whole, the indexes are made anew
    from them, and the damaged file is kept beside."""
    from tests.helpers import damage_an_index

    assert initialised("backup", "-o", str(db_path.parent / "copy.sqlite3"))[0] == 0
    assert initialised("set", "1.2.8", "--quarter", "2025Q1", "--status", "in_progress", "--percent", "30")[0] == 0
    damage_an_index(db_path)
    code, out, _ = initialised("check")
    assert code == 1 and "ПОШКОДЖЕНО (індекс «measure_removed_by_id» не відповідає записам таблиці)" in out
    assert "tracker check --repair" in out and "missing from index" not in out
    code, out, err = initialised("check", "--repair")
    assert code == 0 and "нічого не втрачено" in out and "Traceback" not in err, err
    assert len(list(db_path.parent.glob("*-пошкоджена-*.sqlite3"))) == 1
    assert not list(db_path.parent.glob("*-пошкоджена-*.sqlite3-wal"))  # the checks left no side files beside it
    code, out, _ = initialised("check")
    assert code == 0 and "Усе ціле" in out
    code, out, _ = initialised("status", "--quarter", "2025Q1")
    assert code == 0 and "Разом" in out
    connection = sqlite3.connect(db_path)  # the update made after the copy is there
    assert connection.execute("SELECT p.percent FROM progress AS p JOIN measure AS m ON m.id = p.measure_id WHERE "
                              "m.code = '1.2.8' AND p.year = 2025 AND p.quarter = 1").fetchall() == [(30,)]
    connection.close()
    assert initialised("check", "--repair") == (0, f"Перевірка бази «{db_path}»…\nБаза ціла; лагодити нічого.\n", "")


def test_repair_leaves_a_whole_file_and_the_saves_in_its_wal_alone(initialised, db_path):
    """A blackout leaves committed saves in the WAL: a cautious «check --repair» had set that WAL aside as if it were
    damaged, and the saves were gone from the database."""
    from tests.helpers import leave_saves_in_the_wal

    assert leave_saves_in_the_wal(db_path, "UPDATE department SET phone = '0332 000 000' WHERE id IN "
                                           "(SELECT id FROM department LIMIT 5)")
    code, out, err = initialised("check", "--repair")
    assert (code, err) == (0, "") and "База ціла; лагодити нічого." in out
    assert not list(db_path.parent.glob("*-журнал-відкладено-*")) and not list(db_path.parent.glob("*-пошкоджена-*"))
    connection = sqlite3.connect(db_path)
    assert connection.execute("SELECT count(*) FROM department WHERE phone = '0332 000 000'").fetchone() == (5,)
    connection.close()


def test_a_refused_file_is_closed_without_the_stray_wal_written_into_it(initialised, db_path, tmp_path):
    """The WAL an older copy left: closing the refused file wrote it in (SQLite's last connection does), and the
    saves made since the copy were gone for good — the file cut short, the WAL deleted. It stays as it was, and the
    repair then sets the WAL aside with every save kept."""
    from tests.helpers import leave_saves_in_the_wal

    older = tmp_path / "older.sqlite3"
    shutil.copyfile(db_path, older)
    for quarter in ("2025Q1", "2025Q2", "2025Q3", "2025Q4"):
        for code in ("1.1.4", "1.1.5", "1.1.6"):
            assert initialised("set", code, "--quarter", quarter, "--status", "in_progress", "--percent", "10")[0] == 0
    wal = leave_saves_in_the_wal(older, "UPDATE measure SET title = title || ' (старша копія)'")
    db_path.with_name(db_path.name + "-wal").write_bytes(wal)
    files = _file_and_wal(db_path)
    for command in (["status", "--quarter", "2025Q1"], ["set", "1.1.1", "--quarter", "2025Q1", "--percent", "5"],
                    ["plan", "--json"]):
        code, _, err = initialised(*command)
        assert code == 1 and "пошкоджено" in err and "Traceback" not in err
        assert _file_and_wal(db_path) == files
    code, out, err = initialised("check", "--repair")
    assert code == 0 and "журнал відкладено" in out, err
    connection = sqlite3.connect(db_path)
    assert connection.execute("SELECT count(*) FROM progress").fetchone() == (12,)
    connection.close()


def test_a_stray_wal_is_said_and_repair_sets_it_aside(initialised, db_path):
    from tests.helpers import leave_a_stray_wal

    leave_a_stray_wal(db_path)
    files = _file_and_wal(db_path)
    code, out, err = initialised("status")
    assert code == 1 and "Сам файл бази цілий" in err and "tracker check --repair" in err and "Traceback" not in err
    # refused, the file is closed without the WAL written into it: written in, it was the file's for good
    assert _file_and_wal(db_path) == files
    for command in (["set", "1.1.1", "--quarter", "2025Q1", "--percent", "5"], ["plan", "--json"]):
        assert initialised(*command)[0] == 1
    assert _file_and_wal(db_path) == files
    code, out, _ = initialised("check")
    assert code == 1 and "tracker check --repair" in out and "журнал" in out
    code, out, err = initialised("check", "--repair")
    assert code == 0 and "журнал відкладено" in out and "Traceback" not in err
    assert len(list(db_path.parent.glob("*-журнал-відкладено-*-wal"))) == 1
    assert initialised("check")[0] == 0 and initialised("status")[0] == 0


def test_repair_refuses_a_file_whose_pages_are_damaged_and_changes_nothing(initialised, db_path):
    from tests.helpers import corrupt

    corrupt(db_path)
    before = db_path.read_bytes()
    code, out, err = initialised("check", "--repair")
    assert code == 1 and "не лише індекси" in err and "резервної копії" in err and "Traceback" not in err
    assert db_path.read_bytes() == before and not list(db_path.parent.glob("*-пошкоджена-*"))


@pytest.mark.parametrize("command", [["status"], ["plan", "--json"], ["plan-history"]])
def test_a_command_that_only_reads_prints_nothing_of_a_file_its_check_finds_damaged(initialised, db_path, command):
    """It reads while the quick check runs beside it; damage where it does not read is found all the same, and what
    it printed is not shown."""
    from tests.helpers import damage_pages_of

    damage_pages_of(db_path, "history_event_uid")
    code, out, err = initialised(*command)
    assert code == 1 and out == "" and "пошкоджено" in err and "Traceback" not in err


def test_a_command_that_only_reads_shows_what_it_printed_once_the_file_is_found_whole(initialised):
    code, out, err = initialised("status", "--quarter", "2025Q2")
    assert code == 0 and err == "" and out.startswith("Стан виконання за II кв. 2025") and "Разом" in out
    code, out, _ = initialised("plan", "--json", "--quarter", "2025Q2")
    assert code == 0 and len(json.loads(out)["strategic_goals"]) == 5


def test_a_file_out_of_reach_is_said_so_not_called_damaged_nor_not_sqlite(initialised, db_path, monkeypatch):
    """No right to read it (the tests may run as root, whom rights do not stop: SQLite's answer is given)."""
    from tracker.storage import integrity

    def read_only(path):
        raise sqlite3.OperationalError("unable to open database file")
    monkeypatch.setattr(integrity, "read_only", read_only)
    code, out, err = initialised("check")
    assert code == 1 and "НЕ ПРОЧИТАНО" in out and "немає доступу" in out and "ПОШКОДЖЕНО" not in out
    assert "Не прочитано: 1" in out and "unable" not in out  # in the program's words, not SQLite's English
    code, out, err = initialised("status")
    assert code == 1 and out == "" and "немає доступу" in err and "не є базою" not in err and "Traceback" not in err


def test_check_says_a_file_it_could_not_read_through_is_not_read_not_damaged(initialised, db_path, monkeypatch):
    from tracker.storage import integrity

    real = integrity._rows

    def unread(connection, full):
        if full:
            raise sqlite3.OperationalError("disk I/O error")
        return real(connection, full)
    monkeypatch.setattr(integrity, "_rows", unread)
    code, out, err = initialised("check")
    assert code == 1 and "НЕ ПРОЧИТАНО до кінця (помилка читання чи запису диска)" in out and "ПОШКОДЖЕНО" not in out
    assert "Не прочитано: 1" in out and "Traceback" not in err


def test_restore_puts_the_copy_in_place_of_a_file_only_the_full_check_finds_damaged(initialised, db_path):
    """Its state cannot be copied first (a damaged copy would push whole ones out): the copy takes its place, the
    damaged file kept beside, as for a file damaged past opening."""
    from tests.helpers import damage_an_index

    copy = db_path.parent / "copy.sqlite3"
    assert initialised("backup", "-o", str(copy))[0] == 0
    damage_an_index(db_path)
    code, out, err = initialised("restore", str(copy), "--yes")
    assert code == 0 and "Пошкоджений файл збережено" in out and "Traceback" not in err
    assert list(db_path.parent.glob("*-пошкоджена-*.sqlite3"))
    code, out, _ = initialised("check")
    assert "База: " in out and "База: " + str(db_path) + " — ціла" in out


def _checks_of(path, monkeypatch) -> list[bool]:
    """Which of SQLite's checks are run of the file at ``path`` from now on, in order (True: the full one)."""
    from tracker.storage import integrity

    runs, real = [], integrity._rows
    monkeypatch.setattr(integrity, "_rows", lambda connection, full: (
        runs.append(full) if connection.execute("PRAGMA database_list").fetchone()[2] == str(path) else None)
        or real(connection, full))
    return runs


@pytest.mark.parametrize("damaged, said", [(False, "Базу відновлено"), (True, "Пошкоджений файл збережено")])
def test_restore_checks_the_copy_fully_once(initialised, db_path, monkeypatch, damaged, said):
    """Before it asks, and not again fully before it is read in: the quick check finds it unchanged and whole — into
    a whole database, or in place of a damaged one (which the command checks first)."""
    from tests.helpers import damage_an_index

    copy = db_path.parent / "copy.sqlite3"
    assert initialised("backup", "-o", str(copy))[0] == 0
    if damaged:
        damage_an_index(db_path)
    checks = _checks_of(copy, monkeypatch)
    code, out, err = initialised("restore", str(copy), "--yes")
    assert code == 0 and said in out and checks == [True, False]


def test_a_copy_written_after_the_command_checked_it_is_checked_fully_again(initialised, db_path, monkeypatch):
    """Changed while the command asked «replace?»: the check it made says nothing of it now."""
    from tracker.cli import backups

    copy = db_path.parent / "copy.sqlite3"
    assert initialised("backup", "-o", str(copy))[0] == 0
    checks = _checks_of(copy, monkeypatch)

    def confirmed_while_written(args, question):
        connection = sqlite3.connect(copy)
        connection.execute("UPDATE plan SET title = title || ' '")
        connection.commit()
        connection.close()
        return True
    monkeypatch.setattr(backups, "confirmed", confirmed_while_written)
    code, out, err = initialised("restore", str(copy))
    assert code == 0 and "Базу відновлено" in out and checks == [True, True]


def test_restore_checks_the_open_file_fully_once(initialised, db_path, monkeypatch):
    """Its state is copied first: the full check the command makes of it is not made again before the copy."""
    copy = db_path.parent / "copy.sqlite3"
    assert initialised("backup", "-o", str(copy))[0] == 0
    checks = _checks_of(db_path, monkeypatch)  # every check of the open database
    code, out, err = initialised("restore", str(copy), "--yes")
    # the quick one at opening, the command's full one, the quick one as its state is copied
    assert code == 0 and "Базу відновлено" in out and checks == [False, True, False]
    before = out.split("збережено: ")[1].strip()
    assert Path(before).is_file() and initialised("check")[0] == 0


@pytest.mark.parametrize("command", ["status", "check", "init"])
def test_a_folder_given_as_the_database_is_said_to_be_a_folder(tmp_path, capsys, command):
    folder = tmp_path / "Дані"
    folder.mkdir()
    code = main(["--db", str(folder), command])
    out, err = capsys.readouterr()
    assert code == 1 and "це тека, а не файл" in err and str(folder / "tracker.sqlite3") in err
    assert "Traceback" not in err and list(folder.iterdir()) == []  # nothing made in it


def test_an_existing_empty_file_gets_no_database_unless_init_is_asked(cli, db_path):
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_bytes(b"")
    code, out, err = cli("status")
    assert code == 1 and "порожній" in err and "tracker init" in err
    assert db_path.stat().st_size == 0  # nothing written into it
    code, out, err = cli("init")
    assert code == 0 and "233 заходи" in out


def test_a_report_into_a_mistyped_folder_is_refused_and_no_folder_made(initialised, db_path, tmp_path):
    target = tmp_path / "Звітт" / "звіт.xlsx"
    code, out, err = initialised("report", "--quarter", "2025Q2", "-o", str(target))
    assert code == 1 and "Теки" in err and not target.parent.exists()


def test_a_report_never_replaces_an_existing_file_unless_asked(initialised, tmp_path):
    target = tmp_path / "Звіт_2025_2кв_ДК.xlsx"
    target.write_bytes(b"filled in by the department")
    code, out, err = initialised("report", "--quarter", "2025Q2", "-o", str(target))
    assert code == 1 and "уже існує" in err and "--overwrite" in err
    assert target.read_bytes() == b"filled in by the department"
    code, out, err = initialised("report", "--quarter", "2025Q2", "-o", str(target), "--overwrite")
    assert code == 0 and target.stat().st_size > 10_000


@pytest.mark.parametrize("command, kind", [(("backup",), "копія цієї бази"),
                                           (("exchange", "export"), "пакет змін цієї бази")])
def test_a_copy_or_package_never_replaces_another_file_unless_asked(initialised, tmp_path, command, kind):
    """`backup -o Звіт.xlsx` replaced the department's workbook without a word; a package over another program's
    database likewise. A copy or package of the same kind is replaced as before (this week's package over last
    week's on the same stick)."""
    others = {"Звіт.xlsx": b"PK\x03\x04 a filled-in workbook", "інша.sqlite3": b"SQLite format 3\x00 not ours"}
    for name, content in others.items():
        (tmp_path / name).write_bytes(content)
        code, out, err = initialised(*command, "-o", str(tmp_path / name))
        assert code == 1 and f"це не {kind}" in err and "--overwrite" in err and "Traceback" not in err, err
        assert (tmp_path / name).read_bytes() == content
    ours = tmp_path / "щотижня"
    assert initialised(*command, "-o", str(ours))[0] == 0
    first = ours.stat().st_mtime_ns
    code, out, err = initialised(*command, "-o", str(ours))
    assert code == 0 and ours.stat().st_mtime_ns >= first and err == ""
    code, out, err = initialised(*command, "-o", str(tmp_path / "Звіт.xlsx"), "--overwrite")
    assert code == 0 and (tmp_path / "Звіт.xlsx").read_bytes() != others["Звіт.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("щотижня")) == ["щотижня"]  # no -wal, -shm


def test_a_package_never_replaces_another_devices_package_unless_asked(initialised, db_path, tmp_path, capsys):
    """Two laptops writing «ноутбук.trackerpkg» to one stick: the second replaced the first one's package before the
    office took it in."""
    laptop = tmp_path / "ноутбук-2.sqlite3"
    assert initialised("backup", "-o", str(laptop))[0] == 0
    package = tmp_path / "ноутбук.trackerpkg"
    assert main(["--db", str(laptop), "exchange", "export", "-o", str(package)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    theirs = package.read_bytes()
    code, out, err = initialised("exchange", "export", "-o", str(package))
    assert code == 1 and "це не пакет змін цієї бази" in err and package.read_bytes() == theirs, err


def test_a_backup_never_replaces_a_laptops_own_database_unless_asked(initialised, tmp_path, capsys):
    """`backup -o laptop.sqlite3` over the laptop set up from an earlier copy, which has taken its own identity and
    holds a change it has not sent yet: «збережено», and the change was gone, no copy of it kept."""
    laptop = tmp_path / "ноутбук.sqlite3"
    assert initialised("backup", "-o", str(laptop))[0] == 0  # an earlier copy: replaced as before
    assert initialised("backup", "-o", str(laptop))[0] == 0
    assert main(["--db", str(laptop), "set", "3.1.1", "--quarter", "2025Q3", "--status", "in_progress",
                 "--note", "ще не надіслано"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    before = laptop.read_bytes()
    code, out, err = initialised("backup", "-o", str(laptop))
    assert code == 1 and "це не копія цієї бази" in err and "--overwrite" in err, err
    assert laptop.read_bytes() == before


def test_a_bug_is_a_sentence_and_a_journal_entry_not_a_traceback(initialised, monkeypatch):
    from tracker.cli import commands
    from tracker.logs import log_file

    def broken(args):
        raise RuntimeError("помилка в програмі")

    monkeypatch.setitem(commands.COMMANDS, "status", broken)
    code, out, err = initialised("status")
    assert code == 1 and "Непередбачена помилка" in err and "Traceback" not in err
    assert "помилка в програмі" in log_file().read_text(encoding="utf-8")


def test_the_command_line_warns_and_still_works(cli, db_path, monkeypatch):
    monkeypatch.setattr(storage_network, "on_network_share", lambda path, mounts=None: True)
    code, out, err = cli("init")
    assert code == 0 and "мережевій теці" in err and "PostgreSQL" in err



def test_the_round_from_the_command_line_out_and_back(initialised, tmp_path):
    from tests.tracker.report.test_reimport import fill, filled

    folder = tmp_path / "розсилка"
    folder.mkdir()
    code, out, err = initialised("report", "--quarter", "2025Q3", "--each-department", "-o", str(folder))
    assert code == 0 and "Розсилка_2025_3кв.csv" in out, err
    culture = folder / "Звіт_2025_3кв_ДК.xlsx"  # Департамент культури, by its short name
    fill(culture, {"1.4.5": filled("Виконується", 65, note="Конкурс проведено. " * 500)})
    code, out, err = initialised("import-report", str(folder), "--quarter", "2025Q3")
    assert code == 0 and "1.4.5" in out and "заходів до запису: 1" in out and "нічого не записано" in out, err
    assert "Конкурс проведено. Конкурс" in out and max(map(len, out.splitlines())) < 250  # a long note, cut «…»
    code, out, err = initialised("import-report", str(culture), "--quarter", "2025Q2")  # the wrong quarter
    assert code == 1 and "а вибрано квартал II кв. 2025" in out and "рядок" not in out  # its rows not listed as changes
    code, out, err = initialised("import-report", str(folder), "--quarter", "2025Q3", "--apply")
    assert code == 0 and "Записано: 1 захід." in out, err
    code, out, err = initialised("import-report", str(folder), "--apply")
    assert code == 0 and "заходів до запису: 0" in out and "Записано: 0 заходів." in out  # again: nothing
    code, out, err = initialised("report", "--quarter", "2025Q3", "--each-department", "-o", str(folder))
    assert code != 0 and "не перезаписано" in err
    (folder / "зіпсований.xlsx").write_bytes(b"not a workbook")
    code, out, err = initialised("import-report", str(folder), "--apply")
    assert code == 1 and "НЕ ПРОЧИТАНО" in out  # a script sees that a file was left out
    assert out.count("«зіпсований.xlsx»") == 1  # «Файл «…» НЕ ПРОЧИТАНО: Файл «…» не є …» named it twice
    # and the person reads that the rest was written but not that: exit code 1 after «Записано» had read as a failure
    assert "Записано: 0 заходів. Не записано те, де 1 проблема (вище)" in out and "Код виходу 1" in out


def test_an_empty_quarter_is_refused_not_taken_for_the_current_one(initialised, db_path):
    before = snapshot(db_path)["Progress"]
    code, out, err = initialised("set", "1.1.1", "--quarter", "", "--status", "in_progress", "--percent", "5")
    assert code == 1 and "Не розпізнано квартал «»" in err
    assert snapshot(db_path)["Progress"] == before


@pytest.mark.parametrize("address, said", [(":memory:", "база в пам'яті"), ("sqlite://", "база в пам'яті"),
                                           ("{pipe}", "не звичайний файл")])
def test_a_database_that_keeps_nothing_is_refused(capsys, tmp_path, address, said):
    """«записано», exit 0 — and the update gone with the command (in memory), or never anywhere (/dev/null, where
    SQLite left a «-journal» beside it; a pipe here, which a test may make without touching the system's devices)."""
    pipe = tmp_path / "канал"
    os.mkfifo(pipe)
    code = main(["--db", address.format(pipe=pipe), "set", "1.1.1", "--quarter", "2025Q1", "--status", "in_progress",
                 "--percent", "5"])
    err = capsys.readouterr().err
    assert code == 1 and said in err and "Нічого не записано." in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["канал"]


@pytest.mark.parametrize("command", [("backup", "-o", ""), ("backup", "-o", "{folder}"),
                                     ("exchange", "export", "-o", "{folder}"), ("backup", "-o", "{pipe}"),
                                     ("report", "--quarter", "2025Q1", "--overwrite", "-o", "{pipe}")])
def test_an_output_that_is_no_file_is_refused_in_words(initialised, tmp_path, command):
    """«-o ''» was a program error; a device (a pipe here) was replaced by the file written."""
    folder = tmp_path / "теки"
    folder.mkdir()
    pipe = tmp_path / "канал"
    os.mkfifo(pipe)
    code, out, err = initialised(*[part.format(folder=folder, pipe=pipe) for part in command])
    assert code == 1 and err.startswith("Помилка: ") and "Непередбачена" not in err
    assert ("Не вказано ім'я файла" in err or "— тека" in err or "не звичайний файл" in err), err
    assert list(folder.iterdir()) == [] and not pipe.is_file() and pipe.exists()


@pytest.mark.parametrize("command", [("exchange", "import", "{input}"), ("import-report", "{input}")])
@pytest.mark.parametrize("kind", ["device", "pipe"])
def test_an_input_that_is_no_file_is_refused_unread(initialised, db_path, tmp_path, command, kind):
    """/dev/zero read until memory ran out; a pipe waited for a writer that never came."""
    if kind == "pipe":
        source = tmp_path / "пакет.trackerpkg"
        os.mkfifo(source)
    else:
        source = Path("/dev/zero")
    before = snapshot(db_path)
    code, out, err = initialised(*[part.format(input=source) for part in command])
    assert code == 1 and "не звичайний файл" in out + err, out + err
    assert snapshot(db_path) == before


def test_set_says_what_the_record_holds_a_status_alone_and_a_sum_rounded_too(initialised):
    """«записано (status, percent)» hid the 0 % a status alone sets and the sum rounded to a tenth."""
    code, out, err = initialised("set", "1.2.8", "--quarter", "2025Q1", "--status", "in_progress",
                                 "--planned", "12345.67", "--note", "Погоджено " + "дуже " * 30)
    assert code == 0 and "Виконання, %: 0 %" in out and "тис. грн: 12345,7" in out and "дуже…;" in out, out
    assert "«12345.67» округлено до «12345,7»" in out  # said, as the form says it: «12345,7» alone read as a typo


def test_set_a_status_alone_that_means_one_percent_writes_that_percent(initialised):
    """«--status done» alone was refused «Стан «Виконано» означає 100 %, а вказано 40 %»: no percent was given, the 40
    was carried from the quarter before. A percent given is still checked against the status."""
    assert initialised("set", "1.2.8", "--quarter", "2025Q1", "--status", "in_progress", "--percent", "40")[0] == 0
    code, out, err = initialised("set", "1.2.8", "--quarter", "2025Q2", "--status", "Виконано")
    assert code == 0 and "Стан: Виконано; Виконання, %: 100 %" in out, out + err
    code, out, err = initialised("set", "1.2.8", "--quarter", "2025Q3", "--status", "not_started")
    assert code == 0 and "Виконання, %: 0 %" in out, out + err
    code, out, err = initialised("set", "1.2.8", "--quarter", "2025Q4", "--status", "done", "--percent", "90")
    assert code == 1 and "означає 100 %, а вказано 90 %" in err, out + err

def test_set_across_an_amendment_names_the_code_typed_and_the_one_of_today(initialised, db_path, tmp_path):
    """1.1.4 in 2025 is 1.1.3 since the decision: «set 1.1.4 --quarter 2025Q4» wrote the right measure but said
    «Захід 1.1.3 … записано», another code than the clerk typed; a code only another version has was «у плані
    немає», as if mistyped."""
    from tests.tracker.plan.test_amendment import amended, remove_and_renumber
    from tracker.plan.amend import apply_file

    open_database(db_path)
    apply_file(amended(tmp_path, remove_and_renumber), decision="рішення № 71/14", effective=Quarter(2026, 1),
               author="Економічна політика")
    close_database()
    code, out, err = initialised("set", "1.1.4", "--quarter", "2025Q4", "--percent", "5", "--status", "in_progress")
    assert code == 0 and out.startswith("Захід 1.1.4 (тепер 1.1.3) за IV кв. 2025: записано"), out + err
    code, out, err = initialised("set", "1.1.6", "--quarter", "2025Q4", "--status", "in_progress", "--note", "x")
    assert code == 0 and out.startswith("Захід 1.1.6 (тепер 1.1.5) за IV кв. 2025"), out + err
    code, out, err = initialised("set", "1.1.3", "--quarter", "2026Q1", "--note", "x")
    assert code == 0 and out.startswith("Захід 1.1.3 за I кв. 2026"), out + err
    code, out, err = initialised("set", "1.1.6", "--quarter", "2026Q1", "--note", "x")
    assert code == 1 and "у плані в редакції, чинній у I кв. 2026, немає" in err, out + err
    code, out, err = initialised("set", "1.1.9", "--quarter", "2026Q1", "--note", "x")
    assert code == 1 and "Заходу з кодом «1.1.9» у плані немає" in err, out + err


def test_check_of_an_empty_file_says_it_holds_no_database(cli, db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    code, out, err = cli("check")
    assert code == 1 and "ПОРОЖНІЙ файл" in out and "ціла" not in out
    assert db_path.stat().st_size == 0


@pytest.mark.parametrize("command", [("backup", "-o", "{db}"), ("backup", "-o", "{db}-wal"),
                                     ("exchange", "export", "-o", "{db}"),
                                     ("report", "--quarter", "2025Q1", "--overwrite", "-o", "{db}")])
def test_nothing_is_written_over_the_database_itself_or_its_side_files(initialised, db_path, command):
    """A copy «saved» over the open file replaced it: a window open on it went on saving into the replaced file, and
    those saves were lost; a copy saved as its «-wal» was deleted when the database closed."""
    before = db_path.read_bytes()
    inode = db_path.stat().st_ino
    code, out, err = initialised(*[part.format(db=db_path) for part in command])
    assert code == 1 and "це файл самої бази даних" in err, err
    assert db_path.stat().st_ino == inode and db_path.read_bytes() == before


def test_a_text_whose_bytes_are_no_text_any_more_is_said_damaged_not_a_bug(initialised, db_path):
    """One flipped byte in a measure's title (the checks pass it: the page is whole): «Непередбачена помилка
    програми (OperationalError)» — SQLite's own error, raised as the rows were read, was not taken for the database's."""
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE measure SET title = CAST(x'd0ff20d0b1' AS TEXT) WHERE code = '1.2.8'")
    connection.commit()
    connection.close()
    code, out, err = initialised("status")
    assert code == 1 and "пошкоджений" in err and "Непередбачена" not in err and "Traceback" not in err


def test_restoring_another_device_s_database_is_said_a_copy_of_this_one_is_not(initialised, db_path, tmp_path):
    """A laptop's file restored into the office replaced the office's record with the laptop's without a word."""
    own = tmp_path / "own-copy.sqlite3"
    assert initialised("backup", "-o", str(own))[0] == 0
    laptop = tmp_path / "laptop" / "tracker.sqlite3"
    laptop.parent.mkdir()
    shutil.copyfile(db_path, laptop)
    open_database(laptop)  # set up elsewhere from the office's file: its own identity and key
    close_database()
    code, out, err = initialised("restore", str(own), "--yes")
    assert code == 0 and "не копія цієї бази" not in err
    code, out, err = initialised("restore", str(laptop), "--yes")
    assert code == 0 and "Увага: «tracker.sqlite3» — не копія цієї бази, а база іншого пристрою" in err
    open_database(db_path)  # the laptop's now, key and all: the office's copy is another device's to it
    close_database()
    code, out, err = initialised("restore", str(own), "--yes")
    assert code == 0 and "не копія цієї бази" in err
    code, out, err = initialised("restore", str(own), "--yes")  # the office's again: its copies are its own
    assert code == 0 and "не копія" not in err


def test_copy_db_names_every_table_in_ukrainian(initialised, db_path, tmp_path):
    """The summary listed «plan_amendment» and «trusted_device» as the tables are named in SQL."""
    target = tmp_path / "copy.sqlite3"
    code, out, err = initialised("copy-db", "--from", str(db_path), "--to", str(target))
    assert code == 0, err
    listed = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert len(listed) >= len(COPIED) and not [line for line in listed if "_" in line.split("  ")[0]]
    assert any(line.startswith("зміни до плану") for line in listed)
    assert any(line.startswith("оперативні цілі") for line in listed)


def test_a_write_from_the_command_line_is_refused_on_damaged_record_indexes(initialised, db_path):
    """The command line opens on the quick check, which does not compare an index with its table: a `set` over a
    damaged unique index of the records made the measure's quarter a second record, and no rebuild could choose
    between the twins."""
    from tests.helpers import damage_an_index

    assert initialised("set", "1.1.1", "--quarter", "2025Q1", "--status", "in_progress", "--percent", "20")[0] == 0
    damage_an_index(db_path, "progress_measure_id_year_quarter")
    code, out, err = initialised("set", "1.1.1", "--quarter", "2025Q1", "--status", "in_progress", "--percent", "30")
    assert code == 1 and "пошкодж" in err and "tracker check --repair" in err and "Traceback" not in err, err
    connection = sqlite3.connect(db_path)
    assert connection.execute("SELECT count(*), max(percent) FROM progress").fetchone() == (1, 20)
    connection.close()
    code, out, err = initialised("check", "--repair")
    assert code == 0 and "нічого не втрачено" in out, err
    code, out, err = initialised("set", "1.1.1", "--quarter", "2025Q1", "--status", "in_progress", "--percent", "30")
    assert code == 0, err


def test_a_write_over_a_fitting_stray_wal_leaves_the_file_and_the_wal_as_they_were(initialised, db_path, tmp_path):
    """An older copy's WAL whose page of the records fits the file: the records' check before the write finds the
    record made since the copy missing from the table yet in its index. Refused — the file alone is whole, the WAL
    is named — and closed without the WAL written in; the repair then keeps every record."""
    from tests.helpers import leave_saves_in_the_wal

    for code in ("1.1.1", "1.1.2"):
        assert initialised("set", code, "--quarter", "2025Q1", "--status", "in_progress", "--percent", "10")[0] == 0
    older = tmp_path / "older.sqlite3"
    shutil.copyfile(db_path, older)
    assert initialised("set", "1.1.3", "--quarter", "2025Q1", "--status", "in_progress", "--percent", "10")[0] == 0
    wal = leave_saves_in_the_wal(older, "UPDATE progress SET note = 'старша копія'")
    db_path.with_name(db_path.name + "-wal").write_bytes(wal)
    files = _file_and_wal(db_path)
    code, _, err = initialised("set", "1.1.4", "--quarter", "2025Q1", "--status", "in_progress", "--percent", "5")
    assert code == 1 and "Сам файл бази цілий" in err and "Traceback" not in err, err
    assert _file_and_wal(db_path) == files
    code, out, err = initialised("check", "--repair")
    assert code == 0 and "журнал відкладено" in out, err
    connection = sqlite3.connect(db_path)
    assert connection.execute("SELECT count(*) FROM progress").fetchone() == (3,)
    connection.close()


def test_a_command_over_a_left_wal_checks_the_file_fully_first(initialised, db_path, tmp_path):
    """The quick check at opening passes a stray WAL whose pages fit; `status` showed the other copy's records and,
    closing, wrote its WAL into the file — the record made since the copy gone for good. A WAL left beside the file
    has it fully checked first: refused, nothing shown, the file and the WAL as they were."""
    from tests.helpers import leave_saves_in_the_wal

    for code in ("1.1.1", "1.1.2"):
        assert initialised("set", code, "--quarter", "2025Q1", "--status", "in_progress", "--percent", "10")[0] == 0
    older = tmp_path / "older.sqlite3"
    shutil.copyfile(db_path, older)
    assert initialised("set", "1.1.3", "--quarter", "2025Q1", "--status", "in_progress", "--percent", "10")[0] == 0
    db_path.with_name(db_path.name + "-wal").write_bytes(
        leave_saves_in_the_wal(older, "UPDATE progress SET note = 'старша копія'"))
    files = _file_and_wal(db_path)
    for command in (["status", "--quarter", "2025Q1"], ["plan-history"], ["executors"]):
        code, out, err = initialised(*command)
        assert code == 1 and out == "" and "Сам файл бази цілий" in err and "Traceback" not in err, (command, err)
        assert _file_and_wal(db_path) == files


def test_a_blackout_s_wal_is_checked_and_its_saves_shown(initialised, db_path):
    from tests.helpers import leave_saves_in_the_wal

    leave_saves_in_the_wal(db_path, "UPDATE department SET phone = '0332 000 000' WHERE id = 1")
    code, out, err = initialised("executors")
    assert code == 0 and "0332 000 000" in out, err


def test_an_export_from_a_computer_never_named_says_the_name_it_went_out_under(initialised, tmp_path):
    """The window asks for the computer's name at its first export; the command line sent it as the system's «vm»
    (on a council PC «DESKTOP-4F2K…») without a word, and the office saw that name beside every change."""
    import platform

    code, out, _ = initialised("exchange", "export", "-o", str(tmp_path / "1.trackerpkg"))
    assert code == 0 and "ще не названо" in out and f"«{platform.node()}»" in out and "--device" in out
    code, out, _ = initialised("exchange", "export", "-o", str(tmp_path / "2.trackerpkg"), "--device", "Старостат")
    assert code == 0 and "ще не названо" not in out
    code, out, _ = initialised("exchange", "export", "-o", str(tmp_path / "3.trackerpkg"))  # named: remembered
    assert code == 0 and "«Старостат»" in out and "ще не названо" not in out


def test_the_command_s_process_sets_the_collector_as_the_window_does(tmp_path):
    """Every way the command is started (the installed script, ``python -m tracker``, the frozen ``tracker.exe``)
    goes through command_line, which sets the cycle collector for reading a big tree at once; ``main``, called by
    tests and scripts in their own long-lived process, leaves it as it was."""
    import subprocess
    import tomllib

    root = Path(__file__).resolve().parents[3]
    scripts = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["tracker"] == "tracker.cli.commands:command_line"
    for entry in (root / "tracker" / "__main__.py", root / "packaging" / "tracker_entry.py"):
        assert "sys.exit(command_line())" in entry.read_text(encoding="utf-8"), entry
    script = ("import gc, sys\n"
              "from tracker.cli.commands import command_line, main\n"
              "main(['--db', sys.argv[1], 'init'])\n"
              "print(gc.get_threshold()[0], gc.get_freeze_count())\n"
              "command_line(['--db', sys.argv[1], 'status'])\n"
              "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)\n")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "t.sqlite3")], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if line[:1].isdigit()]
    assert said == ["700 0", "10000 True"]
