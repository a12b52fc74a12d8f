"""What the command line adds to a domain error: the flag or command that does what the message asks.

A domain message speaks to whoever reads it, in the window or here («Вкажіть інше місце для бази
даних.»); its ``hint`` key says which part of the command line that is, and only here is it named.
"""

from __future__ import annotations

from ..errors import TrackerError
from ..progress import fields

HINTS = {
    "database": "(параметр --db)",
    "init": "Виконайте «tracker init».",
    "new_database": "Перевірте шлях у --db; нову базу в цьому місці створює «tracker --db ШЛЯХ init».",
    "plan_codes": "Перелік заходів з кодами — «tracker plan».",
    "executors": "Повний перелік — «tracker executors».",
    "exchange_conflicts": "Перелік — «tracker exchange conflicts».",
    "copy_source": "(параметр --from)",
    "copy_target": "(параметр --to)",
    "copy_db": "Копію бази з сервера у файл SQLite можна зробити й самому: «tracker backup -o ФАЙЛ».",
    "value": "(параметр --value)",
    "restore": "Команда: «tracker restore ФАЙЛ_КОПІЇ»; перевірка бази й копій — «tracker check».",
    "check": "Перевірка бази й копій — «tracker check».",
    "repair": "Полагодити — «tracker check --repair» (пошкоджене збережеться поруч).",
    "amendment_questions": "(параметри --match СТАРИЙ=НОВИЙ — той самий захід, --new НОВИЙ — новий захід)",
    "decision": "(параметр --decision)",
    "exchange_trust": "Відбиток на тому пристрої — «tracker exchange devices»; довіритися — «tracker exchange trust "
                      "ФАЙЛ» (покаже відбиток і спитає).",
    "exchange_unsigned": "Імпорт непідписаного пакета: «tracker exchange import ФАЙЛ --unsigned».",
    "exchange_devices": "Перелік — «tracker exchange devices».",
    "password_stdin": "(параметр --password-stdin)",
    "overwrite": "Вкажіть інше ім'я (-o) або додайте --overwrite, щоб замінити його.",
    "import_report": "Команда: «tracker import-report ФАЙЛ» (спершу покаже, що зміниться).",
    "new_plan": "Щоб вести його як новий план (напр. наступний план заходів), повторіть з --new-plan.",
}


def hint_text(key: str | None) -> str:
    """The command line's words for a hint key; empty for no key or one this table does not know."""
    if not key:
        return ""
    if key.startswith("field:"):
        field = fields.find(key.split(":", 1)[1])
        return f"(параметр {field.option})" if field else ""
    return HINTS.get(key, "")


def error_text(exc: TrackerError) -> str:
    """«Помилка: …» with the command-line hint after the message, as the CLI prints it."""
    hint = hint_text(getattr(exc, "hint", None))
    return f"Помилка: {exc}" + (f" {hint}" if hint else "")
