"""Where an amendment of the plan was made: ``plan_amendment.made_on``, the device uid of the database that took it on
its own authority (applied it from the council's file, or a person there allowed it from a package), and
``made_on_signature``, that device's signature of it, carried with it in packages. A database takes by itself only
the amendments made on the database it is a copy of, signed by it (tracker.exchange.sync); an amendment from before
these columns has neither ("") and is taken as its package's sender decides.
"""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("plan_amendment", "made_on", TextField(default="")),
                     migrator.add_column("plan_amendment", "made_on_signature", TextField(default="")))
