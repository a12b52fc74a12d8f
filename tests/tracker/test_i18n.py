"""The core's translation: domain messages have English, and name no command-line flags."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tracker import i18n
from tracker.cli.commands import main
from tracker.cli.hints import HINTS, hint_text
from tracker.errors import TrackerError
from tracker.quarters import Quarter
from tracker.storage.db import make_database, open_database
from tracker.translations_en import EN

TRACKER_DIR = Path(__file__).resolve().parents[2] / "tracker"
CLI_DIR = TRACKER_DIR / "cli"
FLAG = re.compile(r"(?<![\w-])--[a-z]|\btracker [a-z]")


def _sources(skip_cli: bool = False):
    for path in sorted(TRACKER_DIR.rglob("*.py")):
        if not (skip_cli and CLI_DIR in path.parents):
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _marked_strings():
    for path, tree in _sources():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("tr", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant)):
                yield path.relative_to(TRACKER_DIR).as_posix(), node.args[0].value


def _docstrings(tree) -> set[int]:
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, owners) and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}


@pytest.fixture
def english():
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language("uk")


def test_every_marked_string_in_tracker_has_english():
    marked = list(_marked_strings())
    assert len(marked) > 100
    assert sorted({(name, text) for name, text in marked if text not in EN}) == []


def test_domain_messages_name_no_command_line_flags():
    """«--db», «tracker init» and the like belong to tracker/cli/, which adds them by the error's hint."""
    found = []
    for path, tree in _sources(skip_cli=True):
        if path.name == "translations_en.py":
            continue  # English text, where «tracker» is an ordinary word
        docstrings = _docstrings(tree)
        name = path.relative_to(TRACKER_DIR).as_posix()
        found += [(name, node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                  and FLAG.search(node.value)]
    assert found == []


def test_hint_keys_in_tracker_are_known_to_the_command_line():
    keys = set()
    for _, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "hint" and isinstance(node.value, ast.Constant):
                keys.add(node.value.value)
    assert "database" in keys
    assert sorted(key for key in keys if key is not None and not hint_text(key)) == []
    assert hint_text("field:status") == "(параметр --status)"
    assert hint_text("field:planned_financing") == "(параметр --planned)"
    assert all(hint_text(key) for key in HINTS)


def test_quarter_label_follows_the_language(english):
    assert i18n.quarter_label(Quarter(2025, 2)) == "Q2 2025"
    i18n.set_language("uk")
    assert i18n.quarter_label(Quarter(2025, 2)) == "II кв. 2025" == Quarter(2025, 2).label


def test_unknown_language_means_ukrainian():
    i18n.set_language("fr")
    assert i18n.language() == "uk"


def test_domain_error_comes_out_in_english(tmp_path, english):
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_text("not a database\n" * 100, encoding="utf-8")
    with pytest.raises(TrackerError) as caught:
        open_database(not_a_database)
    assert str(caught.value).startswith("The file “") and "is not an SQLite database" in str(caught.value)
    assert caught.value.hint == "database"
    with pytest.raises(TrackerError, match="Give it as 2025Q1"):
        Quarter.parse("весна")


def test_domain_error_in_ukrainian_names_no_flag(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(TrackerError) as caught:
        make_database(blocker / "sub" / "t.sqlite3")
    assert "Вкажіть інше місце для бази даних." in str(caught.value)
    assert "--" not in str(caught.value)
    assert caught.value.hint == "database"


def test_command_line_adds_the_flag_to_the_message(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main(["--db", str(blocker / "sub" / "t.sqlite3"), "init"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Помилка: Не вдалося створити теку для бази даних")
    assert err.rstrip().endswith("Вкажіть інше місце для бази даних. (параметр --db)")


def test_copy_db_hints_at_its_own_options(tmp_path, capsys):
    assert main(["copy-db", "--from", str(tmp_path / "missing.sqlite3"), "--to", str(tmp_path / "t.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert "Перевірте шлях до бази, яку копіюєте. (параметр --from)" in err


def test_the_english_table_is_read_only_when_english_is_chosen(tmp_path):
    """A Ukrainian start (the command line always, the window by default) never reads the 200 KB English table;
    choosing English reads it and translates."""
    import subprocess
    import sys

    script = ("import sys\n"
              "from tracker.cli.commands import main\n"
              "code = main(['--db', sys.argv[1], 'init'])\n"
              "assert code == 0, code\n"
              "assert 'tracker.translations_en' not in sys.modules\n"
              "from tracker import i18n\n"
              "i18n.set_language('en')\n"
              "print(i18n.tr('Нічого не змінено.'))\n")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "t.sqlite3")], cwd=TRACKER_DIR.parent,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == EN["Нічого не змінено."]
