"""The program on a PostgreSQL server: same migrations, same results as SQLite, concurrent editors.

Every test gets an empty database of its own (the ``pg_url`` fixture).
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from decimal import Decimal

import openpyxl
import pytest
from peewee import PostgresqlDatabase

from tests.helpers import redundant_indexes
from tests.tracker.storage import concurrent_edits
from tracker.cli.commands import main as cli_main
from tracker.cli.server import run_copy_db
from tracker.errors import ConflictError, TrackerError
from tracker.plan.store import current_plan, ensure_bundled_plan
from tracker.progress.records import (
    draft_values,
    find_measure,
    measure_history,
    quarter_record,
    record_version,
    save_progress,
)
from tracker.progress.undo import undo_change_set
from tracker.progress.tree import load_tree, tree_json
from tracker.quarters import Quarter
from tracker.report import layout as L
from tracker.report.export import export_report
from tracker.storage.copy import COPIED, copy_database
from tracker.storage.db import MIGRATIONS_DIR, close_database, make_database, migrate, open_database
from tracker.storage.locking import write_transaction
from tracker.storage.models import ALL_MODELS, History, Measure, Progress, database

Q1, Q2 = Quarter(2025, 1), Quarter(2025, 2)


def fill(plan) -> None:
    """A quarter's worth of reports: this quarter's, carried from the last, money, undone nothing."""
    save_progress(find_measure(plan, "1.1.1"), Q2, {"status": "done", "percent": 100, "note": "Відкрито 2 спеціальності",
                                                    "planned_financing": "1250,5", "actual_financing": "800"}, author="t")
    save_progress(find_measure(plan, "1.1.2"), Q1, {"status": "in_progress", "percent": 40, "note": "Програми"}, author="t")
    save_progress(find_measure(plan, "4.3.1"), Q2, {"status": "not_done", "percent": 10, "remarks": "+1-2"}, author="t")
    save_progress(find_measure(plan, "5.3.5"), Q2, {"status": "obsolete", "percent": 0}, author="t")


def report_cells(path) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[L.REPORT_SHEET].iter_rows(values_only=True))


# -- the whole program ------------------------------------------------------------------------------

def test_whole_program_runs_on_postgres_as_on_sqlite(plan, pg_url, tmp_path):
    fill(plan)
    expected_tree = tree_json(load_tree(plan, Q2))
    expected_report = report_cells(export_report(plan, Q2, tmp_path / "sqlite.xlsx"))
    close_database()

    db = open_database(pg_url)
    assert database.obj is db and isinstance(db, PostgresqlDatabase)
    assert {m._meta.table_name for m in ALL_MODELS} <= set(db.get_tables())
    assert ensure_bundled_plan() is not None and Measure.select().count() == 233
    assert ensure_bundled_plan() is None  # a second start changes nothing
    on_server = current_plan()
    fill(on_server)

    assert tree_json(load_tree(on_server, Q2)) == expected_tree
    assert load_tree(on_server, Q2).rollup.measures == 233
    assert report_cells(export_report(on_server, Q2, tmp_path / "server.xlsx")) == expected_report
    values, reported = draft_values(find_measure(on_server, "1.1.1"), Q2)
    assert reported and values["planned_financing"] == Decimal("1250.5")


def test_command_line_on_postgres(pg_url, capsys):
    assert cli_main(["--db", pg_url, "init"]) == 0
    assert cli_main(["--db", pg_url, "set", "1.2.8", "--quarter", "2025Q1", "--status", "in_progress",
                     "--percent", "15", "--author", "Оля"]) == 0
    assert cli_main(["--db", pg_url, "status", "--quarter", "2025Q1"]) == 0
    assert "233" in capsys.readouterr().out
    # the program makes no backups beside a server database, and says how to make a copy one can (it said «copy-db»
    # and that the administrator makes them, while «backup -o» works)
    assert cli_main(["--db", pg_url, "backups"]) == 1
    assert "«tracker backup -o ФАЙЛ»" in capsys.readouterr().err


def _tables(url: str) -> set[str]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as watcher:
        return {name for (name,) in watcher.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def test_an_empty_server_database_is_made_the_trackers_only_by_a_command_that_makes_one(pg_url, capsys):
    """`status` on an empty database (a mistyped name of one) made 21 tables and the whole plan there, unasked: a
    colleague then worked in a database of his own."""
    for command in (["status"], ["plan", "--json"], ["set", "1.2.8", "--quarter", "2025Q1", "--percent", "5"]):
        assert cli_main(["--db", pg_url, *command]) == 1
        assert "порожня: трекера в ній ще немає. Нічого не створено" in capsys.readouterr().err
        assert _tables(pg_url) == set()
    assert cli_main(["--db", pg_url, "init"]) == 0 and "plan" in _tables(pg_url)
    assert cli_main(["--db", pg_url, "status"]) == 0


def test_another_programs_server_database_is_refused_untouched(pg_url, capsys):
    """A database with tables of another program's: the schema's table was written into it, and the message was
    the server's English («column "plan_id" does not exist»)."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("CREATE TABLE measure (id serial PRIMARY KEY, name text)")
        other.execute("CREATE TABLE progress (id serial PRIMARY KEY, value int)")
    for command in (["status"], ["init"]):
        assert cli_main(["--db", pg_url, *command]) == 1
        assert "база іншої програми, не трекера" in capsys.readouterr().err
        assert _tables(pg_url) == {"measure", "progress"}


@pytest.mark.parametrize("tables", [
    ["CREATE SCHEMA crm", "CREATE TABLE crm.clients (id serial PRIMARY KEY)"],  # in a schema of its own
    ["CREATE TABLE schema_migration (version varchar)", "CREATE TABLE widgets (id int)"],  # another tool's name
])
def test_another_programs_tables_anywhere_are_refused_untouched(pg_url, capsys, tables):
    """Another program's tables in a schema of their own made the database look empty, and «init» wrote the
    tracker beside them; another migration tool's «schema_migration» table gave the server's English."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as other:
        for statement in tables:
            other.execute(statement)
    before = _tables(pg_url)
    assert cli_main(["--db", pg_url, "init"]) == 1
    assert "база іншої програми, не трекера" in capsys.readouterr().err
    assert _tables(pg_url) == before


def test_an_amendment_on_the_office_server_and_its_package_to_a_laptop(pg_url, tmp_path, capsys):
    """The office's shared database applies the council's decision; a laptop file set up from the bundled plan
    takes it with the office's package, and both show the same plan in each quarter."""
    from tests.tracker.plan.test_amendment import amended, remove_and_renumber

    path = amended(tmp_path, remove_and_renumber)
    assert cli_main(["--db", pg_url, "init"]) == 0
    assert cli_main(["--db", pg_url, "set", "1.1.4", "--quarter", "2025Q1", "--status", "done", "--percent", "100",
                     "--author", "Оля"]) == 0
    assert cli_main(["--db", pg_url, "import-plan", str(path), "--apply", "--decision", "рішення № 71/14",
                     "--effective", "2026Q1"]) == 0
    assert cli_main(["--db", pg_url, "exchange", "export", "-o", str(tmp_path / "office.pkg"),
                     "--device", "офіс"]) == 0
    open_database(pg_url)
    office = {q: [(m.uid, m.code) for m in load_tree(current_plan(), q).measures()]
              for q in (Quarter(2025, 4), Quarter(2026, 1))}
    assert find_measure(current_plan(), "1.1.3", Quarter(2026, 1)).uid == office[Quarter(2025, 4)][3][0]
    close_database()
    laptop = str(tmp_path / "laptop.sqlite3")
    assert cli_main(["--db", laptop, "init"]) == 0
    assert cli_main(["--db", laptop, "exchange", "import", str(tmp_path / "office.pkg")]) == 1  # not trusted yet
    assert "ще не довіряє" in capsys.readouterr().err
    assert cli_main(["--db", laptop, "exchange", "trust", str(tmp_path / "office.pkg"), "--yes"]) == 0
    # a laptop set up on its own, not from the office's file: its amendments when the person allows them
    assert cli_main(["--db", laptop, "exchange", "import", str(tmp_path / "office.pkg")]) == 0
    assert "--plan-changes" in capsys.readouterr().out
    assert cli_main(["--db", laptop, "exchange", "import", str(tmp_path / "office.pkg"), "--plan-changes"]) == 0
    assert "зміни до плану: 1" in capsys.readouterr().out
    open_database(laptop)
    assert {q: [(m.uid, m.code) for m in load_tree(current_plan(), q).measures()] for q in office} == office
    assert draft_values(find_measure(current_plan(), "1.1.3", Quarter(2026, 1)), Quarter(2026, 1))[0]["percent"] == 100
    close_database()


def test_backup_of_a_server_database_is_a_working_sqlite_copy(pg_url, tmp_path, capsys):
    assert cli_main(["--db", pg_url, "init"]) == 0
    copy = tmp_path / "laptop.sqlite3"
    for percent in ("15", "40"):  # the second copy replaces the first, as a local backup does
        assert cli_main(["--db", pg_url, "set", "1.2.8", "--quarter", "2025Q1", "--status", "in_progress",
                         "--percent", percent, "--author", "Оля"]) == 0
        assert cli_main(["--db", pg_url, "backup", "-o", str(copy)]) == 0
    assert f"Резервну копію збережено: {copy}" in capsys.readouterr().out
    assert not list(tmp_path.glob(".*.part"))
    open_database(copy)
    assert draft_values(find_measure(current_plan(), "1.2.8"), Q1)[0]["percent"] == 40
    close_database()


def test_migrations_run_once(pg_url):
    open_database(pg_url)
    close_database()
    db = make_database(pg_url)
    try:
        assert migrate(db) == []
        assert redundant_indexes(db) == []  # the same schema as SQLite's
    finally:
        db.close()


def test_programs_starting_together_on_a_new_server(pg_url):
    """Several office PCs opening a new database at once: one migrates, the others wait for it."""
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert pool.map(concurrent_edits.start, [pg_url] * 4) == [True] * 4
    db = open_database(pg_url)
    applied = [name for name, in db.execute_sql("SELECT name FROM schema_migration ORDER BY name")]
    assert applied == sorted(path.stem for path in MIGRATIONS_DIR.glob("[0-9]*.py"))


@pytest.mark.parametrize("change, words", [
    (lambda parts: parts._replace(netloc=f"{parts.username}:wrong-secret@{parts.hostname}:{parts.port or 5432}"),
     ["не прийняв користувача", "пароль"]),
    (lambda parts: parts._replace(path="/no_such_tracker_db"), ["немає бази «no_such_tracker_db»", "createdb"]),
    (lambda parts: parts._replace(netloc=f"{parts.username}:wrong-secret@127.0.0.1:1"),
     ["не відповідає (сервер відмовив у з'єднанні", "запущено"]),  # not libpq's «Connection refused Is the …»
    (lambda parts: parts._replace(query="connect_timeout=abc"),  # not «bad value for connect_timeout», nor a «файл»
     ["на сервері: в адресі бази неправильний параметр"]),
])
def test_connection_failures_say_what_to_do(pg_url, change, words):
    from urllib.parse import urlsplit

    url = change(urlsplit(pg_url)).geturl()
    with pytest.raises(TrackerError) as caught:
        open_database(url)
    message = str(caught.value)
    assert all(word in message for word in words), message
    assert "wrong-secret" not in message


# -- two people, one measure and quarter --------------------------------------------------------------

@pytest.fixture
def server_plan(pg_url):
    open_database(pg_url)
    ensure_bundled_plan()
    yield current_plan()
    close_database()


def test_two_connections_second_stale_save_refused(server_plan, pg_url):
    save_progress(find_measure(server_plan, "1.2.8"), Q2, {"status": "in_progress", "percent": 10}, author="Олена")
    close_database()
    first, second = make_database(pg_url), make_database(pg_url)
    try:
        with first.bind_ctx(ALL_MODELS):
            measure = Measure.get(Measure.code == "1.2.8")
            version_first = record_version(measure, Q2)
        with second.bind_ctx(ALL_MODELS):
            version_second = record_version(measure, Q2)
        with first.bind_ctx(ALL_MODELS):
            save_progress(measure, Q2, {"percent": 30, "note": "Олена"}, author="Олена",
                          expected_version=version_first)
        with second.bind_ctx(ALL_MODELS), pytest.raises(ConflictError) as caught:
            save_progress(measure, Q2, {"percent": 50, "note": "Петро"}, author="Петро",
                          expected_version=version_second)
        assert (caught.value.current_version, caught.value.current.updated_by) == (2, "Олена")
        assert caught.value.wanted == {"percent": 50, "note": "Петро"}
        assert first.connection() is not second.connection()
        with second.bind_ctx(ALL_MODELS):
            values, _ = draft_values(measure, Q2)
            assert (values["percent"], values["note"]) == (30, "Олена")
            # Петро resolves on his own connection; history holds both people's changes
            save_progress(measure, Q2, {"percent": 40, "note": "Олена; Петро"}, author="Петро",
                          expected_version=caught.value.current_version)
            assert [(h.changed_by, h.new_value) for h in measure_history(measure) if h.field == "note"] == [
                ("Олена", "Олена"), ("Петро", "Олена; Петро")]
    finally:
        first.close()
        second.close()


def _end_this_connection(url: str) -> None:
    """The server ends the program's connection, as a restart, a dropped network or an administrator does."""
    import psycopg

    pid = database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_the_server_ended_is_made_anew(server_plan, pg_url):
    """After the server ended the connection every save failed «the connection is closed», for good: the window's
    typed values could only be thrown away; then the first save after a server's restart still failed, once for
    each thread's connection. A read, or a transaction's BEGIN, that finds the connection ended had done nothing
    there: it is made again on a new connection."""
    measure = find_measure(server_plan, "1.2.8")
    _end_this_connection(pg_url)
    assert save_progress(measure, Q2, {"status": "in_progress", "percent": 10}, author="Олена").change_set
    _end_this_connection(pg_url)
    assert draft_values(measure, Q2)[0]["percent"] == 10  # a read, outside a transaction
    _end_this_connection(pg_url)
    with write_transaction(database.obj):  # a transaction begun first
        Progress.update(note="після перезапуску").where(Progress.measure == measure).execute()
    assert quarter_record(measure, Q2).note == "після перезапуску"


def _losing_the_answer(reach: bool):
    """A COMMIT whose answer is lost with the connection: sent to the server first (``reach``) or not."""
    from tracker.storage.postgres import ServerDatabase

    def commit(self):
        if reach:
            PostgresqlDatabase.commit(self)
        self._state.conn.close()
        raise PostgresqlDatabase.commit.__globals__["OperationalError"]("server closed the connection unexpectedly")
    return ServerDatabase, "commit", commit


def test_a_commit_whose_answer_was_lost_is_asked_again_and_is_a_save(server_plan, pg_url, monkeypatch):
    """The COMMIT reached the server and the connection went before its answer came back: the save was written,
    and the program said «Зміни не записано», then «невідомо, чи їх записано» — though a new connection answers it.
    Asked again, it is a save like any other: its result, its history, and its undo (whose answer is lost too)."""
    measure = find_measure(server_plan, "1.2.8")
    monkeypatch.setattr(*_losing_the_answer(reach=True))
    result = save_progress(measure, Q2, {"status": "in_progress", "percent": 10}, author="Олена")
    assert result.change_set and result.changed_fields == ["status", "percent"] and result.measure_code == "1.2.8"
    assert draft_values(measure, Q2)[0]["percent"] == 10  # written; and the statements after connected anew
    assert {row.change_set for row in History.select().where(History.field == "percent")} == {result.change_set}

    undone = undo_change_set(result.change_set, author="Олена")
    assert undone.changed_fields == ["status", "percent"] and undone.measure_code == "1.2.8"
    monkeypatch.undo()
    assert draft_values(measure, Q2)[0]["percent"] == 0 and record_version(measure, Q2) == 0


def test_a_commit_that_never_reached_the_server_is_said_unwritten(server_plan, pg_url, monkeypatch):
    measure = find_measure(server_plan, "1.2.8")
    monkeypatch.setattr(*_losing_the_answer(reach=False))
    with pytest.raises(TrackerError, match="обірвався саме тоді, коли зміни записувалися .*і їх не записано"):
        save_progress(measure, Q2, {"status": "in_progress", "percent": 10}, author="Олена")
    monkeypatch.undo()
    assert record_version(measure, Q2) == 0 and not History.select().where(History.measure == measure).exists()


def test_a_lost_answer_is_said_unknown_while_the_server_is_out_of_reach(server_plan, pg_url, monkeypatch):
    """The server cannot be asked again (still down, the network still out): whether it was written, nobody knows."""
    from tracker.storage.postgres import ServerDatabase

    def unreachable(self):
        raise PostgresqlDatabase.commit.__globals__["OperationalError"]("connection refused")

    measure = find_measure(server_plan, "1.2.8")
    cls, name, commit = _losing_the_answer(reach=True)

    def commit_then_stay_away(self):
        monkeypatch.setattr(ServerDatabase, "_connect", unreachable)
        commit(self)
    monkeypatch.setattr(cls, name, commit_then_stay_away)
    with pytest.raises(TrackerError, match="невідомо, чи їх записано"):
        save_progress(measure, Q2, {"status": "in_progress", "percent": 10}, author="Олена")
    monkeypatch.undo()
    assert draft_values(measure, Q2)[0]["percent"] == 10  # it had been written; the server back, it says so


def _wait_for_lock_wait(url: str, seconds: float = 30) -> None:
    import psycopg  # here, not at the top: without the driver the fixture skips the module's tests

    dbname = url.rsplit("/", 1)[1]
    deadline = time.monotonic() + seconds
    with psycopg.connect(url, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute("SELECT count(*) FROM pg_locks JOIN pg_stat_activity USING (pid) "
                                      "WHERE NOT granted AND datname = %s", (dbname,)).fetchone()[0]
            if waiting:
                return
            time.sleep(0.05)
    pytest.fail("the second save never waited for the first one's transaction")


def test_save_racing_an_open_transaction_waits_then_conflicts(server_plan, pg_url):
    """A second saver that read the same version waits for the first's commit, then sees it.

    Without the lock it would read the committed (old) version, pass the check, and overwrite.
    """
    measure = find_measure(server_plan, "1.2.8")
    save_progress(measure, Q2, {"status": "in_progress", "percent": 10}, author="Олена")
    seen = record_version(measure, Q2)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pool.apply(concurrent_edits.ready)  # the child is up and has imported everything
        with database.atomic():
            save_progress(measure, Q2, {"percent": 30}, author="Олена", expected_version=seen)
            pending = pool.apply_async(concurrent_edits.save_expecting,
                                       (pg_url, "1.2.8", str(Q2), {"percent": 50}, seen, "Петро"))
            _wait_for_lock_wait(pg_url)
            assert not pending.ready()
        assert pending.get(timeout=60) == ("conflict", seen + 1, "Олена")
    assert draft_values(measure, Q2)[0]["percent"] == 30


def test_an_amendment_waits_for_a_save_under_way_on_a_measure_it_removes(server_plan, pg_url, tmp_path):
    """On the server the save's lock is its measure's alone: an amendment counted the records it leaves out while a
    save into the removed measure was under way, and said nothing of the record that save then committed."""
    from tests.tracker.plan.test_amendment import amended, remove_and_renumber

    path = amended(tmp_path, remove_and_renumber)  # 1.1.3 removed
    measure = find_measure(server_plan, "1.1.3")
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pool.apply(concurrent_edits.ready)
        with database.atomic():
            save_progress(measure, Quarter(2026, 1), {"status": "in_progress", "percent": 77}, author="Марія")
            pending = pool.apply_async(concurrent_edits.amend, (pg_url, str(path), "рішення № 5", "2026Q1"))
            _wait_for_lock_wait(pg_url)
            assert not pending.ready()
        assert pending.get(timeout=60) == {"1.1.3": 1}


def test_processes_adding_at_once_lose_no_update(server_plan, pg_url):
    processes, times = 4, 25
    measure = find_measure(server_plan, "1.2.8")
    save_progress(measure, Q2, {"status": "in_progress", "percent": 0}, author="початок")
    close_database()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.starmap(concurrent_edits.add_percent, [(pg_url, "1.2.8", str(Q2), times)] * processes)
    open_database(pg_url)
    assert sum(saves for saves, _ in results) == processes * times
    assert draft_values(measure, Q2)[0]["percent"] == processes * times
    assert record_version(measure, Q2) == 1 + processes * times  # the first save made version 1
    saves = History.select().where((History.field == "percent") & (History.year == 2025) & (History.quarter == 2))
    assert saves.count() == 1 + processes * times


# -- moving a local database to the server -------------------------------------------------------------

def test_migrate_sqlite_to_postgres(plan, pg_url, tmp_path, capsys):
    fill(plan)
    result = save_progress(find_measure(plan, "1.2.8"), Q2, {"status": "in_progress", "percent": 5}, author="Оля")
    save_progress(find_measure(plan, "1.2.8"), Q2, {"percent": 7}, author="Оля")
    counts = {m._meta.table_name: m.select().count() for m in COPIED}  # logins are the server's own
    close_database()
    source = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    seen = []

    report = copy_database(source, pg_url, progress=lambda table, done, total: seen.append((table, done, total)))

    assert {t.table: t.rows for t in report.tables} == counts
    assert counts["progress"] == 5 and counts["history"] > 10
    assert ("measure", 233, 233) in seen
    assert ":***@" in report.target
    back = f"sqlite:///{tmp_path / 'back.sqlite3'}"  # and back from the server, as `tracker backup` does
    assert run_copy_db(argparse.Namespace(source=pg_url, target=back)) == 0
    printed = capsys.readouterr().out
    assert "заходи" in printed and "233 рядки" in printed
    assert report.checksum in printed  # the same data gives the same checksum on either engine

    open_database(pg_url)  # the moved database works: ids, history, new rows after the copied ones
    plan_on_server = current_plan()
    assert History.select().where(History.change_set == result.change_set).count() == 3
    save_progress(find_measure(plan_on_server, "2.1.1"), Q2, {"status": "in_progress", "percent": 1}, author="сервер")
    assert Progress.select().count() == 6
    assert tree_json(load_tree(plan_on_server, Q2))["plan"]["measure_count"] == 233
    close_database()

    assert run_copy_db(argparse.Namespace(source=source, target=pg_url)) == 1  # the server now holds a plan
    assert "вже є план" in capsys.readouterr().err
    with pytest.raises(TrackerError, match="вже є план"):
        copy_database(source, pg_url)


def test_the_windows_quick_patience_gives_up_at_once_and_a_cancel_stops_a_wait(server_plan, pg_url):
    """A colleague's long import holds a measure's row: the window's thread does not wait (it hands
    the save to a worker), and the worker's wait ends when the user cancels it."""
    import threading

    import psycopg

    from tracker.storage.failures import DatabaseBusy, WaitCancelled, database_errors
    from tracker.storage.locking import Quick, UntilCancelled, waiting_with

    measure = find_measure(server_plan, "1.2.8")
    with psycopg.connect(pg_url) as colleague:
        colleague.execute("SELECT id FROM measure WHERE id = %s FOR UPDATE", (measure.id,))
        started = time.monotonic()
        with pytest.raises(DatabaseBusy), database_errors(), waiting_with(Quick()):
            save_progress(measure, Q2, {"status": "in_progress", "percent": 10}, author="Олена")
        assert time.monotonic() - started < 5
        patient = UntilCancelled()
        patient.bind(database)
        cancel = threading.Timer(1.0, patient.cancel)
        cancel.start()
        with pytest.raises(WaitCancelled), database_errors(), waiting_with(patient):
            save_progress(measure, Q2, {"status": "in_progress", "percent": 10}, author="Олена")
        cancel.join()
        colleague.rollback()
    save_progress(measure, Q2, {"status": "in_progress", "percent": 10}, author="Олена")  # the connection still works
    assert draft_values(measure, Q2)[0]["percent"] == 10
