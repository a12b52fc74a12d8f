"""The journal: what happened, in order, and every uncaught error with its traceback."""

from __future__ import annotations

import logging
import sys
import threading

import tracker
from tracker import logs
from tracker.exchange.sync import export_package


def test_the_journal_records_the_work_and_uncaught_errors(plan, tmp_path, monkeypatch):
    journal = logs.start_logging("test", tmp_path / "logs")
    reported = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    logs.install_excepthooks(lambda kind, value, trace: reported.append(kind.__name__))
    export_package(tmp_path / "p.trackerpkg", "ноутбук")
    try:
        raise ValueError("щось зламалося")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    worker = threading.Thread(target=lambda: 1 / 0, name="робітник")
    worker.start()
    worker.join()
    for handler in logging.getLogger(logs.LOGGER).handlers:
        handler.flush()
    text = journal.read_text(encoding="utf-8")
    assert f"test {tracker.__version__} starts" in text and "package exported" in text
    assert "щось зламалося" in text and "Traceback" in text and "ZeroDivisionError" in text and "робітник" in text
    assert reported == ["ValueError", "ZeroDivisionError"]
    _stop_logging()


def _stop_logging():
    root = logging.getLogger(logs.LOGGER)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()


def test_a_journal_that_cannot_be_written_does_not_stop_the_program(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert logs.start_logging("test", blocked / "logs") is None


def test_a_path_in_another_encoding_is_journalled_not_a_logging_error(tmp_path, capsys):
    """«--- Logging error --- … UnicodeEncodeError» went to the terminal, with a traceback, for a file named in cp1251."""
    journal = logs.start_logging("test", tmp_path / "logs")
    logging.getLogger(logs.LOGGER).info("report written: %s", "/tmp/" + "\udce7\udce2\udcb3\udcf2.xlsx")
    _stop_logging()
    assert "Logging error" not in capsys.readouterr().err
    assert "report written: /tmp/\\udce7\\udce2\\udcb3\\udcf2.xlsx" in journal.read_text(encoding="utf-8")
