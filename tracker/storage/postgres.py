"""PostgreSQL: a peewee database from a URL, and connection failures worded for people."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

from peewee import Database, InterfaceError, OperationalError, PostgresqlDatabase, Psycopg3Adapter

from ..errors import TrackerError
from ..i18n import N_, tr
from .server_rights import owner_role, quote

SCHEMES = ("postgresql", "postgres")
CONNECT_TIMEOUT = 10  # seconds; a wrong host should fail in the window, not hang it
MIGRATION_LOCK = 0x74726163  # "trac": the advisory-lock key (per database) for schema changes

_ADDRESS_HINT = N_("Адреса має вигляд postgresql://користувач@сервер:5432/база; пароль програма спитає (знаки «/», «@», "
                   "«:» чи «%» у паролі в самій адресі треба записувати як %2F, %40, %3A, %25).")


class LoginRefused(TrackerError):
    """The server did not take the login with the password given (or none was given)."""


def with_password(url: str, password: str) -> str:
    """``url`` with ``password`` put in, quoted so that «/», «@» or «:» in it stay the password's."""
    parts = urlsplit(url)
    user = parts.netloc.rsplit("@", 1)[0].split(":", 1)[0] if "@" in parts.netloc else ""
    host = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=f"{user}:{url_quote(password, safe='')}@{host}").geturl()


def is_postgres_url(text: str) -> bool:
    return text.split("://", 1)[0].lower() in SCHEMES


def postgres_database(url: str) -> PostgresqlDatabase:
    """A deferred-connection database for ``postgresql://user:password@host:port/dbname``."""
    from playhouse import db_url  # here, for a server address: it imports every driver peewee knows (0.2 s)

    try:
        params = db_url.parse(url, unquote_password=True, unquote_user=True)
    except ValueError as exc:  # e.g. a port that is not a number
        raise TrackerError(tr("Адресу бази на сервері не вдалося розібрати ({place}).", place=_place(url))
                           + " " + tr(_ADDRESS_HINT)) from exc
    if not params.get("database"):
        raise TrackerError(tr("В адресі {place} немає назви бази даних.", place=_place(url)) + " " + tr(_ADDRESS_HINT))
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    try:
        return ServerDatabase(**params)
    except ImportError as exc:  # the driver, imported only now: missing or broken in this installation
        raise TrackerError(tr("Базу на сервері не відкрити: у цій установці програми немає справного драйвера "
                              "PostgreSQL (psycopg: {reason}). Перевстановіть програму або відкрийте файл бази.",
                              reason=exc)) from exc


class _Psycopg3(Psycopg3Adapter):
    """peewee's psycopg 3 adapter with the driver imported when a server database is made, not with peewee
    (tracker/__init__.py hides it from peewee's import: 0.2 s of every start)."""

    def __init__(self):
        import psycopg  # the server's driver, only for a server database
        from psycopg.pq import TransactionStatus  # as psycopg
        from psycopg.types.json import Json, Jsonb  # as psycopg

        super().__init__()
        self.driver = psycopg
        self.txn_idle, self.txn_inerror, self.txn_unknown = (
            TransactionStatus.IDLE, TransactionStatus.INERROR, TransactionStatus.UNKNOWN)
        self.txn_in_transaction = TransactionStatus.INTRANS
        self.json_type, self.jsonb_type = Json, Jsonb

    def check_driver(self):
        pass  # imported above: a missing driver fails there, as an ImportError

    def get_binary_type(self):
        return self.driver.Binary

    def connect(self, db, **params):
        if db._encoding:
            params.setdefault("client_encoding", db._encoding)
        params.setdefault("conninfo" if db.database.startswith("postgresql://") else "dbname", db.database)
        return self.driver.connect(**params)

    def server_side_cursor(self, conn):
        return conn.cursor(name=str(uuid.uuid1()), withhold=self.txn_status(conn) != self.txn_in_transaction)


_ASKED_AGAIN = ("SELECT", "WITH", "SHOW", "SET")  # statements that change nothing on the server: asked once more


class ServerDatabase(PostgresqlDatabase):
    """PostgreSQL through psycopg 3, the driver we ship (peewee would pick psycopg2 were it installed too)."""

    psycopg2_adapter = psycopg3_adapter = _Psycopg3  # peewee chose by the drivers it saw at import: it saw none

    def execute_sql(self, sql, params=None):
        try:
            return super().execute_sql(sql, params)
        except (InterfaceError, OperationalError):
            if self.in_transaction():  # inside one, the transaction's end forgets it (write_transaction)
                raise
            if not self.forget_lost_connection() or not sql.lstrip()[:6].upper().startswith(_ASKED_AGAIN):
                raise
        # a connection the server ended since its last use (restarted, the network dropped) is found dead only by the
        # statement after: a read did nothing there, and is asked once more on a new connection — the first save
        # after a server's restart had failed «Зв'язок втрачено», once for each thread's connection
        return super().execute_sql(sql, params)

    def forget_lost_connection(self) -> bool:
        """This thread's connection, when the server has ended it (restarted, the network dropped, an administrator
        ended it), is forgotten, so that the next statement connects anew: every try after had failed «the
        connection is closed», and the window's typed values could only be thrown away. True when it was lost."""
        conn = self._state.conn
        if conn is None or not (conn.closed or conn.broken):
            return False
        self._state.reset()
        try:
            conn.close()
        except Exception:  # already gone: nothing to close
            pass
        return True


def connect(db: Database) -> None:
    """Connect ``db``; a PostgreSQL failure becomes a TrackerError that says what to do."""
    try:
        db.connect(reuse_if_open=True)
    except OperationalError as exc:
        if not isinstance(db, PostgresqlDatabase):
            raise
        raise connection_error(db, exc) from exc


@contextmanager
def migration_lock(db: Database):
    """On PostgreSQL, one program at a time migrates; the others wait, then find nothing to do.

    Office PCs starting together on a new or upgraded server would otherwise run the same
    migration at once, and all but one would fail half-way.
    """
    if not isinstance(db, PostgresqlDatabase):
        yield
        return
    db.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        yield
    finally:
        db.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))


@contextmanager
def as_owner(db: Database):
    """On PostgreSQL, work as the tables' owner: a superuser upgrading the schema makes tables the owner owns,
    with the owner's grants, not tables of its own (only the owner or a superuser upgrades: tracker.storage.db)."""
    if not isinstance(db, PostgresqlDatabase):
        yield
        return
    owner = owner_role(db)
    if owner == db.execute_sql("SELECT current_user").fetchone()[0]:
        yield
        return
    db.execute_sql(f"SET ROLE {quote(owner)}")
    try:
        yield
    finally:
        db.execute_sql("RESET ROLE")


def connection_error(db: PostgresqlDatabase, exc: Exception) -> TrackerError:
    params = db.connect_params
    place = f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}"
    user, name = params.get("user") or "", db.database
    detail = " ".join(_scrub(str(exc), params.get("password")).split())  # libpq adds newlines and tabs
    # libpq reports connection failures without an SQLSTATE, so the server's words are all we have
    lowered = detail.lower()
    if "password" in lowered or "пароль" in lowered:
        return LoginRefused(tr(
            "Сервер PostgreSQL {place} не прийняв користувача «{user}» з цим паролем (або пароля не вказано). "
            "Перевірте ім'я та пароль або попросіть їх в адміністратора сервера.",
            place=place, user=user))
    if "database" in lowered and ("does not exist" in lowered or "не існує" in lowered):
        return TrackerError(tr(
            "На сервері PostgreSQL {place} немає бази «{name}». Перевірте назву бази в адресі "
            "або попросіть адміністратора створити її (createdb -O {user} {name}).",
            place=place, name=name, user=user or tr("користувач")))
    if any(word in lowered for word in ("refused", "timeout", "timed out", "resolve", "could not connect",
                                        "no route", "unreachable")):
        return TrackerError(tr(
            "Сервер PostgreSQL {place} не відповідає ({detail}). Перевірте, що сервер запущено, "
            "що адресу й порт вказано правильно і що комп'ютер підключено до мережі офісу.",
            place=place, detail=server_reason(detail)))
    return TrackerError(tr(
        "Не вдалося підключитися до бази «{name}» на сервері PostgreSQL {place}: {detail}. "
        "Перевірте адресу бази й доступ до сервера або зверніться до адміністратора.",
        name=name, place=place, detail=server_reason(detail)))


# libpq's and the server's common answers, in English whatever the server's language: said in the program's
_SERVER_REASONS = (
    ("connection refused", N_("сервер відмовив у з'єднанні: його не запущено, або порт не той")),
    ("failed to resolve host", N_("сервера з такою адресою не знайдено")),
    ("could not translate host name", N_("сервера з такою адресою не знайдено")),
    ("name or service not known", N_("сервера з такою адресою не знайдено")),
    ("no route to host", N_("до сервера немає шляху в мережі")),
    ("network is unreachable", N_("мережа недоступна")),
    ("timeout expired", N_("сервер не відповів вчасно")),
    ("timed out", N_("сервер не відповів вчасно")),
    ("terminating connection due to administrator command", N_("з'єднання завершив сервер або його адміністратор")),
    ("server closed the connection unexpectedly", N_("сервер несподівано закрив з'єднання")),
    ("consuming input failed", N_("сервер несподівано закрив з'єднання")),
    ("the connection is lost", N_("з'єднання з сервером обірвалося")),
    ("the connection is closed", N_("з'єднання з сервером обірвалося")),
    ("ssl syscall error", N_("з'єднання з сервером обірвалося")),
    ("invalid response to ssl negotiation", N_("на цьому порту відповідає не сервер PostgreSQL")),
    ("server does not support ssl", N_("сервер не підтримує захищеного з'єднання (SSL), якого вимагає адреса")),
    ("bad value for", N_("в адресі бази неправильний параметр")),
    ("invalid connection option", N_("в адресі бази невідомий параметр")),
    ("invalid integer value", N_("в адресі бази неправильний параметр")),
)


def server_reason(detail: str) -> str:
    """Why the server's connection failed, in the program's language when it is one of the common answers (the
    server's own words otherwise)."""
    lowered = detail.lower()
    for words, reason in _SERVER_REASONS:
        if words in lowered:
            return tr(reason)
    return detail


def _place(url: str) -> str:
    """The server and database of an address, as it was written, with nothing of the login or password.

    What follows the last «@» is the server: a password with an unquoted «/» or «@» in it is cut off whole.
    """
    scheme, _, rest = url.partition("://")
    return f"«{scheme}://{rest.rsplit('@', 1)[-1] if '@' in rest else rest}»"


def _scrub(text: str, password: str | None) -> str:
    return text.replace(password, "***") if password else text
