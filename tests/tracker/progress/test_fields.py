"""The table of progress fields: each field's rules in one place, and a new field added in three files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.errors import ValidationError
from tracker.progress import fields
from tracker.progress.fields import FIELDS, Carry, Kind
from tracker.progress.status import Status

ROOT = Path(__file__).resolve().parents[3]


def test_the_table_names_each_field_once_with_its_rules():
    assert fields.names() == ("status", "percent", "note", "remarks", "planned_financing", "actual_financing")
    assert {f.name for f in FIELDS if f.required} == {"status", "percent"}
    assert {f.name: f.carry for f in FIELDS} == {
        "status": Carry.ALWAYS, "percent": Carry.ALWAYS, "note": Carry.NEVER, "remarks": Carry.NEVER,
        "planned_financing": Carry.WITHIN_YEAR, "actual_financing": Carry.WITHIN_YEAR}
    assert [f.option for f in FIELDS] == ["--status", "--percent", "--note", "--remarks", "--planned", "--actual"]
    assert fields.get("percent") is fields.PERCENT
    with pytest.raises(ValidationError, match="Невідоме поле «budget»"):
        fields.get("budget")


@pytest.mark.parametrize("field, typed, value, stored, shown, as_typed", [
    (fields.STATUS, "Виконано", Status.DONE, "done", "Виконано", "done"),
    (fields.STATUS, "in_progress", Status.IN_PROGRESS, "in_progress", "Виконується", "in_progress"),
    (fields.PERCENT, " 55 % ", 55, "55", "55 %", "55"),
    (fields.NOTE, "  зроблено  ", "зроблено", "зроблено", "зроблено", "зроблено"),
    (fields.NOTE, None, "", "", "—", ""),
    (fields.PLANNED, "1 250,55", Decimal("1250.6"), "1250.6", "1250,6", "1250,6"),
    # half up, as a bookkeeper and Excel's ROUND: half-to-even made 0,25 0,2 and a typed 0,05 (50 грн) nothing
    (fields.PLANNED, "0,25", Decimal("0.3"), "0.3", "0,3", "0,3"),
    (fields.ACTUAL, "0,05", Decimal("0.1"), "0.1", "0,1", "0,1"),
    (fields.PLANNED, "2,45", Decimal("2.5"), "2.5", "2,5", "2,5"),
    (fields.ACTUAL, "", None, None, "—", ""),
])
def test_a_value_typed_stored_and_shown(field, typed, value, stored, shown, as_typed):
    assert field.parse(typed) == value
    assert field.store(value) == stored
    assert field.load(stored) == value
    field.check_stored(stored)  # what the write path stores passes the package check
    assert field.show(value) == shown and field.show(stored) == shown
    assert field.as_typed(value) == as_typed


@pytest.mark.parametrize("field, typed", [
    (fields.STATUS, "Зроблено"), (fields.STATUS, ""), (fields.PERCENT, "101"), (fields.PERCENT, "12,5"),
    (fields.PERCENT, True), (fields.PERCENT, "NaN"), (fields.PLANNED, "-1"), (fields.PLANNED, "багато"),
    (fields.PLANNED, "1e12"), (fields.PLANNED, "Infinity"),
    (fields.PERCENT, "١٢"), (fields.PERCENT, "１２ %"), (fields.PLANNED, "١٢"),  # other scripts' digits read as 12
])
def test_a_bad_value_is_refused_with_a_message(field, typed):
    with pytest.raises(ValidationError):
        field.parse(typed)


@pytest.mark.parametrize("field, stored", [
    (fields.STATUS, "finished"), (fields.PERCENT, "-5"), (fields.PERCENT, "5.5"), (fields.PLANNED, "1.25"),
    (fields.PLANNED, "NaN"), (fields.ACTUAL, "-3.0"), (fields.PLANNED, "1e300"), (fields.ACTUAL, "1e12"),
    (fields.PERCENT, "١٠٠"), (fields.PLANNED, "١٢.5"),  # «100» to the rules, another text to every comparison
])
def test_a_stored_value_the_write_path_could_not_have_written_is_refused(field, stored):
    with pytest.raises(ValueError, match="неправильн|невідомий"):  # the program's words, never decimal's own
        field.check_stored(stored)


def test_a_sum_too_large_is_said_too_large_not_negative():
    for large in ("1000000000000", 1e308, Decimal("1e308")):  # typed, or a workbook's number
        with pytest.raises(ValidationError, match="завелика") as refused:
            fields.PLANNED.parse(large)
        assert "невід'ємним" not in str(refused.value)


@pytest.mark.parametrize("field, typed", [
    (fields.PERCENT, "1e1"), (fields.PERCENT, "1_0"), (fields.PLANNED, "1e3"), (fields.PLANNED, "1_000"),
    (fields.ACTUAL, "0x10"), (fields.PLANNED, "1,2,3")])
def test_a_number_typed_as_no_person_types_one_is_refused(field, typed):
    """«--percent 1e1» was saved as 10 %, «--planned 1_000» as 1000,0: Decimal's own forms, not a person's."""
    with pytest.raises(ValidationError, match="має бути"):
        field.parse(typed)
    assert field.parse(10) == (10 if field is fields.PERCENT else Decimal("10.0"))  # a workbook's number: as before


def test_comparison_empty_note_is_no_note_but_a_sum_is_not_zero():
    assert fields.same("note", "", None) and fields.same("remarks", None, "")
    assert not fields.same("planned_financing", None, "0.0")
    assert fields.same("record", "created", "created") and not fields.same("record", "created", "deleted")


def test_kinds_decide_the_form_widgets():
    assert [f.kind for f in FIELDS] == [Kind.CHOICE, Kind.PERCENT, Kind.TEXT, Kind.TEXT, Kind.MONEY, Kind.MONEY]


# -- a seventh field ---------------------------------------------------------------------------

RISK = '''RISK = _TextField("risk", N_("Ризики"), N_("&Ризики:"), Kind.TEXT, Carry.ALWAYS)
'''
MIGRATION = '''"""A seventh progress field: the risks of a measure."""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("progress", "risk", TextField(default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("progress", "risk"))
'''
SCRIPT = textwrap.dedent('''
    import datetime as dt, sys
    from pathlib import Path
    from tracker.cli.commands import main as cli
    from tracker.exchange.sync import export_package, import_package
    from tracker.exchange.trust import trust_package
    from tracker.plan.store import ensure_bundled_plan
    from tracker.progress.records import draft_values, find_measure, measure_history, save_progress
    from tracker.progress.undo import undo_change_set
    from tracker.plan.store import current_plan
    from tracker.quarters import Quarter
    from tracker.storage.db import close_database, open_database

    here = Path(sys.argv[1])
    office, laptop = here / "office.sqlite3", here / "laptop.sqlite3"
    open_database(laptop); ensure_bundled_plan(); close_database()
    open_database(office); ensure_bundled_plan()
    plan = current_plan()
    measure = find_measure(plan, "1.1.1")
    saved = save_progress(measure, Quarter(2025, 1), {"status": "in_progress", "percent": 10,
                                                      "risk": "затримка постачання"}, author="Оля")
    assert "risk" in saved.changed_fields
    assert [h.new_value for h in measure_history(measure) if h.field == "risk"] == ["затримка постачання"]
    values, reported = draft_values(measure, Quarter(2025, 2))
    assert values["risk"] == "затримка постачання" and not reported  # Carry.ALWAYS: the next quarter starts from it
    second = save_progress(measure, Quarter(2025, 1), {"risk": "ризиків немає"}, author="Оля")
    undo_change_set(second.change_set, author="Оля")
    assert draft_values(measure, Quarter(2025, 1))[0]["risk"] == "затримка постачання"
    export_package(here / "office.pkg", "офіс")
    close_database()
    assert cli(["--db", str(office), "set", "1.1.2", "--quarter", "2025Q1", "--status", "in_progress",
                "--percent", "5", "--risk", "погода"]) == 0
    open_database(laptop)
    trust_package(here / "office.pkg", "Петро")  # set up on its own: it trusts the office on its first package
    import_package(here / "office.pkg", author="Петро")
    assert draft_values(find_measure(current_plan(), "1.1.1"), Quarter(2025, 1))[0]["risk"] == "затримка постачання"
    close_database()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from tracker.plan.store import open_plan
    from ui.main_window import MainWindow
    app = QApplication([])
    plan = open_plan(str(office))
    window = MainWindow(plan, QSettings(str(here / "s.ini"), QSettings.Format.IniFormat), "office")
    window.show()
    window.set_quarter(Quarter(2025, 1))
    index = window.rows.index_of_measure(find_measure(plan, "1.1.2").id)
    window.tree_view.setCurrentIndex(index)
    editor = window.panel.editor
    assert editor.findChild(type(editor.note_edit), "riskEdit").toPlainText() == "погода"
    editor.risk_edit.setPlainText("повінь")
    assert editor.dirty and window.save_current()
    assert draft_values(find_measure(plan, "1.1.2"), Quarter(2025, 1))[0]["risk"] == "повінь"
    window.close()
    print("ok")
''')


def test_a_seventh_field_needs_the_table_the_model_and_a_migration(tmp_path):
    """Copy the program, add a field by editing three files, and use it everywhere a field goes."""
    copy = tmp_path / "program"
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("tracker", "ui", "data"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    edited = []

    def change(relative: str, old: str, new: str) -> None:
        path = copy / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{relative}: {old!r}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        edited.append(relative)

    table = "FIELDS: tuple[Field, ...] = (STATUS, PERCENT, NOTE, REMARKS, PLANNED, ACTUAL)"
    change("tracker/progress/fields.py", table, RISK + table.replace("ACTUAL)", "ACTUAL, RISK)"))
    change("tracker/storage/models.py", "    updated_at = DateTimeField(default=_now)\n    updated_by",
           '    risk = TextField(default="")\n    updated_at = DateTimeField(default=_now)\n    updated_by')
    migrations = copy / "tracker" / "storage" / "migrations"
    number = max(int(p.name[:4]) for p in migrations.glob("[0-9][0-9][0-9][0-9]_*.py")) + 1
    (migrations / f"{number:04d}_risk.py").write_text(MIGRATION, encoding="utf-8")
    edited.append(f"tracker/storage/migrations/{number:04d}_risk.py")
    assert len(set(edited)) == 3

    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(copy))
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(work)], cwd=copy, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")


def test_text_enters_without_control_characters_and_within_a_cell():
    assert fields.NOTE.parse("рядок 1\r\nрядок 2\x0b\x00\tкінець\x7f ") == "рядок 1\nрядок 2\tкінець"
    assert fields.NOTE.parse("x" * 32_767) == "x" * 32_767
    with pytest.raises(ValidationError, match="задовгий: 32768 символів"):
        fields.REMARKS.parse("x" * 32_768)
    for stored in ("a\x00b", "a\x0bb", "a\rb", "x" * 32_768):
        with pytest.raises(ValueError):
            fields.NOTE.check_stored(stored)


def test_a_sum_is_shown_with_the_reader_s_decimal_mark():
    """The history, the form and the rounding message say a sum alike: in English the form had «130,0» beside the
    history's «125.5»."""
    from tracker import i18n

    said = (fields.show("planned_financing", "80.0"), fields.PLANNED.as_typed(Decimal("130")),
            fields.PLANNED.before_rounding("125,55"))
    assert said == ("80,0", "130,0", "125,55")
    i18n.set_language("en")
    try:
        said = (fields.show("planned_financing", "80.0"), fields.PLANNED.as_typed(Decimal("130")),
                fields.PLANNED.before_rounding("125.55"))
        assert said == ("80.0", "130.0", "125.55")
        assert fields.PLANNED.parse(fields.PLANNED.as_typed(Decimal("130.5"))) == Decimal("130.5")
    finally:
        i18n.set_language("uk")


def _percent_by_the_rule(text: str):
    """A percent as the form's rule reads it: a whole number 0–100 (Decimal), or refused."""
    from decimal import InvalidOperation
    try:
        number = Decimal(text.strip().rstrip("%").strip().replace(",", "."))
    except InvalidOperation:
        return ValidationError
    if not number.is_finite() or number != number.to_integral_value() or not 0 <= number <= 100:
        return ValidationError
    return int(number)


@given(st.one_of(st.from_regex(r"\A[0-9]{1,4}\Z"), st.text(max_size=6)))
def test_a_percent_in_its_stored_form_is_read_as_any_other(text):
    """The stored form («30», read thousands of times by a merge) takes a quick path: it agrees with the rule."""
    try:
        got = fields.PERCENT.parse(text)
    except ValidationError:
        got = ValidationError
    assert got == _percent_by_the_rule(text)


@pytest.mark.parametrize("typed, rounds", [
    ("125,55", True), ("0,04", True), ("1 234,567", True), (Decimal("12.25"), True),
    ("125,5", False), ("125", False), ("125,50", False), ("", False), ("abc", False), ("-1,05", False),
    (Decimal("12.2"), False)])
def test_a_sum_finer_than_a_hundred_hryvnias_is_known_to_be_rounded(typed, rounds):
    """0,04 (40 грн) was kept as 0,0 and nothing said so: the form says it now, from this."""
    assert fields.ACTUAL.rounds(typed) is rounds
