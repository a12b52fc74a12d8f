"""A process saving continuously is killed with SIGKILL: the database survives, saves that were
reported committed are there."""

import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import time

import pytest

from tracker.progress.records import find_measure
from tracker.storage.db import close_database, open_database
from tracker.storage.models import Progress

KILLS = 60
CODES = ["1.1.1", "1.1.2", "2.2.11", "3.4.17", "5.3.5"]


def _saver(path, pipe):
    """Child: save forever, reporting each save only after its transaction has committed."""
    from tracker.plan.store import current_plan
    from tracker.progress.records import save_progress
    from tracker.quarters import Quarter

    open_database(path)
    plan = current_plan()
    measures = [find_measure(plan, code) for code in CODES]
    number = 0
    while True:
        number += 1
        measure = measures[number % len(measures)]
        save_progress(measure, Quarter(2025, 1 + number % 4), {"status": "in_progress", "percent": number % 100,
                                                                "note": f"save {number}"}, author="crash")
        pipe.send((number, measure.code, 1 + number % 4))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")
def test_sigkill_while_saving_loses_nothing_committed(plan, tmp_path):
    path = tmp_path / "tracker.sqlite3"
    close_database()  # the child opens it itself; the test reopens after each kill
    context = multiprocessing.get_context("fork")
    rng = random.Random(20261126)
    total_saves = 0
    for kill in range(KILLS):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_saver, args=(str(path), sender), daemon=True)
        child.start()
        sender.close()
        deadline = time.monotonic() + rng.uniform(0.02, 0.25)
        reported = []
        while time.monotonic() < deadline or not reported:
            if receiver.poll(0.01):
                reported.append(receiver.recv())
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        while receiver.poll():  # saves reported just before the kill count too
            try:
                reported.append(receiver.recv())
            except EOFError:
                break
        receiver.close()
        total_saves += len(reported)

        connection = sqlite3.connect(path)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"kill {kill}"
        connection.close()
        latest = {}
        for number, code, quarter in reported:
            latest[(code, quarter)] = max(number, latest.get((code, quarter), 0))
        open_database(path)
        try:
            for (code, quarter), number in latest.items():
                record = Progress.get((Progress.measure == find_measure(plan, code)) & (Progress.year == 2025)
                                      & (Progress.quarter == quarter))
                # the last save reported committed for this measure and quarter, or a later one, is there
                assert int(record.note.split()[1]) >= number, (kill, code, quarter, number, record.note)
        finally:
            close_database()
    assert total_saves > KILLS
    open_database(path)  # leave it open for the plan fixture's teardown
