"""Files the program reads and writes: what is no file, and why a file operation failed, said in Ukrainian."""

from __future__ import annotations

import errno
import os
import time

import pytest

from tracker.files import STALE_AFTER, not_a_file, not_a_target, os_reason, write_whole
from tracker.i18n import set_language


@pytest.mark.parametrize("code, said", [(errno.ENOSPC, "на диску скінчилося місце"),
                                        (errno.EACCES, "немає доступу"), (errno.EROFS, "лише для читання")])
def test_a_failed_file_operation_is_said_in_ukrainian_not_in_the_systems_english(code, said):
    reason = os_reason(OSError(code, os.strerror(code)))
    assert said in reason and os.strerror(code) not in reason


def test_a_file_open_in_excel_on_windows_is_said_so():
    sharing = OSError(errno.EACCES, "The process cannot access the file because it is being used by another process")
    sharing.winerror = 32
    assert "відкрито в іншій програмі" in os_reason(sharing)


def test_an_unlisted_failure_keeps_the_systems_words():
    assert os_reason(OSError(errno.ECONNRESET, "Connection reset by peer")) == "Connection reset by peer"


def test_the_reasons_follow_the_language_chosen():
    set_language("en")
    try:
        assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "the disk is full"
    finally:
        set_language("uk")


def test_what_is_no_file_to_read_or_write(tmp_path):
    pipe = tmp_path / "канал"
    os.mkfifo(pipe)
    (tmp_path / "файл.txt").write_text("x", encoding="utf-8")
    assert not_a_file(tmp_path / "файл.txt") == "" and not_a_target(tmp_path / "новий.txt") == ""
    assert "немає" in not_a_file(tmp_path / "нема.txt")
    assert "не звичайний файл" in not_a_file(pipe) and "не звичайний файл" in not_a_file(tmp_path)
    assert "не звичайний файл" in not_a_target(pipe) and "тека" in not_a_target(tmp_path)
    assert "Не вказано ім'я" in not_a_target("")


def test_a_file_is_written_whole_and_a_killed_runs_temporaries_go(tmp_path):
    """A `report` killed mid-run left «.report-abcd1234.xlsx» behind, and the next run's success left it there."""
    target = tmp_path / "Звіт.xlsx"
    old = time.time() - STALE_AFTER - 60
    left = tmp_path / ".report-abcd_123.xlsx"  # a killed run's
    running = tmp_path / ".report-zzzz9999.xlsx"  # another run's, still writing
    own = tmp_path / ".report-notes.xlsx"  # not a name tempfile gives: the person's own
    for path in (left, running, own):
        path.write_bytes(b"half")
    for path in (left, own):
        os.utime(path, (old, old))
    write_whole(target, b"whole", ".report-", ".xlsx")
    assert target.read_bytes() == b"whole"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, running.name, own.name])


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "пакет.trackerpkg"
    target.write_bytes(b"last week's")

    def full(descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        write_whole(target, b"this week's", ".exchange-")
    assert target.read_bytes() == b"last week's" and [p.name for p in tmp_path.iterdir()] == [target.name]
