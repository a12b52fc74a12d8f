"""The exchange log counts the events an import dropped: changes for measures the plan does not have."""
from peewee import IntegerField


def up(migrator, db):
    migrator.migrate(migrator.add_column("exchange_log", "dropped", IntegerField(default=0)))
