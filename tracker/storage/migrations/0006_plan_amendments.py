"""The plan changes by council decision: amendments recorded, versions kept, removed measures kept for old quarters.

* ``plan_amendment``: one row per applied amendment — the decision, the quarter it takes effect,
  who applied it and when, from which file (or package), the changes as reviewed, and the plan as it
  stood before (JSON), which is the version in force until that quarter;
* ``measure.removed_in`` / ``removed_by``: a measure the council removed keeps its records and history
  and is out of the plan from that quarter (an ordinal, year * 4 + quarter - 1);
* a measure's code is unique among the measures in force, no longer among all of them: a removed
  1.1.3 keeps its code while the old 1.1.4 becomes 1.1.3.
"""
from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Plan(Base):
        id = AutoField()

    class PlanAmendment(Base):
        id = AutoField()
        uid = CharField(unique=True)
        plan = ForeignKeyField(Plan, on_delete="CASCADE")
        decision = TextField()
        effective = IntegerField()
        applied_at = DateTimeField()
        applied_by = TextField(default="")
        source_name = TextField(default="")
        came_in = TextField(default="file")
        changes = TextField(default="[]")
        before = TextField()

    db.create_tables([PlanAmendment])
    migrator.migrate(
        migrator.add_column("measure", "removed_in", IntegerField(null=True)),
        migrator.add_column("measure", "removed_by_id",
                            ForeignKeyField(PlanAmendment, field=PlanAmendment.id, null=True, on_delete="SET NULL")),
        migrator.drop_index("measure", "measure_plan_id_code"),
        migrator.add_index("measure", ("plan_id", "code"), unique=False),
    )
