"""People on the office's PostgreSQL server: their own logins, rights by department, an append-only history.

Against the real server that .ci/run starts. The office database is made by its owner (the test role); two
coordinators of different departments and a monitor then work as their own logins — through the program,
and by hand through psycopg, as someone with psql would.
"""

from __future__ import annotations

import multiprocessing
import uuid
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.tracker.access import people
from tests.tracker.access.office import PASSWORD
from tracker.access.rights import AccessDenied, current_rights
from tracker.access.users import add_user, check_login, list_users, remove_user
from tracker.cli.commands import main as cli_main
from tracker.errors import TrackerError, ValidationError
from tracker.exchange.sync import export_package, import_package
from tracker.plan.store import BUNDLED_PLAN, current_plan, import_plan
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage.db import close_database, open_database
from tracker.storage.device import this_device
from tracker.storage.models import History, Progress, TrustedDevice, database
from tracker.storage.server_rights import group_role

Q = Quarter(2025, 2)
FORGED = "f0" * 16  # an event uid as packages carry them, for rows written by hand


def history_rows() -> list[tuple]:
    return list(History.select(History.id, History.field, History.new_value, History.changed_by, History.login)
                .order_by(History.id).tuples())


# -- through the program -------------------------------------------------------------------------

def test_three_people_edit_at_once_each_only_where_they_may(office):
    schools, theatres = office.schools[:2], office.theatres[:2]
    teacher = [(code, "2025Q2", 10 + i) for i, code in enumerate(schools)] + [(theatres[0], "2025Q2", 99)]
    curator = [(code, "2025Q2", 20 + i) for i, code in enumerate(theatres)] + [(schools[0], "2025Q2", 99)]
    monitor = [(code, "2025Q2", 30) for code in office.neither + office.schools[2:3] + office.theatres[2:3]]
    jobs = [(office.url_of(office.teacher), teacher, "Ольга"), (office.url_of(office.curator), curator, "Іван"),
            (office.url_of(office.monitor), monitor, "Марія")]
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        done = [pool.apply_async(people.edit_as, job) for job in jobs]
        teacher_out, curator_out, monitor_out = (d.get(timeout=120) for d in done)

    assert teacher_out[:-1] == ["saved", "saved"] and curator_out[:-1] == ["saved", "saved"]
    for refused in (teacher_out[-1], curator_out[-1]):
        assert "змінюєте лише заходи" in refused and "Нічого не змінено" in refused
    assert monitor_out == ["saved"] * len(monitor)

    open_database(office.url)  # the owner reads what the server kept
    plan = current_plan()
    percent = {code: Progress.get(Progress.measure == find_measure(plan, code)).percent
               for code, _, _ in teacher[:-1] + curator[:-1] + monitor}
    assert percent == {**{c: 10 + i for i, c in enumerate(schools)}, **{c: 20 + i for i, c in enumerate(theatres)},
                       **{c: 30 for c, _, _ in monitor}}  # the 99s never landed
    # each history row's login is the server's own, whatever name was typed
    assert {(r.login, r.changed_by) for r in History.select()} == {
        (office.teacher, "Ольга"), (office.curator, "Іван"), (office.monitor, "Марія")}


def test_the_window_and_commands_see_the_logins_rights(office):
    open_database(office.url_of(office.teacher))
    rights = current_rights()
    assert (rights.login, rights.role) == (office.teacher, "coordinator")
    assert rights.departments == ((office.education.id, office.education.name),)
    assert "координатор" in rights.describe() and office.education.name in rights.describe()
    with pytest.raises(AccessDenied, match="змінювати план може лише адміністратор"):
        import_plan(BUNDLED_PLAN)
    with pytest.raises(AccessDenied, match="пакети обміну"):
        export_package("/nonexistent/x.json")
    with pytest.raises(AccessDenied, match="Користувачі|керувати користувачами"):
        list_users()
    close_database()

    open_database(office.url_of(office.monitor))
    assert current_rights().role == "monitor" and current_rights().may_edit_all
    with pytest.raises(AccessDenied, match="змінювати план"):
        import_plan(BUNDLED_PLAN)
    close_database()

    open_database(office.url)
    assert current_rights().role == "owner" and current_rights().may_manage_users


def test_the_command_line_works_as_the_login_and_says_no_in_words(office, capsys):
    code = office.theatres[0]
    assert cli_main(["--db", office.url_of(office.teacher), "set", code, "--quarter", "2025Q2",
                     "--status", "in_progress", "--percent", "5"]) == 1
    err = capsys.readouterr().err
    assert "змінюєте лише заходи" in err and "Traceback" not in err and PASSWORD not in err
    assert cli_main(["--db", office.url_of(office.curator), "set", code, "--quarter", "2025Q2",
                     "--status", "in_progress", "--percent", "5"]) == 0
    assert cli_main(["--db", office.url_of(office.teacher, "wrong password"), "status"]) == 1
    err = capsys.readouterr().err
    assert "не прийняв користувача" in err and "wrong password" not in err and "wrong%20password" not in err


# -- by hand, through psycopg --------------------------------------------------------------------

def test_raw_sql_as_a_coordinator_is_held_to_the_same_rights(office):
    open_database(office.url)
    plan = current_plan()
    mine, theirs = find_measure(plan, office.schools[0]), find_measure(plan, office.theatres[0])
    save_progress(mine, Q, {"status": "in_progress", "percent": 10}, author="власник")
    save_progress(theirs, Q, {"status": "in_progress", "percent": 10}, author="власник")
    before = history_rows()
    close_database()

    with office.raw(office.teacher) as conn:
        conn.autocommit = True
        # someone else's measure: row-level security hides the row from the change
        assert conn.execute("UPDATE progress SET percent = 99 WHERE measure_id = %s", (theirs.id,)).rowcount == 0
        assert conn.execute("DELETE FROM progress WHERE measure_id = %s", (theirs.id,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security
            conn.execute("INSERT INTO progress (measure_id, year, quarter, status, percent, note, remarks, "
                         "updated_at, updated_by, version) VALUES (%s, 2025, 3, 'done', 100, '', '', now(), 'x', 1)",
                         (theirs.id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO history (measure_id, year, quarter, field, changed_at, changed_by, origin, "
                         "change_set, applied) VALUES (%s, 2025, 2, 'percent', now(), 'Мер міста', '', 'x', true)",
                         (theirs.id,))
        # the history: neither changed nor deleted, not even one's own rows
        for statement in ("UPDATE history SET new_value = '100'", "DELETE FROM history",
                          "UPDATE history SET changed_by = 'Мер міста' WHERE measure_id = %s" % mine.id):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        # nor the plan, the users, the device's private key
        for statement in ("UPDATE measure SET title = 'x'", "DELETE FROM measure_executor",
                          "INSERT INTO app_user_department (login, department_id) "
                          "SELECT current_user, id FROM department",
                          "UPDATE app_user SET role = 'monitor'", "SELECT private_key FROM site",
                          "SELECT tracker_add_user('x_new', NULL, 'admin', '', '', '{}')",
                          f"SELECT tracker_remove_user('{office.curator}')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        # a history row written by hand on one's own measure carries the login, not the name typed
        conn.execute("INSERT INTO history (measure_id, year, quarter, field, changed_at, changed_by, origin, "
                     "change_set, applied, login) "
                     "VALUES (%s, 2025, 2, 'note', now(), 'Мер міста', '', 'y', true, 'mayor')",
                     (mine.id,))
        assert conn.execute("SELECT login FROM history WHERE change_set = 'y'").fetchone()[0] == office.teacher

    open_database(office.url)
    after = history_rows()
    assert after[:len(before)] == before  # nothing of what was there changed
    assert Progress.get(Progress.measure == theirs).percent == 10


def test_raw_sql_as_the_monitor_cannot_rewrite_the_history_either(office):
    open_database(office.url)
    plan = current_plan()
    measure = find_measure(plan, office.neither[0])
    save_progress(measure, Q, {"status": "in_progress", "percent": 10}, author="власник")
    History.insert(measure=measure, year=2025, quarter=2, field="percent", new_value="50", changed_by="ноутбук",
                   origin="пакет", change_set="recorded", event_uid=uuid.uuid4().hex, applied=False).execute()
    before = history_rows()
    close_database()

    with office.raw(office.monitor) as conn:
        conn.autocommit = True
        # a record changed with no history behind it, or with history saying something else: refused at commit
        # (taken, it stood under any name): a value, its author, time or version, a move, a delete
        note = ("INSERT INTO history (measure_id, year, quarter, field, old_value, new_value, changed_at, changed_by, "
                "origin, change_set, applied) VALUES (%s, {year}, {quarter}, '{field}', NULL, '{value}', now(), 'x', "
                "'', 'forged', {applied});")
        for forged, change in (
                ("", "UPDATE progress SET percent = 40, updated_by = 'власник' WHERE measure_id = %s"),
                ("", "UPDATE progress SET version = 1, updated_at = '2020-01-01' WHERE measure_id = %s"),
                ("", "DELETE FROM progress WHERE measure_id = %s"),
                (note.format(year=2025, quarter=2, field="note", value="перший", applied="true"),
                 "UPDATE progress SET percent = 99 WHERE measure_id = %s"),
                (note.format(year=2025, quarter=2, field="percent", value="98", applied="true"),
                 "UPDATE progress SET percent = 99 WHERE measure_id = %s"),
                (note.format(year=2025, quarter=2, field="percent", value="99", applied="false"),
                 "UPDATE progress SET percent = 99 WHERE measure_id = %s"),
                (note.format(year=2025, quarter=3, field="note", value="", applied="true"),
                 "UPDATE progress SET quarter = 3 WHERE measure_id = %s"),
                (note.format(year=2025, quarter=2, field="note", value="", applied="true"),
                 "UPDATE progress SET id = id + 1000 WHERE measure_id = %s"),
                (note.format(year=2025, quarter=2, field="record", value="created", applied="true"),
                 "DELETE FROM progress WHERE measure_id = %s"),
                # beside a row saying nothing changed, the author, time or version alone
                (note.format(year=2025, quarter=2, field="note", value="", applied="true"),
                 "UPDATE progress SET updated_by = 'Петро', updated_at = '2020-01-01' WHERE measure_id = %s"),
                (note.format(year=2025, quarter=2, field="note", value="", applied="true"),
                 "UPDATE progress SET version = version + 5 WHERE measure_id = %s")):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="with its history only"):
                with conn.transaction():
                    if forged:
                        conn.execute(forged % measure.id)
                    conn.execute(change, (measure.id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE history SET new_value = '100'")
        # an applied row cannot be deleted; a recorded event from a package only to be filed anew, unchanged
        assert conn.execute("DELETE FROM history WHERE applied").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("DELETE FROM history WHERE NOT applied")
        with conn.transaction():
            row = conn.execute("DELETE FROM history WHERE NOT applied RETURNING measure_id, year, quarter, field, "
                               "new_value, changed_at, changed_by, origin, change_set, event_uid").fetchone()
            conn.execute("INSERT INTO history (measure_id, year, quarter, field, new_value, changed_at, changed_by, "
                         "origin, change_set, event_uid, applied) "
                         "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, true)",
                         row)
        # the refiled row is applied: it cannot be deleted again (to file it anew under another login, say)
        assert conn.execute("DELETE FROM history WHERE event_uid = %s", (row[-1],)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):  # filed anew, changed
            with conn.transaction():
                conn.execute("INSERT INTO history (measure_id, year, quarter, field, new_value, changed_at, "
                             "changed_by, origin, change_set, event_uid, applied) VALUES "
                             "(%s, 2025, 2, 'percent', '1', now(), 'x', '', 'z', %s, false)", (measure.id, FORGED))
                conn.execute("DELETE FROM history WHERE event_uid = %s", (FORGED,))
                conn.execute("INSERT INTO history (measure_id, year, quarter, field, new_value, changed_at, "
                             "changed_by, origin, change_set, event_uid, applied) VALUES "
                             "(%s, 2025, 2, 'percent', '2', now(), 'x', '', 'z', %s, true)", (measure.id, FORGED))

        # a row no device could read — a percent « 41», a change's uid «ev-a1» — refused as it is written: sent on,
        # it had every package from the server refused whole
        for value, uid in ((" 41", FORGED), ("4_5", FORGED), ("41", "ev-a1"), ("12.50", FORGED)):
            field = "planned_financing" if "." in value else "percent"
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="as the program writes it"):
                conn.execute("INSERT INTO history (measure_id, year, quarter, field, new_value, changed_at, "
                             "changed_by, origin, change_set, event_uid, applied) VALUES (%s, 2025, 2, %s, %s, now(), "
                             "'x', '', 'z', %s, false)", (measure.id, field, value, uid))
        # a value the program cannot read, with a history row saying it: refused (it stopped every reading of the plan)
        # (the history row itself refused as above; the record's own value by the table's constraint)
        for field, value in (("status", "weird"), ("percent", 150)):
            with pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
                conn.execute(f"UPDATE progress SET {field} = %s WHERE measure_id = %s", (value, measure.id))

    open_database(office.url)
    assert Progress.get(Progress.measure == measure).percent == 10
    after = history_rows()
    assert before[:-1] == after[:-1]  # every row as it was, the recorded event filed anew as the last one
    assert before[-1][1:4] == after[-1][1:4] and after[-1][0] > before[-1][0]
    assert [login for *_, login in after] == [urlsplit(office.url).username] * 3 + [office.monitor]


# -- the users themselves ------------------------------------------------------------------------

def test_a_record_changed_with_its_history_is_taken_and_the_rows_carry_the_login(office):
    """The program's own ways — a save, its undo, as a coordinator — and a monitor's psql change that writes its
    history row in the same transaction: each is taken at commit, the rows under the login that wrote them."""
    from tracker.progress.undo import undo_change_set

    open_database(office.url_of(office.teacher))
    measure = find_measure(current_plan(), office.schools[0])
    save_progress(measure, Q, {"status": "in_progress", "percent": 15, "planned_financing": "1 250,5",
                               "actual_financing": "0", "note": "Два рядки:\nперший і другий"}, author="Ольга")
    save_progress(measure, Q, {"percent": 25}, author="Ольга")
    undone = save_progress(measure, Q, {"percent": 35}, author="Ольга")
    undo_change_set(undone.change_set, author="Ольга")
    assert Progress.get(Progress.measure == measure).percent == 25
    other = find_measure(current_plan(), office.schools[1])
    made = save_progress(other, Q, {"status": "in_progress", "percent": 5}, author="Ольга")
    undo_change_set(made.change_set, author="Ольга")  # the record made is deleted, its history row written
    assert not Progress.select().where(Progress.measure == other).exists()
    close_database()
    with office.raw(office.monitor) as conn, conn.transaction():
        conn.execute("UPDATE progress SET percent = 45, updated_by = 'Марія' WHERE measure_id = %s", (measure.id,))
        conn.execute("INSERT INTO history (measure_id, year, quarter, field, old_value, new_value, changed_at, "
                     "changed_by, origin, change_set, event_uid, applied) VALUES (%s, 2025, 2, 'percent', '25', '45', "
                     "now(), 'Марія', 'psql', 'by-hand', %s, true)", (measure.id, FORGED))
    open_database(office.url)
    assert Progress.get(Progress.measure == measure).percent == 45
    assert History.get(History.event_uid == FORGED).login == office.monitor


def test_who_applied_an_amendment_is_the_servers_login_beside_the_name_typed(office, tmp_path, capsys):
    """plan-history said «застосовано …, Клерк»: the name typed, whoever applied it."""
    from tests.tracker.plan.test_amendment import amended, remove_and_renumber
    from tracker.plan.amend import apply_file

    admin = office.login("admin")
    open_database(office.url)
    add_user(admin, "admin", password=PASSWORD)
    open_database(office.url_of(admin))
    apply_file(amended(tmp_path, remove_and_renumber), decision="рішення № 99/1", effective=Quarter(2026, 1),
               author="Клерк")
    close_database()
    with office.raw(admin) as conn, conn.transaction():  # rewritten by hand: kept as the server wrote it
        conn.execute("UPDATE plan_amendment SET login = %s, applied_by = 'Марія'", (office.monitor,))
    assert cli_main(["--db", office.url_of(office.monitor), "plan-history"]) == 0
    assert f"Клерк ({admin})" in capsys.readouterr().out


def test_users_are_added_listed_and_removed_by_the_owner_only(office):
    open_database(office.url)
    listed = {u.login: u for u in list_users()}
    assert listed[office.teacher].departments == (office.education.name,)
    assert listed[office.teacher].display_name == "Ольга Петренко" and listed[office.monitor].role == "monitor"
    for bad, match in ((lambda: add_user("Bad Login", "monitor", password=PASSWORD), "не підходить"),
                       (lambda: add_user(office.login("x"), "coordinator", password=PASSWORD), "хоча б один підрозділ"),
                       (lambda: add_user(office.login("y"), "monitor", password="short"), "закороткий"),
                       (lambda: add_user(office.login("z"), "coordinator", departments=["Нема такого"],
                                         password=PASSWORD), "немає в довіднику"),
                       (lambda: add_user(office.teacher, "monitor", password=PASSWORD), "уже є")):
        with pytest.raises(TrackerError, match=match):
            bad()
    assert {u.login for u in list_users()} == set(listed)  # the refusals made no user

    admin = office.login("admin")
    add_user(admin, "admin", password=PASSWORD)
    close_database()
    open_database(office.url_of(admin))  # an admin adds and removes users, and may change the plan
    assert current_rights().role == "admin" and current_rights().may_change_plan
    assert remove_user(office.curator) is True
    with pytest.raises(ValidationError, match="Себе"):
        remove_user(admin)
    close_database()
    with pytest.raises(TrackerError, match="не прийняв користувача"):
        open_database(office.url_of(office.curator))  # the login is gone from the server


def test_a_monitor_imports_a_laptops_package_and_history_keeps_its_authors(office, tmp_path, plan):
    code = office.schools[0]
    save_progress(find_measure(plan, code), Q, {"status": "in_progress", "percent": 70}, author="Староста")
    laptop = this_device()
    package = export_package(tmp_path / "laptop.json").path
    close_database()
    open_database(office.url)  # the admin trusts the laptop, having compared fingerprints
    TrustedDevice.create(device_uid=laptop.uid, name=laptop.name, public_key=laptop.public_key)
    close_database()

    open_database(office.url_of(office.monitor))
    result = import_package(package, "Марія")
    assert result.applied >= 2 and result.conflicts == 0
    close_database()
    open_database(office.url)
    rows = History.select().where(History.measure == find_measure(current_plan(), code))
    assert {(r.changed_by, r.login) for r in rows if r.field == "percent"} == {("Староста", office.monitor)}
    assert Progress.get(Progress.measure == find_measure(current_plan(), code)).percent == 70


def test_the_password_is_asked_on_a_terminal_never_taken_from_the_command_line(office, monkeypatch, capsys):
    import getpass
    import sys

    parts = urlsplit(office.url)
    bare = f"postgresql://{office.monitor}@{parts.hostname}:{parts.port or 5432}/{office.name}"
    monkeypatch.delenv("PGPASSWORD", raising=False)
    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or PASSWORD)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert cli_main(["--db", bare, "set", office.neither[0], "--quarter", "2025Q2", "--status", "in_progress",
                     "--percent", "5"]) == 0
    assert asked == [f"Пароль користувача «{office.monitor}»: "]
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)  # a script: no question, the reason in words
    assert cli_main(["--db", bare, "status"]) == 1
    err = capsys.readouterr().err
    assert "не прийняв користувача" in err and PASSWORD not in err


def test_a_schema_upgrade_waits_for_the_owner(office):
    open_database(office.url)
    database.execute_sql("DELETE FROM schema_migration WHERE name = '0008_people'")  # as if this version were new
    close_database()
    with pytest.raises(TrackerError, match="може лише її власник"):
        open_database(office.url_of(office.teacher))


def test_a_monitor_merges_conflicts_and_later_changes_without_rewriting_the_history(office, tmp_path, plan):
    from tracker.exchange.sync import list_conflicts, resolve_conflict

    code = office.neither[0]
    laptop_file = tmp_path / "tracker.sqlite3"
    laptop = this_device()
    close_database()
    open_database(office.url)  # the owner introduces the two devices to each other
    office_device = this_device()
    TrustedDevice.create(device_uid=laptop.uid, name="ноутбук", public_key=laptop.public_key)
    save_progress(find_measure(current_plan(), code), Q, {"status": "in_progress", "percent": 10}, author="Офіс")
    close_database()

    def laptop_round(percent: int | None) -> str:
        open_database(laptop_file)
        TrustedDevice.get_or_create(device_uid=office_device.uid, defaults={
            "name": "офіс", "public_key": office_device.public_key})
        if office_round.package:
            import_package(office_round.package, "Староста")
        if percent is not None:
            save_progress(find_measure(current_plan(), code), Q, {"percent": percent}, author="Староста")
        path = export_package(tmp_path / f"laptop{percent}.json").path
        close_database()
        return path

    def office_round() -> None:
        open_database(office.url_of(office.monitor))
        office_round.package = export_package(tmp_path / f"office{len(history_rows())}.json").path
        close_database()
    office_round.package = None

    office_round()
    laptop_round(None)  # the laptop takes the office's 10
    package = laptop_round(20)
    open_database(office.url)
    save_progress(find_measure(current_plan(), code), Q, {"percent": 30}, author="Офіс")  # both sides changed it
    before = history_rows()
    close_database()

    open_database(office.url_of(office.monitor))
    result = import_package(package, "Марія")
    assert result.conflicts == 1
    [conflict] = list_conflicts()
    resolve_conflict(conflict.id, "incoming", author="Марія")
    office_round()
    close_database()
    package = laptop_round(40)  # the laptop takes the resolution, then changes it again
    open_database(office.url)
    before += [row for row in history_rows() if row[0] > before[-1][0]]  # the package's events and the resolution
    close_database()
    open_database(office.url_of(office.monitor))
    import_package(package, "Марія")
    close_database()

    open_database(office.url)
    assert Progress.get(Progress.measure == find_measure(current_plan(), code)).percent == 40
    after = {row[0]: row for row in history_rows()}
    kept = [row for row in before if row[0] in after]
    assert kept == [after[row[0]] for row in kept]  # no row written before was changed
    refiled = {row[1:4] for row in before if row[0] not in after}  # filed anew: the same event, a new place
    assert refiled <= {row[1:4] for row in after.values()}


def test_ones_own_tables_and_roles_cannot_stand_in_for_the_rules(office):
    """Found by attacking it: a temporary table named like a rule's table, or SET ROLE to a group."""
    open_database(office.url)
    theirs = find_measure(current_plan(), office.theatres[0])
    close_database()
    with office.raw(office.teacher) as conn:
        conn.autocommit = True
        for shadow in ("CREATE TEMP TABLE app_user_department (login text, department_id int)",
                       "CREATE TEMP TABLE pg_tables (schemaname name, tablename name, tableowner name)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(shadow)
        conn.execute("SET ROLE " + psycopg.sql.Identifier(group_role(office.name, "coordinator")).as_string(conn))
        assert conn.execute("UPDATE progress SET percent = 1 WHERE measure_id = %s", (theirs.id,)).rowcount == 0
        mine = find_measure_id(conn, office.schools[0])
        conn.execute("INSERT INTO history (measure_id, year, quarter, field, changed_at, changed_by, origin, "
                     "change_set, applied) VALUES (%s, 2025, 2, 'note', now(), 'x', '', 'as-group', true)", (mine,))
        assert conn.execute("SELECT login FROM history WHERE change_set = 'as-group'").fetchone()[0] == office.teacher


def find_measure_id(conn, code: str) -> int:
    return conn.execute("SELECT id FROM measure WHERE code = %s AND removed_in IS NULL", (code,)).fetchone()[0]


def test_an_admin_manages_users_only_through_the_servers_checks(office, pg_server):
    admin = office.login("admin")
    open_database(office.url)
    add_user(admin, "admin", password=PASSWORD)
    shared = office.login("shared")  # a login another database of the server uses
    with psycopg.connect(pg_server, autocommit=True) as server:
        server.execute(psycopg.sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            psycopg.sql.Identifier(shared), psycopg.sql.Literal(PASSWORD)))
    close_database()
    with office.raw(admin) as conn:
        conn.autocommit = True
        for escalation in ("GRANT pg_execute_server_program TO " + admin,
                           f"ALTER ROLE {office.teacher} PASSWORD 'taken'", f"CREATE ROLE {admin}_x LOGIN",
                           "SET ROLE " + urlsplit(office.url).username):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(escalation)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # a superuser or the owner is never adopted
            conn.execute("SELECT tracker_add_user('postgres', NULL, 'monitor', '', '', '{}')")
    open_database(office.url_of(admin))
    assert current_rights().role == "admin" and current_rights().may_change_plan
    with pytest.raises(TrackerError, match="уже є на сервері"):
        add_user(shared, "monitor", password=PASSWORD)  # its password is not this database's to set
    add_user(shared, "monitor")
    assert remove_user(shared) is False  # it was there before: it stays for the other database
    assert remove_user(office.curator) is True
    close_database()
    office.raw(shared).close()  # still logs in
    for bad in ("public", "current_user", "none"):
        with pytest.raises(ValidationError, match="не підходить"):
            check_login(bad)


def test_a_coordinators_copy_of_the_server_carries_no_key_and_makes_its_own(office, tmp_path, capsys):
    import sqlite3

    open_database(office.url)
    office_key = database.execute_sql("SELECT private_key FROM site").fetchone()[0]
    close_database()
    copy = tmp_path / "copy.sqlite3"
    assert cli_main(["--db", office.url_of(office.teacher), "backup", "-o", str(copy)]) == 0
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT private_key FROM site").fetchall() == [(None,)]
    open_database(copy)  # opened elsewhere: its own identity and key
    close_database()
    with sqlite3.connect(copy) as connection:
        [(key,)] = connection.execute("SELECT private_key FROM site").fetchall()
    assert key and key != office_key
