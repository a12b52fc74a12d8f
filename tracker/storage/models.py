"""The peewee models: plan → strategic goal → operational goal → task → measure, and progress."""

from __future__ import annotations

import datetime as _dt

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

# One database object for the whole program, bound at start-up by tracker.db.open_database.
database = DatabaseProxy()


def _now() -> _dt.datetime:
    return _dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Plan(BaseModel):
    id = AutoField()
    uid = CharField(unique=True)  # stable identity of the plan, derived from its title and years
    title = TextField()
    first_year = IntegerField()
    last_year = IntegerField()
    source_name = TextField(default="")
    imported_at = DateTimeField(default=_now)


class PlanAmendment(BaseModel):
    """An amendment of the plan by council decision, as applied here (tracker.plan.amend)."""

    id = AutoField()
    uid = CharField(unique=True)  # the same amendment in every database it reaches (it travels in packages)
    plan = ForeignKeyField(Plan, backref="amendments", on_delete="CASCADE")
    decision = TextField()  # «рішення міської ради від 25.02.2026 № 71/14»
    effective = IntegerField()  # the first quarter it is in force (year * 4 + quarter - 1)
    applied_at = DateTimeField(default=_now)
    applied_by = TextField(default="")
    login = TextField(default="")  # on the server, the login that applied it, set by the server (as history.login)
    source_name = TextField(default="")  # the file it was read from, or the package it came in
    came_in = TextField(default="file")  # file | package
    made_on = TextField(default="")  # the device uid of the database that took it on its own authority ("": not known)
    made_on_signature = TextField(default="")  # that device's signature of it as received ("": made here, not known)
    changes = TextField(default="[]")  # JSON list of the changes as reviewed, one line each
    before = TextField()  # JSON: the plan as it stood before (tracker.plan.versions), in force until ``effective``


class StrategicGoal(BaseModel):
    id = AutoField()
    plan = ForeignKeyField(Plan, backref="strategic_goals", on_delete="CASCADE", index=False)
    number = IntegerField()
    title = TextField()

    class Meta:
        indexes = ((("plan", "number"), True),)


class OperationalGoal(BaseModel):
    id = AutoField()
    strategic_goal = ForeignKeyField(StrategicGoal, backref="operational_goals", on_delete="CASCADE", index=False)
    code = CharField()  # "1.2"
    position = IntegerField()
    title = TextField()

    class Meta:
        indexes = ((("strategic_goal", "code"), True),)


class Task(BaseModel):
    id = AutoField()
    operational_goal = ForeignKeyField(OperationalGoal, backref="tasks", on_delete="CASCADE", index=False)
    position = IntegerField()  # order within the operational goal; tasks have no code in the plan
    title = TextField()

    class Meta:
        indexes = ((("operational_goal", "position"), True),)


class Measure(BaseModel):
    id = AutoField()
    plan = ForeignKeyField(Plan, backref="measures", on_delete="CASCADE", index=False)
    uid = CharField(unique=True)  # the measure's identity for good: its code can change by amendment
    task = ForeignKeyField(Task, backref="measures", on_delete="CASCADE")
    code = CharField()  # "1.2.8"
    position = IntegerField()  # order in the whole plan
    title = TextField()
    source_line = IntegerField(default=0)
    # out of the plan from this quarter on (year * 4 + quarter - 1) by an amendment; its records stay
    removed_in = IntegerField(null=True)
    removed_by = ForeignKeyField(PlanAmendment, null=True, on_delete="SET NULL", backref="removed")

    class Meta:
        indexes = ((("plan", "code"), False),)  # unique among the measures in force (a removed one keeps its code)


class Executor(BaseModel):
    """A responsible executor from the directory shipped in data/departments.json."""

    id = AutoField()
    name = CharField(unique=True)
    short_name = CharField(default="")
    kind = CharField(default="partner")  # council_department | municipal_enterprise | partner
    aliases = TextField(default="[]")  # JSON list of other spellings
    # whom the monitoring group writes to in the quarterly round (kept in this database, edited in the window)
    contact_person = TextField(default="")
    email = TextField(default="")
    phone = TextField(default="")

    class Meta:
        table_name = "department"  # the table's name since the first version


class MeasureExecutor(BaseModel):
    id = AutoField()
    measure = ForeignKeyField(Measure, backref="executor_links", on_delete="CASCADE", index=False)
    executor = ForeignKeyField(Executor, backref="measure_links", on_delete="RESTRICT", column_name="department_id",
                               object_id_name="executor_id")
    position = IntegerField()

    class Meta:
        indexes = ((("measure", "executor"), True),)


class FundingSource(BaseModel):
    id = AutoField()
    name = CharField(unique=True)


class MeasureFunding(BaseModel):
    id = AutoField()
    measure = ForeignKeyField(Measure, backref="funding_links", on_delete="CASCADE", index=False)
    source = ForeignKeyField(FundingSource, backref="measure_links", on_delete="RESTRICT")
    position = IntegerField()

    class Meta:
        indexes = ((("measure", "source"), True),)


class Progress(BaseModel):
    """One record per measure per quarter; percent is cumulative for the measure."""

    id = AutoField()
    measure = ForeignKeyField(Measure, backref="progress", on_delete="CASCADE", index=False)
    year = IntegerField()
    quarter = IntegerField()
    status = CharField()
    percent = IntegerField(default=0)
    note = TextField(default="")
    remarks = TextField(default="")
    planned_financing = DecimalField(max_digits=14, decimal_places=1, null=True, auto_round=True)
    actual_financing = DecimalField(max_digits=14, decimal_places=1, null=True, auto_round=True)
    updated_at = DateTimeField(default=_now)
    updated_by = TextField(default="")
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("measure", "year", "quarter"), True),)


class History(BaseModel):
    """Every change of a progress field: old and new value, when, who and where it came from."""

    id = AutoField()
    measure = ForeignKeyField(Measure, backref="history", on_delete="CASCADE", index=False)
    year = IntegerField()
    quarter = IntegerField()
    field = CharField()
    old_value = TextField(null=True)
    new_value = TextField(null=True)
    changed_at = DateTimeField(default=_now)
    changed_by = TextField(default="")
    origin = TextField(default="")
    change_set = CharField(index=True)  # one save = one change set, the unit of undo
    # Exchange identity (tracker.events): a field change is an event known by one uid everywhere.
    event_uid = CharField(null=True, unique=True)
    parent_uid = CharField(null=True)  # the event whose value this one replaced
    merge_parent_uids = TextField(null=True)  # further events it replaced (space-separated): a resolution
    device_uid = CharField(null=True, column_name="site_uid")  # the device (database) the change was made in
    applied = BooleanField(default=True)  # False: known from a package but not the record's value
    login = TextField(default="")  # on the server: the login that wrote the row (set by the server, not the program)


class EventSignature(BaseModel):
    """A change's signature by the device it was made on (tracker.exchange.provenance): made when the device first
    sends the change, kept by every database that takes it, and sent on with it — a trusted laptop cannot pass its
    own changes off as another device's. Apart from the history, which is append-only on the server."""

    id = AutoField()
    event_uid = CharField(unique=True)
    signature = CharField()


class Device(BaseModel):
    """This database's identity in exchange packages: the device (one row; a copy elsewhere gets a new one)."""

    id = AutoField()
    uid = CharField(unique=True)
    name = TextField(default="")
    location = TextField(default="")  # host and file (or server) the uid was made for
    created_at = DateTimeField(default=_now)
    private_key = TextField(null=True)  # Ed25519, raw 32 bytes as hex: signs this database's packages
    public_key = TextField(null=True)

    class Meta:
        table_name = "site"  # the table's name from before the code said «device»


class TrustedDevice(BaseModel):
    """A device whose signed packages this database accepts (tracker.exchange.trust)."""

    id = AutoField()
    device_uid = CharField(unique=True)
    name = TextField(default="")
    public_key = CharField()  # Ed25519, raw 32 bytes as hex
    trusted_at = DateTimeField(default=_now)
    trusted_by = TextField(default="")
    revoked_at = DateTimeField(null=True)
    last_package_at = DateTimeField(null=True)


class AppUser(BaseModel):
    """A login of this database on the office's PostgreSQL server, and its role here (tracker.access)."""

    id = AutoField()
    login = CharField(unique=True)
    role = CharField()  # coordinator | monitor | admin
    display_name = TextField(default="")
    created_at = DateTimeField(default=_now)
    created_by = TextField(default="")
    adopted = BooleanField(default=False)  # the login was on the server before: removing it here keeps it there


class AppUserDepartment(BaseModel):
    """A department a coordinator's login answers for: its measures are the ones the login may change."""

    id = AutoField()
    login = CharField()
    department = ForeignKeyField(Executor, backref="user_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("login", "department"), True),)


class ExchangePeer(BaseModel):
    """Another device seen in packages: how far we have its changes, and it ours (seq + event uid)."""

    id = AutoField()
    device_uid = CharField(unique=True, column_name="site_uid")
    name = TextField(default="")
    received_seq = IntegerField(default=0)
    received_uid = CharField(null=True)
    acked_seq = IntegerField(default=0)
    acked_uid = CharField(null=True)
    last_seen = DateTimeField(null=True)


class ExchangeLog(BaseModel):
    """One exported or imported exchange package."""

    id = AutoField()
    direction = CharField()  # export | import
    plan_uid = CharField()
    peer_uid = CharField(default="")
    peer_name = TextField(default="")
    file_name = TextField(default="")
    base_seq = IntegerField(default=0)
    top_seq = IntegerField(default=0)
    events = IntegerField(default=0)
    applied = IntegerField(default=0)
    skipped = IntegerField(default=0)
    pending = IntegerField(default=0)
    conflicts = IntegerField(default=0)
    dropped = IntegerField(default=0)  # events for measures the plan does not have: kept aside (dropped before 0013)
    author = TextField(default="")
    created_at = DateTimeField(default=_now)


class PendingEvent(BaseModel):
    """An event received before the one it replaced; merged once that one arrives."""

    id = AutoField()
    event_uid = CharField(unique=True)
    plan_uid = CharField()
    payload = TextField()  # the event as it stood in the package (JSON)
    reason = TextField(default="")
    received_at = DateTimeField(default=_now)
    origin = TextField(default="")  # the package it came with, as the history's origin ("" before 0013: unknown)
    # one kept aside, its measure not in the plan here (tracker.exchange.merge.NOT_IN_PLAN): which measure, as the
    # device it was made on names it, and that device — asked of every import without reading every payload
    measure_uid = TextField(default="", index=True)
    measure_code = TextField(default="")
    measure_title = TextField(default="")  # when the package's amendments name it
    device_uid = TextField(default="")


class Conflict(BaseModel):
    """A field changed both here and elsewhere since their common base, waiting for a person."""

    id = AutoField()
    measure = ForeignKeyField(Measure, backref="conflicts", on_delete="CASCADE", index=False)
    year = IntegerField()
    quarter = IntegerField()
    field = CharField()
    local_uid = CharField(null=True)  # when listed: the event whose value the record held (None: never set)
    incoming_uid = CharField()  # when listed: the newest other value's event (the sides shown are the tips)
    reason = TextField(default="")  # a one-sided change the plan's rules refused here, and why
    detected_at = DateTimeField(default=_now)
    resolved_at = DateTimeField(null=True)
    resolved_by = TextField(default="")
    resolution = TextField(default="")  # by a person: local | incoming | value; by itself: applied | elsewhere
    resolution_uid = CharField(null=True)

    class Meta:
        indexes = ((("measure", "year", "quarter", "field"), False),)


ALL_MODELS = [
    Plan,
    StrategicGoal,
    OperationalGoal,
    Task,
    Measure,
    PlanAmendment,
    Executor,
    MeasureExecutor,
    FundingSource,
    MeasureFunding,
    Progress,
    History,
    EventSignature,
    Device,
    TrustedDevice,
    ExchangePeer,
    ExchangeLog,
    PendingEvent,
    Conflict,
    AppUser,
    AppUserDepartment,
]
