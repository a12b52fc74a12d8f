"""Measures get a stable identity: when the council amends the plan, a measure's code may change, its uid never.

Frozen like 0001 and 0002. Existing measures get the uid new ones get on a plan's first import
(tracker.plan.store.measure_uid): derived from the plan's identity and the code, so two copies of a
database upgraded separately, and a laptop set up from the bundled plan, name each measure alike.
"""
import hashlib

from peewee import AutoField, CharField, ForeignKeyField, Model


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Plan(Base):
        id = AutoField()
        uid = CharField()

    class Measure(Base):
        id = AutoField()
        plan = ForeignKeyField(Plan)
        code = CharField()
        uid = CharField(null=True)

    return Plan, Measure


def up(migrator, db):
    migrator.migrate(migrator.add_column("measure", "uid", CharField(null=True)))
    Plan, Measure = _models(db)
    for measure_id, code, plan_uid in Measure.select(Measure.id, Measure.code, Plan.uid).join(Plan).tuples():
        uid = hashlib.sha256(f"{plan_uid}|{code}".encode()).hexdigest()[:32]
        Measure.update(uid=uid).where(Measure.id == measure_id).execute()
    migrator.migrate(migrator.add_index("measure", ("uid",), unique=True))
