"""The window's launcher (python main.py, lutsk-tracker): its arguments, in Ukrainian, before any Qt."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

import tracker
from tracker.cli.commands import main


def test_the_launchers_speak_ukrainian_in_their_help(capsys):
    from ui.launch import parse_args

    for run in (lambda: main(["--help"]), lambda: main(["exchange", "--help"]), lambda: parse_args(["--help"])):
        with pytest.raises(SystemExit) as done:
            run()
        out = capsys.readouterr().out
        assert done.value.code == 0 and "Використання:" in out and "показати цю довідку" in out
        assert "usage:" not in out and "show this help" not in out and "options:" not in out
        assert "PATH_OR_URL" not in out  # the window's launcher named its --db in English
    with pytest.raises(SystemExit):
        parse_args(["--version"])
    assert f"lutsk-tracker {tracker.__version__}" in capsys.readouterr().out


def test_the_version_has_one_place():
    """tracker.__version__ is the one place: pyproject.toml takes it from there at build (no start reads package
    metadata for it), and the installed package's metadata says the same."""
    from importlib.metadata import version  # only this test reads the metadata

    declared = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in declared["project"] and "version" in declared["project"]["dynamic"]
    assert declared["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "tracker.__version__"}
    assert version(tracker.DISTRIBUTION) == tracker.__version__


@pytest.mark.parametrize("given, failed, words", [
    (["--version"], False, "lutsk-tracker "), (["--help"], False, "Використання"),
    (["--bd", "офіс.sqlite3"], True, "невідомі параметри: --bd"), (["--db"], True, "параметр --db: потрібне значення")])
def test_without_a_console_the_launcher_says_in_a_box_what_it_would_print(monkeypatch, given, failed, words):
    """The frozen window program on Windows has no console (sys.stdout is None): --version must not crash it, and a
    shortcut's mistyped argument closed the program at once without a word — now a message box says it."""
    import sys

    from ui import launch

    monkeypatch.setattr("sys.stdout", None)
    monkeypatch.setattr("sys.stderr", None)
    shown = []
    monkeypatch.setattr(launch, "show_without_console", lambda text, failed: shown.append((text, failed)))
    with pytest.raises(SystemExit) as done:
        launch.main(given)
    given_streams = (sys.stdout, sys.stderr)
    for stream in given_streams:
        stream.close()  # the test's own: the program keeps them for its life
    assert bool(done.value.code) == failed and all(stream.name == os.devnull for stream in given_streams)
    (text, said_failed), = shown
    assert words in text and said_failed == failed
