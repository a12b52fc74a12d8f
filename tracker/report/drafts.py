"""Ready, unsent e-mails for the collection round: one .eml per executor with an address, its report attached.

Outlook opens a message marked «X-Unsent: 1» as a draft to send; Thunderbird opens it and sends it with
«Редагувати як нове». Nothing is sent by the program: the clerk sees each letter before it goes.
"""

from __future__ import annotations

import datetime as _dt
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from ..quarters import Quarter
from ..storage.models import Executor
from . import layout as L

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def default_deadline(quarter: Quarter, today: _dt.date | None = None) -> _dt.date:
    """When the reports are wanted back: the tenth day of the month after the quarter, as the council usually asks —
    or, for a round sent out after that (late, or a quarter long past), a week from ``today``; a Saturday or a Sunday
    moved on to the Monday. The letters had asked for reports by a day already gone, or by a Sunday."""
    today = today or _dt.date.today()
    deadline = quarter.first_day_after + _dt.timedelta(days=9)
    if deadline <= today:
        deadline = today + _dt.timedelta(days=7)
    return deadline + _dt.timedelta(days=max(0, 7 - deadline.weekday()) if deadline.weekday() >= 5 else 0)


def draft(executor: Executor, quarter: Quarter, report: Path, deadline: _dt.date, plan_title: str) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["To"] = executor.email
    message["Subject"] = f"Звіт про виконання Плану заходів за {quarter.label} — {executor.short_name or executor.name}"
    message["X-Unsent"] = "1"  # Outlook: open as a draft, with «Надіслати»
    greeting = f"Шановний(-а) {executor.contact_person}!" if executor.contact_person else "Добрий день!"
    message.set_content(
        f"{greeting}\n\n"
        f"Надсилаємо форму звіту «{executor.name}» {L.about_plan(plan_title)} за {quarter.label}.\n\n"
        f"Просимо заповнити у файлі стан, відсоток виконання, інформацію про виконання та фінансування "
        f"(стовпці 6–11), не змінюючи текстів плану, і повернути файл до {deadline:%d.%m.%Y}.\n\n"
        f"Департамент економічної політики Луцької міської ради\n")
    message.add_attachment(report.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename=report.name)
    return message.as_bytes()

