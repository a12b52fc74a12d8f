"""Rights on the office's PostgreSQL server, enforced by the server itself: group roles, grants, row-level security.

The database owner (the role that ran ``tracker init``) keeps every right. People log in as their own
roles, members of one of this database's group roles:

* coordinator — reads everything; writes progress, and appends history, only for measures whose
  responsible executors include one of their departments (``app_user_department``): row-level security,
  so a hand-written ``UPDATE`` in psql is refused as well;
* monitor — reads everything; writes progress for every measure, imports reports and exchange packages
  (the exchange tables, the trusted devices, the executors' contacts), signs the office's packages;
* admin — a member of the owner's role: the plan, the users, schema upgrades.

The history is append-only for everyone but the owner: no ``UPDATE`` grant, a trigger refusing one, and
a row deleted by a monitor's package import must stand again, the same event, when the transaction
commits (the merge files a recorded event anew as applied; see tracker.exchange.merge). Every history
row's ``login`` is set by the server to ``current_user``: a name typed in the settings cannot pose as
another login. ``install`` is idempotent: a later migration that adds a table runs it again.
"""

from __future__ import annotations

import hashlib
import weakref

from peewee import Database, PostgresqlDatabase

ROLES = ("coordinator", "monitor", "admin")
GROUPS = ("coordinator", "monitor")  # admin is a member of the owner's role, not of a group

# tables each group writes, beyond reading every table; history's writes are row-checked below
COORDINATOR_WRITES = {"progress": "INSERT, UPDATE, DELETE", "history": "INSERT"}
MONITOR_WRITES = {
    "progress": "INSERT, UPDATE, DELETE", "history": "INSERT, DELETE", "conflict": "INSERT, UPDATE, DELETE",
    "exchange_peer": "INSERT, UPDATE", "exchange_log": "INSERT", "pending_event": "INSERT, DELETE",
    "trusted_device": "INSERT, UPDATE",
}
MONITOR_COLUMNS = {"department": "UPDATE (contact_person, email, phone)"}  # contacts for the quarterly round
# the device's private key is read only by those who sign the office's packages
SITE_PUBLIC_COLUMNS = "id, uid, name, location, created_at, public_key"


def group_role(database_name: str, kind: str) -> str:
    """This database's group role for ``kind``: roles are the server's, so each database has its own."""
    name = f"tracker_{database_name}_{kind}"
    if len(name.encode()) > 63:  # PostgreSQL's limit for a name
        name = f"tracker_{hashlib.sha256(database_name.encode()).hexdigest()[:16]}_{kind}"
    return name


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def owner_role(db: Database) -> str:
    """The role that owns the tracker's tables (the one that ran ``tracker init``)."""
    row = db.execute_sql("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
                         "AND tablename = 'schema_migration'").fetchone()
    return row[0] if row else db.execute_sql("SELECT current_user").fetchone()[0]


_owners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # per database object: its login is fixed


def is_owner(db: Database) -> bool:
    """True when the login may do what the owner does (it is the owner, a superuser, or an admin)."""
    known = _owners.get(db)
    if known is None:
        known = _owners[db] = bool(db.execute_sql(
            "SELECT pg_has_role(current_user, %s, 'USAGE') OR "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)", (owner_role(db),)).fetchone()[0])
    return known


def forget(db: Database) -> None:
    _owners.pop(db, None)


def install(db: Database) -> None:
    """Make this database's group roles and give them their rights; only on PostgreSQL, as the owner."""
    if not isinstance(db, PostgresqlDatabase):
        return
    name = db.execute_sql("SELECT current_database()").fetchone()[0]
    coordinator, monitor = (quote(group_role(name, kind)) for kind in GROUPS)
    run = db.execute_sql
    for kind in GROUPS:
        group = group_role(name, kind)
        if not run("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone():
            run(f"CREATE ROLE {quote(group)} NOLOGIN")
    both = f"{coordinator}, {monitor}"
    run(f"GRANT USAGE ON SCHEMA public TO {both}")
    run(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {both}")
    run(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {both}")
    run(f"REVOKE SELECT ON site FROM {coordinator}")
    run(f"GRANT SELECT ({SITE_PUBLIC_COLUMNS}) ON site TO {coordinator}")
    for table, privileges in COORDINATOR_WRITES.items():
        run(f"GRANT {privileges} ON {table} TO {coordinator}")
    for table, privileges in MONITOR_WRITES.items():
        run(f"GRANT {privileges} ON {table} TO {monitor}")
    run(f"GRANT UPDATE (name) ON site TO {monitor}")  # the device's name, given when a package is exported
    for table, privileges in MONITOR_COLUMNS.items():
        run(f"GRANT {privileges} ON {table} TO {monitor}")

    # may the login edit this measure's progress: one of its departments is among the measure's executors
    run("""
        CREATE OR REPLACE FUNCTION tracker_may_edit(measure integer) RETURNS boolean
        LANGUAGE sql STABLE AS $$
            SELECT EXISTS (SELECT 1 FROM measure_executor AS me
                           JOIN app_user_department AS d ON d.department_id = me.department_id
                           WHERE me.measure_id = measure AND d.login = current_user)
        $$""")
    run("""
        CREATE OR REPLACE FUNCTION tracker_is_owner() RETURNS boolean
        LANGUAGE sql STABLE AS $$
            SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables
            WHERE schemaname = current_schema() AND tablename = 'schema_migration'
        $$""")
    for table in ("progress", "history"):
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        run(f"DROP POLICY IF EXISTS tracker_read ON {table}")
        run(f"CREATE POLICY tracker_read ON {table} FOR SELECT USING (true)")
    policies = {
        "progress": [
            ("tracker_monitor", f"FOR ALL TO {monitor} USING (true) WITH CHECK (true)"),
            ("tracker_coordinator", f"FOR ALL TO {coordinator} USING (tracker_may_edit(measure_id)) "
                                    "WITH CHECK (tracker_may_edit(measure_id))"),
        ],
        "history": [
            ("tracker_monitor", f"FOR INSERT TO {monitor} WITH CHECK (true)"),
            # an event from a package is filed anew when it is applied (tracker_history_kept holds it to that)
            ("tracker_monitor_refile", f"FOR DELETE TO {monitor} USING (true)"),
            ("tracker_coordinator", f"FOR INSERT TO {coordinator} WITH CHECK (tracker_may_edit(measure_id))"),
        ],
    }
    for table, rules in policies.items():
        for policy, rule in rules:
            run(f"DROP POLICY IF EXISTS {policy} ON {table}")
            run(f"CREATE POLICY {policy} ON {table} {rule}")

    # the author of every history row is the login, as the server knows it (the owner, who may rewrite the
    # history anyway, keeps the rows it copies in as they were: tracker copy-db sets tracker.keep_login)
    run("""
        CREATE OR REPLACE FUNCTION tracker_history_login() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            IF coalesce(current_setting('tracker.keep_login', true), '') <> 'on' OR NOT tracker_is_owner() THEN
                NEW.login := current_user;
            END IF;
            RETURN NEW;
        END $$""")
    run("DROP TRIGGER IF EXISTS tracker_history_login ON history")
    run("CREATE TRIGGER tracker_history_login BEFORE INSERT ON history "
        "FOR EACH ROW EXECUTE FUNCTION tracker_history_login()")
    run("""
        CREATE OR REPLACE FUNCTION tracker_history_unchanged() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            IF NOT tracker_is_owner() THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                    MESSAGE = 'history is append-only: ' || current_user || ' may not change it';
            END IF;
            RETURN NEW;
        END $$""")
    run("DROP TRIGGER IF EXISTS tracker_history_unchanged ON history")
    run("CREATE TRIGGER tracker_history_unchanged BEFORE UPDATE ON history "
        "FOR EACH ROW EXECUTE FUNCTION tracker_history_unchanged()")
    # a deleted row must stand again, unchanged, at commit: only its place among the events may change
    run("""
        CREATE OR REPLACE FUNCTION tracker_history_kept() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            IF NOT tracker_is_owner() AND NOT EXISTS (
                SELECT 1 FROM history AS h
                WHERE h.event_uid = OLD.event_uid AND h.measure_id = OLD.measure_id AND h.year = OLD.year
                  AND h.quarter = OLD.quarter AND h.field = OLD.field
                  AND h.new_value IS NOT DISTINCT FROM OLD.new_value
                  AND h.changed_at = OLD.changed_at AND h.changed_by = OLD.changed_by AND h.origin = OLD.origin
                  AND h.site_uid IS NOT DISTINCT FROM OLD.site_uid AND h.parent_uid IS NOT DISTINCT FROM OLD.parent_uid
                  AND h.merge_parent_uids IS NOT DISTINCT FROM OLD.merge_parent_uids) THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                    MESSAGE = 'history is append-only: ' || current_user || ' may not delete it';
            END IF;
            RETURN NULL;
        END $$""")
    run("DROP TRIGGER IF EXISTS tracker_history_kept ON history")
    run("CREATE CONSTRAINT TRIGGER tracker_history_kept AFTER DELETE ON history DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION tracker_history_kept()")
