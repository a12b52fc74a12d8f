"""Where an amendment of the plan was made: ``plan_amendment.made_on``, the device uid of the database that applied it
from the council's file (the office), carried with it in packages. A database takes by itself only the amendments
made on the database it is a copy of (tracker.exchange.sync); an amendment from before this column has none ("")
and is taken as its package's sender decides.
"""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("plan_amendment", "made_on", TextField(default="")))
