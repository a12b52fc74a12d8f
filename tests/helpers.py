"""Plain helpers the tests share (fixtures live in conftest.py): ``from tests.helpers import record_of``."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from tracker.plan.store import current_plan
from tracker.progress.records import find_measure, quarter_record
from tracker.quarters import Quarter
from tracker.report import layout as L
from tracker.storage.db import open_database
from tracker.storage.models import Plan, Progress


def record_of(code: str, quarter: Quarter) -> Progress | None:
    """The record of measure ``code`` of the current plan for ``quarter``; None when there is none."""
    return quarter_record(find_measure(current_plan(), code), quarter)


def open_copy(template: Path, target: Path) -> Plan | None:
    """Copy a closed database file to ``target``, open the copy as the program's database and
    return its plan; the caller closes it (tracker.storage.db.close_database)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    open_database(target)
    return current_plan()


def database_digest() -> str:
    """One hash of every row of every table of the open database: equal digests, unchanged database."""
    import hashlib

    from tracker.storage.models import ALL_MODELS

    digest = hashlib.sha256()
    for model in ALL_MODELS:
        for row in model.select().order_by(model.id).tuples():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def corrupt(path: Path) -> None:
    """Damage a closed SQLite file as a failing disk would: every page but the first loses its header
    (the file still opens, its schema reads, and SQLite's check finds the damage)."""
    data = bytearray(Path(path).read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for start in range(page, len(data), page):
        data[start:start + 8] = b"\x5a" * 8
    Path(path).write_bytes(bytes(data))


def damage_pages_of(path: Path, name: str) -> None:
    """Damage a closed SQLite file as ``corrupt`` does, only in the pages of one table or index (``name``): a reading
    that does not go there reads on; SQLite's quick check finds it."""
    import sqlite3  # as damage_an_index

    connection = sqlite3.connect(path)
    try:
        pages = [page for (page,) in connection.execute("SELECT pageno FROM dbstat WHERE name = ?", (name,))]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    finally:
        connection.close()
    assert pages, f"{name} has no pages"
    data = bytearray(Path(path).read_bytes())
    for page in pages:
        start = (page - 1) * size
        data[start:start + 8] = b"\x5a" * 8
    Path(path).write_bytes(bytes(data))


def damage_an_index(path: Path, name: str = "measure_removed_by_id", meanwhile: str = "") -> None:
    """Damage a closed SQLite file so that only the full check finds it: the index ``name`` loses every entry (as if
    its pages had been lost), its table's rows and the schema as they were — the quick check at opening skips
    comparing indexes with their tables. Made so: for a moment the index is one of no rows («WHERE 0») and rebuilt
    so, empty; then its own definition is put back. ``meanwhile``: SQL run while the index is empty (a row a unique
    index would have refused gets in)."""
    import sqlite3  # the tests' own helper: only a few tests damage a file

    def schema(connection, sql: str) -> None:
        version = connection.execute("PRAGMA schema_version").fetchone()[0]
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (sql, name))
        connection.execute(f"PRAGMA schema_version = {version + 1}")  # the other connections read the schema anew

    connection = sqlite3.connect(path, isolation_level=None)
    try:
        own = connection.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
        schema(connection, own + " WHERE 0")
    finally:
        connection.close()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute(f'REINDEX "{name}"')
        if meanwhile:
            connection.execute(meanwhile)
        schema(connection, own)
    finally:
        connection.close()


def leave_a_stray_wal(path: Path) -> None:
    """Put beside a closed database file the WAL another copy of it left (a copy put back over the file from a
    stick, the old one's WAL still beside it): SQLite reads it as the file's own, and the file looks damaged, though
    it is whole alone. The file itself differs from that copy as another would (some rows fewer, compacted)."""
    import shutil  # the tests' own helper, as damage_an_index
    import sqlite3

    other = path.with_name("інша-копія.sqlite3")
    shutil.copyfile(path, other)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("DELETE FROM measure_funding WHERE id % 2 = 0")
    connection.execute("VACUUM")
    connection.close()
    connection = sqlite3.connect(other, isolation_level=None)
    connection.execute("PRAGMA journal_mode = wal")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("UPDATE measure SET title = title || ' (інша копія)'")
    shutil.copyfile(other.with_name(other.name + "-wal"), path.with_name(path.name + "-wal"))  # as a crash leaves it
    connection.close()
    for leftover in path.parent.glob("інша-копія.sqlite3*"):
        leftover.unlink()


def leave_a_fitting_stray_wal(path: Path) -> None:
    """Put beside a closed database file the WAL an older copy of it left, whose pages fit the file's structure: the
    quick check passes with it, and only the full check finds the file's own rows (departments added to it since the
    copy) missing from the table the WAL's page replaced, though still in its index."""
    import shutil  # the tests' own helper, as damage_an_index
    import sqlite3

    older = path.with_name("старша-копія.sqlite3")
    shutil.copyfile(path, older)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("INSERT INTO department (name, short_name, kind, aliases, contact_person, email, phone) "
                       "VALUES ('Відділ, доданий після копії', '', 'other', '', '', '', '')")
    connection.close()
    wal = leave_saves_in_the_wal(older, "UPDATE department SET phone = '0332 111 111'")
    path.with_name(path.name + "-wal").write_bytes(wal)
    for leftover in path.parent.glob("старша-копія.sqlite3*"):
        leftover.unlink()


def leave_saves_in_the_wal(path: Path, statement: str) -> bytes:
    """Run ``statement`` on a closed database file and leave what it wrote committed in the WAL beside the file, not
    yet in the file, as a process cut off by a blackout leaves it; returns the WAL's bytes."""
    import sqlite3  # the tests' own helper, as damage_an_index

    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=wal")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute(statement)
    writer.commit()
    held = {suffix: path.with_name(path.name + suffix).read_bytes() for suffix in ("", "-wal")}
    writer.close()  # which writes the WAL into the file: the files are put back as they were before it
    for suffix, data in held.items():
        path.with_name(path.name + suffix).write_bytes(data)
    return held["-wal"]


def damaged_with_a_whole_copy(template: Path, folder: Path, damage) -> tuple[Path, Path]:
    """(path, whole copy): a database of ``template`` with one whole start copy, then damaged by ``damage(path)``
    (corrupt, damage_an_index); not open."""
    import shutil  # the tests' own helper, as damage_an_index

    from tracker.storage.backup import auto_backup  # as above
    from tracker.storage.db import close_database, open_database  # as above

    path = folder / "office.sqlite3"
    shutil.copyfile(template, path)
    open_database(path)
    good = auto_backup("start")
    close_database()
    damage(path)
    return path, good


def done_or_refused_cleanly(action) -> bool:
    """Run ``action``: True when it went through; a refusal must be a TrackerError with a message that
    left the database exactly as it was (then False). Anything else escapes and fails the test."""
    from tracker.errors import TrackerError

    before = database_digest()
    try:
        action()
    except TrackerError as exc:
        assert str(exc).strip()
        assert database_digest() == before
        return False
    return True


def fuzz_settings(examples: int):
    """Hypothesis settings for the readers' fuzz tests: ``examples`` fixed ones in CI; TRACKER_FUZZ_EXAMPLES=N
    and TRACKER_FUZZ_RANDOM=1 explore more and new ones."""
    import os

    from hypothesis import HealthCheck, settings

    return settings(max_examples=int(os.environ.get("TRACKER_FUZZ_EXAMPLES", str(examples))), deadline=None,
                    database=None, derandomize=not os.environ.get("TRACKER_FUZZ_RANDOM"),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def plan_file_read_or_refused(path: Path) -> None:
    """A plan file is read, or refused with a message; importing it writes, or is refused with nothing written."""
    from hypothesis import event

    from tracker.errors import TrackerError
    from tracker.plan.store import import_plan, read_plan

    try:
        read_plan(path)
    except TrackerError as exc:
        assert str(exc).strip()
        event("refused when read")
    event("imported" if done_or_refused_cleanly(lambda: import_plan(path)) else "import refused")


def backup_checks(monkeypatch) -> list[bool]:
    """Which of SQLite's checks tracker.storage.backup runs from now on, in order: True for the full one, False for
    the quick one."""
    from tracker.storage import backup  # as damage_an_index

    runs, real = [], backup.problem
    monkeypatch.setattr(backup, "problem", lambda connection, full=False: runs.append(full) or real(connection, full))
    return runs


WORDS = ("Проведено засідання робочої групи з питань реалізації проєкту, залучено 300 учасників; закуплено "
         "обладнання на 1 250,5 тис. грн. Укладено договір з підрядником, розпочато роботи на об'єкті.").split()


def long_text(words: int, seed: int = 7) -> str:
    """A coordinator's long account: words with a paragraph break now and then."""
    chance = random.Random(seed)
    return " ".join(chance.choice(WORDS) + ("\n\n" if chance.random() < 0.05 else "") for _ in range(words)).strip()


def measure_rows(sheet, code: str) -> list[int]:
    """The row of measure ``code`` in a report's sheet and the rows going on with its texts («1.1.1 прод. 1», …)."""
    first = next(r for r in range(L.FIRST_DATA_ROW, sheet.max_row + 1) if sheet.cell(r, L.COL_CODE).value == code)
    rows = [first]
    while sheet.cell(rows[-1] + 1, L.COL_CODE).value == L.CONTINUED_ROW.format(code=code, number=len(rows)):
        rows.append(rows[-1] + 1)
    return rows


def redundant_indexes(db) -> list[tuple[str, str]]:
    """Indexes another index of the same table begins with, (the short one, the longer one): the longer one finds
    the rows by its first columns as well, and the short one only costs at every write and every full check. A
    unique one is not counted: it says the rows are unique by its columns, which the longer one does not."""
    found = []
    for table in db.get_tables():
        indexes = db.get_indexes(table)
        for short in indexes:
            longer = next((other for other in indexes if other.name != short.name
                           and len(other.columns) > len(short.columns)
                           and list(other.columns[:len(short.columns)]) == list(short.columns)), None)
            if longer is not None and not short.unique:
                found.append((short.name, longer.name))
    return found
