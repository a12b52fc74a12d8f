"""Property: the batched merge writes what merging one record at a time wrote, row for row.

A merge queues the records whose changes the rules take together and writes them in one batch
(tracker.progress.records.Saves); one the rules refuse is settled by itself, field by field, as
every record was before the batch. The devices of the exchange property (test_property) edit,
undo, resolve and exchange at random; before each import, the importing database is copied, and
the copy imports the same package, at the same time, with every record settled by itself. Both
must then hold the same records, the same history in the same order, the same conflicts and the
same held events — only the uids a save makes afresh differ, so they are compared by where they
first appear.
"""

from __future__ import annotations

import datetime as _dt
import os
import random
import sqlite3
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tracker.exchange.test_property import (  # noqa: F401 (the fixtures, for pytest)
    DEVICES,
    STATS,
    World,
    amendment_file,
    first_edits,
    steps,
    templates,
)
from tracker.exchange import merge
from tracker.exchange.sync import import_package
from tracker.storage.db import make_database
from tracker.storage.device import device_location
from tracker.storage.models import Conflict, Device, History, PendingEvent, Progress, database

_TABLES = (
    (Progress, "measure_id, year, quarter"),
    (History, "id"),
    (Conflict, "id"),
    (PendingEvent, "id"),
)
_UNIQUE = {"event_uid", "parent_uid", "merge_parent_uids", "change_set", "local_uid", "incoming_uid",
           "resolution_uid", "device_uid"}  # made afresh by each run: compared by where they first appear


def rows_held() -> list:
    """Every row of the merge's tables but their ids, in order; fresh uids named by their first appearance."""
    names: dict[str, str] = {}

    def named(value):
        return " ".join(names.setdefault(uid, f"#{len(names)}") for uid in value.split())

    held = []
    for model, order in _TABLES:
        cursor = database.execute_sql(f'SELECT * FROM "{model._meta.table_name}" ORDER BY {order}')
        columns = [column[0] for column in cursor.description]
        for row in cursor.fetchall():
            held.append((model.__name__, tuple(
                named(value) if column in _UNIQUE and value else value
                for column, value in zip(columns, row) if column != "id")))
    return held


class TwinWorld(World):
    """The exchange property's devices; each import is made twice, batched and one record at a time."""

    clock = _dt.datetime(2026, 5, 4, 9, 0)

    def deliver(self, device: str, path: Path) -> bool:
        self.clock += _dt.timedelta(minutes=1)
        self.use(device)
        twin = self.folder / f"twin-{len(self.packages)}-{device}.sqlite3"
        copy = sqlite3.connect(twin)
        self.dbs[device].connection().backup(copy)
        copy.close()
        twin_db = make_database(twin)
        twin_db.connect()
        try:
            database.initialize(twin_db)
            Device.update(location=device_location()).execute()  # the same device, moved: not a copy made elsewhere
            with mock.patch.object(merge, "_queued", lambda *args, **kwargs: False):
                import_package(path, author=f"людина {device}", now=self.clock)
            one_by_one = rows_held()
        finally:
            twin_db.close()
        self.use(device)
        result = import_package(path, author=f"людина {device}", now=self.clock)
        assert rows_held() == one_by_one, (device, path.name)
        STATS["imports compared with one record at a time"] += 1
        self.check_nothing_silently_lost(device)
        return result.changed


@given(first=first_edits, plan=steps, seed=st.integers(0, 2**32 - 1))
@settings(max_examples=int(os.environ.get("TRACKER_BATCH_EXAMPLES", "15")), deadline=None, database=None,
          derandomize=not os.environ.get("TRACKER_PROPERTY_RANDOM"),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_a_batched_merge_writes_what_one_record_at_a_time_wrote(templates, amendment_file, first, plan, seed):
    exchange_twice(templates, amendment_file, first, plan, seed)


def exchange_twice(templates, amendment_file, first, plan, seed) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        world = TwinWorld(Path(folder), *templates, rng, amendment_file)
        try:
            world.play(first, plan)  # a package cut in two too: each part is imported through deliver
            for laptop in DEVICES[1:]:  # everything each laptop made, merged at the office at once
                world.deliver("office", world.export(laptop))
        finally:
            world.close()
            database.initialize(None)
