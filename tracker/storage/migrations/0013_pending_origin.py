"""``pending_event``: for a change kept until it can be merged (one waiting for the change it replaced, or one kept
aside, its measure not in the plan here — a laptop amended its plan on its own), ``origin``, the package it came with:
merged later, its history says where it came from, not the package imported then (rows from before have "" and say
«пакет»); for one kept aside, its measure's uid, code and title as that device names it, and the device — each import
asks which of them the plan has now without reading every payload (tracker.exchange.merge.Merger.merge)."""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("pending_event", "origin", TextField(default="")),
                     migrator.add_column("pending_event", "measure_uid", TextField(default="")),
                     migrator.add_column("pending_event", "measure_code", TextField(default="")),
                     migrator.add_column("pending_event", "measure_title", TextField(default="")),
                     migrator.add_column("pending_event", "device_uid", TextField(default="")),
                     migrator.add_index("pending_event", ("measure_uid",), False))
