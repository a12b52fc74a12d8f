"""The rights of the login the program works as, read from the server once per database.

The server enforces them (tracker.storage.server_rights); the program asks first so that a refusal
is said in the user's words, before anything is typed in vain, and so the window can show a measure
the login may not change as read-only, with the reason.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from peewee import DatabaseError, PostgresqlDatabase

from ..errors import TrackerError
from ..i18n import N_, tr
from ..storage.models import AppUser, AppUserDepartment, Executor, Measure, MeasureExecutor, database
from ..storage.server_rights import server_role

ROLE_LABELS = {
    "local": N_("власник файла бази"),
    "owner": N_("власник бази"),
    "admin": N_("адміністратор"),
    "monitor": N_("моніторинг"),
    "coordinator": N_("координатор"),
    "reader": N_("лише перегляд"),
}
EDIT_ALL = ("local", "owner", "admin", "monitor")
CHANGE_PLAN = ("local", "owner", "admin")


class AccessDenied(TrackerError):
    """The login may not do this; nothing was written."""


@dataclass(frozen=True)
class Rights:
    login: str  # "" in an SQLite file: one person's database
    role: str  # local | owner | admin | monitor | coordinator | reader
    departments: tuple[tuple[int, str], ...] = ()  # (executor id, name) a coordinator answers for
    display_name: str = ""

    @property
    def on_server(self) -> bool:
        return bool(self.login)

    @property
    def may_edit_all(self) -> bool:
        return self.role in EDIT_ALL

    @property
    def may_change_plan(self) -> bool:
        return self.role in CHANGE_PLAN

    @property
    def may_manage_users(self) -> bool:
        return self.on_server and self.role in ("owner", "admin")

    @property
    def role_label(self) -> str:
        return tr(ROLE_LABELS[self.role])

    def describe(self) -> str:
        """«ipetrenko — координатор (Управління освіти)», as the status bar shows it; "" for a file."""
        if not self.on_server:
            return ""
        text = f"{self.login} — {self.role_label}"
        if self.departments:
            text += " (" + "; ".join(name for _, name in self.departments) + ")"
        return text


_known: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def current_rights() -> Rights:
    """The rights of the login the open database is used as (read once per database)."""
    db = database.obj
    known = _known.get(db)
    if known is None:
        known = _known[db] = _read(db)
    return known


def server_name() -> str:
    """Who the open database's login is on the server, by the name its administrator gave it (`tracker users add
    --name`), else the login itself; "" for a file, or when the server cannot say."""
    try:
        rights = current_rights()
    except (TrackerError, DatabaseError):
        return ""
    return rights.display_name or rights.login


def forget_rights() -> None:
    """Read the rights again next time (after the users were changed)."""
    _known.pop(database.obj, None)


def _read(db) -> Rights:
    if not isinstance(db, PostgresqlDatabase):
        return Rights("", "local")
    login = db.execute_sql("SELECT session_user").fetchone()[0]
    user = AppUser.get_or_none(AppUser.login == login)
    standing = server_role(db)
    if standing == "owner":
        return Rights(login, "owner", display_name=user.display_name if user else "")
    if standing == "admin" and user is not None:
        return Rights(login, "admin", display_name=user.display_name)
    if user is None:
        return Rights(login, "reader")
    departments = tuple((e.id, e.name) for e in Executor.select(Executor.id, Executor.name)
                        .join(AppUserDepartment).where(AppUserDepartment.login == login).order_by(Executor.name))
    role = user.role if user.role in ("monitor", "coordinator") else "reader"
    return Rights(login, role, departments if role == "coordinator" else (), user.display_name)


def edit_refusal(measure: Measure | int) -> str:
    """Why the login may not change this measure's progress, in the user's words; "" when it may."""
    rights = current_rights()
    if rights.may_edit_all:
        return ""
    if rights.role == "coordinator":
        measure_id = getattr(measure, "id", measure)
        executors = {e for (e,) in MeasureExecutor.select(MeasureExecutor.executor)
                     .where(MeasureExecutor.measure == measure_id).tuples()}
        if executors & {e for e, _ in rights.departments}:
            return ""
        return tr("Ви працюєте як «{login}» (координатор: {departments}) і змінюєте лише заходи, серед виконавців "
                  "яких є ваш підрозділ. Цей захід виконують інші; зверніться до них або до групи моніторингу.",
                  login=rights.login,
                  departments="; ".join(name for _, name in rights.departments) or tr("без підрозділу"))
    return tr("Ви працюєте як «{login}» з правом лише переглядати план і стан виконання. Щоб вносити зміни, "
              "попросіть адміністратора дати вам роль.", login=rights.login)


def require_edit(measure: Measure | int) -> None:
    refusal = edit_refusal(measure)
    if refusal:
        raise AccessDenied(refusal + " " + tr("Нічого не змінено."))


WORK = {
    "plan": (CHANGE_PLAN, N_("змінювати план")),
    "exchange": (EDIT_ALL, N_("імпортувати й експортувати пакети обміну")),
    "reports": (EDIT_ALL, N_("імпортувати звіти")),
    "contacts": (EDIT_ALL, N_("змінювати контакти виконавців")),
    "conflicts": (EDIT_ALL, N_("розв'язувати конфлікти")),
    "users": (("owner", "admin"), N_("керувати користувачами")),
}


def may(work: str) -> bool:
    return current_rights().role in WORK[work][0]


def refusal(work: str) -> str:
    """Why the login may not do ``work``, in the user's words."""
    rights = current_rights()
    who = tr("адміністратор") if work in ("plan", "users") else tr("група моніторингу або адміністратор")
    return tr("Ви працюєте як «{login}» ({role}), а {work} може лише {who}.",
              login=rights.login, role=rights.role_label, work=tr(WORK[work][1]), who=who)


def require(work: str) -> None:
    """Refuse ``work`` («plan», «exchange» …) that the login's role does not include."""
    if not may(work):
        raise AccessDenied(refusal(work) + " " + tr("Нічого не змінено."))
