"""``event_signature``: each change's signature by the device it was made on (tracker.exchange.provenance), kept
apart from the history, which is append-only on the server; on PostgreSQL, the monitors' right to add them."""
from peewee import AutoField, CharField, Model

from tracker.storage.server_rights import install


def up(migrator, db):
    class EventSignature(Model):
        id = AutoField()
        event_uid = CharField(unique=True)
        signature = CharField()

        class Meta:
            database = db
            table_name = "event_signature"

    db.create_tables([EventSignature], safe=True)
    install(db)
