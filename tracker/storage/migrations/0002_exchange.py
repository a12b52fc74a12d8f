"""Exchange packages: every field change gets a global identity; sites, peers, pending events, conflicts.

Frozen like 0001: the models and columns are declared here as they were at this step, independent
of tracker.models.

Existing history rows get identities derived from their change set and field, not random ones, so
two copies of one database upgraded separately (the office's, and a laptop's made from it before
the upgrade) give their shared past the same identities and still merge.
"""
import datetime
import hashlib

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

FIELDS = ("status", "percent", "note", "remarks", "planned_financing", "actual_financing")


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Measure(Base):  # a stub for the foreign key; the table exists since 0001
        id = AutoField()

    class History(Base):  # only the columns this step reads and fills
        id = AutoField()
        measure = ForeignKeyField(Measure)
        year = IntegerField()
        quarter = IntegerField()
        field = CharField()
        change_set = CharField()
        event_uid = CharField(null=True)
        parent_uid = CharField(null=True)

    class Site(Base):
        id = AutoField()
        uid = CharField(unique=True)
        name = TextField(default="")
        location = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.now)

    class ExchangePeer(Base):
        id = AutoField()
        site_uid = CharField(unique=True)
        name = TextField(default="")
        received_seq = IntegerField(default=0)
        received_uid = CharField(null=True)
        acked_seq = IntegerField(default=0)
        acked_uid = CharField(null=True)
        last_seen = DateTimeField(null=True)

    class ExchangeLog(Base):
        id = AutoField()
        direction = CharField()
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
        author = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.now)

    class PendingEvent(Base):
        id = AutoField()
        event_uid = CharField(unique=True)
        plan_uid = CharField()
        payload = TextField()
        reason = TextField(default="")
        received_at = DateTimeField(default=datetime.datetime.now)

    class Conflict(Base):
        id = AutoField()
        measure = ForeignKeyField(Measure, on_delete="CASCADE")
        year = IntegerField()
        quarter = IntegerField()
        field = CharField()
        local_uid = CharField(null=True)
        incoming_uid = CharField()
        reason = TextField(default="")
        detected_at = DateTimeField(default=datetime.datetime.now)
        resolved_at = DateTimeField(null=True)
        resolved_by = TextField(default="")
        resolution = TextField(default="")
        resolution_uid = CharField(null=True)

        class Meta:
            indexes = ((("measure", "year", "quarter", "field"), False),)

    return History, [Site, ExchangePeer, ExchangeLog, PendingEvent, Conflict]


def _identify_existing(History) -> None:
    taken: set[str] = set()
    heads: dict[tuple, str] = {}
    rows = History.select(History.id, History.measure, History.year, History.quarter, History.field,
                          History.change_set).order_by(History.id).tuples()
    for row_id, measure_id, year, quarter, field, change_set in rows:
        uid = hashlib.sha256(f"{change_set}|{field}".encode()).hexdigest()[:32]
        if uid in taken:  # never happens for rows save_progress wrote; kept unique regardless
            uid = hashlib.sha256(f"{change_set}|{field}|{row_id}".encode()).hexdigest()[:32]
        taken.add(uid)
        parent = None
        if field in FIELDS:
            key = (measure_id, year, quarter, field)
            parent = heads.get(key)
            heads[key] = uid
        History.update(event_uid=uid, parent_uid=parent).where(History.id == row_id).execute()


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("history", "event_uid", CharField(null=True)),
        migrator.add_column("history", "parent_uid", CharField(null=True)),
        migrator.add_column("history", "merge_parent_uids", TextField(null=True)),
        migrator.add_column("history", "site_uid", CharField(null=True)),
        migrator.add_column("history", "applied", BooleanField(default=True)),
    )
    History, tables = _models(db)
    _identify_existing(History)
    migrator.migrate(
        migrator.add_index("history", ("event_uid",), unique=True),
        migrator.add_index("history", ("measure_id", "year", "quarter", "field")),
    )
    db.create_tables(tables)


def down(migrator, db):
    _, tables = _models(db)
    db.drop_tables(list(reversed(tables)))
    migrator.migrate(
        migrator.drop_index("history", "history_measure_id_year_quarter_field"),
        migrator.drop_index("history", "history_event_uid"),
        *(migrator.drop_column("history", name)
          for name in ("applied", "site_uid", "merge_parent_uids", "parent_uid", "event_uid")),
    )
