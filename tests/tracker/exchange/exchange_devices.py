"""Databases of several devices for the exchange tests: templates, switching, and what a device holds.

The office template has different database ids from a database set up on its own from the bundled
plan: before the bundled plan, a draft plan was imported there and deleted again. A laptop made
from the office template is a file copy of the office database; one made from the bundled
template is the other way the issue names.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from tracker.paths import BUNDLED_PLAN
from tracker.plan.store import ensure_bundled_plan, import_plan
from tracker.progress.fields import FIELDS, names
from tracker.storage.db import close_database, open_database
from tracker.storage.device import signing_key as device_key
from tracker.storage.device import this_device
from tracker.storage.models import (
    Conflict,
    History,
    Measure,
    OperationalGoal,
    PendingEvent,
    Plan,
    Progress,
    StrategicGoal,
    Task,
    TrustedDevice,
)


def make_bundled_template(path: Path) -> Path:
    open_database(path)
    ensure_bundled_plan()
    close_database()  # the last connection closing checkpoints the WAL into the file
    return path


def make_office_template(path: Path) -> Path:
    open_database(path)
    draft = Plan.create(uid="draft", title="Чернетка плану", first_year=2024, last_year=2027)
    goal = StrategicGoal.create(plan=draft, number=1, title="Чернетка")
    operational = OperationalGoal.create(strategic_goal=goal, code="1.1", position=1, title="Чернетка")
    task = Task.create(operational_goal=operational, position=1, title="Чернетка")
    for number in range(1, 41):
        Measure.create(plan=draft, task=task, code=f"1.1.{number}", uid=f"draft-{number}", position=number,
                       title="Чернетка")
    import_plan(BUNDLED_PLAN, new_plan=True)
    draft.delete_instance(recursive=False)  # measures go with it (ON DELETE CASCADE)
    close_database()
    return path


class Device:
    """One device's database file; ``with device:`` makes it the program's database."""

    def __init__(self, name: str, path: Path):
        self.name, self.path = name, path

    def __enter__(self):
        open_database(self.path)
        return self

    def __exit__(self, *exc):
        close_database()

    def copy_to(self, name: str, path: Path) -> "Device":
        shutil.copyfile(self.path, path)  # closed, so the WAL is in the file
        return Device(name, path)


def introduce(*devices: Device) -> None:
    """Each device trusts every other's key, as their people would after comparing fingerprints."""
    keys = {}
    for device in devices:
        with device:
            own = this_device()
            keys[device.path] = (own.uid, own.name, own.public_key)
    for device in devices:
        with device:
            for path, (uid, name, key) in keys.items():
                if path != device.path:
                    TrustedDevice.get_or_create(device_uid=uid, defaults={"name": name, "public_key": key,
                                                                          "trusted_by": "тест"})


def signing_key() -> tuple[str, str]:
    """The bound database's device (public key, private key): to sign a package a test made by hand."""
    own = this_device()
    return own.public_key, device_key(own)


def device_from(template: Path, name: str, folder: Path) -> Device:
    path = folder / f"{name}.sqlite3"
    shutil.copyfile(template, path)
    return Device(name, path)


def counts() -> dict[str, int]:
    return {"progress": Progress.select().count(), "history": History.select().count(),
            "conflicts": Conflict.select().count(), "pending": PendingEvent.select().count()}


def progress_values() -> dict[tuple, str | None]:
    """Every field of every record by measure uid (the same on every device, whatever the code) and quarter, as
    history writes values."""

    result = {}
    for record in Progress.select(Progress, Measure.uid).join(Measure):
        for field in FIELDS:
            result[(record.measure.uid, record.year, record.quarter, field.name)] = field.store(field.read(record))
    return result


def event_uids() -> set[str]:
    return {u for (u,) in History.select(History.event_uid).where(History.field.in_(names())).tuples()}


@contextlib.contextmanager
def nothing_changes():
    """Assert that the block leaves the bound database's rows as they were."""
    before = (counts(), progress_values())
    yield
    assert (counts(), progress_values()) == before
