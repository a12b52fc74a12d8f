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
