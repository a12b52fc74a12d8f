"""The window meets a damaged database: it says so, names the whole copy, and restores it when asked."""

from __future__ import annotations

import pytest

from tracker.errors import TrackerError
from tracker.storage.db import close_database
from ui.database.actions import open_or_recover


def test_declining_the_restore_leaves_the_file_as_it_was(damaged_database, no_modal_dialogs):
    path, good = damaged_database
    before = path.read_bytes()
    with pytest.raises(TrackerError, match="пошкоджено"):
        open_or_recover(str(path))
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "confirm" and str(good) in text and "Відновити базу з цієї копії" in text
    assert path.read_bytes() == before


def test_accepting_the_restore_opens_the_whole_copy(damaged_database, no_modal_dialogs):
    path, _ = damaged_database
    no_modal_dialogs["confirm"].append(True)
    plan, _ = open_or_recover(str(path))
    try:
        assert plan.measures.count() == 233
        assert [p.name for p in path.parent.glob("office-пошкоджена-*.sqlite3")]  # the damaged file is kept
    finally:
        close_database()


@pytest.mark.parametrize("accepted", [True, False])
def test_a_file_whole_without_a_stray_wal_beside_it_is_opened_as_it_is_when_asked(tmp_path, plan_template,
                                                                                 no_modal_dialogs, accepted):
    """A copy put back over the file from a stick, the old one's WAL still beside it: the file looked damaged and a
    restore was advised, which would have lost all it held since the copy. Now the WAL is set aside (kept) on «yes»;
    on «no» nothing is touched."""
    import shutil

    from tests.helpers import leave_a_stray_wal
    from tracker.plan.store import current_plan

    path = tmp_path / "office.sqlite3"
    shutil.copyfile(plan_template, path)
    leave_a_stray_wal(path)
    before = (path.read_bytes(), path.with_name(path.name + "-wal").read_bytes())
    no_modal_dialogs["confirm"].append(accepted)
    if not accepted:
        with pytest.raises(TrackerError, match="журнал"):
            open_or_recover(str(path))
        assert (path.read_bytes(), path.with_name(path.name + "-wal").read_bytes()) == before
        return
    plan, _ = open_or_recover(str(path))
    try:
        kind, _, question = no_modal_dialogs["messages"][0]
        assert kind == "wal" and "Сам файл бази цілий" in question and "office.sqlite3-wal" in question
        assert plan == current_plan() and plan.measures.count() == 233
        assert not any("(інша копія)" in m.title for m in plan.measures)  # the file's own rows, not the WAL's
        (kept,) = tmp_path.glob("office-журнал-відкладено-*.sqlite3-wal")
        assert kept.read_bytes() == before[1]
    finally:
        close_database()


def test_the_window_switching_to_a_damaged_database_keeps_the_open_one(window, damaged_database, no_modal_dialogs):
    path, _ = damaged_database
    shown = window.database_label
    assert not window.database.switch_database(str(path))
    assert no_modal_dialogs["messages"][-1][0] == "critical" and window.database_label == shown


def test_an_empty_file_becomes_a_database_only_when_the_user_says_so(tmp_path, no_modal_dialogs):
    empty = tmp_path / "порожня.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(TrackerError, match="не створено"):
        open_or_recover(str(empty))
    assert empty.stat().st_size == 0 and no_modal_dialogs["messages"][-1][0] == "confirm"
    no_modal_dialogs["confirm"].append(True)
    plan, _ = open_or_recover(str(empty))
    try:
        assert plan.measures.count() == 233
    finally:
        close_database()


def test_a_database_file_that_is_not_there_is_made_only_when_the_user_says_so(tmp_path, no_modal_dialogs):
    """A file moved or renamed, a USB stick or network drive not connected, a typo in --db: the window made a new
    database there without a word, and the coordinator's updates went into it."""
    gone = tmp_path / "відділ" / "office.sqlite3"
    with pytest.raises(TrackerError, match="Нову базу не створено"):
        open_or_recover(str(gone))
    kind, title, text = no_modal_dialogs["messages"][-1]
    assert kind == "confirm" and f"Файлу бази даних «{gone}» немає" in text and "Створити в цьому місці" in text
    assert not gone.exists() and not gone.parent.exists()
    gone.parent.mkdir()
    no_modal_dialogs["confirm"].append(True)
    plan, _ = open_or_recover(str(gone))
    try:
        assert plan.measures.count() == 233 and gone.is_file()
    finally:
        close_database()


def test_a_database_that_keeps_nothing_is_refused_by_the_window(no_modal_dialogs):
    with pytest.raises(TrackerError, match="база в пам'яті"):
        open_or_recover("sqlite://")
    assert no_modal_dialogs["messages"] == []
