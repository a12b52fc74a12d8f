"""Файл → Останні бази: the databases opened before, newest first, one click away; never a password."""

from __future__ import annotations

from tracker.storage import backup


def test_recent_databases_are_listed_and_open_again(window, tmp_path, no_modal_dialogs):
    from tracker.storage.models import database

    office = database.obj.database
    laptop = tmp_path / "laptop.sqlite3"
    backup.backup_to(laptop)
    assert window.database.switch_database(str(laptop))
    window.database.remember("postgresql://olena:secret@server/tracker".replace(":secret", ""))
    window.database._fill_recent()
    entries = [a.text() for a in window.database.recent_menu.actions()]
    assert entries[0].endswith("postgresql://olena@server/tracker") and any(" tracker.sqlite3 — " in e or
                                                                          " test.sqlite3 — " in e for e in entries)
    assert all("secret" not in e for e in entries)
    assert window.database.recent()[:2] == ["postgresql://olena@server/tracker", str(laptop)]
    assert window.database.open_recent(office) and window.database_label == office
    assert window.database.recent()[0] == office


def test_two_files_of_one_name_are_told_apart_by_their_folders(window, tmp_path, no_modal_dialogs):
    """Two departments' «office.sqlite3»: each entry names its folder; a long folder is cut in the middle, the whole
    path is the tooltip; an «&» in a name is shown, not taken as the entry's shortcut."""
    deep = tmp_path.joinpath(*["вкладена тека"] * 6)
    places = [tmp_path / "ДЕП" / "office.sqlite3", deep / "office.sqlite3", tmp_path / "R&D" / "R&D.sqlite3"]
    for path in places:
        path.parent.mkdir(parents=True, exist_ok=True)
        backup.backup_to(path)
        window.database.remember(str(path))
    window.database._fill_recent()
    actions = {a.toolTip(): a for a in window.database.recent_menu.actions()}
    first, second, odd = (actions[str(path)] for path in places)
    assert " office.sqlite3 — " in first.text() and first.text().endswith("ДЕП") and first.text() != second.text()
    assert "…" in second.text() and second.text().endswith("вкладена тека") and len(second.text()) < 90
    assert "R&&D.sqlite3 — " in odd.text()
    assert window.database.open_recent(str(places[1])) and window.database_label == str(places[1])


def test_a_database_on_a_network_share_is_opened_with_a_warning(window, tmp_path, no_modal_dialogs, monkeypatch):
    from tracker.storage import network

    shared = tmp_path / "share.sqlite3"
    backup.backup_to(shared)
    monkeypatch.setattr(network, "on_network_share", lambda path, mounts=None: "share" in str(path))
    assert window.database.switch_database(str(shared))
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "warning" and "мережевій теці" in text and window.database_label == str(shared)
