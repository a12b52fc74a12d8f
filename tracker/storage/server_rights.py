"""Rights on the office's PostgreSQL server, enforced by the server itself: group roles, grants, row-level security.

The database owner (the role that ran ``tracker init``) keeps every right; on PostgreSQL 15 it also needs
CREATEROLE, to make people's logins, and so stays with the server's administrator. People log in as their
own roles, members of one of this database's three group roles:

* coordinator — reads everything; writes progress, and appends history, only for measures whose
  responsible executors include one of their departments (``app_user_department``): row-level security,
  so a hand-written ``UPDATE`` in psql is refused as well;
* monitor — reads everything; writes progress for every measure, imports reports and exchange packages
  (the exchange tables, the trusted devices, the executors' contacts), signs the office's packages;
* admin — what a monitor may, and the plan, and the users — those only through two functions that run
  as the owner and check what they are asked (``tracker_add_user``, ``tracker_remove_user``): an admin
  never holds CREATEROLE, which on PostgreSQL 15 would open the whole server to them.

The history is append-only for everyone but the owner: no ``UPDATE`` grant and a trigger refusing one; a row
deleted by a package import (a recorded event filed anew as applied, tracker.exchange.merge) must stand
again, the same event, when the transaction commits. Every history row's ``login`` is set by the server
to ``session_user``: neither a typed name nor ``SET ROLE`` to a group can pose as another login. The
functions the rules use fix their ``search_path`` and name their tables with the schema, and nobody but
the owner may make temporary tables here: a table of one's own cannot stand in for the rules' tables.
``install`` is idempotent: a later migration that adds a table runs it again.
"""

from __future__ import annotations

import hashlib
import weakref

from peewee import Database, PostgresqlDatabase

from ..progress.fields import FIELDS, RECORD, Kind
from ..progress.status import Status
from ..text import MAX_TEXT

ROLES = ("coordinator", "monitor", "admin")
GROUPS = ROLES  # each database has a group role for each

# what each group writes, beyond reading every table; progress and history are row-checked below
COORDINATOR_WRITES = {"progress": "INSERT, UPDATE, DELETE", "history": "INSERT"}
MONITOR_WRITES = {
    "progress": "INSERT, UPDATE, DELETE", "history": "INSERT, DELETE", "conflict": "INSERT, UPDATE, DELETE",
    "exchange_peer": "INSERT, UPDATE", "exchange_log": "INSERT", "pending_event": "INSERT, DELETE",
    "event_signature": "INSERT",  # a change's signature: made when the office first sends it, or received with it
    "trusted_device": "INSERT, UPDATE", "department": "UPDATE (contact_person, email, phone)",
    "site": "UPDATE (name)",  # the device's name, given when a package is exported
}
PLAN_TABLES = ("plan", "strategic_goal", "operational_goal", "task", "measure", "plan_amendment", "department",
               "measure_executor", "funding_source", "measure_funding", "site")
# the device's private key is read only by those who sign the office's packages
SITE_PUBLIC_COLUMNS = "id, uid, name, location, created_at, public_key"
# names PostgreSQL keeps for itself
RESERVED_LOGINS = ("public", "none", "current_user", "session_user", "current_role", "current_catalog")
LOGIN_PATTERN = "^[a-z_][a-z0-9_.-]{0,62}$"
# a SCRAM verifier (what libpq makes of a password), never a password itself
SCRAM_PATTERN = r"^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$"


def group_role(database_name: str, kind: str) -> str:
    """This database's group role for ``kind``: roles are the server's, so each database has its own."""
    name = f"tracker_{database_name}_{kind}"
    if len(name.encode()) > 63:  # PostgreSQL's limit for a name
        name = f"tracker_{hashlib.sha256(database_name.encode()).hexdigest()[:16]}_{kind}"
    return name


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def owner_role(db: Database) -> str:
    """The role that owns the tracker's tables (the one that ran ``tracker init``)."""
    row = db.execute_sql("SELECT tableowner FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                         "AND tablename = 'schema_migration'").fetchone()
    return row[0] if row else db.execute_sql("SELECT current_user").fetchone()[0]


_roles: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # per database object: its login is fixed


def server_role(db: Database) -> str:
    """«owner» (the owner or a superuser), «admin» (a member of the admin group), or «» for anyone else."""
    known = _roles.get(db)
    if known is None:
        name = db.execute_sql("SELECT current_database()").fetchone()[0]
        owner, admin = db.execute_sql(
            "SELECT pg_has_role(current_user, %s, 'USAGE') OR "
            "(SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user), "
            "EXISTS (SELECT 1 FROM pg_catalog.pg_roles "
            "        WHERE rolname = %s AND pg_has_role(current_user, oid, 'USAGE'))",
            (owner_role(db), group_role(name, "admin"))).fetchone()
        known = _roles[db] = "owner" if owner else "admin" if admin else ""
    return known


def is_owner(db: Database) -> bool:
    """True when the login may do what only the owner does: upgrade the schema."""
    return server_role(db) == "owner"


def forget(db: Database) -> None:
    _roles.pop(db, None)


def install(db: Database) -> None:
    """Make this database's group roles and give them their rights; only on PostgreSQL, as the owner."""
    if not isinstance(db, PostgresqlDatabase):
        return
    run = db.execute_sql
    name = run("SELECT current_database()").fetchone()[0]
    groups = {kind: group_role(name, kind) for kind in GROUPS}
    coordinator, monitor, admin = (quote(groups[kind]) for kind in GROUPS)
    for group in groups.values():
        if not run("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %s", (group,)).fetchone():
            run(f"CREATE ROLE {quote(group)} NOLOGIN")
    everyone = f"{coordinator}, {monitor}, {admin}"
    # a temporary table of one's own would be looked up before the rules' tables
    run(f"REVOKE TEMPORARY ON DATABASE {quote(name)} FROM PUBLIC")
    run(f"GRANT USAGE ON SCHEMA public TO {everyone}")
    run(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone}")
    run(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {everyone}")
    run(f"REVOKE SELECT ON site FROM {coordinator}")
    run(f"GRANT SELECT ({SITE_PUBLIC_COLUMNS}) ON site TO {coordinator}")
    # a migration before the one that makes a table runs this too: its rights wait for that one's run
    tables = {row[0] for row in run("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")}
    for table, privileges in COORDINATOR_WRITES.items():
        run(f"GRANT {privileges} ON {table} TO {coordinator}")
    for table, privileges in MONITOR_WRITES.items():
        if table in tables:
            run(f"GRANT {privileges} ON {table} TO {monitor}, {admin}")
    for table in PLAN_TABLES:
        run(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {admin}")
    _functions(db, groups)
    _rules(db, coordinator, monitor, admin)
    _history_triggers(db)
    _progress_recorded(db)


# every function the rules run: a fixed search_path with pg_temp last, the schema named
_SAFE = "SET search_path = pg_catalog, public, pg_temp"


def _ddl(db: Database):
    """Run statements that take no parameters: a «%» in them is the statement's own, not a placeholder."""
    return lambda statement: db.execute_sql(statement.replace("%", "%%"))


def _functions(db: Database, groups: dict[str, str]) -> None:
    run = _ddl(db)
    # may the login edit this measure's progress: one of its departments is among the measure's executors
    run(f"""
        CREATE OR REPLACE FUNCTION public.tracker_may_edit(measure integer) RETURNS boolean
        LANGUAGE sql STABLE {_SAFE} AS $$
            SELECT EXISTS (SELECT 1 FROM public.measure_executor AS me
                           JOIN public.app_user_department AS d ON d.department_id = me.department_id
                           WHERE me.measure_id = measure AND d.login = session_user)
        $$""")
    run(f"""
        CREATE OR REPLACE FUNCTION public.tracker_is_owner() RETURNS boolean
        LANGUAGE sql STABLE {_SAFE} AS $$
            SELECT pg_catalog.pg_has_role(current_user, t.tableowner, 'USAGE') FROM pg_catalog.pg_tables AS t
            WHERE t.schemaname = 'public' AND t.tablename = 'schema_migration'
        $$""")
    group_of = " ".join(f"WHEN {literal(kind)} THEN {literal(group)}" for kind, group in groups.items())
    # who called: session_user (inside these functions current_user is the owner, whoever called)
    manager = (f"(pg_catalog.pg_has_role(session_user, {literal(groups['admin'])}, 'MEMBER') "
               "OR pg_catalog.pg_has_role(session_user, (SELECT t.tableowner FROM pg_catalog.pg_tables AS t "
               "WHERE t.schemaname = 'public' AND t.tablename = 'schema_migration'), 'MEMBER'))")
    reserved = ", ".join(literal(login) for login in RESERVED_LOGINS)
    # users are added and removed as the owner (it has CREATEROLE), only as these functions allow
    run(f"""
        CREATE OR REPLACE FUNCTION public.tracker_add_user(p_login text, p_verifier text, p_role text,
                                                           p_name text, p_by text, p_departments integer[])
        RETURNS void LANGUAGE plpgsql SECURITY DEFINER {_SAFE} AS $$
        DECLARE
            found_role record;
            on_server boolean;
        BEGIN
            IF NOT {manager} THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = 'only an admin adds users';
            END IF;
            IF p_login !~ '{LOGIN_PATTERN}' OR p_login LIKE 'pg\\_%' OR p_login IN ({reserved}) THEN
                RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'tracker: bad login';
            END IF;
            IF p_role NOT IN ('coordinator', 'monitor', 'admin') THEN
                RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'tracker: bad role';
            END IF;
            IF EXISTS (SELECT 1 FROM public.app_user WHERE login = p_login) THEN
                RAISE EXCEPTION USING ERRCODE = 'unique_violation', MESSAGE = 'tracker: user exists';
            END IF;
            SELECT r.rolsuper OR r.rolcreaterole OR r.rolbypassrls OR r.rolreplication
                   OR pg_catalog.pg_has_role(r.oid, t.tableowner, 'MEMBER') AS mighty
            INTO found_role FROM pg_catalog.pg_roles AS r, pg_catalog.pg_tables AS t
            WHERE r.rolname = p_login AND t.schemaname = 'public' AND t.tablename = 'schema_migration';
            on_server := FOUND;
            IF on_server THEN
                IF found_role.mighty THEN
                    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = 'tracker: mighty login';
                END IF;
                IF p_verifier IS NOT NULL THEN
                    RAISE EXCEPTION USING ERRCODE = 'duplicate_object', MESSAGE = 'tracker: login on server';
                END IF;
            ELSE
                IF p_verifier IS NULL OR p_verifier !~ '{SCRAM_PATTERN}' THEN
                    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'tracker: bad password';
                END IF;
                EXECUTE pg_catalog.format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_verifier);
            END IF;
            EXECUTE pg_catalog.format('GRANT %I TO %I', CASE p_role {group_of} END, p_login);
            INSERT INTO public.app_user (login, role, display_name, created_at, created_by, adopted)
                VALUES (p_login, p_role, p_name, LOCALTIMESTAMP(0), p_by, on_server);
            INSERT INTO public.app_user_department (login, department_id)
                SELECT DISTINCT p_login, d FROM pg_catalog.unnest(p_departments) AS d;
        END $$""")
    run(f"""
        CREATE OR REPLACE FUNCTION public.tracker_remove_user(p_login text) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER {_SAFE} AS $$
        DECLARE
            found_user record;
        BEGIN
            IF NOT {manager} THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = 'only an admin removes users';
            END IF;
            IF p_login = session_user THEN
                RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'tracker: oneself';
            END IF;
            SELECT role, adopted INTO found_user FROM public.app_user WHERE login = p_login;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'no_data_found', MESSAGE = 'tracker: no such user';
            END IF;
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login) THEN
                EXECUTE pg_catalog.format('REVOKE %I FROM %I', CASE found_user.role {group_of} END, p_login);
            END IF;
            DELETE FROM public.app_user_department WHERE login = p_login;
            DELETE FROM public.app_user WHERE login = p_login;
            -- a login made here and a member of nothing else (another database's groups) goes from the server
            IF found_user.adopted OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login)
               OR EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members AS m JOIN pg_catalog.pg_roles AS r
                          ON r.oid = m.member WHERE r.rolname = p_login) THEN
                RETURN false;
            END IF;
            BEGIN
                EXECUTE pg_catalog.format('DROP ROLE %I', p_login);
            EXCEPTION WHEN dependent_objects_still_exist THEN
                RETURN false;
            END;
            RETURN true;
        END $$""")
    run("REVOKE ALL ON FUNCTION public.tracker_add_user(text, text, text, text, text, integer[]), "
        "public.tracker_remove_user(text) FROM PUBLIC")
    run(f"GRANT EXECUTE ON FUNCTION public.tracker_add_user(text, text, text, text, text, integer[]), "
        f"public.tracker_remove_user(text) TO {quote(groups['admin'])}")


def _rules(db: Database, coordinator: str, monitor: str, admin: str) -> None:
    run = _ddl(db)
    for table in ("progress", "history"):
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        run(f"DROP POLICY IF EXISTS tracker_read ON {table}")
        run(f"CREATE POLICY tracker_read ON {table} FOR SELECT USING (true)")
    policies = {
        "progress": [
            ("tracker_monitor", f"FOR ALL TO {monitor}, {admin} USING (true) WITH CHECK (true)"),
            ("tracker_coordinator", f"FOR ALL TO {coordinator} USING (public.tracker_may_edit(measure_id)) "
                                    "WITH CHECK (public.tracker_may_edit(measure_id))"),
        ],
        "history": [
            ("tracker_monitor", f"FOR INSERT TO {monitor}, {admin} WITH CHECK (true)"),
            # a recorded event from a package (not the record's value) is filed anew when it is applied
            ("tracker_monitor_refile", f"FOR DELETE TO {monitor}, {admin} USING (NOT applied)"),
            ("tracker_coordinator",
             f"FOR INSERT TO {coordinator} WITH CHECK (public.tracker_may_edit(measure_id))"),
        ],
    }
    for table, rules in policies.items():
        for policy, rule in rules:
            run(f"DROP POLICY IF EXISTS {policy} ON {table}")
            run(f"CREATE POLICY {policy} ON {table} {rule}")


def _history_trigger(run, name: str, when: str, body: str, deferred: bool = False) -> None:
    """A row trigger on history running the function of the same name, both made anew; ``deferred``: checked at
    commit (a constraint trigger)."""
    run(f"""
        CREATE OR REPLACE FUNCTION public.{name}() RETURNS trigger
        LANGUAGE plpgsql {_SAFE} AS $$ BEGIN{body}
        END $$""")
    run(f"DROP TRIGGER IF EXISTS {name} ON history")
    kind, timing = ("CONSTRAINT TRIGGER", " DEFERRABLE INITIALLY DEFERRED") if deferred else ("TRIGGER", "")
    run(f"CREATE {kind} {name} {when} ON history{timing} FOR EACH ROW EXECUTE FUNCTION public.{name}()")


def _progress_recorded(db: Database) -> None:
    """A record of progress changes only as the program changes it, checked at commit: made, with history rows of
    its own transaction saying it was made and each value it holds; each value changed, with a row of that field
    giving the new value; deleted, with a row saying so (an undone first save); never moved to another measure or
    quarter; anything else in it (its author, time, version) only beside such rows. A monitor's or coordinator's
    own SQL in psql changed, moved or deleted records with no history, or with history saying something else. The
    rows then carry the login that wrote them. The owner (copies, upgrades) is not held to it; a record deleted
    with its measure (the plan replaced by an admin) needs no row."""
    run = _ddl(db)

    def row_of(field: str | None = None, value: str = "true", row: str = "NEW") -> str:
        """SQL: an applied history row of this transaction about the record (of ``field``, saying ``value``)."""
        of_field = f" AND h.field = '{field}'" if field else ""
        return (f"EXISTS (SELECT 1 FROM public.history AS h WHERE h.measure_id = {row}.measure_id AND h.year = "
                f"{row}.year AND h.quarter = {row}.quarter AND h.tx = pg_catalog.txid_current() AND h.applied"
                f"{of_field} AND {value})")

    def holds(f) -> str:
        column = f"NEW.{f.name}"
        if f.kind is Kind.MONEY:
            return f"{column} IS NOT DISTINCT FROM NULLIF(h.new_value, '')::numeric"
        if f.kind is Kind.PERCENT:
            return f"{column} IS NOT DISTINCT FROM NULLIF(h.new_value, '')::integer"
        if f.kind is Kind.TEXT:
            return f"coalesce({column}, '') = coalesce(h.new_value, '')"
        return f"{column} IS NOT DISTINCT FROM h.new_value"
    made = " AND ".join([row_of(RECORD, "h.new_value = 'created'")] + [
        f"({column_empty(f)} OR {row_of(f.name, holds(f))})" for f in FIELDS])
    changed = " AND ".join(f"(NEW.{f.name} IS NOT DISTINCT FROM OLD.{f.name} OR {row_of(f.name, holds(f))})"
                           for f in FIELDS)
    values_changed = "({}) IS DISTINCT FROM ({})".format(", ".join(f"NEW.{f.name}" for f in FIELDS),
                                                          ", ".join(f"OLD.{f.name}" for f in FIELDS))
    run(f"""
        CREATE OR REPLACE FUNCTION public.tracker_progress_recorded() RETURNS trigger
        LANGUAGE plpgsql {_SAFE} AS $$
        BEGIN
            IF public.tracker_is_owner() THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'DELETE' THEN
                IF NOT EXISTS (SELECT 1 FROM public.measure AS m WHERE m.id = OLD.measure_id)
                   OR {row_of(RECORD, "h.new_value = 'deleted'", row="OLD")} THEN
                    RETURN NULL;
                END IF;
            ELSIF TG_OP = 'INSERT' THEN
                IF {made} THEN
                    RETURN NULL;
                END IF;
            ELSIF (NEW.id, NEW.measure_id, NEW.year, NEW.quarter) IS NOT DISTINCT FROM
                  (OLD.id, OLD.measure_id, OLD.year, OLD.quarter)
                  AND NEW.version >= OLD.version
                  AND (NEW IS NOT DISTINCT FROM OLD OR ({row_of()}
                      AND {changed}
                      -- its author and time change with a value; its version alone only for a record made now
                      AND ({values_changed} OR ((NEW.updated_by, NEW.updated_at) IS NOT DISTINCT FROM
                           (OLD.updated_by, OLD.updated_at) AND {row_of(RECORD, "h.new_value = 'created'")})))) THEN
                RETURN NULL;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = 'progress is changed with its history only: ' || session_user
                          || ' changed a record otherwise than its history says';
        END $$""")
    # values the program can read: an unknown status written with a history row saying it stopped every reading of
    # the plan («Непередбачена помилка програми (ValueError)»), for everyone; NOT VALID: rows there are not re-read
    statuses = ", ".join(f"'{status.value}'" for status in Status)
    run("ALTER TABLE progress DROP CONSTRAINT IF EXISTS tracker_progress_values")
    run(f"ALTER TABLE progress ADD CONSTRAINT tracker_progress_values CHECK ((status IS NULL OR status IN "
        f"({statuses})) AND (percent IS NULL OR percent BETWEEN 0 AND 100)) NOT VALID")
    run("DROP TRIGGER IF EXISTS tracker_progress_recorded ON progress")
    run("CREATE CONSTRAINT TRIGGER tracker_progress_recorded AFTER INSERT OR UPDATE OR DELETE ON progress "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.tracker_progress_recorded()")


def _written_as_the_program_writes() -> str:
    """SQL: the history row NEW holds what the program writes (tracker.progress.fields' stored forms, an event uid
    as packages carry it): a monitor's row in psql with « 41» for a percent or «ev-a1» for a change's uid was taken,
    and every package sent on from the server was then refused whole by the devices that read it."""
    def stored(f, value: str) -> str:
        if f.kind is Kind.CHOICE:
            return f"{value} IN ({', '.join(repr(status.value) for status in Status)})"
        if f.kind is Kind.PERCENT:
            # (a CASE: «AND» may cast first, and a cast refused says the server's English, not this check)
            return f"CASE WHEN {value} ~ '^[0-9]{{1,3}}$' THEN {value}::integer <= 100 ELSE false END"
        if f.kind is Kind.MONEY:
            return f"{value} ~ '^[0-9]{{1,13}}([.][0-9])?$'"
        return f"(pg_catalog.length({value}) <= {MAX_TEXT} AND {value} !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]')"
    kinds = " ".join(f"WHEN '{f.name}' THEN (NEW.old_value IS NULL OR {stored(f, 'NEW.old_value')}) "
                     f"AND (NEW.new_value IS NULL OR {stored(f, 'NEW.new_value')})" for f in FIELDS)
    return (f"(NEW.event_uid IS NULL OR NEW.event_uid ~ '^[0-9a-f]{{32}}$') AND CASE NEW.field {kinds} "
            f"WHEN '{RECORD}' THEN coalesce(NEW.old_value, 'created') IN ('created', 'deleted') "
            f"AND NEW.new_value IN ('created', 'deleted') ELSE false END")


def column_empty(f) -> str:
    """SQL: the record's value of field ``f`` is empty (a made record writes no history row for it)."""
    if f.kind is Kind.TEXT:
        return f"coalesce(NEW.{f.name}, '') = ''"
    return f"NEW.{f.name} IS NULL"


# a row's login is the one that connected, as the server knows it (the owner, who may rewrite the history anyway,
# keeps the rows it copies in as they were: tracker copy-db sets tracker.keep_login)
_LOGIN = """
            IF coalesce(pg_catalog.current_setting('tracker.keep_login', true), '') <> 'on'
               OR session_user <> current_user OR NOT public.tracker_is_owner() THEN
                NEW.login := session_user;
            END IF;"""


def _history_triggers(db: Database) -> None:
    run = _ddl(db)
    run("ALTER TABLE history ADD COLUMN IF NOT EXISTS tx bigint")  # not the program's: the server's own check
    # the author of every history row is the login that connected (_LOGIN), and the transaction that wrote it (``tx``, a column of the server's database only): a change of a record is
    # taken only with history rows of its own transaction (tracker_progress_recorded, below)
    _history_trigger(run, "tracker_history_login", "BEFORE INSERT", f"""{_LOGIN}
            NEW.tx := pg_catalog.txid_current();
            IF NOT public.tracker_is_owner() AND NOT ({_written_as_the_program_writes()}) THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                    MESSAGE = 'history is written as the program writes it: ' || session_user
                              || ' wrote a row no device could read';
            END IF;
            RETURN NEW;""")
    # who applied an amendment of the plan, as the server knows it: the name typed was all there was
    run(f"""
        CREATE OR REPLACE FUNCTION public.tracker_amendment_login() RETURNS trigger
        LANGUAGE plpgsql {_SAFE} AS $$ BEGIN{_LOGIN}
            RETURN NEW;
        END $$""")
    run("DROP TRIGGER IF EXISTS tracker_amendment_login ON plan_amendment")
    run("CREATE TRIGGER tracker_amendment_login BEFORE INSERT ON plan_amendment FOR EACH ROW "
        "EXECUTE FUNCTION public.tracker_amendment_login()")
    # …and kept: an admin's UPDATE put the amendment on a monitor's login and name
    run(f"""
        CREATE OR REPLACE FUNCTION public.tracker_amendment_kept() RETURNS trigger
        LANGUAGE plpgsql {_SAFE} AS $$ BEGIN
            IF NOT public.tracker_is_owner() THEN
                NEW.login := OLD.login;
                NEW.applied_by := OLD.applied_by;
                NEW.applied_at := OLD.applied_at;
            END IF;
            RETURN NEW;
        END $$""")
    run("DROP TRIGGER IF EXISTS tracker_amendment_kept ON plan_amendment")
    run("CREATE TRIGGER tracker_amendment_kept BEFORE UPDATE ON plan_amendment FOR EACH ROW "
        "EXECUTE FUNCTION public.tracker_amendment_kept()")
    _history_trigger(run, "tracker_history_unchanged", "BEFORE UPDATE", """
            IF NOT public.tracker_is_owner() THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                    MESSAGE = 'history is append-only: ' || session_user || ' may not change it';
            END IF;
            RETURN NEW;""")
    # a deleted row must stand again at commit, the same event, now applied: only its place among the events
    # and its old value as this database's record had it may change
    _history_trigger(run, "tracker_history_kept", "AFTER DELETE", """
            IF NOT public.tracker_is_owner() AND NOT EXISTS (
                SELECT 1 FROM public.history AS h
                WHERE h.event_uid = OLD.event_uid AND h.applied AND h.measure_id = OLD.measure_id
                  AND h.year = OLD.year AND h.quarter = OLD.quarter AND h.field = OLD.field
                  AND h.new_value IS NOT DISTINCT FROM OLD.new_value
                  AND h.changed_at = OLD.changed_at AND h.changed_by = OLD.changed_by AND h.origin = OLD.origin
                  AND h.site_uid IS NOT DISTINCT FROM OLD.site_uid
                  AND h.parent_uid IS NOT DISTINCT FROM OLD.parent_uid
                  AND h.merge_parent_uids IS NOT DISTINCT FROM OLD.merge_parent_uids) THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                    MESSAGE = 'history is append-only: ' || session_user || ' may not delete it';
            END IF;
            RETURN NULL;""", deferred=True)
