"""Who applied an amendment of the plan, as the office server knows it: ``plan_amendment.login``, set by the server
(a trigger, as ``history.login``) to the login that wrote the row; empty in an SQLite file, where the name typed is
all there is. The name typed (``applied_by``) could be anyone's.
"""
from peewee import TextField

from tracker.storage.server_rights import install


def up(migrator, db):
    migrator.migrate(migrator.add_column("plan_amendment", "login", TextField(default="")))
    install(db)
