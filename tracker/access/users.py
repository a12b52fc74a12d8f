"""The people of an office database on the PostgreSQL server: a login role each, with its role here.

Adding a user makes a server login (``CREATE ROLE … LOGIN``) with a password hashed on this PC (SCRAM,
by libpq: the password itself never reaches the server or its statement log), makes it a member of this
database's group role (coordinator, monitor) or of the owner's role (admin), and records it in
``app_user`` — in one transaction, which PostgreSQL allows for roles too.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from peewee import DatabaseError, PostgresqlDatabase

from ..errors import NotFoundError, ValidationError
from ..i18n import tr
from ..plan.executors import find_executor
from ..storage.locking import write_transaction
from ..storage.models import AppUser, AppUserDepartment, Executor, database
from ..storage.server_rights import ROLES, forget, group_role, owner_role, quote
from ..text import clean_name
from .rights import AccessDenied, current_rights, forget_rights, require

LOGIN = re.compile(r"[a-z_][a-z0-9_.-]{0,62}")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class UserInfo:
    login: str
    role: str
    display_name: str
    departments: tuple[str, ...]
    created_at: _dt.datetime | None
    created_by: str
    can_log_in: bool  # the server still has the login and lets it in


def _server():
    db = database.obj
    if not isinstance(db, PostgresqlDatabase):
        raise AccessDenied(tr("Користувачі з власними паролями й правами є лише в базі на сервері PostgreSQL. "
                              "Файл бази на цьому комп'ютері — одного користувача: його ім'я задають у налаштуваннях."))
    require("users")
    return db


def list_users() -> list[UserInfo]:
    db = _server()
    logins = {name: can for name, can in db.execute_sql("SELECT rolname, rolcanlogin FROM pg_roles").fetchall()}
    departments: dict[str, list[str]] = {}
    for login, name in (AppUserDepartment.select(AppUserDepartment.login, Executor.name).join(Executor)
                        .order_by(Executor.name).tuples()):
        departments.setdefault(login, []).append(name)
    return [UserInfo(u.login, u.role, u.display_name, tuple(departments.get(u.login, ())), u.created_at,
                     u.created_by, bool(logins.get(u.login))) for u in AppUser.select().order_by(AppUser.login)]


def check_login(login: str) -> str:
    login = (login or "").strip()
    if not LOGIN.fullmatch(login) or login.startswith("pg_"):
        raise ValidationError(tr("Логін «{login}» не підходить: латинські малі літери, цифри, «_», «.» чи «-», "
                                 "до 63 знаків, першою — літера (напр. o.petrenko).", login=login[:70]))
    return login


def check_password(password: str, repeated: str | None = None) -> str:
    if repeated is not None and password != repeated:
        raise ValidationError(tr("Паролі не збігаються. Введіть пароль двічі однаково."))
    if len(password) < MIN_PASSWORD:
        raise ValidationError(tr("Пароль закороткий: потрібно щонайменше {n} знаків.", n=MIN_PASSWORD))
    if any(ord(ch) < 32 for ch in password):
        raise ValidationError(tr("Пароль не може містити керівних знаків (переведення рядка, табуляції)."))
    return password


def departments_named(names: list[str]) -> list[Executor]:
    """The directory's executors for the names given (any spelling find_executor knows), each once."""
    found: dict[int, Executor] = {}
    for name in names:
        executor = find_executor(name)
        found.setdefault(executor.id, executor)
    return list(found.values())


def add_user(login: str, role: str, *, departments: list[str] = (), password: str | None = None,
             display_name: str = "", author: str = "") -> UserInfo:
    """Make ``login`` a user of this database; refused, with nothing changed, when anything is wrong."""
    db = _server()
    login = check_login(login)
    if role not in ROLES:
        raise ValidationError(tr("Невідома роль «{role}»: coordinator (координатор), monitor (моніторинг) або admin "
                                 "(адміністратор).", role=role))
    chosen = departments_named(list(departments))
    if role == "coordinator" and not chosen:
        raise ValidationError(tr("Координаторові потрібен хоча б один підрозділ: він змінюватиме заходи, серед "
                                 "виконавців яких є цей підрозділ."))
    if role != "coordinator" and chosen:
        raise ValidationError(tr("Підрозділи задають лише координаторам: моніторинг і адміністратор працюють з "
                                 "усіма заходами."))
    if AppUser.get_or_none(AppUser.login == login) is not None:
        raise ValidationError(tr("Користувач «{login}» уже є. Щоб змінити його роль, вилучіть і додайте його знову.",
                                 login=login))
    owner = owner_role(db)
    existing = db.execute_sql("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
    if login == owner or (existing and existing[0]):
        raise ValidationError(tr("«{login}» — власник бази або суперкористувач сервера: він і так має всі права.",
                                 login=login))
    if existing is None and password is None:
        raise ValidationError(tr("Для нового користувача «{login}» потрібен пароль.", login=login))
    if password is not None:
        check_password(password)
    name = clean_name(display_name)
    with write_transaction(db):
        if existing is None:
            verifier = _verifier(db, login, password)
            rights = " CREATEROLE" if role == "admin" else ""
            db.execute_sql(f"CREATE ROLE {quote(login)} LOGIN{rights} PASSWORD '{verifier}'")
        elif password is not None:
            raise ValidationError(tr("Логін «{login}» уже є на сервері (напр. в іншій базі); його пароль тут не "
                                     "змінюють. Додайте його без пароля — він входитиме зі своїм.", login=login))
        elif role == "admin":
            db.execute_sql(f"ALTER ROLE {quote(login)} CREATEROLE")
        group = owner if role == "admin" else group_role(db.database, role)
        db.execute_sql(f"GRANT {quote(group)} TO {quote(login)}")
        AppUser.create(login=login, role=role, display_name=name, created_by=clean_name(author))
        for executor in chosen:
            AppUserDepartment.create(login=login, department=executor)
    return next(u for u in list_users() if u.login == login)


def _verifier(db, login: str, password: str) -> str:
    """The SCRAM verifier of the password, made here by libpq (PQencryptPasswordConn)."""
    connection = db.connection()
    hashed = connection.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode()
    if "'" in hashed or "\\" in hashed:  # a verifier is base64 and '$': never quoted text
        raise ValidationError(tr("Не вдалося підготувати пароль. Спробуйте інший пароль."))
    return hashed


def remove_user(login: str) -> bool:
    """Take ``login`` out of this database; True when its server login was dropped too (used nowhere else)."""
    db = _server()
    login = (login or "").strip()
    user = AppUser.get_or_none(AppUser.login == login)
    if user is None:
        raise NotFoundError(tr("Користувача «{login}» у цій базі немає.", login=login[:70]))
    if login == current_rights().login:
        raise ValidationError(tr("Себе вилучити не можна: попросіть про це іншого адміністратора."))
    owner = owner_role(db)
    with write_transaction(db):
        group = owner if user.role == "admin" else group_role(db.database, user.role)
        if db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
            db.execute_sql(f"REVOKE {quote(group)} FROM {quote(login)}")
            if user.role == "admin":
                db.execute_sql(f"ALTER ROLE {quote(login)} NOCREATEROLE")
        AppUserDepartment.delete().where(AppUserDepartment.login == login).execute()
        AppUser.delete().where(AppUser.login == login).execute()
    try:  # a login other databases of the server still use (or that owns something) stays there
        with write_transaction(db):
            db.execute_sql(f"DROP ROLE IF EXISTS {quote(login)}")
        dropped = True
    except DatabaseError:
        dropped = False
    forget(db)
    forget_rights()
    return dropped
