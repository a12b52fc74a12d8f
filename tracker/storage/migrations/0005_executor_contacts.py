"""Each responsible executor's contact — person, e-mail, phone — for the quarterly collection round."""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("department", "contact_person", TextField(default="")),
        migrator.add_column("department", "email", TextField(default="")),
        migrator.add_column("department", "phone", TextField(default="")),
    )
