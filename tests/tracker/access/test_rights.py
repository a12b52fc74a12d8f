"""In an SQLite file one person works with every right; the server's users are refused there in words."""

from __future__ import annotations

import pytest

from tracker.access.rights import AccessDenied, Rights, current_rights, edit_refusal, may
from tracker.access.users import add_user, list_users
from tracker.cli.commands import main as cli_main
from tracker.progress.records import author_of, find_measure
from tracker.storage.models import History


def test_a_file_is_one_persons_database_with_every_right(plan):
    rights = current_rights()
    assert rights == Rights("", "local") and rights.describe() == "" and not rights.may_manage_users
    assert edit_refusal(find_measure(plan, "1.1.1")) == ""
    assert all(may(work) for work in ("plan", "exchange", "reports", "contacts", "conflicts"))


def test_users_exist_only_on_the_server(plan, tmp_path, capsys):
    for call in (list_users, lambda: add_user("anna", "monitor", password="long enough")):
        with pytest.raises(AccessDenied, match="лише в базі на сервері"):
            call()
    assert cli_main(["--db", str(tmp_path / "tracker.sqlite3"), "users", "list"]) == 1
    err = capsys.readouterr().err
    assert "лише в базі на сервері" in err and "Traceback" not in err


def test_the_author_shown_is_the_name_and_on_the_server_the_login():
    assert author_of(History(changed_by="Ольга", login="")) == "Ольга"
    assert author_of(History(changed_by="Ольга", login="o.petrenko")) == "Ольга (o.petrenko)"
    assert author_of(History(changed_by="", login="o.petrenko")) == "o.petrenko"
    assert author_of(History(changed_by="o.petrenko", login="o.petrenko")) == "o.petrenko"


def test_a_password_never_shows_in_the_refusal_of_an_address_that_cannot_be_read(capsys):
    from tracker.cli.commands import main

    for address in ("postgresql://anna:SeCrEt/tail99@127.0.0.1:5432/office",
                    "postgresql://anna:a/b@c:d%e#f?g@127.0.0.1:99999/office"):
        assert main(["--db", address, "status"]) == 1
        err = capsys.readouterr().err
        assert "tail99" not in err and "SeCrEt" not in err and "b@c" not in err and "Traceback" not in err
        assert "127.0.0.1" in err and "%2F" in err  # where, and how to write such a password


def test_argparse_speaks_ukrainian(capsys):
    from tracker.cli.commands import main

    for args, words in ((["exchange", "export"], "не вказано обов'язкові параметри: -o/--output"),
                        (["users", "add", "x", "--role", "boss"], "параметр --role: недопустиме значення 'boss'")):
        try:
            main(args)
        except SystemExit as exit:
            assert exit.code == 2
        assert words in capsys.readouterr().err
