"""Signed exchange packages: each database's device gets an Ed25519 key pair; the devices it trusts are listed.

* ``site.private_key`` / ``site.public_key``: this database's device key (raw 32 bytes, hex), made when first
  needed and made anew, like the device uid, for a copy of the database elsewhere;
* ``trusted_device``: a device whose packages this database accepts — its uid, name and public key, when and by
  whom it was trusted, when revoked, and when its last package came.
"""
from peewee import AutoField, CharField, DateTimeField, Model, TextField


def up(migrator, db):
    class TrustedDevice(Model):
        id = AutoField()
        device_uid = CharField(unique=True)
        name = TextField(default="")
        public_key = CharField()
        trusted_at = DateTimeField()
        trusted_by = TextField(default="")
        revoked_at = DateTimeField(null=True)
        last_package_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "trusted_device"

    db.create_tables([TrustedDevice])
    migrator.migrate(
        migrator.add_column("site", "private_key", TextField(null=True)),
        migrator.add_column("site", "public_key", TextField(null=True)),
    )
