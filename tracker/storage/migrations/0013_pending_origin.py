"""``pending_event.origin``: the package a change came with, for a change kept until it can be merged (one waiting for
the change it replaced, or one for a measure the plan does not have yet): merged later, its history says where it came
from, not the package that happened to be imported then. Rows from before this column have "" and take the latter."""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("pending_event", "origin", TextField(default="")))
