"""The command line writes the name the window asked at its first start into the history, else the login."""

from __future__ import annotations

import getpass

from tracker.cli.author import default_author
from tracker.cli.commands import main
from tracker.paths import settings_file
from tracker.storage.db import close_database, open_database
from tracker.storage.models import History


def test_the_name_from_the_windows_settings_is_the_author(tmp_path, plan_template, monkeypatch):
    import shutil

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = tmp_path / "tracker.sqlite3"
    shutil.copyfile(plan_template, db)
    assert default_author() == getpass.getuser()  # no settings yet: the login
    settings_file().parent.mkdir(parents=True)
    settings_file().write_text('[user]\nname="Петренко, Ольга"\n', encoding="utf-8")  # as Qt writes a comma
    assert main(["--db", str(db), "set", "1.1.1", "--quarter", "2025Q1", "--status", "in_progress",
                 "--percent", "5"]) == 0
    open_database(db)
    try:
        assert {row.changed_by for row in History.select()} == {"Петренко, Ольга"}
    finally:
        close_database()
    settings_file().write_bytes(b"[user\n\xff\xfe broken")  # a damaged settings file: the login, no traceback
    assert default_author() == getpass.getuser()


def test_on_the_server_the_name_given_the_login_is_the_author_before_the_computer_s_account(tmp_path, monkeypatch):
    """`tracker users add --name` was never used: the command line wrote «root», the PC's account."""
    from tracker.access.rights import Rights
    from tracker.access import rights

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # no window's settings here
    monkeypatch.setattr(rights, "current_rights", lambda: Rights("o.petruk", "coordinator", (), "Ольга Петрук"))
    assert default_author() == "Ольга Петрук"
    monkeypatch.setattr(rights, "current_rights", lambda: Rights("o.petruk", "coordinator"))
    assert default_author() == "o.petruk"
    monkeypatch.setattr(rights, "current_rights", lambda: Rights("", "local"))  # a file: the computer's account
    assert default_author() == getpass.getuser()
