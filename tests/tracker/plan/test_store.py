"""Storing a parsed plan: counts, links, idempotence, refusal of broken files, .xlsx input."""

from __future__ import annotations

import random
import re
import shutil
import zipfile

import openpyxl
import pytest

from tests.helpers import record_of
from tracker.errors import PlanFormatError, TrackerError
from tracker.paths import BUNDLED_PLAN
from tracker.plan import store as plan_store
from tracker.plan.directory import Directory
from tracker.plan.store import current_plan, ensure_bundled_plan, import_plan, read_plan
from tracker.progress.records import find_measure, save_progress
from tracker.progress.tree import load_tree, tree_json
from tracker.quarters import Quarter
from tracker.storage.db import close_database, open_database
from tracker.storage.models import (
    ALL_MODELS,
    Executor,
    FundingSource,
    Measure,
    MeasureExecutor,
    MeasureFunding,
    OperationalGoal,
    Plan,
    StrategicGoal,
    Task,
)
from tracker.xlsx_guard import UnsafeFileError

DMZRR = "Департамент містобудування, земельних ресурсів та реклами"
CODE_RE = re.compile(r"^\d+\.\d+\.\d+$")


@pytest.fixture(scope="module")
def parsed():
    return read_plan(BUNDLED_PLAN)


def plan_lines():
    return BUNDLED_PLAN.read_text(encoding="utf-8-sig").splitlines()


def snapshot():
    """Every row of every table, to compare the database before and after."""
    return {model.__name__: list(model.select().order_by(model.id).tuples()) for model in ALL_MODELS}


def row_counts():
    return {model.__name__: model.select().count() for model in ALL_MODELS}


def linked_executors(measure):
    return [link.executor.name for link in
            MeasureExecutor.select().where(MeasureExecutor.measure == measure).order_by(MeasureExecutor.position)]


def linked_funding(measure):
    return [link.source.name for link in
            MeasureFunding.select().where(MeasureFunding.measure == measure).order_by(MeasureFunding.position)]


# -- counts and links ------------------------------------------------------------------------------

def test_counts_after_import(plan, parsed):
    assert Plan.select().count() == 1
    assert (plan.first_year, plan.last_year) == (2024, 2027)
    assert plan.source_name == BUNDLED_PLAN.name
    assert StrategicGoal.select().count() == 5
    assert OperationalGoal.select().count() == 19
    assert Measure.select().count() == 233
    assert Task.select().count() == sum(len(og.tasks) for og in parsed.operational_goals())
    assert Measure.select().where(Measure.plan == plan).count() == 233


def test_every_measure_has_its_executors_and_funding(plan, parsed):
    without_executors_in_plan = {m.code for m in parsed.measures() if not m.executors}
    without_executors_in_db = {m.code for m in Measure.select()
                               if not MeasureExecutor.select().where(MeasureExecutor.measure == m).exists()}
    assert without_executors_in_db == without_executors_in_plan
    for pm in parsed.measures():
        row = find_measure(plan, pm.code)
        assert row.title == pm.title
        assert row.source_line == pm.line
        expected = list(dict.fromkeys(x.entry.name if x.entry else x.text for x in pm.executors))
        assert linked_executors(row) == expected, pm.code
        assert linked_funding(row) == [f.name for f in pm.funding], pm.code
    assert MeasureExecutor.select().count() >= 233


def test_measures_in_plan_order_under_their_tasks(plan, parsed):
    codes = [m.code for m in Measure.select().order_by(Measure.position)]
    assert codes == [m.code for m in parsed.measures()]
    for og in parsed.operational_goals():
        og_row = OperationalGoal.get(OperationalGoal.code == og.code)
        tasks = list(Task.select().where(Task.operational_goal == og_row).order_by(Task.position))
        assert [t.title for t in tasks] == [t.title for t in og.tasks]
        for task_row, task in zip(tasks, og.tasks):
            assert [m.code for m in task_row.measures.order_by(Measure.position)] == [m.code for m in task.measures]


def test_directory_is_stored_and_no_stray_executors(plan):
    directory = Directory.load()
    assert sorted(d.name for d in Executor.select()) == sorted(e.name for e in directory.executors)
    dmzrr = Executor.get(Executor.name == DMZRR)
    assert (dmzrr.short_name, dmzrr.kind) == ("ДМЗРР", "council_department")
    assert set(directory.funding_names) == {f.name for f in FundingSource.select()}


def test_dmzrr_cells_link_to_exactly_that_executor(plan):
    dmzrr = Executor.get(Executor.name == DMZRR)
    codes = []
    for line in plan_lines():
        cells = line.split("\t")
        if CODE_RE.match(cells[0].strip()) and any(DMZRR.casefold() in c.casefold() for c in cells[2:]):
            codes.append(cells[0].strip())
    assert len(codes) >= 10
    assert {"1.2.1", "1.2.8", "2.4.13", "4.3.10"} <= set(codes)
    for code in codes:
        measure = find_measure(plan, code)
        links = [link.executor for link in MeasureExecutor.select().where(MeasureExecutor.measure == measure)]
        assert [d.id for d in links].count(dmzrr.id) == 1, code
        related = [d.name for d in links if re.search("містобудування|земельних|реклами", d.name, re.IGNORECASE)]
        assert related == [DMZRR], code
    assert Executor.select().where(Executor.name.contains("земельних")).count() == 1
    assert Executor.select().where(Executor.name.contains("реклами")).count() == 1


# -- idempotence -----------------------------------------------------------------------------------

def test_ensure_bundled_plan_only_once(db):
    first = ensure_bundled_plan()
    assert first is not None and first.changed
    before = snapshot()
    assert ensure_bundled_plan() is None
    assert snapshot() == before


def test_reimport_changes_nothing_and_keeps_progress(plan):
    m1, m2 = find_measure(plan, "1.2.8"), find_measure(plan, "3.1.4")
    save_progress(m1, Quarter(2025, 1), {"status": "in_progress", "percent": 30, "note": "почато"}, author="Оля")
    save_progress(m1, Quarter(2025, 2), {"percent": 60}, author="Оля")
    save_progress(m2, Quarter(2024, 4), {"status": "done", "percent": 100, "actual_financing": "12,5"}, author="Ігор")
    before = snapshot()
    assert len(before["Progress"]) == 3 and len(before["History"]) > 3

    result = import_plan(BUNDLED_PLAN)

    assert result.changed is False
    assert result.changes == []
    assert result.plan.id == plan.id
    assert row_counts() == {name: len(rows) for name, rows in before.items()}
    assert snapshot() == before
    assert record_of("1.2.8", Quarter(2025, 2)).percent == 60


def test_reimport_of_an_edited_plan_is_an_amendment_shown_and_nothing_written(plan, tmp_path):
    """Matching by code wrote the new text over the old measure; an amendment is shown, never written so."""
    measure = find_measure(plan, "1.1.1")
    save_progress(measure, Quarter(2025, 1), {"status": "in_progress", "percent": 40}, author="Оля")
    before = snapshot()
    lines = plan_lines()
    assert lines[7].startswith("1.1.1\t")
    cells = lines[7].split("\t")
    cells[2] = "Сприяння запровадженню нових спеціальностей"
    lines[7] = "\t".join(cells)
    edited = tmp_path / "edited.txt"
    edited.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(plan_store.PlanAmendmentFound) as found:
        import_plan(edited)

    amendment = found.value.amendment
    assert [(p.old.code, p.new.title) for p in amendment.changed + amendment.questions] == [
        ("1.1.1", "Сприяння запровадженню нових спеціальностей")]
    assert snapshot() == before
    assert find_measure(plan, "1.1.1").title.startswith("Сприяння запровадженню нових затребуваних")


def test_a_measure_missing_from_the_file_is_an_amendment_removing_it(plan, tmp_path):
    lines = [line for line in plan_lines() if not line.startswith("5.2.3\t")]
    shorter = tmp_path / "shorter.txt"
    shorter.write_text("\n".join(lines), encoding="utf-8")
    before = snapshot()
    with pytest.raises(plan_store.PlanAmendmentFound) as found:
        import_plan(shorter)
    assert [m.code for m in found.value.amendment.removed] == ["5.2.3"]
    assert snapshot() == before


@pytest.mark.parametrize("start", ["empty", "with-plan"])
def test_import_failing_part_way_leaves_nothing_behind(db, tmp_path, monkeypatch, start):
    """A failure in the middle of writing (disk full, lost connection) rolls the whole import back."""
    source = BUNDLED_PLAN
    if start == "with-plan":  # the next plan, adopted beside the one in the database
        ensure_bundled_plan()
        source = tmp_path / "next.txt"
        source.write_text(BUNDLED_PLAN.read_text(encoding="utf-8").replace("2024–2027", "2028–2031"),
                          encoding="utf-8")
    before = snapshot()
    calls = {"n": 0}
    original = plan_store._Writer._links

    def failing_links(self, *args):
        calls["n"] += 1
        if calls["n"] == 400:  # well into the measures, after the directory and the goals
            raise OSError("disk full")
        return original(self, *args)

    monkeypatch.setattr(plan_store._Writer, "_links", failing_links)
    with pytest.raises(OSError):
        import_plan(source, new_plan=True)
    assert calls["n"] == 400
    assert snapshot() == before


# -- refusing broken files -------------------------------------------------------------------------

def _binary(path):
    path = path / "plan.txt"
    path.write_bytes(random.Random(20240101).randbytes(20000))
    return path


def _binary_without_nul(path):
    path = path / "plan.txt"
    data = bytes(b or 1 for b in random.Random(7).randbytes(5000))
    path.write_bytes(data)
    return path


def _no_table(path):
    path = path / "notes.txt"
    path.write_text("Протокол засідання виконавчого комітету\n\nПрисутні: усі.\nВирішили: погодити.\n",
                    encoding="utf-8")
    return path


def _truncated(path):
    lines = plan_lines()
    first_measure = next(i for i, line in enumerate(lines) if CODE_RE.match(line.split("\t")[0]))
    path = path / "truncated.txt"
    path.write_text("\n".join(lines[:first_measure]) + "\n", encoding="utf-8")
    return path


def _renamed_text(path):
    target = path / "plan.xlsx"
    shutil.copy(BUNDLED_PLAN, target)
    return target


def _zip_bomb(path):
    target = path / "bomb.xlsx"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    return target


def _zip_not_workbook(path):
    target = path / "archive.xlsx"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return target


def _cut_xlsx(path):
    full = path / "full.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "План заходів на 2024–2027 роки"
    workbook.save(full)
    target = path / "cut.xlsx"
    target.write_bytes(full.read_bytes()[:600])
    return target


def _missing(path):
    return path / "nowhere.txt"


def _xlsx_without_table(path):
    target = path / "budget.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Бюджет громади на 2025 рік"])
    workbook.active.append(["Стаття", "Сума"])
    workbook.save(target)
    return target


def _with_sheet(path, name, sheet_xml: bytes):
    """A workbook of the plan's title whose first sheet's XML is ``sheet_xml``."""
    full = path / "whole.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "План заходів на 2024–2027 роки"
    workbook.save(full)
    target = path / name
    with zipfile.ZipFile(full) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else old.read(item.filename)
            new.writestr(item.filename, data)
    return target


def _entity_bomb_in_sheet(path):
    """openpyxl's refusal was several lines of English («Unable to read workbook … Please see the exception …»)."""
    return _with_sheet(path, "laughs.xlsx", (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'))


def _broken_sheet_xml(path):
    return _with_sheet(path, "broken.xlsx", b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r=')


BROKEN = {
    "xlsx-entity-bomb": (_entity_bomb_in_sheet, UnsafeFileError, "небезпечні конструкції XML"),
    "xlsx-broken-sheet": (_broken_sheet_xml, PlanFormatError, "Excel-книгу з нього прочитати не вдалося"),
    "binary": (_binary, PlanFormatError, "двійковий"),
    "binary-without-nul": (_binary_without_nul, PlanFormatError, "кодування"),
    "text-without-table": (_no_table, PlanFormatError, "заголовка таблиці"),
    "cut-before-first-measure": (_truncated, PlanFormatError, "жодного заходу"),
    "text-renamed-xlsx": (_renamed_text, UnsafeFileError, "не є книгою Excel"),
    "zip-bomb": (_zip_bomb, UnsafeFileError, "zip-бомбу"),
    "zip-not-workbook": (_zip_not_workbook, UnsafeFileError, "не книга Excel"),
    "cut-xlsx": (_cut_xlsx, UnsafeFileError, "пошкоджений або обрізаний"),
    "xlsx-without-table": (_xlsx_without_table, PlanFormatError, "заголовка таблиці"),
    "missing": (_missing, PlanFormatError, "не знайдено"),
}


@pytest.mark.parametrize("make, error, reason", BROKEN.values(), ids=BROKEN.keys())
def test_broken_file_is_refused_and_database_unchanged(plan, tmp_path, make, error, reason):
    source = make(tmp_path)
    before = snapshot()
    with pytest.raises(error, match=reason) as raised:
        import_plan(source)
    assert isinstance(raised.value, TrackerError)
    assert snapshot() == before
    assert row_counts()["Measure"] == 233


def test_broken_file_into_empty_database_writes_nothing(db, tmp_path):
    with pytest.raises(TrackerError):
        import_plan(_truncated(tmp_path))
    assert all(count == 0 for count in row_counts().values())


# -- the same table as .xlsx -----------------------------------------------------------------------

def write_plan_xlsx(target):
    """The bundled table in a workbook: title in row 1, the header after it, then the rows."""
    rows = [line.split("\t") for line in plan_lines()]
    filled = [i for i, cells in enumerate(rows) if any(c.strip() for c in cells)]
    title, header = filled[0], filled[1]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.cell(1, 1, " ".join(c for c in rows[title] if c.strip()))
    for number, cells in enumerate(rows[header:], start=2):
        for column, value in enumerate(cells, start=1):
            if value.strip():
                sheet.cell(number, column, value)
    workbook.save(target)
    return target


def plan_content(parsed_plan):
    return [
        (sg.number, sg.title, [
            (og.code, og.title, [
                (t.title, [(m.code, m.title, [x.entry.name if x.entry else x.text for x in m.executors],
                            [f.name for f in m.funding]) for m in t.measures])
                for t in og.tasks])
            for og in sg.operational_goals])
        for sg in parsed_plan.strategic_goals
    ]


def test_xlsx_gives_the_same_plan(tmp_path, parsed):
    from_xlsx = read_plan(write_plan_xlsx(tmp_path / "plan.xlsx"))
    assert (from_xlsx.title, from_xlsx.first_year, from_xlsx.last_year) == (
        parsed.title, parsed.first_year, parsed.last_year)
    assert len(from_xlsx.measures()) == 233
    assert plan_content(from_xlsx) == plan_content(parsed)
    # the same repairs, on rows shifted by the three lines dropped above the header
    assert [(f.kind, f.line + 3) for f in from_xlsx.findings] == [(f.kind, f.line) for f in parsed.findings]


def test_xlsx_import_gives_the_same_database(tmp_path):
    open_database(tmp_path / "from_txt.sqlite3")
    try:
        import_plan(BUNDLED_PLAN)
        from_txt = tree_json(load_tree(current_plan()))
    finally:
        close_database()
    open_database(tmp_path / "from_xlsx.sqlite3")
    try:
        result = import_plan(write_plan_xlsx(tmp_path / "plan.xlsx"))
        assert result.plan.source_name == "plan.xlsx"
        from_xlsx = tree_json(load_tree(current_plan()))
    finally:
        close_database()
    assert from_xlsx == from_txt
