"""Initial schema: plan tree, department directory, progress and history.

The models here are a frozen copy of the schema as it was at this migration, deliberately
independent of tracker.models, so that later model changes never alter what this step creates.
"""
import datetime

from peewee import (
    AutoField,
    CharField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Plan(Base):
        id = AutoField()
        uid = CharField(unique=True)
        title = TextField()
        first_year = IntegerField()
        last_year = IntegerField()
        source_name = TextField(default="")
        imported_at = DateTimeField(default=datetime.datetime.now)

    class StrategicGoal(Base):
        id = AutoField()
        plan = ForeignKeyField(Plan, on_delete="CASCADE")
        number = IntegerField()
        title = TextField()

        class Meta:
            indexes = ((("plan", "number"), True),)

    class OperationalGoal(Base):
        id = AutoField()
        strategic_goal = ForeignKeyField(StrategicGoal, on_delete="CASCADE")
        code = CharField()
        position = IntegerField()
        title = TextField()

        class Meta:
            indexes = ((("strategic_goal", "code"), True),)

    class Task(Base):
        id = AutoField()
        operational_goal = ForeignKeyField(OperationalGoal, on_delete="CASCADE")
        position = IntegerField()
        title = TextField()

        class Meta:
            indexes = ((("operational_goal", "position"), True),)

    class Measure(Base):
        id = AutoField()
        plan = ForeignKeyField(Plan, on_delete="CASCADE")
        task = ForeignKeyField(Task, on_delete="CASCADE")
        code = CharField()
        position = IntegerField()
        title = TextField()
        source_line = IntegerField(default=0)

        class Meta:
            indexes = ((("plan", "code"), True),)

    class Department(Base):
        id = AutoField()
        name = CharField(unique=True)
        short_name = CharField(default="")
        kind = CharField(default="partner")
        aliases = TextField(default="[]")

    class MeasureExecutor(Base):
        id = AutoField()
        measure = ForeignKeyField(Measure, on_delete="CASCADE")
        department = ForeignKeyField(Department, on_delete="RESTRICT")
        position = IntegerField()

        class Meta:
            indexes = ((("measure", "department"), True),)

    class FundingSource(Base):
        id = AutoField()
        name = CharField(unique=True)

    class MeasureFunding(Base):
        id = AutoField()
        measure = ForeignKeyField(Measure, on_delete="CASCADE")
        source = ForeignKeyField(FundingSource, on_delete="RESTRICT")
        position = IntegerField()

        class Meta:
            indexes = ((("measure", "source"), True),)

    class Progress(Base):
        id = AutoField()
        measure = ForeignKeyField(Measure, on_delete="CASCADE")
        year = IntegerField()
        quarter = IntegerField()
        status = CharField()
        percent = IntegerField(default=0)
        note = TextField(default="")
        remarks = TextField(default="")
        planned_financing = DecimalField(max_digits=14, decimal_places=1, null=True)
        actual_financing = DecimalField(max_digits=14, decimal_places=1, null=True)
        updated_at = DateTimeField(default=datetime.datetime.now)
        updated_by = TextField(default="")
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("measure", "year", "quarter"), True),)

    class History(Base):
        id = AutoField()
        measure = ForeignKeyField(Measure, on_delete="CASCADE")
        year = IntegerField()
        quarter = IntegerField()
        field = CharField()
        old_value = TextField(null=True)
        new_value = TextField(null=True)
        changed_at = DateTimeField(default=datetime.datetime.now)
        changed_by = TextField(default="")
        origin = TextField(default="")
        change_set = CharField(index=True)

    return [Plan, StrategicGoal, OperationalGoal, Task, Measure, Department,
            MeasureExecutor, FundingSource, MeasureFunding, Progress, History]


def up(migrator, db):
    db.create_tables(_models(db))


def down(migrator, db):
    db.drop_tables(list(reversed(_models(db))))
