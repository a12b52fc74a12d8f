"""The people of an office database on the PostgreSQL server: a login role each, with its role here.

Adding a user makes a server login (``CREATE ROLE … LOGIN``) with a password hashed on this PC (SCRAM,
by libpq: the password itself never reaches the server or its statement log), makes it a member of this
database's group role for its role, and records it in ``app_user`` — in one transaction, which PostgreSQL
allows for roles too, done by the server's ``tracker_add_user`` as the owner (tracker.storage.server_rights).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from peewee import DatabaseError, PostgresqlDatabase

from ..errors import NotFoundError, TrackerError, ValidationError
from ..i18n import tr
from ..plan.executors import find_executor
from ..storage.locking import write_transaction
from ..storage.models import AppUser, AppUserDepartment, Executor, database
from ..storage.server_rights import LOGIN_PATTERN, RESERVED_LOGINS, ROLES, forget
from ..text import clean_name
from .rights import AccessDenied, current_rights, forget_rights, require

LOGIN = re.compile(LOGIN_PATTERN.strip("^$"))
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
    if not LOGIN.fullmatch(login) or login.startswith("pg_") or login in RESERVED_LOGINS:
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
    """Make ``login`` a user of this database; refused, with nothing changed, when anything is wrong.

    The server does it (``tracker_add_user``, run as the owner, who alone may make logins) after checking
    the same things again: what is checked here is said in the user's words first.
    """
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
    existing = db.execute_sql("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %s", (login,)).fetchone()
    if existing is None and not password:
        raise ValidationError(tr("Для нового користувача «{login}» потрібен пароль.", login=login))
    if existing is not None and password:
        raise ValidationError(tr("Логін «{login}» уже є на сервері (напр. в іншій базі); його пароль тут не "
                                 "змінюють. Додайте його без пароля — він входитиме зі своїм.", login=login))
    verifier = _verifier(db, login, check_password(password)) if password else None
    try:
        with write_transaction(db):
            db.execute_sql("SELECT public.tracker_add_user(%s, %s, %s, %s, %s, %s)",
                           (login, verifier, role, clean_name(display_name), clean_name(author),
                            [executor.id for executor in chosen]))
    except DatabaseError as exc:
        raise _refused(exc, login) from None
    return next(u for u in list_users() if u.login == login)


def _refused(exc: DatabaseError, login: str) -> TrackerError:
    """The server's refusal of a user change, in the user's words (never the statement, which holds the hash)."""
    text = str(exc)
    if "mighty login" in text:
        return ValidationError(tr("Логін «{login}» на сервері має особливі права (суперкористувач, власник бази чи "
                                  "право створювати ролі); його не додають як користувача бази.", login=login))
    if "user exists" in text:
        return ValidationError(tr("Користувач «{login}» уже є. Щоб змінити його роль, вилучіть і додайте його "
                                  "знову.", login=login))
    if "no such user" in text:
        return NotFoundError(tr("Користувача «{login}» у цій базі немає.", login=login[:70]))
    if "oneself" in text:
        return ValidationError(tr("Себе вилучити не можна: попросіть про це іншого адміністратора."))
    if "only an admin" in text or "permission denied" in text:
        return AccessDenied(tr("Керувати користувачами може лише адміністратор бази. Нічого не змінено."))
    return TrackerError(tr("Сервер не виконав зміну користувачів ({detail}). Нічого не змінено.",
                           detail=" ".join(text.split("\n")[0].split())[:200]))


def _verifier(db, login: str, password: str) -> str:
    """The SCRAM verifier of the password, made here by libpq (PQencryptPasswordConn)."""
    connection = db.connection()
    hashed = connection.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode()
    if "'" in hashed or "\\" in hashed:  # a verifier is base64 and '$': never quoted text
        raise ValidationError(tr("Не вдалося підготувати пароль. Спробуйте інший пароль."))
    return hashed


def remove_user(login: str) -> bool:
    """Take ``login`` out of this database; True when its server login was dropped too (made here and used by
    no other database of the server)."""
    db = _server()
    login = (login or "").strip()
    if AppUser.get_or_none(AppUser.login == login) is None:
        raise NotFoundError(tr("Користувача «{login}» у цій базі немає.", login=login[:70]))
    if login == current_rights().login:
        raise ValidationError(tr("Себе вилучити не можна: попросіть про це іншого адміністратора."))
    try:
        with write_transaction(db):
            dropped = bool(db.execute_sql("SELECT public.tracker_remove_user(%s)", (login,)).fetchone()[0])
    except DatabaseError as exc:
        raise _refused(exc, login) from None
    forget(db)
    forget_rights()
    return dropped
