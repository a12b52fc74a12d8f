"""The office database on the test server, made by its owner, with two coordinators and a monitor (a fixture)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.conftest import _drop_database
from tracker.access.users import add_user
from tracker.plan.store import ensure_bundled_plan
from tracker.storage.db import close_database, open_database
from tracker.storage.models import Executor, Measure, MeasureExecutor
from tracker.storage.postgres import with_password
from tracker.storage.server_rights import GROUPS, group_role

PASSWORD = "s3cret/with@signs:"  # «/», «@» and «:» must stay the password's


class Office:
    """The office database on the server, its owner's address, and the logins made for it."""

    def __init__(self, url: str):
        self.url = url
        self.name = urlsplit(url).path.lstrip("/")
        self.suffix = uuid.uuid4().hex[:6]
        self.logins: list[str] = []

    def login(self, base: str) -> str:
        login = f"{base}_{self.suffix}"
        self.logins.append(login)
        return login

    def url_of(self, login: str, password: str = PASSWORD) -> str:
        parts = urlsplit(self.url)
        return with_password(parts._replace(netloc=f"{login}@{parts.hostname}:{parts.port or 5432}").geturl(),
                             password)

    def raw(self, login: str, password: str = PASSWORD) -> psycopg.Connection:
        parts = urlsplit(self.url)
        return psycopg.connect(host=parts.hostname, port=parts.port or 5432, dbname=self.name, user=login,
                               password=password)


def only_of(department: Executor, other: Executor) -> list[str]:
    """Codes of measures one department executes and the other does not."""
    mine = {m for (m,) in MeasureExecutor.select(MeasureExecutor.measure).where(
        MeasureExecutor.executor == department).tuples()}
    theirs = {m for (m,) in MeasureExecutor.select(MeasureExecutor.measure).where(
        MeasureExecutor.executor == other).tuples()}
    return [m.code for m in Measure.select().where(Measure.id.in_(mine - theirs)).order_by(Measure.position)]


@pytest.fixture
def office(pg_url, pg_server):
    """The owner's database with the plan, two coordinators (education, culture) and a monitor."""
    office = Office(pg_url)
    open_database(pg_url)
    ensure_bundled_plan()
    education, culture = Executor.get(Executor.short_name == "ДО"), Executor.get(Executor.short_name == "ДК")
    office.education, office.culture = education, culture
    office.schools, office.theatres = only_of(education, culture)[:3], only_of(culture, education)[:3]
    office.neither = [m.code for m in Measure.select().where(Measure.id.not_in(
        MeasureExecutor.select(MeasureExecutor.measure).where(
            MeasureExecutor.executor.in_([education, culture])))).order_by(Measure.position).limit(2)]
    office.teacher, office.curator, office.monitor = (office.login(n) for n in ("teacher", "curator", "monitor"))
    add_user(office.teacher, "coordinator", departments=["Департамент освіти"], password=PASSWORD,
             display_name="Ольга Петренко", author="тест")
    add_user(office.curator, "coordinator", departments=["ДК"], password=PASSWORD, author="тест")
    add_user(office.monitor, "monitor", password=PASSWORD, author="тест")
    close_database()
    try:
        yield office
    finally:
        close_database()
        _drop_database(pg_server, office.name)
        with psycopg.connect(pg_server, autocommit=True) as admin:
            for role in office.logins + [group_role(office.name, kind) for kind in GROUPS]:
                admin.execute(psycopg.sql.SQL("DROP ROLE IF EXISTS {}").format(psycopg.sql.Identifier(role)))


