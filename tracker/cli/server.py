"""The command line for the office server: ``tracker copy-db --from URL --to URL``."""

from __future__ import annotations

import argparse
import sys

from ..errors import TrackerError
from ..storage.copy import CopyReport, copy_database
from ..text import plural
from .hints import error_text

TABLE_LABELS = {
    "plan": "план",
    "strategic_goal": "стратегічні цілі",
    "operational_goal": "оперативні цілі",
    "task": "завдання",
    "measure": "заходи",
    "department": "виконавці (довідник)",
    "measure_executor": "виконавці заходів",
    "funding_source": "джерела фінансування",
    "measure_funding": "джерела заходів",
    "progress": "стан виконання",
    "history": "історія змін",
    "site": "ідентичність бази",
    "exchange_peer": "бази, з якими був обмін",
    "exchange_log": "журнал пакетів обміну",
    "pending_event": "відкладені зміни з пакетів",
    "event_signature": "підписи змін",
    "conflict": "конфлікти",
    "plan_amendment": "зміни до плану",
    "trusted_device": "довірені пристрої",
}


def add_arguments(subparsers) -> None:
    """Register ``copy-db`` on the ``tracker`` command's subparsers."""
    p = subparsers.add_parser(
        "copy-db", aliases=["migrate-db"],  # the old name still works in scripts written for it
        help="скопіювати всю базу (план, стан, історію) в іншу, напр. з файла на сервер PostgreSQL")
    p.add_argument("--from", dest="source", required=True, metavar="АДРЕСА",
                   help="звідки: sqlite:///шлях/до/бази.sqlite3 або шлях до файла")
    p.add_argument("--to", dest="target", required=True, metavar="АДРЕСА",
                   help="куди, порожня база: postgresql://користувач:пароль@сервер:5432/база")


def run_copy_db(args: argparse.Namespace) -> int:
    """Copy the database, print what was copied; 0 on success, 1 with the reason on stderr."""
    try:
        report = copy_database(args.source, args.target)
    except TrackerError as exc:
        print(error_text(exc), file=sys.stderr)
        return 1
    print(format_report(report))
    return 0


def format_report(report: CopyReport) -> str:
    width = max(len(TABLE_LABELS.get(t.table, t.table)) for t in report.tables)
    lines = [f"Базу перенесено: {report.source} → {report.target}"]
    for table in report.tables:
        label = TABLE_LABELS.get(table.table, table.table)
        lines.append(f"  {label:<{width}}  {plural(table.rows, 'рядок', 'рядки', 'рядків')}")
    lines.append(f"Усього {plural(report.total_rows, 'рядок', 'рядки', 'рядків')}; кількість рядків і "
                 "контрольні суми кожної таблиці в обох базах збігаються.")
    lines.append(f"Контрольна сума (SHA-256): {report.checksum}")
    return "\n".join(lines)
